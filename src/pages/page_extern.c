/* page_extern.c - the external talent register (外部人材): the list and a
 * record's page with its skills, projects, contracts (契約・委嘱) and
 * knowledge transfer (sessions, paired staff). Personal data follows the
 * staff rules: 人事, DX推進 and 管理者 see every record, a 所属長 only those
 * linked to a project of a unit in their subtree; opening a record writes a
 * read-audit row ("extern.view"); 人事, DX推進 and 管理者 edit. */
#include <stdio.h>
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/extern.h"
#include "../domain/project.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "page_audit.h"
#include "pages.h"

static bool can_edit(Req *r) { return r->user && (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)); }

static const char *yen(Arena *a, int64_t v)
{
    char digits[32], out[48];
    snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? 0 : v));
    size_t n = strlen(digits), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = 0;
    return arena_printf(a, "%s円", out);
}

static void kind_options(Option *opts)
{
    for (int i = 0; i < EXTERN_NKIND; i++) opts[i] = (Option){EXTERN_KIND[i], EXTERN_KIND_NAME[i]};
}

void page_extern_list(Req *r, Resp *w)
{
    ExternFilter f = {.kind = req_query(r, "kind"), .scope_root = scope_root(r->user), .engaged_only = str_eq(req_query(r, "engaged"), "1"),
                      .today = page_today(r)};
    Extern *xs;
    int n = extern_list(r->db, r->a, &f, &xs);
    Crumb crumbs[] = {{"ホーム", "/"}, {"外部人材", NULL}};
    page_begin(r, w, "外部人材", "extern", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">地域情報化アドバイザー、CIO補佐官、副業・兼業人材など、市の外から力を借りている人と団体の台帳です。</p>\n");
    if (can_edit(r)) html_raw(b, "<div class=\"toolbar\"><a class=\"btn primary\" href=\"/extern/new\">外部人材を登録</a></div>\n");
    if (!scope_org_wide(r->user)) html_raw(b, "<p class=\"muted\">あなたの所属とその配下の組織のプロジェクトに関わる外部人材だけを表示しています。</p>\n");
    Option opts[EXTERN_NKIND + 1] = {{"", "すべて"}};
    kind_options(opts + 1);
    html_raw(b, "<form method=\"get\" action=\"/extern\" class=\"filters\">");
    field_select(b, NULL, "kind", "種別", opts, EXTERN_NKIND + 1, f.kind ? f.kind : "", 0, NULL);
    field_checkbox(b, "engaged", "今日、契約期間中の人だけ", f.engaged_only);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn\">絞り込む</button></div></form>\n");
    if (!n) {
        html_raw(b, !str_empty(f.kind) || f.engaged_only ? "<p class=\"empty\">条件に合う外部人材はいません。条件を変えてお試しください。</p>\n"
                                                          : "<p class=\"empty\">登録された外部人材はいません。</p>\n");
        page_end(r, w);
        return;
    }
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>外部人材</caption><thead><tr><th scope=\"col\">氏名・団体名</th>"
                "<th scope=\"col\">種別</th><th scope=\"col\">主なスキル</th><th scope=\"col\">関わるプロジェクト</th><th scope=\"col\">契約</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const Extern *x = &xs[i];
        html_printf(b, "<tr><td><a href=\"/extern/%lld\">%s</a>%s", (long long)x->id, x->name, x->is_org ? "（団体）" : "");
        if (!str_empty(x->ended_on)) html_raw(b, " <span class=\"badge muted\">登録終了</span>");
        html_printf(b, "</td><td>%s</td><td>", extern_kind_name(x->kind));
        for (int k = 0; k < x->nskills && k < 3; k++) html_printf(b, "%s%s %d", k ? "、" : "", x->skills[k].item_name, x->skills[k].level);
        html_raw(b, "</td><td>");
        for (int k = 0; k < x->nprojects; k++) html_printf(b, "%s%s", k ? "、" : "", x->projects[k].name);
        html_raw(b, "</td><td>");
        if (str_empty(x->current_until)) html_raw(b, "契約期間外");
        else html_printf(b, "%sまで", page_wareki(r, x->current_until));
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    page_end(r, w);
}

