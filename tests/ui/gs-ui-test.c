/* gs-ui-test.c — helpers shared by the GTK tests.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "gs-ui-test.h"

/* ───────────────────────── main loop ───────────────────────── */

/* A timeout source: sets the gboolean at data and removes itself. */
void
gs_ui_test_init (int    *argc,
                 char ***argv)
{
  /* Only the environment can be asked first: gtk_test_init must be the
   * one to initialise GTK (it fixes the locale before gtk_init). A display
   * that is named but cannot be opened still fails in gtk_init. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* meson runs these with --tap, where a plan of no tests with SKIP
       * (and status 0) is a skip; elsewhere 77 is the skip status. */
      gboolean tap = FALSE;

      for (int i = 1; i < *argc; i++)
        tap |= strcmp ((*argv)[i], "--tap") == 0;
      g_print ("1..0 # SKIP no display to open (run under xvfb-run)\n");
      exit (tap ? 0 : 77);
    }
  gtk_test_init (argc, argv, NULL);
}

gboolean
gs_ui_test_on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* A source that only wakes the main loop up. */
gboolean
gs_ui_test_on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Lets pending work (layout, drawing, idle callbacks) run. */
void
gs_ui_test_flush_main_loop (void)
{
  for (int i = 0; i < 200 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop for `ms` milliseconds. */
void
gs_ui_test_spin_main_loop (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, gs_ui_test_on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Mapped and width × height; a size <= 0 accepts any positive one. */
gboolean
gs_ui_test_has_size (GtkWidget *widget,
                     int        width,
                     int        height)
{
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);

  return gtk_widget_get_mapped (widget) &&
         (width > 0 ? w == width : w > 0) &&
         (height > 0 ? h == height : h > 0);
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
void
gs_ui_test_wait_for_frames (GtkWidget *widget)
{
  int frames = 0;
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (GS_UI_TEST_TIMEOUT_S, gs_ui_test_on_timeout, &timed_out);
  guint tick = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  gtk_widget_queue_draw (widget);
  while (frames < 2 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for the window to draw");
  gtk_widget_remove_tick_callback (widget, tick);
  g_source_remove (id);
  gs_ui_test_flush_main_loop ();
}

gboolean
gs_ui_test_wait_until (GsUiTestCondition cond,
                       gpointer          data,
                       guint             seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, gs_ui_test_on_timeout, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

void
gs_ui_test_wait_for (GsUiTestCondition cond,
                     gpointer          data,
                     const char       *what)
{
  if (!gs_ui_test_wait_until (cond, data, GS_UI_TEST_TIMEOUT_S))
    g_error ("timed out after %d s waiting for %s", GS_UI_TEST_TIMEOUT_S, what);
}

gboolean
gs_ui_test_is_shown (gpointer data)
{
  return gs_ui_test_has_size (data, 0, 0);
}

gboolean
gs_ui_test_is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

/* ───────────────────────── windows and styles ───────────────────────── */

/* Shows the widget alone in an undecorated window of the given size and
 * waits until the widget is shown: with exactly that size when `exact`,
 * else with any (a widget may ask for more than the window's size). */
GtkWidget *
gs_ui_test_show_in_window (GtkWidget *widget,
                           int        width,
                           int        height,
                           gboolean   exact)
{
  GtkWidget *window = gtk_window_new ();
  gboolean timed_out = FALSE;
  guint id;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));

  id = g_timeout_add_seconds (GS_UI_TEST_TIMEOUT_S, gs_ui_test_on_timeout, &timed_out);
  while (!gs_ui_test_has_size (widget, exact ? width : 0, exact ? height : 0) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for a %d×%d window", width, height);
  g_source_remove (id);
  gs_ui_test_flush_main_loop ();
  return window;
}

void
gs_ui_test_set_dark (gboolean dark)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  GList *windows;

  adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                    : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_true (adw_style_manager_get_dark (manager) == dark);
  /* The new style reaches the widgets in a frame's layout phase, not at
   * once: let every shown window draw before a test renders and compares
   * colours (cell-view's light/dark check failed about one run in ten
   * under load without this). */
  windows = gtk_window_list_toplevels ();
  for (GList *l = windows; l != NULL; l = l->next)
    if (gtk_widget_get_mapped (l->data))
      gs_ui_test_wait_for_frames (l->data);
  g_list_free (windows);
  gs_ui_test_flush_main_loop ();
}

GdkRGBA
gs_ui_test_named_color (GtkWidget  *widget,
                        const char *name)
{
  GdkRGBA color;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &color));
  return color;
}

/* ───────────────────────── rendering ───────────────────────── */

void
gs_ui_image_free (GsUiImage *image)
{
  g_free (image->data);
  g_free (image);
}

/* Saves the texture as GS_TEST_PNG_DIR/name.png when that is set. */
void
gs_ui_test_save_png (GdkTexture *texture,
                     const char *name)
{
  const char *dir = g_getenv ("GS_TEST_PNG_DIR");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || name == NULL)
    return;
  file = g_strdup_printf ("%s.png", name);
  path = g_build_filename (dir, file, NULL);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* Renders a widget offscreen with its window's renderer, as on screen;
 * saves it as GS_TEST_PNG_DIR/name.png when that is set. */
GsUiImage *
gs_ui_test_render (GtkWidget      *widget,
                   const char     *name,
                   GsUiRenderFlags flags)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  GsUiImage *image = g_new0 (GsUiImage, 1);

  if (flags & GS_UI_RENDER_WAIT_FRAMES)
    gs_ui_test_wait_for_frames (widget);
  else
    gs_ui_test_flush_main_loop ();
  image->width = gtk_widget_get_width (widget);
  image->height = gtk_widget_get_height (widget);
  g_assert_cmpint (image->width, >, 0);
  g_assert_cmpint (image->height, >, 0);

  /* A restyle (light ↔ dark) invalidates the window's allocation until the
   * next frame's layout, and an unallocated widget has nothing to paint:
   * wait for a frame when that happens. */
  for (int frame = 0; frame < 100 && node == NULL; frame++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      if (flags & GS_UI_RENDER_WINDOW_BG)
        {
          GdkRGBA back = gs_ui_test_named_color (widget, "window_bg_color");

          gtk_snapshot_append_color (snapshot, &back,
                                     &GRAPHENE_RECT_INIT (0, 0, image->width, image->height));
        }
      gdk_paintable_snapshot (paintable, snapshot, image->width, image->height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        {
          guint id = g_timeout_add (20, gs_ui_test_on_tick, NULL);

          g_main_context_iteration (NULL, TRUE);
          g_source_remove (id);
          gs_ui_test_flush_main_loop ();
        }
    }
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, image->width, image->height));
  image->stride = (gsize) image->width * 4;
  image->data = g_malloc ((gsize) image->height * image->stride);
  gdk_texture_download (texture, image->data, image->stride);
  gs_ui_test_save_png (texture, name);
  return image;
}

