/* tier.c - see tier.h. */
#include "tier.h"

#include "../core/util.h"
#include "../io/text.h"

const TierSubtype tier_subtypes[4] = {
    {"info", "情報部門", 1},
    {"key_system", "重要システム担当", 1},
    {"lead", "総括リーダー", 2},
    {"project", "プロジェクト担当", 2},
};

static const char *const tier_names[] = {"", "①高度専門人材", "②DX推進リーダー", "③一般職員"};
static const char *const tier_shorts[] = {"", "①高度", "②リーダー", "③一般"};

const char *tier_name(int tier) { return tier >= 1 && tier <= 3 ? tier_names[tier] : ""; }
const char *tier_short(int tier) { return tier >= 1 && tier <= 3 ? tier_shorts[tier] : ""; }

const char *tier_subtype_name(const char *code)
{
    for (size_t i = 0; i < COUNTOF(tier_subtypes); i++)
        if (str_eq(code, tier_subtypes[i].code)) return tier_subtypes[i].name;
    return "";
}

int tier_of_subtype(const char *code)
{
    for (size_t i = 0; i < COUNTOF(tier_subtypes); i++)
        if (str_eq(code, tier_subtypes[i].code)) return tier_subtypes[i].tier;
    return 0;
}

int tier_designate(Db *db, const Actor *who, Designation *d, Errors *e)
{
    Arena a = ARENA_INIT;
    Date on, first, last;
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。しばらくしてからもう一度お試しください。");
        return -1;
    }
    d->tier = tier_of_subtype(d->subtype);
    char *name = db_text(db, &a, "SELECT staff_no || ' ' || name FROM staff WHERE id = ? AND active = 1", "i", d->staff_id);
    if (!name) err_add(e, "staff_id", "有効な職員を選んでください。");
    if (!d->tier) err_add(e, "subtype", "区分を選んでください。");
    if (d->nendo < 2000 || d->nendo > 2100) err_add(e, "nendo", "年度を正しく入力してください。");
    if (str_empty(d->designated_on) || !date_parse(d->designated_on, &on))
        err_add(e, "designated_on", "指名日を正しい日付で入力してください（例：2026-04-01）。");
    if (d->note && utf8_chars(d->note) > 200) err_add(e, "note", "備考は200文字以内で入力してください。");
    nendo_range(d->nendo, &first, &last);
    char f[11], l[11];
    date_iso(first, f);
    date_iso(last, l);
    char *unit = d->unit_id ? db_text(db, &a,
                                      "SELECT code || ' ' || name FROM org_unit WHERE id = ? AND valid_from <= ?"
                                      " AND (valid_to IS NULL OR valid_to >= ?)",
                                      "itt", d->unit_id, l, f)
                            : NULL;
    if (!unit) err_add(e, "unit_id", "その年度に存在する所属を選んでください。");
    if (!err_any(e) && db_exists(db,
                                 "SELECT 1 FROM tier_designation WHERE staff_id = ? AND nendo = ? AND subtype = ?"
                                 " AND unit_id = ? AND ended_on IS NULL",
                                 "idti", d->staff_id, d->nendo, d->subtype, d->unit_id))
        err_add(e, "subtype", "同じ年度・所属・区分の指名が既にあります。");
    bool ok = !err_any(e);
    if (ok) {
        Stmt *st = db_query(db,
                            "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_by,"
                            " designated_on, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            "iddtittt", d->staff_id, d->nendo, d->tier, d->subtype, d->unit_id,
                            d->designated_by ? d->designated_by : "", d->designated_on, d->note ? d->note : "");
        ok = db_step(st) == DB_ROW;
        if (ok) d->id = db_col_int(st, 0);
        db_done(st);
        ok = ok && audit_write(db, who, "tier.designate", "tier_designation", d->id, d->staff_id,
                               arena_printf(&a, "%s %d年度 %s（%s） %s", name, d->nendo, tier_name(d->tier),
                                            tier_subtype_name(d->subtype), unit)) == 0;
    }
    arena_free(&a);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。");
    return -1;
}

