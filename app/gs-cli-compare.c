/* gs-cli-compare.c — gatescope-cli compare: RNN, LSTM and GRU side by side.
 *
 *   gatescope-cli compare --task hello --cells rnn_tanh,lstm,gru --seeds 0,1,2 \
 *                         --steps 200 --csv out.csv --svg out.svg
 *
 * trains every cell from every seed in lock-step (core/gs-compare.h), prints
 * a summary table, and writes the curves as CSV and the chart (ui/gs-chart.h,
 * the GUI's drawing code) as PNG, SVG or PDF.
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-chart.h"
#include "gs-cli-private.h"
#include "gs-compare.h"
#include "gs-error.h"
#include "gs-i18n.h"
#include "gs-model.h"
#include "gs-optim.h"
#include "gs-task.h"
#include "gs-train.h"

#define DEFAULT_CELLS "rnn_tanh,lstm,gru"
#define DEFAULT_SEEDS "0,1,2"
#define DEFAULT_STEPS 200
#define DEFAULT_WIDTH 1200
#define DEFAULT_HEIGHT 700
#define MAX_STEPS 10000000

/* This command's own long options, above the shared ones. */
enum {
  OPT_CMP_CELLS = 1024,
  OPT_CMP_SEEDS,
  OPT_CMP_STEPS,
  OPT_CMP_CSV,
  OPT_CMP_SVG,
  OPT_CMP_PNG,
  OPT_CMP_PDF,
  OPT_CMP_WIDTH,
  OPT_CMP_HEIGHT,
  OPT_CMP_LOG_Y,
  OPT_CMP_SMOOTH,
  OPT_CMP_CHART,
};

void
print_compare_usage (FILE *f)
{
  GsTrainConfig d;
  char cells[128], opts[128];

  gs_train_config_default (&d);
  cell_names (cells, sizeof cells);
  optimizer_names (opts, sizeof opts);

  fprintf (f, _("Usage: %s compare [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Trains several cells on the same task, from the same seeds, in lock-step:\n"
           "the runs of one seed see the same batches in the same order. Prints the\n"
           "final loss of each cell and writes the curves and the chart.\n"
           "\n"), f);
  fprintf (f, _("  --task NAME        the task to learn (default: %s)\n"), d.task);
  fprintf (f, _("  --cells LIST       cells to compare, comma-separated: %s\n"
                "                     (default: %s)\n"), cells, DEFAULT_CELLS);
  fprintf (f, _("  --seeds LIST       seeds per cell, comma-separated (default: %s)\n"), DEFAULT_SEEDS);
  fprintf (f, _("  --steps N          training steps of every run (default: %d)\n"), DEFAULT_STEPS);
  fprintf (f, _("  --layers N         stacked layers (default: %d)\n"), d.L);
  fprintf (f, _("  --hidden N         hidden size (default: %d)\n"), d.H);
  fprintf (f, _("  --embed N          embedding size, 0 for one-hot input (default: %d)\n"),
           d.one_hot ? 0 : d.E);
  fprintf (f, _("  --batch N          sequences per step (default: %d)\n"), d.B);
  fprintf (f, _("  --optimizer NAME   %s (default: %s)\n"), opts, gs_opt_name (d.opt.kind));
  fprintf (f, _("  --lr RATE          learning rate (default: %g)\n"), (double) d.opt.lr);
  fputs (_("  --momentum M       momentum of sgd and rmsprop (default: PyTorch's, 0)\n"), f);
  fputs (_("  --clip NORM        clip the gradient norm to NORM (default: no clipping)\n"
           "  --csv FILE         write the curves: cell,seed,step,loss[,accuracy]\n"
           "                     [,val_loss[,val_accuracy]] (held out, every 50 steps)\n"
           "  --png FILE         write the chart as PNG\n"
           "  --svg FILE         write the chart as SVG\n"
           "  --pdf FILE         write the chart as PDF\n"
           "  --chart KIND       overview, loss, accuracy or flow (default: overview)\n"), f);
  fprintf (f, _("  --width N          chart width in pixels (default: %d)\n"), DEFAULT_WIDTH);
  fprintf (f, _("  --height N         chart height in pixels (default: %d)\n"), DEFAULT_HEIGHT);
  fputs (_("  --log-y            logarithmic loss axis\n"
           "  --smooth F         smooth the curves (exponential, 0 ≤ F < 1; default: 0)\n"
           "  -h, --help         show this help\n"), f);
  print_variant_usage (f);
}

