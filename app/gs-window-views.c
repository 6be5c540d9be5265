/* gs-window-views.c — what a new snapshot changes on screen.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every view gets the same GsSnap at once, so they all draw the same
 * state; the status line, the hint below it and the cell's caption are
 * written from that snap too, and the loss plot mirrors its history. The
 * views share one timestep and one layer: the timestep follows the engine's
 * cursor when the engine moves, and a click on a column in any view moves
 * it everywhere without stepping the engine.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-heatmap.h"
#include "gs-view-text.h"
#include "gs-window-private.h"

/* ───────────────────────── shared timestep and layer ───────────────────────── */

void
gs_window_set_timestep (GsWindow *self,
                        int       timestep)
{
  g_assert (GS_IS_WINDOW (self));

  timestep = MAX (timestep, -1);
  if (self->timestep == timestep)
    return;
  self->timestep = timestep;

  gs_view_set_timestep (GS_VIEW (self->unrolled_view), timestep);
  gs_view_set_timestep (GS_VIEW (self->cell_view), timestep);
  gs_view_set_timestep (GS_VIEW (self->prediction_bars), timestep);
  gs_view_set_timestep (GS_VIEW (self->series_plot), timestep);
  gs_view_set_timestep (GS_VIEW (self->gradient_view), timestep);
  gs_view_set_timestep (GS_VIEW (self->embedding_view), timestep);
  for (guint i = 0; i < self->heatmaps->len; i++)
    gs_view_set_timestep (GS_VIEW (g_ptr_array_index (self->heatmaps, i)), timestep);

  gs_window_update_status (self);
  g_object_notify (G_OBJECT (self), "timestep");
}

void
gs_window_set_layer (GsWindow *self,
                     int       layer)
{
  GsSnap *snap;
  int L = GS_WINDOW_MAX_LAYERS;

  g_assert (GS_IS_WINDOW (self));

  snap = self->session != NULL ? gs_session_get_snap (self->session) : NULL;
  if (snap != NULL)
    L = gs_snap_get (snap)->cfg.L;
  layer = CLAMP (layer, 0, MAX (L, 1) - 1);
  if (self->layer == layer)
    return;
  self->layer = layer;

  gs_view_set_layer (GS_VIEW (self->unrolled_view), layer);
  gs_view_set_layer (GS_VIEW (self->cell_view), layer);
  gs_view_set_layer (GS_VIEW (self->prediction_bars), layer);
  gs_view_set_layer (GS_VIEW (self->gradient_view), layer);
  for (guint i = 0; i < self->heatmaps->len; i++)
    gs_view_set_layer (GS_VIEW (g_ptr_array_index (self->heatmaps, i)), layer);

  gs_window_update_status (self);
  g_object_notify (G_OBJECT (self), "layer");
}

void
gs_window_set_show_gradients (GsWindow *self,
                              gboolean  show_gradients)
{
  g_assert (GS_IS_WINDOW (self));

  show_gradients = !!show_gradients;
  if (self->show_gradients == show_gradients)
    return;
  self->show_gradients = show_gradients;
  gs_cell_view_set_show_gradients (self->cell_view, show_gradients);
  gs_window_update_status (self);
  g_object_notify (G_OBJECT (self), "show-gradients");
}

static void
on_timestep_activated (GsWindow *self,
                       int       timestep,
                       gpointer  view)
{
  g_assert (GS_IS_WINDOW (self));

  gs_window_set_timestep (self, timestep);
}

/* ───────────────────────── the heatmap grid ───────────────────────── */

/* One map per gate of the cell, then c (LSTM) and h, then ∂L/∂h: the
 * plain RNN's one gate is h itself, so it is not shown twice. */
