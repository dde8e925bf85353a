/* test_orgcache.c - the units offered by the unit pickers (org_options),
 * kept in memory by connection and data version (domain/orgcache.h): what a
 * kept list gives is what a fresh read gives, for the whole tree and for
 * every subtree; a write, another day and another database open at the same
 * time each get their own list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "db/dataver.h"
#include "db/migrate.h"
#include "domain/org.h"
#include "domain/orgcache.h"
#include "../tmpdb.h"

static Db *db1, *db2;
static char path1[64], path2[64];
static const Actor who = {0, "tester", "127.0.0.1"};

static int64_t add(Db *db, const char *code, const char *name, int level, int64_t parent, const char *from)
{
    Unit u = {.code = code, .name = name, .level = level, .parent_id = parent, .valid_from = from};
    Errors e = {0};
    if (org_save(db, &who, &u, &e) != 0) fail_msg("org_save %s: %s", code, e.n ? e.items[0].msg : "?");
    return u.id;
}

/* The same small tree in a database, with its own names (prefix). */
static void build(Db *db, const char *prefix)
{
    char n[64];
    snprintf(n, sizeof n, "%s市長部局", prefix);
    int64_t k1 = add(db, "K1", n, LEVEL_KIKAN, 0, "2020-04-01");
    snprintf(n, sizeof n, "%s総務部", prefix);
    int64_t b1 = add(db, "B1", n, LEVEL_BU, k1, "2020-04-01");
    snprintf(n, sizeof n, "%s総務課", prefix);
    int64_t ka1 = add(db, "KA1", n, LEVEL_KA, b1, "2020-04-01");
    add(db, "KK1", "庶務係", LEVEL_KAKARI, ka1, "2020-04-01");
    add(db, "KK2", "人事係", LEVEL_KAKARI, ka1, "2020-04-01");
    add(db, "KA2", "財政課", LEVEL_KA, b1, "2020-04-01");
    int64_t k2 = add(db, "K2", "教育委員会", LEVEL_KIKAN, 0, "2020-04-01");
    add(db, "KA3", "学校教育課", LEVEL_KA, k2, "2020-04-01");
    add(db, "KA4", "デジタル推進課", LEVEL_KA, k2, "2027-04-01"); /* from next April */
}

static int setup(void **state)
{
    (void)state;
    if (util_clock_set_today("2026-11-16") != 0) return -1;
    db1 = tmpdb_open(path1, sizeof path1, "orgcache1");
    db2 = tmpdb_open(path2, sizeof path2, "orgcache2");
    if (!db1 || !db2) return -1;
    build(db1, "甲");
    build(db2, "乙");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db1);
    db_close(db2);
    tmpdb_remove(path1);
    tmpdb_remove(path2);
    org_cache_set(true);
    return 0;
}

static void same_units(const Unit *a, int na, const Unit *b, int nb)
{
    assert_int_equal(na, nb);
    for (int i = 0; i < na; i++) {
        assert_int_equal(a[i].id, b[i].id);
        assert_int_equal(a[i].parent_id, b[i].parent_id);
        assert_string_equal(a[i].code, b[i].code);
        assert_string_equal(a[i].name, b[i].name);
        assert_string_equal(a[i].valid_from, b[i].valid_from);
        assert_true((a[i].valid_to == NULL) == (b[i].valid_to == NULL));
        if (a[i].valid_to) assert_string_equal(a[i].valid_to, b[i].valid_to);
        assert_int_equal(a[i].level, b[i].level);
        assert_int_equal(a[i].sort_order, b[i].sort_order);
        assert_int_equal(a[i].is_info, b[i].is_info);
    }
}

/* org_options of db on as_of under root: kept (asked twice, so the second
 * comes from the cache) and fresh (cache off) agree. Returns the count. */
static int kept_equals_fresh(Db *db, const char *as_of, int64_t root)
{
    Arena a = ARENA_INIT;
    Unit *k1, *k2, *f;
    org_cache_set(true);
    int n1 = org_options(db, &a, as_of, root, &k1);
    int n2 = org_options(db, &a, as_of, root, &k2);
    org_cache_set(false);
    int nf = org_options(db, &a, as_of, root, &f);
    org_cache_set(true);
    same_units(k1, n1, f, nf);
    same_units(k2, n2, f, nf);
    arena_free(&a);
    return nf;
}

