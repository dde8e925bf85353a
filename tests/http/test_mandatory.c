/* test_mandatory.c - the mandatory course of the 年度 and 修了証: 事務局 marks
 * a course mandatory for tiers with a due date inside the 年度 (3/31 taken,
 * 4/1 refused); the 職員's to-do shows the course with its due date and says
 * when it is overdue; a 所属長's progress page counts and names only people
 * in their subtree today; a completion gets one serial, which anyone logged
 * in can verify, and an unknown serial is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "harness.h"
#include "domain/asof.h"
#include "domain/cert.h"
#include "domain/mandatory.h"
#include "domain/remind.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}};

HARNESS_SETUP("mandatory", users)

static Res post(Who *w, const char *p, const char *body)
{
    char all[2000];
    snprintf(all, sizeof all, "csrf=%s&%s", w->csrf, body);
    return req("POST", p, w->cookie, all);
}

static int64_t course_id(const char *code) { return db_int(db, 0, "SELECT id FROM course WHERE code = ?", code); }

static void test_mark_for_tiers_with_due_date(void **state)
{
    (void)state;
    Who *d = user("dx"), *k = user("kacho"), *s = user("shokuin");
    int64_t sec2 = course_id("SEC-02");
    assert_true(sec2 > 0);
    /* Tiers ② and ③, due on the last day of the 年度. */
    Res r = post(d, "/mandatory", fmt("nendo=2026&course=%lld&tier2=1&tier3=1&due_on=2027-03-31", (long long)sec2));
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /mandatory?nendo=2026&msg=saved"));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT tiers FROM mandatory_course WHERE course_id = ? AND nendo = 2026", sec2), 12);
    assert_int_equal(count("SELECT COUNT(*) FROM mandatory_course WHERE due_on = '2027-03-31'"), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'mandatory.set' AND entity_id = ?", sec2), 1);
    EXPECT(d->cookie, "/mandatory?nendo=2026", 200, "個人情報保護の基礎", "②③", "datetime=\"2027-03-31\"");

    /* 4/1 is the next 年度: refused, the form keeps what was typed, nothing written. */
    r = post(d, "/mandatory", fmt("nendo=2026&course=%lld&tier1=1&due_on=2027-04-01", (long long)sec2));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "期限は2026年度の中"));
    assert_true(has(&r, "value=\"2027-04-01\""));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT tiers FROM mandatory_course WHERE course_id = ? AND nendo = 2026", sec2), 12);
    /* 3/31 of the year before is outside too; 4/1 of the 年度 is inside. */
    r = post(d, "/mandatory", fmt("nendo=2026&course=%lld&tier1=1&due_on=2026-03-31", (long long)sec2));
    assert_int_equal(r.status, 422);
    buf_free(&r.raw);
    /* No tier chosen. */
    r = post(d, "/mandatory", fmt("nendo=2026&course=%lld&due_on=2026-12-01", (long long)sec2));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "人材区分を1つ以上"));
    buf_free(&r.raw);
    r = post(d, "/mandatory", fmt("nendo=2026&course=%lld&tier1=1&tier2=1&tier3=1&due_on=2026-04-01", (long long)sec2));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT tiers FROM mandatory_course WHERE course_id = ? AND nendo = 2026", sec2), MANDATORY_EVERYONE);
    assert_int_equal(count("SELECT COUNT(*) FROM mandatory_course WHERE due_on = '2026-04-01'"), 1);

    /* Only 事務局 sets it; a 職員 does not see the screen. */
    r = post(k, "/mandatory", fmt("nendo=2026&course=%lld&tier1=1&due_on=2026-12-01", (long long)sec2));
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    EXPECT(s->cookie, "/mandatory", 403, "");
    db_exec(db, "DELETE FROM mandatory_course");
}

