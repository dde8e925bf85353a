/* test_cov_auth.c - the account rules behind the users page and the CLI:
 * role lists in either language, the password policy, refusals of bad or
 * duplicate logins, a login that is right but not usable (disabled, retired
 * on 3/31), the pair delay and the account lock, an administrator's unlock,
 * roles and password resets ending sessions, and who a 所属長 may see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/account.h"
#include "db/audit.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/scope.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/errors.h"
#include "core/util.h"
#include "db/db.h"
#include "http/http.h"
#include "http/kv.h"
#include "../tmpdb.h"

#define PW "good-password-123"

static char path[64];
static Db *db;
static int64_t T; /* the pinned clock */
static int64_t bu, ka, kakari, other_ka, s_in, s_out, s_retiring;
static const Actor ADMIN = {0, "admin-test", "10.0.0.1"};

static int64_t add_unit(const char *code, int level, int64_t parent)
{
    Stmt *st = db_query(db, "INSERT INTO org_unit (code, name, level, parent_id, valid_from) VALUES (?, ?, ?, ?, '2000-04-01') RETURNING id",
                        code, code, level, DB_ID_OR_NULL(parent));
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

static int64_t add_staff(const char *no, int64_t unit, const char *to_date)
{
    Stmt *st = db_query(db,
                        "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at) VALUES (?, ?, 'regular', '2026-01-01', '2026-01-01')"
                        " RETURNING id",
                        no, no);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date, to_date) VALUES (?, ?, 1, '2020-04-01', ?)", id, unit, to_date);
    return id;
}

static int setup(void **state)
{
    (void)state;
    if (password_init() != 0) return -1;
    password_use_test_cost();
    db = tmpdb_open(path, sizeof path, "cov-auth");
    if (!db) return -1;
    util_clock_set_today("2026-11-16");
    T = now_unix();
    util_set_clock(T);
    bu = add_unit("B", 2, 0);
    ka = add_unit("BK", 3, bu);
    kakari = add_unit("BKK", 4, ka);
    other_ka = add_unit("OK", 3, bu);
    s_in = add_staff("S001", kakari, NULL);
    s_out = add_staff("S002", other_ka, NULL);
    s_retiring = add_staff("S003", kakari, "2027-03-31");
    return s_in && s_out && s_retiring ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    util_set_clock(0);
    util_clock_set_today(NULL);
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static int64_t account_id(const char *login) { return db_int(db, 0, "SELECT id FROM account WHERE login = ?", login); }

static int audits(const char *action) { return (int)db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action); }

static void test_roles_parse_and_names(void **state)
{
    (void)state;
    assert_int_equal(roles_parse("staff"), ROLE_STAFF);
    assert_int_equal(roles_parse("職員,所属長"), ROLE_STAFF | ROLE_MANAGER);
    assert_int_equal(roles_parse("人事、管理者"), ROLE_HR | ROLE_ADMIN);
    assert_int_equal(roles_parse("DX推進 admin"), ROLE_DX | ROLE_ADMIN);
    assert_int_equal(roles_parse("manager,hr,dx"), ROLE_MANAGER | ROLE_HR | ROLE_DX);
    assert_int_equal(roles_parse("staff,"), ROLE_STAFF); /* a trailing comma names nothing more */
    /* one unknown name and the whole list is refused */
    assert_int_equal(roles_parse("staff,boss"), 0);
    assert_int_equal(roles_parse("職"), 0);
    assert_int_equal(roles_parse(""), 0);
    assert_int_equal(roles_parse(NULL), 0);
    Arena a = ARENA_INIT;
    assert_string_equal(roles_names(&a, ROLE_STAFF | ROLE_MANAGER), "職員・所属長");
    assert_string_equal(roles_names(&a, ROLE_ALL), "職員・所属長・人事・DX推進・管理者");
    assert_string_equal(roles_names(&a, 0), "");
    arena_free(&a);
}

