/* page_kpi.c - 推進状況 (方針IV・V, DOMAIN.md §5): the KPI dashboard, the
 * coverage board, the people behind one KPI, the targets form and the 年度末
 * report. The numbers come from kpi.h; this file only lays them out, and
 * every table also downloads as CSV or .xlsx (?format=).
 *
 * ?nendo= picks the 年度; ?as_of= (基準日) reproduces the figures as they
 * stood on a past date of that 年度. KPIs are organisation-wide; lists of
 * people and units are limited to a 所属長's own subtree. */
#include <stdlib.h>
#include <string.h>

#include "../db/audit.h"
#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/cases.h"
#include "../domain/extern.h"
#include "../domain/staffing.h"
#include "../domain/kpi.h"
#include "../domain/org.h"
#include "../domain/staff.h"
#include "../domain/tier.h"
#include "../html/chart.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "page_audit.h"
#include "pages.h"

/* The 年度 and date a KPI screen is read at. */
typedef struct KpiView {
    int nendo;
    const char *as_of;      /* the 基準日 asked for (ISO), NULL: the 年度's default */
    const char *at;         /* the date actually used */
    const char *typed;      /* the 基準日 as typed, for the form */
    const char *nendo_name; /* "令和8年度" */
    const char *qs;         /* "nendo=2026[&as_of=…]" for links */
    Errors e;               /* a 基準日 that could not be used */
} KpiView;

static void view_init(Req *r, KpiView *v)
{
    memset(&v->e, 0, sizeof v->e);
    v->nendo = page_nendo(r, req_query(r, "nendo"));
    v->nendo_name = page_nendo_name(r, v->nendo);
    v->typed = text_trim(r->a, req_query(r, "as_of"));
    v->as_of = NULL;
    Date d;
    if (*v->typed && !date_parse_loose(v->typed, &d))
        err_add(&v->e, "as_of", "基準日は日付で入力してください（例：2026-09-30、令和8年9月30日）。");
    else if (*v->typed && nendo_of(d) != v->nendo)
        err_addf(&v->e, "as_of", "基準日は%sの中の日付を入力してください。", v->nendo_name);
    else if (*v->typed) {
        char *iso = arena_alloc(r->a, 11);
        date_iso(d, iso);
        v->as_of = iso;
    }
    v->at = v->as_of ? v->as_of : kpi_default_as_of(r->a, v->nendo);
    v->qs = arena_printf(r->a, "nendo=%d%s%s", v->nendo, v->as_of ? "&as_of=" : "", v->as_of ? v->as_of : "");
}

/* The 年度 (and 基準日) filter, a GET form; the caller may add fields, then view_form_end. */
static void view_form_begin(Req *r, Buf *b, const char *action, const KpiView *v, bool with_date)
{
    html_printf(b, "<form class=\"filters\" method=\"get\" action=\"%s\">", action);
    Option o[8];
    int n = 0;
    for (int y = r->nendo + 1; y >= r->nendo - 5; y--) o[n++] = (Option){arena_printf(r->a, "%d", y), page_nendo_name(r, y)};
    if (v->nendo > r->nendo + 1 || v->nendo < r->nendo - 5) o[n++] = (Option){arena_printf(r->a, "%d", v->nendo), v->nendo_name};
    field_select(b, NULL, "nendo", "年度", o, n, arena_printf(r->a, "%d", v->nendo), 0, NULL);
    if (with_date) field_text(b, &v->e, "as_of", "基準日", v->typed, F_NARROW, "空欄は今日（過去の年度は3月31日）");
}

/* CSV and Excel links for path with the page's query (qs without "?"). */
static void export_links(Buf *b, const char *path, const char *qs)
{
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"%s?%s&amp;format=csv\">CSV出力</a>"
                   " <a class=\"btn\" href=\"%s?%s&amp;format=xlsx\">Excel出力</a></div>\n", path, qs, path, qs);
}

/* Closes the filter form, then the download links for path?qs unless path is NULL. */
static void view_form_end(Buf *b, const char *path, const char *qs)
{
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    if (path) export_links(b, path, qs);
}

/* The top of a KPI screen: the day the figures stand for, a 基準日 that
 * could not be used, and the filter form (the caller adds its own fields). */
static void view_top(Req *r, Buf *b, const char *action, const KpiView *v)
{
    html_printf(b, "<p class=\"lead\">%sの状況（基準日 ", v->nendo_name);
    html_date(b, v->at);
    html_raw(b, "）。</p>\n");
    error_summary(b, &v->e);
    view_form_begin(r, b, action, v, true);
}

/* Appends n text cells to a table row. */
static void texts(Table *t, int n, const char *const *cells)
{
    for (int i = 0; i < n; i++) table_text(t, cells[i]);
}

static bool in_scope(Req *r, int64_t root, int64_t unit_id) { return !root || org_in_subtree(r->db, root, unit_id); }

static void scope_note(Req *r, Buf *b)
{
    if (scope_root(r->user)) html_raw(b, "<p class=\"muted\">あなたの所属とその配下の組織だけを表示しています。</p>\n");
}

/* ---- numbers as words ---- */

/* No libm here: the two roundings the screens need. */
static double absval(double x) { return x < 0 ? -x : x; }
static double round1(double x) { return (double)(long long)(x * 10 + (x < 0 ? -0.5 : 0.5)) / 10; }

/* One decimal without a trailing ".0": 85.24 → "85.2", 100 → "100". */
static const char *num_text(Req *r, double x)
{
    char *s = arena_printf(r->a, "%.1f", round1(x));
    size_t n = strlen(s);
    if (n > 2 && !strcmp(s + n - 2, ".0")) s[n - 2] = 0;
    return s;
}

/* "85.2%", "12人", "340.5時間"; "－" for no value. */
static const char *value_text(Req *r, const KpiDef *d, double x)
{
    return x < 0 ? "－" : arena_printf(r->a, "%s%s", num_text(r, x), d->unit);
}

