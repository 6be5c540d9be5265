/* gs-window-measure.c — frame timing: the fps overlay and --measure-frames.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both read one GsFrameMeter (gs-frame-meter.h) on the window's frame
 * clock. The measurement is the project's proof that the window keeps its
 * frame rate while the worker thread trains at full speed: a model large
 * enough to keep the worker busy, every snapshot redrawn by every view, and
 * the interval between painted frames recorded for a fixed time.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gi18n.h>

#include "gs-heatmap.h"
#include "gs-window-private.h"

#define MEASURE_WARMUP_MS 1500   /* the first snapshots lay out the new model */
#define FPS_REFRESH_MS    500

static void gs_window_update_meter (GsWindow *self);

static gint64 measure_cpu_start;   /* µs of the main thread's CPU time */

/* CPU time the calling thread has used, µs. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The system's load over the last minute (Linux), −1 if unknown: a busy
 * machine explains late frames that the window's own work does not. */
static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1.0;
  return g_ascii_strtod (text, NULL);
}

/* The process's resident memory in kB (Linux), −1 if unknown. */
static long
rss_kb (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL)
      || (line = strstr (text, "\nVmRSS:")) == NULL)
    return -1;
  return strtol (line + strlen ("\nVmRSS:"), NULL, 10);
}

/* Bytes the snapshot on show holds (0 before the first). */
static gsize
snap_bytes (GsWindow *self)
{
  GsSnap *snap = gs_session_get_snap (self->session);

  return snap != NULL ? gs_snapshot_size (gs_snap_get (snap)) : 0;
}

static void
on_realized (GsWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, on_realized, NULL);
  gs_window_update_meter (self);
}

/* The meter runs while the overlay shows or a measurement is under way. */
static void
gs_window_update_meter (GsWindow *self)
{
  gboolean wanted = self->show_fps || self->measure_source != 0;

  g_assert (GS_IS_WINDOW (self));

  if (self->meter == NULL)
    self->meter = gs_frame_meter_new (GTK_WIDGET (self));
  if (wanted && !gtk_widget_get_realized (GTK_WIDGET (self)))
    {
      g_signal_handlers_disconnect_by_func (self, on_realized, NULL);
      g_signal_connect (self, "realize", G_CALLBACK (on_realized), NULL);
      return;
    }
  if (wanted != gs_frame_meter_get_running (self->meter))
    gs_frame_meter_set_running (self->meter, wanted);
}

static gboolean
update_fps_label (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);
  g_autofree char *text = NULL;
  GsFrameStats stats;

  gs_frame_meter_get_recent (self->meter, 2.0, &stats);
  if (stats.frames == 0)
    text = g_strdup (_("— fps"));
  else
    /* Translators: the frame-rate overlay: frames per second over the last
     * two seconds, then the 95th percentile and the longest frame interval. */
    text = g_strdup_printf (_("%.1f fps · p95 %.1f ms · max %.1f ms"),
                            stats.fps_mean, stats.ms_p95, stats.ms_max);
  gtk_label_set_label (self->fps_label, text);
  return G_SOURCE_CONTINUE;
}

void
gs_window_set_show_fps (GsWindow *self,
                        gboolean  show_fps)
{
  g_assert (GS_IS_WINDOW (self));

  show_fps = !!show_fps;
  if (self->show_fps == show_fps)
    return;
  self->show_fps = show_fps;

  gs_window_update_meter (self);
  g_clear_handle_id (&self->fps_source, g_source_remove);
  if (show_fps)
    {
      self->fps_source = g_timeout_add (FPS_REFRESH_MS, update_fps_label, self);
      g_source_set_name_by_id (self->fps_source, "[gatescope] fps overlay");
      update_fps_label (self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fps_label), show_fps);
  g_object_notify (G_OBJECT (self), "show-fps");
}

static void
append_number (GString    *json,
               const char *key,
               double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (json, ",\"%s\":%s", key,
                          g_ascii_formatd (buf, sizeof buf, "%.3f", value));
}

/* What one view costs to redraw from scratch, averaged over `rounds`:
 * its snapshot vfunc (building the render nodes; its CSS frame aside) and
 * the rasterisation of those nodes by the window's renderer. Moving the
 * timestep there and back drops the view's cached drawing each time. */