static void test_password_policy(void **state)
{
    (void)state;
    assert_non_null(password_policy("x", NULL));
    assert_non_null(strstr(password_policy("x", "elevenchars"), "12文字"));
    assert_null(password_policy("x", "twelve-chars"));
    /* characters, not bytes: twelve kana are enough */
    assert_null(password_policy("x", "あいうえおかきくけこさし"));
    assert_non_null(strstr(password_policy("x", "あいうえおかき"), "12文字"));
    char longpw[300];
    memset(longpw, 'a', 257);
    longpw[257] = '\0';
    assert_non_null(strstr(password_policy("x", longpw), "256バイト"));
    longpw[256] = '\0';
    assert_null(password_policy("x", longpw));
    assert_non_null(strstr(password_policy("yamada-taro-1", "yamada-taro-1"), "ログイン名"));
    assert_null(password_policy(NULL, "yamada-taro-1"));
}

static void test_create_refusals(void **state)
{
    (void)state;
    Errors e = {0};
    int before = (int)db_int(db, 0, "SELECT COUNT(*) FROM account");
    /* everything wrong at once: each field named */
    assert_int_equal(account_create(db, &ADMIN, "A", NULL, 0, "short", &e), -1);
    assert_non_null(err_for(&e, "login"));
    assert_non_null(err_for(&e, "password"));
    assert_non_null(err_for(&e, "roles"));
    char longlogin[40];
    memset(longlogin, 'a', 33);
    longlogin[33] = '\0';
    e = (Errors){0};
    assert_int_equal(account_create(db, &ADMIN, longlogin, NULL, ROLE_STAFF, PW, &e), -1);
    assert_non_null(err_for(&e, "login"));
    e = (Errors){0};
    assert_int_equal(account_create(db, &ADMIN, "yamada taro", NULL, ROLE_STAFF, PW, &e), -1);
    assert_non_null(err_for(&e, "login"));
    /* a 職員番号 nobody has */
    e = (Errors){0};
    assert_int_equal(account_create(db, &ADMIN, "nobody", "X999", ROLE_STAFF, PW, &e), -1);
    assert_string_equal(err_for(&e, "staff_no"), "その職員番号の職員はいません。");
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM account"), before);
    /* made, linked to the person; the same login again is refused */
    e = (Errors){0};
    assert_int_equal(account_create(db, &ADMIN, "s001", "S001", ROLE_STAFF, PW, &e), 0);
    assert_int_equal(db_int(db, 0, "SELECT staff_id FROM account WHERE login = 's001'"), s_in);
    assert_int_equal(db_int(db, 0, "SELECT subject_staff_id FROM audit_log WHERE action = 'account.create' ORDER BY id DESC LIMIT 1"), s_in);
    e = (Errors){0};
    assert_int_equal(account_create(db, &ADMIN, "s001", NULL, ROLE_HR, PW, &e), -1);
    assert_string_equal(err_for(&e, "login"), "このログイン名は既に使われています。");
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE login = 's001'"), ROLE_STAFF);
}

static void test_login_outcomes(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(account_create(db, &ADMIN, "mgr", "S003", ROLE_MANAGER, PW, &e), 0);
    assert_int_equal(account_create(db, &ADMIN, "gone", NULL, ROLE_STAFF, PW, &e), 0);
    assert_int_equal(account_disable(db, &ADMIN, "gone", &e), 0);
    int64_t id = 0;
    int wait = 0;
    assert_int_equal(account_login(db, "mgr", PW, "10.1.1.1", &id, &wait), LOGIN_OK);
    assert_int_equal(id, account_id("mgr"));
    /* a disabled account: the right password is not enough */
    assert_int_equal(account_login(db, "gone", PW, "10.1.1.1", &id, &wait), LOGIN_INACTIVE);
    /* a login nobody has costs a failure like any other */
    int fails = (int)db_int(db, 0, "SELECT COUNT(*) FROM login_failure");
    assert_int_equal(account_login(db, "ghost", PW, "10.1.1.2", &id, &wait), LOGIN_BAD);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM login_failure"), fails + 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' AND summary = 'ghost' AND ip = '10.1.1.2'"), 1);
    /* the last day in service (3/31) works; 4/1 it does not */
    util_clock_set_today("2027-03-31");
    util_set_clock(0);
    assert_int_equal(account_login(db, "mgr", PW, "10.1.1.1", &id, &wait), LOGIN_OK);
    util_clock_set_today("2027-04-01");
    assert_int_equal(account_login(db, "mgr", PW, "10.1.1.1", &id, &wait), LOGIN_INACTIVE);
    Arena a = ARENA_INIT;
    Account acc;
    assert_true(account_get(db, &a, account_id("mgr"), &acc));
    assert_false(acc.in_service);
    assert_true(acc.active);
    assert_false(account_get(db, &a, 999999, &acc));
    arena_free(&a);
    util_clock_set_today("2026-11-16");
    util_set_clock(T);
}

