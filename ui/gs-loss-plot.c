/* gs-loss-plot.c — the training loss, one point per epoch.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn for a projector at the back of a lecture hall: a 3 px line in the
 * accent colour, 14 px labels, axes in the text colour. Losses are
 * normalised to 0..1 against a rounded maximum before anything is placed,
 * and the whole drawing is kept as one render node until the data, the
 * size or the colours change.
 *
 * The epoch axis is linear, or logarithmic ("log-epochs"): epoch E sits at
 * log E / log N of the axis, so after 100,000 epochs the first 40 still
 * take a third of it. Hovering over the curve reads the epoch (or the
 * bucket of older epochs) under the pointer in a tooltip.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-loss-plot-private.h"
#include "gs-view-text.h"
#include "gs-view-widget.h"

#define LINE_WIDTH    3.0    /* px, the loss curve */
#define MARKER_RADIUS 5.0    /* px, a dot on each epoch when there is room */
#define AXIS_WIDTH    2.0    /* px */
#define TICK_LENGTH   6.0    /* px */
#define LABEL_SIZE    14     /* px, tick labels and axis titles */
#define PAD           12.0   /* px, around the frame */

struct _GsLossPlot
{
  GtkWidget      parent_instance;

  /* owned */
  GsHistory     *history;       /* the losses: recent epochs one by one, older ones in buckets */
  GsViewCache    cache;
  GsValPoint    *val;           /* (n_val) the validation curve: held-out loss after val[i].update updates */
  int            n_val;

  guint          epochs;        /* length of the x axis; 0 = fit the points */
  guint          describe_source;   /* a pending accessible description */
  gboolean       log_epochs;    /* the epoch axis is logarithmic */
  int            legend_inset;  /* widget px the legend leaves free at the top right */

  /* The frame as last drawn, for hovering (n = 0: none). */
  float          frame_x0, frame_fw;
  guint          frame_n;
  /* Points and ticks the last drawing visited (gs-loss-plot-private.h). */
  guint64        draw_work;
};

