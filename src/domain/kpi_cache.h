/* kpi_cache.h - whether the KPI values and boards come from their stored
 * summaries. The KPIs (kpi.c), the boards (kpi_board.c) and the coverage
 * rules (staffing.c) all read this one switch. */
#ifndef JINZAI_KPI_CACHE_H
#define JINZAI_KPI_CACHE_H

#include <stdbool.h>

/* The organisation-wide values behind kpi_compute, kpi_expert_plan and
 * kpi_pipeline come from the KPI summary (schema 032) when it was stored at
 * the current data version. Off: always computed from the rows (tests
 * compare the two). Process-wide; on by default. */
void kpi_cache_set(bool on);
/* Whether the boards and KPI values are read from the summary (kpi_cache_set). */
bool kpi_cache_on(void);

#endif
