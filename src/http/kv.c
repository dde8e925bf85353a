/* kv.c - see kv.h. */
#include "kv.h"

#include <string.h>
#include <strings.h>

void kv_add(KVList *l, Arena *a, const char *name, const char *value)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        KV *items = arena_alloc(a, cap * sizeof *items);
        if (l->n) memcpy(items, l->items, l->n * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n].name = name;
    l->items[l->n].value = value;
    l->n++;
}

const char *kv_get(const KVList *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0) return l->items[i].value;
    return NULL;
}

const char *kv_get_ci(const KVList *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->items[i].name, name) == 0) return l->items[i].value;
    return NULL;
}
