/* page_audit.c - see page_audit.h. */
#include "page_audit.h"

#include "../domain/readaudit.h"
#include "pages.h"

bool page_read_begin(Req *r, Resp *w)
{
    if (read_audit_begin(r->db) == 0) return true;
    resp_error(r, w, 503, "データベースが混み合っています。しばらくしてからもう一度お試しください。");
    return false;
}

void page_read_end(Req *r, Resp *w, const char *action, const char *entity, int64_t entity_id, int64_t subject_staff_id,
                   const char *summary)
{
    Actor who;
    page_actor(r, &who);
    if (read_audit_end(r->db, &who, w->status < 400, action, entity, entity_id, subject_staff_id, summary) != 0)
        resp_error(r, w, 500, "閲覧を記録できなかったため、表示を中止しました。");
}
