/* test_auth.c - request-level tests of logging in behind a proxy: the client
 * address from X-Forwarded-For, throttling per login and address, the
 * account lock and its unlock, logins of people no longer in service, and
 * the account, session and settings writes of the admin screens (stored
 * rows, audit rows and the messages shown, failures included).
 *
 * Requests go through http_answer_raw; X-Test-Remote plays the TCP peer. */
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

#include "auth/account.h"
#include "auth/password.h"
#include "auth/throttle.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/roster.h"
#include "domain/skill.h"
#include "domain/staff.h"
#include "http/proxy.h"
#include "app/router.h"
#include "io/text.h"

#include "harness.h"

static Who users[] = {{.login = "admin"}, {.login = "jinji"}};

#define PROXY "10.0.0.5"
#define NAT "203.0.113.7" /* a city hall's shared address */

static int setup(void **state)
{
    (void)state;
    if (proxy_configure("10.0.0.0/8,fd00::/8") != 0) return -1;
    return harness_open("auth", users, COUNTOF(users));
}

static int teardown(void **state)
{
    (void)state;
    harness_close();
    proxy_configure(NULL);
    return 0;
}

/* A request from TCP peer `peer` with an optional X-Forwarded-For. */
static Res send_from(const char *peer, const char *xff, const char *method, const char *path, const char *cookie, const char *body)
{
    Buf in = BUF_INIT;
    buf_printf(&in, "%s %s HTTP/1.1\r\nHost: localhost\r\nX-Test-Remote: %s\r\n", method, path, peer);
    if (xff) buf_printf(&in, "X-Forwarded-For: %s\r\n", xff);
    if (cookie) buf_printf(&in, "Cookie: %s\r\n", cookie);
    if (body) buf_printf(&in, "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n", strlen(body));
    buf_puts(&in, "\r\n");
    if (body) buf_puts(&in, body);
    Res r = {0};
    http_answer_raw(db, in.data, in.len, &r.raw);
    buf_free(&in);
    sscanf(buf_cstr(&r.raw), "HTTP/1.1 %d", &r.status);
    const char *sep = strstr(r.raw.data, "\r\n\r\n");
    r.body = sep ? sep + 4 : "";
    return r;
}

/* A login through the proxy for client address `client` (NULL: straight from peer). */
static Res login_as(const char *peer, const char *client, const char *login_name, const char *pw)
{
    Res pre = req("GET", "/login", NULL, NULL);
    char token[80], cookie[100];
    assert_true(cookie_of(&pre, "jz_pre", token, sizeof token));
    buf_free(&pre.raw);
    snprintf(cookie, sizeof cookie, "jz_pre=%s", token);
    return send_from(peer, client, "POST", "/login", cookie, fmt("csrf=%s&login=%s&password=%s&next=%%2F", token, login_name, pw));
}

/* Status of one login attempt (the answer is dropped). */
static int attempt(const char *client, const char *login_name, const char *pw)
{
    Res r = login_as(PROXY, client, login_name, pw);
    int status = r.status;
    buf_free(&r.raw);
    return status;
}

static int failures(const char *login_name, const char *ip)
{
    return (int)db_int(db, -1, "SELECT COUNT(*) FROM login_failure WHERE login = ? AND ip = ?", login_name, ip);
}

static int audits(const char *action) { return (int)db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action); }

