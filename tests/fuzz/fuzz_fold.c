/* fuzz_fold.c - libFuzzer target for text folding and loose date parsing.
 *
 * Build: clang -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE
 *        tests/fuzz/fuzz_fold.c src/io/text.c src/core/buf.c -lutf8proc */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/io/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xmalloc(size + 1);
    if (size) memcpy(s, data, size);
    s[size] = '\0';

    (void)utf8_valid((const char *)data, size);
    bool valid = utf8_valid(s, strlen(s));

    Arena a = ARENA_INIT;
    char *folded = text_fold(&a, s);
    assert(utf8_valid(folded, strlen(folded)));
    if (!valid) assert(folded[0] == '\0');
    /* Folding its own output must stay valid as well. */
    char *again = text_fold(&a, folded);
    assert(utf8_valid(again, strlen(again)));

    char *trimmed = text_trim(&a, s);
    assert(strlen(trimmed) <= strlen(s));
    if (valid) assert(utf8_valid(trimmed, strlen(trimmed)));

    Date d;
    if (date_parse_loose(s, &d)) {
        char iso[11];
        Date back;
        date_iso(d, iso);
        assert(date_parse(iso, &back) && date_cmp(d, back) == 0);
        Buf b = BUF_INIT;
        wareki_date(&b, d);
        assert(utf8_valid(b.data, b.len));
        buf_free(&b);
    }
    int nendo;
    if (nendo_parse_loose(s, &nendo)) {
        assert(nendo >= 1868 && nendo <= 9999);
        Buf b = BUF_INIT;
        wareki_nendo(&b, nendo);
        assert(utf8_valid(b.data, b.len));
        buf_free(&b);
    }

    arena_free(&a);
    free(s);
    return 0;
}
