/* test_kpi_summary.c - the stored KPI summary equals a full recomputation
 * after random sequences of writes: assessment submissions and
 * confirmations, training attendance, designations, transfers and
 * qualifications, each through the domain functions (audited, so each bumps
 * the data version). After every write the KPIs, the expert plan and the
 * pipeline read with the summary are compared with the same computed from
 * the rows with the summary off, and so are the boards of the KPI pages
 * (coverage rules, the 課 lowest in security training, staff per 部) and
 * of the home page (staff per tier, the year's tasks, the office's counts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
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
#include "domain/staffing.h"
#include "domain/kpi.h"
#include "domain/qual.h"
#include "domain/skill.h"
#include "domain/tier.h"
#include "domain/todo.h"
#include "domain/completion.h"
#include "domain/training.h"
#include "domain/transfer.h"
#include "../tmpdb.h"

#define RANDWRITE_SEED 20261116u
#include "randwrite.h"

static int setup(void **state)
{
    (void)state;
    static int (*const build[])(Db *, int, unsigned) = {demo_assessments, demo_training, demo_kpi};
    return randwrite_open("kpi-summary", build, (int)COUNTOF(build));
}

static int teardown(void **state)
{
    (void)state;
    kpi_cache_set(true), gap_matrix_cache_set(true);
    return randwrite_close();
}

static bool attend_one(void)
{
    int64_t session = pick("SELECT id FROM training_session WHERE nendo = 2026 AND starts_at <= '2026-11-16T99'");
    int64_t who = pick(IN_SERVICE);
    if (!session || !who) return false;
    RosterEntry r = {who, true, -1};
    Errors e = {0};
    return completion_record(db, &ACTOR_CLI, session, &r, 1, &e) == 0;
}

static bool qual_one(Arena *a)
{
    int64_t who = pick(IN_SERVICE);
    const char *code = db_text(db, a, "SELECT code FROM qualification_type ORDER BY code LIMIT 1 OFFSET ?", rnd(3));
    Errors e = {0};
    return code && qual_add(db, &ACTOR_CLI, who, code, "2026-10-01", NULL, "", &e) == 0;
}

/* The plan parameters change the coverage rules' states and wording. */
static bool param_one(void)
{
    Errors e = {0};
    return rnd(2) ? kpi_param_set(db, &ACTOR_CLI, 2026, "rotation_years", 1 + rnd(6), &e) == 0
                  : kpi_param_set(db, &ACTOR_CLI, 2026, "info_unit_min", rnd(5), &e) == 0;
}

static void same_counts(const KpiUnitCount *c, int nc, const KpiUnitCount *f, int nf)
{
    assert_int_equal(nc, nf);
    for (int i = 0; i < nc; i++) {
        assert_int_equal(c[i].unit_id, f[i].unit_id);
        assert_string_equal(c[i].name, f[i].name);
        for (int k = 0; k < 4; k++) assert_int_equal(c[i].n[k], f[i].n[k]);
    }
}

/* The boards of the KPI pages (coverage rules, security training of the
 * lowest 課, staff per 部): read twice through the summary (the first may
 * compute and store, the second reads what was stored) and once from the
 * rows. */
