/* scorm.h - SCORM 1.2 packages: importing a zip (libzip) with its manifest
 * (libxml2), the files it serves, and each learner's run-time data (the cmi
 * data model) per SCO. No HTTP here: page_scorm.c and `jinzai scorm import`
 * call these.
 *
 * An import refuses the whole zip (nothing stored) on: a path with "..", an
 * absolute path or a drive letter, a symlink entry, more than SCORM_MAX_FILES
 * entries, an entry over SCORM_MAX_ENTRY bytes, a total over SCORM_MAX_TOTAL
 * bytes, or an entry whose compression ratio is over SCORM_MAX_RATIO:1 (a zip
 * bomb) — all judged from the central directory before anything is inflated,
 * and the inflated sizes checked again while reading. */
#ifndef JINZAI_SCORM_H
#define JINZAI_SCORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/buf.h"
#include "../core/errors.h"
#include "../db/db.h"

enum {
    SCORM_MAX_FILES = 2000,
    SCORM_MAX_RATIO = 100,
    SCORM_SUSPEND_MAX = 4096,
    SCORM_LOCATION_MAX = 255,
};
#define SCORM_MAX_ENTRY ((uint64_t)50 * 1024 * 1024)
#define SCORM_MAX_TOTAL ((uint64_t)200 * 1024 * 1024)

/* Imports the zip in data[0..len) for the course course_id; filename is shown
 * in lists. Returns the new package id, or -1 with e saying why. */
int64_t scorm_import(Db *db, const Actor *who, int64_t course_id, const char *filename, const void *data, size_t len, Errors *e);

typedef struct ScormSco {
    int64_t id, package_id, course_id;
    const char *title, *href, *package_title, *course_title;
} ScormSco;
/* The SCOs of a course's packages, in manifest order. */
int scorm_scos_of_course(Db *db, Arena *a, int64_t course_id, ScormSco **out);
/* Every SCO (for the list of packages). */
int scorm_scos_all(Db *db, Arena *a, ScormSco **out);
bool scorm_sco_get(Db *db, Arena *a, int64_t sco_id, ScormSco *out);

/* A stored file of a package, copied into a; false when absent. */
bool scorm_file(Db *db, Arena *a, int64_t package_id, const char *path, const void **data, size_t *len);
/* A Content-Type for a package path by its extension. */
const char *scorm_mime(const char *path);

/* The cmi data of one learner on one SCO. */
typedef struct ScormState {
    int64_t attempt_id, sco_id, staff_id;
    const char *student_id, *student_name;
    const char *lesson_status, *lesson_location, *suspend_data;
    const char *score_raw, *score_min, *score_max, *total_time, *exit_mode;
    const char *entry; /* "ab-initio" before the first commit, then "resume" */
} ScormState;

/* Opens (creating when needed) the attempt of staff_id on sco_id: a session
 * left without LMSFinish has its time added into total_time now. */
int64_t scorm_attempt_open(Db *db, const Actor *who, int64_t sco_id, int64_t staff_id, Errors *e);
bool scorm_state(Db *db, Arena *a, int64_t attempt_id, ScormState *out);

/* What LMSCommit / LMSFinish send; NULL fields are left as they were. */
typedef struct ScormCommit {
    const char *lesson_status, *lesson_location, *suspend_data;
    const char *score_raw, *score_min, *score_max, *session_time, *exit_mode;
    bool finish;
} ScormCommit;
/* Validates and stores a commit; passed or completed records a completion
 * of the package's course in the 年度 of today (its session made when
 * missing). Returns 0, or -1 with e. */
int scorm_commit(Db *db, const Actor *who, int64_t attempt_id, const ScormCommit *c, Errors *e);

/* Appends the state as a JSON object. */
void scorm_state_json(Buf *b, const ScormState *s);

/* HHHH:MM:SS(.SS) into hundredths, -1 when malformed; and back. */
int64_t scorm_time_parse(const char *s);
void scorm_time_format(int64_t cs, char out[24]);

#endif
