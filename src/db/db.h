/* db.h - the storage API: prepared statements with `?` placeholders only.
 *
 * Values never enter SQL text: every value is bound. SQL is kept to the
 * subset that SQLite 3.40 and PostgreSQL 15 both run (RETURNING, ON CONFLICT
 * DO UPDATE, no SQLite-only functions in DML), so a libpq backend can sit
 * behind the same functions.
 *
 * A Db is used by one thread at a time (one connection per worker thread).
 * Statements are cached per connection by the address of their SQL text, so
 * pass string literals: db_prepare then db_done is cheap on a hot path. */
#ifndef JINZAI_DB_H
#define JINZAI_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"

typedef struct Db Db;
typedef struct Stmt Stmt;

enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };

/* Opens (creating if needed) the database at path. Returns NULL and writes a
 * message to stderr on failure. */
Db *db_open(const char *path);
void db_close(Db *db);
const char *db_errmsg(Db *db);
/* True when the last error was a constraint violation (UNIQUE, FK, CHECK). */
bool db_constraint_error(Db *db);

/* Prepares sql (a string literal: its address keys the statement cache).
 * Never returns NULL: a failure to prepare is a programming error and aborts. */
Stmt *db_prepare(Db *db, const char *sql);
void db_bind_int(Stmt *st, int idx, int64_t v);      /* idx from 1 */
void db_bind_text(Stmt *st, int idx, const char *s); /* NULL binds NULL */
void db_bind_null(Stmt *st, int idx);
void db_bind_double(Stmt *st, int idx, double v);
void db_bind_blob(Stmt *st, int idx, const void *p, size_t n);
/* DB_ROW, DB_DONE or DB_ERROR. */
int db_step(Stmt *st);
int64_t db_col_int(Stmt *st, int col);
double db_col_double(Stmt *st, int col);
/* Valid until the next db_step or db_done; "" for NULL. */
const char *db_col_text(Stmt *st, int col);
bool db_col_null(Stmt *st, int col);
int db_col_bytes(Stmt *st, int col);
const void *db_col_blob(Stmt *st, int col);
char *db_col_dup(Stmt *st, int col, Arena *a); /* arena copy, NULL for SQL NULL */
/* Resets the statement for reuse (returns it to the cache). */
void db_done(Stmt *st);

/* Prepare and bind in one call. types has one letter per argument:
 *   i int64_t, I int64_t id where 0 binds NULL, d int (promoted), f double,
 *   t const char * (NULL -> NULL), n NULL (no argument). */
Stmt *db_query(Db *db, const char *sql, const char *types, ...);
/* Runs a statement that returns no rows: number of changed rows, or -1. */
int db_exec(Db *db, const char *sql, const char *types, ...);
/* First column of the first row as int, or dflt when there is no row or NULL. */
int64_t db_int(Db *db, int64_t dflt, const char *sql, const char *types, ...);
/* First column of the first row copied into a, or NULL. */
char *db_text(Db *db, Arena *a, const char *sql, const char *types, ...);
bool db_exists(Db *db, const char *sql, const char *types, ...);
/* Runs SQL text with no parameters and possibly several statements (schema). */
int db_exec_script(Db *db, const char *sql);

/* Write transactions: BEGIN IMMEDIATE on SQLite. Nested calls are not allowed. */
int db_begin(Db *db);
int db_commit(Db *db);
void db_rollback(Db *db);

/* True when the database passes its integrity check. */
bool db_integrity_ok(Db *db);
/* Results of the copying functions below. */
enum { DB_COPY_SOURCE = -1, DB_COPY_INTEGRITY = -2, DB_COPY_WRITE = -3 };
/* Online backup of the open database into path: one consistent snapshot that
 * writers on other connections do not restart, written to a temp file beside
 * path, checked with integrity_check and only then renamed onto path, so path
 * never holds a partial copy. 0 on success or a DB_COPY_ value. */
int db_backup(Db *db, const char *path);
/* Copies the database file src_path, opened read-only (nothing is written to
 * it or beside it), into a new checked temp file beside `beside`; its name
 * goes into tmp (n bytes). 0 or DB_COPY_SOURCE (not a database), DB_COPY_INTEGRITY,
 * DB_COPY_WRITE. */
int db_stage_copy(const char *src_path, const char *beside, char *tmp, size_t n);
/* Atomically puts the file tmp in place of target (rename), first removing
 * target's -wal/-shm/-journal so that none is replayed onto it. 0 on success. */
int db_replace(const char *tmp, const char *target);

#endif
