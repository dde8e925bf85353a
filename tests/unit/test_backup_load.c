/* test_backup_load.c - a backup of a ~50 MB database finishes while two
 * writers insert without pause, and the copy is one consistent snapshot that
 * passes the integrity check. (An online backup copied in small steps
 * restarts on every change by another connection and never finishes.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/db.h"
#include "db/migrate.h"
#include "../tmpdb.h"

static char path[64], copy[96];
static atomic_int stop;
static atomic_long written;

static void *writer(void *arg)
{
    int id = (int)(intptr_t)arg;
    Db *db = db_open(path);
    int n = 0;
    while (!stop) {
        if (db_begin(db) != 0) continue;
        audit_write(db, &ACTOR_CLI, "load.write", "test", n, id, "書き込み中のバックアップ");
        db_exec(db, "INSERT INTO filler (b) VALUES (?)", "ひとつの行");
        if (db_commit(db) == 0) {
            written++;
            n++;
        } else {
            db_rollback(db);
        }
    }
    db_close(db);
    return NULL;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_backup_of_50mb_under_two_writers(void **state)
{
    (void)state;
    Db *db = tmpdb_open(path, sizeof path, "bkload");
    assert_non_null(db);
    snprintf(copy, sizeof copy, "%s.bak", path);
    tmpdb_remove(copy);
    assert_int_equal(db_exec_script(db, "CREATE TABLE filler (b BLOB);"
                                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12800)"
                                        " INSERT INTO filler SELECT randomblob(4000) FROM n;"),
                     0);
    assert_true(db_int(db, 0, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size") > 50000000);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, writer, (void *)(intptr_t)(i + 1));
    while (written < 20) usleep(1000); /* both writers are going */
    double t0 = seconds();
    long before = written;
    int rc = db_backup(db, copy);
    double took = seconds() - t0;
    long during = written - before;
    usleep(20000);
    stop = 1;
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    print_message("# backup of 50 MB took %.2f s while %ld writes committed\n", took, during);
    assert_int_equal(rc, 0);
    assert_true(during > 0); /* the writers were not blocked out */
    assert_true(took < 60);
    Db *b = db_open(copy);
    assert_true(db_integrity_ok(b));
    assert_int_equal(migrate_current(b), migrate_latest());
    /* a snapshot: each committed transaction is there whole or not at all */
    assert_int_equal(db_int(b, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'load.write'"),
                     db_int(b, -1, "SELECT COUNT(*) FROM filler") - 12800);
    db_close(b);
    db_close(db);
    tmpdb_remove(path);
    tmpdb_remove(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_backup_of_50mb_under_two_writers)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
