/* dataver.c - see dataver.h. */
#include "dataver.h"

#include <string.h>

int64_t data_version(Db *db) { return data_version_of(db, DV_ALL); }

int64_t data_version_of(Db *db, unsigned areas)
{
    return db_int(db, 0, "SELECT version + ? * assess + ? * training + ? * activity FROM data_version WHERE id = 1", (int)!!(areas & DV_ASSESS),
                  (int)!!(areas & DV_TRAINING), (int)!!(areas & DV_ACTIVITY));
}

int data_version_bump(Db *db) { return db_exec(db, "UPDATE data_version SET version = version + 1 WHERE id = 1") >= 0 ? 0 : -1; }

/* The actions of a named area; any other action is of the general one. A
 * new action defaults to the general counter, which every summary reads. */
static const struct {
    const char *action;
    unsigned area;
} areas[] = {
    {"assess.save", DV_ASSESS},        {"assess.submit", DV_ASSESS},       {"assess.confirm", DV_ASSESS},
    {"assess.return", DV_ASSESS},      {"app.apply", DV_TRAINING},         {"app.bulk", DV_TRAINING},
    {"app.cancel", DV_TRAINING},       {"app.decide", DV_TRAINING},        {"app.decide_bulk", DV_TRAINING},
    {"app.promote", DV_TRAINING},      {"app.withdraw", DV_TRAINING},      {"completion.record", DV_TRAINING},
    {"completion.report", DV_TRAINING}, {"completion.scorm", DV_TRAINING}, {"certificate.issue", DV_TRAINING},
    {"module.complete", DV_TRAINING},  {"quiz.submit", DV_TRAINING},       {"xapi.completion", DV_TRAINING},
    {"xapi.statement", DV_TRAINING},   {"shareback.add", DV_TRAINING},     {"auth.login", DV_ACTIVITY},
    {"auth.login_failed", DV_ACTIVITY}, {"auth.logout", DV_ACTIVITY},      {"notice.read", DV_ACTIVITY},
    {"session.revoke", DV_ACTIVITY},   {"quiz.start", DV_ACTIVITY},        {"scorm.launch", DV_ACTIVITY},
};

unsigned data_version_area(const char *action)
{
    for (size_t i = 0; action && i < sizeof areas / sizeof *areas; i++)
        if (!strcmp(action, areas[i].action)) return areas[i].area;
    return 0;
}

/* How many bumps of the assess counter the log keeps (older rows are dropped). */
#define ASSESS_LOG_KEEP 4096

int data_version_bump_for(Db *db, const char *action, int64_t staff_id)
{
    const char *sql;
    switch (data_version_area(action)) {
    case DV_ASSESS:
        /* Logged with whose assessment it was (0: unknown), so a summary can
         * recompute only those people (data_version_assess_people). */
        return db_exec(db, "UPDATE data_version SET assess = assess + 1 WHERE id = 1") >= 0 &&
                       db_exec(db, "INSERT INTO data_version_assess_log (seq, staff_id) SELECT assess, ? FROM data_version WHERE id = 1",
                               staff_id) == 1 &&
                       db_exec(db, "DELETE FROM data_version_assess_log WHERE seq <= (SELECT assess FROM data_version WHERE id = 1) - ?",
                               ASSESS_LOG_KEEP) >= 0
                   ? 0
                   : -1;
    case DV_TRAINING: sql = "UPDATE data_version SET training = training + 1 WHERE id = 1"; break;
    case DV_ACTIVITY: sql = "UPDATE data_version SET activity = activity + 1 WHERE id = 1"; break;
    default: return data_version_bump(db);
    }
    return db_exec(db, sql) >= 0 ? 0 : -1;
}

void data_version_parts(Db *db, int64_t *general, int64_t *assess)
{
    *general = *assess = 0;
    Stmt *st = db_query(db, "SELECT version, assess FROM data_version WHERE id = 1");
    if (db_step(st) == DB_ROW) *general = db_col_int(st, 0), *assess = db_col_int(st, 1);
    db_done(st);
}

int data_version_assess_people(Db *db, Arena *a, int64_t from, int64_t to, int max, int64_t **out)
{
    if (to < from) return -1;
    if (to == from) return 0;
    if (to - from > max) return -1;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(to - from));
    int n = 0, rows = 0;
    bool ok = true;
    Stmt *st = db_query(db, "SELECT seq, staff_id FROM data_version_assess_log WHERE seq > ? AND seq <= ? ORDER BY seq", from, to);
    while (ok && db_step(st) == DB_ROW) {
        int64_t id = db_col_int(st, 1);
        if (db_col_int(st, 0) != from + 1 + rows++ || id <= 0) ok = false;
        bool seen = false;
        for (int k = 0; k < n && !seen; k++) seen = ids[k] == id;
        if (ok && !seen) ids[n++] = id;
    }
    db_done(st);
    if (!ok || rows != to - from) return -1;
    *out = ids;
    return n;
}

bool data_version_writes(const char *action)
{
    static const char view[] = ".view";
    size_t n = action ? strlen(action) : 0;
    return !(n >= sizeof view - 1 && !strcmp(action + n - (sizeof view - 1), view));
}
