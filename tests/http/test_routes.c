/* test_routes.c - request-level tests: every route for every role, CSRF,
 * escaping, validation, lockout, session expiry and the audit log.
 *
 * Requests go through http_answer_raw, the same path as `jinzai
 * test-request`, against a fresh demo database. */
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

static Who users[] = {{.login = "shokuin", .roles = ROLE_STAFF}, {.login = "kacho", .roles = ROLE_STAFF | ROLE_MANAGER}, {.login = "jinji", .roles = ROLE_STAFF | ROLE_HR}, {.login = "dx", .roles = ROLE_STAFF | ROLE_DX}, {.login = "admin", .roles = ROLE_STAFF | ROLE_ADMIN}};

HARNESS_SETUP("routes", users)

static void test_healthz_and_assets(void **state)
{
    (void)state;
    Res r = req("GET", "/healthz", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "ok");
    assert_true(has(&r, "X-Content-Type-Options: nosniff"));
    assert_true(has(&r, "frame-ancestors 'none'"));
    buf_free(&r.raw);
    Res home = req("GET", "/", user("dx")->cookie, NULL);
    const char *css = strstr(home.body, "/assets/style.");
    assert_non_null(css);
    char path[80];
    size_t n = strcspn(css, "\"");
    memcpy(path, css, n);
    path[n] = 0;
    Res a = req("GET", path, NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_true(has(&a, "immutable"));
    assert_true(has(&a, "text/css"));
    Res missing = req("GET", "/assets/nothing.css", NULL, NULL);
    assert_int_equal(missing.status, 404);
    buf_free(&home.raw);
    buf_free(&a.raw);
    buf_free(&missing.raw);
}

/* Fills {} of a route pattern with ids that exist. */
static void fill_path(const char *pattern, char *out, size_t n)
{
    int64_t unit = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4");
    int64_t staff = db_int(db, 0, "SELECT MIN(staff_id) FROM assignment WHERE is_primary = 1 AND to_date IS NULL");
    int64_t any = 999999; /* other ids: a record that does not exist (404 after the checks) */
    size_t k = 0;
    for (const char *p = pattern; *p && k + 24 < n; p++) {
        if (p[0] == '{' && p[1] == '}') {
            int64_t v = strncmp(pattern, "/org", 4) == 0 ? unit : strncmp(pattern, "/staff", 6) == 0 && k < 10 ? staff : any;
            k += (size_t)snprintf(out + k, n - k, "%lld", (long long)v);
            p++;
        } else {
            out[k++] = *p;
        }
    }
    out[k] = 0;
}

static bool public_route_expected(const Route *rt)
{
    static const char *const allowed[] = {"/healthz", "/assets/{}", "/login"};
    for (size_t i = 0; i < COUNTOF(allowed); i++)
        if (strcmp(rt->path, allowed[i]) == 0) return true;
    return false;
}

/* Every route declares who may use it; each role gets exactly that. */
static void test_every_route_every_role(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const Route *rt = &routes[i];
        /* The xAPI receiver authenticates each client itself (test_xapi.c). */
        if (rt->flags & RF_OWN_AUTH) {
            if (strncmp(rt->path, "/xapi/", 6) != 0 || rt->roles) fail_msg("route %s %s has its own authentication", rt->method, rt->path);
            continue;
        }
        if (rt->flags & RF_PUBLIC) {
            if (!public_route_expected(rt)) fail_msg("route %s %s is public but not on the public list", rt->method, rt->path);
            continue;
        }
        if (!rt->roles) fail_msg("route %s %s declares no role", rt->method, rt->path);
        char path[128];
        fill_path(rt->path, path, sizeof path);
        bool post = strcmp(rt->method, "POST") == 0;
        /* Without a session: a page redirects to /login, a POST is refused. */
        Res anon = req(rt->method, path, NULL, post ? "x=1" : NULL);
        if (post) assert_int_equal(anon.status, 403);
        else {
            if (anon.status != 303 || !has(&anon, "Location: /login?next=")) fail_msg("%s %s anonymous got %d", rt->method, path, anon.status);
        }
        buf_free(&anon.raw);
        for (size_t u = 0; u < COUNTOF(users); u++) {
            Who *w = &users[u];
            if (strcmp(rt->path, "/logout") == 0) continue; /* would end the shared session */
            char body[160];
            snprintf(body, sizeof body, "csrf=%s", w->csrf);
            Res r = req(rt->method, path, w->cookie, post ? body : NULL);
            bool allowed = (rt->roles & w->roles) != 0;
            if (allowed && r.status == 403 && strstr(rt->path, "{}") == NULL)
                fail_msg("%s %s as %s: 403 but the role is allowed", rt->method, path, w->login);
            if (!allowed && r.status != 403) fail_msg("%s %s as %s: %d, want 403", rt->method, path, w->login, r.status);
            if (r.status >= 500) fail_msg("%s %s as %s: %d", rt->method, path, w->login, r.status);
            /* An attribute written through an escaping %s comes out as =&quot;…: always a bug. */
            if (strstr(r.body, "=&quot;")) fail_msg("%s %s as %s: escaped attribute markup in the page", rt->method, path, w->login);
            buf_free(&r.raw);
            if (post) {
                /* The same POST without the token is refused for everyone. */
                Res bad = req(rt->method, path, w->cookie, "csrf=wrong");
                if (bad.status != 403) fail_msg("%s %s as %s without CSRF: %d", rt->method, path, w->login, bad.status);
                buf_free(&bad.raw);
            }
        }
    }
}

