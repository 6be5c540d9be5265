/* gs-task.c — the task table, task specs, batches and evaluation.
 *
 * Letters as in gs-model.h: T timesteps, B batch, V input tokens or
 * features, O outputs. The tasks themselves live in gs-task-*.c.
 */
#include "gs-task.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs-c-numeric.h"
#include "gs-i18n.h"
#include "gs-mem.h"
#include "gs-task-private.h"

static const GsTaskClass *const classes[] = {
  &gs_task_hello,
  &gs_task_charlm,
  &gs_task_classify,
  &gs_task_sentiment,
  &gs_task_series,
  &gs_task_seq2seq,
  &gs_task_adding,
  &gs_task_temporal_order,
  &gs_task_copy,
  &gs_task_reber,
  &gs_task_continual_reber,
  &gs_task_xor,
};
#define N_CLASSES ((int) (sizeof classes / sizeof classes[0]))

const GsTaskClass *const *
gs_task_classes (int *n_out)
{
  if (n_out)
    *n_out = N_CLASSES;
  return classes;
}

const GsTaskClass *
gs_task_class_find (const char *name)
{
  for (int i = 0; name && i < N_CLASSES; i++)
    if (strcmp (classes[i]->name, name) == 0)
      return classes[i];
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Specs: NAME[:key=value,…]                                                */

static int
param_index (const GsTaskClass *k, const char *key, size_t len)
{
  for (int i = 0; i < k->n_params; i++)
    if (strlen (k->params[i].key) == len && strncmp (k->params[i].key, key, len) == 0)
      return i;
  return -1;
}

/* Index of value in "a|b|c", or −1. */
static int
choice_index (const char *choices, const char *value)
{
  size_t len = strlen (value);
  int i = 0;

  for (const char *p = choices; *p != '\0'; i++) {
    const char *bar = strchr (p, '|');
    size_t l = bar ? (size_t) (bar - p) : strlen (p);
    if (l == len && strncmp (p, value, l) == 0)
      return i;
    if (bar == NULL)
      break;
    p = bar + 1;
  }
  return -1;
}

/* The i-th choice into buf. */
static void
choice_name (char *buf, size_t size, const char *choices, int index)
{
  const char *p = choices;

  for (int i = 0; i < index && p; i++) {
    p = strchr (p, '|');
    if (p)
      p++;
  }
  if (p == NULL) {
    snprintf (buf, size, "?");
    return;
  }
  snprintf (buf, size, "%.*s", (int) (strchr (p, '|') ? (size_t) (strchr (p, '|') - p) : strlen (p)), p);
}

static int
set_param (GsTask *task, int i, const char *value, GsError *err)
{
  const GsTaskParam *p = &task->klass->params[i];
  char *end = NULL;
  double v;

  switch (p->kind) {
  case GS_PARAM_FILE:
    free (task->str[i]);
    task->str[i] = value[0] != '\0' ? strdup (value) : NULL;
    if (value[0] != '\0' && task->str[i] == NULL)
      return gs_error_set (err, _("out of memory"));
    return GS_OK;
  case GS_PARAM_CHOICE:
    v = choice_index (p->choices, value);
    if (v < 0)
      return gs_error_set (err, _("task %s: %s must be one of %s, not “%s”"),
                           task->klass->name, p->key, p->choices, value);
    task->num[i] = v;
    return GS_OK;
  case GS_PARAM_INT:
  case GS_PARAM_FLOAT:
  default:
    v = value[0] != '\0' ? gs_c_strtod (value, &end) : 0.0;
    if (end == NULL || end == value || *end != '\0' || !isfinite (v))
      return gs_error_set (err, _("task %s: %s must be a number, not “%s”"), task->klass->name, p->key, value);
    if (p->kind == GS_PARAM_INT && v != floor (v))
      return gs_error_set (err, _("task %s: %s must be a whole number, not “%s”"),
                           task->klass->name, p->key, value);
    if (v < p->min || v > p->max)
      return gs_error_set (err, _("task %s: %s must be between %g and %g, not %s"),
                           task->klass->name, p->key, p->min, p->max, value);
    task->num[i] = v;
    return GS_OK;
  }
}

/* The canonical spec: the name, then every value that differs from its
 * default, and every value of a parameter whose default has changed (its
 * old_def): a file that holds the spec says which it meant. */
static void
canonical_spec (GsTask *task)
{
  const GsTaskClass *k = task->klass;
  size_t len;
  bool first = true;

  snprintf (task->spec, sizeof task->spec, "%s", k->name);
  for (int i = 0; i < k->n_params; i++) {
    const GsTaskParam *p = &k->params[i];
    char value[GS_TASK_SPEC_MAX];

    if (p->kind == GS_PARAM_FILE) {
      if (task->str[i] == NULL)
        continue;
      snprintf (value, sizeof value, "%s", task->str[i]);
    } else if (p->kind == GS_PARAM_CHOICE) {
      if (p->old_def == NULL && (int) task->num[i] == choice_index (p->choices, p->def))
        continue;
      choice_name (value, sizeof value, p->choices, (int) task->num[i]);
    } else {
      if (p->old_def == NULL && task->num[i] == gs_c_strtod (p->def, NULL))
        continue;
      gs_c_snprintf (value, sizeof value, "%.9g", task->num[i]);
    }
    len = strlen (task->spec);
    snprintf (task->spec + len, sizeof task->spec - len, "%c%s=%s", first ? ':' : ',', p->key, value);
    first = false;
  }
}

static void
known_names (char *buf, size_t size)
{
  buf[0] = '\0';
  for (int i = 0; i < N_CLASSES; i++) {
    size_t len = strlen (buf);
    snprintf (buf + len, size - len, "%s%s", i > 0 ? ", " : "", classes[i]->name);
  }
}

static void
known_keys (char *buf, size_t size, const GsTaskClass *k)
{
  buf[0] = '\0';
  for (int i = 0; i < k->n_params; i++) {
    size_t len = strlen (buf);
    snprintf (buf + len, size - len, "%s%s", i > 0 ? ", " : "", k->params[i].key);
  }
  if (k->n_params == 0)
    snprintf (buf, size, "%s", _("none"));
}

void
gs_task_spec_clear (GsTaskSpec *s)
{
  for (int i = 0; i < GS_TASK_MAX_PARAMS; i++) {
    free (s->values[i]);
    s->values[i] = NULL;
  }
  s->klass = NULL;
}

int
gs_task_spec_parse (GsTaskSpec *out, const char *spec, GsError *err)
{
  char buf[GS_TASK_SPEC_MAX], names[512];
  const GsTaskClass *k;
  char *colon, *p;
  int last = -1;

  memset (out, 0, sizeof *out);
  if (spec == NULL || spec[0] == '\0')
    spec = "hello";
  if (strlen (spec) >= sizeof buf)
    return gs_error_set (err, _("the task spec is too long (at most %d bytes)"), GS_TASK_SPEC_MAX - 1);
  strcpy (buf, spec);
  colon = strchr (buf, ':');
  if (colon)
    *colon = '\0';
  k = gs_task_class_find (buf);
  if (k == NULL) {
    known_names (names, sizeof names);
    return gs_error_set (err, _("unknown task “%s” (known tasks: %s)"), buf, names);
  }
  out->klass = k;

  /* key=value pieces; a piece without a known key continues a file name that had a comma. */
  for (p = colon ? colon + 1 : NULL; p != NULL && *p != '\0';) {
    char *comma = strchr (p, ',');
    char *eq;
    int i;

    if (comma)
      *comma = '\0';
    eq = strchr (p, '=');
    i = eq ? param_index (k, p, (size_t) (eq - p)) : -1;
    if (i < 0 && last >= 0 && k->params[last].kind == GS_PARAM_FILE && out->values[last] != NULL
        && out->values[last][0] != '\0') {
      size_t l = strlen (out->values[last]);
      char *joined = realloc (out->values[last], l + strlen (p) + 2);
      if (joined == NULL)
        return gs_error_set (err, _("out of memory"));
      joined[l] = ',';
      strcpy (joined + l + 1, p);
      out->values[last] = joined;
    } else if (i < 0) {
      known_keys (names, sizeof names, k);
      if (eq)
        *eq = '\0';
      return gs_error_set (err, eq ? _("task %s has no parameter “%s” (parameters: %s)")
                                   : _("task %s: “%s” is not key=value (parameters: %s)"), k->name, p, names);
    } else {
      free (out->values[i]);
      out->values[i] = strdup (eq + 1);
      if (out->values[i] == NULL)
        return gs_error_set (err, _("out of memory"));
      last = i;
    }
    p = comma ? comma + 1 : NULL;
  }
  return GS_OK;
}

int
gs_task_spec_from_file (char *spec, size_t size, GsError *err)
{
  GsTaskSpec parsed;
  GsError ignored;
  size_t len = strlen (spec);
  bool colon = strchr (spec, ':') != NULL;
  int status = GS_OK;

  if (gs_task_spec_parse (&parsed, spec, &ignored) != GS_OK) {
    gs_task_spec_clear (&parsed);
    return GS_OK;
  }
  for (int i = 0; i < parsed.klass->n_params && status == GS_OK; i++) {
    const GsTaskParam *p = &parsed.klass->params[i];
    int n;

    if (p->old_def == NULL || parsed.values[i] != NULL)
      continue;
    n = snprintf (spec + len, size > len ? size - len : 0, "%c%s=%s", colon ? ',' : ':', p->key, p->old_def);
    if (n < 0 || (size_t) n >= size - len) {
      spec[len] = '\0';
      status = gs_error_set (err, _("the task spec is too long (at most %d bytes)"), (int) size - 1);
    } else {
      len += (size_t) n;
      colon = true;
    }
  }
  gs_task_spec_clear (&parsed);
  return status;
}

int
gs_task_init (GsTask *task, const char *spec, GsError *err)
{
  GsTaskSpec parsed;
  const GsTaskClass *k;

  memset (task, 0, sizeof *task);
  if (gs_task_spec_parse (&parsed, spec, err) != GS_OK) {
    gs_task_spec_clear (&parsed);
    return GS_FAIL;
  }
  k = parsed.klass;
  task->klass = k;
  task->name = k->name;
  task->title = k->title;
  for (int i = 0; i < k->n_params; i++)
    if (k->params[i].kind != GS_PARAM_FILE && set_param (task, i, k->params[i].def, err) != GS_OK) {
      gs_task_spec_clear (&parsed);
      return GS_FAIL;   /* a class's own default is out of range: a programming error */
    }
  for (int i = 0; i < k->n_params; i++)
    if (parsed.values[i] != NULL && set_param (task, i, parsed.values[i], err) != GS_OK) {
      gs_task_spec_clear (&parsed);
      gs_task_clear (task);
      return GS_FAIL;
    }
  gs_task_spec_clear (&parsed);
  canonical_spec (task);
  if (k->init (task, err) != GS_OK) {
    gs_task_clear (task);
    return GS_FAIL;
  }
  return GS_OK;
}

void
gs_task_clear (GsTask *task)
{
  if (task == NULL || task->klass == NULL)
    return;
  if (task->klass->finalize)
    task->klass->finalize (task);
  for (int i = 0; i < GS_TASK_MAX_PARAMS; i++)
    free (task->str[i]);
  memset (task, 0, sizeof *task);
}

double
gs_task_num (const GsTask *task, const char *key)
{
  int i = param_index (task->klass, key, strlen (key));
  return i >= 0 ? task->num[i] : NAN;
}

const char *
gs_task_str (const GsTask *task, const char *key)
{
  int i = param_index (task->klass, key, strlen (key));
  return i >= 0 ? task->str[i] : NULL;
}

/* Looks for dir/gatescope_subdir/rel; true (and the path in buf) when it is
 * readable. */
static bool
data_path_try (char *buf, size_t size, const char *dir, size_t dir_len, const char *sub, const char *rel)
{
  int n;

  if (dir_len == 0)
    return false;
  n = snprintf (buf, size, "%.*s%s/%s", (int) dir_len, dir, sub, rel);
  return n > 0 && (size_t) n < size && access (buf, R_OK) == 0;
}

/* Like a GNOME application: $GATESCOPE_DATA_DIR first (set for runs from the
 * build directory: `make run`, the tests, `meson devenv`), then the install
 * prefix's data directory, then every directory of $XDG_DATA_DIRS (the
 * default "/usr/local/share:/usr/share" when unset or empty, as the XDG
 * Base Directory specification says). Never the source tree. */
int
gs_task_data_path (char *buf, size_t size, const char *rel, GsError *err)
{
  const char *env_dir = getenv ("GATESCOPE_DATA_DIR");
  const char *xdg = getenv ("XDG_DATA_DIRS");
  const char *p;

  /* An explicit directory that lacks the file is a mistake to report, not
   * to paper over with an installed copy of another version. */
  if (env_dir != NULL && env_dir[0] != '\0') {
    if (data_path_try (buf, size, env_dir, strlen (env_dir), "", rel))
      return GS_OK;
    return gs_error_set (err, _("the shipped file %s is missing from GATESCOPE_DATA_DIR (%s)"),
                         rel, env_dir);
  }
  if (data_path_try (buf, size, PKGDATADIR, strlen (PKGDATADIR), "", rel))
    return GS_OK;
  if (xdg == NULL || xdg[0] == '\0')
    xdg = "/usr/local/share:/usr/share";
  for (p = xdg; *p != '\0'; ) {
    size_t len = strcspn (p, ":");

    /* The specification allows only absolute paths; relative ones are ignored. */
    if (p[0] == '/' && data_path_try (buf, size, p, len, "/gatescope", rel))
      return GS_OK;
    p += len;
    if (*p == ':')
      p++;
  }
  return gs_error_set (err, _("the shipped file %s is missing (looked in %s and in gatescope/ under each directory of XDG_DATA_DIRS: %s)"),
                       rel, PKGDATADIR, xdg);
}

int
gs_task_rand_range (GsRng *rng, int lo, int hi)
{
  return lo + (int) gs_rng_below (rng, (uint32_t) (hi - lo + 1));
}

/* ------------------------------------------------------------------------ */
/* Batches                                                                  */

int
gs_batch_alloc (GsBatch *batch, const GsTask *task, int T, int B, GsError *err)
{
  size_t TB;

  memset (batch, 0, sizeof *batch);
  batch->T = T > 0 ? T : task->T;
  batch->B = B;
  TB = (size_t) batch->T * (size_t) B;
  batch->tokens = calloc (TB, sizeof (int));
  batch->targets = calloc (TB, sizeof (int));
  batch->ymask = calloc (TB, 1);
  batch->xs = task->input == GS_INPUT_DENSE ? calloc (TB * (size_t) task->V, sizeof (float)) : NULL;
  batch->ys = task->loss == GS_LOSS_MSE ? calloc (TB * (size_t) task->O, sizeof (float)) : NULL;
  if (task->T_dec > 0) {
    batch->T_dec = task->T_dec;
    batch->dec_tokens = calloc ((size_t) task->T_dec * B, sizeof (int));
    batch->dec_targets = calloc ((size_t) task->T_dec * B, sizeof (int));
  }
  if (!batch->tokens || !batch->targets || !batch->ymask
      || (task->input == GS_INPUT_DENSE && !batch->xs) || (task->loss == GS_LOSS_MSE && !batch->ys)
      || (task->T_dec > 0 && (!batch->dec_tokens || !batch->dec_targets))) {
    gs_batch_free (batch);
    return gs_error_set (err, _("out of memory"));
  }
  return GS_OK;
}

void
gs_batch_free (GsBatch *batch)
{
  free (batch->tokens);
  free (batch->xs);
  free (batch->targets);
  free (batch->ys);
  free (batch->ymask);
  free (batch->dec_tokens);
  free (batch->dec_targets);
  memset (batch, 0, sizeof *batch);
}

/* FNV-1a of sequence b's input (tokens or features at every step, and
 * which steps carry a target): for the tasks of this split, the input
 * decides the targets. */
static uint64_t
sequence_hash (const GsTask *task, const GsBatch *batch, int b)
{
  const int T = batch->T, B = batch->B;
  uint64_t h = 1469598103934665603ull;

  for (int t = 0; t < T; t++) {
    const size_t tb = (size_t) t * B + b;
    const bool dense = task->input == GS_INPUT_DENSE;
    const unsigned char *p = dense ? (const unsigned char *) (batch->xs + tb * task->V)
                                   : (const unsigned char *) &batch->tokens[tb];
    const size_t n = dense ? sizeof (float) * (size_t) task->V : sizeof (int);
    for (size_t i = 0; i < n; i++)
      h = (h ^ p[i]) * 1099511628211ull;
    h = (h ^ batch->ymask[tb]) * 1099511628211ull;
  }
  return h;
}

/* Copies sequence `from` of src into sequence `to` of dst (same task and
 * T): the arrays the task fills (a trainer's batch may have others). */
static void
copy_sequence (const GsTask *task, GsBatch *dst, int to, const GsBatch *src, int from)
{
  for (int t = 0; t < dst->T; t++) {
    const size_t d = (size_t) t * dst->B + to, s = (size_t) t * src->B + from;
    dst->tokens[d] = src->tokens[s];
    dst->targets[d] = src->targets[s];
    dst->ymask[d] = src->ymask[s];
    if (task->input == GS_INPUT_DENSE)
      memcpy (dst->xs + d * task->V, src->xs + s * task->V, sizeof (float) * (size_t) task->V);
    if (task->loss == GS_LOSS_MSE)
      memcpy (dst->ys + d * task->O, src->ys + s * task->O, sizeof (float) * (size_t) task->O);
  }
  for (int t = 0; t < dst->T_dec; t++) {
    dst->dec_tokens[(size_t) t * dst->B + to] = src->dec_tokens[(size_t) t * src->B + from];
    dst->dec_targets[(size_t) t * dst->B + to] = src->dec_targets[(size_t) t * src->B + from];
  }
}

/* Draws each sequence of the batch one at a time from the stream,
 * redrawing it until it lies on the wanted side of the split (held: its
 * input hashes to 0 mod held_out_mod). Drawn one at a time, the sequences
 * do not depend on the batch size (the held-out batch is judged in
 * chunks). A task whose parameters leave so few sequences that one side
 * is empty (copy:length=1,symbols=2) cannot be split: after SPLIT_TRIES
 * draws the last one is taken. Should the one-sequence scratch batch fail to allocate, the
 * batch is drawn whole and a sequence on the wrong side is masked out of
 * the loss (ymask 0, target −1) rather than trained or judged on. */
#define SPLIT_TRIES 256

static void
fill_split (const GsTask *task, GsRng *rng, GsBatch *batch, bool held)
{
  const GsTaskClass *k = task->klass;
  void (*fill) (const GsTask *, GsRng *, GsBatch *) = held && k->fill_held_out != NULL ? k->fill_held_out : k->fill;
  const uint64_t mod = (uint64_t) k->held_out_mod;
  GsBatch one;

  if (gs_batch_alloc (&one, task, batch->T, 1, NULL) != GS_OK) {
    fill (task, rng, batch);
    for (int b = 0; b < batch->B; b++)
      if ((sequence_hash (task, batch, b) % mod == 0) != held)
        for (int t = 0; t < batch->T; t++) {
          batch->ymask[(size_t) t * batch->B + b] = 0;
          batch->targets[(size_t) t * batch->B + b] = -1;
        }
    return;
  }
  one.held_out = batch->held_out;
  one.training_set = batch->training_set;
  for (int b = 0; b < batch->B; b++) {
    one.first = batch->first + b;
    for (int tries = 0; tries < SPLIT_TRIES; tries++) {
      fill (task, rng, &one);
      if ((sequence_hash (task, &one, 0) % mod == 0) == held)
        break;
    }
    copy_sequence (task, batch, b, &one, 0);
  }
  gs_batch_free (&one);
}

/* A batch from the training side of the task's data, or from its held-out side. */
static void
fill_side (const GsTask *task, GsRng *rng, GsBatch *batch, bool held)
{
  const GsTaskClass *k = task->klass;

  if (k->held_out_mod > 0)
    fill_split (task, rng, batch, held);
  else
    (held && k->fill_held_out != NULL ? k->fill_held_out : k->fill) (task, rng, batch);
}

void
gs_task_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  fill_side (task, rng, batch, false);
}