/* "rnn_tanh,lstm" into configurations labelled by the cell's name. */
static bool
parse_cells (GsCli *cli, const char *s, const GsTrainConfig *base, GsCompareConfig *out, int *n_out)
{
  char name[GS_COMPARE_LABEL_MAX];
  char names[128];
  int n = 0;

  if (s[0] == '\0')
    {
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: the list is empty"), "--cells");
      return false;
    }
  for (;;)
    {
      const char *comma = strchr (s, ',');
      size_t len = comma != NULL ? (size_t) (comma - s) : strlen (s);
      GsCell cell;

      if (len == 0 || len >= sizeof name)
        {
          cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: value %d of the list is empty or too long"),
                    "--cells", n + 1);
          return false;
        }
      memcpy (name, s, len);
      name[len] = '\0';
      if (gs_cell_from_name (name, &cell) != GS_OK)
        {
          cell_names (names, sizeof names);
          cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown cell '%s' (valid: %s)"), name, names);
          return false;
        }
      for (int k = 0; k < n; k++)
        if (strcmp (out[k].label, name) == 0)
          {
            cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: '%s' is listed twice"), "--cells", name);
            return false;
          }
      if (n == GS_COMPARE_MAX_CONFIGS)
        {
          cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: more than %d values"), "--cells",
                    GS_COMPARE_MAX_CONFIGS);
          return false;
        }
      memset (&out[n], 0, sizeof out[n]);
      snprintf (out[n].label, sizeof out[n].label, "%s", name);
      out[n].cfg = *base;
      out[n].cfg.cell = cell;
      n++;
      if (comma == NULL)
        break;
      s = comma + 1;
    }
  *n_out = n;
  return true;
}

static bool
parse_seeds (GsCli *cli, const char *s, uint64_t *out, int *n_out)
{
  int *values = NULL, n = 0;

  if (!parse_int_list (cli, "--seeds", s, &values, &n))
    return false;
  if (n > GS_COMPARE_MAX_SEEDS)
    {
      free (values);
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: more than %d values"), "--seeds", GS_COMPARE_MAX_SEEDS);
      return false;
    }
  for (int i = 0; i < n; i++)
    {
      if (values[i] < 0)
        {
          cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: %d is too small (the least is %d)"), "--seeds",
                    values[i], 0);
          free (values);
          return false;
        }
      for (int k = 0; k < i; k++)
        if (values[k] == values[i])
          {
            cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: %d is listed twice"), "--seeds", values[i]);
            free (values);
            return false;
          }
      out[i] = (uint64_t) values[i];
    }
  free (values);
  *n_out = n;
  return true;
}

/* Per configuration: the last step's mean, min and max loss over seeds,
 * and mean accuracy. */
