/* page_project.c - the DX project register: the list (everyone: names,
 * units, status and period only), a project's page with its members, the
 * external talent engaged, and its skill needs against the members' levels
 * (人事, DX推進, 管理者; a 所属長 for projects of units in their subtree),
 * and the add/edit form and delete (人事, DX推進, 管理者). */
#include <stdio.h>
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/cases.h"
#include "../domain/extern.h"
#include "../domain/project.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

static bool can_edit(Req *r) { return r->user && (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)); }
static bool can_view_detail(Req *r) { return r->user && (r->user->roles & (ROLE_MANAGER | ROLE_HR | ROLE_DX | ROLE_ADMIN)); }

static void status_badge(Buf *b, const char *status)
{
    html_printf(b, "<span class=\"badge%s\">%s</span>", str_eq(status, "active") ? " ok" : str_eq(status, "stopped") ? " muted" : "",
                project_status_name(status));
}

static void period(Req *r, Buf *b, const char *from, const char *to)
{
    html_printf(b, "%s ～ %s", page_wareki(r, from), str_empty(to) ? "" : page_wareki(r, to));
}

static const char *yen(Arena *a, int64_t v)
{
    char digits[32], out[48];
    snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t n = strlen(digits), k = 0;
    if (v < 0) out[k++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = 0;
    return arena_printf(a, "%s円", out);
}

void page_project_list(Req *r, Resp *w)
{
    ProjectFilter f = {.status = req_query(r, "status"), .q = text_trim(r->a, req_query(r, "q"))};
    if (!parse_int64(req_query(r, "unit_id"), &f.unit_id)) f.unit_id = 0;
    Project *ps;
    int n = project_list(r->db, r->a, &f, r->nendo, &ps);
    Crumb crumbs[] = {{"ホーム", "/"}, {"DXプロジェクト", NULL}};
    page_begin(r, w, "DXプロジェクト", "projects", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">市のDXプロジェクトの一覧です。担当組織、状態、期間を確かめられます。</p>\n");
    if (can_edit(r)) html_raw(b, "<div class=\"toolbar\"><a class=\"btn primary\" href=\"/projects/new\">プロジェクトを追加</a></div>\n");
    Option opts[PROJECT_NSTATUS + 1] = {{"", "すべて"}};
    for (int i = 0; i < PROJECT_NSTATUS; i++) opts[i + 1] = (Option){PROJECT_STATUS[i], PROJECT_STATUS_NAME[i]};
    html_raw(b, "<form method=\"get\" action=\"/projects\" class=\"filters\">");
    field_select(b, NULL, "status", "状態", opts, PROJECT_NSTATUS + 1, f.status ? f.status : "", 0, NULL);
    field_unit(r, b, NULL, "unit_id", "担当組織（配下を含む）", page_today(r), f.unit_id ? arena_printf(r->a, "%lld", (long long)f.unit_id) : "", 0,
               "すべて");
    field_text(b, NULL, "q", "名称に含む語", f.q, 0, NULL);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn\">絞り込む</button></div></form>\n");
    if (!n) {
        bool filtered = !str_empty(f.status) || f.unit_id || !str_empty(f.q);
        html_raw(b, filtered ? "<p class=\"empty\">条件に合うプロジェクトはありません。条件を変えてお試しください。</p>\n"
                             : "<p class=\"empty\">登録されたプロジェクトはまだありません。</p>\n");
        page_end(r, w);
        return;
    }
    bool detail = can_view_detail(r);
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>DXプロジェクト</caption><thead><tr><th scope=\"col\">プロジェクト名</th>"
                "<th scope=\"col\">担当組織</th><th scope=\"col\">状態</th><th scope=\"col\">期間</th>");
    if (detail) html_raw(b, "<th scope=\"col\">プロジェクト担当</th>");
    html_raw(b, "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const Project *p = &ps[i];
        bool open = detail && scope_unit(r->db, r->user, p->unit_id);
        if (open) html_printf(b, "<tr><td><a href=\"/projects/%lld\">%s</a></td>", (long long)p->id, p->name);
        else html_printf(b, "<tr><td>%s</td>", p->name);
        html_printf(b, "<td>%s</td><td>", p->unit_name);
        status_badge(b, p->status);
        html_raw(b, "</td><td>");
        period(r, b, p->from_date, p->to_date);
        html_raw(b, "</td>");
        if (detail) {
            if (!open || str_empty(p->owner_name)) html_raw(b, "<td>－</td>");
            else {
                html_printf(b, "<td>%s", p->owner_name);
                if (p->owner_designated) html_raw(b, " <span class=\"badge\">②</span>");
                html_raw(b, "</td>");
            }
        }
        html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    page_end(r, w);
}

