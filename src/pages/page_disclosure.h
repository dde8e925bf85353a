/* page_disclosure.h - everything about one person for a 開示請求 (/staff/{id}/disclosure). */
#ifndef JINZAI_PAGE_DISCLOSURE_H
#define JINZAI_PAGE_DISCLOSURE_H

#include "../http/http.h"

void page_disclosure(Req *r, Resp *w);

#endif
