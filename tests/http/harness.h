/* harness.h - what every request test shares: a fresh demo database, one
 * raw HTTP request through http_answer_raw (the path of `jinzai
 * test-request`), cookies and CSRF tokens, and logged-in demo users.
 *
 * Include it once, after cmocka, in a test program of tests/http/. */
#ifndef JINZAI_TEST_HARNESS_H
#define JINZAI_TEST_HARNESS_H

#include <stdarg.h>
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
#include "../pgtmp.h"
#include "../tmpdb.h"

#define HARNESS static __attribute__((unused))
#define PW "test-password-1234"

static Db *db;
/* The database's name for db_open: a file, or a PostgreSQL conninfo when
 * JINZAI_TEST_PG names a cluster (then h_pgname is the test's database). */
static char dbpath[256];
static char h_pgname[96];

typedef struct Res {
    int status;
    Buf raw;
    const char *body;
} Res;

/* Sends one request; cookie, ctype and body may be NULL. */
HARNESS Res send_raw(const char *method, const char *path, const char *cookie, const char *ctype, const char *body, size_t len)
{
    Buf in = BUF_INIT;
    buf_printf(&in, "%s %s HTTP/1.1\r\nHost: localhost\r\n", method, path);
    if (cookie) buf_printf(&in, "Cookie: %s\r\n", cookie);
    if (body) buf_printf(&in, "Content-Type: %s\r\nContent-Length: %zu\r\n", ctype, len);
    buf_puts(&in, "\r\n");
    if (body) buf_append(&in, body, len);
    Res r = {0};
    http_answer_raw(db, in.data, in.len, &r.raw);
    buf_free(&in);
    sscanf(buf_cstr(&r.raw), "HTTP/1.1 %d", &r.status);
    const char *sep = strstr(r.raw.data, "\r\n\r\n");
    r.body = sep ? sep + 4 : "";
    return r;
}

/* A NUL-terminated body of the given type (NULL: urlencoded form). */
HARNESS Res request(const char *method, const char *path, const char *cookie, const char *ctype, const char *body)
{
    return send_raw(method, path, cookie, ctype ? ctype : "application/x-www-form-urlencoded", body, body ? strlen(body) : 0);
}

/* A GET (body NULL) or a urlencoded POST. */
HARNESS Res req(const char *method, const char *path, const char *cookie, const char *body) { return request(method, path, cookie, NULL, body); }

HARNESS bool has(const Res *r, const char *s) { return strstr(r->raw.data, s) != NULL; }

/* Value of a Set-Cookie name=value from the response, into out. */
HARNESS bool cookie_of(const Res *r, const char *name, char *out, size_t n)
{
    char key[64];
    snprintf(key, sizeof key, "Set-Cookie: %s=", name);
    const char *p = strstr(r->raw.data, key);
    if (!p) return false;
    p += strlen(key);
    size_t len = strcspn(p, ";\r");
    if (len + 1 > n) return false;
    memcpy(out, p, len);
    out[len] = 0;
    return true;
}

/* First csrf hidden value in a page. */
HARNESS void csrf_of(const Res *r, char out[80])
{
    const char *p = strstr(r->body, "name=\"csrf\" value=\"");
    out[0] = 0;
    if (!p) return;
    p += strlen("name=\"csrf\" value=\"");
    size_t len = strcspn(p, "\"");
    if (len < 80) memcpy(out, p, len), out[len] = 0;
}

typedef struct Who {
    const char *login;
    unsigned roles;
    char cookie[128];
    char csrf[80];
    int64_t staff_id; /* filled by login */
    const char *name;
} Who;

