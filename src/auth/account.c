/* account.c - see account.h. */
#include "account.h"

#include <string.h>

#include "../core/util.h"
#include "../db/asof.h"
#include "../db/tx.h"
#include "../io/text.h"
#include "ldap.h"
#include "password.h"
#include "throttle.h"

static const struct {
    unsigned bit;
    const char *code, *name;
} role_names[] = {
    {1, "staff", "職員"}, {2, "manager", "所属長"}, {4, "hr", "人事"}, {8, "dx", "DX推進"}, {16, "admin", "管理者"},
};

unsigned roles_parse(const char *list)
{
    unsigned roles = 0;
    const char *p = list ? list : "";
    while (*p) {
        /* "、" is three bytes: a byte set (strcspn) would also cut 職員 or
         * 所属長 at their own 0x80/0x81 bytes. */
        const char *end = p;
        while (*end && *end != ',' && *end != ' ' && strncmp(end, "、", strlen("、")) != 0) end++;
        size_t n = (size_t)(end - p);
        bool found = n == 0;
        for (size_t i = 0; i < COUNTOF(role_names) && !found; i++) {
            if ((strlen(role_names[i].code) == n && strncmp(p, role_names[i].code, n) == 0) ||
                (strlen(role_names[i].name) == n && strncmp(p, role_names[i].name, n) == 0)) {
                roles |= role_names[i].bit;
                found = true;
            }
        }
        if (!found) return 0;
        p = end;
        if (strncmp(p, "、", strlen("、")) == 0) p += strlen("、");
        else if (*p) p++;
    }
    return roles;
}

const char *roles_names(Arena *a, unsigned roles)
{
    Buf b = BUF_INIT;
    for (size_t i = 0; i < COUNTOF(role_names); i++)
        if (roles & role_names[i].bit) buf_printf(&b, "%s%s", b.len ? "・" : "", role_names[i].name);
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* The account that a directory sign-in of login maps to: the 'ldap' account
 * of that login, else the 'ldap' account of the staff whose 職員番号 the
 * directory gave (staff_no, may be NULL). 0 when none. */
static int64_t ldap_account(Db *db, const char *login, const char *staff_no)
{
    int64_t id = db_int(db, 0, "SELECT id FROM account WHERE login = ? AND auth = 'ldap'", login);
    if (!id && !str_empty(staff_no))
        id = db_int(db, 0,
                    "SELECT c.id FROM account c JOIN staff s ON s.id = c.staff_id WHERE s.staff_no = ? AND c.auth = 'ldap'"
                    " ORDER BY c.active DESC, c.id LIMIT 1",
                    staff_no);
    return id;
}

/* Usable: not disabled, and for a person, in service today (a retirement
 * takes effect on its date, however it was entered). */
static bool account_usable(Db *db, int64_t id)
{
    char today[11];
    now_date(today);
    return db_int(db, 0,
                  "SELECT c.active = 1 AND (c.staff_id IS NULL OR " ASOF_IN_SERVICE("c.staff_id") ") FROM account c WHERE c.id = ?",
                  today, today, id) != 0;
}

static LoginResult login_ok(Db *db, int64_t id, const char *login, const char *ip, int64_t *account_id)
{
    Actor who = {id, login, ip};
    if (throttle_success(db, &who, login) != 0) return LOGIN_ERROR;
    *account_id = id;
    return LOGIN_OK;
}

LoginResult account_login(Db *db, const char *login, const char *pw, const char *ip, int64_t *account_id, int *retry_after)
{
    bool locked;
    int wait = throttle_wait(db, login, ip, &locked);
    if (wait) {
        *retry_after = wait;
        return locked ? LOGIN_ACCOUNT_LOCKED : LOGIN_LOCKED;
    }
    Arena a = ARENA_INIT;
    int64_t id = 0;
    char *hash = NULL, *auth = NULL;
    Stmt *st = db_query(db, "SELECT c.id, c.pw_hash, c.auth FROM account c WHERE c.login = ?", login);
    if (db_step(st) == DB_ROW) {
        id = db_col_int(st, 0);
        hash = db_col_dup(st, 1, &a);
        auth = db_col_dup(st, 2, &a);
    }
    db_done(st);
    LdapConfig cfg;
    /* The directory answers for its own accounts, and for a login no local
     * account has (it may map to a staff record by 職員番号). */
    if ((!id || str_eq(auth, "ldap")) && ldapauth_config(db, &a, &cfg)) {
        const char *staff_no = NULL;
        LdapResult lr = ldapauth_check(&cfg, &a, login, pw, &staff_no);
        int64_t mapped = lr == LDAPAUTH_OK ? ldap_account(db, login, staff_no) : 0;
        arena_free(&a);
        if (lr == LDAPAUTH_UNAVAILABLE) return LOGIN_UNAVAILABLE;
        if (lr == LDAPAUTH_BAD) return throttle_fail(db, login, ip) == 0 ? LOGIN_BAD : LOGIN_ERROR;
        if (!mapped) return LOGIN_NO_ACCOUNT;
        if (!account_usable(db, mapped)) return LOGIN_INACTIVE;
        return login_ok(db, mapped, login, ip, account_id);
    }
    bool ok;
    if (hash) ok = password_verify(hash, pw);
    else password_dummy_verify(pw), ok = false;
    arena_free(&a);
    if (ok && !account_usable(db, id)) return LOGIN_INACTIVE;
    if (ok) return login_ok(db, id, login, ip, account_id);
    return throttle_fail(db, login, ip) == 0 ? LOGIN_BAD : LOGIN_ERROR;
}

bool account_is_ldap(Db *db, int64_t account_id)
{
    return db_exists(db, "SELECT 1 FROM account WHERE id = ? AND auth = 'ldap'", account_id);
}

bool account_must_change(Db *db, int64_t account_id)
{
    return db_int(db, 0, "SELECT must_change FROM account WHERE id = ? AND auth = 'local'", account_id) != 0;
}

static bool valid_login(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 32) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-')) return false;
    return true;
}

