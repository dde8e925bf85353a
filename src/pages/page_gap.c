/* page_gap.c - ギャップ分析: one person's targets against their levels, a
 * unit's heatmap (people × items for a 課 or 係; child units × items for a
 * 部 or 執行機関, gap_units.h) and the organisation's attainment by tier
 * and category against the previous 年度. Every view also downloads as CSV
 * or .xlsx (?format=). The numbers come from gap.h; this file only lays
 * them out. ?nendo= picks the 年度; people are counted on the day the view
 * of that 年度 is taken (asof_nendo_date). A 所属長 sees per-person rows only
 * of people in their unit today; totals count everyone. */
#include <string.h>

#include "../db/audit.h"
#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/asof.h"
#include "../domain/gap.h"
#include "../domain/gap_units.h"
#include "../domain/org.h"
#include "../domain/staff.h"
#include "../domain/tier.h"
#include "../html/chart.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "page_audit.h"
#include "pages.h"

static const Option tier_opts[] = {{"", "すべて"}, {"1", "①高度専門人材"}, {"2", "②DX推進リーダー"}, {"3", "③一般職員"}};

/* What every gap screen shares: the 年度 asked for, the day people are
 * counted on and the skill map with that 年度's targets. */
typedef struct GapView {
    int nendo;
    const char *as_of, *nendo_name;
    SkillMap m;
} GapView;

static const char *as_of_for(Req *r, int nendo)
{
    char *d = arena_alloc(r->a, 11);
    asof_nendo_date(nendo, d);
    return d;
}

static void view_init(Req *r, GapView *v)
{
    const char *q = req_query(r, "nendo");
    if (!q || !nendo_parse_loose(q, &v->nendo)) v->nendo = r->nendo;
    v->as_of = as_of_for(r, v->nendo);
    v->nendo_name = page_nendo_name(r, v->nendo);
    skill_map_load(r->db, r->a, v->nendo, false, &v->m);
}

static void matrix(Req *r, const GapView *v, int nendo, int64_t unit_id, int tier, int64_t staff_id, GapMatrix *g)
{
    GapFilter f = {.unit_id = unit_id, .tier = tier, .staff_id = staff_id, .scope = scope_root(r->user), .today = page_today(r)};
    gap_matrix(r->db, r->a, &v->m, nendo, as_of_for(r, nendo), &f, g);
}

/* "72.3%", or "－" when nothing was assessed. */
static const char *pct_text(Req *r, GapRate x) { return x.assessed ? arena_printf(r->a, "%.1f%%", gap_pct(x)) : "－"; }

static double round1(double x) { return (double)(long long)(x * 10 + (x < 0 ? -0.5 : 0.5)) / 10; }

/* The rate as a number cell, or an empty cell when nothing was assessed. */
static void table_rate(Table *t, GapRate x)
{
    if (x.assessed) table_num(t, round1(gap_pct(x)));
    else table_text(t, "");
}

static bool top_level(const SkillMap *m, int c) { return m->cats[c].top == c; }
static int top_of(const SkillMap *m, int i) { return m->cats[m->items[i].cat].top; }

/* The 年度 (and tier) filter: a GET form that re-submits on change. */
static void filter_form(Req *r, Buf *b, const char *action, const GapView *v, const char *tier_s)
{
    html_printf(b, "<form class=\"filters\" method=\"get\" action=\"%s\">", action);
    int years[7], n = 0; /* the last five 年度, and the one shown if it is not among them */
    if (v->nendo > r->nendo) years[n++] = v->nendo;
    for (int y = r->nendo; y > r->nendo - 5; y--) years[n++] = y;
    if (v->nendo <= r->nendo - 5) years[n++] = v->nendo;
    Option o[7];
    for (int k = 0; k < n; k++) o[k] = (Option){arena_printf(r->a, "%d", years[k]), page_nendo_name(r, years[k])};
    field_select(b, NULL, "nendo", "年度", o, n, arena_printf(r->a, "%d", v->nendo), F_AUTOSUBMIT, NULL);
    if (tier_s) field_select(b, NULL, "tier", "人材区分", tier_opts, 4, tier_s, F_AUTOSUBMIT, NULL);
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
}

/* CSV and Excel links for path with the page's query (qs starts with "&"). */
static void export_links(Buf *b, const char *path, const char *qs)
{
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"%s?format=csv%s\">CSV出力</a>"
                   " <a class=\"btn\" href=\"%s?format=xlsx%s\">Excel出力</a></div>\n", path, qs, path, qs);
}

static void symbol_legend(Buf *b, bool heat)
{
    html_raw(b, "<p class=\"muted\">記号（目標との差）：◎ 目標超え　○ 目標どおり　△ 1不足　▲ 2不足　✕ 3以上不足　－ 未評価");
    if (heat) html_raw(b, "　空欄 対象外（目標なし）<br>数字はレベル（0〜4）です。*は上司確認前（本人の自己評価）です。");
    html_raw(b, "</p>\n");
}

/* What the unit, tier and organisation views are scored against. */
static void basis_note(Buf *b)
{
    html_raw(b, "<p class=\"muted basis\">提出済・確認済の評価は、提出（確認）した時点の人材区分と目標レベルで集計しています。"
                "未提出の評価は現在の目標です。</p>\n");
}

/* The note under a table that leaves out people no longer in the user's unit. */
static void hidden_note(Req *r, Buf *b, const GapMatrix *g)
{
    int hidden = 0;
    for (int p = 0; p < g->npeople; p++) hidden += !g->people[p].visible;
    if (hidden)
        html_printf(b, "<p class=\"muted\">%s人は現在配下にいない職員のため、氏名と個別の行を表示しません（合計には含みます）。</p>\n",
                    arena_printf(r->a, "%d", hidden));
}

static void card(Buf *b, const char *title, const char *value)
{
    html_printf(b, "<div class=\"card\"><span class=\"card-title\">%s</span><span class=\"card-value\">%s</span></div>", title, value);
}

/* The items some person in g has a target for, grouped by top-level category:
 * group k is category cat[k] with items used[start[k] .. start[k + 1]). */
