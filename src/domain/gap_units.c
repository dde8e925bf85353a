/* gap_units.c - see gap_units.h. */
#include "gap_units.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../db/dataver.h"
#include "../core/util.h"
#include "asof.h"

/* A unit of the subtree and the row it counts in (-1: none yet). */
typedef struct UnitRow {
    int64_t id, parent;
    int row;
} UnitRow;

static int unit_cmp(const void *x, const void *y)
{
    int64_t a = ((const UnitRow *)x)->id, b = ((const UnitRow *)y)->id;
    return a < b ? -1 : a > b;
}

static UnitRow *unit_find(UnitRow *u, int n, int64_t id)
{
    UnitRow key = {.id = id};
    return id ? bsearch(&key, u, (size_t)n, sizeof *u, unit_cmp) : NULL;
}

/* The row of unit id: the row of the child of root above it (the units are
 * few, the walk up short; each unit's answer is kept). */
static int row_of(UnitRow *u, int n, int64_t root, int64_t id, int self_row)
{
    if (id == root) return self_row;
    UnitRow *x = unit_find(u, n, id);
    if (!x) return self_row; /* not in the subtree on as_of: counted with the unit itself */
    if (x->row < 0) x->row = x->parent == root ? self_row : row_of(u, n, root, x->parent, self_row);
    return x->row;
}

void gap_unit_view_compute(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, int64_t unit_id, int tier, GapUnitView *out)
{
    GapMatrix g;
    GapFilter f = {.unit_id = unit_id, .tier = tier};
    gap_matrix(db, a, m, nendo, as_of, &f, &g);
    int ni = m->nitems;
    *out = (GapUnitView){.npeople = g.npeople};
    out->item_used = arena_zalloc(a, sizeof(bool) * (size_t)(ni + 1));
    memcpy(out->item_used, g.item_used, sizeof(bool) * (size_t)ni);
    out->item = arena_zalloc(a, sizeof(GapRate) * (size_t)(ni + 1));
    out->shortfall = arena_zalloc(a, sizeof(double) * (size_t)(ni + 1));
    for (int i = 0; i < ni; i++) {
        out->item[i] = gap_item_rate(&g, i);
        out->shortfall[i] = gap_item_shortfall(&g, i);
    }
    /* The rows: the child units valid on as_of, then the unit itself. */
    Stmt *st = db_query(db,
                        "SELECT id, name, level FROM org_unit WHERE parent_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)"
                        " ORDER BY sort_order, code",
                        unit_id, as_of, as_of);
    GapUnitRow *rows = NULL;
    int nrows = 0, cap = 0;
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, rows, nrows, cap);
        rows[nrows++] = (GapUnitRow){.unit_id = db_col_int(st, 0), .name = db_col_dup(st, 1, a), .level = (int)db_col_int(st, 2)};
    }
    db_done(st);
    ARENA_GROW(a, rows, nrows, cap);
    rows[nrows++] = (GapUnitRow){.unit_id = 0, .name = "", .level = 0};
    int self_row = nrows - 1;
    /* Every unit of the subtree with its parent; the children are the rows. */
    UnitRow *units = NULL;
    int nunits = 0, ucap = 0;
    st = db_query(db, "SELECT o.id, o.parent_id FROM org_unit o WHERE o.id IN (" ASOF_SUBTREE ")", unit_id);
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, units, nunits, ucap);
        units[nunits++] = (UnitRow){db_col_int(st, 0), db_col_int(st, 1), -1};
    }
    db_done(st);
    if (units && nunits) qsort(units, (size_t)nunits, sizeof *units, unit_cmp);
    for (int k = 0; k < self_row; k++) {
        UnitRow *x = unit_find(units, nunits, rows[k].unit_id);
        if (x) x->row = k;
    }
    for (int k = 0; k < nrows; k++) rows[k].item = arena_zalloc(a, sizeof(GapRate) * (size_t)(ni + 1));
    for (int p = 0; p < g.npeople; p++) {
        GapUnitRow *row = &rows[row_of(units, nunits, unit_id, g.people[p].unit_id, self_row)];
        row->people++;
        for (int i = 0; i < ni; i++) {
            int t = GAP_AT(&g, target, p, i), l = gap_level(&g, p, i, NULL);
            if (t < 0 || l < 0) continue;
            row->item[i].assessed++;
            row->item[i].met += l >= t;
        }
    }
    /* Rows with nobody are left out. */
    int kept = 0;
    for (int k = 0; k < nrows; k++)
        if (rows[k].people) rows[kept++] = rows[k];
    out->rows = rows;
    out->nrows = kept;
}

