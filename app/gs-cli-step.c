/* gs-cli-step.c — gatescope-cli step: one sequence walked through step by
 * step, the way the window's → key walks it (GsStepper, gs-stepper.h).
 *
 * Forward over the encoder (or the model), then the decoder; backward
 * through the decoder, then the encoder; the update. With --greedy an
 * encoder–decoder's evaluation pass instead: forward only, each decoder
 * step reading its own prediction of the step before. Without --json a
 * table, one row per step; with --json one object per step (not
 * translated: programs read it), for worksheets and for tests without GTK.
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-cli-private.h"
#include "gs-error.h"
#include "gs-i18n.h"
#include "gs-safetensors.h"
#include "gs-stepper.h"

#define TOP_K 3

/* A float as JSON: NaN and infinities (no JSON number) as null; nine
 * significant digits read back as the same float32, so that a worksheet
 * can check an equation exactly (c_t = c_{t-1} + i ⊙ g under f = 1). */
static void
json_float (FILE *f, float x)
{
  if (isfinite (x))
    fprintf (f, "%.9g", (double) x);
  else
    fputs ("null", f);
}

static void
json_floats (FILE *f, const float *x, int n)
{
  fputc ('[', f);
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        fputc (',', f);
      json_float (f, x[i]);
    }
  fputc (']', f);
}

/* The label of token v in labels (NULL: none). */
static const char *
label (const char *const *labels, int n, int v)
{
  return labels != NULL && v >= 0 && v < n && labels[v] != NULL ? labels[v] : NULL;
}

/* {"token": v, "char": "x"} */
static void
json_token (FILE *f, int v, const char *text)
{
  fprintf (f, "{\"token\":%d,\"char\":", v);
  if (text != NULL)
    cli_print_json_string (f, text);
  else
    fputs ("null", f);
  fputc ('}', f);
}

/* The k most probable classes at (t, b), most probable first. */
static int
top_classes (const GsModel *m, int t, int b, int *cls, int k)
{
  const int O = m->cfg.O;
  const float *p = m->probs + ((size_t) t * m->B + b) * O;
  int n = 0;

  for (int o = 0; o < O; o++)
    {
      int i = n < k ? n++ : k;
      if (i == k)
        {
          if (p[o] <= p[cls[k - 1]])
            continue;
          i = k - 1;
        }
      while (i > 0 && p[o] > p[cls[i - 1]])
        {
          cls[i] = cls[i - 1];
          i--;
        }
      cls[i] = o;
    }
  return n;
}

/* What one step shows: the model it ran in, the timestep, the labels. */
typedef struct {
  const GsStepper *s;
  GsPart           part;
  const GsModel   *m;
  int              t;
  const char *const *in_labels;
  int              n_in;
} StepView;

static void
step_view (StepView *v, const GsStepper *s)
{
  const GsTask *task = &s->trainer->task;

  v->s = s;
  v->part = gs_stepper_part (s);
  v->m = gs_stepper_model (s, v->part);
  v->t = gs_stepper_t (s);
  if (v->part == GS_PART_DECODER)
    {
      v->in_labels = task->dec_vocab;
      v->n_in = task->V_dec;
    }
  else
    {
      v->in_labels = task->vocab;
      v->n_in = task->V;
    }
}

/* The target class at t of sequence 0, −1 for none (CE). */
static int
target_at (const GsModel *m, int t)
{
  if (m->cfg.loss == GS_LOSS_CE)
    return m->targets[(size_t) t * m->B];
  return m->ymask[(size_t) t * m->B] ? 0 : -1;
}

