/* project.c - the DX project register and its skill need against members
 * (see project.h). */
#include "project.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "lines.h"
#include "../db/tx.h"

const char *const PROJECT_STATUS[PROJECT_NSTATUS] = {"idea", "plan", "active", "done", "stopped"};
const char *const PROJECT_STATUS_NAME[PROJECT_NSTATUS] = {"構想", "計画", "実施中", "完了", "中止"};

const char *project_status_name(const char *code)
{
    for (int i = 0; i < PROJECT_NSTATUS; i++)
        if (str_eq(code, PROJECT_STATUS[i])) return PROJECT_STATUS_NAME[i];
    return "";
}

#define P_SELECT                                                                                                     \
    "SELECT p.id, p.unit_id, COALESCE(p.owner_staff_id, 0), p.budget, p.name, u.name, p.purpose, p.from_date,"      \
    " p.to_date, p.status, p.outcome, COALESCE(s.staff_no, ''), COALESCE(s.name, '')"                              \
    " FROM dx_project p JOIN org_unit u ON u.id = p.unit_id LEFT JOIN staff s ON s.id = p.owner_staff_id"

static void read_project(Stmt *st, Arena *a, Project *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_col_int(st, 0);
    p->unit_id = db_col_int(st, 1);
    p->owner_staff_id = db_col_int(st, 2);
    p->budget = db_col_int(st, 3);
    p->name = db_col_dup(st, 4, a);
    p->unit_name = db_col_dup(st, 5, a);
    p->purpose = db_col_dup(st, 6, a);
    p->from_date = db_col_dup(st, 7, a);
    p->to_date = db_col_null(st, 8) ? NULL : db_col_dup(st, 8, a);
    p->status = db_col_dup(st, 9, a);
    p->outcome = db_col_dup(st, 10, a);
    p->owner_no = db_col_dup(st, 11, a);
    p->owner_name = db_col_dup(st, 12, a);
}

/* Does the owner hold a ② project designation of 年度 nendo on its view date. */
static bool owner_designated(Db *db, int64_t staff_id, int nendo)
{
    if (!staff_id) return false;
    char on[11];
    asof_nendo_date(nendo, on);
    return db_exists(db, "SELECT 1 FROM tier_designation d WHERE d.staff_id = ? AND d.subtype = 'project' AND " ASOF_DESIGNATED("d"),
                     staff_id, nendo, on, on);
}

int project_list(Db *db, Arena *a, const ProjectFilter *f, int nendo, Project **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM dx_project");
    Project *rows = arena_zalloc(a, sizeof *rows * (size_t)(cap + 1));
    const char *status = f && !str_empty(f->status) ? f->status : "";
    const char *q = f && !str_empty(f->q) ? f->q : "";
    int64_t unit = f ? f->unit_id : 0;
    Stmt *st = db_query(db,
                        P_SELECT " WHERE (? = '' OR p.status = ?) AND (? = 0 OR p.unit_id IN (" ASOF_SUBTREE "))"
                                 " AND (? = '' OR p.name LIKE '%' || ? || '%') ORDER BY p.from_date DESC, p.id DESC",
                        status, status, unit, unit, q, q);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) read_project(st, a, &rows[n++]);
    db_done(st);
    for (int i = 0; i < n; i++) rows[i].owner_designated = owner_designated(db, rows[i].owner_staff_id, nendo);
    *out = rows;
    return n;
}

