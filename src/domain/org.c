/* org.c - see org.h. */
#include "org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "../db/dataver.h"
#include "../db/tx.h"
#include "orgcache.h"

static const char *const level_names[] = {"", "執行機関", "部", "課", "係"};

const char *org_level_name(int level) { return level >= 1 && level <= 4 ? level_names[level] : ""; }

#define UNIT_COLS "u.id, u.parent_id, u.code, u.name, u.level, u.sort_order, u.valid_from, u.valid_to, u.is_info"

static void read_unit(Stmt *st, Arena *a, Unit *u)
{
    u->id = db_col_int(st, 0);
    u->parent_id = db_col_int(st, 1);
    u->code = db_col_dup(st, 2, a);
    u->name = db_col_dup(st, 3, a);
    u->level = (int)db_col_int(st, 4);
    u->sort_order = (int)db_col_int(st, 5);
    u->valid_from = db_col_dup(st, 6, a);
    u->valid_to = db_col_dup(st, 7, a);
    u->is_info = db_col_int(st, 8) != 0;
}

static int cmp_node_id(const void *a, const void *b)
{
    int64_t x = (*(UnitNode *const *)a)->u.id, y = (*(UnitNode *const *)b)->u.id;
    return (x > y) - (x < y);
}

typedef struct Index {
    UnitNode **by_id;
    int n;
} Index;

static UnitNode *index_find(const Index *ix, int64_t id)
{
    int lo = 0, hi = ix->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int64_t v = ix->by_id[mid]->u.id;
        if (v == id) return ix->by_id[mid];
        if (v < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

static int sum_subtree(UnitNode *n)
{
    n->staff_total = n->staff_direct;
    for (int i = 0; i < n->nkids; i++) n->staff_total += sum_subtree(n->kids[i]);
    return n->staff_total;
}

/* The units in force on as_of, linked to their parents and children, without
 * the counts (what a picker of units needs); ix indexes them by id. */
static void tree_shape(Db *db, Arena *a, const char *as_of, UnitTree *t, Index *ixp)
{
    memset(t, 0, sizeof *t);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM org_unit WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)",
                          as_of, as_of);
    t->nodes = arena_zalloc(a, sizeof *t->nodes * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT " UNIT_COLS " FROM org_unit u WHERE u.valid_from <= ? AND (u.valid_to IS NULL OR u.valid_to >= ?)"
                        " ORDER BY u.level, u.sort_order, u.code",
                        as_of, as_of);
    while (t->n < cap && db_step(st) == DB_ROW) read_unit(st, a, &t->nodes[t->n++].u);
    db_done(st);

    Index ix = {arena_alloc(a, sizeof(UnitNode *) * (size_t)(t->n + 1)), t->n};
    for (int i = 0; i < t->n; i++) ix.by_id[i] = &t->nodes[i];
    qsort(ix.by_id, (size_t)ix.n, sizeof *ix.by_id, cmp_node_id);

    /* Children counts first, then fill: nodes are in level order, so kids keep sort order. */
    int *nk = arena_zalloc(a, sizeof(int) * (size_t)(t->n + 1));
    for (int i = 0; i < t->n; i++) {
        UnitNode *p = index_find(&ix, t->nodes[i].u.parent_id);
        t->nodes[i].parent = p;
        if (p) nk[p - t->nodes]++;
        else t->nroots++;
    }
    t->roots = arena_alloc(a, sizeof(UnitNode *) * (size_t)(t->nroots + 1));
    int r = 0;
    for (int i = 0; i < t->n; i++) {
        UnitNode *n = &t->nodes[i];
        n->kids = arena_alloc(a, sizeof(UnitNode *) * (size_t)(nk[i] + 1));
        if (n->parent) n->parent->kids[n->parent->nkids++] = n;
        else t->roots[r++] = n;
    }
    *ixp = ix;
}

