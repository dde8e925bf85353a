/* page_qual.c - a person's qualifications (資格): the list, adding and
 * deleting, and the organisation's list of qualifications near expiry. */
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/qual.h"
#include "../domain/staff.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

#define SOON_DAYS 90 /* "期限間近" on a person's page */

/* The person themself, 人事, DX推進 and 管理者 record qualifications; a
 * 所属長 only views them. */
static bool can_edit(Req *r, int64_t staff_id)
{
    return staff_id == r->user->staff_id || (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN));
}

/* The expiry cell: 和暦 plus a text badge (the colour only repeats it). */
static void expiry_cell(Buf *b, const char *expires_on, const char *today, const char *soon, bool renewed)
{
    if (!expires_on) {
        html_raw(b, "期限なし");
        return;
    }
    html_date(b, expires_on);
    if (renewed) html_raw(b, " <span class=\"badge muted\">更新済み</span>");
    else if (strcmp(expires_on, today) < 0) html_raw(b, " <span class=\"flag bad\">期限切れ</span>");
    else if (strcmp(expires_on, soon) <= 0) html_raw(b, " <span class=\"flag warn\">期限間近</span>");
}

/* True when a later record of the same type replaces qs[i] (a renewal). */
static bool renewed(const StaffQual *qs, int n, int i)
{
    for (int k = 0; k < n; k++)
        if (k != i && str_eq(qs[k].qual_code, qs[i].qual_code) && qs[i].expires_on &&
            (!qs[k].expires_on || strcmp(qs[k].expires_on, qs[i].expires_on) > 0))
            return true;
    return false;
}

static void add_form(Req *r, Buf *b, int64_t staff_id, const Errors *e)
{
    QualType *ts;
    int nt = qual_types(r->db, r->a, &ts);
    Option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(nt + 1));
    opts[0] = (Option){"", "選んでください"};
    for (int i = 0; i < nt; i++) {
        const char *lvl = ts[i].itss_level ? arena_printf(r->a, "ITSSレベル%d", ts[i].itss_level) : "ITSS対象外";
        opts[i + 1] = (Option){ts[i].code, arena_printf(r->a, "%s（%s%s）", ts[i].name, lvl, ts[i].expires ? "・更新あり" : "")};
    }
    bool posted = e != NULL;
    html_raw(b, "<section class=\"panel\"><h2>資格を登録</h2>");
    error_summary(b, e);
    form_begin(r, b, arena_printf(r->a, "/staff/%lld/quals", (long long)staff_id), "stack");
    field_select(b, e, "code", "資格", opts, nt + 1, posted && req_form(r, "code") ? req_form(r, "code") : "", F_REQUIRED, NULL);
    field_text(b, e, "acquired_on", "取得日", posted ? form_date(r, "acquired_on") : "", F_REQUIRED | F_NARROW,
               "例：2025-10-01 または 令和7年10月1日（合格日・登録日）");
    field_text(b, e, "expires_on", "有効期限", posted ? form_date(r, "expires_on") : "", F_NARROW,
               "情報処理安全確保支援士など、登録の更新がある資格だけ入力します");
    field_textarea(b, e, "note", "備考", posted ? text_trim(r->a, req_form(r, "note")) : "", 0, "200文字以内");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">登録する</button></div>");
    form_end(b);
    html_raw(b, "</section>\n");
}

