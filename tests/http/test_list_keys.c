/* test_list_keys.c - the long lists page by key and keep their counts by
 * data version. /staff and /assess/review: 次へ carries the key of the last
 * row shown, and the page it opens shows the next 50 in the list's order;
 * following 次へ to the end reaches the last page with the last row, and 前へ
 * from there steps back a page; a filter is kept along; a 所属長 walks only
 * their own people. The count ("N人が該当します") follows a write at once,
 * though it is kept between requests. */
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
#include "domain/asof.h"
#include "demo/demo.h"
#include "domain/listcount.h"
#include "app/router.h"

#include "harness.h"

static Who users[] = {{.login = "kacho"}, {.login = "jinji"}, {.login = "dx"}};

HARNESS_SETUP("list_keys", users)


#define get get_kept

/* The href of the pager's link rel (next/prev), &amp; turned back into &; NULL if none. */
static const char *link_of(const Res *r, const char *rel)
{
    static char out[4][512];
    static int k;
    const char *p = strstr(r->raw.data, fmt("<a rel=\"%s\" href=\"", rel));
    if (!p) return NULL;
    p = strchr(p, '"');
    p = strchr(p + 1, '"');
    p = strchr(p + 1, '"') + 1;
    char *o = out[k++ % 4];
    size_t n = 0;
    while (*p && *p != '"' && n + 1 < sizeof out[0]) {
        if (!strncmp(p, "&amp;", 5)) {
            o[n++] = '&';
            p += 5;
        } else o[n++] = *p++;
    }
    o[n] = '\0';
    return o;
}

/* The 職員番号 of the people in service today in root's subtree (0: all),
 * leaving out `self`, in the order of the lists (unit code, 職員番号). */
static int expected(int64_t root, int64_t self, char (**out)[32])
{
    char today[11];
    now_date(today);
    Stmt *st = db_query(db,
                        "SELECT s.staff_no FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " JOIN org_unit u ON u.id = a.unit_id"
                        " WHERE s.id <> ? AND (? = 0 OR a.unit_id IN (" ASOF_SUBTREE ")) ORDER BY u.code, s.staff_no",
                        today, today, self, root, root);
    static char rows[2000][32];
    int n = 0;
    while (db_step(st) == DB_ROW && n < 2000) snprintf(rows[n++], sizeof rows[0], "%s", db_col_text(st, 0));
    db_done(st);
    *out = rows;
    return n;
}

/* Page p (1-based) of a list shows exactly rows [50(p-1), 50p) of want. */
static void assert_page(const Res *r, char (*want)[32], int n, int p)
{
    for (int i = 0; i < n; i++) {
        bool shown = has(r, fmt("<td>%s</td>", want[i]));
        bool on_page = i >= 50 * (p - 1) && i < 50 * p;
        if (shown != on_page) fail_msg("page %d: %s (row %d) %s", p, want[i], i, shown ? "shown" : "missing");
    }
    int pages = (n + 49) / 50;
    if (pages > 1) assert_true(has(r, fmt("<span aria-current=\"page\">%d / %d ページ</span>", p, pages)));
    else assert_false(has(r, "<nav class=\"pager\""));
    assert_true(has(r, fmt("<p role=\"status\">%d人が該当します。</p>", n)));
}

/* Walks a list from first by 次へ to the end, checking every page, then one
 * page back by 前へ. Returns the number of pages. */
static int walk(const char *login_name, const char *first_path, const char *filter_s, char (*want)[32], int n)
{
    char first[256], fbuf[64], *filter = NULL; /* fmt's buffers are reused */
    snprintf(first, sizeof first, "%s", first_path);
    if (filter_s) {
        snprintf(fbuf, sizeof fbuf, "%s", filter_s);
        filter = fbuf;
    }
    int pages = (n + 49) / 50;
    Res r = get(login_name, first);
    assert_page(&r, want, n, 1);
    int p = 1;
    const char *next;
    while ((next = link_of(&r, "next"))) {
        assert_non_null(strstr(next, "after_u=")); /* by key, not by offset */
        if (filter) assert_non_null(strstr(next, filter));
        r = get(login_name, next);
        assert_page(&r, want, n, ++p);
    }
    assert_int_equal(p, pages);
    assert_true(has(&r, fmt("<td>%s</td>", want[n - 1]))); /* the last row is on the last page */
    if (pages > 2) {
        const char *prev = link_of(&r, "prev");
        assert_non_null(prev);
        assert_non_null(strstr(prev, "before_u="));
        Res back = get(login_name, prev);
        assert_page(&back, want, n, pages - 1);
    }
    return pages;
}

