/* notice.h - notices to accounts: the in-app list and the mail outbox.
 *
 * An event (an assessment returned, an application decided, ...) calls
 * notice_event inside its own transaction: the notices and their outbox rows
 * commit or roll back with it. The sender of `jinzai serve` (mail.h) drains
 * the outbox later, so a request never waits for mail. */
#ifndef JINZAI_NOTICE_H
#define JINZAI_NOTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef enum {
    NK_ASSESS_RETURNED,    /* ref: assessment id; to the person */
    NK_ASSESS_CONFIRMED,   /* ref: assessment id; to the person */
    NK_APPROVAL_REQUESTED, /* ref: application id; to the 所属長 (only while it waits for one) */
    NK_APPROVAL_DECIDED,   /* ref: application id; to the applicant */
    NK_WAITLIST_PROMOTED,  /* ref: application id; to the applicant */
    NK_SESSION_CHANGED,    /* ref: session id; to everyone applied to it */
    NK_SESSION_CANCELLED,  /* ref: session id; to everyone applied (call before the applications are cancelled) */
} NoticeKind;

/* Writes the notices (and mail) of one event. Runs inside the caller's
 * transaction; 0, or -1 on a database error (the caller rolls back). */
int notice_event(Db *db, NoticeKind kind, int64_t ref_id);

/* One notice to an account, with a mail in the outbox when the account has
 * an address and either wants optional mail or the notice is required.
 * link is a path of the site ("/assess"). Inside the caller's transaction. */
int notice_put(Db *db, int64_t account_id, const char *kind, bool required, const char *title, const char *body, const char *link);

/* The mail text of a notice to a person (greeting, body, link, footer). */
char *notice_mail_body(Db *db, Arena *a, const char *name, const char *body, const char *link);
/* "[人材育成] title". */
char *notice_mail_subject(Arena *a, const char *title);

/* The 所属長 accounts nearest above (or at) a unit: the unit's own, else its
 * parent's, and so on up. Up to max ids into ids; returns the count. */
int notice_managers(Db *db, int64_t unit_id, int64_t *ids, int max);

int notice_unread_count(Db *db, int64_t account_id);

typedef struct Notice {
    int64_t id;
    const char *kind, *title, *body, *link, *created_at, *read_at; /* read_at NULL: unread */
} Notice;
/* Unread first, then newest first; at most limit. */
int notice_list(Db *db, Arena *a, int64_t account_id, int limit, Notice **out);
/* Marks one notice (id 0: every notice) of the account read. Audited. */
int notice_mark_read(Db *db, const Actor *who, int64_t account_id, int64_t notice_id, Errors *e);

/* ---- the outbox, for the sender and the admin list ---- */
typedef struct OutboxRow {
    int64_t id;
    const char *to_addr, *subject, *body, *created_at, *sent_at, *failed_at, *last_error;
    int attempts;
    int64_t next_try_at;
} OutboxRow;
/* Rows given up on (failed_at set), newest first. */
int outbox_failed(Db *db, Arena *a, int limit, OutboxRow **out);

#endif
