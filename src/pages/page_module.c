/* page_module.c - an e-learning module: its overview (pages read, quiz,
 * completion), reading a page (CommonMark rendered by cmark with raw HTML
 * dropped), the author's page editor, and uploaded media served with Range
 * support so that video can seek. */
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/audit.h"
#include "../core/util.h"
#include "../domain/course.h"
#include "../domain/module.h"
#include "../domain/quiz.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

static bool is_author(Req *r) { return (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)) != 0; }

/* CommonMark to HTML: CMARK_OPT_DEFAULT without CMARK_OPT_UNSAFE, so raw
 * HTML and javascript: links are dropped by cmark itself. */
static void render_markdown(Buf *b, const char *md)
{
    char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT);
    if (html) buf_puts(b, html);
    free(html);
}

static bool load_module(Req *r, Resp *w, Course *c)
{
    if (!course_get(r->db, r->a, req_param_id(r, 0), c) || !str_eq(c->format, "elearning")) {
        resp_error(r, w, 404, "そのeラーニングは見つかりません。");
        return false;
    }
    return true;
}

void page_module_show(Req *r, Resp *w)
{
    Course c;
    if (!load_module(r, w, &c)) return;
    int64_t me = r->user->staff_id;
    ModulePage *ps;
    int n = module_pages(r->db, r->a, c.id, me, &ps), seen = 0;
    for (int i = 0; i < n; i++) seen += ps[i].viewed;
    Crumb crumbs[] = {{"ホーム", "/"}, {"研修カタログ", "/courses"}, {c.title, NULL}};
    page_begin(r, w, c.title, "courses", crumbs, 3);
    Buf *b = &w->body;
    int nendo = nendo_of(date_today());
    if (me && module_completed(r->db, c.id, me, nendo))
        html_printf(b, "<div class=\"flash ok\" role=\"status\">%sの修了を記録しました。受講履歴に表示されます。</div>\n", page_nendo_name(r, nendo));
    html_printf(b, "<p class=\"lead\">eラーニング（%d分）。すべてのページを読み、確認テストに合格すると修了です。</p>\n", c.minutes);
    html_printf(b, "<h2>ページ（%d / %d 閲覧済み）</h2>\n<ol class=\"module-pages\">\n", seen, n);
    for (int i = 0; i < n; i++)
        html_printf(b, "<li><a href=\"/modules/%lld/pages/%d\">%s</a> %s</li>\n", (long long)c.id, ps[i].seq, ps[i].title,
                    ps[i].viewed ? "<span class=\"badge\">閲覧済み</span>" : "");
    html_raw(b, "</ol>\n");
    Quiz q;
    if (quiz_get(r->db, c.id, &q)) {
        html_printf(b, "<h2>確認テスト</h2>\n<p>%d問（合格点 %d%%", q.draw, q.pass_percent);
        if (q.max_attempts) html_printf(b, "、受験は%d回まで", q.max_attempts);
        if (q.time_limit) html_printf(b, "、制限時間%d分", q.time_limit);
        html_raw(b, "）</p>\n");
        if (me) {
            Stmt *st = db_query(r->db,
                                "SELECT id, score, passed, late FROM quiz_attempt WHERE course_id = ? AND staff_id = ? AND submitted_at IS NOT NULL"
                                " ORDER BY id",
                                c.id, me);
            html_raw(b, "<ul class=\"quiz-attempts\">\n");
            int k = 0;
            while (db_step(st) == DB_ROW)
                html_printf(b, "<li><a href=\"/quiz/attempts/%lld\">%d回目</a> %lld点 %s%s</li>\n", (long long)db_col_int(st, 0), ++k,
                            (long long)db_col_int(st, 1), db_col_int(st, 2) ? "合格" : "不合格", db_col_int(st, 3) ? "（制限時間超過）" : "");
            db_done(st);
            html_raw(b, "</ul>\n");
            form_begin(r, b, arena_printf(r->a, "/modules/%lld/quiz", (long long)c.id), "inline");
            html_raw(b, "<button type=\"submit\" class=\"btn primary\">確認テストを受ける</button>");
            form_end(b);
        }
    }
    if (is_author(r))
        html_printf(b, "<p><a href=\"/modules/%lld/edit\">ページと問題の編集</a>・<a href=\"/modules/%lld/quiz/stats\">問題ごとの正答率</a></p>\n",
                    (long long)c.id, (long long)c.id);
    page_end(r, w);
}