typedef struct Groups {
    int *used, nused;
    int *cat, *start, n;
} Groups;

static void groups_of(Req *r, const SkillMap *m, const bool *item_used, Groups *gr)
{
    gr->used = arena_alloc(r->a, sizeof(int) * (size_t)(m->nitems + 1));
    gr->cat = arena_alloc(r->a, sizeof(int) * (size_t)(m->ncats + 1));
    gr->start = arena_alloc(r->a, sizeof(int) * (size_t)(m->ncats + 2));
    gr->nused = gr->n = 0;
    for (int c = 0; c < m->ncats; c++) {
        if (!top_level(m, c)) continue;
        int before = gr->nused;
        for (int i = 0; i < m->nitems; i++)
            if (item_used[i] && top_of(m, i) == c) gr->used[gr->nused++] = i;
        if (gr->nused == before) continue;
        gr->cat[gr->n] = c;
        gr->start[gr->n++] = before;
    }
    gr->start[gr->n] = gr->nused;
}

/* Person p's attainment on items[0..n). */
static GapRate rate_on(const GapMatrix *g, int p, const int *items, int n)
{
    GapRate x = {0, 0};
    for (int k = 0; k < n; k++) {
        int t = GAP_AT(g, target, p, items[k]), l = gap_level(g, p, items[k], NULL);
        x.assessed += t >= 0 && l >= 0;
        x.met += t >= 0 && l >= t;
    }
    return x;
}

/* ---- 個人 ---- */

/* One item of a person's table, as text shared by the screen and the export. */
typedef struct PersonLine {
    int target, self, level;
    bool confirmed;
    const char *sup, *diff;
} PersonLine;

static void person_line(Req *r, const GapMatrix *g, int i, PersonLine *l)
{
    l->target = GAP_AT(g, target, 0, i);
    l->self = GAP_AT(g, self, 0, i);
    l->level = gap_level(g, 0, i, &l->confirmed);
    l->sup = l->confirmed ? arena_printf(r->a, "%d", GAP_AT(g, sup, 0, i)) : l->self >= 0 ? "未確認" : "－";
    l->diff = l->level < 0 ? "" : l->level == l->target ? "±0" : arena_printf(r->a, "%+d", l->level - l->target);
}

static void person_export(Req *r, Resp *w, const GapView *v, const GapMatrix *g, const Staff *s)
{
    static const char *const head[] = {"区分", "項目コード", "項目", "目標", "自己評価", "上司確認", "差", "判定", "目標レベルの行動指標", NULL};
    Table t;
    table_init(&t, r->a, "個人のギャップ", head);
    for (int i = 0; g->npeople && i < v->m.nitems; i++) {
        PersonLine l;
        person_line(r, g, i, &l);
        if (l.target < 0) continue;
        const SkillItem *it = &v->m.items[i];
        table_text(&t, v->m.cats[top_of(&v->m, i)].name);
        table_text(&t, it->code);
        table_text(&t, it->name);
        table_int(&t, l.target);
        if (l.self >= 0) table_int(&t, l.self);
        else table_text(&t, "");
        table_text(&t, l.sup);
        table_text(&t, l.diff);
        table_text(&t, chart_gap_symbol(l.level, l.target));
        table_text(&t, skill_descriptor(&v->m, it, l.target));
    }
    page_send_table(r, w, &t, arena_printf(r->a, "ギャップ_%s_%s_%d", s->staff_no, s->name, v->nendo));
}

static void person_table(Req *r, Buf *b, const GapView *v, const GapMatrix *g)
{
    /* The body is .heat for the gap colours; the table is not, so the 行動指標 text wraps. */
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>項目ごとの目標とレベル</caption><thead><tr>"
                "<th scope=\"col\">区分</th><th scope=\"col\">項目</th><th scope=\"col\">目標</th><th scope=\"col\">自己評価</th>"
                "<th scope=\"col\">上司確認</th><th scope=\"col\">差</th><th scope=\"col\">目標レベルの行動指標</th></tr></thead>"
                "<tbody class=\"heat\">\n");
    for (int i = 0; i < v->m.nitems; i++) {
        PersonLine l;
        person_line(r, g, i, &l);
        if (l.target < 0) continue;
        const SkillItem *it = &v->m.items[i];
        html_printf(b, "<tr><td>%s</td><th scope=\"row\">%s %s</th><td class=\"num\">%d</td><td class=\"num\">", v->m.cats[top_of(&v->m, i)].name, it->code,
                    it->name, l.target);
        if (l.self >= 0) html_printf(b, "%d", l.self);
        else html_raw(b, "－");
        html_printf(b, "</td><td class=\"num\">%s</td><td class=\"num %s\">%s%s</td><td>%s</td></tr>\n", l.sup,
                    chart_gap_class(l.level, l.target), l.diff, chart_gap_symbol(l.level, l.target),
                    skill_descriptor(&v->m, it, l.target));
    }
    html_raw(b, "</tbody></table></div>\n");
}

/* A radar of the person's items[0..n): 目標, 自己評価 and, once confirmed, 上司確認. */
static void person_radar(Req *r, Buf *b, const GapMatrix *g, const int *items, int n, const char *title, int k)
{
    const char **axes = arena_alloc(r->a, sizeof *axes * (size_t)n);
    double *val = arena_alloc(r->a, sizeof *val * (size_t)n * 3);
    for (int j = 0; j < n; j++) {
        bool confirmed;
        axes[j] = g->m->items[items[j]].name;
        val[j] = GAP_AT(g, target, 0, items[j]);
        val[n + j] = GAP_AT(g, self, 0, items[j]);
        int level = gap_level(g, 0, items[j], &confirmed);
        val[2 * n + j] = confirmed ? level : -1;
    }
    ChartSeries s[] = {{"目標", val}, {"自己評価", val + n}, {"上司確認", val + 2 * n}};
    int ns = g->people[0].state == AS_CONFIRMED ? 3 : 2;
    chart_radar(b, arena_printf(r->a, "radar-%d", k), arena_printf(r->a, "%s（目標とレベル）", title),
                "項目ごとの目標レベルと自己評価・上司確認のレベル（0〜4）", axes, n, SKILL_MAX_LEVEL, s, ns);
}

