/* completion.c - see completion.h. */
#include "completion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/csvread.h"
#include "../io/text.h"
#include "asof.h"
#include "course.h"
#include "demand_summary.h"
#include "gap.h"
#include "training.h"

/* ---- attendance and completion ---- */

/* Writes one person's attendance; the caller holds the transaction. */
static bool record_one(Db *db, int64_t session_id, const RosterEntry *r, int minutes, bool external, const char *now)
{
    Stmt *st = db_query(db,
                        "INSERT INTO completion (session_id, staff_id, attended, minutes, score, completed, recorded_at)"
                        " VALUES (?, ?, ?, ?, NULLIF(?, -1), ?, ?)"
                        " ON CONFLICT (session_id, staff_id) DO UPDATE SET attended = excluded.attended, minutes = excluded.minutes,"
                        " score = excluded.score, recorded_at = excluded.recorded_at,"
                        " completed = CASE WHEN excluded.attended = 1 AND (? = 0 OR completion.report_on IS NOT NULL) THEN 1 ELSE 0 END",
                        session_id, r->staff_id, r->attended ? 1 : 0, r->attended ? minutes : 0, r->score,
                        r->attended && !external ? 1 : 0, now, external ? 1 : 0);
    bool ok = db_step(st) == DB_DONE;
    db_done(st);
    return ok;
}

static int session_facts(Db *db, int64_t session_id, int *minutes, bool *external)
{
    Stmt *st = db_query(db, "SELECT c.minutes, c.provider FROM training_session s JOIN course c ON c.id = s.course_id WHERE s.id = ?", session_id);
    int found = db_step(st) == DB_ROW;
    if (found) {
        *minutes = (int)db_col_int(st, 0);
        *external = !provider_internal(db_col_text(st, 1));
    }
    db_done(st);
    return found ? 0 : -1;
}

static int write_roster(Db *db, const Actor *who, int64_t session_id, const RosterEntry *in, int n, const char *how, Errors *e)
{
    int minutes = 0;
    bool external = false;
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    if (session_facts(db, session_id, &minutes, &external) != 0) err_add(e, "", "日程が見つかりません。");
    char now[32];
    now_iso(now);
    bool ok = !err_any(e);
    int present = 0;
    for (int i = 0; i < n && ok; i++) {
        if (in[i].score < -1 || in[i].score > 100) {
            err_add(e, "", "点数は0〜100で入力してください。");
            ok = false;
            break;
        }
        ok = db_exists(db, "SELECT 1 FROM staff WHERE id = ?", in[i].staff_id) && record_one(db, session_id, &in[i], minutes, external, now);
        present += in[i].attended;
    }
    Arena a = ARENA_INIT;
    ok = ok && audit_write(db, who, "completion.record", "training_session", session_id, 0,
                           arena_printf(&a, "出欠登録（%s） %d人中 出席%d人", how, n, present)) == 0;
    arena_free(&a);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。");
    return -1;
}

int completion_record(Db *db, const Actor *who, int64_t session_id, const RosterEntry *in, int n, Errors *e)
{
    return write_roster(db, who, session_id, in, n, "画面", e);
}

static int parse_attended(const char *s)
{
    static const char *const yes[] = {"1", "出席", "○", "〇", "済", "修了"}, *const no[] = {"0", "欠席", "×", "✕", ""};
    for (size_t i = 0; i < COUNTOF(yes); i++)
        if (strcmp(s, yes[i]) == 0) return 1;
    for (size_t i = 0; i < COUNTOF(no); i++)
        if (strcmp(s, no[i]) == 0) return 0;
    return -1;
}

