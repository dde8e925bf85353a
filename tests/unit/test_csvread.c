/* test_csvread.c - unit tests for src/io/csvread.c (CSV input) and for the
 * default data files in data/ that are read with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/io/csv.h"
#include "../../src/io/csvread.h"
#include "../../src/io/text.h"

/* Parses a string literal (length from sizeof, so embedded NULs count). */
#define PARSE(a, lit, doc, err) csv_parse((a), (lit), sizeof(lit) - 1, (doc), (err))

static void assert_row(const CsvDoc *d, int r, int line, int n, ...)
{
    assert_true(r < d->nrows);
    const CsvRow *row = &d->rows[r];
    assert_int_equal(row->line, line);
    assert_int_equal(row->nfields, n);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) assert_string_equal(row->fields[i], va_arg(ap, const char *));
    va_end(ap);
}

static void expect_error(const char *data, size_t n, int line, int col, int rows_kept)
{
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e = {-7, -7, NULL};
    assert_int_equal(csv_parse(&a, data, n, &d, &e), -1);
    assert_int_equal(e.line, line);
    assert_int_equal(e.col, col);
    assert_non_null(e.msg);
    assert_true(utf8_valid(e.msg, strlen(e.msg)));
    assert_int_equal(d.nrows, rows_kept);
    arena_free(&a);
}
#define EXPECT_ERROR(lit, line, col, kept) expect_error((lit), sizeof(lit) - 1, (line), (col), (kept))

static void test_basic(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e = {0, 0, NULL};
    assert_int_equal(PARSE(&a, "a,b,c\r\n1,2,3\r\n", &d, &e), 0);
    assert_int_equal(d.nrows, 2);
    assert_row(&d, 0, 1, 3, "a", "b", "c");
    assert_row(&d, 1, 2, 3, "1", "2", "3");
    assert_null(e.msg); /* untouched on success */

    /* Japanese text, empty fields, a trailing comma, LF endings. */
    assert_int_equal(PARSE(&a, "職員番号,氏名,\n,国東 太郎,\n", &d, &e), 0);
    assert_int_equal(d.nrows, 2);
    assert_row(&d, 0, 1, 3, "職員番号", "氏名", "");
    assert_row(&d, 1, 2, 3, "", "国東 太郎", "");

    /* Spaces are data; a quote that does not start a field is literal. */
    assert_int_equal(PARSE(&a, " a , b\"c\" ,d\"\n", &d, &e), 0);
    assert_row(&d, 0, 1, 3, " a ", " b\"c\" ", "d\"");

    /* Empty input, NULL with 0 bytes, a lone BOM: no rows, no error. */
    assert_int_equal(csv_parse(&a, "", 0, &d, &e), 0);
    assert_int_equal(d.nrows, 0);
    assert_null(d.rows);
    assert_int_equal(csv_parse(&a, NULL, 0, &d, NULL), 0);
    assert_int_equal(d.nrows, 0);
    assert_int_equal(PARSE(&a, "\xEF\xBB\xBF", &d, &e), 0);
    assert_int_equal(d.nrows, 0);
    arena_free(&a);
}

static void test_bom(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e;
    assert_int_equal(PARSE(&a, "\xEF\xBB\xBF" "コード,名称\r\nK-01,生成AI活用\r\n", &d, &e), 0);
    assert_int_equal(d.nrows, 2);
    assert_row(&d, 0, 1, 2, "コード", "名称");
    assert_row(&d, 1, 2, 2, "K-01", "生成AI活用");
    assert_int_equal(csv_col(&d, "コード"), 0);

    /* A BOM followed by a quoted field. */
    assert_int_equal(PARSE(&a, "\xEF\xBB\xBF\"a,b\"", &d, &e), 0);
    assert_row(&d, 0, 1, 1, "a,b");

    /* Only a leading BOM is skipped; one later on is data (U+FEFF). */
    assert_int_equal(PARSE(&a, "x,\xEF\xBB\xBFy", &d, &e), 0);
    assert_row(&d, 0, 1, 2, "x", "\xEF\xBB\xBFy");
    arena_free(&a);
}

