/* gap_units.h - the heat map of a large subtree by unit: attainment per
 * child unit × item. A 部 or a 執行機関 of a large organisation has
 * thousands of people, and a people × items table of them is neither
 * readable nor cheap; its heat map shows one row per child unit (and one for
 * the people assigned to the unit itself), each linking down. The numbers
 * are the sums of gap.h's per-person counts (met / assessed), so a unit row
 * equals the total of the people rows of that unit's own page. */
#ifndef JINZAI_GAP_UNITS_H
#define JINZAI_GAP_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/db.h"
#include "gap.h"

typedef struct GapUnitRow {
    int64_t unit_id;   /* the child unit; 0: people assigned to the unit itself */
    const char *name;
    int level;         /* of the child unit (0 for the unit itself) */
    int people;
    GapRate *item;     /* m->nitems */
} GapUnitRow;

typedef struct GapUnitView {
    int npeople;
    bool *item_used;   /* m->nitems: some person has a target for it */
    GapRate *item;     /* m->nitems: the whole subtree */
    double *shortfall; /* m->nitems: gap_item_shortfall of the whole subtree */
    GapUnitRow *rows;  /* child units valid on as_of in display order, then the unit itself when it has people; rows with nobody left out */
    int nrows;
} GapUnitView;

/* The view of unit_id's subtree: people in service on as_of whose lowest
 * tier is tier (0: any), of nendo, scored on m (gap_matrix's rules). Kept in
 * memory by data version (db/dataver.h) with every input in the key: it is
 * computed from the rows once per version, not per request. All memory in a. */
void gap_unit_view(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, int64_t unit_id, int tier, GapUnitView *out);
/* The same, always from the rows (tests compare both). */
void gap_unit_view_compute(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, int64_t unit_id, int tier, GapUnitView *out);
/* Turns the kept copies off (and empties them) or on (the default). */
void gap_unit_cache_set(bool on);

#endif
