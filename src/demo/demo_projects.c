/* demo_projects.c - demo_projects: six DX projects with owners, members,
 * skill needs and outcomes, and five external talent records with skills,
 * contracts, projects and knowledge-transfer sessions. Every date lies in
 * the 年度 or earlier and never after today. People are picked from the
 * demo's staff by query, so any seed of demo_load fits. */
#include <stdio.h>
#include <string.h>

#include "../db/audit.h"
#include "../core/util.h"
#include "../io/text.h"
#include "../domain/asof.h"
#include "demo.h"

typedef struct DemoProject {
    const char *name, *unit_code, *purpose, *status;
    int from_offset, to_offset; /* days from 4/1 of the 年度 (negative: before); to_offset 0 = open */
    int64_t budget;
    const char *needs[3]; /* "code level count" */
    const char *outcome;
    const char *figures[2]; /* "label|value|unit" */
} DemoProject;

static const DemoProject PROJECTS[] = {
    {"書かない窓口", "1-02-01", "来庁者が申請書を書かずに済むよう、窓口で聞き取った内容から申請書を作る。", "active", 0, 364, 4800000,
     {"K-04 3 2", "P-BIZ-13 2 1", "K-03 2 2"}, "転入手続きの記入時間を短縮できた。", {"1件あたりの待ち時間の短縮|12|分", "対象手続|8|件"}},
    {"電子申請の拡充", "1-01-04", "よく使われる申請から順に、オンラインで完結できるようにする。", "active", 14, 364, 2500000,
     {"K-04 3 1", "P-BIZ-15 3 1", "K-01 2 2"}, "オンライン化した手続を毎月公開している。", {"オンライン化した手続|36|件", "電子申請の利用|1820|件"}},
    {"RPA導入", "1-03-01", "給付事務の入力作業をRPAで自動化し、確認に時間を使えるようにする。", "active", 30, 330, 1200000,
     {"K-01 3 1", "K-03 2 1", NULL}, "", {NULL, NULL}},
    {"生成AI活用", "1-01-04", "文書の下書きや要約に生成AIを安全に使うためのルールと研修をつくる。", "plan", 60, 0, 900000,
     {"K-02 3 2", "L-HOW-03 2 2", NULL}, "", {NULL, NULL}},
    {"ネットワーク更新", "1-01-01", "庁内ネットワーク機器の更新と、三層分離の見直し。", "done", -300, -1, 38000000,
     {"K-06 3 2", "K-07 3 1", NULL}, "予定どおり更新を終え、夜間の停止時間を短くできた。", {"停止時間|4|時間", "更新した機器|126|台"}},
    {"GIS共有", "1-05-02", "各課が持つ地図データを一つの基盤で共有する。", "idea", 120, 0, 0, {"P-DATA-01 2 1", NULL, NULL}, "", {NULL, NULL}},
};

typedef struct DemoExtern {
    const char *name, *kind, *affiliation, *contact, *note;
    int is_org;
    const char *skills[3];  /* "code level" */
    int projects[2];        /* 1-based index into PROJECTS, 0 none */
    int from_offset, to_offset;
    int64_t cost;
    int tokko;
    const char *funding_note;
    double hours;
    int sessions; /* knowledge-transfer sessions to record */
    int pairings;
} DemoExtern;

static const DemoExtern EXTERNS[] = {
    {"外部 太郎", "advisor", "サンプル情報研究所", "gaibu.taro@example.jp", "窓口改革の助言。年4回の来庁。", 0, {"K-04 4", "P-BIZ-06 4", NULL}, {1, 0}, 0, 364, 0, 0,
     "総務省の派遣制度（市の負担なし）", 24, 2, 0},
    {"株式会社サンプルデジタル", "dispatch", "株式会社サンプルデジタル 公共事業部", "info@example.co.jp", "社員1名が週2日派遣。", 1,
     {"K-02 4", "K-01 4", "P-DATA-05 3"}, {4, 3}, 30, 364, 3600000, 1, "", 320, 2, 1},
    {"情報 花子", "cio_aide", "", "hanako.joho@example.jp", "全庁の調達とロードマップを助言。", 0, {"K-09 4", "K-07 4", "K-06 3"}, {2, 5}, -365, 364, 2400000,
     1, "外部専門人材の活用（特別交付税措置）", 200, 1, 1},
    {"副業 次郎", "side_job", "", "jiro.fukugyo@example.jp", "オンラインで週数時間。", 0, {"P-BIZ-15 4", "K-01 3", NULL}, {2, 0}, 90, 270, 480000, 0,
     "一般財源", 60, 1, 0},
    {"地図 三郎", "pool", "県のデジタル人材プール", "", "昨年度の地図データ整理を支援。", 0, {"P-DATA-01 3", NULL, NULL}, {6, 0}, -300, -60, 300000, 0,
     "県の人材プール事業", 40, 0, 0},
};

