/* fuzz_cookie.c - libFuzzer target: parse_cookies on a NUL-terminated copy
 * of the input. */
#include <stdint.h>
#include <string.h>

#include "../../src/http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a = ARENA_INIT;
    const char *header = arena_strndup(&a, (const char *)data, size);
    KVList kv = {0};
    int r = parse_cookies(&kv, &a, header);
    if (r >= 0 && (size_t)r != kv.n) __builtin_trap();
    if (kv.n > FORM_MAX_COOKIES) __builtin_trap();
    for (size_t i = 0; i < kv.n; i++)
        if (kv.items[i].name[0] == '\0' || strlen(kv.items[i].value) > size) __builtin_trap();
    arena_free(&a);
    return 0;
}
