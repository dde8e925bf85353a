/* page_course_kit.c - see page_course_kit.h. */
#include "page_course_kit.h"

#include <limits.h>
#include <stdio.h>

#include "../core/util.h"
#include "../domain/course.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

const Option kit_tier_opts[4] = {{"", "すべて"}, {"1", "①高度専門人材"}, {"2", "②DX推進リーダー"}, {"3", "③一般職員"}};

/* 12345 -> "12,345" */
const char *kit_num(Req *r, long long v)
{
    char d[24], out[40];
    int n = snprintf(d, sizeof d, "%lld", v < 0 ? -v : v), k = 0;
    if (v < 0) out[k++] = '-';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[k++] = ',';
        out[k++] = d[i];
    }
    out[k] = 0;
    return arena_strdup(r->a, out);
}

/* 定員 0 means no limit. */
const char *kit_capacity_text(Req *r, int v) { return v ? arena_printf(r->a, "%s人", kit_num(r, v)) : "制限なし"; }

/* The provider in a table cell: its name, then 庁内 or 外部 below it. */
void kit_provider_cell(Buf *b, const char *code)
{
    html_printf(b, "<td>%s<br><span class=\"muted\">%s</span></td>", provider_name(code), provider_internal(code) ? "庁内" : "外部");
}

/* A posted form shows again what the user typed; a fresh one the stored value. */
const char *kit_typed(Req *r, const char *name, const char *stored)
{
    if (!req_is_post(r)) return stored;
    const char *v = req_form(r, name);
    return v ? v : "";
}

const char *kit_typed_int(Req *r, const char *name, long long stored)
{
    return kit_typed(r, name, arena_printf(r->a, "%lld", stored));
}

/* A whole number as typed (full-width digits and "1,000" allowed); "" is 0,
 * anything else -1, which the domain rejects with its own message. */
int kit_form_int(Req *r, const char *name)
{
    const char *s = text_fold(r->a, req_form(r, name));
    char clean[24];
    size_t k = 0;
    for (; *s && k + 1 < sizeof clean; s++)
        if (*s != ',') clean[k++] = *s;
    clean[k] = 0;
    int64_t v;
    if (!*s && !k) return 0;
    return !*s && parse_int64(clean, &v) && v >= 0 && v <= INT_MAX ? (int)v : -1;
}

/* Opens the toolbar with the two download links; the caller closes it. */
void kit_toolbar_exports(Buf *b, const char *path, const char *qs)
{
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"%s?format=csv%s\">CSV出力</a> <a class=\"btn\" href=\"%s?format=xlsx%s\">Excel出力</a>",
                path, qs, path, qs);
}

void kit_th_row(Buf *b, const char *const *heads)
{
    for (; *heads; heads++) html_printf(b, "<th scope=\"col\">%s</th>", *heads);
}

/* Opens a data table with one header row (caption NULL: none, when a heading
 * already names it); the caller closes it with kit_table_close. */
void kit_table_open(Buf *b, const char *caption, const char *const *heads)
{
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\">");
    if (caption) html_printf(b, "<caption>%s</caption>", caption);
    html_raw(b, "<thead><tr>");
    kit_th_row(b, heads);
    html_raw(b, "</tr></thead><tbody>\n");
}

void kit_table_close(Buf *b) { html_raw(b, "</tbody></table></div>\n"); }

void kit_nendo_select(Req *r, Buf *b, int nendo)
{
    int lo = nendo < r->nendo - 4 ? nendo : r->nendo - 4, hi = nendo > r->nendo + 1 ? nendo : r->nendo + 1;
    Option *o = arena_alloc(r->a, sizeof *o * (size_t)(hi - lo + 1));
    for (int y = hi; y >= lo; y--) o[hi - y] = (Option){arena_printf(r->a, "%d", y), arena_printf(r->a, "%s（%d）", page_nendo_name(r, y), y)};
    field_select(b, NULL, "nendo", "年度", o, hi - lo + 1, arena_printf(r->a, "%d", nendo), 0, NULL);
}
