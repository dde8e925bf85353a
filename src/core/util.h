/* util.h - small helpers shared by every layer: time, random tokens, strings. */
#ifndef JINZAI_UTIL_H
#define JINZAI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"

#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* Current local time as "YYYY-MM-DDTHH:MM:SS" (out holds at least 20 bytes). */
void now_iso(char out[32]);
/* Seconds since the epoch; tests may pin it with util_set_clock. */
int64_t now_unix(void);
void util_set_clock(int64_t fixed_unix); /* 0 restores the real clock */

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

#endif