static void test_quotes(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e;
    assert_int_equal(PARSE(&a, "\"a,b\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\r\n", &d, &e), 0);
    assert_int_equal(d.nrows, 1);
    assert_row(&d, 0, 1, 4, "a,b", "say \"hi\"", "", "\"");

    /* Quoted and plain fields mixed; quoted last field without newline. */
    assert_int_equal(PARSE(&a, "1,\"二\",3\r\n\"4\",5,\"六\"", &d, &e), 0);
    assert_int_equal(d.nrows, 2);
    assert_row(&d, 0, 1, 3, "1", "二", "3");
    assert_row(&d, 1, 2, 3, "4", "5", "六");

    /* A line holding only "" is a row with one empty field, not an empty line. */
    assert_int_equal(PARSE(&a, "a\r\n\"\"\r\nb", &d, &e), 0);
    assert_int_equal(d.nrows, 3);
    assert_row(&d, 1, 2, 1, "");
    arena_free(&a);
}

static void test_embedded_newlines(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e;
    /* Excel writes LF inside a cell; CRLF and CR are kept as well. */
    assert_int_equal(PARSE(&a, "id,memo\r\n1,\"一行目\n二行目\"\r\n2,\"x\r\ny\rz\"\r\n3,end\r\n", &d, &e), 0);
    assert_int_equal(d.nrows, 4);
    assert_row(&d, 0, 1, 2, "id", "memo");
    assert_row(&d, 1, 2, 2, "1", "一行目\n二行目");
    assert_row(&d, 2, 4, 2, "2", "x\r\ny\rz");
    assert_row(&d, 3, 7, 2, "3", "end");

    /* A quoted field that is only newlines, then commas inside quotes. */
    assert_int_equal(PARSE(&a, "\"\n\n\",\",\"\nnext", &d, &e), 0);
    assert_int_equal(d.nrows, 2);
    assert_row(&d, 0, 1, 2, "\n\n", ",");
    assert_row(&d, 1, 4, 1, "next");
    arena_free(&a);
}

static void test_line_endings(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e;
    /* CR only (old Mac Excel). */
    assert_int_equal(PARSE(&a, "a,b\rc,d\re,f\r", &d, &e), 0);
    assert_int_equal(d.nrows, 3);
    assert_row(&d, 0, 1, 2, "a", "b");
    assert_row(&d, 1, 2, 2, "c", "d");
    assert_row(&d, 2, 3, 2, "e", "f");

    /* Mixed endings; LF CR is two line breaks (an empty line between). */
    assert_int_equal(PARSE(&a, "1\r\n2\n3\r4\n\r5", &d, &e), 0);
    assert_int_equal(d.nrows, 5);
    assert_row(&d, 0, 1, 1, "1");
    assert_row(&d, 1, 2, 1, "2");
    assert_row(&d, 2, 3, 1, "3");
    assert_row(&d, 3, 4, 1, "4");
    assert_row(&d, 4, 6, 1, "5");

    /* No final newline: the last row is still there. */
    assert_int_equal(PARSE(&a, "a,b\r\nc,d", &d, &e), 0);
    assert_int_equal(d.nrows, 2);
    assert_row(&d, 1, 2, 2, "c", "d");
    assert_int_equal(PARSE(&a, "x", &d, &e), 0);
    assert_row(&d, 0, 1, 1, "x");
    assert_int_equal(PARSE(&a, "x,", &d, &e), 0);
    assert_row(&d, 0, 1, 2, "x", "");
    arena_free(&a);
}

static void test_empty_lines(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e;
    assert_int_equal(PARSE(&a, "\r\n\r\nh1,h2\r\n\r\nv1,v2\n\n\r\r\n", &d, &e), 0);
    assert_int_equal(d.nrows, 2);
    assert_row(&d, 0, 3, 2, "h1", "h2");
    assert_row(&d, 1, 5, 2, "v1", "v2");

    /* A line of commas or spaces is not empty. */
    assert_int_equal(PARSE(&a, "a\n,\n \n", &d, &e), 0);
    assert_int_equal(d.nrows, 3);
    assert_row(&d, 1, 2, 2, "", "");
    assert_row(&d, 2, 3, 1, " ");

    /* Only newlines: nothing. */
    assert_int_equal(PARSE(&a, "\n\r\n\r", &d, &e), 0);
    assert_int_equal(d.nrows, 0);
    arena_free(&a);
}

