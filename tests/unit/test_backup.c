/* test_backup.c - a backup taken while another connection writes is a
 * consistent copy, passes the integrity check, and restores to an identical
 * database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/db.h"
#include "db/migrate.h"
#include "../tmpdb.h"

static char path[64], copy[80], restored[80];
static atomic_int stop;

static void *writer(void *arg)
{
    (void)arg;
    Db *db = db_open(path);
    int n = 0;
    while (!stop && n < 100000) {
        db_begin(db);
        audit_write(db, &ACTOR_CLI, "load.write", "test", n++, 0, "書き込み中のバックアップ");
        db_commit(db);
    }
    db_close(db);
    return NULL;
}

/* A fingerprint of the audit table: row count and sum of ids. */
static void fingerprint(Db *db, int64_t *rows, int64_t *sum)
{
    *rows = db_int(db, -1, "SELECT COUNT(*) FROM audit_log");
    *sum = db_int(db, -1, "SELECT COALESCE(SUM(id), 0) FROM audit_log");
}

static void test_backup_under_load(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/jinzai-bk-%d.db", (int)getpid());
    snprintf(copy, sizeof copy, "%s.bak", path);
    snprintf(restored, sizeof restored, "%s.restored", path);
    unlink(path), unlink(copy), unlink(restored);
    Db *db = db_open(path);
    assert_non_null(db);
    assert_true(migrate(db) > 0);
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    usleep(100 * 1000);
    assert_int_equal(db_backup(db, copy), 0); /* while the writer writes */
    usleep(50 * 1000);
    stop = 1;
    pthread_join(t, NULL);
    Db *b = db_open(copy);
    assert_true(db_integrity_ok(b));
    assert_int_equal(migrate_current(b), migrate_latest());
    int64_t rows, sum, rows2, sum2;
    fingerprint(b, &rows, &sum);
    assert_true(rows > 0);
    /* The live database went on; the copy is a snapshot of a moment. */
    int64_t live_rows, live_sum;
    fingerprint(db, &live_rows, &live_sum);
    assert_true(live_rows >= rows);
    assert_int_equal(db_backup(b, restored), 0);
    Db *r = db_open(restored);
    assert_true(db_integrity_ok(r));
    fingerprint(r, &rows2, &sum2);
    assert_int_equal(rows2, rows);
    assert_int_equal(sum2, sum);
    db_close(r);
    db_close(b);
    db_close(db);
    const char *files[] = {path, copy, restored};
    for (int i = 0; i < 3; i++) tmpdb_remove(files[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_backup_under_load)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
