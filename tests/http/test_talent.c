/* test_talent.c - request tests of 人材検索 (/talent, /talent.csv,
 * /talent.xlsx): the two example questions against an expectation computed
 * here with plain SQL, confirmed and self levels, qualification validity,
 * tiers on a date, the 所属長 scope in the page and both exports, roles,
 * bad input and a hostile keyword. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/asof.h"
#include "demo/demo.h"
#include "domain/skill.h"
#include "app/router.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}};

HARNESS_SETUP("talent", users)

#define TODAY HARNESS_TODAY

static int64_t nw_item(void) { return db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'L-TECH-04'"); }

/* Staff numbers (sorted, ',' framed: ",K1,K2,") of the rows an SQL gives. */
static const char *list_of(Stmt *st, int *n)
{
    static char out[8192];
    size_t len = 0;
    out[len++] = ',';
    *n = 0;
    while (db_step(st) == DB_ROW) {
        len += (size_t)snprintf(out + len, sizeof out - len, "%s,", db_col_text(st, 0));
        (*n)++;
    }
    db_done(st);
    out[len] = 0;
    return out;
}

/* The staff numbers of the result table of a page, in order, ',' framed. */
static const char *rows_of(const char *body, int *n)
{
    static char out[8192];
    size_t len = 0;
    out[len++] = ',';
    *n = 0;
    for (const char *p = strstr(body, "<tr><td>K"); p; p = strstr(p + 1, "<tr><td>K")) {
        const char *s = p + 8, *e = strchr(s, '<');
        len += (size_t)snprintf(out + len, sizeof out - len, "%.*s,", (int)(e - s), s);
        (*n)++;
    }
    out[len] = 0;
    return out;
}

/* Sorts a ',' framed list (the page sorts by unit, the SQL here by number). */
static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }
static const char *sorted(const char *list)
{
    static char out[8192];
    char tmp[8192];
    snprintf(tmp, sizeof tmp, "%s", list);
    const char *parts[512];
    int n = 0;
    for (char *t = strtok(tmp, ","); t && n < 512; t = strtok(NULL, ",")) parts[n++] = t;
    qsort(parts, (size_t)n, sizeof *parts, cmp_str);
    size_t len = 0;
    out[len++] = ',';
    for (int i = 0; i < n; i++) len += (size_t)snprintf(out + len, sizeof out - len, "%s,", parts[i]);
    out[len] = 0;
    return out;
}

/* ネットワーク (confirmed) level 3 or more, 基本情報 valid today, in service today. */
static const char *expect_example1(int *n)
{
    Stmt *st = db_query(db,
                        "SELECT s.staff_no FROM staff s WHERE " ASOF_IN_SERVICE("s.id")
                        " AND EXISTS (SELECT 1 FROM staff_qualification q WHERE q.staff_id = s.id AND q.qual_code = 'FE'"
                        "  AND q.acquired_on <= ? AND COALESCE(q.expires_on, '9999-12-31') >= ?)"
                        " AND (SELECT i.sup_level FROM assessment x JOIN assessment_item i ON i.assessment_id = x.id"
                        "  WHERE x.staff_id = s.id AND i.item_id = ? AND x.state = 'confirmed' AND x.nendo <= 2026"
                        "  ORDER BY x.nendo DESC LIMIT 1) >= 3 ORDER BY s.staff_no",
                        TODAY, TODAY, TODAY, TODAY, nw_item());
    return list_of(st, n);
}

/* Completed a course with 生成AI in its title, holding ② on today. */
static const char *expect_example2(int *n)
{
    Stmt *st = db_query(db,
                        "SELECT s.staff_no FROM staff s WHERE " ASOF_IN_SERVICE("s.id")
                        " AND EXISTS (SELECT 1 FROM tier_designation d WHERE d.staff_id = s.id AND d.tier = 2 AND "
                        ASOF_DESIGNATED("d") ")"
                        " AND EXISTS (SELECT 1 FROM completion k JOIN training_session t ON t.id = k.session_id"
                        "  JOIN course c ON c.id = t.course_id WHERE k.staff_id = s.id AND k.completed = 1 AND c.title LIKE '%生成AI%')"
                        " ORDER BY s.staff_no",
                        TODAY, TODAY, 2026, TODAY, TODAY);
    return list_of(st, n);
}

