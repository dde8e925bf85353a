/* page_tier.c - tier designations per 年度: the list, designating, ending. */
#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/org.h"
#include "../domain/staff.h"
#include "../domain/tier.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

void page_tier_list(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    int64_t unit_id = scope_root(r);
    Designation *ds;
    int n = tier_list(r->db, r->a, nendo, unit_id, &ds);
    if (page_wants_export(r)) {
        static const char *const head[] = {"年度", "職員番号", "氏名", "人材区分", "区分詳細", "所属", "指名日", "指名者", "備考", NULL};
        Table tab;
        table_init(&tab, r->a, "人材区分の指名", head);
        for (int i = 0; i < n; i++) {
            table_int(&tab, ds[i].nendo);
            const char *cells[] = {ds[i].staff_no, ds[i].staff_name, tier_name(ds[i].tier), tier_subtype_name(ds[i].subtype),
                                   ds[i].unit_name, ds[i].designated_on, ds[i].designated_by, ds[i].note};
            for (size_t k = 0; k < COUNTOF(cells); k++) table_text(&tab, cells[k]);
        }
        page_send_table(r, w, &tab, arena_printf(r->a, "人材区分_%d年度", nendo));
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"人材区分", NULL}};
    page_begin(r, w, "人材区分の指名一覧", "tiers", crumbs, 2);
    Buf *b = &w->body;
    html_printf(b, "<p class=\"lead\">%sに指名された①高度専門人材と②DX推進リーダーです。指名のない在職職員は③一般職員です。</p>\n",
                page_nendo_name(r, nendo));
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/tiers\">");
    field_text(b, NULL, "nendo", "年度", arena_printf(r->a, "%d", nendo), F_NARROW, "例：2026 または 令和8");
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n");
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/tiers?format=csv&amp;nendo=%d\">CSV出力</a>"
                   " <a class=\"btn\" href=\"/tiers?format=xlsx&amp;nendo=%d\">Excel出力</a>", nendo, nendo);
    bool can_edit = r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN);
    if (can_edit) html_raw(b, " <a class=\"btn primary\" href=\"/tiers/new\">指名する</a>");
    html_raw(b, "</div>\n");
    if (!n) {
        html_raw(b, "<p class=\"empty\">この年度の指名はまだありません。</p>\n");
        page_end(r, w);
        return;
    }
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>指名一覧</caption><thead><tr><th scope=\"col\">区分</th>"
                "<th scope=\"col\">詳細</th><th scope=\"col\">所属</th><th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th>"
                "<th scope=\"col\">指名日</th><th scope=\"col\">備考</th>");
    if (can_edit) html_raw(b, "<th scope=\"col\">操作</th>");
    html_raw(b, "</tr></thead><tbody>\n");
    char today[11];
    date_iso(date_today(), today);
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td><span class=\"badge tier%d\">%s</span></td><td>%s</td><td><a href=\"/org/%lld\">%s</a></td><td>%s</td>"
                       "<td><a href=\"/staff/%lld\">%s</a></td><td>",
                    ds[i].tier, tier_name(ds[i].tier), tier_subtype_name(ds[i].subtype), (long long)ds[i].unit_id, ds[i].unit_name,
                    ds[i].staff_no, (long long)ds[i].staff_id, ds[i].staff_name);
        html_date(b, ds[i].designated_on);
        html_printf(b, "</td><td>%s</td>", ds[i].note);
        if (can_edit) {
            html_raw(b, "<td>");
            form_begin(r, b, arena_printf(r->a, "/tiers/%lld/end", (long long)ds[i].id), "inline");
            html_printf(b, "<input type=\"hidden\" name=\"ended_on\" value=\"%s\"><button type=\"submit\" class=\"btn small\""
                           " data-confirm=\"%sさんの指名を本日付で解除しますか？\">解除</button>",
                        today, ds[i].staff_name);
            form_end(b);
            html_raw(b, "</td>");
        }
        html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    page_end(r, w);
}

