/* page_course.c - the training catalogue (研修カタログ), a course's page and
 * its form, the annual plan against its actuals, and next 年度's demand.
 *
 * Everyone reads the catalogue; the office (研修の事務局: 総務課 and
 * 政策企画課, that is 人事, DX推進 and 管理者) edits it and the plan. A
 * 所属長 sees the demand of their own subtree only. */
#include <limits.h>
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/course.h"
#include "../domain/module.h"
#include "../domain/org.h"
#include "../domain/skill.h"
#include "../domain/tier.h"
#include "../domain/training.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

#define SKILL_ROWS 6  /* empty skill rows offered by the course form */
#define SKILL_MAX 32  /* skill rows read back from a posted form */

static const Option tier_opts[] = {{"", "すべて"}, {"1", "①高度専門人材"}, {"2", "②DX推進リーダー"}, {"3", "③一般職員"}};
static const Option level_opts[] = {{"", "－"}, {"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}};

static bool is_office(Req *r) { return r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN); }

/* 12345 -> "12,345" */
static const char *num(Req *r, long long v)
{
    char d[24], out[40];
    int n = snprintf(d, sizeof d, "%lld", v < 0 ? -v : v), k = 0;
    if (v < 0) out[k++] = '-';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[k++] = ',';
        out[k++] = d[i];
    }
    out[k] = 0;
    return arena_strdup(r->a, out);
}

static const char *dash_or(Req *r, int v, const char *unit) { return v ? arena_printf(r->a, "%s%s", num(r, v), unit) : "－"; }
/* 定員 0 means no limit; a course cost of 0 is not known yet. */
static const char *capacity_text(Req *r, int v) { return v ? arena_printf(r->a, "%s人", num(r, v)) : "制限なし"; }
static const char *cost_text(Req *r, int v) { return v ? arena_printf(r->a, "%s円", num(r, v)) : "未定"; }

/* target_tiers bits (1 << tier) as "①②③" */
static const char *tiers_text(unsigned bits)
{
    static const char *const t[8] = {"－", "①", "②", "①②", "③", "①③", "②③", "①②③"};
    return t[(bits >> 1) & 7];
}

/* The provider in a table cell: its name, then 庁内 or 外部 below it. */
static void provider_cell(Buf *b, const char *code)
{
    html_printf(b, "<td>%s<br><span class=\"muted\">%s</span></td>", provider_name(code), provider_internal(code) ? "庁内" : "外部");
}

/* The course's skills as "L-HOW-03:2;K-07:1", the import format. */
static const char *skills_csv(Req *r, const Course *c)
{
    Buf b = BUF_INIT;
    for (int i = 0; i < c->nskills; i++) buf_printf(&b, "%s%s:%d", i ? ";" : "", c->skills[i].item_code, c->skills[i].level);
    char *s = arena_strdup(r->a, buf_cstr(&b));
    return buf_free(&b), s;
}

static Option *code_opts(Req *r, const CodeName *t, int n, const char *first)
{
    Option *o = arena_alloc(r->a, sizeof *o * (size_t)(n + 1));
    o[0] = (Option){"", first};
    for (int i = 0; i < n; i++) o[i + 1] = (Option){t[i].code, t[i].name};
    return o;
}

/* A posted form shows again what the user typed; a fresh one the stored value. */
static const char *typed(Req *r, const char *name, const char *stored)
{
    if (!req_is_post(r)) return stored;
    const char *v = req_form(r, name);
    return v ? v : "";
}

static const char *typed_int(Req *r, const char *name, long long stored)
{
    return typed(r, name, arena_printf(r->a, "%lld", stored));
}

static bool typed_check(Req *r, const char *name, bool stored) { return req_is_post(r) ? req_form(r, name) != NULL : stored; }

/* A whole number as typed (full-width digits and "1,000" allowed); "" is 0,
 * anything else -1, which the domain rejects with its own message. */
static int form_int(Req *r, const char *name)
{
    const char *s = text_fold(r->a, req_form(r, name));
    char clean[24];
    size_t k = 0;
    for (; *s && k + 1 < sizeof clean; s++)
        if (*s != ',') clean[k++] = *s;
    clean[k] = 0;
    int64_t v;
    if (!*s && !k) return 0;
    return !*s && parse_int64(clean, &v) && v >= 0 && v <= INT_MAX ? (int)v : -1;
}

