/* gs-gradient-view.c — the gradient flowing back in time, per timestep and per unit.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vanishing gradient made visible. Top: the size of the gradient that
 * reaches each timestep, ‖dL/dh_t‖ (and for the LSTM ‖dL/dc_t‖), as bars on
 * a log scale — a bar one decade shorter is ten times smaller. Bars appear
 * right to left as the student steps backward (t ≥ t_bwd). Bottom: the
 * gradient itself at the current timestep, one bar per unit on the shared
 * diverging scale, with its value when the units are few.
 *
 * Letters: T timesteps, H hidden units.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-view-describe.h"
#include "gs-colormap.h"
#include "gs-gradient-view.h"
#include "gs-view-fixed.h"
#include "gs-view-text.h"
#include "gs-view-widget.h"

#define PAD          12.0f   /* px, around everything */
#define HEADER_PX    16      /* section titles */
#define LABEL_PX     14      /* axis labels, values */
#define LABEL_GAP    4.0f    /* px, the least space between two values' labels */
#define LETTER_PX    18      /* the input characters */
#define FRAME_WIDTH  3.0f    /* px, the current timestep's frame */
#define MAX_DECADES  12      /* the log axis spans at most 10^12 */
#define MAX_VALUES   16      /* units labelled with their value at most */

struct _GsGradientView
{
  GsView         parent_instance;
};

G_DEFINE_FINAL_TYPE (GsGradientView, gs_gradient_view, GS_TYPE_VIEW)

