/* test_module.c - request-level tests of e-learning modules: a 職員 reads
 * every page, fails the quiz (sees the wrong answers with explanations),
 * passes it and gets one completion that the transcript shows; the attempts
 * and time limits; media served with Range requests; raw HTML in a page not
 * rendered; and the authors' share of correct answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/module.h"
#include "domain/quiz.h"
#include "domain/asof.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}};

static int setup(void **state)
{
    (void)state;
    if (harness_open("module", users, sizeof users / sizeof users[0]) != 0) return -1;
    return demo_elearning(db, 2026, 7u);
}
static int teardown(void **state)
{
    (void)state;
    harness_close();
    return 0;
}

static int64_t module_id(void) { return db_int(db, 0, "SELECT id FROM course WHERE code = 'SEC-EL-R8'"); }
static int64_t last_attempt(int64_t staff) { return db_int(db, 0, "SELECT MAX(id) FROM quiz_attempt WHERE staff_id = ?", staff); }

/* The form body answering every item of an attempt: right (from the
 * database) or with nothing chosen. */
static char *answers(const Who *w, int64_t attempt, bool right)
{
    Buf b = BUF_INIT;
    buf_printf(&b, "csrf=%s", w->csrf);
    Stmt *st = db_query(db,
                        "SELECT i.seq, q.kind, o.id FROM quiz_attempt_item i JOIN quiz_question q ON q.id = i.question_id"
                        " JOIN quiz_option o ON o.question_id = q.id AND o.correct = 1 WHERE i.attempt_id = ? ORDER BY i.seq, o.id",
                        attempt);
    while (right && db_step(st) == DB_ROW) {
        if (!strcmp(db_col_text(st, 1), "multiple"))
            buf_printf(&b, "&a%lld_%lld=1", (long long)db_col_int(st, 0), (long long)db_col_int(st, 2));
        else
            buf_printf(&b, "&a%lld=%lld", (long long)db_col_int(st, 0), (long long)db_col_int(st, 2));
    }
    db_done(st);
    char *s = strdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

static int completions(int64_t staff)
{
    return (int)db_int(db, -1,
                       "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id WHERE t.course_id = ? AND k.staff_id = ?"
                       " AND k.completed = 1 AND k.attended = 1 AND k.minutes = 60 AND t.nendo = 2026",
                       module_id(), staff);
}

static void test_journey(void **state)
{
    (void)state;
    Who *me = user("shokuin");
    int64_t m = module_id();
    assert_true(m > 0);
    assert_int_equal(completions(me->staff_id), 0);
    EXPECT(me->cookie, fmt("/modules/%lld", (long long)m), 200, "情報セキュリティ研修（令和8年度）", "ページ（0 / 5 閲覧済み）", "確認テストを受ける");
    /* Reading every page records each view once. */
    EXPECT(me->cookie, fmt("/modules/%lld/pages/1", (long long)m), 200, "<h1>情報セキュリティ研修</h1>", "次のページ");
    for (int p = 1; p <= 5; p++) EXPECT(me->cookie, fmt("/modules/%lld/pages/%d", (long long)m, p), 200, fmt("%d / 5", p));
    EXPECT(me->cookie, fmt("/modules/%lld/pages/9", (long long)m), 404, "そのページは見つかりません");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM module_progress WHERE staff_id = ?", me->staff_id), 5);
    assert_int_equal(completions(me->staff_id), 0); /* pages alone do not complete */

    /* First attempt: nothing right. */
    Res r = req("POST", fmt("/modules/%lld/quiz", (long long)m), me->cookie, fmt("csrf=%s", me->csrf));
    assert_int_equal(r.status, 303);
    int64_t a1 = last_attempt(me->staff_id);
    assert_true(has(&r, fmt("Location: /quiz/attempts/%lld", (long long)a1)));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM quiz_attempt_item WHERE attempt_id = ?", a1), 10);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(DISTINCT question_id) FROM quiz_attempt_item WHERE attempt_id = ?", a1), 10);
    EXPECT(me->cookie, fmt("/quiz/attempts/%lld", (long long)a1), 200, "問1", "問10", "解答を提出する");
    /* Another person cannot open it. */
    EXPECT(user("kacho")->cookie, fmt("/quiz/attempts/%lld", (long long)a1), 404, "見つかりません");
    char *body = answers(me, a1, false);
    r = req("POST", fmt("/quiz/attempts/%lld", (long long)a1), me->cookie, body);
    free(body);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT passed + score FROM quiz_attempt WHERE id = ?", a1), 0);
    EXPECT(me->cookie, fmt("/quiz/attempts/%lld", (long long)a1), 200, "<strong>不合格</strong>", "不正解", "解説：", "（正答）");
    assert_int_equal(completions(me->staff_id), 0);
    /* A second submission of the same attempt is refused. */
    body = answers(me, a1, true);
    r = req("POST", fmt("/quiz/attempts/%lld", (long long)a1), me->cookie, body);
    free(body);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "すでに提出されています"));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT score FROM quiz_attempt WHERE id = ?", a1), 0);

    /* Second attempt: every answer right. */
    r = req("POST", fmt("/modules/%lld/quiz", (long long)m), me->cookie, fmt("csrf=%s", me->csrf));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t a2 = last_attempt(me->staff_id);
    assert_true(a2 > a1);
    body = answers(me, a2, true);
    r = req("POST", fmt("/quiz/attempts/%lld", (long long)a2), me->cookie, body);
    free(body);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT score FROM quiz_attempt WHERE id = ? AND passed = 1", a2), 100);
    EXPECT(me->cookie, fmt("/quiz/attempts/%lld", (long long)a2), 200, "100点（合格点 80%）", "<strong>合格</strong>");
    assert_int_equal(completions(me->staff_id), 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id WHERE t.course_id = ? AND k.staff_id = ?",
                            m, me->staff_id), 1);
    EXPECT(me->cookie, fmt("/modules/%lld", (long long)m), 200, "令和8年度の修了を記録しました", "ページ（5 / 5 閲覧済み）", "1回目", "2回目");
    EXPECT(me->cookie, fmt("/staff/%lld/training", (long long)me->staff_id), 200, "情報セキュリティ研修（令和8年度）");
    /* Idempotent: viewing again and a refused further attempt change nothing. */
    EXPECT(me->cookie, fmt("/modules/%lld/pages/2", (long long)m), 200, "パスワードと認証");
    r = req("POST", fmt("/modules/%lld/quiz", (long long)m), me->cookie, fmt("csrf=%s", me->csrf));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "すでに合格しています"));
    buf_free(&r.raw);
    assert_int_equal(completions(me->staff_id), 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM quiz_attempt WHERE staff_id = ?", me->staff_id), 2);
    /* Authors see the share of correct answers per question. */
    EXPECT(user("dx")->cookie, fmt("/modules/%lld/quiz/stats", (long long)m), 200, "問題ごとの正答率（20問）", "パスワードとして最も適切なものはどれですか。");
    EXPECT(me->cookie, fmt("/modules/%lld/quiz/stats", (long long)m), 403, "");
}

