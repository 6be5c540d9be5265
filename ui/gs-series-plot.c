/* gs-series-plot.c — a regression task's prediction against the truth over time.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the MSE tasks (series, adding) the network answers with numbers, not
 * a softmax: this view draws one output feature over the timesteps, the
 * truth as a dashed line in the text colour with a dot on every step that
 * has a target (an N→1 task such as adding has one), the prediction as a
 * 3 px line in the accent colour over the steps forward has computed, and
 * the current timestep as a band with the prediction's dot on it. Both
 * lines share one y axis, rounded to ticks 1, 2 or 5 × 10^k apart and fixed
 * for the whole sequence, so that stepping forward only grows the
 * prediction into a still frame.
 *
 * Letters: T timesteps, O outputs; ys and logits are (T, O).
 */

#include <math.h>

#include <glib/gi18n.h>

#include "gs-view-describe.h"
#include "gs-series-plot.h"
#include "gs-view-text.h"
#include "gs-view-widget.h"

#define PAD           12.0f   /* px, around everything */
#define TITLE_PX      17
#define LABEL_PX      14      /* ticks, legend, readout */
#define PRED_WIDTH    3.0     /* px, the prediction */
#define TRUTH_WIDTH   2.0     /* px, the truth */
#define DOT_RADIUS    4.0     /* px, a truth point */
#define CURSOR_RADIUS 6.5     /* px, the prediction at the current timestep */
#define AXIS_WIDTH    2.0f    /* px */
#define TICK_LENGTH   6.0f    /* px */
#define LEGEND_LINE   28.0f   /* px, the sample line in the legend */

struct _GsSeriesPlot
{
  GsView         parent_instance;

  int            feature;
};

G_DEFINE_FINAL_TYPE (GsSeriesPlot, gs_series_plot, GS_TYPE_VIEW)

enum {
  PROP_0,
  PROP_FEATURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where everything goes at one size. */
typedef struct
{
  int    f;                   /* the feature plotted */
  int    n_fwd;               /* computed steps: min (t_fwd, T) */
  double y_min, y_max, y_step;
  int    y_digits;
  float  header_h;            /* title line and readout line */
  float  x0, y0, fw, fh;      /* the frame: t = 0 at x0, y_max at y0 */
} Geometry;

/* The smallest of 1, 2 or 5 × 10^k that is at least raw (raw > 0). */
static double
nice_step (double raw)
{
  double p = pow (10.0, floor (log10 (raw)));
  double m = raw / p;

  if (m <= 1.0)
    return p;
  if (m <= 2.0)
    return 2.0 * p;
  if (m <= 5.0)
    return 5.0 * p;
  return 10.0 * p;
}

/* The snapshot when it is a regression snapshot with something computed,
 * else NULL. */
static const GsSnapshot *
plotted_snapshot (GsSeriesPlot *self)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  const GsSnapshot *s;

  if (snap == NULL)
    return NULL;
  s = gs_snap_get (snap);
  if (s->cfg.loss != GS_LOSS_MSE || s->ys == NULL || s->logits == NULL ||
      s->targets == NULL || s->cfg.O < 1 || s->T < 1 || s->t_fwd < 1)
    return NULL;
  return s;
}

static int
label_width (GtkWidget  *widget,
             const char *text,
             int        *height)
{
  g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (height != NULL)
    *height = h;
  return w;
}

