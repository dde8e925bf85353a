/* test_html.c - escaping by default, URL encoding and CSV output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "html/html.h"
#include "io/csv.h"

static void test_printf_escapes_strings(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    html_printf(&b, "<p title=\"%s\">%s %d%% %lld %zu %.1f %c</p>", "a\"b", "<script>&'", 42, (long long)-7, (size_t)3, 1.25, '<');
    assert_string_equal(buf_cstr(&b), "<p title=\"a&quot;b\">&lt;script&gt;&amp;&#39; 42% -7 3 1.2 &lt;</p>");
    buf_reset(&b);
    html_printf(&b, "%5d|%s|%u", 7, "x", 3u);
    assert_string_equal(buf_cstr(&b), "    7|x|3");
    buf_free(&b);
}

static void test_raw_and_url(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    html_raw(&b, "<b>");
    html_urlenc(&b, "山田 a&b=c/");
    assert_string_equal(buf_cstr(&b), "<b>%E5%B1%B1%E7%94%B0%20a%26b%3Dc%2F");
    buf_free(&b);
}

static void test_csv_quoting_and_formulas(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    Csv c;
    csv_begin(&c, &b);
    csv_cell(&c, "山田");
    csv_cell(&c, "a,b");
    csv_cell(&c, "say \"hi\"");
    csv_cell(&c, "=1+2");
    csv_cell(&c, "@SUM(A1)");
    csv_cell(&c, "-3"); /* a number: no formula, no guard */
    csv_int(&c, -3);
    csv_cell(&c, NULL);
    csv_cell(&c, "-K001");
    csv_row_end(&c);
    assert_string_equal(buf_cstr(&b), "\xEF\xBB\xBF山田,\"a,b\",\"say \"\"hi\"\"\",\"'=1+2\",\"'@SUM(A1)\",-3,-3,,\"'-K001\"\r\n");
    buf_free(&b);
}

/* Every conversion the code uses, with the precision it uses. */
static void test_printf_conversions(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    html_printf(&b, "%%|%.0f|%.1f|%.2f|%02d|%04d|%d|%lld|%s|%.5s|%.*s|%zu|%u|%c|%i|%x|%X|%ld|%5.1f|%-4d|%*d|%e|%g", 2.5, 1.25,
                3.14159, 7, 2026, -3, (long long)9000000000LL, "<x>", "10:30:00", 3, "abcdef", (size_t)42, 7u, '&', 5, 255, 255,
                (long)-1, 2.25, 9, 3, 1, 1.5, 0.5);
    assert_string_equal(buf_cstr(&b), "%|2|1.2|3.14|07|2026|-3|9000000000|&lt;x&gt;|10:30|abc|42|7|&amp;|5|ff|FF|-1|  2.2|9   |  1|1.500000e+00|0.5");
    assert_int_equal(html_printf_unsupported(), 0);
    buf_free(&b);
}

/* %.Ns: at most N bytes, never half a character; escaping after the cut. */
static void test_printf_precision_utf8(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    html_printf(&b, "[%.4s]", "山田太郎"); /* 3-byte characters: 4 bytes hold one */
    assert_string_equal(buf_cstr(&b), "[山]");
    buf_reset(&b);
    html_printf(&b, "[%.6s][%.7s][%.0s][%.99s]", "山田太郎", "山田太郎", "山", "山");
    assert_string_equal(buf_cstr(&b), "[山田][山田][][山]");
    buf_reset(&b);
    html_printf(&b, "[%.*s][%.*s]", 5, "a\xF0\x9F\x98\x80z", 2, "<<<"); /* a 4-byte emoji after one byte */
    assert_string_equal(buf_cstr(&b), "[a\xF0\x9F\x98\x80][&lt;&lt;]");
    buf_reset(&b);
    /* A long User-Agent as the sessions page shows it. */
    char ua[200];
    memset(ua, 'M', sizeof ua - 1);
    ua[sizeof ua - 1] = 0;
    html_printf(&b, "%.60s", ua);
    assert_int_equal(b.len, 60);
    buf_reset(&b);
    html_printf(&b, "[%4s][%-4s]", "山", "ab");
    assert_string_equal(buf_cstr(&b), "[   山][ab  ]");
    buf_free(&b);
}

