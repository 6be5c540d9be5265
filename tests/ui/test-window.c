/* test-window.c — the stepping window, driven in-process under a display.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Creates the real GsApplication and GsWindow and drives it the way a user
 * does, through its win.* actions; after each command gs_session_sync ()
 * waits for the worker thread's answer. Then it checks what the user sees
 * against the snapshot the views were given: the status line, the views'
 * shared timestep and layer, the unrolled view's highlighted column (an
 * offscreen render, pixel by pixel), the gradient bars, the heatmap grid,
 * the loss plot, the toasts. Run it under Xvfb (make check does).
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gs-application.h"
#include "gs-cell-view.h"
#include "gs-embedding-view.h"
#include "gs-generate.h"
#include "gs-generate-panel.h"
#include "gs-gradient-view.h"
#include "gs-heatmap.h"
#include "gs-intervene.h"
#include "gs-loss-plot.h"
#include "gs-prediction-bars.h"
#include "gs-recipe.h"
#include "gs-code-panel.h"
#include "gs-shapes-panel.h"
#include "gs-renderer.h"
#include "gs-series-plot.h"
#include "gs-ui-test-window.h"
#include "gs-view-text.h"
#include "gs-session.h"
#include "gs-unrolled-view.h"
#include "gs-variant-table.h"
#include "gs-settings-panel.h"
#include "gs-window.h"
#include "gs-stepper.h"
#include "gs-session-file.h"
#include "gs-window-private.h"   /* gs_window_settings_set_task_file () */

static GsApplication *app;  /* one per process: a GApplication registers once */
static gboolean renderer_was_set;   /* GSK_RENDERER came from the caller */

/* ───────────────────────── window helpers ───────────────────────── */

static void
activate (GsWindow   *win,
          const char *action)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (win), action, NULL))
    g_error ("action %s could not be activated", action);
}

/* Activates `action` `n` times, waiting for each answer. */
static void
press (GsWindow   *win,
       const char *action,
       int         n)
{
  for (int i = 0; i < n; i++)
    {
      activate (win, action);
      gs_ui_test_sync (win);
    }
}

static const char *
status_text (GsWindow *win)
{
  return gtk_label_get_label (gs_ui_test_child (win, "status_label"));
}

/* Every view shows timestep t and layer k. */
static void
check_views_at (GsWindow *win,
                int       t,
                int       k)
{
  g_assert_cmpint (gs_window_get_timestep (win), ==, t);
  g_assert_cmpint (gs_view_get_timestep (GS_VIEW (gs_ui_test_child (win, "unrolled_view"))), ==, t);
  g_assert_cmpint (gs_view_get_timestep (GS_VIEW (gs_ui_test_child (win, "cell_view"))), ==, t);
  g_assert_cmpint (gs_view_get_timestep (GS_VIEW (gs_ui_test_child (win, "prediction_bars"))), ==, t);
  g_assert_cmpint (gs_view_get_timestep (GS_VIEW (gs_ui_test_child (win, "gradient_view"))), ==, t);
  g_assert_cmpint (gs_window_get_layer (win), ==, k);
  g_assert_cmpint (gs_view_get_layer (GS_VIEW (gs_ui_test_child (win, "unrolled_view"))), ==, k);
  g_assert_cmpint (gs_view_get_layer (GS_VIEW (gs_ui_test_child (win, "cell_view"))), ==, k);
  g_assert_cmpint (gs_view_get_layer (GS_VIEW (gs_ui_test_child (win, "gradient_view"))), ==, k);
  for (GtkWidget *c = gtk_widget_get_first_child (gs_ui_test_child (win, "heatmap_box")); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GsHeatmap *map = GS_HEATMAP (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c)));

      g_assert_cmpint (gs_view_get_timestep (GS_VIEW (map)), ==, t);
      g_assert_cmpint (gs_view_get_layer (GS_VIEW (map)), ==, k);
    }
}

/* The heatmaps' quantities in order, joined by spaces: "i f g o c h dh". */
static char *
heatmap_quantities (GsWindow *win)
{
  GString *s = g_string_new (NULL);

  for (GtkWidget *c = gtk_widget_get_first_child (gs_ui_test_child (win, "heatmap_box")); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GsHeatmap *map = GS_HEATMAP (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c)));

      if (s->len > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, gs_heatmap_get_quantity (map));
    }
  return g_string_free (s, FALSE);
}

/* ───────────────────────── rendering helpers ───────────────────────── */

/* The unrolled view frames column `t` in the accent colour, and no other:
 * half-way down, accent pixels at the left edge of t's column rectangle
 * (within the frame's width and its anti-aliasing), none at the others'. */
static void
check_highlighted_column (GsWindow *win,
                          int       t)
{
  GsUnrolledView *view = gs_ui_test_child (win, "unrolled_view");
  GdkRGBA accent = gs_ui_test_named_color (GTK_WIDGET (view), "accent_color");
  g_autofree char *name = g_strdup_printf ("window-unrolled-t%d", t);
  g_autoptr(GsUiImage) image = gs_ui_test_render (GTK_WIDGET (view), name, GS_UI_RENDER_WAIT_FRAMES);
  int T = gs_ui_test_snapshot (win)->T;

  for (int c = 0; c < T; c++)
    {
      graphene_rect_t r;
      int y, hits = 0;

      g_assert_true (gs_unrolled_view_get_column_rect (view, c, &r));
      y = (int) (r.origin.y + r.size.height / 2);
      for (int x = (int) r.origin.x - 3; x <= (int) r.origin.x + 5; x++)
        hits += gs_ui_test_is_color (image, x, y, &accent, 8);
      g_test_message ("column %d at x = %g: %d accent pixels on its left edge", c, r.origin.x, hits);
      if (c == t)
        g_assert_cmpint (hits, >=, 2);
      else
        g_assert_cmpint (hits, ==, 0);
    }
}

/* ───────────────────────── the tests ───────────────────────── */

/* The window opens on the hello task with an LSTM ready to step. */
static void
test_window_opens_ready (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  const GsTrainConfig *config = gs_session_get_config (gs_ui_test_session (win));
  const GsSnapshot *s = gs_ui_test_snapshot (win);
  g_autofree char *maps = heatmap_quantities (win);
  AdwViewSwitcherTitle *title = gs_ui_test_child (win, "switcher_title");

  g_assert_cmpstr (config->task, ==, "hello");
  g_assert_cmpint (config->cell, ==, GS_CELL_LSTM);
  g_assert_cmpint (s->phase, ==, GS_PHASE_IDLE);
  g_assert_cmpint (s->T, ==, 5);
  g_assert_cmpstr (status_text (win), ==, "Epoch 0 · ready");
  g_assert_cmpstr (gtk_label_get_label (gs_ui_test_child (win, "loss_label")), ==, "loss —");
  g_assert_nonnull (strstr (gtk_label_get_label (gs_ui_test_child (win, "hint_label")), "Press →"));
  g_assert_cmpstr (adw_view_switcher_title_get_title (title), ==, "Gatescope");
  g_assert_nonnull (strstr (adw_view_switcher_title_get_subtitle (title), "LSTM"));
  g_assert_cmpstr (maps, ==, "i f g o c h dh");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (gs_ui_test_child (win, "view_stack")), ==, "step");
  /* Two layers: the layer selector shows; nothing computed: no timestep. */
  g_assert_true (gtk_widget_get_visible (gs_ui_test_child (win, "layer_box")));
  check_views_at (win, -1, 0);

  /* Nothing to undo yet: ← is disabled (its button with it). */
  g_assert_false (gtk_widget_get_sensitive (gs_ui_test_child (win, "back_button")));
  g_assert_true (gtk_widget_get_sensitive (gs_ui_test_child (win, "forward_button")));

  gtk_window_destroy (GTK_WINDOW (win));
}

/* → three times: forward t = 2 everywhere; ← : t = 1. */
static void
test_window_step_forward_and_back (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  const GsSnapshot *s;
  g_autofree char *expected = NULL;
  g_autofree char *expected_back = NULL;

  press (win, "win.step-forward", 3);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->phase, ==, GS_PHASE_FORWARD);
  g_assert_cmpint (s->t_fwd, ==, 3);
  expected = g_strdup_printf ("Epoch %ld · forward t = %d", s->epoch + 1, s->t_fwd - 1);
  g_assert_cmpstr (status_text (win), ==, expected);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · forward t = 2");
  check_views_at (win, 2, 0);
  g_assert_false (gs_cell_view_get_show_gradients (gs_ui_test_child (win, "cell_view")));
  /* The loss so far, as the snapshot has it. */
  {
    g_autofree char *loss = g_strdup_printf ("loss %.3f", (double) s->loss);

    g_assert_true (isfinite (s->loss));
    g_assert_cmpstr (gtk_label_get_label (gs_ui_test_child (win, "loss_label")), ==, loss);
  }
  check_highlighted_column (win, 2);

  /* ← is possible now, and takes the cursor back. */
  g_assert_true (gtk_widget_get_sensitive (gs_ui_test_child (win, "back_button")));
  press (win, "win.step-back", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->t_fwd, ==, 2);
  expected_back = g_strdup_printf ("Epoch %ld · forward t = %d", s->epoch + 1, 1);
  g_assert_cmpstr (status_text (win), ==, expected_back);
  check_views_at (win, 1, 0);
  check_highlighted_column (win, 1);

  gtk_window_destroy (GTK_WINDOW (win));
}

/* Past the end of the sequence → runs the backward pass: gradients show. */
static void
test_window_backward (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GsGradientView *grad = gs_ui_test_child (win, "gradient_view");
  const GsSnapshot *s;
  graphene_rect_t r;
  int T = gs_ui_test_snapshot (win)->T;

  press (win, "win.step-forward", T);
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, ==, T);
  g_assert_false (gs_gradient_view_get_norm_rect (grad, T - 1, "dh", &r));

  press (win, "win.step-forward", 2);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->phase, ==, GS_PHASE_BACKWARD);
  g_assert_cmpint (s->t_bwd, ==, T - 2);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · backward t = 3");
  check_views_at (win, T - 2, 0);
  /* Gradients show by themselves going backward. */
  g_assert_true (gs_cell_view_get_show_gradients (gs_ui_test_child (win, "cell_view")));
  g_assert_true (gtk_toggle_button_get_active (gs_ui_test_child (win, "gradients_button")));
  /* The gradient view has bars where backward has been, none before. */
  g_assert_true (gs_gradient_view_get_norm_rect (grad, T - 1, "dh", &r));
  g_assert_cmpfloat (r.size.height, >, 0.0f);
  g_assert_true (gs_gradient_view_get_norm_rect (grad, T - 2, "dh", &r));
  g_assert_true (gs_gradient_view_get_norm_rect (grad, T - 2, "dc", &r));
  g_assert_false (gs_gradient_view_get_norm_rect (grad, 0, "dh", &r));

  /* The toggle turns them off, and G on again. */
  activate (win, "win.show-gradients");
  g_assert_false (gs_cell_view_get_show_gradients (gs_ui_test_child (win, "cell_view")));
  activate (win, "win.show-gradients");
  g_assert_true (gs_cell_view_get_show_gradients (gs_ui_test_child (win, "cell_view")));

  /* ← in the backward pass. */
  press (win, "win.step-back", 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_bwd, ==, T - 1);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · backward t = 4");

  /* To the update: epoch 1, one point on the loss curve. */
  press (win, "win.step-forward", T);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->phase, ==, GS_PHASE_UPDATED);
  g_assert_cmpint (s->epoch, ==, 1);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · update");
  g_assert_cmpuint (gs_loss_plot_get_n_points (gs_ui_test_child (win, "loss_plot")), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (gs_ui_test_child (win, "back_button")));

  gtk_window_destroy (GTK_WINDOW (win));
}

/* The encoder–decoder task steps through a whole training step: the
 * encoder's timesteps, the decoder's with its targets and predictions,
 * backward through the decoder then the encoder, the update; the status
 * line says which part runs, and the numbers are the engine's stepper's. */
static void
test_window_seq2seq (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GsTrainConfig config;
  GsStepper *ref;
  GsError err = { { 0 } };
  const GsSnapshot *s;
  g_autofree char *status = NULL;
  int T, M;

  gs_train_config_default (&config);
  g_strlcpy (config.task, "seq2seq:kind=date", sizeof config.task);
  config.cell = GS_CELL_GRU;
  gs_window_reset_session (win, &config);
  gs_ui_test_sync (win);
  ref = gs_stepper_new (&config, &err);
  g_assert_nonnull (ref);
  T = ref->trainer->model->T;
  M = ref->trainer->decoder->T;
  g_assert_cmpint (T, ==, 10);
  g_assert_cmpint (M, ==, 10);

  /* The encoder reads the date; no loss yet. */
  press (win, "win.step-forward", T);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->part, ==, GS_PART_ENCODER);
  g_assert_cmpint (s->t_fwd, ==, T);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · encoder forward t = 9");
  g_assert_false (isfinite (s->loss));
  g_assert_cmpstr (gtk_label_get_label (gs_ui_test_child (win, "loss_label")), ==, "loss —");

  /* The decoder writes the answer from <s>, a target at every step. */
  press (win, "win.step-forward", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->part, ==, GS_PART_DECODER);
  /* one sequence of T + M columns: the decoder's start right after the encoder's */
  g_assert_cmpint (s->T, ==, T + M);
  g_assert_cmpint (s->t_fwd, ==, T + 1);
  g_assert_cmpstr (s->task->vocab[s->tokens[T]], ==, "<s>");
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · decoder forward t = 0");
  check_views_at (win, T, gs_window_get_layer (win));
  press (win, "win.step-forward", M - 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->t_fwd, ==, T + M);
  for (int t = 0; t < T + M; t++)
    g_assert_cmpint (s->targets[t] >= 0, ==, t >= T);
  for (int i = 0; i < T + M; i++)
    g_assert_cmpint (gs_stepper_step (ref, &err), ==, GS_OK);
  g_assert_cmpfloat (s->loss, ==, gs_stepper_loss (ref));
  g_assert_cmpstr (gtk_label_get_label (gs_ui_test_child (win, "loss_label")), !=, "loss —");

  /* Backward through the decoder, then the encoder. */
  press (win, "win.step-forward", M);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->phase, ==, GS_PHASE_BACKWARD);
  g_assert_cmpint (s->part, ==, GS_PART_DECODER);
  g_assert_cmpint (s->t_bwd, ==, T);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · decoder backward t = 0");
  press (win, "win.step-forward", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->part, ==, GS_PART_ENCODER);
  g_assert_cmpint (s->t_bwd, ==, T - 1);
  status = g_strdup_printf ("Epoch 1 · encoder backward t = %d", T - 1);
  g_assert_cmpstr (status_text (win), ==, status);
  /* ← and → again inside the encoder's backward pass. */
  press (win, "win.step-back", 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->part, ==, GS_PART_DECODER);
  press (win, "win.step-forward", T);
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_bwd, ==, 0);

  /* The update: epoch 1, one point on the curve, the stepper's loss. */
  press (win, "win.step-forward", 1);
  for (int i = 0; i < T + M + 1; i++)
    g_assert_cmpint (gs_stepper_step (ref, &err), ==, GS_OK);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->phase, ==, GS_PHASE_UPDATED);
  g_assert_cmpint (s->epoch, ==, 1);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · update");
  g_assert_cmpuint (gs_loss_plot_get_n_points (gs_ui_test_child (win, "loss_plot")), ==, 1);
  g_assert_cmpfloat (gs_history_point (gs_session_get_history (gs_ui_test_session (win)), 0)->loss_mean, ==,
                     ref->trainer->last_loss);

  /* Enter trains whole steps from there. */
  press (win, "win.train-step", 3);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 4);

  gs_stepper_free (ref);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The Teacher forcing | Greedy toggle of an encoder–decoder task: shown
 * for it only; Greedy on a fresh sequence makes its pass an evaluation
 * pass at once (forward only, each decoder step fed its own prediction),
 * → after its last step goes on to the next sequence, Train Step still
 * trains (by teacher forcing), and Teacher forcing again holds from the
 * next sequence on. */