static gboolean
compute_geometry (GsSeriesPlot     *self,
                  const GsSnapshot *s,
                  int               width,
                  int               height,
                  Geometry         *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const int O = s->cfg.O, T = s->T;
  double lo = INFINITY, hi = -INFINITY;
  int label_h, title_h, y_label_w = 0, n_ticks;

  g->f = CLAMP (self->feature, 0, O - 1);
  g->n_fwd = MIN (s->t_fwd, T);

  /* The y range: every target of the sequence and every computed prediction. */
  for (int t = 0; t < T; t++)
    {
      float y = s->ys[(size_t) t * O + g->f], p = s->logits[(size_t) t * O + g->f];

      if (s->targets[t] >= 0 && isfinite (y))
        lo = MIN (lo, y), hi = MAX (hi, y);
      if (t < g->n_fwd && isfinite (p))
        lo = MIN (lo, p), hi = MAX (hi, p);
    }
  if (!(lo <= hi))
    lo = -1.0, hi = 1.0;
  if (hi - lo < 1e-3)
    lo -= 0.5, hi += 0.5;
  /* The frame's height comes first: it says how many ticks fit, ~40 px apart. */
  label_width (widget, "0123456789", &label_h);
  {
    g_autoptr(PangoLayout) title = gs_view_text_layout (widget, "Ag", TITLE_PX, TRUE);
    int w;

    pango_layout_get_pixel_size (title, &w, &title_h);
  }
  g->header_h = title_h + 4.0f + label_h;
  g->y0 = roundf (PAD + g->header_h + 14.0f);
  g->fh = floorf (height - g->y0 - PAD - TICK_LENGTH - 4.0f - 2.0f * label_h - 6.0f);
  g->y_step = nice_step ((hi - lo) / CLAMP (floor (g->fh / 40.0f), 2.0, 6.0));
  g->y_min = floor (lo / g->y_step + 1e-9) * g->y_step;
  g->y_max = ceil (hi / g->y_step - 1e-9) * g->y_step;
  if (g->y_max <= g->y_min)
    g->y_max = g->y_min + g->y_step;
  g->y_digits = MAX (0, (int) -floor (log10 (g->y_step) + 1e-9));

  n_ticks = (int) lround ((g->y_max - g->y_min) / g->y_step);
  for (int i = 0; i <= n_ticks; i++)
    {
      g_autofree char *text = g_strdup_printf ("%.*f", g->y_digits, g->y_min + i * g->y_step);

      y_label_w = MAX (y_label_w, label_width (widget, text, NULL));
    }
  g->x0 = roundf (PAD + y_label_w + TICK_LENGTH + 6.0f);
  g->fw = floorf (width - g->x0 - PAD - 8.0f);
  return g->fw >= 24.0f && g->fh >= 24.0f;
}

/* Timestep t and value v on screen:  x = x0 + fw · t / (T − 1),
 * y = y0 + fh · (1 − (v − y_min) / (y_max − y_min)). */
