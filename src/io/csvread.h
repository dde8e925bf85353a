/* csvread.h - CSV input: RFC 4180 as Excel writes it, UTF-8 only.
 *
 * The parser reads a whole document held in memory and puts every row and
 * field into the caller's arena, so one arena_free releases the lot. Encoding
 * detection and CP932 conversion happen before this (the input must already
 * be UTF-8); csv.h is the writing side. */
#ifndef JINZAI_CSVREAD_H
#define JINZAI_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"
#include "../core/errors.h"

#define CSV_MAX_ROWS 1000000 /* more rows than this is an error */
#define CSV_MAX_FIELDS 1000  /* more fields in one row is an error */

typedef struct CsvRow {
    int line;            /* 1-based physical line where the row starts */
    int nfields;         /* >= 1 */
    const char **fields; /* nfields NUL-terminated UTF-8 strings, arena memory */
} CsvRow;

typedef struct CsvDoc {
    CsvRow *rows; /* arena memory; NULL when nrows == 0 */
    int nrows;
} CsvDoc;

typedef struct CsvError {
    int line;        /* 1-based physical line of the fault (0: the input as a whole) */
    int col;         /* 1-based field number in its row (0: the row as a whole) */
    const char *msg; /* static Japanese sentence, e.g. "引用符が閉じられていません。" */
} CsvError;

/* Parses UTF-8 CSV in data[0..n) (data may be NULL when n == 0) into *out.
 *
 * - A leading UTF-8 BOM is skipped.
 * - Fields are separated by ','. A field that starts with '"' is quoted: it
 *   ends at the next lone '"', "" stands for one '"', and commas, CR and LF
 *   inside are kept as they are. A '"' anywhere else is an ordinary character
 *   (Excel reads  ab"c  that way).
 * - Rows end with CRLF, LF or CR; a final newline is optional. Completely
 *   empty lines are skipped (they are still counted for line numbers), so a
 *   row always has at least one field.
 * - Every field becomes a NUL-terminated arena string (a copy: data may be
 *   freed afterwards).
 * - The apostrophe csv_cell (csv.h) puts before a cell a spreadsheet would
 *   run as a formula is taken off again (csv_unguard): "'=1" reads as "=1",
 *   "'-K001" as "-K001"; an apostrophe before anything else stays.
 *
 * Errors (all return -1 with *err filled when err is not NULL):
 *   - a quoted field not closed before the end (reported at the line where
 *     the field starts),
 *   - a character other than ',' or a newline after a closing quote,
 *   - invalid UTF-8 (line and field of the first bad byte; the same rules as
 *     utf8_valid in text.h: no overlongs, surrogates or values > U+10FFFF),
 *   - a NUL byte,
 *   - more than CSV_MAX_ROWS rows or more than CSV_MAX_FIELDS fields in a row,
 *   - input of INT_MAX bytes or more.
 * On error the rows completed before the faulty one stay in *out; on success
 * *err is untouched. Returns 0 on success. */
int csv_parse(Arena *a, const char *data, size_t n, CsvDoc *out, CsvError *err);

/* Like csv_parse for a file as users send it: UTF-8 (with or without BOM)
 * or CP932, detected (see encoding.h). *encoding names what was found
 * (optional). An undecodable byte is an error at its line and character. */
int csv_parse_any(Arena *a, const char *data, size_t n, CsvDoc *out, CsvError *err, const char **encoding);
/* Reading row by row, for files too large to hold parsed (csv_parse keeps
 * every field of every row). csv_open_any detects the encoding and reads
 * the whole file once as csv_parse_any does, returning the same errors, so a
 * fault anywhere is known before any row is used; UTF-8 text is then read
 * where it lies (data must outlive the reader), CP932 is converted into a.
 * On success head holds the first row (the header) as a one-row CsvDoc for
 * csv_col, nrows counts every row, the header included, and csv_next
 * returns the rows from the header on, one per call (1; 0 at the end), their
 * fields in the arena the caller passes (which it may free between calls).
 * On failure head holds the header when it was read, for csv_error_add.
 * csv_close frees what the reader holds (also after a failure). */
typedef struct CsvReader {
    struct CsvParser *ps;
    CsvRow header;
    CsvDoc head;
    int nrows;
} CsvReader;
int csv_open_any(Arena *a, const char *data, size_t n, CsvReader *r, CsvError *err, const char **encoding);
int csv_next(CsvReader *r, Arena *a, CsvRow *row);
void csv_close(CsvReader *r);
/* Before decoding, a file that is not CSV text is refused with its own
 * message saying how to save it as CSV from Excel: an xlsx (zip) or xls
 * workbook, UTF-16 (with a BOM, or ASCII with every other byte NUL) and any
 * other file with NUL bytes (line 0: the file as a whole). */

/* The problems of an import file, all of them counted and the first
 * PROBLEMS_SHOWN kept (an Errors holds only ERRORS_MAX). Zero-initialise. */
#define PROBLEMS_SHOWN 200
typedef struct Problems {
    const char **msg; /* arena memory; n of them */
    int n, total;     /* kept, found */
} Problems;
/* Counts msg, keeps a copy in a while fewer than PROBLEMS_SHOWN are kept,
 * and adds it to e as well (as the field "file"; e keeps what it can). */
void problems_add(Problems *p, Arena *a, Errors *e, const char *msg);

/* Adds err to e as "2行目：引用符が閉じられていません（C列「氏名」）。": the
 * line, and the column by letter and by the header of doc's first row
 * (doc as csv_parse left it; may be NULL). */
void csv_error_add(Errors *e, const char *field, const CsvError *err, const CsvDoc *doc);
/* Index of the column whose header (row 0) equals name once the header cell
 * is trimmed of ASCII spaces, tabs and U+3000; -1 if absent or d has no rows.
 * The first matching column wins. */
int csv_col(const CsvDoc *d, const char *name);

/* True if every field of r is empty or only spaces (ASCII or U+3000), as
 * the rows spreadsheets leave below the data (",,,,"). */
bool csv_row_blank(const CsvRow *r);

/* Excel's name of the 0-based column col: 0 -> "A", 26 -> "AA". out holds 4. */
void csv_col_letter(int col, char out[4]);

/* The field at column col of row r, or "" when col is negative or beyond the
 * row's fields (short rows are common in hand-edited files). Never NULL. */
const char *csv_field(const CsvRow *r, int col);

#endif
