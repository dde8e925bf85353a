/* page_admin.c - administrator screens: accounts, sessions, audit log, settings. */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "../auth/account.h"
#include "../auth/ldap.h"
#include "../auth/session.h"
#include "../auth/throttle.h"
#include "../core/util.h"
#include "../domain/settings.h"
#include "../domain/staff.h"
#include "../html/layout.h"
#include "../io/csv.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

static const Crumb admin_crumb = {"管理", "/admin"};

void page_admin(Req *r, Resp *w)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"管理", NULL}};
    page_begin(r, w, "管理", "admin", crumbs, 2);
    html_raw(&w->body, "<ul><li><a href=\"/admin/users\">アカウント（作成・権限・パスワード再設定・無効化）</a></li>"
                       "<li><a href=\"/admin/sessions\">ログイン中のセッション</a></li>"
                       "<li><a href=\"/admin/ldap\">LDAP（Active Directory）認証</a></li>"
                       "<li><a href=\"/admin/audit\">監査ログ</a></li><li><a href=\"/admin/settings\">設定（年度・団体名）</a></li></ul>\n");
    page_end(r, w);
}

static const struct {
    unsigned bit;
    const char *code, *name;
} role_boxes[] = {{ROLE_STAFF, "staff", "職員"}, {ROLE_MANAGER, "manager", "所属長"}, {ROLE_HR, "hr", "人事"},
                  {ROLE_DX, "dx", "DX推進"}, {ROLE_ADMIN, "admin", "管理者"}};

static void role_checkboxes(Buf *b, const char *prefix, unsigned roles)
{
    html_raw(b, "<fieldset class=\"field\"><legend>権限</legend>");
    for (size_t i = 0; i < COUNTOF(role_boxes); i++)
        html_printf(b, "<label class=\"choice\"><input type=\"checkbox\" name=\"role\" value=\"%s\" id=\"%s-%s\"%s> %s</label> ",
                    role_boxes[i].code, prefix, role_boxes[i].code, roles & role_boxes[i].bit ? " checked" : "", role_boxes[i].name);
    html_raw(b, "</fieldset>");
}

static unsigned form_roles(Req *r)
{
    unsigned roles = 0;
    for (size_t i = 0; i < r->form.n; i++)
        if (strcmp(r->form.items[i].name, "role") == 0) roles |= roles_parse(r->form.items[i].value);
    return roles;
}

/* "YYYY-MM-DD HH:MM" of a unix time. */
static const char *clock_text(Arena *a, int64_t t)
{
    char out[32] = "";
    time_t tt = (time_t)t;
    struct tm tm;
    if (localtime_r(&tt, &tm)) strftime(out, sizeof out, "%Y-%m-%d %H:%M", &tm);
    return arena_strdup(a, out);
}

#define USERS_PER_PAGE 50

/* "前へ 1 2 … 次へ" links for page (1-based) of pages, keeping the query
 * string qs (already URL-encoded, starting with '&' or empty). */
static void pager(Req *r, Buf *b, const char *path, const char *qs, int page, int pages)
{
    if (pages <= 1) return;
    html_raw(b, "<nav class=\"pager\" aria-label=\"ページ\">");
    if (page > 1) html_printf(b, "<a href=\"%s?page=%d%s\" rel=\"prev\">前へ</a> ", path, page - 1, qs);
    for (int p = 1; p <= pages; p++) {
        /* The first, the last, and those near the current page. */
        if (p != 1 && p != pages && (p < page - 3 || p > page + 3)) {
            if (p == page - 4 || p == page + 4) html_raw(b, "… ");
            continue;
        }
        if (p == page) html_printf(b, "<strong aria-current=\"page\">%d</strong> ", p);
        else html_printf(b, "<a href=\"%s?page=%d%s\">%d</a> ", path, p, qs, p);
    }
    if (page < pages) html_printf(b, "<a href=\"%s?page=%d%s\" rel=\"next\">次へ</a>", path, page + 1, qs);
    html_raw(b, "</nav>\n");
    (void)r;
}

