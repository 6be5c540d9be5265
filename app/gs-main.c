/* gs-main.c — the gatescope executable: locale, text domain, application.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gs-application.h"
#include "gs-blas.h"
#include "gs-file.h"
#include "gs-locale.h"

/* The window's Language setting ("" = the system's), read before anything
 * is translated: a change takes effect at the next start. NULL when the
 * schema is not installed (GSettings would abort). */
static char *
saved_language (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "language"))
    return NULL;
  settings = g_settings_new (APP_ID);
  return g_settings_get_string (settings, "language");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GsApplication) app = NULL;
  g_autofree char *language = saved_language ();

  gs_locale_init (language);
  /* GTK would call setlocale (LC_ALL, "") again, undoing what
   * gs_locale_init () does for LANGUAGE under the C locale. */
  gtk_disable_setlocale ();
  gs_blas_init ();
  gs_file_install_signal_cleanup ();   /* Ctrl-C leaves no half-written temporary file */

  app = gs_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
