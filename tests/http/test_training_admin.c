/* test_training_admin.c - request-level tests of training administration as
 * the office runs it: the 申込期間 and 締切 of a session, the course's
 * eligibility and repeat rules, 不承認 with its reason, the bulk 事務局決定,
 * cancellations after the start, a leaver's pending applications, and the
 * wording of capacity and cost. Each test checks the stored rows and what
 * the screens say. */
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
#include "domain/staff.h"
#include "domain/training.h"
#include "app/router.h"
#include "io/text.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "dx"}};

/* Text read back by the tests; kept (reachable) until the program ends. */
static Arena kept = ARENA_INIT;

HARNESS_SETUP("training_admin", users)

static int post(Who *w, const char *p, const char *body, Res *out)
{
    char all[1500];
    snprintf(all, sizeof all, "csrf=%s&%s", w->csrf, body);
    Res r = req("POST", p, w->cookie, all);
    int st = r.status;
    if (out) *out = r;
    else buf_free(&r.raw);
    return st;
}

static int64_t course_n;

/* A course and one session `days` from today; from/until the 申込期間 (NULL
 * open); cost < 0 unknown. Returns the session id; *course_out its course. */
static int64_t session_in(int days, int capacity, const char *from, const char *until, int cost, int64_t *course_out)
{
    course_n++;
    Course c = {.code = fmt("TA%03lld", (long long)course_n), .title = fmt("管理テスト研修%lld", (long long)course_n), .provider = "somu",
                .format = "group", .target_tiers = 14, .minutes = 120, .capacity = capacity, .active = true};
    Errors e = {0};
    if (course_save(db, &ACTOR_CLI, &c, &e) != 0) fail_msg("course_save: %s", e.items[0].msg);
    char day[11];
    date_iso(date_add_days(date_today(), days), day);
    Session s = {.course_id = c.id, .capacity = capacity, .place = "本庁舎", .apply_from = from, .apply_until = until,
                 .has_cost = cost >= 0, .cost = cost};
    s.starts_at = fmt("%sT09:30", day);
    s.ends_at = fmt("%sT11:30", day);
    if (session_save(db, &ACTOR_CLI, &s, &e) != 0) fail_msg("session_save: %s", e.items[0].msg);
    if (course_out) *course_out = c.id;
    return s.id;
}

static const char *day_from_today(int days)
{
    static char d[4][11];
    static int k;
    char *p = d[k++ % 4];
    date_iso(date_add_days(date_today(), days), p);
    return p;
}

/* The n-th staff member in service today (not the logged-in users). */
static int64_t staff_nth(int n)
{
    return db_int(db, 0,
                  "SELECT s.id FROM staff s WHERE EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = s.id AND a.is_primary = 1"
                  " AND a.to_date IS NULL) AND s.id NOT IN (SELECT staff_id FROM account WHERE staff_id IS NOT NULL)"
                  " ORDER BY s.id LIMIT 1 OFFSET ?",
                  n);
}

static const char *state_of(int64_t app)
{
    static Arena a = ARENA_INIT;
    return db_text(db, &a, "SELECT state FROM application WHERE id = ?", app);
}

static int64_t app_id(int64_t session, int64_t staff)
{
    return db_int(db, 0, "SELECT id FROM application WHERE session_id = ? AND staff_id = ?", session, staff);
}

static int64_t approved(int64_t session, int64_t staff)
{
    Errors e = {0};
    if (app_apply(db, &ACTOR_CLI, session, staff, "", &e) != 0) fail_msg("app_apply: %s", e.items[0].msg);
    int64_t id = app_id(session, staff);
    assert_int_equal(app_approve(db, &ACTOR_CLI, id, true, &e), 0);
    return id;
}

/* 締切 passed: refused with the date, nothing stored; on the 締切 itself
 * accepted and the page says 「申し込みました」. Before 申込開始: refused. */
