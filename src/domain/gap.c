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

/* The people of a matrix in display order, where is the filter (" WHERE ...").
 * Binds: nendo, on, on, as_of_end, as_of_end, scope, today, today, scope,
 * as_of, as_of, nendo, then those of where. */
#define PEOPLE_SQL(where)                                                                                                          \
    "SELECT s.id, a.unit_id, s.staff_no, s.name, CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END,"           \
    " " ASOF_TIER_OF("s.id") " AS t,"                                                                                               \
    /* The state as it stood on as_of, from the submission and confirmation times. */                                              \
    " CASE WHEN x.id IS NULL THEN 'none' WHEN x.confirmed_at IS NOT NULL AND x.confirmed_at <= ? THEN 'confirmed'"                   \
    "  WHEN x.state IN ('submitted', 'confirmed') AND x.submitted_at <= ? THEN 'submitted'"                                         \
    "  WHEN x.state IN ('submitted', 'confirmed') THEN 'draft' ELSE x.state END,"                                                   \
    " x.basis_tiers, x.basis_on, CASE WHEN " ASOF_VISIBLE("s.id") " THEN 1 ELSE 0 END"                                              \
    " FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id" \
    " LEFT JOIN assessment x ON x.staff_id = s.id AND x.nendo = ?" where " ORDER BY u.code, s.staff_no"

/* Stores an answer row (item_id, self_level, sup_level, target from column
 * c) of person p. */
static void levels_row(GapMatrix *g, int p, Stmt *st, int c)
{
    const SkillMap *m = g->m;
    int i = skill_item_index(m, db_col_int(st, c));
    if (i < 0) return;
    if (!db_col_null(st, c + 1)) GAP_AT(g, self, p, i) = (int)db_col_int(st, c + 1);
    if (!db_col_null(st, c + 2)) GAP_AT(g, sup, p, i) = (int)db_col_int(st, c + 2);
    if (g->people[p].basis_on && !db_col_null(st, c + 3) && !m->items[i].retired_on) GAP_AT(g, target, p, i) = (int)db_col_int(st, c + 3);
}

/* Fewer people than this share of the organisation: their rows are read
 * person by person (by index) rather than in one pass over the 年度. */
#define FEW_PEOPLE(n, total) ((n) * 8 < (total))

