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
#include "gs-intervene.h"

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

/* ------------------------------------------------------ interventions */

static const char *const iv_kind_keys[] = {
  [GS_IV_CLAMP] = "clamp", [GS_IV_SET_C] = "set_c", [GS_IV_SET_H] = "set_h",
  [GS_IV_ABLATE] = "ablate", [GS_IV_WEIGHT] = "weight",
};

static cJSON *
interventions_to_json (const GsInterventions *list)
{
  cJSON *arr = cJSON_CreateArray ();

  for (int i = 0; list != NULL && i < list->n; i++) {
    const GsIntervention *iv = &list->item[i];
    cJSON *o = cJSON_CreateObject ();
    cJSON_AddStringToObject (o, "kind", iv_kind_keys[iv->kind]);
    if (iv->kind == GS_IV_WEIGHT) {
      cJSON_AddStringToObject (o, "tensor", iv->tensor);
      cJSON_AddNumberToObject (o, "row", iv->row);
      cJSON_AddNumberToObject (o, "col", iv->col);
    } else {
      cJSON *units = cJSON_AddArrayToObject (o, "units");
      char gate[2] = { iv->gate_letter, '\0' };
      cJSON_AddNumberToObject (o, "layer", iv->layer + 1);
      if (iv->kind == GS_IV_CLAMP)
        cJSON_AddStringToObject (o, "gate", gate);
      cJSON_AddItemToArray (units, cJSON_CreateNumber (iv->u0));
      cJSON_AddItemToArray (units, cJSON_CreateNumber (iv->u1));
      cJSON_AddNumberToObject (o, "t", iv->t);
    }
    cJSON_AddNumberToObject (o, "value", iv->value);
    cJSON_AddItemToArray (arr, o);
  }
  return arr;
}

/* The list a session holds, each item marked from_session; checked against
 * the model later (gs_interventions_validate). */
static int
interventions_from_json (GsInterventions *list, const cJSON *arr, GsError *err)
{
  const cJSON *o;

  list->n = 0;
  if (!cJSON_IsArray (arr) || cJSON_GetArraySize (arr) > GS_MAX_INTERVENTIONS)
    return gs_error_set (err, _("the session's interventions are not a list of at most %d"),
                         GS_MAX_INTERVENTIONS);
  cJSON_ArrayForEach (o, arr) {
    GsIntervention iv = { .t = -1, .from_session = true };
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive (o, "kind");
    const int at = list->n + 1;
    long long a, b;
    int k;

    for (k = 0; k <= GS_IV_WEIGHT; k++)
      if (cJSON_IsString (kind) && strcmp (kind->valuestring, iv_kind_keys[k]) == 0)
        break;
    if (k > GS_IV_WEIGHT || k == GS_IV_ABLATE || !get_float (o, "value", &iv.value))
      return gs_error_set (err, _("the session's intervention %d is not valid"), at);
    iv.kind = (GsIvKind) k;
    if (iv.kind == GS_IV_WEIGHT) {
      const cJSON *tensor = cJSON_GetObjectItemCaseSensitive (o, "tensor");
      if (!cJSON_IsString (tensor) || strlen (tensor->valuestring) >= sizeof iv.tensor
          || !get_int (o, "row", 0, 1 << 30, &a) || !get_int (o, "col", -1, 1 << 30, &b))
        return gs_error_set (err, _("the session's intervention %d is not valid"), at);
      strcpy (iv.tensor, tensor->valuestring);
      iv.u1 = -1;   /* as gs_interventions_parse leaves a weight edit */
      iv.row = (int) a;
      iv.col = (int) b;
    } else {
      const cJSON *units = cJSON_GetObjectItemCaseSensitive (o, "units");
      const cJSON *gate = cJSON_GetObjectItemCaseSensitive (o, "gate");
      long long layer, t;
      if (!get_int (o, "layer", 1, GS_MAX_LAYERS, &layer) || !get_int (o, "t", -1, 1 << 30, &t)
          || !cJSON_IsArray (units) || cJSON_GetArraySize (units) != 2
          || !cJSON_IsNumber (cJSON_GetArrayItem (units, 0)) || !cJSON_IsNumber (cJSON_GetArrayItem (units, 1)))
        return gs_error_set (err, _("the session's intervention %d is not valid"), at);
      a = (long long) cJSON_GetArrayItem (units, 0)->valuedouble;
      b = (long long) cJSON_GetArrayItem (units, 1)->valuedouble;
      if (a < 0 || a > GS_MAX_HIDDEN || b < -1 || b > GS_MAX_HIDDEN || (b >= 0 && b <= a))
        return gs_error_set (err, _("the session's intervention %d is not valid"), at);
      if (iv.kind == GS_IV_CLAMP) {
        if (!cJSON_IsString (gate) || strlen (gate->valuestring) != 1
            || strchr ("ifgorz", gate->valuestring[0]) == NULL)
          return gs_error_set (err, _("the session's intervention %d is not valid"), at);
        iv.gate_letter = gate->valuestring[0];
      }
      iv.layer = (int) layer - 1;
      iv.u0 = (int) a;
      iv.u1 = (int) b;
      iv.t = (int) t;
    }
    list->item[list->n++] = iv;
  }
  return GS_OK;
}

