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
  return !gs_variant_has_forget_bias (v) && !v->peephole && !v->cifg && !v->no_forget_gate
         && !v->no_input_gate && !v->no_output_gate && !v->no_input_act && !v->no_output_act
         && !v->full_gate_recurrence
         && v->cell_clip == 0.0f && v->proj == 0 && !v->gru_reset_before && !v->irnn
         && !v->bidirectional && v->dropout == 0.0f && v->recurrent_dropout == 0.0f && v->bptt == 0;
}

/* Each switch applies to the cells whose equations it changes; a switch
 * that would silently do nothing is refused, so that what a student turns
 * on is what the model computes. */
int
gs_variant_validate (const GsVariant *v, GsCell cell, int H, int L, GsError *err)
{
  const bool lstm = cell == GS_CELL_LSTM;
  const char *name = gs_cell_name (cell);

  if (gs_variant_has_forget_bias (v)) {
    if (!lstm)
      return gs_error_set (err, _("a forget-gate bias applies to lstm, not %s"), name);
    if (!isfinite (v->forget_bias) || fabsf (v->forget_bias) > 100.0f)
      return gs_error_set (err, _("the forget-gate bias must be a number between -100 and 100"));
    if (v->cifg || v->no_forget_gate)
      return gs_error_set (err, _("a forget-gate bias needs a forget gate of its own "
                                  "(not with coupled gates or without a forget gate)"));
  }
  if (v->peephole && !lstm)
    return gs_error_set (err, _("peephole connections apply to lstm, not %s"), name);
  if (v->cifg && !lstm)
    return gs_error_set (err, _("coupled input and forget gates (CIFG) apply to lstm, not %s"), name);
  if (v->no_forget_gate && !lstm)
    return gs_error_set (err, _("removing the forget gate applies to lstm, not %s"), name);
  if (v->cifg && v->no_forget_gate)
    return gs_error_set (err, _("coupled gates (f = 1 − i) and no forget gate (f = 1) exclude each other"));
  if (v->no_input_gate && !lstm)
    return gs_error_set (err, _("removing the input gate applies to lstm, not %s"), name);
  if (v->no_output_gate && !lstm)
    return gs_error_set (err, _("removing the output gate applies to lstm, not %s"), name);
  if (v->no_input_act && !lstm)
    return gs_error_set (err, _("removing the input activation function applies to lstm, not %s"), name);
  if (v->no_output_act && !lstm)
    return gs_error_set (err, _("removing the output activation function applies to lstm, not %s"), name);
  if (v->full_gate_recurrence && !lstm)
    return gs_error_set (err, _("full gate recurrence applies to lstm, not %s"), name);
  /* f = 1 − i with i ≡ 1 would be f ≡ 0: a cell that forgets everything at every step. */
  if (v->cifg && v->no_input_gate)
    return gs_error_set (err, _("coupled gates (f = 1 − i) need an input gate: without one f would be 0"));
  /* Greff et al. feed back all three gates; a removed or coupled gate has no
   * activation of its own to feed back, and no row of its own to feed. */
  if (v->full_gate_recurrence && (v->cifg || v->no_forget_gate || v->no_input_gate || v->no_output_gate))
    return gs_error_set (err, _("full gate recurrence feeds the gates i, f and o back into each other: "
                                "it needs all three (not with coupled gates or a removed gate)"));
  if (!(v->cell_clip >= 0.0f) || !isfinite (v->cell_clip))
    return gs_error_set (err, _("the cell clip must be a finite number of at least 0 (0 turns it off)"));
  if (v->cell_clip > 0.0f && !lstm)
    return gs_error_set (err, _("cell-state clipping applies to lstm, not %s"), name);
  if (v->proj != 0) {
    if (!lstm)
      return gs_error_set (err, _("an output projection applies to lstm, not %s"), name);
    if (v->proj < 0 || v->proj >= H)
      return gs_error_set (err, _("the projection size must be between 1 and the hidden size − 1 (%d), not %d"),
                           H - 1, v->proj);
  }
  if (v->gru_reset_before && cell != GS_CELL_GRU)
    return gs_error_set (err, _("the reset-gate position applies to gru, not %s"), name);
  if (v->irnn && cell != GS_CELL_RNN_RELU && cell != GS_CELL_RNN_TANH)
    return gs_error_set (err, _("identity initialisation (IRNN) applies to rnn_relu and rnn_tanh, not %s"), name);
  if (!(v->dropout >= 0.0f && v->dropout < 1.0f))
    return gs_error_set (err, _("the dropout probability must be at least 0 and less than 1"));
  if (v->dropout > 0.0f && L < 2)
    return gs_error_set (err, _("dropout acts between layers: it needs 2 or more layers"));
  if (!(v->recurrent_dropout >= 0.0f && v->recurrent_dropout < 1.0f))
    return gs_error_set (err, _("the recurrent dropout probability must be at least 0 and less than 1"));
  if (v->bptt < 0)
    return gs_error_set (err, _("the truncated BPTT length must be at least 0 (0 = the whole sequence), not %d"),
                         v->bptt);
  if (v->bptt > 0 && v->bidirectional)
    return gs_error_set (err, _("truncated BPTT applies to unidirectional models"));
  return GS_OK;
}

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