static void
json_layer (FILE *f, const GsModel *m, const GsLayerState *S, const char *gates, int t, bool backward)
{
  const int H = m->cfg.H, P = m->P, G = m->G, B = m->B;
  const size_t GH = (size_t) G * H;

  fputs ("{\"gates\":{", f);
  for (int g = 0; g < G; g++)
    {
      fprintf (f, "%s\"%c\":", g ? "," : "", gates[g]);
      json_floats (f, S->act + (size_t) t * B * GH + (size_t) g * H, H);
    }
  fputs ("},\"h\":", f);
  json_floats (f, S->h + (size_t) t * B * P, P);
  if (S->c != NULL)
    {
      fputs (",\"c\":", f);
      json_floats (f, S->c + (size_t) t * B * H, H);
    }
  if (backward)
    {
      fputs (",\"dh\":", f);
      json_floats (f, S->dh + (size_t) t * B * P, P);
      if (S->dc != NULL)
        {
          fputs (",\"dc\":", f);
          json_floats (f, S->dc + (size_t) t * B * H, H);
        }
    }
  fputc ('}', f);
}

/* ,"interventions":[…]: those that hold at timestep t, units spelled out
 * (gs-intervene.h); weight edits hold at every step. */
static void
json_interventions_at (FILE *f, const GsModel *m, int t)
{
  const GsInterventions *list = m->iv;
  bool first = true;

  fputs (",\"interventions\":[", f);
  for (int i = 0; i < list->n; i++)
    {
      const GsIntervention *iv = &list->item[i];
      if (iv->kind != GS_IV_WEIGHT && iv->t >= 0 && iv->t != t)
        continue;
      fputs (first ? "{" : ",{", f);
      first = false;
      fprintf (f, "\"kind\":\"%s\",\"from\":\"%s\"", gs_intervention_kind_name (iv->kind),
               iv->from_session ? "session" : "option");
      if (iv->kind == GS_IV_WEIGHT)
        {
          fputs (",\"tensor\":", f);
          cli_print_json_string (f, iv->tensor);
          fprintf (f, ",\"index\":[%d", iv->row);
          if (iv->col >= 0)
            fprintf (f, ",%d", iv->col);
          fputc (']', f);
        }
      else
        {
          fprintf (f, ",\"layer\":%d", iv->layer + 1);
          if (iv->kind == GS_IV_CLAMP)
            fprintf (f, ",\"gate\":\"%c\"", iv->gate_letter);
          fputs (",\"units\":[", f);
          for (int u = iv->u0, end = gs_intervention_end (iv, iv->kind == GS_IV_SET_H ? m->P : m->cfg.H);
               u < end; u++)
            fprintf (f, u > iv->u0 ? ",%d" : "%d", u);
          fputc (']', f);
        }
      fputs (",\"value\":", f);
      json_float (f, iv->value);
      fputc ('}', f);
    }
  fputc (']', f);
}

/* ,"fixed":[…]: per layer, the units whose values the interventions hold
 * at t, by quantity (gate letters, c, h) — gs_interventions_fixes, the
 * rule the window's marks follow. */
static void
json_fixed_at (FILE *f, const GsModel *m, int t)
{
  const char *letters = gs_cell_gate_letters (m->cfg.cell);
  char qs[GS_MAX_GATES + 3];
  int n = 0;

  for (const char *l = letters; *l != '\0' && n < GS_MAX_GATES; l++)
    if (*l != 'h')
      qs[n++] = *l;
  if (m->cfg.cell == GS_CELL_LSTM)
    qs[n++] = 'c';
  qs[n++] = 'h';
  qs[n] = '\0';
  fputs (",\"fixed\":[", f);
  for (int k = 0; k < m->cfg.L; k++)
    {
      fprintf (f, "%s{\"layer\":%d", k ? "," : "", k + 1);
      for (const char *q = qs; *q != '\0'; q++)
        {
          const int units = *q == 'h' ? m->P : m->cfg.H;
          bool first = true;

          for (int u = 0; u < units; u++)
            if (gs_interventions_fixes (m->iv, &m->cfg, k, t, *q, u) == GS_FIX_VALUE)
              {
                if (first)
                  fprintf (f, ",\"%c\":[", *q);
                fprintf (f, first ? "%d" : ",%d", u);
                first = false;
              }
          if (!first)
            fputc (']', f);
        }
      fputc ('}', f);
    }
  fputc (']', f);
}

