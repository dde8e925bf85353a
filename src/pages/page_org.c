/* page_org.c - the org tree, a unit's page, and the forms to add, edit and
 * close (廃止) units. */
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/asof.h"
#include "../domain/org.h"
#include "../domain/staff.h"
#include "../domain/tier.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

/* The date the tree is shown for: ?date= (any typed form), else the view
 * date of ?nendo= (asof_nendo_date), else today. */
static const char *as_of_date(Req *r)
{
    Date d;
    int nendo;
    char *iso = arena_alloc(r->a, 11);
    const char *q = req_query(r, "date");
    if (q && date_parse_loose(q, &d)) date_iso(d, iso);
    else if (nendo_parse_loose(req_query(r, "nendo"), &nendo)) asof_nendo_date(nendo, iso);
    else now_date(iso);
    return iso;
}

/* The 所属長 scope rule: a per-person row of any date is shown only for
 * people the viewer may see today; counts are not filtered. */
static int keep_visible(Req *r, Staff *rows, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (scope_staff(r->db, r->user, rows[i].id)) rows[k++] = rows[i];
    return k;
}

static void hidden_note(Buf *b, int hidden)
{
    if (hidden > 0)
        html_printf(b, "<p class=\"note\">このほか%d人は、現在あなたの所属（配下を含む）にいない職員のため、人数にだけ含めています。</p>", hidden);
}

static void lead_flag(Buf *b, const UnitNode *n)
{
    if (!n->needs_lead) return;
    if (n->leads) html_printf(b, " <span class=\"flag ok\">✓ 総括リーダー%d人</span>", n->leads);
    else html_raw(b, " <span class=\"flag warn\">⚠ 総括リーダー未配置</span>");
}

/* A unit with sub-units is a row plus a <details> whose <summary> is only the
 * ▶ toggle (placed before the row by CSS): a link inside a <summary> would be a
 * control nested in a control, which screen readers cannot reach. */
static void tree_node(Buf *b, const UnitNode *n, const char *date_q)
{
    html_raw(b, n->nkids ? "<li class=\"node\"><div class=\"row\">" : "<li class=\"leaf\">");
    html_printf(b, "<span class=\"unit-name\"><a href=\"/org/%lld%s\">%s</a></span> <span class=\"muted\">%s</span> "
                   "<span class=\"count\">%d人</span>",
                (long long)n->u.id, date_q, n->u.name, org_level_name(n->u.level), n->staff_total);
    if (n->u.is_info) html_raw(b, " <span class=\"badge tier1\">情報部門</span>");
    lead_flag(b, n);
    if (n->nkids) {
        html_printf(b, "</div><details open><summary><span class=\"visually-hidden\">%sの下位組織</span></summary><ul class=\"tree\">",
                    n->u.name);
        for (int i = 0; i < n->nkids; i++) tree_node(b, n->kids[i], date_q);
        html_raw(b, "</ul></details>");
    }
    html_raw(b, "</li>\n");
}

static void tree_table_rows(Table *t, const UnitNode *n)
{
    table_text(t, n->u.code);
    table_text(t, n->u.name);
    table_text(t, org_level_name(n->u.level));
    table_text(t, n->parent ? n->parent->u.code : "");
    table_int(t, n->staff_direct);
    table_int(t, n->staff_total);
    table_text(t, !n->needs_lead ? "" : n->leads ? "配置済" : "未配置");
    table_int(t, n->leads);
    table_int(t, n->experts);
    table_text(t, n->u.valid_from);
    table_text(t, n->u.valid_to);
    for (int i = 0; i < n->nkids; i++) tree_table_rows(t, n->kids[i]);
}

