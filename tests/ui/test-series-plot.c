/* test-series-plot.c — the regression plot, rendered offscreen and checked pixel-wise.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trains the series task for a few steps, feeds a fresh sequence forward to
 * its end and checks what a student would see: the prediction is drawn in
 * the accent colour where gs_series_plot_map_point () puts logits[t], the
 * truth in the text colour where it puts ys[t]; the adding task's single
 * target is one truth point; before any forward step, and for a
 * classification task, nothing is plotted. With GS_TEST_PNG_DIR set, the
 * renderings are saved there (light and dark). Run it under Xvfb.
 */

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "gs-series-plot.h"
#include "gs-snap.h"
#include "gs-train.h"
#include "gs-ui-test.h"

#define RENDER    (GS_UI_RENDER_WAIT_FRAMES | GS_UI_RENDER_WINDOW_BG)
#define WIDTH     760
#define HEIGHT    420

/* The engine. */

static GsTrainer *
trainer (const char *task,
         int         steps)
{
  GsTrainConfig cfg;
  GsError err;
  GsTrainer *tr;

  gs_train_config_default (&cfg);
  g_strlcpy (cfg.task, task, sizeof cfg.task);
  cfg.H = 4;
  tr = gs_trainer_new (&cfg, &err);
  if (tr == NULL)
    g_error ("gs_trainer_new (%s): %s", task, err.msg);
  for (int i = 0; i < steps; i++)
    if (gs_trainer_step (tr, &err) != GS_OK)
      g_error ("gs_trainer_step (%s): %s", task, err.msg);
  return tr;
}

static GdkRGBA
accent_of (GtkWidget *widget)
{
  GdkRGBA color;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                                 "accent_color", &color));
  return color;
}

/* The text colour as drawn: laid over the window's background at its alpha. */
static GdkRGBA
fg_of (GtkWidget *widget)
{
  GdkRGBA fg, back;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                                 "window_bg_color", &back));
  /* c = a · fg + (1 − a) · back */
  return (GdkRGBA) { fg.alpha * fg.red + (1.0f - fg.alpha) * back.red,
                     fg.alpha * fg.green + (1.0f - fg.alpha) * back.green,
                     fg.alpha * fg.blue + (1.0f - fg.alpha) * back.blue, 1.0f };
}

/* The tests. */

/* The prediction's pixel is the accent colour, the truth's the text
 * colour, at the places the mapping helper gives, in light and dark. */
