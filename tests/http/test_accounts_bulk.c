/* test_accounts_bulk.c - accounts for everyone on the roster in one action:
 * what is stored (one account per in-service person without one, roles from
 * the post, the must-change flag, no password in clear), the one-time A4
 * notices and CSV, the forced change at first login, an administrator's
 * reset forcing it again, and the paging of the users page and audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/account.h"
#include "domain/asof.h"
#include "domain/staff.h"

#include "harness.h"

static Who users[] = {{.login = "admin"}};
HARNESS_SETUP("accounts_bulk", users)

/* Text read back by the tests; kept (reachable) until the program ends. */
static Arena kept = ARENA_INIT;

static int64_t without_account(void)
{
    return db_int(db, -1,
                  "SELECT COUNT(*) FROM staff s WHERE " ASOF_IN_SERVICE("s.id") " AND NOT EXISTS (SELECT 1 FROM account c WHERE c.staff_id = s.id)",
                  HARNESS_TODAY, HARNESS_TODAY);
}

static int occurrences(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* The text of the <dd class="mono"> after label in s, into out. */
static bool value_after(const char *s, const char *label, char *out, size_t n)
{
    const char *p = strstr(s, label);
    if (!p || !(p = strstr(p, "<dd class=\"mono\">"))) return false;
    p += strlen("<dd class=\"mono\">");
    size_t len = strcspn(p, "<");
    if (len + 1 > n) return false;
    memcpy(out, p, len);
    out[len] = 0;
    return true;
}

/* Logs in with a password through the form; the response (caller frees). */
static Res login_with(const char *login_name, const char *pw, char *cookie, size_t n)
{
    Res pre = req("GET", "/login", NULL, NULL);
    char token[80], pre_cookie[100];
    assert_true(cookie_of(&pre, "jz_pre", token, sizeof token));
    snprintf(pre_cookie, sizeof pre_cookie, "jz_pre=%s", token);
    buf_free(&pre.raw);
    Res r = req("POST", "/login", pre_cookie, fmt("csrf=%s&login=%s&password=%s&next=%%2Fskills", token, login_name, pw));
    char s[80];
    if (cookie && cookie_of(&r, "jz_s", s, sizeof s)) snprintf(cookie, n, "jz_s=%s", s);
    return r;
}

static char first_login[40], first_pw[40];

static void test_bulk_creates_everyone_once(void **state)
{
    (void)state;
    Who *admin = user("admin");
    int64_t todo = without_account();
    assert_true(todo > 50);
    int accounts = count("SELECT COUNT(*) FROM account");
    int creates = count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.create'");
    EXPECT(admin->cookie, "/admin/users", 200, fmt("<strong>%d人</strong>", (int)todo), "アカウントの一括作成");

    Res r = req("POST", "/admin/users/bulk", admin->cookie,
                fmt("csrf=%s&posts=%%E9%%83%%A8%%E9%%95%%B7%%2C%%E8%%AA%%B2%%E9%%95%%B7&lower=1&output=print", admin->csrf)); /* 部長,課長 */
    assert_int_equal(r.status, 200);
    /* stored: one account per person, must change, hashed */
    assert_int_equal(count("SELECT COUNT(*) FROM account"), accounts + (int)todo);
    assert_int_equal(without_account(), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM account WHERE must_change = 1"), (int)todo);
    assert_int_equal(count("SELECT COUNT(*) FROM account WHERE must_change = 1 AND pw_hash NOT LIKE '$argon2id$%'"), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.create'"), creates + (int)todo);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.bulk'"), 1);
    /* login: 職員番号 in lower case; roles from the post */
    assert_int_equal(count("SELECT COUNT(*) FROM account c JOIN staff s ON s.id = c.staff_id WHERE c.must_change = 1"
                           " AND c.login <> lower(s.staff_no)"),
                     0);
    assert_true(count("SELECT COUNT(*) FROM account c JOIN staff s ON s.id = c.staff_id WHERE c.must_change = 1 AND s.post = '課長'") > 0);
    assert_int_equal(count("SELECT COUNT(*) FROM account c JOIN staff s ON s.id = c.staff_id WHERE c.must_change = 1"
                           " AND s.post IN ('部長', '課長') AND c.roles <> 3"),
                     0);
    assert_int_equal(count("SELECT COUNT(*) FROM account c JOIN staff s ON s.id = c.staff_id WHERE c.must_change = 1"
                           " AND s.post NOT IN ('部長', '課長') AND c.roles <> 1"),
                     0);
    assert_true(count("SELECT COUNT(*) FROM account c JOIN staff s ON s.id = c.staff_id WHERE c.must_change = 1 AND s.post = '課長補佐'") > 0);
    assert_string_equal(db_text(db, &kept, "SELECT value FROM setting WHERE key = 'account_manager_posts'"), "部長,課長");

    /* the print page: one A4 notice per person, with name, unit, login, password, URL and instructions */
    assert_int_equal(occurrences(r.body, "class=\"notice-sheet\""), (int)todo);
    assert_true(has(&r, "初期パスワードはこの画面にしか表示されません"));
    assert_true(has(&r, "http://localhost/"));
    assert_true(has(&r, "パスワード変更の画面が表示されます"));
    assert_true(value_after(r.body, "<dt>ログイン名</dt>", first_login, sizeof first_login));
    assert_true(value_after(r.body, "<dt>初期パスワード</dt>", first_pw, sizeof first_pw));
    assert_int_equal(strlen(first_pw), 14);
    Arena a = ARENA_INIT;
    const char *name = db_text(db, &a, "SELECT s.name FROM staff s JOIN account c ON c.staff_id = s.id WHERE c.login = ?", first_login);
    const char *unit = db_text(db, &a,
                               "SELECT u.name FROM account c JOIN org_unit u ON u.id = " ASOF_UNIT_OF("c.staff_id") " WHERE c.login = ?",
                               HARNESS_TODAY, HARNESS_TODAY, first_login);
    assert_non_null(name);
    assert_non_null(unit);
    assert_true(has(&r, fmt("%s %s 様", unit, name)));
    /* never stored in clear: not in the account, the audit log or a setting */
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM account WHERE pw_hash = ?", first_pw), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE summary LIKE ?", fmt("%%%s%%", first_pw)), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM setting WHERE value LIKE ?", fmt("%%%s%%", first_pw)), 0);
    arena_free(&a);
    buf_free(&r.raw);

    /* once more: nobody is left, nothing is created */
    EXPECT(admin->cookie, "/admin/users", 200, "<strong>0人</strong>");
    r = req("POST", "/admin/users/bulk", admin->cookie, fmt("csrf=%s&posts=&lower=1&output=print", admin->csrf));
    assert_int_equal(r.status, 200);
    assert_int_equal(occurrences(r.body, "class=\"notice-sheet\""), 0);
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM account"), accounts + (int)todo);
}

static void test_csv_and_skipped(void **state)
{
    (void)state;
    Who *admin = user("admin");
    /* two newcomers: one with a 職員番号 that cannot be a login */
    char now[32];
    now_iso(now);
    int64_t unit = db_int(db, 0, "SELECT unit_id FROM assignment WHERE is_primary = 1 ORDER BY id LIMIT 1");
    const char *nos[] = {"N9001", "N 9002"};
    Arena keys = ARENA_INIT;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(db_exec(db,
                                 "INSERT INTO staff (staff_no, name, kana, search_key, emp_type, post, created_at, updated_at)"
                                 " VALUES (?, ?, '', ?, 'regular', '主事', ?, ?)",
                                 nos[i], i ? "新人 次郎" : "新人 太郎", staff_search_key(&keys, nos[i], i ? "新人 次郎" : "新人 太郎", ""), now,
                                 now),
                         1);
        int64_t sid = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", nos[i]);
        assert_int_equal(db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date) VALUES (?, ?, 1, '2026-04-01')", sid, unit), 1);
    }
    arena_free(&keys);
    Res r = req("POST", "/admin/users/bulk", admin->cookie, fmt("csrf=%s&posts=&lower=1&output=csv", admin->csrf));
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "text/csv"));
    assert_true(has(&r, "職員番号,氏名,所属,ログイン名,初期パスワード"));
    assert_true(has(&r, "N9001,新人 太郎,"));
    assert_true(has(&r, ",n9001,"));
    assert_true(has(&r, "ログイン名の規則"));
    assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login = 'n9001' AND must_change = 1 AND roles = 1"), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM account c JOIN staff s ON s.id = c.staff_id WHERE s.staff_no = 'N 9002'"), 0);
    buf_free(&r.raw);
}

