/* page_talent.c - 人材検索 (/talent, /talent.csv, /talent.xlsx).
 *
 * A GET form, so a search is a bookmarkable URL and its exports take the
 * same query string. The search itself is domain/talent.c. */
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/course.h"
#include "../domain/qual.h"
#include "../domain/skill.h"
#include "../domain/talent.h"
#include "../domain/tier.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "page_audit.h"
#include "pages.h"

/* What was asked, as typed, for the form to show again. */
typedef struct TalentForm {
    const char *item[TALENT_SKILLS], *min[TALENT_SKILLS], *mode[TALENT_SKILLS];
    const char *qual, *course, *kw, *cnendo, *unit, *name, *on;
    bool tier[4];
    int page;
} TalentForm;

static const char *q_or_empty(Req *r, const char *name)
{
    const char *v = req_query(r, name);
    return v ? text_trim(r->a, v) : "";
}

/* An id field: "" gives 0; anything but a positive number is an error. */
static int64_t id_field(const char *v, Errors *e, const char *field, const char *msg)
{
    int64_t id = 0;
    if (str_empty(v)) return 0;
    if (!parse_int64(v, &id) || id <= 0) {
        err_add(e, field, msg);
        return 0;
    }
    return id;
}

/* Reads the query string into f and q; messages for what does not parse or
 * does not exist go into e. */
static void parse(Req *r, TalentForm *f, TalentQuery *q, Errors *e)
{
    memset(f, 0, sizeof *f);
    memset(q, 0, sizeof *q);
    for (int k = 0; k < TALENT_SKILLS; k++) {
        char name[32];
        snprintf(name, sizeof name, "s%d_item", k + 1);
        f->item[k] = q_or_empty(r, name);
        char field_min[32];
        snprintf(field_min, sizeof field_min, "s%d_min", k + 1);
        f->min[k] = q_or_empty(r, field_min);
        char field_mode[32];
        snprintf(field_mode, sizeof field_mode, "s%d_mode", k + 1);
        f->mode[k] = q_or_empty(r, field_mode);
        TalentSkill *s = &q->skills[k];
        s->item_id = id_field(f->item[k], e, name, arena_printf(r->a, "スキル条件%dの評価項目を一覧から選んでください。", k + 1));
        if (!s->item_id) continue;
        int64_t lv = 0;
        if (str_empty(f->min[k])) lv = 1;
        else if (!parse_int64(f->min[k], &lv) || lv < 1 || lv > 4) {
            err_add(e, field_min, arena_printf(r->a, "スキル条件%dのレベルは1から4で選んでください。", k + 1));
            lv = 1;
        }
        s->min_level = (int)lv;
        if (!str_empty(f->mode[k]) && !str_eq(f->mode[k], "confirmed") && !str_eq(f->mode[k], "self"))
            err_add(e, field_mode, arena_printf(r->a, "スキル条件%dの評価の種類は「上司確認済み」か「自己評価」を選んでください。", k + 1));
        s->self = str_eq(f->mode[k], "self");
    }
    f->qual = q_or_empty(r, "qual");
    q->qual_code = f->qual;
    f->course = q_or_empty(r, "course");
    q->course_id = id_field(f->course, e, "course", "研修を一覧から選んでください。");
    f->kw = q_or_empty(r, "kw");
    q->course_kw = f->kw;
    f->cnendo = q_or_empty(r, "cnendo");
    if (!str_empty(f->cnendo) && !nendo_parse_loose(f->cnendo, &q->course_nendo))
        err_add(e, "cnendo", "修了の年度を正しく選んでください。");
    f->unit = q_or_empty(r, "unit");
    q->unit_id = id_field(f->unit, e, "unit", "所属を一覧から選んでください。");
    f->name = q_or_empty(r, "name");
    q->name = f->name;
    for (int t = 1; t <= 3; t++) {
        char name[24];
        snprintf(name, sizeof name, "tier%d", t);
        f->tier[t] = !str_empty(req_query(r, name));
        if (f->tier[t]) q->tiers |= 1u << t;
    }
    /* A date as typed (2026/4/1, 令和8年4月1日 …) as ISO; else kept as typed for the message. */
    const char *on = q_or_empty(r, "on");
    Date typed;
    if (!*on) f->on = page_today(r);
    else if (date_parse_loose(on, &typed)) {
        char *iso = arena_alloc(r->a, 11);
        date_iso(typed, iso);
        f->on = iso;
    } else f->on = on;
    q->on = f->on;
    Date d;
    q->nendo = date_parse(f->on, &d) ? nendo_of(d) : nendo_of(date_today());
    q->today = page_today(r);
    q->scope = scope_root(r->user);
    /* A 所属長 without a unit sees nobody, never the whole organisation. */
    if (!scope_org_wide(r->user) && !q->scope) q->scope = -1;
    f->page = page_number(req_query(r, "page"));
    q->page = f->page;
}

