/* gs-ui-test-window.h — helpers shared by the tests that open the real
 * Gatescope window (they link the app; gs-ui-test.h serves every test).
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gs-application.h"
#include "gs-session.h"
#include "gs-ui-test.h"
#include "gs-window.h"

G_BEGIN_DECLS

/* The application, non-unique (never hands the test's work to a Gatescope
 * running on the desktop) plus `flags`, registered (startup has run) and
 * made the default one, which gs_ui_test_open_window opens on. */
GsApplication    *gs_ui_test_app_new     (GApplicationFlags flags);

/* A new window of the default application, presented at width × height
 * (<= 0: its own default size) and shown, its session's first answer in. */
GsWindow         *gs_ui_test_open_window (int         width,
                                          int         height);

/* A widget of the window's template, else of the settings panel's: its
 * template, or a row it made from the variant table, by widget name
 * ("variant-peephole-switch"). Fails the test when there is none. */
gpointer          gs_ui_test_child       (GsWindow   *win,
                                          const char *name);

GsSession        *gs_ui_test_session     (GsWindow   *win);

/* Waits for every queued command's answer, then for what it changed. */
void              gs_ui_test_sync        (GsWindow   *win);

/* What the views were last given. */
const GsSnapshot *gs_ui_test_snapshot    (GsWindow   *win);

/* A toast to wait for: gs_ui_test_toast_shown (&toast) holds once a label
 * under the window's toast overlay shows text containing `needle`. */
typedef struct {
  GsWindow   *win;
  const char *needle;
} GsUiTestToast;

gboolean          gs_ui_test_toast_shown (gpointer    data);

G_END_DECLS
