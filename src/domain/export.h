/* export.h - the data leaving jinzai: whole lists for Excel and CSV (the
 * CLI's `jinzai export` and the export page share these), and everything
 * held about one person for a 開示請求 (個人情報保護法). */
#ifndef JINZAI_EXPORT_H
#define JINZAI_EXPORT_H

#include <stdint.h>

#include "../core/errors.h"
#include "../db/db.h"
#include "../io/encoding.h"
#include "../io/table.h"

/* "staff", "skills", "assessments", "training". */
extern const char *const export_kinds[4];
const char *export_kind_name(const char *kind); /* 職員, スキルマップ, 自己評価, 研修の受講 */

/* Fills t with one kind for a 年度 (staff: active on as_of). -1 for an
 * unknown kind. */
int export_table(Db *db, Arena *a, const char *kind, int nendo, const char *as_of, Table *t);

/* The rows of export_table handed to sink one by one as the query yields
 * them (the table holds one row at a time; the skill map, which is small,
 * is built whole first). The number of rows, or -1 for an unknown kind. */
int export_stream(Db *db, Arena *a, const char *kind, int nendo, const char *as_of, TableSink *sink);

/* One kind for a 年度 written straight from its query to a private,
 * already unlinked temporary file, row by row, so that memory does not grow
 * with the number of rows: the bytes of table_csv, export_csv_cp932 or
 * table_xlsx (the xlsx with inline strings) of the export_table table. */
typedef enum { EXPORT_CSV, EXPORT_CSV_CP932, EXPORT_XLSX } ExportFormat;
typedef struct ExportFile {
    int fd;     /* positioned at the start; the caller closes it */
    size_t len; /* bytes */
    int rows;   /* data rows */
} ExportFile;
/* 0 and f filled; -1 when the file cannot be written or (CP932) a
 * character cannot be held: then e names each one by row and column, and
 * there is no file; -2 for an unknown kind. */
int export_file(Db *db, Arena *a, const char *kind, int nendo, const char *as_of, ExportFormat format, ExportFile *f, Errors *e);

/* Everything about one person, one Table per subject (基本情報, 所属,
 * 人材区分, 自己評価, 資格, 研修, 職場還元, 記録された操作 (about them),
 * 研修の申込, 重要システムの担当, ログインアカウント (never the password
 * hash), 本人が行った操作 (what their account did)). Coded values are in
 * words and dates are date cells. Returns EXPORT_PERSON_TABLES, or 0 when
 * there is no such person or max is smaller. */
#define EXPORT_PERSON_TABLES 12
int export_person(Db *db, Arena *a, int64_t staff_id, Table *ts, int max);

/* Writes t as CSV in CP932. Characters CP932 cannot hold are reported in e
 * by row and column (never dropped or replaced); returns -1 then. */
int export_csv_cp932(const Table *t, Buf *out, Errors *e);

#endif
