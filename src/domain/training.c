/* training.c - sessions and applications; see training.h. Completion,
 * share-back, evidence and recommendations are in completion.c (completion.h). */
#include "training.h"
#include "notice.h"

#include <stdio.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "course.h"
#include "../db/tx.h"

/* ---- sessions ---- */

#define SESSION_SELECT                                                                                                       \
    "SELECT s.id, s.course_id, s.nendo, s.capacity, s.starts_at, s.ends_at, s.place, s.url, s.instructor, s.note, c.code,"    \
    " c.title, c.provider, c.format, s.cancelled,"                                                                            \
    " (SELECT COUNT(*) FROM application x WHERE x.session_id = s.id AND x.state = 'accepted'),"                               \
    " (SELECT COUNT(*) FROM application x WHERE x.session_id = s.id AND x.state = 'waitlisted'),"                             \
    " (SELECT COUNT(*) FROM application x WHERE x.session_id = s.id AND x.state IN ('applied', 'approved')),"                 \
    " s.apply_from, s.apply_until, s.cost, c.cost"                                                                            \
    " FROM training_session s JOIN course c ON c.id = s.course_id"

static void read_session(Stmt *st, Arena *a, Session *s)
{
    s->id = db_col_int(st, 0);
    s->course_id = db_col_int(st, 1);
    s->nendo = (int)db_col_int(st, 2);
    s->capacity = (int)db_col_int(st, 3);
    s->starts_at = db_col_dup(st, 4, a);
    s->ends_at = db_col_dup(st, 5, a);
    s->place = db_col_dup(st, 6, a);
    s->url = db_col_dup(st, 7, a);
    s->instructor = db_col_dup(st, 8, a);
    s->note = db_col_dup(st, 9, a);
    s->course_code = db_col_dup(st, 10, a);
    s->course_title = db_col_dup(st, 11, a);
    s->provider = db_col_dup(st, 12, a);
    s->format = db_col_dup(st, 13, a);
    s->cancelled = db_col_int(st, 14) != 0;
    s->external = !provider_internal(s->provider);
    s->accepted = (int)db_col_int(st, 15);
    s->waitlisted = (int)db_col_int(st, 16);
    s->pending = (int)db_col_int(st, 17);
    s->apply_from = db_col_null(st, 18) ? NULL : db_col_dup(st, 18, a);
    s->apply_until = db_col_null(st, 19) ? NULL : db_col_dup(st, 19, a);
    s->has_cost = !db_col_null(st, 20);
    s->cost = s->has_cost ? (int)db_col_int(st, 20) : 0;
    s->course_cost = db_col_null(st, 21) ? -1 : (int)db_col_int(st, 21);
}

int session_cost(const Session *s) { return s->has_cost ? s->cost : -1; }

int session_list(Db *db, Arena *a, const char *from, const char *to, int64_t course_id, Session **out)
{
    /* starts_at "YYYY-MM-DDTHH:MM": a date range compares on its first 10 characters. */
    const char *to_end = arena_printf(a, "%sT99", to);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM training_session WHERE starts_at >= ? AND starts_at < ? AND (? = 0 OR course_id = ?)",
                          from, to_end, course_id, course_id);
    Session *rows = arena_zalloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db, SESSION_SELECT " WHERE s.starts_at >= ? AND s.starts_at < ? AND (? = 0 OR s.course_id = ?) ORDER BY s.starts_at, s.id",
                        from, to_end, course_id, course_id);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) read_session(st, a, &rows[n++]);
    db_done(st);
    *out = rows;
    return n;
}

