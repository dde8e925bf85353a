/* test_mail.c - reminders delivered through a real SMTP server: `jinzai
 * remind assessments` queues them, the sender sends them to an aiosmtpd sink
 * that this test starts and stops on a free loopback port, and the delivered
 * messages decode (RFC 2047 subject, base64 UTF-8 body) to the Japanese text.
 * A relay that refuses schedules a retry with backoff, then gives up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness.h"
#include "domain/mail.h"
#include "domain/notice.h"
#include "../smtpsink.h"

static Who users[] = {{.login = "admin", .roles = 16}};
HARNESS_SETUP("mail", users)


static const char *sink_py =
    "import os, signal, sys\n"
    "from aiosmtpd.controller import Controller\n"
    "d, port = sys.argv[1], int(sys.argv[2])\n"
    "class H:\n"
    "    n = 0\n"
    "    async def handle_DATA(self, server, session, envelope):\n"
    "        H.n += 1\n"
    "        p = os.path.join(d, 'msg%04d' % H.n)\n"
    "        with open(p + '.tmp', 'wb') as f:\n"
    "            f.write(envelope.original_content or envelope.content)\n"
    "        with open(p + '.rcpt', 'w') as f:\n"
    "            f.write(','.join(envelope.rcpt_tos))\n"
    "        os.rename(p + '.tmp', p + '.eml')\n"
    "        return '250 OK'\n"
    "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})\n"
    "c = Controller(H(), hostname='127.0.0.1', port=port)\n"
    "c.start()\n"
    "open(os.path.join(d, 'ready'), 'w').close()\n"
    "signal.sigwait({signal.SIGTERM})\n"
    "c.stop()\n";


/* Runs the built binary; its output into out. Returns the exit status. */
static int run_cli(const char *args, char *out, size_t n)
{
    const char *bin = getenv("JINZAI_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "JINZAI_TODAY=%s '%s' %s --db '%s' 2>&1", HARNESS_TODAY, bin ? bin : "build/release/jinzai", args, dbpath);
    FILE *p = popen(cmd, "r");
    size_t len = fread(out, 1, n - 1, p);
    out[len] = 0;
    return WEXITSTATUS(pclose(p));
}

static int delivered(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".eml")) n++;
    if (d) closedir(d);
    return n;
}

static int sink_down(void **state)
{
    (void)state;
    stop_sink();
    return 0;
}