/* --------------------------------------------------------- recordings */

static uint64_t tensor_sum (uint64_t sum, const char *name, const void *data, size_t nbytes);

int
gs_session_recordings_fit (int n, size_t bytes_each, size_t budget, int *keep)
{
  size_t fit;

  if (n <= 0)
    return 0;
  fit = bytes_each > 0 ? budget / bytes_each : (size_t) n;
  if (fit >= (size_t) n) {
    for (int i = 0; i < n; i++)
      keep[i] = i;
    return n;
  }
  if (fit < 2)
    return 0;
  /* k = 0 … fit − 1 spread over 0 … n − 1, rounded to nearest */
  for (size_t k = 0; k < fit; k++)
    keep[k] = (int) ((k * (size_t) (n - 1) + (fit - 1) / 2) / (fit - 1));
  return (int) fit;
}

static int
recordings_kept (const GsRecordings *r, int keep[GS_RECORDINGS_MAX + 1])
{
  if (r == NULL || r->n == 0)
    return 0;
  return gs_session_recordings_fit (r->n, r->rec[0].n_params * sizeof (float), GS_SESSION_RECORDINGS_BUDGET,
                                    keep);
}

/* Whether the recordings tensor has the bytes it was written with. */
static int
recordings_intact (const GsSafetensors *st, GsError *err)
{
  const char *text = gs_st_meta (st, "recordings");
  const GsStTensor *x = gs_st_find (st, "recordings.params");
  cJSON *meta = text ? cJSON_Parse (text) : NULL;
  uint64_t want;
  int status = GS_OK;

  if (x != NULL && meta != NULL && parse_hex64 (cJSON_GetObjectItemCaseSensitive (meta, "checksum"), &want)
      && tensor_sum (0, x->name, x->data, x->nbytes) != want)
    status = gs_error_set (err, _("the recordings tensor recordings.params is damaged: its bytes do not match their checksum"));
  cJSON_Delete (meta);
  return status;
}

/* The recordings in the file (their weights), checked against the run;
 * with out NULL only checked. */