static void
profile_view (GsWindow   *self,
              GString    *json,
              const char *name,
              GtkWidget  *view,
              void      (*set_timestep) (gpointer view, int t),
              int         rounds)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  int width = gtk_widget_get_width (view), height = gtk_widget_get_height (view);
  gint64 snapshot_us = 0, render_us = 0;
  int t = self->timestep;

  if (width <= 0 || height <= 0 || renderer == NULL)
    return;
  for (int i = 0; i < rounds; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gint64 t0, t1, t2;

      if (set_timestep != NULL)
        {
          set_timestep (view, t == 0 ? 1 : 0);
          set_timestep (view, t);
        }
      t0 = g_get_monotonic_time ();
      GTK_WIDGET_GET_CLASS (view)->snapshot (view, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      t1 = g_get_monotonic_time ();
      if (node != NULL)
        texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
      t2 = g_get_monotonic_time ();
      snapshot_us += t1 - t0;
      render_us += t2 - t1;
    }
  g_string_append_printf (json, "%s\"%s\":{\"w\":%d,\"h\":%d", json->str[json->len - 1] == '{' ? "" : ",",
                          name, width, height);
  append_number (json, "snapshot_ms", snapshot_us / 1000.0 / rounds);
  append_number (json, "render_ms", render_us / 1000.0 / rounds);
  g_string_append_c (json, '}');
}

/* The loss plot has no timestep: changing its axis drops its drawing. */
static void
loss_plot_redraw (gpointer plot,
                  int      t)
{
  guint epochs = gs_loss_plot_get_epochs (plot);

  gs_loss_plot_set_epochs (plot, epochs + 1);
  gs_loss_plot_set_epochs (plot, epochs);
}

static void
profile_views (GsWindow *self,
               GString  *json)
{
  const int rounds = 10;

  g_string_append (json, ",\"views\":{");
  profile_view (self, json, "unrolled", GTK_WIDGET (self->unrolled_view),
                (void (*) (gpointer, int)) gs_view_set_timestep, rounds);
  profile_view (self, json, "cell", GTK_WIDGET (self->cell_view),
                (void (*) (gpointer, int)) gs_view_set_timestep, rounds);
  profile_view (self, json, "prediction", GTK_WIDGET (self->prediction_bars),
                (void (*) (gpointer, int)) gs_view_set_timestep, rounds);
  profile_view (self, json, "gradient", GTK_WIDGET (self->gradient_view),
                (void (*) (gpointer, int)) gs_view_set_timestep, rounds);
  if (self->heatmaps->len > 0)
    profile_view (self, json, "heatmap", g_ptr_array_index (self->heatmaps, 0),
                  (void (*) (gpointer, int)) gs_view_set_timestep, rounds);
  profile_view (self, json, "loss", GTK_WIDGET (self->loss_plot), loss_plot_redraw, rounds);
  g_string_append_c (json, '}');
}

/* One phase of the recording (its first or its last seconds): a long run's
 * start and end side by side. */
static void
append_phase (GString            *json,
              const char         *name,
              double              seconds,
              const GsFrameStats *stats,
              long                rss)
{
  g_string_append_printf (json, ",\"%s\":{\"frames\":%u", name, stats->frames);
  append_number (json, "seconds", seconds);
  append_number (json, "fps_mean", stats->fps_mean);
  append_number (json, "frame_ms_p50", stats->ms_p50);
  append_number (json, "frame_ms_p95", stats->ms_p95);
  append_number (json, "frame_ms_max", stats->ms_max);
  append_number (json, "work_ms_p50", stats->work_ms_p50);
  append_number (json, "work_ms_p95", stats->work_ms_p95);
  append_number (json, "work_ms_max", stats->work_ms_max);
  g_string_append_printf (json, ",\"rss_kb\":%ld}", rss);
}

static gboolean
measure_first_phase_done (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);

  self->measure_phase_source = 0;
  gs_frame_meter_get_recent (self->meter, self->measure_phase_seconds, &self->measure_first_phase);
  self->measure_first_phase_rss_kb = rss_kb ();
  return G_SOURCE_REMOVE;
}

