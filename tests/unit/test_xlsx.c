/* test_xlsx.c - the .xlsx writer read back as a spreadsheet program would:
 * the zip opened with libzip (which checks every CRC), every part parsed
 * with libxml2, and the cells found by their place (a cell without r
 * follows the one before it). Covers the whole-table writer (one or several
 * sheets) and the streaming sink, including a sheet large enough that its
 * body goes through the temporary file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "io/table.h"

/* ---- A small reader ---------------------------------------------------- */

typedef struct Cell {
    int row, col;       /* 1-based */
    char *type;         /* t attribute, or "" */
    int style;
    char *text;         /* inline string text, or the <v> text */
} Cell;

typedef struct Sheet {
    char *xml;
    Cell *cells;
    int n, cap;
    char *pane_state, *pane_top, *autofilter, *dimension;
    int ncols_widths;
    double width[32];
} Sheet;

typedef struct Book {
    zip_t *z;
    char *names[8];
    int nsheets;
    char *workbook, *types, *styles;
    Sheet sheets[8];
} Book;

/* The bytes of member name, NUL-terminated (libzip checks the CRC). */
static char *member(zip_t *z, const char *name)
{
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) != 0) return NULL;
    zip_file_t *f = zip_fopen(z, name, 0);
    assert_non_null(f);
    char *data = malloc(st.size + 1);
    zip_int64_t got = 0, k;
    while ((k = zip_fread(f, data + got, st.size - (zip_uint64_t)got)) > 0) got += k;
    assert_true(k == 0);
    assert_int_equal(zip_fclose(f), 0);
    assert_int_equal((zip_uint64_t)got, st.size);
    data[got] = '\0';
    return data;
}

static xmlDoc *parse(const char *xml, const char *name)
{
    xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!doc) fail_msg("%s is not well-formed XML", name);
    return doc;
}

static bool is(const xmlNode *n, const char *name) { return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0; }

static char *attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s = v ? strdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static int col_of(const char *ref)
{
    int c = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++) c = c * 26 + (*ref - 'A' + 1);
    return c;
}

/* All text of the <t> elements under n. */
static void text_of(xmlNode *n, char *out, size_t cap)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        if (is(k, "t")) {
            xmlChar *s = xmlNodeGetContent(k);
            strncat(out, (const char *)s, cap - strlen(out) - 1);
            xmlFree(s);
        } else if (k->type == XML_ELEMENT_NODE) {
            text_of(k, out, cap);
        }
    }
}

