/* tier.c - see tier.h. */
#include "tier.h"

#include <stdio.h>
#include <string.h>

#include "../core/util.h"
#include "asof.h"
#include "../db/tx.h"
#include "../io/csvread.h"
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

const char *tier_subtype_parse(const char *s)
{
    for (size_t i = 0; i < COUNTOF(tier_subtypes); i++)
        if (str_eq(s, tier_subtypes[i].code) || str_eq(s, tier_subtypes[i].name)) return tier_subtypes[i].code;
    return NULL;
}

/* A designation of unit/subtype (and staff when staff_id is not 0) of 年度
 * nendo whose period meets one starting on `on` and running on: in force on
 * that day, or starting later. The latest-starting one comes back, so a
 * hand-over can only end one that started before `on`. */
static int64_t overlapping(Db *db, int nendo, const char *subtype, int64_t unit_id, int64_t staff_id, const char *on, Arena *a,
                           char **name, char **starts)
{
    Stmt *st = db_query(db,
                        "SELECT d.id, s.name, d.designated_on FROM tier_designation d JOIN staff s ON s.id = d.staff_id"
                        " WHERE d.subtype = ? AND d.unit_id = ? AND (? = 0 OR d.staff_id = ?) AND (" ASOF_DESIGNATED("d")
                        " OR (d.nendo = ? AND d.designated_on > ?)) ORDER BY d.designated_on DESC LIMIT 1",
                        subtype, unit_id, staff_id, staff_id, nendo, on, on, nendo, on);
    int64_t id = 0;
    if (db_step(st) == DB_ROW) {
        id = db_col_int(st, 0);
        if (name) *name = db_col_dup(st, 1, a);
        if (starts) *starts = db_col_dup(st, 2, a);
    }
    db_done(st);
    return id;
}

