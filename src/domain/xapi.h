/* xapi.h - the xAPI statement receiver: clients, storing statements, and
 * turning completion statements into completions.
 *
 * A client authenticates with a key and a secret (HTTP Basic); only a
 * SHA-256 of the secret (random, 256 bits) is kept. A statement id never
 * changes: the same statement again changes nothing, a different one under a
 * stored id is a conflict. Statements are stored as received.
 *
 * The actor is matched to a staff member by 事務局's mapping (xapi_actor),
 * else by mbox against an account's mail, else by account.name against the
 * 職員番号 (case-insensitive). The verbs completed and passed on an activity
 * id mapped to a course complete that course; failed records attendance only.
 * The completion belongs to the course's session of the 年度 of the
 * statement's timestamp (created, open all year, when missing). A completion
 * verb that cannot be matched yet waits; mapping its actor or activity later
 * processes it. */
#ifndef JINZAI_XAPI_H
#define JINZAI_XAPI_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"
#include "xapi_parse.h"

typedef struct XapiClient {
    int64_t id;
    const char *name, *api_key, *created_at, *revoked_at; /* revoked_at NULL while active */
    int statements;
} XapiClient;

/* Creates a client; key (32 hex) and secret (64 hex) are written out for
 * showing once. */
int xapi_client_add(Db *db, const Actor *who, const char *name, char key[33], char secret[65], Errors *e);
int xapi_client_list(Db *db, Arena *a, XapiClient **out);
int xapi_client_revoke(Db *db, const Actor *who, const char *name, Errors *e);
/* The client id for a key and secret, 0 when unknown, wrong or revoked;
 * *name (arena) names it. */
int64_t xapi_client_auth(Db *db, Arena *a, const char *key, const char *secret, const char **name);

typedef enum { XAPI_STORED, XAPI_INVALID, XAPI_CONFLICT, XAPI_FAILED } XapiResult;
/* Stores the statements of a body (put_id: the statementId of a PUT, which
 * takes one statement whose id, if any, must match; NULL for a POST) in one
 * transaction, and records the completions they make. *ids (arena) gets the
 * statement ids in order, generated for statements without one. On
 * XAPI_INVALID or XAPI_CONFLICT msg says why and nothing is written. */
XapiResult xapi_receive(Db *db, Arena *a, int64_t client_id, const char *client_name, const char *body, size_t len,
                        const char *put_id, const char ***ids, int *nids, char *msg, size_t msgn);

typedef struct XapiWaiting {
    int64_t id;
    const char *statement_id, *received_at, *stamp, *client, *actor, *verb, *activity_id;
    bool staff_known, course_known;
} XapiWaiting;
/* Completion statements not yet matched, oldest first (at most limit). */
int xapi_waiting(Db *db, Arena *a, int limit, XapiWaiting **out);

typedef struct XapiActivity {
    const char *activity_id, *course_code, *course_title;
} XapiActivity;
int xapi_activities(Db *db, Arena *a, XapiActivity **out);

/* 事務局's mappings; each then processes the waiting statements, setting
 * *done to how many became completions. */
int xapi_map_actor(Db *db, const Actor *who, const char *actor, const char *staff_no, int *done, Errors *e);
int xapi_map_activity(Db *db, const Actor *who, const char *activity_id, const char *course_code, int *done, Errors *e);

#endif