static void
gs_window_build_heatmaps (GsWindow         *self,
                          const GsSnapshot *s)
{
  g_autoptr(GPtrArray) quantities = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *child;

  g_assert (GS_IS_WINDOW (self));

  if (strcmp (self->heatmap_gates, s->gates) == 0)
    return;
  g_strlcpy (self->heatmap_gates, s->gates, sizeof self->heatmap_gates);

  for (const char *g = s->gates; *g != '\0'; g++)
    if (*g != 'h')
      g_ptr_array_add (quantities, g_strndup (g, 1));
  if (s->cfg.cell == GS_CELL_LSTM)
    g_ptr_array_add (quantities, g_strdup ("c"));
  g_ptr_array_add (quantities, g_strdup ("h"));
  g_ptr_array_add (quantities, g_strdup ("dh"));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->heatmap_box))) != NULL)
    gtk_flow_box_remove (self->heatmap_box, child);
  g_ptr_array_set_size (self->heatmaps, 0);

  for (guint i = 0; i < quantities->len; i++)
    {
      GtkWidget *map = gs_heatmap_new (g_ptr_array_index (quantities, i));

      gtk_widget_add_css_class (map, "card");
      gtk_widget_add_css_class (map, "view-card");
      gs_view_set_timestep (GS_VIEW (map), self->timestep);
      gs_view_set_layer (GS_VIEW (map), self->layer);
      gs_heatmap_set_direction (GS_HEATMAP (map), gtk_toggle_button_get_active (self->reverse_button) ? 1 : 0);
      g_signal_connect_object (map, "timestep-activated",
                               G_CALLBACK (on_timestep_activated), self, G_CONNECT_SWAPPED);
      gtk_flow_box_append (self->heatmap_box, map);
      /* The flow box wraps each child; its own focus ring is not wanted. */
      gtk_widget_set_focusable (gtk_widget_get_parent (map), FALSE);
      g_ptr_array_add (self->heatmaps, map);
    }
}

/* ───────────────────────── what a snapshot changes ───────────────────────── */

/* The engine's cursor as a timestep: the step forward just computed, the
 * step backward just reached, nothing before the first step. */
static int
cursor_timestep (const GsSnapshot *s)
{
  switch (s->phase)
    {
    case GS_PHASE_FORWARD:
      return s->t_fwd - 1;
    case GS_PHASE_BACKWARD:
    case GS_PHASE_UPDATED:
      return CLAMP (s->t_bwd, 0, s->T - 1);
    case GS_PHASE_IDLE:
    default:
      return -1;
    }
}

/* x_t as the views show it: the character, or the first features of a
 * dense input ("0.89, 0.00"); "?" when unknown. Free with g_free (). */
static char *
input_text (const GsSnapshot *s,
            int               t)
{
  char *text = t >= 0 && t < s->T ? gs_view_input_text (s, t) : NULL;

  return text != NULL ? text : g_strdup ("?");
}