static void
print_json_step (FILE *f, const GsStepper *s)
{
  const GsTask *task = &s->trainer->task;
  StepView v;

  step_view (&v, s);
  if (s->phase == GS_PHASE_UPDATED)
    {
      fprintf (f, "{\"phase\":\"update\",\"part\":null,\"t\":null,\"input\":null,\"target\":null,\"loss\":");
      json_float (f, s->trainer->last_loss);
      fputs (",\"grad_norm\":", f);
      json_float (f, s->trainer->last_grad_norm);
      fprintf (f, ",\"epoch\":%d,\"top\":[],\"layers\":[]}\n", s->trainer->epoch);
      return;
    }

  const GsModel *m = v.m;
  const int t = v.t, y = target_at (m, t);
  const bool backward = s->phase == GS_PHASE_BACKWARD;
  const char *gates = gs_cell_gate_letters (m->cfg.cell);

  fprintf (f, "{\"phase\":\"%s\",\"part\":", backward ? "backward" : "forward");
  if (v.part != GS_PART_NONE)
    fprintf (f, "\"%s\"", gs_part_name (v.part));
  else
    fputs ("null", f);
  if (v.part != GS_PART_NONE)
    fprintf (f, ",\"decode\":\"%s\"", gs_decode_name (s->decode));
  fprintf (f, ",\"t\":%d,\"input\":", t);
  if (m->cfg.input == GS_INPUT_DENSE)
    {
      fputs ("{\"values\":", f);
      json_floats (f, m->xs + (size_t) t * m->B * m->cfg.V, m->cfg.V);
      fputc ('}', f);
    }
  else
    {
      int tok = m->tokens[(size_t) t * m->B];
      json_token (f, tok, label (v.in_labels, v.n_in, tok));
    }
  /* A decoder step: the token it read, and whether that is what teacher
   * forcing feeds (greedy passes read their own predictions). */
  if (v.part == GS_PART_DECODER && !backward)
    {
      int tok = m->tokens[(size_t) t * m->B];
      fputs (",\"fed\":", f);
      json_token (f, tok, label (v.in_labels, v.n_in, tok));
      fprintf (f, ",\"fed_target\":%s", gs_model_feeds_target (m, t, 0) ? "true" : "false");
    }
  fputs (",\"target\":", f);
  if (y < 0)
    fputs ("null", f);
  else if (m->cfg.loss == GS_LOSS_CE)
    json_token (f, y, label (task->out_vocab, task->O, y));
  else
    {
      fputs ("{\"values\":", f);
      json_floats (f, m->ys + (size_t) t * m->B * m->cfg.O, m->cfg.O);
      fputc ('}', f);
    }
  fputs (",\"loss\":", f);
  json_float (f, gs_stepper_loss (s));
  fputs (",\"top\":[", f);
  if (v.part == GS_PART_ENCODER)
    fputc (']', f);   /* the encoder's head is not used */
  else if (m->cfg.loss == GS_LOSS_CE)
    {
      int cls[TOP_K];
      int n = top_classes (m, t, 0, cls, TOP_K);
      for (int i = 0; i < n; i++)
        {
          fputs (i ? "," : "", f);
          fprintf (f, "{\"token\":%d,\"char\":", cls[i]);
          if (label (task->out_vocab, task->O, cls[i]) != NULL)
            cli_print_json_string (f, task->out_vocab[cls[i]]);
          else
            fputs ("null", f);
          fputs (",\"p\":", f);
          json_float (f, m->probs[(size_t) t * m->B * m->cfg.O + cls[i]]);
          fputc ('}', f);
        }
      fputc (']', f);
    }
  else
    {
      fputs ("],\"output\":", f);
      json_floats (f, m->logits + (size_t) t * m->B * m->cfg.O, m->cfg.O);
    }
  fputs (",\"layers\":[", f);
  for (int k = 0; k < m->cfg.L; k++)
    {
      fputs (k ? "," : "", f);
      json_layer (f, m, &m->layer[k], gates, t, backward);
    }
  fputc (']', f);
  if (m->iv != NULL)
    {
      json_interventions_at (f, m, t);
      json_fixed_at (f, m, t);
    }
  if (m->D == 2)
    {
      fputs (",\"reverse\":[", f);
      for (int k = 0; k < m->cfg.L; k++)
        {
          fputs (k ? "," : "", f);
          json_layer (f, m, &m->rev[k], gates, t, backward);
        }
      fputc (']', f);
    }
  fputs ("}\n", f);
}