static int
load_recordings (const GsSafetensors *st, const GsStepper *s, GsRecordings **out, GsError *err)
{
  const char *text = gs_st_meta (st, "recordings");
  const GsTrainer *tr = s->trainer;
  const size_t n_params = tr->model->n_params + (tr->decoder ? tr->decoder->n_params : 0);
  const GsStTensor *x = gs_st_find (st, "recordings.params");
  GsRecordings *r = NULL;
  cJSON *meta = NULL;
  const cJSON *epochs, *scheduled;
  float *all = NULL;
  int n, status = GS_FAIL;

  if (text == NULL && x == NULL) {
    if (out != NULL && (*out = gs_recordings_new (GS_RECORDINGS_MAX, err)) == NULL)
      return GS_FAIL;
    return GS_OK;
  }
  if (text == NULL || (meta = cJSON_Parse (text)) == NULL)
    return gs_error_set (err, _("the session's \"%s\" metadata is missing or not valid JSON"), "recordings");
  epochs = cJSON_GetObjectItemCaseSensitive (meta, "epochs");
  scheduled = cJSON_GetObjectItemCaseSensitive (meta, "scheduled");
  n = cJSON_GetArraySize (epochs);
  if (!cJSON_IsArray (epochs) || !cJSON_IsArray (scheduled) || cJSON_GetArraySize (scheduled) != n
      || n > GS_RECORDINGS_MAX) {
    gs_error_set (err, _("the session's list of recordings is not valid"));
    goto out;
  }
  if (n > 0 && x == NULL) {
    gs_error_set (err, _("the recordings tensor recordings.params is missing"));
    goto out;
  }
  if (x != NULL
      && (x->dtype != GS_DT_F32 || x->ndim != 2 || x->shape[0] != n || (size_t) x->shape[1] != n_params)) {
    char shape[64];
    gs_error_set (err, _("the recordings tensor recordings.params has dtype %s and shape %s, not F32 (%d, %zu): "
                         "it is damaged or of another run"),
                  x->dtype_name, gs_st_format_shape (shape, sizeof shape, x->shape, x->ndim), n, n_params);
    goto out;
  }
  for (int i = 0; i < n; i++) {
    const cJSON *e = cJSON_GetArrayItem (epochs, i);
    if (!cJSON_IsNumber (e) || e->valuedouble < 0 || e->valuedouble > 1e15 || e->valuedouble != floor (e->valuedouble)
        || (i > 0 && e->valuedouble <= cJSON_GetArrayItem (epochs, i - 1)->valuedouble)
        || !cJSON_IsBool (cJSON_GetArrayItem (scheduled, i))) {
      gs_error_set (err, _("the session's recording %d is not valid: its epoch is out of order"), i + 1);
      goto out;
    }
  }
  if (out == NULL) {
    status = GS_OK;
    goto out;
  }
  if ((r = gs_recordings_new (GS_RECORDINGS_MAX, err)) == NULL)
    goto out;
  if (n > 0) {
    all = malloc (x->nbytes);
    if (all == NULL) {
      gs_error_set (err, _("out of memory"));
      goto out;
    }
    if (gs_st_get_f32 (st, "recordings.params", all, (size_t) n * n_params, err) != GS_OK)
      goto out;
  }
  /* the weights only: gs_recordings_replay computes the snapshots */
  for (int i = 0; i < n; i++) {
    long epoch = (long) cJSON_GetArrayItem (epochs, i)->valuedouble;
    float *params = malloc (n_params * sizeof (float));
    if (params == NULL) {
      gs_error_set (err, _("out of memory"));
      goto out;
    }
    memcpy (params, all + (size_t) i * n_params, n_params * sizeof (float));
    for (size_t j = 0; j < n_params; j++)
      if (!isfinite (params[j])) {
        free (params);
        gs_error_set (err, _("the recordings tensor recordings.params is damaged: recording %d holds a weight that is not a finite number"),
                      i + 1);
        goto out;
      }
    gs_recordings_add (r, epoch, cJSON_IsTrue (cJSON_GetArrayItem (scheduled, i)), -1, params, n_params, NULL);
  }
  *out = r;
  r = NULL;
  status = GS_OK;
out:
  cJSON_Delete (meta);
  free (all);
  gs_recordings_free (r);
  return status;
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
  GsStWrite w[3 * GS_MAX_TENSORS + 9];
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
  /* an encoder–decoder's evaluation pass, and the choice for the next ones */
  if (s->decode != GS_DECODE_TEACHER)
    cJSON_AddStringToObject (o, "decode", gs_decode_name (s->decode));
  if (s->next_decode != GS_DECODE_TEACHER)
    cJSON_AddStringToObject (o, "next_decode", gs_decode_name (s->next_decode));
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
  return gs_session_file_save_full (s, NULL, path, err);
}

