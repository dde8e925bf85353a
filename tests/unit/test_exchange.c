/* test_exchange.c - files as a city's HR system and Excel write them, read
 * by the roster import (roster.h): rows of empty cells, dates with a time,
 * cells guarded against formulas, 職員番号 in another case, line breaks in a
 * cell, blank optional cells, codes that lost their leading zeros; and
 * search over stored keys that fold 異体字. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <unistd.h>

#include "core/embed.h"
#include "core/util.h"
#include "domain/roster.h"
#include "domain/staff.h"
#include "io/csv.h"
#include "io/text.h"
#include "../tmpdb.h"

static Db *db;
static char path[64];
static Arena a;
static int64_t unit;

#define HEAD "職員番号,漢字氏名,カナ氏名,所属コード,職位,職種,職員区分,異動年月日,採用日\r\n"
#define AS_OF "2026-08-01"

static int64_t person(const char *no, const char *name, const char *kana, const char *post)
{
    int64_t id = db_int(db, 0,
                        "INSERT INTO staff (staff_no, name, kana, search_key, post, emp_type, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, 'regular', 'x', 'x') RETURNING id",
                        no, name, kana, staff_search_key(&a, no, name, kana), post);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date) VALUES (?, ?, '2020-04-01')", id, unit);
    return id;
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "exchange");
    if (!db) return -1;
    unit = db_int(db, 0, "INSERT INTO org_unit (code, name, level, valid_from) VALUES ('00123', '総務課', 3, '2020-04-01') RETURNING id");
    person("K90091", "山田　花子", "ヤマダ　ハナコ", "主事");
    person("00456", "佐藤　一郎", "サトウ　イチロウ", "主任");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    arena_free(&a);
    return 0;
}

/* Plans csv with the standard profile; the errors into e. */
static int plan(const char *csv, RosterPlan *p, Errors *e)
{
    RosterProfile prof;
    roster_profile_default(&prof);
    memset(p, 0, sizeof *p);
    memset(e, 0, sizeof *e);
    return roster_plan(db, &a, csv, strlen(csv), &prof, AS_OF, p, e);
}

static bool has_error(const Errors *e, const char *part)
{
    for (int i = 0; i < e->n; i++)
        if (strstr(e->items[i].msg, part)) return true;
    for (int i = 0; i < e->n; i++) fprintf(stderr, "  %s\n", e->items[i].msg);
    return false;
}

static const RosterRow *row_of(const RosterPlan *p, const char *no)
{
    for (int i = 0; i < p->n; i++)
        if (str_eq(p->rows[i].staff_no, no)) return &p->rows[i];
    return NULL;
}

/* The two people on file as they are: nothing to change. */
#define BOTH "K90091,山田　花子,ヤマダ　ハナコ,00123,主事,,,,\r\n00456,佐藤　一郎,サトウ　イチロウ,00123,主任,,,,\r\n"

static void test_trailing_commas_and_blank_rows(void **state)
{
    (void)state;
    RosterPlan p;
    Errors e;
    /* Excel keeps the width of the sheet: a short row ends in commas, and
     * rows below the data are nothing but commas (or spaces). */
    assert_int_equal(plan(HEAD BOTH "K90092,大分　三郎,,00123,,,,,\r\n,,,,,,,,\r\n, ,　,,,,,,\r\n,,,,\r\n", &p, &e), 0);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.counts[RC_NEW], 1);
    assert_int_equal(p.counts[RC_UNCHANGED], 2);
    assert_int_equal(p.counts[RC_MISSING], 0);
    assert_int_equal(row_of(&p, "K90092")->line, 4);
}

static void test_dates_with_time(void **state)
{
    (void)state;
    static const char *const forms[] = {"2026/4/1 0:00", "2026/04/01 00:00:00", "2026-04-01T00:00:00", "2026-04-01T09:30:00+09:00", "令和8年4月1日"};
    for (size_t i = 0; i < COUNTOF(forms); i++) {
        RosterPlan p;
        Errors e;
        char *csv = arena_printf(&a, HEAD BOTH "K90093,新田　四郎,,00123,,,,,%s\r\n", forms[i]);
        assert_int_equal(plan(csv, &p, &e), 0);
        assert_string_equal(row_of(&p, "K90093")->hired_on, "2026-04-01");
    }
    RosterPlan p;
    Errors e;
    assert_int_equal(plan(HEAD BOTH "K90093,新田　四郎,,00123,,,,,2026年13月1日\r\n", &p, &e), -1);
    assert_true(has_error(&e, "4行目「採用日」：「2026年13月1日」は日付として読めません。2026-04-01、2026/4/1、令和8年4月1日 の形で入力してください。"));
}

