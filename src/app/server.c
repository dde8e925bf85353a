/* server.c - libmicrohttpd glue: turns each connection's request into a Req,
 * runs router_dispatch on a worker thread with that thread's own database
 * connection, and sends the Resp. */
#include "server.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../core/util.h"
#include "../db/db.h"
#include "../pages/page_frame.h"
#include "../http/proxy.h"
#include "router.h"

static const Config *cfg;

/* One database connection per worker thread, all closed at shutdown. */
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static Db *dbs[64];
static size_t ndbs;
static _Thread_local Db *thread_db;
/* Copies the write-ahead log into the database off the request path (see
 * db_checkpointer_start): a commit never waits for a checkpoint. */
static DbCheckpointer *checkpointer;

static Db *worker_db(void)
{
    if (thread_db) return thread_db;
    thread_db = db_open(cfg->db_path);
    if (!thread_db) return NULL;
    db_defer_checkpoints(thread_db, checkpointer);
    pthread_mutex_lock(&dbs_lock);
    if (ndbs < COUNTOF(dbs)) dbs[ndbs++] = thread_db;
    pthread_mutex_unlock(&dbs_lock);
    return thread_db;
}

enum { SERVER_TRIM_AFTER = 8 << 20 };

/* Per-request state, created when the URI arrives and freed when done. */
typedef struct Ctx {
    Arena a;
    const char *uri;
    Buf body;
    bool started; /* MHD calls once with the headers before any body */
    int refuse;   /* 400 or 413 decided from the headers, before any body */
    struct timespec t0;
} Ctx;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    (void)cls;
    (void)con;
    Ctx *c = xcalloc(1, sizeof *c);
    clock_gettime(CLOCK_MONOTONIC, &c->t0);
    c->uri = arena_strdup(&c->a, uri);
    return c;
}

static void on_done(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)con;
    (void)toe;
    Ctx *c = *con_cls;
    if (!c) return;
    buf_free(&c->body);
    size_t used = arena_size(&c->a);
    arena_free(&c->a);
    free(c);
    *con_cls = NULL;
    /* A request that needed a lot (an organisation-wide page at 30,000 staff)
     * gives the memory back to the kernel instead of leaving it in this
     * thread's malloc arena, where the server's RSS would keep it. */
    if (used > SERVER_TRIM_AFTER) malloc_trim(0);
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    Req *r = cls;
    kv_add(&r->headers, r->a, arena_strdup(r->a, key), arena_strdup(r->a, value ? value : ""));
    return MHD_YES;
}

/* Counts the Content-Length and Transfer-Encoding headers of a request. */
typedef struct Framing {
    int lengths, encodings;
    const char *length;
} Framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    Framing *f = cls;
    if (strcasecmp(key, "Content-Length") == 0) f->lengths++, f->length = value;
    else if (strcasecmp(key, "Transfer-Encoding") == 0) f->encodings++;
    return MHD_YES;
}

/* What the headers alone decide, before a byte of the body is read: 400 for
 * a repeated or malformed Content-Length or one sent with
 * Transfer-Encoding, 413 for a declared length over the limit; else 0. */
static int length_refusal(struct MHD_Connection *con)
{
    Framing f = {0};
    MHD_get_connection_values(con, MHD_HEADER_KIND, count_framing, &f);
    if (f.lengths == 0) return 0;
    if (f.lengths > 1 || f.encodings) return 400;
    const char *p = f.length ? f.length : "";
    if (!*p) return 400;
    uint64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return 400;
        if (v > cfg->max_body) return 413; /* before it can overflow */
        v = v * 10 + (uint64_t)(*p - '0');
    }
    return v > cfg->max_body ? 413 : 0;
}

/* Writes the request's log line to stderr. */
static void log_request(const Ctx *c, const char *method, const Req *r, const Resp *w, size_t bytes)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - c->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - c->t0.tv_nsec) / 1e6;
    char when[32];
    now_iso(when);
    Buf line = BUF_INIT;
    http_log_line(&line, when, method, c->uri, w->status, ms, bytes, r->user ? r->user->account_id : 0);
    buf_putc(&line, '\n');
    fwrite(line.data, 1, line.len, stderr);
    buf_free(&line);
}

