/* page_training.c - わたしの研修 (申込状況, おすすめの研修, 受講履歴 with the
 * 復命書 of external courses, 職場還元), a person's and a unit's 受講履歴, and
 * the queues of the 所属長承認 and the 事務局決定.
 *
 * The rules live in training.h; this file checks who may act on whom, parses
 * the forms and lays the results out. A POST comes back to the page it was
 * sent from (the form's `back`, a local path) and says in ?result= what
 * became of the application, so a decision that ends on the waitlist says so. */
#include <stdlib.h>
#include <string.h>

#include "../db/audit.h"
#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/course.h"
#include "../domain/org.h"
#include "../domain/staff.h"
#include "../domain/tier.h"
#include "../domain/completion.h"
#include "../domain/training.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "page_audit.h"
#include "pages.h"

/* Which form of わたしの研修 is shown again with its errors. */
enum { FORM_NONE, FORM_REPORT, FORM_SHAREBACK };


static double round1(double x) { return (double)(long long)(x * 10 + 0.5) / 10; }

/* A session's start "YYYY-MM-DDTHH:MM" as 和暦 date and time. */
static void html_when(Req *r, Buf *b, const char *at)
{
    if (str_empty(at)) return;
    html_date(b, arena_strndup(r->a, at, 10));
    if (strlen(at) >= 16) html_printf(b, " %.5s", at + 11);
}

/* The form's `back` when it is a path on this site, else dflt. */
static const char *back_to(Req *r, const char *dflt)
{
    const char *b = page_back(r, NULL);
    return b && !strchr(b, '#') ? b : dflt; /* a fragment would swallow the ?msg= added after it */
}

static const char *with_param(Req *r, const char *path, const char *param)
{
    return arena_printf(r->a, "%s%c%s", path, strchr(path, '?') ? '&' : '?', param);
}

/* Writes t as an HTML table. A cell holding an ISO date shows in 和暦; the
 * cells of column link_col link to links[row] when links is given. */
