/* test_paging.c - the long lists are paged: 上司確認 (/assess/review), the
 * staff list (/staff) and the home page's 係 without a 総括リーダー show 50 at
 * a time with a pager; the count shown is the count of all; page 2 shows the
 * rows after page 1 in the same order; a 所属長 sees only people in scope on
 * every page. A person's page links to a page of its own for 異動・兼務, with
 * the picker of units, instead of carrying every unit. */
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
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/skill.h"
#include "app/router.h"
#include "io/text.h"

#include "harness.h"

static Who users[] = {{.login = "kacho"}, {.login = "jinji"}, {.login = "dx"}};

HARNESS_SETUP("paging", users)

static Res get(const char *login_name, const char *path)
{
    Res r = req("GET", path, user(login_name)->cookie, NULL);
    assert_int_equal(r.status, 200);
    return r;
}

/* The staff_no of the k-th (0-based) person in service today, in the order
 * of the lists (unit code, staff_no), leaving out `self`. */
static const char *nth_in_service(int k, int64_t self)
{
    static char out[64];
    char today[11];
    now_date(today);
    Stmt *st = db_query(db,
                        "SELECT s.staff_no FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " JOIN org_unit u ON u.id = a.unit_id"
                        " WHERE s.id <> ? ORDER BY u.code, s.staff_no LIMIT 1 OFFSET ?",
                        today, today, self, k);
    out[0] = '\0';
    if (db_step(st) == DB_ROW) snprintf(out, sizeof out, "%s", db_col_text(st, 0));
    db_done(st);
    return out;
}

