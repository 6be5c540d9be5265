/* gs-cli-train.c — gatescope-cli train: the seed task, one line per epoch. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-cli-private.h"
#include "gs-error.h"
#include "gs-file.h"
#include "gs-i18n.h"
#include "gs-model.h"
#include "gs-optim.h"
#include "gs-recipe.h"
#include "gs-safetensors.h"
#include "gs-task.h"
#include "gs-train.h"
#include "gs-session-file.h"

/* ------------------------------------------------------------------------ */
/* train                                                                    */

/* SIGINT and SIGTERM during training: the first one lets the current step
 * finish, then the run saves and reports as if its last epoch had come; a
 * second one ends the process at once (its temporary files removed). */
static volatile sig_atomic_t stop_signal;

static void
on_stop_signal (int sig)
{
  if (stop_signal != 0)
    {
      gs_file_remove_temporaries ();
      signal (sig, SIG_DFL);
      raise (sig);
      return;
    }
  stop_signal = sig;
}

/* The class names of a task whose outputs are not its input tokens
 * (classify: "positive\tnegative"), joined by tabs — a class name cannot
 * hold one, the data file's columns are split at tabs; NULL otherwise. */
static char *
join_classes (const GsTask *task)
{
  size_t size = 1;
  char *s;

  if (task->out_vocab == NULL || task->out_vocab == task->vocab || task->O <= 0 || task->T_dec > 0)
    return NULL;
  for (int o = 0; o < task->O; o++)
    {
      if (task->out_vocab[o] == NULL || strchr (task->out_vocab[o], '\t') != NULL)
        return NULL;
      size += strlen (task->out_vocab[o]) + 1;
    }
  s = calloc (size, 1);
  if (s == NULL)
    return NULL;
  for (int o = 0; o < task->O; o++)
    {
      if (o > 0)
        strcat (s, "\t");
      strcat (s, task->out_vocab[o]);
    }
  return s;
}

/* Saves the trained model with what sample, forward and the window read back. */
static int
save_model (GsCli *cli, GsTrainer *tr, const char *save)
{
  GsError err = { { 0 } };
  char *vocab = cli_task_vocab (&tr->task);
  char *chars = cli_task_chars (&tr->task);   /* language models: what sample reads */
  char *classes = join_classes (&tr->task);   /* classifiers: what forward names the classes by */
  const char *meta[8] = { "task", tr->task.spec };
  int n_meta = 1, status = GS_CLI_EXIT_OK;

  if (vocab != NULL)
    {
      meta[2 * n_meta] = "vocab";
      meta[2 * n_meta++ + 1] = vocab;
    }
  if (chars != NULL)
    {
      meta[2 * n_meta] = "chars";
      meta[2 * n_meta++ + 1] = chars;
    }
  if (classes != NULL)
    {
      meta[2 * n_meta] = "classes";
      meta[2 * n_meta++ + 1] = classes;
    }
  if (gs_model_save (tr->model, save, meta, n_meta, &err) != GS_OK)
    status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
  free (vocab);
  free (chars);
  free (classes);
  return status;
}

