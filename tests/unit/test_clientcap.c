/* test_clientcap.c - the per-client cap on requests in flight behind a
 * trusted proxy: counted per address X-Forwarded-For names, refused at the
 * cap, released by leave, and exact under concurrent threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>

#include "http/proxy.h"

static void test_cap_per_client(void **state)
{
    (void)state;
    const char *a = "198.51.100.7", *b = "2001:db8::1";
    for (int i = 0; i < 3; i++) assert_true(proxy_client_enter(a, 3));
    assert_false(proxy_client_enter(a, 3)); /* a fourth at once is refused */
    assert_int_equal(proxy_client_in_flight(a), 3);
    assert_true(proxy_client_enter(b, 3)); /* another client is not affected */
    proxy_client_leave(a);
    assert_true(proxy_client_enter(a, 3)); /* room again after one ends */
    for (int i = 0; i < 3; i++) proxy_client_leave(a);
    proxy_client_leave(b);
    assert_int_equal(proxy_client_in_flight(a), 0);
    assert_int_equal(proxy_client_in_flight(b), 0);
    proxy_client_leave(a); /* an extra leave never goes below zero */
    assert_int_equal(proxy_client_in_flight(a), 0);
}

/* Many addresses share the table: each keeps its own count. */
static void test_many_clients(void **state)
{
    (void)state;
    char ip[32];
    for (int i = 0; i < 600; i++) {
        snprintf(ip, sizeof ip, "10.0.%d.%d", i / 250, i % 250);
        assert_true(proxy_client_enter(ip, 1));
    }
    for (int i = 0; i < 600; i++) {
        snprintf(ip, sizeof ip, "10.0.%d.%d", i / 250, i % 250);
        assert_false(proxy_client_enter(ip, 1));
        proxy_client_leave(ip);
        assert_int_equal(proxy_client_in_flight(ip), 0);
    }
}

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++)
        if (proxy_client_enter("192.0.2.9", 1000000)) proxy_client_leave("192.0.2.9");
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    assert_int_equal(proxy_client_in_flight("192.0.2.9"), 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap_per_client),
        cmocka_unit_test(test_many_clients),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
