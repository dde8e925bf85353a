/* dataver.h - the data version: counters that every audited write bumps in
 * its own transaction, so a summary computed at version V is still right
 * exactly while the version is V (see docs/performance.md).
 *
 * A write bumps the counter of its area (data_version_area); every write of
 * no named area bumps the general counter. A summary reads
 * data_version_of(the areas it reads): the general counter plus those areas'
 * counters. Each only grows, so that sum grows with every write that can
 * change the summary and with no other. Naming an area a summary reads too
 * few is a correctness bug: the summary tests write in every area. */
#ifndef JINZAI_DATAVER_H
#define JINZAI_DATAVER_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/db.h"

enum {
    DV_ASSESS = 1,   /* self assessments, confirmations, returns */
    DV_TRAINING = 2, /* applications, completions, quiz and module results, share-backs */
    DV_ACTIVITY = 4, /* signing in and out, reading a notice, starting a quiz */
    DV_ALL = 7
};

/* The areas each organisation-wide summary reads besides the general one
 * (staff, org, tiers, skill map, courses, KPI definitions and targets). */
#define DV_READS_GAP (DV_ASSESS)
#define DV_READS_KPI (DV_ASSESS | DV_TRAINING)
#define DV_READS_DEMAND (DV_ASSESS | DV_TRAINING)

/* The version of everything (0 before any write). */
int64_t data_version(Db *db);
/* The version of the general counter plus the given areas. */
int64_t data_version_of(Db *db, unsigned areas);
/* Bumps the general counter: 0, or -1 on a database error (the caller rolls back). */
int data_version_bump(Db *db);
/* Bumps the counter of action's area. 0 or -1. */
int data_version_bump_for(Db *db, const char *action);
/* The area of an audited action: one DV_ value, or 0 for the general counter. */
unsigned data_version_area(const char *action);
/* Whether an audited action changes data: reads (".view") do not. */
bool data_version_writes(const char *action);

#endif
