/* migrate.h - schema migrations embedded in the binary (src/db/schema/NNN_*.sql). */
#ifndef JINZAI_MIGRATE_H
#define JINZAI_MIGRATE_H

#include "db.h"

/* Applies every embedded migration newer than the recorded schema_version,
 * each in its own transaction. Returns the resulting version, or -1. */
int migrate(Db *db);
/* Highest version compiled into this binary. */
int migrate_latest(void);
/* Version recorded in the database (0 for an empty one). */
int migrate_current(Db *db);

/* The text of a migration file for one backend: its common text and that
 * backend's `-- dialect:` parts (see migrate.c), malloc'd. */
char *migrate_dialect_sql(const char *sql, DbDialect d);
/* The common text's column types mapped to PostgreSQL's (malloc'd). */
char *migrate_pg_types(const char *sql);

#endif
