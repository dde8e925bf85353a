/* staffing.c - see staffing.h. */
#include "staffing.h"

#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "../db/dataver.h"
#include "../core/flight.h"
#include "keysys.h"
#include "kpi_cache.h"
#include "kpi_summary.h"
#include "org.h"
#include "unitidx.h"

const char *staffing_state_name(StaffingState s) { return s == STAFFING_MET ? "充足" : s == STAFFING_RISK ? "注意" : "不足"; }
const char *staffing_state_symbol(StaffingState s) { return s == STAFFING_MET ? "○" : s == STAFFING_RISK ? "△" : "✕"; }

/* Where each person works on a date and since when. */
typedef struct Post {
    int64_t staff_id, unit_id;
    const char *since;
} Post;

typedef struct Posts {
    Post *p;
    int n;
} Posts;

static int cmp_post(const void *x, const void *y)
{
    int64_t a = ((const Post *)x)->staff_id, b = ((const Post *)y)->staff_id;
    return (a > b) - (a < b);
}

static const Post *post_of(const Posts *ps, int64_t staff_id)
{
    Post key = {.staff_id = staff_id};
    return bsearch(&key, ps->p, (size_t)ps->n, sizeof *ps->p, cmp_post);
}

static void load_posts(Db *db, Arena *a, const char *as_of, Posts *ps)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff");
    ps->p = arena_zalloc(a, sizeof *ps->p * (size_t)(cap + 1));
    ps->n = 0;
    Stmt *st = db_query(db,
                        "SELECT a.staff_id, a.unit_id, a.from_date FROM assignment a WHERE a.is_primary = 1 AND " ASOF_IN_FORCE("a")
                        " ORDER BY a.staff_id, a.from_date DESC",
                        as_of, as_of);
    while (ps->n < cap && db_step(st) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        if (ps->n && ps->p[ps->n - 1].staff_id == id) continue;
        ps->p[ps->n++] = (Post){id, db_col_int(st, 1), db_col_dup(st, 2, a)};
    }
    db_done(st);
}

static bool within(const UnitIndex *t, int64_t unit, int64_t root)
{
    UnitNode *n = unitidx_find(t, unit);
    for (; n; n = n->parent)
        if (n->u.id == root) return true;
    return unit == root;
}

static const char *display_name(Arena *a, const UnitNode *n)
{
    return n->u.level == LEVEL_KAKARI && n->parent ? arena_printf(a, "%s %s", n->parent->u.name, n->u.name) : n->u.name;
}

typedef struct Count {
    int have, rotating;
} Count;

/* Counts the people of a list whose post on the date lies in root's subtree;
 * rotating = those in post since on or before `due`. */
static Count count_in(const UnitIndex *t, const Posts *ps, const int64_t *ids, int n, int64_t root, const char *due)
{
    Count c = {0, 0};
    for (int i = 0; i < n; i++) {
        const Post *p = post_of(ps, ids[i]);
        if (!p || !within(t, p->unit_id, root)) continue;
        c.have++;
        if (strcmp(p->since, due) <= 0) c.rotating++;
    }
    return c;
}

static StaffingState state_of(Count c, int need)
{
    if (c.have < need) return STAFFING_NOT_MET;
    return c.have - c.rotating < need ? STAFFING_RISK : STAFFING_MET;
}

static const char *reason_of(Arena *a, Count c, int need, int rotation)
{
    if (c.have < need) return arena_printf(a, "必要 %d人に対して %d人", need, c.have);
    if (c.have - c.rotating < need) return arena_printf(a, "在職%d年以上で異動の可能性がある職員を除くと %d人", rotation, c.have - c.rotating);
    return "";
}

/* Staff ids of the designations of a 年度 that were in force on a date. */
static int designated(Db *db, Arena *a, int nendo, const char *as_of, int tier, const char *subtype, int64_t unit, int64_t **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE nendo = ?", nendo);
    int64_t *ids = arena_alloc(a, sizeof(int64_t) * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT DISTINCT d.staff_id FROM tier_designation d WHERE " ASOF_DESIGNATED("d")
                        " AND d.tier = ? AND (? = '' OR d.subtype = ?) AND (? = 0 OR d.unit_id = ?)",
                        nendo, as_of, as_of, tier, subtype, subtype, unit, unit);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) ids[n++] = db_col_int(st, 0);
    db_done(st);
    *out = ids;
    return n;
}

