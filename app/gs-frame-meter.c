/* gs-frame-meter.c — how regularly a window paints its frames.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdlib.h>

#include "gs-frame-meter.h"

struct _GsFrameMeter
{
  GObject        parent_instance;

  /* borrowed (weak pointers) */
  GtkWidget     *widget;
  GdkFrameClock *clock;

  /* owned */
  GArray        *paints;        /* gint64, monotonic µs at the end of each paint */
  GArray        *work;          /* double, ms from the start of each frame to its end */
  gint64         frame_start;   /* monotonic µs when the current frame began */

  gulong         paint_handler;
  gulong         update_handler;
  guint          tick_id;
};

G_DEFINE_FINAL_TYPE (GsFrameMeter, gs_frame_meter, G_TYPE_OBJECT)

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  GsFrameMeter *self = GS_FRAME_METER (user_data);
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (self->paints, now);
  if (self->frame_start > 0)
    {
      double ms = (double) (now - self->frame_start) / 1000.0;

      g_array_append_val (self->work, ms);
    }
  self->frame_start = 0;
}

static void
on_update (GdkFrameClock *clock,
           gpointer       user_data)
{
  GsFrameMeter *self = GS_FRAME_METER (user_data);

  self->frame_start = g_get_monotonic_time ();
}

/* A tick callback keeps the frame clock cycling every frame while the
 * meter runs, as an animation would. It damages nothing itself: a frame
 * with nothing new to draw is cheap, and one where the views redraw a new
 * snapshot costs what it costs — which is what is measured. */
static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
gs_frame_meter_stop (GsFrameMeter *self)
{
  if (self->clock != NULL && self->paint_handler != 0)
    g_signal_handler_disconnect (self->clock, self->paint_handler);
  self->paint_handler = 0;
  if (self->clock != NULL && self->update_handler != 0)
    g_signal_handler_disconnect (self->clock, self->update_handler);
  self->update_handler = 0;
  if (self->widget != NULL && self->tick_id != 0)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
  if (self->clock != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->clock), (gpointer *) &self->clock);
  self->clock = NULL;
}

static void
gs_frame_meter_dispose (GObject *object)
{
  GsFrameMeter *self = GS_FRAME_METER (object);

  gs_frame_meter_stop (self);
  if (self->widget != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
  self->widget = NULL;

  G_OBJECT_CLASS (gs_frame_meter_parent_class)->dispose (object);
}

static void
gs_frame_meter_finalize (GObject *object)
{
  GsFrameMeter *self = GS_FRAME_METER (object);

  g_clear_pointer (&self->paints, g_array_unref);
  g_clear_pointer (&self->work, g_array_unref);

  G_OBJECT_CLASS (gs_frame_meter_parent_class)->finalize (object);
}

static void
gs_frame_meter_class_init (GsFrameMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gs_frame_meter_dispose;
  object_class->finalize = gs_frame_meter_finalize;
}

static void
gs_frame_meter_init (GsFrameMeter *self)
{
  self->paints = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->work = g_array_new (FALSE, FALSE, sizeof (double));
}

GsFrameMeter *
gs_frame_meter_new (GtkWidget *widget)
{
  GsFrameMeter *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (GS_TYPE_FRAME_METER, NULL);
  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);
  return self;
}

void
gs_frame_meter_set_running (GsFrameMeter *self,
                            gboolean      running)
{
  g_return_if_fail (GS_IS_FRAME_METER (self));

  gs_frame_meter_stop (self);
  if (!running || self->widget == NULL)
    return;

  self->clock = gtk_widget_get_frame_clock (self->widget);
  g_return_if_fail (self->clock != NULL);
  g_object_add_weak_pointer (G_OBJECT (self->clock), (gpointer *) &self->clock);

  g_array_set_size (self->paints, 0);
  g_array_set_size (self->work, 0);
  self->frame_start = 0;
  self->update_handler = g_signal_connect (self->clock, "update",
                                           G_CALLBACK (on_update), self);
  self->paint_handler = g_signal_connect (self->clock, "after-paint",
                                          G_CALLBACK (on_after_paint), self);
  self->tick_id = gtk_widget_add_tick_callback (self->widget, on_tick, NULL, NULL);
}

