/* page_import.h - the roster and records imports (/import). */
#ifndef JINZAI_PAGE_IMPORT_H
#define JINZAI_PAGE_IMPORT_H

#include "../http/http.h"

void page_import(Req *r, Resp *w);
void page_import_preview(Req *r, Resp *w);
void page_import_apply(Req *r, Resp *w);
void page_import_profile(Req *r, Resp *w);
void page_import_records_preview(Req *r, Resp *w);
void page_import_records_apply(Req *r, Resp *w);

#endif
