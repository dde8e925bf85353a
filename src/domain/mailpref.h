/* mailpref.h - an account's own mail address and whether it wants the mail
 * of notices that are not required (account.mail, account.mail_optional). */
#ifndef JINZAI_MAILPREF_H
#define JINZAI_MAILPREF_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef struct MailPref {
    const char *mail; /* "" : in-app only */
    bool optional;
} MailPref;

void mailpref_get(Db *db, Arena *a, int64_t account_id, MailPref *p);
/* Checks and stores p (one transaction, audited). -1 with e filled (field
 * "mail") when the address is not a plain address: nothing is written. */
int mailpref_set(Db *db, const Actor *who, int64_t account_id, const MailPref *p, Errors *e);

#endif
