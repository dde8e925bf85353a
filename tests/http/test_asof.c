/* test_asof.c - request-level tests of effective dates: lists follow the
 * assignments in force on the date viewed, a transfer registered for later
 * changes nothing before its day, and a 所属長 (福祉課長) sees per-person rows
 * only for people in their subtree today, while totals of another date or
 * 年度 count everyone. Also the 年度 boundary (3/31 → 4/1) and a training
 * session that must lie inside its 年度.
 *
 * The clock is pinned (util_clock_set_today) so the results do not depend on
 * the day the tests run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "io/text.h"

/* The day these tests live on (the harness pins the clock to it). */
#define HARNESS_TODAY "2026-10-15"
#include "harness.h"

static Who users[] = {{.login = "kacho"}, {.login = "dx"}};

static int setup(void **state)
{
    (void)state;
    return harness_open("asof", users, sizeof users / sizeof users[0]);
}

static int teardown(void **state)
{
    (void)state;
    harness_close();
    util_clock_set_today(HARNESS_TODAY);
    return 0;
}

static Arena names = ARENA_INIT;

static int64_t kacho_unit(void)
{
    return db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", user("kacho")->staff_id);
}

/* Units of the 福祉課 subtree (課 and its 係) as SQL text: "(SELECT id ...)". */
#define SUBTREE "(SELECT id FROM org_unit WHERE id = ?1 OR parent_id = ?1)"

static const char *name_of(int64_t id) { return db_text(db, &names, "SELECT name FROM staff WHERE id = ?", id); }

/* A person of the subtree (inside) or outside it with no assignment in it,
 * who has a completion in 年度 2026, not in skip. */
static int64_t pick(bool inside, const int64_t *skip, int nskip)
{
    Stmt *st = db_query(db,
                        "SELECT a.staff_id FROM assignment a WHERE a.is_primary = 1 AND a.to_date IS NULL"
                        " AND (CASE WHEN a.unit_id IN " SUBTREE " THEN 1 ELSE 0 END) = ?2"
                        " AND NOT EXISTS (SELECT 1 FROM assignment b WHERE b.staff_id = a.staff_id AND b.unit_id IN " SUBTREE
                        "  AND ?2 = 0)"
                        " AND EXISTS (SELECT 1 FROM completion k JOIN training_session t ON t.id = k.session_id"
                        "  WHERE k.staff_id = a.staff_id AND t.nendo = 2026)"
                        " AND NOT EXISTS (SELECT 1 FROM account x WHERE x.staff_id = a.staff_id)"
                        " ORDER BY a.staff_id",
                        kacho_unit(), inside ? 1 : 0);
    int64_t found = 0;
    while (!found && db_step(st) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        bool skipped = false;
        for (int i = 0; i < nskip; i++) skipped |= skip[i] == id;
        if (!skipped) found = id;
    }
    db_done(st);
    assert_true(found > 0);
    return found;
}

/* Registers a transfer of a person to unit on day (their primary assignment
 * ends the day before), the way the transfer list stores one. */
static void transfer(int64_t staff_id, int64_t unit, const char *day, const char *day_before)
{
    assert_int_equal(db_exec(db, "UPDATE assignment SET to_date = ? WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", day_before,
                             staff_id),
                     1);
    assert_int_equal(db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date) VALUES (?, ?, 1, ?)", staff_id, unit, day),
                     1);
}

static int64_t unit_of_now(int64_t staff_id)
{
    return db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", staff_id);
}

/* Every /staff/N named on the page answers 200 for w. Returns how many. */
static int named_are_visible(Who *w, const Res *page)
{
    int n = 0;
    for (const char *p = strstr(page->body, "href=\"/staff/"); p; p = strstr(p + 1, "href=\"/staff/")) {
        long long id = atoll(p + strlen("href=\"/staff/"));
        if (id <= 0) continue;
        Res r = req("GET", fmt("/staff/%lld", id), w->cookie, NULL);
        if (r.status != 200) fail_msg("%s named /staff/%lld but it answers %d", w->login, id, r.status);
        buf_free(&r.raw);
        n++;
    }
    return n;
}

