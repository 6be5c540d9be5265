/* gs-model-file.c — models stored as safetensors, under PyTorch's names.
 *
 * Saving writes gs_config_tensors() in order with "cell", "input" and "loss"
 * metadata, and the cell variant's fields that differ from PyTorch's plain
 * cell (an absent key is the plain value), one key per row of
 * gs_variant_table (gs-variant-table.c), in the table's order:
 *
 *   "forget_bias" "1"   "peephole" "1"   "cifg" "1"   "no_forget_gate" "1"
 *   "no_input_gate" "1" "no_output_gate" "1"         "no_input_act" "1"
 *   "no_output_act" "1" "full_gate_recurrence" "1"
 *   "cell_clip" "3"     "proj" "4"       "gru_reset" "before"
 *   "irnn" "1"          "bidirectional" "1"          "dropout" "0.2"
 *   "recurrent_dropout" "0.25"           "bptt" "20"
 *
 * Loading infers the configuration from the tensor shapes — the projection
 * from rnn.weight_hr_l0, bidirectional layers from the _reverse tensors,
 * peepholes from rnn.weight_ch_l0, full gate recurrence from rnn.weight_gg_l0, so a file PyTorch wrote loads — and the
 * metadata must agree with them; it checks every tensor before a model is
 * built, so a file from PyTorch loads and gives PyTorch's outputs.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-c-numeric.h"
#include "gs-i18n.h"
#include "gs-safetensors.h"
#include "gs-variant-table.h"

static const char *const input_names[] = { "embed", "onehot", "dense" };
static const char *const loss_names[] = { "ce", "mse" };

/* The metadata keys Gatescope writes itself: these three and each variant
 * row's meta_key (gs-variant-table.c). */
static const char *const reserved[] = { "cell", "input", "loss" };
#define N_RESERVED (sizeof reserved / sizeof reserved[0])
#define N_VARIANT_KEYS 32

static const char *
reserved_key (const char *key)
{
  for (size_t r = 0; r < N_RESERVED; r++)
    if (strcmp (key, reserved[r]) == 0)
      return reserved[r];
  for (int i = 0; i < gs_variant_table_len; i++)
    if (strcmp (key, gs_variant_table[i].meta_key) == 0)
      return gs_variant_table[i].meta_key;
  return NULL;
}

/* The shortest decimal that reads back as v. */
static void
format_float (char *buf, size_t size, float v)
{
  for (int digits = 6; digits <= 9; digits++) {
    gs_c_snprintf (buf, size, "%.*g", digits, (double) v);
    if (gs_c_strtof (buf, NULL) == v)
      return;
  }
}

/* The variant as key/value pairs into kv (2 × N_VARIANT_KEYS), values in
 * text (N_VARIANT_KEYS × 32 bytes). Returns the number of pairs. */
static int
variant_metadata (const GsVariant *v, const char **kv, char (*text)[32])
{
  int n = 0;

  for (int i = 0; i < gs_variant_table_len; i++) {
    const GsVariantInfo *r = &gs_variant_table[i];
    const double x = gs_variant_row_get (v, i);

    if (!gs_variant_row_on (v, i))
      continue;
    switch (r->type) {
    case GS_VARIANT_FLOAT: format_float (text[n], sizeof text[n], (float) x); break;
    case GS_VARIANT_INT: snprintf (text[n], sizeof text[n], "%d", (int) x); break;
    case GS_VARIANT_CHOICE: snprintf (text[n], sizeof text[n], "%s", r->choice_on); break;
    case GS_VARIANT_BOOL:
    default: snprintf (text[n], sizeof text[n], "1"); break;
    }
    kv[2 * n] = r->meta_key;
    kv[2 * n + 1] = text[n];
    n++;
  }
  return n;
}

