/* page_common.c - helpers shared by the page files. */
#include <string.h>

#include "../db/audit.h"
#include "../auth/scope.h"
#include "../domain/org.h"
#include "../core/util.h"
#include "../html/html.h"
#include "../io/csvread.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

void page_actor(Req *r, Actor *out)
{
    out->account_id = r->user ? r->user->account_id : 0;
    out->name = r->user ? r->user->login : "anonymous";
    out->ip = r->ip ? r->ip : "";
}

int page_unit_path(Req *r, Resp *w, int64_t id, Unit *path)
{
    int np = org_path(r->db, r->a, id, path);
    if (!np) resp_error(r, w, 404, "その組織は見つかりません。");
    else if (!scope_unit(r->db, r->user, id)) resp_error(r, w, 403, "この組織を表示する権限がありません。");
    else return np;
    return 0;
}

const char *page_today(Req *r)
{
    char *t = arena_alloc(r->a, 11);
    now_date(t);
    return t;
}

const char *page_wareki(Req *r, const char *iso)
{
    Buf b = BUF_INIT;
    wareki_date_iso(&b, iso);
    const char *s = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

const char *page_nendo_name(Req *r, int nendo)
{
    Buf b = BUF_INIT;
    wareki_nendo(&b, nendo);
    const char *s = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

int page_nendo(Req *r, const char *value)
{
    int n;
    return value && nendo_parse_loose(value, &n) ? n : r->nendo;
}

const char *form_date(Req *r, const char *name)
{
    const char *typed = text_trim(r->a, req_form(r, name));
    Date d;
    if (!*typed || !date_parse_loose(typed, &d)) return typed;
    char *iso = arena_alloc(r->a, 11);
    date_iso(d, iso);
    return iso;
}

static void attachment(Req *r, Resp *w, const char *name)
{
    Buf cd = BUF_INIT;
    buf_printf(&cd, "attachment; filename=\"export%s\"; filename*=UTF-8''", strrchr(name, '.') ? strrchr(name, '.') : "");
    html_urlenc(&cd, name);
    resp_header(r, w, "Content-Disposition", buf_cstr(&cd));
    buf_free(&cd);
}

bool page_send_table(Req *r, Resp *w, const Table *t, const char *basename)
{
    const char *format = req_query(r, "format");
    if (str_eq(format, "csv")) {
        Buf out = BUF_INIT;
        table_csv(t, &out);
        page_send_csv(r, w, &out, arena_printf(r->a, "%s.csv", basename));
        buf_free(&out);
        return true;
    }
    if (str_eq(format, "xlsx")) {
        buf_reset(&w->body);
        if (table_xlsx(t, &w->body) != 0) {
            resp_error(r, w, 500, "Excelファイルを作成できませんでした。");
            return true;
        }
        w->status = 200;
        w->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        attachment(r, w, arena_printf(r->a, "%s.xlsx", basename));
        return true;
    }
    return false;
}

bool page_is_office(const Req *r) { return (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)) != 0; }

bool page_wants_export(Req *r)
{
    const char *format = req_query(r, "format");
    return str_eq(format, "csv") || str_eq(format, "xlsx");
}

void page_send_csv(Req *r, Resp *w, Buf *csv, const char *name)
{
    w->status = 200;
    w->content_type = "text/csv; charset=utf-8";
    buf_reset(&w->body);
    buf_append(&w->body, csv->data ? csv->data : "", csv->len);
    attachment(r, w, name);
}

void page_send_file(Req *r, Resp *w, int fd, size_t len, const char *name, const char *content_type)
{
    w->status = 200;
    w->content_type = content_type;
    buf_reset(&w->body);
    w->file = true;
    w->file_fd = fd;
    w->file_len = len;
    attachment(r, w, name);
}

const char *page_back(Req *r, const char *dflt) { return http_local_path(req_form(r, "back"), dflt); }

int page_number(const char *value)
{
    int64_t v;
    if (!parse_int64(value, &v) || v < 1) return 1;
    return v > PAGE_NUMBER_MAX ? PAGE_NUMBER_MAX : (int)v;
}

/* The errors of a file: every row's from p when there are any (the first
 * PROBLEMS_SHOWN and how many more), else those of e. */
void page_problem_list(Buf *b, const char *heading, const char *advice, const Errors *e, const Problems *p)
{
    if (!e || !e->n) return;
    bool rows = p && p->total > 0;
    int total = rows ? p->total : e->n;
    html_printf(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>%s（%d件%s）</h2><p><strong>%s</strong></p><ul>", heading, total,
                !rows && e->n >= ERRORS_MAX - 1 ? "以上。最初の分を表示しています" : "", advice);
    if (rows)
        for (int i = 0; i < p->n; i++) html_printf(b, "<li>%s</li>", p->msg[i]);
    else
        for (int i = 0; i < e->n; i++) html_printf(b, "<li>%s</li>", e->items[i].msg);
    html_raw(b, "</ul>");
    if (rows && p->total > p->n) html_printf(b, "<p>ほかに%d件あります（最初の%d件を表示しています）。</p>", p->total - p->n, p->n);
    html_raw(b, "</div>\n");
}
