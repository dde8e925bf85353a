/* test_freshness.c - the organisation-wide pages show a write on the next
 * request: after an assessment is confirmed, a completion recorded or a KPI
 * target changed, /kpi, /gaps and /plans/demand (each first requested before
 * the write, so its summary and the matrix of everyone are stored) show the
 * new numbers, equal to a computation from the rows, for the roles that see
 * them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/audit.h"
#include "auth/password.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/assess.h"
#include "domain/course.h"
#include "domain/completion.h"
#include "domain/demand_summary.h"
#include "demo/demo.h"
#include "domain/gap.h"
#include "domain/kpi.h"
#include "domain/skill.h"
#include "domain/training.h"
#include "app/router.h"

#include "harness.h"

static Who users[] = {{.login = "jinji"}, {.login = "dx"}};

HARNESS_SETUP("freshness", users)

static Res get(const char *login_name, const char *path)
{
    Res r = req("GET", path, user(login_name)->cookie, NULL);
    if (r.status != 200) fail_msg("GET %s as %s: %d", path, login_name, r.status);
    return r;
}

/* want occurs after anchor and before the next card (or within 400 bytes). */
static bool near(const Res *r, const char *anchor, const char *want)
{
    const char *at = strstr(r->raw.data, anchor);
    if (!at) return false;
    const char *hit = strstr(at, want);
    const char *next = strstr(at + strlen(anchor), "<div class=\"card\"");
    return hit && (!next || hit < next) && hit - at < 400;
}

/* A KPI computed from the rows (no stored summary, no kept matrix). */
static KpiValue fresh_kpi(const char *code)
{
    Arena a = ARENA_INIT;
    KpiValue *v;
    kpi_cache_set(false), gap_matrix_cache_set(false);
    kpi_compute(db, &a, 2026, NULL, &v);
    kpi_cache_set(true), gap_matrix_cache_set(true);
    KpiValue out = {0};
    for (int i = 0; i < kpi_count; i++)
        if (str_eq(v[i].def->code, code)) out = v[i];
    arena_free(&a);
    return out;
}

static void kpi_card_shows(const char *login_name, const char *title, int num, int den)
{
    Res r = get(login_name, "/kpi");
    if (!near(&r, fmt(">%s</a>", title), fmt("<span class=\"card-note\">%d / %d", num, den)))
        fail_msg("/kpi as %s: %s does not show %d / %d", login_name, title, num, den);
    buf_free(&r.raw);
}

static void test_confirmation_shows_on_kpi_and_gaps(void **state)
{
    (void)state;
    /* Read first: the summaries are stored at this version. */
    KpiValue before = fresh_kpi("CONFIRM");
    kpi_card_shows("dx", "上司確認完了率", before.num, before.den);
    kpi_card_shows("jinji", "上司確認完了率", before.num, before.den);
    int confirmed = count("SELECT COUNT(*) FROM assessment WHERE nendo = 2026 AND state = 'confirmed'");
    Res g = get("dx", "/gaps");
    assert_true(near(&g, "<span class=\"card-title\">確認済</span>", fmt("%d人", confirmed)));
    buf_free(&g.raw);

    int64_t id = db_int(db, 0,
                        "SELECT x.id FROM assessment x WHERE x.nendo = 2026 AND x.state = 'submitted' AND x.staff_id IN"
                        " (SELECT staff_id FROM assignment WHERE is_primary = 1 AND from_date <= ? AND (to_date IS NULL OR to_date >= ?))"
                        " ORDER BY x.id LIMIT 1",
                        HARNESS_TODAY, HARNESS_TODAY);
    assert_true(id > 0);
    Errors e = {0};
    assert_int_equal(assess_confirm_many(db, &ACTOR_CLI, &id, 1, &e), 0);

    KpiValue after = fresh_kpi("CONFIRM");
    assert_int_equal(after.num, before.num + 1);
    kpi_card_shows("dx", "上司確認完了率", after.num, after.den);
    kpi_card_shows("jinji", "上司確認完了率", after.num, after.den);
    g = get("dx", "/gaps");
    assert_true(near(&g, "<span class=\"card-title\">確認済</span>", fmt("%d人", confirmed + 1)));
    buf_free(&g.raw);
    g = get("jinji", "/gaps");
    assert_true(near(&g, "<span class=\"card-title\">確認済</span>", fmt("%d人", confirmed + 1)));
    buf_free(&g.raw);
}

