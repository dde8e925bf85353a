-- 043_data_areas.sql - the data version by area. A write bumps the counter
-- of its area: assess (self assessments, confirmations, returns), training
-- (applications, completions, quiz and module results, share-backs),
-- activity (signing in and out, reading a notice, starting a quiz: nothing
-- an organisation-wide summary reads), or version (every other write). A
-- summary is keyed by version plus the areas it reads (src/auth/dataver.h),
-- so a write elsewhere leaves it valid. The counters only grow, so that sum
-- grows with each write it depends on and never repeats. Summaries stored
-- under the previous key are dropped.
ALTER TABLE data_version ADD COLUMN assess BIGINT NOT NULL DEFAULT 0;
ALTER TABLE data_version ADD COLUMN training BIGINT NOT NULL DEFAULT 0;
ALTER TABLE data_version ADD COLUMN activity BIGINT NOT NULL DEFAULT 0;
DELETE FROM kpi_summary;
DELETE FROM kpi_pipeline_summary;
DELETE FROM kpi_board_summary;
DELETE FROM gap_summary;
DELETE FROM demand_summary;