/* ---- kept by data version ---- */

#define SLOTS 16

typedef struct Slot {
    bool used;
    int64_t version, unit_id;
    int nendo, tier, nitems;
    char as_of[11];
    Arena a;
    GapUnitView v;
} Slot;

static Slot slots[SLOTS];
static int next_slot;
static bool cache_on = true;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void copy_view(Arena *a, const GapUnitView *src, int ni, GapUnitView *dst)
{
    *dst = *src;
    dst->item_used = arena_alloc(a, sizeof(bool) * (size_t)(ni + 1));
    memcpy(dst->item_used, src->item_used, sizeof(bool) * (size_t)(ni + 1));
    dst->item = arena_alloc(a, sizeof(GapRate) * (size_t)(ni + 1));
    memcpy(dst->item, src->item, sizeof(GapRate) * (size_t)(ni + 1));
    dst->shortfall = arena_alloc(a, sizeof(double) * (size_t)(ni + 1));
    memcpy(dst->shortfall, src->shortfall, sizeof(double) * (size_t)(ni + 1));
    dst->rows = arena_alloc(a, sizeof(GapUnitRow) * (size_t)(src->nrows + 1));
    for (int k = 0; k < src->nrows; k++) {
        dst->rows[k] = src->rows[k];
        dst->rows[k].name = arena_strdup(a, src->rows[k].name);
        dst->rows[k].item = arena_alloc(a, sizeof(GapRate) * (size_t)(ni + 1));
        memcpy(dst->rows[k].item, src->rows[k].item, sizeof(GapRate) * (size_t)(ni + 1));
    }
}

static bool slot_is(const Slot *s, int64_t version, int64_t unit_id, int nendo, int tier, int ni, const char *as_of)
{
    return s->used && s->version == version && s->unit_id == unit_id && s->nendo == nendo && s->tier == tier && s->nitems == ni &&
           !strcmp(s->as_of, as_of);
}

void gap_unit_view(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, int64_t unit_id, int tier, GapUnitView *out)
{
    int ni = m->nitems;
    int64_t version = data_version(db); /* before the rows: a view never carries a newer version than it saw */
    bool hit = false;
    pthread_mutex_lock(&lock);
    for (int k = 0; cache_on && k < SLOTS && !hit; k++)
        if (slot_is(&slots[k], version, unit_id, nendo, tier, ni, as_of)) {
            copy_view(a, &slots[k].v, ni, out);
            hit = true;
        }
    pthread_mutex_unlock(&lock);
    if (hit) return;
    gap_unit_view_compute(db, a, m, nendo, as_of, unit_id, tier, out);
    if (strlen(as_of) >= sizeof slots[0].as_of) return;
    pthread_mutex_lock(&lock);
    if (cache_on) {
        Slot *s = &slots[next_slot];
        next_slot = (next_slot + 1) % SLOTS;
        arena_free(&s->a);
        *s = (Slot){.used = true, .version = version, .unit_id = unit_id, .nendo = nendo, .tier = tier, .nitems = ni, .a = ARENA_INIT};
        memcpy(s->as_of, as_of, strlen(as_of) + 1);
        copy_view(&s->a, out, ni, &s->v);
    }
    pthread_mutex_unlock(&lock);
}

void gap_unit_cache_set(bool on)
{
    pthread_mutex_lock(&lock);
    cache_on = on;
    for (int k = 0; k < SLOTS; k++) {
        arena_free(&slots[k].a);
        slots[k] = (Slot){.a = ARENA_INIT};
    }
    next_slot = 0;
    pthread_mutex_unlock(&lock);
}
