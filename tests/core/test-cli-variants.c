/* test-cli-variants — gatescope-cli's variant options are the table's.
 *
 * gatescope-cli makes one long option per row of gs_variant_table
 * (cli_with_variant_options, app/gs-cli-variants.c) after a command's own
 * options, and one help line per row (print_variant_usage). This checks
 * that a command's own options come first and unchanged; that every row
 * has exactly one option named by its cli_flag, with an argument for
 * numbers and choices and none for switches, and the code OPT_VAR_BASE +
 * its row, distinct from the command's; and that the help names every
 * flag at the start of a line, with its argument. tests/cli/test-cli.sh
 * runs each flag.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/gs-cli-private.h"
#include "gs-test.h"
#include "gs-variant-table.h"

int
main (void)
{
  static const struct option own[] = {
    { "task", required_argument, NULL, OPT_TASK },
    { "help", no_argument,       NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const struct option *all = cli_with_variant_options (own);
  int n = 0;
  char *help = NULL;
  size_t help_len = 0;
  FILE *f;

  while (all[n].name != NULL)
    n++;
  GS_CHECK (n == 2 + gs_variant_table_len, "%d options: the command's 2 and one per row (%d)",
            n, gs_variant_table_len);
  GS_CHECK (strcmp (all[0].name, "task") == 0 && all[0].val == OPT_TASK
            && strcmp (all[1].name, "help") == 0 && all[1].val == 'h', "the command's own come first");

  for (int i = 0; i < gs_variant_table_len; i++) {
    const GsVariantInfo *r = &gs_variant_table[i];
    const int want_arg = r->type == GS_VARIANT_BOOL ? no_argument : required_argument;
    int found = 0;

    for (int k = 0; k < n; k++)
      if (strcmp (all[k].name, r->cli_flag) == 0) {
        found++;
        GS_CHECK (all[k].has_arg == want_arg, "--%s: %s", r->cli_flag,
                  want_arg == no_argument ? "takes no argument" : "takes an argument");
        GS_CHECK (all[k].val == OPT_VAR_BASE + i, "--%s has the code of row %d", r->cli_flag, i);
      }
    GS_CHECK (found == 1, "--%s (%s) is declared once, not %d times", r->cli_flag, r->name, found);
    GS_CHECK ((r->cli_arg != NULL) == (want_arg == required_argument), "--%s names its argument in the help",
              r->cli_flag);
    GS_CHECK (r->cli_help != NULL && r->cli_help[0] != '\0', "--%s has help", r->cli_flag);
  }
  for (int k = 0; k < n; k++)
    for (int j = 0; j < k; j++)
      GS_CHECK (all[j].val != all[k].val, "--%s and --%s have different codes", all[j].name, all[k].name);

  f = open_memstream (&help, &help_len);
  if (GS_CHECK (f != NULL, "open_memstream")) {
    print_variant_usage (f);
    fclose (f);
    for (int i = 0; i < gs_variant_table_len; i++) {
      const GsVariantInfo *r = &gs_variant_table[i];
      char want[96];

      snprintf (want, sizeof want, "\n  --%s%s%s", r->cli_flag, r->cli_arg != NULL ? " " : "",
                r->cli_arg != NULL ? r->cli_arg : "");
      GS_CHECK (strstr (help, want) != NULL, "the help has the line%s", want);
    }
    /* The help column: "  --peephole         lstm: …" */
    GS_CHECK (strstr (help, "\n  --peephole         lstm: peephole") != NULL, "the help lines up: %s", help);
    free (help);
  }
  return gs_test_finish ("cli-variants");
}