void page_org_tree(Req *r, Resp *w)
{
    const char *date = as_of_date(r);
    Date d;
    date_parse(date, &d);
    int nendo = nendo_of(d);
    UnitTree t;
    org_tree(r->db, r->a, date, nendo, &t);
    /* A 所属長 sees their own subtree only. */
    UnitNode *scope = NULL;
    int64_t root = scope_root(r->user);
    if (root && !(scope = org_tree_find(&t, root))) {
        resp_error(r, w, 403, "所属が登録されていないため、組織図を表示できません。");
        return;
    }
    UnitNode **roots = scope ? &scope : t.roots;
    int nroots = scope ? 1 : t.nroots;
    if (page_wants_export(r)) {
        static const char *const head[] = {"組織コード", "名称", "区分", "上位組織コード", "所属人数", "配下合計人数",
                                           "総括リーダー", "総括リーダー数", "高度専門人材数", "開始日", "終了日", NULL};
        Table tab;
        table_init(&tab, r->a, "組織図", head);
        for (int i = 0; i < nroots; i++) tree_table_rows(&tab, roots[i]);
        page_send_table(r, w, &tab, arena_printf(r->a, "組織図_%s", date));
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"組織", NULL}};
    page_begin(r, w, "組織図", "org", crumbs, 2);
    Buf *b = &w->body;
    const char *date_q = req_query(r, "date") ? arena_printf(r->a, "?date=%s", date) : "";
    html_raw(b, "<p class=\"lead\">");
    html_date(b, date);
    Buf nb = BUF_INIT;
    wareki_nendo(&nb, nendo);
    html_printf(b, " 時点の組織と人数です。総括リーダーは%sの指名です。", buf_cstr(&nb));
    buf_free(&nb);
    if (!scope && t.missing_leads) html_printf(b, "総括リーダーが未配置の係が<strong>%d</strong>あります。", t.missing_leads);
    html_raw(b, "</p>\n<form class=\"filters\" method=\"get\" action=\"/org\">");
    field_text(b, NULL, "date", "基準日", date, F_NARROW, "例：2027-04-01（来年度の組織も確認できます）");
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n<div class=\"toolbar\">");
    html_printf(b, "<a class=\"btn\" href=\"/org?format=csv&amp;date=%s\">CSV出力</a>"
                   " <a class=\"btn\" href=\"/org?format=xlsx&amp;date=%s\">Excel出力</a>", date, date);
    if (r->user->roles & (ROLE_HR | ROLE_ADMIN)) html_raw(b, " <a class=\"btn primary\" href=\"/org/new\">組織を追加</a>");
    html_raw(b, "</div>\n<div class=\"tree-tools\"><button type=\"button\" class=\"btn small\" data-tree=\"open\" aria-controls=\"org-tree\">すべて開く</button>"
                " <button type=\"button\" class=\"btn small\" data-tree=\"close\" aria-controls=\"org-tree\">すべて閉じる</button></div>\n");
    if (!nroots) html_raw(b, "<p class=\"empty\">この日に有効な組織はありません。</p>\n");
    html_raw(b, "<ul class=\"tree\" id=\"org-tree\">\n");
    for (int i = 0; i < nroots; i++) tree_node(b, roots[i], date_q);
    html_raw(b, "</ul>\n");
    page_end(r, w);
}

static void staff_table(Req *r, Buf *b, const Staff *rows, int n, bool show_unit)
{
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th>"
                "<th scope=\"col\">カナ</th>");
    if (show_unit) html_raw(b, "<th scope=\"col\">所属</th>");
    html_raw(b, "<th scope=\"col\">職位</th><th scope=\"col\">職員区分</th><th scope=\"col\">人材区分</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const Staff *s = &rows[i];
        html_printf(b, "<tr><td>%s</td><td><a href=\"/staff/%lld\">%s</a>%s</td><td>%s</td>", s->staff_no, (long long)s->id, s->name,
                    s->in_service ? "" : " <span class=\"badge muted\">無効</span>", s->kana);
        if (show_unit) html_printf(b, "<td>%s</td>", s->unit_name);
        html_printf(b, "<td>%s</td><td>%s</td><td><span class=\"badge tier%d\">%s</span>%s%s</td></tr>\n", s->post,
                    emp_type_name(s->emp_type), s->tier, tier_name(s->tier), *s->tier_sub ? " " : "", tier_subtype_name(s->tier_sub));
    }
    html_raw(b, "</tbody></table></div>\n");
    (void)r;
}