/* ---- the main form ---- */

static const char *skills_text(Arena *a, const Extern *x)
{
    Buf b = BUF_INIT;
    for (int i = 0; i < x->nskills; i++) buf_printf(&b, "%s %d\n", x->skills[i].item_code, x->skills[i].level);
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

static void main_form(Req *r, Buf *b, const ExternInput *in, const Errors *e)
{
    error_summary(b, e);
    form_begin(r, b, in->id ? arena_printf(r->a, "/extern/%lld/edit", (long long)in->id) : "/extern/new", "stack");
    field_text(b, e, "name", "氏名・団体名", in->name, F_REQUIRED, "例：外部 太郎、株式会社サンプルデジタル");
    field_checkbox(b, "is_org", "団体（法人など）", in->is_org);
    Option opts[EXTERN_NKIND];
    kind_options(opts);
    field_select(b, e, "kind", "種別", opts, EXTERN_NKIND, in->kind, F_REQUIRED, NULL);
    field_text(b, e, "affiliation", "所属", in->affiliation, 0, NULL);
    field_text(b, e, "contact", "連絡先", in->contact, 0, "メールアドレスや電話番号");
    field_textarea(b, e, "note", "備考", in->note, 0, NULL);
    field_textarea(b, e, "skills", "持っているスキル", in->skills, 0, "1行に1件：「スキルコード レベル（0～4）」（例：P-07 4）");
    Project *ps;
    int n = project_list(r->db, r->a, NULL, r->nendo, &ps);
    html_raw(b, "<fieldset><legend>関わるプロジェクト</legend>");
    if (err_for(e, "projects")) html_printf(b, "<p class=\"error\">%s</p>", err_for(e, "projects"));
    if (!n) html_raw(b, "<p class=\"empty\">プロジェクトが登録されていません。</p>");
    for (int i = 0; i < n; i++) {
        const char *role = "";
        bool on = false;
        for (int k = 0; k < in->nprojects; k++)
            if (in->project_ids[k] == ps[i].id) on = true, role = in->project_roles[k] ? in->project_roles[k] : "";
        html_printf(b, "<div class=\"field\"><label><input type=\"checkbox\" name=\"project\" value=\"%lld\"%s> %s（%s）</label>"
                       " <label>役割 <input type=\"text\" name=\"role_%lld\" value=\"%s\" class=\"narrow\"></label></div>",
                    (long long)ps[i].id, on ? " checked" : "", ps[i].name, ps[i].unit_name, (long long)ps[i].id, role);
    }
    html_raw(b, "</fieldset>");
    html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button> <a class=\"btn\" href=\"%s\">キャンセル</a></div>",
                in->id ? arena_printf(r->a, "/extern/%lld", (long long)in->id) : "/extern");
    form_end(b);
}

static void new_page(Req *r, Resp *w, const ExternInput *in, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"外部人材", "/extern"}, {"登録", NULL}};
    page_begin(r, w, "外部人材の登録", "extern", crumbs, 3);
    main_form(r, &w->body, in, e);
    page_end(r, w);
}

void page_extern_new(Req *r, Resp *w)
{
    ExternInput in = {.name = "", .kind = "advisor", .affiliation = "", .contact = "", .note = "", .skills = ""};
    new_page(r, w, &in, NULL);
}

static const char *field(Req *r, const char *name) { return text_trim(r->a, req_form(r, name)); }

/* The main form as posted. */
static void read_input(Req *r, ExternInput *in)
{
    in->name = field(r, "name");
    in->kind = field(r, "kind");
    in->affiliation = field(r, "affiliation");
    in->contact = field(r, "contact");
    in->note = field(r, "note");
    in->skills = field(r, "skills");
    in->is_org = str_eq(req_form(r, "is_org"), "1");
    for (size_t i = 0; i < r->form.n && in->nprojects < 32; i++) {
        int64_t pid;
        if (!str_eq(r->form.items[i].name, "project") || !parse_int64(r->form.items[i].value, &pid)) continue;
        in->project_ids[in->nprojects] = pid;
        in->project_roles[in->nprojects++] = field(r, arena_printf(r->a, "role_%lld", (long long)pid));
    }
}

