/* test_transfer.c - request-level tests of the 人事異動 screens (upload a
 * draft list, preview its effect without writing, apply it) and of the
 * key-system register (重要システム台帳).
 *
 * Requests go through http_answer_raw, the same path as `jinzai
 * test-request`, against a fresh demo database. The lists are built from
 * that database by query (its seed differs from the shipped demo, so
 * data/demo_transfers.csv does not fit it). */
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
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/keysys.h"
#include "domain/kpi.h"
#include "domain/skill.h"
#include "app/router.h"
#include "io/encoding.h"

#include "harness.h"

#define HEAD "職員番号,区分,新所属コード,発令日,氏名,カナ,職員区分\r\n"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "jinji"}, {.login = "dx"}};

HARNESS_SETUP("transfer", users)

/* Posts csv as the file "file" of a multipart form. */
static Res upload(const char *path, Who *w, const char *csv)
{
    static const char *bd = "jinzaiTestBoundary7";
    Buf body = BUF_INIT;
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", bd, w->csrf);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n--%s--\r\n", bd,
               csv, bd);
    char ctype[80];
    snprintf(ctype, sizeof ctype, "multipart/form-data; boundary=%s", bd);
    Res r = send_raw("POST", path, w->cookie, ctype, body.data, body.len);
    buf_free(&body);
    return r;
}

/* Rows of the tables a list writes to, to show that nothing was written. */
typedef struct Written {
    int assignments, audits;
} Written;

static Written written(void) { return (Written){count("SELECT COUNT(*) FROM assignment"), count("SELECT COUNT(*) FROM audit_log")}; }

static void nothing_written_since(Written w)
{
    assert_int_equal(count("SELECT COUNT(*) FROM assignment"), w.assignments);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), w.audits);
}

/* The only 総括リーダー of a 係, in post there, without an account. */
typedef struct Lead {
    int64_t staff_id, unit_id;
    char staff_no[32], heading[160], dest[32];
} Lead;

static void find_lead(Lead *l)
{
    Arena a = ARENA_INIT;
    Stmt *st = db_query(db,
                        "SELECT d.staff_id, d.unit_id, s.staff_no, '<h3>' || p.name || ' ' || u.name || '</h3>' FROM tier_designation d"
                        " JOIN staff s ON s.id = d.staff_id JOIN org_unit u ON u.id = d.unit_id JOIN org_unit p ON p.id = u.parent_id"
                        " JOIN assignment a ON a.staff_id = s.id AND a.unit_id = u.id AND a.is_primary = 1 AND a.to_date IS NULL"
                        " WHERE d.nendo = 2026 AND d.subtype = 'lead' AND d.ended_on IS NULL AND u.level = 4"
                        " AND s.id NOT IN (SELECT staff_id FROM account WHERE staff_id IS NOT NULL)"
                        " AND (SELECT COUNT(*) FROM tier_designation x WHERE x.unit_id = u.id AND x.nendo = 2026 AND x.subtype = 'lead') = 1"
                        " ORDER BY s.staff_no LIMIT 1");
    assert_int_equal(db_step(st), DB_ROW);
    l->staff_id = db_col_int(st, 0);
    l->unit_id = db_col_int(st, 1);
    snprintf(l->staff_no, sizeof l->staff_no, "%s", db_col_text(st, 2));
    snprintf(l->heading, sizeof l->heading, "%s", db_col_text(st, 3));
    db_done(st);
    char *dest = db_text(db, &a, "SELECT code FROM org_unit WHERE level = 4 AND id <> ? AND valid_to IS NULL ORDER BY code LIMIT 1", l->unit_id);
    assert_non_null(dest);
    snprintf(l->dest, sizeof l->dest, "%s", dest);
    arena_free(&a);
}

static void test_roles(void **state)
{
    (void)state;
    const char *who[] = {"shokuin", "kacho"};
    for (size_t i = 0; i < COUNTOF(who); i++) {
        Res r = req("GET", "/transfers", user(who[i])->cookie, NULL);
        assert_int_equal(r.status, 403);
        buf_free(&r.raw);
        Res p = upload("/transfers/preview", user(who[i]), HEAD);
        assert_int_equal(p.status, 403);
        buf_free(&p.raw);
    }
    Res ok = req("GET", "/transfers", user("jinji")->cookie, NULL);
    assert_int_equal(ok.status, 200);
    assert_true(has(&ok, "enctype=\"multipart/form-data\""));
    assert_true(has(&ok, "新所属コード"));
    buf_free(&ok.raw);
}

