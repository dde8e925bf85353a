/* test_year.c - a city's year: the demo built on any day, the one clock
 * that JINZAI_TODAY moves for every command, and the 年度 boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "domain/asof.h"
#include "domain/module.h"
#include "domain/settings.h"
#include "harness.h"
#include "io/text.h"

static Who users[] = {{.login = "admin"}, {.login = "jinji"}, {.login = "dx"}, {.login = "kacho"}, {.login = "shokuin"}};

/* The demo as `jinzai init --demo` builds it, on the day the clock says. */
static void open_demo_on(const char *day)
{
    assert_int_equal(util_clock_set_today(day), 0);
    int nendo = nendo_of(date_today());
    snprintf(dbpath, sizeof dbpath, "/tmp/jinzai-year-%d.db", (int)getpid());
    tmpdb_remove(dbpath);
    db = db_open(dbpath);
    assert_non_null(db);
    assert_true(migrate(db) > 0);
    assert_int_equal(skill_load_defaults(db, nendo - 1), 0);
    assert_int_equal(course_load_defaults(db), 0);
    assert_int_equal(demo_load(db, PW, nendo, 20260401u), 0);
    assert_int_equal(demo_assessments(db, nendo, 20260401u), 0);
    assert_int_equal(demo_training(db, nendo, 20260401u), 0);
    assert_int_equal(demo_kpi(db, nendo, 20260401u), 0);
    assert_int_equal(demo_elearning(db, nendo, 20260401u), 0);
    h_users = users;
    h_nusers = sizeof users / sizeof users[0];
    for (size_t i = 0; i < h_nusers; i++) login(&users[i]);
}

static void close_demo(void)
{
    db_close(db);
    db = NULL;
    tmpdb_remove(dbpath);
    util_clock_set_today(NULL);
}

/* The demo's e-learning: one mandatory security course (the module), the
 * SCORM sample on SEC-01 with finished attempts for about 40 % of the staff
 * in service, each with the completion a SCORM commit records, some people
 * with both, and shokuin with neither (the journeys start from there). On
 * the first day of the 年度 nobody has finished anything yet. */
static void check_demo_elearning(int nendo, const char *day, bool first_day)
{
    Arena a = ARENA_INIT;
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM course WHERE mandatory = 1 AND security = 1 AND active = 1"), 1);
    assert_string_equal(db_text(db, &a, "SELECT code FROM course WHERE mandatory = 1 AND security = 1 AND active = 1"), fmt("SEC-EL-R%d", nendo - 2018));
    assert_string_equal(db_text(db, &a, "SELECT c.code || ' ' || c.format || ' ' || c.mandatory || ' ' || p.filename || ' ' || p.title"
                                        " FROM scorm_package p JOIN course c ON c.id = p.course_id"),
                        "SEC-01 elearning 0 scorm-sample.zip 情報セキュリティの基本（SCORMサンプル）");
    int staff = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff s WHERE " ASOF_IN_SERVICE("s.id"), day, day);
    const char *sql_scorm = "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                            " WHERE c.code = 'SEC-01' AND t.nendo = ? AND k.completed = 1";
    int scorm = (int)db_int(db, -1, sql_scorm, nendo);
    /* Every SEC-01 completion is one a commit makes: the attempt's status as the result, the course's minutes, the score. */
    assert_int_equal(db_int(db, -1,
                            "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                            " JOIN scorm_attempt s ON s.staff_id = k.staff_id AND s.lesson_status = k.result"
                            " WHERE c.code = 'SEC-01' AND t.nendo = ? AND k.completed = 1 AND k.attended = 1 AND k.minutes = c.minutes"
                            " AND (k.score IS NULL OR CAST(k.score AS TEXT) = s.score_raw) AND s.total_time > '0000:00:00.00'",
                            nendo),
                     scorm);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM scorm_attempt WHERE lesson_status NOT IN ('passed', 'completed')"), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM application a JOIN training_session t ON t.id = a.session_id JOIN course c ON c.id = t.course_id"
                                    " WHERE c.code = 'SEC-01' AND t.nendo = ?", nendo), 0);
    int both = (int)db_int(db, -1,
                           "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                           " WHERE c.code = 'SEC-01' AND t.nendo = ? AND k.completed = 1 AND EXISTS (SELECT 1 FROM completion m"
                           " JOIN training_session u ON u.id = m.session_id JOIN course d ON d.id = u.course_id WHERE m.staff_id = k.staff_id"
                           " AND d.code = ? AND u.nendo = ? AND m.completed = 1)",
                           nendo, fmt("SEC-EL-R%d", nendo - 2018), nendo);
    int64_t me = db_int(db, 0, "SELECT staff_id FROM account WHERE login = 'shokuin'");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM scorm_attempt WHERE staff_id = ?", me), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                                    " WHERE c.code IN ('SEC-01', ?) AND k.staff_id = ? AND t.nendo = ?", fmt("SEC-EL-R%d", nendo - 2018), me, nendo), 0);
    if (first_day) {
        assert_int_equal(scorm, 0);
        assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM scorm_attempt"), 0);
    } else {
        if (scorm * 100 < staff * 30 || scorm * 100 > staff * 50) fail_msg("%d SCORM completions among %d staff", scorm, staff);
        if (both < scorm / 3) fail_msg("only %d of %d SCORM learners also finished the module", both, scorm);
    }
    arena_free(&a);
}