static void
map_point (const Geometry *g,
           int             T,
           double          t,
           double          v,
           double         *x,
           double         *y)
{
  *x = g->x0 + (T > 1 ? g->fw * t / (T - 1) : g->fw / 2.0);
  *y = g->y0 + g->fh * (1.0 - (v - g->y_min) / (g->y_max - g->y_min));
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          x,
             float          y,
             float          w,
             float          h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

/* The title on the left, the legend on the right, the readout below. */
static void
draw_header (GsSeriesPlot       *self,
             GtkSnapshot        *snapshot,
             const GsSnapshot   *s,
             const Geometry     *g,
             int                 width,
             const GsViewColors *pal)
{
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA faint = gs_view_with_alpha (&pal->fg, 0.75f);
  g_autoptr(PangoLayout) pred = gs_view_text_layout (widget, _("prediction"), LABEL_PX, FALSE);
  g_autoptr(PangoLayout) truth = gs_view_text_layout (widget, _("truth"), LABEL_PX, FALSE);
  g_autofree char *title_text = NULL;
  g_autofree char *readout_text = NULL;
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) readout = NULL;
  int pred_w, truth_w, h, title_h, legend_w;
  float x, y_mid;

  /* The legend: a sample of each line and its name. */
  pango_layout_get_pixel_size (pred, &pred_w, &h);
  pango_layout_get_pixel_size (truth, &truth_w, &h);
  legend_w = (int) (LEGEND_LINE + 6.0f + pred_w + 18.0f + LEGEND_LINE + 6.0f + truth_w);

  if (s->cfg.O > 1)
    /* Translators: the series plot's title; output 1 of 3, say. */
    title_text = g_strdup_printf (_("Prediction and truth · output %d of %d"), g->f + 1, s->cfg.O);
  else
    title_text = g_strdup (_("Prediction and truth"));
  title = gs_view_text_layout (widget, title_text, TITLE_PX, TRUE);
  pango_layout_set_width (title, MAX (1, width - 2 * (int) PAD - legend_w - 16) * PANGO_SCALE);
  pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (title, NULL, &title_h);
  gs_view_text_append (snapshot, title, PAD, PAD, &pal->fg);

  y_mid = PAD + title_h / 2.0f;
  x = width - PAD - legend_w;
  {
    graphene_rect_t bounds = GRAPHENE_RECT_INIT (x - 4, y_mid - 8, legend_w + 8, 16);
    cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &bounds);
    double dash[] = { 6.0, 4.0 };

    cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
    gdk_cairo_set_source_rgba (cr, &pal->accent);
    cairo_set_line_width (cr, PRED_WIDTH);
    cairo_move_to (cr, x, y_mid);
    cairo_line_to (cr, x + LEGEND_LINE, y_mid);
    cairo_stroke (cr);

    gdk_cairo_set_source_rgba (cr, &pal->fg);
    cairo_set_line_width (cr, TRUTH_WIDTH);
    cairo_set_dash (cr, dash, 2, 0.0);
    cairo_move_to (cr, x + LEGEND_LINE + 6.0f + pred_w + 18.0f, y_mid);
    cairo_line_to (cr, x + LEGEND_LINE + 6.0f + pred_w + 18.0f + LEGEND_LINE, y_mid);
    cairo_stroke (cr);
    cairo_set_dash (cr, NULL, 0, 0.0);
    cairo_arc (cr, x + LEGEND_LINE + 6.0f + pred_w + 18.0f + LEGEND_LINE / 2.0f, y_mid,
               DOT_RADIUS, 0.0, 2.0 * G_PI);
    cairo_fill (cr);
    cairo_destroy (cr);
  }
  gs_view_text_append (snapshot, pred, x + LEGEND_LINE + 6.0f, y_mid - h / 2.0f, &pal->fg);
  gs_view_text_append (snapshot, truth, x + LEGEND_LINE + 6.0f + pred_w + 18.0f + LEGEND_LINE + 6.0f,
                       y_mid - h / 2.0f, &pal->fg);

  /* The readout: the numbers at the current timestep. */
  if (timestep >= 0 && timestep < g->n_fwd)
    {
      const int t = timestep;
      double p = s->logits[(size_t) t * s->cfg.O + g->f];

      if (s->targets[t] >= 0)
        {
          double y = s->ys[(size_t) t * s->cfg.O + g->f];

          /* Translators: the series plot at one timestep; squared error = (prediction − truth)². */
          readout_text = g_strdup_printf (_("t = %d: prediction %.3f, truth %.3f, squared error %.4f"),
                                          t, p, y, (p - y) * (p - y));
        }
      else
        readout_text = g_strdup_printf (_("t = %d: prediction %.3f, no target at this step"), t, p);
    }
  else
    readout_text = g_strdup_printf (_("%d of %d steps computed"), g->n_fwd, s->T);
  readout = gs_view_text_layout (widget, readout_text, LABEL_PX, FALSE);
  pango_layout_set_width (readout, MAX (1, width - 2 * (int) PAD) * PANGO_SCALE);
  pango_layout_set_ellipsize (readout, PANGO_ELLIPSIZE_END);
  gs_view_text_append (snapshot, readout, PAD, PAD + title_h + 4.0f, &faint);
}