void page_module_page(Req *r, Resp *w)
{
    Course c;
    if (!load_module(r, w, &c)) return;
    int64_t seq = req_param_id(r, 1);
    ModulePage p;
    if (seq <= 0 || seq > 100000 || !module_page_get(r->db, r->a, c.id, (int)seq, &p)) {
        resp_error(r, w, 404, "そのページは見つかりません。");
        return;
    }
    if (r->user->staff_id) {
        Actor who;
        page_actor(r, &who);
        module_page_view(r->db, &who, p.id, r->user->staff_id);
    }
    int n = (int)db_int(r->db, 0, "SELECT COUNT(*) FROM module_page WHERE course_id = ?", c.id);
    const char *back = arena_printf(r->a, "/modules/%lld", (long long)c.id);
    Crumb crumbs[] = {{"ホーム", "/"}, {c.title, back}, {p.title, NULL}};
    page_begin(r, w, p.title, "courses", crumbs, 3);
    Buf *b = &w->body;
    html_raw(b, "<article class=\"module-page\">\n");
    render_markdown(b, p.body);
    html_raw(b, "</article>\n<nav class=\"module-nav\">");
    if (p.seq > 1) html_printf(b, "<a href=\"/modules/%lld/pages/%d\">前のページ</a> ", (long long)c.id, p.seq - 1);
    html_printf(b, "<span>%d / %d</span> ", p.seq, n);
    if (p.seq < n) html_printf(b, "<a class=\"btn primary\" href=\"/modules/%lld/pages/%d\">次のページ</a>", (long long)c.id, p.seq + 1);
    else html_printf(b, "<a class=\"btn primary\" href=\"/modules/%lld\">目次と確認テストへ</a>", (long long)c.id);
    html_raw(b, "</nav>\n");
    page_end(r, w);
}