static void table_html(Buf *b, const Table *t, const char *caption, int link_col, const char *const *links)
{
    int rows = table_rows(t);
    html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>%s</caption><thead><tr>", caption);
    for (int c = 0; c < t->ncols; c++)
        html_printf(b, "<th scope=\"col\"%s>%s</th>", rows && !t->cells[c].text ? " class=num" : "", t->head[c]);
    html_raw(b, "</tr></thead><tbody>\n");
    for (int i = 0; i < t->ncells; i++) {
        const TableCell *cell = &t->cells[i];
        int row = i / t->ncols, col = i % t->ncols;
        Date d;
        if (!col) html_raw(b, "<tr>");
        if (!cell->text) html_printf(b, cell->num == (double)(long long)cell->num ? "<td class=\"num\">%.0f</td>" : "<td class=\"num\">%.1f</td>", cell->num);
        else if (date_parse(cell->text, &d)) {
            html_raw(b, "<td>");
            html_date(b, cell->text);
            html_raw(b, "</td>");
        } else if (links && col == link_col) html_printf(b, "<td><a href=\"%s\">%s</a></td>", links[row], cell->text);
        else html_printf(b, "<td>%s</td>", cell->text);
        if (col == t->ncols - 1) html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
}

static void state_badge(Buf *b, AppState s)
{
    static const char *const cls[] = {"badge", "badge tier2", "flag ok", "flag warn", "badge muted", "flag bad"};
    html_printf(b, "<span class=\"%s\">%s</span>", cls[s], app_state_name(s));
}

/* What became of an application, after the redirect (?result=CODE). */
static void result_flash(Req *r, Buf *b)
{
    static const char *const text[] = {
        "申し込みました。所属長の承認を待っています。",
        "承認しました。研修事務局の決定を待っています。",
        "受講決定にしました。",
        "定員に達しているため、キャンセル待ちになりました。取消が出ると申込順に繰り上がります。",
        "申込を取り消しました。",
        "不承認にしました。",
    };
    int64_t k, m;
    if (str_eq(req_query(r, "bulk"), "accept") && parse_int64(req_query(r, "accepted"), &k) && parse_int64(req_query(r, "waitlisted"), &m))
        html_printf(b, "<div class=\"flash ok\" role=\"status\">まとめて決定しました：受講決定 %lld件、キャンセル待ち %lld件。</div>\n", (long long)k,
                    (long long)m);
    if (str_eq(req_query(r, "bulk"), "reject") && parse_int64(req_query(r, "rejected"), &k))
        html_printf(b, "<div class=\"flash ok\" role=\"status\">まとめて不承認にしました：%lld件。</div>\n", (long long)k);
    const char *q = req_query(r, "result");
    if (str_empty(q) || !str_eq(app_state_code(app_state_parse(q)), q)) return;
    html_printf(b, "<div class=\"flash ok\" role=\"status\">%s</div>\n", text[app_state_parse(q)]);
}

typedef struct OpButton {
    const char *op, *label, *cls;
} OpButton;

/* A small form of buttons that POST op to action and come back here; about
 * names the application for screen readers. */
static void op_form(Req *r, Buf *b, const char *action, const OpButton *ops, int n, const char *about)
{
    form_begin(r, b, action, "inline");
    html_printf(b, "<input type=\"hidden\" name=\"back\" value=\"%s\">", r->path);
    for (int i = 0; i < n; i++) /* 不承認 carries its reason, which the applicant sees */
        if (str_eq(ops[i].op, "reject"))
            html_printf(b, "<input type=\"text\" name=\"reason\" class=\"narrow\" maxlength=\"200\" placeholder=\"不承認の理由\" aria-label=\"不承認の理由：%s\"> ",
                        about);
    for (int i = 0; i < n; i++)
        html_printf(b, "%s<button type=\"submit\" class=\"btn small %s\" name=\"op\" value=\"%s\" aria-label=\"%s：%s\">%s</button>",
                    i ? " " : "", ops[i].cls, ops[i].op, ops[i].label, about, ops[i].label);
    form_end(b);
}

/* ---- 受講履歴 and 職場還元, shared by the personal and unit screens ---- */

static bool needs_report(const TranscriptRow *x) { return x->external && x->attended && str_empty(x->report_on); }

static void transcript_table(Req *r, Table *t, const TranscriptRow *rows, int n, bool with_staff)
{
    static const char *const head[] = {"職員番号", "氏名", "所属", "研修", "実施主体", "日付", "時間", "出欠", "修了", "復命書", NULL};
    table_init(t, r->a, "受講履歴", with_staff ? head : head + 3);
    for (int i = 0; i < n; i++) {
        const TranscriptRow *x = &rows[i];
        if (with_staff) {
            table_text(t, x->staff_no);
            table_text(t, x->staff_name);
            table_text(t, x->unit_name);
        }
        table_text(t, x->course_title);
        table_text(t, provider_name(x->provider));
        table_text(t, arena_strndup(r->a, x->starts_at ? x->starts_at : "", 10));
        table_num(t, round1(x->minutes / 60.0));
        table_text(t, x->attended ? "出席" : "欠席");
        table_text(t, x->completed ? "修了" : "未修了");
        table_text(t, !x->external ? "不要" : !str_empty(x->report_on) ? x->report_on : x->attended ? "未提出" : "－");
    }
}

/* The transcript as a table: names link to a person's 受講履歴 (unit view),
 * courses to their session (personal view). */
static void transcript_html(Req *r, Buf *b, const Table *t, const TranscriptRow *rows, int n, bool with_staff)
{
    if (!n) {
        html_raw(b, "<p class=\"empty\">受講の記録はありません。</p>\n");
        return;
    }
    const char **links = arena_alloc(r->a, sizeof *links * (size_t)n);
    for (int i = 0; i < n; i++)
        links[i] = with_staff ? arena_printf(r->a, "/staff/%lld/training", (long long)rows[i].staff_id)
                              : arena_printf(r->a, "/sessions/%lld", (long long)rows[i].session_id);
    table_html(b, t, "受講履歴（新しい順）", with_staff ? 1 : 0, links);
}

static void shareback_html(Req *r, Buf *b, int64_t staff_id)
{
    ShareBack *sb;
    int n = shareback_list(r->db, r->a, staff_id, 0, &sb);
    if (!n) {
        html_raw(b, "<p class=\"empty\">職場還元の記録はまだありません。</p>\n");
        return;
    }
    static const char *const head[] = {"実施日", "もとになった研修", "対象", "参加人数", "内容", "資料", NULL};
    Table t;
    table_init(&t, r->a, "職場還元", head);
    for (int i = 0; i < n; i++) {
        table_text(&t, sb[i].held_on);
        table_text(&t, sb[i].course_title ? sb[i].course_title : "");
        table_text(&t, sb[i].audience);
        table_int(&t, sb[i].attendees);
        table_text(&t, sb[i].content);
        table_text(&t, sb[i].materials);
    }
    table_html(b, &t, "職場還元の記録（新しい順）", -1, NULL);
}

/* ---- わたしの研修 ---- */

static void my_applications(Req *r, Buf *b, int64_t me)
{
    Application *ap;
    int n = app_list_staff(r->db, r->a, me, &ap);
    html_raw(b, "<section class=\"panel\" id=\"applications\"><h2>申込状況</h2>");
    if (!n) {
        html_raw(b, "<p class=\"empty\">申し込んだ研修はありません。<a href=\"/sessions\">研修日程</a>から申し込めます。</p></section>\n");
        return;
    }
    char now[32];
    now_iso(now);
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>申し込んだ研修（開催日の新しい順）</caption><thead><tr>"
                "<th scope=\"col\">研修</th><th scope=\"col\">日時</th><th scope=\"col\">申込日</th><th scope=\"col\">状態</th>"
                "<th scope=\"col\">操作</th></tr></thead><tbody>\n");
    static const OpButton cancel[] = {{"cancel", "取消", ""}};
    for (int i = 0; i < n; i++) {
        const Application *x = &ap[i];
        html_printf(b, "<tr><td><a href=\"/sessions/%lld\">%s</a></td><td>", (long long)x->session_id, x->course_title);
        html_when(r, b, x->starts_at);
        html_raw(b, "</td><td>");
        html_date(b, arena_strndup(r->a, x->applied_at, 10));
        html_raw(b, "</td><td>");
        state_badge(b, x->state);
        if (x->state == AP_REJECTED && !str_empty(x->reason)) html_printf(b, "<br><span class=\"muted\">理由：%s</span>", x->reason);
        else if (x->state == AP_CANCELLED && strncmp(x->note, "退職等", strlen("退職等")) == 0) html_printf(b, "<br><span class=\"muted\">%s</span>", x->note);
        html_raw(b, "</td><td>");
        if (x->state <= AP_WAITLISTED && strcmp(x->starts_at, now) > 0)
            op_form(r, b, arena_printf(r->a, "/applications/%lld/cancel", (long long)x->id), cancel, 1, x->course_title);
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div></section>\n");
}

static void my_recommendations(Req *r, Buf *b, int64_t me)
{
    SkillMap m;
    skill_map_load(r->db, r->a, r->nendo, false, &m);
    Recommendation *rec;
    int n = recommend_person(r->db, r->a, &m, me, r->nendo, &rec);
    html_raw(b, "<section class=\"panel\" id=\"recommend\"><h2>おすすめの研修</h2>"
                "<p>スキルの評価が目標レベルに届いていない項目を伸ばす研修です。研修名から今後の日程を確認して申し込めます。</p>\n");
    if (!n) {
        html_raw(b, "<p class=\"empty\">目標に届いていない項目に対応する研修はありません。</p></section>\n");
        return;
    }
    html_raw(b, "<ul class=\"recommend\">");
    for (int i = 0; i < n; i++)
        html_printf(b, "<li><a href=\"/courses/%lld\">%s</a>（%s）<br><span class=\"muted\">対応する項目：%s</span></li>", (long long)rec[i].course_id,
                    rec[i].title, provider_name(rec[i].provider), rec[i].items);
    html_raw(b, "</ul></section>\n");
}

/* The 復命書 form for one external course attended without it: the one asked
 * for (?report= or the POST that failed), else the first. */
static void report_form(Req *r, Buf *b, const TranscriptRow *rows, int n, int64_t want, const Errors *e)
{
    const TranscriptRow *pick = NULL;
    int pending = 0;
    for (int i = 0; i < n; i++) {
        if (!needs_report(&rows[i])) continue;
        pending++;
        if (!pick || rows[i].completion_id == want) pick = &rows[i];
    }
    if (!pick) return;
    html_raw(b, "<h3 id=\"report\">復命書の提出</h3><p>外部の研修は、復命書を提出すると修了になります。</p>\n");
    if (pending > 1) {
        html_raw(b, "<p>復命書が未提出の研修：</p><ul>");
        for (int i = 0; i < n; i++)
            if (needs_report(&rows[i]))
                html_printf(b, "<li><a href=\"/training?report=%lld#report\"%s>%s</a></li>", (long long)rows[i].completion_id,
                            &rows[i] == pick ? " aria-current=true" : "", rows[i].course_title);
        html_raw(b, "</ul>");
    }
    html_printf(b, "<p>対象：<strong>%s</strong>（", pick->course_title);
    html_when(r, b, pick->starts_at);
    html_raw(b, "）</p>");
    form_begin(r, b, arena_printf(r->a, "/completions/%lld/report", (long long)pick->completion_id), "stack");
    html_raw(b, "<input type=\"hidden\" name=\"back\" value=\"/training\">");
    field_text(b, e, "report_on", "提出日", e ? req_form(r, "report_on") : page_today(r), F_REQUIRED | F_NARROW, "例：2026-11-30 または 令和8年11月30日");
    field_textarea(b, e, "report", "復命の内容", e ? req_form(r, "report") : "", F_REQUIRED, "学んだこと、職場で生かすことを書きます。");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">復命書を提出</button></div>");
    form_end(b);
}