/* ---- the record's page ---- */

typedef struct Failed {
    const char *section; /* "main", "engagement", "session", "pairing", "end" */
    const Errors *e;
    const ExternInput *typed;
} Failed;

/* A field's value: what was typed when its section failed, else dflt. */
static const char *typed(Req *r, const Failed *f, const char *section, const char *name, const char *dflt)
{
    if (f && str_eq(f->section, section)) return field(r, name);
    return dflt;
}

static const Errors *errs(const Failed *f, const char *section) { return f && str_eq(f->section, section) ? f->e : NULL; }

static void engagements_section(Req *r, Buf *b, const Extern *x, const Failed *f)
{
    html_raw(b, "<section class=\"panel\"><h2>契約・委嘱</h2>");
    if (!x->nengagements) html_raw(b, "<p class=\"empty\">契約・委嘱の記録はありません。</p>");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">期間</th><th scope=\"col\">費用</th><th scope=\"col\">財源</th>"
                    "<th scope=\"col\">契約時間</th><th scope=\"col\">実績時間</th>");
        if (can_edit(r)) html_raw(b, "<th scope=\"col\">操作</th>");
        html_raw(b, "</tr></thead><tbody>");
        for (int i = 0; i < x->nengagements; i++) {
            const ExternEngagement *g = &x->engagements[i];
            html_printf(b, "<tr><td>%s ～ %s</td><td>%s</td><td>%s%s%s</td><td>%g</td><td>%g</td>", page_wareki(r, g->from_date), page_wareki(r, g->to_date),
                        yen(r->a, g->cost), g->tokko ? "特別交付税措置あり" : "特別交付税措置なし", str_empty(g->funding_note) ? "" : "：", g->funding_note,
                        g->hours_contracted, g->hours_actual);
            if (can_edit(r)) {
                html_raw(b, "<td>");
                form_begin(r, b, arena_printf(r->a, "/extern/%lld/engagements/%lld/delete", (long long)x->id, (long long)g->id), "inline");
                html_raw(b, "<button type=\"submit\" class=\"btn small danger\" data-confirm=\"この契約の記録を削除しますか？\">削除</button>");
                form_end(b);
                html_raw(b, "</td>");
            }
            html_raw(b, "</tr>");
        }
        html_raw(b, "</tbody></table></div>");
    }
    if (can_edit(r)) {
        const Errors *e = errs(f, "engagement");
        html_raw(b, "<h3>契約・委嘱を追加</h3>");
        error_summary(b, e);
        form_begin(r, b, arena_printf(r->a, "/extern/%lld/engagements", (long long)x->id), "stack");
        field_text(b, e, "from", "開始日", typed(r, f, "engagement", "from", ""), F_REQUIRED | F_NARROW, NULL);
        field_text(b, e, "to", "終了日", typed(r, f, "engagement", "to", ""), F_REQUIRED | F_NARROW, NULL);
        field_text(b, e, "cost", "費用（円）", typed(r, f, "engagement", "cost", ""), F_NARROW, NULL);
        field_checkbox(b, "tokko", "特別交付税措置の対象", f && str_eq(f->section, "engagement") && str_eq(req_form(r, "tokko"), "1"));
        field_text(b, e, "funding_note", "財源の備考", typed(r, f, "engagement", "funding_note", ""), 0, NULL);
        field_text(b, e, "hours_contracted", "契約時間", typed(r, f, "engagement", "hours_contracted", ""), F_NARROW, NULL);
        field_text(b, e, "hours_actual", "実績時間", typed(r, f, "engagement", "hours_actual", ""), F_NARROW, NULL);
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">追加</button></div>");
        form_end(b);
    }
    html_raw(b, "</section>\n");
}

