/* csv.h - CSV output for Excel: UTF-8 with BOM, CRLF rows, RFC 4180 quoting,
 * and cells a spreadsheet would run as formulas neutralised with a leading
 * apostrophe (csv_guarded says which). The importers take the apostrophe
 * off again (csv_unguard, applied by csv_parse), so export -> import gives
 * back every value exactly. */
#ifndef JINZAI_CSV_H
#define JINZAI_CSV_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"

typedef struct Csv {
    Buf *b;
    int col; /* cells written in the current row */
} Csv;

/* Whether csv_cell writes s with a leading apostrophe. The rule:
 *   - a cell starting with = or @ (a formula or a function call), or with a
 *     tab or CR (which some spreadsheets skip before a formula);
 *   - a cell starting with + or - unless it is that sign alone ("-", a
 *     blank in many registers) or the sign and a plain number ("-5", "-1.5",
 *     "+1,000", "-1e3"): "-K001", "- 備考" and "-A1+1" are guarded;
 *   - a cell starting with an apostrophe whose rest is guarded ("'=1"), so
 *     that a value which looks like a guarded cell also reads back intact.
 * Anything else, including an empty cell, is written as it is. */
bool csv_guarded(const char *s);
/* The reverse, for importing: s without its first character when that is
 * an apostrophe before something csv_guarded (so "'=1" -> "=1",
 * "'-K001" -> "-K001", "''=1" -> "'=1"), else s itself. */
const char *csv_unguard(const char *s);

/* Starts a CSV in b, writing the UTF-8 BOM. */
void csv_begin(Csv *c, Buf *b);
void csv_cell(Csv *c, const char *s); /* NULL writes an empty cell */
void csv_int(Csv *c, int64_t v);      /* numbers are never neutralised */
void csv_num(Csv *c, double v);       /* integral values without decimals, else one decimal */
void csv_row_end(Csv *c);
/* Writes a whole header row from a NULL-terminated list. */
void csv_header(Csv *c, const char *const *names);

#endif