static void test_staff_by_key(void **state)
{
    (void)state;
    char (*want)[32];
    int n = expected(0, 0, &want);
    assert_true(n > 150);
    assert_int_equal(walk("dx", "/staff", NULL, want, n), (n + 49) / 50);
    /* A filter (the 市長部局's subtree) is kept on every link, for HR too. */
    int64_t root = db_int(db, 0, "SELECT id FROM org_unit WHERE code = '1'");
    n = expected(root, 0, &want);
    assert_true(n > 150);
    walk("jinji", fmt("/staff?unit_id=%lld", (long long)root), fmt("unit_id=%lld", (long long)root), want, n);
    walk("dx", fmt("/staff?unit_id=%lld", (long long)root), fmt("unit_id=%lld", (long long)root), want, n);
    /* A 所属長 walks their own subtree. */
    char today[11];
    now_date(today);
    int64_t mine = db_int(db, 0, "SELECT a.unit_id FROM assignment a WHERE a.staff_id = ? AND a.is_primary = 1 AND " ASOF_IN_FORCE("a"),
                          user("kacho")->staff_id, today, today);
    n = expected(mine, 0, &want);
    assert_true(n > 0);
    walk("kacho", "/staff", NULL, want, n);
}

static void test_review_by_key(void **state)
{
    (void)state;
    char (*want)[32];
    int64_t me = user("dx")->staff_id;
    int n = expected(0, me, &want);
    walk("dx", "/assess/review?state=all&nendo=2026", "state=all", want, n);
    int64_t root = db_int(db, 0, "SELECT id FROM org_unit WHERE code = '1'");
    n = expected(root, me, &want);
    walk("dx", fmt("/assess/review?state=all&nendo=2026&unit_id=%lld", (long long)root), fmt("unit_id=%lld", (long long)root), want, n);
    /* A 所属長: only their own people, without themselves. */
    char today[11];
    now_date(today);
    int64_t self = user("kacho")->staff_id;
    int64_t mine = db_int(db, 0, "SELECT a.unit_id FROM assignment a WHERE a.staff_id = ? AND a.is_primary = 1 AND " ASOF_IN_FORCE("a"), self,
                          today, today);
    n = expected(mine, self, &want);
    assert_true(n > 0);
    walk("kacho", "/assess/review?state=all&nendo=2026", NULL, want, n);
}

/* A key that no longer has anything after it: the page by its number. */
static void test_stale_key(void **state)
{
    (void)state;
    char (*want)[32];
    int n = expected(0, 0, &want);
    Res r = get("dx", "/staff?page=2&after_u=zzzz&after_n=zzzz");
    assert_page(&r, want, n, 2);
}

/* The count is kept between requests and follows a write at once: one
 * person leaves, and the next page view counts one fewer. */
static void test_count_follows_writes(void **state)
{
    (void)state;
    char (*want)[32];
    int n = expected(0, 0, &want);
    Res before = get("dx", "/staff");
    assert_true(has(&before, fmt("<p role=\"status\">%d人が該当します。</p>", n)));
    int64_t leaver = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", want[n - 1]);
    Who *hr = user("jinji");
    Res out = req("POST", fmt("/staff/%lld/deactivate", (long long)leaver), hr->cookie, fmt("csrf=%s&last_day=2026-11-15", hr->csrf));
    buf_free(&out.raw);
    assert_int_equal(out.status, 303);
    assert_int_equal(expected(0, 0, &want), n - 1);
    Res after = get("dx", "/staff");
    assert_true(has(&after, fmt("<p role=\"status\">%d人が該当します。</p>", n - 1)));
    /* The same with the cache off: the count of the rows. */
    list_count_set(false);
    Res off = get("dx", "/staff");
    assert_true(has(&off, fmt("<p role=\"status\">%d人が該当します。</p>", n - 1)));
    list_count_set(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_staff_by_key, free_answers),
        cmocka_unit_test_teardown(test_review_by_key, free_answers),
        cmocka_unit_test_teardown(test_stale_key, free_answers),
        cmocka_unit_test_teardown(test_count_follows_writes, free_answers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
