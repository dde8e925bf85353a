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

#include "db/audit.h"
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

/* Each C type binds as its SQL type and reads back unchanged: the bind type
 * comes from the argument's C type (db.h). An argument of another type, say
 * an int * or a size_t, is a compile error, so it has no test here. */
static void test_bind_each_c_type(void **state)
{
    Db *db = *state;
    assert_int_equal(db_exec_script(db, "CREATE TEMP TABLE bound (k TEXT, v)"), 0);
    int i = -123456;
    int64_t big = INT64_C(0x7fffffff12345678);
    bool yes = true;
    short sh = -12;
    char ch = 'A';
    unsigned int u = 4000000000u;
    double dbl = 2.5;
    float fl = 0.25f;
    const char *text = "名称'; --";
    char arr[] = "配列";
    const char *none = NULL;
    assert_int_equal(db_exec(db, "INSERT INTO bound VALUES ('int', ?), ('int64', ?), ('bool', ?), ('short', ?), ('char', ?),"
                                 " ('uint', ?), ('double', ?), ('float', ?), ('text', ?), ('array', ?), ('nullptr', ?),"
                                 " ('literal_null', ?), ('id0', ?), ('id5', ?), ('null', ?)",
                             i, big, yes, sh, ch, u, dbl, fl, text, arr, none, NULL, DB_ID_OR_NULL(0), DB_ID_OR_NULL(5), DB_NULL),
                     15);
    Arena a = ARENA_INIT;
    static const struct {
        const char *k, *type, *text;
    } want[] = {
        {"int", "integer", "-123456"},
        {"int64", "integer", "9223372032865228408"},
        {"bool", "integer", "1"},
        {"short", "integer", "-12"},
        {"char", "integer", "65"},
        {"uint", "integer", "4000000000"},
        {"double", "real", "2.5"},
        {"float", "real", "0.25"},
        {"text", "text", "名称'; --"},
        {"array", "text", "配列"},
        {"nullptr", "null", NULL},
        {"literal_null", "null", NULL},
        {"id0", "null", NULL},
        {"id5", "integer", "5"},
        {"null", "null", NULL},
    };
    for (size_t n = 0; n < sizeof want / sizeof want[0]; n++) {
        assert_string_equal(db_text(db, &a, "SELECT typeof(v) FROM bound WHERE k = ?", want[n].k), want[n].type);
        const char *got = db_text(db, &a, "SELECT CAST(v AS TEXT) FROM bound WHERE k = ?", want[n].k);
        if (want[n].text) assert_string_equal(got, want[n].text);
        else assert_null(got);
    }
    assert_int_equal(db_int(db, 0, "SELECT v FROM bound WHERE k = 'int64'"), big);
    /* No parameters at all. */
    assert_int_equal(db_int(db, 0, "SELECT 1"), 1);
    assert_true(db_exists(db, "SELECT 1"));
    assert_int_equal(db_exec_script(db, "DROP TABLE bound"), 0);
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

/* More distinct statements than the cache holds, used in a loop: the least
 * recently used ones make room, so a hot statement is never prepared again
 * and every statement still answers correctly. */
static void test_statement_cache_lru(void **state)
{
    Db *db = *state;
    enum { N = 300 };
    static char sql[N][48];
    for (int i = 0; i < N; i++) snprintf(sql[i], sizeof sql[i], "SELECT %d + ?", i);
    const char *hot = "SELECT 7 * ?";
    uint64_t h0, m0, h1, m1;
    db_cache_stats(db, &h0, &m0);
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < N; i++) {
            assert_int_equal(db_int(db, -1, sql[i], 1), i + 1);
            assert_int_equal(db_int(db, -1, hot, 6), 42);
        }
    db_cache_stats(db, &h1, &m1);
    /* The hot statement is prepared once; the 300 cold ones cycle through the
     * remaining slots (a strict LRU misses each of them every round). */
    assert_int_equal(h1 + m1 - h0 - m0, 3 * 2 * N);
    assert_true(m1 - m0 <= 3 * N + 1);
    assert_true(h1 - h0 >= 3 * N - 1);
    /* A statement used within the last few hundred lookups is still cached. */
    db_cache_stats(db, &h0, &m0);
    for (int i = 0; i < 100; i++) assert_int_equal(db_int(db, -1, sql[N - 1 - i], 0), N - 1 - i);
    db_cache_stats(db, &h1, &m1);
    assert_int_equal(m1 - m0, 0);
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

/* Runs f with stderr sent to a file and returns what it wrote. */
static const char *stderr_of(void (*f)(Db *), Db *db)
{
    static char out[4096];
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/jinzai-unit-db-err-%d.txt", (int)getpid());
    fflush(stderr);
    int saved = dup(2);
    FILE *cap = fopen(tmp, "w+");
    assert_non_null(cap);
    dup2(fileno(cap), 2);
    f(db);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(cap);
    size_t n = fread(out, 1, sizeof out - 1, cap);
    out[n] = 0;
    fclose(cap);
    unlink(tmp);
    return out;
}

static void dup_insert(Db *db) { assert_int_equal(db_exec(db, "INSERT INTO setting (key, value) VALUES (?, ?)", "k1", "secret-value"), -1); }

static void bad_script(Db *db) { assert_int_equal(db_exec_script(db, "UPDATE no_such_table\n SET a = 1"), -1); }

static void failed_commit(Db *db)
{
    /* A deferred foreign key violation makes COMMIT itself fail. */
    assert_int_equal(db_exec_script(db, "PRAGMA defer_foreign_keys = ON"), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_exec(db, "INSERT INTO session (token_hash, account_id, csrf, created_at, last_seen) VALUES ('x', 999999, 'c', 0, 0)"), 1);
    assert_int_equal(db_commit(db), -1);
    db_rollback(db);
    assert_int_equal(db_exec_script(db, "PRAGMA defer_foreign_keys = OFF"), 0);
}

/* Every database error is one line on stderr with its code and SQL, never
 * the bound values. */
static void test_errors_are_logged(void **state)
{
    Db *db = *state;
    const char *log = stderr_of(dup_insert, db);
    assert_non_null(strstr(log, "jinzai: db error: step failed: code 1555 (constraint failed): UNIQUE constraint failed: setting.key"));
    assert_non_null(strstr(log, "sql: INSERT INTO setting (key, value) VALUES (?, ?)\n"));
    assert_null(strstr(log, "secret-value"));
    assert_int_equal(strchr(log, '\n') - log + 1, (long)strlen(log)); /* one line */
    log = stderr_of(bad_script, db);
    assert_non_null(strstr(log, "exec failed: code 1 (SQL logic error): no such table: no_such_table; sql: UPDATE no_such_table SET a = 1\n"));
    log = stderr_of(failed_commit, db);
    assert_non_null(strstr(log, "step failed: code 787 (constraint failed): FOREIGN KEY constraint failed; sql: COMMIT\n"));
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
        cmocka_unit_test(test_bind_each_c_type),      cmocka_unit_test(test_errors_are_logged),
        cmocka_unit_test(test_statement_cache_nested), cmocka_unit_test(test_statement_cache_lru),
        cmocka_unit_test(test_transaction_rollback),
        cmocka_unit_test(test_audit_append_only),     cmocka_unit_test(test_backup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
