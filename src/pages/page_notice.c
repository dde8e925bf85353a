/* page_notice.c - the user's notices (unread first, marking read) and the
 * user's own mail address and preference for the mail of notices. */
#include <string.h>

#include "../core/util.h"
#include "../domain/mailpref.h"
#include "../domain/notice.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

enum { NOTICE_LIMIT = 200 };

static void render_notices(Req *r, Resp *w, const Errors *e)
{
    Notice *ns;
    int n = notice_list(r->db, r->a, r->user->account_id, NOTICE_LIMIT, &ns);
    int unread = notice_unread_count(r->db, r->user->account_id);
    Crumb crumbs[] = {{"ホーム", "/"}, {"お知らせ", NULL}};
    page_begin(r, w, "お知らせ", "notices", crumbs, 2);
    Buf *b = &w->body;
    error_summary(b, e);
    if (str_eq(req_query(r, "msg"), "read")) html_raw(b, "<div class=\"flash ok\" role=\"status\">既読にしました。</div>\n");
    if (n == 0) {
        html_raw(b, "<p class=\"empty\">お知らせはありません。評価の差戻しや研修申込の決定などがあると、ここに表示されます。</p>\n");
        page_end(r, w);
        return;
    }
    html_printf(b, "<p class=\"lead\">未読 %d件（未読を先に、新しい順に表示します）。</p>\n", unread);
    if (unread > 0) {
        form_begin(r, b, "/notices/read", "inline");
        html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"all\"><button type=\"submit\" class=\"btn\">すべて既読にする</button>");
        form_end(b);
    }
    html_raw(b, "<ul class=\"notices\">\n");
    for (int i = 0; i < n; i++) {
        const Notice *x = &ns[i];
        bool is_unread = x->read_at == NULL;
        html_printf(b, "<li class=\"notice%s\"><p><span class=\"badge\">%s</span> <strong>", is_unread ? " unread" : "", is_unread ? "未読" : "既読");
        const char *href = http_local_path(x->link, NULL);
        if (href && *x->link) html_printf(b, "<a href=\"%s\">%s</a>", href, x->title);
        else html_printf(b, "%s", x->title);
        html_raw(b, "</strong> <span class=\"muted\">");
        html_date(b, arena_strndup(r->a, x->created_at, 10));
        html_printf(b, " %.5s</span></p>", strlen(x->created_at) >= 16 ? x->created_at + 11 : "");
        if (!str_empty(x->body)) html_printf(b, "<p>%s</p>", x->body);
        if (is_unread) {
            form_begin(r, b, "/notices/read", "inline");
            html_printf(b, "<input type=\"hidden\" name=\"id\" value=\"%lld\"><button type=\"submit\" class=\"btn link\" aria-label=\"「%s」を既読にする\">既読にする</button>",
                        (long long)x->id, x->title);
            form_end(b);
        }
        html_raw(b, "</li>\n");
    }
    html_raw(b, "</ul>\n");
    page_end(r, w);
}

void page_notices(Req *r, Resp *w) { render_notices(r, w, NULL); }

void page_notices_read(Req *r, Resp *w)
{
    const char *id_s = req_form(r, "id");
    int64_t id = 0;
    if (!str_eq(id_s, "all") && (!parse_int64(id_s, &id) || id <= 0)) {
        resp_error(r, w, 422, "既読にするお知らせを選んでください。");
        return;
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (notice_mark_read(r->db, &who, r->user->account_id, id, &e) == 0) {
        resp_redirect(r, w, "/notices?msg=read");
        return;
    }
    render_notices(r, w, &e);
    w->status = 422;
}

/* ---- the account's own mail settings (shown on the password page) ---- */

static void mail_form(Req *r, Buf *b, const Errors *e, const MailPref *p)
{
    html_raw(b, "<section class=\"panel\" id=\"mail\"><h2>お知らせのメール</h2>"
                "<p>メールアドレスを登録すると、お知らせをメールでも受け取れます。督促と承認の依頼は必ずメールで届きます。空欄にすると画面のお知らせだけになります。</p>\n");
    form_begin(r, b, "/account/mail", "stack");
    field_text(b, e, "mail", "メールアドレス", p->mail, 0, "例：taro.yamada@city.example.lg.jp");
    field_checkbox(b, "mail_optional", "必須でないお知らせをメールで受け取る", p->optional);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">メールの設定を保存</button></div>\n");
    form_end(b);
    html_raw(b, "</section>\n");
}

void page_mail_pref_section(Req *r, Buf *b)
{
    MailPref p;
    mailpref_get(r->db, r->a, r->user->account_id, &p);
    if (str_eq(req_query(r, "msg"), "mail")) html_raw(b, "<div class=\"flash ok\" role=\"status\">メールの設定を保存しました。</div>\n");
    mail_form(r, b, NULL, &p);
}

void page_account_mail_post(Req *r, Resp *w)
{
    MailPref p = {.mail = text_trim(r->a, req_form(r, "mail")), .optional = str_eq(req_form(r, "mail_optional"), "1")};
    if (!p.mail) p.mail = "";
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (mailpref_set(r->db, &who, r->user->account_id, &p, &e) == 0) {
        resp_redirect(r, w, "/account/password?msg=mail#mail");
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"パスワード変更", "/account/password"}, {"お知らせのメール", NULL}};
    page_begin(r, w, "お知らせのメール", "", crumbs, 3);
    error_summary(&w->body, &e);
    mail_form(r, &w->body, &e, &p);
    page_end(r, w);
    w->status = 422;
}