static void test_login_csrf_and_failure(void **state)
{
    (void)state;
    Res r = req("POST", "/login", NULL, "login=dx&password=" PW);
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    Res pre = req("GET", "/login", NULL, NULL);
    char token[80], cookie[100], body[200];
    cookie_of(&pre, "jz_pre", token, sizeof token);
    snprintf(cookie, sizeof cookie, "jz_pre=%s", token);
    snprintf(body, sizeof body, "csrf=%s&login=dx&password=wrong-password-x", token);
    Res bad = req("POST", "/login", cookie, body);
    assert_int_equal(bad.status, 401);
    assert_true(strstr(bad.body, "ログイン名またはパスワードが正しくありません。") != NULL);
    assert_true(strstr(bad.body, "value=\"dx\"") != NULL);
    buf_free(&pre.raw);
    buf_free(&bad.raw);
}

/* A valid token from another site's page is still refused (Origin check). */
static void test_cross_origin_post(void **state)
{
    (void)state;
    Who *dx = user("dx");
    char raw[512];
    char body[160];
    snprintf(body, sizeof body, "csrf=%s&current=x", dx->csrf);
    snprintf(raw, sizeof raw,
             "POST /account/password HTTP/1.1\r\nHost: localhost\r\nOrigin: http://evil.example\r\nCookie: %s\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
             dx->cookie, strlen(body), body);
    Buf out = BUF_INIT;
    http_answer_raw(db, raw, strlen(raw), &out);
    assert_true(strncmp(buf_cstr(&out), "HTTP/1.1 403", 12) == 0);
    buf_free(&out);
}

static void test_lockout(void **state)
{
    (void)state;
    db_exec(db, "DELETE FROM login_failure");
    Res pre = req("GET", "/login", NULL, NULL);
    char token[80], cookie[100], body[200];
    cookie_of(&pre, "jz_pre", token, sizeof token);
    snprintf(cookie, sizeof cookie, "jz_pre=%s", token);
    snprintf(body, sizeof body, "csrf=%s&login=locktest&password=wrong-password-x", token);
    for (int i = 0; i < 3; i++) { /* THROTTLE_FREE failures, then a delay */
        Res r = req("POST", "/login", cookie, body);
        assert_int_equal(r.status, 401);
        buf_free(&r.raw);
    }
    Res locked = req("POST", "/login", cookie, body);
    assert_int_equal(locked.status, 429);
    assert_true(has(&locked, "Retry-After:"));
    buf_free(&locked.raw);
    buf_free(&pre.raw);
    db_exec(db, "DELETE FROM login_failure");
}

