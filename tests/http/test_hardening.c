/* test_hardening.c - what hostile or careless input must not do: redirect
 * off the site, write through HEAD, reach a handler with a form that did not
 * parse, overflow a page number; the limits a live server enforces from the
 * headers alone; a burst of connections, every one answered; and the
 * request log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "harness.h"
#include "app/server.h"
#include "pages/pages.h"

static Who users[] = {{.login = "shokuin"}, {.login = "jinji"}};
HARNESS_SETUP("hardening", users)

static int shares(Who *w) { return (int)db_int(db, -1, "SELECT COUNT(*) FROM share_back WHERE staff_id = ?", w->staff_id); }

/* POSTs body (after the csrf field) as w; returns the answer (free its raw). */
static Res post_as(Who *w, const char *p, const char *body)
{
    Buf all = BUF_INIT;
    buf_printf(&all, "csrf=%s&%s", w->csrf, body);
    Res r = req("POST", p, w->cookie, buf_cstr(&all));
    buf_free(&all);
    return r;
}

/* ---- redirects ---- */

static void test_redirect_rule(void **state)
{
    (void)state;
    static const char *const bad[] = {"//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
                                      "\t//evil.example", "/\r\n/evil.example", "/x\x7f", "https://evil.example",
                                      "evil.example", "", "/a\\b"};
    for (size_t i = 0; i < COUNTOF(bad); i++)
        if (strcmp(http_local_path(bad[i], "/d"), "/d") != 0) fail_msg("accepted as a local path: \"%s\"", bad[i]);
    assert_null(http_local_path(NULL, NULL));
    assert_string_equal(http_local_path("/staff/3?x=1#a", "/d"), "/staff/3?x=1#a");
    assert_string_equal(http_local_path("/", "/d"), "/");
}

/* The form's back: a TAB (or CR, LF, backslash) that a browser drops must not
 * make //host of it. The share-back is still saved; only the target changes. */
static void test_back_field(void **state)
{
    (void)state;
    Who *me = user("shokuin");
    static const char *const backs[] = {"%2F%09%2Fevil.example", "%09%2F%2Fevil.example", "%2F%0D%0A%2Fevil.example",
                                        "%2F%5Cevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example"};
    int before = shares(me);
    for (size_t i = 0; i < COUNTOF(backs); i++) {
        Res r = post_as(me, "/training/shareback", fmt("held_on=2026-11-20&attendees=3&content=x%zu&back=%s", i, backs[i]));
        if (r.status != 303 || !has(&r, "Location: /training?msg=saved#shareback\r\n"))
            fail_msg("back=%s: %d\n%.300s", backs[i], r.status, r.raw.data);
        assert_null(strstr(r.raw.data, "evil"));
        buf_free(&r.raw);
    }
    assert_int_equal(shares(me), before + (int)COUNTOF(backs));
    /* A good one is kept. */
    Res ok = post_as(me, "/training/shareback", "held_on=2026-11-20&attendees=3&content=y&back=%2Ftraining%3Fa%3D1");
    assert_int_equal(ok.status, 303);
    assert_true(has(&ok, "Location: /training?a=1&msg=saved#shareback\r\n"));
    buf_free(&ok.raw);
    /* login's next follows the same rule. */
    Res n = req("GET", "/login?next=%2F%09%2Fevil.example", me->cookie, NULL);
    assert_int_equal(n.status, 303);
    assert_true(has(&n, "Location: /\r\n"));
    buf_free(&n.raw);
}

/* ---- HEAD ---- */

static int audits(void) { return count("SELECT COUNT(*) FROM audit_log"); }

