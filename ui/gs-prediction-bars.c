/* gs-prediction-bars.c — the softmax over the output vocabulary at one timestep.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One horizontal bar per output class, as long as its probability: p = 1
 * fills the track. The most probable class is the network's answer: its bar
 * is green when that is the target, red when it is not (the accent colour
 * when the step has no target); the target's row says so. Under the bars,
 * the loss of this step, −log p(target). With many classes only the most
 * probable ones are shown, and the target.
 *
 * Letters: T timesteps, O output classes.
 */

#include <math.h>

#include <glib/gi18n.h>

#include "gs-view-describe.h"
#include "gs-prediction-bars.h"
#include "gs-view-text.h"
#include "gs-view-widget.h"

#define PAD          12.0f   /* px, around everything */
#define TITLE_PX     17
#define LABEL_PX     15      /* probabilities, the target tag, the loss */
#define LETTER_PX    22      /* the class labels */
#define ROW_MIN      24.0f   /* px, a row's height range */
#define ROW_MAX      46.0f
#define MAX_BARS     12      /* classes shown at most */

struct _GsPredictionBars
{
  GsView         parent_instance;
};

G_DEFINE_FINAL_TYPE (GsPredictionBars, gs_prediction_bars, GS_TYPE_VIEW)

/* Where everything goes at one size, for one timestep. */
typedef struct
{
  int   n;                    /* classes shown */
  int   cls[MAX_BARS];        /* which, top to bottom */
  float title_h;
  float y0, row_h, bar_h;     /* first row's top, a row's and a bar's height */
  float label_x, label_w;     /* the class labels' column */
  float track_x, track_w;     /* where p = 0 and p = 1 */
} Geometry;

static int
compare_desc (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const float *p = data;
  float pa = p[*(const int *) a], pb = p[*(const int *) b];

  return pa > pb ? -1 : pa < pb ? 1 : *(const int *) a - *(const int *) b;
}

/* The timestep the view can show, or −1 when it has nothing to show. */
static int
shown_timestep (GsPredictionBars *self)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  const GsSnapshot *s;

  if (snap == NULL)
    return -1;
  s = gs_snap_get (snap);
  if (s->cfg.loss != GS_LOSS_CE || s->probs == NULL || s->cfg.O < 1)
    return -1;
  if (timestep < 0 || timestep >= MIN (s->t_fwd, s->T) || !gs_snapshot_has_output (s, timestep))
    return -1;
  return timestep;
}

static void
compute_geometry (GsPredictionBars *self,
                  const GsSnapshot *s,
                  int               t,
                  int               width,
                  int               height,
                  Geometry         *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const float *p = s->probs + (size_t) t * s->cfg.O;
  const int O = s->cfg.O, target = s->targets[t];
  g_autoptr(PangoLayout) title = gs_view_text_layout (widget, "Ag", TITLE_PX, TRUE);
  g_autoptr(PangoLayout) number = gs_view_text_layout (widget, "0.00", LABEL_PX, TRUE);
  g_autoptr(PangoLayout) tag = gs_view_text_layout (widget, _("← target"), LABEL_PX, FALSE);
  g_autoptr(PangoLayout) footer = gs_view_text_layout (widget, "Ag", LABEL_PX, FALSE);
  int w, h, number_w, tag_w, footer_h;
  float avail;

  /* Few classes: all, in vocabulary order. Many: the most probable ones,
   * and the target, most probable first. */
  if (O <= MAX_BARS)
    {
      g->n = O;
      for (int o = 0; o < O; o++)
        g->cls[o] = o;
    }
  else
    {
      g_autofree int *order = g_new (int, O);
      gboolean has_target = FALSE;

      for (int o = 0; o < O; o++)
        order[o] = o;
      g_qsort_with_data (order, O, sizeof (int), compare_desc, (gpointer) p);
      g->n = MAX_BARS;
      for (int i = 0; i < MAX_BARS; i++)
        {
          g->cls[i] = order[i];
          has_target |= order[i] == target;
        }
      if (target >= 0 && !has_target)
        g->cls[MAX_BARS - 1] = target;
    }

  pango_layout_get_pixel_size (title, &w, &h);
  g->title_h = h;
  pango_layout_get_pixel_size (number, &number_w, &h);
  pango_layout_get_pixel_size (tag, &tag_w, &h);
  pango_layout_get_pixel_size (footer, &w, &footer_h);

  g->label_w = 0;
  for (int i = 0; i < g->n; i++)
    {
      g_autoptr(PangoLayout) label = gs_view_text_layout (widget, gs_view_output_label (s, g->cls[i]), LETTER_PX, TRUE);

      pango_layout_get_pixel_size (label, &w, &h);
      g->label_w = MAX (g->label_w, MIN (w, 120));
    }
  g->label_x = PAD;
  g->track_x = roundf (PAD + g->label_w + 12.0f);
  g->track_w = floorf (width - PAD - tag_w - 10.0f - number_w - 8.0f - g->track_x);

  avail = height - 2.0f * PAD - g->title_h - 10.0f - footer_h - 10.0f;
  g->row_h = floorf (CLAMP (avail / g->n, ROW_MIN, ROW_MAX));
  g->bar_h = roundf (g->row_h * 0.62f);
  g->y0 = PAD + g->title_h + 10.0f;
}

