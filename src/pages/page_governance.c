/* page_governance.c - the 推進体制: the chart of governance bodies in force on
 * a date (nested boxes, one A4 page in print), the meetings and their minutes
 * (CommonMark rendered by cmark with raw HTML dropped), and the editors of
 * bodies, members and meetings for 人事, DX推進 and 管理者. Everyone logged in
 * may read the chart and the minutes: the 推進体制 is the city's published
 * structure of duties. */
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/audit.h"
#include "../core/util.h"
#include "../domain/governance.h"
#include "../domain/module.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

enum { MAX_DEPTH = 8 };

static bool is_editor(Req *r) { return (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)) != 0; }

/* CommonMark to HTML as e-learning pages are rendered: CMARK_OPT_DEFAULT
 * without CMARK_OPT_UNSAFE, so raw HTML and javascript: links are dropped. */
static void render_markdown(Buf *b, const char *md)
{
    char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT);
    if (html) buf_puts(b, html);
    free(html);
}

static const char *id_str(Req *r, int64_t id) { return id ? arena_printf(r->a, "%lld", (long long)id) : ""; }

/* A unit and a post read as one title: 総務部 + 部長 is 「総務部長」, 総務課 +
 * 課長補佐 「総務課長補佐」, 政策企画課 + 主査 「政策企画課主査」. */
static const char *unit_post(Req *r, const char *unit, const char *post)
{
    size_t nu = strlen(unit);
    /* The unit's last character (部, 課, 係, 室 … all three bytes in UTF-8) starting the post is said once. */
    if (nu >= 3 && ((unsigned char)unit[nu - 3] & 0xF0) == 0xE0 && strlen(post) >= 3 && memcmp(unit + nu - 3, post, 3) == 0) post += 3;
    return arena_printf(r->a, "%s%s", unit, post);
}

/* "総務部長", "副市長", "山田 太郎（政策企画課）". */
static const char *member_label(Req *r, const GovMember *m)
{
    const char *post = *m->unit_name ? unit_post(r, m->unit_name, m->post) : m->post;
    if (*m->staff_name) return *post ? arena_printf(r->a, "%s（%s）", m->staff_name, post) : m->staff_name;
    return post;
}

/* ---- the chart ---- */

typedef struct Chart {
    Req *r;
    GovBody *bodies;
    int nb;
    GovMember *members;
    int nm;
    bool editor;
} Chart;

static bool in_chart(const Chart *c, int64_t id)
{
    for (int i = 0; i < c->nb; i++)
        if (c->bodies[i].id == id) return true;
    return false;
}

static void chart_body(Buf *b, const Chart *c, const GovBody *g, int depth)
{
    html_printf(b, "<section class=\"gov-body kind-%s\" aria-label=\"%s\">\n<header><h3>%s</h3> <span class=\"gov-kind\">%s</span>", g->kind,
                g->name, g->name, gov_kind_label(g->kind));
    if (c->editor) html_printf(b, " <a class=\"gov-edit\" href=\"/governance/%lld/edit\">編集</a>", (long long)g->id);
    html_raw(b, "</header>\n");
    if (*g->purpose) html_printf(b, "<p class=\"gov-purpose\">%s</p>\n", g->purpose);
    int shown = 0;
    for (int i = 0; i < c->nm; i++) {
        const GovMember *m = &c->members[i];
        if (m->body_id != g->id) continue;
        if (!shown++) html_raw(b, "<ul class=\"gov-members\">");
        html_printf(b, "<li><span class=\"gov-role\">%s</span> %s</li>", m->role, member_label(c->r, m));
    }
    if (shown) html_raw(b, "</ul>\n");
    int kids = 0;
    for (int i = 0; depth < MAX_DEPTH && i < c->nb; i++) {
        if (c->bodies[i].parent_id != g->id) continue;
        if (!kids++) html_raw(b, "<div class=\"gov-children\">\n");
        chart_body(b, c, &c->bodies[i], depth + 1);
    }
    if (kids) html_raw(b, "</div>\n");
    html_raw(b, "</section>\n");
}

