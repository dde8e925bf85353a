/* session.c - see session.h. */
#include "session.h"

#include <sodium.h>
#include <string.h>

#include "../core/util.h"
#include "../db/asof.h"
#include "../db/tx.h"
#include "../io/text.h"

const char *session_cookie(Arena *a, const char *name, const char *value, bool https)
{
    return arena_printf(a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value, https ? "; Secure" : "",
                        *value ? "" : "; Max-Age=0");
}

User *session_load(Db *db, Arena *a, const char *token)
{
    if (!token || strlen(token) != 64) return NULL;
    char hash[65];
    sha256_hex(token, 64, hash);
    int64_t now = now_unix();
    char today[11];
    now_date(today);
    /* A person's sessions stop working once they are no longer in service,
     * whether retired on the staff screen, by roster import or simply by
     * their last day passing. */
    Stmt *st = db_query(db,
                        "SELECT x.id, x.csrf, x.last_seen, c.id, c.login, c.roles, c.staff_id, COALESCE(s.name, c.login),"
                        " c.must_change = 1 AND c.auth = 'local'"
                        " FROM session x JOIN account c ON c.id = x.account_id LEFT JOIN staff s ON s.id = c.staff_id"
                        " WHERE x.token_hash = ? AND c.active = 1 AND x.created_at > ? AND x.last_seen > ?"
                        " AND (c.staff_id IS NULL OR " ASOF_IN_SERVICE("c.staff_id") ")",
                        hash, now - SESSION_MAX, now - SESSION_IDLE, today, today);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return NULL;
    }
    User *u = arena_zalloc(a, sizeof *u);
    u->session_id = db_col_int(st, 0);
    u->csrf = db_col_dup(st, 1, a);
    int64_t last_seen = db_col_int(st, 2);
    u->account_id = db_col_int(st, 3);
    u->login = db_col_dup(st, 4, a);
    u->roles = (unsigned)db_col_int(st, 5);
    u->staff_id = db_col_int(st, 6);
    u->name = db_col_dup(st, 7, a);
    u->must_change = db_col_int(st, 8) != 0;
    db_done(st);
    /* Touch at most once a minute: keeps reads from becoming writes. */
    if (now - last_seen > 60) db_exec(db, "UPDATE session SET last_seen = ? WHERE id = ?", now, u->session_id);
    if (u->staff_id) {
        /* The user's unit is their primary unit today. */
        u->unit_id = db_int(db, 0, "SELECT " ASOF_UNIT_OF("s.id") " FROM staff s WHERE s.id = ?", today, today, u->staff_id);
    }
    return u;
}

const char *session_start(Db *db, Arena *a, int64_t prev_session_id, int64_t account_id, const char *login, const char *ip,
                          const char *user_agent)
{
    char token[65], hash[65], csrf[65];
    random_hex(token, 32);
    random_hex(csrf, 32);
    sha256_hex(token, 64, hash);
    int64_t now = now_unix();
    Errors e = {0};
    if (tx_begin(db, &e) != 0) return NULL;
    Actor who = {account_id, login, ip};
    bool ok = (!prev_session_id || db_exec(db, "DELETE FROM session WHERE id = ?", prev_session_id) >= 0) &&
              db_exec(db, "DELETE FROM session WHERE last_seen < ? OR created_at < ?", now - SESSION_IDLE, now - SESSION_MAX) >= 0 &&
              db_exec(db,
                      "INSERT INTO session (token_hash, account_id, csrf, created_at, last_seen, ip, user_agent)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)",
                      hash, account_id, csrf, now, now, ip, user_agent ? user_agent : "") == 1 &&
              audit_write(db, &who, "auth.login", "account", account_id, 0, login) == 0;
    if (tx_end(db, &e, ok) != 0) return NULL;
    return arena_strdup(a, token);
}

int session_end(Db *db, const User *u, const char *ip)
{
    if (!u) return 0;
    Errors e = {0};
    if (tx_begin(db, &e) != 0) return -1;
    Actor who = {u->account_id, u->login, ip};
    bool ok = db_exec(db, "DELETE FROM session WHERE id = ?", u->session_id) >= 0 &&
              audit_write(db, &who, "auth.logout", "account", u->account_id, 0, u->login) == 0;
    return tx_end(db, &e, ok);
}

int session_revoke(Db *db, const Actor *who, int64_t session_id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    int n = db_exec(db, "DELETE FROM session WHERE id = ?", session_id);
    if (n == 0) err_add(e, "", "そのセッションは既に終了しています。");
    bool ok = n == 1 && audit_write(db, who, "session.revoke", "session", session_id, 0, "セッションを失効") == 0;
    return tx_end(db, e, ok);
}

int session_logins(Db *db, Arena *a, LoginSession **out)
{
    int64_t now = now_unix();
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM session");
    LoginSession *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT x.id, c.login, x.created_at, x.last_seen, x.ip, x.user_agent FROM session x JOIN account c ON c.id = x.account_id"
                        " WHERE x.created_at > ? AND x.last_seen > ? ORDER BY x.last_seen DESC",
                        now - SESSION_MAX, now - SESSION_IDLE);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        LoginSession *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->login = db_col_dup(st, 1, a);
        x->created_at = db_col_int(st, 2);
        x->last_seen = db_col_int(st, 3);
        x->ip = arena_strdup(a, db_col_text(st, 4));
        x->user_agent = arena_strdup(a, db_col_text(st, 5));
    }
    db_done(st);
    *out = rows;
    return n;
}

const char *session_pre_token(Arena *a, const char *current)
{
    if (current && strlen(current) == 64) return NULL;
    char fresh[65];
    random_hex(fresh, 32);
    return arena_strdup(a, fresh);
}

/* Origin (or, failing that, Referer) must name this host. */
static bool same_origin(const char *host, const char *origin, const char *referer)
{
    const char *src = origin ? origin : referer;
    if (!src) return true; /* old clients send neither; the token still protects */
    if (!host) return false;
    const char *p = strstr(src, "://");
    if (!p) return false;
    p += 3;
    size_t n = strlen(host);
    return strncmp(p, host, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

bool csrf_ok(const char *sent, const char *want, const char *host, const char *origin, const char *referer)
{
    if (!sent || !want || strlen(sent) != strlen(want) || strlen(want) < 32) return false;
    if (sodium_memcmp(sent, want, strlen(want)) != 0) return false;
    return same_origin(host, origin, referer);
}
