/* nendo.h - the 年度 rollover (年度更新): what carries from one 年度 into the
 * next, and what needs a decision.
 *
 * Used by `jinzai nendo rollover` and the /nendo/rollover screen. A dry run
 * is the same code inside a transaction that is rolled back, so the preview
 * and the apply cannot disagree. */
#ifndef JINZAI_NENDO_H
#define JINZAI_NENDO_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

/* A designation or key-system duty that does not carry, and why. */
typedef struct RolloverLeft {
    int64_t staff_id, unit_id;
    const char *staff_no, *name, *unit_name, *what, *reason;
} RolloverLeft;

typedef struct RolloverCandidate {
    int64_t staff_id;
    const char *staff_no, *name, *post;
    bool was_leader; /* held a ② designation in the previous 年度 */
} RolloverCandidate;

/* A 係 that had a 総括リーダー at the end of `from` and has none on to-04-01. */
typedef struct RolloverGap {
    int64_t unit_id;
    const char *unit_name;
    int ncand;
    RolloverCandidate cand[5];
} RolloverGap;

typedef struct RolloverReport {
    int from, to;
    bool dry_run;
    int existing;      /* designations of `to` there before the rollover */
    int carried[4];    /* designations carried per tier_subtypes index */
    int skill_targets, unit_targets, kpi_targets, kpi_params, plans, periods;
    bool had_targets, had_unit_targets, had_kpi_targets, had_kpi_params, had_plans, had_period;
    RolloverLeft *left; /* designations not carried */
    int nleft;
    RolloverLeft *duties; /* key-system duties whose holder leaves */
    int nduties;
    RolloverGap *gaps;
    int ngaps;
} RolloverReport;

#define NENDO_DRY_RUN 1u
#define NENDO_SET_CURRENT 2u /* also make `to` the current 年度 */

/* Copies 年度 from into to (to = from + 1 usually; report in arena a). One
 * transaction: committed, or rolled back under NENDO_DRY_RUN or on error. */
int nendo_rollover(Db *db, Arena *a, const Actor *who, int from, int to, unsigned flags, RolloverReport *r, Errors *e);

/* Total designations carried. */
int rollover_carried(const RolloverReport *r);

#endif
