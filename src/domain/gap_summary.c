/* gap_summary.c - the organisation-wide gap aggregate (gap.h, GapOrg) and
 * its stored copy (schema 036). The stored copy is a cache of values that can
 * be recomputed from the data at any time, not a record: storing it writes no
 * audit row and does not bump the data version. */
#include "gap.h"

#include <stdlib.h>
#include <string.h>

#include "../db/dataver.h"
#include "../core/flight.h"
#include "org.h"

static bool cache_on = true;
void gap_cache_set(bool on) { cache_on = on; }

/* A unit's place in the list of units (by id), for the walk up. */
typedef struct UnitPos {
    int64_t id;
    int k;
} UnitPos;

static int pos_cmp(const void *x, const void *y)
{
    int64_t a = ((const UnitPos *)x)->id, b = ((const UnitPos *)y)->id;
    return a < b ? -1 : a > b;
}

static int pos_of(const UnitPos *ix, int n, int64_t id)
{
    UnitPos key = {id, 0};
    const UnitPos *hit = id ? bsearch(&key, ix, (size_t)n, sizeof *ix, pos_cmp) : NULL;
    return hit ? hit->k : -1;
}

/* The unit table of o: each person's attainment added to their unit and
 * every unit above it; then the 執行機関, 部 and 課 whose parents are shown
 * (nothing under a 係), in tree order. */
static void unit_rows(Db *db, Arena *a, const GapMatrix *g, const char *as_of, GapOrg *o)
{
    Unit *u;
    int n = org_options(db, a, as_of, 0, &u); /* tree order, parents first */
    UnitPos *ix = arena_alloc(a, sizeof *ix * (size_t)(n + 1));
    for (int k = 0; k < n; k++) ix[k] = (UnitPos){u[k].id, k};
    qsort(ix, (size_t)n, sizeof *ix, pos_cmp);
    GapUnitRate *all = arena_zalloc(a, sizeof *all * (size_t)(n + 1));
    for (int p = 0; p < g->npeople; p++) {
        GapRate x = gap_person_rate(g, p);
        for (int k = pos_of(ix, n, g->people[p].unit_id); k >= 0; k = pos_of(ix, n, u[k].parent_id)) {
            all[k].rate.met += x.met;
            all[k].rate.assessed += x.assessed;
            all[k].people++;
        }
    }
    bool *shown = arena_zalloc(a, sizeof *shown * (size_t)(n + 1));
    o->units = arena_alloc(a, sizeof *o->units * (size_t)(n + 1));
    for (int k = 0; k < n; k++) {
        int p = pos_of(ix, n, u[k].parent_id);
        shown[k] = u[k].level >= LEVEL_KIKAN && u[k].level <= LEVEL_KA && (p < 0 || shown[p]);
        if (shown[k]) o->units[o->nunits++] = (GapUnitRate){u[k].id, u[k].level, u[k].name, all[k].people, all[k].rate};
    }
}

static void org_alloc(Arena *a, const SkillMap *m, GapOrg *o)
{
    memset(o, 0, sizeof *o);
    o->item_used = arena_zalloc(a, sizeof(bool) * (size_t)(m->nitems + 1));
    for (int t = 0; t < 4; t++) o->sums.rate[t] = arena_zalloc(a, sizeof(GapRate) * (size_t)(m->ncats + 1));
}

void gap_org_compute(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, GapOrg *o)
{
    GapMatrix g;
    GapFilter f = {0};
    gap_matrix(db, a, m, nendo, as_of, &f, &g);
    org_alloc(a, m, o);
    o->npeople = g.npeople;
    for (int p = 0; p < g.npeople; p++) {
        o->submitted += g.people[p].state == AS_SUBMITTED || g.people[p].state == AS_CONFIRMED;
        o->confirmed += g.people[p].state == AS_CONFIRMED;
    }
    memcpy(o->item_used, g.item_used, sizeof(bool) * (size_t)m->nitems);
    gap_sums(&g, a, &o->sums);
    unit_rows(db, a, &g, as_of, o);
}

static int cat_index(const SkillMap *m, int64_t id)
{
    for (int c = 0; c < m->ncats; c++)
        if (m->cats[c].id == id) return c;
    return -1;
}

