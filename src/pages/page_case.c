/* page_case.c - the case library (事例集): search and filters with the
 * cases recommended for one's own skill gaps, a case with its rendered body
 * (CommonMark, raw HTML dropped), effects, tags, attachments and source
 * link, and for the 事務局 (人事, DX推進, 管理者) the form, publishing,
 * deleting, attachments and publishing a 職場還元 record as a case. */
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/audit.h"
#include "../core/util.h"
#include "../domain/cases.h"
#include "../domain/project.h"
#include "../domain/module.h"
#include "../domain/skill.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"


/* CMARK_OPT_DEFAULT without CMARK_OPT_UNSAFE: raw HTML and javascript:
 * links are dropped by cmark itself (as on e-learning pages). */
static void render_markdown(Buf *b, const char *md)
{
    char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT);
    if (html) buf_puts(b, html);
    free(html);
}

/* 1234567 -> "1,234,567" (arena). */
static const char *grouped(Req *r, long long v)
{
    char digits[32], out[48];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v), k = 0;
    if (v < 0) out[k++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    return arena_strdup(r->a, out);
}

static void effects_html(Req *r, Buf *b, const Case *c)
{
    if (!c->has_hours && !c->has_cost && !c->has_users) return;
    html_raw(b, "<ul class=\"case-effects\">");
    if (c->has_hours) {
        double h = c->hours_saved;
        if (h == (double)(long long)h) html_printf(b, "<li>削減時間 年%s時間</li>", grouped(r, (long long)h));
        else html_printf(b, "<li>削減時間 年%.1f時間</li>", h);
    }
    if (c->has_cost) html_printf(b, "<li>費用 %s円</li>", grouped(r, (long long)c->cost));
    if (c->has_users) html_printf(b, "<li>利用者 %s人</li>", grouped(r, (long long)c->users));
    html_raw(b, "</ul>");
}

static void case_item(Req *r, Buf *b, const Case *c)
{
    html_printf(b, "<article class=\"case\"><h3><span class=\"badge\">%s</span> <a href=\"/cases/%lld\">%s</a>", case_kind_label(c->kind),
                (long long)c->id, c->title);
    if (!c->published) html_raw(b, " <span class=\"badge\">下書き</span>");
    html_raw(b, "</h3>\n");
    html_printf(b, "<p class=\"muted\">%s%s%s</p>\n", page_nendo_name(r, c->nendo), *c->source ? "・" : "", c->source);
    if (*c->summary) html_printf(b, "<p>%s</p>\n", c->summary);
    effects_html(r, b, c);
    html_raw(b, "</article>\n");
}

static void flash(Req *r, Resp *w)
{
    const char *msg = req_query(r, "msg");
    if (str_eq(msg, "published")) html_raw(&w->body, "<div class=\"flash ok\" role=\"status\">公開しました。職員が閲覧・検索できます。</div>\n");
    else if (str_eq(msg, "unpublished")) html_raw(&w->body, "<div class=\"flash ok\" role=\"status\">公開を取り下げました（下書きに戻しました）。</div>\n");
    else if (str_eq(msg, "attached")) html_raw(&w->body, "<div class=\"flash ok\" role=\"status\">ファイルを添付しました。</div>\n");
    /* the common messages ("saved", "deleted") are shown by page_begin */
}

/* ---- /cases ---- */

static const Option KIND_OPTS[] = {{"", "すべての種類"},
                                   {"advanced", "先進地事例"},
                                   {"other", "他団体優良事例"},
                                   {"internal", "庁内事例"},
                                   {"shareback", "職場還元"}};

