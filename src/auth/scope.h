/* scope.h - record-level access: who may see which person and unit.
 *
 * 人事, DX推進 and 管理者 see the whole organisation; a 所属長 sees the subtree
 * of their own primary unit; everyone sees themselves. */
#ifndef JINZAI_SCOPE_H
#define JINZAI_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/db.h"
#include "user.h"

bool scope_org_wide(const User *u);
/* True when the user may see this person's records. */
bool scope_staff(Db *db, const User *u, int64_t staff_id);
/* True when the user may see this unit's page. */
bool scope_unit(Db *db, const User *u, int64_t unit_id);
/* The unit that bounds a 所属長's lists: 0 when org-wide, -1 (no unit, so
 * nothing) for a 所属長 without a current assignment. */
int64_t scope_root(const User *u);

#endif
