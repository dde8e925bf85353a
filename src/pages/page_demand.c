/* page_demand.c - next 年度's training demand (研修ニーズ): who still needs
 * which course, by unit and tier, and a plan made from it. A 所属長 sees the
 * demand of their own subtree only. */
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

typedef struct DemandQuery {
    int nendo, tier;
    int64_t unit;
} DemandQuery;

/* The demand asked for by the query (GET) or the form (POST); a 所属長 is
 * held to their own subtree. */
static int demand_load(Req *r, const char *(*get)(Req *, const char *), DemandQuery *q, Demand **out)
{
    int64_t v;
    q->nendo = page_nendo(r, get(r, "nendo"));
    q->unit = parse_int64(get(r, "unit_id"), &v) ? v : 0;
    q->tier = parse_int64(get(r, "tier"), &v) && v >= 1 && v <= 3 ? (int)v : 0;
    int64_t root = scope_root(r->user);
    if (root && (root < 0 || !q->unit || !org_in_subtree(r->db, root, q->unit))) q->unit = root;
    *out = NULL;
    if (q->unit < 0) return 0;
    SkillMap m;
    skill_map_load(r->db, r->a, q->nendo, false, &m);
    return recommend_demand(r->db, r->a, &m, q->nendo, q->unit, q->tier, out);
}

static void demand_page(Req *r, Resp *w, const char *(*get)(Req *, const char *), const Errors *e)
{
    DemandQuery q;
    Demand *ds;
    int n = demand_load(r, get, &q, &ds);
    if (page_wants_export(r)) {
        static const char *const head[] = {"評価年度", "コード", "研修名", "実施主体", "対象人数", "定員（1回）", "必要回数", NULL};
        Table t;
        table_init(&t, r->a, "研修需要", head);
        for (int i = 0; i < n; i++) {
            table_int(&t, q.nendo);
            const char *cells[] = {ds[i].code, ds[i].title, provider_name(ds[i].provider)};
            for (size_t k = 0; k < COUNTOF(cells); k++) table_text(&t, cells[k]);
            table_int(&t, ds[i].people);
            table_int(&t, ds[i].capacity);
            table_int(&t, ds[i].sessions_needed);
        }
        page_send_table(r, w, &t, arena_printf(r->a, "研修需要_%d年度評価", q.nendo));
        return;
    }
    const char *next = page_nendo_name(r, q.nendo + 1);
    Crumb crumbs[] = {{"ホーム", "/"}, {"年間研修計画", arena_printf(r->a, "/plans?nendo=%d", q.nendo + 1)}, {"来年度の研修需要", NULL}};
    page_begin(r, w, "来年度の研修需要", "plans", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    html_printf(b, "<p class=\"lead\">%sの評価で目標レベルに届いていない項目を扱う研修ごとに、対象となる人数と必要な開催回数です。%sの計画づくりに使えます。</p>\n",
                page_nendo_name(r, q.nendo), next);
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/plans/demand\">");
    kit_nendo_select(r, b, q.nendo);
    char today[11];
    date_iso(date_today(), today);
    field_unit(r, b, NULL, "unit_id", "所属（配下を含む）", today, q.unit > 0 ? arena_printf(r->a, "%lld", (long long)q.unit) : "", 0, "すべて");
    field_select(b, NULL, "tier", "人材区分", kit_tier_opts, 4, q.tier ? arena_printf(r->a, "%d", q.tier) : "", 0, NULL);
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    const char *qs = arena_printf(r->a, "&nendo=%d&unit_id=%lld&tier=%d", q.nendo, (long long)q.unit, q.tier);
    kit_toolbar_exports(b, "/plans/demand", qs);
    html_printf(b, " <a class=\"btn\" href=\"/plans?nendo=%d\">%sの計画</a></div>\n", q.nendo + 1, next);
    if (!n) {
        html_raw(b, "<p class=\"empty\">研修の需要はありません（目標に届いていない項目を扱う有効な研修がないか、評価がまだありません）。</p>\n");
        page_end(r, w);
        return;
    }
    static const char *const heads[] = {"コード", "研修名", "実施主体", "対象人数", "定員（1回）", "必要回数", NULL};
    kit_table_open(b, "研修ごとの需要", heads);
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td>%s</td><td><a href=\"/courses/%lld\">%s</a></td>", ds[i].code, (long long)ds[i].course_id, ds[i].title);
        kit_provider_cell(b, ds[i].provider);
        html_printf(b, "<td class=\"num\">%d人</td><td class=\"num\">%s</td><td class=\"num\">%d回</td></tr>\n", ds[i].people,
                    kit_capacity_text(r, ds[i].capacity), ds[i].sessions_needed);
    }
    kit_table_close(b);
    if (page_is_office(r)) {
        html_printf(b, "<section class=\"panel\"><h2>%sの計画を作成</h2><p>表の研修ごとに、必要回数を回数、対象人数を定員として%sの計画に登録します。"
                       "すでに計画がある研修は回数と定員だけを更新し、実施月・予算・備考はそのまま残します。</p>",
                    next, next);
        form_begin(r, b, "/plans/demand", "stack");
        html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%d\"><input type=\"hidden\" name=\"unit_id\" value=\"%lld\">"
                       "<input type=\"hidden\" name=\"tier\" value=\"%d\"><div class=\"actions\"><button type=\"submit\" class=\"btn primary\""
                       " data-confirm=\"%d件の研修を%sの計画に登録します。よろしいですか？\">%sの計画を作成</button></div>",
                    q.nendo, (long long)q.unit, q.tier, n, next, next);
        form_end(b);
        html_raw(b, "</section>\n");
    }
    page_end(r, w);
}

void page_plan_demand(Req *r, Resp *w) { demand_page(r, w, req_query, NULL); }

void page_plan_from_demand(Req *r, Resp *w)
{
    DemandQuery q;
    Demand *ds;
    int n = demand_load(r, req_form, &q, &ds);
    PlanRow *old;
    int nold = plan_list(r->db, r->a, q.nendo + 1, &old);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (!n) err_add(&e, "", "計画にできる研修需要がありません。");
    PlanRow *rows = arena_zalloc(r->a, sizeof *rows * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        PlanRow *p = &rows[i];
        *p = (PlanRow){.nendo = q.nendo + 1, .course_id = ds[i].course_id, .sessions = ds[i].sessions_needed, .seats = ds[i].people, .note = "需要から作成"};
        /* A row already planned keeps its month, budget and note. */
        for (int k = 0; k < nold; k++)
            if (old[k].course_id == p->course_id) p->month = old[k].month, p->budget = old[k].budget, p->note = old[k].note;
    }
    if (n && plan_save_many(r->db, &who, rows, n, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/plans?nendo=%d&msg=saved", q.nendo + 1));
        return;
    }
    demand_page(r, w, req_form, &e);
    w->status = 422;
}