static void test_time_and_attempt_limits(void **state)
{
    (void)state;
    Who *k = user("kacho"), *dx = user("dx");
    int64_t m = module_id();
    /* kacho starts afresh whatever the demo gave them. */
    db_exec(db, "DELETE FROM quiz_attempt_item WHERE attempt_id IN (SELECT id FROM quiz_attempt WHERE staff_id = ?)", k->staff_id);
    db_exec(db, "DELETE FROM quiz_attempt WHERE staff_id = ?", k->staff_id);
    db_exec(db, "DELETE FROM completion WHERE staff_id = ? AND session_id IN (SELECT id FROM training_session WHERE course_id = ?)", k->staff_id, m);
    /* Bad settings are refused and nothing changes. */
    EXPECT_POST(dx->cookie, fmt("/modules/%lld/quiz/settings", (long long)m), fmt("csrf=%s&draw=10&pass_percent=150&max_attempts=1&time_limit=1", dx->csrf), 422,
                "合格点は0〜100");
    assert_int_equal(db_int(db, -1, "SELECT pass_percent * 1000 + max_attempts FROM quiz WHERE course_id = ?", m), 80003);
    Res r = req("POST", fmt("/modules/%lld/quiz/settings", (long long)m), dx->cookie, fmt("csrf=%s&draw=10&pass_percent=80&max_attempts=1&time_limit=1", dx->csrf));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT max_attempts * 100 + time_limit FROM quiz WHERE course_id = ?", m), 101);

    r = req("POST", fmt("/modules/%lld/quiz", (long long)m), k->cookie, fmt("csrf=%s", k->csrf));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t a = last_attempt(k->staff_id);
    EXPECT(k->cookie, fmt("/quiz/attempts/%lld", (long long)a), 200, "制限時間は1分です");
    /* The deadline passed (with its grace) before the answers arrive. */
    db_exec(db, "UPDATE quiz_attempt SET started_at = started_at - 200, deadline = deadline - 200 WHERE id = ?", a);
    char *body = answers(k, a, true);
    r = req("POST", fmt("/quiz/attempts/%lld", (long long)a), k->cookie, body);
    free(body);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT late * 1000 + passed * 100 + score FROM quiz_attempt WHERE id = ?", a), 1000);
    EXPECT(k->cookie, fmt("/quiz/attempts/%lld", (long long)a), 200, "制限時間を過ぎてから提出された", "<strong>不合格</strong>");
    assert_int_equal(completions(k->staff_id), 0);
    /* One attempt allowed: the next is refused and none is created. */
    r = req("POST", fmt("/modules/%lld/quiz", (long long)m), k->cookie, fmt("csrf=%s", k->csrf));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "受験できる回数（1回）を使い切りました"));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM quiz_attempt WHERE staff_id = ?", k->staff_id), 1);
    db_exec(db, "UPDATE quiz SET max_attempts = 3, time_limit = 30 WHERE course_id = ?", m);
}

