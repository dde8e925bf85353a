/* mail.c - see mail.h. */
#include "mail.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/util.h"
#include "settings.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static char override_url[300];

void mail_set_override(const char *url) { snprintf(override_url, sizeof override_url, "%s", url ? url : ""); }

void mail_config_load(Db *db, MailConfig *c)
{
    Arena a = ARENA_INIT;
    memset(c, 0, sizeof *c);
    const char *host = setting_get(db, &a, "smtp_host", "");
    const char *port = setting_get(db, &a, "smtp_port", "25");
    if (*override_url) snprintf(c->url, sizeof c->url, "%s", override_url);
    else if (*host) snprintf(c->url, sizeof c->url, "smtp://%s:%s", host, *port ? port : "25");
    snprintf(c->sender, sizeof c->sender, "%s", setting_get(db, &a, "smtp_sender", "jinzai@localhost"));
    c->starttls = strcmp(setting_get(db, &a, "smtp_starttls", "0"), "1") == 0;
    snprintf(c->user, sizeof c->user, "%s", setting_get(db, &a, "smtp_user", ""));
    snprintf(c->password, sizeof c->password, "%s", setting_get(db, &a, "smtp_password", ""));
    arena_free(&a);
}

static char *b64(Arena *a, const void *p, size_t n)
{
    size_t cap = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    char *out = arena_alloc(a, cap);
    sodium_bin2base64(out, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

char *mail_encode_subject(Arena *a, const char *s)
{
    Buf b = BUF_INIT;
    size_t n = strlen(s), i = 0;
    if (n == 0) buf_puts(&b, "");
    while (i < n) {
        /* At most 45 bytes per word (60 base64 characters, 72 in all),
         * ending on a character boundary. */
        size_t end = i + 45 < n ? i + 45 : n;
        while (end > i && end < n && ((unsigned char)s[end] & 0xC0) == 0x80) end--;
        if (end == i) end = i + 1;
        if (i > 0) buf_puts(&b, "\r\n ");
        buf_printf(&b, "=?UTF-8?B?%s?=", b64(a, s + i, end - i));
        i = end;
    }
    char *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

char *mail_message(Arena *a, const char *from, const char *to, const char *subject, const char *body, int64_t at_unix, int64_t id)
{
    static const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)at_unix;
    struct tm tm;
    gmtime_r(&t, &tm);
    /* The body with CRLF line ends, then base64 in lines of 76. */
    Buf text = BUF_INIT;
    for (const char *p = body; *p; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r')) buf_putc(&text, '\r');
        buf_putc(&text, *p);
    }
    char *enc = b64(a, text.data ? text.data : "", text.len);
    buf_free(&text);
    Buf m = BUF_INIT;
    buf_printf(&m,
               "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n"
               "Message-ID: <jinzai.%lld.%lld@%s>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n",
               days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, from, to,
               mail_encode_subject(a, subject), (long long)id, (long long)at_unix, strchr(from, '@') ? strchr(from, '@') + 1 : "localhost");
    for (size_t i = 0, n = strlen(enc); i < n; i += 76) {
        buf_append(&m, enc + i, n - i < 76 ? n - i : 76);
        buf_puts(&m, "\r\n");
    }
    char *out = arena_strdup(a, buf_cstr(&m));
    buf_free(&m);
    return out;
}

bool mail_address_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 254) return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@')) return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c >= 0x7f || strchr("<>()[]\\,;:\"", c)) return false;
    }
    return strchr(at + 1, '.') != NULL || strcmp(at + 1, "localhost") == 0;
}

int64_t mail_backoff(int attempts)
{
    int64_t s = 60;
    for (int i = 1; i < attempts && s < 6 * 3600; i++) s *= 2;
    return s < 6 * 3600 ? s : 6 * 3600;
}

typedef struct Upload {
    const char *p;
    size_t left;
} Upload;

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
    Upload *u = ud;
    size_t n = size * nmemb < u->left ? size * nmemb : u->left;
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

int mail_send(const MailConfig *c, const char *to, const char *message, char *err, size_t errn)
{
    pthread_once(&curl_once, curl_init);
    if (!*c->url) {
        snprintf(err, errn, "no SMTP relay is set");
        return -1;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(err, errn, "curl_easy_init failed");
        return -1;
    }
    char from[300], rcpt[300], ebuf[CURL_ERROR_SIZE] = "";
    snprintf(from, sizeof from, "<%s>", c->sender);
    snprintf(rcpt, sizeof rcpt, "<%s>", to);
    struct curl_slist *list = curl_slist_append(NULL, rcpt);
    Upload u = {message, strlen(message)};
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, list);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &u);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    if (c->starttls) curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (*c->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) snprintf(err, errn, "%s", *ebuf ? ebuf : curl_easy_strerror(rc));
    curl_slist_free_all(list);
    curl_easy_cleanup(h);
    return rc == CURLE_OK ? 0 : -1;
}

