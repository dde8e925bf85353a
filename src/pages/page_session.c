/* page_session.c - 研修日程: the month calendar with its list, the session
 * form, and a session's page: one's own application, and for the 事務局 the
 * applications with their decisions, 一括登録, the 出欠 roster (by checkbox
 * or by CSV) and 開催中止.
 *
 * The page of a session is open to everyone, but the names of applicants are
 * shown to the 事務局 only; others see counts. */
#include <stdio.h>
#include <string.h>

#include "../core/util.h"
#include "../domain/course.h"
#include "../domain/staff.h"
#include "../domain/tier.h"
#include "../domain/completion.h"
#include "../domain/training.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

static const char *const weekdays[] = {"日", "月", "火", "水", "木", "金", "土", NULL};

static bool office(Req *r) { return (r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)) != 0; }

static Actor actor(Req *r)
{
    Actor who;
    page_actor(r, &who);
    return who;
}

/* 0 Sunday … 6 Saturday (Sakamoto's method). */
static int weekday(Date d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    int y = d.y - (d.m < 3);
    return (y + y / 4 - y / 100 + y / 400 + t[d.m - 1] + d.d) % 7;
}

/* The date part of "YYYY-MM-DDTHH:MM" (arena copy) and its time part ("" when none). */
static const char *day_part(Req *r, const char *ts) { return arena_strndup(r->a, ts ? ts : "", ts ? strnlen(ts, 10) : 0); }
static const char *time_part(const char *ts) { return ts && strlen(ts) >= 16 ? ts + 11 : ""; }

/* The day of a session as people read it: "令和8年10月1日（木）". */
static const char *day_text(Req *r, const Session *s)
{
    const char *day = day_part(r, s->starts_at);
    Date d;
    return arena_printf(r->a, "%s%s", page_wareki(r, day), date_parse(day, &d) ? arena_printf(r->a, "（%s）", weekdays[weekday(d)]) : "");
}

/* Its hours: "10:00〜12:00", naming the last day when it runs longer. */
static const char *hours_text(Req *r, const Session *s)
{
    const char *end = day_part(r, s->ends_at);
    bool same = !*end || strncmp(s->starts_at, end, 10) == 0;
    return arena_printf(r->a, "%s〜%s%s%s", time_part(s->starts_at), same ? "" : page_wareki(r, end), same ? "" : " ", time_part(s->ends_at));
}

static const char *when_text(Req *r, const Session *s) { return arena_printf(r->a, "%s %s", day_text(r, s), hours_text(r, s)); }

/* The seat marker: 中止, 満席 or 残りN席 ("" when there is no capacity). */
static const char *seats_text(Req *r, const Session *s)
{
    if (s->cancelled) return "中止";
    if (s->capacity <= 0) return "";
    if (s->accepted >= s->capacity) return "満席";
    return arena_printf(r->a, "残り%d席", s->capacity - s->accepted);
}

/* True once the session has begun: applications are closed. */
static bool started(const Session *s)
{
    char now[32];
    now_iso(now);
    return strcmp(s->starts_at, now) <= 0;
}

static const char *capacity_text(Req *r, const Session *s) { return s->capacity ? arena_printf(r->a, "%d人", s->capacity) : "制限なし"; }

/* The cost per person: 「未定」 while it is not known. */
static const char *cost_text(Req *r, const Session *s)
{
    int c = session_cost(s);
    return c < 0 ? "未定" : arena_printf(r->a, "%d円", c);
}

static void seats_flag(Req *r, Buf *b, const Session *s)
{
    const char *t = seats_text(r, s);
    if (*t) html_printf(b, " <span class=\"flag%s\">%s</span>", s->cancelled || s->accepted >= s->capacity ? " warn" : "", t);
}

/* A link when the text is a web address, else the text. */
static void url_html(Buf *b, const char *url)
{
    if (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) html_printf(b, "<a href=\"%s\">%s</a>", url, url);
    else html_printf(b, "%s", url);
}

/* A one-button POST form on the page of session s, which the handler comes
 * back to ("back"). op (NULL: none) goes as the field "op"; hidden (NULL:
 * none) is read out after the label, naming whom the button acts on. */
static void post_button(Req *r, Buf *b, const Session *s, const char *action, const char *op, const char *label, const char *hidden,
                        const char *confirm, const char *cls)
{
    form_begin(r, b, action, "inline");
    html_printf(b, "<input type=\"hidden\" name=\"back\" value=\"/sessions/%lld\">", (long long)s->id);
    if (op) html_printf(b, "<input type=\"hidden\" name=\"op\" value=\"%s\">", op);
    html_printf(b, "<button type=\"submit\" class=\"btn %s\"", cls);
    if (confirm) html_printf(b, " data-confirm=\"%s\"", confirm);
    html_printf(b, ">%s", label);
    if (hidden) html_printf(b, "<span class=\"visually-hidden\">（%s）</span>", hidden);
    html_raw(b, "</button>");
    form_end(b);
}

/* Opens a data table: caption, then a header row of cols (NULL-ended); the
 * columns from num_from on hold numbers. The caller closes it with table_close. */
static void table_open(Buf *b, const char *cls, const char *caption, const char *const *cols, int num_from)
{
    html_printf(b, "<div class=\"table-wrap\"><table class=\"%s\"><caption>%s</caption><thead><tr>", cls, caption);
    for (int i = 0; cols[i]; i++) html_printf(b, "<th scope=\"col\"%s>%s</th>", i >= num_from ? " class=num" : "", cols[i]);
    html_raw(b, "</tr></thead><tbody>\n");
}

