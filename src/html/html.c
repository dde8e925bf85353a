/* html.c - see html.h. */
#include "html.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void html_escape(Buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(b, run, (size_t)(s - run));
        buf_puts(b, rep);
        run = s + 1;
    }
    buf_append(b, run, (size_t)(s - run));
}

void html_raw(Buf *b, const char *s) { buf_puts(b, s); }

void html_urlenc(Buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
            buf_putc(b, (char)*p);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[*p >> 4]);
            buf_putc(b, hex[*p & 15]);
        }
    }
}

/* Appends s[0..n) escaped. */
static void escape_n(Buf *b, const char *s, size_t n)
{
    Buf tmp = BUF_INIT;
    buf_append(&tmp, s, n);
    html_escape(b, buf_cstr(&tmp));
    buf_free(&tmp);
}

/* The bytes of s that %.<prec>s shows: at most prec bytes, ending on a
 * UTF-8 character boundary (never inside a multibyte sequence). */
static size_t utf8_prefix(const char *s, int prec)
{
    size_t n = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
    if (prec >= 0 && s[n] != '\0')
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

static atomic_int unsupported_seen;

int html_printf_unsupported(void) { return atomic_load(&unsupported_seen); }

/* The format of each conversion is checked by the compiler at the caller
 * (html_printf carries the printf attribute); here it is re-issued piecewise. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* A small printf: numeric conversions are handed to buf_printf one at a
 * time, %s and %c are escaped. Supported: flags, width and precision (digits
 * or '*'), length h hh l ll z j, conversions d i u o x X c s f F g G e E %.
 * %s takes its precision in bytes, cut back to a character boundary.
 * Anything else writes nothing, is counted for html_printf_unsupported()
 * and logged once; as its argument's type is unknown, the conversions after
 * it write nothing either (%p and %n, whose argument is a pointer, are
 * skipped alone). */
void html_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt;
    bool lost = false; /* an unknown conversion: later arguments cannot be read */
    while (*p) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            buf_puts(b, p);
            break;
        }
        buf_append(b, p, (size_t)(pct - p));
        const char *q = pct + 1;
        if (*q == '%') {
            buf_putc(b, '%');
            p = q + 1;
            continue;
        }
        char spec[64];
        size_t sl = 0;
        spec[sl++] = '%';
        while (*q && strchr("-+ #0", *q)) {
            if (sl < 8) spec[sl++] = *q;
            q++;
        }
        bool left = memchr(spec, '-', sl) != NULL;
        int width = -1, prec = -1;
        if (*q == '*') {
            width = lost ? 0 : va_arg(ap, int);
            if (width < 0) left = true, width = -width;
            q++;
        } else if (*q >= '1' && *q <= '9') {
            width = 0;
            for (; *q >= '0' && *q <= '9'; q++) width = width < 100000 ? width * 10 + (*q - '0') : width;
        }
        if (*q == '.') {
            q++;
            prec = 0;
            if (*q == '*') {
                prec = lost ? -1 : va_arg(ap, int);
                q++;
            } else {
                for (; *q >= '0' && *q <= '9'; q++) prec = prec < 100000 ? prec * 10 + (*q - '0') : prec;
            }
        }
        if (width > 4096) width = 4096;
        int longs = 0;
        bool size = false, imax = false;
        while (*q && strchr("hlzj", *q)) {
            if (*q == 'l') longs++;
            if (*q == 'z') size = true;
            if (*q == 'j') imax = true;
            q++;
        }
        if (!*q) break;
        char conv = *q;
        if (prec > 4096 && conv != 's') prec = 4096; /* %.Ns may cut a long text */
        if (left && !memchr(spec, '-', sl)) spec[sl++] = '-';
        if (width >= 0) sl += (size_t)snprintf(spec + sl, sizeof spec - sl, "%d", width);
        if (prec >= 0) sl += (size_t)snprintf(spec + sl, sizeof spec - sl, ".%d", prec);
        p = q + 1;
        if (lost) continue;
        switch (conv) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "";
            size_t n = utf8_prefix(s, prec);
            size_t chars = 0;
            for (size_t i = 0; i < n; i++) chars += ((unsigned char)s[i] & 0xC0) != 0x80;
            size_t pad = width > 0 && (size_t)width > chars ? (size_t)width - chars : 0;
            if (!left)
                for (size_t i = 0; i < pad; i++) buf_putc(b, ' ');
            escape_n(b, s, n);
            if (left)
                for (size_t i = 0; i < pad; i++) buf_putc(b, ' ');
            break;
        }
        case 'c': {
            char c[2] = {(char)va_arg(ap, int), 0};
            html_escape(b, c);
            break;
        }
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            const char *len = size ? "z" : imax ? "j" : longs >= 2 ? "ll" : longs == 1 ? "l" : "";
            snprintf(spec + sl, sizeof spec - sl, "%s%c", len, conv);
            if (size) buf_printf(b, spec, va_arg(ap, size_t));
            else if (imax) buf_printf(b, spec, va_arg(ap, intmax_t));
            else if (longs >= 2) buf_printf(b, spec, va_arg(ap, long long));
            else if (longs == 1) buf_printf(b, spec, va_arg(ap, long));
            else buf_printf(b, spec, va_arg(ap, int));
            break;
        }
        case 'f':
        case 'F':
        case 'g':
        case 'G':
        case 'e':
        case 'E':
            snprintf(spec + sl, sizeof spec - sl, "%c", conv);
            buf_printf(b, spec, va_arg(ap, double));
            break;
        default:
            /* Caught by the tests (test_html); in a running server the page
             * is still served, without this value. */
            if (atomic_fetch_add(&unsupported_seen, 1) == 0)
                fprintf(stderr, "jinzai: html_printf: unsupported conversion %%%c in \"%.80s\"\n", conv, fmt);
            if (conv == 'p' || conv == 'n') (void)va_arg(ap, void *);
            else lost = true;
        }
    }
    va_end(ap);
}
