/* fuzz_csv.c - libFuzzer target for the CSV reader (src/io/csvread.c).
 *
 * Checks that csv_parse never crashes, that on success every field is valid
 * UTF-8 without NUL bytes and rows respect the limits and line order, and
 * that on failure the error names a sensible position; and that the
 * row-by-row reader (csv_open_any, csv_next) agrees with csv_parse_any.
 *
 * Build: clang -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE
 *        tests/fuzz/fuzz_csv.c src/io/csvread.c src/io/csv.c src/io/encoding.c src/io/text.c
 *        src/core/buf.c src/core/util.c -lutf8proc */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/io/csvread.h"
#include "../../src/io/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy, so reading one byte past the end is caught by ASan. */
    char *copy = malloc(size ? size : 1);
    assert(copy);
    if (size) memcpy(copy, data, size);

    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e = {0, 0, NULL};
    int rc = csv_parse(&a, copy, size, &d, &e);
    assert(rc == 0 || rc == -1);
    assert(d.nrows >= 0 && d.nrows <= CSV_MAX_ROWS);
    assert((d.nrows == 0) == (d.rows == NULL));

    size_t bytes = 0;
    int prev_line = 0;
    for (int r = 0; r < d.nrows; r++) {
        const CsvRow *row = &d.rows[r];
        assert(row->nfields >= 1 && row->nfields <= CSV_MAX_FIELDS);
        assert(row->line > prev_line); /* rows start on increasing lines */
        prev_line = row->line;
        for (int f = 0; f < row->nfields; f++) {
            const char *s = row->fields[f];
            size_t len = strlen(s);
            /* The parser has checked the whole input, or stopped before the faulty row. */
            assert(utf8_valid(s, len));
            assert(memchr(s, '\0', len) == NULL);
            bytes += len;
        }
        assert(csv_field(row, row->nfields)[0] == '\0');
    }
    assert(bytes <= size); /* unescaping only ever shrinks */

    if (rc == 0) {
        /* Success: the whole input is valid UTF-8 without NUL. */
        assert(utf8_valid(copy, size));
        assert(memchr(copy, '\0', size) == NULL);
        if (d.nrows > 0) {
            int c = csv_col(&d, d.rows[0].fields[0]);
            assert(c >= -1 && c < d.rows[0].nfields);
        }
    } else {
        assert(e.msg != NULL && utf8_valid(e.msg, strlen(e.msg)));
        assert(e.line >= 1 && e.line >= prev_line);
        assert(e.col >= 0 && e.col <= CSV_MAX_FIELDS + 1);
    }

    /* The row-by-row reader agrees with csv_parse_any: the same error, or
     * the same rows. */
    CsvDoc all;
    CsvError e1 = {0, 0, NULL}, e2 = {0, 0, NULL};
    int rc1 = csv_parse_any(&a, copy, size, &all, &e1, NULL);
    CsvReader rd;
    int rc2 = csv_open_any(&a, copy, size, &rd, &e2, NULL);
    assert(rc1 == rc2);
    if (rc1) {
        assert(e1.line == e2.line && e1.col == e2.col && strcmp(e1.msg, e2.msg) == 0);
    } else {
        assert(rd.nrows == all.nrows);
        Arena ra = ARENA_INIT;
        CsvRow row;
        int k = 0;
        for (; csv_next(&rd, &ra, &row) == 1; k++, arena_free(&ra)) {
            assert(k < all.nrows && row.line == all.rows[k].line && row.nfields == all.rows[k].nfields);
            for (int f = 0; f < row.nfields; f++) assert(strcmp(row.fields[f], all.rows[k].fields[f]) == 0);
        }
        arena_free(&ra);
        assert(k == all.nrows);
    }
    csv_close(&rd);

    arena_free(&a);
    free(copy);
    return 0;
}
