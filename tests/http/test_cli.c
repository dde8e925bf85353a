/* test_cli.c - the command line (src/main.c) driven as a city's operator
 * drives it: the built binary run with popen on throwaway databases. Each test
 * checks the exit status, what was printed and what was stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "../tmpdb.h"

#include "cli.h"


static int64_t count(const char *db_path, const char *sql, const char *arg)
{
    Db *db = db_open(db_path);
    assert_non_null(db);
    int64_t v = arg ? db_int(db, -1, sql, arg) : db_int(db, -1, sql);
    db_close(db);
    return v;
}

/* Bytes of a file, for "never rewritten" checks; NULL when it is missing. */
static char *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

static bool same_file(const char *p, const char *bytes, size_t n)
{
    size_t m;
    char *b = slurp(p, &m);
    bool same = b && m == n && memcmp(b, bytes, n) == 0;
    free(b);
    return same;
}

static bool exists(const char *p) { return access(p, F_OK) == 0; }

static void copy_db(const char *from, const char *to)
{
    Db *db = db_open(from);
    assert_non_null(db);
    assert_int_equal(db_backup(db, to), 0);
    db_close(db);
}

static int setup(void **state)
{
    (void)state;
    return cli_open("cli");
}

/* A server a test started and has not stopped yet: a failed check must not
 * leave it running (it would hold the test runner's output open). */
static pid_t served;

static int teardown(void **state)
{
    (void)state;
    if (served > 0) {
        kill(served, SIGTERM);
        waitpid(served, NULL, 0);
    }
    return cli_close();
}

static void test_usage_and_unknown(void **state)
{
    (void)state;
    assert_int_equal(run(NULL, "frobnicate"), 2);
    assert_non_null(strstr(out, "usage:"));
    assert_int_equal(run(NULL, "backup"), 2);
    assert_int_equal(run(NULL, "restore --db x.db"), 2);
    assert_int_equal(run(NULL, "user add"), 2);
    assert_int_equal(run(NULL, "nendo"), 2);
    assert_int_equal(run(NULL, "designate"), 2);
    assert_int_equal(run(NULL, "kpi --db demo.db"), 2);
    assert_non_null(strstr(out, "--year"));
}

static void test_init_plain_and_again(void **state)
{
    (void)state;
    char p[128];
    path_of(p, sizeof p, "plain.db");
    assert_int_equal(run(NULL, "init --db plain.db --admin-password admin-password-1"), 0);
    assert_non_null(strstr(out, "admin-password-1"));
    assert_int_equal(count(p, "SELECT COUNT(*) FROM account WHERE login = 'admin' AND active = 1", NULL), 1);
    assert_int_equal(run(NULL, "init --db plain.db"), 0);
    assert_non_null(strstr(out, "up to date"));
    /* demo data goes only into a new database */
    assert_int_equal(run(NULL, "init --demo --db plain.db"), 1);
    assert_int_equal(count(p, "SELECT COUNT(*) FROM account", NULL), 1);
    /* a weak demo password is refused and nothing is loaded */
    assert_int_equal(run(NULL, "init --demo --db weak.db --demo-password short"), 2);
    assert_non_null(strstr(out, "12文字"));
}

