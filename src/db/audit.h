/* audit.h - the append-only audit log.
 *
 * Every write calls audit_write inside the same transaction as the change, so
 * a change without its audit row cannot commit. Rows cannot be updated or
 * deleted: triggers in the schema abort any attempt, except one more view
 * added to a collapsed view row (audit_read) and the deletion of a closed
 * 年度 archived to a file (auditarchive.h). */
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

/* Seconds a run of views lasts, from its first row (default 600). */
extern int audit_view_window;

/* Records a view (kind 'read'): when the same account viewed the same record
 * with the same action within audit_view_window seconds of the run's first
 * row, that row counts one more (repeats + 1, last_at) instead of a new row.
 * Views without an account or an entity_id, and downloads (actions ending in
 * ".export"), are written as rows of their own. 0, or -1. */
int audit_read(Db *db, const Actor *who, const char *action, const char *entity, int64_t entity_id,
               int64_t subject_staff_id, const char *summary);

typedef struct AuditRow {
    int64_t id, entity_id, subject_staff_id, repeats;
    const char *at, *actor, *ip, *action, *entity, *summary, *subject_name, *kind;
    const char *last_at; /* last view of a collapsed run; NULL when repeats is 1 */
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
