/* test_html.c - escaping by default, URL encoding and CSV output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printf_escapes_strings),
        cmocka_unit_test(test_raw_and_url),
        cmocka_unit_test(test_csv_quoting_and_formulas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
