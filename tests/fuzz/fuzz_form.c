/* fuzz_form.c - libFuzzer target: the first input line is a Content-Type
 * header value, the rest is the request body. A multipart/form-data type goes
 * through multipart_boundary and parse_multipart; anything else through
 * parse_urlencoded, as the request handler does. */
#include <stdint.h>
#include <string.h>

#include "../../src/http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a = ARENA_INIT;
    const char *in = (const char *)data;
    const char *nl = memchr(in, '\n', size);
    size_t ct_len = nl ? (size_t)(nl - in) : size;
    const char *ctype = arena_strndup(&a, in, ct_len);
    const char *body = nl ? nl + 1 : in + size;
    size_t body_len = size - ct_len - (nl ? 1 : 0);

    KVList fields = {0};
    const char *boundary = multipart_boundary(&a, ctype);
    if (boundary) {
        size_t blen = strlen(boundary);
        if (blen < 1 || blen > 70) __builtin_trap();
        UploadList files = {0};
        parse_multipart(&fields, &files, &a, body, body_len, boundary);
        if (fields.n + files.n > FORM_MAX_PARTS) __builtin_trap();
        for (size_t i = 0; i < files.n; i++)
            if (files.items[i].len > body_len || files.items[i].data[files.items[i].len] != '\0') __builtin_trap();
    } else {
        parse_urlencoded(&fields, &a, body, body_len);
        if (fields.n > FORM_MAX_FIELDS) __builtin_trap();
    }
    arena_free(&a);
    return 0;
}
