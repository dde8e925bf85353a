/* demo_assess.c - demo_assessments: a synthetic year of skill assessments;
 * see demo.h. Levels scatter around each person's targets. */
#include <stdio.h>
#include <string.h>

#include "../db/audit.h"
#include "../core/util.h"
#include "../io/text.h"
#include "../domain/assess.h"
#include "../domain/asof.h"
#include "demo.h"
#include "../domain/skill.h"

typedef struct Rng {
    uint64_t s;
} Rng;

static int rnd(Rng *r, int n) { return demo_rnd(&r->s, n); }

static int clamp(int v) { return v < 0 ? 0 : v > SKILL_MAX_LEVEL ? SKILL_MAX_LEVEL : v; }

static const char *const comments[] = {"", "", "", "業務で日常的に使っている。", "研修で学んだが実務経験は少ない。",
                                       "係内で手順書を作成した。", "独学中。", "前任部署で担当していた。"};
static const char *const reasons[] = {"実務での活用実績を踏まえ引き上げ。", "研修受講前のため一段階下げて確認。",
                                      "係内の指導実績を確認したため。"};
static const char *const returns[] = {"根拠欄が空欄の項目があります。具体的な業務例を記入してください。",
                                      "セキュリティの項目を再確認してください。"};

/* One person's assessment for a 年度 in the given state. A submitted or
 * confirmed one records its basis (tiers and targets) as submitting does. */
static int write_one(Db *db, Rng *g, const SkillMap *m, int64_t staff_id, int nendo, unsigned tiers, const int *targets, const char *state,
                     int shift, int64_t confirmer, const char *when)
{
    bool judged = strcmp(state, "submitted") == 0 || strcmp(state, "confirmed") == 0;
    char basis_on[11];
    snprintf(basis_on, sizeof basis_on, "%.10s", when);
    Stmt *st = db_query(db,
                        "INSERT INTO assessment (staff_id, nendo, state, submitted_at, confirmed_at, confirmed_by, return_message, updated_at,"
                        " basis_tiers, basis_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                        staff_id, nendo, state, strcmp(state, "draft") ? when : NULL,
                        strcmp(state, "confirmed") == 0 ? when : NULL, DB_ID_OR_NULL(strcmp(state, "confirmed") == 0 ? confirmer : (int64_t)0),
                        strcmp(state, "returned") == 0 ? returns[rnd(g, 2)] : "", when, judged ? (int)tiers : 0, judged ? basis_on : NULL);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return -1;
    }
    int64_t id = db_col_int(st, 0);
    db_done(st);
    bool draft = strcmp(state, "draft") == 0, confirmed = strcmp(state, "confirmed") == 0;
    for (int i = 0; i < m->nitems; i++) {
        if (targets[i] < 0) continue;
        if (draft && rnd(g, 3) == 0) continue; /* a draft is half done */
        int r = rnd(g, 100);
        int self = clamp(targets[i] + (r < 10 ? -2 : r < 38 ? -1 : r < 85 ? 0 : 1) - (shift && rnd(g, 2)));
        int sup = self;
        const char *reason = "";
        if (confirmed && rnd(g, 12) == 0) {
            sup = clamp(self + (rnd(g, 2) ? 1 : -1));
            reason = sup > self ? reasons[0] : reasons[1];
        }
        if (db_exec(db,
                    "INSERT INTO assessment_item (assessment_id, item_id, self_level, self_comment, evidence, sup_level, sup_reason, target)"
                    " VALUES (?, ?, ?, ?, ?, NULLIF(?, -1), ?, NULLIF(?, -1))",
                    id, m->items[i].id, self, comments[rnd(g, 8)], rnd(g, 6) == 0 ? "業務改善報告書（過去の年度）" : "",
                    confirmed ? sup : -1, reason, judged ? targets[i] : -1) != 1)
            return -1;
    }
    return 0;
}

static int add_qual(Db *db, int64_t staff_id, const char *code, const char *on, const char *expires)
{
    return db_exec(db, "INSERT INTO staff_qualification (staff_id, qual_code, acquired_on, expires_on) VALUES (?, ?, ?, ?)", staff_id,
                   code, on, expires) == 1 ? 0 : -1;
}

