/* gs-model-import.c — models as PyTorch users name and save them.
 *
 * The course's model is emb / rnn / fc; a student's may be embed / lstm /
 * out, or encoder.gru inside a wrapper. The recurrent module is found by
 * the suffixes PyTorch gives its parameters (weight_ih_l{k},
 * weight_hh_l{k}, bias_*, weight_hr_l{k}, each with _reverse for the
 * backward direction), and its first layer gives the two widths that
 * identify the other modules: the embedding is the one weight-only matrix
 * of I columns (the recurrent input size), the output layer the one
 * weight (O, D·P) with a bias (O). What does not fit is named in the
 * message rather than guessed at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-file.h"
#include "gs-i18n.h"
#include "gs-safetensors.h"
#include "gs-torch-file.h"

/* The recurrent module's parameter suffixes: weight_ih_l3, bias_hh_l0_reverse, … */
static bool
is_rnn_suffix (const char *s)
{
  static const char *const heads[] = { "weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l",
                                       "weight_hr_l", "weight_ch_l" };
  for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
    size_t n = strlen (heads[i]);
    const char *p = s + n;
    if (strncmp (s, heads[i], n) != 0 || *p < '0' || *p > '9')
      continue;
    while (*p >= '0' && *p <= '9')
      p++;
    if (*p == '\0' || strcmp (p, "_reverse") == 0)
      return true;
  }
  return false;
}

/* The module part of a name: "model.lstm" of "model.lstm.weight_ih_l0"
 * (length into *len; 0 when there is no dot). */
static const char *
suffix_of (const char *name, size_t *prefix_len)
{
  const char *dot = strrchr (name, '.');
  *prefix_len = dot != NULL ? (size_t) (dot - name) : 0;
  return dot != NULL ? dot + 1 : name;
}

static bool
same_prefix (const char *name, const char *prefix, size_t len)
{
  size_t n;
  suffix_of (name, &n);
  return n == len && strncmp (name, prefix, len) == 0;
}

/* "a.weight (4, 10), b.bias (4), …" for messages. */
static void
list_tensors (char *buf, size_t size, const GsSafetensors *st)
{
  size_t len = 0;

  buf[0] = '\0';
  for (int i = 0; i < st->n_tensors && len + 40 < size; i++) {
    char shape[64];
    int w = snprintf (buf + len, size - len, "%s%.60s %s", i > 0 ? ", " : "", st->tensors[i].name,
                      gs_st_format_shape (shape, sizeof shape, st->tensors[i].shape, st->tensors[i].ndim));
    if (w < 0 || (size_t) w >= size - len) {
      snprintf (buf + len, size - len, ", …");
      return;
    }
    len += (size_t) w;
  }
}

static int
rename_tensor (GsStTensor *t, const char *prefix, const char *suffix, GsError *err)
{
  size_t size = strlen (prefix) + 1 + strlen (suffix) + 1;
  char *name = malloc (size);
  if (name == NULL)
    return gs_error_set (err, _("out of memory"));
  snprintf (name, size, "%s.%s", prefix, suffix);
  free (t->name);
  t->name = name;
  return GS_OK;
}

