/* demo_training.c - demo_training: a synthetic 年度 of the training programme;
 * see demo.h. Past sessions carry attendance and completions, future ones
 * applications in every state; about 40 % of the leaders have shared back. */
#include <stdio.h>
#include <string.h>

#include "../db/audit.h"
#include "../core/util.h"
#include "../io/text.h"
#include "../domain/course.h"
#include "../domain/asof.h"
#include "demo.h"

typedef struct Rng {
    uint64_t s;
} Rng;

static int rnd(Rng *r, int n) { return demo_rnd(&r->s, n); }

typedef struct Person {
    int64_t id;
    int tier;
} Person;

static int64_t add_session(Db *db, int64_t course, int nendo, const char *start, const char *end, int capacity, const char *place)
{
    return db_int(db, 0,
                  "INSERT INTO training_session (course_id, nendo, starts_at, ends_at, place, capacity, instructor, cost)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT cost FROM course WHERE id = ?)) RETURNING id",
                  course, nendo, start, end, place, capacity, "研修担当", course);
}

static bool add_app(Db *db, int64_t session, int64_t staff, const char *state, int seq, const char *at)
{
    return db_exec(db, "INSERT INTO application (session_id, staff_id, state, seq, applied_at, note) VALUES (?, ?, ?, ?, ?, '')"
                       " ON CONFLICT (session_id, staff_id) DO NOTHING",
                   session, staff, state, seq, at) >= 0;
}

static bool add_completion(Db *db, Rng *g, int64_t session, int64_t staff, int minutes, bool external, const char *day)
{
    bool attended = rnd(g, 100) < 90, report = external && attended && rnd(g, 100) < 65;
    return db_exec(db,
                   "INSERT INTO completion (session_id, staff_id, attended, minutes, score, report_on, report, completed, recorded_at)"
                   " VALUES (?, ?, ?, ?, NULLIF(?, -1), ?, ?, ?, ?) ON CONFLICT (session_id, staff_id) DO NOTHING",
                   session, staff, attended ? 1 : 0, attended ? minutes : 0, attended && rnd(g, 3) == 0 ? 60 + rnd(g, 41) : -1,
                   report ? day : NULL, report ? "学んだ内容を係内で共有し、業務の手順見直しに活用する。" : "",
                   attended && (!external || report) ? 1 : 0, day) >= 0;
}

/* A session of the first active course matching `internal`, starting
 * `days` from today (on that day, 9:00–17:00); 0 on failure. */
static int64_t dated_session(Db *db, bool internal, int days, int capacity)
{
    int64_t course = db_int(db, 0,
                            "SELECT id FROM course WHERE active = 1 AND mandatory = 0 AND (provider IN ('somu', 'seisaku')) = ?"
                            " ORDER BY id LIMIT 1",
                            internal ? 1 : 0);
    if (!course) return 0;
    Date d = date_add_days(date_today(), days);
    char day[11], start[24], end[24];
    date_iso(d, day);
    snprintf(start, sizeof start, "%sT09:00", day);
    snprintf(end, sizeof end, "%sT17:00", day);
    return add_session(db, course, nendo_of(d), start, end, capacity, internal ? "本庁舎 大会議室" : "外部会場（サンプル）");
}

/* Pending work of every kind for the demo accounts, whatever today is:
 * for shokuin an application waiting for the 所属長 (so kacho has one to
 * approve), a session in the coming week, an external course attended
 * without 復命書 and the mandatory e-learning not yet finished; for 事務局 a
 * session held three days ago whose attendance nobody has recorded. */