void gap_matrix_rows(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, const GapFilter *f, GapMatrix *g)
{
    memset(g, 0, sizeof *g);
    g->m = m;
    /* Designations count as held on as_of moved into the 年度. */
    char on[11], today[11];
    assess_nendo_clamp(nendo, as_of, on);
    if (f->today) snprintf(today, sizeof today, "%s", f->today);
    else now_date(today);
    int cap = 16;
    g->people = arena_alloc(a, sizeof *g->people * (size_t)cap);
    const char *as_of_end = arena_printf(a, "%sT99", as_of);
    /* One statement per filter, so that each can use its index: the person
     * by id, a subtree from its units' assignments, or everyone. */
    Stmt *st;
    if (f->staff_id && f->unit_id)
        st = db_query(db, PEOPLE_SQL(" WHERE s.id = ? AND a.unit_id IN (" ASOF_SUBTREE ")"), nendo, on, on, as_of_end, as_of_end,
                      f->scope, today, today, f->scope, as_of, as_of, nendo, f->staff_id, f->unit_id);
    else if (f->staff_id)
        st = db_query(db, PEOPLE_SQL(" WHERE s.id = ?"), nendo, on, on, as_of_end, as_of_end, f->scope, today, today, f->scope,
                      as_of, as_of, nendo, f->staff_id);
    else if (f->unit_id)
        st = db_query(db, PEOPLE_SQL(" WHERE a.unit_id IN (" ASOF_SUBTREE ")"), nendo, on, on, as_of_end, as_of_end, f->scope, today,
                      today, f->scope, as_of, as_of, nendo, f->unit_id);
    else
        st = db_query(db, PEOPLE_SQL(""), nendo, on, on, as_of_end, as_of_end, f->scope, today, today, f->scope, as_of, as_of, nendo);
    while (db_step(st) == DB_ROW) {
        int tier = (int)db_col_int(st, 5);
        AssessState state = assess_state_parse(db_col_text(st, 6));
        /* Judged against its basis once it stood submitted or confirmed. */
        bool snap = (state == AS_SUBMITTED || state == AS_CONFIRMED) && !db_col_null(st, 8);
        unsigned basis_tiers = snap && !db_col_null(st, 7) ? (unsigned)db_col_int(st, 7) : 0;
        if (snap) tier = lowest_tier(basis_tiers);
        if (f->tier && tier != f->tier) continue;
        if (g->npeople == cap) {
            GapPerson *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
            memcpy(more, g->people, sizeof *more * (size_t)cap);
            g->people = more;
            cap *= 2;
        }
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
    /* A few people (one person, a 係) by index, one at a time; more in one
     * pass over the 年度. */
    bool few = f->staff_id || (f->unit_id && FEW_PEOPLE(g->npeople, (int)db_int(db, 0, "SELECT COUNT(*) FROM staff")));
    if (few) {
        for (int p = 0; p < g->npeople; p++) {
            st = db_query(db, "SELECT d.tier FROM tier_designation d WHERE d.staff_id = ? AND " ASOF_DESIGNATED("d"),
                          g->people[p].staff_id, nendo, on, on);
            while (db_step(st) == DB_ROW) tiers[p] |= 1u << db_col_int(st, 0);
            db_done(st);
        }
    } else {
        st = db_query(db, "SELECT d.staff_id, d.tier FROM tier_designation d WHERE " ASOF_DESIGNATED("d"), nendo, on, on);
        while (db_step(st) == DB_ROW) {
            int p = person_of(idx, g->npeople, db_col_int(st, 0));
            if (p >= 0) tiers[p] |= 1u << db_col_int(st, 1);
        }
        db_done(st);
    }
    for (int p = 0; p < g->npeople; p++)
        if (!g->people[p].basis_on) assess_targets(&tc, tiers[p] ? tiers[p] : 1u << 3, g->people[p].unit_id, &GAP_AT(g, target, p, 0));

    /* Levels (and the targets of a recorded basis), of the submitted
     * assessments: person by person when few, else one pass over the 年度. */
    if (few) {
        for (int p = 0; p < g->npeople; p++) {
            st = db_query(db,
                          "SELECT i.item_id, i.self_level, i.sup_level, i.target FROM assessment x"
                          " JOIN assessment_item i ON i.assessment_id = x.id"
                          " WHERE x.staff_id = ? AND x.nendo = ? AND x.state IN ('submitted', 'confirmed')",
                          g->people[p].staff_id, nendo);
            while (db_step(st) == DB_ROW) levels_row(g, p, st, 0);
            db_done(st);
        }
    } else {
        st = db_query(db,
                      "SELECT i.item_id, i.self_level, i.sup_level, i.target, x.staff_id FROM assessment x"
                      " JOIN assessment_item i ON i.assessment_id = x.id"
                      " WHERE x.nendo = ? AND x.state IN ('submitted', 'confirmed')",
                      nendo);
        while (db_step(st) == DB_ROW) {
            int p = person_of(idx, g->npeople, db_col_int(st, 4));
            if (p >= 0) levels_row(g, p, st, 0);
        }
        db_done(st);
    }
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

void gap_sums(const GapMatrix *g, Arena *a, GapSums *s)
{
    const SkillMap *m = g->m;
    for (int t = 0; t < 4; t++) {
        s->rate[t] = arena_zalloc(a, sizeof(GapRate) * (size_t)(m->ncats + 1));
        s->all[t] = (GapRate){0, 0};
    }
    int *top = arena_alloc(a, sizeof(int) * (size_t)(m->nitems + 1));
    for (int i = 0; i < m->nitems; i++) top[i] = m->cats[m->items[i].cat].top;
    for (int p = 0; p < g->npeople; p++) {
        int tier = g->people[p].tier;
        for (int i = 0; i < m->nitems; i++) {
            GapRate x = {0, 0};
            count(g, p, i, &x);
            if (!x.assessed) continue;
            s->rate[0][top[i]].assessed++;
            s->rate[0][top[i]].met += x.met;
            s->all[0].assessed++;
            s->all[0].met += x.met;
            if (tier >= 1 && tier <= 3) {
                s->rate[tier][top[i]].assessed++;
                s->rate[tier][top[i]].met += x.met;
                s->all[tier].assessed++;
                s->all[tier].met += x.met;
            }
        }
    }
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
