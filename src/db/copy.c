/* copy.c - `jinzai copy` between backends; see copy.h.
 *
 * The table list, the columns and their types and the foreign keys come from
 * the target's catalog after migrating it (sqlite_master's pragmas or
 * PostgreSQL's information_schema and pg_constraint), so a new migration
 * needs nothing here. Table and column names go into the SQL text as quoted
 * identifiers read from that catalog; every value is bound. */
#include "copy.h"

#include <stdlib.h>
#include <string.h>

#include "migrate.h"

/* Tables that the migrations themselves fill (a new database holds these
 * rows): the target's are replaced by the source's. */
static const char *const seeded[] = {"data_version"};

/* What one backend's schema defines for itself, rebuilt from the copied rows
 * (PostgreSQL's trigram index on case_study.search_text is an index: it
 * follows the rows by itself). */
static const struct {
    DbDialect dialect;
    const char *table, *what, *sql;
} rebuilt[] = {
    {DB_SQLITE, "case_fts", "full-text index of case_study",
     "INSERT INTO case_fts (rowid, search_text) SELECT id, search_text FROM case_study"},
};

enum { K_INT, K_REAL, K_TEXT, K_BLOB };

typedef struct Table {
    char *name;
    int ncols;
    char **cols;
    int *kinds;
    bool has_id; /* an integer column `id` (the key the checks sum) */
    int nparents;
    char **parents;
    bool placed;
    int64_t rows;
} Table;

typedef struct Tables {
    Table *t;
    int n;
} Tables;

static void tables_free(Tables *ts)
{
    for (int i = 0; i < ts->n; i++) {
        Table *t = &ts->t[i];
        for (int c = 0; c < t->ncols; c++) free(t->cols[c]);
        for (int p = 0; p < t->nparents; p++) free(t->parents[p]);
        free(t->cols);
        free(t->kinds);
        free(t->parents);
        free(t->name);
    }
    free(ts->t);
    ts->t = NULL;
    ts->n = 0;
}

/* "name" with any " doubled. */
static void put_ident(Buf *b, const char *name)
{
    buf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}

static bool is_seeded(const char *name)
{
    for (size_t i = 0; i < sizeof seeded / sizeof seeded[0]; i++)
        if (strcmp(seeded[i], name) == 0) return true;
    return false;
}

static int kind_of(DbDialect d, const char *type)
{
    char up[64];
    size_t n = 0;
    for (; type[n] && n + 1 < sizeof up; n++) up[n] = (char)(type[n] >= 'a' && type[n] <= 'z' ? type[n] - 32 : type[n]);
    up[n] = '\0';
    if (d == DB_POSTGRESQL) {
        if (strcmp(up, "BIGINT") == 0 || strcmp(up, "INTEGER") == 0 || strcmp(up, "SMALLINT") == 0) return K_INT;
        if (strcmp(up, "DOUBLE PRECISION") == 0 || strcmp(up, "REAL") == 0 || strcmp(up, "NUMERIC") == 0) return K_REAL;
        if (strcmp(up, "BYTEA") == 0) return K_BLOB;
        return K_TEXT;
    }
    if (strstr(up, "INT")) return K_INT;
    if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB")) return K_REAL;
    if (strstr(up, "BLOB") || strstr(up, "BYTEA")) return K_BLOB;
    return K_TEXT;
}

/* The ordinary tables of db (not schema_version, not SQLite's virtual
 * tables and their shadow tables), with columns and foreign keys. */