static void test_session_expiry(void **state)
{
    (void)state;
    db_exec(db, "DELETE FROM login_failure");
    Who w = {.login = "dx", .roles = ROLE_DX};
    login(&w);
    util_set_clock(now_unix() + 3601);
    Res r = req("GET", "/staff", w.cookie, NULL);
    util_set_clock(0);
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /login?next=%2Fstaff"));
    buf_free(&r.raw);
}

static void test_scope(void **state)
{
    (void)state;
    Who *staff = user("shokuin"), *kacho = user("kacho");
    int64_t own = db_int(db, 0, "SELECT staff_id FROM account WHERE login = 'shokuin'");
    int64_t boss_unit = db_int(db, 0,
                               "SELECT a.unit_id FROM assignment a JOIN account c ON c.staff_id = a.staff_id WHERE c.login = 'kacho'"
                               " AND a.is_primary = 1 AND a.to_date IS NULL");
    int64_t outsider = db_int(db, 0,
                              "SELECT s.id FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL"
                              " JOIN org_unit u ON u.id = a.unit_id WHERE u.id <> ? AND u.parent_id <> ? LIMIT 1",
                              boss_unit, boss_unit);
    char path[64];
    snprintf(path, sizeof path, "/staff/%lld", (long long)own);
    Res mine = req("GET", path, staff->cookie, NULL);
    assert_int_equal(mine.status, 200);
    Res boss = req("GET", path, kacho->cookie, NULL);
    assert_int_equal(boss.status, 200); /* shokuin works in kacho's 課 */
    snprintf(path, sizeof path, "/staff/%lld", (long long)outsider);
    Res other = req("GET", path, staff->cookie, NULL);
    assert_int_equal(other.status, 403);
    Res other2 = req("GET", path, kacho->cookie, NULL);
    assert_int_equal(other2.status, 403);
    buf_free(&mine.raw);
    buf_free(&boss.raw);
    buf_free(&other.raw);
    buf_free(&other2.raw);
}

/* The count line of the staff list: "<p role="status">N人が該当します。" */
static int hit_count(const char *body)
{
    const char *p = strstr(body, "<p role=\"status\">");
    return p ? atoi(p + strlen("<p role=\"status\">")) : -1;
}

static void test_search_folds_kana(void **state)
{
    (void)state;
    Who *dx = user("dx");
    /* Take someone's kana surname and search it in hiragana and half-width. */
    Arena a = ARENA_INIT;
    char *kana = db_text(db, &a, "SELECT s.kana FROM staff s WHERE EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = s.id AND a.to_date IS NULL) ORDER BY s.id LIMIT 1");
    assert_non_null(kana);
    Res r1 = req("GET", "/staff?q=%E3%83%A4%E3%83%9E", dx->cookie, NULL); /* ヤマ */
    Res r2 = req("GET", "/staff?q=%E3%82%84%E3%81%BE", dx->cookie, NULL); /* やま */
    Res r3 = req("GET", "/staff?q=%EF%BE%94%EF%BE%8F", dx->cookie, NULL); /* ﾔﾏ */
    int n1 = hit_count(r1.body), n2 = hit_count(r2.body), n3 = hit_count(r3.body);
    assert_true(n1 > 0);
    assert_int_equal(n1, n2);
    assert_int_equal(n1, n3);
    Res csv = req("GET", "/staff?format=csv&q=%E3%82%84%E3%81%BE", dx->cookie, NULL);
    assert_int_equal(csv.status, 200);
    assert_true(strncmp(csv.body, "\xEF\xBB\xBF職員番号,", strlen("\xEF\xBB\xBF職員番号,")) == 0);
    assert_true(has(&csv, "text/csv"));
    buf_free(&r1.raw);
    buf_free(&r2.raw);
    buf_free(&r3.raw);
    buf_free(&csv.raw);
    arena_free(&a);
}

