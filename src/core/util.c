/* util.c - see util.h. */
#include "util.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The one clock. fixed_clock pins it (tests); shift moves the real clock by
 * whole days so that today is JINZAI_TODAY while the time of day runs on. */
static _Atomic int64_t fixed_clock;
static _Atomic int64_t shift;
static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static _Atomic int env_status; /* 0 unset or fine, -1 JINZAI_TODAY unreadable */

void util_set_clock(int64_t fixed_unix) { fixed_clock = fixed_unix; }

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool parse_ymd(const char *s, int *y, int *m, int *d)
{
    char tail;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3 || s[4] != '-' || s[7] != '-') return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (*y < 1900 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1]) return false;
    return *m != 2 || *d < 29 || (*y % 4 == 0 && (*y % 100 != 0 || *y % 400 == 0));
}

static void read_env(void);
static int clock_shift_to(const char *iso);

int util_clock_set_today(const char *iso)
{
    pthread_once(&env_once, read_env); /* an explicit setting outlives the environment's */
    return clock_shift_to(iso);
}

static int clock_shift_to(const char *iso)
{
    int y, m, d;
    if (!iso || !*iso) {
        shift = 0;
        return 0;
    }
    if (!parse_ymd(iso, &y, &m, &d)) return -1;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    int64_t days = days_from_civil(y, m, d) - days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    shift = days * 86400;
    return 0;
}

static void read_env(void)
{
    if (clock_shift_to(getenv("JINZAI_TODAY")) != 0) env_status = -1;
}

int util_clock_init(void)
{
    pthread_once(&env_once, read_env);
    return env_status;
}

int64_t now_unix(void)
{
    int64_t f = fixed_clock;
    if (f) return f;
    pthread_once(&env_once, read_env);
    return (int64_t)time(NULL) + shift;
}

void now_iso(char out[32])
{
    time_t t = (time_t)now_unix();
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
}

void now_date(char out[11])
{
    time_t t = (time_t)now_unix();
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof raw) nbytes = sizeof raw;
    randombytes_buf(raw, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, raw, nbytes);
}

void sha256_hex(const char *s, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

bool parse_int64(const char *s, int64_t *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s) return false;
    *out = v;
    return true;
}

bool str_empty(const char *s) { return !s || !*s; }

bool str_is_code(const char *s, size_t max, const char *extra)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max) return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || strchr(extra, *s))) return false;
    return true;
}

bool str_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

void array_reverse(void *base, size_t n, size_t size)
{
    unsigned char *a = base, tmp[256];
    assert(size <= sizeof tmp);
    for (size_t i = 0, j = n ? n - 1 : 0; n && i < j; i++, j--) {
        memcpy(tmp, a + i * size, size);
        memcpy(a + i * size, a + j * size, size);
        memcpy(a + j * size, tmp, size);
    }
}
