-- 019_elearning.sql - modules written in jinzai (pages in CommonMark), their
-- uploaded media, per-person page views, and quizzes drawn from a bank.
-- A module is a course of format 'elearning'; its completion is an ordinary
-- completion row of the course's session of the 年度.

CREATE TABLE module_page (
    id         INTEGER PRIMARY KEY,
    course_id  INTEGER NOT NULL REFERENCES course(id),
    seq        INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (course_id, seq)
);

CREATE TABLE module_progress (
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    page_id   INTEGER NOT NULL REFERENCES module_page(id),
    viewed_at TEXT NOT NULL,
    PRIMARY KEY (staff_id, page_id)
);

CREATE TABLE media_asset (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE quiz (
    course_id     INTEGER PRIMARY KEY REFERENCES course(id),
    draw          INTEGER NOT NULL CHECK (draw > 0),
    pass_percent  INTEGER NOT NULL CHECK (pass_percent BETWEEN 0 AND 100),
    max_attempts  INTEGER NOT NULL DEFAULT 0 CHECK (max_attempts >= 0),   -- 0: no limit
    time_limit    INTEGER NOT NULL DEFAULT 0 CHECK (time_limit >= 0)      -- minutes, 0: none
);

CREATE TABLE quiz_question (
    id          INTEGER PRIMARY KEY,
    course_id   INTEGER NOT NULL REFERENCES course(id),
    kind        TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'truefalse')),
    text        TEXT NOT NULL,
    explanation TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX quiz_question_course ON quiz_question(course_id);

CREATE TABLE quiz_option (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES quiz_question(id),
    seq         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    correct     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quiz_option_question ON quiz_option(question_id);

CREATE TABLE quiz_attempt (
    id           INTEGER PRIMARY KEY,
    course_id    INTEGER NOT NULL REFERENCES course(id),
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    started_at   INTEGER NOT NULL,     -- unix seconds
    deadline     INTEGER NOT NULL DEFAULT 0, -- unix seconds, 0: no time limit
    submitted_at INTEGER,
    score        INTEGER,              -- percent
    passed       INTEGER NOT NULL DEFAULT 0,
    late         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quiz_attempt_staff ON quiz_attempt(staff_id, course_id);

-- The questions drawn for an attempt, in order, with the options in the
-- order shown (option ids, comma separated) and the answer given.
CREATE TABLE quiz_attempt_item (
    attempt_id  INTEGER NOT NULL REFERENCES quiz_attempt(id),
    seq         INTEGER NOT NULL,
    question_id INTEGER NOT NULL REFERENCES quiz_question(id),
    options     TEXT NOT NULL,
    answer      TEXT NOT NULL DEFAULT '',
    correct     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (attempt_id, seq)
);
CREATE INDEX quiz_attempt_item_question ON quiz_attempt_item(question_id);
