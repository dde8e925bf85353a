/* test_cov_http.c - the real server (libmicrohttpd glue in server.c) over a
 * socket: a served page and HEAD, a logged-in request, a form POST whose
 * body arrives separately from its headers, the body limit decided from the
 * headers alone (413 before any byte is read, 400 for a malformed or
 * repeated Content-Length or one sent with Transfer-Encoding), a chunked body
 * past the limit closing the connection, X-Forwarded-For believed only from
 * a trusted proxy, and a bad listen address or a port in use refused at
 * start-up. The server runs in a child process that stops on SIGTERM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/config.h"
#include "http/proxy.h"
#include "app/server.h"
#include "harness.h"

static Who users[] = {{.login = "admin"}};
static Config cfg;
static pid_t child;
static int port;

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(s, (struct sockaddr *)&a, &len) != 0) return -1;
    close(s);
    return ntohs(a.sin_port);
}

static int connect_server(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (s < 0) return -1;
    struct timeval tv = {.tv_sec = 10};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        close(s);
        return -1;
    }
    return s;
}

/* Sends raw (the bytes as given) and reads until the server closes; the
 * answer in out ("" when the connection was closed without one). */
static void exchange(const char *raw, size_t n, Buf *out)
{
    int s = connect_server();
    assert_true(s >= 0);
    size_t off = 0;
    while (off < n) {
        ssize_t k = send(s, raw + off, n - off, MSG_NOSIGNAL);
        if (k <= 0) break; /* the server may close before it has read everything */
        off += (size_t)k;
    }
    char b[8192];
    ssize_t k;
    while ((k = recv(s, b, sizeof b, 0)) > 0) buf_append(out, b, (size_t)k);
    close(s);
    buf_cstr(out);
}

static int status_of(const Buf *b)
{
    int st = 0;
    if (!b->data || sscanf(b->data, "HTTP/1.%*d %d", &st) != 1) return 0;
    return st;
}

static const char *body_of(const Buf *b)
{
    const char *p = b->data ? strstr(b->data, "\r\n\r\n") : NULL;
    return p ? p + 4 : "";
}

static int setup(void **state)
{
    (void)state;
    if (harness_open("cov-http", users, sizeof users / sizeof users[0]) != 0) return -1;
    port = free_port();
    if (port <= 0) return -1;
    /* Connections from this machine count as a trusted proxy. */
    if (proxy_configure("127.0.0.1/32,::1") != 0) return -1;
    cfg = (Config){.db_path = dbpath, .listen_host = "127.0.0.1", .port = port, .threads = 2, .max_body = 4096,
                   .max_conns = 64, .max_conns_per_ip = 64};
    fflush(NULL);
    child = fork();
    if (child < 0) return -1;
    if (child == 0) {
        int rc = server_run(&cfg);
        exit(rc); /* a normal exit, so the child's coverage is written */
    }
    for (int i = 0; i < 100; i++) {
        int s = connect_server();
        if (s >= 0) {
            close(s);
            return 0;
        }
        usleep(50 * 1000);
    }
    return -1;
}

static int teardown(void **state)
{
    (void)state;
    int rc = -1;
    if (child > 0) {
        kill(child, SIGTERM);
        int ws = 0;
        if (waitpid(child, &ws, 0) == child && WIFEXITED(ws)) rc = WEXITSTATUS(ws);
    }
    proxy_configure(NULL);
    harness_close();
    return rc == 0 ? 0 : -1; /* the server stopped cleanly on SIGTERM */
}

/* GET of the login page is served with its security headers; HEAD gets the
 * same status and headers with no body. */
