/* db_pg.c - the PostgreSQL backend of db.h, through libpq.
 *
 * - SQL is written with `?` (or SQLite's `?NNN`); each is rewritten to $1,
 *   $2, … once per statement (string literals, quoted names and comments are
 *   skipped).
 * - Statements are prepared by name on the connection the first time they
 *   run, and cached by the address of their SQL text like the SQLite
 *   backend's (LRU, 256). Parameter types come from the first run's binds:
 *   int8, float8, text, bytea, and "unknown" for NULL so the server infers
 *   it. Where the server cannot (`? IS NULL`) or the type does not fit the
 *   context (`substr(x, ?)`, a text column compared with an int), the
 *   statement is prepared again with NULL as text, then with every
 *   parameter left to the server; inside a transaction the attempts run
 *   under a savepoint so a refused one does not abort it.
 * - Results come in text format, one row at a time (single-row mode), so an
 *   export streams. libpq runs one query at a time per connection: when a
 *   statement starts while another is still being read (a query inside a
 *   loop over rows), the rows of the outer one still on the wire are read
 *   into its queue first.
 * - Booleans ('t'/'f') read as 1/0, as SQLite's comparisons give; bytea is
 *   decoded for db_col_blob.
 * - SQLSTATE class 23 (integrity constraint violation) is a constraint error.
 * - A session the server ended (restart, pg_terminate_backend, network) is
 *   opened again at the next statement outside a transaction, and a SELECT
 *   outside a transaction that met the loss before its first row runs once
 *   more; inside a transaction the statements fail until it is rolled back.
 * - Backups and restores are the DBA's tools (pg_dump, pg_restore). */
#include "db_impl.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STMT_CACHE 256
#define OID_UNKNOWN 0
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701

typedef struct PgDb PgDb;

typedef struct PgStmt {
    Stmt base;
    PgDb *db;
    const char *sql; /* the caller's text: its address is the cache key */
    char *sql_copy;  /* to tell a reused address from the same literal */
    char *pgsql;     /* with $n */
    int nparams;
    char name[24];
    bool prepared, cached, busy;
    uint64_t used;
    /* Binds of the next run. */
    int *kinds; /* DB_ARG_* or -1 for a blob */
    char **vals;
    int *lens, *fmts;
    char **own; /* buffers owned per parameter */
    /* The current run. */
    bool started, finished;
    bool idle_start, retrying; /* begun outside a transaction; run again after a lost session */
    long rows_given;
    PGresult *row;      /* the current row (single-row result) */
    PGresult **queue;   /* rows read ahead (see drain) */
    size_t qhead, qlen, qcap;
    int final_rc;       /* DB_DONE or DB_ERROR once the end was read */
    int changes;
    char *errmsg;       /* copy of the error when the end was an error */
    char sqlstate[6];
    unsigned char **blobs; /* decoded bytea per column of the current row */
    size_t *bloblens;
    int nblobs;
} PgStmt;

struct PgDb {
    Db base;
    PGconn *conn;
    PgStmt *active; /* the statement whose results are on the wire */
    PgStmt cache[STMT_CACHE];
    size_t ncache;
    uint64_t tick, hits, misses;
    unsigned next_name;
    int changes;
    PGTransactionStatusType txs; /* after the last finished command (note_txs) */
    unsigned reconnects;
    char sqlstate[6];
    char err[1024];
};

#define DB(b) ((PgDb *)(b))
#define ST(b) ((PgStmt *)(b))

static const DbOps pg_ops;

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The settings every session of a connection starts with. */
static bool configure(PGconn *c)
{
    PQsetNoticeProcessor(c, quiet, NULL);
    PGresult *r = PQexec(c, "SET client_encoding = 'UTF8'; SET client_min_messages = warning");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
}

