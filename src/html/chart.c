/* chart.c - see chart.h.
 *
 * Geometry is in SVG user units on a canvas 680 wide (the A4 text width at
 * 96 dpi); CSS scales the svg to its container. Text width is estimated from
 * the characters (full-width = 1 em, ASCII ~0.55 em) since the server cannot
 * measure fonts. libm is not linked, so sine comes from a Taylor series. */
#include "chart.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "html.h"

#define CW 680.0       /* canvas width */
#define LABEL_EM 10.0  /* widest label line, in full-width characters */
#define LINE_H 16.0    /* label line height */
#define LEGEND_H 24.0  /* legend row height */
#define PI 3.14159265358979323846

typedef struct Style {
    const char *color; /* stroke, marker and value text; >= 4.5:1 on white */
    const char *dash;  /* stroke-dasharray; NULL = solid */
    const char *glyph; /* the marker as a character, shown beside values */
    const char *tint;  /* light background of the bar hatch */
} Style;

static const Style STYLE[CHART_MAX_SERIES] = {
    {"#1d3557", NULL, "●", NULL},
    {"#0b5cad", "8 4", "◆", "#e8f0fa"},
    {"#1e6b34", "1 4.5", "■", "#e8f5ec"},
    {"#a14800", "10 4 2 4", "▲", "#fbeee3"},
};

/* A negative value (or NaN) means "no value". */
static bool present(double v) { return v >= 0; }

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* sin(x) without libm; cos(x) = sin(x + pi/2). Error < 1e-12 on any input. */
static double tsin(double x)
{
    while (x > PI) x -= 2 * PI;
    while (x < -PI) x += 2 * PI;
    double term = x, sum = x;
    for (int k = 1; k < 13; k++) {
        term *= -x * x / ((2.0 * k) * (2.0 * k + 1));
        sum += term;
    }
    return sum;
}

/* Formats v with at most one decimal into out: 2.5 -> "2.5", 2.0 -> "2". */
static const char *num(char out[24], double v)
{
    snprintf(out, 24, "%.1f", clamp(v, -1e12, 1e12));
    size_t n = strlen(out);
    if (n >= 2 && strcmp(out + n - 2, ".0") == 0) out[n - 2] = '\0';
    if (strcmp(out, "-0") == 0) snprintf(out, 24, "0");
    return out;
}

/* A round step (1, 2 or 5 times a power of ten, >= 0.1) that splits 0..max
 * into at most `most` intervals. */
static double nice_step(double max, int most)
{
    static const double mult[] = {1, 2, 5};
    for (double p = 0.1;; p *= 10)
        for (int i = 0; i < 3; i++)
            if (max / (p * mult[i]) <= most + 1e-9) return p * mult[i];
}

/* Byte length of the UTF-8 character at s (1 for a stray byte); sets *em to
 * its estimated width in full-width characters. */
static size_t u8_char(const char *s, double *em)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n = 1; /* also stops at NUL */
    unsigned char c1 = (unsigned char)s[1], c2 = n == 3 ? (unsigned char)s[2] : 0;
    bool halfwidth_kana = n == 3 && c == 0xEF && ((c1 == 0xBD && c2 >= 0xA1) || c1 == 0xBE);
    *em = n == 1 || halfwidth_kana ? 0.55 : n == 2 ? 0.6 : 1.0;
    return n;
}

static double text_em(const char *s)
{
    double w = 0, em;
    while (s && *s) {
        s += u8_char(s, &em);
        w += em;
    }
    return w;
}

