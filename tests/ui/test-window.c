/* test-window.c — the main window, driven in-process under a display.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Creates the real GsApplication and GsWindow, presses Train through the
 * win.train action, runs the main loop until the worker thread is done, and
 * checks what a user would see: one log line per epoch in the seed's
 * format, one plot point per epoch, and a rendering of the loss plot whose
 * accent-coloured curve starts high on the left and ends low on the right.
 * Run it under Xvfb (make check does).
 */

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "gs-application.h"
#include "gs-loss-plot.h"
#include "gs-model.h"
#include "gs-window.h"

#define TIMEOUT_S 120   /* per wait; a 15-epoch hello run takes milliseconds */

static GsApplication *app;  /* one per process: a GApplication registers once */

/* Main loop helpers. */

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* Iterates the default main context until cond (data) holds; fails the
 * test after TIMEOUT_S seconds. */
static void
wait_until (Condition   cond,
            gpointer    data,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (TIMEOUT_S, on_timeout, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out after %d s waiting for %s", TIMEOUT_S, what);
  g_source_remove (id);
}

static gboolean
training_done (gpointer data)
{
  return !gs_window_get_training (GS_WINDOW (data));
}

static gboolean
has_size (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) &&
         gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

/* Lets pending work (layout, drawing, idle callbacks) run. */
static void
flush_main_loop (void)
{
  for (int i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Window helpers. */

static GsWindow *
open_window (void)
{
  GsWindow *win = gs_window_new (app);

  gtk_window_present (GTK_WINDOW (win));
  wait_until (has_size, gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW, "loss_plot"),
              "the window to be shown");
  return win;
}

static gpointer
child (GsWindow   *win,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static char *
log_text (GsWindow *win)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (child (win, "log_view"));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Presses Train and waits until the run is over. */
static void
train (GsWindow *win,
       GsCell    cell,
       int       epochs)
{
  gtk_drop_down_set_selected (child (win, "cell_dropdown"), (guint) cell);
  gtk_spin_button_set_value (child (win, "epochs_spin"), epochs);

  g_assert_false (gs_window_get_training (win));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.train", NULL));
  /* The run's results arrive through the main loop, which has not run yet. */
  g_assert_true (gs_window_get_training (win));

  wait_until (training_done, win, "training to finish");
  flush_main_loop ();
}

/* Checks that the log holds exactly `epochs` lines of the seed's format,
 * epochs 1…epochs in order; returns the first and the last loss. */
static void
check_log (GsWindow *win,
           int       epochs,
           double   *first_loss,
           double   *last_loss)
{
  g_autofree char *text = log_text (win);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) regex = NULL;
  guint n_lines;

  regex = g_regex_new ("^Predicted: ([ehlo]{5}), Epoch \\[([0-9]+)/([0-9]+)\\] loss = ([0-9]+\\.[0-9]{3})$",
                       0, 0, NULL);
  g_assert_nonnull (regex);

  /* Every line ends with a newline: the last piece is empty. */
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines) - 1;
  g_assert_cmpuint (n_lines, ==, (guint) epochs);
  g_assert_cmpstr (lines[n_lines], ==, "");

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *epoch = NULL;
      g_autofree char *total = NULL;
      g_autofree char *loss = NULL;

      if (!g_regex_match (regex, lines[i], 0, &match))
        g_error ("log line %u does not match the seed's format: \"%s\"", i + 1, lines[i]);

      epoch = g_match_info_fetch (match, 2);
      total = g_match_info_fetch (match, 3);
      loss = g_match_info_fetch (match, 4);
      g_assert_cmpint (atoi (epoch), ==, (int) i + 1);
      g_assert_cmpint (atoi (total), ==, epochs);
      if (i == 0)
        *first_loss = g_ascii_strtod (loss, NULL);
      *last_loss = g_ascii_strtod (loss, NULL);
    }
}

/* Rendering helpers. */

typedef struct
{
  int     width, height;
  gsize   stride;
  guchar *data;       /* GDK_MEMORY_DEFAULT: premultiplied B8G8R8A8 (cairo's ARGB32) */
} Image;

static void
image_free (Image *image)
{
  g_free (image->data);
  g_free (image);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_free)

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  gboolean *painted = data;

  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits until the widget's window has laid out and painted a new frame, so
 * that what is rendered is what changed last (whatever the renderer's pace). */
static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  wait_until (is_true, &painted, "a frame to be painted");
  g_signal_handler_disconnect (clock, id);
}

/* Renders a widget offscreen with its window's renderer, as it is on screen. */
static Image *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  Image *image = g_new0 (Image, 1);

  wait_for_paint (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();

  image->width = gtk_widget_get_width (widget);
  image->height = gtk_widget_get_height (widget);
  g_assert_cmpint (image->width, >, 0);
  g_assert_cmpint (image->height, >, 0);

  gdk_paintable_snapshot (paintable, snapshot, image->width, image->height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, image->width, image->height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, image->width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, image->height);

  image->stride = (gsize) image->width * 4;
  image->data = g_malloc ((gsize) image->height * image->stride);
  gdk_texture_download (texture, image->data, image->stride);
  return image;
}

