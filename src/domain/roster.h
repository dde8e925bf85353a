/* roster.h - importing the staff roster from the HR system (人事給与システム).
 *
 * The file is CSV in UTF-8 (with or without BOM) or CP932, detected. Its
 * columns are mapped to fields by a profile (saved per source system; the
 * default names are those of a typical 人事給与 export). A dry run compares
 * the file with the database and lists new, changed, transferred and
 * missing (retired?) staff, and every error with line, column and reason.
 * Applying runs the same comparison and writes it in one transaction; a
 * file imported twice changes nothing the second time. */
#ifndef JINZAI_ROSTER_H
#define JINZAI_ROSTER_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"
#include "../io/csvread.h"

enum { RF_STAFF_NO, RF_NAME, RF_KANA, RF_UNIT, RF_POST, RF_JOB, RF_EMP, RF_MOVED, RF_HIRED, RF_COUNT };
extern const char *const roster_fields[RF_COUNT];        /* staff_no, name, … */
extern const char *const roster_field_names[RF_COUNT];   /* 職員番号, 氏名, … (labels) */
extern const char *const roster_default_headers[RF_COUNT]; /* 職員番号, 漢字氏名, カナ氏名, 所属コード, … */

typedef struct RosterProfile {
    const char *name;
    const char *headers[RF_COUNT]; /* CSV header per field; "" = not in the file */
} RosterProfile;
void roster_profile_default(RosterProfile *p);
bool roster_profile_get(Db *db, Arena *a, const char *name, RosterProfile *p);
int roster_profile_save(Db *db, const Actor *who, const RosterProfile *p, Errors *e);
int roster_profile_names(Db *db, Arena *a, const char ***out);

typedef enum { RC_NEW, RC_CHANGED, RC_TRANSFERRED, RC_UNCHANGED, RC_MISSING } RosterChange;
const char *roster_change_name(RosterChange c); /* 新規 変更 異動 変更なし 名簿になし */

typedef struct RosterRow {
    int line;
    RosterChange change;
    bool moved_and_changed;
    const char *staff_no, *name, *kana, *unit_code, *post, *job, *emp_type, *moved_on, *hired_on;
    const char *starts_on; /* the day a new person's (or a re-hire's, or a transfer's) assignment starts */
    bool rehire;           /* listed but not in service then: hired again from starts_on */
    int64_t staff_id, unit_id;
    const char *what; /* the differences, in words */
    const char *warn; /* something to check before applying (a 職員番号 that lost its leading zeros), or NULL */
} RosterRow;

/* Called as rows are read and written, for a progress bar (may be NULL). */
typedef void (*RosterProgress)(const char *phase, int done, int total, void *ctx);

typedef struct RosterPlan {
    RosterProgress progress; /* set by the caller before roster_plan; kept */
    void *progress_ctx;
    RosterRow *rows;
    int n;
    int counts[5];          /* by RosterChange */
    int nwarn;              /* rows with warn */
    Problems problems;      /* every row's errors (e has the first ERRORS_MAX) */
    const char *encoding;   /* detected */
    const char *as_of;      /* the import date: transfers without 異動年月日 start here */
} RosterPlan;

/* Reads and compares a roster (dry run). Blank rows (",,,,," as Excel
 * leaves them) are skipped; 職員番号 compare without regard to case and are
 * stored upper case; a blank optional cell (カナ, 職位, 職種, 職員区分)
 * keeps what is held and is no change; a line break inside a cell is an
 * error; a new 職員番号 or an unknown 所属コード that is an existing one
 * without its leading zeros is pointed out (warn, or in the error). out must be zero-initialised by
 * the caller except for progress/progress_ctx, which are kept. Every problem goes to e with line
 * and column ("3行目「所属コード」：…"); returns -1 when there is any. */
int roster_plan(Db *db, Arena *a, const char *data, size_t len, const RosterProfile *p, const char *as_of, RosterPlan *out, Errors *e);
/* Writes a plan: new staff, changes, transfers, re-hires and (with
 * retire_missing) the retirement, with the day before as_of as last day, of
 * staff in service on as_of whom the file does not list. A person whose
 * employment starts after as_of is never missing. One transaction; one
 * audit row per person and one for the import. Sets *written to the number
 * of people changed (0 for a repeated import). */
int roster_apply(Db *db, const Actor *who, const RosterPlan *plan, bool retire_missing, int *written, Errors *e);
/* The dry run: runs exactly what roster_apply runs inside a transaction and
 * rolls it back, so any row applying would refuse is reported (-1, e). */
int roster_dry_run(Db *db, const Actor *who, const RosterPlan *plan, bool retire_missing, Errors *e);

#endif
