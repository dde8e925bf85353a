/* test_training.c - request-level tests of the training screens: わたしの研修,
 * the 所属長承認 and 事務局決定 queues with the capacity rule and the
 * waitlist, the 復命書 of an external course, 職場還元, and the 受講履歴 of a
 * person and a unit with their exports and scope.
 *
 * Requests go through http_answer_raw, the same path as `jinzai
 * test-request`, against a fresh demo database; courses, sessions and the
 * steps no screen of this file covers go through the domain API. */
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
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/skill.h"
#include "domain/completion.h"
#include "domain/training.h"
#include "app/router.h"
#include "io/text.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}};

HARNESS_SETUP("training", users)

/* POSTs body (the CSRF token of w is added) and returns the status; the
 * Location or body must hold want when want is given. */
static int post(Who *w, const char *p, const char *body, const char *want)
{
    char all[1200];
    snprintf(all, sizeof all, "csrf=%s&%s", w->csrf, body);
    Res r = req("POST", p, w->cookie, all);
    if (want && !has(&r, want)) fail_msg("POST %s: \"%s\" not found in\n%.600s", p, want, r.raw.data);
    buf_free(&r.raw);
    return r.status;
}

/* GETs p as w, checks the status and that the answer holds want (if given). */
static void get(Who *w, const char *p, int status, const char *want)
{
    Res r = req("GET", p, w->cookie, NULL);
    if (r.status != status) fail_msg("GET %s as %s: %d, want %d", p, w->login, r.status, status);
    if (want && !has(&r, want)) fail_msg("GET %s as %s: \"%s\" not found", p, w->login, want);
    buf_free(&r.raw);
}

/* A course of provider (internal "somu", external "center") with one session
 * 30 days from now holding capacity seats. Returns the session id. */
static int64_t make_session(const char *code, const char *provider, int capacity)
{
    Course c = {.code = code, .title = fmt("テスト研修%s", code), .provider = provider, .format = "group", .target_tiers = 14,
                .minutes = 90, .capacity = capacity, .active = true};
    Errors e = {0};
    if (course_save(db, &ACTOR_CLI, &c, &e) != 0) fail_msg("course_save: %s", e.items[0].msg);
    char day[11];
    date_iso(date_add_days(date_today(), 30), day);
    Session s = {.course_id = c.id, .capacity = capacity, .place = "本庁舎 大会議室"};
    s.starts_at = fmt("%sT09:30", day);
    s.ends_at = fmt("%sT11:00", day);
    if (session_save(db, &ACTOR_CLI, &s, &e) != 0) fail_msg("session_save: %s", e.items[0].msg);
    return s.id;
}

/* Applies for staff_id and moves the application up to `upto` (AP_APPLIED,
 * AP_APPROVED or AP_ACCEPTED) through the domain. Returns its id. */
static int64_t apply_as(int64_t session, int64_t staff_id, AppState upto)
{
    Errors e = {0};
    if (app_apply(db, &ACTOR_CLI, session, staff_id, "", &e) != 0) fail_msg("app_apply: %s", e.items[0].msg);
    int64_t id = db_int(db, 0, "SELECT id FROM application WHERE session_id = ? AND staff_id = ?", session, staff_id);
    if (upto >= AP_APPROVED) assert_int_equal(app_approve(db, &ACTOR_CLI, id, true, &e), 0);
    if (upto >= AP_ACCEPTED) assert_int_equal(app_decide(db, &ACTOR_CLI, id, true, &e), 0);
    return id;
}

static const char *state_of(int64_t app)
{
    static char s[32];
    Arena a = ARENA_INIT;
    char *t = db_text(db, &a, "SELECT state FROM application WHERE id = ?", app);
    snprintf(s, sizeof s, "%s", t ? t : "");
    arena_free(&a);
    return s;
}

/* The kacho's 課, someone else in it, and someone outside it. */
static int64_t boss_unit(void)
{
    return db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", user("kacho")->staff_id);
}

