/* table.c - the Table container and its CSV writer; xlsx.c writes .xlsx. */
#include "table.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Appends one cell; a streaming table hands over a complete row. */
static void put(Table *t, TableCell c)
{
    *next_cell(t) = c;
    if (t->sink && t->ncells == t->ncols) {
        if (!t->sink->err) t->sink->err = t->sink->row(t->sink, t, t->cells);
        t->ncells = 0;
        t->nstreamed++;
    }
}

void table_text(Table *t, const char *s) { put(t, (TableCell){s ? s : "", 0, false}); }
void table_num(Table *t, double v) { put(t, (TableCell){NULL, v, false}); }
void table_int(Table *t, int64_t v) { table_num(t, (double)v); }
int table_rows(const Table *t) { return t->sink ? t->nstreamed : t->ncols ? t->ncells / t->ncols : 0; }

void table_stream(Table *t, TableSink *s)
{
    t->sink = s;
    t->nstreamed = 0;
    t->ncells = 0;
    t->cap = t->ncols > 0 ? t->ncols : 1;
    t->cells = arena_alloc(t->a, sizeof *t->cells * (size_t)t->cap);
    if (!s->err) s->err = s->begin(s, t);
}

int table_feed(const Table *src, TableSink *s)
{
    if (!s->err) s->err = s->begin(s, src);
    for (int i = 0; i + src->ncols <= src->ncells && src->ncols > 0 && !s->err; i += src->ncols) s->err = s->row(s, src, &src->cells[i]);
    return s->err;
}

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
    put(t, (TableCell){iso ? iso : "", 0, date});
}

void table_date_column(Table *t, int col)
{
    for (int i = col; i < t->ncells; i += t->ncols)
        if (t->cells[i].text && iso_date_time(t->cells[i].text)) t->cells[i].date = true;
}

void table_csv_head(const Table *t, Buf *out)
{
    Csv c;
    csv_begin(&c, out);
    csv_header(&c, t->head);
}

void table_csv_row(const Table *t, const TableCell *cells, Buf *out)
{
    Csv c = {out, 0};
    for (int i = 0; i < t->ncols; i++) {
        if (cells[i].text) csv_cell(&c, cells[i].text);
        else csv_num(&c, cells[i].num);
    }
    csv_row_end(&c);
}

void table_csv(const Table *t, Buf *out)
{
    table_csv_head(t, out);
    for (int i = 0; i + t->ncols <= t->ncells && t->ncols > 0; i += t->ncols) table_csv_row(t, &t->cells[i], out);
}

int table_tmpfd(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    char *path = xasprintf("%s/jinzai-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd >= 0) unlink(path);
    free(path);
    return fd;
}

int table_write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

enum { CHUNK = 64 * 1024 };

static int csv_sink_flush(TableCsvSink *s, size_t at_least)
{
    if (s->buf.len < at_least) return 0;
    int rc = table_write_all(s->fd, s->buf.data, s->buf.len);
    buf_reset(&s->buf);
    return rc;
}

static int csv_sink_begin(TableSink *sink, const Table *t)
{
    TableCsvSink *s = (TableCsvSink *)sink;
    table_csv_head(t, &s->buf);
    return csv_sink_flush(s, CHUNK);
}

static int csv_sink_row(TableSink *sink, const Table *t, const TableCell *cells)
{
    TableCsvSink *s = (TableCsvSink *)sink;
    table_csv_row(t, cells, &s->buf);
    return csv_sink_flush(s, CHUNK);
}

void table_csv_sink(TableCsvSink *s, int fd)
{
    *s = (TableCsvSink){.sink = {csv_sink_begin, csv_sink_row, 0}, .buf = BUF_INIT, .fd = fd};
}

int table_csv_sink_end(TableCsvSink *s)
{
    int rc = s->sink.err ? -1 : csv_sink_flush(s, 0);
    buf_free(&s->buf);
    return rc;
}
