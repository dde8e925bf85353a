/* test_text.c - unit tests for src/io/text.c (UTF-8, folding, dates, 和暦). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/io/text.h"

static bool valid(const char *s) { return utf8_valid(s, strlen(s)); }

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(valid("abc"));
    assert_true(valid("日本語"));
    assert_true(valid("\xC2\x80"));             /* U+0080 */
    assert_true(valid("\xED\x9F\xBF"));         /* U+D7FF */
    assert_true(valid("\xEE\x80\x80"));         /* U+E000 */
    assert_true(valid("\xEF\xBF\xBF"));         /* U+FFFF */
    assert_true(valid("\xF0\x9F\x98\x80"));     /* U+1F600 */
    assert_true(valid("\xF4\x8F\xBF\xBF"));     /* U+10FFFF */
    assert_true(utf8_valid("a\0b", 3));         /* embedded NUL is U+0000 */

    assert_false(valid("\xC0\xAF"));            /* overlong '/' */
    assert_false(valid("\xC1\xBF"));            /* overlong */
    assert_false(valid("\xE0\x80\xAF"));        /* overlong, 3 bytes */
    assert_false(valid("\xE0\x9F\xBF"));        /* overlong U+07FF */
    assert_false(valid("\xF0\x80\x80\xAF"));    /* overlong, 4 bytes */
    assert_false(valid("\xF0\x8F\xBF\xBF"));    /* overlong U+FFFF */
    assert_false(valid("\xED\xA0\x80"));        /* U+D800 surrogate */
    assert_false(valid("\xED\xBF\xBF"));        /* U+DFFF surrogate */
    assert_false(valid("\xF4\x90\x80\x80"));    /* U+110000 */
    assert_false(valid("\xF5\x80\x80\x80"));
    assert_false(valid("\xFF"));
    assert_false(valid("\x80"));                /* lone continuation */
    assert_false(valid("a\xE6\x97"));           /* truncated 日 */
    assert_false(valid("\xF0\x9F\x98"));        /* truncated emoji */
    assert_false(valid("\xE6\x97" "a"));        /* bad continuation */
    assert_false(utf8_valid("日", 2));           /* truncated by n */

    assert_int_equal(utf8_chars(""), 0);
    assert_int_equal(utf8_chars("abc"), 3);
    assert_int_equal(utf8_chars("日本語a"), 4);
    assert_int_equal(utf8_chars("\xF0\x9F\x98\x80"), 1);
}

static void test_fold(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    assert_string_equal(text_fold(&a, "ヤマダ　タロウ"), "やまだたろう");
    assert_string_equal(text_fold(&a, "やまだ たろう"), "やまだたろう");
    assert_string_equal(text_fold(&a, "ﾔﾏﾀﾞﾀﾛｳ"), "やまだたろう");
    assert_string_equal(text_fold(&a, " \tやまだ\n\r\xC2\xA0たろう "), "やまだたろう");
    assert_string_equal(text_fold(&a, "ＡＢＣ１２３"), "abc123");
    assert_string_equal(text_fold(&a, "Hello World"), "helloworld");
    assert_string_equal(text_fold(&a, "髙橋"), "高橋"); /* 異体字 fold to one form */
    static const char *const same[][2] = {{"髙橋", "高橋"}, {"山﨑", "山崎"}, {"德永", "徳永"}, {"齋藤", "斎藤"}, {"齊藤", "斎藤"},
                                          {"渡邊", "渡辺"}, {"渡邉", "渡辺"}, {"澤田", "沢田"}, {"濵田", "浜田"}, {"濱田", "浜田"},
                                          {"國井", "国井"}, {"中嶋", "中島"}, {"𠮷田", "吉田"}, {"4月〜6月", "4月～6月"}, {"A−1", "A-1"}};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) assert_string_equal(text_fold(&a, same[i][0]), text_fold(&a, same[i][1]));
    assert_string_equal(text_fold(&a, "4月〜6月"), "4月~6月");
    assert_string_equal(text_fold(&a, "ヴァイオリン"), "ゔぁいおりん");
    assert_string_equal(text_fold(&a, "ヽヾ"), "ゝゞ");
    assert_string_equal(text_fold(&a, "ヵヶ"), "ゕゖ");
    assert_string_equal(text_fold(&a, "コーヒー"), "こーひー"); /* ー is kept */
    assert_string_equal(text_fold(&a, "㈱"), "(株)");
    assert_string_equal(text_fold(&a, ""), "");
    assert_string_equal(text_fold(&a, "\xC0\xAF"), "");
    assert_string_equal(text_fold(&a, "ok\xED\xA0\x80"), "");
    assert_string_equal(text_fold(&a, NULL), "");
    arena_free(&a);
}