static void test_preview_writes_nothing(void **state)
{
    (void)state;
    Lead l;
    find_lead(&l);
    char csv[512];
    snprintf(csv, sizeof csv, HEAD "%s,異動,%s,2027-04-01,,,\r\n", l.staff_no, l.dest);
    Written before = written();
    Res r = upload("/transfers/preview", user("jinji"), csv);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "この画面ではまだ何も変更していません"));
    if (!has(&r, l.heading)) fail_msg("the preview does not name %s", l.heading);
    assert_true(has(&r, "subtype=lead"));          /* candidates to designate */
    assert_true(has(&r, "name=\"csv\" value=\"")); /* the list, for applying */
    /* The same list as Excel saves it (CP932) reads the same. */
    Buf sjis = BUF_INIT;
    assert_int_equal(utf8_to_cp932(csv, strlen(csv), &sjis, NULL, 0, NULL), 0);
    Res r2 = upload("/transfers/preview", user("jinji"), buf_cstr(&sjis));
    assert_int_equal(r2.status, 200);
    assert_true(has(&r2, l.heading));
    nothing_written_since(before);
    buf_free(&r.raw);
    buf_free(&r2.raw);
    buf_free(&sjis);
}

static void test_bad_list(void **state)
{
    (void)state;
    Lead l;
    find_lead(&l);
    char csv[512];
    snprintf(csv, sizeof csv, HEAD "ZZ99999,異動,%s,2027-04-01,,,\r\n%s,異動,%s,2027-13-45,,,\r\n%s,異動,9-99-99-9,2027-04-01,,,\r\n", l.dest,
             l.staff_no, l.dest, l.staff_no);
    Written before = written();
    Res r = upload("/transfers/preview", user("jinji"), csv);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "2行目"));
    assert_true(has(&r, "ZZ99999"));
    assert_true(has(&r, "3行目"));
    assert_true(has(&r, "4行目"));
    assert_true(has(&r, "9-99-99-9"));
    buf_free(&r.raw);
    Res a = upload("/transfers/apply", user("jinji"), csv);
    assert_int_equal(a.status, 422);
    buf_free(&a.raw);
    Res empty = upload("/transfers/preview", user("jinji"), "");
    assert_int_equal(empty.status, 422);
    buf_free(&empty.raw);
    nothing_written_since(before);
}

/* The hidden "csv" value of a preview, unescaped and percent-encoded. */
static void csv_field(const char *body, Buf *out)
{
    const char *p = strstr(body, "name=\"csv\" value=\"");
    assert_non_null(p);
    p += strlen("name=\"csv\" value=\"");
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    for (; *p && *p != '"'; p++) {
        unsigned char c = (unsigned char)*p;
        for (size_t i = 0; i < COUNTOF(ents); i++)
            if (strncmp(p, ents[i].ent, strlen(ents[i].ent)) == 0) {
                c = (unsigned char)ents[i].c;
                p += strlen(ents[i].ent) - 1;
            }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) buf_putc(out, (char)c);
        else buf_printf(out, "%%%02X", c);
    }
}

static void test_apply(void **state)
{
    (void)state;
    Lead l;
    find_lead(&l);
    Arena a = ARENA_INIT;
    char *retiree = db_text(db, &a,
                            "SELECT s.staff_no FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL"
                            " WHERE s.id <> ? AND s.id NOT IN (SELECT staff_id FROM account WHERE staff_id IS NOT NULL)"
                            " ORDER BY s.staff_no DESC LIMIT 1",
                            l.staff_id);
    assert_non_null(retiree);
    char csv[768];
    snprintf(csv, sizeof csv, HEAD "%s,異動,%s,2027-04-01,,,\r\n%s,退職,,2027-04-01,,,\r\nT90001,採用,%s,2027-04-01,国東　花子,クニサキ　ハナコ,正規\r\n",
             l.staff_no, l.dest, retiree, l.dest);
    Who *hr = user("jinji");
    Res pre = upload("/transfers/preview", hr, csv);
    assert_int_equal(pre.status, 200);
    Buf body = BUF_INIT;
    buf_printf(&body, "csrf=%s&csv=", hr->csrf);
    csv_field(pre.body, &body);
    int audits = count("SELECT COUNT(*) FROM audit_log");
    int person = (int)db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE subject_staff_id = ?", l.staff_id);
    Res r = req("POST", "/transfers/apply", hr->cookie, buf_cstr(&body));
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /transfers?msg=transferred"));
    /* The old post ends the day before the 発令日; the new one starts on it. */
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND is_primary = 1 AND to_date = '2027-03-31'", l.staff_id, l.unit_id));
    assert_true(db_exists(db,
                          "SELECT 1 FROM assignment a JOIN org_unit u ON u.id = a.unit_id WHERE a.staff_id = ? AND u.code = ?"
                          " AND a.from_date = '2027-04-01' AND a.to_date IS NULL",
                          l.staff_id, l.dest));
    assert_true(db_exists(db, "SELECT 1 FROM staff WHERE staff_no = 'T90001' AND name = '国東　花子'"));
    /* One audit row per person and one for the list. */
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits + 4);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE subject_staff_id = ?", l.staff_id), person + 1);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'transfer.apply'"));
    Res done = req("GET", "/transfers?msg=saved", hr->cookie, NULL);
    assert_int_equal(done.status, 200);
    assert_true(has(&done, "最近反映した異動案"));
    /* The same list again: the hire exists now, so nothing is written. */
    Written before = written();
    Res again = req("POST", "/transfers/apply", hr->cookie, buf_cstr(&body));
    assert_int_equal(again.status, 422);
    nothing_written_since(before);
    buf_free(&pre.raw);
    buf_free(&r.raw);
    buf_free(&done.raw);
    buf_free(&again.raw);
    buf_free(&body);
    arena_free(&a);
}

