/* gs-cli.c — gatescope-cli's commands: train, forward, bench, version, help.
 *
 * Dimension letters as in core/gs-model.h: T timesteps, L layers, H hidden
 * size, V vocabulary, O outputs.
 *
 * Each command parses its own options with getopt_long and reads every
 * number through one pair of helpers (the whole argument must be the
 * number). Hyperparameter ranges are the engine's: gs_train_config_validate
 * holds the rule and the message, for this CLI and the GUI alike. Every
 * failure is one line, "gatescope-cli: <what is wrong>", and an exit status
 * (gs-cli.h). The training options (--layers … --clip, the cell variants)
 * are parsed here once, for train and compare alike (cli_train_option).
 *
 * Two outputs are read by programs and so are not translated: train's epoch
 * line (the seed script's format) and forward's JSON.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-c-numeric.h"
#include "gs-cli-private.h"
#include "gs-error.h"
#include "gs-escape.h"
#include "gs-i18n.h"
#include "gs-model.h"
#include "gs-optim.h"
#include "gs-recipe.h"
#include "gs-safetensors.h"
#include "gs-task.h"
#include "gs-train.h"
#include "gs-variant-table.h"

/* ------------------------------------------------------------------------ */
/* Messages                                                                 */


/* Prints "gatescope-cli: <message>" as exactly one line and returns status,
 * so that callers can write `return cli_fail (cli, GS_CLI_EXIT_USAGE, …);`. */
int
cli_fail (GsCli *cli, int status, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  char safe[4096];
  for (char *p = msg; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  /* a message may quote a file (a label, a line): no terminal escapes */
  gs_escape (safe, sizeof safe, msg, GS_ESCAPE_ALL);
  fprintf (cli->err, "%s: %s\n", PROG, safe);
  return status;
}

/* "a, b, c" into buf: the valid names, for "unknown …" messages. */
static void
append_name (char *buf, size_t size, const char *name)
{
  size_t len = strlen (buf);

  if (len > 0 && len + 2 < size)
    {
      memcpy (buf + len, ", ", 3);
      len += 2;
    }
  if (len < size)
    snprintf (buf + len, size - len, "%s", name);
}

void
cell_names (char *buf, size_t size)
{
  buf[0] = '\0';
  for (int c = 0; c < GS_N_CELLS; c++)
    append_name (buf, size, gs_cell_name ((GsCell) c));
}

void
optimizer_names (char *buf, size_t size)
{
  buf[0] = '\0';
  for (int k = 0; k < GS_N_OPTS; k++)
    append_name (buf, size, gs_opt_name ((GsOptKind) k));
}

/* ------------------------------------------------------------------------ */
/* Reading values                                                           */

/* A whole argument as a base-10 integer in [min, max]. Prints why not and
 * returns false otherwise. */
bool
parse_integer (GsCli *cli, const char *what, const char *s,
               long long min, long long max, long long *out)
{
  char *end = NULL;
  long long v;

  errno = 0;
  v = (s[0] == '\0' || isspace ((unsigned char) s[0])) ? 0 : strtoll (s, &end, 10);
  if (end == NULL || end == s || *end != '\0')
    {
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: '%s' is not an integer"), what, s);
      return false;
    }
  if ((errno == ERANGE && v < 0) || v < min)
    {
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: %s is too small (the least is %lld)"), what, s, min);
      return false;
    }
  if (errno == ERANGE || v > max)
    {
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: %s is too large (the most is %lld)"), what, s, max);
      return false;
    }
  *out = v;
  return true;
}

bool
parse_int (GsCli *cli, const char *what, const char *s, int min, int max, int *out)
{
  long long v;

  if (!parse_integer (cli, what, s, min, max, &v))
    return false;
  *out = (int) v;
  return true;
}

/* A whole argument as a finite float (any range: the engine validates). */
bool
parse_float (GsCli *cli, const char *what, const char *s, float *out)
{
  char *end = NULL;
  float v;

  errno = 0;
  v = (s[0] == '\0' || isspace ((unsigned char) s[0])) ? 0.0f : strtof (s, &end);
  if (end == NULL || end == s || *end != '\0')
    {
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: '%s' is not a number"), what, s);
      return false;
    }
  /* ERANGE on underflow leaves a usable value near 0; on overflow, ±HUGE_VALF. */
  if (!isfinite (v))
    {
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: %s is not a finite number"), what, s);
      return false;
    }
  *out = v;
  return true;
}

/* "3,1,2" into a malloc'd array of n integers (values unchecked beyond int). */
bool
parse_int_list (GsCli *cli, const char *what, const char *s, int **out, int *n_out)
{
  char field[32];
  int *values;
  int n = 1;

  if (s[0] == '\0')
    {
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: the list is empty"), what);
      return false;
    }
  for (const char *p = s; *p != '\0'; p++)
    if (*p == ',' && ++n > GS_CLI_MAX_TOKENS)
      {
        cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: more than %d values"), what, GS_CLI_MAX_TOKENS);
        return false;
      }

  values = malloc ((size_t) n * sizeof *values);
  if (values == NULL)
    {
      cli_fail (cli, GS_CLI_EXIT_FAILURE, _("out of memory"));
      return false;
    }
  for (int i = 0; i < n; i++)
    {
      const char *comma = strchr (s, ',');
      size_t len = comma != NULL ? (size_t) (comma - s) : strlen (s);

      if (len == 0)
        {
          cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: value %d of the list is empty"), what, i + 1);
          free (values);
          return false;
        }
      /* A field longer than any int's digits is no int. */
      if (len >= sizeof field)
        {
          cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: value %d of the list is too long"), what, i + 1);
          free (values);
          return false;
        }
      memcpy (field, s, len);
      field[len] = '\0';
      if (!parse_int (cli, what, field, INT_MIN, INT_MAX, &values[i]))
        {
          free (values);
          return false;
        }
      s = comma != NULL ? comma + 1 : s + len;
    }
  *out = values;
  *n_out = n;
  return true;
}

/* getopt_long returned ':' or '?': say which argument is wrong. */
int
option_error (GsCli *cli, int c, char **argv)
{
  const char *arg = argv[optind - 1];

  if (c == ':')
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("option '%s' needs a value (see '%s %s --help')"),
                     arg, PROG, cli->command);
  if (optopt > 0 && optopt < 128 && !(arg[0] == '-' && arg[1] == '-'))
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown option '-%c' (see '%s %s --help')"),
                     optopt, PROG, cli->command);
  if (optopt != 0)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("option '%s' does not take a value"), arg);
  return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown option '%s' (see '%s %s --help')"),
                   arg, PROG, cli->command);
}

