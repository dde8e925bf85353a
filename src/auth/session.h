/* session.h - login sessions and CSRF protection.
 *
 * The cookie holds 32 random bytes (hex); the database holds only their
 * SHA-256. Sessions expire after 60 minutes idle or 12 hours in all. Each
 * session has its own CSRF token, put in every form by form_begin and checked
 * by the dispatcher on every POST, together with the Origin/Referer. */
#ifndef JINZAI_SESSION_H
#define JINZAI_SESSION_H

#include "../http/http.h"
#include "../core/errors.h"
#include "../db/audit.h"

#define SESSION_COOKIE "jz_s"
#define PRE_COOKIE "jz_pre" /* CSRF token for the login form, before a session exists */
#define SESSION_IDLE 3600
#define SESSION_MAX (12 * 3600)

/* Sets r->user from the session cookie when it names a live session of an
 * active account whose person (if any) is in service today. */
void session_load(Req *r);
/* Starts a session for account_id (ending any session the request carried),
 * audited as auth.login, in one transaction; then sets the cookie. 0 or -1
 * (nothing written, no cookie). */
int session_start(Req *r, Resp *w, int64_t account_id, const char *login);
/* Ends the request's session (audited as auth.logout, one transaction) and
 * clears the cookie. -1 when the database refused (the cookie is kept). */
int session_end(Req *r, Resp *w);
/* An administrator ends a session. One transaction, audited; -1 with e. */
int session_revoke(Db *db, const Actor *who, int64_t session_id, Errors *e);

typedef struct LoginSession {
    int64_t id, created_at, last_seen;
    const char *login, *ip, *user_agent;
} LoginSession;
/* Live sessions, most recently used first. */
int session_logins(Db *db, Arena *a, LoginSession **out);
/* Makes sure the login form has a pre-session CSRF token cookie. */
void session_pre_token(Req *r, Resp *w);
/* True when the POST carries the right token and a same-origin Origin/Referer. */
bool csrf_ok(Req *r);

#endif
