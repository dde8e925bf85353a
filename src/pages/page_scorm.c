/* page_scorm.c - SCORM 1.2 packages: the upload screen of 事務局, the list of
 * SCORM教材 for a learner, the launch page (the SCO in a frame, with the API
 * adapter assets/scorm.js in the launching page), the state and commit
 * endpoints the adapter calls, and the package files themselves.
 *
 * The package frame. A SCORM 1.2 SCO finds the API by walking up
 * window.parent, which works only when the frame has the launching page's
 * origin, so the frame is sandboxed with "allow-scripts allow-forms
 * allow-same-origin". With allow-same-origin a script in the package could
 * reach the parent document (and remove its own sandbox), so the sandbox does
 * not isolate vendor code from jinzai: what keeps the rest of jinzai safe is
 * that only 事務局 can upload packages (content the city bought and
 * chose to trust), that package files are served only under /scorm/pkg/ with
 * their own Content-Security-Policy (scripts allowed there, framed only by
 * jinzai, no plugins, forms only to jinzai), and that every other page keeps
 * the strict policy, so a package page opened on its own cannot be framed
 * elsewhere and jinzai's pages never run inline script. Full isolation would
 * need a second origin for packages and a postMessage bridge. */
#include <string.h>

#include "../core/util.h"
#include "../domain/course.h"
#include "../domain/scorm.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

static void upload_form(Req *r, Buf *b, const Errors *e, const char *course_sel)
{
    Course *cs;
    int n = course_list(r->db, r->a, true, &cs);
    Option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(n + 1));
    int k = 0;
    opts[k++] = (Option){"", "選んでください"};
    for (int i = 0; i < n; i++)
        if (str_eq(cs[i].format, "elearning")) opts[k++] = (Option){arena_printf(r->a, "%lld", (long long)cs[i].id), arena_printf(r->a, "%s %s", cs[i].code, cs[i].title)};
    html_raw(b, "<section class=\"panel\"><h2>SCORMパッケージを取り込む</h2>"
                "<form method=\"post\" action=\"/scorm\" enctype=\"multipart/form-data\" class=\"stack\" data-once>");
    html_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->user->csrf);
    html_raw(b, "<div class=\"field\"><label for=\"f-file\">SCORM 1.2 のzipファイル <span class=\"req\">必須</span></label>"
                "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\".zip,application/zip\" required aria-describedby=\"h-file\">"
                "<p class=\"hint\" id=\"h-file\">最上位に imsmanifest.xml のあるzip。「..」や絶対パス、リンク、異常な圧縮率のファイルを含むzipは取り込みません。</p></div>");
    field_select(b, e, "course_id", "紐づける研修（eラーニング）", opts, k, course_sel, F_REQUIRED, "修了（passed / completed）はこの研修の今年度の修了として記録します。");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">取り込む</button></div></form></section>\n");
}

static void sco_table(Req *r, Buf *b, ScormSco *v, int n, bool launch)
{
    if (n == 0) {
        html_raw(b, "<p class=\"empty\">SCORM教材はまだありません。</p>\n");
        return;
    }
    html_raw(b, "<table class=\"list\"><thead><tr><th scope=\"col\">研修</th><th scope=\"col\">教材</th><th scope=\"col\">SCO</th>");
    if (launch) html_raw(b, "<th scope=\"col\">学習状況</th>");
    html_raw(b, "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td>%s</td><td>%s</td><td>", v[i].course_title, v[i].package_title);
        if (launch) {
            html_printf(b, "<a href=\"/scorm/sco/%lld\">%s</a></td>", (long long)v[i].id, v[i].title);
            const char *st = r->user->staff_id ? db_text(r->db, r->a, "SELECT lesson_status FROM scorm_attempt WHERE sco_id = ? AND staff_id = ?", v[i].id,
                                                         r->user->staff_id)
                                               : NULL;
            html_printf(b, "<td>%s</td>", st ? st : "未学習");
        } else {
            html_printf(b, "%s</td>", v[i].title);
        }
        html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table>\n");
}

static void render_admin(Req *r, Resp *w, const Errors *e, const char *course_sel)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"SCORM教材", NULL}};
    page_begin(r, w, "SCORM教材の管理", "scorm", crumbs, 2);
    Buf *b = &w->body;
    error_summary(b, e);
    if (str_eq(req_query(r, "msg"), "imported")) html_raw(b, "<div class=\"flash ok\" role=\"status\">SCORMパッケージを取り込みました。</div>\n");
    upload_form(r, b, e, course_sel);
    ScormSco *v;
    int n = scorm_scos_all(r->db, r->a, &v);
    html_raw(b, "<section class=\"panel\"><h2>取り込んだ教材</h2>");
    sco_table(r, b, v, n, false);
    html_raw(b, "</section>\n");
    page_end(r, w);
}

void page_scorm_admin(Req *r, Resp *w) { render_admin(r, w, NULL, NULL); }

void page_scorm_upload(Req *r, Resp *w)
{
    const Upload *file = NULL;
    for (size_t i = 0; i < r->files.n; i++)
        if (str_eq(r->files.items[i].field, "file") && r->files.items[i].len) file = &r->files.items[i];
    const char *course_s = req_form(r, "course_id");
    int64_t course_id = 0;
    Errors e = {0};
    if (!parse_int64(course_s, &course_id) || course_id <= 0) err_add(&e, "course_id", "紐づける研修を選んでください。");
    if (!file) err_add(&e, "file", "zipファイルを選んでください。");
    Actor who;
    page_actor(r, &who);
    int64_t id = err_any(&e) ? -1 : scorm_import(r->db, &who, course_id, file->filename, file->data, file->len, &e);
    if (id > 0) {
        resp_redirect(r, w, "/scorm?msg=imported");
        return;
    }
    render_admin(r, w, &e, course_s);
    w->status = 422;
}

