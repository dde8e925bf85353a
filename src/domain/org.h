/* org.h - the organisation: 執行機関 > 部 > 課 > 係, each valid for a period.
 *
 * "As of" a date, a unit is valid when valid_from <= date <= valid_to (or
 * valid_to is NULL). A reorganisation closes units and opens new ones, so
 * last year's tree stays as it was. */
#ifndef JINZAI_ORG_H
#define JINZAI_ORG_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

enum { LEVEL_KIKAN = 1, LEVEL_BU = 2, LEVEL_KA = 3, LEVEL_KAKARI = 4 };

/* "執行機関", "部", "課", "係" */
const char *org_level_name(int level);

typedef struct Unit {
    int64_t id, parent_id;
    const char *code, *name, *valid_from, *valid_to; /* valid_to NULL: open */
    int level, sort_order;
    bool is_info; /* 情報部門 (the information units of tier ①) */
} Unit;

typedef struct UnitNode {
    Unit u;
    struct UnitNode *parent;
    struct UnitNode **kids;
    int nkids;
    int staff_direct; /* active staff whose primary assignment is this unit */
    int staff_total;  /* … in this unit's subtree */
    int leads;        /* 総括リーダー designated to this unit for the 年度 */
    int experts;      /* ① designated to this unit for the 年度 */
    bool needs_lead;  /* a 係, or a 課 without 係: the policy wants one 総括リーダー */
} UnitNode;

typedef struct UnitTree {
    UnitNode *nodes;   /* n nodes, in display order */
    int n;
    UnitNode **roots;
    int nroots;
    int missing_leads; /* units that need a 総括リーダー and have none */
} UnitTree;

/* Loads the units valid on as_of with head counts on that date and the tier
 * designations of nendo. All memory in a. */
void org_tree(Db *db, Arena *a, const char *as_of, int nendo, UnitTree *t);
UnitNode *org_tree_find(UnitTree *t, int64_t id);

/* Loads one unit (whatever its validity). */
bool org_get(Db *db, Arena *a, int64_t id, Unit *out);
/* The unit and its ancestors, root first; returns the count (at most 8). */
int org_path(Db *db, Arena *a, int64_t id, Unit out[8]);
/* True when unit id is root or lies in root's subtree. */
bool org_in_subtree(Db *db, int64_t root, int64_t id);
/* Units valid on as_of in tree order, for <select>s: all of them (root 0)
 * or root's subtree (a unit that is not valid then gives none). */
int org_options(Db *db, Arena *a, const char *as_of, int64_t root, Unit **out);

/* A person with a 兼務 (secondary assignment) in a unit. */
typedef struct UnitMember {
    int64_t staff_id;
    const char *name;
} UnitMember;

/* People with a 兼務 in unit id in force on date, in service then, and
 * visible to a viewer whose scope is root (0: everyone) today; by 職員番号.
 * Returns the count placed in *out (arena memory). */
int org_secondary_members(Db *db, Arena *a, int64_t id, const char *date, int64_t root, UnitMember **out);

/* Validates and saves u (id 0: insert, sets u->id). Writes nothing and fills
 * e when invalid. Runs in its own transaction; audited. 0 or -1. */
int org_save(Db *db, const Actor *who, Unit *u, Errors *e);
/* Closes a unit (廃止) as of the day before `from`, i.e. valid_to = last_day.
 * Refuses while staff or open child units remain after that day. */
int org_close(Db *db, const Actor *who, int64_t id, const char *last_day, Errors *e);

#endif
