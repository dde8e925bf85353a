/* page_assess.c - the assessment cycle: one's own 自己評価, the supervisor's
 * 上司確認 (one by one or many at once, or 差戻し), progress lists for
 * reminders, and the assessment period. */
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/asof.h"
#include "../domain/assess.h"
#include "../domain/org.h"
#include "../domain/qual.h"
#include "../domain/staff.h"
#include "../domain/tier.h"
#include "../domain/completion.h"
#include "../domain/training.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "listpage.h"
#include "page_audit.h"
#include "pages.h"

static void state_badge(Buf *b, AssessState s)
{
    static const char *const cls[] = {"muted", "", "tier2", "warn", "tier1"};
    html_printf(b, "<span class=\"badge %s\">%s</span>", cls[s], assess_state_name(s));
}

static void period_line(Req *r, Buf *b, const AssessPeriod *p)
{
    html_printf(b, "<p>%sの評価期間：", page_nendo_name(r, p->nendo));
    if (!p->opens_on) {
        html_raw(b, "未設定（DX推進担当が設定します）</p>\n");
        return;
    }
    html_date(b, p->opens_on);
    html_raw(b, " 〜 ");
    html_date(b, p->closes_on);
    html_raw(b, assess_period_open(p, page_today(r)) ? "（受付中）</p>\n" : "（受付期間外）</p>\n");
}

/* The level radio buttons of one item, each labelled with its 行動指標. */
static void level_choices(Buf *b, const SkillMap *m, const SkillItem *it, const char *name, int chosen, bool enabled)
{
    for (int l = 0; l <= SKILL_MAX_LEVEL; l++) {
        const char *d = skill_descriptor(m, it, l);
        html_printf(b, "<label class=\"choice level\"><input type=\"radio\" name=\"%s\" value=\"%d\"%s%s> <span class=\"level-text\"><strong>%d %s</strong>%s%s</span></label>",
                    name, l, chosen == l ? " checked" : "", enabled ? "" : " disabled", l, skill_scale_name(m, l), *d ? "：" : "", d);
    }
}

static int form_level(Req *r, const char *prefix, int64_t item_id)
{
    int64_t v;
    const char *s = req_form(r, arena_printf(r->a, "%s%lld", prefix, (long long)item_id));
    return parse_int64(s, &v) && v >= 0 && v <= SKILL_MAX_LEVEL ? (int)v : -1;
}

static const char *form_text(Req *r, const char *prefix, int64_t item_id)
{
    return text_trim(r->a, req_form(r, arena_printf(r->a, "%s%lld", prefix, (long long)item_id)));
}

/* The person's qualifications that evidence an item, beside it. */
static void qual_evidence(Req *r, Buf *b, int64_t staff_id, const char *item_code)
{
    StaffQual *q;
    int n = qual_items_for(r->db, r->a, staff_id, item_code, &q);
    if (!n) return;
    html_raw(b, "<p class=\"evidence\">関連する資格：");
    for (int i = 0; i < n; i++) {
        html_printf(b, "%s%s（取得 ", i ? "、" : "", q[i].qual_name);
        html_date(b, q[i].acquired_on);
        html_raw(b, "）");
    }
    html_raw(b, "</p>");
}

/* ---- 自己評価 ---- */

/* The signed-in person's map and assessment of a 年度; false after a 404
 * when the account has no staff record. */
static bool my_assessment(Req *r, Resp *w, int nendo, SkillMap *m, Assessment *as)
{
    if (!r->user->staff_id) {
        resp_error(r, w, 404, "このアカウントには職員情報が結び付けられていないため、自己評価はありません。");
        return false;
    }
    skill_map_load(r->db, r->a, nendo, false, m);
    assess_load(r->db, r->a, m, r->user->staff_id, nendo, page_today(r), as);
    return true;
}

/* The lines of an assessment under one top-level category of the map
 * (lines come in map order, so each category's lines are contiguous). */
typedef struct CatGroup {
    int top;        /* index into SkillMap.cats */
    int first, end; /* lines [first, end) */
    int done;       /* lines with a stored level */
    bool open;
} CatGroup;

static int cat_groups(Arena *a, const SkillMap *m, const Assessment *as, CatGroup **out)
{
    CatGroup *g = arena_alloc(a, sizeof *g * (size_t)(as->nlines + 1));
    int n = 0;
    for (int k = 0; k < as->nlines; k++) {
        int top = m->cats[m->items[as->lines[k].item].cat].top;
        if (!n || g[n - 1].top != top) g[n++] = (CatGroup){top, k, k, 0, false};
        g[n - 1].end = k + 1;
        g[n - 1].done += as->lines[k].self >= 0;
    }
    *out = g;
    return n;
}

