/* nendo.c - see nendo.h. */
#include "nendo.h"

#include <stdio.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "org.h"
#include "settings.h"
#include "tier.h"
#include "../db/tx.h"

int rollover_carried(const RolloverReport *r) { return r->carried[0] + r->carried[1] + r->carried[2] + r->carried[3]; }

static int subtype_index(const char *code)
{
    for (int i = 0; i < 4; i++)
        if (str_eq(code, tier_subtypes[i].code)) return i;
    return 0;
}

/* iso moved by years; 2/29 becomes 2/28 in a common year. */
static void shift_years(const char *iso, int years, char out[11])
{
    Date d;
    out[0] = 0;
    if (!date_parse(iso, &d)) return;
    d.y += years;
    Date check;
    char tmp[11];
    date_iso(d, tmp);
    if (!date_parse(tmp, &check)) d.d = 28;
    date_iso(d, out);
}

/* Designations of `from` in force on its last day: carried into `to` when
 * the holder is still in the same unit on to-04-01. */
static bool carry_designations(Db *db, Arena *a, const Actor *who, RolloverReport *r, const char *last, const char *first)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM tier_designation d WHERE " ASOF_DESIGNATED("d"), r->from, last, last);
    Designation *ds = arena_alloc(a, sizeof *ds * (size_t)(cap + 1));
    const char **unit_then = arena_alloc(a, sizeof *unit_then * (size_t)(cap + 1));
    int64_t *unit_now = arena_alloc(a, sizeof *unit_now * (size_t)(cap + 1)), *unit_last = arena_alloc(a, sizeof *unit_last * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT d.staff_id, d.unit_id, d.subtype, d.designated_by, d.note, s.staff_no, s.name, u.name,"
                        " " ASOF_UNIT_OF("d.staff_id") ", " ASOF_UNIT_OF("d.staff_id") ","
                        " (SELECT nu.name FROM org_unit nu WHERE nu.id = " ASOF_UNIT_OF("d.staff_id") ")"
                        " FROM tier_designation d JOIN staff s ON s.id = d.staff_id JOIN org_unit u ON u.id = d.unit_id"
                        " WHERE " ASOF_DESIGNATED("d") " ORDER BY d.tier, u.code, s.staff_no",
                        first, first, last, last, first, first, r->from, last, last);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        Designation *d = &ds[n];
        *d = (Designation){.staff_id = db_col_int(st, 0), .unit_id = db_col_int(st, 1), .subtype = db_col_dup(st, 2, a),
                           .designated_by = db_col_dup(st, 3, a), .note = db_col_dup(st, 4, a), .staff_no = db_col_dup(st, 5, a),
                           .staff_name = db_col_dup(st, 6, a), .unit_name = db_col_dup(st, 7, a)};
        unit_now[n] = db_col_int(st, 8);
        unit_last[n] = db_col_int(st, 9);
        unit_then[n] = db_col_dup(st, 10, a);
        n++;
    }
    db_done(st);
    /* The units of every designation carried, locked first in one order
     * (db.h), as a bulk designation does. */
    int64_t *units = arena_alloc(a, sizeof *units * (size_t)(n + 1));
    for (int i = 0; i < n; i++) units[i] = ds[i].unit_id;
    if (db_lock_rows(db, "org_unit", units, n) != 0) return false;
    r->left = arena_alloc(a, sizeof *r->left * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        Designation *d = &ds[i];
        const char *reason = NULL;
        bool lead = str_eq(d->subtype, "lead");
        if (!unit_now[i]) reason = arena_printf(a, "%sに在職していません（退職等）", first);
        else if (unit_now[i] != d->unit_id && (lead || unit_now[i] != unit_last[i]))
            reason = arena_printf(a, "異動（%sから%s）", first, unit_then[i] ? unit_then[i] : "");
        if (!reason) {
            Designation nd = {.staff_id = d->staff_id, .unit_id = d->unit_id, .subtype = d->subtype, .nendo = r->to,
                              .designated_on = first, .designated_by = d->designated_by, .note = d->note};
            Errors le = {0};
            if (tier_designate_in(db, who, &nd, &le) == 0) {
                r->carried[subtype_index(d->subtype)]++;
                continue;
            }
            if (nd.current_id == 0 && le.n && strstr(le.items[0].msg, "既にあります")) continue; /* carried before */
            if (lead && nd.current_id) continue; /* the 係 already has its leader in `to` */
            reason = arena_strdup(a, le.n ? le.items[0].msg : "指名できませんでした");
        }
        r->left[r->nleft++] = (RolloverLeft){d->staff_id, d->unit_id, d->staff_no, d->staff_name, d->unit_name,
                                             tier_subtype_name(d->subtype), reason};
    }
    return true;
}