static void test_deadline_refuses_late(void **state)
{
    (void)state;
    Who *me = user("shokuin");
    int64_t late = session_in(30, 10, NULL, day_from_today(-1), -1, NULL);
    Res r;
    assert_int_equal(post(me, fmt("/sessions/%lld/apply", (long long)late), "app_note=", &r), 422);
    if (!has(&r, "この日程の申込は締め切りました（締切 ")) fail_msg("no deadline message:\n%.2000s", r.body);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM application WHERE session_id = ?", late), 0);

    int64_t early = session_in(30, 10, day_from_today(1), day_from_today(10), -1, NULL);
    assert_int_equal(post(me, fmt("/sessions/%lld/apply", (long long)early), "app_note=", &r), 422);
    assert_true(has(&r, "この日程の申込期間は"));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM application WHERE session_id = ?", early), 0);

    int64_t last = session_in(30, 10, day_from_today(-5), day_from_today(0), -1, NULL);
    assert_int_equal(post(me, fmt("/sessions/%lld/apply", (long long)last), "app_note=", &r), 303);
    assert_true(has(&r, "result=applied"));
    buf_free(&r.raw);
    assert_string_equal(state_of(app_id(last, me->staff_id)), "applied");
    EXPECT(me->cookie, fmt("/sessions/%lld?result=applied", (long long)last), 200, "申し込みました", "申込期間", "（締切）");
}

/* The 締切 of 3/31 for a session of the next 年度 starting in April: open on
 * 3/31, closed on 4/1. */
static void test_deadline_at_year_end(void **state)
{
    (void)state;
    assert_int_equal(util_clock_set_today("2027-03-20"), 0);
    int64_t s = session_in(16, 0, "2027-03-01", "2027-03-31", 3000, NULL); /* 2027-04-05, 年度 2027 */
    assert_int_equal(db_int(db, 0, "SELECT nendo FROM training_session WHERE id = ?", s), 2027);
    Errors e = {0};
    assert_int_equal(util_clock_set_today("2027-03-31"), 0);
    assert_int_equal(app_apply(db, &ACTOR_CLI, s, staff_nth(0), "", &e), 0);
    assert_int_equal(util_clock_set_today("2027-04-01"), 0);
    Errors e2 = {0};
    assert_int_equal(app_apply(db, &ACTOR_CLI, s, staff_nth(1), "", &e2), -1);
    assert_string_equal(e2.items[0].msg, "この日程の申込は締め切りました（締切 2027-03-31）。");
    assert_int_equal(util_clock_set_today(HARNESS_TODAY), 0);
    assert_string_equal(state_of(app_id(s, staff_nth(0))), "applied");
    assert_int_equal(app_id(s, staff_nth(1)), 0);
}

/* Bulk 事務局決定: one POST decides every checked row (seats first, then the
 * waitlist); any bad row writes nothing and each bad one is named. */
static void test_bulk_decision(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t s = session_in(20, 2, NULL, NULL, 5000, NULL);
    int64_t a[4];
    for (int i = 0; i < 4; i++) a[i] = approved(s, staff_nth(10 + i));
    int64_t pending = 0;
    {
        Errors e = {0};
        assert_int_equal(app_apply(db, &ACTOR_CLI, s, staff_nth(14), "", &e), 0);
        pending = app_id(s, staff_nth(14));
    }
    /* the page offers the checkboxes and the bulk form */
    EXPECT(dx->cookie, "/training/approvals", 200, fmt("name=\"app\" value=\"%lld\" form=\"bulk-decide\"", (long long)a[0]),
           "id=\"bulk-decide\"", "選んだ申込を受講決定");

    /* a row not waiting for the decision: nothing written, the row named */
    Res r;
    int audits = count("SELECT COUNT(*) FROM audit_log");
    assert_int_equal(post(dx, "/training/approvals/decide", fmt("op=accept&app=%lld&app=%lld&app=%lld", (long long)a[0], (long long)a[1], (long long)pending), &r), 422);
    char *name = db_text(db, &kept, "SELECT staff_no || ' ' || name FROM staff WHERE id = ?", staff_nth(14));
    if (!has(&r, fmt("%s（", name)) || !has(&r, "事務局決定待ちの申込ではありません")) fail_msg("row not named:\n%.3000s", r.body);
    assert_true(has(&r, fmt("value=\"%lld\" form=\"bulk-decide\" id=\"bulk-%lld\" checked", (long long)a[0], (long long)a[0])));
    buf_free(&r.raw);
    for (int i = 0; i < 4; i++) assert_string_equal(state_of(a[i]), "approved");
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);

    /* 不承認 without a reason: refused, nothing written */
    assert_int_equal(post(dx, "/training/approvals/decide", fmt("op=reject&reason=&app=%lld", (long long)a[3]), &r), 422);
    assert_true(has(&r, "不承認の理由を入力してください"));
    buf_free(&r.raw);
    assert_string_equal(state_of(a[3]), "approved");

    /* three accepted at once with two seats: two 受講決定, one キャンセル待ち */
    assert_int_equal(post(dx, "/training/approvals/decide", fmt("op=accept&app=%lld&app=%lld&app=%lld", (long long)a[0], (long long)a[1], (long long)a[2]), &r), 303);
    assert_true(has(&r, "accepted=2&waitlisted=1"));
    buf_free(&r.raw);
    assert_string_equal(state_of(a[0]), "accepted");
    assert_string_equal(state_of(a[1]), "accepted");
    assert_string_equal(state_of(a[2]), "waitlisted");
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'app.decide_bulk'"), 1);
    EXPECT(dx->cookie, "/training/approvals?bulk=accept&accepted=2&waitlisted=1", 200, "まとめて決定しました：受講決定 2件、キャンセル待ち 1件。");

    /* a reason given: rejected with it stored */
    assert_int_equal(post(dx, "/training/approvals/decide", fmt("op=reject&reason=%s&app=%lld", "%E4%BA%88%E7%AE%97%E4%B8%8D%E8%B6%B3", (long long)a[3]), NULL), 303);
    assert_string_equal(state_of(a[3]), "rejected");
    assert_string_equal(db_text(db, &kept, "SELECT reason FROM application WHERE id = ?", a[3]), "予算不足");
}

