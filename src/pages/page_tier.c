/* page_tier.c - tier designations per 年度: the list, designating, ending. */
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

void page_tier_list(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    int64_t unit_id = scope_root(r->user);
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
    if (can_edit)
        html_printf(b, " <a class=\"btn primary\" href=\"/tiers/new?nendo=%d\">指名する</a> <a class=\"btn\" href=\"/tiers/import?nendo=%d\">CSVで一括指名</a>"
                       " <a class=\"btn\" href=\"/nendo/rollover\">年度更新</a>", nendo, nendo);
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
    char today[11]; /* the default last day in force: today, or the 年度's edge */
    asof_nendo_date(nendo, today);
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
                           " data-confirm=\"%sさんの指名を%sまでで解除しますか？\">解除</button>",
                        today, ds[i].staff_name, today);
            form_end(b);
            html_raw(b, "</td>");
        }
        html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    page_end(r, w);
}

/* What the designation form shows: the values as typed, and the 総括リーダー
 * in the way when the rule refused a second one. */
typedef struct TierForm {
    const char *staff_no, *subtype, *unit_s, *nendo_s, *on, *by, *note, *q;
    const Designation *d; /* after a refused save, else NULL */
} TierForm;

/* The picker: in-service staff matching q (name, kana or 職員番号) as radio
 * buttons; choosing one fills 職員番号 on save. Works without script. */
static void picker(Req *r, Buf *b, const char *q, const char *chosen)
{
    if (str_empty(q)) return;
    StaffFilter f = {.q = q, .active = 1, .as_of = page_today(r), .nendo = r->nendo, .limit = 20};
    Staff *ss;
    int total = 0;
    int n = staff_search(r->db, r->a, &f, &ss, &total);
    html_printf(b, "<fieldset class=\"field\"><legend>「%s」に当てはまる在職職員（%d人）</legend>", q, total);
    if (!n) html_raw(b, "<p class=\"empty\">見つかりません。氏名・カナ・職員番号の一部で探してください。</p>");
    for (int i = 0; i < n; i++)
        html_printf(b, "<label class=\"check\"><input type=\"radio\" name=\"staff_pick\" value=\"%s\"%s> %s %s（%s・%s）</label>", ss[i].staff_no,
                    str_eq(chosen, ss[i].staff_no) ? " checked" : "", ss[i].staff_no, ss[i].name, ss[i].kana, ss[i].unit_name);
    if (total > n) html_printf(b, "<p class=\"hint\">ほかに%d人います。もっと詳しく入力してください。</p>", total - n);
    html_raw(b, "</fieldset>");
}

static void tier_form(Req *r, Resp *w, const TierForm *v, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"人材区分", "/tiers"}, {"指名", NULL}};
    page_begin(r, w, "人材区分の指名", "tiers", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    html_raw(b, "<p class=\"lead\">①高度専門人材（情報部門・重要システム担当）または②DX推進リーダー（総括リーダー・プロジェクト担当）を年度ごとに指名します。"
                "総括リーダーは各係に1人で、指名日にその係に所属している職員から選びます（方針IV(2)）。</p>\n");
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/tiers/new\">");
    field_text(b, NULL, "q", "職員を探す（氏名・カナ・職員番号）", v->q, 0, NULL);
    html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%s\"><button class=\"btn\" type=\"submit\">探す</button></form>\n", v->nendo_s);
    form_begin(r, b, "/tiers/new", "stack");
    picker(r, b, v->q, v->staff_no);
    html_printf(b, "<input type=\"hidden\" name=\"q\" value=\"%s\">", v->q);
    Option subs[5] = {{"", "選んでください"}};
    for (int i = 0; i < 4; i++)
        subs[i + 1] = (Option){tier_subtypes[i].code, arena_printf(r->a, "%s：%s", tier_name(tier_subtypes[i].tier), tier_subtypes[i].name)};
    field_text(b, e, "staff_no", "職員番号", v->staff_no, F_NARROW, str_empty(v->q) ? NULL : "上の一覧から選ぶか、職員番号を入力してください。");
    field_select(b, e, "subtype", "区分", subs, 5, v->subtype, F_REQUIRED, NULL);
    field_unit(r, b, e, "unit_id", "指名先の所属", page_today(r), v->unit_s, F_REQUIRED, "選んでください");
    field_text(b, e, "nendo", "年度", v->nendo_s, F_REQUIRED | F_NARROW, "例：2026 または 令和8");
    field_text(b, e, "designated_on", "指名日", v->on, F_REQUIRED | F_NARROW, "指名が効力をもつ最初の日（年度内）。例：2026-04-01");
    field_text(b, e, "designated_by", "指名者", v->by, 0, "例：政策企画課長");
    field_textarea(b, e, "note", "備考", v->note, 0, NULL);
    if (v->d && v->d->current_id && !str_empty(v->d->current_name))
        field_checkbox(b, "end_current", arena_printf(r->a, "現在の総括リーダー（%s）の指名を前日で終了して指名する", v->d->current_name),
                       v->d->end_current);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">指名する</button> <a class=\"btn\" href=\"/tiers\">キャンセル</a></div>");
    form_end(b);
    page_end(r, w);
}

