/* test_basis.c - request-level tests of what an assessment is judged
 * against: a confirmed assessment keeps its basis through a mid-year
 * designation, the basis is named on the screens, periods stay inside their
 * 年度, and a 所属長 sees no names of people outside their unit today. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "domain/asof.h"
#include "domain/assess.h"
#include "io/text.h"

#include "harness.h"

static Who users[] = {{.login = "kacho"}, {.login = "dx"}};

HARNESS_SETUP("basis", users)

static const Actor tester = {0, "tester", "127.0.0.1"};

/* The text of the person gap page's 到達率 (e.g. "66.7%"), into out. */
static void rate_shown(const Res *r, char *out, size_t n)
{
    static const char key[] = "<dt>到達率</dt><dd>";
    const char *p = strstr(r->body, key);
    assert_non_null(p);
    p += strlen(key);
    size_t len = strcspn(p, "<");
    assert_true(len < n);
    memcpy(out, p, len);
    out[len] = 0;
}

/* Someone in service on `on` with no designation and a 2026 assessment in
 * `state`, other than but. */
static int64_t person_with(const char *state, const char *on, int64_t but)
{
    return db_int(db, 0,
                  "SELECT x.staff_id FROM assessment x WHERE x.nendo = 2026 AND x.state = ? AND x.staff_id <> ? AND " ASOF_IN_SERVICE("x.staff_id")
                  " AND NOT EXISTS (SELECT 1 FROM tier_designation d WHERE d.staff_id = x.staff_id AND d.nendo = 2026) ORDER BY x.staff_id LIMIT 1",
                  state, but, on, on);
}

static void test_confirmed_rate_survives_designation(void **state)
{
    (void)state;
    Who *dx = user("dx");
    char today[11], on[11];
    now_date(today);
    assess_nendo_clamp(2026, today, on); /* the day the 2026 view is taken */
    int64_t id = person_with("submitted", on, dx->staff_id);
    assert_true(id > 0);
    int64_t aid = assess_id_of(db, id, 2026);
    /* As if submitted before bases were recorded: the demo records one. */
    assert_int_equal(db_exec(db, "UPDATE assessment SET basis_on = NULL, basis_tiers = NULL WHERE id = ?", aid), 1);
    assert_true(db_exec(db, "UPDATE assessment_item SET target = NULL WHERE assessment_id = ?", aid) > 0);
    /* Confirmed on that day: it has no basis yet, so confirming records one. */
    Errors e = {0};
    util_clock_set_today(on);
    assert_int_equal(assess_confirm_many(db, &tester, &aid, 1, &e), 0);
    util_clock_set_today(HARNESS_TODAY);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT state || ' ' || basis_on FROM assessment WHERE id = ?", aid), fmt("confirmed %s", on));
    assert_int_equal(db_int(db, -1, "SELECT basis_tiers FROM assessment WHERE id = ?", aid), 1 << 3);
    int items = (int)db_int(db, -1, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND target IS NOT NULL", aid);
    assert_true(items > 0);

    Buf basis = BUF_INIT;
    buf_puts(&basis, "評価基準：");
    wareki_date_iso(&basis, on);
    buf_puts(&basis, "時点（③一般職員）の目標");
    const char *page = fmt("/gaps/person/%lld?nendo=2026", (long long)id);
    Res r = req("GET", page, dx->cookie, NULL);
    assert_int_equal(r.status, 200);
    char before[32], after[32];
    rate_shown(&r, before, sizeof before);
    assert_string_not_equal(before, "－");
    assert_true(has(&r, buf_cstr(&basis)));
    assert_true(has(&r, "確認済"));
    buf_free(&r.raw);

    /* Designated ②総括リーダー on that same day, in force when the page is viewed. */
    int64_t unit = db_int(db, 0, "SELECT " ASOF_UNIT_OF("s.id") " FROM staff s WHERE s.id = ?", on, on, id);
    assert_int_equal(db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2026, 2, 'lead', ?, ?)",
                             id, unit, on), 1);
    r = req("GET", page, dx->cookie, NULL);
    assert_int_equal(r.status, 200);
    rate_shown(&r, after, sizeof after);
    assert_string_equal(after, before);
    assert_true(has(&r, buf_cstr(&basis)));
    assert_true(has(&r, "確認済"));
    buf_free(&r.raw);
    /* The review screen names the same basis and lists the same items. */
    r = req("GET", fmt("/assess/%lld", (long long)aid), dx->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, buf_cstr(&basis)));
    int rows = 0;
    for (const char *p = r.body; (p = strstr(p, "<tr><th scope=\"row\">")); p++) rows++;
    assert_int_equal(rows, items);
    buf_free(&r.raw);
    /* The stored basis did not move. */
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND target IS NOT NULL", aid), items);
    assert_int_equal(db_int(db, -1, "SELECT basis_tiers FROM assessment WHERE id = ?", aid), 1 << 3);

    /* A draft is shown against the current targets; the unit page names the rule. */
    int64_t draft = person_with("draft", on, dx->staff_id);
    if (draft > 0) EXPECT(dx->cookie, fmt("/gaps/person/%lld?nendo=2026", (long long)draft), 200, "評価基準：現在の目標");
    EXPECT(dx->cookie, fmt("/gaps/unit/%lld?nendo=2026", (long long)unit), 200, "提出（確認）した時点の人材区分と目標レベル");
    EXPECT(dx->cookie, "/gaps?nendo=2026", 200, "提出（確認）した時点の人材区分と目標レベル");
    buf_free(&basis);
    arena_free(&a);
}