static int audit_count(void) { return (int)db_int(db, 0, "SELECT COUNT(*) FROM audit_log"); }

static void test_staff_create_validation_and_escape(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    int64_t unit = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4");
    int before = audit_count();
    char body[512];
    /* Bad: empty name, bad date. Nothing written, typed values kept. */
    snprintf(body, sizeof body, "csrf=%s&staff_no=T0001&name=&kana=%%E3%%83%%86&emp_type=regular&unit_id=%lld&from=2026-02-30",
             hr->csrf, (long long)unit);
    Res bad = req("POST", "/staff/new", hr->cookie, body);
    assert_int_equal(bad.status, 422);
    assert_non_null(strstr(bad.body, "氏名を入力してください。"));
    assert_non_null(strstr(bad.body, "配属日を正しい日付で入力してください"));
    assert_non_null(strstr(bad.body, "value=\"T0001\""));
    assert_non_null(strstr(bad.body, "value=\"2026-02-30\""));
    assert_int_equal(audit_count(), before);
    assert_false(db_exists(db, "SELECT 1 FROM staff WHERE staff_no = 'T0001'"));
    /* Good, with a script in the name: saved, audited, shown escaped. */
    snprintf(body, sizeof body,
             "csrf=%s&staff_no=T0001&name=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&kana=&emp_type=regular&unit_id=%lld&from=R8.4.1",
             hr->csrf, (long long)unit);
    Res ok = req("POST", "/staff/new", hr->cookie, body);
    assert_int_equal(ok.status, 303);
    assert_int_equal(audit_count(), before + 1);
    int64_t id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = 'T0001'");
    assert_true(id > 0);
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND from_date = '2026-04-01'", id));
    char path[64];
    snprintf(path, sizeof path, "/staff/%lld", (long long)id);
    Res page = req("GET", path, hr->cookie, NULL);
    assert_int_equal(page.status, 200);
    assert_null(strstr(page.body, "<script>alert(1)"));
    assert_non_null(strstr(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    /* A duplicate 職員番号 is refused with a message. */
    Res dup = req("POST", "/staff/new", hr->cookie, body);
    assert_int_equal(dup.status, 422);
    assert_non_null(strstr(dup.body, "この職員番号は既に登録されています。"));
    buf_free(&bad.raw);
    buf_free(&ok.raw);
    buf_free(&page.raw);
    buf_free(&dup.raw);
}

static void test_transfer_ends_previous(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    int64_t id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = 'T0001'");
    int64_t unit2 = db_int(db, 0, "SELECT MAX(id) FROM org_unit WHERE level = 4");
    char body[256], path[80];
    snprintf(body, sizeof body, "csrf=%s&kind=primary&unit_id=%lld&from=2027-04-01", hr->csrf, (long long)unit2);
    snprintf(path, sizeof path, "/staff/%lld/assign", (long long)id);
    int before = audit_count();
    Res r = req("POST", path, hr->cookie, body);
    assert_int_equal(r.status, 303);
    assert_int_equal(audit_count(), before + 1);
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND from_date = '2026-04-01' AND to_date = '2027-03-31'",
                          id));
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND from_date = '2027-04-01'", id,
                          unit2));
    /* An earlier date than the last transfer is refused. */
    snprintf(body, sizeof body, "csrf=%s&kind=primary&unit_id=%lld&from=2027-01-01", hr->csrf, (long long)unit2);
    Res bad = req("POST", path, hr->cookie, body);
    assert_int_equal(bad.status, 422);
    buf_free(&r.raw);
    buf_free(&bad.raw);
}

