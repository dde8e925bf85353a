/* fuzz_multipart.c - libFuzzer target: parse_multipart with the fixed
 * boundary "XyZ"; the whole input is the body (not NUL-terminated). */
#include <stdint.h>
#include <string.h>

#include "../../src/http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a = ARENA_INIT;
    KVList fields = {0};
    UploadList files = {0};
    parse_multipart(&fields, &files, &a, (const char *)data, size, "XyZ");
    if (fields.n + files.n > FORM_MAX_PARTS) __builtin_trap();
    for (size_t i = 0; i < fields.n; i++)
        if (strlen(fields.items[i].name) > size || strlen(fields.items[i].value) > size) __builtin_trap();
    for (size_t i = 0; i < files.n; i++) {
        const Upload *u = &files.items[i];
        if (u->len > size || u->data[u->len] != '\0') __builtin_trap();
        if (strlen(u->field) + strlen(u->filename) + strlen(u->content_type) > size + 64) __builtin_trap();
    }
    arena_free(&a);
    return 0;
}
