/* gs-renderer.c — choose GTK's renderer before the first window is shown.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 draws with OpenGL whenever it can get a context, even when that
 * context is Mesa's software rasteriser (llvmpipe, softpipe, swrast) — on a
 * virtual machine, a classroom PC without a driver or a remote session.
 * There GTK's GL renderer spends most of a frame emulating the GPU: the
 * stepping window measured 14 fps with it against 60 with GTK's cairo
 * renderer on the same machine (bench/gui-fps.sh). So when nobody chose a
 * renderer (GSK_RENDERER is unset), ask the GL driver its name once and, if
 * it is a software one, set GSK_RENDERER=cairo before any window is
 * realized: GTK reads the variable when it creates its first renderer.
 */

#include <string.h>

#include <epoxy/gl.h>

#include "gs-renderer.h"

/* The renderer strings of Mesa's CPU drivers, e.g.
 * "llvmpipe (LLVM 15.0.6, 256 bits)". */
gboolean
gs_renderer_is_software (const char *gl_renderer)
{
  static const char *software[] = { "llvmpipe", "softpipe", "swrast", "software rasterizer" };
  g_autofree char *lower = NULL;

  if (gl_renderer == NULL)
    return FALSE;

  lower = g_ascii_strdown (gl_renderer, -1);
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (lower, software[i]) != NULL)
      return TRUE;

  return FALSE;
}

/* The name of the display's OpenGL renderer (GL_RENDERER), or NULL when
 * GTK cannot get an OpenGL context there. Free with g_free(). */
char *
gs_renderer_gl_name (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  char *name;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_debug ("No OpenGL context: %s", error != NULL ? error->message : "");
      return NULL;
    }
  gdk_gl_context_make_current (context);
  name = g_strdup ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return name;
}

/* Returns the GL renderer's name when it set GSK_RENDERER=cairo because
 * of it, NULL when it left GTK's choice alone (GTK falls back to cairo by
 * itself when it has no OpenGL at all). */
const char *
gs_renderer_choose (GdkDisplay *display)
{
  static char chosen[128];
  g_autofree char *name = NULL;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  if (g_getenv ("GSK_RENDERER") != NULL)
    return NULL;

  name = gs_renderer_gl_name (display);
  if (!gs_renderer_is_software (name))
    return NULL;

  g_strlcpy (chosen, name, sizeof chosen);
  g_debug ("OpenGL is software (%s): drawing with cairo", chosen);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return chosen;
}