Db *db_pg_open(const char *conninfo)
{
    PGconn *c = PQconnectdb(conninfo);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "jinzai: cannot connect to PostgreSQL: %s", c ? PQerrorMessage(c) : "out of memory\n");
        PQfinish(c);
        return NULL;
    }
    if (!configure(c)) {
        fprintf(stderr, "jinzai: cannot configure the PostgreSQL session: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PgDb *db = xcalloc(1, sizeof *db);
    db->base.ops = &pg_ops;
    db->conn = c;
    db->txs = PQtransactionStatus(c);
    return &db->base;
}

/* The transaction status after a command. A broken connection has none
 * (PQTRANS_UNKNOWN): the last known one stays, so a caller inside a
 * transaction still is until it rolls back, and nothing it runs meanwhile
 * reconnects and commits on its own. */
static void note_txs(PgDb *db)
{
    PGTransactionStatusType t = PQtransactionStatus(db->conn);
    if (t != PQTRANS_UNKNOWN) db->txs = t;
}

/* The server ended the session (restarted, an administrator's
 * pg_terminate_backend, a dropped network): a new one with the same
 * settings, only outside a transaction (a transaction's work went with its
 * session). Statements are prepared again on their next run. */
static bool reconnect(PgDb *db)
{
    if (PQstatus(db->conn) == CONNECTION_OK) return true;
    if (db->txs != PQTRANS_IDLE) return false;
    PQreset(db->conn);
    if (PQstatus(db->conn) != CONNECTION_OK || !configure(db->conn)) return false;
    for (size_t i = 0; i < db->ncache; i++) db->cache[i].prepared = false;
    db->active = NULL;
    db->txs = PQtransactionStatus(db->conn);
    db->reconnects++;
    fprintf(stderr, "jinzai: the PostgreSQL session was lost; connected again\n");
    return true;
}

/* ---- ? -> $n ---- */

/* The SQL with each `?` outside literals, quoted names and comments
 * replaced by $1, $2, …; the number of them goes into *n. */
char *db_pg_rewrite(const char *sql, int *n)
{
    Buf b = BUF_INIT;
    int k = 0;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            buf_putc(&b, *p++);
            while (*p) {
                if (*p == q && p[1] == q) { /* doubled quote inside */
                    buf_putc(&b, *p++);
                    buf_putc(&b, *p++);
                    continue;
                }
                if (*p == q) break;
                buf_putc(&b, *p++);
            }
            if (*p) buf_putc(&b, *p++);
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') buf_putc(&b, *p++);
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            const char *end = e ? e + 2 : p + strlen(p);
            while (p < end) buf_putc(&b, *p++);
        } else if (*p == '?' && p[1] >= '1' && p[1] <= '9') { /* ?NNN: that parameter */
            int v = (int)strtol(p + 1, (char **)&p, 10);
            buf_printf(&b, "$%d", v);
            if (v > k) k = v;
        } else if (*p == '?') {
            buf_printf(&b, "$%d", ++k);
            p++;
        } else {
            buf_putc(&b, *p++);
        }
    }
    *n = k;
    char *s = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* ---- errors ---- */

/* The server's message on one line (it may add DETAIL and HINT lines). */
static void one_line(char *s)
{
    size_t l = strlen(s);
    while (l > 0 && (s[l - 1] == '\n' || s[l - 1] == ' ')) s[--l] = '\0';
    for (char *p = s; *p; p++)
        if (*p == '\n') *p = ' ';
}

static void set_error(PgDb *db, const PGresult *r, const char *what, const char *sql)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn);
    snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
    snprintf(db->err, sizeof db->err, "%s", msg && *msg ? msg : PQerrorMessage(db->conn));
    one_line(db->err);
    char code[16];
    snprintf(code, sizeof code, "%s", db->sqlstate[0] ? db->sqlstate : "?");
    db_log_error(what, code, db->err, sql);
}

static const char *pg_errmsg(Db *db) { return DB(db)->err; }

static bool pg_constraint_error(Db *db) { return strncmp(DB(db)->sqlstate, "23", 2) == 0; }

/* ---- reading a run's results ---- */

static void free_blobs(PgStmt *st)
{
    for (int i = 0; i < st->nblobs; i++) PQfreemem(st->blobs[i]), st->blobs[i] = NULL;
}

