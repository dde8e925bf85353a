/* xlsx.c - table_xlsx: a Table as one styled worksheet (libxlsxwriter).
 *
 * libxlsxwriter 1.1.4 can only write to a named file, so the workbook goes to
 * a private mkstemp file in $TMPDIR (or /tmp) that is read back through the
 * descriptor we keep and unlinked on every path. */
#include "table.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

enum { WIDTH_MIN = 6, WIDTH_MAX = 60 };

/* Decodes one UTF-8 character at s into *cp and returns its byte length.
 * An invalid or truncated sequence counts as one byte, decoded as U+FFFD. */
static int utf8_next(const unsigned char *s, uint32_t *cp)
{
    int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
          : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0) goto bad;
    *cp = n == 1 ? s[0] : (uint32_t)(s[0] & (0x7F >> n));
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) goto bad; /* also stops at the NUL */
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) goto bad;
    return n;
bad:
    *cp = 0xFFFD;
    return 1;
}

/* True for East Asian wide and full-width characters (two columns). */
static bool is_wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000;
}

/* Display width of s in half-width columns. */
static int text_width(const char *s)
{
    int w = 0;
    uint32_t cp;
    for (const unsigned char *p = (const unsigned char *)s; *p && w <= WIDTH_MAX;) {
        p += utf8_next(p, &cp);
        w += is_wide(cp) ? 2 : 1;
    }
    return w; /* stops counting past WIDTH_MAX: the width is clamped anyway */
}

static int cell_width(const TableCell *c)
{
    if (c->date) return c->text[10] ? 16 : 10; /* 2026/12/31 23:59 */
    if (c->text) return text_width(c->text);
    char num[32];
    return snprintf(num, sizeof num, "%.15g", c->num);
}

/* Writes into out (at least LXW_SHEETNAME_MAX * 4 + 1 bytes) a sheet name
 * Excel accepts: at most 31 characters, none of []:*?/\ or control
 * characters (each becomes '_'), no apostrophe at either end, not empty. */
static void sheet_name(const char *title, char *out)
{
    size_t len = 0;
    int chars = 0;
    uint32_t cp;
    const unsigned char *p = (const unsigned char *)(title ? title : "");
    while (*p == '\'') p++;
    for (int n; *p && chars < LXW_SHEETNAME_MAX; p += n, chars++) {
        n = utf8_next(p, &cp);
        /* cp < 0x80 first: strchr((int)0x4E00) would match the terminating NUL. */
        if (cp == 0xFFFD || cp < 0x20 || cp == 0x7F || (cp < 0x80 && strchr("[]:*?/\\", (int)cp))) {
            out[len++] = '_';
        } else {
            memcpy(out + len, p, (size_t)n);
            len += (size_t)n;
        }
    }
    while (len > 0 && out[len - 1] == '\'') len--;
    out[len] = '\0';
    if (len == 0) memcpy(out, "Sheet1", sizeof "Sheet1");
}

/* "2026-04-01" or "2026-04-01T09:30[:SS]" (as table_date checked it). */
static bool to_datetime(const char *s, lxw_datetime *dt)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3) return false;
    if (s[10] && sscanf(s + 11, "%2d:%2d:%2d", &h, &mi, &sec) < 2) return false;
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return false;
    *dt = (lxw_datetime){y, mo, d, h, mi, (double)sec};
    return true;
}

/* One worksheet being written row by row, in order (as constant memory
 * mode needs): column widths grow with the cells seen, and are set with the
 * autofilter and print settings when the sheet ends. */
typedef struct Sheet {
    lxw_worksheet *ws;
    lxw_format *day, *minute;
    int ncols, *width; /* xcalloc'd, ncols */
    lxw_row_t nrows;   /* data rows written */
} Sheet;

