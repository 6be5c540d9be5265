/* gs-cli-code.c — gatescope-cli code: the run's model as PyTorch or Keras.
 *
 *   gatescope-cli code [--framework pytorch|keras] [train's model options]
 *
 * Prints core/gs-code.h's Python for the model 'train' with the same
 * options would build (the task's recommended settings for what is not
 * given, as train does). The PyTorch module's state_dict names are those of
 * our model files, so it loads a file 'train --save' wrote.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gs-cli-private.h"
#include "gs-code.h"
#include "gs-error.h"
#include "gs-i18n.h"
#include "gs-recipe.h"
#include "gs-shapes.h"

void
print_code_usage (FILE *f)
{
  fprintf (f, _("Usage: %s code [--framework pytorch|keras] [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Prints the Python code of the model that 'train' with the same options would\n"
           "build, written as the course writes it (emb, rnn and fc), with its loss and\n"
           "optimizer. The PyTorch module's parameter names are those of the files\n"
           "'train --save' writes, so model.load_state_dict reads them.\n"
           "\n"
           "  --framework NAME   pytorch (the default) or keras\n"
           "  --task, --cell, --layers, --hidden, --embed, the optimizer and the cell\n"
           "                     variants as for 'train' (see 'train --help')\n"
           "  -h, --help         show this help\n"), f);
}

int
cli_code (GsCli *cli, int argc, char **argv)
{
  enum { OPT_CODE_FRAMEWORK = 4200 };
  static const struct option longopts[] = {
    GS_CLI_TRAIN_OPTIONS,
    { "cell",      required_argument, NULL, OPT_CELL },
    { "framework", required_argument, NULL, OPT_CODE_FRAMEWORK },
    { "help",      no_argument,       NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  GsTrainOptions opts;
  GsTrainConfig *cfg = &opts.cfg;
  GsCodeFramework fw = GS_CODE_PYTORCH;
  GsError err = { { 0 } };
  GsShapes *shapes;
  char names[128];
  char *text;
  int status, c;

  cli_train_options_init (&opts);
  while ((c = getopt_long (argc, argv, ":h", cli_with_variant_options (longopts), NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_code_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_CELL:
          opts.given |= GS_RECIPE_KEEP_CELL;
          if (gs_cell_from_name (optarg, &cfg->cell) != GS_OK)
            {
              cell_names (names, sizeof names);
              return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown cell '%s' (valid: %s)"), optarg, names);
            }
          break;
        case OPT_CODE_FRAMEWORK:
          if (strcmp (optarg, "pytorch") == 0)
            fw = GS_CODE_PYTORCH;
          else if (strcmp (optarg, "keras") == 0)
            fw = GS_CODE_KERAS;
          else
            return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown framework '%s' (valid: pytorch, keras)"), optarg);
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
  if (gs_shapes_describe_run (shapes, cfg, 0, &err) != GS_OK)
    {
      free (shapes);
      return cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
    }
  text = gs_code_generate (fw, &shapes->cfg, cfg);
  free (shapes);
  if (text == NULL)
    return cli_fail (cli, GS_CLI_EXIT_FAILURE, _("out of memory"));
  fputs (text, cli->out);
  free (text);
  return GS_CLI_EXIT_OK;
}
