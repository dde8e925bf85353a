/* page_transfer.c - the April 人事異動 (the register of key systems is page_keysystem.c).
 *
 * /transfers: upload a draft transfer list (異動案), see what it would do to
 * the coverage rules and KPIs (transfer_preview writes nothing), then apply
 * it. The preview page carries the CSV text in a hidden field, so applying
 * re-reads and re-checks exactly the list that was previewed. */
#include <math.h>
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/staffing.h"
#include "../domain/keysys.h"
#include "../domain/kpi.h"
#include "../domain/transfer.h"
#include "../html/layout.h"
#include "../io/encoding.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

static const char *const kind_names[] = {"異動", "採用", "退職"};

/* ---- the transfer list: format, upload ---- */

/* The columns, with examples dated next April (april: "2027-04-01"). */
static void format_help(Buf *b, const char *april)
{
    static const char *const cols[][3] = {
        {"職員番号", "登録済みの職員番号。採用は新しい職員番号", "K12345"},
        {"区分", "異動 ／ 採用 ／ 退職", "異動"},
        {"新所属コード", "異動先・採用先の組織コード（組織図のCSV出力の「組織コード」）。退職は空欄", "1-01-04-2"},
        {"発令日", "異動・採用はこの日から新しい所属。退職はこの日の前日が最終日（3月31日付の退職は4月1日を発令日に）", ""},
        {"氏名", "採用のみ", "国東　花子"},
        {"カナ", "採用のみ", "クニサキ　ハナコ"},
        {"職員区分", "採用のみ：正規 ／ 再任用 ／ 任期付 ／ 会計年度任用", "正規"},
    };
    static const char *const example[][7] = {
        {"K12345", "異動", "1-01-04-2", "", "", "", ""},
        {"K23456", "退職", "", "", "", "", ""},
        {"K90001", "採用", "1-02-01-1", "", "国東　花子", "クニサキ　ハナコ", "正規"},
    };
    html_raw(b, "<section class=\"panel\"><h2>異動案のCSVの形式</h2><p>文字コードはUTF-8（BOM付き可）またはCP932（Excelの「CSV（コンマ区切り）」）、1行目は見出しです。"
                "人事給与システムの内示名簿から、次の列を作ってください。</p>\n<div class=\"table-wrap\"><table class=\"data\">"
                "<caption>列</caption><thead><tr><th scope=\"col\">列名</th><th scope=\"col\">内容</th><th scope=\"col\">例</th></tr></thead><tbody>");
    for (size_t i = 0; i < COUNTOF(cols); i++)
        html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td></tr>", cols[i][0], cols[i][1], i == 3 ? april : cols[i][2]);
    html_raw(b, "</tbody></table></div>\n<div class=\"table-wrap\"><table class=\"data\"><caption>記入例</caption><thead><tr>");
    for (size_t i = 0; i < COUNTOF(cols); i++) html_printf(b, "<th scope=\"col\">%s</th>", cols[i][0]);
    html_raw(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < COUNTOF(example); i++) {
        html_raw(b, "<tr>");
        for (int c = 0; c < 7; c++) html_printf(b, "<td>%s</td>", c == 3 ? april : example[i][c]);
        html_raw(b, "</tr>");
    }
    html_raw(b, "</tbody></table></div></section>\n");
}

static void upload_form(Req *r, Buf *b)
{
    html_raw(b, "<section class=\"panel\"><h2>異動案を取り込んで影響を確認する</h2>"
                "<form method=\"post\" action=\"/transfers/preview\" enctype=\"multipart/form-data\" class=\"stack\" data-once>");
    html_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->user->csrf);
    html_raw(b, "<div class=\"field\"><label for=\"f-file\">異動案のCSVファイル <span class=\"req\">必須</span></label>"
                "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\".csv,text/csv\" required aria-describedby=\"h-file\">"
                "<p class=\"hint\" id=\"h-file\">確認の画面では何も変更しません。</p></div>"
                "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">影響を確認する</button></div></form></section>\n");
}

/* The last lists applied, from the audit log. */
static void recent_lists(Req *r, Buf *b)
{
    AuditFilter f = {.action = "transfer.apply", .limit = 5};
    AuditRow *rows;
    int total;
    int n = audit_list(r->db, r->a, &f, &rows, &total);
    if (!n) return;
    html_raw(b, "<section class=\"panel\"><h2>最近反映した異動案</h2><ul>");
    for (int i = 0; i < n; i++) {
        char *at = arena_strndup(r->a, rows[i].at, 16); /* "2027-03-25T09:30" */
        if (strlen(at) > 10) at[10] = ' ';
        html_printf(b, "<li>%s %s：%s</li>", at, rows[i].actor, rows[i].summary);
    }
    html_raw(b, "</ul></section>\n");
}

