/* test_xapi.c - request tests of the xAPI statement receiver: the version
 * header, Basic auth per client, idempotent ids (200/204/409), statements
 * stored as received, a completed statement that shows up in `jinzai export
 * training`, failed as attendance only, and 事務局's screen where unmatched
 * statements wait until their actor and activity are mapped.
 *
 * Requests go through http_answer_raw against a fresh demo database; the
 * export runs the built binary (JINZAI_BIN) on the same database file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/xapi.h"

#include "harness.h"

static Who users[] = {{.login = "dx"}, {.login = "shokuin"}};

HARNESS_SETUP("xapi", users)

#define HOME "https://lms.example.jp"
#define ACT_SEC2 HOME "/activities/sec-02"

static char key[33], secret[65];
static Arena T = ARENA_INIT; /* the test's strings (fmt's buffers rotate) */

/* A raw request to the receiver: auth "key:secret" (NULL: none), version
 * (NULL: no header). */
static Res xreq(const char *method, const char *path, const char *auth, const char *version, const char *body)
{
    Buf in = BUF_INIT;
    buf_printf(&in, "%s %s HTTP/1.1\r\nHost: localhost\r\n", method, path);
    if (auth) {
        char b64[256];
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)auth, strlen(auth), sodium_base64_VARIANT_ORIGINAL);
        buf_printf(&in, "Authorization: Basic %s\r\n", b64);
    }
    if (version) buf_printf(&in, "X-Experience-API-Version: %s\r\n", version);
    if (body) buf_printf(&in, "Content-Type: application/json\r\nContent-Length: %zu\r\n", strlen(body));
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

static const char *creds(void) { return arena_printf(&T, "%s:%s", key, secret); }
static Res post(const char *body) { return xreq("POST", "/xapi/statements", creds(), "1.0.3", body); }

static const char *statement(const char *id, const char *actor, const char *verb, const char *activity)
{
    return arena_printf(&T, "{%s%s%s\"actor\": %s, \"verb\": {\"id\": \"http://adlnet.gov/expapi/verbs/%s\"},"
               " \"object\": {\"id\": \"%s\", \"objectType\": \"Activity\"}, \"timestamp\": \"2026-10-01T10:00:00+09:00\"}",
               id ? "\"id\": \"" : "", id ? id : "", id ? "\", " : "", actor, verb, activity);
}

static const char *by_account(const char *name) { return arena_printf(&T, "{\"account\": {\"homePage\": \"" HOME "\", \"name\": \"%s\"}}", name); }

static int statements(void) { return count("SELECT COUNT(*) FROM xapi_statement"); }

/* A staff member in service without any record of course SEC-02. */
static const char *fresh_staff_no(Arena *a, int skip)
{
    return db_text(db, a,
                   "SELECT s.staff_no FROM staff s WHERE s.id IN (SELECT staff_id FROM assignment WHERE is_primary = 1 AND to_date IS NULL)"
                   " AND NOT EXISTS (SELECT 1 FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                   " WHERE k.staff_id = s.id AND c.code = 'SEC-02') ORDER BY s.id LIMIT 1 OFFSET ?",
                   skip);
}

/* `jinzai export training --format csv` on the test's database: the output. */
static char *export_training(void)
{
    const char *bin = getenv("JINZAI_BIN");
    if (!bin) bin = "build/release/jinzai";
    char cmd[512];
    snprintf(cmd, sizeof cmd, "JINZAI_TODAY=%s '%s' export training --format csv --year 2026 --db '%s' 2>&1", HARNESS_TODAY, bin, dbpath);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    Buf out = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) buf_append(&out, chunk, n);
    assert_int_equal(pclose(p), 0);
    return buf_detach(&out);
}

/* The export line of a staff member and a course code, NULL when none. */
static bool export_has(const char *csv, const char *staff_no, const char *code, const char *completed)
{
    for (const char *line = csv; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char *l = strndup(line, n);
        bool hit = strncmp(l, staff_no, strlen(staff_no)) == 0 && strstr(l, fmt(",%s,", code)) && strstr(l, completed);
        free(l);
        if (hit) return true;
        line = end ? end + 1 : NULL;
    }
    return false;
}