static void
test_series (void)
{
  GsTrainer *tr = trainer ("series", 5);
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, tr->model->T, tr->model->T);
  const GsSnapshot *s = gs_snap_get (snap);
  const int O = s->cfg.O, T = s->T;
  GsSeriesPlot *plot = GS_SERIES_PLOT (gs_series_plot_new ());
  GtkWidget *window;

  g_assert_cmpint (s->cfg.loss, ==, GS_LOSS_MSE);
  g_assert_nonnull (s->ys);
  g_assert_cmpint (s->t_fwd, ==, T);
  g_assert_cmpint (T, >=, 8);

  gs_view_set_snap (GS_VIEW (plot), snap);
  gs_view_set_timestep (GS_VIEW (plot), T - 1);
  g_assert_cmpint (gs_series_plot_get_feature (plot), ==, 0);
  window = gs_ui_test_show_in_window (GTK_WIDGET (plot), WIDTH, HEIGHT, FALSE);

  for (int dark = 0; dark < 2; dark++)
    {
      g_autoptr(GsUiImage) image = NULL;
      GdkRGBA accent, fg;
      int n_checked = 0;

      gs_ui_test_set_dark (dark);
      image = gs_ui_test_render (GTK_WIDGET (plot), dark ? "series-plot-dark" : "series-plot-light", RENDER);
      accent = accent_of (GTK_WIDGET (plot));
      fg = fg_of (GTK_WIDGET (plot));

      /* Steps away from the current one, where the two lines are ≥ 10 px
       * apart: each line's colour sits where the helper maps its value. */
      for (int t = 1; t < T - 3; t++)
        {
          float px, py, tx, ty;

          g_assert_true (gs_series_plot_map_point (plot, t, s->logits[(size_t) t * O], &px, &py));
          g_assert_true (gs_series_plot_map_point (plot, t, s->ys[(size_t) t * O], &tx, &ty));
          g_assert_cmpfloat (fabsf (px - tx), <, 0.01f);
          g_assert_true (px > 0 && px < WIDTH && py > 0 && py < HEIGHT);
          if (fabsf (py - ty) < 10.0f)
            continue;
          g_assert_true (gs_ui_test_is_color (image, (int) px, (int) py, &accent, 24));
          g_assert_false (gs_ui_test_is_color (image, (int) px, (int) py, &fg, 60));
          g_assert_true (gs_ui_test_is_color (image, (int) tx, (int) ty, &fg, 24));
          g_assert_false (gs_ui_test_is_color (image, (int) tx, (int) ty, &accent, 60));
          n_checked++;
        }
      g_test_message ("%s: %d timesteps checked", dark ? "dark" : "light", n_checked);
      g_assert_cmpint (n_checked, >=, 3);

      /* Later steps are further right, larger values higher up. */
      {
        float x1, y1, x2, y2;

        g_assert_true (gs_series_plot_map_point (plot, 1, 0.0f, &x1, &y1));
        g_assert_true (gs_series_plot_map_point (plot, 2, 0.5f, &x2, &y2));
        g_assert_cmpfloat (x2, >, x1);
        g_assert_cmpfloat (y2, <, y1);
      }
    }
  gs_ui_test_set_dark (FALSE);

  /* Another feature is another line. */
  gs_series_plot_set_feature (plot, 1);
  g_assert_cmpint (gs_series_plot_get_feature (plot), ==, 1);
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (GTK_WIDGET (plot), "series-plot-feature-1", RENDER);
    GdkRGBA accent = accent_of (GTK_WIDGET (plot));
    float px, py;

    g_assert_true (gs_series_plot_map_point (plot, T / 2, s->logits[(size_t) (T / 2) * O + 1], &px, &py));
    g_assert_true (gs_ui_test_is_color (image, (int) px, (int) py, &accent, 24));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

/* Before the first forward step there is nothing to plot. */
static void
test_series_empty (void)
{
  GsTrainer *tr = trainer ("series", 1);
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, 0, tr->model->T);
  GsSeriesPlot *plot = GS_SERIES_PLOT (gs_series_plot_new ());
  g_autoptr(GsUiImage) image = NULL;
  GtkWidget *window;
  float x, y;

  g_assert_cmpint (gs_snap_get (snap)->t_fwd, ==, 0);
  gs_view_set_snap (GS_VIEW (plot), snap);
  gs_view_set_timestep (GS_VIEW (plot), -1);
  window = gs_ui_test_show_in_window (GTK_WIDGET (plot), WIDTH, HEIGHT, FALSE);
  image = gs_ui_test_render (GTK_WIDGET (plot), "series-plot-empty", RENDER);

  g_assert_false (gs_series_plot_map_point (plot, 0, 0.0f, &x, &y));
  {
    GdkRGBA accent = accent_of (GTK_WIDGET (plot)), back;

    /* No line, but the hint: pixels that are not the background. */
    g_assert_cmpint (gs_ui_test_count_color (image, NULL, &accent, 24), ==, 0);
    g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (plot)),
                                                   "window_bg_color", &back));
    g_assert_cmpint (image->width * image->height - gs_ui_test_count_color (image, NULL, &back, 2), >, 200);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

