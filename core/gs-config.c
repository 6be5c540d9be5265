/* gs-config.c — what a model is: cells, variants, the parameter layout.
 *
 * The names of the cells, the variants' rules (gs_variant_validate), and
 * the one list of tensors (gs_config_tensors) that the parameter buffer,
 * the model files and the weight views all follow.
 */
#include "gs-model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-variant-table.h"

#define GS_MAX_PARAMS (256u << 20)
static const char *const cell_names[GS_N_CELLS] = { "rnn_tanh", "rnn_relu", "lstm", "gru" };

const char *
gs_cell_name (GsCell cell)
{
  return (unsigned) cell < GS_N_CELLS ? cell_names[cell] : "?";
}

int
gs_cell_from_name (const char *name, GsCell *out)
{
  for (int i = 0; i < GS_N_CELLS; i++)
    if (name && strcmp (name, cell_names[i]) == 0) {
      *out = (GsCell) i;
      return GS_OK;
    }
  return GS_FAIL;
}

int
gs_cell_gates (GsCell cell)
{
  switch (cell) {
  case GS_CELL_LSTM: return 4;
  case GS_CELL_GRU: return 3;
  case GS_CELL_RNN_TANH:
  case GS_CELL_RNN_RELU:
  case GS_N_CELLS:
  default: return 1;
  }
}

const char *
gs_cell_gate_letters (GsCell cell)
{
  switch (cell) {
  case GS_CELL_LSTM: return "ifgo";
  case GS_CELL_GRU: return "rzn";
  case GS_CELL_RNN_TANH:
  case GS_CELL_RNN_RELU:
  case GS_N_CELLS:
  default: return "h";
  }
}


/* ───────────────────────── configuration and layout ───────────────────────── */

bool
gs_variant_has_forget_bias (const GsVariant *v)
{
  return v->forget_bias_set || v->forget_bias != 0.0f;
}

bool
gs_variant_is_plain (const GsVariant *v)
{
  for (int i = 0; i < gs_variant_table_len; i++)
    if (gs_variant_row_on (v, i))
      return false;
  return true;
}

/* The table's messages are formats held in data; their arguments are fixed
 * by range_args (and one %s, the cell, for cells_msg), and test-variants
 * formats every one of them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* The row's range, when it is on: GS_OK or the row's message. */
static int
check_range (const GsVariantInfo *r, double x, int H, GsError *err)
{
  const double max = r->max_is_hidden ? (double) (H - 1) : r->max;

  if (r->range_msg == NULL)
    return GS_OK;
  if (x >= r->min && isfinite (x) && (r->max_open ? x < max : x <= max))
    return GS_OK;
  switch (r->range_args) {
  case GS_VARIANT_MSG_VALUE: return gs_error_set (err, _(r->range_msg), (int) x);
  case GS_VARIANT_MSG_LIMIT_VALUE: return gs_error_set (err, _(r->range_msg), H - 1, (int) x);
  case GS_VARIANT_MSG_PLAIN:
  default: return gs_error_set (err, "%s", _(r->range_msg));
  }
}

/* Each switch applies to the cells whose equations it changes; a switch
 * that would silently do nothing is refused, so that what a student turns
 * on is what the model computes. The rules are gs_variant_table's rows and
 * gs_variant_refusals, checked in the table's order. */
int
gs_variant_validate (const GsVariant *v, GsCell cell, int H, int L, GsError *err)
{
  const char *name = gs_cell_name (cell);

  for (int i = 0; i < gs_variant_table_len; i++) {
    const GsVariantInfo *r = &gs_variant_table[i];
    const double x = gs_variant_row_get (v, i);

    if (!gs_variant_row_on (v, i))
      continue;
    if (r->range_first && check_range (r, x, H, err) != GS_OK)
      return GS_FAIL;
    if (!gs_variant_row_applies (i, cell))
      return gs_error_set (err, _(r->cells_msg), name);
    if (!r->range_first && check_range (r, x, H, err) != GS_OK)
      return GS_FAIL;
    if (r->min_layers > 0 && L < r->min_layers)
      return gs_error_set (err, "%s", _(r->layers_msg));
    for (int k = 0; k < gs_variant_refusals_len; k++) {
      const GsVariantRefusal *no = &gs_variant_refusals[k];

      if (no->a != i)
        continue;
      for (int j = 0; j < gs_variant_table_len; j++)
        if ((no->others & (1u << j)) != 0 && gs_variant_row_on (v, j))
          return gs_error_set (err, "%s", _(no->msg));
    }
  }
  return GS_OK;
}

