/* page_export.c - the export page: lists of staff, skills, assessments and
 * training as CSV (UTF-8 or CP932) or Excel, within the viewer's scope. */
#include <string.h>
#include <unistd.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/export.h"
#include "../domain/records.h"
#include "../domain/roster.h"
#include "../domain/staff.h"
#include "../html/layout.h"
#include "../io/encoding.h"
#include "../io/table.h"
#include "../io/text.h"
#include "page_audit.h"
#include "pages.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Lists of people: only org-wide roles export everyone. */
static bool about_people(const char *kind) { return !str_eq(kind, "skills"); }

static int nendo_param(Req *r)
{
    const char *s = req_query(r, "nendo");
    int n;
    return s && nendo_parse_loose(s, &n) ? n : r->nendo;
}

/* Today, or the nearest day of that 年度. */
static const char *as_of_in(Req *r, int nendo)
{
    Date first, last, d = date_today();
    nendo_range(nendo, &first, &last);
    if (date_cmp(d, first) < 0) d = first;
    if (date_cmp(d, last) > 0) d = last;
    char *iso = arena_alloc(r->a, 11);
    date_iso(d, iso);
    return iso;
}

void page_export(Req *r, Resp *w)
{
    static const char *const about[] = {"在職職員の名簿。名簿の取込と同じ見出しなので、そのまま取り込み直せます", "スキル項目と、その年度の目標レベル",
                                        "その年度の自己評価と上司確認の結果", "その年度の研修の出席・修了・復命書"};
    int nendo = nendo_param(r);
    bool org_wide = scope_root(r->user) == 0;
    Crumb crumbs[] = {{"ホーム", "/"}, {"データの出力", NULL}};
    page_begin(r, w, "データの出力", "export", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">一覧をCSVまたはExcelファイルで出力します。CSVはUTF-8（BOM付き、Excelでそのまま開けます）が標準です。"
                "Shift_JISしか読めない取込先には「CSV（Shift_JIS・CP932）」を選んでください。CP932で表せない文字（𠮷（つちよし）や絵文字など）があるときは出力せず、"
                "その行と列を示します。" CP932_MAPPED_NOTE "出力した記録は操作の記録に残ります。</p>\n");
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/export\">");
    field_text(b, NULL, "nendo", "年度", arena_printf(r->a, "%d", nendo), F_NARROW, NULL);
    html_raw(b, "<button class=\"btn\" type=\"submit\">変更</button></form>\n");
    Buf nb = BUF_INIT;
    wareki_nendo(&nb, nendo);
    html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>%s（%d年度）の出力</caption><thead><tr><th scope=\"col\">出力するもの</th>"
                   "<th scope=\"col\">内容</th><th scope=\"col\">ファイル</th></tr></thead><tbody>\n",
                buf_cstr(&nb), nendo);
    buf_free(&nb);
    for (size_t i = 0; i < COUNTOF(export_kinds); i++) {
        const char *kind = export_kinds[i], *name = export_kind_name(kind);
        html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td class=\"downloads\">", name, about[i]);
        if (about_people(kind) && !org_wide) {
            html_raw(b, "<span class=\"muted\">人事・DX推進・管理者が出力できます</span></td></tr>\n");
            continue;
        }
        static const char *const how[][2] = {{"format=csv", "CSV（UTF-8）"}, {"format=csv&encoding=cp932", "CSV（Shift_JIS・CP932）"}, {"format=xlsx", "Excel"}};
        for (size_t k = 0; k < COUNTOF(how); k++)
            html_printf(b, "<a class=\"btn small\" href=\"/export/%s?%s&amp;nendo=%d\" aria-label=\"%sを%sで出力\">%s</a> ", kind, how[k][0], nendo, name,
                        how[k][1], how[k][1]);
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    if (r->user->roles & (ROLE_HR | ROLE_ADMIN))
        html_raw(b, "<p>ひとりの職員について記録しているすべての情報（開示請求への対応）は、職員の詳細画面から出力します。</p>\n");
    page_end(r, w);
}