/* 重要システム duties in force on to-04-01 whose holder is then out of
 * service or outside the unit subtree that owns it. */
static void duties_at_risk(Db *db, Arena *a, RolloverReport *r, const char *first)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM key_system_duty k WHERE " ASOF_IN_FORCE("k"), first, first);
    r->duties = arena_alloc(a, sizeof *r->duties * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT k.staff_id, ks.unit_id, s.staff_no, s.name, ks.name, k.role, " ASOF_UNIT_OF("k.staff_id")
                        " FROM key_system_duty k JOIN key_system ks ON ks.id = k.system_id JOIN staff s ON s.id = k.staff_id"
                        " WHERE ks.active = 1 AND " ASOF_IN_FORCE("k") " ORDER BY ks.name, k.role DESC, s.staff_no",
                        first, first, first, first);
    typedef struct {
        RolloverLeft l;
        int64_t unit;
    } DutyAtRisk;
    DutyAtRisk *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        rows[n].l = (RolloverLeft){db_col_int(st, 0), db_col_int(st, 1), db_col_dup(st, 2, a), db_col_dup(st, 3, a), db_col_dup(st, 4, a),
                                   str_eq(db_col_text(st, 5), "main") ? "担当" : "副担当", NULL};
        rows[n].unit = db_col_int(st, 6);
        n++;
    }
    db_done(st);
    for (int i = 0; i < n; i++) {
        if (!rows[i].unit) rows[i].l.reason = arena_printf(a, "%sに在職していません", first);
        else if (!db_exists(db, "SELECT 1 WHERE ? IN (" ASOF_SUBTREE ")", rows[i].unit, rows[i].l.unit_id))
            rows[i].l.reason = arena_printf(a, "%sにシステムの所管外へ異動", first);
        else continue;
        r->duties[r->nduties++] = rows[i].l;
    }
}

/* Every unit that needs a 総括リーダー (a 係, or a 課 without 係) and has
 * none in force on to-04-01 once the carried designations are in, whether
 * its leader did not carry or it had none: each with up to 5 candidates from
 * the unit, earlier ② holders first, then by post. */
static void leaderless(Db *db, Arena *a, RolloverReport *r, const char *first)
{
    UnitTree t;
    org_tree(db, a, first, r->to, &t);
    r->gaps = arena_alloc(a, sizeof *r->gaps * (size_t)(t.n + 1));
    for (int i = 0; i < t.n; i++) {
        const UnitNode *n = &t.nodes[i];
        if (!n->needs_lead || n->leads > 0) continue;
        const char *name = n->u.level == LEVEL_KAKARI && n->parent ? arena_printf(a, "%s %s", n->parent->u.name, n->u.name) : n->u.name;
        r->gaps[r->ngaps++] = (RolloverGap){.unit_id = n->u.id, .unit_name = name};
    }
    for (int i = 0; i < r->ngaps; i++) {
        RolloverGap *g = &r->gaps[i];
        Stmt *c = db_query(db,
                           "SELECT s.id, s.staff_no, s.name, s.post, EXISTS (SELECT 1 FROM tier_designation p WHERE p.staff_id = s.id"
                           " AND p.tier = 2 AND p.nendo = ?) AS led FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
                           " WHERE a.unit_id = ? ORDER BY led DESC, CASE s.post WHEN '係長' THEN 0 WHEN '課長補佐' THEN 1"
                           " WHEN '主査' THEN 2 WHEN '主任' THEN 3 WHEN '技師' THEN 4 WHEN '主事' THEN 5 ELSE 6 END, s.staff_no LIMIT 5",
                           r->from, first, first, g->unit_id);
        while (g->ncand < 5 && db_step(c) == DB_ROW)
            g->cand[g->ncand++] = (RolloverCandidate){db_col_int(c, 0), db_col_dup(c, 1, a), db_col_dup(c, 2, a),
                                                      *db_col_text(c, 3) ? db_col_dup(c, 3, a) : "職位未登録", db_col_int(c, 4) != 0};
        db_done(c);
    }
}

/* Copies rows of `from` into `to` for a table keyed by nendo when `to` has
 * none: the number copied, or -1 on a database error. *had: `to` had rows. */
static int copy_when_empty(Db *db, const char *exists_sql, const char *copy_sql, const RolloverReport *r, bool *had)
{
    *had = db_exists(db, exists_sql, r->to);
    if (*had) return 0;
    return db_exec(db, copy_sql, r->to, r->from);
}

