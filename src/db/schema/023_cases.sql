-- The case library (事例集): 先進地事例, 他団体優良事例, 庁内事例 and 職場還元
-- published as cases, with their tags, attachments and daily view counts.

CREATE TABLE case_study (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('advanced', 'other', 'internal', 'shareback')),
    title        TEXT NOT NULL,
    source       TEXT NOT NULL DEFAULT '',       -- municipality or source
    nendo        INTEGER NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',       -- CommonMark
    hours_saved  REAL,                           -- hours saved per year; NULL: not known
    cost         INTEGER,                        -- 円; NULL: not known
    users        INTEGER,                        -- NULL: not known
    source_url   TEXT NOT NULL DEFAULT '',       -- http or https only
    unit_id      INTEGER REFERENCES org_unit(id),   -- the 係 (or 課) the case belongs to
    shareback_id INTEGER REFERENCES share_back(id), -- the 職場還元 record it was published from
    published    INTEGER NOT NULL DEFAULT 0,
    published_on TEXT,                           -- first day it was published
    search_text  TEXT NOT NULL DEFAULT '',       -- text_fold of title, summary, body and source
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX case_study_nendo ON case_study(nendo, published);
CREATE UNIQUE INDEX case_study_shareback ON case_study(shareback_id);

-- One tag table for every kind of reference: skill-map items, staff and DX
-- projects (ref_id is skill_item.id, staff.id or a project id).
CREATE TABLE case_tag (
    case_id INTEGER NOT NULL REFERENCES case_study(id),
    kind    TEXT NOT NULL CHECK (kind IN ('skill', 'staff', 'project')),
    ref_id  INTEGER NOT NULL,
    PRIMARY KEY (case_id, kind, ref_id)
);
CREATE INDEX case_tag_ref ON case_tag(kind, ref_id);

CREATE TABLE case_attachment (
    case_id  INTEGER NOT NULL REFERENCES case_study(id),
    media_id INTEGER NOT NULL REFERENCES media_asset(id),
    PRIMARY KEY (case_id, media_id)
);

-- Views per person per day: one row incremented, for the KPI of views.
CREATE TABLE case_view (
    case_id  INTEGER NOT NULL REFERENCES case_study(id),
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    day      TEXT NOT NULL,
    count    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (case_id, staff_id, day)
);
CREATE INDEX case_view_day ON case_view(day);

-- SQLITE-ONLY: the full-text index of case_study.search_text (rowid = case
-- id), kept in step by src/domain/cases.c in the transaction of each write.
-- On PostgreSQL this statement is left out and searches take the LIKE path
-- over case_study.search_text (or a pg_trgm index on it).
-- dialect: sqlite
CREATE VIRTUAL TABLE case_fts USING fts5(search_text, tokenize = 'trigram');
-- dialect: postgresql
-- A trigram index for the LIKE search, when the pg_trgm extension can be
-- created (postgresql-contrib; a trusted extension since PostgreSQL 13);
-- without it the search still works, by a scan.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX case_study_search_trgm ON case_study USING gin (search_text gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    NULL;
END $$;
-- dialect: all