static void
gs_window_update_hint (GsWindow         *self,
                       const GsSnapshot *s)
{
  g_autofree char *hint = NULL;
  g_autofree char *first = input_text (s, 0);
  g_autofree char *read = input_text (s, s->t_fwd - 1);
  g_autofree char *next = input_text (s, s->t_fwd);

  g_assert (GS_IS_WINDOW (self));

  if (gs_session_get_training (self->session))
    hint = g_strdup (_("Training continuously. The views show the last sequence trained; "
                       "press Ctrl+T or Train again to stop."));
  else if (s->phase == GS_PHASE_IDLE && s->epoch == 0)
    /* Translators: %s is the first input, e.g. “h” (a character) or “0.89, 0.00” (numbers). */
    hint = g_strdup_printf (_("Press → (Step) to feed the first input, “%s”, into the network. "
                              "Enter trains a whole step at once."), first);
  else if (s->phase == GS_PHASE_IDLE && s->decode == GS_DECODE_GREEDY)
    hint = g_strdup_printf (_("A new sequence, for an evaluation pass: the decoder will read its own "
                              "predictions (greedy decoding). Press → to feed its first input, “%s”."), first);
  else if (s->phase == GS_PHASE_IDLE)
    hint = g_strdup_printf (_("A new sequence. Press → to feed its first input, “%s”."), first);
  else if (s->decode == GS_DECODE_GREEDY && s->phase == GS_PHASE_FORWARD && s->part == GS_PART_DECODER
           && s->t_fwd < s->T)
    /* Translators: greedy decoding; %s is the symbol the decoder read, %d the timestep. */
    hint = g_strdup_printf (_("Greedy decoding: the decoder read “%s” at t = %d — its own prediction of the "
                              "step before, not the target — and predicted the next. Press → to go on."),
                            read, s->t_fwd - 1 - s->T_enc);
  else if (s->decode == GS_DECODE_GREEDY && s->phase == GS_PHASE_FORWARD && s->part == GS_PART_DECODER)
    hint = g_strdup (_("The decoder has written its answer from its own predictions, as the held-out "
                       "check decodes. An evaluation pass has no backward pass and no update: press → "
                       "for the next sequence."));
  else if (s->phase == GS_PHASE_FORWARD && s->part == GS_PART_ENCODER && s->t_fwd == s->T_enc)
    hint = g_strdup (_("The encoder has read the whole source. Press → to hand its final state "
                       "to the decoder, which starts writing the answer."));
  else if (s->phase == GS_PHASE_FORWARD && s->part == GS_PART_DECODER && s->t_fwd < s->T)
    /* Translators: the decoder of an encoder–decoder task; %s is the symbol it read, %d the timestep. */
    hint = g_strdup_printf (_("Decoder: it read “%s” at t = %d and predicted the next symbol of the "
                              "answer. Press → to go on, ← to go back."),
                            read, s->t_fwd - 1 - s->T_enc);
  else if (s->phase == GS_PHASE_FORWARD && s->part == GS_PART_DECODER)
    hint = g_strdup (_("The decoder has written the whole answer. Press → to send the gradient of "
                       "the loss back through the decoder, then through the encoder."));
  else if (s->phase == GS_PHASE_BACKWARD && s->part == GS_PART_DECODER && s->t_bwd == s->T_enc)
    hint = g_strdup (_("The gradient is back at the decoder's first step. Press → to hand it to "
                       "the encoder's last step."));
  else if (s->phase == GS_PHASE_FORWARD && s->t_fwd < s->T)
    /* Translators: forward pass; %d is the timestep, %s its input, then the next input. */
    hint = g_strdup_printf (_("Forward pass: the cell has read “%s” at t = %d. "
                              "Press → to read “%s”, ← to go back."),
                            read, s->t_fwd - 1, next);
  else if (s->phase == GS_PHASE_FORWARD)
    hint = g_strdup (_("The whole sequence is read. Press → to send the gradient of the loss "
                       "back through time, one step at a time."));
  else if (s->phase == GS_PHASE_BACKWARD && s->t_bwd > 0)
    /* Translators: backward pass; %d is the timestep the gradient reached. */
    hint = g_strdup_printf (_("Backward pass: the gradient has reached t = %d. Watch ‖∂L/∂h‖ "
                              "shrink or grow as it goes back. Press → to go on."), s->t_bwd);
  else if (s->phase == GS_PHASE_BACKWARD)
    hint = g_strdup (_("The gradient is back at the first step. Press → to update the weights."));
  else
    /* Translators: %ld is the number of updates so far. */
    hint = g_strdup_printf (_("The weights were updated: epoch %ld. Press → for the next "
                              "sequence, or Train to keep training."), s->epoch);

  gtk_label_set_label (self->hint_label, hint);
}

/* The status line (epoch · phase, and the loss) and the cell's caption,
 * all from the latest snapshot. */