static bool demo_pending(Db *db, int nendo, const char *today)
{
    int64_t me = db_int(db, 0, "SELECT staff_id FROM account WHERE login = 'shokuin'");
    if (!me) return true;
    int64_t later = dated_session(db, true, 40, 30), soon = dated_session(db, true, 7, 30);
    int64_t held = dated_session(db, false, -14, 20), open = dated_session(db, true, -3, 30);
    if (!later || !soon || !held || !open) return false;
    bool ok = add_app(db, later, me, "applied", 1, today) && add_app(db, soon, me, "accepted", 1, today) &&
              add_app(db, held, me, "accepted", 1, today);
    char day[11];
    date_iso(date_add_days(date_today(), -14), day);
    ok = ok && db_exec(db,
                       "INSERT INTO completion (session_id, staff_id, attended, minutes, report_on, report, completed, recorded_at)"
                       " VALUES (?, ?, 1, 360, NULL, '', 0, ?)",
                       held, me, day) == 1;
    /* Five people were placed on the session held three days ago. */
    Stmt *st = db_query(db, "SELECT s.id FROM staff s WHERE s.id <> ? AND " ASOF_IN_SERVICE("s.id") " ORDER BY s.id LIMIT 5", me, today,
                        today);
    int seq = 0;
    int64_t ids[5];
    while (seq < 5 && db_step(st) == DB_ROW) ids[seq++] = db_col_int(st, 0);
    db_done(st);
    for (int i = 0; i < seq && ok; i++) ok = add_app(db, open, ids[i], "accepted", i + 1, today);
    ok = ok && db_exec(db,
                       "DELETE FROM completion WHERE staff_id = ? AND session_id IN (SELECT t.id FROM training_session t"
                       " JOIN course c ON c.id = t.course_id WHERE c.mandatory = 1 AND t.nendo = ?)",
                       me, nendo) >= 0;
    return ok;
}

