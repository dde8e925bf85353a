/* test_plan_budget.c - the plan's budget against per-session costs on
 * /plans and its CSV: 実績 from sessions started (cost × attended), 見込み
 * from those to come (cost × accepted), 差額, and a session of unknown cost
 * flagged rather than counted as 0; the figures move between 年度 and from
 * 見込み to 実績 as the clock passes 3/31 and 4/1. */
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
#include "app/router.h"

#include "harness.h"

static Who users[] = {{.login = "dx"}};

HARNESS_SETUP("plan_budget", users)

static int64_t course_id;

static int64_t session(int nendo, const char *start, int cost /* -1 未定 */, int cancelled)
{
    return db_int(db, 0,
                  "INSERT INTO training_session (course_id, nendo, starts_at, ends_at, capacity, cost, cancelled)"
                  " VALUES (?, ?, ?, ?, 0, CASE WHEN ? < 0 THEN NULL ELSE ? END, ?)"
                  " RETURNING id",
                  course_id, nendo, start, start, cost, cost, cancelled);
}

static int64_t nth_staff(int n) { return db_int(db, 0, "SELECT id FROM staff ORDER BY id LIMIT 1 OFFSET ?", n); }

/* n people attended (and were accepted) from the k-th staff member on. */
static void attended(int64_t s, int k, int n)
{
    for (int i = 0; i < n; i++) {
        db_exec(db, "INSERT INTO application (session_id, staff_id, state, seq, applied_at) VALUES (?, ?, 'accepted', ?, 'x')", s, nth_staff(k + i),
                i + 1);
        db_exec(db, "INSERT INTO completion (session_id, staff_id, attended, minutes, completed, recorded_at) VALUES (?, ?, 1, 60, 1, 'x')", s,
                nth_staff(k + i));
    }
}

static void accepted(int64_t s, int k, int n)
{
    for (int i = 0; i < n; i++)
        db_exec(db, "INSERT INTO application (session_id, staff_id, state, seq, applied_at) VALUES (?, ?, 'accepted', ?, 'x')", s, nth_staff(k + i),
                i + 1);
}

/* Expected money of one plan row (course 0: every plan row of the 年度). */
static int64_t spent(int nendo, int64_t course, const char *now)
{
    return db_int(db, -1,
                  "SELECT COALESCE(SUM(t.cost * (SELECT COUNT(*) FROM completion k WHERE k.session_id = t.id AND k.attended = 1)), 0)"
                  " FROM training_session t JOIN training_plan p ON p.course_id = t.course_id AND p.nendo = t.nendo"
                  " WHERE t.nendo = ? AND (? = 0 OR t.course_id = ?) AND t.cancelled = 0 AND t.cost IS NOT NULL AND t.starts_at < ?",
                  nendo, course, course, now);
}

static int64_t forecast(int nendo, int64_t course, const char *now)
{
    return db_int(db, -1,
                  "SELECT COALESCE(SUM(t.cost * (SELECT COUNT(*) FROM application x WHERE x.session_id = t.id AND x.state = 'accepted')), 0)"
                  " FROM training_session t JOIN training_plan p ON p.course_id = t.course_id AND p.nendo = t.nendo"
                  " WHERE t.nendo = ? AND (? = 0 OR t.course_id = ?) AND t.cancelled = 0 AND t.cost IS NOT NULL AND t.starts_at >= ?",
                  nendo, course, course, now);
}

static int64_t budget(int nendo, int64_t course)
{
    return db_int(db, -1, "SELECT COALESCE(SUM(budget), 0) FROM training_plan WHERE nendo = ? AND (? = 0 OR course_id = ?)", nendo, course, course);
}

static const char *commas(int64_t v)
{
    char d[24], out[40];
    int n = snprintf(d, sizeof d, "%lld", (long long)(v < 0 ? -v : v)), k = 0;
    if (v < 0) out[k++] = '-';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[k++] = ',';
        out[k++] = d[i];
    }
    out[k] = 0;
    return fmt("%s", out);
}