int nendo_rollover(Db *db, Arena *a, const Actor *who, int from, int to, unsigned flags, RolloverReport *r, Errors *e)
{
    *r = (RolloverReport){.from = from, .to = to, .dry_run = flags & NENDO_DRY_RUN};
    if (from < 2000 || from > 2100 || to != from + 1) {
        err_add(e, "to", "年度更新の先は、元の年度の翌年度を指定してください。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    Date f, l;
    nendo_range(from, NULL, &l);
    nendo_range(to, &f, NULL);
    char last[11], first[11];
    date_iso(l, last);
    date_iso(f, first);
    r->existing = (int)db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE nendo = ?", to);
    bool ok = carry_designations(db, a, who, r, last, first);
    ok = ok && (r->skill_targets = copy_when_empty(db, "SELECT 1 FROM skill_target WHERE nendo = ?",
                                                   "INSERT INTO skill_target (item_id, nendo, tier, level) SELECT item_id, ?, tier, level"
                                                   " FROM skill_target WHERE nendo = ?",
                                                   r, &r->had_targets)) >= 0;
    ok = ok && (r->unit_targets = copy_when_empty(db, "SELECT 1 FROM skill_unit_target WHERE nendo = ?",
                                                  "INSERT INTO skill_unit_target (item_id, nendo, unit_id, level) SELECT item_id, ?, unit_id, level"
                                                  " FROM skill_unit_target WHERE nendo = ?",
                                                  r, &r->had_unit_targets)) >= 0;
    ok = ok && (r->kpi_targets = copy_when_empty(db, "SELECT 1 FROM kpi_target WHERE nendo = ?",
                                                 "INSERT INTO kpi_target (code, nendo, target, comment) SELECT code, ?, target, comment"
                                                 " FROM kpi_target WHERE nendo = ?",
                                                 r, &r->had_kpi_targets)) >= 0;
    ok = ok && (r->kpi_params = copy_when_empty(db, "SELECT 1 FROM kpi_param WHERE nendo = ?",
                                                "INSERT INTO kpi_param (nendo, name, value) SELECT ?, name, value FROM kpi_param WHERE nendo = ?",
                                                r, &r->had_kpi_params)) >= 0;
    ok = ok && (r->plans = copy_when_empty(db, "SELECT 1 FROM training_plan WHERE nendo = ?",
                                           "INSERT INTO training_plan (nendo, course_id, sessions, seats, month, budget)"
                                           " SELECT ?, p.course_id, p.sessions, p.seats, p.month, p.budget FROM training_plan p"
                                           " JOIN course c ON c.id = p.course_id WHERE p.nendo = ? AND c.active = 1",
                                           r, &r->had_plans)) >= 0;
    r->had_period = db_exists(db, "SELECT 1 FROM assess_period WHERE nendo = ?", to);
    if (ok && !r->had_period) {
        Stmt *st = db_query(db, "SELECT opens_on, closes_on FROM assess_period WHERE nendo = ?", from);
        char opens[11] = "", closes[11] = "";
        if (db_step(st) == DB_ROW) {
            shift_years(db_col_text(st, 0), to - from, opens);
            shift_years(db_col_text(st, 1), to - from, closes);
        }
        db_done(st);
        if (asof_in_nendo(opens, to) && asof_in_nendo(closes, to)) {
            ok = db_exec(db, "INSERT INTO assess_period (nendo, opens_on, closes_on) VALUES (?, ?, ?)", to, opens, closes) == 1;
            r->periods = ok ? 1 : 0;
        }
    }
    if (ok) {
        duties_at_risk(db, a, r, first);
        leaderless(db, a, r, first);
        ok = audit_write(db, who, "nendo.rollover", "nendo", to, 0,
                         arena_printf(a, "%d年度→%d年度 指名%d件 スキル目標%d件 組織目標%d件 KPI目標%d件 KPI設定%d件 研修計画%d件 評価期間%d件"
                                         " 引き継がない指名%d件",
                                      from, to, rollover_carried(r), r->skill_targets, r->unit_targets, r->kpi_targets, r->kpi_params,
                                      r->plans, r->periods, r->nleft)) == 0;
    }
    if (ok && (flags & NENDO_SET_CURRENT)) ok = setting_set(db, who, "current_nendo", arena_printf(a, "%d", to)) == 0;
    if (flags & NENDO_DRY_RUN) {
        db_rollback(db);
        if (!ok && !err_any(e)) err_add(e, "", "確認できませんでした。");
        return ok ? 0 : -1;
    }
    return tx_end(db, e, ok);
}
