/* page_mandatory.c - 必修研修: the mandatory courses of a 年度 (事務局 sets
 * course, tiers and due date) and each unit's progress (所属長: their subtree
 * today; 事務局: the whole organisation), with CSV and Excel. */
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/asof.h"
#include "../domain/course.h"
#include "../domain/mandatory.h"
#include "../domain/tier.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

static bool office(const Req *r) { return (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)) != 0; }

static const char *tiers_label(Req *r, int tiers)
{
    if ((tiers & MANDATORY_EVERYONE) == MANDATORY_EVERYONE) return "全職員";
    return arena_printf(r->a, "%s%s%s", tiers & 2 ? "①" : "", tiers & 4 ? "②" : "", tiers & 8 ? "③" : "");
}

/* Totals of a course's progress over the viewer's scope. */
static void totals(Req *r, int64_t course, int nendo, int *done, int *required)
{
    char as_of[11];
    asof_nendo_date(nendo, as_of);
    MandatoryUnit *u;
    int n = mandatory_progress(r->db, r->a, course, nendo, as_of, scope_root(r->user), page_today(r), &u);
    *done = *required = 0;
    for (int i = 0; i < n; i++) {
        *done += u[i].done;
        *required += u[i].required;
    }
}

static void set_form(Req *r, Buf *b, int nendo, const Errors *e)
{
    bool again = e != NULL;
    Course *cs;
    int nc = course_list(r->db, r->a, true, &cs);
    Option *opts = arena_zalloc(r->a, sizeof *opts * (size_t)(nc + 1));
    opts[0] = (Option){"", "選んでください"};
    for (int i = 0; i < nc; i++)
        opts[i + 1] = (Option){arena_printf(r->a, "%lld", (long long)cs[i].id), arena_printf(r->a, "%s %s", cs[i].code, cs[i].title)};
    html_printf(b, "<section class=\"panel\" id=\"set\"><h2>必修研修の設定（%s）</h2>"
                   "<p>対象の人材区分を選び、期限を年度の中の日付で入力します。3つとも選ぶと全職員が対象です。"
                   "同じ研修をもう一度設定すると、対象と期限を置き換えます。</p>\n",
                page_nendo_name(r, nendo));
    form_begin(r, b, "/mandatory", "stack");
    html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%d\">", nendo);
    field_select(b, e, "course", "研修", opts, nc + 1, again ? req_form(r, "course") : "", F_REQUIRED, NULL);
    html_raw(b, "<fieldset class=\"field\"><legend>対象の人材区分</legend>");
    for (int t = 1; t <= 3; t++) {
        const char *name = arena_printf(r->a, "tier%d", t);
        field_checkbox(b, name, tier_name(t), again ? req_form(r, name) != NULL : true);
    }
    if (e)
        for (int i = 0; i < e->n; i++)
            if (str_eq(e->items[i].field, "tiers")) html_printf(b, "<p class=\"error\" id=\"err-tiers\">%s</p>", e->items[i].msg);
    html_raw(b, "</fieldset>");
    field_text(b, e, "due_on", "期限", again ? form_date(r, "due_on") : "", F_REQUIRED | F_NARROW, "例：2026-12-25（年度の中の日付）");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">必修にする</button></div>");
    form_end(b);
    html_raw(b, "</section>\n");
}

