/* gs-chart.c — the comparison charts, drawn with cairo, text with PangoCairo.
 *
 * Everything is laid out from the data and the size alone (text widths are
 * estimated, not measured), so gs_chart_layout gives the very places that
 * gs_chart_draw paints, on any surface: the pixel tests rely on it. Text
 * goes through Pango, whose font fallback finds a glyph for every
 * character (Chinese labels, the superscripts of "10⁻³") on screen and in
 * the PNG, SVG and PDF files alike.
 */
#include "gs-chart.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-file.h"
#include "gs-i18n.h"
#include "gs-text-drawn.h"

#define FONT_FAMILY "Sans"
#define CHAR_EM 0.62      /* estimated advance of a digit or letter, in em */
#define BAND_ALPHA 0.22

/* ------------------------------------------------------------------------ */
/* Names, colours, options                                                  */

static const char *const kind_names[GS_N_CHART_KINDS] = { "loss", "accuracy", "flow", "overview" };

int
gs_chart_kind_from_name (const char *name, GsChartKind *out)
{
  for (int k = 0; k < GS_N_CHART_KINDS; k++)
    if (name != NULL && strcmp (name, kind_names[k]) == 0) {
      *out = (GsChartKind) k;
      return GS_OK;
    }
  return GS_FAIL;
}

void
gs_chart_colors_light (GsChartColors *c)
{
  c->background = (GsChartRgba) { 1.0, 1.0, 1.0, 1.0 };
  c->foreground = (GsChartRgba) { 0.12, 0.12, 0.14, 1.0 };
  c->grid       = (GsChartRgba) { 0.0, 0.0, 0.0, 0.10 };
  c->panel      = (GsChartRgba) { 1.0, 1.0, 1.0, 0.92 };
}

void
gs_chart_colors_dark (GsChartColors *c)
{
  c->background = (GsChartRgba) { 0.14, 0.14, 0.15, 1.0 };
  c->foreground = (GsChartRgba) { 0.93, 0.93, 0.93, 1.0 };
  c->grid       = (GsChartRgba) { 1.0, 1.0, 1.0, 0.12 };
  c->panel      = (GsChartRgba) { 0.19, 0.19, 0.21, 0.94 };
}

/* Okabe–Ito without black (the text colour) and with yellow, the hardest to
 * see on white, last. */
GsChartRgba
gs_chart_palette (int i)
{
  static const unsigned rgb[GS_CHART_PALETTE_SIZE] = {
    0x0072B2,  /* blue */
    0xD55E00,  /* vermillion */
    0x009E73,  /* bluish green */
    0xCC79A7,  /* reddish purple */
    0xE69F00,  /* orange */
    0x56B4E9,  /* sky blue */
    0xF0E442,  /* yellow */
  };
  unsigned c = rgb[((i % GS_CHART_PALETTE_SIZE) + GS_CHART_PALETTE_SIZE) % GS_CHART_PALETTE_SIZE];

  return (GsChartRgba) { ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0, 1.0 };
}

void
gs_chart_options_default (GsChartOptions *o, GsChartKind kind)
{
  memset (o, 0, sizeof *o);
  o->kind = kind;
  o->hover = -1;
  gs_chart_colors_light (&o->colors);
}

static void
set_color (cairo_t *cr, GsChartRgba c, double alpha)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, c.a * alpha);
}

static double
auto_font_px (double width, double height)
{
  double m = width < height ? width : height;
  double px = m / 38.0;

  return px < 14.0 ? 14.0 : px > 28.0 ? 28.0 : px;
}

/* ------------------------------------------------------------------------ */
/* Data of a chart: per configuration a mean line and a min–max band        */

typedef struct {
  int    n;          /* points */
  double x0;         /* x of point 0 (1 for steps, 0 for distances) */
  float *mean, *min, *max;   /* (n) each, NaN where unknown */
} Series;

static void
series_free (Series *s, int n)
{
  for (int i = 0; i < n; i++)
    free (s[i].mean);
}

/* One Series per configuration; mean/min/max share one allocation. */
static bool
series_collect (Series *out, const GsCompare *cmp, GsChartKind kind, float alpha)
{
  for (int c = 0; c < cmp->n_configs; c++) {
    int n = 0;

    if (kind == GS_CHART_FLOW) {
      for (int r = 0; r < cmp->n_runs; r++)
        if (cmp->runs[r].config == c && cmp->runs[r].flow_T > n)
          n = cmp->runs[r].flow_T;
    } else {
      n = cmp->step;
    }
    out[c].n = n;
    out[c].x0 = kind == GS_CHART_FLOW ? 0.0 : 1.0;
    out[c].mean = malloc (sizeof (float) * 3 * (size_t) (n > 0 ? n : 1));
    if (out[c].mean == NULL) {
      series_free (out, c);
      return false;
    }
    out[c].min = out[c].mean + n;
    out[c].max = out[c].mean + 2 * n;
    if (n == 0)
      continue;
    if (kind == GS_CHART_FLOW)
      gs_compare_flow_aggregate (cmp, c, out[c].mean, out[c].min, out[c].max, n);
    else
      gs_compare_aggregate (cmp, c, kind == GS_CHART_ACCURACY ? GS_METRIC_ACCURACY : GS_METRIC_LOSS,
                            alpha, out[c].mean, out[c].min, out[c].max, NULL, n);
  }
  return true;
}

