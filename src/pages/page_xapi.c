/* page_xapi.c - the xAPI statement receiver (POST/PUT /xapi/statements, GET
 * /xapi/about) and 事務局's screen of its clients, the statements waiting for
 * a mapping and the forms that map an actor to a staff member and an
 * activity id to a course.
 *
 * The receiver's routes carry RF_OWN_AUTH: no session and no CSRF token;
 * each request names its client with HTTP Basic (key:secret). Every request
 * needs X-Experience-API-Version 1.0.x and every answer carries it. */
#include <json-c/json.h>
#include <sodium.h>
#include <string.h>

#include "../core/util.h"
#include "../domain/xapi.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

#define XAPI_VERSION "1.0.3"

/* ---- the receiver ---- */

static void xapi_answer(Req *r, Resp *w, int status, const char *json)
{
    w->status = status;
    w->content_type = "application/json; charset=utf-8";
    buf_reset(&w->body);
    if (json) buf_puts(&w->body, json);
    resp_header(r, w, "X-Experience-API-Version", XAPI_VERSION);
}

static void xapi_fail(Req *r, Resp *w, int status, const char *message)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "error", json_object_new_string(message));
    xapi_answer(r, w, status, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
}

/* "1.0" or "1.0.N". */
static bool version_ok(Req *r)
{
    const char *v = req_header(r, "X-Experience-API-Version");
    if (!v || strncmp(v, "1.0", 3) != 0) return false;
    if (!v[3]) return true;
    if (v[3] != '.' || !v[4]) return false;
    for (const char *p = v + 4; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return true;
}

/* The client of an Authorization: Basic header; 0 when absent or refused. */
static int64_t basic_client(Req *r, const char **name)
{
    const char *h = req_header(r, "Authorization");
    if (!h || strncasecmp(h, "Basic ", 6) != 0) return 0;
    unsigned char raw[512];
    size_t n = 0;
    const char *b64 = h + 6;
    while (*b64 == ' ') b64++;
    if (sodium_base642bin(raw, sizeof raw - 1, b64, strlen(b64), NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) return 0;
    raw[n] = '\0';
    if (memchr(raw, '\0', n)) return 0;
    char *colon = strchr((char *)raw, ':');
    if (!colon) return 0;
    *colon = '\0';
    return xapi_client_auth(r->db, r->a, (const char *)raw, colon + 1, name);
}

/* The version and the client; false after answering 400 or 401. */
static bool xapi_admit(Req *r, Resp *w, int64_t *client, const char **name)
{
    if (!version_ok(r)) {
        xapi_fail(r, w, 400, "X-Experience-API-Version 1.0.x is required");
        return false;
    }
    *client = basic_client(r, name);
    if (!*client) {
        xapi_fail(r, w, 401, "unknown, wrong or revoked client credentials");
        resp_header(r, w, "WWW-Authenticate", "Basic realm=\"jinzai xAPI\"");
        return false;
    }
    return true;
}

void page_xapi_about(Req *r, Resp *w)
{
    if (!version_ok(r)) {
        xapi_fail(r, w, 400, "X-Experience-API-Version 1.0.x is required");
        return;
    }
    xapi_answer(r, w, 200, "{\"version\":[\"" XAPI_VERSION "\"]}");
}

static void receive(Req *r, Resp *w, const char *put_id)
{
    int64_t client;
    const char *name = "";
    if (!xapi_admit(r, w, &client, &name)) return;
    const char **ids;
    int n;
    char msg[256];
    XapiResult res = xapi_receive(r->db, r->a, client, name, r->body, r->body_len, put_id, &ids, &n, msg, sizeof msg);
    if (res == XAPI_INVALID) xapi_fail(r, w, 400, msg);
    else if (res == XAPI_CONFLICT) xapi_fail(r, w, 409, msg);
    else if (res == XAPI_FAILED) xapi_fail(r, w, 503, msg);
    else if (put_id) xapi_answer(r, w, 204, NULL);
    else {
        json_object *arr = json_object_new_array();
        for (int i = 0; i < n; i++) json_object_array_add(arr, json_object_new_string(ids[i]));
        xapi_answer(r, w, 200, json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
        json_object_put(arr);
    }
}

void page_xapi_post(Req *r, Resp *w) { receive(r, w, NULL); }

void page_xapi_put(Req *r, Resp *w)
{
    const char *id = req_query(r, "statementId");
    if (!id) {
        int64_t client;
        const char *name;
        if (xapi_admit(r, w, &client, &name)) xapi_fail(r, w, 400, "PUT needs the statementId parameter");
        return;
    }
    receive(r, w, id);
}

/* ---- 事務局's screen ---- */

enum { WAITING_LIMIT = 500 };

static const char *verb_name(const char *verb)
{
    if (str_eq(verb, XAPI_VERB_COMPLETED)) return "修了（completed）";
    if (str_eq(verb, XAPI_VERB_PASSED)) return "合格（passed）";
    if (str_eq(verb, XAPI_VERB_FAILED)) return "不合格（failed）";
    return verb;
}

typedef struct MapForm {
    const char *actor, *staff_no, *activity_id, *course;
} MapForm;

static void render(Req *r, Resp *w, const Errors *e, const MapForm *f)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"わたしの研修", "/training"}, {"xAPIの受講記録", NULL}};
    page_begin(r, w, "xAPIの受講記録", "training", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    if (str_eq(req_query(r, "msg"), "mapped"))
        html_printf(b, "<div class=\"flash ok\" role=\"status\">対応づけを保存しました。待っていた受講記録のうち %s件を修了・受講として登録しました。</div>\n",
                    req_query(r, "n") ? req_query(r, "n") : "0");
    if (str_eq(req_query(r, "msg"), "revoked")) html_raw(b, "<div class=\"flash ok\" role=\"status\">クライアントを失効させました。</div>\n");
    html_raw(b, "<p class=\"lead\">外部の学習システムからxAPIで送られた受講記録（ステートメント）を受け取り、"
                "修了（completed・passed）と不合格（failed）を研修の受講記録にします。送信先は <code>/xapi/statements</code> です。</p>\n");

    XapiWaiting *ws;
    int nw = xapi_waiting(r->db, r->a, WAITING_LIMIT, &ws);
    html_printf(b, "<section class=\"panel\"><h2>対応づけを待つ受講記録（%d件）</h2>\n", nw);
    if (nw == 0) {
        html_raw(b, "<p class=\"empty\">対応づけを待つ受講記録はありません。</p>\n");
    } else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>受け取った順</caption><thead><tr><th scope=\"col\">受信日時</th>"
                    "<th scope=\"col\">送信元</th><th scope=\"col\">受講者（actor）</th><th scope=\"col\">結果</th>"
                    "<th scope=\"col\">アクティビティID</th><th scope=\"col\">不足している対応づけ</th></tr></thead><tbody>\n");
        for (int i = 0; i < nw; i++) {
            const XapiWaiting *x = &ws[i];
            html_printf(b, "<tr><td>%.16s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s%s%s</td></tr>\n", x->received_at, x->client,
                        *x->actor ? x->actor : "（識別できません）", verb_name(x->verb), x->activity_id, x->staff_known ? "" : "職員",
                        !x->staff_known && !x->course_known ? "・" : "", x->course_known ? "" : "研修");
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    /* The forms offer the actors and activity ids still unmatched. */
    Option *actors = arena_zalloc(r->a, sizeof *actors * (size_t)(nw + 1)), *acts = arena_zalloc(r->a, sizeof *acts * (size_t)(nw + 1));
    int na = 0, nc = 0;
    for (int i = 0; i < nw; i++) {
        bool seen_a = ws[i].staff_known || !*ws[i].actor, seen_c = ws[i].course_known;
        for (int k = 0; k < na && !seen_a; k++) seen_a = str_eq(actors[k].value, ws[i].actor);
        for (int k = 0; k < nc && !seen_c; k++) seen_c = str_eq(acts[k].value, ws[i].activity_id);
        if (!seen_a) actors[na++] = (Option){ws[i].actor, ws[i].actor};
        if (!seen_c) acts[nc++] = (Option){ws[i].activity_id, ws[i].activity_id};
    }
    html_raw(b, "<h3>受講者を職員に対応づける</h3>\n");
    form_begin(r, b, "/training/xapi/actor", "stack");
    if (na) field_select(b, e, "actor", "受講者（actor）", actors, na, f->actor, F_REQUIRED, NULL);
    else field_text(b, e, "actor", "受講者（actor）", f->actor, F_REQUIRED, "例：mailto:taro@example.jp または account:A0001");
    field_text(b, e, "staff_no", "職員番号", f->staff_no, F_REQUIRED | F_NARROW, NULL);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">職員に対応づける</button></div>\n");
    form_end(b);
    html_raw(b, "<h3>アクティビティを研修に対応づける</h3>\n");
    form_begin(r, b, "/training/xapi/activity", "stack");
    if (nc) field_select(b, e, "activity_id", "アクティビティID", acts, nc, f->activity_id, F_REQUIRED, NULL);
    else field_text(b, e, "activity_id", "アクティビティID", f->activity_id, F_REQUIRED, "例：https://example.jp/activities/security-2026");
    field_text(b, e, "course", "研修コード", f->course, F_REQUIRED | F_NARROW, "研修カタログのコード");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">研修に対応づける</button></div>\n");
    form_end(b);
    html_raw(b, "</section>\n");

    XapiActivity *as;
    int nas = xapi_activities(r->db, r->a, &as);
    html_raw(b, "<section class=\"panel\"><h2>研修に対応づけたアクティビティ</h2>\n");
    if (!nas) html_raw(b, "<p class=\"empty\">まだありません。</p>\n");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">アクティビティID</th><th scope=\"col\">研修</th></tr></thead><tbody>\n");
        for (int i = 0; i < nas; i++) html_printf(b, "<tr><td>%s</td><td>%s %s</td></tr>\n", as[i].activity_id, as[i].course_code, as[i].course_title);
        html_raw(b, "</tbody></table></div>\n");
    }
    html_raw(b, "</section>\n");

    XapiClient *cs;
    int ncs = xapi_client_list(r->db, r->a, &cs);
    bool admin = r->user && (r->user->roles & ROLE_ADMIN);
    html_raw(b, "<section class=\"panel\"><h2>送信元（クライアント）</h2>\n"
                "<p>クライアントの追加は管理者がコマンド <code>jinzai xapi client add 名前</code> で行います（キーと秘密の値はその時に一度だけ表示されます）。</p>\n");
    if (!ncs) html_raw(b, "<p class=\"empty\">クライアントはまだありません。</p>\n");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">名前</th><th scope=\"col\">キー</th>"
                    "<th scope=\"col\">作成</th><th scope=\"col\">状態</th><th scope=\"col\">受信数</th></tr></thead><tbody>\n");
        for (int i = 0; i < ncs; i++) {
            const XapiClient *c = &cs[i];
            html_printf(b, "<tr><td>%s</td><td><code>%s</code></td><td>%.10s</td><td>", c->name, c->api_key, c->created_at);
            if (c->revoked_at) html_printf(b, "失効（%.10s）", c->revoked_at);
            else {
                html_raw(b, "有効");
                if (admin) {
                    form_begin(r, b, "/training/xapi/revoke", "inline");
                    html_printf(b, "<input type=\"hidden\" name=\"name\" value=\"%s\"><button type=\"submit\" class=\"btn link\" aria-label=\"「%s」を失効させる\">失効させる</button>",
                                c->name, c->name);
                    form_end(b);
                }
            }
            html_printf(b, "</td><td>%d</td></tr>\n", c->statements);
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    html_raw(b, "</section>\n");
    page_end(r, w);
}

