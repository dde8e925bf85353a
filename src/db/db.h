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

/* The two backends. db_open picks one from its argument: a PostgreSQL
 * connection URI (postgresql://…, postgres://…) or libpq keyword string
 * (contains '=', e.g. "host=/run/postgresql dbname=jinzai") opens PostgreSQL
 * through libpq; anything else is the path of a SQLite file. */
typedef enum { DB_SQLITE, DB_POSTGRESQL } DbDialect;
bool db_name_is_postgresql(const char *name);
DbDialect db_dialect(Db *db);

enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };

/* Opens (creating if needed) the database at path, or connects to the
 * PostgreSQL database it names (see DbDialect). Returns NULL and writes a
 * message to stderr on failure. */
Db *db_open(const char *path);
/* A number no other connection opened by this process has had: what an
 * in-memory cache keys its entries with besides the data version, so that
 * two databases open at once never share an entry. */
uint64_t db_serial(Db *db);
void db_close(Db *db);
const char *db_errmsg(Db *db);
/* True when the last error was a constraint violation (UNIQUE, FK, CHECK). */
bool db_constraint_error(Db *db);

/* Prepares sql (a string literal: its address keys the statement cache).
 * Never returns NULL: a failure to prepare is a programming error and aborts. */
Stmt *db_prepare(Db *db, const char *sql);
/* Statement cache lookups of this connection that found (hits) or prepared
 * (misses) a statement; for tests and benchmarks. */
void db_cache_stats(Db *db, uint64_t *hits, uint64_t *misses);
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

/* Prepare and bind in one call:
 *
 *     db_query(db, "SELECT name FROM org_unit WHERE id = ? AND code = ?", id, code)
 *
 * The bind type of each argument comes from its C type (_Generic), so a value
 * cannot be bound as the wrong type:
 *   int, short, char, bool (and unsigned int, enums)  -> integer
 *   long, long long, int64_t                          -> integer (64 bits)
 *   double, float                                     -> real
 *   char *, const char *, char arrays                 -> text (NULL binds NULL)
 *   DB_ID_OR_NULL(x)                                  -> integer, NULL when x is 0
 *   DB_NULL                                           -> NULL
 * Any other type (a pointer to int, a struct, size_t, ...) does not compile:
 * the default branch selects a function whose parameter nothing converts to.
 * A bare NULL literal (void *) binds NULL; a non-NULL void * aborts.
 * The number of `?` must equal the number of arguments (checked when bound). */
typedef struct DbIdOrNull {
    int64_t id;
} DbIdOrNull;
typedef struct DbNullMark {
    char unused;
} DbNullMark;
#define DB_ID_OR_NULL(x) ((DbIdOrNull){(int64_t)(x)})
#define DB_NULL ((DbNullMark){0})

enum { DB_ARG_INT, DB_ARG_DOUBLE, DB_ARG_TEXT, DB_ARG_NULL, DB_ARG_BAD };
typedef struct DbArg {
    int kind;
    int64_t i;
    double f;
    const char *t;
} DbArg;

/* Never defined: selected for an unsupported argument type, whose value does
 * not convert to this struct parameter, so the call fails to compile. */
struct DbUnsupportedArgType {
    char never;
};
DbArg db_arg_unsupported_type(struct DbUnsupportedArgType unsupported);

static inline DbArg db_arg_int(int v) { return (DbArg){.kind = DB_ARG_INT, .i = v}; }
static inline DbArg db_arg_int64(int64_t v) { return (DbArg){.kind = DB_ARG_INT, .i = v}; }
static inline DbArg db_arg_double(double v) { return (DbArg){.kind = DB_ARG_DOUBLE, .f = v}; }
static inline DbArg db_arg_text(const char *s) { return (DbArg){.kind = s ? DB_ARG_TEXT : DB_ARG_NULL, .t = s}; }
static inline DbArg db_arg_voidp(const void *p) { return (DbArg){.kind = p ? DB_ARG_BAD : DB_ARG_NULL}; }
static inline DbArg db_arg_id_or_null(DbIdOrNull v) { return (DbArg){.kind = v.id ? DB_ARG_INT : DB_ARG_NULL, .i = v.id}; }
static inline DbArg db_arg_null(DbNullMark v)
{
    (void)v;
    return (DbArg){.kind = DB_ARG_NULL};
}

