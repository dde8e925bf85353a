/* test_gap_summary.c - the stored organisation-wide gap aggregate (the
 * 全庁 view of ギャップ分析) equals a full recomputation after random
 * sequences of writes: assessment submissions, confirmations and returns,
 * transfers and designations, each through the domain functions (audited,
 * so each bumps the data version). After every write the aggregate of this
 * and the previous 年度, read at several dates, is read with the summary
 * (recomputed and stored, then read back) and compared with the same
 * computed from the rows. */
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

#define RANDWRITE_SEED 20261130u
#include "randwrite.h"

static int setup(void **state)
{
    (void)state;
    static int (*const build[])(Db *, int, unsigned) = {demo_assessments, demo_training};
    return randwrite_open("gap-summary", build, (int)COUNTOF(build));
}

static int teardown(void **state)
{
    (void)state;
    gap_cache_set(true), gap_matrix_cache_set(true);
    return randwrite_close();
}

static void equal(const SkillMap *m, const GapOrg *c, const GapOrg *f, int nendo, const char *as_of)
{
    if (c->npeople != f->npeople || c->submitted != f->submitted || c->confirmed != f->confirmed)
        fail_msg("%d as of %s: people %d/%d/%d stored vs %d/%d/%d", nendo, as_of, c->npeople, c->submitted, c->confirmed, f->npeople,
                 f->submitted, f->confirmed);
    for (int i = 0; i < m->nitems; i++) assert_int_equal(c->item_used[i], f->item_used[i]);
    for (int t = 0; t < 4; t++) {
        assert_int_equal(c->sums.all[t].met, f->sums.all[t].met);
        assert_int_equal(c->sums.all[t].assessed, f->sums.all[t].assessed);
        for (int k = 0; k < m->ncats; k++) {
            assert_int_equal(c->sums.rate[t][k].met, f->sums.rate[t][k].met);
            assert_int_equal(c->sums.rate[t][k].assessed, f->sums.rate[t][k].assessed);
        }
    }
    assert_int_equal(c->nunits, f->nunits);
    for (int k = 0; k < c->nunits; k++) {
        assert_int_equal(c->units[k].unit_id, f->units[k].unit_id);
        assert_int_equal(c->units[k].level, f->units[k].level);
        assert_string_equal(c->units[k].name, f->units[k].name);
        assert_int_equal(c->units[k].people, f->units[k].people);
        assert_int_equal(c->units[k].rate.met, f->units[k].rate.met);
        assert_int_equal(c->units[k].rate.assessed, f->units[k].rate.assessed);
    }
}

/* The aggregate read with the summary (twice: the first may store it, the
 * second reads what was stored) equals the one computed from the rows. */
static void same(int nendo, const char *as_of)
{
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    GapOrg c1, c2, f;
    gap_cache_set(false), gap_matrix_cache_set(false);
    gap_org(db, &a, &m, nendo, as_of, &f);
    gap_cache_set(true), gap_matrix_cache_set(true);
    gap_org(db, &a, &m, nendo, as_of, &c1);
    assert_true(db_exists(db, "SELECT 1 FROM gap_summary WHERE map_nendo = 2026 AND nendo = ? AND as_of = ? AND version = ? AND kind = 'n'",
                          nendo, as_of, data_version_of(db, DV_READS_GAP)));
    gap_org(db, &a, &m, nendo, as_of, &c2);
    equal(&m, &c1, &f, nendo, as_of);
    equal(&m, &c2, &f, nendo, as_of);
    arena_free(&a);
}

/* What is stored is what the page counts, and a write moves the version so
 * the old rows are no longer read. */
