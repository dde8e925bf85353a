/* quiz.c - the question bank, attempts and scoring; see quiz.h. */
#include "quiz.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "module.h"

enum { QUIZ_MAX_DRAW = 100 };

static const char BUSY[] = "データベースが混み合っています。しばらくしてからもう一度お試しください。";

bool quiz_get(Db *db, int64_t course_id, Quiz *out)
{
    Stmt *st = db_query(db, "SELECT draw, pass_percent, max_attempts, time_limit FROM quiz WHERE course_id = ?", course_id);
    bool found = db_step(st) == DB_ROW;
    if (found)
        *out = (Quiz){course_id, (int)db_col_int(st, 0), (int)db_col_int(st, 1), (int)db_col_int(st, 2), (int)db_col_int(st, 3)};
    db_done(st);
    return found;
}

int quiz_save(Db *db, const Actor *who, const Quiz *q, Errors *e)
{
    if (q->draw < 1 || q->draw > QUIZ_MAX_DRAW) err_add(e, "draw", "出題数は1〜100で入力してください。");
    if (q->pass_percent < 0 || q->pass_percent > 100) err_add(e, "pass_percent", "合格点は0〜100（％）で入力してください。");
    if (q->max_attempts < 0) err_add(e, "max_attempts", "受験回数の上限は0（制限なし）以上で入力してください。");
    if (q->time_limit < 0) err_add(e, "time_limit", "制限時間は0（なし）以上の分で入力してください。");
    if (err_any(e)) return -1;
    if (db_begin(db) != 0) return err_add(e, "", BUSY), -1;
    bool ok = db_exec(db,
                      "INSERT INTO quiz (course_id, draw, pass_percent, max_attempts, time_limit) VALUES (?, ?, ?, ?, ?)"
                      " ON CONFLICT (course_id) DO UPDATE SET draw = excluded.draw, pass_percent = excluded.pass_percent,"
                      " max_attempts = excluded.max_attempts, time_limit = excluded.time_limit",
                      q->course_id, q->draw, q->pass_percent, q->max_attempts, q->time_limit) == 1;
    char summary[128];
    snprintf(summary, sizeof summary, "出題%d問 合格%d%% 上限%d回 制限%d分", q->draw, q->pass_percent, q->max_attempts, q->time_limit);
    ok = ok && audit_write(db, who, "quiz.save", "course", q->course_id, 0, summary) == 0;
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    err_add(e, "", "保存できませんでした。もう一度お試しください。");
    return -1;
}

int64_t quiz_question_add(Db *db, const Actor *who, int64_t course_id, const char *kind, const char *text, const char *explanation,
                          const char *const *options, const bool *correct, int nopt, Errors *e)
{
    if (!str_eq(kind, "single") && !str_eq(kind, "multiple") && !str_eq(kind, "truefalse")) err_add(e, "kind", "問題の種類を選んでください。");
    if (str_empty(text)) err_add(e, "text", "問題文を入力してください。");
    int right = 0, filled = 0;
    for (int i = 0; i < nopt; i++)
        if (!str_empty(options[i])) filled++, right += correct[i];
    if (filled < 2 || nopt > QUIZ_MAX_OPTIONS) err_add(e, "options", "選択肢を2〜8個入力してください。");
    else if (right == 0) err_add(e, "options", "正解の選択肢を選んでください。");
    else if (right > 1 && !str_eq(kind, "multiple")) err_add(e, "options", "単一選択・正誤の問題は正解を1つにしてください。");
    if (err_any(e)) return -1;
    if (db_begin(db) != 0) return err_add(e, "", BUSY), -1;
    int64_t id = db_int(db, 0, "INSERT INTO quiz_question (course_id, kind, text, explanation) VALUES (?, ?, ?, ?) RETURNING id", course_id,
                        kind, text, explanation ? explanation : "");
    bool ok = id > 0;
    for (int i = 0, seq = 0; i < nopt && ok; i++)
        if (!str_empty(options[i]))
            ok = db_exec(db, "INSERT INTO quiz_option (question_id, seq, text, correct) VALUES (?, ?, ?, ?)", id, ++seq, options[i],
                         correct[i] ? 1 : 0) == 1;
    char summary[160];
    snprintf(summary, sizeof summary, "問題「%.120s」", text);
    ok = ok && audit_write(db, who, "quiz.question", "quiz_question", id, 0, summary) == 0;
    if (ok && db_commit(db) == 0) return id;
    db_rollback(db);
    err_add(e, "", "保存できませんでした。もう一度お試しください。");
    return -1;
}