static void shareback_form(Req *r, Buf *b, const TranscriptRow *rows, int n, const Errors *e)
{
    Option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(n + 1));
    int k = 0;
    opts[k++] = (Option){"", "（選ばない）"};
    for (int i = 0; i < n; i++) {
        if (!rows[i].attended) continue;
        Buf d = BUF_INIT;
        wareki_date_iso(&d, arena_strndup(r->a, rows[i].starts_at, 10));
        opts[k++] = (Option){arena_printf(r->a, "%lld", (long long)rows[i].session_id), arena_printf(r->a, "%s（%s）", rows[i].course_title, buf_cstr(&d))};
        buf_free(&d);
    }
    bool typed = e != NULL;
    html_raw(b, "<h3>職場還元を記録する</h3>");
    form_begin(r, b, "/training/shareback", "stack");
    html_raw(b, "<input type=\"hidden\" name=\"back\" value=\"/training\">");
    field_text(b, e, "held_on", "実施日", typed ? req_form(r, "held_on") : page_today(r), F_REQUIRED | F_NARROW, "例：2026-12-01 または 令和8年12月1日");
    field_select(b, e, "session_id", "もとになった研修", opts, k, typed ? req_form(r, "session_id") : "", 0, "受講した研修から選べます。");
    field_text(b, e, "audience", "対象", typed ? req_form(r, "audience") : "", 0, "例：福祉課 全職員、〇〇係");
    field_text(b, e, "attendees", "参加人数", typed ? req_form(r, "attendees") : "", F_NARROW, "0〜1000の数字で入力します。");
    field_textarea(b, e, "content", "内容", typed ? req_form(r, "content") : "", F_REQUIRED, "伝達研修や共有会で伝えたこと、職場で始めたことなど。");
    field_text(b, e, "materials", "資料", typed ? req_form(r, "materials") : "", 0, "資料の名前や共有フォルダの場所など。");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">職場還元を記録</button></div>");
    form_end(b);
}

