/* page_disclosure.c - everything jinzai holds about one person, for a
 * 開示請求 (disclosure request), as an Excel workbook. */
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

void page_disclosure(Req *r, Resp *w)
{
    int64_t id = req_param_id(r, 0);
    const char *no = db_text(r->db, r->a, "SELECT staff_no FROM staff WHERE id = ?", id);
    if (!no) {
        resp_error(r, w, 404, "その職員は見つかりません。");
        return;
    }
    /* Recorded first, so the workbook's 記録された操作 shows this export too;
     * no record, no export. */
    if (!page_read_begin(r, w)) return;
    Actor who;
    page_actor(r, &who);
    if (audit_write(r->db, &who, "disclosure.export", "staff", id, id, "開示請求の出力") != 0) {
        resp_error(r, w, 500, "操作を記録できなかったため、出力を中止しました。");
        page_read_end(r, w, NULL, "staff", id, id, NULL);
        return;
    }
    Table ts[EXPORT_PERSON_TABLES];
    int n = export_person(r->db, r->a, id, ts, (int)COUNTOF(ts));
    Buf x = BUF_INIT;
    if (!n || tables_xlsx(ts, n, &x) != 0) {
        resp_error(r, w, 500, "Excelファイルを作成できませんでした。");
    } else {
        page_send_csv(r, w, &x, arena_printf(r->a, "開示請求_%s.xlsx", no)); /* sends any bytes as a named download */
        w->content_type = XLSX_TYPE;
    }
    buf_free(&x);
    page_read_end(r, w, NULL, "staff", id, id, NULL); /* the row above commits with the read, or nothing is sent */
}
