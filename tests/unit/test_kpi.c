/* test_kpi.c - every KPI formula on a small organisation whose answers are
 * known, the as-of rules, coverage with rotation risk, the expert plan, and
 * a transfer list that writes nothing until applied. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "db/migrate.h"
#include "domain/staffing.h"
#include "domain/kpi.h"
#include "domain/skill.h"
#include "domain/transfer.h"
#include "../tmpdb.h"

static Db *db;
static char path[64];
static int64_t ka, k1, k2, s[6];


static int64_t unit(const char *code, int level, int64_t parent, int info)
{
    return db_int(db, 0, "INSERT INTO org_unit (code, name, level, parent_id, valid_from, is_info) VALUES (?, ?, ?, ?, '2020-04-01', ?) RETURNING id",
                  code, code, level, DB_ID_OR_NULL(parent), info);
}

static int64_t person(const char *no, int64_t u, const char *emp, const char *since)
{
    int64_t id = db_int(db, 0, "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at) VALUES (?, ?, ?, 'x', 'x') RETURNING id",
                        no, no, emp);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date) VALUES (?, ?, ?)", id, u, since);
    return id;
}

static void designate(int64_t who, int tier, const char *subtype, int64_t u, const char *on)
{
    db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2026, ?, ?, ?, ?)", who,
            tier, subtype, u, on);
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "kpi");
    if (!db) return -1;
    static const char map[] = SKILL_CSV_HEAD ",C,区分,,独自,,,,,,,,\r\nC,I1,項目1,,独自,,,,,,2,3,4\r\nC,I2,項目2,,独自,,,,,,2,3,4\r\n";
    SkillImportResult res;
    Errors e = {0};
    if (skill_import_csv(db, &ACTOR_CLI, map, sizeof map - 1, 2026, "core", &res, &e) != 0) return -1;
    ka = unit("KA", 3, 0, 0);
    k1 = unit("K1", 4, ka, 0);
    k2 = unit("K2", 4, ka, 1); /* an information unit */
    s[0] = person("A", k1, "regular", "2026-04-01");
    s[1] = person("B", k1, "regular", "2015-04-01"); /* long in post */
    s[2] = person("C", k2, "regular", "2024-04-01");
    s[3] = person("D", k2, "fiscal_year", "2024-04-01");
    s[4] = person("E", k2, "regular", "2024-04-01");
    s[5] = person("F", k1, "regular", "2024-04-01");
    designate(s[1], 2, "lead", k1, "2026-04-01"); /* K1 led by someone due for rotation; K2 has no leader */
    designate(s[2], 1, "info", k2, "2026-04-01");
    designate(s[4], 1, "info", k2, "2026-04-01");
    /* Security course: A completes (recorded in June), D completes in December. */
    int64_t c = db_int(db, 0, "INSERT INTO course (code, title, provider, format, minutes, security) VALUES ('SEC', 'sec', 'somu', 'elearning', 90, 1)"
                              " RETURNING id");
    int64_t t = db_int(db, 0, "INSERT INTO training_session (course_id, nendo, starts_at, ends_at, capacity) VALUES (?, 2026, '2026-05-01T09:00',"
                              " '2027-03-31T17:00', 0) RETURNING id", c);
    db_exec(db, "INSERT INTO completion (session_id, staff_id, attended, minutes, completed, recorded_at) VALUES (?, ?, 1, 90, 1, '2026-06-10')", t, s[0]);
    db_exec(db, "INSERT INTO completion (session_id, staff_id, attended, minutes, completed, recorded_at) VALUES (?, ?, 1, 90, 1, '2026-12-10')", t, s[3]);
    /* Assessments: A submitted in June, confirmed in July; C submitted in June. */
    int64_t x = db_int(db, 0, "INSERT INTO assessment (staff_id, nendo, state, submitted_at, confirmed_at, updated_at) VALUES (?, 2026, 'confirmed',"
                              " '2026-06-01T10:00', '2026-07-01T10:00', 'x') RETURNING id", s[0]);
    int64_t i1 = db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'I1'"), i2 = db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'I2'");
    db_exec(db, "INSERT INTO assessment_item (assessment_id, item_id, self_level, sup_level) VALUES (?, ?, 2, 2), (?, ?, 1, 1)", x, i1, x, i2);
    int64_t y = db_int(db, 0, "INSERT INTO assessment (staff_id, nendo, state, submitted_at, updated_at) VALUES (?, 2026, 'submitted',"
                              " '2026-06-01T10:00', 'x') RETURNING id", s[2]);
    db_exec(db, "INSERT INTO assessment_item (assessment_id, item_id, self_level) VALUES (?, ?, 4), (?, ?, 3)", y, i1, y, i2);
    db_exec(db, "INSERT INTO qualification_type (code, name) VALUES ('IP', 'ITパスポート')");
    db_exec(db, "INSERT INTO staff_qualification (staff_id, qual_code, acquired_on, expires_on) VALUES (?, 'IP', '2020-01-01', NULL),"
                " (?, 'IP', '2020-01-01', '2026-05-01')", s[0], s[1]);
    db_exec(db, "INSERT INTO share_back (staff_id, held_on, content, created_at) VALUES (?, '2026-08-01', 'x', 'x')", s[1]);
    int64_t ks = db_int(db, 0, "INSERT INTO key_system (name, unit_id) VALUES ('SYS', ?) RETURNING id", ka);
    db_exec(db, "INSERT INTO key_system_duty (system_id, staff_id, role, from_date) VALUES (?, ?, 'main', '2000-04-01'), (?, ?, 'backup', '2000-04-01')", ks, s[0], ks, s[1]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static const KpiValue *kv(const KpiValue *v, const char *code)
{
    for (int i = 0; i < kpi_count; i++)
        if (strcmp(v[i].def->code, code) == 0) return &v[i];
    fail_msg("no KPI %s", code);
    return NULL;
}

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 0.05)