/* "前年度比 +3.2pt ↑（改善）": the sign, an arrow and a word, never colour alone. */
static const char *trend_text(Req *r, const KpiValue *k)
{
    if (k->actual < 0 || k->previous < 0) return "前年度比 －（前年度のデータなし）";
    double d = k->actual - k->previous;
    bool flat = absval(d) < 0.05;
    const char *unit = str_eq(k->def->unit, "%") ? "pt" : k->def->unit;
    const char *word = flat ? "横ばい" : (d > 0) == k->def->higher_is_better ? "改善" : "悪化";
    return arena_printf(r->a, "前年度比 %s%s%s %s（%s）", flat ? "±" : d > 0 ? "+" : "−", num_text(r, absval(d)), unit,
                        flat ? "→" : d > 0 ? "↑" : "↓", word);
}

/* The 職員区分 a KPI counts: "正規・再任用・任期付". */
static const char *emp_text(Req *r, unsigned emp)
{
    const char *s = "";
    for (size_t i = 0; i < COUNTOF(emp_types); i++)
        if (emp & (1u << i)) s = arena_printf(r->a, "%s%s%s", s, *s ? "・" : "", emp_types[i].name);
    return s;
}

/* What the fraction behind a rate counts. */
static const char *frac_unit(const KpiDef *d)
{
    return str_eq(d->code, "LEADER_RATE") || str_eq(d->code, "CASES_PER_UNIT") ? "係" : !strncmp(d->code, "SKILL_ATTAIN", 12) ? "項目" : "人";
}

static const char *met_word(const KpiDef *d, bool met)
{
    if (str_eq(d->unit, "%")) return met ? "達成" : "未達";
    return met ? "該当" : "非該当";
}

static const KpiValue *value_of(const KpiValue *v, const char *code)
{
    for (int i = 0; i < kpi_count; i++)
        if (str_eq(v[i].def->code, code)) return &v[i];
    return NULL;
}

static double pct(int num, int den) { return den ? 100.0 * num / den : -1; }

/* ---- coverage ---- */

static const struct {
    const char *rule, *name;
} rules[] = {{"leader", "総括リーダーの配置"}, {"experts", "情報部門の高度専門人材"}, {"keysystem", "重要システムの担当者"}};

static const char *const state_key[] = {"met", "risk", "not_met"};  /* by StaffingState */
static const char *const state_class[] = {"ok", "warn", "bad"};

/* The rule's heading; rule itself when it names none. */
static const char *rule_name(const char *rule)
{
    for (size_t i = 0; i < COUNTOF(rules); i++)
        if (str_eq(rules[i].rule, rule)) return rules[i].name;
    return rule;
}

/* The coverage rows a user may see: all, or a 所属長's subtree. */
static int coverage_rows(Req *r, const KpiView *v, StaffingRow **out)
{
    StaffingRow *rows;
    int n = staffing_coverage(r->db, r->a, v->nendo, v->as_of, &rows), k = 0;
    int64_t root = scope_root(r->user);
    for (int i = 0; i < n; i++)
        if (in_scope(r, root, rows[i].unit_id)) rows[k++] = rows[i];
    *out = rows;
    return k;
}

/* Rules × states, each count linking to the board filtered to it. */
static void coverage_summary(Buf *b, const KpiView *v, const StaffingRow *rows, int n)
{
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>規則ごとの件数</caption><thead><tr><th scope=\"col\">規則</th>");
    for (int s = STAFFING_MET; s <= STAFFING_NOT_MET; s++) html_printf(b, "<th scope=\"col\">%s %s</th>", staffing_state_symbol((StaffingState)s), staffing_state_name((StaffingState)s));
    html_raw(b, "<th scope=\"col\">計</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < COUNTOF(rules); k++) {
        int c[3] = {0, 0, 0};
        for (int i = 0; i < n; i++)
            if (str_eq(rows[i].rule, rules[k].rule)) c[rows[i].state]++;
        html_printf(b, "<tr><th scope=\"row\">%s</th>", rules[k].name);
        for (int s = 0; s < 3; s++)
            html_printf(b, "<td class=\"num\"><a href=\"/kpi/coverage?%s&amp;rule=%s&amp;state=%s\">%d件</a></td>", v->qs, rules[k].rule,
                        state_key[s], c[s]);
        html_printf(b, "<td class=\"num\">%d件</td></tr>\n", c[0] + c[1] + c[2]);
    }
    html_raw(b, "</tbody></table></div>\n");
}

/* ---- dashboard ---- */

static void tile(Req *r, Buf *b, const KpiView *v, const KpiValue *k)
{
    const KpiDef *d = k->def;
    if (d->records)
        html_printf(b, "<div class=\"card\"><a class=\"card-title\" href=\"%s\">%s</a><span class=\"card-value\">%s</span>", d->records, d->name,
                    value_text(r, d, k->actual));
    else
        html_printf(b, "<div class=\"card\"><a class=\"card-title\" href=\"/kpi/%s?%s\">%s</a><span class=\"card-value\">%s</span>", d->code,
                    v->qs, d->name, value_text(r, d, k->actual));
    if (k->den) html_printf(b, "<span class=\"card-note\">%d / %d%s</span>", k->num, k->den, frac_unit(d));
    html_printf(b, "<span>目標 %s", k->target < 0 ? "未設定" : value_text(r, d, k->target));
    if (k->target >= 0 && k->actual >= 0) {
        bool met = d->higher_is_better ? k->actual >= k->target - 1e-9 : k->actual <= k->target + 1e-9;
        if (met) html_raw(b, " <span class=\"flag ok\">✓ 達成</span>");
        else html_printf(b, " <span class=\"flag warn\">あと %s%s</span>", num_text(r, absval(k->target - k->actual)),
                         str_eq(d->unit, "%") ? "pt" : d->unit);
    }
    html_printf(b, "</span><span>%s</span><span class=\"card-note\">対象：%s</span>", trend_text(r, k), emp_text(r, d->emp));
    if (!str_empty(k->comment)) html_printf(b, "<span class=\"card-note\">コメント：%s</span>", k->comment);
    html_printf(b, "<details><summary>定義</summary><p>%s</p><p class=\"muted\">方針 %s</p></details>", d->definition, d->policy);
    if (d->records) html_printf(b, "<a href=\"%s\">記録の一覧</a></div>\n", d->records);
    else html_printf(b, "<a href=\"/kpi/%s?%s\">対象者の一覧</a></div>\n", d->code, v->qs);
}

