/* test_tier.c - the designation rules: one 総括リーダー per 係 at a time
 * (hand-over ends the current one the day before), a 総括リーダー from their
 * own 係, dates inside the 年度, ended_on as the last day in force, lists on
 * the 年度's view date, and the 年度 rollover at 3/31 and 4/1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/audit.h"
#include "core/errors.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/nendo.h"
#include "domain/tier.h"
#include "io/text.h"
#include "../tmpdb.h"

static char path[64];
static Db *db;
static int64_t kakari_a, kakari_b, a1, a2, a3, b1;

static int64_t add_unit(const char *code, const char *name, int level, int64_t parent)
{
    Stmt *st = db_query(db, "INSERT INTO org_unit (code, name, level, parent_id, valid_from) VALUES (?, ?, ?, ?, '2000-04-01') RETURNING id",
                        code, name, level, DB_ID_OR_NULL(parent));
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

static int64_t add_staff(const char *no, const char *name, int64_t unit, const char *to_date)
{
    Stmt *st = db_query(db,
                        "INSERT INTO staff (staff_no, name, emp_type, post, created_at, updated_at)"
                        " VALUES (?, ?, 'regular', '主任', '2026-01-01', '2026-01-01') RETURNING id",
                        no, name);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date, to_date) VALUES (?, ?, 1, '2020-04-01', ?)", id,
            unit, to_date);
    return id;
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "unit-tier");
    if (!db) return -1;
    int64_t ka = add_unit("X", "政策企画課", 3, 0);
    kakari_a = add_unit("XA", "広報・DX推進係", 4, ka);
    kakari_b = add_unit("XB", "企画係", 4, ka);
    a1 = add_staff("A001", "山田 太郎", kakari_a, NULL);
    a2 = add_staff("A002", "鈴木 一郎", kakari_a, NULL);
    a3 = add_staff("A003", "田中 次郎", kakari_a, "2027-03-31"); /* retires at the end of 2026 */
    b1 = add_staff("B001", "佐藤 花子", kakari_b, NULL);
    return a1 && a2 && a3 && b1 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    util_clock_set_today(NULL);
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static int designate(int64_t staff, int64_t unit, const char *sub, int nendo, const char *on, bool end_current, Errors *e, Designation *out)
{
    Designation d = {.staff_id = staff, .unit_id = unit, .subtype = sub, .nendo = nendo, .designated_on = on, .end_current = end_current};
    int rc = tier_designate(db, &ACTOR_CLI, &d, e);
    if (out) *out = d;
    return rc;
}

static int designations(void) { return (int)db_int(db, -1, "SELECT COUNT(*) FROM tier_designation"); }

static bool has_error(const Errors *e, const char *part)
{
    for (int i = 0; i < e->n; i++)
        if (strstr(e->items[i].msg, part)) return true;
    return false;
}

static void test_second_lead_refused_then_handed_over(void **state)
{
    (void)state;
    util_clock_set_today("2026-06-01");
    Errors e = {0};
    assert_int_equal(designate(a1, kakari_a, "lead", 2026, "2026-04-01", false, &e, NULL), 0);
    int before = designations(), audits = (int)db_int(db, 0, "SELECT COUNT(*) FROM audit_log");
    Designation d;
    Errors e2 = {0};
    assert_int_equal(designate(a2, kakari_a, "lead", 2026, "2026-07-01", false, &e2, &d), -1);
    assert_true(has_error(&e2, "総括リーダーは1つの係に1人です"));
    assert_string_equal(d.current_name, "山田 太郎");
    assert_int_equal(designations(), before);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log"), audits);
    /* with end_current: the old one's last day is the day before */
    Errors e3 = {0};
    assert_int_equal(designate(a2, kakari_a, "lead", 2026, "2026-07-01", true, &e3, NULL), 0);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT ended_on FROM tier_designation WHERE staff_id = ? AND subtype = 'lead'", a1), "2026-06-30");
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'tier.end' AND subject_staff_id = ?", a1));
    arena_free(&a);
    /* the list shows the new leader only (view date 2026-07-10) */
    util_clock_set_today("2026-07-10");
    Designation *ds;
    int n = tier_list(db, &a, 2026, 0, &ds);
    assert_int_equal(n, 1);
    assert_int_equal(ds[0].staff_id, a2);
    /* a lead starting before the current one's first day cannot end it */
    Errors e4 = {0};
    assert_int_equal(designate(a3, kakari_a, "lead", 2026, "2026-06-15", true, &e4, NULL), -1);
    arena_free(&a);
}

static void test_lead_from_other_kakari_refused(void **state)
{
    (void)state;
    Errors e = {0};
    int before = designations();
    assert_int_equal(designate(b1, kakari_a, "lead", 2026, "2026-04-01", false, &e, NULL), -1);
    assert_true(has_error(&e, "総括リーダーはその係に所属する職員から指名してください"));
    assert_int_equal(designations(), before);
    /* プロジェクト担当 only needs the person in service */
    Errors e2 = {0};
    assert_int_equal(designate(b1, kakari_a, "project", 2026, "2026-04-01", false, &e2, NULL), 0);
}

