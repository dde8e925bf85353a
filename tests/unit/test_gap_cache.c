/* test_gap_cache.c - the matrices of everyone kept in memory (gap_cache.c)
 * equal the matrix read from the rows after random sequences of writes, and
 * after assessment writes they are brought forward by re-reading only the
 * people written (not read whole again): write, compare, repeat. Compared
 * cell by cell, person by person, for this and the previous 年度, at today
 * and at earlier dates, for every tier filter, and on the previous 年度's map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/dataver.h"
#include "auth/password.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/assess.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/gap.h"
#include "domain/skill.h"
#include "domain/tier.h"
#include "domain/transfer.h"
#include "../tmpdb.h"

#define RANDWRITE_SEED 20261201u
#include "randwrite.h"

static int setup(void **state)
{
    (void)state;
    static int (*const build[])(Db *, int, unsigned) = {demo_assessments, demo_training};
    return randwrite_open("gap-cache", build, (int)COUNTOF(build));
}

static int teardown(void **state)
{
    (void)state;
    gap_matrix_cache_set(true);
    return randwrite_close();
}

static void same_str(const char *x, const char *y)
{
    if (!x || !y) assert_true(x == y);
    else assert_string_equal(x, y);
}

/* gap_matrix (kept, maybe brought forward) equals gap_matrix_rows. */
static void same(int map_nendo, int nendo, const char *as_of, int tier)
{
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, map_nendo, false, &m);
    GapFilter f = {.tier = tier, .today = TODAY};
    GapMatrix c, r;
    gap_matrix(db, &a, &m, nendo, as_of, &f, &c);
    gap_matrix_rows(db, &a, &m, nendo, as_of, &f, &r);
    assert_int_equal(c.npeople, r.npeople);
    assert_true(r.npeople > 0);
    for (int p = 0; p < r.npeople; p++) {
        const GapPerson *x = &c.people[p], *y = &r.people[p];
        assert_int_equal(x->staff_id, y->staff_id);
        assert_int_equal(x->unit_id, y->unit_id);
        same_str(x->staff_no, y->staff_no);
        same_str(x->name, y->name);
        same_str(x->unit_name, y->unit_name);
        same_str(x->basis_on, y->basis_on);
        assert_int_equal(x->tier, y->tier);
        assert_int_equal(x->state, y->state);
        assert_int_equal(x->basis_tiers, y->basis_tiers);
        assert_int_equal(x->visible, y->visible);
        for (int i = 0; i < m.nitems; i++) {
            if (GAP_AT(&c, target, p, i) != GAP_AT(&r, target, p, i) || GAP_AT(&c, self, p, i) != GAP_AT(&r, self, p, i) ||
                GAP_AT(&c, sup, p, i) != GAP_AT(&r, sup, p, i))
                fail_msg("%d/%d as of %s tier %d: person %lld item %d differs", map_nendo, nendo, as_of, tier, (long long)y->staff_id, i);
        }
    }
    for (int i = 0; i < m.nitems; i++) assert_int_equal(c.item_used[i], r.item_used[i]);
    arena_free(&a);
}

static void all_views(int step)
{
    same(2026, 2026, TODAY, 0);
    same(2026, 2026, TODAY, 1 + step % 3);
    same(2026, 2026, "2026-06-30", 0);
    same(2026, 2025, "2026-03-31", 0);
    same(2025, 2025, "2026-03-31", 0);
}

static void test_random_writes_match_rows(void **state)
{
    (void)state;
    gap_matrix_cache_set(true);
    int assessed = 0;
    for (int step = 0; step < 30; step++) {
        Arena a = ARENA_INIT;
        all_views(step);
        GapCacheStats before = gap_matrix_cache_stats();
        bool wrote = false, assess = false;
        for (int tries = 0; tries < 10 && !wrote; tries++) {
            int k = rnd(10);
            switch (k) {
            case 0: case 1: case 2: wrote = submit_one(&a); break;
            case 3: case 4: wrote = confirm_one(); break;
            case 5: wrote = return_one(); break;
            case 6: wrote = designate_one(&a); break;
            case 7: wrote = transfer_one(&a); break;
            case 8: wrote = apply_one(); break;
            default: wrote = target_one(); break;
            }
            assess = wrote && k <= 5;
        }
        assert_true(wrote);
        all_views(step);
        GapCacheStats after = gap_matrix_cache_stats();
        if (assess) {
            /* Brought forward over the write, not read whole. */
            assert_true(after.brought_forward > before.brought_forward);
            assert_int_equal(after.read, before.read);
            assessed++;
        }
        arena_free(&a);
    }
    assert_true(assessed >= 10);
}

/* Several assessment writes between two reads: all their people re-read. */
static void test_several_writes_between_reads(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    all_views(0);
    for (int k = 0; k < 5; k++) assert_true(submit_one(&a));
    (void)confirm_one();
    (void)return_one();
    GapCacheStats before = gap_matrix_cache_stats();
    all_views(0);
    GapCacheStats after = gap_matrix_cache_stats();
    assert_int_equal(after.read, before.read);
    assert_true(after.brought_forward > before.brought_forward);
    arena_free(&a);
}

/* A log that does not name the people (rows missing) means a full read. */
static void test_missing_log_reads_whole(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    all_views(0);
    assert_true(submit_one(&a));
    assert_true(db_exec(db, "DELETE FROM data_version_assess_log WHERE seq = (SELECT assess FROM data_version WHERE id = 1)") == 1);
    GapCacheStats before = gap_matrix_cache_stats();
    all_views(0);
    GapCacheStats after = gap_matrix_cache_stats();
    assert_true(after.read > before.read);
    arena_free(&a);
}

/* Inside a transaction (a preview rolled back) nothing is kept. */
static void test_nothing_kept_inside_transaction(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    all_views(0);
    int64_t id = pick("SELECT id FROM assessment WHERE nendo = 2026 AND state = 'submitted'");
    int64_t staff = db_int(db, 0, "SELECT staff_id FROM assessment WHERE id = ?", id);
    assert_true(id > 0 && staff > 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_exec(db, "UPDATE assessment SET state = 'returned' WHERE id = ?", id), 1);
    assert_int_equal(audit_write(db, &ACTOR_CLI, "assess.return", "assessment", id, staff, "test"), 0);
    all_views(0);
    db_rollback(db);
    all_views(0);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_writes_match_rows),
        cmocka_unit_test(test_several_writes_between_reads),
        cmocka_unit_test(test_missing_log_reads_whole),
        cmocka_unit_test(test_nothing_kept_inside_transaction),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