static const char *example1_path(const char *mode)
{
    return fmt("/talent?s1_item=%lld&s1_min=3&s1_mode=%s&qual=FE", (long long)nw_item(), mode);
}
#define EXAMPLE2 "/talent?kw=%E7%94%9F%E6%88%90AI&tier2=1"

static void test_example_questions(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie;
    int want_n, got_n;
    const char *want = expect_example1(&want_n);
    assert_true(want_n > 0);
    Res r = req("GET", example1_path("confirmed"), dx, NULL);
    assert_int_equal(r.status, 200);
    const char *got = rows_of(r.body, &got_n);
    assert_int_equal(got_n, want_n);
    assert_string_equal(sorted(got), want);
    assert_true(has(&r, fmt("%d人が該当します", want_n)));
    assert_true(has(&r, "ネットワーク（上司確認済み）"));
    assert_true(has(&r, "基本情報技術者（取得日）"));
    buf_free(&r.raw);

    want = expect_example2(&want_n);
    assert_true(want_n > 0);
    char want2[8192];
    snprintf(want2, sizeof want2, "%s", want);
    r = req("GET", EXAMPLE2, dx, NULL);
    assert_int_equal(r.status, 200);
    got = rows_of(r.body, &got_n);
    assert_int_equal(got_n, want_n);
    assert_string_equal(sorted(got), want2);
    assert_true(has(&r, "生成AI活用の基礎"));
    buf_free(&r.raw);
    /* The keyword is folded: full-width ＡＩ finds the same courses. */
    r = req("GET", "/talent?kw=%E7%94%9F%E6%88%90%EF%BC%A1%EF%BC%A9&tier2=1", dx, NULL);
    got = rows_of(r.body, &got_n);
    assert_int_equal(got_n, want_n);
    buf_free(&r.raw);
    /* The page links both examples. */
    EXPECT(dx, "/talent", 200, "ネットワーク レベル3以上で基本情報の資格がある職員", "生成AIの研修を修了した②",
           "条件を指定して「検索」を押してください", "人材検索");
}

/* A person in service today with a 2026 assessment in the given state. */
static int64_t person_with(const char *state, int64_t but)
{
    return db_int(db, 0,
                  "SELECT x.staff_id FROM assessment x JOIN staff s ON s.id = x.staff_id WHERE x.nendo = 2026 AND x.state = ?"
                  " AND x.staff_id <> ? AND " ASOF_IN_SERVICE("s.id") " ORDER BY x.staff_id LIMIT 1",
                  state, but, TODAY, TODAY);
}

static const char *staff_no(int64_t id)
{
    static Arena a = ARENA_INIT;
    return db_text(db, &a, "SELECT staff_no FROM staff WHERE id = ?", id);
}

static int rows_for(const char *cookie, const char *path)
{
    Res r = req("GET", path, cookie, NULL);
    assert_int_equal(r.status, 200);
    int n;
    rows_of(r.body, &n);
    buf_free(&r.raw);
    return n;
}