/* The group whose top-level category has that id; NULL when none. */
static CatGroup *cat_group_find(const SkillMap *m, CatGroup *g, int n, int64_t cat_id)
{
    for (int i = 0; i < n; i++)
        if (m->cats[g[i].top].id == cat_id) return &g[i];
    return NULL;
}

/* Which categories are open: after a refused POST those with an error, the
 * one saved and, for a submission, those with an item left unchosen;
 * otherwise the first one not yet complete. */
static void cat_open(Req *r, const SkillMap *m, const Assessment *as, CatGroup *g, int n, const Errors *e, bool from_form)
{
    bool any = false;
    if (from_form) {
        int64_t posted = 0;
        parse_int64(req_form(r, "cat"), &posted);
        bool submitting = str_eq(req_form(r, "op"), "submit");
        for (int i = 0; i < n; i++) {
            g[i].open = m->cats[g[i].top].id == posted;
            for (int k = g[i].first; k < g[i].end; k++) {
                int64_t id = m->items[as->lines[k].item].id;
                if (err_for(e, arena_printf(r->a, "c%lld", (long long)id)) || (submitting && form_level(r, "level_", id) < 0)) g[i].open = true;
            }
            any |= g[i].open;
        }
    }
    for (int i = 0; i < n && !any; i++)
        if (g[i].done < g[i].end - g[i].first) any = g[i].open = true;
}

