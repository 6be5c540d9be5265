/* gs-session-file.c — a stepper's whole state in a safetensors file.
 *
 * The layout is described in gs-session-file.h. Numbers that must come
 * back bit for bit and that JSON cannot carry exactly (64-bit RNG states,
 * a loss that may be NaN) are written as hex; float settings go through
 * cJSON's doubles, which round-trip a float exactly.
 */
#include "gs-session-file.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gs-file.h"
#include "gs-i18n.h"

/* A user file kept in a session: at most 8 MiB of text (the header holds 16). */
#define MAX_KEPT_FILE (8u << 20)

/* ------------------------------------------------------------ helpers */

static const char *
hex64 (char *buf, uint64_t v)
{
  snprintf (buf, 17, "%016" PRIx64, v);
  return buf;
}

static bool
parse_hex64 (const cJSON *item, uint64_t *out)
{
  char *end;
  if (!cJSON_IsString (item) || strlen (item->valuestring) != 16)
    return false;
  errno = 0;
  *out = strtoull (item->valuestring, &end, 16);
  return errno == 0 && *end == '\0';
}

static uint32_t
float_bits (float f)
{
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

static float
bits_float (uint64_t u64)
{
  uint32_t u = (uint32_t) u64;
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

static void
add_rng (cJSON *obj, const char *key, const GsRng *r)
{
  char a[17], b[17];
  cJSON *arr = cJSON_AddArrayToObject (obj, key);
  cJSON_AddItemToArray (arr, cJSON_CreateString (hex64 (a, r->state)));
  cJSON_AddItemToArray (arr, cJSON_CreateString (hex64 (b, r->inc)));
}

static bool
get_rng (const cJSON *obj, const char *key, GsRng *r)
{
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive (obj, key);
  return cJSON_IsArray (arr) && cJSON_GetArraySize (arr) == 2
         && parse_hex64 (cJSON_GetArrayItem (arr, 0), &r->state)
         && parse_hex64 (cJSON_GetArrayItem (arr, 1), &r->inc);
}

static bool
get_int (const cJSON *obj, const char *key, long long lo, long long hi, long long *out)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
  if (!cJSON_IsNumber (v) || v->valuedouble != floor (v->valuedouble)
      || v->valuedouble < (double) lo || v->valuedouble > (double) hi)
    return false;
  *out = (long long) v->valuedouble;
  return true;
}

static bool
get_float (const cJSON *obj, const char *key, float *out)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
  if (!cJSON_IsNumber (v) || !isfinite (v->valuedouble))
    return false;
  *out = (float) v->valuedouble;
  return true;
}

static bool
get_bool (const cJSON *obj, const char *key, bool *out)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
  if (!cJSON_IsBool (v))
    return false;
  *out = cJSON_IsTrue (v);
  return true;
}

/* ------------------------------------------------------ configuration */

