/* page_quiz.c - a module's quiz: starting an attempt, answering it, the
 * review with explanations, and for authors the settings, the question bank
 * and the share of correct answers per question. */
#include <stdio.h>
#include <string.h>

#include "../db/audit.h"
#include "../core/util.h"
#include "../domain/course.h"
#include "../domain/module.h"
#include "../domain/quiz.h"
#include "../html/layout.h"
#include "pages.h"

static const char *kind_name(const char *k)
{
    return str_eq(k, "multiple") ? "複数選択（当てはまるものをすべて選ぶ）" : str_eq(k, "truefalse") ? "正誤" : "単一選択";
}

static void start_error(Req *r, Resp *w, int64_t course, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"eラーニング", arena_printf(r->a, "/modules/%lld", (long long)course)}, {"確認テスト", NULL}};
    page_begin(r, w, "確認テスト", "courses", crumbs, 3);
    error_summary(&w->body, e);
    html_printf(&w->body, "<p><a href=\"/modules/%lld\">eラーニングの目次へ戻る</a></p>\n", (long long)course);
    page_end(r, w);
    w->status = 422;
}

void page_quiz_start(Req *r, Resp *w)
{
    int64_t course = req_param_id(r, 0);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t id = r->user->staff_id ? quiz_start(r->db, &who, course, r->user->staff_id, &e) : -1;
    if (id > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/quiz/attempts/%lld", (long long)id));
        return;
    }
    if (!err_any(&e)) err_add(&e, "", "職員として登録されたアカウントで受験してください。");
    start_error(r, w, course, &e);
}

static bool load_attempt(Req *r, Resp *w, QuizAttempt *at)
{
    if (!quiz_attempt_get(r->db, r->a, req_param_id(r, 0), at) || at->staff_id != r->user->staff_id) {
        resp_error(r, w, 404, "その確認テストは見つかりません。");
        return false;
    }
    return true;
}

