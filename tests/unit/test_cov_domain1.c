/* test_cov_domain1.c - the refusals of the catalogue, the annual plan, the
 * organisation, the assessment cycle, attendance and the 年度 rollover, on
 * the demo city of 年度 2026: each bad input is named on its field and
 * writes nothing, and the boundaries (4/1 and 3/31, a leap day carried into
 * a common year, a unit closed on its first day) hold. */
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
#include "domain/assess.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/keysys.h"
#include "domain/kpi.h"
#include "domain/nendo.h"
#include "domain/org.h"
#include "domain/skill.h"
#include "domain/completion.h"
#include "domain/training.h"
#include "../tmpdb.h"

#define TODAY "2026-11-16"

static Db *db;
static char path[64];
static const Actor who = {0, "tester", "127.0.0.1"};

static int setup(void **state)
{
    (void)state;
    if (util_clock_set_today(TODAY) != 0) return -1;
    password_init();
    password_use_test_cost();
    db = tmpdb_open(path, sizeof path, "cov-domain1");
    if (!db) return -1;
    if (skill_load_defaults(db, 2025) != 0 || course_load_defaults(db) != 0 || demo_load(db, "test-password-1234", 2026, 7u) != 0 ||
        demo_assessments(db, 2026, 7u) != 0 || demo_training(db, 2026, 7u) != 0 || demo_kpi(db, 2026, 7u) != 0)
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

/* True when e holds an error on field whose message contains part. */
static bool err_on(const Errors *e, const char *field, const char *part)
{
    for (int i = 0; i < e->n; i++)
        if (strcmp(e->items[i].field, field) == 0 && (!part || strstr(e->items[i].msg, part))) return true;
    return false;
}

static int64_t audits(const char *action) { return db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action); }

/* ---- the catalogue ---- */