/* 不承認 of one's own application shows the reason on わたしの研修. */
static void test_rejection_reason_shown(void **state)
{
    (void)state;
    Who *me = user("shokuin"), *dx = user("dx");
    int64_t s = session_in(25, 10, NULL, NULL, -1, NULL);
    int64_t a = approved(s, me->staff_id);
    assert_int_equal(post(dx, fmt("/applications/%lld/decide", (long long)a), "op=reject&reason=&back=/training/approvals", NULL), 422);
    assert_string_equal(state_of(a), "approved");
    assert_int_equal(post(dx, fmt("/applications/%lld/decide", (long long)a), "op=reject&reason=%E5%AE%9A%E5%93%A1%E8%B6%85%E9%81%8E&back=/training/approvals", NULL), 303);
    assert_string_equal(state_of(a), "rejected");
    EXPECT(me->cookie, "/training", 200, "理由：定員超過");
}

/* Cancelling after the start is refused; before it, allowed. */
static void test_cancel_after_start(void **state)
{
    (void)state;
    Who *me = user("shokuin");
    int64_t s = session_in(12, 10, NULL, NULL, -1, NULL);
    int64_t a = approved(s, me->staff_id);
    db_exec(db, "UPDATE training_session SET starts_at = ? WHERE id = ?", fmt("%sT09:00", day_from_today(-1)), s);
    Res r;
    assert_int_equal(post(me, fmt("/applications/%lld/cancel", (long long)a), "back=/training", &r), 422);
    assert_true(has(&r, "開始した研修の申込は取り消せません"));
    buf_free(&r.raw);
    assert_string_equal(state_of(a), "approved");
}

/* A leaver: pending applications to sessions after the last day are
 * cancelled with a note; those on or before it, and 受講決定, stay. */
static void test_leaver_withdrawn(void **state)
{
    (void)state;
    int64_t p = staff_nth(30);
    int64_t before = session_in(10, 10, NULL, NULL, -1, NULL), on_last = session_in(20, 10, NULL, NULL, -1, NULL),
            after1 = session_in(21, 10, NULL, NULL, -1, NULL), after2 = session_in(40, 1, NULL, NULL, -1, NULL),
            after3 = session_in(45, 10, NULL, NULL, -1, NULL);
    Errors e = {0};
    int64_t ab = approved(before, p), al = approved(on_last, p);
    assert_int_equal(app_apply(db, &ACTOR_CLI, after1, p, "", &e), 0);
    int64_t a1 = app_id(after1, p);
    /* after2 is full: p waits */
    int64_t other = approved(after2, staff_nth(31));
    assert_int_equal(app_decide(db, &ACTOR_CLI, other, true, &e), 0);
    int64_t a2 = approved(after2, p);
    assert_int_equal(app_decide(db, &ACTOR_CLI, a2, true, &e), 0);
    assert_string_equal(state_of(a2), "waitlisted");
    int64_t a3 = approved(after3, p);
    assert_int_equal(app_decide(db, &ACTOR_CLI, a3, true, &e), 0);
    assert_string_equal(state_of(a3), "accepted");

    const char *last = day_from_today(20);
    assert_int_equal(staff_deactivate(db, &ACTOR_CLI, p, last, &e), 0);
    assert_string_equal(state_of(ab), "approved");
    assert_string_equal(state_of(al), "approved");
    assert_string_equal(state_of(a1), "cancelled");
    assert_string_equal(state_of(a2), "cancelled");
    assert_string_equal(state_of(a3), "accepted");
    const char *note = db_text(db, &kept, "SELECT note FROM application WHERE id = ?", a1);
    assert_string_equal(note, fmt("退職等により取消（最終日 %s）", last));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'app.withdraw' AND entity_id = ?", p), 1);
}

