/* page_staff.c - the staff list and search, a person's page, and the forms
 * for adding, editing, transferring and deactivating staff. */
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/org.h"
#include "../domain/staff.h"
#include "../domain/tier.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "listpage.h"
#include "page_audit.h"
#include "pages.h"

#define PAGE_SIZE 50

static const Option tier_opts[] = {{"", "すべて"}, {"1", "①高度専門人材"}, {"2", "②DX推進リーダー"}, {"3", "③一般職員"}};
static const Option active_opts[] = {{"1", "在職"}, {"0", "在職していない（退職・採用予定）"}, {"all", "すべて"}};

/* Employment on the day the page is taken (s loaded as of today): 在職,
 * 在職（令和9年3月31日退職予定）, 採用予定（… から）, 退職（…退職）. Plain text. */
static const char *service_text(Req *r, const Staff *s)
{
    if (s->in_service) return s->last_day ? arena_printf(r->a, "在職（%s退職予定）", page_wareki(r, s->last_day)) : "在職";
    if (s->next_from) return arena_printf(r->a, "採用予定（%sから）", page_wareki(r, s->next_from));
    if (s->last_day) return arena_printf(r->a, "退職（%s退職）", page_wareki(r, s->last_day));
    return "在職していません";
}

static Option *emp_options(Req *r, const char *first)
{
    Option *o = arena_alloc(r->a, sizeof *o * 5);
    o[0] = (Option){"", first};
    for (int i = 0; i < 4; i++) o[i + 1] = (Option){emp_types[i].code, emp_types[i].name};
    return o;
}

