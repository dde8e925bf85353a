/* text.c - UTF-8, search folding, dates, nendo and 和暦; see text.h. */
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "../core/util.h"

/* ---- UTF-8 ---- */

bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;      /* overlong */
            else if (c == 0xED) hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;      /* overlong */
            else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
        } else {
            return false; /* continuation byte, C0/C1 overlong, F5..FF */
        }
        if (n - i < len) return false;
        if (p[i + 1] < lo || p[i + 1] > hi) return false;
        for (size_t k = 2; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}

/* ---- Folding and trimming ---- */

static bool is_space_cp(utf8proc_int32_t c)
{
    if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0x3000) return true;
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

static utf8proc_int32_t kata_to_hira(utf8proc_int32_t c)
{
    if ((c >= 0x30A1 && c <= 0x30F6) || c == 0x30FD || c == 0x30FE) return c - 0x60;
    return c;
}

/* 異体字 of names as HR systems and people write them, to the common form.
 * Applied after NFKC, so only characters NFKC leaves alone are listed (U+FA11
 * 﨑 is one of the compatibility ideographs without a decomposition). Every
 * target is left alone by the rest of text_fold, so folding an old key again
 * equals replacing these characters in it: that is how the migration
 * 011_exchange.sql brings stored keys up to date, and a unit test checks
 * that it lists every pair here. A new pair needs a new migration. */
const FoldVariant text_fold_variants[] = {
    {0x9AD9, 0x9AD8},  /* 髙 -> 高 */
    {0xFA11, 0x5D0E},  /* 﨑 -> 崎 */
    {0x5D5C, 0x5D0E},  /* 嵜 -> 崎 */
    {0x5FB7, 0x5FB3},  /* 德 -> 徳 */
    {0x9F4B, 0x658E},  /* 齋 -> 斎 */
    {0x9F4A, 0x658E},  /* 齊 -> 斎 */
    {0x6589, 0x658E},  /* 斉 -> 斎 */
    {0x908A, 0x8FBA},  /* 邊 -> 辺 */
    {0x9089, 0x8FBA},  /* 邉 -> 辺 */
    {0x6FA4, 0x6CA2},  /* 澤 -> 沢 */
    {0x6FF5, 0x6D5C},  /* 濵 -> 浜 */
    {0x6FF1, 0x6D5C},  /* 濱 -> 浜 */
    {0x570B, 0x56FD},  /* 國 -> 国 */
    {0x5D8B, 0x5CF6},  /* 嶋 -> 島 */
    {0x5D8C, 0x5CF6},  /* 嶌 -> 島 */
    {0x20BB7, 0x5409}, /* 𠮷 -> 吉 */
    {0x69D7, 0x6A4B},  /* 槗 -> 橋 */
    {0x6801, 0x67F3},  /* 栁 -> 柳 */
    {0x5EE3, 0x5E83},  /* 廣 -> 広 */
    {0x60E0, 0x6075},  /* 惠 -> 恵 */
    {0x771E, 0x771F},  /* 眞 -> 真 */
    {0x6AFB, 0x685C},  /* 櫻 -> 桜 */
    {0x301C, 0x007E},  /* 〜 WAVE DASH -> ~ (NFKC makes ～ U+FF5E ~ too) */
    {0x2212, 0x002D},  /* − MINUS SIGN -> - (NFKC makes － U+FF0D - too) */
};
const size_t text_fold_nvariants = sizeof text_fold_variants / sizeof text_fold_variants[0];

static utf8proc_int32_t variant(utf8proc_int32_t c)
{
    if (c < 0x2000) return c;
    for (size_t i = 0; i < text_fold_nvariants; i++)
        if ((utf8proc_int32_t)text_fold_variants[i].from == c) return (utf8proc_int32_t)text_fold_variants[i].to;
    return c;
}

