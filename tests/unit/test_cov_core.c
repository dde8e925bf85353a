/* test_cov_core.c - the shared helpers at their edges: the one clock's
 * dates (leap days, 3/31 and 4/1, dates that do not exist), whole-string
 * numbers and codes (職員番号, unit codes), long formatted text, large arena
 * blocks, and the error list when it is full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/errors.h"
#include "core/util.h"

static int teardown(void **state)
{
    (void)state;
    util_set_clock(0);
    util_clock_set_today(NULL);
    return 0;
}

static void today_is(const char *iso)
{
    char d[11];
    assert_int_equal(util_clock_set_today(iso), 0);
    now_date(d);
    assert_string_equal(d, iso);
}

static void test_clock_dates(void **state)
{
    (void)state;
    today_is("2027-03-31");
    today_is("2027-04-01");
    today_is("2028-02-29"); /* leap year */
    today_is("2000-02-29"); /* divisible by 400 */
    today_is("1900-01-01");
    today_is("9999-12-31");
    /* dates that do not exist leave the clock where it was */
    const char *bad[] = {"2027-02-29", "1900-02-29", "2100-02-29", "2027-04-31", "2027-13-01", "2027-00-10", "2027-01-00",
                         "1899-12-31", "2027/04/01", "2027-4-1",   "27-04-01",   "2027-04-01x", "",          "abcd-ef-gh"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (!bad[i][0]) continue; /* "" means the real date, tested below */
        if (util_clock_set_today(bad[i]) != -1) fail_msg("%s was taken as a date", bad[i]);
        char d[11];
        now_date(d);
        assert_string_equal(d, "9999-12-31");
    }
    /* "" and NULL return to the real date */
    assert_int_equal(util_clock_set_today(""), 0);
    int64_t real = (int64_t)time(NULL);
    assert_true(now_unix() - real < 5 && real - now_unix() < 5);
    /* a pinned instant wins over the shift, and 0 lets the clock run again */
    util_clock_set_today("2026-11-16");
    util_set_clock(1000000000); /* 2001-09-09 */
    char iso[32];
    now_iso(iso);
    assert_int_equal(strncmp(iso, "2001-09-09", 10), 0);
    assert_int_equal(now_unix(), 1000000000);
    util_set_clock(0);
    char d[11];
    now_date(d);
    assert_string_equal(d, "2026-11-16");
    assert_int_equal(util_clock_init(), 0);
}