int
check_no_arguments (GsCli *cli, int argc, char **argv)
{
  if (optind < argc)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unexpected argument '%s'"), argv[optind]);
  return GS_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* Help                                                                     */

static void
print_usage (FILE *f)
{
  fprintf (f, _("Usage: %s COMMAND [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Trains recurrent networks (RNN, LSTM, GRU) and inspects saved models.\n"
           "\n"
           "Commands:\n"
           "  train     train a model, printing the prediction and loss of every epoch\n"
           "  forward   run a saved model on a token sequence (--json for programs)\n"
           "  step      step one sequence forward, backward and through the update\n"
           "  bench     measure how fast the engine trains and steps\n"
           "  compare   train cells side by side from the same seeds; curves and charts\n"
           "  tasks     list the tasks, their parameters and defaults\n"
           "  sample    generate text with a character language model\n"
           "  experiment  reproduce LSTM against RNN on adding or temporal_order\n"
           "  shapes    the model's tensors, parameter counts (PyTorch, Keras) and shapes\n"
           "  code      the model as PyTorch or Keras code\n"
           "  version   print the version\n"
           "  help      show this help, or a command's (help COMMAND)\n"
           "\n"), f);
  fprintf (f, _("Run '%s COMMAND --help' for the options of a command.\n"), PROG);
}

void
print_train_usage (FILE *f)
{
  GsTrainConfig d;
  char cells[128], opts[128];

  gs_train_config_default (&d);
  cell_names (cells, sizeof cells);
  optimizer_names (opts, sizeof opts);

  fprintf (f, _("Usage: %s train [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Trains a model and prints, after every epoch, what that epoch's forward\n"
           "pass predicted and its loss (before the update):\n"
           "  Predicted: ohlol, Epoch [3/15] loss = 0.412\n"
           "\n"), f);
  fprintf (f, _("  --task NAME[:key=value,...]\n"
                "                     the task to learn and its parameters, e.g. adding:length=100\n"
                "                     or charlm:file=poem.txt ('%s tasks' lists them; default: %s)\n"),
           PROG, d.task);
  fputs (_("                     Each task has recommended settings that solve it ('tasks'\n"
           "                     lists them): train uses them for every option not given.\n"
           "                     The defaults below are the hello task's.\n"), f);
  fprintf (f, _("  --cell CELL        %s (default: %s)\n"), cells, gs_cell_name (d.cell));
  fprintf (f, _("  --layers N         stacked layers (default: %d)\n"), d.L);
  fprintf (f, _("  --hidden N         hidden size (default: %d)\n"), d.H);
  fprintf (f, _("  --embed N          embedding size, 0 for one-hot input (default: %d)\n"),
           d.one_hot ? 0 : d.E);
  fprintf (f, _("  --batch N          sequences per step; the line shows sequence 0 (default: %d)\n"),
           d.B);
  fprintf (f, _("  --optimizer NAME   %s (default: %s)\n"), opts, gs_opt_name (d.opt.kind));
  fprintf (f, _("  --lr RATE          learning rate, whatever the optimizer (default: %g)\n"),
           (double) d.opt.lr);
  fputs (_("  --momentum M       momentum of sgd and rmsprop (default: PyTorch's, 0)\n"), f);
  fputs (_("  --clip NORM        clip the gradient norm to NORM (default: no clipping)\n"), f);
  fprintf (f, _("  --epochs N         training steps (default: %d)\n"), d.epochs);
  fprintf (f, _("  --seed N           seed of the initial weights and the data (default: %llu)\n"),
           (unsigned long long) d.seed);
  fputs (_("  --json             one JSON object per epoch, then a summary {\"final\": true,\n"
           "                     \"solved\", \"metric\", \"steps\", ...} from the task's held-out batch\n"
           "  --eval-every N     judge on the held-out batch every N epochs (default: at the end)\n"
           "  --until-solved     stop at the first of those judgements that counts as solved\n"), f);
  fputs (_("  --save FILE        write the trained model as safetensors\n"
           "  --trap-fp          stop at the first floating-point error (SIGFPE)\n"
           "  -h, --help         show this help\n"), f);
  fputs (_("  --log-every N      on a terminal, a loss line every N epochs instead of the\n"
           "                     progress line that long runs show (pipes and files get every line)\n"), f);
  fputs (_("  --init FILE        start from a model file's weights (safetensors, or torch.save's\n"
           "                     .pt of a state_dict); its sizes replace --layers, --hidden and\n"
           "                     --embed, and --cell must be its cell. --save - writes to stdout.\n"
           "                     Ctrl-C stops after the current step, saves and prints the summary.\n"), f);
  fputs (_("  --save-session FILE  write the whole run (weights, optimizer, random states,\n"
           "                     loss history) as a .gatescope session to go on with later\n"
           "  --resume FILE      go on with a session: --epochs N more steps, bit for bit as\n"
           "                     if the run had not stopped; the configuration is the session's\n"), f);
  print_variant_usage (f);
}

void
print_forward_usage (FILE *f)
{
  fprintf (f, _("Usage: %s forward --model FILE --tokens LIST [OPTIONS]\n"), PROG);
  fprintf (f, _("       %s forward --model FILE --text PHRASE [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Runs a saved model on one token sequence (batch 1, zero initial state).\n"
           "\n"
           "  --model FILE       a model saved by 'train --save' (safetensors), or a session\n"
           "  --tokens LIST      input tokens, comma-separated: 1,0,2,2,3\n"
           "  --targets LIST     target classes, one per token: adds the loss\n"
           "                     (mean cross-entropy, as nn.CrossEntropyLoss)\n"
           "  --grads            add the loss gradient of every tensor (needs --targets)\n"
           "  --json             print one JSON object: logits (T×O), loss, h_n (L·D×P),\n"
           "                     c_n (LSTM, L·D×H) and grads (name → flat row-major array);\n"
           "                     D = 2 for bidirectional models, P the projection size or H\n"
           "  -h, --help         show this help\n"), f);
  fputs (_("  --text PHRASE      a classifier (train --task classify --save FILE): the phrase,\n"
           "                     English or Chinese, read as the model's task reads it (a\n"
           "                     character it never saw is the unknown token <unk>); prints\n"
           "                     the class's probability at every step and the class by name\n"), f);
  fputs (_("  --cell CELL        rnn_relu for an RNN trained with nonlinearity='relu' (a file\n"
           "                     from PyTorch cannot tell; without it the RNN runs as tanh)\n"
           "\n"
           "FILE may also be a PyTorch state_dict saved with torch.save (.pt, .pth) or as\n"
           "safetensors under any module names (emb/embedding, rnn/lstm/gru, fc/out/head, ...);\n"
           "- reads it from standard input.\n"), f);
  print_intervention_usage (f);
}

static void
print_version_usage (FILE *f)
{
  fprintf (f, _("Usage: %s version\n"), PROG);
  fputs (_("\nPrints the program's name and version.\n"), f);
}

/* ------------------------------------------------------------------------ */
/* the cell variants                                                        */

/* Applies option c (OPT_VAR_BASE + a row) to v through its row of
 * gs_variant_table. Returns 1 when c was a variant option, 0 when it is
 * not one, −1 after printing a usage error. */
static int
cli_parse_variant_option (GsCli *cli, int c, const char *arg, GsVariant *v)
{
  const GsVariantInfo *r;
  char flag[64];
  int row = -1;

  if (c >= OPT_VAR_BASE && c < OPT_VAR_BASE + gs_variant_table_len)
    row = c - OPT_VAR_BASE;
  if (row < 0)
    return 0;
  r = &gs_variant_table[row];
  snprintf (flag, sizeof flag, "--%s", r->cli_flag);
  switch (r->type)
    {
    case GS_VARIANT_FLOAT:
      {
        float x;

        if (!parse_float (cli, flag, arg, &x))
          return -1;
        if (r->cli_positive && x <= 0.0f)
          {
            cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: %s must be greater than 0"), flag, arg);
            return -1;
          }
        gs_variant_row_set (v, row, (double) x);
        return 1;
      }
    case GS_VARIANT_INT:
      {
        int n;

        if (!parse_int (cli, flag, arg, 1, INT_MAX, &n))
          return -1;
        gs_variant_row_set (v, row, (double) n);
        return 1;
      }
    case GS_VARIANT_CHOICE:
      if (strcmp (arg, r->choice_off) == 0 || strcmp (arg, r->choice_on) == 0)
        {
          gs_variant_row_set (v, row, strcmp (arg, r->choice_on) == 0 ? 1.0 : 0.0);
          return 1;
        }
      cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: '%s' is not %s or %s"), flag, arg, r->choice_off, r->choice_on);
      return -1;
    case GS_VARIANT_BOOL:
    default:
      gs_variant_row_set (v, row, 1.0);
      return 1;
    }
}

/* ------------------------------------------------------------------------ */
/* the training options of train and compare                                */

void
cli_train_options_init (GsTrainOptions *o)
{
  memset (o, 0, sizeof *o);
  gs_train_config_default (&o->cfg);
  o->kind = o->cfg.opt.kind;
  o->lr = o->cfg.opt.lr;
  o->embed = -1;
}

/* 1 when c is one of the options of GS_CLI_TRAIN_OPTIONS, 0 when it is
 * not, −1 after printing a usage error: cli_parse_variant_option's way. */
static int
parse_train_option (GsCli *cli, int c, const char *arg, GsTrainOptions *o)
{
  /* What each option settles, so that the task's recipe leaves it alone. */
  static const struct { int option; unsigned keep; } gives[] = {
    { OPT_LAYERS, GS_RECIPE_KEEP_LAYERS },       { OPT_HIDDEN, GS_RECIPE_KEEP_HIDDEN },
    { OPT_EMBED, GS_RECIPE_KEEP_INPUT },         { OPT_BATCH, GS_RECIPE_KEEP_BATCH },
    { OPT_OPTIMIZER, GS_RECIPE_KEEP_OPTIMIZER }, { OPT_LR, GS_RECIPE_KEEP_LR },
    { OPT_CLIP, GS_RECIPE_KEEP_CLIP },
  };
  char names[128];

  for (size_t i = 0; i < sizeof gives / sizeof gives[0]; i++)
    if (gives[i].option == c)
      o->given |= gives[i].keep;
  /* The recipes set a forget-gate bias too (gs-recipe.h). */
  if (c == OPT_VAR_BASE + gs_variant_find ("forget_bias"))
    o->given |= GS_RECIPE_KEEP_FORGET_BIAS;
  if (c == OPT_VAR_BASE + gs_variant_find ("recurrent_dropout"))
    o->given |= GS_RECIPE_KEEP_RECURRENT_DROPOUT;

  switch (c)
    {
    case OPT_TASK:
      o->task = arg;
      return 1;
    case OPT_LAYERS:
      return parse_int (cli, "--layers", arg, INT_MIN, INT_MAX, &o->cfg.L) ? 1 : -1;
    case OPT_HIDDEN:
      return parse_int (cli, "--hidden", arg, INT_MIN, INT_MAX, &o->cfg.H) ? 1 : -1;
    case OPT_EMBED:
      return parse_int (cli, "--embed", arg, 0, INT_MAX, &o->embed) ? 1 : -1;
    case OPT_BATCH:
      return parse_int (cli, "--batch", arg, INT_MIN, INT_MAX, &o->cfg.B) ? 1 : -1;
    case OPT_OPTIMIZER:
      if (gs_opt_from_name (arg, &o->kind) != GS_OK)
        {
          optimizer_names (names, sizeof names);
          cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown optimizer '%s' (valid: %s)"), arg, names);
          return -1;
        }
      o->have_kind = true;
      return 1;
    case OPT_LR:
      return parse_float (cli, "--lr", arg, &o->lr) ? 1 : -1;
    case OPT_MOMENTUM:
      if (!parse_float (cli, "--momentum", arg, &o->momentum))
        return -1;
      o->have_momentum = true;
      return 1;
    case OPT_CLIP:
      return parse_float (cli, "--clip", arg, &o->cfg.clip) ? 1 : -1;
    default:
      return cli_parse_variant_option (cli, c, arg, &o->cfg.variant);
    }
}

int
cli_train_option (GsCli *cli, int c, const char *arg, char **argv, GsTrainOptions *o)
{
  switch (parse_train_option (cli, c, arg, o))
    {
    case 1:
      return GS_CLI_EXIT_OK;
    case -1:
      return GS_CLI_EXIT_USAGE;
    default:
      return option_error (cli, c, argv);
    }
}

int
cli_train_options_finish (GsCli *cli, GsTrainOptions *o)
{
  GsTrainConfig *cfg = &o->cfg;
  GsError err = { { 0 } };
  GsTask task;

  /* The optimizer's other settings are PyTorch's; the learning rate is ours. */
  if (o->have_kind)
    gs_opt_config_default (&cfg->opt, o->kind);
  cfg->opt.lr = o->lr;
  if (o->have_momentum)
    {
      if (cfg->opt.kind != GS_OPT_SGD && cfg->opt.kind != GS_OPT_RMSPROP)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--momentum applies to sgd and rmsprop, not %s"),
                         gs_opt_name (cfg->opt.kind));
      cfg->opt.momentum = o->momentum;
    }
  if (o->embed == 0)
    cfg->one_hot = true;
  else if (o->embed > 0)
    {
      cfg->one_hot = false;
      cfg->E = o->embed;
    }
  if (o->task != NULL)
    {
      if (gs_task_init (&task, o->task, &err) != GS_OK)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
      gs_task_clear (&task);
      if (strlen (o->task) >= sizeof cfg->task)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, _("task name '%s' is too long"), o->task);
      snprintf (cfg->task, sizeof cfg->task, "%s", o->task);
    }
  return GS_CLI_EXIT_OK;
}

