/* page_remind.c - reminders (督促) chosen on a page: the people checked on
 * 評価の進捗 or the applications checked on 研修申込の承認・決定, a preview of
 * the recipients and the exact text, then queuing them (remind.h).
 * A 所属長 may remind only people of their own subtree today. */
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/notice.h"
#include "../domain/remind.h"
#include "../domain/training.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

typedef struct Choice {
    RemindKind kind;
    int nendo;
    const char *back;
    int64_t *ids;
    int n;
} Choice;

/* Reads kind, nendo, back and the checked ids, and checks that every one is
 * in the user's scope; false after answering 422 or 403. */
static bool read_choice(Req *r, Resp *w, Choice *c)
{
    int k = remind_kind_parse(req_form(r, "kind"));
    if (k != RM_ASSESSMENTS && k != RM_APPROVALS) {
        resp_error(r, w, 422, "督促の種類が正しくありません。");
        return false;
    }
    c->kind = (RemindKind)k;
    c->nendo = page_nendo(r, req_form(r, "nendo"));
    c->back = page_back(r, k == RM_APPROVALS ? "/training/approvals" : "/assess/progress");
    c->ids = arena_alloc(r->a, sizeof *c->ids * (r->form.n + 1));
    c->n = 0;
    for (size_t i = 0; i < r->form.n; i++) {
        int64_t v;
        if (!str_eq(r->form.items[i].name, "id") || !parse_int64(r->form.items[i].value, &v) || v <= 0) continue;
        int64_t staff = k == RM_APPROVALS ? app_staff_of(r->db, v) : db_int(r->db, 0, "SELECT id FROM staff WHERE id = ?", v);
        if (!staff || !scope_staff(r->db, r->user, staff)) {
            resp_error(r, w, 403, "督促する権限のない職員が含まれています。ご自分の所属（配下を含む）の職員だけを選んでください。");
            return false;
        }
        c->ids[c->n++] = v;
    }
    if (c->n == 0) {
        resp_error(r, w, 422, "督促する人を選んでください。");
        return false;
    }
    return true;
}

void page_remind_preview(Req *r, Resp *w)
{
    Choice c;
    if (!read_choice(r, w, &c)) return;
    RemindTarget *t;
    int n = remind_targets(r->db, r->a, c.kind, c.nendo, page_today(r), c.ids, c.n, &t);
    Crumb crumbs[] = {{"ホーム", "/"}, {c.kind == RM_APPROVALS ? "研修申込の承認・決定" : "評価の進捗", c.back}, {"督促の確認", NULL}};
    page_begin(r, w, arena_printf(r->a, "督促の確認（%s）", remind_kind_name(c.kind)), c.kind == RM_APPROVALS ? "approvals" : "progress", crumbs, 3);
    Buf *b = &w->body;
    if (n == 0) {
        html_printf(b, "<p class=\"empty\">選んだ中に督促する相手がいません（提出・承認が済んだか、評価期間の外か、ログインできるアカウントがありません）。</p>"
                       "<p><a href=\"%s\">戻る</a></p>\n", c.back);
        page_end(r, w);
        return;
    }
    if (c.kind == RM_APPROVALS)
        html_raw(b, "<p class=\"lead\">選んだ申込を承認する所属長に、承認の督促を送ります。</p>\n");
    html_printf(b, "<p class=\"lead\">次の%d人にお知らせを送ります。メールアドレスが登録されている人にはメールも送ります。内容を確認して「送信する」を押してください。</p>\n", n);
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>督促する相手</caption><thead><tr><th scope=\"col\">氏名</th>"
                "<th scope=\"col\">メール</th><th scope=\"col\">件数</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++)
        html_printf(b, "<tr><td>%s</td><td>%s</td><td>%d件</td></tr>\n", t[i].name, *t[i].mail ? t[i].mail : "（なし：画面のお知らせのみ）", t[i].count);
    html_raw(b, "</tbody></table></div>\n<section class=\"panel\"><h2>送る文面</h2>\n");
    for (int i = 0; i < n; i++) {
        const char *title, *body, *link;
        remind_text(r->db, r->a, c.kind, c.nendo, &t[i], &title, &body, &link);
        html_printf(b, "<details%s><summary>%sさんへ</summary><dl class=\"props\"><dt>お知らせ</dt><dd><strong>%s</strong><br>%s</dd>", i == 0 ? " open" : "",
                    t[i].name, title, body);
        if (*t[i].mail)
            html_printf(b, "<dt>メールの件名</dt><dd>%s</dd><dt>メールの本文</dt><dd><pre>%s</pre></dd>", notice_mail_subject(r->a, title),
                        notice_mail_body(r->db, r->a, t[i].name, body, link));
        html_raw(b, "</dl></details>\n");
    }
    html_raw(b, "</section>\n");
    form_begin(r, b, "/remind/send", "stack");
    html_printf(b, "<input type=\"hidden\" name=\"kind\" value=\"%s\"><input type=\"hidden\" name=\"nendo\" value=\"%d\">"
                   "<input type=\"hidden\" name=\"back\" value=\"%s\">",
                remind_kind_code(c.kind), c.nendo, c.back);
    for (int i = 0; i < c.n; i++) html_printf(b, "<input type=\"hidden\" name=\"id\" value=\"%lld\">", (long long)c.ids[i]);
    html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">送信する</button> <a class=\"btn\" href=\"%s\">やめる</a></div>", c.back);
    form_end(b);
    page_end(r, w);
}

void page_remind_send(Req *r, Resp *w)
{
    Choice c;
    if (!read_choice(r, w, &c)) return;
    RemindTarget *t;
    int n = remind_targets(r->db, r->a, c.kind, c.nendo, page_today(r), c.ids, c.n, &t);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (remind_queue(r->db, &who, c.kind, c.nendo, t, n, &e) != 0) {
        resp_error(r, w, 422, e.n ? e.items[0].msg : "督促を送れませんでした。");
        return;
    }
    resp_redirect(r, w, arena_printf(r->a, "%s%creminded=%d", c.back, strchr(c.back, '?') ? '&' : '?', n));
}