static void
test_window_seq2seq_greedy (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GtkWidget *box = gs_ui_test_find_named (GTK_WIDGET (win), "decode_box");
  GsTrainConfig config;
  const GsSnapshot *s;
  int T, M;

  gs_train_config_default (&config);
  g_strlcpy (config.task, "hello", sizeof config.task);
  gs_window_reset_session (win, &config);
  gs_ui_test_sync (win);
  g_assert_nonnull (box);
  g_assert_false (gtk_widget_get_visible (box));

  g_strlcpy (config.task, "seq2seq:length=4", sizeof config.task);
  config.cell = GS_CELL_GRU;
  gs_window_reset_session (win, &config);
  gs_ui_test_sync (win);
  g_assert_true (gtk_widget_get_visible (box));
  g_assert_cmpint (gs_ui_test_snapshot (win)->decode, ==, GS_DECODE_TEACHER);
  /* in the scrubber's row, where it does not widen the window past a
   * 1024-pixel screen (test-window-size measures it without the toggle) */
  {
    int min_width;

    gtk_widget_measure (GTK_WIDGET (win), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
    g_test_message ("minimum width with the decode toggle: %d", min_width);
    g_assert_cmpint (min_width, <=, 1024);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.decode", "s", "greedy"));
  gs_ui_test_sync (win);
  s = gs_ui_test_snapshot (win);
  T = s->T_enc;
  M = s->T_dec;
  g_assert_cmpint (s->decode, ==, GS_DECODE_GREEDY);
  /* Teacher forcing, then Greedy: the second pressed */
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gtk_widget_get_first_child (box))));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gtk_widget_get_last_child (box))));
  g_assert_cmpstr (gs_unrolled_view_decoder_caption (s), ==,
                   "Greedy decoding (evaluation): decoder input = its own prediction of t − 1; "
                   "red where that is not the target");

  /* The whole pass: forward only; each decoder input the prediction before. */
  press (win, "win.step-forward", T + 2);
  g_assert_cmpstr (status_text (win), ==, "After epoch 0 · greedy evaluation · decoder t = 1");
  press (win, "win.step-forward", M - 2);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->phase, ==, GS_PHASE_FORWARD);
  g_assert_cmpint (s->t_fwd, ==, T + M);
  for (int t = T + 1; t < T + M; t++)
    g_assert_cmpint (s->tokens[t], ==, gs_view_predicted_class (s, t - 1));
  g_assert_nonnull (strstr (gtk_label_get_label (gs_ui_test_child (win, "hint_label")), "no backward pass"));
  /* → : the next sequence's first step, still greedy; no update made */
  press (win, "win.step-forward", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->phase, ==, GS_PHASE_FORWARD);
  g_assert_cmpint (s->t_fwd, ==, 1);
  g_assert_cmpint (s->decode, ==, GS_DECODE_GREEDY);
  g_assert_cmpint (s->epoch, ==, 0);

  /* Train Step trains, by teacher forcing. */
  press (win, "win.train-step", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->epoch, ==, 1);
  g_assert_cmpint (s->phase, ==, GS_PHASE_UPDATED);
  g_assert_cmpint (s->decode, ==, GS_DECODE_TEACHER);

  /* Teacher forcing again: the next sequence trains as before. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.decode", "s", "teacher"));
  gs_ui_test_sync (win);
  press (win, "win.step-forward", T + M + 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->decode, ==, GS_DECODE_TEACHER);
  g_assert_cmpint (s->phase, ==, GS_PHASE_BACKWARD);

  /* A new run starts by teacher forcing, the toggle with it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.decode", "s", "greedy"));
  gs_ui_test_sync (win);
  gs_window_reset_session (win, &config);
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->decode, ==, GS_DECODE_TEACHER);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gtk_widget_get_first_child (box))));
  press (win, "win.step-forward", T + M + 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->phase, ==, GS_PHASE_BACKWARD);
}

/* One whole training step, then another in the middle of a sequence. */
static void
test_window_train_step (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GsLossPlot *plot = gs_ui_test_child (win, "loss_plot");
  const GsSnapshot *s;

  press (win, "win.train-step", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->epoch, ==, 1);
  g_assert_cmpint (s->phase, ==, GS_PHASE_UPDATED);
  g_assert_cmpint (s->n_updates, ==, 1);
  g_assert_cmpuint (gs_loss_plot_get_n_points (plot), ==, 1);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · update");

  /* Two steps into the next sequence, Enter finishes it. */
  press (win, "win.step-forward", 2);
  press (win, "win.train-step", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->epoch, ==, 2);
  g_assert_cmpuint (gs_loss_plot_get_n_points (plot), ==, 2);

  gtk_window_destroy (GTK_WINDOW (win));
}

static gboolean
reached_t3 (gpointer data)
{
  GsSnap *snap = gs_session_get_snap (gs_window_get_session (data));

  return snap != NULL && gs_snap_get (snap)->t_fwd >= 3;
}

/* Play steps forward by itself, one step per tick, never queueing up. */
static void
test_window_play (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  gboolean playing = FALSE;

  gtk_spin_button_set_value (gs_ui_test_child (win, "speed_spin"), 30.0);
  activate (win, "win.play");
  g_object_get (win, "playing", &playing, NULL);
  g_assert_true (playing);
  g_assert_true (gtk_toggle_button_get_active (gs_ui_test_child (win, "play_button")));

  gs_ui_test_wait_for (reached_t3, win, "play to reach t = 2");
  activate (win, "win.play");
  g_object_get (win, "playing", &playing, NULL);
  g_assert_false (playing);
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, >=, 3);
  g_assert_cmpint (gs_window_get_timestep (win), ==, gs_ui_test_snapshot (win)->t_fwd - 1);

  /* Stopped: nothing moves any more. */
  {
    int t_fwd = gs_ui_test_snapshot (win)->t_fwd;

    for (int i = 0; i < 10; i++)
      {
        g_usleep (20000);
        gs_ui_test_flush_main_loop ();
      }
    g_assert_false (gs_session_get_busy (gs_ui_test_session (win)));
    g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, ==, t_fwd);
  }

  gtk_window_destroy (GTK_WINDOW (win));
}

static gboolean
trained_20 (gpointer data)
{
  GsSnap *snap = gs_session_get_snap (gs_window_get_session (data));

  return snap != NULL && gs_snap_get (snap)->epoch >= 20;
}

/* Train on, then off: the epochs went up and the plot mirrors the history;
 * Ctrl+R's reset empties it. */
static void
test_window_train_and_reset (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GsLossPlot *plot = gs_ui_test_child (win, "loss_plot");
  const GsSnapshot *s;

  activate (win, "win.train");
  g_assert_true (gs_window_get_training (win));
  g_assert_true (gtk_toggle_button_get_active (gs_ui_test_child (win, "train_button")));
  gs_ui_test_wait_for (trained_20, win, "20 epochs of training");
  g_assert_nonnull (strstr (status_text (win), "training"));
  activate (win, "win.train");
  gs_ui_test_sync (win);
  g_assert_false (gs_window_get_training (win));
  g_assert_false (gtk_toggle_button_get_active (gs_ui_test_child (win, "train_button")));

  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->epoch, >=, 20);
  g_assert_cmpint (s->n_updates, ==, s->epoch);
  g_assert_cmpuint (gs_loss_plot_get_n_points (plot), ==, (guint) s->n_updates);
  /* Trained: the loss went down. */
  {
    const GsHistory *h = gs_session_get_history (gs_window_get_session (win));
    g_assert_cmpint (gs_history_count (h), ==, s->epoch);
    g_assert_cmpfloat (gs_history_point (h, gs_history_n_points (h) - 1)->loss_mean, <,
                       gs_history_point (h, 0)->loss_mean);
  }
  {
    g_autofree char *expected = g_strdup_printf ("Epoch %ld · update", s->epoch);

    g_assert_cmpstr (status_text (win), ==, expected);
  }

  /* Reset (Ctrl+R): a fresh run. */
  press (win, "win.reset", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->epoch, ==, 0);
  g_assert_cmpint (s->phase, ==, GS_PHASE_IDLE);
  g_assert_cmpuint (gs_loss_plot_get_n_points (plot), ==, 0);
  g_assert_cmpstr (status_text (win), ==, "Epoch 0 · ready");
  check_views_at (win, -1, 0);

  /* And a new point after it, on an empty plot. */
  press (win, "win.train-step", 1);
  g_assert_cmpuint (gs_loss_plot_get_n_points (plot), ==, 1);

  gtk_window_destroy (GTK_WINDOW (win));
}

/* The settings panel: a GRU has r, z, n and no c; one layer hides the
 * layer selector; the choice is saved. */
static void
test_window_settings_gru (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *maps = NULL;
  g_autofree char *saved = NULL;
  const GsSnapshot *s;

  activate (win, "win.settings");
  g_assert_true (adw_flap_get_reveal_flap (gs_ui_test_child (win, "settings_flap")));

  adw_combo_row_set_selected (gs_ui_test_child (win, "cell_row"), GS_CELL_GRU);
  gtk_spin_button_set_value (gs_ui_test_child (win, "layers_spin"), 1);
  gtk_spin_button_set_value (gs_ui_test_child (win, "hidden_spin"), 6);
  press (win, "win.apply-settings", 1);

  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->cfg.cell, ==, GS_CELL_GRU);
  g_assert_cmpint (s->cfg.L, ==, 1);
  g_assert_cmpint (s->cfg.H, ==, 6);
  g_assert_cmpstr (s->gates, ==, "rzn");
  maps = heatmap_quantities (win);
  g_assert_cmpstr (maps, ==, "r z n h dh");
  g_assert_false (gtk_widget_get_visible (gs_ui_test_child (win, "layer_box")));
  g_assert_nonnull (strstr (adw_view_switcher_title_get_subtitle (gs_ui_test_child (win, "switcher_title")), "GRU"));
  saved = g_settings_get_string (settings, "cell");
  g_assert_cmpstr (saved, ==, "gru");
  g_assert_cmpint (g_settings_get_int (settings, "hidden"), ==, 6);

  /* It steps like any other. */
  press (win, "win.step-forward", 2);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · forward t = 1");
  check_views_at (win, 1, 0);

  /* A plain RNN: h is its one gate, shown once. */
  adw_combo_row_set_selected (gs_ui_test_child (win, "cell_row"), GS_CELL_RNN_TANH);
  press (win, "win.apply-settings", 1);
  g_clear_pointer (&maps, g_free);
  maps = heatmap_quantities (win);
  g_assert_cmpstr (maps, ==, "h dh");

  /* Defaults put the LSTM back in the panel (applied by Apply). */
  activate (win, "win.default-settings");
  press (win, "win.apply-settings", 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->cfg.cell, ==, GS_CELL_LSTM);
  g_assert_cmpint (gs_ui_test_snapshot (win)->cfg.L, ==, 2);

  g_settings_reset (settings, "cell");
  g_settings_reset (settings, "layers");
  g_settings_reset (settings, "hidden");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The largest network the settings offer: the key's range, the spin button
 * and the engine agree, and the window steps it like any other. */
static void
test_window_settings_large (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) limits = NULL;
  const char *type;
  int lo, hi;
  double spin_lo, spin_hi;

  g_object_get (settings, "settings-schema", &schema, NULL);
  key = g_settings_schema_get_key (schema, "hidden");
  range = g_settings_schema_key_get_range (key);
  g_variant_get (range, "(&sv)", &type, &limits);
  g_assert_cmpstr (type, ==, "range");
  g_variant_get (limits, "(ii)", &lo, &hi);
  g_assert_cmpint (lo, ==, 1);
  g_assert_cmpint (hi, ==, GS_WINDOW_MAX_HIDDEN);
  gtk_spin_button_get_range (gs_ui_test_child (win, "hidden_spin"), &spin_lo, &spin_hi);
  g_assert_cmpfloat (spin_lo, ==, 1.0);
  g_assert_cmpfloat (spin_hi, ==, GS_WINDOW_MAX_HIDDEN);

  activate (win, "win.settings");
  /* hello's Adam at 0.05 suits 8 units; under the rate, a hint for big networks */
  gtk_spin_button_set_value (gs_ui_test_child (win, "lr_spin"), 0.05);
  adw_combo_row_set_selected (gs_ui_test_child (win, "optimizer_row"), GS_OPT_ADAM);
  gtk_spin_button_set_value (gs_ui_test_child (win, "hidden_spin"), 127);
  g_assert_cmpstr (adw_action_row_get_subtitle (gs_ui_test_child (win, "lr_row")), ==, "");
  gtk_spin_button_set_value (gs_ui_test_child (win, "hidden_spin"), 128);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (gs_ui_test_child (win, "lr_row")), "0.005"));
  gtk_spin_button_set_value (gs_ui_test_child (win, "lr_spin"), 0.005);
  g_assert_cmpstr (adw_action_row_get_subtitle (gs_ui_test_child (win, "lr_row")), ==, "");
  gtk_spin_button_set_value (gs_ui_test_child (win, "lr_spin"), 0.05);
  adw_combo_row_set_selected (gs_ui_test_child (win, "optimizer_row"), GS_OPT_SGD);
  g_assert_cmpstr (adw_action_row_get_subtitle (gs_ui_test_child (win, "lr_row")), ==, "");
  adw_combo_row_set_selected (gs_ui_test_child (win, "optimizer_row"), GS_OPT_RMSPROP);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (gs_ui_test_child (win, "lr_row")), "0.005"));
  adw_combo_row_set_selected (gs_ui_test_child (win, "optimizer_row"), GS_OPT_ADAM);

  gtk_spin_button_set_value (gs_ui_test_child (win, "layers_spin"), 2);
  gtk_spin_button_set_value (gs_ui_test_child (win, "hidden_spin"), GS_WINDOW_MAX_HIDDEN + 100);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (gs_ui_test_child (win, "hidden_spin")), ==, GS_WINDOW_MAX_HIDDEN);
  press (win, "win.apply-settings", 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->cfg.H, ==, GS_WINDOW_MAX_HIDDEN);
  g_assert_cmpint (g_settings_get_int (settings, "hidden"), ==, GS_WINDOW_MAX_HIDDEN);

  press (win, "win.step-forward", 3);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · forward t = 2");
  check_views_at (win, 2, 0);

  g_settings_reset (settings, "layers");
  g_settings_reset (settings, "hidden");
  g_settings_reset (settings, "optimizer");
  g_settings_reset (settings, "learning-rate");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Saved settings the engine cannot build (a text shorter than the saved
 * sequence length; or an invalid combination): the window opens on the
 * defaults, a notice says why, and the saved settings stay as they were. */
static void
test_window_saved_unusable (void)
{
  static const struct { const char *key, *value, *needle; } cases[] = {
    { "task", "'charlm:length=10000'", "needs at least 20002" },   /* a sequence to train on, one held out */
    { "task", "'nosuchtask'", "nosuchtask" },
    { "cell-variant", "'cifg,no-forget-gate'", "exclude each other" },   /* refused by validation */
    { "cell-variant", "'peephole,wormhole'", "wormhole" },   /* no such switch */
  };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) value = g_variant_parse (NULL, cases[i].value, NULL, NULL, NULL);
      g_autoptr(GsWindow) win = NULL;
      g_autofree char *saved = NULL;
      GsUiTestToast wait = { NULL, "could not be used" };
      const GsSnapshot *s;

      g_assert_nonnull (value);
      g_settings_reset (settings, "task");
      g_assert_true (g_settings_set_value (settings, cases[i].key, value));
      saved = g_settings_get_string (settings, "task");

      win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
      wait.win = win;
      gs_ui_test_wait_for (gs_ui_test_toast_shown, &wait, "a notice about the saved settings");
      if (*cases[i].needle != '\0')
        {
          wait.needle = cases[i].needle;
          g_assert_true (gs_ui_test_toast_shown (&wait));
        }
      /* The defaults run, and the panel shows them. */
      s = gs_ui_test_snapshot (win);
      g_assert_cmpstr (gs_session_get_config (gs_ui_test_session (win))->task, ==, "hello");
      g_assert_cmpint (s->cfg.cell, ==, GS_CELL_LSTM);
      g_assert_false (s->cfg.variant.cifg);
      g_assert_false (gtk_switch_get_active (gs_ui_test_child (win, "variant-cifg-switch")));
      {
        AdwComboRow *row = gs_ui_test_child (win, "task_row");
        GtkStringObject *item = adw_combo_row_get_selected_item (row);

        g_assert_cmpstr (gtk_string_object_get_string (item), ==, _(gs_task_class_find ("hello")->title));
      }
      press (win, "win.step-forward", 1);
      g_assert_cmpstr (status_text (win), ==, "Epoch 1 · forward t = 0");
      /* Nothing saved was overwritten. */
      {
        g_autofree char *now = g_settings_get_string (settings, "task");

        g_assert_cmpstr (now, ==, saved);
      }
      gtk_window_destroy (GTK_WINDOW (win));
      g_settings_reset (settings, cases[i].key);
    }
  g_settings_reset (settings, "task");
}