/* ------------------------------------------------------------------------ */
/* Evaluation                                                               */

/* FNV-1a of the spec: the held-out batch depends on the task alone. */
static uint64_t
eval_seed (const GsTask *task)
{
  uint64_t h = 1469598103934665603ull;
  for (const char *p = task->spec; *p; p++)
    h = (h ^ (unsigned char) *p) * 1099511628211ull;
  return h ^ 0x5eed0fe7a1ull;
}

/* The held-out sequences of one chunk: the task's size B_c at most. */
static int
eval_chunk (const GsTask *task, const GsModel *m, const GsModel *dec, int T, int B)
{
  size_t per_seq = gs_config_sequence_bytes (&m->cfg, T, 1);
  size_t chunk;

  if (dec != NULL && task->T_dec > 0) {
    size_t d = gs_config_sequence_bytes (&dec->cfg, task->T_dec, 1);
    per_seq = d > per_seq ? d : per_seq;
  }
  chunk = per_seq > 0 ? GS_EVAL_CHUNK_BYTES / per_seq : (size_t) B;
  return chunk < 1 ? 1 : chunk > (size_t) B ? B : (int) chunk;
}

/* The held-out batch is judged in chunks of sequences whose caches fit in
 * GS_EVAL_CHUNK_BYTES (gs-mem.h), so that a task of a million examples or
 * of 20,000 steps needs no more memory to judge than a small one. The
 * sequences are the same however it is chunked (every task fills sequence
 * by sequence from one RNG stream, and the chunks continue that stream);
 * each chunk's loss, metric, accuracy, baseline and threshold are weighted
 * by its sequences, which is exact when every sequence carries the same
 * number of targets (all tasks but reber's strings of varying length). */