/* An unsupported conversion writes nothing and is counted; it never stops
 * the page. */
static void test_printf_unsupported(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    int before = html_printf_unsupported();
    int x = 0;
    html_printf(&b, "<a%p>%s</a>", (void *)&x, "ok");
    assert_string_equal(buf_cstr(&b), "<a>ok</a>");
    assert_int_equal(html_printf_unsupported(), before + 1);
    buf_free(&b);
}

/* Scans the format strings of every html_printf call in src/ and checks each
 * conversion is one html_printf supports, so that a new one is caught here,
 * not by a user. */
static int scan_formats(const char *dir, int *calls)
{
    static const char *const ok_len[] = {"", "h", "hh", "l", "ll", "z", "j"};
    int bad = 0;
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t nl = strlen(e->d_name);
        if (e->d_type == DT_DIR) {
            int sub = scan_formats(path, calls);
            if (sub < 0) return -1;
            bad += sub;
            continue;
        }
        if (nl < 3 || strcmp(e->d_name + nl - 2, ".c") != 0) continue;
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        static char text[1 << 20];
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = 0;
        fclose(f);
        for (const char *p = strstr(text, "html_printf("); p; p = strstr(p + 1, "html_printf(")) {
            const char *c = strchr(p, ',');
            if (!c || strncmp(p - 5, "void ", 5) == 0) continue;
            (*calls)++;
            /* Adjacent literals up to the format's end. */
            Buf fmtb = BUF_INIT;
            const char *q = c + 1;
            for (;;) {
                while (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r') q++;
                if (*q != '"') break;
                for (q++; *q && *q != '"'; q++) {
                    if (*q == '\\' && q[1]) buf_putc(&fmtb, *q++);
                    buf_putc(&fmtb, *q);
                }
                if (*q) q++;
            }
            const char *s = buf_cstr(&fmtb);
            for (const char *pc = strchr(s, '%'); pc; pc = strchr(pc + 1, '%')) {
                const char *t = pc + 1;
                if (*t == '%') {
                    pc = t;
                    continue;
                }
                t += strspn(t, "-+ #0");
                t += *t == '*' ? 1 : strspn(t, "0123456789");
                if (*t == '.') t += 1 + (t[1] == '*' ? 1 : strspn(t + 1, "0123456789"));
                size_t ll = strspn(t, "hlzj");
                bool len_ok = false;
                for (size_t k = 0; k < sizeof ok_len / sizeof ok_len[0]; k++) len_ok |= strlen(ok_len[k]) == ll && strncmp(t, ok_len[k], ll) == 0;
                char conv = t[ll];
                bool ok = len_ok && conv && strchr("diuoxXfFgGeEcs", conv);
                if (!ok) {
                    fprintf(stderr, "%s: html_printf conversion \"%.*s\" is not supported\n", path, (int)(t + ll + 1 - pc), pc);
                    bad++;
                }
            }
            buf_free(&fmtb);
        }
    }
    closedir(d);
    return bad;
}

static void test_every_format_in_src(void **state)
{
    (void)state;
    int calls = 0;
    int bad = scan_formats("src", &calls);
    assert_int_equal(bad, 0);
    if (calls < 300) fail_msg("only %d html_printf calls found", calls); /* the scan found the calls */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printf_escapes_strings),
        cmocka_unit_test(test_raw_and_url),
        cmocka_unit_test(test_csv_quoting_and_formulas),
        cmocka_unit_test(test_printf_conversions),
        cmocka_unit_test(test_printf_precision_utf8),
        cmocka_unit_test(test_printf_unsupported),
        cmocka_unit_test(test_every_format_in_src),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