static void test_systems_list(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    char *name = db_text(db, &a, "SELECT name FROM key_system ORDER BY id LIMIT 1");
    assert_non_null(name);
    /* The 所属長 sees the systems owned inside their subtree, and no other. */
    int64_t root = db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 ORDER BY from_date DESC LIMIT 1", user("kacho")->staff_id);
    const char *sub = "WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT o.id FROM org_unit o JOIN sub ON o.parent_id = sub.id)";
    int64_t mine = db_int(db, 0, fmt("%s SELECT MIN(id) FROM key_system WHERE unit_id IN (SELECT id FROM sub)", sub), root);
    int64_t other = db_int(db, 0, fmt("%s SELECT MIN(id) FROM key_system WHERE unit_id NOT IN (SELECT id FROM sub)", sub), root);
    if (!mine) {
        /* The demo may own none there: give the 所属長's unit one. */
        Errors e = {0};
        KeySystem k = {.name = "課の台帳システム", .note = "", .unit_id = root, .active = true};
        Actor who = {0, "test", ""};
        assert_int_equal(keysys_save(db, &who, &k, &e), 0);
        mine = k.id;
    }
    assert_true(mine && other);
    char *mine_name = db_text(db, &a, "SELECT name FROM key_system WHERE id = ?", mine);
    char *other_name = db_text(db, &a, "SELECT name FROM key_system WHERE id = ?", other);
    Res r = req("GET", "/systems", user("kacho")->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, mine_name));
    assert_false(has(&r, other_name));
    assert_true(has(&r, "所管するシステムだけを表示"));
    assert_false(has(&r, "/systems/new")); /* a 所属長 only reads */
    EXPECT(user("kacho")->cookie, fmt("/systems/%lld", (long long)mine), 200, mine_name);
    EXPECT(user("kacho")->cookie, fmt("/systems/%lld", (long long)other), 403, "所属の範囲外");
    Res kcsv = req("GET", "/systems?format=csv", user("kacho")->cookie, NULL);
    assert_int_equal(kcsv.status, 200);
    assert_true(has(&kcsv, mine_name));
    assert_false(has(&kcsv, other_name));
    buf_free(&kcsv.raw);
    Res kx = req("GET", "/systems?format=xlsx", user("kacho")->cookie, NULL);
    assert_int_equal(kx.status, 200);
    assert_false(has(&kx, other_name)); /* xlsx is deflated: at least the name is not stored plainly */
    buf_free(&kx.raw);
    /* 人事 and DX推進 see every system. */
    EXPECT(user("jinji")->cookie, fmt("/systems/%lld", (long long)other), 200, other_name);
    EXPECT(user("jinji")->cookie, "/systems", 200, mine_name, other_name);
    EXPECT(user("dx")->cookie, fmt("/systems/%lld", (long long)other), 200, other_name);
    EXPECT(user("shokuin")->cookie, fmt("/systems/%lld", (long long)mine), 403, "");
    Res dx = req("GET", "/systems", user("dx")->cookie, NULL);
    assert_true(has(&dx, "/systems/new"));
    assert_true(has(&dx, other_name));
    Res csv = req("GET", "/systems?format=csv", user("dx")->cookie, NULL);
    assert_int_equal(csv.status, 200);
    assert_true(strncmp(csv.body, "\xEF\xBB\xBFシステム名,", strlen("\xEF\xBB\xBFシステム名,")) == 0);
    assert_true(has(&csv, name));
    Res x = req("GET", "/systems?format=xlsx", user("dx")->cookie, NULL);
    assert_int_equal(x.status, 200);
    Res none = req("GET", "/systems/999999", user("dx")->cookie, NULL);
    assert_int_equal(none.status, 404);
    Res staff = req("GET", "/systems", user("shokuin")->cookie, NULL);
    assert_int_equal(staff.status, 403);
    buf_free(&r.raw);
    buf_free(&dx.raw);
    buf_free(&csv.raw);
    buf_free(&x.raw);
    buf_free(&none.raw);
    buf_free(&staff.raw);
    arena_free(&a);
}