void org_tree(Db *db, Arena *a, const char *as_of, int nendo, UnitTree *t)
{
    Index ix;
    tree_shape(db, a, as_of, t, &ix);
    Stmt *st;

    /* Head counts: primary assignments in force on as_of. */
    st = db_query(db, "SELECT a.unit_id, COUNT(DISTINCT a.staff_id) FROM assignment a WHERE a.is_primary = 1 AND " ASOF_IN_FORCE("a")
                      " GROUP BY a.unit_id",
                  as_of, as_of);
    while (db_step(st) == DB_ROW) {
        UnitNode *n = index_find(&ix, db_col_int(st, 0));
        if (n) n->staff_direct = (int)db_col_int(st, 1);
    }
    db_done(st);

    /* Designations of the 年度 in force on as_of when it lies inside the
     * 年度, else on the date the 年度 is viewed on; held by people in service. */
    char on[11];
    if (nendo && asof_in_nendo(as_of, nendo)) snprintf(on, sizeof on, "%s", as_of);
    else asof_nendo_date(nendo, on);
    st = db_query(db,
                  "SELECT d.unit_id, SUM(CASE WHEN d.tier = 2 AND d.subtype = 'lead' THEN 1 ELSE 0 END),"
                  " SUM(CASE WHEN d.tier = 1 THEN 1 ELSE 0 END) FROM tier_designation d"
                  " WHERE " ASOF_DESIGNATED("d") " AND " ASOF_IN_SERVICE("d.staff_id") " GROUP BY d.unit_id",
                  nendo, on, on, on, on);
    while (db_step(st) == DB_ROW) {
        UnitNode *n = index_find(&ix, db_col_int(st, 0));
        if (n) {
            n->leads = (int)db_col_int(st, 1);
            n->experts = (int)db_col_int(st, 2);
        }
    }
    db_done(st);

    for (int i = 0; i < t->nroots; i++) sum_subtree(t->roots[i]);
    for (int i = 0; i < t->n; i++) {
        UnitNode *n = &t->nodes[i];
        bool has_kakari = false;
        for (int k = 0; k < n->nkids; k++) has_kakari |= n->kids[k]->u.level == LEVEL_KAKARI;
        n->needs_lead = n->u.level == LEVEL_KAKARI || (n->u.level == LEVEL_KA && !has_kakari);
        if (n->needs_lead && n->leads == 0) t->missing_leads++;
    }
}

UnitNode *org_tree_find(UnitTree *t, int64_t id)
{
    for (int i = 0; i < t->n; i++)
        if (t->nodes[i].u.id == id) return &t->nodes[i];
    return NULL;
}

