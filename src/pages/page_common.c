/* page_common.c - helpers shared by the page files. */
#include <string.h>

#include "../auth/audit.h"
#include "../core/util.h"
#include "../html/html.h"
#include "../io/text.h"
#include "pages.h"

void page_actor(Req *r, Actor *out)
{
    out->account_id = r->user ? r->user->account_id : 0;
    out->name = r->user ? r->user->login : "anonymous";
    out->ip = r->ip ? r->ip : "";
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

bool page_wants_csv(Req *r) { return str_eq(req_query(r, "format"), "csv"); }

void page_send_csv(Req *r, Resp *w, Buf *csv, const char *name)
{
    w->status = 200;
    w->content_type = "text/csv; charset=utf-8";
    buf_reset(&w->body);
    buf_append(&w->body, csv->data ? csv->data : "", csv->len);
    Buf cd = BUF_INIT;
    buf_printf(&cd, "attachment; filename=\"export.csv\"; filename*=UTF-8''");
    html_urlenc(&cd, name);
    resp_header(r, w, "Content-Disposition", buf_cstr(&cd));
    buf_free(&cd);
}