/* Nothing the demo records as done lies after today, and everything dated
 * belongs to the 年度 it is filed under. */
static void check_demo_on(const char *day)
{
    open_demo_on(day);
    int nendo = nendo_of(date_today());
    char end_of_day[24];
    snprintf(end_of_day, sizeof end_of_day, "%sT99", day);
    assert_int_equal(settings_nendo(db), nendo);
    /* The assessment period is open today, inside the 年度. */
    assert_true(db_exists(db, "SELECT 1 FROM assess_period WHERE nendo = ? AND opens_on <= ? AND closes_on >= ?", nendo, day, day));
    assert_false(db_exists(db, "SELECT 1 FROM assess_period p WHERE p.nendo = ? AND (p.opens_on < ? OR p.closes_on > ?)", nendo,
                           fmt("%d-04-01", nendo), fmt("%d-03-31", nendo + 1)));
    /* Submissions, confirmations, completions and share-backs are not in the future. */
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assessment WHERE submitted_at > ? OR confirmed_at > ?", end_of_day, end_of_day), 0);
    assert_true(db_int(db, 0, "SELECT COUNT(*) FROM assessment WHERE nendo = ? AND state IN ('submitted', 'confirmed')", nendo) > 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM share_back WHERE held_on > ?", day), 0);
    assert_int_equal(db_int(db, -1,
                            "SELECT COUNT(*) FROM completion c JOIN training_session t ON t.id = c.session_id"
                            " WHERE c.completed = 1 AND t.starts_at > ?",
                            end_of_day),
                     0);
    /* Module and SCORM learning: attempts and completions inside the 年度, not after today. */
    char first[11];
    snprintf(first, sizeof first, "%d-04-01", nendo);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM scorm_attempt WHERE committed_at > ? OR committed_at < ?", end_of_day, first), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM completion WHERE recorded_at > ?", end_of_day), 0);
    assert_int_equal(db_int(db, -1,
                            "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                            " WHERE c.format = 'elearning' AND t.nendo = ? AND k.recorded_at < ?",
                            nendo, first),
                     0);
    check_demo_elearning(nendo, day, strcmp(day, first) == 0);
    /* A submitted or confirmed assessment carries the basis it was judged on. */
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assessment WHERE state IN ('submitted', 'confirmed') AND basis_on IS NULL"), 0);
    /* Sessions and designations lie inside their 年度. */
    Stmt *st = db_query(db, "SELECT nendo, substr(starts_at, 1, 10) FROM training_session");
    int sessions = 0;
    while (db_step(st) == DB_ROW) {
        sessions++;
        if (!asof_in_nendo(db_col_text(st, 1), (int)db_col_int(st, 0)))
            fail_msg("session on %s filed under %d", db_col_text(st, 1), (int)db_col_int(st, 0));
    }
    db_done(st);
    assert_true(sessions > 10);
    st = db_query(db, "SELECT nendo, designated_on FROM tier_designation");
    while (db_step(st) == DB_ROW)
        if (!asof_in_nendo(db_col_text(st, 1), (int)db_col_int(st, 0)))
            fail_msg("designation from %s filed under %d", db_col_text(st, 1), (int)db_col_int(st, 0));
    db_done(st);
    /* Every role's main screens answer on that day. */
    EXPECT(user("shokuin")->cookie, "/assess", 200, "name=\"level_");
    EXPECT(user("shokuin")->cookie, "/", 200, "ホーム");
    EXPECT(user("kacho")->cookie, "/assess/review", 200, "上司確認");
    static const char *const pages[] = {"/", "/org", "/staff", "/gaps", "/kpi", "/kpi/coverage", "/training/transcript", "/plans", "/systems"};
    for (size_t i = 0; i < COUNTOF(pages); i++) EXPECT(user("dx")->cookie, pages[i], 200, "</html>");
    close_demo();
}

static void test_demo_on_first_day(void **state)
{
    (void)state;
    check_demo_on("2027-04-01");
}

static void test_demo_on_last_day(void **state)
{
    (void)state;
    check_demo_on("2027-03-31");
}

static void test_demo_on_leap_day(void **state)
{
    (void)state;
    check_demo_on("2028-02-29");
}

static void test_demo_mid_year(void **state)
{
    (void)state;
    check_demo_on("2026-11-16");
}

/* A designation of a 年度 counts from its first day to its last, both inclusive. */
static void test_view_dates(void **state)
{
    (void)state;
    char out[11];
    util_clock_set_today("2027-03-31");
    asof_nendo_date(2026, out);
    assert_string_equal(out, "2027-03-31");
    asof_nendo_date(2027, out);
    assert_string_equal(out, "2027-04-01");
    asof_nendo_date(2025, out);
    assert_string_equal(out, "2026-03-31");
    util_clock_set_today("2027-04-01");
    asof_nendo_date(2026, out);
    assert_string_equal(out, "2027-03-31");
    asof_nendo_date(2027, out);
    assert_string_equal(out, "2027-04-01");
    assert_true(asof_in_nendo("2027-03-31", 2026));
    assert_false(asof_in_nendo("2027-04-01", 2026));
    assert_false(asof_in_nendo("2027-02-30", 2026));
    util_clock_set_today(NULL);
}

