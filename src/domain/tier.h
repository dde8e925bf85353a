/* tier.h - the three tiers: ① 高度専門人材, ② DX推進リーダー, ③ 一般職員.
 *
 * ① and ② are designations per 年度, tied to an org unit, with a subtype
 * (情報部門 / 重要システム担当, 総括リーダー / プロジェクト担当). ③ is everyone
 * active who holds no designation in that 年度. */
#ifndef JINZAI_TIER_H
#define JINZAI_TIER_H

#include <stdint.h>

#include "../auth/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef struct TierSubtype {
    const char *code, *name;
    int tier;
} TierSubtype;
extern const TierSubtype tier_subtypes[4];

const char *tier_name(int tier);                 /* "①高度専門人材" … */
const char *tier_short(int tier);                /* "①高度" "②リーダー" "③一般" */
const char *tier_subtype_name(const char *code); /* "総括リーダー" … ; "" when unknown */
int tier_of_subtype(const char *code);           /* 1, 2 or 0 */

typedef struct Designation {
    int64_t id, staff_id, unit_id;
    int nendo, tier;
    const char *subtype, *designated_by, *designated_on, *note, *ended_on;
    const char *unit_name, *staff_name, *staff_no; /* filled by the list functions */
} Designation;

/* Validates and inserts d (tier taken from the subtype). Refuses an inactive
 * person, a unit not valid in that 年度, and a duplicate open designation.
 * One transaction; audited. */
int tier_designate(Db *db, const Actor *who, Designation *d, Errors *e);
/* Ends a designation on `date` (指名解除). */
int tier_end(Db *db, const Actor *who, int64_t id, const char *date, Errors *e);
/* Every designation of a person, newest 年度 first. */
int tier_history(Db *db, Arena *a, int64_t staff_id, Designation **out);
/* Open designations of a 年度 in unit_id's subtree (0: all), by unit. */
int tier_list(Db *db, Arena *a, int nendo, int64_t unit_id, Designation **out);

/* Head counts of a 年度 among active staff: counts[1..3]. */
void tier_counts(Db *db, int nendo, const char *as_of, int counts[4]);

#endif
