/* readaudit.h - the audit row of a read of personal data, written in the
 * same transaction as the read, so what was shown and its record agree:
 *
 *     if (read_audit_begin(db) != 0) → refuse
 *     …read…
 *     if (read_audit_end(db, who, true, action, …) != 0) → show nothing
 *
 * A read whose record cannot be written is not shown (fail closed). Repeated
 * views of one record collapse into one row (audit_read in db/audit.h). */
#ifndef JINZAI_READAUDIT_H
#define JINZAI_READAUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../db/db.h"

/* Opens the transaction of the read. 0, or -1 (nothing open). */
int read_audit_begin(Db *db);
/* Ends it: when shown, writes the audit row (none when action is NULL: the
 * caller wrote it in this transaction, or nothing personal was read) and
 * commits: 0, or -1 after a rollback when the row or the commit failed.
 * When not shown, rolls back and returns 0. */
int read_audit_end(Db *db, const Actor *who, bool shown, const char *action, const char *entity, int64_t entity_id,
                   int64_t subject_staff_id, const char *summary);

#endif