static void render_unit(Req *r, Resp *w, int64_t id, const Errors *close_err, const char *close_typed)
{
    Unit path[8];
    int np = page_unit_path(r, w, id, path);
    if (!np) return;
    const Unit *u = &path[np - 1];
    const char *date = as_of_date(r);
    Date d;
    date_parse(date, &d);
    int nendo = nendo_of(d);
    StaffFilter f = {.unit_id = id, .active = 1, .as_of = date, .nendo = nendo};
    Staff *rows;
    int total;
    int nall = staff_search(r->db, r->a, &f, &rows, &total);
    int n = keep_visible(r, rows, nall);
    if (page_wants_export(r)) {
        static const char *const head[] = {"職員番号", "氏名", "カナ", "所属", "職位", "職員区分", "人材区分", "区分詳細", NULL};
        Table tab;
        table_init(&tab, r->a, arena_printf(r->a, "%s_職員", u->name), head);
        for (int i = 0; i < n; i++) {
            table_text(&tab, rows[i].staff_no);
            table_text(&tab, rows[i].name);
            table_text(&tab, rows[i].kana);
            table_text(&tab, rows[i].unit_name);
            table_text(&tab, rows[i].post);
            table_text(&tab, emp_type_name(rows[i].emp_type));
            table_text(&tab, tier_name(rows[i].tier));
            table_text(&tab, tier_subtype_name(rows[i].tier_sub));
        }
        page_send_table(r, w, &tab, arena_printf(r->a, "%s_職員", u->name));
        return;
    }
    Crumb crumbs[10] = {{"ホーム", "/"}, {"組織", "/org"}};
    int nc = 2;
    for (int i = 0; i < np; i++)
        crumbs[nc++] = (Crumb){path[i].name, i == np - 1 ? NULL : arena_printf(r->a, "/org/%lld", (long long)path[i].id)};
    page_begin(r, w, u->name, "org", crumbs, nc);
    Buf *b = &w->body;
    UnitTree t;
    org_tree(r->db, r->a, date, nendo, &t);
    UnitNode *node = org_tree_find(&t, id);
    html_printf(b, "<dl class=\"props\"><dt>組織コード</dt><dd>%s</dd><dt>区分</dt><dd>%s%s</dd><dt>有効期間</dt><dd>", u->code,
                org_level_name(u->level), u->is_info ? "（情報部門）" : "");
    html_date(b, u->valid_from);
    html_raw(b, " 〜 ");
    if (u->valid_to) html_date(b, u->valid_to);
    html_raw(b, "</dd>");
    if (node) {
        html_printf(b, "<dt>人数</dt><dd>%d人（配下を含む）</dd>", node->staff_total);
        if (node->needs_lead) {
            html_raw(b, "<dt>総括リーダー</dt><dd>");
            lead_flag(b, node);
            html_raw(b, "</dd>");
        }
    } else {
        html_raw(b, "<dt>状態</dt><dd><span class=\"badge muted\">この日には存在しない組織です</span></dd>");
    }
    html_raw(b, "</dl>\n<div class=\"toolbar\">");
    html_printf(b, "<a class=\"btn\" href=\"/org/%lld?format=csv&amp;date=%s\">職員CSV出力</a>"
                   " <a class=\"btn\" href=\"/org/%lld?format=xlsx&amp;date=%s\">職員Excel出力</a>",
                (long long)id, date, (long long)id, date);
    if (r->user->roles & (ROLE_HR | ROLE_ADMIN)) html_printf(b, " <a class=\"btn\" href=\"/org/%lld/edit\">編集</a>", (long long)id);
    if (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN))
        html_printf(b, " <a class=\"btn primary\" href=\"/tiers/new?unit_id=%lld\">この組織で人材区分を指名</a>", (long long)id);
    html_raw(b, "</div>\n");

    if (node && node->nkids) {
        html_raw(b, "<section class=\"panel\"><h2>下位組織</h2><ul>");
        for (int i = 0; i < node->nkids; i++) {
            UnitNode *k = node->kids[i];
            html_printf(b, "<li><a href=\"/org/%lld\">%s</a>（%s・%d人）", (long long)k->u.id, k->u.name, org_level_name(k->u.level),
                        k->staff_total);
            lead_flag(b, k);
            html_raw(b, "</li>");
        }
        html_raw(b, "</ul></section>\n");
    }

    Designation *ds;
    int nd = tier_list(r->db, r->a, nendo, id, &ds);
    Buf nb = BUF_INIT;
    wareki_nendo(&nb, nendo);
    html_printf(b, "<section class=\"panel\"><h2>%sの人材区分の指名</h2>", buf_cstr(&nb));
    buf_free(&nb);
    if (!nd) html_raw(b, "<p class=\"empty\">指名はありません。</p>");
    else {
        html_raw(b, "<ul>");
        for (int i = 0; i < nd; i++)
            if (scope_staff(r->db, r->user, ds[i].staff_id))
                html_printf(b, "<li><span class=\"badge tier%d\">%s</span> %s：<a href=\"/staff/%lld\">%s</a>（%s）</li>", ds[i].tier,
                            tier_name(ds[i].tier), tier_subtype_name(ds[i].subtype), (long long)ds[i].staff_id, ds[i].staff_name,
                            ds[i].unit_name);
            else html_printf(b, "<li><span class=\"badge tier%d\">%s</span> %s：（現在の所属外の職員）</li>", ds[i].tier, tier_name(ds[i].tier),
                             tier_subtype_name(ds[i].subtype));
        html_raw(b, "</ul>");
    }
    html_raw(b, "</section>\n");

    html_printf(b, "<section class=\"panel\"><h2>所属職員（%d人）</h2>", total);
    if (!nall) html_raw(b, "<p class=\"empty\">この日に所属している職員はいません。</p>");
    else if (n) staff_table(r, b, rows, n, node && node->nkids);
    hidden_note(b, total - n);
    /* 兼務 on the date shown, of people in service then and visible today. */
    UnitMember *sec;
    int k = org_secondary_members(r->db, r->a, id, date, scope_root(r->user), &sec);
    for (int i = 0; i < k; i++) {
        if (!i) html_raw(b, "<h3>兼務の職員</h3><ul>");
        html_printf(b, "<li><a href=\"/staff/%lld\">%s</a> <span class=\"badge\">兼務</span></li>", (long long)sec[i].staff_id,
                    sec[i].name);
    }
    if (k) html_raw(b, "</ul>");
    html_raw(b, "</section>\n");
    if ((r->user->roles & (ROLE_HR | ROLE_ADMIN)) && !u->valid_to) {
        html_raw(b, "<section class=\"panel\"><h2>この組織を廃止する</h2><p>組織改編で廃止する場合は、最終日を入力します。過去の記録はそのまま残ります。</p>");
        error_summary(b, close_err);
        form_begin(r, b, arena_printf(r->a, "/org/%lld/close", (long long)id), "stack");
        field_text(b, close_err, "last_day", "最終日", close_typed, F_REQUIRED | F_NARROW, "例：2027-03-31");
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn danger\" data-confirm=\"この組織を廃止しますか？\">廃止する</button></div>");
        form_end(b);
        html_raw(b, "</section>\n");
    }
    page_end(r, w);
}