/* "必要人数 N ＋ ローテーション分 B（在職年数 R 年・育成 T 年）= 目標 X 人". */
static void expert_derivation(Buf *b, const ExpertPlan *ep)
{
    html_printf(b, "<p>必要人数 %d ＋ ローテーション分 %d（在職年数 %d 年・育成 %d 年）= 目標 %d 人</p>"
                   "<p class=\"muted\">ローテーション分は「必要人数 × 育成年数 ÷ 在職年数」を切り上げた人数です。"
                   "異動で抜ける人の後任を育成期間の分だけ先に確保しておくための上乗せです。</p>\n",
                ep->info_seats, ep->buffer, ep->rotation_years, ep->training_years, ep->target);
}

static void expert_panel(Req *r, Buf *b, const KpiView *v, const KpiValue *k)
{
    ExpertPlan ep;
    kpi_expert_plan(r->db, r->a, v->nendo, v->as_of, &ep);
    double target = k && k->target >= 0 ? k->target : ep.target;
    double val[] = {ep.actual, ep.actual + ep.pipeline};
    const char *labels[] = {"現員（①の指名）", "現員＋育成候補"};
    ChartSeries s[] = {{"人数", val}};
    double max = target > val[1] ? target : val[1];
    html_raw(b, "<section class=\"panel\"><h2>高度専門人材の人数と目標（方針IV(1)）</h2>");
    chart_bars(b, "bars-expert", "高度専門人材の現員と目標",
               "①高度専門人材の現員と、1〜2年度で①の目標レベルに届く見込みの育成候補を加えた人数。破線は目標人数", labels, 2, s, 1,
               max > 0 ? (double)(((long long)max + 5) / 5 * 5) : 0, "人", target);
    expert_derivation(b, &ep);
    if (absval(target - ep.target) > 1e-9) html_printf(b, "<p>目標値の設定により、目標は %s人 としています。</p>\n", num_text(r, target));
    html_raw(b, "</section>\n");
}

/* Security-training completion per 課 (部 for people placed in a 部): the ten lowest. */
static void security_panel(Req *r, Buf *b, const KpiView *v, const KpiValue *k)
{
    KpiUnitCount *low;
    int m = kpi_security_lowest(r->db, r->a, v->nendo, v->at, &low);
    const char *labels[10];
    double val[10];
    for (int i = 0; i < m && i < 10; i++) {
        labels[i] = low[i].name;
        val[i] = round1(pct(low[i].n[0], low[i].n[1]));
    }
    ChartSeries s[] = {{"受講率", val}};
    html_raw(b, "<section class=\"panel\"><h2>情報セキュリティ研修の受講率（低い組織から10件）</h2>");
    chart_bars(b, "bars-sec", "組織ごとの情報セキュリティ研修受講率", "受講率の低い組織から10件の横棒グラフ。破線は目標", labels, m, s, 1, 100, "%",
               k ? k->target : -1);
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">課</th><th scope=\"col\">修了／対象</th>"
                "<th scope=\"col\">受講率</th></tr></thead><tbody>\n");
    for (int i = 0; i < m && i < 10; i++)
        html_printf(b, "<tr><th scope=\"row\"><a href=\"/org/%lld\">%s</a></th><td class=\"num\">%d／%d人</td><td class=\"num\">%s%%</td></tr>\n",
                    (long long)low[i].unit_id, labels[i], low[i].n[0], low[i].n[1], num_text(r, val[i]));
    html_printf(b, "</tbody></table></div><p><a href=\"/kpi/SEC_TRAINING?%s&amp;met=0\">未修了の職員の一覧</a></p></section>\n", v->qs);
}

static void skill_panel(Buf *b, const KpiValue *vals)
{
    const char *labels[8];
    double now[8], before[8];
    int n = 0;
    for (int i = 0; i < kpi_count && n < 8; i++)
        if (!strncmp(vals[i].def->code, "SKILL_ATTAIN", 12)) {
            int tier = vals[i].def->code[14] - '0'; /* SKILL_ATTAIN_T1 … */
            labels[n] = tier >= 1 && tier <= 3 ? tier_name(tier) : vals[i].def->name;
            before[n] = vals[i].previous < 0 ? -1 : round1(vals[i].previous);
            now[n++] = vals[i].actual < 0 ? -1 : round1(vals[i].actual);
        }
    if (!n) return;
    ChartSeries s[] = {{"前年度", before}, {"今年度", now}};
    html_raw(b, "<section class=\"panel\"><h2>人材区分ごとのスキル到達率（方針V(2)）</h2>");
    chart_bars(b, "bars-skill", "人材区分ごとのスキル到達率", "評価済みの項目のうち目標レベル以上の割合を人材区分ごとに前年度と比べた横棒グラフ", labels, n, s,
               2, 100, "%", -1);
    html_raw(b, "<p><a href=\"/gaps\">ギャップ分析で詳しく見る</a></p></section>\n");
}