/* ------------------------------------------------------------------------ */
/* Axes                                                                     */

/* 1, 2 or 5 times a power of ten, at least raw. */
static double
nice_step (double raw)
{
  double p, f;

  if (!(raw > 0.0) || !isfinite (raw))
    return 1.0;
  p = pow (10.0, floor (log10 (raw)));
  f = raw / p;
  return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * p;
}

static int
decimals_for (double step)
{
  int d = (int) ceil (-log10 (step) - 1e-9);
  return d < 0 ? 0 : d > 8 ? 8 : d;
}

/* 10⁻⁵: a power of ten with Unicode superscripts (DejaVu and Cantarell have them). */
static void
format_power (char *buf, size_t size, int k)
{
  static const char *const sup[10] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  char digits[16];
  size_t len;

  snprintf (buf, size, "10%s", k < 0 ? "⁻" : "");
  snprintf (digits, sizeof digits, "%d", k < 0 ? -k : k);
  for (const char *p = digits; *p != '\0'; p++) {
    len = strlen (buf);
    snprintf (buf + len, size - len, "%s", sup[*p - '0']);
  }
}

/* A y tick label. Log axes: plain decimals (0.001 … 10000) when the whole
 * axis fits them, else powers of ten throughout. Linear axes: as many
 * decimals as the step needs; m×10ᵏ for large numbers. */
static void
format_tick (char *buf, size_t size, double v, double step, const GsChartLayout *lay)
{
  if (fabs (v) < step * 1e-6)
    v = 0.0;   /* never "-0" */
  if (lay->log_y) {
    int k = (int) lround (v);
    if (lay->y_min >= -3.0 && lay->y_max <= 4.0)
      snprintf (buf, size, "%g", pow (10.0, k));
    else
      format_power (buf, size, k);
  } else if (lay->kind == GS_CHART_ACCURACY) {
    snprintf (buf, size, "%.*f%%", decimals_for (step * 100.0), v * 100.0);
  } else if (fabs (lay->y_max) >= 1e5 && v != 0.0) {
    int k = (int) floor (log10 (fabs (lay->y_max)));
    size_t len;
    snprintf (buf, size, "%g×", v / pow (10.0, k));
    len = strlen (buf);
    format_power (buf + len, size - len, k);
  } else {
    snprintf (buf, size, "%.*f", decimals_for (step), v);
  }
}

/* Characters (not bytes) of a UTF-8 string: what a label's width scales with. */
static size_t
utf8_chars (const char *s)
{
  size_t n = 0;

  for (; *s != '\0'; s++)
    n += ((unsigned char) *s & 0xC0) != 0x80;
  return n;
}

static double
y_step_of (const GsChartLayout *lay)
{
  if (lay->log_y)
    return ceil ((lay->y_max - lay->y_min) / 6.0) > 1.0 ? ceil ((lay->y_max - lay->y_min) / 6.0) : 1.0;
  return nice_step ((lay->y_max - lay->y_min) / 5.0);
}

static double
x_step_of (const GsChartLayout *lay)
{
  double s = nice_step ((lay->x_max - lay->x_min) / (lay->w / (lay->font_px * 6.0)));
  return s < 1.0 ? 1.0 : s;
}

static const char *
kind_title (GsChartKind kind)
{
  switch (kind) {
  case GS_CHART_LOSS:     return _("Training loss");
  case GS_CHART_ACCURACY: return _("Accuracy");
  case GS_CHART_FLOW:     return _("Gradient flow");
  default:                return _("Comparison");
  }
}

static const char *
x_title (GsChartKind kind)
{
  return kind == GS_CHART_FLOW ? _("distance back in time (steps)") : _("training step");
}

static const char *
y_title (GsChartKind kind)
{
  switch (kind) {
  case GS_CHART_LOSS:     return _("loss");
  case GS_CHART_ACCURACY: return _("accuracy");
  default:                return _("‖dL/dh‖");
  }
}

/* The data ranges of a chart: x over every configuration, y over every
 * band (so a band never leaves the plot), with some air above. */