static void transfer_section(Req *r, Buf *b, const Extern *x, const Failed *f)
{
    html_raw(b, "<section class=\"panel\"><h2>職員への知識移転</h2><h3>研修・勉強会</h3>");
    if (!x->nsessions) html_raw(b, "<p class=\"empty\">研修・勉強会の記録はありません。</p>");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">開催日</th><th scope=\"col\">テーマ</th><th scope=\"col\">時間</th>"
                    "<th scope=\"col\">参加</th>");
        if (can_edit(r)) html_raw(b, "<th scope=\"col\">操作</th>");
        html_raw(b, "</tr></thead><tbody>");
        for (int i = 0; i < x->nsessions; i++) {
            const ExternSession *s = &x->sessions[i];
            html_printf(b, "<tr><td>%s</td><td>%s</td><td>%g時間</td><td>%d人%s%s%s</td>", page_wareki(r, s->held_on), s->title, s->hours, s->attendee_count,
                        s->nstaff ? "（" : "", s->staff_names, s->nstaff ? "）" : "");
            if (can_edit(r)) {
                html_raw(b, "<td>");
                form_begin(r, b, arena_printf(r->a, "/extern/%lld/sessions/%lld/delete", (long long)x->id, (long long)s->id), "inline");
                html_raw(b, "<button type=\"submit\" class=\"btn small danger\" data-confirm=\"この記録を削除しますか？\">削除</button>");
                form_end(b);
                html_raw(b, "</td>");
            }
            html_raw(b, "</tr>");
        }
        html_raw(b, "</tbody></table></div>");
    }
    if (can_edit(r)) {
        const Errors *e = errs(f, "session");
        html_raw(b, "<h4>研修・勉強会を記録</h4>");
        error_summary(b, e);
        form_begin(r, b, arena_printf(r->a, "/extern/%lld/sessions", (long long)x->id), "stack");
        field_text(b, e, "held_on", "開催日", typed(r, f, "session", "held_on", page_today(r)), F_REQUIRED | F_NARROW, NULL);
        field_text(b, e, "title", "テーマ", typed(r, f, "session", "title", ""), F_REQUIRED, NULL);
        field_text(b, e, "hours", "時間", typed(r, f, "session", "hours", ""), F_NARROW, "例：1.5");
        field_text(b, e, "attendees", "参加人数", typed(r, f, "session", "attendees", ""), F_NARROW, "参加職員を下に書く場合は空欄でかまいません");
        field_textarea(b, e, "staff_nos", "参加職員の職員番号", typed(r, f, "session", "staff_nos", ""), 0, "空白・読点・改行で区切ります");
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">記録</button></div>");
        form_end(b);
    }
    html_raw(b, "<h3>組んで働く職員（OJT）</h3>");
    if (!x->npairings) html_raw(b, "<p class=\"empty\">組んで働く職員の記録はありません。</p>");
    else {
        html_raw(b, "<ul>");
        for (int i = 0; i < x->npairings; i++) {
            const ExternPairing *p = &x->pairings[i];
            bool seen = scope_staff(r->db, r->user, p->staff_id);
            html_printf(b, "<li>%s %s：%s ～ %s", seen ? p->staff_no : "", seen ? p->staff_name : "（所属外の職員）", page_wareki(r, p->from_date),
                        p->to_date ? page_wareki(r, p->to_date) : "");
            if (can_edit(r) && !p->to_date) {
                form_begin(r, b, arena_printf(r->a, "/extern/%lld/pairings/%lld/end", (long long)x->id, (long long)p->id), "inline");
                html_printf(b, " <input type=\"hidden\" name=\"on\" value=\"%s\"><button type=\"submit\" class=\"btn small\">今日で終了</button>", page_today(r));
                form_end(b);
            }
            html_raw(b, "</li>");
        }
        html_raw(b, "</ul>");
    }
    if (can_edit(r)) {
        const Errors *e = errs(f, "pairing");
        error_summary(b, e);
        form_begin(r, b, arena_printf(r->a, "/extern/%lld/pairings", (long long)x->id), "stack");
        field_text(b, e, "staff_no", "職員番号", typed(r, f, "pairing", "staff_no", ""), F_REQUIRED | F_NARROW, NULL);
        field_text(b, e, "pair_from", "開始日", typed(r, f, "pairing", "pair_from", page_today(r)), F_REQUIRED | F_NARROW, NULL);
        field_text(b, e, "pair_to", "終了日", typed(r, f, "pairing", "pair_to", ""), F_NARROW, "未定なら空欄");
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">職員を組む</button></div>");
        form_end(b);
    }
    html_raw(b, "</section>\n");
}