static void test_errors(void **state)
{
    (void)state;
    /* Unterminated quote: reported where the quoted field starts. */
    EXPECT_ERROR("a,b\r\nc,\"never closed\r\nmore\r\n", 2, 2, 1);
    EXPECT_ERROR("\"", 1, 1, 0);
    EXPECT_ERROR("x\r\n\r\n\"abc\"\"", 3, 1, 1); /* "" is an escaped quote, not a close */

    /* Characters after a closing quote. */
    EXPECT_ERROR("\"abc\"x", 1, 1, 0);
    EXPECT_ERROR("a,b,c\r\nd,e,\"f\" ,g\r\n", 2, 3, 1);
    EXPECT_ERROR("1\n\"multi\nline\"?\n", 3, 1, 1); /* line of the stray character */

    /* NUL bytes, in plain and quoted fields. */
    EXPECT_ERROR("a\0b", 1, 1, 0);
    EXPECT_ERROR("h\r\nx,\"y\0\"", 2, 2, 1);

    /* Message is Japanese and specific. */
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e;
    assert_int_equal(PARSE(&a, "\"abc", &d, &e), -1);
    assert_string_equal(e.msg, "引用符が閉じられていません。");
    assert_int_equal(PARSE(&a, "\"abc\"d", &d, &e), -1);
    assert_true(strstr(e.msg, "引用符") != NULL);
    /* err may be NULL. */
    assert_int_equal(PARSE(&a, "\"abc", &d, NULL), -1);
    arena_free(&a);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    EXPECT_ERROR("\xFF", 1, 1, 0);
    EXPECT_ERROR("a,b\r\nc,d\xFF\r\n", 2, 2, 1);
    /* First bad byte inside a multi-line quoted field: its own line. */
    EXPECT_ERROR("h1,h2\r\nx,\"one\ntwo\nth\x80ree\"\r\n", 4, 2, 1);
    EXPECT_ERROR("a,\xC0\xAF", 1, 2, 0);        /* overlong '/' */
    EXPECT_ERROR("a,b,\xE0\x80\xAF", 1, 3, 0);  /* overlong, 3 bytes */
    EXPECT_ERROR("\xED\xA0\x80", 1, 1, 0);      /* surrogate */
    EXPECT_ERROR("\xF4\x90\x80\x80", 1, 1, 0);  /* above U+10FFFF */
    EXPECT_ERROR("ok\n\xE6\x97", 2, 1, 1);      /* truncated 日 at the end */
    EXPECT_ERROR("\"\xE6\x97\"", 1, 1, 0);      /* truncated by the closing quote */
    EXPECT_ERROR("\xE6\x97,", 1, 1, 0);         /* truncated by a comma */
    /* CP932 bytes are not UTF-8 ("国東" in Shift_JIS). */
    EXPECT_ERROR("\x8D\x91\x93\x8C", 1, 1, 0);

    /* Four-byte characters and U+10FFFF are fine. */
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e;
    assert_int_equal(PARSE(&a, "\xF0\x9F\x98\x80,\xF4\x8F\xBF\xBF,𠮷野家,髙﨑", &d, &e), 0);
    assert_row(&d, 0, 1, 4, "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "𠮷野家", "髙﨑");
    arena_free(&a);
}

static void test_limits(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e;
    Buf b = BUF_INIT;

    /* 1,000 fields are fine, 1,001 are not. */
    for (int i = 0; i < CSV_MAX_FIELDS; i++) buf_puts(&b, i ? ",x" : "x");
    assert_int_equal(csv_parse(&a, b.data, b.len, &d, &e), 0);
    assert_int_equal(d.rows[0].nfields, CSV_MAX_FIELDS);
    buf_puts(&b, "\r\n");
    for (int i = 0; i <= CSV_MAX_FIELDS; i++) buf_puts(&b, i ? ",y" : "y");
    assert_int_equal(csv_parse(&a, b.data, b.len, &d, &e), -1);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, CSV_MAX_FIELDS + 1);
    assert_int_equal(d.nrows, 1);

    /* 1,000,000 rows are fine, one more is not (empty lines do not count). */
    buf_reset(&b);
    buf_puts(&b, "\n\n");
    for (int i = 0; i < CSV_MAX_ROWS; i++) buf_append(&b, "1\n", 2);
    arena_free(&a);
    assert_int_equal(csv_parse(&a, b.data, b.len, &d, &e), 0);
    assert_int_equal(d.nrows, CSV_MAX_ROWS);
    assert_int_equal(d.rows[CSV_MAX_ROWS - 1].line, CSV_MAX_ROWS + 2);
    buf_append(&b, "\n2", 2);
    arena_free(&a);
    assert_int_equal(csv_parse(&a, b.data, b.len, &d, &e), -1);
    assert_int_equal(e.line, CSV_MAX_ROWS + 4);
    assert_int_equal(d.nrows, CSV_MAX_ROWS);
    assert_string_equal(d.rows[CSV_MAX_ROWS - 1].fields[0], "1");

    buf_free(&b);
    arena_free(&a);
}

