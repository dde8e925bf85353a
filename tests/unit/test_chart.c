/* test_chart.c - SVG charts: accessible structure, escaping, no inline style,
 * gaps for missing values, the radar-to-bars fallback, and gap boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "html/chart.h"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

/* The path data ("d") of the n-th element carrying `cls`, copied into out. */
static const char *path_of(const char *svg, const char *cls, char *out, size_t cap)
{
    const char *p = strstr(svg, cls);
    assert_non_null(p);
    p = strstr(p, "d=\"");
    assert_non_null(p);
    p += 3;
    size_t n = strcspn(p, "\"");
    assert_true(n < cap);
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

static void test_radar_structure_and_escaping(void **state)
{
    (void)state;
    const char *axes[] = {"<b>&", "データ・技術", "セキュリティ", "業務改善", "施策立案"};
    double t[] = {3, 3, 2, 3, 4}, s[] = {2.5, 3, 1, 4, 2}, m[] = {2, 3, 1, 3, 2};
    ChartSeries ser[] = {{"目標", t}, {"自己\"評価", s}, {"上司確認", m}};
    Buf b = BUF_INIT;
    chart_radar(&b, "r1", "スキル <チャート>", "説明 & 詳細", axes, 5, 5, ser, 3);
    const char *o = buf_cstr(&b);

    assert_non_null(strstr(o, "<figure class=\"chart\"><svg "));
    assert_non_null(strstr(o, "role=\"img\""));
    assert_non_null(strstr(o, "aria-labelledby=\"r1-t r1-d\""));
    assert_non_null(strstr(o, "<title id=\"r1-t\">スキル &lt;チャート&gt;</title>"));
    assert_non_null(strstr(o, "<desc id=\"r1-d\">説明 &amp; 詳細</desc>"));
    assert_non_null(strstr(o, "<figcaption>スキル &lt;チャート&gt;</figcaption></figure>"));
    assert_non_null(strstr(o, "&lt;b&gt;&amp;"));
    assert_null(strstr(o, "<b>"));
    assert_non_null(strstr(o, "自己&quot;評価"));
    assert_null(strstr(o, "style="));
    assert_null(strstr(o, "<style"));
    assert_null(strstr(o, "<script"));
    assert_int_equal(count(o, "class=\"chart-series "), 3);
    assert_int_equal(count(o, "class=\"chart-series s1\""), 1);
    /* values printed as text, one decimal only when needed */
    assert_non_null(strstr(o, "◆2.5<"));
    assert_null(strstr(o, "2.50"));
    assert_null(strstr(o, "3.0<"));
    /* every series complete: closed outlines, series 1 filled, others not */
    char d[1024];
    assert_non_null(strchr(path_of(o, "chart-series s0", d, sizeof d), 'Z'));
    assert_non_null(strstr(strstr(o, "chart-series s1"), "fill-opacity"));
    assert_non_null(strstr(strstr(o, "chart-series s2"), "stroke-dasharray"));
    /* legend names each series */
    assert_int_equal(count(o, "class=\"chart-legend\""), 1);
    assert_non_null(strstr(o, ">目標</text>"));
    assert_non_null(strstr(o, ">上司確認</text>"));
    buf_free(&b);
}

static void test_radar_skips_missing_values(void **state)
{
    (void)state;
    const char *axes[] = {"A", "B", "C", "D", "E"};
    double t[] = {3, 3, 3, 3, 3}, s[] = {2, -1, 2, 2, -1}, none[] = {-1, -1, -1, -1, -1};
    ChartSeries ser[] = {{"目標", t}, {"自己評価", s}, {"上司確認", none}};
    Buf b = BUF_INIT;
    chart_radar(&b, "r2", "t", "d", axes, 5, 5, ser, 3);
    const char *o = buf_cstr(&b);
    char d[1024];
    path_of(o, "chart-series s1", d, sizeof d);
    /* gaps at B and E: two pieces (C-D and A alone), not closed */
    assert_int_equal(count(d, "M"), 2);
    assert_int_equal(count(d, "L"), 1);
    assert_null(strchr(d, 'Z'));
    assert_non_null(strstr(strstr(o, "chart-series s1"), "fill=\"none\""));
    /* a series without any value draws no outline, and prints "－" */
    assert_null(strstr(o, "chart-series s2"));
    assert_non_null(strstr(o, "■－"));
    /* markers only for present points: 5 circles for series 0 (+1 in the legend) */
    assert_int_equal(count(o, "<circle"), 6);
    buf_free(&b);
}

static void test_radar_with_two_axes_falls_back_to_bars(void **state)
{
    (void)state;
    const char *axes[] = {"マインド・スタンス", "データ・技術"};
    double t[] = {3, 3}, s[] = {2.5, -1};
    ChartSeries ser[] = {{"目標", t}, {"自己評価", s}};
    Buf b = BUF_INIT;
    chart_radar(&b, "r3", "t", "d", axes, 2, 5, ser, 2);
    const char *o = buf_cstr(&b);
    assert_null(strstr(o, "chart-series"));
    assert_int_equal(count(o, "class=\"chart-bar "), 3); /* one value missing */
    assert_non_null(strstr(o, ">2.5</text>"));
    assert_non_null(strstr(o, ">－</text>"));
    assert_null(strstr(o, "chart-target"));
    assert_non_null(strstr(o, "role=\"img\""));
    assert_null(strstr(o, "style="));
    buf_free(&b);
}

static void test_bars_with_target_line(void **state)
{
    (void)state;
    const char *labels[] = {"総務課", "DX推進課（情報政策係）", "税務課"};
    double a[] = {82, 100, 45}, c[] = {60, 90, 30};
    ChartSeries ser[] = {{"受講率", a}, {"修了率", c}};
    Buf b = BUF_INIT;
    chart_bars(&b, "b1", "研修受講率", "課別", labels, 3, ser, 2, 100, "%", 80);
    const char *o = buf_cstr(&b);
    assert_int_equal(count(o, "class=\"chart-bar "), 6);
    assert_int_equal(count(o, "class=\"chart-target\""), 1);
    assert_non_null(strstr(strstr(o, "chart-target"), "stroke-dasharray"));
    assert_non_null(strstr(o, ">目標 80%</text>"));
    assert_non_null(strstr(o, ">82%</text>"));
    assert_non_null(strstr(o, ">100%</text>"));
    /* series 1 is hatched through a pattern with a unique id */
    assert_non_null(strstr(o, "<pattern id=\"b1-p1\""));
    assert_non_null(strstr(o, "fill=\"url(#b1-p1)\""));
    /* the long label wraps before the bracket */
    assert_non_null(strstr(o, ">DX推進課</tspan>"));
    assert_non_null(strstr(o, ">（情報政策係）</tspan>"));
    assert_null(strstr(o, "style="));
    assert_non_null(strstr(o, "</svg><figcaption>研修受講率</figcaption></figure>"));

    buf_reset(&b);
    chart_bars(&b, "b2", "t", "d", labels, 3, ser, 1, 0, NULL, -1); /* auto scale, no target */
    o = buf_cstr(&b);
    assert_null(strstr(o, "chart-target"));
    assert_int_equal(count(o, "class=\"chart-bar "), 3);
    assert_non_null(strstr(o, ">100</text>"));
    buf_free(&b);
}

static void test_long_label_is_truncated(void **state)
{
    (void)state;
    const char *labels[] = {"デジタル技術を活用した業務プロセスの見直しと改善"};
    double v[] = {1};
    ChartSeries ser[] = {{"値", v}};
    Buf b = BUF_INIT;
    chart_bars(&b, "b3", "t", "d", labels, 1, ser, 1, 5, "", -1);
    const char *o = buf_cstr(&b);
    assert_non_null(strstr(o, ">デジタル技術を活用し</tspan>"));
    assert_non_null(strstr(o, ">た業務プロセスの見…</tspan>"));
    assert_non_null(strstr(o, "<title>デジタル技術を活用した業務プロセスの見直しと改善</title>"));
    buf_free(&b);
}

static void test_gap_boundaries(void **state)
{
    (void)state;
    assert_string_equal(chart_gap_class(4, 3), "gap-ok");
    assert_string_equal(chart_gap_symbol(4, 3), "◎");
    assert_string_equal(chart_gap_class(3, 3), "gap-ok");
    assert_string_equal(chart_gap_symbol(3, 3), "○");
    assert_string_equal(chart_gap_class(2.5, 3), "gap-1");
    assert_string_equal(chart_gap_class(2, 3), "gap-1");
    assert_string_equal(chart_gap_symbol(2, 3), "△");
    assert_string_equal(chart_gap_class(1.5, 3), "gap-2");
    assert_string_equal(chart_gap_class(1, 3), "gap-2");
    assert_string_equal(chart_gap_symbol(1, 3), "▲");
    assert_string_equal(chart_gap_class(0.5, 3), "gap-3");
    assert_string_equal(chart_gap_class(0, 3), "gap-3");
    assert_string_equal(chart_gap_class(1, 5), "gap-3");
    assert_string_equal(chart_gap_symbol(0, 4), "✕");
    assert_string_equal(chart_gap_class(-1, 3), "gap-none");
    assert_string_equal(chart_gap_symbol(-1, 3), "－");
    assert_string_equal(chart_gap_class(2, -1), "gap-none");
    assert_string_equal(chart_gap_class(0, 0), "gap-ok");
    assert_string_equal(chart_gap_symbol(0, 0), "○");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_radar_structure_and_escaping),
        cmocka_unit_test(test_radar_skips_missing_values),
        cmocka_unit_test(test_radar_with_two_axes_falls_back_to_bars),
        cmocka_unit_test(test_bars_with_target_line),
        cmocka_unit_test(test_long_label_is_truncated),
        cmocka_unit_test(test_gap_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
