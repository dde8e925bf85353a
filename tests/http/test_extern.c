/* test_extern.c - request tests of the external talent register: who may
 * see it (人事, DX推進, 管理者; a 所属長 only records tied to projects of
 * their subtree; staff nobody), the read-audit of a record's page, add with
 * skills and projects, contracts, knowledge-transfer sessions and pairings
 * (stored and shown), validation that keeps the input and writes nothing,
 * and each KPI formula of extern_kpi_year. */
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

#include "demo/demo.h"
#include "domain/extern.h"
#include "harness.h"
#include "formbody.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "jinji"}, {.login = "dx"}};

static int setup(void **state)
{
    (void)state;
    if (harness_open("extern", users, sizeof users / sizeof users[0]) != 0) return -1;
    return demo_projects(db, 2026, 7u);
}

static int teardown(void **state)
{
    (void)state;
    harness_close();
    return 0;
}

static int64_t extern_id(const char *name) { return db_int(db, 0, "SELECT id FROM extern_person WHERE name = ?", name); }

static Res post(Who *w, const char *path, Buf *body)
{
    Buf full = BUF_INIT;
    f_add(&full, "csrf", w->csrf);
    if (body->len) {
        buf_puts(&full, "&");
        buf_append(&full, body->data, body->len);
    }
    Res r = req("POST", path, w->cookie, buf_cstr(&full));
    buf_free(&full);
    return r;
}

static int views(const char *actor, int64_t id)
{
    return (int)db_int(db, -1, "SELECT COALESCE(SUM(repeats), 0) FROM audit_log WHERE action = 'extern.view' AND actor = ? AND entity_id = ?", actor, id);
}

static void test_scope_and_read_audit(void **state)
{
    (void)state;
    Who *staff = user("shokuin"), *kacho = user("kacho"), *dx = user("dx"), *hr = user("jinji");
    int64_t taro = extern_id("外部 太郎"), sample = extern_id("株式会社サンプルデジタル");
    assert_true(taro && sample);
    /* Staff: no list, no page, no menu entry. */
    EXPECT(staff->cookie, "/extern", 403, "");
    EXPECT(staff->cookie, fmt("/extern/%lld", (long long)taro), 403, "");
    Res r = req("GET", "/projects", staff->cookie, NULL);
    assert_false(has(&r, "href=\"/extern\""));
    buf_free(&r.raw);
    /* A 所属長 sees only the external of the RPA project of their 課. */
    r = req("GET", "/extern", kacho->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "株式会社サンプルデジタル"));
    assert_false(has(&r, "外部 太郎"));
    assert_false(has(&r, "情報 花子"));
    buf_free(&r.raw);
    EXPECT(kacho->cookie, fmt("/extern/%lld", (long long)taro), 403, "関わっていない");
    assert_int_equal(views("kacho", taro), 0);
    EXPECT(kacho->cookie, fmt("/extern/%lld", (long long)sample), 200, "info@example.co.jp", "企業派遣");
    assert_int_equal(views("kacho", sample), 1);
    /* 人事 and DX推進 see everything; every page view is recorded. */
    EXPECT(hr->cookie, "/extern", 200, "外部 太郎", "情報 花子", "地図 三郎", "副業 次郎");
    EXPECT(dx->cookie, fmt("/extern/%lld", (long long)taro), 200, "gaibu.taro@example.jp", "地域情報化アドバイザー", "書かない窓口");
    EXPECT(dx->cookie, fmt("/extern/%lld", (long long)taro), 200, "");
    assert_int_equal(views("dx", taro), 2);
    /* Filters and the empty state. */
    r = req("GET", "/extern?kind=cio_aide", dx->cookie, NULL);
    assert_true(has(&r, "情報 花子"));
    assert_false(has(&r, "外部 太郎"));
    buf_free(&r.raw);
    r = req("GET", "/extern?engaged=1", dx->cookie, NULL);
    assert_false(has(&r, "地図 三郎")); /* contract ended last 年度 */
    assert_true(has(&r, "外部 太郎"));
    buf_free(&r.raw);
    EXPECT(dx->cookie, "/extern?kind=other", 200, "条件に合う外部人材はいません");
    /* Writes need 人事, DX推進 or 管理者. */
    Buf b = BUF_INIT;
    f_add(&b, "name", "x");
    f_add(&b, "kind", "other");
    r = post(kacho, "/extern/new", &b);
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    buf_free(&b);
}

