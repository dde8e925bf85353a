/* test_list_order.c - the list pages' unit filter and their order.
 * The filter picker of /staff, /assess/review and /assess/progress has a
 * label and lists the 執行機関・部・課, and the 係 only of the chosen 課 (or
 * of the chosen 係's 課); the chosen filter still filters; a 所属長 sees only
 * their own subtree in it. The staff list with 在職・退職 together keeps its
 * order across the page where the people in service end. 上司確認's count
 * in one state is the count of that state. */
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
#include "app/router.h"

#include "harness.h"

static Who users[] = {{.login = "kacho"}, {.login = "dx"}};

HARNESS_SETUP("list_order", users)

static Arena ta = ARENA_INIT;


#define get get_kept

/* Whether the unit picker (not another <select> of the page) offers id. */
static bool has_option(const Res *r, int64_t id)
{
    const char *from = strstr(r->raw.data, "<select id=\"f-unit_id\"");
    assert_non_null(from);
    const char *to = strstr(from, "</select>");
    assert_non_null(to);
    const char *want[] = {fmt("<option value=\"%lld\">", (long long)id), fmt("<option value=\"%lld\" selected>", (long long)id)};
    for (size_t i = 0; i < COUNTOF(want); i++) {
        const char *at = strstr(from, want[i]);
        if (at && at < to) return true;
    }
    return false;
}

/* A 課 with at least two 係, one of its 係, and a 係 of another 課. */
static void pick_units(int64_t *ka, int64_t *kakari, int64_t *other)
{
    *ka = db_int(db, 0, "SELECT parent_id FROM org_unit WHERE level = 4 GROUP BY parent_id HAVING COUNT(*) >= 2 ORDER BY parent_id LIMIT 1");
    *kakari = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4 AND parent_id = ?", *ka);
    *other = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4 AND parent_id <> ?", *ka);
    assert_true(*ka > 0 && *kakari > 0 && *other > 0);
}

static void test_picker_shows_kakari_of_chosen_ka(void **state)
{
    (void)state;
    int64_t ka, kakari, other;
    pick_units(&ka, &kakari, &other);
    int64_t bu = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 2");
    const char *pages[] = {"/staff", "/assess/review", "/assess/progress"};
    for (size_t i = 0; i < COUNTOF(pages); i++) {
        Res r = get("dx", pages[i]);
        assert_true(has(&r, "<label for=\"f-unit_id\">所属（配下を含む）</label><select id=\"f-unit_id\" name=\"unit_id\" aria-describedby=\"h-unit_id\">"));
        assert_true(has(&r, "<p class=\"hint\" id=\"h-unit_id\">係は、課を選んで「表示」を押すと選べます。</p>"));
        assert_true(has_option(&r, bu));
        assert_true(has_option(&r, ka));
        assert_false(has_option(&r, kakari)); /* no 係 until a 課 is chosen */
        assert_false(has_option(&r, other));
        Res k = get("dx", fmt("%s?unit_id=%lld", pages[i], (long long)ka));
        assert_true(has(&k, fmt("<option value=\"%lld\" selected>", (long long)ka)));
        assert_true(has_option(&k, kakari));
        assert_false(has_option(&k, other));
        Res g = get("dx", fmt("%s?unit_id=%lld", pages[i], (long long)kakari)); /* a 係 chosen: it and its siblings */
        assert_true(has(&g, fmt("<option value=\"%lld\" selected>", (long long)kakari)));
        assert_false(has_option(&g, other));
    }
}

static void test_chosen_kakari_filters(void **state)
{
    (void)state;
    int64_t ka, kakari, other;
    pick_units(&ka, &kakari, &other);
    char today[11];
    now_date(today);
    int n = (int)db_int(db, -1, "SELECT COUNT(*) FROM assignment a WHERE a.unit_id = ? AND a.is_primary = 1 AND " ASOF_IN_FORCE("a"), kakari,
                        today, today);
    assert_true(n > 0);
    Res r = get("dx", fmt("/staff?unit_id=%lld", (long long)kakari));
    assert_true(has(&r, fmt("<p role=\"status\">%d人が該当します。</p>", n)));
    const char *no = db_text(db, &ta,
                             "SELECT s.staff_no FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND " ASOF_IN_FORCE("a")
                             " WHERE a.unit_id = ? ORDER BY s.staff_no LIMIT 1",
                             today, today, other);
    assert_non_null(no);
    assert_false(has(&r, fmt("<td>%s</td>", no)));
}