/* Seconds a claimed message is kept from the other senders while this one
 * sends it (curl gives up after 15 + 60 s); a node that dies meanwhile
 * leaves it to be tried again when the time is up. */
enum { MAIL_LEASE = 300 };

/* Claims the next due message for this sender: its next_try_at moves
 * MAIL_LEASE ahead, in a transaction of its own, so no other node's sender
 * takes it (PostgreSQL skips a row another node is claiming; SQLite's
 * writer lock serialises the claims). The message goes into *m. */
typedef struct Claimed {
    int64_t id;
    char *to, *subject, *body;
    int attempts;
} Claimed;

static bool claim(Db *db, Arena *a, Claimed *m)
{
    int64_t now = now_unix();
    if (db_begin(db) != 0) return false;
    Stmt *st = db_query(db,
                        DB_SKIP_LOCKED(db,
                                       "UPDATE outbox SET next_try_at = ? WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL"
                                       " AND failed_at IS NULL AND next_try_at <= ? ORDER BY next_try_at, id LIMIT 1",
                                       ") AND sent_at IS NULL AND failed_at IS NULL AND next_try_at <= ?"
                                       " RETURNING id, to_addr, subject, body, attempts"),
                        now + MAIL_LEASE, now, now);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *m = (Claimed){db_col_int(st, 0), db_col_dup(st, 1, a), db_col_dup(st, 2, a), db_col_dup(st, 3, a), (int)db_col_int(st, 4)};
        rc = db_step(st);
        if (rc == DB_DONE) rc = DB_ROW;
    }
    db_done(st);
    if (rc != DB_ROW) {
        db_rollback(db);
        return false;
    }
    return db_commit(db) == 0;
}

int mail_drain(Db *db, const MailConfig *c, int max)
{
    if (!*c->url) return -1;
    int sent = 0;
    for (int i = 0; i < max; i++) {
        Arena a = ARENA_INIT;
        Claimed m;
        if (!claim(db, &a, &m)) {
            arena_free(&a);
            break;
        }
        int attempts = m.attempts + 1;
        char err[512] = "";
        int rc = mail_address_ok(m.to) ? mail_send(c, m.to, mail_message(&a, c->sender, m.to, m.subject, m.body, now_unix(), m.id), err, sizeof err)
                                       : (snprintf(err, sizeof err, "bad address"), -1);
        char iso[32];
        now_iso(iso);
        if (rc == 0) {
            sent++;
            fprintf(stderr, "jinzai: mail %lld to %s sent (attempt %d)\n", (long long)m.id, m.to, attempts);
            db_exec(db, "UPDATE outbox SET attempts = ?, sent_at = ?, last_error = '' WHERE id = ?", attempts, iso, m.id);
        } else if (attempts >= MAIL_MAX_ATTEMPTS) {
            fprintf(stderr, "jinzai: mail %lld to %s failed (attempt %d, given up): %s\n", (long long)m.id, m.to, attempts, err);
            db_exec(db, "UPDATE outbox SET attempts = ?, failed_at = ?, last_error = ? WHERE id = ?", attempts, iso, err, m.id);
        } else {
            int64_t wait = mail_backoff(attempts);
            fprintf(stderr, "jinzai: mail %lld to %s failed (attempt %d, retry in %llds): %s\n", (long long)m.id, m.to, attempts,
                    (long long)wait, err);
            db_exec(db, "UPDATE outbox SET attempts = ?, next_try_at = ?, last_error = ? WHERE id = ?", attempts, now_unix() + wait, err,
                    m.id);
        }
        arena_free(&a);
    }
    return sent;
}

/* ---- the sender thread ---- */

static pthread_t sender;
static pthread_mutex_t sender_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sender_cv;
static bool sender_running, sender_stop;
static char sender_db[4096];

static void *sender_main(void *arg)
{
    (void)arg;
    Db *db = db_open(sender_db);
    if (!db) return NULL;
    for (;;) {
        MailConfig c;
        mail_config_load(db, &c);
        int sent = mail_drain(db, &c, 32);
        pthread_mutex_lock(&sender_mu);
        if (!sender_stop && sent < 32) {
            /* A monotonic wait: how long to sleep, not what day it is. */
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += 5;
            pthread_cond_timedwait(&sender_cv, &sender_mu, &ts);
        }
        bool stop = sender_stop;
        pthread_mutex_unlock(&sender_mu);
        if (stop) break;
    }
    db_close(db);
    return NULL;
}

int mail_sender_start(const char *db_path)
{
    pthread_once(&curl_once, curl_init);
    snprintf(sender_db, sizeof sender_db, "%s", db_path);
    sender_stop = false;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sender_cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&sender, NULL, sender_main, NULL) != 0) return -1;
    sender_running = true;
    return 0;
}

void mail_sender_stop(void)
{
    if (!sender_running) return;
    pthread_mutex_lock(&sender_mu);
    sender_stop = true;
    pthread_cond_signal(&sender_cv);
    pthread_mutex_unlock(&sender_mu);
    pthread_join(sender, NULL);
    sender_running = false;
}