static void bulk_section(Req *r, Buf *b, const Errors *e, const char *posts)
{
    BulkAccount *cand;
    int nc = account_bulk_candidates(r->db, r->a, &cand);
    html_raw(b, "<section class=\"panel\" id=\"bulk\"><h2>アカウントの一括作成</h2>");
    html_printf(b, "<p>在職中でアカウントのない職員は<strong>%d人</strong>です。", nc);
    html_raw(b, "全員のアカウントを一度に作成し、初期パスワードを一人1枚のお知らせ（A4）として印刷するか、CSVで出力します。"
                "初期パスワードはこの一度しか表示されず、保存もされません。本人は最初のログインでパスワードを変更します。</p>\n");
    if (nc) {
        error_summary(b, e);
        form_begin(r, b, "/admin/users/bulk", "stack");
        field_text(b, e, "posts", "所属長とする職位", posts, 0, "カンマ区切り。全員に「職員」、この職位の人には「所属長」も付きます");
        field_checkbox(b, "lower", "ログイン名を職員番号の小文字にする（K1234 → k1234。ログイン名には英小文字しか使えません）", true);
        field_checkbox(b, "ldap", "LDAP（Active Directory）で認証する（初期パスワードを作らない）", false);
        html_raw(b, "<fieldset class=\"field\"><legend>初期パスワードの出力</legend>"
                    "<label class=\"choice\"><input type=\"radio\" name=\"output\" value=\"print\" checked> 印刷用のお知らせ（一人1枚）</label> "
                    "<label class=\"choice\"><input type=\"radio\" name=\"output\" value=\"csv\"> CSVファイル</label></fieldset>");
        html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\" data-confirm=\"%d人のアカウントを作成しますか？\">"
                       "%d人のアカウントを作成</button></div>",
                    nc, nc);
        form_end(b);
    }
    html_raw(b, "</section>\n");
}

static void users_page(Req *r, Resp *w, const Errors *e, const char *login, const char *staff_no, unsigned roles)
{
    Crumb crumbs[] = {{"ホーム", "/"}, admin_crumb, {"アカウント", NULL}};
    page_begin(r, w, "アカウント", "admin", crumbs, 3);
    Buf *b = &w->body;
    const char *msg = req_query(r, "msg");
    if (str_eq(msg, "unlocked")) html_raw(b, "<div class=\"flash ok\" role=\"status\">ロックを解除しました。</div>\n");
    if (str_eq(msg, "auth")) html_raw(b, "<div class=\"flash ok\" role=\"status\">認証方式を変更しました。</div>\n");
    const char *q = req_query(r, "q");
    int page = page_number(req_query(r, "page")), total = 0;
    Account *as;
    int n = account_search(r->db, r->a, q, USERS_PER_PAGE, (page - 1) * USERS_PER_PAGE, &as, &total);
    int pages = (total + USERS_PER_PAGE - 1) / USERS_PER_PAGE;
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/admin/users\">");
    field_text(b, NULL, "q", "検索（ログイン名・氏名・職員番号）", q ? q : "", 0, NULL);
    html_raw(b, "<button class=\"btn primary\" type=\"submit\">検索</button></form>\n");
    html_printf(b, "<p role=\"status\">%d件", total);
    if (pages > 1) html_printf(b, "（%dページ中%dページ目）", pages, page);
    html_raw(b, "</p>\n");
    Buf qs = BUF_INIT;
    if (!str_empty(q)) {
        buf_puts(&qs, "&q=");
        html_urlenc(&qs, q);
    }
    pager(r, b, "/admin/users", buf_cstr(&qs), page, pages);
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>アカウント一覧</caption><thead><tr><th scope=\"col\">ログイン名</th>"
                "<th scope=\"col\">職員</th><th scope=\"col\">権限</th><th scope=\"col\">状態</th><th scope=\"col\">セッション</th>"
                "<th scope=\"col\">変更</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td>%s</td><td>", as[i].login);
        if (as[i].staff_id) html_printf(b, "<a href=\"/staff/%lld\">%s</a>（%s）", (long long)as[i].staff_id, as[i].staff_name, as[i].staff_no);
        html_printf(b, "</td><td>%s</td><td>%s", roles_names(r->a, as[i].roles),
                    !as[i].active ? "無効" : !as[i].in_service ? "在職していないため使用不可" : "有効");
        if (as[i].ldap) html_raw(b, " <span class=\"badge\">LDAP認証</span>");
        if (as[i].must_change) html_raw(b, " <span class=\"badge warn\">初期パスワード</span>");
        if (as[i].locked_until) html_printf(b, " <span class=\"badge warn\">ロック中（%sまで）</span>", clock_text(r->a, as[i].locked_until));
        html_printf(b, "</td><td class=\"num\">%d</td><td>", as[i].sessions);
        if (as[i].locked_until) {
            form_begin(r, b, arena_printf(r->a, "/admin/users/%lld", (long long)as[i].id), "inline");
            html_raw(b, "<button type=\"submit\" name=\"op\" value=\"unlock\" class=\"btn small\">ロックを解除</button>");
            form_end(b);
        }
        if (as[i].active) {
            form_begin(r, b, arena_printf(r->a, "/admin/users/%lld", (long long)as[i].id), "inline");
            role_checkboxes(b, arena_printf(r->a, "u%lld", (long long)as[i].id), as[i].roles);
            html_printf(b, "<label for=\"pw-%lld\">新しいパスワード（再設定する場合）</label> <input type=\"password\" id=\"pw-%lld\" name=\"password\" autocomplete=\"new-password\"> ",
                        (long long)as[i].id, (long long)as[i].id);
            html_raw(b, "<button type=\"submit\" name=\"op\" value=\"update\" class=\"btn small\">変更</button> "
                        "<button type=\"submit\" name=\"op\" value=\"disable\" class=\"btn small danger\" data-confirm=\"このアカウントを無効にしますか？\">無効化</button> ");
            if (as[i].ldap) html_raw(b, "<button type=\"submit\" name=\"op\" value=\"local\" class=\"btn small\">ローカル認証に戻す</button>");
            else html_raw(b, "<button type=\"submit\" name=\"op\" value=\"ldap\" class=\"btn small\">LDAP認証にする</button>");
            form_end(b);
        }
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    pager(r, b, "/admin/users", buf_cstr(&qs), page, pages);
    buf_free(&qs);
    bool bulk_error = e && err_for(e, "posts");
    bulk_section(r, b, bulk_error ? e : NULL, bulk_error ? req_form(r, "posts") : account_manager_posts(r->db, r->a));
    html_raw(b, "<section class=\"panel\"><h2>アカウントを作成</h2>");
    if (!bulk_error) error_summary(b, e);
    form_begin(r, b, "/admin/users", "stack");
    field_text(b, e, "login", "ログイン名", login, F_REQUIRED | F_NARROW, "半角英小文字・数字・.-_ の2〜32文字");
    field_text(b, e, "staff_no", "職員番号", staff_no, F_NARROW, "職員に結び付ける場合");
    role_checkboxes(b, "new", roles);
    if (err_for(e, "roles")) html_printf(b, "<p class=\"error-msg\" id=\"e-roles\">%s</p>", err_for(e, "roles"));
    field_password(b, e, "password", "初期パスワード", "new-password");
    html_raw(b, "<p class=\"muted\">本人は最初のログインでパスワードを変更します。</p>"
                "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">作成</button></div>");
    form_end(b);
    html_raw(b, "</section>\n<p><a href=\"/admin/ldap\">LDAP（Active Directory）認証の設定</a></p>\n");
    page_end(r, w);
}