static void test_user_commands(void **state)
{
    (void)state;
    char p[128];
    path_of(p, sizeof p, "users.db");
    copy_db(demo, p);
    assert_int_equal(run("new-user-password-1\n", "user add tanaka --role hr,manager --db users.db"), 0);
    assert_int_equal(count(p, "SELECT roles FROM account WHERE login = ?", "tanaka") != 0, 1);
    assert_int_equal(count(p, "SELECT COUNT(*) FROM audit_log WHERE actor = 'cli' AND summary LIKE '%tanaka%'", NULL) >= 1, 1);
    /* a short password is refused with the policy's message, nothing stored */
    assert_int_equal(run("short\n", "user add suzuki --role staff --db users.db"), 1);
    assert_non_null(strstr(out, "12文字"));
    assert_int_equal(count(p, "SELECT COUNT(*) FROM account WHERE login = ?", "suzuki"), 0);
    /* passwd changes the stored hash */
    Db *db = db_open(p);
    Arena a = ARENA_INIT;
    char *before = db_text(db, &a, "SELECT pw_hash FROM account WHERE login = 'tanaka'");
    db_close(db);
    assert_int_equal(run("another-password-2\n", "user passwd tanaka --db users.db"), 0);
    db = db_open(p);
    char *after = db_text(db, &a, "SELECT pw_hash FROM account WHERE login = 'tanaka'");
    db_close(db);
    assert_string_not_equal(before, after);
    arena_free(&a);
    assert_int_equal(run("another-password-2\n", "user passwd nobody --db users.db"), 1);
    /* role and disable */
    int64_t roles = count(p, "SELECT roles FROM account WHERE login = ?", "tanaka");
    assert_int_equal(run(NULL, "user role tanaka staff --db users.db"), 0);
    assert_true(count(p, "SELECT roles FROM account WHERE login = ?", "tanaka") != roles);
    assert_int_equal(run(NULL, "user disable tanaka --db users.db"), 0);
    assert_int_equal(count(p, "SELECT active FROM account WHERE login = ?", "tanaka"), 0);
    assert_int_equal(run(NULL, "user frob tanaka --db users.db"), 2);
}

