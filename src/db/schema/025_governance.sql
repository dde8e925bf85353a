-- 025_governance: the 推進体制 — governance bodies (posts such as CDO, the DX
-- 推進本部, committees, the 事務局, working groups) as a tree, their members by
-- post or by person with a term, and their meetings with minutes.

-- A body is in force on D as an assignment is (from_date <= D <= to_date,
-- NULL open). kind: post (役職), hq (本部), committee (委員会), secretariat
-- (事務局), wg (ワーキンググループ), other.
CREATE TABLE gov_body (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('post', 'hq', 'committee', 'secretariat', 'wg', 'other')),
    parent_id  INTEGER REFERENCES gov_body(id),
    purpose    TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    from_date  TEXT NOT NULL,
    to_date    TEXT
);
CREATE INDEX gov_body_parent ON gov_body(parent_id);

-- A member holds role (本部長, 委員 …) in a body, named by a post text
-- (「副市長」), an org unit with a post text (総務部 + 部長), a person, or a
-- person and a post. In force as a body is.
CREATE TABLE gov_member (
    id         INTEGER PRIMARY KEY,
    body_id    INTEGER NOT NULL REFERENCES gov_body(id),
    role       TEXT NOT NULL,
    post       TEXT NOT NULL DEFAULT '',
    unit_id    INTEGER REFERENCES org_unit(id),
    staff_id   INTEGER REFERENCES staff(id),
    sort_order INTEGER NOT NULL DEFAULT 0,
    from_date  TEXT NOT NULL,
    to_date    TEXT,
    CHECK (post <> '' OR unit_id IS NOT NULL OR staff_id IS NOT NULL)
);
CREATE INDEX gov_member_body ON gov_member(body_id);

-- A meeting of a body; minutes in CommonMark.
CREATE TABLE gov_meeting (
    id      INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES gov_body(id),
    held_on TEXT NOT NULL,
    title   TEXT NOT NULL,
    minutes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX gov_meeting_body ON gov_meeting(body_id, held_on);

-- Files of a meeting, kept in the uploaded media store.
CREATE TABLE gov_meeting_file (
    meeting_id INTEGER NOT NULL REFERENCES gov_meeting(id),
    media_id   INTEGER NOT NULL REFERENCES media_asset(id),
    PRIMARY KEY (meeting_id, media_id)
);
