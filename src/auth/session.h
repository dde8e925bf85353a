/* session.h - login sessions and CSRF protection.
 *
 * The cookie holds 32 random bytes (hex); the database holds only their
 * SHA-256. Sessions expire after 60 minutes idle or 12 hours in all. Each
 * session has its own CSRF token, put in every form by form_begin and checked
 * by the dispatcher on every POST, together with the Origin/Referer. */
#ifndef JINZAI_SESSION_H
#define JINZAI_SESSION_H

#include "../http/http.h"

#define SESSION_COOKIE "jz_s"
#define PRE_COOKIE "jz_pre" /* CSRF token for the login form, before a session exists */
#define SESSION_IDLE 3600
#define SESSION_MAX (12 * 3600)

/* Sets r->user from the session cookie when it names a live session. */
void session_load(Req *r);
/* Starts a session for account_id (ending any session the request carried)
 * and sets the cookie. Returns 0 or -1. */
int session_start(Req *r, Resp *w, int64_t account_id);
/* Ends the request's session and clears the cookie. */
void session_end(Req *r, Resp *w);
/* Makes sure the login form has a pre-session CSRF token cookie. */
void session_pre_token(Req *r, Resp *w);
/* True when the POST carries the right token and a same-origin Origin/Referer. */
bool csrf_ok(Req *r);

#endif
