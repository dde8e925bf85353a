/* test_session.c - request-level tests of the 研修日程 screens: the month
 * calendar, the session form, applying, 一括登録, the decisions with the
 * waitlist, the 出欠 roster (form and CSV), and who sees whose names.
 *
 * Requests go through http_answer_raw, the same path as `jinzai
 * test-request`, against a fresh demo database with the sample catalogue.
 * Sessions are placed some days after today, so applying stays open. */
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
#include "domain/training.h"
#include "app/router.h"
#include "io/text.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "dx"}};
static Who *shokuin = &users[0], *dx = &users[1];

static int64_t internal_course, external_course;

static int setup(void **state)
{
    (void)state;
    if (harness_open("session", users, COUNTOF(users)) != 0) return -1;
    internal_course = db_int(db, 0, "SELECT id FROM course WHERE provider IN ('somu', 'seisaku') AND capacity > 0 ORDER BY code LIMIT 1");
    external_course = db_int(db, 0, "SELECT id FROM course WHERE provider NOT IN ('somu', 'seisaku') ORDER BY code LIMIT 1");
    return internal_course && external_course ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    harness_close();
    return 0;
}

/* POSTs form fields (after the csrf token) as w; returns the status. */
static int post(Who *w, const char *path, const char *fields)
{
    Res r = req("POST", path, w->cookie, fmt("csrf=%s%s%s", w->csrf, *fields ? "&" : "", fields));
    int status = r.status;
    buf_free(&r.raw);
    return status;
}

/* The date `days` after today, ISO, into out. */
static char *day_after(int days, char out[11])
{
    date_iso(date_add_days(date_today(), days), out);
    return out;
}

/* A session of course `days` after today, 10:00-12:00, through the domain. */
static int64_t new_session(int64_t course, int days, int capacity)
{
    char day[11];
    day_after(days, day);
    Session s = {.course_id = course, .capacity = capacity, .place = "本庁舎 第1会議室", .url = "", .instructor = "", .note = ""};
    s.starts_at = fmt("%sT10:00", day);
    s.ends_at = fmt("%sT12:00", day);
    Errors e = {0};
    if (session_save(db, &ACTOR_CLI, &s, &e) != 0) fail_msg("session_save: %s", e.items[0].msg);
    return s.id;
}

/* Someone applied and approved by their 所属長: waiting for the 事務局. */
static int64_t approved_app(int64_t session, int64_t staff)
{
    Errors e = {0};
    if (app_apply(db, &ACTOR_CLI, session, staff, "", &e) != 0) fail_msg("app_apply: %s", e.items[0].msg);
    int64_t app = db_int(db, 0, "SELECT id FROM application WHERE session_id = ? AND staff_id = ?", session, staff);
    if (app_approve(db, &ACTOR_CLI, app, true, &e) != 0) fail_msg("app_approve: %s", e.items[0].msg);
    return app;
}

/* The i-th active person without an account (0-based), for applicants. */
static int64_t person(int i)
{
    return db_int(db, 0,
                  "SELECT s.id FROM staff s WHERE EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL) AND s.id NOT IN (SELECT staff_id FROM account WHERE staff_id IS NOT NULL)"
                  " ORDER BY s.id LIMIT 1 OFFSET ?",
                  i);
}

/* A session of course `days` after today without a limit, where persons i
 * and i + 1 are accepted; their ids go to who[2]. */
static int64_t session_with_two(int64_t course, int days, int i, int64_t who[2])
{
    int64_t id = new_session(course, days, 0);
    for (int k = 0; k < 2; k++) {
        Errors e = {0};
        who[k] = person(i + k);
        if (app_decide(db, &ACTOR_CLI, approved_app(id, who[k]), true, &e) != 0) fail_msg("app_decide: %s", e.items[0].msg);
    }
    return id;
}

static int count_apps(int64_t session, const char *state)
{
    return (int)db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ? AND state = ?", session, state);
}

