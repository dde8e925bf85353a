/* extern.c - the external talent register and its KPIs (see extern.h). */
#include "extern.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "lines.h"
#include "../db/tx.h"

const char *const EXTERN_KIND[EXTERN_NKIND] = {"advisor", "pool", "cio_aide", "fixed_term", "side_job", "kigyojin", "dispatch", "other"};
const char *const EXTERN_KIND_NAME[EXTERN_NKIND] = {"地域情報化アドバイザー", "外部デジタル人材（県の人材プール）", "CIO補佐官", "任期付職員",
                                                     "副業・兼業人材", "地域活性化起業人", "企業派遣", "その他"};

const char *extern_kind_name(const char *code)
{
    for (int i = 0; i < EXTERN_NKIND; i++)
        if (str_eq(code, EXTERN_KIND[i])) return EXTERN_KIND_NAME[i];
    return "";
}

#define E_SELECT                                                                                                     \
    "SELECT e.id, e.is_org, e.name, e.kind, e.affiliation, e.contact, e.note, e.ended_on,"                          \
    " (SELECT MAX(g.to_date) FROM extern_engagement g WHERE g.extern_id = e.id AND " ASOF_IN_FORCE("g") ")"          \
    " FROM extern_person e"

static void read_extern(Stmt *st, Arena *a, Extern *x)
{
    memset(x, 0, sizeof *x);
    x->id = db_col_int(st, 0);
    x->is_org = db_col_int(st, 1) != 0;
    x->name = db_col_dup(st, 2, a);
    x->kind = db_col_dup(st, 3, a);
    x->affiliation = db_col_dup(st, 4, a);
    x->contact = db_col_dup(st, 5, a);
    x->note = db_col_dup(st, 6, a);
    x->ended_on = db_col_dup(st, 7, a);
    x->current_until = db_col_dup(st, 8, a);
}

static void load_skills_projects(Db *db, Arena *a, Extern *x)
{
    int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM extern_skill WHERE extern_id = ?", x->id);
    x->skills = arena_zalloc(a, sizeof *x->skills * (size_t)(n + 1));
    Stmt *st = db_query(db,
                        "SELECT k.item_id, i.code, i.name, k.level FROM extern_skill k JOIN skill_item i ON i.id = k.item_id WHERE k.extern_id = ?"
                        " ORDER BY i.sort_order, i.code",
                        x->id);
    while (x->nskills < n && db_step(st) == DB_ROW) {
        ExternSkill *k = &x->skills[x->nskills++];
        k->item_id = db_col_int(st, 0);
        k->item_code = db_col_dup(st, 1, a);
        k->item_name = db_col_dup(st, 2, a);
        k->level = (int)db_col_int(st, 3);
    }
    db_done(st);
    n = (int)db_int(db, 0, "SELECT COUNT(*) FROM extern_project WHERE extern_id = ?", x->id);
    x->projects = arena_zalloc(a, sizeof *x->projects * (size_t)(n + 1));
    st = db_query(db,
                  "SELECT p.id, p.unit_id, p.name, l.role FROM extern_project l JOIN dx_project p ON p.id = l.project_id WHERE l.extern_id = ?"
                  " ORDER BY p.from_date DESC, p.id",
                  x->id);
    while (x->nprojects < n && db_step(st) == DB_ROW) {
        ExternProjectLink *l = &x->projects[x->nprojects++];
        l->project_id = db_col_int(st, 0);
        l->unit_id = db_col_int(st, 1);
        l->name = db_col_dup(st, 2, a);
        l->role = db_col_dup(st, 3, a);
    }
    db_done(st);
}

