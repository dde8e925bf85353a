-- 021_xapi.sql - the xAPI statement receiver: clients that send statements
-- (Basic auth; only a hash of the secret is kept), the statements as
-- received, and 事務局's mappings of actors to staff and activity ids to
-- courses.
CREATE TABLE xapi_client (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    api_key     TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

-- state: 'done' (a completion was recorded), 'waiting' (a completion verb
-- whose actor or activity is not mapped yet), 'other' (kept, not mapped).
CREATE TABLE xapi_statement (
    id            INTEGER PRIMARY KEY,
    statement_id  TEXT NOT NULL UNIQUE,
    client_id     INTEGER NOT NULL REFERENCES xapi_client(id),
    raw           TEXT NOT NULL,
    canonical     TEXT NOT NULL,
    actor         TEXT NOT NULL DEFAULT '',
    mbox          TEXT NOT NULL DEFAULT '',
    account_name  TEXT NOT NULL DEFAULT '',
    verb          TEXT NOT NULL,
    activity_id   TEXT NOT NULL DEFAULT '',
    stamp         TEXT NOT NULL DEFAULT '',
    score         INTEGER,
    received_at   TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('done', 'waiting', 'other')),
    staff_id      INTEGER REFERENCES staff(id),
    completion_id INTEGER REFERENCES completion(id)
);
CREATE INDEX xapi_statement_state ON xapi_statement(state);

CREATE TABLE xapi_activity (
    activity_id TEXT PRIMARY KEY,
    course_id   INTEGER NOT NULL REFERENCES course(id)
);

CREATE TABLE xapi_actor (
    actor    TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff(id)
);
