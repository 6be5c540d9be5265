/* gs-colormap.c — the diverging colour scale and its legend.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdio.h>

#include "gs-colormap.h"

#include <pango/pangocairo.h>

#include "gs-text-drawn.h"

/* RdBu (Brewer 2002), five stops from negative to positive. */
static const float stops_light[5][3] = {
  { 0.129f, 0.400f, 0.675f },   /* #2166ac */
  { 0.404f, 0.663f, 0.812f },   /* #67a9cf */
  { 0.969f, 0.969f, 0.969f },   /* #f7f7f7 */
  { 0.937f, 0.541f, 0.384f },   /* #ef8a62 */
  { 0.698f, 0.094f, 0.169f },   /* #b2182b */
};
static const float stops_dark[5][3] = {
  { 0.263f, 0.576f, 0.863f },   /* brighter blue on dark */
  { 0.247f, 0.443f, 0.612f },
  /* Neutral: #60606a, lighter than the cards (#373737) by enough that a
   * value near zero still shows on a projector that flattens contrast;
   * #3d3d45, a step above the cards, vanished there. */
  { 0.376f, 0.376f, 0.416f },
  { 0.659f, 0.341f, 0.282f },
  { 0.937f, 0.333f, 0.290f },   /* brighter red on dark */
};

GsColorRange
gs_color_range_for_gate (char gate)
{
  switch (gate) {
  case 'i': case 'f': case 'o': case 'r': case 'z':
    return (GsColorRange) { 0.0f, 0.5f, 1.0f };
  default:
    return (GsColorRange) { -1.0f, 0.0f, 1.0f };
  }
}

GsColorRange
gs_color_range_symmetric (const float *v, gsize n, float floor)
{
  float m = floor;

  for (gsize i = 0; i < n; i++)
    if (isfinite (v[i]) && fabsf (v[i]) > m)
      m = fabsf (v[i]);
  return (GsColorRange) { -m, 0.0f, m };
}

float
gs_colormap_position (float value, GsColorRange r)
{
  float p;

  if (!isfinite (value))
    return 0.5f;
  /* Each half of the scale is linear on its own side of the centre. */
  if (value >= r.centre)
    p = r.hi > r.centre ? 0.5f + 0.5f * (value - r.centre) / (r.hi - r.centre) : 0.5f;
  else
    p = r.centre > r.lo ? 0.5f - 0.5f * (r.centre - value) / (r.centre - r.lo) : 0.5f;
  return p < 0.0f ? 0.0f : p > 1.0f ? 1.0f : p;
}

void
gs_colormap_diverging (GdkRGBA *out, float value, GsColorRange range, bool dark)
{
  const float (*stops)[3] = dark ? stops_dark : stops_light;
  float p = gs_colormap_position (value, range) * 4.0f;
  int i = p >= 4.0f ? 3 : (int) p;
  float f = p - (float) i;

  out->red = stops[i][0] + f * (stops[i + 1][0] - stops[i][0]);
  out->green = stops[i][1] + f * (stops[i + 1][1] - stops[i][1]);
  out->blue = stops[i][2] + f * (stops[i + 1][2] - stops[i][2]);
  out->alpha = 1.0f;
}

void
gs_colormap_mean (GdkRGBA *out, const float *v, gsize stride, int n, GsColorRange range, bool dark)
{
  double sum[3] = { 0.0, 0.0, 0.0 };

  for (int i = 0; i < n; i++)
    {
      GdkRGBA c;

      gs_colormap_diverging (&c, v[(gsize) i * stride], range, dark);
      sum[0] += c.red, sum[1] += c.green, sum[2] += c.blue;
    }
  out->red = (float) (sum[0] / n);
  out->green = (float) (sum[1] / n);
  out->blue = (float) (sum[2] / n);
  out->alpha = 1.0f;
}

int
gs_colormap_bin_of (int k, int bins, int n)
{
  return (int) ((gint64) k * bins / n);
}

void
gs_colormap_bin_span (int i, int bins, int n, int *first, int *end)
{
  /* the least k with ⌊k · bins / n⌋ ≥ i, and the same for i + 1 */
  *first = (int) (((gint64) i * n + bins - 1) / bins);
  *end = (int) (((gint64) (i + 1) * n + bins - 1) / bins);
}

static PangoLayout *
label_layout (cairo_t *cr, const char *text, double font_px)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (font, font_px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* the width `text` takes as draw_label () draws it */
static double
label_width (cairo_t *cr, const char *text, double font_px)
{
  g_autoptr(PangoLayout) layout = label_layout (cr, text, font_px);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

/* text with its baseline's left end at (x - align · width, y) */
static void
draw_label (cairo_t *cr, double x, double y, const char *text, double align, double font_px)
{
  g_autoptr(PangoLayout) layout = label_layout (cr, text, font_px);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  cairo_move_to (cr, x - align * logical.width / PANGO_SCALE,
                 y - (double) pango_layout_get_baseline (layout) / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  gs_text_drawn (layout);
}

void
gs_colormap_draw_legend (cairo_t *cr, double x, double y, double width, double height,
                         GsColorRange range, bool dark, const GdkRGBA *text, double font_px)
{
  cairo_pattern_t *pat = cairo_pattern_create_linear (x, 0, x + width, 0);
  const double gap = font_px / 2.0;
  char buf[32], lo[32], hi[32];
  double lo_w, hi_w;

  for (int i = 0; i <= 16; i++) {
    float p = (float) i / 16.0f;
    float v = p < 0.5f ? range.lo + (range.centre - range.lo) * p * 2.0f
                       : range.centre + (range.hi - range.centre) * (p - 0.5f) * 2.0f;
    GdkRGBA c;
    gs_colormap_diverging (&c, v, range, dark);
    cairo_pattern_add_color_stop_rgb (pat, p, c.red, c.green, c.blue);
  }
  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_set_source (cr, pat);
  cairo_fill (cr);
  cairo_pattern_destroy (pat);

  gdk_cairo_set_source_rgba (cr, text);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x + 0.5, y + 0.5, width - 1.0, height - 1.0);
  cairo_stroke (cr);
  /* Two significant digits, one where the ends would meet (a small cell
   * view's gradients, "-4.4e-05" and "4.4e-05" under a short bar). */
  for (int digits = 2; digits >= 1; digits--)
    {
      snprintf (lo, sizeof lo, "%.*g", digits, (double) range.lo);
      snprintf (hi, sizeof hi, "%.*g", digits, (double) range.hi);
      lo_w = label_width (cr, lo, font_px);
      hi_w = label_width (cr, hi, font_px);
      if (lo_w + hi_w + gap <= width)
        break;
    }
  snprintf (buf, sizeof buf, "%.2g", (double) range.centre);
  if (lo_w + hi_w + gap <= width)
    draw_label (cr, x, y + height + font_px + 2.0, lo, 0.0, font_px);
  /* The centre where it fits between the ends: else the colours say it. */
  if (lo_w + label_width (cr, buf, font_px) + hi_w + 2.0 * gap <= width)
    draw_label (cr, x + width / 2.0, y + height + font_px + 2.0, buf, 0.5, font_px);
  draw_label (cr, x + width, y + height + font_px + 2.0, hi, 1.0, font_px);
  cairo_restore (cr);
}