/* ---- form ---- */

static void project_form(Req *r, Buf *b, const ProjectInput *in, const Errors *e)
{
    error_summary(b, e);
    form_begin(r, b, in->id ? arena_printf(r->a, "/projects/%lld/edit", (long long)in->id) : "/projects/new", "stack");
    field_text(b, e, "name", "プロジェクト名", in->name, F_REQUIRED, "例：書かない窓口");
    field_unit(r, b, e, "unit_id", "担当組織", page_today(r), in->unit_id, F_REQUIRED, "選んでください");
    field_textarea(b, e, "purpose", "目的", in->purpose, 0, NULL);
    field_text(b, e, "from_date", "開始日", in->from_date, F_REQUIRED | F_NARROW, "例：2026-04-01（令和8年4月1日とも書けます）");
    field_text(b, e, "to_date", "終了日", in->to_date, F_NARROW, "未定なら空欄");
    Option opts[PROJECT_NSTATUS];
    for (int i = 0; i < PROJECT_NSTATUS; i++) opts[i] = (Option){PROJECT_STATUS[i], PROJECT_STATUS_NAME[i]};
    field_select(b, e, "status", "状態", opts, PROJECT_NSTATUS, in->status, F_REQUIRED, NULL);
    field_text(b, e, "budget", "予算（円）", in->budget, F_NARROW, "例：1200000");
    field_text(b, e, "owner_no", "プロジェクト担当（②）の職員番号", in->owner_no, F_NARROW, NULL);
    field_textarea(b, e, "members", "メンバー", in->members, 0, "1行に1人：「職員番号 役割」（例：A0012 窓口業務の整理）");
    field_textarea(b, e, "needs", "必要なスキル", in->needs, 0, "1行に1件：「スキルコード 必要レベル 人数」（例：P-07 3 2）");
    field_textarea(b, e, "outcome", "成果", in->outcome, 0, NULL);
    field_textarea(b, e, "figures", "成果の数値", in->figures, 0, "1行に1件：「項目 数値 単位」（例：削減時間 120 時間）");
    html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button> <a class=\"btn\" href=\"%s\">キャンセル</a></div>",
                in->id ? arena_printf(r->a, "/projects/%lld", (long long)in->id) : "/projects");
    form_end(b);
}

static void form_page(Req *r, Resp *w, const ProjectInput *in, const Errors *e)
{
    const char *title = in->id ? "プロジェクトの編集" : "プロジェクトの追加";
    Crumb crumbs[] = {{"ホーム", "/"}, {"DXプロジェクト", "/projects"}, {title, NULL}};
    page_begin(r, w, title, "projects", crumbs, 3);
    project_form(r, &w->body, in, e);
    page_end(r, w);
}

void page_project_new(Req *r, Resp *w)
{
    ProjectInput in = {.name = "", .unit_id = "", .purpose = "", .from_date = page_today(r), .to_date = "", .status = "plan", .budget = "",
                       .owner_no = "", .outcome = "", .members = "", .needs = "", .figures = ""};
    form_page(r, w, &in, NULL);
}

static bool load(Req *r, Resp *w, int64_t id, Project *p)
{
    if (!project_get(r->db, r->a, id, r->nendo, page_today(r), p)) {
        resp_error(r, w, 404, "そのプロジェクトは見つかりません。");
        return false;
    }
    if (!scope_unit(r->db, r->user, p->unit_id)) {
        resp_error(r, w, 403, "このプロジェクトは、あなたの所属の範囲外のため表示できません。");
        return false;
    }
    return true;
}

void page_project_edit(Req *r, Resp *w)
{
    Project p;
    if (!load(r, w, req_param_id(r, 0), &p)) return;
    ProjectInput in = {.id = p.id, .name = p.name, .unit_id = arena_printf(r->a, "%lld", (long long)p.unit_id), .purpose = p.purpose,
                       .from_date = p.from_date, .to_date = p.to_date ? p.to_date : "", .status = p.status,
                       .budget = arena_printf(r->a, "%lld", (long long)p.budget), .owner_no = p.owner_no, .outcome = p.outcome,
                       .members = project_members_text(r->a, &p), .needs = project_needs_text(r->a, &p), .figures = project_figures_text(r->a, &p)};
    form_page(r, w, &in, NULL);
}

static const char *field(Req *r, const char *name) { return text_trim(r->a, req_form(r, name)); }