/* One radar per top-level category with 3+ targeted items; the smaller ones
 * together as "その他" when they add up to 3+. */
static void person_radars(Req *r, Buf *b, const GapMatrix *g)
{
    Groups gr;
    groups_of(r, g->m, g->item_used, &gr); /* one person: the items with their targets */
    int *other = arena_alloc(r->a, sizeof(int) * (size_t)(gr.nused + 1)), nother = 0;
    for (int k = 0; k < gr.n; k++) {
        int n = gr.start[k + 1] - gr.start[k];
        const int *items = gr.used + gr.start[k];
        if (n >= 3) person_radar(r, b, g, items, n, g->m->cats[gr.cat[k]].name, k);
        else for (int j = 0; j < n; j++) other[nother++] = items[j];
    }
    if (nother >= 3) person_radar(r, b, g, other, nother, "その他", gr.n);
}

/* Items below target, largest shortfall first. */
static void person_shortfalls(Buf *b, const GapView *v, const GapMatrix *g)
{
    html_raw(b, "<section class=\"panel\"><h2>目標に届いていない項目</h2><ol>");
    int n = 0;
    for (int gap = SKILL_MAX_LEVEL; gap >= 1; gap--)
        for (int i = 0; i < v->m.nitems; i++) {
            int t = GAP_AT(g, target, 0, i), l = gap_level(g, 0, i, NULL);
            if (l < 0 || t - l != gap) continue;
            html_printf(b, "<li>%s %s：目標 %d に対して %d（%d不足 %s）</li>", v->m.items[i].code, v->m.items[i].name, t, l, gap,
                        chart_gap_symbol(l, t));
            n++;
        }
    html_raw(b, "</ol>");
    if (!n) html_raw(b, "<p class=\"empty\">すべての項目で目標に届いています。</p>");
    html_raw(b, "</section>\n");
}

static void render_gap_person(Req *r, Resp *w, int64_t id, const GapView *vp, const Staff *sp);

void page_gap_person(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    if (!scope_staff(r->db, r->user, id)) {
        resp_error(r, w, 403, "このページを表示する権限がありません。");
        return;
    }
    GapView v;
    view_init(r, &v);
    Staff s;
    if (!staff_get(r->db, r->a, id, v.as_of, v.nendo, &s)) {
        resp_error(r, w, 404, "その職員は見つかりません。");
        return;
    }
    bool audited = id != r->user->staff_id;
    if (audited && !page_read_begin(r, w)) return;
    render_gap_person(r, w, id, &v, &s);
    if (audited) page_read_end(r, w, "gap.view", "staff", id, id, "ギャップ分析の閲覧");
}

static void render_gap_person(Req *r, Resp *w, int64_t id, const GapView *vp, const Staff *sp)
{
    GapView v = *vp;
    const Staff s = *sp;
    GapMatrix g;
    matrix(r, &v, v.nendo, 0, 0, id, &g);
    if (page_wants_export(r)) {
        person_export(r, w, &v, &g, &s);
        return;
    }
    /* /gaps is for 所属長 and the org-wide roles; a 職員 comes here from わたしの情報. */
    bool viewer = r->user->roles & (ROLE_MANAGER | ROLE_HR | ROLE_DX | ROLE_ADMIN);
    Crumb crumbs[] = {{"ホーム", "/"}, {viewer ? "ギャップ分析" : "わたしの情報", viewer ? "/gaps" : "/me"},
                      {viewer ? s.name : "ギャップ分析", NULL}};
    page_begin(r, w, arena_printf(r->a, "%sさんのギャップ分析", s.name), id == r->user->staff_id ? "me" : "gaps", crumbs, 3);
    Buf *b = &w->body;
    AssessState state = g.npeople ? g.people[0].state : AS_NONE;
    GapRate rate = g.npeople ? gap_person_rate(&g, 0) : (GapRate){0, 0};
    html_printf(b, "<dl class=\"props\"><dt>氏名</dt><dd><a href=\"/staff/%lld\">%s</a>（%s）</dd><dt>所属</dt><dd>%s</dd>"
                   "<dt>人材区分</dt><dd><span class=\"badge tier%d\">%s</span></dd><dt>%sの評価</dt><dd>%s</dd>"
                   "<dt>到達率</dt><dd>%s</dd></dl>\n",
                (long long)s.id, s.name, s.staff_no, str_empty(s.unit_name) ? "（なし）" : s.unit_name, s.tier,
                tier_name(s.tier), v.nendo_name, assess_state_name(state), pct_text(r, rate));
    filter_form(r, b, arena_printf(r->a, "/gaps/person/%lld", (long long)id), &v, NULL);
    export_links(b, arena_printf(r->a, "/gaps/person/%lld", (long long)id), arena_printf(r->a, "&nendo=%d", v.nendo));
    if (g.npeople)
        html_printf(b, "<p class=\"basis\">%s</p>\n", assess_basis_text(r->a, g.people[0].basis_on, g.people[0].basis_tiers));
    if (!rate.assessed) html_raw(b, "<p class=\"empty\">この年度の評価はまだ提出されていません。</p>\n");
    if (g.npeople) {
        symbol_legend(b, false);
        person_table(r, b, &v, &g);
    }
    if (rate.assessed) {
        html_raw(b, "<section class=\"panel\"><h2>分野ごとのレーダーチャート</h2>");
        person_radars(r, b, &g);
        html_raw(b, "</section>\n");
        person_shortfalls(b, &v, &g);
    }
    page_end(r, w);
}

/* ---- 組織 ---- */