static void test_proxy_parsing(void **state)
{
    (void)state;
    assert_int_equal(proxy_configure("10.0.0.0/33"), -1);
    assert_int_equal(proxy_configure("10.0.0.0/8,nonsense"), -1);
    assert_int_equal(proxy_configure("fd00::/129"), -1);
    /* a rejected list leaves the installed one alone */
    assert_true(proxy_trusted("10.1.2.3"));
    assert_int_equal(proxy_configure("192.168.1.0/24, ::1"), 0);
    assert_true(proxy_trusted("192.168.1.200"));
    assert_false(proxy_trusted("192.168.2.1"));
    assert_true(proxy_trusted("::1"));
    assert_true(proxy_trusted("::ffff:192.168.1.9")); /* IPv4-mapped */
    Arena a = ARENA_INIT;
    /* Untrusted peers cannot name their address. */
    assert_string_equal(proxy_client_ip(&a, "198.51.100.9", "1.2.3.4"), "198.51.100.9");
    /* The last untrusted hop, skipping trusted ones from the right. */
    assert_string_equal(proxy_client_ip(&a, "192.168.1.1", "6.6.6.6, 203.0.113.5, 192.168.1.2"), "203.0.113.5");
    assert_string_equal(proxy_client_ip(&a, "::1", "2001:db8::1"), "2001:db8::1");
    assert_string_equal(proxy_client_ip(&a, "::1", "[2001:db8::2]:443"), "2001:db8::2");
    assert_string_equal(proxy_client_ip(&a, "::1", "203.0.113.9:5555"), "203.0.113.9");
    /* A malformed hop stops the walk at the last good address. */
    assert_string_equal(proxy_client_ip(&a, "192.168.1.1", "203.0.113.5, garbage"), "192.168.1.1");
    assert_string_equal(proxy_client_ip(&a, "192.168.1.1", NULL), "192.168.1.1");
    assert_int_equal(proxy_configure(""), 0);
    assert_false(proxy_any());
    assert_string_equal(proxy_client_ip(&a, "192.168.1.1", "203.0.113.5"), "192.168.1.1");
    arena_free(&a);
    assert_int_equal(proxy_configure("10.0.0.0/8,fd00::/8"), 0);
}

static void test_client_address_in_failures_and_audit(void **state)
{
    (void)state;
    db_exec(db, "DELETE FROM login_failure");
    assert_int_equal(attempt("6.6.6.6, 198.51.100.20", "nobody", "wrong-password-1"), 401);
    assert_int_equal(failures("nobody", "198.51.100.20"), 1);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'auth.login_failed' AND ip = '198.51.100.20' AND summary = 'nobody'"));
    /* From an untrusted peer the header is ignored. */
    Res r = login_as("198.51.100.30", "1.1.1.1", "nobody", "wrong-password-1");
    assert_int_equal(r.status, 401);
    assert_true(has(&r, "ログイン名またはパスワードが正しくありません。"));
    buf_free(&r.raw);
    assert_int_equal(failures("nobody", "198.51.100.30"), 1);
    assert_int_equal(failures("nobody", "1.1.1.1"), 0);
    /* A successful login's session and audit row carry the client address. */
    Res ok = login_as(PROXY, "198.51.100.40", "jinji", PW);
    assert_int_equal(ok.status, 303);
    buf_free(&ok.raw);
    assert_true(db_exists(db, "SELECT 1 FROM session s JOIN account c ON c.id = s.account_id WHERE c.login = 'jinji' AND s.ip = '198.51.100.40'"));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'auth.login' AND actor = 'jinji' AND ip = '198.51.100.40'"));
}

/* Five failures for a made-up name from the shared address delay only that
 * name from that address. */
static void test_made_up_name_locks_nobody_out(void **state)
{
    (void)state;
    db_exec(db, "DELETE FROM login_failure");
    for (int i = 0; i < THROTTLE_FREE; i++) assert_int_equal(attempt(NAT, "no-such-user", "wrong-password-1"), 401);
    Res held = login_as(PROXY, NAT, "no-such-user", "wrong-password-1");
    assert_int_equal(held.status, 429);
    assert_true(has(&held, "Retry-After: "));
    assert_true(has(&held, "一時的にログインできません。"));
    assert_true(has(&held, "以降（約1分後）にもう一度お試しください。"));
    buf_free(&held.raw);
    assert_int_equal(attempt(NAT, "no-such-user", "wrong-password-1"), 429);
    assert_int_equal(failures("no-such-user", NAT), THROTTLE_FREE); /* a held attempt is not a failure */
    /* Everyone else behind the same address logs in. */
    assert_int_equal(attempt(NAT, "jinji", PW), 303);
    assert_int_equal(attempt(NAT, "admin", PW), 303);
    /* And the name itself may be tried from elsewhere. */
    assert_int_equal(attempt("198.51.100.50", "no-such-user", "wrong-password-1"), 401);
}

