/* test_form.c - unit tests for src/http/form.c (percent-decoding, urlencoded
 * forms, cookies, multipart/form-data, raw requests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/http/form.h"

#define LIT(s) (s), (sizeof(s) - 1)

/* ---- url_decode ---- */

static void test_url_decode_basic(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    size_t len = 99;
    assert_string_equal(url_decode(&a, LIT("a+b%20c"), true, &len), "a b c");
    assert_int_equal(len, 5);
    assert_string_equal(url_decode(&a, LIT("a+b%20c"), false, NULL), "a+b c");
    assert_string_equal(url_decode(&a, LIT("%e5%b1%b1"), true, NULL), "山");
    /* Invalid escapes stay literal. */
    assert_string_equal(url_decode(&a, LIT("%G1%"), true, NULL), "%G1%");
    assert_string_equal(url_decode(&a, LIT("x%4"), true, NULL), "x%4");
    assert_string_equal(url_decode(&a, LIT("100%"), true, NULL), "100%");
    /* NUL bytes are dropped, escaped or raw. */
    assert_string_equal(url_decode(&a, LIT("a%00b"), true, &len), "ab");
    assert_int_equal(len, 2);
    assert_string_equal(url_decode(&a, "a\0b", 3, true, NULL), "ab");
    /* Only n bytes are read: the "%41" beyond n must not be decoded. */
    assert_string_equal(url_decode(&a, "ab%41", 3, true, NULL), "ab%");
    assert_string_equal(url_decode(&a, NULL, 0, true, &len), "");
    assert_int_equal(len, 0);
    arena_free(&a);
}

/* ---- parse_urlencoded ---- */

static void test_urlencoded_japanese(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KVList kv = {0};
    assert_int_equal(parse_urlencoded(&kv, &a, LIT("q=%E5%B1%B1%E7%94%B0&%E5%90%8D=%E5%A4%AA%E9%83%8E")), 2);
    assert_string_equal(kv_get(&kv, "q"), "山田");
    assert_string_equal(kv_get(&kv, "名"), "太郎");
    arena_free(&a);
}

static void test_urlencoded_plus_and_invalid(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KVList kv = {0};
    assert_int_equal(parse_urlencoded(&kv, &a, LIT("name=John+Smith&pct=100%25&bad=%ZZ%&tail=%4")), 4);
    assert_string_equal(kv_get(&kv, "name"), "John Smith");
    assert_string_equal(kv_get(&kv, "pct"), "100%");
    assert_string_equal(kv_get(&kv, "bad"), "%ZZ%");
    assert_string_equal(kv_get(&kv, "tail"), "%4");
    arena_free(&a);
}

static void test_urlencoded_repeated_and_empty(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KVList kv = {0};
    assert_int_equal(parse_urlencoded(&kv, &a, LIT("a=1&&b&=x&a=3&c=&=&%00=y&d==")), 5);
    assert_int_equal(kv.n, 5);
    assert_string_equal(kv.items[0].name, "a");
    assert_string_equal(kv.items[0].value, "1");
    assert_string_equal(kv.items[1].name, "b");
    assert_string_equal(kv.items[1].value, "");
    assert_string_equal(kv.items[2].name, "a");
    assert_string_equal(kv.items[2].value, "3");
    assert_string_equal(kv.items[3].name, "c");
    assert_string_equal(kv.items[3].value, "");
    assert_string_equal(kv.items[4].name, "d");
    assert_string_equal(kv.items[4].value, "=");
    assert_string_equal(kv_get(&kv, "a"), "1");

    KVList none = {0};
    assert_int_equal(parse_urlencoded(&none, &a, NULL, 0), 0);
    assert_int_equal(parse_urlencoded(&none, &a, LIT("&&&")), 0);
    assert_int_equal(none.n, 0);
    /* Not NUL-terminated: only the first n bytes count. */
    assert_int_equal(parse_urlencoded(&none, &a, "x=12&y=3", 3), 1);
    assert_string_equal(kv_get(&none, "x"), "1");
    arena_free(&a);
}