/* ‖x‖₂ of n floats. */
static double
norm2 (const float *x, int n)
{
  double sum = 0.0;

  for (int i = 0; i < n; i++)
    sum += (double) x[i] * x[i];
  return sqrt (sum);
}

/* s padded with spaces to `width` characters (UTF-8 aware: "—", "‖", and
 * translated headings are more bytes than characters), then a space;
 * right-aligned when `right`. */
static void
put_cell (FILE *f, const char *s, int width, bool right)
{
  int chars = 0;

  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    chars += (*p & 0xc0) != 0x80;
  if (right)
    fprintf (f, "%*s%s ", width > chars ? width - chars : 0, "", s);
  else
    fprintf (f, "%s%*s ", s, width > chars ? width - chars : 0, "");
}

static void
print_row (FILE *f, const char *phase, const char *part, const char *t, const char *in, const char *tgt,
           const char *pred, const char *loss, const char *top)
{
  put_cell (f, phase, 9, false);
  put_cell (f, part, 8, false);
  put_cell (f, t, 4, true);
  put_cell (f, in, 6, false);
  put_cell (f, tgt, 6, false);
  put_cell (f, pred, 16, false);
  put_cell (f, loss, 9, true);
  fprintf (f, "%s\n", top);
}

static void
print_table_header (FILE *f)
{
  /* TRANSLATORS: column headings of 'gatescope-cli step' */
  print_row (f, _("phase"), _("part"), "t", _("input"), _("target"), _("predicted (p)"), _("loss"),
             _("top layer"));
}

static void
print_table_step (FILE *f, const GsStepper *s)
{
  const GsTask *task = &s->trainer->task;
  StepView v;
  char in[32] = "", tgt[32] = "—", pred[48] = "—", loss[32] = "—", top[64] = "", ts[16];

  step_view (&v, s);
  if (s->phase == GS_PHASE_UPDATED)
    {
      fprintf (f, _("update: loss %.4f, gradient norm %.4f, epoch %d\n"),
               (double) s->trainer->last_loss, (double) s->trainer->last_grad_norm, s->trainer->epoch);
      return;
    }

  const GsModel *m = v.m;
  const int t = v.t, y = target_at (m, t), k = m->cfg.L - 1;
  const GsLayerState *S = &m->layer[k];
  const bool backward = s->phase == GS_PHASE_BACKWARD;

  if (m->cfg.input == GS_INPUT_DENSE)
    snprintf (in, sizeof in, "%.3g", (double) m->xs[(size_t) t * m->B * m->cfg.V]);
  else
    {
      int tok = m->tokens[(size_t) t * m->B];
      const char *l = label (v.in_labels, v.n_in, tok);
      if (l != NULL)
        snprintf (in, sizeof in, "%s", l);
      else
        snprintf (in, sizeof in, "%d", tok);
    }
  if (y >= 0 && m->cfg.loss == GS_LOSS_CE)
    {
      const char *l = label (task->out_vocab, task->O, y);
      if (l != NULL)
        snprintf (tgt, sizeof tgt, "%s", l);
      else
        snprintf (tgt, sizeof tgt, "%d", y);
    }
  else if (y >= 0)
    snprintf (tgt, sizeof tgt, "%.3g", (double) m->ys[(size_t) t * m->B * m->cfg.O]);
  if (v.part == GS_PART_ENCODER)
    ;   /* the encoder's head is not used: its outputs mean nothing */
  else if (m->cfg.loss == GS_LOSS_CE)
    {
      int cls[1];
      const char *l;
      top_classes (m, t, 0, cls, 1);
      l = label (task->out_vocab, task->O, cls[0]);
      if (l != NULL)
        snprintf (pred, sizeof pred, "%s (%.2f)", l, (double) m->probs[(size_t) t * m->B * m->cfg.O + cls[0]]);
      else
        snprintf (pred, sizeof pred, "%d (%.2f)", cls[0], (double) m->probs[(size_t) t * m->B * m->cfg.O + cls[0]]);
    }
  else
    snprintf (pred, sizeof pred, "%.3g", (double) m->logits[(size_t) t * m->B * m->cfg.O]);
  if (isfinite (gs_stepper_loss (s)))
    snprintf (loss, sizeof loss, "%.4f", (double) gs_stepper_loss (s));
  if (backward)
    snprintf (top, sizeof top, "‖dh‖ %.3g", norm2 (S->dh + (size_t) t * m->B * m->P, m->P));
  else
    snprintf (top, sizeof top, "‖h‖ %.3g", norm2 (S->h + (size_t) t * m->B * m->P, m->P));
  snprintf (ts, sizeof ts, "%d", t);
  print_row (f, backward ? _("backward") : _("forward"),
             v.part == GS_PART_ENCODER ? _("encoder") : v.part == GS_PART_DECODER ? _("decoder") : "",
             ts, in, tgt, pred, loss, top);
}