static void test_forced_change_at_first_login(void **state)
{
    (void)state;
    char cookie[128] = "";
    Res r = login_with(first_login, first_pw, cookie, sizeof cookie);
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /account/password"));
    buf_free(&r.raw);
    /* every other page sends the user to the password page */
    const char *pages[] = {"/", "/skills", "/me", "/training"};
    for (size_t i = 0; i < 4; i++) {
        r = req("GET", pages[i], cookie, NULL);
        assert_int_equal(r.status, 303);
        assert_true(has(&r, "Location: /account/password"));
        buf_free(&r.raw);
    }
    r = req("GET", "/account/password", cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "初期パスワードのままです"));
    char csrf[80];
    csrf_of(&r, csrf);
    buf_free(&r.raw);
    /* a POST elsewhere is refused the same way, and writes nothing */
    int audits = count("SELECT COUNT(*) FROM audit_log");
    r = req("POST", "/training/shareback", cookie, fmt("csrf=%s&title=x", csrf));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    /* the same password again is refused */
    EXPECT_POST(cookie, "/account/password", fmt("csrf=%s&current=%s&password=%s&confirm=%s", csrf, first_pw, first_pw, first_pw), 422,
                "現在と異なるパスワード");
    EXPECT_POST(cookie, "/account/password", fmt("csrf=%s&current=%s&password=%s&confirm=%s", csrf, first_pw, PW, PW), 303, "Location: /");
    assert_int_equal(db_int(db, -1, "SELECT must_change FROM account WHERE login = ?", first_login), 0);
    EXPECT(cookie, "/skills", 200, "スキル");

    /* an administrator's reset forces the change again */
    Who *admin = user("admin");
    int64_t id = db_int(db, 0, "SELECT id FROM account WHERE login = ?", first_login);
    unsigned roles = (unsigned)db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id);
    EXPECT_POST(admin->cookie, fmt("/admin/users/%lld", (long long)id),
                fmt("csrf=%s&op=update&role=staff%s&password=reset-password-5678", admin->csrf, roles & ROLE_MANAGER ? "&role=manager" : ""),
                303, "Location: /admin/users");
    assert_int_equal(db_int(db, -1, "SELECT must_change FROM account WHERE id = ?", id), 1);
    r = login_with(first_login, "reset-password-5678", cookie, sizeof cookie);
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /account/password"));
    buf_free(&r.raw);
    EXPECT(admin->cookie, fmt("/admin/users?q=%s", first_login), 200, "初期パスワード", "1件");
}

