/* page_nendo.c - the 年度 rollover screen (/nendo/rollover), designation in
 * bulk: the 係 left without a 総括リーダー (checkboxes, /tiers/bulk) and a
 * CSV file (/tiers/import). */
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../domain/nendo.h"
#include "../domain/settings.h"
#include "../domain/tier.h"
#include "../html/layout.h"
#include "../io/encoding.h"
#include "../io/text.h"
#include "pages.h"

/* The first day a designation of nendo can take today: its 4/1, or today
 * when the 年度 is already running. */
static const char *default_start(Req *r, int nendo)
{
    Date first, today = date_today();
    nendo_range(nendo, &first, NULL);
    char *iso = arena_alloc(r->a, 11);
    date_iso(nendo_of(today) == nendo && date_cmp(today, first) > 0 ? today : first, iso);
    return iso;
}

static void rollover_form(Req *r, Buf *b, int to, const Errors *e)
{
    html_raw(b, "<section class=\"panel\"><h2>年度更新の確認</h2>");
    form_begin(r, b, "/nendo/rollover", "stack");
    field_text(b, e, "to", "更新先の年度", arena_printf(r->a, "%d", to), F_REQUIRED | F_NARROW, "例：2027 または 令和9");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">確認する（何も変更しません）</button></div>");
    form_end(b);
    html_raw(b, "</section>\n");
}

static void left_table(Buf *b, const char *title, const RolloverLeft *l, int n)
{
    html_printf(b, "<section class=\"panel\"><h2>%s（%d件）</h2>", title, n);
    if (!n) {
        html_raw(b, "<p class=\"empty\">ありません。</p></section>\n");
        return;
    }
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th>"
                "<th scope=\"col\">区分</th><th scope=\"col\">所属・システム</th><th scope=\"col\">理由</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++)
        html_printf(b, "<tr><td>%s</td><td><a href=\"/staff/%lld\">%s</a></td><td>%s</td><td>%s</td><td>%s</td></tr>\n", l[i].staff_no,
                    (long long)l[i].staff_id, l[i].name, l[i].what, l[i].unit_name, l[i].reason);
    html_raw(b, "</tbody></table></div></section>\n");
}

static void report(Req *r, Buf *b, const RolloverReport *rep)
{
    if (rep->existing)
        html_printf(b, "<p class=\"notice\">%sの指名が既に%d件あります。二重には指名せず、足りない指名だけを追加します。</p>\n",
                    page_nendo_name(r, rep->to), rep->existing);
    html_printf(b, "<section class=\"panel\"><h2>引き継ぐもの</h2><table class=\"data\"><thead><tr><th scope=\"col\">種類</th>"
                   "<th scope=\"col\">件数</th></tr></thead><tbody>");
    for (int i = 0; i < 4; i++)
        html_printf(b, "<tr><td>指名：%s（%s）</td><td class=\"num\">%d</td></tr>", tier_subtypes[i].name, tier_name(tier_subtypes[i].tier),
                    rep->carried[i]);
    struct {
        const char *name;
        int n;
        bool had;
    } kinds[] = {{"スキル目標", rep->skill_targets, rep->had_targets},   {"組織ごとの追加目標", rep->unit_targets, rep->had_unit_targets},
                 {"KPI目標値", rep->kpi_targets, rep->had_kpi_targets}, {"KPIの算定値", rep->kpi_params, rep->had_kpi_params},
                 {"年間研修計画", rep->plans, rep->had_plans},         {"評価期間", rep->periods, rep->had_period}};
    for (size_t i = 0; i < COUNTOF(kinds); i++)
        html_printf(b, "<tr><td>%s</td><td class=\"num\">%s</td></tr>", kinds[i].name,
                    kinds[i].had ? "設定済みのため引き継ぎません" : arena_printf(r->a, "%d", kinds[i].n));
    html_raw(b, "</tbody></table></section>\n");
    left_table(b, "引き継がない指名（退職・異動）", rep->left, rep->nleft);
    left_table(b, "担当の見直しが必要な重要システム", rep->duties, rep->nduties);
}

/* The 係 without a 総括リーダー, each candidate a checkbox: one POST designates them all. */
static void gaps_form(Req *r, Buf *b, const RolloverReport *rep, bool can_post)
{
    html_printf(b, "<section class=\"panel\"><h2>総括リーダーのいない係（%d係）</h2>", rep->ngaps);
    if (!rep->ngaps) {
        html_raw(b, "<p class=\"empty\">ありません。</p></section>\n");
        return;
    }
    if (can_post) {
        form_begin(r, b, "/tiers/bulk", "stack");
        html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%d\"><input type=\"hidden\" name=\"subtype\" value=\"lead\">", rep->to);
    }
    for (int i = 0; i < rep->ngaps; i++) {
        const RolloverGap *g = &rep->gaps[i];
        html_printf(b, "<fieldset><legend>%s</legend>", g->unit_name);
        if (!g->ncand) html_raw(b, "<p class=\"empty\">この係に候補となる職員がいません。</p>");
        for (int k = 0; k < g->ncand; k++) {
            const RolloverCandidate *c = &g->cand[k];
            if (can_post)
                html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"pick\" value=\"%lld-%lld\"> %s %s（%s%s）</label>",
                            (long long)c->staff_id, (long long)g->unit_id, c->staff_no, c->name, c->post, c->was_leader ? "・前年度②" : "");
            else html_printf(b, "<p>%s %s（%s%s）</p>", c->staff_no, c->name, c->post, c->was_leader ? "・前年度②" : "");
        }
        html_raw(b, "</fieldset>");
    }
    if (can_post) {
        field_text(b, NULL, "designated_on", "指名日", default_start(r, rep->to), F_REQUIRED | F_NARROW, NULL);
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">選んだ職員を総括リーダーに指名する</button></div>");
        form_end(b);
    }
    html_raw(b, "</section>\n");
}