static void test_todo_shows_due_date(void **state)
{
    (void)state;
    Who *s = user("shokuin"), *d = user("dx");
    int64_t sec2 = course_id("SEC-02");
    db_exec(db, "DELETE FROM completion WHERE staff_id = ? AND session_id IN (SELECT id FROM training_session WHERE course_id = ?)", s->staff_id,
            sec2);
    Res r = post(d, "/mandatory", fmt("nendo=2026&course=%lld&tier1=1&tier2=1&tier3=1&due_on=2026-12-25", (long long)sec2));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    r = req("GET", "/", s->cookie, NULL);
    assert_int_equal(r.status, 200);
    if (!has(&r, "必修「【サンプル】個人情報保護の基礎（eラーニング）」 期限 <time datetime=\"2026-12-25\">")) fail_msg("%.4000s", r.body);
    assert_false(has(&r, "期限切れ"));
    buf_free(&r.raw);

    /* Past its date it is marked in words. */
    r = post(d, "/mandatory", fmt("nendo=2026&course=%lld&tier1=1&tier2=1&tier3=1&due_on=2026-11-15", (long long)sec2));
    buf_free(&r.raw);
    EXPECT(s->cookie, "/", 200, "datetime=\"2026-11-15\"", "期限切れ 1件");

    /* A due date of 3/31 is not overdue on 3/31 and is on 4/1. */
    db_exec(db, "UPDATE mandatory_course SET due_on = '2027-03-31' WHERE course_id = ?", sec2);
    Arena a = ARENA_INIT;
    MandatoryDue *md;
    int n = mandatory_due(db, &a, s->staff_id, 2026, "2027-03-31", &md);
    assert_true(n >= 1);
    assert_int_equal(md[0].course_id, sec2);
    assert_false(md[0].overdue);
    n = mandatory_due(db, &a, s->staff_id, 2026, "2027-04-01", &md);
    assert_true(n >= 1);
    assert_true(md[0].overdue);
    /* Not a mandatory course of the next 年度. */
    n = mandatory_due(db, &a, s->staff_id, 2027, "2027-04-01", &md);
    for (int i = 0; i < n; i++) assert_true(md[i].course_id != sec2);
    /* The reminder carries the due date. */
    assert_int_equal(util_clock_set_today("2027-04-01"), 0);
    RemindTarget *t;
    int nt = remind_targets(db, &a, RM_MANDATORY, 2026, "2027-04-01", &s->staff_id, 1, &t);
    assert_int_equal(nt, 1);
    const char *title, *body, *link;
    remind_text(db, &a, RM_MANDATORY, 2026, &t[0], &title, &body, &link);
    assert_non_null(strstr(body, "期限は 令和9年3月31日 です（期限を過ぎています）"));
    assert_int_equal(util_clock_set_today(HARNESS_TODAY), 0);
    arena_free(&a);

    /* Once completed (however it was recorded), it leaves the to-do. */
    int64_t session = db_int(db, 0, "SELECT id FROM training_session WHERE course_id = ? AND nendo = 2026 ORDER BY id LIMIT 1", sec2);
    assert_true(session > 0);
    db_exec(db, "INSERT INTO completion (session_id, staff_id, attended, minutes, completed, recorded_at) VALUES (?, ?, 1, 45, 1, '2026-11-16T10:00:00')",
            session, s->staff_id);
    r = req("GET", "/", s->cookie, NULL);
    assert_false(has(&r, "個人情報保護の基礎（eラーニング）」"));
    buf_free(&r.raw);
    db_exec(db, "DELETE FROM mandatory_course");
}

/* People required of the course on today in root's subtree (root 0: all). */
static int required_in(int64_t root, int tiers)
{
    const char *t = HARNESS_TODAY;
    return (int)db_int(db, -1,
                       "SELECT COUNT(*) FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " WHERE (? = 0 OR a.unit_id IN (" ASOF_SUBTREE "))"
                       " AND (? & (1 << CAST(" ASOF_TIER_OF("s.id") " AS INTEGER))) <> 0",
                       t, t, root, root, (int64_t)tiers, (int64_t)2026, t, t);
}