enum {
  TIMESTEP_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Where everything goes at one size. */
typedef struct
{
  int    T, H, P;   /* P: units of h (a projection's), H: of c */
  int    n_series;               /* 1 (h) or 2 (h and c, LSTM) */
  float *norms;                  /* (n_series, T) ‖dL/dh_t‖, ‖dL/dc_t‖; 0 before backward reached t */
  int    t_bwd;
  int    lo_dec, hi_dec;         /* the log axis: 10^lo_dec … 10^hi_dec */

  float  header_a_y, legend_y;
  float  plot_x, plot_y, plot_w, plot_h;
  float  col_w;
  float  letters_y, index_y, bottom_a;   /* bottom_a: under the t labels */

  float  header_b_y;
  float  strip_x, strip_w;
  float  strip_y[2], strip_h;
} Geometry;

static void
geometry_clear (Geometry *g)
{
  g_clear_pointer (&g->norms, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Geometry, geometry_clear)

/* Series i's colour: dL/dh purple, dL/dc orange (the c of the unrolled view). */
static const GdkRGBA *
series_color (const GsViewColors *pal,
              int                 i)
{
  return i == 0 ? &pal->gradient : &pal->belt;
}

/* Has the backward pass reached any timestep of this snapshot? */
static gboolean
has_gradient (const GsSnapshot *s)
{
  return (s->phase == GS_PHASE_BACKWARD || s->phase == GS_PHASE_UPDATED) && s->t_bwd < s->T;
}

/* Fills g for layer k of s; FALSE when there is nothing to plot. */
static gboolean
compute_geometry (GsGradientView   *self,
                  const GsSnapshot *s,
                  int               width,
                  int               height,
                  Geometry         *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const int k = gs_view_get_layer (GS_VIEW (self)), T = s->T, H = s->cfg.H;
  g_autoptr(PangoLayout) header = gs_view_text_layout (widget, "Ag", HEADER_PX, TRUE);
  g_autoptr(PangoLayout) letter = gs_view_text_layout (widget, "Ag", LETTER_PX, TRUE);
  g_autoptr(PangoLayout) index = gs_view_text_layout (widget, "0", LABEL_PX, FALSE);
  g_autoptr(PangoLayout) series = gs_view_text_layout (widget, "∂L/∂h", HEADER_PX, TRUE);
  float lo = INFINITY, hi = 0.0f, avail, y;
  int header_h, letter_h, index_h, decade_w = 0, series_w, w, h;

  if (T < 1 || H < 1 || k < 0 || k >= s->cfg.L || !has_gradient (s))
    return FALSE;

  g->T = T;
  g->H = H;
  g->P = s->P > 0 ? s->P : H;
  /* the snapshot's rule: a bidirectional model's lower layers have their
   * gradients only once backward is back at t = 0 */
  g->t_bwd = CLAMP (gs_snapshot_grads_begin (s, k, 0), 0, T);
  g->n_series = s->layer[k].dc != NULL ? 2 : 1;

  /* ‖dL/dh_t‖ (and ‖dL/dc_t‖) where backward has been. */
  g->norms = g_new0 (float, (gsize) 2 * T);
  gs_snapshot_dh_norms (s, k, g->norms);
  if (g->n_series == 2)
    for (int t = g->t_bwd; t < T; t++)
      {
        double sq = 0.0;

        /* ‖dc_t‖ = sqrt(Σ_u dc[t, u]²) */
        for (int u = 0; u < H; u++)
          sq += (double) s->layer[k].dc[(size_t) t * H + u] * s->layer[k].dc[(size_t) t * H + u];
        g->norms[T + t] = (float) sqrt (sq);
      }
  for (int i = 0; i < g->n_series; i++)
    for (int t = g->t_bwd; t < T; t++)
      {
        float v = g->norms[i * T + t];

        if (isfinite (v) && v > 0.0f)
          {
            lo = MIN (lo, v);
            hi = MAX (hi, v);
          }
      }
  /* Whole decades around the norms; at least one, at most MAX_DECADES. */
  if (hi > 0.0f)
    {
      g->hi_dec = (int) ceil (log10 (hi) - 1e-6);
      g->lo_dec = (int) floor (log10 (lo) + 1e-6);
      if (g->lo_dec >= g->hi_dec)
        g->lo_dec = g->hi_dec - 1;
      g->lo_dec = MAX (g->lo_dec, g->hi_dec - MAX_DECADES);
    }
  else
    {
      g->hi_dec = 0;
      g->lo_dec = -1;
    }

  pango_layout_get_pixel_size (header, &w, &header_h);
  pango_layout_get_pixel_size (letter, &w, &letter_h);
  pango_layout_get_pixel_size (index, &w, &index_h);
  pango_layout_get_pixel_size (series, &series_w, &h);
  for (int d = g->lo_dec; d <= g->hi_dec; d++)
    {
      g_autofree char *text = gs_view_format_power_of_ten (d);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);

      pango_layout_get_pixel_size (layout, &w, &h);
      decade_w = MAX (decade_w, w);
    }

  /* Vertically: header, plot, letters and t, gap, header, strips. The plot
   * gets 42 % of what the text leaves. */
  avail = height - 2.0f * PAD - 2.0f * (header_h + 8.0f) - (index_h + 4.0f) - letter_h - index_h - 18.0f;
  g->header_a_y = PAD;
  g->legend_y = PAD + header_h + 2.0f;
  g->plot_y = g->legend_y + index_h + 8.0f + LABEL_PX / 2.0f;
  g->plot_h = floorf (avail * 0.42f - LABEL_PX / 2.0f);
  g->letters_y = g->plot_y + g->plot_h + 4.0f;
  g->index_y = g->letters_y + letter_h - 3.0f;
  g->bottom_a = g->index_y + index_h + 2.0f;
  g->header_b_y = g->bottom_a + 12.0f;
  y = g->header_b_y + header_h + 8.0f;
  g->strip_h = floorf ((height - PAD - y) / g->n_series);
  for (int i = 0; i < g->n_series; i++)
    g->strip_y[i] = y + i * g->strip_h;

  /* Horizontally: decade labels | plot;  series name | strips. */
  g->plot_x = roundf (PAD + MAX (decade_w + 8.0f, series_w + 12.0f));
  g->plot_w = width - PAD - g->plot_x;
  g->col_w = g->plot_w / T;
  g->strip_x = g->plot_x;
  g->strip_w = g->plot_w;
  return g->plot_h >= 16.0f && g->col_w >= 2.0f && g->strip_h >= 24.0f;
}

/* The bar of series i (0 = dh, 1 = dc) at t: height ∝ log10 of the norm. */
static gboolean
norm_rect (const Geometry  *g,
           int              i,
           int              t,
           graphene_rect_t *out)
{
  float v, frac, bar_w, x, h;

  if (t < g->t_bwd || t >= g->T || i >= g->n_series)
    return FALSE;
  v = g->norms[i * g->T + t];
  if (!isfinite (v))
    return FALSE;
  /* frac = (log10 v − lo) / (hi − lo), in 0..1; a zero norm is a 2 px stub. */
  frac = v > 0.0f ? (log10f (v) - g->lo_dec) / (float) (g->hi_dec - g->lo_dec) : 0.0f;
  h = MAX (2.0f, roundf (CLAMP (frac, 0.0f, 1.0f) * g->plot_h));
  bar_w = roundf (g->col_w * (g->n_series == 2 ? 0.3f : 0.5f));
  x = g->plot_x + t * g->col_w + (g->col_w - bar_w * g->n_series - 4.0f * (g->n_series - 1)) / 2.0f
      + i * (bar_w + 4.0f);
  graphene_rect_init (out, roundf (x), g->plot_y + g->plot_h - h, bar_w, h);
  return TRUE;
}

/* Top: the norms per timestep, on a log axis. */
static void
draw_norms (GsGradientView     *self,
            GtkSnapshot        *snapshot,
            const GsSnapshot   *s,
            const Geometry     *g,
            const GsViewColors *pal)
{
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA label = gs_view_with_alpha (&pal->fg, 0.8f), faint = gs_view_with_alpha (&pal->fg, 0.55f);
  GdkRGBA grid = gs_view_with_alpha (&pal->fg, 0.12f), axis = gs_view_with_alpha (&pal->fg, 0.5f);
  int n_dec = g->hi_dec - g->lo_dec, stride = 1, w, h;
  float x = PAD;
  float last_right, label_x;   /* the norms' labels */

  /* The header; under it, which colour is which and how to read the axis. */
  {
    g_autofree char *text = g_strdup_printf (_("Gradient reaching each timestep, layer %d"),
                                             gs_view_get_layer (GS_VIEW (self)) + 1);
    g_autoptr(PangoLayout) header = gs_view_text_layout (widget, text, HEADER_PX, TRUE);
    g_autoptr(PangoLayout) scale = gs_view_text_layout (widget, _("log scale: one line = ×10"), LABEL_PX, FALSE);

    gs_view_text_append (snapshot, header, PAD, g->header_a_y, &pal->fg);
    for (int i = 0; i < g->n_series; i++)
      {
        g_autoptr(PangoLayout) name = gs_view_text_layout (widget, i == 0 ? "‖∂L/∂hₜ‖" : "‖∂L/∂cₜ‖", LABEL_PX, TRUE);

        pango_layout_get_pixel_size (name, &w, &h);
        gtk_snapshot_append_color (snapshot, series_color (pal, i),
                                   &GRAPHENE_RECT_INIT (x, g->legend_y + (h - 12) / 2.0f, 12, 12));
        gs_view_text_append (snapshot, name, x + 16.0f, g->legend_y, &label);
        x += 16.0f + w + 16.0f;
      }
    pango_layout_get_pixel_size (scale, &w, &h);
    if (x + w <= g->plot_x + g->plot_w)
      gs_view_text_append (snapshot, scale, g->plot_x + g->plot_w - w, g->legend_y, &faint);
  }

  /* Decades: a grid line and a label each (fewer when they would crowd). */
  while (n_dec / stride * 18.0f > g->plot_h && stride < n_dec)
    stride++;
  for (int d = g->lo_dec; d <= g->hi_dec; d += stride)
    {
      g_autofree char *text = gs_view_format_power_of_ten (d);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
      float y = roundf (g->plot_y + g->plot_h * (1.0f - (float) (d - g->lo_dec) / n_dec));

      pango_layout_get_pixel_size (layout, &w, &h);
      gs_view_text_append (snapshot, layout, g->plot_x - 8.0f - w, y - h / 2.0f, &faint);
      if (d > g->lo_dec)
        gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (g->plot_x, y, g->plot_w, 1));
    }
  gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (g->plot_x, g->plot_y + g->plot_h,
                                                                   g->plot_w, 2));

  /* The bars, from where backward has reached; the norm above each, when
   * it clears the one before it (they met as "0.0120.015"). */
  last_right = -G_MAXFLOAT;
  for (int t = 0; t < g->T; t++)
    for (int i = 0; i < g->n_series; i++)
      {
        graphene_rect_t r;
        g_autofree char *text = NULL;
        g_autoptr(PangoLayout) value = NULL;

        if (!norm_rect (g, i, t, &r))
          continue;
        gtk_snapshot_append_color (snapshot, series_color (pal, i), &r);

        text = gs_view_format_compact (g->norms[i * g->T + t]);
        value = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
        pango_layout_get_pixel_size (value, &w, &h);
        label_x = r.origin.x + (r.size.width - w) / 2.0f;
        if (w <= g->col_w / g->n_series - 2.0f && label_x >= last_right + LABEL_GAP)
          {
            gs_view_text_append (snapshot, value, label_x, MAX (g->plot_y - LABEL_PX / 2.0f, r.origin.y - h),
                                 &label);
            last_right = label_x + w;
          }
      }

  /* Under each column: the input character and t. */
  for (int t = 0; t < g->T; t++)
    {
      const char *input = gs_view_input_label (s, t);
      g_autofree char *index = g_strdup_printf ("%d", t);
      gboolean current = t == timestep;
      g_autoptr(PangoLayout) letter = gs_view_text_layout (widget, input != NULL ? input : "", LETTER_PX, TRUE);
      g_autoptr(PangoLayout) number = gs_view_text_layout (widget, index, LABEL_PX, current);
      float cx = g->plot_x + (t + 0.5f) * g->col_w;

      pango_layout_get_pixel_size (letter, &w, &h);
      if (w <= g->col_w)
        gs_view_text_append (snapshot, letter, cx - w / 2.0f, g->letters_y, current ? &pal->accent : &pal->fg);
      pango_layout_get_pixel_size (number, &w, &h);
      if (w <= g->col_w)
        gs_view_text_append (snapshot, number, cx - w / 2.0f, g->index_y, current ? &pal->accent : &faint);
    }

  /* The current timestep, framed. */
  if (timestep >= 0 && timestep < g->T)
    gs_view_append_frame (snapshot,
                          &GRAPHENE_RECT_INIT (roundf (g->plot_x + timestep * g->col_w + 1.0f),
                                               roundf (g->plot_y - LABEL_PX / 2.0f - 4.0f),
                                               roundf (g->col_w - 2.0f),
                                               roundf (g->bottom_a + 2.0f
                                                       - g->plot_y + LABEL_PX / 2.0f + 4.0f)),
                          8.0f, FRAME_WIDTH, &pal->accent);
}