static void test_head_writes_nothing(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    int64_t staff = db_int(db, 0, "SELECT MIN(id) FROM staff");
    int64_t seen = db_int(db, -1, "SELECT MAX(last_seen) FROM session");
    db_exec(db, "UPDATE session SET last_seen = 0"); /* any session_load would now write */
    int before = audits();
    const char *pages[] = {fmt("/staff/%lld", (long long)staff), "/export/staff", "/staff?format=csv", "/"};
    for (size_t i = 0; i < COUNTOF(pages); i++) {
        Res r = req("HEAD", pages[i], hr->cookie, NULL);
        if (r.status != 405) fail_msg("HEAD %s: %d", pages[i], r.status);
        assert_true(has(&r, "Allow: GET\r\n"));
        assert_string_equal(r.body, "");
        buf_free(&r.raw);
    }
    assert_int_equal(audits(), before);
    assert_int_equal(db_int(db, -1, "SELECT MAX(last_seen) FROM session"), 0);
    db_exec(db, "UPDATE session SET last_seen = ?", seen);
    /* A path with GET and POST says so. */
    Res both = req("HEAD", "/staff/new", hr->cookie, NULL);
    assert_int_equal(both.status, 405);
    assert_true(has(&both, "Allow: GET, POST\r\n"));
    buf_free(&both.raw);
    /* The static routes answer HEAD with GET's headers and no body. */
    Res h = req("HEAD", "/healthz", NULL, NULL);
    assert_int_equal(h.status, 200);
    assert_string_equal(h.body, "");
    assert_null(strstr(h.raw.data, "Content-Length: 0\r\n"));
    buf_free(&h.raw);
    /* GET of the same page is audited, as before. */
    Res g = req("GET", pages[0], hr->cookie, NULL);
    assert_int_equal(g.status, 200);
    buf_free(&g.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.view'") > 0, 1);
    assert_true(audits() > before);
}

/* ---- input limits ---- */

static void test_unparsed_input_is_400(void **state)
{
    (void)state;
    Who *me = user("shokuin");
    int before = shares(me), aud = audits();
    /* 1,001 fields: the first thousand would have made a valid form. */
    Buf body = BUF_INIT;
    buf_puts(&body, "held_on=2026-11-20&attendees=3&content=many");
    for (int i = 0; i < FORM_MAX_FIELDS; i++) buf_printf(&body, "&f%d=1", i);
    Res r = post_as(me, "/training/shareback", buf_cstr(&body));
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "送信されたデータを読み取れませんでした。"));
    buf_free(&r.raw);
    buf_free(&body);
    assert_int_equal(shares(me), before);
    assert_int_equal(audits(), aud);

    /* The same in a query string. */
    Buf q = BUF_INIT;
    buf_puts(&q, "/staff?q=a");
    for (int i = 0; i < FORM_MAX_FIELDS; i++) buf_printf(&q, "&k%d", i);
    Res rq = req("GET", buf_cstr(&q), user("jinji")->cookie, NULL);
    assert_int_equal(rq.status, 400);
    buf_free(&rq.raw);
    buf_free(&q);

    /* Multipart: not closed, and no boundary at all. */
    Who *hr = user("jinji");
    const char *open_part = fmt("--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n--XX\r\n"
                                "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nstaff_no\r\n",
                                hr->csrf);
    Res m = request("POST", "/import/preview", hr->cookie, "multipart/form-data; boundary=XX", open_part);
    assert_int_equal(m.status, 400);
    buf_free(&m.raw);
    Res nb = request("POST", "/import/preview", hr->cookie, "multipart/form-data", fmt("csrf=%s", hr->csrf));
    assert_int_equal(nb.status, 400);
    buf_free(&nb.raw);
    assert_int_equal(audits(), aud);
}

/* Content-Length repeated, conflicting or with Transfer-Encoding: 400 at the request level. */
static void test_length_headers(void **state)
{
    (void)state;
    static const char *const raw[] = {
        "POST /login HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\na=b",
        "POST /login HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 2\r\n\r\na=b",
        "POST /login HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\na=b",
    };
    for (size_t i = 0; i < COUNTOF(raw); i++) {
        Buf out = BUF_INIT;
        http_answer_raw(db, raw[i], strlen(raw[i]), &out);
        if (strncmp(buf_cstr(&out), "HTTP/1.1 400", 12) != 0) fail_msg("%s\n-> %.80s", raw[i], buf_cstr(&out));
        buf_free(&out);
    }
}

/* ---- page numbers ---- */

static void test_page_number(void **state)
{
    (void)state;
    assert_int_equal(page_number(NULL), 1);
    assert_int_equal(page_number("abc"), 1);
    assert_int_equal(page_number("-3"), 1);
    assert_int_equal(page_number("0"), 1);
    assert_int_equal(page_number("7"), 7);
    assert_int_equal(page_number("50000000"), PAGE_NUMBER_MAX);
    assert_int_equal(page_number("99999999999999999999999"), 1);
    Who *hr = user("jinji");
    static const char *const pages[] = {"50000000", "2147483647", "-2147483648", "99999999999999999999", "x", "1e9"};
    for (size_t i = 0; i < COUNTOF(pages); i++) {
        Res r = req("GET", fmt("/staff?page=%s", pages[i]), hr->cookie, NULL);
        if (r.status != 200) fail_msg("page=%s: %d", pages[i], r.status);
        assert_true(has(&r, "人が該当します。"));
        buf_free(&r.raw);
    }
    /* Past the end shows the last page, with its people. */
    Res last = req("GET", "/staff?page=50000000", hr->cookie, NULL);
    assert_non_null(strstr(last.body, "<tbody>"));
    const char *cur = strstr(last.body, "class=\"pager\"");
    assert_non_null(cur);
    cur = strstr(cur, "aria-current=\"page\">");
    assert_non_null(cur);
    int pg = 0, pages_n = -1;
    sscanf(cur + strlen("aria-current=\"page\">"), "%d / %d", &pg, &pages_n);
    assert_int_equal(pg, pages_n);
    buf_free(&last.raw);
}

