/* randwrite.h - random audited writes for the tests that compare a summary
 * kept by data version with a full recomputation (test_kpi_summary.c,
 * test_gap_summary.c, test_demand_summary.c): each picks a random row and
 * writes through the domain functions, as a user would.
 *
 * The including file defines RANDWRITE_SEED (its random sequence) first;
 * the helpers a file does not use cost nothing (static inline). */
#ifndef JINZAI_TEST_RANDWRITE_H
#define JINZAI_TEST_RANDWRITE_H

#include <string.h>

#include <stdlib.h>

#include "db/audit.h"
#include "auth/password.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/kpi.h"
#include "domain/assess.h"
#include "domain/skill.h"
#include "domain/tier.h"
#include "domain/training.h"
#include "domain/transfer.h"
#include "../tmpdb.h"

static Db *db;
static char path[64];
static unsigned seed = RANDWRITE_SEED;

static inline int rnd(int n) { return (int)(rand_r(&seed) % (unsigned)n); }

/* The tests' day, and the people in service on it. */
#define TODAY "2026-11-16"
#define IN_SERVICE "SELECT staff_id FROM assignment WHERE is_primary = 1 AND from_date <= '2026-11-16' AND (to_date IS NULL OR to_date >= '2026-11-16')"

/* A random row of a query's first column (0 when none). */
static inline int64_t pick(const char *sql)
{
    int64_t count = 0;
    Stmt *st = db_query(db, sql);
    int64_t ids[4096];
    while (count < 4096 && db_step(st) == DB_ROW) ids[count++] = db_col_int(st, 0);
    db_done(st);
    return count ? ids[rnd((int)count)] : 0;
}

static inline bool submit_one(Arena *a)
{
    int64_t who = pick(IN_SERVICE " AND NOT EXISTS (SELECT 1 FROM assessment x WHERE x.staff_id = assignment.staff_id"
                              " AND x.nendo = 2026 AND x.state IN ('submitted', 'confirmed'))");
    if (!who) return false;
    SkillMap m;
    skill_map_load(db, a, 2026, false, &m);
    Assessment as;
    assess_load(db, a, &m, who, 2026, TODAY, &as);
    SelfInput *in = arena_zalloc(a, sizeof *in * (size_t)(as.nlines + 1));
    for (int i = 0; i < as.nlines; i++) in[i] = (SelfInput){m.items[as.lines[i].item].id, rnd(5), "", ""};
    Errors e = {0};
    return assess_save_self(db, &ACTOR_CLI, &m, who, 2026, TODAY, in, as.nlines, true, &e) == 0;
}

static inline bool confirm_one(void)
{
    int64_t id = pick("SELECT id FROM assessment WHERE nendo = 2026 AND state = 'submitted'");
    Errors e = {0};
    return id && assess_confirm_many(db, &ACTOR_CLI, &id, 1, &e) == 0;
}

static inline bool return_one(void)
{
    int64_t id = pick("SELECT id FROM assessment WHERE nendo = 2026 AND state IN ('submitted', 'confirmed')");
    Errors e = {0};
    return id && assess_return(db, &ACTOR_CLI, id, "見直してください。", &e) == 0;
}

static inline bool designate_one(Arena *a)
{
    int64_t who = pick(IN_SERVICE);
    int64_t unit = db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 ORDER BY from_date DESC LIMIT 1", who);
    const char *sub = rnd(2) ? "lead" : "info";
    Designation d = {.staff_id = who, .unit_id = unit, .nendo = 2026, .subtype = sub, .designated_on = "2026-11-16", .note = "",
                     .end_current = true};
    Errors e = {0};
    (void)a;
    return tier_designate(db, &ACTOR_CLI, &d, &e) == 0;
}

static inline bool transfer_one(Arena *a)
{
    int64_t who = pick(IN_SERVICE);
    int64_t unit = pick("SELECT id FROM org_unit WHERE level = 4 AND valid_to IS NULL");
    const char *no = db_text(db, a, "SELECT staff_no FROM staff WHERE id = ?", who);
    const char *code = db_text(db, a, "SELECT code FROM org_unit WHERE id = ?", unit);
    if (!no || !code) return false;
    const char *csv = arena_printf(a, "職員番号,区分,新所属コード,発令日\r\n%s,異動,%s,2026-11-16\r\n", no, code);
    TransferList l;
    Errors e = {0};
    return transfer_parse(db, a, csv, strlen(csv), &l, &e) == 0 && transfer_apply(db, &ACTOR_CLI, &l, &e) == 0;
}


/* A training application (the training area of the data version). */
static inline bool apply_one(void)
{
    int64_t session = pick("SELECT id FROM training_session WHERE nendo = 2026 AND cancelled = 0 AND starts_at > '2026-11-17'");
    int64_t who = pick(IN_SERVICE);
    Errors e = {0};
    return session && who && app_apply(db, &ACTOR_CLI, session, who, "", &e) == 0;
}

/* A sign-in's audit row (the activity area): no summary reads it. */
static inline bool activity_one(void)
{
    static const char *const action[] = {"auth.login", "auth.logout", "notice.read", "quiz.start"};
    return audit_write(db, &ACTOR_CLI, action[rnd(4)], "account", 1, 0, "ログイン") == 0;
}

/* A KPI target (the general counter, which every summary reads). */
static inline bool target_one(void)
{
    Errors e = {0};
    static const char *const code[] = {"EXPERT_COUNT", "SEC_TRAINING"};
    return kpi_target_set(db, &ACTOR_CLI, code[rnd(2)], 2026, 10 + rnd(80), "", &e) == 0;
}

/* The group's database: the demo city of 年度 2026 (skill map, courses,
 * people) and then the builders given, on TODAY. 0 or -1. */
static inline int randwrite_open(const char *name, int (*const *build)(Db *, int, unsigned), int nbuild)
{
    if (util_clock_set_today(TODAY) != 0) return -1;
    password_init();
    password_use_test_cost();
    db = tmpdb_open(path, sizeof path, name);
    if (!db) return -1;
    if (skill_load_defaults(db, 2025) != 0 || course_load_defaults(db) != 0 || demo_load(db, "test-password-1234", 2026, 7u) != 0)
        return -1;
    for (int i = 0; i < nbuild; i++)
        if (build[i](db, 2026, 7u) != 0) return -1;
    db_exec(db, "UPDATE setting SET value = '2026' WHERE key = 'current_nendo'");
    return 0;
}

static inline int randwrite_close(void)
{
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

#endif