static void test_course_refusals(void **state)
{
    (void)state;
    int64_t courses = db_int(db, 0, "SELECT COUNT(*) FROM course"), saves = audits("course.save");
    Arena a = ARENA_INIT;
    const char *taken = db_text(db, &a, "SELECT code FROM course ORDER BY id LIMIT 1");
    int64_t item = db_int(db, 0, "SELECT id FROM skill_item ORDER BY id LIMIT 1");
    assert_non_null(taken);
    assert_true(item > 0);
    char long_posts[400], long_desc[3100];
    memset(long_posts, 'x', 101), long_posts[101] = 0;
    memset(long_desc, 'y', 1001), long_desc[1001] = 0;

    /* A code already used, and every other field out of range. */
    CourseSkill sk[3] = {{item, NULL, NULL, 5}, {999999, NULL, NULL, 2}, {item, NULL, NULL, 2}};
    Course c = {.code = taken, .title = "", .provider = "nowhere", .format = "radio", .target_tiers = 1, .minutes = -1,
                .capacity = 10001, .cost = -5, .target_posts = long_posts, .description = long_desc, .skills = sk, .nskills = 3};
    Errors e = {0};
    assert_int_equal(course_save(db, &who, &c, &e), -1);
    assert_true(err_on(&e, "code", "既に使われています"));
    assert_true(err_on(&e, "title", NULL));
    assert_true(err_on(&e, "provider", NULL));
    assert_true(err_on(&e, "format", NULL));
    assert_true(err_on(&e, "tier", NULL));
    assert_true(err_on(&e, "minutes", NULL));
    assert_true(err_on(&e, "capacity", NULL));
    assert_true(err_on(&e, "cost", NULL));
    assert_true(err_on(&e, "target_posts", NULL));
    assert_true(err_on(&e, "description", NULL));
    assert_true(err_on(&e, "skills", "1〜4"));
    assert_true(err_on(&e, "skills", "見つかりません"));
    assert_true(err_on(&e, "skills", "重複"));

    /* A code with characters outside 半角英数字. */
    Course bad = {.code = "研修 01", .title = "t", .provider = "somu", .format = "group", .target_tiers = 8};
    Errors e2 = {0};
    assert_int_equal(course_save(db, &who, &bad, &e2), -1);
    assert_true(err_on(&e2, "code", "半角英数字"));
    assert_int_equal(e2.n, 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM course"), courses);
    assert_int_equal(audits("course.save"), saves);
    arena_free(&a);
}

static void test_course_update_replaces_skills(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    int64_t id = db_int(db, 0, "SELECT course_id FROM course_skill GROUP BY course_id HAVING COUNT(*) >= 1 ORDER BY course_id LIMIT 1");
    assert_true(id > 0);
    Course c;
    assert_true(course_get(db, &a, id, &c));
    assert_false(course_get(db, &a, 999999, &(Course){0}));
    int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE id NOT IN (SELECT item_id FROM course_skill WHERE course_id = ?) LIMIT 1", id);
    CourseSkill one = {item, NULL, NULL, 2};
    c.skills = &one;
    c.nskills = 1;
    c.capacity = 0; /* 0: no limit, the lower bound */
    c.active = false;
    Errors e = {0};
    assert_int_equal(course_save(db, &who, &c, &e), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM course_skill WHERE course_id = ?", id), 1);
    assert_int_equal(db_int(db, 0, "SELECT level FROM course_skill WHERE course_id = ? AND item_id = ?", id, item), 2);
    assert_int_equal(db_int(db, -1, "SELECT active FROM course WHERE id = ?", id), 0);
    /* A retired course leaves the active list but stays in the full one. */
    Course *all, *act;
    int nall = course_list(db, &a, false, &all), nact = course_list(db, &a, true, &act);
    assert_int_equal(nall - nact, db_int(db, 0, "SELECT COUNT(*) FROM course WHERE active = 0"));
    bool listed = false;
    for (int i = 0; i < nact; i++) listed |= act[i].id == id;
    assert_false(listed);
    arena_free(&a);
}

/* ---- the annual plan ---- */

static void test_plan_refusals_and_delete(void **state)
{
    (void)state;
    int64_t plans = db_int(db, 0, "SELECT COUNT(*) FROM training_plan");
    char note[700];
    memset(note, 'n', 201), note[201] = 0;
    PlanRow p = {.course_id = 1, .nendo = 1999, .sessions = 1001, .seats = -1, .month = 13, .budget = -1, .note = note};
    Errors e = {0};
    assert_int_equal(plan_save(db, &who, &p, &e), -1);
    assert_true(err_on(&e, "nendo", NULL));
    assert_true(err_on(&e, "sessions", NULL));
    assert_true(err_on(&e, "seats", NULL));
    assert_true(err_on(&e, "month", NULL));
    assert_true(err_on(&e, "budget", NULL));
    assert_true(err_on(&e, "note", NULL));

    /* A course that does not exist. */
    PlanRow q = {.course_id = 999999, .nendo = 2027, .month = 4};
    Errors e2 = {0};
    assert_int_equal(plan_save(db, &who, &q, &e2), -1);
    assert_true(err_on(&e2, "course_id", NULL));

    /* Several rows are all or none: a good row before a bad one is not kept. */
    int64_t course = db_int(db, 0, "SELECT id FROM course WHERE active = 1 ORDER BY id LIMIT 1");
    PlanRow rows[2] = {{.course_id = course, .nendo = 2027, .sessions = 2, .seats = 40, .month = 4, .budget = 1000},
                       {.course_id = course, .nendo = 2027, .month = 0, .budget = -3}};
    Errors e3 = {0};
    assert_int_equal(plan_save_many(db, &who, rows, 2, &e3), -1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM training_plan"), plans);

    /* Month 0 (未定) and 3 (March, the end of the 年度) are accepted; saving
     * again for the same course updates the row. */
    PlanRow ok1 = {.course_id = course, .nendo = 2027, .sessions = 1, .seats = 20, .month = 3, .budget = 0};
    Errors e4 = {0};
    assert_int_equal(plan_save(db, &who, &ok1, &e4), 0);
    PlanRow ok2 = {.course_id = course, .nendo = 2027, .sessions = 3, .seats = 60, .month = 0, .budget = 5000, .note = "後期"};
    assert_int_equal(plan_save(db, &who, &ok2, &e4), 0);
    assert_int_equal(ok1.id, ok2.id);
    assert_int_equal(db_int(db, 0, "SELECT sessions FROM training_plan WHERE id = ?", ok1.id), 3);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM training_plan"), plans + 1);

    Errors e5 = {0};
    assert_int_equal(plan_delete(db, &who, 999999, &e5), -1);
    assert_true(err_on(&e5, "", "計画が見つかりません"));
    int64_t deletes = audits("plan.delete");
    Errors e6 = {0};
    assert_int_equal(plan_delete(db, &who, ok1.id, &e6), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM training_plan"), plans);
    assert_int_equal(audits("plan.delete"), deletes + 1);
}

/* ---- the organisation ---- */

static void test_org_refusals(void **state)
{
    (void)state;
    int64_t units = db_int(db, 0, "SELECT COUNT(*) FROM org_unit");
    assert_string_equal(org_level_name(0), "");
    assert_string_equal(org_level_name(5), "");
    assert_string_equal(org_level_name(LEVEL_KAKARI), "係");

    Unit u = {.code = "", .name = "", .level = 0, .valid_from = "2026-13-01", .valid_to = "nope"};
    Errors e = {0};
    assert_int_equal(org_save(db, &who, &u, &e), -1);
    assert_true(err_on(&e, "code", "入力してください"));
    assert_true(err_on(&e, "name", "入力してください"));
    assert_true(err_on(&e, "level", NULL));
    assert_true(err_on(&e, "valid_from", NULL));
    assert_true(err_on(&e, "valid_to", "正しい日付"));

    char longname[200] = "";
    for (int i = 0; i < 61; i++) strcat(longname, "課");
    Unit u2 = {.code = "A B", .name = longname, .level = LEVEL_KA, .valid_from = "2026-04-01", .valid_to = "2026-03-31"};
    Errors e2 = {0};
    assert_int_equal(org_save(db, &who, &u2, &e2), -1);
    assert_true(err_on(&e2, "code", "半角英数字"));
    assert_true(err_on(&e2, "name", "60文字"));
    assert_true(err_on(&e2, "valid_to", "開始日以降"));
    assert_true(err_on(&e2, "parent_id", "上位組織を選んで"));

    /* A 課 under another 課, and a 課 whose parent does not exist. */
    int64_t ka = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 3 AND valid_to IS NULL ORDER BY id LIMIT 1");
    int64_t kakari = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 4 AND parent_id = ? ORDER BY id LIMIT 1", ka);
    assert_true(kakari > 0);
    Unit u3 = {.code = "NEW-KA", .name = "新しい課", .level = LEVEL_KA, .parent_id = ka, .valid_from = "2027-04-01"};
    Errors e3 = {0};
    assert_int_equal(org_save(db, &who, &u3, &e3), -1);
    assert_true(err_on(&e3, "parent_id", "上の階層"));
    u3.parent_id = 999999;
    Errors e4 = {0};
    assert_int_equal(org_save(db, &who, &u3, &e4), -1);
    assert_true(err_on(&e4, "parent_id", "上位組織を選んで"));

    /* A 部 made a 係 under one of its own 課: the cycle rule. */
    int64_t bu = db_int(db, 0, "SELECT parent_id FROM org_unit WHERE id = ?", ka);
    Arena a = ARENA_INIT;
    Unit b, k;
    assert_true(org_get(db, &a, bu, &b));
    assert_true(org_get(db, &a, ka, &k));
    assert_true(org_in_subtree(db, bu, kakari));
    assert_false(org_in_subtree(db, 0, kakari));
    assert_false(org_in_subtree(db, kakari, bu));
    Unit up = b;
    up.level = LEVEL_KAKARI;
    up.parent_id = ka;
    Errors e6 = {0};
    assert_int_equal(org_save(db, &who, &up, &e6), -1);
    assert_true(err_on(&e6, "parent_id", "自分自身や下位"));
    assert_int_equal(db_int(db, 0, "SELECT level FROM org_unit WHERE id = ?", bu), LEVEL_BU);

    /* A code used by a unit valid in the same period. */
    Unit dup = {.code = k.code, .name = "同じコード", .level = LEVEL_KA, .parent_id = bu, .valid_from = "2027-04-01"};
    Errors e7 = {0};
    assert_int_equal(org_save(db, &who, &dup, &e7), -1);
    assert_true(err_on(&e7, "code", "同じ期間"));

    /* Updating a unit that has gone. */
    Unit gone = {.id = 999999, .code = "GONE", .name = "無い課", .level = LEVEL_KA, .parent_id = bu, .valid_from = "2027-04-01"};
    Errors e8 = {0};
    assert_int_equal(org_save(db, &who, &gone, &e8), -1);
    assert_true(err_on(&e8, "", "組織が見つかりません"));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM org_unit"), units);
    arena_free(&a);
}

static void test_org_create_and_close(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    int64_t ka = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 3 AND valid_to IS NULL ORDER BY id LIMIT 1");
    int64_t kakari = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 4 AND parent_id = ? ORDER BY id LIMIT 1", ka);
    /* A 執行機関 takes no parent, whatever the form sent. */
    Unit top = {.code = "KIKAN-X", .name = "監査委員", .level = LEVEL_KIKAN, .parent_id = ka, .valid_from = "2027-04-01"};
    Errors e = {0};
    assert_int_equal(org_save(db, &who, &top, &e), 0);
    assert_true(db_int(db, -1, "SELECT parent_id IS NULL FROM org_unit WHERE id = ?", top.id) == 1);
    /* A new 係 from next April, under an existing 課. */
    Unit nu = {.code = "NEW-KAKARI", .name = "データ活用係", .level = LEVEL_KAKARI, .parent_id = ka, .valid_from = "2027-04-01"};
    assert_int_equal(org_save(db, &who, &nu, &e), 0);
    assert_true(nu.id > 0);
    assert_int_equal(audits("org.create") >= 2, 1);
    /* It is not in the tree of 3/31 and is in the one of 4/1. */
    UnitTree t;
    org_tree(db, &a, "2027-03-31", 2026, &t);
    assert_null(org_tree_find(&t, nu.id));
    org_tree(db, &a, "2027-04-01", 2027, &t);
    UnitNode *n = org_tree_find(&t, nu.id);
    assert_non_null(n);
    assert_true(n->needs_lead);
    assert_int_equal(n->leads, 0);
    Unit *opts;
    int nopt = org_options(db, &a, "2027-04-01", ka, &opts);
    bool found = false;
    for (int i = 0; i < nopt; i++) found |= opts[i].id == nu.id;
    assert_true(found);
    assert_int_equal(org_options(db, &a, "2027-04-01", 999999, &opts), 0);
    Unit pth[8];
    int np = org_path(db, &a, nu.id, pth);
    assert_true(np >= 2);
    assert_int_equal(pth[np - 1].id, nu.id);
    assert_int_equal(pth[np - 2].id, ka);

    /* Closing: unknown unit, bad date, before it starts, with open 係, with staff. */
    Errors c1 = {0};
    assert_int_equal(org_close(db, &who, 999999, "2027-04-30", &c1), -1);
    assert_true(err_on(&c1, "", "見つかりません"));
    Errors c2 = {0};
    assert_int_equal(org_close(db, &who, nu.id, "2027-02-30", &c2), -1);
    assert_true(err_on(&c2, "last_day", "正しい日付"));
    Errors c2b = {0};
    assert_int_equal(org_close(db, &who, nu.id, NULL, &c2b), -1);
    assert_true(err_on(&c2b, "last_day", "正しい日付"));
    Errors c3 = {0};
    assert_int_equal(org_close(db, &who, nu.id, "2027-03-31", &c3), -1);
    assert_true(err_on(&c3, "last_day", "開始日以降"));
    Errors c4 = {0};
    assert_int_equal(org_close(db, &who, ka, "2027-03-31", &c4), -1);
    assert_true(err_on(&c4, "last_day", "下位組織"));
    Errors c5 = {0};
    assert_int_equal(org_close(db, &who, kakari, "2027-03-31", &c5), -1);
    assert_true(err_on(&c5, "last_day", "配属されている職員"));
    assert_true(db_int(db, -1, "SELECT valid_to IS NULL FROM org_unit WHERE id = ?", kakari) == 1);

    /* The new 係 closes on its first day: valid for exactly 4/1. */
    Errors c6 = {0};
    assert_int_equal(org_close(db, &who, nu.id, "2027-04-01", &c6), 0);
    char *vt = db_text(db, &a, "SELECT valid_to FROM org_unit WHERE id = ?", nu.id);
    assert_string_equal(vt, "2027-04-01");
    org_tree(db, &a, "2027-04-02", 2027, &t);
    assert_null(org_tree_find(&t, nu.id));
    arena_free(&a);
}

/* ---- the assessment cycle ---- */

static void test_assess_period_refusals(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(assess_period_set(db, &who, 2026, NULL, "x", &e), -1);
    assert_true(err_on(&e, "opens_on", NULL));
    assert_true(err_on(&e, "closes_on", NULL));
    Errors e2 = {0};
    assert_int_equal(assess_period_set(db, &who, 2026, "2026-09-01", "2026-08-31", &e2), -1);
    assert_true(err_on(&e2, "closes_on", "開始日以降"));
    Errors e3 = {0};
    assert_int_equal(assess_period_set(db, &who, 1999, "1999-05-01", "1999-06-01", &e3), -1);
    assert_true(err_on(&e3, "nendo", NULL));
    /* 3/31 belongs to the 年度 before: a period of 2027 cannot open on it. */
    Errors e4 = {0};
    assert_int_equal(assess_period_set(db, &who, 2027, "2027-03-31", "2027-06-30", &e4), -1);
    assert_true(err_on(&e4, "opens_on", "令和"));
    Errors e5 = {0};
    assert_int_equal(assess_period_set(db, &who, 2027, "2027-04-01", "2028-04-01", &e5), -1);
    assert_true(err_on(&e5, "closes_on", NULL));
    assert_false(db_exists(db, "SELECT 1 FROM assess_period WHERE nendo = 2027"));
    /* The whole 年度, 4/1 to 3/31, is allowed. */
    Errors e6 = {0};
    assert_int_equal(assess_period_set(db, &who, 2027, "2027-04-01", "2028-03-31", &e6), 0);
    Arena a = ARENA_INIT;
    AssessPeriod p;
    assess_period_get(db, &a, 2027, &p);
    assert_true(assess_period_open(&p, "2027-04-01"));
    assert_true(assess_period_open(&p, "2028-03-31"));
    assert_false(assess_period_open(&p, "2028-04-01"));
    assess_period_get(db, &a, 2040, &p);
    assert_false(assess_period_open(&p, "2040-05-01"));
    db_exec(db, "DELETE FROM assess_period WHERE nendo = 2027");
    arena_free(&a);
}

static void test_assess_helpers(void **state)
{
    (void)state;
    char out[11];
    assess_nendo_clamp(2026, "2026-03-31", out);
    assert_string_equal(out, "2026-04-01");
    assess_nendo_clamp(2026, "2027-04-01", out);
    assert_string_equal(out, "2027-03-31");
    assess_nendo_clamp(2026, "2026-12-01", out);
    assert_string_equal(out, "2026-12-01");
    assess_nendo_clamp(2026, "garbage", out);
    assert_string_equal(out, TODAY); /* the 年度 runs: viewed today */
    assess_nendo_clamp(2024, NULL, out);
    assert_string_equal(out, "2025-03-31");
    assert_string_equal(assess_state_name((AssessState)9), "");
    assert_string_equal(assess_state_code((AssessState)9), "");
    assert_int_equal(assess_state_parse("nonsense"), AS_NONE);
    assert_int_equal(assess_state_parse("returned"), AS_RETURNED);
    Arena a = ARENA_INIT;
    assert_string_equal(assess_basis_text(&a, NULL, 0), "評価基準：現在の目標");
    const char *t = assess_basis_text(&a, "2026-06-01", (1u << 2) | (1u << 3));
    assert_non_null(strstr(t, "令和8年6月1日"));
    assert_non_null(strstr(t, "・"));
    arena_free(&a);
}

static void test_assess_refusals(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    /* Someone with no assessment row in 2026. */
    int64_t staff = db_int(db, 0,
                           "SELECT s.id FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL"
                           " WHERE NOT EXISTS (SELECT 1 FROM assessment x WHERE x.staff_id = s.id AND x.nendo = 2026) ORDER BY s.id LIMIT 1");
    assert_true(staff > 0);
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    assert_true(m.nitems > 0);
    char longc[1300] = "";
    for (int i = 0; i < 401; i++) strcat(longc, "あ");
    SelfInput in[2] = {{m.items[0].id, 7, "", ""}, {m.items[1 % m.nitems].id, -1, longc, ""}};
    /* Outside the period (the day before the demo's opens, or after it closes). */
    AssessPeriod p;
    assess_period_get(db, &a, 2026, &p);
    assert_non_null(p.opens_on);
    Errors e = {0};
    assert_int_equal(assess_save_self(db, &who, &m, staff, 2026, "2027-04-01", in, 2, true, &e), -1);
    assert_true(err_on(&e, "", "評価期間外"));
    assert_true(err_on(&e, "", "0〜4"));
    assert_true(err_on(&e, "", "未選択の項目が1件"));
    bool long_named = false;
    for (int i = 0; i < e.n; i++) long_named |= e.items[i].field[0] == 'c';
    assert_true(long_named);
    assert_int_equal(assess_id_of(db, staff, 2026), 0);

    /* 上司確認 and 差戻し of rows that are not 提出済. */
    int64_t draft = db_int(db, 0, "SELECT id FROM assessment WHERE state IN ('draft', 'confirmed') ORDER BY id LIMIT 1");
    assert_true(draft > 0);
    char *st0 = db_text(db, &a, "SELECT state FROM assessment WHERE id = ?", draft);
    SupInput sup[1] = {{m.items[0].id, 9, longc}};
    Errors c1 = {0};
    assert_int_equal(assess_confirm(db, &who, draft, sup, 1, &c1), -1);
    assert_true(err_on(&c1, "", "0〜4"));
    assert_true(err_on(&c1, "", "400文字"));
    Errors c2 = {0};
    assert_int_equal(assess_confirm(db, &who, 999999, NULL, 0, &c2), -1);
    assert_true(err_on(&c2, "", "見つかりません"));
    Errors c3 = {0};
    assert_int_equal(assess_confirm(db, &who, draft, NULL, 0, &c3), -1);
    assert_true(err_on(&c3, "", "提出済みの評価だけ"));
    Errors c4 = {0};
    assert_int_equal(assess_confirm_many(db, &who, NULL, 0, &c4), -1);
    assert_true(err_on(&c4, "", "選んでください"));
    int64_t ids[2] = {db_int(db, 0, "SELECT id FROM assessment WHERE state = 'submitted' ORDER BY id LIMIT 1"), draft};
    assert_true(ids[0] > 0);
    Errors c5 = {0};
    assert_int_equal(assess_confirm_many(db, &who, ids, 2, &c5), -1);
    assert_true(err_on(&c5, "", "提出済みでない"));
    /* The whole batch is refused: the first, 提出済, one is unchanged. */
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assessment WHERE id = ? AND state = 'submitted'", ids[0]), 1);
    Errors r1 = {0};
    assert_int_equal(assess_return(db, &who, ids[0], "", &r1), -1);
    assert_true(err_on(&r1, "message", "入力してください"));
    char longm[1300] = "";
    for (int i = 0; i < 401; i++) strcat(longm, "差");
    Errors r2 = {0};
    assert_int_equal(assess_return(db, &who, ids[0], longm, &r2), -1);
    assert_true(err_on(&r2, "message", "400文字"));
    Errors r3 = {0};
    assert_int_equal(assess_return(db, &who, draft, "やり直してください", &r3), -1);
    assert_true(err_on(&r3, "", "提出済みの評価だけ"));
    assert_string_equal(db_text(db, &a, "SELECT state FROM assessment WHERE id = ?", draft), st0);
    arena_free(&a);
}

static void test_assess_confirm_needs_reason(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    int64_t id = db_int(db, 0, "SELECT id FROM assessment WHERE state = 'submitted' AND nendo = 2026 ORDER BY id DESC LIMIT 1");
    assert_true(id > 0);
    int64_t item = db_int(db, 0, "SELECT item_id FROM assessment_item WHERE assessment_id = ? AND self_level IS NOT NULL"
                                 " AND target IS NOT NULL ORDER BY item_id LIMIT 1", id);
    int self = (int)db_int(db, 0, "SELECT self_level FROM assessment_item WHERE assessment_id = ? AND item_id = ?", id, item);
    int other = self == 4 ? 3 : self + 1;
    SupInput in[2] = {{item, other, ""}, {999999, 2, NULL}};
    Errors e = {0};
    assert_int_equal(assess_confirm(db, &who, id, in, 2, &e), -1);
    char f[32];
    snprintf(f, sizeof f, "r%lld", (long long)item);
    assert_true(err_on(&e, f, "理由"));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assessment WHERE id = ? AND state = 'submitted'", id), 1);
    /* With a reason it is confirmed; the item not in the assessment is skipped. */
    in[0].reason = "研修の成果を確認したため";
    Errors e2 = {0};
    assert_int_equal(assess_confirm(db, &who, id, in, 2, &e2), 0);
    assert_int_equal(db_int(db, 0, "SELECT sup_level FROM assessment_item WHERE assessment_id = ? AND item_id = ?", id, item), other);
    assert_string_equal(db_text(db, &a, "SELECT state FROM assessment WHERE id = ?", id), "confirmed");
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND sup_level IS NULL"
                                   " AND self_level IS NOT NULL", id), 0);
    arena_free(&a);
}

/* ---- attendance ---- */

static void test_completion_refusals(void **state)
{
    (void)state;
    int64_t session = db_int(db, 0, "SELECT id FROM training_session WHERE nendo = 2026 AND cancelled = 0 ORDER BY id LIMIT 1");
    assert_true(session > 0);
    int64_t rows = db_int(db, 0, "SELECT COUNT(*) FROM completion");
    Arena a = ARENA_INIT;
    char *no = db_text(db, &a, "SELECT staff_no FROM staff ORDER BY id LIMIT 1");
    int n = 0;
    Errors e = {0};
    assert_int_equal(completion_import_csv(db, &who, session, "氏名,出欠\r\nx,1\r\n", 16, &n, &e), -1);
    assert_true(err_on(&e, "file", "見出し"));
    Errors e2 = {0};
    assert_int_equal(completion_import_csv(db, &who, session, "職員番号,出欠\r\n", strlen("職員番号,出欠\r\n"), &n, &e2), -1);
    assert_true(err_on(&e2, "file", "データの行がありません"));
    const char *csv = arena_printf(&a, "職員番号,出欠,点数\r\n%s,出席,80\r\nZ99999,1,\r\n%s,たぶん,\r\n%s,0,abc\r\n%s,○,101\r\n",
                                   no, no, no, no);
    Errors e3 = {0};
    assert_int_equal(completion_import_csv(db, &who, session, csv, strlen(csv), &n, &e3), -1);
    assert_true(err_on(&e3, "file", "3行目：職員番号「Z99999」"));
    assert_true(err_on(&e3, "file", "4行目：出欠"));
    assert_true(err_on(&e3, "file", "5行目：点数"));
    assert_true(err_on(&e3, "file", "6行目：点数"));
    assert_int_equal(n, 0);
    Errors e4 = {0};
    const char bad[] = "職員番号,出欠\r\n\"abc\r\n";
    assert_int_equal(completion_import_csv(db, &who, session, bad, sizeof bad - 1, &n, &e4), -1);
    assert_true(err_on(&e4, "file", "行目"));

    /* The screen: a score out of range, and a session that does not exist. */
    int64_t staff = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", no);
    RosterEntry r[1] = {{staff, true, 101}};
    Errors e5 = {0};
    assert_int_equal(completion_record(db, &who, session, r, 1, &e5), -1);
    assert_true(err_on(&e5, "", "0〜100"));
    r[0].score = 100;
    Errors e6 = {0};
    assert_int_equal(completion_record(db, &who, 999999, r, 1, &e6), -1);
    assert_true(err_on(&e6, "", "日程が見つかりません"));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM completion"), rows);

    /* 復命書: a bad date, no text, too long, and a record that is not an attendance. */
    Errors f1 = {0};
    assert_int_equal(completion_report(db, &who, 1, "2026-02-30", "", &f1), -1);
    assert_true(err_on(&f1, "report_on", NULL));
    assert_true(err_on(&f1, "report", "入力してください"));
    char *longr = arena_alloc(&a, 2001 * 3 + 1);
    longr[0] = 0;
    for (int i = 0; i < 2001; i++) strcat(longr, "報");
    Errors f2 = {0};
    assert_int_equal(completion_report(db, &who, 1, "2026-11-16", longr, &f2), -1);
    assert_true(err_on(&f2, "report", "2000文字"));
    int64_t absent = db_int(db, 0, "SELECT id FROM completion WHERE attended = 0 ORDER BY id LIMIT 1");
    Errors f3 = {0};
    assert_int_equal(completion_report(db, &who, absent ? absent : 999999, "2026-11-16", "学んだこと", &f3), -1);
    assert_true(err_on(&f3, "", "出席した研修の記録が見つかりません"));
    arena_free(&a);
}

/* ---- KPI settings and key systems ---- */

static void test_kpi_settings_all_or_none(void **state)
{
    (void)state;
    int64_t targets = db_int(db, 0, "SELECT COUNT(*) FROM kpi_target"), params = db_int(db, 0, "SELECT COUNT(*) FROM kpi_param");
    Errors e = {0};
    assert_int_equal(kpi_target_set(db, &who, "NO_SUCH_KPI", 2026, 10, NULL, &e), -1);
    assert_true(err_on(&e, "", "その指標はありません"));
    /* A rate above 100%, and a count above the ceiling. */
    Errors e2 = {0};
    assert_int_equal(kpi_target_set(db, &who, "LEADER_RATE", 2026, 100.5, NULL, &e2), -1);
    assert_true(err_on(&e2, "LEADER_RATE", "範囲外"));
    Errors e3 = {0};
    assert_int_equal(kpi_target_set(db, &who, "EXPERT_COUNT", 2026, 1000001, NULL, &e3), -1);
    assert_true(err_on(&e3, "EXPERT_COUNT", "範囲外"));
    char longc[3100] = "";
    for (int i = 0; i < 1001; i++) strcat(longc, "目");
    Errors e4 = {0};
    assert_int_equal(kpi_target_set(db, &who, "TRAINEES", 2026, 50, longc, &e4), -1);
    assert_true(err_on(&e4, "TRAINEES", "1000文字"));
    /* A good target and a bad parameter in one save: neither is kept. */
    KpiTargetChange t[1] = {{"LEADER_RATE", 100, "全係に配置"}};
    KpiParamChange p1[2] = {{"info_seats", 6}, {"rotation_years", 0}};
    Errors e5 = {0};
    assert_int_equal(kpi_settings_save(db, &who, 2026, t, 1, p1, 2, &e5), -1);
    assert_true(err_on(&e5, "rotation_years", "範囲外"));
    KpiParamChange p2[1] = {{"nonsense", 1}};
    Errors e6 = {0};
    assert_int_equal(kpi_settings_save(db, &who, 2026, NULL, 0, p2, 1, &e6), -1);
    assert_true(err_on(&e6, "", "その設定はありません"));
    KpiParamChange p3[1] = {{"info_seats", 1001}};
    Errors e7 = {0};
    assert_int_equal(kpi_settings_save(db, &who, 2026, NULL, 0, p3, 1, &e7), -1);
    assert_true(err_on(&e7, "info_seats", "範囲外"));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM kpi_target"), targets);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM kpi_param"), params);
    /* Exactly 100% is allowed; -1 clears the target but keeps the comment. */
    Errors e8 = {0};
    assert_int_equal(kpi_target_set(db, &who, "LEADER_RATE", 2026, 100, "全係に配置", &e8), 0);
    assert_int_equal(db_int(db, 0, "SELECT CAST(target AS INTEGER) FROM kpi_target WHERE code = 'LEADER_RATE' AND nendo = 2026"), 100);
    assert_int_equal(kpi_target_set(db, &who, "LEADER_RATE", 2026, -1, "未定", &e8), 0);
    assert_int_equal(db_int(db, 0, "SELECT target IS NULL FROM kpi_target WHERE code = 'LEADER_RATE' AND nendo = 2026"), 1);
    assert_int_equal(kpi_param_set(db, &who, 2026, "rotation_years", 1, &e8), 0);
    assert_int_equal(db_int(db, 0, "SELECT value FROM kpi_param WHERE nendo = 2026 AND name = 'rotation_years'"), 1);
}