/* The record's page inside its read-audit transaction. */
static void render(Req *r, Resp *w, int64_t id, const Failed *f)
{
    Extern x;
    if (!extern_get(r->db, r->a, id, page_today(r), &x)) {
        resp_error(r, w, 404, "その外部人材は見つかりません。");
        return;
    }
    if (!extern_in_scope(r->db, id, scope_root(r->user))) {
        resp_error(r, w, 403, "この外部人材は、あなたの所属のプロジェクトに関わっていないため表示できません。");
        return;
    }
    if (!page_read_begin(r, w)) return;
    int status = f ? 422 : 200;
    Crumb crumbs[] = {{"ホーム", "/"}, {"外部人材", "/extern"}, {x.name, NULL}};
    page_begin(r, w, x.name, "extern", crumbs, 3);
    Buf *b = &w->body;
    html_printf(b, "<dl class=\"props\"><dt>種別</dt><dd>%s%s</dd><dt>所属</dt><dd>%s</dd><dt>連絡先</dt><dd>%s</dd><dt>備考</dt><dd>%s</dd><dt>登録</dt><dd>",
                extern_kind_name(x.kind), x.is_org ? "（団体）" : "", str_empty(x.affiliation) ? "－" : x.affiliation,
                str_empty(x.contact) ? "－" : x.contact, str_empty(x.note) ? "－" : x.note);
    if (str_empty(x.ended_on)) html_raw(b, "有効");
    else html_printf(b, "%sに登録終了", page_wareki(r, x.ended_on));
    html_raw(b, "</dd><dt>持っているスキル</dt><dd>");
    if (!x.nskills) html_raw(b, "－");
    for (int i = 0; i < x.nskills; i++) html_printf(b, "%s%s %s レベル%d", i ? "、" : "", x.skills[i].item_code, x.skills[i].item_name, x.skills[i].level);
    html_raw(b, "</dd><dt>関わるプロジェクト</dt><dd>");
    if (!x.nprojects) html_raw(b, "－");
    for (int i = 0; i < x.nprojects; i++)
        html_printf(b, "%s<a href=\"/projects/%lld\">%s</a>%s%s", i ? "、" : "", (long long)x.projects[i].project_id, x.projects[i].name,
                    str_empty(x.projects[i].role) ? "" : "：", x.projects[i].role);
    html_raw(b, "</dd></dl>\n");
    engagements_section(r, b, &x, f);
    transfer_section(r, b, &x, f);
    if (can_edit(r)) {
        html_raw(b, "<section class=\"panel\"><h2>登録内容の編集</h2>");
        ExternInput in = {.id = x.id, .name = x.name, .kind = x.kind, .affiliation = x.affiliation, .contact = x.contact, .note = x.note,
                          .skills = skills_text(r->a, &x), .is_org = x.is_org};
        for (int i = 0; i < x.nprojects && i < 32; i++) {
            in.project_ids[in.nprojects] = x.projects[i].project_id;
            in.project_roles[in.nprojects++] = x.projects[i].role;
        }
        main_form(r, b, f && str_eq(f->section, "main") ? f->typed : &in, errs(f, "main"));
        html_raw(b, "<h3>登録の終了</h3>");
        const Errors *e = errs(f, "end");
        error_summary(b, e);
        form_begin(r, b, arena_printf(r->a, "/extern/%lld/end", (long long)x.id), "stack");
        if (str_empty(x.ended_on)) {
            field_text(b, e, "ended_on", "登録終了日", typed(r, f, "end", "ended_on", page_today(r)), F_REQUIRED | F_NARROW, NULL);
            html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn danger\">登録を終了</button></div>");
        } else {
            html_raw(b, "<input type=\"hidden\" name=\"ended_on\" value=\"\"><div class=\"actions\"><button type=\"submit\" class=\"btn\">登録を再開</button></div>");
        }
        form_end(b);
        html_raw(b, "</section>\n");
    }
    page_end(r, w);
    w->status = status;
    /* The read is recorded as shown even when a form is sent back (422). */
    int keep = w->status;
    w->status = 200;
    page_read_end(r, w, "extern.view", "extern_person", id, 0, x.name);
    if (w->status == 200) w->status = keep;
}