static void test_delays_grow(void **state)
{
    (void)state;
    db_exec(db, "DELETE FROM login_failure");
    const char *ip = "198.51.100.60";
    int64_t t0 = now_unix();
    util_set_clock(t0);
    for (int i = 0; i < THROTTLE_FREE; i++) assert_int_equal(attempt(ip, "jinji", "wrong-password-1"), 401);
    Res r = login_as(PROXY, ip, "jinji", PW); /* even the right password waits */
    assert_int_equal(r.status, 429);
    assert_true(has(&r, fmt("Retry-After: %d\r\n", THROTTLE_FIRST)));
    buf_free(&r.raw);
    util_set_clock(t0 + THROTTLE_FIRST + 1);
    assert_int_equal(attempt(ip, "jinji", "wrong-password-1"), 401);
    r = login_as(PROXY, ip, "jinji", PW);
    assert_int_equal(r.status, 429);
    assert_true(has(&r, fmt("Retry-After: %d\r\n", 2 * THROTTLE_FIRST)));
    buf_free(&r.raw);
    util_set_clock(t0 + 4 * THROTTLE_FIRST);
    assert_int_equal(attempt(ip, "jinji", PW), 303);
    assert_int_equal(failures("jinji", ip), 0); /* a success clears them */
    util_set_clock(0);
}

/* Failures from many addresses lock the account against those addresses;
 * a success from an address that has not failed lifts it. */
static void test_account_lock_cannot_keep_admin_out(void **state)
{
    (void)state;
    db_exec(db, "DELETE FROM login_failure");
    int unlocks = audits("auth.unlock");
    for (int n = 0; n < THROTTLE_LOCK_FAILS; n++) /* each address stays below its own delay */
        assert_int_equal(attempt(fmt("198.51.100.%d", 100 + n / THROTTLE_FREE), "admin", "wrong-password-1"), 401);
    assert_true(throttle_locked_until(db, "admin") > now_unix());
    /* A failed address is told the account is locked, and until when. */
    Res r = login_as(PROXY, "198.51.100.100", "admin", PW);
    assert_int_equal(r.status, 429);
    assert_true(has(&r, "アカウントをロックしています。"));
    assert_true(has(&r, "以降（約60分後）にもう一度お試しください。"));
    buf_free(&r.raw);
    /* The users page shows the lock. */
    EXPECT(user("admin")->cookie, "/admin/users", 200, "ロック中（", "ロックを解除");
    /* The administrator, from an address that has not failed, gets in. */
    assert_int_equal(attempt("198.51.100.99", "admin", PW), 303);
    assert_int_equal(count("SELECT COUNT(*) FROM login_failure WHERE login = 'admin'"), 0);
    assert_int_equal(audits("auth.unlock"), unlocks + 1);
    assert_int_equal(attempt("198.51.100.100", "admin", PW), 303);
}

