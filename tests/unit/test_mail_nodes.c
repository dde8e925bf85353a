/* test_mail_nodes.c - the outbox drained by two senders at once, as two
 * `jinzai serve` nodes on one database do: every message reaches the SMTP
 * sink (aiosmtpd, started on a free loopback port) exactly once and is
 * marked sent after one attempt. On SQLite (two connections to one file)
 * always; on PostgreSQL (FOR UPDATE SKIP LOCKED) on a throwaway cluster
 * (tests/pgtmp.h), passing with a message when it is not installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/mail.h"
#include "../pgtmp.h"
#include "../smtpsink.h"
#include "../tmpdb.h"

enum { MESSAGES = 60, SENDERS = 3 };

static const char *skip_reason;
static char pgname[64], pgurl[768];

static const char *sink_py =
    "import asyncio, os, signal, sys\n"
    "from aiosmtpd.controller import Controller\n"
    "d, port = sys.argv[1], int(sys.argv[2])\n"
    "class H:\n"
    "    n = 0\n"
    "    async def handle_DATA(self, server, session, envelope):\n"
    "        await asyncio.sleep(0.02)\n" /* a relay that takes its time: the senders overlap */
    "        H.n += 1\n"
    "        p = os.path.join(d, 'msg%04d' % H.n)\n"
    "        with open(p + '.rcpt', 'w') as f:\n"
    "            f.write(','.join(envelope.rcpt_tos))\n"
    "        return '250 OK'\n"
    "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})\n"
    "c = Controller(H(), hostname='127.0.0.1', port=port)\n"
    "c.start()\n"
    "open(os.path.join(d, 'ready'), 'w').close()\n"
    "signal.sigwait({signal.SIGTERM})\n"
    "c.stop()\n";


/* How many messages the sink received for each of the MESSAGES addresses. */
static void received(int per[MESSAGES], int *total)
{
    memset(per, 0, sizeof(int) * MESSAGES);
    *total = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strstr(e->d_name, ".rcpt")) continue;
        char p[400], rcpt[128] = "";
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        FILE *f = fopen(p, "r");
        if (f) {
            size_t n = fread(rcpt, 1, sizeof rcpt - 1, f);
            rcpt[n] = '\0';
            fclose(f);
        }
        int k = -1;
        if (sscanf(rcpt, "n%d@", &k) == 1 && k >= 0 && k < MESSAGES) per[k]++;
        (*total)++;
    }
    if (d) closedir(d);
}

typedef struct Sender {
    const char *name;
    pthread_barrier_t *start;
    int sent;
} Sender;

/* One node's sender: its own connection, draining until nothing is due. */
static void *sender_main(void *arg)
{
    Sender *s = arg;
    Db *db = db_open(s->name);
    pthread_barrier_wait(s->start);
    if (!db) return NULL;
    MailConfig c;
    mail_config_load(db, &c);
    int k;
    while ((k = mail_drain(db, &c, 8)) > 0) s->sent += k;
    db_close(db);
    return NULL;
}

static void concurrent_senders_send_each_once(const char *name)
{
    Db *db = db_open(name);
    assert_non_null(db);
    assert_int_equal(migrate(db), migrate_latest());
    char now[32];
    now_iso(now);
    assert_int_equal(db_begin(db), 0);
    for (int i = 0; i < MESSAGES; i++) {
        char to[64];
        snprintf(to, sizeof to, "n%d@city.example.jp", i);
        assert_int_equal(db_exec(db, "INSERT INTO outbox (to_addr, subject, body, created_at, next_try_at) VALUES (?, ?, ?, ?, 0)", to,
                                 "お知らせ", "本文", now),
                         1);
    }
    assert_int_equal(db_commit(db), 0);

    start_sink(sink_py);
    char url[64];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
    mail_set_override(url);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, SENDERS);
    Sender s[SENDERS];
    pthread_t t[SENDERS];
    for (int i = 0; i < SENDERS; i++) {
        s[i] = (Sender){.name = name, .start = &start};
        pthread_create(&t[i], NULL, sender_main, &s[i]);
    }
    int sent = 0;
    for (int i = 0; i < SENDERS; i++) {
        pthread_join(t[i], NULL);
        sent += s[i].sent;
    }
    pthread_barrier_destroy(&start);
    mail_set_override(NULL);

    int per[MESSAGES], total;
    received(per, &total);
    stop_sink();
    for (int i = 0; i < MESSAGES; i++)
        if (per[i] != 1) fail_msg("message %d reached the relay %d times", i, per[i]);
    assert_int_equal(total, MESSAGES);
    assert_int_equal(sent, MESSAGES);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1 AND last_error = ''"), MESSAGES);
    db_close(db);
}

static void test_sqlite_concurrent_senders(void **state)
{
    (void)state;
    char path[64];
    Db *db = tmpdb_open_sqlite(path, sizeof path, "mail-nodes");
    assert_non_null(db);
    db_close(db);
    concurrent_senders_send_each_once(path);
    tmpdb_remove(path);
}

static void test_postgresql_concurrent_senders(void **state)
{
    (void)state;
    if (skip_reason) {
        print_message("# skipped (no PostgreSQL): %s\n", skip_reason);
        return;
    }
    concurrent_senders_send_each_once(pgurl);
}

/* A send that fails is tried once per round, then waits for its retry. */
static void test_failed_send_waits_for_its_retry(void **state)
{
    (void)state;
    char path[64];
    Db *db = tmpdb_open_sqlite(path, sizeof path, "mail-lease");
    assert_non_null(db);
    char now[32];
    now_iso(now);
    assert_int_equal(db_exec(db, "INSERT INTO outbox (to_addr, subject, body, created_at, next_try_at) VALUES ('a@city.example.jp', 's', 'b', ?, 0)", now), 1);
    MailConfig c = {0};
    snprintf(c.url, sizeof c.url, "smtp://127.0.0.1:%d", free_port()); /* nothing listens: the send fails */
    snprintf(c.sender, sizeof c.sender, "jinzai@localhost");
    assert_int_equal(mail_drain(db, &c, 5), 0);
    assert_int_equal(db_int(db, -1, "SELECT attempts FROM outbox"), 1);
    assert_true(db_int(db, 0, "SELECT next_try_at FROM outbox") > now_unix());
    db_close(db);
    tmpdb_remove(path);
}

static int setup(void **state)
{
    (void)state;
    skip_reason = pgtmp_open("PostgreSQL leg", "jinzai_mailn", pgname, sizeof pgname, pgurl, sizeof pgurl);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pgtmp_close(pgname);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_concurrent_senders),
        cmocka_unit_test(test_postgresql_concurrent_senders),
        cmocka_unit_test(test_failed_send_waits_for_its_retry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