static void test_target_shows_on_kpi(void **state)
{
    (void)state;
    Res r = get("dx", "/kpi");
    buf_free(&r.raw);
    Errors e = {0};
    assert_int_equal(kpi_target_set(db, &ACTOR_CLI, "CONFIRM", 2026, 87, "", &e), 0);
    r = get("dx", "/kpi");
    assert_true(near(&r, ">上司確認完了率</a>", "目標 87%"));
    buf_free(&r.raw);
    r = get("jinji", "/kpi");
    assert_true(near(&r, ">上司確認完了率</a>", "目標 87%"));
    buf_free(&r.raw);
}

/* The row of course code on /plans/demand shows people (0: no row). */
static bool demand_row(const Res *r, const char *code, int people)
{
    const char *at = strstr(r->raw.data, fmt("<tr><td>%s</td>", code));
    if (!people) return at == NULL;
    if (!at) return false;
    const char *end = strstr(at, "</tr>"), *hit = strstr(at, fmt("<td class=\"num\">%d人</td>", people));
    return hit && hit < end;
}

static void test_completion_shows_on_demand(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    Res r = get("dx", "/plans/demand");
    /* A course with demand and a session of the 年度 to record attendance of. */
    Demand *d;
    demand_cache_set(false), gap_matrix_cache_set(false);
    int n = recommend_demand_compute(db, &a, &m, 2026, 0, 0, &d);
    demand_cache_set(true), gap_matrix_cache_set(true);
    int pick = -1;
    int64_t session = 0;
    for (int i = 0; i < n && pick < 0; i++) {
        assert_true(demand_row(&r, d[i].code, d[i].people));
        session = db_int(db, 0,
                         "SELECT t.id FROM training_session t JOIN course c ON c.id = t.course_id WHERE t.course_id = ? AND t.nendo = 2026"
                         " AND t.cancelled = 0 AND c.format <> 'external' ORDER BY t.id LIMIT 1",
                         d[i].course_id);
        if (session && d[i].people > 0) pick = i;
    }
    buf_free(&r.raw);
    assert_true(pick >= 0);
    /* Everyone in service attends it. */
    Stmt *st = db_query(db, "SELECT staff_id FROM assignment WHERE is_primary = 1 AND from_date <= ? AND (to_date IS NULL OR to_date >= ?)"
                            " AND staff_id NOT IN (SELECT staff_id FROM completion WHERE session_id = ?)",
                        HARNESS_TODAY, HARNESS_TODAY, session);
    RosterEntry *roster = arena_zalloc(&a, sizeof *roster * 4096);
    int nr = 0;
    while (nr < 4096 && db_step(st) == DB_ROW) roster[nr++] = (RosterEntry){db_col_int(st, 0), true, -1};
    db_done(st);
    Errors e = {0};
    assert_int_equal(completion_record(db, &ACTOR_CLI, session, roster, nr, &e), 0);

    Demand *d2;
    demand_cache_set(false), gap_matrix_cache_set(false);
    int n2 = recommend_demand_compute(db, &a, &m, 2026, 0, 0, &d2);
    demand_cache_set(true), gap_matrix_cache_set(true);
    int now = 0;
    for (int i = 0; i < n2; i++)
        if (d2[i].course_id == d[pick].course_id) now = d2[i].people;
    assert_true(now < d[pick].people);
    r = get("dx", "/plans/demand");
    assert_true(demand_row(&r, d[pick].code, now));
    for (int i = 0; i < n2; i++) assert_true(demand_row(&r, d2[i].code, d2[i].people));
    buf_free(&r.raw);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_confirmation_shows_on_kpi_and_gaps),
        cmocka_unit_test(test_target_shows_on_kpi),
        cmocka_unit_test(test_completion_shows_on_demand),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
