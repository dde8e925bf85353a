/* fuzz_rawreq.c - libFuzzer target: parse_raw_request on arbitrary bytes
 * (not NUL-terminated). */
#include <stdint.h>
#include <string.h>

#include "../../src/http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a = ARENA_INIT;
    RawRequest r;
    if (parse_raw_request(&r, &a, (const char *)data, size) == 0) {
        if (!r.method[0] || !r.query || r.headers.n > RAWREQ_MAX_HEADERS) __builtin_trap();
        if (r.body_len > size || r.body[r.body_len] != '\0') __builtin_trap();
        if (strlen(r.path) > size || strlen(r.query) > size) __builtin_trap();
        for (size_t i = 0; i < r.headers.n; i++)
            if (!r.headers.items[i].name[0] || strlen(r.headers.items[i].value) > size) __builtin_trap();
    }
    arena_free(&a);
    return 0;
}
