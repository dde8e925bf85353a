/* demand_summary.h - next 年度's training demand (training.h,
 * recommend_demand) and its stored copy (schema 039), keyed by the data
 * version (db/dataver.h): a request whose key matches reads the stored
 * rows; any other recomputes them and stores them in a transaction of its
 * own. */
#ifndef JINZAI_DEMAND_SUMMARY_H
#define JINZAI_DEMAND_SUMMARY_H

#include <stdbool.h>

#include "training.h"

/* The demand computed from the rows (what recommend_demand returns). */
int recommend_demand_compute(Db *db, Arena *a, const SkillMap *m, int nendo, int64_t unit_id, int tier, Demand **out);
/* Turns the stored copy off (tests compare with it on and off). */
void demand_cache_set(bool on);

#endif
