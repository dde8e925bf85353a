/* test_concurrency.c - the check-then-write paths under concurrent nodes.
 *
 * Each race runs 2 × 50 attempts at once, every attempt on its own
 * connection (as a request on one of two app nodes would), released together
 * by a barrier: the last seats of a session (and the waitlist order), the
 * 総括リーダー of one 係, the submission of one assessment, and failed
 * logins counted by the throttle, and one transfer list applied from
 * everywhere at once. Then bulk operations whose sets of guard rows overlap,
 * taken in opposite orders (sessions, units, assessments), and bulk
 * decisions racing the retirement of the same people: each locks all of its
 * rows first in one order, so none is aborted as a deadlock. Every race runs
 * on SQLite (a file, whose writers queue) and on PostgreSQL (a throwaway cluster, tests/pgtmp.h;
 * skipped with the reason when PostgreSQL 15 is not installed), where two
 * transactions under READ COMMITTED run side by side. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/throttle.h"
#include "db/migrate.h"
#include "domain/assess.h"
#include "domain/course.h"
#include "domain/skill.h"
#include "domain/staff.h"
#include "domain/tier.h"
#include "domain/training.h"
#include "domain/transfer.h"
#include "../pgtmp.h"
#include "../tmpdb.h"

enum { NODES = 2, PER_NODE = 50, N = NODES * PER_NODE, SEATS = 10 };

static const Actor office = {0, "office", "127.0.0.1"};

/* One backend's database, seeded alike: a 係 with N staff, a course with a
 * session of SEATS seats, a skill map and an open assessment period. */
typedef struct Backend {
    const char *label;
    char name[768]; /* a SQLite path or a PostgreSQL conninfo */
    const char *skip;
    int64_t unit, staff[N], session, item;
    int64_t seat[N]; /* the accepted application of staff[i], or 0 */
} Backend;

static Backend lite = {.label = "SQLite"}, pg = {.label = "PostgreSQL"};
static char pg_dbname[64], lite_path[64];

static bool seed(Backend *b)
{
    Db *db = db_open(b->name);
    if (!db || migrate(db) < 0) return false;
    static const char map[] = SKILL_CSV_HEAD ",C1,区分,,独自,,,,,,,,\r\nC1,I1,項目1,,独自,,,,,,2,3,4\r\n";
    SkillImportResult res;
    Errors e = {0};
    bool ok = skill_import_csv(db, &ACTOR_CLI, map, sizeof map - 1, 2026, "core", &res, &e) == 0;
    b->item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'I1'");
    b->unit = db_int(db, 0, "INSERT INTO org_unit (code, name, level, valid_from) VALUES ('K1', '係', 4, '2020-04-01') RETURNING id");
    ok = ok && db_exec(db, "INSERT INTO org_unit (code, name, level, valid_from) VALUES ('K2', '別の係', 4, '2020-04-01')") == 1;
    for (int i = 0; i < N; i++) {
        char no[16];
        snprintf(no, sizeof no, "C%03d", i);
        b->staff[i] = db_int(db, 0,
                             "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at) VALUES (?, ?, 'regular', 'x', 'x') RETURNING id",
                             no, no);
        ok = ok && db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date) VALUES (?, ?, '2020-04-01')", b->staff[i], b->unit) == 1;
    }
    Course c = {0};
    c.code = "RACE";
    c.title = "定員のある研修";
    c.provider = "somu";
    c.format = "group";
    c.target_tiers = 14;
    c.minutes = 60;
    c.capacity = SEATS;
    c.active = true;
    ok = ok && course_save(db, &office, &c, &e) == 0;
    Session s = {0};
    s.course_id = c.id;
    s.starts_at = "2099-06-01T10:00";
    s.ends_at = "2099-06-01T12:00";
    s.capacity = SEATS;
    ok = ok && session_save(db, &office, &s, &e) == 0;
    b->session = s.id;
    ok = ok && db_exec(db, "INSERT INTO assess_period (nendo, opens_on, closes_on) VALUES (2026, '2026-05-01', '2026-07-31')") == 1;
    db_close(db);
    return ok && b->session > 0;
}