void page_governance(Req *r, Resp *w)
{
    char *date = arena_alloc(r->a, 11);
    const char *q = req_query(r, "date");
    Date d;
    bool bad_date = q && *q && !date_parse_loose(q, &d);
    if (q && *q && !bad_date) date_iso(d, date);
    else now_date(date);
    Chart c = {.r = r, .editor = is_editor(r)};
    c.nb = gov_bodies(r->db, r->a, date, &c.bodies);
    c.nm = gov_members(r->db, r->a, 0, date, &c.members);
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進体制", NULL}};
    page_begin(r, w, "推進体制", "governance", crumbs, 2);
    Buf *b = &w->body;
    if (bad_date) html_printf(b, "<div class=\"flash error\" role=\"alert\">" DATE_UNREADABLE_FMT " 今日の体制を表示しています。</div>\n", q);
    html_raw(b, "<p class=\"lead\">");
    html_date(b, date);
    html_raw(b, " 時点のDX推進体制（会議体・役職と構成員）です。</p>\n<form class=\"filters\" method=\"get\" action=\"/governance\">");
    field_text(b, NULL, "date", "基準日", bad_date ? q : date, F_NARROW, "例：2026-04-01（過去の体制も確認できます）");
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    if (c.editor) html_raw(b, "<div class=\"toolbar\"><a class=\"btn primary\" href=\"/governance/new\">会議体・役職を追加</a></div>\n");
    html_raw(b, "<div class=\"gov-chart\">\n");
    int roots = 0;
    for (int i = 0; i < c.nb; i++) {
        if (c.bodies[i].parent_id && in_chart(&c, c.bodies[i].parent_id)) continue;
        roots++;
        chart_body(b, &c, &c.bodies[i], 0);
    }
    if (!roots) html_raw(b, "<p class=\"empty\">この日に置かれている会議体・役職はありません。</p>\n");
    html_raw(b, "</div>\n");
    GovMeeting *ms;
    int n = gov_meetings(r->db, r->a, 0, 50, &ms);
    html_raw(b, "<section class=\"gov-meetings\">\n<h2>会議の記録</h2>\n");
    if (!n) html_raw(b, "<p class=\"empty\">会議の記録はまだありません。</p>\n");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th>開催日</th><th>会議体</th><th>件名</th><th>添付</th></tr></thead><tbody>\n");
        for (int i = 0; i < n; i++) {
            html_raw(b, "<tr><td>");
            html_date(b, ms[i].held_on);
            html_printf(b, "</td><td>%s</td><td><a href=\"/governance/meetings/%lld\">%s</a></td><td>%d</td></tr>\n", ms[i].body_name,
                        (long long)ms[i].id, ms[i].title, ms[i].files);
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    html_raw(b, "</section>\n");
    page_end(r, w);
}

/* ---- bodies ---- */

static void body_form(Req *r, Buf *b, const GovBody *g, const Errors *e, const char *action)
{
    GovBody *all;
    int n = gov_bodies(r->db, r->a, NULL, &all);
    Option *parents = arena_alloc(r->a, sizeof *parents * (size_t)(n + 1));
    int np = 0;
    parents[np++] = (Option){"", "（なし：最上位）"};
    for (int i = 0; i < n; i++)
        if (!g || (all[i].id != g->id && !gov_would_loop(r->db, g->id, all[i].id))) parents[np++] = (Option){id_str(r, all[i].id), all[i].name};
    Option kinds[8];
    for (int i = 0; i < gov_nkinds; i++) kinds[i] = (Option){gov_kinds[i].code, gov_kinds[i].label};
    bool typed = e != NULL;
    form_begin(r, b, action, "stack");
    field_text(b, e, "name", "名称", typed ? req_form(r, "name") : g ? g->name : "", F_REQUIRED, "例：DX推進本部、CDO（最高デジタル責任者）");
    field_select(b, e, "kind", "種類", kinds, gov_nkinds, typed ? req_form(r, "kind") : g ? g->kind : "committee", F_REQUIRED, NULL);
    field_select(b, e, "parent_id", "上位の会議体", parents, np, typed ? req_form(r, "parent_id") : g ? id_str(r, g->parent_id) : "", 0,
                 "組織図ではこの会議体の中に表示します。");
    field_textarea(b, e, "purpose", "目的・所掌", typed ? req_form(r, "purpose") : g ? g->purpose : "", 0, NULL);
    field_text(b, e, "sort_order", "表示順", typed ? req_form(r, "sort_order") : g ? id_str(r, g->sort_order) : "", F_NARROW, "小さいほど先に表示します。");
    field_text(b, e, "from_date", "設置日", typed ? req_form(r, "from_date") : g ? g->from_date : page_today(r), F_REQUIRED | F_NARROW, NULL);
    field_text(b, e, "to_date", "廃止日（最終日）", typed ? req_form(r, "to_date") : g ? g->to_date : "", F_NARROW, "空欄は期限なし");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button></div>");
    form_end(b);
}

static GovBodyInput body_input(Req *r)
{
    return (GovBodyInput){req_form(r, "name"), req_form(r, "kind"), req_form(r, "parent_id"), req_form(r, "purpose"),
                          req_form(r, "sort_order"), form_date(r, "from_date"), form_date(r, "to_date")};
}

static void render_new(Req *r, Resp *w, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進体制", "/governance"}, {"会議体・役職の追加", NULL}};
    page_begin(r, w, "会議体・役職の追加", "governance", crumbs, 3);
    error_summary(&w->body, e);
    body_form(r, &w->body, NULL, e, "/governance/new");
    page_end(r, w);
}

void page_governance_new(Req *r, Resp *w) { render_new(r, w, NULL); }

void page_governance_create(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    GovBodyInput in = body_input(r);
    int64_t id = gov_body_save(r->db, &who, 0, &in, &e);
    if (id > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/governance/%lld/edit?msg=saved", (long long)id));
        return;
    }
    render_new(r, w, &e);
    w->status = 422;
}

static bool load_body(Req *r, Resp *w, int64_t id, GovBody *g)
{
    if (gov_body_get(r->db, r->a, id, g)) return true;
    resp_error(r, w, 404, "その会議体は見つかりません。");
    return false;
}

/* The editor of one body: its fields, its members (all terms), a new
 * member, its meetings and a new meeting. failed names the form that e
 * belongs to ("body", "member", "meeting", "delete"), which keeps its input. */
static void render_edit(Req *r, Resp *w, const GovBody *g, const Errors *e, const char *failed)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進体制", "/governance"}, {g->name, NULL}};
    page_begin(r, w, arena_printf(r->a, "%sの編集", g->name), "governance", crumbs, 3);
    Buf *b = &w->body;
    const Errors *eb = str_eq(failed, "body") ? e : NULL, *em = str_eq(failed, "member") ? e : NULL, *eg = str_eq(failed, "meeting") ? e : NULL;
    if (str_eq(failed, "delete")) error_summary(b, e);
    html_raw(b, "<h2>会議体・役職</h2>\n");
    error_summary(b, eb);
    body_form(r, b, g, eb, arena_printf(r->a, "/governance/%lld/edit", (long long)g->id));

    html_raw(b, "<h2 id=\"members\">構成員</h2>\n");
    GovMember *ms;
    int n = gov_members(r->db, r->a, g->id, NULL, &ms);
    if (!n) html_raw(b, "<p class=\"empty\">構成員はまだいません。</p>\n");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th>役割</th><th>構成員</th><th>任期</th><th>操作</th></tr></thead><tbody>\n");
        for (int i = 0; i < n; i++) {
            html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s〜%s</td><td><a href=\"/governance/members/%lld/edit\">編集</a> ", ms[i].role,
                        member_label(r, &ms[i]), ms[i].from_date, ms[i].to_date, (long long)ms[i].id);
            form_begin(r, b, arena_printf(r->a, "/governance/members/%lld/delete", (long long)ms[i].id), "inline");
            html_raw(b, "<button type=\"submit\" class=\"btn small\">削除</button>");
            form_end(b);
            html_raw(b, "</td></tr>\n");
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    html_raw(b, "<h3>構成員の追加</h3>\n");
    error_summary(b, em);
    form_begin(r, b, arena_printf(r->a, "/governance/%lld/members", (long long)g->id), "stack");
    field_text(b, em, "role", "役割", em ? req_form(r, "role") : "", F_REQUIRED, "例：本部長、副本部長、委員長、委員、事務局長");
    field_text(b, em, "post", "充て職", em ? req_form(r, "post") : "", 0, "例：市長、副市長。組織を選んだときは「部長」「課長」など");
    field_unit(r, b, em, "unit_id", "組織", page_today(r), em ? req_form(r, "unit_id") : "", 0, "（指定しない）");
    field_text(b, em, "staff_no", "職員番号", em ? req_form(r, "staff_no") : "", F_NARROW, "個人を指名するとき");
    field_text(b, em, "sort_order", "表示順", em ? req_form(r, "sort_order") : "", F_NARROW, NULL);
    field_text(b, em, "from_date", "任期の開始日", em ? req_form(r, "from_date") : page_today(r), F_REQUIRED | F_NARROW, NULL);
    field_text(b, em, "to_date", "任期の終了日", em ? req_form(r, "to_date") : "", F_NARROW, "空欄は期限なし");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">追加</button></div>");
    form_end(b);

    html_raw(b, "<h2 id=\"meetings\">会議</h2>\n");
    GovMeeting *gm;
    int k = gov_meetings(r->db, r->a, g->id, 0, &gm);
    if (!k) html_raw(b, "<p class=\"empty\">会議の記録はまだありません。</p>\n");
    else {
        html_raw(b, "<ul>");
        for (int i = 0; i < k; i++) {
            html_raw(b, "<li>");
            html_date(b, gm[i].held_on);
            html_printf(b, " <a href=\"/governance/meetings/%lld\">%s</a></li>", (long long)gm[i].id, gm[i].title);
        }
        html_raw(b, "</ul>\n");
    }
    html_raw(b, "<h3>会議の追加</h3>\n");
    error_summary(b, eg);
    form_begin(r, b, arena_printf(r->a, "/governance/%lld/meetings", (long long)g->id), "stack");
    field_text(b, eg, "held_on", "開催日", eg ? req_form(r, "held_on") : page_today(r), F_REQUIRED | F_NARROW, NULL);
    field_text(b, eg, "title", "件名", eg ? req_form(r, "title") : "", F_REQUIRED, "例：第1回DX推進本部会議");
    field_textarea(b, eg, "minutes", "議事録（CommonMark）", eg ? req_form(r, "minutes") : "", 0, "見出しは ## 、箇条書きは - で書けます。HTMLは表示されません。");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">追加</button></div>");
    form_end(b);

    html_raw(b, "<h2>削除</h2>\n<p>下位の会議体や会議の記録があるときは削除できません。廃止するときは廃止日を入力してください。</p>\n");
    form_begin(r, b, arena_printf(r->a, "/governance/%lld/delete", (long long)g->id), "inline");
    html_raw(b, "<button type=\"submit\" class=\"btn danger\">この会議体を削除</button>");
    form_end(b);
    page_end(r, w);
}