static int judge (const GsTask *task, GsModel *m, GsModel *dec, int chunk, bool training, GsTaskEval *ev,
                  GsError *err);

int
gs_task_eval_batch (const GsTask *task, GsBatch *batch, GsError *err)
{
  const GsTaskClass *k = task->klass;
  GsRng rng;

  const int total = task->eval_B > 0 ? task->eval_B : k->eval_B;
  /* The first chunk of the held-out sequences, as gs_task_evaluate_chunked
   * fills it: the sequences do not depend on the chunk size. */
  const int B = total < GS_EVAL_BATCH_FIRST ? total : GS_EVAL_BATCH_FIRST;

  if (gs_batch_alloc (batch, task, task->T_eval > 0 ? task->T_eval : task->T, B, err) != GS_OK)
    return GS_FAIL;
  gs_rng_seed (&rng, eval_seed (task));
  batch->held_out = true;
  batch->first = 0;
  fill_side (task, &rng, batch, true);
  return GS_OK;
}

int
gs_task_evaluate (const GsTask *task, GsModel *m, GsModel *dec, GsTaskEval *ev, GsError *err)
{
  return judge (task, m, dec, 0, false, ev, err);
}

int
gs_task_evaluate_chunked (const GsTask *task, GsModel *m, GsModel *dec, int chunk, GsTaskEval *ev, GsError *err)
{
  return judge (task, m, dec, chunk, false, ev, err);
}