void page_admin_users(Req *r, Resp *w) { users_page(r, w, NULL, "", "", ROLE_STAFF); }

void page_admin_user_create(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    const char *login = text_trim(r->a, req_form(r, "login")), *staff_no = text_trim(r->a, req_form(r, "staff_no"));
    unsigned roles = form_roles(r);
    const char *pw = req_form(r, "password");
    if (account_create_initial(r->db, &who, login, staff_no, roles, pw ? pw : "", &e) == 0) {
        resp_redirect(r, w, "/admin/users?msg=created");
        return;
    }
    users_page(r, w, &e, login, staff_no, roles);
    w->status = 422;
}

/* The one-time output of bulk creation: a CSV download. */
static void bulk_csv(Req *r, Resp *w, const BulkAccount *rows, int n, const char *url)
{
    Buf out = BUF_INIT;
    Csv c;
    csv_begin(&c, &out);
    static const char *const head[] = {"職員番号", "氏名", "所属", "ログイン名", "初期パスワード", "権限", "URL", "備考", NULL};
    csv_header(&c, head);
    for (int i = 0; i < n; i++) {
        csv_cell(&c, rows[i].staff_no);
        csv_cell(&c, rows[i].name);
        csv_cell(&c, rows[i].unit);
        csv_cell(&c, rows[i].skipped ? "" : rows[i].login);
        csv_cell(&c, rows[i].password ? rows[i].password : "");
        csv_cell(&c, rows[i].skipped ? "" : roles_names(r->a, rows[i].roles));
        csv_cell(&c, url);
        csv_cell(&c, rows[i].skipped ? rows[i].skipped : rows[i].password ? "" : "LDAP認証");
        csv_row_end(&c);
    }
    page_send_csv(r, w, &out, "初期パスワード.csv");
    sodium_memzero(out.data, out.cap);
    buf_free(&out);
}

