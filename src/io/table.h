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

/* CSV: UTF-8 with BOM, CRLF, formula cells neutralised (see csv.h). */
void table_csv(const Table *t, Buf *out);
/* .xlsx (libxlsxwriter): styled header row, frozen header, autofilter,
 * column widths that fit Japanese text, numbers as numbers. Text cells that
 * start with = + - @ are written as strings, never formulas. 0 or -1. */
int table_xlsx(const Table *t, Buf *out);
/* Several tables as the sheets of one workbook (titles must differ). */
int tables_xlsx(const Table *ts, int n, Buf *out);

#endif
