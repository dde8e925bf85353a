/* page_transfer.h - the transfer simulation (/transfers). */
#ifndef JINZAI_PAGE_TRANSFER_H
#define JINZAI_PAGE_TRANSFER_H

#include "../http/http.h"

void page_transfer(Req *r, Resp *w);
void page_transfer_preview(Req *r, Resp *w);
void page_transfer_apply(Req *r, Resp *w);

#endif
