/* layout.h - the page frame, navigation, forms and fields shared by every screen. */
#ifndef JINZAI_LAYOUT_H
#define JINZAI_LAYOUT_H

#include "../core/errors.h"
#include "../http/http.h"
#include "html.h"

typedef struct Crumb {
    const char *label, *href; /* href NULL for the current page */
} Crumb;

/* An entry of the menu: its section, the key a page names it by, where it
 * leads and its label. */
typedef struct NavLink {
    const char *section, *key, *href, *label;
} NavLink;
/* The header's sections and each section's pages (at most 64 of each). */
extern const NavLink nav_sections[];
extern const size_t nav_sections_count;
extern const NavLink nav_pages[];
extern const size_t nav_pages_count;

/* What the frame of a page shows around its content, gathered by the page
 * side (pages/page_frame.c): the layout fetches nothing itself. */
typedef struct PageFrame {
    bool logged_in;     /* false: a bare page (login, errors before a session) */
    const char *name;   /* the user's name */
    unsigned roles;     /* the user's roles: the role label */
    uint64_t sections_shown, pages_shown; /* bit i: nav_sections[i] / nav_pages[i] is shown */
    bool has_staff;     /* the user is a person (shows わたしの情報) */
    const char *csrf;   /* the session's CSRF token, for the logout form */
    const char *city;   /* the city's name in the header */
    int nendo;          /* the current 年度 */
    int assess, training, notices; /* pending work and unread notices beside the menu */
    const char *msg;    /* ?msg=KEY after a redirect: a fixed flash message */
    int64_t reminded;   /* ?reminded=N: "N人に督促しました" when > 0 */
} PageFrame;

/* Starts an HTML page: head with hashed asset URLs, header with the global
 * menu (nav marks the current section: "org", "staff", "tiers", "admin"),
 * breadcrumbs (the last is the current page) and the <h1>. */
void layout_begin(Buf *b, Arena *a, const PageFrame *f, const char *title, const char *nav, const Crumb *crumbs, int ncrumbs);
void layout_end(Buf *b);
/* The fixed message of f->msg (saved, deleted …) and of f->reminded, if any. */
void layout_flash(Buf *b, const PageFrame *f);
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
/* Shows a date (ISO) in 和暦, with the ISO form in a <time> element. */
void html_date(Buf *b, const char *iso);

#endif