static void render_mine(Req *r, Resp *w, int nendo, const Errors *e, bool from_form)
{
    SkillMap m;
    Assessment as;
    if (!my_assessment(r, w, nendo, &m, &as)) return;
    AssessPeriod p;
    assess_period_get(r->db, r->a, nendo, &p);
    bool editable = (as.state == AS_NONE || as.state == AS_DRAFT || as.state == AS_RETURNED) && assess_period_open(&p, page_today(r));
    Crumb crumbs[] = {{"ホーム", "/"}, {"自己評価", NULL}};
    page_begin(r, w, arena_printf(r->a, "自己評価（%s）", page_nendo_name(r, nendo)), "assess", crumbs, 2);
    Buf *b = &w->body;
    error_summary(b, e);
    html_raw(b, "<p class=\"lead\">スキルマップの各項目について、いまの自分のレベルを選んでください。各レベルの行動指標を目安にします。"
                "分類ごとに下書き保存でき、すべての項目を選んでから提出すると上司（所属長）が確認します。</p>\n<dl class=\"props\"><dt>状態</dt><dd>");
    state_badge(b, as.state);
    html_printf(b, "</dd><dt>人材区分</dt><dd>%s%s%s</dd><dt>評価項目</dt><dd>%d項目</dd></dl>\n",
                as.tiers & 2 ? "①高度専門人材 " : "", as.tiers & 4 ? "②DX推進リーダー " : "", as.tiers & 8 ? "③一般職員" : "", as.nlines);
    html_printf(b, "<p class=\"basis\">%s</p>\n", assess_basis_text(r->a, as.basis_on, as.tiers));
    period_line(r, b, &p);
    if (as.state == AS_RETURNED)
        html_printf(b, "<div class=\"flash error\" role=\"alert\">上司から差し戻されました：%s</div>\n", as.return_message);
    if (as.state == AS_CONFIRMED) html_raw(b, "<div class=\"flash ok\" role=\"status\">上司確認が完了しています。</div>\n");
    html_printf(b, "<p><a href=\"/gaps/person/%lld?nendo=%d\">目標とのギャップを見る</a></p>\n", (long long)r->user->staff_id, nendo);
    if (!as.nlines) {
        html_raw(b, "<p class=\"empty\">この年度の評価項目がありません（目標レベルが設定されていません）。</p>\n");
        page_end(r, w);
        return;
    }
    /* Completed training proposes levels; the person still chooses. */
    int *proposed = arena_alloc(r->a, sizeof(int) * (size_t)(m.nitems + 1));
    const char **proposed_by = arena_alloc(r->a, sizeof(char *) * (size_t)(m.nitems + 1));
    training_evidence(r->db, r->a, &m, r->user->staff_id, nendo, proposed, proposed_by);
    CatGroup *groups;
    int ngroups = cat_groups(r->a, &m, &as, &groups), done = 0;
    for (int i = 0; i < ngroups; i++) done += groups[i].done;
    cat_open(r, &m, &as, groups, ngroups, e, from_form);
    if (editable) form_begin(r, b, arena_printf(r->a, "/assess?nendo=%d", nendo), "stack assess");
    /* The first submit button of the form is the one Enter presses: all of it. */
    html_printf(b, "<div class=\"assess-total\"><p>入力済 <strong>%d</strong>／%d項目（%d分類）</p>", done, as.nlines, ngroups);
    if (editable) html_raw(b, "<button type=\"submit\" name=\"op\" value=\"save\" class=\"btn small\">すべて下書き保存</button>");
    html_raw(b, "</div>\n");
    for (int gi = 0; gi < ngroups; gi++) {
        const CatGroup *g = &groups[gi];
        const SkillCategory *c = &m.cats[g->top];
        int total = g->end - g->first;
        html_printf(b, "<details class=\"cat\" id=\"cat-%lld\"%s><summary id=\"f-cat-%lld\"><h2>%s <span class=\"cat-count%s\">%d/%d 入力済</span></h2></summary>\n",
                    (long long)c->id, g->open ? " open" : "", (long long)c->id, c->name, g->done == total ? " complete" : "", g->done, total);
        for (int k = g->first; k < g->end; k++) {
            const AssessLine *l = &as.lines[k];
            const SkillItem *it = &m.items[l->item];
            int chosen = from_form ? form_level(r, "level_", it->id) : l->self;
            int proposal = proposed[l->item];
            if (!from_form && chosen < 0 && editable && proposal >= 0) chosen = proposal;
            const char *comment = from_form ? form_text(r, "comment_", it->id) : l->comment;
            const char *evidence = from_form ? form_text(r, "evidence_", it->id) : l->evidence;
            const char *cerr = err_for(e, arena_printf(r->a, "c%lld", (long long)it->id));
            html_printf(b, "<fieldset class=\"item\" id=\"f-c%lld\"><legend>%s %s <span class=\"muted\">目標 %d</span></legend>", (long long)it->id,
                        it->code, it->name, l->target);
            if (*it->description) html_printf(b, "<p class=\"hint\">%s</p>", it->description);
            qual_evidence(r, b, r->user->staff_id, it->code);
            if (proposal >= 0)
                html_printf(b, "<p class=\"evidence\">研修の修了（%s）から、レベル%d以上を提案しています。</p>", proposed_by[l->item], proposal);
            level_choices(b, &m, it, arena_printf(r->a, "level_%lld", (long long)it->id), chosen, editable);
            if (as.state == AS_CONFIRMED && l->sup >= 0 && l->sup != l->self)
                html_printf(b, "<p><strong>上司確認：%d</strong>（%s）</p>", l->sup, l->reason);
            if (editable) {
                html_printf(b, "<div class=\"field\"><label for=\"comment_%lld\">コメント</label><input type=\"text\" id=\"comment_%lld\" name=\"comment_%lld\" value=\"%s\"></div>",
                            (long long)it->id, (long long)it->id, (long long)it->id, comment);
                html_printf(b, "<div class=\"field\"><label for=\"evidence_%lld\">根拠（URLやメモ）</label><input type=\"text\" id=\"evidence_%lld\" name=\"evidence_%lld\" value=\"%s\"></div>",
                            (long long)it->id, (long long)it->id, (long long)it->id, evidence);
                if (cerr) html_printf(b, "<p class=\"error-msg\">%s</p>", cerr);
            } else if (*comment || *evidence) {
                html_printf(b, "<p>コメント：%s　根拠：%s</p>", comment, evidence);
            }
            html_raw(b, "</fieldset>\n");
        }
        if (editable)
            html_printf(b, "<div class=\"cat-actions\"><button type=\"submit\" name=\"cat\" value=\"%lld\" class=\"btn\">「%s」を下書き保存</button>"
                           "<p class=\"hint\">この分類の項目だけを保存します。</p></div>\n",
                        (long long)c->id, c->name);
        html_raw(b, "</details>\n");
    }
    if (editable) {
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" name=\"op\" value=\"save\" class=\"btn\">下書き保存</button> "
                    "<button type=\"submit\" name=\"op\" value=\"submit\" class=\"btn primary\" data-confirm=\"提出すると上司確認まで変更できません。提出しますか？\">提出する</button></div>");
        form_end(b);
    }
    page_end(r, w);
}

void page_assess_mine(Req *r, Resp *w) { render_mine(r, w, page_nendo(r, req_query(r, "nendo")), NULL, false); }

/* Saves the whole form (下書き or 提出), or with cat= only the lines of that
 * top-level category as 下書き: the others keep what is stored. */
