/* keysys.h - the 重要システム register: each key system and the people
 * holding a duty on it, dated like assignments. */
#ifndef JINZAI_KEYSYS_H
#define JINZAI_KEYSYS_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef struct KeySystem {
    int64_t id, unit_id;
    const char *name, *note, *unit_name;
    bool active;
    /* the duties in force on the date asked */
    int64_t *staff_ids;
    const char **staff_names, **roles, **since, **until; /* until NULL: open */
    int nstaff;
} KeySystem;
/* Every system, with the duties in force on as_of. */
int keysys_list(Db *db, Arena *a, const char *as_of, KeySystem **out);
bool keysys_get(Db *db, Arena *a, int64_t id, const char *as_of, KeySystem *out);
int keysys_save(Db *db, const Actor *who, KeySystem *k, Errors *e);
/* Sets a person's role on a system from date `on` (role NULL ends their
 * duty the day before `on`). A duty is dated like an assignment: one set for
 * a future date is stored now and takes effect then. One transaction. */
int keysys_staff_set(Db *db, const Actor *who, int64_t system_id, const char *staff_no, const char *role, const char *on, Errors *e);

#endif