static void test_admin_unlocks(void **state)
{
    (void)state;
    db_exec(db, "DELETE FROM login_failure");
    for (int n = 0; n < THROTTLE_LOCK_FAILS; n++) /* each address stays below its own delay */
        assert_int_equal(attempt(fmt("198.51.100.%d", 150 + n / THROTTLE_FREE), "jinji", "wrong-password-1"), 401);
    assert_int_equal(attempt("198.51.100.150", "jinji", PW), 429);
    int64_t id = db_int(db, 0, "SELECT id FROM account WHERE login = 'jinji'");
    Who *admin = user("admin");
    /* Without the token nothing happens. */
    EXPECT_POST(admin->cookie, fmt("/admin/users/%lld", (long long)id), "op=unlock", 403, "");
    assert_true(throttle_locked_until(db, "jinji") > 0);
    Res r = req("POST", fmt("/admin/users/%lld", (long long)id), admin->cookie, fmt("csrf=%s&op=unlock", admin->csrf));
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /admin/users?msg=unlocked"));
    buf_free(&r.raw);
    EXPECT(admin->cookie, "/admin/users?msg=unlocked", 200, "ロックを解除しました。");
    assert_int_equal(count("SELECT COUNT(*) FROM login_failure WHERE login = 'jinji'"), 0);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'account.unlock' AND actor = 'admin' AND entity_id = ? AND summary = 'jinji'",
                          id));
    assert_int_equal(attempt("198.51.100.150", "jinji", PW), 303);
    /* Unlocking an account that is not locked says so and writes nothing. */
    int before = audits("account.unlock");
    EXPECT_POST(admin->cookie, fmt("/admin/users/%lld", (long long)id), fmt("csrf=%s&op=unlock", admin->csrf), 422,
                "このアカウントはロックされていません。");
    assert_int_equal(audits("account.unlock"), before);
}

/* ---- accounts of people no longer in service ---- */

static void iso_plus(int days, char out[11])
{
    Date d = date_add_days(date_today(), days);
    date_iso(d, out);
}

/* A new person in unit of `jinji` with an account of the same login. */
static int64_t person_with_account(const char *staff_no, const char *login_name)
{
    Errors e = {0};
    int64_t unit = db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 ORDER BY from_date DESC LIMIT 1", user("jinji")->staff_id);
    Staff s = {.staff_no = staff_no, .name = "試験　太郎", .kana = "", .emp_type = "regular", .post = "", .job_type = "", .unit_id = unit};
    char from[11];
    iso_plus(-30, from);
    if (staff_save(db, &ACTOR_CLI, &s, from, &e) != 0) fail_msg("%s", e.n ? e.items[0].msg : "?");
    assert_int_equal(account_create(db, &ACTOR_CLI, login_name, staff_no, ROLE_STAFF, PW, &e), 0);
    return s.id;
}

static void test_retired_on_staff_screen(void **state)
{
    (void)state;
    int64_t id = person_with_account("T90001", "retire-a");
    Who w = {.login = "retire-a"};
    login(&w);
    EXPECT(w.cookie, "/", 200, "試験　太郎");
    Errors e = {0};
    char yesterday[11];
    iso_plus(-1, yesterday);
    assert_int_equal(staff_deactivate(db, &ACTOR_CLI, id, yesterday, &e), 0);
    /* The session no longer works, nor does the password. */
    Res r = req("GET", "/", w.cookie, NULL);
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /login"));
    buf_free(&r.raw);
    Res l = login_as("198.51.100.200", NULL, "retire-a", PW);
    assert_int_equal(l.status, 403);
    assert_true(has(&l, "このアカウントは現在使用できません（無効化または退職済み）。"));
    assert_false(has(&l, "Set-Cookie: jz_s="));
    buf_free(&l.raw);
    assert_int_equal(failures("retire-a", "198.51.100.200"), 0);
    EXPECT(user("admin")->cookie, "/admin/users", 200, "在職していないため使用不可");
}

