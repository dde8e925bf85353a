/* password.h - argon2id password hashing (libsodium crypto_pwhash_str).
 *
 * At most two hashes run at once across all threads (each takes tens of MB);
 * further callers wait their turn. Never called while holding a DB write lock. */
#ifndef JINZAI_PASSWORD_H
#define JINZAI_PASSWORD_H

#include <stdbool.h>
#include <sodium.h>

#define PASSWORD_HASH_MAX crypto_pwhash_STRBYTES

/* Must be called once before use (sodium_init). 0 or -1. Cheap: commands
 * that never hash a password never pay for Argon2id's memory. */
int password_init(void);
/* Hashes the dummy that password_dummy_verify checks against, once (later
 * calls return at once). `serve` calls it at start, so that an unknown login
 * costs the same as a known one from the first request. 0 or -1. */
int password_prepare_dummy(void);
/* Hashes pw into out. 0 or -1 (out of memory in libsodium). */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* Constant work for unknown logins: verifies against a dummy hash. */
bool password_verify(const char *hash, const char *pw);
void password_dummy_verify(const char *pw);
/* Policy: at least 12 characters and not the login name. NULL if acceptable,
 * else a Japanese message. */
const char *password_policy(const char *login, const char *pw);
/* Tests only: cheaper parameters so a test suite can create many accounts. */
void password_use_test_cost(void);

#endif
