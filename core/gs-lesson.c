/* gs-lesson.c — reading a lesson file and playing it on a stepper.
 *
 * THE LESSON FORMAT (also in the README, "Writing a lesson")
 *
 * A lesson is a UTF-8 text file of `key = value` lines. Blank lines and
 * lines starting with # are ignored. A line `[step]` starts the next step;
 * the lines before the first one describe the lesson. A key ending in .zh
 * is the Chinese text of the key without it (title.zh, text.zh, …); a text
 * key given twice adds a paragraph (text, summary and explain).
 *
 *   title = The conveyor belt          the lesson's title (required)
 *   summary = …                        one sentence for the list of lessons
 *
 *   [step]
 *   title = Clamp f = 1                the step's heading
 *   text = …                           what the step says (required)
 *   run = task=hello cell=lstm layers=1 hidden=4 embed=onehot seed=1
 *                                      a fresh run: task, cell (rnn_tanh,
 *                                      rnn_relu, lstm, gru), layers, hidden,
 *                                      embed (a size or onehot), seed, lr,
 *                                      optimizer, batch, clip, forget-bias,
 *                                      and the switches peephole, cifg,
 *                                      no-forget-gate, no-input-gate,
 *                                      no-output-gate; anything not given is
 *                                      the app's default run
 *   train = 40                         40 training steps
 *   train-until-solved = 300           train until the task is solved (judged
 *                                      every 10 steps), at most 300 steps
 *   forward = 3                        the forward pass of a fresh sequence
 *                                      up to t = 2 (3 timesteps); all: every one
 *   backward = all                     the whole forward pass, then the
 *                                      backward pass (all, or N steps)
 *   clamp = 1:f:*=1                    interventions, as gatescope-cli writes
 *   set-c = 1:*@3=0                    them (gs-intervene.h); they add up
 *   set-h = 1:0@2=0                    until `release = all` or the next run
 *   ablate = 1:3
 *   set-weight = rnn.weight_hh_l0[0,0]=0
 *   release = all
 *   remember = rnn metric              save a number under a name ($rnn)
 *   point = cell unit=3 t=2 layer=1    where the window should look: unrolled,
 *                                      cell, prediction, loss, heatmaps,
 *                                      gradients
 *   compare = open                     open the compare page
 *   question = Which gate …?           a question (one per step)
 *   answer = closest-gate 1 1:3@2      the rule that picks the right choice
 *   choice = f | the forget gate f | 遗忘门 f
 *                                      KEY | English | Chinese: the choice is
 *                                      right when the rule answers KEY
 *   explain = …                        shown once the question is answered
 *
 * Actions run in the order written. Numbers read from the network
 * (quantities) are written
 *   f:1:3@2    gate f of layer 1, unit 3, at t = 2 (i f g o, r z n)
 *   c:1:3@2    the cell state c_t        h:1:3@2   the hidden state h_t
 *   ig:1:3@2   i_t · g_t                 dc:1:3@2  c_t − c_{t−1}
 *   |c|:1@2, |h|:1@2   the norms of c_t and h_t over the layer's units
 *   loss       the loss of the last update
 *   eval-loss, metric   the held-out loss, and the task's metric
 *   epoch      updates done              params    the model's parameters
 *   $name      a number remembered earlier
 * Layers count from 1, units and timesteps from 0, as in the window.
 *
 * Rules (`answer = …`), and the keys their choices carry:
 *   closest-gate V L:U@T      the gate of the cell whose value at that unit
 *                             and t is closest to V; keys: the gate letters
 *   closest V k1=Q1 k2=Q2 …   the k whose quantity is closest to V
 *   lowest k1=Q1 k2=Q2 …      the k with the lowest quantity; highest: highest
 *   compare Q1 Q2             less, equal or greater (Q1 against Q2)
 *   sign Q                    negative, zero or positive
 *   predicted @T              the character the network predicts at t
 * closest, lowest and highest take margin=M (default 0.001): the runner-up
 * must be M further off, or the question has no single right answer;
 * compare and sign take tol=X (default 0.00001): closer counts as equal.
 *
 * Loading checks each line as it comes and stops at the first fault with
 * "FILE:LINE: what is wrong". The runner fails, naming the line, when the
 * live values do not give exactly one right choice.
 */
#include "gs-lesson.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-c-numeric.h"
#include "gs-i18n.h"
#include "gs-task.h"

const char *const gs_lesson_views[] = {
  "unrolled", "cell", "prediction", "loss", "heatmaps", "gradients", NULL,
};

