/* test_project.c - the rule that judges a DX project's skill need against
 * its members (充足 / 外部人材で補完中 / 研修が必要), and the line format of
 * the project and external talent forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/lines.h"
#include "domain/project.h"

static void test_need_met_when_enough_members_reach_the_level(void **state)
{
    (void)state;
    int levels[] = {3, 4, 1};
    assert_int_equal(need_state(3, 2, levels, 3, false), NEED_MET);
    assert_int_equal(need_state(3, 2, levels, 3, true), NEED_MET); /* an external changes nothing when met */
    assert_int_equal(need_state(4, 1, levels, 3, false), NEED_MET);
    /* exactly the count at exactly the level */
    int two[] = {2, 2};
    assert_int_equal(need_state(2, 2, two, 2, false), NEED_MET);
}

static void test_short_need_goes_to_extern_or_training(void **state)
{
    (void)state;
    int levels[] = {3, 2, -1};
    assert_int_equal(need_state(3, 2, levels, 3, true), NEED_EXTERN);
    assert_int_equal(need_state(3, 2, levels, 3, false), NEED_TRAINING);
    /* not assessed (-1) never counts, even for a level-0 need */
    int none[] = {-1, -1};
    assert_int_equal(need_state(0, 1, none, 2, false), NEED_TRAINING);
    /* no members at all */
    assert_int_equal(need_state(1, 1, NULL, 0, false), NEED_TRAINING);
    assert_int_equal(need_state(1, 1, NULL, 0, true), NEED_EXTERN);
    assert_string_equal(need_state_name(NEED_MET), "充足");
    assert_string_equal(need_state_name(NEED_EXTERN), "不足（外部人材で補完中）");
    assert_string_equal(need_state_name(NEED_TRAINING), "不足（研修が必要）");
}

static void test_lines_split(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    const char *tok[3];
    assert_int_equal(lines_split(&a, "  A0012\u3000窓口 業務の整理  ", tok, 2), 2);
    assert_string_equal(tok[0], "A0012");
    assert_string_equal(tok[1], "窓口 業務の整理");
    assert_int_equal(lines_split(&a, "K-02 3", tok, 3), 2);
    assert_string_equal(tok[1], "3");
    assert_null(tok[2]);
    assert_int_equal(lines_split(&a, " \t ", tok, 3), 0);
    LineIter it = lines_begin("a 1\r\n\r\nb 2");
    assert_string_equal(lines_next(&a, &it), "a 1");
    assert_string_equal(lines_next(&a, &it), "");
    assert_string_equal(lines_next(&a, &it), "b 2");
    assert_null(lines_next(&a, &it));
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_need_met_when_enough_members_reach_the_level),
                                       cmocka_unit_test(test_short_need_goes_to_extern_or_training), cmocka_unit_test(test_lines_split)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