void page_project_save(Req *r, Resp *w)
{
    ProjectInput in = {.id = r->nparams ? req_param_id(r, 0) : 0};
    if (r->nparams) {
        Project p;
        if (!load(r, w, in.id, &p)) return;
    }
    in.name = field(r, "name");
    in.unit_id = field(r, "unit_id");
    in.purpose = field(r, "purpose");
    in.from_date = form_date(r, "from_date");
    in.to_date = form_date(r, "to_date");
    in.status = field(r, "status");
    in.budget = field(r, "budget");
    in.owner_no = field(r, "owner_no");
    in.outcome = field(r, "outcome");
    in.members = field(r, "members");
    in.needs = field(r, "needs");
    in.figures = field(r, "figures");
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (project_save(r->db, &who, &in, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/projects/%lld?msg=saved", (long long)in.id));
        return;
    }
    form_page(r, w, &in, &e);
    w->status = 422;
}

void page_project_delete(Req *r, Resp *w)
{
    Project p;
    if (!load(r, w, req_param_id(r, 0), &p)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (project_delete(r->db, &who, p.id, &e) != 0) {
        resp_error(r, w, 409, e.n ? e.items[0].msg : "削除できませんでした。");
        return;
    }
    resp_redirect(r, w, "/projects?msg=deleted");
}

/* ---- the project page ---- */

/* A member's name, or a placeholder for a 所属長 who may not see that person. */
static const char *member_name(Req *r, int64_t staff_id, const char *name)
{
    return scope_staff(r->db, r->user, staff_id) ? name : "（所属外の職員）";
}

static void coverage_section(Req *r, Buf *b, const Project *p)
{
    html_raw(b, "<section class=\"panel\"><h2>必要なスキルとメンバーの充足</h2>");
    if (!p->nneeds) {
        html_raw(b, "<p class=\"empty\">必要なスキルが登録されていません。</p></section>\n");
        return;
    }
    NeedCover *c;
    int n = project_coverage(r->db, r->a, p, page_today(r), &c);
    html_raw(b, "<p class=\"muted\">メンバーのレベルは、上司確認済みの最新の評価（確認済）を使い、ない場合は最新の自己評価（自己）を使います。</p>\n"
                "<div class=\"table-wrap\"><table class=\"data\"><caption>スキルの充足</caption><thead><tr><th scope=\"col\">スキル</th>"
                "<th scope=\"col\">必要レベル</th><th scope=\"col\">必要人数</th><th scope=\"col\">メンバーのレベル（高い順）</th>"
                "<th scope=\"col\">到達人数</th><th scope=\"col\">判定</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const NeedCover *x = &c[i];
        html_printf(b, "<tr><td>%s %s</td><td>%d</td><td>%d</td><td>", x->need->item_code, x->need->item_name, x->need->level, x->need->headcount);
        if (!x->nbest) html_raw(b, "－");
        for (int m = 0; m < x->nbest && m < 5; m++) {
            const NeedMember *nm = &x->best[m];
            html_printf(b, "%s%s ", m ? "、" : "", member_name(r, nm->staff_id, nm->name));
            if (nm->level < 0) html_raw(b, "未評価");
            else html_printf(b, "%d（%s）", nm->level, nm->confirmed ? "確認済" : "自己");
        }
        html_printf(b, "</td><td>%d</td><td class=\"need-%s\">%s", x->reached, x->state == NEED_MET ? "met" : x->state == NEED_EXTERN ? "extern" : "training",
                    need_state_name(x->state));
        if (x->extern_name && x->state == NEED_EXTERN) html_printf(b, "：%s", x->extern_name);
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div></section>\n");
}

/* The cases tagged with the project (published ones; 事務局 also see drafts). */
static void cases_section(Req *r, Buf *b, const Project *p)
{
    bool editor = (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)) != 0;
    Case *cs;
    int total, n = case_search(r->db, r->a, &(CaseFilter){.project_id = p->id, .published_only = !editor, .page = 1}, &cs, &total);
    html_raw(b, "<section class=\"panel\"><h2>関係する事例</h2>");
    if (!n) html_raw(b, "<p class=\"empty\">このプロジェクトの事例はまだありません。事例集で事例を登録するときに、このプロジェクトを選べます。</p>");
    else {
        html_raw(b, "<ul>");
        for (int i = 0; i < n; i++) {
            html_printf(b, "<li><a href=\"/cases/%lld\">%s</a>（%s・%d年度）", (long long)cs[i].id, cs[i].title, case_kind_label(cs[i].kind),
                        cs[i].nendo);
            if (!cs[i].published) html_raw(b, " <span class=\"badge\">下書き</span>");
            html_raw(b, "</li>");
        }
        html_raw(b, "</ul>");
        if (total > n) html_printf(b, "<p><a href=\"/cases?project=%lld\">すべての事例（%d件）</a></p>", (long long)p->id, total);
    }
    html_raw(b, "</section>\n");
}

static void render(Req *r, Resp *w, const Project *p)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"DXプロジェクト", "/projects"}, {p->name, NULL}};
    page_begin(r, w, p->name, "projects", crumbs, 3);
    Buf *b = &w->body;
    if (can_edit(r)) {
        html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/projects/%lld/edit\">編集</a> ", (long long)p->id);
        form_begin(r, b, arena_printf(r->a, "/projects/%lld/delete", (long long)p->id), "inline");
        html_printf(b, "<button type=\"submit\" class=\"btn danger\" data-confirm=\"%sを削除しますか？メンバー、必要なスキル、外部人材とのつながりも消えます。\">削除</button>",
                    p->name);
        form_end(b);
        html_raw(b, "</div>\n");
    }
    html_printf(b, "<dl class=\"props\"><dt>担当組織</dt><dd>%s</dd><dt>状態</dt><dd>", p->unit_name);
    status_badge(b, p->status);
    html_raw(b, "</dd><dt>期間</dt><dd>");
    period(r, b, p->from_date, p->to_date);
    html_printf(b, "</dd><dt>予算</dt><dd>%s</dd><dt>目的</dt><dd>%s</dd><dt>プロジェクト担当（②）</dt><dd>", yen(r->a, p->budget),
                str_empty(p->purpose) ? "－" : p->purpose);
    if (!p->owner_staff_id) html_raw(b, "未設定");
    else {
        html_printf(b, "%s %s", p->owner_no, member_name(r, p->owner_staff_id, p->owner_name));
        html_printf(b, p->owner_designated ? "（%sの②プロジェクト担当に指名済み）" : "（%sの②プロジェクト担当の指名はありません）", page_nendo_name(r, r->nendo));
    }
    html_raw(b, "</dd></dl>\n");

    html_raw(b, "<section class=\"panel\"><h2>メンバー</h2>");
    if (!p->nmembers) html_raw(b, "<p class=\"empty\">メンバーが登録されていません。</p>");
    else {
        html_raw(b, "<ul>");
        for (int i = 0; i < p->nmembers; i++)
            html_printf(b, "<li>%s %s%s%s</li>", p->members[i].staff_no, member_name(r, p->members[i].staff_id, p->members[i].name),
                        str_empty(p->members[i].role) ? "" : "：", p->members[i].role);
        html_raw(b, "</ul>");
    }
    html_raw(b, "</section>\n<section class=\"panel\"><h2>関わる外部人材</h2>");
    if (!p->nexterns) html_raw(b, "<p class=\"empty\">外部人材は関わっていません。</p>");
    else {
        html_raw(b, "<ul>");
        for (int i = 0; i < p->nexterns; i++) {
            const ProjectExtern *x = &p->externs[i];
            html_printf(b, "<li><a href=\"/extern/%lld\">%s</a>（%s）%s%s", (long long)x->extern_id, x->name, extern_kind_name(x->kind),
                        str_empty(x->role) ? "" : "：", x->role);
            html_raw(b, x->engaged ? "</li>" : " <span class=\"badge muted\">契約期間外</span></li>");
        }
        html_raw(b, "</ul>");
    }
    html_raw(b, "</section>\n");
    coverage_section(r, b, p);
    html_printf(b, "<section class=\"panel\"><h2>成果</h2><p>%s</p>", str_empty(p->outcome) ? "まだ記録がありません。" : p->outcome);
    if (p->nfigures) {
        html_raw(b, "<table class=\"data\"><thead><tr><th scope=\"col\">項目</th><th scope=\"col\">数値</th></tr></thead><tbody>");
        for (int i = 0; i < p->nfigures; i++)
            html_printf(b, "<tr><td>%s</td><td>%g %s</td></tr>", p->figures[i].label, p->figures[i].value, p->figures[i].unit);
        html_raw(b, "</tbody></table>");
    }
    html_raw(b, "</section>\n");
    cases_section(r, b, p);
    page_end(r, w);
}

void page_project_show(Req *r, Resp *w)
{
    Project p;
    if (!load(r, w, req_param_id(r, 0), &p)) return;
    render(r, w, &p);
}