/* Bottom: dL/dh_t (and dL/dc_t) per unit at the current timestep. */
/* A unit's gradient in units of `unit`, for its label: "−2.31", or what a
 * diverged run has instead of a number. Free with g_free (). */
static char *
unit_value_text (float value,
                 float unit)
{
  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0.0f ? "∞" : "−∞");
  return gs_view_format_fixed (value / unit, 2);
}

static void
draw_units (GsGradientView     *self,
            GtkSnapshot        *snapshot,
            const GsSnapshot   *s,
            const Geometry     *g,
            const GsViewColors *pal)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const GsSnapLayer *l = &s->layer[gs_view_get_layer (GS_VIEW (self))];
  const int t = gs_view_get_timestep (GS_VIEW (self));
  GdkRGBA label = gs_view_with_alpha (&pal->fg, 0.8f), axis = gs_view_with_alpha (&pal->fg, 0.4f);
  int w, h;

  {
    g_autofree char *text = t >= 0 ? g_strdup_printf (_("Gradient per unit at t = %d"), t)
                                   : g_strdup (_("Gradient per unit"));
    g_autoptr(PangoLayout) header = gs_view_text_layout (widget, text, HEADER_PX, TRUE);

    gs_view_text_append (snapshot, header, PAD, g->header_b_y, &pal->fg);
  }

  if (t < g->t_bwd || t >= g->T)
    {
      g_autofree char *text = t >= 0
        ? g_strdup_printf (_("Backward has not reached t = %d yet: keep pressing →"), t)
        : g_strdup (_("Pick a timestep to see its gradient"));

      gs_view_text_append_message (snapshot, widget, text, LABEL_PX + 3,
                                   &GRAPHENE_RECT_INIT (0, g->strip_y[0], g->plot_x + g->plot_w,
                                                        g->strip_h * g->n_series),
                                   2 * PAD, &label);
      return;
    }

  for (int i = 0; i < g->n_series; i++)
    {
      const float *v = i == 0 ? l->dh : l->dc;
      /* dL/dh has P units (a projection's), dL/dc H. */
      const int H = i == 0 ? g->P : g->H;
      const float unit_w = g->strip_w / H;
      /* One scale for the whole sequence, so that timesteps compare. */
      GsColorRange range = gs_color_range_symmetric (v, (gsize) g->T * H, 1e-12f);
      float zero_y = roundf (g->strip_y[i] + g->strip_h / 2.0f);
      float half = g->strip_h / 2.0f - LABEL_PX - 6.0f;
      gboolean values = H <= MAX_VALUES;
      /* Values are written in units of 10^e, the scale's order of
       * magnitude, so that they stay short: "−2.3" under "×10⁻⁴". */
      int e = (int) floor (log10 (range.hi));
      float unit = e >= -1 && e <= 1 ? 1.0f : powf (10.0f, (float) e);
      g_autoptr(PangoLayout) name = gs_view_text_layout (widget, i == 0 ? "∂L/∂h" : "∂L/∂c", HEADER_PX, TRUE);

      pango_layout_get_pixel_size (name, &w, &h);
      gs_view_text_append (snapshot, name, PAD, zero_y - h / 2.0f - (unit != 1.0f ? h / 2.0f : 0.0f), series_color (pal, i));
      if (unit != 1.0f)
        {
          g_autofree char *power = gs_view_format_power_of_ten (e);
          g_autofree char *text = g_strdup_printf ("×%s", power);
          g_autoptr(PangoLayout) factor = gs_view_text_layout (widget, text, LABEL_PX, FALSE);

          gs_view_text_append (snapshot, factor, PAD, zero_y, &label);
        }
      gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (g->strip_x, zero_y, g->strip_w, 1));

      /* Are the values narrow enough to write under every bar? */
      for (int u = 0; values && u < H; u++)
        {
          g_autofree char *text = unit_value_text (v[(size_t) t * H + u], unit);
          g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);

          pango_layout_get_pixel_size (layout, &w, &h);
          values = w + 4.0f <= unit_w;
        }
      if (!values)
        half = g->strip_h / 2.0f - 4.0f;
      if (half < 4.0f)
        continue;

      for (int u = 0; u < H; u++)
        {
          float value = v[(size_t) t * H + u];
          /* A diverged run's NaN or ∞ gets no bar, only its name. */
          const gboolean finite = isfinite (value);
          float frac = finite && range.hi > 0.0f ? CLAMP (value / range.hi, -1.0f, 1.0f) : 0.0f;
          float bar_h = finite ? MAX (1.0f, roundf (fabsf (frac) * half)) : 0.0f;
          float bar_w = MAX (1.0f, roundf (unit_w * 0.7f));
          float x = roundf (g->strip_x + u * unit_w + (unit_w - bar_w) / 2.0f);
          GdkRGBA color;

          /* Up for positive, down for negative, coloured by value. */
          if (finite)
            {
              gs_colormap_diverging (&color, value, range, pal->dark);
              gtk_snapshot_append_color (snapshot, &color,
                                         &GRAPHENE_RECT_INIT (x, value >= 0.0f ? zero_y - bar_h : zero_y + 1.0f,
                                                              bar_w, bar_h));
            }
          if (values)
            {
              g_autofree char *text = unit_value_text (value, unit);
              g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);

              pango_layout_get_pixel_size (layout, &w, &h);
              gs_view_text_append (snapshot, layout, roundf (g->strip_x + u * unit_w + (unit_w - w) / 2.0f),
                             value >= 0.0f || !finite ? zero_y - bar_h - h : zero_y + 1.0f + bar_h, &label);
            }
        }
    }
}