static int group_setup(void **state)
{
    if (setup(state) != 0) return -1;
    Errors e = {0};
    if (xapi_client_add(db, &ACTOR_CLI, "lms-test", key, secret, &e) != 0) return -1;
    int done;
    return xapi_map_activity(db, &ACTOR_CLI, ACT_SEC2, "SEC-02", &done, &e);
}

static void test_about_and_version(void **state)
{
    (void)state;
    Res r = xreq("GET", "/xapi/about", NULL, "1.0.3", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"version\":[\"1.0.3\"]}");
    assert_true(has(&r, "X-Experience-API-Version: 1.0.3\r\n"));
    buf_free(&r.raw);
    /* No header, or another version: 400, and the answer still names the version. */
    int before = statements();
    const char *body = statement(NULL, by_account("A0001"), "completed", ACT_SEC2);
    static const char *const bad[] = {NULL, "0.95", "1.1.0", "1.0.x"};
    for (size_t i = 0; i < COUNTOF(bad); i++) {
        r = xreq("POST", "/xapi/statements", creds(), bad[i], body);
        assert_int_equal(r.status, 400);
        assert_true(has(&r, "X-Experience-API-Version: 1.0.3\r\n"));
        assert_non_null(strstr(r.body, "X-Experience-API-Version"));
        buf_free(&r.raw);
    }
    r = xreq("GET", "/xapi/about", NULL, NULL, NULL);
    assert_int_equal(r.status, 400);
    buf_free(&r.raw);
    assert_int_equal(statements(), before);
}

static void test_credentials(void **state)
{
    (void)state;
    int before = statements();
    const char *body = statement(NULL, by_account("A0001"), "completed", ACT_SEC2);
    const char *wrong[] = {NULL, arena_printf(&T, "%s:%s", key, "0000"), arena_printf(&T, "nokey:%s", secret), key};
    for (size_t i = 0; i < COUNTOF(wrong); i++) {
        Res r = xreq("POST", "/xapi/statements", wrong[i], "1.0.3", body);
        assert_int_equal(r.status, 401);
        assert_true(has(&r, "WWW-Authenticate: Basic"));
        assert_true(has(&r, "X-Experience-API-Version: 1.0.3\r\n"));
        buf_free(&r.raw);
    }
    /* A session cookie is no credential for the receiver. */
    Buf in = BUF_INIT;
    buf_printf(&in, "POST /xapi/statements HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nX-Experience-API-Version: 1.0.3\r\nContent-Type: application/json\r\n"
                    "Content-Length: %zu\r\n\r\n%s",
               user("dx")->cookie, strlen(body), body);
    Buf raw = BUF_INIT;
    http_answer_raw(db, in.data, in.len, &raw);
    assert_int_equal(strncmp(raw.data, "HTTP/1.1 401", 12), 0);
    buf_free(&in);
    buf_free(&raw);
    /* A revoked client is refused. */
    char k2[33], s2[65];
    Errors e = {0};
    assert_int_equal(xapi_client_add(db, &ACTOR_CLI, "old-lms", k2, s2, &e), 0);
    Res ok = xreq("GET", "/xapi/about", NULL, "1.0.0", NULL);
    assert_int_equal(ok.status, 200);
    buf_free(&ok.raw);
    ok = xreq("POST", "/xapi/statements", fmt("%s:%s", k2, s2), "1.0.0", statement(NULL, by_account("nobody"), "experienced", ACT_SEC2));
    assert_int_equal(ok.status, 200);
    buf_free(&ok.raw);
    before = statements();
    assert_int_equal(xapi_client_revoke(db, &ACTOR_CLI, "old-lms", &e), 0);
    Res r = xreq("POST", "/xapi/statements", fmt("%s:%s", k2, s2), "1.0.3", body);
    assert_int_equal(r.status, 401);
    buf_free(&r.raw);
    assert_int_equal(statements(), before);
    /* Only a hash of the secret is kept. */
    assert_int_equal(count(fmt("SELECT COUNT(*) FROM xapi_client WHERE secret_hash = '%s' OR api_key = '%s'", s2, s2)), 0);
}

/* The done-when: a completed statement for a demo staff member (actor
 * account.name = their 職員番号) appears in `jinzai export training`. */
