-- 007_in_service: being in service (在職) follows the dates of a person's
-- primary assignments (see src/domain/asof.h), so the flag that a
-- retirement used to flip on the day it was typed goes.
ALTER TABLE staff DROP COLUMN active;