/* The units whose h or c an intervention holds at the current timestep
 * (gs-view-fixed.h): no gradient passes through them there. Their
 * columns of the per-unit strips are marked, and the legend follows the
 * strips' header. */
static void
draw_fixed_marks (GsGradientView     *self,
                  GtkSnapshot        *snapshot,
                  const GsSnapshot   *s,
                  const Geometry     *g,
                  const GsViewColors *pal)
{
  const int k = gs_view_get_layer (GS_VIEW (self)), t = gs_view_get_timestep (GS_VIEW (self));
  gboolean any = FALSE;
  cairo_t *cr;

  if (!gs_view_has_fixed (s) || t < g->t_bwd || t >= g->T)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (g->strip_x, g->strip_y[0], g->strip_w,
                                                                 g->strip_h * g->n_series));
  for (int i = 0; i < g->n_series; i++)
    {
      const int n = i == 0 ? g->P : g->H;
      const float unit_w = g->strip_w / n;

      for (int u = 0; u < n; u++)
        {
          GsFix fix = gs_view_fixed_at (s, k, t, i == 0 ? 'h' : 'c', u);

          if (fix == GS_FIX_NONE)
            continue;
          gs_view_cairo_fixed_mark (cr, g->strip_x + u * unit_w, g->strip_y[i] + 2.0f, MAX (unit_w, 2.0f),
                                    g->strip_h - 4.0f, fix, pal);
          any = TRUE;
        }
    }
  cairo_destroy (cr);
  if (any)
    {
      float w = gs_view_fixed_legend_width (GTK_WIDGET (self), LABEL_PX, FALSE);

      gs_view_append_fixed_legend (snapshot, GTK_WIDGET (self), g->plot_x + g->plot_w - w, g->header_b_y,
                                   LABEL_PX, FALSE, pal);
    }
}