/* ---- the race ---- */

typedef struct Attempt {
    Backend *b;
    int i;
    int rc;
    char msg[256]; /* the first message of a refused attempt */
} Attempt;
typedef void (*AttemptFn)(Db *db, Attempt *at);

static pthread_barrier_t gate;
static AttemptFn current;

static void *attempt_thread(void *arg)
{
    Attempt *at = arg;
    Db *db = db_open(at->b->name);
    pthread_barrier_wait(&gate);
    if (db) current(db, at);
    else at->rc = -2;
    db_close(db);
    return NULL;
}

/* Runs fn for i = 0 … N-1 at once; the number of attempts that returned 0. */
static int race(Backend *b, AttemptFn fn, Attempt *at)
{
    pthread_t t[N];
    current = fn;
    pthread_barrier_init(&gate, NULL, N);
    for (int i = 0; i < N; i++) {
        at[i] = (Attempt){.b = b, .i = i, .rc = -1};
        assert_int_equal(pthread_create(&t[i], NULL, attempt_thread, &at[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        assert_int_not_equal(at[i].rc, -2);
        ok += at[i].rc == 0;
    }
    pthread_barrier_destroy(&gate);
    return ok;
}

#define NEED(b)                                                                                                        \
    do {                                                                                                               \
        if ((b)->skip) {                                                                                               \
            print_message("# skipped (no %s): %s\n", (b)->label, (b)->skip);                                           \
            return;                                                                                                    \
        }                                                                                                              \
    } while (0)

/* test_NAME_sqlite and test_NAME_pg: the race NAME(Backend *) on each backend. */
#define ON_BOTH(name)                                                                                                  \
    static void test_##name##_sqlite(void **state)                                                                     \
    {                                                                                                                  \
        (void)state;                                                                                                   \
        NEED(&lite);                                                                                                   \
        name(&lite);                                                                                                   \
    }                                                                                                                  \
    static void test_##name##_pg(void **state)                                                                         \
    {                                                                                                                  \
        (void)state;                                                                                                   \
        NEED(&pg);                                                                                                     \
        name(&pg);                                                                                                     \
    }

/* ---- seats and the waitlist ---- */

static void apply_one(Db *db, Attempt *at)
{
    Errors e = {0};
    at->rc = app_apply(db, &office, at->b->session, at->b->staff[at->i], "", &e);
}

static void decide_one(Db *db, Attempt *at)
{
    Errors e = {0};
    int64_t app = db_int(db, 0, "SELECT id FROM application WHERE session_id = ? AND staff_id = ?", at->b->session, at->b->staff[at->i]);
    at->rc = app_decide(db, &office, app, true, &e);
}

static void cancel_one(Db *db, Attempt *at)
{
    Errors e = {0};
    at->rc = at->b->seat[at->i] ? app_cancel(db, &office, at->b->seat[at->i], &e) : 1;
}

static void seats(Backend *b)
{
    Attempt at[N];
    /* Everyone applies at once: each gets a place in the queue, none shared. */
    assert_int_equal(race(b, apply_one, at), N);
    Db *db = db_open(b->name);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(DISTINCT seq) FROM application WHERE session_id = ?", b->session), N);
    db_exec(db, "UPDATE application SET state = 'approved' WHERE session_id = ?", b->session);
    /* The office decides all of them at once: SEATS accepted, the rest wait. */
    assert_int_equal(race(b, decide_one, at), N);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ? AND state = 'accepted'", b->session), SEATS);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ? AND state = 'waitlisted'", b->session), N - SEATS);
    /* Everyone accepted cancels at once: each seat goes to one person from
     * the waitlist, in queue order. */
    for (int i = 0; i < N; i++)
        b->seat[i] = db_int(db, 0, "SELECT id FROM application WHERE session_id = ? AND staff_id = ? AND state = 'accepted'", b->session,
                            b->staff[i]);
    assert_int_equal(race(b, cancel_one, at), SEATS);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ? AND state = 'accepted'", b->session), SEATS);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ? AND state = 'cancelled'", b->session), SEATS);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'app.promote'"), SEATS);
    assert_false(db_exists(db,
                           "SELECT 1 FROM application w, application x WHERE w.session_id = ? AND x.session_id = w.session_id"
                           " AND w.state = 'waitlisted' AND x.state = 'accepted' AND x.seq > w.seq",
                           b->session));
    db_close(db);
}

