/* db_sqlite.c - the SQLite backend of db.h. */
#include "db_impl.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Prepared statements kept per connection, keyed by the SQL text's address
 * (the literals at the call sites). When full, the least recently used idle
 * statement makes room: a page that runs many statements then still finds
 * its own, instead of preparing each again. */
#define STMT_CACHE 256

typedef struct SqlDb SqlDb;
typedef struct SqlStmt {
    Stmt base;
    SqlDb *db;
    sqlite3_stmt *st;
    const char *sql;
    bool cached, busy;
    uint64_t used; /* db->tick at the last use */
} SqlStmt;

struct SqlDb {
    Db base;
    sqlite3 *h;
    int last_rc;
    int writer;   /* index of the file's writer lock (see db_begin) */
    bool writing; /* this connection holds it */
    struct DbCheckpointer *ck; /* the checkpointer it leaves its log to, or NULL */
    SqlStmt cache[STMT_CACHE];
    size_t ncache;
    uint64_t tick, hits, misses;
};

/* Writers of one process queue on a mutex per database file before BEGIN
 * IMMEDIATE instead of in SQLite's busy handler, which sleeps and retries
 * (1, 2, 5, 10 … 100 ms): under a burst of writes the sleeps, not the work,
 * made the latency. Other processes (the CLI, a backup) still meet SQLite's
 * own lock and busy timeout. The mutexes are recursive, so a thread that
 * writes two different files at once never waits on itself. */
#define WRITER_LOCKS 16
static pthread_mutex_t writer_locks[WRITER_LOCKS];
static pthread_once_t writer_once = PTHREAD_ONCE_INIT;

static void writer_init(void)
{
    pthread_mutexattr_t at;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
    for (int i = 0; i < WRITER_LOCKS; i++) pthread_mutex_init(&writer_locks[i], &at);
    pthread_mutexattr_destroy(&at);
}

static int writer_of(const char *path)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)(path ? path : ""); *p; p++) h = (h ^ *p) * 16777619u;
    return (int)(h % WRITER_LOCKS);
}

static void writer_release(SqlDb *db)
{
    if (!db->writing) return;
    db->writing = false;
    pthread_mutex_unlock(&writer_locks[db->writer]);
}

static const DbOps sqlite_ops;
static int sq_exec_script(Db *base, const char *sql);
static void sq_close(Db *base);

Db *db_sqlite_open(const char *path)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "jinzai: cannot open %s: %s\n", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_busy_timeout(h, 5000);
    sqlite3_extended_result_codes(h, 1);
    SqlDb *db = xcalloc(1, sizeof *db);
    db->base.ops = &sqlite_ops;
    db->h = h;
    char *full = realpath(path, NULL); /* one lock per file, however it is named */
    db->writer = writer_of(full ? full : path);
    free(full);
    /* Page cache: 8 MiB per connection (SQLite's default is 2 MB), so that a
     * page about one person or one list at 30,000 staff finds most of its
     * pages in memory; the server has one connection per worker thread, so
     * 4 threads hold at most 32 MiB. No memory mapping: the mapped pages of
     * the file would count in the process's RSS (up to the whole file) and
     * measured no faster than reads from the OS cache. Temporary tables and
     * large sorts (an export's ORDER BY over every answer) spill to a file,
     * not to memory. */
    if (sq_exec_script(&db->base, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                                  " PRAGMA cache_size=-8192; PRAGMA mmap_size=0; PRAGMA temp_store=FILE;") != 0) {
        fprintf(stderr, "jinzai: cannot configure %s: %s\n", path, sqlite3_errmsg(h));
        sq_close(&db->base);
        return NULL;
    }
    return &db->base;
}

#define DB(b) ((SqlDb *)(b))
#define ST(b) ((SqlStmt *)(b))

static void checkpointer_leave(SqlDb *db);

static void sq_close(Db *base)
{
    SqlDb *db = DB(base);
    writer_release(db);
    checkpointer_leave(db);
    for (size_t i = 0; i < db->ncache; i++) sqlite3_finalize(db->cache[i].st);
    sqlite3_close(db->h);
    free(db);
}

