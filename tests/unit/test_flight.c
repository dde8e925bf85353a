/* test_flight.c - single flight (src/core/flight.h): while one thread
 * rebuilds a summary, a second thread that wants the same one waits for that
 * rebuild and reads its result, so the summary is rebuilt once; a different
 * key does not wait. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "core/flight.h"

static atomic_int rebuilds, stored;

/* What a summary's reader does: read the stored copy; else rebuild it, one
 * thread at a time. The rebuild takes a while (0.2 s). */
static void *reader(void *key)
{
    if (atomic_load(&stored)) return NULL;
    bool lead = flight_begin(key);
    if (!lead && atomic_load(&stored)) return NULL;
    atomic_fetch_add(&rebuilds, 1);
    usleep(200 * 1000);
    atomic_store(&stored, 1);
    if (lead) flight_end(key);
    return NULL;
}

static void test_two_threads_one_rebuild(void **state)
{
    (void)state;
    atomic_store(&rebuilds, 0);
    atomic_store(&stored, 0);
    long w0 = flight_waits();
    pthread_t t1, t2;
    assert_int_equal(pthread_create(&t1, NULL, reader, "gap/2026/2026/2026-11-16/7"), 0);
    usleep(50 * 1000); /* the first is rebuilding */
    assert_int_equal(pthread_create(&t2, NULL, reader, "gap/2026/2026/2026-11-16/7"), 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_int_equal(atomic_load(&rebuilds), 1);
    assert_int_equal(flight_waits(), w0 + 1);
}

static void *lead_other(void *key)
{
    bool *led = (bool *)((char *)key + 64);
    *led = flight_begin(key);
    if (*led) flight_end(key);
    return NULL;
}

/* Another key (another summary, or the same one at another version) leads
 * at once; and a key ended leads again. */
static void test_other_key_does_not_wait(void **state)
{
    (void)state;
    assert_true(flight_begin("kpi/2026/2027-03-31/1/5"));
    char other[64 + sizeof(bool)] = "kpi/2026/2027-03-31/1/6";
    long w0 = flight_waits();
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, lead_other, other), 0);
    pthread_join(t, NULL);
    assert_true(*(bool *)(other + 64));
    assert_int_equal(flight_waits(), w0);
    flight_end("kpi/2026/2027-03-31/1/5");
    assert_true(flight_begin("kpi/2026/2027-03-31/1/5"));
    flight_end("kpi/2026/2027-03-31/1/5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_threads_one_rebuild),
        cmocka_unit_test(test_other_key_does_not_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
