/* governance.c - the 推進体制: bodies, members, meetings; see governance.h. */
#include "governance.h"

#include <stdio.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "../db/tx.h"

const GovKind gov_kinds[] = {
    {"post", "役職"}, {"hq", "本部"}, {"committee", "委員会"}, {"secretariat", "事務局"}, {"wg", "ワーキンググループ"}, {"other", "その他"},
};
const int gov_nkinds = (int)(sizeof gov_kinds / sizeof gov_kinds[0]);

const char *gov_kind_label(const char *code)
{
    for (int i = 0; code && i < gov_nkinds; i++)
        if (strcmp(gov_kinds[i].code, code) == 0) return gov_kinds[i].label;
    return NULL;
}

enum { NAME_MAX_CHARS = 100, TEXT_MAX_CHARS = 2000, MINUTES_MAX_BYTES = 200000 };

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* ---- reading ---- */

static void read_body(Stmt *st, Arena *a, GovBody *b)
{
    b->id = db_col_int(st, 0);
    b->parent_id = db_col_int(st, 1);
    b->name = db_col_dup(st, 2, a);
    b->kind = db_col_dup(st, 3, a);
    b->purpose = db_col_dup(st, 4, a);
    b->sort_order = (int)db_col_int(st, 5);
    b->from_date = db_col_dup(st, 6, a);
    b->to_date = db_col_null(st, 7) ? "" : db_col_dup(st, 7, a);
}

#define BODY_COLS "SELECT b.id, b.parent_id, b.name, b.kind, b.purpose, b.sort_order, b.from_date, b.to_date FROM gov_body b"

int gov_bodies(Db *db, Arena *a, const char *on, GovBody **out)
{
    Stmt *st = on ? db_query(db, BODY_COLS " WHERE " ASOF_IN_FORCE("b") " ORDER BY b.sort_order, b.id", on, on)
                  : db_query(db, BODY_COLS " ORDER BY b.sort_order, b.id");
    int n = 0, cap = 0;
    GovBody *v = NULL;
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, v, n, cap);
        read_body(st, a, &v[n++]);
    }
    db_done(st);
    *out = v;
    return n;
}

bool gov_body_get(Db *db, Arena *a, int64_t id, GovBody *out)
{
    Stmt *st = db_query(db, BODY_COLS " WHERE b.id = ?", id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_body(st, a, out);
    db_done(st);
    return found;
}

static void read_member(Stmt *st, Arena *a, GovMember *m)
{
    m->id = db_col_int(st, 0);
    m->body_id = db_col_int(st, 1);
    m->role = db_col_dup(st, 2, a);
    m->post = db_col_dup(st, 3, a);
    m->unit_id = db_col_int(st, 4);
    m->unit_name = db_col_null(st, 5) ? "" : db_col_dup(st, 5, a);
    m->staff_id = db_col_int(st, 6);
    m->staff_no = db_col_null(st, 7) ? "" : db_col_dup(st, 7, a);
    m->staff_name = db_col_null(st, 8) ? "" : db_col_dup(st, 8, a);
    m->sort_order = (int)db_col_int(st, 9);
    m->from_date = db_col_dup(st, 10, a);
    m->to_date = db_col_null(st, 11) ? "" : db_col_dup(st, 11, a);
}

#define MEMBER_COLS                                                                                                             \
    "SELECT m.id, m.body_id, m.role, m.post, m.unit_id, u.name, m.staff_id, s.staff_no, s.name, m.sort_order, m.from_date, " \
    "m.to_date FROM gov_member m LEFT JOIN org_unit u ON u.id = m.unit_id LEFT JOIN staff s ON s.id = m.staff_id"

int gov_members(Db *db, Arena *a, int64_t body_id, const char *on, GovMember **out)
{
    Stmt *st;
    if (on)
        st = db_query(db, MEMBER_COLS " WHERE (? = 0 OR m.body_id = ?) AND " ASOF_IN_FORCE("m") " ORDER BY m.body_id, m.sort_order, m.id", body_id,
                      body_id, on, on);
    else st = db_query(db, MEMBER_COLS " WHERE (? = 0 OR m.body_id = ?) ORDER BY m.body_id, m.sort_order, m.id", body_id, body_id);
    int n = 0, cap = 0;
    GovMember *v = NULL;
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, v, n, cap);
        read_member(st, a, &v[n++]);
    }
    db_done(st);
    *out = v;
    return n;
}

