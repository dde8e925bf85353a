-- SCORM 1.2 packages: the files of an uploaded zip, the SCOs its manifest
-- launches, and each learner's run-time data (the cmi data model) per SCO.
CREATE TABLE scorm_package (
    id          INTEGER PRIMARY KEY,
    course_id   INTEGER NOT NULL REFERENCES course(id),
    title       TEXT NOT NULL,
    filename    TEXT NOT NULL DEFAULT '',
    files       INTEGER NOT NULL DEFAULT 0,
    bytes       INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);
CREATE INDEX scorm_package_course ON scorm_package(course_id);

-- Package files, stored whole (BYTEA: a blob in SQLite and PostgreSQL).
CREATE TABLE scorm_file (
    package_id  INTEGER NOT NULL REFERENCES scorm_package(id),
    path        TEXT NOT NULL,
    data        BYTEA NOT NULL,
    PRIMARY KEY (package_id, path)
);

CREATE TABLE scorm_sco (
    id          INTEGER PRIMARY KEY,
    package_id  INTEGER NOT NULL REFERENCES scorm_package(id),
    seq         INTEGER NOT NULL,
    identifier  TEXT NOT NULL,
    title       TEXT NOT NULL,
    href        TEXT NOT NULL
);
CREATE INDEX scorm_sco_package ON scorm_sco(package_id);

-- One attempt per learner and SCO; reopening resumes it. pending_time is the
-- session_time of a session not yet finished (added into total_time on
-- LMSFinish, or when the next session starts).
CREATE TABLE scorm_attempt (
    id              INTEGER PRIMARY KEY,
    sco_id          INTEGER NOT NULL REFERENCES scorm_sco(id),
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    lesson_status   TEXT NOT NULL DEFAULT 'not attempted',
    lesson_location TEXT NOT NULL DEFAULT '',
    suspend_data    TEXT NOT NULL DEFAULT '',
    score_raw       TEXT NOT NULL DEFAULT '',
    score_min       TEXT NOT NULL DEFAULT '',
    score_max       TEXT NOT NULL DEFAULT '',
    total_time      TEXT NOT NULL DEFAULT '0000:00:00.00',
    pending_time    TEXT NOT NULL DEFAULT '',
    exit_mode       TEXT NOT NULL DEFAULT '',
    committed_at    TEXT,
    UNIQUE (sco_id, staff_id)
);