static void test_org_tree_flags_missing_leaders(void **state)
{
    (void)state;
    Res r = req("GET", "/org", user("dx")->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "⚠ 総括リーダー未配置"));
    assert_non_null(strstr(r.body, "広報・DX推進係"));
    assert_non_null(strstr(r.body, "教育総務課"));
    Res csv = req("GET", "/org?format=csv", user("dx")->cookie, NULL);
    assert_non_null(strstr(csv.body, "未配置"));
    buf_free(&r.raw);
    buf_free(&csv.raw);
}

static void test_designate_tier(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t unit = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4");
    char body[300];
    snprintf(body, sizeof body, "csrf=%s&staff_no=T0001&subtype=project&unit_id=%lld&nendo=%%E4%%BB%%A4%%E5%%92%%8C8&designated_on=2026-04-01",
             dx->csrf, (long long)unit);
    Res r = req("POST", "/tiers/new", dx->cookie, body);
    assert_int_equal(r.status, 303);
    assert_true(db_exists(db, "SELECT 1 FROM tier_designation d JOIN staff s ON s.id = d.staff_id WHERE s.staff_no = 'T0001'"
                              " AND d.nendo = 2026 AND d.subtype = 'project'"));
    Res dup = req("POST", "/tiers/new", dx->cookie, body);
    assert_int_equal(dup.status, 422);
    assert_non_null(strstr(dup.body, "同じ年度・所属・区分の指名が既にあります。"));
    buf_free(&r.raw);
    buf_free(&dup.raw);
}

static void test_audit_is_append_only(void **state)
{
    (void)state;
    assert_true(audit_count() > 0);
    assert_int_equal(db_exec(db, "UPDATE audit_log SET actor = 'x'"), -1);
    assert_int_equal(db_exec(db, "DELETE FROM audit_log"), -1);
    Res r = req("GET", "/admin/audit?action=staff.create", user("admin")->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "staff.create"));
    Res csv = req("GET", "/admin/audit?format=csv", user("admin")->cookie, NULL);
    assert_non_null(strstr(csv.body, "番号,日時,操作者"));
    buf_free(&r.raw);
    buf_free(&csv.raw);
}

static void test_xlsx_exports(void **state)
{
    (void)state;
    static const struct {
        const char *path, *who;
    } cases[] = {
        {"/staff?format=xlsx", "dx"}, {"/org?format=xlsx", "dx"}, {"/tiers?format=xlsx", "dx"}, {"/admin/audit?format=xlsx", "admin"},
    };
    for (size_t i = 0; i < COUNTOF(cases); i++) {
        Res r = req("GET", cases[i].path, user(cases[i].who)->cookie, NULL);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        assert_memory_equal(r.body, "PK", 2);
        buf_free(&r.raw);
    }
}

/* The payload URL-encoded: XSS inside snprintf formats, XSSP in plain paths. */
#define XSS "%%22%%3E%%3Cscript%%3Ex%%3C%%2Fscript%%3E%%27"
#define XSSP "%22%3E%3Cscript%3Ex%3C%2Fscript%3E%27"
#define XSS_RAW "\"><script>x</script>"

/* Asserts the page never carries the payload as markup. */
static void assert_escaped(const char *method, const char *path, const char *cookie, const char *body)
{
    Res r = req(method, path, cookie, body);
    if (strstr(r.body, XSS_RAW)) fail_msg("%s %s echoes the payload unescaped", method, path);
    assert_true(r.status < 500);
    buf_free(&r.raw);
}