/* Logs w in through the login form and keeps its session cookie and token. */
HARNESS void login(Who *w)
{
    Res pre = req("GET", "/login", NULL, NULL);
    char token[80], pre_cookie[100];
    assert_true(cookie_of(&pre, "jz_pre", token, sizeof token));
    snprintf(pre_cookie, sizeof pre_cookie, "jz_pre=%s", token);
    char body[256];
    snprintf(body, sizeof body, "csrf=%s&login=%s&password=%s&next=%%2F", token, w->login, PW);
    Res r = req("POST", "/login", pre_cookie, body);
    assert_int_equal(r.status, 303);
    char s[80];
    assert_true(cookie_of(&r, "jz_s", s, sizeof s));
    snprintf(w->cookie, sizeof w->cookie, "jz_s=%s", s);
    Res home = req("GET", "/", w->cookie, NULL);
    assert_int_equal(home.status, 200);
    csrf_of(&home, w->csrf);
    assert_true(strlen(w->csrf) == 64);
    w->staff_id = db_int(db, 0, "SELECT staff_id FROM account WHERE login = ?", w->login);
    static Arena names = ARENA_INIT;
    w->name = db_text(db, &names, "SELECT name FROM staff WHERE id = ?", w->staff_id);
    buf_free(&pre.raw);
    buf_free(&r.raw);
    buf_free(&home.raw);
}

static Who *h_users;
static size_t h_nusers;

/* The logged-in demo user with that login (the test fails when absent). */
HARNESS Who *user(const char *login_name)
{
    for (size_t i = 0; i < h_nusers; i++)
        if (strcmp(h_users[i].login, login_name) == 0) return &h_users[i];
    fail_msg("no test user %s", login_name);
    return NULL;
}

#define BOM "\xEF\xBB\xBF"

/* A path or form body from a format, in one of four rotating buffers (enough
 * for the arguments of one call). */
HARNESS const char *fmt(const char *f, ...) PRINTF(1, 2);
HARNESS const char *fmt(const char *f, ...)
{
    static char buf[4][1024];
    static int k;
    char *p = buf[k++ % 4];
    va_list ap;
    va_start(ap, f);
    vsnprintf(p, 1024, f, ap);
    va_end(ap);
    return p;
}

/* Sends a request and checks the status and that the answer holds every string of want. */
HARNESS void expect_req(const char *method, const char *cookie, const char *p, const char *body, int status, const char *const *want)
{
    Res r = req(method, p, cookie, body);
    if (r.status != status) fail_msg("%s %s: status %d, expected %d", method, p, r.status, status);
    for (int i = 0; want[i]; i++)
        if (!has(&r, want[i])) fail_msg("%s %s: \"%s\" not found", method, p, want[i]);
    buf_free(&r.raw);
}
#define EXPECT(cookie, p, status, ...) expect_req("GET", cookie, p, NULL, status, (const char *const[]){__VA_ARGS__, NULL})
#define EXPECT_POST(cookie, p, body, status, ...) expect_req("POST", cookie, p, body, status, (const char *const[]){__VA_ARGS__, NULL})

/* GETs a download and checks it starts with magic (BOM for CSV, "PK" for xlsx). */
HARNESS void expect_download(const char *cookie, const char *p, const char *magic)
{
    Res r = req("GET", p, cookie, NULL);
    assert_int_equal(r.status, 200);
    if (memcmp(r.body, magic, strlen(magic)) != 0) fail_msg("GET %s: starts with \"%.40s\"", p, r.body);
    buf_free(&r.raw);
}

/* Answers a test goes on reading after its asserts begin: kept until the
 * test's teardown free_answers, so LeakSanitizer sees them freed. */
static Buf h_kept[256];
static int h_nkept;

HARNESS int free_answers(void **state)
{
    (void)state;
    while (h_nkept > 0) buf_free(&h_kept[--h_nkept]);
    return 0;
}

/* GETs path as login_name, expects 200 and keeps the answer (see above). */
HARNESS Res get_kept(const char *login_name, const char *path)
{
    Res r = req("GET", path, user(login_name)->cookie, NULL);
    assert_true(h_nkept < (int)COUNTOF(h_kept));
    h_kept[h_nkept++] = r.raw;
    assert_int_equal(r.status, 200);
    return r;
}

