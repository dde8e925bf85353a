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

#include "../db/audit.h"
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

/* The minutes one completion counts in 延べ受講時間 (KPI) and in transcripts,
 * as an SQL expression over a completion alias k and its course alias c:
 * nothing unless attended or completed; else the minutes entered on the
 * completion, or for an external course without them the course's minutes. */
#define COMPLETION_MINUTES_SQL(k, c)                                                                             \
    "(CASE WHEN " k ".attended = 0 AND " k ".completed = 0 THEN 0 WHEN " k ".minutes > 0 THEN " k ".minutes" \
    " WHEN " c ".provider IN ('somu', 'seisaku') THEN 0 ELSE " c ".minutes END)"

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
    int held, filled, completed;
    /* money in yen from each session's cost per person: spent (実績) on the
     * sessions started, by who attended; forecast (見込み) on those to
     * come, by who is accepted; unknown counts the sessions whose cost is
     * 未定, which add to neither (never read as 0). */
    int64_t spent, forecast;
    int unknown;
} PlanRow;
/* The plan of a 年度 with its actuals, by month then course code; "now"
 * (util.h) splits started sessions from those to come. */
int plan_list(Db *db, Arena *a, int nendo, PlanRow **out);
/* Inserts or updates (by nendo + course) one plan row. */
int plan_save(Db *db, const Actor *who, PlanRow *p, Errors *e);
/* Saves several rows in one transaction: all of them or none. */
int plan_save_many(Db *db, const Actor *who, PlanRow *rows, int n, Errors *e);
int plan_delete(Db *db, const Actor *who, int64_t id, Errors *e);

#endif
