/* http.c - the request and response helpers of http.h: reading a request's
 * values, parsing its query, cookies and body, writing a response, and the
 * access-log line. */
#include "http.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/util.h"

const char *req_query(Req *r, const char *name) { return kv_get(&r->query, name); }
const char *req_form(Req *r, const char *name) { return kv_get(&r->form, name); }
const char *req_header(Req *r, const char *name) { return kv_get_ci(&r->headers, name); }
bool req_is_post(Req *r) { return strcmp(r->method, "POST") == 0; }

int64_t req_param_id(Req *r, int i)
{
    int64_t v;
    if (i >= r->nparams || !parse_int64(r->params[i], &v) || v <= 0) return 0;
    return v;
}

void resp_header(Req *r, Resp *w, const char *name, const char *value)
{
    kv_add(&w->headers, r->a, arena_strdup(r->a, name), arena_strdup(r->a, value));
}

const char *http_local_path(const char *target, const char *dflt)
{
    if (!target || target[0] != '/' || target[1] == '/') return dflt;
    for (const unsigned char *p = (const unsigned char *)target; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '\\') return dflt;
    return target;
}

void resp_redirect(Req *r, Resp *w, const char *location)
{
    w->status = 303;
    resp_header(r, w, "Location", http_local_path(location, "/"));
    buf_reset(&w->body);
}

void resp_text(Resp *w, int status, const char *text)
{
    w->status = status;
    w->content_type = "text/plain; charset=utf-8";
    buf_reset(&w->body);
    buf_puts(&w->body, text);
}

void resp_free(Resp *w)
{
    buf_free(&w->body);
    if (w->file) close(w->file_fd); /* not handed to the server */
    w->file = false;
}

int req_parse_input(Req *r)
{
    const char *q = r->query_raw ? r->query_raw : "";
    if (parse_urlencoded(&r->query, r->a, q, strlen(q)) < 0) r->bad_input = true;
    const char *cookie = req_header(r, "Cookie");
    if (cookie) parse_cookies(&r->cookies, r->a, cookie); /* the first FORM_MAX_COOKIES are enough */
    const char *ct = req_header(r, "Content-Type");
    if (ct && r->body_len) {
        if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
            if (parse_urlencoded(&r->form, r->a, r->body, r->body_len) < 0) r->bad_input = true;
        } else if (strncasecmp(ct, "multipart/", 10) == 0) {
            const char *boundary = multipart_boundary(r->a, ct);
            if (!boundary || parse_multipart(&r->form, &r->files, r->a, r->body, r->body_len, boundary) < 0) r->bad_input = true;
        }
    }
    return r->bad_input ? -1 : 0;
}

/* Appends s[0..n) with bytes that would break a log line as %XX. */
static void log_escaped(Buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7f || c == '"') {
            buf_putc(out, '%');
            buf_putc(out, hex[c >> 4]);
            buf_putc(out, hex[c & 15]);
        } else {
            buf_putc(out, (char)c);
        }
    }
}

void http_log_line(Buf *out, const char *when, const char *method, const char *target, int status, double ms,
                   size_t bytes, int64_t user_id)
{
    if (!target) target = "";
    buf_printf(out, "%s ", when);
    log_escaped(out, method ? method : "-", method ? strlen(method) : 1);
    buf_putc(out, ' ');
    size_t tlen = strnlen(target, 2048);
    const char *q = memchr(target, '?', tlen);
    log_escaped(out, target, q ? (size_t)(q - target) : tlen);
    if (q) {
        const char *end = target + tlen;
        bool first = true;
        for (const char *seg = q + 1; seg < end;) {
            const char *amp = memchr(seg, '&', (size_t)(end - seg));
            const char *seg_end = amp ? amp : end;
            const char *eq = memchr(seg, '=', (size_t)(seg_end - seg));
            const char *key_end = eq ? eq : seg_end;
            if (key_end > seg) {
                buf_putc(out, first ? '?' : '&');
                log_escaped(out, seg, (size_t)(key_end - seg));
                first = false;
            }
            if (!amp) break;
            seg = amp + 1;
        }
    }
    buf_printf(out, " %d %.1fms %zuB ", status, ms, bytes);
    if (user_id > 0) buf_printf(out, "user=%lld", (long long)user_id);
    else buf_puts(out, "user=-");
}