static void table_close(Buf *b) { html_raw(b, "</tbody></table></div>\n"); }

/* ---- the month calendar ---- */

/* ?month=YYYY-MM as its first day, else this month's. */
static Date month_of(Req *r)
{
    const char *q = req_query(r, "month");
    Date d = date_today();
    d.d = 1;
    if (q && strlen(q) == 7) {
        char iso[16];
        snprintf(iso, sizeof iso, "%s-01", q);
        date_parse(iso, &d);
    }
    return d;
}

/* "令和8年10月" for the first day of a month. */
static const char *month_label(Req *r, Date first)
{
    Buf b = BUF_INIT;
    wareki_date(&b, first);
    const char *s = arena_strndup(r->a, buf_cstr(&b), b.len - strlen("1日"));
    buf_free(&b);
    return s;
}

static void calendar(Req *r, Buf *b, Date first, Date last, const Session *ss, int n)
{
    const char *today = page_today(r);
    table_open(b, "data calendar", month_label(r, first), weekdays, 7);
    Date d = date_add_days(first, -weekday(first));
    int j = 0;
    for (int cell = 0; date_cmp(d, last) <= 0 || cell % 7; cell++, d = date_add_days(d, 1)) {
        if (cell % 7 == 0) html_raw(b, "<tr>");
        if (d.m != first.m) {
            html_raw(b, "<td class=\"out\"></td>");
        } else {
            char iso[11];
            date_iso(d, iso);
            bool now = str_eq(iso, today);
            html_printf(b, "<td class=\"%s\"><span class=\"day\">%d<span class=\"visually-hidden\">日（%s）</span></span>", now ? "today" : "",
                        d.d, weekdays[cell % 7]);
            if (now) html_raw(b, " <span class=\"flag ok\">今日</span>");
            while (j < n && strncmp(ss[j].starts_at, iso, 10) < 0) j++;
            if (j < n && strncmp(ss[j].starts_at, iso, 10) == 0) {
                html_raw(b, "<ul>");
                for (; j < n && strncmp(ss[j].starts_at, iso, 10) == 0; j++) {
                    html_printf(b, "<li class=\"%s\"><a href=\"/sessions/%lld\">%s %s</a>", ss[j].cancelled ? "cancelled" : "",
                                (long long)ss[j].id, time_part(ss[j].starts_at), ss[j].course_title);
                    seats_flag(r, b, &ss[j]);
                    html_raw(b, "</li>");
                }
                html_raw(b, "</ul>");
            }
            html_raw(b, "</td>");
        }
        if (cell % 7 == 6) html_raw(b, "</tr>\n");
    }
    table_close(b);
}

static void session_rows(Req *r, Buf *b, const char *caption, const Session *ss, int n)
{
    static const char *const cols[] = {"日時", "研修名", "実施主体", "形式", "会場/URL", "定員", "受講決定", "キャンセル待ち", NULL};
    table_open(b, "data", caption, cols, 5);
    for (int i = 0; i < n; i++) {
        const Session *s = &ss[i];
        html_printf(b, "<tr><td><time datetime=\"%s\">%s<br>%s</time></td><td><a href=\"/sessions/%lld\">%s</a>", s->starts_at, day_text(r, s), hours_text(r, s),
                    (long long)s->id, s->course_title);
        seats_flag(r, b, s);
        html_printf(b, "</td><td>%s</td><td>%s</td><td>%s", provider_name(s->provider), format_name(s->format), s->place);
        if (*s->place && *s->url) html_raw(b, "<br>");
        url_html(b, s->url);
        html_printf(b, "</td><td class=\"num\">%s</td><td class=\"num\">%d</td><td class=\"num\">%d</td></tr>\n", capacity_text(r, s), s->accepted,
                    s->waitlisted);
    }
    table_close(b);
}

void page_session_calendar(Req *r, Resp *w)
{
    Date first = month_of(r), next = date_add_days(first, 32);
    next.d = 1;
    Date last = date_add_days(next, -1), prev = date_add_days(first, -1); /* its month is enough */
    char from[11], to[11];
    date_iso(first, from);
    date_iso(last, to);
    Session *ss;
    int n = session_list(r->db, r->a, from, to, 0, &ss);
    const char *label = month_label(r, first), *ym = arena_printf(r->a, "%04d-%02d", first.y, first.m);
    if (page_wants_export(r)) {
        static const char *const head[] = {"日時", "研修名", "実施主体", "形式", "会場", "URL", "定員", "受講決定", "キャンセル待ち", "状態", NULL};
        Table t;
        table_init(&t, r->a, "研修日程", head);
        for (int i = 0; i < n; i++) {
            const Session *s = &ss[i];
            const char *cells[] = {when_text(r, s), s->course_title, provider_name(s->provider), format_name(s->format), s->place, s->url};
            for (size_t k = 0; k < COUNTOF(cells); k++) table_text(&t, cells[k]);
            if (s->capacity) table_int(&t, s->capacity);
            else table_text(&t, capacity_text(r, s));
            table_int(&t, s->accepted);
            table_int(&t, s->waitlisted);
            table_text(&t, seats_text(r, s));
        }
        page_send_table(r, w, &t, arena_printf(r->a, "研修日程_%s", ym));
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"研修日程", NULL}};
    page_begin(r, w, arena_printf(r->a, "研修日程（%s）", label), "sessions", crumbs, 2);
    Buf *b = &w->body;
    html_printf(b, "<div class=\"toolbar\"><nav aria-label=\"月の移動\" class=\"months\"><a class=\"btn\" rel=\"prev\" href=\"/sessions?month=%04d-%02d\">"
                   "前の月</a> <a class=\"btn\" href=\"/sessions\">今月</a> <a class=\"btn\" rel=\"next\" href=\"/sessions?month=%04d-%02d\">次の月</a></nav>"
                   " <a class=\"btn\" href=\"/sessions?month=%s&amp;format=csv\">CSV出力</a> <a class=\"btn\" href=\"/sessions?month=%s&amp;format=xlsx\">Excel出力</a>",
                prev.y, prev.m, next.y, next.m, ym, ym);
    if (office(r)) html_raw(b, " <a class=\"btn primary\" href=\"/sessions/new\">日程を追加</a>");
    html_raw(b, "</div>\n");
    calendar(r, b, first, last, ss, n);
    html_printf(b, "<h2>%sの日程一覧</h2>\n", label);
    if (!n) html_raw(b, "<p class=\"empty\">この月の研修日程はありません。</p>\n");
    else session_rows(r, b, arena_printf(r->a, "%sの研修日程（%d件）", label, n), ss, n);
    page_end(r, w);
}