/* The page; e is the failed add (NULL on GET), so the form keeps what was typed. */
static void render_quals(Req *r, Resp *w, const Staff *s, const Errors *e)
{
    char today[11], soon[11];
    Date t = date_today();
    date_iso(t, today);
    date_iso(date_add_days(t, SOON_DAYS), soon);
    bool edit = can_edit(r, s->id);
    bool viewer = r->user->roles & ~ROLE_STAFF;
    const char *title = arena_printf(r->a, "%sさんの資格", s->name);
    Crumb crumbs[] = {{"ホーム", "/"}, {"職員", viewer ? "/staff" : NULL},
                      {s->name, arena_printf(r->a, "/staff/%lld", (long long)s->id)}, {"資格", NULL}};
    page_begin(r, w, title, s->id == r->user->staff_id ? "me" : "staff", crumbs, 4);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">情報処理技術者試験などの資格は、スキル評価の根拠として評価画面の関連項目の横に表示されます。</p>\n");
    if (viewer) html_raw(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/quals/expiring\">期限が近い資格の一覧</a></div>\n");

    StaffQual *qs;
    int n = qual_of_staff(r->db, r->a, s->id, &qs);
    if (!n) {
        html_raw(b, "<p class=\"empty\">登録された資格はありません。</p>\n");
    } else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>保有資格</caption><thead><tr>"
                    "<th scope=\"col\">名称</th><th scope=\"col\">ITSSレベル</th><th scope=\"col\">取得日</th>"
                    "<th scope=\"col\">有効期限</th><th scope=\"col\">備考</th>");
        if (edit) html_raw(b, "<th scope=\"col\">操作</th>");
        html_raw(b, "</tr></thead><tbody>\n");
        for (int i = 0; i < n; i++) {
            const StaffQual *q = &qs[i];
            html_printf(b, "<tr><td>%s</td><td>", q->qual_name);
            if (q->itss_level) html_printf(b, "レベル%d", q->itss_level);
            else html_raw(b, "－");
            html_raw(b, "</td><td>");
            html_date(b, q->acquired_on);
            html_raw(b, "</td><td>");
            expiry_cell(b, q->expires_on, today, soon, renewed(qs, n, i));
            html_printf(b, "</td><td>%s</td>", q->note);
            if (edit) {
                html_raw(b, "<td>");
                form_begin(r, b, arena_printf(r->a, "/staff/%lld/quals/%lld/delete", (long long)s->id, (long long)q->id), "inline");
                html_printf(b, "<button type=\"submit\" class=\"btn small danger\" data-confirm=\"「%s」の記録を削除しますか？\">"
                               "削除<span class=\"visually-hidden\">（%s）</span></button>",
                            q->qual_name, q->qual_name);
                form_end(b);
                html_raw(b, "</td>");
            }
            html_raw(b, "</tr>\n");
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    if (edit && s->in_service) add_form(r, b, s->id, e);
    else if (edit) html_raw(b, "<p class=\"empty\">無効（退職等）の職員には資格を登録できません。</p>\n");
    page_end(r, w);
}

/* Loads the person after the scope check; answers 403/404 itself and returns
 * false when the handler should stop. */
static bool load_person(Req *r, Resp *w, int64_t id, bool for_edit, Staff *s)
{
    if (!scope_staff(r->db, r->user, id)) {
        resp_error(r, w, 403, "この職員の情報を表示する権限がありません。");
        return false;
    }
    if (for_edit && !can_edit(r, id)) {
        resp_error(r, w, 403, "この職員の資格を登録・削除する権限がありません。");
        return false;
    }
    char today[11];
    date_iso(date_today(), today);
    if (!staff_get(r->db, r->a, id, today, r->nendo, s)) {
        resp_error(r, w, 404, "その職員は見つかりません。");
        return false;
    }
    return true;
}

void page_qual_list(Req *r, Resp *w)
{
    Staff s;
    if (load_person(r, w, req_param_id(r, 0), false, &s)) render_quals(r, w, &s, NULL);
}

