/* test_nendo.c - request tests of the 年度 rollover screen (preview writes
 * nothing, apply carries designations and lists what did not carry), the
 * bulk designation of leaders by checkbox, designation by CSV (UTF-8 and
 * CP932, a bad line writes nothing) and the staff picker by kana.
 *
 * The clock is pinned at 2027-03-31 and 2027-04-01, the edges of the demo
 * 年度 2026. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/encoding.h"

#include "harness.h"

static Who users[] = {{.login = "kacho"}, {.login = "dx"}, {.login = "jinji"}};

static int setup(void **state)
{
    (void)state;
    util_clock_set_today("2027-03-31");
    return harness_open("nendo", users, sizeof users / sizeof users[0]);
}

static int teardown(void **state)
{
    (void)state;
    harness_close();
    util_clock_set_today(HARNESS_TODAY);
    return 0;
}

/* Percent-encodes s for a form body or query (into one of 4 buffers). */
static const char *enc(const char *s)
{
    static char buf[4][2048];
    static int k;
    char *o = buf[k++ % 4], *p = o;
    for (; *s && p < o + sizeof buf[0] - 4; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.') *p++ = (char)c;
        else p += sprintf(p, "%%%02X", c);
    }
    *p = 0;
    return o;
}

/* A 総括リーダー of 2026 in a 係, moved to another 係 on 2027-04-01. */
static int64_t moved_lead, moved_from;
static char moved_name[64];

static void move_a_leader(void)
{
    Arena a = ARENA_INIT;
    Stmt *st = db_query(db,
                        "SELECT d.staff_id, d.unit_id, s.name FROM tier_designation d JOIN staff s ON s.id = d.staff_id"
                        " JOIN assignment a ON a.staff_id = s.id AND a.unit_id = d.unit_id AND a.is_primary = 1 AND a.to_date IS NULL"
                        " JOIN org_unit u ON u.id = d.unit_id WHERE d.nendo = 2026 AND d.subtype = 'lead' AND d.ended_on IS NULL"
                        " AND u.level = 4 ORDER BY s.staff_no LIMIT 1");
    assert_int_equal(db_step(st), DB_ROW);
    moved_lead = db_col_int(st, 0);
    moved_from = db_col_int(st, 1);
    snprintf(moved_name, sizeof moved_name, "%s", db_col_text(st, 2));
    db_done(st);
    int64_t dest = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4 AND id <> ? AND valid_to IS NULL", moved_from);
    assert_int_equal(db_exec(db, "UPDATE assignment SET to_date = '2027-03-31' WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", moved_lead), 1);
    assert_int_equal(db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date) VALUES (?, ?, 1, '2027-04-01')", moved_lead, dest), 1);
    arena_free(&a);
}

typedef struct Counts {
    int desig, kpi, plans, audits, periods;
} Counts;

static Counts counts(void)
{
    return (Counts){count("SELECT COUNT(*) FROM tier_designation"), count("SELECT COUNT(*) FROM kpi_target"),
                    count("SELECT COUNT(*) FROM training_plan"), count("SELECT COUNT(*) FROM audit_log"),
                    count("SELECT COUNT(*) FROM assess_period")};
}

static void same_counts(Counts a, Counts b)
{
    assert_int_equal(a.desig, b.desig);
    assert_int_equal(a.kpi, b.kpi);
    assert_int_equal(a.plans, b.plans);
    assert_int_equal(a.audits, b.audits);
    assert_int_equal(a.periods, b.periods);
}

static void test_roles(void **state)
{
    (void)state;
    EXPECT(user("kacho")->cookie, "/nendo/rollover", 403, "");
    EXPECT(user("kacho")->cookie, "/tiers/import", 403, "");
    EXPECT(user("dx")->cookie, "/nendo/rollover", 200, "更新先の年度", "value=\"2027\"");
    EXPECT(user("jinji")->cookie, "/tiers/import", 200, "enctype=\"multipart/form-data\"", "所属コード");
}