char *text_fold(Arena *a, const char *s)
{
    if (!s) return arena_strdup(a, "");
    size_t n = strlen(s);
    if (!utf8_valid(s, n)) return arena_strdup(a, "");

    utf8proc_uint8_t *norm = NULL;
    utf8proc_ssize_t len = utf8proc_map(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &norm,
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
            UTF8PROC_IGNORE);
    if (len < 0) {
        /* Only UTF8PROC_ERROR_NOMEM is possible for valid input; fatal. */
        if (len == UTF8PROC_ERROR_NOMEM) {
            fputs("jinzai: out of memory\n", stderr);
            abort();
        }
        return arena_strdup(a, "");
    }

    /* Hiragana conversion keeps every code point 3 bytes long, a variant is
     * never longer than what it replaces and whitespace removal only
     * shrinks, so the output fits in len + 1 bytes. */
    char *out = arena_alloc(a, (size_t)len + 1);
    size_t o = 0;
    utf8proc_ssize_t i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(norm + i, len - i, &c);
        if (k <= 0) break; /* cannot happen: utf8proc output is valid */
        i += k;
        if (is_space_cp(c)) continue;
        o += (size_t)utf8proc_encode_char(kata_to_hira(variant(c)), (utf8proc_uint8_t *)out + o);
    }
    out[o] = '\0';
    free(norm);
    return out;
}

/* Length of the trimmable character at p (ASCII whitespace or U+3000), or 0. */
static size_t trim_len(const char *p)
{
    if (*p == ' ' || (*p >= '\t' && *p <= '\r')) return 1;
    if (strncmp(p, "\xE3\x80\x80", 3) == 0) return 3;
    return 0;
}

/* Like trim_len, for the character ending just before end (start <= end). */
static size_t trim_len_back(const char *start, const char *end)
{
    if (end == start) return 0;
    char c = end[-1];
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    if (end - start >= 3 && memcmp(end - 3, "\xE3\x80\x80", 3) == 0) return 3;
    return 0;
}

char *text_trim(Arena *a, const char *s)
{
    if (!s) return arena_strdup(a, "");
    size_t k;
    while ((k = trim_len(s)) > 0) s += k;
    const char *end = s + strlen(s);
    while ((k = trim_len_back(s, end)) > 0) end -= k;
    return arena_strndup(a, s, (size_t)(end - s));
}