/* ---- request log line ---- */

static void test_log_line(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    http_log_line(&b, "2026-11-16T10:00:00", "GET", "/staff?q=%E9%AB%98%E6%A9%8B&page=2&active", 200, 3.14, 5120, 12);
    assert_string_equal(buf_cstr(&b), "2026-11-16T10:00:00 GET /staff?q&page&active 200 3.1ms 5120B user=12");
    buf_reset(&b);
    http_log_line(&b, "2026-11-16T10:00:00", "POST", "/login", 303, 0.04, 0, 0);
    assert_string_equal(buf_cstr(&b), "2026-11-16T10:00:00 POST /login 303 0.0ms 0B user=-");
    buf_reset(&b);
    /* One request is one line, whatever the target holds. */
    http_log_line(&b, "T", "GET", "/a b\n\"x\r?=v&&k=\n", 404, 1, 1, 0);
    assert_string_equal(buf_cstr(&b), "T GET /a%20b%0A%22x%0D?k 404 1.0ms 1B user=-");
    buf_free(&b);
}

/* ---- a live server ---- */

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    close(s);
    return ntohs(a.sin_port);
}

/* Sends text to the server and returns what came back within 3 s (the
 * server may close the connection without reading all of it). */
static void exchange(int port, const char *text, size_t n, char *out, size_t cap)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {3, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    out[0] = 0;
    for (int i = 0; i < 50 && connect(s, (struct sockaddr *)&a, sizeof a) != 0; i++) usleep(100 * 1000);
    if (send(s, text, n, MSG_NOSIGNAL) < 0) {
        close(s);
        return;
    }
    size_t got = 0;
    ssize_t k;
    while (got + 1 < cap && (k = recv(s, out + got, cap - 1 - got, 0)) > 0) {
        got += (size_t)k;
        out[got] = 0;
        if (strstr(out, "\r\n\r\n")) break;
    }
    close(s);
}

/* A server in a child process on port (1 MB bodies), its log (stderr) into
 * logpath; returns once it answers /healthz. */
static pid_t spawn_server(int port, const char *logpath, int threads, int max_conns, int per_ip)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 2);
        Config cfg = {.db_path = dbpath, .listen_host = "127.0.0.1", .port = port, .threads = threads,
                      .max_body = 1024 * 1024, .max_conns = max_conns, .max_conns_per_ip = per_ip};
        _exit(server_run(&cfg));
    }
    char out[256];
    exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 34, out, sizeof out);
    assert_non_null(strstr(out, "HTTP/1.1 200"));
    return pid;
}