void page_staff_list(Req *r, Resp *w)
{
    char today[11];
    date_iso(date_today(), today);
    const char *q = req_query(r, "q"), *unit_s = req_query(r, "unit_id"), *tier_s = req_query(r, "tier");
    const char *emp = req_query(r, "emp_type"), *active_s = req_query(r, "active"), *page_s = req_query(r, "page");
    int64_t v;
    StaffFilter f = {.q = q, .as_of = today, .nendo = r->nendo, .active = 1};
    f.unit_id = parse_int64(unit_s, &v) ? v : 0;
    f.tier = parse_int64(tier_s, &v) && v >= 1 && v <= 3 ? (int)v : 0;
    f.emp_type = str_empty(emp) ? NULL : emp;
    if (str_eq(active_s, "0")) f.active = 0;
    else if (str_eq(active_s, "all")) f.active = -1;
    int64_t root = scope_root(r->user);
    if (root && (!f.unit_id || !org_in_subtree(r->db, root, f.unit_id))) f.unit_id = root;
    int page = page_number(page_s);
    bool download = page_wants_export(r);
    if (!download) {
        f.limit = PAGE_SIZE;
        f.offset = (page - 1) * PAGE_SIZE;
    }
    ListPage kp;
    list_page_parse(r, &kp);
    if (!download) f.keys = &kp;
    Staff *rows;
    int total;
    int n = staff_search(r->db, r->a, &f, &rows, &total);
    if (!download && !n && (kp.after.code || kp.before.code)) { /* nothing at the key's place any more: by the page number */
        kp = (ListPage){0};
        n = staff_search(r->db, r->a, &f, &rows, &total);
    }
    if (!download && !n && total > 0 && page > 1) { /* past the last page: show the last one */
        page = (total + PAGE_SIZE - 1) / PAGE_SIZE;
        f.offset = (page - 1) * PAGE_SIZE;
        n = staff_search(r->db, r->a, &f, &rows, &total);
    }
    if (download) {
        static const char *const head[] = {"職員番号", "氏名", "カナ", "所属", "職位", "職種", "職員区分", "人材区分", "区分詳細", "在職", NULL};
        Table tab;
        table_init(&tab, r->a, "職員一覧", head);
        for (int i = 0; i < n; i++) {
            const Staff *s = &rows[i];
            const char *cells[] = {s->staff_no, s->name, s->kana, s->unit_name, s->post, s->job_type, emp_type_name(s->emp_type),
                                   tier_name(s->tier), tier_subtype_name(s->tier_sub), service_text(r, s)};
            for (size_t k = 0; k < COUNTOF(cells); k++) table_text(&tab, cells[k]);
        }
        page_send_table(r, w, &tab, arena_printf(r->a, "職員一覧_%s", today));
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"職員", NULL}};
    page_begin(r, w, "職員一覧", "staff", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/staff\" role=\"search\">");
    field_text(b, NULL, "q", "氏名・カナ・職員番号", q, 0, "ひらがな・カタカナ・半角カナのどれでも探せます");
    field_unit_filter(r, b, "unit_id", "所属（配下を含む）", today, unit_s, "すべて");
    field_select(b, NULL, "tier", "人材区分", tier_opts, 4, tier_s ? tier_s : "", 0, NULL);
    field_select(b, NULL, "emp_type", "職員区分", emp_options(r, "すべて"), 5, emp ? emp : "", 0, NULL);
    field_select(b, NULL, "active", "在職状況", active_opts, 3, active_s ? active_s : "1", 0, NULL);
    html_raw(b, "<button class=\"btn primary\" type=\"submit\">検索</button></form>\n");
    /* The same query string, for the export links and the pager. */
    Buf qs = BUF_INIT;
    const char *keys[] = {"q", "unit_id", "tier", "emp_type", "active"};
    for (size_t i = 0; i < COUNTOF(keys); i++) {
        const char *val = req_query(r, keys[i]);
        if (str_empty(val)) continue;
        buf_printf(&qs, "&%s=", keys[i]);
        html_urlenc(&qs, val);
    }
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/staff?format=csv%s\">CSV出力</a>"
                   " <a class=\"btn\" href=\"/staff?format=xlsx%s\">Excel出力</a>", buf_cstr(&qs), buf_cstr(&qs));
    if (r->user->roles & (ROLE_HR | ROLE_ADMIN))
        html_raw(b, " <a class=\"btn\" href=\"/import\">名簿を取り込む</a> <a class=\"btn primary\" href=\"/staff/new\">職員を追加</a>");
    html_raw(b, "</div>\n");
    html_printf(b, "<p role=\"status\">%d人が該当します。</p>\n", total);
    if (!n) {
        html_raw(b, "<p class=\"empty\">該当する職員はいません。条件を変えて検索してください。</p>\n");
    } else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>職員一覧</caption><thead><tr><th scope=\"col\">職員番号</th>"
                    "<th scope=\"col\">氏名</th><th scope=\"col\">カナ</th><th scope=\"col\">所属</th><th scope=\"col\">職位</th>"
                    "<th scope=\"col\">職員区分</th><th scope=\"col\">人材区分</th></tr></thead><tbody>\n");
        for (int i = 0; i < n; i++) {
            const Staff *s = &rows[i];
            html_printf(b, "<tr><td>%s</td><td><a href=\"/staff/%lld\">%s</a>", s->staff_no, (long long)s->id, s->name);
            if (!s->in_service) html_printf(b, " <span class=\"badge muted\">%s</span>", service_text(r, s));
            html_printf(b, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td><span class=\"badge tier%d\">%s</span></td></tr>\n", s->kana,
                        s->unit_name, s->post, emp_type_name(s->emp_type), s->tier, tier_name(s->tier));
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    int pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    if (pages > 1) {
        html_raw(b, "<nav class=\"pager\" aria-label=\"ページ\">");
        Buf prev = BUF_INIT, next = BUF_INIT;
        if (page > 2) list_page_key(&prev, "before", &kp.first);
        list_page_key(&next, "after", &kp.last);
        if (page > 1) html_printf(b, "<a rel=\"prev\" href=\"/staff?page=%d%s%s\">前へ</a> ", page - 1, buf_cstr(&prev), buf_cstr(&qs));
        else html_raw(b, "<a>前へ</a> ");
        html_printf(b, "<span aria-current=\"page\">%d / %d ページ</span>", page, pages);
        if (page < pages) html_printf(b, " <a rel=\"next\" href=\"/staff?page=%d%s%s\">次へ</a>", page + 1, buf_cstr(&next), buf_cstr(&qs));
        else html_raw(b, " <a>次へ</a>");
        html_raw(b, "</nav>\n");
        buf_free(&prev);
        buf_free(&next);
    }
    buf_free(&qs);
    page_end(r, w);
}

