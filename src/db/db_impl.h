/* db_impl.h - what a backend of db.h provides (src/db only).
 *
 * db_open picks the backend from the name it is given (db.c); every other
 * call goes through the table of functions of the Db or Stmt at hand: one
 * indirect call, so the SQLite path costs what it cost before. A backend's
 * own structs begin with the struct Db / struct Stmt below. */
#ifndef JINZAI_DB_IMPL_H
#define JINZAI_DB_IMPL_H

#include "db.h"

typedef struct DbOps {
    DbDialect dialect;
    void (*close)(Db *db);
    const char *(*errmsg)(Db *db);
    bool (*constraint_error)(Db *db);
    Stmt *(*prepare)(Db *db, const char *sql);
    void (*cache_stats)(Db *db, uint64_t *hits, uint64_t *misses);
    /* Number of `?` placeholders of the statement. */
    int (*param_count)(Stmt *st);
    void (*bind_int)(Stmt *st, int idx, int64_t v);
    void (*bind_text)(Stmt *st, int idx, const char *s);
    void (*bind_null)(Stmt *st, int idx);
    void (*bind_double)(Stmt *st, int idx, double v);
    void (*bind_blob)(Stmt *st, int idx, const void *p, size_t n);
    int (*step)(Stmt *st);
    int64_t (*col_int)(Stmt *st, int col);
    double (*col_double)(Stmt *st, int col);
    const char *(*col_text)(Stmt *st, int col);
    bool (*col_null)(Stmt *st, int col);
    int (*col_bytes)(Stmt *st, int col);
    const void *(*col_blob)(Stmt *st, int col);
    void (*done)(Stmt *st);
    /* Rows changed by the last statement that finished. */
    int (*changes)(Db *db);
    int (*exec_script)(Db *db, const char *sql);
    int (*begin)(Db *db);
    int (*commit)(Db *db);
    void (*rollback)(Db *db);
    bool (*in_tx)(Db *db);
    bool (*integrity_ok)(Db *db);
    int (*backup)(Db *db, const char *path);
} DbOps;

struct Db {
    const DbOps *ops;
    uint64_t serial; /* db_serial: set by db_open */
};

struct Stmt {
    const DbOps *ops;
};

/* The backends' openers (NULL and a message on stderr on failure). */
Db *db_sqlite_open(const char *path);
Db *db_pg_open(const char *conninfo);
int db_sqlite_stage_copy(const char *src_path, const char *beside, char *tmp, size_t n);
int db_sqlite_replace(const char *tmp, const char *target);

/* PostgreSQL: sql with each `?` outside string literals, quoted names and
 * comments replaced by $1, $2, … (malloc'd); their number goes into *n. */
char *db_pg_rewrite(const char *sql, int *n);

/* One line on stderr for a database error: what failed, the code, the
 * message and the SQL text with whitespace folded (never bound values). */
void db_log_error(const char *what, const char *code, const char *msg, const char *sql);

#endif