#pragma GCC diagnostic pop

int
gs_config_dirs (const GsConfig *cfg)
{
  return cfg->variant.bidirectional ? 2 : 1;
}

int
gs_config_hidden_out (const GsConfig *cfg)
{
  return cfg->cell == GS_CELL_LSTM && cfg->variant.proj > 0 ? cfg->variant.proj : cfg->H;
}

int
gs_config_layer_input (const GsConfig *cfg, int k)
{
  if (k > 0)
    return gs_config_dirs (cfg) * gs_config_hidden_out (cfg);
  return cfg->input == GS_INPUT_EMBED ? cfg->E : cfg->V;
}

int
gs_config_validate (const GsConfig *cfg, GsError *err)
{
  if ((unsigned) cfg->cell >= GS_N_CELLS)
    return gs_error_set (err, _("unknown cell kind %d"), (int) cfg->cell);
  if (cfg->input != GS_INPUT_EMBED && cfg->input != GS_INPUT_ONEHOT && cfg->input != GS_INPUT_DENSE)
    return gs_error_set (err, _("unknown input kind %d"), (int) cfg->input);
  if (cfg->loss != GS_LOSS_CE && cfg->loss != GS_LOSS_MSE)
    return gs_error_set (err, _("unknown loss %d"), (int) cfg->loss);
  if (cfg->H < 1 || cfg->H > GS_MAX_HIDDEN)
    return gs_error_set (err, _("hidden size must be between 1 and %d, not %d"), GS_MAX_HIDDEN, cfg->H);
  if (cfg->L < 1 || cfg->L > GS_MAX_LAYERS)
    return gs_error_set (err, _("number of layers must be between 1 and %d, not %d"), GS_MAX_LAYERS, cfg->L);
  if (cfg->V < 1 || cfg->V > GS_MAX_VOCAB)
    return gs_error_set (err, _("vocabulary (input) size must be between 1 and %d, not %d"), GS_MAX_VOCAB, cfg->V);
  if (cfg->O < 1 || cfg->O > GS_MAX_VOCAB)
    return gs_error_set (err, _("output size must be between 1 and %d, not %d"), GS_MAX_VOCAB, cfg->O);
  if (cfg->input == GS_INPUT_EMBED && (cfg->E < 1 || cfg->E > GS_MAX_EMBED))
    return gs_error_set (err, _("embedding size must be between 1 and %d, not %d"), GS_MAX_EMBED, cfg->E);
  if (cfg->input != GS_INPUT_EMBED && cfg->E != 0)
    return gs_error_set (err, _("an embedding size is given but the input is not embedded"));
  if (gs_variant_validate (&cfg->variant, cfg->cell, cfg->H, cfg->L, err) != GS_OK)
    return GS_FAIL;
  if (gs_config_num_params (cfg) > GS_MAX_PARAMS)
    return gs_error_set (err, _("the model would have %zu parameters; at most %u are supported"),
                         gs_config_num_params (cfg), GS_MAX_PARAMS);
  return GS_OK;
}