static void transfer_index(Req *r, Resp *w, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"人事異動", NULL}};
    page_begin(r, w, "人事異動シミュレーション", "transfers", crumbs, 2);
    Buf *b = &w->body;
    error_summary(b, e);
    html_raw(b, "<p class=\"lead\">4月の人事異動の前に、異動案（内示の名簿）を取り込み、総括リーダーがいなくなる係、"
                "担当できる人が2人未満になる重要システム、高度専門人材数とKPIへの影響を確かめます。"
                "確認してから反映すると、異動・採用・退職を1回の処理ですべて登録します。1行でも誤りがあれば何も登録しません。</p>\n");
    recent_lists(r, b);
    upload_form(r, b);
    format_help(b, arena_printf(r->a, "%d-04-01", r->nendo + 1));
    page_end(r, w);
}

void page_transfer(Req *r, Resp *w) { transfer_index(r, w, NULL); }

/* Reads the list from the uploaded file "file" (UTF-8 or CP932), else the
 * text field "csv" (the preview page sends it back that way), and checks it.
 * *text receives the list as UTF-8 text for the apply form. */
static bool read_list(Req *r, TransferList *l, const char **text, Errors *e)
{
    const char *data = NULL;
    size_t len = 0;
    for (size_t i = 0; i < r->files.n; i++)
        if (str_eq(r->files.items[i].field, "file") && r->files.items[i].len) data = r->files.items[i].data, len = r->files.items[i].len;
    if (!data && !str_empty(req_form(r, "csv"))) data = req_form(r, "csv"), len = strlen(data);
    if (!data) {
        err_add(e, "file", "異動案のCSVファイルを選んでください。");
        return false;
    }
    Buf u = BUF_INIT;
    int line = 0, col = 0;
    bool ok = to_utf8(data, len, &u, NULL, &line, &col) == 0 && !memchr(buf_cstr(&u), 0, u.len);
    if (ok) *text = arena_strndup(r->a, u.data, u.len);
    else err_addf(e, "file", "%d行目%d文字目の文字を読めません。UTF-8またはCP932で保存したCSVファイルを選んでください。", line, col);
    buf_free(&u);
    return ok && transfer_parse(r->db, r->a, *text, strlen(*text), l, e) == 0;
}

/* ---- the preview ---- */

static void list_table(Buf *b, const TransferList *l)
{
    int count[3] = {0};
    for (int i = 0; i < l->n; i++) count[l->rows[i].kind]++;
    html_printf(b, "<section class=\"panel\"><h2>異動案（%d人：異動%d人・採用%d人・退職%d人）</h2>", l->n, count[TR_MOVE], count[TR_HIRE],
                count[TR_RETIRE]);
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">行</th><th scope=\"col\">区分</th>"
                "<th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th><th scope=\"col\">現在の所属</th><th scope=\"col\">新しい所属</th>"
                "<th scope=\"col\">発令日</th></tr></thead><tbody>\n");
    for (int i = 0; i < l->n; i++) {
        const TransferRow *t = &l->rows[i];
        const char *name = !str_empty(t->staff_name) ? t->staff_name : t->name;
        html_printf(b, "<tr><td class=\"num\">%d</td><td>%s</td><td>%s</td><td>", t->line, kind_names[t->kind], t->staff_no);
        if (t->staff_id) html_printf(b, "<a href=\"/staff/%lld\">%s</a>", (long long)t->staff_id, name ? name : "");
        else html_printf(b, "%s", name ? name : "");
        html_printf(b, "</td><td>%s</td><td>%s</td><td>", str_empty(t->from_unit) ? "－" : t->from_unit,
                    t->kind == TR_RETIRE ? "（退職）" : str_empty(t->to_unit) ? "－" : t->to_unit);
        html_date(b, t->date);
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div></section>\n");
}