void page_kpi_dashboard(Req *r, Resp *w)
{
    KpiView v;
    view_init(r, &v);
    KpiValue *vals;
    kpi_compute(r->db, r->a, v.nendo, v.as_of, &vals);
    if (page_wants_export(r)) {
        Table t;
        kpi_table(r->a, vals, &t);
        page_send_table(r, w, &t, arena_printf(r->a, "KPI_%d", v.nendo));
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進状況", NULL}};
    page_begin(r, w, "推進状況ダッシュボード", "kpi", crumbs, 2);
    Buf *b = &w->body;
    view_top(r, b, "/kpi", &v);
    view_form_end(b, "/kpi", v.qs);
    html_raw(b, "<div class=\"cards\">");
    for (int i = 0; i < kpi_count; i++) tile(r, b, &v, &vals[i]);
    html_raw(b, "</div>\n");
    expert_panel(r, b, &v, value_of(vals, "EXPERT_COUNT"));
    StaffingRow *rows;
    int n = coverage_rows(r, &v, &rows);
    html_raw(b, "<section class=\"panel\"><h2>配置の充足状況</h2>");
    coverage_summary(b, &v, rows, n);
    html_printf(b, "<p><a href=\"/kpi/coverage?%s\">配置の充足状況をすべて見る</a></p></section>\n", v.qs);
    security_panel(r, b, &v, value_of(vals, "SEC_TRAINING"));
    skill_panel(b, vals);
    page_end(r, w);
}

/* ---- coverage board ---- */

static void coverage_export(Req *r, Resp *w, const KpiView *v, const StaffingRow *rows, int n)
{
    static const char *const head[] = {"規則", "状態", "組織", "対象", "配置人数", "必要人数", "理由", NULL};
    Table t;
    table_init(&t, r->a, "配置の充足状況", head);
    for (int i = 0; i < n; i++) {
        const char *state = arena_printf(r->a, "%s %s", staffing_state_symbol(rows[i].state), staffing_state_name(rows[i].state));
        texts(&t, 4, (const char *const[]){rule_name(rows[i].rule), state, rows[i].unit_name, rows[i].what});
        table_int(&t, rows[i].have);
        table_int(&t, rows[i].need);
        table_text(&t, rows[i].reason);
    }
    page_send_table(r, w, &t, arena_printf(r->a, "配置の充足状況_%d", v->nendo));
}

static void coverage_table(Buf *b, const char *rule, const StaffingRow *rows, int n)
{
    bool systems = str_eq(rule, "keysystem");
    html_printf(b, "<section class=\"panel\"><h2>%s</h2>", rule_name(rule));
    int shown = 0;
    for (int k = 0; k < 3 * n; k++) { /* ✕ first, then △, then ○ */
        const StaffingRow *c = &rows[k % n];
        if (!str_eq(c->rule, rule) || (int)c->state != STAFFING_NOT_MET - k / n) continue;
        if (!shown++)
            html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">状態</th><th scope=\"col\">%s</th>"
                           "<th scope=\"col\">%s</th><th scope=\"col\">配置／必要</th><th scope=\"col\">理由</th></tr></thead><tbody>\n",
                        systems ? "システム" : "組織", systems ? "所管" : "対象");
        html_printf(b, "<tr><td><span class=\"flag %s\">%s %s</span>", state_class[c->state], staffing_state_symbol(c->state), staffing_state_name(c->state));
        if (systems)
            html_printf(b, "</td><th scope=\"row\"><a href=\"/systems/%lld\">%s</a></th><td><a href=\"/org/%lld\">%s</a></td>", (long long)c->system_id,
                        c->what, (long long)c->unit_id, c->unit_name);
        else
            html_printf(b, "</td><th scope=\"row\"><a href=\"/org/%lld\">%s</a></th><td>%s</td>", (long long)c->unit_id, c->unit_name, c->what);
        html_printf(b, "<td class=\"num\">%d／%d人</td><td>%s</td></tr>\n", c->have, c->need, c->reason);
    }
    if (shown) html_raw(b, "</tbody></table></div>");
    else html_raw(b, "<p class=\"empty\">該当する行はありません。</p>");
    html_raw(b, "</section>\n");
}