/* A learning rate of 0: the engine refuses it, a toast says why, and the
 * run is untouched. */
static void
test_window_settings_invalid (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GsTrainConfig before = *gs_session_get_config (gs_ui_test_session (win));
  GsUiTestToast wait = { win, "learning rate" };
  double saved_lr = g_settings_get_double (settings, "learning-rate");

  press (win, "win.step-forward", 2);
  gtk_spin_button_set_value (gs_ui_test_child (win, "lr_spin"), 0.0);
  press (win, "win.apply-settings", 1);

  gs_ui_test_wait_for (gs_ui_test_toast_shown, &wait, "a toast about the learning rate");
  g_assert_cmpmem (gs_session_get_config (gs_ui_test_session (win)), sizeof before, &before, sizeof before);
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, ==, 2);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · forward t = 1");
  g_assert_cmpfloat (g_settings_get_double (settings, "learning-rate"), ==, saved_lr);

  gtk_window_destroy (GTK_WINDOW (win));
}

/* ───────────────────────── tasks and variants in the settings ───────────────────────── */

static guint
task_index (const char *name)
{
  int n;
  const GsTaskClass *const *classes = gs_task_classes (&n);

  for (int i = 0; i < n; i++)
    if (strcmp (classes[i]->name, name) == 0)
      return (guint) i;
  g_error ("no task %s", name);
  return 0;
}

static GtkWidget *
task_param (GsWindow   *win,
            const char *key)
{
  g_autofree char *name = g_strdup_printf ("param-%s", key);
  GtkWidget *widget = gs_ui_test_find_named (gs_ui_test_child (win, "task_group"), name);

  g_assert_nonnull (widget);
  return widget;
}

/* Whether the saved variant spec (the key cell-variant) has the switch
 * flag on: "peephole" in "peephole,cell-clip=3". */
static gboolean
variant_saved (GSettings  *settings,
               const char *flag)
{
  g_autofree char *spec = g_settings_get_string (settings, "cell-variant");
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_has_prefix (parts[i], flag)
        && (parts[i][strlen (flag)] == '\0' || parts[i][strlen (flag)] == '='))
      return TRUE;
  return FALSE;
}

static void
reset_run_keys (GSettings *settings)
{
  static const char *keys[] = {
    "task", "cell", "layers", "hidden", "cell-variant",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

/* Every task is offered, with its parameters; Apply runs it. */
static void
test_window_settings_task (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *saved = NULL;
  GListModel *model = adw_combo_row_get_model (gs_ui_test_child (win, "task_row"));
  const GsSnapshot *s;
  int n;

  /* hello by default, and every engine task listed. */
  gs_task_classes (&n);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, (guint) n);
  g_assert_cmpuint (adw_combo_row_get_selected (gs_ui_test_child (win, "task_row")), ==, task_index ("hello"));
  g_assert_cmpstr (gs_ui_test_snapshot (win)->task->name, ==, "hello");

  /* The adding problem, 10 steps: dense input, T = 10. */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("adding"));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (task_param (win, "length"))), ==, 100.0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (task_param (win, "length")), 10);
  press (win, "win.apply-settings", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpstr (s->task->name, ==, "adding");
  g_assert_cmpint (s->T, ==, 10);
  g_assert_cmpint (s->cfg.input, ==, GS_INPUT_DENSE);
  g_assert_cmpstr (gs_session_get_config (gs_ui_test_session (win))->task, ==, "adding:length=10");
  g_assert_nonnull (strstr (adw_view_switcher_title_get_subtitle (gs_ui_test_child (win, "switcher_title")),
                            "adding (length 10)"));
  saved = g_settings_get_string (settings, "task");
  g_assert_cmpstr (saved, ==, "adding:length=10");
  /* It steps like hello. */
  press (win, "win.step-forward", 3);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · forward t = 2");
  /* The hint names the numbers just read, x_2, as the cell view does. */
  s = gs_ui_test_snapshot (win);
  {
    g_autofree char *x2 = g_strdup_printf ("“%.2f, %.2f”", (double) s->xs[2 * s->cfg.V],
                                           (double) s->xs[2 * s->cfg.V + 1]);
    const char *hint = gtk_label_get_label (gs_ui_test_child (win, "hint_label"));
    g_test_message ("hint: %s", hint);
    g_assert_nonnull (strstr (hint, x2));
    g_assert_null (strstr (hint, "“?”"));
  }

  /* The temporal-order problem, at its defaults. */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("temporal_order"));
  press (win, "win.apply-settings", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpstr (s->task->name, ==, "temporal_order");
  g_assert_cmpstr (gs_session_get_config (gs_ui_test_session (win))->task, ==, "temporal_order");
  g_assert_cmpint (s->T, ==, 100);

  /* Back to hello. */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("hello"));
  press (win, "win.apply-settings", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpstr (s->task->name, ==, "hello");
  g_assert_cmpint (s->T, ==, 5);
  g_assert_cmpint (s->cfg.input, ==, GS_INPUT_EMBED);

  reset_run_keys (settings);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* "Use the Task's Settings" puts the task's recipe (gs-recipe.h) into the
 * panel, and Apply also takes its batch and clipping; a bidirectional
 * character model is refused with the reason. */
static void
test_window_task_recipe (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const GsRecipe *r = gs_recipe_find ("temporal_order");
  const GsTrainConfig *cfg;
  GtkWidget *button;
  GsUiTestToast wait = { win, "reverse direction" };

  g_assert_nonnull (r);
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("temporal_order"));
  button = gs_ui_test_find_named (GTK_WIDGET (gs_ui_test_child (win, "task_group")), "use-task-settings");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (adw_combo_row_get_selected (gs_ui_test_child (win, "cell_row")), ==, (guint) r->cell);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (gs_ui_test_child (win, "hidden_spin")), ==, r->H);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (gs_ui_test_child (win, "layers_spin")), ==, r->L);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (gs_ui_test_child (win, "lr_spin")), r->lr, 1e-6);
  press (win, "win.apply-settings", 1);
  cfg = gs_session_get_config (gs_ui_test_session (win));
  g_assert_cmpstr (cfg->task, ==, "temporal_order");
  g_assert_cmpint (cfg->cell, ==, r->cell);
  g_assert_true (cfg->one_hot == (r->E == 0));
  g_assert_cmpint (cfg->B, ==, r->B);
  g_assert_cmpfloat (cfg->clip, ==, r->clip);

  /* Another task without its settings taken: the seed model's batch again. */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("hello"));
  press (win, "win.apply-settings", 1);
  g_assert_cmpint (gs_session_get_config (gs_ui_test_session (win))->B, ==, 1);

  /* charlm reads its own next character: no reverse direction. */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("charlm"));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-bidirectional-switch"), TRUE);
  press (win, "win.apply-settings", 1);
  gs_ui_test_wait_for (gs_ui_test_toast_shown, &wait, "a toast about the reverse direction");
  g_assert_cmpstr (gs_session_get_config (gs_ui_test_session (win))->task, ==, "hello");
  gtk_switch_set_active (gs_ui_test_child (win, "variant-bidirectional-switch"), FALSE);

  /* The Tang poems have a recipe of their own: the offer follows the
   * corpus, and Apply takes its recurrent dropout and batch. */
  {
    const GsRecipe *zh = gs_recipe_find ("charlm:corpus=zh"), *en = gs_recipe_find ("charlm");
    GtkWidget *corpus, *row;
    char options[512];

    g_assert_true (zh != NULL && en != NULL && zh != en && zh->recurrent_dropout > 0.0f);
    button = gs_ui_test_find_named (GTK_WIDGET (gs_ui_test_child (win, "task_group")), "use-task-settings");
    corpus = gs_ui_test_find_named (GTK_WIDGET (gs_ui_test_child (win, "task_group")), "param-corpus");
    g_assert_nonnull (button);
    g_assert_nonnull (corpus);
    row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
    gs_recipe_format (en, options, sizeof options);
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), options));
    adw_combo_row_set_selected (ADW_COMBO_ROW (corpus), 1);   /* en|zh */
    gs_recipe_format (zh, options, sizeof options);
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), options));
    g_signal_emit_by_name (button, "clicked");
    press (win, "win.apply-settings", 1);
    cfg = gs_session_get_config (gs_ui_test_session (win));
    g_assert_cmpstr (cfg->task, ==, "charlm:corpus=zh");
    g_assert_cmpint (cfg->B, ==, zh->B);
    g_assert_cmpfloat_with_epsilon (cfg->variant.recurrent_dropout, zh->recurrent_dropout, 1e-6);

    /* Trained until solved, the message sets the score beside the bigram
     * count model's, which the bar is computed from. */
    {
      GsUiTestToast solved = { win, "a bigram count model" };
      g_autoptr(GsUiImage) image = NULL;

      activate (win, "train.until-solved");
      gs_ui_test_wait_for (gs_ui_test_toast_shown, &solved, "the message that the Tang poems are solved");
      g_assert_cmpint (gs_window_get_solved_epoch (win), >, 0);
      image = gs_ui_test_render (GTK_WIDGET (win), "window-charlm-zh-solved", GS_UI_RENDER_WAIT_FRAMES);
    }
  }

  /* The recipe's one-hot input and learning rate were saved too. */
  reset_run_keys (settings);
  g_settings_reset (settings, "embedding");
  g_settings_reset (settings, "learning-rate");
  g_settings_reset (settings, "optimizer");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A bidirectional run: a click on a box of the unrolled view selects its
 * layer and direction; the Reverse Direction toggle, the cell view, the
 * unrolled view's outlined box and every heatmap follow it. */
static void
test_window_bidirectional_select (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GsUnrolledView *unrolled = gs_ui_test_child (win, "unrolled_view");
  GtkToggleButton *reverse = gs_ui_test_child (win, "reverse_button");

  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("classify"));
  gtk_spin_button_set_value (gs_ui_test_child (win, "layers_spin"), 2);
  gtk_switch_set_active (gs_ui_test_child (win, "variant-bidirectional-switch"), TRUE);
  press (win, "win.apply-settings", 1);
  press (win, "win.step-forward", 2);
  g_assert_cmpint (gs_ui_test_snapshot (win)->D, ==, 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reverse)));

  for (int d = 1; d >= 0; d--)
    {
      g_signal_emit_by_name (unrolled, "box-activated", 0, d);
      gs_ui_test_flush_main_loop ();
      g_assert_cmpint (gs_window_get_layer (win), ==, 0);
      g_assert_true (gtk_toggle_button_get_active (reverse) == (d == 1));
      g_assert_cmpint (gs_cell_view_get_direction (gs_ui_test_child (win, "cell_view")), ==, d);
      g_assert_cmpint (gs_unrolled_view_get_direction (unrolled), ==, d);
      for (GtkWidget *c = gtk_widget_get_first_child (gs_ui_test_child (win, "heatmap_box")); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        g_assert_cmpint (gs_heatmap_get_direction (GS_HEATMAP (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c)))),
                         ==, d);
    }
  g_signal_emit_by_name (unrolled, "box-activated", 1, 1);
  gs_ui_test_flush_main_loop ();
  g_assert_cmpint (gs_window_get_layer (win), ==, 1);
  g_assert_true (gtk_toggle_button_get_active (reverse));

  gtk_switch_set_active (gs_ui_test_child (win, "variant-bidirectional-switch"), FALSE);
  reset_run_keys (settings);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The Shapes page describes the running model and follows Apply. */
static void
test_window_shapes_page (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *page = adw_view_stack_get_child_by_name (gs_ui_test_child (win, "view_stack"), "shapes");

  g_assert_true (GS_IS_SHAPES_PANEL (page));
  /* The window opens on an LSTM on hello: the course's 1,292 parameters. */
  g_assert_nonnull (strstr (gs_shapes_panel_get_text (GS_SHAPES_PANEL (page)), "Total: 1,292 parameters"));
  g_assert_nonnull (strstr (gs_shapes_panel_get_text (GS_SHAPES_PANEL (page)), "W_ii | W_if | W_ig | W_io"));
  adw_combo_row_set_selected (gs_ui_test_child (win, "cell_row"), GS_CELL_GRU);
  press (win, "win.apply-settings", 1);
  g_assert_nonnull (strstr (gs_shapes_panel_get_text (GS_SHAPES_PANEL (page)), "Total: 988 parameters"));
  g_assert_nonnull (strstr (gs_shapes_panel_get_text (GS_SHAPES_PANEL (page)), "reset_after"));

  /* The Code page writes the same run as PyTorch, Keras on request, and copies it. */
  page = adw_view_stack_get_child_by_name (gs_ui_test_child (win, "view_stack"), "code");
  g_assert_true (GS_IS_CODE_PANEL (page));
  g_assert_nonnull (strstr (gs_code_panel_get_text (GS_CODE_PANEL (page)),
                            "self.rnn = nn.GRU(input_size=10, hidden_size=8, num_layers=2)"));
  {
    GtkWidget *keras = gs_ui_test_find_named (page, "keras");
    GtkWidget *copy = gs_ui_test_find_named (page, "copy");
    GdkClipboard *clipboard = gtk_widget_get_clipboard (page);
    GValue copied = G_VALUE_INIT;

    g_assert_nonnull (keras);
    g_assert_nonnull (copy);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (keras), TRUE);
    g_assert_nonnull (strstr (gs_code_panel_get_text (GS_CODE_PANEL (page)), "keras.layers.GRU(8, return_sequences=True"));
    g_signal_emit_by_name (copy, "clicked");
    g_assert_true (gdk_clipboard_is_local (clipboard));
    g_value_init (&copied, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &copied, NULL));
    g_assert_cmpstr (g_value_get_string (&copied), ==, gs_code_panel_get_text (GS_CODE_PANEL (page)));
    g_value_unset (&copied);
  }

  reset_run_keys (settings);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A regression task shows its prediction against the truth over time
 * instead of the probability bars; a classification task the bars again. */
static void
test_window_series_plot (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GsSeriesPlot *plot = gs_ui_test_child (win, "series_plot");
  GtkWidget *bars = gs_ui_test_child (win, "prediction_bars");
  const GsSnapshot *s;
  float x, y;

  /* hello: the bars. */
  g_assert_cmpstr (gs_ui_test_snapshot (win)->task->name, ==, "hello");
  g_assert_true (gtk_widget_get_visible (bars));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (plot)));

  /* series, 12 steps: the plot, following the views' timestep. */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("series"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (task_param (win, "length")), 12);
  press (win, "win.apply-settings", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpstr (s->task->name, ==, "series");
  g_assert_cmpint (s->cfg.loss, ==, GS_LOSS_MSE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (plot)));
  g_assert_false (gtk_widget_get_visible (bars));
  press (win, "win.step-forward", 3);
  g_assert_true (gs_view_get_snap (GS_VIEW (plot)) == gs_session_get_snap (gs_ui_test_session (win)));
  g_assert_cmpint (gs_view_get_timestep (GS_VIEW (plot)), ==, 2);
  gs_ui_test_wait_for (gs_ui_test_is_shown, plot, "the series plot to be shown");
  g_assert_true (gs_series_plot_map_point (plot, 2, gs_ui_test_snapshot (win)->logits[2 * gs_ui_test_snapshot (win)->cfg.O],
                                           &x, &y));
  g_assert_true (x >= 0 && x < gtk_widget_get_width (GTK_WIDGET (plot)));
  g_assert_true (y >= 0 && y < gtk_widget_get_height (GTK_WIDGET (plot)));

  /* Back to hello: the bars again. */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("hello"));
  press (win, "win.apply-settings", 1);
  g_assert_cmpstr (gs_ui_test_snapshot (win)->task->name, ==, "hello");
  g_assert_true (gtk_widget_get_visible (bars));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (plot)));

  reset_run_keys (settings);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Every row of gs_variant_table has a working row in the panel: shown for
 * exactly the cells it applies to, titled with its label, and set through
 * the panel it reaches the applied run, with the value typed. A new row of
 * the table needs nothing else here. */