void
cli_train_options_recommend (GsTrainOptions *o)
{
  const GsRecipe *r = gs_recipe_find (o->task != NULL ? o->task : o->cfg.task);

  if (r == NULL)
    return;   /* an unknown task: cli_train_options_finish says so */
  gs_recipe_apply (r, &o->cfg, o->given);
  /* What cli_train_options_finish settles from the options themselves. */
  if (!(o->given & GS_RECIPE_KEEP_OPTIMIZER))
    {
      o->kind = r->opt;
      o->have_kind = true;
    }
  if (!(o->given & GS_RECIPE_KEEP_LR))
    o->lr = r->lr;
  if (!(o->given & GS_RECIPE_KEEP_INPUT))
    o->embed = r->E;
}

int
cli_train_config_check (GsCli *cli, const GsTrainConfig *cfg)
{
  GsError err = { { 0 } };

  if (gs_train_config_validate (cfg, &err) != GS_OK)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s (see '%s %s --help')"), err.msg, PROG,
                     cli->command);
  return GS_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */

void
cli_print_json_string (FILE *f, const char *s)
{
  fputc ('"', f);
  for (const unsigned char *p = (const unsigned char *) s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        fprintf (f, "\\%c", *p);
      else if (*p < 0x20)
        fprintf (f, "\\u%04x", *p);
      else
        fputc (*p, f);
    }
  fputc ('"', f);
}