/* ---- Dates ---- */

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Real calendar date within the range date_parse accepts. */
static bool date_ok(Date d)
{
    return d.y >= 1868 && d.y <= 9999 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
           d.d <= days_in_month(d.y, d.m);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool date_parse(const char *iso, Date *out)
{
    if (!iso) return false;
    for (int i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? iso[i] != '-' : !is_digit(iso[i])) return false;
    }
    if (iso[10] != '\0') return false;
    Date d = {
        (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0'),
        (iso[5] - '0') * 10 + (iso[6] - '0'),
        (iso[8] - '0') * 10 + (iso[9] - '0'),
    };
    if (!date_ok(d)) return false;
    *out = d;
    return true;
}

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

void date_iso(Date d, char out[11])
{
    snprintf(out, 11, "%04d-%02d-%02d", clamp(d.y, 0, 9999), clamp(d.m, 0, 99),
             clamp(d.d, 0, 99));
}

Date date_today(void)
{
    time_t t = (time_t)now_unix();
    struct tm tm;
    if (!localtime_r(&t, &tm)) return (Date){1970, 1, 1};
    return (Date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

int date_cmp(Date a, Date b)
{
    if (a.y != b.y) return a.y < b.y ? -1 : 1;
    if (a.m != b.m) return a.m < b.m ? -1 : 1;
    if (a.d != b.d) return a.d < b.d ? -1 : 1;
    return 0;
}

/* Days since 1970-01-01 and back (Howard Hinnant's civil calendar algorithms). */
static long long days_from_civil(Date d)
{
    long long y = d.y - (d.m <= 2);
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static Date civil_from_days(long long z)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return (Date){(int)(yoe + era * 400 + (m <= 2)), m, d};
}

Date date_add_days(Date d, int days) { return civil_from_days(days_from_civil(d) + days); }

int nendo_of(Date d) { return d.m >= 4 ? d.y : d.y - 1; }

void nendo_range(int nendo, Date *first, Date *last)
{
    if (first) *first = (Date){nendo, 4, 1};
    if (last) *last = (Date){nendo + 1, 3, 31};
}

/* ---- 和暦 ---- */

typedef struct Era {
    const char *name;
    char letter; /* lower case, as text_fold leaves it */
    Date start;
} Era;

static const Era eras[] = {
    {"明治", 'm', {1868, 10, 23}}, {"大正", 't', {1912, 7, 30}},
    {"昭和", 's', {1926, 12, 25}}, {"平成", 'h', {1989, 1, 8}},
    {"令和", 'r', {2019, 5, 1}},
};
#define NERAS (sizeof eras / sizeof eras[0])

/* The era in force on d, or NULL before the first one. */
static const Era *era_of(Date d)
{
    for (size_t i = NERAS; i-- > 0;)
        if (date_cmp(d, eras[i].start) >= 0) return &eras[i];
    return NULL;
}

/* Appends "令和8年" / "令和元年", or "1868年" when no era applies. */
static void put_year(Buf *out, const Era *e, int year)
{
    if (!e) {
        buf_printf(out, "%d年", year);
        return;
    }
    int n = year - e->start.y + 1;
    buf_puts(out, e->name);
    if (n == 1) buf_puts(out, "元年");
    else buf_printf(out, "%d年", n);
}

void wareki_date(Buf *out, Date d)
{
    put_year(out, era_of(d), d.y);
    buf_printf(out, "%d月%d日", d.m, d.d);
}

void wareki_date_iso(Buf *out, const char *iso)
{
    if (!iso) return;
    Date d;
    if (date_parse(iso, &d)) wareki_date(out, d);
    else buf_puts(out, iso);
}

void wareki_year(Buf *out, int year) { put_year(out, era_of((Date){year, 5, 1}), year); }

void wareki_nendo(Buf *out, int nendo)
{
    wareki_year(out, nendo);
    buf_puts(out, "度");
}

/* ---- Loose parsing ---- */

/* Skips literal lit at *p if present. */
static bool take(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n) != 0) return false;
    *p += n;
    return true;
}

/* Reads 1..maxd ASCII digits; returns -1 if there are none or more than maxd. */
static int take_num(const char **p, int maxd)
{
    int v = 0, nd = 0;
    while (is_digit(**p)) {
        if (++nd > maxd) return -1;
        v = v * 10 + (*(*p)++ - '0');
    }
    return nd ? v : -1;
}

/* Reads an era name or letter at *p; a letter only counts before a digit or 元. */
static const Era *take_era(const char **p)
{
    for (size_t i = 0; i < NERAS; i++)
        if (take(p, eras[i].name)) return &eras[i];
    for (size_t i = 0; i < NERAS; i++) {
        const char *q = *p + 1;
        if (**p == eras[i].letter && (is_digit(*q) || strncmp(q, "元", strlen("元")) == 0)) {
            *p = q;
            return &eras[i];
        }
    }
    return NULL;
}

/* Reads the year after an era: digits (1..99) or 元; returns the western year or -1. */
static int take_era_year(const char **p, const Era *e)
{
    int n = take(p, "元") ? 1 : take_num(p, 2);
    return n >= 1 ? e->start.y + n - 1 : -1;
}

/* Reads one of the separators; true if one was there. */
static bool take_sep(const char **p, const char *kanji)
{
    return take(p, "-") || take(p, "/") || take(p, ".") || take(p, kanji);
}

static bool parse_loose_folded(const char *p, Date *out)
{
    const Era *e = take_era(&p);
    Date d;
    if (e) {
        d.y = take_era_year(&p, e);
    } else {
        /* "20260401" */
        if (strlen(p) == 8 && strspn(p, "0123456789") == 8) {
            char iso[11] = {p[0], p[1], p[2], p[3], '-', p[4], p[5], '-', p[6], p[7], '\0'};
            return date_parse(iso, out);
        }
        const char *q = p;
        d.y = take_num(&p, 4);
        if (p - q != 4) return false;
    }
    if (d.y < 0 || !take_sep(&p, "年")) return false;
    if ((d.m = take_num(&p, 2)) < 0 || !take_sep(&p, "月")) return false;
    if ((d.d = take_num(&p, 2)) < 0) return false;
    take(&p, "日");
    if (*p != '\0' || !date_ok(d)) return false;
    if (e && date_cmp(d, e->start) < 0) return false;
    *out = d;
    return true;
}

/* Reads exactly n digits at *p into *v. */
static bool take_digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!is_digit(**p)) return false;
        *v = *v * 10 + (**p - '0');
    }
    return true;
}

