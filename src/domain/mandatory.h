/* mandatory.h - the mandatory courses of a 年度 (必修研修): which course, for
 * which tiers, completed by which day; who still owes one; and each unit's
 * progress.
 *
 * A course is mandatory in 年度 N when it has a mandatory_course row for N,
 * or when its course.mandatory flag is set and it has no row for N (then for
 * its target tiers, with no due date). Whoever is in service and holds a tier
 * in the set owes it until a completion (completed = 1) of a session of the
 * course in 年度 N exists, however it was made: attendance, module, SCORM or
 * xAPI all write the same completion row. */
#ifndef JINZAI_MANDATORY_H
#define JINZAI_MANDATORY_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

#define MANDATORY_EVERYONE 14 /* tiers ①②③: (1 << 1) | (1 << 2) | (1 << 3) */

/* The mandatory courses of 年度 N as a derived table (course_id, tiers,
 * due_on), due_on NULL for a flagged course without a row. Binds: N, N. */
#define MANDATORY_OF_NENDO                                                                                       \
    "(SELECT mc.course_id, mc.tiers, mc.due_on FROM mandatory_course mc JOIN course cm ON cm.id = mc.course_id" \
    " WHERE mc.nendo = ? AND cm.active = 1"                                                                     \
    " UNION ALL SELECT cf.id, cf.target_tiers, CAST(NULL AS TEXT) FROM course cf WHERE cf.mandatory = 1"        \
    " AND cf.active = 1 AND NOT EXISTS (SELECT 1 FROM mandatory_course mx WHERE mx.course_id = cf.id AND mx.nendo = ?))"

/* staff_col has completed course_col in 年度 N. Binds: N. */
#define MANDATORY_DONE(staff_col, course_col)                                                                  \
    "EXISTS (SELECT 1 FROM completion kd JOIN training_session td ON td.id = kd.session_id WHERE kd.staff_id = " \
    staff_col " AND kd.completed = 1 AND td.course_id = " course_col " AND td.nendo = ?)"

typedef struct Mandatory {
    int64_t course_id;
    const char *code, *title;
    int tiers;          /* bit set (1 << tier) */
    const char *due_on; /* NULL: no due date (flagged course) */
    bool explicit_row;  /* set for the 年度 (else from the course flag) */
} Mandatory;

/* The mandatory courses of 年度 nendo, by due date then code. */
int mandatory_list(Db *db, Arena *a, int nendo, Mandatory **out);
/* Makes course mandatory in 年度 nendo for tiers (bit set, non-zero) due on
 * due_on, which must lie inside the 年度. Replaces an earlier setting.
 * Audited; 0, or -1 with e filled. */
int mandatory_set(Db *db, const Actor *who, int64_t course_id, int nendo, int tiers, const char *due_on, Errors *e);
/* Removes the setting of the 年度 (a flagged course falls back to its flag). */
int mandatory_unset(Db *db, const Actor *who, int64_t course_id, int nendo, Errors *e);

/* What one person still owes in 年度 nendo on today, earliest due first. */
typedef struct MandatoryDue {
    int64_t course_id;
    const char *title;
    const char *due_on; /* NULL: none */
    bool overdue;       /* due_on < today */
} MandatoryDue;
int mandatory_due(Db *db, Arena *a, int64_t staff_id, int nendo, const char *today, MandatoryDue **out);

/* Progress of one mandatory course per unit: the people in service on as_of
 * in root's subtree (root 0: everyone) whose tier of the 年度 is in the set,
 * grouped by their unit on as_of. Counts cover all of them; `missing` names
 * only those the viewer may see (the 所属長 scope rule with root and today). */
typedef struct MandatoryPerson {
    int64_t staff_id;
    const char *staff_no, *name;
} MandatoryPerson;
typedef struct MandatoryUnit {
    int64_t unit_id;
    const char *unit_name;
    int required, done;
    MandatoryPerson *missing;
    int nmissing;
} MandatoryUnit;
int mandatory_progress(Db *db, Arena *a, int64_t course_id, int nendo, const char *as_of, int64_t root, const char *today,
                       MandatoryUnit **out);

#endif
