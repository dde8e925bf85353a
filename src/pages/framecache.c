/* framecache.c - see framecache.h. */
#include "framecache.h"

#include <string.h>

#include "../db/dataver.h"
#include "../core/util.h"
#include "../domain/settings.h"
#include "page_frame.h"

enum { FRAME_ENTRIES = 16, FRAME_CITY_MAX = 256, FRAME_TOKEN_MAX = 72 };

/* One session's values, as computed at (version, today, nendo). */
typedef struct Entry {
    uint64_t used; /* last use, for replacing the oldest; 0: empty */
    const Db *db;
    char token[FRAME_TOKEN_MAX]; /* the session's CSRF token: random, so it names one session of one database */
    int64_t account_id, staff_id, unit_id;
    unsigned roles;
    int64_t version;
    char today[11];
    int nendo;
    char city[FRAME_CITY_MAX];
    int assess, training, notices;
} Entry;

/* Per thread: a Db is used by one thread at a time (db.h), and the server
 * keeps one connection per worker thread, so no lock is needed. */
static _Thread_local Entry entries[FRAME_ENTRIES];
static _Thread_local uint64_t clock_ticks;
static bool enabled = true;

void frame_cache_enable(bool on) { enabled = on; }

static bool same_key(const Entry *e, const Req *r, const char *token)
{
    const User *u = r->user;
    return e->used && e->db == r->db && !strcmp(e->token, token) && e->account_id == u->account_id &&
           e->staff_id == u->staff_id && e->unit_id == u->unit_id && e->roles == u->roles;
}

static void compute(Req *r, FrameValues *out)
{
    out->city = settings_city(r->db, r->a);
    nav_counts(r, &out->assess, &out->training);
    out->notices = nav_count(r, "notices");
}

void frame_values(Req *r, FrameValues *out)
{
    const char *token = r->user->csrf ? r->user->csrf : "";
    if (!enabled || strlen(token) >= FRAME_TOKEN_MAX) {
        compute(r, out);
        return;
    }
    int64_t version = data_version(r->db);
    char today[11];
    now_date(today);
    Entry *hit = NULL, *oldest = &entries[0];
    for (int i = 0; i < FRAME_ENTRIES; i++) {
        Entry *e = &entries[i];
        if (same_key(e, r, token)) {
            hit = e;
            break;
        }
        if (e->used < oldest->used) oldest = e;
    }
    if (hit && hit->version == version && hit->nendo == r->nendo && !strcmp(hit->today, today)) {
        hit->used = ++clock_ticks;
        out->city = arena_strdup(r->a, hit->city);
        out->assess = hit->assess;
        out->training = hit->training;
        out->notices = hit->notices;
        return;
    }
    compute(r, out);
    Entry *e = hit ? hit : oldest;
    if (strlen(out->city) >= FRAME_CITY_MAX) { /* not kept: computed on each page */
        e->used = 0;
        return;
    }
    const User *u = r->user;
    *e = (Entry){.used = ++clock_ticks, .db = r->db, .account_id = u->account_id, .staff_id = u->staff_id,
                 .unit_id = u->unit_id, .roles = u->roles, .version = version, .nendo = r->nendo,
                 .assess = out->assess, .training = out->training, .notices = out->notices};
    memcpy(e->token, token, strlen(token) + 1);
    memcpy(e->today, today, sizeof e->today);
    memcpy(e->city, out->city, strlen(out->city) + 1);
}