/* The saved parameters of `path` into the stepper's model, whose shape
 * they must have. */
static int
load_model (GsCli *cli, GsTrainOptions *o, const char *path, GsStepper **out)
{
  GsSafetensors *st = NULL;
  GsError err = { { 0 } };
  GsStepper *s = NULL;
  GsModel *m = cli_model_load (path, NULL, &st, &s, &err);
  const char *task;
  int status = GS_CLI_EXIT_OK;

  if (m == NULL)
    return cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
  if (s != NULL)
    {
      /* A session: its own run, where it was. */
      gs_model_free (m);
      gs_st_free (st);
      if (o->task != NULL)
        {
          gs_stepper_free (s);
          return cli_fail (cli, GS_CLI_EXIT_USAGE,
                           _("%s is a session: it goes on with its own task, and --task cannot change it"), path);
        }
      *out = s;
      return GS_CLI_EXIT_OK;
    }
  /* The file's own task unless --task names one. */
  task = o->task != NULL ? o->task : gs_st_meta (st, "task");
  if (task != NULL)
    snprintf (o->cfg.task, sizeof o->cfg.task, "%s", task);
  /* (as the file meant it, should a default have changed since) */
  if (o->task == NULL && task != NULL && gs_task_spec_from_file (o->cfg.task, sizeof o->cfg.task, &err) != GS_OK)
    {
      gs_model_free (m);
      gs_st_free (st);
      return cli_fail (cli, GS_CLI_EXIT_USAGE, "%s: %s", path, err.msg);
    }
  o->cfg.cell = m->cfg.cell;
  o->cfg.H = m->cfg.H;
  o->cfg.L = m->cfg.L;
  o->cfg.one_hot = m->cfg.input == GS_INPUT_ONEHOT;
  if (m->cfg.input == GS_INPUT_EMBED)
    o->cfg.E = m->cfg.E;
  o->cfg.variant = m->cfg.variant;
  s = gs_stepper_new (&o->cfg, &err);
  if (s == NULL)
    status = cli_fail (cli, GS_CLI_EXIT_USAGE, "%s: %s", path, err.msg);
  else if (gs_stepper_is_pair (s))
    status = cli_fail (cli, GS_CLI_EXIT_USAGE,
                       _("%s: task %s has an encoder and a decoder, and a model file holds one model"),
                       path, s->trainer->task.spec);
  else if (s->trainer->model->n_params != m->n_params || s->trainer->model->cfg.V != m->cfg.V
           || s->trainer->model->cfg.O != m->cfg.O || s->trainer->model->cfg.input != m->cfg.input)
    status = cli_fail (cli, GS_CLI_EXIT_USAGE,
                       _("%s: the model's inputs or outputs do not fit task %s (%d inputs and %d outputs; the task has %d and %d)"),
                       path, s->trainer->task.spec, m->cfg.V, m->cfg.O, s->trainer->model->cfg.V,
                       s->trainer->model->cfg.O);
  else
    memcpy (s->trainer->model->params_mem, m->params_mem, sizeof (float) * m->n_params);
  gs_model_free (m);
  gs_st_free (st);
  if (status != GS_CLI_EXIT_OK)
    gs_stepper_free (s);
  else
    *out = s;
  return status;
}