int completion_import_csv(Db *db, const Actor *who, int64_t session_id, const char *data, size_t len, int *count, Errors *e)
{
    *count = 0;
    Arena a = ARENA_INIT;
    CsvDoc doc;
    CsvError cerr;
    int rc = -1;
    if (csv_parse_any(&a, data, len, &doc, &cerr, NULL) != 0) {
        err_addf(e, "file", "%d行目：%s", cerr.line, cerr.msg);
        goto out;
    }
    int cno = csv_col(&doc, "職員番号"), cat = csv_col(&doc, "出欠"), csc = csv_col(&doc, "点数");
    if (cno < 0 || cat < 0) {
        err_add(e, "file", "1行目に見出し「職員番号」「出欠」（と任意で「点数」）が必要です。");
        goto out;
    }
    RosterEntry *in = arena_alloc(&a, sizeof *in * (size_t)(doc.nrows + 1));
    int n = 0;
    for (int r = 1; r < doc.nrows; r++) {
        const CsvRow *row = &doc.rows[r];
        const char *no = text_trim(&a, csv_field(row, cno)), *at = text_trim(&a, csv_field(row, cat));
        const char *sc = csc >= 0 ? text_trim(&a, csv_field(row, csc)) : "";
        int64_t staff = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", no);
        int attended = parse_attended(at);
        int64_t score = -1;
        if (!staff) err_addf(e, "file", "%d行目：職員番号「%s」の職員はいません。", row->line, no);
        if (attended < 0) err_addf(e, "file", "%d行目：出欠は 1／0 または 出席／欠席 で入力してください（「%s」）。", row->line, at);
        if (*sc && (!parse_int64(sc, &score) || score < 0 || score > 100)) err_addf(e, "file", "%d行目：点数は0〜100の整数にしてください。", row->line);
        in[n++] = (RosterEntry){staff, attended == 1, (int)score};
    }
    if (!n && !err_any(e)) err_add(e, "file", "データの行がありません。");
    if (err_any(e)) goto out;
    if (write_roster(db, who, session_id, in, n, "CSV", e) == 0) {
        *count = n;
        rc = 0;
    }
out:
    arena_free(&a);
    return rc;
}

int completion_report(Db *db, const Actor *who, int64_t completion_id, const char *report_on, const char *report, Errors *e)
{
    Date d;
    if (!report_on || !date_parse(report_on, &d)) err_add(e, "report_on", "復命書の提出日を正しい日付で入力してください。");
    if (str_empty(report)) err_add(e, "report", "復命書の内容（学んだこと・職場での活用）を入力してください。");
    else if (utf8_chars(report) > 2000) err_add(e, "report", "復命書の内容は2000文字以内で入力してください。");
    if (err_any(e)) return -1;
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    int64_t staff = db_int(db, 0, "SELECT staff_id FROM completion WHERE id = ? AND attended = 1", completion_id);
    if (!staff) err_add(e, "", "出席した研修の記録が見つかりません。");
    bool ok = staff && db_exec(db, "UPDATE completion SET report_on = ?, report = ?, completed = 1 WHERE id = ?", report_on, report,
                               completion_id) == 1 &&
              audit_write(db, who, "completion.report", "completion", completion_id, staff, "復命書の提出") == 0;
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。");
    return -1;
}

int transcript_list(Db *db, Arena *a, int64_t staff_id, int64_t unit_id, int nendo, int64_t root, TranscriptRow **out)
{
    /* The unit of a person is the one on the date the 年度 is viewed on
     * (today for all years); whether the row may be named follows the
     * 所属長 scope rule, on today. */
    char on[11], today[11];
    now_date(today);
    if (nendo) asof_nendo_date(nendo, on);
    else memcpy(on, today, sizeof on);
#define TRANSCRIPT_SQL(who)                                                                                                        \
        "SELECT k.id, k.session_id, k.staff_id, s.staff_no, s.name, CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END," \
        " c.code, c.title, c.provider, t.starts_at, k.report_on, k.result, k.attended, k.completed, "                              \
        COMPLETION_MINUTES_SQL("k", "c") ", COALESCE(k.score, -1),"                                                                \
        " CASE WHEN " ASOF_VISIBLE("k.staff_id") " THEN 1 ELSE 0 END"                                                              \
        " FROM completion k JOIN staff s ON s.id = k.staff_id JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id" \
        " LEFT JOIN " ASOF_PRIMARY("a", "s.id")                                                                                    \
        " LEFT JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id"                                   \
        " WHERE " who " AND (? = 0 OR t.nendo = ?)"                                                                           \
        " AND (? = 0 OR a.unit_id IN (" ASOF_SUBTREE "))"                                                                      \
        " ORDER BY t.starts_at DESC, s.staff_no"
    /* One person's rows by index; otherwise every row passes the filters. */
    int cap = staff_id ? (int)db_int(db, 0, "SELECT COUNT(*) FROM completion WHERE staff_id = ?", staff_id)
                       : (int)db_int(db, 0, "SELECT COUNT(*) FROM completion");
    TranscriptRow *rows = arena_zalloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = staff_id ? db_query(db, TRANSCRIPT_SQL("k.staff_id = ?"), root, today, today, root, on, on, staff_id, nendo, nendo, unit_id, unit_id)
                        : db_query(db, TRANSCRIPT_SQL("1 = 1"), root, today, today, root, on, on, nendo, nendo, unit_id, unit_id);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        TranscriptRow *x = &rows[n++];
        x->completion_id = db_col_int(st, 0);
        x->session_id = db_col_int(st, 1);
        x->staff_id = db_col_int(st, 2);
        x->staff_no = db_col_dup(st, 3, a);
        x->staff_name = db_col_dup(st, 4, a);
        x->unit_name = arena_strdup(a, db_col_text(st, 5));
        x->course_code = db_col_dup(st, 6, a);
        x->course_title = db_col_dup(st, 7, a);
        x->provider = db_col_dup(st, 8, a);
        x->starts_at = db_col_dup(st, 9, a);
        x->report_on = db_col_dup(st, 10, a);
        x->result = db_col_dup(st, 11, a);
        x->attended = db_col_int(st, 12) != 0;
        x->completed = db_col_int(st, 13) != 0;
        x->minutes = (int)db_col_int(st, 14);
        x->score = (int)db_col_int(st, 15);
        x->external = !provider_internal(x->provider);
        x->named = db_col_int(st, 16) != 0;
    }
    db_done(st);
    *out = rows;
    return n;
}

