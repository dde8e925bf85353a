/* test_demand_summary.c - the stored rows of next 年度's training demand
 * (来年度の研修需要) equal a full recomputation after random sequences of
 * writes: assessment submissions, confirmations and returns, completions,
 * transfers and designations, each through the domain functions (audited,
 * so each bumps the data version). After every write the demand of this
 * and the previous 年度, for the whole organisation, a 部's subtree and each
 * tier, is read with the summary (recomputed and stored, then read back)
 * and compared with the same computed from the rows. */
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
#include "domain/demand_summary.h"
#include "domain/gap.h"
#include "domain/skill.h"
#include "domain/tier.h"
#include "domain/completion.h"
#include "domain/training.h"
#include "domain/transfer.h"
#include "../tmpdb.h"

#define RANDWRITE_SEED 20261130u
#include "randwrite.h"

static int setup(void **state)
{
    (void)state;
    static int (*const build[])(Db *, int, unsigned) = {demo_assessments, demo_training};
    return randwrite_open("demand-summary", build, (int)COUNTOF(build));
}

static int teardown(void **state)
{
    (void)state;
    demand_cache_set(true), gap_matrix_cache_set(true);
    return randwrite_close();
}

/* A completed course for someone in service: the course then no longer
 * counts in their demand. */
static bool complete_one(void)
{
    int64_t session = pick("SELECT t.id FROM training_session t JOIN course c ON c.id = t.course_id WHERE c.provider IN ('somu', 'seisaku')");
    int64_t who = pick(IN_SERVICE);
    if (!session || !who) return false;
    RosterEntry in = {who, true, -1};
    Errors e = {0};
    return completion_record(db, &ACTOR_CLI, session, &in, 1, &e) == 0;
}

static void equal(const Demand *c, int nc, const Demand *f, int nf, int nendo, int64_t unit, int tier)
{
    if (nc != nf) fail_msg("%d unit %lld tier %d: %d rows stored vs %d", nendo, (long long)unit, tier, nc, nf);
    for (int k = 0; k < nc; k++) {
        assert_int_equal(c[k].course_id, f[k].course_id);
        assert_string_equal(c[k].code, f[k].code);
        assert_string_equal(c[k].title, f[k].title);
        assert_string_equal(c[k].provider, f[k].provider);
        assert_int_equal(c[k].people, f[k].people);
        assert_int_equal(c[k].capacity, f[k].capacity);
        assert_int_equal(c[k].sessions_needed, f[k].sessions_needed);
    }
}

/* The demand read with the summary (twice: the first may store it, the
 * second reads what was stored) equals the one computed from the rows. */
static void same(int nendo, int64_t unit, int tier)
{
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, nendo, false, &m);
    Demand *c1, *c2, *f;
    demand_cache_set(false), gap_matrix_cache_set(false);
    int nf = recommend_demand(db, &a, &m, nendo, unit, tier, &f);
    demand_cache_set(true), gap_matrix_cache_set(true);
    int n1 = recommend_demand(db, &a, &m, nendo, unit, tier, &c1);
    assert_true(db_exists(db, "SELECT 1 FROM demand_summary WHERE nendo = ? AND unit_id = ? AND tier = ? AND version = ? AND k = -1", nendo,
                          unit, tier, data_version_of(db, DV_READS_DEMAND)));
    int n2 = recommend_demand(db, &a, &m, nendo, unit, tier, &c2);
    equal(c1, n1, f, nf, nendo, unit, tier);
    equal(c2, n2, f, nf, nendo, unit, tier);
    arena_free(&a);
}

/* What is stored is what the page shows, and a write moves the version so
 * the old rows are no longer read. */
static void test_stored_and_replaced(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    Demand *d;
    int n = recommend_demand(db, &a, &m, 2026, 0, 0, &d);
    int64_t v0 = data_version_of(db, DV_READS_DEMAND);
    assert_true(n > 0);
    assert_int_equal(db_int(db, -1, "SELECT people FROM demand_summary WHERE nendo = 2026 AND unit_id = 0 AND tier = 0 AND version = ? AND k = -1",
                            v0),
                     n);
    assert_int_equal(db_int(db, -1, "SELECT people FROM demand_summary WHERE nendo = 2026 AND unit_id = 0 AND tier = 0 AND version = ? AND k = 0",
                            v0),
                     d[0].people);
    /* A read recorded in the audit log is not a write: the rows still serve. */
    assert_int_equal(audit_write(db, &ACTOR_CLI, "gap.view", "staff", 1, 1, "閲覧"), 0);
    assert_int_equal(data_version_of(db, DV_READS_DEMAND), v0);
    /* A changed stored row is what is read while the version holds. */
    db_exec(db, "UPDATE demand_summary SET people = people + 1000 WHERE k = 0 AND version = ?", v0);
    Demand *d2;
    assert_int_equal(recommend_demand(db, &a, &m, 2026, 0, 0, &d2), n);
    assert_int_equal(d2[0].people, d[0].people + 1000);
    assert_true(confirm_one());
    assert_int_equal(data_version_of(db, DV_READS_DEMAND), v0 + 1);
    same(2026, 0, 0);
    /* Only the current version is kept. */
    assert_false(db_exists(db, "SELECT 1 FROM demand_summary WHERE version <> ?", data_version_of(db, DV_READS_DEMAND)));
    arena_free(&a);
}

/* Inside another transaction nothing is stored, and the rows are right. */
static void test_not_stored_inside_transaction(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    assert_true(submit_one(&a));
    Demand *c, *f;
    assert_int_equal(db_begin(db), 0);
    int nc = recommend_demand(db, &a, &m, 2026, 0, 0, &c);
    assert_false(db_exists(db, "SELECT 1 FROM demand_summary WHERE version = ?", data_version_of(db, DV_READS_DEMAND)));
    db_rollback(db);
    int nf = recommend_demand_compute(db, &a, &m, 2026, 0, 0, &f);
    equal(c, nc, f, nf, 2026, 0, 0);
    arena_free(&a);
}

static void test_random_writes_match_recomputation(void **state)
{
    (void)state;
    int64_t bu = pick("SELECT id FROM org_unit WHERE level = 2 AND valid_to IS NULL");
    assert_true(bu > 0);
    int completions = 0;
    for (int step = 0; step < 24; step++) {
        Arena a = ARENA_INIT;
        same(2026, 0, step % 4); /* stores the summary at this version */
        same(2025, 0, 0);
        int64_t before = data_version(db);
        bool wrote = false;
        for (int tries = 0; tries < 10 && !wrote; tries++) {
            switch (rnd(9)) {
            case 0: wrote = submit_one(&a); break;
            case 1: wrote = confirm_one(); break;
            case 2: wrote = return_one(); break;
            case 3: wrote = designate_one(&a); break;
            case 6: wrote = apply_one(); break;
            case 7: wrote = activity_one(); break;
            case 8: wrote = target_one(); break;
            case 4: wrote = complete_one(), completions += wrote; break;
            default: wrote = transfer_one(&a); break;
            }
        }
        assert_true(wrote);
        assert_true(data_version(db) > before);
        same(2026, 0, step % 4);
        same(2026, 0, (step + 1) % 4);
        same(2026, bu, 0);
        same(2025, 0, 0);
        arena_free(&a);
    }
    assert_true(completions > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stored_and_replaced),
        cmocka_unit_test(test_not_stored_inside_transaction),
        cmocka_unit_test(test_random_writes_match_recomputation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
