/* asof.c - see asof.h. */
#include "asof.h"

#include "../io/text.h"

void asof_nendo_date(int nendo, char out[11])
{
    Date today = date_today(), first, last;
    nendo_range(nendo, &first, &last);
    if (date_cmp(today, first) < 0) date_iso(first, out);
    else if (date_cmp(today, last) > 0) date_iso(last, out);
    else date_iso(today, out);
}

bool asof_in_nendo(const char *iso, int nendo)
{
    Date d;
    return iso && date_parse(iso, &d) && nendo_of(d) == nendo;
}