/* True if p is a whole time of day: H:MM or HH:MM, then optionally :SS and
 * a fraction, then optionally Z or an offset +HH:MM / +HHMM. */
static bool is_time_of_day(const char *p)
{
    int h, m, sec;
    if (!take_digits(&p, is_digit(p[1]) ? 2 : 1, &h) || *p++ != ':' || !take_digits(&p, 2, &m) || h > 24 || m > 59) return false;
    if (*p == ':') {
        p++;
        if (!take_digits(&p, 2, &sec) || sec > 60) return false;
        if (*p == '.' && is_digit(p[1]))
            for (p++; is_digit(*p); p++) {}
    }
    if (*p == 'Z') return p[1] == '\0';
    if (*p == '+' || *p == '-') {
        p++;
        if (!take_digits(&p, 2, &h)) return false;
        if (*p == ':') p++;
        return take_digits(&p, 2, &m) && *p == '\0';
    }
    return *p == '\0';
}

/* Length of the date part of s (NFKC, trimmed): a time of day after a 'T'
 * or spaces, as spreadsheets and other systems write date-times
 * ("2026/4/1 0:00", "2026-04-01T00:00:00"), is cut off. */
static size_t date_part(const char *s)
{
    for (size_t i = 1; s[i]; i++) {
        if (s[i] != 'T' && s[i] != ' ') continue;
        size_t j = i + (s[i] == 'T');
        while (s[j] == ' ') j++;
        if (is_time_of_day(s + j)) {
            while (i > 0 && s[i - 1] == ' ') i--;
            return i;
        }
    }
    return strlen(s);
}

bool date_parse_loose(const char *s, Date *out)
{
    Arena a = ARENA_INIT;
    const char *n = text_nfkc(&a, s);
    bool ok = parse_loose_folded(text_fold(&a, arena_strndup(&a, n, date_part(n))), out);
    arena_free(&a);
    return ok;
}

bool nendo_parse_loose(const char *s, int *out)
{
    Arena a = ARENA_INIT;
    const char *p = text_fold(&a, s), *q;
    const Era *e = take_era(&p);
    int y;
    if (e) {
        y = take_era_year(&p, e);
    } else {
        q = p;
        y = take_num(&p, 4);
        if (p - q != 4) y = -1;
    }
    if (take(&p, "年")) take(&p, "度");
    bool ok = y >= 1868 && y <= 9999 && *p == '\0';
    arena_free(&a);
    if (ok) *out = y;
    return ok;
}

char *text_code(Arena *a, const char *s)
{
    char *r = text_nfkc(a, s);
    for (char *p = r; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
    return r;
}

char *text_nfkc(Arena *a, const char *s)
{
    if (!s) return arena_strdup(a, "");
    const unsigned char *q = (const unsigned char *)s;
    while (*q && *q < 0x80) q++;
    if (!*q) return text_trim(a, s); /* ASCII: NFKC leaves it as it is */
    if (!utf8_valid(s, strlen(s))) return arena_strdup(a, "");
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out, UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    if (len < 0) return arena_strdup(a, "");
    char *r = text_trim(a, (const char *)out);
    free(out);
    return r;
}

int date_weekday(Date d)
{
    /* Sakamoto's method. */
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    int y = d.m < 3 ? d.y - 1 : d.y;
    return (y + y / 4 - y / 100 + y / 400 + t[(d.m - 1) % 12] + d.d) % 7;
}
