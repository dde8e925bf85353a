/* account.h - login accounts linked to staff, roles, login throttling.
 *
 * Passwords are argon2id hashes; an unknown login costs the same as a known
 * one (dummy hash). Failed logins are throttled per login and client address
 * (throttle.h). An account can be used only while it is active and, when it
 * belongs to a person, while that person is in service today (asof.h). */
#ifndef JINZAI_ACCOUNT_H
#define JINZAI_ACCOUNT_H

#include <stdint.h>

#include "../core/errors.h"
#include "../db/audit.h"

/* Parses "職員,所属長" or "staff,manager,hr,dx,admin" (any mix). 0 if any name is unknown. */
unsigned roles_parse(const char *list);
/* "職員・所属長" style list into a. */
const char *roles_names(Arena *a, unsigned roles);

typedef enum {
    LOGIN_OK,
    LOGIN_BAD,            /* wrong login or password: a failure was recorded and audited */
    LOGIN_LOCKED,         /* this address must wait (*retry_after seconds) */
    LOGIN_ACCOUNT_LOCKED, /* the account is locked for addresses that failed (*retry_after) */
    LOGIN_INACTIVE,       /* right password, but disabled or not in service today */
    LOGIN_ERROR,          /* the database refused to record the attempt */
    LOGIN_UNAVAILABLE,    /* the directory (LDAP) did not answer */
    LOGIN_NO_ACCOUNT,     /* the directory accepted the password but no account maps to the login */
} LoginResult;

/* Checks a login from client address ip. On LOGIN_OK sets *account_id and
 * clears the failures of that login; on LOGIN_BAD records a failure; when
 * locked, sets *retry_after (seconds) and does not verify the password. */
LoginResult account_login(Db *db, const char *login, const char *pw, const char *ip, int64_t *account_id, int *retry_after);
/* True when the account's password was set by someone else (bulk creation,
 * an administrator's reset) and must be changed before anything else. */
bool account_must_change(Db *db, int64_t account_id);
/* True when the directory checks the account's password (no local one). */
bool account_is_ldap(Db *db, int64_t account_id);

/* Creates an account. staff_no may be NULL (an administrator with no staff
 * record). Validates the login (3–32 of [a-z0-9._-]) and password policy. */
int account_create(Db *db, const Actor *who, const char *login, const char *staff_no, unsigned roles, const char *pw,
                   Errors *e);
/* The same, for a password someone else chose: it must be changed at the
 * first login (the administrator's users page). */
int account_create_initial(Db *db, const Actor *who, const char *login, const char *staff_no, unsigned roles, const char *pw,
                           Errors *e);
/* Sets a new password and ends every session of the account. One transaction. */
int account_set_password(Db *db, const Actor *who, const char *login, const char *pw, Errors *e);
/* The user's own change: ends the account's other sessions, keeping keep_session. */
int account_change_password(Db *db, const Actor *who, int64_t account_id, int64_t keep_session, const char *pw, Errors *e);
/* The users page's edit: roles and, when pw is not empty, a password reset
 * that ends the account's sessions. One transaction, audited. */
int account_update(Db *db, const Actor *who, int64_t account_id, unsigned roles, const char *pw, Errors *e);
int account_set_roles(Db *db, const Actor *who, const char *login, unsigned roles, Errors *e);
/* Disables the account and ends all its sessions. */
int account_disable(Db *db, const Actor *who, const char *login, Errors *e);

typedef struct Account {
    int64_t id, staff_id;
    const char *login, *staff_name, *staff_no;
    unsigned roles;
    bool active;
    bool in_service;      /* no staff record, or in service today */
    int64_t locked_until; /* unix time the account lock ends, 0 if none */
    int sessions;
    bool must_change;     /* must change the password at the next login */
    bool ldap;            /* signs in against the directory */
} Account;
int account_list(Db *db, Arena *a, Account **out);
/* Accounts whose login, 職員番号, name or kana contain q (folded; NULL or ""
 * for all), active first then by login: at most limit (0: all) from offset.
 * *total (may be NULL) gets the number matching. */
int account_search(Db *db, Arena *a, const char *q, int limit, int offset, Account **out, int *total);
/* Switches an account to directory sign-in (ldap) or back to local; ends its
 * sessions. Local after LDAP has no password until an administrator sets one.
 * One transaction, audited. */
int account_set_auth(Db *db, const Actor *who, int64_t account_id, bool ldap, Errors *e);

/* Creating accounts for everyone in service today who has none. */
#define ACCOUNT_MANAGER_POSTS "所属長,部長,課長"
typedef struct BulkOptions {
    bool lower;                /* logins are the 職員番号 in lower case */
    bool ldap;                 /* directory sign-in: no initial password */
    const char *manager_posts; /* 職位 that get 所属長 ("部長,課長"); saved as the new default */
} BulkOptions;
typedef struct BulkAccount {
    int64_t staff_id;
    const char *name, *staff_no, *unit, *post, *login;
    const char *password; /* the initial password, only in memory; NULL for LDAP or when skipped */
    unsigned roles;
    const char *skipped; /* why no account was made, or NULL */
} BulkAccount;
/* The saved list of 職位 that make a 所属長 (arena). */
const char *account_manager_posts(Db *db, Arena *a);
/* Roles for a post: 職員, plus 所属長 when post is one of list. */
unsigned account_roles_for_post(const char *list, const char *post);
/* Who would get an account now (the same rows account_bulk_create reports,
 * without logins being checked or passwords made). */
int account_bulk_candidates(Db *db, Arena *a, BulkAccount **out);
/* Creates the accounts in one transaction: one account.create audit row each
 * and one account.bulk summary. *out lists everyone considered (arena), the
 * skipped ones with a reason; returns the number created, -1 with e. */
int account_bulk_create(Db *db, const Actor *who, Arena *a, const BulkOptions *o, BulkAccount **out, int *n, Errors *e);
/* One account by id; false when there is none. */
bool account_get(Db *db, Arena *a, int64_t id, Account *out);

#endif
