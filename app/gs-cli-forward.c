/* gs-cli-forward.c — gatescope-cli forward: a saved model on one sequence;
 * --json is the contract the PyTorch parity checks read. */
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
#include "gs-escape.h"
#include "gs-i18n.h"
#include "gs-model.h"
#include "gs-optim.h"
#include "gs-safetensors.h"
#include "gs-task.h"
#include "gs-train.h"

/* ------------------------------------------------------------------------ */
/* forward                                                                  */

static bool
all_finite (const float *x, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!isfinite (x[i]))
      return false;
  return true;
}

/* %.9g: nine significant digits bring every float32 back bit for bit. */
static void
print_floats (FILE *f, const float *x, size_t n)
{
  fputc ('[', f);
  for (size_t i = 0; i < n; i++)
    fprintf (f, i > 0 ? ",%.9g" : "%.9g", (double) x[i]);
  fputc (']', f);
}

/* x (rows, cols) as an array of rows. */
static void
print_rows (FILE *f, const float *x, int rows, int cols)
{
  fputc ('[', f);
  for (int r = 0; r < rows; r++)
    {
      if (r > 0)
        fputc (',', f);
      print_floats (f, x + (size_t) r * cols, (size_t) cols);
    }
  fputc (']', f);
}

typedef struct {
  const GsModel *m;
  const int     *tokens;   /* (T) */
  const int     *targets;  /* (T) or NULL */
  float          loss;
  const float   *h_n;      /* (L, H) */
  const float   *c_n;      /* (L, H) LSTM, else NULL */
  bool           grads;
  const GsSafetensors *st; /* metadata (vocab) */
} GsForwardResult;

static void
print_forward_json (FILE *f, const GsForwardResult *r)
{
  const GsModel *m = r->m;
  /* h_n (L·D, P) and c_n (L·D, H): PyTorch's, with batch 1 */
  const int LD = m->cfg.L * m->D, H = m->cfg.H, O = m->cfg.O, T = m->T;

  fputs ("{\"logits\":", f);
  print_rows (f, m->logits, T, O);   /* (T, B = 1, O) */
  if (r->targets != NULL)
    fprintf (f, ",\"loss\":%.9g", (double) r->loss);
  fputs (",\"h_n\":", f);
  print_rows (f, r->h_n, LD, m->P);
  if (r->c_n != NULL)
    {
      fputs (",\"c_n\":", f);
      print_rows (f, r->c_n, LD, H);
    }
  if (r->grads)
    {
      GsTensorInfo info[GS_MAX_TENSORS];
      int n = gs_config_tensors (&m->cfg, info);

      fputs (",\"grads\":{", f);
      for (int i = 0; i < n; i++)
        {
          if (i > 0)
            fputc (',', f);
          cli_print_json_string (f, info[i].name);
          fputc (':', f);
          print_floats (f, m->grads_mem + info[i].offset, info[i].numel);
        }
      fputc ('}', f);
    }
  cli_print_interventions_json (f, m);
  fputs ("}\n", f);
}

/* Splits the "vocab" metadata ("e,h,l,o") into n labels in buf; false when
 * it is missing or does not have n entries. */
static bool
split_vocab (const GsSafetensors *st, int n, char *buf, size_t size, const char **labels)
{
  const char *vocab = st != NULL ? gs_st_meta (st, "vocab") : NULL;
  int k = 0;

  if (vocab == NULL || strlen (vocab) >= size)
    return false;
  strcpy (buf, vocab);
  labels[k++] = buf;
  for (char *p = buf; *p != '\0'; p++)
    if (*p == ',')
      {
        *p = '\0';
        if (k == n)
          return false;
        labels[k++] = p + 1;
      }
  return k == n;
}

/* Splits the "classes" metadata (tab-separated class names, written for
 * classifiers) into n labels in buf; false when it is missing or does not
 * have n entries. */
static bool
split_classes (const GsSafetensors *st, int n, char *buf, size_t size, const char **labels)
{
  const char *classes = st != NULL ? gs_st_meta (st, "classes") : NULL;
  int k = 0;

  if (classes == NULL || strlen (classes) >= size)
    return false;
  strcpy (buf, classes);
  labels[k++] = buf;
  for (char *p = buf; *p != '\0'; p++)
    if (*p == '\t')
      {
        *p = '\0';
        if (k == n)
          return false;
        labels[k++] = p + 1;
      }
  return k == n;
}