#define BD "jzBoundary42"

static Res upload(Who *w, const char *name, const char *data)
{
    Buf body = BUF_INIT;
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", BD, w->csrf);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"back\"\r\n\r\n/courses\r\n", BD);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: application/octet-stream\r\n\r\n%s\r\n--%s--\r\n",
               BD, name, data, BD);
    Res r = send_raw("POST", "/media", w->cookie, "multipart/form-data; boundary=" BD, body.data, body.len);
    buf_free(&body);
    return r;
}

/* A GET with a Range header. */
static Res ranged(const char *path, const char *cookie, const char *range)
{
    char c[256];
    snprintf(c, sizeof c, "%s\r\nRange: %s", cookie, range);
    return req("GET", path, c, NULL);
}

static void test_media_range(void **state)
{
    (void)state;
    Who *dx = user("dx"), *me = user("shokuin");
    const char *video = "0123456789abcdef";
    Res r = upload(dx, "clip.mp4", video);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = db_int(db, 0, "SELECT MAX(id) FROM media_asset");
    assert_int_equal(db_int(db, -1, "SELECT size FROM media_asset WHERE id = ? AND content_type = 'video/mp4'", id), 16);
    const char *path = fmt("/media/%lld", (long long)id);
    r = req("GET", path, me->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Content-Type: video/mp4"));
    assert_true(has(&r, "Accept-Ranges: bytes"));
    assert_string_equal(r.body, video);
    buf_free(&r.raw);
    r = ranged(path, me->cookie, "bytes=2-5");
    assert_int_equal(r.status, 206);
    assert_true(has(&r, "Content-Range: bytes 2-5/16"));
    assert_string_equal(r.body, "2345");
    buf_free(&r.raw);
    r = ranged(path, me->cookie, "bytes=-3");
    assert_int_equal(r.status, 206);
    assert_string_equal(r.body, "def");
    buf_free(&r.raw);
    r = ranged(path, me->cookie, "bytes=10-");
    assert_int_equal(r.status, 206);
    assert_true(has(&r, "Content-Range: bytes 10-15/16"));
    assert_string_equal(r.body, "abcdef");
    buf_free(&r.raw);
    r = ranged(path, me->cookie, "bytes=20-30");
    assert_int_equal(r.status, 416);
    assert_true(has(&r, "Content-Range: bytes */16"));
    buf_free(&r.raw);
    r = ranged(path, me->cookie, "bytes=5-2");
    assert_int_equal(r.status, 416);
    buf_free(&r.raw);
    /* A kind not accepted is refused and nothing is stored; a 職員 cannot upload. */
    r = upload(dx, "tool.exe", "MZ");
    assert_int_equal(r.status, 422);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM media_asset"), 1);
    r = upload(me, "clip.mp4", video);
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM media_asset"), 1);
}

static void test_raw_html_dropped(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t m = module_id();
    Res r = req("POST", fmt("/modules/%lld/pages", (long long)m), dx->cookie,
                fmt("csrf=%s&title=%s&body=%s", dx->csrf, "%E8%BF%BD%E5%8A%A0",
                    "%3Cscript%3Ealert(1)%3C%2Fscript%3E%0A%0Ahello+%3Cb%3Ebold%3C%2Fb%3E+%5Bx%5D(javascript%3Aalert(1))+!%5Bimg%5D(%2Fmedia%2F1)"));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM module_page WHERE course_id = ? AND seq = 6 AND body LIKE '<script>%'", m), 1);
    r = req("GET", fmt("/modules/%lld/pages/6", (long long)m), dx->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, "<script>alert"));
    assert_false(has(&r, "<b>bold"));
    assert_false(has(&r, "javascript:"));
    assert_true(has(&r, "raw HTML omitted"));
    assert_true(has(&r, "<img src=\"/media/1\" alt=\"img\""));
    buf_free(&r.raw);
    /* A page without a title is refused, nothing written. */
    EXPECT_POST(dx->cookie, fmt("/modules/%lld/pages", (long long)m), fmt("csrf=%s&title=&body=x", dx->csrf), 422, "ページの見出しを入力してください");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM module_page WHERE course_id = ?", m), 6);
    /* The shokuin's completion stays one row. */
    assert_int_equal(completions(user("shokuin")->staff_id), 1);
}

