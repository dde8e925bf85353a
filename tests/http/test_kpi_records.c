/* test_kpi_records.c - the KPIs that count records rather than people: the
 * case library's (cases published, cases per 係, views) and external
 * talent's (engagements, hours, knowledge-transfer sessions). Each formula
 * is checked against a fixture whose answer is known: rows inside and
 * outside the 年度, drafts, and days after the date the KPI is read on.
 * Then the same numbers on the dashboard, in its CSV (the rows `jinzai kpi`
 * prints) and in the annual report, which no longer says 未整備. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/kpi.h"
#include "domain/skill.h"
#include "app/router.h"

#include "harness.h"

static Who users[] = {{.login = "jinji"}, {.login = "dx"}};

HARNESS_SETUP("kpirec", users)

/* Two 係 of the demo, and two people of it. */
static int64_t unit_a, unit_b, staff_x, staff_y;

static void fixture(void)
{
    unit_a = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 4 ORDER BY id LIMIT 1");
    unit_b = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 4 AND id > ? ORDER BY id LIMIT 1", unit_a);
    staff_x = db_int(db, 0, "SELECT MIN(id) FROM staff");
    staff_y = db_int(db, 0, "SELECT MIN(id) FROM staff WHERE id > ?", staff_x);
    assert_true(unit_a && unit_b && staff_x && staff_y);
    const char *t = "2026-04-01T09:00:00";
    /* External talent: a CIO補佐官 and an advisor. */
    assert_int_equal(db_exec(db, "INSERT INTO extern_person (id, name, kind, created_at, updated_at) VALUES (901, '補佐 一郎', 'cio_aide', ?, ?),"
                                 " (902, '助言 二郎', 'advisor', ?, ?)",
                             t, t, t, t),
                     2);
    /* In 2026: the whole 年度 (100 h, 特交) and one ending on its first day
     * (20 h); in 2025 only: 50 h; in 2027 only: 5 h. */
    assert_int_equal(db_exec(db, "INSERT INTO extern_engagement (extern_id, from_date, to_date, cost, tokko, hours_actual) VALUES"
                                 " (901, '2026-04-01', '2027-03-31', 1000000, 1, 100), (901, '2025-10-01', '2026-04-01', 0, 0, 20),"
                                 " (902, '2025-04-01', '2026-03-31', 0, 0, 50), (902, '2027-04-01', '2027-06-30', 0, 0, 5)"),
                     4);
    /* Sessions: one held in 2026 before today (11/16), one planned after it, one in 2025. */
    assert_int_equal(db_exec(db, "INSERT INTO extern_session (extern_id, held_on, title, hours, attendee_count) VALUES"
                                 " (901, '2026-05-10', 'AI勉強会', 2, 15), (901, '2026-12-01', '予定の勉強会', 2, 0), (902, '2026-03-15', '前年度の研修', 1, 8)"),
                     3);
    /* Cases of 2026: two of 係 A (庁内事例, 職場還元), one without a unit, a
     * draft of 係 B (not counted); one of 2025. */
    assert_int_equal(db_exec(db, "INSERT INTO case_study (id, kind, title, nendo, unit_id, published, published_on, created_at, updated_at) VALUES"
                                 " (801, 'internal', '庁内のRPA', 2026, ?, 1, '2026-06-01', ?, ?), (802, 'shareback', '職場還元の報告', 2026, ?, 1, '2026-07-01', ?, ?),"
                                 " (803, 'advanced', '先進地の窓口', 2026, NULL, 1, '2026-05-01', ?, ?), (804, 'internal', '下書き', 2026, ?, 0, NULL, ?, ?),"
                                 " (805, 'other', '前年度の事例', 2025, NULL, 1, '2025-09-01', ?, ?)",
                             unit_a, t, t, unit_a, t, t, t, t, unit_b, t, t, t, t),
                     5);
    /* Views: 3 + 2 in 2026 up to today, 4 tomorrow (not yet), 7 in 2025. */
    assert_int_equal(db_exec(db, "INSERT INTO case_view (case_id, staff_id, day, count) VALUES (801, ?, '2026-04-01', 3), (801, ?, '2026-11-16', 2),"
                                 " (803, ?, '2026-11-17', 4), (805, ?, '2026-03-31', 7)",
                             staff_x, staff_y, staff_x, staff_x),
                     4);
}

static const KpiValue *value(const KpiValue *v, const char *code)
{
    for (int i = 0; i < kpi_count; i++)
        if (!strcmp(v[i].def->code, code)) return &v[i];
    fail_msg("no KPI %s", code);
    return NULL;
}

