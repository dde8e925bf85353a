/* test_ldap.c - signing in against a directory: the test starts its own
 * slapd (mdb backend, suffix dc=example,dc=jp) on a free loopback port in a
 * temporary folder, loads three people with slapadd, and logs in through
 * the request harness. It asserts the session and audit rows stored, that
 * a wrong password counts towards throttling, that the 職員番号 attribute
 * maps a directory name to a staff member's account, that local accounts
 * keep working, and what is shown when the directory does not answer. When
 * slapd cannot start here, every test is skipped with the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auth/account.h"

#include "harness.h"

#define LDAP_PW "directory-pass-5678"

/* Text read back by the tests; kept (reachable) until the program ends. */
static Arena kept = ARENA_INIT;

static Who users[] = {{.login = "admin"}};
static char dir[64], skip_reason[256];
static int port;
static pid_t slapd_pid;

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int p = 0;
    if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &len) == 0) p = ntohs(a.sin_port);
    if (s >= 0) close(s);
    return p;
}

static bool port_open(int p)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0;
    if (s >= 0) close(s);
    return ok;
}

/* Runs argv with stdout and stderr into log; the child's pid (not waited for). */
static pid_t spawn(char *const argv[], const char *log)
{
    pid_t pid = fork();
    if (pid == 0) {
        FILE *f = freopen(log, "a", stdout);
        if (f) dup2(fileno(stdout), 2);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

static const char *path_in(const char *name)
{
    static char p[4][128];
    static int k;
    char *out = p[k++ % 4];
    snprintf(out, 128, "%s/%s", dir, name);
    return out;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static const char *start_slapd(const char *staff_no)
{
    if (access("/usr/sbin/slapd", X_OK) != 0 || access("/usr/sbin/slapadd", X_OK) != 0) return "slapd is not installed (apt-get install slapd)";
    snprintf(dir, sizeof dir, "/tmp/jinzai-ldap-XXXXXX");
    if (!mkdtemp(dir)) return "cannot make a temporary folder";
    if (mkdir(path_in("db"), 0700) != 0) return "cannot make the database folder";
    char conf[2048], ldif[2048];
    snprintf(conf, sizeof conf,
             "include /etc/ldap/schema/core.schema\ninclude /etc/ldap/schema/cosine.schema\n"
             "include /etc/ldap/schema/inetorgperson.schema\nmodulepath /usr/lib/ldap\nmoduleload back_mdb\n"
             "pidfile %s/slapd.pid\ndatabase mdb\nmaxsize 10485760\nsuffix \"dc=example,dc=jp\"\n"
             "rootdn \"cn=admin,dc=example,dc=jp\"\nrootpw root-secret-1234\ndirectory %s/db\n",
             dir, dir);
    snprintf(ldif, sizeof ldif,
             "dn: dc=example,dc=jp\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n"
             "dn: ou=people,dc=example,dc=jp\nobjectClass: organizationalUnit\nou: people\n\n"
             "dn: uid=shokuin,ou=people,dc=example,dc=jp\nobjectClass: inetOrgPerson\nuid: shokuin\ncn: Shokuin\nsn: Shokuin\n"
             "userPassword: " LDAP_PW "\n\n"
             "dn: uid=tanaka,ou=people,dc=example,dc=jp\nobjectClass: inetOrgPerson\nuid: tanaka\ncn: Tanaka\nsn: Tanaka\n"
             "employeeNumber: %s\nuserPassword: " LDAP_PW "\n\n"
             "dn: uid=sato,ou=people,dc=example,dc=jp\nobjectClass: inetOrgPerson\nuid: sato\ncn: Sato\nsn: Sato\n"
             "userPassword: " LDAP_PW "\n",
             staff_no);
    if (!write_file(path_in("slapd.conf"), conf) || !write_file(path_in("data.ldif"), ldif)) return "cannot write slapd.conf";
    char *add[] = {"/usr/sbin/slapadd", "-f", (char *)path_in("slapd.conf"), "-l", (char *)path_in("data.ldif"), NULL};
    int status = 0;
    pid_t pid = spawn(add, path_in("slapd.log"));
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return "slapadd failed (see slapd.log in the temporary folder)";
    port = free_port();
    if (!port) return "no free loopback port";
    char url[64];
    snprintf(url, sizeof url, "ldap://127.0.0.1:%d/", port);
    /* -d keeps slapd in the foreground, as our child, so we can stop it. */
    char *run[] = {"/usr/sbin/slapd", "-h", url, "-f", (char *)path_in("slapd.conf"), "-d", "0", NULL};
    slapd_pid = spawn(run, path_in("slapd.log"));
    if (slapd_pid < 0) return "cannot start slapd";
    for (int i = 0; i < 100; i++) {
        if (port_open(port)) return NULL;
        if (waitpid(slapd_pid, &status, WNOHANG) == slapd_pid) {
            slapd_pid = 0;
            return "slapd exited at start (see slapd.log in the temporary folder)";
        }
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    return "slapd did not answer within 5 seconds";
}

static int setup(void **state)
{
    (void)state;
    if (harness_open("ldap", users, sizeof users / sizeof users[0]) != 0) return -1;
    Arena a = ARENA_INIT;
    const char *no = db_text(db, &a, "SELECT s.staff_no FROM staff s JOIN account c ON c.staff_id = s.id WHERE c.login = 'kacho'");
    const char *why = start_slapd(no ? no : "none");
    arena_free(&a);
    if (why) {
        snprintf(skip_reason, sizeof skip_reason, "%s", why);
        fprintf(stderr, "# skipped: the test directory server could not start: %s\n", why);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (slapd_pid > 0) {
        kill(slapd_pid, SIGTERM);
        waitpid(slapd_pid, NULL, 0);
    }
    if (dir[0] && !getenv("KEEP_LDAP")) nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    harness_close();
    return 0;
}

#define NEED_SLAPD()                                            \
    do {                                                        \
        if (skip_reason[0]) {                                   \
            print_message("skipped: %s\n", skip_reason);        \
            skip();                                             \
        }                                                       \
    } while (0)

static const char *urlenc(const char *s)
{
    static char out[4][512];
    static int k;
    char *o = out[k++ % 4];
    size_t n = 0;
    for (; *s && n + 4 < 512; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')
            o[n++] = (char)c;
        else n += (size_t)snprintf(o + n, 4, "%%%02X", c);
    }
    o[n] = 0;
    return o;
}

static Res login_with(const char *login_name, const char *pw, char *cookie, size_t n)
{
    Res pre = req("GET", "/login", NULL, NULL);
    char token[80], pre_cookie[100];
    assert_true(cookie_of(&pre, "jz_pre", token, sizeof token));
    snprintf(pre_cookie, sizeof pre_cookie, "jz_pre=%s", token);
    buf_free(&pre.raw);
    Res r = req("POST", "/login", pre_cookie, fmt("csrf=%s&login=%s&password=%s&next=%%2F", token, login_name, pw));
    char s[80];
    if (cookie && cookie_of(&r, "jz_s", s, sizeof s)) snprintf(cookie, n, "jz_s=%s", s);
    return r;
}

static int64_t account_id(const char *login_name) { return db_int(db, 0, "SELECT id FROM account WHERE login = ?", login_name); }

static void configure(const char *url)
{
    Who *admin = user("admin");
    EXPECT_POST(admin->cookie, "/admin/ldap",
                fmt("csrf=%s&url=%s&bind_dn=%s&attr=employeeNumber&base=&filter=", admin->csrf, urlenc(url),
                    urlenc("uid=%s,ou=people,dc=example,dc=jp")),
                303, "Location: /admin/ldap");
}

static void test_settings_are_checked(void **state)
{
    (void)state;
    Who *admin = user("admin");
    int before = count("SELECT COUNT(*) FROM audit_log");
    EXPECT_POST(admin->cookie, "/admin/ldap", fmt("csrf=%s&url=http%%3A%%2F%%2Fx&bind_dn=uid&attr=", admin->csrf), 422, "ldap://",
                "%s をちょうど1つ", "value=\"http://x\"");
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), before);
    assert_int_equal(count("SELECT COUNT(*) FROM setting WHERE key = 'ldap_url'"), 0);
    EXPECT(admin->cookie, "/admin/ldap", 200, "LDAPサーバーのURL");
}

static void test_ldap_login(void **state)
{
    (void)state;
    NEED_SLAPD();
    Who *admin = user("admin");
    configure(fmt("ldap://127.0.0.1:%d/", port));
    assert_string_equal(db_text(db, &kept, "SELECT value FROM setting WHERE key = 'ldap_bind_dn'"),
                        "uid=%s,ou=people,dc=example,dc=jp");
    EXPECT(NULL, "/login", 200, "LDAP・Active Directory");
    /* shokuin signs in against the directory from now on */
    int64_t id = account_id("shokuin");
    EXPECT_POST(admin->cookie, fmt("/admin/users/%lld", (long long)id), fmt("csrf=%s&op=ldap", admin->csrf), 303, "msg=auth");
    assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login = 'shokuin' AND auth = 'ldap' AND pw_hash = ''"), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.auth'"), 1);
    EXPECT(admin->cookie, "/admin/users?q=shokuin", 200, "LDAP認証");

    char cookie[128] = "";
    Res r = login_with("shokuin", LDAP_PW, cookie, sizeof cookie);
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /\r\n"));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM session WHERE account_id = ?", id), 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND entity_id = ?", id), 1);
    EXPECT(cookie, "/", 200, "ホーム");
    /* the directory's password is not changed here: nothing is stored */
    EXPECT(cookie, "/account/password", 200, "庁内ネットワークの手順");
    Res home = req("GET", "/", cookie, NULL);
    char csrf[80];
    csrf_of(&home, csrf);
    buf_free(&home.raw);
    EXPECT_POST(cookie, "/account/password", fmt("csrf=%s&current=%s&password=local-password-9999&confirm=local-password-9999", csrf, LDAP_PW),
                409, "庁内ネットワークの手順");
    assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login = 'shokuin' AND auth = 'ldap' AND pw_hash = ''"), 1);

    /* the old local password no longer works, and the failure is counted */
    int fails = count("SELECT COUNT(*) FROM login_failure WHERE login = 'shokuin'");
    r = login_with("shokuin", PW, NULL, 0);
    assert_int_equal(r.status, 401);
    assert_true(has(&r, "ログイン名またはパスワードが正しくありません"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM login_failure WHERE login = 'shokuin'"), fails + 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM session WHERE account_id = ?", id), 1);

    /* local accounts keep working */
    r = login_with("admin", PW, NULL, 0);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
}