/* ---- the session form ---- */

/* What the user typed, kept for the form after an error. */
typedef struct Typed {
    const char *course, *date, *start, *end, *capacity, *nendo;
    const char *apply_from, *apply_until, *cost;
} Typed;

static Typed typed_of(Req *r, const Session *s)
{
    return (Typed){s->course_id ? arena_printf(r->a, "%lld", (long long)s->course_id) : "", day_part(r, s->starts_at),
                   time_part(s->starts_at), time_part(s->ends_at), arena_printf(r->a, "%d", s->capacity),
                   s->nendo ? arena_printf(r->a, "%d", s->nendo) : "", s->apply_from ? s->apply_from : "",
                   s->apply_until ? s->apply_until : "", s->has_cost ? arena_printf(r->a, "%d", s->cost) : ""};
}

static void session_fields(Req *r, Buf *b, const Session *s, const Typed *t, const Errors *e)
{
    Course *cs;
    int nc = course_list(r->db, r->a, false, &cs), k = 0;
    Option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(nc + 1));
    opts[k++] = (Option){"", "選んでください"};
    for (int i = 0; i < nc; i++)
        if (cs[i].active || cs[i].id == s->course_id)
            opts[k++] = (Option){arena_printf(r->a, "%lld", (long long)cs[i].id),
                                 arena_printf(r->a, "%s（%s・定員%d）", cs[i].title, provider_name(cs[i].provider), cs[i].capacity)};
    field_select(b, e, "course_id", "研修", opts, k, t->course, F_REQUIRED, NULL);
    field_text(b, e, "nendo", "年度", t->nendo, F_NARROW, "空欄なら開催日の年度（例：2026）。開催日はこの年度の中の日付にします");
    field_text(b, e, "starts_at", "開催日", t->date, F_REQUIRED | F_NARROW, "例：2026-10-01、令和8年10月1日");
    field_text(b, e, "start_time", "開始時刻", t->start, F_REQUIRED | F_NARROW, "例：10:00");
    field_text(b, e, "ends_at", "終了時刻", t->end, F_REQUIRED | F_NARROW, "例：12:00");
    field_text(b, e, "place", "会場", s->place, 0, "例：本庁舎3階 第1会議室");
    field_text(b, e, "url", "オンラインのURL", s->url, 0, "オンライン・eラーニングのとき");
    field_text(b, e, "capacity", "定員", t->capacity, F_NARROW, "空欄なら研修カタログの定員を使います");
    field_text(b, e, "apply_from", "申込開始日", t->apply_from, F_NARROW, "空欄ならすぐに受け付けます");
    field_text(b, e, "apply_until", "申込締切日", t->apply_until, F_NARROW, "この日まで受け付けます（空欄なら開始の直前まで）");
    field_text(b, e, "cost", "費用（円・1人）", t->cost, F_NARROW, "研修カタログの費用から始まります。決まっていなければ空欄（未定）");
    field_text(b, e, "instructor", "講師", s->instructor, 0, NULL);
    field_textarea(b, e, "note", "備考", s->note, 0, NULL);
}

static const char *session_action_url(Req *r, const Session *s, const char *what)
{
    return arena_printf(r->a, "/sessions/%lld/%s", (long long)s->id, what);
}

static void session_form(Req *r, Resp *w, const Session *s, const Typed *t, const Errors *e)
{
    bool edit = s->id != 0;
    const char *title = edit ? "研修日程の編集" : "研修日程の追加";
    Crumb crumbs[] = {{"ホーム", "/"}, {"研修日程", "/sessions"}, {title, NULL}};
    page_begin(r, w, title, "sessions", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    form_begin(r, b, edit ? session_action_url(r, s, "edit") : "/sessions/new", "stack");
    session_fields(r, b, s, t, e);
    html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button> <a class=\"btn\" href=\"%s\">キャンセル</a></div>",
                edit ? arena_printf(r->a, "/sessions/%lld", (long long)s->id) : "/sessions");
    form_end(b);
    page_end(r, w);
}

