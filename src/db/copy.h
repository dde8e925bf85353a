/* copy.h - `jinzai copy`: every row of one database into a new one, SQLite or
 * PostgreSQL either way.
 *
 * The target is migrated to the latest schema first and must hold no data
 * (a database that only the migrations wrote to). The rows then move in one
 * transaction on the target, table by table in the order of their foreign
 * keys, ids kept; on PostgreSQL each identity sequence is moved past the
 * largest id. Before committing, every table's row count and a check (sum
 * and maximum of the ids, total length of the text and blob columns) are
 * compared between source and target; any difference rolls everything back.
 * What a schema defines for one backend only (SQLite's full-text index
 * case_fts, PostgreSQL's trigram index) is rebuilt on the target, not copied.
 * The source is read in one snapshot and never written. */
#ifndef JINZAI_DB_COPY_H
#define JINZAI_DB_COPY_H

#include <stdio.h>

#include "db.h"

/* Copies src into dst; one line per table (rows in source and target) and a
 * summary go to out. 0 on success; -1 with a message on stderr, and nothing
 * of the data written. */
int db_copy(Db *src, Db *dst, FILE *out);

#endif