static void
test_window_variant_table (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GsSettingsPanel *panel = gs_ui_test_child (win, "settings_panel");

  g_assert_cmpint (gs_variant_table_len, >, 0);
  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const GsVariantInfo *r = &gs_variant_table[i];
      g_autofree char *switch_name = g_strdup_printf ("variant-%s-switch", r->name);
      g_autofree char *spin_name = g_strdup_printf ("variant-%s-spin", r->name);
      GtkWidget *row = gs_settings_panel_get_variant_row (panel, i);
      GtkWidget *sw = gs_ui_test_find_named (row, switch_name);
      GtkWidget *spin = gs_ui_test_find_named (row, spin_name);
      const gboolean number = r->type == GS_VARIANT_FLOAT || r->type == GS_VARIANT_INT;
      int cell = -1;
      double want = 1.0;
      const GsSnapshot *s;

      g_test_message ("row %s", r->name);
      g_assert_true (ADW_IS_ACTION_ROW (row));
      g_assert_true (gtk_widget_is_ancestor (row, GTK_WIDGET (panel)));
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, _(r->label));
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, _(r->help));
      /* A switch for a bool or a choice, a number for a number. */
      g_assert_true ((sw != NULL) == (!number || r->panel_switch));
      g_assert_true ((spin != NULL) == number);

      /* Shown for exactly the cells it applies to. */
      for (int c = 0; c < GS_N_CELLS; c++)
        {
          adw_combo_row_set_selected (gs_ui_test_child (win, "cell_row"), (guint) c);
          g_assert_true (gtk_widget_get_visible (row) == gs_variant_row_applies (i, (GsCell) c));
          if (cell < 0 && gs_variant_row_applies (i, (GsCell) c))
            cell = c;
        }
      g_assert_cmpint (cell, >=, 0);

      /* Set through the panel alone, on a network every row can use. */
      gtk_widget_activate_action (GTK_WIDGET (win), "win.default-settings", NULL);
      adw_combo_row_set_selected (gs_ui_test_child (win, "cell_row"), (guint) cell);
      gtk_spin_button_set_value (gs_ui_test_child (win, "layers_spin"), MAX (2, r->min_layers));
      gtk_spin_button_set_value (gs_ui_test_child (win, "hidden_spin"), 8);
      g_assert_true (gtk_widget_get_sensitive (row));
      if (sw != NULL)
        gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
      if (spin != NULL)
        {
          double lo, hi;

          gtk_spin_button_get_range (GTK_SPIN_BUTTON (spin), &lo, &hi);
          want = r->type == GS_VARIANT_INT ? 3.0 : 0.5;
          g_assert_cmpfloat (want, >=, lo);
          g_assert_cmpfloat (want, <=, hi);
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), want);
        }
      press (win, "win.apply-settings", 1);
      s = gs_ui_test_snapshot (win);
      g_assert_cmpint (s->cfg.cell, ==, cell);
      g_assert_true (gs_variant_row_on (&s->cfg.variant, i));
      g_assert_cmpfloat_with_epsilon (gs_variant_row_get (&s->cfg.variant, i), want, 1e-6);
      /* Alone: every other row is off. */
      for (int j = 0; j < gs_variant_table_len; j++)
        if (j != i)
          g_assert_false (gs_variant_row_on (&s->cfg.variant, j));
      /* Saved in the one key, by its CLI flag. */
      g_assert_true (variant_saved (settings, r->cli_flag));
    }
  reset_run_keys (settings);
}

/* The variant rows: per cell kind, exclusive where the engine says so,
 * applied to the run. */
static void
test_window_settings_variant (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const GsSnapshot *s;

  /* A peephole LSTM. */
  g_assert_cmpint (adw_combo_row_get_selected (gs_ui_test_child (win, "cell_row")), ==, GS_CELL_LSTM);
  g_assert_true (gtk_widget_get_visible (gs_ui_test_child (win, "variant-peephole")));
  g_assert_false (gtk_widget_get_visible (gs_ui_test_child (win, "variant-gru_reset_before")));
  g_assert_false (gtk_widget_get_visible (gs_ui_test_child (win, "variant-irnn")));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-peephole-switch"), TRUE);
  press (win, "win.apply-settings", 1);
  g_assert_true (gs_session_get_config (gs_ui_test_session (win))->variant.peephole);
  s = gs_ui_test_snapshot (win);
  g_assert_true (s->cfg.variant.peephole);
  g_assert_nonnull (s->layer[0].w_ch);
  g_assert_nonnull (strstr (adw_view_switcher_title_get_subtitle (gs_ui_test_child (win, "switcher_title")),
                            "LSTM · peephole · hello"));
  g_assert_true (variant_saved (settings, "peephole"));

  /* Coupled gates and no forget gate exclude each other; neither leaves
   * room for a forget-gate bias. */
  gtk_switch_set_active (gs_ui_test_child (win, "variant-cifg-switch"), TRUE);
  g_assert_false (gtk_widget_get_sensitive (gs_ui_test_child (win, "variant-forget_bias")));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-no_forget_gate-switch"), TRUE);
  g_assert_false (gtk_switch_get_active (gs_ui_test_child (win, "variant-cifg-switch")));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-cifg-switch"), TRUE);
  g_assert_false (gtk_switch_get_active (gs_ui_test_child (win, "variant-no_forget_gate-switch")));
  press (win, "win.apply-settings", 1);
  g_assert_true (gs_ui_test_snapshot (win)->cfg.variant.cifg);
  g_assert_false (gs_ui_test_snapshot (win)->cfg.variant.no_forget_gate);
  gtk_switch_set_active (gs_ui_test_child (win, "variant-cifg-switch"), FALSE);
  g_assert_true (gtk_widget_get_sensitive (gs_ui_test_child (win, "variant-forget_bias")));

  /* Greff et al.'s variants: coupled gates need an input gate, full gate
   * recurrence needs all three gates; each is applied and remembered. */
  g_assert_true (gtk_widget_get_visible (gs_ui_test_child (win, "variant-full_gate_recurrence")));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-cifg-switch"), TRUE);
  gtk_switch_set_active (gs_ui_test_child (win, "variant-no_input_gate-switch"), TRUE);
  g_assert_false (gtk_switch_get_active (gs_ui_test_child (win, "variant-cifg-switch")));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-full_gate_recurrence-switch"), TRUE);
  g_assert_false (gtk_switch_get_active (gs_ui_test_child (win, "variant-no_input_gate-switch")));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-no_output_act-switch"), TRUE);
  press (win, "win.apply-settings", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_true (s->cfg.variant.full_gate_recurrence && s->cfg.variant.no_output_act);
  g_assert_false (s->cfg.variant.no_input_gate || s->cfg.variant.cifg);
  g_assert_true (variant_saved (settings, "full-gate-recurrence"));
  g_assert_nonnull (strstr (adw_view_switcher_title_get_subtitle (gs_ui_test_child (win, "switcher_title")),
                            "no output activation · full gate recurrence"));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-no_output_gate-switch"), TRUE);
  g_assert_false (gtk_switch_get_active (gs_ui_test_child (win, "variant-full_gate_recurrence-switch")));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-no_input_act-switch"), TRUE);
  press (win, "win.apply-settings", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_true (s->cfg.variant.no_output_gate && s->cfg.variant.no_input_act);
  g_assert_false (s->cfg.variant.full_gate_recurrence);
  g_assert_true (variant_saved (settings, "no-output-gate"));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-no_output_gate-switch"), FALSE);
  gtk_switch_set_active (gs_ui_test_child (win, "variant-no_input_act-switch"), FALSE);
  gtk_switch_set_active (gs_ui_test_child (win, "variant-no_output_act-switch"), FALSE);

  /* Dropout acts between layers: not with one. */
  gtk_spin_button_set_value (gs_ui_test_child (win, "layers_spin"), 1);
  g_assert_false (gtk_widget_get_sensitive (gs_ui_test_child (win, "variant-dropout")));
  gtk_spin_button_set_value (gs_ui_test_child (win, "layers_spin"), 2);
  g_assert_true (gtk_widget_get_sensitive (gs_ui_test_child (win, "variant-dropout")));
  gtk_spin_button_set_value (gs_ui_test_child (win, "variant-dropout-spin"), 0.25);
  gtk_spin_button_set_value (gs_ui_test_child (win, "layers_spin"), 1);
  press (win, "win.apply-settings", 1);
  g_assert_cmpfloat (gs_ui_test_snapshot (win)->cfg.variant.dropout, ==, 0.0f);
  g_assert_cmpint (gs_ui_test_snapshot (win)->cfg.L, ==, 1);

  /* The projection stays below the hidden size. */
  gtk_spin_button_set_value (gs_ui_test_child (win, "hidden_spin"), 6);
  gtk_spin_button_set_value (gs_ui_test_child (win, "variant-proj-spin"), 10);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (gs_ui_test_child (win, "variant-proj-spin")), ==, 5);

  /* A GRU: its own row, none of the LSTM's; the LSTM's switches do not
   * reach it. */
  adw_combo_row_set_selected (gs_ui_test_child (win, "cell_row"), GS_CELL_GRU);
  g_assert_false (gtk_widget_get_visible (gs_ui_test_child (win, "variant-peephole")));
  g_assert_true (gtk_widget_get_visible (gs_ui_test_child (win, "variant-gru_reset_before")));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-gru_reset_before-switch"), TRUE);
  press (win, "win.apply-settings", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->cfg.cell, ==, GS_CELL_GRU);
  g_assert_true (s->cfg.variant.gru_reset_before);
  g_assert_false (s->cfg.variant.peephole);
  g_assert_cmpint (s->cfg.variant.proj, ==, 0);

  /* What only the engine knows is refused with its words: truncated BPTT
   * with bidirectional layers. */
  gtk_switch_set_active (gs_ui_test_child (win, "variant-bidirectional-switch"), TRUE);
  gtk_spin_button_set_value (gs_ui_test_child (win, "variant-bptt-spin"), 3);
  press (win, "win.apply-settings", 1);
  {
    GsUiTestToast wait = { win, "unidirectional" };

    gs_ui_test_wait_for (gs_ui_test_toast_shown, &wait, "a toast about truncated BPTT");
  }
  g_assert_false (gs_ui_test_snapshot (win)->cfg.variant.bidirectional);

  reset_run_keys (settings);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A run whose one sequence holds more states than the window can copy 60
 * times a second is refused with the sizes, and the running one stays. */
static void
test_window_settings_too_big (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gatescope-big-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "long.txt", NULL);
  g_autofree char *saved = g_settings_get_string (settings, "task");
  GString *text = g_string_new (NULL);
  GsUiTestToast wait = { win, "more than the window can show" };
  GsTrainConfig before;

  g_assert_no_error (error);
  while (text->len < 8100)   /* 4,001 characters to train on and 4,001 held out */
    g_string_append (text, "the quick brown fox jumps over the lazy dog\n");
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, &error));
  g_string_free (text, TRUE);

  press (win, "win.step-forward", 2);
  before = *gs_session_get_config (gs_ui_test_session (win));

  /* 3 LSTM layers of 512 units over 4,000 characters: about 440 MB a
   * sequence. (One direction: a character model refuses bidirectional
   * layers, whose reverse direction reads the character to predict.) */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("charlm"));
  gs_window_settings_set_task_file (win, "file", path);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (task_param (win, "length")), 4000);
  adw_combo_row_set_selected (gs_ui_test_child (win, "cell_row"), GS_CELL_LSTM);
  gtk_spin_button_set_value (gs_ui_test_child (win, "layers_spin"), 3);
  gtk_spin_button_set_value (gs_ui_test_child (win, "hidden_spin"), 512);
  press (win, "win.apply-settings", 1);
  gs_ui_test_wait_for (gs_ui_test_toast_shown, &wait, "a toast saying the run is too big for the window");
  g_assert_cmpmem (gs_session_get_config (gs_ui_test_session (win)), sizeof before, &before, sizeof before);
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, ==, 2);
  {
    g_autofree char *now = g_settings_get_string (settings, "task");

    g_assert_cmpstr (now, ==, saved);
  }

  /* One layer, one direction, 500 characters: it runs. */
  gtk_spin_button_set_value (gs_ui_test_child (win, "layers_spin"), 1);
  gtk_switch_set_active (gs_ui_test_child (win, "variant-bidirectional-switch"), FALSE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (task_param (win, "length")), 500);
  press (win, "win.apply-settings", 1);
  g_assert_cmpstr (gs_ui_test_snapshot (win)->task->name, ==, "charlm");
  g_assert_cmpint (gs_ui_test_snapshot (win)->cfg.H, ==, 512);
  g_assert_cmpint (gs_ui_test_snapshot (win)->T, ==, 500);

  activate (win, "win.default-settings");
  press (win, "win.apply-settings", 1);
  g_remove (path);
  g_rmdir (dir);
  g_settings_reset (settings, "task");
}

/* A file that is not text: the engine's message in a toast, the running
 * hello run kept, nothing saved. A text file then works. */
static void
test_window_settings_bad_file (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gatescope-file-XXXXXX", &error);
  g_autofree char *bad = g_build_filename (dir, "model.bin", NULL);
  g_autofree char *good = g_build_filename (dir, "poem.txt", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *task_before = NULL;
  static const char binary[] = { 0x7f, 'E', 'L', 'F', 0x02, 0x01, 0x00, 0x00, 0x03, 0x00, 0x3e, 0x00 };
  GString *text = g_string_new (NULL);
  GsUiTestToast wait = { win, "is not a text file" };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (bad, binary, sizeof binary, &error));
  for (int i = 0; i < 20; i++)
    g_string_append (text, "the quick brown fox jumps over the lazy dog\n");
  g_assert_true (g_file_set_contents (good, text->str, (gssize) text->len, &error));
  g_string_free (text, TRUE);

  press (win, "win.step-forward", 2);
  task_before = g_strdup (gs_session_get_config (gs_ui_test_session (win))->task);

  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("charlm"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (task_param (win, "file"))), ==, "Shipped corpus");
  gs_window_settings_set_task_file (win, "file", bad);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (task_param (win, "file"))), ==, "model.bin");
  press (win, "win.apply-settings", 1);
  gs_ui_test_wait_for (gs_ui_test_toast_shown, &wait, "a toast saying the file is not text");
  g_assert_cmpstr (gs_ui_test_snapshot (win)->task->name, ==, "hello");
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, ==, 2);
  g_assert_cmpstr (gs_session_get_config (gs_ui_test_session (win))->task, ==, task_before);
  saved = g_settings_get_string (settings, "task");
  g_assert_cmpstr (saved, ==, "hello");

  /* A text file is a language model's corpus. */
  gs_window_settings_set_task_file (win, "file", good);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (task_param (win, "length")), 16);
  press (win, "win.apply-settings", 1);
  g_assert_cmpstr (gs_ui_test_snapshot (win)->task->name, ==, "charlm");
  g_assert_cmpint (gs_ui_test_snapshot (win)->T, ==, 16);
  g_assert_nonnull (strstr (gs_session_get_config (gs_ui_test_session (win))->task, "file="));

  reset_run_keys (settings);
  gtk_window_destroy (GTK_WINDOW (win));
  g_unlink (bad);
  g_unlink (good);
  g_rmdir (dir);
}

