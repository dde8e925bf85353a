/* framecache.h - the values the page frame shows on every page (the city's
 * name in the header, the menu's counts of pending work and unread notices),
 * kept per login session while the data version (db/dataver.h), the day
 * and the 年度 stay the same.
 *
 * Every write that can change them is audited and so moves the data version:
 * the next page after it computes them again. A page that changes nothing
 * reads one row (the version) instead of the counts, whose cost grew with
 * the organisation (the 事務局's count of applications waiting for a
 * decision reads every application). */
#ifndef JINZAI_FRAMECACHE_H
#define JINZAI_FRAMECACHE_H

#include "../http/http.h"

typedef struct FrameValues {
    const char *city; /* settings_city */
    int assess;       /* nav_count(r, "assess") */
    int training;     /* nav_count(r, "training") */
    int notices;      /* nav_count(r, "notices") */
} FrameValues;

/* The values for r's user (r->user not NULL), from the cache when they were
 * computed at the current data version, day and 年度 for the same session,
 * account, roles and unit; otherwise computed and kept. Strings are in r->a. */
void frame_values(Req *r, FrameValues *out);

/* Turns the cache off (every call computes) or on; for tests that compare. */
void frame_cache_enable(bool on);

#endif
