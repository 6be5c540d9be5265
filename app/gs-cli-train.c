/* gs-cli-train.c — gatescope-cli train: the seed task, one line per epoch. */
#include <ctype.h>
#include <errno.h>
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
#include "gs-i18n.h"
#include "gs-model.h"
#include "gs-optim.h"
#include "gs-safetensors.h"
#include "gs-task.h"
#include "gs-train.h"

/* ------------------------------------------------------------------------ */
/* the cell variants                                                        */

int
cli_parse_variant_option (GsCli *cli, int c, const char *arg, GsVariant *v)
{
  switch (c)
    {
    case OPT_VAR_FORGET_BIAS:
      if (!parse_float (cli, "--forget-bias", arg, &v->forget_bias))
        return -1;
      v->forget_bias_set = true;
      return 1;
    case OPT_VAR_PEEPHOLE:
      v->peephole = true;
      return 1;
    case OPT_VAR_CIFG:
      v->cifg = true;
      return 1;
    case OPT_VAR_NO_FORGET_GATE:
      v->no_forget_gate = true;
      return 1;
    case OPT_VAR_CELL_CLIP:
      if (!parse_float (cli, "--cell-clip", arg, &v->cell_clip))
        return -1;
      if (v->cell_clip <= 0.0f)
        {
          cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: %s must be greater than 0"), "--cell-clip", arg);
          return -1;
        }
      return 1;
    case OPT_VAR_PROJ:
      return parse_int (cli, "--proj", arg, 1, INT_MAX, &v->proj) ? 1 : -1;
    case OPT_VAR_GRU_RESET:
      if (strcmp (arg, "after") == 0 || strcmp (arg, "before") == 0)
        {
          v->gru_reset_before = strcmp (arg, "before") == 0;
          return 1;
        }
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: '%s' is not after or before"), "--gru-reset", arg);
      return -1;
    case OPT_VAR_IRNN:
      v->irnn = true;
      return 1;
    case OPT_VAR_BIDIRECTIONAL:
      v->bidirectional = true;
      return 1;
    case OPT_VAR_DROPOUT:
      return parse_float (cli, "--dropout", arg, &v->dropout) ? 1 : -1;
    case OPT_VAR_RECURRENT_DROPOUT:
      return parse_float (cli, "--recurrent-dropout", arg, &v->recurrent_dropout) ? 1 : -1;
    case OPT_VAR_BPTT:
      return parse_int (cli, "--bptt", arg, 1, INT_MAX, &v->bptt) ? 1 : -1;
    default:
      return 0;
    }
}

void
print_variant_usage (FILE *f)
{
  fputs (_("\n"
           "Cell variants (recorded in a saved model's metadata):\n"
           "  --forget-bias X    lstm: initialise the forget-gate bias b_if to X, b_hf to 0\n"
           "                     (TensorFlow's forget_bias; default: PyTorch's random init)\n"
           "  --peephole         lstm: peephole connections, i and f see c(t-1), o sees c(t)\n"
           "  --cifg             lstm: coupled input and forget gates, f = 1 - i\n"
           "  --no-forget-gate   lstm: no forget gate, f = 1 (the 1997 LSTM)\n"
           "  --cell-clip X      lstm: clip the cell state to [-X, X]\n"
           "  --proj P           lstm: project h to P < hidden units (PyTorch's proj_size)\n"
           "  --gru-reset WHERE  gru: reset gate 'after' the recurrent product (PyTorch,\n"
           "                     the default) or 'before' it (Cho et al. 2014, TensorFlow)\n"
           "  --irnn             rnn_relu, rnn_tanh: identity recurrent weights, zero biases\n"
           "  --bidirectional    every layer also reads the sequence backwards\n"
           "  --dropout P        dropout between layers while training (2+ layers)\n"
           "  --recurrent-dropout P\n"
           "                     dropout on h(t-1) in the recurrence, one mask per sequence\n"
           "  --bptt K           truncated backpropagation through time: the gradient\n"
           "                     stops at every K-th step from the start\n"), f);
}

/* ------------------------------------------------------------------------ */
/* train                                                                    */

