-- 022_mandatory: the mandatory courses of a 年度 and the 修了証 of completions.

-- A course required in 年度 nendo of the tiers in the bit set (1 << tier;
-- 14 = everyone), to be completed by due_on (inside the 年度). A course with
-- course.mandatory set and no row for a 年度 stays required of its
-- target_tiers without a due date.
CREATE TABLE mandatory_course (
    course_id INTEGER NOT NULL REFERENCES course(id),
    nendo     INTEGER NOT NULL,
    tiers     INTEGER NOT NULL CHECK (tiers > 0),
    due_on    TEXT NOT NULL,
    PRIMARY KEY (course_id, nendo)
);

-- One 修了証 per completion; serial "R8-SEC-000123" (年度, course code, sequence).
CREATE TABLE certificate (
    serial        TEXT PRIMARY KEY,
    completion_id INTEGER NOT NULL UNIQUE REFERENCES completion(id),
    issued_at     TEXT NOT NULL
);