void
gs_window_update_status (GsWindow *self)
{
  GsSnap *snap;
  const GsSnapshot *s;
  g_autofree char *status = NULL;
  g_autofree char *loss = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *short_caption = NULL;
  g_autofree char *input = NULL;
  long epoch;

  g_assert (GS_IS_WINDOW (self));

  snap = self->session != NULL ? gs_session_get_snap (self->session) : NULL;
  if (snap == NULL)
    return;
  s = gs_snap_get (snap);

  /* The epoch as the course's loop counts it (gs_phase_epoch): the
   * forward and backward pass after the update of epoch 15 belong to
   * epoch 16. Training continuously names the updates done. */
  epoch = gs_phase_epoch (s->phase, s->epoch);
  if (gs_session_get_training (self->session))
    /* Translators: the status line; %ld is the epoch. */
    status = g_strdup_printf (_("Epoch %ld · training"), s->epoch);
  else if (s->phase == GS_PHASE_FORWARD && s->decode == GS_DECODE_GREEDY)
    /* Translators: the status line of an evaluation pass of an encoder–decoder
     * task (greedy decoding); %ld is the updates so far, then the part
     * ("encoder" or "decoder") and the timestep. */
    status = g_strdup_printf (_("After epoch %ld · greedy evaluation · %s t = %d"), s->epoch,
                              s->part == GS_PART_DECODER ? _("decoder") : _("encoder"),
                              s->part == GS_PART_DECODER ? s->t_fwd - 1 - s->T_enc : s->t_fwd - 1);
  else if (s->phase == GS_PHASE_FORWARD && s->part == GS_PART_ENCODER)
    /* Translators: the status line of an encoder–decoder task; the epoch, then the timestep. */
    status = g_strdup_printf (_("Epoch %ld · encoder forward t = %d"), epoch, s->t_fwd - 1);
  else if (s->phase == GS_PHASE_FORWARD && s->part == GS_PART_DECODER)
    /* Translators: the status line of an encoder–decoder task; the epoch, then the timestep. */
    status = g_strdup_printf (_("Epoch %ld · decoder forward t = %d"), epoch, s->t_fwd - 1 - s->T_enc);
  else if (s->phase == GS_PHASE_BACKWARD && s->part == GS_PART_DECODER)
    /* Translators: the status line of an encoder–decoder task; the epoch, then the timestep. */
    status = g_strdup_printf (_("Epoch %ld · decoder backward t = %d"), epoch, s->t_bwd - s->T_enc);
  else if (s->phase == GS_PHASE_BACKWARD && s->part == GS_PART_ENCODER)
    /* Translators: the status line of an encoder–decoder task; the epoch, then the timestep. */
    status = g_strdup_printf (_("Epoch %ld · encoder backward t = %d"), epoch, s->t_bwd);
  else if (s->phase == GS_PHASE_FORWARD)
    /* Translators: the status line; the epoch, then the timestep just computed. */
    status = g_strdup_printf (_("Epoch %ld · forward t = %d"), epoch, s->t_fwd - 1);
  else if (s->phase == GS_PHASE_BACKWARD)
    /* Translators: the status line; the epoch, then the timestep the gradient reached. */
    status = g_strdup_printf (_("Epoch %ld · backward t = %d"), epoch, s->t_bwd);
  else if (s->phase == GS_PHASE_UPDATED && self->solved_epoch >= 0 && s->epoch == self->solved_epoch
           && self->solved_on_training)
    /* Translators: the status line after "Train until solved" stopped on a
     * task with nothing held out (hello); %ld is the epoch. */
    status = g_strdup_printf (_("Epoch %ld · solved on the training sequence"), epoch);
  else if (s->phase == GS_PHASE_UPDATED && self->solved_epoch >= 0 && s->epoch == self->solved_epoch)
    /* Translators: the status line after "Train until solved" stopped; %ld is the epoch. */
    status = g_strdup_printf (_("Epoch %ld · solved on the held-out check"), epoch);
  else if (s->phase == GS_PHASE_UPDATED)
    status = g_strdup_printf (_("Epoch %ld · update"), epoch);
  else
    status = g_strdup_printf (_("Epoch %ld · ready"), epoch);
  gtk_label_set_label (self->status_label, status);
  /* Teacher forcing | Greedy, for tasks with a decoder only */
  gtk_widget_set_visible (self->decode_box, s->T_dec > 0);

  if (isfinite (s->loss))
    /* Translators: the loss in the status line. */
    loss = g_strdup_printf (_("loss %.3f"), (double) s->loss);
  else
    loss = g_strdup (_("loss —"));
  gtk_label_set_label (self->loss_label, loss);

  input = input_text (s, self->timestep);
  if (self->timestep < 0)
    caption = g_strdup (_("The cell"));
  else
    /* Translators: caption of the cell view: the timestep and the input
     * character. The layer and values/gradients show on the toggle buttons
     * beside it (and in the view itself), so that the caption fits. */
    caption = g_strdup_printf (_("The cell at t = %d, input “%s”"), self->timestep, input);
  if (self->timestep >= 0)
    /* Translators: the cell view's caption where the longer one would not
     * fit beside the buttons (the input shows in the view itself). */
    short_caption = g_strdup_printf (_("The cell at t = %d"), self->timestep);
  _gs_window_set_cell_caption (self, caption, short_caption);

  gs_window_update_hint (self, s);
}

/* The loss plot follows the session's history: only the points new since
 * it last looked are appended; a new run (a reset) starts over. */
static void
gs_window_update_plot (GsWindow *self)
{
  guint run = gs_session_get_run (self->session);

  g_assert (GS_IS_WINDOW (self));

  if (run != self->plotted_run)
    {
      gs_loss_plot_clear (self->loss_plot);
      self->plotted_run = run;
    }
  gs_loss_plot_follow (self->loss_plot, gs_session_get_history (self->session));
  if (gs_session_get_snap (self->session) != NULL)
    {
      const GsSnapshot *s = gs_snap_get (gs_session_get_snap (self->session));
      gs_loss_plot_set_validation (self->loss_plot, s->validation.points, s->validation.n);
    }
}