int
gs_model_save (const GsModel *m, const char *path,
               const char *const *meta_kv, int n_meta, GsError *err)
{
  GsTensorInfo info[GS_MAX_TENSORS];
  char text[N_VARIANT_KEYS][32];
  const char *vkv[2 * N_VARIANT_KEYS];
  int n_v;
  GsStWrite w[GS_MAX_TENSORS];
  const char **kv;
  int nt, n_kv = 0, status;

  if (m == NULL || n_meta < 0 || (n_meta > 0 && meta_kv == NULL))
    return gs_error_set (err, _("invalid arguments to save a model"));
  if ((int) m->cfg.input < 0 || (int) m->cfg.input > GS_INPUT_DENSE
      || (int) m->cfg.loss < 0 || (int) m->cfg.loss > GS_LOSS_MSE)
    return gs_error_set (err, _("invalid model configuration"));

  nt = gs_config_tensors (&m->cfg, info);
  for (int i = 0; i < nt; i++) {
    memset (&w[i], 0, sizeof w[i]);
    w[i].name = info[i].name;
    w[i].ndim = info[i].ndim;
    for (int d = 0; d < info[i].ndim; d++)
      w[i].shape[d] = info[i].shape[d];
    w[i].data = m->params_mem + info[i].offset;
  }

  n_v = variant_metadata (&m->cfg.variant, vkv, text);
  kv = calloc (2 * ((size_t) n_meta + 3 + N_VARIANT_KEYS), sizeof *kv);
  if (kv == NULL)
    return gs_error_set (err, _("out of memory"));
  kv[2 * n_kv] = "cell";
  kv[2 * n_kv++ + 1] = gs_cell_name (m->cfg.cell);
  kv[2 * n_kv] = "input";
  kv[2 * n_kv++ + 1] = input_names[m->cfg.input];
  kv[2 * n_kv] = "loss";
  kv[2 * n_kv++ + 1] = loss_names[m->cfg.loss];
  for (int i = 0; i < n_v; i++) {
    kv[2 * n_kv] = vkv[2 * i];
    kv[2 * n_kv++ + 1] = vkv[2 * i + 1];
  }
  for (int i = 0; i < n_meta; i++) {
    const char *own = meta_kv[2 * i] != NULL ? reserved_key (meta_kv[2 * i]) : NULL;

    if (own != NULL) {
      free (kv);
      return gs_error_set (err, _("metadata key \"%s\" is written by Gatescope itself"), own);
    }
    kv[2 * n_kv] = meta_kv[2 * i];
    kv[2 * n_kv++ + 1] = meta_kv[2 * i + 1];
  }
  status = gs_st_write (path, w, nt, kv, n_kv, err);
  free (kv);
  return status;
}

/* A 2-D tensor that must be there. */
static const GsStTensor *
find_matrix (const GsSafetensors *st, const char *name, GsError *err)
{
  const GsStTensor *t = gs_st_find (st, name);
  char sbuf[128];

  if (t == NULL) {
    gs_error_set (err, _("tensor %s is missing"), name);
    return NULL;
  }
  if (t->ndim != 2) {
    gs_error_set (err, _("tensor %s has shape %s; expected a matrix"),
                  name, gs_st_format_shape (sbuf, sizeof sbuf, t->shape, t->ndim));
    return NULL;
  }
  return t;
}

static int
check_dim (int64_t v, int64_t max, const char *what, const char *tensor, GsError *err)
{
  if (v < 1 || v > max)
    return gs_error_set (err, _("%s %" PRId64 " (from tensor %s) is outside 1…%" PRId64),
                         what, v, tensor, max);
  return GS_OK;
}

/* A "0"/"1" metadata flag; absent = false. */
static int
meta_flag (bool *out, const GsSafetensors *st, const char *key, GsError *err)
{
  const char *v = gs_st_meta (st, key);

  *out = false;
  if (v == NULL)
    return GS_OK;
  if (strcmp (v, "0") != 0 && strcmp (v, "1") != 0)
    return gs_error_set (err, _("metadata \"%s\" is \"%.32s\"; expected 0 or 1"), key, v);
  *out = v[0] == '1';
  return GS_OK;
}

/* A finite number; absent = 0. */
static int
meta_float (float *out, bool *present, const GsSafetensors *st, const char *key, GsError *err)
{
  const char *v = gs_st_meta (st, key);
  char *end = NULL;

  *out = 0.0f;
  if (present)
    *present = v != NULL;
  if (v == NULL)
    return GS_OK;
  *out = gs_c_strtof (v, &end);
  if (v[0] == '\0' || end == NULL || *end != '\0' || !isfinite (*out))
    return gs_error_set (err, _("metadata \"%s\" is \"%.32s\"; expected a number"), key, v);
  return GS_OK;
}

/* An integer in 0 … INT_MAX; absent = 0. */
static int
meta_int (int *out, bool *present, const GsSafetensors *st, const char *key, GsError *err)
{
  const char *v = gs_st_meta (st, key);
  char *end = NULL;
  long n;

  *out = 0;
  if (present)
    *present = v != NULL;
  if (v == NULL)
    return GS_OK;
  n = strtol (v, &end, 10);
  if (v[0] == '\0' || end == NULL || *end != '\0' || n < 0 || n > INT_MAX)
    return gs_error_set (err, _("metadata \"%s\" is \"%.32s\"; expected a whole number of at least 0"), key, v);
  *out = (int) n;
  return GS_OK;
}

