/* gs-view-describe.c — what each drawing view shows, in words (see
 * gs-view-describe.h).
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Letters as in gs-model.h: T timesteps, H hidden units, P units of h, O
 * outputs, G gates.
 */
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-cell-view.h"
#include "gs-heatmap.h"
#include "gs-series-plot.h"
#include "gs-snap.h"
#include "gs-view-describe.h"
#include "gs-view-text.h"

const char *
gs_view_describe_cell_name (GsCell cell)
{
  switch (cell)
    {
    case GS_CELL_RNN_TANH: return _("RNN (tanh)");
    case GS_CELL_RNN_RELU: return _("RNN (ReLU)");
    case GS_CELL_LSTM:     return _("LSTM");
    case GS_CELL_GRU:      return _("GRU");
    default:               return "?";
    }
}

/* The snapshot a view shows, or NULL. */
static const GsSnapshot *
view_snapshot (GsView *view)
{
  GsSnap *snap = gs_view_get_snap (view);

  return snap != NULL ? gs_snap_get (snap) : NULL;
}

/* Whether the forward pass has computed timestep t. */
static gboolean
computed (const GsSnapshot *s,
          int               t)
{
  return t >= 0 && t < MIN (s->t_fwd, s->T);
}

/* "mean 0.73, highest unit 5 at 0.98" over n values. */
static char *
units_summary (const float *v,
               int          n)
{
  double sum = 0.0;
  int best = 0;

  for (int u = 0; u < n; u++)
    {
      sum += v[u];
      if (v[u] > v[best])
        best = u;
    }
  /* Translators: the mean of a row of units, then the largest unit (its
   * index from 0) and its value, e.g. "mean 0.73, highest unit 5 at 0.98". */
  return g_strdup_printf (_("mean %.2f, highest unit %d at %.2f"),
                          n > 0 ? sum / n : 0.0, best, n > 0 ? (double) v[best] : 0.0);
}

/* "prediction l 0.99, right", or NULL when t has no prediction. */
static char *
prediction_text (const GsSnapshot *s,
                 int               t)
{
  const int O = s->cfg.O;

  if (!computed (s, t) || O < 1)
    return NULL;
  if (s->probs != NULL && s->ys == NULL)
    {
      int o = gs_view_predicted_class (s, t);
      double p = s->probs[(size_t) t * O + o];
      const char *label = gs_view_output_label (s, o);
      int target = s->targets != NULL ? s->targets[t] : -1;

      if (target < 0)
        /* Translators: the predicted class and its probability: "prediction l 0.99". */
        return g_strdup_printf (_("prediction %s %.2f"), label, p);
      if (target == o)
        /* Translators: "prediction l 0.99, right": the prediction is the target. */
        return g_strdup_printf (_("prediction %s %.2f, right"), label, p);
      /* Translators: "prediction h 0.40, wrong: the target is l". */
      return g_strdup_printf (_("prediction %s %.2f, wrong: the target is %s"),
                              label, p, gs_view_output_label (s, target));
    }
  if (s->logits != NULL && s->ys != NULL)
    {
      double y = s->logits[(size_t) t * O];

      if (s->targets != NULL && s->targets[t] < 0)
        /* Translators: a regression's output (its first feature): "prediction 0.41". */
        return g_strdup_printf (_("prediction %.2f"), y);
      /* Translators: a regression's output and target (first feature). */
      return g_strdup_printf (_("prediction %.2f, target %.2f"), y, (double) s->ys[(size_t) t * O]);
    }
  return NULL;
}

/* "LSTM, layer 1, t = 2" */
static char *
where (const GsSnapshot *s,
       int               layer,
       int               t)
{
  /* Translators: the cell, the layer (from 1) and the timestep: "LSTM, layer 1, t = 2". */
  return g_strdup_printf (_("%s, layer %d, t = %d"), gs_view_describe_cell_name (s->cfg.cell), layer + 1, t);
}

