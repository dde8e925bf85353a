/* test_home.c - the home page as a to-do list per role: the counts shown for
 * the demo 職員, 所属長 and 事務局 equal the same questions asked in SQL
 * here, each item links to the page where the work is done, a 所属長 counts
 * only their own units, the menu shows counts, and the counts hold at the
 * turn of the 年度 (3/31 and 4/1). */
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
#include "domain/skill.h"
#include "app/router.h"
#include "io/text.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "jinji"}, {.login = "dx"}};

HARNESS_SETUP("home", users)

static Res home(const char *login_name)
{
    Res r = req("GET", "/", user(login_name)->cookie, NULL);
    assert_int_equal(r.status, 200);
    return r;
}

/* An item is listed with its link and count when there is work, and absent otherwise. */
static void item_is(const Res *r, const char *href, const char *label, int n, const char *unit)
{
    const char *line = fmt("<a href=\"%s\">%s</a> <span class=\"badge\">%d%s</span>", href, label, n, unit);
    if (n > 0 && !has(r, line)) fail_msg("missing: %s", line);
    if (n == 0 && has(r, fmt(">%s</a>", label))) fail_msg("listed with nothing to do: %s", label);
}

static void today_plus(int days, char out[11])
{
    Date d = date_today();
    date_iso(date_add_days(d, days), out);
}

/* The 職員's counts, asked independently of src/domain/todo.c. */
static void check_staff(void)
{
    int64_t me = user("shokuin")->staff_id;
    char today[11], month[11], q90[11];
    now_date(today);
    today_plus(31, month);
    today_plus(90, q90);
    int waiting = (int)db_int(db, -1,
                              "SELECT COUNT(*) FROM application a, training_session t WHERE t.id = a.session_id AND a.staff_id = ?"
                              " AND a.state IN ('applied', 'approved') AND t.cancelled = 0 AND t.starts_at >= ?",
                              me, today);
    int upcoming = (int)db_int(db, -1,
                               "SELECT COUNT(*) FROM application a, training_session t WHERE t.id = a.session_id AND a.staff_id = ?"
                               " AND a.state = 'accepted' AND t.cancelled = 0 AND t.starts_at >= ? AND t.starts_at < ?",
                               me, today, month);
    int reports = (int)db_int(db, -1,
                              "SELECT COUNT(*) FROM completion k, training_session t, course c WHERE t.id = k.session_id AND c.id = t.course_id"
                              " AND k.staff_id = ? AND k.attended = 1 AND k.report_on IS NULL AND c.provider NOT IN ('somu', 'seisaku')",
                              me);
    int mandatory = (int)db_int(db, -1,
                                "SELECT COUNT(*) FROM course c WHERE c.mandatory = 1 AND c.active = 1 AND (c.target_tiers & 8) <> 0 AND c.id NOT IN"
                                " (SELECT t.course_id FROM completion k, training_session t WHERE t.id = k.session_id AND k.staff_id = ?"
                                " AND k.completed = 1 AND t.nendo = 2026)",
                                me);
    int quals = (int)db_int(db, -1, "SELECT COUNT(*) FROM staff_qualification WHERE staff_id = ? AND expires_on BETWEEN ? AND ?", me,
                            today, q90);
    Res r = home("shokuin");
    assert_true(has(&r, "わたしのやること"));
    item_is(&r, "/training#applications", "承認・決定を待っている研修の申込", waiting, "件");
    item_is(&r, "/training#applications", "30日以内に受講する研修", upcoming, "件");
    item_is(&r, "/training#report", "復命書の提出（外部研修）", reports, "件");
    item_is(&r, "/sessions", "今年度まだ修了していない必須研修", mandatory, "件");
    item_is(&r, fmt("/staff/%lld/quals", (long long)me), "90日以内に期限が切れる資格", quals, "件");
    assert_false(has(&r, "所属長として確認すること"));
    assert_false(has(&r, "事務局の処理"));
    /* The menu counts what is to be done under 研修. */
    int training = reports + mandatory;
    if (training) assert_true(has(&r, fmt(">研修 <span class=\"badge\" title=\"未処理 %d件\">%d</span>", training, training)));
    buf_free(&r.raw);
}