/* Is a line break allowed after this character? (space, slash, ・, 、, closing bracket) */
static bool break_after(const char *c, size_t n)
{
    static const char *const marks[] = {" ", "/", "-", ")", "・", "／", "、", "）", "」"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (strlen(marks[i]) == n && memcmp(c, marks[i], n) == 0) return true;
    return false;
}

/* A label split into at most two lines of LABEL_EM; `cut` when the second
 * line had to be shortened (it then ends with "…"). */
typedef struct Lines {
    char line[2][96];
    int n;
    bool cut;
} Lines;

static void wrap2(const char *s, Lines *out)
{
    memset(out, 0, sizeof *out);
    const char *p = s ? s : "";
    for (int ln = 0; ln < 2 && *p; ln++) {
        double w = 0, wbrk = 0, em;
        const char *q = p, *brk = NULL;
        while (*q) {
            size_t n = u8_char(q, &em);
            if (w + em > LABEL_EM + 1e-9) break;
            if (w > 0 && (*q == '(' || strncmp(q, "（", n) == 0)) brk = q, wbrk = w; /* break before "（" */
            w += em;
            q += n;
            if (break_after(q - n, n)) brk = q, wbrk = w;
        }
        const char *end = q;
        if (*q && ln == 0 && brk && wbrk >= LABEL_EM * 0.4) end = brk; /* prefer a natural break */
        if (*q && ln == 1) {                                        /* too long: leave room for "…" */
            out->cut = true;
            for (end = p, w = 0; *end;) {
                size_t n = u8_char(end, &em);
                if (w + em > LABEL_EM - 1 + 1e-9) break;
                w += em;
                end += n;
            }
        }
        size_t len = (size_t)(end - p);
        while (len > 0 && p[len - 1] == ' ') len--;
        assert(len + 4 <= sizeof out->line[ln]); /* <= 18 stray bytes or 10 x 4-byte chars */
        memcpy(out->line[ln], p, len);
        if (out->cut) memcpy(out->line[ln] + len, "…", sizeof "…");
        out->n = ln + 1;
        for (p = end; *p == ' '; p++) {}
    }
}

static void svg_open(Buf *b, const char *id, const char *title, const char *desc, double h)
{
    assert(id && *id);
    html_printf(b,
                "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" role=\"img\""
                " aria-labelledby=\"%s-t %s-d\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\""
                " focusable=\"false\"><title id=\"%s-t\">%s</title><desc id=\"%s-d\">%s</desc>\n",
                id, id, CW, h, CW, h, id, title ? title : "", id, desc ? desc : "");
}

static void svg_close(Buf *b, const char *title)
{
    html_printf(b, "</svg><figcaption>%s</figcaption></figure>\n", title ? title : "");
}

/* Text with a white halo so it stays legible over grid and series lines. */
static void text_at(Buf *b, double x, double y, const char *anchor, double size, const char *fill, const char *s)
{
    html_printf(b,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%.0f\" fill=\"%s\" stroke=\"#fff\""
                " stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">%s</text>\n",
                x, y, anchor, size, fill, s);
}

static void stroke_attrs(Buf *b, int si)
{
    html_printf(b, " stroke=\"%s\" stroke-width=\"2.5\" stroke-linejoin=\"round\"", STYLE[si].color);
    if (STYLE[si].dash) html_printf(b, " stroke-dasharray=\"%s\"", STYLE[si].dash);
    if (si == 2) html_raw(b, " stroke-linecap=\"round\""); /* round caps turn short dashes into dots */
}

/* The series marker: circle, diamond, square, triangle by index. */
static void marker(Buf *b, int si, double x, double y)
{
    const char *c = STYLE[si].color;
    switch (si) {
    case 0: html_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"", x, y); break;
    case 1: html_printf(b, "<path d=\"M%.1f %.1fl6 6-6 6-6-6z\"", x, y - 6); break;
    case 2: html_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\"", x - 4.5, y - 4.5); break;
    default: html_printf(b, "<path d=\"M%.1f %.1fl6 10.5h-12z\"", x, y - 6.5); break;
    }
    html_printf(b, " fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\"/>", c);
}

/* Hatch patterns for bars of series 1..3 (series 0 is solid). */
static void bar_patterns(Buf *b, const char *id, int ns)
{
    html_raw(b, "<defs>");
    for (int si = 1; si < ns; si++) {
        const char *c = STYLE[si].color, *t = STYLE[si].tint;
        /* %s escapes, so markup never goes through it: the angle is a number (dots: 0). */
        html_printf(b, "<pattern id=\"%s-p%d\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                       " patternTransform=\"rotate(%d)\"><rect width=\"6\" height=\"6\" fill=\"%s\"/>",
                    id, si, si == 2 ? 0 : 45, t);
        if (si == 1) html_printf(b, "<path d=\"M0 0V6\" stroke=\"%s\" stroke-width=\"3\"/>", c);
        else if (si == 2) html_printf(b, "<circle cx=\"3\" cy=\"3\" r=\"1.6\" fill=\"%s\"/>", c);
        else html_printf(b, "<path d=\"M0 0V6M0 0H6\" stroke=\"%s\" stroke-width=\"2\"/>", c);
        html_raw(b, "</pattern>");
    }
    html_raw(b, "</defs>\n");
}