static void enqueue(PgStmt *st, PGresult *r)
{
    if (st->qlen == st->qcap) {
        st->qcap = st->qcap ? st->qcap * 2 : 64;
        st->queue = xrealloc(st->queue, st->qcap * sizeof *st->queue);
    }
    st->queue[st->qlen++] = r;
}

/* Reads the end of st's run (every result after the rows): its changes, its
 * error, and the connection's transaction status. */
static void finish_run(PgStmt *st, PGresult *r)
{
    PgDb *db = st->db;
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK || s == PGRES_EMPTY_QUERY) {
        st->final_rc = DB_DONE;
        st->changes = atoi(PQcmdTuples(r));
    } else {
        st->final_rc = DB_ERROR;
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        snprintf(st->sqlstate, sizeof st->sqlstate, "%s", state ? state : "");
        free(st->errmsg);
        st->errmsg = xstrdup(PQresultErrorMessage(r));
    }
    PQclear(r);
    while ((r = PQgetResult(db->conn))) PQclear(r);
    st->finished = true;
    db->active = NULL;
    note_txs(db);
}

/* Reads whatever is left of the active statement's run into its queue, so
 * that the connection is free for another command. */
static void drain(PgDb *db)
{
    PgStmt *st = db->active;
    if (!st) return;
    PGresult *r;
    while ((r = PQgetResult(db->conn))) {
        if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
            enqueue(st, r);
            continue;
        }
        finish_run(st, r);
        return;
    }
    /* No end result: the connection broke. */
    st->final_rc = DB_ERROR;
    st->finished = true;
    free(st->errmsg);
    st->errmsg = xstrdup(PQerrorMessage(db->conn));
    db->active = NULL;
}

static void reset_run(PgStmt *st)
{
    if (st->db->active == st) {
        PGresult *r;
        while ((r = PQgetResult(st->db->conn))) {
            if (PQresultStatus(r) != PGRES_SINGLE_TUPLE) {
                finish_run(st, r);
                break;
            }
            PQclear(r);
        }
        st->db->active = NULL;
    }
    PQclear(st->row);
    st->row = NULL;
    for (size_t i = st->qhead; i < st->qlen; i++) PQclear(st->queue[i]);
    st->qhead = st->qlen = 0;
    free_blobs(st);
    free(st->errmsg);
    st->errmsg = NULL;
    st->started = st->finished = false;
}

/* ---- statements ---- */

static void free_binds(PgStmt *st)
{
    for (int i = 0; i < st->nparams; i++) {
        free(st->own[i]);
        st->own[i] = NULL;
        st->vals[i] = NULL;
        st->kinds[i] = DB_ARG_NULL;
        st->lens[i] = 0;
        st->fmts[i] = 0;
    }
}

static void stmt_init(PgDb *db, PgStmt *st, const char *sql, bool cached)
{
    memset(st, 0, sizeof *st);
    st->base.ops = &pg_ops;
    st->db = db;
    st->sql = sql;
    st->sql_copy = xstrdup(sql);
    st->pgsql = db_pg_rewrite(sql, &st->nparams);
    size_t n = st->nparams ? (size_t)st->nparams : 1;
    st->kinds = xcalloc(n, sizeof *st->kinds);
    st->vals = xcalloc(n, sizeof *st->vals);
    st->lens = xcalloc(n, sizeof *st->lens);
    st->fmts = xcalloc(n, sizeof *st->fmts);
    st->own = xcalloc(n, sizeof *st->own);
    for (int i = 0; i < st->nparams; i++) st->kinds[i] = DB_ARG_NULL;
    st->cached = cached;
    st->busy = true;
    st->used = db->tick;
}

static void stmt_free(PgStmt *st)
{
    reset_run(st);
    free_binds(st);
    if (st->prepared && PQstatus(st->db->conn) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        drain(st->db);
        PQclear(PQexec(st->db->conn, sql));
    }
    free(st->sql_copy);
    free(st->pgsql);
    free(st->kinds);
    free(st->vals);
    free(st->lens);
    free(st->fmts);
    free(st->own);
    free(st->queue);
    free(st->blobs);
    free(st->bloblens);
}