static void tier_form(Req *r, Resp *w, const char *staff_no, const char *subtype, const char *unit_s, const char *nendo_s,
                      const char *on, const char *by, const char *note, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"人材区分", "/tiers"}, {"指名", NULL}};
    page_begin(r, w, "人材区分の指名", "tiers", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    html_raw(b, "<p class=\"lead\">①高度専門人材（情報部門・重要システム担当）または②DX推進リーダー（総括リーダー・プロジェクト担当）を年度ごとに指名します。"
                "総括リーダーは各係に1人です（方針IV(2)）。</p>\n");
    form_begin(r, b, "/tiers/new", "stack");
    Option subs[5] = {{"", "選んでください"}};
    for (int i = 0; i < 4; i++)
        subs[i + 1] = (Option){tier_subtypes[i].code, arena_printf(r->a, "%s：%s", tier_name(tier_subtypes[i].tier), tier_subtypes[i].name)};
    field_text(b, e, "staff_no", "職員番号", staff_no, F_REQUIRED | F_NARROW, NULL);
    field_select(b, e, "subtype", "区分", subs, 5, subtype, F_REQUIRED, NULL);
    char today[11];
    date_iso(date_today(), today);
    field_unit(r, b, e, "unit_id", "指名先の所属", today, unit_s, F_REQUIRED, "選んでください");
    field_text(b, e, "nendo", "年度", nendo_s, F_REQUIRED | F_NARROW, "例：2026 または 令和8");
    field_text(b, e, "designated_on", "指名日", on, F_REQUIRED | F_NARROW, "例：2026-04-01");
    field_text(b, e, "designated_by", "指名者", by, 0, "例：政策企画課長");
    field_textarea(b, e, "note", "備考", note, 0, NULL);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">指名する</button> <a class=\"btn\" href=\"/tiers\">キャンセル</a></div>");
    form_end(b);
    page_end(r, w);
}

void page_tier_new(Req *r, Resp *w)
{
    char today[11];
    date_iso(date_today(), today);
    const char *staff_no = "", *unit_s = req_query(r, "unit_id");
    int64_t sid;
    if (parse_int64(req_query(r, "staff_id"), &sid)) {
        Staff s;
        if (staff_get(r->db, r->a, sid, today, r->nendo, &s)) {
            staff_no = s.staff_no;
            if (!unit_s && s.unit_id) unit_s = arena_printf(r->a, "%lld", (long long)s.unit_id);
        }
    }
    tier_form(r, w, staff_no, req_query(r, "subtype") ? req_query(r, "subtype") : "", unit_s ? unit_s : "",
              arena_printf(r->a, "%d", page_nendo(r, req_query(r, "nendo"))), today, "", "", NULL);
}

void page_tier_save(Req *r, Resp *w)
{
    Errors e = {0};
    Designation d = {0};
    const char *staff_no = text_trim(r->a, req_form(r, "staff_no"));
    const char *unit_s = req_form(r, "unit_id"), *nendo_s = text_trim(r->a, req_form(r, "nendo"));
    d.staff_id = staff_id_by_no(r->db, staff_no);
    if (!d.staff_id) err_add(&e, "staff_no", "その職員番号の職員はいません。");
    d.subtype = req_form(r, "subtype");
    int64_t v;
    d.unit_id = parse_int64(unit_s, &v) ? v : 0;
    int n;
    d.nendo = nendo_parse_loose(nendo_s, &n) ? n : 0;
    d.designated_on = form_date(r, "designated_on");
    d.designated_by = text_trim(r->a, req_form(r, "designated_by"));
    d.note = text_trim(r->a, req_form(r, "note"));
    Actor who;
    page_actor(r, &who);
    if (!err_any(&e) && tier_designate(r->db, &who, &d, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/staff/%lld?msg=designated", (long long)d.staff_id));
        return;
    }
    tier_form(r, w, staff_no, d.subtype ? d.subtype : "", unit_s ? unit_s : "", nendo_s, d.designated_on, d.designated_by, d.note, &e);
    w->status = 422;
}

void page_tier_end(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (tier_end(r->db, &who, req_param_id(r, 0), form_date(r, "ended_on"), &e) == 0) {
        resp_redirect(r, w, "/tiers?msg=revoked");
        return;
    }
    resp_error(r, w, 422, e.n ? e.items[0].msg : "解除できませんでした。");
}