/* The task's token strings joined by commas ("e,h,l,o"), or NULL when the
 * task has none (dense input). */
static char *
join_vocab (const GsTask *task)
{
  size_t size = 1;
  char *s;

  if (task->V <= 0 || task->vocab == NULL || task->vocab[0] == NULL)
    return NULL;
  for (int v = 0; v < task->V; v++)
    size += (task->vocab[v] != NULL ? strlen (task->vocab[v]) : 0) + 1;
  s = calloc (size, 1);
  if (s == NULL)
    return NULL;
  for (int v = 0; v < task->V; v++)
    {
      if (v > 0)
        strcat (s, ",");
      if (task->vocab[v] != NULL)
        strcat (s, task->vocab[v]);
    }
  return s;
}

int
cli_train (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    { "task",      required_argument, NULL, OPT_TASK },
    { "cell",      required_argument, NULL, OPT_CELL },
    { "layers",    required_argument, NULL, OPT_LAYERS },
    { "hidden",    required_argument, NULL, OPT_HIDDEN },
    { "embed",     required_argument, NULL, OPT_EMBED },
    { "batch",     required_argument, NULL, OPT_BATCH },
    { "optimizer", required_argument, NULL, OPT_OPTIMIZER },
    { "lr",        required_argument, NULL, OPT_LR },
    { "momentum",  required_argument, NULL, OPT_MOMENTUM },
    { "clip",      required_argument, NULL, OPT_CLIP },
    { "epochs",    required_argument, NULL, OPT_EPOCHS },
    { "seed",      required_argument, NULL, OPT_SEED },
    { "save",      required_argument, NULL, OPT_SAVE },
    { "trap-fp",   no_argument,       NULL, OPT_TRAP_FP },
    { "json",      no_argument,       NULL, OPT_JSON },
    { "eval-every", required_argument, NULL, OPT_TK_EVAL_EVERY },
    { "until-solved", no_argument,    NULL, OPT_TK_UNTIL_SOLVED },
    GS_CLI_VARIANT_OPTIONS,
    { "help",      no_argument,       NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  GsTrainConfig cfg;
  GsError err = { { 0 } };
  GsTask task;
  GsTrainer *tr = NULL;
  GsCliTrainReport report = { false, 0, false };
  bool seed_task;   /* hello without --json: the course script's lines, nothing else */
  const char *task_name = NULL;
  const char *save = NULL;
  bool have_kind = false, have_momentum = false, trap_fp = false;
  GsOptKind kind = GS_OPT_ADAM;
  float lr, momentum = 0.0f;
  int embed = -1;   /* -1: the default */
  long long seed;
  char names[128];
  char pred[4096];
  int status = GS_CLI_EXIT_OK;
  int c;

  gs_train_config_default (&cfg);
  lr = cfg.opt.lr;

  while ((c = getopt_long (argc, argv, ":h", longopts, NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_train_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_TASK:
          task_name = optarg;
          break;
        case OPT_CELL:
          if (gs_cell_from_name (optarg, &cfg.cell) != GS_OK)
            {
              cell_names (names, sizeof names);
              return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown cell '%s' (valid: %s)"),
                               optarg, names);
            }
          break;
        case OPT_LAYERS:
          if (!parse_int (cli, "--layers", optarg, INT_MIN, INT_MAX, &cfg.L))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_HIDDEN:
          if (!parse_int (cli, "--hidden", optarg, INT_MIN, INT_MAX, &cfg.H))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_EMBED:
          if (!parse_int (cli, "--embed", optarg, 0, INT_MAX, &embed))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_BATCH:
          if (!parse_int (cli, "--batch", optarg, INT_MIN, INT_MAX, &cfg.B))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_OPTIMIZER:
          if (gs_opt_from_name (optarg, &kind) != GS_OK)
            {
              optimizer_names (names, sizeof names);
              return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown optimizer '%s' (valid: %s)"),
                               optarg, names);
            }
          have_kind = true;
          break;
        case OPT_LR:
          if (!parse_float (cli, "--lr", optarg, &lr))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_MOMENTUM:
          if (!parse_float (cli, "--momentum", optarg, &momentum))
            return GS_CLI_EXIT_USAGE;
          have_momentum = true;
          break;
        case OPT_CLIP:
          if (!parse_float (cli, "--clip", optarg, &cfg.clip))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_EPOCHS:
          if (!parse_int (cli, "--epochs", optarg, INT_MIN, INT_MAX, &cfg.epochs))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_SEED:
          if (!parse_integer (cli, "--seed", optarg, 0, INT64_MAX, &seed))
            return GS_CLI_EXIT_USAGE;
          cfg.seed = (uint64_t) seed;
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
        default:
          switch (cli_parse_variant_option (cli, c, optarg, &cfg.variant))
            {
            case 1:
              break;
            case -1:
              return GS_CLI_EXIT_USAGE;
            default:
              return option_error (cli, c, argv);
            }
          break;
        }
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK)
    return status;

  /* The optimizer's other settings are PyTorch's; the learning rate is ours. */
  if (have_kind)
    gs_opt_config_default (&cfg.opt, kind);
  cfg.opt.lr = lr;
  if (have_momentum)
    {
      if (cfg.opt.kind != GS_OPT_SGD && cfg.opt.kind != GS_OPT_RMSPROP)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--momentum applies to sgd and rmsprop, not %s"),
                         gs_opt_name (cfg.opt.kind));
      cfg.opt.momentum = momentum;
    }
  if (embed == 0)
    cfg.one_hot = true;
  else if (embed > 0)
    {
      cfg.one_hot = false;
      cfg.E = embed;
    }
  if (task_name != NULL)
    {
      if (gs_task_init (&task, task_name, &err) != GS_OK)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
      gs_task_clear (&task);
      if (strlen (task_name) >= sizeof cfg.task)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, _("task name '%s' is too long"), task_name);
      snprintf (cfg.task, sizeof cfg.task, "%s", task_name);
    }
  if (gs_train_config_validate (&cfg, &err) != GS_OK)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s (see '%s train --help')"), err.msg, PROG);

  if (trap_fp && !gs_debug_trap_fp (true))
    cli_fail (cli, GS_CLI_EXIT_OK, _("warning: floating-point traps are not available here"));

  tr = gs_trainer_new (&cfg, &err);
  if (tr == NULL)
    return cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);

  seed_task = strcmp (tr->task.spec, "hello") == 0 && !report.json
              && report.eval_every == 0 && !report.until_solved;
  for (int e = 0; e < cfg.epochs; e++)
    {
      if (gs_trainer_step (tr, &err) != GS_OK)
        {
          status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
          goto out;
        }
      if (!seed_task)
        {
          /* Other tasks: a loss line or JSON object, judged as asked (gs-cli-tasks.c). */
          if (cli_train_epoch (cli, tr, &report, cfg.epochs, &status))
            break;
          continue;
        }
      /* The forward pass of this step is still in the model: its prediction
       * and loss are the ones before the update, as in the seed script. */
      gs_task_decode_prediction (&tr->task, tr->model, 0, pred, sizeof pred);
      fprintf (cli->out, "Predicted: %s, Epoch [%d/%d] loss = %.3f\n",
               pred, tr->epoch, cfg.epochs, (double) tr->last_loss);
      fflush (cli->out);   /* progress, also through a pipe or before a trap */
    }

  if (!seed_task && status == GS_CLI_EXIT_OK)
    status = cli_train_final (cli, tr, &report);

  if (save != NULL && status == GS_CLI_EXIT_OK)
    {
      char *vocab = join_vocab (&tr->task);
      char *chars = cli_task_chars (&tr->task);   /* language models: what sample reads */
      const char *meta[6] = { "task", tr->task.spec };
      int n_meta = 1;

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
      if (gs_model_save (tr->model, save, meta, n_meta, &err) != GS_OK)
        status = cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
      free (vocab);
      free (chars);
    }

out:
  if (trap_fp)
    gs_debug_trap_fp (false);
  gs_trainer_free (tr);
  return status;
}

