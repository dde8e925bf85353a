/* encoding.c - UTF-8 / CP932 detection and conversion with glibc iconv; see
 * encoding.h. A converter is opened per call: iconv_open + iconv_close cost
 * about 0.15 us once glibc has loaded the gconv module, so no caching. */
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char BOM[3] = {'\xEF', '\xBB', '\xBF'};

const char *encoding_name(Encoding e)
{
    switch (e) {
    case ENC_UTF8_BOM: return "UTF-8（BOM付き）";
    case ENC_CP932: return "CP932（Shift_JIS）";
    case ENC_UTF8: break;
    }
    return "UTF-8";
}

static int has_bom(const char *data, size_t n)
{
    return n >= 3 && memcmp(data, BOM, 3) == 0;
}

Encoding encoding_detect(const char *data, size_t n)
{
    if (has_bom(data, n)) return ENC_UTF8_BOM;
    if (n == 0 || utf8_valid(data, n)) return ENC_UTF8;
    return ENC_CP932;
}

/* Length (1..4) of the well-formed UTF-8 sequence at s[0..n), 0 if there is
 * none (same rules as utf8_valid: no overlongs, surrogates, > U+10FFFF). */
static size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        else if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        else if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return len;
}

/* Offset of the first ill-formed UTF-8 byte in s[0..n), or n if none. */
static size_t utf8_bad_offset(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t len = seq_len(p + i, n - i);
        if (!len) return i;
        i += len;
    }
    return n;
}

/* Bytes the character at s[0..n) (n > 0) spans: a well-formed sequence, or
 * an ill-formed byte plus the continuation bytes after it (up to 4 in all),
 * which are reported and counted as one character. */
static size_t char_len(const unsigned char *s, size_t n)
{
    size_t len = seq_len(s, n);
    if (!len)
        for (len = 1; len < 4 && len < n && (s[len] & 0xC0) == 0x80; len++) {}
    return len;
}

/* Running line/column over a byte string, advanced monotonically so that
 * reporting many problems stays linear. col counts the characters before off
 * on the current line. */
typedef struct Pos {
    size_t off;
    long line, col;
} Pos;

static void pos_advance(Pos *p, const char *s, size_t to)
{
    const unsigned char *u = (const unsigned char *)s;
    while (p->off < to) {
        if (u[p->off] == '\n') {
            p->line++;
            p->col = 0;
            p->off++;
            continue;
        }
        size_t len = char_len(u + p->off, to - p->off);
        p->col++;
        p->off += len;
    }
}

static int clamp_int(long v) { return v > INT_MAX ? INT_MAX : (int)v; }

static void pos_at(const char *s, size_t to, int *line, int *col)
{
    Pos p = {0, 1, 0};
    pos_advance(&p, s, to);
    if (line) *line = clamp_int(p.line);
    if (col) *col = clamp_int(p.col + 1);
}

static iconv_t open_cd(const char *to, const char *from)
{
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1) {
        fprintf(stderr, "jinzai: iconv_open(%s, %s) failed\n", to, from);
        abort();
    }
    return cd;
}

/* Converts in[0..n) with cd, appending to out (kept NUL-terminated), until the
 * end or the first error. per_byte is the usual output size per input byte.
 * Returns 0, or EILSEQ/EINVAL with *done set to the input bytes consumed. */
static int run_iconv(iconv_t cd, const char *in, size_t n, Buf *out, size_t per_byte,
                     size_t *done)
{
    char *ip = (char *)in; /* iconv does not write through inbuf */
    size_t il = n;
    int err = 0;
    buf_reserve(out, n * per_byte + 16);
    while (il > 0) {
        buf_reserve(out, il * per_byte + 16);
        char *op = out->data + out->len;
        size_t ol = out->cap - out->len - 1;
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        out->len = (size_t)(op - out->data);
        if (r == (size_t)-1 && errno != E2BIG) {
            err = errno == EINVAL ? EINVAL : EILSEQ;
            break;
        }
    }
    out->data[out->len] = '\0';
    *done = n - il;
    return err;
}

int to_utf8(const char *data, size_t n, Buf *out, Encoding *detected, int *bad_line,
            int *bad_col)
{
    Encoding e = encoding_detect(data, n);
    size_t start = out->len;
    if (detected) *detected = e;
    if (n == 0) {
        buf_append(out, "", 0);
        return 0;
    }
    if (e != ENC_CP932) {
        size_t skip = e == ENC_UTF8_BOM ? 3 : 0;
        size_t bad = e == ENC_UTF8 ? n : skip + utf8_bad_offset(data + skip, n - skip);
        if (bad < n) {
            pos_at(data + skip, bad - skip, bad_line, bad_col);
            buf_reserve(out, 0);
            out->data[out->len] = '\0';
            return -1;
        }
        buf_append(out, data + skip, n - skip);
        return 0;
    }

    iconv_t cd = open_cd("UTF-8", "CP932");
    size_t done;
    int err = run_iconv(cd, data, n, out, 3, &done);
    iconv_close(cd);
    if (!err) return 0;

    /* Report the reading that got further: a UTF-8 file with one corrupt
     * byte fails early as CP932 but late as UTF-8. */
    size_t u8bad = utf8_bad_offset(data, n);
    if (u8bad > done) {
        pos_at(data, u8bad, bad_line, bad_col);
        if (detected) *detected = ENC_UTF8;
    } else {
        pos_at(out->data + start, out->len - start, bad_line, bad_col);
    }
    out->len = start;
    out->data[start] = '\0';
    return -1;
}

int utf8_to_cp932(const char *data, size_t n, Buf *out, EncProblem *problems,
                  int max_problems, int *nproblems)
{
    if (has_bom(data, n)) {
        data += 3;
        n -= 3;
    }
    if (nproblems) *nproblems = 0;
    if (n == 0) {
        buf_append(out, "", 0);
        return 0;
    }
    const unsigned char *u = (const unsigned char *)data;
    iconv_t cd = open_cd("CP932", "UTF-8");
    Pos pos = {0, 1, 0};
    long count = 0;
    size_t off = 0;
    do {
        /* glibc re-converts its internal chunk (several KB) to locate an
         * error, so once problems appear, feed small windows: otherwise text
         * full of emoji takes quadratic time (10 MB: 23 s instead of 0.1 s). */
        size_t win = count && n - off > 64 ? 64 : n - off, done;
        int err = run_iconv(cd, data + off, win, out, 1, &done);
        off += done;
        if (!err) continue;
        if (err == EINVAL && done > 0 && off - done + win < n) continue; /* split char */

        /* The character at off cannot be written in CP932 (or is not UTF-8). */
        size_t len = seq_len(u + off, n - off);
        pos_advance(&pos, data, off);
        if (count < max_problems) {
            EncProblem *p = &problems[count];
            p->line = clamp_int(pos.line);
            p->col = clamp_int(pos.col + 1);
            if (len) {
                memcpy(p->ch, data + off, len);
                p->ch[len] = '\0';
            } else {
                memcpy(p->ch, "\xEF\xBF\xBD", 4); /* U+FFFD */
            }
        }
        count++;
        off += len ? len : char_len(u + off, n - off);
        iconv(cd, NULL, NULL, NULL, NULL); /* reset shift state */
    } while (off < n);
    iconv_close(cd);
    if (nproblems) *nproblems = clamp_int(count);
    return count ? -1 : 0;
}
