/* test_qual.c - qualifications: validation, audit, the expiry window,
 * evidence by skill item, deleting only one's own rows, and counts. */
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
#include "db/db.h"
#include "db/migrate.h"
#include "domain/qual.h"
#include "domain/skill.h"
#include "io/text.h"
#include "../tmpdb.h"

static char path[64];
static Db *db;
static int64_t ka, kb; /* staff A in 係 A (under 課 X), staff B in 課 Y */
static int64_t unit_x, unit_y;

static int64_t add_unit(const char *code, const char *name, int level, int64_t parent)
{
    Stmt *st = db_query(db, "INSERT INTO org_unit (code, name, level, parent_id, valid_from) VALUES (?, ?, ?, ?, '2000-04-01') RETURNING id",
                        code, name, level, DB_ID_OR_NULL(parent));
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

static int64_t add_staff(const char *no, const char *name, int64_t unit)
{
    Stmt *st = db_query(db,
                        "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at)"
                        " VALUES (?, ?, 'regular', '2026-01-01', '2026-01-01') RETURNING id",
                        no, name);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date) VALUES (?, ?, 1, '2020-04-01')", id, unit);
    return id;
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "unit-qual");
    if (!db || skill_load_defaults(db, 2026) != 0) return -1;
    unit_x = add_unit("X", "政策企画課", 3, 0);
    int64_t kakari = add_unit("XA", "広報・DX推進係", 4, unit_x);
    unit_y = add_unit("Y", "総務課", 3, 0);
    ka = add_staff("A001", "山田 太郎", kakari);
    kb = add_staff("B001", "佐藤 花子", unit_y);
    return ka && kb ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static const char *day(int offset)
{
    static char buf[4][11];
    static int k;
    char *out = buf[k++ % 4];
    date_iso(date_add_days(date_today(), offset), out);
    return out;
}

static int audit_count(const char *action)
{
    return (int)db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action);
}

static void test_types(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    QualType *ts;
    int n = qual_types(db, &a, &ts);
    assert_true(n >= 5);
    assert_string_equal(ts[0].code, "IP");
    assert_int_equal(ts[0].itss_level, 1);
    bool sc = false;
    for (int i = 0; i < n; i++) {
        if (i) assert_true(ts[i - 1].itss_level <= ts[i].itss_level);
        if (strcmp(ts[i].code, "SC") == 0) sc = ts[i].expires;
    }
    assert_true(sc);
    arena_free(&a);
}