static void test_period_outside_nendo_refused(void **state)
{
    (void)state;
    Who *dx = user("dx");
    int64_t audits = db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'assess.period'");
    /* 令和9 with 2026 dates */
    EXPECT_POST(dx->cookie, "/assess/period",
                fmt("csrf=%s&nendo=%%E4%%BB%%A4%%E5%%92%%8C9&opens_on=2026-05-01&closes_on=2026-07-31", dx->csrf), 422,
                "評価期間は令和9年度（2027年4月1日〜2028年3月31日）の中の日付にしてください。", "value=\"2026-05-01\"", "value=\"2026-07-31\"");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assess_period WHERE nendo = 2027"), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'assess.period'"), audits);
    /* Its first and last day are inside. */
    EXPECT_POST(dx->cookie, "/assess/period", fmt("csrf=%s&nendo=2027&opens_on=2027-04-01&closes_on=2028-03-31", dx->csrf), 303,
                "Location: /assess/period?nendo=2027");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assess_period WHERE nendo = 2027 AND opens_on = '2027-04-01' AND closes_on = '2028-03-31'"), 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'assess.period'"), audits + 1);
}

static int64_t add_person(const char *no, const char *name)
{
    return db_int(db, 0, "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at) VALUES (?, ?, 'regular', 'x', 'x') RETURNING id", no, name);
}

static void test_manager_past_progress_names_only_their_people(void **state)
{
    (void)state;
    Who *k = user("kacho");
    char today[11];
    now_date(today);
    int64_t unit = db_int(db, 0, "SELECT " ASOF_UNIT_OF("s.id") " FROM staff s WHERE s.id = ?", today, today, k->staff_id);
    int64_t elsewhere = db_int(db, 0, "SELECT id FROM org_unit WHERE level = 3 AND name = '政策企画課'");
    assert_true(unit > 0 && elsewhere > 0 && unit != elsewhere);
    /* The 年度 before today's is viewed on its last day: someone in the unit
     * through that day and elsewhere from the next, and someone who stays. */
    Date t;
    assert_true(date_parse(today, &t));
    int past = nendo_of(t) - 1;
    char last[24], next[24];
    snprintf(last, sizeof last, "%d-03-31", past + 1);
    snprintf(next, sizeof next, "%d-04-01", past + 1);
    int64_t left = add_person("T90001", "転出済太郎"), stays = add_person("T90002", "在籍中花子");
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date, to_date) VALUES (?, ?, '2020-04-01', ?)", left, unit, last);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date) VALUES (?, ?, ?)", left, elsewhere, next);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date) VALUES (?, ?, '2020-04-01')", stays, unit);
    /* Both counted, only the one here today named. */
    int before = (int)db_int(db, 0, "SELECT COUNT(*) FROM assignment a WHERE a.is_primary = 1 AND a.unit_id IN (" ASOF_SUBTREE ") AND " ASOF_IN_FORCE("a"),
                             unit, last, last);
    assert_true(before >= 2);
    Res r = req("GET", fmt("/assess/progress?nendo=%d", past), k->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "在籍中花子"));
    assert_false(has(&r, "転出済太郎"));
    assert_true(has(&r, fmt("<span class=\"card-value\">%d人</span>", before)));
    assert_true(has(&r, "氏名は現在配下にいる職員だけを表示します"));
    buf_free(&r.raw);
    r = req("GET", fmt("/assess/progress?nendo=%d&format=csv", past), k->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "在籍中花子"));
    assert_false(has(&r, "転出済太郎"));
    buf_free(&r.raw);
    /* An organisation-wide role sees both. */
    EXPECT(user("dx")->cookie, fmt("/assess/progress?nendo=%d&unit_id=%lld", past, (long long)unit), 200, "在籍中花子", "転出済太郎");
    /* The unit's gap list of that 年度 names neither the one who left nor anyone not here today. */
    r = req("GET", fmt("/gaps/unit/%lld?nendo=%d", (long long)unit, past), k->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, "転出済太郎"));
    assert_true(has(&r, "在籍中花子"));
    buf_free(&r.raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_confirmed_rate_survives_designation),
        cmocka_unit_test(test_period_outside_nendo_refused),
        cmocka_unit_test(test_manager_past_progress_names_only_their_people),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