static void
data_ranges (GsChartLayout *lay, const Series *s, int n_configs)
{
  double lo = INFINITY, hi = -INFINITY;
  int n = 0;

  for (int c = 0; c < n_configs; c++) {
    if (s[c].n > n)
      n = s[c].n;
    for (int i = 0; i < s[c].n; i++) {
      double a = s[c].min[i], b = s[c].max[i];
      if (lay->log_y && !(a > 0.0))
        a = s[c].mean[i];
      if (isfinite (a) && (!lay->log_y || a > 0.0) && a < lo)
        lo = a;
      if (isfinite (b) && (!lay->log_y || b > 0.0) && b > hi)
        hi = b;
    }
  }
  if (lay->kind == GS_CHART_FLOW) {
    lay->x_min = 0.0;
    lay->x_max = n > 1 ? n - 1 : 1.0;
  } else {
    lay->x_min = 1.0;
    lay->x_max = n > 1 ? n : 2.0;
  }

  if (lay->kind == GS_CHART_ACCURACY) {
    lay->y_min = 0.0;
    lay->y_max = 1.0;
    return;
  }
  if (!(lo <= hi)) {
    lo = lay->log_y ? 0.01 : 0.0;
    hi = 1.0;
  }
  if (lay->log_y) {
    lay->y_min = floor (log10 (lo));
    lay->y_max = ceil (log10 (hi));
    if (lay->y_max - lay->y_min < 1.0)
      lay->y_max = lay->y_min + 1.0;
    return;
  }
  /* Losses and norms are ≥ 0: the axis starts at 0 so heights compare. */
  if (lo > 0.0)
    lo = 0.0;
  if (hi <= lo)
    hi = lo + 1.0;
  {
    double step = nice_step ((hi - lo) / 5.0);
    lay->y_min = floor (lo / step) * step;
    lay->y_max = ceil (hi * 1.04 / step) * step;
  }
}

static double
legend_row_height (double font_px)
{
  return font_px * 1.6;
}

void
gs_chart_layout (GsChartLayout *lay, const GsCompare *cmp, const GsChartOptions *o,
                 double x, double y, double width, double height)
{
  Series s[GS_COMPARE_MAX_CONFIGS];
  double font_px = o->font_px > 0.0 ? (o->font_px < 14.0 ? 14.0 : o->font_px) : auto_font_px (width, height);
  double label_w = 0.0;
  bool have = series_collect (s, cmp, o->kind, o->smoothing);

  memset (lay, 0, sizeof *lay);
  lay->kind = o->kind == GS_CHART_OVERVIEW ? GS_CHART_LOSS : o->kind;
  lay->log_y = o->log_y && lay->kind != GS_CHART_ACCURACY;
  lay->font_px = font_px;
  lay->line_px = font_px / 5.0 < 3.0 ? 3.0 : font_px / 5.0;
  if (have) {
    data_ranges (lay, s, cmp->n_configs);
    series_free (s, cmp->n_configs);
  } else {
    lay->x_min = 1.0;
    lay->x_max = 2.0;
    lay->y_max = 1.0;
  }

  /* The widest y tick label decides the left margin. */
  {
    double step = y_step_of (lay);
    char buf[64];
    for (double v = ceil (lay->y_min / step - 1e-9) * step; v <= lay->y_max + step * 1e-9; v += step) {
      double w;
      format_tick (buf, sizeof buf, v, step, lay);
      w = (double) utf8_chars (buf) * CHAR_EM * font_px;
      if (w > label_w)
        label_w = w;
    }
  }

  {
    double pad = font_px * 0.8;
    double left = pad + font_px * 1.4 /* rotated axis title */ + label_w + font_px * 0.6;
    double top = pad + font_px * 1.3 /* title */ + legend_row_height (font_px) + font_px * 0.4;
    double bottom = pad + font_px * 1.4 /* tick labels */ + font_px * 1.4 /* axis title */;
    double right = pad + font_px * 1.6;   /* half the last x label */

    lay->x = x + left;
    lay->y = y + top;
    lay->w = width - left - right;
    lay->h = height - top - bottom;
    if (lay->w < 1.0)
      lay->w = 1.0;
    if (lay->h < 1.0)
      lay->h = 1.0;
  }
}

void
gs_chart_overview_rects (const GsCompare *cmp, double width, double height,
                         double loss[4], double accuracy[4], double flow[4])
{
  double split = floor (width * 0.58);
  double half = floor (height / 2.0);

  loss[0] = 0.0, loss[1] = 0.0, loss[2] = split, loss[3] = height;
  if (cmp->has_accuracy) {
    accuracy[0] = split, accuracy[1] = 0.0, accuracy[2] = width - split, accuracy[3] = half;
    flow[0] = split, flow[1] = half, flow[2] = width - split, flow[3] = height - half;
  } else {
    accuracy[0] = split, accuracy[1] = 0.0, accuracy[2] = 0.0, accuracy[3] = 0.0;
    flow[0] = split, flow[1] = 0.0, flow[2] = width - split, flow[3] = height;
  }
}

