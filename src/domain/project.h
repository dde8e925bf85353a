/* project.h - the register of the city's DX projects (DXプロジェクト).
 *
 * A project (dx_project) belongs to an owning unit, has a purpose, a period,
 * a status (構想, 計画, 実施中, 完了, 中止), a budget in 円, its project owner
 * (②プロジェクト担当, a staff member), members (dx_project_member, with a
 * role text), the external talent engaged (extern_project, shared with
 * extern.h), the skills it needs (dx_project_need: skill item, required
 * level, how many people) and outcomes (text and figures,
 * dx_project_figure). Cases are linked elsewhere (case_tag kind 'project').
 *
 * Skill need against members: for each need, every member's level of that
 * item is their latest confirmed assessment (上司確認, sup_level) when there
 * is one, else their latest self level (marked as such), else none. A need is
 * 充足 when at least headcount members reach the required level; otherwise
 * 外部人材で補完中 when an external linked to the project, engaged today,
 * brings the item at that level or higher; otherwise 研修が必要.
 *
 * Lists are arena memory; functions return row counts. */
#ifndef JINZAI_PROJECT_H
#define JINZAI_PROJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/buf.h"
#include "../core/errors.h"
#include "../db/db.h"

/* Status codes and their Japanese names, in workflow order. */
#define PROJECT_NSTATUS 5
extern const char *const PROJECT_STATUS[PROJECT_NSTATUS];      /* idea plan active done stopped */
extern const char *const PROJECT_STATUS_NAME[PROJECT_NSTATUS]; /* 構想 計画 実施中 完了 中止 */
/* The Japanese name of a status code ("" when unknown). */
const char *project_status_name(const char *code);

typedef struct ProjectMember {
    int64_t staff_id;
    const char *staff_no, *name, *role;
} ProjectMember;

typedef struct ProjectNeed {
    int64_t item_id;
    const char *item_code, *item_name;
    int level, headcount;
} ProjectNeed;

typedef struct ProjectFigure {
    const char *label, *unit;
    double value;
} ProjectFigure;

typedef struct ProjectExtern {
    int64_t extern_id;
    const char *name, *kind, *role;
    bool engaged; /* an engagement is in force today */
} ProjectExtern;

typedef struct Project {
    int64_t id, unit_id, owner_staff_id, budget;
    const char *name, *unit_name, *purpose, *from_date, *to_date, *status, *outcome;
    const char *owner_no, *owner_name; /* "" when no owner */
    bool owner_designated; /* the owner holds a ② project designation of the 年度 asked for */
    ProjectMember *members;
    int nmembers;
    ProjectNeed *needs;
    int nneeds;
    ProjectFigure *figures;
    int nfigures;
    ProjectExtern *externs;
    int nexterns;
} Project;

typedef struct ProjectFilter {
    const char *status; /* code; NULL or "" any */
    int64_t unit_id;    /* the unit and its subtree; 0 any */
    const char *q;      /* part of the name; NULL or "" any */
} ProjectFilter;

/* Projects matching f, newest period first, without children (members …).
 * owner_designated is read for 年度 nendo. */
int project_list(Db *db, Arena *a, const ProjectFilter *f, int nendo, Project **out);
/* One project with members, needs, figures and externals; owner_designated
 * for 年度 nendo on its view date; externals' engagement as of today. */
bool project_get(Db *db, Arena *a, int64_t id, int nendo, const char *today, Project *out);

/* What a form posts. members: one "職員番号 役割" a line; needs: one
 * "スキルコード 必要レベル 人数" a line; figures: one "項目 値 単位" a line
 * (unit optional). Dates ISO (to_date may be ""), budget digits. */
typedef struct ProjectInput {
    int64_t id; /* 0 adds; set to the new id after an add */
    const char *name, *unit_id, *purpose, *from_date, *to_date, *status, *budget, *owner_no, *outcome;
    const char *members, *needs, *figures;
} ProjectInput;

/* Validates and saves a project with its members, needs and figures (the
 * child rows are replaced) in one transaction with one audit row
 * ("project.save"). On bad input fills e (Japanese, per field) and writes
 * nothing. 0 or -1. */
int project_save(Db *db, const Actor *who, ProjectInput *in, Errors *e);
/* Deletes a project and its rows (members, needs, figures, external links).
 * Audited "project.delete". 0 or -1. */
int project_delete(Db *db, const Actor *who, int64_t id, Errors *e);

/* The child rows as the form shows them (the inverse of the input format). */
const char *project_members_text(Arena *a, const Project *p);
const char *project_needs_text(Arena *a, const Project *p);
const char *project_figures_text(Arena *a, const Project *p);

/* ---- skill need against members ---- */

enum { NEED_MET = 0, NEED_EXTERN = 1, NEED_TRAINING = 2 };
/* The rule: met when at least headcount of the levels reach required; else
 * extern when extern_covers; else training. levels < 0 are "not assessed". */
int need_state(int required, int headcount, const int *levels, int n, bool extern_covers);
const char *need_state_name(int state); /* 充足 / 不足（外部人材で補完中） / 不足（研修が必要） */

/* A person's level of an item: the latest confirmed (sup_level of a
 * confirmed assessment), else the latest self level (*confirmed false),
 * else -1. */
int member_level(Db *db, int64_t staff_id, int64_t item_id, bool *confirmed);

typedef struct NeedMember {
    int64_t staff_id;
    const char *name;
    int level; /* -1 not assessed */
    bool confirmed;
} NeedMember;

typedef struct NeedCover {
    const ProjectNeed *need;
    NeedMember *best; /* members ordered by level, best first (all members) */
    int nbest;
    int reached;               /* members at or above the required level */
    const char *extern_name;   /* the engaged external who covers it, or NULL */
    int state;
} NeedCover;

/* One row per need of p (loaded by project_get). today decides which
 * engagements count. */
int project_coverage(Db *db, Arena *a, const Project *p, const char *today, NeedCover **out);

#endif