static void test_keysys_refusals_and_duty_dates(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    int64_t systems = db_int(db, 0, "SELECT COUNT(*) FROM key_system");
    char longn[400] = "";
    for (int i = 0; i < 101; i++) strcat(longn, "シ");
    char longnote[1300] = "";
    for (int i = 0; i < 401; i++) strcat(longnote, "備");
    KeySystem k = {.name = longn, .note = longnote, .unit_id = 1};
    Errors e = {0};
    assert_int_equal(keysys_save(db, &who, &k, &e), -1);
    assert_true(err_on(&e, "name", NULL));
    assert_true(err_on(&e, "note", NULL));
    KeySystem k2 = {.name = "住民記録システム2", .unit_id = 999999, .active = true};
    Errors e2 = {0};
    assert_int_equal(keysys_save(db, &who, &k2, &e2), -1);
    assert_true(err_on(&e2, "unit_id", NULL));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM key_system"), systems);

    int64_t unit = db_int(db, 0, "SELECT a.unit_id FROM assignment a WHERE a.is_primary = 1 AND a.to_date IS NULL ORDER BY a.staff_id LIMIT 1");
    char *no = db_text(db, &a, "SELECT s.staff_no FROM staff s JOIN assignment a ON a.staff_id = s.id WHERE a.is_primary = 1"
                                " AND a.to_date IS NULL AND a.unit_id = ? ORDER BY s.id LIMIT 1", unit);
    k2.unit_id = unit;
    Errors e3 = {0};
    assert_int_equal(keysys_save(db, &who, &k2, &e3), 0);
    assert_true(k2.id > 0);

    Errors s1 = {0};
    assert_int_equal(keysys_staff_set(db, &who, k2.id, no, "boss", "2026-02-30", &s1), -1);
    assert_true(err_on(&s1, "role", NULL));
    assert_true(err_on(&s1, "on", NULL));
    Errors s2 = {0};
    assert_int_equal(keysys_staff_set(db, &who, 999999, "Z99999", "main", "2027-04-01", &s2), -1);
    assert_true(err_on(&s2, "", "重要システムが見つかりません"));
    assert_true(err_on(&s2, "staff_no", "職員はいません"));
    /* Before they were hired, and a removal of someone who holds no duty. */
    Errors s3 = {0};
    assert_int_equal(keysys_staff_set(db, &who, k2.id, no, "main", "1950-04-01", &s3), -1);
    assert_true(err_on(&s3, "staff_no", "在職していません"));
    Errors s4 = {0};
    assert_int_equal(keysys_staff_set(db, &who, k2.id, no, NULL, "2027-04-01", &s4), -1);
    assert_true(err_on(&s4, "staff_no", "担当ではありません"));

    /* 担当 from 4/1, ended from 10/1: the duty's last day is 9/30. */
    Errors s5 = {0};
    assert_int_equal(keysys_staff_set(db, &who, k2.id, no, "main", "2027-04-01", &s5), 0);
    KeySystem got;
    assert_true(keysys_get(db, &a, k2.id, "2027-03-31", &got));
    assert_int_equal(got.nstaff, 0);
    assert_true(keysys_get(db, &a, k2.id, "2027-04-01", &got));
    assert_int_equal(got.nstaff, 1);
    assert_string_equal(got.roles[0], "main");
    assert_false(keysys_get(db, &a, 999999, "2027-04-01", &got));
    assert_int_equal(keysys_staff_set(db, &who, k2.id, no, NULL, "2027-10-01", &s5), 0);
    assert_string_equal(db_text(db, &a, "SELECT to_date FROM key_system_duty WHERE system_id = ?", k2.id), "2027-09-30");
    assert_true(keysys_get(db, &a, k2.id, "2027-10-01", &got));
    assert_int_equal(got.nstaff, 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'keysys.staff' AND entity_id = ?", k2.id), 2);
    arena_free(&a);
}

/* ---- the 年度 rollover ---- */

static void test_rollover_refusals_and_dry_run(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    RolloverReport r;
    Errors e = {0};
    assert_int_equal(nendo_rollover(db, &a, &who, 2026, 2028, NENDO_DRY_RUN, &r, &e), -1);
    assert_true(err_on(&e, "to", NULL));
    Errors e2 = {0};
    assert_int_equal(nendo_rollover(db, &a, &who, 1999, 2000, 0, &r, &e2), -1);
    assert_true(err_on(&e2, "to", NULL));

    int64_t before = db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027");
    int64_t logs = db_int(db, 0, "SELECT COUNT(*) FROM audit_log");
    Errors e3 = {0};
    assert_int_equal(nendo_rollover(db, &a, &who, 2026, 2027, NENDO_DRY_RUN | NENDO_SET_CURRENT, &r, &e3), 0);
    assert_true(r.dry_run);
    assert_true(rollover_carried(&r) > 0);
    assert_true(r.plans > 0);
    assert_int_equal(r.periods, 1);
    /* Nothing stays: not the designations, the setting nor the audit row. */
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027"), before);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log"), logs);
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'current_nendo'"), "2026");
    arena_free(&a);
}