bool
gs_chart_map_point (const GsChartLayout *lay, double x, double y, double *px, double *py)
{
  double fy;

  if (!isfinite (x) || !isfinite (y) || (lay->log_y && !(y > 0.0)))
    return false;
  if (lay->log_y)
    y = log10 (y);
  fy = (y - lay->y_min) / (lay->y_max - lay->y_min);
  *px = lay->x + (x - lay->x_min) / (lay->x_max - lay->x_min) * lay->w;
  *py = lay->y + lay->h - fy * lay->h;
  return true;
}

int
gs_chart_unmap_x (const GsChartLayout *lay, double px)
{
  double x = lay->x_min + (px - lay->x) / lay->w * (lay->x_max - lay->x_min);

  if (x < lay->x_min)
    x = lay->x_min;
  if (x > lay->x_max)
    x = lay->x_max;
  return (int) lround (x);
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                  */

/* The font of the text drawn next and a Pango context for cr, kept with
 * cr (as cairo user data) from set_font to the end of the drawing. */
typedef struct {
  PangoContext         *context;
  PangoFontDescription *font;
} TextState;

static const cairo_user_data_key_t text_state_key;

static void
text_state_free (void *data)
{
  TextState *ts = data;

  g_object_unref (ts->context);
  pango_font_description_free (ts->font);
  free (ts);
}

static void
set_font (cairo_t *cr, double px, bool bold)
{
  TextState *ts = cairo_get_user_data (cr, &text_state_key);

  if (ts == NULL) {
    ts = calloc (1, sizeof *ts);
    if (ts == NULL)
      return;
    ts->context = pango_cairo_create_context (cr);
    ts->font = pango_font_description_from_string (FONT_FAMILY);
    if (cairo_set_user_data (cr, &text_state_key, ts, text_state_free) != CAIRO_STATUS_SUCCESS) {
      text_state_free (ts);
      return;
    }
  }
  pango_font_description_set_absolute_size (ts->font, px * PANGO_SCALE);
  pango_font_description_set_weight (ts->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
}

/* A layout of s in the current font, for cr's current transformation. */
static PangoLayout *
text_layout (cairo_t *cr, const char *s)
{
  TextState *ts = cairo_get_user_data (cr, &text_state_key);
  PangoLayout *layout;

  if (ts == NULL)
    return NULL;
  pango_cairo_update_context (cr, ts->context);
  layout = pango_layout_new (ts->context);
  pango_layout_set_font_description (layout, ts->font);
  pango_layout_set_text (layout, s, -1);
  return layout;
}

/* The advance of s in the current font. */
static double
text_width (cairo_t *cr, const char *s)
{
  PangoLayout *layout = text_layout (cr, s);
  PangoRectangle logical;

  if (layout == NULL)
    return 0.0;
  pango_layout_get_extents (layout, NULL, &logical);
  g_object_unref (layout);
  return (double) logical.width / PANGO_SCALE;
}

static void
text_at (cairo_t *cr, const char *s, double x, double y, double xalign, double yalign)
{
  PangoLayout *layout = text_layout (cr, s);
  PangoRectangle logical;

  if (layout == NULL)
    return;
  pango_layout_get_extents (layout, NULL, &logical);
  /* y aligns the line's logical box (ascent..descent), so labels of a row line up */
  cairo_move_to (cr, x - xalign * logical.width / PANGO_SCALE, y - yalign * logical.height / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  gs_text_drawn (layout);
  g_object_unref (layout);
}

static void
draw_axes (cairo_t *cr, const GsChartLayout *lay, const GsChartColors *col)
{
  double fp = lay->font_px;
  double ystep = y_step_of (lay), xstep = x_step_of (lay);
  char buf[64];

  set_font (cr, fp, false);
  cairo_set_line_width (cr, 1.0);

  /* horizontal grid lines and y labels */
  for (double v = ceil (lay->y_min / ystep - 1e-9) * ystep; v <= lay->y_max + ystep * 1e-9; v += ystep) {
    double py = round (lay->y + lay->h - (v - lay->y_min) / (lay->y_max - lay->y_min) * lay->h) + 0.5;

    set_color (cr, col->grid, 1.0);
    cairo_move_to (cr, lay->x, py);
    cairo_line_to (cr, lay->x + lay->w, py);
    cairo_stroke (cr);
    format_tick (buf, sizeof buf, v, ystep, lay);
    set_color (cr, col->foreground, 0.85);
    text_at (cr, buf, lay->x - fp * 0.5, py, 1.0, 0.5);
  }
  /* minor grid of a log axis: 2…9 × 10^k */
  if (lay->log_y && ystep == 1.0 && lay->h / (lay->y_max - lay->y_min) > fp * 5.0)
    for (double k = floor (lay->y_min); k < lay->y_max; k += 1.0)
      for (int m = 2; m <= 9; m++) {
        double v = k + log10 ((double) m), py;
        if (v <= lay->y_min || v >= lay->y_max)
          continue;
        py = round (lay->y + lay->h - (v - lay->y_min) / (lay->y_max - lay->y_min) * lay->h) + 0.5;
        set_color (cr, col->grid, 0.45);
        cairo_move_to (cr, lay->x, py);
        cairo_line_to (cr, lay->x + lay->w, py);
        cairo_stroke (cr);
      }

  /* x ticks and labels */
  for (double v = ceil (lay->x_min / xstep - 1e-9) * xstep; v <= lay->x_max + 1e-9; v += xstep) {
    double px = round (lay->x + (v - lay->x_min) / (lay->x_max - lay->x_min) * lay->w) + 0.5;

    set_color (cr, col->grid, 1.0);
    cairo_move_to (cr, px, lay->y);
    cairo_line_to (cr, px, lay->y + lay->h);
    cairo_stroke (cr);
    set_color (cr, col->foreground, 0.85);
    snprintf (buf, sizeof buf, "%.0f", fabs (v) < 0.5 ? 0.0 : v);
    text_at (cr, buf, px, lay->y + lay->h + fp * 0.35, 0.5, 0.0);
  }

  /* the axes themselves */
  set_color (cr, col->foreground, 0.75);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, lay->x, lay->y);
  cairo_line_to (cr, lay->x, lay->y + lay->h);
  cairo_line_to (cr, lay->x + lay->w, lay->y + lay->h);
  cairo_stroke (cr);

  /* axis titles */
  set_color (cr, col->foreground, 0.85);
  text_at (cr, x_title (lay->kind), lay->x + lay->w / 2.0, lay->y + lay->h + fp * 1.75, 0.5, 0.0);
}

/* The rotated y-axis title, against the left edge of the chart's rectangle. */
static void
draw_y_title (cairo_t *cr, const GsChartLayout *lay, const GsChartColors *col, double rect_x)
{
  double fp = lay->font_px;

  set_font (cr, fp, false);
  set_color (cr, col->foreground, 0.85);
  cairo_save (cr);
  cairo_translate (cr, rect_x + fp * 0.8, lay->y + lay->h / 2.0);
  cairo_rotate (cr, -M_PI / 2.0);
  text_at (cr, y_title (lay->kind), 0.0, 0.0, 0.5, 0.0);
  cairo_restore (cr);
}

/* A polyline through the finite points of v; gaps where a value is missing. */
static void
path_series (cairo_t *cr, const GsChartLayout *lay, const float *v, int n, double x0)
{
  bool pen = false;

  for (int i = 0; i < n; i++) {
    double px, py;
    if (!gs_chart_map_point (lay, x0 + i, v[i], &px, &py)) {
      pen = false;
      continue;
    }
    if (pen)
      cairo_line_to (cr, px, py);
    else
      cairo_move_to (cr, px, py);
    pen = true;
  }
}

static void
draw_band (cairo_t *cr, const GsChartLayout *lay, const Series *s)
{
  int i = 0;

  /* each stretch of finite min and max is one closed shape: max forward, min back */
  while (i < s->n) {
    int a, b;
    double px, py;

    while (i < s->n && !(isfinite (s->min[i]) && isfinite (s->max[i])
                         && (!lay->log_y || (s->min[i] > 0.0f && s->max[i] > 0.0f))))
      i++;
    a = i;
    while (i < s->n && isfinite (s->min[i]) && isfinite (s->max[i])
           && (!lay->log_y || (s->min[i] > 0.0f && s->max[i] > 0.0f)))
      i++;
    b = i;
    if (b - a < 2)
      continue;
    for (int k = a; k < b; k++) {
      gs_chart_map_point (lay, s->x0 + k, s->max[k], &px, &py);
      if (k == a)
        cairo_move_to (cr, px, py);
      else
        cairo_line_to (cr, px, py);
    }
    for (int k = b - 1; k >= a; k--) {
      gs_chart_map_point (lay, s->x0 + k, s->min[k], &px, &py);
      cairo_line_to (cr, px, py);
    }
    cairo_close_path (cr);
    cairo_fill (cr);
  }
}

static void
diverged_counts (const GsCompare *cmp, int config, int *diverged, int *total)
{
  *diverged = *total = 0;
  for (int s = 0; s < cmp->n_seeds; s++) {
    (*total)++;
    *diverged += cmp->runs[config * cmp->n_seeds + s].diverged;
  }
}

/* Title on the left of the first row; legend entries from its right end,
 * wrapping within the rectangle. */
static void
draw_header (cairo_t *cr, const GsCompare *cmp, const GsChartOptions *o, const GsChartLayout *lay,
             double rx, double ry, double rw, bool legend, const char *title)
{
  double fp = lay->font_px, pad = fp * 0.8;
  double x, y = ry + pad;
  char label[GS_COMPARE_LABEL_MAX + 64];

  set_font (cr, fp * 1.3, true);
  set_color (cr, o->colors.foreground, 1.0);
  text_at (cr, title, lay->x, y, 0.0, 0.0);
  if (!legend)
    return;

  /* what the line and the band are, right of the title when there is room */
  if (cmp->n_seeds > 1) {
    double title_w = text_width (cr, title), label_w;
    set_font (cr, fp, false);
    snprintf (label, sizeof label, _("mean of %d seeds, band min–max"), cmp->n_seeds);
    label_w = text_width (cr, label);
    if (title_w + fp * 2.0 + label_w <= lay->w) {
      set_color (cr, o->colors.foreground, 0.65);
      text_at (cr, label, lay->x + lay->w, y + fp * 0.65, 1.0, 0.5);
    }
  }

  /* legend row: a thick stroke and the label per configuration */
  set_font (cr, fp, false);
  x = lay->x;
  y += fp * 1.3 + fp * 0.3;
  for (int c = 0; c < cmp->n_configs; c++) {
    GsChartRgba color = gs_chart_palette (c);
    double label_w;
    int nd, nt;
    double sw = fp * 1.8;

    diverged_counts (cmp, c, &nd, &nt);
    if (nd > 0)
      snprintf (label, sizeof label, _("%s (%d of %d diverged)"), cmp->configs[c].label, nd, nt);
    else
      snprintf (label, sizeof label, "%s", cmp->configs[c].label);
    label_w = text_width (cr, label);
    if (x > lay->x && x + sw + fp * 0.5 + label_w > rx + rw - pad)
      break;   /* the rest would not fit on one row */
    set_color (cr, color, 1.0);
    cairo_set_line_width (cr, lay->line_px * 1.3);
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
    cairo_move_to (cr, x + lay->line_px, y + fp * 0.6);
    cairo_line_to (cr, x + sw - lay->line_px, y + fp * 0.6);
    cairo_stroke (cr);
    set_color (cr, o->colors.foreground, 1.0);
    text_at (cr, label, x + sw + fp * 0.4, y + fp * 0.6, 0.0, 0.5);
    x += sw + fp * 0.4 + label_w + fp * 1.4;
  }
  /* what the dashed lines are, at the end of the row when there is room */
  if ((lay->kind == GS_CHART_LOSS || lay->kind == GS_CHART_ACCURACY) && cmp->n_runs > 0
      && cmp->runs[0].validation.n > 0) {
    const char *note = _("dashed: on held-out data");
    double note_w = text_width (cr, note);

    if (x + note_w <= rx + rw - pad) {
      set_color (cr, o->colors.foreground, 0.65);
      text_at (cr, note, x, y + fp * 0.6, 0.0, 0.5);
    }
  }
}

static void
draw_hover (cairo_t *cr, const GsCompare *cmp, const GsChartOptions *o, const GsChartLayout *lay,
            const Series *s)
{
  double fp = lay->font_px, px, py, bw = 0.0, bh, bx, by;
  double at = o->hover;
  char lines[GS_COMPARE_MAX_CONFIGS + 1][GS_COMPARE_LABEL_MAX + 48];
  int n_lines = 0;

  if (o->hover < 0 || at < lay->x_min || at > lay->x_max)
    return;
  gs_chart_map_point (lay, at, lay->log_y ? pow (10.0, lay->y_min) : lay->y_min, &px, &py);
  set_color (cr, o->colors.foreground, 0.5);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, round (px) + 0.5, lay->y);
  cairo_line_to (cr, round (px) + 0.5, lay->y + lay->h);
  cairo_stroke (cr);

  snprintf (lines[n_lines++], sizeof lines[0],
            lay->kind == GS_CHART_FLOW ? _("distance %d") : _("step %d"), o->hover);
  for (int c = 0; c < cmp->n_configs; c++) {
    int i = (int) lround (at - s[c].x0);
    double qx, qy;
    if (i < 0 || i >= s[c].n || !isfinite (s[c].mean[i]))
      continue;
    if (gs_chart_map_point (lay, at, s[c].mean[i], &qx, &qy)) {
      set_color (cr, gs_chart_palette (c), 1.0);
      cairo_arc (cr, qx, qy, lay->line_px * 1.6, 0.0, 2.0 * M_PI);
      cairo_fill (cr);
    }
    if (lay->kind == GS_CHART_ACCURACY)
      snprintf (lines[n_lines++], sizeof lines[0], "%s  %.1f%%", cmp->configs[c].label, s[c].mean[i] * 100.0);
    else
      snprintf (lines[n_lines++], sizeof lines[0], "%s  %.4g", cmp->configs[c].label, (double) s[c].mean[i]);
  }

  set_font (cr, fp, false);
  for (int k = 0; k < n_lines; k++) {
    double line_w = text_width (cr, lines[k]);
    if (line_w > bw)
      bw = line_w;
  }
  bw += fp * 1.6 + fp;
  bh = n_lines * fp * 1.4 + fp * 0.6;
  bx = px + fp;
  if (bx + bw > lay->x + lay->w)
    bx = px - fp - bw;
  by = lay->y + fp * 0.5;
  set_color (cr, o->colors.panel, 1.0);
  cairo_rectangle (cr, bx, by, bw, bh);
  cairo_fill_preserve (cr);
  set_color (cr, o->colors.foreground, 0.3);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  for (int k = 0, c = -1; k < n_lines; k++) {
    double ly = by + fp * 0.3 + k * fp * 1.4 + fp * 0.7;
    if (k > 0) {
      /* which configuration this line is: the k-th with a value */
      for (c++; c < cmp->n_configs; c++) {
        int i = (int) lround (at - s[c].x0);
        if (i >= 0 && i < s[c].n && isfinite (s[c].mean[i]))
          break;
      }
      set_color (cr, gs_chart_palette (c), 1.0);
      cairo_rectangle (cr, bx + fp * 0.5, ly - fp * 0.4, fp * 0.8, fp * 0.8);
      cairo_fill (cr);
    }
    set_color (cr, o->colors.foreground, 1.0);
    text_at (cr, lines[k], bx + fp * (k > 0 ? 1.6 : 0.5), ly, 0.0, 0.5);
  }
}

/* One chart of kind o->kind (not the overview) in the rectangle. */
static void
draw_single (cairo_t *cr, const GsCompare *cmp, const GsChartOptions *o,
             double rx, double ry, double rw, double rh, bool legend)
{
  Series s[GS_COMPARE_MAX_CONFIGS];
  GsChartLayout lay;
  bool any = false;

  gs_chart_layout (&lay, cmp, o, rx, ry, rw, rh);
  if (!series_collect (s, cmp, lay.kind, o->smoothing))
    return;

  draw_header (cr, cmp, o, &lay, rx, ry, rw, legend, o->title != NULL ? o->title : kind_title (lay.kind));
  draw_axes (cr, &lay, &o->colors);
  draw_y_title (cr, &lay, &o->colors, rx);

  cairo_save (cr);
  cairo_rectangle (cr, lay.x - lay.line_px, lay.y - lay.line_px, lay.w + 2.0 * lay.line_px,
                   lay.h + 2.0 * lay.line_px);
  cairo_clip (cr);
  /* bands first, every mean line above every band */
  for (int c = 0; c < cmp->n_configs; c++) {
    if (cmp->n_seeds < 2)
      break;
    set_color (cr, gs_chart_palette (c), BAND_ALPHA);
    draw_band (cr, &lay, &s[c]);
  }
  cairo_set_line_width (cr, lay.line_px);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int c = 0; c < cmp->n_configs; c++) {
    set_color (cr, gs_chart_palette (c), 1.0);
    path_series (cr, &lay, s[c].mean, s[c].n, s[c].x0);
    cairo_stroke (cr);
    any = any || s[c].n > 0;
  }
  /* the held-out (validation) curves, dashed in the configuration's colour */
  if (lay.kind == GS_CHART_LOSS || lay.kind == GS_CHART_ACCURACY) {
    const double dash[] = { 3.0 * lay.line_px, 2.0 * lay.line_px };
    float at[GS_VALIDATION_MAX], v[GS_VALIDATION_MAX];

    cairo_set_dash (cr, dash, 2, 0.0);
    for (int c = 0; c < cmp->n_configs; c++) {
      int n = gs_compare_validation_mean (cmp, c, lay.kind == GS_CHART_ACCURACY ? GS_METRIC_ACCURACY : GS_METRIC_LOSS,
                                          at, v, GS_VALIDATION_MAX);
      bool pen = false;

      set_color (cr, gs_chart_palette (c), 1.0);
      for (int i = 0; i < n; i++) {
        double px, py;
        if (!gs_chart_map_point (&lay, at[i], v[i], &px, &py)) {
          pen = false;
          continue;
        }
        if (pen)
          cairo_line_to (cr, px, py);
        else
          cairo_move_to (cr, px, py);
        pen = true;
      }
      cairo_stroke (cr);
    }
    cairo_set_dash (cr, NULL, 0, 0.0);
  }
  cairo_restore (cr);

  if (!any) {
    set_font (cr, lay.font_px * 1.1, false);
    set_color (cr, o->colors.foreground, 0.6);
    text_at (cr, lay.kind == GS_CHART_FLOW ? _("No gradients yet") : _("No steps yet"),
             lay.x + lay.w / 2.0, lay.y + lay.h / 2.0, 0.5, 0.5);
  }
  draw_hover (cr, cmp, o, &lay, s);
  series_free (s, cmp->n_configs);
}

