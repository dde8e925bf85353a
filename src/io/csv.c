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

void csv_cell(Csv *c, const char *s)
{
    if (c->col++) buf_putc(c->b, ',');
    if (!s) s = "";
    bool formula = strchr("=+-@\t\r", s[0]) && s[0];
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
