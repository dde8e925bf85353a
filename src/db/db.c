/* db.c - db.h's dispatch to the SQLite or the PostgreSQL backend, and the
 * calls built on the others (db_query, db_exec, db_int, …). */
#include "db_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool db_name_is_postgresql(const char *name)
{
    if (!name) return false;
    return strncmp(name, "postgresql://", 13) == 0 || strncmp(name, "postgres://", 11) == 0 || strchr(name, '=') != NULL;
}

Db *db_open(const char *path)
{
    static _Atomic uint64_t opened;
    Db *db = db_name_is_postgresql(path) ? db_pg_open(path) : db_sqlite_open(path);
    if (db) db->serial = ++opened;
    return db;
}

uint64_t db_serial(Db *db) { return db->serial; }

DbDialect db_dialect(Db *db) { return db->ops->dialect; }

void db_close(Db *db)
{
    if (db) db->ops->close(db);
}

const char *db_errmsg(Db *db) { return db->ops->errmsg(db); }
bool db_constraint_error(Db *db) { return db->ops->constraint_error(db); }
Stmt *db_prepare(Db *db, const char *sql) { return db->ops->prepare(db, sql); }
void db_cache_stats(Db *db, uint64_t *hits, uint64_t *misses) { db->ops->cache_stats(db, hits, misses); }
void db_bind_int(Stmt *st, int idx, int64_t v) { st->ops->bind_int(st, idx, v); }
void db_bind_text(Stmt *st, int idx, const char *s) { st->ops->bind_text(st, idx, s); }
void db_bind_null(Stmt *st, int idx) { st->ops->bind_null(st, idx); }
void db_bind_double(Stmt *st, int idx, double v) { st->ops->bind_double(st, idx, v); }
void db_bind_blob(Stmt *st, int idx, const void *p, size_t n) { st->ops->bind_blob(st, idx, p, n); }
int db_step(Stmt *st) { return st->ops->step(st); }
int64_t db_col_int(Stmt *st, int col) { return st->ops->col_int(st, col); }
double db_col_double(Stmt *st, int col) { return st->ops->col_double(st, col); }
const char *db_col_text(Stmt *st, int col) { return st->ops->col_text(st, col); }
bool db_col_null(Stmt *st, int col) { return st->ops->col_null(st, col); }
int db_col_bytes(Stmt *st, int col) { return st->ops->col_bytes(st, col); }
const void *db_col_blob(Stmt *st, int col) { return st->ops->col_blob(st, col); }

char *db_col_dup(Stmt *st, int col, Arena *a)
{
    if (st->ops->col_null(st, col)) return NULL;
    const char *t = st->ops->col_text(st, col);
    return arena_strndup(a, t, (size_t)st->ops->col_bytes(st, col));
}

void db_done(Stmt *st)
{
    if (st) st->ops->done(st);
}

int db_exec_script(Db *db, const char *sql) { return db->ops->exec_script(db, sql); }
int db_begin(Db *db) { return db->ops->begin(db); }
int db_commit(Db *db) { return db->ops->commit(db); }
void db_rollback(Db *db) { db->ops->rollback(db); }
bool db_in_tx(Db *db) { return db->ops->in_tx(db); }
bool db_integrity_ok(Db *db) { return db->ops->integrity_ok(db); }
int db_backup(Db *db, const char *path) { return db->ops->backup(db, path); }

/* The guard rows of db_lock_row: literal SQL, so that each is one cached
 * statement per connection. Listed in the order a transaction that locks
 * rows of several of these tables takes them (db.h). */
static const struct {
    const char *table, *sql;
} lock_sql[] = {
    {"staff", "SELECT id FROM staff WHERE id = ? FOR UPDATE"},
    {"org_unit", "SELECT id FROM org_unit WHERE id = ? FOR UPDATE"},
    {"training_session", "SELECT id FROM training_session WHERE id = ? FOR UPDATE"},
    {"assessment", "SELECT id FROM assessment WHERE id = ? FOR UPDATE"},
};

static const char *lock_statement(const char *table)
{
    for (size_t i = 0; i < sizeof lock_sql / sizeof lock_sql[0]; i++)
        if (strcmp(table, lock_sql[i].table) == 0) return lock_sql[i].sql;
    fprintf(stderr, "db_lock_row: no guard statement for table %s\n", table);
    abort();
}