int
gs_model_names_canonical (GsSafetensors *st, GsError *err)
{
  char found[224];
  const char *rnn = NULL, *emb = NULL, *fc = NULL;
  size_t rnn_len = 0, emb_len = 0, fc_len = 0;
  const GsStTensor *ih0 = NULL, *hh0 = NULL, *hr0 = NULL;
  int64_t I, head_in;
  bool reverse = false;

  if (gs_st_find (st, "rnn.weight_ih_l0") != NULL && gs_st_find (st, "fc.weight") != NULL)
    return GS_OK;
  list_tensors (found, sizeof found, st);

  /* The recurrent module: one prefix for every PyTorch RNN suffix. */
  for (int i = 0; i < st->n_tensors; i++) {
    size_t len;
    const char *suffix = suffix_of (st->tensors[i].name, &len);
    if (!is_rnn_suffix (suffix))
      continue;
    if (rnn == NULL) {
      rnn = st->tensors[i].name;
      rnn_len = len;
    } else if (!same_prefix (st->tensors[i].name, rnn, rnn_len)) {
      return gs_error_set (err, _("the file has two recurrent modules (%.*s and %.*s); a Gatescope model has "
                                  "one. Tensors found: %s"),
                           (int) (rnn_len > 60 ? 60 : rnn_len), rnn, (int) (len > 60 ? 60 : len),
                           st->tensors[i].name, found);
    }
    reverse = reverse || strstr (suffix, "_reverse") != NULL;
    if (strcmp (suffix, "weight_ih_l0") == 0)
      ih0 = &st->tensors[i];
    else if (strcmp (suffix, "weight_hh_l0") == 0)
      hh0 = &st->tensors[i];
    else if (strcmp (suffix, "weight_hr_l0") == 0)
      hr0 = &st->tensors[i];
  }
  if (rnn == NULL)
    return gs_error_set (err, _("no recurrent layer: no tensor is named like PyTorch's nn.RNN, nn.LSTM or "
                                "nn.GRU parameters (….weight_ih_l0). Tensors found: %s"), found);
  /* Gatescope's own names with a tensor missing: its loader says which. */
  if ((ih0 == NULL || hh0 == NULL) && rnn_len == 3 && strncmp (rnn, "rnn", 3) == 0)
    return GS_OK;
  if (ih0 == NULL || hh0 == NULL || ih0->ndim != 2 || hh0->ndim != 2 || (hr0 != NULL && hr0->ndim != 2))
    return gs_error_set (err, _("the recurrent module %.*s lacks a matrix weight_ih_l0 or weight_hh_l0. "
                                "Tensors found: %s"), (int) (rnn_len > 60 ? 60 : rnn_len), rnn, found);
  I = ih0->shape[1];
  head_in = (reverse ? 2 : 1) * (hr0 != NULL ? hr0->shape[0] : hh0->shape[1]);

  /* The other modules, by their tensors' shapes. */
  for (int i = 0; i < st->n_tensors; i++) {
    const GsStTensor *t = &st->tensors[i];
    size_t len;
    const char *suffix = suffix_of (t->name, &len);
    const GsStTensor *other = NULL;
    int n_in_module = 0;
    bool is_emb, is_fc;

    if (same_prefix (t->name, rnn, rnn_len))
      continue;
    for (int j = 0; j < st->n_tensors; j++)
      if (same_prefix (st->tensors[j].name, t->name, len)) {
        n_in_module++;
        if (j != i)
          other = &st->tensors[j];
      }
    if (strcmp (suffix, "bias") == 0 && n_in_module == 2 && other != NULL
        && strcmp (suffix_of (other->name, &(size_t) { 0 }), "weight") == 0)
      continue;   /* judged with its weight */
    is_emb = strcmp (suffix, "weight") == 0 && n_in_module == 1 && t->ndim == 2 && t->shape[1] == I;
    is_fc = strcmp (suffix, "weight") == 0 && n_in_module == 2 && t->ndim == 2 && t->shape[1] == head_in
            && other != NULL && strcmp (suffix_of (other->name, &(size_t) { 0 }), "bias") == 0
            && other->ndim == 1 && other->shape[0] == t->shape[0];
    if (is_emb) {
      if (emb != NULL)
        return gs_error_set (err, _("two tensors could be the embedding (%.*s.weight and %.*s.weight, both with "
                                    "%lld columns). Tensors found: %s"),
                             (int) (emb_len > 60 ? 60 : emb_len), emb, (int) (len > 60 ? 60 : len), t->name,
                             (long long) I, found);
      emb = t->name;
      emb_len = len;
    } else if (is_fc) {
      if (fc != NULL)
        return gs_error_set (err, _("two modules could be the output layer (%.*s and %.*s, both taking %lld "
                                    "inputs). Tensors found: %s"),
                             (int) (fc_len > 60 ? 60 : fc_len), fc, (int) (len > 60 ? 60 : len), t->name,
                             (long long) head_in, found);
      fc = t->name;
      fc_len = len;
    } else {
      return gs_error_set (err, _("tensor %.80s is neither the embedding (a weight of %lld columns), the "
                                  "recurrent layer nor the output layer (a weight of %lld columns and a bias) of "
                                  "an embedding–RNN–linear model. Tensors found: %s"),
                           t->name, (long long) I, (long long) head_in, found);
    }
  }
  if (fc == NULL)
    return gs_error_set (err, _("no output layer: expected a weight (O, %lld) and a bias (O) beside the "
                                "recurrent module %.*s. Tensors found: %s"),
                         (long long) head_in, (int) (rnn_len > 60 ? 60 : rnn_len), rnn, found);

  /* Rename; the prefixes point into names about to change, so copy them. */
  {
    char rnn_p[256], emb_p[256], fc_p[256];
    snprintf (rnn_p, sizeof rnn_p, "%.*s", (int) rnn_len, rnn);
    snprintf (emb_p, sizeof emb_p, "%.*s", (int) emb_len, emb != NULL ? emb : "");
    snprintf (fc_p, sizeof fc_p, "%.*s", (int) fc_len, fc);
    for (int i = 0; i < st->n_tensors; i++) {
      GsStTensor *t = &st->tensors[i];
      size_t len;
      const char *suffix = suffix_of (t->name, &len);
      char suf[64];
      const char *to = NULL;
      snprintf (suf, sizeof suf, "%s", suffix);
      if (same_prefix (t->name, rnn_p, strlen (rnn_p)) && (rnn_len > 0 || strchr (t->name, '.') == NULL))
        to = "rnn";
      else if (emb != NULL && same_prefix (t->name, emb_p, strlen (emb_p)))
        to = "emb";
      else if (same_prefix (t->name, fc_p, strlen (fc_p)))
        to = "fc";
      if (to != NULL && rename_tensor (t, to, suf, err) != GS_OK)
        return GS_FAIL;
    }
  }
  return GS_OK;
}

