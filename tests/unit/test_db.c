/* test_db.c - the db layer: binding, the statement cache, transactions,
 * migrations, the append-only audit log and online backup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/audit.h"
#include "core/embed.h"
#include "db/db.h"
#include "db/migrate.h"
#include "../tmpdb.h"

static char path[64];

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/jinzai-unit-db-%d.db", (int)getpid());
    unlink(path);
    Db *db = db_open(path);
    if (!db) return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    tmpdb_remove(path);
    return 0;
}

static void test_migrate_is_idempotent(void **state)
{
    Db *db = *state;
    assert_int_equal(migrate_current(db), 0);
    int v = migrate(db);
    assert_int_equal(v, migrate_latest());
    assert_true(v >= 1);
    assert_int_equal(migrate(db), v);
    /* One row per schema file (numbers may have gaps while branches merge). */
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM schema_version"), (int64_t)embedded_schema_count);
}

static void test_bind_and_read(void **state)
{
    Db *db = *state;
    assert_int_equal(db_exec(db, "INSERT INTO setting (key, value) VALUES (?, ?)", "k1", "値'; DROP TABLE staff; --"), 1);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = ?", "k1"), "値'; DROP TABLE staff; --");
    assert_null(db_text(db, &a, "SELECT value FROM setting WHERE key = ?", "missing"));
    assert_int_equal(db_int(db, -7, "SELECT value FROM setting WHERE key = ?", "missing"), -7);
    assert_true(db_exists(db, "SELECT 1 FROM staff WHERE 1 = 0 UNION ALL SELECT 1"));
    /* 'I' binds NULL for 0. */
    assert_int_equal(db_int(db, 5, "SELECT ?", DB_ID_OR_NULL((int64_t)0)), 5);
    assert_int_equal(db_int(db, 5, "SELECT ?", DB_ID_OR_NULL((int64_t)9)), 9);
    arena_free(&a);
}

static void test_statement_cache_nested(void **state)
{
    Db *db = *state;
    /* The same SQL used while its cached statement is busy gets a fresh one. */
    static const char *sql = "SELECT value FROM setting WHERE key = ?";
    Stmt *outer = db_query(db, sql, "k1");
    assert_int_equal(db_step(outer), DB_ROW);
    Stmt *inner = db_query(db, sql, "k1");
    assert_int_equal(db_step(inner), DB_ROW);
    assert_string_equal(db_col_text(inner, 0), db_col_text(outer, 0));
    db_done(inner);
    db_done(outer);
}

static void test_transaction_rollback(void **state)
{
    Db *db = *state;
    assert_int_equal(db_begin(db), 0);
    db_exec(db, "INSERT INTO setting (key, value) VALUES ('tx', '1')");
    db_rollback(db);
    assert_false(db_exists(db, "SELECT 1 FROM setting WHERE key = 'tx'"));
    /* A constraint violation is reported as such. */
    assert_int_equal(db_exec(db, "INSERT INTO setting (key, value) VALUES ('k1', 'dup')"), -1);
    assert_true(db_constraint_error(db));
}

static void test_audit_append_only(void **state)
{
    Db *db = *state;
    assert_int_equal(audit_write(db, &ACTOR_CLI, "test.write", "setting", 0, 0, "summary"), 0);
    assert_int_equal(db_exec(db, "UPDATE audit_log SET summary = 'changed'"), -1);
    assert_int_equal(db_exec(db, "DELETE FROM audit_log"), -1);
    Arena a = ARENA_INIT;
    AuditRow *rows;
    int total;
    AuditFilter f = {.action = "test.write"};
    assert_int_equal(audit_list(db, &a, &f, &rows, &total), 1);
    assert_string_equal(rows[0].actor, "cli");
    assert_string_equal(rows[0].summary, "summary");
    arena_free(&a);
}

static void test_backup(void **state)
{
    Db *db = *state;
    char copy[96];
    snprintf(copy, sizeof copy, "%s.bak", path);
    unlink(copy);
    assert_int_equal(db_backup(db, copy), 0);
    Db *b = db_open(copy);
    assert_non_null(b);
    assert_int_equal(migrate_current(b), migrate_latest());
    assert_true(db_exists(b, "SELECT 1 FROM setting WHERE key = 'k1'"));
    db_close(b);
    unlink(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_is_idempotent), cmocka_unit_test(test_bind_and_read),
        cmocka_unit_test(test_statement_cache_nested), cmocka_unit_test(test_transaction_rollback),
        cmocka_unit_test(test_audit_append_only),     cmocka_unit_test(test_backup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
