/* gs-window.h — Gatescope's main window.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gs-application.h"

G_BEGIN_DECLS

#define GS_TYPE_WINDOW (gs_window_get_type ())

G_DECLARE_FINAL_TYPE (GsWindow, gs_window, GS, WINDOW, AdwApplicationWindow)

GsWindow *gs_window_new          (GsApplication *application);
/* TRUE while a training run is under way (the "training" property). */
gboolean  gs_window_get_training (GsWindow      *self);

G_END_DECLS