static void render_list(Req *r, Resp *w, int nendo, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"必修研修", NULL}};
    page_begin(r, w, arena_printf(r->a, "必修研修（%s）", page_nendo_name(r, nendo)), "mandatory", crumbs, 2);
    Buf *b = &w->body;
    page_flash(r, w);
    error_summary(b, e);
    int64_t root = scope_root(r->user);
    html_printf(b, "<p class=\"lead\">%sに全職員または人材区分ごとに受講を求める研修と、その期限・修了状況です。%s</p>\n", page_nendo_name(r, nendo),
                root > 0 ? "修了状況は、今日あなたの所属とその配下にいる職員について数えています。" : "");
    html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/mandatory\"><div class=\"field\"><label for=\"f-nendo\">年度</label>"
                   "<input id=\"f-nendo\" name=\"nendo\" value=\"%d\" class=\"narrow\"></div><button class=\"btn\" type=\"submit\">表示</button></form>\n",
                nendo);
    Mandatory *m;
    int n = mandatory_list(r->db, r->a, nendo, &m);
    if (!n) html_raw(b, "<p class=\"empty\">この年度の必修研修はありません。</p>\n");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>必修研修</caption><thead><tr><th scope=\"col\">研修</th>"
                    "<th scope=\"col\">対象</th><th scope=\"col\">期限</th><th scope=\"col\">修了 / 対象</th>");
        if (office(r)) html_raw(b, "<th scope=\"col\">操作</th>");
        html_raw(b, "</tr></thead><tbody>\n");
        const char *today = page_today(r);
        for (int i = 0; i < n; i++) {
            int done, req;
            totals(r, m[i].course_id, nendo, &done, &req);
            html_printf(b, "<tr><td><a href=\"/mandatory/%lld?nendo=%d\">%s</a></td><td>%s</td><td>", (long long)m[i].course_id, nendo,
                        m[i].title, tiers_label(r, m[i].tiers));
            if (m[i].due_on) {
                html_date(b, m[i].due_on);
                if (strcmp(m[i].due_on, today) < 0 && done < req) html_raw(b, " <span class=\"flag warn\">期限切れ</span>");
            } else html_raw(b, "期限なし（研修の必須設定）");
            html_printf(b, "</td><td>%d / %d人</td>", done, req);
            if (office(r)) {
                html_raw(b, "<td>");
                if (m[i].explicit_row) {
                    form_begin(r, b, arena_printf(r->a, "/mandatory/%lld/delete", (long long)m[i].course_id), "inline");
                    html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%d\"><button type=\"submit\" class=\"btn\">設定を解除</button>", nendo);
                    form_end(b);
                }
                html_raw(b, "</td>");
            }
            html_raw(b, "</tr>\n");
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    if (office(r)) set_form(r, b, nendo, e);
    page_end(r, w);
}

void page_mandatory_list(Req *r, Resp *w) { render_list(r, w, page_nendo(r, req_query(r, "nendo")), NULL); }