static void test_col(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e;
    assert_int_equal(PARSE(&a, "\xEF\xBB\xBF" " コード ,\t名称\t,\xE3\x80\x80説明\xE3\x80\x80,名称,,\"出 典\"\r\n1,2\r\n", &d, &e), 0);
    assert_int_equal(csv_col(&d, "コード"), 0);
    assert_int_equal(csv_col(&d, "名称"), 1); /* first match wins */
    assert_int_equal(csv_col(&d, "説明"), 2);
    assert_int_equal(csv_col(&d, ""), 4);
    assert_int_equal(csv_col(&d, "出 典"), 5); /* inner spaces are kept */
    assert_int_equal(csv_col(&d, "出典"), -1);
    assert_int_equal(csv_col(&d, "レベル0"), -1);
    assert_int_equal(csv_col(&d, "1"), -1); /* only the header row counts */

    assert_string_equal(csv_field(&d.rows[1], 1), "2");
    assert_string_equal(csv_field(&d.rows[1], 5), "");
    assert_string_equal(csv_field(&d.rows[1], -1), "");

    CsvDoc empty = {NULL, 0};
    assert_int_equal(csv_col(&empty, "コード"), -1);
    arena_free(&a);
}

/* ---- default data files ---- */

/* Reads data/<name>; tests run from the repository root, but try a few
 * parents too so the binary also works from its build directory. */
static char *load_data(const char *name, size_t *n)
{
    static const char *const dirs[] = {"data/", "../data/", "../../data/", "../../../data/", "../../../../data/"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s%s", dirs[i], name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        Buf b = BUF_INIT;
        char chunk[4096];
        size_t k;
        while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, k);
        fclose(f);
        *n = b.len;
        return buf_detach(&b);
    }
    fail_msg("data/%s not found", name);
    return NULL;
}

static const char *const MAP_HEAD[] = {
    "上位コード", "コード", "名称", "説明", "出典", "レベル0", "レベル1", "レベル2", "レベル3", "レベル4",
    "目標_一般職員", "目標_DX推進リーダー", "目標_高度専門人材",
};
enum { M_PARENT, M_CODE, M_NAME, M_DESC, M_SRC, M_L0, M_T0 = 10, M_NCOLS = 13 };

static bool starts_with_bom_crlf(const char *s, size_t n)
{
    if (n < 3 || memcmp(s, "\xEF\xBB\xBF", 3) != 0) return false;
    for (size_t i = 0; i < n; i++) /* every LF is part of a CRLF */
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
    return n >= 2 && s[n - 2] == '\r' && s[n - 1] == '\n';
}

static int find_code(const CsvDoc *d, const char *code)
{
    for (int r = 1; r < d->nrows; r++)
        if (strcmp(d->rows[r].fields[M_CODE], code) == 0) return r;
    return -1;
}

static bool is_category(const CsvDoc *d, const char *code)
{
    for (int r = 1; r < d->nrows; r++)
        if (strcmp(d->rows[r].fields[M_PARENT], code) == 0) return true;
    return false;
}

/* Structural checks shared by skillmap.csv and dss_p.csv; returns the number
 * of item rows. */
