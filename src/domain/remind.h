/* remind.h - reminders (督促): who has something outstanding, the text of
 * the reminder, and queuing it as notices and mail.
 *
 *   assessments  in service, no submission in the 年度 while its period is open;
 *   approvals    applications waiting for a 所属長 (the 所属長 is reminded);
 *   reports      attended external courses without a 復命書, ended over 7 days ago;
 *   mandatory    mandatory courses of the person's tier not completed in the 年度.
 * Only people with an active account can be reminded. */
#ifndef JINZAI_REMIND_H
#define JINZAI_REMIND_H

#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef enum { RM_ASSESSMENTS, RM_APPROVALS, RM_REPORTS, RM_MANDATORY, RM_COUNT } RemindKind;

/* "assessments" ... → kind, or -1. */
int remind_kind_parse(const char *s);
const char *remind_kind_code(RemindKind k);
const char *remind_kind_name(RemindKind k); /* 自己評価の提出 ... */

typedef struct RemindTarget {
    int64_t account_id, staff_id;
    const char *name, *mail; /* mail "" : in-app only */
    int count;               /* outstanding items */
} RemindTarget;

/* Everyone to remind on today for 年度 nendo. With ids (n > 0), only those
 * selected: staff ids, or application ids for RM_APPROVALS. */
int remind_targets(Db *db, Arena *a, RemindKind k, int nendo, const char *today, const int64_t *ids, int nids, RemindTarget **out);
/* The notice title, body and link of a reminder to t. */
void remind_text(Db *db, Arena *a, RemindKind k, int nendo, const RemindTarget *t, const char **title, const char **body,
                 const char **link);
/* Queues one notice (and mail) per target in one transaction, audited. */
int remind_queue(Db *db, const Actor *who, RemindKind k, int nendo, const RemindTarget *t, int n, Errors *e);

#endif