static void test_trim(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    assert_string_equal(text_trim(&a, "  abc \t\n"), "abc");
    assert_string_equal(text_trim(&a, "　山田　太郎　"), "山田　太郎");
    assert_string_equal(text_trim(&a, " \u3000 x y \u3000"), "x y");
    assert_string_equal(text_trim(&a, "   "), "");
    assert_string_equal(text_trim(&a, "　"), "");
    assert_string_equal(text_trim(&a, ""), "");
    assert_string_equal(text_trim(&a, NULL), "");
    assert_string_equal(text_trim(&a, "\xE3\x80"), "\xE3\x80"); /* partial U+3000 */
    arena_free(&a);
}

static void assert_date(Date d, int y, int m, int day)
{
    assert_int_equal(d.y, y);
    assert_int_equal(d.m, m);
    assert_int_equal(d.d, day);
}

static void test_date_parse(void **state)
{
    (void)state;
    Date d = {0, 0, 0};
    assert_true(date_parse("2026-04-01", &d));
    assert_date(d, 2026, 4, 1);
    assert_true(date_parse("2028-02-29", &d));
    assert_date(d, 2028, 2, 29);
    assert_true(date_parse("2000-02-29", &d));
    assert_true(date_parse("1868-01-01", &d));
    assert_true(date_parse("9999-12-31", &d));

    d = (Date){1, 2, 3};
    assert_false(date_parse("2026-02-29", &d));
    assert_date(d, 1, 2, 3); /* untouched on failure */
    assert_false(date_parse("1900-02-29", &d));
    assert_false(date_parse("2026-04-31", &d));
    assert_false(date_parse("2026-13-01", &d));
    assert_false(date_parse("2026-00-10", &d));
    assert_false(date_parse("2026-01-00", &d));
    assert_false(date_parse("1867-12-31", &d));
    assert_false(date_parse("2026-4-1", &d));
    assert_false(date_parse("2026-04-01x", &d));
    assert_false(date_parse("2026/04/01", &d));
    assert_false(date_parse("garbage", &d));
    assert_false(date_parse("", &d));
    assert_false(date_parse(NULL, &d));

    char iso[11];
    date_iso((Date){2026, 4, 1}, iso);
    assert_string_equal(iso, "2026-04-01");
    date_iso((Date){1868, 12, 9}, iso);
    assert_string_equal(iso, "1868-12-09");
}

static void test_date_math(void **state)
{
    (void)state;
    assert_true(date_cmp((Date){2026, 4, 1}, (Date){2026, 4, 1}) == 0);
    assert_true(date_cmp((Date){2026, 3, 31}, (Date){2026, 4, 1}) < 0);
    assert_true(date_cmp((Date){2027, 1, 1}, (Date){2026, 12, 31}) > 0);

    assert_date(date_add_days((Date){2026, 3, 31}, 1), 2026, 4, 1);
    assert_date(date_add_days((Date){2026, 12, 31}, 1), 2027, 1, 1);
    assert_date(date_add_days((Date){2028, 2, 28}, 1), 2028, 2, 29);
    assert_date(date_add_days((Date){2026, 2, 28}, 1), 2026, 3, 1);
    assert_date(date_add_days((Date){2026, 1, 1}, -1), 2025, 12, 31);
    assert_date(date_add_days((Date){2026, 4, 1}, 365), 2027, 4, 1);
    assert_date(date_add_days((Date){1970, 1, 1}, 0), 1970, 1, 1);

    Date t = date_today();
    char iso[11];
    date_iso(t, iso);
    Date back;
    assert_true(date_parse(iso, &back));
    assert_int_equal(date_cmp(t, back), 0);
}

