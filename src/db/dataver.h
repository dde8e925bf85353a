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
/* The KPI pages' boards (kpi_board.c, coverage.c): the coverage rules, the
 * staff per 部 and tier and the staff per tier read staff, units, posts,
 * designations, key systems and parameters only; the 課 lowest in security
 * training reads completions as well. */
#define DV_READS_COVERAGE 0u
#define DV_READS_STAFF_COUNTS 0u
#define DV_READS_SECURITY (DV_TRAINING)

/* The version of everything (0 before any write). */
int64_t data_version(Db *db);
/* The version of the general counter plus the given areas. */
int64_t data_version_of(Db *db, unsigned areas);
/* Bumps the general counter: 0, or -1 on a database error (the caller rolls back). */
int data_version_bump(Db *db);
/* Bumps the counter of action's area. 0 or -1. staff_id: whose data the
 * write changed (0: unknown), logged for the assess area. */
int data_version_bump_for(Db *db, const char *action, int64_t staff_id);
/* The general counter and the assess counter. */
void data_version_parts(Db *db, int64_t *general, int64_t *assess);
/* The people whose assessments the bumps of the assess counter after from
 * up to to were about (distinct, in a): their count, or -1 when the log
 * does not name them all (too old, unknown person, or more than max bumps). */
int data_version_assess_people(Db *db, Arena *a, int64_t from, int64_t to, int max, int64_t **out);
/* The area of an audited action: one DV_ value, or 0 for the general counter. */
unsigned data_version_area(const char *action);
/* Whether an audited action changes data: reads (".view") do not. */
bool data_version_writes(const char *action);

#endif
