/* fuzz_query.c - libFuzzer target: parse_urlencoded and url_decode on
 * arbitrary bytes (the input is not NUL-terminated). */
#include <stdint.h>
#include <string.h>

#include "../../src/http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a = ARENA_INIT;
    const char *s = (const char *)data;
    KVList kv = {0};
    int r = parse_urlencoded(&kv, &a, s, size);
    if (r >= 0 && (size_t)r != kv.n) __builtin_trap();
    if (kv.n > FORM_MAX_FIELDS) __builtin_trap();
    for (size_t i = 0; i < kv.n; i++)
        if (kv.items[i].name[0] == '\0' || strlen(kv.items[i].value) > size) __builtin_trap();

    size_t len;
    for (int plus = 0; plus < 2; plus++) {
        char *d = url_decode(&a, s, size, plus, &len);
        if (len > size || strlen(d) != len) __builtin_trap();
    }
    arena_free(&a);
    return 0;
}
