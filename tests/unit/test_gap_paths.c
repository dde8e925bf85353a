/* test_gap_paths.c - the gap matrix of one person or one unit, read by
 * index, equals the rows of the organisation-wide matrix that the filter
 * selects (people, tiers, states, visibility, targets and levels), for this
 * and the previous 年度, with and without a 所属長 scope and a tier filter;
 * and gap_sums gives the same rates as the per-category functions. On the
 * demo city of 年度 2026. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/asof.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/gap.h"
#include "domain/skill.h"
#include "../tmpdb.h"

#define TODAY "2026-11-16"

static Db *db;
static char path[64];

static int setup(void **state)
{
    (void)state;
    if (util_clock_set_today(TODAY) != 0) return -1;
    password_init();
    password_use_test_cost();
    db = tmpdb_open(path, sizeof path, "gap-paths");
    if (!db) return -1;
    if (skill_load_defaults(db, 2025) != 0 || course_load_defaults(db) != 0 || demo_load(db, "test-password-1234", 2026, 7u) != 0 ||
        demo_assessments(db, 2026, 7u) != 0)
        return -1;
    db_exec(db, "UPDATE setting SET value = '2026' WHERE key = 'current_nendo'");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    util_clock_set_today(TODAY);
    return 0;
}

/* Row p of g equals row q of h. */
static void same_row(const GapMatrix *g, int p, const GapMatrix *h, int q)
{
    const GapPerson *x = &g->people[p], *y = &h->people[q];
    assert_int_equal(x->staff_id, y->staff_id);
    assert_int_equal(x->unit_id, y->unit_id);
    assert_string_equal(x->staff_no, y->staff_no);
    assert_string_equal(x->unit_name, y->unit_name);
    assert_int_equal(x->tier, y->tier);
    assert_int_equal(x->state, y->state);
    assert_int_equal(x->basis_tiers, y->basis_tiers);
    assert_int_equal(x->basis_on != NULL, y->basis_on != NULL);
    if (x->basis_on) assert_string_equal(x->basis_on, y->basis_on);
    assert_int_equal(x->visible, y->visible);
    for (int i = 0; i < g->m->nitems; i++) {
        assert_int_equal(GAP_AT(g, target, p, i), GAP_AT(h, target, q, i));
        assert_int_equal(GAP_AT(g, self, p, i), GAP_AT(h, self, q, i));
        assert_int_equal(GAP_AT(g, sup, p, i), GAP_AT(h, sup, q, i));
    }
}

static bool in_subtree(int64_t unit, int64_t root)
{
    return db_int(db, 0, "SELECT COUNT(*) FROM (" ASOF_SUBTREE ") t WHERE t.id = ?", root, unit) > 0;
}

static void check_year(int nendo, int64_t scope)
{
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    char as_of[11];
    asof_nendo_date(nendo, as_of);
    GapMatrix all;
    GapFilter fa = {.scope = scope, .today = TODAY};
    gap_matrix(db, &a, &m, nendo, as_of, &fa, &all);
    assert_true(all.npeople > 300);
    int assessed = 0;
    /* One person at a time: every tenth, and those with answers. */
    for (int p = 0; p < all.npeople; p++) {
        bool answered = all.people[p].state == AS_SUBMITTED || all.people[p].state == AS_CONFIRMED;
        if (p % 10 && !answered) continue;
        assessed += answered;
        GapMatrix one;
        GapFilter f1 = {.staff_id = all.people[p].staff_id, .scope = scope, .today = TODAY};
        gap_matrix(db, &a, &m, nendo, as_of, &f1, &one);
        assert_int_equal(one.npeople, 1);
        same_row(&one, 0, &all, p);
    }
    if (nendo == 2026) assert_true(assessed > 100);
    /* Every unit's subtree, with each tier filter. */
    Stmt *st = db_query(db, "SELECT id FROM org_unit ORDER BY id");
    int64_t units[512];
    int nu = 0;
    while (db_step(st) == DB_ROW && nu < 512) units[nu++] = db_col_int(st, 0);
    db_done(st);
    int many = 0;
    for (int k = 0; k < nu; k++)
        for (int tier = 0; tier <= 3; tier += (k % 7 ? 3 : 1)) {
            GapMatrix u;
            GapFilter fu = {.unit_id = units[k], .tier = tier, .scope = scope, .today = TODAY};
            gap_matrix(db, &a, &m, nendo, as_of, &fu, &u);
            int q = 0;
            for (int p = 0; p < all.npeople; p++) {
                if (!in_subtree(all.people[p].unit_id, units[k]) || (tier && all.people[p].tier != tier)) continue;
                assert_true(q < u.npeople);
                same_row(&u, q++, &all, p);
            }
            assert_int_equal(q, u.npeople);
            many += u.npeople * 8 >= all.npeople; /* read in one pass, not person by person */
        }
    assert_true(many > 0);
    /* The sums of one pass equal the per-category rates. */
    GapSums s;
    gap_sums(&all, &a, &s);
    for (int t = 0; t <= 3; t++) {
        GapRate sum = {0, 0};
        for (int c = 0; c < m.ncats; c++) {
            if (m.cats[c].top != c) continue;
            GapRate x = gap_category_rate(&all, t, c);
            assert_int_equal(s.rate[t][c].met, x.met);
            assert_int_equal(s.rate[t][c].assessed, x.assessed);
            sum.met += x.met;
            sum.assessed += x.assessed;
        }
        assert_int_equal(s.all[t].met, sum.met);
        assert_int_equal(s.all[t].assessed, sum.assessed);
    }
    assert_int_equal(s.all[0].met, gap_total_rate(&all).met);
    assert_int_equal(s.all[0].assessed, gap_total_rate(&all).assessed);
    arena_free(&a);
}

static void test_paths_this_year(void **state)
{
    (void)state;
    check_year(2026, 0);
}

static void test_paths_previous_year(void **state)
{
    (void)state;
    check_year(2025, 0);
}

/* A 所属長's scope changes only whom rows may name, the same on every path. */
static void test_paths_scoped(void **state)
{
    (void)state;
    int64_t ka = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 3 ORDER BY code LIMIT 1");
    assert_true(ka > 0);
    check_year(2026, ka);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_this_year),
        cmocka_unit_test(test_paths_previous_year),
        cmocka_unit_test(test_paths_scoped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