void
gs_window_on_snap (GsWindow   *self,
                   GParamSpec *pspec,
                   GsSession  *session)
{
  /* the recording the epoch scrubber shows, else the run (gs-window-scrubber.c) */
  GsSnap *snap = self->scrub_snap != NULL ? self->scrub_snap : gs_session_get_snap (session);
  const GsSnapshot *s;
  gboolean moved, regression;

  g_assert (GS_IS_WINDOW (self));

  if (snap == NULL)
    return;
  s = gs_snap_get (snap);
  self->n_snapshots++;

  gs_window_build_heatmaps (self, s);

  /* The layer selector offers the layers there are. */
  for (int k = 0; k < GS_WINDOW_MAX_LAYERS; k++)
    gtk_widget_set_visible (self->layer_buttons[k], k < s->cfg.L);
  gtk_widget_set_visible (self->layer_box, s->cfg.L > 1);
  if (self->layer >= s->cfg.L)
    gs_window_set_layer (self, s->cfg.L - 1);

  /* Bidirectional layers: the cell view shows either direction. */
  gtk_widget_set_visible (GTK_WIDGET (self->reverse_button), s->D == 2);
  if (s->D != 2)
    gtk_toggle_button_set_active (self->reverse_button, FALSE);

  gs_view_set_snap (GS_VIEW (self->unrolled_view), snap);
  gs_view_set_snap (GS_VIEW (self->cell_view), snap);
  gs_view_set_snap (GS_VIEW (self->prediction_bars), snap);
  gs_view_set_snap (GS_VIEW (self->series_plot), snap);
  /* A regression task answers with numbers: plot them over time instead
   * of a softmax. */
  regression = s->cfg.loss == GS_LOSS_MSE;
  gtk_widget_set_visible (GTK_WIDGET (self->series_plot), regression);
  gtk_widget_set_visible (GTK_WIDGET (self->prediction_bars), !regression);
  gs_view_set_snap (GS_VIEW (self->gradient_view), snap);
  /* Token tasks only: the embedding, or the one-hot vector. */
  gtk_widget_set_visible (GTK_WIDGET (self->embedding_view), s->cfg.input != GS_INPUT_DENSE);
  gs_view_set_snap (GS_VIEW (self->embedding_view), snap);
  gs_generate_panel_set_snap (self->generate_panel, snap);
  gtk_widget_set_visible (GTK_WIDGET (self->generate_panel),
                          gs_generate_panel_get_available (self->generate_panel));
  gs_classify_panel_set_snap (self->classify_panel, snap);
  gtk_widget_set_visible (GTK_WIDGET (self->classify_panel),
                          gs_classify_panel_get_available (self->classify_panel));
  for (guint i = 0; i < self->heatmaps->len; i++)
    gs_view_set_snap (GS_VIEW (g_ptr_array_index (self->heatmaps, i)), snap);

  /* Follow the engine's cursor when it moved; a timestep the user clicked
   * stays while training repeats the same cursor. Gradients show by
   * themselves in the backward pass and hide in the forward pass. */
  moved = self->follow_cursor || (int) s->phase != self->cursor_phase ||
          s->t_fwd != self->cursor_t_fwd || s->t_bwd != self->cursor_t_bwd;
  if (moved)
    {
      if ((int) s->phase != self->cursor_phase || self->follow_cursor)
        {
          if (s->phase == GS_PHASE_BACKWARD)
            gs_window_set_show_gradients (self, TRUE);
          else if (s->phase == GS_PHASE_FORWARD || s->phase == GS_PHASE_IDLE)
            gs_window_set_show_gradients (self, FALSE);
        }
      gs_window_set_timestep (self, cursor_timestep (s));
    }
  self->follow_cursor = FALSE;
  self->cursor_phase = (int) s->phase;
  self->cursor_t_fwd = s->t_fwd;
  self->cursor_t_bwd = s->t_bwd;

  gs_window_update_plot (self);
  gs_window_update_status (self);
  gs_window_update_actions (self);
}

/* ───────────────────────── generation ───────────────────────── */

/* A step of generation: the views show the generating model at the
 * character just fed, at its last timestep; the run's next snapshot puts
 * them back on training. */
