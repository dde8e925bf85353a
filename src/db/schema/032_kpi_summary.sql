-- 032_kpi_summary.sql - the data version and the KPI summary.
-- data_version counts committed writes: audit_write bumps it in the same
-- transaction as every write (reads, whose actions end in ".view", do not).
-- kpi_summary keeps the organisation-wide KPI values of a 年度 read at a
-- date, computed at one data version; a reader whose version matches uses
-- them, any other recomputes and replaces them. kpi_pipeline_summary keeps
-- the expert pipeline (the people closest to the ① targets) the same way.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);

CREATE TABLE kpi_summary (
    nendo INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    version BIGINT NOT NULL,
    code TEXT NOT NULL,
    actual REAL NOT NULL,
    num INTEGER NOT NULL,
    den INTEGER NOT NULL,
    PRIMARY KEY (nendo, as_of, code)
);

CREATE TABLE kpi_pipeline_summary (
    nendo INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    version BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    staff_id INTEGER NOT NULL,
    staff_no TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    met INTEGER NOT NULL,
    items INTEGER NOT NULL,
    short_by INTEGER NOT NULL,
    PRIMARY KEY (nendo, as_of, seq)
);
