/* page_keysystem.h - the key-system register (/systems). */
#ifndef JINZAI_PAGE_KEYSYSTEM_H
#define JINZAI_PAGE_KEYSYSTEM_H

#include "../http/http.h"

void page_keysys_list(Req *r, Resp *w);
void page_keysys_new(Req *r, Resp *w);
void page_keysys_show(Req *r, Resp *w);
void page_keysys_save(Req *r, Resp *w);
void page_keysys_staff(Req *r, Resp *w);
/* A coverage rule's state as a coloured flag ("○ 充足 2／2人"), and as a
 * table cell ("－" for NULL); the transfer preview shows them too. */
struct StaffingRow;
void page_cov_flag(Buf *b, const struct StaffingRow *c);
void page_cov_cell(Buf *b, const struct StaffingRow *c);

#endif