void page_assess_mine_post(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    SkillMap m;
    Assessment as;
    if (!my_assessment(r, w, nendo, &m, &as)) return;
    CatGroup *groups;
    int ngroups = cat_groups(r->a, &m, &as, &groups);
    int first = 0, end = as.nlines;
    const char *cat_q = req_form(r, "cat");
    if (cat_q) {
        int64_t cat_id = 0;
        const CatGroup *g = parse_int64(cat_q, &cat_id) ? cat_group_find(&m, groups, ngroups, cat_id) : NULL;
        if (!g) {
            resp_error(r, w, 400, "保存する分類が見つかりません。画面を読み込み直してください。");
            return;
        }
        first = g->first;
        end = g->end;
    }
    SelfInput *in = arena_alloc(r->a, sizeof *in * (size_t)(as.nlines + 1));
    for (int k = first; k < end; k++) {
        int64_t id = m.items[as.lines[k].item].id;
        in[k - first] = (SelfInput){id, form_level(r, "level_", id), form_text(r, "comment_", id), form_text(r, "evidence_", id)};
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    bool submit = !cat_q && str_eq(req_form(r, "op"), "submit");
    if (assess_save_self(r->db, &who, &m, r->user->staff_id, nendo, page_today(r), in, end - first, submit, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/assess?nendo=%d&msg=%s", nendo, submit ? "submitted" : "saved"));
        return;
    }
    /* Point at each category that still has an item without a level. */
    for (int i = 0; submit && i < ngroups; i++) {
        int missing = 0;
        for (int k = groups[i].first; k < groups[i].end; k++) missing += in[k].level < 0;
        if (missing)
            err_addf(&e, arena_printf(r->a, "cat-%lld", (long long)m.cats[groups[i].top].id), "「%s」に未選択の項目が%d件あります。",
                     m.cats[groups[i].top].name, missing);
    }
    render_mine(r, w, nendo, &e, true);
    w->status = 422;
}

/* ---- 上司確認 ---- */

#define REVIEW_PAGE 50 /* people per page of the list */

/* A reviewer may act on people in scope, never on themselves. */
static bool may_review(Req *r, int64_t staff_id)
{
    return staff_id != r->user->staff_id && scope_staff(r->db, r->user, staff_id);
}

void page_assess_review_list(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    const char *state_q = req_query(r, "state");
    AssessState want = state_q ? assess_state_parse(state_q) : AS_SUBMITTED;
    bool all = str_eq(state_q, "all");
    int64_t unit = scope_root(r->user), v;
    if (parse_int64(req_query(r, "unit_id"), &v) && (!unit || org_in_subtree(r->db, unit, v))) unit = v;
    ProgressRow *rows;
    char on[11];
    asof_nendo_date(nendo, on);
    const char *state = all ? "all" : assess_state_code(want);
    int page = page_number(req_query(r, "page")), total;
    ListPage kp;
    list_page_parse(r, &kp);
    int n = assess_review_page(r->db, r->a, nendo, on, unit, scope_root(r->user), page_today(r), r->user->staff_id, state, REVIEW_PAGE,
                               (page - 1) * REVIEW_PAGE, &kp, &rows, &total);
    if (!n && (kp.after.code || kp.before.code)) { /* nothing at the key's place any more: by the page number */
        kp = (ListPage){0};
        n = assess_review_page(r->db, r->a, nendo, on, unit, scope_root(r->user), page_today(r), r->user->staff_id, state, REVIEW_PAGE,
                               (page - 1) * REVIEW_PAGE, &kp, &rows, &total);
    }
    if (!n && page > 1) { /* past the last page: show the last one (the count came with the empty page) */
        page = total ? (total + REVIEW_PAGE - 1) / REVIEW_PAGE : 1;
        n = assess_review_page(r->db, r->a, nendo, on, unit, scope_root(r->user), page_today(r), r->user->staff_id, state, REVIEW_PAGE,
                               (page - 1) * REVIEW_PAGE, &kp, &rows, &total);
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"上司確認", NULL}};
    page_begin(r, w, arena_printf(r->a, "上司確認（%s）", page_nendo_name(r, nendo)), "review", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">提出された自己評価を確認します。レベルを調整する場合や差し戻す場合は、氏名から個別の画面を開いてください。"
                "内容に問題がなければ、まとめて確認できます。</p>\n<form class=\"filters\" method=\"get\" action=\"/assess/review\">");
    static const Option states[] = {{"submitted", "提出済（確認待ち）"}, {"returned", "差戻し"}, {"confirmed", "確認済"},
                                    {"draft", "下書き"}, {"none", "未着手"}, {"all", "すべて"}};
    field_select(b, NULL, "state", "状態", states, 6, state, 0, NULL);
    field_unit_filter(r, b, "unit_id", "所属（配下を含む）", page_today(r), req_query(r, "unit_id"), "すべて");
    html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%d\"><button class=\"btn\" type=\"submit\">表示</button></form>\n", nendo);
    if (n) {
        html_printf(b, "<p role=\"status\">%d人が該当します。</p>\n", total);
        form_begin(r, b, arena_printf(r->a, "/assess/review?nendo=%d", nendo), "stack");
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>対象者</caption><thead><tr><th scope=\"col\">選択</th>"
                    "<th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th><th scope=\"col\">所属</th><th scope=\"col\">状態</th>"
                    "<th scope=\"col\">提出日時</th></tr></thead><tbody>\n");
    }
    for (int i = 0; i < n; i++) {
        const ProgressRow *p = &rows[i];
        html_raw(b, "<tr><td>");
        if (p->state == AS_SUBMITTED)
            html_printf(b, "<input type=\"checkbox\" name=\"id\" value=\"%lld\" id=\"sel-%lld\" aria-label=\"%sさんを選択\">", (long long)p->assessment_id,
                        (long long)p->assessment_id, p->name);
        html_printf(b, "</td><td>%s</td><td>", p->staff_no);
        if (p->assessment_id) html_printf(b, "<a href=\"/assess/%lld\">%s</a>", (long long)p->assessment_id, p->name);
        else html_printf(b, "%s", p->name);
        html_printf(b, "</td><td>%s</td><td>", p->unit_name);
        state_badge(b, p->state);
        html_raw(b, "</td><td>");
        if (p->submitted_at) html_date(b, arena_strndup(r->a, p->submitted_at, 10));
        html_raw(b, "</td></tr>\n");
    }
    if (n) {
        html_raw(b, "</tbody></table></div>\n<div class=\"actions\"><button type=\"submit\" class=\"btn primary\" "
                    "data-confirm=\"選んだ評価を本人のレベルのまま確認済にしますか？\">選んだ評価をまとめて確認</button></div>");
        form_end(b);
    } else {
        html_raw(b, "<p class=\"empty\">この条件に当てはまる評価はありません。</p>\n");
    }
    int pages = (total + REVIEW_PAGE - 1) / REVIEW_PAGE;
    if (pages > 1) {
        Buf qs = BUF_INIT;
        buf_printf(&qs, "&nendo=%d&state=%s", nendo, state);
        if (!str_empty(req_query(r, "unit_id"))) {
            buf_printf(&qs, "&unit_id=");
            html_urlenc(&qs, req_query(r, "unit_id"));
        }
        html_raw(b, "<nav class=\"pager\" aria-label=\"ページ\">");
        Buf prev = BUF_INIT, next = BUF_INIT;
        if (page > 2) list_page_key(&prev, "before", &kp.first);
        list_page_key(&next, "after", &kp.last);
        if (page > 1) html_printf(b, "<a rel=\"prev\" href=\"/assess/review?page=%d%s%s\">前へ</a> ", page - 1, buf_cstr(&prev), buf_cstr(&qs));
        else html_raw(b, "<a>前へ</a> ");
        html_printf(b, "<span aria-current=\"page\">%d / %d ページ</span>", page, pages);
        if (page < pages) html_printf(b, " <a rel=\"next\" href=\"/assess/review?page=%d%s%s\">次へ</a>", page + 1, buf_cstr(&next), buf_cstr(&qs));
        else html_raw(b, " <a>次へ</a>");
        html_raw(b, "</nav>\n");
        buf_free(&prev);
        buf_free(&next);
        buf_free(&qs);
    }
    page_end(r, w);
}