static const char *sq_errmsg(Db *db) { return sqlite3_errmsg(DB(db)->h); }

static bool sq_constraint_error(Db *db) { return (DB(db)->last_rc & 0xff) == SQLITE_CONSTRAINT; }

static void log_error(SqlDb *db, const char *what, int rc, const char *msg, const char *sql)
{
    char code[96];
    (void)db;
    snprintf(code, sizeof code, "%d (%s)", rc, sqlite3_errstr(rc));
    db_log_error(what, code, msg, sql);
}

static sqlite3_stmt *prepare_raw(SqlDb *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        log_error(db, "prepare", sqlite3_extended_errcode(db->h), sqlite3_errmsg(db->h), sql);
        abort();
    }
    return st;
}

static Stmt *sq_prepare(Db *base, const char *sql)
{
    SqlDb *db = DB(base);
    db->tick++;
    SqlStmt *lru = NULL;
    for (size_t i = 0; i < db->ncache; i++) {
        SqlStmt *s = &db->cache[i];
        if (s->busy) continue;
        if (s->sql == sql && strcmp(sqlite3_sql(s->st), sql) == 0) {
            s->busy = true;
            s->used = db->tick;
            db->hits++;
            return &s->base;
        }
        if (!lru || s->used < lru->used) lru = s;
    }
    db->misses++;
    SqlStmt *s = NULL;
    if (db->ncache < STMT_CACHE) s = &db->cache[db->ncache++];
    else if (lru) sqlite3_finalize(lru->st), s = lru;
    if (s) {
        *s = (SqlStmt){{&sqlite_ops}, db, prepare_raw(db, sql), sql, true, true, db->tick};
        return &s->base;
    }
    /* Every cached statement is in use (deeply nested queries): one-off. */
    s = xmalloc(sizeof *s);
    *s = (SqlStmt){{&sqlite_ops}, db, prepare_raw(db, sql), sql, false, true, db->tick};
    return &s->base;
}

static void sq_cache_stats(Db *base, uint64_t *hits, uint64_t *misses)
{
    *hits = DB(base)->hits;
    *misses = DB(base)->misses;
}

static int sq_param_count(Stmt *st) { return sqlite3_bind_parameter_count(ST(st)->st); }

static void sq_bind_int(Stmt *st, int idx, int64_t v) { sqlite3_bind_int64(ST(st)->st, idx, v); }