/* Ticks, labels and grid of both axes. */
static void
draw_axes (GsSeriesPlot       *self,
           GtkSnapshot        *snapshot,
           const GsSnapshot   *s,
           const Geometry     *g,
           int                 height,
           const GsViewColors *pal)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA label_color = gs_view_with_alpha (&pal->fg, 0.8f);
  GdkRGBA axis_color = gs_view_with_alpha (&pal->fg, 0.6f);
  GdkRGBA grid_color = gs_view_with_alpha (&pal->fg, 0.12f);
  int n_ticks = (int) lround ((g->y_max - g->y_min) / g->y_step);
  int T = s->T, t_step, w, h;

  for (int i = 0; i <= n_ticks; i++)
    {
      double v = g->y_min + i * g->y_step;
      g_autofree char *text = g_strdup_printf ("%.*f", g->y_digits, fabs (v) < 1e-9 ? 0.0 : v);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
      float y = roundf (g->y0 + g->fh * (1.0f - (float) i / n_ticks));

      pango_layout_get_pixel_size (layout, &w, &h);
      /* The zero line stronger than the grid. */
      append_rect (snapshot, fabs (v) < 1e-9 ? &axis_color : &grid_color, g->x0, y, g->fw, 1.0f);
      append_rect (snapshot, &axis_color, g->x0 - TICK_LENGTH, y, TICK_LENGTH, AXIS_WIDTH);
      gs_view_text_append (snapshot, layout, g->x0 - TICK_LENGTH - 4.0f - w, y - h / 2.0f, &label_color);
    }

  /* Timesteps 0 … T − 1, ticks 1, 2 or 5 × 10^k apart, ≥ ~48 px. */
  t_step = (int) MAX (1.0, nice_step (MAX (1.0, (double) (T - 1)) / MAX (1.0, floor (g->fw / 48.0f))));
  for (int t = 0; t < T; t += t_step)
    {
      g_autofree char *text = g_strdup_printf ("%d", t);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
      double x, y;

      map_point (g, T, t, g->y_min, &x, &y);
      x = round (x);
      pango_layout_get_pixel_size (layout, &w, &h);
      append_rect (snapshot, &axis_color, x - AXIS_WIDTH / 2.0f, g->y0 + g->fh, AXIS_WIDTH, TICK_LENGTH);
      gs_view_text_append (snapshot, layout, x - w / 2.0f, g->y0 + g->fh + TICK_LENGTH + 2.0f, &label_color);
    }
  {
    g_autoptr(PangoLayout) title = gs_view_text_layout (widget, _("timestep t"), LABEL_PX, FALSE);

    pango_layout_get_pixel_size (title, &w, &h);
    gs_view_text_append (snapshot, title, g->x0 + (g->fw - w) / 2.0f, height - PAD - h, &label_color);
  }

  append_rect (snapshot, &axis_color, g->x0 - AXIS_WIDTH, g->y0, AXIS_WIDTH, g->fh + AXIS_WIDTH);
  append_rect (snapshot, &axis_color, g->x0 - AXIS_WIDTH, g->y0 + g->fh, g->fw + AXIS_WIDTH, AXIS_WIDTH);
}