int
gs_session_file_save_full (const GsStepper *s, const GsRecordings *recordings, const char *path,
                           GsError *err)
{
  const GsTrainer *tr;
  const GsHistory *h;
  GsTrainConfig cfg;
  Tensors *t = NULL;
  cJSON *config = NULL, *state = NULL, *hist = NULL, *files = NULL, *ivs = NULL, *recs = NULL;
  cJSON *first, *n, *n_metric;
  char *j_config = NULL, *j_state = NULL, *j_hist = NULL, *j_files = NULL, *j_ivs = NULL, *j_recs = NULL;
  float *loss = NULL, *rec_params = NULL;
  int keep[GS_RECORDINGS_MAX + 1];
  int n_points, n_recs, status = GS_FAIL;
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

  /* The history of learning: one row of weights per recording kept. */
  n_recs = recordings_kept (recordings, keep);
  if (n_recs > 0) {
    const size_t np = recordings->rec[0].n_params;
    cJSON *epochs, *sched;
    rec_params = malloc ((size_t) n_recs * np * sizeof (float));
    if (rec_params == NULL) {
      gs_error_set (err, _("out of memory"));
      goto out;
    }
    recs = cJSON_CreateObject ();
    epochs = cJSON_AddArrayToObject (recs, "epochs");
    sched = cJSON_AddArrayToObject (recs, "scheduled");
    for (int i = 0; i < n_recs; i++) {
      const GsRecording *g = &recordings->rec[keep[i]];
      memcpy (rec_params + (size_t) i * np, g->params, np * sizeof (float));
      cJSON_AddItemToArray (epochs, cJSON_CreateNumber ((double) g->epoch));
      cJSON_AddItemToArray (sched, cJSON_CreateBool (g->scheduled));
    }
    add_tensor (t, "recordings.params", 2, n_recs, (int64_t) np, rec_params);
    /* its own checksum, so that damage to it is named */
    {
      char hex[17];
      cJSON_AddStringToObject (recs, "checksum",
                               hex64 (hex, tensor_sum (0, "recordings.params", rec_params,
                                                       (size_t) n_recs * np * sizeof (float))));
    }
    j_recs = cJSON_PrintUnformatted (recs);
  }

  /* The canonical spec: it names every parameter whose default has
   * changed (gs_task_spec_from_file), where the given one may not. */
  cfg = tr->cfg;
  snprintf (cfg.task, sizeof cfg.task, "%s", tr->task.spec);
  config = config_to_json (&cfg);
  state = state_to_json (s);
  ivs = interventions_to_json (tr->model->iv);
  j_config = cJSON_PrintUnformatted (config);
  j_state = cJSON_PrintUnformatted (state);
  j_hist = cJSON_PrintUnformatted (hist);
  j_files = cJSON_PrintUnformatted (files);
  j_ivs = cJSON_PrintUnformatted (ivs);
  if (j_config == NULL || j_state == NULL || j_hist == NULL || j_files == NULL || j_ivs == NULL
      || (n_recs > 0 && j_recs == NULL)) {
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
      "interventions", j_ivs,
      "checksum", sum_hex,
      "task", tr->task.spec,
      "cell", gs_cell_name (tr->model->cfg.cell),
      "input", input_names[tr->model->cfg.input],
      "loss", loss_names[tr->model->cfg.loss],
      "recordings", j_recs,
    };
    /* "recordings" last: left out when there are none. */
    status = gs_st_write (path, t->w, t->n, meta,
                          (int) (sizeof meta / sizeof meta[0] / 2) - (j_recs == NULL ? 1 : 0), err);
  }
out:
  cJSON_Delete (config);
  cJSON_Delete (state);
  cJSON_Delete (hist);
  cJSON_Delete (files);
  cJSON_Delete (ivs);
  cJSON_Delete (recs);
  free (j_config);
  free (j_state);
  free (j_hist);
  free (j_files);
  free (j_ivs);
  free (j_recs);
  free (loss);
  free (rec_params);
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
  /* walked along, not indexed: cJSON_GetArrayItem counts from the start
   * each time, which made opening a long run's session take a third of a
   * second */
  const cJSON *a = first->child, *b = n->child, *c = n_metric->child;
  for (int i = 0; i < n_points; i++, a = a->next, b = b->next, c = c->next) {
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
  const cJSON *decode = cJSON_GetObjectItemCaseSensitive (state, "decode");
  const cJSON *next_decode = cJSON_GetObjectItemCaseSensitive (state, "next_decode");
  GsDecode dec = GS_DECODE_TEACHER, next_dec = GS_DECODE_TEACHER;
  GsPhase ph;

  /* How the decoder is fed: teacher forcing where the file does not say
   * (files from before greedy passes could be stepped). */
  if ((decode != NULL && (!cJSON_IsString (decode) || gs_decode_from_name (decode->valuestring, &dec) != GS_OK))
      || (next_decode != NULL
          && (!cJSON_IsString (next_decode) || gs_decode_from_name (next_decode->valuestring, &next_dec) != GS_OK))
      || ((dec != GS_DECODE_TEACHER || next_dec != GS_DECODE_TEACHER) && !gs_stepper_is_pair (s)))
    return gs_error_set (err, _("the session's state is not valid"));
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
      || (ph == GS_PHASE_UPDATED && (n_fwd != n || n_bwd != n))
      || (dec == GS_DECODE_GREEDY && (ph == GS_PHASE_BACKWARD || ph == GS_PHASE_UPDATED)))
    return gs_error_set (err, _("the session's state is not valid: phase %s at forward step %lld, backward step %lld"),
                         phase->valuestring, n_fwd, n_bwd);
  tr->epoch = (int) epoch;
  tr->last_loss = bits_float (loss_bits);
  tr->last_grad_norm = bits_float (norm_bits);
  /* The current batch, drawn again: the streams must end where they were. */
  s->next_decode = dec;
  gs_stepper_next_sequence (s);
  s->next_decode = next_dec;
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
  return gs_session_file_from_safetensors_full (st, path, data_dir, NULL, err);
}