/* The cell diagram: every gate of the layer at t, the states, the prediction. */
char *
gs_view_describe_cell (GsView *view)
{
  const GsSnapshot *s = view_snapshot (view);
  int t = gs_view_get_timestep (view);
  int k = gs_view_get_layer (view);
  g_autofree char *head = NULL;
  g_autoptr(GString) text = NULL;
  g_autofree char *prediction = NULL;
  const GsSnapLayer *l;
  int H;

  if (s == NULL || k < 0 || k >= s->cfg.L)
    return NULL;
  head = where (s, k, t);
  if (!computed (s, t))
    /* Translators: "LSTM, layer 1, t = 3: not computed yet". */
    return g_strdup_printf (_("%s: not computed yet"), head);

  l = &s->layer[k];
  H = s->cfg.H;
  text = g_string_new (head);
  g_string_append (text, ": ");
  for (int g = 0; g < s->G; g++)
    {
      char name[2] = { s->gates[g], '\0' };
      const char *title = gs_heatmap_quantity_title (name);
      g_autofree char *summary = units_summary (l->act + (size_t) t * s->G * H + (size_t) g * H, H);

      if (g > 0)
        g_string_append (text, "; ");
      /* Translators: a gate's name and its summary: "forget gate f mean 0.73, highest unit 5 at 0.98". */
      g_string_append_printf (text, _("%s %s"), title != NULL ? title : name, summary);
    }
  if (l->c != NULL)
    {
      g_autofree char *summary = units_summary (l->c + (size_t) t * H, H);

      g_string_append_printf (text, "; %s %s", gs_heatmap_quantity_title ("c"), summary);
    }
  if (s->G > 1 || l->c != NULL)
    {
      int P = s->P > 0 ? s->P : H;
      g_autofree char *summary = units_summary (l->h + (size_t) t * P, P);

      g_string_append_printf (text, "; %s %s", gs_heatmap_quantity_title ("h"), summary);
    }
  prediction = prediction_text (s, t);
  if (prediction != NULL)
    g_string_append_printf (text, "; %s", prediction);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The unrolled network: its shape, then the current timestep's input and
 * prediction. */
char *
gs_view_describe_unrolled (GsView *view)
{
  const GsSnapshot *s = view_snapshot (view);
  int t = gs_view_get_timestep (view);
  g_autofree char *input = NULL;
  g_autofree char *prediction = NULL;
  g_autofree char *shape = NULL;

  if (s == NULL)
    return NULL;
  /* Translators: "LSTM, 2 layers, 5 timesteps". */
  shape = g_strdup_printf (ngettext ("%s, %d layer, %d timesteps", "%s, %d layers, %d timesteps", s->cfg.L),
                           gs_view_describe_cell_name (s->cfg.cell), s->cfg.L, s->T);
  if (t < 0 || t >= s->T)
    return g_steal_pointer (&shape);
  input = gs_view_input_text (s, t);
  prediction = prediction_text (s, t);
  if (prediction == NULL)
    /* Translators: the network's shape, then the timestep and its input: "…; t = 3: input “l”, not computed yet". */
    return g_strdup_printf (_("%s; t = %d: input “%s”, not computed yet"), shape, t, input != NULL ? input : "?");
  /* Translators: the network's shape, then the timestep, its input and the prediction. */
  return g_strdup_printf (_("%s; t = %d: input “%s”, %s"), shape, t, input != NULL ? input : "?", prediction);
}

/* A heatmap: its quantity in one layer, and that quantity's units at t. */
char *
gs_view_describe_heatmap (GsView *view)
{
  const GsSnapshot *s = view_snapshot (view);
  const char *quantity = gs_heatmap_get_quantity (GS_HEATMAP (view));
  const char *title = gs_heatmap_quantity_title (quantity);
  int t = gs_view_get_timestep (view);
  int k = gs_view_get_layer (view);
  const GsSnapLayer *l;
  const float *row = NULL;
  gboolean gradient = FALSE;
  g_autofree char *summary = NULL;
  g_autofree char *rev_title = NULL;
  int H, P, n = 0, d;

  if (s == NULL || quantity == NULL || k < 0 || k >= s->cfg.L)
    return NULL;
  if (title == NULL)
    title = quantity;
  /* The direction the map shows, by the snapshot's rule of what is computed. */
  d = gs_heatmap_get_direction (GS_HEATMAP (view)) == 1 && s->D == 2 ? 1 : 0;
  if (d == 1)
    title = rev_title = g_strdup_printf (_("%s ← reverse"), title);
  l = d ? &s->rev[k] : &s->layer[k];
  H = s->cfg.H;
  P = s->P > 0 ? s->P : H;
  if (t >= 0 && t < s->T)
    {
      if (g_strcmp0 (quantity, "h") == 0)
        row = l->h + (size_t) t * P, n = P;
      else if (g_strcmp0 (quantity, "c") == 0 && l->c != NULL)
        row = l->c + (size_t) t * H, n = H;
      else if (g_strcmp0 (quantity, "dh") == 0)
        row = l->dh + (size_t) t * P, n = P, gradient = TRUE;
      else if (g_strcmp0 (quantity, "dc") == 0 && l->dc != NULL)
        row = l->dc + (size_t) t * H, n = H, gradient = TRUE;
      else if (strlen (quantity) == 1 && strchr (s->gates, quantity[0]) != NULL)
        row = l->act + (size_t) t * s->G * H + (size_t) (strchr (s->gates, quantity[0]) - s->gates) * H, n = H;
    }
  if (row == NULL || (gradient ? (s->phase != GS_PHASE_BACKWARD && s->phase != GS_PHASE_UPDATED)
                                 || t < gs_snapshot_grads_begin (s, k, d)
                               : t >= gs_snapshot_values_end (s, k, d)))
    /* Translators: a heatmap with nothing computed at the timestep: "hidden state h, layer 1, 5 timesteps × 8 units; t = 3: not computed yet". */
    return g_strdup_printf (_("%s, layer %d, %d timesteps × %d units; t = %d: not computed yet"),
                            title, k + 1, s->T, n > 0 ? n : H, t);
  summary = units_summary (row, n);
  /* Translators: a heatmap and its column at t: "hidden state h, layer 1, 5 timesteps × 8 units; t = 2: mean 0.12, highest unit 5 at 0.98". */
  return g_strdup_printf (_("%s, layer %d, %d timesteps × %d units; t = %d: %s"),
                          title, k + 1, s->T, n, t, summary);
}

/* The prediction bars: the three most probable classes at t, the target. */
char *
gs_view_describe_prediction (GsView *view)
{
  const GsSnapshot *s = view_snapshot (view);
  int t = gs_view_get_timestep (view);
  const int O = s != NULL ? s->cfg.O : 0;
  g_autoptr(GString) top = g_string_new (NULL);
  g_autofree char *prediction = NULL;
  int picked[3];
  int n = MIN (3, O);

  if (s == NULL)
    return NULL;
  prediction = prediction_text (s, t);
  if (prediction == NULL)
    /* Translators: the prediction view before the forward pass reached t. */
    return g_strdup_printf (_("Prediction at t = %d: not computed yet"), t);
  if (s->probs == NULL || s->ys != NULL)
    /* Translators: "Prediction at t = 2: prediction 0.41, target 0.40". */
    return g_strdup_printf (_("Prediction at t = %d: %s"), t, prediction);

  /* The n most probable classes, most probable first. */
  for (int i = 0; i < n; i++)
    {
      const float *p = s->probs + (size_t) t * O;
      int best = -1;

      for (int o = 0; o < O; o++)
        {
          gboolean taken = FALSE;

          for (int j = 0; j < i; j++)
            taken |= picked[j] == o;
          if (!taken && (best < 0 || p[o] > p[best]))
            best = o;
        }
      picked[i] = best;
      if (i > 0)
        g_string_append (top, ", ");
      g_string_append_printf (top, "%s %.2f", gs_view_output_label (s, best), (double) p[best]);
    }
  /* Translators: the view's timestep, the likeliest classes with their probabilities, then the prediction: "Prediction at t = 2: l 0.46, h 0.20, o 0.15; prediction l 0.46, right". */
  return g_strdup_printf (_("Prediction at t = %d: %s; %s"), t, top->str, prediction);
}

/* The gradient view: ‖∂L/∂h‖ at t and where it is largest. */
char *
gs_view_describe_gradient (GsView *view)
{
  const GsSnapshot *s = view_snapshot (view);
  int t = gs_view_get_timestep (view);
  int k = gs_view_get_layer (view);
  g_autofree float *norms = NULL;
  int best;

  if (s == NULL || s->T < 1 || k < 0 || k >= s->cfg.L)
    return NULL;
  if ((s->phase != GS_PHASE_BACKWARD && s->phase != GS_PHASE_UPDATED) || s->t_bwd >= s->T)
    /* Translators: the gradient view before the backward pass. */
    return g_strdup_printf (_("Gradient reaching each timestep, layer %d: no backward pass yet"), k + 1);
  norms = g_new0 (float, s->T);
  gs_snapshot_dh_norms (s, k, norms);
  best = s->t_bwd;
  for (int i = s->t_bwd; i < s->T; i++)
    if (norms[i] > norms[best])
      best = i;
  if (t < s->t_bwd || t >= s->T)
    /* Translators: "…, layer 1: largest at t = 4, 0.51; t = 1 not reached yet". */
    return g_strdup_printf (_("Gradient reaching each timestep, layer %d: largest at t = %d, %.3g; t = %d not reached yet"),
                            k + 1, best, (double) norms[best], t);
  /* Translators: the gradient's norm ‖∂L/∂h‖ at the view's timestep, then where it is largest. */
  return g_strdup_printf (_("Gradient reaching each timestep, layer %d: at t = %d, %.3g; largest at t = %d, %.3g"),
                          k + 1, t, (double) norms[t], best, (double) norms[best]);
}

/* The regression plot: prediction and target of the feature shown at t. */
char *
gs_view_describe_series (GsView *view)
{
  const GsSnapshot *s = view_snapshot (view);
  int t = gs_view_get_timestep (view);
  int f = gs_series_plot_get_feature (GS_SERIES_PLOT (view));
  const int O = s != NULL ? s->cfg.O : 0;

  if (s == NULL || s->ys == NULL || O < 1)
    return NULL;
  f = CLAMP (f, 0, O - 1);
  if (!computed (s, t))
    /* Translators: the regression plot: the feature (from 1) and the timestep. */
    return g_strdup_printf (_("Feature %d, t = %d: not computed yet"), f + 1, t);
  /* Translators: "Feature 1, t = 2: prediction 0.41, target 0.40". */
  return g_strdup_printf (_("Feature %d, t = %d: prediction %.2f, target %.2f"),
                          f + 1, t, (double) s->logits[(size_t) t * O + f], (double) s->ys[(size_t) t * O + f]);
}