static cJSON *
config_to_json (const GsTrainConfig *c)
{
  char hex[17];
  cJSON *o = cJSON_CreateObject (), *v, *opt;

  cJSON_AddStringToObject (o, "task", c->task);
  cJSON_AddStringToObject (o, "cell", gs_cell_name (c->cell));
  cJSON_AddBoolToObject (o, "one_hot", c->one_hot);
  cJSON_AddNumberToObject (o, "E", c->E);
  cJSON_AddNumberToObject (o, "H", c->H);
  cJSON_AddNumberToObject (o, "L", c->L);
  cJSON_AddNumberToObject (o, "B", c->B);
  v = cJSON_AddObjectToObject (o, "variant");
  cJSON_AddNumberToObject (v, "forget_bias", c->variant.forget_bias);
  cJSON_AddBoolToObject (v, "forget_bias_set", c->variant.forget_bias_set);
  cJSON_AddBoolToObject (v, "peephole", c->variant.peephole);
  cJSON_AddBoolToObject (v, "cifg", c->variant.cifg);
  cJSON_AddBoolToObject (v, "no_forget_gate", c->variant.no_forget_gate);
  cJSON_AddNumberToObject (v, "cell_clip", c->variant.cell_clip);
  cJSON_AddNumberToObject (v, "proj", c->variant.proj);
  cJSON_AddBoolToObject (v, "gru_reset_before", c->variant.gru_reset_before);
  cJSON_AddBoolToObject (v, "irnn", c->variant.irnn);
  cJSON_AddBoolToObject (v, "bidirectional", c->variant.bidirectional);
  cJSON_AddNumberToObject (v, "dropout", c->variant.dropout);
  cJSON_AddNumberToObject (v, "recurrent_dropout", c->variant.recurrent_dropout);
  cJSON_AddNumberToObject (v, "bptt", c->variant.bptt);
  opt = cJSON_AddObjectToObject (o, "optimizer");
  cJSON_AddStringToObject (opt, "kind", gs_opt_name (c->opt.kind));
  cJSON_AddNumberToObject (opt, "lr", c->opt.lr);
  cJSON_AddNumberToObject (opt, "momentum", c->opt.momentum);
  cJSON_AddNumberToObject (opt, "beta1", c->opt.beta1);
  cJSON_AddNumberToObject (opt, "beta2", c->opt.beta2);
  cJSON_AddNumberToObject (opt, "alpha", c->opt.alpha);
  cJSON_AddNumberToObject (opt, "eps", c->opt.eps);
  cJSON_AddNumberToObject (opt, "weight_decay", c->opt.weight_decay);
  cJSON_AddNumberToObject (opt, "lr_decay", c->opt.lr_decay);
  cJSON_AddNumberToObject (o, "clip", c->clip);
  cJSON_AddNumberToObject (o, "epochs", c->epochs);
  cJSON_AddStringToObject (o, "seed", hex64 (hex, c->seed));
  cJSON_AddStringToObject (o, "init", c->init);
  return o;
}

/* The configuration; false when a field is missing or of the wrong kind
 * (the values are judged by gs_train_config_validate after). */
static bool
config_from_json (GsTrainConfig *c, const cJSON *o)
{
  const cJSON *task = cJSON_GetObjectItemCaseSensitive (o, "task");
  const cJSON *cell = cJSON_GetObjectItemCaseSensitive (o, "cell");
  const cJSON *v = cJSON_GetObjectItemCaseSensitive (o, "variant");
  const cJSON *opt = cJSON_GetObjectItemCaseSensitive (o, "optimizer");
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive (opt, "kind");
  long long E, H, L, B, proj, bptt, epochs;

  gs_train_config_default (c);
  if (!cJSON_IsString (task) || strlen (task->valuestring) >= sizeof c->task
      || !cJSON_IsString (cell) || gs_cell_from_name (cell->valuestring, &c->cell) != GS_OK
      || !cJSON_IsString (kind) || gs_opt_from_name (kind->valuestring, &c->opt.kind) != GS_OK)
    return false;
  strcpy (c->task, task->valuestring);
  if (!get_bool (o, "one_hot", &c->one_hot)
      || !get_int (o, "E", 0, 1 << 20, &E) || !get_int (o, "H", 1, 1 << 20, &H)
      || !get_int (o, "L", 1, 1 << 10, &L) || !get_int (o, "B", 1, 1 << 20, &B)
      || !get_float (v, "forget_bias", &c->variant.forget_bias)
      || !get_bool (v, "forget_bias_set", &c->variant.forget_bias_set)
      || !get_bool (v, "peephole", &c->variant.peephole)
      || !get_bool (v, "cifg", &c->variant.cifg)
      || !get_bool (v, "no_forget_gate", &c->variant.no_forget_gate)
      || !get_float (v, "cell_clip", &c->variant.cell_clip)
      || !get_int (v, "proj", 0, 1 << 20, &proj)
      || !get_bool (v, "gru_reset_before", &c->variant.gru_reset_before)
      || !get_bool (v, "irnn", &c->variant.irnn)
      || !get_bool (v, "bidirectional", &c->variant.bidirectional)
      || !get_float (v, "dropout", &c->variant.dropout)
      || !get_float (v, "recurrent_dropout", &c->variant.recurrent_dropout)
      || !get_int (v, "bptt", 0, 1 << 24, &bptt)
      || !get_float (opt, "lr", &c->opt.lr) || !get_float (opt, "momentum", &c->opt.momentum)
      || !get_float (opt, "beta1", &c->opt.beta1) || !get_float (opt, "beta2", &c->opt.beta2)
      || !get_float (opt, "alpha", &c->opt.alpha) || !get_float (opt, "eps", &c->opt.eps)
      || !get_float (opt, "weight_decay", &c->opt.weight_decay)
      || !get_float (opt, "lr_decay", &c->opt.lr_decay)
      || !get_float (o, "clip", &c->clip) || !get_int (o, "epochs", 0, 1 << 30, &epochs)
      || !parse_hex64 (cJSON_GetObjectItemCaseSensitive (o, "seed"), &c->seed))
    return false;
  c->E = (int) E;
  c->H = (int) H;
  c->L = (int) L;
  c->B = (int) B;
  c->variant.proj = (int) proj;
  c->variant.bptt = (int) bptt;
  c->epochs = (int) epochs;
  /* The weights come from the session, not from the file a run started from. */
  c->init[0] = '\0';
  return true;
}

