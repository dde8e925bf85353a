/* test_gap.c - request-level tests of the gap analysis screens (/gaps,
 * /gaps/unit/{id}, /gaps/person/{id}): content, exports, scope and audit.
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
#include "core/util.h"
#include "db/migrate.h"
#include "demo/demo.h"
#include "domain/skill.h"
#include "app/router.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}};

HARNESS_SETUP("gap", users)

/* Someone active today with a confirmed assessment for 2026, not the user `but`. */
static int64_t confirmed_person(int64_t but)
{
    return db_int(db, 0,
                  "SELECT x.staff_id FROM assessment x JOIN assignment a ON a.staff_id = x.staff_id AND a.is_primary = 1"
                  " AND a.to_date IS NULL WHERE x.nendo = 2026 AND x.state = 'confirmed' AND x.staff_id <> ? ORDER BY x.staff_id LIMIT 1",
                  but);
}

/* Views, counting each view of a collapsed run. */
static int64_t gap_views(int64_t staff_id, const char *actor)
{
    return db_int(db, 0, "SELECT COALESCE(SUM(repeats), 0) FROM audit_log WHERE action = 'gap.view' AND entity_id = ? AND subject_staff_id = ? AND actor = ?",
                  staff_id, staff_id, actor);
}

static void test_org_page(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie;
    EXPECT(dx, "/gaps", 200, "到達率", "前年度差", "対象職員数", "<svg", "href=\"/gaps/unit/");
    EXPECT(dx, "/gaps?nendo=%E4%BB%A4%E5%92%8C7", 200, "令和7年度のスキル到達状況"); /* ?nendo=令和7 */
    expect_download(dx, "/gaps?format=csv", BOM "分野,人材区分");
    expect_download(dx, "/gaps?format=xlsx", "PK");
}

static void test_unit_page(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie;
    int64_t ka = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 3 AND name = '政策企画課'");
    assert_true(ka > 0);
    EXPECT(dx, fmt("/gaps/unit/%lld", (long long)ka), 200, "<table class=\"data heat\">", "○", "△", "*は上司確認前",
           "目標との差が大きい項目", "href=\"/gaps/person/", "項目コードの一覧");
    EXPECT(dx, fmt("/gaps/unit/%lld?tier=1", (long long)ka), 200, "<option value=\"1\" selected>");
    expect_download(dx, fmt("/gaps/unit/%lld?format=csv", (long long)ka), BOM "職員番号,氏名");
    expect_download(dx, fmt("/gaps/unit/%lld?format=xlsx&tier=2", (long long)ka), "PK");
    EXPECT(dx, "/gaps/unit/999999", 404, "見つかりません");
}

static void test_person_page_and_exports(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie;
    int64_t id = confirmed_person(user("dx")->staff_id);
    assert_true(id > 0);
    EXPECT(dx, fmt("/gaps/person/%lld", (long long)id), 200, "<svg", "目標", "確認済", "目標レベルの行動指標", "目標に届いていない項目");
    expect_download(dx, fmt("/gaps/person/%lld?format=csv", (long long)id), BOM "区分,項目コード");
    expect_download(dx, fmt("/gaps/person/%lld?format=xlsx", (long long)id), "PK");
    EXPECT(dx, "/gaps/person/999999", 404, "見つかりません");
}

static void test_staff_sees_only_themselves(void **state)
{
    (void)state;
    Who *me = user("shokuin");
    EXPECT(me->cookie, fmt("/gaps/person/%lld", (long long)confirmed_person(me->staff_id)), 403,
           "このページを表示する権限がありません。");
    /* The demo leaves shokuin's assessment a draft; viewing oneself is not audited. */
    EXPECT(me->cookie, fmt("/gaps/person/%lld", (long long)me->staff_id), 200, "この年度の評価はまだ提出されていません。");
    assert_int_equal(gap_views(me->staff_id, "shokuin"), 0);
    EXPECT(me->cookie, "/gaps", 403, "権限");
}

static void test_manager_is_kept_to_their_unit(void **state)
{
    (void)state;
    Who *k = user("kacho");
    int64_t unit = db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", k->staff_id);
    int64_t elsewhere = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 3 AND name = '政策企画課'");
    assert_true(unit > 0 && elsewhere != unit);
    EXPECT(k->cookie, "/gaps", 303, fmt("Location: /gaps/unit/%lld\r\n", (long long)unit));
    EXPECT(k->cookie, fmt("/gaps/unit/%lld", (long long)unit), 200, "<table class=\"data heat\">");
    EXPECT(k->cookie, fmt("/gaps/unit/%lld", (long long)elsewhere), 403, "権限");
}

static void test_viewing_someone_is_audited(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t id = confirmed_person(dx->staff_id);
    int64_t before = gap_views(id, "dx");
    EXPECT(dx->cookie, fmt("/gaps/person/%lld", (long long)id), 200, "ギャップ分析");
    assert_int_equal(gap_views(id, "dx"), before + 1);
    EXPECT(dx->cookie, fmt("/gaps/person/%lld", (long long)dx->staff_id), 200, "ギャップ分析");
    assert_int_equal(gap_views(dx->staff_id, "dx"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_org_page),
        cmocka_unit_test(test_unit_page),
        cmocka_unit_test(test_person_page_and_exports),
        cmocka_unit_test(test_staff_sees_only_themselves),
        cmocka_unit_test(test_manager_is_kept_to_their_unit),
        cmocka_unit_test(test_viewing_someone_is_audited),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