static enum MHD_Result send_resp(struct MHD_Connection *con, Req *r, Resp *w)
{
    router_security_headers(r, w);
    struct MHD_Response *resp;
    if (w->file) {
        /* MHD owns the descriptor from here (it closes it), or we do. */
        w->file = false;
        resp = MHD_create_response_from_fd64(w->file_len, w->file_fd);
        if (!resp) close(w->file_fd);
    } else if (w->static_body)
        resp = MHD_create_response_from_buffer(w->static_len, (void *)w->static_body, MHD_RESPMEM_PERSISTENT);
    else
        resp = MHD_create_response_from_buffer(w->body.len, w->body.data ? w->body.data : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", w->content_type ? w->content_type : "text/plain; charset=utf-8");
    for (size_t i = 0; i < w->headers.n; i++) MHD_add_response_header(resp, w->headers.items[i].name, w->headers.items[i].value);
    enum MHD_Result ret = MHD_queue_response(con, (unsigned)w->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)version;
    Ctx *c = *con_cls;
    if (!c) return MHD_NO;
    if (!c->started) {
        c->started = true;
        /* A refusal is answered now, so the body is never read. */
        c->refuse = length_refusal(con);
        if (!c->refuse) return MHD_YES;
    } else if (*upload_size) {
        if (c->body.len + *upload_size > cfg->max_body) {
            /* Only a chunked body comes here (a declared length was checked):
             * past the limit the connection is closed. */
            fprintf(stderr, "jinzai: %s: chunked body over %zu bytes, connection closed\n", method, cfg->max_body);
            return MHD_NO;
        }
        buf_append(&c->body, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }

    Req r = {0};
    Resp w = {0};
    r.a = &c->a;
    r.db = worker_db();
    r.method = method;
    r.https = cfg->behind_https_proxy;
    const char *q = strchr(c->uri, '?');
    size_t plen = q ? (size_t)(q - c->uri) : strlen(c->uri);
    r.path = url_decode(r.a, c->uri, plen, false, NULL);
    r.query_raw = q ? q + 1 : "";
    MHD_get_connection_values(con, MHD_HEADER_KIND, add_header, &r);
    char ip[INET6_ADDRSTRLEN] = "";
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET) inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip, sizeof ip);
        else if (sa->sa_family == AF_INET6) inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip, sizeof ip);
    }
    /* Behind a trusted proxy, the client named by X-Forwarded-For. */
    r.ip = proxy_client_ip(r.a, arena_strdup(r.a, ip), req_header(&r, "X-Forwarded-For"));
    r.body = c->body.data;
    r.body_len = c->body.len;

    /* Behind the proxy, the per-client cap counts requests against the client. */
    bool counted = cfg->max_client_requests && proxy_any() && proxy_trusted(ip);
    bool admitted = !counted || proxy_client_enter(r.ip, cfg->max_client_requests);
    if (!admitted) {
        resp_error(&r, &w, 503, "同じ端末からの同時の要求が多すぎます。少し待ってからもう一度お試しください。");
        resp_header(&r, &w, "Retry-After", "1");
    } else if (!r.db) resp_text(&w, 503, "database unavailable\n");
    else if (c->refuse == 413) resp_error(&r, &w, 413, "送信されたデータが上限を超えています。ファイルを分けて送信してください。");
    else if (c->refuse) resp_error(&r, &w, 400, "リクエストの形式が正しくありません。");
    else {
        req_parse_input(&r);
        router_dispatch(&r, &w);
    }
    size_t bytes = w.file ? w.file_len : w.static_body ? w.static_len : w.body.len;
    enum MHD_Result ret = send_resp(con, &r, &w);
    bool head = strcmp(method, "HEAD") == 0;
    log_request(c, method, &r, &w, head ? 0 : bytes);
    if (counted && admitted) proxy_client_leave(r.ip);
    resp_free(&w);
    return ret;
}

/* libmicrohttpd's memory per connection holds the request line, the headers
 * and the read buffer (the body is copied out as it comes); it is zeroed
 * after every request of a kept-alive connection. 64 KB cost each new
 * connection 16 page faults, the zeroing and an munmap: about a fifth of the
 * CPU of a short POST. 16 KB (malloc'd) still takes headers of 8 KB and
 * bodies of any allowed size (tests/http/test_hardening.c). */
#define CONNECTION_MEMORY ((size_t)16 * 1024)

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig) { stop_requested = sig; }

int server_run(const Config *config)
{
    cfg = config;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port)};
    if (inet_pton(AF_INET, cfg->listen_host, &addr.sin_addr) != 1) {
        fprintf(stderr, "jinzai: bad listen address %s\n", cfg->listen_host);
        return 2;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    checkpointer = db_checkpointer_start(cfg->db_path, 1000);
    if (!checkpointer && !db_name_is_postgresql(cfg->db_path)) fprintf(stderr, "jinzai: no background checkpoints; commits checkpoint themselves\n");
    /* poll(), not epoll: in epoll mode libmicrohttpd 0.9.75 now and then left
     * a worker's whole share of a burst of connections, opened first and
     * used a moment later, unanswered until a signal woke the worker
     * (test_burst_of_open_connections in tests/http/test_hardening.c). A
     * worker polls at most its share of the connection limit. */
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
        MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_conns_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "jinzai: cannot listen on %s:%d\n", cfg->listen_host, cfg->port);
        db_checkpointer_stop(checkpointer);
        return 1;
    }
    fprintf(stderr, "jinzai: serving http://%s:%d/ (%d threads)\n", cfg->listen_host, cfg->port, cfg->threads);
    while (!stop_requested) pause();
    fprintf(stderr, "jinzai: stopping\n");
    MHD_quiesce_daemon(d);
    for (int i = 0; i < 100; i++) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0) break;
        usleep(100 * 1000);
    }
    MHD_stop_daemon(d);
    for (size_t i = 0; i < ndbs; i++) db_close(dbs[i]);
    db_checkpointer_stop(checkpointer);
    fprintf(stderr, "jinzai: stopped\n");
    return 0;
}