bool session_get(Db *db, Arena *a, int64_t id, Session *out)
{
    Stmt *st = db_query(db, SESSION_SELECT " WHERE s.id = ?", id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_session(st, a, out);
    db_done(st);
    return found;
}

/* "YYYY-MM-DDTHH:MM" with a real date and time. */
static bool valid_datetime(const char *s, Date *d)
{
    if (!s || strlen(s) != 16 || s[10] != 'T' || s[13] != ':') return false;
    char day[11];
    memcpy(day, s, 10);
    day[10] = '\0';
    int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
    return date_parse(day, d) && s[11] >= '0' && s[11] <= '2' && s[12] >= '0' && s[12] <= '9' && s[14] >= '0' && s[14] <= '5' &&
           s[15] >= '0' && s[15] <= '9' && hh < 24 && mm < 60;
}

int session_save(Db *db, const Actor *who, Session *s, Errors *e)
{
    Date d, d2;
    if (!valid_datetime(s->starts_at, &d)) err_add(e, "starts_at", "開始日時を正しく入力してください（例：2026-10-05 と 13:30）。");
    if (!valid_datetime(s->ends_at, &d2)) err_add(e, "ends_at", "終了日時を正しく入力してください。");
    else if (!err_any(e) && strcmp(s->ends_at, s->starts_at) <= 0) err_add(e, "ends_at", "終了日時は開始日時より後にしてください。");
    if (s->capacity < 0 || s->capacity > 10000) err_add(e, "capacity", "定員を0〜10000で入力してください（0は定員なし）。");
    if (s->place && utf8_chars(s->place) > 100) err_add(e, "place", "会場は100文字以内で入力してください。");
    if (s->url && *s->url && (strncmp(s->url, "http://", 7) != 0 && strncmp(s->url, "https://", 8) != 0))
        err_add(e, "url", "URLは http:// または https:// で始めてください。");
    if (s->url && strlen(s->url) > 500) err_add(e, "url", "URLが長すぎます。");
    if (s->instructor && utf8_chars(s->instructor) > 100) err_add(e, "instructor", "講師は100文字以内で入力してください。");
    if (s->note && utf8_chars(s->note) > 400) err_add(e, "note", "備考は400文字以内で入力してください。");
    if (str_empty(s->apply_from)) s->apply_from = NULL;
    if (str_empty(s->apply_until)) s->apply_until = NULL;
    Date af, au;
    if (s->apply_from && !date_parse(s->apply_from, &af)) err_add(e, "apply_from", "申込開始日を正しい日付で入力してください。");
    if (s->apply_until && !date_parse(s->apply_until, &au)) err_add(e, "apply_until", "申込締切日を正しい日付で入力してください。");
    else if (s->apply_until && s->apply_from && !err_any(e) && strcmp(s->apply_until, s->apply_from) < 0)
        err_add(e, "apply_until", "申込締切日は申込開始日より後にしてください。");
    else if (s->apply_until && s->starts_at && !err_any(e) && strncmp(s->apply_until, s->starts_at, 10) > 0)
        err_add(e, "apply_until", "申込締切日は開始日以前にしてください。");
    if (s->has_cost && (s->cost < 0 || s->cost > 100000000)) err_add(e, "cost", "費用を0〜100000000円で入力してください（空欄は未定）。");
    if (!err_any(e)) {
        /* A session lies inside its 年度: the start decides it when none is
         * given, and the end may not run into the next one. */
        if (!s->nendo) s->nendo = nendo_of(d);
        char day[11];
        snprintf(day, sizeof day, "%.10s", s->starts_at);
        if (!asof_in_nendo(day, s->nendo))
            err_addf(e, "starts_at", "開始日は%d年度（%d年4月1日〜%d年3月31日）の中の日付にしてください。", s->nendo, s->nendo, s->nendo + 1);
        else if (nendo_of(d2) != s->nendo) err_add(e, "ends_at", "終了日時は開始日時と同じ年度の中にしてください。");
    }
    if (err_any(e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char *title = db_text(db, &a, "SELECT title FROM course WHERE id = ?", s->course_id);
    if (!title) err_add(e, "course_id", "研修を選んでください。");
    bool ok = title != NULL;
    if (ok && s->id) {
        ok = db_exec(db,
                     "UPDATE training_session SET course_id = ?, nendo = ?, starts_at = ?, ends_at = ?, place = ?, url = ?, capacity = ?,"
                     " instructor = ?, note = ?, apply_from = ?, apply_until = ?, cost = NULLIF(?, -1) WHERE id = ?",
                     s->course_id, s->nendo, s->starts_at, s->ends_at, s->place ? s->place : "", s->url ? s->url : "",
                     s->capacity, s->instructor ? s->instructor : "", s->note ? s->note : "", s->apply_from, s->apply_until,
                     s->has_cost ? s->cost : -1, s->id) == 1;
    } else if (ok) {
        Stmt *st = db_query(db,
                            "INSERT INTO training_session (course_id, nendo, starts_at, ends_at, place, url, capacity, instructor, note,"
                            " apply_from, apply_until, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, -1)) RETURNING id",
                            s->course_id, s->nendo, s->starts_at, s->ends_at, s->place ? s->place : "", s->url ? s->url : "",
                            s->capacity, s->instructor ? s->instructor : "", s->note ? s->note : "", s->apply_from, s->apply_until,
                            s->has_cost ? s->cost : -1);
        ok = db_step(st) == DB_ROW;
        if (ok) s->id = db_col_int(st, 0);
        db_done(st);
    }
    bool changed = ok && s->id && db_exists(db, "SELECT 1 FROM application WHERE session_id = ?", s->id);
    ok = ok && audit_write(db, who, "session.save", "training_session", s->id, 0,
                           arena_printf(&a, "%s %s〜%s 定員%d %s", title, s->starts_at, s->ends_at, s->capacity, s->place ? s->place : "")) == 0 &&
         (!changed || notice_event(db, NK_SESSION_CHANGED, s->id) == 0);
    arena_free(&a);
    return tx_end(db, e, ok);
}

int session_cancel(Db *db, const Actor *who, int64_t id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    bool ok = db_exists(db, "SELECT 1 FROM training_session WHERE id = ? AND cancelled = 0", id);
    if (!ok) err_add(e, "", "開催予定の日程が見つかりません。");
    char now[32];
    now_iso(now);
    ok = ok && db_exec(db, "UPDATE training_session SET cancelled = 1 WHERE id = ?", id) == 1 &&
         notice_event(db, NK_SESSION_CANCELLED, id) == 0 &&
         db_exec(db, "UPDATE application SET state = 'cancelled', decided_at = ? WHERE session_id = ? AND state NOT IN ('cancelled', 'rejected')",
                 now, id) >= 0 &&
         audit_write(db, who, "session.cancel", "training_session", id, 0, "開催中止") == 0;
    return tx_end(db, e, ok);
}

/* ---- applications ---- */

static const char *const app_names[] = {"所属長承認待ち", "事務局決定待ち", "受講決定", "キャンセル待ち", "取消", "不承認"};
static const char *const app_codes[] = {"applied", "approved", "accepted", "waitlisted", "cancelled", "rejected"};

const char *app_state_name(AppState s) { return s <= AP_REJECTED ? app_names[s] : ""; }
const char *app_state_code(AppState s) { return s <= AP_REJECTED ? app_codes[s] : ""; }

AppState app_state_parse(const char *code)
{
    for (int i = 0; i <= AP_REJECTED; i++)
        if (str_eq(code, app_codes[i])) return (AppState)i;
    return AP_CANCELLED;
}

int64_t app_staff_of(Db *db, int64_t app_id) { return db_int(db, 0, "SELECT staff_id FROM application WHERE id = ?", app_id); }

static AppState state_of(Db *db, Arena *a, int64_t app_id, int64_t *session_id)
{
    Stmt *st = db_query(db, "SELECT state, session_id FROM application WHERE id = ?", app_id);
    AppState s = AP_CANCELLED;
    *session_id = 0;
    if (db_step(st) == DB_ROW) {
        s = app_state_parse(db_col_text(st, 0));
        *session_id = db_col_int(st, 1);
    }
    db_done(st);
    (void)a;
    return s;
}

/* Free seats of a session (capacity 0: unlimited, reported as a large number). */
static int free_seats(Db *db, int64_t session_id)
{
    int cap = (int)db_int(db, 0, "SELECT capacity FROM training_session WHERE id = ?", session_id);
    if (cap == 0) return 1 << 20;
    int taken = (int)db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ? AND state = 'accepted'", session_id);
    return cap - taken;
}

/* Seats and the waitlist order of a session are decided by one transaction
 * at a time: each path that reads them first locks the session row. */
static bool lock_session(Db *db, int64_t session_id) { return db_lock_row(db, "training_session", session_id) == 0; }

static bool lock_session_of(Db *db, int64_t app_id)
{
    return lock_session(db, db_int(db, 0, "SELECT session_id FROM application WHERE id = ?", app_id));
}

static int next_seq(Db *db, int64_t session_id)
{
    return (int)db_int(db, 0, "SELECT COALESCE(MAX(seq), 0) + 1 FROM application WHERE session_id = ?", session_id);
}

/* Puts a person on a session in `state` (new row, or re-using an ended one). */
static bool put(Db *db, int64_t session_id, int64_t staff_id, const char *state, const char *note, const char *now)
{
    int seq = next_seq(db, session_id);
    if (db_exists(db, "SELECT 1 FROM application WHERE session_id = ? AND staff_id = ?", session_id, staff_id))
        return db_exec(db,
                       "UPDATE application SET state = ?, seq = ?, applied_at = ?, approved_at = NULL, decided_at = NULL, note = ?"
                       " WHERE session_id = ? AND staff_id = ?",
                       state, seq, now, note, session_id, staff_id) == 1;
    return db_exec(db, "INSERT INTO application (session_id, staff_id, state, seq, applied_at, note) VALUES (?, ?, ?, ?, ?, ?)", session_id, staff_id, state, seq, now, note) == 1;
}

/* Whether a person fits a course's target: their tier of the session's 年度
 * is among target_tiers, or their 職位 is named in target_posts. */
static bool eligible(Db *db, Arena *a, int64_t staff_id, int nendo, unsigned tiers, const char *posts, const char *today)
{
    int tier = (int)db_int(db, 3, "SELECT " ASOF_TIER_OF("?"), staff_id, nendo, today, today);
    if (tier >= 0 && tier < 31 && (tiers & (1u << tier))) return true;
    char *post = db_text(db, a, "SELECT post FROM staff WHERE id = ?", staff_id);
    return post && *post && posts && strstr(posts, post) != NULL;
}

int app_apply_checked(Db *db, const Actor *who, int64_t session_id, int64_t staff_id, const char *note, bool *warned, Errors *e)
{
    if (warned) *warned = false;
    if (note && utf8_chars(note) > 200) err_add(e, "note", "申込の備考は200文字以内で入力してください。");
    if (err_any(e) || tx_begin(db, e) != 0) return -1;
    if (!lock_session(db, session_id)) return tx_end(db, e, false);
    Arena a = ARENA_INIT;
    char now[32], today[11];
    now_iso(now);
    now_date(today);
    Stmt *st = db_query(db,
                        "SELECT c.title, s.apply_from, s.apply_until, c.id, c.eligibility, c.repeatable, c.target_tiers, c.target_posts,"
                        " s.nendo FROM training_session s JOIN course c ON c.id = s.course_id WHERE s.id = ? AND s.cancelled = 0"
                        " AND s.starts_at > ?",
                        session_id, now);
    char *title = NULL, *from = NULL, *until = NULL, *elig = NULL, *posts = NULL;
    int64_t course = 0;
    bool repeatable = false;
    unsigned tiers = 0;
    int nendo = 0;
    if (db_step(st) == DB_ROW) {
        title = db_col_dup(st, 0, &a);
        from = db_col_null(st, 1) ? NULL : db_col_dup(st, 1, &a);
        until = db_col_null(st, 2) ? NULL : db_col_dup(st, 2, &a);
        course = db_col_int(st, 3);
        elig = db_col_dup(st, 4, &a);
        repeatable = db_col_int(st, 5) != 0;
        tiers = (unsigned)db_col_int(st, 6);
        posts = db_col_dup(st, 7, &a);
        nendo = (int)db_col_int(st, 8);
    }
    db_done(st);
    bool fits = true;
    if (!title) err_add(e, "", "申込できる日程ではありません（開始済み・中止・存在しない日程）。");
    else if (from && strcmp(today, from) < 0) err_addf(e, "", "この日程の申込期間は%sからです。まだ申し込めません。", from);
    else if (until && strcmp(today, until) > 0) err_addf(e, "", "この日程の申込は締め切りました（締切 %s）。", until);
    else if (!db_exists(db, "SELECT 1 FROM staff s WHERE s.id = ? AND " ASOF_IN_SERVICE("s.id"), staff_id, today, today))
        err_add(e, "", "有効な職員ではありません。");
    else if (db_exists(db, "SELECT 1 FROM application WHERE session_id = ? AND staff_id = ? AND state NOT IN ('cancelled', 'rejected')", session_id, staff_id))
        err_add(e, "", "この日程には既に申し込んでいます。");
    else if (!repeatable && db_exists(db,
                                      "SELECT 1 FROM completion k JOIN training_session t ON t.id = k.session_id"
                                      " WHERE t.course_id = ? AND k.staff_id = ? AND k.completed = 1",
                                      course, staff_id))
        err_add(e, "", "この研修は修了済みです。この研修は再受講できないため、申し込めません。");
    else if (!str_eq(elig, "none") && !(fits = eligible(db, &a, staff_id, nendo, tiers, posts, today)) && str_eq(elig, "refuse"))
        err_add(e, "", "この研修の対象（対象区分・対象職位）ではないため申し込めません。");
    bool ok = !err_any(e) && put(db, session_id, staff_id, "applied", note ? note : "", now);
    int64_t app = ok ? db_int(db, 0, "SELECT id FROM application WHERE session_id = ? AND staff_id = ?", session_id, staff_id) : 0;
    ok = ok && audit_write(db, who, "app.apply", "application", app, staff_id,
                           arena_printf(&a, "%s に申込%s", title, fits ? "" : "（対象外の申込）")) == 0 &&
         notice_event(db, NK_APPROVAL_REQUESTED, app) == 0;
    if (ok && warned) *warned = !fits;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int app_apply(Db *db, const Actor *who, int64_t session_id, int64_t staff_id, const char *note, Errors *e)
{
    return app_apply_checked(db, who, session_id, staff_id, note, NULL, e);
}

/* 不承認 needs a reason of at most 200 characters. */
static bool reason_ok(const char *reason, const char *prefix, Errors *e)
{
    if (str_empty(reason)) err_addf(e, "reason", "%s不承認の理由を入力してください（申込者に表示されます）。", prefix);
    else if (utf8_chars(reason) > 200) err_addf(e, "reason", "%s不承認の理由は200文字以内で入力してください。", prefix);
    else return true;
    return false;
}

int app_approve_r(Db *db, const Actor *who, int64_t app_id, bool approve, const char *reason, Errors *e)
{
    if (!approve && !reason_ok(reason, "", e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    if (!lock_session_of(db, app_id)) return tx_end(db, e, false);
    Arena a = ARENA_INIT;
    int64_t session_id;
    if (state_of(db, &a, app_id, &session_id) != AP_APPLIED) err_add(e, "", "所属長承認待ちの申込ではありません。");
    char now[32];
    now_iso(now);
    bool ok = !err_any(e) &&
              db_exec(db, "UPDATE application SET state = ?, approved_at = ?, reason = ? WHERE id = ?", approve ? "approved" : "rejected", now,
                      approve ? "" : reason, app_id) == 1 &&
              audit_write(db, who, approve ? "app.approve" : "app.reject", "application", app_id, app_staff_of(db, app_id),
                          approve ? "所属長承認" : arena_printf(&a, "所属長不承認：%s", reason)) == 0 &&
              notice_event(db, NK_APPROVAL_DECIDED, app_id) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int app_approve(Db *db, const Actor *who, int64_t app_id, bool approve, Errors *e) { return app_approve_r(db, who, app_id, approve, NULL, e); }

/* One 事務局決定 inside the caller's transaction; prefix names the row in messages. */
static bool decide_in(Db *db, const Actor *who, int64_t app_id, bool accept, const char *reason, const char *prefix, Errors *e)
{
    if (!lock_session_of(db, app_id)) return false;
    Arena a = ARENA_INIT;
    int64_t session_id;
    bool good = accept || reason_ok(reason, prefix, e);
    if (state_of(db, &a, app_id, &session_id) != AP_APPROVED) {
        err_addf(e, "", "%s事務局決定待ちの申込ではありません。", prefix);
        good = false;
    }
    const char *state = !accept ? "rejected" : free_seats(db, session_id) > 0 ? "accepted" : "waitlisted";
    char now[32];
    now_iso(now);
    bool ok = good && !err_any(e) &&
              db_exec(db, "UPDATE application SET state = ?, decided_at = ?, reason = ? WHERE id = ?", state, now, accept ? "" : reason, app_id) == 1 &&
              audit_write(db, who, "app.decide", "application", app_id, app_staff_of(db, app_id),
                          accept ? arena_printf(&a, "事務局決定：%s", app_state_name(app_state_parse(state)))
                                 : arena_printf(&a, "事務局決定：不承認（%s）", reason)) == 0 &&
              notice_event(db, NK_APPROVAL_DECIDED, app_id) == 0;
    arena_free(&a);
    return ok;
}

int app_decide_r(Db *db, const Actor *who, int64_t app_id, bool accept, const char *reason, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    return tx_end(db, e, decide_in(db, who, app_id, accept, reason, "", e));
}

int app_decide(Db *db, const Actor *who, int64_t app_id, bool accept, Errors *e) { return app_decide_r(db, who, app_id, accept, NULL, e); }

int app_decide_bulk(Db *db, const Actor *who, const int64_t *ids, int n, bool accept, const char *reason, int *accepted, int *waitlisted,
                    Errors *e)
{
    *accepted = *waitlisted = 0;
    if (n <= 0) {
        err_add(e, "", "決定する申込を選んでください。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    /* The sessions of all the rows are locked first, in one order (db.h),
     * so that two bulk decisions over the same sessions cannot deadlock;
     * decide_in's own lock of each is then already held. */
    int64_t *sessions = arena_alloc(&a, sizeof *sessions * (size_t)n);
    for (int i = 0; i < n; i++) sessions[i] = db_int(db, 0, "SELECT session_id FROM application WHERE id = ?", ids[i]);
    if (db_lock_rows(db, "training_session", sessions, n) != 0) {
        arena_free(&a);
        return tx_end(db, e, false);
    }
    bool ok = true;
    /* Every row is checked, so that each bad one is reported; nothing is
     * written unless all of them pass. */
    for (int i = 0; i < n; i++) {
        char *label = db_text(db, &a,
                              "SELECT s.staff_no || ' ' || s.name || '（' || c.title || '）' FROM application x JOIN staff s ON s.id = x.staff_id"
                              " JOIN training_session t ON t.id = x.session_id JOIN course c ON c.id = t.course_id WHERE x.id = ?",
                              ids[i]);
        const char *prefix = label ? arena_printf(&a, "%s：", label) : arena_printf(&a, "申込%lld：", (long long)ids[i]);
        if (!label) {
            err_addf(e, "", "%sその申込は見つかりません。", prefix);
            ok = false;
            continue;
        }
        bool row = decide_in(db, who, ids[i], accept, reason, prefix, e);
        ok = ok && row;
        if (row && accept) {
            if (db_exists(db, "SELECT 1 FROM application WHERE id = ? AND state = 'accepted'", ids[i])) (*accepted)++;
            else (*waitlisted)++;
        }
    }
    ok = ok && !err_any(e) &&
         audit_write(db, who, "app.decide_bulk", "application", 0, 0,
                     arena_printf(&a, "一括決定 %d件（%s）", n, accept ? "受講決定" : "不承認")) == 0;
    if (!ok) *accepted = *waitlisted = 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

/* Fills free seats from the waitlist, first come first served. */
static bool promote(Db *db, const Actor *who, int64_t session_id, const char *now)
{
    while (free_seats(db, session_id) > 0) {
        int64_t next = db_int(db, 0, "SELECT id FROM application WHERE session_id = ? AND state = 'waitlisted' ORDER BY seq LIMIT 1", session_id);
        if (!next) return true;
        if (db_exec(db, "UPDATE application SET state = 'accepted', decided_at = ? WHERE id = ?", now, next) != 1 ||
            audit_write(db, who, "app.promote", "application", next, app_staff_of(db, next), "キャンセル待ちから受講決定（繰り上げ）") != 0 ||
            notice_event(db, NK_WAITLIST_PROMOTED, next) != 0)
            return false;
    }
    return true;
}

int app_cancel(Db *db, const Actor *who, int64_t app_id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    if (!lock_session_of(db, app_id)) return tx_end(db, e, false);
    Arena a = ARENA_INIT;
    int64_t session_id;
    AppState s = state_of(db, &a, app_id, &session_id);
    char now[32];
    now_iso(now);
    if (!session_id || s == AP_CANCELLED || s == AP_REJECTED) err_add(e, "", "取り消せる申込ではありません。");
    else if (!db_exists(db, "SELECT 1 FROM training_session WHERE id = ? AND starts_at > ?", session_id, now))
        err_add(e, "", "開始した研修の申込は取り消せません（研修の日時を過ぎています）。");
    bool ok = !err_any(e) && db_exec(db, "UPDATE application SET state = 'cancelled', decided_at = ? WHERE id = ?", now, app_id) == 1 &&
              audit_write(db, who, "app.cancel", "application", app_id, app_staff_of(db, app_id),
                          arena_printf(&a, "申込取消（%s から）", app_state_name(s))) == 0 &&
              (s != AP_ACCEPTED || promote(db, who, session_id, now));
    arena_free(&a);
    return tx_end(db, e, ok);
}

bool app_lock_pending_sessions(Db *db, const int64_t *staff, int n)
{
    if (db_dialect(db) != DB_POSTGRESQL) return true; /* db_lock_rows does nothing there */
    Arena a = ARENA_INIT;
    int cap = 64, m = 0;
    int64_t *ids = arena_alloc(&a, sizeof *ids * (size_t)cap);
    for (int i = 0; i < n; i++) {
        Stmt *st = db_query(db, "SELECT session_id FROM application WHERE staff_id = ? AND state IN ('applied', 'approved', 'waitlisted')",
                            staff[i]);
        while (db_step(st) == DB_ROW) {
            if (m == cap) {
                int64_t *more = arena_alloc(&a, sizeof *ids * (size_t)cap * 2);
                memcpy(more, ids, sizeof *ids * (size_t)cap);
                ids = more;
                cap *= 2;
            }
            ids[m++] = db_col_int(st, 0);
        }
        db_done(st);
    }
    bool ok = db_lock_rows(db, "training_session", ids, m) == 0;
    arena_free(&a);
    return ok;
}

bool app_withdraw_leaver(Db *db, const Actor *who, int64_t staff_id, const char *last_day)
{
    /* A decision or a promotion of the same rows holds their session. */
    if (!app_lock_pending_sessions(db, &staff_id, 1)) return false;
    Arena a = ARENA_INIT;
    char now[32];
    now_iso(now);
    /* starts_at "YYYY-MM-DDTHH:MM": after the last day is at or past the next day. */
    const char *after = arena_printf(&a, "%sT99", last_day);
    const char *note = arena_printf(&a, "退職等により取消（最終日 %s）", last_day);
    int n = (int)db_int(db, 0,
                        "SELECT COUNT(*) FROM application x JOIN training_session t ON t.id = x.session_id WHERE x.staff_id = ?"
                        " AND x.state IN ('applied', 'approved', 'waitlisted') AND t.starts_at > ?",
                        staff_id, after);
    bool ok = n == 0 ||
              (db_exec(db,
                       "UPDATE application SET state = 'cancelled', decided_at = ?, note = ? WHERE staff_id = ?"
                       " AND state IN ('applied', 'approved', 'waitlisted')"
                       " AND session_id IN (SELECT id FROM training_session WHERE starts_at > ?)",
                       now, note, staff_id, after) == n &&
               audit_write(db, who, "app.withdraw", "staff", staff_id, staff_id, arena_printf(&a, "%s：申込%d件", note, n)) == 0);
    arena_free(&a);
    return ok;
}

int app_enrol_bulk(Db *db, const Actor *who, int64_t session_id, int tier, int64_t unit_id, const char *as_of, int *added,
                   int *waitlisted, Errors *e)
{
    *added = *waitlisted = 0;
    if (tx_begin(db, e) != 0) return -1;
    if (!lock_session(db, session_id)) return tx_end(db, e, false);
    Arena a = ARENA_INIT;
    int nendo = (int)db_int(db, 0, "SELECT nendo FROM training_session WHERE id = ? AND cancelled = 0", session_id);
    if (!nendo) err_add(e, "", "開催予定の日程が見つかりません。");
    /* Who is in service in the unit on as_of, with their tier of the 年度
     * on the date the 年度 is viewed on. */
    char on[11];
    asof_nendo_date(nendo ? nendo : nendo_of(date_today()), on);
    static const char *sql =
        "SELECT s.id FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
        " WHERE (? = 0 OR a.unit_id IN (" ASOF_SUBTREE "))"
        " AND (? = 0 OR " ASOF_TIER_OF("s.id") " = ?)"
        " AND NOT EXISTS (SELECT 1 FROM application x WHERE x.session_id = ? AND x.staff_id = s.id"
        "  AND x.state NOT IN ('cancelled', 'rejected'))"
        " ORDER BY s.staff_no";
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff");
    int64_t *ids = arena_alloc(&a, sizeof(int64_t) * (size_t)(cap + 1));
    int n = 0;
    Stmt *st = db_query(db, sql, as_of, as_of, unit_id, unit_id, tier, nendo, on, on, tier, session_id);
    while (n < cap && db_step(st) == DB_ROW) ids[n++] = db_col_int(st, 0);
    db_done(st);
    char now[32];
    now_iso(now);
    bool ok = !err_any(e);
    for (int i = 0; i < n && ok; i++) {
        bool seat = free_seats(db, session_id) > 0;
        ok = put(db, session_id, ids[i], seat ? "accepted" : "waitlisted", "一括登録", now);
        if (seat) (*added)++;
        else (*waitlisted)++;
    }
    ok = ok && audit_write(db, who, "app.bulk", "training_session", session_id, 0,
                           arena_printf(&a, "一括登録 受講決定%d人 キャンセル待ち%d人（区分%d 組織%lld）", *added, *waitlisted, tier,
                                        (long long)unit_id)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

#define APP_SELECT                                                                                                   \
    "SELECT x.id, x.session_id, x.staff_id, a.unit_id, x.state, x.seq, x.applied_at, x.note, s.staff_no, s.name,"     \
    " CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END, c.title, t.starts_at, x.reason"            \
    " FROM application x JOIN staff s ON s.id = x.staff_id JOIN training_session t ON t.id = x.session_id"             \
    " JOIN course c ON c.id = t.course_id"                                                                             \
    " LEFT JOIN " ASOF_PRIMARY("a", "s.id")                                                                            \
    " LEFT JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id"

static int read_apps(Stmt *st, Arena *a, int cap, Application **out)
{
    Application *rows = arena_zalloc(a, sizeof *rows * (size_t)(cap + 1));
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        Application *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->session_id = db_col_int(st, 1);
        x->staff_id = db_col_int(st, 2);
        x->unit_id = db_col_int(st, 3);
        x->state = app_state_parse(db_col_text(st, 4));
        x->seq = (int)db_col_int(st, 5);
        x->applied_at = db_col_dup(st, 6, a);
        x->note = db_col_dup(st, 7, a);
        x->staff_no = db_col_dup(st, 8, a);
        x->staff_name = db_col_dup(st, 9, a);
        x->unit_name = arena_strdup(a, db_col_text(st, 10));
        x->course_title = db_col_dup(st, 11, a);
        x->starts_at = db_col_dup(st, 12, a);
        x->reason = db_col_dup(st, 13, a);
    }
    db_done(st);
    *out = rows;
    return n;
}

/* The unit shown with an application is the person's unit today. */
int app_list_session(Db *db, Arena *a, int64_t session_id, Application **out)
{
    char today[11];
    now_date(today);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM application WHERE session_id = ?", session_id);
    Stmt *st = db_query(db,
                        APP_SELECT " WHERE x.session_id = ? ORDER BY CASE x.state WHEN 'accepted' THEN 0 WHEN 'waitlisted' THEN 1"
                                   " WHEN 'approved' THEN 2 WHEN 'applied' THEN 3 ELSE 4 END, x.seq",
                        today, today, session_id);
    return read_apps(st, a, cap, out);
}

int app_list_staff(Db *db, Arena *a, int64_t staff_id, Application **out)
{
    char today[11];
    now_date(today);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM application WHERE staff_id = ?", staff_id);
    Stmt *st = db_query(db, APP_SELECT " WHERE x.staff_id = ? ORDER BY t.starts_at DESC", today, today, staff_id);
    return read_apps(st, a, cap, out);
}

int app_list_waiting(Db *db, Arena *a, AppState state, int64_t unit_id, Application **out)
{
    /* unit_id is the viewer's scope root: the people named are those in its
     * subtree today (the 所属長 scope rule), whatever is registered for later. */
    char today[11];
    now_date(today);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM application WHERE state = ?", app_state_code(state));
    Stmt *st = db_query(db, APP_SELECT " WHERE x.state = ? AND " ASOF_VISIBLE("x.staff_id") " ORDER BY t.starts_at, x.seq", today,
                        today, app_state_code(state), unit_id, today, today, unit_id);
    return read_apps(st, a, cap, out);
}

int completion_list_session(Db *db, Arena *a, int64_t session_id, const char *today, SessionCompletion **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM completion WHERE session_id = ?", session_id);
    SessionCompletion *list = arena_zalloc(a, sizeof *list * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT c.staff_id, c.attended, c.score, c.completed, s.staff_no, s.name,"
                        " COALESCE(CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END, '') FROM completion c"
                        " JOIN staff s ON s.id = c.staff_id LEFT JOIN " ASOF_PRIMARY("a", "s.id") " LEFT JOIN org_unit u ON u.id = a.unit_id"
                        " LEFT JOIN org_unit pu ON pu.id = u.parent_id WHERE c.session_id = ? ORDER BY s.staff_no",
                        today, today, session_id);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        SessionCompletion *c = &list[n++];
        c->staff_id = db_col_int(st, 0);
        c->attended = db_col_int(st, 1) != 0;
        c->score = db_col_null(st, 2) ? -1 : (int)db_col_int(st, 2);
        c->completed = db_col_int(st, 3) != 0;
        c->staff_no = db_col_dup(st, 4, a);
        c->name = db_col_dup(st, 5, a);
        c->unit = db_col_dup(st, 6, a);
    }
    db_done(st);
    *out = list;
    return n;
}

int64_t session_for_year(Db *db, int64_t course_id, int nendo, const char *note)
{
    int64_t id = db_int(db, 0, "SELECT id FROM training_session WHERE course_id = ? AND nendo = ? AND cancelled = 0 ORDER BY id LIMIT 1",
                        course_id, nendo);
    if (id) return id;
    char start[32], end[32];
    snprintf(start, sizeof start, "%04d-04-01T00:00", nendo);
    snprintf(end, sizeof end, "%04d-03-31T23:59", nendo + 1);
    return db_int(db, 0,
                  "INSERT INTO training_session (course_id, nendo, starts_at, ends_at, place, capacity, note) VALUES (?, ?, ?, ?, ?, 0, ?)"
                  " RETURNING id",
                  course_id, nendo, start, end, "eラーニング", note);
}