static void test_systems_edit(void **state)
{
    (void)state;
    Who *dx = user("dx");
    Arena a = ARENA_INIT;
    int64_t unit = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 3");
    char body[512], path[64];
    /* Add: a name is required; then saved. */
    snprintf(body, sizeof body, "csrf=%s&name=&unit_id=%lld&note=&active=1", dx->csrf, (long long)unit);
    Res bad = req("POST", "/systems/new", dx->cookie, body);
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "システム名を"));
    snprintf(body, sizeof body, "csrf=%s&name=%%3Cb%%3E%%E6%%96%%87%%E6%%9B%%B8%%E7%%AE%%A1%%E7%%90%%86&unit_id=%lld&note=&active=1", dx->csrf,
             (long long)unit);
    Res ok = req("POST", "/systems/new", dx->cookie, body);
    assert_int_equal(ok.status, 303);
    int64_t id = db_int(db, 0, "SELECT id FROM key_system WHERE name = '<b>文書管理'");
    assert_true(id > 0);
    snprintf(path, sizeof path, "/systems/%lld", (long long)id);
    Res page = req("GET", path, dx->cookie, NULL);
    assert_int_equal(page.status, 200);
    assert_true(has(&page, "&lt;b&gt;文書管理"));
    assert_false(has(&page, "<b>文書管理"));
    /* Staff by 職員番号: a good one is added, a bad one is refused. */
    char *no = db_text(db, &a, "SELECT s.staff_no FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL"
                                         " ORDER BY s.staff_no LIMIT 1");
    snprintf(path, sizeof path, "/systems/%lld/staff", (long long)id);
    snprintf(body, sizeof body, "csrf=%s&staff_no=%s&role=main", dx->csrf, no);
    Res add = req("POST", path, dx->cookie, body);
    assert_int_equal(add.status, 303);
    assert_true(db_exists(db, "SELECT 1 FROM key_system_duty k JOIN staff s ON s.id = k.staff_id WHERE k.system_id = ? AND s.staff_no = ? AND k.role = 'main'",
                          id, no));
    int rows = count("SELECT COUNT(*) FROM key_system_duty"), audits = count("SELECT COUNT(*) FROM audit_log");
    snprintf(body, sizeof body, "csrf=%s&staff_no=NO-SUCH-1&role=backup", dx->csrf);
    Res nobody = req("POST", path, dx->cookie, body);
    assert_int_equal(nobody.status, 422);
    assert_true(has(&nobody, "その職員番号の職員はいません。"));
    assert_true(has(&nobody, "value=\"NO-SUCH-1\""));
    assert_int_equal(count("SELECT COUNT(*) FROM key_system_duty"), rows);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    /* Remove, and a 所属長 may not change anything. */
    snprintf(body, sizeof body, "csrf=%s&staff_no=%s&role=remove", user("kacho")->csrf, no);
    Res boss = req("POST", path, user("kacho")->cookie, body);
    assert_int_equal(boss.status, 403);
    snprintf(body, sizeof body, "csrf=%s&staff_no=%s&role=remove", dx->csrf, no);
    Res rm = req("POST", path, dx->cookie, body);
    assert_int_equal(rm.status, 303);
    assert_int_equal(count("SELECT COUNT(*) FROM key_system_duty"), rows - 1);
    Res missing = req("POST", "/systems/999999/staff", dx->cookie, body);
    assert_int_equal(missing.status, 404);
    buf_free(&bad.raw);
    buf_free(&ok.raw);
    buf_free(&page.raw);
    buf_free(&add.raw);
    buf_free(&nobody.raw);
    buf_free(&boss.raw);
    buf_free(&rm.raw);
    buf_free(&missing.raw);
    arena_free(&a);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),        cmocka_unit_test(test_preview_writes_nothing), cmocka_unit_test(test_bad_list),
        cmocka_unit_test(test_apply),        cmocka_unit_test(test_systems_list),           cmocka_unit_test(test_systems_edit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