static void unit_export(Req *r, Resp *w, const GapMatrix *g, const int *used, int nused, const Unit *u, int nendo)
{
    static const char *const fixed[] = {"職員番号", "氏名", "所属", "人材区分", "評価状況"};
    const char **head = arena_alloc(r->a, sizeof *head * (size_t)(nused + 7));
    for (int k = 0; k < 5; k++) head[k] = fixed[k];
    for (int k = 0; k < nused; k++) head[5 + k] = g->m->items[used[k]].code;
    head[5 + nused] = "到達率(%)";
    head[6 + nused] = NULL;
    Table t;
    table_init(&t, r->a, "組織のギャップ", head);
    for (int p = 0; p < g->npeople; p++) {
        const GapPerson *gp = &g->people[p];
        if (!gp->visible) continue; /* counted in the footer only */
        const char *cells[] = {gp->staff_no, gp->name, gp->unit_name, tier_name(gp->tier), assess_state_name(gp->state)};
        for (int k = 0; k < 5; k++) table_text(&t, cells[k]);
        for (int k = 0; k < nused; k++) {
            int level = gap_level(g, p, used[k], NULL);
            if (GAP_AT(g, target, p, used[k]) < 0) table_text(&t, "");
            else if (level < 0) table_text(&t, "－");
            else table_int(&t, level);
        }
        table_rate(&t, gap_person_rate(g, p));
    }
    const char *foot[] = {"", "到達率(%)", "", "", ""};
    for (int k = 0; k < 5; k++) table_text(&t, foot[k]);
    for (int k = 0; k < nused; k++) table_rate(&t, gap_item_rate(g, used[k]));
    table_rate(&t, gap_total_rate(g));
    page_send_table(r, w, &t, arena_printf(r->a, "ギャップ_%s_%d", u->name, nendo));
}

static void heat_cell(Buf *b, const GapMatrix *g, int p, int i)
{
    bool confirmed;
    int t = GAP_AT(g, target, p, i), l = gap_level(g, p, i, &confirmed);
    if (t < 0) html_raw(b, "<td class=\"gap-none\"></td>");
    else if (l < 0) html_printf(b, "<td class=\"gap-none\">%s</td>", chart_gap_symbol(l, t));
    else html_printf(b, "<td class=\"%s\">%d%s%s</td>", chart_gap_class(l, t), l, chart_gap_symbol(l, t), confirmed ? "" : "*");
}

/* A link to the person's gap page, as a row header. */
static void person_th(Buf *b, const GapPerson *gp, int nendo)
{
    html_printf(b, "<tr><th scope=\"row\"><a href=\"/gaps/person/%lld?nendo=%d\">%s</a></th>", (long long)gp->staff_id, nendo, gp->name);
}

/* People × items[0..n) with the people's and the items' attainment. */
static void heat_table(Req *r, Buf *b, const GapView *v, const GapMatrix *g, const int *items, int n, const char *caption)
{
    html_printf(b, "<div class=\"table-wrap\"><table class=\"data heat\"><caption>%s</caption><thead><tr><th scope=\"col\">氏名</th>",
                caption);
    for (int k = 0; k < n; k++) html_printf(b, "<th scope=\"col\">%s</th>", v->m.items[items[k]].code);
    html_raw(b, "<th scope=\"col\">到達率</th></tr></thead><tbody>\n");
    GapRate all = {0, 0};
    for (int p = 0; p < g->npeople; p++) {
        GapRate x = rate_on(g, p, items, n);
        all.met += x.met;
        all.assessed += x.assessed;
        if (!g->people[p].visible) continue;
        person_th(b, &g->people[p], v->nendo);
        for (int k = 0; k < n; k++) heat_cell(b, g, p, items[k]);
        html_printf(b, "<td>%s</td></tr>\n", pct_text(r, x));
    }
    html_raw(b, "</tbody><tfoot><tr><th scope=\"row\">到達率</th>");
    for (int k = 0; k < n; k++) html_printf(b, "<td>%s</td>", pct_text(r, gap_item_rate(g, items[k])));
    html_printf(b, "<td>%s</td></tr></tfoot></table></div>\n", pct_text(r, all));
}

/* One heat table per top-level category, cut into parts of at most HEAT_COLS
 * items so each fits the width of A4 portrait when printed. */
#define HEAT_COLS 7
static void heat_tables(Req *r, Buf *b, const GapView *v, const GapMatrix *g, const Groups *gr)
{
    for (int k = 0; k < gr->n; k++) {
        const char *name = v->m.cats[gr->cat[k]].name;
        int n = gr->start[k + 1] - gr->start[k], parts = (n + HEAT_COLS - 1) / HEAT_COLS, per = (n + parts - 1) / parts;
        for (int s = 0, part = 1; s < n; s += per, part++)
            heat_table(r, b, v, g, gr->used + gr->start[k] + s, n - s < per ? n - s : per,
                       parts > 1 ? arena_printf(r->a, "%s（%d/%d）", name, part, parts) : name);
    }
}

/* People × top-level categories: each person's attainment per category and overall. */
static void person_summary(Req *r, Buf *b, const GapView *v, const GapMatrix *g, const Groups *gr)
{
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>職員ごとの到達率（分野別）</caption><thead><tr>"
                "<th scope=\"col\">氏名</th><th scope=\"col\">人材区分</th><th scope=\"col\">評価</th>");
    for (int k = 0; k < gr->n; k++) { /* the name before "（" keeps the table within A4: "Why（DXの背景）" → "Why" */
        const char *name = v->m.cats[gr->cat[k]].name, *paren = strstr(name, "（");
        int len = paren && paren > name ? (int)(paren - name) : (int)strlen(name);
        html_printf(b, "<th scope=\"col\">%s</th>", arena_printf(r->a, "%.*s", len, name));
    }
    html_raw(b, "<th scope=\"col\">全体</th></tr></thead><tbody>\n");
    for (int p = 0; p < g->npeople; p++) {
        const GapPerson *gp = &g->people[p];
        if (!gp->visible) continue;
        person_th(b, gp, v->nendo);
        html_printf(b, "<td><span class=\"badge tier%d\">%s</span></td><td><span class=\"badge\">%s</span></td>", gp->tier, tier_short(gp->tier),
                    assess_state_name(gp->state));
        for (int k = 0; k < gr->n; k++)
            html_printf(b, "<td class=\"num\">%s</td>", pct_text(r, rate_on(g, p, gr->used + gr->start[k], gr->start[k + 1] - gr->start[k])));
        html_printf(b, "<td class=\"num\">%s</td></tr>\n", pct_text(r, gap_person_rate(g, p)));
    }
    html_raw(b, "</tbody><tfoot><tr><th scope=\"row\" colspan=\"3\">全員</th>");
    GapSums sm;
    gap_sums(g, r->a, &sm);
    for (int k = 0; k < gr->n; k++) html_printf(b, "<td class=\"num\">%s</td>", pct_text(r, sm.rate[0][gr->cat[k]]));
    html_printf(b, "<td class=\"num\">%s</td></tr></tfoot></table></div>\n", pct_text(r, sm.all[0]));
}

