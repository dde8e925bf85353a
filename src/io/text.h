/* text.h - UTF-8 checks, search folding, trimming, dates, nendo and 和暦.
 *
 * Strings returned from functions taking an Arena are arena memory: they live
 * until arena_free and the caller never frees them one by one. Functions taking
 * a Buf only append to it. Allocation failure is fatal (see buf.h), so nothing
 * here returns NULL. Every function that takes a string accepts any bytes:
 * invalid input yields "", false, or is echoed back, as documented per function.
 *
 * Dates are plain proleptic Gregorian calendar dates, stored as ISO
 * "YYYY-MM-DD". The Japanese fiscal year (年度, "nendo") runs April 1 to
 * March 31 and is named by the calendar year it starts in. */
#ifndef JINZAI_TEXT_H
#define JINZAI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"

/* ---- UTF-8 ---- */

/* True if s[0..n) is well-formed UTF-8: shortest form only (no overlongs), no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
 * NUL bytes inside the range are valid (U+0000). n == 0 is valid. */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in a valid NUL-terminated UTF-8 string (counts the
 * bytes that are not continuation bytes; on invalid input the count is only an
 * estimate, but it never reads past the NUL). */
size_t utf8_chars(const char *s);

/* ---- Search folding ---- */

/* Folds s for search comparison: NFKC + case folding + removal of default
 * ignorables (utf8proc), then katakana U+30A1..U+30F6 -> hiragana (minus 0x60),
 * ヽヾ -> ゝゞ, and every whitespace character removed (ASCII space, tab, CR,
 * LF, VT, FF, U+0085, U+3000 and anything in categories Zs/Zl/Zp).
 * So half-width ｶﾀｶﾅ folds to hiragana and full-width digits/latin fold to
 * ASCII lower case. Then the common 異体字 of names fold to one form
 * (髙 -> 高, 﨑 -> 崎, 德 -> 徳, 齋 齊 斉 -> 斎, 邊 邉 -> 辺, 澤 -> 沢,
 * 濵 濱 -> 浜, 國 -> 国, 嶋 -> 島, 𠮷 -> 吉, 〜 -> ~, …: text_fold_variants),
 * so 高橋 finds 髙橋 and the other way round. Invalid UTF-8 (or NULL)
 * returns "". The result is valid UTF-8 in arena memory. */
char *text_fold(Arena *a, const char *s);
typedef struct FoldVariant {
    uint32_t from, to; /* code points */
} FoldVariant;
extern const FoldVariant text_fold_variants[];
extern const size_t text_fold_nvariants;
/* NFKC of s (half-width kana to full width, full-width digits and letters
 * to ASCII) with surrounding spaces trimmed: how names and codes from other
 * systems are stored. Invalid UTF-8 or NULL returns "". Arena memory. */
char *text_nfkc(Arena *a, const char *s);
/* A code as stored (職員番号): text_nfkc with ASCII letters upper case, so
 * "k90091" and "ｋ９００９１" are "K90091". Arena memory. */
char *text_code(Arena *a, const char *s);
/* Copy of s without leading/trailing ASCII whitespace (space, \t \n \v \f \r)
 * and U+3000 ideographic space. NULL input -> "". Result is arena memory. */
char *text_trim(Arena *a, const char *s);

/* ---- Dates ---- */

typedef struct Date {
    int y, m, d;
} Date;

/* Strict "YYYY-MM-DD" (exactly 10 bytes, then NUL) naming a real calendar date
 * with year 1868..9999. On success fills *out; on failure *out is untouched. */
bool date_parse(const char *iso, Date *out);
/* Writes "YYYY-MM-DD" plus NUL. Meant for dates in 0..9999; fields out of that
 * range are clamped so the output always fits. */
void date_iso(Date d, char out[11]);
/* Today in local time, from the one clock (now_unix in core/util.h). */
Date date_today(void);
/* <0, 0, >0 as a is before, equal to, after b. */
int date_cmp(Date a, Date b);
/* d plus days (may be negative). d must be a real date. */
Date date_add_days(Date d, int days);
/* Day of the week: 0 Sunday … 6 Saturday. */
int date_weekday(Date d);
/* Fiscal year containing d: 2027-03-31 -> 2026, 2027-04-01 -> 2027. */
int nendo_of(Date d);
/* First and last day of a fiscal year: 2026 -> 2026-04-01 .. 2027-03-31.
 * Either pointer may be NULL. */
void nendo_range(int nendo, Date *first, Date *last);

/* ---- 和暦 (Japanese era) ----
 * Eras (first day): 明治 1868-10-23, 大正 1912-07-30, 昭和 1926-12-25,
 * 平成 1989-01-08, 令和 2019-05-01. Year 1 is written 元年. Dates before
 * 1868-10-23 have no era here and are written in the western calendar
 * ("1868年1月1日", "1867年度"). */

/* Appends e.g. "令和8年4月1日" (2026-04-01), "令和元年5月1日", "平成31年4月30日". */
void wareki_date(Buf *out, Date d);
/* Parses iso with date_parse and appends wareki_date; on invalid input appends
 * iso unchanged (the caller escapes it later). NULL appends nothing. */
void wareki_date_iso(Buf *out, const char *iso);
/* Fiscal year in the era in force on 1 May of that year:
 * 2026 -> "令和8年度", 2019 -> "令和元年度", 1989 -> "平成元年度". */
void wareki_nendo(Buf *out, int nendo);
/* Same era rule as wareki_nendo, without 度: 2026 -> "令和8年". */
void wareki_year(Buf *out, int year);

/* Parses a date as users type it, after text_fold (so full-width digits and
 * letters, spaces and ㍻-style era ligatures are fine):
 *   "2026-04-01", "2026/4/1", "2026.4.1", "2026年4月1日", "20260401",
 *   "R8.4.1", "r8/4/1", "令和8年4月1日", "令和元年5月1日", "H31.4.30".
 * Era letters are M T S H R. An era date may run past the era's end
 * ("平成32年1月1日" = 2020-01-01) but not before its start ("令和元年4月1日"
 * fails). A time of day after the date, separated by spaces or 'T', is
 * read and ignored, as spreadsheets and other systems write date-times:
 * "2026/4/1 0:00", "2026/04/01 00:00:00", "2026-04-01T00:00:00",
 * "2026-04-01T09:30:00.000+09:00" (H:MM or HH:MM, optional :SS, fraction and
 * Z or offset). Returns false (leaving *out untouched) unless the result is
 * a real date accepted by date_parse. */
bool date_parse_loose(const char *s, Date *out);
/* The accepted forms, for messages: "2026-04-01、2026/4/1、令和8年4月1日". */
#define DATE_FORMS "2026-04-01、2026/4/1、令和8年4月1日"
/* "「2026年13月1日」は日付として読めません。2026-04-01、… の形で入力してください。" */
#define DATE_UNREADABLE_FMT "「%s」は日付として読めません。" DATE_FORMS " の形で入力してください。"
/* Parses a fiscal year as typed: "2026", "2026年度", "R8", "令和8",
 * "令和8年度", "令和元年度", full-width digits too. Year 1868..9999, era
 * year >= 1. Returns false (leaving *out untouched) otherwise. */
bool nendo_parse_loose(const char *s, int *out);

#endif
