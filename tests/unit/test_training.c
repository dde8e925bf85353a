/* test_training.c - the training rules: capacity and the FIFO waitlist,
 * approvals, bulk enrolment, completion (with 復命書 for external courses),
 * completion as evidence, recommendations, demand and share-back rate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "domain/completion.h"
#include "domain/training.h"
#include "../tmpdb.h"

static Db *db;
static char path[64];
static int64_t unit, staff[4], course_in, course_ex, item;
static const Actor office = {0, "office", ""};


static int64_t new_session(int64_t course, int capacity)
{
    Session s = {0};
    s.course_id = course;
    s.starts_at = "2099-06-01T10:00";
    s.ends_at = "2099-06-01T12:00";
    s.capacity = capacity;
    Errors e = {0};
    return session_save(db, &office, &s, &e) == 0 ? s.id : 0;
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "training");
    if (!db) return -1;
    static const char map[] = SKILL_CSV_HEAD ",C1,区分,,独自,,,,,,,,\r\nC1,I1,項目1,,独自,,,,,,3,3,3\r\n";
    SkillImportResult res;
    Errors e = {0};
    if (skill_import_csv(db, &ACTOR_CLI, map, sizeof map - 1, 2026, "core", &res, &e) != 0) return -1;
    item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'I1'");
    unit = db_int(db, 0, "INSERT INTO org_unit (code, name, level, valid_from) VALUES ('U', 'U', 3, '2020-04-01') RETURNING id");
    for (int i = 0; i < 4; i++) {
        char no[16];
        snprintf(no, sizeof no, "S%d", i);
        staff[i] = db_int(db, 0, "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at) VALUES (?, ?, 'regular', 'x', 'x') RETURNING id",
                          no, no);
        db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date) VALUES (?, ?, '2020-04-01')", staff[i], unit);
    }
    CourseSkill sk = {item, NULL, NULL, 2};
    Course c = {0};
    c.code = "IN1";
    c.title = "内部研修";
    c.provider = "somu";
    c.format = "group";
    c.target_tiers = 14;
    c.minutes = 90;
    c.capacity = 2;
    c.skills = &sk;
    c.nskills = 1;
    c.active = true;
    if (course_save(db, &office, &c, &e) != 0) return -1;
    course_in = c.id;
    Course x = c;
    x.id = 0;
    x.code = "EX1";
    x.title = "外部研修";
    x.provider = "jlis";
    if (course_save(db, &office, &x, &e) != 0) return -1;
    course_ex = x.id;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static int64_t app_of(int64_t session, int64_t person)
{
    return db_int(db, 0, "SELECT id FROM application WHERE session_id = ? AND staff_id = ?", session, person);
}

static const char *state(int64_t app)
{
    static char buf[16];
    Arena a = ARENA_INIT;
    char *s = db_text(db, &a, "SELECT state FROM application WHERE id = ?", app);
    snprintf(buf, sizeof buf, "%s", s ? s : "");
    arena_free(&a);
    return buf;
}

static void test_capacity_waitlist_and_promotion(void **state_)
{
    (void)state_;
    int64_t s = new_session(course_in, 2);
    assert_true(s > 0);
    Errors e = {0};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(app_apply(db, &office, s, staff[i], "", &e), 0);
        /* Deciding before the 所属長 approved is refused. */
        if (i == 0) assert_int_equal(app_decide(db, &office, app_of(s, staff[0]), true, &e), -1), memset(&e, 0, sizeof e);
        assert_int_equal(app_approve(db, &office, app_of(s, staff[i]), true, &e), 0);
        assert_int_equal(app_decide(db, &office, app_of(s, staff[i]), true, &e), 0);
    }
    assert_string_equal(state(app_of(s, staff[0])), "accepted");
    assert_string_equal(state(app_of(s, staff[1])), "accepted");
    assert_string_equal(state(app_of(s, staff[2])), "waitlisted");
    /* A second application by the same person is refused. */
    assert_int_equal(app_apply(db, &office, s, staff[0], "", &e), -1);
    memset(&e, 0, sizeof e);
    /* Cancelling a seat promotes the first on the waitlist. */
    assert_int_equal(app_cancel(db, &office, app_of(s, staff[0]), &e), 0);
    assert_string_equal(state(app_of(s, staff[2])), "accepted");
    assert_string_equal(state(app_of(s, staff[0])), "cancelled");
    /* The cancelled person may apply again, at the back of the queue. */
    assert_int_equal(app_apply(db, &office, s, staff[0], "", &e), 0);
    assert_string_equal(state(app_of(s, staff[0])), "applied");
    Session got;
    Arena a = ARENA_INIT;
    assert_true(session_get(db, &a, s, &got));
    assert_int_equal(got.accepted, 2);
    assert_int_equal(got.pending, 1);
    arena_free(&a);
}

static void test_rejection_and_bulk(void **state_)
{
    (void)state_;
    int64_t s = new_session(course_in, 3);
    Errors e = {0};
    assert_int_equal(app_apply(db, &office, s, staff[0], "", &e), 0);
    assert_int_equal(app_approve_r(db, &office, app_of(s, staff[0]), false, "業務の都合", &e), 0);
    assert_string_equal(state(app_of(s, staff[0])), "rejected");
    int added, waitlisted;
    assert_int_equal(app_enrol_bulk(db, &office, s, 0, unit, "2026-10-01", &added, &waitlisted, &e), 0);
    assert_int_equal(added, 3);
    assert_int_equal(waitlisted, 1);
}

