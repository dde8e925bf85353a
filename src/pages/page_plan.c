/* page_plan.c - the annual training plan (年間研修計画) of a 年度 against its
 * actuals: planned sessions, seats and budget beside what was held, filled,
 * completed and spent. The office (人事, DX推進, 管理者) edits it. */
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/course.h"
#include "../domain/org.h"
#include "../domain/training.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "page_course_kit.h"
#include "pages.h"

static const char *month_text(Req *r, int m) { return m ? arena_printf(r->a, "%d月", m) : "未定"; }

/* Planned sessions, seats, budget, then held, filled, completed, and money:
 * 実績, 見込み and 差額 (予算 − 実績 − 見込み). */
#define PLAN_NUMS 9
static void plan_nums(const PlanRow *p, long long v[PLAN_NUMS])
{
    const long long x[PLAN_NUMS] = {p->sessions, p->seats,    p->budget,   p->held, p->filled, p->completed,
                                    p->spent,    p->forecast, p->budget - p->spent - p->forecast};
    memcpy(v, x, sizeof x);
}

static const char *rate_text(Req *r, int completed, int seats)
{
    return seats ? arena_printf(r->a, "%d%%", (int)(completed * 100.0 / seats + 0.5)) : "－";
}

/* The flag of a row with sessions of unknown cost, as exported. */
static const char *unknown_text(Req *r, int unknown) { return unknown ? arena_printf(r->a, "費用未定の日程あり（%d件）", unknown) : ""; }

static void plan_table_row(Req *r, Table *t, const PlanRow *p, const char *month, const char *code, const char *title)
{
    long long v[PLAN_NUMS];
    plan_nums(p, v);
    table_int(t, p->nendo);
    const char *head[] = {month, code, title, provider_name(p->provider)};
    for (size_t k = 0; k < COUNTOF(head); k++) table_text(t, head[k]);
    for (int k = 0; k < PLAN_NUMS; k++) table_int(t, v[k]);
    table_text(t, unknown_text(r, p->unknown));
    if (p->seats) table_num(t, (double)(int)(p->completed * 1000.0 / p->seats + 0.5) / 10);
    else table_text(t, "");
    table_text(t, p->note);
}

static void plan_html_nums(Req *r, Buf *b, const PlanRow *p)
{
    long long v[PLAN_NUMS];
    plan_nums(p, v);
    for (int k = 0; k < PLAN_NUMS; k++) {
        html_printf(b, "<td class=\"num\">%s", kit_num(r, v[k]));
        if (k == PLAN_NUMS - 1 && p->unknown) html_printf(b, "<br><span class=\"flag warn\">%s</span>", unknown_text(r, p->unknown));
        html_raw(b, "</td>");
    }
    html_printf(b, "<td class=\"num\">%s</td>", rate_text(r, p->completed, p->seats));
}