static void test_formulas(void **state)
{
    (void)state;
    fixture();
    Arena a = ARENA_INIT;
    KpiValue *v;
    kpi_compute(db, &a, 2026, NULL, &v); /* read on today, 2026-11-16 */
    assert_true(value(v, "EXT_ENGAGEMENTS")->actual == 2);
    assert_true(value(v, "EXT_ENGAGEMENTS")->previous == 2); /* 2025: 20 h and 50 h */
    assert_true(value(v, "EXT_HOURS")->actual == 120);
    assert_true(value(v, "EXT_HOURS")->previous == 70);
    assert_true(value(v, "EXT_SESSIONS")->actual == 1);   /* the planned one is not held yet */
    assert_true(value(v, "EXT_SESSIONS")->previous == 1);
    assert_true(value(v, "CASES_PUBLISHED")->actual == 3); /* the draft is not */
    assert_true(value(v, "CASES_PUBLISHED")->previous == 1);
    const KpiValue *per = value(v, "CASES_PER_UNIT"), *lead = value(v, "LEADER_RATE");
    assert_int_equal(per->num, 2);
    assert_int_equal(per->den, lead->den); /* the 係 (and 課 without 係) that need a leader */
    assert_true(per->den > 0 && fabs(per->actual - 2.0 / per->den) < 1e-9);
    assert_true(value(v, "CASE_VIEWS")->actual == 5);
    assert_true(value(v, "CASE_VIEWS")->previous == 7);
    /* Read on the 年度's last day, the planned session and tomorrow's views count. */
    KpiValue *end;
    kpi_compute(db, &a, 2026, "2027-03-31", &end);
    assert_true(value(end, "EXT_SESSIONS")->actual == 2);
    assert_true(value(end, "CASE_VIEWS")->actual == 9);
    arena_free(&a);
}

static void test_pages(void **state)
{
    (void)state;
    /* The dashboard CSV holds the same rows as `jinzai kpi`. */
    Res csv = req("GET", "/kpi?nendo=2026&format=csv", user("dx")->cookie, NULL);
    assert_int_equal(csv.status, 200);
    assert_true(has(&csv, "CASES_PUBLISHED,事例の公開件数,,3,件\r\n"));
    assert_true(has(&csv, "CASE_VIEWS,事例の閲覧数,,5,回\r\n"));
    assert_true(has(&csv, "EXT_ENGAGEMENTS,外部人材の活用件数,,2,件\r\n"));
    assert_true(has(&csv, "EXT_HOURS,外部人材の活用時間,,120,時間\r\n"));
    assert_true(has(&csv, "EXT_SESSIONS,外部人材による知識移転の回数,,1,回\r\n"));
    buf_free(&csv.raw);
    /* Tiles link to the records they count. */
    Res dash = req("GET", "/kpi?nendo=2026", user("dx")->cookie, NULL);
    assert_int_equal(dash.status, 200);
    assert_true(has(&dash, "<a class=\"card-title\" href=\"/cases\">事例の公開件数</a><span class=\"card-value\">3件</span>"));
    assert_true(has(&dash, "<a class=\"card-title\" href=\"/extern\">外部人材の活用時間</a><span class=\"card-value\">120時間</span>"));
    buf_free(&dash.raw);
    Res people = req("GET", "/kpi/CASE_VIEWS?nendo=2026", user("dx")->cookie, NULL);
    assert_int_equal(people.status, 303);
    assert_true(has(&people, "Location: /cases\r\n"));
    buf_free(&people.raw);
    /* The report: figures by kind, no 未整備. */
    Res rep = req("GET", "/kpi/report?nendo=2026", user("jinji")->cookie, NULL);
    assert_int_equal(rep.status, 200);
    assert_false(has(&rep, "未整備"));
    assert_true(has(&rep, "事例集で公開した事例 3件（先進地事例 1件・他団体優良事例 0件・庁内事例 1件・職場還元 1件）"));
    assert_true(has(&rep, "外部人材の活用（種別ごと）"));
    assert_true(has(&rep, "<tr><th scope=\"row\">CIO補佐官</th><td class=\"num\">1</td><td class=\"num\">2件</td><td class=\"num\">120時間</td>"
                          "<td class=\"num\">1000000円</td><td class=\"num\">1件</td></tr>"));
    assert_true(has(&rep, "外部人材（CIO補佐官を含む）：契約・委嘱 2件、知識移転 1回"));
    buf_free(&rep.raw);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_formulas), cmocka_unit_test(test_pages)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