static void test_confirmed_and_self_levels_differ(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie;
    int64_t item = nw_item();
    /* P submitted 4 this year, nothing confirmed above 1. */
    int64_t p = person_with("submitted", 0);
    assert_true(p > 0);
    int64_t x = db_int(db, 0, "SELECT id FROM assessment WHERE staff_id = ? AND nendo = 2026", p);
    assert_true(db_exec(db, "INSERT INTO assessment_item (assessment_id, item_id, self_level) VALUES (?, ?, 4)"
                            " ON CONFLICT (assessment_id, item_id) DO UPDATE SET self_level = 4, sup_level = NULL", x, item) >= 0);
    assert_true(db_exec(db, "UPDATE assessment_item SET self_level = 1, sup_level = 1 WHERE item_id = ? AND assessment_id IN"
                            " (SELECT id FROM assessment WHERE staff_id = ? AND nendo < 2026)", item, p) >= 0);
    const char *no = staff_no(p);
    assert_int_equal(rows_for(dx, fmt("/talent?s1_item=%lld&s1_min=3&s1_mode=self&name=%s", (long long)item, no)), 1);
    assert_int_equal(rows_for(dx, fmt("/talent?s1_item=%lld&s1_min=3&s1_mode=confirmed&name=%s", (long long)item, no)), 0);
    EXPECT(dx, fmt("/talent?s1_item=%lld&s1_min=4&s1_mode=self&name=%s", (long long)item, no), 200, "<td class=\"num\">4</td>");
    /* Once confirmed at 2, both read 2: the confirmed level wins over the own one. */
    int64_t q = person_with("confirmed", p);
    int64_t y = db_int(db, 0, "SELECT id FROM assessment WHERE staff_id = ? AND nendo = 2026", q);
    assert_true(db_exec(db, "INSERT INTO assessment_item (assessment_id, item_id, self_level, sup_level) VALUES (?, ?, 4, 2)"
                            " ON CONFLICT (assessment_id, item_id) DO UPDATE SET self_level = 4, sup_level = 2", y, item) >= 0);
    no = staff_no(q);
    assert_int_equal(rows_for(dx, fmt("/talent?s1_item=%lld&s1_min=3&s1_mode=self&name=%s", (long long)item, no)), 0);
    assert_int_equal(rows_for(dx, fmt("/talent?s1_item=%lld&s1_min=2&s1_mode=confirmed&name=%s", (long long)item, no)), 1);
}

static void test_expired_qualification_and_future_tier(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie;
    int64_t p = person_with("confirmed", 0);
    const char *no = staff_no(p);
    assert_true(db_exec(db, "DELETE FROM staff_qualification WHERE staff_id = ? AND qual_code = 'SC'", p) >= 0);
    assert_true(db_exec(db, "INSERT INTO staff_qualification (staff_id, qual_code, acquired_on, expires_on) VALUES (?, 'SC', '2020-04-01', '2026-11-15')",
                        p) == 1);
    assert_int_equal(rows_for(dx, fmt("/talent?qual=SC&name=%s", no)), 0);       /* expired yesterday */
    assert_int_equal(rows_for(dx, fmt("/talent?qual=SC&name=%s&on=2026-11-15", no)), 1); /* valid on its last day */

    /* A ① designation that starts on 12/1 is not held today. */
    int64_t t = db_int(db, 0,
                       "SELECT s.id FROM staff s WHERE " ASOF_IN_SERVICE("s.id")
                       " AND NOT EXISTS (SELECT 1 FROM tier_designation d WHERE d.staff_id = s.id AND d.nendo = 2026) ORDER BY s.id LIMIT 1",
                       TODAY, TODAY);
    assert_true(t > 0);
    int64_t unit = db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 ORDER BY from_date DESC LIMIT 1", t);
    assert_true(db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2026, 1, 'info', ?, '2026-12-01')",
                        t, unit) == 1);
    no = staff_no(t);
    assert_int_equal(rows_for(dx, fmt("/talent?tier1=1&name=%s", no)), 0);
    assert_int_equal(rows_for(dx, fmt("/talent?tier3=1&name=%s", no)), 1);
    assert_int_equal(rows_for(dx, fmt("/talent?tier1=1&name=%s&on=2026-12-01", no)), 1);
    EXPECT(dx, fmt("/talent?tier3=1&name=%s", no), 200, "<td>③</td>");
}

/* The member of an xlsx body, read with unzip -p. */
static char *xlsx_member(const Res *r, const char *member)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/jinzai-talent-%d.xlsx", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    size_t n = r->raw.len - (size_t)(r->body - r->raw.data);
    assert_int_equal(fwrite(r->body, 1, n, f), n);
    fclose(f);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "/usr/bin/unzip -p '%s' '%s'", path, member);
    FILE *p = popen(cmd, "r");
    Buf b = BUF_INIT;
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, p)) > 0) buf_append(&b, chunk, k);
    pclose(p);
    unlink(path);
    buf_putc(&b, 0);
    return b.data;
}

