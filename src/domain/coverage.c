/* coverage.c - the coverage rules (総括リーダー per 係, experts in the
 * information units, two people per 重要システム) and the 重要システム
 * register; see kpi.h. */
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "../db/dataver.h"
#include "../core/flight.h"
#include "kpi.h"
#include "kpi_summary.h"
#include "org.h"
#include "unitidx.h"

const char *cov_name(CovState s) { return s == COV_MET ? "充足" : s == COV_RISK ? "注意" : "不足"; }
const char *cov_symbol(CovState s) { return s == COV_MET ? "○" : s == COV_RISK ? "△" : "✕"; }

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

static CovState state_of(Count c, int need)
{
    if (c.have < need) return COV_NOT_MET;
    return c.have - c.rotating < need ? COV_RISK : COV_MET;
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

static int coverage_compute(Db *db, Arena *a, int nendo, const char *as_of, CoverageRow **out)
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
    CoverageRow *rows = arena_zalloc(a, sizeof *rows * (size_t)(t.n + nsys + 1));
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
        rows[n++] = (CoverageRow){"leader", u->u.id, 0, display_name(a, u), "総括リーダー", c.have, 1, state_of(c, 1), reason_of(a, c, 1, rotation)};
    }
    int64_t *experts;
    int ne = designated(db, a, nendo, as_of, 1, "", 0, &experts);
    for (int i = 0; i < t.n; i++) {
        UnitNode *u = &t.nodes[i];
        if (!u->u.is_info) continue;
        Count c = count_in(&ix, &ps, experts, ne, u->u.id, due);
        rows[n++] = (CoverageRow){"experts", u->u.id, 0, display_name(a, u), "高度専門人材（情報部門）", c.have, info_min,
                                  state_of(c, info_min), reason_of(a, c, info_min, rotation)};
    }
    KeySystem *ks;
    int nk = keysys_list(db, a, as_of, &ks);
    for (int i = 0; i < nk && n < t.n + nsys; i++) {
        if (!ks[i].active) continue;
        Count c = count_in(&ix, &ps, ks[i].staff_ids, ks[i].nstaff, ks[i].unit_id, due);
        rows[n++] = (CoverageRow){"keysystem", ks[i].unit_id, ks[i].id, ks[i].unit_name, ks[i].name, c.have, 2, state_of(c, 2),
                                  reason_of(a, c, 2, rotation)};
    }
    *out = rows;
    return n;
}

/* The rules from the summary at the current data version, else computed
 * and stored (schema 037, board "coverage"). */
int kpi_coverage(Db *db, Arena *a, int nendo, const char *as_of, CoverageRow **out)
{
    if (!as_of) {
        char *on = arena_alloc(a, 11);
        asof_nendo_date(nendo, on);
        as_of = on;
    }
    bool cache = kpi_cache_on();
    int64_t version = cache ? data_version_of(db, DV_READS_KPI) : 0;
    KpiBoardRow *b;
    int n = cache ? kpi_board_read(db, a, nendo, as_of, "coverage", version, &b) : -1;
    /* One rebuild at a time (as the other boards, kpi_board.c). */
    const char *key = arena_printf(a, "board/coverage/%d/%s/%lld", nendo, as_of, (long long)version);
    bool wait = n < 0 && cache && !db_in_tx(db), lead = wait && flight_begin(key);
    if (wait && !lead) n = kpi_board_read(db, a, nendo, as_of, "coverage", version, &b);
    if (n >= 0) {
        CoverageRow *rows = arena_zalloc(a, sizeof *rows * (size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            const char *rule = str_eq(b[i].kind, "leader") ? "leader" : str_eq(b[i].kind, "experts") ? "experts" : "keysystem";
            rows[i] = (CoverageRow){rule, b[i].unit_id, b[i].ref_id, b[i].name, b[i].what, b[i].n[0], b[i].n[1], (CovState)b[i].n[2], b[i].note};
        }
        *out = rows;
        return n;
    }
    CoverageRow *rows;
    n = coverage_compute(db, a, nendo, as_of, &rows);
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

/* ---- key systems ---- */

/* The duties of a 重要システム in force on as_of. */
static void load_staff(Db *db, Arena *a, const char *as_of, KeySystem *k)
{
    int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM key_system_duty k WHERE k.system_id = ? AND " ASOF_IN_FORCE("k"), k->id, as_of,
                        as_of);
    k->staff_ids = arena_alloc(a, sizeof(int64_t) * (size_t)(n + 1));
    k->staff_names = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
    k->roles = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
    k->since = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
    k->until = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
    k->nstaff = 0;
    Stmt *st = db_query(db,
                        "SELECT k.staff_id, s.name, k.role, k.from_date, k.to_date FROM key_system_duty k JOIN staff s ON s.id = k.staff_id"
                        " WHERE k.system_id = ? AND " ASOF_IN_FORCE("k") " ORDER BY k.role DESC, s.staff_no",
                        k->id, as_of, as_of);
    while (k->nstaff < n && db_step(st) == DB_ROW) {
        k->staff_ids[k->nstaff] = db_col_int(st, 0);
        k->staff_names[k->nstaff] = db_col_dup(st, 1, a);
        k->roles[k->nstaff] = db_col_dup(st, 2, a);
        k->since[k->nstaff] = db_col_dup(st, 3, a);
        k->until[k->nstaff++] = db_col_dup(st, 4, a);
    }
    db_done(st);
}

#define KS_SELECT "SELECT k.id, k.unit_id, k.name, k.note, u.name, k.active FROM key_system k JOIN org_unit u ON u.id = k.unit_id"

static void read_ks(Stmt *st, Arena *a, KeySystem *k)
{
    memset(k, 0, sizeof *k);
    k->id = db_col_int(st, 0);
    k->unit_id = db_col_int(st, 1);
    k->name = db_col_dup(st, 2, a);
    k->note = db_col_dup(st, 3, a);
    k->unit_name = db_col_dup(st, 4, a);
    k->active = db_col_int(st, 5) != 0;
}

int keysys_list(Db *db, Arena *a, const char *as_of, KeySystem **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM key_system");
    KeySystem *rows = arena_zalloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db, KS_SELECT " ORDER BY k.active DESC, u.code, k.name");
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) read_ks(st, a, &rows[n++]);
    db_done(st);
    for (int i = 0; i < n; i++) load_staff(db, a, as_of, &rows[i]);
    *out = rows;
    return n;
}