void page_kpi_coverage(Req *r, Resp *w)
{
    KpiView v;
    view_init(r, &v);
    const char *state = req_query(r, "state"), *rule = req_query(r, "rule");
    int fs = -1;
    for (int s = 0; s < 3; s++)
        if (str_eq(state, state_key[s])) fs = s;
    if (rule_name(rule) == rule) rule = NULL; /* not a rule: all of them */
    StaffingRow *all;
    int nall = coverage_rows(r, &v, &all), n = 0;
    StaffingRow *rows = arena_alloc(r->a, sizeof *rows * (size_t)(nall + 1));
    for (int i = 0; i < nall; i++)
        if ((fs < 0 || (int)all[i].state == fs) && (!rule || str_eq(all[i].rule, rule))) rows[n++] = all[i];
    if (page_wants_export(r)) {
        coverage_export(r, w, &v, rows, n);
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進状況", "/kpi"}, {"配置の充足状況", NULL}};
    page_begin(r, w, "配置の充足状況", "coverage", crumbs, 3);
    Buf *b = &w->body;
    view_top(r, b, "/kpi/coverage", &v);
    Option so[] = {{"", "すべて"}, {"met", "○ 充足"}, {"risk", "△ 注意"}, {"not_met", "✕ 不足"}};
    field_select(b, NULL, "state", "状態", so, 4, fs < 0 ? "" : state_key[fs], 0, NULL);
    Option ro[] = {{"", "すべて"}, {"leader", rules[0].name}, {"experts", rules[1].name}, {"keysystem", rules[2].name}};
    field_select(b, NULL, "rule", "規則", ro, 4, rule ? rule : "", 0, NULL);
    view_form_end(b, "/kpi/coverage",
                  arena_printf(r->a, "%s%s%s%s%s", v.qs, fs < 0 ? "" : "&state=", fs < 0 ? "" : state_key[fs], rule ? "&rule=" : "", rule ? rule : ""));
    html_raw(b, "<ul><li>○ 充足：必要な人数がいます。</li><li>△ 注意：必要な人数はいますが、在職年数が長く異動の可能性がある人を除くと足りません。</li>"
                "<li>✕ 不足：必要な人数がいません。</li></ul>\n");
    scope_note(r, b);
    coverage_summary(b, &v, all, nall);
    for (size_t k = 0; k < COUNTOF(rules); k++)
        if (!rule || str_eq(rule, rules[k].rule)) coverage_table(b, rules[k].rule, rows, n);
    page_end(r, w);
}

/* ---- the people behind a KPI ---- */

static void people_export(Req *r, Resp *w, const KpiView *v, const KpiDef *d, const KpiPerson *ps, int n, bool units)
{
    static const char *const head_staff[] = {"判定", "職員番号", "氏名", "所属", "詳細", NULL};
    static const char *const head_units[] = {"判定", "組織", "詳細", NULL};
    Table t;
    table_init(&t, r->a, d->name, units ? head_units : head_staff);
    for (int i = 0; i < n; i++) {
        const char *cells[] = {met_word(d, ps[i].met), ps[i].staff_no, ps[i].name, ps[i].unit_name, ps[i].detail};
        texts(&t, 1, cells);
        texts(&t, units ? 2 : 4, units ? cells + 3 : cells + 1);
    }
    page_send_table(r, w, &t, arena_printf(r->a, "KPI_%s_%d", d->code, v->nendo));
}

static void people_table(Buf *b, const KpiDef *d, const KpiPerson *ps, int n, bool units)
{
    if (!n) {
        html_raw(b, "<p class=\"empty\">該当する人はいません。</p>\n");
        return;
    }
    bool detail = false;
    for (int i = 0; i < n; i++) detail |= !str_empty(ps[i].detail);
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">判定</th>");
    if (units) html_raw(b, "<th scope=\"col\">組織</th>");
    else html_raw(b, "<th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th><th scope=\"col\">所属</th>");
    html_raw(b, detail ? "<th scope=\"col\">詳細</th></tr></thead><tbody>\n" : "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const KpiPerson *p = &ps[i];
        html_printf(b, "<tr><td><span class=\"flag %s\">%s %s</span></td>", p->met ? "ok" : "warn", p->met ? "○" : "✕", met_word(d, p->met));
        if (units) html_printf(b, "<th scope=\"row\"><a href=\"/org/%lld\">%s</a></th>", (long long)p->unit_id, p->unit_name);
        else
            html_printf(b, "<td>%s</td><th scope=\"row\"><a href=\"/staff/%lld\">%s</a></th><td>%s</td>", p->staff_no, (long long)p->staff_id, p->name,
                        p->unit_name);
        if (detail) html_printf(b, "<td>%s</td>", p->detail);
        html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
}

/* Renders the 内訳 of d; true when it lists people (not units), so the read
 * is audited. */
static bool render_people(Req *r, Resp *w, const KpiDef *d, int *nendo);

void page_kpi_people(Req *r, Resp *w)
{
    const KpiDef *d = kpi_def(r->nparams > 0 ? r->params[0] : "");
    if (!d) {
        resp_error(r, w, 404, "その指標はありません。");
        return;
    }
    if (d->records) { /* counts records, not people: their own page lists them */
        resp_redirect(r, w, d->records);
        return;
    }
    if (!page_read_begin(r, w)) return;
    int nendo = 0;
    bool people = render_people(r, w, d, &nendo);
    page_read_end(r, w, people ? "kpi.people" : NULL, "kpi", 0, 0, arena_printf(r->a, "%d年度 %s の内訳の閲覧", nendo, d->code));
}

static bool render_people(Req *r, Resp *w, const KpiDef *d, int *nendo)
{
    KpiView v;
    view_init(r, &v);
    const char *mq = req_query(r, "met");
    int fm = str_eq(mq, "1") ? 1 : str_eq(mq, "0") ? 0 : -1;
    KpiPerson *ps;
    int nall = kpi_people(r->db, r->a, d->code, v.nendo, v.as_of, &ps), n = 0, met = 0, total = 0;
    bool units = nall > 0 && ps[0].staff_id == 0; /* a unit-level KPI (配置率) */
    int64_t root = scope_root(r->user);
    /* Totals: everyone of the viewer's units on the 基準日. Names: only the
     * people in the viewer's scope today (the 所属長 scope rule). */
    int hidden = 0;
    for (int i = 0; i < nall; i++) {
        if (!in_scope(r, root, ps[i].unit_id)) continue;
        total++;
        met += ps[i].met;
        if (fm >= 0 && (int)ps[i].met != fm) continue;
        if (!units && root && !scope_staff(r->db, r->user, ps[i].staff_id)) hidden++;
        else ps[n++] = ps[i];
    }
    *nendo = v.nendo;
    if (page_wants_export(r)) {
        people_export(r, w, &v, d, ps, n, units);
        return !units;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進状況", arena_printf(r->a, "/kpi?%s", v.qs)}, {d->name, NULL}};
    page_begin(r, w, arena_printf(r->a, "%sの内訳", d->name), "kpi", crumbs, 3);
    Buf *b = &w->body;
    view_top(r, b, arena_printf(r->a, "/kpi/%s", d->code), &v);
    Option mo[] = {{"", "すべて"}, {"1", met_word(d, true)}, {"0", met_word(d, false)}};
    field_select(b, NULL, "met", "判定", mo, 3, fm < 0 ? "" : fm ? "1" : "0", 0, NULL);
    view_form_end(b, arena_printf(r->a, "/kpi/%s", d->code), fm < 0 ? v.qs : arena_printf(r->a, "%s&met=%d", v.qs, fm));
    html_printf(b, "<dl class=\"props\"><dt>定義</dt><dd>%s</dd><dt>方針</dt><dd>%s</dd><dt>対象の職員区分</dt><dd>%s</dd>"
                   "<dt>件数</dt><dd>%s %d%s ／ %s %d%s（計 %d%s）</dd></dl>\n",
                d->definition, d->policy, emp_text(r, d->emp), met_word(d, true), met, units ? "係" : "人", met_word(d, false),
                total - met, units ? "係" : "人", total, units ? "係" : "人");
    scope_note(r, b);
    if (hidden)
        html_printf(b, "<p class=\"note\">このほか%d人は、現在あなたの所属（配下を含む）にいない職員のため、件数にだけ含めています。</p>\n", hidden);
    people_table(b, d, ps, n, units);
    page_end(r, w);
    return !units;
}

/* ---- targets ---- */

static const struct {
    const char *name, *label, *hint;
} params[] = {
    {"info_seats", "必要人数", "政策企画課（広報・DX推進係）と教育総務課（総務係）に必要な①の人数"},
    {"rotation_years", "在職年数（年）", "情報部門に在職する標準の年数。ジョブローテーションの周期です（1以上）"},
    {"training_years", "育成年数（年）", "①の目標レベルに育つまでの年数"},
    {"info_unit_min", "情報部門ごとの最低人数", "配置の充足状況で、各情報部門に求める①の人数"},
};

/* The targets of a 年度 as saved, and what the form shows: the saved
 * values, or what the user typed. */
typedef struct TargetForm {
    int nendo;
    KpiValue *vals;
    ExpertPlan ep;
    int old[COUNTOF(params)];       /* the saved parameters */
    const char **target, **comment; /* kpi_count each */
    const char *param[COUNTOF(params)];
} TargetForm;

/* A KPI's own target; -1 for none, and for the expert count while it follows the plan. */
static double saved_target(const KpiValue *k, const ExpertPlan *ep)
{
    return str_eq(k->def->code, "EXPERT_COUNT") && absval(k->target - ep->target) < 1e-9 ? -1 : k->target;
}

static void form_load(Req *r, TargetForm *f, int nendo)
{
    f->nendo = nendo;
    kpi_compute(r->db, r->a, nendo, NULL, &f->vals);
    kpi_expert_plan(r->db, r->a, nendo, NULL, &f->ep);
    f->target = arena_alloc(r->a, sizeof(char *) * (size_t)kpi_count);
    f->comment = arena_alloc(r->a, sizeof(char *) * (size_t)kpi_count);
    for (int i = 0; i < kpi_count; i++) {
        double t = saved_target(&f->vals[i], &f->ep);
        f->target[i] = t < 0 ? "" : num_text(r, t);
        f->comment[i] = f->vals[i].comment ? f->vals[i].comment : "";
    }
    const int pv[] = {f->ep.info_seats, f->ep.rotation_years, f->ep.training_years, f->ep.info_unit_min};
    for (size_t k = 0; k < COUNTOF(params); k++) f->param[k] = arena_printf(r->a, "%d", f->old[k] = pv[k]);
}

static void pipeline_export(Req *r, Resp *w, int nendo)
{
    static const char *const head[] = {"職員番号", "氏名", "所属", "目標以上の項目", "①の項目", "不足レベル計", NULL};
    PipelinePerson *pp;
    int n = kpi_pipeline(r->db, r->a, nendo, NULL, &pp);
    Table t;
    table_init(&t, r->a, "育成候補", head);
    for (int i = 0; i < n; i++) {
        texts(&t, 3, (const char *const[]){pp[i].staff_no, pp[i].name, pp[i].unit_name});
        table_int(&t, pp[i].met);
        table_int(&t, pp[i].items);
        table_int(&t, pp[i].short_by);
    }
    page_send_table(r, w, &t, arena_printf(r->a, "育成候補_%d", nendo));
}

static void pipeline_section(Req *r, Buf *b, int nendo)
{
    PipelinePerson *pp;
    int n = kpi_pipeline(r->db, r->a, nendo, NULL, &pp);
    html_raw(b, "<section class=\"panel\"><h2>育成候補（1〜2年度で①の目標に届く見込み）</h2>"
                "<p class=\"muted\">①以外の職員で、①の目標レベルとの差が評価済み項目あたり平均1レベル以内の人です。不足の少ない順。</p>");
    export_links(b, "/kpi/targets", arena_printf(r->a, "nendo=%d", nendo));
    if (!n) html_raw(b, "<p class=\"empty\">該当する職員はいません。</p>");
    else html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th>"
                     "<th scope=\"col\">所属</th><th scope=\"col\">目標以上の項目</th><th scope=\"col\">不足レベル計</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++)
        html_printf(b, "<tr><td>%s</td><th scope=\"row\"><a href=\"/gaps/person/%lld?nendo=%d\">%s</a></th><td>%s</td>"
                       "<td class=\"num\">%d／%d項目</td><td class=\"num\">%d</td></tr>\n",
                    pp[i].staff_no, (long long)pp[i].staff_id, nendo, pp[i].name, pp[i].unit_name, pp[i].met, pp[i].items, pp[i].short_by);
    if (n) html_raw(b, "</tbody></table></div>");
    html_raw(b, "</section>\n");
}

static void targets_page(Req *r, Resp *w, const TargetForm *f, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進状況", "/kpi"}, {"目標値の設定", NULL}};
    page_begin(r, w, "目標値の設定", "targets", crumbs, 3);
    Buf *b = &w->body;
    const char *name = page_nendo_name(r, f->nendo);
    html_printf(b, "<p class=\"lead\">%sの目標値とコメントです。空欄の目標は「未設定」になります（高度専門人材数は算定式の人数を使います）。"
                   "コメントは年度末の推進状況報告に載ります。</p>\n", name);
    error_summary(b, e);
    KpiView v = {.nendo = f->nendo, .nendo_name = name};
    view_form_begin(r, b, "/kpi/targets", &v, false);
    view_form_end(b, NULL, NULL);
    form_begin(r, b, "/kpi/targets", "targets");
    html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%d\">", f->nendo);
    html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>%sの目標値</caption><thead><tr><th scope=\"col\">指標</th>"
                   "<th scope=\"col\">方針</th><th scope=\"col\">目標とコメント</th></tr></thead><tbody>\n", name);
    for (int i = 0; i < kpi_count; i++) {
        const KpiDef *d = &kpi_defs[i];
        html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td>", d->name, d->policy);
        field_text(b, e, arena_printf(r->a, "t_%s", d->code), arena_printf(r->a, "目標（%s）", d->unit), f->target[i], F_NARROW,
                   str_eq(d->code, "EXPERT_COUNT") ? arena_printf(r->a, "空欄は算定式の %d人", f->ep.target) : NULL);
        field_textarea(b, e, arena_printf(r->a, "c_%s", d->code), "コメント", f->comment[i], 0, NULL);
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n<fieldset class=\"field\"><legend>高度専門人材の目標人数の算定（方針IV(1)）</legend>");
    expert_derivation(b, &f->ep);
    for (size_t k = 0; k < COUNTOF(params); k++) field_text(b, e, params[k].name, params[k].label, f->param[k], F_NARROW | F_REQUIRED, params[k].hint);
    html_raw(b, "</fieldset><div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button></div>");
    form_end(b);
    pipeline_section(r, b, f->nendo);
    page_end(r, w);
}

