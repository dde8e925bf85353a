/* notice.c - see notice.h. */
#include "notice.h"

#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "settings.h"
#include "training.h"
#include "../db/tx.h"

char *notice_mail_subject(Arena *a, const char *title) { return arena_printf(a, "[人材育成] %s", title); }

char *notice_mail_body(Db *db, Arena *a, const char *name, const char *body, const char *link)
{
    const char *base = setting_get(db, a, "mail_base_url", "http://localhost:8080");
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/') bl--;
    return arena_printf(a,
                        "%s 様\n\n%s\n\n次のページで確認してください。\n%.*s%s\n\n"
                        "-- \n%s 人材育成システム\nこのメールは送信専用です。返信はできません。\n",
                        name && *name ? name : "ご担当者", body, (int)bl, base, link, settings_city(db, a));
}

int notice_put(Db *db, int64_t account_id, const char *kind, bool required, const char *title, const char *body, const char *link)
{
    char now[32];
    now_iso(now);
    Stmt *st = db_query(db,
                        "INSERT INTO notice (account_id, kind, title, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                        account_id, kind, title, body, link, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (!id) return -1;
    Arena a = ARENA_INIT;
    st = db_query(db,
                  "SELECT ac.mail, ac.mail_optional, COALESCE(s.name, ac.login) FROM account ac LEFT JOIN staff s ON s.id = ac.staff_id"
                  " WHERE ac.id = ? AND ac.active = 1",
                  account_id);
    char *mail = NULL, *name = NULL;
    bool wants = false;
    if (db_step(st) == DB_ROW) {
        mail = db_col_dup(st, 0, &a);
        wants = db_col_int(st, 1) != 0;
        name = db_col_dup(st, 2, &a);
    }
    db_done(st);
    int rc = 0;
    if (!str_empty(mail) && (wants || required)) {
        if (db_exec(db,
                    "INSERT INTO outbox (notice_id, to_addr, subject, body, link, created_at, next_try_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    id, mail, notice_mail_subject(&a, title), notice_mail_body(db, &a, name, body, link), link, now, now_unix()) != 1)
            rc = -1;
    }
    arena_free(&a);
    return rc;
}

/* Every active account of a person. */
static int to_staff(Db *db, int64_t staff_id, const char *kind, bool required, const char *title, const char *body, const char *link)
{
    int64_t ids[8];
    int n = 0;
    Stmt *st = db_query(db, "SELECT id FROM account WHERE staff_id = ? AND active = 1 ORDER BY id", staff_id);
    while (n < 8 && db_step(st) == DB_ROW) ids[n++] = db_col_int(st, 0);
    db_done(st);
    for (int i = 0; i < n; i++)
        if (notice_put(db, ids[i], kind, required, title, body, link) != 0) return -1;
    return 0;
}

int notice_managers(Db *db, int64_t unit_id, int64_t *ids, int max)
{
    char today[11];
    now_date(today);
    for (int depth = 0; unit_id && depth < 8; depth++) {
        int n = 0;
        Stmt *st = db_query(db,
                            "SELECT ac.id FROM account ac WHERE ac.active = 1 AND (ac.roles & 2) <> 0 AND ac.staff_id IS NOT NULL"
                            " AND " ASOF_UNIT_OF("ac.staff_id") " = ? ORDER BY ac.id",
                            today, today, unit_id);
        while (n < max && db_step(st) == DB_ROW) ids[n++] = db_col_int(st, 0);
        db_done(st);
        if (n > 0) return n;
        unit_id = db_int(db, 0, "SELECT parent_id FROM org_unit WHERE id = ?", unit_id);
    }
    return 0;
}

static int to_managers(Db *db, int64_t unit_id, const char *kind, const char *title, const char *body, const char *link)
{
    int64_t ids[16];
    int n = notice_managers(db, unit_id, ids, 16);
    for (int i = 0; i < n; i++)
        if (notice_put(db, ids[i], kind, true, title, body, link) != 0) return -1;
    return 0;
}

typedef struct AppInfo {
    int64_t staff_id, unit_id, session_id;
    const char *name, *title, *starts_at, *state;
} AppInfo;

static bool app_info(Db *db, Arena *a, int64_t app_id, AppInfo *x)
{
    char today[11];
    now_date(today);
    Stmt *st = db_query(db,
                        "SELECT ap.staff_id, " ASOF_UNIT_OF("ap.staff_id") ", ap.session_id, s.name, c.title, ts.starts_at, ap.state"
                        " FROM application ap JOIN staff s ON s.id = ap.staff_id JOIN training_session ts ON ts.id = ap.session_id"
                        " JOIN course c ON c.id = ts.course_id WHERE ap.id = ?",
                        today, today, app_id);
    bool found = db_step(st) == DB_ROW;
    if (found) {
        x->staff_id = db_col_int(st, 0);
        x->unit_id = db_col_int(st, 1);
        x->session_id = db_col_int(st, 2);
        x->name = db_col_dup(st, 3, a);
        x->title = db_col_dup(st, 4, a);
        x->starts_at = db_col_dup(st, 5, a);
        x->state = db_col_dup(st, 6, a);
    }
    db_done(st);
    return found;
}

/* "2026-10-05T13:30" as "2026-10-05 13:30". */
static const char *when(Arena *a, const char *t)
{
    char *s = arena_strdup(a, t ? t : "");
    char *p = strchr(s, 'T');
    if (p) *p = ' ';
    return s;
}

static int session_event(Db *db, Arena *a, NoticeKind kind, int64_t session_id)
{
    Stmt *st = db_query(db,
                        "SELECT c.title, ts.starts_at, ts.place FROM training_session ts JOIN course c ON c.id = ts.course_id WHERE ts.id = ?",
                        session_id);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return 0;
    }
    const char *title = db_col_dup(st, 0, a), *starts = when(a, db_col_text(st, 1)), *place = db_col_dup(st, 2, a);
    db_done(st);
    int64_t staff[512];
    int n = 0;
    st = db_query(db,
                  "SELECT staff_id FROM application WHERE session_id = ? AND state IN ('applied', 'approved', 'accepted', 'waitlisted')"
                  " ORDER BY seq",
                  session_id);
    while (n < 512 && db_step(st) == DB_ROW) staff[n++] = db_col_int(st, 0);
    db_done(st);
    bool cancel = kind == NK_SESSION_CANCELLED;
    const char *t = arena_printf(a, cancel ? "研修の開催中止：%s" : "研修の日程・会場の変更：%s", title);
    const char *b = cancel ? arena_printf(a, "お申込みの研修「%s」（%s）は開催中止になりました。お申込みは取り消されました。", title, starts)
                           : arena_printf(a, "お申込みの研修「%s」の内容が変更されました。\n日時：%s\n会場：%s", title, starts,
                                          *place ? place : "（未定）");
    for (int i = 0; i < n; i++)
        if (to_staff(db, staff[i], cancel ? "session_cancelled" : "session_changed", false, t, b, "/training") != 0) return -1;
    return 0;
}

int notice_event(Db *db, NoticeKind kind, int64_t ref_id)
{
    Arena a = ARENA_INIT;
    int rc = 0;
    switch (kind) {
    case NK_ASSESS_RETURNED:
    case NK_ASSESS_CONFIRMED: {
        Stmt *st = db_query(db, "SELECT staff_id, nendo, return_message FROM assessment WHERE id = ?", ref_id);
        if (db_step(st) == DB_ROW) {
            int64_t staff_id = db_col_int(st, 0);
            int nendo = (int)db_col_int(st, 1);
            const char *msg = db_col_dup(st, 2, &a);
            db_done(st);
            if (kind == NK_ASSESS_RETURNED)
                rc = to_staff(db, staff_id, "assess_returned", false, arena_printf(&a, "自己評価が差し戻されました（%d年度）", nendo),
                              arena_printf(&a, "%d年度の自己評価が上司から差し戻されました。\n理由：%s\n内容を見直して、もう一度提出してください。",
                                           nendo, msg ? msg : ""),
                              "/assess");
            else
                rc = to_staff(db, staff_id, "assess_confirmed", false, arena_printf(&a, "自己評価が確認されました（%d年度）", nendo),
                              arena_printf(&a, "%d年度の自己評価を上司が確認しました。確認結果を見ることができます。", nendo), "/assess");
        } else
            db_done(st);
        break;
    }
    case NK_APPROVAL_REQUESTED:
    case NK_APPROVAL_DECIDED:
    case NK_WAITLIST_PROMOTED: {
        AppInfo x;
        if (!app_info(db, &a, ref_id, &x)) break;
        const char *starts = when(&a, x.starts_at);
        if (kind == NK_APPROVAL_REQUESTED) {
            if (strcmp(x.state, "applied") != 0) break;
            rc = to_managers(db, x.unit_id, "approval_requested", arena_printf(&a, "研修申込の承認依頼：%s さん", x.name),
                             arena_printf(&a, "%s さんから研修「%s」（%s）への申込がありました。承認または不承認を選んでください。", x.name,
                                          x.title, starts),
                             "/training/approvals");
        } else if (kind == NK_WAITLIST_PROMOTED) {
            rc = to_staff(db, x.staff_id, "waitlist_promoted", false, arena_printf(&a, "受講決定（繰り上げ）：%s", x.title),
                          arena_printf(&a, "キャンセル待ちだった研修「%s」（%s）は、空きが出たため受講決定になりました。", x.title, starts),
                          "/training");
        } else {
            const char *state = app_state_name(app_state_parse(x.state));
            rc = to_staff(db, x.staff_id, "approval_decided", false, arena_printf(&a, "研修申込の結果：%s（%s）", x.title, state),
                          arena_printf(&a, "研修「%s」（%s）へのお申込みは「%s」になりました。", x.title, starts, state), "/training");
        }
        break;
    }
    case NK_SESSION_CHANGED:
    case NK_SESSION_CANCELLED:
        rc = session_event(db, &a, kind, ref_id);
        break;
    }
    arena_free(&a);
    return rc;
}

int notice_unread_count(Db *db, int64_t account_id)
{
    return (int)db_int(db, 0, "SELECT COUNT(*) FROM notice WHERE account_id = ? AND read_at IS NULL", account_id);
}

int notice_list(Db *db, Arena *a, int64_t account_id, int limit, Notice **out)
{
    Notice *rows = arena_alloc(a, sizeof *rows * (size_t)(limit + 1));
    Stmt *st = db_query(db,
                        "SELECT id, kind, title, body, link, created_at, read_at FROM notice WHERE account_id = ?"
                        " ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT ?",
                        account_id, limit);
    int n = 0;
    while (n < limit && db_step(st) == DB_ROW) {
        Notice *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->kind = db_col_dup(st, 1, a);
        x->title = db_col_dup(st, 2, a);
        x->body = db_col_dup(st, 3, a);
        x->link = db_col_dup(st, 4, a);
        x->created_at = db_col_dup(st, 5, a);
        x->read_at = db_col_dup(st, 6, a);
    }
    db_done(st);
    *out = rows;
    return n;
}

int notice_mark_read(Db *db, const Actor *who, int64_t account_id, int64_t notice_id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    char now[32];
    now_iso(now);
    int changed = notice_id
                      ? db_exec(db, "UPDATE notice SET read_at = ? WHERE id = ? AND account_id = ? AND read_at IS NULL", now, notice_id, account_id)
                      : db_exec(db, "UPDATE notice SET read_at = ? WHERE account_id = ? AND read_at IS NULL", now, account_id);
    if (notice_id && changed == 0 && !db_exists(db, "SELECT 1 FROM notice WHERE id = ? AND account_id = ?", notice_id, account_id))
        err_add(e, "", "お知らせが見つかりません。");
    Arena a = ARENA_INIT;
    bool ok = changed >= 0 && !err_any(e) &&
              (changed == 0 || audit_write(db, who, "notice.read", "notice", notice_id, 0, arena_printf(&a, "既読 %d件", changed)) == 0);
    arena_free(&a);
    return tx_end(db, e, ok);
}

int outbox_failed(Db *db, Arena *a, int limit, OutboxRow **out)
{
    OutboxRow *rows = arena_alloc(a, sizeof *rows * (size_t)(limit + 1));
    Stmt *st = db_query(db,
                        "SELECT id, to_addr, subject, body, created_at, sent_at, failed_at, last_error, attempts, next_try_at FROM outbox"
                        " WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT ?",
                        limit);
    int n = 0;
    while (n < limit && db_step(st) == DB_ROW) {
        OutboxRow *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->to_addr = db_col_dup(st, 1, a);
        x->subject = db_col_dup(st, 2, a);
        x->body = db_col_dup(st, 3, a);
        x->created_at = db_col_dup(st, 4, a);
        x->sent_at = db_col_dup(st, 5, a);
        x->failed_at = db_col_dup(st, 6, a);
        x->last_error = db_col_dup(st, 7, a);
        x->attempts = (int)db_col_int(st, 8);
        x->next_try_at = db_col_int(st, 9);
    }
    db_done(st);
    *out = rows;
    return n;
}