static void
gs_prediction_bars_draw (GtkWidget          *widget,
                         GtkSnapshot        *snapshot,
                         int                 width,
                         int                 height,
                         const GsViewColors *pal)
{
  GsPredictionBars *self = GS_PREDICTION_BARS (widget);
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  GdkRGBA faint = gs_view_with_alpha (&pal->fg, 0.6f);
  GdkRGBA track = gs_view_with_alpha (&pal->fg, 0.08f);
  GdkRGBA other = gs_view_with_alpha (&pal->fg, 0.38f);
  const GsSnapshot *s;
  const float *p;
  int t = shown_timestep (self), best, target, w, h;
  Geometry g;

  if (t < 0)
    {
      g_autofree char *text = NULL;

      if (snap == NULL)
        text = g_strdup (_("No sequence loaded"));
      else if (gs_snap_get (snap)->cfg.loss != GS_LOSS_CE)
        {
          const GsSnapshot *r = gs_snap_get (snap);

          /* Regression: the predicted value, where the step is computed and judged. */
          if (timestep >= 0 && timestep < MIN (r->t_fwd, r->T) && r->logits != NULL && r->cfg.O >= 1 &&
              r->targets != NULL && r->targets[timestep] >= 0)
            /* Translators: a regression task's output at one timestep. */
            text = g_strdup_printf (_("Regression at t = %d: prediction %.3f, target %.3f"), timestep,
                                    (double) r->logits[(size_t) timestep * r->cfg.O],
                                    r->ys ? (double) r->ys[(size_t) timestep * r->cfg.O] : NAN);
          else if (timestep >= 0 && timestep < r->T && r->targets != NULL && r->targets[timestep] < 0)
            text = g_strdup_printf (_("Regression: no target at t = %d"), timestep);
          else
            text = g_strdup (_("This task predicts numbers, not characters: no probabilities to show"));
        }
      else if (timestep >= 0 && !gs_snapshot_has_output (gs_snap_get (snap), timestep))
        text = g_strdup (_("The encoder only reads: the decoder, after it, writes the answer and predicts"));
      else if (timestep >= 0)
        text = g_strdup_printf (_("Step forward (→) to see the prediction at t = %d"), timestep);
      else
        text = g_strdup (_("Step forward (→) to see a prediction"));
      gs_view_text_append_message (snapshot, widget, text, LABEL_PX + 2,
                                   &GRAPHENE_RECT_INIT (0, 0, width, height), 2 * PAD, &faint);
      return;
    }

  s = gs_snap_get (snap);
  p = s->probs + (size_t) t * s->cfg.O;
  target = s->targets[t];
  best = gs_view_predicted_class (s, t);
  compute_geometry (self, s, t, width, height, &g);
  if (g.track_w < 8.0f)
    return;

  /* The title: where we are. */
  {
    const char *input = gs_view_input_label (s, t);
    g_autofree char *text = input != NULL
      ? g_strdup_printf (_("Prediction at t = %d, after “%s”"), t, input)
      : g_strdup_printf (_("Prediction at t = %d"), t);
    g_autoptr(PangoLayout) title = gs_view_text_layout (widget, text, TITLE_PX, TRUE);

    pango_layout_set_width (title, (width - 2 * (int) PAD) * PANGO_SCALE);
    pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);
    gs_view_text_append (snapshot, title, PAD, PAD, &pal->fg);
  }

  for (int i = 0; i < g.n; i++)
    {
      int o = g.cls[i];
      float y = g.y0 + i * g.row_h, bar_y = roundf (y + (g.row_h - g.bar_h) / 2.0f);
      float bar_w = roundf (CLAMP (p[o], 0.0f, 1.0f) * g.track_w);
      const GdkRGBA *bar = &other;
      g_autofree char *number = gs_view_format_probability (p[o]);
      g_autoptr(PangoLayout) label = gs_view_text_layout (widget, gs_view_output_label (s, o), LETTER_PX, TRUE);
      g_autoptr(PangoLayout) value = gs_view_text_layout (widget, number, LABEL_PX, o == best);

      if (o == best)
        bar = target < 0 ? &pal->accent : best == target ? &pal->success : &pal->error;

      /* The class, right-aligned against the track. */
      pango_layout_set_width (label, (int) g.label_w * PANGO_SCALE);
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (label, &w, &h);
      gs_view_text_append (snapshot, label, g.track_x - 12.0f - w, y + (g.row_h - h) / 2.0f,
                     o == best ? bar : &pal->fg);

      /* Track, bar (length ∝ p), the number after its end. */
      gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (g.track_x, bar_y, g.track_w, g.bar_h));
      gtk_snapshot_append_color (snapshot, bar, &GRAPHENE_RECT_INIT (g.track_x, bar_y, bar_w, g.bar_h));
      pango_layout_get_pixel_size (value, &w, &h);
      gs_view_text_append (snapshot, value, g.track_x + g.track_w + 8.0f, y + (g.row_h - h) / 2.0f,
                     o == best ? bar : &faint);

      if (o == target)
        {
          g_autoptr(PangoLayout) tag = gs_view_text_layout (widget, _("← target"), LABEL_PX, o != best);
          int tw, th;

          pango_layout_get_pixel_size (tag, &tw, &th);
          gs_view_text_append (snapshot, tag, width - PAD - tw, y + (g.row_h - th) / 2.0f,
                         o == best ? bar : &pal->fg);
        }
    }

  /* This step's share of the loss. */
  if (target >= 0 && target < s->cfg.O)
    {
      /* p = 1 would write −log p as "-0.000". */
      double nll = -log (CLAMP ((double) p[target], 1e-30, 1.0));
      g_autofree char *text = g_strdup_printf (_("loss at this step: −log p(“%s”) = %.3f"),
                                               gs_view_output_label (s, target), nll > 0.0 ? nll : 0.0);
      g_autoptr(PangoLayout) footer = gs_view_text_layout (widget, text, LABEL_PX, FALSE);

      pango_layout_set_width (footer, (width - 2 * (int) PAD) * PANGO_SCALE);
      pango_layout_set_ellipsize (footer, PANGO_ELLIPSIZE_END);
      gs_view_text_append (snapshot, footer, PAD, g.y0 + g.n * g.row_h + 10.0f, &faint);
    }
}