static void test_dates_inside_nendo(void **state)
{
    (void)state;
    Errors e = {0};
    int before = designations();
    assert_int_equal(designate(b1, kakari_b, "info", 2026, "2026-03-31", false, &e, NULL), -1);
    assert_true(has_error(&e, "指名日は2026年度の期間"));
    Errors e2 = {0};
    assert_int_equal(designate(b1, kakari_b, "info", 2026, "2027-04-01", false, &e2, NULL), -1);
    assert_int_equal(designations(), before);
    /* a person out of service on the date */
    Errors e3 = {0};
    assert_int_equal(designate(a3, kakari_a, "project", 2027, "2027-04-01", false, &e3, NULL), -1);
    assert_true(has_error(&e3, "在職していません"));
    /* ended_on: not before designated_on, inside the 年度, last day inclusive */
    Designation d;
    Errors e4 = {0};
    assert_int_equal(designate(b1, kakari_b, "info", 2026, "2026-05-01", false, &e4, &d), 0);
    Errors e5 = {0};
    assert_int_equal(tier_end(db, &ACTOR_CLI, d.id, "2026-04-30", &e5), -1);
    assert_true(has_error(&e5, "指名日（2026-05-01）以降"));
    Errors e6 = {0};
    assert_int_equal(tier_end(db, &ACTOR_CLI, d.id, "2027-04-01", &e6), -1);
    assert_null(db_text(db, &(Arena)ARENA_INIT, "SELECT ended_on FROM tier_designation WHERE id = ?", d.id));
    Errors e7 = {0};
    assert_int_equal(tier_end(db, &ACTOR_CLI, d.id, "2027-03-31", &e7), 0);
    /* in force on its last day, gone the day after */
    int c[4];
    tier_counts(db, 2026, "2027-03-31", c);
    int on_last = c[1];
    Errors e8 = {0};
    Designation d2;
    assert_int_equal(designate(a1, kakari_a, "info", 2026, "2026-05-01", false, &e8, &d2), 0);
    Errors e9 = {0};
    assert_int_equal(tier_end(db, &ACTOR_CLI, d2.id, "2026-09-30", &e9), 0);
    tier_counts(db, 2026, "2026-09-30", c);
    int sep30 = c[1];
    tier_counts(db, 2026, "2026-10-01", c);
    assert_int_equal(c[1], sep30 - 1);
    assert_true(on_last >= 1);
}

/* The rollover is the same at a 3/31 and a 4/1 clock: it works on dates. */
static void rollover_at(const char *today)
{
    util_clock_set_today(today);
    Arena a = ARENA_INIT;
    Errors e = {0};
    RolloverReport r;
    int before = designations();
    assert_int_equal(nendo_rollover(db, &a, &ACTOR_CLI, 2026, 2027, NENDO_DRY_RUN, &r, &e), 0);
    assert_int_equal(designations(), before); /* dry run writes nothing */
    assert_int_equal(r.carried[2], 1);        /* the current lead a2 */
    bool a3_left = false;
    for (int i = 0; i < r.nleft; i++) a3_left |= r.left[i].staff_id == a3;
    assert_true(a3_left); /* retires on 2027-03-31 */
    assert_false(db_exists(db, "SELECT 1 FROM tier_designation WHERE nendo = 2027"));
    arena_free(&a);
}

static void test_rollover_dry_run_at_boundaries(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(designate(a3, kakari_a, "project", 2026, "2026-04-01", false, &e, NULL), 0);
    rollover_at("2027-03-31");
    rollover_at("2027-04-01");
    /* applied: the lead carries with designated_on 2027-04-01, twice is a no-op */
    Arena a = ARENA_INIT;
    RolloverReport r;
    Errors e2 = {0};
    assert_int_equal(nendo_rollover(db, &a, &ACTOR_CLI, 2026, 2027, 0, &r, &e2), 0);
    assert_true(db_exists(db, "SELECT 1 FROM tier_designation WHERE nendo = 2027 AND staff_id = ? AND subtype = 'lead'"
                              " AND designated_on = '2027-04-01' AND ended_on IS NULL", a2));
    assert_false(db_exists(db, "SELECT 1 FROM tier_designation WHERE nendo = 2027 AND staff_id = ?", a3));
    int after = designations();
    RolloverReport r2;
    Errors e3 = {0};
    assert_int_equal(nendo_rollover(db, &a, &ACTOR_CLI, 2026, 2027, 0, &r2, &e3), 0);
    assert_int_equal(designations(), after);
    assert_int_equal(r2.existing, r.existing + rollover_carried(&r));
    assert_int_equal(rollover_carried(&r2), 0);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_lead_refused_then_handed_over),
        cmocka_unit_test(test_lead_from_other_kakari_refused),
        cmocka_unit_test(test_dates_inside_nendo),
        cmocka_unit_test(test_rollover_dry_run_at_boundaries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