/* The task and the variant are saved and the next window opens on them. */
static void
test_window_settings_persist (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GsWindow *win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  const GsTrainConfig *config;

  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("adding"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (task_param (win, "length")), 12);
  gtk_switch_set_active (gs_ui_test_child (win, "variant-peephole-switch"), TRUE);
  gtk_switch_set_active (gs_ui_test_child (win, "variant-cell_clip-switch"), TRUE);
  gtk_spin_button_set_value (gs_ui_test_child (win, "variant-cell_clip-spin"), 2.5);
  gtk_spin_button_set_value (gs_ui_test_child (win, "variant-bptt-spin"), 4);
  press (win, "win.apply-settings", 1);
  gtk_window_destroy (GTK_WINDOW (win));
  g_object_unref (win);

  win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  config = gs_session_get_config (gs_ui_test_session (win));
  g_assert_cmpstr (config->task, ==, "adding:length=12");
  g_assert_true (config->variant.peephole);
  g_assert_cmpfloat (config->variant.cell_clip, ==, 2.5f);
  g_assert_cmpint (config->variant.bptt, ==, 4);
  g_assert_cmpint (gs_ui_test_snapshot (win)->T, ==, 12);
  g_assert_cmpuint (adw_combo_row_get_selected (gs_ui_test_child (win, "task_row")), ==, task_index ("adding"));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (task_param (win, "length"))), ==, 12.0);
  g_assert_true (gtk_switch_get_active (gs_ui_test_child (win, "variant-peephole-switch")));
  g_assert_true (gtk_switch_get_active (gs_ui_test_child (win, "variant-cell_clip-switch")));

  /* Defaults put hello and the plain cell back. */
  activate (win, "win.default-settings");
  press (win, "win.apply-settings", 1);
  g_assert_cmpstr (gs_session_get_config (gs_ui_test_session (win))->task, ==, "hello");
  g_assert_false (gs_session_get_config (gs_ui_test_session (win))->variant.peephole);
  g_assert_cmpfloat (gs_session_get_config (gs_ui_test_session (win))->variant.cell_clip, ==, 0.0f);

  reset_run_keys (settings);
  gtk_window_destroy (GTK_WINDOW (win));
  g_object_unref (win);
}

/* A diverging run stops training and says so. */
static void
test_window_diverged (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GsUiTestToast wait = { win, "Training stopped" };

  adw_combo_row_set_selected (gs_ui_test_child (win, "cell_row"), GS_CELL_RNN_RELU);
  adw_combo_row_set_selected (gs_ui_test_child (win, "optimizer_row"), 0 /* SGD */);
  gtk_spin_button_set_value (gs_ui_test_child (win, "lr_spin"), 10.0);
  press (win, "win.apply-settings", 1);
  activate (win, "win.train");
  gs_ui_test_wait_for (gs_ui_test_toast_shown, &wait, "training to stop on a diverged run");
  gs_ui_test_sync (win);
  g_assert_false (gs_window_get_training (win));

  g_settings_reset (settings, "cell");
  g_settings_reset (settings, "optimizer");
  g_settings_reset (settings, "learning-rate");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A click on a column moves every view's timestep, not the engine. */
static void
test_window_timestep_activated (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GtkWidget *first_map;
  int t_fwd;

  press (win, "win.step-forward", 4);
  t_fwd = gs_ui_test_snapshot (win)->t_fwd;
  check_views_at (win, 3, 0);

  g_signal_emit_by_name (gs_ui_test_child (win, "unrolled_view"), "timestep-activated", 1);
  gs_ui_test_flush_main_loop ();
  check_views_at (win, 1, 0);
  g_assert_false (gs_session_get_busy (gs_ui_test_session (win)));
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, ==, t_fwd);
  /* The status tells where the engine is; the cell caption what is shown. */
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · forward t = 3");
  g_assert_nonnull (strstr (gtk_label_get_label (gs_ui_test_child (win, "cell_title")), "t = 1"));
  check_highlighted_column (win, 1);

  first_map = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (gtk_widget_get_first_child (gs_ui_test_child (win, "heatmap_box"))));
  g_signal_emit_by_name (first_map, "timestep-activated", 0);
  check_views_at (win, 0, 0);
  g_signal_emit_by_name (gs_ui_test_child (win, "gradient_view"), "timestep-activated", 2);
  check_views_at (win, 2, 0);
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, ==, t_fwd);

  /* The layer is shared too. */
  {
    GVariant *layer = g_variant_new_int32 (1);

    g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (win), "win.layer", layer));
  }
  check_views_at (win, 2, 1);
  g_assert_true (gtk_toggle_button_get_active (gs_ui_test_child (win, "layer_button_1")));
  g_assert_false (gtk_toggle_button_get_active (gs_ui_test_child (win, "layer_button_0")));

  /* The next step: the views follow the engine again. */
  press (win, "win.step-forward", 1);
  check_views_at (win, 4, 1);

  gtk_window_destroy (GTK_WINDOW (win));
}

/* 1→N: Generate gives what gatescope-cli sample (gs_task_sample) gives for
 * the same weights, prime, temperature and seed; stepping reads the prime,
 * then feeds each drawn character back, and the views show that step. */
static void
test_window_generate (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GsGeneratePanel *panel = gs_ui_test_child (win, "generate_panel");
  g_autofree char *generated = NULL;
  char *reference = NULL;
  const GsSnapshot *s;
  GsModel *m;
  GsRng rng;
  GsError err;

  press (win, "win.train-step", 30);
  s = gs_ui_test_snapshot (win);
  g_assert_nonnull (s->params);
  g_assert_true (gs_generate_panel_get_available (panel));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));

  gs_generate_panel_set_prime (panel, "hel");
  gs_generate_panel_set_temperature (panel, 0.5);
  gs_generate_panel_set_seed (panel, 3);
  gs_generate_panel_set_length (panel, 20);
  gs_generate_panel_generate (panel);
  g_assert_null (gs_generate_panel_get_error (panel));
  generated = g_strdup (gs_generate_panel_get_text (panel));
  g_assert_cmpint (g_utf8_strlen (generated, -1), ==, 23);
  {
    /* The label shows it: the prime, then the continuation in bold. */
    GObject *label = gtk_widget_get_template_child (GTK_WIDGET (panel), GS_TYPE_GENERATE_PANEL, "text_label");
    g_autofree char *markup = g_strdup_printf ("hel<b>%s</b>", generated + 3);

    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, generated);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, markup);
  }

  m = gs_param_copy_model (s->params, &err);
  g_assert_nonnull (m);
  gs_rng_seed (&rng, 3);
  g_assert_cmpint (gs_task_sample (&reference, m, "ehlo", "hel", 20, 0.5f, &rng, &err), ==, GS_OK);
  g_assert_cmpstr (generated, ==, reference);
  free (reference);

  /* Stepping: the prime, then three characters, each fed back. */
  gs_generate_panel_set_length (panel, 3);
  gs_generate_panel_generate (panel);
  g_free (generated);
  generated = g_strdup (gs_generate_panel_get_text (panel));
  gs_generate_panel_step (panel);
  {
    GsSnap *shown = gs_view_get_snap (GS_VIEW (gs_ui_test_child (win, "prediction_bars")));
    const GsSnapshot *g = gs_snap_get (shown);
    GsGenerator *ref = gs_generator_new (m, "ehlo", "hel", 0.5f, 0, &err);   /* the tempered distribution */

    g_assert_true (shown != gs_session_get_snap (gs_ui_test_session (win)));
    g_assert_cmpint (g->T, ==, 3);
    g_assert_cmpint (gs_window_get_timestep (win), ==, 2);
    for (int v = 0; v < 4; v++)
      g_assert_cmpfloat_with_epsilon (g->probs[2 * 4 + v], ref->probs[v], 1e-6);
    gs_generator_free (ref);
  }
  for (int i = 1; i <= 3; i++)
    {
      const char *text;
      const GsSnapshot *g;

      gs_generate_panel_step (panel);
      text = gs_generate_panel_get_text (panel);
      g_assert_cmpint (g_utf8_strlen (text, -1), ==, 3 + i);
      g_assert_true (strncmp (text, generated, strlen (text)) == 0);   /* Generate's text, a character at a time */
      g = gs_snap_get (gs_view_get_snap (GS_VIEW (gs_ui_test_child (win, "cell_view"))));
      g_assert_cmpint (g->T, ==, 1);
      g_assert_cmpstr (g->task->vocab[g->tokens[0]], ==, text + strlen (text) - 1);   /* the character fed back */
      g_assert_cmpint (gs_embedding_view_get_token (gs_ui_test_child (win, "embedding_view")), ==, g->tokens[0]);
    }
  /* The next training step puts the views back on the run. */
  press (win, "win.step-forward", 1);
  g_assert_true (gs_view_get_snap (GS_VIEW (gs_ui_test_child (win, "cell_view"))) == gs_session_get_snap (gs_ui_test_session (win)));

  /* A character the model does not know is named. */
  gs_generate_panel_set_prime (panel, "白");
  gs_generate_panel_generate (panel);
  g_assert_nonnull (gs_generate_panel_get_error (panel));
  g_assert_nonnull (strstr (gs_generate_panel_get_error (panel), "“白”"));
  g_assert_null (gs_generate_panel_get_text (panel));

  gs_model_free (m);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Closing the window while it trains joins the worker without a crash. */
static void
test_window_close_while_training (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);

  activate (win, "win.train");
  for (int i = 0; i < 10; i++)
    {
      gs_ui_test_flush_main_loop ();
      g_usleep (2000);
    }
  gtk_window_destroy (GTK_WINDOW (win));
  for (int i = 0; i < 20; i++)
    {
      gs_ui_test_flush_main_loop ();
      g_usleep (2000);
    }
}

/* The window's size is saved on close and restored by the next window. */
static void
test_window_size_is_remembered (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GsWindow *win;
  int width, height;

  g_settings_set_int (settings, "window-width", 1100);
  g_settings_set_int (settings, "window-height", 760);
  win = gs_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (win), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 760);

  /* Closing asks only a window that is on screen. */
  gtk_window_present (GTK_WINDOW (win));
  gs_ui_test_wait_for (gs_ui_test_is_shown, win, "the window to be shown");
  gtk_window_set_default_size (GTK_WINDOW (win), 1020, 700);
  gs_ui_test_flush_main_loop ();
  gtk_window_close (GTK_WINDOW (win));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1020);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static gboolean
got_json (gpointer data)
{
  return *(char **) data != NULL;
}

static void
on_frames_measured (GsWindow   *win,
                    const char *json,
                    char      **out)
{
  *out = g_strdup (json);
}

/* The frame measurement reports what it measured, as JSON. */
static void
test_window_measure_frames (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autofree char *json = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  g_signal_connect (win, "frames-measured", G_CALLBACK (on_frames_measured), &json);
  gs_window_measure_frames (win, 1.0, 0);
  g_assert_true (gs_window_get_training (win));
  gs_ui_test_wait_for (got_json, &json, "the frame measurement");
  g_test_message ("%s", json);
  gs_ui_test_sync (win);
  g_assert_false (gs_window_get_training (win));

  /* One JSON object with the documented keys, in order. */
  regex = g_regex_new ("^\\{\"frames\":([0-9]+),\"seconds\":[0-9.]+,\"fps_mean\":[0-9.]+,"
                       "\"frame_ms_p50\":[0-9.]+,\"frame_ms_p95\":[0-9.]+,\"frame_ms_p99\":[0-9.]+,"
                       "\"frame_ms_max\":[0-9.]+,.*\"snapshots\":([0-9]+),.*\"views\":\\{.*\\}\\}$",
                       0, 0, NULL);
  g_assert_nonnull (regex);
  g_assert_true (g_regex_match (regex, json, 0, &match));
  {
    g_autofree char *frames = g_match_info_fetch (match, 1);
    g_autofree char *snapshots = g_match_info_fetch (match, 2);

    /* Frames were painted and snapshots arrived while training (how many
     * depends on the machine and its renderer: bench/gui-fps.sh judges that). */
    g_assert_cmpint (atoi (frames), >=, 1);
    g_assert_cmpint (atoi (snapshots), >=, 1);
  }
  g_assert_cmpint (gs_ui_test_snapshot (win)->cfg.H, ==, 64);
  g_assert_nonnull (strstr (json, "\"model\":\"lstm hidden=64 layers=2 hello\""));

  /* Another size (bench/gui-fps.sh --hidden): the JSON says which. */
  g_clear_pointer (&json, g_free);
  gs_window_measure_frames (win, 0.5, 16);
  gs_ui_test_wait_for (got_json, &json, "the second frame measurement");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->cfg.H, ==, 16);
  g_assert_nonnull (strstr (json, "\"model\":\"lstm hidden=16 layers=2 hello\""));

  gtk_window_destroy (GTK_WINDOW (win));
}

static gboolean
fps_label_counts (gpointer data)
{
  GtkLabel *label = data;

  return strstr (gtk_label_get_label (label), " fps · p95 ") != NULL;
}

/* The menu's frame-rate overlay reads the same meter. */
static void
test_window_fps_overlay (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GtkLabel *label = gs_ui_test_child (win, "fps_label");

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (label)));
  activate (win, "win.show-fps");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  gs_ui_test_wait_for (fps_label_counts, label, "the overlay to count frames");
  activate (win, "win.show-fps");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (label)));

  gtk_window_destroy (GTK_WINDOW (win));
}

/* GTK's GL renderer on a software OpenGL (llvmpipe) is four times slower
 * than its cairo renderer: the application draws with cairo there, and
 * leaves GTK's choice alone on a real GPU or when GSK_RENDERER is set. */
