/* assess.h - the yearly assessment cycle: 自己評価, then 上司確認.
 *
 * One assessment per person per 年度. States: 未着手 (no row) → 下書き →
 * 提出済 → 確認済, or 差戻し back to the person, who edits and submits again.
 * Each 年度 keeps its own rows: nothing is overwritten from year to year.
 * Which items a person is assessed on, and at which target, follows their
 * tiers in that 年度, the libraries switched on for those tiers and any extra
 * targets of their unit or its parents. */
#ifndef JINZAI_ASSESS_H
#define JINZAI_ASSESS_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"
#include "skill.h"

typedef enum { AS_NONE, AS_DRAFT, AS_SUBMITTED, AS_RETURNED, AS_CONFIRMED } AssessState;

const char *assess_state_name(AssessState s); /* 未着手 下書き 提出済 差戻し 確認済 */
const char *assess_state_code(AssessState s); /* none draft submitted returned confirmed */
AssessState assess_state_parse(const char *code);

/* ---- targets ---- */

/* Context for resolving many people's targets at once: the unit tree and the
 * extra unit targets of the 年度. The tree is read on first need: unit by
 * unit for the first few lookups (a page about one person), then all at once
 * (the organisation's matrix); a person whose unit's chain holds no extra
 * target needs none. */
typedef struct TargetCtx {
    const SkillMap *m;
    Db *db;
    Arena *a;
    int64_t *unit_ids, *unit_parents; /* sorted by id, once loaded */
    int nunits;
    bool tree_loaded;
    int lookups;                      /* single-unit reads so far */
    int64_t *x_unit, *x_item;         /* extra targets */
    int *x_level;
    int nx;
} TargetCtx;
void assess_target_ctx(Db *db, Arena *a, const SkillMap *m, TargetCtx *c);
/* Fills targets[m->nitems] (-1: not assessed) for someone holding `tiers`
 * (bit 1 << tier) whose primary unit is unit_id. Returns how many items count. */
int assess_targets(TargetCtx *c, unsigned tiers, int64_t unit_id, int *targets);
/* The tiers a person holds in a 年度 on date `on` as a bit set (③ when none). */
unsigned assess_tiers_on(Db *db, int64_t staff_id, int nendo, const char *on);
/* assess_tiers_on on the date a view of the 年度 is taken on (asof_nendo_date). */
unsigned assess_tiers(Db *db, int64_t staff_id, int nendo);
/* iso moved into 年度 nendo: its first day when before, its last when after
 * (asof_nendo_date when iso is NULL or not a date). */
void assess_nendo_clamp(int nendo, const char *iso, char out[11]);

/* "評価基準：令和8年6月1日時点（②DX推進リーダー）の目標" for a recorded
 * basis, "評価基準：現在の目標" when basis_on is NULL. */
const char *assess_basis_text(Arena *a, const char *basis_on, unsigned tiers);

/* ---- period ---- */

typedef struct AssessPeriod {
    int nendo;
    const char *opens_on, *closes_on; /* NULL when not set */
} AssessPeriod;
void assess_period_get(Db *db, Arena *a, int nendo, AssessPeriod *p);
bool assess_period_open(const AssessPeriod *p, const char *today);
/* Both dates must lie inside the 年度, opens_on <= closes_on. */
int assess_period_set(Db *db, const Actor *who, int nendo, const char *opens_on, const char *closes_on, Errors *e);

/* ---- one person's assessment ---- */

typedef struct AssessLine {
    int item;                    /* index into the SkillMap */
    int target;                  /* -1 never here: only items with a target are lines */
    int self, sup;               /* -1 when not given */
    const char *comment, *evidence, *reason;
} AssessLine;

typedef struct Assessment {
    int64_t id, staff_id, unit_id;
    int nendo;
    unsigned tiers;              /* of the basis, or held now */
    const char *basis_on;        /* the date of the recorded basis; NULL: current targets */
    AssessState state;
    const char *submitted_at, *confirmed_at, *return_message, *confirmed_by;
    AssessLine *lines;
    int nlines;
} Assessment;

/* Loads (or, with no row, prepares an empty 未着手) assessment of a person
 * for the 年度, one line per item with a target. A 提出済/確認済 one with a
 * recorded basis has the items and targets of that basis; any other has
 * those of the tiers and unit held on as_of (moved into the 年度). Memory in a. */
void assess_load(Db *db, Arena *a, const SkillMap *m, int64_t staff_id, int nendo, const char *as_of, Assessment *out);
int64_t assess_id_of(Db *db, int64_t staff_id, int nendo);
int64_t assess_staff_of(Db *db, int64_t assessment_id, int *nendo);

typedef struct SelfInput {
    int64_t item_id;
    int level;                   /* -1: not chosen */
    const char *comment, *evidence;
} SelfInput;
/* Saves the person's own levels (下書き), and with submit makes it 提出済.
 * Allowed while 未着手/下書き/差戻し and the period is open on `today`.
 * Submitting records the basis of `today` (tiers, and per item the target)
 * and needs a level for every item of it. One transaction; audited. */
int assess_save_self(Db *db, const Actor *who, const SkillMap *m, int64_t staff_id, int nendo, const char *today,
                     const SelfInput *in, int n, bool submit, Errors *e);

typedef struct SupInput {
    int64_t item_id;
    int level;                   /* -1: keep the person's own level */
    const char *reason;          /* required when level differs from theirs */
} SupInput;
/* 上司確認 of a 提出済 assessment: confirms the levels (adjusted with a
 * reason) against the basis of its submission (taken now when it has none). */
int assess_confirm(Db *db, const Actor *who, int64_t assessment_id, const SupInput *in, int n, Errors *e);
/* Confirms several 提出済 assessments as submitted, in one transaction. */
int assess_confirm_many(Db *db, const Actor *who, const int64_t *ids, int n, Errors *e);
/* 差戻し with a message to the person. */
int assess_return(Db *db, const Actor *who, int64_t assessment_id, const char *message, Errors *e);

/* ---- progress ---- */

typedef struct ProgressRow {
    int64_t staff_id, assessment_id, unit_id;
    const char *staff_no, *name, *unit_name, *submitted_at;
    AssessState state;
    bool visible;                /* may be named to the user (the 所属長 scope rule) */
} ProgressRow;
/* Everyone in service on as_of in unit_id's subtree (0: all), with their
 * state; visible by ASOF_VISIBLE for scope root `scope` on `today`. */
int assess_progress(Db *db, Arena *a, int nendo, const char *as_of, int64_t unit_id, int64_t scope, const char *today, ProgressRow **out);

/* One page of the 上司確認 list: the people of assess_progress whom the user
 * may name (visible), leaving out self_id, in state `state` ("all": any),
 * in the same order; *total counts them all (kept by data version,
 * listcount.h). kp NULL or without keys: the page at offset; else the page
 * after (or before) kp's key, offset unused. kp (when given) gets the
 * page's first and last keys. */
struct ListPage;
int assess_review_page(Db *db, Arena *a, int nendo, const char *as_of, int64_t unit_id, int64_t scope, const char *today,
                       int64_t self_id, const char *state, int limit, int offset, struct ListPage *kp, ProgressRow **out, int *total);

#endif