int tier_designate_in(Db *db, const Actor *who, Designation *d, Errors *e)
{
    /* One designation of a unit at a time (its 総括リーダー is one person):
     * the unit's row is locked before anything is read. */
    if (db_lock_row(db, "org_unit", d->unit_id) != 0) {
        err_add(e, "", "保存できませんでした。もう一度お試しください。");
        return -1;
    }
    Arena a = ARENA_INIT;
    Date on;
    int before = e->n;
    d->tier = tier_of_subtype(d->subtype);
    d->current_id = 0;
    d->current_name[0] = 0;
    bool date_ok = !str_empty(d->designated_on) && date_parse(d->designated_on, &on);
    char *name = db_text(db, &a, "SELECT staff_no || ' ' || name FROM staff WHERE id = ?", d->staff_id);
    if (!name) err_add(e, "staff_id", "有効な職員を選んでください。");
    if (!d->tier) err_add(e, "subtype", "区分を選んでください。");
    if (d->nendo < 2000 || d->nendo > 2100) err_add(e, "nendo", "年度を正しく入力してください。");
    if (!date_ok) err_add(e, "designated_on", "指名日を正しい日付で入力してください（例：2026-04-01）。");
    else if (d->nendo >= 2000 && d->nendo <= 2100 && !asof_in_nendo(d->designated_on, d->nendo))
        err_addf(e, "designated_on", "指名日は%d年度の期間（%d-04-01～%d-03-31）の日付にしてください。", d->nendo, d->nendo, d->nendo + 1);
    if (d->note && utf8_chars(d->note) > 200) err_add(e, "note", "備考は200文字以内で入力してください。");
    Date first, last;
    nendo_range(d->nendo, &first, &last);
    char f[11], l[11];
    date_iso(first, f);
    date_iso(last, l);
    char *unit = d->unit_id ? db_text(db, &a,
                                      "SELECT code || ' ' || name FROM org_unit WHERE id = ? AND valid_from <= ?"
                                      " AND (valid_to IS NULL OR valid_to >= ?)",
                                      d->unit_id, l, f)
                            : NULL;
    if (!unit) err_add(e, "unit_id", "その年度に存在する所属を選んでください。");
    bool lead = str_eq(d->subtype, "lead");
    if (e->n == before) {
        if (!db_exists(db, "SELECT 1 FROM staff s WHERE s.id = ? AND " ASOF_IN_SERVICE("s.id"), d->staff_id,
                       d->designated_on, d->designated_on))
            err_addf(e, "staff_no", "%sさんは指名日（%s）に在職していません。", name, d->designated_on);
        else if (lead && db_int(db, 0, "SELECT " ASOF_UNIT_OF("s.id") " FROM staff s WHERE s.id = ?", d->designated_on,
                                d->designated_on, d->staff_id) != d->unit_id)
            err_addf(e, "unit_id", "総括リーダーはその係に所属する職員から指名してください（%sさんの指名日（%s）の本務は%sではありません）。", name,
                     d->designated_on, unit);
    }
    if (e->n == before && overlapping(db, d->nendo, d->subtype, d->unit_id, d->staff_id, d->designated_on, &a, NULL, NULL))
        err_add(e, "subtype", "同じ年度・所属・区分の指名が既にあります。");
    int64_t end_id = 0;
    char end_on[11] = "";
    if (e->n == before && lead) {
        char *cur = NULL, *starts = NULL;
        int64_t cid = overlapping(db, d->nendo, "lead", d->unit_id, 0, d->designated_on, &a, &cur, &starts);
        if (cid) {
            d->current_id = cid;
            snprintf(d->current_name, sizeof d->current_name, "%s", cur ? cur : "");
            if (starts && strcmp(starts, d->designated_on) >= 0)
                err_addf(e, "designated_on", "%sさんが%sから総括リーダーに指名されています。総括リーダーは1つの係に1人です。", d->current_name, starts);
            else if (!d->end_current)
                err_addf(e, "end_current", "この係には総括リーダー（%sさん）がいます。総括リーダーは1つの係に1人です。"
                                           "交代する場合は、現在の指名を前日で終了して指名してください。", d->current_name);
            else {
                end_id = cid;
                date_iso(date_add_days(on, -1), end_on);
            }
        }
    }
    bool ok = e->n == before;
    if (ok && end_id)
        ok = db_exec(db, "UPDATE tier_designation SET ended_on = ? WHERE id = ?", end_on, end_id) == 1 &&
             audit_write(db, who, "tier.end", "tier_designation", end_id,
                         db_int(db, 0, "SELECT staff_id FROM tier_designation WHERE id = ?", end_id),
                         arena_printf(&a, "総括リーダーの交代のため指名終了（%sまで）", end_on)) == 0;
    if (ok) {
        Stmt *st = db_query(db,
                            "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_by,"
                            " designated_on, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            d->staff_id, d->nendo, d->tier, d->subtype, d->unit_id,
                            d->designated_by ? d->designated_by : "", d->designated_on, d->note ? d->note : "");
        ok = db_step(st) == DB_ROW;
        if (ok) d->id = db_col_int(st, 0);
        db_done(st);
        ok = ok && audit_write(db, who, "tier.designate", "tier_designation", d->id, d->staff_id,
                               arena_printf(&a, "%s %d年度 %s（%s） %s %sから", name, d->nendo, tier_name(d->tier),
                                            tier_subtype_name(d->subtype), unit, d->designated_on)) == 0;
        if (!ok) err_add(e, "", "保存できませんでした。");
    }
    arena_free(&a);
    return ok ? 0 : -1;
}

int tier_designate(Db *db, const Actor *who, Designation *d, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    return tx_end(db, e, tier_designate_in(db, who, d, e) == 0);
}

int tier_end(Db *db, const Actor *who, int64_t id, const char *date, Errors *e)
{
    Arena a = ARENA_INIT;
    Date d;
    if (tx_begin(db, e) != 0) return -1;
    if (db_lock_row(db, "org_unit", db_int(db, 0, "SELECT unit_id FROM tier_designation WHERE id = ?", id)) != 0) return tx_end(db, e, false);
    /* Open, or ending after that day: a designation may be ended earlier than planned. */
    int64_t staff_id = db_int(db, 0, "SELECT staff_id FROM tier_designation WHERE id = ? AND (ended_on IS NULL OR ended_on > ?)", id,
                              date ? date : "");
    char *from = db_text(db, &a, "SELECT designated_on FROM tier_designation WHERE id = ?", id);
    int nendo = (int)db_int(db, 0, "SELECT nendo FROM tier_designation WHERE id = ?", id);
    if (!staff_id || !from) err_add(e, "", "有効な指名が見つかりません。");
    else if (str_empty(date) || !date_parse(date, &d)) err_add(e, "ended_on", "解除日を正しい日付で入力してください。");
    else if (strcmp(date, from) < 0)
        err_addf(e, "ended_on", "解除日（指名の最終日）は指名日（%s）以降の日付にしてください。", from);
    else if (!asof_in_nendo(date, nendo))
        err_addf(e, "ended_on", "解除日（指名の最終日）は%d年度の期間（%d-03-31まで）の日付にしてください。", nendo, nendo + 1);
    bool ok = !err_any(e) && db_exec(db, "UPDATE tier_designation SET ended_on = ? WHERE id = ?", date, id) == 1 &&
              audit_write(db, who, "tier.end", "tier_designation", id, staff_id, arena_printf(&a, "指名解除（%sまで）", date)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
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
        char on[11];
        asof_nendo_date(x->nendo, on);
        x->in_force = strcmp(x->designated_on, on) <= 0 && (!x->ended_on || strcmp(x->ended_on, on) >= 0);
    }
    db_done(st);
    *out = rows;
    return n;
}