static int64_t colleague(void)
{
    return db_int(db, 0,
                  "SELECT a.staff_id FROM assignment a JOIN org_unit u ON u.id = a.unit_id JOIN staff s ON s.id = a.staff_id"
                  " WHERE a.is_primary = 1 AND a.to_date IS NULL AND (u.id = ? OR u.parent_id = ?)"
                  " AND a.staff_id NOT IN (?, ?) ORDER BY a.staff_id LIMIT 1",
                  boss_unit(), boss_unit(), user("kacho")->staff_id, user("shokuin")->staff_id);
}

static int64_t outsider(void)
{
    return db_int(db, 0,
                  "SELECT s.id FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL"
                  " JOIN org_unit u ON u.id = a.unit_id WHERE u.id <> ? AND u.parent_id <> ?"
                  " AND s.id NOT IN (SELECT staff_id FROM assignment WHERE to_date IS NULL AND unit_id IN"
                  "  (SELECT id FROM org_unit WHERE id = ? OR parent_id = ?)) ORDER BY s.id LIMIT 1",
                  boss_unit(), boss_unit(), boss_unit(), boss_unit());
}

/* 本人申込 → 所属長承認 → 事務局決定, each step visible on the screens. */
static void test_approve_then_decide(void **state)
{
    (void)state;
    Who *me = user("shokuin"), *kacho = user("kacho"), *dx = user("dx");
    int64_t s = make_session("T-FLOW", "somu", 10);
    int64_t app = apply_as(s, me->staff_id, AP_APPLIED);
    get(me, "/training", 200, "所属長承認待ち");
    get(me, "/training", 200, "テスト研修T-FLOW");
    get(kacho, "/training/approvals", 200, "テスト研修T-FLOW");
    assert_int_equal(post(me, fmt("/applications/%lld/approve", (long long)app), "op=approve", NULL), 403);
    assert_int_equal(post(kacho, fmt("/applications/%lld/approve", (long long)app), "op=maybe", NULL), 422);
    assert_int_equal(post(kacho, fmt("/applications/%lld/approve", (long long)app), "op=approve&back=%2Ftraining%2Fapprovals",
                          "Location: /training/approvals?result=approved"),
                     303);
    assert_string_equal(state_of(app), "approved");
    /* Approving twice is refused with the page and its message. */
    assert_int_equal(post(kacho, fmt("/applications/%lld/approve", (long long)app), "op=approve&back=%2Ftraining%2Fapprovals",
                          "所属長承認待ちの申込ではありません。"),
                     422);
    assert_int_equal(post(kacho, fmt("/applications/%lld/decide", (long long)app), "op=accept", NULL), 403);
    get(dx, "/training/approvals", 200, "事務局決定待ち");
    get(dx, "/training/approvals?result=approved", 200, "研修事務局の決定を待っています。");
    assert_int_equal(post(dx, fmt("/applications/%lld/decide", (long long)app), "op=accept&back=%2Ftraining%2Fapprovals",
                          "result=accepted"),
                     303);
    assert_string_equal(state_of(app), "accepted");
    get(me, "/training", 200, "受講決定");
    assert_int_equal(post(dx, "/applications/999999/decide", "op=accept", NULL), 404);
}

/* A 所属長 acts only on their own subtree and never on themself. */
static void test_approve_scope(void **state)
{
    (void)state;
    Who *kacho = user("kacho"), *dx = user("dx");
    int64_t s = make_session("T-SCOPE", "somu", 10);
    int64_t other = apply_as(s, outsider(), AP_APPLIED);
    int64_t own = apply_as(s, kacho->staff_id, AP_APPLIED);
    assert_int_equal(post(kacho, fmt("/applications/%lld/approve", (long long)other), "op=approve", NULL), 403);
    assert_int_equal(post(kacho, fmt("/applications/%lld/approve", (long long)own), "op=approve", "自分の申込は承認できません"), 403);
    assert_string_equal(state_of(other), "applied");
    assert_string_equal(state_of(own), "applied");
    assert_int_equal(post(dx, fmt("/applications/%lld/approve", (long long)other), "op=reject&reason=%E4%BA%88%E7%AE%97%E8%B6%85%E9%81%8E", "result=rejected"), 303);
    assert_string_equal(state_of(other), "rejected");
    assert_int_equal(post(kacho, "/applications/999999/approve", "op=approve", NULL), 404);
}

