/* table.h - a list as rows and columns, written out as CSV or .xlsx.
 *
 * Pages and the CLI fill one Table and hand it to table_csv or table_xlsx,
 * so every list exports the same columns to both formats. Cells are appended
 * row by row; a row ends after ncols cells. Strings are arena memory (the
 * Table keeps the pointers it is given, so they must outlive it). */
#ifndef JINZAI_TABLE_H
#define JINZAI_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"

typedef struct TableCell {
    const char *text; /* NULL for a number cell */
    double num;
    bool date;        /* text is "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]": a date cell in xlsx */
} TableCell;

typedef struct Table {
    Arena *a;
    const char *title;        /* sheet name and print title, e.g. "職員一覧" */
    const char *const *head;  /* column names */
    int ncols;
    TableCell *cells;         /* row-major, nrows * ncols */
    int ncells, cap;
} Table;

/* head is a NULL-terminated list of column names (kept, not copied). */
void table_init(Table *t, Arena *a, const char *title, const char *const *head);
void table_text(Table *t, const char *s); /* NULL is written as "" */
void table_num(Table *t, double v);
void table_int(Table *t, int64_t v);
int table_rows(const Table *t);
/* A date ("2026-04-01") or date-time ("2026-04-01T09:30"): CSV writes it
 * as it is (the importers read it back), xlsx as a real Excel date with a
 * date format (yyyy/m/d, or yyyy/m/d h:mm with a time). Anything else,
 * "" included, is written as text. */
void table_date(Table *t, const char *iso);
/* Makes the text cells of column col that hold a date or date-time date
 * cells (for tables filled from queries). */
void table_date_column(Table *t, int col);

/* CSV: UTF-8 with BOM, CRLF, formula cells neutralised (see csv.h). */
void table_csv(const Table *t, Buf *out);
/* .xlsx (libxlsxwriter): styled header row, frozen header, autofilter,
 * column widths that fit Japanese text, numbers as numbers. Text cells that
 * start with = + - @ are written as strings, never formulas. 0 or -1. */
int table_xlsx(const Table *t, Buf *out);
/* Several tables as the sheets of one workbook (titles must differ). */
int tables_xlsx(const Table *ts, int n, Buf *out);

#endif
