/* test_house.c - the dependencies that must run one way stay so.
 *
 * auth (passwords, sessions, throttling, roles, scope) sits beside the
 * domain and under it: the domain may use auth's roles, auth never includes
 * the domain. The demo fixtures use the domain; the domain never includes
 * them. The staffing rules read the KPI summary switch, not kpi.c, and
 * completion.c and the staffing rules are declared in their own headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* Lines of the .c and .h files of dir that contain needle. */
static int count_in_dir(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    if (!d) return -1000;
    int hits = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 3 || e->d_name[n - 2] != '.' || (e->d_name[n - 1] != 'c' && e->d_name[n - 1] != 'h')) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        char line[4096];
        int no = 0;
        while (fgets(line, sizeof line, f)) {
            no++;
            if (strstr(line, needle)) {
                print_message("%s:%d: %s", path, no, line);
                hits++;
            }
        }
        fclose(f);
    }
    closedir(d);
    return hits;
}

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

static void test_auth_does_not_include_the_domain(void **state)
{
    (void)state;
    assert_int_equal(count_in_dir("src/auth", "#include \"../domain/"), 0);
}

static void test_the_domain_does_not_include_the_demo(void **state)
{
    (void)state;
    assert_int_equal(count_in_dir("src/domain", "#include \"../demo/"), 0);
    assert_int_equal(count_in_dir("src/domain", "demo.h\""), 0);
}

static void test_db_includes_nothing_above_it(void **state)
{
    (void)state;
    const char *above[] = {"../auth/", "../domain/", "../http/", "../html/", "../pages/", "../demo/"};
    for (size_t i = 0; i < sizeof above / sizeof above[0]; i++) {
        char needle[64];
        snprintf(needle, sizeof needle, "#include \"%s", above[i]);
        assert_int_equal(count_in_dir("src/db", needle), 0);
    }
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
        cmocka_unit_test(test_auth_does_not_include_the_domain),
        cmocka_unit_test(test_the_domain_does_not_include_the_demo),
        cmocka_unit_test(test_db_includes_nothing_above_it),
        cmocka_unit_test(test_staffing_and_completion_have_their_own_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