static void skill_select(Req *r, Buf *b, const char *name, const char *label, const int64_t *chosen, int nchosen, bool multiple)
{
    SkillMap m;
    skill_map_load(r->db, r->a, r->nendo, false, &m);
    html_printf(b, "<div class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"", name, label, name, name);
    html_raw(b, multiple ? " multiple size=\"8\">" : ">");
    if (!multiple) html_raw(b, "<option value=\"\">すべてのスキル</option>");
    for (int i = 0; i < m.nitems; i++) {
        bool on = false;
        for (int k = 0; k < nchosen; k++) on = on || chosen[k] == m.items[i].id;
        html_printf(b, "<option value=\"%lld\"%s>%s %s</option>", (long long)m.items[i].id, on ? " selected" : "", m.items[i].code, m.items[i].name);
    }
    html_raw(b, "</select></div>");
}

/* The DX projects a case is about: one checkbox each. */
static void project_checks(Req *r, Buf *b, const int64_t *chosen, int nchosen)
{
    Project *ps;
    int n = project_list(r->db, r->a, &(ProjectFilter){0}, r->nendo, &ps);
    if (!n) return;
    html_raw(b, "<fieldset class=\"checks\"><legend>関係するDXプロジェクト</legend>");
    for (int i = 0; i < n; i++) {
        bool on = false;
        for (int k = 0; k < nchosen; k++) on = on || chosen[k] == ps[i].id;
        html_printf(b, "<label class=\"choice\"><input type=\"checkbox\" name=\"project\" value=\"%lld\"%s> %s</label>", (long long)ps[i].id, on ? " checked" : "",
                    ps[i].name);
    }
    html_raw(b, "</fieldset>");
}

/* A query parameter value percent-encoded (arena). */
static const char *qenc(Req *r, const char *s)
{
    Buf o = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
            buf_putc(&o, (char)*p);
        else buf_printf(&o, "%%%02X", *p);
    }
    const char *out = arena_strdup(r->a, buf_cstr(&o));
    buf_free(&o);
    return out;
}

static int64_t query_id(Req *r, const char *name)
{
    int64_t v = 0;
    const char *s = req_query(r, name);
    return s && parse_int64(s, &v) && v > 0 ? v : 0;
}

void page_cases(Req *r, Resp *w)
{
    bool office = page_is_office(r);
    const char *q = req_query(r, "q"), *nendo_s = req_query(r, "nendo");
    int nendo = 0;
    if (!str_empty(nendo_s) && !nendo_parse_loose(nendo_s, &nendo)) nendo = 0;
    CaseFilter f = {.q = q,
                    .kind = req_query(r, "kind"),
                    .nendo = nendo,
                    .skill_id = query_id(r, "skill"),
                    .staff_id = query_id(r, "staff"),
                    .project_id = query_id(r, "project"),
                    .published_only = !office,
                    .page = page_number(req_query(r, "page"))};
    bool filtered = !str_empty(q) || !str_empty(f.kind) || f.nendo || f.skill_id || f.staff_id || f.project_id;
    Crumb crumbs[] = {{"ホーム", "/"}, {"事例集", NULL}};
    page_begin(r, w, "事例集", "cases", crumbs, 2);
    flash(r, w);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">先進地・他団体の優良事例、庁内の取組、研修の職場還元をまとめています。</p>\n");
    if (office)
        html_raw(b, "<p class=\"actions\"><a class=\"btn primary\" href=\"/cases/new\">事例を登録</a></p>\n");

    html_raw(b, "<form method=\"get\" action=\"/cases\" class=\"toolbar\" role=\"search\">");
    field_text(b, NULL, "q", "キーワード", q ? q : "", 0, "題名・概要・本文・自治体名から探します（全角・半角、カタカナ・ひらがなは区別しません）");
    field_select(b, NULL, "kind", "種類", KIND_OPTS, (int)COUNTOF(KIND_OPTS), f.kind ? f.kind : "", 0, NULL);
    field_text(b, NULL, "nendo", "年度", nendo_s ? nendo_s : "", F_NARROW, "例：2026、令和8年度");
    skill_select(r, b, "skill", "スキル", &f.skill_id, 1, false);
    if (f.staff_id) html_printf(b, "<input type=\"hidden\" name=\"staff\" value=\"%lld\">", (long long)f.staff_id);
    if (f.project_id) html_printf(b, "<input type=\"hidden\" name=\"project\" value=\"%lld\">", (long long)f.project_id);
    html_raw(b, "<button type=\"submit\" class=\"btn\">検索</button></form>\n");

    if (r->user->staff_id && !filtered && f.page == 1) {
        Case *rec;
        int nr = case_recommend(r->db, r->a, r->user->staff_id, r->nendo, 5, &rec);
        if (nr > 0) {
            html_raw(b, "<section class=\"panel\" id=\"recommended\"><h2>あなたにおすすめの事例</h2>\n"
                        "<p class=\"muted\">自己評価が目標に届いていないスキルに関係する事例です。</p>\n");
            for (int i = 0; i < nr; i++) case_item(r, b, &rec[i]);
            html_raw(b, "</section>\n");
        }
    }

    Case *cs;
    int total = 0, n = case_search(r->db, r->a, &f, &cs, &total);
    html_raw(b, "<section id=\"results\">");
    if (!total) {
        html_raw(b, filtered ? "<p class=\"empty\">条件に合う事例はありません。キーワードを短くするか、条件を外してお試しください。</p>\n"
                             : "<p class=\"empty\">まだ事例が登録されていません。</p>\n");
    } else {
        html_printf(b, "<h2>%d件の事例</h2>\n", total);
        for (int i = 0; i < n; i++) case_item(r, b, &cs[i]);
        int pages = (total + CASE_PAGE_SIZE - 1) / CASE_PAGE_SIZE;
        if (pages > 1) {
            Buf base = BUF_INIT; /* a URL; html_printf escapes it */
            buf_printf(&base, "/cases?q=%s&kind=%s&nendo=%s&skill=%lld&staff=%lld&project=%lld", qenc(r, q), qenc(r, f.kind), qenc(r, nendo_s),
                       (long long)f.skill_id, (long long)f.staff_id, (long long)f.project_id);
            html_raw(b, "<nav class=\"pager\" aria-label=\"ページ\">");
            if (f.page > 1) html_printf(b, "<a href=\"%s&page=%d\">前の%d件</a> ", buf_cstr(&base), f.page - 1, CASE_PAGE_SIZE);
            html_printf(b, "<span>%d / %d ページ</span>", f.page, pages);
            if (f.page < pages) html_printf(b, " <a href=\"%s&page=%d\">次の%d件</a>", buf_cstr(&base), f.page + 1, CASE_PAGE_SIZE);
            html_raw(b, "</nav>\n");
            buf_free(&base);
        }
    }
    html_raw(b, "</section>\n");

    if (office) {
        CaseShareBack *sb;
        int ns = case_shareback_candidates(r->db, r->a, 10, &sb);
        html_raw(b, "<section class=\"panel\" id=\"shareback\"><h2>職場還元の記録から事例にする</h2>\n");
        if (!ns) html_raw(b, "<p class=\"empty\">事例にしていない職場還元の記録はありません。</p>\n");
        else {
            html_raw(b, "<ul>");
            for (int i = 0; i < ns; i++)
                html_printf(b, "<li>%s %s「%s」%s <a class=\"btn\" href=\"/cases/new?shareback=%lld\">事例にする</a></li>\n", page_wareki(r, sb[i].held_on),
                            sb[i].staff_name, sb[i].content, *sb[i].course_title ? arena_printf(r->a, "（%s）", sb[i].course_title) : "",
                            (long long)sb[i].id);
            html_raw(b, "</ul>");
        }
        html_raw(b, "</section>\n");
    }
    page_end(r, w);
}

