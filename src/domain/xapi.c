/* xapi.c - xAPI clients, statements and their completions; see xapi.h. */
#include "xapi.h"
#include "training.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "../db/tx.h"

/* ---- clients ---- */

int xapi_client_add(Db *db, const Actor *who, const char *name, char key[33], char secret[65], Errors *e)
{
    if (str_empty(name) || utf8_chars(name) > 100) err_add(e, "name", "クライアント名を100文字以内で入力してください。");
    else if (db_exists(db, "SELECT 1 FROM xapi_client WHERE name = ?", name))
        err_addf(e, "name", "クライアント「%s」はすでにあります。", name);
    if (err_any(e)) return -1;
    char hash[65], now[32];
    random_hex(key, 16);
    random_hex(secret, 32);
    sha256_hex(secret, 64, hash);
    now_iso(now);
    if (tx_begin(db, e) != 0) return -1;
    int64_t id = db_int(db, 0, "INSERT INTO xapi_client (name, api_key, secret_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id", name, key,
                        hash, now);
    bool ok = id > 0 && audit_write(db, who, "xapi.client.add", "xapi_client", id, 0, name) == 0;
    return tx_end(db, e, ok);
}

int xapi_client_list(Db *db, Arena *a, XapiClient **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM xapi_client"), n = 0;
    *out = arena_zalloc(a, sizeof **out * (size_t)(cap + 1));
    Stmt *st = db_query(db, "SELECT c.id, c.name, c.api_key, c.created_at, c.revoked_at,"
                            " (SELECT COUNT(*) FROM xapi_statement s WHERE s.client_id = c.id) FROM xapi_client c ORDER BY c.name");
    while (n < cap && db_step(st) == DB_ROW)
        (*out)[n++] = (XapiClient){db_col_int(st, 0), db_col_dup(st, 1, a), db_col_dup(st, 2, a), db_col_dup(st, 3, a), db_col_dup(st, 4, a),
                                   (int)db_col_int(st, 5)};
    db_done(st);
    return n;
}

