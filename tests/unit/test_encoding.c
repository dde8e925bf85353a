/* test_encoding.c - unit tests for src/io/encoding.c (UTF-8 / CP932). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/io/encoding.h"
#include "../../src/io/text.h"

/* to_utf8 of a string literal (n = strlen) that must succeed. */
static char *dec(const char *s, Encoding *enc)
{
    Buf b = BUF_INIT;
    Encoding e = ENC_UTF8;
    int line = -7, col = -7;
    assert_int_equal(to_utf8(s, strlen(s), &b, &e, &line, &col), 0);
    assert_true(utf8_valid(b.data, b.len));
    if (enc) *enc = e;
    return buf_detach(&b);
}

/* utf8_to_cp932 that must succeed. */
static char *enc932(const char *s)
{
    Buf b = BUF_INIT;
    int np = -1;
    assert_int_equal(utf8_to_cp932(s, strlen(s), &b, NULL, 0, &np), 0);
    assert_int_equal(np, 0);
    return buf_detach(&b);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(encoding_name(ENC_UTF8_BOM), "UTF-8（BOM付き）");
    assert_string_equal(encoding_name(ENC_UTF8), "UTF-8");
    assert_string_equal(encoding_name(ENC_CP932), "CP932（Shift_JIS）");
}

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(encoding_detect(NULL, 0), ENC_UTF8);
    assert_int_equal(encoding_detect("", 0), ENC_UTF8);
    assert_int_equal(encoding_detect("ID,name\r\n1,a\r\n", 14), ENC_UTF8); /* ASCII */
    assert_int_equal(encoding_detect("氏名,髙橋", strlen("氏名,髙橋")), ENC_UTF8);
    assert_int_equal(encoding_detect("\xEF\xBB\xBF", 3), ENC_UTF8_BOM);
    assert_int_equal(encoding_detect("\xEF\xBB\xBFID,氏名", 3 + strlen("ID,氏名")), ENC_UTF8_BOM);
    assert_int_equal(encoding_detect("\xEF\xBB", 2), ENC_CP932); /* half a BOM */
    assert_int_equal(encoding_detect("\x8E\x81\x96\xBC", 4), ENC_CP932); /* 氏名 */
    assert_int_equal(encoding_detect("\xB6\xDE", 2), ENC_CP932);         /* ｶﾞ */
    assert_int_equal(encoding_detect("\xFB\xFC", 2), ENC_CP932);         /* 髙 */

    Encoding e;
    char *s = dec("plain ascii", &e);
    assert_int_equal(e, ENC_UTF8);
    assert_string_equal(s, "plain ascii");
    free(s);
    s = dec("\xEF\xBB\xBF氏名", &e);
    assert_int_equal(e, ENC_UTF8_BOM);
    assert_string_equal(s, "氏名"); /* BOM stripped */
    free(s);
    s = dec("\xEF\xBB\xBF", &e);
    assert_int_equal(e, ENC_UTF8_BOM);
    assert_string_equal(s, "");
    free(s);
    s = dec("\x8E\x81\x96\xBC", &e);
    assert_int_equal(e, ENC_CP932);
    assert_string_equal(s, "氏名");
    free(s);

    /* Empty input still yields a NUL-terminated buffer. */
    Buf b = BUF_INIT;
    assert_int_equal(to_utf8(NULL, 0, &b, NULL, NULL, NULL), 0);
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    buf_free(&b);
}

typedef struct Pair {
    const char *utf8, *cp932;
} Pair;

