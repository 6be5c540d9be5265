/* gs-cli-shapes.c — gatescope-cli shapes: the model's tensors and counts.
 *
 *   gatescope-cli shapes [--task …] [--cell lstm] [--layers N] … [--json]
 *
 * Takes train's model options (and the task's recommended settings for
 * what is not given, as train does), builds the run's model and prints
 * core/gs-shapes.h's description: every tensor under its PyTorch name,
 * split by gate; the per-gate view over the joined [h, x]; the PyTorch and
 * Keras parameter counts; the shapes of the input, the output, h_n and c_n
 * for the run's batch and length, with batch_first off and on.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gs-cli-private.h"
#include "gs-error.h"
#include "gs-i18n.h"
#include "gs-model.h"
#include "gs-recipe.h"
#include "gs-shapes.h"
#include "gs-train.h"

void
print_shapes_usage (FILE *f)
{
  fprintf (f, _("Usage: %s shapes [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Describes the model that 'train' with the same options would build: every\n"
           "tensor under its PyTorch name and shape, split by gate (W_ii | W_if | W_ig |\n"
           "W_io), the same weights as one matrix per gate over the joined [h, x], the\n"
           "parameter count as PyTorch and as Keras count it, and the shapes of the\n"
           "input, the output, h_n and c_n with batch_first off and on, for the run's\n"
           "batch and sequence length.\n"
           "\n"
           "  --task, --cell, --layers, --hidden, --embed, --batch and the cell variants\n"
           "                     as for 'train' (see 'train --help')\n"
           "  --length T         the sequence length of the shapes (default: the task's)\n"
           "  --json             one JSON object instead of the text\n"
           "  -h, --help         show this help\n"), f);
}

int
cli_shapes (GsCli *cli, int argc, char **argv)
{
  enum { OPT_SH_LENGTH = 4096 };
  static const struct option longopts[] = {
    GS_CLI_TRAIN_OPTIONS,
    { "cell",   required_argument, NULL, OPT_CELL },
    { "length", required_argument, NULL, OPT_SH_LENGTH },
    { "json",   no_argument,       NULL, OPT_JSON },
    { "help",   no_argument,       NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  GsTrainOptions opts;
  GsTrainConfig *cfg = &opts.cfg;
  GsError err = { { 0 } };
  GsShapes *shapes;
  bool json = false;
  int length = 0;
  char names[128];
  char *text;
  int status, c;

  cli_train_options_init (&opts);
  while ((c = getopt_long (argc, argv, ":h", cli_with_variant_options (longopts), NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_shapes_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_CELL:
          opts.given |= GS_RECIPE_KEEP_CELL;
          if (gs_cell_from_name (optarg, &cfg->cell) != GS_OK)
            {
              cell_names (names, sizeof names);
              return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown cell '%s' (valid: %s)"), optarg, names);
            }
          break;
        case OPT_SH_LENGTH:
          if (!parse_int (cli, "--length", optarg, 1, 1000000, &length))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_JSON:
          json = true;
          break;
        default:
          if ((status = cli_train_option (cli, c, optarg, argv, &opts)) != GS_CLI_EXIT_OK)
            return status;
          break;
        }
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK)
    return status;
  cli_train_options_recommend (&opts);
  if ((status = cli_train_options_finish (cli, &opts)) != GS_CLI_EXIT_OK
      || (status = cli_train_config_check (cli, cfg)) != GS_CLI_EXIT_OK)
    return status;

  /* The run's own model: the task decides V, O and the input kind. */
  shapes = malloc (sizeof *shapes);
  if (shapes == NULL)
    return cli_fail (cli, GS_CLI_EXIT_FAILURE, _("out of memory"));
  if (gs_shapes_describe_run (shapes, cfg, length, &err) != GS_OK)
    {
      free (shapes);
      return cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
    }
  text = json ? gs_shapes_format_json (shapes) : gs_shapes_format (shapes);
  if (text == NULL)
    status = cli_fail (cli, GS_CLI_EXIT_FAILURE, _("out of memory"));
  else
    {
      fputs (text, cli->out);
      if (json)
        fputc ('\n', cli->out);
    }
  free (text);
  free (shapes);
  return status;
}
