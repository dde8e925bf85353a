/* cases.h - the case library (事例集): 先進地事例, 他団体優良事例, 庁内事例
 * and 職場還元 records published as cases.
 *
 * A case has a kind, title, source (municipality or body), 年度, summary and
 * a CommonMark body, effects as figures (hours saved a year, cost in 円,
 * users; each may be unknown), a source URL (http/https), attachments
 * (media_asset rows, see module.h), and tags in one table case_tag: skill-map
 * items ('skill'), staff ('staff') and DX projects ('project'). Drafts are
 * seen by the 事務局 (人事, DX推進, 管理者) only; everyone sees published ones.
 *
 * Search runs over case_study.search_text, the text_fold of title, summary,
 * body and source: queries of three or more folded characters use the
 * full-text index (SQLite FTS5 trigram), shorter ones LIKE over the column.
 *
 * For KPIs: case_study(published, published_on, nendo, unit_id) and
 * case_view(case_id, staff_id, day, count), read through case_published_count,
 * case_per_unit and case_view_total below. */
#ifndef JINZAI_CASES_H
#define JINZAI_CASES_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

enum { CASE_PAGE_SIZE = 50, CASE_MAX_TAGS = 64 };

/* 'advanced' 先進地事例, 'other' 他団体優良事例, 'internal' 庁内事例,
 * 'shareback' 職場還元. NULL for anything else. */
const char *case_kind_label(const char *kind);
extern const char *const case_kinds[]; /* the four kinds, NULL-terminated */

typedef struct CaseTag {
    const char *kind; /* "skill", "staff", "project" */
    int64_t ref_id;
    const char *label; /* item code and name, staff name, project name */
} CaseTag;

typedef struct CaseFile {
    int64_t media_id;
    const char *name, *content_type;
} CaseFile;

typedef struct Case {
    int64_t id, unit_id, shareback_id;
    const char *kind, *title, *source, *summary, *body, *source_url, *unit_name, *published_on, *updated_at;
    int nendo;
    bool published;
    bool has_hours, has_cost, has_users;
    double hours_saved;
    int64_t cost, users;
    int views;        /* sum of case_view.count */
    CaseTag *tags;    /* case_get only */
    int ntags;
    CaseFile *files;  /* case_get only */
    int nfiles;
} Case;

/* A case as typed on the form. Numbers and the 年度 are text and parsed
 * here; staff_nos is 職員番号 separated by commas or spaces. */
typedef struct CaseInput {
    int64_t id; /* 0: new */
    const char *kind, *title, *source, *nendo, *summary, *body, *hours, *cost, *users, *source_url, *staff_nos;
    int64_t unit_id, shareback_id;
    const int64_t *skills, *projects;
    int nskills, nprojects;
} CaseInput;

/* Validates and saves a case with its tags and search text, audited, in one
 * transaction. New cases start as drafts. Returns the id, or -1 with e filled
 * (nothing written). */
int64_t case_save(Db *db, const Actor *who, const CaseInput *in, Errors *e);
/* Publishes or withdraws a case. 0 or -1. */
int case_set_published(Db *db, const Actor *who, int64_t id, bool published, Errors *e);
/* Deletes a case with its tags, attachments links and views. 0 or -1. */
int case_delete(Db *db, const Actor *who, int64_t id, Errors *e);
/* Links an uploaded media_asset to a case. 0 or -1. */
int case_attach(Db *db, const Actor *who, int64_t case_id, int64_t media_id, Errors *e);

/* One case with tags and files; published_only hides drafts. */
bool case_get(Db *db, Arena *a, int64_t id, bool published_only, Case *out);

typedef struct CaseFilter {
    const char *q;     /* as typed; folded here */
    const char *kind;  /* NULL or "": any */
    int nendo;         /* 0: any */
    int64_t skill_id, staff_id, project_id; /* 0: any */
    bool published_only;
    int page;          /* 1-based */
} CaseFilter;
/* One page (CASE_PAGE_SIZE) of matching cases, newest 年度 first; *total
 * counts every match. Returns the number on this page. */
int case_search(Db *db, Arena *a, const CaseFilter *f, Case **out, int *total);

/* The folded search text of a case (what search_text holds). */
char *case_search_text(Arena *a, const char *title, const char *summary, const char *body, const char *source);
/* True when a folded query is long enough for the trigram index (three or
 * more characters); shorter ones use LIKE. */
bool case_query_uses_index(const char *folded);

/* Recomputes search_text and the full-text entry of a case from its columns,
 * inside the caller's transaction (for bulk writers such as the demo).
 * false on a database error. */
bool case_reindex(Db *db, int64_t id);

/* Counts one view of a case by a person today: one case_view row per person
 * and day, incremented. The first view of the day is audited. 0 or -1. */
int case_view(Db *db, const Actor *who, int64_t case_id, int64_t staff_id);

/* Published cases tagged with skill items where the person's latest
 * assessment that counts (submitted or confirmed, of the 年度 or before; the
 * confirmed level, else their own) is below their target of that 年度;
 * cases matching the largest shortfalls first, at most limit. */
int case_recommend(Db *db, Arena *a, int64_t staff_id, int nendo, int limit, Case **out);

/* The form of a new case prefilled from a 職場還元 record: kind shareback,
 * the course and content, the person as a staff tag, their unit. false when
 * the record does not exist. Memory in a. */
bool case_from_shareback(Db *db, Arena *a, int64_t shareback_id, CaseInput *out);
/* 職場還元 records not yet published as cases, newest first. */
typedef struct CaseShareBack {
    int64_t id;
    const char *held_on, *staff_name, *course_title, *content;
} CaseShareBack;
int case_shareback_candidates(Db *db, Arena *a, int limit, CaseShareBack **out);

/* ---- for KPIs ---- */
/* Published cases of a 年度 (case_study.nendo). */
int case_published_count(Db *db, int nendo);
typedef struct CaseUnitCount {
    int64_t unit_id;
    const char *unit_name;
    int cases;
} CaseUnitCount;
/* Published cases of a 年度 per unit (case_study.unit_id), most first. */
int case_per_unit(Db *db, Arena *a, int nendo, CaseUnitCount **out);
/* Views (sum of case_view.count) on days from..to inclusive (ISO dates). */
int64_t case_view_total(Db *db, const char *from, const char *to);
/* Published cases of a 年度 by kind, in case_kinds[] order. 0 or -1. */
#define CASE_NKIND 4
int case_kind_counts(Db *db, int nendo, int out[CASE_NKIND]);



#endif