static lxw_error sheet_begin(lxw_workbook *wb, const Table *t, Sheet *sh)
{
    *sh = (Sheet){0};
    char name[LXW_SHEETNAME_MAX * 4 + 1];
    sheet_name(t->title, name);
    if (workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR) snprintf(name, sizeof name, "Sheet1");
    sh->ws = workbook_add_worksheet(wb, name);
    lxw_format *head = workbook_add_format(wb);
    sh->day = workbook_add_format(wb);
    sh->minute = workbook_add_format(wb);
    if (!sh->ws || !head || !sh->day || !sh->minute) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    format_set_num_format(sh->day, "yyyy/m/d");
    format_set_num_format(sh->minute, "yyyy/m/d h:mm");
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_pattern(head, LXW_PATTERN_SOLID);
    format_set_border(head, LXW_BORDER_THIN);
    sh->ncols = t->ncols;
    sh->width = xcalloc((size_t)(t->ncols > 0 ? t->ncols : 1), sizeof *sh->width);
    lxw_error err = LXW_NO_ERROR;
    for (int col = 0; col < t->ncols && !err; col++) {
        sh->width[col] = text_width(t->head[col]);
        err = worksheet_write_string(sh->ws, 0, (lxw_col_t)col, t->head[col], head);
    }
    return err;
}

/* One whole row; write_string never turns "=1+2" into a formula. */
static lxw_error sheet_row(Sheet *sh, const TableCell *cells)
{
    lxw_error err = LXW_NO_ERROR;
    lxw_row_t row = sh->nrows + 1;
    for (int col = 0; col < sh->ncols && !err; col++) {
        const TableCell *c = &cells[col];
        int cw = cell_width(c);
        if (cw > sh->width[col]) sh->width[col] = cw;
        lxw_datetime dt;
        if (c->date && to_datetime(c->text, &dt))
            err = worksheet_write_datetime(sh->ws, row, (lxw_col_t)col, &dt, c->text[10] ? sh->minute : sh->day);
        else
            err = c->text ? worksheet_write_string(sh->ws, row, (lxw_col_t)col, c->text, NULL)
                          : worksheet_write_number(sh->ws, row, (lxw_col_t)col, c->num, NULL);
    }
    sh->nrows++;
    return err;
}

/* Column widths, frozen header, autofilter and print settings; frees sh. */
static lxw_error sheet_end(Sheet *sh, lxw_error err)
{
    for (int col = 0; col < sh->ncols && !err; col++) {
        int w = sh->width[col] < WIDTH_MIN ? WIDTH_MIN : sh->width[col] > WIDTH_MAX ? WIDTH_MAX : sh->width[col];
        err = worksheet_set_column(sh->ws, (lxw_col_t)col, (lxw_col_t)col, w + 2, NULL);
    }
    free(sh->width);
    sh->width = NULL;
    if (err || sh->ncols == 0) return err;

    worksheet_freeze_panes(sh->ws, 1, 0);
    err = worksheet_autofilter(sh->ws, 0, 0, sh->nrows, (lxw_col_t)(sh->ncols - 1));
    worksheet_set_paper(sh->ws, 9); /* A4 */
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    if (!err) err = worksheet_repeat_rows(sh->ws, 0, 0);
    if (!err) err = worksheet_set_footer(sh->ws, "&C&P / &N");
    return err;
}

/* Fills the workbook with one table; returns the first libxlsxwriter error, or 0. */
static lxw_error write_sheet(lxw_workbook *wb, const Table *t)
{
    Sheet sh;
    lxw_error err = sheet_begin(wb, t, &sh);
    int nrows = table_rows(t);
    for (int row = 0; row < nrows && !err; row++) err = sheet_row(&sh, &t->cells[row * t->ncols]);
    return sheet_end(&sh, err);
}

/* Appends the whole file behind fd to out; 0 or -1. */
static int slurp(int fd, Buf *out)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || lseek(fd, 0, SEEK_SET) != 0) return -1;
    size_t want = (size_t)st.st_size, got = 0;
    buf_reserve(out, want);
    while (got < want) {
        ssize_t n = read(fd, out->data + out->len + got, want - got);
        if (n <= 0) return -1;
        got += (size_t)n;
    }
    out->len += got;
    out->data[out->len] = '\0';
    return 0;
}