bool keysys_get(Db *db, Arena *a, int64_t id, const char *as_of, KeySystem *out)
{
    Stmt *st = db_query(db, KS_SELECT " WHERE k.id = ?", id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_ks(st, a, out);
    db_done(st);
    if (found) load_staff(db, a, as_of, out);
    return found;
}

int keysys_save(Db *db, const Actor *who, KeySystem *k, Errors *e)
{
    if (str_empty(k->name) || utf8_chars(k->name) > 100) err_add(e, "name", "システム名を100文字以内で入力してください。");
    if (k->note && utf8_chars(k->note) > 400) err_add(e, "note", "備考は400文字以内で入力してください。");
    if (err_any(e)) return -1;
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    if (!db_exists(db, "SELECT 1 FROM org_unit WHERE id = ?", k->unit_id)) err_add(e, "unit_id", "所管の組織を選んでください。");
    bool ok = !err_any(e);
    if (ok && k->id) {
        ok = db_exec(db, "UPDATE key_system SET name = ?, unit_id = ?, note = ?, active = ? WHERE id = ?", k->name, k->unit_id,
                     k->note ? k->note : "", k->active ? 1 : 0, k->id) == 1;
    } else if (ok) {
        Stmt *st = db_query(db, "INSERT INTO key_system (name, unit_id, note, active) VALUES (?, ?, ?, ?) RETURNING id", k->name,
                            k->unit_id, k->note ? k->note : "", k->active ? 1 : 0);
        ok = db_step(st) == DB_ROW;
        if (ok) k->id = db_col_int(st, 0);
        db_done(st);
    }
    ok = ok && audit_write(db, who, "keysys.save", "key_system", k->id, 0, k->name) == 0;
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。");
    return -1;
}

int keysys_staff_set(Db *db, const Actor *who, int64_t system_id, const char *staff_no, const char *role, const char *on, Errors *e)
{
    Date d;
    if (role && !str_eq(role, "main") && !str_eq(role, "backup")) err_add(e, "role", "担当の種類を選んでください。");
    if (str_empty(on) || !date_parse(on, &d)) err_add(e, "on", "発令日を正しい日付で入力してください（例：2027-04-01）。");
    if (err_any(e)) return -1;
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    Arena a = ARENA_INIT;
    int64_t staff = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", staff_no ? staff_no : "");
    char *name = db_text(db, &a, "SELECT name FROM key_system WHERE id = ?", system_id);
    if (!name) err_add(e, "", "重要システムが見つかりません。");
    if (!staff) err_add(e, "staff_no", "その職員番号の職員はいません。");
    else if (role && !db_exists(db, "SELECT 1 FROM staff s WHERE s.id = ? AND " ASOF_IN_SERVICE("s.id"), staff, on, on))
        err_add(e, "staff_no", "その職員は発令日に在職していません。");
    else if (!role && !db_exists(db, "SELECT 1 FROM key_system_duty k WHERE k.system_id = ? AND k.staff_id = ? AND (k.to_date IS NULL OR k.to_date >= ?)",
                                 system_id, staff, on))
        err_add(e, "staff_no", "その職員は発令日にこのシステムの担当ではありません。");
    char prev[11];
    date_iso(date_add_days(d, -1), prev);
    /* The duty in force from `on` replaces what was there: earlier duties end
     * the day before, later ones (not yet begun) give way. */
    bool ok = !err_any(e) &&
              db_exec(db, "DELETE FROM key_system_duty WHERE system_id = ? AND staff_id = ? AND from_date >= ?", system_id, staff, on) >= 0 &&
              db_exec(db, "UPDATE key_system_duty SET to_date = ? WHERE system_id = ? AND staff_id = ? AND (to_date IS NULL OR to_date >= ?)", prev, system_id, staff, on) >= 0 &&
              (!role || db_exec(db, "INSERT INTO key_system_duty (system_id, staff_id, role, from_date) VALUES (?, ?, ?, ?)", system_id,
                                staff, role, on) == 1) &&
              audit_write(db, who, "keysys.staff", "key_system", system_id, staff,
                          arena_printf(&a, "%s %s %s（%s から）", name, staff_no, role ? (str_eq(role, "main") ? "担当" : "副担当") : "解除", on)) == 0;
    arena_free(&a);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。");
    return -1;
}
