/* test_lifecycle.c - employment follows dates: a retirement, a transfer
 * list and a hire dated in the future are stored now and take effect on
 * their date; re-hiring; the roster's first load and --retire-missing.
 *
 * Requests go through http_answer_raw against a fresh demo database. The
 * clock is pinned (util_clock_set_today) so nothing depends on the day the
 * tests run: "today" is 2026-11-15, inside the demo's 年度 2026, and the
 * list is dated the next 4/1. The tests run in order and build on each other. */
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
#include "domain/staffing.h"
#include "domain/kpi.h"
#include "domain/skill.h"
#include "domain/staff.h"
#include "app/router.h"

#include "harness.h"

#define TODAY "2026-11-15"
#define APRIL "2027-04-01"
#define MARCH31 "2027-03-31"
#define HEAD "職員番号,区分,新所属コード,発令日,氏名,カナ,職員区分\r\n"
#define BD "jinzaiLifecycleBoundary"

static Who users[] = {{.login = "jinji"}, {.login = "dx"}};

HARNESS_SETUP("lifecycle", users)

/* Moves the clock; sessions are timed by it, so the users log in again. */
static void day(const char *iso)
{
    assert_int_equal(util_clock_set_today(iso), 0);
    for (size_t i = 0; i < COUNTOF(users); i++) login(&users[i]);
}

/* Posts a multipart form: csrf, name/value pairs (NULL-terminated), file. */
static Res post_file(Who *w, const char *path, const char *const *fields, const char *file)
{
    Buf body = BUF_INIT;
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", BD, w->csrf);
    for (; *fields; fields += 2) buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", BD, fields[0], fields[1]);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.csv\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n--%s--\r\n",
               BD, file, BD);
    Res r = send_raw("POST", path, w->cookie, "multipart/form-data; boundary=" BD, body.data, body.len);
    buf_free(&body);
    return r;
}

/* The number in "N人が該当します" of a staff list page. */
static int listed(const char *path)
{
    Res r = req("GET", path, user("jinji")->cookie, NULL);
    assert_int_equal(r.status, 200);
    const char *p = strstr(r.body, "<p role=\"status\">");
    assert_non_null(p);
    int n = -1;
    sscanf(p, "<p role=\"status\">%d人が該当します", &n);
    buf_free(&r.raw);
    return n;
}

/* In service on a date, by the stored assignments. */
static bool in_service(int64_t id, const char *on)
{
    return db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND is_primary = 1 AND from_date <= ? AND (to_date IS NULL OR to_date >= ?)",
                     id, on, on);
}

/* Someone in service today, without an account and designation, not in
 * `but`, by staff number from the end. */
static int64_t plain_person(int64_t but)
{
    return db_int(db, 0,
                  "SELECT s.id FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL"
                  " WHERE s.id <> ? AND a.from_date <= '2026-11-15' AND s.id NOT IN (SELECT staff_id FROM account WHERE staff_id IS NOT NULL)"
                  " AND s.id NOT IN (SELECT staff_id FROM tier_designation) AND s.id NOT IN (SELECT staff_id FROM key_system_duty)"
                  " AND NOT EXISTS (SELECT 1 FROM assignment x WHERE x.staff_id = s.id AND x.is_primary = 0)"
                  " ORDER BY s.staff_no DESC LIMIT 1",
                  but);
}

static bool page_has(const char *path, const char *want)
{
    Res r = req("GET", path, user("jinji")->cookie, NULL);
    bool ok = r.status == 200 && has(&r, want);
    if (!ok) fprintf(stderr, "GET %s (%d): \"%s\" not found\n", path, r.status, want);
    buf_free(&r.raw);
    return ok;
}