static int load_tables(Db *db, Tables *ts)
{
    DbDialect d = db_dialect(db);
    Stmt *st = d == DB_POSTGRESQL
                   ? db_query(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                                  " AND table_type = 'BASE TABLE' ORDER BY table_name")
                   : db_query(db, "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
                                  " AND name NOT LIKE 'sqlite_%' ORDER BY name");
    int cap = 0, rc = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *name = db_col_text(st, 0);
        if (strcmp(name, "schema_version") == 0) continue;
        if (ts->n == cap) {
            cap = cap ? cap * 2 : 64;
            ts->t = xrealloc(ts->t, (size_t)cap * sizeof *ts->t);
        }
        ts->t[ts->n++] = (Table){.name = xstrdup(name)};
    }
    db_done(st);
    if (rc != DB_DONE) return -1;
    for (int i = 0; i < ts->n; i++) {
        Table *t = &ts->t[i];
        st = d == DB_POSTGRESQL ? db_query(db, "SELECT column_name, data_type FROM information_schema.columns"
                                               " WHERE table_schema = current_schema() AND table_name = ?"
                                               " ORDER BY ordinal_position", t->name)
                                : db_query(db, "SELECT name, type FROM pragma_table_info(?) ORDER BY cid", t->name);
        int ccap = 0;
        while ((rc = db_step(st)) == DB_ROW) {
            if (t->ncols == ccap) {
                ccap = ccap ? ccap * 2 : 16;
                t->cols = xrealloc(t->cols, (size_t)ccap * sizeof *t->cols);
                t->kinds = xrealloc(t->kinds, (size_t)ccap * sizeof *t->kinds);
            }
            t->cols[t->ncols] = xstrdup(db_col_text(st, 0));
            t->kinds[t->ncols] = kind_of(d, db_col_text(st, 1));
            if (strcmp(t->cols[t->ncols], "id") == 0 && t->kinds[t->ncols] == K_INT) t->has_id = true;
            t->ncols++;
        }
        db_done(st);
        if (rc != DB_DONE || t->ncols == 0) return -1;
        st = d == DB_POSTGRESQL ? db_query(db, "SELECT DISTINCT r.relname FROM pg_constraint c"
                                               " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid"
                                               " JOIN pg_namespace n ON n.oid = t.relnamespace"
                                               " WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ?",
                                          t->name)
                                : db_query(db, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", t->name);
        int pcap = 0;
        while ((rc = db_step(st)) == DB_ROW) {
            if (t->nparents == pcap) {
                pcap = pcap ? pcap * 2 : 8;
                t->parents = xrealloc(t->parents, (size_t)pcap * sizeof *t->parents);
            }
            t->parents[t->nparents++] = xstrdup(db_col_text(st, 0));
        }
        db_done(st);
        if (rc != DB_DONE) return -1;
    }
    return 0;
}

/* ts in an order where each table comes after the tables it references (a
 * table's references to itself are met by copying in id order; SQLite
 * checks the keys at the commit anyway). A cycle, which the schema does not
 * have, would keep its tables in name order at the end. */
static void order_by_keys(Tables *ts)
{
    Table *out = xmalloc((size_t)(ts->n ? ts->n : 1) * sizeof *out);
    int n = 0;
    for (bool progress = true; progress;) {
        progress = false;
        for (int i = 0; i < ts->n; i++) {
            Table *t = &ts->t[i];
            if (t->placed) continue;
            bool ready = true;
            for (int p = 0; p < t->nparents && ready; p++) {
                if (strcmp(t->parents[p], t->name) == 0) continue;
                for (int j = 0; j < ts->n; j++)
                    if (!ts->t[j].placed && strcmp(ts->t[j].name, t->parents[p]) == 0) ready = false;
            }
            if (!ready) continue;
            t->placed = true;
            out[n++] = *t;
            progress = true;
        }
    }
    for (int i = 0; i < ts->n; i++)
        if (!ts->t[i].placed) out[n++] = ts->t[i];
    free(ts->t);
    ts->t = out;
}

/* Rows of one table: -1 on error. */
static int64_t count_rows(Db *db, const Table *t)
{
    Buf b = BUF_INIT;
    buf_puts(&b, "SELECT COUNT(*) FROM ");
    put_ident(&b, t->name);
    int64_t n = db_int(db, -1, buf_cstr(&b));
    buf_free(&b);
    return n;
}

/* The check of one table: count, sum and max of id, total length of the
 * text and blob columns. false on error. */
