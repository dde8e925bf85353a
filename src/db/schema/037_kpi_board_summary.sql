-- 037_kpi_board_summary.sql - the KPI pages' boards kept with the data version.
-- Besides the KPI values (032), the KPI pages and the office's home show
-- organisation-wide tables that are as costly to compute: the coverage rules
-- (board 'coverage'), the security training rate of the ten lowest 課
-- ('security') and the staff per 部 and tier ('bybu'). Each is stored for a
-- (年度, as-of date) at one data version, one row per table row in seq
-- order; the row with seq = -1 holds the row count (n0), so an empty table
-- is stored too. A reader whose version matches uses the rows, any other
-- recomputes and replaces them. Columns by board:
--   coverage: kind = rule, unit_id, ref_id = system, name = unit name,
--             what, note = reason, n0 = have, n1 = need, n2 = state
--   security: unit_id, name, n0 = completed, n1 = counted
--   bybu:     unit_id, name = label, n1..n3 = staff of tier ①..③
CREATE TABLE kpi_board_summary (
    nendo INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    version BIGINT NOT NULL,
    board TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    ref_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    what TEXT NOT NULL,
    note TEXT NOT NULL,
    n0 INTEGER NOT NULL,
    n1 INTEGER NOT NULL,
    n2 INTEGER NOT NULL,
    n3 INTEGER NOT NULL,
    PRIMARY KEY (nendo, as_of, board, seq)
);