GsStepper *
gs_session_file_from_safetensors_full (const GsSafetensors *st, const char *path, const char *data_dir,
                                       GsRecordings **recordings, GsError *err)
{
  const char *version = gs_st_meta (st, "format_version");
  cJSON *config = NULL, *state = NULL, *hist = NULL, *files = NULL, *ivs = NULL;
  GsInterventions list = { .n = 0 };
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
  /* Over the budget: refused from the header, before the checksums read
   * the tensor and before a model or a copy of the recordings is made. */
  {
    const GsStTensor *x = gs_st_find (st, "recordings.params");
    if (x != NULL && x->nbytes > GS_SESSION_RECORDINGS_BUDGET) {
      gs_error_set (err, _("the recordings tensor recordings.params holds %zu MiB, more than the %u MiB a session may"),
                    (x->nbytes + (1u << 20) - 1) >> 20, GS_SESSION_RECORDINGS_BUDGET >> 20);   /* rounded up */
      gs_error_prefix (err, "%s", path);
      return NULL;
    }
  }
  if (recordings_intact (st, err) != GS_OK) {
    gs_error_prefix (err, "%s", path);
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
  if (recordings != NULL)
    *recordings = NULL;
  if ((config = meta_json (st, "config", err)) == NULL || (state = meta_json (st, "state", err)) == NULL
      || (hist = meta_json (st, "history", err)) == NULL || (files = meta_json (st, "files", err)) == NULL)
    goto fail;
  /* Format 1 wrote "[]" and nothing else; format 2 the list that holds. */
  if (v >= 2 && ((ivs = meta_json (st, "interventions", err)) == NULL
                 || interventions_from_json (&list, ivs, err) != GS_OK))
    goto fail;
  if (!config_from_json (&cfg, config)) {
    gs_error_set (err, _("the session's configuration is not valid"));
    goto fail;
  }
  if (gs_task_spec_from_file (cfg.task, sizeof cfg.task, err) != GS_OK
      || files_restore (&cfg, files, data_dir, err) != GS_OK
      || gs_train_config_validate (&cfg, err) != GS_OK
      || (s = gs_stepper_new (&cfg, err)) == NULL
      || load_model (st, s->trainer->model, "", err) != GS_OK
      || load_optimizer (st, s->trainer->opt, "optim.m1", "optim.m2", state, "opt_step", err) != GS_OK
      || (s->trainer->decoder
          && (load_model (st, s->trainer->decoder, "decoder.", err) != GS_OK
              || load_optimizer (st, s->trainer->dec_opt, "decoder_optim.m1", "decoder_optim.m2",
                                 state, "decoder_opt_step", err) != GS_OK))
      || load_history (st, s->history, hist, err) != GS_OK)
    goto fail;
  /* The interventions hold again before the current sequence is stepped
   * to where it was: it was computed with them. */
  if (list.n > 0 && gs_stepper_is_pair (s)) {
    gs_error_set (err, _("the session holds interventions, but its task has an encoder and a decoder"));
    goto fail;
  }
  if ((list.n > 0 && gs_model_set_interventions (s->trainer->model, &list, err) != GS_OK)
      || load_state (s, state, err) != GS_OK
      || (v >= 2 && load_recordings (st, s, recordings, err) != GS_OK))
    goto fail;
  if (v < 2 && recordings != NULL && (*recordings = gs_recordings_new (GS_RECORDINGS_MAX, err)) == NULL)
    goto fail;
  cJSON_Delete (config);
  cJSON_Delete (state);
  cJSON_Delete (hist);
  cJSON_Delete (files);
  cJSON_Delete (ivs);
  return s;

fail:
  gs_error_prefix (err, "%s", path);
  gs_stepper_free (s);
  cJSON_Delete (config);
  cJSON_Delete (state);
  cJSON_Delete (hist);
  cJSON_Delete (files);
  cJSON_Delete (ivs);
  return NULL;
}

GsStepper *
gs_session_file_load (const char *path, const char *data_dir, GsError *err)
{
  return gs_session_file_load_full (path, data_dir, NULL, err);
}

GsStepper *
gs_session_file_load_full (const char *path, const char *data_dir, GsRecordings **recordings,
                           GsError *err)
{
  GsSafetensors *st = gs_st_read (path, err);
  GsStepper *s;

  if (st == NULL)
    return NULL;
  s = gs_session_file_from_safetensors_full (st, path, data_dir, recordings, err);
  gs_st_free (st);
  return s;
}