void page_session_new(Req *r, Resp *w)
{
    Session s = {.place = "", .url = "", .instructor = "", .note = ""};
    int64_t v;
    Course c;
    if (parse_int64(req_query(r, "course_id"), &v) && course_get(r->db, r->a, v, &c))
        s.course_id = v, s.capacity = c.capacity, s.cost = c.cost, s.has_cost = c.cost > 0; /* a course cost of 0 is 未定 */
    Typed t = typed_of(r, &s);
    if (!s.course_id) t.capacity = "";
    session_form(r, w, &s, &t, NULL);
}

/* "9:30", "0930", "９時３０分" as "09:30"; NULL when it is not a time of day. */
static const char *time_of_day(Req *r, const char *typed)
{
    const char *f = text_fold(r->a, typed);
    int h = -1, m = 0, used = 0;
    size_t len = strlen(f);
    if (len == 4 && strspn(f, "0123456789") == 4) h = (f[0] - '0') * 10 + f[1] - '0', m = (f[2] - '0') * 10 + f[3] - '0', used = 4;
    else if (sscanf(f, "%2d:%2d%n", &h, &m, &used) != 2 && sscanf(f, "%2d時%2d分%n", &h, &m, &used) != 2) {
        m = 0;
        if (sscanf(f, "%2d時%n", &h, &used) != 1) return NULL;
    }
    if ((size_t)used != len || h < 0 || h > 23 || m < 0 || m > 59 || f[0] < '0' || f[0] > '9') return NULL;
    return arena_printf(r->a, "%02d:%02d", h, m);
}

