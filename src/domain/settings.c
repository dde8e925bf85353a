/* settings.c - see settings.h. */
#include "settings.h"

#include <string.h>

#include "../core/util.h"
#include "mail.h"
#include "notice.h"
#include "../io/text.h"
#include "../db/tx.h"

void settings_smtp_get(Db *db, Arena *a, SmtpSettings *s)
{
    *s = (SmtpSettings){
        .host = setting_get(db, a, "smtp_host", ""),
        .port = setting_get(db, a, "smtp_port", "25"),
        .sender = setting_get(db, a, "smtp_sender", ""),
        .user = setting_get(db, a, "smtp_user", ""),
        .password = setting_get(db, a, "smtp_password", ""),
        .base_url = setting_get(db, a, "mail_base_url", ""),
        .starttls = str_eq(setting_get(db, a, "smtp_starttls", "0"), "1"),
    };
}

/* A host name or address: letters, digits, dots, hyphens, colons (IPv6). */
static bool host_ok(const char *h)
{
    if (strlen(h) > 253) return false;
    for (const char *p = h; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == ':'))
            return false;
    return true;
}

/* http(s)://host[/path] with no spaces, quotes or controls. */
static bool base_url_ok(const char *u)
{
    size_t skip = strncmp(u, "https://", 8) == 0 ? 8 : strncmp(u, "http://", 7) == 0 ? 7 : 0;
    if (!skip || !u[skip] || strlen(u) > 200) return false;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p == 0x7f) return false;
    return true;
}

int settings_smtp_save(Db *db, const Actor *who, const SmtpSettings *s, Errors *e)
{
    int64_t port = 0;
    if (!host_ok(s->host)) err_add(e, "host", "SMTPサーバーはホスト名またはIPアドレスで入力してください（例：smtp.city.example.lg.jp）。");
    if (!parse_int64(s->port, &port) || port < 1 || port > 65535) err_add(e, "port", "ポート番号を1〜65535の数字で入力してください（例：25、587）。");
    if (!str_empty(s->sender) && !mail_address_ok(s->sender))
        err_add(e, "sender", "送信元のメールアドレスを正しく入力してください（例：jinzai@city.example.lg.jp）。");
    if (str_empty(s->sender) && !str_empty(s->host)) err_add(e, "sender", "SMTPサーバーを使うときは送信元のメールアドレスを入力してください。");
    if (strlen(s->user) > 120) err_add(e, "user", "ユーザー名は120文字以内で入力してください。");
    if (strlen(s->password) > 250) err_add(e, "password", "パスワードは250文字以内で入力してください。");
    if (!str_empty(s->base_url) && !base_url_ok(s->base_url))
        err_add(e, "base_url", "リンクのURLは http:// または https:// で始めてください（例：https://jinzai.city.example.lg.jp）。");
    if (err_any(e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char *base = arena_strdup(&a, s->base_url);
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/') base[--bl] = 0;
    bool ok = setting_set(db, who, "smtp_host", s->host) == 0 && setting_set(db, who, "smtp_port", arena_printf(&a, "%lld", (long long)port)) == 0 &&
              setting_set(db, who, "smtp_sender", s->sender) == 0 && setting_set(db, who, "smtp_starttls", s->starttls ? "1" : "0") == 0 &&
              setting_set(db, who, "smtp_user", s->user) == 0 && setting_set(db, who, "mail_base_url", base) == 0 &&
              (str_empty(s->password) || setting_set_secret(db, who, "smtp_password", s->password) == 0);
    arena_free(&a);
    return tx_end(db, e, ok);
}

int settings_smtp_test(Db *db, const Actor *who, const char *addr, Errors *e)
{
    if (str_empty(addr) || !mail_address_ok(addr)) {
        err_add(e, "", "あなたのアカウントにメールアドレスが登録されていません。パスワード変更の画面で登録してください。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char now[32];
    now_iso(now);
    const char *subject = notice_mail_subject(&a, "テストメール");
    const char *body = "jinzai（人材育成）からのテストメールです。\nこのメールが届いていれば、メールの送信設定は正しく動いています。\n";
    bool ok = db_exec(db, "INSERT INTO outbox (notice_id, to_addr, subject, body, link, created_at, next_try_at) VALUES (?, ?, ?, ?, '', ?, ?)",
                      DB_NULL, addr, subject, body, now, now_unix()) == 1 &&
              audit_write(db, who, "mail.test", "outbox", 0, 0, arena_printf(&a, "テストメールを %s あてに送信予約", addr)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int settings_nendo(Db *db)
{
    int64_t n = db_int(db, 0, "SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'current_nendo'");
    return n > 0 ? (int)n : nendo_of(date_today());
}

const char *settings_city(Db *db, Arena *a) { return setting_get(db, a, "city_name", "国東市"); }

int settings_save(Db *db, const Actor *who, int nendo, const char *city, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    bool ok = setting_set(db, who, "current_nendo", arena_printf(&a, "%d", nendo)) == 0 && setting_set(db, who, "city_name", city) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}
