/* user.h - the person behind a request, as a session names them. */
#ifndef JINZAI_USER_H
#define JINZAI_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "roles.h"

typedef struct User {
    int64_t account_id, session_id, staff_id; /* staff_id 0 when not linked */
    const char *login, *name, *csrf;
    unsigned roles;
    int64_t unit_id; /* primary unit today (scope of a 所属長), 0 if none */
    bool must_change; /* must change the password before using any other page */
} User;

#endif