/* The per-item numbers both heat maps (people rows, unit rows) show below the tables. */
typedef struct ItemSums {
    const GapRate *rate;     /* m.nitems */
    const double *shortfall; /* m.nitems: gap_item_shortfall */
} ItemSums;

static ItemSums item_sums_of(Req *r, const GapView *v, const GapMatrix *g)
{
    GapRate *rate = arena_zalloc(r->a, sizeof *rate * (size_t)(v->m.nitems + 1));
    double *sf = arena_zalloc(r->a, sizeof *sf * (size_t)(v->m.nitems + 1));
    for (int i = 0; i < v->m.nitems; i++) {
        rate[i] = gap_item_rate(g, i);
        sf[i] = gap_item_shortfall(g, i);
    }
    return (ItemSums){rate, sf};
}

static void item_legend(Req *r, Buf *b, const GapView *v, const ItemSums *g, const int *used, int nused)
{
    html_raw(b, "<section class=\"panel\"><h2>項目コードの一覧</h2><div class=\"table-wrap\"><table class=\"data\"><thead><tr>"
                "<th scope=\"col\">コード</th><th scope=\"col\">項目</th><th scope=\"col\">区分</th><th scope=\"col\">到達率</th>"
                "</tr></thead><tbody>\n");
    for (int k = 0; k < nused; k++) {
        const SkillItem *it = &v->m.items[used[k]];
        html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", it->code, it->name,
                    v->m.cats[top_of(&v->m, used[k])].name, pct_text(r, g->rate[used[k]]));
    }
    html_raw(b, "</tbody></table></div></section>\n");
}

/* The five items with the largest mean shortfall (> 0). */
static void worst_items(Req *r, Buf *b, const GapView *v, const ItemSums *g, const int *used, int nused)
{
    double *sf = arena_alloc(r->a, sizeof *sf * (size_t)(nused + 1));
    for (int k = 0; k < nused; k++) sf[k] = g->shortfall[used[k]];
    html_raw(b, "<section class=\"panel\"><h2>目標との差が大きい項目</h2><ol>");
    int shown = 0;
    for (; shown < 5; shown++) {
        int best = -1;
        for (int k = 0; k < nused; k++)
            if (sf[k] > 0 && (best < 0 || sf[k] > sf[best])) best = k;
        if (best < 0) break;
        const SkillItem *it = &v->m.items[used[best]];
        html_printf(b, "<li>%s %s：平均 %.2f 不足（到達率 %s）</li>", it->code, it->name, sf[best],
                    pct_text(r, g->rate[used[best]]));
        sf[best] = 0;
    }
    html_raw(b, "</ol>");
    if (!shown) html_raw(b, "<p class=\"empty\">目標に届いていない項目はありません。</p>");
    html_raw(b, "<p class=\"muted\">平均の不足は、評価済みの職員について（目標－レベル）の不足分を平均したものです。</p></section>\n");
}

static void unit_bars(Req *r, Buf *b, const GapView *v, const ItemSums *g, const int *used, int nused)
{
    const char **labels = arena_alloc(r->a, sizeof *labels * (size_t)(nused + 1));
    double *val = arena_alloc(r->a, sizeof *val * (size_t)(nused + 1));
    for (int k = 0; k < nused; k++) {
        labels[k] = v->m.items[used[k]].name;
        val[k] = gap_pct(g->rate[used[k]]);
    }
    ChartSeries s[] = {{"到達率", val}};
    chart_bars(b, "bars-items", "項目別の到達率", "評価済みの職員のうち目標レベルに届いている人の割合（項目別）", labels, nused, s, 1, 100,
               "%", -1);
}

/* The item code list, the worst items and the bars, under either heat map. */
static void item_notes(Req *r, Buf *b, const GapView *v, const ItemSums *sums, const int *used, int nused, bool assessed)
{
    item_legend(r, b, v, sums, used, nused);
    if (assessed) {
        worst_items(r, b, v, sums, used, nused);
        html_raw(b, "<section class=\"panel\"><h2>項目別の到達率</h2>");
        unit_bars(r, b, v, sums, used, nused);
        html_raw(b, "</section>\n");
    }
}

/* ---- 組織（下位組織ごと） ---- */

/* A 部 or 執行機関 offers its people rows only up to this many people. */
#define UNIT_PEOPLE_ROWS_MAX 500

/* The colour of a unit's attainment, in the heat map's classes. */
static const char *rate_class(GapRate x)
{
    if (!x.assessed) return "gap-none";
    double p = gap_pct(x);
    return p >= 80 ? "gap-ok" : p >= 60 ? "gap-1" : p >= 40 ? "gap-2" : "gap-3";
}

static GapRate rate_sum(const GapRate *item, const int *items, int n)
{
    GapRate x = {0, 0};
    for (int k = 0; k < n; k++) {
        x.met += item[items[k]].met;
        x.assessed += item[items[k]].assessed;
    }
    return x;
}

/* The row header of a unit row: a link down to the unit's own page. */
static void unit_th(Req *r, Buf *b, const GapUnitRow *row, const Unit *u, const char *qs)
{
    if (row->unit_id)
        html_printf(b, "<tr><th scope=\"row\"><a href=\"/gaps/unit/%lld?%s\">%s</a></th>", (long long)row->unit_id, qs + 1, row->name);
    else html_printf(b, "<tr><th scope=\"row\">%s</th>", arena_printf(r->a, "%s（直属）", u->name));
}

