/* test_hours.c - 延べ受講時間: an external course counts its hours (the
 * course's minutes, or those entered on the completion), in the KPI and in
 * the transcripts alike, and each 年度 counts its own sessions across the
 * 3/31–4/1 boundary. Figures are checked against SQL written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "db/migrate.h"
#include "domain/kpi.h"
#include "domain/completion.h"
#include "domain/training.h"
#include "../tmpdb.h"

static Db *db;
static char path[64];
static int64_t staff[5];

static int64_t person(const char *no, int64_t u)
{
    int64_t id = db_int(db, 0, "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at) VALUES (?, ?, 'regular', 'x', 'x') RETURNING id",
                        no, no);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date) VALUES (?, ?, '2020-04-01')", id, u);
    return id;
}

static int64_t course(const char *code, const char *provider, int minutes)
{
    return db_int(db, 0, "INSERT INTO course (code, title, provider, format, minutes) VALUES (?, ?, ?, 'group', ?) RETURNING id", code, code,
                  provider, minutes);
}

static int64_t session(int64_t c, int nendo, const char *day)
{
    return db_int(db, 0,
                  "INSERT INTO training_session (course_id, nendo, starts_at, ends_at, capacity) VALUES (?, ?, ? || 'T09:00', ? || 'T17:00', 0)"
                  " RETURNING id",
                  c, nendo, day, day);
}

static void done(int64_t s, int64_t who, int attended, int minutes, int completed, const char *on)
{
    db_exec(db, "INSERT INTO completion (session_id, staff_id, attended, minutes, completed, report_on, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            s, who, attended, minutes, completed, completed ? on : NULL, on);
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "hours");
    if (!db) return -1;
    int64_t u = db_int(db, 0, "INSERT INTO org_unit (code, name, level, valid_from) VALUES ('K', 'K', 3, '2020-04-01') RETURNING id");
    for (int i = 0; i < 5; i++) staff[i] = person((const char *[]){"A", "B", "C", "D", "E"}[i], u);
    int64_t in = course("IN", "somu", 90), ext = course("EXT", "jlis", 360), elearn = course("EL", "manabi", 120);
    int64_t s_in = session(in, 2026, "2026-05-10"), s_ext = session(ext, 2026, "2026-06-10"), s_el = session(elearn, 2026, "2026-07-01");
    done(s_in, staff[0], 1, 90, 1, "2026-05-10");   /* internal, 90 entered */
    done(s_ext, staff[1], 1, 0, 1, "2026-06-20");   /* external, no minutes entered: the course's 360 */
    done(s_ext, staff[2], 1, 240, 0, "2026-06-20"); /* external, 240 entered, 復命書 not yet */
    done(s_ext, staff[3], 0, 0, 0, "2026-06-20");   /* absent: nothing */
    done(s_el, staff[4], 0, 0, 1, "2026-07-20");    /* completed e-learning, no attendance mark: 120 */
    /* Across the year end: 3/31 belongs to 2025, 4/1 to 2026. */
    done(session(ext, 2025, "2026-03-31"), staff[0], 1, 0, 1, "2026-03-31");
    done(session(elearn, 2026, "2026-04-01"), staff[1], 1, 0, 1, "2026-04-01");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

/* The expected minutes of a 年度 (staff 0: everyone), written out here. */
static int64_t expected(int nendo, int64_t who)
{
    return db_int(db, -1,
                  "SELECT COALESCE(SUM(CASE WHEN k.attended = 0 AND k.completed = 0 THEN 0"
                  " WHEN k.minutes > 0 THEN k.minutes WHEN c.provider NOT IN ('somu', 'seisaku') THEN c.minutes ELSE 0 END), 0)"
                  " FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                  " WHERE t.nendo = ? AND (? = 0 OR k.staff_id = ?)",
                  nendo, who, who);
}

static double hours_kpi(int nendo, const char *as_of)
{
    Arena a = ARENA_INIT;
    KpiValue *v;
    kpi_compute(db, &a, nendo, as_of, &v);
    double h = -1;
    for (int i = 0; i < kpi_count; i++)
        if (strcmp(v[i].def->code, "TRAIN_HOURS") == 0) h = v[i].actual;
    arena_free(&a);
    return h;
}

static int transcript_minutes(int64_t who, int nendo)
{
    Arena a = ARENA_INIT;
    TranscriptRow *rows;
    int n = transcript_list(db, &a, who, 0, nendo, 0, &rows), sum = 0;
    for (int i = 0; i < n; i++) sum += rows[i].minutes;
    arena_free(&a);
    return sum;
}

static void test_external_counts(void **state)
{
    (void)state;
    /* 90 + 360 + 240 + 0 + 120 in June–July, 120 on 4/1. */
    assert_int_equal(expected(2026, 0), 90 + 360 + 240 + 120 + 120);
    assert_true(fabs(hours_kpi(2026, "2027-03-31") - expected(2026, 0) / 60.0) < 0.01);
    assert_int_equal(transcript_minutes(staff[1], 2026), 360 + 120);
    assert_int_equal(transcript_minutes(staff[1], 2026), expected(2026, staff[1]));
    assert_int_equal(transcript_minutes(staff[2], 2026), 240);
    assert_int_equal(transcript_minutes(staff[3], 2026), 0);
    assert_int_equal(transcript_minutes(staff[4], 2026), 120);
    /* The KPI and the transcripts agree, person by person. */
    int sum = 0;
    for (int i = 0; i < 5; i++) sum += transcript_minutes(staff[i], 2026);
    assert_true(fabs(hours_kpi(2026, "2027-03-31") * 60 - sum) < 0.5);
}

static void test_year_boundary(void **state)
{
    (void)state;
    /* 2025 has only the external course of 3/31; 4/1 counts for 2026. */
    assert_int_equal(expected(2025, 0), 360);
    assert_true(fabs(hours_kpi(2025, "2026-03-31") - 6.0) < 0.01);
    assert_int_equal(transcript_minutes(staff[0], 2025), 360);
    assert_int_equal(transcript_minutes(staff[1], 2025), 0);
    /* As of 4/1, 2026 holds only that day's course. */
    assert_true(fabs(hours_kpi(2026, "2026-04-01") - 2.0) < 0.01);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_external_counts), cmocka_unit_test(test_year_boundary)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