void page_governance_edit(Req *r, Resp *w)
{
    GovBody g;
    if (load_body(r, w, req_param_id(r, 0), &g)) render_edit(r, w, &g, NULL, "");
}

void page_governance_save(Req *r, Resp *w)
{
    GovBody g;
    if (!load_body(r, w, req_param_id(r, 0), &g)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    GovBodyInput in = body_input(r);
    if (gov_body_save(r->db, &who, g.id, &in, &e) > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/governance/%lld/edit?msg=saved", (long long)g.id));
        return;
    }
    render_edit(r, w, &g, &e, "body");
    w->status = 422;
}

void page_governance_delete(Req *r, Resp *w)
{
    GovBody g;
    if (!load_body(r, w, req_param_id(r, 0), &g)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (gov_body_delete(r->db, &who, g.id, &e) == 0) {
        resp_redirect(r, w, "/governance?msg=deleted");
        return;
    }
    render_edit(r, w, &g, &e, "delete");
    w->status = 422;
}

/* ---- members ---- */

static GovMemberInput member_input(Req *r)
{
    return (GovMemberInput){req_form(r, "role"),       req_form(r, "post"),          req_form(r, "unit_id"),     req_form(r, "staff_no"),
                            req_form(r, "sort_order"), form_date(r, "from_date"), form_date(r, "to_date")};
}

void page_governance_member_add(Req *r, Resp *w)
{
    GovBody g;
    if (!load_body(r, w, req_param_id(r, 0), &g)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    GovMemberInput in = member_input(r);
    if (gov_member_save(r->db, &who, g.id, 0, &in, &e) > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/governance/%lld/edit?msg=saved#members", (long long)g.id));
        return;
    }
    render_edit(r, w, &g, &e, "member");
    w->status = 422;
}

static bool load_member(Req *r, Resp *w, GovMember *m)
{
    if (gov_member_get(r->db, r->a, req_param_id(r, 0), m)) return true;
    resp_error(r, w, 404, "その構成員は見つかりません。");
    return false;
}

static void render_member(Req *r, Resp *w, const GovMember *m, const Errors *e)
{
    GovBody g;
    gov_body_get(r->db, r->a, m->body_id, &g);
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進体制", "/governance"}, {g.name, arena_printf(r->a, "/governance/%lld/edit", (long long)g.id)}, {"構成員の編集", NULL}};
    page_begin(r, w, "構成員の編集", "governance", crumbs, 4);
    Buf *b = &w->body;
    error_summary(b, e);
    bool t = e != NULL;
    form_begin(r, b, arena_printf(r->a, "/governance/members/%lld/edit", (long long)m->id), "stack");
    field_text(b, e, "role", "役割", t ? req_form(r, "role") : m->role, F_REQUIRED, NULL);
    field_text(b, e, "post", "充て職", t ? req_form(r, "post") : m->post, 0, NULL);
    field_unit(r, b, e, "unit_id", "組織", page_today(r), t ? req_form(r, "unit_id") : id_str(r, m->unit_id), 0, "（指定しない）");
    field_text(b, e, "staff_no", "職員番号", t ? req_form(r, "staff_no") : m->staff_no, F_NARROW, NULL);
    field_text(b, e, "sort_order", "表示順", t ? req_form(r, "sort_order") : id_str(r, m->sort_order), F_NARROW, NULL);
    field_text(b, e, "from_date", "任期の開始日", t ? req_form(r, "from_date") : m->from_date, F_REQUIRED | F_NARROW, NULL);
    field_text(b, e, "to_date", "任期の終了日", t ? req_form(r, "to_date") : m->to_date, F_NARROW, "空欄は期限なし");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button></div>");
    form_end(b);
    page_end(r, w);
}

void page_governance_member_edit(Req *r, Resp *w)
{
    GovMember m;
    if (load_member(r, w, &m)) render_member(r, w, &m, NULL);
}

void page_governance_member_save(Req *r, Resp *w)
{
    GovMember m;
    if (!load_member(r, w, &m)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    GovMemberInput in = member_input(r);
    if (gov_member_save(r->db, &who, m.body_id, m.id, &in, &e) > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/governance/%lld/edit?msg=saved#members", (long long)m.body_id));
        return;
    }
    render_member(r, w, &m, &e);
    w->status = 422;
}

void page_governance_member_delete(Req *r, Resp *w)
{
    GovMember m;
    if (!load_member(r, w, &m)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (gov_member_delete(r->db, &who, m.id, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/governance/%lld/edit?msg=deleted#members", (long long)m.body_id));
        return;
    }
    resp_error(r, w, 422, e.n ? e.items[0].msg : "削除できませんでした。");
}

/* ---- meetings ---- */

static GovMeetingInput meeting_input(Req *r) { return (GovMeetingInput){form_date(r, "held_on"), req_form(r, "title"), req_form(r, "minutes")}; }

void page_governance_meeting_add(Req *r, Resp *w)
{
    GovBody g;
    if (!load_body(r, w, req_param_id(r, 0), &g)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    GovMeetingInput in = meeting_input(r);
    int64_t id = gov_meeting_save(r->db, &who, g.id, 0, &in, &e);
    if (id > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/governance/meetings/%lld?msg=saved", (long long)id));
        return;
    }
    render_edit(r, w, &g, &e, "meeting");
    w->status = 422;
}

static bool load_meeting(Req *r, Resp *w, GovMeeting *m)
{
    if (gov_meeting_get(r->db, r->a, req_param_id(r, 0), m)) return true;
    resp_error(r, w, 404, "その会議は見つかりません。");
    return false;
}

static void render_meeting(Req *r, Resp *w, const GovMeeting *m, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"推進体制", "/governance"}, {m->title, NULL}};
    page_begin(r, w, m->title, "governance", crumbs, 3);
    Buf *b = &w->body;
    html_printf(b, "<p class=\"lead\">%s ", m->body_name);
    html_date(b, m->held_on);
    html_raw(b, " 開催</p>\n<article class=\"gov-minutes\">\n");
    if (*m->minutes) render_markdown(b, m->minutes);
    else html_raw(b, "<p class=\"empty\">議事録はまだ登録されていません。</p>\n");
    html_raw(b, "</article>\n");
    GovFile *fs;
    int n = gov_meeting_files(r->db, r->a, m->id, &fs);
    if (n) {
        html_raw(b, "<h2>資料</h2>\n<ul class=\"gov-files\">");
        for (int i = 0; i < n; i++) html_printf(b, "<li><a href=\"/media/%lld\">%s</a></li>", (long long)fs[i].media_id, fs[i].name);
        html_raw(b, "</ul>\n");
    }
    if (is_editor(r)) {
        html_raw(b, "<h2>会議の編集</h2>\n");
        error_summary(b, e);
        bool t = e != NULL;
        form_begin(r, b, arena_printf(r->a, "/governance/meetings/%lld/edit", (long long)m->id), "stack");
        field_text(b, e, "held_on", "開催日", t ? req_form(r, "held_on") : m->held_on, F_REQUIRED | F_NARROW, NULL);
        field_text(b, e, "title", "件名", t ? req_form(r, "title") : m->title, F_REQUIRED, NULL);
        field_textarea(b, e, "minutes", "議事録（CommonMark）", t ? req_form(r, "minutes") : m->minutes, 0, "HTMLは表示されません。");
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button></div>");
        form_end(b);
        html_raw(b, "<h3>資料の添付</h3>\n");
        html_printf(b, "<form method=\"post\" action=\"/governance/meetings/%lld/files\" enctype=\"multipart/form-data\" class=\"stack\">"
                       "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                       "<label>ファイル（PDF・画像など、50MBまで）<input type=\"file\" name=\"file\"></label>"
                       "<button type=\"submit\" class=\"btn\">添付</button></form>\n",
                    (long long)m->id, r->user->csrf);
        html_raw(b, "<h3>削除</h3>\n");
        form_begin(r, b, arena_printf(r->a, "/governance/meetings/%lld/delete", (long long)m->id), "inline");
        html_raw(b, "<button type=\"submit\" class=\"btn danger\">この会議の記録を削除</button>");
        form_end(b);
    }
    page_end(r, w);
}

void page_governance_meeting(Req *r, Resp *w)
{
    GovMeeting m;
    if (load_meeting(r, w, &m)) render_meeting(r, w, &m, NULL);
}

void page_governance_meeting_save(Req *r, Resp *w)
{
    GovMeeting m;
    if (!load_meeting(r, w, &m)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    GovMeetingInput in = meeting_input(r);
    if (gov_meeting_save(r->db, &who, m.body_id, m.id, &in, &e) > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/governance/meetings/%lld?msg=saved", (long long)m.id));
        return;
    }
    render_meeting(r, w, &m, &e);
    w->status = 422;
}

void page_governance_meeting_delete(Req *r, Resp *w)
{
    GovMeeting m;
    if (!load_meeting(r, w, &m)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (gov_meeting_delete(r->db, &who, m.id, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/governance/%lld/edit?msg=deleted#meetings", (long long)m.body_id));
        return;
    }
    resp_error(r, w, 422, e.n ? e.items[0].msg : "削除できませんでした。");
}

/* Stores the file in the media store (media_save, its own audited
 * transaction) and links it to the meeting. */
void page_governance_meeting_file(Req *r, Resp *w)
{
    GovMeeting m;
    if (!load_meeting(r, w, &m)) return;
    const Upload *f = NULL;
    for (size_t i = 0; i < r->files.n; i++)
        if (str_eq(r->files.items[i].field, "file") && r->files.items[i].len) f = &r->files.items[i];
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t id = media_save(r->db, &who, f ? f->filename : "", f ? media_type_of(f->filename) : NULL, f ? f->data : NULL, f ? f->len : 0, &e);
    if (id <= 0 || gov_meeting_attach(r->db, &who, m.id, id, &e) != 0) {
        render_meeting(r, w, &m, &e);
        w->status = 422;
        return;
    }
    resp_redirect(r, w, arena_printf(r->a, "/governance/meetings/%lld?msg=saved", (long long)m.id));
}
