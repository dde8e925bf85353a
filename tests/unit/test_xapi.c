/* test_xapi.c - unit tests for the xAPI statement parser
 * (src/domain/xapi_parse.c): what is read from valid statements, the
 * canonical form behind the immutability rule, the raw bytes kept for each
 * statement of an array, and refusals of invalid JSON and statements. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/domain/xapi_parse.h"

static int parse(Arena *a, const char *s, XapiStatement **out, char err[200]) { return xapi_parse(a, s, strlen(s), out, err, 200); }

#define AGENT "{\"objectType\": \"Agent\", \"account\": {\"homePage\": \"https://lms.example.jp\", \"name\": \"K00012\"}}"
#define VERB "{\"id\": \"" XAPI_VERB_PASSED "\", \"display\": {\"ja-JP\": \"合格\"}}"
#define OBJ "{\"id\": \"https://lms.example.jp/act/1\"}"

static void test_valid(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    XapiStatement *st;
    char err[200] = "";
    const char *s = "{\"id\": \"3F2A9C1E-7B4D-4E8A-9F10-2C3D4E5F6A70\", \"actor\": " AGENT ", \"verb\": " VERB ", \"object\": " OBJ
                    ", \"result\": {\"score\": {\"scaled\": 0.85}}, \"timestamp\": \"2026-10-01T10:00:00+09:00\"}";
    assert_int_equal(parse(&a, s, &st, err), 1);
    assert_string_equal(st->id, "3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a70");
    assert_string_equal(st->account, "K00012");
    assert_string_equal(st->mbox, "");
    assert_string_equal(st->actor, "account:K00012");
    assert_string_equal(st->verb, XAPI_VERB_PASSED);
    assert_string_equal(st->activity, "https://lms.example.jp/act/1");
    assert_string_equal(st->timestamp, "2026-10-01T10:00:00+09:00");
    assert_int_equal(st->score, 85);
    assert_string_equal(st->raw, s);
    /* No id, an mbox in capitals, no timestamp, no score. */
    s = "{\"actor\": {\"mbox\": \"MAILTO:Hanako@Example.JP\"}, \"verb\": " VERB ", \"object\": " OBJ "}";
    assert_int_equal(parse(&a, s, &st, err), 1);
    assert_string_equal(st->id, "");
    assert_string_equal(st->mbox, "mailto:hanako@example.jp");
    assert_string_equal(st->actor, "mailto:hanako@example.jp");
    assert_string_equal(st->timestamp, "");
    assert_int_equal(st->score, -1);
    /* Other object types are kept without an activity. */
    s = "{\"actor\": {\"mbox\": \"mailto:a@b.jp\"}, \"verb\": " VERB ", \"object\": {\"objectType\": \"StatementRef\", \"id\": \"x\"}}";
    assert_int_equal(parse(&a, s, &st, err), 1);
    assert_string_equal(st->activity, "");
    arena_free(&a);
}

/* Key order, whitespace, id case, stored and authority do not change a
 * statement; any other property does. */
static void test_canonical(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    XapiStatement *x, *y, *z;
    char err[200];
    assert_int_equal(parse(&a, "{\"actor\": " AGENT ", \"verb\": " VERB ", \"object\": " OBJ ", \"stored\": \"2026-10-01T00:00:00Z\"}", &x, err), 1);
    assert_int_equal(parse(&a, "{ \"object\":" OBJ ",\"verb\":{\"display\":{\"ja-JP\":\"合格\"},\"id\":\"" XAPI_VERB_PASSED "\"},"
                               "\"authority\": {\"mbox\": \"mailto:lms@example.jp\"}, \"actor\":" AGENT "}",
                     &y, err),
                     1);
    assert_string_equal(x->canonical, y->canonical);
    assert_int_equal(parse(&a, "{\"actor\": " AGENT ", \"verb\": {\"id\": \"" XAPI_VERB_FAILED "\"}, \"object\": " OBJ "}", &z, err), 1);
    assert_string_not_equal(x->canonical, z->canonical);
    arena_free(&a);
}

