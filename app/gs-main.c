/* gs-main.c — the gatescope executable: locale, text domain, application.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include <glib/gi18n.h>

#include "gs-application.h"
#include "gs-blas.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GsApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gs_blas_init ();

  app = gs_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
