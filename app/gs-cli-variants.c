/* gs-cli-variants.c — gatescope-cli's variant options and their help, from gs_variant_table.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row of the table is one long option, --cli_flag (with an argument
 * for numbers and choices), whose getopt code is OPT_VAR_BASE + the row;
 * cli_parse_variant_option (gs-cli.c) reads it through its row. A new row
 * is a new option and a new help line with nothing written here.
 */
#include <getopt.h>
#include <string.h>

#include "gs-cli-private.h"
#include "gs-i18n.h"
#include "gs-variant-table.h"

#define MAX_OPTIONS 160   /* a command's own options and every row */
#define HELP_COLUMN 21    /* where the help text starts, as in every command's help */

const struct option *
cli_with_variant_options (const struct option *own)
{
  static struct option all[MAX_OPTIONS];
  int n = 0;

  while (own[n].name != NULL && n < MAX_OPTIONS - 1)
    {
      all[n] = own[n];
      n++;
    }
  for (int i = 0; i < gs_variant_table_len && n < MAX_OPTIONS - 1; i++, n++)
    all[n] = (struct option) {
      gs_variant_table[i].cli_flag,
      gs_variant_table[i].type == GS_VARIANT_BOOL ? no_argument : required_argument,
      NULL,
      OPT_VAR_BASE + i,
    };
  all[n] = (struct option) { NULL, 0, NULL, 0 };
  return all;
}

void
print_variant_usage (FILE *f)
{
  fputs (_("\nCell variants (recorded in a saved model's metadata):\n"), f);
  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const GsVariantInfo *r = &gs_variant_table[i];
      const char *help = _(r->cli_help);
      char left[64];
      int width;

      width = snprintf (left, sizeof left, "--%s%s%s", r->cli_flag, r->cli_arg != NULL ? " " : "",
                        r->cli_arg != NULL ? r->cli_arg : "");
      /* "  --flag ARG" then the help at its column, or below when it is too long */
      if (width + 2 <= HELP_COLUMN - 2)
        fprintf (f, "  %-*s", HELP_COLUMN - 2, left);
      else
        fprintf (f, "  %s\n%*s", left, HELP_COLUMN, "");
      for (const char *line = help; *line != '\0';)
        {
          size_t len = strcspn (line, "\n");

          fprintf (f, "%.*s\n", (int) len, line);
          line += len;
          if (*line == '\n' && *++line != '\0')
            fprintf (f, "%*s", HELP_COLUMN, "");
        }
    }
}