int demo_assessments(Db *db, int nendo, unsigned seed)
{
    Rng g = {seed};
    Arena a = ARENA_INIT;
    int rc = -1;
    if (db_begin(db) != 0) return -1;
    /* The period is open today whatever today is: from 5/1 (or today, if
     * earlier) to 1/31 (or a month from today, if later, within the 年度). */
    char opens[11], closes[11], today[11], soon[11], later[24];
    Date t = date_today(), first, last, o = {nendo, 5, 1}, c = {nendo + 1, 1, 31};
    nendo_range(nendo, &first, &last);
    if (date_cmp(t, o) < 0) o = date_cmp(t, first) < 0 ? first : t;
    Date month_on = date_add_days(t, 30);
    if (date_cmp(month_on, c) > 0) c = date_cmp(month_on, last) > 0 ? last : month_on;
    date_iso(o, opens);
    date_iso(c, closes);
    date_iso(t, today);
    date_iso(date_add_days(t, 60), soon);
    snprintf(later, sizeof later, "%d-03-31", nendo + 3);
    bool ok = db_exec(db, "INSERT INTO assess_period (nendo, opens_on, closes_on) VALUES (?, ?, ?)", nendo, opens, closes) == 1;
    /* The information units need ネットワーク and インフラ at 4 (方針IV(1)). */
    ok = ok && db_exec(db,
                       "INSERT INTO skill_unit_target (item_id, nendo, unit_id, level) SELECT i.id, ?, u.id, 4 FROM skill_item i, org_unit u"
                       " WHERE i.code IN ('L-TECH-04', 'K-06') AND u.is_info = 1",
                       nendo - 1) >= 0;
    int64_t kacho = db_int(db, 0, "SELECT id FROM account WHERE login = 'kacho'");
    int64_t shokuin = db_int(db, 0, "SELECT staff_id FROM account WHERE login = 'shokuin'");
    int counts[5] = {0};
    for (int year = nendo - 1; year <= nendo && ok; year++) {
        SkillMap m;
        skill_map_load(db, &a, year, false, &m);
        TargetCtx tc;
        assess_target_ctx(db, &a, &m, &tc);
        int *targets = arena_alloc(&a, sizeof(int) * (size_t)(m.nitems + 1));
        /* Who works where: mid-year for last year, today for this one. */
        char ref[24];
        if (year < nendo) snprintf(ref, sizeof ref, "%d-10-01", year);
        else snprintf(ref, sizeof ref, "%s", today);
        Stmt *st = db_query(db,
                            "SELECT s.id, a.unit_id FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " ORDER BY s.id",
                            ref, ref);
        int n = 0, cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff");
        int64_t *ids = arena_alloc(&a, sizeof(int64_t) * (size_t)(cap + 1)), *units = arena_alloc(&a, sizeof(int64_t) * (size_t)(cap + 1));
        while (n < cap && db_step(st) == DB_ROW) {
            ids[n] = db_col_int(st, 0);
            units[n++] = db_col_int(st, 1);
        }
        db_done(st);
        for (int k = 0; k < n && ok; k++) {
            unsigned tiers = assess_tiers(db, ids[k], year);
            assess_targets(&tc, tiers, units[k], targets);
            int r = rnd(&g, 100);
            const char *state = year < nendo ? "confirmed"
                                : ids[k] == shokuin ? "draft"
                                : r < 8 ? NULL : r < 15 ? "draft" : r < 21 ? "returned" : r < 52 ? "submitted" : "confirmed";
            if (!state) continue;
            /* Last year's in June–July; this year's between the opening and today. */
            char when[32], day[11];
            Date w = {year, 6 + rnd(&g, 2), 1 + rnd(&g, 28)};
            if (year == nendo) {
                int span = 0;
                for (Date x = o; date_cmp(x, t) < 0 && span < 400; x = date_add_days(x, 1)) span++;
                w = date_add_days(o, span ? rnd(&g, span + 1) : 0);
            }
            date_iso(w, day);
            snprintf(when, sizeof when, "%sT%02d:%02d:00", day, 9 + rnd(&g, 8), rnd(&g, 60));
            ok = write_one(db, &g, &m, ids[k], year, tiers, targets, state, year < nendo ? 1 : 0, kacho, when) == 0;
            if (year == nendo) counts[assess_state_parse(state)]++;
        }
    }
    /* Qualifications: IT パスポート for some, more for the information staff. */
    Stmt *st = db_query(db,
                        "SELECT s.id, u.is_info FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " JOIN org_unit u ON u.id = a.unit_id ORDER BY s.id",
                        today, today);
    int64_t who[600];
    bool info[600];
    int nq = 0;
    while (nq < 600 && db_step(st) == DB_ROW) {
        who[nq] = db_col_int(st, 0);
        info[nq++] = db_col_int(st, 1) != 0;
    }
    db_done(st);
    int quals = 0;
    for (int k = 0; k < nq && ok; k++) {
        char on[24];
        snprintf(on, sizeof on, "%d-%02d-15", nendo - 1 - rnd(&g, 6), 1 + rnd(&g, 12));
        if (info[k]) {
            ok = add_qual(db, who[k], rnd(&g, 2) ? "FE" : "AP", on, NULL) == 0 &&
                 (rnd(&g, 3) || add_qual(db, who[k], "SC", on, rnd(&g, 2) ? soon : later) == 0);
            quals += 2;
        } else if (rnd(&g, 100) < 14) {
            ok = add_qual(db, who[k], rnd(&g, 4) ? "IP" : "SG", on, NULL) == 0;
            quals++;
        }
    }
    /* The demo 職員 has a certificate to renew soon: one they hold no other
     * record of (a later record would count as its renewal). */
    int64_t renew = db_int(db, 0, "SELECT staff_id FROM account WHERE login = 'shokuin'");
    const char *code = renew ? db_text(db, &a,
                                       "SELECT code FROM qualification_type WHERE code NOT IN (SELECT qual_code FROM staff_qualification"
                                       " WHERE staff_id = ?) ORDER BY expires DESC, code LIMIT 1",
                                       renew)
                             : NULL;
    if (ok && code) {
        char got[24];
        snprintf(got, sizeof got, "%d-06-15", nendo - 3);
        ok = add_qual(db, renew, code, got, soon) == 0;
        quals++;
    }
    ok = ok && audit_write(db, &ACTOR_CLI, "demo.assessments", "assessment", 0, 0,
                           arena_printf(&a, "%d年度 評価 未着手%d 下書き%d 提出済%d 差戻し%d 確認済%d 資格%d件", nendo, counts[0], counts[1],
                                        counts[2], counts[3], counts[4], quals)) == 0;
    if (ok && db_commit(db) == 0) rc = 0;
    else {
        db_rollback(db);
        fprintf(stderr, "jinzai: demo assessments failed: %s\n", db_errmsg(db));
    }
    arena_free(&a);
    return rc;
}