/* first + offset days, but never after today. */
static void day(Date first, int offset, Date today, char out[11])
{
    Date d = date_add_days(first, offset);
    if (date_cmp(d, today) > 0) d = today;
    date_iso(d, out);
}

/* The same, allowed after today (a contract's or a project's planned end). */
static void planned(Date first, int offset, char out[11]) { date_iso(date_add_days(first, offset), out); }

int demo_projects(Db *db, int nendo, unsigned seed)
{
    Date first, last, today = date_today();
    nendo_range(nendo, &first, &last);
    (void)last;
    char tiso[11], view[11];
    date_iso(today, tiso);
    asof_nendo_date(nendo, view);
    if (db_begin(db) != 0) return -1;
    bool ok = true;
    char now[32];
    now_iso(now);
    int64_t pids[6] = {0};
    int nmembers = 0;
    for (int i = 0; ok && i < 6; i++) {
        const DemoProject *p = &PROJECTS[i];
        int64_t unit = db_int(db, 0, "SELECT id FROM org_unit WHERE code = ? ORDER BY valid_from DESC LIMIT 1", p->unit_code);
        if (!unit) continue;
        /* The owner: a ② project designee working in the unit's subtree, else any ② designee. */
        int64_t owner = db_int(db, 0,
                               "SELECT d.staff_id FROM tier_designation d JOIN " ASOF_PRIMARY("a", "d.staff_id")
                               " WHERE d.subtype = 'project' AND " ASOF_DESIGNATED("d") " AND a.unit_id IN (" ASOF_SUBTREE ") ORDER BY d.staff_id LIMIT 1",
                               view, view, nendo, view, view, unit);
        if (!owner)
            owner = db_int(db, 0, "SELECT d.staff_id FROM tier_designation d WHERE d.subtype = 'project' AND " ASOF_DESIGNATED("d")
                                  " ORDER BY d.staff_id LIMIT 1 OFFSET ?",
                           nendo, view, view, i);
        char from[11], to[11];
        if (p->from_offset < 0) planned(first, p->from_offset, from);
        else day(first, p->from_offset, today, from);
        if (p->to_offset) planned(first, p->to_offset, to);
        Stmt *st = db_query(db,
                            "INSERT INTO dx_project (name, unit_id, purpose, from_date, to_date, status, budget, owner_staff_id, outcome, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            p->name, unit, p->purpose, from, p->to_offset ? to : NULL, p->status, p->budget, DB_ID_OR_NULL(owner), p->outcome, now, now);
        ok = db_step(st) == DB_ROW;
        if (ok) pids[i] = db_col_int(st, 0);
        db_done(st);
        /* Members: the owner and up to three more people working in the unit's subtree today. */
        if (ok && owner) ok = db_exec(db, "INSERT INTO dx_project_member (project_id, staff_id, role) VALUES (?, ?, 'リーダー')", pids[i], owner) == 1;
        Stmt *m = db_query(db,
                           "SELECT s.id FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " WHERE a.unit_id IN (" ASOF_SUBTREE ") AND s.id <> ?"
                           " ORDER BY (s.id * ?) % 97, s.id LIMIT 3",
                           tiso, tiso, unit, owner, (int64_t)((seed + (unsigned)i * 7u) % 89 + 1));
        int64_t mem[3];
        int nm = 0;
        while (nm < 3 && db_step(m) == DB_ROW) mem[nm++] = db_col_int(m, 0);
        db_done(m);
        static const char *const roles[] = {"業務の整理", "システム担当", "利用者への説明"};
        for (int k = 0; ok && k < nm; k++, nmembers++)
            ok = db_exec(db, "INSERT INTO dx_project_member (project_id, staff_id, role) VALUES (?, ?, ?)", pids[i], mem[k], roles[k]) == 1;
        for (int k = 0; ok && k < 3 && p->needs[k]; k++) {
            char code[32];
            int lv, hc;
            if (sscanf(p->needs[k], "%31s %d %d", code, &lv, &hc) != 3) continue;
            int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = ?", code);
            if (item)
                ok = db_exec(db, "INSERT INTO dx_project_need (project_id, item_id, required_level, headcount) VALUES (?, ?, ?, ?)", pids[i], item, lv, hc) == 1;
        }
        for (int k = 0; ok && k < 2 && p->figures[k]; k++) {
            char label[128], unit_s[32];
            double v;
            if (sscanf(p->figures[k], "%127[^|]|%lf|%31s", label, &v, unit_s) != 3) continue;
            ok = db_exec(db, "INSERT INTO dx_project_figure (project_id, label, value, unit) VALUES (?, ?, ?, ?)", pids[i], label, v, unit_s) == 1;
        }
    }
    int nsessions = 0;
    for (int i = 0; ok && i < 5; i++) {
        const DemoExtern *x = &EXTERNS[i];
        int64_t id = 0;
        Stmt *st = db_query(db,
                            "INSERT INTO extern_person (name, is_org, kind, affiliation, contact, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                            " RETURNING id",
                            x->name, x->is_org, x->kind, x->affiliation, x->contact, x->note, now, now);
        ok = db_step(st) == DB_ROW;
        if (ok) id = db_col_int(st, 0);
        db_done(st);
        for (int k = 0; ok && k < 3 && x->skills[k]; k++) {
            char code[32];
            int lv;
            if (sscanf(x->skills[k], "%31s %d", code, &lv) != 2) continue;
            int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = ?", code);
            if (item) ok = db_exec(db, "INSERT INTO extern_skill (extern_id, item_id, level) VALUES (?, ?, ?)", id, item, lv) == 1;
        }
        for (int k = 0; ok && k < 2 && x->projects[k]; k++)
            if (pids[x->projects[k] - 1])
                ok = db_exec(db, "INSERT INTO extern_project (extern_id, project_id, role) VALUES (?, ?, ?)", id, pids[x->projects[k] - 1],
                             k ? "助言" : "主担当") == 1;
        char from[11], to[11];
        planned(first, x->from_offset, from);
        planned(first, x->to_offset, to);
        /* Hours worked so far: in proportion to the part of the contract that has passed. */
        Date f, t;
        date_parse(from, &f);
        date_parse(to, &t);
        double span = 1, done = 0;
        for (Date d = f; date_cmp(d, t) <= 0; d = date_add_days(d, 1)) span++, done += date_cmp(d, today) <= 0;
        double actual = (double)(int)(x->hours * done / span * (0.85 + (double)((seed + (unsigned)i) % 10) / 100.0));
        ok = ok && db_exec(db,
                           "INSERT INTO extern_engagement (extern_id, from_date, to_date, cost, tokko, funding_note, hours_contracted, hours_actual)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           id, from, to, x->cost, x->tokko, x->funding_note, x->hours, actual) == 1;
        /* Knowledge transfer: sessions for the project's members, in the 年度 and before today. */
        int64_t project = x->projects[0] ? pids[x->projects[0] - 1] : 0;
        for (int k = 0; ok && k < x->sessions; k++) {
            char held[11];
            Date start = date_cmp(f, first) > 0 ? f : first;
            day(start, 15 + 60 * k + 7 * i, date_add_days(today, -1), held);
            if (strcmp(held, from) < 0) continue;
            static const char *const titles[] = {"業務の流れを見える化する", "現場で試して振り返る", "データで効果を確かめる"};
            int64_t sid = 0;
            st = db_query(db, "INSERT INTO extern_session (extern_id, held_on, title, hours, attendee_count) VALUES (?, ?, ?, ?, ?) RETURNING id", id, held,
                          titles[(k + i) % 3], 1.5 + k * 0.5, k == 0 ? 12 + i : 0);
            ok = db_step(st) == DB_ROW;
            if (ok) sid = db_col_int(st, 0);
            db_done(st);
            nsessions++;
            /* The second session lists the members who attended. */
            if (ok && k > 0 && project)
                ok = db_exec(db, "INSERT INTO extern_session_staff (session_id, staff_id) SELECT ?, staff_id FROM dx_project_member WHERE project_id = ?", sid,
                             project) >= 0 &&
                     db_exec(db, "UPDATE extern_session SET attendee_count = (SELECT COUNT(*) FROM extern_session_staff WHERE session_id = ?) WHERE id = ?",
                             sid, sid) == 1;
        }
        for (int k = 0; ok && k < x->pairings && project; k++) {
            char pf[11];
            day(first, 40, today, pf);
            if (strcmp(pf, from) < 0) snprintf(pf, sizeof pf, "%s", from);
            int64_t staff = db_int(db, 0, "SELECT staff_id FROM dx_project_member WHERE project_id = ? ORDER BY staff_id LIMIT 1", project);
            if (staff) ok = db_exec(db, "INSERT INTO extern_pairing (extern_id, staff_id, from_date) VALUES (?, ?, ?)", id, staff, pf) == 1;
        }
    }
    char summary[160];
    snprintf(summary, sizeof summary, "デモ：DXプロジェクト6件（メンバー%d人）、外部人材5件、知識移転%d回", nmembers, nsessions);
    ok = ok && audit_write(db, &ACTOR_CLI, "demo.projects", "dx_project", 0, 0, summary) == 0;
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    return -1;
}