void
gs_chart_draw (cairo_t *cr, const GsCompare *cmp, const GsChartOptions *o,
               double width, double height)
{
  if (width < 1.0 || height < 1.0 || cmp == NULL)
    return;
  cairo_save (cr);
  set_color (cr, o->colors.background, 1.0);
  cairo_rectangle (cr, 0.0, 0.0, width, height);
  cairo_fill (cr);

  if (o->kind == GS_CHART_OVERVIEW) {
    GsChartOptions sub = *o;
    double loss[4], acc[4], flow[4];

    if (sub.font_px <= 0.0)
      sub.font_px = auto_font_px (width, height);
    sub.hover = -1;
    gs_chart_overview_rects (cmp, width, height, loss, acc, flow);
    sub.kind = GS_CHART_LOSS;
    draw_single (cr, cmp, &sub, loss[0], loss[1], loss[2], loss[3], true);
    sub.title = NULL;
    if (acc[2] > 0.0 && acc[3] > 0.0) {
      sub.kind = GS_CHART_ACCURACY;
      sub.log_y = false;
      draw_single (cr, cmp, &sub, acc[0], acc[1], acc[2], acc[3], false);
    }
    sub.kind = GS_CHART_FLOW;
    sub.log_y = true;
    sub.smoothing = 0.0f;
    draw_single (cr, cmp, &sub, flow[0], flow[1], flow[2], flow[3], false);
  } else {
    draw_single (cr, cmp, o, 0.0, 0.0, width, height, true);
  }
  cairo_restore (cr);
}