static int check_map(const CsvDoc *d)
{
    assert_true(d->nrows > 1);
    assert_int_equal(d->rows[0].nfields, M_NCOLS);
    for (int c = 0; c < M_NCOLS; c++) {
        assert_string_equal(d->rows[0].fields[c], MAP_HEAD[c]);
        assert_int_equal(csv_col(d, MAP_HEAD[c]), c);
    }
    int items = 0;
    for (int r = 1; r < d->nrows; r++) {
        const CsvRow *row = &d->rows[r];
        assert_int_equal(row->nfields, M_NCOLS);
        const char *code = row->fields[M_CODE];
        assert_true(code[0] != '\0');
        assert_int_equal(find_code(d, code), r); /* codes are unique */
        assert_true(row->fields[M_NAME][0] != '\0');
        assert_true(row->fields[M_DESC][0] != '\0');
        const char *src = row->fields[M_SRC];
        assert_true(!strcmp(src, "DSS-L") || !strcmp(src, "DSS-P") || !strcmp(src, "独自"));
        const char *parent = row->fields[M_PARENT];
        if (parent[0]) { /* parents come first */
            int p = find_code(d, parent);
            assert_true(p > 0 && p < r);
        }
        for (int l = 0; l < 5; l++) assert_true(utf8_chars(row->fields[M_L0 + l]) <= 60);
        bool cat = is_category(d, code);
        for (int t = 0; t < 3; t++) {
            const char *v = row->fields[M_T0 + t];
            if (cat) {
                assert_string_equal(v, "");
            } else if (v[0]) {
                assert_true(v[0] >= '0' && v[0] <= '4' && v[1] == '\0');
            }
        }
        if (cat) continue;
        items++;
        /* Descriptors: all five on the item, or inherited from an ancestor. */
        const CsvRow *from = row;
        while (from->fields[M_L0][0] == '\0') {
            int p = find_code(d, from->fields[M_PARENT]);
            if (p < 0) fail_msg("%s: no level descriptors", code);
            from = &d->rows[p];
        }
        for (int l = 0; l < 5; l++)
            if (from->fields[M_L0 + l][0] == '\0') fail_msg("%s: level %d descriptor empty", code, l);
    }
    return items;
}