/* The cell variant: from the metadata, and from the tensors where PyTorch
 * has them (the projection, already in v->proj, and bidirectional layers),
 * or where they are ours (peepholes). The two must agree. */
static int
infer_variant (GsVariant *v, const GsSafetensors *st, GsError *err)
{
  const bool has_reverse = gs_st_find (st, "rnn.weight_ih_l0_reverse") != NULL;
  const bool has_peephole = gs_st_find (st, "rnn.weight_ch_l0") != NULL;
  const bool has_fgr = gs_st_find (st, "rnn.weight_gg_l0") != NULL;
  const bool have_proj = gs_st_meta (st, "proj") != NULL;
  GsVariant meta = { 0 };  /* what the metadata says of the rows the tensors say */

  /* Every row's key in the table's order; the choices after the tensors. */
  for (int i = 0; i < gs_variant_table_len; i++) {
    const GsVariantInfo *r = &gs_variant_table[i];
    char *field = (char *) (r->from_tensors ? &meta : v) + r->offset;
    bool *set = r->set_offset != 0 ? (bool *) ((char *) v + r->set_offset) : NULL;
    int status = GS_OK;

    switch (r->type) {
    case GS_VARIANT_BOOL: status = meta_flag ((bool *) field, st, r->meta_key, err); break;
    case GS_VARIANT_FLOAT: status = meta_float ((float *) field, set, st, r->meta_key, err); break;
    case GS_VARIANT_INT: status = meta_int ((int *) field, NULL, st, r->meta_key, err); break;
    case GS_VARIANT_CHOICE:
    default: break;
    }
    if (status != GS_OK)
      return GS_FAIL;
  }
  if (have_proj && meta.proj != v->proj) {
    if (v->proj == 0)
      return gs_error_set (err, _("metadata says proj %d but the file has no tensor rnn.weight_hr_l0"), meta.proj);
    return gs_error_set (err, _("metadata says proj %d but tensor rnn.weight_hr_l0 has %d rows"), meta.proj,
                         v->proj);
  }
  if (gs_st_meta (st, "bidirectional") != NULL && meta.bidirectional != has_reverse)
    return gs_error_set (err, meta.bidirectional ? _("metadata says bidirectional but the file has no tensor "
                                             "rnn.weight_ih_l0_reverse")
                                         : _("metadata says not bidirectional but the file has tensor "
                                             "rnn.weight_ih_l0_reverse"));
  v->bidirectional = has_reverse;
  if (gs_st_meta (st, "peephole") != NULL && meta.peephole != has_peephole)
    return gs_error_set (err, meta.peephole ? _("metadata says peephole but the file has no tensor rnn.weight_ch_l0")
                                        : _("metadata says no peephole but the file has tensor rnn.weight_ch_l0"));
  v->peephole = has_peephole;
  if (gs_st_meta (st, "full_gate_recurrence") != NULL && meta.full_gate_recurrence != has_fgr)
    return gs_error_set (err, meta.full_gate_recurrence ? _("metadata says full_gate_recurrence but the file has no tensor "
                                           "rnn.weight_gg_l0")
                                       : _("metadata says no full_gate_recurrence but the file has tensor "
                                           "rnn.weight_gg_l0"));
  v->full_gate_recurrence = has_fgr;
  for (int i = 0; i < gs_variant_table_len; i++) {
    const GsVariantInfo *r = &gs_variant_table[i];
    const char *word = gs_st_meta (st, r->meta_key);

    if (r->type != GS_VARIANT_CHOICE || word == NULL)
      continue;
    if (strcmp (word, r->choice_on) != 0 && strcmp (word, r->choice_off) != 0)
      return gs_error_set (err, _("metadata \"%s\" is \"%.32s\"; expected %s or %s"),
                           r->meta_key, word, r->choice_off, r->choice_on);
    *(bool *) ((char *) v + r->offset) = strcmp (word, r->choice_on) == 0;
  }
  return GS_OK;
}

/* Infers the configuration from the tensors' names and shapes (and the
 * "cell", "input", "loss" metadata where present). */
