/* kpi_summary.h - the stored KPI summary (schema 032): the values of a 年度
 * read at a date, and its expert pipeline, kept with the data version they
 * were computed at. Internal to kpi.c. */
#ifndef JINZAI_KPI_SUMMARY_H
#define JINZAI_KPI_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "kpi.h"

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

#endif
