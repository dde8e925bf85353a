/* page_auth.c - login, logout and changing one's own password. */
#include <string.h>
#include <time.h>

#include "../auth/account.h"
#include "../auth/ldap.h"
#include "../auth/session.h"
#include "../core/util.h"
#include "../html/layout.h"
#include "pages.h"

/* Only local paths, by the rule every redirect target follows. */
static const char *safe_next(const char *next) { return http_local_path(next, "/"); }

static void set_cookie(Req *r, Resp *w, const char *name, const char *value)
{
    resp_header(r, w, "Set-Cookie", session_cookie(r->a, name, value, r->https));
}

/* Makes sure the login form has a pre-session CSRF token cookie; a new one
 * goes first in r->cookies so that form_begin finds it on this response. */
static void pre_token(Req *r, Resp *w)
{
    const char *fresh = session_pre_token(r->a, kv_get(&r->cookies, PRE_COOKIE));
    if (!fresh) return;
    kv_add(&r->cookies, r->a, PRE_COOKIE, fresh);
    for (size_t i = r->cookies.n - 1; i > 0; i--) {
        KV tmp = r->cookies.items[i];
        r->cookies.items[i] = r->cookies.items[i - 1];
        r->cookies.items[i - 1] = tmp;
    }
    set_cookie(r, w, PRE_COOKIE, fresh);
}

static void login_form(Req *r, Resp *w, const char *login, const char *next, const char *error)
{
    pre_token(r, w);
    page_begin(r, w, "jinzai ログイン", "", NULL, 0);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">デジタル人材の育成・確保を進めるためのシステムです。職員番号に対応するログイン名でログインしてください。</p>\n");
    if (error) html_printf(b, "<div class=\"flash error\" role=\"alert\">%s</div>\n", error);
    if (str_eq(req_query(r, "msg"), "logout")) html_raw(b, "<div class=\"flash ok\" role=\"status\">ログアウトしました。</div>\n");
    form_begin(r, b, "/login", "login");
    html_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">", safe_next(next));
    html_printf(b, "<div class=\"field\"><label for=\"f-login\">ログイン名</label><input type=\"text\" id=\"f-login\" name=\"login\""
                   " value=\"%s\" autocomplete=\"username\" required autofocus></div>\n",
                login ? login : "");
    html_raw(b, "<div class=\"field\"><label for=\"f-password\">パスワード</label><input type=\"password\" id=\"f-password\""
                " name=\"password\" autocomplete=\"current-password\" required></div>\n"
                "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">ログイン</button></div>\n");
    form_end(b);
    LdapConfig cfg;
    if (ldapauth_config(r->db, r->a, &cfg))
        html_raw(b, "<p class=\"muted\">庁内ネットワーク（LDAP・Active Directory）のアカウントを使う方は、そのユーザー名とパスワードでログインしてください。</p>\n");
    html_raw(b, "<p class=\"muted\">パスワードを忘れた場合は、システム管理者に再設定を依頼してください。</p>\n");
    page_end(r, w);
}

void page_login(Req *r, Resp *w)
{
    if (r->user) {
        resp_redirect(r, w, safe_next(req_query(r, "next")));
        return;
    }
    login_form(r, w, "", req_query(r, "next"), NULL);
}

void page_login_post(Req *r, Resp *w)
{
    const char *login = req_form(r, "login");
    const char *pw = req_form(r, "password");
    const char *next = safe_next(req_form(r, "next"));
    if (str_empty(login) || str_empty(pw) || strlen(login) > 64 || strlen(pw) > 256) {
        w->status = 400;
        login_form(r, w, login, next, "ログイン名とパスワードを入力してください。");
        w->status = 400;
        return;
    }
    int64_t account_id = 0;
    int retry = 0;
    LoginResult res = account_login(r->db, login, pw, r->ip, &account_id, &retry);
    if (res == LOGIN_LOCKED || res == LOGIN_ACCOUNT_LOCKED) {
        int minutes = (retry + 59) / 60;
        char at[8] = "";
        time_t t = (time_t)(now_unix() + retry);
        struct tm tm;
        if (localtime_r(&t, &tm)) strftime(at, sizeof at, "%H:%M", &tm);
        const char *why = res == LOGIN_ACCOUNT_LOCKED ? "このアカウントへのログインの失敗が多いため、アカウントをロックしています。"
                                                      : "ログインの失敗が続いたため、一時的にログインできません。";
        login_form(r, w, login, next,
                   arena_printf(r->a, "%s%s以降（約%d分後）にもう一度お試しください。急ぐ場合はシステム管理者にロックの解除を依頼してください。", why, at,
                                minutes));
        w->status = 429;
        resp_header(r, w, "Retry-After", arena_printf(r->a, "%d", retry));
        return;
    }
    if (res == LOGIN_BAD) {
        login_form(r, w, login, next, "ログイン名またはパスワードが正しくありません。");
        w->status = 401;
        return;
    }
    if (res == LOGIN_INACTIVE) {
        login_form(r, w, login, next, "このアカウントは現在使用できません（無効化または退職済み）。システム管理者にお問い合わせください。");
        w->status = 403;
        return;
    }
    if (res == LOGIN_UNAVAILABLE) {
        login_form(r, w, login, next, "認証サーバー（LDAP）に接続できませんでした。しばらくしてからもう一度お試しください。");
        w->status = 503;
        return;
    }
    if (res == LOGIN_NO_ACCOUNT) {
        login_form(r, w, login, next, "パスワードは確認できましたが、このシステムのアカウントがありません。システム管理者にお問い合わせください。");
        w->status = 403;
        return;
    }
    const char *token = res == LOGIN_OK ? session_start(r->db, r->a, r->user ? r->user->session_id : 0, account_id, login, r->ip,
                                                        req_header(r, "User-Agent"))
                                        : NULL;
    if (!token) {
        login_form(r, w, login, next, "ログイン処理に失敗しました。しばらくしてからもう一度お試しください。");
        w->status = 500;
        return;
    }
    set_cookie(r, w, SESSION_COOKIE, token);
    set_cookie(r, w, PRE_COOKIE, "");
    /* An initial or reset password is replaced before anything else. */
    resp_redirect(r, w, account_must_change(r->db, account_id) ? "/account/password" : next);
}

