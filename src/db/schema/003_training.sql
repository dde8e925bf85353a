-- 003_training: the training system (研修体系): catalogue, annual plan,
-- sessions, applications, attendance and completion, and share-back.

-- provider: somu 総務課, seisaku 政策企画課 (internal); center 大分県自治人材育成センター,
-- jlis J-LIS, jichidai 自治大学校, jiam 市町村アカデミー/JIAM, cyder NICT CYDER,
-- manabi マナビDX, other (external). format: group 集合, elearning eラーニング,
-- online オンライン, ojt OJT, exercise 演習. target_tiers: bit set (1 << tier).
CREATE TABLE course (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    provider     TEXT NOT NULL CHECK (provider IN ('somu', 'seisaku', 'center', 'jlis', 'jichidai', 'jiam', 'cyder', 'manabi', 'other')),
    format       TEXT NOT NULL CHECK (format IN ('group', 'elearning', 'online', 'ojt', 'exercise')),
    target_tiers INTEGER NOT NULL DEFAULT 14,
    target_posts TEXT NOT NULL DEFAULT '',
    minutes      INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    capacity     INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    cost         INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
    mandatory    INTEGER NOT NULL DEFAULT 0,
    security     INTEGER NOT NULL DEFAULT 0,   -- counts for 情報セキュリティ研修受講率
    description  TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1
);

-- The skill items a course raises and the level a completion supports.
CREATE TABLE course_skill (
    course_id INTEGER NOT NULL REFERENCES course(id),
    item_id   INTEGER NOT NULL REFERENCES skill_item(id),
    level     INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    PRIMARY KEY (course_id, item_id)
);

CREATE TABLE training_plan (
    id       INTEGER PRIMARY KEY,
    nendo    INTEGER NOT NULL,
    course_id INTEGER NOT NULL REFERENCES course(id),
    sessions INTEGER NOT NULL DEFAULT 1 CHECK (sessions >= 0),
    seats    INTEGER NOT NULL DEFAULT 0 CHECK (seats >= 0),
    month    INTEGER NOT NULL DEFAULT 0 CHECK (month BETWEEN 0 AND 12),
    budget   INTEGER NOT NULL DEFAULT 0 CHECK (budget >= 0),
    note     TEXT NOT NULL DEFAULT '',
    UNIQUE (nendo, course_id)
);

CREATE TABLE training_session (
    id          INTEGER PRIMARY KEY,
    course_id   INTEGER NOT NULL REFERENCES course(id),
    nendo       INTEGER NOT NULL,
    starts_at   TEXT NOT NULL,          -- "YYYY-MM-DDTHH:MM"
    ends_at     TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL DEFAULT '',
    capacity    INTEGER NOT NULL CHECK (capacity >= 0),
    instructor  TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    cancelled   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX training_session_start ON training_session(starts_at);

-- 本人申込 (applied) → 所属長承認 (approved) → 事務局決定: accepted, or
-- waitlisted while the session is full (FIFO by seq). cancelled / rejected end it.
CREATE TABLE application (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES training_session(id),
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    state       TEXT NOT NULL CHECK (state IN ('applied', 'approved', 'accepted', 'waitlisted', 'cancelled', 'rejected')),
    seq         INTEGER NOT NULL,       -- order of arrival, for the waitlist
    applied_at  TEXT NOT NULL,
    approved_at TEXT,
    decided_at  TEXT,
    note        TEXT NOT NULL DEFAULT '',
    UNIQUE (session_id, staff_id)
);
CREATE INDEX application_staff ON application(staff_id);

-- Attendance and completion. An external course is complete only with its
-- 復命書 (report_on set).
CREATE TABLE completion (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES training_session(id),
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    attended    INTEGER NOT NULL DEFAULT 0,
    minutes     INTEGER NOT NULL DEFAULT 0,
    score       INTEGER,
    result      TEXT NOT NULL DEFAULT '',
    report_on   TEXT,
    report      TEXT NOT NULL DEFAULT '',
    completed   INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL,
    UNIQUE (session_id, staff_id)
);
CREATE INDEX completion_staff ON completion(staff_id);

-- 職場還元: what a leader brought back to their workplace after a course.
CREATE TABLE share_back (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    session_id  INTEGER REFERENCES training_session(id),
    held_on     TEXT NOT NULL,
    audience    TEXT NOT NULL DEFAULT '',
    attendees   INTEGER NOT NULL DEFAULT 0,
    content     TEXT NOT NULL,
    materials   TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX share_back_staff ON share_back(staff_id, held_on);