static void test_rollover_leap_day_period(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    /* 2026 into 2027 for real: the designations carried stay, with the audit row. */
    RolloverReport r0;
    Errors e0 = {0};
    assert_int_equal(nendo_rollover(db, &a, &who, 2026, 2027, 0, &r0, &e0), 0);
    assert_true(rollover_carried(&r0) > 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027"), r0.existing + rollover_carried(&r0));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027 AND designated_on <> '2027-04-01'"),
                     r0.existing);
    assert_true(r0.plans > 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM training_plan WHERE nendo = 2027"), r0.plans);
    /* A 2027 period ending on 2028-02-29 carries into 2028 as 2029-02-28. */
    db_exec(db, "DELETE FROM assess_period WHERE nendo IN (2027, 2028)");
    db_exec(db, "INSERT INTO assess_period (nendo, opens_on, closes_on) VALUES (2027, '2027-04-01', '2028-02-29')");
    RolloverReport r;
    Errors e = {0};
    assert_int_equal(nendo_rollover(db, &a, &who, 2027, 2028, 0, &r, &e), 0);
    assert_int_equal(r.periods, 1);
    assert_false(r.had_period);
    assert_string_equal(db_text(db, &a, "SELECT opens_on FROM assess_period WHERE nendo = 2028"), "2028-04-01");
    assert_string_equal(db_text(db, &a, "SELECT closes_on FROM assess_period WHERE nendo = 2028"), "2029-02-28");
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'nendo.rollover' AND entity_id = 2028"), 1);
    /* Run again: 2028 already has its period and plan, nothing is copied twice. */
    Errors e2 = {0};
    int64_t plans = db_int(db, 0, "SELECT COUNT(*) FROM training_plan WHERE nendo = 2028");
    assert_int_equal(nendo_rollover(db, &a, &who, 2027, 2028, 0, &r, &e2), 0);
    assert_true(r.had_period);
    assert_int_equal(r.periods, 0);
    assert_true(r.had_plans);
    assert_int_equal(r.plans, 0);
    assert_true(plans > 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM training_plan WHERE nendo = 2028"), plans);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assess_period WHERE nendo = 2028"), 1);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_course_refusals),
        cmocka_unit_test(test_course_update_replaces_skills),
        cmocka_unit_test(test_plan_refusals_and_delete),
        cmocka_unit_test(test_org_refusals),
        cmocka_unit_test(test_org_create_and_close),
        cmocka_unit_test(test_assess_period_refusals),
        cmocka_unit_test(test_assess_helpers),
        cmocka_unit_test(test_assess_refusals),
        cmocka_unit_test(test_assess_confirm_needs_reason),
        cmocka_unit_test(test_completion_refusals),
        cmocka_unit_test(test_kpi_settings_all_or_none),
        cmocka_unit_test(test_keysys_refusals_and_duty_dates),
        cmocka_unit_test(test_rollover_refusals_and_dry_run),
        cmocka_unit_test(test_rollover_leap_day_period),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