static void test_rollover_preview_writes_nothing(void **state)
{
    (void)state;
    move_a_leader();
    Counts before = counts();
    Who *dx = user("dx");
    Res r = req("POST", "/nendo/rollover", dx->cookie, fmt("csrf=%s&to=2027", dx->csrf));
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "確認のみです"));
    assert_true(has(&r, "引き継がない指名"));
    assert_true(has(&r, moved_name));
    assert_true(has(&r, "適用後、現在の年度を令和9年度にする"));
    assert_false(has(&r, "name=\"pick\"")); /* checkboxes only after apply */
    same_counts(before, counts());
    assert_int_equal(count("SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027"), 0);
    buf_free(&r.raw);
}

static void test_rollover_apply_and_bulk(void **state)
{
    (void)state;
    util_clock_set_today("2027-04-01");
    Who *dx = user("dx");
    login(dx);
    int plans2026 = count("SELECT COUNT(*) FROM training_plan WHERE nendo = 2026");
    Res r = req("POST", "/nendo/rollover", dx->cookie, fmt("csrf=%s&to=2027&apply=1&set_current=1", dx->csrf));
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "引き継ぎました"));
    assert_true(has(&r, "現在の年度を令和9年度にしました"));
    assert_true(count("SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027 AND tier = 2") > 0);
    assert_int_equal(count("SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027 AND designated_on <> '2027-04-01'"), 0);
    assert_false(db_exists(db, "SELECT 1 FROM tier_designation WHERE nendo = 2027 AND staff_id = ?", moved_lead));
    assert_true(has(&r, moved_name));
    assert_true(plans2026 == 0 || count("SELECT COUNT(*) FROM training_plan WHERE nendo = 2027") > 0);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'current_nendo'"), "2027");
    arena_free(&a);
    /* the moved leader's 係 is listed with candidates as checkboxes */
    const char *unit_name = db_text(db, &a,
                                    "SELECT CASE WHEN u.level = 4 THEN p.name || ' ' || u.name ELSE u.name END FROM org_unit u"
                                    " LEFT JOIN org_unit p ON p.id = u.parent_id WHERE u.id = ?",
                                    moved_from);
    assert_true(has(&r, fmt("<legend>%s</legend>", unit_name)));
    /* and so is every 係 that had no leader already (the demo leaves some) */
    int listed = 0;
    for (const char *p = strstr(r.body, "<fieldset><legend>"); p; p = strstr(p + 1, "<fieldset><legend>")) listed++;
    assert_true(listed >= 2);
    const char *pick = strstr(r.body, fmt("-%lld\">", (long long)moved_from));
    assert_non_null(pick);
    const char *v = pick;
    while (v > r.body && v[-1] != '"') v--;
    int64_t cand = strtoll(v, NULL, 10);
    assert_true(cand > 0);
    /* one good and one bad pick: nothing written */
    Counts before = counts();
    Res bad = req("POST", "/tiers/bulk", dx->cookie,
                  fmt("csrf=%s&nendo=2027&subtype=lead&designated_on=2027-04-01&pick=%lld-%lld&pick=%lld-%lld", dx->csrf, (long long)cand,
                      (long long)moved_from, (long long)moved_lead, (long long)moved_from));
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "総括リーダー"));
    same_counts(before, counts());
    Res ok = req("POST", "/tiers/bulk", dx->cookie,
                 fmt("csrf=%s&nendo=2027&subtype=lead&designated_on=2027-04-01&pick=%lld-%lld", dx->csrf, (long long)cand, (long long)moved_from));
    assert_int_equal(ok.status, 303);
    assert_true(db_exists(db, "SELECT 1 FROM tier_designation WHERE nendo = 2027 AND subtype = 'lead' AND staff_id = ? AND unit_id = ?", cand, moved_from));
    /* a second rollover adds nothing and says so */
    int n2027 = count("SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027");
    Res again = req("POST", "/nendo/rollover", dx->cookie, fmt("csrf=%s&to=2027&apply=1", dx->csrf));
    assert_int_equal(again.status, 200);
    assert_true(has(&again, "足りない指名だけを追加します"));
    assert_int_equal(count("SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027"), n2027);
    arena_free(&a);
    buf_free(&r.raw);
    buf_free(&bad.raw);
    buf_free(&ok.raw);
    buf_free(&again.raw);
}

