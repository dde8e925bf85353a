/* test_frame.c - the page frame's values (the city in the header, the
 * menu's counts, the unread notices) are kept per session while the data
 * version, the day and the 年度 stay the same: the next page after a write
 * shows the new values (settings, a 事務局決定, notices read, a 差戻し), a
 * new day computes them again, and a page served from the kept values is the
 * same as one computed from scratch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/asof.h"
#include "pages/framecache.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}, {.login = "admin"}};

HARNESS_SETUP("frame", users)

static int post(Who *w, const char *p, const char *body)
{
    char all[1200];
    snprintf(all, sizeof all, "csrf=%s&%s", w->csrf, body);
    Res r = req("POST", p, w->cookie, all);
    buf_free(&r.raw);
    return r.status;
}

/* The page p as w (status 200), with the CSRF token blanked out. */
static char *page(Who *w, const char *p)
{
    Res r = req("GET", p, w->cookie, NULL);
    if (r.status != 200) fail_msg("GET %s as %s: %d", p, w->login, r.status);
    char *s = strdup(r.body);
    buf_free(&r.raw);
    for (char *q = s; (q = strstr(q, "name=\"csrf\" value=\"")) != NULL;)
        for (q += strlen("name=\"csrf\" value=\""); *q && *q != '"'; q++) *q = 'X';
    return s;
}

/* The count beside a header menu entry (0 when none is shown). */
static int menu_badge(Who *w, const char *p, const char *href, const char *label)
{
    char *s = page(w, p);
    const char *start = strstr(s, "<nav class=\"global\"");
    assert_non_null(start);
    const char *entry = strstr(start, fmt("<a href=\"%s\"", href));
    assert_non_null(entry);
    const char *text = strstr(entry, fmt(">%s", label));
    assert_non_null(text);
    text += 1 + strlen(label);
    int n = 0;
    if (!strncmp(text, " <span class=\"badge\" title=\"未処理 ", strlen(" <span class=\"badge\" title=\"未処理 ")))
        n = atoi(text + strlen(" <span class=\"badge\" title=\"未処理 "));
    free(s);
    return n;
}

static int unread_badge(Who *w, const char *p)
{
    char *s = page(w, p);
    const char *b = strstr(s, "<span class=\"badge\">未読");
    int n = b ? atoi(b + strlen("<span class=\"badge\">未読")) : 0;
    free(s);
    return n;
}

static void has_city(Who *w, const char *p, const char *city)
{
    char *s = page(w, p);
    if (!strstr(s, fmt("<span class=\"city\">%s</span>", city))) fail_msg("GET %s as %s: city %s not shown", p, w->login, city);
    free(s);
}

static void test_city_after_settings(void **state)
{
    (void)state;
    Who *dx = user("dx"), *admin = user("admin");
    static Arena a = ARENA_INIT;
    char *city = db_text(db, &a, "SELECT value FROM setting WHERE key = 'city_name'");
    const char *old = city ? city : "国東市";
    has_city(dx, "/assess", old);
    has_city(dx, "/assess", old); /* served from the kept values */
    assert_int_equal(post(admin, "/admin/settings", "nendo=2026&city=%E3%83%86%E3%82%B9%E3%83%88%E7%94%BA"), 303);
    assert_int_equal(count("SELECT COUNT(*) FROM setting WHERE key = 'city_name' AND value = 'テスト町'"), 1);
    has_city(dx, "/assess", "テスト町");
    has_city(dx, fmt("/staff/%lld", (long long)dx->staff_id), "テスト町");
    has_city(admin, "/", "テスト町");
    assert_int_equal(post(admin, "/admin/settings", fmt("nendo=2026&city=%s", "%E5%9B%BD%E6%9D%B1%E5%B8%82")), 303);
    has_city(dx, "/assess", "国東市");
}

static void test_office_count_after_decision(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t app = db_int(db, 0, "SELECT id FROM application WHERE state = 'approved' ORDER BY id LIMIT 1");
    assert_true(app > 0);
    int before = menu_badge(dx, "/assess", "/training", "研修");
    assert_true(before >= 1);
    assert_int_equal(menu_badge(dx, "/assess", "/training", "研修"), before);
    assert_int_equal(post(dx, fmt("/applications/%lld/decide", (long long)app), "op=accept"), 303);
    assert_true(db_exists(db, "SELECT 1 FROM application WHERE id = ? AND state IN ('accepted', 'waitlisted')", app));
    assert_int_equal(menu_badge(dx, "/assess", "/training", "研修"), before - 1);
    assert_int_equal(menu_badge(dx, fmt("/gaps/person/%lld", (long long)dx->staff_id), "/training", "研修"), before - 1);
}

static int unread(const Who *w)
{
    return (int)db_int(db, -1, "SELECT COUNT(*) FROM notice n JOIN account c ON c.id = n.account_id WHERE c.login = ? AND n.read_at IS NULL",
                       w->login);
}

/* Another user's write (an application that asks the 所属長 to approve)
 * shows on the 所属長's next page; reading the notices clears the count. */
