/* test_checkpoint.c - background checkpoints of the write-ahead log: a
 * deferring connection's commits leave the log to the checkpointer, which
 * copies it into the database without losing a row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "../tmpdb.h"

static char path[64];

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/jinzai-unit-ckpt-%d.db", (int)getpid());
    tmpdb_remove(path);
    Db *db = db_open(path);
    if (!db || db_exec_script(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)") != 0) return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    tmpdb_remove(path);
    return 0;
}

/* n commits of one row each, about one 4 KiB page of text per row. */
static void write_rows(Db *db, int n)
{
    static char body[3900];
    memset(body, 'x', sizeof body - 1);
    for (int i = 0; i < n; i++) {
        assert_int_equal(db_begin(db), 0);
        assert_int_equal(db_exec(db, "INSERT INTO t (body) VALUES (?)", body), 1);
        assert_int_equal(db_commit(db), 0);
    }
}

static void sleep_ms(int ms)
{
    struct timespec d = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&d, NULL);
}

/* Without a checkpointer SQLite checkpoints inside the commit that passes
 * 1,000 pages; a deferring connection leaves the log growing instead, so a
 * long run of commits never pays for a checkpoint. */
static void test_commits_leave_the_log_to_the_checkpointer(void **state)
{
    Db *db = *state;
    DbCheckpointer *ck = db_checkpointer_start(path, 1000000); /* never woken by size */
    assert_non_null(ck);
    db_defer_checkpoints(db, ck);
    uint64_t runs = db_checkpointer_runs(ck);
    write_rows(db, 1200);
    int log = 0, copied = 0;
    /* The checkpointer also runs once a second: only when it has not run
     * meanwhile must the whole log still be there. */
    if (db_checkpointer_runs(ck) == runs) {
        Db *other = db_open(path);
        assert_non_null(other);
        assert_int_equal(db_checkpoint(other, &log, &copied), 0);
        assert_true(log >= 1200);
        db_close(other);
    }
    db_defer_checkpoints(db, NULL);
    db_checkpointer_stop(ck);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM t"), 1200);
}

/* A log past the checkpointer's size wakes it; it copies every page, and the
 * next writer starts the log again from its beginning. */
static void test_checkpointer_copies_the_log(void **state)
{
    Db *db = *state;
    DbCheckpointer *ck = db_checkpointer_start(path, 100);
    assert_non_null(ck);
    db_defer_checkpoints(db, ck);
    uint64_t runs = db_checkpointer_runs(ck);
    write_rows(db, 300);
    for (int i = 0; i < 300 && db_checkpointer_runs(ck) == runs; i++) sleep_ms(10);
    assert_true(db_checkpointer_runs(ck) > runs);
    db_defer_checkpoints(db, NULL); /* back to SQLite's own checkpoints */
    db_checkpointer_stop(ck);       /* joins, after one last checkpoint */
    int log = -1, copied = -1;
    assert_int_equal(db_checkpoint(db, &log, &copied), 0);
    assert_int_equal(log, copied);
    write_rows(db, 1);
    assert_int_equal(db_checkpoint(db, &log, &copied), 0);
    assert_true(log < 10);
    db_close(db);
    *state = db = db_open(path);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM t"), 301);
    assert_true(db_integrity_ok(db));
}

/* Several deferring writers at once: every row lands, none is lost to a
 * checkpoint running beside them. */
static void test_checkpointer_beside_writers(void **state)
{
    Db *db = *state;
    DbCheckpointer *ck = db_checkpointer_start(path, 50);
    assert_non_null(ck);
    Db *w2 = db_open(path);
    assert_non_null(w2);
    db_defer_checkpoints(db, ck);
    db_defer_checkpoints(w2, ck);
    for (int i = 0; i < 20; i++) {
        write_rows(db, 10);
        write_rows(w2, 10);
        assert_int_equal(db_int(w2, 0, "SELECT COUNT(*) FROM t"), (i + 1) * 20);
    }
    db_close(w2); /* a closed connection leaves the checkpointer too */
    db_defer_checkpoints(db, NULL);
    db_checkpointer_stop(ck);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM t"), 400);
    assert_true(db_integrity_ok(db));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commits_leave_the_log_to_the_checkpointer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpointer_copies_the_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpointer_beside_writers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