static void test_manager_sees_own_subtree(void **state)
{
    (void)state;
    int64_t mine = db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 ORDER BY from_date DESC LIMIT 1",
                          user("kacho")->staff_id);
    int64_t outside = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 3 AND id <> ? AND parent_id <> ?", mine, mine);
    const char *pages[] = {"/staff", "/assess/review", "/assess/progress"};
    for (size_t i = 0; i < COUNTOF(pages); i++) {
        Res r = get("kacho", pages[i]);
        assert_true(has(&r, "<label for=\"f-unit_id\">所属（配下を含む）</label>"));
        assert_true(has_option(&r, mine));
        assert_false(has_option(&r, outside));
        assert_false(has_option(&r, 1)); /* not the 執行機関 above */
        /* another unit asked for by hand: still only the own subtree */
        Res o = get("kacho", fmt("%s?unit_id=%lld", pages[i], (long long)outside));
        assert_false(has_option(&o, outside));
    }
}

/* With 在職 and 退職 together, the people in service come first in unit
 * order, then the others by 職員番号; a page across the boundary has both. */
static void test_staff_all_across_boundary(void **state)
{
    (void)state;
    char today[11];
    now_date(today);
    int in = (int)db_int(db, -1, "SELECT COUNT(*) FROM staff s JOIN " ASOF_PRIMARY("a", "s.id"), today, today);
    int total = (int)db_int(db, -1, "SELECT COUNT(*) FROM staff");
    assert_true(total > in && in > 50);
    int page = in / 50 + 1; /* the page where the people in service end */
    const char *last_in = db_text(db, &ta,
                                  "SELECT s.staff_no FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
                                  " JOIN org_unit u ON u.id = a.unit_id ORDER BY u.code, s.staff_no LIMIT 1 OFFSET ?",
                                  today, today, in - 1);
    const char *first_out = db_text(db, &ta,
                                    "SELECT s.staff_no FROM staff s WHERE NOT EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = s.id AND a.is_primary = 1"
                                    " AND " ASOF_IN_FORCE("a") ")"
                                    " ORDER BY s.staff_no LIMIT 1",
                                    today, today);
    assert_non_null(last_in);
    assert_non_null(first_out);
    Res r = get("dx", fmt("/staff?active=all&page=%d", page));
    assert_true(has(&r, fmt("<p role=\"status\">%d人が該当します。</p>", total)));
    const char *a = strstr(r.raw.data, fmt(">%s<", last_in)), *b = strstr(r.raw.data, fmt(">%s<", first_out));
    if (in % 50) { /* both on this page, in this order */
        assert_non_null(a);
        assert_non_null(b);
        assert_true(a < b);
    }
}

static void test_review_count_in_one_state(void **state)
{
    (void)state;
    char on[11];
    asof_nendo_date(2026, on);
    int64_t me = user("dx")->staff_id;
    const char *states[] = {"submitted", "confirmed", "draft", "returned"};
    for (size_t i = 0; i < COUNTOF(states); i++) {
        int n = (int)db_int(db, -1,
                            "SELECT COUNT(*) FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
                            " LEFT JOIN assessment x ON x.staff_id = s.id AND x.nendo = 2026 WHERE s.id <> ? AND COALESCE(x.state, 'none') = ?",
                            on, on, me, states[i]);
        Res r = get("dx", fmt("/assess/review?nendo=2026&state=%s", states[i]));
        if (n) assert_true(has(&r, fmt("<p role=\"status\">%d人が該当します。</p>", n)));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_picker_shows_kakari_of_chosen_ka, free_answers),
        cmocka_unit_test_teardown(test_chosen_kakari_filters, free_answers),
        cmocka_unit_test_teardown(test_manager_sees_own_subtree, free_answers),
        cmocka_unit_test_teardown(test_staff_all_across_boundary, free_answers),
        cmocka_unit_test_teardown(test_review_count_in_one_state, free_answers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
