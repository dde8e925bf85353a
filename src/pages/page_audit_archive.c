/* page_audit_archive.c - 監査ログの年度保存: an administrator moves a closed
 * 年度 of the audit log to a file beside the database (domain/auditarchive.h)
 * and sees the archives made so far. */
#include "../core/util.h"
#include "../domain/auditarchive.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

void page_audit_archives_table(Req *r, Buf *b)
{
    AuditArchive *v;
    int n = audit_archive_list(r->db, r->a, &v);
    if (!n) {
        html_raw(b, "<p class=\"empty\">ファイルに保存した年度はありません。</p>\n");
        return;
    }
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">年度</th><th scope=\"col\">件数</th>"
                "<th scope=\"col\">ファイル</th><th scope=\"col\">SHA-256</th><th scope=\"col\">保存日時</th><th scope=\"col\">操作者</th>"
                "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++)
        html_printf(b, "<tr><td>%d年度</td><td>%lld件</td><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td></tr>\n", v[i].nendo,
                    (long long)v[i].rows, v[i].file, v[i].sha256, v[i].archived_at, v[i].actor);
    html_raw(b, "</tbody></table></div>\n");
}

static void archive_page(Req *r, Resp *w, const Errors *e, const char *year)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"管理", "/admin"}, {"監査ログ", "/admin/audit"}, {"年度ごとの保存", NULL}};
    page_begin(r, w, "監査ログの年度ごとの保存", "admin", crumbs, 4);
    Buf *b = &w->body;
    if (str_eq(req_query(r, "msg"), "saved")) html_raw(b, "<div class=\"flash ok\" role=\"status\">ファイルに保存し、データベースから削除しました。</div>\n");
    html_printf(b, "<p class=\"lead\">終わった年度（3月31日が過ぎ、現在の年度より前の年度）の監査ログを、データベースのある"
                   "ディレクトリのファイル（audit-年度.csv）に移します。ファイルを書き込んで読み直し、件数とSHA-256を確かめて"
                   "から削除します。保存したことも監査ログに記録します。</p>\n");
    error_summary(b, e);
    form_begin(r, b, "/admin/audit/archive", "stack");
    field_text(b, e, "year", "年度", year, F_REQUIRED | F_NARROW, "例：2024");
    html_raw(b, "<button class=\"btn primary\" type=\"submit\">ファイルに保存して削除</button>");
    form_end(b);
    html_raw(b, "<h2>保存した年度</h2>\n");
    page_audit_archives_table(r, b);
    page_end(r, w);
}

void page_admin_audit_archive(Req *r, Resp *w) { archive_page(r, w, NULL, ""); }

void page_admin_audit_archive_post(Req *r, Resp *w)
{
    Errors e = {0};
    const char *y = req_form(r, "year");
    int year;
    if (!y || !nendo_parse_loose(y, &year)) err_add(&e, "year", "年度を西暦の4桁で入力してください（例：2024）。");
    else {
        const char *path = arena_printf(r->a, "%s/audit-%d.csv", audit_archive_dir, year);
        Actor who;
        page_actor(r, &who);
        AuditArchive ar;
        if (audit_archive(r->db, &who, year, path, &ar, &e) == 0) {
            resp_redirect(r, w, "/admin/audit/archive?msg=saved");
            return;
        }
    }
    archive_page(r, w, &e, y ? y : "");
    w->status = 422;
}