/* Opens the toolbar with the two download links; the caller closes it. */
static void toolbar_exports(Buf *b, const char *path, const char *qs)
{
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"%s?format=csv%s\">CSV出力</a> <a class=\"btn\" href=\"%s?format=xlsx%s\">Excel出力</a>",
                path, qs, path, qs);
}

static void th_row(Buf *b, const char *const *heads)
{
    for (; *heads; heads++) html_printf(b, "<th scope=\"col\">%s</th>", *heads);
}

/* Opens a data table with one header row (caption NULL: none, when a heading
 * already names it); the caller closes it with table_close. */
static void table_open(Buf *b, const char *caption, const char *const *heads)
{
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\">");
    if (caption) html_printf(b, "<caption>%s</caption>", caption);
    html_raw(b, "<thead><tr>");
    th_row(b, heads);
    html_raw(b, "</tr></thead><tbody>\n");
}

static void table_close(Buf *b) { html_raw(b, "</tbody></table></div>\n"); }

static void nendo_select(Req *r, Buf *b, int nendo)
{
    int lo = nendo < r->nendo - 4 ? nendo : r->nendo - 4, hi = nendo > r->nendo + 1 ? nendo : r->nendo + 1;
    Option *o = arena_alloc(r->a, sizeof *o * (size_t)(hi - lo + 1));
    for (int y = hi; y >= lo; y--) o[hi - y] = (Option){arena_printf(r->a, "%d", y), arena_printf(r->a, "%s（%d）", page_nendo_name(r, y), y)};
    field_select(b, NULL, "nendo", "年度", o, hi - lo + 1, arena_printf(r->a, "%d", nendo), 0, NULL);
}

/* ---- the catalogue ---- */

static const char *const course_head[] = {"コード", "研修名", "実施主体", "形式", "対象区分", "対象職位", "時間（分）", "定員", "費用（円）",
                                          "必須", "情報セキュリティ", "関連スキル", "説明", "庁内・外部", "状態", NULL};

/* One row in the import format of data/courses.csv, then two extra columns. */
static void course_table_row(Req *r, Table *t, const Course *c)
{
    const char *head[] = {c->code, c->title, provider_name(c->provider), format_name(c->format), tiers_text(c->target_tiers), c->target_posts};
    for (size_t k = 0; k < COUNTOF(head); k++) table_text(t, head[k]);
    table_int(t, c->minutes);
    table_int(t, c->capacity);
    table_int(t, c->cost);
    const char *tail[] = {c->mandatory ? "○" : "", c->security ? "○" : "", skills_csv(r, c), c->description,
                          provider_internal(c->provider) ? "庁内" : "外部", c->active ? "有効" : "廃止"};
    for (size_t k = 0; k < COUNTOF(tail); k++) table_text(t, tail[k]);
}

static void course_html_row(Req *r, Buf *b, const Course *c)
{
    html_printf(b, "<tr><td>%s</td><td><a href=\"/courses/%lld\">%s</a>", c->code, (long long)c->id, c->title);
    if (c->security) html_raw(b, " <span class=\"badge\">セキュリティ</span>");
    if (!c->active) html_raw(b, " <span class=\"badge muted\">廃止</span>");
    html_raw(b, "</td>");
    provider_cell(b, c->provider);
    html_printf(b, "<td>%s</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td><td>", format_name(c->format),
                tiers_text(c->target_tiers), dash_or(r, c->minutes, "分"), capacity_text(r, c->capacity), cost_text(r, c->cost), c->mandatory ? "必須" : "");
    for (int i = 0; i < c->nskills; i++) {
        if (i) html_raw(b, "<br>");
        html_printf(b, "<abbr title=\"%s\">%s</abbr>:%d", c->skills[i].item_name, c->skills[i].item_code, c->skills[i].level);
    }
    html_raw(b, "</td></tr>\n");
}