/* An array: each statement with its own raw bytes, in order. */
static void test_array(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    XapiStatement *st;
    char err[200];
    const char *one = "{\"actor\": {\"mbox\": \"mailto:a@b.jp\"}, \"verb\": {\"id\": \"http://x/v\"}, \"object\": {\"id\": \"http://x/[a],b\"}}";
    const char *two = "{\"actor\": {\"mbox\": \"mailto:c@d.jp\"}, \"verb\": {\"id\": \"http://x/\\\"q\\\"\"}, \"object\": {\"id\": \"http://x/{b}\"}}";
    char body[600];
    snprintf(body, sizeof body, " [\n  %s ,%s\n] ", one, two);
    assert_int_equal(parse(&a, body, &st, err), 2);
    assert_string_equal(st[0].raw, one);
    assert_string_equal(st[1].raw, two);
    assert_string_equal(st[1].mbox, "mailto:c@d.jp");
    assert_string_equal(st[1].verb, "http://x/\"q\"");
    arena_free(&a);
}

static void test_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", " ", "{", "[", "[]", "null", "42", "\"s\"", "{} x", "{\"a\":1}{}", "[1]",
        /* required parts */
        "{\"verb\": " VERB ", \"object\": " OBJ "}",
        "{\"actor\": " AGENT ", \"object\": " OBJ "}",
        "{\"actor\": " AGENT ", \"verb\": " VERB "}",
        /* an agent needs exactly one identifier */
        "{\"actor\": {\"name\": \"x\"}, \"verb\": " VERB ", \"object\": " OBJ "}",
        "{\"actor\": {\"mbox\": \"mailto:a@b.jp\", \"openid\": \"http://x\"}, \"verb\": " VERB ", \"object\": " OBJ "}",
        "{\"actor\": {\"mbox\": \"a@b.jp\"}, \"verb\": " VERB ", \"object\": " OBJ "}",
        "{\"actor\": {\"account\": {\"name\": \"x\"}}, \"verb\": " VERB ", \"object\": " OBJ "}",
        "{\"actor\": {\"objectType\": \"Robot\", \"mbox\": \"mailto:a@b.jp\"}, \"verb\": " VERB ", \"object\": " OBJ "}",
        /* ids, IRIs, timestamps, scores */
        "{\"id\": \"not-a-uuid\", \"actor\": " AGENT ", \"verb\": " VERB ", \"object\": " OBJ "}",
        "{\"actor\": " AGENT ", \"verb\": {\"id\": \"completed\"}, \"object\": " OBJ "}",
        "{\"actor\": " AGENT ", \"verb\": " VERB ", \"object\": {\"id\": 5}}",
        "{\"actor\": " AGENT ", \"verb\": " VERB ", \"object\": " OBJ ", \"timestamp\": \"yesterday\"}",
        "{\"actor\": " AGENT ", \"verb\": " VERB ", \"object\": " OBJ ", \"timestamp\": \"2026-13-01T00:00:00Z\"}",
        "{\"actor\": " AGENT ", \"verb\": " VERB ", \"object\": " OBJ ", \"result\": {\"score\": {\"scaled\": 2}}}",
        "{\"actor\": " AGENT ", \"verb\": " VERB ", \"object\": " OBJ ", \"result\": []}",
        /* two statements of a batch with one id */
        "[{\"id\": \"3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a70\", \"actor\": " AGENT ", \"verb\": " VERB ", \"object\": " OBJ "},"
        " {\"id\": \"3F2A9C1E-7B4D-4E8A-9F10-2C3D4E5F6A70\", \"actor\": " AGENT ", \"verb\": " VERB ", \"object\": " OBJ "}]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Arena a = ARENA_INIT;
        XapiStatement *st = (XapiStatement *)1;
        char err[200] = "";
        if (parse(&a, bad[i], &st, err) != -1) fail_msg("accepted: %s", bad[i]);
        assert_null(st);
        assert_true(strlen(err) > 0);
        arena_free(&a);
    }
    /* A NUL inside the body. */
    Arena a = ARENA_INIT;
    XapiStatement *st;
    char err[200];
    assert_int_equal(xapi_parse(&a, "{\"a\"\0}", 6, &st, err, sizeof err), -1);
    arena_free(&a);
}

static void test_uuid(void **state)
{
    (void)state;
    char u[37];
    for (int i = 0; i < 50; i++) {
        xapi_uuid_new(u);
        assert_true(xapi_uuid_ok(u));
        assert_int_equal(u[14], '4');
        assert_non_null(strchr("89ab", u[19]));
    }
    assert_false(xapi_uuid_ok("3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7"));
    assert_false(xapi_uuid_ok("3f2a9c1e+7b4d-4e8a-9f10-2c3d4e5f6a70"));
    assert_false(xapi_uuid_ok(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid), cmocka_unit_test(test_canonical), cmocka_unit_test(test_array),
        cmocka_unit_test(test_invalid), cmocka_unit_test(test_uuid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
