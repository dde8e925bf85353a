/* test_quiz.c - the pure parts of quiz scoring: answers compared as sets of
 * option ids, the percent score rounded down, and the shuffle a permutation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/quiz.h"

static void test_same_ids(void **state)
{
    (void)state;
    assert_true(quiz_same_ids("3", "3"));
    assert_true(quiz_same_ids("3,5", "5,3"));
    assert_true(quiz_same_ids("", ""));
    assert_false(quiz_same_ids("3", ""));
    assert_false(quiz_same_ids("", "3"));
    assert_false(quiz_same_ids("3,5", "3"));       /* a missing correct option */
    assert_false(quiz_same_ids("3", "3,5"));       /* an extra wrong option */
    assert_false(quiz_same_ids("3,5", "3,3"));     /* a repeated id is not the set */
    assert_false(quiz_same_ids("13", "3"));
    assert_false(quiz_same_ids("x", "x"));
}

static void test_percent(void **state)
{
    (void)state;
    assert_int_equal(quiz_percent(8, 10), 80);
    assert_int_equal(quiz_percent(2, 3), 66); /* rounded down: 66.7 does not reach 67 */
    assert_int_equal(quiz_percent(0, 10), 0);
    assert_int_equal(quiz_percent(10, 10), 100);
    assert_int_equal(quiz_percent(0, 0), 0);
}

static uint32_t seq_state;
static uint32_t fake_rnd(uint32_t n) { return (seq_state = seq_state * 1103515245u + 12345u) % n; }

static void test_shuffle(void **state)
{
    (void)state;
    int64_t ids[20];
    int seen_moved = 0;
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 20; i++) ids[i] = i + 1;
        quiz_shuffle(ids, 20, fake_rnd);
        int mark[21] = {0};
        for (int i = 0; i < 20; i++) {
            assert_true(ids[i] >= 1 && ids[i] <= 20);
            mark[ids[i]]++;
            seen_moved += ids[i] != i + 1;
        }
        for (int i = 1; i <= 20; i++) assert_int_equal(mark[i], 1);
    }
    assert_true(seen_moved > 0);
    int64_t one[1] = {7};
    quiz_shuffle(one, 1, fake_rnd);
    assert_int_equal(one[0], 7);
    quiz_shuffle(one, 0, fake_rnd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_same_ids), cmocka_unit_test(test_percent), cmocka_unit_test(test_shuffle)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