static void test_retirement_date_passes(void **state)
{
    (void)state;
    int64_t id = person_with_account("T90002", "retire-b");
    Errors e = {0};
    char today[11];
    iso_plus(0, today);
    assert_int_equal(staff_deactivate(db, &ACTOR_CLI, id, today, &e), 0);
    /* On the last day, a minute before midnight: still working. */
    Date d = date_today();
    struct tm tm = {.tm_year = d.y - 1900, .tm_mon = d.m - 1, .tm_mday = d.d, .tm_hour = 23, .tm_min = 58, .tm_isdst = -1};
    int64_t late = (int64_t)mktime(&tm);
    util_set_clock(late);
    Who w = {.login = "retire-b"};
    login(&w);
    EXPECT(w.cookie, "/", 200, "試験　太郎");
    /* Three minutes later it is the next day: the same session ends. */
    util_set_clock(late + 180);
    Res r = req("GET", "/", w.cookie, NULL);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(attempt("198.51.100.201", "retire-b", PW), 403);
    util_set_clock(0);
    /* A clock moved by days (util_clock_set_today) gives the same answer. */
    char later[11];
    iso_plus(5, later);
    assert_int_equal(util_clock_set_today(later), 0);
    assert_int_equal(attempt("198.51.100.201", "retire-b", PW), 403);
    assert_int_equal(util_clock_set_today(HARNESS_TODAY), 0);
    /* Sessions are timed by the clock: the users log in again. */
    for (size_t i = 0; i < COUNTOF(users); i++) login(&users[i]);
}

/* ---- the admin screens' writes ---- */

static void test_admin_writes_report_failures(void **state)
{
    (void)state;
    Who *admin = user("admin");
    int64_t id = db_int(db, 0, "SELECT id FROM account WHERE login = 'jinji'");
    int roles = (int)db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id);
    int before = count("SELECT COUNT(*) FROM audit_log");
    /* Validation: no role chosen. */
    Res r = req("POST", fmt("/admin/users/%lld", (long long)id), admin->cookie, fmt("csrf=%s&op=update", admin->csrf));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "権限を選んでください。"));
    assert_false(has(&r, "保存しました"));
    buf_free(&r.raw);
    /* The database refuses the write: shown as a failure, nothing stored. */
    assert_int_equal(refuse_begin("refuse_roles", "BEFORE UPDATE OF roles ON account"), 0);
    r = req("POST", fmt("/admin/users/%lld", (long long)id), admin->cookie, fmt("csrf=%s&op=update&role=staff&role=dx", admin->csrf));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "保存できませんでした。"));
    assert_false(has(&r, "Location:"));
    buf_free(&r.raw);
    refuse_end("refuse_roles", "account");
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), roles);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), before);
    /* A role change and a password reset in one go, one transaction. */
    Who j = {.login = "jinji"};
    login(&j);
    r = req("POST", fmt("/admin/users/%lld", (long long)id), admin->cookie,
            fmt("csrf=%s&op=update&role=staff&role=hr&role=dx&password=another-password-99", admin->csrf));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), ROLE_STAFF | ROLE_HR | ROLE_DX);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM session WHERE account_id = ?", id), 0);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'account.roles' AND entity_id = ?", id));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'account.password' AND entity_id = ?", id));
    EXPECT(j.cookie, "/staff", 303, "Location: /login");
    Errors e = {0};
    assert_int_equal(account_set_password(db, &ACTOR_CLI, "jinji", PW, &e), 0);
    assert_int_equal(account_update(db, &ACTOR_CLI, id, (unsigned)roles, NULL, &e), 0);
    login(user("jinji"));
    /* Revoking a session that is gone says so. */
    EXPECT_POST(admin->cookie, "/admin/sessions/999999/revoke", fmt("csrf=%s", admin->csrf), 422, "そのセッションは既に終了しています。");
    /* Settings: a failing write is a failure, not 保存しました. */
    assert_int_equal(refuse_begin("refuse_setting", "BEFORE UPDATE ON setting"), 0);
    r = req("POST", "/admin/settings", admin->cookie, fmt("csrf=%s&nendo=2027&city=%%E5%%9B%%BD%%E6%%9D%%B1%%E5%%B8%%82", admin->csrf));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "保存できませんでした。"));
    buf_free(&r.raw);
    refuse_end("refuse_setting", "setting");
    assert_int_equal(db_int(db, 0, "SELECT value FROM setting WHERE key = 'current_nendo'"), 2026);
}

