/* kv.h - ordered name/value lists for query strings, forms, cookies, headers.
 *
 * Names and values are NUL-terminated strings owned by the arena that the
 * list was filled from; the item array itself is arena memory too. */
#ifndef JINZAI_KV_H
#define JINZAI_KV_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"

typedef struct KV {
    const char *name;
    const char *value;
} KV;

typedef struct KVList {
    KV *items;
    size_t n, cap;
} KVList;

void kv_add(KVList *l, Arena *a, const char *name, const char *value);
/* First value for name, or NULL. */
const char *kv_get(const KVList *l, const char *name);
/* Case-insensitive lookup (HTTP header names). */
const char *kv_get_ci(const KVList *l, const char *name);

#endif