/* Capacity 1: the second accepted goes on the waitlist and moves up when
 * the first cancels. */
static void test_capacity_and_waitlist(void **state)
{
    (void)state;
    Who *me = user("shokuin"), *kacho = user("kacho"), *dx = user("dx");
    int64_t s = make_session("T-CAP", "somu", 1);
    int64_t first = apply_as(s, me->staff_id, AP_APPROVED);
    int64_t second = apply_as(s, colleague(), AP_APPROVED);
    assert_int_equal(post(dx, fmt("/applications/%lld/decide", (long long)first), "op=accept&back=%2Ftraining%2Fapprovals",
                          "result=accepted"),
                     303);
    assert_int_equal(post(dx, fmt("/applications/%lld/decide", (long long)second), "op=accept&back=%2Ftraining%2Fapprovals",
                          "Location: /training/approvals?result=waitlisted"),
                     303);
    assert_string_equal(state_of(second), "waitlisted");
    get(dx, "/training/approvals?result=waitlisted", 200, "定員に達しているため、キャンセル待ちになりました。");
    get(dx, "/training/approvals", 200, "受講決定 1人／定員 1人");
    /* Only the applicant or the office may cancel; a back outside the site is ignored. */
    assert_int_equal(post(kacho, fmt("/applications/%lld/cancel", (long long)first), "", NULL), 403);
    assert_int_equal(post(me, fmt("/applications/%lld/cancel", (long long)first), "back=%2F%2Fevil.example",
                          "Location: /training?result=cancelled"),
                     303);
    assert_string_equal(state_of(first), "cancelled");
    assert_string_equal(state_of(second), "accepted");
    get(me, "/training?result=cancelled", 200, "申込を取り消しました。");
}

/* An external course is complete only with its 復命書. */
static void test_external_needs_report(void **state)
{
    (void)state;
    Who *me = user("shokuin"), *kacho = user("kacho");
    int64_t s = make_session("T-EXT", "center", 20);
    apply_as(s, me->staff_id, AP_ACCEPTED);
    Errors e = {0};
    RosterEntry in = {me->staff_id, true, -1};
    if (completion_record(db, &ACTOR_CLI, s, &in, 1, &e) != 0) fail_msg("completion_record: %s", e.items[0].msg);
    int64_t c = db_int(db, 0, "SELECT id FROM completion WHERE session_id = ? AND staff_id = ?", s, me->staff_id);
    assert_int_equal(db_int(db, -1, "SELECT completed FROM completion WHERE id = ?", c), 0);
    get(me, "/training", 200, "復命書の提出");
    get(me, "/training", 200, fmt("action=\"/completions/%lld/report\"", (long long)c));
    assert_int_equal(post(kacho, fmt("/completions/%lld/report", (long long)c), "report_on=2026-11-30&report=x", NULL), 403);
    assert_int_equal(post(me, "/completions/999999/report", "report_on=2026-11-30&report=x", NULL), 404);
    /* The 和暦 date is understood; the text is kept when something is missing. */
    assert_int_equal(post(me, fmt("/completions/%lld/report", (long long)c), "report_on=&report=%E5%AD%A6%E3%82%93%E3%81%A0",
                          "学んだ</textarea>"),
                     422);
    assert_int_equal(db_int(db, -1, "SELECT completed FROM completion WHERE id = ?", c), 0);
    assert_int_equal(post(me, fmt("/completions/%lld/report", (long long)c),
                          "report_on=%E4%BB%A4%E5%92%8C8%E5%B9%B411%E6%9C%8830%E6%97%A5&report=%E5%AD%A6%E3%82%93%E3%81%A0",
                          "Location: /training?msg=saved"),
                     303);
    assert_int_equal(db_int(db, -1, "SELECT completed FROM completion WHERE id = ?", c), 1);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT report_on FROM completion WHERE id = ?", c), "2026-11-30");
    arena_free(&a);
    Res r = req("GET", "/training", me->cookie, NULL);
    assert_false(has(&r, fmt("action=\"/completions/%lld/report\"", (long long)c))); /* the demo leaves others due */
    buf_free(&r.raw);
}