static void test_round_trip(void **state)
{
    (void)state;
    static const Pair pairs[] = {
        {"髙", "\xFB\xFC"},           /* U+9AD9, IBM extension */
        {"﨑", "\xFA\xB1"},           /* U+FA11 */
        {"①", "\x87\x40"},           /* NEC special */
        {"㈱", "\x87\x8A"},
        {"ⅰ", "\xFA\x40"},
        {"ｶﾞ", "\xB6\xDE"},          /* half-width katakana U+FF76 U+FF9E */
        {"～", "\x81\x60"},           /* U+FF5E */
        {"－", "\x81\x7C"},           /* U+FF0D */
        {"\\", "\x5C"},               /* 0x5C is U+005C, shown as ¥ */
        {"~", "\x7E"},
        {"日本語", "\x93\xFA\x96\x7B\x8C\xEA"},
        {"髙橋 﨑山①～ｶﾞ", "\xFB\xFC\x8B\xB4 \xFA\xB1\x8E\x52\x87\x40\x81\x60\xB6\xDE"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char *c = enc932(pairs[i].utf8);
        assert_string_equal(c, pairs[i].cp932);
        free(c);
        Encoding e;
        char *u = dec(pairs[i].cp932, &e);
        assert_string_equal(u, pairs[i].utf8);
        /* "\\" and "~" alone are ASCII, hence UTF-8 */
        assert_int_equal(e, (unsigned char)pairs[i].cp932[0] < 0x80 ? ENC_UTF8 : ENC_CP932);
        free(u);
    }

    /* One-way mappings (glibc, like Windows): accepted, never reported. */
    static const Pair oneway[] = {
        {"〜", "\x81\x60"}, /* U+301C WAVE DASH -> ～ */
        {"−", "\x81\x7C"}, /* U+2212 MINUS SIGN -> － */
        {"¥", "\x5C"},     /* U+00A5 YEN SIGN -> 0x5C */
    };
    for (size_t i = 0; i < sizeof oneway / sizeof oneway[0]; i++) {
        char *c = enc932(oneway[i].utf8);
        assert_string_equal(c, oneway[i].cp932);
        free(c);
    }
    char *u = dec("\x81\x60\x81\x7C", NULL);
    assert_string_equal(u, "～－");
    free(u);
}

/* Every CP932 double-byte code that decodes re-encodes to a code decoding to
 * the same character (NEC-selected/IBM duplicates may change bytes). */
static void test_all_codes(void **state)
{
    (void)state;
    int decoded = 0;
    for (unsigned lead = 0x81; lead <= 0xFC; lead++) {
        if (lead >= 0xA0 && lead <= 0xDF) continue;
        for (unsigned trail = 0x40; trail <= 0xFC; trail++) {
            char in[3] = {(char)lead, (char)trail, 0};
            Buf u = BUF_INIT, c = BUF_INIT, u2 = BUF_INIT;
            int line, col;
            if (to_utf8(in, 2, &u, NULL, &line, &col) != 0) {
                assert_int_equal(line, 1);
                assert_int_equal(col, 1);
                buf_free(&u);
                continue;
            }
            decoded++;
            assert_int_equal(utf8_to_cp932(u.data, u.len, &c, NULL, 0, NULL), 0);
            assert_int_equal(to_utf8(c.data, c.len, &u2, NULL, NULL, NULL), 0);
            assert_string_equal(u.data, u2.data);
            buf_free(&u);
            buf_free(&c);
            buf_free(&u2);
        }
    }
    assert_true(decoded > 7000); /* JIS X 0208 + NEC + IBM + user area */
}

static void test_invalid_cp932(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int line, col;
    } cases[] = {
        /* 氏名\r\n山田\r\n田中<bad> : CRLF counts as one line break */
        {"\x8E\x81\x96\xBC\r\n\x8E\x52\x93\x63\r\n\x93\x63\x92\x86\x80", 3, 3},
        {"\x8E\x81\x96\xBC,\xA0", 1, 4},         /* 0xA0 is not CP932 */
        {"\x8E\x81\n\xFD", 2, 1},                /* 0xFD..0xFF neither */
        {"\x8E\x81\n\xFF", 2, 1},
        {"\x8E\x81\nab\x87\x9E", 2, 3},          /* unassigned 0x879E */
        {"\x8E\x81\nab\x81\x20", 2, 3},          /* lead + bad trail */
        {"\x8E\x81\n\xB6\xDE\x8E", 2, 3},        /* truncated at end */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Buf b = BUF_INIT;
        buf_puts(&b, "keep");
        Encoding e = ENC_UTF8;
        int line = 0, col = 0;
        assert_int_equal(to_utf8(cases[i].in, strlen(cases[i].in), &b, &e, &line, &col), -1);
        assert_int_equal(e, ENC_CP932);
        assert_int_equal(line, cases[i].line);
        assert_int_equal(col, cases[i].col);
        assert_string_equal(b.data, "keep"); /* out restored */
        buf_free(&b);
    }

    /* BOM followed by invalid UTF-8: position after the BOM. */
    Encoding e;
    int line, col;
    Buf b = BUF_INIT;
    const char *s = "\xEF\xBB\xBF" "ID,氏名\r\n1,山\xE7\x94";
    assert_int_equal(to_utf8(s, strlen(s), &b, &e, &line, &col), -1);
    assert_int_equal(e, ENC_UTF8_BOM);
    assert_int_equal(line, 2);
    assert_int_equal(col, 4);

    /* UTF-8 with one corrupt byte late on: CP932 fails early (à = C3 A0),
     * so the UTF-8 position is the one reported. */
    s = "voilà\nx\ny\xFFz";
    assert_int_equal(to_utf8(s, strlen(s), &b, &e, &line, &col), -1);
    assert_int_equal(e, ENC_UTF8);
    assert_int_equal(line, 3);
    assert_int_equal(col, 2);
    buf_free(&b);
}

