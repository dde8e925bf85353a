/* fuzz_encoding.c - libFuzzer target for src/io/encoding.c.
 *
 * Checks: to_utf8 agrees with encoding_detect and yields valid UTF-8 or a
 * sane error position (leaving out untouched); utf8_to_cp932 of that output
 * always succeeds when the input was CP932 (everything CP932 decodes to, it
 * can encode), keeps the byte length, and decodes back to the same text;
 * bytes are identical unless the input holds codes CP932 has twice (NEC row
 * 13, NEC-selected and IBM extensions: leads 0x87, 0xED, 0xEE, 0xFA..0xFC).
 * utf8_to_cp932 on the raw bytes succeeds only for valid UTF-8 and reports
 * each problem with a position and a character.
 *
 * Build: clang -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc
 *        tests/fuzz/fuzz_encoding.c src/io/encoding.c src/io/text.c src/core/buf.c -lutf8proc */
#include <stdint.h>
#include <string.h>

#include "../../src/io/encoding.h"
#include "../../src/io/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_problems(const EncProblem *p, int np, int max)
{
    for (int i = 0; i < np && i < max; i++) {
        if (p[i].line < 1 || p[i].col < 1) __builtin_trap();
        size_t len = strnlen(p[i].ch, sizeof p[i].ch);
        if (len == 0 || len > 4 || !utf8_valid(p[i].ch, len)) __builtin_trap();
        if (i > 0 && (p[i].line < p[i - 1].line ||
                      (p[i].line == p[i - 1].line && p[i].col <= p[i - 1].col)))
            __builtin_trap();
    }
}

static int has_duplicate_leads(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x87 || c == 0xED || c == 0xEE || c >= 0xFA) return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    Encoding e = encoding_detect(s, size);
    if (e != ENC_UTF8_BOM && e != ENC_UTF8 && e != ENC_CP932) __builtin_trap();
    if (e == ENC_UTF8 && !utf8_valid(s, size)) __builtin_trap();

    Buf u = BUF_INIT;
    buf_puts(&u, "#");
    Encoding d = ENC_UTF8;
    int line = 0, col = 0;
    int r = to_utf8(s, size, &u, &d, &line, &col);
    if (u.data[u.len] != '\0' || u.data[0] != '#') __builtin_trap();
    if (r != 0) {
        if (r != -1 || line < 1 || col < 1 || u.len != 1) __builtin_trap();
        if (e == ENC_UTF8) __builtin_trap(); /* valid UTF-8 never fails */
        buf_free(&u);
        goto raw;
    }
    if (d != e || !utf8_valid(u.data + 1, u.len - 1)) __builtin_trap();
    if (e != ENC_CP932 && u.len - 1 != size - (e == ENC_UTF8_BOM ? 3 : 0)) __builtin_trap();

    Buf c = BUF_INIT;
    EncProblem p[4];
    int np = -1;
    int r2 = utf8_to_cp932(u.data + 1, u.len - 1, &c, p, 4, &np);
    if ((r2 == 0) != (np == 0) || np < 0) __builtin_trap();
    if (r2 != 0) check_problems(p, np, 4);
    if (e == ENC_CP932) {
        if (r2 != 0 || c.len != size) __builtin_trap();
        if (!has_duplicate_leads(s, size) && memcmp(c.data, s, size) != 0) __builtin_trap();
        /* Decode again (unless the re-encoded bytes now read as UTF-8). */
        if (encoding_detect(c.data, c.len) == ENC_CP932) {
            Buf u2 = BUF_INIT;
            if (to_utf8(c.data, c.len, &u2, &d, NULL, NULL) != 0) __builtin_trap();
            if (u2.len != u.len - 1 || memcmp(u2.data, u.data + 1, u2.len) != 0)
                __builtin_trap();
            buf_free(&u2);
        }
    }
    buf_free(&c);
    buf_free(&u);

raw:;
    /* The raw bytes as if they were UTF-8. */
    Buf c2 = BUF_INIT;
    EncProblem q[3];
    int nq = -1;
    int r3 = utf8_to_cp932(s, size, &c2, q, 3, &nq);
    size_t skip = e == ENC_UTF8_BOM ? 3 : 0;
    if (r3 == 0 && (nq != 0 || !utf8_valid(s + skip, size - skip))) __builtin_trap();
    if (r3 != 0 && (r3 != -1 || nq < 1)) __builtin_trap();
    if (r3 != 0) check_problems(q, nq, 3);
    buf_free(&c2);
    return 0;
}