static void test_pair_delay_and_account_lock(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(account_create(db, &ADMIN, "target", NULL, ROLE_HR, PW, &e), 0);
    int64_t id = 0;
    int wait = 0;
    bool locked;
    /* two free failures, the third starts a 30 s wait for that address only */
    for (int i = 0; i < 3; i++) assert_int_equal(account_login(db, "target", "wrong-password-1", "10.2.0.1", &id, &wait), LOGIN_BAD);
    assert_int_equal(throttle_wait(db, "target", "10.2.0.1", &locked), THROTTLE_FIRST);
    assert_false(locked);
    assert_int_equal(throttle_wait(db, "target", "10.2.0.2", &locked), 0);
    assert_int_equal(account_login(db, "target", PW, "10.2.0.1", &id, &wait), LOGIN_LOCKED);
    assert_int_equal(wait, THROTTLE_FIRST);
    /* the fourth failure doubles it */
    util_set_clock(T + THROTTLE_FIRST);
    assert_int_equal(account_login(db, "target", "wrong-password-1", "10.2.0.1", &id, &wait), LOGIN_BAD);
    assert_int_equal(throttle_wait(db, "target", "10.2.0.1", &locked), 2 * THROTTLE_FIRST);
    /* many failures from many addresses: the account is locked for them */
    for (int i = 0; i < THROTTLE_LOCK_FAILS; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "10.3.0.%d", i);
        throttle_fail(db, "target", ip);
    }
    assert_true(throttle_locked_until(db, "target") > now_unix());
    assert_int_equal(account_login(db, "target", PW, "10.3.0.1", &id, &wait), LOGIN_ACCOUNT_LOCKED);
    assert_true(wait > 0 && wait <= THROTTLE_LOCK_WINDOW);
    /* an address that never failed may still log in, and that lifts the lock */
    int unlocks = audits("auth.unlock");
    assert_int_equal(account_login(db, "target", PW, "10.9.9.9", &id, &wait), LOGIN_OK);
    assert_int_equal(audits("auth.unlock"), unlocks + 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM login_failure WHERE login = 'target'"), 0);
    assert_int_equal(throttle_locked_until(db, "target"), 0);
    util_set_clock(T);
}

static void test_admin_unlock(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(account_create(db, &ADMIN, "locked", NULL, ROLE_DX, PW, &e), 0);
    int64_t id = account_id("locked");
    /* not locked: refused with a reason */
    assert_int_equal(throttle_unlock(db, &ADMIN, id, &e), -1);
    assert_string_equal(e.items[0].msg, "このアカウントはロックされていません。");
    e = (Errors){0};
    assert_int_equal(throttle_unlock(db, &ADMIN, 999999, &e), -1);
    assert_string_equal(e.items[0].msg, "そのアカウントはありません。");
    for (int i = 0; i < 4; i++) throttle_fail(db, "locked", "10.4.0.1");
    Arena a = ARENA_INIT;
    Account *all;
    int n = account_list(db, &a, &all);
    assert_true(n > 0);
    e = (Errors){0};
    assert_int_equal(throttle_unlock(db, &ADMIN, id, &e), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM login_failure WHERE login = 'locked'"), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.unlock' AND entity_id = ? AND actor = 'admin-test'", id), 1);
    bool locked;
    assert_int_equal(throttle_wait(db, "locked", "10.4.0.1", &locked), 0);
    arena_free(&a);
}