/* 職場還元: content is required, typed values stay, a saved one is listed. */
static void test_shareback(void **state)
{
    (void)state;
    Who *me = user("shokuin");
    /* audience 福祉課職員, content empty */
    assert_int_equal(post(me, "/training/shareback",
                          "held_on=2026-11-20&audience=%E7%A6%8F%E7%A5%89%E8%AA%B2%E8%81%B7%E5%93%A1&attendees=12&content=",
                          "value=\"福祉課職員\""),
                     422);
    assert_int_equal(post(me, "/training/shareback", "held_on=2026-11-20&attendees=12&content=", "id=\"f-content\""), 422);
    assert_int_equal(post(me, "/training/shareback", "held_on=2026-11-20&attendees=abc&content=x", "参加人数を0〜1000で入力してください。"),
                     422);
    assert_int_equal(post(me, "/training/shareback", "held_on=2026-11-20&content=x&session_id=999999", "受講した研修から選んでください"), 422);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM share_back WHERE staff_id = ?", me->staff_id), 0);
    /* content 生成AIの使い方を共有 */
    assert_int_equal(post(me, "/training/shareback",
                          "held_on=2026-11-20&audience=%E7%A6%8F%E7%A5%89%E8%AA%B2%E8%81%B7%E5%93%A1&attendees=12"
                          "&content=%E7%94%9F%E6%88%90AI%E3%81%AE%E4%BD%BF%E3%81%84%E6%96%B9%E3%82%92%E5%85%B1%E6%9C%89&back=%2Ftraining",
                          "Location: /training?msg=saved#shareback"),
                     303);
    get(me, "/training", 200, "生成AIの使い方を共有");
    get(user("kacho"), fmt("/staff/%lld/training", (long long)me->staff_id), 200, "生成AIの使い方を共有");
}

/* 受講履歴 of a person and a unit: exports and scope. */
static void test_transcripts(void **state)
{
    (void)state;
    Who *me = user("shokuin"), *kacho = user("kacho"), *dx = user("dx");
    get(dx, "/training/transcript", 200, "職場還元実施率");
    get(dx, "/training/transcript?nendo=2026", 200, "受講者数");
    Res csv = req("GET", "/training/transcript?format=csv&nendo=2026", dx->cookie, NULL);
    assert_int_equal(csv.status, 200);
    assert_memory_equal(csv.body, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(csv.body, "職員番号"));
    buf_free(&csv.raw);
    Res xlsx = req("GET", "/training/transcript?format=xlsx", dx->cookie, NULL);
    assert_int_equal(xlsx.status, 200);
    assert_memory_equal(xlsx.body, "PK", 2);
    buf_free(&xlsx.raw);
    get(me, "/training/transcript", 403, NULL);
    get(me, fmt("/staff/%lld/training", (long long)kacho->staff_id), 403, NULL);
    get(me, fmt("/staff/%lld/training", (long long)me->staff_id), 200, "受講履歴");
    get(kacho, fmt("/staff/%lld/training", (long long)outsider()), 403, NULL);
    get(kacho, fmt("/staff/%lld/training", (long long)me->staff_id), 200, "テスト研修T-EXT");
    get(kacho, fmt("/staff/%lld/training?format=csv", (long long)me->staff_id), 200, "\xEF\xBB\xBF");
    get(kacho, fmt("/training/transcript?unit_id=%lld", (long long)boss_unit()), 200, "テスト研修T-EXT");
    int64_t far = db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND to_date IS NULL", outsider());
    get(kacho, fmt("/training/transcript?unit_id=%lld", (long long)far), 403, NULL);
    get(dx, "/staff/999999/training", 404, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_approve_then_decide), cmocka_unit_test(test_approve_scope),
        cmocka_unit_test(test_capacity_and_waitlist), cmocka_unit_test(test_external_needs_report),
        cmocka_unit_test(test_shareback), cmocka_unit_test(test_transcripts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