static void plan_form(Req *r, Buf *b, int nendo, const PlanRow *p, const Errors *e)
{
    Course *cs;
    int n = course_list(r->db, r->a, true, &cs);
    Option *co = arena_alloc(r->a, sizeof *co * (size_t)(n + 1));
    co[0] = (Option){"", "選んでください"};
    for (int i = 0; i < n; i++) co[i + 1] = (Option){arena_printf(r->a, "%lld", (long long)cs[i].id), arena_printf(r->a, "%s %s", cs[i].code, cs[i].title)};
    static const Option months[13] = {{"0", "未定"}, {"4", "4月"},   {"5", "5月"},   {"6", "6月"}, {"7", "7月"}, {"8", "8月"}, {"9", "9月"},
                                      {"10", "10月"}, {"11", "11月"}, {"12", "12月"}, {"1", "1月"}, {"2", "2月"}, {"3", "3月"}};
    html_printf(b, "<section class=\"panel\" id=\"plan-form\"><h2>%s（%s）</h2><p>同じ研修をもう一度登録すると、その研修の計画を上書きします。</p>",
                p->id ? "計画を編集" : "計画を追加", page_nendo_name(r, nendo));
    form_begin(r, b, "/plans", "stack");
    html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%d\">", nendo);
    field_select(b, e, "course_id", "研修", co, n + 1, kit_typed(r, "course_id", p->course_id ? arena_printf(r->a, "%lld", (long long)p->course_id) : ""),
                 F_REQUIRED, NULL);
    field_text(b, e, "sessions", "回数", kit_typed_int(r, "sessions", p->sessions), F_NARROW, NULL);
    field_text(b, e, "seats", "定員（延べ人数）", kit_typed_int(r, "seats", p->seats), F_NARROW, NULL);
    field_select(b, e, "month", "実施月", months, 13, kit_typed_int(r, "month", p->month), 0, NULL);
    field_text(b, e, "budget", "予算（円）", kit_typed_int(r, "budget", p->budget), F_NARROW, NULL);
    field_text(b, e, "note", "備考", kit_typed(r, "note", p->note), 0, NULL);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button>");
    if (p->id) html_printf(b, " <a class=\"btn\" href=\"/plans?nendo=%d\">キャンセル</a>", nendo);
    html_raw(b, "</div>");
    form_end(b);
    html_raw(b, "</section>\n");
}

static void plan_page(Req *r, Resp *w, int nendo, const Errors *e)
{
    PlanRow *ps, sum = {.nendo = nendo, .provider = "", .note = ""};
    int n = plan_list(r->db, r->a, nendo, &ps);
    for (int i = 0; i < n; i++) {
        sum.sessions += ps[i].sessions, sum.seats += ps[i].seats, sum.budget += ps[i].budget, sum.held += ps[i].held;
        sum.filled += ps[i].filled, sum.completed += ps[i].completed, sum.spent += ps[i].spent;
        sum.forecast += ps[i].forecast, sum.unknown += ps[i].unknown;
    }
    if (page_wants_export(r)) {
        static const char *const head[] = {"年度", "実施月", "コード", "研修名", "実施主体", "計画回数", "計画定員", "予算（円）", "開催回数",
                                           "受講決定", "修了", "実績（円）", "見込み（円）", "差額（円）", "費用未定",
                                           "達成率（%）", "備考", NULL};
        Table t;
        table_init(&t, r->a, "年間研修計画と実績", head);
        for (int i = 0; i < n; i++) plan_table_row(r, &t, &ps[i], month_text(r, ps[i].month), ps[i].course_code, ps[i].course_title);
        plan_table_row(r, &t, &sum, "合計", "", "");
        page_send_table(r, w, &t, arena_printf(r->a, "年間研修計画_%d年度", nendo));
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"研修カタログ", "/courses"}, {"年間研修計画と実績", NULL}};
    page_begin(r, w, "年間研修計画と実績", "plans", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    html_printf(b, "<p class=\"lead\">%sの研修計画と、開催・受講決定・修了・費用の実績です。達成率は修了者数を計画定員で割ったものです。"
                   "実績は開始した日程の1人あたり費用×出席者数、見込みはこれからの日程の1人あたり費用×受講決定者数、差額は予算−実績−見込みです。"
                   "費用が未定の日程はどちらにも含めず「費用未定の日程あり」と示します。</p>\n",
                page_nendo_name(r, nendo));
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/plans\">");
    kit_nendo_select(r, b, nendo);
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    kit_toolbar_exports(b, "/plans", arena_printf(r->a, "&nendo=%d", nendo));
    html_printf(b, " <a class=\"btn\" href=\"/plans/demand?nendo=%d\">研修需要（%sの評価から）</a></div>\n", nendo - 1, page_nendo_name(r, nendo - 1));
    bool office = page_is_office(r);
    if (!n) html_raw(b, "<p class=\"empty\">この年度の計画はまだありません。</p>\n");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>計画と実績</caption><thead><tr>"
                    "<th scope=\"col\" rowspan=\"2\">月</th><th scope=\"col\" rowspan=\"2\">コード</th><th scope=\"col\" rowspan=\"2\">研修名</th>"
                    "<th scope=\"col\" rowspan=\"2\">実施主体</th><th scope=\"colgroup\" colspan=\"3\">計画</th><th scope=\"colgroup\" colspan=\"6\">実績</th>"
                    "<th scope=\"col\" rowspan=\"2\">達成率</th><th scope=\"col\" rowspan=\"2\">備考</th>");
        if (office) html_raw(b, "<th scope=\"col\" rowspan=\"2\">操作</th>");
        static const char *const sub[] = {"回数", "定員", "予算（円）", "開催", "受講決定", "修了", "実績（円）", "見込み（円）", "差額（円）", NULL};
        html_raw(b, "</tr><tr>");
        kit_th_row(b, sub);
        html_raw(b, "</tr></thead><tbody>\n");
        for (int i = 0; i < n; i++) {
            const PlanRow *p = &ps[i];
            html_printf(b, "<tr><td>%s</td><td>%s</td><td><a href=\"/courses/%lld\">%s</a></td>", month_text(r, p->month), p->course_code,
                        (long long)p->course_id, p->course_title);
            kit_provider_cell(b, p->provider);
            plan_html_nums(r, b, p);
            html_printf(b, "<td>%s</td>", p->note);
            if (office) {
                html_printf(b, "<td><a class=\"btn small\" href=\"/plans?nendo=%d&amp;edit=%lld#plan-form\">編集</a> ", nendo, (long long)p->id);
                form_begin(r, b, arena_printf(r->a, "/plans/%lld/delete", (long long)p->id), "inline");
                html_printf(b, "<button type=\"submit\" class=\"btn small\" data-confirm=\"「%s」の計画を削除しますか？\">削除</button>", p->course_title);
                form_end(b);
                html_raw(b, "</td>");
            }
            html_raw(b, "</tr>\n");
        }
        html_printf(b, "</tbody><tfoot><tr><th scope=\"row\" colspan=\"4\">合計（%d件）</th>", n);
        plan_html_nums(r, b, &sum);
        html_raw(b, office ? "<td></td><td></td></tr></tfoot></table></div>\n" : "<td></td></tr></tfoot></table></div>\n");
    }
    if (office) {
        PlanRow blank = {.sessions = 1, .note = ""}, *edit = &blank;
        int64_t id;
        for (int i = 0; parse_int64(req_query(r, "edit"), &id) && i < n; i++)
            if (ps[i].id == id) edit = &ps[i];
        plan_form(r, b, nendo, edit, e);
    }
    page_end(r, w);
}