int quiz_attempts_used(Db *db, int64_t course_id, int64_t staff_id)
{
    return (int)db_int(db, 0, "SELECT COUNT(*) FROM quiz_attempt WHERE course_id = ? AND staff_id = ?", course_id, staff_id);
}

int64_t quiz_open_attempt(Db *db, int64_t course_id, int64_t staff_id)
{
    return db_int(db, 0,
                  "SELECT id FROM quiz_attempt WHERE course_id = ? AND staff_id = ? AND submitted_at IS NULL"
                  " AND (deadline = 0 OR deadline + ? >= ?) ORDER BY id DESC LIMIT 1",
                  course_id, staff_id, (int64_t)QUIZ_GRACE_SECONDS, now_unix());
}

static uint32_t sodium_rnd(uint32_t n) { return randombytes_uniform(n); }

void quiz_shuffle(int64_t *ids, int n, uint32_t (*rnd)(uint32_t))
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rnd((uint32_t)i + 1);
        int64_t t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
}

int64_t quiz_start(Db *db, const Actor *who, int64_t course_id, int64_t staff_id, Errors *e)
{
    Quiz q;
    if (!quiz_get(db, course_id, &q)) return err_add(e, "", "この研修には確認テストがありません。"), -1;
    int64_t open = quiz_open_attempt(db, course_id, staff_id);
    if (open) return open;
    if (db_int(db, 0, "SELECT COUNT(*) FROM quiz_attempt WHERE course_id = ? AND staff_id = ? AND passed = 1", course_id, staff_id))
        return err_add(e, "", "確認テストにはすでに合格しています。"), -1;
    int used = quiz_attempts_used(db, course_id, staff_id);
    if (q.max_attempts > 0 && used >= q.max_attempts) {
        err_addf(e, "", "受験できる回数（%d回）を使い切りました。事務局にお問い合わせください。", q.max_attempts);
        return -1;
    }
    int64_t bank[1000];
    int nb = 0;
    /* A true/false question is stored negated so that its 正 / 誤 keep their order. */
    Stmt *st = db_query(db, "SELECT id, kind FROM quiz_question WHERE course_id = ? AND active = 1 ORDER BY id", course_id);
    while (nb < 1000 && db_step(st) == DB_ROW) bank[nb++] = str_eq(db_col_text(st, 1), "truefalse") ? -db_col_int(st, 0) : db_col_int(st, 0);
    db_done(st);
    if (nb == 0) return err_add(e, "", "問題がまだ登録されていません。"), -1;
    quiz_shuffle(bank, nb, sodium_rnd);
    int draw = q.draw < nb ? q.draw : nb;
    int64_t now = now_unix();
    if (db_begin(db) != 0) return err_add(e, "", BUSY), -1;
    int64_t id = db_int(db, 0, "INSERT INTO quiz_attempt (course_id, staff_id, started_at, deadline) VALUES (?, ?, ?, ?) RETURNING id", course_id,
                        staff_id, now, q.time_limit > 0 ? now + (int64_t)q.time_limit * 60 : (int64_t)0);
    bool ok = id > 0;
    for (int i = 0; i < draw && ok; i++) {
        bool tf = bank[i] < 0;
        if (tf) bank[i] = -bank[i];
        int64_t opts[QUIZ_MAX_OPTIONS];
        int no = 0;
        st = db_query(db, "SELECT id FROM quiz_option WHERE question_id = ? ORDER BY seq", bank[i]);
        while (no < QUIZ_MAX_OPTIONS && db_step(st) == DB_ROW) opts[no++] = db_col_int(st, 0);
        db_done(st);
        if (!tf) quiz_shuffle(opts, no, sodium_rnd); /* 正 / 誤 keep their order */
        char list[QUIZ_MAX_OPTIONS * 21 + 1] = "";
        size_t len = 0;
        for (int k = 0; k < no; k++) len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld", k ? "," : "", (long long)opts[k]);
        ok = db_exec(db, "INSERT INTO quiz_attempt_item (attempt_id, seq, question_id, options) VALUES (?, ?, ?, ?)", id, i + 1, bank[i], list) == 1;
    }
    ok = ok && audit_write(db, who, "quiz.start", "quiz_attempt", id, staff_id, "確認テストの開始") == 0;
    if (ok && db_commit(db) == 0) return id;
    db_rollback(db);
    err_add(e, "", "開始できませんでした。もう一度お試しください。");
    return -1;
}