ON_BOTH(seats)

/* ---- one 総括リーダー per 係 ---- */

static void designate_one(Db *db, Attempt *at)
{
    Errors e = {0};
    Designation d = {.staff_id = at->b->staff[at->i], .unit_id = at->b->unit, .nendo = 2026, .subtype = "lead",
                     .designated_on = "2026-04-01"};
    at->rc = tier_designate(db, &office, &d, &e);
}

static void leader(Backend *b)
{
    Attempt at[N];
    assert_int_equal(race(b, designate_one, at), 1);
    Db *db = db_open(b->name);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE unit_id = ? AND subtype = 'lead'", b->unit), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'tier.designate'"), 1);
    db_close(db);
}

ON_BOTH(leader)

/* ---- one submission of an assessment ---- */

static void submit_one(Db *db, Attempt *at)
{
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    SelfInput in[1] = {{at->b->item, 2, "", ""}};
    Errors e = {0};
    at->rc = assess_save_self(db, &office, &m, at->b->staff[0], 2026, "2026-06-01", in, 1, true, &e);
    arena_free(&a);
}

static void confirm_one(Db *db, Attempt *at)
{
    Errors e = {0};
    int64_t id = db_int(db, 0, "SELECT id FROM assessment WHERE staff_id = ? AND nendo = 2026", at->b->staff[0]);
    at->rc = at->i % 2 ? assess_confirm(db, &office, id, NULL, 0, &e) : assess_return(db, &office, id, "やり直し", &e);
}

static void submission(Backend *b)
{
    Attempt at[N];
    Db *db = db_open(b->name);
    /* A draft first, so that the race is over its state, not its row. */
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    SelfInput in[1] = {{b->item, 1, "", ""}};
    Errors e = {0};
    assert_int_equal(assess_save_self(db, &office, &m, b->staff[0], 2026, "2026-06-01", in, 1, false, &e), 0);
    arena_free(&a);
    assert_int_equal(race(b, submit_one, at), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assessment WHERE staff_id = ?", b->staff[0]), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'assess.submit'"), 1);
    /* Confirmations and 差戻し at once: one of them moves it. */
    assert_int_equal(race(b, confirm_one, at), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action IN ('assess.confirm', 'assess.return')"), 1);
    db_close(db);
}

ON_BOTH(submission)

/* ---- failed logins ---- */

static void fail_one(Db *db, Attempt *at)
{
    at->rc = throttle_fail(db, "target", at->i % 2 ? "192.0.2.1" : "192.0.2.2");
}

static void logins(Backend *b)
{
    Attempt at[N];
    assert_int_equal(race(b, fail_one, at), N);
    Db *db = db_open(b->name);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM login_failure WHERE login = 'target'"), N);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed'"), N);
    assert_true(throttle_locked_until(db, "target") > 0);
    db_close(db);
}

ON_BOTH(logins)

/* ---- the transfer list ---- */

static TransferList transfers;

static void transfer_one(Db *db, Attempt *at)
{
    Errors e = {0};
    at->rc = transfer_apply(db, &office, &transfers, &e);
}

static void transfer(Backend *b)
{
    static const char csv[] = "職員番号,区分,新所属コード,発令日,氏名,カナ,職員区分\r\nC050,異動,K2,2027-04-01,,,\r\n";
    Attempt at[N];
    Arena a = ARENA_INIT;
    Errors e = {0};
    Db *db = db_open(b->name);
    assert_int_equal(transfer_parse(db, &a, csv, sizeof csv - 1, &transfers, &e), 0);
    /* The same list applied from everywhere at once: it is applied once.
     * (Moves only: a hire is held back by staff_no's UNIQUE anyway.) */
    assert_int_equal(race(b, transfer_one, at), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", b->staff[50]), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assignment WHERE staff_id = ?", b->staff[50]), 2);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'transfer.apply'"), 1);
    db_close(db);
    arena_free(&a);
}