static void test_completed_in_export(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    const char *no = fresh_staff_no(&a, 0);
    assert_non_null(no);
    char *csv = export_training();
    assert_false(export_has(csv, no, "SEC-02", "修了"));
    free(csv);
    /* The 職員番号 matches whatever its case. */
    char *lower_no = arena_strdup(&a, no);
    for (char *p = lower_no; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    const char *id = "3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a70";
    const char *body = statement(id, by_account(lower_no), "completed", ACT_SEC2);
    Res r = post(body);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, fmt("[\"%s\"]", id));
    assert_true(has(&r, "X-Experience-API-Version: 1.0.3\r\n"));
    buf_free(&r.raw);
    /* Stored as received, and a completion of the 年度's session. */
    assert_int_equal(count(fmt("SELECT COUNT(*) FROM xapi_statement WHERE statement_id = '%s' AND state = 'done'", id)), 1);
    char *raw = db_text(db, &a, "SELECT raw FROM xapi_statement WHERE statement_id = ?", id);
    assert_string_equal(raw, body);
    assert_int_equal(count(fmt("SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                               " JOIN staff s ON s.id = k.staff_id WHERE s.staff_no = '%s' AND c.code = 'SEC-02' AND t.nendo = 2026"
                               " AND k.attended = 1 AND k.completed = 1",
                               no)),
                     1);
    assert_int_equal(count(fmt("SELECT COUNT(*) FROM audit_log WHERE action = 'xapi.completion' AND summary LIKE '%%%s%%'", id)), 1);
    csv = export_training();
    if (!export_has(csv, no, "SEC-02", "修了")) fail_msg("export lacks %s SEC-02:\n%.2000s", no, csv);
    free(csv);
    arena_free(&a);
}

static void test_ids_idempotent(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    const char *no = fresh_staff_no(&a, 0);
    const char *id = "0b1c2d3e-4f50-4617-8899-aabbccddeeff";
    const char *body = statement(id, by_account(no), "experienced", ACT_SEC2);
    Res r = post(body);
    assert_int_equal(r.status, 200);
    buf_free(&r.raw);
    int before = statements();
    /* The same statement again, keys reordered and spaced: no change, still 200. */
    const char *same = arena_printf(&T, "{ \"timestamp\": \"2026-10-01T10:00:00+09:00\", \"object\": {\"objectType\": \"Activity\", \"id\": \"%s\"},"
                           " \"verb\": {\"id\": \"http://adlnet.gov/expapi/verbs/experienced\"}, \"actor\": %s, \"id\": \"%s\" }",
                           ACT_SEC2, by_account(no), "0B1C2D3E-4F50-4617-8899-AABBCCDDEEFF");
    r = post(same);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, fmt("[\"%s\"]", id));
    buf_free(&r.raw);
    assert_int_equal(statements(), before);
    /* The same id with another statement: 409, the stored one unchanged. */
    r = post(statement(id, by_account(no), "completed", ACT_SEC2));
    assert_int_equal(r.status, 409);
    assert_true(has(&r, "X-Experience-API-Version: 1.0.3\r\n"));
    buf_free(&r.raw);
    assert_string_equal(db_text(db, &a, "SELECT raw FROM xapi_statement WHERE statement_id = ?", id), body);
    /* In a batch, a conflict writes nothing of the batch. */
    r = post(arena_printf(&T, "[%s, %s]", statement("11111111-2222-4333-8444-555555555555", by_account(no), "experienced", ACT_SEC2),
                 statement(id, by_account(no), "failed", ACT_SEC2)));
    assert_int_equal(r.status, 409);
    buf_free(&r.raw);
    assert_int_equal(statements(), before);

    /* PUT: 204, stored under statementId; again 204; another body 409. */
    const char *pid = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    const char *pbody = statement(NULL, by_account(no), "experienced", HOME "/activities/intro");
    r = xreq("PUT", fmt("/xapi/statements?statementId=%s", pid), creds(), "1.0.3", pbody);
    assert_int_equal(r.status, 204);
    assert_string_equal(r.body, "");
    assert_true(has(&r, "X-Experience-API-Version: 1.0.3\r\n"));
    buf_free(&r.raw);
    assert_string_equal(db_text(db, &a, "SELECT raw FROM xapi_statement WHERE statement_id = ?", pid), pbody);
    r = xreq("PUT", fmt("/xapi/statements?statementId=%s", pid), creds(), "1.0.3", pbody);
    assert_int_equal(r.status, 204);
    buf_free(&r.raw);
    r = xreq("PUT", fmt("/xapi/statements?statementId=%s", pid), creds(), "1.0.3", statement(NULL, by_account(no), "completed", HOME "/activities/intro"));
    assert_int_equal(r.status, 409);
    buf_free(&r.raw);
    /* The body's id must match; statementId is required and a UUID. */
    r = xreq("PUT", "/xapi/statements?statementId=bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee", creds(), "1.0.3", statement(pid, by_account(no), "experienced", ACT_SEC2));
    assert_int_equal(r.status, 400);
    buf_free(&r.raw);
    r = xreq("PUT", "/xapi/statements", creds(), "1.0.3", pbody);
    assert_int_equal(r.status, 400);
    buf_free(&r.raw);
    r = xreq("PUT", "/xapi/statements?statementId=42", creds(), "1.0.3", pbody);
    assert_int_equal(r.status, 400);
    buf_free(&r.raw);
    assert_int_equal(statements(), before + 1);
    arena_free(&a);
}