int xapi_client_revoke(Db *db, const Actor *who, const char *name, Errors *e)
{
    int64_t id = db_int(db, 0, "SELECT id FROM xapi_client WHERE name = ?", name ? name : "");
    if (!id) {
        err_addf(e, "", "クライアント「%s」はありません。", name ? name : "");
        return -1;
    }
    char now[32];
    now_iso(now);
    if (tx_begin(db, e) != 0) return -1;
    bool ok = db_exec(db, "UPDATE xapi_client SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id) >= 0 &&
              audit_write(db, who, "xapi.client.revoke", "xapi_client", id, 0, name) == 0;
    return tx_end(db, e, ok);
}

int64_t xapi_client_auth(Db *db, Arena *a, const char *key, const char *secret, const char **name)
{
    char hash[65], want[65] = "";
    sha256_hex(secret ? secret : "", secret ? strlen(secret) : 0, hash);
    int64_t id = 0;
    Stmt *st = db_query(db, "SELECT id, secret_hash, name FROM xapi_client WHERE api_key = ? AND revoked_at IS NULL", key ? key : "");
    if (db_step(st) == DB_ROW) {
        id = db_col_int(st, 0);
        snprintf(want, sizeof want, "%s", db_col_text(st, 1));
        *name = db_col_dup(st, 2, a);
    }
    db_done(st);
    bool same = strlen(want) == 64 && sodium_memcmp(hash, want, 64) == 0;
    return same ? id : 0;
}

/* ---- matching and completions ---- */

static bool completion_verb(const char *verb)
{
    return str_eq(verb, XAPI_VERB_COMPLETED) || str_eq(verb, XAPI_VERB_PASSED) || str_eq(verb, XAPI_VERB_FAILED);
}

static int64_t match_staff(Db *db, const char *actor, const char *mbox, const char *account_name)
{
    int64_t id = db_int(db, 0, "SELECT staff_id FROM xapi_actor WHERE actor = ?", actor);
    if (!id && *mbox)
        id = db_int(db, 0, "SELECT staff_id FROM account WHERE staff_id IS NOT NULL AND mail <> '' AND LOWER(mail) = ? ORDER BY id LIMIT 1",
                    mbox + 7);
    if (!id && *account_name) id = db_int(db, 0, "SELECT id FROM staff WHERE LOWER(staff_no) = LOWER(?)", account_name);
    return id;
}

/* Processes one stored statement inside the caller's transaction: a
 * completion when its actor and activity are matched, else it waits.
 * Returns 1 for a completion, 0 when it waits or is no completion verb, -1
 * on a failed write. */
static int process(Db *db, const Actor *who, int64_t row)
{
    Arena a = ARENA_INIT;
    int rc = 0;
    Stmt *st = db_query(db, "SELECT actor, mbox, account_name, verb, activity_id, stamp, COALESCE(score, -1), received_at, statement_id"
                            " FROM xapi_statement WHERE id = ?", row);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return -1;
    }
    const char *actor = db_col_dup(st, 0, &a), *mbox = db_col_dup(st, 1, &a), *acc = db_col_dup(st, 2, &a), *verb = db_col_dup(st, 3, &a);
    const char *activity = db_col_dup(st, 4, &a), *stamp = db_col_dup(st, 5, &a), *received = db_col_dup(st, 7, &a), *sid = db_col_dup(st, 8, &a);
    int score = (int)db_col_int(st, 6);
    db_done(st);
    if (!completion_verb(verb)) goto out;
    int64_t staff = match_staff(db, actor, mbox, acc);
    int64_t course = db_int(db, 0, "SELECT course_id FROM xapi_activity WHERE activity_id = ?", activity);
    if (!staff || !course) goto out;
    Date d;
    if (!date_parse(arena_strndup(&a, *stamp ? stamp : received, 10), &d)) d = date_today();
    int64_t session = session_for_year(db, course, nendo_of(d), "xAPIの受講記録（通年）");
    bool done = !str_eq(verb, XAPI_VERB_FAILED);
    char now[32];
    now_iso(now);
    int64_t minutes = db_int(db, 0, "SELECT minutes FROM course WHERE id = ?", course);
    int64_t cid = session ? db_int(db, 0,
                                   "INSERT INTO completion (session_id, staff_id, attended, minutes, score, completed, recorded_at)"
                                   " VALUES (?, ?, 1, ?, NULLIF(?, -1), ?, ?) ON CONFLICT (session_id, staff_id) DO UPDATE SET attended = 1,"
                                   " minutes = excluded.minutes, score = COALESCE(excluded.score, completion.score),"
                                   " completed = CASE WHEN excluded.completed = 1 THEN 1 ELSE completion.completed END,"
                                   " recorded_at = excluded.recorded_at RETURNING id",
                                   session, staff, minutes, score, done ? 1 : 0, now)
                          : 0;
    bool ok = cid > 0 &&
              db_exec(db, "UPDATE xapi_statement SET state = 'done', staff_id = ?, completion_id = ? WHERE id = ?", staff, cid, row) == 1 &&
              audit_write(db, who, "xapi.completion", "completion", cid, staff,
                          arena_printf(&a, "xAPI %s（%s）", done ? "修了" : "受講（不合格）", sid)) == 0;
    rc = ok ? 1 : -1;
out:
    arena_free(&a);
    return rc;
}

/* Processes every waiting statement (inside the caller's transaction). */
static int process_waiting(Db *db, const Actor *who, int *done)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM xapi_statement WHERE state = 'waiting'"), n = 0;
    int64_t *ids = xcalloc((size_t)cap + 1, sizeof *ids);
    Stmt *st = db_query(db, "SELECT id FROM xapi_statement WHERE state = 'waiting' ORDER BY id");
    while (n < cap && db_step(st) == DB_ROW) ids[n++] = db_col_int(st, 0);
    db_done(st);
    int rc = 0;
    *done = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        int r = process(db, who, ids[i]);
        if (r < 0) rc = -1;
        else *done += r;
    }
    free(ids);
    return rc;
}