void page_mandatory_set(Req *r, Resp *w)
{
    Errors e = {0};
    int nendo = 0;
    if (!nendo_parse_loose(req_form(r, "nendo"), &nendo)) err_add(&e, "nendo", "年度を正しく入力してください（例：2026）。");
    int64_t course = 0;
    if (!parse_int64(req_form(r, "course"), &course)) course = 0;
    int tiers = 0;
    for (int t = 1; t <= 3; t++)
        if (req_form(r, arena_printf(r->a, "tier%d", t))) tiers |= 1 << t;
    Actor who;
    page_actor(r, &who);
    if (!err_any(&e) && mandatory_set(r->db, &who, course, nendo, tiers, form_date(r, "due_on"), &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/mandatory?nendo=%d&msg=saved", nendo));
        return;
    }
    render_list(r, w, nendo ? nendo : r->nendo, &e);
    w->status = 422;
}

void page_mandatory_delete(Req *r, Resp *w)
{
    Errors e = {0};
    int nendo = 0;
    if (!nendo_parse_loose(req_form(r, "nendo"), &nendo)) nendo = r->nendo;
    Actor who;
    page_actor(r, &who);
    if (mandatory_unset(r->db, &who, req_param_id(r, 0), nendo, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/mandatory?nendo=%d&msg=deleted", nendo));
        return;
    }
    render_list(r, w, nendo, &e);
    w->status = 422;
}

/* ---- progress of one course per unit ---- */

static const char *missing_names(Req *r, const MandatoryUnit *u)
{
    Buf s = BUF_INIT;
    for (int i = 0; i < u->nmissing; i++) {
        if (i) buf_puts(&s, "、");
        buf_puts(&s, u->missing[i].name);
    }
    const char *out = arena_printf(r->a, "%s", u->nmissing ? buf_cstr(&s) : "");
    buf_free(&s);
    return out;
}

void page_mandatory_progress(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    int64_t course = req_param_id(r, 0);
    Course c;
    if (!course || !course_get(r->db, r->a, course, &c)) {
        resp_error(r, w, 404, "その研修は見つかりません。");
        return;
    }
    Mandatory *m;
    int nm = mandatory_list(r->db, r->a, nendo, &m);
    const Mandatory *mine = NULL;
    for (int i = 0; i < nm; i++)
        if (m[i].course_id == course) mine = &m[i];
    if (!mine) {
        resp_error(r, w, 404, "その研修はこの年度の必修研修ではありません。");
        return;
    }
    char as_of[11];
    asof_nendo_date(nendo, as_of);
    int64_t root = scope_root(r->user);
    MandatoryUnit *u;
    int n = mandatory_progress(r->db, r->a, course, nendo, as_of, root, page_today(r), &u);
    static const char *const head[] = {"組織", "対象人数", "修了", "未修了", "修了率(%)", "未修了の職員", NULL};
    Table t;
    table_init(&t, r->a, "必修研修の修了状況", head);
    int done = 0, req = 0;
    for (int i = 0; i < n; i++) {
        done += u[i].done;
        req += u[i].required;
        table_text(&t, u[i].unit_name);
        table_int(&t, u[i].required);
        table_int(&t, u[i].done);
        table_int(&t, u[i].required - u[i].done);
        table_int(&t, u[i].required ? u[i].done * 100 / u[i].required : 0);
        table_text(&t, missing_names(r, &u[i]));
    }
    if (page_send_table(r, w, &t, arena_printf(r->a, "必修研修_%s_%d", c.code, nendo))) return;
    Crumb crumbs[] = {{"ホーム", "/"}, {"必修研修", arena_printf(r->a, "/mandatory?nendo=%d", nendo)}, {c.title, NULL}};
    page_begin(r, w, arena_printf(r->a, "%s の修了状況", c.title), "mandatory", crumbs, 3);
    Buf *b = &w->body;
    html_printf(b, "<dl class=\"props\"><dt>年度</dt><dd>%s</dd><dt>対象</dt><dd>%s</dd><dt>期限</dt><dd>", page_nendo_name(r, nendo),
                tiers_label(r, mine->tiers));
    if (mine->due_on) html_date(b, mine->due_on);
    else html_raw(b, "期限なし");
    html_printf(b, "</dd><dt>修了</dt><dd>%d / %d人</dd></dl>\n", done, req);
    if (root < 0) html_raw(b, "<p class=\"empty\">今日の所属が確認できないため、表示できる職員はいません。</p>\n");
    else if (root > 0) html_raw(b, "<p>今日あなたの所属とその配下にいる職員について、組織ごとに数えています。</p>\n");
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/mandatory/%lld?nendo=%d&amp;format=csv\">CSV出力</a> "
                   "<a class=\"btn\" href=\"/mandatory/%lld?nendo=%d&amp;format=xlsx\">Excel出力</a></div>\n",
                (long long)course, nendo, (long long)course, nendo);
    if (!n) {
        html_raw(b, "<p class=\"empty\">対象の職員はいません。</p>\n");
        page_end(r, w);
        return;
    }
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>組織ごとの修了状況</caption><thead><tr><th scope=\"col\">組織</th>"
                "<th scope=\"col\">修了 / 対象</th><th scope=\"col\">未修了の職員</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td>%s</td><td>%d / %d人</td><td>", u[i].unit_name, u[i].done, u[i].required);
        for (int k = 0; k < u[i].nmissing; k++)
            html_printf(b, "%s<a href=\"/staff/%lld/training\">%s</a>", k ? "、" : "", (long long)u[i].missing[k].staff_id, u[i].missing[k].name);
        if (u[i].required > u[i].done + u[i].nmissing)
            html_printf(b, "%s（ほか%d人）", u[i].nmissing ? "" : "", u[i].required - u[i].done - u[i].nmissing);
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    page_end(r, w);
}