/* ---- 職場還元 ---- */

int shareback_add(Db *db, const Actor *who, ShareBack *s, Errors *e)
{
    Date d;
    if (!s->held_on || !date_parse(s->held_on, &d)) err_add(e, "held_on", "実施日を正しい日付で入力してください。");
    if (str_empty(s->content)) err_add(e, "content", "共有した内容を入力してください。");
    else if (utf8_chars(s->content) > 1000) err_add(e, "content", "内容は1000文字以内で入力してください。");
    if (s->audience && utf8_chars(s->audience) > 100) err_add(e, "audience", "対象は100文字以内で入力してください。");
    if (s->materials && utf8_chars(s->materials) > 400) err_add(e, "materials", "資料は400文字以内で入力してください。");
    if (s->attendees < 0 || s->attendees > 1000) err_add(e, "attendees", "参加人数を0〜1000で入力してください。");
    if (err_any(e)) return -1;
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    if (s->session_id && !db_exists(db, "SELECT 1 FROM training_session WHERE id = ?", s->session_id))
        err_add(e, "session_id", "研修の日程が見つかりません。");
    char today[11];
    now_date(today);
    if (!db_exists(db, "SELECT 1 FROM staff s WHERE s.id = ? AND " ASOF_IN_SERVICE("s.id"), s->staff_id, today, today))
        err_add(e, "", "有効な職員ではありません。");
    char now[32];
    now_iso(now);
    bool ok = !err_any(e);
    if (ok) {
        Stmt *st = db_query(db,
                            "INSERT INTO share_back (staff_id, session_id, held_on, audience, attendees, content, materials, created_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            s->staff_id, DB_ID_OR_NULL(s->session_id), s->held_on, s->audience ? s->audience : "", s->attendees, s->content,
                            s->materials ? s->materials : "", now);
        ok = db_step(st) == DB_ROW;
        if (ok) s->id = db_col_int(st, 0);
        db_done(st);
    }
    Arena a = ARENA_INIT;
    ok = ok && audit_write(db, who, "shareback.add", "share_back", s->id, s->staff_id,
                           arena_printf(&a, "職場還元 %s %s（%d人）", s->held_on, s->audience ? s->audience : "", s->attendees)) == 0;
    arena_free(&a);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。");
    return -1;
}

