-- 024_external_projects: the DX project register and the external talent
-- (外部人材) who serve on projects.

-- A DX project owned by a unit. status: idea (構想), plan (計画), active
-- (実施中), done (完了), stopped (中止). owner_staff_id is the
-- ②プロジェクト担当 in charge. Dates are ISO; budget in 円.
CREATE TABLE dx_project (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    unit_id        INTEGER NOT NULL REFERENCES org_unit(id),
    purpose        TEXT NOT NULL DEFAULT '',
    from_date      TEXT NOT NULL,
    to_date        TEXT,
    status         TEXT NOT NULL CHECK (status IN ('idea', 'plan', 'active', 'done', 'stopped')),
    budget         INTEGER NOT NULL DEFAULT 0,
    owner_staff_id INTEGER REFERENCES staff(id),
    outcome        TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE dx_project_member (
    project_id INTEGER NOT NULL REFERENCES dx_project(id),
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    role       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, staff_id)
);

-- A skill the project needs: how many people at required_level or above.
CREATE TABLE dx_project_need (
    project_id     INTEGER NOT NULL REFERENCES dx_project(id),
    item_id        INTEGER NOT NULL REFERENCES skill_item(id),
    required_level INTEGER NOT NULL CHECK (required_level BETWEEN 1 AND 4),
    headcount      INTEGER NOT NULL CHECK (headcount BETWEEN 1 AND 99),
    PRIMARY KEY (project_id, item_id)
);

-- An outcome figure of a project (label, value, unit: 削減時間 120 時間).
CREATE TABLE dx_project_figure (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES dx_project(id),
    label      TEXT NOT NULL,
    value      REAL NOT NULL,
    unit       TEXT NOT NULL DEFAULT ''
);

-- An external person or organisation. kind: advisor (地域情報化アドバイザー),
-- pool (外部デジタル人材・県の人材プール), cio_aide (CIO補佐官), fixed_term
-- (任期付職員), side_job (副業・兼業人材), kigyojin (地域活性化起業人), dispatch
-- (企業派遣), other (その他). contact and affiliation are personal data.
CREATE TABLE extern_person (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    is_org      INTEGER NOT NULL DEFAULT 0,
    kind        TEXT NOT NULL CHECK (kind IN ('advisor', 'pool', 'cio_aide', 'fixed_term', 'side_job', 'kigyojin', 'dispatch', 'other')),
    affiliation TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    ended_on    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE extern_skill (
    extern_id INTEGER NOT NULL REFERENCES extern_person(id),
    item_id   INTEGER NOT NULL REFERENCES skill_item(id),
    level     INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    PRIMARY KEY (extern_id, item_id)
);

-- A contract or appointment (契約・委嘱) period. cost in 円; tokko = 1 when
-- 特別交付税措置 applies; hours contracted and actually worked.
CREATE TABLE extern_engagement (
    id           INTEGER PRIMARY KEY,
    extern_id    INTEGER NOT NULL REFERENCES extern_person(id),
    from_date    TEXT NOT NULL,
    to_date      TEXT NOT NULL,
    cost         INTEGER NOT NULL DEFAULT 0,
    tokko        INTEGER NOT NULL DEFAULT 0,
    funding_note TEXT NOT NULL DEFAULT '',
    hours_contracted REAL NOT NULL DEFAULT 0,
    hours_actual REAL NOT NULL DEFAULT 0,
    CHECK (from_date <= to_date)
);

-- The projects an external serves (shared by both registers).
CREATE TABLE extern_project (
    extern_id  INTEGER NOT NULL REFERENCES extern_person(id),
    project_id INTEGER NOT NULL REFERENCES dx_project(id),
    role       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (extern_id, project_id)
);

-- A knowledge-transfer session held by an external: attendees as a number,
-- or listed staff (extern_session_staff); reached = listed staff if any, else
-- attendee_count.
CREATE TABLE extern_session (
    id             INTEGER PRIMARY KEY,
    extern_id      INTEGER NOT NULL REFERENCES extern_person(id),
    held_on        TEXT NOT NULL,
    title          TEXT NOT NULL,
    hours          REAL NOT NULL DEFAULT 0,
    attendee_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE extern_session_staff (
    session_id INTEGER NOT NULL REFERENCES extern_session(id),
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    PRIMARY KEY (session_id, staff_id)
);

-- Staff paired with an external (OJT, shadowing) for a period.
CREATE TABLE extern_pairing (
    id        INTEGER PRIMARY KEY,
    extern_id INTEGER NOT NULL REFERENCES extern_person(id),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    from_date TEXT NOT NULL,
    to_date   TEXT
);

CREATE INDEX extern_engagement_dates ON extern_engagement (from_date, to_date);
CREATE INDEX extern_session_held ON extern_session (held_on);
CREATE INDEX dx_project_unit ON dx_project (unit_id);
