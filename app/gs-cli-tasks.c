/* gs-cli-tasks.c — gatescope-cli tasks, sample and experiment, and train's
 * per-task reporting (--json, --eval-every, --until-solved).
 *
 *   gatescope-cli tasks                          every task, its parameters and defaults
 *   gatescope-cli train --task adding:length=100 --json
 *   gatescope-cli sample --model M.safetensors --prime "hel" --length 100 --temperature 0.8
 *   gatescope-cli experiment adding [--seeds N] [--steps N] [--quick]
 *
 * JSON lines are read by programs and so are not translated.
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-cli-private.h"
#include "gs-error.h"
#include "gs-escape.h"
#include "gs-i18n.h"
#include "gs-model.h"
#include "gs-recipe.h"
#include "gs-safetensors.h"
#include "gs-task-experiment.h"
#include "gs-task-sentiment.h"
#include "gs-task.h"
#include "gs-train.h"

/* ------------------------------------------------------------------------ */
/* tasks                                                                    */

static const char *
param_kind_name (GsParamKind kind)
{
  switch (kind) {
  case GS_PARAM_INT:    return _("integer");
  case GS_PARAM_FLOAT:  return _("number");
  case GS_PARAM_CHOICE: return _("choice");
  case GS_PARAM_FILE:   return _("file");
  default:              return "?";
  }
}

void
print_tasks_usage (FILE *f)
{
  fprintf (f, _("Usage: %s tasks\n"), PROG);
  fputs (_("\n"
           "Lists every task with its shape, what it asks, its metric and its parameters\n"
           "with their defaults, and the settings that solve it, which train uses for\n"
           "every option not given. Train one with 'train --task NAME[:key=value,...]'.\n"), f);
}

