/* csv.c - see csv.h. */
#include "csv.h"

#include <stdbool.h>
#include <string.h>

void csv_begin(Csv *c, Buf *b)
{
    c->b = b;
    c->col = 0;
    buf_puts(b, "\xEF\xBB\xBF");
}

/* A plain number after a sign: digits (thousands commas allowed), an
 * optional fraction and exponent, as a spreadsheet reads -5, -1.5, +1,000
 * or -1e3 as a number and not as a formula. */
static bool plain_number(const char *p)
{
    bool digits = false;
    while ((*p >= '0' && *p <= '9') || (*p == ',' && digits)) digits |= *p++ != ',';
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++) digits = true;
    if (digits && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    return digits && *p == '\0';
}

bool csv_guarded(const char *s)
{
    switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r':
        return true;
    case '+':
    case '-':
        return s[1] != '\0' && !plain_number(s + 1);
    case '\'':
        return csv_guarded(s + 1); /* so that the guard itself reads back */
    default:
        return false;
    }
}

const char *csv_unguard(const char *s)
{
    return s[0] == '\'' && csv_guarded(s + 1) ? s + 1 : s;
}

void csv_cell(Csv *c, const char *s)
{
    if (c->col++) buf_putc(c->b, ',');
    if (!s) s = "";
    bool formula = csv_guarded(s);
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote) buf_putc(c->b, '"');
    if (formula) buf_putc(c->b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_putc(c->b, '"');
        buf_putc(c->b, *p);
    }
    if (quote) buf_putc(c->b, '"');
}

void csv_int(Csv *c, int64_t v)
{
    if (c->col++) buf_putc(c->b, ',');
    buf_printf(c->b, "%lld", (long long)v);
}

void csv_num(Csv *c, double v)
{
    if (v == (double)(int64_t)v) {
        csv_int(c, (int64_t)v);
        return;
    }
    if (c->col++) buf_putc(c->b, ',');
    buf_printf(c->b, "%.1f", v);
}

void csv_row_end(Csv *c)
{
    buf_puts(c->b, "\r\n");
    c->col = 0;
}

void csv_header(Csv *c, const char *const *names)
{
    for (; *names; names++) csv_cell(c, *names);
    csv_row_end(c);
}
