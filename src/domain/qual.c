/* qual.c - see qual.h. */
#include "qual.h"
#include "../db/tx.h"

#include <assert.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"

const char QUAL_NOT_FOUND[] = "資格の記録が見つかりません。";

int qual_types(Db *db, Arena *a, QualType **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM qualification_type");
    QualType *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db, "SELECT code, name, itss_level, expires, item_codes FROM qualification_type ORDER BY itss_level, code");
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        QualType *t = &rows[n++];
        t->code = db_col_dup(st, 0, a);
        t->name = db_col_dup(st, 1, a);
        t->itss_level = (int)db_col_int(st, 2);
        t->expires = db_col_int(st, 3) != 0;
        t->item_codes = arena_strdup(a, db_col_text(st, 4));
    }
    db_done(st);
    *out = rows;
    return n;
}

/* Columns read by read_qual; the unit column is supplied by the caller. */
#define QUAL_COLS                                                                                            \
    "q.id, q.staff_id, q.qual_code, t.name, q.acquired_on, q.expires_on, q.note, s.staff_no, s.name,"        \
    " t.itss_level, t.item_codes"

static void read_qual(Stmt *st, Arena *a, StaffQual *x)
{
    x->id = db_col_int(st, 0);
    x->staff_id = db_col_int(st, 1);
    x->qual_code = db_col_dup(st, 2, a);
    x->qual_name = db_col_dup(st, 3, a);
    x->acquired_on = db_col_dup(st, 4, a);
    x->expires_on = db_col_null(st, 5) || !*db_col_text(st, 5) ? NULL : db_col_dup(st, 5, a);
    x->note = arena_strdup(a, db_col_text(st, 6));
    x->staff_no = db_col_dup(st, 7, a);
    x->staff_name = db_col_dup(st, 8, a);
    x->itss_level = (int)db_col_int(st, 9);
    x->unit_name = "";
}

/* Rows of one person; with item_code, only types that list it. */
static int person_quals(Db *db, Arena *a, int64_t staff_id, const char *item_code, StaffQual **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff_qualification WHERE staff_id = ?", staff_id);
    StaffQual *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT " QUAL_COLS " FROM staff_qualification q JOIN qualification_type t ON t.code = q.qual_code"
                        " JOIN staff s ON s.id = q.staff_id WHERE q.staff_id = ? ORDER BY q.acquired_on DESC, q.id DESC",
                        staff_id);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        if (item_code && !qual_codes_contain(db_col_text(st, 10), item_code)) continue;
        read_qual(st, a, &rows[n++]);
    }
    db_done(st);
    *out = rows;
    return n;
}

int qual_of_staff(Db *db, Arena *a, int64_t staff_id, StaffQual **out) { return person_quals(db, a, staff_id, NULL, out); }

int qual_items_for(Db *db, Arena *a, int64_t staff_id, const char *item_code, StaffQual **out)
{
    assert(item_code);
    return person_quals(db, a, staff_id, item_code, out);
}

bool qual_codes_contain(const char *list, const char *code)
{
    size_t n = strlen(code);
    if (!list || !n) return false;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ';');
        if (!end) end = p + strlen(p);
        const char *s = p, *e = end;
        while (s < e && (*s == ' ' || *s == '\t')) s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) e--;
        if ((size_t)(e - s) == n && memcmp(s, code, n) == 0) return true;
        p = *end ? end + 1 : end;
    }
    return false;
}

int qual_add(Db *db, const Actor *who, int64_t staff_id, const char *code, const char *acquired_on,
             const char *expires_on, const char *note, Errors *e)
{
    Arena a = ARENA_INIT;
    if (tx_begin(db, e) != 0) return -1;
    if (str_empty(expires_on)) expires_on = NULL;
    if (!note) note = "";
    char today_s[11];
    now_date(today_s);
    char *person = db_text(db, &a, "SELECT s.staff_no || ' ' || s.name FROM staff s WHERE s.id = ? AND " ASOF_IN_SERVICE("s.id"), staff_id, today_s, today_s);
    if (!person) err_add(e, "", "有効な職員が見つかりません。");

    const char *qname = NULL;
    bool expires = false;
    if (str_empty(code)) err_add(e, "code", "資格を選んでください。");
    else {
        Stmt *st = db_query(db, "SELECT name, expires FROM qualification_type WHERE code = ?", code);
        if (db_step(st) == DB_ROW) {
            qname = db_col_dup(st, 0, &a);
            expires = db_col_int(st, 1) != 0;
        }
        db_done(st);
        if (!qname) err_add(e, "code", "選んだ資格は登録されていません。");
    }

    Date acq, exp, today = date_today();
    bool acq_ok = !str_empty(acquired_on) && date_parse(acquired_on, &acq);
    if (!acq_ok) err_add(e, "acquired_on", "取得日を正しい日付で入力してください（例：2025-10-01）。");
    else if (date_cmp(acq, today) > 0) err_add(e, "acquired_on", "取得日に未来の日付は入力できません。");
    if (expires_on && !date_parse(expires_on, &exp))
        err_add(e, "expires_on", "有効期限を正しい日付で入力してください（例：2028-03-31）。");
    else if (expires_on && acq_ok && date_cmp(exp, acq) <= 0)
        err_add(e, "expires_on", "有効期限は取得日より後の日付にしてください。");
    else if (!expires_on && expires) err_add(e, "expires_on", "この資格は有効期限を入力してください（登録の更新がある資格です）。");
    if (utf8_chars(note) > 200) err_add(e, "note", "備考は200文字以内で入力してください。");
    if (!err_any(e) && db_exists(db, "SELECT 1 FROM staff_qualification WHERE staff_id = ? AND qual_code = ? AND acquired_on = ?",
                                 staff_id, code, acquired_on))
        err_add(e, "code", "同じ資格・取得日の記録が既にあります。");

    bool ok = !err_any(e);
    if (ok) {
        Stmt *st = db_query(db,
                            "INSERT INTO staff_qualification (staff_id, qual_code, acquired_on, expires_on, note)"
                            " VALUES (?, ?, ?, ?, ?) RETURNING id",
                            staff_id, code, acquired_on, expires_on, note);
        int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
        db_done(st);
        ok = id && audit_write(db, who, "qual.add", "staff_qualification", id, staff_id,
                               arena_printf(&a, "%s %s（取得 %s、有効期限 %s）%s", person, qname, acquired_on,
                                            expires_on ? expires_on : "なし", note)) == 0;
    }
    arena_free(&a);
    return tx_end(db, e, ok);
}