static void
test_window_renderer (void)
{
  g_autoptr(GsWindow) win = NULL;
  g_autofree char *gl = NULL;
  GskRenderer *renderer;

  g_assert_true (gs_renderer_is_software ("llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_true (gs_renderer_is_software ("Software Rasterizer"));
  g_assert_true (gs_renderer_is_software ("softpipe"));
  g_assert_false (gs_renderer_is_software ("AMD Radeon Graphics (radeonsi, renoir, LLVM 15.0.6, DRM 3.49)"));
  g_assert_false (gs_renderer_is_software ("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
  g_assert_false (gs_renderer_is_software (NULL));

  if (renderer_was_set)
    {
      g_test_skip ("GSK_RENDERER was set by the caller");
      return;
    }

  win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  renderer = gtk_native_get_renderer (GTK_NATIVE (win));
  g_assert_nonnull (renderer);
  gl = gs_renderer_gl_name (gtk_widget_get_display (GTK_WIDGET (win)));
  g_test_message ("OpenGL renderer: %s; GTK renderer: %s", gl ? gl : "(none)", G_OBJECT_TYPE_NAME (renderer));
  if (gs_renderer_is_software (gl))
    {
      g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), ==, "GskCairoRenderer");
      g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
    }
  else
    {
      g_assert_null (g_getenv ("GSK_RENDERER"));
    }

  gtk_window_destroy (GTK_WINDOW (win));
}

/* ───────────────────────── opening a model file ───────────────────────── */

/* `gatescope hello.pt`: the course's model saved by torch.save opens as a
 * run that starts from its weights (its first loss is a run's from those
 * weights); Reset starts from them again; a file that does not open keeps
 * the current run and says why. */
static void
test_window_open_model (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autofree char *path = g_build_filename (g_getenv ("GS_SOURCE_DIR"), "tests", "reference", "fixtures",
                                            "torch", "hello.pt", NULL);
  g_autofree char *bad_path = g_build_filename (g_getenv ("GS_SOURCE_DIR"), "tests", "reference", "fixtures",
                                                "torch", "evil.pt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  GsUiTestToast opened = { win, "tanh" };
  GsUiTestToast refused = { win, "could not be opened" };
  const GsTrainConfig *config;
  GsTrainConfig before;
  GsTrainer *ref;
  GsError err;
  const GsSnapshot *s;

  g_assert_true (gs_window_open_model (win, file));
  gs_ui_test_sync (win);
  config = gs_session_get_config (gs_ui_test_session (win));
  g_assert_cmpstr (config->init, ==, path);
  g_assert_cmpint (config->cell, ==, GS_CELL_RNN_TANH);
  g_assert_cmpint (config->H, ==, 8);
  g_assert_cmpint (config->L, ==, 2);
  g_assert_cmpint (config->E, ==, 10);
  /* An RNN file cannot tell tanh from ReLU: the notice says what it assumed. */
  gs_ui_test_wait_for (gs_ui_test_toast_shown, &opened, "a notice that the RNN runs as tanh");

  ref = gs_trainer_new (config, &err);
  g_assert_nonnull (ref);
  g_assert_cmpint (gs_trainer_step (ref, &err), ==, GS_OK);
  press (win, "win.train-step", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->n_history, ==, 1);
  g_assert_cmpfloat (s->history[0].loss_mean, ==, ref->last_loss);

  /* Reset: from the file's weights again. */
  press (win, "win.reset", 1);
  press (win, "win.train-step", 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->n_history, ==, 1);
  g_assert_cmpfloat (s->history[0].loss_mean, ==, ref->last_loss);
  gs_trainer_free (ref);

  /* A pickle that would run a command: refused, the run stays. */
  before = *gs_session_get_config (gs_ui_test_session (win));
  g_assert_false (gs_window_open_model (win, bad));
  gs_ui_test_wait_for (gs_ui_test_toast_shown, &refused, "a notice that the file could not be opened");
  gs_ui_test_sync (win);
  g_assert_cmpmem (gs_session_get_config (gs_ui_test_session (win)), sizeof before, &before, sizeof before);

  gtk_window_destroy (GTK_WINDOW (win));
}

/* A model file of copy says which length it was trained at: "copy" from
 * before the default became 5 is copy:length=2, and one written now names
 * its length. Either opens on its own task, and Apply without a change
 * keeps its weights (the panel's spec is the run's). */
static void
test_window_open_copy_model (void)
{
  static const struct { const char *written, *opens, *length; } files[] = {
    { "copy", "copy:length=2", "2" },
    { "copy:length=5", "copy:length=5", "5" },
  };
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_dir_make_tmp ("gs-copy-XXXXXX", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/copy-%" G_GSIZE_FORMAT ".safetensors", dir, i);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      const char *meta[] = { "task", files[i].written };
      const GsTrainConfig *config;
      GsTrainConfig cfg;
      GsTrainer *tr;
      GsError err;

      gs_train_config_default (&cfg);
      g_snprintf (cfg.task, sizeof cfg.task, "copy:length=%s", files[i].length);
      tr = gs_trainer_new (&cfg, &err);
      g_assert_nonnull (tr);
      g_assert_cmpint (gs_model_save (tr->model, path, meta, 1, &err), ==, GS_OK);
      gs_trainer_free (tr);

      g_assert_true (gs_window_open_model (win, file));
      gs_ui_test_sync (win);
      config = gs_session_get_config (gs_ui_test_session (win));
      g_assert_cmpstr (config->task, ==, files[i].opens);
      g_assert_cmpstr (config->init, ==, path);
      press (win, "win.apply-settings", 1);
      gs_ui_test_sync (win);
      config = gs_session_get_config (gs_ui_test_session (win));
      g_assert_cmpstr (config->task, ==, files[i].opens);
      g_assert_cmpstr (config->init, ==, path);
    }
  /* Apply saved the run's settings: the next test starts from the defaults */
  reset_run_keys (settings);
  g_settings_reset (settings, "embedding");
  g_settings_reset (settings, "optimizer");
  g_settings_reset (settings, "learning-rate");
  g_settings_reset (settings, "seed");
  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_remove_tree (dir);
}

/* ───────────────────────── sessions: open, save, close, autosave ───────────────────────── */

static gboolean
title_is (gpointer data)
{
  const char **w = data;   /* { window, expected } */
  return g_strcmp0 (gtk_window_get_title (GTK_WINDOW (w[0])), w[1]) == 0;
}

static void
wait_title (GsWindow   *win,
            const char *title)
{
  const char *w[2] = { (const char *) win, title };
  g_autofree char *what = g_strdup_printf ("the title \"%s\" (it is \"%s\")", title,
                                           gtk_window_get_title (GTK_WINDOW (win)));
  gs_ui_test_wait_for (title_is, w, what);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

/* Save, the title, open (a session goes on where it was), the recent list. */
static void
test_window_session_save_open (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *dir = g_dir_make_tmp ("gs-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lesson.gatescope", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GsStepper *saved;
  GsError err;

  wait_title (win, "Untitled — Gatescope");
  press (win, "win.train-step", 3);
  wait_title (win, "• Untitled — Gatescope");
  g_assert_true (gs_session_get_dirty (gs_ui_test_session (win)));

  gs_window_save_to (win, path);
  gs_ui_test_sync (win);
  wait_title (win, "lesson.gatescope — Gatescope");
  g_assert_false (gs_session_get_dirty (gs_ui_test_session (win)));
  g_assert_cmpstr (gs_session_get_file (gs_ui_test_session (win)), ==, path);
  saved = gs_session_file_load (path, NULL, &err);
  g_assert_nonnull (saved);
  g_assert_cmpint (saved->trainer->epoch, ==, 3);
  g_assert_cmpint ((int) gs_history_count (saved->history), ==, 3);
  gs_stepper_free (saved);
  uri = g_file_get_uri (file);
  g_assert_true (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), uri));

  /* More training, then the file again: back to epoch 3, clean. */
  press (win, "win.train-step", 2);
  wait_title (win, "• lesson.gatescope — Gatescope");
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 5);
  g_assert_true (gs_window_open_file (win, file));
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 3);
  g_assert_cmpint ((int) gs_history_count (gs_session_get_history (gs_ui_test_session (win))), ==, 3);
  wait_title (win, "lesson.gatescope — Gatescope");
  /* The next step is the one the run would have taken. */
  press (win, "win.train-step", 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 4);

  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_remove_tree (dir);
}

/* A damaged session is refused with a notice; the run stays. */
static void
test_window_session_bad (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *dir = g_dir_make_tmp ("gs-session-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "good.gatescope", NULL);
  g_autofree char *bad = g_build_filename (dir, "cut.gatescope", NULL);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autofree char *data = NULL;
  gsize len;
  GsUiTestToast refused = { win, "cut.gatescope" };

  press (win, "win.train-step", 2);
  gs_window_save_to (win, good);
  gs_ui_test_sync (win);
  g_assert_true (g_file_get_contents (good, &data, &len, NULL));
  g_assert_true (g_file_set_contents (bad, data, (gssize) len / 2, NULL));
  press (win, "win.train-step", 1);
  g_assert_false (gs_window_open_file (win, bad_file));
  gs_ui_test_wait_for (gs_ui_test_toast_shown, &refused, "a notice naming the damaged session");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 3);

  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_remove_tree (dir);
}

/* The window's drop target, found the way GTK finds it: among its
 * controllers. */
static GtkDropTarget *
drop_target_of (GsWindow *win)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (win));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (c))
        return GTK_DROP_TARGET (c);
    }
  g_assert_not_reached ();
  return NULL;
}

/* Drops the file at path on the window; the drop must be taken. */
static void
drop_file (GsWindow   *win,
           const char *path)
{
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, g_slist_append (NULL, g_file_new_for_path (path)));
  g_signal_emit_by_name (drop_target_of (win), "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
}

static gboolean dialog_shown (gpointer data);

/* A file dropped on the window opens; over unsaved work it asks first, as
 * Open does: Cancel keeps the run, Discard opens, Save saves then opens.
 * A file from the command line or the desktop asks the same. */
static void
test_window_session_drop (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *dir = g_dir_make_tmp ("gs-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dropped.gatescope", NULL);
  g_autofree char *other = g_build_filename (dir, "other.gatescope", NULL);
  g_autoptr(GFile) other_file = g_file_new_for_path (other);
  GsStepper *saved;
  GsError err;

  press (win, "win.train-step", 4);
  gs_window_save_to (win, path);
  gs_ui_test_sync (win);
  press (win, "win.train-step", 1);
  gs_window_save_to (win, other);
  gs_ui_test_sync (win);
  wait_title (win, "other.gatescope — Gatescope");
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 5);

  /* a saved run: the file opens at once */
  drop_file (win, path);
  g_assert_false (dialog_shown (win));
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 4);
  wait_title (win, "dropped.gatescope — Gatescope");

  /* unsaved work: the question first; Cancel keeps the run, unsaved */
  press (win, "win.train-step", 2);
  wait_title (win, "• dropped.gatescope — Gatescope");
  drop_file (win, other);
  gs_ui_test_wait_for (dialog_shown, win, "the Save / Discard / Cancel question before opening a dropped file");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "cancel");
  gs_ui_test_sync (win);
  g_assert_false (dialog_shown (win));
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 6);
  g_assert_true (gs_session_get_dirty (gs_ui_test_session (win)));
  wait_title (win, "• dropped.gatescope — Gatescope");

  /* Discard: the dropped file opens, where it was saved */
  drop_file (win, other);
  gs_ui_test_wait_for (dialog_shown, win, "the question again");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "discard");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 5);
  wait_title (win, "other.gatescope — Gatescope");

  /* Save: the run goes to its file first, then the dropped file opens */
  press (win, "win.train-step", 3);
  wait_title (win, "• other.gatescope — Gatescope");
  drop_file (win, path);
  gs_ui_test_wait_for (dialog_shown, win, "the question before saving");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "save");
  gs_ui_test_sync (win);
  wait_title (win, "dropped.gatescope — Gatescope");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 4);
  saved = gs_session_file_load (other, NULL, &err);
  g_assert_nonnull (saved);
  g_assert_cmpint (saved->trainer->epoch, ==, 8);
  gs_stepper_free (saved);

  /* `gatescope FILE` and the desktop reach the window already open: the
   * same question; Cancel keeps the run, Discard opens the file */
  press (win, "win.train-step", 1);
  wait_title (win, "• dropped.gatescope — Gatescope");
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (win));
  g_application_open (G_APPLICATION (app), &other_file, 1, "");
  gs_ui_test_wait_for (dialog_shown, win, "the question before opening a file from the command line");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "cancel");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 5);
  wait_title (win, "• dropped.gatescope — Gatescope");
  g_application_open (G_APPLICATION (app), &other_file, 1, "");
  gs_ui_test_wait_for (dialog_shown, win, "the question again");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "discard");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 8);
  wait_title (win, "other.gatescope — Gatescope");

  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_remove_tree (dir);
}

static gboolean
dialog_shown (gpointer data)
{
  return gs_window_get_close_dialog (data) != NULL;
}

/* Closing with unsaved work asks: Cancel keeps the window, Save writes the
 * file and closes, Discard closes. */
static void
test_window_session_close (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *dir = g_dir_make_tmp ("gs-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "closing.gatescope", NULL);
  g_autofree char *autosave = g_strdup (_gs_window_file_autosave_path (win));   /* each window its own */
  GsStepper *saved;
  GsError err;

  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &win);
  gs_window_save_to (win, path);
  gs_ui_test_sync (win);
  press (win, "win.train-step", 2);

  gtk_window_close (GTK_WINDOW (win));
  gs_ui_test_wait_for (dialog_shown, win, "the Save / Discard / Cancel question");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "cancel");
  gs_ui_test_flush_main_loop ();
  g_assert_nonnull (win);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (win)));

  /* Save: the file gets the run, then the window closes. */
  gtk_window_close (GTK_WINDOW (win));
  gs_ui_test_wait_for (dialog_shown, win, "the question again");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "save");
  gs_ui_test_sync (win);
  for (int i = 0; i < 200 && win != NULL && gtk_widget_get_visible (GTK_WIDGET (win)); i++)
    gs_ui_test_spin_main_loop (10);
  g_assert_true (win == NULL || !gtk_widget_get_visible (GTK_WIDGET (win)));
  saved = gs_session_file_load (path, NULL, &err);
  g_assert_nonnull (saved);
  g_assert_cmpint (saved->trainer->epoch, ==, 2);
  gs_stepper_free (saved);
  /* A clean close leaves nothing to recover. */
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));
  if (win != NULL)
    gtk_window_destroy (GTK_WINDOW (win));

  /* Discard: closes, the file keeps what was saved. */
  win = gs_ui_test_open_window (0, 0);
  g_free (autosave);
  autosave = g_strdup (_gs_window_file_autosave_path (win));
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &win);
  press (win, "win.train-step", 1);
  gs_window_autosave_now (win);
  g_assert_true (g_file_test (autosave, G_FILE_TEST_EXISTS));
  gtk_window_close (GTK_WINDOW (win));
  gs_ui_test_wait_for (dialog_shown, win, "the question about the new run");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "discard");
  for (int i = 0; i < 200 && win != NULL && gtk_widget_get_visible (GTK_WIDGET (win)); i++)
    gs_ui_test_spin_main_loop (10);
  g_assert_true (win == NULL || !gtk_widget_get_visible (GTK_WIDGET (win)));
  /* Discard: nothing is offered next time. */
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));
  if (win != NULL)
    gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_remove_tree (dir);
}

/* Whether the Open Recent submenu lists the uri (data: {win, uri}). */
static gboolean
recent_lists (gpointer data)
{
  GsWindow *win = ((gpointer *) data)[0];
  const char *uri = ((gpointer *) data)[1];
  GMenuModel *items = _gs_window_recent_get_menu (win);

  for (int i = 0; i < g_menu_model_get_n_items (items); i++)
    {
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (items, i, G_MENU_ATTRIBUTE_TARGET,
                                                                           G_VARIANT_TYPE_STRING);
      if (target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), uri) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
recent_empty (gpointer data)
{
  return g_menu_model_get_n_items (_gs_window_recent_get_menu (data)) == 0;
}

/* Open Recent: a saved session appears in the main menu's submenu, newest
 * first; its item opens it, asking first about unsaved work; a file that
 * is gone says so; Clear List empties it. */
static void
test_window_recent (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *dir = g_dir_make_tmp ("gs-recent-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "my_lesson.gatescope", NULL);
  g_autofree char *gone = g_build_filename (dir, "gone.gatescope", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) gone_file = g_file_new_for_path (gone);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *gone_uri = g_file_get_uri (gone_file);
  gpointer listed[2] = { win, uri };
  gpointer gone_listed[2] = { win, gone_uri };
  GsUiTestToast missing = { win, "gone.gatescope is no longer there" };
  GMenuModel *items;
  g_autofree char *label = NULL;

  press (win, "win.train-step", 2);
  gs_window_save_to (win, gone);
  gs_ui_test_sync (win);
  gs_ui_test_wait_for (recent_lists, gone_listed, "gone.gatescope in Open Recent");
  press (win, "win.train-step", 1);
  gs_window_save_to (win, path);
  gs_ui_test_sync (win);
  gs_ui_test_wait_for (recent_lists, listed, "my_lesson.gatescope in Open Recent");
  /* newest first, the underscore shown as itself */
  items = _gs_window_recent_get_menu (win);
  g_assert_true (g_menu_model_get_item_attribute (items, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "my__lesson.gatescope");

  /* unsaved work: the question first; Cancel keeps the run */
  press (win, "win.train-step", 4);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 7);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.open-recent", "s", uri));
  gs_ui_test_wait_for (dialog_shown, win, "the Save / Discard / Cancel question before opening");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "cancel");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 7);
  /* Discard: the file opens, where it was saved */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.open-recent", "s", uri));
  gs_ui_test_wait_for (dialog_shown, win, "the question again");
  adw_message_dialog_response (gs_window_get_close_dialog (win), "discard");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 3);
  wait_title (win, "my_lesson.gatescope — Gatescope");

  /* a file that is gone: a toast, and it leaves the list */
  g_assert_cmpint (g_remove (gone), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.open-recent", "s", gone_uri));
  gs_ui_test_wait_for (gs_ui_test_toast_shown, &missing, "the toast about the missing file");
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 3);
  for (int i = 0; i < 100 && recent_lists (gone_listed); i++)
    gs_ui_test_spin_main_loop (20);
  g_assert_false (recent_lists (gone_listed));

  /* Clear List */
  activate (win, "win.clear-recent");
  gs_ui_test_wait_for (recent_empty, win, "an empty Open Recent");
  g_assert_false (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), uri));

  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_remove_tree (dir);
}

/* Ending without asking (Quit, the session ending, a signal) writes the
 * autosave of unsaved work first; the next window offers it. Each window
 * has an autosave of its own. */
