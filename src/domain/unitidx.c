/* unitidx.c - see unitidx.h. */
#include "unitidx.h"

#include <stdlib.h>

static int cmp_node(const void *x, const void *y)
{
    const UnitNode *a = *(UnitNode *const *)x, *b = *(UnitNode *const *)y;
    if (a->u.id != b->u.id) return (a->u.id > b->u.id) - (a->u.id < b->u.id);
    return (a > b) - (a < b); /* nodes sit in display order in one array */
}

void unitidx_build(Arena *a, UnitTree *t, UnitIndex *ix)
{
    ix->n = t->n;
    ix->by_id = arena_alloc(a, sizeof *ix->by_id * (size_t)(t->n + 1));
    for (int i = 0; i < t->n; i++) ix->by_id[i] = &t->nodes[i];
    qsort(ix->by_id, (size_t)ix->n, sizeof *ix->by_id, cmp_node);
}

UnitNode *unitidx_find(const UnitIndex *ix, int64_t id)
{
    int lo = 0, hi = ix->n; /* first node with u.id >= id */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (ix->by_id[mid]->u.id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < ix->n && ix->by_id[lo]->u.id == id ? ix->by_id[lo] : NULL;
}
