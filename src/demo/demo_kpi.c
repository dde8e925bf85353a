/* demo_kpi.c - demo_kpi: the 重要システム register, planning parameters and
 * a few KPI targets with comments for a demo database; see demo.h. */
#include <stdio.h>
#include <string.h>

#include "../db/audit.h"
#include "../core/util.h"
#include "../domain/asof.h"
#include "demo.h"

/* System name, owning 課, and how many people are in charge (one is left with
 * a single person so the coverage board shows a 重要システム below two). */
static const struct {
    const char *name, *unit;
    int people;
} systems[] = {
    {"住民記録システム", "市民課", 3},     {"税務システム", "税務課", 3},         {"福祉総合システム", "福祉課", 2},
    {"財務会計システム", "財政課", 2},     {"人事給与システム", "総務課", 2},     {"庁内ネットワーク", "政策企画課", 3},
    {"国民健康保険システム", "保険年金課", 1}, {"校務支援システム", "教育総務課", 2}, {"上下水道料金システム", "上下水道課", 2},
};

int demo_kpi(Db *db, int nendo, unsigned seed)
{
    (void)seed;
    char today[11];
    now_date(today);
    if (db_begin(db) != 0) return -1;
    bool ok = true;
    static const struct {
        const char *name;
        int value;
    } params[] = {{"info_seats", 8}, {"rotation_years", 4}, {"training_years", 3}, {"info_unit_min", 3}};
    for (size_t i = 0; i < COUNTOF(params) && ok; i++)
        ok = db_exec(db, "INSERT INTO kpi_param (nendo, name, value) VALUES (?, ?, ?)", nendo, params[i].name, params[i].value) == 1;
    ok = ok && db_exec(db, "INSERT INTO kpi_target (code, nendo, target, comment) VALUES ('TRAIN_RATE_T2', ?, 100, ?)", nendo,
                       "リーダーは全員が年度内に1講座以上を修了することを目指す。") == 1 &&
         db_exec(db, "INSERT INTO kpi_target (code, nendo, target, comment) VALUES ('SHAREBACK', ?, 80, ?)", nendo,
                 "研修後1か月以内の職場還元を係長会議で周知する。") == 1 &&
         db_exec(db, "INSERT INTO kpi_target (code, nendo, target, comment) VALUES ('SKILL_ATTAIN_T3', ?, 70, '')", nendo) == 1;
    int made = 0;
    for (size_t i = 0; i < COUNTOF(systems) && ok; i++) {
        int64_t unit = db_int(db, 0, "SELECT id FROM org_unit WHERE name = ? AND level = 3", systems[i].unit);
        if (!unit) continue;
        int64_t id = db_int(db, 0, "INSERT INTO key_system (name, unit_id, note) VALUES (?, ?, ?) RETURNING id", systems[i].name, unit,
                            "担当・副担当の2人以上で運用する。");
        ok = id != 0;
        /* The 課's 重要システム designee first, then others of the 課 and its 係. */
        Stmt *st = db_query(db,
                            "SELECT s.id, a.from_date FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
                            " JOIN org_unit u ON u.id = a.unit_id WHERE (u.id = ? OR u.parent_id = ?)"
                            " ORDER BY (SELECT COUNT(*) FROM tier_designation d WHERE d.staff_id = s.id AND d.subtype = 'key_system'"
                            " AND d.nendo = ?) DESC, s.staff_no",
                            today, today, unit, unit, nendo);
        int64_t ids[3];
        char since[3][11];
        int n = 0;
        while (n < systems[i].people && db_step(st) == DB_ROW) {
            ids[n] = db_col_int(st, 0);
            snprintf(since[n++], sizeof since[0], "%s", db_col_text(st, 1));
        }
        db_done(st);
        for (int k = 0; k < n && ok; k++)
            ok = db_exec(db, "INSERT INTO key_system_duty (system_id, staff_id, role, from_date) VALUES (?, ?, ?, ?)", id, ids[k],
                         k == 0 ? "main" : "backup", since[k]) == 1;
        made++;
    }
    char summary[96];
    snprintf(summary, sizeof summary, "重要システム%d件 パラメータと目標（%d年度）", made, nendo);
    ok = ok && audit_write(db, &ACTOR_CLI, "demo.kpi", "key_system", 0, 0, summary) == 0;
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    fprintf(stderr, "jinzai: demo kpi failed: %s\n", db_errmsg(db));
    return -1;
}