static int in_service(int64_t self)
{
    char today[11];
    now_date(today);
    return (int)db_int(db, -1, "SELECT COUNT(*) FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " WHERE s.id <> ?", today, today, self);
}

static void test_review_pages(void **state)
{
    (void)state;
    int64_t me = user("dx")->staff_id;
    int all = in_service(me);
    assert_true(all > 100); /* the demo city needs three pages at least */
    Res p1 = get("dx", "/assess/review?state=all&nendo=2026");
    assert_true(has(&p1, fmt("<p role=\"status\">%d人が該当します。</p>", all)));
    assert_true(has(&p1, fmt("<span aria-current=\"page\">1 / %d ページ</span>", (all + 49) / 50)));
    /* 次へ carries the key of the page's last row (keyset paging). */
    const char *last_no = nth_in_service(49, me);
    assert_true(has(&p1, "<a rel=\"next\" href=\"/assess/review?page=2&amp;after_u="));
    assert_true(has(&p1, fmt("&amp;after_n=%s&amp;nendo=2026&amp;state=all\">次へ</a>", last_no)));
    assert_true(has(&p1, fmt("<td>%s</td>", nth_in_service(0, me))));
    assert_true(has(&p1, fmt("<td>%s</td>", nth_in_service(49, me))));
    assert_false(has(&p1, fmt("<td>%s</td>", nth_in_service(50, me))));
    Res p2 = get("dx", "/assess/review?page=2&nendo=2026&state=all");
    assert_true(has(&p2, fmt("<p role=\"status\">%d人が該当します。</p>", all)));
    assert_true(has(&p2, fmt("<td>%s</td>", nth_in_service(50, me))));
    assert_true(has(&p2, fmt("<td>%s</td>", nth_in_service(99, me))));
    assert_false(has(&p2, fmt("<td>%s</td>", nth_in_service(49, me))));
    assert_false(has(&p2, fmt("<td>%s</td>", nth_in_service(100, me))));
    assert_true(has(&p2, "<a rel=\"prev\" href=\"/assess/review?page=1&amp;nendo=2026&amp;state=all\">前へ</a>"));
    /* Past the last page: the last page. */
    int last = (all + 49) / 50;
    Res past = get("dx", "/assess/review?page=999&nendo=2026&state=all");
    assert_true(has(&past, fmt("<span aria-current=\"page\">%d / %d ページ</span>", last, last)));
    assert_true(has(&past, fmt("<td>%s</td>", nth_in_service(all - 1, me))));
    /* The default list: 提出済 only, counted. */
    char today[11];
    now_date(today);
    int submitted = (int)db_int(db, -1,
                                "SELECT COUNT(*) FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
                                " JOIN assessment x ON x.staff_id = s.id AND x.nendo = 2026 WHERE x.state = 'submitted' AND s.id <> ?",
                                today, today, me);
    Res sub = get("dx", "/assess/review?nendo=2026");
    assert_true(submitted > 0);
    assert_true(has(&sub, fmt("<p role=\"status\">%d人が該当します。</p>", submitted)));
    buf_free(&p1.raw);
    buf_free(&p2.raw);
    buf_free(&past.raw);
    buf_free(&sub.raw);
}

/* A 所属長 (kacho): every page shows only people in their units, never
 * themselves, and the count is of those people alone. */
static void test_review_scope(void **state)
{
    (void)state;
    char today[11];
    now_date(today);
    int64_t self = user("kacho")->staff_id;
    int64_t root = db_int(db, 0, "SELECT a.unit_id FROM assignment a WHERE a.staff_id = ? AND a.is_primary = 1 AND " ASOF_IN_FORCE("a"),
                          self, today, today);
    assert_true(root > 0);
    /* Enough people in the kacho's units for two pages: move 60 others in. */
    int64_t unit = db_int(db, 0, "SELECT id FROM org_unit WHERE parent_id = ? ORDER BY id LIMIT 1", root);
    if (!unit) unit = root;
    db_exec(db,
            "UPDATE assignment SET unit_id = ? WHERE is_primary = 1 AND to_date IS NULL AND staff_id IN"
            " (SELECT staff_id FROM assignment WHERE is_primary = 1 AND to_date IS NULL AND unit_id NOT IN"
            " (WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT o.id FROM org_unit o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)"
            " ORDER BY staff_id LIMIT 60)",
            unit, root);
    const char *mine_sql = "SELECT COUNT(*) FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " WHERE s.id <> ? AND a.unit_id IN (" ASOF_SUBTREE ")";
    int mine = (int)db_int(db, -1, mine_sql, today, today, self, root);
    assert_true(mine > 50 && mine <= 100);
    int outside = (int)db_int(db, -1, "SELECT COUNT(*) FROM staff") - mine;
    assert_true(outside > 0);
    Res pages[2] = {get("kacho", "/assess/review?state=all&nendo=2026"), get("kacho", "/assess/review?state=all&nendo=2026&page=2")};
    int shown = 0;
    for (int p = 0; p < 2; p++) {
        assert_true(has(&pages[p], fmt("<p role=\"status\">%d人が該当します。</p>", mine)));
        assert_true(has(&pages[p], fmt("<span aria-current=\"page\">%d / 2 ページ</span>", p + 1)));
        /* Nobody outside the units, and not the kacho. */
        Stmt *st = db_query(db,
                            "SELECT s.staff_no, CASE WHEN s.id <> ? AND a.unit_id IN (" ASOF_SUBTREE ") THEN 1 ELSE 0 END"
                            " FROM staff s JOIN " ASOF_PRIMARY("a", "s.id"),
                            self, root, today, today);
        while (db_step(st) == DB_ROW) {
            bool seen = has(&pages[p], fmt("<td>%s</td>", db_col_text(st, 0)));
            if (seen && !db_col_int(st, 1)) fail_msg("out of scope on page %d: %s", p + 1, db_col_text(st, 0));
            shown += seen;
        }
        db_done(st);
        buf_free(&pages[p].raw);
    }
    assert_int_equal(shown, mine); /* everyone once, over the two pages */
}

static void test_staff_pages(void **state)
{
    (void)state;
    int all = in_service(0);
    Res p1 = get("dx", "/staff");
    assert_true(has(&p1, fmt("<p role=\"status\">%d人が該当します。</p>", all)));
    assert_true(has(&p1, fmt(">%s</td>", nth_in_service(0, 0))) || has(&p1, fmt("<td>%s</td>", nth_in_service(0, 0))));
    assert_false(has(&p1, fmt("<td>%s</td>", nth_in_service(50, 0))));
    Res p2 = get("dx", "/staff?page=2");
    assert_true(has(&p2, fmt("<p role=\"status\">%d人が該当します。</p>", all)));
    assert_true(has(&p2, fmt("<td>%s</td>", nth_in_service(50, 0))));
    assert_true(has(&p2, fmt("<td>%s</td>", nth_in_service(99, 0))));
    assert_false(has(&p2, fmt("<td>%s</td>", nth_in_service(49, 0))));
    /* Past the end: the last page, still counted. */
    Res past = get("dx", "/staff?page=999");
    assert_true(has(&past, fmt("<p role=\"status\">%d人が該当します。</p>", all)));
    assert_true(has(&past, fmt("<td>%s</td>", nth_in_service(all - 1, 0))));
    /* A search: the count of the matches. */
    Res one = get("dx", fmt("/staff?q=%s", nth_in_service(7, 0)));
    assert_true(has(&one, "<p role=\"status\">1人が該当します。</p>"));
    buf_free(&p1.raw);
    buf_free(&p2.raw);
    buf_free(&past.raw);
    buf_free(&one.raw);
}

/* 異動・兼務: the person's page links to its own page; that page has the
 * labelled picker, keeps what was typed when refused, and stores the move. */
static void test_assign_page(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    int64_t id = db_int(db, 0, "SELECT MIN(a.staff_id) FROM assignment a WHERE a.is_primary = 1 AND a.to_date IS NULL AND a.staff_id <> ?",
                        hr->staff_id);
    int units = (int)db_int(db, 0, "SELECT COUNT(*) FROM org_unit");
    Res show = get("jinji", fmt("/staff/%lld", (long long)id));
    assert_true(has(&show, fmt("<a class=\"btn\" href=\"/staff/%lld/assign\">異動・兼務を登録する</a>", (long long)id)));
    assert_false(has(&show, "name=\"unit_id\"")); /* no picker of every unit here */
    Res form = get("jinji", fmt("/staff/%lld/assign", (long long)id));
    assert_true(has(&form, "<label for=\"f-unit_id\""));
    assert_true(has(&form, "<select"));
    /* Every unit is offered on this page. */
    int options = 0;
    for (const char *p = form.body; (p = strstr(p, "<option value=\"")); p++) options++;
    assert_true(options >= units);
    int64_t unit2 = db_int(db, 0, "SELECT MAX(id) FROM org_unit WHERE level = 4");
    int before = (int)db_int(db, 0, "SELECT COUNT(*) FROM assignment WHERE staff_id = ?", id);
    Res bad = req("POST", fmt("/staff/%lld/assign", (long long)id), hr->cookie,
                  fmt("csrf=%s&kind=concurrent&unit_id=&from=2027-04-01", hr->csrf));
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "value=\"2027-04-01\""));
    assert_true(has(&bad, "<option value=\"concurrent\" selected>"));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assignment WHERE staff_id = ?", id), before);
    Res ok = req("POST", fmt("/staff/%lld/assign", (long long)id), hr->cookie,
                 fmt("csrf=%s&kind=concurrent&unit_id=%lld&from=2027-04-01", hr->csrf, (long long)unit2));
    assert_int_equal(ok.status, 303);
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND is_primary = 0 AND from_date = '2027-04-01'", id,
                          unit2));
    /* Only HR may open it. */
    Res no = req("GET", fmt("/staff/%lld/assign", (long long)id), user("kacho")->cookie, NULL);
    assert_int_equal(no.status, 403);
    buf_free(&show.raw);
    buf_free(&form.raw);
    buf_free(&bad.raw);
    buf_free(&ok.raw);
    buf_free(&no.raw);
}

