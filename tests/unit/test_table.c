/* test_table.c - one Table written as CSV and as .xlsx: same cells, numbers
 * as numbers, and formula-looking text never run as a formula. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/table.h"

static const char *const head[] = {"職員番号", "氏名", "人数", "備考", NULL};

static void fill(Table *t, Arena *a)
{
    table_init(t, a, "職員一覧/テスト:2026年度[全庁]", head);
    table_text(t, "A0001");
    table_text(t, "山田　花子");
    table_int(t, 12);
    table_text(t, "=1+2");
    table_text(t, "A0002");
    table_text(t, "佐藤 一郎, 主任");
    table_num(t, 2.5);
    table_text(t, "@x");
    table_text(t, "A0003");
    table_text(t, NULL);
    table_int(t, -3);
    table_text(t, "-3");
}

static void test_csv(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Table t;
    fill(&t, &a);
    assert_int_equal(t.ncols, 4);
    assert_int_equal(table_rows(&t), 3);
    Buf b = BUF_INIT;
    table_csv(&t, &b);
    assert_string_equal(buf_cstr(&b), "\xEF\xBB\xBF職員番号,氏名,人数,備考\r\n"
                                      "A0001,山田　花子,12,\"'=1+2\"\r\n"
                                      "A0002,\"佐藤 一郎, 主任\",2.5,\"'@x\"\r\n"
                                      "A0003,,-3,-3\r\n");
    buf_free(&b);
    arena_free(&a);
}

/* The member of the xlsx zip at path, read with unzip -p; NULL if it fails. */
static char *unzip_member(const char *file, const char *member)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "/usr/bin/unzip -p '%s' '%s'", file, member);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    Buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) buf_append(&b, chunk, n);
    int rc = pclose(p);
    if (rc != 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

static void test_xlsx(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Table t;
    fill(&t, &a);
    Buf b = BUF_INIT;
    assert_int_equal(table_xlsx(&t, &b), 0);
    assert_true(b.len > 4);
    assert_memory_equal(b.data, "PK\x03\x04", 4);

    if (access("/usr/bin/unzip", X_OK) == 0) {
        char path[] = "/tmp/jinzai-test-XXXXXX.xlsx";
        int fd = mkstemps(path, 5);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
        close(fd);

        char *sheet = unzip_member(path, "xl/worksheets/sheet1.xml");
        char *book = unzip_member(path, "xl/workbook.xml");
        unlink(path);
        assert_non_null(sheet);
        assert_non_null(book);
        /* Text cells are inline strings, never formulas. */
        assert_null(strstr(sheet, "<f>"));
        assert_null(strstr(sheet, "<f "));
        assert_non_null(strstr(sheet, "<c t=\"inlineStr\"><is><t>=1+2</t></is></c>"));
        assert_non_null(strstr(sheet, "<t>@x</t>"));
        assert_non_null(strstr(sheet, "山田　花子"));
        assert_non_null(strstr(sheet, "<c s=\"1\" t=\"inlineStr\"><is><t>職員番号</t></is></c>"));
        /* Numbers stay numbers. */
        assert_non_null(strstr(sheet, "<v>12</v>"));
        assert_non_null(strstr(sheet, "<v>2.5</v>"));
        /* Frozen header, autofilter over header + 3 rows, landscape A4. */
        assert_non_null(strstr(sheet, "state=\"frozen\""));
        assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:D4\""));
        assert_non_null(strstr(sheet, "paperSize=\"9\""));
        assert_non_null(strstr(sheet, "orientation=\"landscape\""));
        /* The sheet name: forbidden characters replaced, at most 31 chars. */
        assert_non_null(strstr(book, "name=\"職員一覧_テスト_2026年度_全庁_\""));
        free(sheet);
        free(book);
    }
    buf_free(&b);
    arena_free(&a);
}

/* Dates are Excel dates (a serial number with a date format), in CSV as
 * they were given. */
static void test_dates(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    static const char *const h[] = {"日", "日時", "文字", NULL};
    Table t;
    table_init(&t, &a, "日付", h);
    table_date(&t, "2026-04-01");
    table_date(&t, "2026-05-01T09:30");
    table_date(&t, "未定");
    table_date(&t, "");
    table_date(&t, NULL);
    table_text(&t, "2026-04-02");
    assert_true(t.cells[0].date && t.cells[1].date);
    assert_false(t.cells[2].date || t.cells[3].date || t.cells[4].date);
    table_date_column(&t, 0);
    assert_true(t.cells[3].date == false);
    Buf c = BUF_INIT;
    table_csv(&t, &c);
    assert_string_equal(buf_cstr(&c), "\xEF\xBB\xBF日,日時,文字\r\n2026-04-01,2026-05-01T09:30,未定\r\n,,2026-04-02\r\n");
    buf_free(&c);
    Buf b = BUF_INIT;
    assert_int_equal(table_xlsx(&t, &b), 0);
    if (access("/usr/bin/unzip", X_OK) == 0) {
        char path[] = "/tmp/jinzai-test-XXXXXX.xlsx";
        int fd = mkstemps(path, 5);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
        close(fd);
        char *sheet = unzip_member(path, "xl/worksheets/sheet1.xml");
        char *styles = unzip_member(path, "xl/styles.xml");
        unlink(path);
        assert_non_null(sheet);
        assert_non_null(styles);
        /* 2026-04-01 is serial 46113; 09:30 is 0.395833… of a day. */
        assert_non_null(strstr(sheet, "<v>46113</v>"));
        assert_non_null(strstr(sheet, "<v>46143.395833"));
        assert_non_null(strstr(styles, "formatCode=\"yyyy/m/d\""));
        assert_non_null(strstr(styles, "formatCode=\"yyyy/m/d h:mm\""));
        free(sheet);
        free(styles);
    }
    buf_free(&b);
    arena_free(&a);
}

static void test_xlsx_long_title_and_widths(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    static const char *const h[] = {"名", NULL};
    Table t;
    /* 40 kanji: the name must be cut at 31 characters, not 31 bytes. */
    table_init(&t, &a, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十", h);
    table_text(&t, "あいうえおかきくけこ"); /* 20 columns wide -> width 22 */
    Buf b = BUF_INIT;
    assert_int_equal(table_xlsx(&t, &b), 0);
    if (access("/usr/bin/unzip", X_OK) == 0) {
        char path[] = "/tmp/jinzai-test-XXXXXX.xlsx";
        int fd = mkstemps(path, 5);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
        close(fd);
        char *book = unzip_member(path, "xl/workbook.xml");
        char *sheet = unzip_member(path, "xl/worksheets/sheet1.xml");
        unlink(path);
        assert_non_null(book);
        assert_non_null(sheet);
        assert_non_null(strstr(book, "name=\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\""));
        assert_non_null(strstr(sheet, "width=\"22."));
        free(book);
        free(sheet);
    }
    buf_free(&b);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_xlsx_long_title_and_widths),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
