/* gs-help-window.h — the short user guide (Help, F1).
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window with the guide's headings and paragraphs (gs-help-window.ui):
 * compiled into the application, translated through gettext, so it needs
 * neither a browser nor the network.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GS_TYPE_HELP_WINDOW (gs_help_window_get_type ())

G_DECLARE_FINAL_TYPE (GsHelpWindow, gs_help_window, GS, HELP_WINDOW, AdwWindow)

/* The guide, transient for `parent` (may be NULL). */
GsHelpWindow *gs_help_window_new (GtkWindow *parent);

G_END_DECLS