static Stmt *pg_prepare(Db *base, const char *sql)
{
    PgDb *db = DB(base);
    db->tick++;
    PgStmt *lru = NULL;
    for (size_t i = 0; i < db->ncache; i++) {
        PgStmt *s = &db->cache[i];
        if (s->busy) continue;
        if (s->sql == sql && strcmp(s->sql_copy, sql) == 0) {
            s->busy = true;
            s->used = db->tick;
            db->hits++;
            return &s->base;
        }
        if (!lru || s->used < lru->used) lru = s;
    }
    db->misses++;
    PgStmt *s = NULL;
    if (db->ncache < STMT_CACHE) s = &db->cache[db->ncache++];
    else if (lru) stmt_free(lru), s = lru;
    if (s) {
        stmt_init(db, s, sql, true);
        return &s->base;
    }
    s = xmalloc(sizeof *s); /* every cached statement is in use: one-off */
    stmt_init(db, s, sql, false);
    return &s->base;
}

static void pg_cache_stats(Db *base, uint64_t *hits, uint64_t *misses)
{
    *hits = DB(base)->hits;
    *misses = DB(base)->misses;
}

static int pg_param_count(Stmt *st) { return ST(st)->nparams; }

static bool bind_slot(PgStmt *st, int idx)
{
    if (idx < 1 || idx > st->nparams) {
        fprintf(stderr, "jinzai: bind index %d out of range (%d placeholders) in: %s\n", idx, st->nparams, st->sql);
        abort();
    }
    if (st->started) reset_run(st);
    free(st->own[idx - 1]);
    st->own[idx - 1] = NULL;
    st->fmts[idx - 1] = 0;
    st->lens[idx - 1] = 0;
    return true;
}

static void pg_bind_int(Stmt *base, int idx, int64_t v)
{
    PgStmt *st = ST(base);
    bind_slot(st, idx);
    char *s = xmalloc(24);
    snprintf(s, 24, "%lld", (long long)v);
    st->own[idx - 1] = st->vals[idx - 1] = s;
    st->kinds[idx - 1] = DB_ARG_INT;
}

static void pg_bind_text(Stmt *base, int idx, const char *s)
{
    PgStmt *st = ST(base);
    bind_slot(st, idx);
    st->own[idx - 1] = st->vals[idx - 1] = s ? xstrdup(s) : NULL;
    st->kinds[idx - 1] = s ? DB_ARG_TEXT : DB_ARG_NULL;
}

static void pg_bind_null(Stmt *base, int idx)
{
    PgStmt *st = ST(base);
    bind_slot(st, idx);
    st->vals[idx - 1] = NULL;
    st->kinds[idx - 1] = DB_ARG_NULL;
}

static void pg_bind_double(Stmt *base, int idx, double v)
{
    PgStmt *st = ST(base);
    bind_slot(st, idx);
    char *s = xmalloc(32);
    snprintf(s, 32, "%.17g", v);
    st->own[idx - 1] = st->vals[idx - 1] = s;
    st->kinds[idx - 1] = DB_ARG_DOUBLE;
}

static void pg_bind_blob(Stmt *base, int idx, const void *p, size_t n)
{
    PgStmt *st = ST(base);
    bind_slot(st, idx);
    char *s = xmalloc(n ? n : 1);
    if (n) memcpy(s, p, n);
    st->own[idx - 1] = st->vals[idx - 1] = s;
    st->lens[idx - 1] = (int)n;
    st->fmts[idx - 1] = 1;
    st->kinds[idx - 1] = -1;
}