static void test_urlencoded_field_cap(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Buf b = BUF_INIT;
    for (int i = 0; i < FORM_MAX_FIELDS; i++) buf_printf(&b, "%sf%d=%d", i ? "&" : "", i, i);
    KVList kv = {0};
    assert_int_equal(parse_urlencoded(&kv, &a, b.data, b.len), FORM_MAX_FIELDS);

    buf_puts(&b, "&over=1&more=2");
    KVList kv2 = {0};
    assert_int_equal(parse_urlencoded(&kv2, &a, b.data, b.len), -1);
    assert_int_equal(kv2.n, FORM_MAX_FIELDS);
    assert_string_equal(kv_get(&kv2, "f999"), "999");
    assert_null(kv_get(&kv2, "over"));
    buf_free(&b);
    arena_free(&a);
}

/* ---- parse_cookies ---- */

static void test_cookies(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KVList kv = {0};
    assert_int_equal(parse_cookies(&kv, &a, "  sid = abc123 ;theme=\"dark mode\";empty=; q=\"\"; noeq; =x;;lang=ja"), 5);
    assert_string_equal(kv_get(&kv, "sid"), "abc123");
    assert_string_equal(kv_get(&kv, "theme"), "dark mode");
    assert_string_equal(kv_get(&kv, "empty"), "");
    assert_string_equal(kv_get(&kv, "q"), "");
    assert_string_equal(kv_get(&kv, "lang"), "ja");
    assert_null(kv_get(&kv, "noeq"));
    /* Only one pair of quotes is stripped; a lone quote is kept. */
    KVList kv2 = {0};
    assert_int_equal(parse_cookies(&kv2, &a, "a=\"\"x\"\"; b=\"; c=%41"), 3);
    assert_string_equal(kv_get(&kv2, "a"), "\"x\"");
    assert_string_equal(kv_get(&kv2, "b"), "\"");
    assert_string_equal(kv_get(&kv2, "c"), "%41");

    KVList none = {0};
    assert_int_equal(parse_cookies(&none, &a, ""), 0);
    assert_int_equal(parse_cookies(&none, &a, NULL), 0);
    assert_int_equal(parse_cookies(&none, &a, " ; ;"), 0);
    arena_free(&a);
}

static void test_cookie_cap(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Buf b = BUF_INIT;
    for (int i = 0; i < FORM_MAX_COOKIES + 5; i++) buf_printf(&b, "c%d=%d; ", i, i);
    KVList kv = {0};
    assert_int_equal(parse_cookies(&kv, &a, b.data), -1);
    assert_int_equal(kv.n, FORM_MAX_COOKIES);
    buf_free(&b);
    arena_free(&a);
}

/* ---- multipart ---- */

static void test_multipart_boundary(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    assert_string_equal(multipart_boundary(&a, "multipart/form-data; boundary=----WebKitFormBoundaryX3"),
                        "----WebKitFormBoundaryX3");
    assert_string_equal(multipart_boundary(&a, "Multipart/Form-Data;charset=utf-8;BOUNDARY=\"a b:c\""), "a b:c");
    assert_string_equal(multipart_boundary(&a, "multipart/form-data; boundary=\"a\\'b\"; x=1"), "a'b");
    assert_string_equal(multipart_boundary(&a, "multipart/form-data; boundary=abc ; charset=utf-8"), "abc");
    assert_null(multipart_boundary(&a, NULL));
    assert_null(multipart_boundary(&a, "application/x-www-form-urlencoded"));
    assert_null(multipart_boundary(&a, "multipart/mixed; boundary=abc"));
    assert_null(multipart_boundary(&a, "multipart/form-data"));
    assert_null(multipart_boundary(&a, "multipart/form-data; boundary="));
    assert_null(multipart_boundary(&a, "multipart/form-data; boundary=\"\""));
    assert_null(multipart_boundary(&a, "multipart/form-data; boundary=\"unterminated"));
    assert_null(multipart_boundary(&a, "multipart/form-data; boundary=\"trailing \""));
    assert_null(multipart_boundary(&a, "multipart/form-data; boundary=bad<char>"));
    char longb[128] = "multipart/form-data; boundary=";
    size_t off = strlen(longb);
    memset(longb + off, 'x', 71);
    longb[off + 71] = '\0';
    assert_null(multipart_boundary(&a, longb));
    longb[off + 70] = '\0';
    assert_non_null(multipart_boundary(&a, longb));
    arena_free(&a);
}

