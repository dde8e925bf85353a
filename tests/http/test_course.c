/* test_course.c - request-level tests of the training catalogue (/courses),
 * a course's page and form, the annual plan (/plans) and next 年度's demand
 * (/plans/demand): content, exports, validation, roles and the default
 * catalogue data/courses.csv.
 *
 * Requests go through http_answer_raw, the same path as `jinzai
 * test-request`, against a fresh demo database with a year of assessments. */
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
#include "core/embed.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/skill.h"
#include "app/router.h"
#include "io/csvread.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}};

HARNESS_SETUP("course", users)

static int64_t course_id(const char *code) { return db_int(db, 0, "SELECT id FROM course WHERE code = ?", code); }
static int audit_count(void) { return (int)db_int(db, 0, "SELECT COUNT(*) FROM audit_log"); }

/* data/courses.csv: the exact header, and every row plainly a sample that loaded. */
static void test_default_catalogue(void **state)
{
    (void)state;
    const EmbeddedFile *f = NULL;
    for (size_t i = 0; i < embedded_data_count; i++)
        if (strcmp(embedded_data[i].name, "courses.csv") == 0) f = &embedded_data[i];
    assert_non_null(f);
    assert_memory_equal(f->data, BOM, 3);
    assert_non_null(strstr((const char *)f->data, "\r\n"));
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e = {0, 0, NULL};
    if (csv_parse(&a, (const char *)f->data, f->len, &d, &e) != 0) fail_msg("courses.csv line %d col %d: %s", e.line, e.col, e.msg);
    static const char *const head[] = {"コード", "研修名", "実施主体", "形式", "対象区分", "対象職位", "時間（分）", "定員", "費用（円）",
                                       "必須", "情報セキュリティ", "関連スキル", "説明"};
    assert_int_equal(d.rows[0].nfields, COUNTOF(head));
    for (size_t c = 0; c < COUNTOF(head); c++) assert_string_equal(d.rows[0].fields[c], head[c]);
    assert_true(d.nrows - 1 >= 14);
    for (int r = 1; r < d.nrows; r++) {
        const CsvRow *row = &d.rows[r];
        assert_int_equal(row->nfields, COUNTOF(head));
        if (strncmp(row->fields[1], "【サンプル】", strlen("【サンプル】")) != 0) fail_msg("line %d: title is not marked as a sample", row->line);
        if (strncmp(row->fields[12], "サンプル：", strlen("サンプル：")) != 0) fail_msg("line %d: description is not marked as a sample", row->line);
        /* every related skill names an item of the skill map */
        int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM course_skill WHERE course_id = ?", course_id(row->fields[0]));
        int want = *row->fields[11] ? 1 : 0;
        for (const char *p = row->fields[11]; *p; p++) want += *p == ';';
        if (n != want) fail_msg("line %d: %d of %d related skills loaded", row->line, n, want);
    }
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM course"), d.nrows - 1);
    arena_free(&a);
    /* the security e-learning is mandatory for every tier and counts as security */
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM course WHERE mandatory = 1 AND security = 1 AND target_tiers = 14"), 1);
    assert_true(db_int(db, 0, "SELECT COUNT(*) FROM course WHERE provider IN ('somu', 'seisaku')") > 0);
    assert_true(db_int(db, 0, "SELECT COUNT(*) FROM course WHERE provider IN ('jlis', 'center', 'jichidai', 'cyder', 'manabi')") >= 5);
}

static void test_catalogue_list_and_exports(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie, *staff = user("shokuin")->cookie;
    EXPECT(dx, "/courses", 200, "【サンプル】", "SEC-01", "総務課<br><span class=\"muted\">庁内</span>", "J-LIS<br><span class=\"muted\">外部</span>", "必須", "L-HOW-03", "href=\"/courses/new\"");
    Res r = req("GET", "/courses", staff, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "【サンプル】"));
    assert_false(has(&r, "href=\"/courses/new\""));
    buf_free(&r.raw);
    /* filters: provider, format, tier */
    Res f = req("GET", "/courses?provider=cyder&tier=1", dx, NULL);
    assert_true(has(&f, "CYDER-01"));
    assert_false(has(&f, "SEC-02"));
    assert_true(has(&f, "1件の研修があります。"));
    buf_free(&f.raw);
    EXPECT(dx, "/courses?type=ojt&tier=2", 200, "条件に合う研修はありません。");
    expect_download(dx, "/courses?format=csv", BOM "コード,研修名,実施主体,形式,対象区分,対象職位,時間（分）,定員,費用（円）,必須,情報セキュリティ,関連スキル,説明");
    expect_download(staff, "/courses?format=xlsx&provider=somu", "PK");
    Res csv = req("GET", "/courses?format=csv", dx, NULL);
    assert_true(has(&csv, "SEC-01,【サンプル】情報セキュリティ基礎（全職員必須・eラーニング）,総務課,eラーニング,①②③,"));
    buf_free(&csv.raw);
}