static void
test_window_autosave_on_quit (void)
{
  g_autofree char *autosave = NULL;
  GsWindow *win, *other;
  GsStepper *kept;
  GsError err;

  win = gs_ui_test_open_window (0, 0);
  other = gs_ui_test_open_window (0, 0);
  autosave = g_strdup (_gs_window_file_autosave_path (win));
  g_assert_cmpstr (_gs_window_file_autosave_path (other), !=, autosave);
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));
  press (win, "win.train-step", 4);
  press (other, "win.train-step", 2);
  gs_window_autosave_now (win);
  gs_window_autosave_now (other);
  kept = gs_session_file_load (autosave, NULL, &err);
  g_assert_nonnull (kept);
  g_assert_cmpint (kept->trainer->epoch, ==, 4);
  gs_stepper_free (kept);
  kept = gs_session_file_load (_gs_window_file_autosave_path (other), NULL, &err);
  g_assert_nonnull (kept);
  g_assert_cmpint (kept->trainer->epoch, ==, 2);
  gs_stepper_free (kept);
  /* as Quit does: the windows go without asking */
  gtk_window_destroy (GTK_WINDOW (win));
  gtk_window_destroy (GTK_WINDOW (other));
  g_assert_true (g_file_test (autosave, G_FILE_TEST_EXISTS));

  /* the next start offers the first; answering it, a window offers the other */
  win = gs_ui_test_open_window (0, 0);
  g_assert_true (gs_window_recovery_offered (win));
  gs_window_recovery_respond (win, TRUE);
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 4);
  {
    GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
    other = NULL;
    for (GList *l = windows; l != NULL; l = l->next)
      if (l->data != win && GS_IS_WINDOW (l->data) && gs_window_recovery_offered (l->data))
        other = l->data;
  }
  g_assert_nonnull (other);
  g_assert_true (gs_window_recovery_offered (other));
  gs_window_recovery_respond (other, FALSE);
  g_assert_false (g_file_test (_gs_window_file_autosave_path (other), G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (other));

  /* a run with nothing unsaved writes nothing */
  {
    g_autofree char *dir = g_dir_make_tmp ("gs-quit-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "saved.gatescope", NULL);
    g_assert_cmpint (g_remove (autosave), ==, 0);
    gs_window_save_to (win, path);
    gs_ui_test_sync (win);
    g_assert_false (gs_session_get_dirty (gs_ui_test_session (win)));
    gs_window_autosave_now (win);
    g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));
    gs_ui_test_remove_tree (dir);
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The run is autosaved; a window that did not close cleanly leaves it, and
 * the next window offers to restore it. */
static void
test_window_session_recovery (void)
{
  g_autofree char *autosave = NULL;
  GsWindow *win;
  GsStepper *kept;
  GsError err;

  g_setenv ("GS_AUTOSAVE_INTERVAL", "0.2", TRUE);
  win = gs_ui_test_open_window (0, 0);
  autosave = g_strdup (_gs_window_file_autosave_path (win));
  g_assert_false (gs_window_recovery_offered (win));
  press (win, "win.train-step", 6);
  gs_ui_test_wait_for (file_exists, autosave, "the autosave");
  /* Wait for the one that has all six steps. */
  for (int i = 0; i < 100; i++)
    {
      kept = gs_session_file_load (autosave, NULL, &err);
      if (kept != NULL && kept->trainer->epoch == 6)
        break;
      gs_stepper_free (kept);
      kept = NULL;
      gs_ui_test_spin_main_loop (50);
    }
  g_assert_nonnull (kept);
  gs_stepper_free (kept);
  /* A crash: the window goes without closing. */
  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_true (g_file_test (autosave, G_FILE_TEST_EXISTS));

  win = gs_ui_test_open_window (0, 0);
  g_assert_true (gs_window_recovery_offered (win));
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 0);
  gs_window_recovery_respond (win, TRUE);
  gs_ui_test_sync (win);
  g_assert_false (gs_window_recovery_offered (win));
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 6);
  /* A restored run has no file yet: it is unsaved, and closing would ask. */
  g_assert_true (gs_session_get_dirty (gs_ui_test_session (win)));
  wait_title (win, "• Untitled — Gatescope");
  gtk_window_destroy (GTK_WINDOW (win));

  /* Discard removes it. */
  win = gs_ui_test_open_window (0, 0);
  g_assert_true (gs_window_recovery_offered (win));
  gs_window_recovery_respond (win, FALSE);
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (win));
  g_unsetenv ("GS_AUTOSAVE_INTERVAL");
}

/* The history of learning: training records the first held-out sequence
 * at log-spaced epochs and the latest; the scrubber shows every view a
 * recording without touching the run, and "live" follows the run again. */
static void
test_window_scrubber (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GsSession *session = gs_ui_test_session (win);
  const GsRecordings *r;
  const long expect[] = { 0, 1, 2, 3, 5, 8, 10 };
  GsSnap *shown;
  const GsSnapshot *rec, *first;

  press (win, "win.train-step", 10);
  r = gs_session_get_recordings (session);
  g_assert_cmpint (r->n, ==, G_N_ELEMENTS (expect));
  for (int i = 0; i < r->n; i++)
    g_assert_cmpint (r->rec[i].epoch, ==, expect[i]);
  g_assert_cmpint (_gs_window_get_scrub_epoch (win), ==, -1);
  g_assert_true (gs_view_get_snap (gs_ui_test_child (win, "cell_view")) == gs_session_get_snap (session));
  /* the scale: one position per recording and "live" at the end */
  {
    GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (win->scrub_scale));
    g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, r->n);
    g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, r->n);
  }

  /* Drag to epoch 2 (position 2): every view draws that recording. */
  gtk_range_set_value (GTK_RANGE (win->scrub_scale), 2);
  gs_ui_test_flush_main_loop ();
  g_assert_cmpint (_gs_window_get_scrub_epoch (win), ==, 2);
  shown = _gs_window_get_shown_snap (win);
  rec = gs_snap_get (shown);
  g_assert_cmpint (rec->epoch, ==, 2);
  g_assert_cmpint (rec->t_fwd, ==, rec->T);
  g_assert_true (memcmp (rec->logits, r->rec[2].snap->logits, sizeof (float) * rec->T * rec->task->O) == 0);
  g_assert_true (gs_view_get_snap (gs_ui_test_child (win, "cell_view")) == shown);
  g_assert_true (gs_view_get_snap (gs_ui_test_child (win, "unrolled_view")) == shown);
  g_assert_true (gs_view_get_snap (gs_ui_test_child (win, "prediction_bars")) == shown);
  g_assert_true (gs_view_get_snap (gs_ui_test_child (win, "gradient_view")) == shown);
  g_assert_nonnull (strstr (gtk_label_get_label (win->scrub_label), "Epoch 2"));
  /* the run was not touched: still epoch 10, and it trains on */
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 10);
  press (win, "win.train-step", 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 11);
  g_assert_true (gs_view_get_snap (gs_ui_test_child (win, "cell_view")) == _gs_window_get_shown_snap (win));
  g_assert_cmpint (gs_snap_get (_gs_window_get_shown_snap (win))->epoch, ==, 2);
  /* epoch 11 replaced the latest, 10 */
  g_assert_cmpint (r->rec[r->n - 1].epoch, ==, 11);
  g_assert_cmpint (gs_recordings_find (r, 10), ==, -1);

  /* The random start predicts otherwise than the trained network. */
  g_assert_true (_gs_window_scrub_to (win, 0));
  first = gs_snap_get (_gs_window_get_shown_snap (win));
  g_assert_false (memcmp (first->probs, r->rec[r->n - 1].snap->probs, sizeof (float) * first->T * first->task->O) == 0);

  /* Back to live: the scale's last position. */
  gtk_range_set_value (GTK_RANGE (win->scrub_scale), r->n);
  gs_ui_test_flush_main_loop ();
  g_assert_cmpint (_gs_window_get_scrub_epoch (win), ==, -1);
  g_assert_true (gs_view_get_snap (gs_ui_test_child (win, "cell_view")) == gs_session_get_snap (session));
  g_assert_false (gtk_widget_get_sensitive (win->scrub_live_button));

  /* A reset starts a new history, and the views follow the new run. */
  g_assert_true (_gs_window_scrub_to (win, 3));
  press (win, "win.reset", 1);
  g_assert_cmpint (_gs_window_get_scrub_epoch (win), ==, -1);
  g_assert_cmpint (r->n, ==, 1);
  g_assert_cmpint (r->rec[0].epoch, ==, 0);
  g_assert_true (gs_view_get_snap (gs_ui_test_child (win, "cell_view")) == gs_session_get_snap (session));

  gtk_window_destroy (GTK_WINDOW (win));
}

static gboolean
all_f_one (const GsSnapshot *s,
           int               t_end)
{
  const int H = s->cfg.H, GH = s->G * H;

  for (int t = 0; t < t_end; t++)
    for (int u = 0; u < H; u++)
      if (s->layer[0].act[(size_t) t * GH + H + u] != 1.0f)
        return FALSE;
  return TRUE;
}

/* The Menu key / Shift+F10 on `widget`: runs the shortcut that has both
 * triggers, as a key press would; what it returns. */
static gboolean
press_menu_key (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (strstr (trigger, "Menu") != NULL && strstr (trigger, "<Shift>F10") != NULL)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_error ("%s has no binding for Menu and Shift+F10", G_OBJECT_TYPE_NAME (widget));
  return FALSE;
}

/* The form as the unit menu left it: the kind chosen and the spec. */
static void
assert_form (GsWindow   *win,
             guint       kind_index,
             const char *spec)
{
  g_assert_cmpuint (gtk_drop_down_get_selected (win->iv_kind), ==, kind_index);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (win->iv_entry)), ==, spec);
  if (_gs_window_can_pop_up (GTK_WIDGET (win->iv_button)))
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (win->iv_button))));
  gtk_menu_button_popdown (win->iv_button);
}

/* Whether `model` or one of its sections has an item for `action`; the
 * title of the section that has it goes to `title` (if not NULL). */
static gboolean
menu_has_action (GMenuModel *model,
                 const char *action,
                 char      **title)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_strcmp0 (name, action) == 0)
        return TRUE;
      if (section != NULL && menu_has_action (section, action, NULL))
        {
          if (title != NULL)
            g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", title);
          return TRUE;
        }
    }
  return FALSE;
}

/* Opens the context menu of `view` at (x, y), or with its menu keys when
 * x < 0 (the window's shortcut, as a key press would run it, on the
 * focused view): it goes to that view and offers the pictures' items, and
 * the unit's when a unit is there. Returns the section title of the unit
 * (newly allocated), or NULL when the menu has no unit items. */
static char *
open_context_menu (GsWindow  *win,
                   GtkWidget *view,
                   double     x,
                   double     y)
{
  GMenuModel *model;
  GdkRectangle at;
  char *title = NULL;
  gboolean unit;

  if (x < 0.0)
    {
      gtk_widget_grab_focus (view);
      g_assert_true (press_menu_key (GTK_WIDGET (win)));
    }
  else
    g_assert_true (_gs_window_context_menu (win, view, x, y));
  g_assert_true (gtk_widget_get_parent (win->export_menu) == view);
  /* shown where it has a place on screen (not on a page not shown, nor at
   * a point scrolled out of the window) */
  g_assert_true (gtk_popover_get_pointing_to (GTK_POPOVER (win->export_menu), &at));
  g_assert_cmpint (gtk_widget_get_visible (win->export_menu), ==,
                   _gs_window_can_pop_up_at (view, &GRAPHENE_POINT_INIT (at.x + at.width / 2.0f,
                                                                         at.y + at.height / 2.0f)));
  model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (win->export_menu));
  g_assert_true (menu_has_action (model, "win.export-picture", NULL));
  g_assert_true (menu_has_action (model, "win.copy-picture", NULL));
  g_assert_true (menu_has_action (model, "win.export-page", NULL));
  unit = menu_has_action (model, "unit.clamp", &title);
  g_assert_cmpint (unit, ==, menu_has_action (model, "unit.zero-h", NULL));
  g_assert_cmpint (unit, ==, menu_has_action (model, "unit.ablate", NULL));
  g_assert_true (!unit || title != NULL);
  return title;
}

/* Chooses `action` in the open context menu: it closes, the item runs. */
static void
choose (GsWindow   *win,
        const char *action)
{
  gtk_popover_popdown (GTK_POPOVER (win->export_menu));
  g_assert_true (gtk_widget_activate_action (win->export_menu, action, NULL));
}

/* A right click on a unit of a heatmap, the cell view and the unrolled
 * view finds its layer, unit, timestep and gate; the context menu then has
 * the unit's items (titled with it) before the pictures', and they fill
 * the Intervene form with them; off a unit it has only the pictures';
 * from the keyboard the menu opens on the focused view's unit at its
 * timestep. */
static void
check_unit_menu (GsWindow *win)
{
  GsHeatmap *f_map = NULL;
  graphene_rect_t r;
  int layer, unit, t, first, end;
  char gate;
  char *title;

  gs_window_set_timestep (win, 2);
  /* the views' geometry is read below: a frame lays them out (a run
   * just opened from a file may not have had one yet) */
  gs_ui_test_wait_for_frames (GTK_WIDGET (win));
  for (guint i = 0; i < win->heatmaps->len; i++)
    if (g_strcmp0 (gs_heatmap_get_quantity (g_ptr_array_index (win->heatmaps, i)), "f") == 0)
      f_map = g_ptr_array_index (win->heatmaps, i);
  g_assert_nonnull (f_map);

  /* a heatmap of f: unit 1 at t = 3 */
  g_assert_true (gs_heatmap_get_cell_rect (f_map, 3, 1, &r));
  g_assert_true (_gs_window_unit_at (win, GTK_WIDGET (f_map), r.origin.x + r.size.width / 2,
                                     r.origin.y + r.size.height / 2, &layer, &unit, &t, &gate));
  g_assert_cmpint (layer, ==, 0);
  g_assert_cmpint (unit, ==, 1);
  g_assert_cmpint (t, ==, 3);
  g_assert_cmpint (gate, ==, 'f');
  title = open_context_menu (win, GTK_WIDGET (f_map), r.origin.x + r.size.width / 2,
                             r.origin.y + r.size.height / 2);
  g_assert_cmpstr (title, ==, "unit 1");
  g_free (title);
  g_assert_true (g_action_group_get_action_enabled (
    G_ACTION_GROUP (g_object_get_data (G_OBJECT (win), "gs-unit-actions")), "clamp"));
  choose (win, "unit.clamp");
  assert_form (win, 0, "1:f:1@3=1");
  g_free (open_context_menu (win, GTK_WIDGET (f_map), r.origin.x + r.size.width / 2,
                             r.origin.y + r.size.height / 2));
  choose (win, "unit.ablate");
  assert_form (win, 3, "1:1");
  /* the labels under the grid are no unit: only the pictures */
  g_assert_false (_gs_window_unit_at (win, GTK_WIDGET (f_map), 1, 1, &layer, &unit, &t, &gate));
  g_assert_null (open_context_menu (win, GTK_WIDGET (f_map), 1, 1));
  gtk_popover_popdown (GTK_POPOVER (win->export_menu));

  /* the cell view at t = 2: o of unit 2, and h_{t−1} of unit 0 (t = 1) */
  g_assert_true (gs_cell_view_get_unit_rect (win->cell_view, 'o', 2, &r));
  g_assert_true (_gs_window_unit_at (win, GTK_WIDGET (win->cell_view), r.origin.x + r.size.width / 2,
                                     r.origin.y + r.size.height / 2, &layer, &unit, &t, &gate));
  g_assert_cmpint (unit, ==, 2);
  g_assert_cmpint (t, ==, 2);
  g_assert_cmpint (gate, ==, 'o');
  g_assert_true (gs_cell_view_get_unit_rect (win->cell_view, 'H', 0, &r));
  g_assert_true (_gs_window_unit_at (win, GTK_WIDGET (win->cell_view), r.origin.x + r.size.width / 2,
                                     r.origin.y + r.size.height / 2, &layer, &unit, &t, &gate));
  g_assert_cmpint (unit, ==, 0);
  g_assert_cmpint (t, ==, 1);
  g_assert_cmpint (gate, ==, '\0');
  g_free (open_context_menu (win, GTK_WIDGET (win->cell_view), r.origin.x + r.size.width / 2,
                             r.origin.y + r.size.height / 2));
  /* h has no gate to clamp */
  g_assert_false (g_action_group_get_action_enabled (
    G_ACTION_GROUP (g_object_get_data (G_OBJECT (win), "gs-unit-actions")), "clamp"));
  choose (win, "unit.zero-h");
  assert_form (win, 2, "1:0@1=0");
  /* the cell view's corner is no unit */
  g_assert_null (open_context_menu (win, GTK_WIDGET (win->cell_view), 1, 1));
  gtk_popover_popdown (GTK_POPOVER (win->export_menu));

  /* the unrolled view: h of unit 3 in layer 2 at t = 1 */
  /* and a frame again before the unrolled view's geometry: the menus
   * above may have changed the bars over the views, and the window shares
   * the room between them again an idle later. */
  gs_ui_test_spin_main_loop (200);
  gs_ui_test_wait_for_frames (GTK_WIDGET (win));
  g_assert_true (gs_unrolled_view_get_unit_rect (win->unrolled_view, 1, 1, 'h', 3, &r, &first, &end));
  g_assert_true (_gs_window_unit_at (win, GTK_WIDGET (win->unrolled_view), r.origin.x + r.size.width / 2,
                                     r.origin.y + r.size.height / 2, &layer, &unit, &t, &gate));
  g_assert_cmpint (layer, ==, 1);
  g_assert_cmpint (unit, ==, 3);
  g_assert_cmpint (t, ==, 1);

  /* the keyboard (the window's Menu / Shift+F10 shortcut): the cell
   * view's first gate, unit 0, at its timestep */
  g_free (open_context_menu (win, GTK_WIDGET (win->cell_view), -1, -1));
  choose (win, "unit.clamp");
  assert_form (win, 0, "1:i:0@2=1");
  /* … and in a heatmap, its own gate */
  gtk_widget_grab_focus (GTK_WIDGET (f_map));
  if (gtk_widget_has_focus (GTK_WIDGET (f_map)))
    {
      title = open_context_menu (win, GTK_WIDGET (f_map), -1, -1);
      g_assert_cmpstr (title, ==, "unit 0");
      g_free (title);
      choose (win, "unit.ablate");
      assert_form (win, 3, "1:0");
    }
  else
    g_test_message ("the heatmaps' page is not shown: their keyboard menu is not tried");
}

