/* test_elearning_pages.c - the e-learning screens of the training menu: the
 * 修了証, mandatory-course and SCORM pages mark their own entry of the
 * sub-menu (not わたしの研修), and a 修了証 of an e-learning completion carries
 * the day it was completed, not the last day of the all-year session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cert.h"
#include "domain/module.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}, {.login = "dx"}};

static int setup(void **state)
{
    (void)state;
    if (harness_open("elearning-pages", users, sizeof users / sizeof users[0]) != 0) return -1;
    return demo_elearning(db, 2026, 7u);
}

static int teardown(void **state)
{
    (void)state;
    harness_close();
    return 0;
}

/* The page at path marks href (labelled label) as the current sub-menu entry
 * and no other entry of the sub-menu. */
static void current_entry(const char *cookie, const char *path, const char *href, const char *label)
{
    Res r = req("GET", path, cookie, NULL);
    if (r.status != 200) fail_msg("GET %s gave %d", path, r.status);
    const char *want = fmt("<a href=\"%s\" aria-current=page>%s</a>", href, label);
    const char *nav = strstr(r.raw.data, "<nav class=\"subnav\"");
    if (!nav) fail_msg("GET %s has no sub-menu", path);
    const char *end = strstr(nav, "</nav>");
    assert_non_null(end);
    char *sub = strndup(nav, (size_t)(end - nav));
    if (!strstr(sub, want)) fail_msg("GET %s does not mark %s as current: %s", path, href, sub);
    int marks = 0;
    for (const char *p = sub; (p = strstr(p, "aria-current=page")) != NULL; p++) marks++;
    if (marks != 1) fail_msg("GET %s marks %d sub-menu links as current: %s", path, marks, sub);
    free(sub);
    buf_free(&r.raw);
}

static void test_sub_menu_marks_its_own_entry(void **state)
{
    (void)state;
    Who *s = user("shokuin"), *d = user("dx");
    current_entry(s->cookie, "/certificates", "/certificates", "修了証");
    current_entry(s->cookie, "/certificates/verify", "/certificates", "修了証");
    current_entry(s->cookie, "/scorm/learn", "/scorm/learn", "SCORM教材");
    int64_t sco = db_int(db, 0, "SELECT MIN(id) FROM scorm_sco");
    assert_true(sco > 0);
    current_entry(s->cookie, fmt("/scorm/sco/%lld", (long long)sco), "/scorm/learn", "SCORM教材");
    current_entry(d->cookie, "/scorm", "/scorm/learn", "SCORM教材");
    current_entry(d->cookie, "/mandatory", "/mandatory", "必修研修");
    int64_t m = db_int(db, 0, "SELECT id FROM course WHERE code = 'SEC-EL-R8'");
    current_entry(d->cookie, fmt("/mandatory/%lld", (long long)m), "/mandatory", "必修研修");
    /* わたしの研修 itself keeps its mark. */
    current_entry(s->cookie, "/training", "/training", "わたしの研修");
}

static void test_certificate_of_elearning_is_dated_when_completed(void **state)
{
    (void)state;
    Who *s = user("shokuin");
    int64_t m = db_int(db, 0, "SELECT id FROM course WHERE code = 'SEC-EL-R8'");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id WHERE t.course_id = ? AND k.staff_id = ?", m,
                            s->staff_id),
                     0);
    /* The completion a passed module records, on 2026-10-05. */
    int64_t session = module_session(db, m, 2026);
    assert_true(session > 0);
    assert_int_equal(db_exec(db,
                             "INSERT INTO completion (session_id, staff_id, attended, minutes, score, result, completed, recorded_at)"
                             " VALUES (?, ?, 1, 60, 90, '修了（eラーニング）', 1, '2026-10-05')",
                             session, s->staff_id),
                     1);
    int64_t k = db_int(db, 0, "SELECT k.id FROM completion k JOIN training_session t ON t.id = k.session_id WHERE t.course_id = ? AND k.staff_id = ?", m,
                       s->staff_id);
    assert_true(k > 0);
    /* The session is open all year: it ends on 2027-03-31, after today. */
    assert_true(db_exists(db, "SELECT 1 FROM completion k JOIN training_session t ON t.id = k.session_id WHERE k.id = ? AND t.ends_at > '2027-03-31'", k));
    EXPECT(s->cookie, "/certificates", 200, "datetime=\"2026-10-05\"", "修了証を発行");
    Res r = req("POST", fmt("/completions/%lld/certificate", (long long)k), s->cookie, fmt("csrf=%s", s->csrf));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    Arena a = ARENA_INIT;
    const char *serial = db_text(db, &a, "SELECT serial FROM certificate WHERE completion_id = ?", k);
    assert_non_null(serial);
    assert_string_equal(serial, "R8-SEC-EL-R8-000001");
    EXPECT(s->cookie, fmt("/certificates/%s", serial), 200, "<time datetime=\"2026-10-05\">令和8年10月5日</time>", "番号 R8-SEC-EL-R8-000001",
           "/certificates/verify?serial=R8-SEC-EL-R8-000001");
    EXPECT(s->cookie, fmt("/certificates/verify?serial=%s", serial), 200, "有効な修了証です", "datetime=\"2026-10-05\"");
    r = req("GET", fmt("/certificates/%s", serial), s->cookie, NULL);
    assert_false(has(&r, "2027-03-31"));
    buf_free(&r.raw);
    /* A classroom session keeps its last day even when recorded later. */
    int64_t held = db_int(db, 0,
                          "SELECT k.id FROM completion k JOIN training_session t ON t.id = k.session_id WHERE k.completed = 1"
                          " AND substr(k.recorded_at, 1, 10) > substr(t.ends_at, 1, 10) ORDER BY k.id LIMIT 1");
    if (held) {
        Certificate c;
        char sn[CERT_SERIAL_MAX];
        Errors e = {0};
        assert_int_equal(cert_issue(db, &ACTOR_CLI, held, sn, &e), 0);
        assert_true(cert_find(db, &a, sn, &c));
        assert_string_equal(c.completed_on,
                            db_text(db, &a, "SELECT substr(t.ends_at, 1, 10) FROM completion k JOIN training_session t ON t.id = k.session_id WHERE k.id = ?", held));
    }
    arena_free(&a);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sub_menu_marks_its_own_entry),
        cmocka_unit_test(test_certificate_of_elearning_is_dated_when_completed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
