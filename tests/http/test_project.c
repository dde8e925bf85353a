/* test_project.c - request tests of the DX project register: the list for
 * everyone (names, units, status only), the project page for 人事, DX推進,
 * 管理者 and a 所属長 of the owning unit, add/edit/delete with what is
 * stored and shown, validation that keeps the form and writes nothing, and
 * the skill need against members (充足 / 外部人材で補完中 / 研修が必要). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo/demo.h"
#include "harness.h"
#include "formbody.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "jinji"}, {.login = "dx"}};

static int setup(void **state)
{
    (void)state;
    if (harness_open("project", users, sizeof users / sizeof users[0]) != 0) return -1;
    return demo_projects(db, 2026, 7u);
}

static int teardown(void **state)
{
    (void)state;
    harness_close();
    return 0;
}

static int64_t project_id(const char *name) { return db_int(db, 0, "SELECT id FROM dx_project WHERE name = ?", name); }

static Res post(Who *w, const char *path, Buf *body)
{
    Buf full = BUF_INIT;
    f_add(&full, "csrf", w->csrf);
    buf_puts(&full, "&");
    buf_append(&full, body->data ? body->data : "", body->len);
    Res r = req("POST", path, w->cookie, buf_cstr(&full));
    buf_free(&full);
    return r;
}

static void test_list_and_roles(void **state)
{
    (void)state;
    Who *staff = user("shokuin"), *kacho = user("kacho"), *dx = user("dx");
    int64_t window = project_id("書かない窓口"), rpa = project_id("RPA導入");
    assert_true(window > 0 && rpa > 0);
    /* Staff see names, units and status, but no link and no owner column. */
    Res r = req("GET", "/projects", staff->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "書かない窓口") && has(&r, "市民課") && has(&r, "実施中"));
    assert_false(has(&r, fmt("href=\"/projects/%lld\"", (long long)window)));
    assert_false(has(&r, "プロジェクト担当"));
    assert_false(has(&r, "外部 太郎"));
    buf_free(&r.raw);
    r = req("GET", "/projects", dx->cookie, NULL);
    assert_false(has(&r, "&lt;span")); /* badges are markup, not text */
    buf_free(&r.raw);
    EXPECT(staff->cookie, fmt("/projects/%lld", (long long)window), 403, "");
    EXPECT(staff->cookie, "/projects/new", 403, "");
    EXPECT(kacho->cookie, "/projects/new", 403, "");
    /* A 所属長 opens the projects of their subtree only. */
    EXPECT(kacho->cookie, fmt("/projects/%lld", (long long)rpa), 200, "RPA導入", "必要なスキルとメンバーの充足");
    EXPECT(kacho->cookie, fmt("/projects/%lld", (long long)window), 403, "範囲外");
    EXPECT(dx->cookie, fmt("/projects/%lld", (long long)window), 200, "書かない窓口", "外部 太郎", "プロジェクト担当（②）");
    /* Filters and the empty state. */
    EXPECT(dx->cookie, "/projects?status=done", 200, "ネットワーク更新");
    r = req("GET", "/projects?status=done", dx->cookie, NULL);
    assert_false(has(&r, "書かない窓口"));
    buf_free(&r.raw);
    EXPECT(dx->cookie, "/projects?q=%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84", 200, "条件に合うプロジェクトはありません");
    /* The demo: six projects dated no later than today, owners set. */
    assert_int_equal(count("SELECT COUNT(*) FROM dx_project"), 6);
    assert_int_equal(count("SELECT COUNT(*) FROM dx_project WHERE from_date > '" HARNESS_TODAY "'"), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM extern_person"), 5);
    assert_int_equal(count("SELECT COUNT(*) FROM extern_session WHERE held_on > '" HARNESS_TODAY "'"), 0);
}