static void test_stored_and_replaced(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    GapOrg o;
    gap_org(db, &a, &m, 2026, TODAY, &o);
    int64_t v0 = data_version_of(db, DV_READS_GAP);
    assert_true(o.submitted > 0);
    assert_int_equal(db_int(db, -1, "SELECT a FROM gap_summary WHERE nendo = 2026 AND as_of = ? AND version = ? AND kind = 'n'", TODAY, v0),
                     o.npeople);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM gap_summary WHERE nendo = 2026 AND as_of = ? AND version = ? AND kind = 'u'", TODAY, v0),
                     o.nunits);
    /* A read recorded in the audit log is not a write: the rows still serve. */
    assert_int_equal(audit_write(db, &ACTOR_CLI, "gap.view", "staff", 1, 1, "閲覧"), 0);
    assert_int_equal(data_version_of(db, DV_READS_GAP), v0);
    assert_true(confirm_one());
    assert_int_equal(data_version_of(db, DV_READS_GAP), v0 + 1);
    GapOrg o2;
    gap_org(db, &a, &m, 2026, TODAY, &o2);
    assert_int_equal(o2.confirmed, o.confirmed + 1);
    /* Only the current version is kept. */
    assert_false(db_exists(db, "SELECT 1 FROM gap_summary WHERE version <> ?", data_version_of(db, DV_READS_GAP)));
    arena_free(&a);
}

/* Inside another transaction nothing is stored, and the numbers are right. */
static void test_not_stored_inside_transaction(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    assert_true(submit_one(&a));
    GapOrg c, f;
    assert_int_equal(db_begin(db), 0);
    gap_org(db, &a, &m, 2026, TODAY, &c);
    assert_false(db_exists(db, "SELECT 1 FROM gap_summary WHERE version = ?", data_version_of(db, DV_READS_GAP)));
    db_rollback(db);
    gap_org_compute(db, &a, &m, 2026, TODAY, &f);
    equal(&m, &c, &f, 2026, TODAY);
    arena_free(&a);
}

/* The summary is keyed by the areas it reads: a training application or a
 * sign-in leaves it valid; an assessment or a write of the general kind
 * (a KPI target) replaces it. */
static void test_keyed_by_areas(void **state)
{
    (void)state;
    int64_t g = data_version_of(db, DV_READS_GAP), k = data_version_of(db, DV_READS_KPI), all = data_version(db);
    bool applied = false;
    for (int i = 0; i < 20 && !applied; i++) applied = apply_one();
    assert_true(applied);
    assert_true(activity_one());
    assert_int_equal(data_version_of(db, DV_READS_GAP), g);
    assert_int_equal(data_version_of(db, DV_READS_KPI), k + 1);
    assert_int_equal(data_version(db), all + 2);
    assert_true(target_one());
    assert_int_equal(data_version_of(db, DV_READS_GAP), g + 1);
    assert_true(confirm_one());
    assert_int_equal(data_version_of(db, DV_READS_GAP), g + 2);
    assert_int_equal(data_version_area("assess.submit"), DV_ASSESS);
    assert_int_equal(data_version_area("app.apply"), DV_TRAINING);
    assert_int_equal(data_version_area("auth.login"), DV_ACTIVITY);
    assert_int_equal(data_version_area("assess.period"), 0); /* not named: the general counter */
}

static void test_random_writes_match_recomputation(void **state)
{
    (void)state;
    const char *dates[] = {TODAY, "2026-09-30", "2027-03-31"};
    for (int step = 0; step < 30; step++) {
        Arena a = ARENA_INIT;
        same(2026, dates[step % 3]); /* stores the summary at this version */
        same(2025, "2026-03-31");
        int64_t before = data_version(db);
        bool wrote = false;
        for (int tries = 0; tries < 10 && !wrote; tries++) {
            switch (rnd(8)) {
            case 0: wrote = submit_one(&a); break;
            case 1: wrote = confirm_one(); break;
            case 2: wrote = return_one(); break;
            case 3: wrote = designate_one(&a); break;
            case 5: wrote = apply_one(); break;
            case 6: wrote = activity_one(); break;
            case 7: wrote = target_one(); break;
            default: wrote = transfer_one(&a); break;
            }
        }
        assert_true(wrote);
        assert_true(data_version(db) > before);
        same(2026, dates[step % 3]);
        same(2026, dates[(step + 1) % 3]);
        same(2025, "2026-03-31");
        arena_free(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stored_and_replaced),
        cmocka_unit_test(test_not_stored_inside_transaction),
        cmocka_unit_test(test_keyed_by_areas),
        cmocka_unit_test(test_random_writes_match_recomputation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
