/* page_course.c - the training catalogue (研修カタログ), a course's page and
 * its form. The annual plan is page_plan.c, next 年度's demand page_demand.c.
 *
 * Everyone reads the catalogue; the office (研修の事務局: 総務課 and
 * 政策企画課, that is 人事, DX推進 and 管理者) edits it. */
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
#include "page_course_kit.h"
#include "pages.h"

#define SKILL_ROWS 6  /* empty skill rows offered by the course form */
#define SKILL_MAX 32  /* skill rows read back from a posted form */

static const Option level_opts[] = {{"", "－"}, {"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}};

static const char *dash_or(Req *r, int v, const char *unit) { return v ? arena_printf(r->a, "%s%s", kit_num(r, v), unit) : "－"; }
/* A course cost of 0 is not known yet. */
static const char *cost_text(Req *r, int v) { return v ? arena_printf(r->a, "%s円", kit_num(r, v)) : "未定"; }

/* target_tiers bits (1 << tier) as "①②③" */
static const char *tiers_text(unsigned bits)
{
    static const char *const t[8] = {"－", "①", "②", "①②", "③", "①③", "②③", "①②③"};
    return t[(bits >> 1) & 7];
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

static bool typed_check(Req *r, const char *name, bool stored) { return req_is_post(r) ? req_form(r, name) != NULL : stored; }

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
    kit_provider_cell(b, c->provider);
    html_printf(b, "<td>%s</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td><td>", format_name(c->format),
                tiers_text(c->target_tiers), dash_or(r, c->minutes, "分"), kit_capacity_text(r, c->capacity), cost_text(r, c->cost), c->mandatory ? "必須" : "");
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
    field_select(b, NULL, "tier", "対象区分", kit_tier_opts, 4, tier ? tier_s : "", 0, NULL);
    field_checkbox(b, "retired", "廃止した研修も表示", retired);
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    kit_toolbar_exports(b, "/courses", arena_printf(r->a, "&provider=%s&type=%s&tier=%d&retired=%d", provider, type, tier, retired));
    if (page_is_office(r)) html_raw(b, " <a class=\"btn primary\" href=\"/courses/new\">研修を追加</a>");
    html_raw(b, "</div>\n");
    html_printf(b, "<p role=\"status\">%d件の研修があります。</p>\n", n);
    if (!n) {
        html_raw(b, nall ? "<p class=\"empty\">条件に合う研修はありません。条件を変えてください。</p>\n"
                         : "<p class=\"empty\">研修はまだ登録されていません。</p>\n");
        page_end(r, w);
        return;
    }
    static const char *const heads[] = {"コード", "研修名", "実施主体", "形式", "対象", "時間", "定員", "費用（1人）", "必須", "関連スキル:レベル", NULL};
    kit_table_open(b, "研修カタログ", heads);
    for (int i = 0; i < n; i++) course_html_row(r, b, &cs[i]);
    kit_table_close(b);
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
    prop(b, "定員（1回）", kit_capacity_text(r, c->capacity));
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
        kit_table_open(b, NULL, heads);
        for (int i = 0; i < c->nskills; i++)
            html_printf(b, "<tr><td>%s</td><td>%s</td><td>%d %s</td></tr>", c->skills[i].item_code, c->skills[i].item_name, c->skills[i].level,
                        skill_scale_name(m, c->skills[i].level));
        kit_table_close(b);
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
    if (page_is_office(r)) html_printf(b, "<p><a class=\"btn\" href=\"/sessions/new?course_id=%lld\">日程を追加</a></p>", (long long)course_id);
    if (!n) {
        html_raw(b, "<p class=\"empty\">予定されている日程はありません。</p></section>\n");
        return;
    }
    static const char *const heads[] = {"日時", "場所・URL", "定員", "受講決定", "キャンセル待ち", "状態", NULL};
    kit_table_open(b, NULL, heads);
    for (int i = 0; i < n; i++) {
        const Session *s = &ss[i];
        html_printf(b, "<tr><td><a href=\"/sessions/%lld\">", (long long)s->id);
        html_date(b, arena_printf(r->a, "%.10s", s->starts_at));
        html_printf(b, " %s</a></td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td>%s</td></tr>",
                    strlen(s->starts_at) > 11 ? s->starts_at + 11 : "", str_empty(s->place) ? s->url : s->place,
                    kit_capacity_text(r, s->capacity), s->accepted, s->waitlisted, s->cancelled ? "中止" : "予定");
    }
    kit_table_close(b);
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
                   kit_typed(r, iname, s ? arena_printf(r->a, "%lld", (long long)s->item_id) : ""));
        html_raw(b, "</td><td>");
        select_raw(b, lname, arena_printf(r->a, "関連スキル%dのレベル", k + 1), level_opts, 5, kit_typed(r, lname, s ? arena_printf(r->a, "%d", s->level) : ""));
        html_raw(b, "</td></tr>");
    }
    html_raw(b, "</tbody></table></fieldset>\n");
}

