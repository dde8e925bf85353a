/* mandatory.c - see mandatory.h. */
#include "mandatory.h"

#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "../db/tx.h"

int mandatory_list(Db *db, Arena *a, int nendo, Mandatory **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM course") + 1, n = 0;
    Mandatory *m = arena_zalloc(a, sizeof *m * (size_t)cap);
    Stmt *st = db_query(db,
                        "SELECT c.id, c.code, c.title, m.tiers, m.due_on,"
                        " EXISTS (SELECT 1 FROM mandatory_course me WHERE me.course_id = c.id AND me.nendo = ?)"
                        " FROM " MANDATORY_OF_NENDO " m JOIN course c ON c.id = m.course_id"
                        " ORDER BY CASE WHEN m.due_on IS NULL THEN 1 ELSE 0 END, m.due_on, c.code",
                        nendo, nendo, nendo);
    while (n < cap && db_step(st) == DB_ROW) {
        m[n] = (Mandatory){.course_id = db_col_int(st, 0), .code = db_col_dup(st, 1, a), .title = db_col_dup(st, 2, a),
                           .tiers = (int)db_col_int(st, 3), .due_on = db_col_dup(st, 4, a), .explicit_row = db_col_int(st, 5) != 0};
        n++;
    }
    db_done(st);
    *out = m;
    return n;
}

static const char *tiers_text(Arena *a, int tiers)
{
    if ((tiers & MANDATORY_EVERYONE) == MANDATORY_EVERYONE) return "全職員";
    return arena_printf(a, "%s%s%s", tiers & 2 ? "①" : "", tiers & 4 ? "②" : "", tiers & 8 ? "③" : "");
}

int mandatory_set(Db *db, const Actor *who, int64_t course_id, int nendo, int tiers, const char *due_on, Errors *e)
{
    Arena a = ARENA_INIT;
    char *title = course_id ? db_text(db, &a, "SELECT title FROM course WHERE id = ? AND active = 1", course_id) : NULL;
    if (!title) err_add(e, "course", "研修を選んでください。");
    if ((tiers & ~MANDATORY_EVERYONE) != 0 || (tiers & MANDATORY_EVERYONE) == 0)
        err_add(e, "tiers", "対象の人材区分を1つ以上選んでください。");
    Date d;
    if (str_empty(due_on) || !date_parse(due_on, &d)) err_add(e, "due_on", "期限を日付で入力してください（例: 2026-12-25）。");
    else if (!asof_in_nendo(due_on, nendo)) {
        Date d0, d1;
        char first[11], last[11];
        nendo_range(nendo, &d0, &d1);
        date_iso(d0, first);
        date_iso(d1, last);
        err_addf(e, "due_on", "期限は%d年度の中（%s〜%s）の日付にしてください。", nendo, first, last);
    }
    if (err_any(e) || tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    bool ok = db_exec(db,
                      "INSERT INTO mandatory_course (course_id, nendo, tiers, due_on) VALUES (?, ?, ?, ?)"
                      " ON CONFLICT (course_id, nendo) DO UPDATE SET tiers = excluded.tiers, due_on = excluded.due_on",
                      course_id, nendo, tiers, due_on) == 1;
    ok = ok && audit_write(db, who, "mandatory.set", "course", course_id, 0,
                           arena_printf(&a, "%d年度の必修: %s（%s、期限 %s）", nendo, title, tiers_text(&a, tiers), due_on)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int mandatory_unset(Db *db, const Actor *who, int64_t course_id, int nendo, Errors *e)
{
    if (!db_exists(db, "SELECT 1 FROM mandatory_course WHERE course_id = ? AND nendo = ?", course_id, nendo)) {
        err_add(e, "", "その年度の必修の設定はありません。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    bool ok = db_exec(db, "DELETE FROM mandatory_course WHERE course_id = ? AND nendo = ?", course_id, nendo) == 1;
    ok = ok && audit_write(db, who, "mandatory.unset", "course", course_id, 0, arena_printf(&a, "%d年度の必修の設定を解除", nendo)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int mandatory_due(Db *db, Arena *a, int64_t staff_id, int nendo, const char *today, MandatoryDue **out)
{
    int tier = (int)db_int(db, 3, "SELECT " ASOF_TIER_OF("s.id") " FROM staff s WHERE s.id = ?", nendo, today, today, staff_id);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM course") + 1, n = 0;
    MandatoryDue *d = arena_zalloc(a, sizeof *d * (size_t)cap);
    Stmt *st = db_query(db,
                        "SELECT c.id, c.title, m.due_on FROM " MANDATORY_OF_NENDO " m JOIN course c ON c.id = m.course_id"
                        " WHERE (m.tiers & ?) <> 0 AND NOT " MANDATORY_DONE("?", "c.id")
                        " ORDER BY CASE WHEN m.due_on IS NULL THEN 1 ELSE 0 END, m.due_on, c.code",
                        nendo, nendo, (int64_t)(1 << tier), staff_id, nendo);
    while (n < cap && db_step(st) == DB_ROW) {
        d[n] = (MandatoryDue){.course_id = db_col_int(st, 0), .title = db_col_dup(st, 1, a), .due_on = db_col_dup(st, 2, a)};
        d[n].overdue = d[n].due_on && strcmp(d[n].due_on, today) < 0;
        n++;
    }
    db_done(st);
    *out = d;
    return n;
}

int mandatory_progress(Db *db, Arena *a, int64_t course_id, int nendo, const char *as_of, int64_t root, const char *today,
                       MandatoryUnit **out)
{
    *out = NULL;
    if (root < 0) return 0;
    int64_t tiers = db_int(db, 0, "SELECT m.tiers FROM " MANDATORY_OF_NENDO " m WHERE m.course_id = ?", nendo, nendo, course_id);
    if (!tiers) return 0;
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff") + 1;
    int ucap = (int)db_int(db, 0, "SELECT COUNT(*) FROM org_unit") + 1, nu = 0;
    MandatoryUnit *u = arena_zalloc(a, sizeof *u * (size_t)ucap);
    MandatoryPerson *people = arena_zalloc(a, sizeof *people * (size_t)cap);
    int np = 0;
    Stmt *st = db_query(db,
                        "SELECT s.id, s.staff_no, s.name, ou.id, ou.name, " MANDATORY_DONE("s.id", "?") ", " ASOF_VISIBLE("s.id")
                        " FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " JOIN org_unit ou ON ou.id = a.unit_id"
                        " WHERE (? = 0 OR a.unit_id IN (" ASOF_SUBTREE "))"
                        " AND (? & (1 << CAST(" ASOF_TIER_OF("s.id") " AS INTEGER))) <> 0"
                        " ORDER BY ou.sort_order, ou.id, s.staff_no",
                        course_id, nendo, root, today, today, root, as_of, as_of, root, root, tiers, nendo, as_of, as_of);
    while (db_step(st) == DB_ROW) {
        int64_t unit = db_col_int(st, 3);
        if (!nu || u[nu - 1].unit_id != unit) {
            if (nu >= ucap) break;
            u[nu++] = (MandatoryUnit){.unit_id = unit, .unit_name = db_col_dup(st, 4, a), .missing = people + np};
        }
        MandatoryUnit *x = &u[nu - 1];
        x->required++;
        if (db_col_int(st, 5)) x->done++;
        else if (db_col_int(st, 6) && np < cap) {
            people[np++] = (MandatoryPerson){.staff_id = db_col_int(st, 0), .staff_no = db_col_dup(st, 1, a), .name = db_col_dup(st, 2, a)};
            x->nmissing++;
        }
    }
    db_done(st);
    *out = u;
    return nu;
}