static void test_calendar(void **state)
{
    (void)state;
    int64_t id = new_session(internal_course, 40, 20);
    Arena a = ARENA_INIT;
    const char *title = db_text(db, &a, "SELECT title FROM course WHERE id = ?", internal_course);
    char month[11];
    day_after(40, month)[7] = 0;
    EXPECT(shokuin->cookie, fmt("/sessions?month=%s", month), 200, "<table class=\"data calendar\">", "<th scope=\"col\">日</th>",
           fmt("<a href=\"/sessions/%lld\">10:00 %s</a>", (long long)id, title), "残り20席", "受講決定");
    /* The month of the caption in 和暦, and the other months one link away. */
    Buf w = BUF_INIT;
    Date first;
    assert_true(date_parse(fmt("%s-01", month), &first));
    wareki_date(&w, first);
    EXPECT(shokuin->cookie, fmt("/sessions?month=%s", month), 200, fmt("<caption>%.*s</caption>", (int)(w.len - strlen("1日")), buf_cstr(&w)), "rel=\"prev\"",
           "rel=\"next\"");
    buf_free(&w);
    EXPECT(shokuin->cookie, "/sessions", 200, "今日");
    EXPECT(shokuin->cookie, "/sessions?month=2026-13", 200, "研修日程");
    Res csv = req("GET", fmt("/sessions?month=%s&format=csv", month), shokuin->cookie, NULL);
    assert_int_equal(csv.status, 200);
    assert_memory_equal(csv.body, BOM, 3);
    assert_true(has(&csv, title));
    buf_free(&csv.raw);
    Res xlsx = req("GET", fmt("/sessions?month=%s&format=xlsx", month), dx->cookie, NULL);
    assert_int_equal(xlsx.status, 200);
    assert_memory_equal(xlsx.body, "PK", 2);
    buf_free(&xlsx.raw);
    /* Only the 事務局 is offered to add a session. */
    EXPECT(dx->cookie, "/sessions", 200, "日程を追加");
    Res mine = req("GET", "/sessions", shokuin->cookie, NULL);
    assert_false(has(&mine, "日程を追加"));
    buf_free(&mine.raw);
    arena_free(&a);
}

static void test_office_creates_and_edits(void **state)
{
    (void)state;
    EXPECT(dx->cookie, fmt("/sessions/new?course_id=%lld", (long long)internal_course), 200, "研修日程の追加", "name=\"start_time\"");
    char day[11];
    day_after(45, day);
    const char *fields = fmt("course_id=%lld&starts_at=%s&start_time=13%%3A30&ends_at=15%%3A00&place=%%E5%%A4%%A7%%E4%%BC%%9A%%E8%%AD%%B0%%E5%%AE%%A4"
                             "&url=&capacity=&instructor=&note=",
                             (long long)internal_course, day);
    Res ok = req("POST", "/sessions/new", dx->cookie, fmt("csrf=%s&%s", dx->csrf, fields));
    assert_int_equal(ok.status, 303);
    assert_true(has(&ok, "Location: /sessions/"));
    buf_free(&ok.raw);
    int64_t id = db_int(db, 0, "SELECT id FROM training_session WHERE starts_at = ?", fmt("%sT13:30", day));
    assert_true(id > 0);
    /* An empty capacity takes the catalogue's. */
    assert_int_equal(db_int(db, -1, "SELECT capacity FROM training_session WHERE id = ?", id),
                     db_int(db, -2, "SELECT capacity FROM course WHERE id = ?", internal_course));
    EXPECT(dx->cookie, fmt("/sessions/%lld", (long long)id), 200, "大会議室", "13:30〜15:00", "日程の編集");

    /* Ending before it starts: 422, the message, and what was typed kept. */
    Res bad = req("POST", "/sessions/new", dx->cookie,
                  fmt("csrf=%s&course_id=%lld&starts_at=%s&start_time=13%%3A30&ends_at=12%%3A00&place=X%%E5%%AE%%A4&capacity=7", dx->csrf,
                      (long long)internal_course, day));
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "終了日時は開始日時より後にしてください"));
    assert_true(has(&bad, "value=\"12:00\""));
    assert_true(has(&bad, "value=\"X室\""));
    assert_true(has(&bad, "value=\"7\""));
    buf_free(&bad.raw);
    Res badtime = req("POST", "/sessions/new", dx->cookie,
                      fmt("csrf=%s&course_id=%lld&starts_at=%s&start_time=25%%3A00&ends_at=12%%3A00", dx->csrf, (long long)internal_course, day));
    assert_int_equal(badtime.status, 422);
    assert_true(has(&badtime, "開始時刻は「10:00」のように入力してください。"));
    buf_free(&badtime.raw);
    int before = (int)db_int(db, 0, "SELECT COUNT(*) FROM training_session");
    assert_int_equal(post(dx, "/sessions/new", fmt("course_id=&starts_at=%s&start_time=10%%3A00&ends_at=11%%3A00", day)), 422);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM training_session"), before);

    /* Editing: full-width and 時 forms of the time are understood. */
    assert_int_equal(post(dx, fmt("/sessions/%lld/edit", (long long)id),
                          fmt("course_id=%lld&starts_at=%s&start_time=%%EF%%BC%%99%%E6%%99%%82&ends_at=1030&capacity=5", (long long)internal_course, day)),
                     303);
    assert_int_equal(db_int(db, 0, "SELECT capacity FROM training_session WHERE id = ?", id), 5);
    assert_true(db_exists(db, "SELECT 1 FROM training_session WHERE id = ? AND starts_at = ? AND ends_at = ?", id, fmt("%sT09:00", day),
                          fmt("%sT10:30", day)));

    /* An ordinary member of staff may not. */
    assert_int_equal(post(shokuin, "/sessions/new", fmt("course_id=%lld&starts_at=%s&start_time=10%%3A00&ends_at=11%%3A00", (long long)internal_course, day)),
                     403);
    EXPECT(shokuin->cookie, "/sessions/new", 403, "権限");
    assert_int_equal(post(shokuin, fmt("/sessions/%lld/cancel", (long long)id), ""), 403);
}