static void test_unrepresentable(void **state)
{
    (void)state;
    const char *s = "ID,名前\r\n1,𠮷田\r\n2,😀と𠮷\r\n3,髙橋\r\n";
    EncProblem p[8];
    int np = -1;
    Buf b = BUF_INIT;
    assert_int_equal(utf8_to_cp932(s, strlen(s), &b, p, 8, &np), -1);
    assert_int_equal(np, 3);
    assert_int_equal(p[0].line, 2);
    assert_int_equal(p[0].col, 3);
    assert_string_equal(p[0].ch, "𠮷");
    assert_int_equal(p[1].line, 3);
    assert_int_equal(p[1].col, 3);
    assert_string_equal(p[1].ch, "😀");
    assert_int_equal(p[2].line, 3);
    assert_int_equal(p[2].col, 5);
    assert_string_equal(p[2].ch, "𠮷");
    buf_reset(&b);

    /* Fewer slots than problems: the total is still counted. */
    memset(p, 0, sizeof p);
    assert_int_equal(utf8_to_cp932(s, strlen(s), &b, p, 1, &np), -1);
    assert_int_equal(np, 3);
    assert_string_equal(p[0].ch, "𠮷");
    assert_int_equal(p[1].line, 0); /* untouched */
    buf_reset(&b);
    assert_int_equal(utf8_to_cp932(s, strlen(s), &b, NULL, 0, &np), -1);
    assert_int_equal(np, 3);
    buf_reset(&b);

    /* A single unrepresentable character is never silently dropped. */
    assert_int_equal(utf8_to_cp932("😀", 4, &b, p, 8, &np), -1);
    assert_int_equal(np, 1);
    assert_int_equal(p[0].line, 1);
    assert_int_equal(p[0].col, 1);
    buf_reset(&b);
    assert_int_equal(utf8_to_cp932("¦", strlen("¦"), &b, p, 8, &np), -1); /* U+00A6 */
    assert_int_equal(np, 1);
    assert_string_equal(p[0].ch, "¦");
    buf_reset(&b);

    /* Invalid UTF-8 is reported as U+FFFD at its position. */
    assert_int_equal(utf8_to_cp932("ab\nc\xFF\x80" "d\xE6", 8, &b, p, 8, &np), -1);
    assert_int_equal(np, 2);
    assert_int_equal(p[0].line, 2);
    assert_int_equal(p[0].col, 2);
    assert_string_equal(p[0].ch, "\xEF\xBF\xBD");
    assert_int_equal(p[1].line, 2);
    assert_int_equal(p[1].col, 4);
    buf_free(&b);

    /* A leading BOM is dropped, not reported. */
    char *c = enc932("\xEF\xBB\xBF髙");
    assert_string_equal(c, "\xFB\xFC");
    free(c);
}

static void test_csv(void **state)
{
    (void)state;
    /* A CP932 CSV as Excel saves it: CRLF, quotes, kana, NEC/IBM characters. */
    const char *cp932 =
        "\x90\x45\x88\xf5\x94\xd4\x8d\x86,\x8e\x81\x96\xbc,\x8f\x8a\x91\xae,\x94\xf5\x8d\x6c\r\n"
        "0001,\xfb\xfc\x8b\xb4\x20\x91\xbe\x98\x59,\x91\x8d\x96\xb1\x89\xdb,\"\x87\x40\x81\x60\x87\x42\"\r\n"
        "0002,\xfa\xb1\x8e\x52\x20\x89\xd4\x8e\x71,\xba\xdd\xcb\xdf\xad\xb0\xc0\xb0\xb2\xde\xb8,\"a,b\"\"c\"\r\n";
    const char *utf8 =
        "職員番号,氏名,所属,備考\r\n"
        "0001,髙橋 太郎,総務課,\"①～③\"\r\n"
        "0002,﨑山 花子,ｺﾝﾋﾟｭｰﾀｰｲﾞｸ,\"a,b\"\"c\"\r\n";
    Encoding e;
    char *u = dec(cp932, &e);
    assert_int_equal(e, ENC_CP932);
    assert_string_equal(u, utf8);
    char *c = enc932(u);
    assert_string_equal(c, cp932);
    free(c);
    free(u);

    /* The same text as UTF-8 with BOM, and appending to a non-empty Buf. */
    Buf b = BUF_INIT;
    buf_puts(&b, ">");
    Buf in = BUF_INIT;
    buf_append(&in, "\xEF\xBB\xBF", 3);
    buf_puts(&in, utf8);
    assert_int_equal(to_utf8(in.data, in.len, &b, &e, NULL, NULL), 0);
    assert_int_equal(e, ENC_UTF8_BOM);
    assert_string_equal(b.data + 1, utf8);
    assert_int_equal(b.data[0], '>');
    buf_free(&b);
    buf_free(&in);

    /* Embedded NUL bytes pass through both ways. */
    Buf o = BUF_INIT;
    assert_int_equal(to_utf8("\x93\xfa\0\x96\x7b", 5, &o, &e, NULL, NULL), 0);
    assert_int_equal(e, ENC_CP932);
    assert_int_equal(o.len, 7);
    assert_memory_equal(o.data, "日\0本", 7);
    Buf c2 = BUF_INIT;
    assert_int_equal(utf8_to_cp932(o.data, o.len, &c2, NULL, 0, NULL), 0);
    assert_int_equal(c2.len, 5);
    assert_memory_equal(c2.data, "\x93\xfa\0\x96\x7b", 5);
    buf_free(&o);
    buf_free(&c2);
}