static void
on_generate_step (GsWindow *self,
                  GsSnap   *snap,
                  gpointer  panel)
{
  const GsSnapshot *s = gs_snap_get (snap);

  g_assert (GS_IS_WINDOW (self));

  gs_view_set_snap (GS_VIEW (self->unrolled_view), snap);
  gs_view_set_snap (GS_VIEW (self->cell_view), snap);
  gs_view_set_snap (GS_VIEW (self->prediction_bars), snap);
  gs_view_set_snap (GS_VIEW (self->gradient_view), snap);
  gs_view_set_snap (GS_VIEW (self->embedding_view), snap);
  for (guint i = 0; i < self->heatmaps->len; i++)
    gs_view_set_snap (GS_VIEW (g_ptr_array_index (self->heatmaps, i)), snap);
  gs_window_set_show_gradients (self, FALSE);
  gs_window_set_timestep (self, s->T - 1);
  self->follow_cursor = TRUE;
  {
    g_autofree char *input = input_text (s, s->T - 1);
    /* Translators: caption of the cell view while generating: the timestep and the character fed in. */
    g_autofree char *caption = g_strdup_printf (_("Generating: the cell at t = %d reads “%s”"), s->T - 1, input);
    g_autofree char *short_caption = g_strdup_printf (_("The cell at t = %d"), s->T - 1);

    _gs_window_set_cell_caption (self, caption, short_caption);
  }
  gtk_label_set_label (self->hint_label,
                       _("Generating: the views show the model reading the character fed back in, and the "
                         "prediction view the distribution of the next one. Press → or Train to go back "
                         "to training."));
}

/* ───────────────────────── set-up ───────────────────────── */

/* The direction of a bidirectional layer the views show: the cell, the
 * box outlined in the unrolled view and the heatmaps follow the toggle. */
static void
on_reverse_toggled (GsWindow        *self,
                    GtkToggleButton *button)
{
  const int direction = gtk_toggle_button_get_active (button) ? 1 : 0;

  gs_cell_view_set_direction (self->cell_view, direction);
  gs_unrolled_view_set_direction (self->unrolled_view, direction);
  for (guint i = 0; i < self->heatmaps->len; i++)
    gs_heatmap_set_direction (GS_HEATMAP (g_ptr_array_index (self->heatmaps, i)), direction);
}

/* A click on a box of the unrolled view selects its layer and direction. */
static void
on_box_activated (GsWindow       *self,
                  int             layer,
                  int             direction,
                  GsUnrolledView *view)
{
  g_assert (GS_IS_WINDOW (self));

  gs_window_set_layer (self, layer);
  if (gtk_widget_get_visible (GTK_WIDGET (self->reverse_button)))
    gtk_toggle_button_set_active (self->reverse_button, direction == 1);
}

void
gs_window_init_views (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  g_signal_connect_object (self->reverse_button, "toggled",
                           G_CALLBACK (on_reverse_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->unrolled_view, "box-activated",
                           G_CALLBACK (on_box_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->unrolled_view, "timestep-activated",
                           G_CALLBACK (on_timestep_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->gradient_view, "timestep-activated",
                           G_CALLBACK (on_timestep_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generate_panel, "step",
                           G_CALLBACK (on_generate_step), self, G_CONNECT_SWAPPED);
  gs_view_set_timestep (GS_VIEW (self->unrolled_view), -1);
  gs_view_set_timestep (GS_VIEW (self->cell_view), -1);
  gs_view_set_timestep (GS_VIEW (self->prediction_bars), -1);
  gs_view_set_timestep (GS_VIEW (self->series_plot), -1);
  gs_view_set_timestep (GS_VIEW (self->gradient_view), -1);
  gs_view_set_timestep (GS_VIEW (self->embedding_view), -1);
  gs_loss_plot_set_epochs (self->loss_plot, 0);

  /* The Log Epochs button lies over the loss plot's top right (an overlay
   * child): the plot's legend stays left of it, with a gap. */
  for (GtkWidget *c = gtk_widget_get_first_child (gtk_widget_get_parent (GTK_WIDGET (self->loss_plot)));
       c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_TOGGLE_BUTTON (c))
      {
        int min, nat;

        gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
        gs_loss_plot_set_legend_inset (self->loss_plot, nat + gtk_widget_get_margin_end (c) + 8);
      }
}
