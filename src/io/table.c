/* table.c - the Table container and its CSV writer; xlsx.c writes .xlsx. */
#include "table.h"

#include <string.h>

#include "csv.h"

void table_init(Table *t, Arena *a, const char *title, const char *const *head)
{
    memset(t, 0, sizeof *t);
    t->a = a;
    t->title = title;
    t->head = head;
    while (head[t->ncols]) t->ncols++;
}

static TableCell *next_cell(Table *t)
{
    if (t->ncells == t->cap) {
        int cap = t->cap ? t->cap * 2 : 256;
        TableCell *cells = arena_alloc(t->a, sizeof *cells * (size_t)cap);
        if (t->ncells) memcpy(cells, t->cells, sizeof *cells * (size_t)t->ncells);
        t->cells = cells;
        t->cap = cap;
    }
    return &t->cells[t->ncells++];
}

void table_text(Table *t, const char *s) { *next_cell(t) = (TableCell){s ? s : "", 0}; }
void table_num(Table *t, double v) { *next_cell(t) = (TableCell){NULL, v}; }
void table_int(Table *t, int64_t v) { table_num(t, (double)v); }
int table_rows(const Table *t) { return t->ncols ? t->ncells / t->ncols : 0; }

void table_csv(const Table *t, Buf *out)
{
    Csv c;
    csv_begin(&c, out);
    csv_header(&c, t->head);
    for (int i = 0; i < t->ncells; i++) {
        const TableCell *cell = &t->cells[i];
        if (cell->text) {
            csv_cell(&c, cell->text);
        } else {
            csv_num(&c, cell->num);
        }
        if ((i + 1) % t->ncols == 0) csv_row_end(&c);
    }
}
