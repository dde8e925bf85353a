/* csv.h - CSV output for Excel: UTF-8 with BOM, CRLF rows, RFC 4180 quoting,
 * and cells that start with = + - @ (or tab/CR) neutralised with a leading
 * apostrophe so a spreadsheet never runs them as formulas. */
#ifndef JINZAI_CSV_H
#define JINZAI_CSV_H

#include <stdint.h>

#include "../core/buf.h"

typedef struct Csv {
    Buf *b;
    int col; /* cells written in the current row */
} Csv;

/* Starts a CSV in b, writing the UTF-8 BOM. */
void csv_begin(Csv *c, Buf *b);
void csv_cell(Csv *c, const char *s); /* NULL writes an empty cell */
void csv_int(Csv *c, int64_t v);      /* numbers are never neutralised */
void csv_num(Csv *c, double v);       /* integral values without decimals, else one decimal */
void csv_row_end(Csv *c);
/* Writes a whole header row from a NULL-terminated list. */
void csv_header(Csv *c, const char *const *names);

#endif