void page_kpi_targets(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    if (page_wants_export(r)) {
        pipeline_export(r, w, nendo);
        return;
    }
    TargetForm f;
    form_load(r, &f, nendo);
    targets_page(r, w, &f, NULL);
}

/* A target as typed: "" is none (-1); else a number within the KPI's range. */
static bool parse_target(Req *r, const KpiDef *d, const char *s, double *out)
{
    const char *t = text_nfkc(r->a, s);
    char *end;
    *out = -1;
    if (!*t) return true;
    double x = strtod(t, &end);
    if (end == t || *end || !(x >= 0 && x <= (str_eq(d->unit, "%") ? 100 : 1000000))) return false; /* NaN fails too */
    *out = x;
    return true;
}

void page_kpi_targets_post(Req *r, Resp *w)
{
    TargetForm f;
    form_load(r, &f, page_nendo(r, req_form(r, "nendo"))); /* a field the form did not send stays as saved */
    double *tv = arena_alloc(r->a, sizeof(double) * (size_t)kpi_count);
    int pv[COUNTOF(params)];
    Errors e = {0};
    /* Everything is checked before anything is written: one bad field saves nothing. */
    for (int i = 0; i < kpi_count; i++) {
        const KpiDef *d = &kpi_defs[i];
        const char *tn = arena_printf(r->a, "t_%s", d->code), *cn = arena_printf(r->a, "c_%s", d->code);
        if (req_form(r, tn)) f.target[i] = text_trim(r->a, req_form(r, tn));
        if (req_form(r, cn)) f.comment[i] = text_trim(r->a, req_form(r, cn));
        if (!parse_target(r, d, f.target[i], &tv[i]))
            err_addf(&e, tn, "%sの目標は%sの数値で入力してください（空欄は未設定）。", d->name, str_eq(d->unit, "%") ? "0〜100" : "0以上");
        if (utf8_chars(f.comment[i]) > 1000) err_addf(&e, cn, "%sのコメントは1000文字以内で入力してください。", d->name);
    }
    for (size_t k = 0; k < COUNTOF(params); k++) {
        if (req_form(r, params[k].name)) f.param[k] = text_trim(r->a, req_form(r, params[k].name));
        int64_t x;
        int min = str_eq(params[k].name, "rotation_years") ? 1 : 0;
        pv[k] = f.old[k];
        if (!parse_int64(text_nfkc(r->a, f.param[k]), &x) || x < min || x > 1000)
            err_addf(&e, params[k].name, "%sは%d〜1000の整数で入力してください。", params[k].label, min);
        else pv[k] = (int)x;
    }
    /* Only what changed is written, so the audit log names real changes. */
    Actor who;
    page_actor(r, &who);
    /* Only what changed, all in one transaction. */
    KpiTargetChange *tc = arena_alloc(r->a, sizeof *tc * (size_t)kpi_count);
    KpiParamChange pc[COUNTOF(params)];
    int nt = 0, np = 0;
    for (int i = 0; i < kpi_count; i++)
        if (absval(tv[i] - saved_target(&f.vals[i], &f.ep)) > 1e-9 || !str_eq(f.comment[i], f.vals[i].comment ? f.vals[i].comment : ""))
            tc[nt++] = (KpiTargetChange){kpi_defs[i].code, tv[i], f.comment[i]};
    for (size_t k = 0; k < COUNTOF(params); k++)
        if (pv[k] != f.old[k]) pc[np++] = (KpiParamChange){params[k].name, pv[k]};
    if (!err_any(&e) && (nt || np)) kpi_settings_save(r->db, &who, f.nendo, tc, nt, pc, np, &e);
    if (!err_any(&e)) {
        resp_redirect(r, w, arena_printf(r->a, "/kpi/targets?nendo=%d&msg=saved", f.nendo));
        return;
    }
    targets_page(r, w, &f, &e);
    w->status = 422;
}