void page_session_save(Req *r, Resp *w)
{
    Errors e = {0};
    Session s = {0};
    if (r->nparams && !session_get(r->db, r->a, req_param_id(r, 0), &s)) {
        resp_error(r, w, 404, "その研修日程は見つかりません。");
        return;
    }
    const char *course = req_form(r, "course_id");
    Typed t = {course ? course : "", form_date(r, "starts_at"), text_trim(r->a, req_form(r, "start_time")), text_trim(r->a, req_form(r, "ends_at")),
               text_trim(r->a, req_form(r, "capacity")), text_trim(r->a, req_form(r, "nendo")), text_trim(r->a, req_form(r, "apply_from")),
               text_trim(r->a, req_form(r, "apply_until")), text_trim(r->a, req_form(r, "cost"))};
    if (!t.apply_from) t.apply_from = "";
    if (!t.apply_until) t.apply_until = "";
    if (!t.cost) t.cost = "";
    int64_t v;
    int nendo = 0;
    if (!t.nendo) t.nendo = "";
    if (*t.nendo && !nendo_parse_loose(t.nendo, &nendo)) err_add(&e, "nendo", "年度は「2026」のように入力してください。");
    s.nendo = nendo;
    s.course_id = parse_int64(course, &v) ? v : 0;
    s.place = text_trim(r->a, req_form(r, "place"));
    s.url = text_trim(r->a, req_form(r, "url"));
    s.instructor = text_trim(r->a, req_form(r, "instructor"));
    s.note = text_trim(r->a, req_form(r, "note"));
    const char *start = time_of_day(r, t.start), *end = time_of_day(r, t.end);
    if (!start) err_add(&e, "start_time", "開始時刻は「10:00」のように入力してください。");
    if (!end) err_add(&e, "ends_at", "終了時刻は「12:00」のように入力してください。");
    s.starts_at = arena_printf(r->a, "%sT%s", t.date, start ? start : t.start);
    s.ends_at = arena_printf(r->a, "%sT%s", t.date, end ? end : t.end);
    Course c;
    if (!*t.capacity) s.capacity = s.course_id && course_get(r->db, r->a, s.course_id, &c) ? c.capacity : 0;
    else if (parse_int64(text_fold(r->a, t.capacity), &v) && v >= 0 && v <= 100000) s.capacity = (int)v;
    else err_add(&e, "capacity", "定員は0以上の整数で入力してください。");
    s.apply_from = *t.apply_from ? form_date(r, "apply_from") : NULL;
    s.apply_until = *t.apply_until ? form_date(r, "apply_until") : NULL;
    if (s.apply_from && !*s.apply_from) err_add(&e, "apply_from", "申込開始日を正しい日付で入力してください。");
    if (s.apply_until && !*s.apply_until) err_add(&e, "apply_until", "申込締切日を正しい日付で入力してください。");
    s.has_cost = *t.cost != '\0';
    if (s.has_cost && parse_int64(text_fold(r->a, t.cost), &v) && v >= 0 && v <= 100000000) s.cost = (int)v;
    else if (s.has_cost) err_add(&e, "cost", "費用は0以上の整数（円）で入力してください。決まっていなければ空欄（未定）にします。");
    Actor who = actor(r);
    if (!err_any(&e) && session_save(r->db, &who, &s, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/sessions/%lld?msg=saved", (long long)s.id));
        return;
    }
    session_form(r, w, &s, &t, &e);
    w->status = 422;
}

/* ---- a session's page ---- */

/* One person on a session's lists: their application (state -1: none) and
 * their attendance record, if any. */
typedef struct RosterLine {
    int64_t staff_id, app_id;
    const char *staff_no, *name, *unit, *applied_at, *note;
    int state, score; /* score -1: none */
    bool recorded, attended, completed;
} RosterLine;

static bool live(int state) { return state == AP_APPLIED || state == AP_APPROVED || state == AP_ACCEPTED || state == AP_WAITLISTED; }
static bool on_roster(const RosterLine *row) { return row->state == AP_ACCEPTED || row->recorded; }

/* Applications of the session, then everyone with an attendance record. */
static int roster_load(Req *r, int64_t session_id, RosterLine **out)
{
    Application *as;
    int na = app_list_session(r->db, r->a, session_id, &as), n = 0;
    SessionCompletion *cs;
    int nc = completion_list_session(r->db, r->a, session_id, page_today(r), &cs);
    RosterLine *rows = arena_zalloc(r->a, sizeof *rows * (size_t)(na + nc + 1));
    for (int i = 0; i < na; i++)
        rows[n++] = (RosterLine){as[i].staff_id, as[i].id, as[i].staff_no, as[i].staff_name, as[i].unit_name, as[i].applied_at, as[i].note, (int)as[i].state, -1,
                          false, false, false};
    for (int k = 0; k < nc; k++) {
        const SessionCompletion *c = &cs[k];
        RosterLine *row = NULL;
        for (int i = 0; i < na && !row; i++)
            if (rows[i].staff_id == c->staff_id) row = &rows[i];
        if (!row) {
            row = &rows[n++];
            *row = (RosterLine){c->staff_id, 0, c->staff_no, c->name, c->unit, "", "", -1, -1, false, false, false};
        }
        row->recorded = true;
        row->attended = c->attended;
        row->score = c->score;
        row->completed = c->completed;
    }
    *out = rows;
    return n;
}

static const char *completion_text(const Session *s, const RosterLine *row)
{
    if (!row->recorded) return "";
    if (row->completed) return "修了";
    if (!row->attended) return "欠席";
    return s->external ? "復命書待ち" : "未修了";
}

static void send_roster(Req *r, Resp *w, const Session *s, const RosterLine *rows, int n)
{
    static const char *const head[] = {"職員番号", "氏名", "所属", "申込状態", "出欠", "点数", "修了", NULL};
    Table t;
    table_init(&t, r->a, "受講者", head);
    for (int i = 0; i < n; i++) {
        const RosterLine *row = &rows[i];
        const char *cells[] = {row->staff_no, row->name, row->unit, row->state >= 0 ? app_state_name((AppState)row->state) : "",
                               row->recorded ? (row->attended ? "出席" : "欠席") : ""};
        for (size_t k = 0; k < COUNTOF(cells); k++) table_text(&t, cells[k]);
        if (row->score >= 0) table_int(&t, row->score);
        else table_text(&t, "");
        table_text(&t, completion_text(s, row));
    }
    page_send_table(r, w, &t, arena_printf(r->a, "受講者_%s_%s", s->course_title, day_part(r, s->starts_at)));
}

static const char *state_text(Req *r, const Session *s)
{
    if (s->cancelled) return "中止";
    if (started(s)) return "開催済み（受付終了）";
    if (s->capacity > 0 && s->accepted >= s->capacity) return "満席（キャンセル待ちで受け付けます）";
    return *seats_text(r, s) ? arena_printf(r->a, "受付中（%s）", seats_text(r, s)) : "受付中";
}

static void session_props(Req *r, Buf *b, const Session *s)
{
    html_printf(b, "<dl class=\"props\"><dt>研修名</dt><dd><a href=\"/courses/%lld\">%s</a>（%s）</dd><dt>実施主体</dt><dd>%s（%s）</dd>"
                   "<dt>形式</dt><dd>%s</dd><dt>日時</dt><dd><time datetime=\"%s\">%s</time></dd>",
                (long long)s->course_id, s->course_title, s->course_code, provider_name(s->provider), s->external ? "外部研修" : "内部研修",
                format_name(s->format), s->starts_at, when_text(r, s));
    if (*s->place) html_printf(b, "<dt>会場</dt><dd>%s</dd>", s->place);
    if (*s->url) {
        html_raw(b, "<dt>URL</dt><dd>");
        url_html(b, s->url);
        html_raw(b, "</dd>");
    }
    if (s->apply_from || s->apply_until) {
        html_raw(b, "<dt>申込期間</dt><dd>");
        if (s->apply_from) html_date(b, s->apply_from);
        html_raw(b, "〜");
        if (s->apply_until) {
            html_date(b, s->apply_until);
            html_raw(b, "（締切）");
        }
        html_raw(b, "</dd>");
    }
    html_printf(b, "<dt>費用（1人）</dt><dd>%s</dd>", cost_text(r, s));
    html_printf(b, "<dt>定員</dt><dd>%s</dd><dt>申込状況</dt><dd>受講決定 %d人・キャンセル待ち %d人・承認／決定待ち %d人</dd>", capacity_text(r, s), s->accepted,
                s->waitlisted, s->pending);
    if (*s->instructor) html_printf(b, "<dt>講師</dt><dd>%s</dd>", s->instructor);
    if (*s->note) html_printf(b, "<dt>備考</dt><dd>%s</dd>", s->note);
    html_printf(b, "<dt>状態</dt><dd>%s</dd></dl>\n", state_text(r, s));
    if (s->external) html_raw(b, "<p class=\"lead\">外部研修は復命書の提出で修了になります。</p>\n");
}

static void my_application(Req *r, Buf *b, const Session *s, const Errors *e)
{
    if (!r->user->staff_id) return;
    Application *mine;
    int n = app_list_staff(r->db, r->a, r->user->staff_id, &mine);
    const Application *a = NULL;
    for (int i = 0; i < n && !a; i++)
        if (mine[i].session_id == s->id) a = &mine[i];
    html_raw(b, "<section class=\"panel\" id=\"mine\"><h2>わたしの申込</h2>");
    if (a) {
        html_printf(b, "<p>申込状態：<strong>%s</strong>（申込日 ", app_state_name(a->state));
        html_date(b, day_part(r, a->applied_at));
        html_raw(b, "）</p>");
    }
    if (a && live((int)a->state)) {
        post_button(r, b, s, arena_printf(r->a, "/applications/%lld/cancel", (long long)a->id), NULL, "申込を取り消す", NULL, "この研修の申込を取り消しますか？", "");
    } else if (!s->cancelled && !started(s)) {
        html_raw(b, "<p>申し込むと、所属長の承認と事務局の決定を経て受講が決まります。定員を超えたときはキャンセル待ちになります。</p>");
        form_begin(r, b, arena_printf(r->a, "/sessions/%lld/apply", (long long)s->id), "stack");
        field_textarea(b, e, "app_note", "申込の理由・連絡事項", e ? req_form(r, "app_note") : "", 0, "任意");
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">申し込む</button></div>");
        form_end(b);
    } else if (!a) {
        html_raw(b, s->cancelled ? "<p>この日程は中止になったため申し込めません。</p>" : "<p>この日程の受付は終わりました。</p>");
    }
    html_raw(b, "</section>\n");
}