static const char MP_BODY[] =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "山田の履歴書\r\n"
    "--XyZ\r\n"
    "content-disposition: form-data; name=\"note\"\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "line1\r\nline2 --Xy not a boundary\r\n--XyZa neither\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"cv\"; filename=\"C:\\\\cv \\\"v2\\\".pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    "%PDF\r\n\r\n\0bin\r\n--Xy\r\n"
    "--XyZ--\r\n"
    "epilogue\r\n";

static void test_multipart_ok(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KVList fields = {0};
    UploadList files = {0};
    assert_int_equal(parse_multipart(&fields, &files, &a, MP_BODY, sizeof MP_BODY - 1, "XyZ"), 0);
    assert_int_equal(fields.n, 2);
    assert_string_equal(kv_get(&fields, "title"), "山田の履歴書");
    assert_string_equal(kv_get(&fields, "note"), "line1\r\nline2 --Xy not a boundary\r\n--XyZa neither");
    assert_int_equal(files.n, 1);
    const Upload *u = &files.items[0];
    assert_string_equal(u->field, "cv");
    assert_string_equal(u->filename, "C:\\cv \"v2\".pdf");
    assert_string_equal(u->content_type, "application/pdf");
    static const char want[] = "%PDF\r\n\r\n\0bin\r\n--Xy";
    assert_int_equal(u->len, sizeof want - 1);
    assert_memory_equal(u->data, want, sizeof want - 1);
    assert_int_equal(u->data[u->len], '\0');
    arena_free(&a);
}

static void test_multipart_lf_and_empty_file(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KVList fields = {0};
    UploadList files = {0};
    static const char body[] =
        "--b\n"
        "Content-Disposition: form-data; name=empty\n"
        "\n"
        "\n"
        "--b\n"
        "Content-Disposition: form-data; name=\"f\"; filename=\"\"\n"
        "\n"
        "\n"
        "--b\n"
        "Content-Disposition: form-data; filename=\"noname.txt\"\n"
        "\n"
        "ignored\n"
        "--b--";
    assert_int_equal(parse_multipart(&fields, &files, &a, body, sizeof body - 1, "b"), 0);
    assert_int_equal(fields.n, 1);
    assert_string_equal(kv_get(&fields, "empty"), "");
    assert_int_equal(files.n, 1);
    assert_string_equal(files.items[0].field, "f");
    assert_string_equal(files.items[0].filename, "");
    assert_string_equal(files.items[0].content_type, "application/octet-stream");
    assert_int_equal(files.items[0].len, 0);

    /* Only a closing boundary: no parts, success. */
    KVList f2 = {0};
    UploadList u2 = {0};
    assert_int_equal(parse_multipart(&f2, &u2, &a, LIT("--b--\r\n"), "b"), 0);
    assert_int_equal(f2.n + u2.n, 0);
    /* Tolerated: delimiter directly after the blank line means empty data. */
    static const char tight[] = "--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n--b--";
    assert_int_equal(parse_multipart(&f2, &u2, &a, LIT(tight), "b"), 0);
    assert_string_equal(kv_get(&f2, "t"), "");
    arena_free(&a);
}