void page_course_list(Req *r, Resp *w)
{
    /* filters as known codes only, so they go into links as they are */
    const char *provider = *provider_name(req_query(r, "provider")) ? req_query(r, "provider") : "";
    const char *type = *format_name(req_query(r, "type")) ? req_query(r, "type") : "", *tier_s = req_query(r, "tier");
    bool retired = str_eq(req_query(r, "retired"), "1");
    int64_t v;
    int tier = parse_int64(tier_s, &v) && v >= 1 && v <= 3 ? (int)v : 0;
    Course *cs;
    int nall = course_list(r->db, r->a, !retired, &cs), n = 0;
    for (int i = 0; i < nall; i++)
        if ((!*provider || str_eq(cs[i].provider, provider)) && (!*type || str_eq(cs[i].format, type)) &&
            (!tier || cs[i].target_tiers & (1u << tier)))
            cs[n++] = cs[i];
    if (page_wants_export(r)) {
        Table t;
        table_init(&t, r->a, "研修カタログ", course_head);
        for (int i = 0; i < n; i++) course_table_row(r, &t, &cs[i]);
        page_send_table(r, w, &t, "研修カタログ");
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"研修カタログ", NULL}};
    page_begin(r, w, "研修カタログ", "courses", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">本市の研修体系です（方針V(1)）。庁内研修は総務課・政策企画課が、外部研修は大分県自治人材育成センター、J-LISなどが実施します。"
                "「【サンプル】」の研修は初期データの例です。実際の研修に置き換えてください。</p>\n");
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/courses\">");
    field_select(b, NULL, "provider", "実施主体", code_opts(r, course_providers, 9, "すべて"), 10, provider, 0, NULL);
    field_select(b, NULL, "type", "形式", code_opts(r, course_formats, 5, "すべて"), 6, type, 0, NULL);
    field_select(b, NULL, "tier", "対象区分", tier_opts, 4, tier ? tier_s : "", 0, NULL);
    field_checkbox(b, "retired", "廃止した研修も表示", retired);
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    toolbar_exports(b, "/courses", arena_printf(r->a, "&provider=%s&type=%s&tier=%d&retired=%d", provider, type, tier, retired));
    if (is_office(r)) html_raw(b, " <a class=\"btn primary\" href=\"/courses/new\">研修を追加</a>");
    html_raw(b, "</div>\n");
    html_printf(b, "<p role=\"status\">%d件の研修があります。</p>\n", n);
    if (!n) {
        html_raw(b, nall ? "<p class=\"empty\">条件に合う研修はありません。条件を変えてください。</p>\n"
                         : "<p class=\"empty\">研修はまだ登録されていません。</p>\n");
        page_end(r, w);
        return;
    }
    static const char *const heads[] = {"コード", "研修名", "実施主体", "形式", "対象", "時間", "定員", "費用（1人）", "必須", "関連スキル:レベル", NULL};
    table_open(b, "研修カタログ", heads);
    for (int i = 0; i < n; i++) course_html_row(r, b, &cs[i]);
    table_close(b);
    page_end(r, w);
}

/* ---- one course: details, sessions, form ---- */

static void prop(Buf *b, const char *dt, const char *dd) { html_printf(b, "<dt>%s</dt><dd>%s</dd>", dt, dd); }

static void course_detail(Req *r, Buf *b, const Course *c, const SkillMap *m)
{
    Buf tiers = BUF_INIT;
    for (int t = 1; t <= 3; t++)
        if (c->target_tiers & (1u << t)) buf_printf(&tiers, "%s%s", tiers.len ? "、" : "", tier_name(t));
    html_raw(b, "<dl class=\"props\">");
    prop(b, "コード", c->code);
    prop(b, "実施主体", arena_printf(r->a, "%s（%s研修）", provider_name(c->provider), provider_internal(c->provider) ? "庁内" : "外部"));
    prop(b, "形式", format_name(c->format));
    prop(b, "対象の人材区分", buf_cstr(&tiers));
    prop(b, "対象職位", str_empty(c->target_posts) ? "－" : c->target_posts);
    const char *hours = c->minutes % 60 ? arena_printf(r->a, "%d時間%d分", c->minutes / 60, c->minutes % 60) : arena_printf(r->a, "%d時間", c->minutes / 60);
    prop(b, "時間", !c->minutes ? "－（未定）" : c->minutes < 60 ? arena_printf(r->a, "%d分", c->minutes) : arena_printf(r->a, "%d分（%s）", c->minutes, hours));
    prop(b, "定員（1回）", capacity_text(r, c->capacity));
    prop(b, "費用（1人）", cost_text(r, c->cost));
    prop(b, "必須・選択", c->mandatory ? "必須" : "選択");
    prop(b, "対象外の職員の申込", eligibility_name(c->eligibility));
    prop(b, "修了後の再申込", c->repeatable ? "できる" : "できない");
    prop(b, "情報セキュリティ研修", c->security ? "受講率に数える" : "－");
    prop(b, "状態", c->active ? "有効" : "廃止");
    prop(b, "説明", str_empty(c->description) ? "－" : c->description);
    html_raw(b, "</dl>\n");
    buf_free(&tiers);
    html_raw(b, "<section class=\"panel\"><h2>関連スキルと裏付けるレベル</h2>");
    if (!c->nskills) html_raw(b, "<p class=\"empty\">関連スキルは登録されていません。</p>");
    else {
        static const char *const heads[] = {"コード", "項目", "修了で裏付けるレベル", NULL};
        table_open(b, NULL, heads);
        for (int i = 0; i < c->nskills; i++)
            html_printf(b, "<tr><td>%s</td><td>%s</td><td>%d %s</td></tr>", c->skills[i].item_code, c->skills[i].item_name, c->skills[i].level,
                        skill_scale_name(m, c->skills[i].level));
        table_close(b);
    }
    html_raw(b, "</section>\n");
}