static void test_manager_progress_is_their_subtree_today(void **state)
{
    (void)state;
    Who *k = user("kacho"), *d = user("dx"), *s = user("shokuin");
    int64_t sec2 = course_id("SEC-02");
    const char *t = HARNESS_TODAY;
    int64_t root = db_int(db, 0, "SELECT " ASOF_UNIT_OF("?"), k->staff_id, t, t);
    assert_true(root > 0);
    db_exec(db, "DELETE FROM completion WHERE session_id IN (SELECT id FROM training_session WHERE course_id = ?)", sec2);
    Res r = post(d, "/mandatory", fmt("nendo=2026&course=%lld&tier1=1&tier2=1&tier3=1&due_on=2026-12-25", (long long)sec2));
    buf_free(&r.raw);
    /* One person of the subtree has completed it. */
    int64_t session = db_int(db, 0, "SELECT id FROM training_session WHERE course_id = ? AND nendo = 2026 ORDER BY id LIMIT 1", sec2);
    db_exec(db, "INSERT INTO completion (session_id, staff_id, attended, minutes, completed, recorded_at) VALUES (?, ?, 1, 45, 1, '2026-11-16T10:00:00')",
            session, s->staff_id);
    /* Someone outside the 所属長's subtree, not done. */
    Arena a = ARENA_INIT;
    char *outsider = db_text(db, &a,
                             "SELECT s.name FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " WHERE a.unit_id NOT IN (" ASOF_SUBTREE ")"
                             " AND NOT EXISTS (SELECT 1 FROM assignment b WHERE b.staff_id = s.id AND b.unit_id IN (" ASOF_SUBTREE "))"
                             " ORDER BY s.id LIMIT 1",
                             t, t, root, root);
    assert_non_null(outsider);
    /* Someone inside, not done. */
    char *insider = db_text(db, &a,
                            "SELECT s.name FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " WHERE a.unit_id IN (" ASOF_SUBTREE ") AND s.id NOT IN (?, ?)"
                            " ORDER BY s.id LIMIT 1",
                            t, t, root, s->staff_id, k->staff_id);
    assert_non_null(insider);

    int req_sub = required_in(root, MANDATORY_EVERYONE), req_all = required_in(0, MANDATORY_EVERYONE);
    assert_true(req_sub > 1 && req_sub < req_all);
    char want[80];
    snprintf(want, sizeof want, "<dt>修了</dt><dd>1 / %d人</dd>", req_sub);
    const char *path = fmt("/mandatory/%lld?nendo=2026", (long long)sec2);
    r = req("GET", path, k->cookie, NULL);
    assert_int_equal(r.status, 200);
    if (!has(&r, want)) fail_msg("want %s in %.3000s", want, r.body);
    assert_true(has(&r, insider));
    assert_false(has(&r, outsider));
    assert_false(has(&r, fmt(">%s</a>", s->name))); /* done: not among the missing */
    buf_free(&r.raw);
    /* The export lists the same units and names. */
    r = req("GET", fmt("/mandatory/%lld?nendo=2026&format=csv", (long long)sec2), k->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, BOM "組織,対象人数,修了,未修了"));
    assert_true(has(&r, insider));
    assert_false(has(&r, outsider));
    buf_free(&r.raw);
    expect_download(k->cookie, fmt("/mandatory/%lld?nendo=2026&format=xlsx", (long long)sec2), "PK");

    /* 事務局 sees the whole organisation. */
    snprintf(want, sizeof want, "<dt>修了</dt><dd>1 / %d人</dd>", req_all);
    r = req("GET", path, d->cookie, NULL);
    if (!has(&r, want)) fail_msg("want %s", want);
    assert_true(has(&r, outsider));
    buf_free(&r.raw);

    /* A person who left the subtree yesterday is neither counted nor named. */
    int64_t mover = db_int(db, 0, "SELECT s.id FROM staff s WHERE s.name = ?", insider);
    int64_t other = db_int(db, 0, "SELECT id FROM org_unit WHERE id NOT IN (" ASOF_SUBTREE ") AND level >= 3 ORDER BY id LIMIT 1", root);
    db_exec(db, "UPDATE assignment SET to_date = '2026-11-15' WHERE staff_id = ? AND to_date IS NULL", mover);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date) VALUES (?, ?, 1, '2026-11-16')", mover, other);
    snprintf(want, sizeof want, "<dt>修了</dt><dd>1 / %d人</dd>", req_sub - 1);
    r = req("GET", path, k->cookie, NULL);
    if (!has(&r, want)) fail_msg("want %s", want);
    assert_false(has(&r, insider));
    buf_free(&r.raw);
    /* The 所属長's home leads there. */
    EXPECT(k->cookie, "/", 200, "href=\"/mandatory\"");
    /* A 職員 has no such page. */
    EXPECT(s->cookie, path, 403, "");
    arena_free(&a);
    db_exec(db, "DELETE FROM mandatory_course");
}