/* The one-time output of bulk creation: one A4 notice per person. */
static void bulk_print(Req *r, Resp *w, const BulkAccount *rows, int n, int made, const char *url)
{
    Crumb crumbs[] = {{"ホーム", "/"}, admin_crumb, {"アカウント", "/admin/users"}, {"初期パスワードのお知らせ", NULL}};
    page_begin(r, w, "初期パスワードのお知らせ", "admin", crumbs, 4);
    Buf *b = &w->body;
    html_printf(b, "<div class=\"no-print\"><div class=\"flash ok\" role=\"status\">%d人のアカウントを作成しました。</div>"
                   "<p class=\"flash warn\" role=\"alert\">初期パスワードはこの画面にしか表示されません。閉じる前に印刷してください"
                   "（ブラウザの印刷で、一人1枚ずつA4に印刷されます）。</p>",
                made);
    int skipped = 0;
    for (int i = 0; i < n; i++) skipped += rows[i].skipped != NULL;
    if (skipped) {
        html_printf(b, "<h2>作成しなかった職員（%d人）</h2><ul>", skipped);
        for (int i = 0; i < n; i++)
            if (rows[i].skipped) html_printf(b, "<li>%s（%s）：%s</li>", rows[i].name, rows[i].staff_no, rows[i].skipped);
        html_raw(b, "</ul>");
    }
    html_raw(b, "</div>\n");
    for (int i = 0; i < n; i++) {
        if (rows[i].skipped || !rows[i].password) continue;
        html_printf(b, "<section class=\"notice-sheet\"><h2>jinzai（デジタル人材育成システム）アカウントのお知らせ</h2>"
                       "<p class=\"notice-to\">%s %s 様</p>"
                       "<dl class=\"props\"><dt>ログイン名</dt><dd class=\"mono\">%s</dd><dt>初期パスワード</dt><dd class=\"mono\">%s</dd>"
                       "<dt>URL</dt><dd class=\"mono\">%s</dd><dt>権限</dt><dd>%s</dd></dl>",
                    rows[i].unit, rows[i].name, rows[i].login, rows[i].password, url, roles_names(r->a, rows[i].roles));
        html_raw(b, "<h3>はじめてのログイン</h3><ol><li>庁内ネットワークのパソコンで上のURLを開きます。</li>"
                    "<li>ログイン名と初期パスワードを入力してログインします。</li>"
                    "<li>パスワード変更の画面が表示されます。12文字以上で、ご自分だけが知る新しいパスワードに変更してください。"
                    "変更するまで他の画面は使えません。</li></ol>"
                    "<p>このお知らせは他の人に見せず、パスワードを変更した後はシュレッダーで処分してください。"
                    "パスワードを忘れた場合は、システム管理者に再設定を依頼してください。</p></section>\n");
    }
    page_end(r, w);
}

void page_admin_users_bulk(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    BulkOptions o = {.lower = req_form(r, "lower") != NULL, .ldap = req_form(r, "ldap") != NULL,
                     .manager_posts = text_trim(r->a, req_form(r, "posts"))};
    BulkAccount *rows = NULL;
    int n = 0;
    int made = account_bulk_create(r->db, &who, r->a, &o, &rows, &n, &e);
    if (made < 0) {
        if (!err_for(&e, "posts")) err_add(&e, "posts", err_any(&e) ? e.items[0].msg : "作成できませんでした。");
        users_page(r, w, &e, "", "", ROLE_STAFF);
        w->status = 422;
        return;
    }
    const char *host = req_header(r, "Host");
    const char *url = arena_printf(r->a, "%s://%s/", r->https ? "https" : "http", str_empty(host) ? "localhost" : host);
    if (str_eq(req_form(r, "output"), "csv")) bulk_csv(r, w, rows, n, url);
    else bulk_print(r, w, rows, n, made, url);
    /* The passwords leave memory with the response; nothing else holds them. */
    for (int i = 0; i < n; i++)
        if (rows[i].password) sodium_memzero((void *)rows[i].password, strlen(rows[i].password));
}