static bool check_of(Db *db, const Table *t, int64_t v[4])
{
    Buf b = BUF_INIT;
    buf_puts(&b, "SELECT COUNT(*), ");
    if (t->has_id) buf_puts(&b, "COALESCE(SUM(id), 0), COALESCE(MAX(id), 0), ");
    else buf_puts(&b, "0, 0, ");
    buf_puts(&b, "COALESCE(SUM(0");
    for (int c = 0; c < t->ncols; c++) {
        if (t->kinds[c] != K_TEXT && t->kinds[c] != K_BLOB) continue;
        buf_puts(&b, " + COALESCE(LENGTH(");
        put_ident(&b, t->cols[c]);
        buf_puts(&b, "), 0)");
    }
    buf_puts(&b, "), 0) FROM ");
    put_ident(&b, t->name);
    Stmt *st = db_query(db, buf_cstr(&b));
    bool ok = db_step(st) == DB_ROW;
    for (int i = 0; i < 4; i++) v[i] = ok ? db_col_int(st, i) : 0;
    db_done(st);
    buf_free(&b);
    return ok;
}

/* INSERT INTO t (cols) VALUES (?, …), … for rows rows. */
static void insert_sql(Buf *b, const Table *t, int rows)
{
    buf_puts(b, "INSERT INTO ");
    put_ident(b, t->name);
    buf_puts(b, " (");
    for (int c = 0; c < t->ncols; c++) {
        if (c) buf_puts(b, ", ");
        put_ident(b, t->cols[c]);
    }
    buf_puts(b, ") VALUES ");
    for (int r = 0; r < rows; r++) {
        buf_puts(b, r ? ", (" : "(");
        for (int c = 0; c < t->ncols; c++) buf_puts(b, c ? ", ?" : "?");
        buf_puts(b, ")");
    }
}

/* One value read from the source, kept until its batch is written. */
typedef struct Val {
    int kind; /* K_*, or -1 for NULL */
    int64_t i;
    double f;
    const void *p;
    size_t n;
} Val;

/* Writes rows buffered rows with one INSERT (its text built once per size). */
static bool write_batch(Db *dst, const Table *t, Buf *sql, int *sql_rows, const Val *v, int rows)
{
    if (*sql_rows != rows) {
        buf_free(sql);
        insert_sql(sql, t, rows);
        *sql_rows = rows;
    }
    Stmt *wr = db_prepare(dst, buf_cstr(sql));
    for (int k = 0; k < rows * t->ncols; k++) {
        const Val *x = &v[k];
        if (x->kind < 0) db_bind_null(wr, k + 1);
        else if (x->kind == K_INT) db_bind_int(wr, k + 1, x->i);
        else if (x->kind == K_REAL) db_bind_double(wr, k + 1, x->f);
        else if (x->kind == K_BLOB) db_bind_blob(wr, k + 1, x->p, x->n);
        else db_bind_text(wr, k + 1, x->p);
    }
    int w = db_step(wr);
    db_done(wr);
    return w == DB_DONE;
}

/* Streams the rows of t from src into dst, many rows to an INSERT (one round
 * trip each on PostgreSQL, where a row at a time made copying 30,000 staff
 * take minutes): the number copied, or -1. Under both backends' limits on
 * bound values (SQLite 32766, PostgreSQL 65535). */
