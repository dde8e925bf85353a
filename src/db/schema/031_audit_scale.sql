-- 031_audit_scale.sql - an audit log that stays useful at the scale of a 県.
--
-- Collapsing views: a view of one record by one account within a short window
-- adds to the first row of the run (repeats + 1, last_at) instead of writing
-- a new row. kind marks such a row: 'read' for a view that may collapse,
-- 'write' for everything else (changes, sign-ins, downloads), which never do.
ALTER TABLE audit_log ADD COLUMN kind TEXT NOT NULL DEFAULT 'write';
ALTER TABLE audit_log ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN last_at TEXT;
-- The row a view collapses into is found by this index, not by a scan.
CREATE INDEX audit_collapse ON audit_log(account_id, entity, entity_id, action, at);

-- A closed 年度 archived to a file: the file's name, its row count and the
-- SHA-256 of its content, recorded before the rows leave the database.
-- [from_at, to_at) is the range of audit_log.at the archive covers.
CREATE TABLE audit_archive (
    id          INTEGER PRIMARY KEY,
    nendo       INTEGER NOT NULL UNIQUE,
    from_at     TEXT NOT NULL,
    to_at       TEXT NOT NULL,
    file        TEXT NOT NULL,
    row_count   INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    archived_at TEXT NOT NULL,
    account_id  INTEGER,
    actor       TEXT NOT NULL
);

-- dialect: sqlite
CREATE TRIGGER audit_archive_no_update BEFORE UPDATE ON audit_archive
BEGIN SELECT RAISE(ABORT, 'audit_archive is append-only'); END;
CREATE TRIGGER audit_archive_no_delete BEFORE DELETE ON audit_archive
BEGIN SELECT RAISE(ABORT, 'audit_archive is append-only'); END;

-- dialect: postgresql
CREATE FUNCTION audit_archive_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = 'audit_archive is append-only';
END $$;
CREATE TRIGGER audit_archive_no_update BEFORE UPDATE ON audit_archive
    FOR EACH ROW EXECUTE FUNCTION audit_archive_append_only();
CREATE TRIGGER audit_archive_no_delete BEFORE DELETE ON audit_archive
    FOR EACH ROW EXECUTE FUNCTION audit_archive_append_only();
-- dialect: all

-- The only UPDATE allowed: one more view of a 'read' row, which changes
-- repeats by exactly one and sets last_at, and nothing else.
-- PostgreSQL: a BEFORE UPDATE trigger function in PL/pgSQL that RAISEs
-- unless the same condition holds, with IS NOT DISTINCT FROM for IS, and
-- `OLD IS NOT DISTINCT FROM NEW` over the other columns as a row compare.
-- dialect: sqlite
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.kind = 'read' AND NEW.kind = 'read' AND NEW.repeats = OLD.repeats + 1 AND NEW.last_at IS NOT NULL
          AND NEW.last_at >= OLD.at AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.account_id IS OLD.account_id
          AND NEW.actor = OLD.actor AND NEW.ip = OLD.ip AND NEW.action = OLD.action AND NEW.entity = OLD.entity
          AND NEW.entity_id IS OLD.entity_id AND NEW.subject_staff_id IS OLD.subject_staff_id
          AND NEW.summary = OLD.summary)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The only DELETE allowed: a row inside an archived 年度, never the record
-- of an archiving. PostgreSQL: the same condition in a trigger function.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.action = 'audit.archive'
  OR NOT EXISTS (SELECT 1 FROM audit_archive x WHERE OLD.at >= x.from_at AND OLD.at < x.to_at)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- dialect: postgresql
DROP TRIGGER audit_log_no_update ON audit_log;
CREATE FUNCTION audit_log_update_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (OLD.kind = 'read' AND NEW.kind = 'read' AND NEW.repeats = OLD.repeats + 1 AND NEW.last_at IS NOT NULL
            AND NEW.last_at >= OLD.at AND NEW.id = OLD.id AND NEW.at = OLD.at
            AND NEW.account_id IS NOT DISTINCT FROM OLD.account_id
            AND NEW.actor = OLD.actor AND NEW.ip = OLD.ip AND NEW.action = OLD.action AND NEW.entity = OLD.entity
            AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id
            AND NEW.subject_staff_id IS NOT DISTINCT FROM OLD.subject_staff_id
            AND NEW.summary = OLD.summary) THEN
        RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = 'audit_log is append-only';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_update_check();

DROP TRIGGER audit_log_no_delete ON audit_log;
CREATE FUNCTION audit_log_delete_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.action = 'audit.archive'
       OR NOT EXISTS (SELECT 1 FROM audit_archive x WHERE OLD.at >= x.from_at AND OLD.at < x.to_at) THEN
        RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = 'audit_log is append-only';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_delete_check();
-- dialect: all