static void url_kv(Buf *b, const char *k, const char *v)
{
    if (str_empty(v)) return;
    if (b->len) buf_putc(b, '&');
    buf_puts(b, k);
    buf_putc(b, '=');
    html_urlenc(b, v);
}

/* The query string of the search without its page (for pages and exports). */
static const char *query_string(Req *r, const TalentForm *f)
{
    Buf b = BUF_INIT;
    for (int k = 0; k < TALENT_SKILLS; k++) {
        if (str_empty(f->item[k])) continue;
        url_kv(&b, arena_printf(r->a, "s%d_item", k + 1), f->item[k]);
        url_kv(&b, arena_printf(r->a, "s%d_min", k + 1), f->min[k]);
        url_kv(&b, arena_printf(r->a, "s%d_mode", k + 1), f->mode[k]);
    }
    url_kv(&b, "qual", f->qual);
    for (int t = 1; t <= 3; t++)
        if (f->tier[t]) url_kv(&b, arena_printf(r->a, "tier%d", t), "1");
    url_kv(&b, "course", f->course);
    url_kv(&b, "kw", f->kw);
    url_kv(&b, "cnendo", f->cnendo);
    url_kv(&b, "unit", f->unit);
    url_kv(&b, "name", f->name);
    if (!str_eq(f->on, page_today(r))) url_kv(&b, "on", f->on);
    const char *out = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static const char *tiers_text(Req *r, unsigned tiers)
{
    static const char *const marks[] = {"", "①", "②", "③"};
    Buf b = BUF_INIT;
    for (int t = 1; t <= 3; t++)
        if (tiers & (1u << t)) buf_puts(&b, marks[t]);
    const char *out = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static const char *item_name(const SkillMap *m, int64_t id)
{
    int i = skill_item_index(m, id);
    return i < 0 ? "" : m->items[i].name;
}

static const char *skill_head(Req *r, const SkillMap *m, const TalentSkill *s)
{
    return arena_printf(r->a, "%s（%s）", item_name(m, s->item_id), s->self ? "自己評価" : "上司確認済み");
}

static const char *qual_name(Req *r, const char *code)
{
    if (str_empty(code)) return "";
    const char *n = db_text(r->db, r->a, "SELECT name FROM qualification_type WHERE code = ?", code);
    return n ? n : code;
}

/* ---- exports ---- */

static void export(Req *r, Resp *w, bool xlsx)
{
    TalentForm f;
    TalentQuery q;
    Errors e = {0};
    parse(r, &f, &q, &e);
    if (!err_any(&e)) talent_check(r->db, &q, &e);
    if (err_any(&e) || !talent_has_condition(&q)) {
        resp_error(r, w, 400, err_any(&e) ? e.items[0].msg : "検索条件を1つ以上指定してください。");
        return;
    }
    q.page = 0;
    SkillMap m;
    skill_map_load(r->db, r->a, q.nendo, true, &m);
    const char **head = arena_alloc(r->a, sizeof *head * 12);
    int nh = 0;
    head[nh++] = "職員番号", head[nh++] = "氏名", head[nh++] = "所属", head[nh++] = "人材区分";
    for (int k = 0; k < TALENT_SKILLS; k++)
        if (q.skills[k].item_id) head[nh++] = skill_head(r, &m, &q.skills[k]);
    if (!str_empty(q.qual_code)) head[nh++] = arena_printf(r->a, "%s（取得日）", qual_name(r, q.qual_code));
    bool courses = q.course_id || !str_empty(q.course_kw);
    if (courses) head[nh++] = "修了した研修", head[nh++] = "修了した研修の開始日";
    head[nh] = NULL;
    if (!page_read_begin(r, w)) return;
    TalentResult res;
    talent_search(r->db, r->a, &q, &res);
    Table t;
    table_init(&t, r->a, "人材検索", head);
    for (int i = 0; i < res.n; i++) {
        const TalentRow *x = &res.rows[i];
        table_text(&t, x->staff_no);
        table_text(&t, x->name);
        table_text(&t, x->unit_name);
        table_text(&t, tiers_text(r, x->tiers));
        for (int k = 0; k < TALENT_SKILLS; k++) {
            if (!q.skills[k].item_id) continue;
            if (x->level[k] >= 0) table_int(&t, x->level[k]);
            else table_text(&t, "");
        }
        if (!str_empty(q.qual_code)) table_date(&t, x->qual_acquired_on ? x->qual_acquired_on : "");
        if (courses) {
            table_text(&t, x->course_title);
            table_date(&t, x->course_on ? x->course_on : "");
        }
    }
    const char *base = arena_printf(r->a, "人材検索_%s", q.today);
    if (xlsx) {
        buf_reset(&w->body);
        if (table_xlsx(&t, &w->body) != 0) {
            resp_error(r, w, 500, "Excelファイルを作成できませんでした。");
        } else {
            w->status = 200;
            w->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            Buf cd = BUF_INIT;
            buf_puts(&cd, "attachment; filename=\"export.xlsx\"; filename*=UTF-8''");
            html_urlenc(&cd, arena_printf(r->a, "%s.xlsx", base));
            resp_header(r, w, "Content-Disposition", buf_cstr(&cd));
            buf_free(&cd);
        }
    } else {
        Buf out = BUF_INIT;
        table_csv(&t, &out);
        page_send_csv(r, w, &out, arena_printf(r->a, "%s.csv", base));
        buf_free(&out);
    }
    page_read_end(r, w, "talent.export", "staff", 0, 0,
                  arena_printf(r->a, "人材検索の出力（%s、%d人）：%s", xlsx ? "Excel" : "CSV", res.n, query_string(r, &f)));
}

void page_talent_csv(Req *r, Resp *w) { export(r, w, false); }
void page_talent_xlsx(Req *r, Resp *w) { export(r, w, true); }

/* ---- the page ---- */

static void form(Req *r, Buf *b, const Errors *e, const TalentForm *f, const SkillMap *m)
{
    html_raw(b, "<form class=\"filters talent\" method=\"get\" action=\"/talent\">\n");
    Option *items = arena_alloc(r->a, sizeof *items * (size_t)(m->nitems + 1));
    items[0] = (Option){"", "（指定しない）"};
    int ni = 1;
    for (int i = 0; i < m->nitems; i++)
        if (!m->items[i].retired_on)
            items[ni++] = (Option){arena_printf(r->a, "%lld", (long long)m->items[i].id),
                                   arena_printf(r->a, "%s %s", m->items[i].code, m->items[i].name)};
    static const Option levels[] = {{"1", "1以上"}, {"2", "2以上"}, {"3", "3以上"}, {"4", "4"}};
    static const Option modes[] = {{"confirmed", "上司確認済み"}, {"self", "自己評価（確認済みがあればそれ）"}};
    for (int k = 0; k < TALENT_SKILLS; k++) {
        html_printf(b, "<fieldset class=\"headers\"><legend>スキル条件%d（評価レベル）</legend>\n", k + 1);
        field_select(b, e, arena_printf(r->a, "s%d_item", k + 1), "評価項目", items, ni, f->item[k], 0, NULL);
        field_select(b, e, arena_printf(r->a, "s%d_min", k + 1), "レベル", levels, 4, str_empty(f->min[k]) ? "3" : f->min[k], F_NARROW, NULL);
        field_select(b, e, arena_printf(r->a, "s%d_mode", k + 1), "評価", modes, 2, f->mode[k], 0, NULL);
        html_raw(b, "</fieldset>\n");
    }
    html_raw(b, "<fieldset class=\"headers\"><legend>資格・人材区分</legend>\n");
    QualType *qt;
    int nq = qual_types(r->db, r->a, &qt);
    Option *qo = arena_alloc(r->a, sizeof *qo * (size_t)(nq + 1));
    qo[0] = (Option){"", "（指定しない）"};
    for (int i = 0; i < nq; i++) qo[i + 1] = (Option){qt[i].code, qt[i].name};
    field_select(b, e, "qual", "資格（基準日に有効）", qo, nq + 1, f->qual, 0, NULL);
    html_raw(b, "<div class=\"field\" role=\"group\" aria-label=\"人材区分\"><span class=\"label\">人材区分（基準日に指定）</span>");
    for (int t = 1; t <= 3; t++)
        html_printf(b, " <label class=\"choice\"><input type=\"checkbox\" name=\"tier%d\" value=\"1\"%s> %s</label>", t,
                    f->tier[t] ? " checked" : "", tier_name(t));
    if (err_for(e, "tier")) html_printf(b, "<p class=\"error\">%s</p>", err_for(e, "tier"));
    html_raw(b, "</div>\n</fieldset>\n<fieldset class=\"headers\"><legend>研修の修了</legend>\n");
    Course *cs;
    int nc = course_list(r->db, r->a, false, &cs);
    Option *co = arena_alloc(r->a, sizeof *co * (size_t)(nc + 1));
    co[0] = (Option){"", "（指定しない）"};
    for (int i = 0; i < nc; i++)
        co[i + 1] = (Option){arena_printf(r->a, "%lld", (long long)cs[i].id), arena_printf(r->a, "%s %s", cs[i].code, cs[i].title)};
    field_select(b, e, "course", "研修", co, nc + 1, f->course, 0, NULL);
    field_text(b, e, "kw", "または研修名のキーワード", f->kw, 0, "例：生成AI（全角・半角、かなは区別しません）");
    int now = nendo_of(date_today());
    Option years[7];
    years[0] = (Option){"", "すべての年度"};
    for (int i = 0; i < 6; i++) {
        const char *v = arena_printf(r->a, "%d", now - i);
        years[i + 1] = (Option){v, page_nendo_name(r, now - i)};
    }
    field_select(b, e, "cnendo", "修了の年度", years, 7, f->cnendo, 0, NULL);
    html_raw(b, "</fieldset>\n<fieldset class=\"headers\"><legend>所属・氏名・基準日</legend>\n");
    field_unit(r, b, e, "unit", "所属（配下を含む）", f->on && strlen(f->on) == 10 ? f->on : page_today(r), f->unit, 0, "すべて");
    field_text(b, e, "name", "氏名・カナ・職員番号", f->name, 0, NULL);
    field_text(b, e, "on", "基準日", f->on, F_NARROW, "在職・資格の有効期限・人材区分はこの日で判定します。評価はこの日の年度までの最新のものです。");
    html_raw(b, "</fieldset>\n<button class=\"btn primary\" type=\"submit\">検索</button> <a class=\"btn\" href=\"/talent\">条件をクリア</a></form>\n");
}

static void examples(Req *r, Buf *b)
{
    int64_t nw = db_int(r->db, 0, "SELECT id FROM skill_item WHERE code = 'L-TECH-04'");
    html_raw(b, "<div class=\"note\"><p>検索の例：</p><ul>");
    if (nw && db_exists(r->db, "SELECT 1 FROM qualification_type WHERE code = 'FE'"))
        html_printf(b, "<li><a href=\"/talent?s1_item=%lld&amp;s1_min=3&amp;s1_mode=confirmed&amp;qual=FE\">"
                       "ネットワーク レベル3以上で基本情報の資格がある職員</a></li>", (long long)nw);
    html_raw(b, "<li><a href=\"/talent?kw=%E7%94%9F%E6%88%90AI&amp;tier2=1\">生成AIの研修を修了した②</a></li></ul></div>\n");
}

static void results(Req *r, Buf *b, const TalentQuery *q, const TalentForm *f, const TalentResult *res, const SkillMap *m)
{
    const char *qs = query_string(r, f);
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/talent.csv?%s\">CSV出力</a> "
                   "<a class=\"btn\" href=\"/talent.xlsx?%s\">Excel出力</a></div>\n", qs, qs);
    bool courses = q->course_id || !str_empty(q->course_kw);
    if (!str_empty(q->course_kw))
        html_printf(b, "<p class=\"note\">キーワード「%s」に当てはまる研修：%d件</p>\n", q->course_kw, res->ncourses);
    if (q->scope) html_raw(b, "<p class=\"note\">あなたの所属とその配下の職員だけを表示しています。</p>\n");
    if (!res->n) {
        html_raw(b, f->page > 1 ? "<p class=\"empty\">このページに表示する職員はいません。</p>\n"
                                : "<p class=\"empty\">条件に当てはまる職員はいません。</p>\n");
        return;
    }
    int pages = (res->total + TALENT_PAGE_SIZE - 1) / TALENT_PAGE_SIZE;
    html_printf(b, "<p role=\"status\">%d人が該当します。</p>\n", res->total);
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>人材検索の結果</caption><thead><tr>"
                "<th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th><th scope=\"col\">所属</th><th scope=\"col\">人材区分</th>");
    for (int k = 0; k < TALENT_SKILLS; k++)
        if (q->skills[k].item_id) html_printf(b, "<th scope=\"col\">%s</th>", skill_head(r, m, &q->skills[k]));
    if (!str_empty(q->qual_code)) html_printf(b, "<th scope=\"col\">%s（取得日）</th>", qual_name(r, q->qual_code));
    if (courses) html_raw(b, "<th scope=\"col\">修了した研修</th>");
    html_raw(b, "</tr></thead><tbody>\n");
    for (int i = 0; i < res->n; i++) {
        const TalentRow *x = &res->rows[i];
        html_printf(b, "<tr><td>%s</td><td><a href=\"/staff/%lld\">%s</a></td><td>%s</td><td>%s</td>", x->staff_no,
                    (long long)x->staff_id, x->name, x->unit_name, tiers_text(r, x->tiers));
        for (int k = 0; k < TALENT_SKILLS; k++) {
            if (!q->skills[k].item_id) continue;
            if (x->level[k] >= 0) html_printf(b, "<td class=\"num\">%d</td>", x->level[k]);
            else html_raw(b, "<td></td>");
        }
        if (!str_empty(q->qual_code)) {
            html_raw(b, "<td>");
            html_date(b, x->qual_acquired_on);
            html_raw(b, "</td>");
        }
        if (courses) {
            html_printf(b, "<td>%s", x->course_title ? x->course_title : "");
            if (x->course_on) {
                html_raw(b, "（");
                html_date(b, x->course_on);
                html_raw(b, "）");
            }
            html_raw(b, "</td>");
        }
        html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    if (pages > 1) {
        html_raw(b, "<nav class=\"pager\" aria-label=\"ページ\">");
        for (int p = 1; p <= pages; p++) {
            if (p == f->page) html_printf(b, "<strong aria-current=\"page\">%d</strong> ", p);
            else html_printf(b, "<a href=\"/talent?page=%d&amp;%s\">%d</a> ", p, qs, p);
        }
        html_raw(b, "</nav>\n");
    }
}

void page_talent(Req *r, Resp *w)
{
    TalentForm f;
    TalentQuery q;
    Errors e = {0};
    parse(r, &f, &q, &e);
    if (!err_any(&e)) talent_check(r->db, &q, &e);
    SkillMap m;
    skill_map_load(r->db, r->a, q.nendo >= 2000 && q.nendo <= 2100 ? q.nendo : nendo_of(date_today()), true, &m);
    Crumb crumbs[] = {{"ホーム", "/"}, {"人材検索", NULL}};
    page_begin(r, w, "人材検索", "talent", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">スキルの評価レベル、資格、人材区分、研修の修了、所属で職員を探します。指定した条件をすべて満たす、基準日に在職している職員が表示されます。</p>\n");
    examples(r, b);
    if (err_any(&e)) {
        w->status = 400;
        error_summary(b, &e);
    }
    form(r, b, &e, &f, &m);
    if (!err_any(&e) && talent_has_condition(&q)) {
        TalentResult res;
        talent_search(r->db, r->a, &q, &res);
        results(r, b, &q, &f, &res, &m);
    } else if (!err_any(&e)) {
        html_raw(b, "<p class=\"empty\">条件を指定して「検索」を押してください。</p>\n");
    }
    page_end(r, w);
}