int
cli_step (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    GS_CLI_TRAIN_OPTIONS,
    { "cell",      required_argument, NULL, OPT_CELL },
    { "epochs",    required_argument, NULL, OPT_EPOCHS },
    { "seed",      required_argument, NULL, OPT_SEED },
    { "model",     required_argument, NULL, OPT_MODEL },
    { "json",      no_argument,       NULL, OPT_JSON },
    { "greedy",    no_argument,       NULL, OPT_GREEDY },
    { "help",      no_argument,       NULL, 'h' },
    GS_CLI_INTERVENTION_OPTIONS,
    { NULL, 0, NULL, 0 },
  };
  GsInterventions ivs = { .n = 0 };
  GsTrainOptions opts;
  GsTrainConfig *cfg = &opts.cfg;
  GsError err = { { 0 } };
  GsStepper *s = NULL;
  const char *model_path = NULL;
  bool json = false, greedy = false;
  int epochs = 0;
  long long seed;
  char names[128];
  int status = GS_CLI_EXIT_OK;
  int c;

  cli_train_options_init (&opts);
  while ((c = getopt_long (argc, argv, ":h", cli_with_variant_options (longopts), NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_step_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_CELL:
          if (gs_cell_from_name (optarg, &cfg->cell) != GS_OK)
            {
              cell_names (names, sizeof names);
              return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown cell '%s' (valid: %s)"), optarg, names);
            }
          break;
        case OPT_EPOCHS:
          if (!parse_int (cli, "--epochs", optarg, 0, 10000000, &epochs))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_SEED:
          if (!parse_integer (cli, "--seed", optarg, 0, INT64_MAX, &seed))
            return GS_CLI_EXIT_USAGE;
          cfg->seed = (uint64_t) seed;
          break;
        case OPT_MODEL:
          model_path = optarg;
          break;
        case OPT_JSON:
          json = true;
          break;
        case OPT_GREEDY:
          greedy = true;
          break;
        default:
          switch (cli_intervention_option (cli, c, optarg, &ivs))
            {
            case 1:
              break;
            case -1:
              return GS_CLI_EXIT_USAGE;
            default:
              if ((status = cli_train_option (cli, c, optarg, argv, &opts)) != GS_CLI_EXIT_OK)
                return status;
              break;
            }
          break;
        }
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK
      || (status = cli_train_options_finish (cli, &opts)) != GS_CLI_EXIT_OK
      || (status = cli_train_config_check (cli, cfg)) != GS_CLI_EXIT_OK)
    return status;

  if (model_path != NULL)
    {
      if ((status = load_model (cli, &opts, model_path, &s)) != GS_CLI_EXIT_OK)
        return status;
    }
  else if ((s = gs_stepper_new (cfg, &err)) == NULL)
    return cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);

  /* --epochs N: train first, then step the next sequence. */
  for (int e = 0; e < epochs; e++)
    if (gs_stepper_train_step (s, &err) != GS_OK)
      {
        status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
        goto out;
      }
  if (s->phase == GS_PHASE_UPDATED)
    gs_stepper_next_sequence (s);
  /* --greedy: an evaluation pass (a session's training pass begun is left
   * for the next sequence; its evaluation pass begun goes on). */
  if (greedy && gs_stepper_is_pair (s) && s->phase != GS_PHASE_IDLE && s->decode != GS_DECODE_GREEDY)
    gs_stepper_next_sequence (s);
  if (greedy && gs_stepper_set_decode (s, GS_DECODE_GREEDY, &err) != GS_OK)
    {
      status = cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
      goto out;
    }

  /* The interventions hold in the sequence stepped (the training above ran
   * without them): "what if" asked of the trained network. */
  if (ivs.n > 0)
    {
      if (gs_stepper_is_pair (s))
        {
          status = cli_fail (cli, GS_CLI_EXIT_USAGE,
                             _("task %s has an encoder and a decoder: interventions apply to tasks with one model"),
                             s->trainer->task.spec);
          goto out;
        }
      /* after the session's own, when it holds some */
      if (cli_apply_interventions (s->trainer->model, &ivs, &err) != GS_OK)
        {
          status = cli_fail (cli, GS_CLI_EXIT_USAGE, "%s", err.msg);
          goto out;
        }
    }

  if (!json)
    {
      /* The sequence stepped is the next pass: epoch completed + 1, as the
       * window's status line and the course's loop count it (gs_phase_epoch). */
      if (s->decode == GS_DECODE_GREEDY)
        fprintf (cli->out, _("Task %s, %s, after %d epochs: one sequence decoded greedily, as evaluation does "
                             "(each decoder step reads its own prediction of the step before), "
                             "%d forward steps, no backward pass, no update\n"),
                 s->trainer->task.spec, gs_cell_name (s->trainer->cfg.cell), s->trainer->epoch,
                 gs_stepper_forward_len (s));
      else
        fprintf (cli->out, _("Task %s, %s, epoch %d: one sequence, %d forward steps, %d backward steps, one update\n"),
                 s->trainer->task.spec, gs_cell_name (s->trainer->cfg.cell),
                 (int) gs_phase_epoch (GS_PHASE_FORWARD, s->trainer->epoch),
                 gs_stepper_forward_len (s), gs_stepper_forward_len (s));
      print_table_header (cli->out);
    }
  do
    {
      if (gs_stepper_step (s, &err) != GS_OK)
        {
          status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
          goto out;
        }
      if (json)
        print_json_step (cli->out, s);
      else
        print_table_step (cli->out, s);
    }
  while (!gs_stepper_pass_done (s));
  fflush (cli->out);