int tier_history(Db *db, Arena *a, int64_t staff_id, Designation **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE staff_id = ?", staff_id);
    Stmt *st = db_query(db,
                        "SELECT " DESIG_COLS " FROM tier_designation d JOIN org_unit u ON u.id = d.unit_id"
                        " JOIN staff s ON s.id = d.staff_id WHERE d.staff_id = ? ORDER BY d.nendo DESC, d.tier, d.id",
                        staff_id);
    return read_designations(st, a, cap, out);
}

#define SUBTREE_OF(p) "(? = 0 OR " p " IN (" ASOF_SUBTREE "))"

int tier_list(Db *db, Arena *a, int nendo, int64_t unit_id, Designation **out)
{
    char on[11];
    asof_nendo_date(nendo, on);
    int cap = (int)db_int(db, 0,
                          "SELECT COUNT(*) FROM tier_designation d WHERE " ASOF_DESIGNATED("d") " AND " ASOF_IN_SERVICE("d.staff_id")
                          " AND " SUBTREE_OF("d.unit_id"),
                          nendo, on, on, on, on, unit_id, unit_id);
    Stmt *st = db_query(db,
                        "SELECT " DESIG_COLS " FROM tier_designation d JOIN org_unit u ON u.id = d.unit_id"
                        " JOIN staff s ON s.id = d.staff_id WHERE " ASOF_DESIGNATED("d") " AND " ASOF_IN_SERVICE("d.staff_id")
                        " AND " SUBTREE_OF("d.unit_id") " ORDER BY d.tier, u.code, s.staff_no",
                        nendo, on, on, on, on, unit_id, unit_id);
    return read_designations(st, a, cap, out);
}

void tier_counts(Db *db, int nendo, const char *as_of, int counts[4])
{
    counts[0] = counts[1] = counts[2] = counts[3] = 0;
    Stmt *st = db_query(db,
                        "SELECT " ASOF_TIER_OF("s.id") " AS t, COUNT(*) FROM staff s WHERE " ASOF_IN_SERVICE("s.id") " GROUP BY t",
                        nendo, as_of, as_of, as_of, as_of);
    while (db_step(st) == DB_ROW) {
        int t = (int)db_col_int(st, 0);
        if (t >= 1 && t <= 3) counts[t] = (int)db_col_int(st, 1);
    }
    db_done(st);
    counts[0] = counts[1] + counts[2] + counts[3];
}