void page_tier_new(Req *r, Resp *w)
{
    const char *staff_no = "", *unit_s = req_query(r, "unit_id");
    int64_t sid;
    int nendo = page_nendo(r, req_query(r, "nendo"));
    if (parse_int64(req_query(r, "staff_id"), &sid)) {
        Staff s;
        if (staff_get(r->db, r->a, sid, page_today(r), nendo, &s)) {
            staff_no = s.staff_no;
            if (!unit_s && s.unit_id) unit_s = arena_printf(r->a, "%lld", (long long)s.unit_id);
        }
    }
    Date first, today = date_today();
    nendo_range(nendo, &first, NULL);
    char on[11];
    date_iso(date_cmp(today, first) > 0 && nendo_of(today) == nendo ? today : first, on);
    const char *q = text_trim(r->a, req_query(r, "q"));
    TierForm v = {staff_no, req_query(r, "subtype") ? req_query(r, "subtype") : "", unit_s ? unit_s : "", arena_printf(r->a, "%d", nendo),
                  arena_strdup(r->a, on), "", "", q ? q : "", NULL};
    tier_form(r, w, &v, NULL);
}

void page_tier_save(Req *r, Resp *w)
{
    Errors e = {0};
    Designation d = {0};
    const char *staff_no = text_trim(r->a, req_form(r, "staff_no"));
    if (str_empty(staff_no) && !str_empty(req_form(r, "staff_pick"))) staff_no = text_trim(r->a, req_form(r, "staff_pick"));
    const char *unit_s = req_form(r, "unit_id"), *nendo_s = text_trim(r->a, req_form(r, "nendo"));
    if (str_empty(staff_no)) err_add(&e, "staff_no", "職員番号を入力するか、一覧から職員を選んでください。");
    else if (!(d.staff_id = staff_id_by_no(r->db, staff_no))) err_add(&e, "staff_no", "その職員番号の職員はいません。");
    d.subtype = req_form(r, "subtype");
    int64_t v;
    d.unit_id = parse_int64(unit_s, &v) ? v : 0;
    int n;
    d.nendo = nendo_parse_loose(nendo_s, &n) ? n : 0;
    d.designated_on = form_date(r, "designated_on");
    d.designated_by = text_trim(r->a, req_form(r, "designated_by"));
    d.note = text_trim(r->a, req_form(r, "note"));
    d.end_current = !str_empty(req_form(r, "end_current"));
    Actor who;
    page_actor(r, &who);
    if (!err_any(&e) && tier_designate(r->db, &who, &d, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/staff/%lld?msg=designated", (long long)d.staff_id));
        return;
    }
    const char *q = text_trim(r->a, req_form(r, "q"));
    TierForm f = {staff_no ? staff_no : "", d.subtype ? d.subtype : "", unit_s ? unit_s : "", nendo_s ? nendo_s : "", d.designated_on,
                  d.designated_by, d.note, q ? q : "", &d};
    tier_form(r, w, &f, &e);
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