static void test_validation_keeps_the_form_and_writes_nothing(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int projects = count("SELECT COUNT(*) FROM dx_project"), audits = count("SELECT COUNT(*) FROM audit_log");
    Buf b = BUF_INIT;
    f_add(&b, "name", "");
    f_add(&b, "unit_id", "");
    f_add(&b, "purpose", "残しておく目的の文");
    f_add(&b, "from_date", "2026-13-01");
    f_add(&b, "status", "active");
    f_add(&b, "budget", "十万");
    f_add(&b, "members", "NOSUCH1 係員");
    f_add(&b, "needs", "ZZZ-99 3 1\nK-02 9 1");
    f_add(&b, "figures", "削減時間 たくさん");
    Res r = post(dx, "/projects/new", &b);
    buf_free(&b);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "プロジェクト名を100文字以内で入力してください。"));
    assert_true(has(&r, "担当する組織を選んでください。"));
    assert_true(has(&r, "開始日を正しい日付で入力してください"));
    assert_true(has(&r, "予算は円単位の数字で入力してください"));
    assert_true(has(&r, "職員番号「NOSUCH1」の職員はいません。"));
    assert_true(has(&r, "スキル「ZZZ-99」はスキルマップにありません。"));
    assert_true(has(&r, "必要レベルは1～4の数字で入力してください。"));
    assert_true(has(&r, "成果の数値1行目"));
    assert_true(has(&r, "残しておく目的の文") && has(&r, "ZZZ-99 3 1"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM dx_project"), projects);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    /* Writes need 人事, DX推進 or 管理者. */
    b = (Buf)BUF_INIT;
    f_add(&b, "name", "勝手な追加");
    r = post(user("kacho"), "/projects/new", &b);
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    r = post(user("shokuin"), fmt("/projects/%lld/delete", (long long)project_id("GIS共有")), &b);
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    buf_free(&b);
    assert_int_equal(count("SELECT COUNT(*) FROM dx_project"), projects);
}

/* Two people in service, with no assessed level of the items used here. */
static void two_unassessed(int64_t id[2], char no[2][32])
{
    Stmt *st = db_query(db,
                        "SELECT s.id, s.staff_no FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL"
                        " ORDER BY s.id LIMIT 2");
    for (int i = 0; i < 2; i++) {
        assert_int_equal(db_step(st), DB_ROW);
        id[i] = db_col_int(st, 0);
        snprintf(no[i], 32, "%s", db_col_text(st, 1));
    }
    db_done(st);
    for (int i = 0; i < 2; i++)
        db_exec(db, "DELETE FROM assessment_item WHERE assessment_id IN (SELECT id FROM assessment WHERE staff_id = ?)"
                    " AND item_id IN (SELECT id FROM skill_item WHERE code IN ('K-01', 'K-02', 'K-06'))", id[i]);
}

static void assess(int64_t staff, const char *state, const char *code, int self, int sup)
{
    int64_t x = db_int(db, 0, "SELECT id FROM assessment WHERE staff_id = ? AND nendo = 2026", staff);
    if (!x)
        x = db_int(db, 0, "INSERT INTO assessment (staff_id, nendo, state, confirmed_at, updated_at) VALUES (?, 2026, ?, '2026-10-01', 'x') RETURNING id",
                   staff, state);
    db_exec(db, "UPDATE assessment SET state = ? WHERE id = ?", state, x);
    int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = ?", code);
    assert_int_equal(db_exec(db, "INSERT INTO assessment_item (assessment_id, item_id, self_level, sup_level) VALUES (?, ?, ?, ?)", x, item, self,
                             sup < 0 ? DB_ID_OR_NULL(0) : DB_ID_OR_NULL(sup)),
                     1);
}

static void test_add_edit_coverage_delete(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t ids[2];
    char no[2][32];
    two_unassessed(ids, no);
    assess(ids[0], "confirmed", "K-02", 2, 3);
    assess(ids[1], "submitted", "K-02", 3, -1);
    assess(ids[1], "submitted", "K-06", 1, -1);
    int64_t unit = db_int(db, 0, "SELECT id FROM org_unit WHERE code = '1-03-01'");
    int audits = count("SELECT COUNT(*) FROM audit_log");
    Buf b = BUF_INIT;
    f_add(&b, "name", "窓口予約の試行");
    f_add(&b, "unit_id", fmt("%lld", (long long)unit));
    f_add(&b, "purpose", "来庁予約を試す。");
    f_add(&b, "from_date", "令和8年6月1日");
    f_add(&b, "to_date", "");
    f_add(&b, "status", "plan");
    f_add(&b, "budget", "1,200,000");
    f_add(&b, "owner_no", no[0]);
    f_add(&b, "members", fmt("%s 予約の設計\n%s\u3000利用者への説明\n", no[0], no[1]));
    f_add(&b, "needs", "K-02 3 2\nK-01 4 1\nK-06 3 2");
    f_add(&b, "outcome", "");
    f_add(&b, "figures", "予約件数 120 件");
    Res r = post(dx, "/projects/new", &b);
    buf_free(&b);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = project_id("窓口予約の試行");
    assert_true(id > 0);
    /* Stored: one project row, its children, one audit row. */
    assert_int_equal(db_int(db, 0, "SELECT budget FROM dx_project WHERE id = ?", id), 1200000);
    assert_int_equal(db_int(db, 0, "SELECT owner_staff_id FROM dx_project WHERE id = ?", id), ids[0]);
    assert_true(db_exists(db, "SELECT 1 FROM dx_project WHERE id = ? AND from_date = '2026-06-01' AND to_date IS NULL AND status = 'plan'", id));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM dx_project_member WHERE project_id = ?", id), 2);
    assert_true(db_exists(db, "SELECT 1 FROM dx_project_member WHERE project_id = ? AND staff_id = ? AND role = '利用者への説明'", id, ids[1]));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM dx_project_need WHERE project_id = ?", id), 3);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM dx_project_figure WHERE project_id = ? AND value = 120", id), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits + 1);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'project.add' AND entity_id = ? AND actor = 'dx'", id));

    /* Shown: without an engaged external, K-01 needs training. */
    r = req("GET", fmt("/projects/%lld", (long long)id), dx->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "1,200,000円") && has(&r, "予約件数") && has(&r, "福祉課"));
    assert_true(has(&r, "②プロジェクト担当の指名はありません"));
    assert_true(has(&r, "3（確認済）") && has(&r, "3（自己）") && has(&r, "1（自己）"));
    assert_true(has(&r, "<td class=\"need-met\">充足</td>"));
    assert_false(has(&r, "外部人材で補完中"));
    buf_free(&r.raw);

    /* An external who brings K-01 at level 4, linked to the project … */
    Buf e = BUF_INIT;
    f_add(&e, "name", "検証 一郎");
    f_add(&e, "kind", "side_job");
    f_add(&e, "skills", "K-01 4");
    f_add(&e, "project", fmt("%lld", (long long)id));
    f_add(&e, fmt("role_%lld", (long long)id), "RPAの助言");
    r = post(dx, "/extern/new", &e);
    buf_free(&e);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t ext = db_int(db, 0, "SELECT id FROM extern_person WHERE name = '検証 一郎'");
    assert_true(db_exists(db, "SELECT 1 FROM extern_project WHERE extern_id = ? AND project_id = ? AND role = 'RPAの助言'", ext, id));
    r = req("GET", fmt("/projects/%lld", (long long)id), dx->cookie, NULL);
    assert_false(has(&r, "外部人材で補完中")); /* … counts only while engaged */
    assert_true(has(&r, "<span class=\"badge muted\">契約期間外</span>"));
    buf_free(&r.raw);
    e = (Buf)BUF_INIT;
    f_add(&e, "from", "2026-04-01");
    f_add(&e, "to", "2027-03-31");
    f_add(&e, "cost", "0");
    f_add(&e, "hours_contracted", "10");
    r = post(dx, fmt("/extern/%lld/engagements", (long long)ext), &e);
    buf_free(&e);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    r = req("GET", fmt("/projects/%lld", (long long)id), dx->cookie, NULL);
    assert_true(has(&r, "<td class=\"need-extern\">不足（外部人材で補完中）：検証 一郎</td>"));
    assert_true(has(&r, "<td class=\"need-training\">不足（研修が必要）</td>"));
    assert_true(has(&r, "<td class=\"need-met\">充足</td>"));
    buf_free(&r.raw);

    /* Designating the owner as ② shows on the page. */
    db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2026, 2, 'project', ?, '2026-06-01')", ids[0],
            unit);
    EXPECT(dx->cookie, fmt("/projects/%lld", (long long)id), 200, "②プロジェクト担当に指名済み");

    /* Edit: the status and the needs are replaced in one save. */
    b = (Buf)BUF_INIT;
    f_add(&b, "name", "窓口予約の試行");
    f_add(&b, "unit_id", fmt("%lld", (long long)unit));
    f_add(&b, "from_date", "2026-06-01");
    f_add(&b, "status", "active");
    f_add(&b, "members", no[0]);
    f_add(&b, "needs", "K-02 3 1");
    r = post(dx, fmt("/projects/%lld/edit", (long long)id), &b);
    buf_free(&b);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_true(db_exists(db, "SELECT 1 FROM dx_project WHERE id = ? AND status = 'active'", id));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM dx_project_need WHERE project_id = ?", id), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM dx_project_member WHERE project_id = ?", id), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM dx_project_figure WHERE project_id = ?", id), 0);
    EXPECT(dx->cookie, fmt("/projects/%lld/edit", (long long)id), 200, "K-02 3 1");

    /* Delete removes the project with its rows and external links. */
    b = (Buf)BUF_INIT;
    r = post(dx, fmt("/projects/%lld/delete", (long long)id), &b);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(project_id("窓口予約の試行"), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM extern_project WHERE project_id = ?", id), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM dx_project_member WHERE project_id = ?", id), 0);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'project.delete' AND entity_id = ?", id));
    EXPECT(dx->cookie, fmt("/projects/%lld", (long long)id), 404, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_list_and_roles), cmocka_unit_test(test_validation_keeps_the_form_and_writes_nothing),
                                       cmocka_unit_test(test_add_edit_coverage_delete)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