static void test_nendo(void **state)
{
    (void)state;
    assert_int_equal(nendo_of((Date){2027, 3, 31}), 2026);
    assert_int_equal(nendo_of((Date){2027, 4, 1}), 2027);
    assert_int_equal(nendo_of((Date){2026, 4, 1}), 2026);
    assert_int_equal(nendo_of((Date){2026, 1, 1}), 2025);
    assert_int_equal(nendo_of((Date){2026, 12, 31}), 2026);

    Date f, l;
    nendo_range(2026, &f, &l);
    assert_date(f, 2026, 4, 1);
    assert_date(l, 2027, 3, 31);
    nendo_range(2026, NULL, &l);
    assert_date(l, 2027, 3, 31);
}

/* Runs fn into a fresh Buf and compares the result. */
#define assert_buf(expect, call)                                               \
    do {                                                                       \
        Buf b_ = BUF_INIT;                                                     \
        call;                                                                  \
        assert_string_equal(buf_cstr(&b_), expect);                            \
        buf_free(&b_);                                                         \
    } while (0)

static void test_wareki(void **state)
{
    (void)state;
    assert_buf("令和8年4月1日", wareki_date(&b_, (Date){2026, 4, 1}));
    assert_buf("令和元年5月1日", wareki_date(&b_, (Date){2019, 5, 1}));
    assert_buf("平成31年4月30日", wareki_date(&b_, (Date){2019, 4, 30}));
    assert_buf("令和2年1月1日", wareki_date(&b_, (Date){2020, 1, 1}));
    assert_buf("平成元年1月8日", wareki_date(&b_, (Date){1989, 1, 8}));
    assert_buf("昭和64年1月7日", wareki_date(&b_, (Date){1989, 1, 7}));
    assert_buf("昭和元年12月25日", wareki_date(&b_, (Date){1926, 12, 25}));
    assert_buf("大正15年12月24日", wareki_date(&b_, (Date){1926, 12, 24}));
    assert_buf("大正元年7月30日", wareki_date(&b_, (Date){1912, 7, 30}));
    assert_buf("明治45年7月29日", wareki_date(&b_, (Date){1912, 7, 29}));
    assert_buf("明治元年10月23日", wareki_date(&b_, (Date){1868, 10, 23}));
    assert_buf("1868年10月22日", wareki_date(&b_, (Date){1868, 10, 22}));

    assert_buf("令和8年4月1日", wareki_date_iso(&b_, "2026-04-01"));
    assert_buf("2026-02-29", wareki_date_iso(&b_, "2026-02-29"));
    assert_buf("<b>", wareki_date_iso(&b_, "<b>"));
    assert_buf("", wareki_date_iso(&b_, NULL));

    assert_buf("令和8年度", wareki_nendo(&b_, 2026));
    assert_buf("令和元年度", wareki_nendo(&b_, 2019));
    assert_buf("平成30年度", wareki_nendo(&b_, 2018));
    assert_buf("平成元年度", wareki_nendo(&b_, 1989));
    assert_buf("昭和63年度", wareki_nendo(&b_, 1988));
    assert_buf("大正15年度", wareki_nendo(&b_, 1926));
    assert_buf("明治45年度", wareki_nendo(&b_, 1912));
    assert_buf("令和8年", wareki_year(&b_, 2026));
    assert_buf("令和元年", wareki_year(&b_, 2019));
}

