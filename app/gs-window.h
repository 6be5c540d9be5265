/* gs-window.h — Gatescope's main window: step through a sequence, train, watch.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gs-application.h"
#include "gs-session.h"

G_BEGIN_DECLS

#define GS_TYPE_WINDOW (gs_window_get_type ())

/* The largest hidden size the settings offer, for character-LM demos of
 * 128–512 units. The GSettings key's range and the spin button's upper
 * bound say the same (tests/ui/test-window.c checks all three). */
#define GS_WINDOW_MAX_HIDDEN 512
/* The most one sequence's states may take for the window to show a run
 * (gs_snapshot_bytes): the window copies them up to 60 times a second. */
#define GS_WINDOW_MAX_SNAPSHOT_BYTES ((gsize) 256 << 20)

G_DECLARE_FINAL_TYPE (GsWindow, gs_window, GS, WINDOW, AdwApplicationWindow)

GsWindow  *gs_window_new           (GsApplication *application);
/* The run the window shows and steps (for tests: gs_session_sync ()). */
GsSession *gs_window_get_session   (GsWindow      *self);
/* TRUE while training continuously (the "training" property, win.train). */
gboolean   gs_window_get_training  (GsWindow      *self);
/* The timestep every view shows (−1 = none) and the layer they show. */
int        gs_window_get_timestep  (GsWindow      *self);
int        gs_window_get_layer     (GsWindow      *self);
/* The presentation mode (F5): full screen, only what a class needs, all
 * larger. */
gboolean   gs_window_get_presenting (GsWindow     *self);
void       gs_window_set_presenting (GsWindow     *self,
                                     gboolean      presenting);

/* Trains a large model (LSTM, 2 layers of `hidden` units, 64 when 0)
 * continuously and records the interval of every frame for `seconds`; then
 * emits "frames-measured" with one line of JSON: frames, seconds, fps_mean,
 * frame_ms_p50/p95/p99/max, snapshots. The window must be shown. */
/* Starts a run from a model file's weights (safetensors or torch.save's
 * .pt): the file's model, its task when it names one; a file that cannot
 * be read or does not fit keeps the current run and says why. */
/* A session (.gatescope) or a model file, whichever the file is; a
 * session goes on where it was saved. FALSE (and a notice saying why)
 * when it cannot be opened: the current run stays. */
gboolean   gs_window_open_file     (GsWindow      *self,
                                    GFile         *file);
gboolean   gs_window_open_session  (GsWindow      *self,
                                    GFile         *file);
/* gs_window_open_file, after Save / Discard / Cancel when the run has
 * unsaved changes (Cancel keeps it, Save saves it first): Open, Open
 * Recent, a dropped file, the command line and the desktop. */
void       gs_window_open_file_asking (GsWindow   *self,
                                       GFile      *file);
/* Saves the run as a session to path (the worker writes it). */
void       gs_window_save_to       (GsWindow      *self,
                                    const char    *path);
/* The Save / Discard / Cancel question while it is shown, else NULL. */
AdwMessageDialog *gs_window_get_close_dialog (GsWindow *self);
/* For ways of ending that do not ask (Quit, the desktop session ending, a
 * signal): writes the autosave of unsaved work now and waits until it is
 * on disk, so the next start offers to restore it. */
void       gs_window_autosave_now  (GsWindow      *self);
/* The offer to restore an autosave after a crash, and its answer. */
gboolean   gs_window_recovery_offered (GsWindow   *self);
void       gs_window_recovery_respond (GsWindow   *self,
                                       gboolean    restore);
gboolean   gs_window_open_model    (GsWindow      *self,
                                    GFile         *file);
/* Plays the lesson at path (gs-lesson.h) in the lesson panel beside the
 * step page; FALSE, with a notice naming the file, line and fault, when
 * it is broken. */
gboolean   gs_window_open_lesson   (GsWindow      *self,
                                    const char    *path);

void       gs_window_measure_frames (GsWindow     *self,
                                     double        seconds,
                                     int           hidden);

G_END_DECLS