/* The home page's 係 without a 総括リーダー: 50 a page, counted. */
static void test_home_leads_pages(void **state)
{
    (void)state;
    char today[11];
    now_date(today);
    int64_t self = user("kacho")->staff_id;
    int64_t root = db_int(db, 0, "SELECT a.unit_id FROM assignment a WHERE a.staff_id = ? AND a.is_primary = 1 AND " ASOF_IN_FORCE("a"),
                          self, today, today);
    for (int i = 0; i < 60; i++)
        db_exec(db, "INSERT INTO org_unit (code, name, level, parent_id, valid_from) VALUES (?, ?, 4, ?, '2020-04-01')",
                fmt("zz%03d", i), fmt("試験%03d係", i), root);
    Res p1 = get("kacho", "/");
    const char *pager = "<a rel=\"next\" href=\"/?leads_page=2#todo-leads\">次へ</a>";
    assert_true(has(&p1, pager));
    int total = 0;
    const char *s = strstr(p1.body, "<section class=\"panel\" id=\"todo-leads\">");
    assert_non_null(s);
    assert_int_equal(sscanf(strstr(s, "<p role=\"status\">") + strlen("<p role=\"status\">"), "%d", &total), 1);
    assert_true(total >= 60);
    assert_true(has(&p1, fmt("総括リーダーが未配置の係</a> <span class=\"badge\">%d係</span>", total)));
    int first = 0, second = 0;
    Res p2 = get("kacho", "/?leads_page=2");
    for (int i = 0; i < 60; i++) {
        bool a = has(&p1, fmt("試験%03d係</a>", i)), b = has(&p2, fmt("試験%03d係</a>", i));
        assert_false(a && b);
        first += a;
        second += b;
    }
    assert_int_equal(first + second, 60);
    assert_true(second > 0);
    assert_true(has(&p2, fmt("<span aria-current=\"page\">2 / %d ページ</span>", (total + 49) / 50)));
    buf_free(&p1.raw);
    buf_free(&p2.raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_review_pages), cmocka_unit_test(test_staff_pages), cmocka_unit_test(test_assign_page),
        cmocka_unit_test(test_review_scope), cmocka_unit_test(test_home_leads_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
