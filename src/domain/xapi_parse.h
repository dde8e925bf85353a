/* xapi_parse.h - reading xAPI 1.0.3 statements (json-c), without the
 * database: what the receiver checks before anything is stored, and what the
 * fuzz target exercises.
 *
 * A request body holds one statement (an object) or an array of them. Each
 * statement keeps the exact bytes it was received as (raw), and a canonical
 * form for the immutability rule: keys sorted, whitespace dropped, and the
 * properties a receiver may differ on (id, authority, stored, version) left
 * out, so two sendings of one statement compare equal. */
#ifndef JINZAI_XAPI_PARSE_H
#define JINZAI_XAPI_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"

#define XAPI_VERB_COMPLETED "http://adlnet.gov/expapi/verbs/completed"
#define XAPI_VERB_PASSED "http://adlnet.gov/expapi/verbs/passed"
#define XAPI_VERB_FAILED "http://adlnet.gov/expapi/verbs/failed"
/* At most this many statements in one request. */
#define XAPI_MAX_BATCH 500

typedef struct XapiStatement {
    const char *id;        /* lowercased UUID, "" when the statement has none */
    const char *raw;       /* the statement's bytes as received */
    const char *canonical; /* for comparing two sendings of one id */
    const char *actor;     /* matching key: "mailto:…" (lowercased) or "account:NAME"; "" for others */
    const char *mbox;      /* "mailto:…" lowercased, or "" */
    const char *account;   /* account.name, or "" */
    const char *verb;      /* verb IRI */
    const char *activity;  /* object id when the object is an Activity, else "" */
    const char *timestamp; /* as sent, or "" */
    int score;             /* result.score.scaled × 100 (0..100), -1 when absent */
} XapiStatement;

/* Parses a body into statements (arena memory). Returns the count (>= 1),
 * or -1 with a short English reason in err (what the client is told). */
int xapi_parse(Arena *a, const char *body, size_t len, XapiStatement **out, char *err, size_t errn);
/* True for a UUID in 8-4-4-4-12 hex form (either case). */
bool xapi_uuid_ok(const char *s);
/* A new random (version 4) UUID, lowercase, into out. */
void xapi_uuid_new(char out[37]);

#endif