int
gs_task_evaluate_training (const GsTask *task, GsModel *m, GsModel *dec, GsTaskEval *ev, GsError *err)
{
  return judge (task, m, dec, 0, true, ev, err);
}

/* training: the task's training set when it has a fixed one (n_train),
 * else as many fresh training batches' sequences as the held-out batch
 * has, from an RNG stream of their own. */
static int
judge (const GsTask *task, GsModel *m, GsModel *dec, int chunk, bool training, GsTaskEval *ev, GsError *err)
{
  const GsTaskClass *k = task->klass;
  const int total = training && task->n_train > 0 ? task->n_train : task->eval_B > 0 ? task->eval_B : k->eval_B;
  const int T = task->T_eval > 0 ? task->T_eval : task->T;
  double sum_loss = 0.0, sum_metric = 0.0, sum_acc = 0.0, sum_base = 0.0, sum_thr = 0.0;
  GsBatch batch;
  GsRng rng;
  int rc = GS_OK;

  memset (ev, 0, sizeof *ev);
  ev->metric_name = "accuracy";
  ev->higher_is_better = true;
  ev->accuracy = NAN;
  ev->baseline = NAN;
  ev->loss = NAN;
  ev->threshold = task->solve_threshold;
  if (task->T_dec > 0 && dec == NULL)
    return gs_error_set (err, _("task %s needs a decoder model"), task->name);
  if (chunk <= 0)
    chunk = eval_chunk (task, m, dec, T, total);
  chunk = chunk < total ? chunk : total;
  if (gs_batch_alloc (&batch, task, T, chunk, err) != GS_OK)
    return GS_FAIL;
  gs_rng_seed (&rng, training ? eval_seed (task) ^ 0x7a11ed5e7ull : eval_seed (task));
  for (int first = 0; first < total && rc == GS_OK; first += chunk) {
    GsTaskEval part;
    const int B = total - first < chunk ? total - first : chunk;

    memset (&part, 0, sizeof part);
    part.metric_name = "accuracy";
    part.higher_is_better = true;
    part.accuracy = part.baseline = part.loss = NAN;
    part.threshold = task->solve_threshold;
    batch.B = B;
    batch.held_out = !training;
    batch.training_set = training && task->n_train > 0;
    batch.first = first;
    fill_side (task, &rng, &batch, !training);
    if (task->T_dec == 0) {
      rc = gs_model_set_sequence (m, batch.T, B, batch.tokens, batch.xs,
                                  task->loss == GS_LOSS_CE ? batch.targets : NULL,
                                  task->loss == GS_LOSS_MSE ? batch.ys : NULL, batch.ymask, err);
      if (rc != GS_OK)
        break;
      gs_model_forward_seq (m);
      part.loss = gs_model_loss (m);
    }
    part.n = B;
    k->score (task, m, dec, &batch, &part);
    /* sums weighted by the chunk's sequences; the trace is sequence 0's */
    sum_loss += (double) part.loss * B;
    sum_metric += (double) part.metric * B;
    sum_acc += (double) part.accuracy * B;
    sum_base += (double) part.baseline * B;
    sum_thr += (double) part.threshold * B;
    if (first == 0) {
      ev->metric_name = part.metric_name;
      ev->baseline_name = part.baseline_name;
      ev->higher_is_better = part.higher_is_better;
      ev->trace_len = part.trace_len;
      memcpy (ev->trace_truth, part.trace_truth, sizeof ev->trace_truth);
      memcpy (ev->trace_pred, part.trace_pred, sizeof ev->trace_pred);
    }
  }
  if (rc == GS_OK) {
    ev->n = total;
    ev->loss = (float) (sum_loss / total);
    ev->metric = (float) (sum_metric / total);
    ev->accuracy = (float) (sum_acc / total);
    ev->baseline = (float) (sum_base / total);
    ev->threshold = (float) (sum_thr / total);
    ev->solved = ev->higher_is_better ? ev->metric >= ev->threshold : ev->metric <= ev->threshold;
    if (!isfinite (ev->metric))
      ev->solved = false;
    ev->on_training_data = training || task->no_held_out;
  }
  gs_batch_free (&batch);
  return rc;
}