/* ------------------------------------------------------------------------ */
/* version, help, dispatch                                                  */

static int
cli_version (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int status;
  int c;

  while ((c = getopt_long (argc, argv, ":h", longopts, NULL)) != -1)
    {
      if (c != 'h')
        return option_error (cli, c, argv);
      print_version_usage (cli->out);
      return GS_CLI_EXIT_OK;
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK)
    return status;
  fprintf (cli->out, "%s %s\n", PROG, PACKAGE_VERSION);
  return GS_CLI_EXIT_OK;
}

typedef struct {
  const char *name;
  int  (*run)   (GsCli *cli, int argc, char **argv);
  void (*usage) (FILE *f);
} GsCliCommand;

static const GsCliCommand commands[] = {
  { "train",   cli_train,   print_train_usage },
  { "forward", cli_forward, print_forward_usage },
  { "step",    cli_step,    print_step_usage },
  { "bench",   cli_bench,   print_bench_usage },
  { "compare", cli_compare, print_compare_usage },
  { "tasks",      cli_tasks,      print_tasks_usage },
  { "sample",     cli_sample,     print_sample_usage },
  { "experiment", cli_experiment, print_experiment_usage },
  { "shapes",     cli_shapes,     print_shapes_usage },
  { "code",       cli_code,       print_code_usage },
  { "version", cli_version, print_version_usage },
};