static void test_kept_equals_fresh(void **state)
{
    (void)state;
    assert_int_equal(kept_equals_fresh(db1, "2026-11-16", 0), 8);
    Stmt *st = db_query(db1, "SELECT id FROM org_unit ORDER BY id");
    int64_t ids[16];
    int n = 0;
    while (n < 16 && db_step(st) == DB_ROW) ids[n++] = db_col_int(st, 0);
    db_done(st);
    for (int i = 0; i < n; i++) {
        kept_equals_fresh(db1, "2026-11-16", ids[i]);
        kept_equals_fresh(db1, "2027-04-01", ids[i]);
    }
    /* Subtrees: a 課 with its two 係; a 執行機関 with its 部, 課 and 係. */
    assert_int_equal(kept_equals_fresh(db1, "2026-11-16", db_int(db1, 0, "SELECT id FROM org_unit WHERE code = 'KA1'")), 3);
    assert_int_equal(kept_equals_fresh(db1, "2026-11-16", db_int(db1, 0, "SELECT id FROM org_unit WHERE code = 'K1'")), 6);
    /* A unit not yet in force has no subtree today. */
    assert_int_equal(kept_equals_fresh(db1, "2026-11-16", db_int(db1, 0, "SELECT id FROM org_unit WHERE code = 'KA4'")), 0);
}

static bool has_name(Db *db, const char *as_of, const char *name)
{
    Arena a = ARENA_INIT;
    Unit *u;
    int n = org_options(db, &a, as_of, 0, &u);
    bool found = false;
    for (int i = 0; i < n; i++) found = found || strcmp(u[i].name, name) == 0;
    arena_free(&a);
    return found;
}

/* The day is in the key: next April's 課 only from 4/1, whichever day is asked first. */
static void test_day_in_key(void **state)
{
    (void)state;
    assert_true(has_name(db1, "2027-04-01", "デジタル推進課"));
    assert_false(has_name(db1, "2027-03-31", "デジタル推進課"));
    assert_true(has_name(db1, "2027-04-01", "デジタル推進課"));
}

/* A write is seen by the next read: a rename, then a unit closed. */
static void test_write_seen(void **state)
{
    (void)state;
    assert_true(has_name(db1, "2026-11-16", "財政課"));
    Unit u;
    Arena a = ARENA_INIT;
    assert_true(org_get(db1, &a, db_int(db1, 0, "SELECT id FROM org_unit WHERE code = 'KA2'"), &u));
    u.name = "財政・契約課";
    Errors e = {0};
    assert_int_equal(org_save(db1, &who, &u, &e), 0);
    assert_false(has_name(db1, "2026-11-16", "財政課"));
    assert_true(has_name(db1, "2026-11-16", "財政・契約課"));
    assert_int_equal(org_close(db1, &who, u.id, "2026-11-30", &e), 0);
    assert_true(has_name(db1, "2026-11-30", "財政・契約課"));
    assert_false(has_name(db1, "2026-12-01", "財政・契約課"));
    arena_free(&a);
}

/* Two databases open at once, at the same data version: each its own list. */
static void test_two_databases(void **state)
{
    (void)state;
    /* Bring both to one version with audited writes of equal number. */
    for (Db *lo = db1, *hi = db2; data_version(lo) != data_version(hi);) {
        if (data_version(lo) > data_version(hi)) lo = db2, hi = db1;
        add(lo, "PAD", "調整用", LEVEL_KIKAN, 0, "2020-04-01");
        db_exec(lo, "DELETE FROM org_unit WHERE code = 'PAD'"); /* not audited: the version stays */
    }
    assert_int_equal(data_version(db1), data_version(db2));
    assert_true(has_name(db1, "2026-11-16", "甲総務課"));
    assert_true(has_name(db2, "2026-11-16", "乙総務課"));
    assert_false(has_name(db2, "2026-11-16", "甲総務課"));
    assert_false(has_name(db1, "2026-11-16", "乙総務課"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_equals_fresh),
        cmocka_unit_test(test_day_in_key),
        cmocka_unit_test(test_write_seen),
        cmocka_unit_test(test_two_databases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