static bool has_id(const char *list, int64_t id)
{
    for (const char *p = list; p && *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p) return false;
        if (v == id) return true;
        p = *end == ',' ? end + 1 : end;
    }
    return false;
}

bool quiz_attempt_get(Db *db, Arena *a, int64_t id, QuizAttempt *out)
{
    Stmt *st = db_query(db,
                        "SELECT id, course_id, staff_id, started_at, deadline, submitted_at IS NOT NULL, passed, late, COALESCE(score, 0)"
                        " FROM quiz_attempt WHERE id = ?",
                        id);
    bool found = db_step(st) == DB_ROW;
    if (found)
        *out = (QuizAttempt){.id = db_col_int(st, 0),
                             .course_id = db_col_int(st, 1),
                             .staff_id = db_col_int(st, 2),
                             .started_at = db_col_int(st, 3),
                             .deadline = db_col_int(st, 4),
                             .submitted = db_col_int(st, 5) != 0,
                             .passed = db_col_int(st, 6) != 0,
                             .late = db_col_int(st, 7) != 0,
                             .score = (int)db_col_int(st, 8)};
    db_done(st);
    if (!found) return false;
    int cap = 0;
    out->items = NULL;
    st = db_query(db,
                  "SELECT i.seq, i.question_id, q.kind, q.text, q.explanation, i.options, i.answer, i.correct FROM quiz_attempt_item i"
                  " JOIN quiz_question q ON q.id = i.question_id WHERE i.attempt_id = ? ORDER BY i.seq",
                  id);
    int k = 0;
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, out->items, k, cap);
        QuizItem *it = &out->items[k++];
        memset(it, 0, sizeof *it);
        it->seq = (int)db_col_int(st, 0);
        it->question_id = db_col_int(st, 1);
        it->kind = db_col_dup(st, 2, a);
        it->text = db_col_dup(st, 3, a);
        it->explanation = db_col_dup(st, 4, a);
        const char *opts = db_col_dup(st, 5, a), *answer = db_col_dup(st, 6, a);
        it->correct = db_col_int(st, 7) != 0;
        for (const char *p = opts; *p && it->nopts < QUIZ_MAX_OPTIONS;) {
            char *end;
            long long v = strtoll(p, &end, 10);
            if (end == p) break;
            it->opts[it->nopts++] = (QuizOption){.id = v, .chosen = has_id(answer, v)};
            p = *end == ',' ? end + 1 : end;
        }
    }
    db_done(st);
    out->nitems = k;
    /* Every option of the attempt's questions in one query, matched by id. */
    st = db_query(db,
                  "SELECT o.id, o.text, o.correct FROM quiz_attempt_item i JOIN quiz_option o ON o.question_id = i.question_id"
                  " WHERE i.attempt_id = ?",
                  id);
    while (db_step(st) == DB_ROW) {
        int64_t oid = db_col_int(st, 0);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < out->items[i].nopts; j++) {
                QuizOption *o = &out->items[i].opts[j];
                if (o->id != oid) continue;
                o->text = db_col_dup(st, 1, a);
                o->correct = db_col_int(st, 2) != 0;
            }
    }
    db_done(st);
    for (int i = 0; i < k; i++)
        for (int j = 0; j < out->items[i].nopts; j++)
            if (!out->items[i].opts[j].text) out->items[i].opts[j].text = "";
    return true;
}

bool quiz_same_ids(const char *a, const char *b)
{
    int na = 0, nb = 0;
    for (const char *p = a; p && *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p) return false;
        if (!has_id(b, v)) return false;
        na++;
        p = *end == ',' ? end + 1 : end;
    }
    for (const char *p = b; p && *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p) return false;
        if (!has_id(a, v)) return false;
        nb++;
        p = *end == ',' ? end + 1 : end;
    }
    return na == nb;
}

int quiz_percent(int right, int total) { return total > 0 ? right * 100 / total : 0; }

