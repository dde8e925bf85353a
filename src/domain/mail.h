/* mail.h - sending the outbox by SMTP (libcurl).
 *
 * Messages are UTF-8 text/plain, base64 bodies, RFC 2047 (=?UTF-8?B?...?=)
 * subjects. The relay comes from the settings (smtp_host, smtp_port,
 * smtp_sender, smtp_starttls, smtp_user, smtp_password) unless `serve --smtp
 * URL` overrides host and port. The sender thread of `jinzai serve` drains the
 * outbox on its own database connection: each attempt is logged to stderr, a
 * failure is retried after 1 minute, doubling up to 6 hours, and given up
 * (failed_at set) after MAIL_MAX_ATTEMPTS. Several nodes on one database
 * each run a sender: a message is claimed (next_try_at moved a few minutes
 * ahead, FOR UPDATE SKIP LOCKED on PostgreSQL) before it is sent, so each
 * goes out once. */
#ifndef JINZAI_MAIL_H
#define JINZAI_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../db/db.h"

enum { MAIL_MAX_ATTEMPTS = 8 };

typedef struct MailConfig {
    char url[300];      /* smtp://host:port; empty when no relay is set */
    char sender[256];
    bool starttls;
    char user[128], password[256];
} MailConfig;

/* The --smtp URL (smtp://host:port or smtps://...), or NULL to use the settings. */
void mail_set_override(const char *url);
/* The relay from the settings and the override. */
void mail_config_load(Db *db, MailConfig *c);

/* RFC 2047 encoded words (split at whole characters, folded with CRLF SP). */
char *mail_encode_subject(Arena *a, const char *subject);
/* A whole message (CRLF lines): headers, then body as base64 UTF-8 text. */
char *mail_message(Arena *a, const char *from, const char *to, const char *subject, const char *body, int64_t at_unix,
                   int64_t id);
/* True for a plain address local@domain, with no spaces, brackets or controls. */
bool mail_address_ok(const char *addr);
/* Seconds to wait after the n-th failed attempt (n >= 1): 60 doubling to 6 h. */
int64_t mail_backoff(int attempts);

/* Sends one message; 0, or -1 with the reason in err. */
int mail_send(const MailConfig *c, const char *to, const char *message, char *err, size_t errn);
/* Sends up to max due outbox rows now. Returns how many were sent (-1 when
 * no relay is configured: nothing is tried). */
int mail_drain(Db *db, const MailConfig *c, int max);

/* The sender thread: started by `serve`, stopped before it exits. */
int mail_sender_start(const char *db_path);
void mail_sender_stop(void);

#endif
