/* module.h - e-learning modules written in jinzai: a course of format
 * 'elearning' with ordered pages of CommonMark, the uploaded media they
 * show, who viewed which page, and the completion rule: every page viewed
 * and the quiz (quiz.h) passed make one completion row of the course's
 * session of the 年度, like any attended course. */
#ifndef JINZAI_MODULE_H
#define JINZAI_MODULE_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

enum { MEDIA_MAX_BYTES = 50 * 1024 * 1024 };

typedef struct ModulePage {
    int64_t id, course_id;
    int seq;
    const char *title, *body; /* body: CommonMark */
    bool viewed;              /* by the staff member asked about */
} ModulePage;

/* The pages of a module in order, with viewed set for staff_id (0: none). */
int module_pages(Db *db, Arena *a, int64_t course_id, int64_t staff_id, ModulePage **out);
bool module_page_get(Db *db, Arena *a, int64_t course_id, int seq, ModulePage *out);
/* Saves page seq of a module (seq 0 appends a new page). The course must be
 * an e-learning course; the title is required. Returns the seq, or -1. */
int module_page_save(Db *db, const Actor *who, int64_t course_id, int seq, const char *title, const char *body, Errors *e);
/* Records that staff_id viewed a page (once) and completes the module when
 * the rule is met. 0, or -1 on a database error. */
int module_page_view(Db *db, const Actor *who, int64_t page_id, int64_t staff_id);

/* Uploaded media (images, PDF, video) kept in the database. */
typedef struct MediaAsset {
    int64_t id;
    const char *name, *content_type;
    const unsigned char *data;
    size_t size;
} MediaAsset;
int64_t media_save(Db *db, const Actor *who, const char *name, const char *content_type, const void *data, size_t len, Errors *e);
bool media_get(Db *db, Arena *a, int64_t id, MediaAsset *out);
/* The Content-Type jinzai serves for a file name (by extension), or NULL
 * when the kind is not accepted. */
const char *media_type_of(const char *name);

/* The completion rule, inside the caller's transaction: when every page is
 * viewed and the quiz (if any) passed, one completion row (attended,
 * completed, the course's minutes) of the course's session of the 年度 of
 * `day`, created when missing. Idempotent. false on a database error. */
bool module_try_complete(Db *db, const Actor *who, int64_t course_id, int64_t staff_id, const char *day);
/* The course's session of a 年度 (open all year), created when missing; 0 on error. */
int64_t module_session(Db *db, int64_t course_id, int nendo);
/* True when staff_id has a completed completion of the course in the 年度. */
bool module_completed(Db *db, int64_t course_id, int64_t staff_id, int nendo);

/* Demo: the security module of the 年度 with its quiz bank, and passing
 * attempts and completions for about 70 % of the staff, dated before today;
 * then the SCORM 1.2 sample package (compiled in) imported onto SEC-01, which
 * stops being mandatory, with finished attempts and completions for about
 * 40 % of the staff (never shokuin). Two transactions besides the import's. */
int demo_elearning(Db *db, int nendo, unsigned seed);

#endif
