/* test_binds.c - what is stored and what is recorded:
 * - an org unit added and edited through /org keeps its name, code, level,
 *   parent, order and dates exactly, read back by SQL (the bind type of each
 *   value comes from its C type, db.h);
 * - a page or download of personal data writes its audit row in the read's
 *   transaction, and when that row cannot be written shows nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static Who users[] = {{.login = "jinji"}};

HARNESS_SETUP("binds", users)

static Arena ta = ARENA_INIT;

static const char *col(const char *sql, int64_t id) { return db_text(db, &ta, sql, id); }

/* The stored row of unit id, checked column by column. */
static void expect_unit(int64_t id, const char *code, const char *name, int level, int64_t parent, int sort, const char *from,
                        const char *to, int is_info)
{
    assert_string_equal(col("SELECT code FROM org_unit WHERE id = ?", id), code);
    /* The storage class on SQLite; PostgreSQL's column types fix it. */
    if (db_dialect(db) == DB_SQLITE) assert_string_equal(col("SELECT typeof(name) FROM org_unit WHERE id = ?", id), "text");
    assert_string_equal(col("SELECT name FROM org_unit WHERE id = ?", id), name);
    if (db_dialect(db) == DB_SQLITE) assert_string_equal(col("SELECT typeof(level) FROM org_unit WHERE id = ?", id), "integer");
    assert_int_equal(db_int(db, -1, "SELECT level FROM org_unit WHERE id = ?", id), level);
    if (parent) assert_int_equal(db_int(db, -1, "SELECT parent_id FROM org_unit WHERE id = ?", id), parent);
    else assert_true(db_exists(db, "SELECT 1 FROM org_unit WHERE id = ? AND parent_id IS NULL", id));
    assert_int_equal(db_int(db, -1, "SELECT sort_order FROM org_unit WHERE id = ?", id), sort);
    assert_string_equal(col("SELECT valid_from FROM org_unit WHERE id = ?", id), from);
    if (to) assert_string_equal(col("SELECT valid_to FROM org_unit WHERE id = ?", id), to);
    else assert_true(db_exists(db, "SELECT 1 FROM org_unit WHERE id = ? AND valid_to IS NULL", id));
    assert_int_equal(db_int(db, -1, "SELECT is_info FROM org_unit WHERE id = ?", id), is_info);
}

static void test_org_add_and_edit_store_what_was_typed(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    int64_t ka = db_int(db, 0, "SELECT id FROM org_unit WHERE name = '福祉課' AND valid_to IS NULL");
    int64_t other_ka = db_int(db, 0, "SELECT id FROM org_unit WHERE name = '総務課' AND valid_to IS NULL");
    assert_true(ka > 0 && other_ka > 0 && ka != other_ka);

    /* Add a 係 under 福祉課. */
    Res r = req("POST", "/org/new", hr->cookie,
                fmt("csrf=%s&code=T-901&name=%%E5%%AD%%90%%E8%%82%%B2%%E3%%81%%A6%%E6%%94%%AF%%E6%%8F%%B4%%E4%%BF%%82"
                    "&level=4&parent_id=%lld&valid_from=2026-04-01&valid_to=&sort_order=7",
                    hr->csrf, (long long)ka));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = db_int(db, 0, "SELECT id FROM org_unit WHERE code = 'T-901'");
    assert_true(id > 0);
    expect_unit(id, "T-901", "子育て支援係", 4, ka, 7, "2026-04-01", NULL, 0);
    /* The unit's page shows the stored name. */
    Res page = req("GET", fmt("/org/%lld", (long long)id), hr->cookie, NULL);
    assert_int_equal(page.status, 200);
    assert_true(has(&page, "子育て支援係"));
    buf_free(&page.raw);

    /* Edit every field: new name, code, parent, order, end date, 情報部門. */
    r = req("POST", fmt("/org/%lld/edit", (long long)id), hr->cookie,
            fmt("csrf=%s&code=T-902&name=%%E3%%81%%93%%E3%%81%%A9%%E3%%82%%82%%E5%%AE%%B6%%E5%%BA%%AD%%E4%%BF%%82"
                "&level=4&parent_id=%lld&valid_from=2026-05-01&valid_to=2027-03-31&sort_order=12&is_info=1",
                hr->csrf, (long long)other_ka));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    expect_unit(id, "T-902", "こども家庭係", 4, other_ka, 12, "2026-05-01", "2027-03-31", 1);
    page = req("GET", fmt("/org/%lld", (long long)id), hr->cookie, NULL);
    assert_true(has(&page, "こども家庭係"));
    assert_true(has(&page, "T-902"));
    buf_free(&page.raw);

    /* Each save wrote its audit row naming the unit as typed. */
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'org.create' AND entity_id = ? AND summary LIKE '%子育て支援係%'", id));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'org.update' AND entity_id = ? AND summary LIKE '%こども家庭係%'", id));

    /* An edit that fails validation stores nothing. */
    r = req("POST", fmt("/org/%lld/edit", (long long)id), hr->cookie,
            fmt("csrf=%s&code=T-903&name=x&level=4&parent_id=%lld&valid_from=2026-05-01&valid_to=2026-04-01&sort_order=1",
                hr->csrf, (long long)other_ka));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "T-903"));
    buf_free(&r.raw);
    expect_unit(id, "T-902", "こども家庭係", 4, other_ka, 12, "2026-05-01", "2027-03-31", 1);
    arena_free(&ta);
}

