/* gs-model-file.c — models stored as safetensors, under PyTorch's names.
 *
 * Saving writes gs_config_tensors() in order with "cell", "input" and "loss"
 * metadata; loading infers the configuration from the tensor shapes (the
 * metadata's cell must agree with them) and checks every tensor before a
 * model is built, so a file from PyTorch loads and gives PyTorch's outputs.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-safetensors.h"

static const char *const input_names[] = { "embed", "onehot", "dense" };
static const char *const loss_names[] = { "ce", "mse" };

int
gs_model_save (const GsModel *m, const char *path,
               const char *const *meta_kv, int n_meta, GsError *err)
{
  static const char *const reserved[] = { "cell", "input", "loss" };
  GsTensorInfo info[GS_MAX_TENSORS];
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

  kv = calloc (2 * ((size_t) n_meta + 3), sizeof *kv);
  if (kv == NULL)
    return gs_error_set (err, _("out of memory"));
  kv[2 * n_kv] = "cell";
  kv[2 * n_kv++ + 1] = gs_cell_name (m->cfg.cell);
  kv[2 * n_kv] = "input";
  kv[2 * n_kv++ + 1] = input_names[m->cfg.input];
  kv[2 * n_kv] = "loss";
  kv[2 * n_kv++ + 1] = loss_names[m->cfg.loss];
  for (int i = 0; i < n_meta; i++) {
    for (size_t r = 0; r < sizeof reserved / sizeof reserved[0]; r++)
      if (meta_kv[2 * i] != NULL && strcmp (meta_kv[2 * i], reserved[r]) == 0) {
        free (kv);
        return gs_error_set (err, _("metadata key \"%s\" is written by Gatescope itself"),
                             reserved[r]);
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

/* Infers the configuration from the tensors' names and shapes (and the
 * "cell", "input", "loss" metadata where present). */
static int
infer_config (GsConfig *cfg, const GsSafetensors *st, GsError *err)
{
  const char *meta_cell = gs_st_meta (st, "cell");
  const char *meta_input = gs_st_meta (st, "input");
  const char *meta_loss = gs_st_meta (st, "loss");
  const GsStTensor *emb = gs_st_find (st, "emb.weight");
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

  /* H = cols of W_hh_l0, G = rows / H */
  w_hh0 = find_matrix (st, "rnn.weight_hh_l0", err);
  if (w_hh0 == NULL
      || check_dim (w_hh0->shape[1], GS_MAX_HIDDEN, _("hidden size"), "rnn.weight_hh_l0", err) != GS_OK)
    return GS_FAIL;
  H = w_hh0->shape[1];
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
  return GS_OK;
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
  GsSafetensors *st;
  GsModel *m;

  if (st_out != NULL)
    *st_out = NULL;
  st = gs_st_read (path, err);
  if (st == NULL)
    return NULL;
  m = gs_model_from_safetensors (st, err);
  if (m == NULL) {
    gs_error_prefix (err, "%s", path);
    gs_st_free (st);
    return NULL;
  }
  if (st_out != NULL)
    *st_out = st;
  else
    gs_st_free (st);
  return m;
}