int shareback_list(Db *db, Arena *a, int64_t staff_id, int nendo, ShareBack **out)
{
    Date first, last;
    nendo_range(nendo ? nendo : 2000, &first, &last);
    char f[11], l[11];
    date_iso(first, f);
    date_iso(last, l);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM share_back");
    ShareBack *rows = arena_zalloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT b.id, b.staff_id, COALESCE(b.session_id, 0), b.held_on, b.audience, b.content, b.materials, s.name,"
                        " COALESCE(c.title, ''), b.attendees FROM share_back b JOIN staff s ON s.id = b.staff_id"
                        " LEFT JOIN training_session t ON t.id = b.session_id LEFT JOIN course c ON c.id = t.course_id"
                        " WHERE (? = 0 OR b.staff_id = ?) AND (? = 0 OR (b.held_on >= ? AND b.held_on <= ?)) ORDER BY b.held_on DESC",
                        staff_id, staff_id, nendo, f, l);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        ShareBack *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->staff_id = db_col_int(st, 1);
        x->session_id = db_col_int(st, 2);
        x->held_on = db_col_dup(st, 3, a);
        x->audience = db_col_dup(st, 4, a);
        x->content = db_col_dup(st, 5, a);
        x->materials = db_col_dup(st, 6, a);
        x->staff_name = db_col_dup(st, 7, a);
        x->course_title = db_col_dup(st, 8, a);
        x->attendees = (int)db_col_int(st, 9);
    }
    db_done(st);
    *out = rows;
    return n;
}

void shareback_rate(Db *db, int nendo, int *done, int *leaders)
{
    Date first, last;
    nendo_range(nendo, &first, &last);
    char f[11], l[11], on[11];
    date_iso(first, f);
    date_iso(last, l);
    asof_nendo_date(nendo, on);
    /* Leaders designated for the 年度 and in service on its view date. */
    *leaders = (int)db_int(db, 0,
                           "SELECT COUNT(DISTINCT d.staff_id) FROM tier_designation d"
                           " WHERE " ASOF_DESIGNATED("d") " AND d.tier = 2 AND " ASOF_IN_SERVICE("d.staff_id"),
                           nendo, on, on, on, on);
    *done = (int)db_int(db, 0,
                        "SELECT COUNT(DISTINCT d.staff_id) FROM tier_designation d"
                        " WHERE " ASOF_DESIGNATED("d") " AND d.tier = 2 AND " ASOF_IN_SERVICE("d.staff_id")
                        " AND EXISTS (SELECT 1 FROM share_back b WHERE b.staff_id = d.staff_id AND b.held_on >= ? AND b.held_on <= ?)",
                        nendo, on, on, on, on, f, l);
}

/* ---- evidence and recommendations ---- */

void training_evidence(Db *db, Arena *a, const SkillMap *m, int64_t staff_id, int nendo, int *levels, const char **titles)
{
    for (int i = 0; i < m->nitems; i++) {
        levels[i] = -1;
        titles[i] = NULL;
    }
    Stmt *st = db_query(db,
                        "SELECT cs.item_id, cs.level, c.title FROM completion k JOIN training_session t ON t.id = k.session_id"
                        " JOIN course c ON c.id = t.course_id JOIN course_skill cs ON cs.course_id = c.id"
                        " WHERE k.staff_id = ? AND k.completed = 1 AND t.nendo BETWEEN ? AND ?",
                        staff_id, nendo - 1, nendo);
    while (db_step(st) == DB_ROW) {
        int i = skill_item_index(m, db_col_int(st, 0));
        int level = (int)db_col_int(st, 1);
        if (i >= 0 && level > levels[i]) {
            levels[i] = level;
            titles[i] = db_col_dup(st, 2, a);
        }
    }
    db_done(st);
}

/* Levels of shortfall a course closes for person p of g (0: none). */
static int levels_closed(const GapMatrix *g, int p, const Course *c, Buf *items)
{
    int sum = 0;
    for (int k = 0; k < c->nskills; k++) {
        int i = skill_item_index(g->m, c->skills[k].item_id);
        if (i < 0) continue;
        int t = GAP_AT(g, target, p, i), l = gap_level(g, p, i, NULL);
        if (t < 0) continue;
        if (l < 0) l = 0;
        int reach = c->skills[k].level < t ? c->skills[k].level : t;
        if (reach > l) {
            sum += reach - l;
            if (items) buf_printf(items, "%s%s", items->len ? "、" : "", g->m->items[i].name);
        }
    }
    return sum;
}

static bool completed_course(Db *db, int64_t staff_id, int64_t course_id)
{
    return db_exists(db,
                     "SELECT 1 FROM completion k JOIN training_session t ON t.id = k.session_id WHERE k.staff_id = ? AND t.course_id = ?"
                     " AND k.completed = 1",
                     staff_id, course_id);
}

static int cmp_rec(const void *x, const void *y)
{
    return ((const Recommendation *)y)->gaps_closed - ((const Recommendation *)x)->gaps_closed;
}

