/* dataver.h - the data version: a counter that every audited write bumps in
 * its own transaction, so a summary computed at version V is still right
 * exactly while the version is V (see docs/performance.md). */
#ifndef JINZAI_DATAVER_H
#define JINZAI_DATAVER_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/db.h"

/* The current version (0 before any write). */
int64_t data_version(Db *db);
/* Bumps it: 0, or -1 on a database error (the caller rolls back). */
int data_version_bump(Db *db);
/* Whether an audited action changes data: reads (".view") do not. */
bool data_version_writes(const char *action);

#endif