ON_BOTH(transfer)

/* ---- bulk operations over overlapping rows, in opposite orders ---- */

static void keep_msg(Attempt *at, const Errors *e)
{
    if (at->rc != 0 && e->n) snprintf(at->msg, sizeof at->msg, "%s", e->items[0].msg);
}

/* No attempt was refused for a database error (a deadlock broken by the
 * server reports 「保存できませんでした」); any other refusal is `allowed`. */
static void no_db_errors(const Attempt *at, const char *allowed)
{
    int failed = 0, other = 0;
    for (int i = 0; i < N; i++) {
        if (at[i].rc == 0) continue;
        if (strstr(at[i].msg, "保存できませんでした")) failed++;
        else if (allowed && !strstr(at[i].msg, allowed)) {
            print_message("# attempt %d: %s\n", i, at[i].msg);
            other++;
        }
    }
    if (failed) print_message("# %d of %d attempts: 保存できませんでした\n", failed, N);
    assert_int_equal(failed, 0);
    assert_int_equal(other, 0);
}

static int64_t bulk_sessions[2], bulk_apps[2][N];

static void decide_bulk_one(Db *db, Attempt *at)
{
    Errors e = {0};
    int first = at->i % 2, accepted, waitlisted;
    int64_t ids[2] = {bulk_apps[first][at->i], bulk_apps[!first][at->i]};
    at->rc = app_decide_bulk(db, &office, ids, 2, true, NULL, &accepted, &waitlisted, &e);
    keep_msg(at, &e);
}

static void decide_bulk(Backend *b)
{
    Attempt at[N];
    Db *db = db_open(b->name);
    Errors e = {0};
    /* Two more sessions of SEATS seats; everyone waits for a decision on both. */
    for (int k = 0; k < 2; k++) {
        Session s = {.course_id = db_int(db, 0, "SELECT course_id FROM training_session WHERE id = ?", b->session),
                     .starts_at = k ? "2099-07-01T10:00" : "2099-08-01T10:00", .ends_at = k ? "2099-07-01T12:00" : "2099-08-01T12:00",
                     .capacity = SEATS};
        assert_int_equal(session_save(db, &office, &s, &e), 0);
        bulk_sessions[k] = s.id;
        for (int i = 0; i < N; i++)
            bulk_apps[k][i] = db_int(db, 0,
                                     "INSERT INTO application (session_id, staff_id, state, seq, applied_at, note)"
                                     " VALUES (?, ?, 'approved', ?, 'x', '') RETURNING id",
                                     s.id, b->staff[i], i + 1);
    }
    /* Half decide session 1's row then session 2's, half the other way. */
    int done = race(b, decide_bulk_one, at);
    no_db_errors(at, NULL);
    assert_int_equal(done, N);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ? AND state = 'accepted'", bulk_sessions[k]), SEATS);
        assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ? AND state = 'waitlisted'", bulk_sessions[k]),
                         N - SEATS);
    }
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'app.decide_bulk'"), N);
    db_close(db);
}

ON_BOTH(decide_bulk)

static int64_t confirm_ids[2];

static void confirm_many_one(Db *db, Attempt *at)
{
    Errors e = {0};
    int first = at->i % 2;
    int64_t ids[2] = {confirm_ids[first], confirm_ids[!first]};
    at->rc = assess_confirm_many(db, &office, ids, 2, &e);
    keep_msg(at, &e);
}

