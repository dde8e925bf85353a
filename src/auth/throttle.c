/* throttle.c - see throttle.h. */
#include "throttle.h"

#include "../core/util.h"
#include "../db/tx.h"

int64_t throttle_locked_until(Db *db, const char *login)
{
    int64_t now = now_unix();
    Stmt *st = db_query(db, "SELECT COUNT(*), MAX(at) FROM login_failure WHERE login = ? AND at > ?", login,
                        now - THROTTLE_LOCK_WINDOW);
    int64_t n = 0, last = 0;
    if (db_step(st) == DB_ROW) {
        n = db_col_int(st, 0);
        last = db_col_int(st, 1);
    }
    db_done(st);
    return n >= THROTTLE_LOCK_FAILS && last + THROTTLE_LOCK_WINDOW > now ? last + THROTTLE_LOCK_WINDOW : 0;
}

int throttle_wait(Db *db, const char *login, const char *ip, bool *locked)
{
    int64_t now = now_unix();
    *locked = false;
    Stmt *st = db_query(db, "SELECT COUNT(*), MAX(at) FROM login_failure WHERE login = ? AND ip = ? AND at > ?", login, ip,
                        now - THROTTLE_WINDOW);
    int64_t n = 0, last = 0;
    if (db_step(st) == DB_ROW) {
        n = db_col_int(st, 0);
        last = db_col_int(st, 1);
    }
    db_done(st);
    if (n == 0) return 0; /* an address that has not failed is never held back */
    int64_t until = 0;
    if (n >= THROTTLE_FREE) {
        int64_t shift = n - THROTTLE_FREE;
        int64_t delay = shift > 10 ? THROTTLE_MAX_DELAY : (int64_t)THROTTLE_FIRST << shift;
        if (delay > THROTTLE_MAX_DELAY) delay = THROTTLE_MAX_DELAY;
        until = last + delay;
    }
    int64_t lock = throttle_locked_until(db, login);
    if (lock > until) {
        until = lock;
        *locked = true;
    }
    return until > now ? (int)(until - now) : (*locked = false, 0);
}

int throttle_fail(Db *db, const char *login, const char *ip)
{
    Errors e = {0};
    if (tx_begin(db, &e) != 0) return -1;
    int64_t now = now_unix();
    Actor who = {0, login, ip};
    bool ok = db_exec(db, "INSERT INTO login_failure (login, ip, at) VALUES (?, ?, ?)", login, ip, now) == 1 &&
              db_exec(db, "DELETE FROM login_failure WHERE at < ?", now - 2 * THROTTLE_WINDOW) >= 0 &&
              audit_write(db, &who, "auth.login_failed", "account", 0, 0, login) == 0;
    return tx_end(db, &e, ok);
}

int throttle_success(Db *db, const Actor *who, const char *login)
{
    Errors e = {0};
    if (!db_exists(db, "SELECT 1 FROM login_failure WHERE login = ?", login)) return 0;
    if (tx_begin(db, &e) != 0) return -1;
    bool was_locked = throttle_locked_until(db, login) != 0;
    bool ok = db_exec(db, "DELETE FROM login_failure WHERE login = ?", login) >= 0 &&
              (!was_locked || audit_write(db, who, "auth.unlock", "account", who->account_id, 0,
                                          "ログインに成功したためロックを解除") == 0);
    return tx_end(db, &e, ok);
}

int throttle_unlock(Db *db, const Actor *who, int64_t account_id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char *login = db_text(db, &a, "SELECT login FROM account WHERE id = ?", account_id);
    if (!login) err_add(e, "", "そのアカウントはありません。");
    else if (!db_exists(db, "SELECT 1 FROM login_failure WHERE login = ?", login))
        err_add(e, "", "このアカウントはロックされていません。");
    bool ok = login && !err_any(e) && db_exec(db, "DELETE FROM login_failure WHERE login = ?", login) > 0 &&
              audit_write(db, who, "account.unlock", "account", account_id, 0, login) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}