int db_lock_row(Db *db, const char *table, int64_t id)
{
    const char *sql = lock_statement(table);
    if (db->ops->dialect == DB_SQLITE) return 0;
    Stmt *st = db_query(db, sql, id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
    }
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

static int cmp_lock_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

int db_lock_rows(Db *db, const char *table, const int64_t *ids, int n)
{
    lock_statement(table);
    if (db->ops->dialect == DB_SQLITE || n <= 0) return 0;
    int64_t *sorted = malloc(sizeof *sorted * (size_t)n);
    if (!sorted) return -1;
    memcpy(sorted, ids, sizeof *sorted * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_lock_id);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        if (sorted[i] > 0 && (i == 0 || sorted[i] != sorted[i - 1])) rc = db_lock_row(db, table, sorted[i]);
    free(sorted);
    return rc;
}

int db_stage_copy(const char *src_path, const char *beside, char *tmp, size_t n)
{
    if (db_name_is_postgresql(src_path) || db_name_is_postgresql(beside)) return DB_COPY_UNSUPPORTED;
    return db_sqlite_stage_copy(src_path, beside, tmp, n);
}

int db_replace(const char *tmp, const char *target)
{
    if (db_name_is_postgresql(target)) return DB_COPY_UNSUPPORTED;
    return db_sqlite_replace(tmp, target);
}

static void bind_args(Stmt *st, const char *sql, int n, const DbArg *args)
{
    /* One argument per placeholder: a mismatch is a programming error. */
    int want = st->ops->param_count(st);
    if (n != want) {
        fprintf(stderr, "jinzai: %d bind arguments for %d placeholders in: %s\n", n, want, sql);
        abort();
    }
    for (int i = 0; i < n; i++) {
        int idx = i + 1;
        switch (args[i].kind) {
        case DB_ARG_INT: st->ops->bind_int(st, idx, args[i].i); break;
        case DB_ARG_DOUBLE: st->ops->bind_double(st, idx, args[i].f); break;
        case DB_ARG_TEXT: st->ops->bind_text(st, idx, args[i].t); break;
        case DB_ARG_NULL: st->ops->bind_null(st, idx); break;
        default:
            fprintf(stderr, "jinzai: argument %d is a non-NULL void pointer in: %s\n", idx, sql);
            abort();
        }
    }
}

Stmt *db_query_args(Db *db, const char *sql, int n, const DbArg *args)
{
    Stmt *st = db->ops->prepare(db, sql);
    bind_args(st, sql, n, args);
    return st;
}

int db_exec_args(Db *db, const char *sql, int n, const DbArg *args)
{
    Stmt *st = db_query_args(db, sql, n, args);
    int rc = st->ops->step(st);
    while (rc == DB_ROW) rc = st->ops->step(st);
    st->ops->done(st);
    return rc == DB_DONE ? db->ops->changes(db) : -1;
}

int64_t db_int_args(Db *db, int64_t dflt, const char *sql, int n, const DbArg *args)
{
    Stmt *st = db_query_args(db, sql, n, args);
    int64_t v = dflt;
    if (st->ops->step(st) == DB_ROW && !st->ops->col_null(st, 0)) v = st->ops->col_int(st, 0);
    st->ops->done(st);
    return v;
}

char *db_text_args(Db *db, Arena *a, const char *sql, int n, const DbArg *args)
{
    Stmt *st = db_query_args(db, sql, n, args);
    char *v = NULL;
    if (st->ops->step(st) == DB_ROW) v = db_col_dup(st, 0, a);
    st->ops->done(st);
    return v;
}

bool db_exists_args(Db *db, const char *sql, int n, const DbArg *args)
{
    Stmt *st = db_query_args(db, sql, n, args);
    bool v = st->ops->step(st) == DB_ROW;
    st->ops->done(st);
    return v;
}

void db_log_error(const char *what, const char *code, const char *msg, const char *sql)
{
    char line[1024];
    size_t n = 0;
    bool space = false, cut = false;
    for (const char *p = sql ? sql : ""; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
            space = n > 0;
            continue;
        }
        if (n + 5 >= sizeof line) {
            cut = true;
            break;
        }
        if (space) line[n++] = ' ';
        space = false;
        line[n++] = *p;
    }
    if (cut) memcpy(line + n, "...", 3), n += 3;
    line[n] = '\0';
    fprintf(stderr, "jinzai: db error: %s failed: code %s: %s; sql: %s\n", what, code, msg ? msg : "", line);
}