static void applications_panel(Req *r, Buf *b, const Session *s, const RosterLine *rows, int n)
{
    int napps = 0;
    for (int i = 0; i < n; i++) napps += rows[i].state >= 0;
    html_printf(b, "<section class=\"panel\" id=\"applications\"><h2>申込者（%d人）</h2>", napps);
    if (!napps) {
        html_raw(b, "<p class=\"empty\">申込はまだありません。</p></section>\n");
        return;
    }
    static const char *const cols[] = {"職員番号", "氏名", "所属", "申込日", "状態", "備考", "操作", NULL};
    table_open(b, "data", "申込者一覧", cols, 7);
    for (int i = 0; i < n; i++) {
        const RosterLine *row = &rows[i];
        if (row->state < 0) continue;
        html_printf(b, "<tr><td>%s</td><td><a href=\"/staff/%lld\">%s</a></td><td>%s</td><td>", row->staff_no, (long long)row->staff_id, row->name,
                    row->unit);
        html_date(b, day_part(r, row->applied_at));
        html_printf(b, "</td><td>%s</td><td>%s</td><td>", app_state_name((AppState)row->state), row->note);
        const char *base = arena_printf(r->a, "/applications/%lld/", (long long)row->app_id);
        if (row->state == AP_APPROVED) {
            post_button(r, b, s, arena_printf(r->a, "%sdecide", base), "accept", "決定", row->name, NULL, "small");
            post_button(r, b, s, arena_printf(r->a, "%sdecide", base), "reject", "不採用", row->name, "不採用にしますか？", "small");
        }
        if (live(row->state)) post_button(r, b, s, arena_printf(r->a, "%scancel", base), NULL, "取消", row->name, "この申込を取り消しますか？", "small");
        html_raw(b, "</td></tr>\n");
    }
    table_close(b);
    html_raw(b, "</section>\n");
}

static void enrol_panel(Req *r, Buf *b, const Session *s, const Errors *e)
{
    Option tiers[4] = {{"", "すべて"}};
    for (int t = 1; t <= 3; t++) tiers[t] = (Option){arena_printf(r->a, "%d", t), tier_name(t)};
    html_raw(b, "<section class=\"panel\" id=\"enrol\"><h2>一括登録</h2><p>対象の職員のうち、まだ申し込んでいない人を受講決定にします"
                "（所属長の承認は不要です）。定員を超えた人はキャンセル待ちになります。</p>");
    form_begin(r, b, session_action_url(r, s, "enrol"), "filters");
    field_select(b, e, "tier", "人材区分", tiers, 4, e ? req_form(r, "tier") : "", 0, NULL);
    field_unit(r, b, e, "unit_id", "所属（配下を含む）", page_today(r), e ? req_form(r, "unit_id") : "", 0, "すべて");
    html_raw(b, "<button type=\"submit\" class=\"btn primary\" data-confirm=\"対象の職員を一括で登録しますか？\">一括登録する</button>");
    form_end(b);
    html_raw(b, "</section>\n");
}