static void test_future_retirement_and_rehire(void **state)
{
    (void)state;
    day(TODAY);
    int64_t id = plain_person(0);
    assert_true(id > 0);
    int64_t unit = db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", id);
    int64_t sys = db_int(db, 0, "SELECT MIN(id) FROM key_system");
    /* A duty, a designation of this 年度 and one prepared for the next. */
    db_exec(db, "INSERT INTO key_system_duty (system_id, staff_id, role, from_date) VALUES (?, ?, 'backup', '2026-04-01')", sys, id);
    db_exec(db, "INSERT INTO key_system_duty (system_id, staff_id, role, from_date) VALUES (?, ?, 'main', '2027-06-01')", sys, id);
    db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2026, 2, 'project', ?, '2026-05-01')",
            id, unit);
    db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2027, 2, 'project', ?, '2027-04-01')",
            id, unit);
    int before = listed("/staff");
    Who *hr = user("jinji");
    Res r = req("POST", fmt("/staff/%lld/deactivate", (long long)id), hr->cookie, fmt("csrf=%s&last_day=%s", hr->csrf, MARCH31));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    /* Stored: everything ends on the last day; nothing was flipped early. */
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date = ?", id, MARCH31));
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assignment WHERE staff_id = ? AND (to_date IS NULL OR to_date > ?)", id, MARCH31), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM tier_designation WHERE staff_id = ? AND ended_on = ?", id, MARCH31), 2);
    assert_true(db_exists(db, "SELECT 1 FROM key_system_duty WHERE staff_id = ? AND to_date = ?", id, MARCH31));
    assert_false(db_exists(db, "SELECT 1 FROM key_system_duty WHERE staff_id = ? AND from_date > ?", id, MARCH31));
    /* Shown: in service today and on the last day, with the date. */
    assert_int_equal(listed("/staff"), before);
    assert_true(page_has(fmt("/staff/%lld", (long long)id), "在職（令和9年3月31日退職予定）"));
    StaffFilter f = {.active = -1, .as_of = TODAY, .nendo = 2026};
    Arena a = ARENA_INIT;
    Staff s;
    assert_true(staff_get(db, &a, id, TODAY, 2026, &s));
    assert_true(s.in_service);
    assert_int_equal(s.tier, 2); /* the designation is in force until the day */
    (void)f;
    day(MARCH31);
    assert_true(page_has(fmt("/staff/%lld", (long long)id), "在職（令和9年3月31日退職予定）"));
    day(APRIL);
    assert_true(page_has(fmt("/staff/%lld", (long long)id), "退職（令和9年3月31日退職）"));
    assert_true(staff_get(db, &a, id, APRIL, 2027, &s));
    assert_false(s.in_service);
    assert_int_equal(s.tier, 3); /* the 2027 designation never took effect */
    /* Retiring again: no service on or after the day. */
    r = req("POST", fmt("/staff/%lld/deactivate", (long long)id), hr->cookie, fmt("csrf=%s&last_day=2027-06-30", hr->csrf));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "在職していません"));
    buf_free(&r.raw);
    /* Re-hire: a unit and a date; bad input keeps what was typed. */
    int audits = count("SELECT COUNT(*) FROM audit_log");
    r = req("POST", fmt("/staff/%lld/reactivate", (long long)id), hr->cookie, fmt("csrf=%s&from=2027-05-01&unit_id=", hr->csrf));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "所属を選んでください"));
    assert_true(has(&r, "value=\"2027-05-01\""));
    buf_free(&r.raw);
    r = req("POST", fmt("/staff/%lld/reactivate", (long long)id), hr->cookie, fmt("csrf=%s&from=&unit_id=%lld", hr->csrf, (long long)unit));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "採用日を正しい日付で入力してください"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    r = req("POST", fmt("/staff/%lld/reactivate", (long long)id), hr->cookie, fmt("csrf=%s&from=2027-05-01&unit_id=%lld", hr->csrf, (long long)unit));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND is_primary = 1 AND from_date = '2027-05-01' AND to_date IS NULL",
                          id, unit));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'staff.reactivate' AND subject_staff_id = ?", id));
    assert_true(page_has(fmt("/staff/%lld", (long long)id), "採用予定（令和9年5月1日から）"));
    assert_false(in_service(id, APRIL));
    assert_true(in_service(id, "2027-05-01"));
    /* Not while in service then. */
    r = req("POST", fmt("/staff/%lld/reactivate", (long long)id), hr->cookie, fmt("csrf=%s&from=2027-06-01&unit_id=%lld", hr->csrf, (long long)unit));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "在職しています"));
    buf_free(&r.raw);
    arena_free(&a);
    day(NULL);
}

/* The only 総括リーダー of a 係 in 2026, in post there, without an account. */
typedef struct Lead {
    int64_t staff_id, unit_id, dest;
    char staff_no[32], dest_code[32];
} Lead;

