/* todo.h - pending work: what each person, 所属長 and 事務局 has to do now.
 *
 * Pure queries over the records, scoped like the pages where the work is
 * done: a person's own rows, a 所属長's subtree today (the 所属長 scope rule
 * of asof.h), or the whole organisation for 事務局. Dates are ISO text; the
 * 年度 is the one the user works in. */
#ifndef JINZAI_TODO_H
#define JINZAI_TODO_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/db.h"
#include "assess.h"

#define TODO_UPCOMING_DAYS 30 /* sessions coming up */
#define TODO_EXPIRING_DAYS 90 /* qualifications expiring */

/* A person's own work. */
typedef struct TodoStaff {
    AssessState assess;         /* own self-assessment of the 年度 */
    const char *return_message; /* the 差戻し message when returned */
    bool period_open;           /* the assessment period is open today */
    bool assess_due;            /* to start, continue or resubmit */
    int apps_waiting;           /* applied or approved, not yet decided */
    int upcoming;               /* accepted, starting within TODO_UPCOMING_DAYS */
    int reports_due;            /* external courses attended without 復命書 */
    int shareback_due;          /* ② leader: completed courses with no 職場還元 since */
    int mandatory_due;          /* mandatory courses for their tier not completed in the 年度 */
    int mandatory_overdue;      /* of which past their due date */
    const char *mandatory_title;  /* the one due first (NULL: none) */
    const char *mandatory_due_on; /* its due date (NULL: none set) */
    int quals_expiring;         /* qualifications expiring within TODO_EXPIRING_DAYS */
} TodoStaff;
void todo_staff(Db *db, Arena *a, int64_t staff_id, int nendo, const char *today, TodoStaff *out);

/* A 所属長's work in the subtree of root (scope_root: 0 org-wide), counting
 * the people with an assignment in root's subtree today, leaving out the
 * manager (self_id) whose own work is in TodoStaff. */
typedef struct TodoManager {
    int to_confirm;    /* 提出済 assessments of the 年度 */
    int to_approve;    /* applications waiting for 所属長承認 */
    int not_submitted; /* people in service with no submission (未着手・下書き・差戻し) */
    int in_service;    /* people counted */
    int missing_leads; /* units in root's subtree that need a 総括リーダー and have none */
} TodoManager;
void todo_manager(Db *db, Arena *a, int64_t root, int64_t self_id, int nendo, const char *today, TodoManager *out);

/* The units counted in missing_leads for root (not 0) as of as_of, in the
 * organisation chart's order (level, sort order, code); parent_name is the
 * parent valid then (NULL: none). Reads root's subtree only. */
typedef struct MissingLead {
    int64_t unit_id;
    const char *name, *parent_name;
} MissingLead;
int todo_missing_leads(Db *db, Arena *a, int64_t root, int nendo, const char *as_of, MissingLead **out);

/* 事務局 (人事・DX推進): organisation-wide. */
typedef struct TodoOffice {
    int to_decide;        /* applications waiting for 事務局決定 */
    int to_close;         /* past sessions with accepted people and no attendance recorded */
    int64_t first_to_close; /* the earliest of them (0: none) */
    int attendance;       /* accepted people of past sessions without an attendance record */
    int reports_to_check; /* external courses attended without 復命書 */
    int staffing_leader, staffing_experts, staffing_keysys; /* staffing rules not met or at risk */
} TodoOffice;
void todo_office(Db *db, Arena *a, int nendo, const char *today, TodoOffice *out);
/* How many applications of state code `state` wait on people in the scope
 * of root (0: everyone; the 所属長 scope rule on today): the count of
 * app_list_waiting, in one COUNT. */
int todo_apps_waiting(Db *db, const char *state, int64_t root, const char *today);

/* The tasks of the yearly cycle (DOMAIN §7) for 年度 nendo, with their state
 * computed from the records. */
typedef enum {
    YT_ROLLOVER, YT_ROSTER, YT_LEADERS, YT_PERIOD, YT_ASSESS, YT_CONFIRM, YT_TRAINING, YT_PLAN, YT_KPI, YT_NEXT, YT_COUNT
} YearTaskId;
typedef struct YearTask {
    YearTaskId id;
    const char *when;  /* "4月", "5〜7月", "通年" … */
    const char *title;
    const char *state; /* what the records say, in words */
    bool done;
    bool current;      /* the task belongs to today's month */
} YearTask;
/* Fills out[YT_COUNT]. */
void todo_year_tasks(Db *db, Arena *a, int nendo, const char *today, YearTask *out);

#endif
