/* test_copy.c - `jinzai copy` (src/db/copy.c) driven through the binary: the
 * demo from SQLite into a new SQLite file, and SQLite -> PostgreSQL ->
 * SQLite, with every table compared row by row at the end; an occupied
 * target and a missing source are refused with nothing written. The
 * PostgreSQL leg runs on a throwaway cluster (tests/pgtmp.h) and passes
 * with a message when PostgreSQL 15 is not installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "../pgtmp.h"

#include "cli.h"

static const char *skip_reason;
static char pgname[64], pgurl[768];

/* The ordinary tables of a SQLite file (no FTS tables, no schema_version). */
static int sqlite_tables(Db *db, char names[][64], int max)
{
    Stmt *st = db_query(db, "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
                            " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version' ORDER BY name");
    int n = 0;
    while (db_step(st) == DB_ROW && n < max) snprintf(names[n++], 64, "%s", db_col_text(st, 0));
    db_done(st);
    return n;
}

static int64_t rows_of(Db *db, const char *table)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%.64s\"", table);
    return db_int(db, -1, sql);
}

/* Every table of the SQLite files a and b holds the same rows, value by value. */
static void assert_same_tables(const char *a_path, const char *b_path)
{
    Db *a = db_open(a_path), *b = db_open(b_path);
    assert_non_null(a);
    assert_non_null(b);
    static char ta[200][64], tb[200][64];
    int na = sqlite_tables(a, ta, 200), nb = sqlite_tables(b, tb, 200);
    assert_int_equal(na, nb);
    assert_true(na > 50);
    int64_t total = 0;
    for (int i = 0; i < na; i++) {
        assert_string_equal(ta[i], tb[i]);
        int ncols = (int)db_int(a, 0, "SELECT COUNT(*) FROM pragma_table_info(?)", ta[i]);
        assert_true(ncols > 0);
        char sql[512];
        int len = snprintf(sql, sizeof sql, "SELECT * FROM \"%.64s\" ORDER BY 1", ta[i]);
        for (int c = 2; c <= ncols && len < (int)sizeof sql - 8; c++) len += snprintf(sql + len, sizeof sql - (size_t)len, ", %d", c);
        Stmt *sa = db_query(a, sql), *sb = db_query(b, sql);
        int ra, rb;
        while ((ra = db_step(sa)) == DB_ROW) {
            rb = db_step(sb);
            assert_int_equal(rb, DB_ROW);
            for (int c = 0; c < ncols; c++) {
                assert_int_equal(db_col_null(sa, c), db_col_null(sb, c));
                int n = db_col_bytes(sa, c);
                if (n != db_col_bytes(sb, c)) fail_msg("%s column %d: %d bytes, then %d", ta[i], c, n, db_col_bytes(sb, c));
                if (n > 0) assert_memory_equal(db_col_blob(sa, c), db_col_blob(sb, c), (size_t)n);
            }
            total++;
        }
        assert_int_equal(ra, DB_DONE);
        assert_int_equal(db_step(sb), DB_DONE);
        db_done(sa);
        db_done(sb);
    }
    assert_true(total > 10000);
    /* The full-text index is rebuilt: a search finds the same cases. */
    assert_int_equal(db_int(b, -1, "SELECT COUNT(*) FROM case_fts"), db_int(a, -1, "SELECT COUNT(*) FROM case_fts"));
    assert_true(db_int(b, -1, "SELECT COUNT(*) FROM case_fts") > 0);
    db_close(a);
    db_close(b);
}

static void test_sqlite_to_sqlite(void **state)
{
    (void)state;
    char copy[128];
    path_of(copy, sizeof copy, "copy.db");
    assert_int_equal(run(NULL, "copy --from demo.db --to copy.db"), 0);
    assert_non_null(strstr(out, "copy: SQLite -> SQLite"));
    assert_non_null(strstr(out, "counts and checks agree"));
    assert_non_null(strstr(out, "rebuilt case_fts"));
    assert_null(strstr(out, "DIFFERENT"));
    assert_same_tables(demo, copy);
    /* The copy serves as the original does: the demo login is there. */
    Db *db = db_open(copy);
    assert_int_equal(migrate_current(db), migrate_latest());
    assert_true(db_exists(db, "SELECT 1 FROM account WHERE login = 'admin'"));
    db_close(db);
}