int
cli_train (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    GS_CLI_TRAIN_OPTIONS,
    { "cell",      required_argument, NULL, OPT_CELL },
    { "epochs",    required_argument, NULL, OPT_EPOCHS },
    { "seed",      required_argument, NULL, OPT_SEED },
    { "save",      required_argument, NULL, OPT_SAVE },
    { "init",      required_argument, NULL, OPT_INIT },
    { "save-session", required_argument, NULL, OPT_SAVE_SESSION },
    { "resume",    required_argument, NULL, OPT_RESUME },
    { "trap-fp",   no_argument,       NULL, OPT_TRAP_FP },
    { "json",      no_argument,       NULL, OPT_JSON },
    { "eval-every", required_argument, NULL, OPT_TK_EVAL_EVERY },
    { "until-solved", no_argument,    NULL, OPT_TK_UNTIL_SOLVED },
    { "log-every", required_argument, NULL, OPT_LOG_EVERY },
    { "help",      no_argument,       NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  GsTrainOptions opts;
  GsTrainConfig *cfg = &opts.cfg;
  GsCli to_stderr;
  struct sigaction stop_action, old_int, old_term;
  GsError err = { { 0 } };
  GsTrainer *tr = NULL;
  GsStepper *stepper = NULL;
  GsRecordings *recordings = NULL;   /* --resume: the session's history of learning */
  const char *save_session = NULL;
  const char *resume = NULL;
  const char *config_option = NULL;   /* an option that --resume cannot honour */
  int start_epoch = 0, total_epochs;
  GsCliTrainReport report = { false, 0, false, 0, NULL };
  GsCliProgress progress;
  bool seed_task;   /* hello without --json: the course script's lines, nothing else */
  const char *save = NULL;
  const char *init = NULL;
  bool cell_given = false;
  bool trap_fp = false;
  long long seed;
  char names[128];
  char pred[4096];
  int status = GS_CLI_EXIT_OK;
  int c;

  cli_train_options_init (&opts);

  while ((c = getopt_long (argc, argv, ":h", cli_with_variant_options (longopts), NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_train_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_CELL:
          opts.given |= GS_RECIPE_KEEP_CELL;
          if (gs_cell_from_name (optarg, &cfg->cell) != GS_OK)
            {
              cell_names (names, sizeof names);
              return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown cell '%s' (valid: %s)"),
                               optarg, names);
            }
          cell_given = true;
          config_option = "--cell";
          break;
        case OPT_INIT:
          init = optarg;
          config_option = "--init";
          break;
        case OPT_SAVE_SESSION:
          save_session = optarg;
          break;
        case OPT_RESUME:
          resume = optarg;
          break;
        case OPT_EPOCHS:
          opts.given |= GS_RECIPE_KEEP_STEPS;
          if (!parse_int (cli, "--epochs", optarg, INT_MIN, INT_MAX, &cfg->epochs))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_SEED:
          if (!parse_integer (cli, "--seed", optarg, 0, INT64_MAX, &seed))
            return GS_CLI_EXIT_USAGE;
          cfg->seed = (uint64_t) seed;
          config_option = "--seed";
          break;
        case OPT_SAVE:
          save = optarg;
          break;
        case OPT_TRAP_FP:
          trap_fp = true;
          break;
        case OPT_JSON:
          report.json = true;
          break;
        case OPT_TK_EVAL_EVERY:
          if (!parse_int (cli, "--eval-every", optarg, 1, INT_MAX, &report.eval_every))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_TK_UNTIL_SOLVED:
          report.until_solved = true;
          break;
        case OPT_LOG_EVERY:
          if (!parse_int (cli, "--log-every", optarg, 1, INT_MAX, &report.log_every))
            return GS_CLI_EXIT_USAGE;
          break;
        default:
          if ((status = cli_train_option (cli, c, optarg, argv, &opts)) != GS_CLI_EXIT_OK)
            return status;
          config_option = argv[optind - 1][0] == '-' || optind < 2 ? argv[optind - 1] : argv[optind - 2];
          break;
        }
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK)
    return status;

  /* The task's recommended settings for what was not given (gs-recipe.h). */
  cli_train_options_recommend (&opts);
  if ((status = cli_train_options_finish (cli, &opts)) != GS_CLI_EXIT_OK
      || (status = cli_train_config_check (cli, cfg)) != GS_CLI_EXIT_OK)
    return status;

  if (resume != NULL && config_option != NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE,
                     _("--resume goes on with the session's own configuration: %s cannot change it"),
                     config_option);
  if (resume != NULL && cfg->epochs < 0)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--epochs must be 0 or more"));
  if (save != NULL && save_session != NULL && strcmp (save, "-") == 0 && strcmp (save_session, "-") == 0)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--save - and --save-session - cannot both write to standard output"));
  /* A --save that cannot be written is found now, not after the training. */
  if (save != NULL && gs_file_check_writable (save, &err) != GS_OK)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, "--save: %s", err.msg);
  if (save_session != NULL && gs_file_check_writable (save_session, &err) != GS_OK)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, "--save-session: %s", err.msg);
  if ((save != NULL && strcmp (save, "-") == 0) || (save_session != NULL && strcmp (save_session, "-") == 0))
    {
      if (isatty (STDOUT_FILENO))
        return cli_fail (cli, GS_CLI_EXIT_USAGE,
                         _("will not write a model or a session to a terminal; redirect standard output"));
      /* The model is stdout; the report goes to stderr. */
      to_stderr = *cli;
      to_stderr.out = cli->err;
      cli = &to_stderr;
    }

  /* --init: the file's model, the task's fit checked once the run is built. */
  if (init != NULL)
    {
      char warning[384];
      if (gs_train_config_from_model (cfg, init, cell_given, false, warning, sizeof warning, &err) != GS_OK)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, "--init: %s", err.msg);
      if (warning[0] != '\0')
        cli_fail (cli, GS_CLI_EXIT_OK, _("warning: %s: %s (--cell rnn_relu if it was trained with ReLU)"),
                  init, warning);
      cfg->init[0] = '\0';   /* started from below, where a misfit is a usage error */
      if ((status = cli_train_config_check (cli, cfg)) != GS_CLI_EXIT_OK)
        return status;
    }

  if (trap_fp && !gs_debug_trap_fp (true))
    cli_fail (cli, GS_CLI_EXIT_OK, _("warning: floating-point traps are not available here"));

  if (resume != NULL)
    {
      char data_dir[4096];
      int more = cfg->epochs;

      cli_session_data_dir (data_dir, sizeof data_dir);
      /* its history of learning goes on into --save-session */
      stepper = gs_session_file_load_full (resume, data_dir, &recordings, &err);
      if (stepper == NULL)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, "--resume: %s", err.msg);
      *cfg = stepper->trainer->cfg;
      cfg->epochs = more;
    }
  else
    {
      /* Everything gs_stepper_new (gs_trainer_new) refuses is an argument or
       * an input file (a bad task spec or data file, a model too big for the
       * caps): status 2. */
      stepper = gs_stepper_new (cfg, &err);
      if (stepper == NULL)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
    }
  tr = stepper->trainer;
  start_epoch = tr->epoch;
  total_epochs = start_epoch + cfg->epochs;
  if (init != NULL && gs_trainer_start_from (tr, init, &err) != GS_OK)
    {
      gs_stepper_free (stepper);
      return cli_fail (cli, GS_CLI_EXIT_USAGE, "--init %s", err.msg);
    }

  stop_signal = 0;
  memset (&stop_action, 0, sizeof stop_action);
  stop_action.sa_handler = on_stop_signal;
  sigemptyset (&stop_action.sa_mask);
  /* A signal the caller ignores (a shell's background job) stays ignored. */
  sigaction (SIGINT, NULL, &old_int);
  sigaction (SIGTERM, NULL, &old_term);
  if (old_int.sa_handler != SIG_IGN)
    sigaction (SIGINT, &stop_action, NULL);
  if (old_term.sa_handler != SIG_IGN)
    sigaction (SIGTERM, &stop_action, NULL);

  seed_task = strcmp (tr->task.spec, "hello") == 0 && !report.json
              && report.eval_every == 0 && !report.until_solved;
  if (!seed_task && !report.json)
    {
      /* The settings of this run as options, the recipe's and the user's. */
      GsRecipe used = {
        .task = tr->task.klass->name, .cell = cfg->cell, .E = cfg->one_hot ? 0 : cfg->E,
        .H = cfg->H, .L = cfg->L, .B = cfg->B, .opt = cfg->opt.kind, .lr = cfg->opt.lr,
        .clip = cfg->clip, .steps = cfg->epochs,
        .forget_bias = gs_variant_has_forget_bias (&cfg->variant) ? cfg->variant.forget_bias : 0.0f,
      };
      char line[512];

      gs_recipe_format (&used, line, sizeof line);
      /* Translators: %s is a list of command-line options, e.g. "--cell gru --hidden 32 …". */
      fprintf (cli->out, _("Settings: %s (what was not given is the task's recommendation)\n"), line);
    }
  /* On a terminal, a long run shows one line redrawn in place instead of
   * one line per epoch (--log-every keeps lines); pipes and files get the
   * lines as before. */
  cli_progress_start (&progress, cli, total_epochs,
                      !seed_task && !report.json && report.log_every == 0 && cfg->epochs > 100);
  report.progress = &progress;
  /* A stepper trains as gs_trainer_step does, and its run can be saved whole. */
  for (int e = start_epoch; e < total_epochs && stop_signal == 0; e++)
    {
      if (gs_stepper_train_step (stepper, &err) != GS_OK)
        {
          status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
          goto out;
        }
      if (!seed_task)
        {
          /* Other tasks: a loss line or JSON object, judged as asked (gs-cli-tasks.c). */
          if (cli_train_epoch (cli, tr, &report, total_epochs, &status))
            break;
          continue;
        }
      /* The forward pass of this step is still in the model: its prediction
       * and loss are the ones before the update, as in the seed script. */
      if (report.log_every > 0 && tr->epoch % report.log_every != 0 && tr->epoch != total_epochs)
        continue;
      gs_task_decode_prediction (&tr->task, tr->model, 0, pred, sizeof pred);
      fprintf (cli->out, "Predicted: %s, Epoch [%d/%d] loss = %.3f\n",
               pred, tr->epoch, total_epochs, (double) tr->last_loss);
      fflush (cli->out);   /* progress, also through a pipe or before a trap */
    }

  cli_progress_clear (&progress);
  if (stop_signal != 0 && status == GS_CLI_EXIT_OK)
    cli_fail (cli, GS_CLI_EXIT_OK,
              stop_signal == SIGINT ? _("interrupted after step %d of %d; finishing the run")
                                    : _("terminated after step %d of %d; finishing the run"),
              tr->epoch, total_epochs);
  /* The model first: whatever the final evaluation does, the run is kept. */
  if (save != NULL && status == GS_CLI_EXIT_OK)
    status = save_model (cli, tr, save);
  if (save_session != NULL && status == GS_CLI_EXIT_OK && gs_session_file_save_full (stepper, recordings, save_session, &err) != GS_OK)
    status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
  if (!seed_task && status == GS_CLI_EXIT_OK)
    status = cli_train_final (cli, tr, &report);
  if (stop_signal != 0 && status == GS_CLI_EXIT_OK)
    status = 128 + stop_signal;

out:
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  if (trap_fp)
    gs_debug_trap_fp (false);
  gs_stepper_free (stepper);
  gs_recordings_free (recordings);
  return status;
}