/* Units × top-level categories: each unit's people and attainment per category and overall. */
static void units_summary(Req *r, Buf *b, const GapUnitView *uv, const Unit *u, const GapView *v, const Groups *gr, const char *qs)
{
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>下位組織ごとの到達率（分野別）</caption><thead><tr>"
                "<th scope=\"col\">組織</th><th scope=\"col\">職員数</th>");
    for (int k = 0; k < gr->n; k++) {
        const char *name = v->m.cats[gr->cat[k]].name, *paren = strstr(name, "（");
        int len = paren && paren > name ? (int)(paren - name) : (int)strlen(name);
        html_printf(b, "<th scope=\"col\">%s</th>", arena_printf(r->a, "%.*s", len, name));
    }
    html_raw(b, "<th scope=\"col\">全体</th></tr></thead><tbody>\n");
    for (int j = 0; j < uv->nrows; j++) {
        const GapUnitRow *row = &uv->rows[j];
        unit_th(r, b, row, u, qs);
        html_printf(b, "<td class=\"num\">%s</td>", arena_printf(r->a, "%d人", row->people));
        for (int k = 0; k < gr->n; k++)
            html_printf(b, "<td class=\"num\">%s</td>", pct_text(r, rate_sum(row->item, gr->used + gr->start[k], gr->start[k + 1] - gr->start[k])));
        html_printf(b, "<td class=\"num\">%s</td></tr>\n", pct_text(r, rate_sum(row->item, gr->used, gr->nused)));
    }
    html_printf(b, "</tbody><tfoot><tr><th scope=\"row\">全体</th><td class=\"num\">%s</td>", arena_printf(r->a, "%d人", uv->npeople));
    for (int k = 0; k < gr->n; k++)
        html_printf(b, "<td class=\"num\">%s</td>", pct_text(r, rate_sum(uv->item, gr->used + gr->start[k], gr->start[k + 1] - gr->start[k])));
    html_printf(b, "<td class=\"num\">%s</td></tr></tfoot></table></div>\n", pct_text(r, rate_sum(uv->item, gr->used, gr->nused)));
}

/* Units × items[0..n): each cell the unit's attainment on the item, as text and colour. */
static void unit_heat_table(Req *r, Buf *b, const GapUnitView *uv, const Unit *u, const GapView *v, const int *items, int n,
                            const char *caption, const char *qs)
{
    html_printf(b, "<div class=\"table-wrap\"><table class=\"data heat\"><caption>%s</caption><thead><tr><th scope=\"col\">組織</th>",
                caption);
    for (int k = 0; k < n; k++) html_printf(b, "<th scope=\"col\">%s</th>", v->m.items[items[k]].code);
    html_raw(b, "<th scope=\"col\">到達率</th></tr></thead><tbody>\n");
    for (int j = 0; j < uv->nrows; j++) {
        const GapUnitRow *row = &uv->rows[j];
        unit_th(r, b, row, u, qs);
        for (int k = 0; k < n; k++) {
            GapRate x = row->item[items[k]];
            html_printf(b, "<td class=\"%s\">%s</td>", rate_class(x), x.assessed ? arena_printf(r->a, "%.0f%%", gap_pct(x)) : "－");
        }
        html_printf(b, "<td>%s</td></tr>\n", pct_text(r, rate_sum(row->item, items, n)));
    }
    html_raw(b, "</tbody><tfoot><tr><th scope=\"row\">到達率</th>");
    for (int k = 0; k < n; k++) html_printf(b, "<td>%s</td>", pct_text(r, uv->item[items[k]]));
    html_printf(b, "<td>%s</td></tr></tfoot></table></div>\n", pct_text(r, rate_sum(uv->item, items, n)));
}

/* The head both heat maps of a unit share: title, lead, filter, export
 * links and the two cards; false (the page ended) when nobody matches. */
static bool unit_head(Req *r, Resp *w, const GapView *v, const Unit *u, int tier, int npeople, GapRate total, const char **qs)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"ギャップ分析", "/gaps"}, {u->name, NULL}};
    page_begin(r, w, arena_printf(r->a, "%sのギャップ分析", u->name), "gaps", crumbs, 3);
    Buf *b = &w->body;
    *qs = tier ? arena_printf(r->a, "&nendo=%d&tier=%d", v->nendo, tier) : arena_printf(r->a, "&nendo=%d", v->nendo);
    html_printf(b, "<p class=\"lead\">%s（%s・配下を含む）の%sのスキル到達状況です。到達率は、評価済みの項目のうち目標レベルに届いている割合です。</p>\n",
                u->name, org_level_name(u->level), v->nendo_name);
    const char *self = arena_printf(r->a, "/gaps/unit/%lld", (long long)u->id);
    filter_form(r, b, self, v, tier ? arena_printf(r->a, "%d", tier) : "");
    export_links(b, self, *qs);
    html_raw(b, "<div class=\"cards\">");
    card(b, "対象職員", arena_printf(r->a, "%d人", npeople));
    card(b, "到達率", pct_text(r, total));
    html_raw(b, "</div>\n");
    if (!npeople) {
        html_raw(b, "<p class=\"empty\">この条件に当てはまる職員はいません。</p>\n");
        page_end(r, w);
        return false;
    }
    if (!total.assessed) html_raw(b, "<p class=\"empty\">この年度の評価はまだ提出されていません。</p>\n");
    basis_note(b);
    return true;
}

/* The heat map of a 部 or 執行機関: one row per child unit (and one for the
 * people assigned to the unit itself), linking down; from gap_units.h, kept
 * by data version. The people rows stay one click away when they are few. */
