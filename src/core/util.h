/* util.h - small helpers shared by every layer: time, random tokens, strings. */
#ifndef JINZAI_UTIL_H
#define JINZAI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "buf.h"

#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* A growable array in an arena, for readers that do not know their row count
 * beforehand (no COUNT(*) query first): before writing element n, call
 *     ARENA_GROW(a, rows, n, cap);
 * with rows NULL and cap 0 at the start. Doubles the capacity (from 16) and
 * copies; the old block stays in the arena until it is freed. */
static inline void *arena_grow(Arena *a, void *old, size_t elem, int n, int *cap)
{
    if (n < *cap) return old;
    int ncap = *cap ? *cap * 2 : 16;
    void *p = arena_alloc(a, elem * (size_t)ncap);
    if (old && n > 0) memcpy(p, old, elem * (size_t)n);
    *cap = ncap;
    return p;
}
#define ARENA_GROW(a, arr, n, cap) ((arr) = arena_grow((a), (arr), sizeof *(arr), (n), &(cap)))

/* ---- The one clock ----
 * Every "now" and "today" in jinzai comes from now_unix(), never from time()
 * or the wall clock directly, so that one setting moves the whole product:
 *   - JINZAI_TODAY=YYYY-MM-DD in the environment (read on first use, for
 *     `serve` and every command) shifts the clock by whole days so that today
 *     is that date while the time of day runs on;
 *   - util_set_clock pins it to one instant (tests).
 * date_today() (io/text.h) and now_iso() read it too. */

/* Current local time as "YYYY-MM-DDTHH:MM:SS" (out holds at least 20 bytes). */
void now_iso(char out[32]);
/* Today as "YYYY-MM-DD". */
void now_date(char out[11]);
/* Seconds since the epoch, through the one clock. */
int64_t now_unix(void);
void util_set_clock(int64_t fixed_unix); /* 0 restores the running clock */
/* Makes today iso ("YYYY-MM-DD"; NULL or "" for the real date). -1 when iso
 * is not a real date (the clock is then unchanged). */
int util_clock_set_today(const char *iso);
/* Reads JINZAI_TODAY once; -1 when it is set but not a real YYYY-MM-DD date. */
int util_clock_init(void);

/* n random bytes as 2n lowercase hex digits into out (size 2n+1). */
void random_hex(char *out, size_t nbytes);
/* SHA-256 of s as 64 hex digits (out size 65). */
void sha256_hex(const char *s, size_t n, char out[65]);

/* Parses a decimal int64 that fills the whole string; false otherwise. */
bool parse_int64(const char *s, int64_t *out);
bool str_empty(const char *s);
/* True for a code of 1..max ASCII letters and digits plus any of extra
 * ("-_" for unit and skill codes): what every code and 職員番号 must be. */
bool str_is_code(const char *s, size_t max, const char *extra);
bool str_eq(const char *a, const char *b); /* NULL-safe */

/* Reverses n elements of size bytes each at base, in place (a page read
 * backwards from its key, turned round). */
void array_reverse(void *base, size_t n, size_t size);

#endif
