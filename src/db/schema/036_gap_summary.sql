-- 036_gap_summary.sql - the organisation-wide gap aggregate (the 全庁 view of
-- ギャップ分析) of one 年度 scored on the skill map of map_nendo and counted
-- on as_of, computed at one data version (see 032). A reader whose version
-- matches uses it; any other recomputes and replaces it. kind says what a
-- row holds:
--   'n': k1 = k2 = 0; a = people counted, b = submitted (confirmed
--        included), c = confirmed
--   'i': k1 = an item some person has a target for
--   's': k1 = tier (0: any), k2 = top-level category id (0: all items);
--        a = met, b = assessed
--   'u': a row of the unit table (執行機関, 部, 課 valid on as_of): k1 = its
--        place in tree order, k2 = unit id, d = level, name; a = people,
--        b = met, c = assessed (its subtree)
CREATE TABLE gap_summary (
    map_nendo INTEGER NOT NULL,
    nendo INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    k1 BIGINT NOT NULL,
    k2 BIGINT NOT NULL,
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    c INTEGER NOT NULL,
    d INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (map_nendo, nendo, as_of, kind, k1, k2)
);