static void bar_fill(Buf *b, const char *id, int si)
{
    if (si == 0) html_printf(b, " fill=\"%s\"", STYLE[0].color);
    else html_printf(b, " fill=\"url(#%s-p%d)\"", id, si);
    html_printf(b, " stroke=\"%s\" stroke-width=\"1.5\"", STYLE[si].color);
}

static double legend_item_w(const char *label) { return 36 + text_em(label) * 13 + 22; }

/* Lays the legend out in centred rows from baseline y; draws it when `draw`.
 * Returns the number of rows. Each item: a sample (line + marker, or a bar
 * swatch) and the series label. */
static int legend(Buf *b, const char *id, const ChartSeries *s, int ns, double y, bool bars, bool draw)
{
    int rows = 0;
    if (draw && ns > 0) html_raw(b, "<g class=\"chart-legend\">");
    for (int first = 0; first < ns; rows++) {
        double w = 0;
        int last = first;
        while (last < ns && (last == first || w + legend_item_w(s[last].label) <= CW - 20))
            w += legend_item_w(s[last++].label);
        double x = (CW - (w - 22)) / 2, ry = y + rows * LEGEND_H;
        for (int si = first; draw && si < last; si++) {
            if (bars) {
                html_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"28\" height=\"14\"", x, ry - 11);
                bar_fill(b, id, si);
                html_raw(b, "/>");
            } else {
                html_printf(b, "<path d=\"M%.1f %.1fh30\" fill=\"none\"", x, ry - 4.5);
                stroke_attrs(b, si);
                html_raw(b, "/>");
                marker(b, si, x + 15, ry - 4.5);
            }
            html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"#1a1a1a\">%s</text>\n", x + 36, ry,
                        s[si].label ? s[si].label : "");
            x += legend_item_w(s[si].label);
        }
        first = last;
    }
    if (draw && ns > 0) html_raw(b, "</g>\n");
    return rows;
}

/* A label of up to two lines from baseline y; the full text as a tooltip when cut. */
static void label_lines(Buf *b, const Lines *l, const char *full, double x, double y, const char *anchor)
{
    html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"13\" fill=\"#1a1a1a\">", x, y, anchor);
    if (l->cut) html_printf(b, "<title>%s</title>", full);
    for (int i = 0; i < l->n; i++)
        html_printf(b, "<tspan x=\"%.1f\" dy=\"%.0f\">%s</tspan>", x, i ? LINE_H : 0.0, l->line[i]);
    html_raw(b, "</text>\n");
}