void
gs_task_score_sequences (const GsTask *task, const GsModel *m, GsTaskEval *ev)
{
  int correct = 0;

  for (int b = 0; b < m->B; b++)
    correct += gs_task_all_correct (m, b);
  ev->accuracy = ev->metric = (float) correct / (float) m->B;
  ev->baseline = 1.0f / (float) task->O;
}

void
gs_task_score_steps (const GsTask *task, const GsModel *m, GsTaskEval *ev)
{
  long correct = 0, total = 0;

  for (int t = 0; t < m->T; t++)
    for (int b = 0; b < m->B; b++) {
      int target = m->targets[(size_t) t * m->B + b];
      if (target < 0)
        continue;
      total++;
      correct += gs_model_predict (m, t, b) == target;
    }
  ev->accuracy = ev->metric = total > 0 ? (float) correct / (float) total : NAN;
  ev->baseline = 1.0f / (float) task->O;
}

void
gs_task_score_mse (const GsTask *task, const GsModel *m, float tol, GsTaskEval *ev)
{
  const int O = m->cfg.O, B = m->B;
  int correct = 0;

  (void) task;
  ev->metric_name = "mse";
  ev->higher_is_better = false;
  ev->metric = ev->loss;
  for (int b = 0; b < B; b++) {
    bool ok = true;
    for (int t = 0; t < m->T && ok; t++) {
      size_t tb = (size_t) t * B + b;
      if (!m->ymask[tb])
        continue;
      for (int o = 0; o < O; o++)
        ok = ok && fabsf (m->logits[tb * O + o] - m->ys[tb * O + o]) < tol;
    }
    correct += ok;
  }
  ev->accuracy = (float) correct / (float) B;
  ev->trace_len = 0;
  for (int t = 0; t < m->T && ev->trace_len < (int) (sizeof ev->trace_truth / sizeof ev->trace_truth[0]); t++) {
    size_t tb = (size_t) t * B;   /* sequence 0 */
    if (!m->ymask[tb])
      continue;
    ev->trace_truth[ev->trace_len] = m->ys[tb * O];
    ev->trace_pred[ev->trace_len] = m->logits[tb * O];
    ev->trace_len++;
  }
}

