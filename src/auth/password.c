/* password.c - see password.h. */
#include "password.h"

#include <pthread.h>
#include <string.h>

#include "../io/text.h"

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_free = PTHREAD_COND_INITIALIZER;
static int slots_in_use;
static unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static char dummy_hash[PASSWORD_HASH_MAX];
static bool dummy_ready;
static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;

static void slot_take(void)
{
    pthread_mutex_lock(&slot_lock);
    while (slots_in_use >= 2) pthread_cond_wait(&slot_free, &slot_lock);
    slots_in_use++;
    pthread_mutex_unlock(&slot_lock);
}

static void slot_give(void)
{
    pthread_mutex_lock(&slot_lock);
    slots_in_use--;
    pthread_cond_signal(&slot_free);
    pthread_mutex_unlock(&slot_lock);
}

int password_init(void) { return sodium_init() < 0 ? -1 : 0; }

int password_prepare_dummy(void)
{
    pthread_mutex_lock(&dummy_lock);
    int rc = dummy_ready ? 0 : password_hash("jinzai-dummy-password", dummy_hash);
    if (rc == 0) dummy_ready = true;
    pthread_mutex_unlock(&dummy_lock);
    return rc;
}

void password_use_test_cost(void)
{
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
    pthread_mutex_lock(&dummy_lock);
    dummy_ready = false; /* the next dummy is hashed at the new cost */
    pthread_mutex_unlock(&dummy_lock);
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
    slot_take();
    int rc = crypto_pwhash_str(out, pw, strlen(pw), ops, mem);
    slot_give();
    return rc == 0 ? 0 : -1;
}

bool password_verify(const char *hash, const char *pw)
{
    slot_take();
    bool ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    slot_give();
    return ok;
}

void password_dummy_verify(const char *pw)
{
    if (password_prepare_dummy() == 0) (void)password_verify(dummy_hash, pw);
}

const char *password_policy(const char *login, const char *pw)
{
    if (!pw || utf8_chars(pw) < 12) return "パスワードは12文字以上にしてください。";
    if (strlen(pw) > 256) return "パスワードは256バイト以内にしてください。";
    if (login && strcmp(login, pw) == 0) return "ログイン名と同じパスワードは使えません。";
    return NULL;
}