static void test_numbers_and_codes(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_true(parse_int64("2026", &v));
    assert_int_equal(v, 2026);
    assert_true(parse_int64("-7", &v));
    assert_int_equal(v, -7);
    assert_false(parse_int64("", &v));
    assert_false(parse_int64(NULL, &v));
    assert_false(parse_int64("12a", &v));
    assert_false(parse_int64("99999999999999999999", &v)); /* out of range */
    assert_int_equal(v, -7);
    /* codes: ASCII letters and digits plus the extra characters */
    assert_true(str_is_code("K10260", 16, ""));
    assert_true(str_is_code("1-02-02-1", 16, "-_"));
    assert_true(str_is_code("a_b", 16, "-_"));
    assert_false(str_is_code("1-02", 16, ""));
    assert_false(str_is_code("K1026", 4, ""));
    assert_false(str_is_code("", 4, ""));
    assert_false(str_is_code(NULL, 4, ""));
    assert_false(str_is_code("Ｋ１", 16, "")); /* full-width is normalised before, never here */
    assert_false(str_is_code("K 1", 16, "-"));
    assert_false(str_is_code("K@1", 16, "-_"));
    assert_true(str_is_code("Zz09", 4, ""));
    assert_true(str_empty(NULL));
    assert_true(str_empty(""));
    assert_false(str_empty(" "));
    assert_true(str_eq("a", "a"));
    assert_false(str_eq("a", NULL));
    assert_false(str_eq(NULL, NULL));
    /* random tokens: hex of the length asked, capped at 64 bytes */
    char tok[200];
    random_hex(tok, 16);
    assert_int_equal(strlen(tok), 32);
    assert_int_equal(strspn(tok, "0123456789abcdef"), 32);
    random_hex(tok, 90);
    assert_int_equal(strlen(tok), 128);
    char h[65];
    sha256_hex("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_buffers_and_arena(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    assert_string_equal(buf_cstr(&b), "");
    /* formatted text longer than the 256-byte fast path */
    char name[400];
    memset(name, 'x', 399);
    name[399] = '\0';
    buf_printf(&b, "[%s]%d", name, 42);
    assert_int_equal(b.len, 403);
    assert_int_equal(strcmp(b.data + 400, "]42"), 0);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_cstr(&b), "");
    buf_putc(&b, 'a');
    buf_append(&b, "", 0);
    char *owned = buf_detach(&b);
    assert_string_equal(owned, "a");
    assert_null(b.data);
    free(owned);
    Buf empty = BUF_INIT;
    buf_reset(&empty);
    owned = buf_detach(&empty);
    assert_string_equal(owned, "");
    free(owned);
    char *s = xasprintf("%s年度 %d件", "令和8", 3);
    assert_string_equal(s, "令和8年度 3件");
    free(s);
    s = xstrdup("職員");
    assert_string_equal(s, "職員");
    free(s);
    free(xmalloc(0));
    free(xcalloc(0, 0));
    free(xrealloc(NULL, 0));
    /* arena: small pieces, one large block behind the current one, and the
     * current block's room still used afterwards */
    Arena a = ARENA_INIT;
    char *small1 = arena_strdup(&a, "小");
    char *big = arena_alloc(&a, 100000);
    memset(big, 'b', 100000);
    char *small2 = arena_printf(&a, "%s-%d", small1, 2);
    assert_string_equal(small2, "小-2");
    assert_true((size_t)(small2 - small1) < 16 * 1024);
    assert_null(arena_strdup(&a, NULL));
    char *z = arena_zalloc(&a, 64);
    for (int i = 0; i < 64; i++) assert_int_equal(z[i], 0);
    assert_int_equal(((uintptr_t)z) % 16, 0);
    for (int i = 0; i < 2000; i++) arena_strdup(&a, "a few bytes of text"); /* several ordinary blocks */
    assert_int_equal(big[99999], 'b');
    arena_free(&a);
    assert_null(a.head);
}

static void test_errors_when_full(void **state)
{
    (void)state;
    Errors *e = calloc(1, sizeof *e);
    assert_false(err_any(e));
    assert_null(err_for(e, "login"));
    err_add(e, "login", "ログイン名が必要です。");
    err_addf(e, "row", "%d行目：%s", 3, "職員番号がありません");
    assert_string_equal(err_for(e, "row"), "3行目：職員番号がありません");
    assert_string_equal(err_for(e, "login"), "ログイン名が必要です。");
    assert_null(err_for(e, "log"));
    /* more than ERRORS_MAX: the first ones are kept, the rest dropped */
    for (int i = 0; i < 40; i++) err_addf(e, "file", "%d行目", i + 1);
    assert_int_equal(e->n, ERRORS_MAX);
    assert_string_equal(e->items[ERRORS_MAX - 1].msg, "30行目");
    /* a full pool gives empty text rather than overrunning */
    Errors *f = calloc(1, sizeof *f);
    char longmsg[500];
    memset(longmsg, 'm', 499);
    longmsg[499] = '\0';
    for (int i = 0; i < 20; i++) err_addf(f, "f", "%s", longmsg);
    assert_int_equal(f->n, 20);
    assert_true(f->used <= ERRORS_POOL);
    assert_string_equal(f->items[0].msg, longmsg);
    assert_string_equal(f->items[19].msg, "");
    free(e);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_dates),
        cmocka_unit_test(test_numbers_and_codes),
        cmocka_unit_test(test_buffers_and_arena),
        cmocka_unit_test(test_errors_when_full),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