static void test_get_and_head(void **state)
{
    (void)state;
    const char get[] = "GET /login?next=%2Fstaff HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    Buf b = BUF_INIT;
    exchange(get, strlen(get), &b);
    assert_int_equal(status_of(&b), 200);
    assert_non_null(strstr(b.data, "Content-Type: text/html"));
    assert_non_null(strstr(b.data, "jz_pre="));
    assert_non_null(strstr(body_of(&b), "ログイン"));
    assert_non_null(strstr(body_of(&b), "/staff"));
    buf_free(&b);

    /* HEAD of a page writes nothing, so it is refused with the methods the
     * page takes; HEAD of a static file gets its headers and no body. */
    const char head[] = "HEAD /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    Buf h = BUF_INIT;
    exchange(head, strlen(head), &h);
    assert_int_equal(status_of(&h), 405);
    assert_non_null(strstr(h.data, "Allow: GET, POST"));
    assert_string_equal(body_of(&h), "");
    buf_free(&h);

    const char css[] = "HEAD /assets/style.css HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    Buf c = BUF_INIT;
    exchange(css, strlen(css), &c);
    assert_int_equal(status_of(&c), 200);
    assert_non_null(strstr(c.data, "Content-Type: text/css"));
    assert_string_equal(body_of(&c), "");
    buf_free(&c);
}

/* A session cookie made in-process is honoured by the server, and a request
 * without one is sent to the login page. */
static void test_logged_in(void **state)
{
    (void)state;
    char raw[512];
    snprintf(raw, sizeof raw, "GET / HTTP/1.1\r\nHost: localhost\r\nCookie: %s\r\nConnection: close\r\n\r\n", user("admin")->cookie);
    Buf b = BUF_INIT;
    exchange(raw, strlen(raw), &b);
    assert_int_equal(status_of(&b), 200);
    assert_non_null(strstr(body_of(&b), "ログアウト"));
    buf_free(&b);

    const char anon[] = "GET /staff HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    Buf a = BUF_INIT;
    exchange(anon, strlen(anon), &a);
    assert_int_equal(status_of(&a), 303);
    assert_non_null(strstr(a.data, "Location: /login"));
    buf_free(&a);
}

/* A failed login POSTed through a trusted proxy is charged to the address
 * X-Forwarded-For names; the same header from an untrusted peer would not be
 * believed (proxy_client_ip) - here the peer is trusted. */
static void test_post_through_proxy(void **state)
{
    (void)state;
    Res pre = req("GET", "/login", NULL, NULL);
    char token[80];
    assert_true(cookie_of(&pre, "jz_pre", token, sizeof token));
    buf_free(&pre.raw);
    const char *body = fmt("csrf=%s&login=admin&password=wrong-password-xyz&next=%%2F", token);
    char raw[1024];
    snprintf(raw, sizeof raw,
             "POST /login HTTP/1.1\r\nHost: localhost\r\nCookie: jz_pre=%s\r\nX-Forwarded-For: 198.51.100.7, 127.0.0.1\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
             token, strlen(body), body);
    int before = count("SELECT COUNT(*) FROM login_failure WHERE ip = '198.51.100.7'");
    Buf b = BUF_INIT;
    exchange(raw, strlen(raw), &b);
    assert_int_equal(status_of(&b), 401);
    assert_non_null(strstr(body_of(&b), "ログイン名またはパスワードが正しくありません。"));
    buf_free(&b);
    assert_int_equal(count("SELECT COUNT(*) FROM login_failure WHERE ip = '198.51.100.7'"), before + 1);
    db_exec(db, "DELETE FROM login_failure");
}

/* A declared body over the limit is refused with 413 from the headers. */
static void test_declared_body_too_large(void **state)
{
    (void)state;
    const char raw[] = "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       "Content-Length: 5000\r\nConnection: close\r\n\r\nx";
    Buf b = BUF_INIT;
    exchange(raw, strlen(raw), &b);
    assert_int_equal(status_of(&b), 413);
    assert_non_null(strstr(body_of(&b), "上限を超えています"));
    buf_free(&b);

    /* A length with more digits than any limit stops before it can overflow. */
    const char huge[] = "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999999\r\nConnection: close\r\n\r\n";
    Buf h = BUF_INIT;
    exchange(huge, strlen(huge), &h);
    assert_int_equal(status_of(&h), 413); /* libmicrohttpd refuses it itself */
    buf_free(&h);
}

