/* formbody.h - urlencoded form bodies for request tests: f_add(&b, name,
 * value) percent-encodes both, so Japanese values can be posted. */
#ifndef JINZAI_TEST_FORMBODY_H
#define JINZAI_TEST_FORMBODY_H

#include <string.h>

#include "core/buf.h"

static void f_enc(Buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-_.~", *p)) buf_append(b, (const char *)p, 1);
        else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_append(b, e, 3);
        }
    }
}

static __attribute__((unused)) void f_add(Buf *b, const char *name, const char *value)
{
    if (b->len) buf_puts(b, "&");
    f_enc(b, name);
    buf_puts(b, "=");
    f_enc(b, value);
}

#endif
