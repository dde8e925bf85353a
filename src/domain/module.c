/* module.c - module pages, page views, media and the completion rule; see module.h. */
#include "module.h"
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "quiz.h"

static void read_page(Stmt *st, Arena *a, ModulePage *p)
{
    p->id = db_col_int(st, 0);
    p->course_id = db_col_int(st, 1);
    p->seq = (int)db_col_int(st, 2);
    p->title = db_col_dup(st, 3, a);
    p->body = db_col_dup(st, 4, a);
    p->viewed = db_col_int(st, 5) != 0;
}

int module_pages(Db *db, Arena *a, int64_t course_id, int64_t staff_id, ModulePage **out)
{
    int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM module_page WHERE course_id = ?", course_id);
    *out = arena_alloc(a, sizeof **out * (size_t)(n + 1));
    Stmt *st = db_query(db,
                        "SELECT p.id, p.course_id, p.seq, p.title, p.body,"
                        " (SELECT COUNT(*) FROM module_progress v WHERE v.page_id = p.id AND v.staff_id = ?)"
                        " FROM module_page p WHERE p.course_id = ? ORDER BY p.seq",
                        staff_id, course_id);
    int k = 0;
    while (k < n && db_step(st) == DB_ROW) read_page(st, a, &(*out)[k++]);
    db_done(st);
    return k;
}

bool module_page_get(Db *db, Arena *a, int64_t course_id, int seq, ModulePage *out)
{
    Stmt *st = db_query(db, "SELECT id, course_id, seq, title, body, 0 FROM module_page WHERE course_id = ? AND seq = ?", course_id, seq);
    bool found = db_step(st) == DB_ROW;
    if (found) read_page(st, a, out);
    db_done(st);
    return found;
}

int module_page_save(Db *db, const Actor *who, int64_t course_id, int seq, const char *title, const char *body, Errors *e)
{
    if (!db_int(db, 0, "SELECT COUNT(*) FROM course WHERE id = ? AND format = 'elearning'", course_id))
        err_add(e, "", "eラーニングの研修ではありません。");
    if (str_empty(title)) err_add(e, "title", "ページの見出しを入力してください。");
    if (body && strlen(body) > 200000) err_add(e, "body", "本文が長すぎます（20万文字まで）。");
    if (seq > 0 && !db_int(db, 0, "SELECT COUNT(*) FROM module_page WHERE course_id = ? AND seq = ?", course_id, seq))
        err_add(e, "", "そのページはありません。");
    if (err_any(e)) return -1;
    char at[32];
    now_iso(at);
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。しばらくしてからもう一度お試しください。");
        return -1;
    }
    bool ok;
    int64_t id;
    if (seq > 0) {
        ok = db_exec(db, "UPDATE module_page SET title = ?, body = ?, updated_at = ? WHERE course_id = ? AND seq = ?", title, body ? body : "",
                     at, course_id, seq) == 1;
        id = db_int(db, 0, "SELECT id FROM module_page WHERE course_id = ? AND seq = ?", course_id, seq);
    } else {
        seq = (int)db_int(db, 0, "SELECT COALESCE(MAX(seq), 0) + 1 FROM module_page WHERE course_id = ?", course_id);
        id = db_int(db, 0, "INSERT INTO module_page (course_id, seq, title, body, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id", course_id,
                    seq, title, body ? body : "", at);
        ok = id > 0;
    }
    char summary[160];
    snprintf(summary, sizeof summary, "ページ%d「%.100s」", seq, title);
    ok = ok && audit_write(db, who, "module.page", "module_page", id, 0, summary) == 0;
    if (ok && db_commit(db) == 0) return seq;
    db_rollback(db);
    err_add(e, "", "保存できませんでした。もう一度お試しください。");
    return -1;
}

int module_page_view(Db *db, const Actor *who, int64_t page_id, int64_t staff_id)
{
    int64_t course = db_int(db, 0, "SELECT course_id FROM module_page WHERE id = ?", page_id);
    if (!course || !staff_id) return -1;
    if (db_int(db, 0, "SELECT COUNT(*) FROM module_progress WHERE staff_id = ? AND page_id = ?", staff_id, page_id)) return 0;
    char at[32], day[11];
    now_iso(at);
    now_date(day);
    if (db_begin(db) != 0) return -1;
    bool ok = db_exec(db, "INSERT INTO module_progress (staff_id, page_id, viewed_at) VALUES (?, ?, ?) ON CONFLICT (staff_id, page_id) DO NOTHING",
                      staff_id, page_id, at) >= 0;
    ok = ok && audit_write(db, who, "module.view", "module_page", page_id, staff_id, "ページの閲覧") == 0;
    ok = ok && module_try_complete(db, who, course, staff_id, day);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    return -1;
}

const char *media_type_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } kinds[] = {{".png", "image/png"},   {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
                 {".webp", "image/webp"}, {".pdf", "application/pdf"}, {".mp4", "video/mp4"}, {".webm", "video/webm"},
                 {".mp3", "audio/mpeg"}};
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (!dot) return NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcasecmp(dot, kinds[i].ext) == 0) return kinds[i].type;
    return NULL;
}