/* A repeated Content-Length, or one with Transfer-Encoding, is a 400. */
static void test_bad_framing(void **state)
{
    (void)state;
    const char *const raws[] = {
        "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b",
        "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\na=b\r\n0\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof raws / sizeof raws[0]; i++) {
        Buf b = BUF_INIT;
        exchange(raws[i], strlen(raws[i]), &b);
        assert_int_equal(status_of(&b), 400);
        buf_free(&b);
    }
}

/* A chunked body within the limit is read and answered; one past it closes
 * the connection without an answer. */
static void test_chunked(void **state)
{
    (void)state;
    const char ok[] = "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n7\r\nlogin=a\r\n0\r\n\r\n";
    Buf b = BUF_INIT;
    exchange(ok, strlen(ok), &b);
    /* No csrf token: the form is refused, but only after the body was read. */
    int st = status_of(&b);
    assert_true(st == 400 || st == 403);
    buf_free(&b);

    Buf big = BUF_INIT;
    buf_puts(&big, "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    for (int i = 0; i < 6; i++) {
        buf_puts(&big, "400\r\n");
        for (int j = 0; j < 0x400; j++) buf_putc(&big, 'a');
        buf_puts(&big, "\r\n");
    }
    buf_puts(&big, "0\r\n\r\n");
    Buf out = BUF_INIT;
    exchange(big.data, big.len, &out);
    assert_int_equal(status_of(&out), 0);
    buf_free(&out);
    buf_free(&big);
}

/* Start-up refusals: a listen address that is not an IPv4 address, and a
 * port another server already holds. */
static void test_start_refused(void **state)
{
    (void)state;
    Config bad = cfg;
    bad.listen_host = "not-an-address";
    assert_int_equal(server_run(&bad), 2);
    Config taken = cfg; /* the child serves on this port */
    assert_int_equal(server_run(&taken), 1);
}

/* The trusted-proxy list: a malformed entry installs nothing (the list in
 * force stays); networks with partial-byte prefixes, IPv6, and an
 * IPv4-mapped IPv6 peer. */