static void render_edit(Req *r, Resp *w, const Course *c, const Errors *e)
{
    ModulePage *ps;
    int n = module_pages(r->db, r->a, c->id, 0, &ps);
    Crumb crumbs[] = {{"ホーム", "/"}, {c->title, arena_printf(r->a, "/modules/%lld", (long long)c->id)}, {"編集", NULL}};
    page_begin(r, w, "eラーニングの編集", "courses", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    html_raw(b, "<p class=\"lead\">本文はCommonMark（Markdown）で書きます。HTMLは表示されません。画像・PDF・動画はアップロードして、"
                "<code>![説明](/media/番号)</code> や <code>[資料](/media/番号)</code> で参照します。</p>\n");
    for (int i = 0; i < n; i++) {
        html_printf(b, "<details><summary>%d. %s</summary>\n", ps[i].seq, ps[i].title);
        form_begin(r, b, arena_printf(r->a, "/modules/%lld/pages", (long long)c->id), "stack");
        html_printf(b, "<input type=\"hidden\" name=\"seq\" value=\"%d\">", ps[i].seq);
        field_text(b, NULL, "title", "見出し", ps[i].title, F_REQUIRED, NULL);
        field_textarea(b, NULL, "body", "本文（CommonMark）", ps[i].body, 0, NULL);
        html_raw(b, "<button type=\"submit\" class=\"btn\">保存</button>");
        form_end(b);
        html_raw(b, "</details>\n");
    }
    html_raw(b, "<h2>ページの追加</h2>\n");
    form_begin(r, b, arena_printf(r->a, "/modules/%lld/pages", (long long)c->id), "stack");
    field_text(b, e, "title", "見出し", e ? req_form(r, "title") : "", F_REQUIRED, NULL);
    field_textarea(b, e, "body", "本文（CommonMark）", e ? req_form(r, "body") : "", 0, NULL);
    html_raw(b, "<button type=\"submit\" class=\"btn primary\">追加</button>");
    form_end(b);
    html_raw(b, "<h2>画像・PDF・動画のアップロード</h2>\n");
    html_printf(b, "<form method=\"post\" action=\"/media\" enctype=\"multipart/form-data\" class=\"stack\">"
                   "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"back\" value=\"/modules/%lld/edit\">"
                   "<label>ファイル（50MBまで）<input type=\"file\" name=\"file\"></label><button type=\"submit\" class=\"btn\">アップロード</button></form>\n",
                r->user->csrf, (long long)c->id);
    const char *up = req_query(r, "media");
    if (up) html_printf(b, "<p class=\"flash ok\" role=\"status\">アップロードしました：<code>/media/%s</code></p>\n", up);
    page_end(r, w);
}

void page_module_edit(Req *r, Resp *w)
{
    Course c;
    if (!load_module(r, w, &c)) return;
    render_edit(r, w, &c, NULL);
}

void page_module_page_save(Req *r, Resp *w)
{
    Course c;
    if (!load_module(r, w, &c)) return;
    int64_t seq = 0;
    const char *s = req_form(r, "seq");
    if (!str_empty(s) && (!parse_int64(s, &seq) || seq < 0 || seq > 100000)) seq = -1;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (seq >= 0 && module_page_save(r->db, &who, c.id, (int)seq, req_form(r, "title"), req_form(r, "body"), &e) > 0) {
        resp_redirect(r, w, arena_printf(r->a, "/modules/%lld/edit", (long long)c.id));
        return;
    }
    if (!err_any(&e)) err_add(&e, "", "そのページはありません。");
    render_edit(r, w, &c, &e);
    w->status = 422;
}

void page_media_upload(Req *r, Resp *w)
{
    const Upload *f = NULL;
    for (size_t i = 0; i < r->files.n; i++)
        if (str_eq(r->files.items[i].field, "file") && r->files.items[i].len) f = &r->files.items[i];
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t id = media_save(r->db, &who, f ? f->filename : "", f ? media_type_of(f->filename) : NULL, f ? f->data : NULL, f ? f->len : 0, &e);
    if (id <= 0) {
        resp_error(r, w, 422, e.n ? e.items[0].msg : "アップロードできませんでした。");
        return;
    }
    const char *back = page_back(r, "/courses");
    resp_redirect(r, w, arena_printf(r->a, "%s?media=%lld", back, (long long)id));
}

/* Parses "bytes=A-B", "bytes=A-" or "bytes=-N" against size: true with the
 * inclusive range, false when unsatisfiable or malformed. */
static bool parse_range(const char *h, size_t size, size_t *from, size_t *to)
{
    if (strncmp(h, "bytes=", 6) != 0 || size == 0) return false;
    const char *p = h + 6;
    if (strchr(p, ',')) return false; /* one range only */
    char *end;
    if (*p == '-') {
        unsigned long long n = strtoull(p + 1, &end, 10);
        if (end == p + 1 || *end || n == 0) return false;
        *from = n >= size ? 0 : size - (size_t)n;
        *to = size - 1;
        return true;
    }
    if (*p < '0' || *p > '9') return false;
    unsigned long long a = strtoull(p, &end, 10);
    if (*end != '-') return false;
    const char *q = end + 1;
    unsigned long long z = size - 1;
    if (*q) {
        if (*q < '0' || *q > '9') return false;
        z = strtoull(q, &end, 10);
        if (*end) return false;
        if (z >= size) z = size - 1;
    }
    if (a >= size || a > z) return false;
    *from = (size_t)a;
    *to = (size_t)z;
    return true;
}

void page_media(Req *r, Resp *w)
{
    MediaAsset m;
    if (!media_get(r->db, r->a, req_param_id(r, 0), &m)) {
        resp_error(r, w, 404, "そのファイルは見つかりません。");
        return;
    }
    w->content_type = m.content_type;
    w->cache = "private, max-age=3600";
    resp_header(r, w, "Accept-Ranges", "bytes");
    const char *range = req_header(r, "Range");
    if (range) {
        size_t from, to;
        if (!parse_range(range, m.size, &from, &to)) {
            w->status = 416;
            resp_header(r, w, "Content-Range", arena_printf(r->a, "bytes */%zu", m.size));
            return;
        }
        w->status = 206;
        resp_header(r, w, "Content-Range", arena_printf(r->a, "bytes %zu-%zu/%zu", from, to, m.size));
        buf_append(&w->body, m.data + from, to - from + 1);
        return;
    }
    w->status = 200;
    buf_append(&w->body, m.data, m.size);
}
