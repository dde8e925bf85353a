/* asof.h - the dates a view of a 年度 is taken on.
 *
 * What is in force on a date (assignments, service, designations, the
 * 所属長 scope rule) is defined in SQL by db/asof.h, included here so that
 * the domain has one header for both. */
#ifndef JINZAI_ASOF_H
#define JINZAI_ASOF_H

#include <stdbool.h>

#include "../db/asof.h"

/* The date a view of 年度 nendo is taken on: today while it runs, its last
 * day (3/31) once it is over, its first day (4/1) before it starts. */
void asof_nendo_date(int nendo, char out[11]);

/* True when iso (YYYY-MM-DD) lies inside 年度 nendo. */
bool asof_in_nendo(const char *iso, int nendo);

#endif