/* ---- 年度末の推進状況報告 ---- */

static const struct {
    const char *policy, *title;
} report_sections[] = {
    {"IV(1)", "高度専門人材"}, {"IV(2)", "DX推進リーダー"}, {"IV(3)", "一般職員"},
    {"V(1)", "研修による育成・情報の共有"}, {"V(2)", "知識・スキル"}, {"V(3)", "外部人材の活用"},
};

static void report_export(Req *r, Resp *w, const KpiView *v, const KpiValue *vals)
{
    static const char *const head[] = {"指標コード", "指標", "方針", "目標", "実績", "前年度", "コメント", NULL};
    Table t;
    table_init(&t, r->a, "推進状況報告", head);
    for (int i = 0; i < kpi_count; i++) {
        const KpiValue *k = &vals[i];
        texts(&t, 3, (const char *const[]){k->def->code, k->def->name, k->def->policy});
        const double nums[] = {k->target, k->actual, k->previous};
        for (int j = 0; j < 3; j++) {
            if (nums[j] >= 0) table_num(&t, round1(nums[j]));
            else table_text(&t, "");
        }
        table_text(&t, k->comment);
    }
    page_send_table(r, w, &t, arena_printf(r->a, "推進状況報告_%d", v->nendo));
}

/* V(1): the cases shared in the 年度, by kind, and the 係 that shared most. */
static void report_cases(Req *r, Buf *b, const KpiView *v)
{
    int kinds[CASE_NKIND], total = 0;
    if (case_kind_counts(r->db, v->nendo, kinds) != 0) return;
    for (int i = 0; i < CASE_NKIND; i++) total += kinds[i];
    if (!total) {
        html_raw(b, "<p>この年度に公開した事例はありません（事例集）。</p>\n");
        return;
    }
    html_printf(b, "<p>事例集で公開した事例 %d件（", total);
    for (int i = 0; i < CASE_NKIND; i++) html_printf(b, "%s%s %d件", i ? "・" : "", case_kind_label(case_kinds[i]), kinds[i]);
    html_raw(b, "）。");
    CaseUnitCount *per;
    int n = case_per_unit(r->db, r->a, v->nendo, &per);
    if (n > 0) {
        html_raw(b, "事例の多い係：");
        for (int i = 0; i < n && i < 5; i++) html_printf(b, "%s%s（%d件）", i ? "、" : "", per[i].unit_name, per[i].cases);
        html_raw(b, "。");
    }
    html_raw(b, "</p>\n");
}