G_DEFINE_FINAL_TYPE (GsLossPlot, gs_loss_plot, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EPOCHS,
  PROP_N_POINTS,
  PROP_LOG_EPOCHS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the plot shows, in words, for assistive technologies. */
static gboolean
update_description (gpointer user_data)
{
  GsLossPlot *self = user_data;
  int n_points = self->history != NULL ? gs_history_n_points (self->history) : 0;
  long long n = self->history != NULL ? gs_history_count (self->history) : 0;
  long long best_epoch = 0;
  float best = INFINITY, last = NAN;
  g_autofree char *text = NULL;

  self->describe_source = 0;
  /* Buckets hold their lowest loss; its epoch is the bucket's first. */
  for (int i = 0; i < n_points; i++)
    {
      const GsHistPoint *p = gs_history_point (self->history, i);
      if (p->loss_min < best)
        {
          best = p->loss_min;
          best_epoch = p->first;
        }
      last = p->loss_mean;
    }
  if (n_points == 0)
    text = g_strdup (_("No training step yet"));
  else
    /* Translators: the loss plot: epochs so far, the last loss, the lowest and its epoch (from 1). */
    text = g_strdup_printf (ngettext ("%u epoch; last loss %.4g, lowest %.4g at epoch %u",
                                      "%u epochs; last loss %.4g, lowest %.4g at epoch %u", (gulong) n),
                            (guint) n, (double) last, (double) best, (guint) best_epoch + 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  return G_SOURCE_REMOVE;
}

static void
gs_loss_plot_invalidate (GsLossPlot *self)
{
  gs_view_cache_invalidate (&self->cache, GTK_WIDGET (self));
  /* Training appends many points a second: one description per
   * GS_VIEW_DESCRIBE_MS. */
  if (self->describe_source == 0)
    {
      self->describe_source = g_timeout_add (GS_VIEW_DESCRIBE_MS, update_description, self);
      g_source_set_name_by_id (self->describe_source, "[gatescope] loss plot description");
    }
}

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

/* A label and its size. */
static PangoLayout *
make_label (GsLossPlot *self,
            const char *text,
            int        *width,
            int        *height)
{
  PangoLayout *layout = gs_view_text_layout (GTK_WIDGET (self), text, LABEL_SIZE, FALSE);

  pango_layout_get_pixel_size (layout, width, height);
  return layout;
}

/* Where the 0-based epoch e sits along an axis of n epochs, 0..1. */
static double
epoch_u (gboolean log_axis,
         double   e,
         guint    n)
{
  if (n <= 1)
    return 0.0;
  if (log_axis)
    return log1p (MAX (e, 0.0)) / log ((double) n);
  return e / (n - 1);
}

/* The inverse: the 0-based epoch at u. */
static double
u_epoch (gboolean log_axis,
         double   u,
         guint    n)
{
  if (n <= 1)
    return 0.0;
  if (log_axis)
    return expm1 (u * log ((double) n));
  return u * (n - 1);
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

static void
gs_loss_plot_draw (GtkWidget          *widget,
                   GtkSnapshot        *snapshot,
                   int                 width,
                   int                 height,
                   const GsViewColors *colors)
{
  GsLossPlot *self = GS_LOSS_PLOT (widget);
  const GdkRGBA *fg = &colors->fg, *accent = &colors->accent;
  const GsHistory *hist = self->history;
  const int n_points = gs_history_n_points (hist);
  const long long n_epochs = gs_history_count (hist);
  GdkRGBA label_color = *fg, axis_color = *fg, grid_color = *fg;
  g_autoptr(PangoLayout) y_title = NULL;
  g_autoptr(PangoLayout) x_title = NULL;
  g_autoptr(GPtrArray) y_labels = g_ptr_array_new_with_free_func (g_object_unref);
  double max_loss = 0.0, y_step, y_max;
  guint n, x_step, max_x_ticks, n_y_ticks;
  int y_digits, y_label_w = 0, label_h = 0, w, h;
  int y_title_w, y_title_h, x_title_w, x_title_h;
  float x0, y0, fw, fh;

  label_color.alpha *= 0.8f;
  axis_color.alpha *= 0.6f;
  grid_color.alpha *= 0.12f;

  self->frame_n = 0;
  self->draw_work = 0;
  if (n_points == 0)
    {
      g_autoptr(PangoLayout) hint = NULL;
      GdkRGBA hint_color = *fg;

      hint_color.alpha *= 0.55f;
      hint = make_label (self, _("Press Train to watch the loss fall"), &w, &h);
      gs_view_text_append (snapshot, hint, (width - w) / 2.0f, (height - h) / 2.0f, &hint_color);
      return;
    }

  /* The y axis runs from 0 to a round number above the largest loss. */
  self->draw_work += n_points;
  for (int i = 0; i < n_points; i++)
    {
      const GsHistPoint *p = gs_history_point (hist, i);
      if (isfinite (p->loss_max) && p->loss_max > max_loss)
        max_loss = p->loss_max;
      else if (isfinite (p->loss_mean) && p->loss_mean > max_loss)
        max_loss = p->loss_mean;
    }
  for (int i = 0; i < self->n_val; i++)
    if (isfinite (self->val[i].loss) && self->val[i].loss > max_loss)
      max_loss = self->val[i].loss;
  if (max_loss <= 0.0)
    max_loss = 1.0;
  y_step = nice_step (max_loss / 4.0);
  y_max = ceil (max_loss / y_step - 1e-9) * y_step;
  y_digits = MAX (0, (int) -floor (log10 (y_step) + 1e-9));

  n_y_ticks = (guint) lround (y_max / y_step);
  for (guint i = 0; i <= n_y_ticks; i++)
    {
      g_autofree char *text = g_strdup_printf ("%.*f", y_digits, i * y_step);
      PangoLayout *layout = make_label (self, text, &w, &h);

      y_label_w = MAX (y_label_w, w);
      label_h = MAX (label_h, h);
      g_ptr_array_add (y_labels, layout);
    }

  y_title = make_label (self, _("Loss"), &y_title_w, &y_title_h);
  x_title = make_label (self, _("Epoch"), &x_title_w, &x_title_h);

  /* The frame: room for the labels on the left and below, the y title above. */
  x0 = PAD + y_label_w + TICK_LENGTH + 4.0f;
  y0 = PAD + y_title_h + 8.0f;
  fw = width - x0 - 2.0f * PAD;
  fh = height - y0 - PAD - TICK_LENGTH - 4.0f - label_h - 4.0f - x_title_h;
  if (fw < 16.0f || fh < 16.0f)
    return;

  /* Horizontal grid lines and y labels, at the y ticks. */
  for (guint i = 0; i < y_labels->len; i++)
    {
      float y = roundf (y0 + fh * (1.0f - (float) i / n_y_ticks));
      PangoLayout *layout = g_ptr_array_index (y_labels, i);

      pango_layout_get_pixel_size (layout, &w, &h);
      if (i > 0)
        append_rect (snapshot, &grid_color, x0, y, fw, 1.0f);
      append_rect (snapshot, &axis_color, x0 - TICK_LENGTH, y, TICK_LENGTH, AXIS_WIDTH);
      gs_view_text_append (snapshot, layout, x0 - TICK_LENGTH - 4.0f - w, y - h / 2.0f, &label_color);
    }
  gs_view_text_append (snapshot, y_title, PAD, PAD, &label_color);

  /* The x axis spans the planned epochs (or the points so far). Ticks are
   * whole epochs, 1, 2 or 5 × 10^k apart, never closer than ~56 px. */
  n = (guint) MAX (MAX ((long long) self->epochs, n_epochs), 1);
  if (self->n_val > 0)
    n = (guint) MAX ((long long) n, self->val[self->n_val - 1].update);
  self->frame_x0 = x0;
  self->frame_fw = fw;
  self->frame_n = n;
  max_x_ticks = MAX (2, (guint) (fw / 56.0f));
  x_step = (guint) MAX (1.0, nice_step ((double) n / max_x_ticks));
  /* A log axis: ticks at 1, 2, 5 × 10^k, each at least a label's width
   * and a gap from the one before. */
  float last_right = -G_MAXFLOAT;
  /* Only the ticks are visited (epoch 1, then the multiples of x_step), so
   * the axis costs the same at epoch 40 as at epoch 10,000,000. */
  for (double next = 1.0; next <= n;
       next = self->log_epochs ? nice_step (next * 1.5) : (next < x_step ? x_step : next + x_step))
    {
      guint e = (guint) next;
      float x;
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;

      self->draw_work++;
      if (!self->log_epochs && e != 1 && (e - 1) * 2 <= x_step)
        continue;
      x = roundf (x0 + fw * (float) epoch_u (self->log_epochs, e - 1, n));
      text = g_strdup_printf ("%u", e);
      layout = make_label (self, text, &w, &h);
      if (self->log_epochs && x - w / 2.0f < last_right + 12.0f)
        continue;
      last_right = x + w / 2.0f;
      append_rect (snapshot, &axis_color, x - AXIS_WIDTH / 2.0f, y0 + fh, AXIS_WIDTH, TICK_LENGTH);
      gs_view_text_append (snapshot, layout, x - w / 2.0f, y0 + fh + TICK_LENGTH + 4.0f, &label_color);
    }
  gs_view_text_append (snapshot, x_title, x0 + (fw - x_title_w) / 2.0f,
                height - PAD - x_title_h, &label_color);

  /* The axes. */
  append_rect (snapshot, &axis_color, x0 - AXIS_WIDTH, y0, AXIS_WIDTH, fh + AXIS_WIDTH);
  append_rect (snapshot, &axis_color, x0 - AXIS_WIDTH, y0 + fh, fw + AXIS_WIDTH, AXIS_WIDTH);

  /* The curve. A point's position is its epoch and loss, normalised to
   * 0..1 along each axis:  u = (e − 1) / (n − 1),  v = loss / y_max. */
  {
    graphene_rect_t bounds = GRAPHENE_RECT_INIT (x0 - PAD, y0 - PAD, fw + 2 * PAD, fh + 2 * PAD);
    cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &bounds);
    gboolean markers = self->log_epochs || fw / n >= 4.0f * MARKER_RADIUS;
    gboolean pen_down = FALSE;

    gdk_cairo_set_source_rgba (cr, accent);
    cairo_set_line_width (cr, LINE_WIDTH);
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

    /* A long run has many points per pixel column: within a column only
     * the highest and the lowest point can show, so only those are drawn,
     * in the order they came (the curve looks the same, and drawing stays
     * cheap however long training goes on). */
    int column = G_MININT;
    double y_lo = 0.0, y_hi = 0.0;
    int i_lo = 0, i_hi = 0;

    self->draw_work += n_points + 1;

    /* A bucket of older epochs brings its lowest and highest loss, at the
     * epoch in its middle; a recent epoch its own. */
    for (int i = 0; i <= n_points; i++)
      {
        const GsHistPoint *p = i < n_points ? gs_history_point (hist, i) : NULL;
        double e = p ? (double) p->first + (p->n - 1) / 2.0 : (double) (n_epochs - 1);
        double u = epoch_u (self->log_epochs, MIN (e, (double) (n_epochs - 1)), n);
        gboolean finite = p && isfinite (p->loss_mean) && isfinite (p->loss_min) && isfinite (p->loss_max);
        double v_min = finite ? CLAMP (p->loss_min / y_max, 0.0, 1.0) : NAN;
        double v_max = finite ? CLAMP (p->loss_max / y_max, 0.0, 1.0) : NAN;
        double x = x0 + fw * u;
        double y_a = y0 + fh * (1.0 - v_max), y_b = y0 + fh * (1.0 - v_min);   /* y_a ≤ y_b */
        int c = (int) floor (x);

        /* Close the column before: its extremes, left to right. */
        if (column != G_MININT && (c != column || !finite))
          {
            double xc = column + 0.5;
            double ya = i_lo <= i_hi ? y_lo : y_hi, yb = i_lo <= i_hi ? y_hi : y_lo;

            if (pen_down)
              cairo_line_to (cr, xc, ya);
            else
              cairo_move_to (cr, xc, ya);
            if (yb != ya)
              cairo_line_to (cr, xc, yb);
            pen_down = TRUE;
            column = G_MININT;
          }
        if (!finite)
          {
            pen_down = FALSE;
            continue;
          }
        if (column == G_MININT)
          {
            column = c;
            y_lo = y_a;
            y_hi = y_b;
            i_lo = i_hi = i;
          }
        else
          {
            if (y_a < y_lo)
              {
                y_lo = y_a;
                i_lo = i;
              }
            if (y_b > y_hi)
              {
                y_hi = y_b;
                i_hi = i;
              }
          }
      }
    cairo_stroke (cr);

    for (int i = 0; markers && i < n_points; i++)
      {
        const GsHistPoint *p = gs_history_point (hist, i);
        double u;

        self->draw_work++;
        if (!isfinite (p->loss_mean) || p->n != 1)
          continue;
        u = epoch_u (self->log_epochs, (double) p->first, n);
        /* On a log axis, a dot only where the epochs are far enough apart:
         * the gaps only narrow to the right, so the first too narrow ends
         * the dots. */
        if (self->log_epochs && fw * (epoch_u (TRUE, (double) p->first + 1, n) - u) < 4.0 * MARKER_RADIUS)
          break;
        cairo_arc (cr, x0 + fw * u, y0 + fh * (1.0 - CLAMP (p->loss_mean / y_max, 0.0, 1.0)),
                   MARKER_RADIUS, 0.0, 2.0 * G_PI);
        cairo_fill (cr);
      }

    /* The validation curve, dashed, at the update after which each point
     * was judged (update k is at the x of epoch k, the run's k-th point). */
    if (self->n_val > 0)
      {
        static const double dash[] = { 6.0, 4.0 };
        GdkRGBA val_color = colors->belt;
        gboolean down = FALSE;

        gdk_cairo_set_source_rgba (cr, &val_color);
        cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);
        for (int i = 0; i < self->n_val; i++)
          {
            const GsValPoint *p = &self->val[i];
            double u = epoch_u (self->log_epochs, (double) (p->update - 1), n);
            double x = x0 + fw * CLAMP (u, 0.0, 1.0);
            double y = y0 + fh * (1.0 - CLAMP (p->loss / y_max, 0.0, 1.0));

            if (!isfinite (p->loss))
              {
                down = FALSE;
                continue;
              }
            if (down)
              cairo_line_to (cr, x, y);
            else
              cairo_move_to (cr, x, y);
            down = TRUE;
          }
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0.0);
        for (int i = 0; i < self->n_val; i++)
          {
            const GsValPoint *p = &self->val[i];
            double u = epoch_u (self->log_epochs, (double) (p->update - 1), n);

            if (!isfinite (p->loss))
              continue;
            cairo_arc (cr, x0 + fw * CLAMP (u, 0.0, 1.0), y0 + fh * (1.0 - CLAMP (p->loss / y_max, 0.0, 1.0)),
                       MARKER_RADIUS, 0.0, 2.0 * G_PI);
            cairo_fill (cr);
          }
      }

    cairo_destroy (cr);
  }

  /* The legend, top right, once there is a validation curve to tell apart. */
  if (self->n_val > 0)
    {
      g_autoptr(PangoLayout) train_label = make_label (self, _("training"), &w, &h);
      g_autoptr(PangoLayout) val_label = NULL;
      int vw, vh;
      float x, y = PAD;

      val_label = make_label (self, _("validation (held out)"), &vw, &vh);
      /* Left of what lies over the plot's top right (the Log Epochs
       * button), in design pixels. */
      x = width - PAD - vw - (float) (self->legend_inset / gs_view_get_scale (GTK_WIDGET (self)));
      append_rect (snapshot, &colors->belt, x - 22.0f, y + vh / 2.0f, 16.0f, LINE_WIDTH);
      gs_view_text_append (snapshot, val_label, x, y, &label_color);
      x -= 22.0f + 12.0f + w;
      append_rect (snapshot, accent, x - 22.0f, y + h / 2.0f, 16.0f, LINE_WIDTH);
      gs_view_text_append (snapshot, train_label, x, y, &label_color);
  }
}