static void test_multipart_malformed(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    KVList f = {0};
    UploadList u = {0};
    /* Missing closing boundary. */
    static const char no_close[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n";
    assert_int_equal(parse_multipart(&f, &u, &a, LIT(no_close), "XyZ"), -1);
    /* Closing boundary only as a prefix of a longer word. */
    static const char bad_close[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZZ--";
    assert_int_equal(parse_multipart(&f, &u, &a, LIT(bad_close), "XyZ"), -1);
    /* Truncated anywhere inside a valid body. */
    for (size_t cut = 0; cut < sizeof MP_BODY - 1 - strlen("--\r\nepilogue\r\n"); cut++) {
        KVList f3 = {0};
        UploadList u3 = {0};
        assert_int_equal(parse_multipart(&f3, &u3, &a, MP_BODY, cut, "XyZ"), -1);
    }
    /* No opening boundary, wrong boundary, empty body. */
    assert_int_equal(parse_multipart(&f, &u, &a, LIT("hello"), "XyZ"), -1);
    assert_int_equal(parse_multipart(&f, &u, &a, LIT(no_close), "Other"), -1);
    assert_int_equal(parse_multipart(&f, &u, &a, NULL, 0, "XyZ"), -1);
    assert_int_equal(parse_multipart(&f, &u, &a, LIT(no_close), ""), -1);
    /* Part without Content-Disposition; header line without colon. */
    assert_int_equal(parse_multipart(&f, &u, &a, LIT("--x\r\nContent-Type: text/plain\r\n\r\nv\r\n--x--"), "x"), -1);
    assert_int_equal(parse_multipart(&f, &u, &a, LIT("--x\r\nbogus\r\n\r\nv\r\n--x--"), "x"), -1);
    arena_free(&a);
}

static void test_multipart_quoted_boundary(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    const char *b = multipart_boundary(&a, "multipart/form-data; boundary=\"simple boundary\"");
    assert_non_null(b);
    static const char body[] =
        "--simple boundary\r\n"
        "Content-Disposition: form-data; name=\"k\"\r\n\r\n"
        "v\r\n"
        "--simple boundary--\r\n";
    KVList f = {0};
    UploadList u = {0};
    assert_int_equal(parse_multipart(&f, &u, &a, LIT(body), b), 0);
    assert_string_equal(kv_get(&f, "k"), "v");
    arena_free(&a);
}

static void test_multipart_part_cap(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Buf b = BUF_INIT;
    for (int i = 0; i < FORM_MAX_PARTS; i++)
        buf_printf(&b, "--q\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%d\r\n", i, i);
    size_t at_cap = b.len;
    buf_puts(&b, "--q--\r\n");
    KVList f = {0};
    UploadList u = {0};
    assert_int_equal(parse_multipart(&f, &u, &a, b.data, b.len, "q"), 0);
    assert_int_equal(f.n, FORM_MAX_PARTS);

    b.len = at_cap;
    buf_puts(&b, "--q\r\nContent-Disposition: form-data; name=\"over\"\r\n\r\nx\r\n--q--\r\n");
    KVList f2 = {0};
    assert_int_equal(parse_multipart(&f2, &u, &a, b.data, b.len, "q"), -1);
    assert_null(kv_get(&f2, "over"));
    buf_free(&b);
    arena_free(&a);
}

/* ---- parse_raw_request ---- */

static void test_rawreq_lf_only(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    RawRequest r;
    static const char req[] = "GET /jobs/%E6%A4%9C%E7%B4%A2+x HTTP/1.1\nHost: localhost\nX-Empty:\nX-Pad:   a b  \n\n";
    assert_int_equal(parse_raw_request(&r, &a, LIT(req)), 0);
    assert_string_equal(r.method, "GET");
    assert_string_equal(r.path, "/jobs/検索+x");
    assert_string_equal(r.query, "");
    assert_int_equal(r.headers.n, 3);
    assert_string_equal(r.headers.items[0].name, "Host");
    assert_string_equal(kv_get_ci(&r.headers, "host"), "localhost");
    assert_string_equal(kv_get(&r.headers, "X-Empty"), "");
    assert_string_equal(kv_get(&r.headers, "X-Pad"), "a b");
    assert_int_equal(r.body_len, 0);
    assert_string_equal(r.body, "");

    /* No blank line at all: headers end with the input, empty body. */
    assert_int_equal(parse_raw_request(&r, &a, LIT("\r\nGET / HTTP/1.0\r\nA: b")), 0);
    assert_string_equal(kv_get(&r.headers, "A"), "b");
    assert_int_equal(r.body_len, 0);
    arena_free(&a);
}

static void test_rawreq_content_length(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    RawRequest r;
    static const char req[] =
        "POST /login?next=%2Fhome&x=a+b HTTP/1.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "content-length: 12\r\n"
        "\r\n"
        "user=a&pw=b\nEXTRA";
    assert_int_equal(parse_raw_request(&r, &a, LIT(req)), 0);
    assert_string_equal(r.method, "POST");
    assert_string_equal(r.path, "/login");
    assert_string_equal(r.query, "next=%2Fhome&x=a+b");
    assert_int_equal(r.body_len, 12);
    assert_string_equal(r.body, "user=a&pw=b\n");

    /* Without Content-Length the body is the rest of the input. */
    assert_int_equal(parse_raw_request(&r, &a, LIT("PUT /x? HTTP/1.1\n\nabc\0def")), 0);
    assert_string_equal(r.query, "");
    assert_int_equal(r.body_len, 7);
    assert_memory_equal(r.body, "abc\0def", 7);

    /* Fewer bytes than announced, bad and conflicting values. */
    assert_int_equal(parse_raw_request(&r, &a, LIT("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort")), -1);
    assert_int_equal(parse_raw_request(&r, &a, LIT("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\nshort")), -1);
    assert_int_equal(parse_raw_request(&r, &a, LIT("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\nshort")), -1);
    assert_int_equal(
        parse_raw_request(&r, &a, LIT("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nshort")), -1);
    /* A repeated one is refused even when equal, and so is one sent with Transfer-Encoding. */
    assert_int_equal(
        parse_raw_request(&r, &a, LIT("POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nab")), -1);
    assert_int_equal(
        parse_raw_request(&r, &a, LIT("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\nab")), -1);
    assert_int_equal(
        parse_raw_request(&r, &a, LIT("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\nx")), -1);
    arena_free(&a);
}

static void test_rawreq_malformed(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    RawRequest r;
    static const char *const bad[] = {
        "",
        "\r\n\r\n",
        "GET\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / HTTP/1.1 extra\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        " GET / HTTP/1.1\r\n\r\n",
        "GET / http/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nNoColonHere\r\n\r\n",
        "GET / HTTP/1.1\r\n: empty-name\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(parse_raw_request(&r, &a, bad[i], strlen(bad[i])), -1);
    assert_int_equal(parse_raw_request(&r, &a, NULL, 0), -1);
    arena_free(&a);
}

static void test_rawreq_limits(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    RawRequest r;
    Buf b = BUF_INIT;
    buf_puts(&b, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < RAWREQ_MAX_HEADERS; i++) buf_printf(&b, "H%d: %d\r\n", i, i);
    size_t at_cap = b.len;
    buf_puts(&b, "\r\n");
    assert_int_equal(parse_raw_request(&r, &a, b.data, b.len), 0);
    assert_int_equal(r.headers.n, RAWREQ_MAX_HEADERS);
    b.len = at_cap;
    buf_puts(&b, "One-Too-Many: x\r\n\r\n");
    assert_int_equal(parse_raw_request(&r, &a, b.data, b.len), -1);

    buf_reset(&b);
    buf_puts(&b, "GET / HTTP/1.1\r\nBig: ");
    for (int i = 0; i < RAWREQ_MAX_HEADER_BYTES; i++) buf_putc(&b, 'x');
    buf_puts(&b, "\r\n\r\n");
    assert_int_equal(parse_raw_request(&r, &a, b.data, b.len), -1);
    buf_free(&b);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_decode_basic),
        cmocka_unit_test(test_urlencoded_japanese),
        cmocka_unit_test(test_urlencoded_plus_and_invalid),
        cmocka_unit_test(test_urlencoded_repeated_and_empty),
        cmocka_unit_test(test_urlencoded_field_cap),
        cmocka_unit_test(test_cookies),
        cmocka_unit_test(test_cookie_cap),
        cmocka_unit_test(test_multipart_boundary),
        cmocka_unit_test(test_multipart_ok),
        cmocka_unit_test(test_multipart_lf_and_empty_file),
        cmocka_unit_test(test_multipart_malformed),
        cmocka_unit_test(test_multipart_quoted_boundary),
        cmocka_unit_test(test_multipart_part_cap),
        cmocka_unit_test(test_rawreq_lf_only),
        cmocka_unit_test(test_rawreq_content_length),
        cmocka_unit_test(test_rawreq_malformed),
        cmocka_unit_test(test_rawreq_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
