/* tier.h - the three tiers: ① 高度専門人材, ② DX推進リーダー, ③ 一般職員.
 *
 * ① and ② are designations per 年度, tied to an org unit, with a subtype
 * (情報部門 / 重要システム担当, 総括リーダー / プロジェクト担当). ③ is everyone
 * active who holds no designation in that 年度. */
#ifndef JINZAI_TIER_H
#define JINZAI_TIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/audit.h"
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
    bool in_force; /* tier_history: in force on the view date of its 年度 */
    /* tier_designate: end the 総括リーダー in force in that 係 on the day
     * before designated_on (asked for when current_id comes back set). */
    bool end_current;
    int64_t current_id;      /* out: the 総括リーダー who stands in the way */
    char current_name[96];   /* out: their name */
} Designation;

/* Validates and inserts d (tier taken from the subtype). The rules:
 *   - designated_on (the first day in force) lies inside 年度 d->nendo;
 *   - the person is in service on designated_on, and a 総括リーダー has that
 *     係 as primary unit on that day;
 *   - one 総括リーダー per 係 at any time: a new one while another is in
 *     force is refused with current_id/current_name set, unless end_current
 *     asks to end the other on the day before (same transaction, audited);
 *   - no second designation of the same person, 区分 and unit overlapping.
 * One transaction; audited. */
int tier_designate(Db *db, const Actor *who, Designation *d, Errors *e);
/* The same inside the caller's transaction (bulk designation, rollover):
 * nothing written and -1 when a rule fails. */
int tier_designate_in(Db *db, const Actor *who, Designation *d, Errors *e);
/* Ends an open designation: `date` is its LAST day in force (inclusive),
 * not before designated_on and inside its 年度 (指名解除). */
int tier_end(Db *db, const Actor *who, int64_t id, const char *date, Errors *e);
/* Every designation of a person, newest 年度 first. */
int tier_history(Db *db, Arena *a, int64_t staff_id, Designation **out);
/* Designations of a 年度 in force on its view date (asof_nendo_date) held
 * by people in service then, in unit_id's subtree (0: all), by unit. */
int tier_list(Db *db, Arena *a, int nendo, int64_t unit_id, Designation **out);
/* A subtype from its code or Japanese name (総括リーダー …); NULL if unknown. */
const char *tier_subtype_parse(const char *s);

/* Bulk designation from CSV (UTF-8 or CP932): columns 職員番号, 区分
 * (総括リーダー/プロジェクト担当/情報部門/重要システム担当 or their codes),
 * 所属コード, 指名日 (optional: the 年度's first day, or today when later),
 * 備考. Every row goes through tier_designate_in in one transaction; one bad
 * row and nothing is written. dry_run: checked the same way, rolled back. */
typedef struct TierImportRow {
    int line;
    const char *staff_no, *name, *subtype, *unit, *on, *error; /* error NULL when fine */
} TierImportRow;
typedef struct TierImport {
    TierImportRow *rows;
    int n, bad;
} TierImport;
int tier_import(Db *db, Arena *a, const Actor *who, const char *data, size_t len, int nendo, bool dry_run, TierImport *out, Errors *e);

/* Designates ds[0..n) in one transaction through tier_designate_in; the
 * first failure rolls everything back (its message says which person). */
int tier_designate_many(Db *db, const Actor *who, Designation *ds, int n, Errors *e);

/* Head counts of a 年度 among staff in service on as_of: counts[1..3]. */
void tier_counts(Db *db, int nendo, const char *as_of, int counts[4]);

#endif