static void test_formulas(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KpiValue *v;
    kpi_compute(db, &a, 2026, "2027-03-31", &v);
    NEAR(kv(v, "LEADER_RATE")->actual, 50.0);      /* K1 led, K2 not */
    NEAR(kv(v, "EXPERT_COUNT")->actual, 2);
    NEAR(kv(v, "SEC_TRAINING")->actual, 100.0 * 2 / 6); /* all six count, 会計年度任用 included */
    NEAR(kv(v, "TRAIN_RATE_T3")->actual, 100.0 * 1 / 2); /* ③ counted types: A, F (D is 会計年度任用) */
    NEAR(kv(v, "TRAINEES")->actual, 2);
    NEAR(kv(v, "TRAIN_HOURS")->actual, 3.0);
    NEAR(kv(v, "SKILL_ATTAIN_T3")->actual, 50.0);   /* A: I1 2>=2, I2 1<2 */
    NEAR(kv(v, "SKILL_ATTAIN_T1")->actual, 50.0);   /* C: I1 4>=4, I2 3<4 */
    NEAR(kv(v, "SELF_ASSESS")->actual, 100.0 * 2 / 5); /* A, C of five counted */
    NEAR(kv(v, "CONFIRM")->actual, 100.0 * 1 / 5);
    NEAR(kv(v, "QUAL_HOLDERS")->actual, 1);         /* B's has expired */
    NEAR(kv(v, "SHAREBACK")->actual, 100.0);        /* B is the only leader and shared */
    NEAR(kv(v, "LEADER_RATE")->target, 100.0);      /* default target */
    arena_free(&a);
}

static void test_as_of(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KpiValue *v;
    kpi_compute(db, &a, 2026, "2026-06-30", &v);
    NEAR(kv(v, "SEC_TRAINING")->actual, 100.0 * 1 / 6); /* D completed in December */
    NEAR(kv(v, "CONFIRM")->actual, 0.0);                 /* confirmed in July */
    NEAR(kv(v, "SELF_ASSESS")->actual, 40.0);
    NEAR(kv(v, "QUAL_HOLDERS")->actual, 1);              /* B's expired 2026-05-01 */
    kpi_compute(db, &a, 2026, "2026-04-15", &v);
    NEAR(kv(v, "QUAL_HOLDERS")->actual, 2);              /* both valid then */
    NEAR(kv(v, "SHAREBACK")->actual, 0.0);
    arena_free(&a);
}