/* Large input: conversion spans many iconv output chunks. */
static void test_large(void **state)
{
    (void)state;
    Buf src = BUF_INIT;
    for (int i = 0; i < 20000; i++) buf_puts(&src, "髙橋,ｶﾞｯｺｳ,①～\r\n");
    Buf c = BUF_INIT, u = BUF_INIT;
    assert_int_equal(utf8_to_cp932(src.data, src.len, &c, NULL, 0, NULL), 0);
    Encoding e;
    assert_int_equal(to_utf8(c.data, c.len, &u, &e, NULL, NULL), 0);
    assert_int_equal(e, ENC_CP932);
    assert_int_equal(u.len, src.len);
    assert_memory_equal(u.data, src.data, src.len);

    /* A problem on the last line of a long text. */
    buf_puts(&src, "x😀");
    EncProblem p[1];
    int np;
    buf_reset(&c);
    assert_int_equal(utf8_to_cp932(src.data, src.len, &c, p, 1, &np), -1);
    assert_int_equal(np, 1);
    assert_int_equal(p[0].line, 20001);
    assert_int_equal(p[0].col, 2);

    /* Many problems: after the first one the text is converted in small
     * windows, which must not split characters or lose positions. */
    buf_reset(&src);
    for (int i = 0; i < 1000; i++) buf_puts(&src, i % 3 ? "あ髙ｶﾞ①𠮷\r\n" : "日本語のテキスト,ｶﾀｶﾅ\r\n");
    static EncProblem many[1000];
    buf_reset(&c);
    assert_int_equal(utf8_to_cp932(src.data, src.len, &c, many, 1000, &np), -1);
    assert_int_equal(np, 666);
    for (int i = 0, k = 0; i < 1000; i++) {
        if (i % 3 == 0) continue;
        assert_int_equal(many[k].line, i + 1);
        assert_int_equal(many[k].col, 6);
        assert_string_equal(many[k].ch, "𠮷");
        k++;
    }
    /* One long line where windows split characters: あ😀 is 7 bytes. */
    buf_reset(&src);
    for (int i = 0; i < 200; i++) buf_puts(&src, "あ😀");
    buf_reset(&c);
    assert_int_equal(utf8_to_cp932(src.data, src.len, &c, many, 1000, &np), -1);
    assert_int_equal(np, 200);
    for (int k = 0; k < 200; k++) {
        assert_int_equal(many[k].line, 1);
        assert_int_equal(many[k].col, 2 * k + 2);
        assert_string_equal(many[k].ch, "😀");
    }
    buf_free(&src);
    buf_free(&c);
    buf_free(&u);
}

/* The characters Unicode mappings of Shift_JIS disagree on go out by
 * Microsoft's table, and the note offered with CP932 files names each. */
static void test_microsoft_mapped(void **state)
{
    (void)state;
    static const struct {
        const char *utf8, *cp932, *back;
    } m[] = {{"〜", "\x81\x60", "～"}, {"−", "\x81\x7C", "－"}, {"¥", "\x5C", "\\"}, {"—", "\x81\x5C", "―"},
             {"‖", "\x81\x61", "∥"}, {"¬", "\x81\xCA", "￢"}, {"¢", "\x81\x91", "￠"}, {"£", "\x81\x92", "￡"}};
    for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
        Buf out = BUF_INIT, back = BUF_INIT;
        assert_int_equal(utf8_to_cp932(m[i].utf8, strlen(m[i].utf8), &out, NULL, 0, NULL), 0);
        assert_string_equal(buf_cstr(&out), m[i].cp932);
        Encoding e;
        assert_int_equal(to_utf8(out.data, out.len, &back, &e, NULL, NULL), 0);
        assert_string_equal(buf_cstr(&back), m[i].back);
        assert_non_null(strstr(CP932_MAPPED_NOTE, m[i].utf8));
        assert_non_null(strstr(CP932_MAPPED_NOTE, m[i].back));
        buf_free(&out);
        buf_free(&back);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_all_codes),
        cmocka_unit_test(test_invalid_cp932),
        cmocka_unit_test(test_unrepresentable),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_microsoft_mapped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