int qual_delete(Db *db, const Actor *who, int64_t staff_id, int64_t id, Errors *e)
{
    Arena a = ARENA_INIT;
    if (tx_begin(db, e) != 0) return -1;
    char *what = db_text(db, &a,
                         "SELECT s.staff_no || ' ' || s.name || ' ' || t.name || '（取得 ' || q.acquired_on || '）'"
                         " FROM staff_qualification q JOIN staff s ON s.id = q.staff_id"
                         " JOIN qualification_type t ON t.code = q.qual_code WHERE q.id = ? AND q.staff_id = ?",
                         id, staff_id);
    if (!what) err_add(e, "", QUAL_NOT_FOUND);
    bool ok = what && db_exec(db, "DELETE FROM staff_qualification WHERE id = ? AND staff_id = ?", id, staff_id) == 1 &&
              audit_write(db, who, "qual.delete", "staff_qualification", id, staff_id, arena_printf(&a, "%s 削除", what)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

/* Staff in service on the date bound first (twice) with their primary unit
 * then, a window of expires_on, no later record of the same type, and the
 * 所属長 scope rule (binds: root, today, today, root). */
#define EXPIRING_FROM                                                                                         \
    " FROM staff_qualification q JOIN qualification_type t ON t.code = q.qual_code"                          \
    " JOIN staff s ON s.id = q.staff_id JOIN " ASOF_PRIMARY("a", "s.id")                                     \
    " LEFT JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id"                  \
    " WHERE q.expires_on IS NOT NULL AND q.expires_on >= ? AND q.expires_on <= ?"                             \
    " AND NOT EXISTS (SELECT 1 FROM staff_qualification r WHERE r.staff_id = q.staff_id"                      \
    "  AND r.qual_code = q.qual_code AND r.id <> q.id AND (r.expires_on IS NULL OR r.expires_on > q.expires_on))" \
    " AND " ASOF_VISIBLE("q.staff_id")

int qual_expiring(Db *db, Arena *a, const char *today, int days, int64_t unit_id, StaffQual **out)
{
    Date d;
    *out = arena_alloc(a, sizeof **out);
    if (!date_parse(today, &d) || days < 0) return 0;
    char from[11], to[11];
    date_iso(date_add_days(d, -30), from);
    date_iso(date_add_days(d, days), to);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*)" EXPIRING_FROM, today, today, from, to, unit_id, today, today, unit_id);
    StaffQual *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    /* A 係 is shown with its 課: 係 names repeat across 課. */
    Stmt *st = db_query(db,
                        "SELECT " QUAL_COLS ", CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END" EXPIRING_FROM
                        " ORDER BY q.expires_on, s.staff_no, q.id",
                        today, today, from, to, unit_id, today, today, unit_id);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        read_qual(st, a, &rows[n]);
        rows[n++].unit_name = arena_strdup(a, db_col_text(st, 11));
    }
    db_done(st);
    *out = rows;
    return n;
}

int qual_counts(Db *db, Arena *a, const char *as_of, QualCount **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM qualification_type");
    QualCount *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT t.code, t.name, COUNT(DISTINCT s.id) FROM qualification_type t"
                        " LEFT JOIN staff_qualification q ON q.qual_code = t.code AND q.acquired_on <= ?"
                        "  AND (q.expires_on IS NULL OR q.expires_on >= ?)"
                        " LEFT JOIN staff s ON s.id = q.staff_id AND " ASOF_IN_SERVICE("s.id")
                        " GROUP BY t.code, t.name, t.itss_level ORDER BY t.itss_level, t.code",
                        as_of, as_of, as_of, as_of);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        rows[n].code = db_col_dup(st, 0, a);
        rows[n].name = db_col_dup(st, 1, a);
        rows[n++].holders = (int)db_col_int(st, 2);
    }
    db_done(st);
    *out = rows;
    return n;
}