/* -------------------------------------------------------------- files */

/* FNV-1a: names the copy of a kept file by its text. */
static uint64_t
fnv1a (const unsigned char *p, size_t n)
{
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

/* The checksum of the tensors, whatever their order in the file: the sum of
 * FNV-1a over each one's name and bytes. */
static uint64_t
fnv1a_more (uint64_t h, const unsigned char *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static uint64_t
tensor_sum (uint64_t sum, const char *name, const void *data, size_t nbytes)
{
  uint64_t h = fnv1a_more (0xcbf29ce484222325ull, (const unsigned char *) name, strlen (name) + 1);
  return sum + fnv1a_more (h, data, nbytes);
}

static const char *
base_name (const char *path)
{
  const char *slash = strrchr (path, '/');
  return slash ? slash + 1 : path;
}

/* {"KEY": {"name", "text"}} for every user file of the task. */
static int
files_to_json (const GsTask *task, cJSON *files, GsError *err)
{
  const GsTaskClass *k = task->klass;

  for (int i = 0; i < k->n_params; i++) {
    unsigned char *data;
    size_t len;
    cJSON *f;

    if (k->params[i].kind != GS_PARAM_FILE || task->str[i] == NULL)
      continue;
    if (gs_file_read (task->str[i], MAX_KEPT_FILE, &data, &len, err) != GS_OK)
      return gs_error_prefix (err, _("the task's file cannot be kept in the session"));
    if (memchr (data, '\0', len) != NULL) {
      free (data);
      return gs_error_set (err, _("%s: the task's file holds a NUL byte and cannot be kept in the session"),
                           task->str[i]);
    }
    f = cJSON_AddObjectToObject (files, k->params[i].key);
    cJSON_AddStringToObject (f, "name", base_name (task->str[i]));
    cJSON_AddStringToObject (f, "text", (const char *) data);
    free (data);
  }
  return GS_OK;
}

static int
make_dirs (const char *dir)
{
  char buf[4096];
  if (strlen (dir) >= sizeof buf)
    return -1;
  strcpy (buf, dir);
  for (char *p = buf + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      if (mkdir (buf, 0777) != 0 && errno != EEXIST)
        return -1;
      *p = '/';
    }
  return mkdir (buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* Rewrites cfg->task so that each FILE parameter names a file holding the
 * text the session kept: the original path when it still reads the same,
 * else a copy in data_dir. */
static int
files_restore (GsTrainConfig *cfg, const cJSON *files, const char *data_dir, GsError *err)
{
  GsTaskSpec spec;
  char out[GS_TASK_SPEC_MAX];
  char copy[4096];
  size_t at;
  bool changed = false;
  int status = GS_FAIL;

  if (gs_task_spec_parse (&spec, cfg->task, err) != GS_OK) {
    gs_task_spec_clear (&spec);   /* the values read before the fault */
    return GS_FAIL;
  }
  at = (size_t) snprintf (out, sizeof out, "%s", spec.klass->name);
  for (int i = 0; i < spec.klass->n_params; i++) {
    const char *value = spec.values[i];
    if (value == NULL)
      continue;
    if (spec.klass->params[i].kind == GS_PARAM_FILE && value[0] != '\0') {
      const cJSON *f = cJSON_GetObjectItemCaseSensitive (files, spec.klass->params[i].key);
      const cJSON *text = cJSON_GetObjectItemCaseSensitive (f, "text");
      const cJSON *name = cJSON_GetObjectItemCaseSensitive (f, "name");
      unsigned char *data = NULL;
      size_t len = 0, tlen;
      GsError ignored;
      bool same;

      if (!cJSON_IsString (text) || !cJSON_IsString (name) || strchr (name->valuestring, '/') != NULL) {
        gs_error_set (err, _("the session does not hold the text of the task's file %s"), value);
        goto out;
      }
      tlen = strlen (text->valuestring);
      same = gs_file_read (value, MAX_KEPT_FILE, &data, &len, &ignored) == GS_OK
             && len == tlen && memcmp (data, text->valuestring, len) == 0;
      free (data);
      if (!same) {
        const void *part = text->valuestring;
        if (data_dir == NULL) {
          gs_error_set (err, _("the task's file %s is missing or has changed, and there is no folder to put the session's copy in"),
                        value);
          goto out;
        }
        snprintf (copy, sizeof copy, "%s/%016" PRIx64 "-%s", data_dir,
                  fnv1a ((const unsigned char *) text->valuestring, tlen), name->valuestring);
        if (make_dirs (data_dir) != 0) {
          gs_error_set (err, _("cannot create the folder %s: %s"), data_dir, strerror (errno));
          goto out;
        }
        if (gs_file_write_atomic (copy, 1, &part, &tlen, err) != GS_OK)
          goto out;
        value = copy;
        changed = true;
      }
    }
    at += (size_t) snprintf (out + at, at < sizeof out ? sizeof out - at : 0, "%s%s=%s",
                             at == strlen (spec.klass->name) ? ":" : ",", spec.klass->params[i].key, value);
  }
  if (changed) {
    if (at >= sizeof out || at >= sizeof cfg->task) {
      gs_error_set (err, _("the path of the session's copy of the task's file is too long"));
      goto out;
    }
    strcpy (cfg->task, out);
  }
  status = GS_OK;
out:
  gs_task_spec_clear (&spec);
  return status;
}

/* ------------------------------------------------------------- saving */

typedef struct {
  GsStWrite w[3 * GS_MAX_TENSORS + 8];
  int       n;
  char      names[2 * GS_MAX_TENSORS][64];
  int       n_names;
} Tensors;

static void
add_tensor (Tensors *t, const char *name, int ndim, int64_t d0, int64_t d1, const float *data)
{
  GsStWrite *w = &t->w[t->n++];
  memset (w, 0, sizeof *w);
  w->name = name;
  w->ndim = ndim;
  w->shape[0] = d0;
  w->shape[1] = d1;
  w->data = data;
}

static void
add_model (Tensors *t, const GsModel *m, const char *prefix)
{
  GsTensorInfo info[GS_MAX_TENSORS];
  int nt = gs_config_tensors (&m->cfg, info);

  for (int i = 0; i < nt; i++) {
    char *name = t->names[t->n_names++];
    snprintf (name, 64, "%s%s", prefix, info[i].name);
    add_tensor (t, name, info[i].ndim, info[i].shape[0], info[i].ndim > 1 ? info[i].shape[1] : 0,
                m->params_mem + info[i].offset);
  }
}

static void
add_optimizer (Tensors *t, const GsOptimizer *o, const char *m1, const char *m2)
{
  if (o->m1)
    add_tensor (t, m1, 1, (int64_t) o->n, 0, o->m1);
  if (o->m2)
    add_tensor (t, m2, 1, (int64_t) o->n, 0, o->m2);
}

static cJSON *
state_to_json (const GsStepper *s)
{
  const GsTrainer *tr = s->trainer;
  char hex[17];
  cJSON *o = cJSON_CreateObject (), *rng;

  cJSON_AddNumberToObject (o, "epoch", tr->epoch);
  cJSON_AddStringToObject (o, "phase", gs_phase_name (s->phase));
  cJSON_AddNumberToObject (o, "n_fwd", s->n_fwd);
  cJSON_AddNumberToObject (o, "n_bwd", s->n_bwd);
  cJSON_AddStringToObject (o, "last_loss", hex64 (hex, float_bits (tr->last_loss)));
  cJSON_AddStringToObject (o, "last_grad_norm", hex64 (hex, float_bits (tr->last_grad_norm)));
  cJSON_AddNumberToObject (o, "opt_step", (double) tr->opt->step);
  if (tr->dec_opt)
    cJSON_AddNumberToObject (o, "decoder_opt_step", (double) tr->dec_opt->step);
  rng = cJSON_AddObjectToObject (o, "rng");
  add_rng (rng, "init", &tr->init_rng);
  add_rng (rng, "data", &tr->data_rng);
  add_rng (rng, "dropout", &tr->dropout_rng);
  add_rng (rng, "batch_data", &tr->batch_data_rng);
  add_rng (rng, "batch_dropout", &tr->batch_dropout_rng);
  return o;
}

int
gs_session_file_save (const GsStepper *s, const char *path, GsError *err)
{
  const GsTrainer *tr;
  const GsHistory *h;
  Tensors *t = NULL;
  cJSON *config = NULL, *state = NULL, *hist = NULL, *files = NULL;
  cJSON *first, *n, *n_metric;
  char *j_config = NULL, *j_state = NULL, *j_hist = NULL, *j_files = NULL;
  float *loss = NULL;
  int n_points, status = GS_FAIL;
  char version[16];

  if (s == NULL || path == NULL)
    return gs_error_set (err, _("invalid arguments to save a session"));
  tr = s->trainer;
  h = s->history;
  n_points = gs_history_n_points (h);
  t = calloc (1, sizeof *t);
  loss = malloc (sizeof (float) * 4 * (size_t) (n_points > 0 ? n_points : 1));
  files = cJSON_CreateObject ();
  if (t == NULL || loss == NULL || files == NULL) {
    gs_error_set (err, _("out of memory"));
    goto out;
  }
  if (files_to_json (&tr->task, files, err) != GS_OK) {
    gs_error_prefix (err, "%s", path);
    goto out;
  }

  add_model (t, tr->model, "");
  add_optimizer (t, tr->opt, "optim.m1", "optim.m2");
  if (tr->decoder) {
    add_model (t, tr->decoder, "decoder.");
    add_optimizer (t, tr->dec_opt, "decoder_optim.m1", "decoder_optim.m2");
  }

  hist = cJSON_CreateObject ();
  cJSON_AddNumberToObject (hist, "count", (double) gs_history_count (h));
  cJSON_AddNumberToObject (hist, "span", (double) gs_history_span (h));
  cJSON_AddNumberToObject (hist, "buckets", gs_history_n_buckets (h));
  first = cJSON_AddArrayToObject (hist, "first");
  n = cJSON_AddArrayToObject (hist, "n");
  n_metric = cJSON_AddArrayToObject (hist, "n_metric");
  for (int i = 0; i < n_points; i++) {
    const GsHistPoint *p = gs_history_point (h, i);
    cJSON_AddItemToArray (first, cJSON_CreateNumber ((double) p->first));
    cJSON_AddItemToArray (n, cJSON_CreateNumber (p->n));
    cJSON_AddItemToArray (n_metric, cJSON_CreateNumber (p->n_metric));
    loss[4 * i + 0] = p->loss_min;
    loss[4 * i + 1] = p->loss_mean;
    loss[4 * i + 2] = p->loss_max;
    loss[4 * i + 3] = p->metric;
  }
  if (n_points > 0)
    add_tensor (t, "history.loss", 2, n_points, 4, loss);

  config = config_to_json (&tr->cfg);
  state = state_to_json (s);
  j_config = cJSON_PrintUnformatted (config);
  j_state = cJSON_PrintUnformatted (state);
  j_hist = cJSON_PrintUnformatted (hist);
  j_files = cJSON_PrintUnformatted (files);
  if (j_config == NULL || j_state == NULL || j_hist == NULL || j_files == NULL) {
    gs_error_set (err, _("out of memory"));
    goto out;
  }
  snprintf (version, sizeof version, "%d", GS_SESSION_VERSION);
  {
    uint64_t sum = 0;
    char sum_hex[17];
    for (int i = 0; i < t->n; i++) {
      size_t numel = 1;
      for (int d = 0; d < t->w[i].ndim; d++)
        numel *= (size_t) t->w[i].shape[d];
      sum = tensor_sum (sum, t->w[i].name, t->w[i].data, numel * sizeof (float));
    }
    hex64 (sum_hex, sum);
    static const char *const input_names[] = { "embed", "onehot", "dense" };
    static const char *const loss_names[] = { "ce", "mse" };
    const char *meta[] = {
      "format", GS_SESSION_FORMAT,
      "format_version", version,
      "config", j_config,
      "state", j_state,
      "history", j_hist,
      "files", j_files,
      "interventions", "[]",
      "checksum", sum_hex,
      "task", tr->task.spec,
      "cell", gs_cell_name (tr->model->cfg.cell),
      "input", input_names[tr->model->cfg.input],
      "loss", loss_names[tr->model->cfg.loss],
    };
    status = gs_st_write (path, t->w, t->n, meta, (int) (sizeof meta / sizeof meta[0] / 2), err);
  }
out:
  cJSON_Delete (config);
  cJSON_Delete (state);
  cJSON_Delete (hist);
  cJSON_Delete (files);
  free (j_config);
  free (j_state);
  free (j_hist);
  free (j_files);
  free (loss);
  free (t);
  return status;
}

/* ------------------------------------------------------------ loading */

bool
gs_session_file_is_session (const GsSafetensors *st)
{
  const char *format = gs_st_meta (st, "format");
  return format != NULL && strcmp (format, GS_SESSION_FORMAT) == 0;
}

static int
load_model (const GsSafetensors *st, GsModel *m, const char *prefix, GsError *err)
{
  GsTensorInfo info[GS_MAX_TENSORS];
  int nt = gs_config_tensors (&m->cfg, info);

  for (int i = 0; i < nt; i++) {
    char name[64];
    const GsStTensor *x;
    snprintf (name, sizeof name, "%s%s", prefix, info[i].name);
    x = gs_st_find (st, name);
    if (x == NULL)
      return gs_error_set (err, _("tensor %s is missing"), name);
    if (x->ndim != info[i].ndim || x->shape[0] != info[i].shape[0]
        || (info[i].ndim > 1 && x->shape[1] != info[i].shape[1]))
      return gs_error_set (err, _("tensor %s does not have the shape the session's configuration gives it"), name);
    if (gs_st_get_f32 (st, name, m->params_mem + info[i].offset, info[i].numel, err) != GS_OK)
      return GS_FAIL;
  }
  gs_model_params_changed (m);
  return GS_OK;
}

static int
load_optimizer (const GsSafetensors *st, GsOptimizer *o, const char *m1, const char *m2,
                const cJSON *state, const char *step_key, GsError *err)
{
  long long step;
  if (o->m1 && gs_st_get_f32 (st, m1, o->m1, o->n, err) != GS_OK)
    return GS_FAIL;
  if (o->m2 && gs_st_get_f32 (st, m2, o->m2, o->n, err) != GS_OK)
    return GS_FAIL;
  if (!get_int (state, step_key, 0, 1ll << 52, &step))
    return gs_error_set (err, _("the session's state has no valid %s"), step_key);
  o->step = (long) step;
  return GS_OK;
}

static int
load_history (const GsSafetensors *st, GsHistory *h, const cJSON *hist, GsError *err)
{
  const cJSON *first = cJSON_GetObjectItemCaseSensitive (hist, "first");
  const cJSON *n = cJSON_GetObjectItemCaseSensitive (hist, "n");
  const cJSON *n_metric = cJSON_GetObjectItemCaseSensitive (hist, "n_metric");
  long long count, span, buckets;
  GsHistPoint *points;
  float *loss;
  int n_points, status = GS_FAIL;

  if (!get_int (hist, "count", 0, 1ll << 52, &count) || !get_int (hist, "span", 1, 1ll << 52, &span)
      || !get_int (hist, "buckets", 0, 1 << 24, &buckets)
      || !cJSON_IsArray (first) || !cJSON_IsArray (n) || !cJSON_IsArray (n_metric))
    return gs_error_set (err, _("the session's loss history is not valid"));
  n_points = cJSON_GetArraySize (first);
  if (cJSON_GetArraySize (n) != n_points || cJSON_GetArraySize (n_metric) != n_points
      || n_points > GS_HISTORY_RECENT + GS_HISTORY_BUCKETS)
    return gs_error_set (err, _("the session's loss history is not valid"));
  points = calloc ((size_t) n_points + 1, sizeof *points);
  loss = calloc (4 * (size_t) n_points + 1, sizeof *loss);
  if (points == NULL || loss == NULL) {
    gs_error_set (err, _("out of memory"));
    goto out;
  }
  if (n_points > 0 && gs_st_get_f32 (st, "history.loss", loss, 4 * (size_t) n_points, err) != GS_OK)
    goto out;
  for (int i = 0; i < n_points; i++) {
    const cJSON *a = cJSON_GetArrayItem (first, i), *b = cJSON_GetArrayItem (n, i);
    const cJSON *c = cJSON_GetArrayItem (n_metric, i);
    if (!cJSON_IsNumber (a) || !cJSON_IsNumber (b) || !cJSON_IsNumber (c)
        || a->valuedouble < 0 || a->valuedouble > 4.5e15 || b->valuedouble < 1 || b->valuedouble > 2e9
        || c->valuedouble < 0 || c->valuedouble > 2e9) {
      gs_error_set (err, _("the session's loss history is not valid"));
      goto out;
    }
    points[i].first = (long long) a->valuedouble;
    points[i].n = (int) b->valuedouble;
    points[i].n_metric = (int) c->valuedouble;
    points[i].loss_min = loss[4 * i + 0];
    points[i].loss_mean = loss[4 * i + 1];
    points[i].loss_max = loss[4 * i + 2];
    points[i].metric = loss[4 * i + 3];
  }
  status = gs_history_restore (h, points, n_points, (int) buckets, span, count, err);
out:
  free (points);
  free (loss);
  return status;
}

static cJSON *
meta_json (const GsSafetensors *st, const char *key, GsError *err)
{
  const char *text = gs_st_meta (st, key);
  cJSON *j = text ? cJSON_Parse (text) : NULL;
  if (j == NULL)
    gs_error_set (err, _("the session's \"%s\" metadata is missing or not valid JSON"), key);
  return j;
}

static int
phase_from_name (const char *name, GsPhase *out)
{
  for (GsPhase p = GS_PHASE_IDLE; p <= GS_PHASE_UPDATED; p++)
    if (strcmp (name, gs_phase_name (p)) == 0) {
      *out = p;
      return GS_OK;
    }
  return GS_FAIL;
}

static bool
rng_equal (const GsRng *a, const GsRng *b)
{
  return a->state == b->state && a->inc == b->inc;
}

/* The state after the weights, the optimizers and the history: the RNG
 * states, the epoch, and the current batch stepped to where it was. */
static int
load_state (GsStepper *s, const cJSON *state, GsError *err)
{
  GsTrainer *tr = s->trainer;
  const cJSON *rng = cJSON_GetObjectItemCaseSensitive (state, "rng");
  const cJSON *phase = cJSON_GetObjectItemCaseSensitive (state, "phase");
  GsRng data, dropout;
  uint64_t loss_bits, norm_bits;
  long long epoch, n_fwd, n_bwd;
  const int n = gs_stepper_forward_len (s);
  GsPhase ph;

  if (!get_int (state, "epoch", 0, 1 << 30, &epoch)
      || !cJSON_IsString (phase) || phase_from_name (phase->valuestring, &ph) != GS_OK
      || !get_int (state, "n_fwd", 0, n, &n_fwd) || !get_int (state, "n_bwd", 0, n, &n_bwd)
      || !parse_hex64 (cJSON_GetObjectItemCaseSensitive (state, "last_loss"), &loss_bits)
      || !parse_hex64 (cJSON_GetObjectItemCaseSensitive (state, "last_grad_norm"), &norm_bits)
      || !get_rng (rng, "init", &tr->init_rng) || !get_rng (rng, "data", &data)
      || !get_rng (rng, "dropout", &dropout)
      || !get_rng (rng, "batch_data", &tr->data_rng) || !get_rng (rng, "batch_dropout", &tr->dropout_rng))
    return gs_error_set (err, _("the session's state is not valid"));
  /* A cursor that the phase cannot have. */
  if ((ph == GS_PHASE_IDLE && (n_fwd != 0 || n_bwd != 0))
      || (ph == GS_PHASE_FORWARD && (n_fwd == 0 || n_bwd != 0))
      || (ph == GS_PHASE_BACKWARD && n_fwd != n)
      || (ph == GS_PHASE_UPDATED && (n_fwd != n || n_bwd != n)))
    return gs_error_set (err, _("the session's state is not valid: phase %s at forward step %lld, backward step %lld"),
                         phase->valuestring, n_fwd, n_bwd);
  tr->epoch = (int) epoch;
  tr->last_loss = bits_float (loss_bits);
  tr->last_grad_norm = bits_float (norm_bits);
  /* The current batch, drawn again: the streams must end where they were. */
  gs_stepper_next_sequence (s);
  if (!rng_equal (&tr->data_rng, &data) || !rng_equal (&tr->dropout_rng, &dropout))
    return gs_error_set (err, _("the session's random number states do not agree with each other"));
  if (ph == GS_PHASE_UPDATED) {
    s->n_fwd = s->n_bwd = n;
    s->phase = ph;
    return GS_OK;
  }
  for (long long i = 0; i < n_fwd; i++)
    if (gs_stepper_forward_step (s, err) != GS_OK)
      return GS_FAIL;
  for (long long i = 0; i < n_bwd; i++)
    if (gs_stepper_backward_step (s, err) != GS_OK)
      return GS_FAIL;
  return GS_OK;
}

GsStepper *
gs_session_file_from_safetensors (const GsSafetensors *st, const char *path, const char *data_dir,
                             GsError *err)
{
  const char *version = gs_st_meta (st, "format_version");
  cJSON *config = NULL, *state = NULL, *hist = NULL, *files = NULL;
  GsTrainConfig cfg;
  GsStepper *s = NULL;
  char *end;
  long v;

  if (!gs_session_file_is_session (st)) {
    gs_error_set (err, _("%s: this is not a Gatescope session (no \"format\": \"%s\" in its metadata)"),
                  path, GS_SESSION_FORMAT);
    return NULL;
  }
  errno = 0;
  v = version ? strtol (version, &end, 10) : 0;
  if (version == NULL || errno != 0 || *end != '\0' || v < 1) {
    gs_error_set (err, _("%s: the session has no valid format version"), path);
    return NULL;
  }
  if (v > GS_SESSION_VERSION) {
    gs_error_set (err, _("%s: the session was written by a newer Gatescope (session format %ld; this one reads format %d)"),
                  path, v, GS_SESSION_VERSION);
    return NULL;
  }
  {
    uint64_t sum = 0, want;
    cJSON *j = cJSON_CreateString (gs_st_meta (st, "checksum") ? gs_st_meta (st, "checksum") : "");
    bool ok = j != NULL && parse_hex64 (j, &want);
    cJSON_Delete (j);
    for (int i = 0; ok && i < st->n_tensors; i++)
      sum = tensor_sum (sum, st->tensors[i].name, st->tensors[i].data, st->tensors[i].nbytes);
    if (!ok || sum != want) {
      gs_error_set (err, _("%s: the session is damaged: its tensors do not match their checksum"), path);
      return NULL;
    }
  }
  if ((config = meta_json (st, "config", err)) == NULL || (state = meta_json (st, "state", err)) == NULL
      || (hist = meta_json (st, "history", err)) == NULL || (files = meta_json (st, "files", err)) == NULL)
    goto fail;
  if (!config_from_json (&cfg, config)) {
    gs_error_set (err, _("the session's configuration is not valid"));
    goto fail;
  }
  if (files_restore (&cfg, files, data_dir, err) != GS_OK
      || gs_train_config_validate (&cfg, err) != GS_OK
      || (s = gs_stepper_new (&cfg, err)) == NULL
      || load_model (st, s->trainer->model, "", err) != GS_OK
      || load_optimizer (st, s->trainer->opt, "optim.m1", "optim.m2", state, "opt_step", err) != GS_OK
      || (s->trainer->decoder
          && (load_model (st, s->trainer->decoder, "decoder.", err) != GS_OK
              || load_optimizer (st, s->trainer->dec_opt, "decoder_optim.m1", "decoder_optim.m2",
                                 state, "decoder_opt_step", err) != GS_OK))
      || load_history (st, s->history, hist, err) != GS_OK
      || load_state (s, state, err) != GS_OK)
    goto fail;
  cJSON_Delete (config);
  cJSON_Delete (state);
  cJSON_Delete (hist);
  cJSON_Delete (files);
  return s;

fail:
  gs_error_prefix (err, "%s", path);
  gs_stepper_free (s);
  cJSON_Delete (config);
  cJSON_Delete (state);
  cJSON_Delete (hist);
  cJSON_Delete (files);
  return NULL;
}

GsStepper *
gs_session_file_load (const char *path, const char *data_dir, GsError *err)
{
  GsSafetensors *st = gs_st_read (path, err);
  GsStepper *s;

  if (st == NULL)
    return NULL;
  s = gs_session_file_from_safetensors (st, path, data_dir, err);
  gs_st_free (st);
  return s;
}