static void gap_by_units(Req *r, Resp *w, const GapView *vp, const Unit *u, int tier)
{
    GapView v = *vp;
    GapUnitView uv;
    gap_unit_view(r->db, r->a, &v.m, v.nendo, v.as_of, u->id, tier, &uv);
    Groups gr;
    groups_of(r, &v.m, uv.item_used, &gr);
    const char *qs;
    GapRate total = rate_sum(uv.item, gr.used, gr.nused);
    if (!unit_head(r, w, &v, u, tier, uv.npeople, total, &qs)) return;
    Buf *b = &w->body;
    html_raw(b, "<p>下位組織ごとにまとめています。組織名から、その組織の職員ごとの表に進めます。");
    if (uv.npeople <= UNIT_PEOPLE_ROWS_MAX)
        html_printf(b, "<a href=\"/gaps/unit/%lld?rows=people%s\">%s全員の職員ごとの表</a>も表示できます。", (long long)u->id, qs, u->name);
    html_raw(b, "</p>\n");
    units_summary(r, b, &uv, u, &v, &gr, qs);
    html_raw(b, "<h2>項目ごとの到達率（下位組織別）</h2>\n");
    html_raw(b, "<p class=\"muted\">数字は、評価済みの職員のうち目標レベルに届いている人の割合です。色：80%以上／60〜80%／40〜60%／40%未満（濃いほど低い）。"
                "－ 評価済みの職員なし。</p>\n");
    for (int k = 0; k < gr.n; k++) { /* cut into parts of at most HEAT_COLS items, as the people heat map is, to fit A4 portrait */
        const char *name = v.m.cats[gr.cat[k]].name;
        int n = gr.start[k + 1] - gr.start[k], parts = (n + HEAT_COLS - 1) / HEAT_COLS, per = (n + parts - 1) / parts;
        for (int s = 0, part = 1; s < n; s += per, part++)
            unit_heat_table(r, b, &uv, u, &v, gr.used + gr.start[k] + s, n - s < per ? n - s : per,
                            parts > 1 ? arena_printf(r->a, "%s（%d/%d）", name, part, parts) : name, qs);
    }
    ItemSums sums = {uv.item, uv.shortfall};
    item_notes(r, b, &v, &sums, gr.used, gr.nused, total.assessed > 0);
    page_end(r, w);
}

void page_gap_unit(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    Unit path[8];
    int np = page_unit_path(r, w, id, path);
    if (!np) return;
    const Unit *u = &path[np - 1];
    const char *tier_s = req_query(r, "tier");
    int64_t tv;
    int tier = parse_int64(tier_s, &tv) && tv >= 1 && tv <= 3 ? (int)tv : 0;
    GapView v;
    view_init(r, &v);
    if (u->level <= 2 && !page_wants_export(r) && !str_eq(req_query(r, "rows"), "people")) { /* a 部 or 執行機関: rows of its units */
        gap_by_units(r, w, &v, u, tier);
        return;
    }
    GapMatrix g;
    matrix(r, &v, v.nendo, id, tier, 0, &g);
    Groups gr;
    groups_of(r, &v.m, g.item_used, &gr);
    const int *used = gr.used, nused = gr.nused;
    if (page_wants_export(r)) {
        unit_export(r, w, &g, used, nused, u, v.nendo);
        return;
    }
    const char *qs;
    GapRate total = gap_total_rate(&g);
    if (!unit_head(r, w, &v, u, tier, g.npeople, total, &qs)) return;
    Buf *b = &w->body;
    hidden_note(r, b, &g);
    person_summary(r, b, &v, &g, &gr);
    html_raw(b, "<h2>項目ごとのレベル（分野別）</h2>\n"); /* no panel: the tables take the full print width */
    symbol_legend(b, true);
    heat_tables(r, b, &v, &g, &gr);
    ItemSums sums = item_sums_of(r, &v, &g);
    item_notes(r, b, &v, &sums, used, nused, total.assessed > 0);
    page_end(r, w);
}

/* ---- 全庁 ---- */

/* Attainment of tier (0: all) on top-level category top, or on everything when top < 0. */
static GapRate rate_of(const GapSums *sm, int tier, int top) { return top >= 0 ? sm->rate[tier][top] : sm->all[tier]; }

/* "+3.2pt", "−1.0pt", "±0.0pt"; "－" when either side has no data. */
static const char *change_text(Req *r, GapRate now, GapRate before)
{
    if (!now.assessed || !before.assessed) return "－";
    double d = gap_pct(now) - gap_pct(before);
    return arena_printf(r->a, "%s%.1fpt", d >= 0.05 ? "+" : d <= -0.05 ? "−" : "±", d < 0 ? -d : d);
}

/* Rows of the 全庁 table: top-level categories, -1 for 合計. */
static const char *row_name(const SkillMap *m, int c) { return c < 0 ? "合計" : m->cats[c].name; }

static const int tiers_shown[] = {1, 2, 3, 0};

static void org_export(Req *r, Resp *w, const GapView *v, const GapSums g[2], const int *rows, int nrows)
{
    static const char *const head[] = {"分野", "人材区分", "評価項目数", "到達数", "到達率(%)", "前年度到達率(%)", "増減(pt)", NULL};
    Table t;
    table_init(&t, r->a, "全庁のギャップ", head);
    for (int k = 0; k < nrows; k++)
        for (size_t j = 0; j < COUNTOF(tiers_shown); j++) {
            GapRate now = rate_of(&g[1], tiers_shown[j], rows[k]), before = rate_of(&g[0], tiers_shown[j], rows[k]);
            table_text(&t, row_name(&v->m, rows[k]));
            table_text(&t, tiers_shown[j] ? tier_name(tiers_shown[j]) : "全体");
            table_int(&t, now.assessed);
            table_int(&t, now.met);
            table_rate(&t, now);
            table_rate(&t, before);
            if (now.assessed && before.assessed) table_num(&t, round1(gap_pct(now) - gap_pct(before)));
            else table_text(&t, "");
        }
    page_send_table(r, w, &t, arena_printf(r->a, "ギャップ_全庁_%d", v->nendo));
}

