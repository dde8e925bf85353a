/* gap.c - see gap.h. */
#include "gap.h"

#include <string.h>

void gap_matrix(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, const GapFilter *f, GapMatrix *g)
{
    memset(g, 0, sizeof *g);
    g->m = m;
    static const char *people_sql =
        "SELECT s.id, a.unit_id, s.staff_no, s.name, CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END,"
        " COALESCE((SELECT MIN(d.tier) FROM tier_designation d WHERE d.staff_id = s.id AND d.nendo = ? AND d.ended_on IS NULL), 3) AS t,"
        /* The state as it stood on as_of, from the submission and confirmation times. */
        " CASE WHEN x.id IS NULL THEN 'none' WHEN x.confirmed_at IS NOT NULL AND x.confirmed_at <= ? THEN 'confirmed'"
        "  WHEN x.state IN ('submitted', 'confirmed') AND x.submitted_at <= ? THEN 'submitted'"
        "  WHEN x.state IN ('submitted', 'confirmed') THEN 'draft' ELSE x.state END"
        " FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.from_date <= ?"
        "  AND (a.to_date IS NULL OR a.to_date >= ?)"
        " JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id"
        " LEFT JOIN assessment x ON x.staff_id = s.id AND x.nendo = ?"
        " WHERE s.active = 1 AND (? = 0 OR s.id = ?)"
        " AND (? = 0 OR a.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL"
        "  SELECT o.id FROM org_unit o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub))"
        " ORDER BY u.code, s.staff_no";
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff", NULL);
    g->people = arena_alloc(a, sizeof *g->people * (size_t)(cap + 1));
    const char *as_of_end = arena_printf(a, "%sT99", as_of);
    Stmt *st = db_query(db, people_sql, "dttttdiiii", nendo, as_of_end, as_of_end, as_of, as_of, nendo, f->staff_id, f->staff_id, f->unit_id,
                        f->unit_id);
    while (g->npeople < cap && db_step(st) == DB_ROW) {
        int tier = (int)db_col_int(st, 5);
        if (f->tier && tier != f->tier) continue;
        GapPerson *p = &g->people[g->npeople++];
        p->staff_id = db_col_int(st, 0);
        p->unit_id = db_col_int(st, 1);
        p->staff_no = db_col_dup(st, 2, a);
        p->name = db_col_dup(st, 3, a);
        p->unit_name = db_col_dup(st, 4, a);
        p->tier = tier;
        p->state = assess_state_parse(db_col_text(st, 6));
    }
    db_done(st);

    size_t cells = (size_t)g->npeople * (size_t)m->nitems + 1;
    g->target = arena_alloc(a, sizeof(int) * cells);
    g->self = arena_alloc(a, sizeof(int) * cells);
    g->sup = arena_alloc(a, sizeof(int) * cells);
    g->item_used = arena_zalloc(a, sizeof(bool) * (size_t)(m->nitems + 1));
    for (size_t c = 0; c < cells; c++) g->self[c] = g->sup[c] = -1;

    /* Tier sets of everyone at once. */
    TargetCtx tc;
    assess_target_ctx(db, a, m, &tc);
    unsigned *tiers = arena_zalloc(a, sizeof(unsigned) * (size_t)(g->npeople + 1));
    st = db_query(db, "SELECT staff_id, tier FROM tier_designation WHERE nendo = ? AND ended_on IS NULL ORDER BY staff_id", "d", nendo);
    while (db_step(st) == DB_ROW) {
        int64_t sid = db_col_int(st, 0);
        for (int p = 0; p < g->npeople; p++)
            if (g->people[p].staff_id == sid) tiers[p] |= 1u << db_col_int(st, 1);
    }
    db_done(st);
    for (int p = 0; p < g->npeople; p++) {
        assess_targets(&tc, tiers[p] ? tiers[p] : 1u << 3, g->people[p].unit_id, &GAP_AT(g, target, p, 0));
        for (int i = 0; i < m->nitems; i++)
            if (GAP_AT(g, target, p, i) >= 0) g->item_used[i] = true;
    }

    /* Levels: one pass over the 年度's answers, matched by staff id. */
    st = db_query(db,
                  "SELECT x.staff_id, i.item_id, i.self_level, i.sup_level FROM assessment x JOIN assessment_item i ON i.assessment_id = x.id"
                  " WHERE x.nendo = ? AND x.state IN ('submitted', 'confirmed') ORDER BY x.staff_id",
                  "d", nendo);
    int p = 0;
    while (db_step(st) == DB_ROW && g->npeople) {
        int64_t sid = db_col_int(st, 0);
        if (g->people[p].staff_id != sid) {
            int q;
            for (q = 0; q < g->npeople && g->people[q].staff_id != sid; q++) {}
            if (q == g->npeople) continue;
            p = q;
        }
        int i = skill_item_index(m, db_col_int(st, 1));
        if (i < 0) continue;
        if (!db_col_null(st, 2)) GAP_AT(g, self, p, i) = (int)db_col_int(st, 2);
        if (!db_col_null(st, 3)) GAP_AT(g, sup, p, i) = (int)db_col_int(st, 3);
    }
    db_done(st);
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