static int
infer_config (GsConfig *cfg, const GsSafetensors *st, GsError *err)
{
  const char *meta_cell = gs_st_meta (st, "cell");
  const char *meta_input = gs_st_meta (st, "input");
  const char *meta_loss = gs_st_meta (st, "loss");
  const GsStTensor *emb = gs_st_find (st, "emb.weight");
  const GsStTensor *w_hr0 = gs_st_find (st, "rnn.weight_hr_l0");
  const GsStTensor *w_ih0, *w_hh0, *fc;
  int64_t H, G;
  int input = -1;
  char name[40];

  memset (cfg, 0, sizeof *cfg);

  /* input: emb.weight (V, E) → embed; otherwise one-hot (or dense, by metadata) of V = cols of W_ih_l0 */
  if (meta_input != NULL) {
    for (int i = 0; i < 3; i++)
      if (strcmp (meta_input, input_names[i]) == 0)
        input = i;
    if (input < 0)
      return gs_error_set (err, _("metadata \"input\" is \"%.32s\"; expected embed, onehot or dense"),
                           meta_input);
    if (input == GS_INPUT_EMBED && emb == NULL)
      return gs_error_set (err, _("metadata says input \"embed\" but tensor emb.weight is missing"));
    if (input != GS_INPUT_EMBED && emb != NULL)
      return gs_error_set (err, _("metadata says input \"%s\" but the file has tensor emb.weight"),
                           input_names[input]);
  }
  w_ih0 = find_matrix (st, "rnn.weight_ih_l0", err);
  if (w_ih0 == NULL)
    return GS_FAIL;
  if (emb != NULL) {
    if (find_matrix (st, "emb.weight", err) == NULL
        || check_dim (emb->shape[0], GS_MAX_VOCAB, _("vocabulary size"), "emb.weight", err) != GS_OK
        || check_dim (emb->shape[1], GS_MAX_EMBED, _("embedding size"), "emb.weight", err) != GS_OK)
      return GS_FAIL;
    cfg->input = GS_INPUT_EMBED;
    cfg->V = (int) emb->shape[0];
    cfg->E = (int) emb->shape[1];
  } else {
    if (check_dim (w_ih0->shape[1], GS_MAX_VOCAB, _("input size"), "rnn.weight_ih_l0", err) != GS_OK)
      return GS_FAIL;
    cfg->input = input == GS_INPUT_DENSE ? GS_INPUT_DENSE : GS_INPUT_ONEHOT;
    cfg->V = (int) w_ih0->shape[1];
    cfg->E = 0;
  }

  /* L = consecutive rnn.weight_ih_l{k} */
  for (cfg->L = 0; cfg->L <= GS_MAX_LAYERS; cfg->L++) {
    snprintf (name, sizeof name, "rnn.weight_ih_l%d", cfg->L);
    if (gs_st_find (st, name) == NULL)
      break;
  }
  if (cfg->L > GS_MAX_LAYERS)
    return gs_error_set (err, _("the model has more than %d layers"), GS_MAX_LAYERS);

  /* H = cols of W_hh_l0, G = rows / H; with a projection W_hr_l0 (P, H)
   * gives H and P, and W_hh_l0 is (G·H, P) */
  w_hh0 = find_matrix (st, "rnn.weight_hh_l0", err);
  if (w_hh0 == NULL
      || check_dim (w_hh0->shape[1], GS_MAX_HIDDEN, _("hidden size"), "rnn.weight_hh_l0", err) != GS_OK)
    return GS_FAIL;
  H = w_hh0->shape[1];
  if (w_hr0 != NULL) {
    if (find_matrix (st, "rnn.weight_hr_l0", err) == NULL
        || check_dim (w_hr0->shape[1], GS_MAX_HIDDEN, _("hidden size"), "rnn.weight_hr_l0", err) != GS_OK)
      return GS_FAIL;
    if (w_hr0->shape[0] != w_hh0->shape[1])
      return gs_error_set (err, _("tensor rnn.weight_hr_l0 has %" PRId64 " rows but rnn.weight_hh_l0 has %"
                                  PRId64 " columns; both are the projection size"),
                           w_hr0->shape[0], w_hh0->shape[1]);
    H = w_hr0->shape[1];
    cfg->variant.proj = (int) w_hr0->shape[0];
  }
  G = w_hh0->shape[0] / H;
  if (w_hh0->shape[0] % H != 0 || (G != 1 && G != 3 && G != 4))
    return gs_error_set (err, _("tensor rnn.weight_hh_l0 has %" PRId64 " rows for hidden size %" PRId64
                                "; expected 1, 3 or 4 times as many (rnn, gru, lstm)"),
                         w_hh0->shape[0], H);
  cfg->H = (int) H;

  /* cell: the metadata if present, which must agree with G */
  if (meta_cell != NULL) {
    GsCell cell;
    if (gs_cell_from_name (meta_cell, &cell) != GS_OK)
      return gs_error_set (err, _("metadata \"cell\" is \"%.32s\", which is not a known cell"),
                           meta_cell);
    if (gs_cell_gates (cell) != G)
      return gs_error_set (err, _("metadata says cell %s (%d gates) but tensor rnn.weight_hh_l0 "
                                  "has %" PRId64 " rows = %" PRId64 " × hidden size %" PRId64),
                           gs_cell_name (cell), gs_cell_gates (cell), w_hh0->shape[0], G, H);
    cfg->cell = cell;
  } else {
    cfg->cell = G == 4 ? GS_CELL_LSTM : G == 3 ? GS_CELL_GRU : GS_CELL_RNN_TANH;
  }

  /* O = rows of fc.weight */
  fc = find_matrix (st, "fc.weight", err);
  if (fc == NULL
      || check_dim (fc->shape[0], GS_MAX_VOCAB, _("output size"), "fc.weight", err) != GS_OK)
    return GS_FAIL;
  cfg->O = (int) fc->shape[0];

  cfg->loss = GS_LOSS_CE;
  if (meta_loss != NULL) {
    if (strcmp (meta_loss, "ce") == 0)
      cfg->loss = GS_LOSS_CE;
    else if (strcmp (meta_loss, "mse") == 0)
      cfg->loss = GS_LOSS_MSE;
    else
      return gs_error_set (err, _("metadata \"loss\" is \"%.32s\"; expected ce or mse"), meta_loss);
  }
  return infer_variant (&cfg->variant, st, err);
}