void page_admin_user_update(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    Account acc;
    if (!account_get(r->db, r->a, req_param_id(r, 0), &acc)) {
        resp_error(r, w, 404, "そのアカウントはありません。");
        return;
    }
    const char *op = req_form(r, "op");
    int rc;
    if (str_eq(op, "disable")) rc = account_disable(r->db, &who, acc.login, &e);
    else if (str_eq(op, "unlock")) rc = throttle_unlock(r->db, &who, acc.id, &e);
    else if (str_eq(op, "ldap") || str_eq(op, "local")) rc = account_set_auth(r->db, &who, acc.id, str_eq(op, "ldap"), &e);
    else rc = account_update(r->db, &who, acc.id, form_roles(r), req_form(r, "password"), &e);
    if (rc == 0) {
        resp_redirect(r, w, str_eq(op, "unlock") ? "/admin/users?msg=unlocked"
                            : str_eq(op, "ldap") || str_eq(op, "local") ? "/admin/users?msg=auth"
                                                                         : "/admin/users?msg=saved");
        return;
    }
    users_page(r, w, &e, "", "", ROLE_STAFF);
    w->status = 422;
}

static void sessions_page(Req *r, Resp *w, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, admin_crumb, {"セッション", NULL}};
    page_begin(r, w, "ログイン中のセッション", "admin", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    LoginSession *rows;
    int n = session_logins(r->db, r->a, &rows);
    if (n)
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">ログイン名</th><th scope=\"col\">開始</th>"
                    "<th scope=\"col\">最終操作</th><th scope=\"col\">IP</th><th scope=\"col\">ブラウザ</th><th scope=\"col\">操作</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%.60s</td><td>", rows[i].login, clock_text(r->a, rows[i].created_at),
                    clock_text(r->a, rows[i].last_seen), rows[i].ip, rows[i].user_agent);
        if (rows[i].id != r->user->session_id) {
            form_begin(r, b, arena_printf(r->a, "/admin/sessions/%lld/revoke", (long long)rows[i].id), "inline");
            html_raw(b, "<button type=\"submit\" class=\"btn small danger\">失効させる</button>");
            form_end(b);
        } else {
            html_raw(b, "（このセッション）");
        }
        html_raw(b, "</td></tr>\n");
    }
    if (n) html_raw(b, "</tbody></table></div>\n");
    else html_raw(b, "<p class=\"empty\">ログイン中のセッションはありません。</p>");
    page_end(r, w);
}

void page_admin_sessions(Req *r, Resp *w) { sessions_page(r, w, NULL); }

void page_admin_session_revoke(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (session_revoke(r->db, &who, req_param_id(r, 0), &e) == 0) {
        resp_redirect(r, w, "/admin/sessions?msg=saved");
        return;
    }
    sessions_page(r, w, &e);
    w->status = 422;
}

#define AUDIT_PER_PAGE 200