/* The 422 page of a CP932 export that cannot be written: nothing is sent. */
static void cp932_problems(Req *r, Resp *w, const char *kind, const char *name, int nendo, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"データの出力", "/export"}, {name, NULL}};
    page_begin(r, w, "Shift_JIS（CP932）で出力できません", "export", crumbs, 3);
    Buf *b = &w->body;
    page_problem_list(b, "Shift_JIS（CP932）で表せない文字があります", "何も出力していません。", e, NULL);
    html_raw(b, "<p>UTF-8のCSVかExcelで出力すると、これらの文字もそのまま出力できます。取込先がShift_JISしか読めない場合は、"
                "該当する職員の表記を取込先でどう扱うか確かめてください。</p>\n<div class=\"actions\">");
    html_printf(b, "<a class=\"btn primary\" href=\"/export/%s?format=csv&nendo=%d\">CSV（UTF-8）で出力</a> "
                   "<a class=\"btn\" href=\"/export/%s?format=xlsx&nendo=%d\">Excelで出力</a> <a class=\"btn\" href=\"/export?nendo=%d\">戻る</a></div>\n",
                kind, nendo, kind, nendo, nendo);
    page_end(r, w);
    w->status = 422;
}

void page_export_download(Req *r, Resp *w)
{
    const char *kind = r->params[0], *name = export_kind_name(kind);
    const char *format = req_query(r, "format");
    bool cp932 = str_eq(format, "csv") && str_eq(req_query(r, "encoding"), "cp932");
    if (!name || !page_wants_export(r)) {
        resp_error(r, w, 404, "その出力はありません。");
        return;
    }
    if (about_people(kind) && scope_root(r->user) != 0) {
        resp_error(r, w, 403, "職員の一覧は、組織全体を扱う担当（人事・DX推進・管理者）だけが出力できます。");
        return;
    }
    int nendo = nendo_param(r);
    if (!page_read_begin(r, w)) return;
    /* Straight from the query to a temporary file, row by row, and sent from
     * that file: memory does not grow with the number of rows. */
    bool xlsx = str_eq(format, "xlsx");
    ExportFile f;
    Errors e = {0};
    int rc = export_file(r->db, r->a, kind, nendo, as_of_in(r, nendo), xlsx ? EXPORT_XLSX : cp932 ? EXPORT_CSV_CP932 : EXPORT_CSV, &f, &e);
    if (rc != 0 && cp932 && err_any(&e)) cp932_problems(r, w, kind, name, nendo, &e);
    else if (rc != 0) resp_error(r, w, 500, xlsx ? "Excelファイルを作成できませんでした。" : "CSVファイルを作成できませんでした。");
    /* Only a download is recorded; the CP932 problem page writes no row. */
    page_read_end(r, w, rc == 0 ? arena_printf(r->a, "export.%s", kind) : NULL, "export", 0, 0,
                  arena_printf(r->a, "%s %s %d年度 %d行", name, cp932 ? "CSV（CP932）" : xlsx ? "Excel" : "CSV（UTF-8）", nendo, f.rows));
    if (rc != 0) return;
    if (w->status >= 400) { /* not recorded: not sent */
        close(f.fd);
        return;
    }
    const char *base = arena_printf(r->a, "%s_%d年度", name, nendo);
    if (xlsx) page_send_file(r, w, f.fd, f.len, arena_printf(r->a, "%s.xlsx", base), XLSX_TYPE);
    else if (cp932) page_send_file(r, w, f.fd, f.len, arena_printf(r->a, "%s_SJIS.csv", base), "text/csv; charset=Shift_JIS");
    else page_send_file(r, w, f.fd, f.len, arena_printf(r->a, "%s.csv", base), "text/csv; charset=utf-8");
}