static void test_manager_scope(void **state)
{
    (void)state;
    Who *kacho = user("kacho");
    const char *dx = user("dx")->cookie;
    int64_t root = db_int(db, 0, "SELECT a.unit_id FROM assignment a WHERE a.staff_id = ? AND a.is_primary = 1 AND " ASOF_IN_FORCE("a"),
                          kacho->staff_id, TODAY, TODAY);
    assert_true(root > 0);
    /* Someone the example finds who has no assignment today in the 所属長's subtree. */
    static Arena a = ARENA_INIT;
    const char *outside = NULL;
    int n;
    const char *all = expect_example2(&n);
    char copy[8192];
    snprintf(copy, sizeof copy, "%s", all);
    for (char *t = strtok(copy, ","); t; t = strtok(NULL, ",")) {
        if (!db_exists(db, "SELECT 1 FROM staff s WHERE s.staff_no = ? AND " ASOF_VISIBLE("s.id"), t, root, TODAY, TODAY, root)) {
            outside = arena_strdup(&a, t);
            break;
        }
    }
    assert_non_null(outside);
    Res r = req("GET", EXAMPLE2, dx, NULL);
    assert_true(has(&r, outside));
    buf_free(&r.raw);
    r = req("GET", EXAMPLE2, kacho->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, outside));
    assert_true(has(&r, "あなたの所属とその配下の職員だけを表示しています"));
    buf_free(&r.raw);
    /* Every row kacho sees is visible to them. */
    r = req("GET", "/talent?tier3=1", kacho->cookie, NULL);
    const char *rows = rows_of(r.body, &n);
    assert_true(n > 0);
    char rcopy[8192];
    snprintf(rcopy, sizeof rcopy, "%s", rows);
    for (char *t = strtok(rcopy, ","); t; t = strtok(NULL, ","))
        assert_true(db_exists(db, "SELECT 1 FROM staff s WHERE s.staff_no = ? AND " ASOF_VISIBLE("s.id"), t, root, TODAY, TODAY, root));
    buf_free(&r.raw);
    /* Nor in the exports. */
    r = req("GET", "/talent.csv?kw=%E7%94%9F%E6%88%90AI&tier2=1", kacho->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, outside));
    buf_free(&r.raw);
    r = req("GET", "/talent.xlsx?kw=%E7%94%9F%E6%88%90AI&tier2=1", kacho->cookie, NULL);
    assert_int_equal(r.status, 200);
    char *strings = xlsx_member(&r, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(strings, "職員番号"));
    assert_null(strstr(strings, outside));
    free(strings);
    buf_free(&r.raw);
    r = req("GET", "/talent.xlsx?kw=%E7%94%9F%E6%88%90AI&tier2=1", dx, NULL);
    strings = xlsx_member(&r, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(strings, outside));
    free(strings);
    buf_free(&r.raw);
}

static void test_staff_get_403(void **state)
{
    (void)state;
    const char *s = user("shokuin")->cookie;
    EXPECT(s, "/talent", 403, "");
    EXPECT(s, EXAMPLE2, 403, "");
    EXPECT(s, "/talent.csv?tier2=1", 403, "");
    EXPECT(s, "/talent.xlsx?tier2=1", 403, "");
}