/* The unit a lesson points at (gs_view_set_pointed_unit): its column of
 * the per-unit strips framed in the accent colour. */
static void
draw_pointed_unit (GsGradientView     *self,
                   GtkSnapshot        *snapshot,
                   const Geometry     *g,
                   const GsViewColors *pal)
{
  const int unit = gs_view_get_pointed_unit (GS_VIEW (self));

  for (int i = 0; unit >= 0 && i < g->n_series; i++)
    {
      const int n = i == 0 ? g->P : g->H;
      const float unit_w = g->strip_w / n;

      if (unit < n)
        gs_view_append_frame (snapshot, &GRAPHENE_RECT_INIT (g->strip_x + unit * unit_w, g->strip_y[i],
                                                             MAX (unit_w, 4.0f), g->strip_h),
                              2.0f, 3.0f, &pal->accent);
    }
}

static void
gs_gradient_view_draw (GtkWidget          *widget,
                       GtkSnapshot        *snapshot,
                       int                 width,
                       int                 height,
                       const GsViewColors *pal)
{
  GsGradientView *self = GS_GRADIENT_VIEW (widget);
  const int layer = gs_view_get_layer (GS_VIEW (self));
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  g_auto(Geometry) g = { 0 };
  const GsSnapshot *s = snap != NULL ? gs_snap_get (snap) : NULL;
  g_autofree char *empty = NULL;

  /* Nothing to plot yet: say why. */
  if (s == NULL)
    empty = g_strdup (_("No sequence loaded"));
  else if (layer >= s->cfg.L)
    empty = g_strdup_printf (_("This network has no layer %d"), layer + 1);
  else if (!has_gradient (s))
    empty = g_strdup (_("Finish the forward pass with →, then keep pressing → to watch the gradient flow back in time."));
  if (empty != NULL)
    {
      GdkRGBA hint = gs_view_with_alpha (&pal->fg, 0.6f);

      gs_view_text_append_message (snapshot, widget, empty, LABEL_PX + 3,
                                   &GRAPHENE_RECT_INIT (0, 0, width, height), 2 * PAD, &hint);
      return;
    }
  if (!compute_geometry (self, s, width, height, &g))
    return;

  draw_norms (self, snapshot, s, &g, pal);
  draw_units (self, snapshot, s, &g, pal);
  draw_fixed_marks (self, snapshot, s, &g, pal);
  draw_pointed_unit (self, snapshot, &g, pal);
}

