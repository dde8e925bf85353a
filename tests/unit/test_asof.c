/* test_asof.c - no query spells out what is in force on a date by hand.
 *
 * src/db/asof.h is the one definition of an assignment, a designation
 * and service in force on a date. Hand-written versions of those conditions
 * were the bugs of the past (a unit found with `to_date IS NULL` that ignored
 * from_date, designations counted with `ended_on IS NULL` on every date, a
 * flag flipped the day a future retirement was typed), so this test reads
 * the sources and fails on any of them outside asof.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a hand-written in-force condition looks like. A pattern followed by
 * " OR" is the write side's "not ended before D", which is allowed. */
static const char *const forbidden[] = {
    "from_date <= ",     /* ASOF_IN_FORCE / ASOF_PRIMARY */
    "designated_on <= ", /* ASOF_DESIGNATED */
    "ended_on IS NULL",  /* ASOF_DESIGNATED (unless "… OR ended_on …") */
    "to_date IS NULL",   /* ASOF_IN_FORCE (unless "… OR to_date …") */
    "s.active",          /* ASOF_IN_SERVICE: service follows dates (staff s) */
};

static int scan_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[4096];
    int bad = 0, no = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        for (size_t k = 0; k < sizeof forbidden / sizeof forbidden[0]; k++) {
            for (const char *p = strstr(line, forbidden[k]); p; p = strstr(p + 1, forbidden[k])) {
                const char *after = p + strlen(forbidden[k]);
                if (strncmp(after, " OR", 3) == 0) continue;
                /* a whole name only: "ks.active" is a key system's flag */
                if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) continue;
                print_message("%s:%d: hand-written \"%s\": use the macros of src/db/asof.h\n", path, no, forbidden[k]);
                bad++;
            }
        }
    }
    fclose(f);
    return bad;
}

static int scan_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1000;
    int bad = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t n = strlen(e->d_name);
        if (!strchr(e->d_name, '.')) bad += scan_dir(path);
        else if (n > 2 && strcmp(e->d_name + n - 2, ".c") == 0) bad += scan_file(path);
    }
    closedir(d);
    return bad;
}

static void test_no_hand_written_in_force_conditions(void **state)
{
    (void)state;
    assert_int_equal(scan_dir("src"), 0);
}

/* The scanner itself finds what it is meant to find. */
static void test_scanner_finds_a_bad_line(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/jinzai-asof-%d.c", (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("\"SELECT 1 FROM assignment a WHERE a.is_primary = 1 AND a.to_date IS NULL\"\n"
          "\"SELECT 1 FROM key_system ks WHERE ks.active = 1\"\n"
          "\"UPDATE assignment SET to_date = ? WHERE (to_date IS NULL OR to_date > ?)\"\n",
          f);
    fclose(f);
    assert_int_equal(scan_file(path), 1);
    remove(path);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_hand_written_in_force_conditions),
        cmocka_unit_test(test_scanner_finds_a_bad_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