void
gs_ui_test_pixel (const GsUiImage *image,
                  int              x,
                  int              y,
                  int             *r,
                  int             *g,
                  int             *b)
{
  const guchar *p;

  g_assert_true (x >= 0 && x < image->width && y >= 0 && y < image->height);
  p = image->data + (gsize) y * image->stride + (gsize) x * 4;
  *b = p[0];
  *g = p[1];
  *r = p[2];
}

/* Is the pixel at (x, y) opaque and within `tolerance` (of 255, per
 * channel) of `color`? */
gboolean
gs_ui_test_is_color (const GsUiImage *image,
                     int              x,
                     int              y,
                     const GdkRGBA   *color,
                     int              tolerance)
{
  int r, g, b;

  gs_ui_test_pixel (image, x, y, &r, &g, &b);
  return image->data[(gsize) y * image->stride + (gsize) x * 4 + 3] == 255 &&
         ABS (r - (int) lroundf (color->red * 255.0f)) <= tolerance &&
         ABS (g - (int) lroundf (color->green * 255.0f)) <= tolerance &&
         ABS (b - (int) lroundf (color->blue * 255.0f)) <= tolerance;
}

/* Pixels of (about) this colour inside rect, or in the whole image when
 * rect is NULL. */
int
gs_ui_test_count_color (const GsUiImage       *image,
                        const graphene_rect_t *rect,
                        const GdkRGBA         *color,
                        int                    tolerance)
{
  graphene_rect_t all = GRAPHENE_RECT_INIT (0, 0, image->width, image->height);
  const graphene_rect_t *r = rect != NULL ? rect : &all;
  int n = 0;

  for (int y = MAX (0, (int) r->origin.y); y < MIN (image->height, (int) ceilf (r->origin.y + r->size.height)); y++)
    for (int x = MAX (0, (int) r->origin.x); x < MIN (image->width, (int) ceilf (r->origin.x + r->size.width)); x++)
      n += gs_ui_test_is_color (image, x, y, color, tolerance);
  return n;
}