void page_org_unit(Req *r, Resp *w) { render_unit(r, w, req_param_id(r, 0), NULL, ""); }

static const Option level_opts[] = {{"", "選んでください"}, {"1", "執行機関"}, {"2", "部"}, {"3", "課"}, {"4", "係"}};

static void unit_form(Req *r, Resp *w, const Unit *u, const char *parent_s, const char *level_s, const char *sort_s,
                      const Errors *e)
{
    bool edit = u->id != 0;
    Crumb crumbs[] = {{"ホーム", "/"}, {"組織", "/org"}, {edit ? "組織の編集" : "組織の追加", NULL}};
    page_begin(r, w, edit ? "組織の編集" : "組織の追加", "org", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    html_raw(b, "<p class=\"lead\">組織改編では、旧組織に終了日を入れ、新組織を開始日付きで追加します。過去の年度の記録は書き換わりません。</p>\n");
    form_begin(r, b, edit ? arena_printf(r->a, "/org/%lld/edit", (long long)u->id) : "/org/new", "stack");
    field_text(b, e, "code", "組織コード", u->code, F_REQUIRED | F_NARROW, "人事給与システムの所属コード（半角英数字）");
    field_text(b, e, "name", "名称", u->name, F_REQUIRED, NULL);
    field_select(b, e, "level", "区分", level_opts, 5, level_s, F_REQUIRED, NULL);
    char today[11];
    date_iso(date_today(), today);
    field_unit(r, b, e, "parent_id", "上位組織", str_empty(u->valid_from) ? today : u->valid_from, parent_s, 0,
               "（なし：執行機関）");
    field_text(b, e, "valid_from", "開始日", u->valid_from, F_REQUIRED | F_NARROW, "例：2026-04-01");
    field_text(b, e, "valid_to", "終了日", u->valid_to, F_NARROW, "空欄なら期限なし");
    field_text(b, e, "sort_order", "表示順", sort_s, F_NARROW, "小さい順に表示します");
    field_checkbox(b, "is_info", "情報部門（高度専門人材の配置先）", u->is_info);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button> ");
    html_printf(b, "<a class=\"btn\" href=\"%s\">キャンセル</a></div>", edit ? arena_printf(r->a, "/org/%lld", (long long)u->id) : "/org");
    form_end(b);
    page_end(r, w);
}

void page_org_new(Req *r, Resp *w)
{
    char today[11];
    date_iso(date_today(), today);
    Unit u = {.code = "", .name = "", .valid_from = today};
    const char *parent = req_query(r, "parent");
    unit_form(r, w, &u, parent ? parent : "", "", "0", NULL);
}

void page_org_edit(Req *r, Resp *w)
{
    Unit u;
    if (!org_get(r->db, r->a, req_param_id(r, 0), &u)) {
        resp_error(r, w, 404, "その組織は見つかりません。");
        return;
    }
    unit_form(r, w, &u, u.parent_id ? arena_printf(r->a, "%lld", (long long)u.parent_id) : "",
              arena_printf(r->a, "%d", u.level), arena_printf(r->a, "%d", u.sort_order), NULL);
}

void page_org_save(Req *r, Resp *w)
{
    Errors e = {0};
    Unit u = {0};
    u.id = r->nparams ? req_param_id(r, 0) : 0;
    if (r->nparams && !u.id) {
        resp_error(r, w, 404, "その組織は見つかりません。");
        return;
    }
    u.code = text_trim(r->a, req_form(r, "code"));
    u.name = text_trim(r->a, req_form(r, "name"));
    const char *level_s = req_form(r, "level"), *parent_s = req_form(r, "parent_id"), *sort_s = req_form(r, "sort_order");
    int64_t v;
    u.level = parse_int64(level_s, &v) ? (int)v : 0;
    u.parent_id = parse_int64(parent_s, &v) ? v : 0;
    if (!str_empty(sort_s) && !parse_int64(sort_s, &v)) err_add(&e, "sort_order", "表示順は整数で入力してください。");
    u.sort_order = parse_int64(sort_s, &v) ? (int)v : 0;
    u.valid_from = form_date(r, "valid_from");
    u.valid_to = form_date(r, "valid_to");
    u.is_info = str_eq(req_form(r, "is_info"), "1");
    Actor who;
    page_actor(r, &who);
    if (!err_any(&e) && org_save(r->db, &who, &u, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/org/%lld?msg=saved", (long long)u.id));
        return;
    }
    unit_form(r, w, &u, parent_s ? parent_s : "", level_s ? level_s : "", sort_s ? sort_s : "", &e);
    w->status = 422;
}

void page_org_close(Req *r, Resp *w)
{
    Errors e = {0};
    int64_t id = req_param_id(r, 0);
    const char *last_day = form_date(r, "last_day");
    Actor who;
    page_actor(r, &who);
    if (org_close(r->db, &who, id, last_day, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/org/%lld?msg=closed", (long long)id));
        return;
    }
    render_unit(r, w, id, &e, last_day);
    w->status = 422;
}