static void render_attempt(Req *r, Resp *w, const QuizAttempt *at, const Errors *e)
{
    Quiz q = {0};
    quiz_get(r->db, at->course_id, &q);
    Crumb crumbs[] = {{"ホーム", "/"}, {"eラーニング", arena_printf(r->a, "/modules/%lld", (long long)at->course_id)}, {"確認テスト", NULL}};
    page_begin(r, w, "確認テスト", "courses", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    if (at->submitted) {
        if (at->late) html_raw(b, "<div class=\"flash error\" role=\"alert\">制限時間を過ぎてから提出されたため、不合格（0点）として記録しました。</div>\n");
        html_printf(b, "<p class=\"lead quiz-result\">%d点（合格点 %d%%）：<strong>%s</strong></p>\n", at->score, q.pass_percent, at->passed ? "合格" : "不合格");
        if (at->passed) html_printf(b, "<p><a href=\"/modules/%lld\">目次で修了の記録を確認する</a></p>\n", (long long)at->course_id);
        for (int i = 0; i < at->nitems; i++) {
            const QuizItem *it = &at->items[i];
            html_printf(b, "<section class=\"quiz-item %s\"><h2>問%d <span class=\"badge\">%s</span></h2><p>%s</p><ul>", it->correct ? "right" : "wrong",
                        it->seq, it->correct ? "正解" : "不正解", it->text);
            for (int k = 0; k < it->nopts; k++)
                html_printf(b, "<li>%s%s%s</li>", it->opts[k].text, it->opts[k].chosen ? " ← あなたの解答" : "", it->opts[k].correct ? "（正答）" : "");
            html_printf(b, "</ul><p class=\"explanation\">解説：%s</p></section>\n", it->explanation);
        }
        html_printf(b, "<p><a href=\"/modules/%lld\">eラーニングの目次へ戻る</a></p>\n", (long long)at->course_id);
        page_end(r, w);
        return;
    }
    if (at->deadline) {
        char when[32];
        snprintf(when, sizeof when, "%lld", (long long)((at->deadline - at->started_at) / 60));
        html_printf(b, "<p class=\"lead\">制限時間は%s分です。時間を過ぎてから提出した解答は採点されません。</p>\n", when);
    }
    form_begin(r, b, arena_printf(r->a, "/quiz/attempts/%lld", (long long)at->id), "stack quiz");
    for (int i = 0; i < at->nitems; i++) {
        const QuizItem *it = &at->items[i];
        bool multi = str_eq(it->kind, "multiple");
        html_printf(b, "<fieldset class=\"quiz-item\"><legend>問%d（%s）</legend><p>%s</p>\n", it->seq, kind_name(it->kind), it->text);
        for (int k = 0; k < it->nopts; k++) {
            if (multi)
                html_printf(b, "<label><input type=\"checkbox\" name=\"a%d_%lld\" value=\"1\"> %s</label>\n", it->seq, (long long)it->opts[k].id, it->opts[k].text);
            else
                html_printf(b, "<label><input type=\"radio\" name=\"a%d\" value=\"%lld\"> %s</label>\n", it->seq, (long long)it->opts[k].id, it->opts[k].text);
        }
        html_raw(b, "</fieldset>\n");
    }
    html_raw(b, "<button type=\"submit\" class=\"btn primary\">解答を提出する</button>");
    form_end(b);
    page_end(r, w);
}

void page_quiz_attempt(Req *r, Resp *w)
{
    QuizAttempt at;
    if (!load_attempt(r, w, &at)) return;
    render_attempt(r, w, &at, NULL);
}

void page_quiz_submit(Req *r, Resp *w)
{
    QuizAttempt at;
    if (!load_attempt(r, w, &at)) return;
    const char **answers = arena_alloc(r->a, sizeof *answers * (size_t)(at.nitems + 1));
    for (int i = 0; i < at.nitems; i++) {
        const QuizItem *it = &at.items[i];
        Buf ids = BUF_INIT;
        const char *radio = req_form(r, arena_printf(r->a, "a%d", it->seq));
        for (int k = 0; k < it->nopts; k++) {
            char own[24];
            snprintf(own, sizeof own, "%lld", (long long)it->opts[k].id);
            bool chosen = str_eq(radio, own) || req_form(r, arena_printf(r->a, "a%d_%lld", it->seq, (long long)it->opts[k].id)) != NULL;
            if (chosen) buf_printf(&ids, "%s%s", ids.len ? "," : "", own);
        }
        answers[i] = arena_strdup(r->a, ids.len ? buf_cstr(&ids) : "");
        buf_free(&ids);
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (quiz_submit(r->db, &who, &at, r->user->staff_id, answers, at.nitems, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/quiz/attempts/%lld", (long long)at.id));
        return;
    }
    quiz_attempt_get(r->db, r->a, at.id, &at);
    render_attempt(r, w, &at, &e);
    w->status = 422;
}

static void render_stats(Req *r, Resp *w, const Course *c, const Errors *e)
{
    Quiz q = {.course_id = c->id, .draw = 10, .pass_percent = 80};
    quiz_get(r->db, c->id, &q);
    QuizStat *qs;
    int n = quiz_stats(r->db, r->a, c->id, &qs);
    Crumb crumbs[] = {{"ホーム", "/"}, {c->title, arena_printf(r->a, "/modules/%lld", (long long)c->id)}, {"確認テスト", NULL}};
    page_begin(r, w, "確認テストの設定と正答率", "courses", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    form_begin(r, b, arena_printf(r->a, "/modules/%lld/quiz/settings", (long long)c->id), "stack");
    field_text(b, e, "draw", "出題数（問題バンクから無作為に）", arena_printf(r->a, "%d", q.draw), F_REQUIRED | F_NARROW, NULL);
    field_text(b, e, "pass_percent", "合格点（％）", arena_printf(r->a, "%d", q.pass_percent), F_REQUIRED | F_NARROW, NULL);
    field_text(b, e, "max_attempts", "受験回数の上限（0：制限なし）", arena_printf(r->a, "%d", q.max_attempts), F_NARROW, NULL);
    field_text(b, e, "time_limit", "制限時間（分、0：なし）", arena_printf(r->a, "%d", q.time_limit), F_NARROW, NULL);
    html_raw(b, "<button type=\"submit\" class=\"btn\">設定を保存</button>");
    form_end(b);
    html_printf(b, "<h2>問題ごとの正答率（%d問）</h2>\n<table class=\"data\"><thead><tr><th>問題</th><th>出題</th><th>正答</th><th>正答率</th></tr></thead><tbody>\n", n);
    for (int i = 0; i < n; i++)
        html_printf(b, "<tr><td>%s</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%s</td></tr>\n", qs[i].text, qs[i].asked,
                    qs[i].right, qs[i].asked ? arena_printf(r->a, "%d%%", qs[i].right * 100 / qs[i].asked) : "－");
    html_raw(b, "</tbody></table>\n<h2>問題の追加</h2>\n");
    form_begin(r, b, arena_printf(r->a, "/modules/%lld/questions", (long long)c->id), "stack");
    static const Option kinds[] = {{"single", "単一選択"}, {"multiple", "複数選択"}, {"truefalse", "正誤"}};
    field_select(b, e, "kind", "種類", kinds, 3, e ? req_form(r, "kind") : "single", 0, NULL);
    field_textarea(b, e, "text", "問題文", e ? req_form(r, "text") : "", F_REQUIRED, NULL);
    for (int k = 1; k <= 5; k++) {
        html_printf(b, "<p><label>選択肢%d <input type=\"text\" name=\"o%d\"></label> <label><input type=\"checkbox\" name=\"c%d\" value=\"1\"> 正解</label></p>\n", k, k, k);
    }
    field_textarea(b, e, "explanation", "解説", e ? req_form(r, "explanation") : "", 0, NULL);
    html_raw(b, "<button type=\"submit\" class=\"btn primary\">問題を追加</button>");
    form_end(b);
    page_end(r, w);
}

static bool load_course(Req *r, Resp *w, Course *c)
{
    if (!course_get(r->db, r->a, req_param_id(r, 0), c) || !str_eq(c->format, "elearning")) {
        resp_error(r, w, 404, "そのeラーニングは見つかりません。");
        return false;
    }
    return true;
}

void page_quiz_stats(Req *r, Resp *w)
{
    Course c;
    if (load_course(r, w, &c)) render_stats(r, w, &c, NULL);
}

static int form_int(Req *r, const char *name, int dflt)
{
    int64_t v;
    const char *s = req_form(r, name);
    if (str_empty(s)) return dflt;
    return parse_int64(s, &v) && v >= -1 && v <= 100000 ? (int)v : -1;
}

void page_quiz_settings(Req *r, Resp *w)
{
    Course c;
    if (!load_course(r, w, &c)) return;
    Quiz q = {c.id, form_int(r, "draw", -1), form_int(r, "pass_percent", -1), form_int(r, "max_attempts", 0), form_int(r, "time_limit", 0)};
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (quiz_save(r->db, &who, &q, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/modules/%lld/quiz/stats", (long long)c.id));
        return;
    }
    render_stats(r, w, &c, &e);
    w->status = 422;
}

void page_quiz_question_add(Req *r, Resp *w)
{
    Course c;
    if (!load_course(r, w, &c)) return;
    const char *opts[5];
    bool correct[5];
    for (int k = 0; k < 5; k++) {
        opts[k] = req_form(r, arena_printf(r->a, "o%d", k + 1));
        correct[k] = req_form(r, arena_printf(r->a, "c%d", k + 1)) != NULL;
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (quiz_question_add(r->db, &who, c.id, req_form(r, "kind"), req_form(r, "text"), req_form(r, "explanation"), opts, correct, 5, &e) > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/modules/%lld/quiz/stats", (long long)c.id));
        return;
    }
    render_stats(r, w, &c, &e);
    w->status = 422;
}