static void sq_bind_text(Stmt *st, int idx, const char *s)
{
    if (s) sqlite3_bind_text(ST(st)->st, idx, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(ST(st)->st, idx);
}

static void sq_bind_null(Stmt *st, int idx) { sqlite3_bind_null(ST(st)->st, idx); }

static void sq_bind_double(Stmt *st, int idx, double v) { sqlite3_bind_double(ST(st)->st, idx, v); }

static void sq_bind_blob(Stmt *st, int idx, const void *p, size_t n)
{
    sqlite3_bind_blob64(ST(st)->st, idx, p, n, SQLITE_TRANSIENT);
}

static int sq_step(Stmt *base)
{
    SqlStmt *st = ST(base);
    int rc = sqlite3_step(st->st);
    st->db->last_rc = rc;
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    st->db->last_rc = sqlite3_extended_errcode(st->db->h);
    log_error(st->db, "step", st->db->last_rc, sqlite3_errmsg(st->db->h), st->sql);
    return DB_ERROR;
}

static int64_t sq_col_int(Stmt *st, int col) { return sqlite3_column_int64(ST(st)->st, col); }

static double sq_col_double(Stmt *st, int col) { return sqlite3_column_double(ST(st)->st, col); }

static const char *sq_col_text(Stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(ST(st)->st, col);
    return t ? (const char *)t : "";
}

static bool sq_col_null(Stmt *st, int col) { return sqlite3_column_type(ST(st)->st, col) == SQLITE_NULL; }

static int sq_col_bytes(Stmt *st, int col) { return sqlite3_column_bytes(ST(st)->st, col); }

static const void *sq_col_blob(Stmt *st, int col) { return sqlite3_column_blob(ST(st)->st, col); }

static void sq_done(Stmt *base)
{
    SqlStmt *st = ST(base);
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    if (st->cached) {
        st->busy = false;
    } else {
        sqlite3_finalize(st->st);
        free(st);
    }
}

static int sq_changes(Db *db) { return sqlite3_changes(DB(db)->h); }

static int sq_exec_script(Db *base, const char *sql)
{
    SqlDb *db = DB(base);
    char *err = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &err);
    db->last_rc = rc;
    if (rc != SQLITE_OK) {
        db->last_rc = sqlite3_extended_errcode(db->h);
        log_error(db, "exec", db->last_rc, err ? err : sqlite3_errstr(rc), sql);
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

static int sq_begin(Db *base)
{
    SqlDb *db = DB(base);
    if (db->writing) return -1; /* nested: refused, as SQLite would */
    pthread_once(&writer_once, writer_init);
    pthread_mutex_lock(&writer_locks[db->writer]);
    db->writing = true;
    if (db_exec(base, "BEGIN IMMEDIATE") < 0) {
        writer_release(db);
        return -1;
    }
    return 0;
}

/* A failed COMMIT is rolled back here, so the transaction never stays open. */
static int sq_commit(Db *base)
{
    SqlDb *db = DB(base);
    int rc = db_exec(base, "COMMIT") < 0 ? -1 : 0;
    if (rc != 0 && !sqlite3_get_autocommit(db->h)) db_exec(base, "ROLLBACK");
    writer_release(db);
    return rc;
}

static void sq_rollback(Db *base)
{
    SqlDb *db = DB(base);
    if (!sqlite3_get_autocommit(db->h)) db_exec(base, "ROLLBACK");
    writer_release(db);
}

static bool sq_in_tx(Db *db) { return !sqlite3_get_autocommit(DB(db)->h); }

static bool sq_integrity_ok(Db *db)
{
    Stmt *st = sq_prepare(db, "PRAGMA integrity_check");
    bool ok = sq_step(st) == DB_ROW && strcmp(sq_col_text(st, 0), "ok") == 0;
    sq_done(st);
    return ok;
}

/* fsync of a file (or a directory) by path; 0 on success. */
static int sync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int sync_dir_of(const char *path)
{
    char d[4096];
    snprintf(d, sizeof d, "%s", path);
    return sync_path(dirname(d), true);
}

/* True when the file at path opens as SQLite and passes integrity_check. */
static bool file_integrity_ok(const char *path)
{
    sqlite3 *h = NULL;
    bool ok = false;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK)
            ok = sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0 &&
                 sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return ok;
}

/* Copies every page of src into a new temp file beside `beside` in ONE backup
 * step: the step holds a read transaction on src for its whole length, so the
 * copy is one consistent snapshot and writers on other connections (WAL) go
 * on without making it restart. The copy is left in rollback-journal mode so
 * that it is one self-contained file. Its name goes into tmp. */
static int snapshot_into_temp(sqlite3 *src, const char *beside, char *tmp, size_t n)
{
    if ((size_t)snprintf(tmp, n, "%s.tmp-XXXXXX", beside) >= n) return DB_COPY_WRITE;
    int fd = mkstemp(tmp);
    if (fd < 0) return DB_COPY_WRITE;
    close(fd);
    sqlite3 *dst = NULL;
    int rc = DB_COPY_WRITE;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        if (b) {
            int s, tries = 0;
            while ((s = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || s == SQLITE_LOCKED) {
                if (++tries > 500) break;
                sqlite3_sleep(10);
            }
            int f = sqlite3_backup_finish(b);
            if (s == SQLITE_DONE && f == SQLITE_OK) rc = 0;
            else if ((s & 0xff) == SQLITE_NOTADB || (s & 0xff) == SQLITE_CORRUPT) rc = DB_COPY_SOURCE;
        } else if ((sqlite3_errcode(dst) & 0xff) == SQLITE_NOTADB || (sqlite3_errcode(src) & 0xff) == SQLITE_NOTADB) {
            rc = DB_COPY_SOURCE;
        }
        if (rc == 0 && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) rc = DB_COPY_WRITE;
    }
    if (sqlite3_close(dst) != SQLITE_OK) rc = DB_COPY_WRITE;
    if (rc == 0 && !file_integrity_ok(tmp)) rc = DB_COPY_INTEGRITY;
    if (rc == 0 && sync_path(tmp, false) != 0) rc = DB_COPY_WRITE;
    if (rc != 0) unlink(tmp);
    return rc;
}

static int sq_backup(Db *db, const char *path)
{
    char tmp[4096];
    int rc = snapshot_into_temp(DB(db)->h, path, tmp, sizeof tmp);
    if (rc != 0) return rc;
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return DB_COPY_WRITE;
    }
    sync_dir_of(path);
    return 0;
}