/* ---- receiving ---- */

XapiResult xapi_receive(Db *db, Arena *a, int64_t client_id, const char *client_name, const char *body, size_t len, const char *put_id,
                        const char ***ids, int *nids, char *msg, size_t msgn)
{
    *ids = NULL;
    *nids = 0;
    XapiStatement *st;
    int n = xapi_parse(a, body, len, &st, msg, msgn);
    if (n < 0) return XAPI_INVALID;
    if (put_id) {
        if (!xapi_uuid_ok(put_id)) {
            snprintf(msg, msgn, "statementId must be a UUID");
            return XAPI_INVALID;
        }
        if (n != 1 || body[strspn(body, " \t\r\n")] == '[') {
            snprintf(msg, msgn, "PUT takes one statement");
            return XAPI_INVALID;
        }
        char *low = arena_strdup(a, put_id);
        for (char *p = low; *p; p++)
            if (*p >= 'A' && *p <= 'F') *p = (char)(*p - 'A' + 'a');
        if (*st->id && strcmp(st->id, low) != 0) {
            snprintf(msg, msgn, "the statement's id does not match statementId");
            return XAPI_INVALID;
        }
        st->id = low;
    }
    const char **out = arena_alloc(a, sizeof *out * (size_t)n);
    Actor who = {0, arena_printf(a, "xapi:%s", client_name), ""};
    if (db_begin(db) != 0) {
        snprintf(msg, msgn, "the database is busy");
        return XAPI_FAILED;
    }
    char now[32];
    now_iso(now);
    XapiResult res = XAPI_STORED;
    for (int i = 0; i < n && res == XAPI_STORED; i++) {
        if (!*st[i].id) {
            char fresh[37];
            xapi_uuid_new(fresh);
            st[i].id = arena_strdup(a, fresh);
        }
        out[i] = st[i].id;
        char *old = db_text(db, a, "SELECT canonical FROM xapi_statement WHERE statement_id = ?", st[i].id);
        if (old) {
            if (strcmp(old, st[i].canonical) != 0) {
                snprintf(msg, msgn, "statement %s is already stored with different content", st[i].id);
                res = XAPI_CONFLICT;
            }
            continue;
        }
        const char *state = completion_verb(st[i].verb) ? "waiting" : "other";
        int64_t row = db_int(db, 0,
                             "INSERT INTO xapi_statement (statement_id, client_id, raw, canonical, actor, mbox, account_name, verb, activity_id,"
                             " stamp, score, received_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, -1), ?, ?) RETURNING id",
                             st[i].id, client_id, st[i].raw, st[i].canonical, st[i].actor, st[i].mbox, st[i].account, st[i].verb,
                             st[i].activity, st[i].timestamp, st[i].score, now, state);
        bool ok = row > 0 && audit_write(db, &who, "xapi.statement", "xapi_statement", row, 0, arena_printf(a, "%s %s", st[i].verb, st[i].id)) == 0 &&
                  process(db, &who, row) >= 0;
        if (!ok) {
            snprintf(msg, msgn, "the statement could not be stored");
            res = XAPI_FAILED;
        }
    }
    if (res == XAPI_STORED && db_commit(db) == 0) {
        *ids = out;
        *nids = n;
        return res;
    }
    db_rollback(db);
    if (res == XAPI_STORED) {
        snprintf(msg, msgn, "the statements could not be stored");
        res = XAPI_FAILED;
    }
    return res;
}

/* ---- 事務局's screens ---- */