/* Posts csv as the file "file" of a multipart form with nendo. */
static Res upload(Who *w, const char *csv, size_t len)
{
    static const char *bd = "jinzaiTestBoundary9";
    Buf body = BUF_INIT;
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", bd, w->csrf);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"nendo\"\r\n\r\n2027\r\n", bd);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\nContent-Type: text/csv\r\n\r\n", bd);
    buf_append(&body, csv, len);
    buf_printf(&body, "\r\n--%s--\r\n", bd);
    char ctype[80];
    snprintf(ctype, sizeof ctype, "multipart/form-data; boundary=%s", bd);
    Res r = send_raw("POST", "/tiers/import", w->cookie, ctype, body.data, body.len);
    buf_free(&body);
    return r;
}

static void test_csv_import(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    login(hr);
    Arena a = ARENA_INIT;
    /* two in-service people without a designation in 2027, with their 所属コード */
    Stmt *st = db_query(db,
                        "SELECT s.staff_no, u.code FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1"
                        " AND a.from_date <= '2027-04-01' AND (a.to_date IS NULL OR a.to_date >= '2027-05-01') JOIN org_unit u ON u.id = a.unit_id"
                        " WHERE NOT EXISTS (SELECT 1 FROM tier_designation d WHERE d.staff_id = s.id AND d.nendo = 2027)"
                        " ORDER BY s.staff_no LIMIT 2");
    char no[2][32], code[2][32];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(db_step(st), DB_ROW);
        snprintf(no[i], sizeof no[i], "%s", db_col_text(st, 0));
        snprintf(code[i], sizeof code[i], "%s", db_col_text(st, 1));
    }
    db_done(st);
    char csv[1024];
    snprintf(csv, sizeof csv,
             "職員番号,区分,所属コード,指名日,備考\r\n%s,プロジェクト担当,%s,2027-05-01,CSV取込\r\nZ9999,プロジェクト担当,%s,,\r\n%s,project,%s,,\r\n", no[0],
             code[0], code[0], no[1], code[1]);
    Counts before = counts();
    Res bad = upload(hr, csv, strlen(csv));
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "3行目（Z9999）：その職員番号の職員はいません。"));
    assert_true(has(&bad, "何も指名していません"));
    same_counts(before, counts());
    /* without the bad line, in CP932: a dry run shows the rows and writes nothing */
    snprintf(csv, sizeof csv, "職員番号,区分,所属コード,指名日,備考\r\n%s,プロジェクト担当,%s,2027-05-01,CSV取込\r\n%s,project,%s,,\r\n", no[0], code[0],
             no[1], code[1]);
    Buf sj = BUF_INIT;
    assert_int_equal(utf8_to_cp932(csv, strlen(csv), &sj, NULL, 0, NULL), 0);
    Res dry = upload(hr, sj.data, sj.len);
    assert_int_equal(dry.status, 200);
    assert_true(has(&dry, "指名できます"));
    assert_true(has(&dry, "CSV取込") || has(&dry, "プロジェクト担当"));
    assert_true(has(&dry, "この内容で指名する"));
    same_counts(before, counts());
    /* apply: the text comes back in the form */
    Res ok = req("POST", "/tiers/import", hr->cookie, fmt("csrf=%s&nendo=2027&apply=1&csv=%s", hr->csrf, enc(csv)));
    assert_int_equal(ok.status, 303);
    assert_true(db_exists(db, "SELECT 1 FROM tier_designation d JOIN staff s ON s.id = d.staff_id WHERE s.staff_no = ? AND d.nendo = 2027"
                              " AND d.subtype = 'project' AND d.designated_on = '2027-05-01' AND d.note = 'CSV取込'", no[0]));
    assert_true(db_exists(db, "SELECT 1 FROM tier_designation d JOIN staff s ON s.id = d.staff_id WHERE s.staff_no = ? AND d.nendo = 2027"
                              " AND d.designated_on = '2027-04-01'", no[1]));
    buf_free(&sj);
    buf_free(&bad.raw);
    buf_free(&dry.raw);
    buf_free(&ok.raw);
    arena_free(&a);
}

