/* completion.h - attendance and completion of sessions, 復命書, 受講履歴,
 * 職場還元, completion as evidence of skill levels, and course
 * recommendations for a person. */
#ifndef JINZAI_COMPLETION_H
#define JINZAI_COMPLETION_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/errors.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "skill.h"
#include "training.h"

/* ---- attendance and completion ---- */

typedef struct RosterEntry {
    int64_t staff_id;
    bool attended;
    int score; /* -1: none */
} RosterEntry;
/* Records attendance of a session for the people given (one transaction).
 * Attendance of an internal course completes it; an external one waits for
 * its 復命書. */
int completion_record(Db *db, const Actor *who, int64_t session_id, const RosterEntry *in, int n, Errors *e);
/* The same from a CSV (職員番号, 出欠 (1/0/出席/欠席), 点数): every row is
 * checked first; any bad row writes nothing and is reported by line. */
int completion_import_csv(Db *db, const Actor *who, int64_t session_id, const char *data, size_t len, int *count, Errors *e);

/* Records the 復命書 of an external course, completing it. */
int completion_report(Db *db, const Actor *who, int64_t completion_id, const char *report_on, const char *report, Errors *e);

typedef struct TranscriptRow {
    int64_t completion_id, session_id, staff_id;
    const char *staff_no, *staff_name, *unit_name, *course_code, *course_title, *provider, *starts_at, *report_on, *result;
    bool attended, completed, external;
    bool named; /* the viewer may see this person's row (scope rule, today) */
    int minutes, score; /* score -1: none */
} TranscriptRow;
/* 受講履歴 of a person (staff_id) or of a unit's subtree (unit_id) on the
 * date the 年度 is viewed on (asof_nendo_date; today for all years), for a
 * 年度 (0: all years), newest first. Every row is returned so that totals
 * count them all; named tells which ones a viewer with scope root `root`
 * (scope_root: 0 org-wide) may see by name. */
int transcript_list(Db *db, Arena *a, int64_t staff_id, int64_t unit_id, int nendo, int64_t root, TranscriptRow **out);

/* ---- 職場還元 ---- */

typedef struct ShareBack {
    int64_t id, staff_id, session_id; /* session_id 0: not tied to one */
    const char *held_on, *audience, *content, *materials, *staff_name, *course_title;
    int attendees;
} ShareBack;
int shareback_add(Db *db, const Actor *who, ShareBack *s, Errors *e);
/* Share-backs of a person (staff_id) or everyone (0) in a 年度 (0: all). */
int shareback_list(Db *db, Arena *a, int64_t staff_id, int nendo, ShareBack **out);
/* 職場還元実施率: leaders (② 総括リーダー and プロジェクト担当) of the 年度
 * with at least one share-back held in it, over all of them. */
void shareback_rate(Db *db, int nendo, int *done, int *leaders);

/* ---- evidence and recommendations ---- */

/* The level completed training supports for each item of the map, for a
 * person: completions in nendo and the 年度 before. levels[m->nitems], -1 none;
 * titles[i] names the course that supports it (NULL none). */
void training_evidence(Db *db, Arena *a, const SkillMap *m, int64_t staff_id, int nendo, int *levels, const char **titles);

typedef struct Recommendation {
    int64_t course_id;
    const char *code, *title, *provider;
    int gaps_closed; /* levels of shortfall the course addresses */
    const char *items; /* the items it addresses, "、"-separated */
} Recommendation;
/* Courses for one person: active courses for their tier that raise items
 * where their level is below target, best first; completed ones left out. */
int recommend_person(Db *db, Arena *a, const SkillMap *m, int64_t staff_id, int nendo, Recommendation **out);

#endif