int extern_list(Db *db, Arena *a, const ExternFilter *f, Extern **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM extern_person");
    Extern *rows = arena_zalloc(a, sizeof *rows * (size_t)(cap + 1));
    *out = rows;
    if (f->scope_root < 0) return 0;
    const char *kind = str_empty(f->kind) ? "" : f->kind;
    int engaged = f->engaged_only ? 1 : 0;
    Stmt *st = db_query(db,
                        E_SELECT " WHERE (? = '' OR e.kind = ?)"
                                 " AND (? = 0 OR EXISTS (SELECT 1 FROM extern_engagement g2 WHERE g2.extern_id = e.id AND " ASOF_IN_FORCE("g2") "))"
                                 " AND (? = 0 OR EXISTS (SELECT 1 FROM extern_project l JOIN dx_project p ON p.id = l.project_id"
                                 " WHERE l.extern_id = e.id AND p.unit_id IN (" ASOF_SUBTREE ")))"
                                 " ORDER BY e.ended_on IS NOT NULL, e.name",
                        f->today, f->today, kind, kind, engaged, f->today, f->today, f->scope_root, f->scope_root);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) read_extern(st, a, &rows[n++]);
    db_done(st);
    for (int i = 0; i < n; i++) load_skills_projects(db, a, &rows[i]);
    return n;
}

bool extern_in_scope(Db *db, int64_t id, int64_t scope_root)
{
    if (scope_root == 0) return true;
    if (scope_root < 0) return false;
    return db_exists(db,
                     "SELECT 1 FROM extern_project l JOIN dx_project p ON p.id = l.project_id WHERE l.extern_id = ? AND p.unit_id IN (" ASOF_SUBTREE ")",
                     id, scope_root);
}