static void test_data_skillmap(void **state)
{
    (void)state;
    size_t n;
    char *s = load_data("skillmap.csv", &n);
    assert_true(starts_with_bom_crlf(s, n));
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e = {0, 0, NULL};
    if (csv_parse(&a, s, n, &d, &e) < 0) fail_msg("line %d col %d: %s", e.line, e.col, e.msg);
    assert_int_equal(check_map(&d), 33);

    /* Categories and where they sit. */
    static const struct { const char *code, *parent, *src; int items; } cats[] = {
        {"L-MIND", "", "DSS-L", 7}, {"L-WHY", "", "DSS-L", 3},   {"L-WHAT", "", "DSS-L", 0},
        {"L-DATA", "L-WHAT", "DSS-L", 4}, {"L-TECH", "L-WHAT", "DSS-L", 4},
        {"L-HOW", "", "DSS-L", 5},  {"K", "", "独自", 10},
    };
    int ncat = 0;
    for (int r = 1; r < d.nrows; r++) ncat += is_category(&d, d.rows[r].fields[M_CODE]);
    assert_int_equal(ncat, (int)(sizeof cats / sizeof *cats));
    for (size_t i = 0; i < sizeof cats / sizeof *cats; i++) {
        int r = find_code(&d, cats[i].code);
        if (r < 0) fail_msg("category %s missing", cats[i].code);
        assert_true(is_category(&d, cats[i].code));
        assert_string_equal(d.rows[r].fields[M_PARENT], cats[i].parent);
        assert_string_equal(d.rows[r].fields[M_SRC], cats[i].src);
        int k = 0;
        for (int q = 1; q < d.nrows; q++)
            if (!strcmp(d.rows[q].fields[M_PARENT], cats[i].code) && !is_category(&d, d.rows[q].fields[M_CODE])) {
                k++;
                assert_string_equal(d.rows[q].fields[M_SRC], cats[i].src);
            }
        assert_int_equal(k, cats[i].items);
    }

    /* Targets per item: DOMAIN.md §2 (一般 / リーダー / 高度, "-" = empty). */
    static const struct { const char *code, *name, *t; } want[] = {
        {"L-MIND-01", "変化への適応", "233"},          {"L-MIND-02", "コラボレーション", "233"},
        {"L-MIND-03", "顧客・ユーザーへの共感", "233"}, {"L-MIND-04", "常識にとらわれない発想", "233"},
        {"L-MIND-05", "反復的なアプローチ", "233"},    {"L-MIND-06", "柔軟な意思決定", "233"},
        {"L-MIND-07", "事実に基づく判断", "233"},
        {"L-WHY-01", "社会の変化", "123"},             {"L-WHY-02", "顧客価値の変化", "123"},
        {"L-WHY-03", "競争環境の変化", "123"},
        {"L-DATA-01", "社会におけるデータ", "233"},     {"L-DATA-02", "データを読む・説明する", "233"},
        {"L-DATA-03", "データを扱う", "133"},          {"L-DATA-04", "データによって判断する", "133"},
        {"L-TECH-01", "AI", "233"},                    {"L-TECH-02", "クラウド", "123"},
        {"L-TECH-03", "ハードウェア・ソフトウェア", "123"}, {"L-TECH-04", "ネットワーク", "124"},
        {"L-HOW-01", "活用事例", "133"},               {"L-HOW-02", "ツール利用", "233"},
        {"L-HOW-03", "セキュリティ", "334"},           {"L-HOW-04", "モラル", "334"},
        {"L-HOW-05", "コンプライアンス", "334"},
        {"K-01", "ノーコード/ローコード活用", "133"},   {"K-02", "生成AI活用", "233"},
        {"K-03", "業務改善・BPR", "134"},              {"K-04", "行政サービスのデジタル化", "133"},
        {"K-05", "職場還元・ナレッジ共有", "-33"},      {"K-06", "ネットワーク・インフラ維持", "-14"},
        {"K-07", "情報セキュリティ管理・インシデント対応", "-24"},
        {"K-08", "基幹・業務システム保守管理・調達", "-14"},
        {"K-09", "施策立案・ロードマップ", "-24"},      {"K-10", "伴走支援", "-23"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        int r = find_code(&d, want[i].code);
        if (r < 0) fail_msg("item %s missing", want[i].code);
        assert_string_equal(d.rows[r].fields[M_NAME], want[i].name);
        for (int t = 0; t < 3; t++) {
            char exp[2] = {want[i].t[t] == '-' ? '\0' : want[i].t[t], '\0'};
            assert_string_equal(d.rows[r].fields[M_T0 + t], exp);
        }
    }
    /* Items that matter most carry their own descriptors. */
    static const char *const own[] = {"L-HOW-03", "L-TECH-01", "K-02"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++)
        assert_true(d.rows[find_code(&d, own[i])].fields[M_L0 + 4][0] != '\0');

    arena_free(&a);
    free(s);
}

static void test_data_dss_p(void **state)
{
    (void)state;
    size_t n;
    char *s = load_data("dss_p.csv", &n);
    assert_true(starts_with_bom_crlf(s, n));
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e = {0, 0, NULL};
    if (csv_parse(&a, s, n, &d, &e) < 0) fail_msg("line %d col %d: %s", e.line, e.col, e.msg);
    assert_int_equal(check_map(&d), 49);
    static const char *const cats[] = {"P-BIZ", "P-DATA", "P-TECH", "P-SEC", "P-PERS"};
    int ncat = 0, total = 0;
    for (int r = 1; r < d.nrows; r++) {
        const CsvRow *row = &d.rows[r];
        assert_string_equal(row->fields[M_SRC], "DSS-P");
        if (is_category(&d, row->fields[M_CODE])) {
            ncat++;
            assert_string_equal(row->fields[M_PARENT], ""); /* flat: five top-level categories */
            assert_true(row->fields[M_L0][0] != '\0');
            continue;
        }
        for (int t = 0; t < 3; t++) assert_string_equal(row->fields[M_T0 + t], "");
        /* item code = category code + "-NN" */
        const char *p = row->fields[M_PARENT];
        assert_int_equal(strncmp(row->fields[M_CODE], p, strlen(p)), 0);
        assert_int_equal(row->fields[M_CODE][strlen(p)], '-');
    }
    assert_int_equal(ncat, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_true(is_category(&d, cats[i]));
        for (int r = 1; r < d.nrows; r++) total += !strcmp(d.rows[r].fields[M_PARENT], cats[i]);
    }
    assert_int_equal(total, 49);
    arena_free(&a);
    free(s);
}

static void test_data_qualifications(void **state)
{
    (void)state;
    size_t n, mn;
    char *s = load_data("qualifications.csv", &n);
    char *ms = load_data("skillmap.csv", &mn);
    assert_true(starts_with_bom_crlf(s, n));
    Arena a = ARENA_INIT;
    CsvDoc d, map;
    CsvError e = {0, 0, NULL};
    if (csv_parse(&a, s, n, &d, &e) < 0) fail_msg("line %d col %d: %s", e.line, e.col, e.msg);
    assert_int_equal(csv_parse(&a, ms, mn, &map, &e), 0);
    static const char *const head[] = {"コード", "名称", "ITSSレベル", "有効期限の有無", "関連項目コード"};
    assert_int_equal(d.rows[0].nfields, 5);
    for (int c = 0; c < 5; c++) assert_string_equal(d.rows[0].fields[c], head[c]);
    assert_true(d.nrows >= 13);
    for (int r = 1; r < d.nrows; r++) {
        const CsvRow *row = &d.rows[r];
        assert_int_equal(row->nfields, 5);
        assert_true(row->fields[0][0] && row->fields[1][0]);
        for (int q = 1; q < r; q++) assert_string_not_equal(d.rows[q].fields[0], row->fields[0]);
        const char *lv = row->fields[2];
        assert_true(lv[0] >= '1' && lv[0] <= '4' && lv[1] == '\0');
        assert_true(!strcmp(row->fields[3], "あり") || !strcmp(row->fields[3], "なし"));
        /* Every related code names an item of skillmap.csv. */
        char *codes = arena_strdup(&a, row->fields[4]);
        int k = 0;
        for (char *save = NULL, *c = strtok_r(codes, ";", &save); c; c = strtok_r(NULL, ";", &save), k++) {
            int m = find_code(&map, c);
            if (m < 0 || is_category(&map, c)) fail_msg("%s: unknown item %s", row->fields[0], c);
        }
        assert_true(k > 0);
    }
    int sc = -1, sg = -1;
    for (int r = 1; r < d.nrows; r++) {
        if (!strcmp(d.rows[r].fields[0], "SC")) sc = r;
        if (!strcmp(d.rows[r].fields[0], "SG")) sg = r;
    }
    assert_true(sc > 0 && sg > 0);
    assert_string_equal(d.rows[sc].fields[3], "あり");
    assert_string_equal(d.rows[sc].fields[2], "4");
    assert_string_equal(d.rows[sg].fields[4], "L-HOW-03;L-HOW-05;K-07");
    arena_free(&a);
    free(s);
    free(ms);
}

/* The formula guard of csv.h comes off on reading; blank rows; column letters. */
static void test_guard_and_blank(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    CsvDoc d;
    CsvError e = {0, 0, NULL};
    assert_int_equal(PARSE(&a, "'=1+2,\"'-K001\",'-5,'-,'abc,''=1,'@x,'+A\r\n,,,\r\n , ,\r\n", &d, &e), 0);
    assert_row(&d, 0, 1, 8, "=1+2", "-K001", "'-5", "'-", "'abc", "'=1", "@x", "+A");
    assert_false(csv_row_blank(&d.rows[0]));
    assert_true(csv_row_blank(&d.rows[1]));
    assert_true(csv_row_blank(&d.rows[2]));
    char l[4];
    csv_col_letter(0, l);
    assert_string_equal(l, "A");
    csv_col_letter(25, l);
    assert_string_equal(l, "Z");
    csv_col_letter(26, l);
    assert_string_equal(l, "AA");
    csv_col_letter(701, l);
    assert_string_equal(l, "ZZ");
    csv_col_letter(702, l);
    assert_string_equal(l, "AAA");
    /* What csv_cell guards reads back as it was. */
    static const char *const values[] = {"=1", "-", "-5", "-1.5", "+1,000", "-1e3", "-K001", "- 備考", "@x", "'=1", "''-a", "'-5", "plain", "", "+", "\t=1"};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        const char *v = values[i];
        char *w = arena_printf(&a, "%s%s", csv_guarded(v) ? "'" : "", v);
        assert_string_equal(csv_unguard(w), v);
    }
    assert_false(csv_guarded("-"));
    assert_false(csv_guarded("-5"));
    assert_false(csv_guarded("-1.5"));
    assert_false(csv_guarded("+1,000"));
    assert_true(csv_guarded("-K001"));
    assert_true(csv_guarded("-1+A1"));
    assert_true(csv_guarded("=1"));
    assert_true(csv_guarded("@SUM(A1)"));
    arena_free(&a);
}