out:
  gs_stepper_free (s);
  return status;
}

void
print_step_usage (FILE *f)
{
  fprintf (f, _("Usage: %s step [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Steps one sequence through training as the window's → key does: the forward\n"
           "pass timestep by timestep (the encoder's, then the decoder's), the backward\n"
           "pass (through the decoder, then the encoder), then the update; one row per step.\n"
           "Takes train's task, model and variant options ('%s train --help'), and:\n"
           "\n"), f);
  fputs (_("  --epochs N         train N steps first, then step the next sequence (default: 0)\n"
           "  --model FILE       step a model saved by 'train --save' (its task unless --task)\n"
           "  --json             one JSON object per step: phase (forward, backward, update),\n"
           "                     part (encoder, decoder or null), t, input, target, loss so far,\n"
           "                     top (the most probable classes with p), and per layer the\n"
           "                     gates by name, h, c and on backward steps dh, dc\n"), f);
  fputs (_("  --greedy           encoder–decoder tasks: an evaluation pass instead, forward only,\n"
           "                     each decoder step reading its own prediction of the step\n"
           "                     before (greedy decoding; training uses teacher forcing);\n"
           "                     with --json its decoder steps have decode \"greedy\", fed\n"
           "                     (the token read) and fed_target (whether it is the target\n"
           "                     of the step before)\n"
           "  -h, --help         show this help\n"), f);
  print_intervention_usage (f);
  fputs (_("In step they hold in the sequence stepped, after the --epochs of training;\n"
           "each JSON object lists those that hold at its timestep.\n"), f);
}