/* A target that already holds data is refused, and is left as it was. */
static void test_refuses_occupied_target(void **state)
{
    (void)state;
    char twice[128];
    path_of(twice, sizeof twice, "twice.db");
    assert_int_equal(run(NULL, "copy --from demo.db --to twice.db"), 0);
    Db *db = db_open(twice);
    int64_t staff = rows_of(db, "staff"), audit = rows_of(db, "audit_log");
    db_close(db);
    assert_int_equal(run(NULL, "copy --from demo.db --to twice.db"), 1);
    assert_non_null(strstr(out, "コピー先には既にデータがあります"));
    db = db_open(twice);
    assert_int_equal(rows_of(db, "staff"), staff);
    assert_int_equal(rows_of(db, "audit_log"), audit);
    db_close(db);
    /* A source that is not there is not created. */
    assert_int_equal(run(NULL, "copy --from missing.db --to other.db"), 1);
    assert_non_null(strstr(out, "コピー元 missing.db を読めません"));
    char p[128];
    path_of(p, sizeof p, "missing.db");
    assert_int_equal(access(p, F_OK), -1);
    assert_int_equal(run(NULL, "copy --from demo.db"), 2);
}

static void test_sqlite_to_postgresql_and_back(void **state)
{
    (void)state;
    if (skip_reason) {
        print_message("# skipped (no PostgreSQL): %s\n", skip_reason);
        return;
    }
    assert_int_equal(run(NULL, "copy --from demo.db --to '%s'", pgurl), 0);
    assert_non_null(strstr(out, "copy: SQLite -> PostgreSQL"));
    assert_non_null(strstr(out, "counts and checks agree"));
    Db *lite = db_open(demo), *pg = db_open(pgurl);
    assert_non_null(pg);
    assert_int_equal(migrate_current(pg), migrate_latest());
    /* Every table's count on PostgreSQL is the demo's. */
    static char names[200][64];
    int n = sqlite_tables(lite, names, 200);
    for (int i = 0; i < n; i++)
        if (rows_of(pg, names[i]) != rows_of(lite, names[i])) fail_msg("%s: %lld rows, then %lld", names[i], (long long)rows_of(lite, names[i]), (long long)rows_of(pg, names[i]));
    /* A few rows, value by value. */
    Arena a = ARENA_INIT;
    int64_t id = db_int(lite, 0, "SELECT MAX(id) FROM staff");
    assert_string_equal(db_text(pg, &a, "SELECT name FROM staff WHERE id = ?", id), db_text(lite, &a, "SELECT name FROM staff WHERE id = ?", id));
    assert_string_equal(db_text(pg, &a, "SELECT title FROM case_study ORDER BY id LIMIT 1"),
                        db_text(lite, &a, "SELECT title FROM case_study ORDER BY id LIMIT 1"));
    Stmt *sl = db_query(lite, "SELECT data FROM scorm_file ORDER BY package_id, path");
    Stmt *sp = db_query(pg, "SELECT data FROM scorm_file ORDER BY package_id, path");
    int files = 0;
    while (db_step(sl) == DB_ROW) {
        assert_int_equal(db_step(sp), DB_ROW);
        assert_int_equal(db_col_bytes(sp, 0), db_col_bytes(sl, 0));
        assert_memory_equal(db_col_blob(sp, 0), db_col_blob(sl, 0), (size_t)db_col_bytes(sl, 0));
        files++;
    }
    db_done(sl);
    db_done(sp);
    assert_true(files > 0);
    /* The identity sequences continue after the copied ids. */
    assert_true(db_int(pg, 0, "SELECT nextval(pg_get_serial_sequence('staff', 'id'))") > id);
    assert_true(db_int(pg, 0, "SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))") >
                db_int(lite, 0, "SELECT MAX(id) FROM audit_log"));
    arena_free(&a);
    db_close(pg);
    db_close(lite);
    /* And back into a new SQLite file: the same rows as the demo. */
    char back[128];
    path_of(back, sizeof back, "back.db");
    assert_int_equal(run(NULL, "copy --from '%s' --to back.db", pgurl), 0);
    assert_non_null(strstr(out, "copy: PostgreSQL -> SQLite"));
    assert_non_null(strstr(out, "counts and checks agree"));
    assert_same_tables(demo, back);
    /* The PostgreSQL database now holds data: a second copy into it is refused. */
    assert_int_equal(run(NULL, "copy --from demo.db --to '%s'", pgurl), 1);
    assert_non_null(strstr(out, "コピー先には既にデータがあります"));
}

static int setup(void **state)
{
    (void)state;
    if (cli_open("copy") != 0) return -1;
    skip_reason = pgtmp_open("PostgreSQL leg", "jinzai_copy", pgname, sizeof pgname, pgurl, sizeof pgurl);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pgtmp_close(pgname);
    return cli_close();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_to_sqlite),
        cmocka_unit_test(test_refuses_occupied_target),
        cmocka_unit_test(test_sqlite_to_postgresql_and_back),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