static void load_children(Db *db, Arena *a, const char *today, Project *p)
{
    int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM dx_project_member WHERE project_id = ?", p->id);
    p->members = arena_zalloc(a, sizeof *p->members * (size_t)(n + 1));
    Stmt *st = db_query(db,
                        "SELECT m.staff_id, s.staff_no, s.name, m.role FROM dx_project_member m JOIN staff s ON s.id = m.staff_id"
                        " WHERE m.project_id = ? ORDER BY s.staff_no",
                        p->id);
    while (p->nmembers < n && db_step(st) == DB_ROW) {
        ProjectMember *m = &p->members[p->nmembers++];
        m->staff_id = db_col_int(st, 0);
        m->staff_no = db_col_dup(st, 1, a);
        m->name = db_col_dup(st, 2, a);
        m->role = db_col_dup(st, 3, a);
    }
    db_done(st);

    n = (int)db_int(db, 0, "SELECT COUNT(*) FROM dx_project_need WHERE project_id = ?", p->id);
    p->needs = arena_zalloc(a, sizeof *p->needs * (size_t)(n + 1));
    st = db_query(db,
                  "SELECT n.item_id, i.code, i.name, n.required_level, n.headcount FROM dx_project_need n JOIN skill_item i ON i.id = n.item_id"
                  " WHERE n.project_id = ? ORDER BY i.sort_order, i.code",
                  p->id);
    while (p->nneeds < n && db_step(st) == DB_ROW) {
        ProjectNeed *x = &p->needs[p->nneeds++];
        x->item_id = db_col_int(st, 0);
        x->item_code = db_col_dup(st, 1, a);
        x->item_name = db_col_dup(st, 2, a);
        x->level = (int)db_col_int(st, 3);
        x->headcount = (int)db_col_int(st, 4);
    }
    db_done(st);

    n = (int)db_int(db, 0, "SELECT COUNT(*) FROM dx_project_figure WHERE project_id = ?", p->id);
    p->figures = arena_zalloc(a, sizeof *p->figures * (size_t)(n + 1));
    st = db_query(db, "SELECT label, value, unit FROM dx_project_figure WHERE project_id = ? ORDER BY id", p->id);
    while (p->nfigures < n && db_step(st) == DB_ROW) {
        ProjectFigure *f = &p->figures[p->nfigures++];
        f->label = db_col_dup(st, 0, a);
        f->value = db_col_double(st, 1);
        f->unit = db_col_dup(st, 2, a);
    }
    db_done(st);

    n = (int)db_int(db, 0, "SELECT COUNT(*) FROM extern_project WHERE project_id = ?", p->id);
    p->externs = arena_zalloc(a, sizeof *p->externs * (size_t)(n + 1));
    st = db_query(db,
                  "SELECT e.id, e.name, e.kind, l.role, EXISTS (SELECT 1 FROM extern_engagement g WHERE g.extern_id = e.id AND "
                  ASOF_IN_FORCE("g") ") FROM extern_project l JOIN extern_person e ON e.id = l.extern_id WHERE l.project_id = ? ORDER BY e.name",
                  today, today, p->id);
    while (p->nexterns < n && db_step(st) == DB_ROW) {
        ProjectExtern *x = &p->externs[p->nexterns++];
        x->extern_id = db_col_int(st, 0);
        x->name = db_col_dup(st, 1, a);
        x->kind = db_col_dup(st, 2, a);
        x->role = db_col_dup(st, 3, a);
        x->engaged = db_col_int(st, 4) != 0;
    }
    db_done(st);
}