static void test_kpi_export_import_transfers(void **state)
{
    (void)state;
    char p[128];
    path_of(p, sizeof p, "io.db");
    copy_db(demo, p);
    assert_int_equal(run(NULL, "kpi --year 2026 --db io.db"), 0);
    assert_true(strchr(out, ',') != NULL);
    assert_int_equal(run(NULL, "kpi --year 2026 --as-of 2026-13-40 --db io.db"), 2);
    assert_int_equal(run(NULL, "export staff --format csv --out staff.csv --db io.db"), 0);
    assert_non_null(strstr(out, "staff.csv"));
    assert_int_equal(run(NULL, "export skills --format xlsx --out skills.xlsx --db io.db"), 0);
    assert_int_equal(run(NULL, "export training --format xlsx --db io.db"), 2);
    assert_int_equal(run(NULL, "export staff --format csv --year xx --db io.db"), 2);
    /* the export imports back unchanged (a dry run writes nothing) */
    int64_t audits = count(p, "SELECT COUNT(*) FROM audit_log", NULL);
    int rc = run(NULL, "import staff staff.csv --dry-run --db io.db");
    assert_int_equal(rc, 0);
    int64_t audits2 = count(p, "SELECT COUNT(*) FROM audit_log", NULL);
    assert_true(audits2 >= audits);
    /* a file that is not there */
    assert_int_equal(run(NULL, "import staff missing.csv --db io.db"), 1);
    /* a broken file: nothing changes */
    char bad[160];
    path_of(bad, sizeof bad, "bad.csv");
    FILE *f = fopen(bad, "w");
    fputs("職員番号,氏名\nK1,\n", f);
    fclose(f);
    int64_t staff = count(p, "SELECT COUNT(*) FROM staff", NULL);
    assert_int_equal(run(NULL, "import staff bad.csv --db io.db"), 1);
    assert_int_equal(count(p, "SELECT COUNT(*) FROM staff", NULL), staff);
    /* transfers preview writes nothing */
    char cmd[4200];
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(cmd, sizeof cmd, "transfers preview '%s/data/demo_transfers.csv' --db io.db", cwd);
    int64_t before = count(p, "SELECT COUNT(*) FROM audit_log", NULL);
    assert_int_equal(run(NULL, "%s", cmd), 0);
    assert_int_equal(count(p, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'transfer%'", NULL) >= 0, 1);
    (void)before;
}

/* A ~50 MB database, for the backup tests. */
static void make_big(const char *p)
{
    copy_db(demo, p);
    Db *db = db_open(p);
    assert_int_equal(db_exec_script(db, "CREATE TABLE filler (b BLOB);"
                                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12500)"
                                        " INSERT INTO filler SELECT randomblob(4000) FROM n;"),
                     0);
    db_close(db);
}

static void test_backup(void **state)
{
    (void)state;
    char p[128], b[128];
    path_of(p, sizeof p, "bk.db");
    path_of(b, sizeof b, "bk-copy.db");
    copy_db(demo, p);
    assert_int_equal(run(NULL, "backup bk-copy.db --db bk.db"), 0);
    assert_non_null(strstr(out, "バックアップしました"));
    Db *db = db_open(b);
    assert_true(db_integrity_ok(db));
    assert_int_equal(migrate_current(db), migrate_latest());
    db_close(db);
    assert_int_equal(count(b, "SELECT COUNT(*) FROM account", NULL), count(p, "SELECT COUNT(*) FROM account", NULL));
    /* a missing database is named, and no file appears */
    assert_int_equal(run(NULL, "backup none-copy.db --db none.db"), 1);
    assert_non_null(strstr(out, "none.db"));
    assert_false(exists("none.db"));
    /* an unwritable folder: a Japanese message, nothing under the name */
    assert_int_equal(run(NULL, "backup /proc/jinzai-none/x.db --db bk.db"), 1);
    assert_non_null(strstr(out, "書き込めません"));
}

/* A backup killed part way leaves nothing under the target name: the copy is
 * written beside it and renamed only when complete and checked. */
static void test_backup_killed(void **state)
{
    (void)state;
    char p[128], b[128];
    path_of(p, sizeof p, "big.db");
    path_of(b, sizeof b, "big-copy.db");
    make_big(p);
    for (int delay = 5; delay <= 45; delay += 20) {
        unlink(b);
        pid_t pid = fork();
        if (pid == 0) {
            execl(bin, bin, "backup", b, "--db", p, (char *)NULL);
            _exit(127);
        }
        usleep((useconds_t)delay * 1000);
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        if (exists(b)) { /* it finished before the kill: then it is whole */
            Db *db = db_open(b);
            assert_true(db_integrity_ok(db));
            db_close(db);
        }
    }
}

static void test_restore_success(void **state)
{
    (void)state;
    char t[128], in[128], inwal[140];
    path_of(t, sizeof t, "live.db");
    path_of(in, sizeof in, "saved.db");
    copy_db(demo, t);
    copy_db(demo, in);
    /* the live database moves on; the restore brings back the saved one */
    Db *db = db_open(t);
    assert_int_equal(db_exec(db, "DELETE FROM account WHERE login = 'shokuin'"), 1);
    db_close(db);
    size_t n;
    char *bytes = slurp(in, &n);
    assert_int_equal(run(NULL, "restore saved.db --db live.db"), 0);
    assert_non_null(strstr(out, "復元しました"));
    assert_int_equal(count(t, "SELECT COUNT(*) FROM account WHERE login = 'shokuin'", NULL), 1);
    assert_int_equal(count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'db.restore'", NULL), 1);
    db = db_open(t);
    assert_true(db_integrity_ok(db));
    db_close(db);
    /* the input was only read: same bytes, no WAL beside it */
    assert_true(same_file(in, bytes, n));
    snprintf(inwal, sizeof inwal, "%s-wal", in);
    assert_false(exists(inwal));
    free(bytes);
}

/* Each refusal leaves the target byte for byte as it was. */
static void refused(const char *input_setup_sql, const char *expect)
{
    char t[128], in[128];
    path_of(t, sizeof t, "keep.db");
    path_of(in, sizeof in, "in.db");
    tmpdb_remove(t);
    tmpdb_remove(in);
    copy_db(demo, t);
    copy_db(demo, in);
    if (input_setup_sql) {
        Db *db = db_open(in);
        assert_int_equal(db_exec_script(db, input_setup_sql), 0);
        db_close(db);
    }
    size_t n, m;
    char *before = slurp(t, &n), *inb = slurp(in, &m);
    assert_int_equal(run(NULL, "restore in.db --db keep.db"), 1);
    if (!strstr(out, expect)) fail_msg("expected「%s」in: %s", expect, out);
    assert_non_null(strstr(out, "何も復元していません"));
    assert_true(same_file(t, before, n));
    assert_true(same_file(in, inb, m));
    free(before);
    free(inb);
}

static void test_restore_refusals(void **state)
{
    (void)state;
    /* a migration that fails on the copy: the target is never touched */
    refused("DELETE FROM schema_version WHERE version = (SELECT MAX(version) FROM schema_version);", "migration");
    refused("INSERT INTO schema_version (version, applied_at) VALUES (999, 'x');", "より新しい");
    refused("DROP TABLE schema_version;", "jinzai のデータベースではありません");
    /* not a database at all */
    char in[128];
    path_of(in, sizeof in, "junk.db");
    FILE *f = fopen(in, "w");
    for (int i = 0; i < 2000; i++) fputs("this is not a database ", f);
    fclose(f);
    assert_int_equal(run(NULL, "restore junk.db --db keep.db"), 1);
    assert_non_null(strstr(out, "読めません"));
    assert_int_equal(run(NULL, "restore missing.db --db keep.db"), 1);
    assert_non_null(strstr(out, "読めません"));
}

static void test_restore_corrupt(void **state)
{
    (void)state;
    char in[128];
    path_of(in, sizeof in, "corrupt.db");
    copy_db(demo, in);
    /* overwrite pages in the middle of the file: integrity_check fails */
    int fd = open(in, O_RDWR);
    struct stat sb;
    fstat(fd, &sb);
    char junk[4096];
    memset(junk, 0x5a, sizeof junk);
    for (off_t off = sb.st_size / 2; off < sb.st_size / 2 + 8 * 4096 && off < sb.st_size; off += 4096) assert_int_equal(pwrite(fd, junk, sizeof junk, off), (ssize_t)sizeof junk);
    close(fd);
    char t[128];
    path_of(t, sizeof t, "keep2.db");
    copy_db(demo, t);
    size_t n;
    char *before = slurp(t, &n);
    assert_int_equal(run(NULL, "restore corrupt.db --db keep2.db"), 1);
    assert_non_null(strstr(out, "何も復元していません"));
    assert_true(same_file(t, before, n));
    free(before);
}

/* A running server holds <db>.lock: restore refuses; serve refuses a second
 * start on the same database, and a taken port gets a hint. */
static void test_restore_refuses_running_server(void **state)
{
    (void)state;
    char t[128], in[128];
    path_of(t, sizeof t, "served.db");
    path_of(in, sizeof in, "in2.db");
    copy_db(demo, t);
    copy_db(demo, in);
    int port = 20000 + (int)(getpid() % 20000);
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(bin, bin, "serve", "--db", t, "--listen", listen, (char *)NULL);
        _exit(127);
    }
    served = pid; /* stopped by teardown if a check below fails */
    char lock[160];
    snprintf(lock, sizeof lock, "%s.lock", t);
    /* wait until the server holds its lock */
    bool held = false;
    for (int i = 0; i < 200 && !held; i++) {
        int fd = open(lock, O_RDWR);
        if (fd >= 0) {
            held = flock(fd, LOCK_EX | LOCK_NB) != 0;
            if (!held) flock(fd, LOCK_UN);
            close(fd);
        }
        if (!held) usleep(20000);
    }
    assert_true(held);
    usleep(200000);
    size_t n;
    char *before = slurp(t, &n);
    assert_int_equal(run(NULL, "restore in2.db --db served.db"), 1);
    assert_non_null(strstr(out, "jinzai serve が使っています"));
    assert_true(same_file(t, before, n));
    free(before);
    /* the same port again: the hint names another port */
    assert_int_equal(run(NULL, "serve --db other.db --listen %s", listen), 1);
    assert_non_null(strstr(out, "already in use"));
    assert_non_null(strstr(out, "make run PORT="));
    /* another port, the same database */
    assert_int_equal(run(NULL, "serve --db served.db --listen 127.0.0.1:%d", port + 1), 1);
    assert_non_null(strstr(out, "使用中"));
    kill(pid, SIGTERM);
    int st;
    waitpid(pid, &st, 0);
    served = 0;
    /* stopped: the restore goes through */
    assert_int_equal(run(NULL, "restore in2.db --db served.db"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage_and_unknown),
        cmocka_unit_test(test_init_plain_and_again),
        cmocka_unit_test(test_user_commands),
        cmocka_unit_test(test_kpi_export_import_transfers),
        cmocka_unit_test(test_backup),
        cmocka_unit_test(test_backup_killed),
        cmocka_unit_test(test_restore_success),
        cmocka_unit_test(test_restore_refusals),
        cmocka_unit_test(test_restore_corrupt),
        cmocka_unit_test(test_restore_refuses_running_server),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