/* nendo: the 年度 the list takes effect in, for the designation links. */
static void lost_leaders(Buf *b, const TransferEffect *ef, int nendo)
{
    html_raw(b, "<section class=\"panel\"><h2>総括リーダーがいなくなる係</h2>");
    if (!ef->nlost) {
        html_raw(b, "<p><span class=\"flag ok\">○</span> この異動案で総括リーダーがいなくなる係はありません。</p></section>\n");
        return;
    }
    html_printf(b, "<p><span class=\"flag bad\">✕ %d係</span> 次の係では、ただ1人の総括リーダーが異動・退職します。"
                   "異動後の職員から後任を指名してください（②の目標に達している項目数の多い順）。</p>\n",
                ef->nlost);
    for (int i = 0; i < ef->nlost; i++) {
        html_printf(b, "<h3>%s</h3>", ef->lost_names[i]);
        if (!ef->ncandidates[i]) {
            html_raw(b, "<p class=\"empty\">異動後にこの係にいる職員がいません。</p>");
            continue;
        }
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th>"
                    "<th scope=\"col\">②の目標に達した項目</th><th scope=\"col\">操作</th></tr></thead><tbody>");
        for (int k = 0; k < ef->ncandidates[i]; k++) {
            const Candidate *c = &ef->candidates[i][k];
            html_printf(b, "<tr><td>%s</td><td>%s</td><td class=\"num\">%d／%d</td><td><a class=\"btn small\" "
                           "href=\"/tiers/new?staff_id=%lld&amp;unit_id=%lld&amp;subtype=lead&amp;nendo=%d\">総括リーダーに指名</a></td></tr>",
                        c->staff_no, c->name, c->met, c->items, (long long)c->staff_id, (long long)ef->lost_units[i], nendo);
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    html_raw(b, "</section>\n");
}

static bool same_rule(const StaffingRow *a, const StaffingRow *b)
{
    return str_eq(a->rule, b->rule) && a->unit_id == b->unit_id && a->system_id == b->system_id;
}

static const StaffingRow *cov_find(const StaffingRow *rows, int n, const StaffingRow *k)
{
    for (int i = 0; i < n; i++)
        if (same_rule(&rows[i], k)) return &rows[i];
    return NULL;
}

static void keysys_drops(Buf *b, const TransferEffect *ef)
{
    html_raw(b, "<section class=\"panel\"><h2>担当できる人が足りなくなる重要システム</h2>");
    int n = 0;
    for (int i = 0; i < ef->nbefore; i++) {
        const StaffingRow *was = &ef->before[i], *now = cov_find(ef->after, ef->nafter, was);
        int have = now ? now->have : 0, need = now ? now->need : was->need;
        if (!str_eq(was->rule, "keysystem") || was->have < was->need || have >= need) continue;
        if (!n++)
            html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">システム</th><th scope=\"col\">所管</th>"
                        "<th scope=\"col\">異動前</th><th scope=\"col\">異動後</th></tr></thead><tbody>\n");
        html_printf(b, "<tr><td><a href=\"/systems/%lld\">%s</a></td><td>%s</td>", (long long)was->system_id, was->what, was->unit_name);
        page_cov_cell(b, was);
        page_cov_cell(b, now);
        html_raw(b, "</tr>\n");
    }
    if (n) html_raw(b, "</tbody></table></div><p>担当者・副担当を追加するか、引継ぎの研修を計画してください。</p>");
    else html_raw(b, "<p><span class=\"flag ok\">○</span> 2人未満になる重要システムはありません。</p>");
    html_raw(b, "</section>\n");
}

static void expert_line(Buf *b, const TransferEffect *ef)
{
    const ExpertPlan *p = &ef->expert_before, *q = &ef->expert_after;
    html_printf(b, "<section class=\"panel\"><h2>高度専門人材数</h2><p>目標 %d人（異動に備えた上乗せ %d人を含む）に対し、"
                   "<strong>%d人 → %d人</strong>",
                q->target, q->buffer, p->actual, q->actual);
    if (q->actual < q->target) html_printf(b, " <span class=\"flag bad\">✕ %d人不足</span>", q->target - q->actual);
    else html_raw(b, " <span class=\"flag ok\">○ 目標達成</span>");
    html_raw(b, "</p></section>\n");
}

static const char *rule_name(const char *rule)
{
    return str_eq(rule, "leader") ? "総括リーダー" : str_eq(rule, "experts") ? "情報部門の高度専門人材" : str_eq(rule, "keysystem") ? "重要システム" : rule;
}

static void coverage_row(Buf *b, const StaffingRow *was, const StaffingRow *now)
{
    const StaffingRow *c = now ? now : was;
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td>", rule_name(c->rule), c->unit_name, c->what);
    page_cov_cell(b, was);
    page_cov_cell(b, now);
    html_printf(b, "<td>%s</td></tr>\n", now && now->reason ? now->reason : "");
}

static void coverage_changes(Buf *b, const TransferEffect *ef)
{
    html_raw(b, "<section class=\"panel\"><h2>配置ルールの変化</h2><p>○ 充足、△ 注意（異動時期の人だけで満たしている）、✕ 不足。状態が変わるものだけを示します。</p>");
    int n = 0;
    for (int pass = 0; pass < 2; pass++) {
        const StaffingRow *rows = pass ? ef->after : ef->before;
        int nrows = pass ? ef->nafter : ef->nbefore;
        for (int i = 0; i < nrows; i++) {
            const StaffingRow *was = pass ? cov_find(ef->before, ef->nbefore, &rows[i]) : &rows[i];
            const StaffingRow *now = pass ? &rows[i] : cov_find(ef->after, ef->nafter, &rows[i]);
            if (pass && was) continue; /* already shown in the first pass */
            if (was && now && was->state == now->state) continue;
            if (!n++)
                html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">ルール</th><th scope=\"col\">所属</th>"
                            "<th scope=\"col\">内容</th><th scope=\"col\">異動前</th><th scope=\"col\">異動後</th><th scope=\"col\">理由</th>"
                            "</tr></thead><tbody>\n");
            coverage_row(b, was, now);
        }
    }
    if (n) html_raw(b, "</tbody></table></div>");
    else html_raw(b, "<p>状態が変わる配置ルールはありません。</p>");
    html_raw(b, "</section>\n");
}

