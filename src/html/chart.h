/* chart.h - server-made inline SVG charts (radar, horizontal bars) and the
 * gap class/symbol used by the HTML heatmap.
 *
 * Every chart is appended to a Buf as
 *   <figure class="chart"><svg role="img" aria-labelledby="ID-t ID-d" …>
 *   <title id="ID-t">…</title><desc id="ID-d">…</desc>…</svg>
 *   <figcaption>…</figcaption></figure>
 * CSP allows no inline style: drawing uses SVG presentation attributes and
 * class names styled in assets/style.css (block "charts (chart.c)").
 * Colour never carries meaning alone: series also differ by dash pattern,
 * marker shape or hatch, every value is printed as text, and a legend names
 * each series with its pattern. All text goes through html_printf (escaped).
 *
 * `id` is a prefix unique on the page (e.g. "radar-12"); it must be non-empty.
 * Values are borrowed for the call only; nothing is retained. */
#ifndef JINZAI_CHART_H
#define JINZAI_CHART_H

#include "../core/buf.h"

/* Most series a chart draws; extra series are ignored. */
#define CHART_MAX_SERIES 4

typedef struct ChartSeries {
    const char *label;    /* legend text, e.g. "目標" "自己評価" "上司確認" */
    const double *values; /* one per axis/category; a negative value means "no value" */
} ChartSeries;

/* Radar (spider) chart: axis labels around the circle (wrapped to 2 lines of
 * ~10 full-width characters, then truncated with "…"; each axis also prints
 * its values, one per series, marked with the series' glyph ● ◆ ■ ▲), rings at
 * integer levels 0..max (labelled), up to 4 series. Styles by series index:
 * 0 solid dark without fill (the target), 1 dashed blue with translucent fill,
 * 2 dotted green with square markers, 3 dash-dot brown with triangles.
 * A missing value (negative) leaves a gap in that series' outline.
 * max <= 0 is treated as 1; values above max are drawn at max (printed as is).
 * With fewer than 3 axes it draws chart_bars (no suffix, no target) instead. */
void chart_radar(Buf *b, const char *id, const char *title, const char *desc, const char *const *axes, int naxes,
                 double max, const ChartSeries *series, int nseries);

/* Horizontal bars: one group per label, one bar per series (1..3, at most 4),
 * each value printed at the bar end followed by `suffix` (e.g. "%", "人";
 * NULL = none); a missing value prints "－" and draws no bar. Series differ by
 * fill pattern (solid, hatch, dots, cross-hatch) as well as colour. Scale
 * 0..max (max <= 0: the largest value). target >= 0 draws a dashed vertical
 * line labelled "目標 N<suffix>"; target < 0 draws none. */
void chart_bars(Buf *b, const char *id, const char *title, const char *desc, const char *const *labels, int nlabels,
                const ChartSeries *series, int nseries, double max, const char *suffix, double target);

/* The heat cell class for gap = actual - target: "gap-ok" (>= 0), "gap-1"
 * (short by up to 1), "gap-2" (short by more than 1, up to 2), "gap-3" (short
 * by more than 2), "gap-none" (actual or target negative = no value).
 * Fractional shortfalls round up: 2.5 against 3 is "gap-1". */
const char *chart_gap_class(double actual, double target);
/* The symbol shown beside the number so the gap reads without colour:
 * "◎" above target, "○" at target, "△" gap-1, "▲" gap-2, "✕" gap-3,
 * "－" no value. Static strings. */
const char *chart_gap_symbol(double actual, double target);

#endif