static void
print_label (FILE *f, int value, const char *const *labels)
{
  char safe[256];

  /* the labels come from the model file: no terminal escapes */
  if (labels != NULL)
    fprintf (f, "  %3d %-6s", value, (gs_escape (safe, sizeof safe, labels[value], GS_ESCAPE_ALL), safe));
  else
    fprintf (f, "  %3d %-6s", value, "");
}

static void
print_forward_table (FILE *f, const GsForwardResult *r)
{
  const GsModel *m = r->m;
  const int O = m->cfg.O, V = m->cfg.V, T = m->T;
  char in_buf[4096];
  const char *in_labels[GS_TASK_MAX_VOCAB];
  bool have_labels = V <= GS_TASK_MAX_VOCAB
                     && split_vocab (r->st, V, in_buf, sizeof in_buf, in_labels);
  const char *const *labels = have_labels ? in_labels : NULL;
  char class_buf[4096];
  const char *class_labels[64];
  /* The classes by name when the file names them (classifiers), else the
   * task's tokens when there are as many. */
  const char *const *out_labels = O <= 64 && split_classes (r->st, O, class_buf, sizeof class_buf, class_labels)
                                  ? class_labels : have_labels && O == V ? in_labels : NULL;

  fprintf (f, _("%s, %d layers, hidden %d, vocabulary %d, outputs %d\n"),
           gs_cell_name (m->cfg.cell), m->cfg.L, m->cfg.H, V, O);
  fprintf (f, "%4s  %-10s  %-10s  %6s", _("step"), _("token"), _("predicted"), _("p"));
  if (r->targets != NULL)
    fprintf (f, "  %-10s", _("target"));
  fputc ('\n', f);
  for (int t = 0; t < T; t++)
    {
      int k = gs_model_predict (m, t, 0);

      fprintf (f, "%4d", t);
      print_label (f, r->tokens[t], labels);
      print_label (f, k, out_labels);
      if (m->cfg.loss == GS_LOSS_CE)
        fprintf (f, "  %6.3f", (double) m->probs[(size_t) t * O + k]);
      else
        fprintf (f, "  %6s", "-");
      if (r->targets != NULL)
        print_label (f, r->targets[t], out_labels);
      fputc ('\n', f);
    }
  if (r->targets != NULL)
    fprintf (f, _("loss = %.6f\n"), (double) r->loss);
}

/* The index of the first value outside [0, max_excl), or -1. */
static int
find_out_of_range (const int *values, int n, int max_excl)
{
  for (int i = 0; i < n; i++)
    if (values[i] < 0 || values[i] >= max_excl)
      return i;
  return -1;
}