/* "所属職員（N人）" of a unit page. */
static int unit_total(const Res *r)
{
    const char *p = strstr(r->body, "所属職員（");
    assert_non_null(p);
    return atoi(p + strlen("所属職員（"));
}

static void test_future_transfer_today(void **state)
{
    (void)state;
    Who *kacho = user("kacho"), *dx = user("dx");
    int64_t unit = kacho_unit();
    int64_t leaver = pick(true, NULL, 0);
    int64_t incoming = pick(false, NULL, 0);
    int64_t away = unit_of_now(incoming);
    transfer(incoming, unit, "2026-10-25", "2026-10-24");
    transfer(leaver, away, "2026-10-25", "2026-10-24");
    /* Stored: both moves are registered for later. */
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assignment WHERE staff_id = ? AND unit_id = ? AND from_date = '2026-10-25'", incoming,
                            unit),
                     1);
    /* Both apply for a session that is still open. */
    int64_t session = db_int(db, 0, "SELECT id FROM training_session WHERE cancelled = 0 AND starts_at > '2026-10-16' ORDER BY starts_at LIMIT 1");
    assert_true(session > 0);
    int64_t who[] = {leaver, incoming};
    for (int i = 0; i < 2; i++) {
        db_exec(db, "DELETE FROM application WHERE session_id = ? AND staff_id = ?", session, who[i]);
        assert_int_equal(db_exec(db,
                                 "INSERT INTO application (session_id, staff_id, state, seq, applied_at) VALUES (?, ?, 'applied', ?, '2026-10-15T09:00')",
                                 session, who[i], 9000 + i),
                         1);
    }
    const char *ln = name_of(leaver), *in = name_of(incoming);

    /* The person pages: today the incoming person is someone else's. */
    EXPECT(kacho->cookie, fmt("/staff/%lld", (long long)leaver), 200, ln);
    EXPECT(kacho->cookie, fmt("/staff/%lld", (long long)incoming), 403, "権限");

    /* Transcript, its CSV and its Excel file. */
    Res t = req("GET", "/training/transcript?nendo=2026", kacho->cookie, NULL);
    assert_int_equal(t.status, 200);
    assert_true(has(&t, ln));
    assert_false(has(&t, in));
    named_are_visible(kacho, &t);
    buf_free(&t.raw);
    Res csv = req("GET", "/training/transcript?nendo=2026&format=csv", kacho->cookie, NULL);
    assert_int_equal(csv.status, 200);
    assert_true(strncmp(csv.body, BOM, 3) == 0);
    assert_true(has(&csv, ln));
    assert_false(has(&csv, in));
    buf_free(&csv.raw);
    expect_download(kacho->cookie, "/training/transcript?nendo=2026&format=xlsx", "PK");
    /* Organisation-wide roles see both. */
    Res all = req("GET", "/training/transcript?nendo=2026&format=csv", dx->cookie, NULL);
    assert_true(has(&all, ln) && has(&all, in));
    buf_free(&all.raw);

    /* The approval queue. */
    Res ap = req("GET", "/training/approvals", kacho->cookie, NULL);
    assert_int_equal(ap.status, 200);
    assert_true(has(&ap, ln));
    assert_false(has(&ap, in));
    buf_free(&ap.raw);

    /* The unit page today: the leaver is still here, the newcomer is not. */
    Res u = req("GET", fmt("/org/%lld", (long long)unit), kacho->cookie, NULL);
    assert_int_equal(u.status, 200);
    assert_true(has(&u, ln));
    assert_false(has(&u, in));
    buf_free(&u.raw);
}

/* After the transfer day, seen today: totals count the newcomer, no name of
 * someone outside the 所属長's scope today is shown. */