static void test_apply_and_privacy(void **state)
{
    (void)state;
    int64_t id = new_session(internal_course, 30, 10);
    char page[40];
    snprintf(page, sizeof page, "/sessions/%lld", (long long)id);
    EXPECT(shokuin->cookie, page, 200, "申し込む", "わたしの申込");
    assert_int_equal(post(shokuin, fmt("%s/apply", page), "app_note=%E3%82%88%E3%82%8D%E3%81%97%E3%81%8F"), 303);
    assert_int_equal(post(dx, fmt("%s/apply", page), ""), 303);
    assert_int_equal(count_apps(id, "applied"), 2);
    Res mine = req("GET", page, shokuin->cookie, NULL);
    assert_int_equal(mine.status, 200);
    assert_true(has(&mine, "所属長承認待ち"));
    assert_true(has(&mine, "申込を取り消す"));
    assert_true(has(&mine, "承認／決定待ち 2人"));
    /* Counts only: no one else's name, no list, no export. */
    assert_false(has(&mine, dx->name));
    assert_false(has(&mine, "申込者一覧"));
    assert_false(has(&mine, "出欠簿"));
    buf_free(&mine.raw);
    EXPECT(shokuin->cookie, fmt("%s?format=csv", page), 403, "権限");
    /* Twice is refused, with the reason. */
    Res again = req("POST", fmt("%s/apply", page), shokuin->cookie, fmt("csrf=%s", shokuin->csrf));
    assert_int_equal(again.status, 422);
    assert_true(has(&again, "既に申し込んでいます"));
    buf_free(&again.raw);
    /* The 事務局 sees the applicants, with the note, and exports them. */
    EXPECT(dx->cookie, page, 200, "申込者一覧", shokuin->name, "よろしく", "所属長承認待ち");
    Res csv = req("GET", fmt("%s?format=csv", page), dx->cookie, NULL);
    assert_int_equal(csv.status, 200);
    assert_memory_equal(csv.body, BOM "職員番号,氏名,所属,申込状態,出欠,点数,修了", strlen(BOM "職員番号,氏名,所属,申込状態,出欠,点数,修了"));
    assert_true(has(&csv, shokuin->name));
    buf_free(&csv.raw);
    /* A session that does not exist. */
    EXPECT(dx->cookie, "/sessions/999999", 404, "見つかりません");
    assert_int_equal(post(shokuin, "/sessions/999999/apply", ""), 404);
}