static void render_me(Req *r, Resp *w, const Errors *e, int failed, int64_t report_id)
{
    int64_t me = r->user->staff_id;
    if (!me) {
        resp_error(r, w, 404, "このアカウントには職員情報が結び付けられていないため、研修の記録はありません。");
        return;
    }
    Staff s = {0};
    staff_get(r->db, r->a, me, page_today(r), r->nendo, &s);
    Crumb crumbs[] = {{"ホーム", "/"}, {"わたしの研修", NULL}};
    page_begin(r, w, "わたしの研修", "training", crumbs, 2);
    Buf *b = &w->body;
    result_flash(r, b);
    error_summary(b, e);
    html_raw(b, "<p class=\"lead\">研修の申込状況、おすすめの研修、受講履歴と職場還元の記録をまとめて確認できます。</p>\n"
                "<div class=\"toolbar\"><a class=\"btn primary\" href=\"/sessions\">研修日程から申し込む</a> "
                "<a class=\"btn\" href=\"/courses\">研修カタログ</a> "
                "<a class=\"btn\" href=\"/certificates\">修了証</a></div>\n");
    my_applications(r, b, me);
    my_recommendations(r, b, me);

    TranscriptRow *rows;
    int n = transcript_list(r->db, r->a, me, 0, 0, 0, &rows);
    Table t;
    transcript_table(r, &t, rows, n, false);
    html_raw(b, "<section class=\"panel\" id=\"history\"><h2>受講履歴</h2>");
    transcript_html(r, b, &t, rows, n, false);
    if (!report_id) {
        int64_t v;
        report_id = parse_int64(req_query(r, "report"), &v) ? v : 0;
    }
    report_form(r, b, rows, n, report_id, failed == FORM_REPORT ? e : NULL);
    html_raw(b, "</section>\n<section class=\"panel\" id=\"shareback\"><h2>職場還元</h2>");
    html_printf(b, "<p>%s研修で学んだことを職場に還元（伝達研修・共有会・手順書づくりなど）したら、ここに記録します。"
                   "②DX推進リーダーには、研修の後に職場還元をすることが期待されています（人材育成・確保基本方針 IV）。</p>\n",
                s.tier == 2 ? "あなたは②DX推進リーダーです。" : "");
    shareback_html(r, b, me);
    shareback_form(r, b, rows, n, failed == FORM_SHAREBACK ? e : NULL);
    html_raw(b, "</section>\n");
    page_end(r, w);
}

void page_training_me(Req *r, Resp *w) { render_me(r, w, NULL, FORM_NONE, 0); }

/* ---- a person's 受講履歴 ---- */

static void render_transcript(Req *r, Resp *w, const Staff *sp, bool self);

void page_training_staff(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    if (id && !scope_staff(r->db, r->user, id)) {
        resp_error(r, w, 403, "この職員の受講履歴を見る権限がありません。");
        return;
    }
    Staff s;
    if (!id || !staff_get(r->db, r->a, id, page_today(r), r->nendo, &s)) {
        resp_error(r, w, 404, "その職員は見つかりません。");
        return;
    }
    bool self = id == r->user->staff_id;
    if (!self && !page_read_begin(r, w)) return;
    render_transcript(r, w, &s, self);
    if (!self) page_read_end(r, w, page_wants_export(r) ? "training.export" : "training.view", "staff", id, id, "受講履歴の閲覧");
}

static void render_transcript(Req *r, Resp *w, const Staff *sp, bool self)
{
    const Staff s = *sp;
    int64_t id = s.id;
    TranscriptRow *rows;
    int n = transcript_list(r->db, r->a, id, 0, 0, 0, &rows);
    Table t;
    transcript_table(r, &t, rows, n, false);
    if (page_send_table(r, w, &t, arena_printf(r->a, "受講履歴_%s", s.staff_no))) return;
    Crumb crumbs[] = {{"ホーム", "/"}, {self ? "わたしの研修" : "職員", self ? "/training" : "/staff"},
                      {s.name, arena_printf(r->a, "/staff/%lld", (long long)id)}, {"受講履歴", NULL}};
    page_begin(r, w, arena_printf(r->a, "%sさんの受講履歴", s.name), self ? "training" : "staff", crumbs, 4);
    Buf *b = &w->body;
    html_printf(b, "<dl class=\"props\"><dt>職員番号</dt><dd>%s</dd><dt>所属</dt><dd>%s</dd><dt>人材区分</dt><dd>"
                   "<span class=\"badge tier%d\">%s</span></dd></dl>\n",
                s.staff_no, s.unit_name, s.tier, tier_name(s.tier));
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/staff/%lld/training?format=csv\">CSV出力</a> "
                   "<a class=\"btn\" href=\"/staff/%lld/training?format=xlsx\">Excel出力</a></div>\n",
                (long long)id, (long long)id);
    html_raw(b, "<section class=\"panel\"><h2>受講履歴</h2>");
    transcript_html(r, b, &t, rows, n, false);
    html_raw(b, "</section>\n<section class=\"panel\"><h2>職場還元</h2>");
    shareback_html(r, b, id);
    html_raw(b, "</section>\n");
    page_end(r, w);
}