static void test_add_validate_and_transfer(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int people = count("SELECT COUNT(*) FROM extern_person"), audits = count("SELECT COUNT(*) FROM audit_log");
    /* Bad input: the form comes back with the messages and the input. */
    Buf b = BUF_INIT;
    f_add(&b, "name", "");
    f_add(&b, "kind", "wizard");
    f_add(&b, "affiliation", "入力した所属");
    f_add(&b, "skills", "NOPE 3\nK-02 7");
    Res r = post(dx, "/extern/new", &b);
    buf_free(&b);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "氏名・団体名を100文字以内で入力してください。") && has(&r, "種別を選んでください。"));
    assert_true(has(&r, "スキル「NOPE」はスキルマップにありません。") && has(&r, "レベルは0～4の数字で入力してください。"));
    assert_true(has(&r, "入力した所属") && has(&r, "NOPE 3"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM extern_person"), people);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);

    /* A good one: stored with its skills and projects, audited. */
    int64_t gen_ai = db_int(db, 0, "SELECT id FROM dx_project WHERE name = '生成AI活用'");
    b = (Buf)BUF_INIT;
    f_add(&b, "name", "株式会社テスト人材");
    f_add(&b, "is_org", "1");
    f_add(&b, "kind", "kigyojin");
    f_add(&b, "contact", "test@example.jp");
    f_add(&b, "skills", "K-02 4\nＫ－０１　３");
    f_add(&b, "project", fmt("%lld", (long long)gen_ai));
    f_add(&b, fmt("role_%lld", (long long)gen_ai), "ルールづくり");
    r = post(dx, "/extern/new", &b);
    buf_free(&b);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = extern_id("株式会社テスト人材");
    assert_true(id > 0);
    assert_true(db_exists(db, "SELECT 1 FROM extern_person WHERE id = ? AND is_org = 1 AND kind = 'kigyojin' AND contact = 'test@example.jp'", id));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM extern_skill WHERE extern_id = ?", id), 2);
    assert_true(db_exists(db, "SELECT 1 FROM extern_project WHERE extern_id = ? AND project_id = ? AND role = 'ルールづくり'", id, gen_ai));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'extern.add' AND entity_id = ?", id));
    EXPECT(dx->cookie, fmt("/extern/%lld", (long long)id), 200, "地域活性化起業人", "（団体）", "K-01", "レベル3", "生成AI活用");

    /* Contracts: bad dates come back; a good one is stored and shown. */
    int engagements = count("SELECT COUNT(*) FROM extern_engagement");
    b = (Buf)BUF_INIT;
    f_add(&b, "from", "2026-10-01");
    f_add(&b, "to", "2026-09-30");
    f_add(&b, "cost", "abc");
    f_add(&b, "hours_contracted", "12");
    r = post(dx, fmt("/extern/%lld/engagements", (long long)id), &b);
    buf_free(&b);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "終了日は開始日より後の日付にしてください。") && has(&r, "費用は円単位の数字で入力してください"));
    assert_true(has(&r, "value=\"2026-09-30\""));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM extern_engagement"), engagements);
    b = (Buf)BUF_INIT;
    f_add(&b, "from", "令和8年10月1日");
    f_add(&b, "to", "2027-03-31");
    f_add(&b, "cost", "1,500,000");
    f_add(&b, "tokko", "1");
    f_add(&b, "funding_note", "起業人の特別交付税措置");
    f_add(&b, "hours_contracted", "100");
    f_add(&b, "hours_actual", "20.5");
    r = post(dx, fmt("/extern/%lld/engagements", (long long)id), &b);
    buf_free(&b);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_true(db_exists(db, "SELECT 1 FROM extern_engagement WHERE extern_id = ? AND from_date = '2026-10-01' AND cost = 1500000 AND tokko = 1"
                              " AND hours_actual = 20.5",
                          id));
    EXPECT(dx->cookie, fmt("/extern/%lld", (long long)id), 200, "1,500,000円", "特別交付税措置あり：起業人の特別交付税措置");

    /* A session with listed staff: one session row and its staff in one go. */
    char no[2][32];
    Stmt *st = db_query(db, "SELECT staff_no FROM staff ORDER BY id LIMIT 2");
    for (int i = 0; i < 2 && db_step(st) == DB_ROW; i++) snprintf(no[i], 32, "%s", db_col_text(st, 0));
    db_done(st);
    b = (Buf)BUF_INIT;
    f_add(&b, "held_on", "2027-01-10");
    f_add(&b, "title", "未来の勉強会");
    r = post(dx, fmt("/extern/%lld/sessions", (long long)id), &b);
    buf_free(&b);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "開催日に先の日付は入力できません。") && has(&r, "参加人数か参加職員の職員番号を入力してください。") && has(&r, "未来の勉強会"));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM extern_session WHERE extern_id = ?", id), 0);
    b = (Buf)BUF_INIT;
    f_add(&b, "held_on", "2026-11-02");
    f_add(&b, "title", "生成AIの使い方");
    f_add(&b, "hours", "1.5");
    f_add(&b, "staff_nos", fmt("%s、%s\n%s", no[0], no[1], no[0]));
    r = post(dx, fmt("/extern/%lld/sessions", (long long)id), &b);
    buf_free(&b);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t sid = db_int(db, 0, "SELECT id FROM extern_session WHERE extern_id = ?", id);
    assert_int_equal(db_int(db, 0, "SELECT attendee_count FROM extern_session WHERE id = ?", sid), 2);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM extern_session_staff WHERE session_id = ?", sid), 2);
    EXPECT(dx->cookie, fmt("/extern/%lld", (long long)id), 200, "生成AIの使い方", "1.5時間", "2人（");

    /* Pairing and its end. */
    b = (Buf)BUF_INIT;
    f_add(&b, "staff_no", no[1]);
    f_add(&b, "pair_from", "2026-10-01");
    r = post(dx, fmt("/extern/%lld/pairings", (long long)id), &b);
    buf_free(&b);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t pid = db_int(db, 0, "SELECT id FROM extern_pairing WHERE extern_id = ?", id);
    assert_true(pid > 0);
    b = (Buf)BUF_INIT;
    f_add(&b, "on", "2026-11-16");
    r = post(dx, fmt("/extern/%lld/pairings/%lld/end", (long long)id, (long long)pid), &b);
    buf_free(&b);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_true(db_exists(db, "SELECT 1 FROM extern_pairing WHERE id = ? AND to_date = '2026-11-16'", pid));

    /* Ending the registration. */
    b = (Buf)BUF_INIT;
    f_add(&b, "ended_on", "2026-11-16");
    r = post(dx, fmt("/extern/%lld/end", (long long)id), &b);
    buf_free(&b);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_true(db_exists(db, "SELECT 1 FROM extern_person WHERE id = ? AND ended_on = '2026-11-16'", id));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'extern.end' AND entity_id = ?", id));
}

