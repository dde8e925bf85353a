/* course.h - the training catalogue (研修カタログ) and the annual plan.
 *
 * Internal courses are led by 総務課 and 政策企画課; external ones by
 * 大分県自治人材育成センター, J-LIS and others. Each course names the skill
 * items it raises and the level a completion supports. The plan of a 年度
 * lists courses with sessions, seats, month and budget; plan-vs-actual counts
 * what was held, filled, completed and spent. */
#ifndef JINZAI_COURSE_H
#define JINZAI_COURSE_H

#include <stdbool.h>
#include <stdint.h>

#include "../auth/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef struct CodeName {
    const char *code, *name;
} CodeName;
extern const CodeName course_providers[9]; /* somu, seisaku internal; the rest external */
extern const CodeName course_formats[5];
const char *provider_name(const char *code);
bool provider_internal(const char *code);
const char *format_name(const char *code);
extern const CodeName course_eligibilities[3]; /* none, warn, refuse */
const char *eligibility_name(const char *code);

typedef struct CourseSkill {
    int64_t item_id;
    const char *item_code, *item_name;
    int level;
} CourseSkill;

typedef struct Course {
    int64_t id;
    const char *code, *title, *provider, *format, *target_posts, *description;
    unsigned target_tiers; /* bit set: 1 << tier */
    int minutes, capacity, cost;
    bool mandatory, security, active;
    const char *eligibility; /* applying outside the target: "none" allowed, "warn" with a notice, "refuse" */
    bool repeatable;         /* may be applied for again after a completion */
    CourseSkill *skills;
    int nskills;
} Course;

/* Courses by code; active_only skips retired ones. Skills filled. */
int course_list(Db *db, Arena *a, bool active_only, Course **out);
bool course_get(Db *db, Arena *a, int64_t id, Course *out);
/* Validates and saves c with its skills (replacing them). id 0 inserts. */
int course_save(Db *db, const Actor *who, Course *c, Errors *e);
/* Loads the sample catalogue compiled into the binary (data/courses.csv)
 * when the catalogue is empty. */
int course_load_defaults(Db *db);

typedef struct PlanRow {
    int64_t id, course_id;
    int nendo, sessions, seats, month, budget;
    const char *note, *course_code, *course_title, *provider;
    /* actuals of the 年度 */
    int held, filled, completed, spent;
} PlanRow;
/* The plan of a 年度 with its actuals, by month then course code. */
int plan_list(Db *db, Arena *a, int nendo, PlanRow **out);
/* Inserts or updates (by nendo + course) one plan row. */
int plan_save(Db *db, const Actor *who, PlanRow *p, Errors *e);
/* Saves several rows in one transaction: all of them or none. */
int plan_save_many(Db *db, const Actor *who, PlanRow *rows, int n, Errors *e);
int plan_delete(Db *db, const Actor *who, int64_t id, Errors *e);

#endif
