/* keysys.c - see keysys.h. */
#include "keysys.h"

#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "../db/tx.h"

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