static int64_t copy_table(Db *src, Db *dst, const Table *t)
{
    enum { MAX_ROWS = 256, MAX_VALUES = 30000 };
    int batch = MAX_VALUES / (t->ncols ? t->ncols : 1);
    if (batch > MAX_ROWS) batch = MAX_ROWS;
    if (batch < 1) batch = 1;
    Buf sel = BUF_INIT, sql = BUF_INIT;
    buf_puts(&sel, "SELECT ");
    for (int c = 0; c < t->ncols; c++) {
        if (c) buf_puts(&sel, ", ");
        put_ident(&sel, t->cols[c]);
    }
    buf_puts(&sel, " FROM ");
    put_ident(&sel, t->name);
    if (t->has_id) buf_puts(&sel, " ORDER BY id");
    Val *vals = xmalloc(sizeof *vals * (size_t)batch * (size_t)(t->ncols ? t->ncols : 1));
    Arena held = ARENA_INIT; /* the batch's text and blobs */
    int sql_rows = 0, rows = 0;
    Stmt *rd = db_query(src, buf_cstr(&sel));
    int64_t n = 0;
    int rc = DB_DONE;
    bool ok = true;
    while (ok && (rc = db_step(rd)) == DB_ROW) {
        for (int c = 0; c < t->ncols; c++) {
            Val *x = &vals[rows * t->ncols + c];
            *x = (Val){.kind = db_col_null(rd, c) ? -1 : t->kinds[c]};
            if (x->kind == K_INT) x->i = db_col_int(rd, c);
            else if (x->kind == K_REAL) x->f = db_col_double(rd, c);
            else if (x->kind == K_BLOB) {
                x->n = (size_t)db_col_bytes(rd, c);
                x->p = x->n ? memcpy(arena_alloc(&held, x->n), db_col_blob(rd, c), x->n) : "";
            } else if (x->kind == K_TEXT) x->p = arena_strdup(&held, db_col_text(rd, c));
        }
        if (++rows < batch) continue;
        ok = write_batch(dst, t, &sql, &sql_rows, vals, rows);
        if (ok) n += rows, rows = 0;
        arena_free(&held);
    }
    if (ok && rows) {
        ok = write_batch(dst, t, &sql, &sql_rows, vals, rows);
        if (ok) n += rows, rows = 0;
    }
    if (!ok) {
        fprintf(stderr, "jinzai: copy: rows %lld to %lld of %s were refused by the target: %s\n", (long long)n + 1,
                (long long)(n + rows), t->name, db_errmsg(dst));
        n = -1;
    } else if (rc != DB_DONE) {
        fprintf(stderr, "jinzai: copy: reading %s from the source failed: %s\n", t->name, db_errmsg(src));
        n = -1;
    }
    db_done(rd);
    arena_free(&held);
    free(vals);
    buf_free(&sel);
    buf_free(&sql);
    return n;
}