int demo_training(Db *db, int nendo, unsigned seed)
{
    Rng g = {seed};
    Arena a = ARENA_INIT;
    int rc = -1;
    if (db_begin(db) != 0) return -1;
    char today[11];
    date_iso(date_today(), today);
    /* Everyone active, with their lowest tier of the 年度. */
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff"), np = 0;
    Person *people = arena_alloc(&a, sizeof *people * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT s.id, " ASOF_TIER_OF("s.id") " FROM staff s WHERE " ASOF_IN_SERVICE("s.id") " ORDER BY s.id",
                        nendo, today, today, today, today);
    while (np < cap && db_step(st) == DB_ROW) people[np++] = (Person){db_col_int(st, 0), (int)db_col_int(st, 1)};
    db_done(st);

    Course *cs;
    int nc = course_list(db, &a, true, &cs);
    bool ok = true;
    int sessions = 0, apps = 0, done = 0;
    for (int c = 0; c < nc && ok; c++) {
        const Course *co = &cs[c];
        bool external = !provider_internal(co->provider), everyone = co->mandatory && co->capacity == 0;
        int count = everyone ? 1 : (1 + rnd(&g, 2)) * demo_scale();
        int month = everyone ? 5 : 5 + rnd(&g, 10); /* May .. February */
        ok = db_exec(db, "INSERT INTO training_plan (nendo, course_id, sessions, seats, month, budget, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     nendo, co->id, count, everyone ? np : count * (co->capacity ? co->capacity : 30), month > 12 ? month - 12 : month,
                     co->cost * (co->capacity ? co->capacity : 30) * count, "") == 1;
        for (int k = 0; k < count && ok; k++) {
            int m = month + k * 3; /* every third month, never past March: inside the 年度 */
            while (m > 15) m -= 10;
            int y = nendo + (m > 12);
            m = m > 12 ? m - 12 : m;
            char start[48], end[48], day[24], applied[24];
            /* A weekday: step forward from a random day until Monday–Friday. */
            Date dd = {y, m, 5 + rnd(&g, 20)};
            while (date_weekday(dd) == 0 || date_weekday(dd) == 6)
                dd = date_add_days(dd, 1);
            date_iso(dd, day);
            /* Applications arrive weeks before the session, never after today. */
            Date ad = date_add_days(dd, -21);
            if (date_cmp(ad, date_today()) > 0) ad = date_add_days(date_today(), -rnd(&g, 10));
            date_iso(ad, applied);
            if (everyone) {
                snprintf(start, sizeof start, "%04d-04-01T09:00", nendo);
                snprintf(end, sizeof end, "%04d-03-31T17:00", nendo + 1);
            } else {
                snprintf(start, sizeof start, "%sT%02d:00", day, 9 + rnd(&g, 5));
                snprintf(end, sizeof end, "%sT17:00", day);
            }
            int capacity = everyone ? 0 : co->capacity ? co->capacity : 30;
            int64_t sid = add_session(db, co->id, nendo, start, end, capacity, external ? "外部会場（サンプル）" : "本庁舎 大会議室");
            ok = sid != 0;
            sessions++;
            bool past = strncmp(start, today, 10) < 0;
            /* Applicants among the course's target tiers. */
            int want = everyone ? np : capacity + 2 + rnd(&g, 4), seq = 0, accepted = 0;
            for (int i = 0; i < np && seq < want && ok; i++) {
                const Person *p = &people[(i * 7 + k * 13 + c * 31) % np];
                if (!(co->target_tiers & (1u << p->tier))) continue;
                if (!everyone && rnd(&g, 100) >= 25) continue;
                const char *state;
                if (everyone || (capacity && accepted < capacity) || !capacity) state = "accepted";
                else state = "waitlisted";
                if (!past && !everyone) {
                    int r = rnd(&g, 100);
                    state = r < 15 ? "applied" : r < 27 ? "approved" : r < 32 ? "cancelled" : r < 35 ? "rejected" : state;
                }
                if (!strcmp(state, "accepted")) accepted++;
                ok = add_app(db, sid, p->id, state, ++seq, everyone ? start : applied);
                apps++;
                if (ok && !strcmp(state, "accepted") && (past || everyone) && (!everyone || rnd(&g, 100) < 85)) {
                    /* E-learning is finished over the months since it opened. */
                    char when[24];
                    if (everyone) {
                        Date d0, t0 = date_today();
                        date_parse(today, &t0);
                        snprintf(when, sizeof when, "%04d-04-01", nendo);
                        date_parse(when, &d0);
                        int span = 0;
                        for (Date x = d0; date_cmp(x, t0) < 0 && span < 400; x = date_add_days(x, 1)) span++;
                        date_iso(date_add_days(d0, span ? rnd(&g, span) : 0), when);
                    } else {
                        snprintf(when, sizeof when, "%s", day);
                    }
                    ok = add_completion(db, &g, sid, p->id, co->minutes, external, when);
                    done++;
                }
            }
        }
    }
    /* 職場還元 by about 40 % of the leaders who completed something. */
    st = db_query(db,
                  "SELECT DISTINCT d.staff_id, MIN(t.id), MIN(t.starts_at) FROM tier_designation d JOIN completion k ON k.staff_id = d.staff_id AND k.completed = 1"
                  " JOIN training_session t ON t.id = k.session_id WHERE d.tier = 2 AND " ASOF_DESIGNATED("d")
                  " GROUP BY d.staff_id ORDER BY d.staff_id",
                  nendo, today, today);
    int64_t leaders[400][2];
    Date after[400];
    int nl = 0;
    while (nl < 400 && db_step(st) == DB_ROW) {
        leaders[nl][0] = db_col_int(st, 0);
        leaders[nl][1] = db_col_int(st, 1);
        char day[11];
        snprintf(day, sizeof day, "%.10s", db_col_text(st, 2));
        if (date_parse(day, &after[nl])) nl++;
    }
    db_done(st);
    int shared = 0;
    static const char *const topics[] = {"生成AIを使った文書作成の手順と注意点", "ノーコードツールで作った申請受付フォームの紹介",
                                         "情報セキュリティ研修の要点（パスワード・標的型メール）", "業務フローの見える化の進め方"};
    for (int i = 0; i < nl && ok; i++) {
        if (rnd(&g, 100) >= 60) continue;
        /* Held some days after the course, never after today. */
        Date t = date_today(), h = date_add_days(after[i], 7 + rnd(&g, 60));
        if (date_cmp(h, t) > 0) h = t;
        if (date_cmp(h, after[i]) < 0) continue;
        char held[11];
        date_iso(h, held);
        ok = db_exec(db,
                     "INSERT INTO share_back (staff_id, session_id, held_on, audience, attendees, content, materials, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     leaders[i][0], leaders[i][1], held, "係内ミーティング", 3 + rnd(&g, 6), topics[rnd(&g, 4)],
                     "配布資料（共有フォルダ）", held) == 1;
        shared++;
    }
    ok = ok && demo_pending(db, nendo, today);
    ok = ok && audit_write(db, &ACTOR_CLI, "demo.training", "training_session", 0, 0,
                           arena_printf(&a, "%d年度 研修 日程%d件 申込%d件 出欠%d件 職場還元%d件", nendo, sessions, apps, done, shared)) == 0;
    if (ok && db_commit(db) == 0) rc = 0;
    else {
        db_rollback(db);
        fprintf(stderr, "jinzai: demo training failed: %s\n", db_errmsg(db));
    }
    arena_free(&a);
    return rc;
}
