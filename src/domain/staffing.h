/* staffing.h - the staffing rules (配置の充足: a 総括リーダー per 係,
 * experts in the information units, two people per 重要システム) as of a
 * date: whether each unit and key system is staffed as the policy asks. */
#ifndef JINZAI_STAFFING_H
#define JINZAI_STAFFING_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef enum { STAFFING_MET, STAFFING_RISK, STAFFING_NOT_MET } StaffingState;
const char *staffing_state_name(StaffingState s);   /* 充足 / 注意 / 不足 */
const char *staffing_state_symbol(StaffingState s); /* ○ / △ / ✕ */

typedef struct StaffingRow {
    const char *rule;     /* "leader", "experts", "keysystem" */
    int64_t unit_id, system_id;
    const char *unit_name, *what; /* what: system name or rule wording */
    int have, need;
    StaffingState state;
    const char *reason;   /* why at risk / not met */
} StaffingRow;
/* Every staffing rule as of a date: each unit that needs a 総括リーダー,
 * each information unit's experts, each key system's qualified staff.
 * At risk: met only by people due for rotation (rotation_years in post). */
int staffing_coverage(Db *db, Arena *a, int nendo, const char *as_of, StaffingRow **out);

#endif