int tier_end(Db *db, const Actor *who, int64_t id, const char *date, Errors *e)
{
    Arena a = ARENA_INIT;
    Date d;
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    int64_t staff_id = db_int(db, 0, "SELECT staff_id FROM tier_designation WHERE id = ? AND ended_on IS NULL", "i", id);
    if (!staff_id) err_add(e, "", "有効な指名が見つかりません。");
    else if (str_empty(date) || !date_parse(date, &d)) err_add(e, "ended_on", "解除日を正しい日付で入力してください。");
    bool ok = !err_any(e) && db_exec(db, "UPDATE tier_designation SET ended_on = ? WHERE id = ?", "ti", date, id) == 1 &&
              audit_write(db, who, "tier.end", "tier_designation", id, staff_id, arena_printf(&a, "指名解除（%s）", date)) == 0;
    arena_free(&a);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。");
    return -1;
}

#define DESIG_COLS                                                                                     \
    "d.id, d.staff_id, d.unit_id, d.nendo, d.tier, d.subtype, d.designated_by, d.designated_on, d.note," \
    " d.ended_on, u.name, s.name, s.staff_no"

static int read_designations(Stmt *st, Arena *a, int cap, Designation **out)
{
    Designation *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        Designation *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->staff_id = db_col_int(st, 1);
        x->unit_id = db_col_int(st, 2);
        x->nendo = (int)db_col_int(st, 3);
        x->tier = (int)db_col_int(st, 4);
        x->subtype = db_col_dup(st, 5, a);
        x->designated_by = db_col_dup(st, 6, a);
        x->designated_on = db_col_dup(st, 7, a);
        x->note = db_col_dup(st, 8, a);
        x->ended_on = db_col_dup(st, 9, a);
        x->unit_name = db_col_dup(st, 10, a);
        x->staff_name = db_col_dup(st, 11, a);
        x->staff_no = db_col_dup(st, 12, a);
    }
    db_done(st);
    *out = rows;
    return n;
}

int tier_history(Db *db, Arena *a, int64_t staff_id, Designation **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE staff_id = ?", "i", staff_id);
    Stmt *st = db_query(db,
                        "SELECT " DESIG_COLS " FROM tier_designation d JOIN org_unit u ON u.id = d.unit_id"
                        " JOIN staff s ON s.id = d.staff_id WHERE d.staff_id = ? ORDER BY d.nendo DESC, d.tier, d.id",
                        "i", staff_id);
    return read_designations(st, a, cap, out);
}

#define SUBTREE_OF(p)                                                                                    \
    "(? = 0 OR " p " IN (WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT o.id FROM org_unit o JOIN sub" \
    " ON o.parent_id = sub.id) SELECT id FROM sub))"

int tier_list(Db *db, Arena *a, int nendo, int64_t unit_id, Designation **out)
{
    int cap = (int)db_int(db, 0,
                          "SELECT COUNT(*) FROM tier_designation d WHERE d.nendo = ? AND d.ended_on IS NULL AND " SUBTREE_OF("d.unit_id"),
                          "dii", nendo, unit_id, unit_id);
    Stmt *st = db_query(db,
                        "SELECT " DESIG_COLS " FROM tier_designation d JOIN org_unit u ON u.id = d.unit_id"
                        " JOIN staff s ON s.id = d.staff_id WHERE d.nendo = ? AND d.ended_on IS NULL AND " SUBTREE_OF("d.unit_id")
                        " ORDER BY d.tier, u.code, s.staff_no",
                        "dii", nendo, unit_id, unit_id);
    return read_designations(st, a, cap, out);
}

void tier_counts(Db *db, int nendo, const char *as_of, int counts[4])
{
    counts[0] = counts[1] = counts[2] = counts[3] = 0;
    Stmt *st = db_query(db,
                        "SELECT COALESCE((SELECT MIN(d.tier) FROM tier_designation d WHERE d.staff_id = s.id"
                        " AND d.nendo = ? AND d.ended_on IS NULL), 3) AS t, COUNT(*) FROM staff s"
                        " WHERE s.active = 1 AND EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = s.id"
                        " AND a.from_date <= ? AND (a.to_date IS NULL OR a.to_date >= ?)) GROUP BY t",
                        "dtt", nendo, as_of, as_of);
    while (db_step(st) == DB_ROW) {
        int t = (int)db_col_int(st, 0);
        if (t >= 1 && t <= 3) counts[t] = (int)db_col_int(st, 1);
    }
    db_done(st);
    counts[0] = counts[1] + counts[2] + counts[3];
}