static void test_batch_and_invalid(void **state)
{
    (void)state;
    int before = statements();
    const char *given = "c0ffee00-0000-4000-8000-000000000001";
    Res r = post(arena_printf(&T, "[ %s ,\n %s ]", statement(given, by_account("x"), "experienced", ACT_SEC2),
                     statement(NULL, "{\"mbox\": \"mailto:someone@example.jp\"}", "experienced", ACT_SEC2)));
    assert_int_equal(r.status, 200);
    assert_int_equal(strncmp(r.body, fmt("[\"%s\",\"", given), 41), 0);
    char generated[37] = "";
    sscanf(r.body + 41, "%36[0-9a-f-]", generated);
    assert_true(xapi_uuid_ok(generated));
    buf_free(&r.raw);
    assert_int_equal(statements(), before + 2);
    assert_int_equal(count(fmt("SELECT COUNT(*) FROM xapi_statement WHERE statement_id = '%s' AND raw LIKE '{\"actor\": {\"mbox\"%%'", generated)), 1);
    /* Broken JSON and broken statements: 400, nothing stored. */
    static const char *const bad[] = {"", "{", "[]", "42", "{\"actor\": {}}", "[{\"verb\": 1}]",
                                      "{\"actor\": {\"mbox\": \"someone@example.jp\"}, \"verb\": {\"id\": \"http://x/v\"}, \"object\": {\"id\": \"http://x/a\"}}"};
    for (size_t i = 0; i < COUNTOF(bad); i++) {
        r = post(bad[i]);
        if (r.status != 400) fail_msg("body %s: %d", bad[i], r.status);
        assert_non_null(strstr(r.body, "\"error\""));
        buf_free(&r.raw);
    }
    assert_int_equal(statements(), before + 2);
}

/* failed records attendance without completing. */
static void test_failed_attends_only(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    const char *no = fresh_staff_no(&a, 0);
    Res r = post(statement(NULL, by_account(no), "failed", ACT_SEC2));
    assert_int_equal(r.status, 200);
    buf_free(&r.raw);
    const char *sql = arena_printf(&T, "SELECT k.attended * 10 + k.completed FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                          " JOIN staff s ON s.id = k.staff_id WHERE s.staff_no = '%s' AND c.code = 'SEC-02' AND t.nendo = 2026",
                          no);
    assert_int_equal(count(sql), 10);
    r = post(statement(NULL, by_account(no), "passed", ACT_SEC2));
    assert_int_equal(r.status, 200);
    buf_free(&r.raw);
    assert_int_equal(count(sql), 11);
    /* A later failed does not take a completion back. */
    r = post(statement(NULL, by_account(no), "failed", ACT_SEC2));
    buf_free(&r.raw);
    assert_int_equal(count(sql), 11);
    arena_free(&a);
}