static int audit_rows(void) { return count("SELECT COUNT(*) FROM audit_log"); }

/* While audit rows cannot be written, every audited page and download is
 * refused with an error and none of the person's data; afterwards the same
 * request shows the data and leaves exactly one row. */
static void test_views_fail_closed_without_their_audit_row(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    int64_t id = db_int(db, 0,
                        "SELECT s.id FROM staff s JOIN completion c ON c.staff_id = s.id WHERE s.id <> ?"
                        " ORDER BY s.staff_no LIMIT 1",
                        hr->staff_id);
    assert_true(id > 0);
    char name[128], no[64];
    snprintf(name, sizeof name, "%s", db_text(db, &ta, "SELECT name FROM staff WHERE id = ?", id));
    snprintf(no, sizeof no, "%s", db_text(db, &ta, "SELECT staff_no FROM staff WHERE id = ?", id));
    static const char *const paths[] = {
        "/staff/", "/staff/:/training", "/staff/:/training?format=csv", "/gaps/person/",
        "/export/staff?format=csv", "/kpi/SEC_TRAINING?format=csv", "/staff/:/disclosure",
    };
    /* ":" or a trailing "/" stands for the person's id. */
    char saved[COUNTOF(paths)][96];
    for (size_t i = 0; i < COUNTOF(paths); i++) {
        const char *colon = strchr(paths[i], ':');
        size_t len = strlen(paths[i]);
        if (colon) snprintf(saved[i], sizeof saved[i], "%.*s%lld%s", (int)(colon - paths[i]), paths[i], (long long)id, colon + 1);
        else if (paths[i][len - 1] == '/') snprintf(saved[i], sizeof saved[i], "%s%lld", paths[i], (long long)id);
        else snprintf(saved[i], sizeof saved[i], "%s", paths[i]);
    }

    assert_int_equal(refuse_begin("no_audit", "BEFORE INSERT ON audit_log"), 0);
    int before = audit_rows();
    for (size_t i = 0; i < COUNTOF(paths); i++) {
        Res r = req("GET", saved[i], hr->cookie, NULL);
        if (r.status != 500) fail_msg("GET %s: status %d while the audit log refuses rows", saved[i], r.status);
        if (has(&r, "Content-Disposition")) fail_msg("GET %s: a download was sent", saved[i]);
        if (has(&r, no) || has(&r, name)) fail_msg("GET %s: shows the person's data", saved[i]);
        assert_true(has(&r, "記録"));
        buf_free(&r.raw);
    }
    assert_int_equal(audit_rows(), before);
    assert_int_equal(refuse_end("no_audit", "audit_log"), 0);

    /* The same requests now answer, each with its one row. */
    static const char *const actions[] = {"staff.view", "training.view", "training.export", "gap.view", "export.staff", "kpi.people",
                                          "disclosure.export"};
    for (size_t i = 0; i < COUNTOF(paths); i++) {
        int n = count(fmt("SELECT COUNT(*) FROM audit_log WHERE action = '%s'", actions[i]));
        Res r = req("GET", saved[i], hr->cookie, NULL);
        if (r.status != 200) fail_msg("GET %s: status %d", saved[i], r.status);
        buf_free(&r.raw);
        if (count(fmt("SELECT COUNT(*) FROM audit_log WHERE action = '%s'", actions[i])) != n + 1)
            fail_msg("GET %s: no %s row", saved[i], actions[i]);
    }
    Res page = req("GET", saved[0], hr->cookie, NULL);
    assert_true(has(&page, name));
    buf_free(&page.raw);
    /* One's own page is not recorded and needs no row. */
    assert_int_equal(refuse_begin("no_audit", "BEFORE INSERT ON audit_log"), 0);
    Res own = req("GET", fmt("/staff/%lld", (long long)hr->staff_id), hr->cookie, NULL);
    assert_int_equal(own.status, 200);
    buf_free(&own.raw);
    assert_int_equal(refuse_end("no_audit", "audit_log"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_org_add_and_edit_store_what_was_typed),
        cmocka_unit_test(test_views_fail_closed_without_their_audit_row),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