static void test_xss_every_text_field(void **state)
{
    (void)state;
    Who *hr = user("jinji"), *dx = user("dx"), *admin = user("admin");
    int64_t unit = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4");
    char body[1024], path[64];
    snprintf(body, sizeof body, "csrf=%s&staff_no=X0001&name=" XSS "&kana=" XSS "&post=" XSS "&job_type=" XSS
             "&emp_type=regular&unit_id=%lld&from=2026-04-01", hr->csrf, (long long)unit);
    Res r = req("POST", "/staff/new", hr->cookie, body);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = 'X0001'");
    snprintf(path, sizeof path, "/staff/%lld", (long long)id);
    assert_escaped("GET", path, hr->cookie, NULL);
    assert_escaped("GET", "/staff?q=" XSSP, hr->cookie, NULL);
    snprintf(path, sizeof path, "/org/%lld", (long long)unit);
    assert_escaped("GET", path, hr->cookie, NULL);
    /* Rejected input comes back in the form, escaped. */
    snprintf(body, sizeof body, "csrf=%s&staff_no=" XSS "&name=" XSS "&emp_type=" XSS "&unit_id=" XSS "&from=" XSS, hr->csrf);
    assert_escaped("POST", "/staff/new", hr->cookie, body);
    snprintf(body, sizeof body, "csrf=%s&code=" XSS "&name=" XSS "&level=4&parent_id=" XSS "&valid_from=" XSS "&valid_to=" XSS
             "&sort_order=" XSS, hr->csrf);
    assert_escaped("POST", "/org/new", hr->cookie, body);
    snprintf(body, sizeof body, "csrf=%s&code=XSS-1&name=" XSS "&level=1&valid_from=2026-04-01", hr->csrf);
    r = req("POST", "/org/new", hr->cookie, body);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_escaped("GET", "/org", hr->cookie, NULL);
    snprintf(body, sizeof body, "csrf=%s&staff_no=X0001&subtype=project&unit_id=%lld&nendo=2026&designated_on=2026-04-01"
             "&designated_by=" XSS "&note=" XSS, dx->csrf, (long long)unit);
    r = req("POST", "/tiers/new", dx->cookie, body);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_escaped("GET", "/tiers", dx->cookie, NULL);
    snprintf(body, sizeof body, "csrf=%s&staff_no=" XSS "&subtype=" XSS "&unit_id=1&nendo=" XSS "&designated_on=" XSS, dx->csrf);
    assert_escaped("POST", "/tiers/new", dx->cookie, body);
    snprintf(body, sizeof body, "csrf=%s&login=" XSS "&staff_no=" XSS "&password=" XSS, admin->csrf);
    assert_escaped("POST", "/admin/users", admin->cookie, body);
    assert_escaped("GET", "/admin/audit?actor=" XSSP "&staff_no=" XSSP, admin->cookie, NULL);
    snprintf(body, sizeof body, "csrf=%s&nendo=2026&city=" XSS, admin->csrf);
    r = req("POST", "/admin/settings", admin->cookie, body);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_escaped("GET", "/", admin->cookie, NULL);
    assert_escaped("GET", "/login?next=" XSSP, NULL, NULL);
    db_exec(db, "UPDATE setting SET value = '国東市' WHERE key = 'city_name'");
}