static void test_kpi_formulas(void **state)
{
    (void)state;
    ExternKpi k0, k1;
    assert_int_equal(extern_kpi_year(db, 2026, HARNESS_TODAY, &k0), 0);
    /* Against SQL written here. */
    assert_int_equal(k0.engagements, count("SELECT COUNT(*) FROM extern_engagement WHERE from_date <= '2027-03-31' AND to_date >= '2026-04-01'"));
    assert_int_equal(k0.sessions, count("SELECT COUNT(*) FROM extern_session WHERE held_on BETWEEN '2026-04-01' AND '" HARNESS_TODAY "'"));
    int64_t x = db_int(db, 0, "INSERT INTO extern_person (name, kind, created_at, updated_at) VALUES ('KPI 確認', 'other', 'x', 'x') RETURNING id");
    /* In the 年度: counted, hours summed. Wholly last 年度: not counted. Spanning 3/31-4/1: counted. */
    db_exec(db, "INSERT INTO extern_engagement (extern_id, from_date, to_date, hours_contracted, hours_actual) VALUES (?, '2026-06-01', '2026-07-31', 10, 4)", x);
    db_exec(db, "INSERT INTO extern_engagement (extern_id, from_date, to_date, hours_contracted, hours_actual) VALUES (?, '2025-04-01', '2026-03-31', 99, 99)", x);
    db_exec(db, "INSERT INTO extern_engagement (extern_id, from_date, to_date, hours_contracted, hours_actual) VALUES (?, '2026-03-01', '2026-04-01', 5, 5)", x);
    /* Sessions: an unlisted one counts its attendees; a listed one its distinct staff;
     * one last 年度 and one after today are not counted. */
    int64_t fresh[3];
    Stmt *st = db_query(db,
                        "SELECT s.id FROM staff s WHERE s.id NOT IN (SELECT staff_id FROM extern_session_staff) AND s.id NOT IN (SELECT staff_id FROM extern_pairing)"
                        " ORDER BY s.id DESC LIMIT 3");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(db_step(st), DB_ROW);
        fresh[i] = db_col_int(st, 0);
    }
    db_done(st);
    db_exec(db, "INSERT INTO extern_session (extern_id, held_on, title, attendee_count) VALUES (?, '2026-09-01', 'a', 7)", x);
    int64_t s2 = db_int(db, 0, "INSERT INTO extern_session (extern_id, held_on, title, attendee_count) VALUES (?, '2026-09-02', 'b', 2) RETURNING id", x);
    db_exec(db, "INSERT INTO extern_session_staff (session_id, staff_id) VALUES (?, ?), (?, ?)", s2, fresh[0], s2, fresh[1]);
    db_exec(db, "INSERT INTO extern_session (extern_id, held_on, title, attendee_count) VALUES (?, '2026-03-31', 'c', 50)", x);
    db_exec(db, "INSERT INTO extern_session (extern_id, held_on, title, attendee_count) VALUES (?, '2026-12-01', 'd', 50)", x);
    /* A pairing in the 年度 reaches a third person; fresh[0] paired too counts once. */
    db_exec(db, "INSERT INTO extern_pairing (extern_id, staff_id, from_date) VALUES (?, ?, '2026-05-01'), (?, ?, '2026-05-01')", x, fresh[2], x, fresh[0]);
    /* A pairing that starts after today does not count. */
    db_exec(db, "INSERT INTO extern_pairing (extern_id, staff_id, from_date) VALUES (?, (SELECT MIN(id) FROM staff WHERE id NOT IN (SELECT staff_id FROM"
                " extern_pairing) AND id NOT IN (SELECT staff_id FROM extern_session_staff)), '2027-01-01')",
            x);
    assert_int_equal(extern_kpi_year(db, 2026, HARNESS_TODAY, &k1), 0);
    assert_int_equal(k1.engagements - k0.engagements, 2);
    assert_true(fabs(k1.hours_contracted - k0.hours_contracted - 15) < 1e-9);
    assert_true(fabs(k1.hours_actual - k0.hours_actual - 9) < 1e-9);
    assert_int_equal(k1.sessions - k0.sessions, 2);
    assert_int_equal(k1.staff_reached - k0.staff_reached, 7 + 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_scope_and_read_audit), cmocka_unit_test(test_add_validate_and_transfer),
                                       cmocka_unit_test(test_kpi_formulas)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