HARNESS int count(const char *sql) { return (int)db_int(db, -1, sql); }

/* The day the tests live on: a weekday in the middle of 年度 2026, whatever
 * the system clock says, so every test sees the same year. A program may
 * define another day before including this header; a test that is about a
 * date boundary moves the clock itself and returns it to HARNESS_TODAY. */
#ifndef HARNESS_TODAY
#define HARNESS_TODAY "2026-11-16"
#endif

/* A fresh database with the whole demo (2026) and the users logged in. */
HARNESS int harness_open(const char *name, Who *users, size_t n)
{
    if (util_clock_set_today(HARNESS_TODAY) != 0) return -1;
    int pg = tmpdb_pg_create(name, h_pgname, sizeof h_pgname, dbpath, sizeof dbpath);
    if (pg < 0) return -1;
    if (!pg) {
        snprintf(dbpath, sizeof dbpath, "/tmp/jinzai-%s-%d.db", name, (int)getpid());
        unlink(dbpath);
    }
    password_init();
    password_use_test_cost();
    db = db_open(dbpath);
    if (!db || migrate(db) < 0) return -1;
    if (skill_load_defaults(db, 2025) != 0 || course_load_defaults(db) != 0 || demo_load(db, PW, 2026, 7u) != 0 ||
        demo_assessments(db, 2026, 7u) != 0 || demo_training(db, 2026, 7u) != 0 || demo_kpi(db, 2026, 7u) != 0)
        return -1;
    db_exec(db, "UPDATE setting SET value = '2026' WHERE key = 'current_nendo'");
    h_users = users;
    h_nusers = n;
    for (size_t i = 0; i < n; i++) login(&users[i]);
    return 0;
}

HARNESS void harness_close(void);

/* setup and teardown for cmocka_run_group_tests: a fresh demo database named
 * for the test program, with users (a Who array) logged in. */
#define HARNESS_SETUP(name, users)                                  \
    static int setup(void **state)                                  \
    {                                                               \
        (void)state;                                                \
        return harness_open(name, users, sizeof users / sizeof users[0]); \
    }                                                               \
    static int teardown(void **state)                               \
    {                                                               \
        (void)state;                                                \
        harness_close();                                            \
        return 0;                                                   \
    }

HARNESS void harness_close(void)
{
    db_close(db);
    if (h_pgname[0]) pgtmp_drop(h_pgname);
    else tmpdb_remove(dbpath);
}

/* A trigger that makes the database refuse `event` (e.g. "BEFORE INSERT ON
 * session"), for the tests of failure paths, on either backend: on SQLite a
 * TEMP trigger that RAISEs, on PostgreSQL a PL/pgSQL trigger function that
 * raises SQLSTATE 23000 (a constraint error, as RAISE(ABORT) is on SQLite).
 * refuse_end(name, table) removes it. 0 on success. */
HARNESS int refuse_begin(const char *name, const char *event)
{
    char sql[512];
    if (db_dialect(db) == DB_SQLITE)
        snprintf(sql, sizeof sql, "CREATE TEMP TRIGGER %s %s BEGIN SELECT RAISE(ABORT, 'refused'); END;", name, event);
    else
        snprintf(sql, sizeof sql,
                 "CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                 " RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = 'refused'; END $$;"
                 " CREATE TRIGGER %s %s FOR EACH ROW EXECUTE FUNCTION %s();",
                 name, name, event, name);
    return db_exec_script(db, sql);
}

HARNESS int refuse_end(const char *name, const char *table)
{
    char sql[256];
    if (db_dialect(db) == DB_SQLITE) snprintf(sql, sizeof sql, "DROP TRIGGER %s;", name);
    else snprintf(sql, sizeof sql, "DROP TRIGGER %s ON %s; DROP FUNCTION %s();", name, table, name);
    return db_exec_script(db, sql);
}

#endif