static void test_staff(void **state)
{
    (void)state;
    /* The demo gives the 職員 some of every kind of work. */
    int64_t me = user("shokuin")->staff_id;
    assert_true(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE staff_id = ? AND state = 'applied'", me) > 0);
    assert_true(db_int(db, 0, "SELECT COUNT(*) FROM completion WHERE staff_id = ? AND attended = 1 AND report_on IS NULL", me) > 0);
    check_staff();
    Res r = home("shokuin");
    assert_true(has(&r, "<a href=\"/assess\">自己評価の下書きを仕上げて提出してください</a>"));
    assert_true(has(&r, "<a href=\"/training#report\">復命書の提出（外部研修）</a> <span class=\"badge\">1件</span>"));
    assert_true(has(&r, "今年度まだ修了していない必須研修</a> <span class=\"badge\">1件</span>"));
    assert_true(has(&r, "90日以内に期限が切れる資格</a> <span class=\"badge\">1件</span>"));
    buf_free(&r.raw);
    /* A returned assessment shows the message. */
    db_exec(db, "UPDATE assessment SET state = 'returned', return_message = ? WHERE staff_id = ? AND nendo = 2026", "根拠を追記してください", me);
    r = home("shokuin");
    assert_true(has(&r, "自己評価が差し戻されました"));
    assert_true(has(&r, "<blockquote>根拠を追記してください</blockquote>"));
    assert_true(has(&r, ">スキル・評価 <span class=\"badge\" title=\"未処理 1件\">1</span>"));
    buf_free(&r.raw);
    db_exec(db, "UPDATE assessment SET state = 'draft', return_message = '' WHERE staff_id = ? AND nendo = 2026", me);
}

/* The kacho's units: the subtree of their primary unit today. */
static int64_t kacho_root(void)
{
    char today[11];
    now_date(today);
    return db_int(db, 0, "SELECT a.unit_id FROM assignment a WHERE a.staff_id = ? AND a.is_primary = 1 AND " ASOF_IN_FORCE("a"),
                  user("kacho")->staff_id, today, today);
}

static void test_manager(void **state)
{
    (void)state;
    char today[11];
    now_date(today);
    int64_t root = kacho_root(), self = user("kacho")->staff_id;
    assert_true(root > 0);
#define IN_UNITS(col)                                                                                                         \
    col " <> ? AND " col " IN (SELECT ax.staff_id FROM assignment ax WHERE ax.is_primary = 1 AND ax.from_date <= ? AND (ax.to_date IS NULL OR ax.to_date >= ?)" \
        " AND ax.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT o.id FROM org_unit o JOIN sub ON o.parent_id = sub.id)" \
        " SELECT id FROM sub))"
    int approve = (int)db_int(db, -1, "SELECT COUNT(*) FROM application x WHERE x.state = 'applied' AND " IN_UNITS("x.staff_id"), self,
                              today, today, root);
    int confirm = (int)db_int(db, -1, "SELECT COUNT(*) FROM assessment x WHERE x.nendo = 2026 AND x.state = 'submitted' AND " IN_UNITS("x.staff_id"),
                              self, today, today, root);
    int city = (int)db_int(db, -1, "SELECT COUNT(*) FROM application WHERE state = 'applied'");
    assert_true(approve > 0 && confirm > 0);
    assert_true(city > approve); /* other units' work is left out */
    Res r = home("kacho");
    assert_true(has(&r, "所属長として確認すること"));
    item_is(&r, "/assess/review", "上司確認を待っている自己評価", confirm, "件");
    item_is(&r, "/training/approvals", "所属長承認を待っている研修の申込", approve, "件");
    assert_false(has(&r, fmt("所属長承認を待っている研修の申込</a> <span class=\"badge\">%d件", city)));
    /* Leads: only the kacho's own units are listed and counted. */
    int missing = (int)db_int(db, -1,
                              "SELECT COUNT(*) FROM org_unit u WHERE u.level = 4 AND u.valid_to IS NULL AND u.id IN (WITH RECURSIVE sub(id) AS"
                              " (SELECT ? UNION ALL SELECT o.id FROM org_unit o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)"
                              " AND NOT EXISTS (SELECT 1 FROM tier_designation d WHERE d.unit_id = u.id AND d.nendo = 2026 AND d.subtype = 'lead'"
                              " AND (d.ended_on IS NULL OR d.ended_on >= ?))",
                              root, today);
    if (missing) item_is(&r, "#todo-leads", "総括リーダーが未配置の係", missing, "係");
    else assert_true(has(&r, "所管の係すべてに総括リーダーが指名されています。"));
    assert_false(has(&r, "すべての係に総括リーダーが指名されています。</p>") && missing);
    assert_true(has(&r, fmt(">スキル・評価 <span class=\"badge\" title=\"未処理 %d件\">", confirm)));
    assert_false(has(&r, "事務局の処理"));
    buf_free(&r.raw);
}

static void check_office(const char *login_name)
{
    char today[11];
    now_date(today);
    int decide = (int)db_int(db, -1, "SELECT COUNT(*) FROM application x WHERE x.state = 'approved' AND x.staff_id IN"
                                     " (SELECT a.staff_id FROM assignment a WHERE a.from_date <= ? AND (a.to_date IS NULL OR a.to_date >= ?))",
                             today, today);
    int close = (int)db_int(db, -1,
                            "SELECT COUNT(*) FROM training_session t WHERE t.cancelled = 0 AND t.ends_at < ? AND t.id IN"
                            " (SELECT session_id FROM application WHERE state = 'accepted') AND t.id NOT IN (SELECT session_id FROM completion)",
                            today);
    int attendance = (int)db_int(db, -1,
                                 "SELECT COUNT(*) FROM application x, training_session t WHERE t.id = x.session_id AND x.state = 'accepted'"
                                 " AND t.cancelled = 0 AND t.ends_at < ? AND NOT EXISTS (SELECT 1 FROM completion k WHERE"
                                 " k.session_id = x.session_id AND k.staff_id = x.staff_id)",
                                 today);
    int64_t first = db_int(db, 0,
                           "SELECT t.id FROM training_session t WHERE t.cancelled = 0 AND t.ends_at < ? AND t.id IN"
                           " (SELECT session_id FROM application WHERE state = 'accepted') AND t.id NOT IN (SELECT session_id FROM completion)"
                           " ORDER BY t.starts_at, t.id LIMIT 1",
                           today);
    Res r = home(login_name);
    assert_true(has(&r, "事務局の処理"));
    item_is(&r, "/training/approvals", "事務局決定を待っている研修の申込", decide, "件");
    const char *roster = first ? fmt("/sessions/%lld#roster", (long long)first) : "/sessions";
    item_is(&r, roster, "出欠が未登録の終了した研修日程", close, "回");
    item_is(&r, roster, "出欠の記録がない受講決定者", attendance, "人");
    assert_true(has(&r, "<a href=\"/kpi/coverage\">総括リーダーが未配置・要注意の係</a>"));
    assert_true(has(&r, "の年間業務</h2>"));
    assert_true(has(&r, "<a href=\"/nendo/rollover\">年度更新（指名・目標の引継ぎ）</a>"));
    assert_true(has(&r, "<a href=\"/plans/demand\">来年度の研修計画と予算</a>"));
    buf_free(&r.raw);
}

static void test_office(void **state)
{
    (void)state;
    /* The demo leaves a session whose attendance is not recorded. */
    check_office("jinji");
    check_office("dx");
    Res r = home("dx");
    assert_true(has(&r, "出欠が未登録の終了した研修日程</a> <span class=\"badge\">1回</span>"));
    assert_true(has(&r, "出欠の記録がない受講決定者</a> <span class=\"badge\">5人</span>"));
    /* November: the autumn task is this month's. */
    assert_true(has(&r, "<li class=\"current\" aria-current=\"true\"><span class=\"muted\">秋（9〜11月）</span>"));
    assert_true(has(&r, "提出 "));
    buf_free(&r.raw);
}

/* The same counts on the last day of the 年度 and the first of the next. */
static void test_year_turn(void **state)
{
    (void)state;
    const char *days[] = {"2027-03-31", "2027-04-01"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(util_clock_set_today(days[i]), 0);
        for (size_t k = 0; k < sizeof users / sizeof users[0]; k++) login(&users[k]); /* sessions age with the clock */
        check_staff();
        check_office("dx");
        Res r = home("dx");
        if (i == 0) assert_true(has(&r, "<li class=\"current\" aria-current=\"true\"><span class=\"muted\">3月</span>"));
        else assert_false(has(&r, "<li class=\"current\""));
        buf_free(&r.raw);
    }
    assert_int_equal(util_clock_set_today(HARNESS_TODAY), 0);
    for (size_t k = 0; k < sizeof users / sizeof users[0]; k++) login(&users[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staff),
        cmocka_unit_test(test_manager),
        cmocka_unit_test(test_office),
        cmocka_unit_test(test_year_turn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