static void test_other_date_totals_not_names(void **state)
{
    (void)state;
    Who *kacho = user("kacho"), *dx = user("dx");
    int64_t unit = kacho_unit();
    int64_t incoming = db_int(db, 0, "SELECT staff_id FROM assignment WHERE unit_id = ? AND from_date = '2026-10-25'", unit);
    assert_true(incoming > 0);
    const char *in = name_of(incoming);
    const char *p = fmt("/org/%lld?date=2026-11-01", (long long)unit);
    Res org = req("GET", p, dx->cookie, NULL), k = req("GET", p, kacho->cookie, NULL);
    assert_int_equal(k.status, 200);
    assert_true(has(&org, in));
    assert_false(has(&k, in));
    assert_int_equal(unit_total(&k), unit_total(&org));
    assert_true(has(&k, "このほか1人は"));
    assert_true(named_are_visible(kacho, &k) > 0);
    Res csv = req("GET", fmt("/org/%lld?date=2026-11-01&format=csv", (long long)unit), kacho->cookie, NULL);
    assert_int_equal(csv.status, 200);
    assert_false(has(&csv, in));
    buf_free(&csv.raw);
    buf_free(&org.raw);
    buf_free(&k.raw);

    /* A past 年度: someone who worked here until 2026-03-31 is counted in
     * the view of 2025 (taken on 3/31) but not named. */
    int64_t skip[] = {incoming};
    int64_t former = pick(false, skip, 1);
    int64_t now_unit = unit_of_now(former);
    assert_int_equal(db_exec(db, "UPDATE assignment SET from_date = '2026-04-01' WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", former),
                     1);
    assert_int_equal(db_exec(db,
                             "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date, to_date) VALUES (?, ?, 1, '2024-04-01', '2026-03-31')",
                             former, unit),
                     1);
    assert_true(now_unit != unit);
    const char *fn = name_of(former);
    const char *q = fmt("/org/%lld?nendo=2025", (long long)unit);
    Res o2 = req("GET", q, dx->cookie, NULL), k2 = req("GET", q, kacho->cookie, NULL);
    assert_true(has(&o2, fn));
    assert_false(has(&k2, fn));
    assert_int_equal(unit_total(&k2), unit_total(&o2));
    assert_true(named_are_visible(kacho, &k2) > 0);
    buf_free(&o2.raw);
    buf_free(&k2.raw);
    /* The transcript of 2025 names no one outside the scope either. */
    Res t = req("GET", "/training/transcript?nendo=2025", kacho->cookie, NULL);
    assert_int_equal(t.status, 200);
    assert_false(has(&t, fn));
    assert_false(has(&t, in));
    named_are_visible(kacho, &t);
    buf_free(&t.raw);
}