/* ---- /cases/{id} ---- */

static bool load_case(Req *r, Resp *w, Case *c)
{
    if (!case_get(r->db, r->a, req_param_id(r, 0), !page_is_office(r), c)) {
        resp_error(r, w, 404, "その事例は見つかりません。");
        return false;
    }
    return true;
}

void page_case_show(Req *r, Resp *w)
{
    Case c;
    if (!load_case(r, w, &c)) return;
    if (r->user->staff_id && c.published) {
        Actor who;
        page_actor(r, &who);
        if (case_view(r->db, &who, c.id, r->user->staff_id) == 0) c.views++; /* this view included */
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"事例集", "/cases"}, {c.title, NULL}};
    page_begin(r, w, c.title, "cases", crumbs, 3);
    flash(r, w);
    Buf *b = &w->body;
    html_printf(b, "<p><span class=\"badge\">%s</span>", case_kind_label(c.kind));
    if (!c.published) html_raw(b, " <span class=\"badge\">下書き</span>");
    html_printf(b, " %s%s%s", page_nendo_name(r, c.nendo), *c.source ? "・" : "", c.source);
    if (c.unit_name) html_printf(b, "（%s）", c.unit_name);
    html_raw(b, "</p>\n");
    if (*c.summary) html_printf(b, "<p class=\"lead\">%s</p>\n", c.summary);
    effects_html(r, b, &c);
    html_raw(b, "<article class=\"module-page case-body\">\n");
    render_markdown(b, c.body);
    html_raw(b, "</article>\n");
    if (*c.source_url)
        html_printf(b, "<p>出典：<a href=\"%s\" rel=\"noopener noreferrer\" target=\"_blank\">%s</a></p>\n", c.source_url, c.source_url);
    if (c.ntags) {
        html_raw(b, "<h2>タグ</h2>\n<ul class=\"case-tags\">");
        for (int i = 0; i < c.ntags; i++) {
            const CaseTag *t = &c.tags[i];
            if (str_eq(t->kind, "skill")) html_printf(b, "<li><a href=\"/cases?skill=%lld\">スキル：%s</a></li>", (long long)t->ref_id, t->label);
            else if (str_eq(t->kind, "staff")) html_printf(b, "<li><a href=\"/cases?staff=%lld\">関係職員：%s</a></li>", (long long)t->ref_id, t->label);
            else html_printf(b, "<li><a href=\"/cases?project=%lld\">DXプロジェクト：%s</a></li>", (long long)t->ref_id, t->label);
        }
        html_raw(b, "</ul>\n");
    }
    if (c.nfiles) {
        html_raw(b, "<h2>添付ファイル</h2>\n<ul class=\"case-files\">");
        for (int i = 0; i < c.nfiles; i++) {
            const CaseFile *f = &c.files[i];
            if (strncmp(f->content_type, "image/", 6) == 0)
                html_printf(b, "<li><a href=\"/media/%lld\"><img src=\"/media/%lld\" alt=\"%s\" width=\"240\"></a></li>", (long long)f->media_id,
                            (long long)f->media_id, f->name);
            else html_printf(b, "<li><a href=\"/media/%lld\">%s</a></li>", (long long)f->media_id, f->name);
        }
        html_raw(b, "</ul>\n");
    }
    html_printf(b, "<p class=\"muted\">閲覧 %d回</p>\n", c.views);
    if (page_is_office(r)) {
        html_raw(b, "<section class=\"panel\"><h2>事務局の操作</h2><div class=\"actions\">");
        html_printf(b, "<a class=\"btn\" href=\"/cases/%lld/edit\">編集</a>", (long long)c.id);
        form_begin(r, b, arena_printf(r->a, "/cases/%lld/%s", (long long)c.id, c.published ? "unpublish" : "publish"), "inline");
        html_printf(b, "<button type=\"submit\" class=\"btn%s\">%s</button>", c.published ? "" : " primary", c.published ? "公開を取り下げる" : "公開する");
        form_end(b);
        form_begin(r, b, arena_printf(r->a, "/cases/%lld/delete", (long long)c.id), "inline");
        html_raw(b, "<button type=\"submit\" class=\"btn\" data-confirm=\"この事例を削除します。よろしいですか？\">削除</button>");
        form_end(b);
        html_raw(b, "</div>\n");
        if (c.shareback_id) {
            int64_t sid = db_int(r->db, 0, "SELECT staff_id FROM share_back WHERE id = ?", c.shareback_id);
            html_printf(b, "<p>もとになった<a href=\"/staff/%lld/training#shareback\">職場還元の記録</a>から登録した事例です。</p>\n", (long long)sid);
        }
        html_printf(b, "<form method=\"post\" action=\"/cases/%lld/attachments\" enctype=\"multipart/form-data\" class=\"stack\">"
                       "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                       "<div class=\"field\"><label for=\"f-file\">添付ファイル（PDF・画像、50MBまで）</label>"
                       "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\".pdf,.png,.jpg,.jpeg,.gif,.webp\"></div>"
                       "<button type=\"submit\" class=\"btn\">添付する</button></form>\n",
                    (long long)c.id, r->user->csrf);
        html_raw(b, "</section>\n");
    }
    page_end(r, w);
}

