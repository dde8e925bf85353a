/* throttle.h - slowing down password guessing without locking anyone out.
 *
 * Failures are stored per (login, client address) in login_failure; the
 * client address is the one proxy.h derives behind a trusted proxy.
 *   - Pair delay: after THROTTLE_FREE failures of one login from one address
 *     within THROTTLE_WINDOW, that address waits THROTTLE_FIRST seconds from
 *     its last failure, doubling with each further failure up to
 *     THROTTLE_MAX_DELAY. Other addresses, and other logins from the same
 *     address (a city hall's shared NAT), are not delayed by it.
 *   - Account lock: THROTTLE_LOCK_FAILS failures of one login within
 *     THROTTLE_LOCK_WINDOW, from any addresses, lock the account for
 *     THROTTLE_LOCK_WINDOW after the last failure, but only for addresses
 *     that have failed for that login: an address with no failure may still
 *     try, and a success from it lifts the lock. So nobody can keep an
 *     account (admin included) locked by failing from addresses of their own.
 *   - A success clears the login's failures; an administrator can do the same
 *     (throttle_unlock). Nothing here sleeps: callers answer 429. */
#ifndef JINZAI_THROTTLE_H
#define JINZAI_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/errors.h"
#include "../db/audit.h"

#define THROTTLE_FREE 3
#define THROTTLE_FIRST 30
#define THROTTLE_MAX_DELAY 3600
#define THROTTLE_WINDOW 86400
#define THROTTLE_LOCK_FAILS 20
#define THROTTLE_LOCK_WINDOW 3600

/* Seconds before login may be tried from ip (0: now). *locked is set when the
 * wait comes from the account lock rather than the pair's own delay. */
int throttle_wait(Db *db, const char *login, const char *ip, bool *locked);
/* Unix time the account lock of login ends (0: not locked). */
int64_t throttle_locked_until(Db *db, const char *login);
/* Records a failed login and its audit row in one transaction. 0 or -1. */
int throttle_fail(Db *db, const char *login, const char *ip);
/* After a successful login: clears the login's failures, audited as
 * auth.unlock when that lifted an account lock. One transaction. 0 or -1. */
int throttle_success(Db *db, const Actor *who, const char *login);
/* An administrator lifts the lock of an account (and every pair delay of its
 * login). One transaction with its audit row; -1 with e filled. */
int throttle_unlock(Db *db, const Actor *who, int64_t account_id, Errors *e);

#endif