static void
print_summary (GsCli *cli, const GsCompare *cmp)
{
  int n = cmp->step;
  float *mean = malloc (sizeof (float) * 3 * (size_t) (n > 0 ? n : 1));
  float *lo, *hi;
  int label_w = 13;

  if (mean == NULL)
    return;
  lo = mean + n;
  hi = mean + 2 * n;
  for (int c = 0; c < cmp->n_configs; c++)
    if ((int) strlen (cmp->configs[c].label) > label_w)
      label_w = (int) strlen (cmp->configs[c].label);

  fprintf (cli->out, "%-*s  %10s  %10s  %10s", label_w, _("configuration"), _("loss mean"), _("min"), _("max"));
  if (cmp->has_accuracy)
    fprintf (cli->out, "  %9s", _("accuracy"));
  fputc ('\n', cli->out);

  for (int c = 0; c < cmp->n_configs; c++)
    {
      int diverged = 0;
      float acc = NAN;

      for (int s = 0; s < cmp->n_seeds; s++)
        diverged += cmp->runs[c * cmp->n_seeds + s].diverged;
      /* The final values: the last step, over the seeds that reached it. */
      if (n == 0 || diverged == cmp->n_seeds)
        {
          /* "—" is three bytes wide in UTF-8 and one column on screen */
          fprintf (cli->out, "%-*s  %12s  %12s  %12s", label_w, cmp->configs[c].label, "—", "—", "—");
          if (cmp->has_accuracy)
            fprintf (cli->out, "  %11s", "—");
        }
      else
        {
          gs_compare_aggregate (cmp, c, GS_METRIC_LOSS, 0.0f, mean, lo, hi, NULL, n);
          fprintf (cli->out, "%-*s  %10.4f  %10.4f  %10.4f", label_w, cmp->configs[c].label,
                   (double) mean[n - 1], (double) lo[n - 1], (double) hi[n - 1]);
          if (cmp->has_accuracy)
            {
              gs_compare_aggregate (cmp, c, GS_METRIC_ACCURACY, 0.0f, mean, lo, hi, NULL, n);
              acc = mean[n - 1];
              fprintf (cli->out, "  %8.1f%%", (double) acc * 100.0);
            }
        }
      if (diverged > 0)
        fprintf (cli->out, _("  (%d of %d seeds diverged)"), diverged, cmp->n_seeds);
      fputc ('\n', cli->out);
    }
  free (mean);
}

/* The mean of the last step's losses over the runs still training. */
static float
mean_last_loss (const GsCompare *cmp)
{
  double sum = 0.0;
  int n = 0;

  for (int i = 0; i < cmp->n_runs; i++)
    if (cmp->runs[i].n_steps == cmp->step && cmp->step > 0)
      {
        sum += cmp->runs[i].loss[cmp->step - 1];
        n++;
      }
  return n > 0 ? (float) (sum / n) : 0.0f;
}