int
cli_tasks (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const GsTaskClass *const *classes;
  int n, c, status;

  while ((c = getopt_long (argc, argv, ":h", longopts, NULL)) != -1)
    {
      if (c != 'h')
        return option_error (cli, c, argv);
      print_tasks_usage (cli->out);
      return GS_CLI_EXIT_OK;
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK)
    return status;

  classes = gs_task_classes (&n);
  for (int i = 0; i < n; i++)
    {
      const GsTaskClass *k = classes[i];
      const GsRecipe *r;

      fprintf (cli->out, "%s%-16s %-10s %s\n", i > 0 ? "\n" : "", k->name, k->shape, _(k->title));
      fprintf (cli->out, "  %s\n", _(k->description));
      if ((r = gs_recipe_find (k->name)) != NULL)
        {
          char line[512];

          gs_recipe_format (r, line, sizeof line);
          /* Translators: the first %s is a list of command-line options ("--cell gru --hidden 32 …"),
           * the number the measured CPU seconds of the run on one core. */
          if (r->unsolved)
            /* Translators: as "recommended: … (solved in about …)", for settings that learn the
             * training data but fail on the held-out data. */
            fprintf (cli->out, _("  recommended: %s (about %.1f s of one core's time; learns the training data "
                                 "but does not solve the task on held-out data)\n"), line, (double) r->seconds);
          else
            fprintf (cli->out, _("  recommended: %s (solved in about %.1f s of one core's time)\n"), line,
                     (double) r->seconds);
        }
      {
        int n_variants;
        const GsRecipe *variants = gs_recipe_variants (&n_variants);

        for (int v = 0; v < n_variants; v++)
          if (strcmp (variants[v].task, k->name) == 0)
            {
              char line[512];

              gs_recipe_format (&variants[v], line, sizeof line);
              /* Translators: the first %s is a task parameter's value ("corpus=zh"), the second a
               * list of command-line options, the number the measured CPU seconds on one core. */
              fprintf (cli->out, _("  recommended for %s: %s (solved in about %.1f s of one core's time)\n"),
                       variants[v].when, line, (double) variants[v].seconds);
            }
      }
      for (int p = 0; p < k->n_params; p++)
        {
          const GsTaskParam *q = &k->params[p];
          char range[128];

          if (q->kind == GS_PARAM_INT || q->kind == GS_PARAM_FLOAT)
            snprintf (range, sizeof range, "%g…%g", q->min, q->max);
          else if (q->kind == GS_PARAM_CHOICE)
            snprintf (range, sizeof range, "%s", q->choices);
          else
            snprintf (range, sizeof range, "%s", _("a path"));
          fprintf (cli->out, _("  %-12s %s (%s), default %s: %s\n"), q->key, param_kind_name (q->kind), range,
                   q->def[0] != '\0' ? q->def : _("shipped data"), _(q->help));
        }
    }
  return GS_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* train: per-task reporting                                                */

/* The vocabulary as one string of characters when every token is exactly
 * one character (language models), for the "chars" metadata that sample
 * reads; NULL otherwise. */
char *
cli_task_chars (const GsTask *task)
{
  size_t size = 1;
  char *s;

  if (task->vocab == NULL || task->input == GS_INPUT_DENSE || task->T_dec > 0 || task->V != task->O)
    return NULL;
  for (int v = 0; v < task->V; v++)
    {
      const unsigned char *p = (const unsigned char *) task->vocab[v];
      size_t l = strlen (task->vocab[v]);
      size_t want = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
      if (l == 0 || l != want)
        return NULL;
      size += l;
    }
  s = malloc (size);
  if (s == NULL)
    return NULL;
  s[0] = '\0';
  for (int v = 0; v < task->V; v++)
    strcat (s, task->vocab[v]);
  return s;
}

static void
print_eval_json (FILE *f, const GsTaskEval *ev)
{
  fprintf (f, ",\"metric_name\":\"%s\",\"metric\":%.9g,\"accuracy\":%.9g,\"baseline\":%.9g,\"threshold\":%.9g,"
           "\"solved\":%s,\"held_out\":%s",
           ev->metric_name, (double) ev->metric, isfinite (ev->accuracy) ? (double) ev->accuracy : -1.0,
           isfinite (ev->baseline) ? (double) ev->baseline : -1.0, (double) ev->threshold,
           ev->solved ? "true" : "false", ev->on_training_data ? "false" : "true");
}

static void
print_eval_text (FILE *f, const char *label, const GsTaskEval *ev)
{
  if (ev->on_training_data)
    /* Translators: a score on the data trained on (hello has nothing held out). */
    fprintf (f, _("%s: training accuracy %.1f%% (baseline %.1f%%; solved at %.0f%%) — %s\n"),
             label, 100.0 * ev->metric, 100.0 * ev->baseline, 100.0 * ev->threshold,
             ev->solved ? _("solved") : _("not solved"));
  else if (strcmp (ev->metric_name, "mse") == 0)
    fprintf (f, _("%s: test MSE %.4f (baseline %.4f; solved below %.4f), %.1f%% of sequences correct — %s\n"),
             label, (double) ev->metric, (double) ev->baseline, (double) ev->threshold,
             100.0 * ev->accuracy, ev->solved ? _("solved") : _("not solved"));
  else if (ev->baseline_name != NULL)
    /* Translators: the second %s names the baseline's predictor ("a bigram count model"), the
     * percentage after it is that model's accuracy on the same held-out data. */
    fprintf (f, _("%s: test accuracy %.1f%% (%s: %.1f%%; solved at %.0f%%) — %s\n"),
             label, 100.0 * ev->metric, _(ev->baseline_name), 100.0 * ev->baseline, 100.0 * ev->threshold,
             ev->solved ? _("solved") : _("not solved"));
  else
    fprintf (f, _("%s: test accuracy %.1f%% (baseline %.1f%%; solved at %.0f%%) — %s\n"),
             label, 100.0 * ev->metric, 100.0 * ev->baseline, 100.0 * ev->threshold,
             ev->solved ? _("solved") : _("not solved"));
}

/* A text plot of prediction against truth (regression tasks). */
static void
print_trace (FILE *f, const GsTaskEval *ev)
{
  enum { ROWS = 12 };
  float lo = INFINITY, hi = -INFINITY;
  int n = ev->trace_len < 72 ? ev->trace_len : 72;

  if (n < 2)
    return;
  for (int i = 0; i < n; i++)
    {
      lo = fminf (lo, fminf (ev->trace_truth[i], ev->trace_pred[i]));
      hi = fmaxf (hi, fmaxf (ev->trace_truth[i], ev->trace_pred[i]));
    }
  if (!(hi > lo))
    hi = lo + 1.0f;
  fputs (_("Test sequence 0, feature 0 (o truth, * prediction, # both):\n"), f);
  for (int r = ROWS - 1; r >= 0; r--)
    {
      fprintf (f, "%8.3f |", (double) (lo + (hi - lo) * (r + 0.5f) / ROWS));
      for (int i = 0; i < n; i++)
        {
          int rt = (int) ((ev->trace_truth[i] - lo) / (hi - lo) * (ROWS - 1) + 0.5f);
          int rp = (int) ((ev->trace_pred[i] - lo) / (hi - lo) * (ROWS - 1) + 0.5f);
          fputc (rt == r && rp == r ? '#' : rt == r ? 'o' : rp == r ? '*' : ' ', f);
        }
      fputc ('\n', f);
    }
}

/* After step tr->epoch: one line (or JSON object). Returns true when the run
 * should stop (solved, with until_solved), false otherwise; *status is set
 * on a failed evaluation. */
bool
cli_train_epoch (GsCli *cli, GsTrainer *tr, const GsCliTrainReport *r, int epochs, int *status)
{
  GsTaskEval ev;
  GsError err;
  bool evaluate = r->eval_every > 0 && tr->epoch % r->eval_every == 0;

  GsCliProgress *p = r->progress != NULL && r->progress->on ? r->progress : NULL;
  bool line = r->log_every > 0 ? tr->epoch % r->log_every == 0 || tr->epoch == epochs
                               : p == NULL || tr->epoch == epochs;

  if (evaluate && gs_trainer_evaluate (tr, &ev, &err) != GS_OK)
    {
      if (p != NULL)
        cli_progress_clear (p);
      *status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
      return true;
    }
  if (!r->json && !line && !evaluate)
    {
      if (p != NULL)
        cli_progress_update (p, tr->epoch, tr->last_loss);
      return false;
    }
  if (p != NULL)
    cli_progress_clear (p);
  if (r->json)
    {
      fprintf (cli->out, "{\"epoch\":%d,\"loss\":%.9g,\"grad_norm\":%.9g", tr->epoch,
               (double) tr->last_loss, (double) tr->last_grad_norm);
      if (evaluate)
        print_eval_json (cli->out, &ev);
      fputs ("}\n", cli->out);
    }
  else
    {
      if (line)
        fprintf (cli->out, "Epoch [%d/%d] loss = %.4f\n", tr->epoch, epochs, (double) tr->last_loss);
      if (evaluate)
        print_eval_text (cli->out, ev.on_training_data ? _("  training") : _("  held-out"), &ev);
    }
  fflush (cli->out);
  return evaluate && r->until_solved && ev.solved;
}

/* The summary after training: {"final": true, "solved", "metric", "steps", …}. */
int
cli_train_final (GsCli *cli, GsTrainer *tr, const GsCliTrainReport *r)
{
  GsTaskEval ev, train;
  GsError err;

  if (gs_trainer_evaluate (tr, &ev, &err) != GS_OK || gs_trainer_evaluate_training (tr, &train, &err) != GS_OK)
    return cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
  if (r->json)
    {
      fputs ("{\"final\":true,\"task\":", cli->out);
      cli_print_json_string (cli->out, tr->task.spec);
      fprintf (cli->out, ",\"cell\":\"%s\",\"steps\":%d,\"loss\":%.9g", gs_cell_name (tr->cfg.cell), tr->epoch,
               (double) tr->last_loss);
      print_eval_json (cli->out, &ev);
      fprintf (cli->out, ",\"train_metric\":%.9g,\"train_loss\":%.9g,\"train_n\":%d,\"test_n\":%d",
               (double) train.metric, (double) train.loss, train.n, ev.n);
      /* a session's interventions held while it trained (train --resume) */
      cli_print_interventions_list_json (cli->out, tr->model);
      fputs ("}\n", cli->out);
    }
  else
    {
      if (strcmp (train.metric_name, "mse") == 0)
        /* Translators: the score on the data trained on, before the held-out score line. */
        fprintf (cli->out, _("On the training data: MSE %.4f, loss %.4f (%d sequences)\n"), (double) train.metric,
                 (double) train.loss, train.n);
      else
        /* Translators: the score on the data trained on, before the held-out score line. */
        fprintf (cli->out, _("On the training data: accuracy %.1f%%, loss %.4f (%d sequences)\n"),
                 100.0 * train.metric, (double) train.loss, train.n);
      if (ev.on_training_data)
        /* Translators: after the training data's line, for a task with nothing held out (hello: one sequence). */
        fputs (_("No held-out data: the task has nothing to hold out, so its score is a training score.\n"), cli->out);
      else if (strcmp (ev.metric_name, "mse") == 0)
        /* Translators: the score on the held-out data (never trained on), after the training data's line. */
        fprintf (cli->out, _("On the held-out data: MSE %.4f, loss %.4f (%d sequences)\n"), (double) ev.metric,
                 (double) ev.loss, ev.n);
      else
        /* Translators: the score on the held-out data (never trained on), after the training data's line. */
        fprintf (cli->out, _("On the held-out data: accuracy %.1f%%, loss %.4f (%d sequences)\n"),
                 100.0 * ev.metric, (double) ev.loss, ev.n);
      print_eval_text (cli->out, _("After training"), &ev);
      if (ev.trace_len > 1)
        print_trace (cli->out, &ev);
    }
  return GS_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* sample                                                                   */

void
print_sample_usage (FILE *f)
{
  fprintf (f, _("Usage: %s sample --model FILE --prime TEXT [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Generates text with a character language model (train --task charlm --save FILE):\n"
           "reads the prime, then draws each next character from softmax(logits / temperature).\n"
           "\n"
           "  --model FILE         the saved language model\n"
           "  --prime TEXT         the characters to start from (UTF-8)\n"
           "  --length N           characters to generate (default: 100)\n"
           "  --temperature T      0 takes the most probable character; higher is bolder (default: 1)\n"
           "  --seed N             seed of the sampling (default: 0)\n"
           "  -h, --help           show this help\n"), f);
}

int
cli_sample (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    { "model",       required_argument, NULL, OPT_MODEL },
    { "prime",       required_argument, NULL, OPT_TK_PRIME },
    { "length",      required_argument, NULL, OPT_TK_LENGTH },
    { "temperature", required_argument, NULL, OPT_TK_TEMPERATURE },
    { "seed",        required_argument, NULL, OPT_SEED },
    { "help",        no_argument,       NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *path = NULL, *prime = NULL, *chars;
  GsSafetensors *st = NULL;
  GsModel *m;
  GsError err;
  GsRng rng;
  long long seed = 0;
  int length = 100, c, status;
  float temperature = 1.0f;
  char *text = NULL;

  while ((c = getopt_long (argc, argv, ":h", longopts, NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_sample_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_MODEL:
          path = optarg;
          break;
        case OPT_TK_PRIME:
          prime = optarg;
          break;
        case OPT_TK_LENGTH:
          if (!parse_int (cli, "--length", optarg, 0, 1000000, &length))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_TK_TEMPERATURE:
          if (!parse_float (cli, "--temperature", optarg, &temperature))
            return GS_CLI_EXIT_USAGE;
          if (temperature < 0.0f)
            return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--temperature must be at least 0"));
          break;
        case OPT_SEED:
          if (!parse_integer (cli, "--seed", optarg, 0, INT64_MAX, &seed))
            return GS_CLI_EXIT_USAGE;
          break;
        default:
          return option_error (cli, c, argv);
        }
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK)
    return status;
  if (path == NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--model is required (see '%s sample --help')"), PROG);
  if (prime == NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--prime is required (see '%s sample --help')"), PROG);

  m = cli_model_load (path, NULL, &st, NULL, &err);
  if (m == NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
  chars = gs_st_meta (st, "chars");
  if (chars == NULL)
    status = cli_fail (cli, GS_CLI_EXIT_USAGE,
                       _("%s is not a character language model (no \"chars\" metadata; train one with "
                         "--task charlm --save FILE)"), path);
  else
    {
      gs_rng_seed (&rng, (uint64_t) seed);
      if (gs_task_sample (&text, m, chars, prime, length, temperature, &rng, &err) != GS_OK)
        status = cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
      else
        {
          /* the model's characters come from its file: lines kept, other controls escaped */
          char *safe = gs_escape_dup (text, GS_ESCAPE_KEEP_LINES);
          fprintf (cli->out, "%s\n", safe != NULL ? safe : "");
          free (safe);
        }
    }
  free (text);
  gs_model_free (m);
  gs_st_free (st);
  return status;
}

/* ------------------------------------------------------------------------ */
/* experiment                                                               */

void
print_experiment_usage (FILE *f)
{
  int n;
  const GsExperiment *e = gs_experiments (&n);

  fprintf (f, _("Usage: %s experiment NAME [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Trains an LSTM and a vanilla RNN with several seeds on a classic long-time-lag\n"
           "problem, with the published settings, and prints each run's held-out result.\n"
           "Each run trains for the whole budget; 'first' is the step at which the held-out\n"
           "batch first counted as solved.\n"
           "\n"
           "Experiments:\n"), f);
  for (int i = 0; i < n; i++)
    fprintf (f, "  %-16s %s\n", e[i].name, _(e[i].title));
  fprintf (f, "  %-16s %s\n", gs_odyssey ()->name, _(gs_odyssey ()->title));
  fputs (_("                   (each LSTM variant of Greff et al. 2017, in place of LSTM and RNN)\n"), f);
  fprintf (f, "  %-16s %s\n", "sentiment", _("RNN, LSTM and GRU on sentiment where word order decides, "
                                              "held-out accuracy (--lang zh for Chinese)"));
  fputs (_("\n"
           "  --lang en|zh       sentiment: English or Chinese sentences (default: en)\n"), f);
  fputs (_("  --seeds N          seeds 0 … N−1 (default: the experiment's)\n"
           "  --steps N          training steps per run at most (default: the experiment's)\n"
           "  --quick            a few steps only (a smoke test; nothing is shown)\n"
           "  --json             one JSON object per run, then a summary\n"
           "  -h, --help         show this help\n"), f);
}

typedef struct {
  GsCliProgress *progress;
  int            base;      /* steps of the runs before this one */
} ExperimentProgress;

static void
experiment_progress (const GsExperimentRun *run, int step, float loss, void *data)
{
  ExperimentProgress *at = data;
  (void) run;
  cli_progress_update (at->progress, at->base + step, loss);
}

/* experiment sentiment: the three cells over seeds, training and held-out
 * accuracy (gs-task-sentiment.h). */
static int
cli_experiment_sentiment (GsCli *cli, const char *lang, int seeds, int steps, bool json)
{
  char task[64];
  double sum[3] = { 0 };

  snprintf (task, sizeof task, "%s,lang=%s", GS_SENTIMENT_TASK, lang);
  if (!json)
    {
      fprintf (cli->out, "%s\n", _("Sentiment where word order decides: RNN, LSTM and GRU"));
      /* Translators: the task spec, the number of steps and the last seed. */
      fprintf (cli->out, _("Settings: task %s, the task's recommended settings with each cell, %d steps, seeds 0–%d\n"),
               task, steps, seeds - 1);
      fprintf (cli->out, _("Accuracy on training sentences and on held-out sentences never trained on (chance 50%%).\n\n"));
      fprintf (cli->out, "%-5s %-9s %9s %9s\n", _("seed"), _("cell"), _("train"), _("held-out"));
    }
  for (int k = 0; k < 3; k++)
    for (int s = 0; s < seeds; s++)
      {
        GsSentimentRun run;
        GsError err;

        if (gs_sentiment_run (task, gs_sentiment_cells[k], (uint64_t) s, steps, &run, &err) != GS_OK)
          return cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
        sum[k] += run.held_out_accuracy;
        if (json)
          fprintf (cli->out, "{\"experiment\":\"sentiment\",\"task\":\"%s\",\"seed\":%d,\"cell\":\"%s\",\"steps\":%d,"
                   "\"train_accuracy\":%.9g,\"held_out_accuracy\":%.9g,\"diverged\":%s}\n", task, s,
                   gs_cell_name (run.cell), run.steps, (double) run.train_accuracy, (double) run.held_out_accuracy,
                   run.diverged ? "true" : "false");
        else
          fprintf (cli->out, "%-5d %-9s %8.1f%% %8.1f%%%s\n", s, gs_cell_name (run.cell), 100.0 * run.train_accuracy,
                   100.0 * run.held_out_accuracy, run.diverged ? _(" (diverged)") : "");
        fflush (cli->out);
      }
  if (json)
    fprintf (cli->out, "{\"final\":true,\"experiment\":\"sentiment\",\"seeds\":%d,\"steps\":%d,"
             "\"held_out_rnn_tanh\":%.9g,\"held_out_lstm\":%.9g,\"held_out_gru\":%.9g}\n", seeds, steps,
             sum[0] / seeds, sum[1] / seeds, sum[2] / seeds);
  else
    /* Translators: mean held-out accuracies of the three cells, in percent. */
    fprintf (cli->out, _("\nMean held-out accuracy: rnn_tanh %.1f%%, lstm %.1f%%, gru %.1f%%\n"),
             100.0 * sum[0] / seeds, 100.0 * sum[1] / seeds, 100.0 * sum[2] / seeds);
  return GS_CLI_EXIT_OK;
}

int
cli_experiment (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    { "seeds", required_argument, NULL, OPT_TK_SEEDS },
    { "steps", required_argument, NULL, OPT_TK_STEPS },
    { "quick", no_argument,       NULL, OPT_QUICK },
    { "json",  no_argument,       NULL, OPT_JSON },
    { "lang",  required_argument, NULL, OPT_TK_LANG },
    { "help",  no_argument,       NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *lang = NULL;
  const GsExperiment *e;
  GsCliTrainReport r = { false, 0, false };
  int seeds = 0, steps = 0, c, solved[GS_EXPERIMENT_CELLS] = { 0 };
  bool quick = false;
  GsCliProgress progress;
  ExperimentProgress progress_at = { NULL, 0 };
  char names[256] = "";

  while ((c = getopt_long (argc, argv, ":h", longopts, NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_experiment_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_TK_SEEDS:
          if (!parse_int (cli, "--seeds", optarg, 1, 1000, &seeds))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_TK_STEPS:
          if (!parse_int (cli, "--steps", optarg, 1, 10000000, &steps))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_QUICK:
          quick = true;
          break;
        case OPT_JSON:
          r.json = true;
          break;
        case OPT_TK_LANG:
          if (strcmp (optarg, "en") != 0 && strcmp (optarg, "zh") != 0)
            return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--lang: '%s' is not en or zh"), optarg);
          lang = optarg;
          break;
        default:
          return option_error (cli, c, argv);
        }
    }
  {
    int n;
    const GsExperiment *all = gs_experiments (&n);
    for (int i = 0; i < n; i++)
      snprintf (names + strlen (names), sizeof names - strlen (names), "%s%s", i ? ", " : "", all[i].name);
    snprintf (names + strlen (names), sizeof names - strlen (names), ", %s", gs_odyssey ()->name);
    snprintf (names + strlen (names), sizeof names - strlen (names), ", sentiment");
  }
  if (optind >= argc)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("which experiment? (experiments: %s)"), names);
  if (optind + 1 < argc)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unexpected argument '%s'"), argv[optind + 1]);
  if (strcmp (argv[optind], "sentiment") == 0)
    return cli_experiment_sentiment (cli, lang != NULL ? lang : "en", seeds > 0 ? seeds : quick ? 1 : GS_SENTIMENT_SEEDS,
                                     steps > 0 ? steps : quick ? 20 : GS_SENTIMENT_STEPS, r.json);
  if (lang != NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--lang applies to the sentiment experiment only"));
  if (strcmp (argv[optind], gs_odyssey ()->name) == 0)
    return cli_odyssey (cli, seeds, steps, quick, r.json);
  e = gs_experiment_find (argv[optind]);
  if (e == NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown experiment '%s' (experiments: %s)"), argv[optind], names);
  if (seeds == 0)
    seeds = quick ? 1 : e->seeds;
  if (steps == 0)
    steps = quick ? e->quick_steps : e->steps;

  if (!r.json)
    {
      fprintf (cli->out, "%s\n%s\n%s\n", _(e->title), _(e->claim), _(e->reference));
      fprintf (cli->out, _("Settings: task %s, %d hidden, batch %d, Adam %g, clip %g, at most %d steps, seeds 0–%d\n\n"),
               e->task, e->H, e->B, (double) e->lr, (double) e->clip, steps, seeds - 1);
      fprintf (cli->out, "%-5s %-9s %7s %7s %13s %9s %9s  %s\n", _("seed"), _("cell"), _("steps"), _("first"),
               _("metric"), _("correct"), _("baseline"), _("solved"));
    }
  /* On a terminal (not --json), one line redrawn in place over all runs. */
  cli_progress_start (&progress, cli, GS_EXPERIMENT_CELLS * seeds * steps, !r.json);
  progress_at.progress = &progress;
  for (int k = 0; k < GS_EXPERIMENT_CELLS; k++)
    for (int s = 0; s < seeds; s++)
      {
        GsExperimentRun run;
        GsError err;

        progress_at.base = (k * seeds + s) * steps;
        if (gs_experiment_run_full (e, e->cells[k], (uint64_t) s, steps, NULL, experiment_progress,
                                    &progress_at, &run, &err) != GS_OK)
          {
            cli_progress_clear (&progress);
            return cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
          }
        cli_progress_clear (&progress);
        solved[k] += run.ev.solved;
        if (r.json)
          {
            fprintf (cli->out, "{\"experiment\":\"%s\",\"seed\":%d,\"cell\":\"%s\",\"steps\":%d,\"solved_at\":%d,"
                     "\"diverged\":%s", e->name, s, gs_cell_name (run.cell), run.steps, run.solved_at,
                     run.diverged ? "true" : "false");
            print_eval_json (cli->out, &run.ev);
            fputs ("}\n", cli->out);
          }
        else
          {
            char first[16] = "-";
            if (run.solved_at > 0)
              snprintf (first, sizeof first, "%d", run.solved_at);
            fprintf (cli->out, "%-5d %-9s %7d %7s %8s %.4f %8.1f%% %9.4f  %s%s\n", s, gs_cell_name (run.cell),
                     run.steps, first, run.ev.metric_name, (double) run.ev.metric, 100.0 * run.ev.accuracy,
                     (double) run.ev.baseline, run.ev.solved ? _("yes") : _("no"),
                     run.diverged ? _(" (diverged)") : "");
          }
        fflush (cli->out);
      }
  {
    bool reproduced = solved[0] == seeds && solved[1] == 0;
    if (r.json)
      fprintf (cli->out, "{\"final\":true,\"experiment\":\"%s\",\"seeds\":%d,\"steps\":%d,\"solved_%s\":%d,"
               "\"solved_%s\":%d,\"reproduced\":%s}\n", e->name, seeds, steps,
               gs_cell_name (e->cells[0]), solved[0], gs_cell_name (e->cells[1]), solved[1],
               reproduced ? "true" : "false");
    else
      fprintf (cli->out, _("\nVerdict: %s solved %d of %d seeds, %s %d of %d — %s\n"),
               gs_cell_name (e->cells[0]), solved[0], seeds, gs_cell_name (e->cells[1]), solved[1], seeds,
               reproduced ? _("the claim is reproduced") : _("the claim is not reproduced"));
  }
  return GS_CLI_EXIT_OK;
}
