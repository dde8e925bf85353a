/* session.h - login sessions and CSRF protection.
 *
 * The cookie holds 32 random bytes (hex); the database holds only their
 * SHA-256. Sessions expire after 60 minutes idle or 12 hours in all. Each
 * session has its own CSRF token, put in every form by form_begin and checked
 * by the dispatcher on every POST, together with the Origin/Referer.
 *
 * Nothing here reads a request or writes a response: the router and the
 * login pages pass in the cookie, header and form values and apply what comes
 * back (the user, a token, a Set-Cookie value). */
#ifndef JINZAI_SESSION_H
#define JINZAI_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/errors.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "user.h"

#define SESSION_COOKIE "jz_s"
#define PRE_COOKIE "jz_pre" /* CSRF token for the login form, before a session exists */
#define SESSION_IDLE 3600
#define SESSION_MAX (12 * 3600)

/* The user of the live session named by the cookie's token (NULL when
 * absent, malformed or expired, or when the account is inactive or its person
 * no longer in service today), allocated in a. Touches last_seen. */
User *session_load(Db *db, Arena *a, const char *token);
/* Starts a session for account_id, ending prev_session_id (the session the
 * request carried, 0 for none), audited as auth.login, in one transaction.
 * The new cookie token (in a), or NULL when nothing was written. */
const char *session_start(Db *db, Arena *a, int64_t prev_session_id, int64_t account_id, const char *login, const char *ip,
                          const char *user_agent);
/* Ends u's session (audited as auth.logout, one transaction); u NULL ends
 * nothing. -1 when the database refused (the caller keeps the cookie). */
int session_end(Db *db, const User *u, const char *ip);
/* The Set-Cookie value for name=value; an empty value clears the cookie. */
const char *session_cookie(Arena *a, const char *name, const char *value, bool https);
/* An administrator ends a session. One transaction, audited; -1 with e. */
int session_revoke(Db *db, const Actor *who, int64_t session_id, Errors *e);

typedef struct LoginSession {
    int64_t id, created_at, last_seen;
    const char *login, *ip, *user_agent;
} LoginSession;
/* Live sessions, most recently used first. */
int session_logins(Db *db, Arena *a, LoginSession **out);
/* A fresh pre-session CSRF token (in a) for the login form, or NULL when
 * current (the PRE_COOKIE value sent) is already a well-formed one. */
const char *session_pre_token(Arena *a, const char *current);
/* True when the form's token sent matches want (the session's token, or the
 * pre-session cookie before login) and the Origin (else Referer), when sent,
 * names host. */
bool csrf_ok(const char *sent, const char *want, const char *host, const char *origin, const char *referer);

#endif