int
cli_compare (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    GS_CLI_TRAIN_OPTIONS,
    { "cells",     required_argument, NULL, OPT_CMP_CELLS },
    { "seeds",     required_argument, NULL, OPT_CMP_SEEDS },
    { "steps",     required_argument, NULL, OPT_CMP_STEPS },
    { "csv",       required_argument, NULL, OPT_CMP_CSV },
    { "svg",       required_argument, NULL, OPT_CMP_SVG },
    { "png",       required_argument, NULL, OPT_CMP_PNG },
    { "pdf",       required_argument, NULL, OPT_CMP_PDF },
    { "chart",     required_argument, NULL, OPT_CMP_CHART },
    { "width",     required_argument, NULL, OPT_CMP_WIDTH },
    { "height",    required_argument, NULL, OPT_CMP_HEIGHT },
    { "log-y",     no_argument,       NULL, OPT_CMP_LOG_Y },
    { "smooth",    required_argument, NULL, OPT_CMP_SMOOTH },
    { "help",      no_argument,       NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  GsTrainOptions opts;
  GsCompareConfig configs[GS_COMPARE_MAX_CONFIGS];
  uint64_t seeds[GS_COMPARE_MAX_SEEDS];
  int n_configs = 0, n_seeds = 0;
  GsError err = { { 0 } };
  GsCompare *cmp = NULL;
  GsChartOptions chart;
  GsChartKind kind = GS_CHART_OVERVIEW;
  const char *cells_arg = DEFAULT_CELLS, *seeds_arg = DEFAULT_SEEDS;
  const char *csv = NULL, *svg = NULL, *png = NULL, *pdf = NULL;
  GsCliProgress progress;
  bool log_y = false;
  float smooth = 0.0f;
  int steps = DEFAULT_STEPS, width = DEFAULT_WIDTH, height = DEFAULT_HEIGHT;
  int status = GS_CLI_EXIT_OK;
  int c;

  cli_train_options_init (&opts);

  while ((c = getopt_long (argc, argv, ":h", cli_with_variant_options (longopts), NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_compare_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_CMP_CELLS:
          cells_arg = optarg;
          break;
        case OPT_CMP_SEEDS:
          seeds_arg = optarg;
          break;
        case OPT_CMP_STEPS:
          if (!parse_int (cli, "--steps", optarg, 1, MAX_STEPS, &steps))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_CMP_CSV:
          csv = optarg;
          break;
        case OPT_CMP_SVG:
          svg = optarg;
          break;
        case OPT_CMP_PNG:
          png = optarg;
          break;
        case OPT_CMP_PDF:
          pdf = optarg;
          break;
        case OPT_CMP_CHART:
          if (gs_chart_kind_from_name (optarg, &kind) != GS_OK)
            return cli_fail (cli, GS_CLI_EXIT_USAGE,
                             _("unknown chart '%s' (valid: overview, loss, accuracy, flow)"), optarg);
          break;
        case OPT_CMP_WIDTH:
          if (!parse_int (cli, "--width", optarg, 64, 16384, &width))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_CMP_HEIGHT:
          if (!parse_int (cli, "--height", optarg, 64, 16384, &height))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_CMP_LOG_Y:
          log_y = true;
          break;
        case OPT_CMP_SMOOTH:
          if (!parse_float (cli, "--smooth", optarg, &smooth))
            return GS_CLI_EXIT_USAGE;
          if (!(smooth >= 0.0f && smooth < 1.0f))
            return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--smooth: %s is not between 0 and 1 (1 excluded)"),
                             optarg);
          break;
        default:
          if ((status = cli_train_option (cli, c, optarg, argv, &opts)) != GS_CLI_EXIT_OK)
            return status;
          break;
        }
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK)
    return status;

  opts.cfg.epochs = steps;
  if ((status = cli_train_options_finish (cli, &opts)) != GS_CLI_EXIT_OK)
    return status;
  if (!parse_cells (cli, cells_arg, &opts.cfg, configs, &n_configs))
    return GS_CLI_EXIT_USAGE;
  /* The variants' rules depend on the cell: each configuration on its own. */
  for (int k = 0; k < n_configs; k++)
    if ((status = cli_train_config_check (cli, &configs[k].cfg)) != GS_CLI_EXIT_OK)
      return status;
  if (!parse_seeds (cli, seeds_arg, seeds, &n_seeds))
    return GS_CLI_EXIT_USAGE;

  cmp = gs_compare_new (configs, n_configs, seeds, n_seeds, &err);
  if (cmp == NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);

  /* On a terminal, one line redrawn in place while the runs train. */
  cli_progress_start (&progress, cli, steps, true);
  for (int s = 0; s < steps && gs_compare_any_running (cmp); s++)
    {
      if (gs_compare_step (cmp, &err) != GS_OK)
        {
          cli_progress_clear (&progress);
          status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
          goto out;
        }
      cli_progress_update (&progress, s + 1, mean_last_loss (cmp));
    }
  cli_progress_clear (&progress);

  print_summary (cli, cmp);

  gs_chart_options_default (&chart, kind);
  chart.log_y = log_y;
  chart.smoothing = smooth;
  /* writing the results failed: the run failed (status 1) */
  if (csv != NULL && gs_compare_write_csv (cmp, csv, &err) != GS_OK)
    {
      status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
      goto out;
    }
  if ((png != NULL && gs_chart_export_png (png, width, height, cmp, &chart, &err) != GS_OK)
      || (svg != NULL && gs_chart_export_svg (svg, width, height, cmp, &chart, &err) != GS_OK)
      || (pdf != NULL && gs_chart_export_pdf (pdf, width, height, cmp, &chart, &err) != GS_OK))
    {
      status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
      goto out;
    }
  if (!gs_compare_any_running (cmp))
    status = cli_fail (cli, GS_CLI_EXIT_FAILURE, _("every run diverged; the first: %s"),
                       cmp->runs[0].message);

out:
  gs_compare_free (cmp);
  return status;
}