int
gs_config_tensors (const GsConfig *cfg, GsTensorInfo *out)
{
  const int G = gs_cell_gates (cfg->cell);
  const int GH = G * cfg->H, D = gs_config_dirs (cfg), P = gs_config_hidden_out (cfg);
  const bool proj = cfg->cell == GS_CELL_LSTM && cfg->variant.proj > 0;
  const bool peephole = cfg->cell == GS_CELL_LSTM && cfg->variant.peephole;
  const bool fgr = cfg->cell == GS_CELL_LSTM && cfg->variant.full_gate_recurrence;
  size_t off = 0;
  int n = 0;

#define ADD(rows, cols, ...) do {                                     \
    GsTensorInfo *ti = &out[n++];                                      \
    snprintf (ti->name, sizeof ti->name, __VA_ARGS__);                 \
    ti->ndim = (cols) > 0 ? 2 : 1;                                     \
    ti->shape[0] = (rows);                                             \
    ti->shape[1] = (cols) > 0 ? (cols) : 0;                            \
    ti->numel = (size_t) (rows) * (size_t) ((cols) > 0 ? (cols) : 1);  \
    ti->offset = off;                                                  \
    off += ti->numel;                                                  \
  } while (0)

  if (cfg->input == GS_INPUT_EMBED)
    ADD (cfg->V, cfg->E, "emb.weight");
  for (int k = 0; k < cfg->L; k++)
    for (int d = 0; d < D; d++) {
      const char *sfx = d ? "_reverse" : "";
      ADD (GH, gs_config_layer_input (cfg, k), "rnn.weight_ih_l%d%s", k, sfx);
      ADD (GH, P, "rnn.weight_hh_l%d%s", k, sfx);
      ADD (GH, 0, "rnn.bias_ih_l%d%s", k, sfx);
      ADD (GH, 0, "rnn.bias_hh_l%d%s", k, sfx);
      if (proj)
        ADD (P, cfg->H, "rnn.weight_hr_l%d%s", k, sfx);
      if (peephole)
        ADD (3 * cfg->H, 0, "rnn.weight_ch_l%d%s", k, sfx);
      if (fgr)
        ADD (3 * cfg->H, 3 * cfg->H, "rnn.weight_gg_l%d%s", k, sfx);
    }
  ADD (cfg->O, D * P, "fc.weight");
  ADD (cfg->O, 0, "fc.bias");
#undef ADD
  return n;
}

size_t
gs_config_num_params (const GsConfig *cfg)
{
  const size_t G = (size_t) gs_cell_gates (cfg->cell);
  const size_t H = (size_t) (cfg->H > 0 ? cfg->H : 0);
  const size_t D = (size_t) gs_config_dirs (cfg);
  const bool lstm = cfg->cell == GS_CELL_LSTM;
  const size_t P = lstm && cfg->variant.proj > 0 ? (size_t) cfg->variant.proj : H;
  size_t n = 0;

  if (cfg->input == GS_INPUT_EMBED && cfg->V > 0 && cfg->E > 0)
    n += (size_t) cfg->V * (size_t) cfg->E;
  for (int k = 0; k < cfg->L && k < GS_MAX_LAYERS; k++) {
    size_t I = k > 0 ? D * P : (size_t) (cfg->input == GS_INPUT_EMBED ? cfg->E : cfg->V);
    size_t per = G * H * (I + P + 2);
    if (lstm && cfg->variant.proj > 0)
      per += P * H;
    if (lstm && cfg->variant.peephole)
      per += 3 * H;
    if (lstm && cfg->variant.full_gate_recurrence)
      per += 9 * H * H;
    n += D * per;
  }
  n += (size_t) (cfg->O > 0 ? cfg->O : 0) * (D * P + 1);
  return n;
}

void
gs_params_bind (GsParams *p, const GsConfig *cfg, float *mem)
{
  GsTensorInfo t[GS_MAX_TENSORS];
  const int D = gs_config_dirs (cfg);
  const bool proj = cfg->cell == GS_CELL_LSTM && cfg->variant.proj > 0;
  const bool peephole = cfg->cell == GS_CELL_LSTM && cfg->variant.peephole;
  const bool fgr = cfg->cell == GS_CELL_LSTM && cfg->variant.full_gate_recurrence;
  int i = 0;

  gs_config_tensors (cfg, t);
  memset (p, 0, sizeof *p);
  if (cfg->input == GS_INPUT_EMBED)
    p->emb = mem + t[i++].offset;
  for (int k = 0; k < cfg->L; k++)
    for (int d = 0; d < D; d++) {
      GsLayerParams *lp = d ? &p->rev[k] : &p->layer[k];
      lp->W_ih = mem + t[i++].offset;
      lp->W_hh = mem + t[i++].offset;
      lp->b_ih = mem + t[i++].offset;
      lp->b_hh = mem + t[i++].offset;
      if (proj)
        lp->W_hr = mem + t[i++].offset;
      if (peephole)
        lp->w_ch = mem + t[i++].offset;
      if (fgr)
        lp->W_gg = mem + t[i++].offset;
    }
  p->W_fc = mem + t[i++].offset;
  p->b_fc = mem + t[i++].offset;
}
