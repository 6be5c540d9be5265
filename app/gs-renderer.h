/* gs-renderer.h — choose GTK's renderer before the first window is shown.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean     gs_renderer_is_software (const char *gl_renderer);
char        *gs_renderer_gl_name     (GdkDisplay *display);
const char  *gs_renderer_choose      (GdkDisplay *display);

G_END_DECLS