static void test_remind_assessments_delivers_japanese(void **state)
{
    (void)state;
    start_sink(sink_py);
    db_exec(db, "INSERT INTO setting (key, value) VALUES ('mail_base_url', 'http://jinzai.city.lg.jp/')");
    db_exec(db, "UPDATE account SET mail = 'u' || id || '@city.example.jp'");
    /* A person who turned optional mail off still gets a reminder. */
    db_exec(db, "UPDATE account SET mail_optional = 0");
    assert_int_equal(count("SELECT COUNT(*) FROM outbox"), 0);

    static char out[1 << 16];
    assert_int_equal(run_cli("remind assessments --dry-run", out, sizeof out), 0);
    assert_non_null(strstr(out, "nothing queued"));
    assert_non_null(strstr(out, "@city.example.jp"));
    assert_int_equal(count("SELECT COUNT(*) FROM outbox"), 0);

    assert_int_equal(run_cli("remind assessments", out, sizeof out), 0);
    int queued = count("SELECT COUNT(*) FROM outbox");
    assert_true(queued > 0);
    char want[64];
    snprintf(want, sizeof want, "(queued %d)", queued);
    if (!strstr(out, want)) fail_msg("output: %s", out);
    assert_int_equal(count("SELECT COUNT(*) FROM notice WHERE kind = 'remind_assessments'"), queued);
    /* Nobody who has submitted is reminded. */
    assert_int_equal(count("SELECT COUNT(*) FROM notice n JOIN account ac ON ac.id = n.account_id JOIN assessment x ON x.staff_id = ac.staff_id"
                           " AND x.nendo = 2026 AND x.state IN ('submitted', 'confirmed') WHERE n.kind = 'remind_assessments'"),
                     0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'remind.send'"), 1);

    char url[64];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
    mail_set_override(url);
    MailConfig c;
    mail_config_load(db, &c);
    int sent = 0, k;
    while ((k = mail_drain(db, &c, 32)) > 0) sent += k;
    assert_int_equal(sent, queued);
    assert_int_equal(count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1"), queued);
    assert_int_equal(delivered(), queued);

    /* The first message decoded by Python's email package. */
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c \"import email, email.policy, sys; m = email.message_from_binary_file(open(sys.argv[1], 'rb'),"
             " policy=email.policy.default); print('SUBJECT=' + m['subject']); print('TO=' + m['to']); print('TYPE=' + m.get_content_type()"
             " + ';' + m.get_content_charset()); print(m.get_content().replace(chr(13), ''))\" %s/msg0001.eml",
             dir);
    FILE *p = popen(cmd, "r");
    size_t len = fread(out, 1, sizeof out - 1, p);
    out[len] = 0;
    pclose(p);
    if (!strstr(out, "SUBJECT=[人材育成] 【督促】自己評価の提出をお願いします（2026年度）\n")) fail_msg("decoded: %s", out);
    assert_non_null(strstr(out, "TYPE=text/plain;utf-8"));
    if (!strstr(out, " 様\n")) fail_msg("decoded: %s", out);
    assert_non_null(strstr(out, "2026年度の自己評価がまだ提出されていません。"));
    assert_non_null(strstr(out, "http://jinzai.city.lg.jp/assess\n"));
    /* The recipient is the address of a reminded account. */
    const char *to = strstr(out, "TO=");
    assert_non_null(to);
    char addr[80];
    snprintf(addr, sizeof addr, "%.*s", (int)strcspn(to + 3, "\n"), to + 3);
    assert_int_equal(count(fmt("SELECT COUNT(*) FROM outbox WHERE to_addr = '%s' AND sent_at IS NOT NULL", addr)), 1);
    /* On the wire: an encoded-word subject and a base64 body. */
    char raw[300];
    snprintf(raw, sizeof raw, "%s/msg0001.eml", dir);
    FILE *f = fopen(raw, "r");
    len = fread(out, 1, sizeof out - 1, f);
    out[len] = 0;
    fclose(f);
    assert_non_null(strstr(out, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(out, "Content-Type: text/plain; charset=UTF-8"));
    assert_non_null(strstr(out, "Content-Transfer-Encoding: base64"));
}

static void test_refused_relay_retries_then_gives_up(void **state)
{
    (void)state;
    db_exec(db, "DELETE FROM outbox");
    db_exec(db, "UPDATE account SET mail = 'u' || id || '@city.example.jp', mail_optional = 1");
    int64_t acc = db_int(db, 0, "SELECT MIN(id) FROM account WHERE staff_id IS NOT NULL");
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(notice_put(db, acc, "test", false, "テスト", "本文", "/"), 0);
    assert_int_equal(db_commit(db), 0);
    char url[64];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", free_port()); /* nothing listens there */
    mail_set_override(url);
    MailConfig c;
    mail_config_load(db, &c);
    int64_t t0 = now_unix();
    assert_int_equal(mail_drain(db, &c, 10), 0);
    assert_int_equal(count("SELECT attempts FROM outbox"), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND last_error <> ''"), 1);
    int64_t next = db_int(db, 0, "SELECT next_try_at FROM outbox");
    assert_true(next >= t0 + 60 && next <= now_unix() + 60);
    /* Not due yet: nothing is tried. */
    assert_int_equal(mail_drain(db, &c, 10), 0);
    assert_int_equal(count("SELECT attempts FROM outbox"), 1);
    /* The last attempt gives it up. */
    db_exec(db, "UPDATE outbox SET attempts = ?, next_try_at = 0", MAIL_MAX_ATTEMPTS - 1);
    assert_int_equal(mail_drain(db, &c, 10), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL"), 1);
    Arena a = ARENA_INIT;
    OutboxRow *rows;
    assert_int_equal(outbox_failed(db, &a, 10, &rows), 1);
    assert_string_equal(rows[0].subject, "[人材育成] テスト");
    arena_free(&a);
    mail_set_override(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_remind_assessments_delivers_japanese, sink_down),
        cmocka_unit_test(test_refused_relay_retries_then_gives_up),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
