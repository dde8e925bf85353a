/* flight.c - see flight.h. A small table of the keys being rebuilt, under one
 * mutex; a thread that finds its key there waits on the condition variable
 * until the key leaves the table. When the table is full the caller simply
 * computes (as without single flight). */
#include "flight.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#define SLOTS 32
#define KEYLEN 160

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ended = PTHREAD_COND_INITIALIZER;
static struct {
    bool used;
    pthread_t owner;
    char key[KEYLEN];
} slot[SLOTS];
static long waits;

static int find(const char *key)
{
    for (int i = 0; i < SLOTS; i++)
        if (slot[i].used && !strncmp(slot[i].key, key, KEYLEN - 1)) return i;
    return -1;
}

bool flight_begin(const char *key)
{
    pthread_mutex_lock(&lock);
    if (find(key) >= 0) {
        waits++;
        struct timespec until; /* a deadline for the wait on the condition variable's clock, not a date */
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += FLIGHT_WAIT_SECONDS;
        while (find(key) >= 0)
            if (pthread_cond_timedwait(&ended, &lock, &until) != 0) break;
        pthread_mutex_unlock(&lock);
        return false;
    }
    for (int i = 0; i < SLOTS; i++)
        if (!slot[i].used) {
            slot[i].used = true;
            slot[i].owner = pthread_self();
            size_t n = strlen(key);
            if (n >= KEYLEN) n = KEYLEN - 1;
            memcpy(slot[i].key, key, n);
            slot[i].key[n] = 0;
            break;
        }
    pthread_mutex_unlock(&lock);
    return true;
}

void flight_end(const char *key)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SLOTS; i++)
        if (slot[i].used && pthread_equal(slot[i].owner, pthread_self()) && !strncmp(slot[i].key, key, KEYLEN - 1)) {
            slot[i].used = false;
            pthread_cond_broadcast(&ended);
            break;
        }
    pthread_mutex_unlock(&lock);
}

long flight_waits(void)
{
    pthread_mutex_lock(&lock);
    long n = waits;
    pthread_mutex_unlock(&lock);
    return n;
}