int tier_import(Db *db, Arena *a, const Actor *who, const char *data, size_t len, int nendo, bool dry_run, TierImport *out, Errors *e)
{
    *out = (TierImport){0};
    CsvDoc doc;
    CsvError ce = {0};
    if (csv_parse_any(a, data, len, &doc, &ce, NULL) != 0) {
        err_addf(e, "file", "%d行目：%s", ce.line, ce.msg);
        return -1;
    }
    int c_no = csv_col(&doc, "職員番号"), c_sub = csv_col(&doc, "区分"), c_unit = csv_col(&doc, "所属コード"),
        c_on = csv_col(&doc, "指名日"), c_note = csv_col(&doc, "備考");
    if (c_no < 0 || c_sub < 0 || c_unit < 0) {
        err_add(e, "file", "1行目に見出し「職員番号」「区分」「所属コード」が必要です（任意：指名日、備考）。");
        return -1;
    }
    if (doc.nrows < 2) {
        err_add(e, "file", "指名する行がありません。");
        return -1;
    }
    Date first, today = date_today();
    nendo_range(nendo, &first, NULL);
    char dflt[11];
    date_iso(date_cmp(today, first) > 0 && nendo_of(today) == nendo ? today : first, dflt);
    out->rows = arena_alloc(a, sizeof *out->rows * (size_t)doc.nrows);
    if (tx_begin(db, e) != 0) return -1;
    /* The units the file names, locked first in one order (db.h): two
     * imports across the same units cannot deadlock. */
    int64_t *units = arena_alloc(a, sizeof *units * (size_t)doc.nrows);
    for (int i = 1; i < doc.nrows; i++)
        units[i - 1] = db_int(db, 0, "SELECT id FROM org_unit WHERE code = ? ORDER BY valid_from DESC LIMIT 1",
                              text_trim(a, csv_field(&doc.rows[i], c_unit)));
    if (db_lock_rows(db, "org_unit", units, doc.nrows - 1) != 0) return tx_end(db, e, false);
    bool ok = true;
    for (int i = 1; i < doc.nrows; i++) {
        const CsvRow *row = &doc.rows[i];
        TierImportRow *t = &out->rows[out->n++];
        *t = (TierImportRow){.line = row->line};
        t->staff_no = text_trim(a, csv_field(row, c_no));
        t->subtype = text_trim(a, csv_field(row, c_sub));
        t->unit = text_trim(a, csv_field(row, c_unit));
        const char *on_s = text_trim(a, csv_field(row, c_on));
        Date on;
        if (str_empty(on_s)) t->on = dflt;
        else if (date_parse_loose(on_s, &on)) {
            char *iso = arena_alloc(a, 11);
            date_iso(on, iso);
            t->on = iso;
        } else t->on = on_s;
        Designation d = {.nendo = nendo, .designated_on = t->on, .note = text_trim(a, csv_field(row, c_note)),
                         .subtype = tier_subtype_parse(t->subtype)};
        d.staff_id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", t->staff_no);
        t->name = d.staff_id ? db_text(db, a, "SELECT name FROM staff WHERE id = ?", d.staff_id) : "";
        d.unit_id = db_int(db, 0, "SELECT id FROM org_unit WHERE code = ? ORDER BY valid_from DESC LIMIT 1", t->unit);
        Errors le = {0};
        if (!d.staff_id) t->error = "その職員番号の職員はいません。";
        else if (!d.subtype) t->error = "区分は 総括リーダー・プロジェクト担当・情報部門・重要システム担当 のいずれかにしてください。";
        else if (!d.unit_id) t->error = "その所属コードの所属はありません。";
        else if (tier_designate_in(db, who, &d, &le) != 0) t->error = arena_strdup(a, le.n ? le.items[0].msg : "指名できませんでした。");
        if (t->error) {
            out->bad++;
            if (out->bad <= 10) err_addf(e, "file", "%d行目（%s）：%s", t->line, t->staff_no, t->error);
        }
    }
    if (out->bad > 10) err_addf(e, "file", "ほかに%d行の誤りがあります。", out->bad - 10);
    ok = ok && out->bad == 0;
    if (ok) ok = audit_write(db, who, "tier.import", "tier_designation", 0, 0, arena_printf(a, "%d年度 %d件をCSVで指名", nendo, out->n)) == 0;
    if (dry_run) {
        db_rollback(db);
        return ok ? 0 : -1;
    }
    return tx_end(db, e, ok);
}

int tier_designate_many(Db *db, const Actor *who, Designation *ds, int n, Errors *e)
{
    if (n <= 0) {
        err_add(e, "", "指名する職員を選んでください。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    /* Every unit first, in one order (db.h), so that two bulk designations
     * across the same units cannot deadlock; tier_designate_in's own lock
     * of each is then already held. */
    Arena ua = ARENA_INIT;
    int64_t *units = arena_alloc(&ua, sizeof *units * (size_t)n);
    for (int i = 0; i < n; i++) units[i] = ds[i].unit_id;
    bool ok = db_lock_rows(db, "org_unit", units, n) == 0;
    arena_free(&ua);
    if (!ok) return tx_end(db, e, false);
    for (int i = 0; ok && i < n; i++) {
        Errors le = {0};
        if (tier_designate_in(db, who, &ds[i], &le) != 0) {
            ok = false;
            Arena a = ARENA_INIT;
            char *who_s = db_text(db, &a, "SELECT staff_no || ' ' || name FROM staff WHERE id = ?", ds[i].staff_id);
            err_addf(e, "", "%s：%s", who_s ? who_s : "", le.n ? le.items[0].msg : "指名できませんでした。");
            arena_free(&a);
        }
    }
    return tx_end(db, e, ok);
}