int
gs_st_set_meta (GsSafetensors *st, const char *key, const char *value, GsError *err)
{
  char **keys, **values, *k, *v;

  for (int i = 0; i < st->n_meta; i++)
    if (strcmp (st->meta_keys[i], key) == 0) {
      v = strdup (value);
      if (v == NULL)
        return gs_error_set (err, _("out of memory"));
      free (st->meta_values[i]);
      st->meta_values[i] = v;
      return GS_OK;
    }
  keys = realloc (st->meta_keys, (size_t) (st->n_meta + 1) * sizeof *keys);
  if (keys != NULL)
    st->meta_keys = keys;
  values = realloc (st->meta_values, (size_t) (st->n_meta + 1) * sizeof *values);
  if (values != NULL)
    st->meta_values = values;
  k = strdup (key);
  v = strdup (value);
  if (keys == NULL || values == NULL || k == NULL || v == NULL) {
    free (k);
    free (v);
    return gs_error_set (err, _("out of memory"));
  }
  st->meta_keys[st->n_meta] = k;
  st->meta_values[st->n_meta] = v;
  st->n_meta++;
  return GS_OK;
}

/* The model from st, with the cell the caller knows. */
static GsModel *
build (GsSafetensors *st, GsModelLoadOptions *opts, GsError *err)
{
  const char *meta_cell = gs_st_meta (st, "cell");
  GsModel *m = gs_model_from_safetensors (st, err);

  if (m == NULL || opts == NULL)
    return m;
  if (opts->set_cell && m->cfg.cell != opts->cell) {
    GsCell found = m->cfg.cell;
    gs_model_free (m);
    if (meta_cell != NULL || gs_cell_gates (found) != gs_cell_gates (opts->cell)) {
      gs_error_set (err, _("the file holds a model of cell %s, not %s"), gs_cell_name (found), gs_cell_name (opts->cell));
      return NULL;
    }
    /* rnn_tanh or rnn_relu: the tensors are the same, the caller decides. */
    if (gs_st_set_meta (st, "cell", gs_cell_name (opts->cell), err) != GS_OK)
      return NULL;
    return gs_model_from_safetensors (st, err);
  }
  if (!opts->set_cell && meta_cell == NULL && m->cfg.cell == GS_CELL_RNN_TANH)
    snprintf (opts->warning, sizeof opts->warning, "%s",
              _("the file does not say whether its RNN uses tanh or ReLU (the weights cannot tell); "
                "it runs as tanh, nn.RNN's default"));
  return m;
}

GsModel *
gs_model_load_buffer (const char *path, unsigned char *buf, size_t len, GsModelLoadOptions *opts,
                      GsSafetensors **st_out, GsError *err)
{
  GsSafetensors *st;
  GsModel *m;

  if (st_out != NULL)
    *st_out = NULL;
  if (opts != NULL)
    opts->warning[0] = '\0';
  st = gs_torch_is_zip (buf, len) ? gs_torch_parse_owned (buf, len, err) : gs_st_parse_owned (buf, len, err);
  if (st == NULL) {
    gs_error_prefix (err, "%s", path);
    return NULL;
  }
  if (gs_model_names_canonical (st, err) != GS_OK || (m = build (st, opts, err)) == NULL) {
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

GsModel *
gs_model_load_with (const char *path, GsModelLoadOptions *opts, GsSafetensors **st_out, GsError *err)
{
  unsigned char *buf;
  size_t len;

  if (st_out != NULL)
    *st_out = NULL;
  if (opts != NULL)
    opts->warning[0] = '\0';
  if (gs_file_read (path, GS_ST_MAX_FILE, &buf, &len, err) != GS_OK)
    return NULL;
  return gs_model_load_buffer (path, buf, len, opts, st_out, err);
}
