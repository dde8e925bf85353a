-- 039_demand_summary.sql - next 年度's training demand (来年度の研修需要) of
-- one 年度's assessments scored on the skill map of map_nendo, for a unit's
-- subtree (unit_id 0: all) and a tier (0: any), counted on as_of, computed
-- at one data version (see 032). A reader whose version matches uses it;
-- any other recomputes and replaces it. Row k = -1 is the head (people =
-- the number of rows); rows k = 0.. are the page's rows in their order.
CREATE TABLE demand_summary (
    map_nendo INTEGER NOT NULL,
    nendo INTEGER NOT NULL,
    unit_id BIGINT NOT NULL,
    tier INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    version BIGINT NOT NULL,
    k INTEGER NOT NULL,
    course_id BIGINT NOT NULL,
    code TEXT,
    title TEXT,
    provider TEXT,
    people INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    sessions INTEGER NOT NULL,
    PRIMARY KEY (map_nendo, nendo, unit_id, tier, as_of, k)
);