/* The row of the course on /plans?nendo=N (from its code to </tr>; free it). */
static char *plan_row(const Res *r, const char *code)
{
    const char *p = strstr(r->body, fmt("<td>%s</td>", code));
    if (!p) return strdup("");
    const char *e = strstr(p, "</tr>");
    return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

/* Screen and CSV agree with the SQL above, for the course and the total. */
static void check_nendo(int nendo, const char *now, int unknown)
{
    int64_t s = spent(nendo, course_id, now), f = forecast(nendo, course_id, now), b = budget(nendo, course_id);
    Res r = req("GET", fmt("/plans?nendo=%d", nendo), users[0].cookie, NULL);
    assert_int_equal(r.status, 200);
    char *row = plan_row(&r, "PB001");
    const char *cells = fmt("<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s", commas(s), commas(f), commas(b - s - f));
    if (!strstr(row, cells)) fail_msg("row %s lacks %s", row, cells);
    assert_int_equal(strstr(row, "費用未定の日程あり") != NULL, unknown > 0);
    if (unknown) assert_non_null(strstr(row, fmt("費用未定の日程あり（%d件）", unknown)));
    free(row);
    int64_t ts = spent(nendo, 0, now), tf = forecast(nendo, 0, now), tb = budget(nendo, 0);
    const char *foot = strstr(r.body, "<tfoot>");
    assert_non_null(foot);
    const char *tcells = fmt("<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s", commas(ts), commas(tf), commas(tb - ts - tf));
    if (!strstr(foot, tcells)) fail_msg("total lacks %s", tcells);
    buf_free(&r.raw);
    Res csv = req("GET", fmt("/plans?nendo=%d&format=csv", nendo), users[0].cookie, NULL);
    assert_int_equal(csv.status, 200);
    const char *line = fmt(",%lld,%lld,%lld,%s,", (long long)s, (long long)f, (long long)(b - s - f),
                           unknown ? fmt("費用未定の日程あり（%d件）", unknown) : "");
    const char *at = strstr(csv.body, "PB001");
    assert_non_null(at);
    const char *eol = strstr(at, "\r\n");
    if (!eol) eol = at + strlen(at);
    char *csv_row = strndup(at, (size_t)(eol - at));
    if (!strstr(csv_row, line)) fail_msg("CSV row %s lacks %s", csv_row, line);
    free(csv_row);
    assert_non_null(strstr(at, fmt(",%lld,%lld,%lld,", (long long)ts, (long long)tf, (long long)(tb - ts - tf))));
    buf_free(&csv.raw);
}

static void test_budget_against_actual(void **state)
{
    (void)state;
    course_id = db_int(db, 0, "INSERT INTO course (code, title, provider, format, cost) VALUES ('PB001', '予算テスト研修', 'center', 'group', 0) RETURNING id");
    db_exec(db, "INSERT INTO training_plan (nendo, course_id, sessions, seats, budget) VALUES (2026, ?, 4, 20, 100000), (2025, ?, 1, 5, 50000)", course_id,
            course_id);
    attended(session(2026, "2026-06-01T09:00", 5000, 0), 0, 3);  /* 実績 15,000 */
    accepted(session(2026, "2026-12-01T09:00", 3000, 0), 10, 2); /* 見込み 6,000 */
    attended(session(2026, "2026-07-01T09:00", -1, 0), 20, 2);   /* 未定: flagged, not 0 */
    attended(session(2026, "2026-08-01T09:00", 9999, 1), 30, 1); /* cancelled: nowhere */
    attended(session(2025, "2026-03-31T00:00", 2000, 0), 40, 1); /* 2025 */
    attended(session(2026, "2026-04-01T00:00", 4000, 0), 50, 1); /* 2026 */
    char now[32];
    now_iso(now);
    assert_int_equal(spent(2026, course_id, now), 15000 + 4000);
    assert_int_equal(forecast(2026, course_id, now), 6000);
    check_nendo(2026, now, 1);
    check_nendo(2025, now, 0);
    /* The course page reads 0 as 未定 and 定員 0 as 制限なし. */
    EXPECT(users[0].cookie, fmt("/courses/%lld", (long long)course_id), 200, "<dt>費用（1人）</dt><dd>未定</dd>", "<dt>定員（1回）</dt><dd>制限なし</dd>");
}

/* On 3/31 the 4/1 session is still 見込み of 2026; on 4/1 it is 実績. */
static void test_year_end(void **state)
{
    (void)state;
    char now[32];
    assert_int_equal(util_clock_set_today("2026-03-31"), 0);
    now_iso(now);
    assert_int_equal(spent(2025, course_id, now), 2000);
    assert_int_equal(spent(2026, course_id, now), 0);
    assert_int_equal(forecast(2026, course_id, now), 15000 + 4000 + 6000);
    check_nendo(2025, now, 0);
    check_nendo(2026, now, 1);
    assert_int_equal(util_clock_set_today("2026-04-01"), 0);
    now_iso(now);
    assert_int_equal(spent(2025, course_id, now), 2000);
    assert_int_equal(spent(2026, course_id, now), 4000);
    assert_int_equal(forecast(2026, course_id, now), 15000 + 6000);
    check_nendo(2025, now, 0);
    check_nendo(2026, now, 1);
    util_clock_set_today(HARNESS_TODAY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_budget_against_actual), cmocka_unit_test(test_year_end)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
