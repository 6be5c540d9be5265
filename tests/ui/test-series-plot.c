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

#define TIMEOUT_S 60
#define WIDTH     760
#define HEIGHT    420

/* Main loop helpers. */

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
has_size (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) &&
         gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

static void
flush_main_loop (void)
{
  for (int i = 0; i < 200 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  int *frames = data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

/* Lets the window draw two frames, so that every change is on screen. */
static void
wait_for_frames (GtkWidget *widget)
{
  int frames = 0;
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (TIMEOUT_S, on_timeout, &timed_out);
  guint tick = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  gtk_widget_queue_draw (widget);
  while (frames < 2 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for the window to draw");
  gtk_widget_remove_tick_callback (widget, tick);
  g_source_remove (id);
  flush_main_loop ();
}

static GtkWidget *
show_in_window (GtkWidget *widget,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();
  gboolean timed_out = FALSE;
  guint id;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));

  id = g_timeout_add_seconds (TIMEOUT_S, on_timeout, &timed_out);
  while (!has_size (widget) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for the window to be shown");
  g_source_remove (id);
  flush_main_loop ();
  return window;
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  flush_main_loop ();
}

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

/* A fresh sequence, forward up to t_fwd. */
static GsSnap *
forward_to (GsTrainer *tr,
            int        t_fwd)
{
  GsModel *m = tr->model;
  GsSnapshot *s = gs_snapshot_new ();
  GsError err;

  gs_trainer_next_batch (tr);
  gs_model_zero_grad (m);
  while (m->t_fwd < t_fwd)
    gs_model_forward_step (m);
  if (gs_snapshot_take (s, m, &tr->task, 0, t_fwd > 0 ? GS_PHASE_FORWARD : GS_PHASE_IDLE,
                        tr->epoch, &err) != GS_OK)
    g_error ("gs_snapshot_take: %s", err.msg);
  return gs_snap_new_take (s);
}

/* Rendering. */

typedef struct
{
  int     width, height;
  gsize   stride;
  guchar *data;       /* premultiplied B8G8R8A8 */
} Image;

static void
image_free (Image *image)
{
  g_free (image->data);
  g_free (image);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_free)

/* Renders a widget offscreen over the window's background; saves it as
 * GS_TEST_PNG_DIR/name.png when that is set. */
static Image *
render_widget (GtkWidget  *widget,
               const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  const char *dir = g_getenv ("GS_TEST_PNG_DIR");
  Image *image = g_new0 (Image, 1);
  GdkRGBA back;

  wait_for_frames (widget);
  image->width = gtk_widget_get_width (widget);
  image->height = gtk_widget_get_height (widget);
  g_assert_cmpint (image->width, >, 0);
  g_assert_cmpint (image->height, >, 0);

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                                 "window_bg_color", &back));
  gtk_snapshot_append_color (snapshot, &back, &GRAPHENE_RECT_INIT (0, 0, image->width, image->height));
  gdk_paintable_snapshot (paintable, snapshot, image->width, image->height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, image->width, image->height));
  image->stride = (gsize) image->width * 4;
  image->data = g_malloc ((gsize) image->height * image->stride);
  gdk_texture_download (texture, image->data, image->stride);

  if (dir != NULL && name != NULL)
    {
      g_autofree char *file = g_strdup_printf ("%s.png", name);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      g_mkdir_with_parents (dir, 0755);
      g_assert_true (gdk_texture_save_to_png (texture, path));
    }
  return image;
}

static gboolean
is_color (const Image   *image,
          int            x,
          int            y,
          const GdkRGBA *color,
          int            tolerance)
{
  const guchar *p;

  g_assert_true (x >= 0 && x < image->width && y >= 0 && y < image->height);
  p = image->data + (gsize) y * image->stride + (gsize) x * 4;
  return ABS (p[2] - (int) lroundf (color->red * 255.0f)) <= tolerance &&
         ABS (p[1] - (int) lroundf (color->green * 255.0f)) <= tolerance &&
         ABS (p[0] - (int) lroundf (color->blue * 255.0f)) <= tolerance;
}