int
cli_forward (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    { "model",   required_argument, NULL, OPT_MODEL },
    { "tokens",  required_argument, NULL, OPT_TOKENS },
    { "text",    required_argument, NULL, OPT_TEXT },
    { "targets", required_argument, NULL, OPT_TARGETS },
    { "grads",   no_argument,       NULL, OPT_GRADS },
    { "json",    no_argument,       NULL, OPT_JSON },
    { "cell",    required_argument, NULL, OPT_CELL },
    { "help",    no_argument,       NULL, 'h' },
    GS_CLI_INTERVENTION_OPTIONS,
    { NULL, 0, NULL, 0 },
  };
  GsInterventions ivs = { .n = 0 };
  const char *model_path = NULL, *tokens_arg = NULL, *targets_arg = NULL, *text_arg = NULL;
  GsTask task = { 0 };
  bool have_task = false;
  int n_unknown = 0;
  bool grads = false, json = false;
  GsError err = { { 0 } };
  GsSafetensors *st = NULL;
  GsModel *m = NULL;
  GsForwardResult r = { 0 };
  GsModelLoadOptions load = { 0 };
  char names[128];
  int *tokens = NULL, *targets = NULL;
  float *h_n = NULL, *c_n = NULL;
  int T = 0, n_targets = 0;
  int status = GS_CLI_EXIT_OK;
  int c, i;

  while ((c = getopt_long (argc, argv, ":h", longopts, NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_forward_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_MODEL:
          model_path = optarg;
          break;
        case OPT_TOKENS:
          tokens_arg = optarg;
          break;
        case OPT_TEXT:
          text_arg = optarg;
          break;
        case OPT_TARGETS:
          targets_arg = optarg;
          break;
        case OPT_GRADS:
          grads = true;
          break;
        case OPT_JSON:
          json = true;
          break;
        case OPT_CELL:
          if (gs_cell_from_name (optarg, &load.cell) != GS_OK)
            {
              cell_names (names, sizeof names);
              return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown cell '%s' (valid: %s)"), optarg, names);
            }
          load.set_cell = true;
          break;
        default:
          switch (cli_intervention_option (cli, c, optarg, &ivs))
            {
            case 1:
              break;
            case -1:
              return GS_CLI_EXIT_USAGE;
            default:
              return option_error (cli, c, argv);
            }
        }
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK)
    return status;
  if (model_path == NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("missing --model FILE (see '%s forward --help')"),
                     PROG);
  if (tokens_arg != NULL && text_arg != NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("give either --tokens or --text, not both"));
  if (text_arg != NULL && targets_arg != NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("--targets goes with --tokens, not with --text"));
  if (tokens_arg == NULL && text_arg == NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, _("missing --tokens LIST (see '%s forward --help')"),
                     PROG);
  if (grads && targets_arg == NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE,
                     _("--grads needs --targets: the gradients are those of the loss"));

  /* Syntax first, then the model, then the values against the model. */
  if (tokens_arg != NULL && !parse_int_list (cli, "--tokens", tokens_arg, &tokens, &T))
    return GS_CLI_EXIT_USAGE;
  if (targets_arg != NULL && !parse_int_list (cli, "--targets", targets_arg, &targets, &n_targets))
    {
      status = GS_CLI_EXIT_USAGE;
      goto out;
    }
  if (targets != NULL && n_targets != T)
    {
      status = cli_fail (cli, GS_CLI_EXIT_USAGE, _("--targets has %d values but --tokens has %d"),
                         n_targets, T);
      goto out;
    }

  m = cli_model_load (model_path, &load, &st, NULL, &err);
  if (m == NULL)
    {
      status = cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
      goto out;
    }
  if (load.warning[0] != '\0')
    cli_fail (cli, GS_CLI_EXIT_OK, _("warning: %s: %s (--cell rnn_relu if it was trained with ReLU)"),
              model_path, load.warning);
  if (text_arg != NULL)
    {
      /* The phrase as the model's task reads it: the task named in the file,
       * its data loaded again for the characters' tokens. */
      const char *spec = gs_st_meta (st, "task");
      if (spec == NULL || strncmp (spec, "classify", 8) != 0 || (spec[8] != '\0' && spec[8] != ':'))
        {
          status = cli_fail (cli, GS_CLI_EXIT_USAGE,
                             _("%s is not a phrase classifier (train --task classify): --text needs one"), model_path);
          goto out;
        }
      if (gs_task_init (&task, spec, &err) != GS_OK)
        {
          status = cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s: its task %s: %s"), model_path, spec, err.msg);
          goto out;
        }
      have_task = true;
      if (task.V != m->cfg.V || task.O != m->cfg.O)
        {
          status = cli_fail (cli, GS_CLI_EXIT_USAGE,
                             _("%s: the task's data has changed since the model was trained (%d tokens and %d "
                               "classes now, %d and %d in the model)"),
                             model_path, task.V, task.O, m->cfg.V, m->cfg.O);
          goto out;
        }
      tokens = malloc (sizeof *tokens * (strlen (text_arg) + 1));
      if (tokens == NULL)
        {
          status = cli_fail (cli, GS_CLI_EXIT_FAILURE, _("out of memory"));
          goto out;
        }
      T = gs_task_classify_encode (&task, text_arg, tokens, (int) strlen (text_arg) + 1, &n_unknown, &err);
      if (T < 0)
        {
          status = cli_fail (cli, GS_CLI_EXIT_USAGE, "--text: %s", err.msg);
          goto out;
        }
    }
  if (m->cfg.input == GS_INPUT_DENSE)
    {
      status = cli_fail (cli, GS_CLI_EXIT_USAGE, _("%s takes dense input, not tokens"), model_path);
      goto out;
    }
  if (targets != NULL && m->cfg.loss != GS_LOSS_CE)
    {
      status = cli_fail (cli, GS_CLI_EXIT_USAGE,
                         _("%s is a regression model: --targets takes classes"), model_path);
      goto out;
    }
  if ((i = find_out_of_range (tokens, T, m->cfg.V)) >= 0)
    {
      status = cli_fail (cli, GS_CLI_EXIT_USAGE,
                         _("--tokens: value %d of the list, %d, is not in the model's vocabulary (0 to %d)"),
                         i + 1, tokens[i], m->cfg.V - 1);
      goto out;
    }
  if (targets != NULL && (i = find_out_of_range (targets, T, m->cfg.O)) >= 0)
    {
      status = cli_fail (cli, GS_CLI_EXIT_USAGE,
                         _("--targets: value %d of the list, %d, is not one of the model's classes (0 to %d)"),
                         i + 1, targets[i], m->cfg.O - 1);
      goto out;
    }

  if (gs_model_set_sequence (m, T, 1, tokens, NULL, targets, NULL, NULL, &err) != GS_OK)
    {
      status = cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
      goto out;
    }
  if (ivs.n > 0 && cli_apply_interventions (m, &ivs, &err) != GS_OK)
    {
      status = cli_fail (cli, GS_CLI_EXIT_USAGE, "%s: %s", model_path, err.msg);
      goto out;
    }
  gs_model_forward (m);

  h_n = calloc ((size_t) m->cfg.L * m->D * m->P, sizeof *h_n);
  c_n = calloc ((size_t) m->cfg.L * m->D * m->cfg.H, sizeof *c_n);
  if (h_n == NULL || c_n == NULL)
    {
      status = cli_fail (cli, GS_CLI_EXIT_FAILURE, _("out of memory"));
      goto out;
    }
  gs_model_final_state (m, h_n, c_n);

  r.m = m;
  r.tokens = tokens;
  r.targets = targets;
  r.loss = targets != NULL ? gs_model_loss (m) : 0.0f;
  r.h_n = h_n;
  r.c_n = m->cfg.cell == GS_CELL_LSTM ? c_n : NULL;
  r.grads = grads;
  r.st = st;

  if (grads)
    {
      gs_model_zero_grad (m);
      gs_model_backward (m);
    }

  /* JSON has no NaN or infinity: refuse rather than print half an answer. */
  if (!all_finite (m->logits, (size_t) T * m->cfg.O)
      || !isfinite (r.loss)
      || !all_finite (h_n, (size_t) m->cfg.L * m->D * m->P)
      || (r.c_n != NULL && !all_finite (r.c_n, (size_t) m->cfg.L * m->D * m->cfg.H))
      || (grads && !all_finite (m->grads_mem, m->n_params)))
    {
      status = cli_fail (cli, GS_CLI_EXIT_FAILURE,
                         _("the model computed a value that is not finite (NaN or infinity)"));
      goto out;
    }

  if (json)
    print_forward_json (cli->out, &r);
  else
    print_forward_table (cli->out, &r);
  if (!json && have_task)
    {
      /* the class read at the last step, by name */
      int k = gs_model_predict (m, T - 1, 0);
      char safe[256];

      gs_escape (safe, sizeof safe, task.out_vocab[k], GS_ESCAPE_ALL);
      /* Translators: the class a phrase is given, and its probability (0 to 1). */
      fprintf (cli->out, _("Class: %s (p = %.3f)\n"), safe, (double) m->probs[(size_t) (T - 1) * m->cfg.O + k]);
      if (n_unknown > 0)
        fprintf (cli->out,
                 ngettext ("%d character of the phrase is not in the training data: read as <unk>\n",
                           "%d characters of the phrase are not in the training data: read as <unk>\n", n_unknown),
                 n_unknown);
    }

out:
  if (have_task)
    gs_task_clear (&task);
  free (h_n);
  free (c_n);
  gs_model_free (m);
  gs_st_free (st);
  free (tokens);
  free (targets);
  return status;
}