/* The row-by-row reader gives the rows csv_parse_any gives, and refuses
 * what it refuses, with the same error, before any row is read. */
static void same_as_parse(const char *data, size_t n)
{
    Arena a = ARENA_INIT, row_a = ARENA_INIT;
    CsvDoc d;
    CsvError e1 = {0, 0, NULL}, e2 = {0, 0, NULL};
    const char *enc1 = NULL, *enc2 = NULL;
    int rc = csv_parse_any(&a, data, n, &d, &e1, &enc1);
    CsvReader r;
    int rc2 = csv_open_any(&a, data, n, &r, &e2, &enc2);
    assert_int_equal(rc2, rc);
    if (rc) {
        assert_int_equal(e2.line, e1.line);
        assert_int_equal(e2.col, e1.col);
        assert_string_equal(e2.msg, e1.msg);
        if (d.nrows) assert_string_equal(csv_field(&r.head.rows[0], 0), csv_field(&d.rows[0], 0));
    } else {
        assert_string_equal(enc2, enc1);
        assert_int_equal(r.nrows, d.nrows);
        CsvRow row;
        int k = 0;
        for (; csv_next(&r, &row_a, &row) == 1; k++, arena_free(&row_a)) {
            assert_true(k < d.nrows);
            assert_int_equal(row.line, d.rows[k].line);
            assert_int_equal(row.nfields, d.rows[k].nfields);
            for (int f = 0; f < row.nfields; f++) assert_string_equal(row.fields[f], d.rows[k].fields[f]);
        }
        assert_int_equal(k, d.nrows);
        assert_int_equal(csv_col(&r.head, "b"), csv_col(&d, "b"));
    }
    csv_close(&r);
    arena_free(&row_a);
    arena_free(&a);
}
#define SAME(lit) same_as_parse((lit), sizeof(lit) - 1)