static void test_guarded_cells_read_back(void **state)
{
    (void)state;
    /* An export of the roster as csv_cell writes it, read back: the guard
     * comes off, plain numbers and a lone "-" were never guarded. */
    Buf b = BUF_INIT;
    Csv c;
    csv_begin(&c, &b);
    const char *heads[RF_COUNT + 1] = {0};
    for (int f = 0; f < RF_COUNT; f++) heads[f] = roster_default_headers[f];
    csv_header(&c, heads);
    static const char *const cells[][9] = {
        {"-K001", "＝山田", "", "00123", "-", "=SUM(A1)", "", "", ""},
        {"K90094", "@佐藤", "", "00123", "-5", "+課長", "", "", ""},
    };
    for (size_t r = 0; r < COUNTOF(cells); r++) {
        for (int f = 0; f < 9; f++) csv_cell(&c, cells[r][f]);
        csv_row_end(&c);
    }
    const char *text = buf_cstr(&b);
    assert_non_null(strstr(text, "\"'-K001\",＝山田,,00123,-,\"'=SUM(A1)\""));
    assert_non_null(strstr(text, "\"'@佐藤\",,00123,-5,\"'+課長\""));
    RosterPlan p;
    Errors e;
    assert_int_equal(plan(text, &p, &e), 0);
    const RosterRow *x = row_of(&p, "-K001");
    assert_non_null(x);
    assert_string_equal(x->post, "-");
    assert_string_equal(x->job, "=SUM(A1)");
    x = row_of(&p, "K90094");
    assert_string_equal(x->name, "@佐藤");
    assert_string_equal(x->post, "-5");
    assert_string_equal(x->job, "+課長");
    buf_free(&b);
}

static void test_staff_no_case(void **state)
{
    (void)state;
    RosterPlan p;
    Errors e;
    assert_int_equal(plan(HEAD "k90091,山田　花子,ヤマダ　ハナコ,00123,主事,,,,\r\n00456,佐藤　一郎,サトウ　イチロウ,00123,主任,,,,\r\n", &p, &e), 0);
    const RosterRow *x = row_of(&p, "K90091");
    assert_non_null(x);
    assert_int_equal(x->change, RC_UNCHANGED);
    assert_int_equal(p.counts[RC_NEW], 0);
    assert_int_equal(p.counts[RC_MISSING], 0);
    assert_int_equal(staff_id_by_no(db, "k90091"), staff_id_by_no(db, "K90091"));
    /* Two rows for one person, in two cases. */
    assert_int_equal(plan(HEAD BOTH "k90091,山田　花子,,00123,,,,,\r\n", &p, &e), -1);
    assert_true(has_error(&e, "4行目「職員番号」：「K90091」が2行目と重複しています。"));
}

static void test_line_break_in_cell(void **state)
{
    (void)state;
    RosterPlan p;
    Errors e;
    assert_int_equal(plan(HEAD BOTH "K90095,\"大分\n五郎\",,00123,,,,,\r\n", &p, &e), -1);
    assert_true(has_error(&e, "4行目「氏名」：B列（見出し「漢字氏名」）のセルに改行が含まれています。"));
}

static void test_blank_optional_is_no_change(void **state)
{
    (void)state;
    RosterPlan p;
    Errors e;
    /* カナ and 職位 blank for people who have them: nothing changes. */
    assert_int_equal(plan(HEAD "K90091,山田　花子,,00123,,,,,\r\n00456,佐藤　一郎,,00123,,,,,\r\n", &p, &e), 0);
    assert_int_equal(p.counts[RC_UNCHANGED], 2);
    assert_int_equal(p.counts[RC_CHANGED], 0);
    assert_string_equal(row_of(&p, "K90091")->what, "");
}

static void test_lost_leading_zeros(void **state)
{
    (void)state;
    RosterPlan p;
    Errors e;
    /* 00456 saved by Excel as 456: a new number next to an existing one. */
    assert_int_equal(plan(HEAD "K90091,山田　花子,,00123,,,,,\r\n456,佐藤　一郎,,00123,,,,,\r\n", &p, &e), 0);
    assert_int_equal(p.nwarn, 1);
    const RosterRow *x = row_of(&p, "456");
    assert_non_null(x->warn);
    assert_non_null(strstr(x->warn, "「00456」の職員がいます"));
    /* 所属コード 00123 saved as 123. */
    assert_int_equal(plan(HEAD "K90091,山田　花子,,123,,,,,\r\n00456,佐藤　一郎,,00123,,,,,\r\n", &p, &e), -1);
    assert_true(has_error(&e, "2行目「所属コード」：所属コード「123」の組織が2026-08-01に存在しません。「00123」の先頭の0がExcelで消えていませんか"));
    /* A plain new number warns of nothing. */
    assert_int_equal(plan(HEAD BOTH "789,新田　六郎,,00123,,,,,\r\n", &p, &e), 0);
    assert_int_equal(p.nwarn, 0);
}

