/* demand_summary.c - see demand_summary.h. The stored copy is a cache of
 * values that can be recomputed from the data at any time, not a record:
 * storing it writes no audit row and does not bump the data version. */
#include "demand_summary.h"

#include "../db/dataver.h"
#include "../core/flight.h"
#include "asof.h"

static bool cache_on = true;
void demand_cache_set(bool on) { cache_on = on; }

/* The stored rows at version: the count, or -1 when not found whole. */
static int demand_read(Db *db, Arena *a, int map_nendo, int nendo, int64_t unit_id, int tier, const char *as_of, int64_t version,
                       Demand **out)
{
    int n = -1, got = 0;
    Demand *rows = NULL;
    bool ok = true;
    Stmt *st = db_query(db,
                        "SELECT k, course_id, code, title, provider, people, capacity, sessions FROM demand_summary"
                        " WHERE map_nendo = ? AND nendo = ? AND unit_id = ? AND tier = ? AND as_of = ? AND version = ? ORDER BY k",
                        map_nendo, nendo, unit_id, tier, as_of, version);
    while (ok && db_step(st) == DB_ROW) {
        int k = (int)db_col_int(st, 0);
        if (k < 0) {
            n = (int)db_col_int(st, 5);
            if (n < 0) ok = false;
            else rows = arena_zalloc(a, sizeof *rows * (size_t)(n + 1));
            continue;
        }
        if (n < 0 || k != got || k >= n) { /* no head, or a row missing: replaced meanwhile */
            ok = false;
            break;
        }
        rows[got++] = (Demand){db_col_int(st, 1), db_col_dup(st, 2, a), db_col_dup(st, 3, a), db_col_dup(st, 4, a),
                               (int)db_col_int(st, 5), (int)db_col_int(st, 6), (int)db_col_int(st, 7)};
    }
    db_done(st);
    if (!ok || n < 0 || got != n) return -1;
    *out = rows;
    return n;
}

static void demand_store(Db *db, int map_nendo, int nendo, int64_t unit_id, int tier, const char *as_of, int64_t version, const Demand *rows,
                         int n)
{
    if (db_begin(db) != 0) return;
    static const char ins[] = "INSERT INTO demand_summary (map_nendo, nendo, unit_id, tier, as_of, version, k, course_id, code, title, provider,"
                              " people, capacity, sessions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    bool ok = db_exec(db,
                      "DELETE FROM demand_summary WHERE version <> ?"
                      " OR (map_nendo = ? AND nendo = ? AND unit_id = ? AND tier = ? AND as_of = ?)",
                      version, map_nendo, nendo, unit_id, tier, as_of) >= 0 &&
              db_exec(db, ins, map_nendo, nendo, unit_id, tier, as_of, version, -1, 0, DB_NULL, DB_NULL, DB_NULL, n, 0, 0) == 1;
    for (int k = 0; k < n && ok; k++)
        ok = db_exec(db, ins, map_nendo, nendo, unit_id, tier, as_of, version, k, rows[k].course_id, rows[k].code, rows[k].title,
                     rows[k].provider, rows[k].people, rows[k].capacity, rows[k].sessions_needed) == 1;
    if (!ok || db_commit(db) != 0) db_rollback(db);
}

int recommend_demand(Db *db, Arena *a, const SkillMap *m, int nendo, int64_t unit_id, int tier, Demand **out)
{
    if (!cache_on) return recommend_demand_compute(db, a, m, nendo, unit_id, tier, out);
    char as_of[11]; /* the date the 年度 is viewed on */
    asof_nendo_date(nendo, as_of);
    /* The version is read before the rows: a write meanwhile leaves what is
     * stored labelled with the older version, which no later reader asks for. */
    int64_t version = data_version_of(db, DV_READS_DEMAND);
    int n = demand_read(db, a, m->nendo, nendo, unit_id, tier, as_of, version, out);
    if (n >= 0) return n;
    /* One rebuild at a time (see gap_org). */
    const char *key = arena_printf(a, "demand/%d/%d/%lld/%d/%s/%lld", m->nendo, nendo, (long long)unit_id, tier, as_of, (long long)version);
    bool in_tx = db_in_tx(db), lead = in_tx || flight_begin(key);
    if (!lead && (n = demand_read(db, a, m->nendo, nendo, unit_id, tier, as_of, version, out)) >= 0) return n;
    n = recommend_demand_compute(db, a, m, nendo, unit_id, tier, out);
    demand_store(db, m->nendo, nendo, unit_id, tier, as_of, version, *out, n);
    if (lead && !in_tx) flight_end(key);
    return n;
}
