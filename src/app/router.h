/* router.h - the route table and the dispatcher that enforces its policy.
 *
 * Every route declares the roles allowed to use it; the dispatcher checks the
 * session, the role, the CSRF token and the Origin BEFORE the handler runs, so
 * a route cannot be added without a policy. Handlers still assert their role
 * and check record-level scope (a 所属長 sees only their subtree). */
#ifndef JINZAI_ROUTER_H
#define JINZAI_ROUTER_H

#include "../http/http.h"

typedef void (*Handler)(Req *r, Resp *w);

enum {
    RF_PUBLIC = 1,   /* no session needed (login, health, assets) */
    RF_STATIC = 2,   /* cacheable, no session lookup at all */
    RF_OWN_AUTH = 4, /* the handler authenticates the request itself (the xAPI
                      * receiver: HTTP Basic per client): no session, login,
                      * role or CSRF check; roles stay 0 */
    RF_SCOPE = 8,    /* the route's roles let anyone in, but the record it names
                      * (a person's page, an application, an attempt) is checked
                      * by the handler against a scope rule named in .scope */
};

typedef struct Route {
    const char *method; /* "GET" or "POST" ("PUT" only with RF_OWN_AUTH) */
    const char *path;   /* "/staff/{}" : {} matches one non-empty segment */
    Handler handler;
    unsigned roles;     /* roles allowed (any of); 0 only with RF_PUBLIC */
    unsigned flags;
    const char *title;  /* what the route is, for the site map and tests */
    const char *scope;  /* with RF_SCOPE: the rule the handler checks (see routes.c) */
} Route;

extern const Route routes[];
extern const size_t routes_count;

/* The roles of the GET route whose pattern is exactly path (a menu's href);
 * 0 when there is none. */
unsigned router_get_roles(const char *path);
/* Answers one request: route lookup, session, role, CSRF, handler, headers. */
void router_dispatch(Req *r, Resp *w);
/* Adds the security headers every response carries. */
void router_security_headers(Req *r, Resp *w);

/* Answers one raw HTTP request (text as sent on the wire) with a full HTTP/1.1
 * response written to out: what `jinzai test-request` and the request tests use. */
void http_answer_raw(Db *db, const char *raw, size_t n, Buf *out);

#endif