static void confirm_many(Backend *b)
{
    Attempt at[N];
    Db *db = db_open(b->name);
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    SelfInput in[1] = {{b->item, 2, "", ""}};
    for (int k = 0; k < 2; k++) {
        Errors e = {0};
        assert_int_equal(assess_save_self(db, &office, &m, b->staff[1 + k], 2026, "2026-06-01", in, 1, true, &e), 0);
        confirm_ids[k] = db_int(db, 0, "SELECT id FROM assessment WHERE staff_id = ? AND nendo = 2026", b->staff[1 + k]);
    }
    arena_free(&a);
    /* Both submitted assessments confirmed in one go from everywhere, half
     * in one order, half in the other: one attempt confirms both; every
     * other one finds them confirmed, and says so. */
    int done = race(b, confirm_many_one, at);
    no_db_errors(at, "提出済みでない評価が含まれています");
    assert_int_equal(done, 1);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assessment WHERE id = ? AND state = 'confirmed'", confirm_ids[k]), 1);
        assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'assess.confirm' AND entity_id = ?", confirm_ids[k]), 1);
    }
    db_close(db);
}

ON_BOTH(confirm_many)

static int64_t other_unit;

/* Person i becomes プロジェクト担当 in both 係 at once: by the bulk form
 * (K1 then K2, or K2 then K1) or by a CSV import (either order). */
static void designate_bulk_one(Db *db, Attempt *at)
{
    Errors e = {0};
    bool reverse = at->i % 2;
    if (at->i % 4 < 2) {
        Designation ds[2] = {{.staff_id = at->b->staff[at->i], .unit_id = reverse ? other_unit : at->b->unit, .nendo = 2026,
                              .subtype = "project", .designated_on = "2026-04-01"},
                             {.staff_id = at->b->staff[at->i], .unit_id = reverse ? at->b->unit : other_unit, .nendo = 2026,
                              .subtype = "project", .designated_on = "2026-04-01"}};
        at->rc = tier_designate_many(db, &office, ds, 2, &e);
    } else {
        Arena a = ARENA_INIT;
        char csv[256];
        int len = snprintf(csv, sizeof csv, "職員番号,区分,所属コード,指名日\r\nC%03d,プロジェクト担当,%s,2026-04-01\r\nC%03d,プロジェクト担当,%s,2026-04-01\r\n",
                           at->i, reverse ? "K2" : "K1", at->i, reverse ? "K1" : "K2");
        TierImport out;
        at->rc = tier_import(db, &a, &office, csv, (size_t)len, 2026, false, &out, &e);
        arena_free(&a);
    }
    keep_msg(at, &e);
}

static void designate_bulk(Backend *b)
{
    Attempt at[N];
    Db *db = db_open(b->name);
    other_unit = db_int(db, 0, "SELECT id FROM org_unit WHERE code = 'K2'");
    int done = race(b, designate_bulk_one, at);
    no_db_errors(at, NULL);
    assert_int_equal(done, N);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE unit_id = ? AND subtype = 'project'", b->unit), N);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE unit_id = ? AND subtype = 'project'", other_unit), N);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE subtype = 'project' GROUP BY staff_id, unit_id HAVING COUNT(*) > 1"),
                     0);
    /* The 係's one 総括リーダー of the earlier race is still the only one. */
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE unit_id = ? AND subtype = 'lead'", b->unit), 1);
    db_close(db);
}

ON_BOTH(designate_bulk)

/* Half the attempts decide a person's applications to two sessions in one
 * go (in either order) while the other half retire that person, whose
 * pending applications are then cancelled: the retirement locks the
 * sessions too, first and in order, so neither waits for the other in a
 * cycle and no decision overwrites a cancellation. */
static int64_t leave_apps[2][N / 2];

static void leave_one(Db *db, Attempt *at)
{
    Errors e = {0};
    int p = at->i / 2;
    if (at->i % 2) {
        at->rc = staff_deactivate(db, &office, at->b->staff[N / 2 + p], "2098-12-31", &e) == 0 ? 0 : -1;
    } else {
        int first = p % 2, accepted, waitlisted;
        int64_t ids[2] = {leave_apps[first][p], leave_apps[!first][p]};
        at->rc = app_decide_bulk(db, &office, ids, 2, true, NULL, &accepted, &waitlisted, &e);
    }
    keep_msg(at, &e);
}