static void test_completion_and_report(void **state_)
{
    (void)state_;
    int64_t si = new_session(course_in, 0), se = new_session(course_ex, 0);
    RosterEntry r[] = {{staff[0], true, 80}, {staff[1], false, -1}};
    Errors e = {0};
    assert_int_equal(completion_record(db, &office, si, r, 2, &e), 0);
    assert_int_equal(completion_record(db, &office, se, r, 1, &e), 0);
    assert_int_equal(db_int(db, -1, "SELECT completed FROM completion WHERE session_id = ? AND staff_id = ?", si, staff[0]), 1);
    assert_int_equal(db_int(db, -1, "SELECT minutes FROM completion WHERE session_id = ? AND staff_id = ?", si, staff[0]), 90);
    assert_int_equal(db_int(db, -1, "SELECT completed FROM completion WHERE session_id = ? AND staff_id = ?", si, staff[1]), 0);
    /* External: attended is not yet complete; the 復命書 completes it. */
    int64_t c = db_int(db, 0, "SELECT id FROM completion WHERE session_id = ? AND staff_id = ?", se, staff[0]);
    assert_int_equal(db_int(db, -1, "SELECT completed FROM completion WHERE id = ?", c), 0);
    assert_int_equal(completion_report(db, &office, c, "2099-06-05", "", &e), -1);
    memset(&e, 0, sizeof e);
    assert_int_equal(completion_report(db, &office, c, "2099-06-05", "学んだことを共有した", &e), 0);
    assert_int_equal(db_int(db, -1, "SELECT completed FROM completion WHERE id = ?", c), 1);
    /* Re-recording attendance keeps the report's completion. */
    assert_int_equal(completion_record(db, &office, se, r, 1, &e), 0);
    assert_int_equal(db_int(db, -1, "SELECT completed FROM completion WHERE id = ?", c), 1);
    /* CSV: one bad row writes nothing. */
    static const char bad[] = "職員番号,出欠,点数\r\nS2,出席,90\r\nNOPE,出席,\r\nS3,たぶん,\r\n";
    int n;
    assert_int_equal(completion_import_csv(db, &office, si, bad, sizeof bad - 1, &n, &e), -1);
    assert_true(e.n >= 2);
    assert_non_null(strstr(e.items[0].msg, "3行目"));
    assert_false(db_exists(db, "SELECT 1 FROM completion WHERE session_id = ? AND staff_id = ?", si, staff[2]));
    memset(&e, 0, sizeof e);
    static const char good[] = "\xEF\xBB\xBF職員番号,出欠,点数\r\nS2,出席,90\r\nS3,欠席,\r\n";
    assert_int_equal(completion_import_csv(db, &office, si, good, sizeof good - 1, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_int_equal(db_int(db, -1, "SELECT score FROM completion WHERE session_id = ? AND staff_id = ?", si, staff[2]), 90);
}

static void test_evidence_and_recommendations(void **state_)
{
    (void)state_;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2099, false, &m);
    int levels[4];
    const char *titles[4];
    training_evidence(db, &a, &m, staff[0], 2099, levels, titles);
    int i = skill_item_index(&m, item);
    assert_int_equal(levels[i], 2);
    assert_non_null(titles[i]);
    /* staff[3] has completed nothing: both courses address their gap at I1
     * (target 3, no level): each closes 2 levels. staff[0] completed both. */
    Recommendation *rec;
    assert_int_equal(recommend_person(db, &a, &m, staff[3], 2099, &rec), 2);
    assert_int_equal(rec[0].gaps_closed, 2);
    assert_int_equal(recommend_person(db, &a, &m, staff[0], 2099, &rec), 0);
    Demand *d;
    int n = recommend_demand(db, &a, &m, 2099, unit, 0, &d);
    assert_true(n >= 1);
    assert_true(d[0].people >= 1 && d[0].sessions_needed >= 1);
    arena_free(&a);
}

static void test_shareback_rate(void **state_)
{
    (void)state_;
    db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2099, 2, 'lead', ?, '2099-04-01')",
            staff[0], unit);
    db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2099, 2, 'lead', ?, '2099-04-01')",
            staff[1], unit);
    int done, leaders;
    shareback_rate(db, 2099, &done, &leaders);
    assert_int_equal(leaders, 2);
    assert_int_equal(done, 0);
    ShareBack s = {0};
    s.staff_id = staff[0];
    s.held_on = "2099-07-01";
    s.content = "";
    Errors e = {0};
    assert_int_equal(shareback_add(db, &office, &s, &e), -1);
    memset(&e, 0, sizeof e);
    s.content = "生成AIの使い方を係で共有";
    s.attendees = 5;
    assert_int_equal(shareback_add(db, &office, &s, &e), 0);
    shareback_rate(db, 2099, &done, &leaders);
    assert_int_equal(done, 1);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacity_waitlist_and_promotion), cmocka_unit_test(test_rejection_and_bulk),
        cmocka_unit_test(test_completion_and_report),           cmocka_unit_test(test_evidence_and_recommendations),
        cmocka_unit_test(test_shareback_rate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
