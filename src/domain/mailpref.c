/* mailpref.c - see mailpref.h. */
#include "mailpref.h"

#include <string.h>

#include "../core/util.h"
#include "mail.h"
#include "../db/tx.h"

void mailpref_get(Db *db, Arena *a, int64_t account_id, MailPref *p)
{
    *p = (MailPref){.mail = "", .optional = true};
    Stmt *st = db_query(db, "SELECT mail, mail_optional FROM account WHERE id = ?", account_id);
    if (db_step(st) == DB_ROW) {
        const char *m = db_col_dup(st, 0, a);
        p->mail = m ? m : "";
        p->optional = db_col_int(st, 1) != 0;
    }
    db_done(st);
}

int mailpref_set(Db *db, const Actor *who, int64_t account_id, const MailPref *p, Errors *e)
{
    const char *mail = p->mail ? p->mail : "";
    if (*mail && (strlen(mail) > 254 || !mail_address_ok(mail)))
        err_add(e, "mail", "メールアドレスを正しく入力してください（例：taro.yamada@city.example.lg.jp）。");
    if (err_any(e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    bool ok = db_exec(db, "UPDATE account SET mail = ?, mail_optional = ? WHERE id = ?", mail, (int64_t)(p->optional ? 1 : 0), account_id) == 1 &&
              audit_write(db, who, "account.mail", "account", account_id, 0,
                          arena_printf(&a, "メール：%s／必須でないお知らせのメール：%s", *mail ? mail : "（なし）", p->optional ? "受け取る" : "受け取らない")) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}