/* ------------------------------------------------------------------------ */
/* Predictions                                                              */

void
gs_task_decode_prediction (const GsTask *task, const GsModel *m, int b, char *buf, size_t size)
{
  const char *const *labels = task->out_vocab;
  size_t len = 0;

  if (size == 0)
    return;
  buf[0] = '\0';
  if (labels == NULL || m->cfg.loss != GS_LOSS_CE)
    return;
  for (int t = 0; t < m->t_fwd; t++) {
    const char *label;
    size_t n;
    if (m->targets[(size_t) t * m->B + b] < 0)
      continue;
    label = labels[gs_model_predict (m, t, b)];
    n = strlen (label);
    if (len + n + 1 > size)
      break;
    memcpy (buf + len, label, n + 1);
    len += n;
  }
}

bool
gs_task_all_correct (const GsModel *m, int b)
{
  if (m->cfg.loss != GS_LOSS_CE || m->t_fwd < m->T)
    return false;
  for (int t = 0; t < m->T; t++) {
    int target = m->targets[(size_t) t * m->B + b];
    if (target >= 0 && gs_model_predict (m, t, b) != target)
      return false;
  }
  return true;
}

/* ------------------------------------------------------------------------ */
/* hello                                                                    */

/* The seed task of the course: learn to map "hello" to "ohlol".
 * Vocabulary (index order of the course's idx2char): e h l o. */