void page_plan(Req *r, Resp *w) { plan_page(r, w, page_nendo(r, req_query(r, "nendo")), NULL); }

void page_plan_save(Req *r, Resp *w)
{
    int64_t v;
    PlanRow p = {.nendo = page_nendo(r, req_form(r, "nendo"))};
    p.course_id = parse_int64(req_form(r, "course_id"), &v) ? v : 0, p.note = text_trim(r->a, req_form(r, "note"));
    p.sessions = kit_form_int(r, "sessions"), p.seats = kit_form_int(r, "seats"), p.month = kit_form_int(r, "month"), p.budget = kit_form_int(r, "budget");
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (plan_save(r->db, &who, &p, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/plans?nendo=%d&msg=saved", p.nendo));
        return;
    }
    plan_page(r, w, p.nendo, &e);
    w->status = 422;
}

void page_plan_delete(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    int nendo = (int)db_int(r->db, 0, "SELECT nendo FROM training_plan WHERE id = ?", id);
    if (!nendo) {
        resp_error(r, w, 404, "その計画は見つかりません。");
        return;
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (plan_delete(r->db, &who, id, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/plans?nendo=%d&msg=deleted", nendo));
        return;
    }
    resp_error(r, w, 422, e.n ? e.items[0].msg : "削除できませんでした。");
}