void page_admin_audit(Req *r, Resp *w)
{
    AuditFilter f = {0};
    const char *actor = req_query(r, "actor"), *action = req_query(r, "action"), *staff_no = req_query(r, "staff_no");
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    f.actor = str_empty(actor) ? NULL : actor;
    f.action = str_empty(action) ? NULL : action;
    if (!str_empty(staff_no)) {
        int64_t sid = staff_id_by_no(r->db, staff_no);
        f.subject_staff_id = sid ? sid : -1; /* an unknown number matches nothing */
    }
    Date d;
    char fi[11], ti[11];
    if (!str_empty(from) && date_parse_loose(from, &d)) date_iso(d, fi), f.from = fi;
    if (!str_empty(to) && date_parse_loose(to, &d)) date_iso(d, ti), f.to = ti;
    bool download = page_wants_export(r);
    int page = page_number(req_query(r, "page"));
    f.limit = download ? 100000 : AUDIT_PER_PAGE;
    f.offset = download ? 0 : (page - 1) * AUDIT_PER_PAGE;
    AuditRow *rows;
    int total;
    int n = audit_list(r->db, r->a, &f, &rows, &total);
    if (download) {
        static const char *const head[] = {"番号", "日時", "操作者", "IP", "操作", "対象", "対象ID", "対象職員", "内容", "回数", "最終日時", NULL};
        Table tab;
        table_init(&tab, r->a, "監査ログ", head);
        for (int i = 0; i < n; i++) {
            table_int(&tab, rows[i].id);
            const char *cells[] = {rows[i].at, rows[i].actor, rows[i].ip, rows[i].action, rows[i].entity};
            for (size_t k = 0; k < COUNTOF(cells); k++) table_text(&tab, cells[k]);
            table_int(&tab, rows[i].entity_id);
            table_text(&tab, rows[i].subject_name);
            table_text(&tab, rows[i].summary);
            table_int(&tab, rows[i].repeats);
            table_text(&tab, rows[i].last_at ? rows[i].last_at : rows[i].at);
        }
        page_send_table(r, w, &tab, "監査ログ");
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, admin_crumb, {"監査ログ", NULL}};
    page_begin(r, w, "監査ログ", "admin", crumbs, 3);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">すべての変更と、他の職員の情報の閲覧を記録しています。記録は変更・削除できません。"
                "同じ人が同じ記録を10分以内に続けて閲覧したときは、1行に回数と最終日時をまとめます。"
                "終わった年度は<a href=\"/admin/audit/archive\">ファイルに保存</a>して、データベースから移せます。</p>"
                "<form class=\"filters\" method=\"get\" action=\"/admin/audit\">");
    field_text(b, NULL, "staff_no", "対象職員の職員番号", staff_no, F_NARROW, NULL);
    field_text(b, NULL, "actor", "操作者（ログイン名）", actor, F_NARROW, NULL);
    field_text(b, NULL, "action", "操作", action, F_NARROW, "例：staff.update");
    field_text(b, NULL, "from", "開始日", from, F_NARROW, NULL);
    field_text(b, NULL, "to", "終了日", to, F_NARROW, NULL);
    html_raw(b, "<button class=\"btn primary\" type=\"submit\">絞り込み</button></form>\n");
    Buf qs = BUF_INIT;
    const char *keys[] = {"staff_no", "actor", "action", "from", "to"};
    for (size_t i = 0; i < COUNTOF(keys); i++) {
        const char *val = req_query(r, keys[i]);
        if (str_empty(val)) continue;
        buf_printf(&qs, "&%s=", keys[i]);
        html_urlenc(&qs, val);
    }
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/admin/audit?format=csv%s\">CSV出力</a>"
                   " <a class=\"btn\" href=\"/admin/audit?format=xlsx%s\">Excel出力</a></div>\n", buf_cstr(&qs), buf_cstr(&qs));
    int pages = (total + AUDIT_PER_PAGE - 1) / AUDIT_PER_PAGE;
    if (n)
        html_printf(b, "<p role=\"status\">%d件中 %d〜%d件目（新しい順、1ページ%d件）</p>\n", total, f.offset + 1, f.offset + n,
                    AUDIT_PER_PAGE);
    else html_printf(b, "<p role=\"status\">%d件</p>\n", total);
    pager(r, b, "/admin/audit", buf_cstr(&qs), page, pages);
    if (!n) html_raw(b, "<p class=\"empty\">該当する記録はありません。</p>\n");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">日時</th><th scope=\"col\">操作者</th>"
                    "<th scope=\"col\">IP</th><th scope=\"col\">操作</th><th scope=\"col\">対象職員</th><th scope=\"col\">内容</th></tr></thead><tbody>\n");
        for (int i = 0; i < n; i++) {
            html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s", rows[i].at, rows[i].actor,
                        rows[i].ip, rows[i].action, rows[i].subject_name ? rows[i].subject_name : "", rows[i].summary);
            /* A collapsed run of views: 「閲覧 12回（最終 10:42）」. */
            if (rows[i].repeats > 1 && rows[i].last_at && strlen(rows[i].last_at) >= 16)
                html_printf(b, " <span class=\"muted\">閲覧 %lld回（最終 %.5s）</span>", (long long)rows[i].repeats, rows[i].last_at + 11);
            html_raw(b, "</td></tr>\n");
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    html_raw(b, "<h2>ファイルに保存した年度</h2>\n");
    page_audit_archives_table(r, b);
    pager(r, b, "/admin/audit", buf_cstr(&qs), page, pages);
    buf_free(&qs);
    page_end(r, w);
}

