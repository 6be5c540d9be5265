/* gs-lesson-panel.h — the lesson player: a side panel that walks through a
 * guided lesson (core/gs-lesson.h) on the window's live session.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel shows one step at a time in the UI's language: its title and
 * text, where to look, and its question with one button per choice. Next
 * (lesson.next) shows the following step and has the session's worker run
 * its actions (gs_session_lesson_step) — set up a run, train, step,
 * intervene — so the UI never waits for the network; the choices come
 * alive when the worker has answered with the right one, computed from the
 * live values. Back (lesson.back) shows the previous step and puts the
 * network back where going forward left it at that step (played again
 * from the lesson's set-up in the worker, gs_session_lesson_replay), so
 * Next after Back shows the very values of going forward once.
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-session.h"

G_BEGIN_DECLS

#define GS_TYPE_LESSON_PANEL (gs_lesson_panel_get_type ())

G_DECLARE_FINAL_TYPE (GsLessonPanel, gs_lesson_panel, GS, LESSON_PANEL, GtkBox)

GsLessonPanel *gs_lesson_panel_new         (GsSession     *session);

/* Loads the lesson at path and plays its first step. FALSE, with the
 * loader's message (file and line) in error, when it is broken. */
gboolean       gs_lesson_panel_open        (GsLessonPanel *self,
                                            const char    *path,
                                            GError       **error);
/* Ends the lesson (the close button): the session drops the lesson's
 * interventions, the run stays; then "closed". */
void           gs_lesson_panel_close       (GsLessonPanel *self);
/* The step shown (0-based) and how many there are; −1 and 0 with no lesson. */
int            gs_lesson_panel_get_step    (GsLessonPanel *self);
int            gs_lesson_panel_get_n_steps (GsLessonPanel *self);
/* Whether the worker is still running the shown step's actions ("busy"). */
gboolean       gs_lesson_panel_get_busy    (GsLessonPanel *self);
/* The shown question's right choice, −1 while unknown or without one. */
int            gs_lesson_panel_get_right   (GsLessonPanel *self);
/* Answers the shown question with choice `index`, as its button does;
 * TRUE when it is the right one. */
gboolean       gs_lesson_panel_choose      (GsLessonPanel *self,
                                            int            index);

/* The language lessons are shown in: the UI's. */
GsLang         gs_lesson_panel_language    (void);

G_END_DECLS