void page_qual_add(Req *r, Resp *w)
{
    Staff s;
    if (!load_person(r, w, req_param_id(r, 0), true, &s)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (qual_add(r->db, &who, s.id, req_form(r, "code"), form_date(r, "acquired_on"), form_date(r, "expires_on"),
                 text_trim(r->a, req_form(r, "note")), &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/staff/%lld/quals?msg=saved", (long long)s.id));
        return;
    }
    render_quals(r, w, &s, &e);
    w->status = 422;
}

void page_qual_delete(Req *r, Resp *w)
{
    Staff s;
    if (!load_person(r, w, req_param_id(r, 0), true, &s)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (qual_delete(r->db, &who, s.id, req_param_id(r, 1), &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/staff/%lld/quals?msg=deleted", (long long)s.id));
        return;
    }
    const char *msg = e.n ? e.items[0].msg : "削除できませんでした。";
    resp_error(r, w, str_eq(msg, QUAL_NOT_FOUND) ? 404 : 422, msg);
}

static const Option day_opts[] = {{"30", "30日以内"}, {"90", "90日以内"}, {"180", "180日以内"}};

void page_qual_expiring(Req *r, Resp *w)
{
    const char *days_s = req_query(r, "days");
    int days = str_eq(days_s, "30") ? 30 : str_eq(days_s, "180") ? 180 : 90;
    char today[11];
    date_iso(date_today(), today);
    int64_t root = scope_root(r->user);
    /* A 所属長 without a unit sees nobody, never the whole organisation. */
    bool none = !scope_org_wide(r->user) && !root;
    StaffQual *qs = NULL;
    int n = none ? 0 : qual_expiring(r->db, r->a, today, days, root, &qs);
    if (page_wants_export(r)) {
        static const char *const head[] = {"職員番号", "氏名", "所属", "資格", "取得日", "有効期限", NULL};
        Table tab;
        table_init(&tab, r->a, "期限が近い資格", head);
        for (int i = 0; i < n; i++) {
            const char *cells[] = {qs[i].staff_no, qs[i].staff_name, qs[i].unit_name, qs[i].qual_name, qs[i].acquired_on, qs[i].expires_on};
            for (size_t k = 0; k < COUNTOF(cells); k++) table_text(&tab, cells[k]);
        }
        page_send_table(r, w, &tab, arena_printf(r->a, "期限が近い資格_%s", today));
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"職員", "/staff"}, {"期限が近い資格", NULL}};
    page_begin(r, w, "有効期限が近い資格", "quals", crumbs, 3);
    Buf *b = &w->body;
    html_printf(b, "<p class=\"lead\">有効期限が今日から%d日以内の資格と、この30日の間に期限が切れた資格です（更新済みのものを除く）。%s</p>\n",
                days, root ? "あなたの所属とその配下の職員だけを表示しています。" : "");
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/quals/expiring\">");
    field_select(b, NULL, "days", "期間", day_opts, 3, arena_printf(r->a, "%d", days), 0, NULL);
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/quals/expiring?format=csv&amp;days=%d\">CSV出力</a>"
                   " <a class=\"btn\" href=\"/quals/expiring?format=xlsx&amp;days=%d\">Excel出力</a></div>\n", days, days);
    if (!n) {
        html_raw(b, "<p class=\"empty\">期限が近い資格はありません。</p>\n");
        page_end(r, w);
        return;
    }
    html_printf(b, "<p role=\"status\">%d件が該当します。</p>\n", n);
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>期限が近い資格</caption><thead><tr>"
                "<th scope=\"col\">有効期限</th><th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th>"
                "<th scope=\"col\">所属</th><th scope=\"col\">資格</th><th scope=\"col\">取得日</th></tr></thead><tbody>\n");
    char soon[11];
    date_iso(date_add_days(date_today(), SOON_DAYS), soon);
    for (int i = 0; i < n; i++) {
        const StaffQual *q = &qs[i];
        html_raw(b, "<tr><td>");
        expiry_cell(b, q->expires_on, today, soon, false);
        html_printf(b, "</td><td>%s</td><td><a href=\"/staff/%lld/quals\">%s</a></td><td>%s</td><td>%s</td><td>", q->staff_no,
                    (long long)q->staff_id, q->staff_name, q->unit_name, q->qual_name);
        html_date(b, q->acquired_on);
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    page_end(r, w);
}