/* PostgreSQL: the identity sequence of t's id to continue after its rows. */
static bool move_sequence(Db *dst, const Table *t)
{
    if (db_dialect(dst) != DB_POSTGRESQL || !t->has_id) return true;
    if (!db_exists(dst, "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                        " AND table_name = ? AND column_name = 'id' AND is_identity = 'YES'", t->name))
        return true;
    Buf b = BUF_INIT;
    buf_puts(&b, "SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM ");
    put_ident(&b, t->name);
    buf_puts(&b, "), false)");
    Buf q = BUF_INIT; /* pg_get_serial_sequence reads its argument as a (quoted) name */
    put_ident(&q, t->name);
    bool ok = db_int(dst, -1, buf_cstr(&b), buf_cstr(&q)) > 0;
    buf_free(&b);
    buf_free(&q);
    return ok;
}

static const char *backend_name(Db *db) { return db_dialect(db) == DB_POSTGRESQL ? "PostgreSQL" : "SQLite"; }

/* A transaction on src that sees one snapshot and writes nothing. */
static int begin_snapshot(Db *src)
{
    return db_exec_script(src, db_dialect(src) == DB_POSTGRESQL ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                                                                 : "BEGIN");
}

static int fail(Db *src, Db *dst, Tables *ts, const char *msg)
{
    if (msg) fprintf(stderr, "jinzai: copy: %s\n", msg);
    if (dst && db_in_tx(dst)) db_rollback(dst);
    if (src && db_in_tx(src)) db_rollback(src);
    tables_free(ts);
    return -1;
}

int db_copy(Db *src, Db *dst, FILE *out)
{
    Tables ts = {0};
    int latest = migrate_latest(), sv = migrate_current(src);
    if (sv != latest) {
        fprintf(stderr,
                "jinzai: copy: コピー元のスキーマは版 %d で、このプログラムの版 %d と違います。"
                "コピー元を同じ版のプログラムで開いて（jinzai init --db コピー元）から、もう一度実行してください。\n",
                sv, latest);
        return -1;
    }
    /* The target holds no data: nothing besides what migrating wrote. */
    if (migrate_current(dst) > 0) {
        if (load_tables(dst, &ts) != 0) return fail(NULL, NULL, &ts, "コピー先の表を読めません。");
        for (int i = 0; i < ts.n; i++) {
            if (is_seeded(ts.t[i].name)) continue;
            int64_t n = count_rows(dst, &ts.t[i]);
            if (n != 0) {
                fprintf(stderr,
                        "jinzai: copy: コピー先には既にデータがあります（表 %s に %lld 行）。"
                        "空のデータベースを指定してください。何も書き込んでいません。\n",
                        ts.t[i].name, (long long)n);
                return fail(NULL, NULL, &ts, NULL);
            }
        }
        tables_free(&ts);
    }
    if (migrate(dst) != latest) return fail(NULL, NULL, &ts, "コピー先を最新のスキーマにできませんでした。");
    if (load_tables(dst, &ts) != 0) return fail(NULL, NULL, &ts, "コピー先の表を読めません。");
    order_by_keys(&ts);

    if (begin_snapshot(src) != 0) return fail(src, NULL, &ts, "コピー元を読めません。");
    if (db_begin(dst) != 0) return fail(src, dst, &ts, "コピー先の書き込みを始められません。");
    /* SQLite checks the foreign keys at the commit (a table that refers to
     * itself need not come parent first); PostgreSQL after each row. */
    if (db_dialect(dst) == DB_SQLITE && db_exec_script(dst, "PRAGMA defer_foreign_keys = ON") != 0)
        return fail(src, dst, &ts, "コピー先の設定に失敗しました。");
    fprintf(out, "copy: %s -> %s, schema version %d, %d tables\n", backend_name(src), backend_name(dst), latest, ts.n);
    int64_t total = 0;
    for (int i = 0; i < ts.n; i++) {
        Table *t = &ts.t[i];
        if (is_seeded(t->name)) {
            Buf b = BUF_INIT;
            buf_puts(&b, "DELETE FROM ");
            put_ident(&b, t->name);
            int rc = db_exec(dst, buf_cstr(&b));
            buf_free(&b);
            if (rc < 0) return fail(src, dst, &ts, "コピー先の初期行を消せません。");
        }
        t->rows = copy_table(src, dst, t);
        if (t->rows < 0) return fail(src, dst, &ts, "コピーを取り消しました。コピー先には何も書き込んでいません。");
        if (!move_sequence(dst, t)) return fail(src, dst, &ts, "コピー先の採番を進められません。");
        total += t->rows;
    }
    for (size_t r = 0; r < sizeof rebuilt / sizeof rebuilt[0]; r++) {
        if (rebuilt[r].dialect != db_dialect(dst)) continue;
        if (db_exec_script(dst, rebuilt[r].sql) != 0) return fail(src, dst, &ts, "索引の作り直しに失敗しました。");
        fprintf(out, "  rebuilt %s (%s)\n", rebuilt[r].table, rebuilt[r].what);
    }
    /* Counts and checks, source against target, before anything is committed. */
    fprintf(out, "  %-36s %10s %10s  %s\n", "table", "source", "target", "check");
    int bad = 0;
    for (int i = 0; i < ts.n; i++) {
        Table *t = &ts.t[i];
        int64_t a[4], b[4];
        if (!check_of(src, t, a) || !check_of(dst, t, b)) return fail(src, dst, &ts, "照合の問い合わせに失敗しました。");
        bool same = memcmp(a, b, sizeof a) == 0;
        bad += !same;
        fprintf(out, "  %-36s %10lld %10lld  %s\n", t->name, (long long)a[0], (long long)b[0], same ? "ok" : "DIFFERENT");
    }
    if (bad) {
        fprintf(stderr, "jinzai: copy: %d 個の表で件数または照合値が一致しません。コピーを取り消しました。\n", bad);
        return fail(src, dst, &ts, NULL);
    }
    if (db_commit(dst) != 0) return fail(src, dst, &ts, "コピー先への確定（COMMIT）に失敗しました。");
    db_rollback(src);
    fprintf(out, "copied %lld rows in %d tables; counts and checks agree\n", (long long)total, ts.n);
    tables_free(&ts);
    return 0;
}