void page_nendo_rollover(Req *r, Resp *w)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"人材区分", "/tiers"}, {"年度更新", NULL}};
    page_begin(r, w, "年度更新", "tiers", crumbs, 3);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">前年度の指名（在職し同じ所属にいる人）、スキル目標、KPI目標、年間研修計画、評価期間を新しい年度に引き継ぎます。"
                "まず確認し、内容を見てから適用します。</p>\n");
    rollover_form(r, b, r->nendo + 1, NULL);
    page_end(r, w);
}

void page_nendo_rollover_post(Req *r, Resp *w)
{
    Errors e = {0};
    int to = 0;
    const char *to_s = text_trim(r->a, req_form(r, "to"));
    if (!nendo_parse_loose(to_s, &to)) err_add(&e, "to", "更新先の年度を入力してください（例：2027）。");
    bool apply = !str_empty(req_form(r, "apply"));
    bool set_current = !str_empty(req_form(r, "set_current"));
    RolloverReport rep = {0};
    Actor who;
    page_actor(r, &who);
    int rc = err_any(&e) ? -1
                         : nendo_rollover(r->db, r->a, &who, to - 1, to, (apply ? 0u : NENDO_DRY_RUN) | (set_current ? NENDO_SET_CURRENT : 0u),
                                          &rep, &e);
    if (rc == 0 && set_current) r->nendo = to;
    Crumb crumbs[] = {{"ホーム", "/"}, {"人材区分", "/tiers"}, {"年度更新", NULL}};
    page_begin(r, w, apply && rc == 0 ? "年度更新（適用しました）" : "年度更新（確認）", "tiers", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, &e);
    if (rc != 0) {
        rollover_form(r, b, to ? to : r->nendo + 1, &e);
        w->status = 422;
        page_end(r, w);
        return;
    }
    const char *from_name = page_nendo_name(r, rep.from), *to_name = page_nendo_name(r, rep.to);
    if (apply)
        html_printf(b, "<p class=\"notice\">%sから%sへ引き継ぎました（指名%d件）。%s</p>\n", from_name, to_name, rollover_carried(&rep),
                    set_current ? arena_printf(r->a, "現在の年度を%sにしました。", to_name) : "");
    else html_printf(b, "<p class=\"notice\">確認のみです。まだ何も変更していません。%sから%sへ引き継ぐ内容です。</p>\n", from_name, to_name);
    report(r, b, &rep);
    gaps_form(r, b, &rep, apply);
    if (!apply) {
        form_begin(r, b, "/nendo/rollover", "stack");
        html_printf(b, "<input type=\"hidden\" name=\"to\" value=\"%d\"><input type=\"hidden\" name=\"apply\" value=\"1\">", rep.to);
        field_checkbox(b, "set_current", arena_printf(r->a, "適用後、現在の年度を%sにする", to_name), false);
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">この内容で適用する</button>"
                    " <a class=\"btn\" href=\"/nendo/rollover\">やめる</a></div>");
        form_end(b);
    }
    page_end(r, w);
}

void page_tier_bulk(Req *r, Resp *w)
{
    Errors e = {0};
    int nendo = 0;
    if (!nendo_parse_loose(req_form(r, "nendo"), &nendo)) err_add(&e, "nendo", "年度を正しく指定してください。");
    const char *subtype = tier_subtype_parse(req_form(r, "subtype"));
    if (!subtype) err_add(&e, "subtype", "区分を選んでください。");
    const char *on = form_date(r, "designated_on");
    Designation *ds = arena_alloc(r->a, sizeof *ds * (r->form.n + 1));
    int n = 0;
    for (size_t i = 0; i < r->form.n; i++) {
        if (!str_eq(r->form.items[i].name, "pick")) continue;
        char *end;
        long long sid = strtoll(r->form.items[i].value, &end, 10), uid = *end == '-' ? strtoll(end + 1, &end, 10) : 0;
        if (sid <= 0 || uid <= 0 || *end) continue;
        ds[n++] = (Designation){.staff_id = sid, .unit_id = uid, .nendo = nendo, .subtype = subtype, .designated_on = on,
                                .designated_by = r->user->name};
    }
    Actor who;
    page_actor(r, &who);
    if (!err_any(&e) && tier_designate_many(r->db, &who, ds, n, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/tiers?nendo=%d&msg=designated", nendo));
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"人材区分", "/tiers"}, {"一括指名", NULL}};
    page_begin(r, w, "一括指名", "tiers", crumbs, 3);
    error_summary(&w->body, &e);
    html_raw(&w->body, "<p>何も指名していません。<a href=\"/nendo/rollover\">年度更新</a>からやり直してください。</p>\n");
    w->status = 422;
    page_end(r, w);
}