static int64_t add_session(int64_t account, const char *token, int64_t created, int64_t seen)
{
    char hash[65];
    sha256_hex(token, strlen(token), hash);
    Stmt *st = db_query(db, "INSERT INTO session (token_hash, account_id, csrf, created_at, last_seen, ip) VALUES (?, ?, 'c', ?, ?, '10.5.0.1') RETURNING id",
                        hash, account, created, seen);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

static void test_update_roles_and_passwords(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(account_create(db, &ADMIN, "editme", NULL, ROLE_STAFF, PW, &e), 0);
    int64_t id = account_id("editme");
    int64_t keep = add_session(id, "tok-keep", T, T), drop = add_session(id, "tok-drop", T, T);
    /* refusals: no account, no roles, a weak new password */
    assert_int_equal(account_update(db, &ADMIN, 999999, ROLE_STAFF, "", &e), -1);
    assert_string_equal(e.items[0].msg, "そのアカウントはありません。");
    e = (Errors){0};
    assert_int_equal(account_update(db, &ADMIN, id, 0, "", &e), -1);
    assert_non_null(err_for(&e, "roles"));
    e = (Errors){0};
    assert_int_equal(account_update(db, &ADMIN, id, ROLE_HR, "short", &e), -1);
    assert_non_null(err_for(&e, "password"));
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), ROLE_STAFF);
    /* the same roles and no password: nothing to record */
    int roles_audits = audits("account.roles");
    e = (Errors){0};
    assert_int_equal(account_update(db, &ADMIN, id, ROLE_STAFF, "", &e), 0);
    assert_int_equal(audits("account.roles"), roles_audits);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM session WHERE account_id = ?", id), 2);
    /* the user's own change keeps the session they are in */
    assert_int_equal(account_change_password(db, &ADMIN, id, keep, "another-password-9", &e), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM session WHERE id = ?", keep), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM session WHERE id = ?", drop), 0);
    assert_int_equal(account_change_password(db, &ADMIN, 999999, 0, "another-password-9", &e), -1);
    e = (Errors){0};
    assert_int_equal(account_change_password(db, &ADMIN, id, keep, "editme", &e), -1);
    assert_non_null(err_for(&e, "password"));
    /* new roles with a reset: recorded, and every session ends */
    e = (Errors){0};
    assert_int_equal(account_update(db, &ADMIN, id, ROLE_HR | ROLE_STAFF, "reset-password-77", &e), 0);
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), ROLE_HR | ROLE_STAFF);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM session WHERE account_id = ?", id), 0);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT summary FROM audit_log WHERE action = 'account.roles' ORDER BY id DESC LIMIT 1"),
                        "editme 職員 → 職員・人事");
    arena_free(&a);
    int64_t wid = 0;
    int wait;
    assert_int_equal(account_login(db, "editme", "reset-password-77", "10.6.0.1", &wid, &wait), LOGIN_OK);
    /* set_password and set_roles by login (the CLI) for a login nobody has */
    e = (Errors){0};
    assert_int_equal(account_set_password(db, &ACTOR_CLI, "nobody-here", "reset-password-77", &e), -1);
    assert_string_equal(err_for(&e, "login"), "そのアカウントはありません。");
    e = (Errors){0};
    assert_int_equal(account_set_password(db, &ACTOR_CLI, "editme", "tiny", &e), -1);
    e = (Errors){0};
    assert_int_equal(account_set_roles(db, &ACTOR_CLI, "editme", 0, &e), -1);
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), ROLE_HR | ROLE_STAFF);
}

static void test_sessions_list_and_revoke(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(account_create(db, &ADMIN, "sess", NULL, ROLE_STAFF, PW, &e), 0);
    int64_t id = account_id("sess");
    int64_t live = add_session(id, "tok-live", T - 100, T - 10);
    add_session(id, "tok-idle", T - 2 * SESSION_IDLE, T - SESSION_IDLE - 1); /* idle too long */
    add_session(id, "tok-old", T - SESSION_MAX - 1, T - 5);                  /* too old */
    Arena a = ARENA_INIT;
    LoginSession *rows;
    int n = session_logins(db, &a, &rows);
    int mine = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].login, "sess") == 0) {
            mine++;
            assert_int_equal(rows[i].id, live);
            assert_string_equal(rows[i].ip, "10.5.0.1");
        }
    assert_int_equal(mine, 1);
    Account acc;
    assert_true(account_get(db, &a, id, &acc));
    assert_int_equal(acc.sessions, 3);
    assert_int_equal(session_revoke(db, &ADMIN, live, &e), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.revoke' AND entity_id = ?", live), 1);
    assert_int_equal(session_revoke(db, &ADMIN, live, &e), -1);
    assert_string_equal(e.items[0].msg, "そのセッションは既に終了しています。");
    arena_free(&a);
}