static void test_certificate_serial_and_verify(void **state)
{
    (void)state;
    Who *s = user("shokuin"), *k = user("kacho"), *d = user("dx");
    int64_t sec2 = course_id("SEC-02");
    int64_t session = db_int(db, 0, "SELECT id FROM training_session WHERE course_id = ? AND nendo = 2026 ORDER BY id LIMIT 1", sec2);
    db_exec(db, "DELETE FROM completion WHERE staff_id = ? AND session_id = ?", s->staff_id, session);
    db_exec(db, "INSERT INTO completion (session_id, staff_id, attended, minutes, completed, recorded_at) VALUES (?, ?, 1, 45, 1, '2026-11-16T10:00:00')",
            session, s->staff_id);
    int64_t comp = db_int(db, 0, "SELECT id FROM completion WHERE staff_id = ? AND session_id = ?", s->staff_id, session);
    /* The training page leads to the certificates. */
    EXPECT(s->cookie, "/training", 200, "href=\"/certificates\"");
    EXPECT(s->cookie, "/certificates", 200, fmt("/completions/%lld/certificate", (long long)comp), "個人情報保護の基礎");

    Res r = post(s, fmt("/completions/%lld/certificate", (long long)comp), "");
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /certificates/R8-SEC-02-000001"));
    buf_free(&r.raw);
    /* Issuing again returns the same serial. */
    r = post(s, fmt("/completions/%lld/certificate", (long long)comp), "");
    assert_true(has(&r, "Location: /certificates/R8-SEC-02-000001"));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM certificate WHERE completion_id = ?", comp), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.issue' AND entity_id = ?", comp), 1);
    char serial[CERT_SERIAL_MAX];
    Errors e = {0};
    assert_int_equal(cert_issue(db, &ACTOR_CLI, comp, serial, &e), 0);
    assert_string_equal(serial, "R8-SEC-02-000001");

    /* The A4 sheet: name, course, date, serial; no site menu. */
    r = req("GET", "/certificates/R8-SEC-02-000001", s->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "class=\"cert-sheet\""));
    assert_true(has(&r, s->name));
    assert_true(has(&r, "個人情報保護の基礎"));
    assert_true(has(&r, "番号 R8-SEC-02-000001"));
    assert_false(has(&r, "site-menu"));
    buf_free(&r.raw);

    /* Anyone logged in verifies it; an unknown serial is refused. */
    EXPECT(k->cookie, "/certificates/verify?serial=R8-SEC-02-000001", 200, "有効な修了証です", s->name, "個人情報保護の基礎");
    EXPECT(d->cookie, "/certificates/verify?serial=R8-SEC-02-999999", 404, "その番号の修了証は見つかりません");
    EXPECT(d->cookie, "/certificates/R8-XX-000001", 404, "");

    /* Not one's own, not 事務局: refused. Not completed: refused, nothing issued. */
    int64_t others = db_int(db, 0, "SELECT id FROM completion WHERE staff_id <> ? AND completed = 1 ORDER BY id LIMIT 1", s->staff_id);
    r = post(s, fmt("/completions/%lld/certificate", (long long)others), "");
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    db_exec(db, "UPDATE completion SET completed = 0 WHERE id = ?", others);
    r = post(d, fmt("/completions/%lld/certificate", (long long)others), "");
    assert_int_equal(r.status, 422);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM certificate WHERE completion_id = ?", others), 0);
    db_exec(db, "UPDATE completion SET completed = 1 WHERE id = ?", others);
    /* A second completion of the course and 年度 gets the next number. */
    r = post(d, fmt("/completions/%lld/certificate", (long long)others), "");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM certificate"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mark_for_tiers_with_due_date),
        cmocka_unit_test(test_todo_shows_due_date),
        cmocka_unit_test(test_manager_progress_is_their_subtree_today),
        cmocka_unit_test(test_certificate_serial_and_verify),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
