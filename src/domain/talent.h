/* talent.h - 人材検索: find the people in service on a date by skill level,
 * qualification, tier, training completed, unit and name.
 *
 * Every condition left empty matches everyone; the ones given must all hold.
 * The search is one SQL statement (a fixed text whose conditions are switched
 * on by bound values, so its prepared form is cached like any other), limited
 * by the viewer's scope root with the 所属長 rule of asof.h (ASOF_VISIBLE),
 * and returns one page together with the total count (COUNT(*) OVER ()).
 *
 * Skill levels come from the person's latest assessment of the 年度 or an
 * earlier one that counts for the condition:
 *   - 'confirmed' (上司確認済み): a 確認済 assessment, its confirmed level;
 *   - 'self' (自己評価): a 提出済 or 確認済 assessment, the confirmed level
 *     where there is one, else the person's own. */
#ifndef JINZAI_TALENT_H
#define JINZAI_TALENT_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/errors.h"
#include "../db/db.h"

#define TALENT_SKILLS 3
#define TALENT_PAGE_SIZE 100

typedef struct TalentSkill {
    int64_t item_id; /* 0: row not used */
    int min_level;   /* 1..4 */
    bool self;       /* true: 自己評価 (confirmed where there is one); false: 上司確認済み only */
} TalentSkill;

typedef struct TalentQuery {
    TalentSkill skills[TALENT_SKILLS];
    const char *qual_code;  /* held and valid on `on`; NULL or "": any */
    unsigned tiers;         /* bit set 1 << tier (①②③) held on `on`; 0: any */
    int64_t course_id;      /* completed course; 0: none asked */
    const char *course_kw;  /* or any course whose title holds this (folded); NULL or "": none */
    int course_nendo;       /* the completion's 年度; 0: ever */
    int64_t unit_id;        /* primary unit on `on` in this subtree; 0: any */
    const char *name;       /* 職員番号, 氏名 or カナ, folded as staff search; NULL or "": any */
    int nendo;              /* 年度 of the assessments and designations */
    const char *on;         /* ISO date: in service, qualification valid, tier held */
    int64_t scope;          /* viewer's scope root (scope_root): 0 everyone, -1 nobody */
    const char *today;      /* ISO, for the scope rule */
    int page;               /* 1..; 0: every row (exports) */
} TalentQuery;

typedef struct TalentRow {
    int64_t staff_id;
    const char *staff_no, *name, *unit_name;
    unsigned tiers;                /* bit set 1 << tier; ③ when not designated */
    int level[TALENT_SKILLS];      /* the level that counted, -1 when none or row unused */
    const char *qual_acquired_on;  /* of the matched qualification, NULL when none asked */
    const char *course_title;      /* latest matching completion, NULL when none asked */
    const char *course_on;         /* its session's start date (ISO) */
} TalentRow;

typedef struct TalentResult {
    TalentRow *rows;
    int n;
    int total;       /* rows matching over all pages (0 when this page is past the end) */
    int ncourses;    /* courses the course condition stands for (id or keyword) */
} TalentResult;

/* Checks the query against the database (items, levels, qualification,
 * course, unit, tiers, 年度, date). Fills e with Japanese messages by field
 * ("s1_item", "s1_min", "qual", "course", "unit", "tier", "on", "cnendo") and
 * returns -1, or 0. */
int talent_check(Db *db, const TalentQuery *q, Errors *e);

/* True when the query has at least one condition. */
bool talent_has_condition(const TalentQuery *q);

/* Runs the query (checked first by the caller). Memory in a. Returns the row count. */
int talent_search(Db *db, Arena *a, const TalentQuery *q, TalentResult *out);

/* The ','-framed list of course ids (",3,7,") the course condition stands
 * for: the course itself, or every course whose folded title holds the
 * folded keyword. "" when no course condition; ",," when the keyword matches
 * none. *n gets the number of courses. */
const char *talent_course_ids(Db *db, Arena *a, const TalentQuery *q, int *n);

#endif
