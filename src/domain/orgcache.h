/* orgcache.h - the units in force on a day, in tree order, kept in memory
 * by connection and data version. Every list page's unit filter offers them,
 * and reading and linking 2,620 units for it was a third of /staff's CPU at
 * 30,000 staff on SQLite and 4-5 ms a page on PostgreSQL. A list read at
 * general data version V is right exactly while the version is V (units are
 * written by audited writes of the general area, db/dataver.h). Keyed by the
 * connection (db_serial), so two databases open in one process never share
 * an entry. A cache of something read again at any time: nothing is written. */
#ifndef JINZAI_ORGCACHE_H
#define JINZAI_ORGCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../db/db.h"
#include "org.h"

/* The list kept for (db, version, as_of), copied into a: its length, or -1. */
int org_cache_get(Db *db, int64_t version, const char *as_of, Arena *a, Unit **out);
/* Keeps a copy of units[0..n) for (db, version, as_of). */
void org_cache_put(Db *db, int64_t version, const char *as_of, const Unit *units, int n);
/* Turns the cache off (tests compare both ways) or on (the default); off also empties it. */
void org_cache_set(bool on);

#endif
