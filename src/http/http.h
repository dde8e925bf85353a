/* http.h - a request and its response, independent of the socket library.
 *
 * server.c (libmicrohttpd) and test-request both fill a Req and hand it to
 * router_dispatch; handlers write into a Resp. Every string in a Req lives in
 * its arena, which is freed when the response has been sent. */
#ifndef JINZAI_HTTP_H
#define JINZAI_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "../auth/roles.h"
#include "../auth/user.h"
#include "../core/buf.h"
#include "../db/db.h"
#include "form.h"
#include "kv.h"

struct Route;

typedef struct Req {
    Arena *a;
    Db *db;
    const char *method, *path, *query_raw;
    KVList query, form, cookies, headers;
    UploadList files;
    const char *body;
    size_t body_len;
    const char *ip;
    bool https;             /* served over TLS or behind a proxy configured as such */
    const char *params[4];  /* path parameters matched by {} in the route */
    int nparams;
    const struct Route *route;
    User *user;             /* NULL when not logged in */
    /* Set by the router: the roles that may GET path by the route table (0
     * when no page is there), so a page links only to what its user may open. */
    unsigned (*get_roles)(const char *path);
    int nendo;              /* the current 年度 setting */
    bool bad_input;         /* query or body did not parse: answered 400 */
} Req;

typedef struct Resp {
    int status;
    const char *content_type;
    Buf body;
    const unsigned char *static_body; /* instead of body: embedded bytes, not copied */
    size_t static_len;
    bool file;                /* instead of body: file_len bytes of the open file file_fd, */
    int file_fd;              /* sent from the file and closed by the server */
    size_t file_len;
    KVList headers;          /* extra headers: Location, Set-Cookie, Content-Disposition */
    const char *cache;       /* Cache-Control; NULL means no-store */
} Resp;

/* Request helpers. */
const char *req_query(Req *r, const char *name);    /* NULL if absent */
const char *req_form(Req *r, const char *name);     /* NULL if absent */
const char *req_header(Req *r, const char *name);   /* case-insensitive */
/* Path parameter i as a positive id; 0 when not a number. */
int64_t req_param_id(Req *r, int i);
bool req_is_post(Req *r);

/* Response helpers. */
void resp_header(Req *r, Resp *w, const char *name, const char *value);
/* 303 See Other to location, which goes through http_local_path (an
 * unsafe target becomes "/"). */
void resp_redirect(Req *r, Resp *w, const char *location);
void resp_text(Resp *w, int status, const char *text);
void resp_free(Resp *w);

/* The one rule for every redirect target taken from input (login's next, a
 * form's back …): target when it is a path on this site — it starts with a
 * single '/' (not "//"), has no backslash and no control
 * character (TAB, CR, LF, DEL …) anywhere, which browsers drop or turn into
 * "//host" — else dflt. */
const char *http_local_path(const char *target, const char *dflt);

/* Fills r->query from r->query_raw, r->cookies from the Cookie header, and
 * r->form and r->files from the body (urlencoded or multipart). Input that
 * does not parse — more than FORM_MAX_FIELDS fields, a malformed multipart
 * body or one without a boundary — sets r->bad_input (router_dispatch then
 * answers 400 before any handler runs, never a handler on a truncated form)
 * and returns -1; else 0. */
int req_parse_input(Req *r);
/* The access-log line of one request, without a line end, appended to out:
 *     2026-11-16T10:00:00 GET /staff?q&page 200 3.1ms 5120B user=12
 * when (ISO time), method, the target with its query values left out (only
 * the keys stay, so what was searched for is not logged), the status, the
 * time taken, the body bytes sent and the account id ("user=-" when not
 * logged in, user_id 0). Control characters, spaces and '"' in the target
 * are written as %XX, so one request is always one line. */
void http_log_line(Buf *out, const char *when, const char *method, const char *target, int status, double ms,
                   size_t bytes, int64_t user_id);

#endif