/* ---- the form ---- */

static int64_t *form_ids(Req *r, const char *name, int *n)
{
    int64_t *ids = arena_alloc(r->a, sizeof *ids * (r->form.n + 1));
    *n = 0;
    for (size_t i = 0; i < r->form.n; i++) {
        int64_t v;
        if (str_eq(r->form.items[i].name, name) && parse_int64(r->form.items[i].value, &v) && v > 0 && *n < CASE_MAX_TAGS / 2) ids[(*n)++] = v;
    }
    return ids;
}

static void read_form(Req *r, CaseInput *in)
{
    memset(in, 0, sizeof *in);
    in->kind = req_form(r, "kind");
    in->title = text_trim(r->a, req_form(r, "title"));
    in->source = text_trim(r->a, req_form(r, "source"));
    in->nendo = text_trim(r->a, req_form(r, "nendo"));
    in->summary = req_form(r, "summary");
    in->body = req_form(r, "body");
    in->hours = text_trim(r->a, req_form(r, "hours"));
    in->cost = text_trim(r->a, req_form(r, "cost"));
    in->users = text_trim(r->a, req_form(r, "users"));
    in->source_url = text_trim(r->a, req_form(r, "source_url"));
    in->staff_nos = req_form(r, "staff_nos");
    int64_t v;
    in->unit_id = parse_int64(req_form(r, "unit_id"), &v) && v > 0 ? v : 0;
    in->shareback_id = parse_int64(req_form(r, "shareback_id"), &v) && v > 0 ? v : 0;
    in->skills = form_ids(r, "skill", &in->nskills);
    in->projects = form_ids(r, "project", &in->nprojects);
}