static void transfer_form(Req *r, Buf *b, const Staff *s, const Errors *e, const char *unit_s, const char *from, const char *kind)
{
    static const Option kinds[] = {{"primary", "本務（異動）"}, {"concurrent", "兼務"}};
    html_raw(b, "<section class=\"panel\"><h2>異動・兼務を登録</h2><p>本務の異動では、今の本務が発令日の前日で終わります。</p>");
    error_summary(b, e);
    form_begin(r, b, arena_printf(r->a, "/staff/%lld/assign", (long long)s->id), "stack");
    char today[11];
    date_iso(date_today(), today);
    field_select(b, e, "kind", "種類", kinds, 2, kind ? kind : "primary", F_REQUIRED, NULL);
    field_text(b, e, "from", "発令日", from, F_REQUIRED | F_NARROW, "例：2027-04-01");
    field_unit(r, b, e, "unit_id", "新しい所属", today, unit_s, F_REQUIRED, "選んでください");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">登録</button></div>");
    form_end(b);
    html_raw(b, "</section>\n");
}

/* 異動・兼務の登録: its own page, with the picker of units (GET, or the
 * POST refused with its errors and what was typed). */
static void assign_page(Req *r, Resp *w, const Errors *e)
{
    char today[11];
    date_iso(date_today(), today);
    Staff s;
    if (!staff_get(r->db, r->a, req_param_id(r, 0), today, r->nendo, &s)) {
        resp_error(r, w, 404, "その職員は見つかりません。");
        return;
    }
    const char *back = arena_printf(r->a, "/staff/%lld", (long long)s.id);
    Crumb crumbs[] = {{"ホーム", "/"}, {"職員", "/staff"}, {s.name, back}, {"異動・兼務を登録", NULL}};
    page_begin(r, w, arena_printf(r->a, "%s（異動・兼務を登録）", s.name), "staff", crumbs, 4);
    Buf *b = &w->body;
    html_printf(b, "<p>現在の所属：%s</p>\n", s.unit_id ? s.unit_name : "（なし）");
    if (!s.in_service) html_raw(b, "<p class=\"empty\">在職していない職員の異動・兼務は登録できません。</p>\n");
    else transfer_form(r, b, &s, e, e ? req_form(r, "unit_id") : "", e ? form_date(r, "from") : "", e ? req_form(r, "kind") : NULL);
    html_printf(b, "<p><a href=\"%s\">職員の詳細に戻る</a></p>\n", back);
    page_end(r, w);
}

void page_staff_assign_form(Req *r, Resp *w) { assign_page(r, w, NULL); }