static void test_add_validation(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "IP", day(5), NULL, "", &e), -1);
    assert_string_equal(err_for(&e, "acquired_on"), "取得日に未来の日付は入力できません。");

    e = (Errors){0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "SC", "2024-04-01", "2024-03-31", NULL, &e), -1);
    assert_non_null(err_for(&e, "expires_on"));

    e = (Errors){0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "SC", "2024-04-01", "", NULL, &e), -1);
    assert_string_equal(err_for(&e, "expires_on"), "この資格は有効期限を入力してください（登録の更新がある資格です）。");

    e = (Errors){0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "NOPE", "2024-02-30", "x", NULL, &e), -1);
    assert_non_null(err_for(&e, "code"));
    assert_non_null(err_for(&e, "acquired_on"));
    assert_non_null(err_for(&e, "expires_on"));

    char note[700] = "";
    for (int i = 0; i < 201; i++) strcat(note, "あ");
    e = (Errors){0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "IP", "2024-04-01", NULL, note, &e), -1);
    assert_non_null(err_for(&e, "note"));

    e = (Errors){0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, 999999, "IP", "2024-04-01", NULL, NULL, &e), -1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM staff_qualification"), 0);
    assert_int_equal(audit_count("qual.add"), 0);

    /* A valid add, and the same one again is refused. */
    e = (Errors){0};
    note[600] = 0; /* 200 characters of 3 bytes: the limit itself is fine */
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "IP", "2024-04-01", NULL, note, &e), 0);
    assert_int_equal(e.n, 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "SC", "2024-04-01", "2026-03-31", NULL, &e), 0);
    assert_int_equal(audit_count("qual.add"), 2);
    assert_int_equal(db_int(db, 0, "SELECT subject_staff_id FROM audit_log WHERE action = 'qual.add' ORDER BY id LIMIT 1"), ka);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE entity = 'staff_qualification' AND summary LIKE '%ITパスポート%'"));
    assert_true(db_exists(db, "SELECT 1 FROM staff_qualification WHERE qual_code = 'IP' AND expires_on IS NULL"));

    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "IP", "2024-04-01", NULL, NULL, &e), -1);
    assert_string_equal(err_for(&e, "code"), "同じ資格・取得日の記録が既にあります。");
    assert_int_equal(audit_count("qual.add"), 2);

    /* Not for someone who has left (their primary assignment ended yesterday). */
    db_exec(db, "UPDATE assignment SET to_date = ? WHERE staff_id = ?", day(-1), kb);
    e = (Errors){0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, kb, "IP", "2024-04-01", NULL, NULL, &e), -1);
    assert_int_equal(e.n, 1);

    Arena a = ARENA_INIT;
    StaffQual *qs;
    assert_int_equal(qual_of_staff(db, &a, ka, &qs), 2);
    assert_string_equal(qs[0].qual_name, "情報処理安全確保支援士"); /* same date: newest record first */
    assert_string_equal(qs[0].expires_on, "2026-03-31");
    assert_null(qs[1].expires_on);
    assert_int_equal(qs[1].itss_level, 1);
    arena_free(&a);
}

static void test_expiring_window(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "SC", "2022-04-01", day(10), "soon", &e), 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, kb, "SC", "2022-04-01", day(120), "later", &e), 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, kb, "IP", "2022-04-01", NULL, "never", &e), 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, kb, "NW", "2022-04-01", day(-10), "lapsed", &e), 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "NW", "2022-04-01", day(-40), "long ago", &e), 0);
    /* Renewed: the older record expiring today is superseded. */
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "AP", "2021-04-01", day(0), "old", &e), 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "AP", "2024-04-01", day(1000), "new", &e), 0);
    assert_int_equal(e.n, 0);

    Arena a = ARENA_INIT;
    StaffQual *qs;
    int n = qual_expiring(db, &a, day(0), 90, 0, &qs);
    assert_int_equal(n, 2);
    assert_string_equal(qs[0].note, "lapsed");
    assert_string_equal(qs[0].unit_name, "総務課");
    assert_string_equal(qs[1].note, "soon");
    assert_string_equal(qs[1].unit_name, "政策企画課 広報・DX推進係");
    assert_string_equal(qs[1].staff_no, "A001");

    assert_int_equal(qual_expiring(db, &a, day(0), 180, 0, &qs), 3);
    assert_string_equal(qs[2].note, "later");
    /* The window's last day is inclusive. */
    assert_int_equal(qual_expiring(db, &a, day(0), 10, 0, &qs), 2);
    assert_int_equal(qual_expiring(db, &a, day(0), 9, 0, &qs), 1);
    /* A unit and its subtree. */
    assert_int_equal(qual_expiring(db, &a, day(0), 180, unit_x, &qs), 1);
    assert_string_equal(qs[0].note, "soon");
    assert_int_equal(qual_expiring(db, &a, day(0), 180, unit_y, &qs), 2);
    /* Only staff in service today. */
    db_exec(db, "UPDATE assignment SET to_date = ? WHERE staff_id = ?", day(-1), kb);
    assert_int_equal(qual_expiring(db, &a, day(0), 180, 0, &qs), 1);
    assert_int_equal(qual_expiring(db, &a, "bad", 180, 0, &qs), 0);
    arena_free(&a);
}