static void course_sessions(Req *r, Buf *b, int64_t course_id)
{
    char today[11];
    date_iso(date_today(), today);
    Session *ss;
    int n = session_list(r->db, r->a, today, "9999-12-31", course_id, &ss);
    html_raw(b, "<section class=\"panel\"><h2>今後の日程</h2>");
    if (is_office(r)) html_printf(b, "<p><a class=\"btn\" href=\"/sessions/new?course_id=%lld\">日程を追加</a></p>", (long long)course_id);
    if (!n) {
        html_raw(b, "<p class=\"empty\">予定されている日程はありません。</p></section>\n");
        return;
    }
    static const char *const heads[] = {"日時", "場所・URL", "定員", "受講決定", "キャンセル待ち", "状態", NULL};
    table_open(b, NULL, heads);
    for (int i = 0; i < n; i++) {
        const Session *s = &ss[i];
        html_printf(b, "<tr><td><a href=\"/sessions/%lld\">", (long long)s->id);
        html_date(b, arena_printf(r->a, "%.10s", s->starts_at));
        html_printf(b, " %s</a></td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td>%s</td></tr>",
                    strlen(s->starts_at) > 11 ? s->starts_at + 11 : "", str_empty(s->place) ? s->url : s->place,
                    capacity_text(r, s->capacity), s->accepted, s->waitlisted, s->cancelled ? "中止" : "予定");
    }
    table_close(b);
    html_raw(b, "</section>\n");
}

static void select_raw(Buf *b, const char *name, const char *label, const Option *o, int n, const char *selected)
{
    html_printf(b, "<select name=\"%s\" aria-label=\"%s\">", name, label);
    for (int i = 0; i < n; i++) html_printf(b, "<option value=\"%s\"%s>%s</option>", o[i].value, str_eq(selected, o[i].value) ? " selected" : "", o[i].label);
    html_raw(b, "</select>");
}

