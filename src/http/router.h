/* router.h - the route table and the dispatcher that enforces its policy.
 *
 * Every route declares the roles allowed to use it; the dispatcher checks the
 * session, the role, the CSRF token and the Origin BEFORE the handler runs, so
 * a route cannot be added without a policy. Handlers still assert their role
 * and check record-level scope (a 所属長 sees only their subtree). */
#ifndef JINZAI_ROUTER_H
#define JINZAI_ROUTER_H

#include "http.h"

typedef void (*Handler)(Req *r, Resp *w);

enum {
    RF_PUBLIC = 1,   /* no session needed (login, health, assets) */
    RF_STATIC = 2,   /* cacheable, no session lookup at all */
};

typedef struct Route {
    const char *method; /* "GET" or "POST" */
    const char *path;   /* "/staff/{}" : {} matches one non-empty segment */
    Handler handler;
    unsigned roles;     /* roles allowed (any of); 0 only with RF_PUBLIC */
    unsigned flags;
    const char *title;  /* what the route is, for the site map and tests */
} Route;

extern const Route routes[];
extern const size_t routes_count;

/* Fills r->form and r->files from the body (urlencoded or multipart). */
void req_parse_body(Req *r);
/* Answers one request: route lookup, session, role, CSRF, handler, headers. */
void router_dispatch(Req *r, Resp *w);
/* Adds the security headers every response carries. */
void router_security_headers(Req *r, Resp *w);

/* Answers one raw HTTP request (text as sent on the wire) with a full HTTP/1.1
 * response written to out: what `jinzai test-request` and the request tests use. */
void http_answer_raw(Db *db, const char *raw, size_t n, Buf *out);

#endif