static void test_bulk_enrol(void **state)
{
    (void)state;
    int64_t id = new_session(internal_course, 50, 5);
    int64_t unit = db_int(db, 0, "SELECT id FROM org_unit WHERE name = '福祉課'");
    assert_true(unit > 0);
    Res r = req("POST", fmt("/sessions/%lld/enrol", (long long)id), dx->cookie, fmt("csrf=%s&tier=3&unit_id=%lld", dx->csrf, (long long)unit));
    assert_int_equal(r.status, 303);
    const char *loc = strstr(r.raw.data, "Location: ");
    assert_non_null(loc);
    int added = -1, waitlisted = -1;
    const char *q = strstr(loc, "added=");
    assert_non_null(q);
    assert_int_equal(sscanf(q, "added=%d&waitlisted=%d", &added, &waitlisted), 2);
    char location[128];
    sscanf(loc, "Location: %127s", location);
    buf_free(&r.raw);
    assert_int_equal(added, 5);
    assert_true(waitlisted > 0);
    assert_int_equal(count_apps(id, "accepted"), added);
    assert_int_equal(count_apps(id, "waitlisted"), waitlisted);
    /* Only ③ of the unit's subtree. */
    assert_false(db_exists(db, "SELECT 1 FROM application x JOIN tier_designation d ON d.staff_id = x.staff_id AND d.nendo = 2026 AND d.ended_on IS NULL"
                               " WHERE x.session_id = ?",
                           id));
    EXPECT(dx->cookie, location, 200, fmt("一括登録：%d人を受講決定、%d人をキャンセル待ちにしました。", added, waitlisted), "満席");
    assert_int_equal(post(dx, "/sessions/999999/enrol", "tier=3"), 404);
}

static void test_capacity_and_promotion(void **state)
{
    (void)state;
    int64_t id = new_session(internal_course, 35, 2);
    int64_t apps[3];
    for (int i = 0; i < 3; i++) apps[i] = approved_app(id, person(i));
    EXPECT(dx->cookie, fmt("/sessions/%lld", (long long)id), 200, "事務局決定待ち", "不採用", fmt("action=\"/applications/%lld/decide\"", (long long)apps[0]));
    for (int i = 0; i < 3; i++) {
        Res r = req("POST", fmt("/applications/%lld/decide", (long long)apps[i]), dx->cookie,
                    fmt("csrf=%s&op=accept&back=%%2Fsessions%%2F%lld", dx->csrf, (long long)id));
        assert_int_equal(r.status, 303);
        assert_true(has(&r, fmt("Location: /sessions/%lld?result=", (long long)id)));
        buf_free(&r.raw);
    }
    /* Two seats: the third waits. */
    assert_int_equal(count_apps(id, "accepted"), 2);
    assert_int_equal(count_apps(id, "waitlisted"), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE id = ? AND state = 'waitlisted'", apps[2]), 1);
    EXPECT(dx->cookie, fmt("/sessions/%lld?result=waitlisted", (long long)id), 200, "満席", "申込を「キャンセル待ち」にしました。");
    char day[11];
    day_after(35, day);
    EXPECT(shokuin->cookie, fmt("/sessions?month=%.7s", day), 200, "満席");
    /* A seat given back goes to the first on the waitlist. */
    assert_int_equal(post(dx, fmt("/applications/%lld/cancel", (long long)apps[0]), fmt("back=%%2Fsessions%%2F%lld", (long long)id)), 303);
    assert_int_equal(count_apps(id, "accepted"), 2);
    assert_int_equal(count_apps(id, "waitlisted"), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE id = ? AND state = 'accepted'", apps[2]), 1);

    /* 中止: every application ends; the calendar says so. */
    assert_int_equal(post(dx, fmt("/sessions/%lld/cancel", (long long)id), ""), 303);
    assert_int_equal(count_apps(id, "accepted"), 0);
    EXPECT(dx->cookie, fmt("/sessions/%lld", (long long)id), 200, "この日程は中止になりました。");
    EXPECT(shokuin->cookie, fmt("/sessions?month=%.7s", day), 200, "中止");
    assert_int_equal(post(dx, fmt("/sessions/%lld/cancel", (long long)id), ""), 422);
}

static void test_roster(void **state)
{
    (void)state;
    int64_t who[2];
    int64_t id = session_with_two(internal_course, 25, 10, who), a = who[0], b = who[1];
    char page[40];
    snprintf(page, sizeof page, "/sessions/%lld", (long long)id);
    EXPECT(dx->cookie, page, 200, "出欠簿", fmt("name=\"attended_%lld\"", (long long)a), "制限なし");
    assert_int_equal(post(dx, fmt("%s/roster", page),
                          fmt("staff=%lld&attended_%lld=1&score_%lld=80&staff=%lld&score_%lld=", (long long)a, (long long)a, (long long)a, (long long)b,
                              (long long)b)),
                     303);
    assert_true(db_exists(db, "SELECT 1 FROM completion WHERE session_id = ? AND staff_id = ? AND attended = 1 AND score = 80 AND completed = 1", id, a));
    assert_true(db_exists(db, "SELECT 1 FROM completion WHERE session_id = ? AND staff_id = ? AND attended = 0", id, b));
    EXPECT(dx->cookie, page, 200, fmt("name=\"attended_%lld\" value=\"1\" checked", (long long)a), "value=\"80\"", "修了", "欠席");
    /* A bad score: 422, the message at the field, the typed value kept, nothing changed. */
    Res bad = req("POST", fmt("%s/roster", page), dx->cookie,
                  fmt("csrf=%s&staff=%lld&attended_%lld=1&score_%lld=abc", dx->csrf, (long long)a, (long long)a, (long long)a));
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "点数は0〜100の整数で入力してください。"));
    assert_true(has(&bad, "value=\"abc\" aria-invalid=\"true\""));
    buf_free(&bad.raw);
    assert_int_equal(db_int(db, 0, "SELECT score FROM completion WHERE session_id = ? AND staff_id = ?", id, a), 80);
    assert_int_equal(post(dx, "/sessions/999999/roster", ""), 404);
}

