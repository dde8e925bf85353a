-- 002_skills: the skill map (categories, items, level descriptors, targets),
-- the yearly assessment cycle and qualifications.

-- A category tree. library 'core' is always on; other libraries (the optional
-- DX推進スキル標準, 'dss-p') count only for the tiers that switched them on.
CREATE TABLE skill_category (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    parent_id   INTEGER REFERENCES skill_category(id),
    library     TEXT NOT NULL DEFAULT 'core',
    sort_order  INTEGER NOT NULL DEFAULT 0
);

-- An item is retired, never deleted, so past assessments keep their meaning.
CREATE TABLE skill_item (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category_id INTEGER NOT NULL REFERENCES skill_category(id),
    source      TEXT NOT NULL CHECK (source IN ('DSS-L', 'DSS-P', 'local')),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    retired_on  TEXT
);
CREATE INDEX skill_item_category ON skill_item(category_id, sort_order);

-- 行動指標 per level: an item's own, or shared by all items of a category.
CREATE TABLE skill_level (
    id          INTEGER PRIMARY KEY,
    category_id INTEGER REFERENCES skill_category(id),
    item_id     INTEGER REFERENCES skill_item(id),
    level       INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    descriptor  TEXT NOT NULL,
    CHECK ((category_id IS NULL AND item_id IS NOT NULL) OR (category_id IS NOT NULL AND item_id IS NULL))
);
CREATE UNIQUE INDEX skill_level_item ON skill_level(item_id, level) WHERE item_id IS NOT NULL;
CREATE UNIQUE INDEX skill_level_category ON skill_level(category_id, level) WHERE category_id IS NOT NULL;

-- The scale's names (0 未習得 … 4 指導・牽引できる), editable.
CREATE TABLE skill_scale (
    level INTEGER PRIMARY KEY CHECK (level BETWEEN 0 AND 4),
    name  TEXT NOT NULL
);

-- Target level per tier per 年度. A 年度 without rows uses the latest earlier one.
CREATE TABLE skill_target (
    item_id INTEGER NOT NULL REFERENCES skill_item(id),
    nendo   INTEGER NOT NULL,
    tier    INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
    level   INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    PRIMARY KEY (item_id, nendo, tier)
);

-- Extra targets for a unit and its subtree (e.g. ネットワーク at 4 for the information units).
CREATE TABLE skill_unit_target (
    item_id INTEGER NOT NULL REFERENCES skill_item(id),
    nendo   INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES org_unit(id),
    level   INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    PRIMARY KEY (item_id, nendo, unit_id)
);

CREATE TABLE skill_library_tier (
    library TEXT NOT NULL,
    tier    INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
    PRIMARY KEY (library, tier)
);

CREATE TABLE assess_period (
    nendo     INTEGER PRIMARY KEY,
    opens_on  TEXT NOT NULL,
    closes_on TEXT NOT NULL
);

-- One assessment per person per 年度: draft → submitted → confirmed, or
-- returned (差戻し) back to the person. No row means 未着手.
CREATE TABLE assessment (
    id             INTEGER PRIMARY KEY,
    staff_id       INTEGER NOT NULL REFERENCES staff(id),
    nendo          INTEGER NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'confirmed')),
    submitted_at   TEXT,
    confirmed_at   TEXT,
    confirmed_by   INTEGER REFERENCES account(id),
    return_message TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    UNIQUE (staff_id, nendo)
);
CREATE INDEX assessment_nendo ON assessment(nendo, state);

CREATE TABLE assessment_item (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id),
    item_id       INTEGER NOT NULL REFERENCES skill_item(id),
    self_level    INTEGER CHECK (self_level BETWEEN 0 AND 4),
    self_comment  TEXT NOT NULL DEFAULT '',
    evidence      TEXT NOT NULL DEFAULT '',
    sup_level     INTEGER CHECK (sup_level BETWEEN 0 AND 4),
    sup_reason    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, item_id)
);

CREATE TABLE qualification_type (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    itss_level INTEGER NOT NULL DEFAULT 0,
    expires    INTEGER NOT NULL DEFAULT 0,
    item_codes TEXT NOT NULL DEFAULT ''  -- ';'-separated skill_item codes it evidences
);

CREATE TABLE staff_qualification (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    qual_code   TEXT NOT NULL REFERENCES qualification_type(code),
    acquired_on TEXT NOT NULL,
    expires_on  TEXT,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_qualification_staff ON staff_qualification(staff_id);
