/* gap.h - gap analysis: targets against self-assessed and confirmed levels,
 * for a person, a unit (係/課/部), a tier and the whole organisation.
 *
 * A level counts once it is submitted: the confirmed level when 上司確認 is
 * done, else the person's own level (marked unconfirmed). スキル到達率 =
 * assessed items at or above target ÷ assessed items. */
#ifndef JINZAI_GAP_H
#define JINZAI_GAP_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/db.h"
#include "assess.h"
#include "skill.h"

typedef struct GapPerson {
    int64_t staff_id, unit_id;
    const char *staff_no, *name, *unit_name;
    int tier;          /* lowest tier number held (1, 2 or 3); of the basis when there is one */
    AssessState state;
    const char *basis_on; /* scored against the basis recorded on this date; NULL: current targets */
    unsigned basis_tiers; /* the tiers of that basis (bit 1 << tier) */
    bool visible;      /* may be named to the user (the 所属長 scope rule) */
} GapPerson;

typedef struct GapMatrix {
    const SkillMap *m;
    GapPerson *people;
    int npeople;
    /* npeople × m->nitems, row-major; -1 where there is nothing */
    int *target, *self, *sup;
    bool *item_used;   /* m->nitems: some person has a target for it */
} GapMatrix;

typedef struct GapFilter {
    int64_t unit_id;   /* 0: everyone; else the unit's subtree */
    int tier;          /* 0: any; else people whose lowest tier is this */
    int64_t staff_id;  /* 0: any; else just this person */
    int64_t scope;     /* scope root of the user (0: everyone may be named) */
    const char *today; /* for the scope rule; NULL: today */
} GapFilter;

/* Loads people in service on as_of matching f, with targets and levels of
 * nendo. Someone whose assessment stood 提出済/確認済 on as_of with a
 * recorded basis is scored against that basis (items, targets, tier);
 * anyone else against the targets of their tiers held on as_of (moved into
 * the 年度). Everyone counts in the totals; `visible` says whom a page may name. */
void gap_matrix(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, const GapFilter *f, GapMatrix *g);
/* The same, always read from the rows. gap_matrix keeps the latest
 * matrices of everyone (any tier filter) in memory by (map, 年度, dates,
 * data version) and, after assessment writes only, re-reads just the people
 * written (gap_cache.c); gap_matrix_cache_set(false) turns that off. */
void gap_matrix_rows(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, const GapFilter *f, GapMatrix *g);
void gap_matrix_cache_set(bool on);
/* How the matrices of everyone were served so far: read whole from the rows,
 * kept as they were, or brought forward over assessment writes. */
typedef struct GapCacheStats {
    long read, kept, brought_forward;
} GapCacheStats;
GapCacheStats gap_matrix_cache_stats(void);

#define GAP_AT(g, arr, p, i) ((g)->arr[(size_t)(p) * (size_t)(g)->m->nitems + (size_t)(i)])
/* The level that counts for person p, item i (-1: none); *confirmed tells which. */
int gap_level(const GapMatrix *g, int p, int i, bool *confirmed);

typedef struct GapRate {
    int met, assessed;
} GapRate;
static inline double gap_pct(GapRate r) { return r.assessed ? 100.0 * r.met / r.assessed : -1; }

GapRate gap_item_rate(const GapMatrix *g, int i);
GapRate gap_person_rate(const GapMatrix *g, int p);
GapRate gap_total_rate(const GapMatrix *g);
/* Attainment of people of tier (0 any) on the items under top-level category ci. */
GapRate gap_category_rate(const GapMatrix *g, int tier, int top_cat);
/* The rates of a matrix by tier (index 0: any tier, 1..3) and top-level
 * category (rate[t][c], c a category index of the map; other indexes stay
 * 0/0), from one pass over its cells: the same numbers as gap_category_rate
 * and gap_total_rate (all[t]). */
typedef struct GapSums {
    GapRate *rate[4];
    GapRate all[4];
} GapSums;
void gap_sums(const GapMatrix *g, Arena *a, GapSums *s);

/* Mean shortfall (target - level, counting only shortfalls) of item i. */
double gap_item_shortfall(const GapMatrix *g, int i);

/* The organisation-wide aggregate of the 全庁 view: everyone in service on
 * as_of, of nendo, scored on map m (loaded without retired items). */
typedef struct GapUnitRate {
    int64_t unit_id;
    int level;
    const char *name;
    int people;        /* in service on as_of and assigned in its subtree */
    GapRate rate;      /* their gap_person_rate summed */
} GapUnitRate;

typedef struct GapOrg {
    int npeople, submitted, confirmed; /* submitted: confirmed included */
    bool *item_used;   /* m->nitems: some person has a target for it */
    GapSums sums;
    GapUnitRate *units; /* 執行機関, 部 and 課 valid on as_of, in tree order */
    int nunits;
} GapOrg;

/* From the rows: gap_matrix of everyone, summed. */
void gap_org_compute(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, GapOrg *o);
/* The same, from the stored summary (schema 036) when it was stored at the
 * current data version; else computed and stored (skipped inside another
 * transaction or when the database is busy: it is only a cache). */
void gap_org(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, GapOrg *o);
/* Turns the stored summary off (tests compare both ways); on by default. */
void gap_cache_set(bool on);

#endif