int64_t media_save(Db *db, const Actor *who, const char *name, const char *content_type, const void *data, size_t len, Errors *e)
{
    if (!data || len == 0) err_add(e, "file", "ファイルを選んでください。");
    else if (len > MEDIA_MAX_BYTES) err_add(e, "file", "ファイルが大きすぎます（50MBまで）。");
    if (!content_type) err_add(e, "file", "画像（PNG・JPEG・GIF・WebP）、PDF、動画（MP4・WebM）、音声（MP3）のファイルを選んでください。");
    if (err_any(e)) return -1;
    char at[32];
    now_iso(at);
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。しばらくしてからもう一度お試しください。");
        return -1;
    }
    Stmt *st = db_prepare(db, "INSERT INTO media_asset (name, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, content_type);
    db_bind_int(st, 3, (int64_t)len);
    db_bind_blob(st, 4, data, len);
    db_bind_text(st, 5, at);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    char summary[200];
    snprintf(summary, sizeof summary, "%.120s（%zuバイト）", name, len);
    bool ok = id > 0 && audit_write(db, who, "media.upload", "media_asset", id, 0, summary) == 0;
    if (ok && db_commit(db) == 0) return id;
    db_rollback(db);
    err_add(e, "", "保存できませんでした。もう一度お試しください。");
    return -1;
}

bool media_get(Db *db, Arena *a, int64_t id, MediaAsset *out)
{
    Stmt *st = db_query(db, "SELECT id, name, content_type, data FROM media_asset WHERE id = ?", id);
    bool found = db_step(st) == DB_ROW;
    if (found) {
        out->id = db_col_int(st, 0);
        out->name = db_col_dup(st, 1, a);
        out->content_type = db_col_dup(st, 2, a);
        int n = db_col_bytes(st, 3);
        unsigned char *p = arena_alloc(a, (size_t)n + 1);
        if (n > 0) memcpy(p, db_col_blob(st, 3), (size_t)n);
        out->data = p;
        out->size = (size_t)n;
    }
    db_done(st);
    return found;
}

int64_t module_session(Db *db, int64_t course_id, int nendo) { return session_for_year(db, course_id, nendo, "jinzaiのeラーニング（通年）"); }

bool module_completed(Db *db, int64_t course_id, int64_t staff_id, int nendo)
{
    return db_int(db, 0,
                  "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id"
                  " WHERE t.course_id = ? AND t.nendo = ? AND k.staff_id = ? AND k.completed = 1",
                  course_id, nendo, staff_id) > 0;
}

bool module_try_complete(Db *db, const Actor *who, int64_t course_id, int64_t staff_id, const char *day)
{
    Date d;
    if (!date_parse(day, &d)) return false;
    int nendo = nendo_of(d);
    if (module_completed(db, course_id, staff_id, nendo)) return true;
    /* The rule's four facts in one statement: pages, pages read, a quiz, a pass. */
    Stmt *st = db_query(db,
                        "SELECT (SELECT COUNT(*) FROM module_page WHERE course_id = ?),"
                        " (SELECT COUNT(*) FROM module_progress v JOIN module_page p ON p.id = v.page_id WHERE p.course_id = ? AND v.staff_id = ?),"
                        " EXISTS (SELECT 1 FROM quiz WHERE course_id = ?),"
                        " EXISTS (SELECT 1 FROM quiz_attempt WHERE course_id = ? AND staff_id = ? AND passed = 1)",
                        course_id, course_id, staff_id, course_id, course_id, staff_id);
    bool row = db_step(st) == DB_ROW;
    int pages = row ? (int)db_col_int(st, 0) : 0, viewed = row ? (int)db_col_int(st, 1) : 0;
    bool has_quiz = row && db_col_int(st, 2), passed = row && db_col_int(st, 3);
    db_done(st);
    if (!row) return false;
    if ((pages == 0 && !has_quiz) || viewed < pages || (has_quiz && !passed)) return true; /* not yet */
    int64_t session = module_session(db, course_id, nendo);
    if (!session) return false;
    int minutes = (int)db_int(db, 0, "SELECT minutes FROM course WHERE id = ?", course_id);
    int score = (int)db_int(db, -1, "SELECT MAX(score) FROM quiz_attempt WHERE course_id = ? AND staff_id = ? AND passed = 1", course_id, staff_id);
    bool ok = db_exec(db,
                      "INSERT INTO completion (session_id, staff_id, attended, minutes, score, result, completed, recorded_at)"
                      " VALUES (?, ?, 1, ?, NULLIF(?, -1), ?, 1, ?)"
                      " ON CONFLICT (session_id, staff_id) DO UPDATE SET attended = 1, completed = 1, minutes = excluded.minutes,"
                      " score = excluded.score, result = excluded.result, recorded_at = excluded.recorded_at",
                      session, staff_id, minutes, score, "修了（eラーニング）", day) == 1;
    return ok && audit_write(db, who, "module.complete", "training_session", session, staff_id, "eラーニングの修了") == 0;
}
