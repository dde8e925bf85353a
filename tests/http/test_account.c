/* test_account.c - request tests of the administrator's account screens:
 * creating an account, changing its roles, resetting its password (which
 * ends its sessions) and disabling it. Each asserts what was stored and
 * audited and what the page shows, and that refused input writes nothing. */
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
#include "auth/password.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/skill.h"
#include "app/router.h"

#include "harness.h"

static Who users[] = {{.login = "admin"}, {.login = "shokuin"}};
HARNESS_SETUP("account", users)

static int audits(void) { return count("SELECT COUNT(*) FROM audit_log"); }

static int64_t sessions(int64_t id) { return db_int(db, -1, "SELECT COUNT(*) FROM session WHERE account_id = ?", id); }

static int64_t account_id(const char *login_name) { return db_int(db, 0, "SELECT id FROM account WHERE login = ?", login_name); }

static void test_only_admin_sees_accounts(void **state)
{
    (void)state;
    EXPECT(user("admin")->cookie, "/admin/users", 200, "アカウントを作成", "shokuin");
    Res r = req("GET", "/admin/users", user("shokuin")->cookie, NULL);
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    int before = audits();
    r = req("POST", "/admin/users", user("shokuin")->cookie, fmt("csrf=%s&login=sneaky&role=admin&password=%s", user("shokuin")->csrf, PW));
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    assert_int_equal(account_id("sneaky"), 0);
    assert_int_equal(audits(), before);
}

static void test_create_account(void **state)
{
    (void)state;
    Who *admin = user("admin");
    int before = audits();
    /* refused: a short password; the form keeps what was typed */
    EXPECT_POST(admin->cookie, "/admin/users", fmt("csrf=%s&login=yamada&role=hr&password=short", admin->csrf), 422, "12文字",
                "value=\"yamada\"");
    assert_int_equal(account_id("yamada"), 0);
    assert_int_equal(audits(), before);
    /* refused: a login that is taken */
    EXPECT_POST(admin->cookie, "/admin/users", fmt("csrf=%s&login=shokuin&role=staff&password=%s", admin->csrf, PW), 422, "value=\"shokuin\"");
    assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login = 'shokuin'"), 1);
    assert_int_equal(audits(), before);
    /* created with the roles ticked, audited once */
    EXPECT_POST(admin->cookie, "/admin/users", fmt("csrf=%s&login=yamada&role=hr&role=manager&password=%s", admin->csrf, PW), 303,
                "/admin/users?msg=created");
    assert_true(account_id("yamada") > 0);
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE login = 'yamada'"), ROLE_HR | ROLE_MANAGER);
    assert_int_equal(db_int(db, 0, "SELECT active FROM account WHERE login = 'yamada'"), 1);
    assert_true(audits() > before);
    EXPECT(admin->cookie, "/admin/users", 200, "yamada");
}

static void test_change_roles_and_reset_password(void **state)
{
    (void)state;
    Who *admin = user("admin");
    Who *staff = user("shokuin");
    int64_t id = account_id("shokuin");
    assert_true(sessions(id) > 0);
    Arena a = ARENA_INIT;
    const char *hash = db_text(db, &a, "SELECT pw_hash FROM account WHERE id = ?", id);
    int before = audits();
    /* roles only: the sessions stay, the password stays */
    EXPECT_POST(admin->cookie, fmt("/admin/users/%lld", (long long)id), fmt("csrf=%s&op=update&role=staff&role=dx", admin->csrf), 303,
                "msg=saved");
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), ROLE_STAFF | ROLE_DX);
    assert_string_equal(db_text(db, &a, "SELECT pw_hash FROM account WHERE id = ?", id), hash);
    assert_true(audits() > before);
    EXPECT(staff->cookie, "/", 200, "ログアウト");
    /* a new password: stored as a new hash, and the account's sessions end */
    before = audits();
    const char *newpw = "reset-password-5678";
    EXPECT_POST(admin->cookie, fmt("/admin/users/%lld", (long long)id),
                fmt("csrf=%s&op=update&role=staff&password=%s", admin->csrf, newpw), 303, "msg=saved");
    assert_string_not_equal(db_text(db, &a, "SELECT pw_hash FROM account WHERE id = ?", id), hash);
    assert_true(password_verify(db_text(db, &a, "SELECT pw_hash FROM account WHERE id = ?", id), newpw));
    assert_int_equal(db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id), ROLE_STAFF);
    assert_int_equal(sessions(id), 0);
    assert_true(audits() > before);
    Res r = req("GET", "/", staff->cookie, NULL);
    assert_int_equal(r.status, 303); /* logged out: to the login page */
    buf_free(&r.raw);
    /* a short new password is refused with the policy's message */
    hash = db_text(db, &a, "SELECT pw_hash FROM account WHERE id = ?", id);
    EXPECT_POST(admin->cookie, fmt("/admin/users/%lld", (long long)id), fmt("csrf=%s&op=update&role=staff&password=short", admin->csrf), 422,
                "12文字");
    assert_string_equal(db_text(db, &a, "SELECT pw_hash FROM account WHERE id = ?", id), hash);
    /* no such account */
    EXPECT_POST(admin->cookie, "/admin/users/999999", fmt("csrf=%s&op=update&role=staff", admin->csrf), 404, "ありません");
    arena_free(&a);
}

static void test_disable_account(void **state)
{
    (void)state;
    Who *admin = user("admin");
    int64_t id = account_id("yamada");
    if (!id) {
        EXPECT_POST(admin->cookie, "/admin/users", fmt("csrf=%s&login=yamada&role=hr&password=%s", admin->csrf, PW), 303, "msg=created");
        id = account_id("yamada");
    }
    int before = audits();
    EXPECT_POST(admin->cookie, fmt("/admin/users/%lld", (long long)id), fmt("csrf=%s&op=disable", admin->csrf), 303, "msg=saved");
    assert_int_equal(db_int(db, 0, "SELECT active FROM account WHERE id = ?", id), 0);
    assert_int_equal(sessions(id), 0);
    assert_true(audits() > before);
    EXPECT(admin->cookie, "/admin/users", 200, "無効");
    /* a disabled account cannot log in */
    Res pre = req("GET", "/login", NULL, NULL);
    char token[80], pre_cookie[100];
    assert_true(cookie_of(&pre, "jz_pre", token, sizeof token));
    snprintf(pre_cookie, sizeof pre_cookie, "jz_pre=%s", token);
    buf_free(&pre.raw);
    Res r = req("POST", "/login", pre_cookie, fmt("csrf=%s&login=yamada&password=%s&next=%%2F", token, PW));
    char s[80];
    assert_false(cookie_of(&r, "jz_s", s, sizeof s));
    buf_free(&r.raw);
    assert_int_equal(sessions(id), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_admin_sees_accounts),
        cmocka_unit_test(test_create_account),
        cmocka_unit_test(test_change_roles_and_reset_password),
        cmocka_unit_test(test_disable_account),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
