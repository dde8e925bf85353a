/* page_course_kit.h - the table and form pieces that the training office's
 * pages share: the catalogue (page_course.c), the annual plan (page_plan.c)
 * and next 年度's demand (page_demand.c). */
#ifndef JINZAI_PAGE_COURSE_KIT_H
#define JINZAI_PAGE_COURSE_KIT_H

#include "../html/layout.h"
#include "../http/http.h"

/* The tier filter's options: すべて, then ① ② ③. */
extern const Option kit_tier_opts[4];

/* 12345 -> "12,345" */
const char *kit_num(Req *r, long long v);
/* "12人", or 制限なし for 定員 0. */
const char *kit_capacity_text(Req *r, int v);
/* The provider in a table cell: its name, then 庁内 or 外部 below it. */
void kit_provider_cell(Buf *b, const char *code);
/* A posted form shows again what the user typed; a fresh one the stored value. */
const char *kit_typed(Req *r, const char *name, const char *stored);
const char *kit_typed_int(Req *r, const char *name, long long stored);
/* A whole number as typed (full-width digits and "1,000" allowed); "" is 0,
 * anything else -1, which the domain rejects with its own message. */
int kit_form_int(Req *r, const char *name);
/* Opens the toolbar with the two download links; the caller closes it. */
void kit_toolbar_exports(Buf *b, const char *path, const char *qs);
void kit_th_row(Buf *b, const char *const *heads);
/* Opens a data table with one header row (caption NULL: none, when a heading
 * already names it); the caller closes it with kit_table_close. */
void kit_table_open(Buf *b, const char *caption, const char *const *heads);
void kit_table_close(Buf *b);
void kit_nendo_select(Req *r, Buf *b, int nendo);

#endif
