/* training.h - sessions, applications, a session's attendance list, and
 * next 年度's demand. Attendance, completion, 職場還元, transcripts and
 * recommendations are in completion.h.
 *
 * An application goes 本人申込 → 所属長承認 → 事務局決定. A decision accepts
 * while seats remain and waitlists after that (first come, first served by
 * arrival); a cancellation of a seat promotes the first on the waitlist. An
 * external course counts complete only once its 復命書 is recorded. */
#ifndef JINZAI_TRAINING_H
#define JINZAI_TRAINING_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"
#include "skill.h"

/* ---- sessions ---- */

typedef struct Session {
    int64_t id, course_id;
    int nendo, capacity;
    const char *starts_at, *ends_at; /* "YYYY-MM-DDTHH:MM" */
    const char *place, *url, *instructor, *note;
    const char *course_code, *course_title, *provider, *format;
    bool cancelled, external;
    int accepted, waitlisted, pending; /* applications by state */
    /* 申込期間: applications taken from apply_from to apply_until (締切),
     * ISO dates, inclusive; NULL or "" leaves that end open. */
    const char *apply_from, *apply_until;
    /* Cost per person in yen when has_cost; unknown (NULL, 未定) otherwise.
     * course_cost is the catalogue's cost, the form's starting value. */
    bool has_cost;
    int cost, course_cost;
} Session;
/* The cost per person of a session (-1: unknown, shown 未定). */
int session_cost(const Session *s);

/* Sessions starting between from and to (ISO dates, inclusive), optionally of
 * one course (0: all), by start time. */
int session_list(Db *db, Arena *a, const char *from, const char *to, int64_t course_id, Session **out);
bool session_get(Db *db, Arena *a, int64_t id, Session *out);
/* Validates and saves a session (id 0 inserts); nendo follows starts_at. */
int session_save(Db *db, const Actor *who, Session *s, Errors *e);
/* The course's session of 年度 nendo that online learning (a module, a SCORM
 * package, an xAPI statement) records its completions on: the first one not
 * cancelled, or, when there is none, a new one open all year (4/1 00:00 to
 * 3/31 23:59) noting where it came from. Inside the caller's transaction;
 * 0 on a database error. */
int64_t session_for_year(Db *db, int64_t course_id, int nendo, const char *note);
/* Cancels a session (開催中止); its applications are cancelled too. */
int session_cancel(Db *db, const Actor *who, int64_t id, Errors *e);

/* ---- applications ---- */

typedef enum { AP_APPLIED, AP_APPROVED, AP_ACCEPTED, AP_WAITLISTED, AP_CANCELLED, AP_REJECTED } AppState;
const char *app_state_name(AppState s); /* 所属長承認待ち 事務局決定待ち 受講決定 キャンセル待ち 取消 不承認 */
const char *app_state_code(AppState s);
AppState app_state_parse(const char *code);

typedef struct Application {
    int64_t id, session_id, staff_id, unit_id;
    AppState state;
    int seq;
    const char *reason; /* 不承認の理由 */
    const char *applied_at, *note, *staff_no, *staff_name, *unit_name, *course_title, *starts_at;
} Application;

/* 本人申込 (or by 事務局 on someone's behalf). One application per person and session. */
int app_apply(Db *db, const Actor *who, int64_t session_id, int64_t staff_id, const char *note, Errors *e);
/* The same, checking the session's 申込期間 and 締切, that a course completed
 * before is not applied for again (unless it allows repeats) and the course's
 * eligibility rule: 'refuse' refuses someone outside its target, 'warn'
 * accepts and sets *warned (may be NULL). */
int app_apply_checked(Db *db, const Actor *who, int64_t session_id, int64_t staff_id, const char *note, bool *warned, Errors *e);
/* 所属長: approve (→ 事務局決定待ち) or refuse (→ 不承認) an application.
 * 不承認 needs a reason (shown to the applicant): app_approve refuses only
 * through app_approve_r. */
int app_approve(Db *db, const Actor *who, int64_t app_id, bool approve, Errors *e);
int app_approve_r(Db *db, const Actor *who, int64_t app_id, bool approve, const char *reason, Errors *e);
/* 事務局: accept while seats remain, else waitlist; or refuse with a reason. */
int app_decide(Db *db, const Actor *who, int64_t app_id, bool accept, Errors *e);
int app_decide_r(Db *db, const Actor *who, int64_t app_id, bool accept, const char *reason, Errors *e);
/* 一括の事務局決定 of n applications in one transaction: every row is
 * checked and reported by name; any bad row writes nothing. Sets how many
 * were accepted and waitlisted. */
int app_decide_bulk(Db *db, const Actor *who, const int64_t *ids, int n, bool accept, const char *reason, int *accepted, int *waitlisted,
                    Errors *e);
/* A leaver's pending applications (所属長承認待ち, 事務局決定待ち, キャンセル待ち)
 * to sessions starting after last_day are cancelled with a note; those on or
 * before it stay. Inside the caller's transaction; false on a failed write. */
bool app_withdraw_leaver(Db *db, const Actor *who, int64_t staff_id, const char *last_day);
/* Locks (db_lock_rows) every session where one of staff[0..n) has a
 * pending application, so that app_withdraw_leaver changes them under the
 * session's lock. It locks its own person's sessions; a transaction that
 * retires several people calls this once for all of them first, before it
 * writes, so that the sessions are taken in one order (db.h). False on a
 * database error. */
bool app_lock_pending_sessions(Db *db, const int64_t *staff, int n);
/* Cancels; a freed seat goes to the first on the waitlist. A session that
 * has started refuses it. */
int app_cancel(Db *db, const Actor *who, int64_t app_id, Errors *e);
/* 一括登録 by 事務局: every active person of a tier (0: any) in a unit's
 * subtree (0: everyone) not yet applied, accepted while seats remain, then
 * waitlisted. Sets *added and *waitlisted. One transaction. */
int app_enrol_bulk(Db *db, const Actor *who, int64_t session_id, int tier, int64_t unit_id, const char *as_of, int *added,
                   int *waitlisted, Errors *e);

/* Applications of one session (by state then arrival), of one person (newest
 * first), or waiting in a state within a unit's subtree (0: all). */
int app_list_session(Db *db, Arena *a, int64_t session_id, Application **out);
int app_list_staff(Db *db, Arena *a, int64_t staff_id, Application **out);
int app_list_waiting(Db *db, Arena *a, AppState state, int64_t unit_id, Application **out);
int64_t app_staff_of(Db *db, int64_t app_id);

/* ---- attendance of a session ---- */

/* An attendance record of a session, with the person's unit on `today`
 * (課 and 係 names, as app_list_session gives them). */
typedef struct SessionCompletion {
    int64_t staff_id;
    const char *staff_no, *name, *unit;
    bool attended, completed;
    int score; /* -1: none */
} SessionCompletion;
/* The attendance records of a session by 職員番号; returns the count placed
 * in *out (arena memory). */
int completion_list_session(Db *db, Arena *a, int64_t session_id, const char *today, SessionCompletion **out);

/* ---- next 年度's demand (demand_summary.c) ---- */

typedef struct Demand {
    int64_t course_id;
    const char *code, *title, *provider;
    int people, capacity, sessions_needed;
} Demand;
/* Next 年度's demand: for each course, how many people of a tier (0: any) in
 * a unit's subtree (0: all) have a gap it addresses; with sessions needed. */
int recommend_demand(Db *db, Arena *a, const SkillMap *m, int nendo, int64_t unit_id, int tier, Demand **out);

#endif
