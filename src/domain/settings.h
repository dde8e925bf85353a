/* settings.h - city-wide settings: the current 年度 and the city's name. */
#ifndef JINZAI_SETTINGS_H
#define JINZAI_SETTINGS_H

#include "../auth/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

/* Value of key copied into a, or dflt when unset. */
const char *setting_get(Db *db, Arena *a, const char *key, const char *dflt);
/* Sets key (audited). Caller runs it inside a transaction. 0 or -1. */
int setting_set(Db *db, const Actor *who, const char *key, const char *value);
/* Sets the current 年度 and the city's name together: one transaction,
 * audited; -1 with e filled when anything failed (nothing is written). */
int settings_save(Db *db, const Actor *who, int nendo, const char *city, Errors *e);
/* The current 年度: setting "current_nendo", else the 年度 of today. */
int settings_nendo(Db *db);
/* 国東市 unless the city setting says otherwise. */
const char *settings_city(Db *db, Arena *a);

#endif
