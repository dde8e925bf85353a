/* html.c - see html.h. */
#include "html.h"

#include <stdarg.h>
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

/* The format of each conversion is checked by the compiler at the caller
 * (html_printf carries the printf attribute); here it is re-issued piecewise. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* A small printf: conversions are handed to snprintf one at a time, except
 * %s and %c, whose arguments are escaped. Supported: flags, width, precision
 * (not '*'), length h hh l ll z j, conversions d i u x X c s f g e %;
 * anything else aborts. */
void html_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt;
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
        while (*q && strchr("-+ #0", *q)) q++;
        while (*q >= '0' && *q <= '9') q++;
        if (*q == '.') {
            q++;
            while (*q >= '0' && *q <= '9') q++;
        }
        int longs = 0;
        bool size = false;
        while (*q && strchr("hlzj", *q)) {
            if (*q == 'l') longs++;
            if (*q == 'z' || *q == 'j') size = true;
            q++;
        }
        char spec[32];
        size_t n = (size_t)(q - pct + 1);
        if (n >= sizeof spec || !*q) break;
        memcpy(spec, pct, n);
        spec[n] = '\0';
        char tmp[64];
        switch (*q) {
        case 's':
            html_escape(b, va_arg(ap, const char *));
            break;
        case 'c': {
            char c[2] = {(char)va_arg(ap, int), 0};
            html_escape(b, c);
            break;
        }
        case 'd':
        case 'i':
        case 'u':
        case 'x':
        case 'X':
            if (size) snprintf(tmp, sizeof tmp, spec, va_arg(ap, size_t));
            else if (longs >= 2) snprintf(tmp, sizeof tmp, spec, va_arg(ap, long long));
            else if (longs == 1) snprintf(tmp, sizeof tmp, spec, va_arg(ap, long));
            else snprintf(tmp, sizeof tmp, spec, va_arg(ap, int));
            buf_puts(b, tmp);
            break;
        case 'f':
        case 'g':
        case 'e':
            snprintf(tmp, sizeof tmp, spec, va_arg(ap, double));
            buf_puts(b, tmp);
            break;
        default:
            /* An unknown conversion would misread every later argument. */
            fprintf(stderr, "jinzai: html_printf: unsupported conversion %s\n", spec);
            abort();
        }
        p = q + 1;
    }
    va_end(ap);
}