void
gs_loss_plot_queue_redraw (GsLossPlot *self)
{
  g_return_if_fail (GS_IS_LOSS_PLOT (self));

  gs_view_cache_invalidate (&self->cache, GTK_WIDGET (self));
}

void
gs_loss_plot_set_legend_inset (GsLossPlot *self,
                               int         inset)
{
  g_return_if_fail (GS_IS_LOSS_PLOT (self));

  inset = MAX (inset, 0);
  if (self->legend_inset == inset)
    return;
  self->legend_inset = inset;
  gs_view_cache_invalidate (&self->cache, GTK_WIDGET (self));
}

static void
gs_loss_plot_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  gs_view_cache_snapshot (&GS_LOSS_PLOT (widget)->cache, snapshot, widget, gs_loss_plot_draw);
}

static void
gs_loss_plot_measure_design (GtkWidget      *widget,
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
      *natural = 480;
    }
  else
    {
      *minimum = 180;
      *natural = 280;
    }
}

/* In widget pixels: the design size, zoomed. */
static void
gs_loss_plot_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  gs_loss_plot_measure_design (widget, orientation, gs_view_design_for_size (for_size),
                               minimum, natural, minimum_baseline, natural_baseline);
  gs_view_zoom_measure (minimum, natural);
}

static void
gs_loss_plot_finalize (GObject *object)
{
  GsLossPlot *self = (GsLossPlot *) object;

  g_clear_handle_id (&self->describe_source, g_source_remove);
  g_clear_pointer (&self->history, gs_history_free);
  g_clear_pointer (&self->val, g_free);
  gs_view_cache_clear (&self->cache);

  G_OBJECT_CLASS (gs_loss_plot_parent_class)->finalize (object);
}

