/* fuzz_xapi.c - libFuzzer target for the xAPI statement parser
 * (src/domain/xapi_parse.c).
 *
 * Checks that xapi_parse never crashes, and that on success every statement
 * has a verb, a canonical form and raw bytes taken from the input, with the
 * count within the batch limit; on failure that a reason is given and no
 * statement is returned. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/domain/xapi_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy, so reading one byte past the end is caught by ASan. */
    char *copy = malloc(size ? size : 1);
    assert(copy);
    if (size) memcpy(copy, data, size);
    Arena a = ARENA_INIT;
    XapiStatement *st = NULL;
    char err[200] = "";
    int n = xapi_parse(&a, copy, size, &st, err, sizeof err);
    if (n < 0) {
        assert(n == -1 && st == NULL && err[0]);
    } else {
        assert(n >= 1 && n <= XAPI_MAX_BATCH && st);
        for (int i = 0; i < n; i++) {
            assert(st[i].verb && strchr(st[i].verb, ':'));
            assert(st[i].canonical && st[i].canonical[0] == '{');
            assert(st[i].raw && strlen(st[i].raw) <= size);
            assert(memmem(copy, size, st[i].raw, strlen(st[i].raw)) != NULL);
            assert(!*st[i].id || xapi_uuid_ok(st[i].id));
            assert(st[i].score >= -1 && st[i].score <= 100);
        }
    }
    arena_free(&a);
    free(copy);
    return 0;
}