void page_assess_review_bulk(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    int64_t *ids = arena_alloc(r->a, sizeof(int64_t) * (r->form.n + 1));
    int n = 0;
    Errors e = {0};
    for (size_t i = 0; i < r->form.n; i++) {
        int64_t id;
        if (strcmp(r->form.items[i].name, "id") != 0 || !parse_int64(r->form.items[i].value, &id)) continue;
        int64_t staff = assess_staff_of(r->db, id, NULL);
        if (!staff || !may_review(r, staff)) {
            resp_error(r, w, 403, "権限のない職員の評価が含まれています。");
            return;
        }
        ids[n++] = id;
    }
    Actor who;
    page_actor(r, &who);
    if (assess_confirm_many(r->db, &who, ids, n, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/assess/review?nendo=%d&msg=confirmed", nendo));
        return;
    }
    resp_error(r, w, 422, e.items[0].msg);
}

/* The person whose assessment id is, when the reviewer may act on it;
 * otherwise 0 after answering 404 or 403. */
static int64_t reviewable(Req *r, Resp *w, int64_t id, int *nendo)
{
    int64_t staff_id = assess_staff_of(r->db, id, nendo);
    if (!staff_id) resp_error(r, w, 404, "その評価は見つかりません。");
    else if (!may_review(r, staff_id)) resp_error(r, w, 403, "この職員の評価を確認する権限がありません。");
    else return staff_id;
    return 0;
}

/* reviewable, then the map and the assessment under review; false after 404/403. */
static bool review_load(Req *r, Resp *w, int64_t id, SkillMap *m, Assessment *as)
{
    int nendo = 0;
    int64_t staff_id = reviewable(r, w, id, &nendo);
    if (!staff_id) return false;
    skill_map_load(r->db, r->a, nendo, false, m);
    assess_load(r->db, r->a, m, staff_id, nendo, page_today(r), as);
    return true;
}

static void render_review(Req *r, Resp *w, int64_t id, const Errors *e, bool from_form)
{
    SkillMap m;
    Assessment as;
    if (!review_load(r, w, id, &m, &as)) return;
    int nendo = as.nendo;
    int64_t staff_id = as.staff_id;
    Staff s;
    staff_get(r->db, r->a, staff_id, page_today(r), nendo, &s);
    Crumb crumbs[] = {{"ホーム", "/"}, {"上司確認", "/assess/review"}, {s.name, NULL}};
    page_begin(r, w, arena_printf(r->a, "%sさんの自己評価（%s）", s.name, page_nendo_name(r, nendo)), "review", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    html_printf(b, "<dl class=\"props\"><dt>所属</dt><dd>%s</dd><dt>人材区分</dt><dd>%s</dd><dt>状態</dt><dd>", s.unit_name, tier_name(s.tier));
    state_badge(b, as.state);
    html_printf(b, "</dd></dl>\n<p class=\"basis\">%s</p>\n", assess_basis_text(r->a, as.basis_on, as.tiers));
    html_printf(b, "<p><a href=\"/gaps/person/%lld?nendo=%d\">ギャップ分析を見る</a></p>\n", (long long)staff_id, nendo);
    bool open = as.state == AS_SUBMITTED;
    if (open) form_begin(r, b, arena_printf(r->a, "/assess/%lld/confirm", (long long)id), "stack wide");
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>項目ごとのレベル</caption><thead><tr><th scope=\"col\">項目</th>"
                "<th scope=\"col\">目標</th><th scope=\"col\">本人</th><th scope=\"col\">コメント・根拠</th><th scope=\"col\">確認レベル</th>"
                "<th scope=\"col\">調整の理由</th></tr></thead><tbody>\n");
    for (int k = 0; k < as.nlines; k++) {
        const AssessLine *l = &as.lines[k];
        const SkillItem *it = &m.items[l->item];
        int sup = from_form ? form_level(r, "sup_", it->id) : (l->sup >= 0 ? l->sup : l->self);
        const char *reason = from_form ? form_text(r, "reason_", it->id) : l->reason;
        html_printf(b, "<tr><th scope=\"row\">%s %s</th><td class=\"num\">%d</td><td class=\"num\">", it->code, it->name, l->target);
        if (l->self >= 0) html_printf(b, "%d", l->self);
        else html_raw(b, "－");
        html_printf(b, "</td><td>%s%s%s", l->comment, !*l->evidence ? "" : *l->comment ? "／根拠：" : "根拠：", l->evidence);
        qual_evidence(r, b, staff_id, it->code);
        html_raw(b, "</td><td>");
        if (open) {
            html_printf(b, "<label class=\"visually-hidden\" for=\"sup_%lld\">%sの確認レベル</label><select id=\"sup_%lld\" name=\"sup_%lld\">",
                        (long long)it->id, it->name, (long long)it->id, (long long)it->id);
            for (int lv = 0; lv <= SKILL_MAX_LEVEL; lv++) html_printf(b, "<option value=\"%d\"%s>%d</option>", lv, lv == sup ? " selected" : "", lv);
            const char *rerr = err_for(e, arena_printf(r->a, "r%lld", (long long)it->id));
            html_printf(b, "</select></td><td><label class=\"visually-hidden\" for=\"f-r%lld\">%sの調整理由</label>"
                           "<input type=\"text\" id=\"f-r%lld\" name=\"reason_%lld\" value=\"%s\"%s>",
                        (long long)it->id, it->name, (long long)it->id, (long long)it->id, reason, rerr ? " aria-invalid=true" : "");
            if (rerr) html_printf(b, "<p class=\"error-msg\">%s</p>", rerr);
            html_raw(b, "</td></tr>\n");
        } else {
            if (l->sup >= 0) html_printf(b, "%d", l->sup);
            else html_raw(b, "－");
            html_printf(b, "</td><td>%s</td></tr>\n", l->reason);
        }
    }
    html_raw(b, "</tbody></table></div>\n");
    if (open) {
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">この内容で確認する</button></div>");
        form_end(b);
        html_raw(b, "<section class=\"panel\"><h2>差し戻す</h2>");
        form_begin(r, b, arena_printf(r->a, "/assess/%lld/return", (long long)id), "stack");
        field_textarea(b, e, "message", "本人へのメッセージ", from_form ? req_form(r, "message") : "", F_REQUIRED, "何を直してほしいかを具体的に書いてください。");
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn danger\">差し戻す</button></div>");
        form_end(b);
        html_raw(b, "</section>\n");
    }
    page_end(r, w);
}

