/* staff.h - staff members, their assignments to units, and search.
 *
 * Search folds name, kana and 職員番号 with text_fold (NFKC, case, katakana to
 * hiragana, no spaces) into staff.search_key, so "ﾔﾏﾀﾞ", "ヤマダ" and "やまだ"
 * find the same person. */
#ifndef JINZAI_STAFF_H
#define JINZAI_STAFF_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

/* 職員区分 codes and their Japanese names. */
typedef struct EmpType {
    const char *code, *name;
} EmpType;
extern const EmpType emp_types[4];
const char *emp_type_name(const char *code); /* "" when unknown */

typedef struct Staff {
    int64_t id;
    const char *staff_no, *name, *kana, *emp_type, *post, *job_type;
    bool in_service;       /* 在職 on the as-of date: a primary assignment in force */
    const char *first_day; /* first day of service (earliest primary assignment); NULL if none */
    const char *last_day;  /* last day of service; NULL while employment is open-ended */
    const char *next_from; /* the next primary assignment starting after the as-of date (a hire to come); NULL if none */
    int64_t unit_id;       /* primary unit on the as-of date; 0 if none */
    const char *unit_name; /* "" if none */
    int tier;              /* 1, 2 or 3 for the 年度 asked (lowest number wins) */
    const char *tier_sub;  /* subtype code of that designation, "" for ③ */
} Staff;

typedef struct StaffFilter {
    const char *q;        /* name, kana or 職員番号, any part; NULL/"" for all */
    int64_t unit_id;      /* 0: any; else that unit and its subtree */
    int tier;             /* 0 any, 1, 2, 3 */
    const char *emp_type; /* NULL any */
    int active;           /* 1 in service on as_of, 0 not in service then, -1 both */
    const char *as_of;    /* date for assignments, service and tiers */
    int nendo;            /* 年度 for tiers (designations of it in force on as_of) */
    int limit, offset;    /* limit 0: no limit */
    struct ListPage *keys; /* NULL, or keyset paging (listcount.h) of a page of the people in service (active 1) */
} StaffFilter;

/* Fills *out (arena) and returns the number of rows; *total is the number
 * matching without limit/offset. */
int staff_search(Db *db, Arena *a, const StaffFilter *f, Staff **out, int *total);
/* Loads one person with their primary unit on as_of and tier for nendo. */
bool staff_get(Db *db, Arena *a, int64_t id, const char *as_of, int nendo, Staff *out);
int64_t staff_id_by_no(Db *db, const char *staff_no);

typedef struct Assignment {
    int64_t id, staff_id, unit_id;
    bool is_primary;
    const char *from_date, *to_date, *unit_name, *unit_code;
} Assignment;
/* All assignments of a person, newest first. */
int staff_assignments(Db *db, Arena *a, int64_t staff_id, Assignment **out);

/* Validates and saves s (id 0 inserts). For a new person, unit_id and from
 * (the first primary assignment) are required. One transaction; audited. */
int staff_save(Db *db, const Actor *who, Staff *s, const char *from, Errors *e);
/* Ends employment (退職等) with last_day as its last day, which may lie in
 * the future: assignments (本務・兼務), tier designations and key-system
 * duties end on last_day, those starting later are removed (designations
 * are closed so they never take effect). The person stays in service until
 * last_day. Refused when they have no service on or after last_day. */
int staff_deactivate(Db *db, const Actor *who, int64_t id, const char *last_day, Errors *e);
/* Re-hires a person not in service: a new primary assignment to unit_id from
 * `from`. Refused while they are in service then (or hold a later one). */
int staff_reactivate(Db *db, const Actor *who, int64_t id, int64_t unit_id, const char *from, Errors *e);

/* Adds an assignment; the person must be in service on `from`. A new
 * primary one ends the current primary assignment the day before `from` (an
 * 人事異動), and the designations held for the unit left that are in force
 * on or after `from` end that day too. 兼務 are added alongside. */
int staff_assign(Db *db, const Actor *who, int64_t staff_id, int64_t unit_id, bool primary, const char *from,
                 Errors *e);
/* Ends an assignment on last_day. */
int staff_assignment_end(Db *db, const Actor *who, int64_t assignment_id, const char *last_day, Errors *e);

/* The same three writes inside a transaction the caller holds (a transfer
 * list applies many in one): they validate, write and audit, and return
 * false with e filled on any problem; the caller rolls back. */
bool staff_save_in(Db *db, const Actor *who, Staff *s, const char *from, Errors *e);
bool staff_deactivate_in(Db *db, const Actor *who, int64_t id, const char *last_day, Errors *e);
bool staff_assign_in(Db *db, const Actor *who, int64_t staff_id, int64_t unit_id, bool primary, const char *from, Errors *e);
bool staff_reactivate_in(Db *db, const Actor *who, int64_t id, int64_t unit_id, const char *from, Errors *e);

/* Recomputes search_key from name, kana and number. */
char *staff_search_key(Arena *a, const char *staff_no, const char *name, const char *kana);

#endif
