/* encoding.h - import/export character encodings: UTF-8 (with or without BOM)
 * and CP932, the Windows code page Excel writes for Japanese (DESIGN.md §5).
 *
 * Import: a UTF-8 BOM means UTF-8; otherwise valid UTF-8 (pure ASCII
 * included) is UTF-8; anything else is CP932 (not plain Shift_JIS: CP932 adds
 * the NEC special characters ①㈱, NEC-selected and IBM extension kanji such as
 * 髙 﨑, and maps 0x8160 to U+FF5E ～, 0x817C to U+FF0D －, 0x5C to U+005C).
 * Export: a character CP932 cannot hold (𠮷, emoji, ...) is never dropped or
 * replaced: its line and column are reported and the export fails.
 *
 * Conversion uses glibc iconv ("CP932"). glibc also maps a few Unicode
 * characters one way into CP932, as Windows does (Microsoft's table, the
 * characters that differ between Unicode mappings of Shift_JIS):
 * U+301C 〜 -> 0x8160 (read back as U+FF5E ～), U+2212 − -> 0x817C (－),
 * U+00A5 ¥ -> 0x5C (Japanese fonts draw 0x5C as ¥), U+2014 — -> 0x815C (―),
 * U+2016 ‖ -> 0x8161 (∥), U+00AC ¬ -> 0x81CA (￢), U+00A2 ¢ -> 0x8191 (￠),
 * U+00A3 £ -> 0x8192 (￡). These count as representable; CP932_MAPPED_NOTE
 * says so wherever a CP932 file is offered, so the change is never silent.
 *
 * Positions are 1-based; lines count LF (so CRLF files number lines as users
 * expect) and columns count characters (code points) on that line. Functions
 * taking a Buf append to it; allocation failure is fatal (see buf.h). A
 * missing iconv CP932 module is an installation error and aborts. */
#ifndef JINZAI_ENCODING_H
#define JINZAI_ENCODING_H

#include <stddef.h>

#include "../core/buf.h"

typedef enum { ENC_UTF8_BOM, ENC_UTF8, ENC_CP932 } Encoding;

/* For the page that offers CP932 files: the characters written by
 * Microsoft's table as another character. */
#define CP932_MAPPED_NOTE                                                                                             \
    "CP932では、Windowsと同じ対応表により 〜（波ダッシュ）は ～、−（マイナス）は －、¥ は \\（円記号として表示されます）、" \
    "— は ―、‖ は ∥、¬ は ￢、¢ は ￠、£ は ￡ として出力します。"

/* Name for the UI: "UTF-8（BOM付き）", "UTF-8", "CP932（Shift_JIS）".
 * An out-of-range value gives "UTF-8". */
const char *encoding_name(Encoding e);

/* BOM (EF BB BF) -> ENC_UTF8_BOM; valid UTF-8 (incl. pure ASCII and n == 0)
 * -> ENC_UTF8; anything else -> ENC_CP932. data may be NULL when n == 0. */
Encoding encoding_detect(const char *data, size_t n);

/* Appends data, converted to UTF-8 without BOM, to out (NUL-terminated even
 * when nothing is appended). On success returns 0 and sets *detected.
 * On failure returns -1 and sets *bad_line / *bad_col to the first byte that
 * does not decode: an invalid or truncated CP932 sequence, or invalid UTF-8
 * after a BOM. When CP932 decoding fails but the bytes read as UTF-8 further
 * than as CP932, the UTF-8 error is reported instead (a UTF-8 file with one
 * corrupt byte); *detected then says which reading the position refers to.
 * On failure out is restored to its previous length. Any of detected,
 * bad_line, bad_col may be NULL. */
int to_utf8(const char *data, size_t n, Buf *out, Encoding *detected, int *bad_line,
            int *bad_col);

typedef struct EncProblem {
    int line, col; /* 1-based; col in characters */
    char ch[8];    /* the character as UTF-8 (NUL-terminated); "\uFFFD" (�)
                      stands for bytes that are not valid UTF-8 */
} EncProblem;

/* Appends data (UTF-8; a leading BOM is dropped) converted to CP932 to out.
 * Returns 0 on success. If some characters cannot be written in CP932 (or the
 * input holds invalid UTF-8), the first max_problems of them are stored in
 * problems in input order, *nproblems gets the total count, and -1 is
 * returned; out's contents are then unspecified. problems may be NULL when
 * max_problems is 0; nproblems may be NULL. */
int utf8_to_cp932(const char *data, size_t n, Buf *out, EncProblem *problems,
                  int max_problems, int *nproblems);

#endif