bool project_get(Db *db, Arena *a, int64_t id, int nendo, const char *today, Project *out)
{
    Stmt *st = db_query(db, P_SELECT " WHERE p.id = ?", id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_project(st, a, out);
    db_done(st);
    if (!found) return false;
    out->owner_designated = owner_designated(db, out->owner_staff_id, nendo);
    load_children(db, a, today, out);
    return true;
}

/* ---- saving ---- */

static bool valid_status(const char *s)
{
    return project_status_name(s)[0] != 0;
}

/* Parses "1,234,000" or "1234000" (full width allowed) as 円 >= 0. */
static bool parse_yen(Arena *a, const char *s, int64_t *out)
{
    if (str_empty(s)) {
        *out = 0;
        return true;
    }
    const char *n = text_nfkc(a, s);
    char digits[32];
    size_t k = 0;
    for (const char *p = n; *p; p++) {
        if (*p == ',' || *p == ' ') continue;
        if (*p == '\xe5' && strncmp(p, "円", 3) == 0 && !p[3]) break;
        if (*p < '0' || *p > '9' || k + 1 >= sizeof digits || k >= 15) return false;
        digits[k++] = *p;
    }
    digits[k] = 0;
    return k > 0 && parse_int64(digits, out);
}

/* The parsed child rows of a form. */
typedef struct Parsed {
    int64_t staff[64];
    const char *role[64];
    int nm;
    int64_t item[64];
    int level[64], head[64];
    int nn;
    const char *flabel[32], *funit[32];
    double fval[32];
    int nf;
} Parsed;

static void parse_members(Db *db, Arena *a, const char *text, Parsed *p, Errors *e)
{
    LineIter it = lines_begin(text);
    const char *line;
    int no = 0;
    while ((line = lines_next(a, &it))) {
        no++;
        const char *tok[2];
        if (lines_split(a, line, tok, 2) == 0) continue;
        const char *staff_no = text_nfkc(a, tok[0]);
        int64_t id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", staff_no);
        if (!id) {
            err_addf(e, "members", "メンバー%d行目：職員番号「%s」の職員はいません。", no, staff_no);
            continue;
        }
        for (int i = 0; i < p->nm; i++)
            if (p->staff[i] == id) {
                err_addf(e, "members", "メンバー%d行目：職員番号「%s」が重複しています。", no, staff_no);
                id = 0;
            }
        if (!id) continue;
        if (p->nm >= 64) {
            err_add(e, "members", "メンバーは64人までです。");
            return;
        }
        if (tok[1] && utf8_chars(tok[1]) > 50) err_addf(e, "members", "メンバー%d行目：役割は50文字以内で入力してください。", no);
        p->staff[p->nm] = id;
        p->role[p->nm++] = tok[1] ? tok[1] : "";
    }
}

static void parse_needs(Db *db, Arena *a, const char *text, Parsed *p, Errors *e)
{
    LineIter it = lines_begin(text);
    const char *line;
    int no = 0;
    while ((line = lines_next(a, &it))) {
        no++;
        const char *tok[3];
        int k = lines_split(a, text_nfkc(a, line), tok, 3);
        if (k == 0) continue;
        int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = ? AND retired_on IS NULL", tok[0]);
        int64_t lv = 0, hc = 1;
        if (!item) err_addf(e, "needs", "必要なスキル%d行目：スキル「%s」はスキルマップにありません。", no, tok[0]);
        if (k < 2 || !parse_int64(tok[1], &lv) || lv < 1 || lv > 4)
            err_addf(e, "needs", "必要なスキル%d行目：必要レベルは1～4の数字で入力してください。", no);
        if (k == 3 && (!parse_int64(tok[2], &hc) || hc < 1 || hc > 99))
            err_addf(e, "needs", "必要なスキル%d行目：人数は1～99の数字で入力してください。", no);
        for (int i = 0; item && i < p->nn; i++)
            if (p->item[i] == item) {
                err_addf(e, "needs", "必要なスキル%d行目：スキル「%s」が重複しています。", no, tok[0]);
                item = 0;
            }
        if (!item || err_any(e)) continue;
        if (p->nn >= 64) {
            err_add(e, "needs", "必要なスキルは64件までです。");
            return;
        }
        p->item[p->nn] = item;
        p->level[p->nn] = (int)lv;
        p->head[p->nn++] = (int)hc;
    }
}

static void parse_figures(Arena *a, const char *text, Parsed *p, Errors *e)
{
    LineIter it = lines_begin(text);
    const char *line;
    int no = 0;
    while ((line = lines_next(a, &it))) {
        no++;
        const char *tok[3];
        int k = lines_split(a, line, tok, 3);
        if (k == 0) continue;
        char *end = NULL;
        const char *num = k >= 2 ? text_nfkc(a, tok[1]) : "";
        double v = k >= 2 ? strtod(num, &end) : 0;
        if (k < 2 || !end || end == num || *end || !isfinite(v)) {
            err_addf(e, "figures", "成果の数値%d行目：「項目 数値 単位」の形で入力してください（例：削減時間 120 時間）。", no);
            continue;
        }
        if (p->nf >= 32) {
            err_add(e, "figures", "成果の数値は32件までです。");
            return;
        }
        p->flabel[p->nf] = tok[0];
        p->fval[p->nf] = v;
        p->funit[p->nf++] = k == 3 ? tok[2] : "";
    }
}

int project_save(Db *db, const Actor *who, ProjectInput *in, Errors *e)
{
    Arena a = ARENA_INIT;
    Parsed *p = arena_zalloc(&a, sizeof *p);
    Date d1, d2;
    int64_t unit = 0, budget = 0, owner = 0;
    if (str_empty(in->name) || utf8_chars(in->name) > 100) err_add(e, "name", "プロジェクト名を100文字以内で入力してください。");
    if (!parse_int64(in->unit_id, &unit) || !db_exists(db, "SELECT 1 FROM org_unit WHERE id = ?", unit))
        err_add(e, "unit_id", "担当する組織を選んでください。");
    if (in->purpose && utf8_chars(in->purpose) > 2000) err_add(e, "purpose", "目的は2000文字以内で入力してください。");
    if (str_empty(in->from_date) || !date_parse(in->from_date, &d1))
        err_add(e, "from_date", "開始日を正しい日付で入力してください（例：2026-04-01）。");
    if (!str_empty(in->to_date)) {
        if (!date_parse(in->to_date, &d2)) err_add(e, "to_date", "終了日を正しい日付で入力してください（例：2027-03-31）。");
        else if (!err_for(e, "from_date") && date_cmp(d2, d1) < 0) err_add(e, "to_date", "終了日は開始日より後の日付にしてください。");
    }
    if (!valid_status(in->status)) err_add(e, "status", "状態を選んでください。");
    if (!parse_yen(&a, in->budget, &budget)) err_add(e, "budget", "予算は円単位の数字で入力してください（例：1200000）。");
    if (!str_empty(in->owner_no)) {
        owner = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", text_nfkc(&a, in->owner_no));
        if (!owner) err_add(e, "owner_no", "プロジェクト担当の職員番号が見つかりません。");
    }
    if (in->outcome && utf8_chars(in->outcome) > 4000) err_add(e, "outcome", "成果は4000文字以内で入力してください。");
    parse_members(db, &a, in->members, p, e);
    parse_needs(db, &a, in->needs, p, e);
    parse_figures(&a, in->figures, p, e);
    if (err_any(e) || tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    char now[32];
    now_iso(now);
    const char *to = str_empty(in->to_date) ? NULL : in->to_date;
    bool ok, adding = in->id == 0;
    if (adding) {
        Stmt *st = db_query(db,
                            "INSERT INTO dx_project (name, unit_id, purpose, from_date, to_date, status, budget, owner_staff_id, outcome, created_at,"
                            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            in->name, unit, in->purpose ? in->purpose : "", in->from_date, to, in->status, budget, DB_ID_OR_NULL(owner),
                            in->outcome ? in->outcome : "", now, now);
        ok = db_step(st) == DB_ROW;
        if (ok) in->id = db_col_int(st, 0);
        db_done(st);
    } else {
        ok = db_exec(db,
                     "UPDATE dx_project SET name = ?, unit_id = ?, purpose = ?, from_date = ?, to_date = ?, status = ?, budget = ?,"
                     " owner_staff_id = ?, outcome = ?, updated_at = ? WHERE id = ?",
                     in->name, unit, in->purpose ? in->purpose : "", in->from_date, to, in->status, budget, DB_ID_OR_NULL(owner),
                     in->outcome ? in->outcome : "", now, in->id) == 1;
        if (!ok) err_add(e, "", "そのプロジェクトは見つかりません。");
    }
    ok = ok && db_exec(db, "DELETE FROM dx_project_member WHERE project_id = ?", in->id) >= 0 &&
         db_exec(db, "DELETE FROM dx_project_need WHERE project_id = ?", in->id) >= 0 &&
         db_exec(db, "DELETE FROM dx_project_figure WHERE project_id = ?", in->id) >= 0;
    for (int i = 0; ok && i < p->nm; i++)
        ok = db_exec(db, "INSERT INTO dx_project_member (project_id, staff_id, role) VALUES (?, ?, ?)", in->id, p->staff[i], p->role[i]) == 1;
    for (int i = 0; ok && i < p->nn; i++)
        ok = db_exec(db, "INSERT INTO dx_project_need (project_id, item_id, required_level, headcount) VALUES (?, ?, ?, ?)", in->id, p->item[i],
                     p->level[i], p->head[i]) == 1;
    for (int i = 0; ok && i < p->nf; i++)
        ok = db_exec(db, "INSERT INTO dx_project_figure (project_id, label, value, unit) VALUES (?, ?, ?, ?)", in->id, p->flabel[i], p->fval[i],
                     p->funit[i]) == 1;
    ok = ok && audit_write(db, who, adding ? "project.add" : "project.save", "dx_project", in->id, 0,
                           arena_printf(&a, "%s（%s、メンバー%d人、必要スキル%d件）", in->name, project_status_name(in->status), p->nm, p->nn)) == 0;
    arena_free(&a);
    int rc = tx_end(db, e, ok);
    if (rc != 0 && adding) in->id = 0;
    return rc;
}

int project_delete(Db *db, const Actor *who, int64_t id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char *name = db_text(db, &a, "SELECT name FROM dx_project WHERE id = ?", id);
    if (!name) err_add(e, "", "そのプロジェクトは見つかりません。");
    bool ok = name && db_exec(db, "DELETE FROM dx_project_member WHERE project_id = ?", id) >= 0 &&
              db_exec(db, "DELETE FROM dx_project_need WHERE project_id = ?", id) >= 0 &&
              db_exec(db, "DELETE FROM dx_project_figure WHERE project_id = ?", id) >= 0 &&
              db_exec(db, "DELETE FROM extern_project WHERE project_id = ?", id) >= 0 &&
              db_exec(db, "DELETE FROM case_tag WHERE kind = 'project' AND ref_id = ?", id) >= 0 &&
              db_exec(db, "DELETE FROM dx_project WHERE id = ?", id) == 1 && audit_write(db, who, "project.delete", "dx_project", id, 0, name) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

const char *project_members_text(Arena *a, const Project *p)
{
    Buf b = BUF_INIT;
    for (int i = 0; i < p->nmembers; i++)
        buf_printf(&b, "%s%s%s\n", p->members[i].staff_no, str_empty(p->members[i].role) ? "" : " ", p->members[i].role);
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

const char *project_needs_text(Arena *a, const Project *p)
{
    Buf b = BUF_INIT;
    for (int i = 0; i < p->nneeds; i++) buf_printf(&b, "%s %d %d\n", p->needs[i].item_code, p->needs[i].level, p->needs[i].headcount);
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

const char *project_figures_text(Arena *a, const Project *p)
{
    Buf b = BUF_INIT;
    for (int i = 0; i < p->nfigures; i++)
        buf_printf(&b, "%s %g%s%s\n", p->figures[i].label, p->figures[i].value, str_empty(p->figures[i].unit) ? "" : " ", p->figures[i].unit);
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* ---- skill need against members ---- */

int need_state(int required, int headcount, const int *levels, int n, bool extern_covers)
{
    int reached = 0;
    for (int i = 0; i < n; i++) reached += levels[i] >= 0 && levels[i] >= required;
    if (reached >= headcount) return NEED_MET;
    return extern_covers ? NEED_EXTERN : NEED_TRAINING;
}

const char *need_state_name(int state)
{
    switch (state) {
    case NEED_MET: return "充足";
    case NEED_EXTERN: return "不足（外部人材で補完中）";
    default: return "不足（研修が必要）";
    }
}

int member_level(Db *db, int64_t staff_id, int64_t item_id, bool *confirmed)
{
    int lv = (int)db_int(db, -1,
                         "SELECT i.sup_level FROM assessment x JOIN assessment_item i ON i.assessment_id = x.id WHERE x.staff_id = ? AND i.item_id = ?"
                         " AND x.state = 'confirmed' AND i.sup_level IS NOT NULL ORDER BY x.nendo DESC LIMIT 1",
                         staff_id, item_id);
    *confirmed = lv >= 0;
    if (lv >= 0) return lv;
    return (int)db_int(db, -1,
                       "SELECT i.self_level FROM assessment x JOIN assessment_item i ON i.assessment_id = x.id WHERE x.staff_id = ? AND i.item_id = ?"
                       " AND i.self_level IS NOT NULL ORDER BY x.nendo DESC LIMIT 1",
                       staff_id, item_id);
}

static int by_level_desc(const void *x, const void *y)
{
    const NeedMember *a = x, *b = y;
    if (a->level != b->level) return b->level - a->level;
    if (a->confirmed != b->confirmed) return b->confirmed - a->confirmed;
    return (a->staff_id > b->staff_id) - (a->staff_id < b->staff_id);
}

int project_coverage(Db *db, Arena *a, const Project *p, const char *today, NeedCover **out)
{
    NeedCover *rows = arena_zalloc(a, sizeof *rows * (size_t)(p->nneeds + 1));
    int *levels = arena_zalloc(a, sizeof *levels * (size_t)(p->nmembers + 1));
    for (int i = 0; i < p->nneeds; i++) {
        NeedCover *c = &rows[i];
        c->need = &p->needs[i];
        c->best = arena_zalloc(a, sizeof *c->best * (size_t)(p->nmembers + 1));
        for (int m = 0; m < p->nmembers; m++) {
            NeedMember *nm = &c->best[c->nbest++];
            nm->staff_id = p->members[m].staff_id;
            nm->name = p->members[m].name;
            nm->level = member_level(db, nm->staff_id, c->need->item_id, &nm->confirmed);
            levels[m] = nm->level;
        }
        qsort(c->best, (size_t)c->nbest, sizeof *c->best, by_level_desc);
        for (int m = 0; m < c->nbest; m++) c->reached += c->best[m].level >= c->need->level;
        c->extern_name = db_text(db, a,
                                 "SELECT e.name FROM extern_project l JOIN extern_person e ON e.id = l.extern_id JOIN extern_skill k ON k.extern_id = e.id"
                                 " WHERE l.project_id = ? AND k.item_id = ? AND k.level >= ? AND EXISTS (SELECT 1 FROM extern_engagement g"
                                 " WHERE g.extern_id = e.id AND " ASOF_IN_FORCE("g") ") ORDER BY k.level DESC, e.name LIMIT 1",
                                 p->id, c->need->item_id, c->need->level, today, today);
        c->state = need_state(c->need->level, c->need->headcount, levels, p->nmembers, c->extern_name != NULL);
    }
    *out = rows;
    return p->nneeds;
}