static void test_not_csv(void **state)
{
    (void)state;
    RosterPlan p;
    Errors e;
    RosterProfile prof;
    roster_profile_default(&prof);
    static const struct {
        const char *data;
        size_t n;
        const char *msg;
    } files[] = {
        {"PK\x03\x04\x14\0\x06\0", 8, "Excelのブック（.xlsx）はそのままでは読めません。"},
        {"\xFF\xFE\x30\x80\x61\x54", 6, "UTF-16（Excelの「Unicode テキスト」）のファイルは読めません。"},
        {"K\0""9\0""0\0"",\0", 8, "UTF-16"},
        {"\x7F" "ELF\x02\x01\x01\0\0\0\0\0", 12, "CSVのテキストファイルではありません"},
    };
    for (size_t i = 0; i < COUNTOF(files); i++) {
        memset(&p, 0, sizeof p);
        memset(&e, 0, sizeof e);
        assert_int_equal(roster_plan(db, &a, files[i].data, files[i].n, &prof, AS_OF, &p, &e), -1);
        assert_true(has_error(&e, files[i].msg));
        assert_true(has_error(&e, "「CSV UTF-8（コンマ区切り）(*.csv)」"));
    }
    /* A CSV fault names line and column. */
    assert_int_equal(plan(HEAD "K90091,\"山田,,00123\r\n", &p, &e), -1);
    assert_true(has_error(&e, "2行目：引用符が閉じられていません（B列「漢字氏名」）。"));
}

static void test_all_errors_counted(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_puts(&b, HEAD BOTH);
    for (int i = 0; i < 250; i++) buf_printf(&b, "X%04d,,,00123,,,,,\r\n", i); /* 氏名 missing */
    RosterPlan p;
    Errors e;
    assert_int_equal(plan(buf_cstr(&b), &p, &e), -1);
    assert_int_equal(p.problems.total, 250);
    assert_int_equal(p.problems.n, PROBLEMS_SHOWN);
    assert_string_equal(p.problems.msg[199], "203行目「氏名」：氏名が空です。");
    assert_int_equal(e.n, ERRORS_MAX);
    buf_free(&b);
}

/* The UPDATE of migration 011, run again over keys folded the old way. */
static void test_search_folds_variants(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {{"髙橋一", "高橋"}, {"山﨑二", "山崎"}, {"德永三", "徳永"}, {"齋藤四", "斎藤"},
                                           {"渡邉五", "渡辺"}, {"吉澤六", "吉沢"}, {"濵田七", "浜田"}, {"國分八", "国分"},
                                           {"中嶋九", "中島"}, {"𠮷田十", "吉田"}, {"徳永十一", "德永"}, {"山崎十二", "山﨑"}};
    const EmbeddedFile *mig = NULL;
    for (size_t i = 0; i < embedded_schema_count; i++)
        if (atoi(embedded_schema[i].name) == 11) mig = &embedded_schema[i];
    assert_non_null(mig);
    const char *sql = (const char *)mig->data, *update = strstr(sql, "UPDATE staff SET search_key");
    assert_non_null(update);
    char *stmt = arena_strndup(&a, update, (size_t)(strchr(update, ';') - update + 1));
    /* Every pair of the C table is in the migration. */
    for (size_t i = 0; i < text_fold_nvariants; i++) {
        char from[8] = {0}, to[8] = {0};
        utf8proc_encode_char((int32_t)text_fold_variants[i].from, (uint8_t *)from);
        utf8proc_encode_char((int32_t)text_fold_variants[i].to, (uint8_t *)to);
        assert_non_null(strstr(stmt, arena_printf(&a, "'%s', '%s')", from, to)));
    }
    char no[16];
    for (size_t i = 0; i < COUNTOF(pairs); i++) {
        snprintf(no, sizeof no, "V%03d", (int)i);
        /* the key as jinzai stored it before 異体字 were folded: NFKC and kana only */
        db_exec(db, "INSERT INTO staff (staff_no, name, search_key, emp_type, created_at, updated_at) VALUES (?, ?, ?, 'regular', 'x', 'x')", no,
                pairs[i][0], arena_printf(&a, "v%03d|%s|", (int)i, pairs[i][0]));
    }
    assert_int_equal(db_exec_script(db, stmt), 0);
    for (size_t i = 0; i < COUNTOF(pairs); i++) {
        snprintf(no, sizeof no, "V%03d", (int)i);
        char *key = db_text(db, &a, "SELECT search_key FROM staff WHERE staff_no = ?", no);
        char *name = db_text(db, &a, "SELECT name FROM staff WHERE staff_no = ?", no);
        assert_string_equal(key, staff_search_key(&a, no, name, ""));
        StaffFilter f = {.q = pairs[i][1], .active = -1, .as_of = AS_OF, .nendo = 2026};
        Staff *out;
        int total;
        staff_search(db, &a, &f, &out, &total);
        bool found = false;
        for (int k = 0; k < total; k++) found |= str_eq(out[k].staff_no, no);
        if (!found) fprintf(stderr, "%s does not find %s\n", pairs[i][1], pairs[i][0]);
        assert_true(found);
    }
    assert_string_equal(text_fold(&a, "4月〜6月"), text_fold(&a, "4月～6月"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trailing_commas_and_blank_rows),
        cmocka_unit_test(test_dates_with_time),
        cmocka_unit_test(test_guarded_cells_read_back),
        cmocka_unit_test(test_staff_no_case),
        cmocka_unit_test(test_line_break_in_cell),
        cmocka_unit_test(test_blank_optional_is_no_change),
        cmocka_unit_test(test_lost_leading_zeros),
        cmocka_unit_test(test_not_csv),
        cmocka_unit_test(test_all_errors_counted),
        cmocka_unit_test(test_search_folds_variants),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
