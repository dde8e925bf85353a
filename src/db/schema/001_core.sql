-- 001_core: settings, organisation, staff, assignments, tier designations,
-- accounts, sessions and the append-only audit log.
-- Kept to DDL that SQLite 3.40 and PostgreSQL 15 both accept, except
-- INTEGER PRIMARY KEY (rowid alias), which the libpq backend maps to identity.

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- 執行機関 (level 1) > 部 (2) > 課 (3) > 係 (4). A unit is valid from
-- valid_from to valid_to inclusive (NULL: open-ended), so a reorganisation
-- closes old units and opens new ones instead of rewriting history.
CREATE TABLE org_unit (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    parent_id  INTEGER REFERENCES org_unit(id),
    sort_order INTEGER NOT NULL DEFAULT 0,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    is_info    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (code, valid_from)
);
CREATE INDEX org_unit_parent ON org_unit(parent_id);

CREATE TABLE staff (
    id         INTEGER PRIMARY KEY,
    staff_no   TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kana       TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    emp_type   TEXT NOT NULL CHECK (emp_type IN ('regular', 'reappointed', 'fixed_term', 'fiscal_year')),
    post       TEXT NOT NULL DEFAULT '',
    job_type   TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One primary assignment at a time, plus any number of 兼務 (is_primary = 0).
CREATE TABLE assignment (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    unit_id    INTEGER NOT NULL REFERENCES org_unit(id),
    is_primary INTEGER NOT NULL DEFAULT 1,
    from_date  TEXT NOT NULL,
    to_date    TEXT,
    CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX assignment_staff ON assignment(staff_id, from_date);
CREATE INDEX assignment_unit ON assignment(unit_id, from_date);

-- ① 高度専門人材 (tier 1: info / key_system) and ② DX推進リーダー (tier 2:
-- lead = 総括リーダー / project) per 年度. ③ 一般職員 is everyone not designated.
CREATE TABLE tier_designation (
    id            INTEGER PRIMARY KEY,
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    nendo         INTEGER NOT NULL,
    tier          INTEGER NOT NULL,
    subtype       TEXT NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES org_unit(id),
    designated_by TEXT NOT NULL DEFAULT '',
    designated_on TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    ended_on      TEXT,
    CHECK ((tier = 1 AND subtype IN ('info', 'key_system')) OR (tier = 2 AND subtype IN ('lead', 'project')))
);
CREATE INDEX tier_nendo ON tier_designation(nendo, unit_id);
CREATE INDEX tier_staff ON tier_designation(staff_id, nendo);

-- roles is a bit set: 1 職員, 2 所属長, 4 人事, 8 DX推進, 16 管理者.
CREATE TABLE account (
    id          INTEGER PRIMARY KEY,
    login       TEXT NOT NULL UNIQUE,
    staff_id    INTEGER REFERENCES staff(id),
    pw_hash     TEXT NOT NULL,
    roles       INTEGER NOT NULL DEFAULT 1,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Only a hash of the session token is stored.
CREATE TABLE session (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    account_id  INTEGER NOT NULL REFERENCES account(id),
    csrf        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_account ON session(account_id);

CREATE TABLE login_failure (
    id    INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    ip    TEXT NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX login_failure_login ON login_failure(login, at);
CREATE INDEX login_failure_ip ON login_failure(ip, at);

-- Append-only: written in the same transaction as the change it records.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    account_id  INTEGER,
    actor       TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER,
    subject_staff_id INTEGER,
    summary     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_subject ON audit_log(subject_staff_id, at);

-- dialect: sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- dialect: postgresql
-- The same refusal as a PL/pgSQL trigger function; SQLSTATE 23000, so that
-- it is a constraint error on both backends.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- dialect: all
