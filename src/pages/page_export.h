/* page_export.h - the export page (/export). */
#ifndef JINZAI_PAGE_EXPORT_H
#define JINZAI_PAGE_EXPORT_H

#include "../http/http.h"

void page_export(Req *r, Resp *w);
void page_export_download(Req *r, Resp *w);

#endif
