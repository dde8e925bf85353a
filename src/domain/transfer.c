/* transfer.c - the draft transfer list: parse, preview, apply; see transfer.h. */
#include "transfer.h"

#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/csvread.h"
#include "../io/text.h"
#include "asof.h"
#include "gap.h"
#include "skill.h"
#include "staff.h"
#include "training.h"

static const struct {
    const char *word;
    TransferKind kind;
} kinds[] = {{"異動", TR_MOVE}, {"採用", TR_HIRE}, {"退職", TR_RETIRE}, {"move", TR_MOVE}, {"hire", TR_HIRE}, {"retire", TR_RETIRE}};

static const char *emp_code(const char *name)
{
    for (size_t i = 0; i < COUNTOF(emp_types); i++)
        if (str_eq(name, emp_types[i].name) || str_eq(name, emp_types[i].code)) return emp_types[i].code;
    return NULL;
}

int transfer_parse(Db *db, Arena *a, const char *data, size_t len, TransferList *out, Errors *e)
{
    memset(out, 0, sizeof *out);
    CsvDoc doc;
    CsvError cerr;
    if (csv_parse_any(a, data, len, &doc, &cerr, NULL) != 0) {
        err_addf(e, "file", "%d行目：%s", cerr.line, cerr.msg);
        return -1;
    }
    static const char *const head[] = {"職員番号", "区分", "新所属コード", "発令日", "氏名", "カナ", "職員区分"};
    int col[7];
    for (int c = 0; c < 7; c++) {
        col[c] = csv_col(&doc, head[c]);
        if (col[c] < 0 && c < 4) err_addf(e, "file", "1行目に見出し「%s」の列がありません。", head[c]);
    }
    if (err_any(e)) return -1;
    out->rows = arena_zalloc(a, sizeof *out->rows * (size_t)(doc.nrows + 1));
    out->effective = "";
    for (int r = 1; r < doc.nrows; r++) {
        const CsvRow *row = &doc.rows[r];
        TransferRow *t = &out->rows[out->n++];
#define F(c) (col[c] >= 0 ? text_trim(a, csv_field(row, col[c])) : "")
        t->line = row->line;
        t->staff_no = F(0);
        const char *kind = F(1);
        t->unit_code = F(2);
        t->name = F(4);
        t->kana = F(5);
        t->emp_type = F(6);
#undef F
        Date d;
        const char *date = text_trim(a, csv_field(row, col[3]));
        if (!date_parse_loose(date, &d)) {
            err_addf(e, "file", "%d行目：発令日「%s」を日付として読めません。", t->line, date);
            continue;
        }
        char *iso = arena_alloc(a, 11);
        date_iso(d, iso);
        t->date = iso;
        if (strcmp(iso, out->effective) > 0) out->effective = iso;
        bool known = false;
        for (size_t k = 0; k < COUNTOF(kinds); k++)
            if (str_eq(kind, kinds[k].word)) t->kind = kinds[k].kind, known = true;
        if (!known) {
            err_addf(e, "file", "%d行目：区分は 異動・採用・退職 のどれかにしてください（「%s」）。", t->line, kind);
            continue;
        }
        /* A retirement dated D makes D-1 the last day: the person must be in
         * service then; a transfer needs them in service on D. */
        char on[11];
        date_iso(t->kind == TR_RETIRE ? date_add_days(d, -1) : d, on);
        Stmt *st = db_query(db, "SELECT s.id, s.name, CASE WHEN " ASOF_IN_SERVICE("s.id") " THEN 1 ELSE 0 END FROM staff s WHERE s.staff_no = ?",
                            on, on, t->staff_no);
        bool in_service = false;
        if (db_step(st) == DB_ROW) {
            t->staff_id = db_col_int(st, 0);
            t->staff_name = db_col_dup(st, 1, a);
            in_service = db_col_int(st, 2) != 0;
        }
        db_done(st);
        if (t->kind == TR_HIRE) {
            if (t->staff_id) err_addf(e, "file", "%d行目：職員番号「%s」は既に登録されています。", t->line, t->staff_no);
            if (!*t->name) err_addf(e, "file", "%d行目：採用には氏名が必要です。", t->line);
            if (!emp_code(t->emp_type)) err_addf(e, "file", "%d行目：職員区分は 正規・再任用・任期付・会計年度任用 のどれかにしてください。", t->line);
            t->staff_name = t->name;
        } else if (!t->staff_id || !in_service) {
            err_addf(e, "file", "%d行目：職員番号「%s」の職員は%sに在職していません。", t->line, t->staff_no, on);
            continue;
        }
        for (int p = 0; p < out->n - 1; p++)
            if (str_eq(out->rows[p].staff_no, t->staff_no)) err_addf(e, "file", "%d行目：職員番号「%s」が重複しています。", t->line, t->staff_no);
        t->from_unit = db_text(db, a,
                               "SELECT CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
                               " JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id WHERE s.id = ?",
                               on, on, t->staff_id);
        if (t->kind == TR_RETIRE) continue;
        st = db_query(db,
                      "SELECT u.id, CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END FROM org_unit u"
                      " LEFT JOIN org_unit pu ON pu.id = u.parent_id WHERE u.code = ? AND u.valid_from <= ? AND (u.valid_to IS NULL OR u.valid_to >= ?)",
                      t->unit_code, t->date, t->date);
        if (db_step(st) == DB_ROW) {
            t->unit_id = db_col_int(st, 0);
            t->to_unit = db_col_dup(st, 1, a);
        }
        db_done(st);
        if (!t->unit_id) err_addf(e, "file", "%d行目：所属コード「%s」の組織は発令日に存在しません。", t->line, t->unit_code);
    }
    if (!out->n && !err_any(e)) err_add(e, "file", "データの行がありません。");
    return err_any(e) ? -1 : 0;
}

