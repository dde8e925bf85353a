/* auditarchive.c - see auditarchive.h. */
#include "auditarchive.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/util.h"
#include "settings.h"
#include "../db/tx.h"

const char *audit_archive_dir = ".";

#define HEADER "id,at,last_at,repeats,kind,account_id,actor,ip,action,entity,entity_id,subject_staff_id,summary\n"
#define FOOTER "#rows="

static void csv_text(Buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; s && *s; s++) {
        if (*s == '"') buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

static void csv_int(Buf *b, Stmt *st, int col)
{
    if (!db_col_null(st, col)) buf_printf(b, "%lld", (long long)db_col_int(st, col));
}

/* Writes the 年度's rows to fd; *rows and hex receive what was written. */
static int write_file(Db *db, int fd, const char *from, const char *to, int64_t *rows, char hex[65])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    Buf b = BUF_INIT;
    buf_puts(&b, HEADER);
    Stmt *st = db_query(db, "SELECT id, at, last_at, repeats, kind, account_id, actor, ip, action, entity, entity_id,"
                            " subject_staff_id, summary FROM audit_log WHERE at >= ? AND at < ? ORDER BY id", from, to);
    int64_t n = 0;
    int rc = 0;
    while (rc == 0 && db_step(st) == DB_ROW) {
        csv_int(&b, st, 0);
        for (int c = 1; c <= 12; c++) {
            buf_putc(&b, ',');
            if (c == 3 || c == 5 || c == 10 || c == 11) csv_int(&b, st, c);
            else if (!db_col_null(st, c)) csv_text(&b, db_col_text(st, c));
        }
        buf_putc(&b, '\n');
        n++;
        if (b.len >= 65536) {
            crypto_hash_sha256_update(&h, (const unsigned char *)b.data, b.len);
            if (write(fd, b.data, b.len) != (ssize_t)b.len) rc = -1;
            buf_reset(&b);
        }
    }
    db_done(st);
    if (b.len) {
        crypto_hash_sha256_update(&h, (const unsigned char *)b.data, b.len);
        if (write(fd, b.data, b.len) != (ssize_t)b.len) rc = -1;
    }
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, sum);
    sodium_bin2hex(hex, 65, sum, sizeof sum);
    buf_reset(&b);
    buf_printf(&b, FOOTER "%lld,sha256=%s\n", (long long)n, hex);
    if (rc == 0 && write(fd, b.data, b.len) != (ssize_t)b.len) rc = -1;
    buf_free(&b);
    *rows = n;
    return rc;
}

int audit_archive_verify(const char *path, int64_t *rows, char sha256[65], Errors *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_addf(e, "", "ファイル「%s」を開けません：%s", path, strerror(errno));
        return -1;
    }
    Buf b = BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, k);
    bool read_ok = !ferror(f);
    fclose(f);
    int rc = -1;
    /* The last line: "#rows=N,sha256=HEX\n". */
    size_t end = b.len;
    if (end && b.data[end - 1] == '\n') end--;
    size_t start = end;
    while (start > 0 && b.data[start - 1] != '\n') start--;
    long long want_rows = -1;
    char want_hex[65] = "";
    if (!read_ok) err_addf(e, "", "ファイル「%s」を読めません。", path);
    else if (end - start < 80 || memcmp(b.data + start, FOOTER, strlen(FOOTER)) != 0 ||
             sscanf(b.data + start, FOOTER "%lld,sha256=%64[0-9a-f]", &want_rows, want_hex) != 2 || strlen(want_hex) != 64)
        err_addf(e, "", "ファイル「%s」は監査ログの保存ファイルではないか、末尾が欠けています。", path);
    else {
        unsigned char sum[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(sum, (const unsigned char *)b.data, start);
        sodium_bin2hex(sha256, 65, sum, sizeof sum);
        /* Records: newlines outside quoted fields, less the header. */
        int64_t lines = 0;
        bool quoted = false;
        for (size_t i = 0; i < start; i++) {
            if (b.data[i] == '"') quoted = !quoted;
            else if (b.data[i] == '\n' && !quoted) lines++;
        }
        *rows = lines - 1;
        if (start < strlen(HEADER) || memcmp(b.data, HEADER, strlen(HEADER)) != 0)
            err_addf(e, "", "ファイル「%s」の見出し行が監査ログの保存ファイルのものではありません。", path);
        else if (strcmp(sha256, want_hex) != 0)
            err_addf(e, "", "ファイル「%s」の内容が記録されたSHA-256と一致しません（改変または破損）。", path);
        else if (*rows != want_rows)
            err_addf(e, "", "ファイル「%s」の件数（%lld件）が記録された件数（%lld件）と一致しません。", path, (long long)*rows, want_rows);
        else rc = 0;
    }
    buf_free(&b);
    return rc;
}

