/* kpi_board.c - the organisation-wide tables of the KPI pages besides the
 * KPIs and coverage: the 課 lowest in security training and the staff per
 * 部 and tier; see kpi.h. Kept in the summary like the KPI values. */
#include <string.h>

#include "../db/dataver.h"
#include "../core/flight.h"
#include "../core/util.h"
#include "kpi.h"
#include "kpi_summary.h"
#include "org.h"
#include "staff.h"
#include "tier.h"
#include "unitidx.h"

static double rate(int num, int den) { return den ? 100.0 * num / den : -1; }

static int security_compute(Db *db, Arena *a, int nendo, const char *as_of, KpiUnitCount **out)
{
    KpiPerson *ps;
    int n = kpi_people(db, a, "SEC_TRAINING", nendo, as_of, &ps);
    UnitTree t;
    org_tree(db, a, as_of, nendo, &t);
    UnitIndex ix;
    unitidx_build(a, &t, &ix);
    int *met = arena_zalloc(a, sizeof(int) * (size_t)(t.n + 1)), *all = arena_zalloc(a, sizeof(int) * (size_t)(t.n + 1));
    for (int i = 0; i < n; i++) {
        UnitNode *u = unitidx_find(&ix, ps[i].unit_id);
        while (u && u->u.level > LEVEL_KA) u = u->parent;
        if (!u) continue;
        all[u - t.nodes]++;
        met[u - t.nodes] += ps[i].met;
    }
    KpiUnitCount *rows = arena_zalloc(a, sizeof *rows * 10);
    int m = 0;
    for (; m < 10; m++) { /* the lowest rate not yet taken */
        int best = -1;
        for (int j = 0; j < t.n; j++)
            if (all[j] > 0 && (best < 0 || rate(met[j], all[j]) < rate(met[best], all[best]))) best = j;
        if (best < 0) break;
        rows[m] = (KpiUnitCount){t.nodes[best].u.id, t.nodes[best].u.name, {met[best], all[best], 0, 0}};
        all[best] = -all[best]; /* taken */
    }
    *out = rows;
    return m;
}

static int by_bu_compute(Db *db, Arena *a, int nendo, const char *as_of, KpiUnitCount **out)
{
    UnitTree t;
    org_tree(db, a, as_of, nendo, &t);
    UnitIndex ix;
    unitidx_build(a, &t, &ix);
    int *c = arena_zalloc(a, sizeof(int) * 4 * (size_t)(t.n + 1));
    StaffFilter sf = {.active = 1, .as_of = as_of, .nendo = nendo};
    Staff *s;
    int total, n = staff_search(db, a, &sf, &s, &total);
    for (int i = 0; i < n; i++) {
        UnitNode *u = unitidx_find(&ix, s[i].unit_id);
        while (u && u->parent && u->u.level > LEVEL_BU) u = u->parent;
        if (!u || s[i].tier < 1 || s[i].tier > 3) continue;
        c[4 * (u - t.nodes) + s[i].tier]++;
    }
    KpiUnitCount *rows = arena_zalloc(a, sizeof *rows * (size_t)(t.n + 1));
    int k = 0;
    for (int j = 0; j < t.n; j++) {
        const int *x = &c[4 * j];
        if (!x[1] && !x[2] && !x[3]) continue;
        const UnitNode *u = &t.nodes[j];
        rows[k++] = (KpiUnitCount){u->u.id, arena_printf(a, "%s%s%s", u->parent ? u->parent->u.name : "", u->parent ? " " : "", u->u.name),
                                   {0, x[1], x[2], x[3]}};
    }
    *out = rows;
    return k;
}

typedef int (*BoardFn)(Db *, Arena *, int, const char *, KpiUnitCount **);

/* areas: the data areas the board reads (dataver.h), its key. */
static int board(Db *db, Arena *a, int nendo, const char *as_of, const char *name, unsigned areas, BoardFn compute, KpiUnitCount **out)
{
    if (!as_of) as_of = kpi_default_as_of(a, nendo);
    bool cache = kpi_cache_on();
    int64_t version = cache ? data_version_of(db, areas) : 0;
    KpiBoardRow *b;
    int n = cache ? kpi_board_read(db, a, nendo, as_of, name, version, &b) : -1;
    /* One rebuild at a time: others wait for it and read what it stored
     * (inside a transaction nothing is stored, so nobody waits there). */
    const char *key = arena_printf(a, "board/%s/%d/%s/%lld", name, nendo, as_of, (long long)version);
    bool wait = n < 0 && cache && !db_in_tx(db), lead = wait && flight_begin(key);
    if (wait && !lead) n = kpi_board_read(db, a, nendo, as_of, name, version, &b);
    if (n >= 0) {
        KpiUnitCount *rows = arena_zalloc(a, sizeof *rows * (size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            rows[i] = (KpiUnitCount){b[i].unit_id, b[i].name, {0, 0, 0, 0}};
            memcpy(rows[i].n, b[i].n, sizeof rows[i].n);
        }
        *out = rows;
        return n;
    }
    KpiUnitCount *rows;
    n = compute(db, a, nendo, as_of, &rows);
    if (cache) {
        b = arena_zalloc(a, sizeof *b * (size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            b[i] = (KpiBoardRow){"", rows[i].name, "", "", rows[i].unit_id, 0, {0, 0, 0, 0}};
            memcpy(b[i].n, rows[i].n, sizeof b[i].n);
        }
        kpi_board_store(db, nendo, as_of, name, version, b, n);
    }
    if (lead) flight_end(key);
    *out = rows;
    return n;
}

int kpi_security_lowest(Db *db, Arena *a, int nendo, const char *as_of, KpiUnitCount **out)
{
    return board(db, a, nendo, as_of, "security", DV_READS_SECURITY, security_compute, out);
}

int kpi_staff_by_bu(Db *db, Arena *a, int nendo, const char *as_of, KpiUnitCount **out)
{
    return board(db, a, nendo, as_of, "bybu", DV_READS_STAFF_COUNTS, by_bu_compute, out);
}

static int tiers_compute(Db *db, Arena *a, int nendo, const char *as_of, KpiUnitCount **out)
{
    KpiUnitCount *row = arena_zalloc(a, sizeof *row);
    row->name = "";
    tier_counts(db, nendo, as_of, row->n);
    *out = row;
    return 1;
}

void kpi_tier_counts(Db *db, Arena *a, int nendo, const char *as_of, int counts[4])
{
    KpiUnitCount *row;
    if (board(db, a, nendo, as_of, "tiers", DV_READS_STAFF_COUNTS, tiers_compute, &row) == 1) memcpy(counts, row->n, sizeof row->n);
    else tier_counts(db, nendo, as_of, counts);
}