static void test_audit_filters(void **state)
{
    (void)state;
    const Actor kacho = {0, "kacho-audit", "10.7.0.1"};
    assert_int_equal(audit_write(db, &kacho, "staff.update", "staff", s_in, s_in, "係長に昇任"), 0);
    assert_int_equal(audit_write(db, &kacho, "staff.update", "staff", s_out, s_out, NULL), 0);
    Arena a = ARENA_INIT;
    AuditRow *rows;
    int total;
    AuditFilter f = {.actor = "kacho-audit"};
    assert_int_equal(audit_list(db, &a, &f, &rows, &total), 2);
    assert_int_equal(total, 2);
    assert_string_equal(rows[0].summary, ""); /* newest first; NULL summary stored empty */
    assert_string_equal(rows[1].subject_name, "S001");
    f = (AuditFilter){.actor = "kacho-audit", .subject_staff_id = s_in};
    assert_int_equal(audit_list(db, &a, &f, &rows, &total), 1);
    assert_string_equal(rows[0].summary, "係長に昇任");
    /* a day range: to includes its whole day */
    f = (AuditFilter){.actor = "kacho-audit", .from = "2026-11-16", .to = "2026-11-16"};
    assert_int_equal(audit_list(db, &a, &f, &rows, &total), 2);
    f = (AuditFilter){.actor = "kacho-audit", .to = "2026-11-15"};
    assert_int_equal(audit_list(db, &a, &f, &rows, &total), 0);
    f = (AuditFilter){.actor = "kacho-audit", .from = "2026-11-17"};
    assert_int_equal(audit_list(db, &a, &f, &rows, &total), 0);
    /* paging: one per page, the total still counts all */
    f = (AuditFilter){.action = "staff.update", .limit = 1, .offset = 1};
    assert_int_equal(audit_list(db, &a, &f, &rows, &total), 1);
    assert_int_equal(total, 2);
    assert_int_equal(rows[0].entity_id, s_in);
    arena_free(&a);
}

static void test_scope(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Req r = {.a = &a, .db = db};
    assert_false(scope_org_wide(NULL));
    assert_false(scope_staff(r.db, r.user, s_in)); /* nobody logged in */
    /* a 所属長 of 課 BK sees the 係 below and its people, not the other 課 */
    User m = {.roles = ROLE_MANAGER | ROLE_STAFF, .staff_id = 999999, .unit_id = ka};
    r.user = &m;
    assert_false(scope_org_wide(&m));
    assert_int_equal(scope_root(r.user), ka);
    assert_true(scope_unit(r.db, r.user, kakari));
    assert_true(scope_unit(r.db, r.user, ka));
    assert_false(scope_unit(r.db, r.user, other_ka));
    assert_true(scope_staff(r.db, r.user, s_in));
    assert_false(scope_staff(r.db, r.user, s_out));
    /* in the 課 through 3/31; on 4/1 (assignment ended) out of sight */
    util_clock_set_today("2027-03-31");
    util_set_clock(0);
    assert_true(scope_staff(r.db, r.user, s_retiring));
    util_clock_set_today("2027-04-01");
    assert_false(scope_staff(r.db, r.user, s_retiring));
    assert_true(scope_staff(r.db, r.user, s_in));
    util_clock_set_today("2026-11-16");
    util_set_clock(T);
    /* a 所属長 with no unit sees nobody but themselves */
    User lost = {.roles = ROLE_MANAGER, .staff_id = s_out, .unit_id = 0};
    r.user = &lost;
    assert_int_equal(scope_root(r.user), -1);
    assert_false(scope_staff(r.db, r.user, s_in));
    assert_true(scope_staff(r.db, r.user, s_out));
    /* a plain 職員: themselves only, no unit pages */
    User st = {.roles = ROLE_STAFF, .staff_id = s_in, .unit_id = kakari};
    r.user = &st;
    assert_false(scope_unit(r.db, r.user, kakari));
    assert_false(scope_staff(r.db, r.user, s_out));
    /* 人事 sees everyone */
    User hr = {.roles = ROLE_HR, .staff_id = s_in};
    r.user = &hr;
    assert_int_equal(scope_root(r.user), 0);
    assert_true(scope_unit(r.db, r.user, other_ka));
    assert_true(scope_staff(r.db, r.user, s_out));
    arena_free(&a);
}

