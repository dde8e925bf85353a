/* records.h - importing qualifications, assessments and training completions
 * from CSV, "the same way as the roster" (roster.h).
 *
 * The file is CSV in UTF-8 (with or without BOM) or CP932, detected. Columns
 * are found by their header, in any order; extra columns are ignored, and
 * some headers have a second name so that a file from `jinzai export` reads
 * back as it is:
 *
 *   quals        職員番号, 資格コード (or 資格名: the code or the name of a
 *                qualification_type), 取得日, 有効期限, 備考
 *                key (person, 資格, 取得日). Checked as qual_add: an active
 *                person, valid dates, 取得日 not in the future, 有効期限 after
 *                取得日 and required for types that expire.
 *   assessments  職員番号, 年度, 項目コード, 自己評価 (0-4), 上司確認 (0-4 or
 *                empty), コメント, 根拠
 *                key (person, 年度, 項目). The lines of one person and 年度 make
 *                one assessment: 確認済 when every line of it has 上司確認,
 *                else 提出済. A new assessment is submitted (and confirmed)
 *                now. An existing one is updated line by line (its other
 *                lines stay); when a line is new or changed its state is
 *                set by that rule, keeping its timestamps unless the state
 *                changes. When no line changes it is left as it is (a 下書き
 *                exported and read back stays a 下書き).
 *   completions  職員番号, 研修コード, 開催日 (or 日時), 出欠 (or 出席:
 *                出席/欠席/1/0/○/×), 点数 (0-100), 復命書提出日 (or 復命書)
 *                key (person, session). The session is the course's one
 *                starting on 開催日 (not cancelled). Attendance of an internal
 *                course completes it; an external one only with 復命書提出日.
 *
 * Dates may be written as users type them (2026/4/1, 令和8年4月1日 …); codes
 * and numbers are read after NFKC (full-width digits are fine). An optional
 * column missing from the file keeps what jinzai holds; present but empty,
 * it clears the value.
 *
 * A dry run (record_plan) compares the file with the database and lists new,
 * changed and unchanged rows, and every error as "N行目「列名」：理由".
 * Applying (record_apply) writes the plan in one transaction; a file imported
 * twice changes nothing the second time. */
#ifndef JINZAI_RECORDS_H
#define JINZAI_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"
#include "../io/csvread.h"

typedef enum { REC_QUALS, REC_ASSESSMENTS, REC_COMPLETIONS } RecordKind;
#define REC_KINDS 3

const char *record_kind_name(RecordKind k); /* 資格 自己評価 研修受講 */
const char *record_kind_code(RecordKind k); /* quals assessments completions */
/* Reads "quals", "assessments" or "completions"; false for anything else. */
bool record_kind_parse(const char *code, RecordKind *out);
typedef struct RecordColumn {
    const char *header, *alias; /* alias: another header read the same way (NULL none) */
    bool required;              /* the column must be there and the value not empty */
    int type, max;              /* how records.c reads it; max: characters of a text */
    const char *hint;           /* what goes in it, in words (for help pages) */
} RecordColumn;
/* The columns of a kind (key columns first); returns how many. */
int record_columns(RecordKind k, const RecordColumn **out);

typedef enum { RCH_NEW, RCH_CHANGED, RCH_UNCHANGED } RecordChange;
const char *record_change_name(RecordChange c); /* 新規 変更 変更なし */

#define REC_MAX_COLS 7

typedef struct RecordRow {
    int line;
    RecordChange change;
    int64_t staff_id;
    int64_t ref_id;    /* the item (assessments) or session (completions) */
    int64_t record_id; /* stored record (assessments: the assessment); 0 new */
    const char *staff_no, *staff_name;
    const char *about; /* the record in words: "基本情報技術者（取得 2025-10-01）" */
    const char *what;  /* new: its values; changed: "列：前 → 後"; unchanged: "" */
    const char *val[REC_MAX_COLS]; /* by column, as stored ("" empty) */
    int group, next;   /* first row of the record it belongs to; next row of it (-1) */
    const char *state; /* assessments, first row of the group: state after the import */
    bool expires;      /* quals: the type needs 有効期限 */
    bool external;     /* completions: complete only with 復命書 */
    int minutes;       /* completions: the course's length */
} RecordRow;

typedef struct RecordPlan {
    RecordKind kind;
    const char *encoding; /* detected */
    int n_new, n_changed, n_unchanged; /* rows */
    RecordRow *rows;      /* in file order */
    int n;
    Problems problems; /* every row's errors (e has the first ERRORS_MAX) */
} RecordPlan;

/* Reads and compares a file (dry run; writes nothing). Rows and strings are
 * in a. Every problem goes to e with line and column; returns -1 when there
 * is any, else 0. */
int record_plan(Db *db, Arena *a, RecordKind kind, const char *data, size_t len, RecordPlan *out, Errors *e);
/* Writes the new and changed rows of a plan made by record_plan (and not
 * stale) in one transaction, with one audit row per record written (per
 * assessment for assessments) and one for the import. Sets *written to the
 * number of rows written (0 for a repeated import: then nothing, not even
 * an audit row, is written). Returns 0, or -1 with e filled and nothing
 * written. */
int record_apply(Db *db, const Actor *who, const RecordPlan *plan, int *written, Errors *e);

#endif