void chart_bars(Buf *b, const char *id, const char *title, const char *desc, const char *const *labels, int nlabels,
                const ChartSeries *series, int nseries, double max, const char *suffix, double target)
{
    int ns = (int)clamp(nseries, 0, CHART_MAX_SERIES), nl = nlabels > 0 ? nlabels : 0;
    if (!(max > 0)) { /* auto scale: the largest value */
        max = 0;
        for (int si = 0; si < ns; si++)
            for (int i = 0; i < nl; i++)
                if (present(series[si].values[i]) && series[si].values[i] > max) max = series[si].values[i];
        if (!(max > 0)) max = 1;
        double step = nice_step(max, 5);
        int k = 1;
        while (k * step < max - 1e-9) k++;
        max = k * step; /* up to the next tick */
    }
    max = clamp(max, 0.1, 1e9);
    suffix = suffix ? suffix : "";
    const double X0 = 170, X1 = CW - 80, BH = ns > 1 ? 14 : 18, GAP = 3, PAD = 16;
    double group = (ns > 0 ? ns : 1) * (BH + GAP) - GAP, top = present(target) ? 34 : 12;
    double axis_y = top + (nl > 0 ? nl * (group + PAD) : 32);
    double legend_y = axis_y + 46;
    double h = legend_y + legend(b, id, series, ns, 0, true, false) * LEGEND_H - 6;
    char n1[24], txt[96];

    svg_open(b, id, title, desc, h);
    bar_patterns(b, id, ns);
    double step = nice_step(max, 5);
    html_raw(b, "<g class=\"chart-grid\">");
    for (int k = 0; k * step <= max + 1e-9; k++) {
        double x = X0 + (X1 - X0) * (k * step) / max;
        html_printf(b, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"%s\" stroke-width=\"1\"/>", x, top - 4, axis_y,
                    k ? "#c4cad3" : "#6b7480");
        snprintf(txt, sizeof txt, "%s%s", num(n1, k * step), suffix);
        text_at(b, x, axis_y + 17, "middle", 12, "#5a6270", txt);
    }
    html_printf(b, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#6b7480\" stroke-width=\"1\"/></g>\n", X0, axis_y, X1);
    if (nl == 0) text_at(b, (X0 + X1) / 2, top + 21, "middle", 13, "#5a6270", "データがありません");

    for (int g = 0; g < nl; g++) {
        double gy = top + g * (group + PAD) + PAD / 2;
        Lines l;
        wrap2(labels[g], &l);
        label_lines(b, &l, labels[g], X0 - 10, gy + group / 2 + 4.5 - (l.n - 1) * LINE_H / 2, "end");
        for (int si = 0; si < ns; si++) {
            double v = series[si].values[g], y = gy + si * (BH + GAP);
            if (!present(v)) {
                text_at(b, X0 + 6, y + BH / 2 + 4.5, "start", 12, "#1a1a1a", "－");
                continue;
            }
            double w = (X1 - X0) * clamp(v, 0, max) / max;
            html_printf(b, "<rect class=\"chart-bar s%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\"", si, X0,
                        y, w, BH);
            bar_fill(b, id, si);
            html_raw(b, "/>");
            snprintf(txt, sizeof txt, "%s%s", num(n1, v), suffix);
            text_at(b, X0 + w + 6, y + BH / 2 + 4.5, "start", 12, "#1a1a1a", txt);
        }
    }
    if (present(target)) {
        double x = X0 + (X1 - X0) * clamp(target, 0, max) / max;
        html_printf(b, "<path class=\"chart-target\" d=\"M%.1f %.1fV%.1f\" stroke=\"#b3261e\" stroke-width=\"2\""
                       " stroke-dasharray=\"6 4\"/>",
                    x, top - 10, axis_y);
        snprintf(txt, sizeof txt, "目標 %s%s", num(n1, target), suffix);
        text_at(b, x, top - 16, x > X1 - 40 ? "end" : "middle", 12, "#b3261e", txt);
    }
    legend(b, id, series, ns, legend_y, true, true);
    svg_close(b, title);
}

void chart_radar(Buf *b, const char *id, const char *title, const char *desc, const char *const *axes, int naxes,
                 double max, const ChartSeries *series, int nseries)
{
    if (naxes < 3) { /* a radar needs 3+ axes */
        chart_bars(b, id, title, desc, axes, naxes, series, nseries, max, NULL, -1);
        return;
    }
    int ns = (int)clamp(nseries, 0, CHART_MAX_SERIES), n = naxes;
    max = max > 0 ? clamp(max, 1e-3, 1e9) : 1;
    const double R = 160, cx = CW / 2, cy = R + 82, legend_y = cy + R + 80;
    double h = legend_y + legend(b, id, series, ns, 0, false, false) * LEGEND_H - 6;
    char n1[24];
    /* Unit direction of axis i, clockwise from the top. */
#define DX(i) tsin(2 * PI * (i) / n)
#define DY(i) (-tsin(2 * PI * (i) / n + PI / 2))

    svg_open(b, id, title, desc, h);
    html_raw(b, "<g class=\"chart-grid\" fill=\"none\">");
    double step = nice_step(max, 10);
    step = step < 1 ? 1 : step;
    for (int k = 1;; k++) {
        double lv = k * step < max - 1e-9 ? k * step : max, r = R * lv / max;
        html_raw(b, "<path d=\"");
        for (int i = 0; i < n; i++) html_printf(b, "%s%.1f %.1f", i ? "L" : "M", cx + r * DX(i), cy + r * DY(i));
        html_printf(b, "Z\" stroke=\"%s\" stroke-width=\"1\"/>", lv < max ? "#c4cad3" : "#6b7480");
        if (lv >= max) break;
    }
    for (int i = 0; i < n; i++)
        html_printf(b, "<path d=\"M%.1f %.1fL%.1f %.1f\" stroke=\"#c4cad3\" stroke-width=\"1\"/>", cx, cy,
                    cx + R * DX(i), cy + R * DY(i));
    html_raw(b, "</g>\n");

    /* Series outlines: a gap where a value is missing; filled only when whole. */
    for (int si = 0; si < ns; si++) {
        const double *v = series[si].values;
        int have = 0, start = 0;
        for (int i = n - 1; i >= 0; i--)
            if (present(v[i]) && ++have && !present(v[(i + n - 1) % n])) start = i;
        if (!have) continue;
        html_printf(b, "<path class=\"chart-series s%d\" d=\"", si);
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            if (!present(v[i])) continue;
            double r = R * clamp(v[i], 0, max) / max;
            bool joined = k > 0 && present(v[(i + n - 1) % n]);
            html_printf(b, "%s%.1f %.1f", joined ? "L" : "M", cx + r * DX(i), cy + r * DY(i));
        }
        if (have == n) html_raw(b, "Z");
        if (si == 1 && have == n) html_printf(b, "\" fill=\"%s\" fill-opacity=\"0.15\"", STYLE[si].color);
        else html_raw(b, "\" fill=\"none\"");
        stroke_attrs(b, si);
        html_raw(b, "/>\n");
    }
    /* Markers last, series 0 on top (it is the smallest). */
    for (int si = ns - 1; si >= 0; si--)
        for (int i = 0; i < n; i++)
            if (present(series[si].values[i])) {
                double r = R * clamp(series[si].values[i], 0, max) / max;
                marker(b, si, cx + r * DX(i), cy + r * DY(i));
            }
    html_raw(b, "\n");
    for (int k = 0;; k++) { /* ring levels along the top axis */
        double lv = k * step < max - 1e-9 ? k * step : max;
        text_at(b, cx + 5, cy - R * lv / max - 3, "start", 11, "#5a6270", num(n1, lv));
        if (lv >= max) break;
    }

    /* Axis labels: name (1-2 lines) and a line of values, one per series. */
    for (int i = 0; i < n; i++) {
        double dx = DX(i), dy = DY(i), x = cx + (R + 14) * dx, y = cy + (R + 14) * dy;
        const char *anchor = dx > 0.3 ? "start" : dx < -0.3 ? "end" : "middle";
        Lines l;
        wrap2(axes[i], &l);
        double block = (l.n + 1) * LINE_H;
        double top = dy < -0.5 ? y - block : dy > 0.5 ? y : y - block / 2;
        label_lines(b, &l, axes[i], x, top + 12, anchor);
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"12\">", x,
                    top + 12 + l.n * LINE_H, anchor);
        for (int si = 0; si < ns; si++) {
            double v = series[si].values[i];
            html_printf(b, "<tspan fill=\"%s\">%s%s%s</tspan>", STYLE[si].color, si ? " " : "", STYLE[si].glyph,
                        present(v) ? num(n1, v) : "－");
        }
        html_raw(b, "</text>\n");
    }
#undef DX
#undef DY
    legend(b, id, series, ns, legend_y, false, true);
    svg_close(b, title);
}

/* 0 at or above target, 1..3 short by (0,1], (1,2], more; -1 no value. */
static int gap_level(double actual, double target)
{
    if (!present(actual) || !present(target)) return -1;
    double short_by = target - actual;
    return short_by <= 1e-9 ? 0 : short_by <= 1 + 1e-9 ? 1 : short_by <= 2 + 1e-9 ? 2 : 3;
}

const char *chart_gap_class(double actual, double target)
{
    static const char *const cls[] = {"gap-ok", "gap-1", "gap-2", "gap-3"};
    int lv = gap_level(actual, target);
    return lv < 0 ? "gap-none" : cls[lv];
}

const char *chart_gap_symbol(double actual, double target)
{
    static const char *const sym[] = {"○", "△", "▲", "✕"};
    int lv = gap_level(actual, target);
    if (lv < 0) return "－";
    return lv == 0 && actual - target > 1e-9 ? "◎" : sym[lv];
}