/* Makes the database refuse every write, or take them again: on SQLite
 * query_only (as a read-only volume), on PostgreSQL read-only transactions
 * (as a hot standby). */
static int read_only(bool on)
{
    if (db_dialect(db) == DB_SQLITE) return db_exec_script(db, on ? "PRAGMA query_only = 1;" : "PRAGMA query_only = 0;");
    return db_exec_script(db, on ? "SET default_transaction_read_only = on;" : "SET default_transaction_read_only = off;");
}

/* The refusal of a read-only database: SQLite refuses the transaction
 * itself ("busy"); PostgreSQL opens it and refuses the first write. */
static void assert_refused(const Errors *e)
{
    assert_true(e->n > 0);
    if (db_dialect(db) == DB_SQLITE) assert_string_equal(e->items[0].msg, "データベースが混み合っています。");
}

/* A database that refuses every write (a read-only volume): each change
 * says so and stores nothing; a login attempt reports an error rather than
 * a wrong password. */
static void test_database_refuses_writes(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(account_create(db, &ADMIN, "ro-user", NULL, ROLE_STAFF, PW, &e), 0);
    int64_t id = account_id("ro-user");
    int64_t sess = add_session(id, "tok-ro", T, T);
    throttle_fail(db, "ro-user", "10.8.0.1");
    int64_t accounts = db_int(db, 0, "SELECT COUNT(*) FROM account"), logs = db_int(db, 0, "SELECT COUNT(*) FROM audit_log");
    assert_int_equal(read_only(true), 0);
    e = (Errors){0};
    assert_int_equal(account_create(db, &ADMIN, "ro-new", NULL, ROLE_STAFF, PW, &e), -1);
    assert_refused(&e);
    e = (Errors){0};
    assert_int_equal(account_set_roles(db, &ADMIN, "ro-user", ROLE_HR, &e), -1);
    assert_refused(&e);
    e = (Errors){0};
    assert_int_equal(account_disable(db, &ADMIN, "ro-user", &e), -1);
    assert_refused(&e);
    e = (Errors){0};
    assert_int_equal(account_set_password(db, &ADMIN, "ro-user", "another-password-5", &e), -1);
    e = (Errors){0};
    assert_int_equal(account_update(db, &ADMIN, id, ROLE_HR, "", &e), -1);
    e = (Errors){0};
    assert_int_equal(session_revoke(db, &ADMIN, sess, &e), -1);
    e = (Errors){0};
    assert_int_equal(throttle_unlock(db, &ADMIN, id, &e), -1);
    int64_t wid = 0;
    int wait = 0;
    assert_int_equal(account_login(db, "ro-user", "wrong-password-1", "10.8.0.2", &wid, &wait), LOGIN_ERROR);
    /* right password, but the failure on record cannot be cleared */
    assert_int_equal(account_login(db, "ro-user", PW, "10.8.0.2", &wid, &wait), LOGIN_ERROR);
    assert_int_equal(read_only(false), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM account"), accounts);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log"), logs);
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), ROLE_STAFF);
    assert_int_equal(db_int(db, 0, "SELECT active FROM account WHERE id = ?", id), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM session WHERE id = ?", sess), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM login_failure WHERE login = 'ro-user'"), 1);
}

/* The audit row is written with the change: when it cannot be, the change
 * is rolled back too. */