static gboolean
is_color (const Image   *image,
          int            x,
          int            y,
          const GdkRGBA *color)
{
  const guchar *p = image->data + (gsize) y * image->stride + (gsize) x * 4;
  int b = p[0], g = p[1], r = p[2], a = p[3];
  const int tolerance = 6;

  return a == 255 &&
         ABS (r - (int) (color->red * 255.0f + 0.5f)) <= tolerance &&
         ABS (g - (int) (color->green * 255.0f + 0.5f)) <= tolerance &&
         ABS (b - (int) (color->blue * 255.0f + 0.5f)) <= tolerance;
}

static GdkRGBA
accent_color (GtkWidget *widget)
{
  GdkRGBA accent;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                                 "accent_color", &accent));
  g_assert_cmpfloat (accent.alpha, ==, 1.0);
  return accent;
}

/* Mean row of the accent pixels in column x, or -1 when there are none. */
static double
accent_row (const Image   *image,
            int            x,
            const GdkRGBA *accent)
{
  double sum = 0.0;
  int n = 0;

  for (int y = 0; y < image->height; y++)
    if (is_color (image, x, y, accent))
      {
        sum += y;
        n++;
      }
  return n > 0 ? sum / n : -1.0;
}

/* The rendered curve spans the frame and falls from left to right. */
static void
check_falling_curve (GtkWidget *plot)
{
  g_autoptr(Image) image = render_widget (plot);
  GdkRGBA accent = accent_color (plot);
  int first = -1, last = -1, n_accent = 0;
  double y_first, y_last;

  for (int x = 0; x < image->width; x++)
    if (accent_row (image, x, &accent) >= 0.0)
      {
        if (first < 0)
          first = x;
        last = x;
      }
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      n_accent += is_color (image, x, y, &accent);

  g_test_message ("plot %d×%d: accent columns %d…%d, %d accent pixels",
                  image->width, image->height, first, last, n_accent);

  /* The first point sits at the left edge of the frame, the last at the right. */
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpint (first, <, image->width / 4);
  g_assert_cmpint (last, >, image->width * 3 / 4);

  /* A line, not a filled area, solid over at least 2 of its 3 px along its length. */
  g_assert_cmpint (n_accent, <, image->width * image->height / 4);
  g_assert_cmpint (n_accent, >=, 2 * (last - first));

  /* The loss falls: the curve is higher (smaller y) on the left. */
  y_first = accent_row (image, first + 2, &accent);
  y_last = accent_row (image, last - 2, &accent);
  g_assert_cmpfloat (y_first, >=, 0.0);
  g_assert_cmpfloat (y_last, >=, 0.0);
  g_assert_cmpfloat (y_first + 20.0, <, y_last);
}

/* The tests. */

static void
test_window_engine_version (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (open_window ());
  AdwWindowTitle *title = child (win, "window_title");

  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Gatescope");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Engine " PACKAGE_VERSION);

  /* The controls start at an LSTM trained for the seed's 15 epochs. */
  g_assert_cmpuint (gtk_drop_down_get_selected (child (win, "cell_dropdown")), ==, GS_CELL_LSTM);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (win, "epochs_spin")), ==, 15);

  gtk_window_destroy (GTK_WINDOW (win));
}

static void
test_window_train_lstm (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (open_window ());
  GsLossPlot *plot = child (win, "loss_plot");
  const int epochs = 15;
  double first_loss = 0.0, last_loss = 0.0;

  g_assert_cmpuint (gs_loss_plot_get_n_points (plot), ==, 0);

  train (win, GS_CELL_LSTM, epochs);

  check_log (win, epochs, &first_loss, &last_loss);
  g_test_message ("LSTM loss %.3f → %.3f", first_loss, last_loss);
  g_assert_cmpfloat (last_loss, <, first_loss);
  g_assert_cmpuint (gs_loss_plot_get_n_points (plot), ==, (guint) epochs);
  g_assert_cmpuint (gs_loss_plot_get_epochs (plot), ==, (guint) epochs);

  check_falling_curve (GTK_WIDGET (plot));

  /* The summary shows the last epoch, as the log's last line does. */
  {
    g_autofree char *text = log_text (win);
    g_auto(GStrv) lines = g_strsplit (g_strchomp (text), "\n", -1);
    const char *prediction = gtk_label_get_label (child (win, "prediction_label"));
    g_autofree char *expected = g_strdup_printf ("Predicted: %s, Epoch [15/15] loss = %s",
                                                 prediction,
                                                 gtk_label_get_label (child (win, "loss_label")));

    g_assert_cmpstr (gtk_label_get_label (child (win, "epoch_label")), ==, "15 / 15");
    g_assert_cmpuint (strlen (prediction), ==, 5);
    g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, expected);
  }

  /* A second run starts afresh. */
  train (win, GS_CELL_LSTM, 3);
  check_log (win, 3, &first_loss, &last_loss);
  g_assert_cmpuint (gs_loss_plot_get_n_points (plot), ==, 3);

  gtk_window_destroy (GTK_WINDOW (win));
}