static int
has_model_prefix (const char *name)
{
  return strncmp (name, "rnn.", 4) == 0 || strncmp (name, "fc.", 3) == 0
         || strncmp (name, "emb.", 4) == 0;
}

GsModel *
gs_model_from_safetensors (const GsSafetensors *st, GsError *err)
{
  GsConfig cfg;
  GsTensorInfo info[GS_MAX_TENSORS];
  GsModel *m;
  int nt;

  if (st == NULL) {
    gs_error_set (err, _("no safetensors file"));
    return NULL;
  }
  if (infer_config (&cfg, st, err) != GS_OK || gs_config_validate (&cfg, err) != GS_OK)
    return NULL;

  /* Every expected tensor, with exactly its PyTorch shape … */
  nt = gs_config_tensors (&cfg, info);
  for (int i = 0; i < nt; i++) {
    const GsStTensor *t = gs_st_find (st, info[i].name);
    int64_t want[2] = { info[i].shape[0], info[i].shape[1] };
    char got_s[128], want_s[64];
    bool same;

    if (t == NULL) {
      gs_error_set (err, _("tensor %s is missing"), info[i].name);
      return NULL;
    }
    same = t->ndim == info[i].ndim;
    for (int d = 0; same && d < t->ndim; d++)
      same = t->shape[d] == want[d];
    if (!same) {
      gs_error_set (err, _("tensor %s has shape %s; expected %s"), info[i].name,
                    gs_st_format_shape (got_s, sizeof got_s, t->shape, t->ndim),
                    gs_st_format_shape (want_s, sizeof want_s, want, info[i].ndim));
      return NULL;
    }
    if (t->dtype == GS_DT_OTHER) {
      gs_error_set (err, _("tensor %s has dtype %s; Gatescope reads F32"), info[i].name,
                    t->dtype_name);
      return NULL;
    }
  }
  /* … and nothing else under the model's prefixes. */
  for (int j = 0; j < st->n_tensors; j++) {
    const char *name = st->tensors[j].name;
    bool expected = false;
    if (!has_model_prefix (name))
      continue;
    for (int i = 0; i < nt && !expected; i++)
      expected = strcmp (info[i].name, name) == 0;
    if (!expected) {
      gs_error_set (err, _("unexpected tensor %.80s in a %d-layer %s model"),
                    name, cfg.L, gs_cell_name (cfg.cell));
      return NULL;
    }
  }

  m = gs_model_new (&cfg, err);
  if (m == NULL)
    return NULL;
  for (int i = 0; i < nt; i++) {
    float *dst = m->params_mem + info[i].offset;
    if (gs_st_get_f32 (st, info[i].name, dst, info[i].numel, err) != GS_OK) {
      gs_model_free (m);
      return NULL;
    }
    for (size_t k = 0; k < info[i].numel; k++)
      if (!isfinite (dst[k])) {
        gs_error_set (err, _("tensor %s contains NaN/Inf (element %zu)"), info[i].name, k);
        gs_model_free (m);
        return NULL;
      }
  }
  return m;
}

GsModel *
gs_model_load (const char *path, GsSafetensors **st_out, GsError *err)
{
  return gs_model_load_with (path, NULL, st_out, err);
}