static void find_lead(Lead *l)
{
    Stmt *st = db_query(db,
                        "SELECT d.staff_id, d.unit_id, s.staff_no FROM tier_designation d JOIN staff s ON s.id = d.staff_id"
                        " JOIN org_unit u ON u.id = d.unit_id JOIN assignment a ON a.staff_id = s.id AND a.unit_id = u.id AND a.is_primary = 1"
                        " AND a.to_date IS NULL WHERE d.nendo = 2026 AND d.subtype = 'lead' AND d.ended_on IS NULL AND u.level = 4"
                        " AND s.id NOT IN (SELECT staff_id FROM account WHERE staff_id IS NOT NULL)"
                        " AND (SELECT COUNT(*) FROM tier_designation x WHERE x.unit_id = u.id AND x.nendo = 2026 AND x.subtype = 'lead') = 1"
                        " ORDER BY s.staff_no LIMIT 1");
    assert_int_equal(db_step(st), DB_ROW);
    l->staff_id = db_col_int(st, 0);
    l->unit_id = db_col_int(st, 1);
    snprintf(l->staff_no, sizeof l->staff_no, "%s", db_col_text(st, 2));
    db_done(st);
    l->dest = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4 AND valid_to IS NULL AND id <> ?", l->unit_id);
    Arena a = ARENA_INIT;
    snprintf(l->dest_code, sizeof l->dest_code, "%s", db_text(db, &a, "SELECT code FROM org_unit WHERE id = ?", l->dest));
    arena_free(&a);
}

/* Head count of a unit (its subtree) on a date, as the staff list counts it. */
static int heads(int64_t unit, const char *on, int nendo)
{
    Arena a = ARENA_INIT;
    StaffFilter f = {.unit_id = unit, .active = 1, .as_of = on, .nendo = nendo};
    Staff *rows;
    int total;
    staff_search(db, &a, &f, &rows, &total);
    arena_free(&a);
    return total;
}

/* The 総括リーダー rule of a unit on a date: how many hold it. */
static int leaders(int64_t unit, int nendo, const char *on)
{
    Arena a = ARENA_INIT;
    StaffingRow *rows;
    int n = staffing_coverage(db, &a, nendo, on, &rows), have = -1;
    for (int i = 0; i < n; i++)
        if (rows[i].unit_id == unit && str_eq(rows[i].rule, "leader")) have = rows[i].have;
    arena_free(&a);
    return have;
}

static void test_april_list_applied_in_november(void **state)
{
    (void)state;
    day(TODAY);
    Lead l;
    find_lead(&l);
    /* The leader's designation for the next 年度, prepared in advance. */
    db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2027, 2, 'lead', ?, ?)", l.staff_id, l.unit_id, APRIL);
    int64_t retiree = plain_person(l.staff_id);
    Arena a = ARENA_INIT;
    char *rno = db_text(db, &a, "SELECT staff_no FROM staff WHERE id = ?", retiree);
    char csv[768];
    snprintf(csv, sizeof csv, HEAD "%s,異動,%s,%s,,,\r\n%s,退職,,%s,,,\r\nT80001,採用,%s,%s,国東　花子,クニサキ　ハナコ,正規\r\n", l.staff_no, l.dest_code,
             APRIL, rno, APRIL, l.dest_code, APRIL);
    /* Today's figures, and those of 4/1 as they stand. */
    int all = listed("/staff"), in_unit = heads(l.unit_id, TODAY, 2026), in_dest = heads(l.dest, TODAY, 2026);
    int lead_today = leaders(l.unit_id, 2026, TODAY);
    assert_int_equal(lead_today, 1);
    assert_int_equal(leaders(l.unit_id, 2027, APRIL), 1);
    int april_unit = heads(l.unit_id, APRIL, 2027), april_dest = heads(l.dest, APRIL, 2027);
    day(APRIL);
    int april_all = listed("/staff");
    day(TODAY);
    Res r = post_file(user("jinji"), "/transfers/apply", (const char *const[]){NULL}, csv);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    /* Stored with its dates. */
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND is_primary = 1 AND to_date = ?", l.staff_id,
                          l.unit_id, MARCH31));
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND from_date = ?", l.staff_id, l.dest, APRIL));
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM tier_designation WHERE staff_id = ? AND unit_id = ? AND ended_on = ?", l.staff_id,
                            l.unit_id, MARCH31),
                     2);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'staff.transfer' AND subject_staff_id = ? AND summary LIKE '%指名%'", l.staff_id));
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date = ?", retiree, MARCH31));
    int64_t hire = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = 'T80001'");
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND from_date = ? AND to_date IS NULL", hire, APRIL));
    /* Today nothing changed. */
    assert_int_equal(listed("/staff"), all);
    assert_int_equal(heads(l.unit_id, TODAY, 2026), in_unit);
    assert_int_equal(heads(l.dest, TODAY, 2026), in_dest);
    assert_int_equal(leaders(l.unit_id, 2026, TODAY), lead_today);
    Staff lead;
    assert_true(staff_get(db, &a, l.staff_id, MARCH31, 2026, &lead)); /* still the leader on the last day there */
    assert_int_equal(lead.tier, 2);
    assert_int_equal(lead.unit_id, l.unit_id);
    assert_true(page_has(fmt("/staff/%lld", (long long)retiree), "在職（令和9年3月31日退職予定）"));
    assert_true(page_has(fmt("/staff/%lld", (long long)hire), "採用予定（令和9年4月1日から）"));
    assert_true(page_has(fmt("/staff?unit_id=%lld", (long long)l.unit_id), l.staff_no));
    /* On 4/1 it shows: the leader has moved, the 係 has the gap. */
    day(APRIL);
    assert_int_equal(listed("/staff"), april_all); /* one retired, one hired */
    assert_int_equal(heads(l.unit_id, APRIL, 2027), april_unit - 1);
    assert_int_equal(heads(l.dest, APRIL, 2027), april_dest + 2);
    assert_int_equal(leaders(l.unit_id, 2027, APRIL), 0);
    assert_true(page_has(fmt("/staff/%lld", (long long)retiree), "退職（令和9年3月31日退職）"));
    assert_true(page_has(fmt("/staff/%lld", (long long)hire), "在職"));
    assert_true(page_has(fmt("/staff?active=0&q=%s", rno), rno));
    arena_free(&a);
    day(NULL);
}

