/* account.h - login accounts linked to staff, roles, login throttling.
 *
 * Passwords are argon2id hashes; an unknown login costs the same as a known
 * one (dummy hash). After 5 failures for one login or one IP within 15
 * minutes, logins are refused (429) for a period that doubles with each
 * further failure, up to 24 hours. Nothing here sleeps. */
#ifndef JINZAI_ACCOUNT_H
#define JINZAI_ACCOUNT_H

#include <stdint.h>

#include "../core/errors.h"
#include "audit.h"

/* Parses "職員,所属長" or "staff,manager,hr,dx,admin" (any mix). 0 if any name is unknown. */
unsigned roles_parse(const char *list);
/* "職員・所属長" style list into a. */
const char *roles_names(Arena *a, unsigned roles);

typedef enum { LOGIN_OK, LOGIN_BAD, LOGIN_LOCKED } LoginResult;

/* Checks a login. On LOGIN_OK sets *account_id and clears the failures of
 * that login; on LOGIN_BAD records a failure; on LOGIN_LOCKED sets
 * *retry_after (seconds) and does not verify the password at all. */
LoginResult account_login(Db *db, const char *login, const char *pw, const char *ip, int64_t *account_id, int *retry_after);

/* Creates an account. staff_no may be NULL (an administrator with no staff
 * record). Validates the login (3–32 of [a-z0-9._-]) and password policy. */
int account_create(Db *db, const Actor *who, const char *login, const char *staff_no, unsigned roles, const char *pw,
                   Errors *e);
int account_set_password(Db *db, const Actor *who, const char *login, const char *pw, Errors *e);
int account_set_roles(Db *db, const Actor *who, const char *login, unsigned roles, Errors *e);
/* Disables the account and ends all its sessions. */
int account_disable(Db *db, const Actor *who, const char *login, Errors *e);

typedef struct Account {
    int64_t id, staff_id;
    const char *login, *staff_name, *staff_no;
    unsigned roles;
    bool active;
    int sessions;
} Account;
int account_list(Db *db, Arena *a, Account **out);

#endif