/* The stored aggregate at version: true when found whole. */
static bool org_read(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, int64_t version, GapOrg *o)
{
    org_alloc(a, m, o);
    int cap = 256;
    o->units = arena_alloc(a, sizeof *o->units * (size_t)cap);
    bool head = false, ok = true;
    Stmt *st = db_query(db,
                        "SELECT kind, k1, k2, a, b, c, d, name FROM gap_summary WHERE map_nendo = ? AND nendo = ? AND as_of = ? AND version = ?"
                        " ORDER BY kind, k1, k2",
                        m->nendo, nendo, as_of, version);
    while (ok && db_step(st) == DB_ROW) {
        const char *kind = db_col_text(st, 0);
        int64_t k1 = db_col_int(st, 1), k2 = db_col_int(st, 2);
        int x = (int)db_col_int(st, 3), y = (int)db_col_int(st, 4), z = (int)db_col_int(st, 5);
        switch (kind ? kind[0] : 0) {
        case 'n':
            head = true;
            o->npeople = x, o->submitted = y, o->confirmed = z;
            break;
        case 'i': {
            int i = skill_item_index(m, k1);
            if (i < 0) ok = false;
            else o->item_used[i] = true;
            break;
        }
        case 's': {
            int c = k2 ? cat_index(m, k2) : -1;
            if (k1 < 0 || k1 > 3 || (k2 && c < 0)) ok = false;
            else if (k2) o->sums.rate[k1][c] = (GapRate){x, y};
            else o->sums.all[k1] = (GapRate){x, y};
            break;
        }
        case 'u':
            if (o->nunits == cap) {
                GapUnitRate *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
                memcpy(more, o->units, sizeof *more * (size_t)cap);
                o->units = more;
                cap *= 2;
            }
            if (k1 != o->nunits) ok = false; /* a row missing: replaced meanwhile */
            else o->units[o->nunits++] = (GapUnitRate){k2, (int)db_col_int(st, 6), db_col_dup(st, 7, a), x, {y, z}};
            break;
        default: ok = false;
        }
    }
    db_done(st);
    return ok && head;
}

static void org_store(Db *db, const SkillMap *m, int nendo, const char *as_of, int64_t version, const GapOrg *o)
{
    if (db_begin(db) != 0) return;
    static const char ins[] = "INSERT INTO gap_summary (map_nendo, nendo, as_of, version, kind, k1, k2, a, b, c) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static const char ins_unit[] = "INSERT INTO gap_summary (map_nendo, nendo, as_of, version, kind, k1, k2, a, b, c, d, name)"
                                   " VALUES (?, ?, ?, ?, 'u', ?, ?, ?, ?, ?, ?, ?)";
    bool ok = db_exec(db, "DELETE FROM gap_summary WHERE version <> ? OR (map_nendo = ? AND nendo = ? AND as_of = ?)", version, m->nendo, nendo,
                      as_of) >= 0 &&
              db_exec(db, ins, m->nendo, nendo, as_of, version, "n", 0, 0, o->npeople, o->submitted, o->confirmed) == 1;
    for (int i = 0; i < m->nitems && ok; i++)
        if (o->item_used[i]) ok = db_exec(db, ins, m->nendo, nendo, as_of, version, "i", m->items[i].id, 0, 0, 0, 0) == 1;
    for (int t = 0; t < 4 && ok; t++) {
        if (o->sums.all[t].assessed)
            ok = db_exec(db, ins, m->nendo, nendo, as_of, version, "s", t, 0, o->sums.all[t].met, o->sums.all[t].assessed, 0) == 1;
        for (int c = 0; c < m->ncats && ok; c++)
            if (o->sums.rate[t][c].assessed)
                ok = db_exec(db, ins, m->nendo, nendo, as_of, version, "s", t, m->cats[c].id, o->sums.rate[t][c].met,
                             o->sums.rate[t][c].assessed, 0) == 1;
    }
    for (int k = 0; k < o->nunits && ok; k++)
        ok = db_exec(db, ins_unit, m->nendo, nendo, as_of, version, k, o->units[k].unit_id, o->units[k].people, o->units[k].rate.met,
                     o->units[k].rate.assessed, o->units[k].level, o->units[k].name ? o->units[k].name : "") == 1;
    if (!ok || db_commit(db) != 0) db_rollback(db);
}

void gap_org(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, GapOrg *o)
{
    if (!cache_on) {
        gap_org_compute(db, a, m, nendo, as_of, o);
        return;
    }
    /* The version is read before the rows: a write meanwhile leaves what is
     * stored labelled with the older version, which no later reader asks for. */
    int64_t version = data_version_of(db, DV_READS_GAP);
    if (org_read(db, a, m, nendo, as_of, version, o)) return;
    /* One rebuild at a time: others wait for it and read what it stored
     * (inside a transaction nothing is stored, so nobody waits there). */
    const char *key = arena_printf(a, "gap/%d/%d/%s/%lld", m->nendo, nendo, as_of, (long long)version);
    bool in_tx = db_in_tx(db), lead = in_tx || flight_begin(key);
    if (!lead && org_read(db, a, m, nendo, as_of, version, o)) return;
    gap_org_compute(db, a, m, nendo, as_of, o);
    org_store(db, m, nendo, as_of, version, o);
    if (lead && !in_tx) flight_end(key);
}