void page_assess_review(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    int64_t staff_id = assess_staff_of(r->db, id, NULL);
    bool audited = staff_id && may_review(r, staff_id);
    if (audited && !page_read_begin(r, w)) return;
    render_review(r, w, id, NULL, false);
    if (audited) page_read_end(r, w, "assess.view", "assessment", id, staff_id, "自己評価の閲覧");
}

void page_assess_confirm(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    SkillMap m;
    Assessment as;
    if (!review_load(r, w, id, &m, &as)) return;
    int nendo = as.nendo;
    SupInput *in = arena_alloc(r->a, sizeof *in * (size_t)(as.nlines + 1));
    for (int k = 0; k < as.nlines; k++) {
        int64_t item = m.items[as.lines[k].item].id;
        in[k] = (SupInput){item, form_level(r, "sup_", item), form_text(r, "reason_", item)};
    }
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (assess_confirm(r->db, &who, id, in, as.nlines, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/assess/review?nendo=%d&msg=confirmed", nendo));
        return;
    }
    render_review(r, w, id, &e, true);
    w->status = 422;
}

void page_assess_return(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    int nendo = 0;
    int64_t staff_id = reviewable(r, w, id, &nendo);
    if (!staff_id) return;
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    if (assess_return(r->db, &who, id, text_trim(r->a, req_form(r, "message")), &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/assess/review?nendo=%d&msg=returned", nendo));
        return;
    }
    render_review(r, w, id, &e, true);
    w->status = 422;
}

/* ---- progress ---- */

void page_assess_progress(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    int64_t unit = scope_root(r->user), v;
    if (parse_int64(req_query(r, "unit_id"), &v) && (!unit || org_in_subtree(r->db, unit, v))) unit = v;
    ProgressRow *rows;
    char on[11];
    asof_nendo_date(nendo, on);
    int n = assess_progress(r->db, r->a, nendo, on, unit, scope_root(r->user), page_today(r), &rows);
    int counts[5] = {0}, hidden = 0;
    for (int i = 0; i < n; i++) {
        counts[rows[i].state]++;
        hidden += !rows[i].visible;
    }
    static const char *const head[] = {"職員番号", "氏名", "所属", "状態", "提出日時", NULL};
    Table t;
    table_init(&t, r->a, "評価の進捗", head);
    for (int i = 0; i < n; i++) {
        if (rows[i].state == AS_CONFIRMED || !rows[i].visible) continue; /* totals only for those not in the unit today */
        table_text(&t, rows[i].staff_no);
        table_text(&t, rows[i].name);
        table_text(&t, rows[i].unit_name);
        table_text(&t, assess_state_name(rows[i].state));
        table_text(&t, rows[i].submitted_at);
    }
    if (page_send_table(r, w, &t, arena_printf(r->a, "評価の進捗_%d年度", nendo))) return;
    Crumb crumbs[] = {{"ホーム", "/"}, {"評価の進捗", NULL}};
    page_begin(r, w, arena_printf(r->a, "評価の進捗（%s）", page_nendo_name(r, nendo)), "progress", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/assess/progress\">");
    field_unit_filter(r, b, "unit_id", "所属（配下を含む）", page_today(r), req_query(r, "unit_id"), "すべて");
    html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%d\"><button class=\"btn\" type=\"submit\">表示</button></form>\n", nendo);
    int submitted = counts[AS_SUBMITTED] + counts[AS_CONFIRMED];
    html_raw(b, "<div class=\"cards\">");
    html_printf(b, "<div class=\"card\"><span class=\"card-title\">対象職員</span><span class=\"card-value\">%d人</span></div>", n);
    html_printf(b, "<div class=\"card\"><span class=\"card-title\">自己評価実施率</span><span class=\"card-value\">%.1f%%</span>"
                   "<span class=\"card-note\">提出済 %d人</span></div>", n ? 100.0 * submitted / n : 0.0, submitted);
    html_printf(b, "<div class=\"card\"><span class=\"card-title\">上司確認完了率</span><span class=\"card-value\">%.1f%%</span>"
                   "<span class=\"card-note\">確認済 %d人</span></div>", n ? 100.0 * counts[AS_CONFIRMED] / n : 0.0, counts[AS_CONFIRMED]);
    html_raw(b, "</div>\n");
    if (hidden)
        html_printf(b, "<p class=\"muted\">人数は%sの対象者全員です。氏名は現在配下にいる職員だけを表示します。</p>\n", page_nendo_name(r, nendo));
    html_raw(b, "<div class=\"toolbar\">");
    const char *uq = unit ? arena_printf(r->a, "&unit_id=%lld", (long long)unit) : "";
    html_printf(b, "<a class=\"btn\" href=\"/assess/progress?format=csv&amp;nendo=%d%s\">CSV出力</a> "
                   "<a class=\"btn\" href=\"/assess/progress?format=xlsx&amp;nendo=%d%s\">Excel出力</a></div>\n", nendo, uq, nendo, uq);
    static const struct {
        AssessState s;
        const char *title;
    } groups[] = {{AS_NONE, "未着手（督促の対象）"}, {AS_DRAFT, "下書き（未提出）"}, {AS_RETURNED, "差戻し中"}, {AS_SUBMITTED, "上司確認待ち"}};
    /* Those not submitted (未着手, 下書き, 差戻し中) can be reminded: a
     * checkbox each, one form around the groups (page_remind.c). */
    int remindable = 0;
    for (int i = 0; i < n; i++) remindable += rows[i].visible && (rows[i].state == AS_NONE || rows[i].state == AS_DRAFT || rows[i].state == AS_RETURNED);
    if (remindable) {
        form_begin(r, b, "/remind/preview", "stack");
        html_printf(b, "<input type=\"hidden\" name=\"kind\" value=\"assessments\"><input type=\"hidden\" name=\"nendo\" value=\"%d\">"
                       "<input type=\"hidden\" name=\"back\" value=\"/assess/progress?nendo=%d%s\">",
                    nendo, nendo, uq);
    }
    for (size_t g = 0; g < COUNTOF(groups); g++) {
        bool remind = remindable && groups[g].s != AS_SUBMITTED;
        html_printf(b, "<section class=\"panel\"><h2>%s：%d人%s</h2>", groups[g].title, counts[groups[g].s], remind ? "（督促対象）" : "");
        if (!counts[groups[g].s]) {
            html_raw(b, "<p class=\"empty\">該当者はいません。</p></section>\n");
            continue;
        }
        html_raw(b, "<ul class=\"columns\">");
        int named = 0;
        for (int i = 0; i < n; i++)
            if (rows[i].state == groups[g].s && rows[i].visible) {
                if (remind)
                    html_printf(b, "<li><label class=\"choice\"><input type=\"checkbox\" name=\"id\" value=\"%lld\"> %s（%s）</label></li>",
                                (long long)rows[i].staff_id, rows[i].name, rows[i].unit_name);
                else html_printf(b, "<li>%s（%s）</li>", rows[i].name, rows[i].unit_name);
                named++;
            }
        html_raw(b, "</ul>");
        if (named < counts[groups[g].s])
            html_printf(b, "<p class=\"muted\">ほか%d人（現在は配下にいない職員のため、氏名は表示しません）</p>", counts[groups[g].s] - named);
        html_raw(b, "</section>\n");
    }
    if (remindable) {
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">選んだ人に督促する</button>"
                    " <span class=\"hint\">送る前に、相手と文面を確認する画面が出ます。</span></div>");
        form_end(b);
    }
    page_end(r, w);
}

