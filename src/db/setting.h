/* setting.h - the setting table: one value per key, kept by the database.
 *
 * The city's settings (domain/settings.h), the LDAP sign-in (auth/ldap.c)
 * and the account rules (auth/account_bulk.c) keep their values here. */
#ifndef JINZAI_SETTING_H
#define JINZAI_SETTING_H

#include "audit.h"
#include "db.h"

/* Value of key copied into a, or dflt when unset. */
const char *setting_get(Db *db, Arena *a, const char *key, const char *dflt);
/* Sets key (audited). Caller runs it inside a transaction. 0 or -1. */
int setting_set(Db *db, const Actor *who, const char *key, const char *value);
/* Sets a secret key (audited with the key only, never the value). */
int setting_set_secret(Db *db, const Actor *who, const char *key, const char *value);

#endif