/* Performs the list inside the caller's transaction. */
static bool apply_rows(Db *db, const Actor *who, const TransferList *l, Errors *e)
{
    for (int i = 0; i < l->n; i++) {
        const TransferRow *t = &l->rows[i];
        Errors one = {0};
        bool ok;
        if (t->kind == TR_MOVE) {
            ok = staff_assign_in(db, who, t->staff_id, t->unit_id, true, t->date, &one);
        } else if (t->kind == TR_HIRE) {
            Staff s = {0};
            s.staff_no = t->staff_no;
            s.name = t->name;
            s.kana = t->kana;
            s.emp_type = emp_code(t->emp_type);
            s.post = "";
            s.job_type = "";
            s.unit_id = t->unit_id;
            ok = staff_save_in(db, who, &s, t->date, &one);
        } else {
            Date d;
            date_parse(t->date, &d);
            char last[11];
            date_iso(date_add_days(d, -1), last);
            ok = staff_deactivate_in(db, who, t->staff_id, last, &one);
        }
        if (!ok) {
            err_addf(e, "file", "%d行目：%s", t->line, one.n ? one.items[0].msg : "反映できませんでした。");
            return false;
        }
    }
    return true;
}

/* Locks the rows of the people the list moves or retires (db_lock_rows), in
 * id order so that two lists sharing people cannot deadlock: each person's
 * assignments are then read and changed by one list at a time. New hires
 * are guarded by staff_no's UNIQUE. */
static bool lock_people(Db *db, Arena *a, const TransferList *l)
{
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(l->n + 1));
    int n = 0;
    for (int i = 0; i < l->n; i++)
        if (l->rows[i].kind != TR_HIRE && l->rows[i].staff_id) ids[n++] = l->rows[i].staff_id;
    if (db_lock_rows(db, "staff", ids, n) != 0) return false;
    /* Then the sessions of the leavers' pending applications, all at once
     * (app_withdraw_leaver would otherwise take them person by person). */
    n = 0;
    for (int i = 0; i < l->n; i++)
        if (l->rows[i].kind == TR_RETIRE && l->rows[i].staff_id) ids[n++] = l->rows[i].staff_id;
    return app_lock_pending_sessions(db, ids, n);
}

int transfer_apply(Db *db, const Actor *who, const TransferList *l, Errors *e)
{
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    Arena a = ARENA_INIT;
    bool ok = lock_people(db, &a, l) && apply_rows(db, who, l, e) &&
              audit_write(db, who, "transfer.apply", "assignment", 0, 0, arena_printf(&a, "人事異動の反映 %d件（発令日 %s まで）", l->n, l->effective)) == 0;
    arena_free(&a);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "反映できませんでした。");
    return -1;
}