static int create(Db *db, const Actor *who, const char *login, const char *staff_no, unsigned roles, const char *pw,
                  bool must_change, Errors *e)
{
    char hash[PASSWORD_HASH_MAX];
    const char *policy = password_policy(login, pw);
    if (!login || !valid_login(login)) err_add(e, "login", "ログイン名は半角英小文字・数字・.-_ の2〜32文字にしてください。");
    if (policy) err_add(e, "password", policy);
    if (!roles) err_add(e, "roles", "権限を選んでください。");
    if (err_any(e)) return -1;
    if (password_hash(pw, hash) != 0) {
        err_add(e, "", "パスワードを処理できませんでした。");
        return -1;
    }
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    int64_t staff_id = 0;
    if (!str_empty(staff_no)) {
        staff_id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", staff_no);
        if (!staff_id) err_add(e, "staff_no", "その職員番号の職員はいません。");
    }
    if (db_exists(db, "SELECT 1 FROM account WHERE login = ?", login)) err_add(e, "login", "このログイン名は既に使われています。");
    if (err_any(e)) return tx_end(db, e, false);
    char now[32];
    now_iso(now);
    Arena a = ARENA_INIT;
    Stmt *st = db_query(db,
                        "INSERT INTO account (login, staff_id, pw_hash, roles, active, must_change, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
                        login, DB_ID_OR_NULL(staff_id), hash, (int)roles, must_change ? 1 : 0, now, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    bool ok = id && audit_write(db, who, "account.create", "account", id, staff_id,
                                arena_printf(&a, "%s（%s）", login, roles_names(&a, roles))) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int account_create(Db *db, const Actor *who, const char *login, const char *staff_no, unsigned roles, const char *pw,
                   Errors *e)
{
    return create(db, who, login, staff_no, roles, pw, false, e);
}

int account_create_initial(Db *db, const Actor *who, const char *login, const char *staff_no, unsigned roles, const char *pw,
                           Errors *e)
{
    return create(db, who, login, staff_no, roles, pw, true, e);
}

/* Sets the password of account id (or of login when id is 0) and ends its
 * sessions except keep (0: all), inside the caller's transaction. */
static bool set_password_in(Db *db, const Actor *who, int64_t id, const char *login, const char *hash, int64_t keep, bool must_change,
                            Errors *e)
{
    char now[32];
    now_iso(now);
    if (!id) id = db_int(db, 0, "SELECT id FROM account WHERE login = ?", login);
    if (!id) {
        err_add(e, "login", "そのアカウントはありません。");
        return false;
    }
    return db_exec(db, "UPDATE account SET pw_hash = ?, must_change = ?, auth = 'local', updated_at = ? WHERE id = ?", hash,
                   must_change ? 1 : 0, now, id) == 1 &&
           db_exec(db, "DELETE FROM session WHERE account_id = ? AND id <> ?", id, keep) >= 0 &&
           audit_write(db, who, "account.password", "account", id, 0, login) == 0;
}

/* Checks the policy and hashes pw into hash; -1 with e filled. */
static int hash_new(const char *login, const char *pw, char hash[PASSWORD_HASH_MAX], Errors *e)
{
    const char *policy = password_policy(login, pw);
    if (policy) {
        err_add(e, "password", policy);
        return -1;
    }
    if (password_hash(pw, hash) != 0) {
        err_add(e, "", "パスワードを変更できませんでした。");
        return -1;
    }
    return 0;
}

int account_set_password(Db *db, const Actor *who, const char *login, const char *pw, Errors *e)
{
    char hash[PASSWORD_HASH_MAX];
    if (hash_new(login, pw, hash, e) != 0 || tx_begin(db, e) != 0) return -1;
    return tx_end(db, e, set_password_in(db, who, 0, login, hash, 0, false, e));
}

int account_change_password(Db *db, const Actor *who, int64_t account_id, int64_t keep_session, const char *pw, Errors *e)
{
    char hash[PASSWORD_HASH_MAX];
    Arena a = ARENA_INIT;
    const char *login = db_text(db, &a, "SELECT login FROM account WHERE id = ?", account_id);
    int rc = -1;
    if (!login) err_add(e, "", "そのアカウントはありません。");
    else if (hash_new(login, pw, hash, e) == 0 && tx_begin(db, e) == 0)
        rc = tx_end(db, e, set_password_in(db, who, account_id, login, hash, keep_session, false, e));
    arena_free(&a);
    return rc;
}

int account_update(Db *db, const Actor *who, int64_t account_id, unsigned roles, const char *pw, Errors *e)
{
    char hash[PASSWORD_HASH_MAX];
    Arena a = ARENA_INIT;
    const char *login = db_text(db, &a, "SELECT login FROM account WHERE id = ?", account_id);
    bool reset = !str_empty(pw);
    int rc = -1;
    if (!login) err_add(e, "", "そのアカウントはありません。");
    else if (!roles) err_add(e, "roles", "権限を選んでください。");
    else if ((!reset || hash_new(login, pw, hash, e) == 0) && tx_begin(db, e) == 0) {
        char now[32];
        now_iso(now);
        unsigned before = (unsigned)db_int(db, 0, "SELECT roles FROM account WHERE id = ?", account_id);
        bool ok = before == roles ||
                  (db_exec(db, "UPDATE account SET roles = ?, updated_at = ? WHERE id = ?", (int)roles, now, account_id) == 1 &&
                   audit_write(db, who, "account.roles", "account", account_id, 0,
                               arena_printf(&a, "%s %s → %s", login, roles_names(&a, before), roles_names(&a, roles))) == 0);
        /* A reset ends the account's sessions, and the user must choose
         * their own password at the next login. */
        ok = ok && (!reset || set_password_in(db, who, account_id, login, hash, 0, true, e));
        rc = tx_end(db, e, ok);
    }
    arena_free(&a);
    return rc;
}

int account_set_roles(Db *db, const Actor *who, const char *login, unsigned roles, Errors *e)
{
    if (!roles) {
        err_add(e, "roles", "権限を選んでください。");
        return -1;
    }
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    Arena a = ARENA_INIT;
    char now[32];
    now_iso(now);
    int64_t id = db_int(db, 0, "SELECT id FROM account WHERE login = ?", login);
    unsigned before = (unsigned)db_int(db, 0, "SELECT roles FROM account WHERE id = ?", id);
    if (!id) err_add(e, "login", "そのアカウントはありません。");
    bool ok = id && db_exec(db, "UPDATE account SET roles = ?, updated_at = ? WHERE id = ?", (int)roles, now, id) == 1 &&
              audit_write(db, who, "account.roles", "account", id, 0,
                          arena_printf(&a, "%s %s → %s", login, roles_names(&a, before), roles_names(&a, roles))) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int account_disable(Db *db, const Actor *who, const char *login, Errors *e)
{
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    char now[32];
    now_iso(now);
    int64_t id = db_int(db, 0, "SELECT id FROM account WHERE login = ? AND active = 1", login);
    if (!id) err_add(e, "login", "有効なアカウントはありません。");
    bool ok = id && db_exec(db, "UPDATE account SET active = 0, updated_at = ? WHERE id = ?", now, id) == 1 &&
              db_exec(db, "DELETE FROM session WHERE account_id = ?", id) >= 0 &&
              audit_write(db, who, "account.disable", "account", id, 0, login) == 0;
    return tx_end(db, e, ok);
}

#define ACCOUNT_MATCH " WHERE (? = '' OR s.search_key LIKE ? ESCAPE '!' OR c.login LIKE ? ESCAPE '!')"

int account_search(Db *db, Arena *a, const char *q, int limit, int offset, Account **out, int *total)
{
    char today[11];
    now_date(today);
    const char *fq = str_empty(q) ? "" : text_fold(a, q);
    Buf like = BUF_INIT;
    buf_putc(&like, '%');
    for (const char *p = fq; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!') buf_putc(&like, '!');
        buf_putc(&like, *p);
    }
    buf_putc(&like, '%');
    const char *pattern = arena_strdup(a, buf_cstr(&like));
    buf_free(&like);
    int all = (int)db_int(db, 0, "SELECT COUNT(*) FROM account c LEFT JOIN staff s ON s.id = c.staff_id" ACCOUNT_MATCH, fq, pattern,
                          pattern);
    if (total) *total = all;
    if (limit <= 0 || limit > all) limit = all;
    Account *rows = arena_zalloc(a, sizeof *rows * (size_t)(limit + 1));
    Stmt *st = db_query(db,
                        "SELECT c.id, c.staff_id, c.login, s.name, s.staff_no, c.roles, c.active,"
                        " (SELECT COUNT(*) FROM session x WHERE x.account_id = c.id),"
                        " c.staff_id IS NULL OR " ASOF_IN_SERVICE("c.staff_id") ", c.must_change, c.auth = 'ldap'"
                        " FROM account c LEFT JOIN staff s ON s.id = c.staff_id" ACCOUNT_MATCH
                        " ORDER BY c.active DESC, c.login LIMIT ? OFFSET ?",
                        today, today, fq, pattern, pattern, limit, offset < 0 ? 0 : offset);
    int n = 0;
    while (n < limit && db_step(st) == DB_ROW) {
        Account *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->staff_id = db_col_int(st, 1);
        x->login = db_col_dup(st, 2, a);
        x->staff_name = arena_strdup(a, db_col_text(st, 3));
        x->staff_no = arena_strdup(a, db_col_text(st, 4));
        x->roles = (unsigned)db_col_int(st, 5);
        x->active = db_col_int(st, 6) != 0;
        x->sessions = (int)db_col_int(st, 7);
        x->in_service = db_col_int(st, 8) != 0;
        x->must_change = db_col_int(st, 9) != 0;
        x->ldap = db_col_int(st, 10) != 0;
    }
    db_done(st);
    for (int i = 0; i < n; i++) rows[i].locked_until = throttle_locked_until(db, rows[i].login);
    *out = rows;
    return n;
}

int account_list(Db *db, Arena *a, Account **out) { return account_search(db, a, NULL, 0, 0, out, NULL); }

int account_set_auth(Db *db, const Actor *who, int64_t account_id, bool ldap, Errors *e)
{
    Arena a = ARENA_INIT;
    const char *login = db_text(db, &a, "SELECT login FROM account WHERE id = ?", account_id);
    int rc = -1;
    if (!login) err_add(e, "", "そのアカウントはありません。");
    else if (tx_begin(db, e) == 0) {
        char now[32];
        now_iso(now);
        /* Switching to the directory drops the local hash; switching back
         * leaves no usable password until an administrator sets one. */
        bool ok = db_exec(db, "UPDATE account SET auth = ?, pw_hash = '', must_change = 0, updated_at = ? WHERE id = ?",
                          ldap ? "ldap" : "local", now, account_id) == 1 &&
                  db_exec(db, "DELETE FROM session WHERE account_id = ?", account_id) >= 0 &&
                  audit_write(db, who, "account.auth", "account", account_id, 0,
                              arena_printf(&a, "%s → %s", login, ldap ? "LDAP認証" : "ローカル認証")) == 0;
        rc = tx_end(db, e, ok);
    }
    arena_free(&a);
    return rc;
}

bool account_get(Db *db, Arena *a, int64_t id, Account *out)
{
    Account *all;
    int n = account_list(db, a, &all);
    for (int i = 0; i < n; i++)
        if (all[i].id == id) {
            *out = all[i];
            return true;
        }
    return false;
}