static void
test_window_train_every_cell (void)
{
  static const struct {
    GsCell cell;
    int    epochs;
  } runs[] = {
    { GS_CELL_RNN_TANH, 4 },
    { GS_CELL_RNN_RELU, 5 },
    { GS_CELL_LSTM,     2 },
    { GS_CELL_GRU,      6 },
  };
  g_autoptr(GsWindow) win = g_object_ref_sink (open_window ());
  GsLossPlot *plot = child (win, "loss_plot");

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      double first_loss, last_loss;

      g_test_message ("cell %d, %d epochs", runs[i].cell, runs[i].epochs);
      train (win, runs[i].cell, runs[i].epochs);
      check_log (win, runs[i].epochs, &first_loss, &last_loss);
      g_assert_cmpuint (gs_loss_plot_get_n_points (plot), ==, (guint) runs[i].epochs);
    }

  gtk_window_destroy (GTK_WINDOW (win));
}

/* Closing the window while it trains cancels the run without a crash or a
 * late report. */
static void
test_window_close_while_training (void)
{
  GsWindow *win = open_window ();

  gtk_spin_button_set_value (child (win, "epochs_spin"), 500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.train", NULL));
  gtk_window_destroy (GTK_WINDOW (win));
  /* The thread finishes (or stops) on its own; its reports are dropped. */
  for (int i = 0; i < 50; i++)
    {
      flush_main_loop ();
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

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 700);
  win = gs_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (win), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 700);

  /* Closing asks only a window that is on screen. */
  gtk_window_present (GTK_WINDOW (win));
  wait_until (has_size, win, "the window to be shown");
  gtk_window_set_default_size (GTK_WINDOW (win), 820, 610);
  flush_main_loop ();
  gtk_window_close (GTK_WINDOW (win));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    data)
{
  guint *count = data;

  (*count)++;
}

/* The plot alone, fed known numbers. */
static void
test_loss_plot_render (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *plot = gs_loss_plot_new ();
  GsLossPlot *self = GS_LOSS_PLOT (plot);
  guint notified = 0;

  g_signal_connect (plot, "notify::n-points", G_CALLBACK (count_notify), &notified);

  gtk_window_set_default_size (GTK_WINDOW (window), 640, 360);
  gtk_window_set_child (GTK_WINDOW (window), plot);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (has_size, plot, "the plot to be shown");

  /* Empty: nothing in the accent colour. */
  {
    g_autoptr(Image) image = render_widget (plot);
    GdkRGBA accent = accent_color (plot);

    for (int x = 0; x < image->width; x++)
      g_assert_cmpfloat (accent_row (image, x, &accent), <, 0.0);
  }

  /* A falling loss, 2.0 → 0.1, over 12 epochs. */
  for (int i = 0; i < 12; i++)
    gs_loss_plot_append (self, 2.0f * powf (0.05f, i / 11.0f));
  g_assert_cmpuint (gs_loss_plot_get_n_points (self), ==, 12);
  g_assert_cmpuint (notified, ==, 12);
  flush_main_loop ();
  check_falling_curve (plot);

  /* Planning 24 epochs leaves the right half of the frame empty. */
  gs_loss_plot_set_epochs (self, 24);
  flush_main_loop ();
  {
    g_autoptr(Image) image = render_widget (plot);
    GdkRGBA accent = accent_color (plot);
    int last = -1;

    for (int x = 0; x < image->width; x++)
      if (accent_row (image, x, &accent) >= 0.0)
        last = x;
    g_assert_cmpint (last, >, 0);
    g_assert_cmpint (last, <, image->width * 2 / 3);
  }

  gs_loss_plot_clear (self);
  g_assert_cmpuint (gs_loss_plot_get_n_points (self), ==, 0);
  g_assert_cmpuint (notified, ==, 13);
  gs_loss_plot_clear (self);
  g_assert_cmpuint (notified, ==, 13);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A fresh, empty home for the run: nothing is read from or written to the
 * user's own configuration. */
static char *
make_fresh_home (void)
{
  static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("gatescope-test-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (home, vars[i], NULL);

      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      g_setenv (vars[i], dir, TRUE);
    }
  return home;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_path = g_build_filename (path, name, NULL);

      if (g_file_test (child_path, G_FILE_TEST_IS_DIR) && !g_file_test (child_path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child_path);
      else
        g_unlink (child_path);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = make_fresh_home ();
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  app = gs_application_new ();
  /* Never hand our work to a Gatescope already running on this desktop. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/window/engine-version", test_window_engine_version);
  g_test_add_func ("/window/train-lstm", test_window_train_lstm);
  g_test_add_func ("/window/train-every-cell", test_window_train_every_cell);
  g_test_add_func ("/window/close-while-training", test_window_close_while_training);
  g_test_add_func ("/window/size-is-remembered", test_window_size_is_remembered);
  g_test_add_func ("/loss-plot/render", test_loss_plot_render);

  status = g_test_run ();

  g_clear_object (&app);
  remove_tree (home);
  return status;
}
