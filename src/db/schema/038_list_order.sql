-- 038_list_order.sql - the long lists (/staff, /assess/review) read a page
-- by walking the units in code order and, for each unit, its primary
-- assignments in force: this index answers that walk, and the count beside
-- it, without reading the assignment rows.
CREATE INDEX assignment_unit_primary ON assignment (unit_id, is_primary, from_date, to_date, staff_id);