static void test_demo(void **state)
{
    (void)state;
    int64_t m = module_id();
    int staff = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff s WHERE " ASOF_IN_SERVICE("s.id"), HARNESS_TODAY, HARNESS_TODAY);
    int done = (int)db_int(db, 0,
                           "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id WHERE t.course_id = ? AND k.completed = 1"
                           " AND k.recorded_at < ?",
                           m, HARNESS_TODAY);
    assert_true(done * 100 >= staff * 60 && done * 100 <= staff * 80);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM quiz_question WHERE course_id = ?", m), 20);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM module_page WHERE course_id = ?", m) >= 5, 1);
    assert_int_equal(db_int(db, -1, "SELECT draw * 1000 + pass_percent FROM quiz WHERE course_id = ?", m), 10080);
    assert_int_equal(db_int(db, -1, "SELECT security + mandatory FROM course WHERE id = ?", m), 2);
    /* every demo completion has a passing attempt, none after today */
    assert_int_equal(db_int(db, -1,
                            "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id WHERE t.course_id = ? AND k.recorded_at < ?"
                            " AND NOT EXISTS (SELECT 1 FROM quiz_attempt a WHERE a.course_id = t.course_id AND a.staff_id = k.staff_id AND a.passed = 1)",
                            m, HARNESS_TODAY),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_demo), cmocka_unit_test(test_journey), cmocka_unit_test(test_time_and_attempt_limits),
                                       cmocka_unit_test(test_media_range), cmocka_unit_test(test_raw_html_dropped)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