/* The input of an existing case, as the form shows it. */
static void input_of(Req *r, const Case *c, CaseInput *in)
{
    memset(in, 0, sizeof *in);
    in->id = c->id;
    in->kind = c->kind;
    in->title = c->title;
    in->source = c->source;
    in->nendo = arena_printf(r->a, "%d", c->nendo);
    in->summary = c->summary;
    in->body = c->body;
    in->hours = c->has_hours ? arena_printf(r->a, "%g", c->hours_saved) : "";
    in->cost = c->has_cost ? arena_printf(r->a, "%lld", (long long)c->cost) : "";
    in->users = c->has_users ? arena_printf(r->a, "%lld", (long long)c->users) : "";
    in->source_url = c->source_url;
    in->unit_id = c->unit_id;
    in->shareback_id = c->shareback_id;
    int64_t *skills = arena_alloc(r->a, sizeof *skills * (size_t)(c->ntags + 1)), *projects = arena_alloc(r->a, sizeof *projects * (size_t)(c->ntags + 1));
    Buf nos = BUF_INIT;
    for (int i = 0; i < c->ntags; i++) {
        if (str_eq(c->tags[i].kind, "skill")) skills[in->nskills++] = c->tags[i].ref_id;
        else if (str_eq(c->tags[i].kind, "project")) projects[in->nprojects++] = c->tags[i].ref_id;
        else {
            char *no = db_text(r->db, r->a, "SELECT staff_no FROM staff WHERE id = ?", c->tags[i].ref_id);
            if (no) buf_printf(&nos, "%s%s", nos.len ? ", " : "", no);
        }
    }
    in->skills = skills;
    in->projects = projects;
    in->staff_nos = arena_strdup(r->a, buf_cstr(&nos));
    buf_free(&nos);
}