static void test_mapping_by_employee_number(void **state)
{
    (void)state;
    NEED_SLAPD();
    Who *admin = user("admin");
    int64_t kacho = account_id("kacho");
    assert_int_equal(account_id("tanaka"), 0);
    /* before kacho's account uses the directory, the name maps to nothing */
    Res r = login_with("tanaka", LDAP_PW, NULL, 0);
    assert_int_equal(r.status, 403);
    assert_true(has(&r, "このシステムのアカウントがありません"));
    buf_free(&r.raw);
    EXPECT_POST(admin->cookie, fmt("/admin/users/%lld", (long long)kacho), fmt("csrf=%s&op=ldap", admin->csrf), 303, "msg=auth");
    char cookie[128] = "";
    r = login_with("tanaka", LDAP_PW, cookie, sizeof cookie);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    /* the session belongs to kacho's account: the 職員番号 in employeeNumber */
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM session WHERE account_id = ?", kacho), 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND entity_id = ? AND summary = 'tanaka'", kacho), 1);
    Arena a = ARENA_INIT;
    const char *name = db_text(db, &a, "SELECT s.name FROM staff s JOIN account c ON c.staff_id = s.id WHERE c.id = ?", kacho);
    EXPECT(cookie, "/", 200, name);
    arena_free(&a);
}