int audit_archive(Db *db, const Actor *who, int nendo, const char *path, AuditArchive *out, Errors *e)
{
    char today[11], next[24];
    now_date(today);
    snprintf(next, sizeof next, "%04d-04-01", nendo + 1);
    int current = settings_nendo(db);
    if (nendo >= current || strcmp(today, next) < 0) {
        err_addf(e, "year", "%d年度はまだ終わっていないため保存できません。%d年度より前の、終わった年度を指定してください。", nendo, current);
        return -1;
    }
    if (db_exists(db, "SELECT 1 FROM audit_archive WHERE nendo = ?", nendo)) {
        err_addf(e, "year", "%d年度の監査ログはすでにファイルに保存し、データベースから削除しています。", nendo);
        return -1;
    }
    if (!path || !*path) {
        err_add(e, "out", "保存先のファイル名を指定してください。");
        return -1;
    }
    char from[24];
    snprintf(from, sizeof from, "%04d-04-01", nendo);
    if (tx_begin(db, e) != 0) return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        err_addf(e, "out", "ファイル「%s」を作成できません（%s）。何も削除していません。", path, strerror(errno));
        return tx_end(db, e, false);
    }
    int64_t rows = 0;
    char hex[65];
    bool ok = write_file(db, fd, from, next, &rows, hex) == 0;
    ok = fsync(fd) == 0 && ok;
    ok = close(fd) == 0 && ok;
    if (!ok) err_addf(e, "out", "ファイル「%s」に書き込めませんでした。何も削除していません。", path);
    /* Read back what reached the file before anything leaves the database. */
    int64_t got_rows = -1;
    char got_hex[65] = "";
    if (ok && (audit_archive_verify(path, &got_rows, got_hex, e) != 0 || got_rows != rows || strcmp(got_hex, hex) != 0)) {
        if (!err_any(e)) err_addf(e, "out", "書き込んだファイル「%s」を読み直した結果が一致しません。何も削除していません。", path);
        ok = false;
    }
    char now[32];
    now_iso(now);
    int64_t id = 0;
    if (ok) {
        Stmt *st = db_query(db, "INSERT INTO audit_archive (nendo, from_at, to_at, file, row_count, sha256, archived_at, account_id, actor)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            nendo, from, next, path, rows, hex, now, DB_ID_OR_NULL(who->account_id), who->name);
        if (st && db_step(st) == DB_ROW) id = db_col_int(st, 0);
        db_done(st);
        ok = id > 0;
    }
    ok = ok && db_exec(db, "DELETE FROM audit_log WHERE at >= ? AND at < ?", from, next) == rows;
    if (ok) {
        char summary[160];
        snprintf(summary, sizeof summary, "%d年度 %lld件をファイルに保存 sha256=%s", nendo, (long long)rows, hex);
        ok = audit_write(db, who, "audit.archive", "audit_archive", id, 0, summary) == 0;
    }
    if (tx_end(db, e, ok) != 0) {
        unlink(path);
        return -1;
    }
    if (out) *out = (AuditArchive){.id = id, .rows = rows, .nendo = nendo, .file = path, .sha256 = NULL};
    return 0;
}

int audit_archive_list(Db *db, Arena *a, AuditArchive **out)
{
    int64_t n = db_int(db, 0, "SELECT COUNT(*) FROM audit_archive");
    AuditArchive *v = arena_zalloc(a, sizeof *v * (size_t)(n + 1));
    Stmt *st = db_query(db, "SELECT id, nendo, file, row_count, sha256, archived_at, actor FROM audit_archive ORDER BY nendo DESC");
    int k = 0;
    while (k < n && db_step(st) == DB_ROW) {
        AuditArchive *x = &v[k++];
        x->id = db_col_int(st, 0);
        x->nendo = (int)db_col_int(st, 1);
        x->file = db_col_dup(st, 2, a);
        x->rows = db_col_int(st, 3);
        x->sha256 = db_col_dup(st, 4, a);
        x->archived_at = db_col_dup(st, 5, a);
        x->actor = db_col_dup(st, 6, a);
    }
    db_done(st);
    *out = v;
    return k;
}