static void test_bad_parameters(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie;
    EXPECT(dx, "/talent?s1_item=abc&name=%E5%B1%B1%E7%94%B0", 400, "スキル条件1の評価項目を一覧から選んでください。",
           "value=\"山田\"");
    EXPECT(dx, fmt("/talent?s1_item=%lld&s1_min=9", (long long)nw_item()), 400, "スキル条件1のレベルは1から4で選んでください。");
    EXPECT(dx, "/talent?s2_item=999999&s2_min=3", 400, "スキル条件2の評価項目が見つかりません。");
    EXPECT(dx, fmt("/talent?s1_item=%lld&s1_mode=boss", (long long)nw_item()), 400, "「上司確認済み」か「自己評価」");
    EXPECT(dx, "/talent?qual=NOPE", 400, "資格が見つかりません。");
    EXPECT(dx, "/talent?course=-3", 400, "研修を一覧から選んでください。");
    EXPECT(dx, "/talent?tier1=1&on=2026-13-45", 400, "基準日を正しい日付で入力してください。", "value=\"2026-13-45\"");
    EXPECT(dx, "/talent?unit=99999999", 400, "所属が見つかりません。");
    EXPECT(dx, "/talent?page=abc&tier1=1", 200, "人が該当します");
    EXPECT(dx, "/talent.csv?qual=NOPE", 400, "資格が見つかりません。");
    EXPECT(dx, "/talent.csv", 400, "検索条件を1つ以上指定してください。");
}

static void test_csv_content_and_audit(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie;
    int want_n;
    const char *want = expect_example2(&want_n);
    char want2[8192];
    snprintf(want2, sizeof want2, "%s", want);
    int before = count("SELECT COUNT(*) FROM audit_log WHERE action = 'talent.export' AND actor = 'dx'");
    Res r = req("GET", "/talent.csv?kw=%E7%94%9F%E6%88%90AI&tier2=1", dx, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "text/csv; charset=utf-8"));
    const char *head = BOM "職員番号,氏名,所属,人材区分,修了した研修,修了した研修の開始日\r\n";
    assert_memory_equal(r.body, head, strlen(head));
    /* One line per expected person, each with ② and the course. */
    int lines = 0;
    char got[8192];
    size_t len = 0;
    got[len++] = ',';
    for (const char *p = strstr(r.body, "\r\n") + 2; *p; p = strstr(p, "\r\n") + 2) {
        const char *comma = strchr(p, ',');
        len += (size_t)snprintf(got + len, sizeof got - len, "%.*s,", (int)(comma - p), p);
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(eol - p), p);
        assert_non_null(strstr(line, ",②,"));
        assert_non_null(strstr(line, "生成AI活用の基礎"));
        lines++;
    }
    got[len] = 0;
    assert_int_equal(lines, want_n);
    assert_string_equal(sorted(got), want2);
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'talent.export' AND actor = 'dx'"), before + 1);
    expect_download(dx, "/talent.xlsx?kw=%E7%94%9F%E6%88%90AI&tier2=1", "PK");
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'talent.export' AND actor = 'dx'"), before + 2);
    /* Viewing the page writes no export row. */
    EXPECT(dx, EXAMPLE2, 200, "CSV出力", "/talent.csv?tier2=1&amp;kw=%E7%94%9F%E6%88%90AI");
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'talent.export' AND actor = 'dx'"), before + 2);
}

static void test_hostile_keyword_is_harmless(void **state)
{
    (void)state;
    const char *dx = user("dx")->cookie;
    int staff = count("SELECT COUNT(*) FROM staff");
    /* kw = ' OR 1=1 -- ; name = %' OR '1'='1 ; a LIKE wildcard alone */
    EXPECT(dx, "/talent?kw=%27%20OR%201%3D1%20--", 200, "当てはまる研修：0件", "条件に当てはまる職員はいません。");
    EXPECT(dx, "/talent?name=%25%27%20OR%20%271%27%3D%271", 200, "条件に当てはまる職員はいません。");
    EXPECT(dx, "/talent?name=%25", 200, "条件に当てはまる職員はいません。");
    EXPECT(dx, "/talent?kw=%27%3B%20DROP%20TABLE%20staff%3B%20--", 200, "当てはまる研修：0件");
    assert_int_equal(count("SELECT COUNT(*) FROM staff"), staff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_questions),
        cmocka_unit_test(test_staff_get_403),
        cmocka_unit_test(test_bad_parameters),
        cmocka_unit_test(test_csv_content_and_audit),
        cmocka_unit_test(test_hostile_keyword_is_harmless),
        cmocka_unit_test(test_manager_scope),
        cmocka_unit_test(test_confirmed_and_self_levels_differ),
        cmocka_unit_test(test_expired_qualification_and_future_tier),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