static void render_form(Req *r, Resp *w, const CaseInput *in, const Errors *e)
{
    bool edit = in->id > 0;
    const char *title = edit ? "事例の編集" : "事例の登録";
    Crumb crumbs[] = {{"ホーム", "/"}, {"事例集", "/cases"}, {title, NULL}};
    page_begin(r, w, title, "cases", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    if (in->shareback_id && !edit) html_raw(b, "<p class=\"lead\">職場還元の記録から作成します。内容を確かめて保存し、公開してください。</p>\n");
    html_raw(b, "<p class=\"hint\">保存した事例は下書きです。事例のページで「公開する」を押すと職員に表示されます。</p>\n");
    form_begin(r, b, edit ? arena_printf(r->a, "/cases/%lld/edit", (long long)in->id) : "/cases/new", "stack");
    if (in->shareback_id) html_printf(b, "<input type=\"hidden\" name=\"shareback_id\" value=\"%lld\">", (long long)in->shareback_id);
    field_select(b, e, "kind", "種類", KIND_OPTS + 1, (int)COUNTOF(KIND_OPTS) - 1, in->kind ? in->kind : "", F_REQUIRED, NULL);
    field_text(b, e, "title", "題名", in->title ? in->title : "", F_REQUIRED, NULL);
    field_text(b, e, "source", "自治体名・出典", in->source ? in->source : "", 0, "例：県内A市、人口3万人規模の町、庁内の課・係の名前");
    field_text(b, e, "nendo", "年度", in->nendo ? in->nendo : "", F_REQUIRED | F_NARROW, "例：2026、令和8年度");
    field_unit(r, b, e, "unit_id", "担当の係・課（庁内事例・職場還元）", page_today(r), in->unit_id ? arena_printf(r->a, "%lld", (long long)in->unit_id) : "", 0,
               "（指定しない）");
    field_textarea(b, e, "summary", "概要", in->summary ? in->summary : "", 0, "一覧に表示されます（2,000文字まで）");
    field_textarea(b, e, "body", "本文（CommonMark）", in->body ? in->body : "", 0, "見出しは ## 、箇条書きは - で書けます。HTMLは表示されません。");
    html_raw(b, "<fieldset><legend>効果（分かるものだけ）</legend>");
    field_text(b, e, "hours", "削減時間（年間・時間）", in->hours ? in->hours : "", F_NARROW, NULL);
    field_text(b, e, "cost", "費用（円）", in->cost ? in->cost : "", F_NARROW, NULL);
    field_text(b, e, "users", "利用者数（人）", in->users ? in->users : "", F_NARROW, NULL);
    html_raw(b, "</fieldset>");
    field_text(b, e, "source_url", "出典のURL", in->source_url ? in->source_url : "", 0, "http:// または https:// で始まるアドレス");
    skill_select(r, b, "skill", "関係するスキル（複数選択できます）", in->skills, in->nskills, true);
    field_text(b, e, "staff_nos", "関係職員の職員番号", in->staff_nos ? in->staff_nos : "", 0, "カンマ区切りで複数入力できます");
    project_checks(r, b, in->projects, in->nprojects);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button></div>");
    form_end(b);
    page_end(r, w);
}

void page_case_new(Req *r, Resp *w)
{
    CaseInput in = {0};
    int64_t sb = query_id(r, "shareback");
    if (sb && !case_from_shareback(r->db, r->a, sb, &in)) {
        resp_error(r, w, 404, "その職場還元の記録は見つかりません。");
        return;
    }
    if (!sb) in.nendo = arena_printf(r->a, "%d", r->nendo);
    render_form(r, w, &in, NULL);
}

void page_case_edit(Req *r, Resp *w)
{
    Case c;
    if (!load_case(r, w, &c)) return;
    CaseInput in;
    input_of(r, &c, &in);
    render_form(r, w, &in, NULL);
}

void page_case_save(Req *r, Resp *w)
{
    CaseInput in;
    read_form(r, &in);
    in.id = req_param_id(r, 0); /* 0 on /cases/new */
    if (in.id && !case_get(r->db, r->a, in.id, false, &(Case){0})) {
        resp_error(r, w, 404, "その事例は見つかりません。");
        return;
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t id = case_save(r->db, &who, &in, &e);
    if (id > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/cases/%lld?msg=saved", (long long)id));
        return;
    }
    render_form(r, w, &in, &e);
    w->status = 422;
}

static void set_published(Req *r, Resp *w, bool on)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t id = req_param_id(r, 0);
    if (case_set_published(r->db, &who, id, on, &e) != 0) {
        resp_error(r, w, 404, e.n ? e.items[0].msg : "その事例は見つかりません。");
        return;
    }
    resp_redirect(r, w, arena_printf(r->a, "/cases/%lld?msg=%s", (long long)id, on ? "published" : "unpublished"));
}

void page_case_publish(Req *r, Resp *w) { set_published(r, w, true); }
void page_case_unpublish(Req *r, Resp *w) { set_published(r, w, false); }

void page_case_delete(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (case_delete(r->db, &who, req_param_id(r, 0), &e) != 0) {
        resp_error(r, w, 404, e.n ? e.items[0].msg : "その事例は見つかりません。");
        return;
    }
    resp_redirect(r, w, "/cases?msg=deleted");
}

void page_case_attach(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    if (!case_get(r->db, r->a, id, false, &(Case){0})) {
        resp_error(r, w, 404, "その事例は見つかりません。");
        return;
    }
    const Upload *f = NULL;
    for (size_t i = 0; i < r->files.n; i++)
        if (str_eq(r->files.items[i].field, "file") && r->files.items[i].len) f = &r->files.items[i];
    const char *type = f ? media_type_of(f->filename) : NULL;
    Errors e = {0};
    if (f && type && strncmp(type, "image/", 6) != 0 && !str_eq(type, "application/pdf")) err_add(&e, "file", "添付できるのはPDFと画像（PNG・JPEG・GIF・WebP）です。");
    Actor who;
    page_actor(r, &who);
    int64_t media = err_any(&e) ? -1 : media_save(r->db, &who, f ? f->filename : "", type, f ? f->data : NULL, f ? f->len : 0, &e);
    if (media <= 0 || case_attach(r->db, &who, id, media, &e) != 0) {
        resp_error(r, w, 422, e.n ? e.items[0].msg : "添付できませんでした。");
        return;
    }
    resp_redirect(r, w, arena_printf(r->a, "/cases/%lld?msg=attached", (long long)id));
}