void page_logout(Req *r, Resp *w)
{
    if (session_end(r->db, r->user, r->ip) != 0) {
        resp_error(r, w, 500, "ログアウトの処理に失敗しました。もう一度お試しください。");
        return;
    }
    set_cookie(r, w, SESSION_COOKIE, "");
    resp_redirect(r, w, "/login?msg=logout");
}

static void password_form(Req *r, Resp *w, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"パスワード変更", NULL}};
    page_begin(r, w, "パスワード変更", "", crumbs, 2);
    Buf *b = &w->body;
    error_summary(b, e);
    if (r->user->must_change)
        html_raw(b, "<div class=\"flash warn\" role=\"alert\">管理者が設定した初期パスワードのままです。ご自分だけが知るパスワードに変更してから、ご利用ください。</div>\n");
    if (account_is_ldap(r->db, r->user->account_id)) {
        html_raw(b, "<p class=\"lead\">このアカウントは庁内ネットワーク（LDAP・Active Directory）のパスワードでログインしています。"
                    "パスワードの変更は、庁内ネットワークの手順で行ってください。</p>\n");
        page_mail_pref_section(r, b);
        page_end(r, w);
        return;
    }
    html_raw(b, "<p class=\"lead\">12文字以上で、ログイン名と異なるパスワードにしてください。</p>\n");
    form_begin(r, b, "/account/password", "stack");
    field_password(b, e, "current", "現在のパスワード", "current-password");
    field_password(b, e, "password", "新しいパスワード", "new-password");
    field_password(b, e, "confirm", "新しいパスワード（確認）", "new-password");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">変更する</button></div>\n");
    form_end(b);
    page_mail_pref_section(r, b);
    page_end(r, w);
}

void page_password(Req *r, Resp *w) { password_form(r, w, NULL); }

void page_password_post(Req *r, Resp *w)
{
    Errors e = {0};
    const char *cur = req_form(r, "current"), *pw = req_form(r, "password"), *confirm = req_form(r, "confirm");
    if (account_is_ldap(r->db, r->user->account_id)) {
        password_form(r, w, NULL);
        w->status = 409;
        return;
    }
    int64_t id = 0;
    int retry = 0;
    LoginResult lr = str_empty(cur) ? LOGIN_BAD : account_login(r->db, r->user->login, cur, r->ip, &id, &retry);
    if (lr == LOGIN_LOCKED || lr == LOGIN_ACCOUNT_LOCKED)
        err_add(&e, "current", arena_printf(r->a, "現在のパスワードの誤りが続いたため、約%d分後までお待ちください。", (retry + 59) / 60));
    else if (lr == LOGIN_ERROR) err_add(&e, "", "処理に失敗しました。もう一度お試しください。");
    else if (lr != LOGIN_OK) err_add(&e, "current", "現在のパスワードが正しくありません。");
    else if (!str_eq(pw, confirm)) err_add(&e, "confirm", "確認用のパスワードが一致しません。");
    Actor who;
    page_actor(r, &who);
    /* Other sessions of this account end; this one stays. */
    if (!err_any(&e) && str_eq(pw, cur)) err_add(&e, "password", "現在と異なるパスワードにしてください。");
    if (!err_any(&e) && account_change_password(r->db, &who, r->user->account_id, r->user->session_id, pw ? pw : "", &e) == 0) {
        resp_redirect(r, w, "/?msg=password");
        return;
    }
    w->status = 422;
    password_form(r, w, &e);
    w->status = 422;
}