const char *
gs_lesson_text_get (const GsLessonText *text, GsLang lang)
{
  if ((unsigned) lang < GS_N_LANGS && text->s[lang] != NULL)
    return text->s[lang];
  return text->s[GS_LANG_EN] != NULL ? text->s[GS_LANG_EN] : "";
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct {
  const char    *name;
  int            line;
  GsError       *err;
  GsLesson      *lesson;
  GsLessonStep  *step;       /* the step being read, NULL in the header */
  bool           have_run;   /* a run was set up by an earlier line */
  GsTrainConfig  run;        /* the run in effect at this line */
  int            n_saved;
  char           saved[GS_LESSON_MAX_SAVED][GS_LESSON_NAME_MAX];
} Parser;

__attribute__ ((format (printf, 2, 3)))
static int
fail (Parser *p, const char *fmt, ...)
{
  char msg[400];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  return gs_error_set (p->err, "%s:%d: %s", p->name, p->line, msg);
}

static void
text_clear (GsLessonText *t)
{
  for (int l = 0; l < GS_N_LANGS; l++) {
    free (t->s[l]);
    t->s[l] = NULL;
  }
}

/* Sets (or, when it is set, extends by a paragraph) one language of t. */
static int
text_add (Parser *p, GsLessonText *t, GsLang lang, const char *value, bool paragraphs)
{
  size_t n = strlen (value), old = t->s[lang] != NULL ? strlen (t->s[lang]) : 0;
  char *s;

  if (n == 0)
    return fail (p, _("the text is empty"));
  if (t->s[lang] != NULL && !paragraphs)
    return fail (p, _("this key is given twice"));
  s = realloc (t->s[lang], old + n + 3);
  if (s == NULL)
    return fail (p, _("out of memory"));
  if (old > 0) {
    s[old++] = '\n';   /* a paragraph: an empty line between */
    s[old++] = '\n';
  }
  memcpy (s + old, value, n + 1);
  t->s[lang] = s;
  return GS_OK;
}

static int
parse_int (Parser *p, const char *what, const char *s, int lo, int hi, int *out)
{
  char *end;
  long v;

  errno = 0;
  v = strtol (s, &end, 10);
  if (end == s || *end != '\0' || errno != 0 || v < lo || v > hi)
    return fail (p, _("%s must be a whole number from %d to %d, not “%s”"), what, lo, hi, s);
  *out = (int) v;
  return GS_OK;
}

static int
parse_num (Parser *p, const char *what, const char *s, double *out)
{
  char *end;
  double v;

  errno = 0;
  v = gs_c_strtod (s, &end);
  if (end == s || *end != '\0' || errno != 0 || !isfinite (v))
    return fail (p, _("%s must be a number, not “%s”"), what, s);
  *out = v;
  return GS_OK;
}

/* Splits s in place at spaces into at most max words. */
static int
split_words (char *s, char **word, int max)
{
  int n = 0;

  for (;;) {
    while (*s == ' ' || *s == '\t')
      *s++ = '\0';
    if (*s == '\0')
      return n;
    if (n == max)
      return max + 1;
    word[n++] = s;
    while (*s != '\0' && *s != ' ' && *s != '\t')
      s++;
  }
}

static int
check_layer_unit (Parser *p, int layer, int unit)
{
  if (layer >= p->run.L)
    return fail (p, _("the run has %d layer(s): there is no layer %d"), p->run.L, layer + 1);
  if (unit >= p->run.H)
    return fail (p, _("the run has %d unit(s) per layer: there is no unit %d"), p->run.H, unit);
  return GS_OK;
}

/* "f:1:3@2", "c:1:3@2", "|c|:1@2", "loss", "$rnn", … */
static int
parse_quantity (Parser *p, const char *s, GsQuantity *q)
{
  static const struct { const char *name; GsQuantityKind kind; } whole[] = {
    { "loss", GS_Q_LOSS }, { "eval-loss", GS_Q_EVAL_LOSS }, { "metric", GS_Q_METRIC }, { "epoch", GS_Q_EPOCH },
    { "params", GS_Q_PARAMS },
  };
  char head[8];
  int layer, unit = 0, t, nread = 0;
  bool norm;

  memset (q, 0, sizeof *q);
  q->t = q->unit = q->layer = -1;
  for (size_t k = 0; k < sizeof whole / sizeof whole[0]; k++)
    if (strcmp (s, whole[k].name) == 0) {
      q->kind = whole[k].kind;
      return GS_OK;
    }
  if (s[0] == '$') {
    for (int k = 0; k < p->n_saved; k++)
      if (strcmp (p->saved[k], s + 1) == 0) {
        q->kind = GS_Q_SAVED;
        snprintf (q->name, sizeof q->name, "%s", s + 1);
        return GS_OK;
      }
    return fail (p, _("nothing was remembered as “%s” before this line"), s + 1);
  }
  if (!p->have_run)
    return fail (p, _("“%s” reads the network, but no run is set up before this line (run = …)"), s);

  norm = s[0] == '|';
  if (norm) {
    if (sscanf (s, "|%1[ch]|:%d@%d%n", head, &layer, &t, &nread) != 3 || s[nread] != '\0')
      return fail (p, _("“%s” is not a quantity: write it as |c|:LAYER@T or |h|:LAYER@T"), s);
    q->kind = head[0] == 'c' ? GS_Q_CNORM : GS_Q_HNORM;
  } else {
    if (sscanf (s, "%2[a-z]:%d:%d@%d%n", head, &layer, &unit, &t, &nread) != 4 || s[nread] != '\0')
      return fail (p, _("“%s” is not a quantity: write a gate, c, h or ig as NAME:LAYER:UNIT@T, "
                        "for example f:1:3@2"), s);
    if (strcmp (head, "c") == 0)
      q->kind = GS_Q_C;
    else if (strcmp (head, "h") == 0)
      q->kind = GS_Q_H;
    else if (strcmp (head, "ig") == 0)
      q->kind = GS_Q_IG;
    else if (strcmp (head, "dc") == 0)
      q->kind = GS_Q_DC;
    else if (head[1] == '\0' && head[0] != 'h' && strchr (gs_cell_gate_letters (p->run.cell), head[0]) != NULL) {
      q->kind = GS_Q_GATE;
      q->gate = head[0];
    } else
      return fail (p, _("“%s”: the run's cell %s has no gate or state called %s"), s,
                   gs_cell_name (p->run.cell), head);
  }
  if ((q->kind == GS_Q_C || q->kind == GS_Q_IG || q->kind == GS_Q_DC || q->kind == GS_Q_CNORM) && p->run.cell != GS_CELL_LSTM)
    return fail (p, _("“%s”: only an LSTM has a cell state, and the run's cell is %s"), s, gs_cell_name (p->run.cell));
  if (layer < 1 || unit < 0 || t < 0 || t > 100000)
    return fail (p, _("“%s”: layers count from 1, units and timesteps from 0"), s);
  q->layer = layer - 1;
  q->unit = norm ? -1 : unit;
  q->t = t;
  return check_layer_unit (p, q->layer, norm ? 0 : unit);
}

/* `run = task=hello cell=lstm …` on top of the app's default run. */
static int
parse_run (Parser *p, char *value, GsTrainConfig *c)
{
  char *word[24];
  int n = split_words (value, word, 24);
  GsError err;

  gs_train_config_default (c);
  if (n > 24)
    return fail (p, _("too many settings on one line"));
  for (int k = 0; k < n; k++) {
    char *key = word[k], *v = strchr (key, '=');
    double x = 0;
    int i = 0;

    if (v == NULL) {
      GsVariant *va = &c->variant;
      if (strcmp (key, "peephole") == 0) va->peephole = true;
      else if (strcmp (key, "cifg") == 0) va->cifg = true;
      else if (strcmp (key, "no-forget-gate") == 0) va->no_forget_gate = true;
      else if (strcmp (key, "no-input-gate") == 0) va->no_input_gate = true;
      else if (strcmp (key, "no-output-gate") == 0) va->no_output_gate = true;
      else
        return fail (p, _("unknown run setting “%s”"), key);
      continue;
    }
    *v++ = '\0';
    if (strcmp (key, "task") == 0) {
      GsTaskSpec spec;
      if (snprintf (c->task, sizeof c->task, "%s", v) >= (int) sizeof c->task)
        return fail (p, _("the task is too long"));
      memset (&spec, 0, sizeof spec);
      /* a failed parse may hold the values read before the fault */
      int parsed = gs_task_spec_parse (&spec, v, &err);
      gs_task_spec_clear (&spec);
      if (parsed != GS_OK)
        return fail (p, "%s", err.msg);
    } else if (strcmp (key, "cell") == 0) {
      if (gs_cell_from_name (v, &c->cell) != GS_OK)
        return fail (p, _("unknown cell “%s”: rnn_tanh, rnn_relu, lstm or gru"), v);
    } else if (strcmp (key, "layers") == 0) {
      if (parse_int (p, "layers", v, 1, GS_MAX_LAYERS, &c->L) != GS_OK) return GS_FAIL;
    } else if (strcmp (key, "hidden") == 0) {
      if (parse_int (p, "hidden", v, 1, 512, &c->H) != GS_OK) return GS_FAIL;
    } else if (strcmp (key, "embed") == 0) {
      c->one_hot = strcmp (v, "onehot") == 0;
      if (!c->one_hot && parse_int (p, "embed", v, 1, 512, &c->E) != GS_OK) return GS_FAIL;
    } else if (strcmp (key, "seed") == 0) {
      if (parse_int (p, "seed", v, 0, 1000000000, &i) != GS_OK) return GS_FAIL;
      c->seed = (uint64_t) i;
    } else if (strcmp (key, "batch") == 0) {
      if (parse_int (p, "batch", v, 1, 256, &c->B) != GS_OK) return GS_FAIL;
    } else if (strcmp (key, "lr") == 0) {
      if (parse_num (p, "lr", v, &x) != GS_OK) return GS_FAIL;
      c->opt.lr = (float) x;
    } else if (strcmp (key, "clip") == 0) {
      if (parse_num (p, "clip", v, &x) != GS_OK) return GS_FAIL;
      c->clip = (float) x;
    } else if (strcmp (key, "forget-bias") == 0) {
      if (parse_num (p, "forget-bias", v, &x) != GS_OK) return GS_FAIL;
      c->variant.forget_bias = (float) x;
      c->variant.forget_bias_set = true;
    } else if (strcmp (key, "optimizer") == 0) {
      GsOptKind kind;
      float lr = c->opt.lr;
      if (gs_opt_from_name (v, &kind) != GS_OK)
        return fail (p, _("unknown optimizer “%s”"), v);
      gs_opt_config_default (&c->opt, kind);
      c->opt.lr = lr;
    } else
      return fail (p, _("unknown run setting “%s”"), key);
  }
  if (gs_train_config_validate (c, &err) != GS_OK)
    return fail (p, "%s", err.msg);
  return GS_OK;
}

static int
parse_intervention (Parser *p, GsIvKind kind, const char *value, GsLessonAction *a)
{
  GsError err;
  GsConfig mc;
  GsInterventions list;

  if (!p->have_run)
    return fail (p, _("an intervention needs a run set up before it (run = …)"));
  list.n = 0;
  if (gs_interventions_parse (&list, kind, value, &err) != GS_OK)
    return fail (p, "%s", err.msg);
  if (kind != GS_IV_WEIGHT) {   /* a weight's tensor shape needs the task: checked when it runs */
    memset (&mc, 0, sizeof mc);
    mc.cell = p->run.cell;
    mc.input = p->run.one_hot ? GS_INPUT_ONEHOT : GS_INPUT_EMBED;
    mc.V = mc.O = 1;
    mc.E = p->run.one_hot ? 0 : p->run.E;
    mc.H = p->run.H;
    mc.L = p->run.L;
    mc.variant = p->run.variant;
    if (gs_interventions_validate (&list, &mc, &err) != GS_OK)
      return fail (p, "%s", err.msg);
  }
  if (list.n > 0) {
    a->iv = malloc ((size_t) list.n * sizeof *a->iv);
    if (a->iv == NULL)
      return fail (p, _("out of memory"));
    memcpy (a->iv, list.item, (size_t) list.n * sizeof *a->iv);
  }
  a->n_iv = list.n;
  return GS_OK;
}

static GsLessonAction *
new_action (Parser *p, GsLessonActionKind kind)
{
  GsLessonStep *st = p->step;
  GsLessonAction *a;

  if (st->n_actions == GS_LESSON_MAX_ACTIONS) {
    fail (p, _("a step can have at most %d actions"), GS_LESSON_MAX_ACTIONS);
    return NULL;
  }
  /* one more each time: a step has a few actions, 16 at most */
  a = realloc (st->action, (size_t) (st->n_actions + 1) * sizeof *a);
  if (a == NULL) {
    fail (p, _("out of memory"));
    return NULL;
  }
  st->action = a;
  a = &st->action[st->n_actions++];
  memset (a, 0, sizeof *a);
  a->kind = kind;
  a->line = p->line;
  return a;
}

static int
parse_count (Parser *p, const char *key, const char *value, int *n)
{
  if (strcmp (value, "all") == 0) {
    *n = -1;
    return GS_OK;
  }
  return parse_int (p, key, value, 1, 100000, n);
}

static bool
valid_key (const char *s)
{
  if (*s == '\0' || strlen (s) >= GS_LESSON_NAME_MAX)
    return false;
  for (; *s != '\0'; s++)
    if (*s == ' ' || *s == '=' || *s == '|')
      return false;
  return true;
}

static int
parse_answer (Parser *p, char *value, GsLessonQuestion *q)
{
  char *word[GS_LESSON_MAX_OPERANDS + 4];
  int n = split_words (value, word, GS_LESSON_MAX_OPERANDS + 4), first = 1;
  const char *rule = n > 0 ? word[0] : "";

  if (q->line != 0)
    return fail (p, _("this key is given twice"));
  q->line = p->line;
  q->margin = 0.001;
  q->tol = 0.00001;
  if (n == 0 || n > GS_LESSON_MAX_OPERANDS + 3)
    return fail (p, _("write the rule and what it reads, for example: answer = closest-gate 1 1:3@2"));
  /* Options at the end: margin=, tol=. */
  while (n > 1 && (strncmp (word[n - 1], "margin=", 7) == 0 || strncmp (word[n - 1], "tol=", 4) == 0)) {
    bool margin = word[n - 1][0] == 'm';
    if (parse_num (p, margin ? "margin" : "tol", strchr (word[n - 1], '=') + 1, margin ? &q->margin : &q->tol) != GS_OK)
      return GS_FAIL;
    if ((margin ? q->margin : q->tol) < 0)
      return fail (p, _("%s cannot be negative"), margin ? "margin" : "tol");
    n--;
  }
  if (strcmp (rule, "closest-gate") == 0) {
    int layer, unit, t, nread = 0;
    q->rule = GS_RULE_CLOSEST_GATE;
    if (n != 3)
      return fail (p, _("closest-gate takes a value and LAYER:UNIT@T, for example: closest-gate 1 1:3@2"));
    if (parse_num (p, "closest-gate", word[1], &q->value) != GS_OK)
      return GS_FAIL;
    if (!p->have_run)
      return fail (p, _("a question on the network needs a run set up before it (run = …)"));
    if (sscanf (word[2], "%d:%d@%d%n", &layer, &unit, &t, &nread) != 3 || word[2][nread] != '\0'
        || layer < 1 || unit < 0 || t < 0)
      return fail (p, _("“%s” is not LAYER:UNIT@T (layers from 1, units and timesteps from 0)"), word[2]);
    memset (&q->at, 0, sizeof q->at);
    q->at.layer = layer - 1;
    q->at.unit = unit;
    q->at.t = t;
    return check_layer_unit (p, q->at.layer, unit);
  }
  if (strcmp (rule, "predicted") == 0) {
    int t, nread = 0;
    q->rule = GS_RULE_PREDICTED;
    if (!p->have_run)
      return fail (p, _("a question on the network needs a run set up before it (run = …)"));
    if (n != 2 || sscanf (word[1], "@%d%n", &t, &nread) != 1 || word[1][nread] != '\0' || t < 0)
      return fail (p, _("predicted takes the timestep as @T, for example: predicted @2"));
    memset (&q->at, 0, sizeof q->at);
    q->at.t = t;
    return GS_OK;
  }
  if (strcmp (rule, "compare") == 0 || strcmp (rule, "sign") == 0) {
    bool cmp = rule[0] == 'c';
    q->rule = cmp ? GS_RULE_COMPARE : GS_RULE_SIGN;
    if (n != (cmp ? 3 : 2))
      return fail (p, cmp ? _("compare takes two quantities, for example: compare c:1:0@3 c:1:0@2")
                          : _("sign takes one quantity, for example: sign c:1:0@3"));
    q->n_operands = n - 1;
    for (int k = 1; k < n; k++)
      if (parse_quantity (p, word[k], &q->operand[k - 1]) != GS_OK)
        return GS_FAIL;
    return GS_OK;
  }
  if (strcmp (rule, "closest") == 0) {
    q->rule = GS_RULE_CLOSEST;
    if (n < 2 || parse_num (p, "closest", word[1], &q->value) != GS_OK)
      return n < 2 ? fail (p, _("closest takes a value, then KEY=QUANTITY for each choice")) : GS_FAIL;
    first = 2;
  } else if (strcmp (rule, "lowest") == 0)
    q->rule = GS_RULE_LOWEST;
  else if (strcmp (rule, "highest") == 0)
    q->rule = GS_RULE_HIGHEST;
  else
    return fail (p, _("unknown rule “%s”: closest-gate, closest, lowest, highest, compare, sign or predicted"), rule);
  if (n - first < 2)
    return fail (p, _("%s needs at least two KEY=QUANTITY to choose from"), rule);
  if (n - first > GS_LESSON_MAX_OPERANDS)
    return fail (p, _("%s can choose from at most %d KEY=QUANTITY"), rule, GS_LESSON_MAX_OPERANDS);
  for (int k = first; k < n; k++) {
    char *eq = strchr (word[k], '=');
    int o = q->n_operands;
    if (eq == NULL)
      return fail (p, _("“%s” is not KEY=QUANTITY"), word[k]);
    *eq = '\0';
    if (!valid_key (word[k]))
      return fail (p, _("“%s” cannot be a key: at most %d characters, without spaces, = or |"), word[k],
                   GS_LESSON_NAME_MAX - 1);
    for (int j = 0; j < o; j++)
      if (strcmp (q->key[j], word[k]) == 0)
        return fail (p, _("the key “%s” is given twice"), word[k]);
    snprintf (q->key[o], sizeof q->key[o], "%s", word[k]);
    if (parse_quantity (p, eq + 1, &q->operand[o]) != GS_OK)
      return GS_FAIL;
    q->n_operands++;
  }
  return GS_OK;
}

/* `choice = KEY | English | Chinese` */
static int
parse_choice (Parser *p, char *value, GsLessonQuestion *q)
{
  char *part[3];
  int n = 0;
  GsLessonChoice *c;

  if (q->n_choices == GS_LESSON_MAX_CHOICES)
    return fail (p, _("a question can have at most %d choices"), GS_LESSON_MAX_CHOICES);
  for (char *s = value; n < 3; n++) {
    char *bar = strchr (s, '|');
    char *end;
    while (*s == ' ')
      s++;
    part[n] = s;
    end = bar != NULL ? bar : s + strlen (s);
    if (bar != NULL)
      *bar = '\0';
    while (end > s && end[-1] == ' ')
      *--end = '\0';
    if (bar == NULL) {
      n++;
      break;
    }
    s = bar + 1;
    if (n == 2)
      return fail (p, _("a choice is KEY | English | Chinese: it has more than three parts"));
  }
  if (n < 2 || part[1][0] == '\0')
    return fail (p, _("a choice is KEY | English | Chinese, for example: choice = f | the forget gate | 遗忘门"));
  if (!valid_key (part[0]))
    return fail (p, _("“%s” cannot be a key: at most %d characters, without spaces, = or |"), part[0],
                 GS_LESSON_NAME_MAX - 1);
  for (int j = 0; j < q->n_choices; j++)
    if (strcmp (q->choice[j].key, part[0]) == 0)
      return fail (p, _("two choices have the key “%s”"), part[0]);
  c = &q->choice[q->n_choices++];
  memset (c, 0, sizeof *c);
  snprintf (c->key, sizeof c->key, "%s", part[0]);
  c->label.s[GS_LANG_EN] = strdup (part[1]);
  if (n == 3 && part[2][0] != '\0')
    c->label.s[GS_LANG_ZH] = strdup (part[2]);
  if (c->label.s[GS_LANG_EN] == NULL || (n == 3 && part[2][0] != '\0' && c->label.s[GS_LANG_ZH] == NULL))
    return fail (p, _("out of memory"));
  return GS_OK;
}

static bool
key_in (const char *key, const char *const *set)
{
  for (; *set != NULL; set++)
    if (strcmp (key, *set) == 0)
      return true;
  return false;
}

/* Whether the rule can only pick a choice, and every choice can be picked. */
static int
check_question (Parser *p, GsLessonStep *st)
{
  static const char *const cmp_keys[] = { "less", "equal", "greater", NULL };
  static const char *const sign_keys[] = { "negative", "zero", "positive", NULL };
  GsLessonQuestion *q = &st->question;

  p->line = st->line;
  if (q->text.s[GS_LANG_EN] == NULL)
    return fail (p, _("this step has no question = …, but has an answer or choices"));
  if (q->line == 0)
    return fail (p, _("the question has no rule (answer = …)"));
  p->line = q->line;
  if (q->n_choices < 2)
    return fail (p, _("the question needs at least two choices (choice = …)"));
  for (int j = 0; j < q->n_choices; j++) {
    const char *key = q->choice[j].key;
    bool ok = true;
    switch (q->rule) {
    case GS_RULE_COMPARE: ok = key_in (key, cmp_keys); break;
    case GS_RULE_SIGN: ok = key_in (key, sign_keys); break;
    case GS_RULE_CLOSEST_GATE:
      ok = key[1] == '\0' && strchr (gs_cell_gate_letters (p->run.cell), key[0]) != NULL;
      break;
    case GS_RULE_CLOSEST:
    case GS_RULE_LOWEST:
    case GS_RULE_HIGHEST:
      ok = false;
      for (int k = 0; k < q->n_operands; k++)
        ok = ok || strcmp (q->key[k], key) == 0;
      break;
    case GS_RULE_PREDICTED:
      break;
    }
    if (!ok)
      return fail (p, _("the rule can never answer the choice “%s”"), key);
  }
  /* Every answer the rule can give must be a choice. */
  if (q->rule == GS_RULE_CLOSEST_GATE) {
    for (const char *g = gs_cell_gate_letters (p->run.cell); *g != '\0'; g++) {
      bool found = false;
      for (int j = 0; j < q->n_choices; j++)
        found = found || (q->choice[j].key[0] == *g && q->choice[j].key[1] == '\0');
      if (!found)
        return fail (p, _("the rule can answer the gate %c, which is not a choice"), *g);
    }
  } else if (q->rule == GS_RULE_CLOSEST || q->rule == GS_RULE_LOWEST || q->rule == GS_RULE_HIGHEST) {
    for (int k = 0; k < q->n_operands; k++) {
      bool found = false;
      for (int j = 0; j < q->n_choices; j++)
        found = found || strcmp (q->key[k], q->choice[j].key) == 0;
      if (!found)
        return fail (p, _("the rule can answer “%s”, which is not a choice"), q->key[k]);
    }
  }
  return GS_OK;
}

static int
end_step (Parser *p)
{
  GsLessonStep *st = p->step;
  int line = p->line, rc = GS_OK;

  if (st == NULL)
    return GS_OK;
  if (st->text.s[GS_LANG_EN] == NULL) {
    p->line = st->line;
    rc = fail (p, _("the step has no text (text = …)"));
  } else if (st->has_question)
    rc = check_question (p, st);
  p->line = line;
  return rc;
}

/* Which language a key's suffix names: "" English, ".zh" Chinese. */
static int
split_lang (char *key, GsLang *lang)
{
  char *dot = strchr (key, '.');

  *lang = GS_LANG_EN;
  if (dot == NULL)
    return GS_OK;
  if (strcmp (dot, ".zh") != 0 && strcmp (dot, ".zh_CN") != 0)
    return GS_FAIL;
  *dot = '\0';
  *lang = GS_LANG_ZH;
  return GS_OK;
}

static int
parse_line (Parser *p, char *key, char *value)
{
  GsLesson *l = p->lesson;
  GsLessonStep *st = p->step;
  GsLessonAction *a;
  GsLang lang;
  static const struct { const char *key; GsIvKind kind; } ivs[] = {
    { "clamp", GS_IV_CLAMP }, { "set-c", GS_IV_SET_C }, { "set-h", GS_IV_SET_H },
    { "ablate", GS_IV_ABLATE }, { "set-weight", GS_IV_WEIGHT },
  };

  if (split_lang (key, &lang) != GS_OK)
    return fail (p, _("unknown language in the key “%s”: write KEY for English and KEY.zh for Chinese"), key);
  if (st == NULL) {
    if (strcmp (key, "title") == 0)
      return text_add (p, &l->title, lang, value, false);
    if (strcmp (key, "summary") == 0)
      return text_add (p, &l->summary, lang, value, true);
    return fail (p, _("unknown key “%s” before the first [step]: title or summary"), key);
  }
  if (lang != GS_LANG_EN && strcmp (key, "title") != 0 && strcmp (key, "text") != 0
      && strcmp (key, "question") != 0 && strcmp (key, "explain") != 0)
    return fail (p, _("the key “%s” has no translation: only title, text, question and explain do"), key);
  if (strcmp (key, "title") == 0)
    return text_add (p, &st->title, lang, value, false);
  if (strcmp (key, "text") == 0)
    return text_add (p, &st->text, lang, value, true);
  if (strcmp (key, "question") == 0) {
    st->has_question = true;
    return text_add (p, &st->question.text, lang, value, false);
  }
  if (strcmp (key, "explain") == 0)
    return text_add (p, &st->question.explain, lang, value, true);
  if (strcmp (key, "answer") == 0) {
    st->has_question = true;
    return parse_answer (p, value, &st->question);
  }
  if (strcmp (key, "choice") == 0) {
    st->has_question = true;
    return parse_choice (p, value, &st->question);
  }
  if (strcmp (key, "run") == 0) {
    GsTrainConfig run;
    if ((a = new_action (p, GS_ACT_RUN)) == NULL || parse_run (p, value, &run) != GS_OK)
      return GS_FAIL;
    if ((a->run = malloc (sizeof *a->run)) == NULL)
      return fail (p, _("out of memory"));
    *a->run = run;
    p->run = run;
    p->have_run = true;
    return GS_OK;
  }
  if (strcmp (key, "train") == 0 || strcmp (key, "train-until-solved") == 0) {
    bool solved = key[5] != '\0';
    if (!p->have_run)
      return fail (p, _("training needs a run set up before it (run = …)"));
    if ((a = new_action (p, solved ? GS_ACT_TRAIN_SOLVED : GS_ACT_TRAIN)) == NULL)
      return GS_FAIL;
    return parse_int (p, key, value, 1, 5000, &a->n);
  }
  if (strcmp (key, "forward") == 0 || strcmp (key, "backward") == 0) {
    if (!p->have_run)
      return fail (p, _("stepping needs a run set up before it (run = …)"));
    if ((a = new_action (p, key[0] == 'f' ? GS_ACT_FORWARD : GS_ACT_BACKWARD)) == NULL)
      return GS_FAIL;
    return parse_count (p, key, value, &a->n);
  }
  for (size_t k = 0; k < sizeof ivs / sizeof ivs[0]; k++)
    if (strcmp (key, ivs[k].key) == 0) {
      if ((a = new_action (p, GS_ACT_INTERVENE)) == NULL)
        return GS_FAIL;
      return parse_intervention (p, ivs[k].kind, value, a);
    }
  if (strcmp (key, "release") == 0) {
    if (strcmp (value, "all") != 0)
      return fail (p, _("write release = all"));
    return new_action (p, GS_ACT_RELEASE) != NULL ? GS_OK : GS_FAIL;
  }
  if (strcmp (key, "remember") == 0) {
    char *word[3];
    int n = split_words (value, word, 2);
    if (n != 2 || !valid_key (word[0]) || word[0][0] == '$')
      return fail (p, _("write remember = NAME QUANTITY, for example: remember rnn metric"));
    if ((a = new_action (p, GS_ACT_REMEMBER)) == NULL || parse_quantity (p, word[1], &a->q) != GS_OK)
      return GS_FAIL;
    snprintf (a->name, sizeof a->name, "%s", word[0]);
    for (int k = 0; k < p->n_saved; k++)
      if (strcmp (p->saved[k], word[0]) == 0)
        return GS_OK;
    if (p->n_saved == GS_LESSON_MAX_SAVED)
      return fail (p, _("a lesson can remember at most %d numbers"), GS_LESSON_MAX_SAVED);
    snprintf (p->saved[p->n_saved++], GS_LESSON_NAME_MAX, "%s", word[0]);
    return GS_OK;
  }
  if (strcmp (key, "point") == 0) {
    char *word[5];
    int n = split_words (value, word, 4);
    if (n < 1 || n > 4 || !key_in (word[0], gs_lesson_views))
      return fail (p, _("point names a view (unrolled, cell, prediction, loss, heatmaps or gradients), "
                        "then unit=, t= or layer="));
    snprintf (st->point, sizeof st->point, "%s", word[0]);
    for (int k = 1; k < n; k++) {
      int *slot = strncmp (word[k], "unit=", 5) == 0 ? &st->point_unit
                : strncmp (word[k], "t=", 2) == 0 ? &st->point_t
                : strncmp (word[k], "layer=", 6) == 0 ? &st->point_layer : NULL;
      if (slot == NULL)
        return fail (p, _("unknown point setting “%s”: unit=, t= or layer="), word[k]);
      if (parse_int (p, word[k], strchr (word[k], '=') + 1, slot == &st->point_layer ? 1 : 0, 100000, slot) != GS_OK)
        return GS_FAIL;
      if (slot == &st->point_layer)
        st->point_layer--;
    }
    return GS_OK;
  }
  if (strcmp (key, "compare") == 0) {
    if (strcmp (value, "open") != 0)
      return fail (p, _("write compare = open"));
    st->open_compare = true;
    return GS_OK;
  }
  return fail (p, _("unknown key “%s”"), key);
}

static char *
trim (char *s)
{
  char *end = s + strlen (s);

  while (*s == ' ' || *s == '\t')
    s++;
  while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
    *--end = '\0';
  return s;
}

void
gs_lesson_free (GsLesson *lesson)
{
  if (lesson == NULL)
    return;
  for (int i = 0; i < lesson->n_steps; i++) {
    GsLessonStep *st = &lesson->step[i];
    text_clear (&st->title);
    text_clear (&st->text);
    text_clear (&st->question.text);
    text_clear (&st->question.explain);
    for (int j = 0; j < st->question.n_choices; j++)
      text_clear (&st->question.choice[j].label);
    for (int k = 0; k < st->n_actions; k++) {
      free (st->action[k].run);
      free (st->action[k].iv);
    }
    free (st->action);
  }
  text_clear (&lesson->title);
  text_clear (&lesson->summary);
  free (lesson->step);
  free (lesson->path);
  free (lesson);
}

GsLesson *
gs_lesson_parse (const char *text, size_t len, const char *name, GsError *err)
{
  Parser p;
  char line[4096];
  size_t pos = 0;
  int n_alloc = 0;   /* steps allocated in lesson->step */

  memset (&p, 0, sizeof p);
  p.name = name;
  p.err = err;
  if (len > GS_LESSON_MAX_BYTES) {
    gs_error_set (err, _("%s: a lesson can be at most %d KiB"), name, GS_LESSON_MAX_BYTES / 1024);
    return NULL;
  }
  p.lesson = calloc (1, sizeof *p.lesson);
  if (p.lesson != NULL) {
    p.lesson->path = strdup (name);
  }
  if (p.lesson == NULL || p.lesson->path == NULL) {
    gs_error_set (err, _("out of memory"));
    gs_lesson_free (p.lesson);
    return NULL;
  }
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    pos = 3;   /* a byte-order mark */
  while (pos < len) {
    const char *nl = memchr (text + pos, '\n', len - pos);
    size_t n = nl != NULL ? (size_t) (nl - (text + pos)) : len - pos;
    char *s, *eq;

    p.line++;
    if (n >= sizeof line) {
      fail (&p, _("the line is longer than %d bytes"), (int) sizeof line - 1);
      goto fail;
    }
    memcpy (line, text + pos, n);
    line[n] = '\0';
    pos += n + 1;
    if (memchr (line, '\0', n) != NULL) {
      fail (&p, _("the file is not text (it holds a zero byte)"));
      goto fail;
    }
    s = trim (line);
    if (*s == '\0' || *s == '#')
      continue;
    if (strcmp (s, "[step]") == 0) {
      if (end_step (&p) != GS_OK)
        goto fail;
      if (p.lesson->n_steps == GS_LESSON_MAX_STEPS) {
        fail (&p, _("a lesson can have at most %d steps"), GS_LESSON_MAX_STEPS);
        goto fail;
      }
      /* Steps are grown on demand (a step is ~1.3 KB without its texts
       * and actions; most lessons have a dozen): p.step is re-pointed
       * after each growth, and only the step being read is ever pointed
       * at. */
      if (p.lesson->n_steps == n_alloc) {
        int grow = n_alloc == 0 ? 8 : 2 * n_alloc;
        GsLessonStep *grown;
        if (grow > GS_LESSON_MAX_STEPS)
          grow = GS_LESSON_MAX_STEPS;
        grown = realloc (p.lesson->step, (size_t) grow * sizeof *grown);
        if (grown == NULL) {
          gs_error_set (err, _("out of memory"));
          goto fail;
        }
        memset (grown + n_alloc, 0, (size_t) (grow - n_alloc) * sizeof *grown);
        p.lesson->step = grown;
        n_alloc = grow;
      }
      p.step = &p.lesson->step[p.lesson->n_steps++];
      p.step->line = p.line;
      p.step->point_unit = p.step->point_t = p.step->point_layer = -1;
      continue;
    }
    if (*s == '[') {
      fail (&p, _("unknown section “%s”: the only section is [step]"), s);
      goto fail;
    }
    eq = strchr (s, '=');
    if (eq == NULL) {
      fail (&p, _("expected KEY = VALUE or [step], not “%s”"), s);
      goto fail;
    }
    *eq = '\0';
    if (parse_line (&p, trim (s), trim (eq + 1)) != GS_OK)
      goto fail;
  }
  p.line++;
  if (end_step (&p) != GS_OK)
    goto fail;
  if (p.lesson->title.s[GS_LANG_EN] == NULL) {
    gs_error_set (err, _("%s: the lesson has no title (title = … before the first [step])"), name);
    goto fail;
  }
  if (p.lesson->n_steps == 0) {
    gs_error_set (err, _("%s: the lesson has no steps ([step])"), name);
    goto fail;
  }
  return p.lesson;

fail:
  gs_lesson_free (p.lesson);
  return NULL;
}

GsLesson *
gs_lesson_load (const char *path, GsError *err)
{
  FILE *f = fopen (path, "rb");
  char *buf;
  size_t n;
  GsLesson *l;

  if (f == NULL) {
    gs_error_set (err, _("cannot open %s: %s"), path, strerror (errno));
    return NULL;
  }
  buf = malloc (GS_LESSON_MAX_BYTES + 1);
  if (buf == NULL) {
    fclose (f);
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  n = fread (buf, 1, GS_LESSON_MAX_BYTES + 1, f);
  if (ferror (f)) {
    gs_error_set (err, _("cannot read %s: %s"), path, strerror (errno));
    fclose (f);
    free (buf);
    return NULL;
  }
  fclose (f);
  l = gs_lesson_parse (buf, n, path, err);
  free (buf);
  return l;
}

/* ------------------------------------------------------------------------ */
/* Playing                                                                  */
/* ------------------------------------------------------------------------ */

void
gs_lesson_runner_init (GsLessonRunner *r, const GsLesson *lesson)
{
  memset (r, 0, sizeof *r);
  r->lesson = lesson;
}

/* Recomputes the current sequence up to where it was, after the
 * interventions changed (gs_model_set_interventions rewinds the model). */
static void
restep (GsStepper *s)
{
  const int n_fwd = s->n_fwd, n_bwd = s->n_bwd;
  GsError err;

  if (s->phase == GS_PHASE_IDLE)
    return;
  if (s->phase == GS_PHASE_UPDATED) {
    gs_stepper_next_sequence (s);
    return;
  }
  if (s->trainer->decoder != NULL)
    gs_model_rewind (s->trainer->decoder);
  s->n_fwd = s->n_bwd = 0;
  s->phase = GS_PHASE_IDLE;
  for (int i = 0; i < n_fwd; i++)
    gs_stepper_forward_step (s, &err);
  for (int i = 0; i < n_bwd; i++)
    gs_stepper_backward_step (s, &err);
}

/* The model's interventions become `list` (NULL or empty: none). */
static int
apply_interventions (GsStepper *s, const GsInterventions *list, GsError *err)
{
  GsModel *m = gs_stepper_model (s, GS_PART_NONE);

  if (gs_model_set_interventions (m, list, err) != GS_OK)
    return GS_FAIL;
  restep (s);
  return GS_OK;
}

/* The interventions in effect: the model's one list, which the lesson's and
 * the user's share (the window lists them all). */
static GsInterventions
interventions_now (GsStepper *s)
{
  const GsModel *m = gs_stepper_model (s, GS_PART_NONE);
  GsInterventions list = { .n = 0 };

  if (m->iv != NULL)
    list = *m->iv;
  return list;
}

static bool
same_intervention (const GsIntervention *a, const GsIntervention *b)
{
  return a->kind == b->kind && a->layer == b->layer && a->gate == b->gate && a->u0 == b->u0 && a->u1 == b->u1
         && a->t == b->t && a->value == b->value && a->row == b->row && a->col == b->col
         && strcmp (a->tensor, b->tensor) == 0;
}

int
gs_lesson_runner_release (GsLessonRunner *r, GsStepper *s, GsError *err)
{
  GsInterventions list;
  int n = 0;

  if (r->iv.n == 0)
    return GS_OK;
  /* those the lesson added and the user has not removed; the user's stay */
  list = interventions_now (s);
  for (int i = 0; i < list.n; i++) {
    bool lessons = false;
    for (int k = 0; k < r->iv.n && !lessons; k++)
      lessons = same_intervention (&list.item[i], &r->iv.item[k]);
    if (!lessons)
      list.item[n++] = list.item[i];
  }
  list.n = n;
  r->iv.n = 0;
  return apply_interventions (s, &list, err);
}

static int
forward_to (GsStepper *s, int n, GsError *err)
{
  const int len = gs_stepper_forward_len (s);

  if (n < 0)
    n = len;
  if (n > len)
    return gs_error_set (err, _("the sequence has %d timesteps, not %d"), len, n);
  if (s->phase == GS_PHASE_UPDATED || s->phase == GS_PHASE_BACKWARD)
    gs_stepper_next_sequence (s);
  while (s->n_fwd > n)
    if (gs_stepper_undo (s, err) != GS_OK)
      return GS_FAIL;
  while (s->n_fwd < n)
    if (gs_stepper_forward_step (s, err) != GS_OK)
      return GS_FAIL;
  return GS_OK;
}

static int
backward (GsStepper *s, int n, GsError *err)
{
  const int len = gs_stepper_forward_len (s);

  if (n > len)
    return gs_error_set (err, _("the sequence has %d timesteps, not %d"), len, n);
  if (s->phase == GS_PHASE_UPDATED)
    gs_stepper_next_sequence (s);
  while (s->n_fwd < len)
    if (gs_stepper_forward_step (s, err) != GS_OK)
      return GS_FAIL;
  if (n < 0)
    n = len;
  while (s->n_bwd > n)
    if (gs_stepper_undo (s, err) != GS_OK)
      return GS_FAIL;
  while (s->n_bwd < n)
    if (gs_stepper_backward_step (s, err) != GS_OK)
      return GS_FAIL;
  return GS_OK;
}

static int
train (GsStepper *s, int n, bool until_solved, GsError *err)
{
  for (int k = 1; k <= n; k++) {
    if (gs_stepper_train_step (s, err) != GS_OK)
      return GS_FAIL;
    if (until_solved && (k % 10 == 0 || k == n)) {
      GsTaskEval ev;
      if (gs_trainer_evaluate (s->trainer, &ev, err) != GS_OK)
        return GS_FAIL;
      if (ev.solved)
        break;
    }
  }
  return GS_OK;
}

static int
run_action (GsLessonRunner *r, GsStepper *s, const GsLessonAction *a, GsError *err)
{
  switch (a->kind) {
  case GS_ACT_RUN:
    if (gs_stepper_reset (s, a->run, err) != GS_OK)
      return GS_FAIL;
    r->iv.n = 0;
    return GS_OK;
  case GS_ACT_TRAIN:
  case GS_ACT_TRAIN_SOLVED:
    return train (s, a->n, a->kind == GS_ACT_TRAIN_SOLVED, err);
  case GS_ACT_FORWARD:
    return forward_to (s, a->n, err);
  case GS_ACT_BACKWARD:
    return backward (s, a->n, err);
  case GS_ACT_INTERVENE: {
    GsInterventions list = interventions_now (s);
    if (list.n + a->n_iv > GS_MAX_INTERVENTIONS || r->iv.n + a->n_iv > GS_MAX_INTERVENTIONS)
      return gs_error_set (err, _("at most %d interventions can be in effect"), GS_MAX_INTERVENTIONS);
    for (int k = 0; k < a->n_iv; k++)
      list.item[list.n++] = a->iv[k];
    if (apply_interventions (s, &list, err) != GS_OK)
      return GS_FAIL;
    for (int k = 0; k < a->n_iv; k++)
      r->iv.item[r->iv.n++] = a->iv[k];
    return GS_OK;
  }
  case GS_ACT_RELEASE:
    r->iv.n = 0;
    return apply_interventions (s, NULL, err);
  case GS_ACT_REMEMBER: {
    double v;
    int k;
    if (gs_lesson_quantity (r, s, &a->q, &v, err) != GS_OK)
      return GS_FAIL;
    for (k = 0; k < r->n_saved && strcmp (r->saved_name[k], a->name) != 0; k++)
      ;
    if (k == GS_LESSON_MAX_SAVED)
      return gs_error_set (err, _("a lesson can remember at most %d numbers"), GS_LESSON_MAX_SAVED);
    if (k == r->n_saved)
      snprintf (r->saved_name[r->n_saved++], GS_LESSON_NAME_MAX, "%s", a->name);
    r->saved_value[k] = v;
    return GS_OK;
  }
  }
  return gs_error_set (err, _("unknown action"));
}

static const float *
layer_row (const GsModel *m, const float *base, int t, int width)
{
  return base + (size_t) t * m->B * width;   /* batch element 0 */
}

int
gs_lesson_quantity (const GsLessonRunner *r, GsStepper *s, const GsQuantity *q, double *out, GsError *err)
{
  GsModel *m = gs_stepper_model (s, GS_PART_NONE);
  const GsLayerState *ls;
  const int H = m->cfg.H, G = m->G, P = m->P;
  double sum = 0;

  switch (q->kind) {
  case GS_Q_SAVED:
    for (int k = 0; k < r->n_saved; k++)
      if (strcmp (r->saved_name[k], q->name) == 0) {
        *out = r->saved_value[k];
        return GS_OK;
      }
    return gs_error_set (err, _("nothing is remembered as “%s” yet"), q->name);
  case GS_Q_LOSS:
    *out = s->trainer->last_loss;
    return GS_OK;
  case GS_Q_EPOCH:
    *out = s->trainer->epoch;
    return GS_OK;
  case GS_Q_PARAMS:
    *out = (double) m->n_params;
    return GS_OK;
  case GS_Q_EVAL_LOSS:
  case GS_Q_METRIC: {
    GsTaskEval ev;
    if (gs_trainer_evaluate (s->trainer, &ev, err) != GS_OK)
      return GS_FAIL;
    *out = q->kind == GS_Q_METRIC ? ev.metric : ev.loss;
    return GS_OK;
  }
  default:
    break;
  }
  if (q->layer >= m->cfg.L || q->unit >= H)
    return gs_error_set (err, _("the network has no layer %d, unit %d"), q->layer + 1, q->unit);
  if (q->t >= m->t_fwd)
    return gs_error_set (err, _("t = %d is not computed yet: the forward pass has computed %d timestep(s)"),
                         q->t, m->t_fwd);
  ls = &m->layer[q->layer];
  switch (q->kind) {
  case GS_Q_GATE: {
    const char *letters = gs_cell_gate_letters (m->cfg.cell), *at = strchr (letters, q->gate);
    if (at == NULL || q->gate == '\0')
      return gs_error_set (err, _("the cell %s has no gate %c"), gs_cell_name (m->cfg.cell), q->gate);
    *out = layer_row (m, ls->act, q->t, G * H)[(at - letters) * H + q->unit];
    return GS_OK;
  }
  case GS_Q_C:
  case GS_Q_IG:
  case GS_Q_DC:
  case GS_Q_CNORM:
    if (ls->c == NULL)
      return gs_error_set (err, _("only an LSTM has a cell state"));
    if (q->kind == GS_Q_C) {
      *out = layer_row (m, ls->c, q->t, H)[q->unit];
    } else if (q->kind == GS_Q_DC) {
      *out = (double) layer_row (m, ls->c, q->t, H)[q->unit] - layer_row (m, ls->cprev, q->t, H)[q->unit];
    } else if (q->kind == GS_Q_IG) {
      const float *act = layer_row (m, ls->act, q->t, G * H);
      *out = (double) act[0 * H + q->unit] * act[2 * H + q->unit];   /* rows i, f, g, o */
    } else {
      const float *c = layer_row (m, ls->c, q->t, H);
      for (int u = 0; u < H; u++)
        sum += (double) c[u] * c[u];
      *out = sqrt (sum);
    }
    return GS_OK;
  case GS_Q_H:
    *out = layer_row (m, ls->h, q->t, P)[q->unit];
    return GS_OK;
  case GS_Q_HNORM: {
    const float *h = layer_row (m, ls->h, q->t, P);
    for (int u = 0; u < P; u++)
      sum += (double) h[u] * h[u];
    *out = sqrt (sum);
    return GS_OK;
  }
  default:
    break;
  }
  return gs_error_set (err, _("unknown quantity"));
}

static int
find_choice (const GsLessonQuestion *q, const char *key)
{
  for (int j = 0; j < q->n_choices; j++)
    if (strcmp (q->choice[j].key, key) == 0)
      return j;
  return -1;
}

/* The key the rule answers on the live values. */
static int
rule_key (const GsLessonRunner *r, GsStepper *s, const GsLessonQuestion *q, char *key, size_t key_size, GsError *err)
{
  double v[GS_LESSON_MAX_OPERANDS];
  char keys[GS_LESSON_MAX_OPERANDS][GS_LESSON_NAME_MAX];
  int n = q->n_operands;

  if (q->rule == GS_RULE_PREDICTED) {
    GsModel *m = gs_stepper_loss_model (s);
    const GsTask *task = &s->trainer->task;
    const char *const *labels = task->T_dec > 0 ? task->out_vocab : task->out_vocab != NULL ? task->out_vocab : task->vocab;
    int k;
    if (q->at.t >= m->t_fwd)
      return gs_error_set (err, _("t = %d is not computed yet: the forward pass has computed %d timestep(s)"),
                           q->at.t, m->t_fwd);
    if (labels == NULL || m->probs == NULL)
      return gs_error_set (err, _("this task predicts numbers, not characters"));
    k = gs_model_predict (m, q->at.t, 0);
    snprintf (key, key_size, "%s", labels[k]);
    return GS_OK;
  }
  if (q->rule == GS_RULE_CLOSEST_GATE) {
    const char *letters = gs_cell_gate_letters (gs_stepper_model (s, GS_PART_NONE)->cfg.cell);
    n = 0;
    for (const char *g = letters; *g != '\0' && n < GS_LESSON_MAX_OPERANDS; g++, n++) {
      GsQuantity gq = q->at;
      gq.kind = GS_Q_GATE;
      gq.gate = *g;
      if (gs_lesson_quantity (r, s, &gq, &v[n], err) != GS_OK)
        return GS_FAIL;
      snprintf (keys[n], sizeof keys[n], "%c", *g);
    }
  } else {
    for (int k = 0; k < n; k++) {
      if (gs_lesson_quantity (r, s, &q->operand[k], &v[k], err) != GS_OK)
        return GS_FAIL;
      snprintf (keys[k], sizeof keys[k], "%s", q->key[k]);
    }
  }
  if (q->rule == GS_RULE_COMPARE || q->rule == GS_RULE_SIGN) {
    double d = q->rule == GS_RULE_COMPARE ? v[0] - v[1] : v[0];
    const bool cmp = q->rule == GS_RULE_COMPARE;
    snprintf (key, key_size, "%s", fabs (d) <= q->tol ? (cmp ? "equal" : "zero")
                                   : d < 0 ? (cmp ? "less" : "negative") : (cmp ? "greater" : "positive"));
    return GS_OK;
  }
  {
    /* CLOSEST, CLOSEST_GATE, LOWEST, HIGHEST: the best score, and the runner-up's. */
    int best = -1;
    double best_score = 0, second = INFINITY;
    for (int k = 0; k < n; k++) {
      double score = q->rule == GS_RULE_LOWEST ? v[k] : q->rule == GS_RULE_HIGHEST ? -v[k] : fabs (v[k] - q->value);
      if (!isfinite (score))
        return gs_error_set (err, _("the value of “%s” is not a number"), keys[k]);
      if (best < 0 || score < best_score) {
        if (best >= 0)
          second = best_score;
        best = k;
        best_score = score;
      } else if (score < second)
        second = score;
    }
    if (second - best_score < q->margin)
      return gs_error_set (err, _("no single right answer: two choices are within %g of each other"), q->margin);
    snprintf (key, key_size, "%s", keys[best]);
  }
  return GS_OK;
}

int
gs_lesson_run_step (GsLessonRunner *r, GsStepper *s, int i, int *right, GsError *err)
{
  const GsLesson *l = r->lesson;
  const GsLessonStep *st;
  char key[GS_LESSON_NAME_MAX + 8];

  *right = -1;
  if (i < 0 || i >= l->n_steps)
    return gs_error_set (err, _("%s: the lesson has no step %d"), l->path, i + 1);
  st = &l->step[i];
  for (int k = 0; k < st->n_actions; k++)
    if (run_action (r, s, &st->action[k], err) != GS_OK)
      return gs_error_prefix (err, "%s:%d", l->path, st->action[k].line);
  if (!st->has_question)
    return GS_OK;
  if (rule_key (r, s, &st->question, key, sizeof key, err) != GS_OK)
    return gs_error_prefix (err, "%s:%d", l->path, st->question.line);
  *right = find_choice (&st->question, key);
  if (*right < 0)
    return gs_error_set (err, _("%s:%d: the rule answers “%s”, which is not among the choices"), l->path,
                         st->question.line, key);
  return GS_OK;
}

/* Back. The network a step starts from is what the steps before it made
 * of the lesson's set-up, and every action is deterministic (a run is
 * seeded, training draws from the run's own RNG streams, stepping and
 * interventions draw nothing), so playing the steps again from the first
 * `run` reproduces it bit for bit: no snapshots of the network to keep.
 * The runner starts afresh too (its interventions and remembered numbers
 * are those the replayed steps make). */
static bool
step_sets_up_run (const GsLessonStep *st)
{
  for (int k = 0; k < st->n_actions; k++)
    if (st->action[k].kind == GS_ACT_RUN)
      return true;
  return false;
}

int
gs_lesson_first_setup (const GsLesson *l)
{
  for (int i = 0; l != NULL && i < l->n_steps; i++)
    if (step_sets_up_run (&l->step[i]))
      return i;
  return -1;
}

int
gs_lesson_replay_to (GsLessonRunner *r, GsStepper *s, int i, int *right, GsError *err)
{
  const GsLesson *l = r->lesson;
  const int first = gs_lesson_first_setup (l);

  *right = -1;
  if (l == NULL || i < 0 || i >= l->n_steps)
    return gs_error_set (err, _("%s: the lesson has no step %d"), l ? l->path : "?", i + 1);
  if (first < 0 || first > i)
    return gs_error_set (err, _("%s: no step up to step %d sets up a run, so the network cannot be "
                                "played back to it"), l->path, i + 1);
  gs_lesson_runner_init (r, l);
  for (int k = first; k <= i; k++)
    if (gs_lesson_run_step (r, s, k, right, err) != GS_OK)
      return GS_FAIL;
  return GS_OK;
}