/* ------------------------------------------------------------------------ */
/* Export                                                                   */

typedef struct {
  unsigned char *data;
  size_t len, cap;
  bool failed;
} Sink;

static cairo_status_t
sink_write (void *closure, const unsigned char *data, unsigned int length)
{
  Sink *s = closure;

  if (s->len + length > s->cap) {
    size_t cap = s->cap > 0 ? s->cap : 65536;
    unsigned char *p;
    while (cap < s->len + length)
      cap *= 2;
    p = realloc (s->data, cap);
    if (p == NULL) {
      s->failed = true;
      return CAIRO_STATUS_WRITE_ERROR;
    }
    s->data = p;
    s->cap = cap;
  }
  memcpy (s->data + s->len, data, length);
  s->len += length;
  return CAIRO_STATUS_SUCCESS;
}

static int
check_size (int width, int height, GsError *err)
{
  if (width < 64 || height < 64 || width > 16384 || height > 16384)
    return gs_error_set (err, _("a chart must be between %d and %d pixels wide and high, not %d×%d"),
                         64, 16384, width, height);
  return GS_OK;
}

static int
finish (Sink *sink, cairo_status_t status, const char *path, GsError *err)
{
  int rc;
  const void *parts[1];

  if (sink->failed || status != CAIRO_STATUS_SUCCESS) {
    free (sink->data);
    return gs_error_set (err, _("cannot draw the chart for “%s”: %s"), path,
                         sink->failed ? _("out of memory") : cairo_status_to_string (status));
  }
  parts[0] = sink->data;
  rc = gs_file_write_atomic (path, 1, parts, &sink->len, err);
  free (sink->data);
  return rc;
}

