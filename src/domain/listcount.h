/* listcount.h - the counts of the long lists (/staff, /assess/review) kept
 * by data version: "N人が該当します" and the pager need the number of
 * matching rows, and counting 30,000 people on every page view cost more
 * than reading the page. A count read at data version V is still right
 * exactly while the version is V (db/dataver.h), so it is kept in memory
 * under the version and the list's whole filter (every value the count
 * binds, dates included) and read again only when either changes. It is a
 * cache of something recomputed at any time: nothing is written. */
#ifndef JINZAI_LISTCOUNT_H
#define JINZAI_LISTCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/db.h"

/* A row's place in a list ordered by (unit code, 職員番号), for keyset
 * paging: the page after a row reads from that place in the list-order
 * indexes (schema 038) instead of counting the rows before it. */
typedef struct ListKey {
    const char *code, *no; /* code NULL: no key */
} ListKey;
typedef struct ListPage {
    ListKey after, before; /* in: the page after, or before, this row; neither: by offset */
    ListKey first, last;   /* out: the page's first and last rows (code NULL when empty or by offset of another part) */
} ListPage;

/* The version to key a count with: read it BEFORE counting, so a count
 * never carries a version newer than the data it saw. */
int64_t list_count_version(Db *db);
/* The count kept for key at version, or -1. */
int list_count_get(int64_t version, const char *key);
/* Keeps n for key at version (a key longer than the cache takes is not kept). */
void list_count_put(int64_t version, const char *key, int n);
/* Turns the cache off (tests compare both ways) or on (the default); off also empties it. */
void list_count_set(bool on);

#endif