/* Interventions: the form sends a clamp to the worker, which computes the
 * sequence again with it; the bar lists it with the prediction with and
 * without it; its remove button takes it away; a bad one is a toast. */
static void
test_window_interventions (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GsSession *session = gs_ui_test_session (win);
  const char *with, *without;
  float loss_with, loss_without;
  GtkWidget *chip, *remove;

  press (win, "win.train-step", 5);
  press (win, "win.step-forward", 3);
  g_assert_false (all_f_one (gs_ui_test_snapshot (win), 3));
  g_assert_false (gtk_widget_get_visible (win->iv_bar));

  /* f = 1 everywhere in layer 1 */
  _gs_window_add_intervention (win, 0, "1:f:*=1");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_session_get_interventions (session)->n, ==, 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, ==, 3);
  g_assert_true (all_f_one (gs_ui_test_snapshot (win), 3));
  g_assert_true (gtk_widget_get_visible (win->iv_bar));
  chip = gtk_widget_get_first_child (win->iv_list);
  g_assert_nonnull (chip);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (chip))), ==,
                   "Layer 1: f = 1 · every unit · every step");
  g_assert_true (gs_session_get_comparison (session, &with, &without, &loss_with, &loss_without));
  g_assert_cmpint (strlen (with), ==, 5);
  g_assert_cmpint (strlen (without), ==, 5);
  g_assert_cmpfloat (loss_with, !=, loss_without);
  g_assert_nonnull (strstr (gtk_label_get_label (win->iv_compare), without));
  /* stepping on keeps it */
  press (win, "win.step-forward", 2);
  g_assert_true (all_f_one (gs_ui_test_snapshot (win), 5));
  /* the snapshot carries them: the views mark what they fix */
  g_assert_cmpint (gs_ui_test_snapshot (win)->iv.n, ==, 1);
  g_assert_cmpint (gs_interventions_fixes (&gs_ui_test_snapshot (win)->iv, &gs_ui_test_snapshot (win)->cfg, 0, 4, 'f', 0), ==,
                   GS_FIX_VALUE);
  /* a recording is the plain network, and the scrubber says so */
  g_assert_true (_gs_window_scrub_to (win, 0));
  g_assert_cmpint (gs_snap_get (_gs_window_get_shown_snap (win))->iv.n, ==, 0);
  g_assert_nonnull (strstr (gtk_label_get_label (win->scrub_label), "plain network — the interventions are not applied"));
  g_assert_true (_gs_window_scrub_to (win, -1));

  /* a second one, then a refused one: the list stays at two */
  _gs_window_add_intervention (win, 3, "2:1");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_session_get_interventions (session)->n, ==, 2);
  _gs_window_add_intervention (win, 0, "9:f:*=1");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_session_get_interventions (session)->n, ==, 2);
  _gs_window_add_intervention (win, 0, "1:q:*=1");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_session_get_interventions (session)->n, ==, 2);

  /* remove the clamp with its button: f is the network's again */
  chip = gtk_widget_get_first_child (win->iv_list);
  remove = gtk_widget_get_last_child (chip);
  g_assert_true (GTK_IS_BUTTON (remove));
  g_signal_emit_by_name (remove, "clicked");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_session_get_interventions (session)->n, ==, 1);
  g_assert_cmpint (gs_session_get_interventions (session)->item[0].kind, ==, GS_IV_SET_H);
  g_assert_false (all_f_one (gs_ui_test_snapshot (win), 5));

  /* saved in the session: opening it shows them again, and the history of
   * learning comes back with them */
  {
    g_autofree char *dir = g_dir_make_tmp ("gs-iv-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "what-if.gatescope", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    int n_recs = gs_session_get_recordings (session)->n;
    long epochs[GS_RECORDINGS_MAX + 1];

    g_assert_cmpint (n_recs, >, 1);
    for (int i = 0; i < n_recs; i++)
      epochs[i] = gs_session_get_recordings (session)->rec[i].epoch;
    gs_window_save_to (win, path);
    gs_ui_test_sync (win);
    press (win, "win.reset", 1);
    g_assert_cmpint (gs_session_get_interventions (session)->n, ==, 0);
    g_assert_true (gs_window_open_file (win, file));
    gs_ui_test_sync (win);
    g_assert_cmpint (gs_session_get_interventions (session)->n, ==, 1);
    g_assert_cmpint (gs_session_get_interventions (session)->item[0].kind, ==, GS_IV_SET_H);
    g_assert_true (gtk_widget_get_visible (win->iv_bar));
    chip = gtk_widget_get_first_child (win->iv_list);
    g_assert_nonnull (chip);
    g_assert_null (gtk_widget_get_next_sibling (chip));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (chip))), "Layer 2"));
    /* the epoch scrubber offers the recordings the file brought, and
     * shows one of them */
    g_assert_cmpint (gs_session_get_recordings (session)->n, ==, n_recs);
    for (int i = 0; i < n_recs; i++)
      g_assert_cmpint (gs_session_get_recordings (session)->rec[i].epoch, ==, epochs[i]);
    g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_range_get_adjustment (GTK_RANGE (win->scrub_scale))), ==, n_recs);
    gtk_range_set_value (GTK_RANGE (win->scrub_scale), 1);
    gs_ui_test_flush_main_loop ();
    g_assert_cmpint (_gs_window_get_scrub_epoch (win), ==, epochs[1]);
    gtk_range_set_value (GTK_RANGE (win->scrub_scale), n_recs);
    gs_ui_test_flush_main_loop ();
    gs_ui_test_remove_tree (dir);
  }

  /* the unit menu (right click, Menu, Shift+F10) fills the form */
  check_unit_menu (win);

  /* a reset removes them all */
  press (win, "win.reset", 1);
  g_assert_cmpint (gs_session_get_interventions (session)->n, ==, 0);
  g_assert_false (gtk_widget_get_visible (win->iv_bar));
  g_assert_true (_gs_window_scrub_to (win, 0));
  g_assert_nonnull (strstr (gtk_label_get_label (win->scrub_label), "plain network (no interventions)"));

  gtk_window_destroy (GTK_WINDOW (win));
}

/* N→1: a phrase of one's own. The panel shows for the classify task only;
 * it names the class the saved-weights model gives (the same as the core's
 * own forward pass over gs_task_classify_encode's tokens), how the class's
 * probability grew step by step, and counts characters read as <unk>. */
static void
test_window_classify_phrase (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GsClassifyPanel *panel = gs_ui_test_child (win, "classify_panel");
  const GsSnapshot *s;
  GsModel *m;
  GsError err;
  int tokens[8], n, unknown = -1, k;

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));   /* hello */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("classify"));
  press (win, "win.apply-settings", 1);
  press (win, "win.train-step", 40);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpstr (s->task->name, ==, "classify");
  g_assert_true (gs_classify_panel_get_available (panel));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));

  gs_classify_panel_set_phrase (panel, "a lovely film马");
  gs_classify_panel_classify (panel);
  g_assert_null (gs_classify_panel_get_error (panel));
  g_assert_cmpint (gs_classify_panel_get_steps (panel), ==, 14);
  g_assert_cmpint (gs_classify_panel_get_unknown (panel), ==, 1);

  /* the reference: the snapshot's weights over the task's own tokens */
  n = gs_task_classify_encode (s->task, "a lovely film马", tokens, 8, &unknown, &err);
  g_assert_cmpint (n, ==, -1);   /* longer than 8: refused, not cut */
  {
    int all[32];
    n = gs_task_classify_encode (s->task, "a lovely film马", all, 32, &unknown, &err);
    g_assert_cmpint (n, ==, 14);
    g_assert_cmpint (all[13], ==, GS_CLASSIFY_UNK);
    m = gs_param_copy_model (s->params, &err);
    g_assert_nonnull (m);
    g_assert_cmpint (gs_model_set_sequence (m, n, 1, all, NULL, NULL, NULL, NULL, &err), ==, GS_OK);
    gs_model_forward_seq (m);
    k = gs_model_predict (m, n - 1, 0);
    g_assert_cmpstr (gs_classify_panel_get_class (panel), ==, s->task->out_vocab[k]);
    g_assert_cmpfloat_with_epsilon (gs_classify_panel_get_probability (panel), m->probs[(size_t) (n - 1) * m->cfg.O + k],
                                    1e-6);
    for (int t = 0; t < n; t++)
      g_assert_cmpfloat_with_epsilon (gs_classify_panel_get_step_probability (panel, t),
                                      m->probs[(size_t) t * m->cfg.O + k], 1e-6);
    gs_model_free (m);
  }
  (void) tokens;

  /* an empty phrase: a message, no class */
  gs_classify_panel_set_phrase (panel, "");
  gs_classify_panel_classify (panel);
  g_assert_nonnull (gs_classify_panel_get_error (panel));
  g_assert_null (gs_classify_panel_get_class (panel));

  activate (win, "win.default-settings");
  press (win, "win.apply-settings", 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A bidirectional layer: the cell view shows either direction, chosen by
 * the Reverse Direction button that shows for such models only. */
static void
test_window_reverse_direction (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GtkToggleButton *reverse = gs_ui_test_child (win, "reverse_button");
  GsCellView *cell = gs_ui_test_child (win, "cell_view");

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (reverse)));   /* hello: one direction */
  adw_combo_row_set_selected (gs_ui_test_child (win, "task_row"), task_index ("classify"));
  gtk_switch_set_active (gs_ui_test_child (win, "variant-bidirectional-switch"), TRUE);
  press (win, "win.apply-settings", 1);
  press (win, "win.train-step", 2);
  g_assert_cmpint (gs_ui_test_snapshot (win)->D, ==, 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reverse)));
  g_assert_cmpint (gs_cell_view_get_direction (cell), ==, 0);
  gtk_toggle_button_set_active (reverse, TRUE);
  g_assert_cmpint (gs_cell_view_get_direction (cell), ==, 1);
  gtk_toggle_button_set_active (reverse, FALSE);
  g_assert_cmpint (gs_cell_view_get_direction (cell), ==, 0);
  gtk_toggle_button_set_active (reverse, TRUE);

  gtk_switch_set_active (gs_ui_test_child (win, "variant-bidirectional-switch"), FALSE);
  press (win, "win.apply-settings", 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->D, ==, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (reverse)));
  g_assert_cmpint (gs_cell_view_get_direction (cell), ==, 0);
  activate (win, "win.default-settings");
  press (win, "win.apply-settings", 1);
  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = gs_ui_test_make_fresh_home ();
  int status;

  gs_ui_test_init (&argc, &argv);

  renderer_was_set = g_getenv ("GSK_RENDERER") != NULL;
  /* Still open files, as `gatescope FILE` does. */
  app = gs_ui_test_app_new (G_APPLICATION_HANDLES_OPEN);

  g_test_add_func ("/window/opens-ready", test_window_opens_ready);
  g_test_add_func ("/window/step-forward-and-back", test_window_step_forward_and_back);
  g_test_add_func ("/window/backward", test_window_backward);
  g_test_add_func ("/window/seq2seq", test_window_seq2seq);
  g_test_add_func ("/window/seq2seq-greedy", test_window_seq2seq_greedy);
  g_test_add_func ("/window/train-step", test_window_train_step);
  g_test_add_func ("/window/play", test_window_play);
  g_test_add_func ("/window/train-and-reset", test_window_train_and_reset);
  g_test_add_func ("/window/settings-gru", test_window_settings_gru);
  g_test_add_func ("/window/task-recipe", test_window_task_recipe);
  g_test_add_func ("/window/bidirectional-select", test_window_bidirectional_select);
  g_test_add_func ("/window/shapes-page", test_window_shapes_page);
  g_test_add_func ("/window/settings-large", test_window_settings_large);
  g_test_add_func ("/window/settings-invalid", test_window_settings_invalid);
  g_test_add_func ("/window/saved-unusable", test_window_saved_unusable);
  g_test_add_func ("/window/settings-too-big", test_window_settings_too_big);
  g_test_add_func ("/window/diverged", test_window_diverged);
  g_test_add_func ("/window/timestep-activated", test_window_timestep_activated);
  g_test_add_func ("/window/generate", test_window_generate);
  g_test_add_func ("/window/classify-phrase", test_window_classify_phrase);
  g_test_add_func ("/window/reverse-direction", test_window_reverse_direction);
  g_test_add_func ("/window/close-while-training", test_window_close_while_training);
  g_test_add_func ("/window/size-is-remembered", test_window_size_is_remembered);
  g_test_add_func ("/window/measure-frames", test_window_measure_frames);
  g_test_add_func ("/window/fps-overlay", test_window_fps_overlay);
  g_test_add_func ("/window/renderer", test_window_renderer);
  g_test_add_func ("/window/settings-task", test_window_settings_task);
  g_test_add_func ("/window/series-plot", test_window_series_plot);
  g_test_add_func ("/window/settings-variant", test_window_settings_variant);
  g_test_add_func ("/window/variant-table", test_window_variant_table);
  g_test_add_func ("/window/settings-bad-file", test_window_settings_bad_file);
  g_test_add_func ("/window/settings-persist", test_window_settings_persist);
  g_test_add_func ("/window/open-model", test_window_open_model);
  g_test_add_func ("/window/open-copy-model", test_window_open_copy_model);
  g_test_add_func ("/window/session-save-open", test_window_session_save_open);
  g_test_add_func ("/window/session-bad", test_window_session_bad);
  g_test_add_func ("/window/session-drop", test_window_session_drop);
  g_test_add_func ("/window/session-close", test_window_session_close);
  g_test_add_func ("/window/session-recovery", test_window_session_recovery);
  g_test_add_func ("/window/recent", test_window_recent);
  g_test_add_func ("/window/autosave-on-quit", test_window_autosave_on_quit);
  g_test_add_func ("/window/scrubber", test_window_scrubber);
  g_test_add_func ("/window/interventions", test_window_interventions);

  status = g_test_run ();

  g_clear_object (&app);
  gs_ui_test_remove_tree (home);
  return status;
}
