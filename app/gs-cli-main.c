/* gs-cli-main.c — the gatescope-cli executable: locale, text domain, run. */
#include <libintl.h>
#include <locale.h>
#include <stdio.h>

#include "gs-blas.h"
#include "gs-cli.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gs_blas_init ();

  return gs_cli_run (argc, argv, stdout, stderr);
}