static void test_login_failure_when_session_cannot_be_stored(void **state)
{
    (void)state;
    int logins = audits("auth.login");
    assert_int_equal(refuse_begin("refuse_session", "BEFORE INSERT ON session"), 0);
    Res r = login_as("198.51.100.210", NULL, "jinji", PW);
    refuse_end("refuse_session", "session");
    assert_int_equal(r.status, 500);
    assert_true(has(&r, "ログイン処理に失敗しました。"));
    assert_false(has(&r, "Set-Cookie: jz_s="));
    buf_free(&r.raw);
    assert_int_equal(audits("auth.login"), logins);
    /* Logout is one transaction with its audit row. */
    Who w = {.login = "jinji"};
    login(&w);
    int outs = audits("auth.logout");
    Res o = req("POST", "/logout", w.cookie, fmt("csrf=%s", w.csrf));
    assert_int_equal(o.status, 303);
    buf_free(&o.raw);
    assert_int_equal(audits("auth.logout"), outs + 1);
    EXPECT(w.cookie, "/staff", 303, "Location: /login");
}

/* Last: retires everyone the file does not list. */
static void test_retired_by_roster_import(void **state)
{
    (void)state;
    person_with_account("T90003", "retire-c");
    Who w = {.login = "retire-c"};
    login(&w);
    Errors e = {0};
    /* An account with no staff record is unaffected. */
    assert_int_equal(account_create(db, &ACTOR_CLI, "operator", NULL, ROLE_ADMIN, PW, &e), 0);
    Who op = {.login = "operator"};
    login(&op);
    Arena a = ARENA_INIT;
    int64_t kept = user("jinji")->staff_id;
    const char *csv = fmt("職員番号,漢字氏名,カナ氏名,所属コード,職位,職種,職員区分,異動年月日,採用日\r\n%s,%s,,%s,,,,,\r\n",
                          db_text(db, &a, "SELECT staff_no FROM staff WHERE id = ?", kept),
                          db_text(db, &a, "SELECT name FROM staff WHERE id = ?", kept),
                          db_text(db, &a, "SELECT u.code FROM assignment x JOIN org_unit u ON u.id = x.unit_id WHERE x.staff_id = ?"
                                          " AND x.is_primary = 1 ORDER BY x.from_date DESC LIMIT 1", kept));
    RosterPlan plan = {0};
    RosterProfile prof;
    roster_profile_default(&prof);
    char today[11];
    iso_plus(0, today);
    assert_int_equal(roster_plan(db, &a, csv, strlen(csv), &prof, today, &plan, &e), 0);
    int written = 0;
    assert_int_equal(roster_apply(db, &ACTOR_CLI, &plan, true, &written, &e), 0);
    assert_true(written > 1);
    Res r = req("GET", "/", w.cookie, NULL);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(attempt("198.51.100.220", "retire-c", PW), 403);
    EXPECT(user("jinji")->cookie, "/", 200, "");
    EXPECT(op.cookie, "/admin/users", 200, "operator");
    assert_int_equal(attempt("198.51.100.220", "operator", PW), 303);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proxy_parsing),
        cmocka_unit_test(test_client_address_in_failures_and_audit),
        cmocka_unit_test(test_made_up_name_locks_nobody_out),
        cmocka_unit_test(test_delays_grow),
        cmocka_unit_test(test_account_lock_cannot_keep_admin_out),
        cmocka_unit_test(test_admin_unlocks),
        cmocka_unit_test(test_retired_on_staff_screen),
        cmocka_unit_test(test_retirement_date_passes),
        cmocka_unit_test(test_admin_writes_report_failures),
        cmocka_unit_test(test_login_failure_when_session_cannot_be_stored),
        cmocka_unit_test(test_retired_by_roster_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
