/* extern.h - the register of external talent (外部人材): people and
 * organisations who bring skills the city's own staff cannot yet cover.
 *
 * extern_person: name, person or organisation, type (see EXTERN_KIND),
 * affiliation and contact (personal data), note, ended_on (登録終了).
 * extern_skill: skill-map items they bring with a level 0-4.
 * extern_engagement: contract or appointment (契約・委嘱) periods with cost
 * in 円, funding (特別交付税措置 or not, plus free text) and hours contracted
 * and actually worked. extern_project: the projects they serve (shared with
 * project.h). Knowledge transfer: extern_session (date, title, hours,
 * attendee count and/or listed staff in extern_session_staff) and
 * extern_pairing (staff paired with them from/to).
 *
 * Scope: HR, DX and ADMIN see every record; a 所属長 sees only externals
 * linked to a project whose owning unit lies in their subtree (scope root
 * R); staff see none. Every write is audited; pages audit detail reads.
 *
 * ---- KPI functions (per 年度, for the KPI module) ----
 * extern_kpi_year(db, nendo, &k) fills ExternKpi:
 *   engagements      engagements in force on at least one day of the 年度
 *                    (4/1 .. 3/31), counted once per engagement row;
 *   hours_contracted, hours_actual
 *                    the sums of those engagements' hours (an engagement that
 *                    spans two 年度 counts in both, whole);
 *   sessions         knowledge-transfer sessions held in the 年度 up to today
 *                    (held_on <= today, never a planned one);
 *   staff_reached    distinct staff listed in those sessions or paired with
 *                    an external on a day of the 年度 up to today, plus the
 *                    attendee_count of sessions that list no staff.
 */
#ifndef JINZAI_EXTERN_H
#define JINZAI_EXTERN_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

#define EXTERN_NKIND 8
extern const char *const EXTERN_KIND[EXTERN_NKIND];      /* advisor pool cio_aide fixed_term side_job kigyojin dispatch other */
extern const char *const EXTERN_KIND_NAME[EXTERN_NKIND]; /* 地域情報化アドバイザー … その他 */
const char *extern_kind_name(const char *code);

typedef struct ExternSkill {
    int64_t item_id;
    const char *item_code, *item_name;
    int level;
} ExternSkill;

typedef struct ExternEngagement {
    int64_t id;
    const char *from_date, *to_date, *funding_note;
    int64_t cost;
    bool tokko;
    double hours_contracted, hours_actual;
} ExternEngagement;

typedef struct ExternProjectLink {
    int64_t project_id, unit_id;
    const char *name, *role;
} ExternProjectLink;

typedef struct ExternSession {
    int64_t id;
    const char *held_on, *title;
    double hours;
    int attendee_count, nstaff;
    const char *staff_names; /* "、"-joined, "" when none listed */
} ExternSession;

typedef struct ExternPairing {
    int64_t id, staff_id;
    const char *staff_no, *staff_name, *from_date, *to_date; /* to_date NULL open */
} ExternPairing;

typedef struct Extern {
    int64_t id;
    bool is_org;
    const char *name, *kind, *affiliation, *contact, *note, *ended_on;
    const char *current_until; /* last day of the engagement in force today, or NULL */
    ExternSkill *skills;
    int nskills;
    ExternEngagement *engagements;
    int nengagements;
    ExternProjectLink *projects;
    int nprojects;
    ExternSession *sessions;
    int nsessions;
    ExternPairing *pairings;
    int npairings;
} Extern;

typedef struct ExternFilter {
    const char *kind;    /* code; NULL or "" any */
    int64_t scope_root;  /* 0 every record; else linked to a project of that subtree; -1 none */
    bool engaged_only;   /* with an engagement in force on today */
    const char *today;
} ExternFilter;

/* The list (no children but skills and projects), by name. */
int extern_list(Db *db, Arena *a, const ExternFilter *f, Extern **out);
/* One record with every child row; false when absent. */
bool extern_get(Db *db, Arena *a, int64_t id, const char *today, Extern *out);
/* True when a viewer with scope root R may see record id (R 0: always). */
bool extern_in_scope(Db *db, int64_t id, int64_t scope_root);

/* What the main form posts. skills: one "スキルコード レベル" a line.
 * project_ids: the checked projects (n of them) with one role each (may be ""). */
typedef struct ExternInput {
    int64_t id; /* 0 adds; the new id after an add */
    const char *name, *kind, *affiliation, *contact, *note, *skills;
    bool is_org;
    int64_t project_ids[32];
    const char *project_roles[32];
    int nprojects;
} ExternInput;

/* Validates and saves the record with its skills and project links (replaced)
 * in one transaction, audited "extern.add"/"extern.save". 0 or -1 with e. */
int extern_save(Db *db, const Actor *who, ExternInput *in, Errors *e);
/* Ends the registration on `on` (ISO), audited "extern.end"; on NULL or ""
 * reopens it ("extern.reopen"). */
int extern_end(Db *db, const Actor *who, int64_t id, const char *on, Errors *e);

/* Adds an engagement. Strings as typed (dates ISO, cost digits, hours
 * decimal); audited "extern.engagement". */
int extern_engagement_add(Db *db, const Actor *who, int64_t extern_id, const char *from, const char *to, const char *cost, bool tokko,
                          const char *funding_note, const char *hours_contracted, const char *hours_actual, Errors *e);
int extern_engagement_delete(Db *db, const Actor *who, int64_t extern_id, int64_t engagement_id, Errors *e);

/* Records a knowledge-transfer session held on held_on (not after today):
 * staff_nos lists 職員番号 separated by spaces, commas or lines (may be
 * empty); attendees is a count (may be "" when staff are listed). The session
 * and its staff rows are written in one transaction ("extern.session"). */
int extern_session_add(Db *db, const Actor *who, int64_t extern_id, const char *held_on, const char *title, const char *hours,
                       const char *attendees, const char *staff_nos, const char *today, Errors *e);
int extern_session_delete(Db *db, const Actor *who, int64_t extern_id, int64_t session_id, Errors *e);

/* Pairs a staff member with the external from `from` (to may be ""). */
int extern_pairing_add(Db *db, const Actor *who, int64_t extern_id, const char *staff_no, const char *from, const char *to, Errors *e);
/* Ends a pairing on `on`. */
int extern_pairing_end(Db *db, const Actor *who, int64_t extern_id, int64_t pairing_id, const char *on, Errors *e);

/* ---- KPIs (see the top of this file) ---- */
typedef struct ExternKpi {
    int engagements;
    double hours_contracted, hours_actual;
    int sessions, staff_reached;
} ExternKpi;
/* today bounds the sessions and pairings counted (ISO). 0 or -1. */
int extern_kpi_year(Db *db, int nendo, const char *today, ExternKpi *out);

/* The 年度's engagements by kind (EXTERN_KIND order), for the annual report:
 * people or organisations engaged, engagements, actual hours, cost and how
 * many engagements 特別交付税措置 funds. 0 or -1. */
typedef struct ExternKindYear {
    int people, engagements;
    double hours;
    int64_t cost;
    int tokko;
} ExternKindYear;
int extern_kinds_year(Db *db, int nendo, ExternKindYear out[EXTERN_NKIND]);

#endif
