/* audit.h - the append-only audit log.
 *
 * Every write calls audit_write inside the same transaction as the change, so
 * a change without its audit row cannot commit. Rows cannot be updated or
 * deleted: triggers in the schema abort any attempt. */
#ifndef JINZAI_AUDIT_H
#define JINZAI_AUDIT_H

#include <stdint.h>

#include "../db/db.h"

/* Who acts: a logged-in account, or the command line (account_id 0). */
typedef struct Actor {
    int64_t account_id;
    const char *name; /* login, or "cli" */
    const char *ip;   /* "" on the command line */
} Actor;

extern const Actor ACTOR_CLI;

/* Appends one row. summary is a short before/after text. Returns 0, or -1 on
 * a database error (the caller rolls back). */
int audit_write(Db *db, const Actor *who, const char *action, const char *entity, int64_t entity_id,
                int64_t subject_staff_id, const char *summary);

typedef struct AuditRow {
    int64_t id, entity_id, subject_staff_id;
    const char *at, *actor, *ip, *action, *entity, *summary, *subject_name;
} AuditRow;

typedef struct AuditFilter {
    const char *actor;   /* login, exact; NULL any */
    const char *action;  /* exact; NULL any */
    int64_t subject_staff_id;
    const char *from, *to; /* ISO dates inclusive; NULL open */
    int limit, offset;
} AuditFilter;

/* Newest first. Returns the number of rows placed in *out (arena memory);
 * *total receives the count matching the filter. */
int audit_list(Db *db, Arena *a, const AuditFilter *f, AuditRow **out, int *total);

#endif
