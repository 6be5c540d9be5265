/* gs-locale.c — the locale and the text domain, for both executables.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "gs-locale.h"

#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *catalog_dir = LOCALEDIR;

/* True when this executable lies inside the build tree it was built in. */
static bool
running_uninstalled (void)
{
  char exe[PATH_MAX];
  ssize_t n = readlink ("/proc/self/exe", exe, sizeof exe - 1);
  size_t root = strlen (BUILD_ROOT);

  if (n <= 0)
    return false;
  exe[n] = '\0';
  return strncmp (exe, BUILD_ROOT, root) == 0 && exe[root] == '/';
}

static bool
is_c_locale (const char *name)
{
  return name == NULL || strcmp (name, "C") == 0 || strcmp (name, "POSIX") == 0;
}

void
gs_locale_init (const char *language)
{
  const char *env;
  struct stat st;

  if (language != NULL && language[0] != '\0')
    setenv ("LANGUAGE", language, 1);

  setlocale (LC_ALL, "");
  /* glibc ignores LANGUAGE under the C locale (also when LANG names a
   * locale that is not installed): LANGUAGE=zh_CN would change nothing. */
  env = getenv ("LANGUAGE");
  if (env != NULL && env[0] != '\0' && is_c_locale (setlocale (LC_MESSAGES, NULL))) {
    setlocale (LC_MESSAGES, "C.UTF-8");
    if (is_c_locale (setlocale (LC_CTYPE, NULL)))
      setlocale (LC_CTYPE, "C.UTF-8");
  }

  if (running_uninstalled () && stat (BUILD_LOCALEDIR, &st) == 0 && S_ISDIR (st.st_mode))
    catalog_dir = BUILD_LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, catalog_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

const char *
gs_locale_catalog_dir (void)
{
  return catalog_dir;
}
