/* test_cov_db.c - the storage layer where it refuses or reaches a limit:
 * files that are no database, a missing folder, a constraint violation,
 * NULLs and blobs read back, more distinct statements than the cache holds,
 * an error line for a long statement, and the copy/replace steps of backup
 * and restore when their source or target is wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "../tmpdb.h"

static char path[64], dir[64];
static Db *db;

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "cov-db");
    snprintf(dir, sizeof dir, "/tmp/jinzai-cov-db-%d.d", (int)getpid());
    mkdir(dir, 0700);
    return db ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void in_dir(char *p, size_t n, const char *name) { snprintf(p, n, "%s/%s", dir, name); }

static void write_junk(const char *p)
{
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    for (int i = 0; i < 400; i++) fputs("this is a spreadsheet, not a database. ", f);
    fclose(f);
}

/* Runs fn with stderr going to a file; the text written comes back in out. */
static void capture_stderr(void (*fn)(void), char *out, size_t n)
{
    char p[128];
    in_dir(p, sizeof p, "stderr.txt");
    fflush(stderr);
    int saved = dup(2), fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *f = fopen(p, "r");
    size_t k = fread(out, 1, n - 1, f);
    out[k] = '\0';
    fclose(f);
}

static void test_open_refusals(void **state)
{
    (void)state;
    char p[128];
    in_dir(p, sizeof p, "no-such-folder/x.db");
    assert_null(db_open(p));
    in_dir(p, sizeof p, "junk.db");
    write_junk(p);
    assert_null(db_open(p)); /* the WAL pragma fails on a file that is no database */
    db_close(NULL);          /* closing nothing is harmless */
}

static void test_values_read_back(void **state)
{
    (void)state;
    assert_int_equal(db_exec_script(db, "CREATE TABLE v (id INTEGER PRIMARY KEY, code TEXT UNIQUE, n INTEGER, x REAL, b BLOB);"), 0);
    assert_int_equal(db_exec(db, "INSERT INTO v (code, n, x) VALUES (?, ?, ?)", "A", 7, 2.5), 1);
    assert_false(db_constraint_error(db));
    /* the same code twice: refused, and named as a constraint error */
    assert_int_equal(db_exec(db, "INSERT INTO v (code) VALUES (?)", "A"), -1);
    assert_true(db_constraint_error(db));
    assert_non_null(strstr(db_errmsg(db), "UNIQUE"));
    /* NULLs: the default for an int, NULL for text */
    assert_int_equal(db_exec(db, "INSERT INTO v (code, n) VALUES (?, ?)", "B", DB_NULL), 1);
    assert_false(db_constraint_error(db));
    assert_int_equal(db_int(db, -5, "SELECT n FROM v WHERE code = 'B'"), -5);
    Arena a = ARENA_INIT;
    assert_null(db_text(db, &a, "SELECT x FROM v WHERE code = 'B'"));
    assert_null(db_text(db, &a, "SELECT code FROM v WHERE code = 'Z'"));
    assert_false(db_exists(db, "SELECT 1 FROM v WHERE code = ?", (const char *)NULL));
    /* a blob with a NUL inside, and a double */
    const unsigned char bytes[] = {1, 0, 2, 255};
    Stmt *st = db_prepare(db, "UPDATE v SET b = ? WHERE code = 'A'");
    db_bind_blob(st, 1, bytes, sizeof bytes);
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    st = db_query(db, "SELECT b, x, n, code FROM v WHERE code = ?", "A");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_bytes(st, 0), 4);
    assert_memory_equal(db_col_blob(st, 0), bytes, 4);
    assert_true(db_col_double(st, 1) == 2.5);
    assert_false(db_col_null(st, 2));
    assert_string_equal(db_col_dup(st, 3, &a), "A");
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    db_done(NULL);
    /* a statement that returns rows run as db_exec: all rows stepped */
    assert_int_equal(db_exec(db, "UPDATE v SET n = n + 1 WHERE code = 'A' RETURNING n"), 1);
    assert_int_equal(db_int(db, 0, "SELECT n FROM v WHERE code = 'A'"), 8);
    arena_free(&a);
}

