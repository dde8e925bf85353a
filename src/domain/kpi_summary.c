/* kpi_summary.c - see kpi_summary.h. The summary is a cache of values that
 * can be recomputed from the data at any time, not a record: storing it
 * writes no audit row and does not bump the data version. */
#include "kpi_summary.h"

int kpi_summary_read(Db *db, Arena *a, int nendo, const char *as_of, int64_t version, KpiSummaryRow **out)
{
    int cap = kpi_count + 8, n = 0;
    KpiSummaryRow *rows = arena_zalloc(a, sizeof *rows * (size_t)cap);
    Stmt *st = db_query(db, "SELECT code, actual, num, den FROM kpi_summary WHERE nendo = ? AND as_of = ? AND version = ?", nendo, as_of, version);
    while (n < cap && db_step(st) == DB_ROW)
        rows[n++] = (KpiSummaryRow){db_col_dup(st, 0, a), db_col_double(st, 1), (int)db_col_int(st, 2), (int)db_col_int(st, 3)};
    db_done(st);
    *out = rows;
    return n ? n : -1;
}

void kpi_summary_store(Db *db, int nendo, const char *as_of, int64_t version, const KpiSummaryRow *rows, int n)
{
    if (db_begin(db) != 0) return;
    bool ok = db_exec(db, "DELETE FROM kpi_summary WHERE version <> ? OR (nendo = ? AND as_of = ? AND code <> '_PIPELINE')", version, nendo, as_of) >= 0;
    for (int i = 0; i < n && ok; i++)
        ok = db_exec(db, "INSERT INTO kpi_summary (nendo, as_of, version, code, actual, num, den) VALUES (?, ?, ?, ?, ?, ?, ?)", nendo, as_of,
                     version, rows[i].code, rows[i].actual, rows[i].num, rows[i].den) == 1;
    if (!ok || db_commit(db) != 0) db_rollback(db);
}

int kpi_pipeline_read(Db *db, Arena *a, int nendo, const char *as_of, int64_t version, PipelinePerson **out)
{
    int n = (int)db_int(db, -1, "SELECT num FROM kpi_summary WHERE nendo = ? AND as_of = ? AND version = ? AND code = '_PIPELINE'", nendo, as_of,
                        version);
    if (n < 0) return -1;
    PipelinePerson *rows = arena_zalloc(a, sizeof *rows * (size_t)(n + 1));
    int k = 0;
    Stmt *st = db_query(db,
                        "SELECT staff_id, staff_no, name, unit_name, met, items, short_by FROM kpi_pipeline_summary"
                        " WHERE nendo = ? AND as_of = ? AND version = ? ORDER BY seq",
                        nendo, as_of, version);
    while (k < n && db_step(st) == DB_ROW)
        rows[k++] = (PipelinePerson){db_col_int(st, 0), db_col_dup(st, 1, a), db_col_dup(st, 2, a), db_col_dup(st, 3, a),
                                     (int)db_col_int(st, 4), (int)db_col_int(st, 5), (int)db_col_int(st, 6)};
    db_done(st);
    if (k != n) return -1; /* replaced meanwhile: recompute */
    *out = rows;
    return n;
}

void kpi_pipeline_store(Db *db, int nendo, const char *as_of, int64_t version, const PipelinePerson *p, int n)
{
    if (db_begin(db) != 0) return;
    bool ok = db_exec(db, "DELETE FROM kpi_pipeline_summary WHERE version <> ? OR (nendo = ? AND as_of = ?)", version, nendo, as_of) >= 0 &&
              db_exec(db, "DELETE FROM kpi_summary WHERE nendo = ? AND as_of = ? AND code = '_PIPELINE'", nendo, as_of) >= 0 &&
              db_exec(db, "INSERT INTO kpi_summary (nendo, as_of, version, code, actual, num, den) VALUES (?, ?, ?, '_PIPELINE', ?, ?, 0)", nendo,
                      as_of, version, (double)n, n) == 1;
    for (int i = 0; i < n && ok; i++)
        ok = db_exec(db,
                     "INSERT INTO kpi_pipeline_summary (nendo, as_of, version, seq, staff_id, staff_no, name, unit_name, met, items, short_by)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     nendo, as_of, version, i, p[i].staff_id, p[i].staff_no ? p[i].staff_no : "", p[i].name ? p[i].name : "",
                     p[i].unit_name ? p[i].unit_name : "", p[i].met, p[i].items, p[i].short_by) == 1;
    if (!ok || db_commit(db) != 0) db_rollback(db);
}

int kpi_board_read(Db *db, Arena *a, int nendo, const char *as_of, const char *board, int64_t version, KpiBoardRow **out)
{
    int n = (int)db_int(db, -1, "SELECT n0 FROM kpi_board_summary WHERE nendo = ? AND as_of = ? AND board = ? AND seq = -1 AND version = ?", nendo,
                        as_of, board, version);
    if (n < 0) return -1;
    KpiBoardRow *rows = arena_zalloc(a, sizeof *rows * (size_t)(n + 1));
    int k = 0;
    Stmt *st = db_query(db,
                        "SELECT kind, unit_id, ref_id, name, what, note, n0, n1, n2, n3 FROM kpi_board_summary"
                        " WHERE nendo = ? AND as_of = ? AND board = ? AND seq >= 0 AND version = ? ORDER BY seq",
                        nendo, as_of, board, version);
    while (k < n && db_step(st) == DB_ROW) {
        KpiBoardRow *r = &rows[k++];
        r->kind = db_col_dup(st, 0, a);
        r->unit_id = db_col_int(st, 1);
        r->ref_id = db_col_int(st, 2);
        r->name = db_col_dup(st, 3, a);
        r->what = db_col_dup(st, 4, a);
        r->note = db_col_dup(st, 5, a);
        for (int j = 0; j < 4; j++) r->n[j] = (int)db_col_int(st, 6 + j);
    }
    db_done(st);
    if (k != n) return -1; /* replaced meanwhile: recompute */
    *out = rows;
    return n;
}

void kpi_board_store(Db *db, int nendo, const char *as_of, const char *board, int64_t version, const KpiBoardRow *rows, int n)
{
    if (db_begin(db) != 0) return;
    /* Each board only replaces its own rows: boards are keyed by the data
     * areas they read (dataver.h), which differ between boards. */
    bool ok = db_exec(db, "DELETE FROM kpi_board_summary WHERE board = ? AND (version <> ? OR (nendo = ? AND as_of = ?))", board, version, nendo,
                      as_of) >= 0 &&
              db_exec(db,
                      "INSERT INTO kpi_board_summary (nendo, as_of, version, board, seq, kind, unit_id, ref_id, name, what, note, n0, n1, n2, n3)"
                      " VALUES (?, ?, ?, ?, -1, '', 0, 0, '', '', '', ?, 0, 0, 0)",
                      nendo, as_of, version, board, n) == 1;
    for (int i = 0; i < n && ok; i++) {
        const KpiBoardRow *r = &rows[i];
        ok = db_exec(db,
                     "INSERT INTO kpi_board_summary (nendo, as_of, version, board, seq, kind, unit_id, ref_id, name, what, note, n0, n1, n2, n3)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     nendo, as_of, version, board, i, r->kind ? r->kind : "", r->unit_id, r->ref_id, r->name ? r->name : "",
                     r->what ? r->what : "", r->note ? r->note : "", r->n[0], r->n[1], r->n[2], r->n[3]) == 1;
    }
    if (!ok || db_commit(db) != 0) db_rollback(db);
}