int recommend_person(Db *db, Arena *a, const SkillMap *m, int64_t staff_id, int nendo, Recommendation **out)
{
    char today[11]; /* the date the 年度 is viewed on */
    asof_nendo_date(nendo, today);
    GapMatrix g;
    GapFilter f = {.staff_id = staff_id};
    gap_matrix(db, a, m, nendo, today, &f, &g);
    Course *cs;
    int nc = course_list(db, a, true, &cs);
    Recommendation *rows = arena_zalloc(a, sizeof *rows * (size_t)(nc + 1));
    int n = 0;
    for (int c = 0; c < nc && g.npeople; c++) {
        if (!(cs[c].target_tiers & (1u << g.people[0].tier)) || completed_course(db, staff_id, cs[c].id)) continue;
        Buf items = BUF_INIT;
        int sum = levels_closed(&g, 0, &cs[c], &items);
        if (sum > 0) rows[n++] = (Recommendation){cs[c].id, cs[c].code, cs[c].title, cs[c].provider, sum, arena_strdup(a, buf_cstr(&items))};
        buf_free(&items);
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp_rec);
    *out = rows;
    return n;
}

static int cmp_demand(const void *x, const void *y) { return ((const Demand *)y)->people - ((const Demand *)x)->people; }

typedef struct DonePair {
    int64_t staff_id, course_id;
} DonePair;

static int cmp_pair(const void *x, const void *y)
{
    const DonePair *p = x, *q = y;
    if (p->staff_id != q->staff_id) return p->staff_id < q->staff_id ? -1 : 1;
    return p->course_id < q->course_id ? -1 : p->course_id > q->course_id;
}

static int cmp_id(const void *x, const void *y)
{
    int64_t p = *(const int64_t *)x, q = *(const int64_t *)y;
    return p < q ? -1 : p > q;
}

/* Who completed which course, for the people of g: one statement, sorted
 * for bsearch (instead of one query per person × course). */
static int completed_pairs(Db *db, Arena *a, const GapMatrix *g, DonePair **out)
{
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(g->npeople + 1));
    for (int p = 0; p < g->npeople; p++) ids[p] = g->people[p].staff_id;
    qsort(ids, (size_t)g->npeople, sizeof *ids, cmp_id);
    DonePair *rows = NULL;
    int n = 0, cap = 0;
    Stmt *st = db_query(db, "SELECT DISTINCT k.staff_id, t.course_id FROM completion k JOIN training_session t ON t.id = k.session_id"
                            " WHERE k.completed = 1");
    while (db_step(st) == DB_ROW) {
        int64_t sid = db_col_int(st, 0);
        if (!g->npeople || !bsearch(&sid, ids, (size_t)g->npeople, sizeof *ids, cmp_id)) continue;
        ARENA_GROW(a, rows, n, cap);
        rows[n++] = (DonePair){sid, db_col_int(st, 1)};
    }
    db_done(st);
    if (n) qsort(rows, (size_t)n, sizeof *rows, cmp_pair);
    *out = rows;
    return n;
}

int recommend_demand_compute(Db *db, Arena *a, const SkillMap *m, int nendo, int64_t unit_id, int tier, Demand **out)
{
    char today[11]; /* the date the 年度 is viewed on */
    asof_nendo_date(nendo, today);
    GapMatrix g;
    GapFilter f = {.unit_id = unit_id, .tier = tier};
    gap_matrix(db, a, m, nendo, today, &f, &g);
    Course *cs;
    int nc = course_list(db, a, true, &cs);
    DonePair *done;
    int ndone = completed_pairs(db, a, &g, &done);
    Demand *rows = arena_zalloc(a, sizeof *rows * (size_t)(nc + 1));
    int n = 0;
    for (int c = 0; c < nc; c++) {
        int people = 0;
        for (int p = 0; p < g.npeople; p++) {
            if (!(cs[c].target_tiers & (1u << g.people[p].tier)) || levels_closed(&g, p, &cs[c], NULL) <= 0) continue;
            DonePair key = {g.people[p].staff_id, cs[c].id};
            if (!ndone || !bsearch(&key, done, (size_t)ndone, sizeof key, cmp_pair)) people++;
        }
        if (!people) continue;
        int cap = cs[c].capacity;
        rows[n++] = (Demand){cs[c].id, cs[c].code, cs[c].title, cs[c].provider, people, cap, cap ? (people + cap - 1) / cap : 1};
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp_demand);
    *out = rows;
    return n;
}