static void test_coverage_and_plan(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    StaffingRow *rows;
    int n = staffing_coverage(db, &a, 2026, "2026-10-01", &rows);
    int seen = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(rows[i].rule, "leader") == 0 && rows[i].unit_id == k1) assert_int_equal(rows[i].state, STAFFING_RISK), seen++; /* B: 11 years */
        if (strcmp(rows[i].rule, "leader") == 0 && rows[i].unit_id == k2) assert_int_equal(rows[i].state, STAFFING_NOT_MET), seen++;
        if (strcmp(rows[i].rule, "experts") == 0) assert_int_equal(rows[i].have, 2), assert_int_equal(rows[i].state, STAFFING_NOT_MET), seen++;
        if (strcmp(rows[i].rule, "keysystem") == 0) assert_int_equal(rows[i].state, STAFFING_RISK), seen++; /* two, one of them B */
    }
    assert_int_equal(seen, 4);
    Errors e = {0};
    assert_int_equal(kpi_param_set(db, &ACTOR_CLI, 2026, "info_seats", 6, &e), 0);
    assert_int_equal(kpi_param_set(db, &ACTOR_CLI, 2026, "rotation_years", 0, &e), -1);
    ExpertPlan p;
    kpi_expert_plan(db, &a, 2026, "2026-10-01", &p);
    assert_int_equal(p.buffer, 5); /* ceil(6 × 3 ÷ 4) */
    assert_int_equal(p.target, 11);
    assert_int_equal(p.actual, 2);
    memset(&e, 0, sizeof e);
    assert_int_equal(kpi_target_set(db, &ACTOR_CLI, "SHAREBACK", 2026, 75.5, "コメント", &e), 0);
    assert_int_equal(kpi_target_set(db, &ACTOR_CLI, "SHAREBACK", 2026, 150, "", &e), -1);
    KpiValue *v;
    kpi_compute(db, &a, 2026, NULL, &v);
    NEAR(kv(v, "SHAREBACK")->target, 75.5);
    assert_string_equal(kv(v, "SHAREBACK")->comment, "コメント");
    arena_free(&a);
}

static int64_t count(const char *table_sql) { return db_int(db, -1, table_sql); }

static void test_transfer_writes_nothing_until_applied(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Errors e = {0};
    /* B (K1's only leader) moves to K2; a hire; C retires. */
    static const char csv[] = "職員番号,区分,新所属コード,発令日,氏名,カナ,職員区分\r\nB,異動,K2,2027-04-01,,,\r\n"
                              "N1,採用,K1,2027-04-01,新人　一郎,シンジン　イチロウ,正規\r\nC,退職,,2027-04-01,,,\r\n";
    TransferList l;
    assert_int_equal(transfer_parse(db, &a, csv, sizeof csv - 1, &l, &e), 0);
    int64_t assignments = count("SELECT COUNT(*) FROM assignment"), audits = count("SELECT COUNT(*) FROM audit_log"),
            staff = count("SELECT COUNT(*) FROM staff");
    TransferEffect fx;
    assert_int_equal(transfer_preview(db, &a, &ACTOR_CLI, &l, 2026, &fx, &e), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM assignment"), assignments);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    assert_int_equal(count("SELECT COUNT(*) FROM staff"), staff);
    assert_int_equal(fx.nlost, 1);
    assert_int_equal(fx.lost_units[0], k1);
    assert_true(fx.ncandidates[0] >= 1); /* A, F or the new hire */
    assert_int_equal(fx.expert_after.actual, fx.expert_before.actual - 1); /* C retires */
    /* Bad rows are reported by line and nothing is parsed into effect. */
    static const char bad[] = "職員番号,区分,新所属コード,発令日\r\nZZ,異動,K2,2027-04-01\r\nA,異動,NOPE,2027-04-01\r\nA,転勤,K2,2027-13-01\r\n";
    memset(&e, 0, sizeof e);
    assert_int_equal(transfer_parse(db, &a, bad, sizeof bad - 1, &l, &e), -1);
    assert_true(e.n >= 3);
    assert_non_null(strstr(e.items[0].msg, "2行目"));
    /* Applying writes it all, in one go. */
    memset(&e, 0, sizeof e);
    assert_int_equal(transfer_parse(db, &a, csv, sizeof csv - 1, &l, &e), 0);
    assert_int_equal(transfer_apply(db, &ACTOR_CLI, &l, &e), 0);
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND to_date = '2027-03-31'", s[1], k1));
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND from_date = '2027-04-01'", s[1], k2));
    assert_true(db_exists(db, "SELECT 1 FROM staff WHERE staff_no = 'N1'"));
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date = '2027-03-31'", s[2]));
    assert_false(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND (to_date IS NULL OR to_date > '2027-03-31')", s[2]));
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits + 4);
    arena_free(&a);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formulas), cmocka_unit_test(test_as_of), cmocka_unit_test(test_coverage_and_plan),
        cmocka_unit_test(test_transfer_writes_nothing_until_applied),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
