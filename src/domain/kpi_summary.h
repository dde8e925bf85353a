/* kpi_summary.h - the stored KPI summary (schema 032): the values of a 年度
 * read at a date, and its expert pipeline, kept with the data version they
 * were computed at, and the KPI pages' boards. Internal to the KPI code
 * (kpi.c, staffing.c, kpi_board.c). */
#ifndef JINZAI_KPI_SUMMARY_H
#define JINZAI_KPI_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "kpi.h"
#include "kpi_cache.h"

/* One stored value: a KPI code, or "_PIPELINE" (num: the pipeline's size). */
typedef struct KpiSummaryRow {
    const char *code;
    double actual;
    int num, den;
} KpiSummaryRow;

/* The rows stored for (nendo, as_of) at version, or -1 when there are none
 * at that version (a miss). */
int kpi_summary_read(Db *db, Arena *a, int nendo, const char *as_of, int64_t version, KpiSummaryRow **out);
/* Replaces what is stored for (nendo, as_of) with rows computed at version,
 * and drops what other versions left. Skipped (silently) inside another
 * transaction or when the database is busy: the summary is only a cache. */
void kpi_summary_store(Db *db, int nendo, const char *as_of, int64_t version, const KpiSummaryRow *rows, int n);

/* The stored pipeline for (nendo, as_of) at version: its size, or -1. */
int kpi_pipeline_read(Db *db, Arena *a, int nendo, const char *as_of, int64_t version, PipelinePerson **out);
void kpi_pipeline_store(Db *db, int nendo, const char *as_of, int64_t version, const PipelinePerson *p, int n);

/* A board of the KPI pages (schema 037): "coverage", "security" or "bybu".
 * One stored row; which fields a board uses is in the schema. */
typedef struct KpiBoardRow {
    const char *kind, *name, *what, *note;
    int64_t unit_id, ref_id;
    int n[4];
} KpiBoardRow;
/* The rows stored for (nendo, as_of, board) at version: their count, or -1. */
int kpi_board_read(Db *db, Arena *a, int nendo, const char *as_of, const char *board, int64_t version, KpiBoardRow **out);
/* Replaces the board's rows for (nendo, as_of), dropping other versions'
 * rows; skipped like kpi_summary_store. */
void kpi_board_store(Db *db, int nendo, const char *as_of, const char *board, int64_t version, const KpiBoardRow *rows, int n);

#endif
