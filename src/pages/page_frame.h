/* page_frame.h - the frame around every page, filled from the domain for the
 * logged-in user (the city, the menu's counts, the flash message) and drawn
 * by html/layout.c; the error page; the form fields that list units. */
#ifndef JINZAI_PAGE_FRAME_H
#define JINZAI_PAGE_FRAME_H

#include "../html/layout.h"
#include "../http/http.h"

/* Starts an HTML page in w: the frame of page_frame_fill, then the layout's
 * header, menu, breadcrumbs and <h1> (see layout_begin). */
void page_begin(Req *r, Resp *w, const char *title, const char *nav, const Crumb *crumbs, int ncrumbs);
void page_end(Req *r, Resp *w);
/* The fixed message for ?msg=KEY after a redirect (saved, deleted …), if any. */
void page_flash(Req *r, Resp *w);
/* What the frame shows for r: the user, the cached city and counts
 * (framecache.h), the 年度, the flash message of ?msg= and ?reminded=. */
void page_frame_fill(Req *r, PageFrame *f);
/* The error page (403, 404, 413, 429 …) in the site layout with a Japanese message. */
void resp_error(Req *r, Resp *w, int status, const char *message);

/* Pending work behind a header menu entry (its key: "assess", "training" …)
 * for the logged-in user, shown as a count beside it; 0 shows none
 * (page_home.c). */
int nav_count(Req *r, const char *menu_key);
/* The counts of "assess" and "training" in one pass (nav_count of each). */
void nav_counts(Req *r, int *assess, int *training);

/* A list page's unit filter: the 執行機関・部・課 (of the viewer's subtree),
 * and the 係 of the chosen 課 or of the chosen 係's 課 only. */
void field_unit_filter(Req *r, Buf *b, const char *name, const char *label, const char *as_of, const char *selected, const char *first_label);
/* A <select> of the units valid on as_of, indented by level; "" = none chosen. */
void field_unit(Req *r, Buf *b, const Errors *e, const char *name, const char *label, const char *as_of,
                const char *selected, unsigned flags, const char *first_label);

#endif
