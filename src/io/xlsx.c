/* xlsx.c - table_xlsx, tables_xlsx and the xlsx sink: Tables as the styled
 * worksheets of an Office Open XML workbook (ECMA-376 Part 1, SpreadsheetML).
 *
 * The package is the minimal one: [Content_Types].xml, _rels/.rels,
 * xl/workbook.xml and its rels, xl/styles.xml and one xl/worksheets/sheetN.xml
 * per table, in a zip written by zipout.c. A sheet is written row by row as
 * it comes: its rows are deflated into the zip part at once, and its head
 * (dimension, frozen pane, column widths measured on the way) is stored in
 * front of them when the sheet ends. Strings are inline (t="inlineStr"), so
 * nothing is kept per row, and a cell carries its reference (r) only after
 * an empty cell was left out. Text is always written as a string, never a
 * formula. */
#include "table.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "zipout.h"

enum {
    WIDTH_MIN = 6,
    WIDTH_MAX = 60,
    SHEETNAME_MAX = 31,       /* characters */
    ROWS_MAX = 1048576,       /* Excel's sheet, header included */
    COLS_MAX = 16384,
    FLUSH_AT = 64 * 1024,     /* sheet XML handed to the zip in pieces of this size */
};

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
    if ((n == 2 && *cp < 0x80) || (n == 3 && *cp < 0x800) || (n == 4 && *cp < 0x10000)) goto bad; /* overlong */
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
    if (c->num == floor(c->num) && fabs(c->num) < 1e15) { /* the digits, without printf */
        int w = c->num < 0 ? 2 : 1;
        for (double v = fabs(c->num); v >= 10; v = floor(v / 10)) w++;
        return w;
    }
    char num[32];
    return snprintf(num, sizeof num, "%.15g", c->num);
}

/* Writes into out (at least SHEETNAME_MAX * 4 + 1 bytes) a sheet name
 * Excel accepts: at most 31 characters, none of []:*?/\ or control
 * characters (each becomes '_'), no apostrophe at either end, not empty. */
static void sheet_name(const char *title, char *out)
{
    size_t len = 0;
    int chars = 0;
    uint32_t cp;
    const unsigned char *p = (const unsigned char *)(title ? title : "");
    while (*p == '\'') p++;
    for (int n; *p && chars < SHEETNAME_MAX; p += n, chars++) {
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


/* The Excel serial number of "2026-04-01" or "2026-04-01T09:30[:SS]" (as
 * table_date checked it): days since 1899-12-30, with Excel's 1900-02-29
 * (serials before 1900-03-01 are one less), plus the time as a fraction. */
static bool to_serial(const char *s, double *serial)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3) return false;
    if (s[10] && sscanf(s + 11, "%2d:%2d:%2d", &h, &mi, &sec) < 2) return false;
    if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return false;
    /* Days from civil (H. Hinnant), relative to 1970-01-01. */
    int yy = mo <= 2 ? y - 1 : y;
    int era = yy / 400, yoe = yy - era * 400, mp = (mo + 9) % 12;
    int doy = (153 * mp + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = (long)era * 146097 + doe - 719468 + 25569; /* 25569: 1899-12-30 .. 1970-01-01 */
    if (days < 61) days--;
    *serial = (double)days + (h * 3600 + mi * 60 + sec) / 86400.0;
    return true;
}

/* Column letters of col (0-based) into out[4]: A, Z, AA, XFD. */
static void col_name(int col, char *out)
{
    char tmp[4];
    int n = 0;
    for (col++; col > 0 && n < 3; col = (col - 1) / 26) tmp[n++] = (char)('A' + (col - 1) % 26);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

static void put_uint(Buf *b, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    buf_append(b, tmp + sizeof tmp - n, (size_t)n);
}

/* A cell value: integers as digits, others with 16 significant digits. */
static void put_num(Buf *b, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        if (v < 0) buf_putc(b, '-');
        put_uint(b, (uint64_t)fabs(v));
    } else {
        char num[32];
        buf_append(b, num, (size_t)snprintf(num, sizeof num, "%.16G", v));
    }
}

/* "_x" + 4 hex digits + "_" reads as an escaped character in OOXML text. */
static bool looks_escaped(const unsigned char *p)
{
    if (p[1] != 'x') return false;
    for (int i = 2; i < 6; i++)
        if (!strchr("0123456789ABCDEFabcdef", p[i]) || !p[i]) return false;
    return p[6] == '_';
}

/* s as XML character data (attr: also for a "-quoted attribute): & < > (")
 * escaped, control characters as _xHHHH_ (as Excel writes them), a text
 * "_xHHHH_" kept literal, invalid UTF-8 and U+FFFE/U+FFFF as U+FFFD. */
static void put_xml(Buf *b, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (;;) {
        unsigned char c = *p;
        const char *rep;
        char tmp[8];
        int n = 1;
        if (c >= 0x80) {
            uint32_t cp;
            n = utf8_next(p, &cp);
            if (!(n == 1 || cp == 0xFFFE || cp == 0xFFFF)) {
                p += n;
                continue;
            }
            rep = "\xEF\xBF\xBD";
        } else if (c == 0) {
            break;
        } else if (c == '&') {
            rep = "&amp;";
        } else if (c == '<') {
            rep = "&lt;";
        } else if (c == '>') {
            rep = "&gt;";
        } else if (c == '"' && attr) {
            rep = "&quot;";
        } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
            snprintf(tmp, sizeof tmp, "_x%04X_", c);
            rep = tmp;
        } else if (c == '_' && looks_escaped(p)) {
            rep = "_x005F_";
        } else {
            p++;
            continue;
        }
        buf_append(b, run, (size_t)(p - run));
        buf_puts(b, rep);
        p += n;
        run = p;
    }
    buf_append(b, run, (size_t)(p - run));
}