bool extern_get(Db *db, Arena *a, int64_t id, const char *today, Extern *out)
{
    Stmt *st = db_query(db, E_SELECT " WHERE e.id = ?", today, today, id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_extern(st, a, out);
    db_done(st);
    if (!found) return false;
    load_skills_projects(db, a, out);

    int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM extern_engagement WHERE extern_id = ?", id);
    out->engagements = arena_zalloc(a, sizeof *out->engagements * (size_t)(n + 1));
    st = db_query(db,
                  "SELECT id, from_date, to_date, cost, tokko, funding_note, hours_contracted, hours_actual FROM extern_engagement WHERE extern_id = ?"
                  " ORDER BY from_date DESC, id DESC",
                  id);
    while (out->nengagements < n && db_step(st) == DB_ROW) {
        ExternEngagement *g = &out->engagements[out->nengagements++];
        g->id = db_col_int(st, 0);
        g->from_date = db_col_dup(st, 1, a);
        g->to_date = db_col_dup(st, 2, a);
        g->cost = db_col_int(st, 3);
        g->tokko = db_col_int(st, 4) != 0;
        g->funding_note = db_col_dup(st, 5, a);
        g->hours_contracted = db_col_double(st, 6);
        g->hours_actual = db_col_double(st, 7);
    }
    db_done(st);

    n = (int)db_int(db, 0, "SELECT COUNT(*) FROM extern_session WHERE extern_id = ?", id);
    out->sessions = arena_zalloc(a, sizeof *out->sessions * (size_t)(n + 1));
    st = db_query(db, "SELECT id, held_on, title, hours, attendee_count FROM extern_session WHERE extern_id = ? ORDER BY held_on DESC, id DESC", id);
    while (out->nsessions < n && db_step(st) == DB_ROW) {
        ExternSession *s = &out->sessions[out->nsessions++];
        s->id = db_col_int(st, 0);
        s->held_on = db_col_dup(st, 1, a);
        s->title = db_col_dup(st, 2, a);
        s->hours = db_col_double(st, 3);
        s->attendee_count = (int)db_col_int(st, 4);
    }
    db_done(st);
    for (int i = 0; i < out->nsessions; i++) {
        ExternSession *s = &out->sessions[i];
        Buf b = BUF_INIT;
        Stmt *q = db_query(db, "SELECT s.name FROM extern_session_staff x JOIN staff s ON s.id = x.staff_id WHERE x.session_id = ? ORDER BY s.staff_no",
                           s->id);
        while (db_step(q) == DB_ROW) {
            buf_printf(&b, "%s%s", s->nstaff ? "、" : "", db_col_text(q, 0));
            s->nstaff++;
        }
        db_done(q);
        s->staff_names = arena_strdup(a, buf_cstr(&b));
        buf_free(&b);
    }

    n = (int)db_int(db, 0, "SELECT COUNT(*) FROM extern_pairing WHERE extern_id = ?", id);
    out->pairings = arena_zalloc(a, sizeof *out->pairings * (size_t)(n + 1));
    st = db_query(db,
                  "SELECT x.id, x.staff_id, s.staff_no, s.name, x.from_date, x.to_date FROM extern_pairing x JOIN staff s ON s.id = x.staff_id"
                  " WHERE x.extern_id = ? ORDER BY x.from_date DESC, x.id DESC",
                  id);
    while (out->npairings < n && db_step(st) == DB_ROW) {
        ExternPairing *p = &out->pairings[out->npairings++];
        p->id = db_col_int(st, 0);
        p->staff_id = db_col_int(st, 1);
        p->staff_no = db_col_dup(st, 2, a);
        p->staff_name = db_col_dup(st, 3, a);
        p->from_date = db_col_dup(st, 4, a);
        p->to_date = db_col_null(st, 5) ? NULL : db_col_dup(st, 5, a);
    }
    db_done(st);
    return true;
}

/* ---- writes ---- */

int extern_save(Db *db, const Actor *who, ExternInput *in, Errors *e)
{
    Arena a = ARENA_INIT;
    if (str_empty(in->name) || utf8_chars(in->name) > 100) err_add(e, "name", "氏名・団体名を100文字以内で入力してください。");
    if (!extern_kind_name(in->kind)[0]) err_add(e, "kind", "種別を選んでください。");
    if (in->affiliation && utf8_chars(in->affiliation) > 200) err_add(e, "affiliation", "所属は200文字以内で入力してください。");
    if (in->contact && utf8_chars(in->contact) > 200) err_add(e, "contact", "連絡先は200文字以内で入力してください。");
    if (in->note && utf8_chars(in->note) > 2000) err_add(e, "note", "備考は2000文字以内で入力してください。");
    int64_t items[64];
    int levels[64], ns = 0;
    LineIter it = lines_begin(in->skills);
    const char *line;
    int no = 0;
    while ((line = lines_next(&a, &it))) {
        no++;
        const char *tok[2];
        if (lines_split(&a, text_nfkc(&a, line), tok, 2) == 0) continue;
        int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = ?", tok[0]), lv = -1;
        if (!item) err_addf(e, "skills", "スキル%d行目：スキル「%s」はスキルマップにありません。", no, tok[0]);
        if (!tok[1] || !parse_int64(tok[1], &lv) || lv < 0 || lv > 4) err_addf(e, "skills", "スキル%d行目：レベルは0～4の数字で入力してください。", no);
        for (int i = 0; item && i < ns; i++)
            if (items[i] == item) err_addf(e, "skills", "スキル%d行目：スキル「%s」が重複しています。", no, tok[0]);
        if (ns >= 64) {
            err_add(e, "skills", "スキルは64件までです。");
            break;
        }
        if (!err_any(e)) {
            items[ns] = item;
            levels[ns++] = (int)lv;
        }
    }
    for (int i = 0; i < in->nprojects; i++) {
        if (!db_exists(db, "SELECT 1 FROM dx_project WHERE id = ?", in->project_ids[i])) err_add(e, "projects", "選んだプロジェクトが見つかりません。");
        if (in->project_roles[i] && utf8_chars(in->project_roles[i]) > 50) err_add(e, "projects", "プロジェクトでの役割は50文字以内で入力してください。");
    }
    if (err_any(e) || tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    char now[32];
    now_iso(now);
    bool adding = in->id == 0, ok;
    if (adding) {
        Stmt *st = db_query(db,
                            "INSERT INTO extern_person (name, is_org, kind, affiliation, contact, note, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            in->name, in->is_org ? 1 : 0, in->kind, in->affiliation ? in->affiliation : "", in->contact ? in->contact : "",
                            in->note ? in->note : "", now, now);
        ok = db_step(st) == DB_ROW;
        if (ok) in->id = db_col_int(st, 0);
        db_done(st);
    } else {
        ok = db_exec(db, "UPDATE extern_person SET name = ?, is_org = ?, kind = ?, affiliation = ?, contact = ?, note = ?, updated_at = ? WHERE id = ?",
                     in->name, in->is_org ? 1 : 0, in->kind, in->affiliation ? in->affiliation : "", in->contact ? in->contact : "",
                     in->note ? in->note : "", now, in->id) == 1;
        if (!ok) err_add(e, "", "その外部人材は見つかりません。");
    }
    ok = ok && db_exec(db, "DELETE FROM extern_skill WHERE extern_id = ?", in->id) >= 0 &&
         db_exec(db, "DELETE FROM extern_project WHERE extern_id = ?", in->id) >= 0;
    for (int i = 0; ok && i < ns; i++)
        ok = db_exec(db, "INSERT INTO extern_skill (extern_id, item_id, level) VALUES (?, ?, ?)", in->id, items[i], levels[i]) == 1;
    for (int i = 0; ok && i < in->nprojects; i++)
        ok = db_exec(db, "INSERT INTO extern_project (extern_id, project_id, role) VALUES (?, ?, ?) ON CONFLICT (extern_id, project_id) DO NOTHING",
                     in->id, in->project_ids[i], in->project_roles[i] ? in->project_roles[i] : "") >= 0;
    ok = ok && audit_write(db, who, adding ? "extern.add" : "extern.save", "extern_person", in->id, 0,
                           arena_printf(&a, "%s（%s、スキル%d件、プロジェクト%d件）", in->name, extern_kind_name(in->kind), ns, in->nprojects)) == 0;
    arena_free(&a);
    int rc = tx_end(db, e, ok);
    if (rc != 0 && adding) in->id = 0;
    return rc;
}

int extern_end(Db *db, const Actor *who, int64_t id, const char *on, Errors *e)
{
    Date d;
    bool reopen = str_empty(on);
    if (!reopen && !date_parse(on, &d)) err_add(e, "ended_on", "登録終了日を正しい日付で入力してください（例：2027-03-31）。");
    if (err_any(e) || tx_begin(db, e) != 0) return -1;
    bool ok = db_exec(db, "UPDATE extern_person SET ended_on = ? WHERE id = ?", reopen ? NULL : on, id) == 1;
    if (!ok) err_add(e, "", "その外部人材は見つかりません。");
    ok = ok && audit_write(db, who, reopen ? "extern.reopen" : "extern.end", "extern_person", id, 0, reopen ? "登録を再開" : on) == 0;
    return tx_end(db, e, ok);
}

/* A non-negative decimal as typed (全角 allowed; "" is 0). */
static bool parse_amount(Arena *a, const char *s, double max, double *out)
{
    *out = 0;
    if (str_empty(s)) return true;
    const char *n = text_nfkc(a, s);
    Buf b = BUF_INIT;
    for (const char *p = n; *p; p++)
        if (*p != ',') buf_append(&b, p, 1);
    char *end = NULL;
    const char *c = buf_cstr(&b);
    double v = strtod(c, &end);
    bool ok = end != c && !*end && isfinite(v) && v >= 0 && v <= max;
    buf_free(&b);
    if (ok) *out = v;
    return ok;
}

static bool extern_exists(Db *db, int64_t id, Errors *e)
{
    if (db_exists(db, "SELECT 1 FROM extern_person WHERE id = ?", id)) return true;
    err_add(e, "", "その外部人材は見つかりません。");
    return false;
}

int extern_engagement_add(Db *db, const Actor *who, int64_t extern_id, const char *from, const char *to, const char *cost, bool tokko,
                          const char *funding_note, const char *hours_contracted, const char *hours_actual, Errors *e)
{
    Arena a = ARENA_INIT;
    Date d1, d2;
    double c = 0, hc = 0, ha = 0;
    if (str_empty(from) || !date_parse(from, &d1)) err_add(e, "from", "契約の開始日を正しい日付で入力してください（例：2026-04-01）。");
    if (str_empty(to) || !date_parse(to, &d2)) err_add(e, "to", "契約の終了日を正しい日付で入力してください（例：2027-03-31）。");
    else if (!err_for(e, "from") && date_cmp(d2, d1) < 0) err_add(e, "to", "終了日は開始日より後の日付にしてください。");
    if (!parse_amount(&a, cost, 1e13, &c) || c != floor(c)) err_add(e, "cost", "費用は円単位の数字で入力してください（例：1200000）。");
    if (!parse_amount(&a, hours_contracted, 100000, &hc)) err_add(e, "hours_contracted", "契約時間は0以上の数字で入力してください（例：120）。");
    if (!parse_amount(&a, hours_actual, 100000, &ha)) err_add(e, "hours_actual", "実績時間は0以上の数字で入力してください（例：96.5）。");
    if (funding_note && utf8_chars(funding_note) > 200) err_add(e, "funding_note", "財源の備考は200文字以内で入力してください。");
    if (err_any(e) || tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    int64_t id = 0;
    bool ok = extern_exists(db, extern_id, e);
    if (ok) {
        Stmt *st = db_query(db,
                            "INSERT INTO extern_engagement (extern_id, from_date, to_date, cost, tokko, funding_note, hours_contracted, hours_actual)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            extern_id, from, to, (int64_t)c, tokko ? 1 : 0, funding_note ? funding_note : "", hc, ha);
        ok = db_step(st) == DB_ROW;
        if (ok) id = db_col_int(st, 0);
        db_done(st);
    }
    ok = ok && audit_write(db, who, "extern.engagement", "extern_person", extern_id, 0,
                           arena_printf(&a, "契約 %s～%s %lld円%s 契約%g時間 実績%g時間 (#%lld)", from, to, (long long)c, tokko ? " 特別交付税措置" : "",
                                        hc, ha, (long long)id)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int extern_engagement_delete(Db *db, const Actor *who, int64_t extern_id, int64_t engagement_id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    bool ok = db_exec(db, "DELETE FROM extern_engagement WHERE id = ? AND extern_id = ?", engagement_id, extern_id) == 1;
    if (!ok) err_add(e, "", "その契約は見つかりません。");
    Arena a = ARENA_INIT;
    ok = ok && audit_write(db, who, "extern.engagement.delete", "extern_person", extern_id, 0, arena_printf(&a, "契約 #%lld を削除", (long long)engagement_id)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int extern_session_add(Db *db, const Actor *who, int64_t extern_id, const char *held_on, const char *title, const char *hours,
                       const char *attendees, const char *staff_nos, const char *today, Errors *e)
{
    Arena a = ARENA_INIT;
    Date d;
    double h = 0, cnt = 0;
    if (str_empty(held_on) || !date_parse(held_on, &d)) err_add(e, "held_on", "開催日を正しい日付で入力してください（例：2026-10-15）。");
    else if (strcmp(held_on, today) > 0) err_add(e, "held_on", "開催日に先の日付は入力できません。開催後に記録してください。");
    if (str_empty(title) || utf8_chars(title) > 100) err_add(e, "title", "テーマを100文字以内で入力してください。");
    if (!parse_amount(&a, hours, 24, &h)) err_add(e, "hours", "時間は0～24の数字で入力してください（例：1.5）。");
    if (!parse_amount(&a, attendees, 10000, &cnt) || cnt != floor(cnt)) err_add(e, "attendees", "参加人数は0以上の整数で入力してください。");
    int64_t staff[200];
    int n = 0;
    const char *p = text_nfkc(&a, staff_nos ? staff_nos : "");
    while (*p) {
        size_t skip = strspn(p, " ,\t\r\n、");
        p += skip;
        if (!*p) break;
        if (strncmp(p, "、", 3) == 0) {
            p += 3;
            continue;
        }
        size_t len = strcspn(p, " ,\t\r\n");
        const char *comma = strstr(p, "、");
        if (comma && (size_t)(comma - p) < len) len = (size_t)(comma - p);
        const char *no = arena_strndup(&a, p, len);
        p += len;
        int64_t id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", no);
        if (!id) {
            err_addf(e, "staff_nos", "職員番号「%s」の職員はいません。", no);
            continue;
        }
        bool dup = false;
        for (int i = 0; i < n; i++) dup = dup || staff[i] == id;
        if (dup) continue;
        if (n >= 200) {
            err_add(e, "staff_nos", "参加職員は200人までです。");
            break;
        }
        staff[n++] = id;
    }
    if (!n && cnt == 0 && !err_for(e, "attendees") && !err_for(e, "staff_nos"))
        err_add(e, "attendees", "参加人数か参加職員の職員番号を入力してください。");
    if (err_any(e) || tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    int64_t sid = 0;
    bool ok = extern_exists(db, extern_id, e);
    if (ok) {
        Stmt *st = db_query(db, "INSERT INTO extern_session (extern_id, held_on, title, hours, attendee_count) VALUES (?, ?, ?, ?, ?) RETURNING id",
                            extern_id, held_on, title, h, (int)(n > cnt ? n : cnt));
        ok = db_step(st) == DB_ROW;
        if (ok) sid = db_col_int(st, 0);
        db_done(st);
    }
    for (int i = 0; ok && i < n; i++)
        ok = db_exec(db, "INSERT INTO extern_session_staff (session_id, staff_id) VALUES (?, ?)", sid, staff[i]) == 1;
    ok = ok && audit_write(db, who, "extern.session", "extern_person", extern_id, 0,
                           arena_printf(&a, "%s %s（%g時間、参加%d人）", held_on, title, h, (int)(n > cnt ? n : cnt))) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int extern_session_delete(Db *db, const Actor *who, int64_t extern_id, int64_t session_id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    bool ok = db_exists(db, "SELECT 1 FROM extern_session WHERE id = ? AND extern_id = ?", session_id, extern_id);
    if (!ok) err_add(e, "", "その研修・勉強会の記録は見つかりません。");
    ok = ok && db_exec(db, "DELETE FROM extern_session_staff WHERE session_id = ?", session_id) >= 0 &&
         db_exec(db, "DELETE FROM extern_session WHERE id = ?", session_id) == 1;
    Arena a = ARENA_INIT;
    ok = ok && audit_write(db, who, "extern.session.delete", "extern_person", extern_id, 0, arena_printf(&a, "記録 #%lld を削除", (long long)session_id)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int extern_pairing_add(Db *db, const Actor *who, int64_t extern_id, const char *staff_no, const char *from, const char *to, Errors *e)
{
    Arena a = ARENA_INIT;
    Date d1, d2;
    int64_t staff = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", text_nfkc(&a, staff_no ? staff_no : ""));
    if (!staff) err_add(e, "staff_no", "その職員番号の職員はいません。");
    if (str_empty(from) || !date_parse(from, &d1)) err_add(e, "pair_from", "開始日を正しい日付で入力してください（例：2026-04-01）。");
    if (!str_empty(to)) {
        if (!date_parse(to, &d2)) err_add(e, "pair_to", "終了日を正しい日付で入力してください。");
        else if (!err_for(e, "pair_from") && date_cmp(d2, d1) < 0) err_add(e, "pair_to", "終了日は開始日より後の日付にしてください。");
    }
    if (err_any(e) || tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    bool ok = extern_exists(db, extern_id, e) &&
              db_exec(db, "INSERT INTO extern_pairing (extern_id, staff_id, from_date, to_date) VALUES (?, ?, ?, ?)", extern_id, staff, from,
                      str_empty(to) ? NULL : to) == 1 &&
              audit_write(db, who, "extern.pairing", "extern_person", extern_id, staff, arena_printf(&a, "%s と組む（%s から）", staff_no, from)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int extern_pairing_end(Db *db, const Actor *who, int64_t extern_id, int64_t pairing_id, const char *on, Errors *e)
{
    Date d;
    if (str_empty(on) || !date_parse(on, &d)) err_add(e, "on", "終了日を正しい日付で入力してください。");
    if (err_any(e) || tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    int64_t staff = db_int(db, 0, "SELECT staff_id FROM extern_pairing WHERE id = ? AND extern_id = ?", pairing_id, extern_id);
    const char *since = db_text(db, &a, "SELECT from_date FROM extern_pairing WHERE id = ?", pairing_id);
    if (!staff || !since || strcmp(since, on) > 0) {
        err_add(e, "on", "その組み合わせは見つからないか、終了日が開始日より前です。");
        staff = 0;
    }
    bool ok = staff && db_exec(db, "UPDATE extern_pairing SET to_date = ? WHERE id = ?", on, pairing_id) == 1 &&
              audit_write(db, who, "extern.pairing.end", "extern_person", extern_id, staff, arena_printf(&a, "組み合わせ #%lld を %s で終了", (long long)pairing_id, on)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

/* ---- KPIs ---- */

int extern_kpi_year(Db *db, int nendo, const char *today, ExternKpi *out)
{
    memset(out, 0, sizeof *out);
    Date f, l;
    nendo_range(nendo, &f, &l);
    char first[11], last[11];
    date_iso(f, first);
    date_iso(l, last);
    /* Up to today: nothing planned is counted as held. */
    const char *upto = strcmp(today, last) < 0 ? today : last;
    /* ASOF_IN_FORCE bound with (last day, first day): in force on at least one day of the 年度. */
    Stmt *st = db_query(db, "SELECT COUNT(*), COALESCE(SUM(g.hours_contracted), 0), COALESCE(SUM(g.hours_actual), 0) FROM extern_engagement g WHERE " ASOF_IN_FORCE("g"),
                        last, first);
    bool ok = db_step(st) == DB_ROW;
    if (ok) {
        out->engagements = (int)db_col_int(st, 0);
        out->hours_contracted = db_col_double(st, 1);
        out->hours_actual = db_col_double(st, 2);
    }
    db_done(st);
    if (!ok) return -1;
    out->sessions = (int)db_int(db, 0, "SELECT COUNT(*) FROM extern_session WHERE held_on >= ? AND held_on <= ?", first, upto);
    int64_t listed = db_int(db, 0,
                            "SELECT COUNT(*) FROM (SELECT x.staff_id FROM extern_session_staff x JOIN extern_session s ON s.id = x.session_id"
                            " WHERE s.held_on >= ? AND s.held_on <= ? UNION SELECT p.staff_id FROM extern_pairing p WHERE " ASOF_IN_FORCE("p") ") u",
                            first, upto, upto, first);
    int64_t counted = db_int(db, 0,
                             "SELECT COALESCE(SUM(s.attendee_count), 0) FROM extern_session s WHERE s.held_on >= ? AND s.held_on <= ?"
                             " AND NOT EXISTS (SELECT 1 FROM extern_session_staff x WHERE x.session_id = s.id)",
                             first, upto);
    out->staff_reached = (int)(listed + counted);
    return 0;
}

int extern_kinds_year(Db *db, int nendo, ExternKindYear out[EXTERN_NKIND])
{
    memset(out, 0, sizeof *out * EXTERN_NKIND);
    Date f, l;
    nendo_range(nendo, &f, &l);
    char first[11], last[11];
    date_iso(f, first);
    date_iso(l, last);
    /* ASOF_IN_FORCE bound with (last day, first day), as in extern_kpi_year. */
    Stmt *st = db_query(db,
                        "SELECT e.kind, COUNT(DISTINCT e.id), COUNT(*), COALESCE(SUM(g.hours_actual), 0), COALESCE(SUM(g.cost), 0),"
                        " COALESCE(SUM(g.tokko), 0) FROM extern_engagement g JOIN extern_person e ON e.id = g.extern_id WHERE " ASOF_IN_FORCE("g")
                        " GROUP BY e.kind",
                        last, first);
    int rc = 0;
    while ((rc = db_step(st)) == DB_ROW)
        for (int i = 0; i < EXTERN_NKIND; i++)
            if (str_eq(db_col_text(st, 0), EXTERN_KIND[i]))
                out[i] = (ExternKindYear){(int)db_col_int(st, 1), (int)db_col_int(st, 2), db_col_double(st, 3), db_col_int(st, 4),
                                          (int)db_col_int(st, 5)};
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}