/* V(3): the 年度's external talent by kind (CIO補佐官 and the others). */
static void report_extern(Req *r, Buf *b, const KpiView *v)
{
    ExternKindYear k[EXTERN_NKIND];
    if (extern_kinds_year(r->db, v->nendo, k) != 0) return;
    int rows = 0;
    for (int i = 0; i < EXTERN_NKIND; i++) {
        if (!k[i].engagements) continue;
        if (!rows++)
            html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>外部人材の活用（種別ごと）</caption><thead><tr>"
                        "<th scope=\"col\">種別</th><th scope=\"col\">人・団体</th><th scope=\"col\">契約・委嘱</th>"
                        "<th scope=\"col\">実績時間</th><th scope=\"col\">費用</th><th scope=\"col\">うち特別交付税措置</th></tr></thead><tbody>\n");
        html_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">%d</td><td class=\"num\">%d件</td><td class=\"num\">%s時間</td>"
                       "<td class=\"num\">%s円</td><td class=\"num\">%d件</td></tr>\n",
                    EXTERN_KIND_NAME[i], k[i].people, k[i].engagements, num_text(r, k[i].hours), num_text(r, (double)k[i].cost), k[i].tokko);
    }
    if (rows) html_raw(b, "</tbody></table></div>\n");
    else html_raw(b, "<p>この年度に期間がある外部人材の契約・委嘱はありません（外部人材）。</p>\n");
}

static void report_section(Req *r, Buf *b, const KpiView *v, const KpiValue *vals, size_t s)
{
    html_printf(b, "<h2>%s %s</h2>\n", report_sections[s].policy, report_sections[s].title);
    int shown = 0;
    for (int i = 0; i < kpi_count; i++) {
        const KpiValue *k = &vals[i];
        if (!str_eq(k->def->policy, report_sections[s].policy)) continue;
        if (!shown++)
            html_raw(b, "<div class=\"table-wrap\"><table class=\"data report\"><thead><tr><th scope=\"col\">指標</th><th scope=\"col\">目標</th>"
                        "<th scope=\"col\">実績</th><th scope=\"col\">前年度</th><th scope=\"col\">コメント</th></tr></thead><tbody>\n");
        html_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td><td class=\"num\">%s", k->def->name,
                    k->target < 0 ? "未設定" : value_text(r, k->def, k->target), value_text(r, k->def, k->actual));
        if (k->den) html_printf(b, "<br><span class=\"muted\">%d／%d%s</span>", k->num, k->den, frac_unit(k->def));
        html_printf(b, "</td><td class=\"num\">%s</td><td>%s</td></tr>\n", value_text(r, k->def, k->previous), k->comment ? k->comment : "");
    }
    if (shown) html_raw(b, "</tbody></table></div>\n");
    if (str_eq(report_sections[s].policy, "IV(1)")) {
        ExpertPlan ep;
        kpi_expert_plan(r->db, r->a, v->nendo, v->as_of, &ep);
        expert_derivation(b, &ep);
    }
    if (str_eq(report_sections[s].policy, "V(1)")) report_cases(r, b, v);
    if (str_eq(report_sections[s].policy, "V(3)")) report_extern(r, b, v);
    else if (!shown) html_raw(b, "<p class=\"empty\">この項目の指標はありません。</p>\n");
}

/* ① ② ③ and their sum, x[1..3]. */
static void tier_cells(Buf *b, const int *x)
{
    for (int k = 1; k <= 3; k++) html_printf(b, "<td class=\"num\">%d人</td>", x[k]);
    html_printf(b, "<td class=\"num\">%d人</td></tr>\n", x[1] + x[2] + x[3]);
}

/* Staff by tier for each 部 (a 執行機関 without 部 stands for itself), and in all. */
static void report_by_bu(Req *r, Buf *b, const KpiView *v)
{
    KpiUnitCount *rows;
    int n = kpi_staff_by_bu(r->db, r->a, v->nendo, v->at, &rows), sum[4] = {0, 0, 0, 0};
    for (int i = 0; i < n; i++)
        for (int k = 1; k <= 3; k++) sum[k] += rows[i].n[k];
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>人材区分別の職員数（部ごと）</caption><thead><tr><th scope=\"col\">組織</th>");
    for (int k = 1; k <= 3; k++) html_printf(b, "<th scope=\"col\">%s</th>", tier_name(k));
    html_raw(b, "<th scope=\"col\">計</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><th scope=\"row\">%s</th>", rows[i].name);
        tier_cells(b, rows[i].n);
    }
    html_raw(b, "</tbody><tfoot><tr><th scope=\"row\">在職職員 計</th>");
    tier_cells(b, sum);
    html_raw(b, "</tfoot></table></div>\n");
}

void page_kpi_report(Req *r, Resp *w)
{
    KpiView v;
    view_init(r, &v);
    KpiValue *vals;
    kpi_compute(r->db, r->a, v.nendo, v.as_of, &vals);
    if (page_wants_export(r)) {
        report_export(r, w, &v, vals);
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進状況", "/kpi"}, {"年度末の推進状況報告", NULL}};
    page_begin(r, w, arena_printf(r->a, "%s 人材育成・確保基本方針（デジタル部分）推進状況報告", v.nendo_name), "report", crumbs, 3);
    Buf *b = &w->body;
    view_top(r, b, "/kpi/report", &v);
    view_form_end(b, "/kpi/report", v.qs);
    html_raw(b, "<p class=\"toolbar muted\">ブラウザの印刷（A4）で決裁用に出力できます。目標値とコメントは「目標値の設定」で入力します。</p>\n");
    for (size_t s = 0; s < COUNTOF(report_sections); s++) report_section(r, b, &v, vals, s);
    html_raw(b, "<h2>調査用の集計</h2>\n");
    report_by_bu(r, b, &v);
    const KpiValue *lead = value_of(vals, "LEADER_RATE");
    if (lead && lead->den)
        html_printf(b, "<p>総括リーダーの配置：対象の係 %d のうち %d に配置（未配置 %d）。</p>\n", lead->den, lead->num, lead->den - lead->num);
    const KpiValue *eng = value_of(vals, "EXT_ENGAGEMENTS"), *ses = value_of(vals, "EXT_SESSIONS");
    html_printf(b, "<p>外部人材（CIO補佐官を含む）：契約・委嘱 %s、知識移転 %s（内訳はV(3)）。</p>\n", value_text(r, eng->def, eng->actual),
                value_text(r, ses->def, ses->actual));
    page_end(r, w);
}
