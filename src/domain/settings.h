/* settings.h - city-wide settings: the current 年度 and the city's name. */
#ifndef JINZAI_SETTINGS_H
#define JINZAI_SETTINGS_H

#include <stdbool.h>

#include "../core/errors.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../db/setting.h"

/* The SMTP relay and the base URL of links in mail (docs/operations.md). */
typedef struct SmtpSettings {
    const char *host, *port, *sender, *user, *password, *base_url;
    bool starttls;
} SmtpSettings;
/* The stored values (password included, for the sender only; never shown). */
void settings_smtp_get(Db *db, Arena *a, SmtpSettings *s);
/* Checks and stores s in one transaction, audited. An empty password keeps
 * the stored one. -1 with e filled (field names host, port, sender, user,
 * base_url) when anything is wrong: nothing is written. */
int settings_smtp_save(Db *db, const Actor *who, const SmtpSettings *s, Errors *e);
/* Queues one test mail to addr (outbox only, audited). */
int settings_smtp_test(Db *db, const Actor *who, const char *addr, Errors *e);

/* Sets the current 年度 and the city's name together: one transaction,
 * audited; -1 with e filled when anything failed (nothing is written). */
int settings_save(Db *db, const Actor *who, int nendo, const char *city, Errors *e);
/* The current 年度: setting "current_nendo", else the 年度 of today. */
int settings_nendo(Db *db);
/* 国東市 unless the city setting says otherwise. */
const char *settings_city(Db *db, Arena *a);

#endif