/* The first of the n leader rows (sorted by unit) for unit, or n. */
static int first_of(const int64_t *units, int n, int64_t unit)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (units[mid] < unit) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static int staffing_compute(Db *db, Arena *a, int nendo, const char *as_of, StaffingRow **out)
{
    int rotation = (int)db_int(db, 4, "SELECT value FROM kpi_param WHERE name = 'rotation_years' AND nendo <= ? ORDER BY nendo DESC LIMIT 1", nendo);
    int info_min = (int)db_int(db, 3, "SELECT value FROM kpi_param WHERE name = 'info_unit_min' AND nendo <= ? ORDER BY nendo DESC LIMIT 1", nendo);
    Date d;
    date_parse(as_of, &d);
    d.y -= rotation;
    char due[11];
    date_iso(d, due);
    UnitTree t;
    org_tree(db, a, as_of, nendo, &t);
    UnitIndex ix;
    unitidx_build(a, &t, &ix);
    Posts ps;
    load_posts(db, a, as_of, &ps);
    int nsys = (int)db_int(db, 0, "SELECT COUNT(*) FROM key_system WHERE active = 1");
    StaffingRow *rows = arena_zalloc(a, sizeof *rows * (size_t)(t.n + nsys + 1));
    int n = 0;
    /* Every 総括リーダー designation at once, then per unit in memory. */
    int nd = (int)db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE nendo = ?", nendo), nl = 0;
    int64_t *lead_staff = arena_alloc(a, sizeof(int64_t) * (size_t)(nd + 1)), *lead_unit = arena_alloc(a, sizeof(int64_t) * (size_t)(nd + 1));
    Stmt *st = db_query(db,
                        "SELECT d.staff_id, d.unit_id FROM tier_designation d WHERE " ASOF_DESIGNATED("d")
                        " AND d.tier = 2 AND d.subtype = 'lead' ORDER BY d.unit_id",
                        nendo, as_of, as_of);
    while (nl < nd && db_step(st) == DB_ROW) {
        lead_staff[nl] = db_col_int(st, 0);
        lead_unit[nl++] = db_col_int(st, 1);
    }
    db_done(st);
    int64_t *ids = arena_alloc(a, sizeof(int64_t) * (size_t)(nl + 1));
    for (int i = 0; i < t.n; i++) {
        UnitNode *u = &t.nodes[i];
        if (!u->needs_lead) continue;
        int k = 0;
        for (int j = first_of(lead_unit, nl, u->u.id); j < nl && lead_unit[j] == u->u.id; j++) ids[k++] = lead_staff[j];
        Count c = count_in(&ix, &ps, ids, k, u->u.id, due);
        rows[n++] = (StaffingRow){"leader", u->u.id, 0, display_name(a, u), "総括リーダー", c.have, 1, state_of(c, 1), reason_of(a, c, 1, rotation)};
    }
    int64_t *experts;
    int ne = designated(db, a, nendo, as_of, 1, "", 0, &experts);
    for (int i = 0; i < t.n; i++) {
        UnitNode *u = &t.nodes[i];
        if (!u->u.is_info) continue;
        Count c = count_in(&ix, &ps, experts, ne, u->u.id, due);
        rows[n++] = (StaffingRow){"experts", u->u.id, 0, display_name(a, u), "高度専門人材（情報部門）", c.have, info_min,
                                  state_of(c, info_min), reason_of(a, c, info_min, rotation)};
    }
    KeySystem *ks;
    int nk = keysys_list(db, a, as_of, &ks);
    for (int i = 0; i < nk && n < t.n + nsys; i++) {
        if (!ks[i].active) continue;
        Count c = count_in(&ix, &ps, ks[i].staff_ids, ks[i].nstaff, ks[i].unit_id, due);
        rows[n++] = (StaffingRow){"keysystem", ks[i].unit_id, ks[i].id, ks[i].unit_name, ks[i].name, c.have, 2, state_of(c, 2),
                                  reason_of(a, c, 2, rotation)};
    }
    *out = rows;
    return n;
}

/* The rules from the summary at the current data version, else computed
 * and stored (schema 037, board "coverage"). */
int staffing_coverage(Db *db, Arena *a, int nendo, const char *as_of, StaffingRow **out)
{
    if (!as_of) {
        char *on = arena_alloc(a, 11);
        asof_nendo_date(nendo, on);
        as_of = on;
    }
    bool cache = kpi_cache_on();
    int64_t version = cache ? data_version_of(db, DV_READS_COVERAGE) : 0;
    KpiBoardRow *b;
    int n = cache ? kpi_board_read(db, a, nendo, as_of, "coverage", version, &b) : -1;
    /* One rebuild at a time (as the other boards, kpi_board.c). */
    const char *key = arena_printf(a, "board/coverage/%d/%s/%lld", nendo, as_of, (long long)version);
    bool wait = n < 0 && cache && !db_in_tx(db), lead = wait && flight_begin(key);
    if (wait && !lead) n = kpi_board_read(db, a, nendo, as_of, "coverage", version, &b);
    if (n >= 0) {
        StaffingRow *rows = arena_zalloc(a, sizeof *rows * (size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            const char *rule = str_eq(b[i].kind, "leader") ? "leader" : str_eq(b[i].kind, "experts") ? "experts" : "keysystem";
            rows[i] = (StaffingRow){rule, b[i].unit_id, b[i].ref_id, b[i].name, b[i].what, b[i].n[0], b[i].n[1], (StaffingState)b[i].n[2], b[i].note};
        }
        *out = rows;
        return n;
    }
    StaffingRow *rows;
    n = staffing_compute(db, a, nendo, as_of, &rows);
    if (cache) {
        b = arena_zalloc(a, sizeof *b * (size_t)(n + 1));
        for (int i = 0; i < n; i++)
            b[i] = (KpiBoardRow){rows[i].rule, rows[i].unit_name, rows[i].what, rows[i].reason, rows[i].unit_id, rows[i].system_id,
                                 {rows[i].have, rows[i].need, (int)rows[i].state, 0}};
        kpi_board_store(db, nendo, as_of, "coverage", version, b, n);
    }
    if (lead) flight_end(key);
    *out = rows;
    return n;
}