gboolean
gs_frame_meter_get_running (GsFrameMeter *self)
{
  g_return_val_if_fail (GS_IS_FRAME_METER (self), FALSE);

  return self->paint_handler != 0;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The value below which a fraction q of the sorted intervals lie
 * (nearest rank). */
static double
percentile (const double *sorted,
            guint         n,
            double        q)
{
  guint rank = (guint) ceil (q * n);

  return sorted[CLAMP (rank, 1, n) - 1];
}

/* Statistics of the paints from index `first` on. */
static void
stats_from (GsFrameMeter *self,
            guint         first,
            GsFrameStats *out)
{
  const gint64 *t = (const gint64 *) (gpointer) self->paints->data;
  guint n_paints = self->paints->len;
  g_autofree double *ms = NULL;
  guint n;

  *out = (GsFrameStats) { 0 };
  if (n_paints < first + 2)
    return;

  /* interval_i = paint_{i+1} − paint_i */
  n = n_paints - first - 1;
  ms = g_new (double, n);
  for (guint i = 0; i < n; i++)
    ms[i] = (double) (t[first + i + 1] - t[first + i]) / 1000.0;
  qsort (ms, n, sizeof (double), compare_doubles);

  out->frames = n;
  out->seconds = (double) (t[n_paints - 1] - t[first]) / G_USEC_PER_SEC;
  out->fps_mean = out->seconds > 0.0 ? n / out->seconds : 0.0;
  out->ms_p50 = percentile (ms, n, 0.50);
  out->ms_p95 = percentile (ms, n, 0.95);
  out->ms_p99 = percentile (ms, n, 0.99);
  out->ms_max = ms[n - 1];
}

void
gs_frame_meter_get_stats (GsFrameMeter *self,
                          GsFrameStats *out)
{
  guint n;

  g_return_if_fail (GS_IS_FRAME_METER (self));
  g_return_if_fail (out != NULL);

  stats_from (self, 0, out);

  /* How long the frames themselves took, from "update" to "after-paint". */
  n = self->work->len;
  if (n > 0)
    {
      g_autofree double *ms = g_memdup2 (self->work->data, n * sizeof (double));

      qsort (ms, n, sizeof (double), compare_doubles);
      out->work_ms_p50 = percentile (ms, n, 0.50);
      out->work_ms_p95 = percentile (ms, n, 0.95);
      out->work_ms_max = ms[n - 1];
    }
}

void
gs_frame_meter_get_recent (GsFrameMeter *self,
                           double        seconds,
                           GsFrameStats *out)
{
  const gint64 *t;
  guint first, n;
  gint64 since;

  g_return_if_fail (GS_IS_FRAME_METER (self));
  g_return_if_fail (out != NULL);

  t = (const gint64 *) (gpointer) self->paints->data;
  first = self->paints->len;
  since = g_get_monotonic_time () - (gint64) (seconds * G_USEC_PER_SEC);
  while (first > 0 && t[first - 1] >= since)
    first--;
  stats_from (self, first, out);

  /* The frames' own work: as many of the latest as there were paints. */
  n = MIN (self->work->len, self->paints->len - first);
  if (n > 0)
    {
      g_autofree double *ms = g_memdup2 ((const double *) (gpointer) self->work->data + self->work->len - n,
                                         n * sizeof (double));

      qsort (ms, n, sizeof (double), compare_doubles);
      out->work_ms_p50 = percentile (ms, n, 0.50);
      out->work_ms_p95 = percentile (ms, n, 0.95);
      out->work_ms_max = ms[n - 1];
    }

  /* The overlay runs for hours: forget what it will never read again. */
  if (first > 100000)
    {
      g_array_remove_range (self->paints, 0, first);
      g_array_remove_range (self->work, 0, MIN (first, self->work->len));
    }
}