static void test_more_statements_than_the_cache(void **state)
{
    (void)state;
    /* 260 distinct statements (more than the 192 the cache holds), each run
     * twice: answers stay right once statements are no longer cached. */
    enum { N = 260 };
    static char sql[N][48];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < N; i++) {
            snprintf(sql[i], sizeof sql[i], "SELECT %d + ?", i);
            assert_int_equal(db_int(db, -1, sql[i], 1000), 1000 + i);
        }
    /* the same text nested: the second use gets its own statement */
    Stmt *outer = db_query(db, "SELECT value FROM json_each('[1,2,3]')");
    int sum = 0;
    while (db_step(outer) == DB_ROW) sum += (int)db_int(db, 0, "SELECT ? * 10", db_col_int(outer, 0));
    db_done(outer);
    assert_int_equal(sum, 60);
}

static void bad_long_statement(void)
{
    Buf b = BUF_INIT;
    buf_puts(&b, "SELECT\n\t1 FROM   no_such_table WHERE 'secret-value' = 'x'");
    for (int i = 0; i < 200; i++) buf_puts(&b, " AND 1 = 1");
    assert_int_equal(db_exec_script(db, buf_cstr(&b)), -1);
    buf_free(&b);
}

static void test_error_line_is_one_folded_line(void **state)
{
    (void)state;
    char err[4096];
    capture_stderr(bad_long_statement, err, sizeof err);
    assert_non_null(strstr(err, "jinzai: db error: exec failed"));
    assert_non_null(strstr(err, "no such table: no_such_table"));
    /* whitespace folded, cut with ... at the line limit, one line */
    assert_non_null(strstr(err, "sql: SELECT 1 FROM no_such_table"));
    assert_non_null(strstr(err, "...\n"));
    assert_null(strchr(err, '\t'));
    assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err));
    assert_true(strlen(err) < 1200);
}

static void test_rollback_without_transaction(void **state)
{
    (void)state;
    db_rollback(db); /* nothing open: no error, nothing done */
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_exec(db, "INSERT INTO v (code) VALUES (?)", "R"), 1);
    db_rollback(db);
    assert_false(db_exists(db, "SELECT 1 FROM v WHERE code = 'R'"));
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_begin(db), -1); /* nested: refused */
    db_rollback(db);
    assert_true(db_integrity_ok(db));
}

static void test_copy_refusals(void **state)
{
    (void)state;
    char p[128], tmp[256], junk[128], target[128];
    /* a backup into a missing folder */
    in_dir(p, sizeof p, "missing/backup.db");
    assert_int_equal(db_backup(db, p), DB_COPY_WRITE);
    /* staging from a file that is not there, or is no database */
    in_dir(target, sizeof target, "target.db");
    in_dir(p, sizeof p, "not-there.db");
    assert_int_equal(db_stage_copy(p, target, tmp, sizeof tmp), DB_COPY_SOURCE);
    in_dir(junk, sizeof junk, "junk2.db");
    write_junk(junk);
    assert_int_equal(db_stage_copy(junk, target, tmp, sizeof tmp), DB_COPY_SOURCE);
    /* no room for the temp name */
    char small[8];
    assert_int_equal(db_stage_copy(path, target, small, sizeof small), DB_COPY_WRITE);
    /* a source whose name needs escaping in a URI (% ? #) copies fine */
    char odd[128];
    in_dir(odd, sizeof odd, "odd%name?#.db");
    assert_int_equal(db_backup(db, odd), 0);
    assert_int_equal(db_stage_copy(odd, target, tmp, sizeof tmp), 0);
    assert_int_equal(access(tmp, F_OK), 0);
    /* the target's stale WAL goes; the staged copy takes its place */
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", target);
    FILE *f = fopen(wal, "w");
    fputs("stale", f);
    fclose(f);
    assert_int_equal(db_replace(tmp, target), 0);
    assert_int_equal(access(wal, F_OK), -1);
    assert_int_equal(access(tmp, F_OK), -1);
    Db *t = db_open(target);
    assert_non_null(t);
    assert_true(db_integrity_ok(t));
    assert_int_equal(migrate_current(t), migrate_latest());
    db_close(t);
    /* replacing from a temp file that is gone, or into a missing folder */
    assert_int_equal(db_replace(tmp, target), -1);
    in_dir(p, sizeof p, "missing/target.db");
    assert_int_equal(db_replace(junk, p), -1);
}