static void test_notices_after_read(void **state)
{
    (void)state;
    Who *shokuin = user("shokuin"), *kacho = user("kacho");
    int n = unread(kacho);
    assert_int_equal(unread_badge(kacho, "/assess"), n);
    assert_int_equal(unread_badge(kacho, "/assess"), n);
    char today[11];
    now_date(today);
    int64_t session = db_int(db, 0,
                             "SELECT t.id FROM training_session t JOIN course c ON c.id = t.course_id WHERE t.cancelled = 0 AND t.starts_at > ?"
                             " AND c.active = 1 AND NOT EXISTS (SELECT 1 FROM application x WHERE x.session_id = t.id AND x.staff_id = ?)"
                             " ORDER BY t.starts_at, t.id LIMIT 1",
                             today, shokuin->staff_id);
    assert_true(session > 0);
    assert_int_equal(post(shokuin, fmt("/sessions/%lld/apply", (long long)session), "app_note="), 303);
    assert_true(db_exists(db, "SELECT 1 FROM application WHERE session_id = ? AND staff_id = ? AND state = 'applied'", session, shokuin->staff_id));
    assert_true(unread(kacho) > n);
    assert_int_equal(unread_badge(kacho, "/assess"), unread(kacho));
    assert_int_equal(post(kacho, "/notices/read", "id=all"), 303);
    assert_int_equal(unread(kacho), 0);
    assert_int_equal(unread_badge(kacho, "/assess"), 0);
}

static void test_manager_count_after_return(void **state)
{
    (void)state;
    Who *kacho = user("kacho");
    int before = menu_badge(kacho, "/training", "/assess", "スキル・評価");
    assert_true(before >= 1);
    /* One submitted assessment of the 所属長's people, confirmed through the page. */
    char today[11];
    now_date(today);
    int64_t root = db_int(db, 0, "SELECT " ASOF_UNIT_OF("s.id") " FROM staff s WHERE s.id = ?", today, today, kacho->staff_id);
    int64_t id = db_int(db, 0,
                        "SELECT x.id FROM assessment x WHERE x.nendo = 2026 AND x.state = 'submitted' AND x.staff_id <> ? AND " ASOF_VISIBLE("x.staff_id")
                        " ORDER BY x.id LIMIT 1",
                        kacho->staff_id, root, today, today, root);
    assert_true(id > 0);
    assert_int_equal(post(kacho, fmt("/assess/%lld/return", (long long)id), "message=%E5%86%8D%E6%8F%90%E5%87%BA"), 303);
    assert_true(db_exists(db, "SELECT 1 FROM assessment WHERE id = ? AND state = 'returned'", id));
    assert_int_equal(menu_badge(kacho, "/training", "/assess", "スキル・評価"), before - 1);
}

/* A new day computes the values again, even when no write moved the version. */
static void test_new_day(void **state)
{
    (void)state;
    Who *dx = user("dx");
    struct tm tm = {.tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 16, .tm_hour = 23, .tm_min = 59, .tm_sec = 30, .tm_isdst = -1};
    int64_t late = (int64_t)mktime(&tm);
    util_set_clock(late);
    db_exec(db, "UPDATE session SET created_at = ?, last_seen = ? WHERE token_hash IN (SELECT x.token_hash FROM session x JOIN account c ON c.id = x.account_id WHERE c.login = 'dx')",
            late, late);
    has_city(dx, "/assess", "国東市");
    db_exec(db, "UPDATE setting SET value = '翌日市' WHERE key = 'city_name'"); /* no audited write: the version stays */
    util_set_clock(late + 60);
    has_city(dx, "/assess", "翌日市");
    util_set_clock(0);
    assert_int_equal(util_clock_set_today(HARNESS_TODAY), 0);
    db_exec(db, "UPDATE setting SET value = '国東市' WHERE key = 'city_name'");
    has_city(dx, "/assess", "国東市");
}

/* Kept or computed, every user's pages are the same. */
static void test_same_as_computed(void **state)
{
    (void)state;
    const char *paths[] = {"/", "/assess", "/training", "/notices", "/me"};
    for (size_t i = 0; i < COUNTOF(users); i++) {
        Who *w = &users[i];
        for (size_t k = 0; k < COUNTOF(paths); k++) {
            const char *p = paths[k];
            if (!strcmp(p, "/me")) p = fmt("/staff/%lld", (long long)w->staff_id);
            frame_cache_enable(false);
            char *fresh = page(w, p);
            frame_cache_enable(true);
            char *first = page(w, p), *kept = page(w, p);
            assert_string_equal(first, fresh);
            assert_string_equal(kept, fresh);
            free(fresh);
            free(first);
            free(kept);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_city_after_settings),     cmocka_unit_test(test_office_count_after_decision),
        cmocka_unit_test(test_notices_after_read),      cmocka_unit_test(test_manager_count_after_return),
        cmocka_unit_test(test_new_day),                 cmocka_unit_test(test_same_as_computed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