/* The parameter types of one attempt at preparing (see the file's head). */
static void types_for(const PgStmt *st, int attempt, Oid *t)
{
    for (int i = 0; i < st->nparams; i++) {
        int k = st->kinds[i];
        Oid typed = k == DB_ARG_INT ? OID_INT8 : k == DB_ARG_DOUBLE ? OID_FLOAT8 : k == DB_ARG_TEXT ? OID_TEXT
                  : k == -1                ? OID_BYTEA
                                           : OID_UNKNOWN;
        switch (attempt) {
        case 0: t[i] = typed; break;
        case 1: t[i] = k == DB_ARG_NULL ? OID_TEXT : typed; break;
        case 2: t[i] = k == -1 ? OID_BYTEA : OID_UNKNOWN; break;
        default: t[i] = k == -1 ? OID_BYTEA : k == DB_ARG_NULL || k == DB_ARG_TEXT ? OID_TEXT : OID_UNKNOWN; break;
        }
    }
}

static bool run_simple(PgDb *db, const char *sql)
{
    PGresult *r = PQexec(db->conn, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
}

/* Prepares st on the server under a new name; false (error set) when every
 * attempt failed. */
static bool server_prepare(PgStmt *st)
{
    PgDb *db = st->db;
    bool in_tx = PQtransactionStatus(db->conn) == PQTRANS_INTRANS;
    Oid types[st->nparams ? st->nparams : 1];
    PGresult *first_err = NULL;
    for (int attempt = 0; attempt < 4; attempt++) {
        snprintf(st->name, sizeof st->name, "jz%u", ++db->next_name);
        types_for(st, attempt, types);
        if (in_tx && !run_simple(db, "SAVEPOINT jz_prepare")) break;
        PGresult *r = PQprepare(db->conn, st->name, st->pgsql, st->nparams, types);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (in_tx) run_simple(db, ok ? "RELEASE SAVEPOINT jz_prepare" : "ROLLBACK TO SAVEPOINT jz_prepare");
        if (ok) {
            PQclear(r);
            PQclear(first_err);
            st->prepared = true;
            return true;
        }
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        /* Only type errors are worth another attempt; syntax is not. */
        bool retry = state && (strncmp(state, "42P18", 5) == 0 || strncmp(state, "42883", 5) == 0 ||
                               strncmp(state, "42725", 5) == 0 || strncmp(state, "42804", 5) == 0);
        if (!first_err) first_err = r;
        else PQclear(r);
        if (!retry) break;
    }
    set_error(db, first_err, "prepare", st->sql);
    PQclear(first_err);
    return false;
}

/* A SELECT (what may run twice). */
static bool is_read(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(') sql++;
    return strncasecmp(sql, "SELECT", 6) == 0;
}

/* True when st began outside a transaction, met a lost session before its
 * first row and a new session is open: st may run once more (only_reads:
 * when it may have run, only a SELECT). */
static bool lost_and_back(PgStmt *st, bool only_reads)
{
    return PQstatus(st->db->conn) == CONNECTION_BAD && st->idle_start && st->rows_given == 0 && !st->retrying &&
           (!only_reads || is_read(st->pgsql)) && reconnect(st->db);
}

static int pg_step(Stmt *base);

/* Runs st again from the start, once. */
static int again(Stmt *base)
{
    PgStmt *st = ST(base);
    st->started = false;
    st->prepared = false; /* also when it is not in the cache */
    st->retrying = true;
    int rc = pg_step(base);
    st->retrying = false;
    return rc;
}

static int pg_step(Stmt *base)
{
    PgStmt *st = ST(base);
    PgDb *db = st->db;
    PQclear(st->row);
    st->row = NULL;
    free_blobs(st);
    if (!st->started) {
        drain(db);
        reconnect(db);
        st->idle_start = db->txs == PQTRANS_IDLE;
        st->rows_given = 0;
        st->started = true;
        st->finished = false;
        st->qhead = st->qlen = 0;
        if (!st->prepared && !server_prepare(st)) {
            st->finished = true;
            st->final_rc = DB_ERROR;
            note_txs(db);
            /* Nothing ran: any statement may go again on a new session. */
            return lost_and_back(st, false) ? again(base) : DB_ERROR;
        }
        if (!PQsendQueryPrepared(db->conn, st->name, st->nparams, (const char *const *)st->vals, st->lens, st->fmts, 0)) {
            set_error(db, NULL, "step", st->sql);
            st->finished = true;
            st->final_rc = DB_ERROR;
            return DB_ERROR;
        }
        PQsetSingleRowMode(db->conn);
        db->active = st;
    }
    if (st->qhead < st->qlen) {
        st->row = st->queue[st->qhead++];
        st->rows_given++;
        return DB_ROW;
    }
    if (db->active == st) {
        PGresult *r = PQgetResult(db->conn);
        if (r && PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
            st->row = r;
            st->rows_given++;
            return DB_ROW;
        }
        if (r) finish_run(st, r);
        else {
            st->final_rc = DB_ERROR, st->finished = true, db->active = NULL;
            free(st->errmsg);
            st->errmsg = xstrdup(PQerrorMessage(db->conn));
        }
    }
    /* A read outside a transaction that met a lost session before its first
     * row runs once more on a new one: the first statement after a server
     * restart is then not an error page. Writes are not run again (one may
     * have committed before the answer was lost). */
    if (st->final_rc == DB_ERROR && lost_and_back(st, true)) return again(base);
    if (st->final_rc == DB_ERROR) {
        snprintf(db->sqlstate, sizeof db->sqlstate, "%s", st->sqlstate);
        snprintf(db->err, sizeof db->err, "%s", st->errmsg ? st->errmsg : "");
        one_line(db->err);
        db_log_error("step", st->sqlstate[0] ? st->sqlstate : "?", db->err, st->sql);
        return DB_ERROR;
    }
    db->changes = st->changes;
    db->sqlstate[0] = '\0';
    return DB_DONE;
}

static const char *cell(PgStmt *st, int col)
{
    if (!st->row || col < 0 || col >= PQnfields(st->row)) return NULL;
    if (PQgetisnull(st->row, 0, col)) return NULL;
    return PQgetvalue(st->row, 0, col);
}

static bool is_bool(PgStmt *st, int col) { return PQftype(st->row, col) == OID_BOOL; }

static int64_t pg_col_int(Stmt *base, int col)
{
    PgStmt *st = ST(base);
    const char *v = cell(st, col);
    if (!v) return 0;
    if (is_bool(st, col)) return v[0] == 't';
    char *end;
    long long i = strtoll(v, &end, 10);
    if (*end == '.' || *end == 'e' || *end == 'E') return (int64_t)strtod(v, NULL);
    return i;
}

static double pg_col_double(Stmt *base, int col)
{
    PgStmt *st = ST(base);
    const char *v = cell(st, col);
    if (!v) return 0;
    if (is_bool(st, col)) return v[0] == 't';
    return strtod(v, NULL);
}

static const char *pg_col_text(Stmt *base, int col)
{
    PgStmt *st = ST(base);
    const char *v = cell(st, col);
    if (!v) return "";
    if (is_bool(st, col)) return v[0] == 't' ? "1" : "0";
    return v;
}

static bool pg_col_null(Stmt *base, int col) { return cell(ST(base), col) == NULL; }

static const unsigned char *blob_of(PgStmt *st, int col, size_t *len)
{
    *len = 0;
    const char *v = cell(st, col);
    if (!v) return NULL;
    if (PQftype(st->row, col) != OID_BYTEA) {
        *len = (size_t)PQgetlength(st->row, 0, col);
        return (const unsigned char *)v;
    }
    int n = PQnfields(st->row);
    if (st->nblobs < n) {
        st->blobs = xrealloc(st->blobs, (size_t)n * sizeof *st->blobs);
        st->bloblens = xrealloc(st->bloblens, (size_t)n * sizeof *st->bloblens);
        for (int i = st->nblobs; i < n; i++) st->blobs[i] = NULL;
        st->nblobs = n;
    }
    if (!st->blobs[col]) st->blobs[col] = PQunescapeBytea((const unsigned char *)v, &st->bloblens[col]);
    *len = st->blobs[col] ? st->bloblens[col] : 0;
    return st->blobs[col];
}

static int pg_col_bytes(Stmt *base, int col)
{
    PgStmt *st = ST(base);
    if (st->row && col >= 0 && col < PQnfields(st->row) && is_bool(st, col)) return cell(st, col) ? 1 : 0;
    size_t n;
    blob_of(st, col, &n);
    return (int)n;
}

static const void *pg_col_blob(Stmt *base, int col)
{
    size_t n;
    return blob_of(ST(base), col, &n);
}

static void pg_done(Stmt *base)
{
    PgStmt *st = ST(base);
    reset_run(st);
    free_binds(st);
    if (st->cached) {
        st->busy = false;
    } else {
        stmt_free(st);
        free(st);
    }
}

static int pg_changes(Db *db) { return DB(db)->changes; }

static int pg_exec_script(Db *base, const char *sql)
{
    PgDb *db = DB(base);
    drain(db);
    reconnect(db);
    PGresult *r = PQexec(db->conn, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = 0;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
        set_error(db, r, "exec", sql);
        rc = -1;
    } else {
        db->sqlstate[0] = '\0';
    }
    PQclear(r);
    note_txs(db);
    return rc;
}

/* After COMMIT or ROLLBACK: a transaction whose session was lost is over too. */
static void tx_over(PgDb *db) { db->txs = PQstatus(db->conn) == CONNECTION_OK ? PQtransactionStatus(db->conn) : PQTRANS_IDLE; }

static bool pg_in_tx(Db *base)
{
    PgDb *db = DB(base);
    return db->txs == PQTRANS_INTRANS || db->txs == PQTRANS_INERROR;
}

static int pg_begin(Db *base)
{
    if (pg_in_tx(base)) return -1; /* nested: refused, as on SQLite */
    return pg_exec_script(base, "BEGIN");
}

/* A failed COMMIT (or one of a transaction an error aborted, which the
 * server turns into a ROLLBACK) returns -1 and leaves no transaction open. */
static int pg_commit(Db *base)
{
    PgDb *db = DB(base);
    drain(db);
    bool aborted = PQtransactionStatus(db->conn) == PQTRANS_INERROR;
    PGresult *r = PQexec(db->conn, "COMMIT");
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK && !aborted && strcmp(PQcmdStatus(r), "COMMIT") == 0 ? 0 : -1;
    if (rc != 0 && PQresultStatus(r) != PGRES_COMMAND_OK) set_error(db, r, "commit", "COMMIT");
    PQclear(r);
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE) run_simple(db, "ROLLBACK");
    tx_over(db);
    return rc;
}

static void pg_rollback(Db *base)
{
    PgDb *db = DB(base);
    drain(db);
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE) run_simple(db, "ROLLBACK");
    tx_over(db);
}

static bool pg_integrity_ok(Db *base)
{
    PgDb *db = DB(base);
    drain(db);
    PGresult *r = PQexec(db->conn, "SELECT 1");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    return ok;
}

static int pg_backup(Db *db, const char *path)
{
    (void)db;
    (void)path;
    return DB_COPY_UNSUPPORTED;
}

static void pg_close(Db *base)
{
    PgDb *db = DB(base);
    drain(db);
    for (size_t i = 0; i < db->ncache; i++) {
        db->cache[i].prepared = false; /* the session's end deallocates them */
        stmt_free(&db->cache[i]);
    }
    PQfinish(db->conn);
    free(db);
}

static const DbOps pg_ops = {
    .dialect = DB_POSTGRESQL,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .constraint_error = pg_constraint_error,
    .prepare = pg_prepare,
    .cache_stats = pg_cache_stats,
    .param_count = pg_param_count,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .bind_double = pg_bind_double,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_null = pg_col_null,
    .col_bytes = pg_col_bytes,
    .col_blob = pg_col_blob,
    .done = pg_done,
    .changes = pg_changes,
    .exec_script = pg_exec_script,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_tx = pg_in_tx,
    .integrity_ok = pg_integrity_ok,
    .backup = pg_backup,
};