static void test_course_page(void **state)
{
    (void)state;
    int64_t sec = course_id("SEC-01");
    const char *p = fmt("/courses/%lld", (long long)sec);
    EXPECT(user("dx")->cookie, p, 200, "<dl class=\"props\">", "L-HOW-03", "セキュリティ", "今後の日程", "研修を編集", "name=\"skill_item_0\"",
           "name=\"tier\" value=\"3\" checked");
    Res r = req("GET", p, user("shokuin")->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "受講率に数える"));
    assert_false(has(&r, "name=\"skill_item_0\""));
    buf_free(&r.raw);
    EXPECT(user("shokuin")->cookie, "/courses/999999", 404, "見つかりません");
    EXPECT(user("dx")->cookie, "/courses/new", 200, "研修の追加", "name=\"skill_level_5\"");
}

static void test_create_and_edit_course(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'K-02'");
    int before = audit_count(), courses = (int)db_int(db, 0, "SELECT COUNT(*) FROM course");
    /* Bad: no title, no tier, minutes not a number, a skill without a level. Nothing written, typed values kept. */
    const char *bad = fmt("csrf=%s&code=T-01&title=&provider=seisaku&format=group&minutes=abc&capacity=20&target_posts=%%E4%%BF%%82%%E9%%95%%B7"
                          "&skill_item_0=%lld&skill_level_0=",
                          dx->csrf, (long long)item);
    EXPECT_POST(dx->cookie, "/courses/new", bad, 422, "研修名を120文字以内で入力してください。", "対象の人材区分を1つ以上選んでください。",
                "時間（分）を正しく入力してください。", "関連スキルのレベルは1〜4で選んでください。", "value=\"T-01\"", "value=\"abc\"",
                "value=\"係長\"", "<option value=\"seisaku\" selected>", fmt("<option value=\"%lld\" selected>", (long long)item));
    assert_int_equal(audit_count(), before);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM course"), courses);
    /* Good: saved with its skills and audited. */
    const char *good = fmt("csrf=%s&code=T-01&title=%%E7%%94%%9F%%E6%%88%%90AI%%E5%%BF%%9C%%E7%%94%%A8&provider=seisaku&format=exercise&tier=2&tier=3"
                           "&minutes=%%EF%%BC%%99%%EF%%BC%%90&capacity=20&cost=1%%2C000&active=1&skill_item_0=%lld&skill_level_0=3&skill_item_1=&skill_level_1=2",
                           dx->csrf, (long long)item);
    Res r = req("POST", "/courses/new", dx->cookie, good);
    assert_int_equal(r.status, 303);
    int64_t id = course_id("T-01");
    assert_true(id > 0);
    assert_true(has(&r, fmt("Location: /courses/%lld?msg=saved", (long long)id)));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT target_tiers FROM course WHERE id = ?", id), 12);
    assert_int_equal(db_int(db, 0, "SELECT minutes + cost FROM course WHERE id = ?", id), 90 + 1000); /* "９０", "1,000" */
    assert_int_equal(db_int(db, 0, "SELECT level FROM course_skill WHERE course_id = ? AND item_id = ?", id, item), 3);
    assert_int_equal(audit_count(), before + 1);
    /* The same code again is refused; editing keeps the id and retires it. */
    EXPECT_POST(dx->cookie, "/courses/new", good, 422, "このコードは既に使われています。");
    const char *edit = fmt("csrf=%s&code=T-01&title=%%E6%%94%%B9&provider=other&format=online&tier=1", dx->csrf);
    EXPECT_POST(dx->cookie, fmt("/courses/%lld", (long long)id), edit, 303, "msg=saved");
    assert_int_equal(db_int(db, 0, "SELECT active FROM course WHERE id = ?", id), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM course_skill WHERE course_id = ?", id), 0);
    Res list = req("GET", "/courses", dx->cookie, NULL);
    assert_false(has(&list, "T-01"));
    buf_free(&list.raw);
    EXPECT(dx->cookie, "/courses?retired=1", 200, "T-01", "廃止");
    EXPECT_POST(dx->cookie, "/courses/999999", edit, 404, "見つかりません");
}

static void test_staff_may_not_edit_or_plan(void **state)
{
    (void)state;
    Who *s = user("shokuin");
    EXPECT_POST(s->cookie, "/courses/new", fmt("csrf=%s&code=X-1", s->csrf), 403, "");
    EXPECT(s->cookie, "/plans", 403, "");
    EXPECT(s->cookie, "/plans/demand", 403, "");
    EXPECT_POST(s->cookie, "/plans", fmt("csrf=%s", s->csrf), 403, "");
    /* a 所属長 reads the plan but has no form */
    Res r = req("GET", "/plans", user("kacho")->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, "name=\"course_id\""));
    buf_free(&r.raw);
}

