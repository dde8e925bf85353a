/* test_house.c - the files that broke a cycle stay apart: the staffing
 * rules read the KPI summary switch, not kpi.c, and completion.c and the
 * staffing rules are declared in their own headers. The direction of the
 * folders (auth under the domain, the demo above it, db under both) is
 * checked by scripts/layers.sh in `make test`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static int count_in_file(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1000;
    char line[4096];
    int hits = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, needle)) hits++;
    fclose(f);
    return hits;
}

static void test_staffing_and_completion_have_their_own_headers(void **state)
{
    (void)state;
    assert_int_equal(count_in_file("src/domain/staffing.c", "#include \"kpi.h\""), 0);
    assert_int_equal(count_in_file("src/domain/staffing.c", "#include \"staffing.h\""), 1);
    assert_int_equal(count_in_file("src/domain/completion.c", "#include \"completion.h\""), 1);
    assert_int_equal(count_in_file("src/domain/kpi.h", "StaffingRow"), 0);
    assert_int_equal(count_in_file("src/domain/training.h", "completion_record"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staffing_and_completion_have_their_own_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