/* ---- CSV ---- */

static void import_form(Req *r, Buf *b, int nendo)
{
    html_raw(b, "<section class=\"panel\"><h2>CSVで一括指名する</h2>"
                "<form method=\"post\" action=\"/tiers/import\" enctype=\"multipart/form-data\" class=\"stack\" data-once>");
    html_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->user->csrf);
    field_text(b, NULL, "nendo", "年度", arena_printf(r->a, "%d", nendo), F_REQUIRED | F_NARROW, "例：2026 または 令和8");
    html_raw(b, "<div class=\"field\"><label for=\"f-file\">CSVファイル（UTF-8またはShift_JIS） <span class=\"req\">必須</span></label>"
                "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\".csv,text/csv\" required></div>"
                "<p class=\"hint\">見出し：職員番号,区分,所属コード,指名日,備考（区分は 総括リーダー・プロジェクト担当・情報部門・重要システム担当）。"
                "指名日を空けると年度の初日（年度中は今日）です。確認の画面では何も変更しません。</p>"
                "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">確認する</button></div></form></section>\n");
}

void page_tier_import(Req *r, Resp *w)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"人材区分", "/tiers"}, {"CSVで一括指名", NULL}};
    page_begin(r, w, "CSVで一括指名", "tiers", crumbs, 3);
    import_form(r, &w->body, page_nendo(r, req_query(r, "nendo")));
    page_end(r, w);
}

void page_tier_import_post(Req *r, Resp *w)
{
    Errors e = {0};
    int nendo = page_nendo(r, req_form(r, "nendo"));
    const char *data = NULL;
    size_t len = 0;
    for (size_t i = 0; i < r->files.n; i++)
        if (str_eq(r->files.items[i].field, "file") && r->files.items[i].len) data = r->files.items[i].data, len = r->files.items[i].len;
    if (!data && !str_empty(req_form(r, "csv"))) data = req_form(r, "csv"), len = strlen(data);
    bool apply = !str_empty(req_form(r, "apply"));
    TierImport imp = {0};
    Actor who;
    page_actor(r, &who);
    int rc = -1;
    const char *text = NULL;
    if (!data) err_add(&e, "file", "CSVファイルを選んでください。");
    else {
        Buf u = BUF_INIT;
        int line = 0, col = 0;
        if (to_utf8(data, len, &u, NULL, &line, &col) == 0) text = arena_strndup(r->a, u.data, u.len);
        buf_free(&u);
        rc = tier_import(r->db, r->a, &who, data, len, nendo, !apply, &imp, &e);
    }
    if (rc == 0 && apply) {
        resp_redirect(r, w, arena_printf(r->a, "/tiers?nendo=%d&msg=designated", nendo));
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"人材区分", "/tiers"}, {"CSVで一括指名", NULL}};
    page_begin(r, w, "CSVで一括指名（確認）", "tiers", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, &e);
    if (imp.n) {
        html_printf(b, "<section class=\"panel\"><h2>%sの指名（%d行、誤り%d行）</h2>", page_nendo_name(r, nendo), imp.n, imp.bad);
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">行</th><th scope=\"col\">職員番号</th>"
                    "<th scope=\"col\">氏名</th><th scope=\"col\">区分</th><th scope=\"col\">所属コード</th><th scope=\"col\">指名日</th>"
                    "<th scope=\"col\">結果</th></tr></thead><tbody>\n");
        for (int i = 0; i < imp.n; i++) {
            const TierImportRow *t = &imp.rows[i];
            html_printf(b, "<tr><td class=\"num\">%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", t->line,
                        t->staff_no, t->name ? t->name : "", t->subtype, t->unit, t->on, t->error ? t->error : "指名できます");
        }
        html_raw(b, "</tbody></table></div></section>\n");
    }
    if (rc == 0 && text) {
        html_raw(b, "<p class=\"notice\">確認のみです。まだ何も指名していません。</p>");
        form_begin(r, b, "/tiers/import", "stack");
        html_printf(b, "<input type=\"hidden\" name=\"nendo\" value=\"%d\"><input type=\"hidden\" name=\"apply\" value=\"1\">"
                       "<input type=\"hidden\" name=\"csv\" value=\"%s\">", nendo, text);
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">この内容で指名する</button></div>");
        form_end(b);
    } else {
        html_raw(b, "<p>誤りがあるため、何も指名していません。CSVを直してもう一度取り込んでください。</p>");
        import_form(r, b, nendo);
        w->status = 422;
    }
    page_end(r, w);
}
