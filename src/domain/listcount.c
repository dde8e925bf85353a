/* listcount.c - see listcount.h. A small table of recent counts, replaced
 * round-robin, behind one mutex (the server answers on several threads). */
#include "listcount.h"

#include <pthread.h>
#include <string.h>

#include "../db/dataver.h"

#define SLOTS 64
#define KEY_MAX 240

typedef struct Slot {
    int64_t version;
    int n;
    bool used;
    char key[KEY_MAX];
} Slot;

static Slot slots[SLOTS];
static int next_slot;
static bool cache_on = true;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int64_t list_count_version(Db *db) { return data_version(db); }

int list_count_get(int64_t version, const char *key)
{
    int n = -1;
    pthread_mutex_lock(&lock);
    for (int i = 0; cache_on && i < SLOTS; i++)
        if (slots[i].used && slots[i].version == version && !strcmp(slots[i].key, key)) {
            n = slots[i].n;
            break;
        }
    pthread_mutex_unlock(&lock);
    return n;
}

void list_count_put(int64_t version, const char *key, int n)
{
    size_t len = strlen(key);
    if (len >= KEY_MAX) return;
    pthread_mutex_lock(&lock);
    if (cache_on) {
        int at = -1;
        for (int i = 0; i < SLOTS && at < 0; i++) /* the same key at another version: replace it */
            if (slots[i].used && !strcmp(slots[i].key, key)) at = i;
        if (at < 0) {
            at = next_slot;
            next_slot = (next_slot + 1) % SLOTS;
        }
        Slot *s = &slots[at];
        s->version = version;
        s->n = n;
        s->used = true;
        memcpy(s->key, key, len + 1);
    }
    pthread_mutex_unlock(&lock);
}

void list_count_set(bool on)
{
    pthread_mutex_lock(&lock);
    cache_on = on;
    if (!on) memset(slots, 0, sizeof slots);
    next_slot = 0;
    pthread_mutex_unlock(&lock);
}