static void test_plan_save_list_delete(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t c = course_id("AI-01");
    EXPECT(dx->cookie, "/plans?nendo=2030", 200, "令和12年度", "この年度の計画はまだありません。", "id=\"plan-form\"");
    EXPECT_POST(dx->cookie, "/plans", fmt("csrf=%s&nendo=2030&sessions=2&seats=40", dx->csrf), 422, "研修を選んでください。", "value=\"40\"");
    EXPECT_POST(dx->cookie, "/plans", fmt("csrf=%s&nendo=2030&course_id=%lld&sessions=x", dx->csrf, (long long)c), 422, "回数を0〜1000で入力してください。");
    const char *body = fmt("csrf=%s&nendo=2030&course_id=%lld&sessions=2&seats=40&month=6&budget=50000&note=%%E8%%A9%%A6", dx->csrf, (long long)c);
    EXPECT_POST(dx->cookie, "/plans", body, 303, "Location: /plans?nendo=2030&msg=saved");
    EXPECT(dx->cookie, "/plans?nendo=2030", 200, "AI-01", "6月", "50,000", "<tfoot>", "合計（1件）", "data-confirm=");
    EXPECT(user("kacho")->cookie, "/plans?nendo=%E4%BB%A4%E5%92%8C12", 200, "AI-01"); /* ?nendo=令和12 */
    expect_download(dx->cookie, "/plans?nendo=2030&format=csv", BOM "年度,実施月,コード,研修名");
    expect_download(dx->cookie, "/plans?nendo=2030&format=xlsx", "PK");
    int64_t id = db_int(db, 0, "SELECT id FROM training_plan WHERE nendo = 2030 AND course_id = ?", c);
    assert_true(id > 0);
    EXPECT(dx->cookie, fmt("/plans?nendo=2030&edit=%lld", (long long)id), 200, "計画を編集", "value=\"50000\"", "<option value=\"6\" selected>");
    EXPECT_POST(dx->cookie, fmt("/plans/%lld/delete", (long long)id), fmt("csrf=%s", dx->csrf), 303, "msg=deleted");
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM training_plan WHERE id = ?", id), 0);
    EXPECT_POST(dx->cookie, "/plans/999999/delete", fmt("csrf=%s", dx->csrf), 404, "見つかりません");
}

static void test_demand_makes_next_year_plan(void **state)
{
    (void)state;
    Who *dx = user("dx");
    EXPECT(dx->cookie, "/plans/demand?nendo=2026", 200, "来年度の研修需要", "令和9年度の計画を作成", "必要回数");
    /* a 所属長 is held to their own unit, whatever unit they ask for */
    int64_t own = db_int(db, 0, "SELECT a.unit_id FROM assignment a JOIN account c ON c.staff_id = a.staff_id WHERE c.login = 'kacho'"
                                " AND a.is_primary = 1 AND a.to_date IS NULL");
    int64_t other = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE id <> ? AND parent_id <> ?", own, own);
    EXPECT(user("kacho")->cookie, fmt("/plans/demand?unit_id=%lld", (long long)other), 200, "来年度の研修需要",
           fmt("<option value=\"%lld\" selected>", (long long)own));
    expect_download(dx->cookie, "/plans/demand?nendo=2026&format=csv", BOM "評価年度,コード,研修名");
    expect_download(dx->cookie, "/plans/demand?nendo=2026&format=xlsx", "PK");
    /* An existing plan keeps its month and budget; the rest come from the demand. */
    int64_t keep = course_id("SEC-01");
    EXPECT_POST(dx->cookie, "/plans", fmt("csrf=%s&nendo=2027&course_id=%lld&sessions=1&seats=1&month=5&budget=777", dx->csrf, (long long)keep), 303, "");
    EXPECT_POST(dx->cookie, "/plans/demand", fmt("csrf=%s&nendo=2026", dx->csrf), 303, "Location: /plans?nendo=2027&msg=saved");
    assert_true(db_int(db, 0, "SELECT COUNT(*) FROM training_plan WHERE nendo = 2027 AND note = '需要から作成'") > 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM training_plan WHERE nendo = 2027 AND (sessions < 1 OR seats < 1)"), 0);
    if (db_int(db, 0, "SELECT seats FROM training_plan WHERE nendo = 2027 AND course_id = ?", keep) != 1)
        assert_int_equal(db_int(db, 0, "SELECT month * 1000 + budget FROM training_plan WHERE nendo = 2027 AND course_id = ?", keep), 5777);
    EXPECT(dx->cookie, "/plans?nendo=2027", 200, "需要から作成");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_catalogue),
        cmocka_unit_test(test_catalogue_list_and_exports),
        cmocka_unit_test(test_course_page),
        cmocka_unit_test(test_create_and_edit_course),
        cmocka_unit_test(test_staff_may_not_edit_or_plan),
        cmocka_unit_test(test_plan_save_list_delete),
        cmocka_unit_test(test_demand_makes_next_year_plan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
