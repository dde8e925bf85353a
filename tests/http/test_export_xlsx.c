/* test_export_xlsx.c - /export/assessments?format=xlsx through the server:
 * the download is a workbook whose sheet holds every answer of the 年度
 * (read back with libzip and libxml2), the same sheet the whole-table
 * writer makes of export_table, and the export is audited. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "auth/roles.h"
#include "domain/export.h"
#include "harness.h"

static Who users[] = {{.login = "jinji", .roles = ROLE_HR}};
HARNESS_SETUP("export_xlsx", users)

/* The member name of the xlsx in data (NUL-terminated, malloc'd). */
static char *xlsx_member(const char *data, size_t len, const char *name)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    assert_non_null(src);
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    zip_file_t *f = zip_fopen(z, name, 0);
    assert_non_null(f);
    char *out = malloc(st.size + 1);
    zip_int64_t got = 0, k;
    while ((k = zip_fread(f, out + got, st.size - (zip_uint64_t)got)) > 0) got += k;
    assert_int_equal(zip_fclose(f), 0); /* the CRC matched */
    assert_int_equal((zip_uint64_t)got, st.size);
    out[got] = '\0';
    zip_discard(z);
    return out;
}

/* The rows of a sheet, and the inline text of its first cell in row r. */
static int sheet_rows(const char *xml, int r, char *first, size_t cap)
{
    xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "sheet1.xml", NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    assert_non_null(doc);
    int rows = 0;
    for (xmlNode *n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "sheetData") != 0) continue;
        for (xmlNode *row = n->children; row; row = row->next) {
            if (row->type != XML_ELEMENT_NODE) continue;
            if (++rows != r) continue;
            xmlChar *s = xmlNodeGetContent(row->children); /* <c><is><t>text */
            snprintf(first, cap, "%s", (const char *)s);
            xmlFree(s);
        }
    }
    xmlFreeDoc(doc);
    return rows;
}

static void test_download(void **state)
{
    (void)state;
    int answers = count("SELECT COUNT(*) FROM assessment_item y JOIN assessment x ON x.id = y.assessment_id WHERE x.nendo = 2026");
    int audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'export.assessments'");
    Res r = req("GET", "/export/assessments?format=xlsx&nendo=2026", user("jinji")->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    assert_true(has(&r, ".xlsx"));
    size_t len = r.raw.len - (size_t)(r.body - r.raw.data);
    char *sheet = xlsx_member(r.body, len, "xl/worksheets/sheet1.xml");
    char *book = xlsx_member(r.body, len, "xl/workbook.xml");

    /* Every answer is a row under the header; the first is the table's. */
    Arena a = ARENA_INIT;
    Table t;
    assert_int_equal(export_table(db, &a, "assessments", 2026, "2026-11-16", &t), 0);
    assert_int_equal(table_rows(&t), answers);
    char first[256] = "";
    assert_int_equal(sheet_rows(sheet, 2, first, sizeof first), answers + 1);
    assert_string_equal(first, t.cells[0].text);
    assert_non_null(strstr(sheet, "state=\"frozen\""));
    assert_non_null(strstr(sheet, fmt("<autoFilter ref=\"A1:K%d\"/>", answers + 1)));
    assert_non_null(strstr(book, "<sheet name=\"自己評価\""));

    /* The streamed sheet is the whole-table writer's, byte for byte. */
    Buf whole = BUF_INIT;
    assert_int_equal(table_xlsx(&t, &whole), 0);
    char *wsheet = xlsx_member(whole.data, whole.len, "xl/worksheets/sheet1.xml");
    assert_string_equal(sheet, wsheet);

    /* Stored: one audit row naming the format and the rows. */
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'export.assessments'"), audits + 1);
    char *detail = db_text(db, &a, "SELECT summary FROM audit_log WHERE action = 'export.assessments' ORDER BY id DESC LIMIT 1");
    assert_non_null(detail);
    assert_non_null(strstr(detail, fmt("%d行", answers)));
    free(wsheet);
    buf_free(&whole);
    free(sheet);
    free(book);
    buf_free(&r.raw);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_download),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