/* Unmatched statements wait on 事務局's screen; mapping processes them. */
static void test_unmatched_then_mapped(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Who *dx = user("dx");
    const char *act = HOME "/activities/privacy-basics";
    const char *actor = "mailto:hanako.lms@example.jp";
    Res r = post(statement(NULL, "{\"mbox\": \"mailto:Hanako.LMS@example.jp\", \"objectType\": \"Agent\"}", "completed", act));
    assert_int_equal(r.status, 200);
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM xapi_statement WHERE state = 'waiting'"), 1);
    EXPECT(dx->cookie, "/training/xapi", 200, "対応づけを待つ受講記録（1件）", actor, act, "修了（completed）", "職員・研修", "lms-test");
    EXPECT(user("shokuin")->cookie, "/training/xapi", 403, "権限");

    /* An unknown course code: 422, what was typed kept, nothing written. */
    EXPECT_POST(dx->cookie, "/training/xapi/activity", fmt("csrf=%s&activity_id=%s&course=NOPE-9", dx->csrf, act), 422,
                "研修コード「NOPE-9」の研修はありません。", "value=\"NOPE-9\"");
    assert_int_equal(count("SELECT COUNT(*) FROM xapi_activity"), 1);
    EXPECT_POST(dx->cookie, "/training/xapi/activity", fmt("csrf=%s&activity_id=%s&course=SEC-02", dx->csrf, act), 303, "msg=mapped&n=0");
    assert_int_equal(count("SELECT COUNT(*) FROM xapi_statement WHERE state = 'waiting'"), 1);
    EXPECT(dx->cookie, "/training/xapi", 200, "対応づけを待つ受講記録（1件）", ">職員<");

    const char *no = fresh_staff_no(&a, 1);
    EXPECT_POST(dx->cookie, "/training/xapi/actor", fmt("csrf=%s&actor=%s&staff_no=ZZ999", dx->csrf, actor), 422, "職員番号「ZZ999」の職員はいません。");
    EXPECT_POST(dx->cookie, "/training/xapi/actor", fmt("csrf=%s&actor=%s&staff_no=%s", dx->csrf, actor, no), 303, "msg=mapped&n=1");
    assert_int_equal(count("SELECT COUNT(*) FROM xapi_statement WHERE state = 'waiting'"), 0);
    assert_int_equal(count(fmt("SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                               " JOIN staff s ON s.id = k.staff_id WHERE s.staff_no = '%s' AND c.code = 'SEC-02' AND k.completed = 1",
                               no)),
                     1);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action IN ('xapi.map.actor', 'xapi.map.activity')"), 3);
    EXPECT(dx->cookie, "/training/xapi?msg=mapped&n=1", 200, "対応づけを待つ受講記録（0件）", "1件を修了・受講として登録しました", act);
    /* The actor's later statements match straight away. */
    r = post(statement(NULL, "{\"mbox\": \"mailto:hanako.lms@example.jp\"}", "completed", ACT_SEC2));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM xapi_statement WHERE state = 'waiting'"), 0);
    arena_free(&a);
}

/* A completion in a 年度 without a session of the course creates it. */
static void test_session_of_the_year(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    const char *no = fresh_staff_no(&a, 2);
    int sessions = count("SELECT COUNT(*) FROM training_session t JOIN course c ON c.id = t.course_id WHERE c.code = 'SEC-02' AND t.nendo = 2025");
    const char *body = arena_printf(&T, "{\"actor\": %s, \"verb\": {\"id\": \"" XAPI_VERB_COMPLETED "\"}, \"object\": {\"id\": \"" ACT_SEC2 "\"},"
                           " \"timestamp\": \"2026-03-20T09:00:00Z\"}",
                           by_account(no));
    Res r = post(body);
    assert_int_equal(r.status, 200);
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM training_session t JOIN course c ON c.id = t.course_id WHERE c.code = 'SEC-02' AND t.nendo = 2025"),
                     sessions ? sessions : 1);
    assert_int_equal(count(fmt("SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id JOIN staff s ON s.id = k.staff_id"
                               " WHERE s.staff_no = '%s' AND t.nendo = 2025 AND k.completed = 1",
                               no)),
                     1);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_about_and_version),   cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_completed_in_export), cmocka_unit_test(test_ids_idempotent),
        cmocka_unit_test(test_batch_and_invalid),   cmocka_unit_test(test_failed_attends_only),
        cmocka_unit_test(test_unmatched_then_mapped), cmocka_unit_test(test_session_of_the_year),
    };
    return cmocka_run_group_tests(tests, group_setup, teardown);
}
