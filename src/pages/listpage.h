/* listpage.h - the pager links of the long lists (/staff, /assess/review):
 * "次へ" carries the key of the page's last row (after_u, after_n: its unit
 * code and 職員番号) and "前へ" the key of its first row (before_u,
 * before_n), so the next page is read from that place in the list-order
 * indexes instead of counting the rows before it (domain/listcount.h). The
 * page number stays in the link for the pager's "3 / 600 ページ"; a link
 * without keys (typed, or to page 1) is read by offset. */
#ifndef JINZAI_LISTPAGE_H
#define JINZAI_LISTPAGE_H

#include "../domain/listcount.h"
#include "../html/html.h"
#include "../http/http.h"

/* The keys a request carries (both parts of a key, or none). */
static inline void list_page_parse(Req *r, ListPage *kp)
{
    *kp = (ListPage){0};
    const char *au = req_query(r, "after_u"), *an = req_query(r, "after_n");
    const char *bu = req_query(r, "before_u"), *bn = req_query(r, "before_n");
    if (au && *au && an && *an) kp->after = (ListKey){au, an};
    else if (bu && *bu && bn && *bn) kp->before = (ListKey){bu, bn};
}

/* Appends "&after_u=…&after_n=…" (or before_) to a link's query string (escaped
 * later by html_printf), or nothing without a key. */
static inline void list_page_key(Buf *b, const char *dir, const ListKey *k)
{
    if (!k->code || !k->no) return;
    buf_printf(b, "&%s_u=", dir);
    html_urlenc(b, k->code);
    buf_printf(b, "&%s_n=", dir);
    html_urlenc(b, k->no);
}

#endif