static void field_error(Buf *b, const Errors *e, const char *name)
{
    const char *err = err_for(e, name);
    if (err) html_printf(b, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", name, err);
}

/* The checked tier boxes (name="tier", value 1..3) as bits 1 << tier. */
static unsigned form_tiers(Req *r)
{
    unsigned bits = 0;
    for (size_t i = 0; i < r->form.n; i++) {
        const char *v = r->form.items[i].value;
        if (str_eq(r->form.items[i].name, "tier") && v[0] >= '1' && v[0] <= '3' && !v[1]) bits |= 1u << (v[0] - '0');
    }
    return bits;
}

static void tier_boxes(Req *r, Buf *b, unsigned stored, const Errors *e)
{
    unsigned bits = req_is_post(r) ? form_tiers(r) : stored;
    html_raw(b, "<fieldset class=\"field\" id=\"f-tier\"><legend>対象の人材区分 <span class=\"req\">必須</span></legend>");
    const char *invalid = err_for(e, "tier") ? " aria-invalid=true aria-describedby=e-tier" : "";
    for (int t = 1; t <= 3; t++) {
        html_printf(b, "<label class=\"choice\"><input type=\"checkbox\" name=\"tier\" value=\"%d\"%s", t, bits & (1u << t) ? " checked" : "");
        html_raw(b, invalid);
        html_printf(b, "> %s</label>", tier_name(t));
    }
    field_error(b, e, "tier");
    html_raw(b, "</fieldset>\n");
}

static void skill_rows(Req *r, Buf *b, const Course *c, const SkillMap *m, const Errors *e)
{
    Option *items = arena_alloc(r->a, sizeof *items * (size_t)(m->nitems + 1));
    items[0] = (Option){"", "（なし）"};
    for (int i = 0; i < m->nitems; i++)
        items[i + 1] = (Option){arena_printf(r->a, "%lld", (long long)m->items[i].id), arena_printf(r->a, "%s %s", m->items[i].code, m->items[i].name)};
    html_raw(b, "<fieldset class=\"field\" id=\"f-skills\"><legend>関連スキルと、修了で裏付けるレベル</legend>"
                "<p class=\"hint\">項目を選ばない行は無視します。レベルは1〜4です。</p>");
    field_error(b, e, "skills");
    html_raw(b, "<table class=\"data\"><thead><tr><th scope=\"col\">スキル項目</th><th scope=\"col\">レベル</th></tr></thead><tbody>");
    int rows = c->nskills + 2 > SKILL_ROWS ? c->nskills + 2 : SKILL_ROWS;
    for (int k = 0; k < rows && k < SKILL_MAX; k++) {
        const CourseSkill *s = k < c->nskills ? &c->skills[k] : NULL;
        const char *iname = arena_printf(r->a, "skill_item_%d", k), *lname = arena_printf(r->a, "skill_level_%d", k);
        html_raw(b, "<tr><td>");
        select_raw(b, iname, arena_printf(r->a, "関連スキル%d", k + 1), items, m->nitems + 1,
                   typed(r, iname, s ? arena_printf(r->a, "%lld", (long long)s->item_id) : ""));
        html_raw(b, "</td><td>");
        select_raw(b, lname, arena_printf(r->a, "関連スキル%dのレベル", k + 1), level_opts, 5, typed(r, lname, s ? arena_printf(r->a, "%d", s->level) : ""));
        html_raw(b, "</td></tr>");
    }
    html_raw(b, "</tbody></table></fieldset>\n");
}

static void course_form(Req *r, Buf *b, const Course *c, const SkillMap *m, const Errors *e)
{
    const char *action = c->id ? arena_printf(r->a, "/courses/%lld", (long long)c->id) : "/courses/new";
    form_begin(r, b, action, "stack");
    field_text(b, e, "code", "コード", typed(r, "code", c->code), F_REQUIRED | F_NARROW, "半角英数字・ハイフン・下線。例：SEC-01");
    field_text(b, e, "title", "研修名", typed(r, "title", c->title), F_REQUIRED, NULL);
    field_select(b, e, "provider", "実施主体", code_opts(r, course_providers, 9, "選んでください"), 10, typed(r, "provider", c->provider), F_REQUIRED,
                 "総務課・政策企画課は庁内研修、そのほかは外部研修です");
    field_select(b, e, "format", "形式", code_opts(r, course_formats, 5, "選んでください"), 6, typed(r, "format", c->format), F_REQUIRED, NULL);
    tier_boxes(r, b, c->target_tiers, e);
    field_text(b, e, "target_posts", "対象職位", typed(r, "target_posts", c->target_posts), 0, "例：係長級、情報部門、新規採用職員");
    field_text(b, e, "minutes", "時間（分）", typed_int(r, "minutes", c->minutes), F_NARROW, "複数日の研修は合計の分数。0は未定");
    field_text(b, e, "capacity", "定員（1回）", typed_int(r, "capacity", c->capacity), F_NARROW, "0は制限なし");
    field_text(b, e, "cost", "費用（円・1人）", typed_int(r, "cost", c->cost), F_NARROW, "0は未定（日程ごとの費用はその日程で入力します）");
    field_select(b, e, "eligibility", "対象外の職員の申込", code_opts(r, course_eligibilities, 3, "選んでください"), 4,
                 typed(r, "eligibility", c->eligibility ? c->eligibility : "none"), F_REQUIRED, "対象は上の人材区分と対象職位で判断します");
    field_checkbox(b, "repeatable", "修了後も再び申し込める（毎年受ける研修など）", typed_check(r, "repeatable", c->repeatable));
    field_checkbox(b, "mandatory", "必須研修", typed_check(r, "mandatory", c->mandatory));
    field_checkbox(b, "security", "情報セキュリティ研修（受講率に数える）", typed_check(r, "security", c->security));
    field_checkbox(b, "active", "有効（カタログに載せる）", typed_check(r, "active", c->active));
    field_textarea(b, e, "description", "説明", typed(r, "description", c->description), 0, NULL);
    skill_rows(r, b, c, m, e);
    html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button> <a class=\"btn\" href=\"%s\">キャンセル</a></div>",
                c->id ? action : "/courses");
    form_end(b);
}