static void test_users_search_and_paging(void **state)
{
    (void)state;
    Who *admin = user("admin");
    int total = count("SELECT COUNT(*) FROM account");
    assert_true(total > 100);
    Res p1 = req("GET", "/admin/users", admin->cookie, NULL);
    Res p2 = req("GET", "/admin/users?page=2", admin->cookie, NULL);
    assert_int_equal(p1.status, 200);
    assert_int_equal(p2.status, 200);
    assert_true(has(&p1, fmt("%d件", total)));
    assert_true(has(&p1, "rel=\"next\""));
    assert_true(has(&p2, "rel=\"prev\""));
    assert_true(has(&p2, "<strong aria-current=\"page\">2</strong>"));
    /* 50 rows a page, and page 2 starts where page 1 ended */
    assert_int_equal(occurrences(p1.body, "name=\"op\" value=\"update\""), 50);
    Arena a = ARENA_INIT;
    const char *row51 = db_text(db, &a, "SELECT login FROM account ORDER BY active DESC, login LIMIT 1 OFFSET 50");
    assert_true(strstr(p2.body, fmt("<tr><td>%s</td>", row51)) != NULL);
    assert_true(strstr(p1.body, fmt("<tr><td>%s</td>", row51)) == NULL);
    buf_free(&p1.raw);
    buf_free(&p2.raw);
    /* search by 職員番号, by name, by login */
    const char *no = db_text(db, &a, "SELECT s.staff_no FROM staff s JOIN account c ON c.staff_id = s.id WHERE c.login = 'n9001'");
    EXPECT(admin->cookie, fmt("/admin/users?q=%s", no), 200, "<tr><td>n9001</td>", "1件");
    EXPECT(admin->cookie, "/admin/users?q=%E6%96%B0%E4%BA%BA+%E5%A4%AA%E9%83%8E", 200, "<tr><td>n9001</td>"); /* 新人 太郎 */
    Res none = req("GET", "/admin/users?q=zzzz-nobody", admin->cookie, NULL);
    assert_true(has(&none, "0件"));
    assert_false(has(&none, "<tr><td>"));
    buf_free(&none.raw);
    arena_free(&a);
}

static void test_audit_paging(void **state)
{
    (void)state;
    Who *admin = user("admin");
    int total = count("SELECT COUNT(*) FROM audit_log");
    assert_true(total > 400);
    Res p1 = req("GET", "/admin/audit", admin->cookie, NULL);
    Res p3 = req("GET", "/admin/audit?page=3", admin->cookie, NULL);
    assert_true(has(&p1, fmt("%d件中 1〜200件目", total)));
    assert_true(has(&p3, fmt("%d件中 401〜%d件目", total, total < 600 ? total : 600)));
    assert_true(has(&p1, "href=\"/admin/audit?page=2\""));
    /* page 3 holds the 401st newest row */
    Arena a = ARENA_INIT;
    const char *summary = db_text(db, &a, "SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET 400");
    (void)summary;
    int64_t id401 = db_int(db, 0, "SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET 400");
    assert_true(id401 > 0);
    /* a filter is kept in the page links */
    Res f = req("GET", "/admin/audit?action=account.create", admin->cookie, NULL);
    assert_true(has(&f, "href=\"/admin/audit?page=2&amp;action=account.create\"") || has(&f, "href=\"/admin/audit?page=2&action=account.create\""));
    buf_free(&f.raw);
    buf_free(&p1.raw);
    buf_free(&p3.raw);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk_creates_everyone_once),
        cmocka_unit_test(test_csv_and_skipped),
        cmocka_unit_test(test_forced_change_at_first_login),
        cmocka_unit_test(test_users_search_and_paging),
        cmocka_unit_test(test_audit_paging),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