static void test_failed_binds_are_throttled(void **state)
{
    (void)state;
    NEED_SLAPD();
    int audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' AND summary = 'sato'");
    for (int i = 0; i < 3; i++) {
        Res r = login_with("sato", "wrong-password-0000", NULL, 0);
        assert_int_equal(r.status, 401);
        buf_free(&r.raw);
    }
    assert_int_equal(count("SELECT COUNT(*) FROM login_failure WHERE login = 'sato'"), 3);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' AND summary = 'sato'"), audits + 3);
    /* now even the right password waits, without asking the directory */
    Res r = login_with("sato", LDAP_PW, NULL, 0);
    assert_int_equal(r.status, 429);
    assert_true(has(&r, "Retry-After: "));
    buf_free(&r.raw);
    /* a name with characters a DN would need escaped is refused outright */
    r = login_with("x%2Cou%3Dpeople", LDAP_PW, NULL, 0);
    assert_int_equal(r.status, 401);
    buf_free(&r.raw);
}

static void test_directory_down(void **state)
{
    (void)state;
    NEED_SLAPD();
    configure(fmt("ldap://127.0.0.1:%d/", free_port()));
    int sessions = count("SELECT COUNT(*) FROM session");
    Res r = login_with("shokuin", LDAP_PW, NULL, 0);
    assert_int_equal(r.status, 503);
    assert_true(has(&r, "認証サーバー（LDAP）に接続できませんでした"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM session"), sessions);
    /* local accounts are not affected */
    r = login_with("admin", PW, NULL, 0);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_settings_are_checked),
        cmocka_unit_test(test_ldap_login),
        cmocka_unit_test(test_mapping_by_employee_number),
        cmocka_unit_test(test_failed_binds_are_throttled),
        cmocka_unit_test(test_directory_down),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
