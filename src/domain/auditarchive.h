/* auditarchive.h - a closed 年度 of the audit log archived to a file.
 *
 * The file is CSV (UTF-8) with a header line, one record per audit row
 * (ordered by id), and a last line "#rows=N,sha256=HEX" where HEX is the
 * SHA-256 of every byte before that line. The file is written, read back and
 * checked (count and hash) before anything is deleted; then, in one
 * transaction, the archive is recorded in audit_archive (which the schema's
 * no-DELETE trigger reads to allow exactly these rows to go), the 年度's rows
 * are deleted, and an `audit.archive` row records the count and the hash.
 *
 * A 年度 is closed when its 3/31 has passed and it is earlier than the
 * settings' current 年度. */
#ifndef JINZAI_AUDITARCHIVE_H
#define JINZAI_AUDITARCHIVE_H

#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef struct AuditArchive {
    int64_t id, rows;
    int nendo;
    const char *file, *sha256, *archived_at, *actor;
} AuditArchive;

/* The directory the admin screen writes archives to (audit-YYYY.csv);
 * `serve` sets it to the database file's directory. Default ".". */
extern const char *audit_archive_dir;

/* Archives 年度 nendo into path (which must not exist yet). 0 with *out
 * filled, or -1 with e saying why and nothing deleted (a file that was
 * written is removed again). */
int audit_archive(Db *db, const Actor *who, int nendo, const char *path, AuditArchive *out, Errors *e);

/* Re-checks an archive file: 0 with *rows and sha256 (hex) when its last line
 * matches its content, or -1 with e saying why. */
int audit_archive_verify(const char *path, int64_t *rows, char sha256[65], Errors *e);

/* Archives made so far, newest 年度 first (arena a). */
int audit_archive_list(Db *db, Arena *a, AuditArchive **out);

#endif