static void leavers(Backend *b)
{
    Attempt at[N];
    Db *db = db_open(b->name);
    Errors e = {0};
    int64_t sessions[2];
    for (int k = 0; k < 2; k++) {
        Session s = {.course_id = db_int(db, 0, "SELECT course_id FROM training_session WHERE id = ?", b->session),
                     .starts_at = k ? "2099-09-01T10:00" : "2099-10-01T10:00", .ends_at = k ? "2099-09-01T12:00" : "2099-10-01T12:00",
                     .capacity = SEATS};
        assert_int_equal(session_save(db, &office, &s, &e), 0);
        sessions[k] = s.id;
        for (int p = 0; p < N / 2; p++)
            leave_apps[k][p] = db_int(db, 0,
                                      "INSERT INTO application (session_id, staff_id, state, seq, applied_at, note)"
                                      " VALUES (?, ?, 'approved', ?, 'x', '') RETURNING id",
                                      s.id, b->staff[N / 2 + p], p + 1);
    }
    race(b, leave_one, at);
    /* A decision is refused only because the retirement came first. */
    no_db_errors(at, "事務局決定待ちの申込ではありません");
    for (int i = 1; i < N; i += 2) assert_int_equal(at[i].rc, 0);
    for (int p = 0; p < N / 2; p++) {
        int64_t who = b->staff[N / 2 + p];
        int cancelled = (int)db_int(db, 0, "SELECT COUNT(*) FROM application WHERE staff_id = ? AND session_id IN (?, ?) AND state = 'cancelled'",
                                    who, sessions[0], sessions[1]);
        /* What the retirement says it cancelled is what stayed cancelled. */
        Arena a = ARENA_INIT;
        char *summary = db_text(db, &a, "SELECT summary FROM audit_log WHERE action = 'app.withdraw' AND entity_id = ?", who);
        const char *count = summary ? strstr(summary, "：申込") : NULL;
        assert_int_equal(count ? atoi(count + strlen("：申込")) : 0,
                         db_int(db, 0, "SELECT COUNT(*) FROM application WHERE staff_id = ? AND state = 'cancelled' AND note LIKE '退職等により取消%'", who));
        arena_free(&a);
        assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE staff_id = ? AND session_id IN (?, ?) AND state = 'approved'",
                                who, sessions[0], sessions[1]),
                         0);
        if (at[2 * p].rc != 0) assert_int_equal(cancelled, 2);
    }
    for (int k = 0; k < 2; k++)
        assert_true(db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ? AND state = 'accepted'", sessions[k]) <= SEATS);
    db_close(db);
}

ON_BOTH(leavers)

static int group_setup(void **state)
{
    (void)state;
    snprintf(lite_path, sizeof lite_path, "/tmp/jinzai-race-%d.db", (int)getpid());
    snprintf(lite.name, sizeof lite.name, "%s", lite_path);
    tmpdb_remove(lite_path);
    if (!seed(&lite)) lite.skip = "cannot make the SQLite database";
    pg.skip = pgtmp_open("PostgreSQL races", "jinzai_race", pg_dbname, sizeof pg_dbname, pg.name, sizeof pg.name);
    if (!pg.skip && !seed(&pg)) pg.skip = "cannot seed the test database";
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tmpdb_remove(lite_path);
    pgtmp_close(pg_dbname);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seats_sqlite),      cmocka_unit_test(test_seats_pg),
        cmocka_unit_test(test_leader_sqlite),     cmocka_unit_test(test_leader_pg),
        cmocka_unit_test(test_submission_sqlite), cmocka_unit_test(test_submission_pg),
        cmocka_unit_test(test_logins_sqlite),     cmocka_unit_test(test_logins_pg),
        cmocka_unit_test(test_transfer_sqlite),   cmocka_unit_test(test_transfer_pg),
        cmocka_unit_test(test_decide_bulk_sqlite), cmocka_unit_test(test_decide_bulk_pg),
        cmocka_unit_test(test_confirm_many_sqlite), cmocka_unit_test(test_confirm_many_pg),
        cmocka_unit_test(test_designate_bulk_sqlite), cmocka_unit_test(test_designate_bulk_pg),
        cmocka_unit_test(test_leavers_sqlite),     cmocka_unit_test(test_leavers_pg),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
