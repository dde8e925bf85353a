-- 030_scale.sql - indexes for organisations of tens of thousands of staff.
-- A roster row with a new 職員番号 asks whether the number lost its leading
-- zeros in Excel (ltrim(staff_no, '0') = ?): found by index, not by reading
-- every staff row for every row of the file.
CREATE INDEX staff_no_digits ON staff (ltrim(staff_no, '0'));