/* People of a unit after the list, ranked by ② targets met: who could lead. */
static int candidates(Db *db, Arena *a, int nendo, const char *as_of, int64_t unit, Candidate **out)
{
    SkillMap m;
    skill_map_load(db, a, nendo, false, &m);
    GapMatrix g;
    GapFilter f = {.unit_id = unit};
    gap_matrix(db, a, &m, nendo, as_of, &f, &g);
    Candidate *rows = arena_zalloc(a, sizeof *rows * (size_t)(g.npeople + 1));
    int n = 0;
    for (int p = 0; p < g.npeople; p++) {
        int met = 0, items = 0;
        for (int i = 0; i < m.nitems; i++) {
            int t = m.items[i].target[2];
            if (t < 0) continue;
            items++;
            int lv = gap_level(&g, p, i, NULL);
            if (lv >= t) met++;
        }
        rows[n++] = (Candidate){g.people[p].staff_id, g.people[p].staff_no, g.people[p].name, met, items};
    }
    /* Best first: insertion sort, lists are short. */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && rows[j].met > rows[j - 1].met; j--) {
            Candidate t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
        }
    *out = rows;
    return n < 5 ? n : 5;
}

int transfer_preview(Db *db, Arena *a, const Actor *who, const TransferList *l, int nendo, TransferEffect *out, Errors *e)
{
    memset(out, 0, sizeof *out);
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    const char *at = l->effective;
    out->nbefore = staffing_coverage(db, a, nendo, at, &out->before);
    kpi_compute(db, a, nendo, at, &out->kpi_before);
    kpi_expert_plan(db, a, nendo, at, &out->expert_before);
    /* The rows it writes are locked as the apply locks them, in one order. */
    bool ok = lock_people(db, a, l) && apply_rows(db, who, l, e);
    if (ok) {
        out->nafter = staffing_coverage(db, a, nendo, at, &out->after);
        kpi_compute(db, a, nendo, at, &out->kpi_after);
        kpi_expert_plan(db, a, nendo, at, &out->expert_after);
        int cap = out->nbefore + 1;
        out->lost_units = arena_alloc(a, sizeof(int64_t) * (size_t)cap);
        out->lost_names = arena_alloc(a, sizeof(char *) * (size_t)cap);
        out->candidates = arena_alloc(a, sizeof(Candidate *) * (size_t)cap);
        out->ncandidates = arena_alloc(a, sizeof(int) * (size_t)cap);
        for (int i = 0; i < out->nbefore && i < out->nafter; i++) {
            const StaffingRow *b = &out->before[i], *x = &out->after[i];
            if (!str_eq(b->rule, "leader") || b->unit_id != x->unit_id || b->have == 0 || x->have > 0) continue;
            int k = out->nlost++;
            out->lost_units[k] = x->unit_id;
            out->lost_names[k] = x->unit_name;
            out->ncandidates[k] = candidates(db, a, nendo, at, x->unit_id, &out->candidates[k]);
        }
    }
    /* Nothing of the preview stays: the list was applied only to measure it. */
    db_rollback(db);
    if (!ok && !err_any(e)) err_add(e, "", "確認できませんでした。もう一度お試しください。");
    return ok ? 0 : -1;
}

void transfer_print(const TransferEffect *fx, const TransferList *l, FILE *out)
{
    static const char *const kind_names[] = {"異動", "採用", "退職"};
    fprintf(out, "異動案 %d件（発令日 %s）— まだ何も変更していません。\n", l->n, l->effective);
    for (int i = 0; i < l->n; i++) {
        const TransferRow *t = &l->rows[i];
        fprintf(out, "  %s %s %s: %s → %s\n", kind_names[t->kind], t->staff_no, t->staff_name ? t->staff_name : "", t->from_unit ? t->from_unit : "－",
                t->to_unit ? t->to_unit : "－");
    }
    fprintf(out, "\n総括リーダーがいなくなる係: %d\n", fx->nlost);
    for (int i = 0; i < fx->nlost; i++) {
        fprintf(out, "  %s  候補:", fx->lost_names[i]);
        for (int k = 0; k < fx->ncandidates[i]; k++)
            fprintf(out, " %s %s（%d/%d項目）", fx->candidates[i][k].staff_no, fx->candidates[i][k].name, fx->candidates[i][k].met,
                    fx->candidates[i][k].items);
        fputc('\n', out);
    }
    fprintf(out, "\n充足状況が変わるもの:\n");
    for (int i = 0; i < fx->nbefore && i < fx->nafter; i++) {
        const StaffingRow *b = &fx->before[i], *x = &fx->after[i];
        if (b->state == x->state && b->have == x->have) continue;
        fprintf(out, "  %s %s: %s%d人 → %s%d人（必要%d人）\n", x->unit_name, x->what, staffing_state_symbol(b->state), b->have, staffing_state_symbol(x->state), x->have,
                x->need);
    }
    fprintf(out, "\n高度専門人材: %d人 → %d人（目標 %d人）\n", fx->expert_before.actual, fx->expert_after.actual, fx->expert_after.target);
}
