/* test_mail.c - the mail encoding: RFC 2047 subjects split at whole
 * characters, base64 UTF-8 bodies, addresses, and the retry backoff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "domain/mail.h"

/* Decodes every =?UTF-8?B?...?= word of s and joins them. */
static void decode_words(const char *s, char *out, size_t n)
{
    size_t len = 0;
    const char *p = s;
    while ((p = strstr(p, "=?UTF-8?B?"))) {
        p += 10;
        const char *end = strstr(p, "?=");
        assert_non_null(end);
        assert_true(end - p + 12 <= 75); /* an encoded word is at most 75 characters */
        size_t got = 0;
        assert_int_equal(sodium_base642bin((unsigned char *)out + len, n - len - 1, p, (size_t)(end - p), NULL, &got, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        /* Each word holds whole characters: it is valid UTF-8 alone. */
        assert_true(got == 0 || ((unsigned char)out[len] & 0xC0) != 0x80);
        len += got;
        p = end + 2;
    }
    out[len] = 0;
}

static void test_subject_round_trip(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    const char *subjects[] = {"テスト", "[人材育成] 【督促】自己評価の提出をお願いします（2026年度）",
                              "ASCII only subject", "研修申込の承認依頼：山田 太郎 さん、研修「情報セキュリティ研修（管理職向け）」"};
    for (size_t i = 0; i < sizeof subjects / sizeof *subjects; i++) {
        char *enc = mail_encode_subject(&a, subjects[i]);
        assert_null(strchr(enc, '\n') ? strstr(enc, "\n\n") : NULL);
        char dec[512];
        decode_words(enc, dec, sizeof dec);
        assert_string_equal(dec, subjects[i]);
        /* Folded lines start with a space. */
        for (const char *p = strchr(enc, '\n'); p; p = strchr(p + 1, '\n')) assert_int_equal(p[1], ' ');
    }
    arena_free(&a);
}

static void test_message_headers_and_body(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    char *m = mail_message(&a, "jinzai@city.example.jp", "u1@city.example.jp", "お知らせ", "一行目\n二行目\n", 1790000000, 7);
    assert_non_null(strstr(m, "MIME-Version: 1.0\r\n"));
    assert_non_null(strstr(m, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(m, "Content-Transfer-Encoding: base64\r\n"));
    assert_non_null(strstr(m, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(m, "Message-ID: <jinzai.7.1790000000@city.example.jp>\r\n"));
    const char *body = strstr(m, "\r\n\r\n") + 4;
    char text[256];
    size_t got = 0;
    assert_int_equal(sodium_base642bin((unsigned char *)text, sizeof text - 1, body, strlen(body), "\r\n", &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    text[got] = 0;
    assert_string_equal(text, "一行目\r\n二行目\r\n");
    arena_free(&a);
}

static void test_addresses(void **state)
{
    (void)state;
    assert_true(mail_address_ok("taro.yamada@city.example.jp"));
    assert_true(mail_address_ok("u1@localhost"));
    assert_false(mail_address_ok(""));
    assert_false(mail_address_ok("no-at.example.jp"));
    assert_false(mail_address_ok("a@b@c.jp"));
    assert_false(mail_address_ok("a b@c.jp"));
    assert_false(mail_address_ok("a@c.jp\r\nBcc: x@y.jp"));
    assert_false(mail_address_ok("<a@c.jp>"));
    assert_false(mail_address_ok("山田@c.jp"));
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(mail_backoff(1), 60);
    assert_int_equal(mail_backoff(2), 120);
    assert_int_equal(mail_backoff(3), 240);
    assert_int_equal(mail_backoff(9), 15360);
    assert_int_equal(mail_backoff(10), 6 * 3600);
    assert_int_equal(mail_backoff(30), 6 * 3600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subject_round_trip),
        cmocka_unit_test(test_message_headers_and_body),
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_backoff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