/* The clock: a pinned day moves today and now, keeps the time running, and
 * an unreadable JINZAI_TODAY is refused. */
static void test_clock(void **state)
{
    (void)state;
    assert_int_equal(util_clock_set_today("2028-02-29"), 0);
    char d[11], now[32];
    now_date(d);
    now_iso(now);
    assert_string_equal(d, "2028-02-29");
    assert_memory_equal(now, "2028-02-29T", 11);
    Date t = date_today();
    assert_int_equal(t.y, 2028);
    assert_int_equal(t.m, 2);
    assert_int_equal(t.d, 29);
    assert_int_equal(util_clock_set_today("2027-02-29"), -1);
    assert_int_equal(util_clock_set_today("2027-4-1"), -1);
    now_date(d);
    assert_string_equal(d, "2028-02-29");
    util_clock_set_today(NULL);
}

/* Runs the binary with JINZAI_TODAY; returns its exit status, output in out. */
static int run_with_today(const char *today, const char *args, char *out, size_t n)
{
    const char *bin = getenv("JINZAI_BIN");
    if (!bin) bin = "build/release/jinzai";
    char cmd[512];
    snprintf(cmd, sizeof cmd, "JINZAI_TODAY='%s' '%s' %s 2>&1", today, bin, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t got = fread(out, 1, n - 1, p);
    out[got] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* JINZAI_TODAY sets today for every command: init --demo builds the 年度 of
 * that day, and kpi reads the same day. */
static void test_jinzai_today_for_commands(void **state)
{
    (void)state;
    char path[64], args[256], out[4096];
    snprintf(path, sizeof path, "/tmp/jinzai-year-cli-%d.db", (int)getpid());
    tmpdb_remove(path);
    snprintf(args, sizeof args, "init --demo --demo-password %s --db %s", PW, path);
    assert_int_equal(run_with_today("2027-04-01", args, out, sizeof out), 0);
    Db *cli = db_open(path);
    assert_non_null(cli);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(cli, &a, "SELECT value FROM setting WHERE key = 'current_nendo'"), "2027");
    assert_true(db_exists(cli, "SELECT 1 FROM assess_period WHERE nendo = 2027 AND opens_on = '2027-04-01'"));
    arena_free(&a);
    db_close(cli);
    snprintf(args, sizeof args, "kpi --year 2027 --db %s", path);
    assert_int_equal(run_with_today("2027-04-01", args, out, sizeof out), 0);
    assert_non_null(strstr(out, "LEADER_RATE,DX推進リーダー配置率"));
    assert_int_equal(run_with_today("2027-02-30", args, out, sizeof out), 2);
    assert_non_null(strstr(out, "JINZAI_TODAY"));
    assert_non_null(strstr(out, "日付として読めません"));
    tmpdb_remove(path);
}

/* init --demo needs no file beside the binary: run from the root directory,
 * it still imports the SCORM sample compiled into it. */
static void test_demo_from_any_directory(void **state)
{
    (void)state;
    const char *bin = getenv("JINZAI_BIN");
    char abs[PATH_MAX], path[64], cmd[PATH_MAX + 256], out[4096];
    assert_non_null(realpath(bin ? bin : "build/release/jinzai", abs));
    snprintf(path, sizeof path, "/tmp/jinzai-year-dir-%d.db", (int)getpid());
    tmpdb_remove(path);
    snprintf(cmd, sizeof cmd, "cd / && JINZAI_TODAY=2026-11-16 '%s' init --demo --demo-password %s --db %s 2>&1", abs, PW, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    out[fread(out, 1, sizeof out - 1, p)] = 0;
    int st = pclose(p);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) fail_msg("init --demo from /: %s", out);
    Db *cli = db_open(path);
    assert_non_null(cli);
    assert_int_equal(db_int(cli, -1, "SELECT COUNT(*) FROM scorm_package p JOIN scorm_sco s ON s.package_id = p.id WHERE p.filename = 'scorm-sample.zip'"), 1);
    assert_true(db_int(cli, 0, "SELECT COUNT(*) FROM scorm_attempt WHERE lesson_status IN ('passed', 'completed')") > 0);
    assert_true(db_exists(cli, "SELECT 1 FROM scorm_file WHERE path = 'index.html'"));
    db_close(cli);
    tmpdb_remove(path);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    password_init();
    password_use_test_cost();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_view_dates),
        cmocka_unit_test(test_demo_mid_year),
        cmocka_unit_test(test_demo_on_last_day),
        cmocka_unit_test(test_demo_on_first_day),
        cmocka_unit_test(test_demo_on_leap_day),
        cmocka_unit_test(test_jinzai_today_for_commands),
        cmocka_unit_test(test_demo_from_any_directory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