static void same_boards(Arena *a, int nendo, const char *as_of)
{
    const char *at = as_of ? as_of : kpi_default_as_of(a, nendo);
    for (int pass = 0; pass < 2; pass++) {
        StaffingRow *cc, *cf;
        KpiUnitCount *sc, *sf, *bc, *bf;
        kpi_cache_set(true), gap_matrix_cache_set(true);
        int ncc = staffing_coverage(db, a, nendo, as_of, &cc);
        int nsc = kpi_security_lowest(db, a, nendo, at, &sc);
        int nbc = kpi_staff_by_bu(db, a, nendo, at, &bc);
        kpi_cache_set(false), gap_matrix_cache_set(false);
        int ncf = staffing_coverage(db, a, nendo, as_of, &cf);
        int nsf = kpi_security_lowest(db, a, nendo, at, &sf);
        int nbf = kpi_staff_by_bu(db, a, nendo, at, &bf);
        kpi_cache_set(true), gap_matrix_cache_set(true);
        assert_int_equal(ncc, ncf);
        assert_true(ncc > 0);
        for (int i = 0; i < ncc; i++) {
            assert_string_equal(cc[i].rule, cf[i].rule);
            assert_int_equal(cc[i].unit_id, cf[i].unit_id);
            assert_int_equal(cc[i].system_id, cf[i].system_id);
            assert_string_equal(cc[i].unit_name, cf[i].unit_name);
            assert_string_equal(cc[i].what, cf[i].what);
            assert_int_equal(cc[i].have, cf[i].have);
            assert_int_equal(cc[i].need, cf[i].need);
            assert_int_equal(cc[i].state, cf[i].state);
            assert_string_equal(cc[i].reason, cf[i].reason);
        }
        assert_true(nsc > 0 && nbc > 0);
        same_counts(sc, nsc, sf, nsf);
        same_counts(bc, nbc, bf, nbf);
        /* The home page: staff per tier and the year's tasks. */
        int tc[4], tf[4];
        YearTask yc[YT_COUNT], yf[YT_COUNT];
        kpi_tier_counts(db, a, nendo, at, tc);
        todo_year_tasks(db, a, nendo, at, yc);
        kpi_cache_set(false), gap_matrix_cache_set(false);
        kpi_tier_counts(db, a, nendo, at, tf);
        todo_year_tasks(db, a, nendo, at, yf);
        kpi_cache_set(true), gap_matrix_cache_set(true);
        TodoOffice oc, of;
        todo_office(db, a, nendo, at, &oc);
        kpi_cache_set(false), gap_matrix_cache_set(false);
        todo_office(db, a, nendo, at, &of);
        kpi_cache_set(true), gap_matrix_cache_set(true);
        assert_memory_equal(&oc, &of, sizeof oc);
        for (int k = 0; k < 4; k++) assert_int_equal(tc[k], tf[k]);
        assert_true(tc[0] > 0);
        for (int k = 0; k < YT_COUNT; k++) {
            assert_int_equal(yc[k].done, yf[k].done);
            assert_int_equal(yc[k].current, yf[k].current);
            assert_string_equal(yc[k].state, yf[k].state);
            assert_string_equal(yc[k].title, yf[k].title);
        }
    }
    assert_true(db_exists(db, "SELECT 1 FROM kpi_board_summary WHERE nendo = ? AND as_of = ? AND board = 'coverage' AND version = ?", nendo, at, data_version_of(db, DV_READS_COVERAGE)));
    assert_true(db_exists(db, "SELECT 1 FROM kpi_board_summary WHERE nendo = ? AND as_of = ? AND board = 'security' AND version = ?", nendo, at, data_version_of(db, DV_READS_SECURITY)));
    assert_true(db_exists(db, "SELECT 1 FROM kpi_board_summary WHERE nendo = ? AND as_of = ? AND board = 'bybu' AND version = ?", nendo, at, data_version_of(db, DV_READS_STAFF_COUNTS)));
    assert_true(db_exists(db, "SELECT 1 FROM kpi_board_summary WHERE nendo = ? AND as_of = ? AND board = 'tiers' AND version = ?", nendo, at, data_version_of(db, DV_READS_STAFF_COUNTS)));
    assert_true(db_exists(db, "SELECT 1 FROM kpi_board_summary WHERE nendo = ? AND as_of = ? AND board = 'yeartasks' AND version = ?", nendo, at, data_version(db)));
    assert_true(db_exists(db, "SELECT 1 FROM kpi_board_summary WHERE nendo = ? AND board = 'office' AND version = ?", nendo, data_version(db)));
}