static void test_items_for(void **state)
{
    (void)state;
    assert_true(qual_codes_contain("L-HOW-03;L-HOW-05;K-07", "K-07"));
    assert_true(qual_codes_contain(" L-HOW-03 ; K-07 ", "L-HOW-03"));
    assert_false(qual_codes_contain("L-HOW-03;L-HOW-05", "L-HOW"));
    assert_false(qual_codes_contain("K-070", "K-07"));
    assert_false(qual_codes_contain("", "K-07"));
    assert_false(qual_codes_contain("K-07", ""));

    Errors e = {0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "IP", "2020-04-01", NULL, NULL, &e), 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "SC", "2023-04-01", "2029-03-31", NULL, &e), 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, kb, "SG", "2023-04-01", NULL, NULL, &e), 0);
    Arena a = ARENA_INIT;
    StaffQual *qs;
    assert_int_equal(qual_items_for(db, &a, ka, "K-07", &qs), 1);
    assert_string_equal(qs[0].qual_code, "SC");
    assert_int_equal(qual_items_for(db, &a, ka, "L-HOW-03", &qs), 2);
    assert_string_equal(qs[0].qual_code, "SC");
    assert_string_equal(qs[1].qual_code, "IP");
    assert_int_equal(qual_items_for(db, &a, ka, "L-TECH-01", &qs), 1);
    assert_int_equal(qual_items_for(db, &a, ka, "K-06", &qs), 0);
    assert_int_equal(qual_items_for(db, &a, kb, "K-07", &qs), 1);
    arena_free(&a);
}

static void test_delete_own_only(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "FE", "2020-04-01", NULL, NULL, &e), 0);
    int64_t id = db_int(db, 0, "SELECT id FROM staff_qualification WHERE staff_id = ?", ka);
    assert_true(id > 0);
    assert_int_equal(qual_delete(db, &ACTOR_CLI, kb, id, &e), -1);
    assert_string_equal(e.items[0].msg, QUAL_NOT_FOUND);
    assert_int_equal(qual_delete(db, &ACTOR_CLI, ka, 999999, &e), -1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM staff_qualification"), 1);
    assert_int_equal(audit_count("qual.delete"), 0);
    e = (Errors){0};
    assert_int_equal(qual_delete(db, &ACTOR_CLI, ka, id, &e), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM staff_qualification"), 0);
    assert_int_equal(audit_count("qual.delete"), 1);
    assert_int_equal(db_int(db, 0, "SELECT entity_id FROM audit_log WHERE action = 'qual.delete'"), id);
}

static void test_counts(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "IP", "2020-04-01", NULL, NULL, &e), 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, ka, "IP", "2021-04-01", NULL, NULL, &e), 0); /* one holder, two records */
    assert_int_equal(qual_add(db, &ACTOR_CLI, kb, "IP", "2025-04-01", NULL, NULL, &e), 0);
    assert_int_equal(qual_add(db, &ACTOR_CLI, kb, "SC", "2022-04-01", "2025-03-31", NULL, &e), 0);
    Arena a = ARENA_INIT;
    QualCount *cs;
    int n = qual_counts(db, &a, "2025-06-01", &cs);
    int ip = -1, sc = -1;
    for (int i = 0; i < n; i++) {
        if (strcmp(cs[i].code, "IP") == 0) ip = cs[i].holders;
        if (strcmp(cs[i].code, "SC") == 0) sc = cs[i].holders;
    }
    assert_int_equal(ip, 2);
    assert_int_equal(sc, 0); /* expired */
    n = qual_counts(db, &a, "2024-06-01", &cs);
    for (int i = 0; i < n; i++) {
        if (strcmp(cs[i].code, "IP") == 0) ip = cs[i].holders;
        if (strcmp(cs[i].code, "SC") == 0) sc = cs[i].holders;
    }
    assert_int_equal(ip, 1); /* B acquired later */
    assert_int_equal(sc, 1);
    arena_free(&a);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiring_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_items_for, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_own_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