/* ---- 承認・決定 ---- */

typedef struct Queue {
    AppState state;
    const char *title, *verb, *empty;
    OpButton ops[2];
    int nops;
} Queue;

/* One's own application waits for one's own 所属長, not in one's own queue. */
static bool listed(Req *r, const Queue *q, const Application *x) { return q->state != AP_APPLIED || x->staff_id != r->user->staff_id; }

/* ---- 一括の事務局決定: checkboxes in the 事務局決定待ち queue that belong
 * to one form (id "bulk-decide") placed after it ---- */

static bool bulk_queue(Req *r, const Queue *q) { return q->state == AP_APPROVED && page_is_office(r); }

/* A row's checkbox; kept checked when the bulk form comes back with errors. */
static void bulk_checkbox(Req *r, Buf *b, const Application *x)
{
    bool checked = false;
    if (str_eq(r->path, "/training/approvals/decide"))
        for (size_t i = 0; i < r->form.n && !checked; i++) {
            int64_t v;
            checked = str_eq(r->form.items[i].name, "app") && parse_int64(r->form.items[i].value, &v) && v == x->id;
        }
    html_printf(b, "<td><input type=\"checkbox\" name=\"app\" value=\"%lld\" form=\"bulk-decide\" id=\"bulk-%lld\"%s"
                   " aria-label=\"%sさん（%s）を選択\"></td>",
                (long long)x->id, (long long)x->id, checked ? " checked" : "", x->staff_name, x->course_title);
}

static void bulk_form(Req *r, Buf *b)
{
    bool again = str_eq(r->path, "/training/approvals/decide");
    html_raw(b, "<section class=\"panel\" id=\"bulk\"><h2>選んだ申込をまとめて決定</h2>"
                "<p>事務局決定待ちの表で選んだ申込を、まとめて受講決定（定員を超えた分はキャンセル待ち）または不承認にします。"
                "1件でも決定できない申込があるときは、どれも決定せずに理由を表示します。</p>\n");
    html_printf(b, "<form method=\"post\" action=\"/training/approvals/decide\" class=\"stack\" id=\"bulk-decide\" data-once>"
                   "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->user->csrf);
    field_text(b, NULL, "reason", "不承認の理由（不承認にするとき）", again ? req_form(r, "reason") : "", 0, "申込者に表示されます。");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\" name=\"op\" value=\"accept\">選んだ申込を受講決定</button> "
                "<button type=\"submit\" class=\"btn danger\" name=\"op\" value=\"reject\">選んだ申込を不承認</button></div>");
    form_end(b);
    html_raw(b, "</section>\n");
}

/* The applications of one session in a queue, from ap[first] on. */
static void session_group(Req *r, Buf *b, const Queue *q, const Application *ap, int n, int first, bool *done)
{
    Session s;
    if (!session_get(r->db, r->a, ap[first].session_id, &s)) return;
    html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><caption><a href=\"/sessions/%lld\">%s</a>　", (long long)s.id, s.course_title);
    html_when(r, b, s.starts_at);
    if (s.capacity) html_printf(b, "　受講決定 %d人／定員 %d人", s.accepted, s.capacity);
    else html_printf(b, "　受講決定 %d人（定員 制限なし）", s.accepted);
    bool bulk = bulk_queue(r, q), remind = q->state == AP_APPLIED;
    html_raw(b, "</caption><thead><tr>");
    if (bulk) html_raw(b, "<th scope=\"col\">選択</th>");
    if (remind) html_raw(b, "<th scope=\"col\">督促</th>");
    html_raw(b, "<th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th><th scope=\"col\">所属</th>"
                "<th scope=\"col\">申込日</th><th scope=\"col\">操作</th></tr></thead><tbody>\n");
    for (int i = first; i < n; i++) {
        const Application *x = &ap[i];
        if (x->session_id != s.id || !listed(r, q, x)) continue;
        done[i] = true;
        html_raw(b, "<tr>");
        if (bulk) bulk_checkbox(r, b, x);
        if (remind)
            html_printf(b, "<td><input type=\"checkbox\" name=\"id\" value=\"%lld\" form=\"remind-approvals\" aria-label=\"%sさん（%s）の承認を督促\"></td>",
                        (long long)x->id, x->staff_name, x->course_title);
        html_printf(b, "<td>%s</td><td>%s</td><td>%s</td><td>", x->staff_no, x->staff_name, x->unit_name);
        html_date(b, arena_strndup(r->a, x->applied_at, 10));
        html_raw(b, "</td><td>");
        op_form(r, b, arena_printf(r->a, "/applications/%lld/%s", (long long)x->id, q->verb), q->ops, q->nops,
                arena_printf(r->a, "%s %s", x->staff_name, x->course_title));
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
}