static void test_live_server(void **state)
{
    (void)state;
    int port = free_port();
    char logpath[80];
    snprintf(logpath, sizeof logpath, "/tmp/jinzai-hardening-log-%d", (int)getpid());
    pid_t pid = spawn_server(port, logpath, 2, 64, 32);
    char out[4096];

    /* 1 TB announced: refused at once from the header, no body read. */
    const char *tb = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: 1099511627776\r\n\r\nlogin=a";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    exchange(port, tb, strlen(tb), out, sizeof out);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!strstr(out, "HTTP/1.1 413")) fail_msg("1 TB: %.200s", out);
    assert_true(t1.tv_sec - t0.tv_sec < 2);
    /* Just over the limit: the same, without waiting for the body. */
    const char *over = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n";
    exchange(port, over, strlen(over), out, sizeof out);
    if (!strstr(out, "HTTP/1.1 413")) fail_msg("over: %.200s", out);
    /* Repeated and conflicting lengths. */
    const char *dup = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\na=b";
    exchange(port, dup, strlen(dup), out, sizeof out);
    if (!strstr(out, "HTTP/1.1 400")) fail_msg("duplicate: %.200s", out);
    const char *conflict = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\na=b";
    exchange(port, conflict, strlen(conflict), out, sizeof out);
    if (!strstr(out, "HTTP/1.1 400")) fail_msg("conflict: %.200s", out);
    /* A page: logged as method, path and query keys only. */
    const char *page = "GET /staff?q=secretname&page=2 HTTP/1.1\r\nHost: x\r\n\r\n";
    exchange(port, page, strlen(page), out, sizeof out);
    assert_non_null(strstr(out, "HTTP/1.1 303"));
    const char *head = "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    exchange(port, head, strlen(head), out, sizeof out);
    assert_non_null(strstr(out, "HTTP/1.1 200"));
    /* The connection's memory is small (each request zeroes it); headers of
     * 8 KB, as a proxy passes them on, and a body near the limit still go. */
    static char big[1000 * 1000 + 256];
    int k = snprintf(big, sizeof big, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ");
    memset(big + k, 'a', 8192);
    k += 8192;
    k += snprintf(big + k, sizeof big - (size_t)k, "\r\n\r\n");
    exchange(port, big, (size_t)k, out, sizeof out);
    if (!strstr(out, "HTTP/1.1 200")) fail_msg("8 KB header: %.200s", out);
    const int body = 1000 * 1000;
    k = snprintf(big, sizeof big, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\nlogin=", body);
    memset(big + k, 'a', (size_t)body - 6);
    exchange(port, big, (size_t)k + (size_t)body - 6, out, sizeof out);
    if (!strstr(out, "HTTP/1.1 403")) fail_msg("1 MB body: %.200s", out);

    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    FILE *f = fopen(logpath, "r");
    assert_non_null(f);
    static char log[65536];
    size_t n = fread(log, 1, sizeof log - 1, f);
    log[n] = 0;
    fclose(f);
    unlink(logpath);
    if (!strstr(log, " GET /staff?q&page 303 ") || !strstr(log, " POST /login 413 ") || !strstr(log, " POST /login 400 ") ||
        !strstr(log, " HEAD /healthz 200 ") || !strstr(log, "B user=-"))
        fail_msg("log:\n%s", log);
    assert_null(strstr(log, "secretname"));
}

/* A burst of connections opened first and used a moment later (browsers
 * open spare connections ahead), from several addresses, as many as the
 * per-address cap allows: every request is answered. With libmicrohttpd's
 * epoll mode a worker now and then missed such connections and left all of
 * its share (a quarter of them) unanswered until a signal woke it. */
static void test_burst_of_open_connections(void **state)
{
    (void)state;
    int port = free_port();
    pid_t pid = spawn_server(port, "/dev/null", 4, 512, 64);
    char out[256];
    enum { N = 256, ROUNDS = 6 };
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (int round = 0; round < ROUNDS; round++) {
        static struct pollfd fds[N];
        for (int i = 0; i < N; i++) {
            int s = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)(i % 8))};
            struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
            assert_int_equal(bind(s, (struct sockaddr *)&src, sizeof src), 0);
            assert_int_equal(connect(s, (struct sockaddr *)&to, sizeof to), 0);
            fds[i] = (struct pollfd){.fd = s, .events = POLLIN};
        }
        usleep(200 * 1000);
        for (int i = 0; i < N; i++) assert_int_equal(send(fds[i].fd, req, sizeof req - 1, MSG_NOSIGNAL), (ssize_t)(sizeof req - 1));
        int answered = 0;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        do {
            poll(fds, N, 100);
            for (int i = 0; i < N; i++) {
                if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                ssize_t k = recv(fds[i].fd, out, sizeof out - 1, 0);
                out[k > 0 ? k : 0] = 0;
                if (!strstr(out, "HTTP/1.1 200")) fail_msg("round %d, connection %d: %.100s", round, i, out);
                close(fds[i].fd);
                fds[i].fd = -1;
                answered++;
            }
            clock_gettime(CLOCK_MONOTONIC, &t1);
        } while (answered < N && t1.tv_sec - t0.tv_sec < 5);
        for (int i = 0; i < N; i++)
            if (fds[i].fd >= 0) close(fds[i].fd);
        if (answered < N) fail_msg("round %d: %d of %d requests unanswered after 5 s", round, N - answered, N);
    }
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redirect_rule), cmocka_unit_test(test_back_field),
        cmocka_unit_test(test_head_writes_nothing), cmocka_unit_test(test_unparsed_input_is_400),
        cmocka_unit_test(test_length_headers), cmocka_unit_test(test_page_number),
        cmocka_unit_test(test_log_line), cmocka_unit_test(test_live_server),
        cmocka_unit_test(test_burst_of_open_connections),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