bool org_get(Db *db, Arena *a, int64_t id, Unit *out)
{
    Stmt *st = db_query(db, "SELECT " UNIT_COLS " FROM org_unit u WHERE u.id = ?", id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_unit(st, a, out);
    db_done(st);
    return found;
}

int org_path(Db *db, Arena *a, int64_t id, Unit out[8])
{
    Unit tmp[8];
    int n = 0;
    while (id && n < 8 && org_get(db, a, id, &tmp[n])) id = tmp[n++].parent_id;
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

bool org_in_subtree(Db *db, int64_t root, int64_t id)
{
    if (!root || !id) return false;
    return db_exists(db,
                     "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM org_unit WHERE id = ?"
                     " UNION ALL SELECT u.id, u.parent_id FROM org_unit u JOIN up ON u.id = up.parent_id)"
                     " SELECT 1 FROM up WHERE id = ?",
                     id, root);
}

static void flatten(UnitNode *n, Unit *out, int *k)
{
    out[(*k)++] = n->u;
    for (int i = 0; i < n->nkids; i++) flatten(n->kids[i], out, k);
}

int org_options(Db *db, Arena *a, const char *as_of, int64_t root, Unit **out)
{
    int64_t version = data_version(db); /* before the read: never newer than what it keys */
    Unit *all;
    int n = org_cache_get(db, version, as_of, a, &all);
    if (n < 0) {
        UnitTree t;
        Index ix;
        tree_shape(db, a, as_of, &t, &ix);
        all = arena_alloc(a, sizeof *all * (size_t)(t.n + 1));
        n = 0;
        for (int i = 0; i < t.nroots; i++) flatten(t.roots[i], all, &n);
        org_cache_put(db, version, as_of, all, n);
    }
    if (!root) {
        *out = all;
        return n;
    }
    /* root's subtree: root and what follows it in tree order while each
     * unit's parent is on the path down from root. */
    *out = all;
    int i = 0;
    while (i < n && all[i].id != root) i++;
    if (i == n) return 0;
    int64_t path[64];
    int depth = 0, k = 0;
    path[depth++] = root;
    all[k++] = all[i];
    for (int j = i + 1; j < n; j++) {
        while (depth > 0 && path[depth - 1] != all[j].parent_id) depth--;
        if (depth == 0 || depth == (int)(sizeof path / sizeof path[0])) break;
        path[depth++] = all[j].id;
        all[k++] = all[j];
    }
    return k;
}

int org_secondary_members(Db *db, Arena *a, int64_t id, const char *date, int64_t root, UnitMember **out)
{
    char today[11];
    now_date(today);
    int cap = (int)db_int(db, 0,
                          "SELECT COUNT(*) FROM assignment a WHERE a.unit_id = ? AND a.is_primary = 0 AND " ASOF_IN_FORCE("a"), id,
                          date, date);
    UnitMember *list = arena_alloc(a, sizeof *list * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT s.id, s.name FROM assignment a JOIN staff s ON s.id = a.staff_id WHERE a.unit_id = ?"
                        " AND a.is_primary = 0 AND " ASOF_IN_FORCE("a") " AND " ASOF_IN_SERVICE("s.id") " AND " ASOF_VISIBLE("s.id")
                        " ORDER BY s.staff_no",
                        id, date, date, date, date, root, today, today, root);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        list[n].staff_id = db_col_int(st, 0);
        list[n].name = db_col_dup(st, 1, a);
        n++;
    }
    db_done(st);
    *out = list;
    return n;
}

static void validate_unit(Db *db, Arena *a, Unit *u, Errors *e)
{
    Date d1, d2;
    if (str_empty(u->code)) err_add(e, "code", "組織コードを入力してください。");
    else if (!str_is_code(u->code, 20, "-_")) err_add(e, "code", "組織コードは半角英数字・ハイフン・下線の20文字以内で入力してください。");
    if (str_empty(u->name)) err_add(e, "name", "名称を入力してください。");
    else if (utf8_chars(u->name) > 60) err_add(e, "name", "名称は60文字以内で入力してください。");
    if (u->level < 1 || u->level > 4) err_add(e, "level", "区分を選んでください。");
    bool from_ok = !str_empty(u->valid_from) && date_parse(u->valid_from, &d1);
    if (!from_ok) err_add(e, "valid_from", "開始日を正しい日付で入力してください（例：2026-04-01）。");
    if (!str_empty(u->valid_to)) {
        if (!date_parse(u->valid_to, &d2)) err_add(e, "valid_to", "終了日を正しい日付で入力してください（例：2027-03-31）。");
        else if (from_ok && date_cmp(d2, d1) < 0) err_add(e, "valid_to", "終了日は開始日以降の日付にしてください。");
    }
    if (u->level == LEVEL_KIKAN) {
        u->parent_id = 0;
    } else if (u->level > 1) {
        Unit p;
        if (!u->parent_id || !org_get(db, a, u->parent_id, &p)) err_add(e, "parent_id", "上位組織を選んでください。");
        else if (p.level >= u->level) err_add(e, "parent_id", "上位組織は、この組織より上の階層から選んでください。");
        else if (u->id && org_in_subtree(db, u->id, p.id)) err_add(e, "parent_id", "自分自身や下位の組織を上位組織にはできません。");
    }
    if (!err_any(e) && db_exists(db,
                                 "SELECT 1 FROM org_unit WHERE code = ? AND id <> ? AND valid_from <= COALESCE(?, '9999-12-31')"
                                 " AND COALESCE(valid_to, '9999-12-31') >= ?",
                                 u->code, u->id, str_empty(u->valid_to) ? NULL : u->valid_to, u->valid_from))
        err_add(e, "code", "この組織コードは同じ期間の別の組織で使われています。");
}

static bool save_unit(Db *db, Arena *ap, const Actor *who, Unit *u, Errors *e)
{
    validate_unit(db, ap, u, e);
    if (err_any(e)) return false;
    const char *vto = str_empty(u->valid_to) ? NULL : u->valid_to;
    const char *summary = arena_printf(ap, "%s %s（%s） %s〜%s", u->code, u->name, org_level_name(u->level),
                                       u->valid_from, vto ? vto : "");
    if (u->id) {
        Unit old;
        if (!org_get(db, ap, u->id, &old)) {
            err_add(e, "", "組織が見つかりません。");
            return false;
        }
        if (db_exec(db,
                    "UPDATE org_unit SET code = ?, name = ?, level = ?, parent_id = ?, sort_order = ?, valid_from = ?,"
                    " valid_to = ?, is_info = ? WHERE id = ?",
                    u->code, u->name, u->level, DB_ID_OR_NULL(u->parent_id), u->sort_order,
                    u->valid_from, vto, u->is_info ? 1 : 0, u->id) != 1)
            return false;
        summary = arena_printf(ap, "%s %s → %s", old.code, old.name, summary);
        return audit_write(db, who, "org.update", "org_unit", u->id, 0, summary) == 0;
    }
    Stmt *st = db_query(db,
                        "INSERT INTO org_unit (code, name, level, parent_id, sort_order, valid_from, valid_to, is_info)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        u->code, u->name, u->level, DB_ID_OR_NULL(u->parent_id), u->sort_order, u->valid_from, vto,
                        u->is_info ? 1 : 0);
    bool ok = db_step(st) == DB_ROW;
    if (ok) u->id = db_col_int(st, 0);
    db_done(st);
    return ok && audit_write(db, who, "org.create", "org_unit", u->id, 0, summary) == 0;
}

int org_save(Db *db, const Actor *who, Unit *u, Errors *e)
{
    Arena a = ARENA_INIT;
    if (tx_begin(db, e) != 0) return -1;
    bool ok = save_unit(db, &a, who, u, e);
    int rc = tx_end(db, e, ok);
    arena_free(&a);
    return rc;
}

static bool close_unit(Db *db, Arena *ap, const Actor *who, int64_t id, const char *last_day, Errors *e)
{
    Unit u;
    Date d, from;
    if (!org_get(db, ap, id, &u)) err_add(e, "", "組織が見つかりません。");
    else if (!last_day || !date_parse(last_day, &d)) err_add(e, "last_day", "廃止日（最終日）を正しい日付で入力してください。");
    else if (date_parse(u.valid_from, &from) && date_cmp(d, from) < 0) err_add(e, "last_day", "廃止日は開始日以降にしてください。");
    else if (db_exists(db, "SELECT 1 FROM org_unit WHERE parent_id = ? AND (valid_to IS NULL OR valid_to > ?)", id, last_day))
        err_add(e, "last_day", "この日より後も有効な下位組織があります。先に下位組織を廃止してください。");
    else if (db_exists(db,
                       "SELECT 1 FROM assignment a WHERE a.unit_id = ? AND COALESCE(a.to_date, '9999-12-31') > ?",
                       id, last_day))
        err_add(e, "last_day", "この日より後も配属されている職員がいます。先に異動させてください。");
    if (err_any(e)) return false;
    return db_exec(db, "UPDATE org_unit SET valid_to = ? WHERE id = ?", last_day, id) == 1 &&
           audit_write(db, who, "org.close", "org_unit", id, 0, arena_printf(ap, "%s %s 廃止（最終日 %s）", u.code, u.name, last_day)) == 0;
}

int org_close(Db *db, const Actor *who, int64_t id, const char *last_day, Errors *e)
{
    Arena a = ARENA_INIT;
    if (tx_begin(db, e) != 0) return -1;
    bool ok = close_unit(db, &a, who, id, last_day, e);
    int rc = tx_end(db, e, ok);
    arena_free(&a);
    return rc;
}