void page_scorm_learn(Req *r, Resp *w)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"SCORM教材", NULL}};
    page_begin(r, w, "SCORM教材", "scorm", crumbs, 2);
    ScormSco *v;
    int n = scorm_scos_all(r->db, r->a, &v);
    html_raw(&w->body, "<p class=\"lead\">教材を開くと、前回の続きから学習できます。修了すると研修の修了として記録されます。</p>\n");
    sco_table(r, &w->body, v, n, true);
    page_end(r, w);
}

void page_scorm_launch(Req *r, Resp *w)
{
    ScormSco sco;
    if (!scorm_sco_get(r->db, r->a, req_param_id(r, 0), &sco)) {
        resp_error(r, w, 404, "教材が見つかりません。");
        return;
    }
    if (!r->user->staff_id) {
        resp_error(r, w, 403, "職員に紐づいたアカウントで開いてください。");
        return;
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t attempt = scorm_attempt_open(r->db, &who, sco.id, r->user->staff_id, &e);
    ScormState s;
    if (attempt <= 0 || !scorm_state(r->db, r->a, attempt, &s)) {
        resp_error(r, w, 500, "教材を開けませんでした。しばらくしてからもう一度お試しください。");
        return;
    }
    Buf state = BUF_INIT;
    scorm_state_json(&state, &s);
    Crumb crumbs[] = {{"ホーム", "/"}, {"SCORM教材", "/scorm/learn"}, {sco.title, NULL}};
    page_begin(r, w, sco.title, "scorm", crumbs, 3);
    Buf *b = &w->body;
    html_printf(b, "<p class=\"lead\">%s（%s）</p>\n", sco.package_title, sco.course_title);
    html_printf(b, "<div id=\"scorm-api\" data-attempt=\"%lld\" data-csrf=\"%s\" data-state=\"%s\"></div>\n", (long long)attempt, r->user->csrf,
                buf_cstr(&state));
    /* Not deferred: window.API must exist before the frame's scripts run. */
    html_printf(b, "<script src=\"%s\"></script>\n", asset_url(r->a, "scorm.js"));
    html_printf(b, "<p id=\"scorm-status\" class=\"muted\" role=\"status\" aria-live=\"polite\"></p>\n"
                   "<iframe id=\"scorm-frame\" class=\"scorm\" title=\"%s\" src=\"/scorm/pkg/%lld/%s\" sandbox=\"allow-scripts allow-forms allow-same-origin\""
                   " width=\"100%%\" height=\"560\"></iframe>\n",
                sco.title, (long long)sco.package_id, sco.href);
    buf_free(&state);
    page_end(r, w);
}

/* The attempt of path parameter 0 when it is the user's own. */
static bool own_attempt(Req *r, Resp *w, ScormState *s)
{
    if (!scorm_state(r->db, r->a, req_param_id(r, 0), s) || s->staff_id != r->user->staff_id || !s->staff_id) {
        w->status = 404;
        w->content_type = "application/json; charset=utf-8";
        buf_puts(&w->body, "{\"ok\":false,\"error\":\"not found\"}");
        return false;
    }
    return true;
}

void page_scorm_state(Req *r, Resp *w)
{
    ScormState s;
    if (!own_attempt(r, w, &s)) return;
    w->content_type = "application/json; charset=utf-8";
    w->status = 200;
    scorm_state_json(&w->body, &s);
}

void page_scorm_commit(Req *r, Resp *w)
{
    ScormState s;
    if (!own_attempt(r, w, &s)) return;
    ScormCommit c = {
        .lesson_status = req_form(r, "cmi.core.lesson_status"),
        .lesson_location = req_form(r, "cmi.core.lesson_location"),
        .suspend_data = req_form(r, "cmi.suspend_data"),
        .score_raw = req_form(r, "cmi.core.score.raw"),
        .score_min = req_form(r, "cmi.core.score.min"),
        .score_max = req_form(r, "cmi.core.score.max"),
        .session_time = req_form(r, "cmi.core.session_time"),
        .exit_mode = req_form(r, "cmi.core.exit"),
        .finish = str_eq(req_form(r, "finish"), "1"),
    };
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    w->content_type = "application/json; charset=utf-8";
    if (scorm_commit(r->db, &who, s.attempt_id, &c, &e) != 0) {
        w->status = 422;
        buf_puts(&w->body, "{\"ok\":false,\"error\":");
        Buf msg = BUF_INIT;
        for (int i = 0; i < e.n; i++) buf_printf(&msg, "%s%s", i ? " " : "", e.items[i].msg);
        buf_putc(&w->body, '"');
        for (const char *p = buf_cstr(&msg); *p; p++) {
            if (*p == '"' || *p == '\\') buf_putc(&w->body, '\\');
            buf_putc(&w->body, *p);
        }
        buf_puts(&w->body, "\"}");
        buf_free(&msg);
        return;
    }
    w->status = 200;
    buf_puts(&w->body, "{\"ok\":true}");
}

void page_scorm_file(Req *r, Resp *w)
{
    int64_t pkg = req_param_id(r, 0);
    const char *path = r->nparams > 1 ? r->params[1] : "";
    const void *data;
    size_t len;
    if (pkg <= 0 || !scorm_file(r->db, r->a, pkg, path, &data, &len)) {
        resp_error(r, w, 404, "教材のファイルが見つかりません。");
        return;
    }
    w->status = 200;
    w->content_type = scorm_mime(path);
    buf_append(&w->body, data, len);
}