/* POSTs a CSV file as dx to the roster upload of a session. */
static Res upload(int64_t session, const char *csv)
{
    const char *body = fmt("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\";"
                           " filename=\"roster.csv\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n--XyZ--\r\n",
                           dx->csrf, csv);
    return request("POST", fmt("/sessions/%lld/roster-csv", (long long)session), dx->cookie, "multipart/form-data; boundary=XyZ", body);
}

static void test_roster_csv(void **state)
{
    (void)state;
    int64_t who[2];
    int64_t id = session_with_two(external_course, 26, 12, who), a = who[0], b = who[1];
    Arena ar = ARENA_INIT;
    const char *no_a = db_text(db, &ar, "SELECT staff_no FROM staff WHERE id = ?", a);
    const char *no_b = db_text(db, &ar, "SELECT staff_no FROM staff WHERE id = ?", b);
    EXPECT(dx->cookie, fmt("/sessions/%lld", (long long)id), 200, "外部研修は復命書の提出で修了になります。", "enctype=\"multipart/form-data\"");
    /* One bad row: nothing is written, and the line is named. */
    Res bad = upload(id, fmt("職員番号,出欠,点数\r\n%s,1,90\r\nNO-SUCH-PERSON,1,50\r\n", no_a));
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "3行目"));
    buf_free(&bad.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM completion WHERE session_id = ?", id), 0);
    Res ok = upload(id, fmt("職員番号,出欠,点数\r\n%s,出席,90\r\n%s,欠席,\r\n", no_a, no_b));
    assert_int_equal(ok.status, 303);
    assert_true(has(&ok, "imported=2"));
    buf_free(&ok.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM completion WHERE session_id = ?", id), 2);
    /* External: attended, but complete only with the 復命書. */
    assert_true(db_exists(db, "SELECT 1 FROM completion WHERE session_id = ? AND staff_id = ? AND attended = 1 AND completed = 0", id, a));
    EXPECT(dx->cookie, fmt("/sessions/%lld?msg=saved&imported=2", (long long)id), 200, "CSVから2人の出欠を取り込みました。", "復命書待ち");
    Res none = upload(id, "");
    assert_int_equal(none.status, 422);
    assert_true(has(&none, "CSVファイルを選んでください。"));
    buf_free(&none.raw);
    arena_free(&ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_office_creates_and_edits),
        cmocka_unit_test(test_apply_and_privacy),
        cmocka_unit_test(test_bulk_enrol),
        cmocka_unit_test(test_capacity_and_promotion),
        cmocka_unit_test(test_roster),
        cmocka_unit_test(test_roster_csv),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