static void test_proxy_list(void **state)
{
    (void)state;
    const char *const bad[] = {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "::1/129", "10.0.0.0/123456789", "proxy.local",
                               "10.0.0.1/-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(proxy_configure(bad[i]), -1);
        assert_true(proxy_trusted("127.0.0.1")); /* the list of setup still holds */
    }
    Buf many = BUF_INIT;
    for (int i = 0; i < 33; i++) buf_printf(&many, "10.0.0.%d,", i);
    assert_int_equal(proxy_configure(buf_cstr(&many)), -1); /* more than 32 */
    buf_free(&many);

    assert_int_equal(proxy_configure(" 172.16.0.0/12 , 2001:db8::/33,,192.0.2.1 "), 0);
    assert_true(proxy_any());
    assert_true(proxy_trusted("172.31.255.255"));
    assert_false(proxy_trusted("172.32.0.1"));
    assert_true(proxy_trusted("::ffff:172.16.0.5"));
    assert_true(proxy_trusted("2001:db8:7fff::1"));
    assert_false(proxy_trusted("2001:db8:8000::1"));
    assert_true(proxy_trusted("192.0.2.1"));
    assert_false(proxy_trusted("192.0.2.2"));
    assert_false(proxy_trusted("127.0.0.1"));
    assert_false(proxy_trusted(NULL));
    assert_false(proxy_trusted("x"));

    Arena a = ARENA_INIT;
    /* An untrusted peer's header is ignored. */
    assert_string_equal(proxy_client_ip(&a, "198.51.100.1", "203.0.113.9"), "198.51.100.1");
    /* Through two trusted hops, the first untrusted from the right is the client, port or brackets dropped. */
    assert_string_equal(proxy_client_ip(&a, "192.0.2.1", "203.0.113.9:5555, 172.16.0.1"), "203.0.113.9");
    assert_string_equal(proxy_client_ip(&a, "192.0.2.1", " [2001:db9::5]:443 ,\t2001:db8::1"), "2001:db9::5");
    /* A malformed hop ends the walk: the last good address, or the peer. */
    assert_string_equal(proxy_client_ip(&a, "192.0.2.1", "203.0.113.9, junk, 172.16.0.9"), "172.16.0.9");
    assert_string_equal(proxy_client_ip(&a, "192.0.2.1", "[2001:db9::5"), "192.0.2.1");
    assert_string_equal(proxy_client_ip(&a, "192.0.2.1", ""), "192.0.2.1");
    /* Every hop trusted: the leftmost. */
    assert_string_equal(proxy_client_ip(&a, "192.0.2.1", "172.16.0.3,172.16.0.2"), "172.16.0.3");
    arena_free(&a);

    /* Through http_answer_raw: X-Test-Remote plays the peer. */
    Res r = send_raw("GET", "/healthz", NULL, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    buf_free(&r.raw);
    assert_int_equal(proxy_configure(""), 0);
    assert_false(proxy_any());
    assert_int_equal(proxy_configure("127.0.0.1/32,::1"), 0);
}

/* One request is one log line: no query values, control bytes and quotes
 * escaped, a missing method or target shown as - and nothing. */
static void test_log_line(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    http_log_line(&b, "2026-11-16T10:00:00", "GET", "/staff?q=山田&=x&&page=2&", 200, 3.14, 5120, 12);
    assert_string_equal(buf_cstr(&b), "2026-11-16T10:00:00 GET /staff?q&page 200 3.1ms 5120B user=12");
    buf_reset(&b);
    http_log_line(&b, "T", NULL, NULL, 400, 0, 0, 0);
    assert_string_equal(buf_cstr(&b), "T -  400 0.0ms 0B user=-");
    buf_reset(&b);
    http_log_line(&b, "T", "GE T", "/a b\"\n\x7f?k\r=v", 404, 1, 2, 0);
    assert_string_equal(buf_cstr(&b), "T GE%20T /a%20b%22%0A%7F?k%0D 404 1.0ms 2B user=-");
    buf_free(&b);
}

/* Routing decisions seen by a user: a login redirect keeps the query, a
 * POST-only page names its method, an empty id segment is no page, a
 * multipart body without a boundary is refused before any handler. */
static void test_router_edges(void **state)
{
    (void)state;
    Res r = req("GET", "/staff?q=%E5%B1%B1&page=2", NULL, NULL);
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /login?next=%2Fstaff%3Fq%3D%25E5%25B1%25B1%26page%3D2"));
    buf_free(&r.raw);
    Who *admin = user("admin");
    r = req("GET", "/admin/sessions/1/revoke", admin->cookie, NULL);
    assert_int_equal(r.status, 405);
    assert_true(has(&r, "Allow: POST\r\n"));
    buf_free(&r.raw);
    r = req("GET", "/assess//confirm", admin->cookie, NULL);
    assert_int_equal(r.status, 404);
    buf_free(&r.raw);
    r = request("POST", "/admin/sessions/1/revoke", admin->cookie, "multipart/form-data", fmt("csrf=%s", admin->csrf));
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "送信されたデータを読み取れませんでした。"));
    buf_free(&r.raw);
    /* A body of another type is not read as a form: the token is missing. */
    r = request("POST", "/admin/sessions/1/revoke", admin->cookie, "text/plain", fmt("csrf=%s", admin->csrf));
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    /* A request line that does not parse. */
    Buf out = BUF_INIT;
    const char raw[] = "GET /\r\n\r\n";
    http_answer_raw(db, raw, strlen(raw), &out);
    assert_non_null(strstr(buf_cstr(&out), "HTTP/1.1 400 Bad Request"));
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_and_head),      cmocka_unit_test(test_logged_in), cmocka_unit_test(test_post_through_proxy),
        cmocka_unit_test(test_declared_body_too_large), cmocka_unit_test(test_bad_framing), cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_start_refused),     cmocka_unit_test(test_proxy_list), cmocka_unit_test(test_log_line),
        cmocka_unit_test(test_router_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