/* The adding problem (N→1): one target, one truth point, at the last step. */
static void
test_adding (void)
{
  GsTrainer *tr = trainer ("adding:length=12", 2);
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, tr->model->T, tr->model->T);
  const GsSnapshot *s = gs_snap_get (snap);
  const int O = s->cfg.O, T = s->T;
  GsSeriesPlot *plot = GS_SERIES_PLOT (gs_series_plot_new ());
  g_autoptr(GsUiImage) image = NULL;
  GtkWidget *window;
  int n_targets = 0;
  float tx, ty;

  g_assert_cmpint (s->cfg.loss, ==, GS_LOSS_MSE);
  for (int t = 0; t < T; t++)
    n_targets += s->targets[t] >= 0;
  g_assert_cmpint (n_targets, ==, 1);
  g_assert_cmpint (s->targets[T - 1], >=, 0);

  gs_view_set_snap (GS_VIEW (plot), snap);
  gs_view_set_timestep (GS_VIEW (plot), 0);
  window = gs_ui_test_show_in_window (GTK_WIDGET (plot), WIDTH, HEIGHT, FALSE);
  image = gs_ui_test_render (GTK_WIDGET (plot), "series-plot-adding", RENDER);

  g_assert_true (gs_series_plot_map_point (plot, T - 1, s->ys[(size_t) (T - 1) * O], &tx, &ty));
  {
    float px, py;

    g_assert_true (gs_series_plot_map_point (plot, T - 1, s->logits[(size_t) (T - 1) * O], &px, &py));
    /* The prediction's line ends on the same column: the truth's dot
     * shows where it is clear of it. */
    if (fabsf (py - ty) >= 10.0f)
      {
        GdkRGBA fg = fg_of (GTK_WIDGET (plot));

        g_assert_true (gs_ui_test_is_color (image, (int) tx, (int) ty, &fg, 24));
      }
    else
      g_test_message ("adding: the prediction covers the truth at t = %d", T - 1);
    /* The prediction's end is in the accent colour. */
    {
      GdkRGBA accent = accent_of (GTK_WIDGET (plot));

      g_assert_true (gs_ui_test_is_color (image, (int) px, (int) py, &accent, 24));
    }
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

/* A classification task says so and plots nothing. */
static void
test_classification (void)
{
  GsTrainer *tr = trainer ("hello", 1);
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, tr->model->T, tr->model->T);
  GsSeriesPlot *plot = GS_SERIES_PLOT (gs_series_plot_new ());
  g_autoptr(GsUiImage) image = NULL;
  GtkWidget *window;
  GdkRGBA accent, back;
  int n_text = 0;
  float x, y;

  g_assert_cmpint (gs_snap_get (snap)->cfg.loss, ==, GS_LOSS_CE);
  gs_view_set_snap (GS_VIEW (plot), snap);
  gs_view_set_timestep (GS_VIEW (plot), 2);
  window = gs_ui_test_show_in_window (GTK_WIDGET (plot), WIDTH, HEIGHT, FALSE);
  image = gs_ui_test_render (GTK_WIDGET (plot), "series-plot-classification", RENDER);
  accent = accent_of (GTK_WIDGET (plot));
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (plot)),
                                                 "window_bg_color", &back));

  g_assert_false (gs_series_plot_map_point (plot, 2, 0.0f, &x, &y));
  g_assert_cmpint (gs_ui_test_count_color (image, NULL, &accent, 24), ==, 0);
  /* The message is there: pixels that are not the background. */
  n_text = image->width * image->height - gs_ui_test_count_color (image, NULL, &back, 2);
  g_assert_cmpint (n_text, >, 200);

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

int
main (int   argc,
      char *argv[])
{
  gs_ui_test_init (&argc, &argv);
  adw_init ();

  g_test_add_func ("/series-plot/series", test_series);
  g_test_add_func ("/series-plot/empty", test_series_empty);
  g_test_add_func ("/series-plot/adding", test_adding);
  g_test_add_func ("/series-plot/classification", test_classification);

  return g_test_run ();
}
