/* unitidx.h - finding a unit of a UnitTree by id in O(log n): the tree's own
 * org_tree_find walks every node, which costs units × lookups when a whole
 * organisation's people are placed in it. */
#ifndef JINZAI_UNITIDX_H
#define JINZAI_UNITIDX_H

#include "org.h"

typedef struct UnitIndex {
    UnitNode **by_id; /* the tree's nodes sorted by id (display order among equal ids) */
    int n;
} UnitIndex;

void unitidx_build(Arena *a, UnitTree *t, UnitIndex *ix);
/* The same node org_tree_find returns (the first in display order), or NULL. */
UnitNode *unitidx_find(const UnitIndex *ix, int64_t id);

#endif