int table_xlsx(const Table *t, Buf *out) { return tables_xlsx(t, 1, out); }

/* A private file for libxlsxwriter, which only writes to a named file:
 * *path (free it) and its descriptor, or -1. */
static int xlsx_tmpfile(char **path, const char **dir)
{
    *dir = getenv("TMPDIR");
    if (!*dir || !**dir) *dir = "/tmp";
    *path = xasprintf("%s/jinzai-XXXXXX.xlsx", *dir);
    int fd = mkstemps(*path, 5);
    if (fd < 0) {
        free(*path);
        *path = NULL;
    }
    return fd;
}

typedef struct XlsxSink {
    TableSink sink;
    lxw_workbook *wb;
    Sheet sh;
    bool begun;
    char *path;
    int fd;
} XlsxSink;

static int xlsx_sink_begin(TableSink *sink, const Table *t)
{
    XlsxSink *x = (XlsxSink *)sink;
    x->begun = true;
    return sheet_begin(x->wb, t, &x->sh) == LXW_NO_ERROR ? 0 : -1;
}

static int xlsx_sink_row(TableSink *sink, const Table *t, const TableCell *cells)
{
    (void)t;
    return sheet_row(&((XlsxSink *)sink)->sh, cells) == LXW_NO_ERROR ? 0 : -1;
}

TableSink *xlsx_sink_new(void)
{
    XlsxSink *x = xcalloc(1, sizeof *x);
    const char *dir;
    x->sink = (TableSink){xlsx_sink_begin, xlsx_sink_row, 0};
    x->fd = xlsx_tmpfile(&x->path, &dir);
    if (x->fd >= 0) {
        lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)dir};
        x->wb = workbook_new_opt(x->path, &opt);
    }
    if (!x->wb) {
        if (x->fd >= 0) {
            close(x->fd);
            unlink(x->path);
        }
        free(x->path);
        free(x);
        return NULL;
    }
    return &x->sink;
}

int xlsx_sink_end(TableSink *s, int *fd, size_t *len)
{
    XlsxSink *x = (XlsxSink *)s;
    lxw_error err = x->sink.err ? LXW_ERROR_MEMORY_MALLOC_FAILED : LXW_NO_ERROR;
    if (x->begun) err = sheet_end(&x->sh, err);
    else err = LXW_ERROR_NULL_PARAMETER_IGNORED;
    /* workbook_close also frees wb; it must run even after an error. */
    lxw_error close_err = workbook_close(x->wb);
    int rc = -1;
    struct stat st;
    if (err == LXW_NO_ERROR && close_err == LXW_NO_ERROR && fstat(x->fd, &st) == 0 && st.st_size > 0 && lseek(x->fd, 0, SEEK_SET) == 0) {
        *fd = x->fd;
        *len = (size_t)st.st_size;
        rc = 0;
    } else {
        close(x->fd);
    }
    unlink(x->path);
    free(x->path);
    free(x);
    return rc;
}

int tables_xlsx(const Table *ts, int n, Buf *out)
{
    assert(ts && out && n >= 1);
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    char *path = xasprintf("%s/jinzai-XXXXXX.xlsx", dir);
    int fd = mkstemps(path, 5);
    if (fd < 0) {
        free(path);
        return -1;
    }
    lxw_workbook_options opt = {.tmpdir = (char *)dir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    int rc = -1;
    if (wb) {
        lxw_error err = LXW_NO_ERROR;
        for (int i = 0; i < n && err == LXW_NO_ERROR; i++) err = write_sheet(wb, &ts[i]);
        /* workbook_close also frees wb; it must run even after an error. */
        lxw_error close_err = workbook_close(wb);
        if (err == LXW_NO_ERROR && close_err == LXW_NO_ERROR) {
            size_t before = out->len;
            rc = slurp(fd, out);
            if (rc != 0) out->len = before;
        }
    }
    close(fd);
    unlink(path);
    free(path);
    return rc;
}
