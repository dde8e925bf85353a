/* page_cert.c - 修了証: one's certificates, issuing one for a completion, the
 * printable A4 sheet (no menu; print rules in style.css), and verification
 * of a serial by anyone logged in. */
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/cert.h"
#include "../domain/settings.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

void page_cert_mine(Req *r, Resp *w)
{
    int64_t me = r->user->staff_id;
    if (!me) {
        resp_error(r, w, 404, "このアカウントには職員情報が結び付けられていないため、修了証はありません。");
        return;
    }
    Certificate *c;
    int n = cert_list_staff(r->db, r->a, me, &c);
    Crumb crumbs[] = {{"ホーム", "/"}, {"わたしの研修", "/training"}, {"修了証", NULL}};
    page_begin(r, w, "修了証", "certificates", crumbs, 3);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">修了した研修の修了証を発行・印刷できます。修了証の番号は、ログインした人なら誰でも"
                "<a href=\"/certificates/verify\">修了証の確認</a>で確かめられます。</p>\n");
    if (!n) {
        html_raw(b, "<p class=\"empty\">修了した研修はまだありません。</p>\n");
        page_end(r, w);
        return;
    }
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>修了した研修</caption><thead><tr><th scope=\"col\">修了日</th>"
                "<th scope=\"col\">研修</th><th scope=\"col\">修了証</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        html_raw(b, "<tr><td>");
        html_date(b, c[i].completed_on);
        html_printf(b, "</td><td>%s</td><td>", c[i].course_title);
        if (c[i].serial) html_printf(b, "<a href=\"/certificates/%s\">%s</a>", c[i].serial, c[i].serial);
        else {
            form_begin(r, b, arena_printf(r->a, "/completions/%lld/certificate", (long long)c[i].completion_id), "inline");
            html_raw(b, "<button type=\"submit\" class=\"btn\">修了証を発行</button>");
            form_end(b);
        }
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    page_end(r, w);
}

void page_cert_issue(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    int64_t owner = id ? cert_completion_owner(r->db, id) : 0;
    if (!owner) {
        resp_error(r, w, 404, "その受講記録は見つかりません。");
        return;
    }
    bool office = (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)) != 0;
    if (owner != r->user->staff_id && !office) {
        resp_error(r, w, 403, "修了証は本人か研修事務局が発行します。");
        return;
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    char serial[CERT_SERIAL_MAX];
    if (cert_issue(r->db, &who, id, serial, &e) != 0) {
        resp_error(r, w, 422, e.n ? e.items[0].msg : "修了証を発行できませんでした。");
        return;
    }
    resp_redirect(r, w, arena_printf(r->a, "/certificates/%s", serial));
}

/* The A4 sheet: its own document, without the site's menu. */
void page_cert_show(Req *r, Resp *w)
{
    const char *serial = r->nparams > 0 ? r->params[0] : NULL;
    Certificate c;
    if (!cert_find(r->db, r->a, serial, &c)) {
        resp_error(r, w, 404, "その番号の修了証は見つかりません。");
        return;
    }
    if (!scope_staff(r->db, r->user, c.staff_id)) {
        resp_error(r, w, 403, "この修了証を表示する権限がありません。番号の確認は「修了証の確認」でできます。");
        return;
    }
    Buf *b = &w->body;
    w->content_type = "text/html; charset=utf-8";
    Buf when = BUF_INIT, nendo = BUF_INIT;
    wareki_date_iso(&when, c.completed_on);
    wareki_nendo(&nendo, c.nendo);
    html_printf(b,
                "<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>修了証 %s｜jinzai</title>"
                "<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"%s\"></head>\n"
                "<body class=\"cert-page\"><p class=\"cert-tools\"><a href=\"/certificates\">修了証の一覧へ戻る</a>　"
                "ブラウザの印刷機能（A4縦）で印刷してください。</p>\n<main class=\"cert-sheet\">"
                "<h1>修了証</h1><p class=\"cert-name\">%s 様</p>"
                "<p class=\"cert-body\">あなたは%sの研修「%s」を修了したことを証します。</p>"
                "<dl class=\"cert-props\"><dt>修了日</dt><dd><time datetime=\"%s\">%s</time></dd><dt>職員番号</dt><dd>%s</dd>",
                c.serial, asset_url(r->a, "style.css"), c.staff_name, buf_cstr(&nendo), c.course_title, c.completed_on, buf_cstr(&when),
                c.staff_no);
    if (c.minutes > 0) html_printf(b, "<dt>受講時間</dt><dd>%d分</dd>", c.minutes);
    html_printf(b, "</dl><p class=\"cert-issuer\">%s</p><p class=\"cert-serial\">番号 %s</p>"
                   "<p class=\"cert-verify\">この修了証の確認: /certificates/verify?serial=%s</p>%s</main></body></html>\n",
                settings_city(r->db, r->a), c.serial, c.serial, c.valid ? "" : "<p class=\"flag warn\">この修了の記録は取り消されています。</p>");
    buf_free(&when);
    buf_free(&nendo);
}

void page_cert_verify(Req *r, Resp *w)
{
    const char *serial = req_query(r, "serial");
    Crumb crumbs[] = {{"ホーム", "/"}, {"修了証の確認", NULL}};
    Certificate c;
    bool asked = !str_empty(serial), found = asked && cert_find(r->db, r->a, text_trim(r->a, serial), &c);
    page_begin(r, w, "修了証の確認", "certificates", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">修了証に書かれた番号を入力すると、その修了証が本物かどうかを確かめられます。</p>\n"
                "<form class=\"filters\" method=\"get\" action=\"/certificates/verify\"><div class=\"field\"><label for=\"f-serial\">番号</label>");
    html_printf(b, "<input id=\"f-serial\" name=\"serial\" value=\"%s\"></div><button class=\"btn\" type=\"submit\">確認</button></form>\n",
                serial ? serial : "");
    if (found) {
        html_printf(b, "<section class=\"panel\" role=\"status\"><h2>%s</h2><dl class=\"props\"><dt>番号</dt><dd>%s</dd><dt>氏名</dt><dd>%s</dd>"
                       "<dt>研修</dt><dd>%s</dd><dt>修了日</dt><dd>",
                    c.valid ? "有効な修了証です" : "無効な修了証です（修了の記録が取り消されています）", c.serial, c.staff_name, c.course_title);
        html_date(b, c.completed_on);
        html_raw(b, "</dd></dl></section>\n");
    } else if (asked) {
        html_raw(b, "<p class=\"flash error\" role=\"alert\">その番号の修了証は見つかりません。番号を確かめてください。</p>\n");
        w->status = 404;
    }
    page_end(r, w);
}