int
gs_chart_export_png (const char *path, int width, int height,
                     const GsCompare *cmp, const GsChartOptions *o, GsError *err)
{
  Sink sink = { NULL, 0, 0, false };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (check_size (width, height, err) != GS_OK)
    return GS_FAIL;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  gs_chart_draw (cr, cmp, o, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, sink_write, &sink);
  cairo_surface_destroy (surface);
  return finish (&sink, status, path, err);
}

/* SVG and PDF: cairo streams the document into memory, which is then
 * written atomically like every other file. */
static int
export_vector (const char *path, int width, int height, bool pdf,
               const GsCompare *cmp, const GsChartOptions *o, GsError *err)
{
  Sink sink = { NULL, 0, 0, false };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (check_size (width, height, err) != GS_OK)
    return GS_FAIL;
  if (pdf) {
    surface = cairo_pdf_surface_create_for_stream (sink_write, &sink, width, height);
  } else {
    surface = cairo_svg_surface_create_for_stream (sink_write, &sink, width, height);
    cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
  }
  cr = cairo_create (surface);
  gs_chart_draw (cr, cmp, o, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return finish (&sink, status, path, err);
}

int
gs_chart_export_svg (const char *path, int width, int height,
                     const GsCompare *cmp, const GsChartOptions *o, GsError *err)
{
  return export_vector (path, width, height, false, cmp, o, err);
}

int
gs_chart_export_pdf (const char *path, int width, int height,
                     const GsCompare *cmp, const GsChartOptions *o, GsError *err)
{
  return export_vector (path, width, height, true, cmp, o, err);
}