static void
gs_series_plot_draw (GtkWidget          *widget,
                     GtkSnapshot        *snapshot,
                     int                 width,
                     int                 height,
                     const GsViewColors *pal)
{
  GsSeriesPlot *self = GS_SERIES_PLOT (widget);
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  const GsSnapshot *s = plotted_snapshot (self);
  Geometry g;

  if (s == NULL)
    {
      GdkRGBA faint = gs_view_with_alpha (&pal->fg, 0.6f);
      const char *text;

      if (snap == NULL)
        text = _("No sequence loaded");
      else if (gs_snap_get (snap)->cfg.loss != GS_LOSS_MSE || gs_snap_get (snap)->ys == NULL)
        text = _("Not a regression task: its outputs are classes, shown as probabilities");
      else
        text = _("Step forward (→) to plot the prediction against the truth");
      /* Wrapped and centred in the widget. (Not gs_view_text_append_message:
       * it centres the text's own width inside a layout already as wide as
       * the area, which pushes centred text to the right.) */
      {
        g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX + 3, FALSE);
        int w, h;

        pango_layout_set_width (layout, MAX (width - 4 * (int) PAD, 1) * PANGO_SCALE);
        pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
        pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
        pango_layout_get_pixel_size (layout, &w, &h);
        gs_view_text_append (snapshot, layout, 2 * PAD, (height - h) / 2.0f, &faint);
      }
      return;
    }

  if (!compute_geometry (self, s, width, height, &g))
    return;

  draw_header (self, snapshot, s, &g, width, pal);
  draw_axes (self, snapshot, s, &g, height, pal);

  /* The current timestep: a faint band across the frame. */
  if (timestep >= 0 && timestep < s->T)
    {
      GdkRGBA band = gs_view_with_alpha (&pal->accent, 0.16f);
      double x, y;

      map_point (&g, s->T, timestep, g.y_min, &x, &y);
      append_rect (snapshot, &band, roundf (x) - 5.0f, g.y0, 10.0f, g.fh);
    }

  {
    const int O = s->cfg.O, T = s->T;
    graphene_rect_t bounds = GRAPHENE_RECT_INIT (g.x0 - PAD, g.y0 - PAD, g.fw + 2 * PAD, g.fh + 2 * PAD);
    cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &bounds);
    double dash[] = { 6.0, 4.0 };
    gboolean pen_down = FALSE;
    int n_targets = 0;
    double x, y;

    cairo_rectangle (cr, g.x0 - PAD, g.y0 - PAD, g.fw + 2 * PAD, g.fh + 2 * PAD);
    cairo_clip (cr);
    cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

    /* The truth over the computed steps, where there is a target: dashed,
     * a dot on every point. Drawn opaque into a group and laid down at the
     * text colour's alpha, so that where dot and line overlap the colour
     * stays the same. */
    cairo_push_group (cr);
    cairo_set_source_rgb (cr, pal->fg.red, pal->fg.green, pal->fg.blue);
    cairo_set_line_width (cr, TRUTH_WIDTH);
    cairo_set_dash (cr, dash, 2, 0.0);
    for (int t = 0; t < g.n_fwd; t++)
      {
        float v = s->ys[(size_t) t * O + g.f];

        if (s->targets[t] < 0 || !isfinite (v))
          continue;
        map_point (&g, T, t, v, &x, &y);
        if (pen_down)
          cairo_line_to (cr, x, y);
        else
          cairo_move_to (cr, x, y);
        pen_down = TRUE;
      }
    cairo_stroke (cr);
    cairo_set_dash (cr, NULL, 0, 0.0);
    /* A lone target (an N→1 task) gets a bigger dot, so that it is seen. */
    for (int t = 0; t < T; t++)
      n_targets += s->targets[t] >= 0;
    for (int t = 0; t < g.n_fwd; t++)
      {
        float v = s->ys[(size_t) t * O + g.f];

        if (s->targets[t] < 0 || !isfinite (v))
          continue;
        map_point (&g, T, t, v, &x, &y);
        cairo_new_sub_path (cr);
        cairo_arc (cr, x, y, n_targets <= 3 ? 1.5 * DOT_RADIUS : DOT_RADIUS, 0.0, 2.0 * G_PI);
      }
    cairo_fill (cr);
    cairo_pop_group_to_source (cr);
    cairo_paint_with_alpha (cr, pal->fg.alpha);

    /* The prediction over the computed steps, on top. */
    gdk_cairo_set_source_rgba (cr, &pal->accent);
    cairo_set_line_width (cr, PRED_WIDTH);
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
    pen_down = FALSE;
    for (int t = 0; t < g.n_fwd; t++)
      {
        float v = s->logits[(size_t) t * O + g.f];

        if (!isfinite (v))
          {
            pen_down = FALSE;
            continue;
          }
        map_point (&g, T, t, v, &x, &y);
        if (pen_down)
          cairo_line_to (cr, x, y);
        else
          cairo_move_to (cr, x, y);
        pen_down = TRUE;
      }
    cairo_stroke (cr);
    /* One computed step is a point, not a line. */
    if (g.n_fwd == 1 && isfinite (s->logits[g.f]))
      {
        map_point (&g, T, 0, s->logits[g.f], &x, &y);
        cairo_arc (cr, x, y, PRED_WIDTH, 0.0, 2.0 * G_PI);
        cairo_fill (cr);
      }

    /* The prediction at the current timestep: a ringed dot. */
    if (timestep >= 0 && timestep < g.n_fwd)
      {
        float v = s->logits[(size_t) timestep * O + g.f];

        if (isfinite (v))
          {
            map_point (&g, T, timestep, v, &x, &y);
            cairo_arc (cr, x, y, CURSOR_RADIUS, 0.0, 2.0 * G_PI);
            gdk_cairo_set_source_rgba (cr, &pal->accent);
            cairo_fill_preserve (cr);
            cairo_set_line_width (cr, 2.0);
            gdk_cairo_set_source_rgba (cr, &pal->fg);
            cairo_stroke (cr);
          }
      }
    cairo_destroy (cr);
  }
}

