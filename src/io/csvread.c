/* csvread.c - CSV input (see csvread.h).
 *
 * One pass over the bytes. The line number advances on every CRLF, LF or CR,
 * inside quoted fields too, so errors point at the physical line a user sees
 * in a text editor. UTF-8 is checked byte by byte during the same pass, which
 * is how the first bad byte is placed by line and field. */
#include "csvread.h"

#include "csv.h"
#include "encoding.h"
#include "text.h"

#include <assert.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char MSG_UNTERMINATED[] = "引用符が閉じられていません。";
static const char MSG_AFTER_QUOTE[] = "閉じ引用符の後に余分な文字があります。";
static const char MSG_BAD_UTF8[] = "文字コードがUTF-8として正しくありません。";
static const char MSG_NUL[] = "NUL文字（0x00）が含まれています。";
static const char MSG_TOO_MANY_ROWS[] = "行数が多すぎます（上限1,000,000行）。";
static const char MSG_TOO_MANY_FIELDS[] = "1行の項目数が多すぎます（上限1,000項目）。";
static const char MSG_TOO_LARGE[] = "ファイルが大きすぎます。";

/* Length of the well-formed UTF-8 sequence starting at p (lead byte >= 0x80),
 * or 0 if it is malformed or truncated within avail bytes. Accepts exactly
 * what utf8_valid accepts (Unicode Table 3-7). */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;      /* no overlongs */
        else if (c == 0xED) hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;      /* no overlongs */
        else if (c == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (avail < len || p[1] < lo || p[1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if (p[k] < 0x80 || p[k] > 0xBF) return 0;
    return len;
}

typedef struct CsvParser {
    Arena *a;
    const unsigned char *p;
    size_t n, i;
    int line;
    /* rows so far (malloc'd, copied into the arena at the end) */
    CsvRow *rows;
    int nrows, rowcap;
    /* fields of the current row (malloc'd scratch, reused) */
    const char **fields;
    int nfields, fieldcap;
    Buf quoted; /* unescaped text of the current quoted field */
    CsvError *err;
} Parser;

static int fail(Parser *ps, int line, int col, const char *msg)
{
    if (ps->err) {
        ps->err->line = line;
        ps->err->col = col;
        ps->err->msg = msg;
    }
    return -1;
}

/* Consumes one newline (CRLF, LF or CR) at ps->i, which must be at CR or LF. */
static void eat_newline(Parser *ps)
{
    if (ps->p[ps->i] == '\r' && ps->i + 1 < ps->n && ps->p[ps->i + 1] == '\n') ps->i++;
    ps->i++;
    ps->line++;
}

/* Checks the non-ASCII or NUL byte at ps->i and steps over its character.
 * Returns -1 (error filled) if it is NUL or starts invalid UTF-8. */
static int eat_special(Parser *ps, int col)
{
    unsigned char c = ps->p[ps->i];
    if (c == '\0') return fail(ps, ps->line, col, MSG_NUL);
    size_t len = utf8_seq(ps->p + ps->i, ps->n - ps->i);
    if (len == 0) return fail(ps, ps->line, col, MSG_BAD_UTF8);
    ps->i += len;
    return 0;
}

static int quoted_field(Parser *ps, int col, const char **out)
{
    int start_line = ps->line;
    const unsigned char *p = ps->p;
    buf_reset(&ps->quoted);
    ps->i++; /* opening quote */
    size_t run = ps->i; /* start of bytes not yet copied to ps->quoted */
    for (;;) {
        if (ps->i >= ps->n) return fail(ps, start_line, col, MSG_UNTERMINATED);
        unsigned char c = p[ps->i];
        if (c == '"') {
            if (ps->i + 1 < ps->n && p[ps->i + 1] == '"') {
                buf_append(&ps->quoted, p + run, ps->i + 1 - run); /* keeps one quote */
                ps->i += 2;
                run = ps->i;
                continue;
            }
            buf_append(&ps->quoted, p + run, ps->i - run);
            ps->i++; /* closing quote */
            break;
        }
        if (c == '\r' || c == '\n') {
            eat_newline(ps); /* kept in the field as written */
        } else if (c >= 0x80 || c == '\0') {
            if (eat_special(ps, col) < 0) return -1;
        } else {
            ps->i++;
        }
    }
    if (ps->i < ps->n) {
        unsigned char c = p[ps->i];
        if (c != ',' && c != '\r' && c != '\n') return fail(ps, ps->line, col, MSG_AFTER_QUOTE);
    }
    *out = csv_unguard(arena_strndup(ps->a, ps->quoted.len ? ps->quoted.data : "", ps->quoted.len));
    return 0;
}

static int plain_field(Parser *ps, int col, const char **out)
{
    size_t start = ps->i;
    while (ps->i < ps->n) {
        unsigned char c = ps->p[ps->i];
        if (c == ',' || c == '\r' || c == '\n') break;
        if (c >= 0x80 || c == '\0') {
            if (eat_special(ps, col) < 0) return -1;
        } else {
            ps->i++;
        }
    }
    *out = csv_unguard(arena_strndup(ps->a, (const char *)ps->p + start, ps->i - start));
    return 0;
}

/* Parses the fields of one row starting at ps->i (not at a newline, not at
 * the end) into ps->fields. Consumes the newline that ends it, if any. */
static int row_fields(Parser *ps)
{
    ps->nfields = 0;
    for (;;) {
        int col = ps->nfields + 1;
        if (ps->nfields == CSV_MAX_FIELDS) return fail(ps, ps->line, col, MSG_TOO_MANY_FIELDS);
        const char *f;
        int rc = ps->i < ps->n && ps->p[ps->i] == '"' ? quoted_field(ps, col, &f)
                                                       : plain_field(ps, col, &f);
        if (rc < 0) return -1;
        if (ps->nfields == ps->fieldcap) {
            ps->fieldcap = ps->fieldcap ? ps->fieldcap * 2 : 16;
            ps->fields = xrealloc(ps->fields, (size_t)ps->fieldcap * sizeof *ps->fields);
        }
        ps->fields[ps->nfields++] = f;
        if (ps->i < ps->n && ps->p[ps->i] == ',') {
            ps->i++;
            continue;
        }
        if (ps->i < ps->n) eat_newline(ps); /* the only other way a field ends */
        break;
    }
    return 0;
}

/* Parses one row and appends it to ps->rows. */
static int row(Parser *ps)
{
    int row_line = ps->line;
    if (row_fields(ps) < 0) return -1;
    if (ps->nrows == ps->rowcap) {
        ps->rowcap = ps->rowcap ? ps->rowcap * 2 : 64;
        ps->rows = xrealloc(ps->rows, (size_t)ps->rowcap * sizeof *ps->rows);
    }
    CsvRow *r = &ps->rows[ps->nrows++];
    r->line = row_line;
    r->nfields = ps->nfields;
    r->fields = arena_alloc(ps->a, (size_t)ps->nfields * sizeof *r->fields);
    memcpy(r->fields, ps->fields, (size_t)ps->nfields * sizeof *r->fields);
    return 0;
}

int csv_parse(Arena *a, const char *data, size_t n, CsvDoc *out, CsvError *err)
{
    assert(a && out && (data || n == 0));
    out->rows = NULL;
    out->nrows = 0;
    Parser ps = {.a = a, .p = (const unsigned char *)data, .n = n, .line = 1, .err = err};
    if (n >= INT_MAX) return fail(&ps, 0, 0, MSG_TOO_LARGE); /* keeps line numbers in int */

    int rc = 0;
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ps.i = 3;
    while (ps.i < n) {
        unsigned char c = ps.p[ps.i];
        if (c == '\r' || c == '\n') { /* completely empty line */
            eat_newline(&ps);
            continue;
        }
        if (ps.nrows == CSV_MAX_ROWS) {
            rc = fail(&ps, ps.line, 0, MSG_TOO_MANY_ROWS);
            break;
        }
        if ((rc = row(&ps)) < 0) break;
    }

    if (ps.nrows > 0) {
        out->rows = arena_alloc(a, (size_t)ps.nrows * sizeof *out->rows);
        memcpy(out->rows, ps.rows, (size_t)ps.nrows * sizeof *out->rows);
        out->nrows = ps.nrows;
    }
    free(ps.rows);
    free(ps.fields);
    buf_free(&ps.quoted);
    return rc;
}

static bool is_space_at(const char *s, size_t *len)
{
    if (*s == ' ' || *s == '\t') {
        *len = 1;
        return true;
    }
    if (s[0] == '\xE3' && s[1] == '\x80' && s[2] == '\x80') { /* U+3000; stops at a NUL */
        *len = 3;
        return true;
    }
    return false;
}

int csv_col(const CsvDoc *d, const char *name)
{
    assert(d && name);
    if (d->nrows == 0) return -1;
    const CsvRow *h = &d->rows[0];
    size_t nlen = strlen(name);
    for (int c = 0; c < h->nfields; c++) {
        const char *s = h->fields[c];
        size_t k;
        while (*s && is_space_at(s, &k)) s += k;
        size_t len = strlen(s);
        for (;;) {
            if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
            else if (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0) len -= 3;
            else break;
        }
        if (len == nlen && memcmp(s, name, len) == 0) return c;
    }
    return -1;
}

bool csv_row_blank(const CsvRow *r)
{
    for (int f = 0; f < r->nfields; f++) {
        size_t k;
        for (const char *s = r->fields[f]; *s; s += k)
            if (!is_space_at(s, &k)) return false;
    }
    return true;
}

void csv_col_letter(int col, char out[4])
{
    if (col < 0 || col >= 26 + 26 * 26 + 26 * 26 * 26) col = 0;
    char tmp[4];
    int n = 0;
    for (col++; col > 0 && n < 3; col = (col - 1) / 26) tmp[n++] = (char)('A' + (col - 1) % 26);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

const char *csv_field(const CsvRow *r, int col)
{
    assert(r);
    if (col < 0 || col >= r->nfields) return "";
    return r->fields[col];
}

#define SAVE_AS_CSV                                                                                               \
    "Excelで開き、「名前を付けて保存」でファイルの種類を「CSV UTF-8（コンマ区切り）(*.csv)」"                         \
    "または「CSV（コンマ区切り）(*.csv)」（Shift_JIS／CP932）にして保存したファイルを選んでください。"

static const char MSG_XLSX[] = "Excelのブック（.xlsx）はそのままでは読めません。" SAVE_AS_CSV;
static const char MSG_XLS[] = "Excel 97-2003 のブック（.xls）はそのままでは読めません。" SAVE_AS_CSV;
static const char MSG_UTF16[] = "UTF-16（Excelの「Unicode テキスト」）のファイルは読めません。" SAVE_AS_CSV;
static const char MSG_BINARY[] = "CSVのテキストファイルではありません（文字でないデータが含まれています）。" SAVE_AS_CSV;

/* What a file that is not CSV text is, told by its first bytes, or NULL. */
static const char *not_csv(const unsigned char *p, size_t n)
{
    if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) return MSG_XLSX;
    if (n >= 8 && memcmp(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) return MSG_XLS;
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) return MSG_UTF16;
    /* UTF-16 without BOM: ASCII text with every other byte NUL. */
    size_t look = n < 512 ? n : 512, zeros_odd = 0, zeros_even = 0, zeros = 0;
    for (size_t i = 0; i < look; i++)
        if (!p[i]) {
            zeros++;
            if (i % 2) zeros_odd++;
            else zeros_even++;
        }
    if (look >= 4 && zeros >= look / 4 && (zeros_odd == 0 || zeros_even == 0)) return MSG_UTF16;
    if (zeros) return MSG_BINARY;
    return NULL;
}

void problems_add(Problems *p, Arena *a, Errors *e, const char *msg)
{
    if (p->total++ < PROBLEMS_SHOWN) {
        if (!p->msg) p->msg = arena_alloc(a, PROBLEMS_SHOWN * sizeof *p->msg);
        p->msg[p->n++] = arena_strdup(a, msg);
    }
    err_addf(e, "file", "%s", msg);
}

void csv_error_add(Errors *e, const char *field, const CsvError *err, const CsvDoc *doc)
{
    if (err->line <= 0) {
        err_add(e, field, err->msg);
        return;
    }
    if (err->col <= 0) {
        err_addf(e, field, "%d行目：%s", err->line, err->msg);
        return;
    }
    char letter[4];
    csv_col_letter(err->col - 1, letter);
    const char *head = doc && doc->nrows > 0 && err->line > doc->rows[0].line ? csv_field(&doc->rows[0], err->col - 1) : "";
    size_t len = strlen(err->msg);
    if (len >= 3 && memcmp(err->msg + len - 3, "。", 3) == 0) len -= 3;
    err_addf(e, field, "%d行目：%.*s（%s列%s%s%s）。", err->line, (int)len, err->msg, letter, *head ? "「" : "", head, *head ? "」" : "");
}

int csv_parse_any(Arena *a, const char *data, size_t n, CsvDoc *out, CsvError *err, const char **encoding)
{
    const char *what = not_csv((const unsigned char *)data, n);
    if (what) {
        memset(out, 0, sizeof *out);
        *err = (CsvError){0, 0, what};
        return -1;
    }
    Buf utf8 = BUF_INIT;
    Encoding enc;
    int line, col;
    if (to_utf8(data, n, &utf8, &enc, &line, &col) != 0) {
        buf_free(&utf8);
        memset(out, 0, sizeof *out);
        /* col counts characters on the line here, not fields. */
        *err = (CsvError){line, 0, arena_printf(a, "文字コードを読み取れません（%d文字目に、UTF-8でもCP932でもない文字があります）。", col)};
        return -1;
    }
    if (encoding) *encoding = encoding_name(enc);
    /* The rows point into the arena, so the converted text must live there. */
    char *text = arena_strndup(a, buf_cstr(&utf8), utf8.len);
    size_t len = utf8.len;
    buf_free(&utf8);
    return csv_parse(a, text, len, out, err);
}

/* ---- row by row ---- */

/* Steps over the empty lines at ps->i; true when a row starts there. */
static bool next_row_start(Parser *ps)
{
    while (ps->i < ps->n && (ps->p[ps->i] == '\r' || ps->p[ps->i] == '\n')) eat_newline(ps);
    return ps->i < ps->n;
}

int csv_open_any(Arena *a, const char *data, size_t n, CsvReader *r, CsvError *err, const char **encoding)
{
    memset(r, 0, sizeof *r);
    r->head = (CsvDoc){NULL, 0};
    const char *what = not_csv((const unsigned char *)data, n);
    if (what) {
        *err = (CsvError){0, 0, what};
        return -1;
    }
    /* UTF-8 is read where it lies; only CP932 (or a BOM before bytes that
     * are not UTF-8, which to_utf8 reports) is converted into the arena. */
    Encoding enc = encoding_detect(data, n);
    const char *text = data;
    size_t len = n;
    if (enc == ENC_CP932 || (enc == ENC_UTF8_BOM && !utf8_valid(data + 3, n - 3))) {
        Buf utf8 = BUF_INIT;
        int line, col;
        if (to_utf8(data, n, &utf8, &enc, &line, &col) != 0) {
            buf_free(&utf8);
            *err = (CsvError){line, 0, arena_printf(a, "文字コードを読み取れません（%d文字目に、UTF-8でもCP932でもない文字があります）。", col)};
            return -1;
        }
        text = arena_strndup(a, buf_cstr(&utf8), utf8.len);
        len = utf8.len;
        buf_free(&utf8);
    } else if (enc == ENC_UTF8_BOM) {
        /* read in place: the BOM is passed over as to_utf8 drops it, so a
         * second one is treated as csv_parse_any treats it */
        text += 3;
        len -= 3;
    }
    if (encoding) *encoding = encoding_name(enc);
    Parser *ps = xmalloc(sizeof *ps);
    *ps = (Parser){.a = a, .p = (const unsigned char *)text, .n = len, .line = 1, .err = err};
    r->ps = ps;
    if (len >= INT_MAX) {
        csv_close(r);
        return fail(&(Parser){.err = err}, 0, 0, MSG_TOO_LARGE);
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ps->i = 3;
    size_t start = ps->i;
    /* First the whole text is checked, so a fault anywhere is found before
     * any row is used (as csv_parse does); the header row is kept. */
    Arena scratch = ARENA_INIT;
    int rc = 0;
    while (rc == 0 && next_row_start(ps)) {
        if (r->nrows == CSV_MAX_ROWS) {
            rc = fail(ps, ps->line, 0, MSG_TOO_MANY_ROWS);
            break;
        }
        int line = ps->line;
        ps->a = r->nrows ? &scratch : a;
        if ((rc = row_fields(ps)) < 0) break;
        if (!r->nrows) {
            r->header = (CsvRow){line, ps->nfields, arena_alloc(a, (size_t)ps->nfields * sizeof *r->header.fields)};
            memcpy(r->header.fields, ps->fields, (size_t)ps->nfields * sizeof *r->header.fields);
            r->head = (CsvDoc){&r->header, 1};
        }
        r->nrows++;
        if (r->nrows % 1024 == 0) {
            arena_free(&scratch);
            scratch = (Arena)ARENA_INIT;
        }
    }
    arena_free(&scratch);
    if (rc < 0) {
        csv_close(r);
        return -1;
    }
    /* From the start again, keeping the scratch buffers. */
    ps->i = start;
    ps->line = 1;
    ps->err = NULL;
    return 0;
}

int csv_next(CsvReader *r, Arena *a, CsvRow *row)
{
    Parser *ps = r->ps;
    if (!ps || !next_row_start(ps)) return 0;
    int line = ps->line;
    ps->a = a;
    if (row_fields(ps) < 0) return 0; /* checked by csv_open_any: not reached */
    row->line = line;
    row->nfields = ps->nfields;
    const char **f = arena_alloc(a, (size_t)ps->nfields * sizeof *f);
    memcpy(f, ps->fields, (size_t)ps->nfields * sizeof *f);
    row->fields = f;
    return 1;
}

void csv_close(CsvReader *r)
{
    if (!r->ps) return;
    free(r->ps->fields);
    buf_free(&r->ps->quoted);
    free(r->ps);
    r->ps = NULL;
}