static void test_date_parse_loose(void **state)
{
    (void)state;
    static const char *ok_20260401[] = {
        "2026-04-01", "2026/4/1", "2026.4.1", "2026年4月1日", "2026年04月01日",
        "20260401", "R8.4.1", "r8/4/1", "R8-04-01", "令和8年4月1日", "令和8.4.1",
        "２０２６／４／１", "Ｒ８．４．１", "令和８年４月１日", " 2026 / 4 / 1 ",
        "平成38年4月1日", /* past the era's end is accepted */
        /* with a time of day, as spreadsheets and other systems write them */
        "2026/4/1 0:00", "2026/04/01 00:00:00", "2026-04-01T00:00:00", "2026-04-01T09:30", "2026-04-01 23:59:59.123",
        "2026-04-01T00:00:00Z", "2026-04-01T00:00:00+09:00", "2026-04-01T00:00:00.000-0500", "令和8年4月1日 9:00", "２０２６／４／１　０：００",
    };
    for (size_t i = 0; i < sizeof ok_20260401 / sizeof *ok_20260401; i++) {
        Date d = {0, 0, 0};
        if (!date_parse_loose(ok_20260401[i], &d)) fail_msg("rejected: %s", ok_20260401[i]);
        assert_date(d, 2026, 4, 1);
    }
    Date d;
    assert_true(date_parse_loose("令和元年5月1日", &d));
    assert_date(d, 2019, 5, 1);
    assert_true(date_parse_loose("H31.4.30", &d));
    assert_date(d, 2019, 4, 30);
    assert_true(date_parse_loose("S64.1.7", &d));
    assert_date(d, 1989, 1, 7);
    assert_true(date_parse_loose("㍻元年1月8日", &d));
    assert_date(d, 1989, 1, 8);
    assert_true(date_parse_loose("2028/2/29", &d));
    assert_date(d, 2028, 2, 29);

    static const char *bad[] = {
        "", "garbage", "2026/2/29", "2026/13/1", "2026/4/31", "R8.2.29",
        "令和元年4月30日", /* before 令和 began */
        "R0.4.1", "R.4.1", "X8.4.1", "2026/4", "2026/4/1/", "26/4/1", "20260229",
        "2026-04-01x", "\xC0\xAF", "1867/1/1", "10000/1/1", "R100.1.1",
        "2026/4/1 25:00", "2026/4/1 0:0", "2026/4/1 0:00:", "2026/4/1 0:00 x", "2026/4/1T", "2026/4/1 :00", "2026/13/1 0:00",
        "T0:00", "2026/4/1 0:60", "2026-04-01T00:00:00+9",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        d = (Date){7, 7, 7};
        if (date_parse_loose(bad[i], &d)) fail_msg("accepted: %s", bad[i]);
        assert_date(d, 7, 7, 7);
    }
    assert_false(date_parse_loose(NULL, &d));
}

static void test_nendo_parse_loose(void **state)
{
    (void)state;
    static const char *ok_2026[] = {
        "2026", "2026年度", "2026年", "R8", "r8", "令和8", "令和8年度", "令和8年",
        "２０２６", "Ｒ８", "令和８年度", " 令和 8 年度 ",
    };
    for (size_t i = 0; i < sizeof ok_2026 / sizeof *ok_2026; i++) {
        int n = 0;
        if (!nendo_parse_loose(ok_2026[i], &n)) fail_msg("rejected: %s", ok_2026[i]);
        assert_int_equal(n, 2026);
    }
    int n;
    assert_true(nendo_parse_loose("令和元年度", &n));
    assert_int_equal(n, 2019);
    assert_true(nendo_parse_loose("平成元年度", &n));
    assert_int_equal(n, 1989);
    assert_true(nendo_parse_loose("H30", &n));
    assert_int_equal(n, 2018);

    static const char *bad[] = {
        "", "abc", "R0", "R", "令和", "202", "20260", "1867", "2026年度x", "2026度",
        "R8.4", "\xFF",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        n = 42;
        if (nendo_parse_loose(bad[i], &n)) fail_msg("accepted: %s", bad[i]);
        assert_int_equal(n, 42);
    }
    assert_false(nendo_parse_loose(NULL, &n));
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(date_weekday((Date){2026, 11, 24}), 2); /* Tuesday */
    assert_int_equal(date_weekday((Date){2026, 12, 6}), 0);  /* Sunday */
    assert_int_equal(date_weekday((Date){2000, 2, 29}), 2);
    assert_int_equal(date_weekday((Date){2027, 1, 2}), 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_date_math),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_nendo),
        cmocka_unit_test(test_wareki),
        cmocka_unit_test(test_date_parse_loose),
        cmocka_unit_test(test_nendo_parse_loose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
