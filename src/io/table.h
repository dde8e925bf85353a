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

typedef struct Table Table;

/* Where a streaming Table sends its rows (see table_stream). begin gets the
 * Table once, before any row (its title and head are set); row gets each
 * row's ncols cells. A non-zero return is kept in err, and later calls are
 * skipped. */
typedef struct TableSink {
    int (*begin)(struct TableSink *s, const Table *t);
    int (*row)(struct TableSink *s, const Table *t, const TableCell *cells);
    int err;
} TableSink;

struct Table {
    Arena *a;
    const char *title;        /* sheet name and print title, e.g. "職員一覧" */
    const char *const *head;  /* column names */
    int ncols;
    TableCell *cells;         /* row-major, nrows * ncols */
    int ncells, cap;
    TableSink *sink;          /* streaming: rows go here, see table_stream */
    int nstreamed;            /* rows handed to sink */
};

/* head is a NULL-terminated list of column names (kept, not copied). */
void table_init(Table *t, Arena *a, const char *title, const char *const *head);
void table_text(Table *t, const char *s); /* NULL is written as "" */
void table_num(Table *t, double v);
void table_int(Table *t, int64_t v);
int table_rows(const Table *t);
/* Makes t (just initialised) a streaming table: each row goes to s as soon
 * as its last cell is appended, and t keeps only the row being filled, so a
 * list of any length takes the memory of one row. Its cells may then point
 * at memory that is valid only until the row is complete (a query's current
 * row). table_rows counts the rows handed over. Calls s->begin. */
void table_stream(Table *t, TableSink *s);
/* Hands the rows of a filled (not streaming) table src to s, as if they
 * had been appended to a streaming table: begin, then each row. */
int table_feed(const Table *src, TableSink *s);
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
/* The same CSV a row at a time: the BOM and header line, then one row. */
void table_csv_head(const Table *t, Buf *out);
void table_csv_row(const Table *t, const TableCell *cells, Buf *out);

/* A private temporary file, already unlinked ($TMPDIR or /tmp): its
 * descriptor, or -1. */
int table_tmpfd(void);
/* Writes all of b to fd; 0 or -1. */
int table_write_all(int fd, const char *p, size_t n);

/* A CSV sink that writes to fd in chunks of about 64 KiB (UTF-8 with BOM,
 * the bytes of table_csv). table_csv_sink_end writes what is left: 0 or -1
 * (also when a write failed on the way). */
typedef struct TableCsvSink {
    TableSink sink;
    Buf buf;
    int fd;
} TableCsvSink;
void table_csv_sink(TableCsvSink *s, int fd);
int table_csv_sink_end(TableCsvSink *s);

/* An .xlsx sink (the workbook of table_xlsx, written as the rows come: each
 * row is deflated into the zip at once, to a private temporary file).
 * One sheet. xlsx_sink_end finishes the workbook: 0 with *fd an open,
 * unlinked file positioned at its start and *len its size, or -1 (the sink
 * is freed either way). NULL when the workbook cannot be started. */
TableSink *xlsx_sink_new(void);
int xlsx_sink_end(TableSink *s, int *fd, size_t *len);

/* .xlsx (xlsx.c): styled header row, frozen header, autofilter, column
 * widths that fit Japanese text, numbers as numbers, inline strings. Text
 * cells that start with = + - @ are written as strings, never formulas.
 * 0 or -1 (also past Excel's 1,048,576 rows). */
int table_xlsx(const Table *t, Buf *out);
/* Several tables as the sheets of one workbook (titles must differ). */
int tables_xlsx(const Table *ts, int n, Buf *out);

#endif