#define DB_ARG(x)                                                                                                     \
    _Generic((x),                                                                                                     \
        _Bool: db_arg_int,                                                                                            \
        char: db_arg_int,                                                                                             \
        signed char: db_arg_int,                                                                                      \
        unsigned char: db_arg_int,                                                                                    \
        short: db_arg_int,                                                                                            \
        unsigned short: db_arg_int,                                                                                   \
        int: db_arg_int,                                                                                              \
        unsigned int: db_arg_int64,                                                                                   \
        long: db_arg_int64,                                                                                           \
        long long: db_arg_int64,                                                                                      \
        float: db_arg_double,                                                                                         \
        double: db_arg_double,                                                                                        \
        char *: db_arg_text,                                                                                          \
        const char *: db_arg_text,                                                                                    \
        void *: db_arg_voidp,                                                                                         \
        DbIdOrNull: db_arg_id_or_null,                                                                                \
        DbNullMark: db_arg_null,                                                                                      \
        default: db_arg_unsupported_type)(x)

/* DB_ARGS(sql, a, b, ...) expands to `sql, n, (const DbArg[]){DB_ARG(a), ...}`
 * (or `sql, 0, NULL`): up to 32 arguments. */
#define DB_CAT_(a, b) a##b
#define DB_CAT(a, b) DB_CAT_(a, b)
#define DB_ARGS(...) DB_CAT(DB_ARGS_, DB_NARG_(__VA_ARGS__))(__VA_ARGS__)
// clang-format off
#define DB_NARG_(...) DB_NARG_N_(__VA_ARGS__, 33,32,31,30,29,28,27,26,25,24,23,22,21,20,19,18,17,16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1, 0)
#define DB_NARG_N_(_1,_2,_3,_4,_5,_6,_7,_8,_9,_10,_11,_12,_13,_14,_15,_16,_17,_18,_19,_20,_21,_22,_23,_24,_25,_26,_27,_28,_29,_30,_31,_32,_33, n, ...) n
#define DB_ARGS_1(sql) (sql), 0, NULL
#define DB_ARGS_2(sql, a1) (sql), 1, (const DbArg[]){DB_ARG(a1)}
#define DB_ARGS_3(sql, a1, a2) (sql), 2, (const DbArg[]){DB_ARG(a1), DB_ARG(a2)}
#define DB_ARGS_4(sql, a1, a2, a3) (sql), 3, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3)}
#define DB_ARGS_5(sql, a1, a2, a3, a4) (sql), 4, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4)}
#define DB_ARGS_6(sql, a1, a2, a3, a4, a5) (sql), 5, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5)}
#define DB_ARGS_7(sql, a1, a2, a3, a4, a5, a6) (sql), 6, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6)}
#define DB_ARGS_8(sql, a1, a2, a3, a4, a5, a6, a7) (sql), 7, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7)}
#define DB_ARGS_9(sql, a1, a2, a3, a4, a5, a6, a7, a8) (sql), 8, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8)}
#define DB_ARGS_10(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9) (sql), 9, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9)}
#define DB_ARGS_11(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10) (sql), 10, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10)}
#define DB_ARGS_12(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11) (sql), 11, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11)}
#define DB_ARGS_13(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12) (sql), 12, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12)}
#define DB_ARGS_14(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13) (sql), 13, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13)}
#define DB_ARGS_15(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14) (sql), 14, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14)}
#define DB_ARGS_16(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15) (sql), 15, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15)}
#define DB_ARGS_17(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16) (sql), 16, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16)}
#define DB_ARGS_18(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17) (sql), 17, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17)}
#define DB_ARGS_19(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18) (sql), 18, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18)}
#define DB_ARGS_20(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19) (sql), 19, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19)}
#define DB_ARGS_21(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20) (sql), 20, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20)}
#define DB_ARGS_22(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21) (sql), 21, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21)}
#define DB_ARGS_23(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22) (sql), 22, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22)}
#define DB_ARGS_24(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23) (sql), 23, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23)}
#define DB_ARGS_25(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24) (sql), 24, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23), DB_ARG(a24)}
#define DB_ARGS_26(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25) (sql), 25, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23), DB_ARG(a24), DB_ARG(a25)}
#define DB_ARGS_27(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26) (sql), 26, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23), DB_ARG(a24), DB_ARG(a25), DB_ARG(a26)}
#define DB_ARGS_28(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27) (sql), 27, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23), DB_ARG(a24), DB_ARG(a25), DB_ARG(a26), DB_ARG(a27)}
#define DB_ARGS_29(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28) (sql), 28, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23), DB_ARG(a24), DB_ARG(a25), DB_ARG(a26), DB_ARG(a27), DB_ARG(a28)}
#define DB_ARGS_30(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29) (sql), 29, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23), DB_ARG(a24), DB_ARG(a25), DB_ARG(a26), DB_ARG(a27), DB_ARG(a28), DB_ARG(a29)}
#define DB_ARGS_31(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30) (sql), 30, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23), DB_ARG(a24), DB_ARG(a25), DB_ARG(a26), DB_ARG(a27), DB_ARG(a28), DB_ARG(a29), DB_ARG(a30)}
#define DB_ARGS_32(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31) (sql), 31, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23), DB_ARG(a24), DB_ARG(a25), DB_ARG(a26), DB_ARG(a27), DB_ARG(a28), DB_ARG(a29), DB_ARG(a30), DB_ARG(a31)}
#define DB_ARGS_33(sql, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32) (sql), 32, (const DbArg[]){DB_ARG(a1), DB_ARG(a2), DB_ARG(a3), DB_ARG(a4), DB_ARG(a5), DB_ARG(a6), DB_ARG(a7), DB_ARG(a8), DB_ARG(a9), DB_ARG(a10), DB_ARG(a11), DB_ARG(a12), DB_ARG(a13), DB_ARG(a14), DB_ARG(a15), DB_ARG(a16), DB_ARG(a17), DB_ARG(a18), DB_ARG(a19), DB_ARG(a20), DB_ARG(a21), DB_ARG(a22), DB_ARG(a23), DB_ARG(a24), DB_ARG(a25), DB_ARG(a26), DB_ARG(a27), DB_ARG(a28), DB_ARG(a29), DB_ARG(a30), DB_ARG(a31), DB_ARG(a32)}
// clang-format on