/* 自己評価 by the person, 上司確認 only within the supervisor's subtree. */
static void test_assessment_flow(void **state)
{
    (void)state;
    Who *staff = user("shokuin"), *kacho = user("kacho");
    Res mine = req("GET", "/assess", staff->cookie, NULL);
    assert_int_equal(mine.status, 200);
    assert_non_null(strstr(mine.body, "name=\"level_"));
    buf_free(&mine.raw);
    char body[256];
    snprintf(body, sizeof body, "csrf=%s&op=save", staff->csrf);
    Res saved = req("POST", "/assess", staff->cookie, body);
    assert_int_equal(saved.status, 303);
    buf_free(&saved.raw);
    snprintf(body, sizeof body, "csrf=%s&op=submit", staff->csrf);
    Res incomplete = req("POST", "/assess", staff->cookie, body);
    assert_int_equal(incomplete.status, 422);
    assert_non_null(strstr(incomplete.body, "未選択の項目が"));
    buf_free(&incomplete.raw);
    /* A submitted assessment in kacho's subtree, and one outside it. */
    int64_t own_unit = db_int(db, 0,
                              "SELECT a.unit_id FROM assignment a JOIN account c ON c.staff_id = a.staff_id WHERE c.login = 'kacho'"
                              " AND a.is_primary = 1 AND a.to_date IS NULL");
    int64_t inside = db_int(db, 0,
                            "SELECT x.id FROM assessment x JOIN assignment a ON a.staff_id = x.staff_id AND a.is_primary = 1 AND a.to_date IS NULL"
                            " JOIN org_unit u ON u.id = a.unit_id WHERE x.nendo = 2026 AND x.state = 'submitted' AND u.parent_id = ? LIMIT 1",
                            own_unit);
    int64_t outside = db_int(db, 0,
                             "SELECT x.id FROM assessment x JOIN assignment a ON a.staff_id = x.staff_id AND a.is_primary = 1 AND a.to_date IS NULL"
                             " JOIN org_unit u ON u.id = a.unit_id WHERE x.nendo = 2026 AND x.state = 'submitted' AND u.id <> ?"
                             " AND u.parent_id <> ? LIMIT 1", own_unit, own_unit);
    assert_true(inside > 0 && outside > 0);
    char path[64];
    snprintf(path, sizeof path, "/assess/%lld", (long long)outside);
    Res denied = req("GET", path, kacho->cookie, NULL);
    assert_int_equal(denied.status, 403);
    buf_free(&denied.raw);
    snprintf(path, sizeof path, "/assess/%lld/confirm", (long long)outside);
    snprintf(body, sizeof body, "csrf=%s", kacho->csrf);
    Res denied2 = req("POST", path, kacho->cookie, body);
    assert_int_equal(denied2.status, 403);
    buf_free(&denied2.raw);
    snprintf(path, sizeof path, "/assess/%lld", (long long)inside);
    Res view = req("GET", path, kacho->cookie, NULL);
    assert_int_equal(view.status, 200);
    assert_non_null(strstr(view.body, "この内容で確認する"));
    buf_free(&view.raw);
    snprintf(path, sizeof path, "/assess/%lld/confirm", (long long)inside);
    Res ok = req("POST", path, kacho->cookie, body);
    assert_int_equal(ok.status, 303);
    buf_free(&ok.raw);
    assert_true(db_exists(db, "SELECT 1 FROM assessment WHERE id = ? AND state = 'confirmed'", inside));
    /* A supervisor never confirms their own. */
    int64_t self_id = db_int(db, 0, "SELECT x.id FROM assessment x JOIN account c ON c.staff_id = x.staff_id WHERE c.login = 'kacho'"
                             " AND x.nendo = 2026");
    if (self_id) {
        snprintf(path, sizeof path, "/assess/%lld", (long long)self_id);
        Res self = req("GET", path, kacho->cookie, NULL);
        assert_int_equal(self.status, 403);
        buf_free(&self.raw);
    }
}

static void test_not_found_and_method(void **state)
{
    (void)state;
    Res r = req("GET", "/nothing-here", user("dx")->cookie, NULL);
    assert_int_equal(r.status, 404);
    Res s = req("GET", "/staff/999999", user("dx")->cookie, NULL);
    assert_int_equal(s.status, 404);
    Res m = req("DELETE", "/staff", user("dx")->cookie, NULL);
    assert_int_equal(m.status, 405);
    buf_free(&r.raw);
    buf_free(&s.raw);
    buf_free(&m.raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_healthz_and_assets),
        cmocka_unit_test(test_every_route_every_role),
        cmocka_unit_test(test_login_csrf_and_failure),
        cmocka_unit_test(test_cross_origin_post),
        cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_session_expiry),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_search_folds_kana),
        cmocka_unit_test(test_staff_create_validation_and_escape),
        cmocka_unit_test(test_transfer_ends_previous),
        cmocka_unit_test(test_org_tree_flags_missing_leaders),
        cmocka_unit_test(test_designate_tier),
        cmocka_unit_test(test_audit_is_append_only),
        cmocka_unit_test(test_xlsx_exports),
        cmocka_unit_test(test_xss_every_text_field),
        cmocka_unit_test(test_assessment_flow),
        cmocka_unit_test(test_not_found_and_method),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