int quiz_submit(Db *db, const Actor *who, const QuizAttempt *at_, int64_t staff_id, const char *const *answers, int n, Errors *e)
{
    const QuizAttempt at = *at_;
    int rc = -1;
    Quiz q;
    if (at.staff_id != staff_id) {
        err_add(e, "", "この確認テストは見つかりません。");
        goto out;
    }
    if (at.submitted) {
        err_add(e, "", "この回の解答はすでに提出されています。");
        goto out;
    }
    if (!quiz_get(db, at.course_id, &q)) {
        err_add(e, "", "この研修には確認テストがありません。");
        goto out;
    }
    int64_t now = now_unix();
    bool late = at.deadline > 0 && now > at.deadline + QUIZ_GRACE_SECONDS;
    /* Scored before the write transaction, which other writers queue for:
     * inside it only the rows are written. */
    Arena sa = ARENA_INIT;
    const char **kept = arena_alloc(&sa, sizeof *kept * (size_t)(at.nitems + 1));
    bool *good = arena_alloc(&sa, sizeof *good * (size_t)(at.nitems + 1));
    int right = 0;
    for (int i = 0; i < at.nitems; i++) {
        const QuizItem *it = &at.items[i];
        const char *given = i < n && answers[i] ? answers[i] : "";
        /* Only ids of the item's own options count. */
        char k1[QUIZ_MAX_OPTIONS * 21 + 1] = "", want[QUIZ_MAX_OPTIONS * 21 + 1] = "";
        size_t lk = 0, lw = 0;
        for (int k = 0; k < it->nopts; k++) {
            if (has_id(given, it->opts[k].id)) lk += (size_t)snprintf(k1 + lk, sizeof k1 - lk, "%s%lld", lk ? "," : "", (long long)it->opts[k].id);
            if (it->opts[k].correct) lw += (size_t)snprintf(want + lw, sizeof want - lw, "%s%lld", lw ? "," : "", (long long)it->opts[k].id);
        }
        kept[i] = arena_strdup(&sa, k1);
        good[i] = !late && quiz_same_ids(k1, want);
        right += good[i];
    }
    int score = quiz_percent(right, at.nitems);
    bool passed = !late && score >= q.pass_percent;
    char summary[96], day[11];
    snprintf(summary, sizeof summary, "%d点（%s）%s", score, passed ? "合格" : "不合格", late ? " 制限時間超過" : "");
    now_date(day);
    Date d;
    /* Completed already this 年度 (every pass after the first): nothing to
     * complete. A first pass checks again inside the transaction. */
    bool completed = passed && date_parse(day, &d) && module_completed(db, at.course_id, staff_id, nendo_of(d));
    if (db_begin(db) != 0) {
        arena_free(&sa);
        err_add(e, "", BUSY);
        goto out;
    }
    bool ok = true;
    for (int i = 0; i < at.nitems && ok; i++)
        ok = db_exec(db, "UPDATE quiz_attempt_item SET answer = ?, correct = ? WHERE attempt_id = ? AND seq = ?", kept[i], good[i] ? 1 : 0, at.id,
                     at.items[i].seq) == 1;
    arena_free(&sa);
    ok = ok && db_exec(db, "UPDATE quiz_attempt SET submitted_at = ?, score = ?, passed = ?, late = ? WHERE id = ? AND submitted_at IS NULL", now,
                       score, passed ? 1 : 0, late ? 1 : 0, at.id) == 1;
    ok = ok && audit_write(db, who, "quiz.submit", "quiz_attempt", at.id, staff_id, summary) == 0;
    ok = ok && (!passed || completed || module_try_complete(db, who, at.course_id, staff_id, day));
    if (ok && db_commit(db) == 0) rc = 0;
    else {
        db_rollback(db);
        err_add(e, "", "提出できませんでした。もう一度お試しください。");
    }
out:
    return rc;
}

int quiz_stats(Db *db, Arena *a, int64_t course_id, QuizStat **out)
{
    int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM quiz_question WHERE course_id = ?", course_id);
    *out = arena_alloc(a, sizeof **out * (size_t)(n + 1));
    Stmt *st = db_query(db,
                        "SELECT q.id, q.text, COUNT(i.question_id), COALESCE(SUM(i.correct), 0) FROM quiz_question q"
                        " LEFT JOIN quiz_attempt_item i ON i.question_id = q.id"
                        " AND i.attempt_id IN (SELECT id FROM quiz_attempt WHERE submitted_at IS NOT NULL)"
                        " WHERE q.course_id = ? GROUP BY q.id, q.text ORDER BY q.id",
                        course_id);
    int k = 0;
    while (k < n && db_step(st) == DB_ROW)
        (*out)[k++] = (QuizStat){db_col_int(st, 0), db_col_dup(st, 1, a), (int)db_col_int(st, 2), (int)db_col_int(st, 3)};
    db_done(st);
    return k;
}