static const GsCliCommand *
find_command (const char *name)
{
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static int
unknown_command (GsCli *cli, const char *name)
{
  return cli_fail (cli, GS_CLI_EXIT_USAGE,
                   _("unknown command '%s' (commands: train, forward, step, bench, compare, tasks, sample, experiment, shapes, code, version, help)"), name);
}

static int
cli_dispatch (GsCli *cli, int argc, char **argv)
{
  const GsCliCommand *cmd;
  const char *name;

  if (argc < 2)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("no command given (see '%s --help')"), PROG);
  name = argv[1];

  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      if (argc > 3)
        return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unexpected argument '%s'"), argv[3]);
      if (argc == 3)
        {
          if ((cmd = find_command (argv[2])) == NULL)
            return unknown_command (cli, argv[2]);
          cmd->usage (cli->out);
        }
      else
        print_usage (cli->out);
      return GS_CLI_EXIT_OK;
    }
  if (strcmp (name, "--version") == 0 || strcmp (name, "-V") == 0)
    name = "version";
  else if (name[0] == '-')
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown option '%s' (see '%s --help')"), name, PROG);

  if ((cmd = find_command (name)) == NULL)
    return unknown_command (cli, name);

  cli->command = cmd->name;
  /* Options are the command's own: argv[1] plays argv[0]. optind = 0 makes
   * glibc's getopt start afresh, whatever an earlier run left behind. */
  optind = 0;
  opterr = 0;
  return cmd->run (cli, argc - 1, argv + 1);
}

int
gs_cli_run (int argc, char **argv, FILE *out, FILE *err)
{
  GsCli cli = { out, err, "" };
  GsCNumeric scope;
  int status;

  /* Numbers in and out are C-locale ("0.05", never "0,05"): JSON and the
   * epoch line are read by programs. Messages keep the user's language. */
  gs_c_numeric_begin (&scope);

  status = cli_dispatch (&cli, argc, argv);

  errno = 0;
  if ((fflush (out) != 0 || ferror (out)) && status == GS_CLI_EXIT_OK)
    status = cli_fail (&cli, GS_CLI_EXIT_FAILURE, _("cannot write the output: %s"),
                       errno != 0 ? strerror (errno) : _("write error"));

  gs_c_numeric_end (&scope);
  return status;
}