/* Percent-encodes s after "name=" into b. */
static void form_field(Buf *b, const char *name, const char *s)
{
    buf_printf(b, "&%s=", name);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-') buf_putc(b, (char)*p);
        else buf_printf(b, "%%%02X", *p);
    }
}

/* Previews a roster (as of TODAY), and applies it when the preview passed. */
static Res roster(const char *csv, bool retire, bool apply)
{
    Res pre = post_file(user("jinji"), "/import/preview",
                        (const char *const[]){"profile", "標準", "as_of", TODAY, "retire_missing", retire ? "1" : "0", NULL}, csv);
    if (!apply || pre.status != 200) return pre;
    buf_free(&pre.raw);
    Buf body = BUF_INIT;
    buf_printf(&body, "csrf=%s", user("jinji")->csrf);
    form_field(&body, "profile", "標準");
    form_field(&body, "as_of", TODAY);
    form_field(&body, "retire_missing", retire ? "1" : "0");
    form_field(&body, "csv", csv);
    Res r = req("POST", "/import/apply", user("jinji")->cookie, buf_cstr(&body));
    buf_free(&body);
    return r;
}

#define RHEAD "職員番号,漢字氏名,カナ氏名,所属コード,職位,職種,職員区分,異動年月日,採用日\r\n"