static void roster_panel(Req *r, Buf *b, const Session *s, const RosterLine *rows, int n, const Errors *e)
{
    html_raw(b, "<section class=\"panel\" id=\"roster\"><h2>出欠の登録</h2>");
    html_raw(b, s->external ? "<p>外部研修は復命書の提出で修了になります。出席を登録したあと、受講者が復命書を登録します。</p>"
                            : "<p>出席を登録すると修了になります。点数は任意です（0〜100）。</p>");
    int k = 0;
    for (int i = 0; i < n; i++) k += on_roster(&rows[i]);
    if (!k) {
        html_raw(b, "<p class=\"empty\">受講決定者はまだいません。</p></section>\n");
        return;
    }
    form_begin(r, b, session_action_url(r, s, "roster"), "roster");
    static const char *const cols[] = {"職員番号", "氏名", "所属", "出席", "点数", "修了", NULL};
    table_open(b, "data", "出欠簿", cols, 6);
    for (int i = 0; i < n; i++) {
        const RosterLine *row = &rows[i];
        if (!on_roster(row)) continue;
        long long id = (long long)row->staff_id;
        char key[40];
        snprintf(key, sizeof key, "score_%lld", id);
        const char *score = e ? req_form(r, key) : row->score >= 0 ? arena_printf(r->a, "%d", row->score) : "";
        bool attended = e ? str_eq(req_form(r, arena_printf(r->a, "attended_%lld", id)), "1") : row->attended;
        html_printf(b, "<tr><td>%s<input type=\"hidden\" name=\"staff\" value=\"%lld\"></td><td>%s</td><td>%s</td><td><label class=\"choice\">"
                       "<input type=\"checkbox\" id=\"f-attended_%lld\" name=\"attended_%lld\" value=\"1\"%s> 出席<span class=\"visually-hidden\">（%s）</span>"
                       "</label></td><td><label class=\"visually-hidden\" for=\"f-%s\">%sの点数</label><input type=\"text\" inputmode=\"numeric\" size=\"4\""
                       " id=\"f-%s\" name=\"%s\" value=\"%s\" aria-invalid=\"%s\"></td><td>%s</td></tr>\n",
                    row->staff_no, id, row->name, row->unit, id, id, attended ? " checked" : "", row->name, key, row->name, key, key, score ? score : "",
                    err_for(e, key) ? "true" : "false", completion_text(s, row));
    }
    table_close(b);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">出欠を保存</button></div>");
    form_end(b);
    html_raw(b, "</section>\n");
}

static void csv_panel(Req *r, Buf *b, const Session *s)
{
    html_raw(b, "<section class=\"panel\" id=\"roster-csv\"><h2>出欠のCSV取込</h2><p>1行目は見出し「職員番号, 出欠, 点数」です。出欠は 1／0 または 出席／欠席、"
                "点数は空欄でも構いません。1行でも誤りがあれば何も登録せず、誤りを行番号つきで表示します。</p>");
    html_printf(b, "<form method=\"post\" action=\"%s\" enctype=\"multipart/form-data\" class=\"filters\" data-once>"
                   "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", session_action_url(r, s, "roster-csv"), r->user->csrf);
    html_raw(b, "<div class=\"field\"><label for=\"f-file\">CSVファイル <span class=\"req\">必須</span></label>"
                "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\".csv,text/csv\" required></div>"
                "<button type=\"submit\" class=\"btn primary\">取り込む</button></form></section>\n");
}

static void office_panels(Req *r, Buf *b, const Session *s, const RosterLine *rows, int n, const Errors *e, const char *form)
{
    applications_panel(r, b, s, rows, n);
    if (s->cancelled) return;
    if (!started(s)) enrol_panel(r, b, s, str_eq(form, "enrol") ? e : NULL);
    roster_panel(r, b, s, rows, n, str_eq(form, "roster") ? e : NULL);
    csv_panel(r, b, s);
    html_raw(b, "<section class=\"panel\" id=\"edit\"><h2>日程の編集</h2><details><summary>編集する</summary>");
    form_begin(r, b, session_action_url(r, s, "edit"), "stack");
    Typed t = typed_of(r, s);
    session_fields(r, b, s, &t, NULL);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button></div>");
    form_end(b);
    html_raw(b, "</details></section>\n");
    if (started(s)) return;
    html_raw(b, "<section class=\"panel\" id=\"cancel\"><h2>開催の中止</h2>"
                "<p>中止すると、この日程の申込はすべて取消になり、カレンダーに「中止」と表示されます。</p>");
    post_button(r, b, s, session_action_url(r, s, "cancel"), NULL, "中止にする", NULL, "この日程を中止にしますか？申込はすべて取消になります。", "danger");
    html_raw(b, "</section>\n");
}

/* The results a redirect carries: ?added=N&waitlisted=M, ?imported=N, and
 * ?result=STATE from the application handlers (page_training.c). */
static void results_line(Req *r, Buf *b)
{
    int64_t added, waitlisted, imported;
    const char *result = req_query(r, "result");
    if (str_eq(result, "applied"))
        html_raw(b, "<p class=\"flash ok\" role=\"status\">申し込みました。所属長の承認を待っています。</p>\n");
    else if (!str_empty(result) && str_eq(app_state_code(app_state_parse(result)), result))
        html_printf(b, "<p class=\"flash ok\" role=\"status\">申込を「%s」にしました。</p>\n", app_state_name(app_state_parse(result)));
    if (str_eq(req_query(r, "warn"), "target"))
        html_raw(b, "<p class=\"flash warn\" role=\"status\">この研修の対象（対象区分・対象職位）に当てはまりませんが、申込は受け付けました。"
                    "所属長の承認と事務局の決定で判断されます。</p>\n");
    if (parse_int64(req_query(r, "added"), &added) && parse_int64(req_query(r, "waitlisted"), &waitlisted))
        html_printf(b, "<p class=\"flash ok\" role=\"status\">一括登録：%lld人を受講決定、%lld人をキャンセル待ちにしました。</p>\n", (long long)added,
                    (long long)waitlisted);
    if (parse_int64(req_query(r, "imported"), &imported))
        html_printf(b, "<p class=\"flash ok\" role=\"status\">CSVから%lld人の出欠を取り込みました。</p>\n", (long long)imported);
}

/* The page of a session; e (may be NULL) holds the errors of the form named
 * form ("apply", "enrol", "roster", "csv", "cancel"). */