static void
gs_loss_plot_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GsLossPlot *self = GS_LOSS_PLOT (object);

  switch (prop_id)
    {
    case PROP_EPOCHS:
      g_value_set_uint (value, self->epochs);
      break;

    case PROP_N_POINTS:
      g_value_set_uint (value, (guint) gs_history_count (self->history));
      break;

    case PROP_LOG_EPOCHS:
      g_value_set_boolean (value, self->log_epochs);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_loss_plot_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GsLossPlot *self = GS_LOSS_PLOT (object);

  switch (prop_id)
    {
    case PROP_EPOCHS:
      gs_loss_plot_set_epochs (self, g_value_get_uint (value));
      break;

    case PROP_LOG_EPOCHS:
      gs_loss_plot_set_log_epochs (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_loss_plot_class_init (GsLossPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gs_loss_plot_finalize;
  object_class->get_property = gs_loss_plot_get_property;
  object_class->set_property = gs_loss_plot_set_property;

  widget_class->snapshot = gs_loss_plot_snapshot;
  widget_class->measure = gs_loss_plot_measure;

  properties[PROP_EPOCHS] =
    g_param_spec_uint ("epochs", NULL, NULL,
                       0, G_MAXINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOG_EPOCHS] =
    g_param_spec_boolean ("log-epochs", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "lossplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  g_autofree char *text = NULL;

  if (keyboard || (text = gs_loss_plot_describe_at (GS_LOSS_PLOT (widget), x)) == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
gs_loss_plot_init (GsLossPlot *self)
{
  self->history = gs_history_new (NULL);
  g_assert (self->history != NULL);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Training loss per epoch"),
                                  -1);
  update_description (self);
}

GtkWidget *
gs_loss_plot_new (void)
{
  return g_object_new (GS_TYPE_LOSS_PLOT, NULL);
}

/**
 * gs_loss_plot_append:
 * @self: a #GsLossPlot
 * @loss: the loss of the next epoch
 *
 * Adds one point at the right of the curve.
 */
void
gs_loss_plot_append (GsLossPlot *self,
                     float       loss)
{
  g_return_if_fail (GS_IS_LOSS_PLOT (self));

  gs_history_add (self->history, loss, NAN);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
  gs_loss_plot_invalidate (self);
}

void
gs_loss_plot_follow (GsLossPlot      *self,
                     const GsHistory *h)
{
  GsHistPoint points[256];
  gboolean added = FALSE;
  int n;

  g_return_if_fail (GS_IS_LOSS_PLOT (self));
  g_return_if_fail (h != NULL);

  while (gs_history_count (self->history) < gs_history_count (h)
         && (n = gs_history_read_since (h, gs_history_count (self->history), points, G_N_ELEMENTS (points))) > 0)
    for (int i = 0; i < n; i++)
      added |= gs_history_add_point (self->history, &points[i]);
  if (!added)
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
  gs_loss_plot_invalidate (self);
}

void
gs_loss_plot_clear (GsLossPlot *self)
{
  g_return_if_fail (GS_IS_LOSS_PLOT (self));

  if (gs_history_count (self->history) == 0 && self->n_val == 0)
    return;

  gs_history_clear (self->history);
  g_clear_pointer (&self->val, g_free);
  self->n_val = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
  gs_loss_plot_invalidate (self);
}

guint
gs_loss_plot_get_n_points (GsLossPlot *self)
{
  g_return_val_if_fail (GS_IS_LOSS_PLOT (self), 0);

  return (guint) gs_history_count (self->history);
}

guint64
_gs_loss_plot_get_draw_work (GsLossPlot *self)
{
  g_return_val_if_fail (GS_IS_LOSS_PLOT (self), 0);

  return self->draw_work;
}

guint
gs_loss_plot_get_epochs (GsLossPlot *self)
{
  g_return_val_if_fail (GS_IS_LOSS_PLOT (self), 0);

  return self->epochs;
}

void
gs_loss_plot_set_epochs (GsLossPlot *self,
                         guint       epochs)
{
  g_return_if_fail (GS_IS_LOSS_PLOT (self));

  if (self->epochs == epochs)
    return;

  self->epochs = epochs;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EPOCHS]);
  gs_loss_plot_invalidate (self);
}

gboolean
gs_loss_plot_get_log_epochs (GsLossPlot *self)
{
  g_return_val_if_fail (GS_IS_LOSS_PLOT (self), FALSE);

  return self->log_epochs;
}

void
gs_loss_plot_set_log_epochs (GsLossPlot *self,
                             gboolean    log_epochs)
{
  g_return_if_fail (GS_IS_LOSS_PLOT (self));

  log_epochs = !!log_epochs;
  if (self->log_epochs == log_epochs)
    return;
  self->log_epochs = log_epochs;
  gs_loss_plot_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_EPOCHS]);
}

gboolean
gs_loss_plot_get_epoch_x (GsLossPlot *self,
                          long long   epoch,
                          double     *x)
{
  g_return_val_if_fail (GS_IS_LOSS_PLOT (self), FALSE);

  if (self->frame_n == 0 || epoch < 1 || epoch > self->frame_n)
    return FALSE;
  *x = self->frame_x0 + self->frame_fw * epoch_u (self->log_epochs, (double) (epoch - 1), self->frame_n);
  return TRUE;
}

char *
gs_loss_plot_describe_at (GsLossPlot *self,
                          double      x)
{
  const GsHistory *hist;
  long long n_epochs, e;
  double u;

  g_return_val_if_fail (GS_IS_LOSS_PLOT (self), NULL);

  hist = self->history;
  n_epochs = gs_history_count (hist);
  if (self->frame_n == 0 || n_epochs == 0 || self->frame_fw <= 0.0f)
    return NULL;
  u = (x - self->frame_x0) / self->frame_fw;
  if (u < -0.02 || u > 1.02)
    return NULL;
  e = llround (u_epoch (self->log_epochs, CLAMP (u, 0.0, 1.0), self->frame_n));
  if (e > n_epochs - 1)
    return NULL;
  for (int i = 0; i < gs_history_n_points (hist); i++)
    {
      const GsHistPoint *p = gs_history_point (hist, i);

      if (e < p->first || e >= p->first + p->n)
        continue;
      if (p->n == 1)
        /* Translators: the loss plot's tooltip; the epoch (from 1) and its loss. */
        return g_strdup_printf (_("Epoch %lld: loss %.4f"), p->first + 1, (double) p->loss_mean);
      /* Translators: the loss plot's tooltip over older epochs kept as one
       * point: the first and last epoch, the lowest, highest and mean loss. */
      return g_strdup_printf (_("Epochs %lld–%lld: loss %.4f to %.4f, mean %.4f"),
                              p->first + 1, p->first + p->n, (double) p->loss_min,
                              (double) p->loss_max, (double) p->loss_mean);
    }
  return NULL;
}

void
gs_loss_plot_set_validation (GsLossPlot       *self,
                             const GsValPoint *points,
                             int               n)
{
  g_return_if_fail (GS_IS_LOSS_PLOT (self));
  g_return_if_fail (n >= 0 && (n == 0 || points != NULL));

  if (n == self->n_val && (n == 0 || memcmp (points, self->val, (size_t) n * sizeof *points) == 0))
    return;
  g_clear_pointer (&self->val, g_free);
  self->val = n > 0 ? g_memdup2 (points, (gsize) n * sizeof *points) : NULL;
  self->n_val = n;
  gs_loss_plot_invalidate (self);
}

guint
gs_loss_plot_get_n_validation (GsLossPlot *self)
{
  g_return_val_if_fail (GS_IS_LOSS_PLOT (self), 0);

  return (guint) self->n_val;
}
