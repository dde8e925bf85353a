/* test_gap_units.c - the heat map of a 部 or 執行機関 by unit
 * (/gaps/unit/{id} of level 1–2): one row per child unit with a link down,
 * no person named; its totals and item rates equal those of the people
 * heat map of the same subtree (?rows=people); a child unit's row equals
 * that unit's own page; a 課 keeps its people rows. The kept copy (by data
 * version) equals a recomputation, before and after a write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/dataver.h"
#include "auth/password.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/asof.h"
#include "demo/demo.h"
#include "domain/gap_units.h"
#include "app/router.h"

#include "harness.h"

static Who users[] = {{.login = "dx"}};

HARNESS_SETUP("gap_units", users)


static Res get(const char *path) { return get_kept("dx", path); }

/* The text between from (after its first occurrence at or after start) and to. */
static const char *between(const char *start, const char *from, const char *to)
{
    static char out[8][4096];
    static int k;
    const char *p = strstr(start, from);
    assert_non_null(p);
    p += strlen(from);
    const char *q = strstr(p, to);
    assert_non_null(q);
    char *o = out[k++ % 8];
    snprintf(o, sizeof out[0], "%.*s", (int)(q - p), p);
    return o;
}

static void test_unit_rows(void **state)
{
    (void)state;
    int64_t root = db_int(db, 0, "SELECT id FROM org_unit WHERE code = '1'");
    int64_t bu = db_int(db, 0, "SELECT id FROM org_unit WHERE parent_id = ? AND level = 2 ORDER BY sort_order, code LIMIT 1", root);
    static Arena ta = ARENA_INIT;
    const char *bu_name = db_text(db, &ta, "SELECT name FROM org_unit WHERE id = ?", bu);
    assert_true(bu > 0);
    Res units = get(fmt("/gaps/unit/%lld?nendo=2026", (long long)root));
    assert_true(has(&units, "<caption>下位組織ごとの到達率（分野別）</caption>"));
    assert_true(has(&units, "<table class=\"data heat\">"));
    assert_true(has(&units, fmt("<a href=\"/gaps/unit/%lld?nendo=2026\">%s</a></th>", (long long)bu, bu_name)));
    assert_false(has(&units, "href=\"/gaps/person/")); /* nobody named */
    assert_true(has(&units, fmt("/gaps/unit/%lld?rows=people&amp;nendo=2026", (long long)root)));
    /* The same totals and item rates as the people heat map of the subtree. */
    Res people = get(fmt("/gaps/unit/%lld?rows=people&nendo=2026", (long long)root));
    assert_true(has(&people, "href=\"/gaps/person/"));
    assert_string_equal(between(units.body, "<div class=\"cards\">", "</div>\n"), between(people.body, "<div class=\"cards\">", "</div>\n"));
    assert_string_equal(between(units.body, "<h2>項目コードの一覧</h2>", "</section>"), between(people.body, "<h2>項目コードの一覧</h2>", "</section>"));
    assert_string_equal(between(units.body, "<h2>目標との差が大きい項目</h2>", "</section>"),
                        between(people.body, "<h2>目標との差が大きい項目</h2>", "</section>"));
    /* The 部's row: its people and overall attainment, as on its own page. */
    const char *row = between(units.body, fmt("<a href=\"/gaps/unit/%lld?nendo=2026\">%s</a></th>", (long long)bu, bu_name), "</tr>");
    Res own = get(fmt("/gaps/unit/%lld?rows=people&nendo=2026", (long long)bu));
    const char *own_people = between(own.body, "<span class=\"card-title\">対象職員</span><span class=\"card-value\">", "</span>");
    const char *own_rate = between(own.body, "<span class=\"card-title\">到達率</span><span class=\"card-value\">", "</span>");
    assert_non_null(strstr(row, fmt("<td class=\"num\">%s</td>", own_people)));
    assert_non_null(strstr(row, fmt("<td class=\"num\">%s</td>", own_rate)));
    /* A 課 keeps its people rows. */
    int64_t ka = db_int(db, 0, "SELECT id FROM org_unit WHERE parent_id = ? AND level = 3 ORDER BY code LIMIT 1", bu);
    Res k = get(fmt("/gaps/unit/%lld?nendo=2026", (long long)ka));
    assert_true(has(&k, "href=\"/gaps/person/"));
    assert_false(has(&k, "下位組織ごとの到達率"));
}

static bool same_view(const GapUnitView *x, const GapUnitView *y, int ni)
{
    if (x->npeople != y->npeople || x->nrows != y->nrows) return false;
    for (int i = 0; i < ni; i++)
        if (x->item[i].met != y->item[i].met || x->item[i].assessed != y->item[i].assessed || x->item_used[i] != y->item_used[i] ||
            x->shortfall[i] != y->shortfall[i])
            return false;
    for (int k = 0; k < x->nrows; k++) {
        if (x->rows[k].unit_id != y->rows[k].unit_id || x->rows[k].people != y->rows[k].people) return false;
        for (int i = 0; i < ni; i++)
            if (x->rows[k].item[i].met != y->rows[k].item[i].met || x->rows[k].item[i].assessed != y->rows[k].item[i].assessed) return false;
    }
    return true;
}

/* The kept copy equals the rows, and follows a write (which bumps the data version). */
static void test_kept_equals_computed(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    char on[11];
    asof_nendo_date(2026, on);
    int64_t root = db_int(db, 0, "SELECT id FROM org_unit WHERE code = '1'");
    for (int round = 0; round < 2; round++) {
        for (int tier = 0; tier <= 3; tier++) {
            GapUnitView kept, again, fresh;
            gap_unit_view(db, &a, &m, 2026, on, root, tier, &kept);
            gap_unit_view(db, &a, &m, 2026, on, root, tier, &again);
            gap_unit_view_compute(db, &a, &m, 2026, on, root, tier, &fresh);
            assert_true(same_view(&kept, &fresh, m.nitems));
            assert_true(same_view(&again, &fresh, m.nitems));
            int sum = 0;
            for (int k = 0; k < fresh.nrows; k++) sum += fresh.rows[k].people;
            assert_int_equal(sum, fresh.npeople);
        }
        /* A write: every confirmed level of the 年度 raised to 4, the version bumped as an audited write does. */
        assert_int_equal(db_exec(db,
                                 "UPDATE assessment_item SET sup_level = 4 WHERE sup_level IS NOT NULL AND assessment_id IN"
                                 " (SELECT id FROM assessment WHERE nendo = 2026 AND state = 'confirmed')") > 0,
                         1);
        assert_int_equal(data_version_bump(db), 0);
    }
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_unit_rows, free_answers),
        cmocka_unit_test_teardown(test_kept_equals_computed, free_answers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