static void
gs_series_plot_measure_design (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 420;
    }
  else
    {
      *minimum = 200;
      *natural = 300;
    }
}

static void
gs_series_plot_changed (GsView       *view,
                        GsViewChange  what,
                        GsSnap       *old_snap)
{
  /* The plot shows the network's output: the layer does not change it. */
  if (what != GS_VIEW_CHANGE_LAYER)
    GS_VIEW_CLASS (gs_series_plot_parent_class)->changed (view, what, old_snap);
}

static void
gs_series_plot_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GsSeriesPlot *self = GS_SERIES_PLOT (object);

  switch (prop_id)
    {
    case PROP_FEATURE:
      g_value_set_int (value, self->feature);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_series_plot_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GsSeriesPlot *self = GS_SERIES_PLOT (object);

  switch (prop_id)
    {
    case PROP_FEATURE:
      gs_series_plot_set_feature (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_series_plot_class_init (GsSeriesPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GsViewClass *view_class = GS_VIEW_CLASS (klass);

  object_class->get_property = gs_series_plot_get_property;
  object_class->set_property = gs_series_plot_set_property;


  view_class->draw = gs_series_plot_draw;
  view_class->describe = gs_view_describe_series;
  view_class->measure_design = gs_series_plot_measure_design;
  view_class->changed = gs_series_plot_changed;

  properties[PROP_FEATURE] =
    g_param_spec_int ("feature", NULL, NULL,
                      0, G_MAXINT, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "seriesplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_series_plot_init (GsSeriesPlot *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The predicted values against the true values over time"),
                                  -1);
}

GtkWidget *
gs_series_plot_new (void)
{
  return g_object_new (GS_TYPE_SERIES_PLOT, NULL);
}

int
gs_series_plot_get_feature (GsSeriesPlot *self)
{
  g_return_val_if_fail (GS_IS_SERIES_PLOT (self), 0);

  return self->feature;
}

void
gs_series_plot_set_feature (GsSeriesPlot *self,
                            int           feature)
{
  g_return_if_fail (GS_IS_SERIES_PLOT (self));
  g_return_if_fail (feature >= 0);

  if (gs_view_update_int (&self->feature, feature, G_OBJECT (self), properties[PROP_FEATURE]))
    gs_view_queue_redraw (GS_VIEW (self));
}

/**
 * gs_series_plot_map_point:
 * @self: a #GsSeriesPlot
 * @t: a timestep
 * @value: a value of the plotted feature
 * @x: (out): where t is drawn, in widget coordinates
 * @y: (out): where the value is drawn
 *
 * Returns: FALSE when nothing is plotted at the current size.
 */
gboolean
gs_series_plot_map_point (GsSeriesPlot *self,
                          int           t,
                          float         value,
                          float        *x,
                          float        *y)
{
  double scale = gs_view_get_scale (GTK_WIDGET (self));
  int width, height;
  const GsSnapshot *s;
  Geometry g;
  double px, py;

  g_return_val_if_fail (GS_IS_SERIES_PLOT (self), FALSE);
  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  gs_view_get_design_size (GTK_WIDGET (self), &width, &height);
  s = plotted_snapshot (self);
  if (s == NULL || width <= 0 || height <= 0 || !compute_geometry (self, s, width, height, &g))
    return FALSE;
  map_point (&g, s->T, t, value, &px, &py);
  *x = (float) (px * scale);
  *y = (float) (py * scale);
  return TRUE;
}