static void same(int nendo, const char *as_of)
{
    Arena a = ARENA_INIT;
    KpiValue *c, *f;
    ExpertPlan pc, pf;
    PipelinePerson *qc, *qf;
    kpi_cache_set(true), gap_matrix_cache_set(true);
    kpi_compute(db, &a, nendo, as_of, &c);
    kpi_expert_plan(db, &a, nendo, as_of, &pc);
    int nc = kpi_pipeline(db, &a, nendo, as_of, &qc);
    kpi_cache_set(false), gap_matrix_cache_set(false);
    kpi_compute(db, &a, nendo, as_of, &f);
    kpi_expert_plan(db, &a, nendo, as_of, &pf);
    int nf = kpi_pipeline(db, &a, nendo, as_of, &qf);
    kpi_cache_set(true), gap_matrix_cache_set(true);
    for (int i = 0; i < kpi_count; i++) {
        if (fabs(c[i].actual - f[i].actual) > 1e-9 || c[i].num != f[i].num || c[i].den != f[i].den || fabs(c[i].previous - f[i].previous) > 1e-9 ||
            fabs(c[i].target - f[i].target) > 1e-9)
            fail_msg("%s as of %s: summary %g (%d/%d, prev %g) vs rows %g (%d/%d, prev %g)", c[i].def->code, as_of ? as_of : "-", c[i].actual,
                     c[i].num, c[i].den, c[i].previous, f[i].actual, f[i].num, f[i].den, f[i].previous);
    }
    assert_int_equal(pc.actual, pf.actual);
    assert_int_equal(pc.pipeline, pf.pipeline);
    assert_int_equal(pc.target, pf.target);
    assert_int_equal(nc, nf);
    for (int i = 0; i < nc; i++) {
        assert_int_equal(qc[i].staff_id, qf[i].staff_id);
        assert_int_equal(qc[i].short_by, qf[i].short_by);
        assert_int_equal(qc[i].met, qf[i].met);
        assert_string_equal(qc[i].unit_name, qf[i].unit_name);
    }
    same_boards(&a, nendo, as_of);
    arena_free(&a);
}

/* The summary is used: a second read at the same version is stored, and a
 * write of any kind moves the version. */
static void test_version_moves_with_writes(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KpiValue *v;
    kpi_compute(db, &a, 2026, NULL, &v);
    int64_t v0 = data_version_of(db, DV_READS_KPI);
    assert_true(db_exists(db, "SELECT 1 FROM kpi_summary WHERE nendo = 2026 AND version = ?", v0));
    assert_true(db_exists(db, "SELECT 1 FROM kpi_summary WHERE nendo = 2025 AND as_of = '2026-03-31' AND version = ?", v0));
    assert_true(attend_one());
    assert_int_equal(data_version_of(db, DV_READS_KPI), v0 + 1);
    /* A read recorded in the audit log is not a write. */
    assert_int_equal(audit_write(db, &ACTOR_CLI, "staff.view", "staff", 1, 1, "閲覧"), 0);
    assert_int_equal(data_version_of(db, DV_READS_KPI), v0 + 1);
    arena_free(&a);
}

static void test_random_writes_match_recomputation(void **state)
{
    (void)state;
    const char *dates[] = {NULL, "2026-09-30", "2027-03-31"};
    for (int step = 0; step < 24; step++) {
        Arena a = ARENA_INIT;
        same(2026, dates[step % 3]); /* stores the summary at this version */
        bool wrote = false;
        for (int tries = 0; tries < 10 && !wrote; tries++) {
            switch (rnd(10)) {
            case 0: wrote = submit_one(&a); break;
            case 1: wrote = confirm_one(); break;
            case 2: wrote = attend_one(); break;
            case 3: wrote = designate_one(&a); break;
            case 7: wrote = apply_one(); break;
            case 8: wrote = activity_one(); break;
            case 9: wrote = target_one(); break;
            case 4: wrote = transfer_one(&a); break;
            case 5: wrote = param_one(); break;
            default: wrote = qual_one(&a); break;
            }
        }
        assert_true(wrote);
        same(2026, dates[step % 3]);
        same(2026, dates[(step + 1) % 3]);
        arena_free(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_moves_with_writes),
        cmocka_unit_test(test_random_writes_match_recomputation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