/* A queue, one table per session in order of the start. */
static void queue_html(Req *r, Buf *b, const Queue *q, int64_t unit)
{
    Application *ap;
    int n = unit < 0 ? 0 : app_list_waiting(r->db, r->a, q->state, unit, &ap), count = 0;
    bool *done = arena_zalloc(r->a, sizeof *done * (size_t)(n + 1));
    for (int i = 0; i < n; i++) count += listed(r, q, &ap[i]);
    html_printf(b, "<section class=\"panel\" id=\"%s\"><h2>%s（%d件）</h2>", app_state_code(q->state), q->title, count);
    for (int i = 0; i < n; i++)
        if (!done[i] && listed(r, q, &ap[i])) session_group(r, b, q, ap, n, i, done);
    if (!count) html_printf(b, "<p class=\"empty\">%s</p>", q->empty);
    html_raw(b, "</section>\n");
}

/* 督促: the checkboxes of the 所属長承認待ち queue belong to this form; the
 * 所属長 who is to approve each checked application is reminded (page_remind.c). */
static void remind_form(Req *r, Buf *b)
{
    html_printf(b, "<form method=\"post\" action=\"/remind/preview\" class=\"inline\" id=\"remind-approvals\" data-once>"
                   "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"kind\" value=\"approvals\">"
                   "<input type=\"hidden\" name=\"back\" value=\"/training/approvals\">",
                r->user->csrf);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn\">選んだ人に督促する</button>"
                " <span class=\"hint\">所属長承認待ちの表で「督促」を選んだ申込の所属長に、承認の督促を送ります（送る前に確認します）。</span></div>");
    form_end(b);
}

static void render_approvals(Req *r, Resp *w, const Errors *e)
{
    static const Queue queues[] = {
        {AP_APPLIED, "所属長承認待ち", "approve", "承認を待っている申込はありません。", {{"approve", "承認", "primary"}, {"reject", "不承認", "danger"}}, 2},
        {AP_APPROVED, "事務局決定待ち", "decide", "決定を待っている申込はありません。", {{"accept", "受講決定", "primary"}, {"reject", "不承認", "danger"}}, 2},
        {AP_WAITLISTED, "キャンセル待ち", "cancel", "キャンセル待ちの申込はありません。", {{"cancel", "取消", ""}}, 1},
    };
    Crumb crumbs[] = {{"ホーム", "/"}, {"研修申込の承認・決定", NULL}};
    page_begin(r, w, "研修申込の承認・決定", "approvals", crumbs, 2);
    Buf *b = &w->body;
    result_flash(r, b);
    error_summary(b, e);
    html_raw(b, "<p class=\"lead\">研修の申込は、本人の申込 → 所属長の承認 → 研修事務局の決定 の順に進みます。");
    if (page_is_office(r))
        html_raw(b, "事務局が受講決定にすると、定員に達している日程ではキャンセル待ちになり、取消が出ると申込順に繰り上がります。");
    else html_raw(b, "あなたの所属（配下を含む）の職員の申込を承認します。ご自分の申込は表示されません。");
    html_raw(b, "</p>\n");
    queue_html(r, b, &queues[0], scope_root(r->user));
    remind_form(r, b);
    if (page_is_office(r)) {
        queue_html(r, b, &queues[1], 0);
        bulk_form(r, b);
        queue_html(r, b, &queues[2], 0);
    }
    page_end(r, w);
}

void page_training_approvals(Req *r, Resp *w) { render_approvals(r, w, NULL); }

/* A POST that failed shows the page it came from again with the message. */
static void render_back(Req *r, Resp *w, const Errors *e)
{
    const char *back = back_to(r, "");
    if (str_eq(back, "/training/approvals") && (r->user->roles & ~ROLE_STAFF)) render_approvals(r, w, e);
    else if (str_eq(back, "/training")) render_me(r, w, e, FORM_NONE, 0);
    else resp_error(r, w, 422, e->n ? e->items[0].msg : "処理できませんでした。");
    if (w->status == 200) w->status = 422;
}

/* The person whose application is in the URL; answers 404 and returns 0 when there is none. */
static int64_t app_owner(Req *r, Resp *w, int64_t *app_id)
{
    *app_id = req_param_id(r, 0);
    int64_t staff = *app_id ? app_staff_of(r->db, *app_id) : 0;
    if (!staff) resp_error(r, w, 404, "その申込は見つかりません。");
    return staff;
}

/* After a change: back where the form was, with the state the application is now in. */
static void app_done(Req *r, Resp *w, int64_t app_id, int64_t staff, int rc, const Errors *e, const char *dflt)
{
    if (rc != 0) {
        render_back(r, w, e);
        return;
    }
    Application *ap;
    int n = app_list_staff(r->db, r->a, staff, &ap);
    const char *state = "";
    for (int i = 0; i < n; i++)
        if (ap[i].id == app_id) state = app_state_code(ap[i].state);
    resp_redirect(r, w, with_param(r, back_to(r, dflt), arena_printf(r->a, "result=%s", state)));
}

/* Reads op, which must be yes or no; answers 422 otherwise. */
static bool read_op(Req *r, Resp *w, const char *yes, const char *no, bool *out)
{
    const char *op = req_form(r, "op");
    *out = str_eq(op, yes);
    if (*out || str_eq(op, no)) return true;
    resp_error(r, w, 422, "操作を選んでください。");
    return false;
}