/* A count or an amount: no decimals when whole ("22人"), else one ("12.5時間"). */
static void amount(Buf *b, double v, const char *unit)
{
    html_printf(b, v == floor(v) ? "%.0f%s" : "%.1f%s", v, unit);
}

static void kpi_value(Buf *b, const KpiValue *v)
{
    if (v->actual < 0) html_raw(b, "－");
    else if (v->den) html_printf(b, "%.1f%s（%d／%d）", v->actual, v->def->unit, v->num, v->den);
    else amount(b, v->actual, v->def->unit);
}

static void kpi_changes(Buf *b, const TransferEffect *ef)
{
    html_raw(b, "<section class=\"panel\"><h2>KPIの変化</h2>");
    int n = 0;
    for (int i = 0; i < kpi_count; i++) {
        const KpiValue *was = &ef->kpi_before[i], *now = &ef->kpi_after[i];
        if (fabs(was->actual - now->actual) < 1e-9 && was->num == now->num && was->den == now->den) continue;
        if (!n++)
            html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">KPI</th><th scope=\"col\">異動前</th>"
                        "<th scope=\"col\">異動後</th><th scope=\"col\">目標</th></tr></thead><tbody>\n");
        html_printf(b, "<tr><td>%s</td><td>", now->def->name);
        kpi_value(b, was);
        html_raw(b, "</td><td>");
        kpi_value(b, now);
        html_raw(b, "</td><td>");
        if (now->target >= 0) amount(b, now->target, now->def->unit);
        else html_raw(b, "－");
        html_raw(b, "</td></tr>\n");
    }
    if (n) html_raw(b, "</tbody></table></div>");
    else html_raw(b, "<p>変わるKPIはありません。</p>");
    html_raw(b, "</section>\n");
}

void page_transfer_preview(Req *r, Resp *w)
{
    Errors e = {0};
    TransferList l;
    const char *text = "";
    TransferEffect ef;
    Actor who;
    page_actor(r, &who);
    if (!read_list(r, &l, &text, &e) || transfer_preview(r->db, r->a, &who, &l, r->nendo, &ef, &e) != 0) {
        transfer_index(r, w, &e);
        w->status = 422;
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"人事異動", "/transfers"}, {"影響の確認", NULL}};
    page_begin(r, w, "異動案の影響", "transfers", crumbs, 3);
    Buf *b = &w->body;
    html_raw(b, "<div class=\"flash\" role=\"status\"><strong>この画面ではまだ何も変更していません。</strong>"
                "内容を確かめてから、下の「この異動案を反映する」を押してください。</div>\n<p class=\"lead\">");
    html_date(b, l.effective);
    html_raw(b, " 時点で、この異動案を反映した場合の影響です。</p>\n");
    Date eff;
    date_parse(l.effective, &eff);
    lost_leaders(b, &ef, nendo_of(eff));
    keysys_drops(b, &ef);
    expert_line(b, &ef);
    coverage_changes(b, &ef);
    kpi_changes(b, &ef);
    list_table(b, &l);
    html_raw(b, "<section class=\"panel\"><h2>反映</h2><p>異動・採用・退職をそれぞれの発令日で1回の処理で登録し、操作の記録に残します。反映後の個別の修正は各職員の画面で行えます。</p>");
    form_begin(r, b, "/transfers/apply", "stack");
    html_printf(b, "<input type=\"hidden\" name=\"csv\" value=\"%s\">", text);
    html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\" data-confirm=\"%d人の異動・採用・退職を登録します。よろしいですか？\">"
                   "この異動案を反映する</button> <a class=\"btn\" href=\"/transfers\">やめる</a></div>",
                l.n);
    form_end(b);
    html_raw(b, "</section>\n");
    page_end(r, w);
}

void page_transfer_apply(Req *r, Resp *w)
{
    Errors e = {0};
    TransferList l;
    const char *text;
    Actor who;
    page_actor(r, &who);
    if (read_list(r, &l, &text, &e) && transfer_apply(r->db, &who, &l, &e) == 0) {
        resp_redirect(r, w, "/transfers?msg=transferred");
        return;
    }
    transfer_index(r, w, &e);
    w->status = 422;
}