Stmt *db_query_args(Db *db, const char *sql, int n, const DbArg *args);
/* Runs a statement that returns no rows: number of changed rows, or -1. */
int db_exec_args(Db *db, const char *sql, int n, const DbArg *args);
/* First column of the first row as int, or dflt when there is no row or NULL. */
int64_t db_int_args(Db *db, int64_t dflt, const char *sql, int n, const DbArg *args);
/* First column of the first row copied into a, or NULL. */
char *db_text_args(Db *db, Arena *a, const char *sql, int n, const DbArg *args);
bool db_exists_args(Db *db, const char *sql, int n, const DbArg *args);

#define db_query(db, ...) db_query_args((db), DB_ARGS(__VA_ARGS__))
#define db_exec(db, ...) db_exec_args((db), DB_ARGS(__VA_ARGS__))
#define db_int(db, dflt, ...) db_int_args((db), (dflt), DB_ARGS(__VA_ARGS__))
#define db_text(db, a, ...) db_text_args((db), (a), DB_ARGS(__VA_ARGS__))
#define db_exists(db, ...) db_exists_args((db), DB_ARGS(__VA_ARGS__))
/* Runs SQL text with no parameters and possibly several statements (schema). */
int db_exec_script(Db *db, const char *sql);

/* A claim that concurrent nodes pass over instead of repeating:
 *
 *     db_query(db, DB_SKIP_LOCKED(db, "UPDATE t SET … WHERE id = (SELECT id FROM t WHERE … LIMIT 1", ") RETURNING …"), …)
 *
 * On PostgreSQL the first part gets FOR UPDATE SKIP LOCKED (a row another
 * transaction holds is skipped, not waited for and claimed twice); SQLite's
 * single writer already serialises the claims, and its SQL has no such
 * clause. Both parts are string literals, so each backend's text keeps one
 * address (the statement cache's key). */