static void test_picker_by_kana(void **state)
{
    (void)state;
    Who *dx = user("dx");
    login(dx);
    Arena a = ARENA_INIT;
    char *no = db_text(db, &a, "SELECT s.staff_no FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL"
                               " WHERE s.kana <> '' AND NOT EXISTS (SELECT 1 FROM tier_designation d WHERE d.staff_id = s.id AND d.nendo = 2027)"
                               " ORDER BY s.staff_no LIMIT 1");
    char *kana = db_text(db, &a, "SELECT kana FROM staff WHERE staff_no = ?", no);
    assert_non_null(kana);
    int64_t unit = db_int(db, 0, "SELECT unit_id FROM assignment a JOIN staff s ON s.id = a.staff_id WHERE s.staff_no = ? AND a.is_primary = 1"
                                 " AND a.to_date IS NULL", no);
    Res r = req("GET", fmt("/tiers/new?nendo=2027&q=%s", enc(kana)), dx->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, fmt("name=\"staff_pick\" value=\"%s\"", no)));
    assert_true(has(&r, "在職職員"));
    Res s = req("POST", "/tiers/new", dx->cookie,
                fmt("csrf=%s&staff_no=&staff_pick=%s&subtype=project&unit_id=%lld&nendo=2027&designated_on=2027-04-02", dx->csrf, no,
                    (long long)unit));
    assert_int_equal(s.status, 303);
    assert_true(db_exists(db, "SELECT 1 FROM tier_designation d JOIN staff s ON s.id = d.staff_id WHERE s.staff_no = ? AND d.nendo = 2027"
                              " AND d.designated_on = '2027-04-02'", no));
    buf_free(&r.raw);
    buf_free(&s.raw);
    arena_free(&a);
}

/* The hand-over on the form: the current holder is named, with the checkbox. */
static void test_form_hand_over(void **state)
{
    (void)state;
    Who *dx = user("dx");
    Arena a = ARENA_INIT;
    Stmt *st = db_query(db,
                        "SELECT d.id, d.unit_id, x.staff_no, s.name FROM tier_designation d JOIN staff s ON s.id = d.staff_id"
                        " JOIN assignment a ON a.unit_id = d.unit_id AND a.is_primary = 1 AND a.to_date IS NULL AND a.staff_id <> d.staff_id"
                        " JOIN staff x ON x.id = a.staff_id WHERE d.nendo = 2027 AND d.subtype = 'lead' AND d.ended_on IS NULL"
                        " AND NOT EXISTS (SELECT 1 FROM tier_designation y WHERE y.staff_id = x.id AND y.nendo = 2027) ORDER BY d.id LIMIT 1");
    assert_int_equal(db_step(st), DB_ROW);
    int64_t did = db_col_int(st, 0), unit = db_col_int(st, 1);
    char no[32], name[64];
    snprintf(no, sizeof no, "%s", db_col_text(st, 2));
    snprintf(name, sizeof name, "%s", db_col_text(st, 3));
    db_done(st);
    const char *body = fmt("csrf=%s&staff_no=%s&subtype=lead&unit_id=%lld&nendo=2027&designated_on=2027-06-01", dx->csrf, no, (long long)unit);
    Counts before = counts();
    Res r = req("POST", "/tiers/new", dx->cookie, body);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, fmt("現在の総括リーダー（%s）の指名を前日で終了して指名する", name)));
    assert_true(has(&r, "value=\"2027-06-01\"")); /* the form keeps what was typed */
    same_counts(before, counts());
    Res ok = req("POST", "/tiers/new", dx->cookie, fmt("%s&end_current=1", body));
    assert_int_equal(ok.status, 303);
    assert_string_equal(db_text(db, &a, "SELECT ended_on FROM tier_designation WHERE id = ?", did), "2027-05-31");
    buf_free(&r.raw);
    buf_free(&ok.raw);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_rollover_preview_writes_nothing),
        cmocka_unit_test(test_rollover_apply_and_bulk),
        cmocka_unit_test(test_csv_import),
        cmocka_unit_test(test_picker_by_kana),
        cmocka_unit_test(test_form_hand_over),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