static gboolean
measure_done (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);
  g_autoptr(GString) json = g_string_new ("{");
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  GsSnap *snap = gs_session_get_snap (self->session);
  GsFrameStats stats, last_phase;
  long rss_end = rss_kb ();

  gint64 cpu_us = thread_cpu_us () - measure_cpu_start;

  self->measure_source = 0;
  g_clear_handle_id (&self->measure_phase_source, g_source_remove);
  gs_frame_meter_get_stats (self->meter, &stats);
  gs_frame_meter_get_recent (self->meter, self->measure_phase_seconds, &last_phase);
  gs_window_update_meter (self);
  gs_session_set_training (self->session, FALSE);

  g_string_append_printf (json, "\"frames\":%u", stats.frames);
  append_number (json, "seconds", stats.seconds);
  append_number (json, "fps_mean", stats.fps_mean);
  append_number (json, "frame_ms_p50", stats.ms_p50);
  append_number (json, "frame_ms_p95", stats.ms_p95);
  append_number (json, "frame_ms_p99", stats.ms_p99);
  append_number (json, "frame_ms_max", stats.ms_max);
  append_number (json, "work_ms_p50", stats.work_ms_p50);
  append_number (json, "work_ms_p95", stats.work_ms_p95);
  append_number (json, "work_ms_max", stats.work_ms_max);
  /* the share of one core the UI thread used, and the machine's load */
  append_number (json, "ui_thread_cpu", stats.seconds > 0.0 ? cpu_us / 1e6 / stats.seconds : 0.0);
  append_number (json, "loadavg", load_average ());
  g_string_append_printf (json, ",\"rss_kb_start\":%ld,\"rss_kb_end\":%ld", self->measure_rss_kb_start, rss_end);
  g_string_append_printf (json, ",\"snap_bytes_first\":%" G_GSIZE_FORMAT ",\"snap_bytes_last\":%" G_GSIZE_FORMAT,
                          self->measure_snap_bytes_first, snap_bytes (self));
  g_string_append_printf (json, ",\"snapshots\":%u", self->n_snapshots - self->measure_first_snapshot);
  g_string_append_printf (json, ",\"epochs\":%ld", snap != NULL ? gs_snap_get (snap)->epoch : 0L);
  g_string_append_printf (json, ",\"window\":\"%dx%d\"",
                          gtk_widget_get_width (GTK_WIDGET (self)),
                          gtk_widget_get_height (GTK_WIDGET (self)));
  g_string_append_printf (json, ",\"renderer\":\"%s\"",
                          renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
  if (snap != NULL)
    g_string_append_printf (json, ",\"model\":\"lstm hidden=%d layers=%d hello\"",
                            gs_snap_get (snap)->cfg.H, gs_snap_get (snap)->cfg.L);
  append_phase (json, "start", self->measure_phase_seconds, &self->measure_first_phase,
                self->measure_first_phase_rss_kb);
  append_phase (json, "end", self->measure_phase_seconds, &last_phase, rss_end);
  profile_views (self, json);
  g_string_append_c (json, '}');

  gs_window_emit_frames_measured (self, json->str);
  return G_SOURCE_REMOVE;
}

static gboolean
measure_start (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);

  self->measure_warmup_source = 0;
  self->measure_first_snapshot = self->n_snapshots;
  self->measure_rss_kb_start = rss_kb ();
  self->measure_snap_bytes_first = snap_bytes (self);
  measure_cpu_start = thread_cpu_us ();
  self->measure_source = g_timeout_add ((guint) (self->measure_seconds * 1000.0), measure_done, self);
  g_source_set_name_by_id (self->measure_source, "[gatescope] measure frames");
  /* The first and the last phase: a quarter of the recording, at most a minute. */
  self->measure_phase_seconds = CLAMP (self->measure_seconds / 4.0, 0.5, 60.0);
  self->measure_first_phase = (GsFrameStats) { 0 };
  self->measure_first_phase_rss_kb = -1;
  self->measure_phase_source = g_timeout_add ((guint) (self->measure_phase_seconds * 1000.0),
                                              measure_first_phase_done, self);
  g_source_set_name_by_id (self->measure_phase_source, "[gatescope] measure first phase");
  /* A fresh recording, even if the overlay's meter was running. */
  if (self->meter != NULL)
    gs_frame_meter_set_running (self->meter, FALSE);
  gs_window_update_meter (self);
  return G_SOURCE_REMOVE;
}

void
gs_window_stop_measuring (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  g_clear_handle_id (&self->measure_warmup_source, g_source_remove);
  g_clear_handle_id (&self->measure_source, g_source_remove);
  g_clear_handle_id (&self->measure_phase_source, g_source_remove);
  if (self->meter != NULL)
    gs_window_update_meter (self);
}

void
gs_window_measure_frames (GsWindow *self,
                          double    seconds,
                          int       hidden)
{
  GsTrainConfig config;

  g_return_if_fail (GS_IS_WINDOW (self));
  g_return_if_fail (seconds > 0.0);

  gs_window_stop_measuring (self);

  /* Big enough to keep the worker busy and every view full of units. */
  gs_train_config_default (&config);
  config.cell = GS_CELL_LSTM;
  config.H = hidden > 0 ? hidden : 64;
  config.L = 2;
  gs_window_reset_session (self, &config);
  gs_window_set_layer (self, 1);
  g_object_set (self, "training", TRUE, NULL);

  self->measure_seconds = seconds;
  self->measure_warmup_source = g_timeout_add (MEASURE_WARMUP_MS, measure_start, self);
  g_source_set_name_by_id (self->measure_warmup_source, "[gatescope] measure warm-up");
}
