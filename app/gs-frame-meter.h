/* gs-frame-meter.h — how regularly a window paints its frames.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A meter attached to a widget's frame clock records the time between the
 * ends of consecutive frame-clock cycles ("after-paint"). While it runs it
 * keeps the clock cycling every frame, as an animation would, so that an
 * interval longer than the display's refresh period is a frame the window
 * missed because drawing took too long — not a frame it had no reason to
 * draw.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GS_TYPE_FRAME_METER (gs_frame_meter_get_type ())

G_DECLARE_FINAL_TYPE (GsFrameMeter, gs_frame_meter, GS, FRAME_METER, GObject)

typedef struct {
  guint  frames;      /* intervals recorded */
  double seconds;     /* from the first recorded paint to the last */
  double fps_mean;    /* frames / seconds */
  double ms_p50;      /* interval percentiles, milliseconds */
  double ms_p95;
  double ms_p99;
  double ms_max;
  /* How long each frame's own work took (events aside): from the frame
   * clock's "update" to "after-paint". */
  double work_ms_p50;
  double work_ms_p95;
  double work_ms_max;
} GsFrameStats;

/* A meter for `widget`'s frame clock (the widget must be realized when the
 * meter starts). Keeps a weak reference only. */
GsFrameMeter *gs_frame_meter_new         (GtkWidget    *widget);
/* Starts recording afresh (clearing what was recorded) or stops. */
void          gs_frame_meter_set_running (GsFrameMeter *self,
                                          gboolean      running);
gboolean      gs_frame_meter_get_running (GsFrameMeter *self);
/* Statistics over everything recorded since the meter started. */
void          gs_frame_meter_get_stats   (GsFrameMeter *self,
                                          GsFrameStats *out);
/* The same over the last `seconds` only (the on-screen overlay, and the
 * start and the end of a long measurement). */
void          gs_frame_meter_get_recent  (GsFrameMeter *self,
                                          double        seconds,
                                          GsFrameStats *out);

G_END_DECLS