void page_xapi_admin(Req *r, Resp *w)
{
    MapForm f = {"", "", "", ""};
    render(r, w, NULL, &f);
}

static void mapped(Req *r, Resp *w, int rc, int done, const Errors *e, const MapForm *f)
{
    if (rc == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/training/xapi?msg=mapped&n=%d", done));
        return;
    }
    render(r, w, e, f);
    w->status = 422;
}

static MapForm form_of(Req *r)
{
    const char *v[4] = {req_form(r, "actor"), req_form(r, "staff_no"), req_form(r, "activity_id"), req_form(r, "course")};
    for (int i = 0; i < 4; i++) v[i] = v[i] ? text_trim(r->a, v[i]) : "";
    return (MapForm){v[0], v[1], v[2], v[3]};
}

void page_xapi_map_actor(Req *r, Resp *w)
{
    MapForm f = form_of(r);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int done = 0;
    int rc = xapi_map_actor(r->db, &who, f.actor, f.staff_no, &done, &e);
    mapped(r, w, rc, done, &e, &f);
}

void page_xapi_map_activity(Req *r, Resp *w)
{
    MapForm f = form_of(r);
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int done = 0;
    int rc = xapi_map_activity(r->db, &who, f.activity_id, f.course, &done, &e);
    mapped(r, w, rc, done, &e, &f);
}

void page_xapi_revoke(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (xapi_client_revoke(r->db, &who, req_form(r, "name"), &e) == 0) {
        resp_redirect(r, w, "/training/xapi?msg=revoked");
        return;
    }
    MapForm f = {"", "", "", ""};
    render(r, w, &e, &f);
    w->status = 422;
}