static void render_staff(Req *r, Resp *w, int64_t id, const Errors *e, const char *form)
{
    char today[11];
    date_iso(date_today(), today);
    Staff s;
    if (!staff_get(r->db, r->a, id, today, r->nendo, &s)) {
        resp_error(r, w, 404, "その職員は見つかりません。");
        return;
    }
    bool hr = r->user->roles & (ROLE_HR | ROLE_ADMIN);
    Crumb crumbs[] = {{"ホーム", "/"}, {"職員", (r->user->roles & ~ROLE_STAFF) ? "/staff" : NULL}, {s.name, NULL}};
    page_begin(r, w, s.name, s.id == r->user->staff_id ? "me" : "staff", crumbs, 3);
    Buf *b = &w->body;
    html_printf(b, "<dl class=\"props\"><dt>職員番号</dt><dd>%s</dd><dt>カナ</dt><dd>%s</dd><dt>所属</dt><dd>", s.staff_no, s.kana);
    if (s.unit_id) html_printf(b, "<a href=\"/org/%lld\">%s</a>", (long long)s.unit_id, s.unit_name);
    else html_raw(b, "（なし）");
    html_printf(b, "</dd><dt>職位</dt><dd>%s</dd><dt>職種</dt><dd>%s</dd><dt>職員区分</dt><dd>%s</dd><dt>人材区分</dt><dd>"
                   "<span class=\"badge tier%d\">%s</span> %s</dd><dt>状態</dt><dd><span class=\"badge%s\">%s</span></dd></dl>\n",
                s.post, s.job_type, emp_type_name(s.emp_type), s.tier, tier_name(s.tier), tier_subtype_name(s.tier_sub),
                s.in_service ? "" : " muted", service_text(r, &s));
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/gaps/person/%lld\">スキルのギャップ分析</a> "
                   "<a class=\"btn\" href=\"/staff/%lld/quals\">資格</a>", (long long)s.id, (long long)s.id);
    if (s.id == r->user->staff_id) html_raw(b, " <a class=\"btn\" href=\"/assess\">自己評価</a>");
    if (hr) html_printf(b, " <a class=\"btn\" href=\"/staff/%lld/edit\">基本情報を編集</a> <a class=\"btn\" href=\"/staff/%lld/disclosure\">開示請求用に出力（Excel）</a>",
                        (long long)s.id, (long long)s.id);
    if (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN))
        html_printf(b, " <a class=\"btn\" href=\"/tiers/new?staff_id=%lld\">人材区分を指名</a>", (long long)s.id);
    html_raw(b, "</div>\n");

    Assignment *as;
    int na = staff_assignments(r->db, r->a, s.id, &as);
    html_raw(b, "<section class=\"panel\"><h2>所属の履歴</h2>");
    if (!na) html_raw(b, "<p class=\"empty\">配属の記録はありません。</p>");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">所属</th><th scope=\"col\">種類</th>"
                    "<th scope=\"col\">開始日</th><th scope=\"col\">終了日</th>");
        if (hr) html_raw(b, "<th scope=\"col\">操作</th>");
        html_raw(b, "</tr></thead><tbody>");
        for (int i = 0; i < na; i++) {
            html_printf(b, "<tr><td><a href=\"/org/%lld\">%s</a></td><td>%s</td><td>", (long long)as[i].unit_id, as[i].unit_name,
                        as[i].is_primary ? "本務" : "兼務");
            html_date(b, as[i].from_date);
            html_raw(b, "</td><td>");
            if (as[i].to_date) html_date(b, as[i].to_date);
            else html_raw(b, "現在");
            html_raw(b, "</td>");
            if (hr) {
                html_raw(b, "<td>");
                if (!as[i].to_date && !as[i].is_primary && s.in_service) {
                    form_begin(r, b, arena_printf(r->a, "/staff/%lld/assignments/%lld/end", (long long)s.id, (long long)as[i].id), "inline");
                    html_printf(b, "<label class=\"visually-hidden\" for=\"end-%lld\">兼務の終了日</label><input type=\"text\" id=\"end-%lld\" name=\"last_day\" value=\"%s\" size=\"10\"> "
                                   "<button type=\"submit\" class=\"btn small\">兼務を終了</button>",
                                (long long)as[i].id, (long long)as[i].id, today);
                    form_end(b);
                }
                html_raw(b, "</td>");
            }
            html_raw(b, "</tr>\n");
        }
        html_raw(b, "</tbody></table></div>");
    }
    html_raw(b, "</section>\n");

    Designation *ds;
    int nd = tier_history(r->db, r->a, s.id, &ds);
    html_raw(b, "<section class=\"panel\"><h2>人材区分の履歴</h2>");
    if (!nd) html_raw(b, "<p class=\"empty\">指名の記録はありません（③一般職員）。</p>");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">年度</th><th scope=\"col\">区分</th>"
                    "<th scope=\"col\">詳細</th><th scope=\"col\">所属</th><th scope=\"col\">指名日</th><th scope=\"col\">指名者</th>"
                    "<th scope=\"col\">解除日</th><th scope=\"col\">備考</th></tr></thead><tbody>");
        for (int i = 0; i < nd; i++) {
            Buf nb = BUF_INIT;
            wareki_nendo(&nb, ds[i].nendo);
            html_printf(b, "<tr><td>%s</td><td><span class=\"badge tier%d\">%s</span></td><td>%s</td><td>%s</td><td>", buf_cstr(&nb),
                        ds[i].tier, tier_name(ds[i].tier), tier_subtype_name(ds[i].subtype), ds[i].unit_name);
            buf_free(&nb);
            html_date(b, ds[i].designated_on);
            html_printf(b, "</td><td>%s</td><td>", ds[i].designated_by);
            if (ds[i].ended_on) html_date(b, ds[i].ended_on);
            html_printf(b, "</td><td>%s</td></tr>\n", ds[i].note);
        }
        html_raw(b, "</tbody></table></div>");
    }
    html_raw(b, "</section>\n");

    if (hr && s.in_service) {
        /* The form with its picker of units is a page of its own: this page
         * stays the same size however large the organisation is. */
        html_raw(b, "<section class=\"panel\"><h2>異動・兼務を登録</h2>");
        if (str_eq(form, "transfer")) error_summary(b, e);
        html_printf(b, "<p><a class=\"btn\" href=\"/staff/%lld/assign\">異動・兼務を登録する</a></p></section>\n", (long long)s.id);
    }
    bool can_end = s.in_service || s.next_from;
    /* An action refused whose form is not offered any more: its errors here. */
    if (hr && ((!can_end && str_eq(form, "deactivate")) || (can_end && str_eq(form, "reactivate")))) error_summary(b, e);
    if (hr && can_end) {
        bool d = str_eq(form, "deactivate");
        html_raw(b, "<section class=\"panel\"><h2>退職等を登録する（退職・派遣終了など）</h2><p>最終日までは在職のままで、最終日の翌日から所属・人材区分の指名・重要システムの担当が終わります。"
                    "先の日付も登録できます。記録は残ります。</p>");
        if (d) error_summary(b, e);
        form_begin(r, b, arena_printf(r->a, "/staff/%lld/deactivate", (long long)s.id), "stack");
        field_text(b, d ? e : NULL, "last_day", "最終日", d ? form_date(r, "last_day") : "", F_REQUIRED | F_NARROW, "例：2027-03-31");
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn danger\" data-confirm=\"この職員の退職等を登録しますか？\">登録する</button></div>");
        form_end(b);
        html_raw(b, "</section>\n");
    } else if (hr) {
        bool re = str_eq(form, "reactivate");
        html_raw(b, "<section class=\"panel\"><h2>再採用する</h2><p>採用日から、選んだ所属の本務として在職になります。</p>");
        if (re) error_summary(b, e);
        form_begin(r, b, arena_printf(r->a, "/staff/%lld/reactivate", (long long)s.id), "stack");
        field_text(b, re ? e : NULL, "from", "採用日", re ? form_date(r, "from") : "", F_REQUIRED | F_NARROW, "例：2027-04-01");
        field_unit(r, b, re ? e : NULL, "unit_id", "所属", today, re ? req_form(r, "unit_id") : "", F_REQUIRED, "選んでください");
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn\">再採用する</button></div>");
        form_end(b);
        html_raw(b, "</section>\n");
    }
    page_end(r, w);
}