static void render_session(Req *r, Resp *w, int64_t id, const Errors *e, const char *form)
{
    Session s;
    if (!session_get(r->db, r->a, id, &s)) {
        resp_error(r, w, 404, "その研修日程は見つかりません。");
        return;
    }
    RosterLine *rows = NULL;
    int n = office(r) ? roster_load(r, id, &rows) : 0;
    if (page_wants_export(r)) {
        if (office(r)) send_roster(r, w, &s, rows, n);
        else resp_error(r, w, 403, "受講者の一覧を出力する権限がありません。");
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"研修日程", arena_printf(r->a, "/sessions?month=%.7s", s.starts_at)}, {s.course_title, NULL}};
    page_begin(r, w, s.course_title, "sessions", crumbs, 3);
    Buf *b = &w->body;
    results_line(r, b);
    error_summary(b, e);
    if (s.cancelled) html_raw(b, "<p class=\"flash error\" role=\"status\">この日程は中止になりました。</p>\n");
    session_props(r, b, &s);
    if (office(r))
        html_printf(b, "<div class=\"toolbar\"><a class=\"btn\" href=\"/sessions/%lld?format=csv\">受講者をCSV出力</a> "
                       "<a class=\"btn\" href=\"/sessions/%lld?format=xlsx\">受講者をExcel出力</a></div>\n",
                    (long long)s.id, (long long)s.id);
    my_application(r, b, &s, str_eq(form, "apply") ? e : NULL);
    if (office(r)) office_panels(r, b, &s, rows, n, e, form);
    page_end(r, w);
}

void page_session_show(Req *r, Resp *w) { render_session(r, w, req_param_id(r, 0), NULL, NULL); }

/* Ends a POST on a session: on success back to its page with ?msg=saved and
 * extra (query text, may be ""); else the page again with the errors (422). */
static void session_done(Req *r, Resp *w, int rc, const Errors *e, const char *extra, const char *form)
{
    int64_t id = req_param_id(r, 0);
    if (rc == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/sessions/%lld?msg=saved%s", (long long)id, extra));
        return;
    }
    render_session(r, w, id, e, form);
    if (w->status == 200) w->status = 422;
}

void page_session_cancel(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who = actor(r);
    int rc = session_cancel(r->db, &who, req_param_id(r, 0), &e);
    session_done(r, w, rc, &e, "", "cancel");
}

void page_session_apply(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who = actor(r);
    int rc = -1;
    if (!r->user->staff_id) err_add(&e, "", "職員として登録されていないアカウントでは申し込めません。");
    bool warned = false;
    if (r->user->staff_id)
        rc = app_apply_checked(r->db, &who, req_param_id(r, 0), r->user->staff_id, text_trim(r->a, req_form(r, "app_note")), &warned, &e);
    for (int i = 0; i < e.n; i++) /* the form's field: "note" is the session's own 備考 on the 事務局's page */
        if (str_eq(e.items[i].field, "note")) e.items[i].field = "app_note";
    if (rc == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/sessions/%lld?result=applied%s#mine", (long long)req_param_id(r, 0), warned ? "&warn=target" : ""));
        return;
    }
    session_done(r, w, rc, &e, "#mine", "apply");
}

void page_session_enrol(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who = actor(r);
    int64_t tier, unit;
    if (!parse_int64(req_form(r, "tier"), &tier)) tier = 0;
    if (!parse_int64(req_form(r, "unit_id"), &unit)) unit = 0;
    int added = 0, waitlisted = 0, rc = -1;
    if (tier < 0 || tier > 3) err_add(&e, "tier", "人材区分を選んでください。");
    else rc = app_enrol_bulk(r->db, &who, req_param_id(r, 0), (int)tier, unit, page_today(r), &added, &waitlisted, &e);
    session_done(r, w, rc, &e, arena_printf(r->a, "&added=%d&waitlisted=%d", added, waitlisted), "enrol");
}

void page_session_roster(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who = actor(r);
    RosterEntry *in = arena_alloc(r->a, sizeof *in * (r->form.n + 1));
    int n = 0, rc = -1;
    for (size_t i = 0; i < r->form.n; i++) {
        int64_t id, v = -1;
        if (!str_eq(r->form.items[i].name, "staff") || !parse_int64(r->form.items[i].value, &id)) continue;
        char key[40];
        snprintf(key, sizeof key, "score_%lld", (long long)id);
        const char *score = text_fold(r->a, req_form(r, key));
        if (*score && !(parse_int64(score, &v) && v >= 0 && v <= 100)) {
            Staff who_s;
            err_addf(&e, key, "%sさんの点数は0〜100の整数で入力してください。",
                     staff_get(r->db, r->a, id, page_today(r), 0, &who_s) ? who_s.name : "");
        }
        in[n++] = (RosterEntry){id, str_eq(req_form(r, arena_printf(r->a, "attended_%lld", (long long)id)), "1"), *score ? (int)v : -1};
    }
    if (!err_any(&e)) rc = completion_record(r->db, &who, req_param_id(r, 0), in, n, &e);
    session_done(r, w, rc, &e, "#roster", "roster");
}

void page_session_roster_csv(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who = actor(r);
    const Upload *file = NULL;
    for (size_t i = 0; i < r->files.n; i++)
        if (str_eq(r->files.items[i].field, "file")) file = &r->files.items[i];
    int count = 0, rc = -1;
    if (!file || !file->len) err_add(&e, "file", "CSVファイルを選んでください。");
    else rc = completion_import_csv(r->db, &who, req_param_id(r, 0), file->data, file->len, &count, &e);
    session_done(r, w, rc, &e, arena_printf(r->a, "&imported=%d", count), "csv");
}