static void
gs_prediction_bars_measure_design (GtkWidget      *widget,
                                   GtkOrientation  orientation,
                                   int             for_size,
                                   int            *minimum,
                                   int            *natural,
                                   int            *minimum_baseline,
                                   int            *natural_baseline)
{
  GsPredictionBars *self = GS_PREDICTION_BARS (widget);
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  const GsSnapshot *s = snap != NULL ? gs_snap_get (snap) : NULL;
  int n = s != NULL ? CLAMP (s->cfg.O, 1, MAX_BARS) : 4;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 220;
      *natural = 340;
    }
  else
    {
      *minimum = (int) (2 * PAD + 60 + n * ROW_MIN);
      *natural = (int) (2 * PAD + 64 + n * 38);
    }
}

static void
gs_prediction_bars_changed (GsView       *view,
                            GsViewChange  what,
                            GsSnap       *old_snap)
{
  switch (what)
    {
    case GS_VIEW_CHANGE_SNAP:
      /* The natural size follows the sequence's shape only: a new snapshot
       * of the same shape (every frame while training) needs no new layout. */
      if (!gs_view_same_shape (old_snap, gs_view_get_snap (view)))
        gtk_widget_queue_resize (GTK_WIDGET (view));
      gs_view_queue_redraw (view);
      break;

    case GS_VIEW_CHANGE_TIMESTEP:
      gs_view_queue_redraw (view);
      break;

    case GS_VIEW_CHANGE_LAYER:
    default:
      /* Nothing to redraw: the softmax reads the top layer whatever "layer"
       * is, kept for symmetry with the other views. */
      break;
    }
}

static void
gs_prediction_bars_class_init (GsPredictionBarsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GsViewClass *view_class = GS_VIEW_CLASS (klass);


  view_class->draw = gs_prediction_bars_draw;
  view_class->describe = gs_view_describe_prediction;
  view_class->measure_design = gs_prediction_bars_measure_design;
  view_class->changed = gs_prediction_bars_changed;

  gtk_widget_class_set_css_name (widget_class, "predictionbars");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_prediction_bars_init (GsPredictionBars *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Probability of each output at the current timestep"),
                                  -1);
}

GtkWidget *
gs_prediction_bars_new (void)
{
  return g_object_new (GS_TYPE_PREDICTION_BARS, NULL);
}

gboolean
gs_prediction_bars_get_bar_rect (GsPredictionBars *self,
                                 int               cls,
                                 graphene_rect_t  *out)
{
  int width, height;
  const GsSnapshot *s;
  Geometry g;
  int t;

  g_return_val_if_fail (GS_IS_PREDICTION_BARS (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  gs_view_get_design_size (GTK_WIDGET (self), &width, &height);
  t = shown_timestep (self);
  if (t < 0 || width <= 0 || height <= 0)
    return FALSE;
  s = gs_snap_get (gs_view_get_snap (GS_VIEW (self)));
  compute_geometry (self, s, t, width, height, &g);
  if (g.track_w < 8.0f)
    return FALSE;

  for (int i = 0; i < g.n; i++)
    if (g.cls[i] == cls)
      {
        float p = CLAMP (s->probs[(size_t) t * s->cfg.O + cls], 0.0f, 1.0f);

        graphene_rect_init (out, g.track_x, roundf (g.y0 + i * g.row_h + (g.row_h - g.bar_h) / 2.0f),
                            roundf (p * g.track_w), g.bar_h);
        gs_view_rect_to_widget (GTK_WIDGET (self), out);
        return TRUE;
      }
  return FALSE;
}