static void test_audit_refused_rolls_back_the_change(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(account_create(db, &ADMIN, "au-user", NULL, ROLE_STAFF, PW, &e), 0);
    int64_t id = account_id("au-user");
    int64_t sess = add_session(id, "tok-au", T, T);
    Arena a = ARENA_INIT;
    char *hash = db_text(db, &a, "SELECT pw_hash FROM account WHERE id = ?", id);
    if (db_dialect(db) == DB_SQLITE)
        assert_int_equal(db_exec_script(db, "CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END;"), 0);
    else
        assert_int_equal(db_exec_script(db, "CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                                            " RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = 'audit refused'; END $$;"
                                            " CREATE TRIGGER no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION no_audit();"),
                         0);
    e = (Errors){0};
    assert_int_equal(account_create(db, &ADMIN, "au-new", NULL, ROLE_STAFF, PW, &e), -1);
    assert_string_equal(e.items[0].msg, "保存できませんでした。もう一度お試しください。");
    assert_int_equal(account_id("au-new"), 0);
    e = (Errors){0};
    assert_int_equal(account_set_roles(db, &ADMIN, "au-user", ROLE_HR, &e), -1);
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), ROLE_STAFF);
    e = (Errors){0};
    assert_int_equal(account_disable(db, &ADMIN, "au-user", &e), -1);
    assert_int_equal(db_int(db, 0, "SELECT active FROM account WHERE id = ?", id), 1);
    e = (Errors){0};
    assert_int_equal(account_update(db, &ADMIN, id, ROLE_DX, "reset-password-88", &e), -1);
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), ROLE_STAFF);
    assert_string_equal(db_text(db, &a, "SELECT pw_hash FROM account WHERE id = ?", id), hash);
    e = (Errors){0};
    assert_int_equal(session_revoke(db, &ADMIN, sess, &e), -1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM session WHERE id = ?", sess), 1);
    assert_int_equal(db_exec_script(db, db_dialect(db) == DB_SQLITE ? "DROP TRIGGER no_audit;" : "DROP TRIGGER no_audit ON audit_log; DROP FUNCTION no_audit();"), 0);
    arena_free(&a);
}

static Req make_req(Arena *a, const char *host)
{
    Req r = {.a = a, .db = db, .ip = "10.9.0.1", .method = "POST", .path = "/"};
    if (host) kv_add(&r.headers, a, "Host", host);
    return r;
}

/* The router's call of the CSRF check: the values it passes in. */
static bool csrf_of(Req *r)
{
    return csrf_ok(kv_get(&r->form, "csrf"), r->user ? r->user->csrf : kv_get(&r->cookies, PRE_COOKIE), kv_get_ci(&r->headers, "Host"),
                   kv_get_ci(&r->headers, "Origin"), kv_get_ci(&r->headers, "Referer"));
}

/* The CSRF check on every POST: the token, then the page it came from. */
static void test_csrf_and_origin(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    char tok[65], other[65];
    random_hex(tok, 32);
    random_hex(other, 32);
    struct {
        const char *host, *header, *value, *sent;
        bool ok;
    } cases[] = {
        {"jinzai.city.example", NULL, NULL, tok, true},                          /* old client: neither header */
        {"jinzai.city.example", "Origin", "https://jinzai.city.example", tok, true},
        {"jinzai.city.example", "Referer", "https://jinzai.city.example/staff/3", tok, true},
        {"jinzai.city.example", "Origin", "https://evil.example", tok, false},
        {"jinzai.city.example", "Origin", "https://jinzai.city.example.evil", tok, false},
        {"jinzai.city.example", "Referer", "https://jinzai.city.examplex/", tok, false},
        {"jinzai.city.example", "Origin", "null", tok, false},
        {NULL, "Origin", "https://jinzai.city.example", tok, false},            /* no Host to compare */
        {"jinzai.city.example", NULL, NULL, other, false},                      /* another token */
        {"jinzai.city.example", NULL, NULL, "abc", false},                      /* a short one */
        {"jinzai.city.example", NULL, NULL, NULL, false},                       /* none */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Req r = make_req(&a, cases[i].host);
        kv_add(&r.cookies, &a, PRE_COOKIE, tok);
        if (cases[i].header) kv_add(&r.headers, &a, cases[i].header, cases[i].value);
        if (cases[i].sent) kv_add(&r.form, &a, "csrf", cases[i].sent);
        if (csrf_of(&r) != cases[i].ok) fail_msg("case %zu: expected %d", i, cases[i].ok);
    }
    /* a logged-in user's token is the session's, not the login form's */
    Req r = make_req(&a, "jinzai.city.example");
    User u = {.csrf = other};
    r.user = &u;
    kv_add(&r.cookies, &a, PRE_COOKIE, tok);
    kv_add(&r.form, &a, "csrf", tok);
    assert_false(csrf_of(&r));
    /* a pre-session token shorter than 32 is never accepted */
    r = make_req(&a, "jinzai.city.example");
    kv_add(&r.cookies, &a, PRE_COOKIE, "short-token");
    kv_add(&r.form, &a, "csrf", "short-token");
    assert_false(csrf_of(&r));
    arena_free(&a);
}

