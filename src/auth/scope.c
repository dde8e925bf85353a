/* scope.c - see scope.h. */
#include "scope.h"

#include "../core/util.h"
#include "../db/db.h"
#include "../db/asof.h"
#include "../io/text.h"

bool scope_org_wide(const User *u) { return u && (u->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)); }

int64_t scope_root(const User *u)
{
    if (scope_org_wide(u)) return 0;
    /* A 所属長 with no current unit sees nobody: -1 names no unit. */
    return u->unit_id ? u->unit_id : -1;
}

bool scope_unit(Db *db, const User *u, int64_t unit_id)
{
    if (scope_org_wide(u)) return true;
    /* u->unit_id is the manager's primary unit today (session.c). */
    if (!(u->roles & ROLE_MANAGER) || !u->unit_id || !unit_id) return false;
    return db_exists(db, "SELECT 1 WHERE ? IN (" ASOF_SUBTREE ")", unit_id, u->unit_id);
}

bool scope_staff(Db *db, const User *u, int64_t staff_id)
{
    if (!u) return false;
    if (scope_org_wide(u) || staff_id == u->staff_id) return true;
    if (!(u->roles & ROLE_MANAGER) || !u->unit_id) return false;
    char today[11];
    now_date(today);
    /* Any assignment (本務 or 兼務) in force today inside the manager's subtree. */
    int64_t root = u->unit_id;
    return db_exists(db, "SELECT 1 FROM staff s WHERE s.id = ? AND " ASOF_VISIBLE("s.id"), staff_id, root, today, today, root);
}