void page_extern_show(Req *r, Resp *w) { render(r, w, req_param_id(r, 0), NULL); }

void page_extern_save(Req *r, Resp *w)
{
    ExternInput in = {.id = r->nparams ? req_param_id(r, 0) : 0};
    if (in.id && !db_exists(r->db, "SELECT 1 FROM extern_person WHERE id = ?", in.id)) {
        resp_error(r, w, 404, "その外部人材は見つかりません。");
        return;
    }
    read_input(r, &in);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t was = in.id;
    if (extern_save(r->db, &who, &in, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/extern/%lld?msg=saved", (long long)in.id));
        return;
    }
    if (!was) {
        new_page(r, w, &in, &e);
        w->status = 422;
        return;
    }
    Failed f = {"main", &e, &in};
    render(r, w, was, &f);
}

/* Runs a section's write; on success back to the page, else the page with the errors. */
static void section_done(Req *r, Resp *w, int64_t id, int rc, const char *section, const Errors *e)
{
    if (rc == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/extern/%lld?msg=saved", (long long)id));
        return;
    }
    if (!db_exists(r->db, "SELECT 1 FROM extern_person WHERE id = ?", id)) {
        resp_error(r, w, 404, "その外部人材は見つかりません。");
        return;
    }
    Failed f = {section, e, NULL};
    render(r, w, id, &f);
}

void page_extern_end(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    const char *on = str_empty(req_form(r, "ended_on")) ? "" : form_date(r, "ended_on");
    section_done(r, w, id, extern_end(r->db, &who, id, on, &e), "end", &e);
}

void page_extern_engagement_add(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int rc = extern_engagement_add(r->db, &who, id, form_date(r, "from"), form_date(r, "to"), field(r, "cost"), str_eq(req_form(r, "tokko"), "1"),
                                   field(r, "funding_note"), field(r, "hours_contracted"), field(r, "hours_actual"), &e);
    section_done(r, w, id, rc, "engagement", &e);
}

void page_extern_engagement_delete(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    section_done(r, w, id, extern_engagement_delete(r->db, &who, id, req_param_id(r, 1), &e), "engagement", &e);
}

void page_extern_session_add(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int rc = extern_session_add(r->db, &who, id, form_date(r, "held_on"), field(r, "title"), field(r, "hours"), field(r, "attendees"), field(r, "staff_nos"),
                                page_today(r), &e);
    section_done(r, w, id, rc, "session", &e);
}

void page_extern_session_delete(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    section_done(r, w, id, extern_session_delete(r->db, &who, id, req_param_id(r, 1), &e), "session", &e);
}

void page_extern_pairing_add(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int rc = extern_pairing_add(r->db, &who, id, field(r, "staff_no"), form_date(r, "pair_from"), form_date(r, "pair_to"), &e);
    section_done(r, w, id, rc, "pairing", &e);
}

void page_extern_pairing_end(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    section_done(r, w, id, extern_pairing_end(r->db, &who, id, req_param_id(r, 1), form_date(r, "on"), &e), "pairing", &e);
}