int xapi_waiting(Db *db, Arena *a, int limit, XapiWaiting **out)
{
    *out = arena_zalloc(a, sizeof **out * (size_t)(limit + 1));
    int n = 0;
    Stmt *st = db_query(db,
                        "SELECT s.id, s.statement_id, s.received_at, s.stamp, c.name, s.actor, s.verb, s.activity_id,"
                        " (SELECT COUNT(*) FROM xapi_activity m WHERE m.activity_id = s.activity_id), s.mbox, s.account_name"
                        " FROM xapi_statement s JOIN xapi_client c ON c.id = s.client_id WHERE s.state = 'waiting' ORDER BY s.id LIMIT ?",
                        limit);
    const char **mbox = arena_zalloc(a, sizeof *mbox * (size_t)(limit + 1)), **acc = arena_zalloc(a, sizeof *acc * (size_t)(limit + 1));
    while (n < limit && db_step(st) == DB_ROW) {
        mbox[n] = db_col_dup(st, 9, a);
        acc[n] = db_col_dup(st, 10, a);
        (*out)[n++] = (XapiWaiting){db_col_int(st, 0), db_col_dup(st, 1, a), db_col_dup(st, 2, a), db_col_dup(st, 3, a), db_col_dup(st, 4, a),
                                    db_col_dup(st, 5, a), db_col_dup(st, 6, a), db_col_dup(st, 7, a), false, db_col_int(st, 8) > 0};
    }
    db_done(st);
    for (int i = 0; i < n; i++) (*out)[i].staff_known = match_staff(db, (*out)[i].actor, mbox[i], acc[i]) != 0;
    return n;
}

int xapi_activities(Db *db, Arena *a, XapiActivity **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM xapi_activity"), n = 0;
    *out = arena_zalloc(a, sizeof **out * (size_t)(cap + 1));
    Stmt *st = db_query(db, "SELECT m.activity_id, c.code, c.title FROM xapi_activity m JOIN course c ON c.id = m.course_id ORDER BY m.activity_id");
    while (n < cap && db_step(st) == DB_ROW) (*out)[n++] = (XapiActivity){db_col_dup(st, 0, a), db_col_dup(st, 1, a), db_col_dup(st, 2, a)};
    db_done(st);
    return n;
}

int xapi_map_actor(Db *db, const Actor *who, const char *actor, const char *staff_no, int *done, Errors *e)
{
    *done = 0;
    if (str_empty(actor)) err_add(e, "actor", "対応づける受講者（xAPIのactor）を選んでください。");
    int64_t staff = str_empty(staff_no) ? 0 : db_int(db, 0, "SELECT id FROM staff WHERE LOWER(staff_no) = LOWER(?)", staff_no);
    if (str_empty(staff_no)) err_add(e, "staff_no", "職員番号を入力してください。");
    else if (!staff) err_addf(e, "staff_no", "職員番号「%s」の職員はいません。", staff_no);
    if (err_any(e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    bool ok = db_exec(db, "INSERT INTO xapi_actor (actor, staff_id) VALUES (?, ?) ON CONFLICT (actor) DO UPDATE SET staff_id = excluded.staff_id",
                      actor, staff) == 1 &&
              audit_write(db, who, "xapi.map.actor", "xapi_actor", 0, staff, actor) == 0 && process_waiting(db, who, done) == 0;
    return tx_end(db, e, ok);
}

int xapi_map_activity(Db *db, const Actor *who, const char *activity_id, const char *course_code, int *done, Errors *e)
{
    *done = 0;
    if (str_empty(activity_id) || !strchr(activity_id, ':')) err_add(e, "activity_id", "アクティビティID（IRI）を入力してください。");
    int64_t course = str_empty(course_code) ? 0 : db_int(db, 0, "SELECT id FROM course WHERE code = ?", course_code);
    if (str_empty(course_code)) err_add(e, "course", "研修コードを入力してください。");
    else if (!course) err_addf(e, "course", "研修コード「%s」の研修はありません。", course_code);
    if (err_any(e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    bool ok = db_exec(db,
                      "INSERT INTO xapi_activity (activity_id, course_id) VALUES (?, ?)"
                      " ON CONFLICT (activity_id) DO UPDATE SET course_id = excluded.course_id",
                      activity_id, course) == 1 &&
              audit_write(db, who, "xapi.map.activity", "xapi_activity", course, 0, activity_id) == 0 && process_waiting(db, who, done) == 0;
    return tx_end(db, e, ok);
}
