/* table.c - the Table container and its CSV writer; xlsx.c writes .xlsx. */
#include "table.h"

#include <stdbool.h>
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

void table_text(Table *t, const char *s) { *next_cell(t) = (TableCell){s ? s : "", 0, false}; }
void table_num(Table *t, double v) { *next_cell(t) = (TableCell){NULL, v, false}; }
void table_int(Table *t, int64_t v) { table_num(t, (double)v); }
int table_rows(const Table *t) { return t->ncols ? t->ncells / t->ncols : 0; }

/* "YYYY-MM-DD", optionally followed by 'T' or ' ' and HH:MM[:SS…]. */
static bool iso_date_time(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    for (int i = 0; i < 10; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-') return false;
    if (!s[10]) return true;
    return (s[10] == 'T' || s[10] == ' ') && s[11] >= '0' && s[11] <= '9' && s[12] >= '0' && s[12] <= '9' && s[13] == ':';
}

void table_date(Table *t, const char *iso)
{
    bool date = iso && iso_date_time(iso);
    *next_cell(t) = (TableCell){iso ? iso : "", 0, date};
}

void table_date_column(Table *t, int col)
{
    for (int i = col; i < t->ncells; i += t->ncols)
        if (t->cells[i].text && iso_date_time(t->cells[i].text)) t->cells[i].date = true;
}

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