bool gov_member_get(Db *db, Arena *a, int64_t id, GovMember *out)
{
    Stmt *st = db_query(db, MEMBER_COLS " WHERE m.id = ?", id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_member(st, a, out);
    db_done(st);
    return found;
}

#define MEETING_COLS                                                                                             \
    "SELECT g.id, g.body_id, g.held_on, g.title, g.minutes, b.name, "                                            \
    "(SELECT COUNT(*) FROM gov_meeting_file f WHERE f.meeting_id = g.id) FROM gov_meeting g JOIN gov_body b ON " \
    "b.id = g.body_id"

static void read_meeting(Stmt *st, Arena *a, GovMeeting *m)
{
    m->id = db_col_int(st, 0);
    m->body_id = db_col_int(st, 1);
    m->held_on = db_col_dup(st, 2, a);
    m->title = db_col_dup(st, 3, a);
    m->minutes = db_col_dup(st, 4, a);
    m->body_name = db_col_dup(st, 5, a);
    m->files = (int)db_col_int(st, 6);
}

int gov_meetings(Db *db, Arena *a, int64_t body_id, int limit, GovMeeting **out)
{
    Stmt *st = db_query(db, MEETING_COLS " WHERE (? = 0 OR g.body_id = ?) ORDER BY g.held_on DESC, g.id DESC", body_id, body_id);
    int n = 0, cap = 0;
    GovMeeting *v = NULL;
    while ((limit <= 0 || n < limit) && db_step(st) == DB_ROW) {
        ARENA_GROW(a, v, n, cap);
        read_meeting(st, a, &v[n++]);
    }
    db_done(st);
    *out = v;
    return n;
}

bool gov_meeting_get(Db *db, Arena *a, int64_t id, GovMeeting *out)
{
    Stmt *st = db_query(db, MEETING_COLS " WHERE g.id = ?", id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_meeting(st, a, out);
    db_done(st);
    return found;
}

int gov_meeting_files(Db *db, Arena *a, int64_t meeting_id, GovFile **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM gov_meeting_file WHERE meeting_id = ?", meeting_id), n = 0;
    GovFile *v = arena_alloc(a, sizeof *v * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT m.id, m.name FROM gov_meeting_file f JOIN media_asset m ON m.id = f.media_id WHERE f.meeting_id = ? ORDER BY m.id",
                        meeting_id);
    while (n < cap && db_step(st) == DB_ROW) {
        v[n].media_id = db_col_int(st, 0);
        v[n++].name = db_col_dup(st, 1, a);
    }
    db_done(st);
    *out = v;
    return n;
}

/* ---- validation helpers ---- */

static const char *trimmed(Arena *a, const char *s) { return text_trim(a, s ? s : ""); }

/* An optional id field: "" is 0; anything else must be a positive number. */
static int64_t opt_id(const char *s, bool *bad)
{
    int64_t v = 0;
    *bad = false;
    if (str_empty(s)) return 0;
    if (!parse_int64(s, &v) || v <= 0) *bad = true;
    return v;
}

static int opt_order(Errors *e, const char *s)
{
    int64_t v = 0;
    if (str_empty(s)) return 0;
    if (!parse_int64(s, &v) || v < 0 || v > 9999) {
        err_add(e, "sort_order", "表示順は0から9999までの整数で入力してください。");
        return 0;
    }
    return (int)v;
}

/* from (required) and to (optional) as ISO dates, to not before from. */
static void check_term(Errors *e, const char *from, const char *to, const char *what)
{
    Date f, t;
    bool fok = date_parse(from, &f);
    if (str_empty(from)) err_addf(e, "from_date", "%sの開始日を入力してください。", what);
    else if (!fok) err_addf(e, "from_date", DATE_UNREADABLE_FMT, from);
    if (!str_empty(to)) {
        if (!date_parse(to, &t)) err_addf(e, "to_date", DATE_UNREADABLE_FMT, to);
        else if (fok && date_cmp(t, f) < 0) err_add(e, "to_date", "終了日は開始日と同じか後の日にしてください。");
    }
}

bool gov_would_loop(Db *db, int64_t id, int64_t parent_id)
{
    if (!id || !parent_id) return false;
    if (id == parent_id) return true;
    return db_exists(db,
                     "WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT g.id FROM gov_body g JOIN sub ON g.parent_id = sub.id)"
                     " SELECT 1 FROM sub WHERE id = ?",
                     id, parent_id);
}

/* ---- bodies ---- */

int64_t gov_body_save(Db *db, const Actor *who, int64_t id, const GovBodyInput *in, Errors *e)
{
    Arena a = ARENA_INIT;
    const char *name = trimmed(&a, in->name), *kind = trimmed(&a, in->kind), *purpose = trimmed(&a, in->purpose);
    const char *from = trimmed(&a, in->from_date), *to = trimmed(&a, in->to_date);
    if (!*name) err_add(e, "name", "名称を入力してください。");
    else if (chars(name) > NAME_MAX_CHARS) err_add(e, "name", "名称は100文字以内で入力してください。");
    if (!gov_kind_label(kind)) err_add(e, "kind", "種類を選んでください。");
    if (chars(purpose) > TEXT_MAX_CHARS) err_add(e, "purpose", "目的・所掌は2000文字以内で入力してください。");
    bool bad;
    int64_t parent = opt_id(in->parent_id, &bad);
    if (bad) err_add(e, "parent_id", "上位の会議体を一覧から選んでください。");
    int order = opt_order(e, in->sort_order);
    check_term(e, from, to, "設置期間");
    int64_t out = -1;
    if (err_any(e) || tx_begin(db, e) != 0) goto done;
    if (id && !db_exists(db, "SELECT 1 FROM gov_body WHERE id = ?", id)) err_add(e, "", "その会議体は見つかりません。");
    if (parent && !db_exists(db, "SELECT 1 FROM gov_body WHERE id = ?", parent)) err_add(e, "parent_id", "上位の会議体が見つかりません。");
    else if (gov_would_loop(db, id, parent)) err_add(e, "parent_id", "自分自身やその下の会議体を上位にはできません。");
    bool ok = !err_any(e);
    if (ok && id) {
        ok = db_exec(db,
                     "UPDATE gov_body SET name = ?, kind = ?, parent_id = ?, purpose = ?, sort_order = ?, from_date = ?, to_date = ? WHERE id = ?",
                     name, kind, DB_ID_OR_NULL(parent), purpose, order, from, *to ? to : NULL, id) == 1;
    } else if (ok) {
        id = db_int(db, 0,
                    "INSERT INTO gov_body (name, kind, parent_id, purpose, sort_order, from_date, to_date) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    name, kind, DB_ID_OR_NULL(parent), purpose, order, from, *to ? to : NULL);
        ok = id > 0;
    }
    char summary[400];
    snprintf(summary, sizeof summary, "%s（%s）%s〜%s", name, gov_kind_label(kind) ? gov_kind_label(kind) : kind, from, to);
    ok = ok && audit_write(db, who, "governance.body.save", "gov_body", id, 0, summary) == 0;
    if (tx_end(db, e, ok) == 0) out = id;
done:
    arena_free(&a);
    return out;
}

int gov_body_delete(Db *db, const Actor *who, int64_t id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char *name = db_text(db, &a, "SELECT name FROM gov_body WHERE id = ?", id);
    if (!name) err_add(e, "", "その会議体は見つかりません。");
    else if (db_exists(db, "SELECT 1 FROM gov_body WHERE parent_id = ?", id))
        err_add(e, "", "下位の会議体があるため削除できません。先に下位の会議体を削除するか、上位を付け替えてください。");
    else if (db_exists(db, "SELECT 1 FROM gov_meeting WHERE body_id = ?", id))
        err_add(e, "", "会議の記録があるため削除できません。廃止する場合は設置期間の終了日を入力してください。");
    bool ok = !err_any(e) && db_exec(db, "DELETE FROM gov_member WHERE body_id = ?", id) >= 0 &&
              db_exec(db, "DELETE FROM gov_body WHERE id = ?", id) == 1 &&
              audit_write(db, who, "governance.body.delete", "gov_body", id, 0, name) == 0;
    int rc = tx_end(db, e, ok);
    arena_free(&a);
    return rc;
}

/* ---- members ---- */

int64_t gov_member_save(Db *db, const Actor *who, int64_t body_id, int64_t id, const GovMemberInput *in, Errors *e)
{
    Arena a = ARENA_INIT;
    const char *role = trimmed(&a, in->role), *post = trimmed(&a, in->post), *from = trimmed(&a, in->from_date), *to = trimmed(&a, in->to_date);
    const char *staff_no = text_code(&a, trimmed(&a, in->staff_no));
    if (!*role) err_add(e, "role", "会議体での役割（本部長、委員など）を入力してください。");
    else if (chars(role) > NAME_MAX_CHARS) err_add(e, "role", "役割は100文字以内で入力してください。");
    if (chars(post) > NAME_MAX_CHARS) err_add(e, "post", "充て職は100文字以内で入力してください。");
    bool bad;
    int64_t unit = opt_id(in->unit_id, &bad);
    if (bad) err_add(e, "unit_id", "組織を一覧から選んでください。");
    int order = opt_order(e, in->sort_order);
    check_term(e, from, to, "任期");
    if (!*post && !unit && !*staff_no && !bad)
        err_add(e, "post", "充て職（「副市長」など）、組織、職員番号のどれかを入力してください。");
    int64_t out = -1;
    if (err_any(e) || tx_begin(db, e) != 0) goto done;
    int64_t staff = 0;
    if (*staff_no) {
        staff = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", staff_no);
        if (!staff) err_addf(e, "staff_no", "職員番号「%s」の職員が見つかりません。", staff_no);
    }
    if (unit && !db_exists(db, "SELECT 1 FROM org_unit WHERE id = ?", unit)) err_add(e, "unit_id", "その組織は見つかりません。");
    if (!db_exists(db, "SELECT 1 FROM gov_body WHERE id = ?", body_id)) err_add(e, "", "その会議体は見つかりません。");
    if (id && !db_exists(db, "SELECT 1 FROM gov_member WHERE id = ? AND body_id = ?", id, body_id)) err_add(e, "", "その構成員は見つかりません。");
    bool ok = !err_any(e);
    if (ok && id) {
        ok = db_exec(db,
                     "UPDATE gov_member SET role = ?, post = ?, unit_id = ?, staff_id = ?, sort_order = ?, from_date = ?, to_date = ? WHERE id = ?",
                     role, post, DB_ID_OR_NULL(unit), DB_ID_OR_NULL(staff), order, from, *to ? to : NULL, id) == 1;
    } else if (ok) {
        id = db_int(db, 0,
                    "INSERT INTO gov_member (body_id, role, post, unit_id, staff_id, sort_order, from_date, to_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " RETURNING id",
                    body_id, role, post, DB_ID_OR_NULL(unit), DB_ID_OR_NULL(staff), order, from, *to ? to : NULL);
        ok = id > 0;
    }
    char summary[400];
    snprintf(summary, sizeof summary, "会議体%lld %s %s %s %s〜%s", (long long)body_id, role, post, staff_no, from, to);
    ok = ok && audit_write(db, who, "governance.member.save", "gov_member", id, staff, summary) == 0;
    if (tx_end(db, e, ok) == 0) out = id;
done:
    arena_free(&a);
    return out;
}

int gov_member_delete(Db *db, const Actor *who, int64_t id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    int64_t staff = db_int(db, 0, "SELECT COALESCE(staff_id, 0) FROM gov_member WHERE id = ?", id);
    char *role = db_text(db, &a, "SELECT role FROM gov_member WHERE id = ?", id);
    if (!role) err_add(e, "", "その構成員は見つかりません。");
    bool ok = !err_any(e) && db_exec(db, "DELETE FROM gov_member WHERE id = ?", id) == 1 &&
              audit_write(db, who, "governance.member.delete", "gov_member", id, staff, role) == 0;
    int rc = tx_end(db, e, ok);
    arena_free(&a);
    return rc;
}

/* ---- meetings ---- */

int64_t gov_meeting_save(Db *db, const Actor *who, int64_t body_id, int64_t id, const GovMeetingInput *in, Errors *e)
{
    Arena a = ARENA_INIT;
    const char *held = trimmed(&a, in->held_on), *title = trimmed(&a, in->title), *minutes = in->minutes ? in->minutes : "";
    Date d;
    if (!*held) err_add(e, "held_on", "開催日を入力してください。");
    else if (!date_parse(held, &d)) err_addf(e, "held_on", DATE_UNREADABLE_FMT, held);
    if (!*title) err_add(e, "title", "件名を入力してください。");
    else if (chars(title) > NAME_MAX_CHARS) err_add(e, "title", "件名は100文字以内で入力してください。");
    if (strlen(minutes) > MINUTES_MAX_BYTES) err_add(e, "minutes", "議事録が長すぎます（20万バイトまで）。");
    int64_t out = -1;
    if (err_any(e) || tx_begin(db, e) != 0) goto done;
    if (!db_exists(db, "SELECT 1 FROM gov_body WHERE id = ?", body_id)) err_add(e, "", "その会議体は見つかりません。");
    if (id && !db_exists(db, "SELECT 1 FROM gov_meeting WHERE id = ? AND body_id = ?", id, body_id)) err_add(e, "", "その会議は見つかりません。");
    bool ok = !err_any(e);
    if (ok && id) ok = db_exec(db, "UPDATE gov_meeting SET held_on = ?, title = ?, minutes = ? WHERE id = ?", held, title, minutes, id) == 1;
    else if (ok) {
        id = db_int(db, 0, "INSERT INTO gov_meeting (body_id, held_on, title, minutes) VALUES (?, ?, ?, ?) RETURNING id", body_id, held, title,
                    minutes);
        ok = id > 0;
    }
    char summary[300];
    snprintf(summary, sizeof summary, "%s %s", held, title);
    ok = ok && audit_write(db, who, "governance.meeting.save", "gov_meeting", id, 0, summary) == 0;
    if (tx_end(db, e, ok) == 0) out = id;
done:
    arena_free(&a);
    return out;
}

int gov_meeting_delete(Db *db, const Actor *who, int64_t id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char *title = db_text(db, &a, "SELECT title FROM gov_meeting WHERE id = ?", id);
    if (!title) err_add(e, "", "その会議は見つかりません。");
    bool ok = !err_any(e) && db_exec(db, "DELETE FROM gov_meeting_file WHERE meeting_id = ?", id) >= 0 &&
              db_exec(db, "DELETE FROM gov_meeting WHERE id = ?", id) == 1 &&
              audit_write(db, who, "governance.meeting.delete", "gov_meeting", id, 0, title) == 0;
    int rc = tx_end(db, e, ok);
    arena_free(&a);
    return rc;
}

int gov_meeting_attach(Db *db, const Actor *who, int64_t meeting_id, int64_t media_id, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    if (!db_exists(db, "SELECT 1 FROM gov_meeting WHERE id = ?", meeting_id)) err_add(e, "", "その会議は見つかりません。");
    if (!db_exists(db, "SELECT 1 FROM media_asset WHERE id = ?", media_id)) err_add(e, "file", "そのファイルは見つかりません。");
    char summary[64];
    snprintf(summary, sizeof summary, "会議%lld ファイル%lld", (long long)meeting_id, (long long)media_id);
    bool ok = !err_any(e) &&
              db_exec(db, "INSERT INTO gov_meeting_file (meeting_id, media_id) VALUES (?, ?) ON CONFLICT (meeting_id, media_id) DO NOTHING", meeting_id,
                      media_id) >= 0 &&
              audit_write(db, who, "governance.meeting.attach", "gov_meeting", meeting_id, 0, summary) == 0;
    return tx_end(db, e, ok);
}