void page_staff_show(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    if (!scope_staff(r->db, r->user, id)) {
        resp_error(r, w, 403, "この職員の情報を表示する権限がありません。");
        return;
    }
    if (id == r->user->staff_id) {
        render_staff(r, w, id, NULL, NULL);
        return;
    }
    if (!page_read_begin(r, w)) return;
    render_staff(r, w, id, NULL, NULL);
    page_read_end(r, w, "staff.view", "staff", id, id, "職員ページの閲覧");
}

static void staff_form(Req *r, Resp *w, const Staff *s, const char *unit_s, const char *from, const Errors *e)
{
    bool edit = s->id != 0;
    Crumb crumbs[] = {{"ホーム", "/"}, {"職員", "/staff"}, {edit ? "職員の編集" : "職員の追加", NULL}};
    page_begin(r, w, edit ? "職員の編集" : "職員の追加", "staff", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    form_begin(r, b, edit ? arena_printf(r->a, "/staff/%lld/edit", (long long)s->id) : "/staff/new", "stack");
    field_text(b, e, "staff_no", "職員番号", s->staff_no, F_REQUIRED | F_NARROW, "半角英数字");
    field_text(b, e, "name", "氏名", s->name, F_REQUIRED, "姓と名の間は全角スペース");
    field_text(b, e, "kana", "カナ", s->kana, 0, "全角カタカナ");
    field_select(b, e, "emp_type", "職員区分", emp_options(r, "選んでください"), 5, s->emp_type, F_REQUIRED, NULL);
    field_text(b, e, "post", "職位", s->post, 0, "例：主事、係長、課長");
    field_text(b, e, "job_type", "職種", s->job_type, 0, "例：一般行政、土木、保健師");
    if (!edit) {
        char today[11];
        date_iso(date_today(), today);
        field_unit(r, b, e, "unit_id", "所属", today, unit_s, F_REQUIRED, "選んでください");
        field_text(b, e, "from", "配属日", from, F_REQUIRED | F_NARROW, "例：2026-04-01");
    }
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button> ");
    html_printf(b, "<a class=\"btn\" href=\"%s\">キャンセル</a></div>", edit ? arena_printf(r->a, "/staff/%lld", (long long)s->id) : "/staff");
    form_end(b);
    page_end(r, w);
}

void page_staff_new(Req *r, Resp *w)
{
    char today[11];
    date_iso(date_today(), today);
    Staff s = {.staff_no = "", .name = "", .kana = "", .emp_type = "regular", .post = "", .job_type = ""};
    staff_form(r, w, &s, "", today, NULL);
}

void page_staff_edit(Req *r, Resp *w)
{
    char today[11];
    date_iso(date_today(), today);
    Staff s;
    if (!staff_get(r->db, r->a, req_param_id(r, 0), today, r->nendo, &s)) {
        resp_error(r, w, 404, "その職員は見つかりません。");
        return;
    }
    staff_form(r, w, &s, "", "", NULL);
}

void page_staff_save(Req *r, Resp *w)
{
    Errors e = {0};
    Staff s = {0};
    s.id = r->nparams ? req_param_id(r, 0) : 0;
    if (r->nparams && !s.id) {
        resp_error(r, w, 404, "その職員は見つかりません。");
        return;
    }
    s.staff_no = text_trim(r->a, req_form(r, "staff_no"));
    s.name = text_trim(r->a, req_form(r, "name"));
    s.kana = text_trim(r->a, req_form(r, "kana"));
    s.emp_type = text_trim(r->a, req_form(r, "emp_type"));
    s.post = text_trim(r->a, req_form(r, "post"));
    s.job_type = text_trim(r->a, req_form(r, "job_type"));
    const char *unit_s = req_form(r, "unit_id");
    int64_t v;
    s.unit_id = parse_int64(unit_s, &v) ? v : 0;
    const char *from = form_date(r, "from");
    Actor who;
    page_actor(r, &who);
    if (staff_save(r->db, &who, &s, from, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/staff/%lld?msg=saved", (long long)s.id));
        return;
    }
    staff_form(r, w, &s, unit_s ? unit_s : "", from, &e);
    w->status = 422;
}

/* Runs one HR action on a person; on success redirects with msg, else shows
 * the person's page with the errors beside the form named `form`. */
static void staff_action(Req *r, Resp *w, int rc, const Errors *e, const char *msg, const char *form)
{
    int64_t id = req_param_id(r, 0);
    if (rc == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/staff/%lld?msg=%s", (long long)id, msg));
        return;
    }
    render_staff(r, w, id, e, form);
    if (w->status == 200) w->status = 422;
}

void page_staff_deactivate(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int rc = staff_deactivate(r->db, &who, req_param_id(r, 0), form_date(r, "last_day"), &e);
    staff_action(r, w, rc, &e, "deactivated", "deactivate");
}

void page_staff_reactivate(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t unit_id;
    if (!parse_int64(req_form(r, "unit_id"), &unit_id)) unit_id = 0;
    int rc = staff_reactivate(r->db, &who, req_param_id(r, 0), unit_id, form_date(r, "from"), &e);
    staff_action(r, w, rc, &e, "reactivated", "reactivate");
}

void page_staff_assign(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t unit_id;
    if (!parse_int64(req_form(r, "unit_id"), &unit_id)) unit_id = 0;
    bool primary = !str_eq(req_form(r, "kind"), "concurrent");
    int rc = staff_assign(r->db, &who, req_param_id(r, 0), unit_id, primary, form_date(r, "from"), &e);
    if (rc == 0) {
        staff_action(r, w, rc, &e, "assigned", "transfer");
        return;
    }
    assign_page(r, w, &e);
    if (w->status == 200) w->status = 422;
}

void page_staff_assignment_end(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t aid = req_param_id(r, 1);
    /* The assignment must belong to the person in the URL. */
    int rc = -1;
    if (!db_exists(r->db, "SELECT 1 FROM assignment WHERE id = ? AND staff_id = ?", aid, req_param_id(r, 0)))
        err_add(&e, "", "配属が見つかりません。");
    else rc = staff_assignment_end(r->db, &who, aid, form_date(r, "last_day"), &e);
    staff_action(r, w, rc, &e, "ended", "transfer");
}