static void test_roster_first_load(void **state)
{
    (void)state;
    day(TODAY);
    Arena a = ARENA_INIT;
    int64_t unit = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4 AND valid_to IS NULL");
    char *code = db_text(db, &a, "SELECT code FROM org_unit WHERE id = ?", unit);
    char *from = db_text(db, &a, "SELECT valid_from FROM org_unit WHERE id = ?", unit);
    assert_true(strcmp(from, "1995-04-01") > 0);
    char csv[512];
    snprintf(csv, sizeof csv, RHEAD "R70001,宇佐　一郎,ウサ　イチロウ,%s,主事,一般行政,正規,,1995-04-01\r\n", code);
    int assignments = count("SELECT COUNT(*) FROM assignment");
    Res pre = roster(csv, false, false);
    assert_int_equal(pre.status, 200);
    assert_true(has(&pre, "採用日 1995-04-01 は所属の設置日より前のため"));
    assert_true(has(&pre, fmt("配属は %s からとします", from)));
    buf_free(&pre.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM assignment"), assignments); /* the dry run left nothing */
    assert_int_equal(count("SELECT COUNT(*) FROM staff WHERE staff_no = 'R70001'"), 0);
    Res r = roster(csv, false, true);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = 'R70001'");
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND is_primary = 1 AND from_date = ?", id, unit, from));
    assert_true(page_has(fmt("/staff/%lld", (long long)id), "在職"));
    /* The same file again changes nothing. */
    pre = roster(csv, false, false);
    assert_int_equal(pre.status, 200);
    assert_true(has(&pre, "反映する変更はありません"));
    buf_free(&pre.raw);
    arena_free(&a);
    day(NULL);
}

static void test_dry_run_fails_as_apply_would(void **state)
{
    (void)state;
    day(TODAY);
    Arena a = ARENA_INIT;
    int64_t id = plain_person(0);
    int64_t cur = db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", id);
    int64_t other = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4 AND valid_to IS NULL AND id <> ?", cur);
    /* A 兼務 there: moving the 本務 to the same unit is refused on apply. */
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date) VALUES (?, ?, 0, '2026-06-01')", id, other);
    char *no = db_text(db, &a, "SELECT staff_no FROM staff WHERE id = ?", id);
    char *name = db_text(db, &a, "SELECT name FROM staff WHERE id = ?", id);
    char *code = db_text(db, &a, "SELECT code FROM org_unit WHERE id = ?", other);
    char csv[512];
    snprintf(csv, sizeof csv, RHEAD "%s,%s,,%s,,,,,\r\n", no, name, code);
    int assignments = count("SELECT COUNT(*) FROM assignment"), audits = count("SELECT COUNT(*) FROM audit_log");
    Res pre = roster(csv, false, false);
    assert_int_equal(pre.status, 422);
    assert_true(has(&pre, "この所属には既に配属されています"));
    assert_true(has(&pre, "2行目"));
    buf_free(&pre.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM assignment"), assignments);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    arena_free(&a);
    day(NULL);
}

static void test_retire_missing_spares_future_hire(void **state)
{
    (void)state;
    day(TODAY);
    Arena a = ARENA_INIT;
    int64_t unit = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4 AND valid_to IS NULL");
    Staff s = {.staff_no = "F60001", .name = "杵築　未来", .kana = "", .emp_type = "regular", .post = "", .job_type = "", .unit_id = unit};
    Errors e = {0};
    assert_int_equal(staff_save(db, &ACTOR_CLI, &s, APRIL, &e), 0);
    int64_t kept = plain_person(0);
    char *kno = db_text(db, &a, "SELECT staff_no FROM staff WHERE id = ?", kept);
    char *kname = db_text(db, &a, "SELECT name FROM staff WHERE id = ?", kept);
    char *kcode = db_text(db, &a, "SELECT u.code FROM assignment x JOIN org_unit u ON u.id = x.unit_id WHERE x.staff_id = ? AND x.is_primary = 1"
                                  " AND x.to_date IS NULL", kept);
    /* The test users stay on the roster: a retired person can no longer log in. */
    Buf rows = BUF_INIT;
    for (size_t i = 0; i < COUNTOF(users); i++) {
        int64_t v = users[i].staff_id;
        buf_printf(&rows, "%s,%s,,%s,,,,,\r\n", db_text(db, &a, "SELECT staff_no FROM staff WHERE id = ?", v),
                   db_text(db, &a, "SELECT name FROM staff WHERE id = ?", v),
                   db_text(db, &a, "SELECT u.code FROM assignment x JOIN org_unit u ON u.id = x.unit_id WHERE x.staff_id = ? AND x.is_primary = 1"
                                   " AND x.to_date IS NULL", v));
    }
    int64_t gone = db_int(db, 0,
                          "SELECT s.id FROM staff s JOIN assignment x ON x.staff_id = s.id AND x.is_primary = 1 AND x.to_date IS NULL"
                          " WHERE s.id NOT IN (?, ?, ?, ?) AND x.from_date <= ? ORDER BY s.staff_no LIMIT 1",
                          kept, s.id, users[0].staff_id, users[1].staff_id, TODAY);
    int in_service_today = count("SELECT COUNT(DISTINCT staff_id) FROM assignment WHERE is_primary = 1 AND from_date <= '2026-11-15'"
                                 " AND (to_date IS NULL OR to_date >= '2026-11-15')");
    char csv[768];
    snprintf(csv, sizeof csv, RHEAD "%s,%s,,%s,,,,,\r\n%s", kno, kname, kcode, buf_cstr(&rows));
    buf_free(&rows);
    Res pre = roster(csv, true, false);
    assert_int_equal(pre.status, 200);
    assert_true(has(&pre, fmt("名簿になし（%d人）", in_service_today - 1 - (int)COUNTOF(users))));
    assert_false(has(&pre, "F60001"));
    buf_free(&pre.raw);
    Res r = roster(csv, true, true);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    /* The hire to come and their assignment are untouched. */
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND from_date = ? AND to_date IS NULL AND is_primary = 1", s.id, APRIL));
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND to_date IS NULL", kept));
    assert_true(db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date = '2026-11-14'", gone));
    assert_false(in_service(gone, TODAY));
    assert_true(page_has(fmt("/staff/%lld", (long long)s.id), "採用予定（令和9年4月1日から）"));
    day(APRIL);
    assert_true(in_service(s.id, APRIL));
    assert_true(page_has(fmt("/staff/%lld", (long long)s.id), "在職"));
    arena_free(&a);
    day(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_future_retirement_and_rehire), cmocka_unit_test(test_april_list_applied_in_november),
        cmocka_unit_test(test_roster_first_load),            cmocka_unit_test(test_dry_run_fails_as_apply_would),
        cmocka_unit_test(test_retire_missing_spares_future_hire),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
