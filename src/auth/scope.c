/* scope.c - see scope.h. */
#include "scope.h"

#include "../domain/org.h"
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
    return (r->user->roles & ROLE_MANAGER) && org_in_subtree(r->db, r->user->unit_id, unit_id);
}

bool scope_staff(Req *r, int64_t staff_id)
{
    if (!r->user) return false;
    if (scope_org_wide(r->user) || staff_id == r->user->staff_id) return true;
    if (!(r->user->roles & ROLE_MANAGER) || !r->user->unit_id) return false;
    char today[11];
    date_iso(date_today(), today);
    /* Any current assignment (本務 or 兼務) inside the manager's subtree. */
    Stmt *st = db_query(r->db,
                        "SELECT unit_id FROM assignment WHERE staff_id = ? AND from_date <= ? AND (to_date IS NULL OR to_date >= ?)",
                        "itt", staff_id, today, today);
    int64_t units[8];
    int n = 0;
    while (n < 8 && db_step(st) == DB_ROW) units[n++] = db_col_int(st, 0);
    db_done(st);
    for (int i = 0; i < n; i++)
        if (org_in_subtree(r->db, r->user->unit_id, units[i])) return true;
    return false;
}