static void course_form(Req *r, Buf *b, const Course *c, const SkillMap *m, const Errors *e)
{
    const char *action = c->id ? arena_printf(r->a, "/courses/%lld", (long long)c->id) : "/courses/new";
    form_begin(r, b, action, "stack");
    field_text(b, e, "code", "コード", kit_typed(r, "code", c->code), F_REQUIRED | F_NARROW, "半角英数字・ハイフン・下線。例：SEC-01");
    field_text(b, e, "title", "研修名", kit_typed(r, "title", c->title), F_REQUIRED, NULL);
    field_select(b, e, "provider", "実施主体", code_opts(r, course_providers, 9, "選んでください"), 10, kit_typed(r, "provider", c->provider), F_REQUIRED,
                 "総務課・政策企画課は庁内研修、そのほかは外部研修です");
    field_select(b, e, "format", "形式", code_opts(r, course_formats, 5, "選んでください"), 6, kit_typed(r, "format", c->format), F_REQUIRED, NULL);
    tier_boxes(r, b, c->target_tiers, e);
    field_text(b, e, "target_posts", "対象職位", kit_typed(r, "target_posts", c->target_posts), 0, "例：係長級、情報部門、新規採用職員");
    field_text(b, e, "minutes", "時間（分）", kit_typed_int(r, "minutes", c->minutes), F_NARROW, "複数日の研修は合計の分数。0は未定");
    field_text(b, e, "capacity", "定員（1回）", kit_typed_int(r, "capacity", c->capacity), F_NARROW, "0は制限なし");
    field_text(b, e, "cost", "費用（円・1人）", kit_typed_int(r, "cost", c->cost), F_NARROW, "0は未定（日程ごとの費用はその日程で入力します）");
    field_select(b, e, "eligibility", "対象外の職員の申込", code_opts(r, course_eligibilities, 3, "選んでください"), 4,
                 kit_typed(r, "eligibility", c->eligibility ? c->eligibility : "none"), F_REQUIRED, "対象は上の人材区分と対象職位で判断します");
    field_checkbox(b, "repeatable", "修了後も再び申し込める（毎年受ける研修など）", typed_check(r, "repeatable", c->repeatable));
    field_checkbox(b, "mandatory", "必須研修", typed_check(r, "mandatory", c->mandatory));
    field_checkbox(b, "security", "情報セキュリティ研修（受講率に数える）", typed_check(r, "security", c->security));
    field_checkbox(b, "active", "有効（カタログに載せる）", typed_check(r, "active", c->active));
    field_textarea(b, e, "description", "説明", kit_typed(r, "description", c->description), 0, NULL);
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
    course_page(r, w, &c, page_is_office(r) ? &c : NULL, NULL);
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
    c.provider = kit_typed(r, "provider", ""), c.format = kit_typed(r, "format", ""), c.target_tiers = form_tiers(r);
    c.target_posts = text_trim(r->a, req_form(r, "target_posts")), c.description = text_trim(r->a, req_form(r, "description"));
    c.minutes = kit_form_int(r, "minutes"), c.capacity = kit_form_int(r, "capacity"), c.cost = kit_form_int(r, "cost");
    c.mandatory = req_form(r, "mandatory"), c.security = req_form(r, "security"), c.active = req_form(r, "active");
    c.eligibility = kit_typed(r, "eligibility", ""), c.repeatable = req_form(r, "repeatable");
    c.skills = arena_alloc(r->a, sizeof *c.skills * SKILL_MAX);
    for (int k = 0; k < SKILL_MAX; k++) {
        const char *item = req_form(r, arena_printf(r->a, "skill_item_%d", k));
        int64_t v;
        if (!item) break;
        if (*item)
            c.skills[c.nskills++] = (CourseSkill){parse_int64(item, &v) ? v : -1, NULL, NULL, kit_form_int(r, arena_printf(r->a, "skill_level_%d", k))};
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