/* A transfer dated 4/1 takes effect on 4/1, not before. */
static void test_nendo_boundary(void **state)
{
    (void)state;
    Who *kacho = user("kacho"), *dx = user("dx");
    int64_t unit = kacho_unit();
    int64_t skip[] = {db_int(db, 0, "SELECT staff_id FROM assignment WHERE unit_id = ? AND from_date = '2026-10-25'", unit)};
    int64_t arriving = pick(false, skip, 1);
    int64_t leaving = pick(true, NULL, 0);
    int64_t away = unit_of_now(arriving);
    transfer(arriving, unit, "2027-04-01", "2027-03-31");
    transfer(leaving, away, "2027-04-01", "2027-03-31");
    const char *an = name_of(arriving), *ln = name_of(leaving);
    const char *p = fmt("/org/%lld", (long long)unit);

    util_clock_set_today("2027-03-31");
    login(kacho);
    login(dx);
    Res o = req("GET", p, dx->cookie, NULL), k = req("GET", p, kacho->cookie, NULL);
    int before = unit_total(&o);
    assert_int_equal(unit_total(&k), before);
    assert_true(has(&k, ln));
    assert_false(has(&k, an));
    assert_false(has(&o, an));
    buf_free(&o.raw);
    buf_free(&k.raw);
    EXPECT(kacho->cookie, fmt("/staff/%lld", (long long)arriving), 403, "権限");
    EXPECT(kacho->cookie, fmt("/staff/%lld", (long long)leaving), 200, ln);

    util_clock_set_today("2027-04-01");
    login(kacho);
    login(dx);
    o = req("GET", p, dx->cookie, NULL);
    k = req("GET", p, kacho->cookie, NULL);
    /* One arrives and one leaves: the total stays, the names switch. */
    assert_int_equal(unit_total(&o), before);
    assert_true(has(&k, an));
    assert_false(has(&k, ln));
    assert_true(has(&o, an));
    assert_false(has(&o, ln));
    buf_free(&o.raw);
    buf_free(&k.raw);
    EXPECT(kacho->cookie, fmt("/staff/%lld", (long long)arriving), 200, an);
    EXPECT(kacho->cookie, fmt("/staff/%lld", (long long)leaving), 403, "権限");
    /* Looking back at 3/31 from 4/1: the leaver is counted, not named. */
    k = req("GET", fmt("/org/%lld?date=2027-03-31", (long long)unit), kacho->cookie, NULL);
    assert_int_equal(unit_total(&k), before);
    assert_false(has(&k, ln));
    buf_free(&k.raw);

    util_clock_set_today("2026-10-15");
    login(kacho);
    login(dx);
}

/* A session lies inside its 年度. */
static void test_session_inside_nendo(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t course = db_int(db, 0, "SELECT id FROM course WHERE active = 1 ORDER BY id LIMIT 1");
    int before = count("SELECT COUNT(*) FROM training_session");
    int audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'session.save'");
    Res r = req("POST", "/sessions/new", dx->cookie,
                fmt("csrf=%s&course_id=%lld&nendo=2026&starts_at=2027-04-01&start_time=10:00&ends_at=12:00&place=%%E4%%BC%%9A%%E8%%AD%%B0%%E5%%AE%%A4",
                    dx->csrf, (long long)course));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "開始日は2026年度（2026年4月1日〜2027年3月31日）の中の日付にしてください。"));
    assert_true(has(&r, "value=\"2027-04-01\""));
    assert_true(has(&r, "会議室"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM training_session"), before);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'session.save'"), audits);

    /* The last day of the 年度 is inside it. */
    r = req("POST", "/sessions/new", dx->cookie,
            fmt("csrf=%s&course_id=%lld&nendo=2026&starts_at=2027-03-31&start_time=10:00&ends_at=12:00", dx->csrf, (long long)course));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM training_session WHERE starts_at = '2027-03-31T10:00' AND nendo = 2026"), 1);

    /* Editing it into the next 年度 while keeping 2026 is refused. */
    int64_t id = db_int(db, 0, "SELECT id FROM training_session WHERE starts_at = '2027-03-31T10:00'");
    r = req("POST", fmt("/sessions/%lld/edit", (long long)id), dx->cookie,
            fmt("csrf=%s&course_id=%lld&nendo=2026&starts_at=2027-04-02&start_time=10:00&ends_at=12:00", dx->csrf, (long long)course));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "開始日は2026年度"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM training_session WHERE starts_at = '2027-03-31T10:00' AND nendo = 2026"), 1);

    /* Without a 年度 the start decides it. */
    r = req("POST", "/sessions/new", dx->cookie,
            fmt("csrf=%s&course_id=%lld&starts_at=2027-04-01&start_time=10:00&ends_at=12:00", dx->csrf, (long long)course));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM training_session WHERE starts_at = '2027-04-01T10:00' AND nendo = 2027"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_future_transfer_today),
        cmocka_unit_test(test_other_date_totals_not_names),
        cmocka_unit_test(test_nendo_boundary),
        cmocka_unit_test(test_session_inside_nendo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