/* A completed course is not applied for again unless it allows repeats;
 * eligibility refuses or warns as the course says. */
static void test_repeat_and_eligibility(void **state)
{
    (void)state;
    int64_t p = staff_nth(40), course;
    int64_t first = session_in(5, 10, NULL, NULL, -1, &course);
    db_exec(db, "INSERT INTO completion (session_id, staff_id, attended, minutes, completed, recorded_at) VALUES (?, ?, 1, 120, 1, '2026-11-01T10:00')",
            first, p);
    Course c;
    Arena a = ARENA_INIT;
    assert_true(course_get(db, &a, course, &c));
    char day[11];
    date_iso(date_add_days(date_today(), 50), day);
    Session s2 = {.course_id = course, .capacity = 10, .place = "", .starts_at = fmt("%sT09:30", day), .ends_at = fmt("%sT10:30", day)};
    Errors e = {0};
    assert_int_equal(session_save(db, &ACTOR_CLI, &s2, &e), 0);
    assert_int_equal(app_apply(db, &ACTOR_CLI, s2.id, p, "", &e), -1);
    assert_string_equal(e.items[0].msg, "この研修は修了済みです。この研修は再受講できないため、申し込めません。");
    db_exec(db, "UPDATE course SET repeatable = 1 WHERE id = ?", course);
    Errors e2 = {0};
    assert_int_equal(app_apply(db, &ACTOR_CLI, s2.id, p, "", &e2), 0);

    /* a course for ① tier only (bit 1); p is ③ */
    int64_t q = staff_nth(41), c2;
    int64_t s3 = session_in(33, 10, NULL, NULL, -1, &c2);
    db_exec(db, "UPDATE course SET target_tiers = 2, target_posts = '', eligibility = 'refuse' WHERE id = ?", c2);
    Errors e3 = {0};
    assert_int_equal(app_apply(db, &ACTOR_CLI, s3, q, "", &e3), -1);
    assert_string_equal(e3.items[0].msg, "この研修の対象（対象区分・対象職位）ではないため申し込めません。");
    db_exec(db, "UPDATE course SET eligibility = 'warn' WHERE id = ?", c2);
    Errors e4 = {0};
    bool warned = false;
    assert_int_equal(app_apply_checked(db, &ACTOR_CLI, s3, q, "", &warned, &e4), 0);
    assert_true(warned);
    /* named by 職位: eligible even outside the tiers */
    int64_t r3 = staff_nth(42);
    db_exec(db, "UPDATE staff SET post = '主査' WHERE id = ?", r3);
    db_exec(db, "UPDATE course SET target_posts = '係長、主査', eligibility = 'refuse' WHERE id = ?", c2);
    Errors e5 = {0};
    assert_int_equal(app_apply_checked(db, &ACTOR_CLI, s3, r3, "", &warned, &e5), 0);
    assert_false(warned);
    arena_free(&a);
}

/* 定員 0 reads 「制限なし」; an unknown cost 「未定」 and is stored NULL. */
static void test_wording(void **state)
{
    (void)state;
    Who *me = user("shokuin");
    int64_t s = session_in(15, 0, NULL, NULL, -1, NULL);
    assert_true(db_exists(db, "SELECT 1 FROM training_session WHERE id = ? AND cost IS NULL", s));
    EXPECT(me->cookie, fmt("/sessions/%lld", (long long)s), 200, "<dt>定員</dt><dd>制限なし</dd>", "<dt>費用（1人）</dt><dd>未定</dd>");
    int64_t t = session_in(15, 5, NULL, NULL, 4000, NULL);
    EXPECT(me->cookie, fmt("/sessions/%lld", (long long)t), 200, "<dt>定員</dt><dd>5人</dd>", "<dt>費用（1人）</dt><dd>4000円</dd>");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline_refuses_late), cmocka_unit_test(test_deadline_at_year_end), cmocka_unit_test(test_bulk_decision),
        cmocka_unit_test(test_rejection_reason_shown), cmocka_unit_test(test_cancel_after_start), cmocka_unit_test(test_leaver_withdrawn),
        cmocka_unit_test(test_repeat_and_eligibility), cmocka_unit_test(test_wording),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