static const int hello_input[5] = { 1, 0, 2, 2, 3 };   /* h e l l o */
static const int hello_target[5] = { 3, 1, 2, 3, 2 };  /* o h l o l */
static const char *const hello_letters[4] = { "e", "h", "l", "o" };

static int
hello_init (GsTask *task, GsError *err)
{
  (void) err;
  task->title = N_("hello → ohlol");
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->V = 4;
  task->O = 4;
  task->T = 5;
  task->vocab = task->out_vocab = hello_letters;
  task->solve_threshold = 1.0f;
  task->no_held_out = true;   /* one sequence: nothing to hold out */
  return GS_OK;
}

static void
hello_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  (void) task;
  (void) rng;   /* hello is one fixed sequence */
  for (int t = 0; t < batch->T; t++)
    for (int b = 0; b < batch->B; b++) {
      batch->tokens[t * batch->B + b] = hello_input[t % 5];
      batch->targets[t * batch->B + b] = hello_target[t % 5];
    }
}

static void
hello_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  (void) dec;
  (void) batch;
  gs_task_score_sequences (task, m, ev);
}

const GsTaskClass gs_task_hello = {
  .name = "hello",
  .title = N_("hello → ohlol"),
  .shape = "N→N",
  .description = N_("The course's first exercise: read “hello”, predict “ohlol”, one character per step. "
                    "Solved when the prediction is exactly “ohlol”. It can read one-hot vectors instead of an embedding (Input: one-hot; --embed 0 on the command line). "
                    "The task is this one sequence, so nothing can be held out: its score is a training accuracy, "
                    "and no validation curve is drawn."),
  .params = NULL,
  .n_params = 0,
  .init = hello_init,
  .fill = hello_fill,
  .score = hello_score,
  .eval_B = 1,
};