static void org_table(Req *r, Buf *b, const GapView *v, const GapSums g[2], const int *rows, int nrows)
{
    html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>人材区分・分野別の到達率（%sと前年度との差）</caption>"
                   "<thead><tr><th scope=\"col\" rowspan=\"2\">分野</th>", v->nendo_name);
    for (size_t j = 0; j < COUNTOF(tiers_shown); j++)
        html_printf(b, "<th scope=\"colgroup\" colspan=\"2\">%s</th>", tiers_shown[j] ? tier_name(tiers_shown[j]) : "全体");
    html_raw(b, "</tr><tr>");
    for (size_t j = 0; j < COUNTOF(tiers_shown); j++) html_raw(b, "<th scope=\"col\">到達率</th><th scope=\"col\">前年度差</th>");
    html_raw(b, "</tr></thead><tbody>\n");
    for (int k = 0; k < nrows; k++) {
        html_printf(b, "<tr><th scope=\"row\">%s</th>", row_name(&v->m, rows[k]));
        for (size_t j = 0; j < COUNTOF(tiers_shown); j++) {
            GapRate now = rate_of(&g[1], tiers_shown[j], rows[k]), before = rate_of(&g[0], tiers_shown[j], rows[k]);
            html_printf(b, "<td class=\"num\">%s</td><td class=\"num\">%s</td>", pct_text(r, now), change_text(r, now, before));
        }
        html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
}

static void org_bars(Req *r, Buf *b, const GapView *v, const GapSums g[2], const int *rows, int nrows)
{
    const char **labels = arena_alloc(r->a, sizeof *labels * (size_t)nrows);
    double *val = arena_alloc(r->a, sizeof *val * (size_t)nrows * 2);
    for (int k = 0; k < nrows; k++) {
        labels[k] = row_name(&v->m, rows[k]);
        val[k] = gap_pct(rate_of(&g[0], 0, rows[k]));
        val[nrows + k] = gap_pct(rate_of(&g[1], 0, rows[k]));
    }
    ChartSeries s[] = {{"前年度", val}, {"今年度", val + nrows}};
    chart_bars(b, "bars-org", "分野別の到達率（全体・前年度との比較）", "職員全体の分野別到達率を前年度と今年度で比べた横棒グラフ",
               labels, nrows, s, 2, 100, "%", -1);
}

/* 執行機関, 部 and 課 in tree order with each one's head count and
 * attainment (its subtree), from the org-wide aggregate. */
static void org_units(Req *r, Buf *b, const GapView *v, const GapOrg *g)
{
    static const char *const indent[] = {"", "", "　", "　　"};
    html_raw(b, "<section class=\"panel\"><h2>組織ごとの到達率</h2><div class=\"table-wrap\"><table class=\"data\"><thead><tr>"
                "<th scope=\"col\">組織</th><th scope=\"col\">区分</th><th scope=\"col\">対象職員</th><th scope=\"col\">到達率</th>"
                "</tr></thead><tbody>\n");
    for (int k = 0; k < g->nunits; k++) {
        const GapUnitRate *x = &g->units[k];
        html_printf(b, "<tr><td>%s<a href=\"/gaps/unit/%lld?nendo=%d\">%s</a></td><td>%s</td><td class=\"num\">%d人</td>"
                       "<td class=\"num\">%s</td></tr>\n",
                    indent[x->level], (long long)x->unit_id, v->nendo, x->name, org_level_name(x->level), x->people, pct_text(r, x->rate));
    }
    html_raw(b, "</tbody></table></div></section>\n");
}

void page_gap_org(Req *r, Resp *w)
{
    if (!scope_org_wide(r->user)) { /* a 所属長 sees their own unit */
        int64_t root = scope_root(r->user);
        int nendo;
        const char *keep = nendo_parse_loose(req_query(r, "nendo"), &nendo) ? arena_printf(r->a, "?nendo=%d", nendo) : "";
        if (!root) resp_error(r, w, 403, "所属が登録されていないため、ギャップ分析を表示できません。");
        else resp_redirect(r, w, arena_printf(r->a, "/gaps/unit/%lld%s", (long long)root, keep));
        return;
    }
    GapView v;
    view_init(r, &v);
    /* Everyone is counted and no one is named: the stored aggregate serves. */
    GapOrg g[2];
    gap_org(r->db, r->a, &v.m, v.nendo - 1, as_of_for(r, v.nendo - 1), &g[0]);
    gap_org(r->db, r->a, &v.m, v.nendo, v.as_of, &g[1]);
    Groups gr;
    groups_of(r, &v.m, g[1].item_used, &gr);
    gr.cat[gr.n] = -1; /* then the row of 合計 */
    const int *rows = gr.cat, nrows = gr.n + 1;
    const GapSums sm[2] = {g[0].sums, g[1].sums};
    if (page_wants_export(r)) {
        org_export(r, w, &v, sm, rows, nrows);
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"ギャップ分析", NULL}};
    page_begin(r, w, "ギャップ分析（全庁）", "gaps", crumbs, 2);
    Buf *b = &w->body;
    html_printf(b, "<p class=\"lead\">%sのスキル到達状況を人材区分・分野ごとに示します。到達率は、評価済みの項目のうち目標レベルに届いている割合です。"
                   "前年度（%s）も今年度のスキルマップの目標で比べています。</p>\n",
                v.nendo_name, page_nendo_name(r, v.nendo - 1));
    filter_form(r, b, "/gaps", &v, NULL);
    export_links(b, "/gaps", arena_printf(r->a, "&nendo=%d", v.nendo));
    html_raw(b, "<div class=\"cards\">");
    card(b, "対象職員数", arena_printf(r->a, "%d人", g[1].npeople));
    card(b, "提出済（確認済を含む）", arena_printf(r->a, "%d人", g[1].submitted));
    card(b, "確認済", arena_printf(r->a, "%d人", g[1].confirmed));
    card(b, "到達率（全体）", pct_text(r, sm[1].all[0]));
    html_raw(b, "</div>\n");
    if (!sm[1].all[0].assessed) html_raw(b, "<p class=\"empty\">この年度の評価はまだ提出されていません。</p>\n");
    basis_note(b);
    org_table(r, b, &v, sm, rows, nrows);
    html_raw(b, "<section class=\"panel\"><h2>分野別の到達率（前年度との比較）</h2>");
    org_bars(r, b, &v, sm, rows, nrows);
    html_raw(b, "</section>\n");
    org_units(r, b, &v, &g[1]);
    page_end(r, w);
}