static void test_session_cookie_lifecycle(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(account_create(db, &ADMIN, "cookie", "S002", ROLE_STAFF, PW, &e), 0);
    int64_t id = account_id("cookie");
    Arena a = ARENA_INIT;
    /* the login form gets a pre-session token once */
    const char *pre = session_pre_token(&a, NULL);
    assert_non_null(pre);
    assert_int_equal(strlen(pre), 64);
    assert_null(session_pre_token(&a, pre));
    assert_non_null(session_pre_token(&a, "short"));
    /* a session started: audited, the old one ended */
    int64_t old = add_session(id, "tok-old-cookie", T, T);
    const char *token = session_start(db, &a, old, id, "cookie", "10.9.0.1", "UA");
    assert_non_null(token);
    assert_int_equal(strlen(token), 64);
    char old_hash[65];
    sha256_hex("tok-old-cookie", strlen("tok-old-cookie"), old_hash);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM session WHERE token_hash = ?", old_hash), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM session WHERE account_id = ?", id), 1);
    /* its cookie over https is Secure; a cleared one ends at once */
    const char *set = session_cookie(&a, SESSION_COOKIE, token, true);
    assert_non_null(strstr(set, SESSION_COOKIE "="));
    assert_non_null(strstr(set, "; Secure"));
    assert_null(strstr(session_cookie(&a, SESSION_COOKIE, token, false), "Secure"));
    assert_non_null(strstr(session_cookie(&a, SESSION_COOKIE, "", false), SESSION_COOKIE "=;"));
    assert_non_null(strstr(session_cookie(&a, SESSION_COOKIE, "", false), "Max-Age=0"));
    /* the token loads the user, their unit today, and touches last_seen */
    util_set_clock(T + 120);
    User *u = session_load(db, &a, token);
    assert_non_null(u);
    assert_int_equal(u->account_id, id);
    assert_int_equal(u->staff_id, s_out);
    assert_int_equal(u->unit_id, other_ka);
    assert_string_equal(u->name, "S002");
    assert_int_equal(db_int(db, 0, "SELECT last_seen FROM session WHERE id = ?", u->session_id), T + 120);
    /* ended: no longer loads anyone */
    assert_int_equal(session_end(db, u, "10.9.0.1"), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.logout' AND entity_id = ?", id), 1);
    assert_null(session_load(db, &a, token));
    /* a token of the wrong length is not looked up; ending nobody is fine */
    assert_null(session_load(db, &a, "abc"));
    assert_null(session_load(db, &a, NULL));
    assert_int_equal(session_end(db, NULL, "10.9.0.1"), 0);
    util_set_clock(T);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_parse_and_names),
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test(test_create_refusals),
        cmocka_unit_test(test_login_outcomes),
        cmocka_unit_test(test_pair_delay_and_account_lock),
        cmocka_unit_test(test_admin_unlock),
        cmocka_unit_test(test_update_roles_and_passwords),
        cmocka_unit_test(test_sessions_list_and_revoke),
        cmocka_unit_test(test_audit_filters),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_database_refuses_writes),
        cmocka_unit_test(test_audit_refused_rolls_back_the_change),
        cmocka_unit_test(test_csrf_and_origin),
        cmocka_unit_test(test_session_cookie_lifecycle),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
