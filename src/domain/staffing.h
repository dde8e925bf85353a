/* coverage.h - the coverage rules (総括リーダー per 係, experts in the
 * information units, two people per 重要システム) as of a date. */
#ifndef JINZAI_COVERAGE_H
#define JINZAI_COVERAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef enum { COV_MET, COV_RISK, COV_NOT_MET } CovState;
const char *cov_name(CovState s);   /* 充足 / 注意 / 不足 */
const char *cov_symbol(CovState s); /* ○ / △ / ✕ */

typedef struct CoverageRow {
    const char *rule;     /* "leader", "experts", "keysystem" */
    int64_t unit_id, system_id;
    const char *unit_name, *what; /* what: system name or rule wording */
    int have, need;
    CovState state;
    const char *reason;   /* why at risk / not met */
} CoverageRow;
/* Every coverage rule as of a date: each unit that needs a 総括リーダー,
 * each information unit's experts, each key system's qualified staff.
 * At risk: met only by people due for rotation (rotation_years in post). */
int kpi_coverage(Db *db, Arena *a, int nendo, const char *as_of, CoverageRow **out);

#endif