static void test_reader(void **state)
{
    (void)state;
    SAME("a,b,c\r\n1,2,3\r\n");
    SAME("\xEF\xBB\xBF" "a,b\n\n\"x\ny\",\"q\"\"\"\r\n,\n'=1,z");
    SAME("a,b\r1,2\r\r3\r");
    SAME("");
    SAME("\n\n");
    SAME("a,b\n\x8a\xbf\x8e\x9a,\x82\xa0\n"); /* CP932: 漢字,あ */
    SAME("a,b\n1,2\n3,\"open\n");          /* error at the last row */
    SAME("a,b\n1,2\n3,\"x\"y\n");
    SAME("a,b\n1,\xff\xfe\n");
    SAME("\xEF\xBB\xBF" "a,b\n1,\xC3\n");    /* a BOM, then bytes that are not UTF-8 */
    SAME("PK\x03\x04rest");
    SAME("a,b\n1,\0002\n");
    SAME("\xEF\xBB\xBF\xEF\xBB\xBF@\n*     "); /* two BOMs (found by fuzz_csv) */
}

/* The import's cells go through text_nfkc: ASCII comes back trimmed and
 * otherwise as it is (without the Unicode tables), anything else as NFKC. */
static void test_nfkc_ascii(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    assert_string_equal(text_nfkc(&a, "  K-01 a\t"), "K-01 a");
    assert_string_equal(text_nfkc(&a, ""), "");
    assert_string_equal(text_nfkc(&a, "\x01~"), "\x01~");
    assert_string_equal(text_nfkc(&a, "\xE3\x80\x80ＡＢ１２\xE3\x80\x80"), "AB12"); /* full width, U+3000 around */
    assert_string_equal(text_nfkc(&a, "ab\xff"), "");                                /* not UTF-8 */
    arena_free(&a);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_embedded_newlines),
        cmocka_unit_test(test_line_endings),
        cmocka_unit_test(test_empty_lines),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_nfkc_ascii),
        cmocka_unit_test(test_col),
        cmocka_unit_test(test_guard_and_blank),
        cmocka_unit_test(test_data_skillmap),
        cmocka_unit_test(test_data_dss_p),
        cmocka_unit_test(test_data_qualifications),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