int db_sqlite_stage_copy(const char *src_path, const char *beside, char *tmp, size_t n)
{
    /* immutable=1: no locks, no -wal or -shm, nothing written next to src. */
    char uri[4096 * 3 + 32] = "file:";
    size_t u = 5;
    for (const char *p = src_path; *p && u + 4 < sizeof uri; p++) {
        if (*p == '%' || *p == '?' || *p == '#') u += (size_t)snprintf(uri + u, sizeof uri - u, "%%%02X", (unsigned char)*p);
        else uri[u++] = *p;
    }
    snprintf(uri + u, sizeof uri - u, "?mode=ro&immutable=1");
    sqlite3 *src = NULL;
    int rc = DB_COPY_SOURCE;
    if (access(src_path, R_OK) == 0 &&
        sqlite3_open_v2(uri, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK)
        rc = snapshot_into_temp(src, beside, tmp, n);
    sqlite3_close(src);
    return rc;
}

int db_sqlite_replace(const char *tmp, const char *target)
{
    /* The target's old WAL must not be replayed onto the new file. */
    const char *ext[] = {"-wal", "-shm", "-journal"};
    for (int i = 0; i < 3; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s%s", target, ext[i]);
        if (unlink(p) != 0 && errno != ENOENT) return -1;
    }
    if (rename(tmp, target) != 0) return -1;
    sync_dir_of(target);
    return 0;
}

static const DbOps sqlite_ops = {
    .dialect = DB_SQLITE,
    .close = sq_close,
    .errmsg = sq_errmsg,
    .constraint_error = sq_constraint_error,
    .prepare = sq_prepare,
    .cache_stats = sq_cache_stats,
    .param_count = sq_param_count,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .bind_double = sq_bind_double,
    .bind_blob = sq_bind_blob,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_null = sq_col_null,
    .col_bytes = sq_col_bytes,
    .col_blob = sq_col_blob,
    .done = sq_done,
    .changes = sq_changes,
    .exec_script = sq_exec_script,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_tx = sq_in_tx,
    .integrity_ok = sq_integrity_ok,
    .backup = sq_backup,
};

struct DbCheckpointer {
    Db *db; /* the checkpointer's own connection */
    int pages;
    pthread_t thread;
    int pipe[2];  /* a byte wakes the thread; relative poll timeouts only, so
                   * a moved clock (faketime in the date tests) cannot stall
                   * or spin it */
    _Atomic bool stop;
    _Atomic int users;    /* connections deferring to it (db_defer_checkpoints) */
    pthread_mutex_t lock; /* woke_at, runs */
    int woke_at;          /* the log's size at the last wake-up by a commit */
    uint64_t runs;
};

static void *checkpointer_main(void *arg)
{
    DbCheckpointer *ck = arg;
    while (!ck->stop) {
        struct pollfd p = {.fd = ck->pipe[0], .events = POLLIN};
        if (poll(&p, 1, 1000) > 0) {
            char drain[64];
            while (read(ck->pipe[0], drain, sizeof drain) > 0) {
            }
        }
        if (ck->stop) break;
        db_checkpoint(ck->db, NULL, NULL);
        pthread_mutex_lock(&ck->lock);
        ck->runs++;
        pthread_mutex_unlock(&ck->lock);
    }
    return NULL;
}

static void checkpointer_wake(DbCheckpointer *ck)
{
    ssize_t n = write(ck->pipe[1], "", 1); /* a full pipe is awake already */
    (void)n;
}

DbCheckpointer *db_checkpointer_start(const char *path, int pages)
{
    if (db_name_is_postgresql(path)) return NULL; /* the server checkpoints itself */
    Db *db = db_open(path);
    if (!db) return NULL;
    DbCheckpointer *ck = xcalloc(1, sizeof *ck);
    ck->db = db;
    ck->pages = pages > 0 ? pages : 1000;
    pthread_mutex_init(&ck->lock, NULL);
    if (pipe(ck->pipe) != 0) goto fail;
    for (int i = 0; i < 2; i++) {
        fcntl(ck->pipe[i], F_SETFL, O_NONBLOCK);
        fcntl(ck->pipe[i], F_SETFD, FD_CLOEXEC);
    }
    if (pthread_create(&ck->thread, NULL, checkpointer_main, ck) == 0) return ck;
    close(ck->pipe[0]);
    close(ck->pipe[1]);
fail:
    pthread_mutex_destroy(&ck->lock);
    db_close(db);
    free(ck);
    return NULL;
}

void db_checkpointer_stop(DbCheckpointer *ck)
{
    if (!ck) return;
    /* A deferring connection would call into the freed checkpointer at its
     * next commit: close them, or give them back, first. */
    assert(ck->users == 0);
    ck->stop = true;
    checkpointer_wake(ck);
    pthread_join(ck->thread, NULL);
    db_checkpoint(ck->db, NULL, NULL);
    db_close(ck->db);
    close(ck->pipe[0]);
    close(ck->pipe[1]);
    pthread_mutex_destroy(&ck->lock);
    free(ck);
}

uint64_t db_checkpointer_runs(DbCheckpointer *ck)
{
    pthread_mutex_lock(&ck->lock);
    uint64_t n = ck->runs;
    pthread_mutex_unlock(&ck->lock);
    return n;
}

/* Called by SQLite after each commit of a deferring connection, in place of
 * its automatic checkpoint: only wakes the checkpointer, once each time the
 * log grows by `pages` more (a log that a reader keeps from restarting
 * stays long, and waking on every commit would only repeat checkpoints). */
static int wal_grown(void *arg, sqlite3 *h, const char *name, int pages)
{
    (void)h;
    (void)name;
    DbCheckpointer *ck = arg;
    if (pages < ck->pages) return SQLITE_OK;
    pthread_mutex_lock(&ck->lock);
    bool wake = pages < ck->woke_at || pages >= ck->woke_at + ck->pages;
    if (wake) ck->woke_at = pages;
    pthread_mutex_unlock(&ck->lock);
    if (wake) checkpointer_wake(ck);
    return SQLITE_OK;
}

static void checkpointer_leave(SqlDb *db)
{
    if (db->ck) db->ck->users--;
    db->ck = NULL;
}

void db_defer_checkpoints(Db *db, DbCheckpointer *ck)
{
    if (db->ops != &sqlite_ops) return;
    SqlDb *s = (SqlDb *)db;
    checkpointer_leave(s);
    if (ck) {
        sqlite3_wal_hook(s->h, wal_grown, ck);
        ck->users++;
        s->ck = ck;
    } else {
        sqlite3_wal_autocheckpoint(s->h, 1000); /* SQLite's own hook again */
    }
}

int db_checkpoint(Db *db, int *log, int *copied)
{
    int l = 0, c = 0;
    int rc = db->ops == &sqlite_ops ? sqlite3_wal_checkpoint_v2(((SqlDb *)db)->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &l, &c) : SQLITE_OK;
    if (log) *log = l;
    if (copied) *copied = c;
    return rc == SQLITE_OK || rc == SQLITE_BUSY ? 0 : -1;
}
