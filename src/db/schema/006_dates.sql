-- 006_dates: effective dates everywhere, and assessments that keep their basis.

-- An assessment records what it was judged against when it was submitted or
-- confirmed: the tiers held (bit set 1 << tier), the date of that basis, and
-- per item the target level then in force. A later designation or target
-- change never re-scores it.
ALTER TABLE assessment ADD COLUMN basis_tiers INTEGER;
ALTER TABLE assessment ADD COLUMN basis_on TEXT;
ALTER TABLE assessment_item ADD COLUMN target INTEGER;

-- Key-system duties get effective dates like assignments: a duty starts and
-- ends on its dates, so a transfer or retirement dated in the future ends it
-- on that day, not on the day it is typed.
CREATE TABLE key_system_duty (
    id        INTEGER PRIMARY KEY,
    system_id INTEGER NOT NULL REFERENCES key_system(id),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    role      TEXT NOT NULL CHECK (role IN ('main', 'backup')),
    from_date TEXT NOT NULL,
    to_date   TEXT,
    CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX key_system_duty_system ON key_system_duty(system_id, from_date);
CREATE INDEX key_system_duty_staff ON key_system_duty(staff_id, from_date);
INSERT INTO key_system_duty (system_id, staff_id, role, from_date)
    SELECT k.system_id, k.staff_id, k.role, u.valid_from
    FROM key_system_staff k JOIN key_system s ON s.id = k.system_id JOIN org_unit u ON u.id = s.unit_id;
DROP TABLE key_system_staff;

-- A designation takes effect inside its 年度: one made before the 年度
-- started (prepared in March) starts on its first day.
UPDATE tier_designation SET designated_on = CAST(nendo AS TEXT) || '-04-01'
    WHERE designated_on < CAST(nendo AS TEXT) || '-04-01';
CREATE INDEX tier_designation_staff_on ON tier_designation(staff_id, nendo, designated_on);