static void test_migrate_fresh_and_again(void **state)
{
    (void)state;
    char p[128];
    in_dir(p, sizeof p, "fresh.db");
    Db *f = db_open(p);
    assert_non_null(f);
    assert_int_equal(migrate_current(f), 0);
    assert_int_equal(migrate(f), migrate_latest());
    assert_int_equal(migrate(f), migrate_latest());
    assert_int_equal(db_int(f, 0, "SELECT COUNT(*) FROM schema_version"), db_int(f, 0, "SELECT COUNT(DISTINCT version) FROM schema_version"));
    db_close(f);
    /* a migration that cannot apply: the version stays where it was */
    in_dir(p, sizeof p, "stuck.db");
    f = db_open(p);
    assert_int_equal(db_exec_script(f, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);"
                                       "CREATE TABLE account (x INTEGER);"),
                     0);
    assert_int_equal(migrate(f), -1);
    assert_int_equal(migrate_current(f), 0);
    db_close(f);
}

/* Targets in the way: a folder where the backup or the database should go,
 * and a damaged copy that must not pass as a backup. */
static void test_targets_in_the_way(void **state)
{
    (void)state;
    char p[128], tmp[256], target[128], wal[160];
    in_dir(p, sizeof p, "a-folder.db");
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(db_backup(db, p), DB_COPY_WRITE);
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode)); /* left as it was */
    /* a -wal beside the target that cannot be removed: nothing replaced */
    in_dir(target, sizeof target, "blocked.db");
    assert_int_equal(db_backup(db, target), 0);
    snprintf(wal, sizeof wal, "%s-wal", target);
    assert_int_equal(mkdir(wal, 0700), 0);
    char inner[200];
    snprintf(inner, sizeof inner, "%s/x", wal);
    FILE *f = fopen(inner, "w");
    fclose(f);
    assert_int_equal(db_stage_copy(path, target, tmp, sizeof tmp), 0);
    assert_int_equal(db_replace(tmp, target), -1);
    assert_int_equal(access(tmp, F_OK), 0);
    unlink(tmp);
    /* a damaged file fails integrity_check, and its backup is refused */
    char bad[128], copy[128];
    in_dir(bad, sizeof bad, "damaged.db");
    Db *d = db_open(bad);
    assert_int_equal(db_exec_script(d, "PRAGMA journal_mode=DELETE; CREATE TABLE t (x TEXT); CREATE INDEX tx ON t(x);"
                                       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                                       " INSERT INTO t SELECT printf('row %d of many', i) FROM n;"),
                     0);
    db_close(d);
    int fd = open(bad, O_RDWR);
    assert_true(fd >= 0);
    fstat(fd, &sb);
    char junk[4096];
    memset(junk, 0x5a, sizeof junk);
    for (off_t off = 2 * 4096; off + 4096 < sb.st_size; off += 3 * 4096) assert_int_equal(pwrite(fd, junk, sizeof junk, off), (ssize_t)sizeof junk);
    close(fd);
    d = db_open(bad);
    assert_non_null(d);
    assert_false(db_integrity_ok(d));
    in_dir(copy, sizeof copy, "damaged-copy.db");
    int rc = db_backup(d, copy);
    assert_true(rc == DB_COPY_INTEGRITY || rc == DB_COPY_SOURCE);
    assert_int_equal(access(copy, F_OK), -1);
    db_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_refusals),
        cmocka_unit_test(test_values_read_back),
        cmocka_unit_test(test_more_statements_than_the_cache),
        cmocka_unit_test(test_error_line_is_one_folded_line),
        cmocka_unit_test(test_rollback_without_transaction),
        cmocka_unit_test(test_copy_refusals),
        cmocka_unit_test(test_migrate_fresh_and_again),
        cmocka_unit_test(test_targets_in_the_way),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