static void walk_sheet(xmlNode *n, Sheet *s)
{
    for (; n; n = n->next) {
        if (is(n, "pane")) {
            s->pane_state = attr(n, "state");
            s->pane_top = attr(n, "topLeftCell");
        } else if (is(n, "autoFilter")) {
            s->autofilter = attr(n, "ref");
        } else if (is(n, "dimension")) {
            s->dimension = attr(n, "ref");
        } else if (is(n, "col")) {
            char *w = attr(n, "width");
            if (s->ncols_widths < 32) s->width[s->ncols_widths++] = atof(w);
            free(w);
        } else if (is(n, "row")) {
            char *r = attr(n, "r");
            int row = atoi(r), col = 0;
            free(r);
            for (xmlNode *c = n->children; c; c = c->next) {
                if (!is(c, "c")) continue;
                char *ref = attr(c, "r"), *t = attr(c, "t"), *st = attr(c, "s");
                col = ref ? col_of(ref) : col + 1;
                if (ref) assert_int_equal(atoi(ref + strspn(ref, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")), row);
                char buf[4096] = "";
                text_of(c, buf, sizeof buf);
                for (xmlNode *v = c->children; v; v = v->next)
                    if (is(v, "v")) {
                        xmlChar *x = xmlNodeGetContent(v);
                        snprintf(buf, sizeof buf, "%s", (const char *)x);
                        xmlFree(x);
                    }
                    else assert_false(is(v, "f")); /* never a formula */
                if (s->n == s->cap) {
                    s->cap = s->cap ? s->cap * 2 : 64;
                    s->cells = realloc(s->cells, (size_t)s->cap * sizeof *s->cells);
                }
                s->cells[s->n++] = (Cell){row, col, t ? t : strdup(""), st ? atoi(st) : 0, strdup(buf)};
                free(ref);
                free(st);
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            walk_sheet(n->children, s);
        }
    }
}

/* Opens an xlsx held in memory; every part must be well-formed XML. */
static void book_open(Book *b, const char *data, size_t len)
{
    memset(b, 0, sizeof *b);
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    assert_non_null(src);
    b->z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    assert_non_null(b->z);
    zip_int64_t n = zip_get_num_entries(b->z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(b->z, (zip_uint64_t)i, 0);
        char *xml = member(b->z, name);
        xmlFreeDoc(parse(xml, name));
        free(xml);
    }
    b->types = member(b->z, "[Content_Types].xml");
    b->workbook = member(b->z, "xl/workbook.xml");
    b->styles = member(b->z, "xl/styles.xml");
    char *rels = member(b->z, "_rels/.rels"), *wrels = member(b->z, "xl/_rels/workbook.xml.rels");
    assert_non_null(b->types);
    assert_non_null(b->workbook);
    assert_non_null(b->styles);
    assert_non_null(rels);
    assert_non_null(wrels);
    assert_non_null(strstr(rels, "Target=\"xl/workbook.xml\""));
    assert_non_null(strstr(wrels, "Target=\"styles.xml\""));
    xmlDoc *wb = parse(b->workbook, "workbook.xml");
    for (xmlNode *e = xmlDocGetRootElement(wb)->children; e; e = e->next)
        if (is(e, "sheets"))
            for (xmlNode *s = e->children; s; s = s->next)
                if (is(s, "sheet") && b->nsheets < 8) b->names[b->nsheets++] = attr(s, "name");
    xmlFreeDoc(wb);
    for (int i = 0; i < b->nsheets; i++) {
        char part[64];
        snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", i + 1);
        assert_non_null(strstr(b->types, part));
        snprintf(part, sizeof part, "Target=\"worksheets/sheet%d.xml\"", i + 1);
        assert_non_null(strstr(wrels, part));
        snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", i + 1);
        Sheet *s = &b->sheets[i];
        s->xml = member(b->z, part);
        assert_non_null(s->xml);
        xmlDoc *d = parse(s->xml, part);
        walk_sheet(xmlDocGetRootElement(d), s);
        xmlFreeDoc(d);
    }
    free(rels);
    free(wrels);
}

static void book_close(Book *b)
{
    for (int i = 0; i < b->nsheets; i++) {
        Sheet *s = &b->sheets[i];
        for (int k = 0; k < s->n; k++) {
            free(s->cells[k].type);
            free(s->cells[k].text);
        }
        free(s->cells);
        free(s->xml);
        free(s->pane_state);
        free(s->pane_top);
        free(s->autofilter);
        free(s->dimension);
        free(b->names[i]);
    }
    free(b->types);
    free(b->workbook);
    free(b->styles);
    zip_discard(b->z);
}

static const Cell *cell(const Sheet *s, int row, int col)
{
    for (int i = 0; i < s->n; i++)
        if (s->cells[i].row == row && s->cells[i].col == col) return &s->cells[i];
    return NULL;
}

static void expect_text(const Sheet *s, int row, int col, const char *text)
{
    const Cell *c = cell(s, row, col);
    if (!c) fail_msg("no cell at row %d col %d", row, col);
    assert_string_equal(c->type, "inlineStr");
    assert_string_equal(c->text, text);
}

static void expect_num(const Sheet *s, int row, int col, double v, int style)
{
    const Cell *c = cell(s, row, col);
    if (!c) fail_msg("no cell at row %d col %d", row, col);
    assert_string_equal(c->type, "");
    assert_float_equal(atof(c->text), v, 1e-9);
    assert_int_equal(c->style, style);
}

/* ---- Tests ------------------------------------------------------------- */

static const char *const head[] = {"職員番号", "氏名", "人数", "備考", "日", NULL};

/* Text of every kind, numbers, dates and empty cells read back in place. */
static void test_cells(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Table t;
    table_init(&t, &a, "一覧", head);
    table_text(&t, "A0001");
    table_text(&t, "山田　花子 & <co> \"q\" 'a'");
    table_int(&t, 12);
    table_text(&t, "=1+2");
    table_date(&t, "2026-04-01");

    table_text(&t, "A0002");
    table_text(&t, "");          /* empty: no cell, the next names its place */
    table_num(&t, -2.5);
    table_text(&t, "  前後に空白  ");
    table_date(&t, "2026-05-01T09:30");

    table_text(&t, "A0003");
    table_text(&t, "tab\there\x01" "ctl _x0041_ kept");
    table_text(&t, NULL);
    table_text(&t, "+SUM(A1:A2)");
    table_date(&t, "未定");      /* not a date: text */

    table_text(&t, "@x");
    table_text(&t, "-3");
    table_num(&t, 1e20);
    table_num(&t, 0.1);
    table_date(&t, "1900-01-01");

    Buf out = BUF_INIT;
    assert_int_equal(table_xlsx(&t, &out), 0);
    Book b;
    book_open(&b, out.data, out.len);
    assert_int_equal(b.nsheets, 1);
    assert_string_equal(b.names[0], "一覧");
    const Sheet *s = &b.sheets[0];

    /* Header: styled (bold, fill, border), frozen, filtered. */
    for (int col = 1; col <= 5; col++) assert_int_equal(cell(s, 1, col)->style, 1);
    expect_text(s, 1, 1, "職員番号");
    assert_string_equal(s->pane_state, "frozen");
    assert_string_equal(s->pane_top, "A2");
    assert_string_equal(s->autofilter, "A1:E5");
    assert_string_equal(s->dimension, "A1:E5");
    assert_non_null(strstr(b.workbook, "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">'一覧'!$A$1:$E$5</definedName>"));
    assert_non_null(strstr(b.workbook, "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'一覧'!$1:$1</definedName>"));
    assert_non_null(strstr(b.styles, "<b/>"));
    assert_non_null(strstr(b.styles, "rgb=\"FFDDEBF7\""));

    expect_text(s, 2, 1, "A0001");
    expect_text(s, 2, 2, "山田　花子 & <co> \"q\" 'a'");
    expect_num(s, 2, 3, 12, 0);
    expect_text(s, 2, 4, "=1+2");
    expect_num(s, 2, 5, 46113, 2); /* 2026-04-01 */

    expect_text(s, 3, 1, "A0002");
    assert_null(cell(s, 3, 2));
    expect_num(s, 3, 3, -2.5, 0);
    expect_text(s, 3, 4, "  前後に空白  ");
    expect_num(s, 3, 5, 46143.0 + 9.5 / 24, 3);

    /* Control characters as Excel escapes them; a literal _x0041_ kept. */
    expect_text(s, 4, 2, "tab\there_x0001_ctl _x005F_x0041_ kept");
    assert_null(cell(s, 4, 3));
    expect_text(s, 4, 4, "+SUM(A1:A2)");
    expect_text(s, 4, 5, "未定");

    expect_text(s, 5, 1, "@x");
    expect_text(s, 5, 2, "-3");
    expect_num(s, 5, 3, 1e20, 0);
    expect_num(s, 5, 4, 0.1, 0);
    expect_num(s, 5, 5, 1, 2); /* Excel's first day */
    assert_null(cell(s, 6, 1));

    /* Formats 2 and 3 are the date formats. */
    assert_non_null(strstr(b.styles, "<numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>"));
    assert_non_null(strstr(b.styles, "<numFmt numFmtId=\"165\" formatCode=\"yyyy/m/d h:mm\"/>"));
    assert_non_null(strstr(b.styles, "<cellXfs count=\"4\">"));
    /* Widths: 職員番号 is 8 columns wide (min 6) + 2; the name column is wider. */
    assert_int_equal(s->ncols_widths, 5);
    assert_float_equal(s->width[0], 10.7109375, 1e-9);
    assert_true(s->width[1] > 20);
    book_close(&b);
    buf_free(&out);
    arena_free(&a);
}

/* Several sheets: each its own cells, filter and print titles; names made
 * valid and distinct. */
static void test_sheets(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    static const char *const h1[] = {"名", NULL};
    static const char *const h2[] = {"項目", "値", NULL};
    Table ts[4];
    table_init(&ts[0], &a, "O'Brien:[一覧]", h1);
    table_text(&ts[0], "一");
    table_init(&ts[1], &a, "o'brien:[一覧]", h2); /* same name but for case */
    table_text(&ts[1], "x");
    table_int(&ts[1], 1);
    table_text(&ts[1], "y");
    table_int(&ts[1], 2);
    table_init(&ts[2], &a, "空", h2); /* no rows */
    table_init(&ts[3], &a, "", h1);
    table_text(&ts[3], "四");
    Buf out = BUF_INIT;
    assert_int_equal(tables_xlsx(ts, 4, &out), 0);
    Book b;
    book_open(&b, out.data, out.len);
    assert_int_equal(b.nsheets, 4);
    assert_string_equal(b.names[0], "O'Brien__一覧_");
    assert_string_equal(b.names[1], "Sheet2");
    assert_string_equal(b.names[2], "空");
    assert_string_equal(b.names[3], "Sheet1");
    expect_text(&b.sheets[0], 2, 1, "一");
    expect_text(&b.sheets[1], 1, 2, "値");
    expect_text(&b.sheets[1], 3, 1, "y");
    expect_num(&b.sheets[1], 3, 2, 2, 0);
    expect_text(&b.sheets[3], 2, 1, "四");
    assert_string_equal(b.sheets[0].autofilter, "A1:A2");
    assert_string_equal(b.sheets[1].autofilter, "A1:B3");
    assert_string_equal(b.sheets[2].autofilter, "A1:B1");
    for (int i = 0; i < 4; i++) assert_string_equal(b.sheets[i].pane_state, "frozen");
    /* The apostrophe is doubled inside the quoted sheet name. */
    assert_non_null(strstr(b.workbook, "localSheetId=\"0\" hidden=\"1\">'O''Brien__一覧_'!$A$1:$A$2<"));
    assert_non_null(strstr(b.workbook, "localSheetId=\"1\" hidden=\"1\">'Sheet2'!$A$1:$B$3<"));
    assert_non_null(strstr(b.workbook, "localSheetId=\"3\">'Sheet1'!$1:$1<"));
    assert_non_null(strstr(b.sheets[0].xml, "tabSelected=\"1\""));
    assert_null(strstr(b.sheets[1].xml, "tabSelected"));
    book_close(&b);
    buf_free(&out);
    arena_free(&a);
}

/* The sink: rows streamed one at a time, enough of them (with text that
 * does not compress away) that the sheet's body spills to its temporary
 * file; every row reads back. */
static void test_sink_large(void **state)
{
    (void)state;
    enum { ROWS = 30000 };
    static const char *const h[] = {"番号", "文", "数", NULL};
    TableSink *x = xlsx_sink_new();
    assert_non_null(x);
    Arena a = ARENA_INIT;
    Table t;
    table_init(&t, &a, "大きな表", h);
    table_stream(&t, x);
    uint32_t seed = 12345;
    char text[64];
    for (int i = 0; i < ROWS; i++) {
        char no[16];
        snprintf(no, sizeof no, "K%05d", i);
        int n = 0;
        for (int k = 0; k < 12; k++) {
            seed = seed * 1103515245u + 12345u;
            n += snprintf(text + n, sizeof text - (size_t)n, "%c", "あいうえお<&>'\"abcXYZ"[(seed >> 16) % 20]);
        }
        table_text(&t, no);
        table_text(&t, text);
        table_int(&t, i);
    }
    assert_int_equal(table_rows(&t), ROWS);
    int fd = -1;
    size_t len = 0;
    assert_int_equal(xlsx_sink_end(x, &fd, &len), 0);
    assert_true(fd >= 0);
    assert_true(len > 512 * 1024); /* more than the spool keeps in memory */
    char *data = malloc(len);
    size_t got = 0;
    ssize_t k;
    while (got < len && (k = read(fd, data + got, len - got)) > 0) got += (size_t)k;
    close(fd);
    assert_int_equal(got, len);
    Book b;
    book_open(&b, data, len);
    const Sheet *s = &b.sheets[0];
    assert_int_equal(s->n, (ROWS + 1) * 3);
    expect_text(s, 2, 1, "K00000");
    expect_text(s, ROWS + 1, 1, "K29999");
    expect_num(s, ROWS + 1, 3, ROWS - 1, 0);
    char want[16];
    snprintf(want, sizeof want, "A1:C%d", ROWS + 1);
    assert_string_equal(s->autofilter, want);
    book_close(&b);
    free(data);
    arena_free(&a);
}

/* A sink that never got a table fails and leaves nothing behind. */
static void test_sink_without_table(void **state)
{
    (void)state;
    TableSink *x = xlsx_sink_new();
    assert_non_null(x);
    int fd = -1;
    size_t len = 0;
    assert_int_equal(xlsx_sink_end(x, &fd, &len), -1);
    assert_int_equal(fd, -1);
}

/* Bytes that are not UTF-8 (a stray byte, an overlong NUL) become U+FFFD,
 * so the sheet stays well-formed XML. */
static void test_invalid_utf8(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    static const char *const h[] = {"文", NULL};
    Table t;
    table_init(&t, &a, "壊れた文字", h);
    table_text(&t, "bad\xC0\x80x\xFFy\xE3\x81");
    Buf out = BUF_INIT;
    assert_int_equal(table_xlsx(&t, &out), 0);
    Book b;
    book_open(&b, out.data, out.len);
    expect_text(&b.sheets[0], 2, 1, "bad\xEF\xBF\xBD\xEF\xBF\xBDx\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBD");
    book_close(&b);
    buf_free(&out);
    arena_free(&a);
}

/* A table Excel cannot hold (more than 16,384 columns) fails, and the
 * output is left as it was. */
static void test_too_wide(void **state)
{
    (void)state;
    enum { N = 16385 };
    const char **h = calloc(N + 1, sizeof *h);
    for (int i = 0; i < N; i++) h[i] = "c";
    Arena a = ARENA_INIT;
    Table t;
    table_init(&t, &a, "広すぎる表", h);
    Buf out = BUF_INIT;
    buf_puts(&out, "before");
    assert_int_equal(table_xlsx(&t, &out), -1);
    assert_string_equal(buf_cstr(&out), "before");
    buf_free(&out);
    arena_free(&a);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_sheets),
        cmocka_unit_test(test_sink_large),
        cmocka_unit_test(test_sink_without_table),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_too_wide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
