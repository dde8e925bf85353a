-- 004_kpi: targets and comments per KPI and 年度, planning parameters, and
-- the register of key systems (重要システム) with the staff in charge.

CREATE TABLE kpi_target (
    code    TEXT NOT NULL,
    nendo   INTEGER NOT NULL,
    target  REAL,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (code, nendo)
);

-- Numbers the expert target is derived from, per 年度:
-- info_seats (seats the information units need), rotation_years (years in
-- post before a transfer), training_years (years to grow an expert),
-- info_unit_min (experts each information unit should hold).
CREATE TABLE kpi_param (
    nendo INTEGER NOT NULL,
    name  TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (nendo, name)
);

CREATE TABLE key_system (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES org_unit(id),
    note    TEXT NOT NULL DEFAULT '',
    active  INTEGER NOT NULL DEFAULT 1
);

-- Staff in charge (main) and backups of a key system.
CREATE TABLE key_system_staff (
    system_id INTEGER NOT NULL REFERENCES key_system(id),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    role      TEXT NOT NULL CHECK (role IN ('main', 'backup')),
    PRIMARY KEY (system_id, staff_id)
);