static void ldap_page(Req *r, Resp *w, const Errors *e, const LdapConfig *c)
{
    Crumb crumbs[] = {{"ホーム", "/"}, admin_crumb, {"LDAP認証", NULL}};
    page_begin(r, w, "LDAP（Active Directory）認証の設定", "admin", crumbs, 3);
    Buf *b = &w->body;
    if (str_eq(req_query(r, "msg"), "saved")) html_raw(b, "<div class=\"flash ok\" role=\"status\">保存しました。</div>\n");
    html_raw(b, "<p class=\"lead\">LDAP認証のアカウントは、本人のユーザー名とパスワードでディレクトリにバインドして確認します。"
                "このシステムにはパスワードを保存しません。ローカル認証のアカウントはそのまま使えます。</p>\n");
    if (ldapauth_url_override) html_printf(b, "<p class=\"flash warn\">起動時の --ldap %s が、下のURLより優先されています。</p>", ldapauth_url_override);
    error_summary(b, e);
    form_begin(r, b, "/admin/ldap", "stack");
    field_text(b, e, "url", "LDAPサーバーのURL", c->url, 0, "例：ldap://dc01.city.local:389（空にするとLDAP認証を使いません）");
    field_text(b, e, "bind_dn", "バインドDN", c->bind_dn, 0, "%s にログイン名が入ります。例：uid=%s,ou=people,dc=example,dc=jp または %s@city.local");
    field_checkbox(b, "starttls", "StartTLSを使う", c->starttls);
    field_text(b, e, "attr", "職員番号の属性", c->attr, F_NARROW, "ログイン名がアカウントにない場合、この属性（例：employeeNumber）の職員番号で職員を探します");
    field_text(b, e, "base", "検索ベース", c->base, 0, "バインド名がDNでない場合（UPN）に、利用者のエントリを探す場所。例：dc=city,dc=local");
    field_text(b, e, "filter", "検索フィルタ", c->filter, 0, "例：(sAMAccountName=%s)");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button></div>");
    form_end(b);
    page_end(r, w);
}

void page_admin_ldap(Req *r, Resp *w)
{
    LdapConfig c;
    ldapauth_config(r->db, r->a, &c);
    if (ldapauth_url_override) c.url = setting_get(r->db, r->a, "ldap_url", "");
    ldap_page(r, w, NULL, &c);
}

void page_admin_ldap_post(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    LdapConfig c = {.url = text_trim(r->a, req_form(r, "url")),
                    .bind_dn = text_trim(r->a, req_form(r, "bind_dn")),
                    .attr = text_trim(r->a, req_form(r, "attr")),
                    .base = text_trim(r->a, req_form(r, "base")),
                    .filter = text_trim(r->a, req_form(r, "filter")),
                    .starttls = req_form(r, "starttls") != NULL};
    if (ldapauth_save(r->db, &who, &c, &e) == 0) {
        resp_redirect(r, w, "/admin/ldap?msg=saved");
        return;
    }
    ldap_page(r, w, &e, &c);
    w->status = 422;
}

/* The SMTP relay and the base URL of links in mail. The password is never
 * shown back: an empty field keeps the stored one. */
static void mail_settings_html(Req *r, Buf *b, const Errors *e, const SmtpSettings *m)
{
    html_raw(b, "<section class=\"panel\" id=\"mail\"><h2>メール送信（SMTP）</h2>"
                "<p>お知らせと督促のメールは、ここで設定した中継サーバーから送ります。SMTPサーバーが空欄の間は、メールは送られずに待ち行列に残ります。</p>\n");
    if (str_eq(req_query(r, "msg"), "mail")) html_raw(b, "<div class=\"flash ok\" role=\"status\">メール送信の設定を保存しました。</div>\n");
    if (str_eq(req_query(r, "msg"), "mailtest"))
        html_raw(b, "<div class=\"flash ok\" role=\"status\">テストメールを送信の待ち行列に入れました。届くまで少しお待ちください。</div>\n");
    form_begin(r, b, "/admin/settings/mail", "stack");
    field_text(b, e, "host", "SMTPサーバー", m->host, 0, "例：smtp.city.example.lg.jp（空欄：メールを送らない）");
    field_text(b, e, "port", "ポート番号", m->port, F_REQUIRED | F_NARROW, "例：25、587");
    field_text(b, e, "sender", "送信元のメールアドレス", m->sender, 0, "例：jinzai@city.example.lg.jp");
    field_checkbox(b, "starttls", "STARTTLSで暗号化する", m->starttls);
    field_text(b, e, "user", "SMTP認証のユーザー名", m->user, 0, "認証しないときは空欄");
    bool stored = !str_empty(setting_get(r->db, r->a, "smtp_password", ""));
    html_printf(b, "<div class=\"field\"><label for=\"f-password\">SMTP認証のパスワード</label><input type=\"password\" id=\"f-password\" name=\"password\""
                   " autocomplete=\"new-password\" value=\"\" aria-describedby=\"h-password\"><p class=\"hint\" id=\"h-password\">%s</p></div>\n",
                stored ? "登録済みです（表示しません）。変えるときだけ入力してください。空欄のままなら今のパスワードを使います。" : "未登録です。");
    field_text(b, e, "base_url", "メール内のリンクのURL", m->base_url, 0, "例：https://jinzai.city.example.lg.jp");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">メール送信の設定を保存</button></div>");
    form_end(b);
    form_begin(r, b, "/admin/settings/mail-test", "inline");
    html_raw(b, "<button type=\"submit\" class=\"btn\">テストメールを送る</button> <span class=\"hint\">あなたのアカウントのメールアドレスあてに1通送ります。</span>");
    form_end(b);
    html_raw(b, "</section>\n");
}