/* An inline string cell (style 0: none); ref, when not NULL, is its r. */
/* "<c", with r="ref" when ref is not NULL and s="style" when style is not 0. */
static void put_cell_open(Buf *b, const char *ref, int style)
{
    buf_puts(b, "<c");
    if (ref) {
        buf_puts(b, " r=\"");
        buf_puts(b, ref);
        buf_putc(b, '"');
    }
    if (style) {
        buf_puts(b, " s=\"");
        put_uint(b, (uint64_t)style);
        buf_putc(b, '"');
    }
}

static void put_string_cell(Buf *b, const char *ref, int style, const char *s)
{
    put_cell_open(b, ref, style);
    size_t n = strlen(s);
    bool keep_space = n > 0 && (strchr(" \t\n\r", s[0]) || strchr(" \t\n\r", s[n - 1]));
    buf_puts(b, keep_space ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t>");
    put_xml(b, s, false);
    buf_puts(b, "</t></is></c>");
}

/* Cell styles of styles.xml: cellXfs index. */
enum { XF_HEAD = 1, XF_DAY = 2, XF_MINUTE = 3 };

static void put_num_cell(Buf *b, const char *ref, int style, double v)
{
    put_cell_open(b, ref, style);
    buf_puts(b, "><v>");
    put_num(b, v);
    buf_puts(b, "</v></c>");
}

/* The workbook being written: its zip, and what workbook.xml needs to know
 * about each sheet written. */
typedef struct BookSheet {
    char name[SHEETNAME_MAX * 4 + 1];
    int ncols;
    int64_t nrows; /* data rows */
} BookSheet;

typedef struct Book {
    ZipOut *z;
    BookSheet *sheets;
    int n, cap;
    int err;
} Book;

/* One worksheet being written row by row, in order: column widths grow with
 * the cells seen. */
typedef struct Sheet {
    Book *book;
    ZipPart *part;
    Buf xml;            /* rows not yet handed to the part */
    BookSheet *info;    /* in book->sheets */
    int *width;         /* xcalloc'd, ncols */
    int err;
} Sheet;

static const char CONTENT_TYPES_HEAD[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>";

static const char ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

/* Fonts (游ゴシック, the font of a new workbook in Japanese Excel; there is
 * no theme part to name one), fills, borders and the four cell formats: 0 plain, 1 the header
 * (bold, light blue fill, thin border), 2 a date, 3 a date and time. */
static const char STYLES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/><numFmt numFmtId=\"165\" formatCode=\"yyyy/m/d h:mm\"/></numFmts>"
    "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"游ゴシック\"/><family val=\"3\"/><charset val=\"128\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"游ゴシック\"/><family val=\"3\"/><charset val=\"128\"/></font></fonts>"
    "<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>"
    "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>"
    "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>"
    "<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right>"
    "<top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
    "<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\"/>"
    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    "<dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium9\" defaultPivotStyle=\"PivotStyleLight16\"/>"
    "</styleSheet>";

/* A workbook of nsheets sheets into fd, or in memory (fd < 0). The parts
 * that do not depend on the sheets' contents come first. */
static void book_begin(Book *bk, int fd, int nsheets)
{
    *bk = (Book){.z = zipout_new(fd)};
    Buf b = BUF_INIT;
    buf_puts(&b, CONTENT_TYPES_HEAD);
    for (int i = 1; i <= nsheets; i++)
        buf_printf(&b, "<Override PartName=\"/xl/worksheets/sheet%d.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>", i);
    buf_puts(&b, "</Types>");
    int rc = zipout_add(bk->z, "[Content_Types].xml", b.data, b.len);
    if (rc == 0) rc = zipout_add(bk->z, "_rels/.rels", ROOT_RELS, sizeof ROOT_RELS - 1);
    buf_reset(&b);
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                 "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for (int i = 1; i <= nsheets; i++)
        buf_printf(&b, "<Relationship Id=\"rId%d\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet%d.xml\"/>", i, i);
    buf_printf(&b, "<Relationship Id=\"rId%d\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>", nsheets + 1);
    if (rc == 0) rc = zipout_add(bk->z, "xl/_rels/workbook.xml.rels", b.data, b.len);
    if (rc == 0) rc = zipout_add(bk->z, "xl/styles.xml", STYLES, sizeof STYLES - 1);
    buf_free(&b);
    bk->err = rc;
}

/* name quoted for a formula: 'name' with ' doubled. */
static void put_quoted_sheet(Buf *b, const char *name)
{
    buf_putc(b, '\'');
    for (const char *p = name; *p; p++) {
        if (*p == '\'') buf_putc(b, '\'');
        buf_putc(b, *p);
    }
    buf_putc(b, '\'');
}

/* workbook.xml (the sheets, the autofilter ranges and print titles), then
 * the central directory. 0 or -1; *size as zipout_finish. */
static int book_end(Book *bk, Buf *out, size_t *size)
{
    Buf b = BUF_INIT, ref = BUF_INIT;
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                 "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                 "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                 "<bookViews><workbookView/></bookViews><sheets>");
    for (int i = 0; i < bk->n; i++) {
        buf_puts(&b, "<sheet name=\"");
        put_xml(&b, bk->sheets[i].name, true);
        buf_printf(&b, "\" sheetId=\"%d\" r:id=\"rId%d\"/>", i + 1, i + 1);
    }
    buf_puts(&b, "</sheets>");
    bool names = false;
    for (int i = 0; i < bk->n; i++) {
        const BookSheet *s = &bk->sheets[i];
        if (s->ncols == 0) continue;
        if (!names) buf_puts(&b, "<definedNames>");
        names = true;
        char last[4];
        col_name(s->ncols - 1, last);
        buf_reset(&ref);
        put_quoted_sheet(&ref, s->name);
        buf_printf(&b, "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"%d\" hidden=\"1\">", i);
        put_xml(&b, buf_cstr(&ref), false);
        buf_printf(&b, "!$A$1:$%s$%lld</definedName>", last, (long long)s->nrows + 1);
        buf_printf(&b, "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"%d\">", i);
        put_xml(&b, buf_cstr(&ref), false);
        buf_puts(&b, "!$1:$1</definedName>");
    }
    if (names) buf_puts(&b, "</definedNames>");
    buf_puts(&b, "</workbook>");
    int rc = bk->err || bk->n == 0 ? -1 : zipout_add(bk->z, "xl/workbook.xml", b.data, b.len);
    buf_free(&b);
    buf_free(&ref);
    if (zipout_finish(bk->z, rc == 0 ? out : NULL, size) != 0) rc = -1; /* out untouched on failure */
    free(bk->sheets);
    return rc;
}

/* True when name is taken by a sheet already in bk (Excel compares names
 * without case). */
static bool name_taken(const Book *bk, const char *name)
{
    for (int i = 0; i < bk->n; i++)
        if (strcasecmp(bk->sheets[i].name, name) == 0) return true;
    return false;
}

static void sheet_flush(Sheet *sh)
{
    if (!sh->err && zippart_write(sh->part, sh->xml.data ? sh->xml.data : "", sh->xml.len) != 0) sh->err = -1;
    sh->xml.len = 0;
}

/* Starts the next sheet of bk with t's title and header row. */
static int sheet_begin(Book *bk, const Table *t, Sheet *sh)
{
    *sh = (Sheet){.book = bk, .xml = BUF_INIT};
    char name[SHEETNAME_MAX * 4 + 1];
    sheet_name(t->title, name);
    for (int k = bk->n + 1; name_taken(bk, name); k++) snprintf(name, sizeof name, "Sheet%d", k);
    if (bk->n == bk->cap) {
        bk->cap = bk->cap ? bk->cap * 2 : 4;
        bk->sheets = xrealloc(bk->sheets, (size_t)bk->cap * sizeof *bk->sheets);
    }
    sh->info = &bk->sheets[bk->n];
    *sh->info = (BookSheet){.ncols = t->ncols};
    memcpy(sh->info->name, name, sizeof name);
    char part[48];
    snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", bk->n + 1);
    bk->n++;
    sh->part = bk->err ? NULL : zipout_part_begin(bk->z, part);
    sh->width = xcalloc((size_t)(t->ncols > 0 ? t->ncols : 1), sizeof *sh->width);
    if (!sh->part || t->ncols > COLS_MAX) {
        sh->err = -1;
        return -1;
    }
    if (t->ncols == 0) return 0;
    buf_puts(&sh->xml, "<row r=\"1\">");
    for (int col = 0; col < t->ncols; col++) {
        sh->width[col] = text_width(t->head[col]);
        put_string_cell(&sh->xml, NULL, XF_HEAD, t->head[col]);
    }
    buf_puts(&sh->xml, "</row>");
    return 0;
}

/* One whole row of ncols cells. An empty text is no cell; the cell after
 * it names its place. */
static int sheet_row(Sheet *sh, const TableCell *cells)
{
    if (sh->err) return -1;
    BookSheet *info = sh->info;
    int64_t r = info->nrows + 2;
    if (r > ROWS_MAX) return sh->err = -1;
    Buf *b = &sh->xml;
    buf_puts(b, "<row r=\"");
    put_uint(b, (uint64_t)r);
    buf_puts(b, "\">");
    bool skipped = false;
    for (int col = 0; col < info->ncols; col++) {
        const TableCell *c = &cells[col];
        int cw = cell_width(c);
        if (cw > sh->width[col]) sh->width[col] = cw;
        char ref[32];
        if (skipped) {
            col_name(col, ref);
            snprintf(ref + strlen(ref), sizeof ref - strlen(ref), "%lld", (long long)r);
        }
        double serial;
        if (c->date && to_serial(c->text, &serial)) {
            put_num_cell(b, skipped ? ref : NULL, c->text[10] ? XF_MINUTE : XF_DAY, serial);
        } else if (c->text) {
            if (!c->text[0]) {
                skipped = true;
                continue;
            }
            put_string_cell(b, skipped ? ref : NULL, 0, c->text);
        } else if (isfinite(c->num)) {
            put_num_cell(b, skipped ? ref : NULL, 0, c->num);
        } else {
            skipped = true;
            continue;
        }
        skipped = false;
    }
    buf_puts(b, "</row>");
    info->nrows++;
    if (b->len >= FLUSH_AT) sheet_flush(sh);
    return sh->err;
}

/* Ends the rows with the autofilter and print settings, and stores the
 * sheet's head (dimension, frozen header, column widths) before them. */
static int sheet_end(Sheet *sh, int err)
{
    const BookSheet *info = sh->info;
    char last[4] = "A";
    if (info->ncols > 0) col_name(info->ncols - 1, last);
    long long lastrow = info->ncols > 0 ? (long long)info->nrows + 1 : 1;
    buf_puts(&sh->xml, "</sheetData>");
    if (info->ncols > 0) buf_printf(&sh->xml, "<autoFilter ref=\"A1:%s%lld\"/>", last, lastrow);
    buf_puts(&sh->xml, "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
                       "<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>"
                       "<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter></worksheet>");
    sheet_flush(sh);

    Buf h = BUF_INIT;
    buf_puts(&h, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                 "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                 "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                 "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>");
    if (info->ncols > 0 && (info->ncols > 1 || lastrow > 1)) buf_printf(&h, "<dimension ref=\"A1:%s%lld\"/>", last, lastrow);
    else buf_puts(&h, "<dimension ref=\"A1\"/>");
    buf_printf(&h, "<sheetViews><sheetView%s workbookViewId=\"0\">", sh->info == sh->book->sheets ? " tabSelected=\"1\"" : "");
    if (info->ncols > 0)
        buf_puts(&h, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/>");
    buf_puts(&h, "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
    if (info->ncols > 0) {
        buf_puts(&h, "<cols>");
        for (int col = 0; col < info->ncols; col++) {
            int w = sh->width[col] < WIDTH_MIN ? WIDTH_MIN : sh->width[col] > WIDTH_MAX ? WIDTH_MAX : sh->width[col];
            buf_printf(&h, "<col min=\"%d\" max=\"%d\" width=\"%d.7109375\" customWidth=\"1\"/>", col + 1, col + 1, w + 2);
        }
        buf_puts(&h, "</cols>");
    }
    buf_puts(&h, "<sheetData>");
    if (sh->part && zipout_part_end(sh->part, h.data, h.len) != 0) err = -1;
    if (sh->err) err = -1;
    if (err) sh->book->err = -1;
    buf_free(&h);
    buf_free(&sh->xml);
    free(sh->width);
    sh->width = NULL;
    return err ? -1 : 0;
}

int table_xlsx(const Table *t, Buf *out) { return tables_xlsx(t, 1, out); }

int tables_xlsx(const Table *ts, int n, Buf *out)
{
    assert(ts && out && n >= 1);
    Book bk;
    book_begin(&bk, -1, n);
    for (int i = 0; i < n; i++) {
        Sheet sh;
        int err = sheet_begin(&bk, &ts[i], &sh);
        int nrows = table_rows(&ts[i]);
        for (int row = 0; row < nrows && !err; row++) err = sheet_row(&sh, &ts[i].cells[row * ts[i].ncols]);
        sheet_end(&sh, err);
    }
    return book_end(&bk, out, NULL);
}

typedef struct XlsxSink {
    TableSink sink;
    Book book;
    Sheet sh;
    bool begun;
    int fd;
} XlsxSink;

static int xlsx_sink_begin(TableSink *sink, const Table *t)
{
    XlsxSink *x = (XlsxSink *)sink;
    x->begun = true;
    return sheet_begin(&x->book, t, &x->sh);
}

static int xlsx_sink_row(TableSink *sink, const Table *t, const TableCell *cells)
{
    (void)t;
    return sheet_row(&((XlsxSink *)sink)->sh, cells);
}

TableSink *xlsx_sink_new(void)
{
    int fd = table_tmpfd();
    if (fd < 0) return NULL;
    XlsxSink *x = xcalloc(1, sizeof *x);
    x->sink = (TableSink){xlsx_sink_begin, xlsx_sink_row, 0};
    x->fd = fd;
    book_begin(&x->book, fd, 1);
    return &x->sink;
}

int xlsx_sink_end(TableSink *s, int *fd, size_t *len)
{
    XlsxSink *x = (XlsxSink *)s;
    int err = x->sink.err ? -1 : 0;
    if (x->begun) err = sheet_end(&x->sh, err);
    else err = -1;
    size_t size = 0;
    int rc = book_end(&x->book, NULL, &size);
    if (rc == 0 && err == 0 && size > 0 && lseek(x->fd, 0, SEEK_SET) == 0) {
        *fd = x->fd;
        *len = size;
    } else {
        rc = -1;
        close(x->fd);
    }
    free(x);
    return rc;
}
