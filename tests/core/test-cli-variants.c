/* test-cli-variants — gatescope-cli's variant options are the table's.
 *
 * gatescope-cli declares its variant options for getopt_long in
 * GS_CLI_VARIANT_OPTIONS (a static initialiser) and parses each through its
 * row of gs_variant_table (cli_parse_variant_option). This checks that the
 * two lists agree: every row has exactly one option named by its cli_flag,
 * with an argument for numbers and choices and none for switches, and every
 * option is a row. tests/cli/test-cli.sh runs each flag.
 */
#include <getopt.h>
#include <string.h>

#include "../../app/gs-cli-private.h"
#include "gs-test.h"
#include "gs-variant-table.h"

static const struct option options[] = { GS_CLI_VARIANT_OPTIONS };
#define N_OPTIONS ((int) (sizeof options / sizeof options[0]))

int
main (void)
{
  for (int i = 0; i < gs_variant_table_len; i++) {
    const GsVariantInfo *r = &gs_variant_table[i];
    const int want_arg = r->type == GS_VARIANT_BOOL ? no_argument : required_argument;
    int found = 0;

    for (int k = 0; k < N_OPTIONS; k++)
      if (strcmp (options[k].name, r->cli_flag) == 0) {
        found++;
        GS_CHECK (options[k].has_arg == want_arg, "--%s: %s", r->cli_flag,
                  want_arg == no_argument ? "takes no argument" : "takes an argument");
      }
    GS_CHECK (found == 1, "--%s (%s) is declared once, not %d times", r->cli_flag, r->name, found);
  }
  for (int k = 0; k < N_OPTIONS; k++) {
    GS_CHECK (gs_variant_find_flag (options[k].name) >= 0, "--%s is a row of the table", options[k].name);
    for (int j = 0; j < k; j++)
      GS_CHECK (options[j].val != options[k].val, "--%s and --%s have different codes",
                options[j].name, options[k].name);
  }
  return gs_test_finish ("cli-variants");
}
