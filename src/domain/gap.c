/* gap.c - see gap.h. */
#include "gap.h"
#include "asof.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

typedef struct PersonIdx {
    int64_t staff_id;
    int p;
} PersonIdx;

static int idx_cmp(const void *x, const void *y)
{
    int64_t a = ((const PersonIdx *)x)->staff_id, b = ((const PersonIdx *)y)->staff_id;
    return a < b ? -1 : a > b;
}

/* The row of staff_id in g (binary search of the sorted index), or -1. */
static int person_of(const PersonIdx *idx, int n, int64_t staff_id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (idx[mid].staff_id == staff_id) return idx[mid].p;
        if (idx[mid].staff_id < staff_id) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

static int lowest_tier(unsigned tiers)
{
    for (int t = 1; t <= 3; t++)
        if (tiers & (1u << t)) return t;
    return 3;
}

void gap_matrix(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, const GapFilter *f, GapMatrix *g)
{
    memset(g, 0, sizeof *g);
    g->m = m;
    /* Designations count as held on as_of moved into the 年度. */
    char on[11], today[11];
    assess_nendo_clamp(nendo, as_of, on);
    if (f->today) snprintf(today, sizeof today, "%s", f->today);
    else now_date(today);
    static const char *people_sql =
        "SELECT s.id, a.unit_id, s.staff_no, s.name, CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END,"
        " " ASOF_TIER_OF("s.id") " AS t,"
        /* The state as it stood on as_of, from the submission and confirmation times. */
        " CASE WHEN x.id IS NULL THEN 'none' WHEN x.confirmed_at IS NOT NULL AND x.confirmed_at <= ? THEN 'confirmed'"
        "  WHEN x.state IN ('submitted', 'confirmed') AND x.submitted_at <= ? THEN 'submitted'"
        "  WHEN x.state IN ('submitted', 'confirmed') THEN 'draft' ELSE x.state END,"
        " x.basis_tiers, x.basis_on, CASE WHEN " ASOF_VISIBLE("s.id") " THEN 1 ELSE 0 END"
        " FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
        " JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id"
        " LEFT JOIN assessment x ON x.staff_id = s.id AND x.nendo = ?"
        " WHERE (? = 0 OR s.id = ?)"
        " AND (? = 0 OR a.unit_id IN (" ASOF_SUBTREE "))"
        " ORDER BY u.code, s.staff_no";
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff");
    g->people = arena_alloc(a, sizeof *g->people * (size_t)(cap + 1));
    const char *as_of_end = arena_printf(a, "%sT99", as_of);
    Stmt *st = db_query(db, people_sql, nendo, on, on, as_of_end, as_of_end, f->scope, today, today, f->scope, as_of,
                        as_of, nendo, f->staff_id, f->staff_id, f->unit_id, f->unit_id);
    while (g->npeople < cap && db_step(st) == DB_ROW) {
        int tier = (int)db_col_int(st, 5);
        AssessState state = assess_state_parse(db_col_text(st, 6));
        /* Judged against its basis once it stood submitted or confirmed. */
        bool snap = (state == AS_SUBMITTED || state == AS_CONFIRMED) && !db_col_null(st, 8);
        unsigned basis_tiers = snap && !db_col_null(st, 7) ? (unsigned)db_col_int(st, 7) : 0;
        if (snap) tier = lowest_tier(basis_tiers);
        if (f->tier && tier != f->tier) continue;
        GapPerson *p = &g->people[g->npeople++];
        p->staff_id = db_col_int(st, 0);
        p->unit_id = db_col_int(st, 1);
        p->staff_no = db_col_dup(st, 2, a);
        p->name = db_col_dup(st, 3, a);
        p->unit_name = db_col_dup(st, 4, a);
        p->tier = tier;
        p->state = state;
        p->basis_on = snap ? db_col_dup(st, 8, a) : NULL;
        p->basis_tiers = basis_tiers ? basis_tiers : (snap ? 1u << 3 : 0);
        p->visible = db_col_int(st, 9) != 0;
    }
    db_done(st);

    size_t cells = (size_t)g->npeople * (size_t)m->nitems + 1;
    g->target = arena_alloc(a, sizeof(int) * cells);
    g->self = arena_alloc(a, sizeof(int) * cells);
    g->sup = arena_alloc(a, sizeof(int) * cells);
    g->item_used = arena_zalloc(a, sizeof(bool) * (size_t)(m->nitems + 1));
    for (size_t c = 0; c < cells; c++) g->self[c] = g->sup[c] = g->target[c] = -1;

    /* People by staff id, for the passes below. */
    PersonIdx *idx = arena_alloc(a, sizeof *idx * (size_t)(g->npeople + 1));
    for (int p = 0; p < g->npeople; p++) idx[p] = (PersonIdx){g->people[p].staff_id, p};
    qsort(idx, (size_t)g->npeople, sizeof *idx, idx_cmp);

    /* Tier sets on that day of everyone at once. */
    TargetCtx tc;
    assess_target_ctx(db, a, m, &tc);
    unsigned *tiers = arena_zalloc(a, sizeof(unsigned) * (size_t)(g->npeople + 1));
    st = db_query(db, "SELECT d.staff_id, d.tier FROM tier_designation d WHERE (? = 0 OR d.staff_id = ?) AND " ASOF_DESIGNATED("d"), f->staff_id, f->staff_id, nendo, on, on);
    while (db_step(st) == DB_ROW) {
        int p = person_of(idx, g->npeople, db_col_int(st, 0));
        if (p >= 0) tiers[p] |= 1u << db_col_int(st, 1);
    }
    db_done(st);
    for (int p = 0; p < g->npeople; p++)
        if (!g->people[p].basis_on) assess_targets(&tc, tiers[p] ? tiers[p] : 1u << 3, g->people[p].unit_id, &GAP_AT(g, target, p, 0));

    /* Levels (and the targets of a recorded basis): one pass over the
     * 年度's answers, or the one person's when the filter names them. */
    st = db_query(db,
                  "SELECT x.staff_id, i.item_id, i.self_level, i.sup_level, i.target FROM assessment x"
                  " JOIN assessment_item i ON i.assessment_id = x.id"
                  " WHERE x.nendo = ? AND (? = 0 OR x.staff_id = ?) AND x.state IN ('submitted', 'confirmed') ORDER BY x.staff_id",
                  nendo, f->staff_id, f->staff_id);
    while (db_step(st) == DB_ROW) {
        int p = person_of(idx, g->npeople, db_col_int(st, 0));
        int i = p < 0 ? -1 : skill_item_index(m, db_col_int(st, 1));
        if (i < 0) continue;
        if (!db_col_null(st, 2)) GAP_AT(g, self, p, i) = (int)db_col_int(st, 2);
        if (!db_col_null(st, 3)) GAP_AT(g, sup, p, i) = (int)db_col_int(st, 3);
        if (g->people[p].basis_on && !db_col_null(st, 4) && !m->items[i].retired_on) GAP_AT(g, target, p, i) = (int)db_col_int(st, 4);
    }
    db_done(st);
    for (int p = 0; p < g->npeople; p++)
        for (int i = 0; i < m->nitems; i++)
            if (GAP_AT(g, target, p, i) >= 0) g->item_used[i] = true;
}

int gap_level(const GapMatrix *g, int p, int i, bool *confirmed)
{
    int sup = GAP_AT(g, sup, p, i);
    if (confirmed) *confirmed = g->people[p].state == AS_CONFIRMED && sup >= 0;
    if (g->people[p].state == AS_CONFIRMED && sup >= 0) return sup;
    if (g->people[p].state == AS_SUBMITTED || g->people[p].state == AS_CONFIRMED) return GAP_AT(g, self, p, i);
    return -1;
}

static void count(const GapMatrix *g, int p, int i, GapRate *r)
{
    int t = GAP_AT(g, target, p, i), l = gap_level(g, p, i, NULL);
    if (t < 0 || l < 0) return;
    r->assessed++;
    if (l >= t) r->met++;
}

GapRate gap_item_rate(const GapMatrix *g, int i)
{
    GapRate r = {0, 0};
    for (int p = 0; p < g->npeople; p++) count(g, p, i, &r);
    return r;
}

GapRate gap_person_rate(const GapMatrix *g, int p)
{
    GapRate r = {0, 0};
    for (int i = 0; i < g->m->nitems; i++) count(g, p, i, &r);
    return r;
}

GapRate gap_total_rate(const GapMatrix *g)
{
    GapRate r = {0, 0};
    for (int p = 0; p < g->npeople; p++)
        for (int i = 0; i < g->m->nitems; i++) count(g, p, i, &r);
    return r;
}

GapRate gap_category_rate(const GapMatrix *g, int tier, int top_cat)
{
    GapRate r = {0, 0};
    for (int p = 0; p < g->npeople; p++) {
        if (tier && g->people[p].tier != tier) continue;
        for (int i = 0; i < g->m->nitems; i++)
            if (g->m->cats[g->m->items[i].cat].top == top_cat) count(g, p, i, &r);
    }
    return r;
}

double gap_item_shortfall(const GapMatrix *g, int i)
{
    int n = 0, sum = 0;
    for (int p = 0; p < g->npeople; p++) {
        int t = GAP_AT(g, target, p, i), l = gap_level(g, p, i, NULL);
        if (t < 0 || l < 0) continue;
        n++;
        if (l < t) sum += t - l;
    }
    return n ? (double)sum / n : 0;
}
