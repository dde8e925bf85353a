/* router.c - route matching and the policy checks made before any handler;
 * the raw-request entry used by test-request. */
#include "router.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../auth/session.h"
#include "../core/util.h"
#include "../domain/settings.h"
#include "../html/html.h"
#include "../pages/page_frame.h"
#include "../http/proxy.h"

/* Matches path against a pattern with {} segments; fills r->params. */
static bool match(const char *pattern, const char *path, Req *r)
{
    const char *p = pattern, *s = path;
    int np = 0;
    while (*p && *s) {
        if (strcmp(p, "{*}") == 0) { /* the rest of the path, slashes included */
            if (np == 4) return false;
            r->params[np++] = arena_strdup(r->a, s);
            r->nparams = np;
            return true;
        }
        if (p[0] == '{' && p[1] == '}') {
            const char *end = strchr(s, '/');
            size_t n = end ? (size_t)(end - s) : strlen(s);
            if (n == 0 || np == 4) return false;
            r->params[np++] = arena_strndup(r->a, s, n);
            s += n;
            p += 2;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    if (*p || *s) return false;
    r->nparams = np;
    return true;
}

void router_security_headers(Req *r, Resp *w)
{
    /* SCORM package files run vendor scripts inside jinzai's launch frame
     * (see page_scorm.c); every other path keeps the strict policy. */
    bool package = r->path && strncmp(r->path, "/scorm/pkg/", 11) == 0;
    resp_header(r, w, "Content-Security-Policy",
                package ? "default-src 'self' 'unsafe-inline' 'unsafe-eval'; img-src 'self' data:; object-src 'none'; base-uri 'self';"
                          " form-action 'self'; frame-ancestors 'self'"
                        : "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none';"
                          " base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    resp_header(r, w, "X-Content-Type-Options", "nosniff");
    resp_header(r, w, "Referrer-Policy", "same-origin");
    resp_header(r, w, "X-Frame-Options", package ? "SAMEORIGIN" : "DENY");
    resp_header(r, w, "Cache-Control", w->cache ? w->cache : "no-store");
}

static void login_redirect(Req *r, Resp *w)
{
    Buf loc = BUF_INIT;
    buf_puts(&loc, "/login?next=");
    html_urlenc(&loc, r->path);
    if (r->query_raw && *r->query_raw) {
        html_urlenc(&loc, "?");
        html_urlenc(&loc, r->query_raw);
    }
    resp_redirect(r, w, buf_cstr(&loc));
    buf_free(&loc);
}

/* The methods path has routes for, as an Allow header value. */
static const char *allowed_methods(Req *r)
{
    bool get = false, post = false;
    for (size_t i = 0; i < routes_count; i++) {
        if (!match(routes[i].path, r->path, r)) continue;
        if (strcmp(routes[i].method, "GET") == 0) get = true;
        if (strcmp(routes[i].method, "POST") == 0) post = true;
    }
    return get && post ? "GET, POST" : get ? "GET" : "POST";
}

unsigned router_get_roles(const char *path)
{
    for (size_t i = 0; i < routes_count; i++)
        if (strcmp(routes[i].method, "GET") == 0 && strcmp(routes[i].path, path) == 0) return routes[i].roles;
    return 0;
}

void router_dispatch(Req *r, Resp *w)
{
    r->get_roles = router_get_roles;
    w->status = 200;
    w->content_type = "text/html; charset=utf-8";
    const Route *rt = NULL;
    bool path_known = false;
    for (size_t i = 0; i < routes_count && !rt; i++) {
        if (!match(routes[i].path, r->path, r)) continue;
        path_known = true;
        if (strcmp(routes[i].method, r->method) == 0 || (strcmp(r->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
            rt = &routes[i];
    }
    if (r->bad_input) {
        resp_error(r, w, 400, "送信されたデータを読み取れませんでした。項目が多すぎるか、形式が正しくありません。");
        return;
    }
    if (rt && (rt->flags & RF_STATIC)) {
        rt->handler(r, w);
        return;
    }
    /* HEAD runs nothing that could write (a view's audit row, the session's
     * last_seen): only the static routes above answer it; every page says
     * which methods it takes. */
    if (rt && strcmp(r->method, "HEAD") == 0) {
        resp_error(r, w, 405, "このページはこの方法では利用できません。");
        resp_header(r, w, "Allow", allowed_methods(r));
        return;
    }
    r->nendo = settings_nendo(r->db);
    if (rt && (rt->flags & RF_OWN_AUTH)) {
        r->route = rt;
        rt->handler(r, w);
        return;
    }
    r->user = session_load(r->db, r->a, kv_get(&r->cookies, SESSION_COOKIE));
    r->route = rt;
    if (!rt) {
        if (path_known) {
            resp_error(r, w, 405, "このページはこの方法では利用できません。");
            resp_header(r, w, "Allow", allowed_methods(r));
        } else {
            resp_error(r, w, 404, "お探しのページは見つかりませんでした。URLを確認してください。");
        }
        return;
    }
    if (!(rt->flags & RF_PUBLIC)) {
        if (!r->user) {
            if (req_is_post(r)) resp_error(r, w, 403, "ログインの有効期限が切れました。もう一度ログインしてください。");
            else login_redirect(r, w);
            return;
        }
        /* A password someone else chose is changed before anything else. */
        if (r->user->must_change && strcmp(r->path, "/account/password") != 0 && strcmp(r->path, "/logout") != 0) {
            resp_redirect(r, w, "/account/password");
            return;
        }
        if (!(rt->roles & r->user->roles)) {
            resp_error(r, w, 403, "このページを表示する権限がありません。必要な場合は管理者に連絡してください。");
            return;
        }
    }
    if (req_is_post(r) && !csrf_ok(req_form(r, "csrf"), r->user ? r->user->csrf : kv_get(&r->cookies, PRE_COOKIE),
                                   req_header(r, "Host"), req_header(r, "Origin"), req_header(r, "Referer"))) {
        resp_error(r, w, 403, "フォームの有効期限が切れたか、不正な送信です。ページを読み込み直してからもう一度お試しください。");
        return;
    }
    rt->handler(r, w);
}

void http_answer_raw(Db *db, const char *raw, size_t n, Buf *out)
{
    Arena a = ARENA_INIT;
    RawRequest rr;
    memset(&rr, 0, sizeof rr);
    Resp w = {0};
    Req r = {0};
    r.a = &a;
    r.db = db;
    if (parse_raw_request(&rr, &a, raw, n) != 0) {
        buf_puts(out, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nBad Request\n");
        arena_free(&a);
        return;
    }
    r.method = rr.method;
    r.path = rr.path;
    r.query_raw = rr.query;
    r.headers = rr.headers;
    r.body = rr.body;
    r.body_len = rr.body_len;
    const char *xff = kv_get_ci(&rr.headers, "X-Test-Remote");
    r.ip = proxy_client_ip(&a, xff ? xff : "127.0.0.1", kv_get_ci(&rr.headers, "X-Forwarded-For"));
    req_parse_input(&r);
    router_dispatch(&r, &w);
    router_security_headers(&r, &w);
    if (w.file) { /* answered from memory here: the file's bytes become the body */
        buf_reset(&w.body);
        buf_reserve(&w.body, w.file_len);
        ssize_t got;
        while (w.body.len < w.file_len && (got = pread(w.file_fd, w.body.data + w.body.len, w.file_len - w.body.len, (off_t)w.body.len)) > 0)
            w.body.len += (size_t)got;
        w.body.data[w.body.len] = '\0';
    }
    const unsigned char *body = w.static_body ? w.static_body : (const unsigned char *)buf_cstr(&w.body);
    size_t len = w.static_body ? w.static_len : w.body.len;
    buf_printf(out, "HTTP/1.1 %d\r\nContent-Type: %s\r\nContent-Length: %zu\r\n", w.status,
               w.content_type ? w.content_type : "text/plain", len);
    for (size_t i = 0; i < w.headers.n; i++) buf_printf(out, "%s: %s\r\n", w.headers.items[i].name, w.headers.items[i].value);
    buf_puts(out, "\r\n");
    if (strcmp(r.method, "HEAD") != 0) buf_append(out, body, len);
    resp_free(&w);
    arena_free(&a);
}