/* shown: the stored course (NULL when adding); edit: the form's course (NULL: no form). */
static void course_page(Req *r, Resp *w, const Course *shown, const Course *edit, const Errors *e)
{
    const char *title = shown ? shown->title : "研修の追加";
    Crumb crumbs[] = {{"ホーム", "/"}, {"研修カタログ", "/courses"}, {title, NULL}};
    page_begin(r, w, title, "courses", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    SkillMap m;
    skill_map_load(r->db, r->a, r->nendo, true, &m);
    if (shown) {
        /* An e-learning course written in jinzai opens from its catalogue page. */
        ModulePage *mp;
        if (str_eq(shown->format, "elearning") && module_pages(r->db, r->a, shown->id, 0, &mp) > 0)
            html_printf(b, "<p><a class=\"btn primary\" href=\"/modules/%lld\">eラーニングを開く</a></p>\n", (long long)shown->id);
        course_detail(r, b, shown, &m);
        course_sessions(r, b, shown->id);
    }
    if (edit && shown) html_raw(b, "<section class=\"panel\" id=\"edit\"><h2>研修を編集</h2>");
    if (edit) course_form(r, b, edit, &m, e);
    if (edit && shown) html_raw(b, "</section>\n");
    page_end(r, w);
}

void page_course_new(Req *r, Resp *w)
{
    Course c = {.code = "", .title = "", .provider = "", .format = "", .target_posts = "", .description = "", .target_tiers = 14, .active = true};
    course_page(r, w, NULL, &c, NULL);
}

void page_course_show(Req *r, Resp *w)
{
    Course c;
    if (!course_get(r->db, r->a, req_param_id(r, 0), &c)) {
        resp_error(r, w, 404, "その研修は見つかりません。");
        return;
    }
    course_page(r, w, &c, is_office(r) ? &c : NULL, NULL);
}

void page_course_save(Req *r, Resp *w)
{
    int64_t id = r->nparams ? req_param_id(r, 0) : 0;
    Course stored;
    if (r->nparams && !course_get(r->db, r->a, id, &stored)) {
        resp_error(r, w, 404, "その研修は見つかりません。");
        return;
    }
    Course c = {.id = id};
    c.code = text_trim(r->a, req_form(r, "code")), c.title = text_trim(r->a, req_form(r, "title"));
    c.provider = typed(r, "provider", ""), c.format = typed(r, "format", ""), c.target_tiers = form_tiers(r);
    c.target_posts = text_trim(r->a, req_form(r, "target_posts")), c.description = text_trim(r->a, req_form(r, "description"));
    c.minutes = form_int(r, "minutes"), c.capacity = form_int(r, "capacity"), c.cost = form_int(r, "cost");
    c.mandatory = req_form(r, "mandatory"), c.security = req_form(r, "security"), c.active = req_form(r, "active");
    c.eligibility = typed(r, "eligibility", ""), c.repeatable = req_form(r, "repeatable");
    c.skills = arena_alloc(r->a, sizeof *c.skills * SKILL_MAX);
    for (int k = 0; k < SKILL_MAX; k++) {
        const char *item = req_form(r, arena_printf(r->a, "skill_item_%d", k));
        int64_t v;
        if (!item) break;
        if (*item)
            c.skills[c.nskills++] = (CourseSkill){parse_int64(item, &v) ? v : -1, NULL, NULL, form_int(r, arena_printf(r->a, "skill_level_%d", k))};
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (course_save(r->db, &who, &c, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/courses/%lld?msg=saved", (long long)c.id));
        return;
    }
    c.id = id;
    course_page(r, w, r->nparams ? &stored : NULL, &c, &e);
    w->status = 422;
}

/* ---- the annual plan and its actuals ---- */

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
        html_printf(b, "<td class=\"num\">%s", num(r, v[k]));
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
    field_select(b, e, "course_id", "研修", co, n + 1, typed(r, "course_id", p->course_id ? arena_printf(r->a, "%lld", (long long)p->course_id) : ""),
                 F_REQUIRED, NULL);
    field_text(b, e, "sessions", "回数", typed_int(r, "sessions", p->sessions), F_NARROW, NULL);
    field_text(b, e, "seats", "定員（延べ人数）", typed_int(r, "seats", p->seats), F_NARROW, NULL);
    field_select(b, e, "month", "実施月", months, 13, typed_int(r, "month", p->month), 0, NULL);
    field_text(b, e, "budget", "予算（円）", typed_int(r, "budget", p->budget), F_NARROW, NULL);
    field_text(b, e, "note", "備考", typed(r, "note", p->note), 0, NULL);
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
    nendo_select(r, b, nendo);
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    toolbar_exports(b, "/plans", arena_printf(r->a, "&nendo=%d", nendo));
    html_printf(b, " <a class=\"btn\" href=\"/plans/demand?nendo=%d\">研修需要（%sの評価から）</a></div>\n", nendo - 1, page_nendo_name(r, nendo - 1));
    bool office = is_office(r);
    if (!n) html_raw(b, "<p class=\"empty\">この年度の計画はまだありません。</p>\n");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>計画と実績</caption><thead><tr>"
                    "<th scope=\"col\" rowspan=\"2\">月</th><th scope=\"col\" rowspan=\"2\">コード</th><th scope=\"col\" rowspan=\"2\">研修名</th>"
                    "<th scope=\"col\" rowspan=\"2\">実施主体</th><th scope=\"colgroup\" colspan=\"3\">計画</th><th scope=\"colgroup\" colspan=\"6\">実績</th>"
                    "<th scope=\"col\" rowspan=\"2\">達成率</th><th scope=\"col\" rowspan=\"2\">備考</th>");
        if (office) html_raw(b, "<th scope=\"col\" rowspan=\"2\">操作</th>");
        static const char *const sub[] = {"回数", "定員", "予算（円）", "開催", "受講決定", "修了", "実績（円）", "見込み（円）", "差額（円）", NULL};
        html_raw(b, "</tr><tr>");
        th_row(b, sub);
        html_raw(b, "</tr></thead><tbody>\n");
        for (int i = 0; i < n; i++) {
            const PlanRow *p = &ps[i];
            html_printf(b, "<tr><td>%s</td><td>%s</td><td><a href=\"/courses/%lld\">%s</a></td>", month_text(r, p->month), p->course_code,
                        (long long)p->course_id, p->course_title);
            provider_cell(b, p->provider);
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
    p.sessions = form_int(r, "sessions"), p.seats = form_int(r, "seats"), p.month = form_int(r, "month"), p.budget = form_int(r, "budget");
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

/* ---- next 年度's demand ---- */

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
    nendo_select(r, b, q.nendo);
    char today[11];
    date_iso(date_today(), today);
    field_unit(r, b, NULL, "unit_id", "所属（配下を含む）", today, q.unit > 0 ? arena_printf(r->a, "%lld", (long long)q.unit) : "", 0, "すべて");
    field_select(b, NULL, "tier", "人材区分", tier_opts, 4, q.tier ? arena_printf(r->a, "%d", q.tier) : "", 0, NULL);
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    const char *qs = arena_printf(r->a, "&nendo=%d&unit_id=%lld&tier=%d", q.nendo, (long long)q.unit, q.tier);
    toolbar_exports(b, "/plans/demand", qs);
    html_printf(b, " <a class=\"btn\" href=\"/plans?nendo=%d\">%sの計画</a></div>\n", q.nendo + 1, next);
    if (!n) {
        html_raw(b, "<p class=\"empty\">研修の需要はありません（目標に届いていない項目を扱う有効な研修がないか、評価がまだありません）。</p>\n");
        page_end(r, w);
        return;
    }
    static const char *const heads[] = {"コード", "研修名", "実施主体", "対象人数", "定員（1回）", "必要回数", NULL};
    table_open(b, "研修ごとの需要", heads);
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td>%s</td><td><a href=\"/courses/%lld\">%s</a></td>", ds[i].code, (long long)ds[i].course_id, ds[i].title);
        provider_cell(b, ds[i].provider);
        html_printf(b, "<td class=\"num\">%d人</td><td class=\"num\">%s</td><td class=\"num\">%d回</td></tr>\n", ds[i].people,
                    capacity_text(r, ds[i].capacity), ds[i].sessions_needed);
    }
    table_close(b);
    if (is_office(r)) {
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