/* 所属長承認 (approve or reject: people in the approver's subtree, never
 * oneself) and 事務局決定 (accept or reject: the office only). */
static void app_step(Req *r, Resp *w, bool decide)
{
    int64_t id, staff = app_owner(r, w, &id);
    bool yes;
    if (!staff) return;
    const char *refused = decide ? (page_is_office(r) ? NULL : "受講の決定は研修事務局が行います。")
                          : staff == r->user->staff_id ? "自分の申込は承認できません。所属長の承認を待ってください。"
                          : !scope_staff(r->db, r->user, staff)     ? "この職員の申込を承認する権限がありません。"
                                                       : NULL;
    if (refused) {
        resp_error(r, w, 403, refused);
        return;
    }
    if (!read_op(r, w, decide ? "accept" : "approve", "reject", &yes)) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    const char *reason = text_trim(r->a, req_form(r, "reason"));
    int rc = decide ? app_decide_r(r->db, &who, id, yes, reason, &e) : app_approve_r(r->db, &who, id, yes, reason, &e);
    app_done(r, w, id, staff, rc, &e, "/training/approvals");
}

void page_app_approve(Req *r, Resp *w) { app_step(r, w, false); }

/* 一括の事務局決定: every checked application, one transaction. */
void page_app_decide_bulk(Req *r, Resp *w)
{
    bool yes;
    if (!read_op(r, w, "accept", "reject", &yes)) return;
    int64_t *ids = arena_alloc(r->a, sizeof *ids * (r->form.n + 1));
    int n = 0;
    for (size_t i = 0; i < r->form.n; i++) {
        int64_t v;
        if (str_eq(r->form.items[i].name, "app") && parse_int64(r->form.items[i].value, &v)) ids[n++] = v;
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int accepted, waitlisted;
    if (app_decide_bulk(r->db, &who, ids, n, yes, text_trim(r->a, req_form(r, "reason")), &accepted, &waitlisted, &e) != 0) {
        render_approvals(r, w, &e);
        w->status = 422;
        return;
    }
    resp_redirect(r, w, yes ? arena_printf(r->a, "/training/approvals?bulk=accept&accepted=%d&waitlisted=%d", accepted, waitlisted)
                            : arena_printf(r->a, "/training/approvals?bulk=reject&rejected=%d", n));
}
void page_app_decide(Req *r, Resp *w) { app_step(r, w, true); }

void page_app_cancel(Req *r, Resp *w)
{
    int64_t id, staff = app_owner(r, w, &id);
    if (!staff) return;
    if (staff != r->user->staff_id && !page_is_office(r)) {
        resp_error(r, w, 403, "この申込を取り消す権限がありません。");
        return;
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    app_done(r, w, id, staff, app_cancel(r->db, &who, id, &e), &e, staff == r->user->staff_id ? "/training" : "/training/approvals");
}

/* ---- 復命書 and 職場還元 ---- */

void page_completion_report(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    int64_t staff = id ? db_int(r->db, 0, "SELECT staff_id FROM completion WHERE id = ?", id) : 0;
    if (!staff) {
        resp_error(r, w, 404, "その受講記録は見つかりません。");
        return;
    }
    bool self = staff == r->user->staff_id;
    if (!self && !page_is_office(r)) {
        resp_error(r, w, 403, "この受講記録の復命書を登録する権限がありません。");
        return;
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (completion_report(r->db, &who, id, form_date(r, "report_on"), text_trim(r->a, req_form(r, "report")), &e) == 0) {
        const char *dflt = self ? "/training" : arena_printf(r->a, "/staff/%lld/training", (long long)staff);
        resp_redirect(r, w, with_param(r, back_to(r, dflt), "msg=saved"));
        return;
    }
    if (self) render_me(r, w, &e, FORM_REPORT, id);
    else resp_error(r, w, 422, e.n ? e.items[0].msg : "保存できませんでした。");
    if (w->status == 200) w->status = 422;
}

void page_shareback_add(Req *r, Resp *w)
{
    int64_t me = r->user->staff_id, v;
    if (!me) {
        resp_error(r, w, 404, "このアカウントには職員情報が結び付けられていません。");
        return;
    }
    Errors e = {0};
    ShareBack s = {.staff_id = me};
    s.held_on = form_date(r, "held_on");
    s.audience = text_trim(r->a, req_form(r, "audience"));
    s.content = text_trim(r->a, req_form(r, "content"));
    s.materials = text_trim(r->a, req_form(r, "materials"));
    const char *att = text_trim(r->a, req_form(r, "attendees")), *sid = req_form(r, "session_id");
    /* Not a number: out of range, so the domain says what it accepts. */
    s.attendees = !*att ? 0 : parse_int64(att, &v) && v >= 0 && v <= 1000000 ? (int)v : -1;
    if (!str_empty(sid)) {
        TranscriptRow *rows;
        int n = transcript_list(r->db, r->a, me, 0, 0, 0, &rows);
        for (int i = 0; i < n && !s.session_id; i++)
            if (rows[i].attended && parse_int64(sid, &v) && rows[i].session_id == v) s.session_id = v;
        if (!s.session_id) err_add(&e, "session_id", "もとになった研修は、受講した研修から選んでください。");
    }
    Actor who;
    page_actor(r, &who);
    /* shareback_add checks every field and writes nothing while e holds any error. */
    if (shareback_add(r->db, &who, &s, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "%s#shareback", with_param(r, back_to(r, "/training"), "msg=saved")));
        return;
    }
    render_me(r, w, &e, FORM_SHAREBACK, 0);
    w->status = 422;
}

/* ---- 受講履歴（組織） ---- */

/* The unit filter: every unit for the organisation-wide roles, the 所属長's
 * own subtree otherwise (root first). */
static void unit_filter(Req *r, Buf *b, int64_t root, const char *selected)
{
    /* field_unit already offers a 所属長 only their own subtree. */
    field_unit(r, b, NULL, "unit_id", "所属（配下を含む）", page_today(r), selected, 0, root ? "所属の配下すべて" : "全庁");
}

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

void page_training_transcript(Req *r, Resp *w)
{
    int nendo, n = 0;
    if (!nendo_parse_loose(req_query(r, "nendo"), &nendo)) nendo = r->nendo;
    int64_t root = scope_root(r->user), unit = root, v;
    const char *unit_s = req_query(r, "unit_id");
    if (!str_empty(unit_s)) {
        if (!parse_int64(unit_s, &v)) {
            resp_error(r, w, 404, "その所属は見つかりません。");
            return;
        }
        if (!scope_unit(r->db, r->user, v)) {
            resp_error(r, w, 403, "この所属の受講履歴を見る権限がありません。");
            return;
        }
        unit = v;
    }
    TranscriptRow *rows = NULL;
    if (unit >= 0) n = transcript_list(r->db, r->a, 0, unit, nendo, root, &rows);
    /* Totals count every row of the unit on the 年度's view date; only the
     * people in the viewer's scope today are named (table, CSV, Excel). */
    TranscriptRow *named = arena_alloc(r->a, sizeof *named * (size_t)(n + 1));
    int nnamed = 0;
    for (int i = 0; i < n; i++)
        if (rows[i].named) named[nnamed++] = rows[i];
    Table t;
    transcript_table(r, &t, named, nnamed, true);
    if (page_send_table(r, w, &t, arena_printf(r->a, "受講履歴_%d年度", nendo))) return;

    int64_t *people = arena_alloc(r->a, sizeof *people * (size_t)(n + 1));
    int attended = 0, completed = 0, minutes = 0, distinct = 0;
    for (int i = 0; i < n; i++) {
        minutes += rows[i].minutes; /* COMPLETION_MINUTES_SQL: 0 unless it counts */
        if (!rows[i].attended) continue;
        people[attended++] = rows[i].staff_id;
        completed += rows[i].completed;
    }
    qsort(people, (size_t)attended, sizeof *people, cmp_id);
    for (int i = 0; i < attended; i++) distinct += !i || people[i] != people[i - 1];
    int done, leaders;
    shareback_rate(r->db, nendo, &done, &leaders);

    Crumb crumbs[] = {{"ホーム", "/"}, {"受講履歴（組織）", NULL}};
    page_begin(r, w, arena_printf(r->a, "受講履歴（%s）", page_nendo_name(r, nendo)), "transcript", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/training/transcript\">");
    unit_filter(r, b, root, unit_s ? unit_s : "");
    Option years[6];
    for (int k = 0; k < 6; k++) years[k] = (Option){arena_printf(r->a, "%d", r->nendo + 1 - k), page_nendo_name(r, r->nendo + 1 - k)};
    field_select(b, NULL, "nendo", "年度", years, 6, arena_printf(r->a, "%d", nendo), 0, NULL);
    html_raw(b, "<button class=\"btn primary\" type=\"submit\">表示</button></form>\n<div class=\"cards\">");
    html_printf(b, "<div class=\"card\"><span class=\"card-title\">受講者数</span><span class=\"card-value\">%d人</span>"
                   "<span class=\"card-note\">出席 延べ%d件・修了%d件</span></div>", distinct, attended, completed);
    html_printf(b, "<div class=\"card\"><span class=\"card-title\">延べ受講時間</span><span class=\"card-value\">%.1f時間</span></div>",
                round1(minutes / 60.0));
    html_printf(b, "<div class=\"card\"><span class=\"card-title\">職場還元実施率（全庁）</span><span class=\"card-value\">%d / %d 人</span>"
                   "<span class=\"card-note\">（%.1f%%）②DX推進リーダーのうち、この年度に職場還元をした人</span></div></div>\n",
                done, leaders, leaders ? 100.0 * done / leaders : 0.0);
    const char *qs = unit_s ? arena_printf(r->a, "nendo=%d&unit_id=%lld", nendo, (long long)unit) : arena_printf(r->a, "nendo=%d", nendo);
    html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/training/transcript?format=csv&amp;%s\">CSV出力</a> "
                   "<a class=\"btn\" href=\"/training/transcript?format=xlsx&amp;%s\">Excel出力</a></div>\n", qs, qs);
    if (nnamed < n)
        html_printf(b, "<p class=\"note\">このほか%d件は、現在あなたの所属（配下を含む）にいない職員の記録のため、件数にだけ含めています。</p>\n",
                    n - nnamed);
    transcript_html(r, b, &t, named, nnamed, true);
    page_end(r, w);
}