static void
gs_gradient_view_measure_design (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 560;
    }
  else
    {
      *minimum = 300;
      *natural = 440;
    }
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            GsGradientView  *self)
{
  int t = gs_gradient_view_timestep_at (self, x, y);

  if (t >= 0)
    g_signal_emit (self, signals[TIMESTEP_ACTIVATED], 0, t);
}

static void
gs_gradient_view_class_init (GsGradientViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GsViewClass *view_class = GS_VIEW_CLASS (klass);


  view_class->draw = gs_gradient_view_draw;
  view_class->describe = gs_view_describe_gradient;
  view_class->measure_design = gs_gradient_view_measure_design;

  /**
   * GsGradientView::timestep-activated:
   * @self: the view
   * @timestep: the timestep whose column was clicked
   */
  signals[TIMESTEP_ACTIVATED] = gs_view_signal_timestep_activated (G_TYPE_FROM_CLASS (klass));

  gtk_widget_class_set_css_name (widget_class, "gradientview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_gradient_view_init (GsGradientView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The gradient flowing back through time"),
                                  -1);
}

GtkWidget *
gs_gradient_view_new (void)
{
  return g_object_new (GS_TYPE_GRADIENT_VIEW, NULL);
}

/* The geometry at the current size, when there is a plot. */
static gboolean
current_geometry (GsGradientView *self,
                  Geometry       *g)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  int width, height;

  gs_view_get_design_size (GTK_WIDGET (self), &width, &height);
  if (snap == NULL || width <= 0 || height <= 0)
    return FALSE;
  return compute_geometry (self, gs_snap_get (snap), width, height, g);
}