static void settings_page_all(Req *r, Resp *w, const Errors *e, const char *nendo_s, const char *city, const Errors *me, const SmtpSettings *m)
{
    Crumb crumbs[] = {{"ホーム", "/"}, admin_crumb, {"設定", NULL}};
    page_begin(r, w, "設定", "admin", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    error_summary(b, me);
    form_begin(r, b, "/admin/settings", "stack");
    field_text(b, e, "nendo", "現在の年度", nendo_s, F_REQUIRED | F_NARROW, "人材区分・計画・目標の既定の年度（例：2026 または 令和8）");
    field_text(b, e, "city", "団体名", city, F_REQUIRED, NULL);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button></div>");
    form_end(b);
    SmtpSettings stored;
    if (!m) settings_smtp_get(r->db, r->a, &stored);
    mail_settings_html(r, b, me, m ? m : &stored);
    page_end(r, w);
}

static void settings_page(Req *r, Resp *w, const Errors *e, const char *nendo_s, const char *city)
{
    settings_page_all(r, w, e, nendo_s, city, NULL, NULL);
}

void page_admin_mail_post(Req *r, Resp *w)
{
    SmtpSettings m = {
        .host = text_trim(r->a, req_form(r, "host")),
        .port = text_trim(r->a, req_form(r, "port")),
        .sender = text_trim(r->a, req_form(r, "sender")),
        .user = text_trim(r->a, req_form(r, "user")),
        .password = req_form(r, "password"),
        .base_url = text_trim(r->a, req_form(r, "base_url")),
        .starttls = str_eq(req_form(r, "starttls"), "1"),
    };
    if (!m.host) m.host = "";
    if (!m.port) m.port = "";
    if (!m.sender) m.sender = "";
    if (!m.user) m.user = "";
    if (!m.password) m.password = "";
    if (!m.base_url) m.base_url = "";
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (settings_smtp_save(r->db, &who, &m, &e) == 0) {
        resp_redirect(r, w, "/admin/settings?msg=mail#mail");
        return;
    }
    settings_page_all(r, w, NULL, arena_printf(r->a, "%d", r->nendo), settings_city(r->db, r->a), &e, &m);
    w->status = 422;
}

void page_admin_mail_test(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    const char *addr = db_text(r->db, r->a, "SELECT mail FROM account WHERE id = ?", r->user->account_id);
    if (settings_smtp_test(r->db, &who, addr, &e) == 0) {
        resp_redirect(r, w, "/admin/settings?msg=mailtest#mail");
        return;
    }
    settings_page_all(r, w, NULL, arena_printf(r->a, "%d", r->nendo), settings_city(r->db, r->a), &e, NULL);
    w->status = 422;
}

void page_admin_settings(Req *r, Resp *w)
{
    settings_page(r, w, NULL, arena_printf(r->a, "%d", r->nendo), settings_city(r->db, r->a));
}

void page_admin_settings_post(Req *r, Resp *w)
{
    Errors e = {0};
    const char *nendo_s = text_trim(r->a, req_form(r, "nendo")), *city = text_trim(r->a, req_form(r, "city"));
    int n;
    if (!nendo_parse_loose(nendo_s, &n) || n < 2000 || n > 2100) err_add(&e, "nendo", "年度を正しく入力してください（例：2026）。");
    if (!*city || utf8_chars(city) > 40) err_add(&e, "city", "団体名を40文字以内で入力してください。");
    Actor who;
    page_actor(r, &who);
    if (!err_any(&e) && settings_save(r->db, &who, n, city, &e) == 0) {
        resp_redirect(r, w, "/admin/settings?msg=saved");
        return;
    }
    settings_page(r, w, &e, nendo_s, city);
    w->status = 422;
}
