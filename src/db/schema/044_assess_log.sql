-- 044_assess_log.sql - whose assessment each bump of the assess counter
-- (043) was about: seq is the counter's value after the bump. A summary
-- built at assess counter A can be brought to B by recomputing only the
-- people of the rows A < seq <= B, when all of them are here (the general
-- counter unchanged). Old rows are dropped as new ones come; a missing row
-- means a full recomputation.
CREATE TABLE data_version_assess_log (
    seq      BIGINT PRIMARY KEY,
    staff_id BIGINT NOT NULL
);