/* ---- period ---- */

static void render_period(Req *r, Resp *w, int nendo, const char *opens, const char *closes, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"評価期間", NULL}};
    page_begin(r, w, "評価期間の設定", "progress", crumbs, 2);
    Buf *b = &w->body;
    error_summary(b, e);
    html_raw(b, "<p class=\"lead\">自己評価を受け付ける期間を年度ごとに設定します。期間外は自己評価を保存・提出できません（上司確認はいつでもできます）。</p>");
    form_begin(r, b, "/assess/period", "stack");
    field_text(b, e, "nendo", "年度", arena_printf(r->a, "%d", nendo), F_REQUIRED | F_NARROW, "例：2026 または 令和8");
    field_text(b, e, "opens_on", "開始日", opens, F_REQUIRED | F_NARROW, "例：2026-05-01");
    field_text(b, e, "closes_on", "終了日", closes, F_REQUIRED | F_NARROW, "例：2026-07-31");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button></div>");
    form_end(b);
    page_end(r, w);
}

void page_assess_period(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    AssessPeriod p;
    assess_period_get(r->db, r->a, nendo, &p);
    render_period(r, w, nendo, p.opens_on ? p.opens_on : "", p.closes_on ? p.closes_on : "", NULL);
}

void page_assess_period_post(Req *r, Resp *w)
{
    Errors e = {0};
    int nendo = 0;
    if (!nendo_parse_loose(req_form(r, "nendo"), &nendo)) err_add(&e, "nendo", "年度を正しく入力してください（例：2026）。");
    const char *opens = form_date(r, "opens_on"), *closes = form_date(r, "closes_on");
    Actor who;
    page_actor(r, &who);
    if (!err_any(&e) && assess_period_set(r->db, &who, nendo, opens, closes, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/assess/period?nendo=%d&msg=saved", nendo));
        return;
    }
    render_period(r, w, nendo ? nendo : r->nendo, opens, closes, &e);
    w->status = 422;
}