#define DB_SKIP_LOCKED(db, head, tail) (db_dialect(db) == DB_POSTGRESQL ? head " FOR UPDATE SKIP LOCKED" tail : head tail)

/* Write transactions: BEGIN IMMEDIATE on SQLite. Nested calls are not allowed. */
int db_begin(Db *db);
int db_commit(Db *db);
void db_rollback(Db *db);

/* Takes the row lock that guards a check-then-write: call it first in the
 * transaction, before reading what the decision rests on (the session row
 * for its seats and waitlist, the 係 for its 総括リーダー, the assessment for
 * its state). On PostgreSQL it is `SELECT id FROM table WHERE id = ? FOR
 * UPDATE`: a second transaction that takes the same lock waits until the
 * first ends, and its next statements (READ COMMITTED) see what it wrote.
 * On SQLite it does nothing: BEGIN IMMEDIATE and the writer mutex already
 * run one write transaction at a time. table is one of the guard tables
 * listed in db.c (another name aborts). 0 also when there is no such row;
 * -1 on a database error (a deadlock the server broke, for one). */
int db_lock_row(Db *db, const char *table, int64_t id);
/* The guard rows of a transaction that needs several (a bulk decision
 * across sessions, a designation import across units, a bulk confirmation
 * of assessments): all of them, before anything else is written, in one
 * global order, so that two such transactions never wait for each other in
 * a cycle (a deadlock PostgreSQL would break by aborting one). Within a
 * table: ascending id; db_lock_rows sorts a copy of ids, drops duplicates
 * and ids <= 0, and locks them one by one (db_lock_row). Across tables:
 * staff, then org_unit, then training_session, then assessment (a person's
 * row before their assessment, as the self-assessment does). A row locked
 * again later (db_lock_row on a row already held) does not wait. Nothing on
 * SQLite. 0, or -1 on a database error. */
int db_lock_rows(Db *db, const char *table, const int64_t *ids, int n);

/* Checkpoints of SQLite's write-ahead log. By default the commit that grows
 * the log past 1,000 pages copies it into the database file, fsyncs
 * included, while it still holds the write lock, and every writer queued
 * behind it waits (a burst of 200 quiz submissions spent most of its time
 * there). A server instead starts one checkpointer: a thread with its own
 * connection that copies the log in the background, without waiting for
 * readers or writers (PASSIVE), once a second and whenever a commit reports
 * the log past `pages` pages. Connections passed to db_defer_checkpoints no
 * longer checkpoint in their commits; db_defer_checkpoints(db, NULL) gives a
 * connection back to SQLite's own checkpoints. NULL when the checkpointer
 * cannot open path. db_checkpointer_stop runs a last checkpoint and joins
 * the thread; every deferring connection must be closed or given back
 * before it (it asserts so). */
typedef struct DbCheckpointer DbCheckpointer;
DbCheckpointer *db_checkpointer_start(const char *path, int pages);
void db_checkpointer_stop(DbCheckpointer *ck);
void db_defer_checkpoints(Db *db, DbCheckpointer *ck);
/* One PASSIVE checkpoint: 0, with the log's pages and those copied so far
 * in *log and *copied (either may be NULL); -1 on error. */
int db_checkpoint(Db *db, int *log, int *copied);
/* Checkpoints run by ck so far (for tests). */
uint64_t db_checkpointer_runs(DbCheckpointer *ck);

/* True when the database passes its integrity check. */
/* Whether a transaction is open on this connection (a write or a read one). */
bool db_in_tx(Db *db);
bool db_integrity_ok(Db *db);
/* Results of the copying functions below. */
enum { DB_COPY_SOURCE = -1, DB_COPY_INTEGRITY = -2, DB_COPY_WRITE = -3, DB_COPY_UNSUPPORTED = -4 };
/* On PostgreSQL the three return DB_COPY_UNSUPPORTED: its backups are the
 * DBA's tools (pg_dump / pg_restore, or the cluster's base backups). */
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
