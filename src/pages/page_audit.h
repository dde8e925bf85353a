/* page_audit.h - a page or download of personal data and its audit row in
 * one transaction (domain/readaudit.h):
 *
 *     if (!page_read_begin(r, w)) return;
 *     …read and render into w…
 *     page_read_end(r, w, "staff.view", "staff", id, id, "…");
 *
 * When the row cannot be written, w is replaced by an error page, so no
 * data read is sent. A handler that answered an error itself (status 400
 * or more) writes no row; with action NULL the transaction commits without
 * adding one (the handler wrote its own, or nothing personal was read). */
#ifndef JINZAI_PAGE_AUDIT_H
#define JINZAI_PAGE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "../http/http.h"

/* false (and w holds an error page) when the transaction cannot start. */
bool page_read_begin(Req *r, Resp *w);
void page_read_end(Req *r, Resp *w, const char *action, const char *entity, int64_t entity_id, int64_t subject_staff_id,
                   const char *summary);

#endif