/* ───────────────────────── the engine ───────────────────────── */

/* Hello trained for `epochs` steps; H <= 0 keeps the default size. */
GsTrainer *
gs_ui_test_train_hello (GsCell cell,
                        int    H,
                        int    epochs)
{
  GsTrainConfig cfg;
  GsError err;
  GsTrainer *tr;

  gs_train_config_default (&cfg);
  cfg.cell = cell;
  if (H > 0)
    cfg.H = H;
  tr = gs_trainer_new (&cfg, &err);
  if (tr == NULL)
    g_error ("gs_trainer_new: %s", err.msg);
  for (int e = 0; e < epochs; e++)
    if (gs_trainer_step (tr, &err) != GS_OK)
      g_error ("gs_trainer_step: %s", err.msg);
  return tr;
}

/* A fresh sequence, forward up to t_fwd, then (once forward is complete)
 * backward down to t_bwd. */
GsSnap *
gs_ui_test_step_to (GsTrainer *tr,
                    int        t_fwd,
                    int        t_bwd)
{
  GsModel *m = tr->model;
  GsSnapshot *s = gs_snapshot_new ();
  GsPhase phase = GS_PHASE_IDLE;
  GsEmbedding *embedding = NULL;
  GsParamCopy *params = NULL;
  GsError err;

  g_assert_nonnull (s);
  gs_trainer_next_batch (tr);
  gs_model_zero_grad (m);
  while (m->t_fwd < t_fwd && gs_model_forward_step (m))
    phase = GS_PHASE_FORWARD;
  while (m->t_fwd == m->T && m->t_bwd > t_bwd && gs_model_backward_step (m))
    phase = GS_PHASE_BACKWARD;
  if (gs_snapshot_take (s, m, &tr->task, 0, phase, tr->epoch, &err) != GS_OK)
    g_error ("gs_snapshot_take: %s", err.msg);
  if (gs_snapshot_take_embedding (s, m, tr->epoch, TRUE, &embedding, &err) != GS_OK)
    g_error ("gs_snapshot_take_embedding: %s", err.msg);
  gs_embedding_unref (embedding);
  /* The parameters, as the session's snapshots carry them (the cell
   * view's pinned formula reads the weights). */
  if (gs_snapshot_take_params (s, m, tr->epoch, TRUE, &params, &err) != GS_OK)
    g_error ("gs_snapshot_take_params: %s", err.msg);
  gs_param_copy_unref (params);
  return gs_snap_new_take (s);
}

GtkWidget *
gs_ui_test_find_named (GtkWidget  *widget,
                       const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = gs_ui_test_find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
gs_ui_test_find_label (GtkWidget  *widget,
                       const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gs_ui_test_find_label (c, needle))
      return TRUE;
  return FALSE;
}

/* ───────────────────────── real input (X11) ───────────────────────── */

void
gs_ui_test_xdotool (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) "xdotool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    g_error ("xdotool: %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("xdotool %s: %s (%s)", args[0], error->message, err);
}

void
gs_ui_test_focus_window (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  const char *args[] = { "windowfocus", "--sync", xid, NULL };

  gs_ui_test_xdotool (args);
  /* GTK has seen the focus arrive. */
  if (!gs_ui_test_wait_until (gs_ui_test_is_active, window, 10))
    g_error ("the window did not get the keyboard focus");
  gs_ui_test_spin_main_loop (100);
}

GPid
gs_ui_test_start_window_manager (void)
{
  const char *argv[] = { "openbox", "--sm-disable", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    return 0;
  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    g_error ("openbox (build-aux/bootstrap.sh check installs it): %s", error->message);
  g_usleep (500000);
  return pid;
}

void
gs_ui_test_stop_window_manager (GPid pid)
{
  if (pid == 0)
    return;
  kill (pid, SIGTERM);
  g_spawn_close_pid (pid);
}

/* ───────────────────────── a fresh home ───────────────────────── */

/* A fresh, empty home for the run: nothing is read from or written to the
 * user's own configuration. */
char *
gs_ui_test_make_fresh_home (void)
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

void
gs_ui_test_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        gs_ui_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_clear_pointer (&dir, g_dir_close);
  g_rmdir (path);
}
