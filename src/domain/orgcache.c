/* orgcache.c - see orgcache.h. An entry is one malloc'd block: the Unit
 * array, then the strings it points to; a hit copies both into the caller's
 * arena and moves the pointers by the distance between the blocks, so no
 * caller ever holds memory a later put frees. */
#include "orgcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { SLOTS = 8 };

typedef struct Entry {
    uint64_t serial;
    int64_t version;
    char as_of[11];
    int n;
    size_t strings; /* bytes of strings after the array */
    char *block;    /* n Units, then the strings; NULL: free slot */
    uint64_t used;
} Entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Entry slots[SLOTS];
static uint64_t tick;
static bool cache_on = true;

static size_t str_size(const char *s) { return s ? strlen(s) + 1 : 0; }

/* Moves a string pointer of the block at from to the same place in to. */
static const char *moved(const char *p, const char *from, char *to) { return p ? to + (p - from) : NULL; }

int org_cache_get(Db *db, int64_t version, const char *as_of, Arena *a, Unit **out)
{
    int n = -1;
    pthread_mutex_lock(&lock);
    for (int i = 0; cache_on && i < SLOTS; i++) {
        Entry *s = &slots[i];
        if (!s->block || s->serial != db_serial(db) || s->version != version || strcmp(s->as_of, as_of) != 0) continue;
        size_t head = sizeof(Unit) * (size_t)s->n;
        char *copy = arena_alloc(a, head + s->strings + 1);
        memcpy(copy, s->block, head + s->strings);
        Unit *u = (Unit *)(void *)copy;
        for (int k = 0; k < s->n; k++) {
            u[k].code = moved(u[k].code, s->block, copy);
            u[k].name = moved(u[k].name, s->block, copy);
            u[k].valid_from = moved(u[k].valid_from, s->block, copy);
            u[k].valid_to = moved(u[k].valid_to, s->block, copy);
        }
        s->used = ++tick;
        *out = u;
        n = s->n;
        break;
    }
    pthread_mutex_unlock(&lock);
    return n;
}

static char *put_str(char **p, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *at = memcpy(*p, s, n);
    *p += n;
    return at;
}

void org_cache_put(Db *db, int64_t version, const char *as_of, const Unit *units, int n)
{
    if (strlen(as_of) >= sizeof slots[0].as_of) return;
    size_t head = sizeof(Unit) * (size_t)n, strings = 0;
    for (int k = 0; k < n; k++)
        strings += str_size(units[k].code) + str_size(units[k].name) + str_size(units[k].valid_from) + str_size(units[k].valid_to);
    char *block = xmalloc(head + strings + 1);
    Unit *u = (Unit *)(void *)block;
    char *p = block + head;
    for (int k = 0; k < n; k++) {
        u[k] = units[k];
        u[k].code = put_str(&p, units[k].code);
        u[k].name = put_str(&p, units[k].name);
        u[k].valid_from = put_str(&p, units[k].valid_from);
        u[k].valid_to = put_str(&p, units[k].valid_to);
    }
    pthread_mutex_lock(&lock);
    if (!cache_on) {
        pthread_mutex_unlock(&lock);
        free(block);
        return;
    }
    Entry *victim = &slots[0];
    for (int i = 0; i < SLOTS; i++) {
        Entry *s = &slots[i];
        if (s->block && s->serial == db_serial(db) && s->version == version && strcmp(s->as_of, as_of) == 0) {
            victim = s; /* another thread read the same list meanwhile */
            break;
        }
        if (!s->block || (victim->block && s->used < victim->used)) victim = s;
    }
    free(victim->block);
    *victim = (Entry){.serial = db_serial(db), .version = version, .n = n, .strings = strings, .block = block, .used = ++tick};
    memcpy(victim->as_of, as_of, strlen(as_of) + 1);
    pthread_mutex_unlock(&lock);
}

void org_cache_set(bool on)
{
    pthread_mutex_lock(&lock);
    cache_on = on;
    if (!on)
        for (int i = 0; i < SLOTS; i++) {
            free(slots[i].block);
            slots[i] = (Entry){0};
        }
    pthread_mutex_unlock(&lock);
}
