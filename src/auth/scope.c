/* scope.c - see scope.h. */
#include "scope.h"

#include "../core/util.h"
#include "../db/db.h"
#include "../db/asof.h"
#include "../io/text.h"

bool scope_org_wide(const User *u) { return u && (u->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN)); }

int64_t scope_root(Req *r)
{
    if (scope_org_wide(r->user)) return 0;
    /* A 所属長 with no current unit sees nobody: -1 names no unit. */
    return r->user->unit_id ? r->user->unit_id : -1;
}

bool scope_unit(Req *r, int64_t unit_id)
{
    if (scope_org_wide(r->user)) return true;
    /* r->user->unit_id is the manager's primary unit today (session.c). */
    if (!(r->user->roles & ROLE_MANAGER) || !r->user->unit_id || !unit_id) return false;
    return db_exists(r->db, "SELECT 1 WHERE ? IN (" ASOF_SUBTREE ")", unit_id, r->user->unit_id);
}

bool scope_staff(Req *r, int64_t staff_id)
{
    if (!r->user) return false;
    if (scope_org_wide(r->user) || staff_id == r->user->staff_id) return true;
    if (!(r->user->roles & ROLE_MANAGER) || !r->user->unit_id) return false;
    char today[11];
    now_date(today);
    /* Any assignment (本務 or 兼務) in force today inside the manager's subtree. */
    int64_t root = r->user->unit_id;
    return db_exists(r->db, "SELECT 1 FROM staff s WHERE s.id = ? AND " ASOF_VISIBLE("s.id"), staff_id, root, today, today, root);
}