int
gs_gradient_view_timestep_at (GsGradientView *self,
                              double          x,
                              double          y)
{
  g_auto(Geometry) g = { 0 };
  int t;

  g_return_val_if_fail (GS_IS_GRADIENT_VIEW (self), -1);

  gs_view_to_design (GTK_WIDGET (self), &x, &y);
  if (!current_geometry (self, &g))
    return -1;
  if (x < g.plot_x || y < g.plot_y - LABEL_PX || y > g.header_b_y)
    return -1;
  t = (int) floor ((x - g.plot_x) / g.col_w);
  return t < g.T ? t : -1;
}

gboolean
gs_gradient_view_get_norm_rect (GsGradientView  *self,
                                int              t,
                                const char      *which,
                                graphene_rect_t *out)
{
  g_auto(Geometry) g = { 0 };
  int i;

  g_return_val_if_fail (GS_IS_GRADIENT_VIEW (self), FALSE);
  g_return_val_if_fail (which != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (strcmp (which, "dh") == 0)
    i = 0;
  else if (strcmp (which, "dc") == 0)
    i = 1;
  else
    return FALSE;
  if (!current_geometry (self, &g) || !norm_rect (&g, i, t, out))
    return FALSE;
  gs_view_rect_to_widget (GTK_WIDGET (self), out);
  return TRUE;
}
