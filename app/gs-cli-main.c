/* gs-cli-main.c — the gatescope-cli executable: locale, text domain, run. */
#include <stdio.h>

#include "gs-blas.h"
#include "gs-cli.h"
#include "gs-file.h"
#include "gs-locale.h"

int
main (int argc, char **argv)
{
  gs_locale_init (NULL);   /* LANGUAGE=zh_CN gatescope-cli help: Chinese */
  gs_blas_init ();
  gs_file_install_signal_cleanup ();   /* Ctrl-C leaves no half-written temporary file */

  return gs_cli_run (argc, argv, stdout, stderr);
}