static int
count_color (const Image   *image,
             const GdkRGBA *color,
             int            tolerance)
{
  int n = 0;

  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      n += is_color (image, x, y, color, tolerance);
  return n;
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
  g_autoptr(GsSnap) snap = forward_to (tr, tr->model->T);
  const GsSnapshot *s = gs_snap_get (snap);
  const int O = s->cfg.O, T = s->T;
  GsSeriesPlot *plot = GS_SERIES_PLOT (gs_series_plot_new ());
  GtkWidget *window;

  g_assert_cmpint (s->cfg.loss, ==, GS_LOSS_MSE);
  g_assert_nonnull (s->ys);
  g_assert_cmpint (s->t_fwd, ==, T);
  g_assert_cmpint (T, >=, 8);

  gs_series_plot_set_snap (plot, snap);
  gs_series_plot_set_timestep (plot, T - 1);
  g_assert_cmpint (gs_series_plot_get_feature (plot), ==, 0);
  window = show_in_window (GTK_WIDGET (plot), WIDTH, HEIGHT);

  for (int dark = 0; dark < 2; dark++)
    {
      g_autoptr(Image) image = NULL;
      GdkRGBA accent, fg;
      int n_checked = 0;

      set_dark (dark);
      image = render_widget (GTK_WIDGET (plot), dark ? "series-plot-dark" : "series-plot-light");
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
          g_assert_true (is_color (image, (int) px, (int) py, &accent, 24));
          g_assert_false (is_color (image, (int) px, (int) py, &fg, 60));
          g_assert_true (is_color (image, (int) tx, (int) ty, &fg, 24));
          g_assert_false (is_color (image, (int) tx, (int) ty, &accent, 60));
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
  set_dark (FALSE);

  /* Another feature is another line. */
  gs_series_plot_set_feature (plot, 1);
  g_assert_cmpint (gs_series_plot_get_feature (plot), ==, 1);
  {
    g_autoptr(Image) image = render_widget (GTK_WIDGET (plot), "series-plot-feature-1");
    GdkRGBA accent = accent_of (GTK_WIDGET (plot));
    float px, py;

    g_assert_true (gs_series_plot_map_point (plot, T / 2, s->logits[(size_t) (T / 2) * O + 1], &px, &py));
    g_assert_true (is_color (image, (int) px, (int) py, &accent, 24));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

/* Before the first forward step there is nothing to plot. */
static void
test_series_empty (void)
{
  GsTrainer *tr = trainer ("series", 1);
  g_autoptr(GsSnap) snap = forward_to (tr, 0);
  GsSeriesPlot *plot = GS_SERIES_PLOT (gs_series_plot_new ());
  g_autoptr(Image) image = NULL;
  GtkWidget *window;
  float x, y;

  g_assert_cmpint (gs_snap_get (snap)->t_fwd, ==, 0);
  gs_series_plot_set_snap (plot, snap);
  gs_series_plot_set_timestep (plot, -1);
  window = show_in_window (GTK_WIDGET (plot), WIDTH, HEIGHT);
  image = render_widget (GTK_WIDGET (plot), "series-plot-empty");

  g_assert_false (gs_series_plot_map_point (plot, 0, 0.0f, &x, &y));
  {
    GdkRGBA accent = accent_of (GTK_WIDGET (plot)), back;

    /* No line, but the hint: pixels that are not the background. */
    g_assert_cmpint (count_color (image, &accent, 24), ==, 0);
    g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (plot)),
                                                   "window_bg_color", &back));
    g_assert_cmpint (image->width * image->height - count_color (image, &back, 2), >, 200);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

/* The adding problem (N→1): one target, one truth point, at the last step. */
static void
test_adding (void)
{
  GsTrainer *tr = trainer ("adding:length=12", 2);
  g_autoptr(GsSnap) snap = forward_to (tr, tr->model->T);
  const GsSnapshot *s = gs_snap_get (snap);
  const int O = s->cfg.O, T = s->T;
  GsSeriesPlot *plot = GS_SERIES_PLOT (gs_series_plot_new ());
  g_autoptr(Image) image = NULL;
  GtkWidget *window;
  int n_targets = 0;
  float tx, ty;

  g_assert_cmpint (s->cfg.loss, ==, GS_LOSS_MSE);
  for (int t = 0; t < T; t++)
    n_targets += s->targets[t] >= 0;
  g_assert_cmpint (n_targets, ==, 1);
  g_assert_cmpint (s->targets[T - 1], >=, 0);

  gs_series_plot_set_snap (plot, snap);
  gs_series_plot_set_timestep (plot, 0);
  window = show_in_window (GTK_WIDGET (plot), WIDTH, HEIGHT);
  image = render_widget (GTK_WIDGET (plot), "series-plot-adding");

  g_assert_true (gs_series_plot_map_point (plot, T - 1, s->ys[(size_t) (T - 1) * O], &tx, &ty));
  {
    float px, py;

    g_assert_true (gs_series_plot_map_point (plot, T - 1, s->logits[(size_t) (T - 1) * O], &px, &py));
    /* The prediction's line ends on the same column: the truth's dot
     * shows where it is clear of it. */
    if (fabsf (py - ty) >= 10.0f)
      {
        GdkRGBA fg = fg_of (GTK_WIDGET (plot));

        g_assert_true (is_color (image, (int) tx, (int) ty, &fg, 24));
      }
    else
      g_test_message ("adding: the prediction covers the truth at t = %d", T - 1);
    /* The prediction's end is in the accent colour. */
    {
      GdkRGBA accent = accent_of (GTK_WIDGET (plot));

      g_assert_true (is_color (image, (int) px, (int) py, &accent, 24));
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
  g_autoptr(GsSnap) snap = forward_to (tr, tr->model->T);
  GsSeriesPlot *plot = GS_SERIES_PLOT (gs_series_plot_new ());
  g_autoptr(Image) image = NULL;
  GtkWidget *window;
  GdkRGBA accent, back;
  int n_text = 0;
  float x, y;

  g_assert_cmpint (gs_snap_get (snap)->cfg.loss, ==, GS_LOSS_CE);
  gs_series_plot_set_snap (plot, snap);
  gs_series_plot_set_timestep (plot, 2);
  window = show_in_window (GTK_WIDGET (plot), WIDTH, HEIGHT);
  image = render_widget (GTK_WIDGET (plot), "series-plot-classification");
  accent = accent_of (GTK_WIDGET (plot));
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (plot)),
                                                 "window_bg_color", &back));

  g_assert_false (gs_series_plot_map_point (plot, 2, 0.0f, &x, &y));
  g_assert_cmpint (count_color (image, &accent, 24), ==, 0);
  /* The message is there: pixels that are not the background. */
  n_text = image->width * image->height - count_color (image, &back, 2);
  g_assert_cmpint (n_text, >, 200);

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/series-plot/series", test_series);
  g_test_add_func ("/series-plot/empty", test_series_empty);
  g_test_add_func ("/series-plot/adding", test_adding);
  g_test_add_func ("/series-plot/classification", test_classification);

  return g_test_run ();
}
