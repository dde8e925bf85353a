/* layout.h - the page frame, navigation, forms and fields shared by every screen. */
#ifndef JINZAI_LAYOUT_H
#define JINZAI_LAYOUT_H

#include "../core/errors.h"
#include "../http/http.h"
#include "html.h"

typedef struct Crumb {
    const char *label, *href; /* href NULL for the current page */
} Crumb;

/* Starts an HTML page: head with hashed asset URLs, header with the global
 * menu (nav marks the current section: "org", "staff", "tiers", "admin"),
 * breadcrumbs (the last is the current page) and the <h1>. */
void page_begin(Req *r, Resp *w, const char *title, const char *nav, const Crumb *crumbs, int ncrumbs);
/* Pending work behind a header menu entry (its key: "assess", "training" …)
 * for the logged-in user, shown as a count beside it; 0 shows none. */
int nav_count(Req *r, const char *menu_key);
/* The counts of "assess" and "training" in one pass (nav_count of each). */
void nav_counts(Req *r, int *assess, int *training);
void page_end(Req *r, Resp *w);
/* The fixed message for ?msg=KEY after a redirect (saved, deleted …), if any. */
void page_flash(Req *r, Resp *w);
/* URL of an embedded asset with its content hash ("/assets/style.0123456789.css"). */
const char *asset_url(Arena *a, const char *name);

/* Forms: form_begin inserts the CSRF token of the session. */
void form_begin(Req *r, Buf *b, const char *action, const char *cls);
void form_end(Buf *b);
void error_summary(Buf *b, const Errors *e);

enum { F_REQUIRED = 1, F_AUTOSUBMIT = 2, F_NARROW = 4 };

typedef struct Option {
    const char *value, *label;
} Option;

void field_text(Buf *b, const Errors *e, const char *name, const char *label, const char *value, unsigned flags,
                const char *hint);
void field_password(Buf *b, const Errors *e, const char *name, const char *label, const char *autocomplete);
void field_textarea(Buf *b, const Errors *e, const char *name, const char *label, const char *value, unsigned flags,
                    const char *hint);
void field_select(Buf *b, const Errors *e, const char *name, const char *label, const Option *opts, int n,
                  const char *selected, unsigned flags, const char *hint);
void field_checkbox(Buf *b, const char *name, const char *label, bool checked);
/* A list page's unit filter: the 執行機関・部・課 (of the viewer's subtree),
 * and the 係 of the chosen 課 or of the chosen 係's 課 only. */
void field_unit_filter(Req *r, Buf *b, const char *name, const char *label, const char *as_of, const char *selected, const char *first_label);
/* A <select> of the units valid on as_of, indented by level; "" = none chosen. */
void field_unit(Req *r, Buf *b, const Errors *e, const char *name, const char *label, const char *as_of,
                const char *selected, unsigned flags, const char *first_label);

/* Shows a date (ISO) in 和暦, with the ISO form in a <time> element. */
void html_date(Buf *b, const char *iso);

#endif
