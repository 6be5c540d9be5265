/* gs-model.c — stacked layers, the head and the loss; stepping in time.
 *
 * Forward of timestep t runs every layer bottom to top, then the head and
 * the loss at t. Backward of timestep t runs the head, then every layer top
 * to bottom, so one backward step is one column of the unrolled graph.
 * Backward accumulates (+=) into the gradient buffer; gs_model_zero_grad is
 * the only thing that clears it.
 */
#include "gs-model.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-blas.h"
#include "gs-cell.h"
#include "gs-i18n.h"
#include "gs-model-private.h"

/* Caches may take this much memory at most (a clear error beats an OOM kill). */
#define GS_MAX_CACHE_BYTES (4ull << 30)
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
gs_variant_is_plain (const GsVariant *v)
{
  return v->forget_bias == 0.0f && !v->peephole && !v->cifg && !v->no_forget_gate
         && v->cell_clip == 0.0f && v->proj == 0 && !v->gru_reset_before && !v->irnn
         && !v->bidirectional && v->dropout == 0.0f && v->recurrent_dropout == 0.0f && v->bptt == 0;
}

int
gs_config_layer_input (const GsConfig *cfg, int k)
{
  if (k > 0)
    return cfg->H;
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
  /* Variants are described but not computed yet: refuse rather than
   * silently train the plain cell. */
  if (!gs_variant_is_plain (&cfg->variant))
    return gs_error_set (err, _("this cell variant is not supported yet"));
  if (gs_config_num_params (cfg) > GS_MAX_PARAMS)
    return gs_error_set (err, _("the model would have %zu parameters; at most %u are supported"),
                         gs_config_num_params (cfg), GS_MAX_PARAMS);
  return GS_OK;
}

int
gs_config_tensors (const GsConfig *cfg, GsTensorInfo *out)
{
  const int G = gs_cell_gates (cfg->cell);
  const int GH = G * cfg->H;
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
  for (int k = 0; k < cfg->L; k++) {
    ADD (GH, gs_config_layer_input (cfg, k), "rnn.weight_ih_l%d", k);
    ADD (GH, cfg->H, "rnn.weight_hh_l%d", k);
    ADD (GH, 0, "rnn.bias_ih_l%d", k);
    ADD (GH, 0, "rnn.bias_hh_l%d", k);
  }
  ADD (cfg->O, cfg->H, "fc.weight");
  ADD (cfg->O, 0, "fc.bias");
#undef ADD
  return n;
}

size_t
gs_config_num_params (const GsConfig *cfg)
{
  const size_t G = (size_t) gs_cell_gates (cfg->cell);
  const size_t H = (size_t) (cfg->H > 0 ? cfg->H : 0);
  size_t n = 0;

  if (cfg->input == GS_INPUT_EMBED && cfg->V > 0 && cfg->E > 0)
    n += (size_t) cfg->V * (size_t) cfg->E;
  for (int k = 0; k < cfg->L && k < GS_MAX_LAYERS; k++) {
    size_t I = (size_t) (k > 0 ? cfg->H : (cfg->input == GS_INPUT_EMBED ? cfg->E : cfg->V));
    n += G * H * (I + H + 2);
  }
  n += (size_t) (cfg->O > 0 ? cfg->O : 0) * (H + 1);
  return n;
}

void
gs_params_bind (GsParams *p, const GsConfig *cfg, float *mem)
{
  GsTensorInfo t[GS_MAX_TENSORS];
  int n = gs_config_tensors (cfg, t);
  int i = 0;

  memset (p, 0, sizeof *p);
  if (cfg->input == GS_INPUT_EMBED)
    p->emb = mem + t[i++].offset;
  for (int k = 0; k < cfg->L; k++) {
    p->layer[k].W_ih = mem + t[i++].offset;
    p->layer[k].W_hh = mem + t[i++].offset;
    p->layer[k].b_ih = mem + t[i++].offset;
    p->layer[k].b_hh = mem + t[i++].offset;
  }
  p->W_fc = mem + t[i++].offset;
  p->b_fc = mem + t[i++].offset;
  (void) n;
}

/* ───────────────────────── lifetime ───────────────────────── */

GsModel *
gs_model_new (const GsConfig *cfg, GsError *err)
{
  GsModel *m;

  if (gs_config_validate (cfg, err) != GS_OK)
    return NULL;
  m = calloc (1, sizeof *m);
  if (m == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  m->cfg = *cfg;
  m->G = gs_cell_gates (cfg->cell);
  m->n_params = gs_config_num_params (cfg);
  m->params_mem = calloc (m->n_params, sizeof (float));
  m->grads_mem = calloc (m->n_params, sizeof (float));
  if (m->params_mem == NULL || m->grads_mem == NULL) {
    gs_model_free (m);
    gs_error_set (err, _("out of memory allocating %zu parameters"), gs_config_num_params (cfg));
    return NULL;
  }
  gs_params_bind (&m->p, cfg, m->params_mem);
  gs_params_bind (&m->g, cfg, m->grads_mem);
  return m;
}

static void
free_sequence_buffers (GsModel *m)
{
  free (m->tokens);
  free (m->xs);
  free (m->targets);
  free (m->ys);
  free (m->ymask);
  free (m->logits);
  free (m->probs);
  free (m->dlogits);
  free (m->dh_top);
  free (m->dseq[0]);
  free (m->dseq[1]);
  free (m->loss_t);
  free (m->scratch);
  for (int k = 0; k < GS_MAX_LAYERS; k++) {
    GsLayerState *S = &m->layer[k];
    free (S->x);
    free (S->pre);
    free (S->act);
    free (S->hn);
    free (S->hbuf);
    free (S->cbuf);
    free (S->dgh);
    free (S->dh);
    free (S->dc);
    free (S->dpre);
    free (S->dh_next);
    free (S->dc_next);
    free (S->dx);
  }
  m->tokens = NULL;
  m->xs = m->ys = m->logits = m->probs = m->dlogits = m->dh_top = m->scratch = NULL;
  m->dseq[0] = m->dseq[1] = NULL;
  m->targets = NULL;
  m->ymask = NULL;
  m->loss_t = NULL;
  memset (m->layer, 0, sizeof m->layer);
  m->T_cap = m->B_cap = 0;
}

void
gs_model_free (GsModel *m)
{
  if (m == NULL)
    return;
  free_sequence_buffers (m);
  free (m->params_mem);
  free (m->grads_mem);
  free (m);
}

/* Sizes every (T, B, …) buffer once; the time loop never allocates. */
static int
ensure_capacity (GsModel *m, int T, int B, GsError *err)
{
  const GsConfig *c = &m->cfg;
  const size_t H = (size_t) c->H, GH = (size_t) m->G * H, O = (size_t) c->O;
  size_t TB, bytes;
  bool ok = true;

  if (T <= m->T_cap && B <= m->B_cap)
    return GS_OK;
  T = T > m->T_cap ? T : m->T_cap;
  B = B > m->B_cap ? B : m->B_cap;
  TB = (size_t) T * (size_t) B;
  bytes = TB * sizeof (float) * (size_t) c->L * (4 * GH + 5 * H + 64) + TB * sizeof (float) * (3 * O + (size_t) c->V);
  if (bytes > GS_MAX_CACHE_BYTES)
    return gs_error_set (err, _("a batch of %d sequences of %d steps needs %.1f GiB of activation memory; "
                                "at most %.0f GiB is allowed"),
                         B, T, (double) bytes / (1 << 30), (double) (GS_MAX_CACHE_BYTES >> 30));
  free_sequence_buffers (m);

#define ALLOC(ptr, count) do { (ptr) = calloc ((count) > 0 ? (count) : 1, sizeof *(ptr)); ok = ok && (ptr); } while (0)
  ALLOC (m->tokens, TB);
  ALLOC (m->targets, TB);
  ALLOC (m->ymask, TB);
  if (c->input == GS_INPUT_DENSE)
    ALLOC (m->xs, TB * (size_t) c->V);
  if (c->loss == GS_LOSS_MSE)
    ALLOC (m->ys, TB * O);
  ALLOC (m->logits, TB * O);
  ALLOC (m->probs, TB * O);
  ALLOC (m->dlogits, TB * O);
  ALLOC (m->dh_top, (size_t) B * H);
  ALLOC (m->dseq[0], TB * (H > (size_t) c->E ? H : (size_t) c->E));
  ALLOC (m->dseq[1], TB * (H > (size_t) c->E ? H : (size_t) c->E));
  ALLOC (m->loss_t, (size_t) T);
  ALLOC (m->scratch, (size_t) B * GH);
  for (int k = 0; k < c->L; k++) {
    GsLayerState *S = &m->layer[k];
    if (k == 0 && c->input == GS_INPUT_EMBED)
      ALLOC (S->x, TB * (size_t) c->E);
    ALLOC (S->pre, TB * GH);
    ALLOC (S->act, TB * GH);
    if (c->cell == GS_CELL_GRU)
      ALLOC (S->hn, TB * H);
    if (c->cell == GS_CELL_LSTM) {
      ALLOC (S->cbuf, TB * H + (size_t) B * H);
      ALLOC (S->dc, TB * H);
      ALLOC (S->dc_next, (size_t) B * H);
    }
    if (c->cell == GS_CELL_GRU)
      ALLOC (S->dgh, TB * GH);
    ALLOC (S->hbuf, TB * H + (size_t) B * H);
    ALLOC (S->dh, TB * H);
    ALLOC (S->dpre, TB * GH);
    ALLOC (S->dh_next, (size_t) B * H);
    ALLOC (S->dx, (size_t) B * (size_t) gs_config_layer_input (c, k));
  }
#undef ALLOC
  if (!ok) {
    free_sequence_buffers (m);
    return gs_error_set (err, _("out of memory for a batch of %d sequences of %d steps"), B, T);
  }
  m->T_cap = T;
  m->B_cap = B;
  return GS_OK;
}

/* PyTorch's reset_parameters() of nn.Embedding, nn.RNN/LSTM/GRU and nn.Linear. */
void
gs_model_init_params (GsModel *m, GsRng *rng)
{
  GsTensorInfo t[GS_MAX_TENSORS];
  int n = gs_config_tensors (&m->cfg, t);
  const float k = 1.0f / sqrtf ((float) m->cfg.H);

  for (int i = 0; i < n; i++) {
    float *w = m->params_mem + t[i].offset;
    bool normal = strcmp (t[i].name, "emb.weight") == 0;
    for (size_t j = 0; j < t[i].numel; j++)
      w[j] = normal ? gs_rng_normal (rng) : gs_rng_uniform (rng, -k, k);
  }
  gs_model_rewind (m);
}

int
gs_model_set_sequence (GsModel *m, int T, int B,
                       const int *tokens, const float *xs,
                       const int *targets, const float *ys,
                       const unsigned char *ymask, GsError *err)
{
  const GsConfig *c = &m->cfg;
  size_t TB;

  /* Until this call succeeds the model holds no sequence. */
  m->T = m->B = m->t_fwd = m->t_bwd = m->n_targets = 0;
  if (T < 1 || B < 1 || T > (1 << 24) || B > (1 << 20))
    return gs_error_set (err, _("a batch must have 1 or more sequences of 1 or more steps (got %d × %d)"), B, T);
  if (c->input == GS_INPUT_DENSE ? xs == NULL : tokens == NULL)
    return gs_error_set (err, _("the sequence has no input"));
  /* Size first: the checks below read T × B values. */
  if (ensure_capacity (m, T, B, err) != GS_OK)
    return GS_FAIL;
  TB = (size_t) T * (size_t) B;
  if (tokens && c->input != GS_INPUT_DENSE)
    for (size_t i = 0; i < TB; i++)
      if (tokens[i] < 0 || tokens[i] >= c->V)
        return gs_error_set (err, _("input token %d at position %zu is outside the vocabulary (0 to %d)"),
                             tokens[i], i, c->V - 1);
  if (targets && c->loss == GS_LOSS_CE)
    for (size_t i = 0; i < TB; i++)
      if (targets[i] < -1 || targets[i] >= c->O)
        return gs_error_set (err, _("target %d at position %zu is outside the classes (0 to %d)"),
                             targets[i], i, c->O - 1);
  if (xs)
    for (size_t i = 0; i < TB * (size_t) c->V; i++)
      if (!isfinite (xs[i]))
        return gs_error_set (err, _("input value at position %zu is not a finite number"), i);

  m->T = T;
  m->B = B;
  m->n_targets = 0;
  for (int k = 0; k < c->L; k++) {
    GsLayerState *S = &m->layer[k];
    S->h0 = S->hbuf;
    S->h = S->hbuf + (size_t) B * c->H;
    S->c0 = S->cbuf;
    S->c = S->cbuf ? S->cbuf + (size_t) B * c->H : NULL;
  }
  if (c->input == GS_INPUT_DENSE)
    memcpy (m->xs, xs, sizeof (float) * TB * (size_t) c->V);
  else
    memcpy (m->tokens, tokens, sizeof (int) * TB);
  if (c->loss == GS_LOSS_CE) {
    for (size_t i = 0; i < TB; i++) {
      m->targets[i] = targets ? targets[i] : -1;
      m->n_targets += m->targets[i] >= 0;
    }
  } else {
    for (size_t i = 0; i < TB; i++) {
      m->ymask[i] = ys && (ymask == NULL || ymask[i]);
      m->n_targets += m->ymask[i] ? c->O : 0;
    }
    if (ys)
      memcpy (m->ys, ys, sizeof (float) * TB * (size_t) c->O);
    else
      memset (m->ys, 0, sizeof (float) * TB * (size_t) c->O);
  }
  gs_model_set_initial_state (m, NULL, NULL);
  return GS_OK;
}

void
gs_model_set_initial_state (GsModel *m, const float *h0, const float *c0)
{
  const size_t BH = (size_t) m->B * (size_t) m->cfg.H;

  if (m->T == 0)
    return;   /* no sequence yet: nothing to set */
  for (int k = 0; k < m->cfg.L; k++) {
    GsLayerState *S = &m->layer[k];
    if (h0)
      memcpy (S->h0, h0 + k * BH, sizeof (float) * BH);
    else
      memset (S->h0, 0, sizeof (float) * BH);
    if (S->c0 && c0)
      memcpy (S->c0, c0 + k * BH, sizeof (float) * BH);
    else if (S->c0)
      memset (S->c0, 0, sizeof (float) * BH);
  }
  gs_model_rewind (m);
}

void
gs_model_rewind (GsModel *m)
{
  m->t_fwd = 0;
  gs_model_rewind_backward (m);
}

void
gs_model_rewind_backward (GsModel *m)
{
  const size_t BH = (size_t) m->B * (size_t) m->cfg.H;

  m->t_bwd = m->T;
  for (int k = 0; k < m->cfg.L && m->T_cap > 0; k++) {
    memset (m->layer[k].dh_next, 0, sizeof (float) * BH);
    if (m->layer[k].dc_next)
      memset (m->layer[k].dc_next, 0, sizeof (float) * BH);
  }
}

/* ───────────────────────── forward and backward of one timestep ───────────────────────── */

/* pre_t (B, G*H) = x_t·W_ihᵀ + b_ih for layer 0, whatever the input kind. */
void
gs_model_input_forward (GsModel *m, float *pre, int t)
{
  const GsConfig *c = &m->cfg;
  const GsLayerParams *p = &m->p.layer[0];
  const int B = m->B, GH = m->G * c->H;
  const int *tok = m->tokens + (size_t) t * B;

  switch (c->input) {
  case GS_INPUT_EMBED: {
    /* x_t = emb[token] */
    float *x = m->layer[0].x + (size_t) t * B * c->E;
    for (int b = 0; b < B; b++)
      memcpy (x + (size_t) b * c->E, m->p.emb + (size_t) tok[b] * c->E, sizeof (float) * c->E);
    gs_linear_forward (pre, x, p->W_ih, p->b_ih, B, GH, c->E);
    break;
  }
  case GS_INPUT_ONEHOT:
    /* W_ih·onehot(token) is column `token` of W_ih */
    for (int b = 0; b < B; b++)
      for (int j = 0; j < GH; j++)
        pre[(size_t) b * GH + j] = p->W_ih[(size_t) j * c->V + tok[b]] + p->b_ih[j];
    break;
  case GS_INPUT_DENSE:
    gs_linear_forward (pre, m->xs + (size_t) t * B * c->V, p->W_ih, p->b_ih, B, GH, c->V);
    break;
  default:
    break;
  }
}

/* loss_t = Σ_b −log softmax(logits_t,b)[target]   (CE)
 *        = Σ_b Σ_o (logits − y)²                   (MSE) */
void
gs_model_loss_forward (GsModel *m, int t)
{
  const int B = m->B, O = m->cfg.O;
  double sum = 0.0;

  for (int b = 0; b < B; b++) {
    size_t tb = (size_t) t * B + b;
    const float *z = m->logits + tb * O;
    float *p = m->probs + tb * O;
    if (m->cfg.loss == GS_LOSS_CE) {
      float zmax = z[0], zsum = 0.0f;
      for (int o = 1; o < O; o++)
        zmax = z[o] > zmax ? z[o] : zmax;
      for (int o = 0; o < O; o++) {
        p[o] = expf (z[o] - zmax);
        zsum += p[o];
      }
      for (int o = 0; o < O; o++)
        p[o] /= zsum;
      if (m->targets[tb] >= 0)
        sum += (double) -((z[m->targets[tb]] - zmax) - logf (zsum));
    } else if (m->ymask[tb]) {
      const float *y = m->ys + tb * O;
      for (int o = 0; o < O; o++) {
        float d = z[o] - y[o];
        p[o] = z[o];
        sum += (double) (d * d);
      }
    } else {
      memcpy (p, z, sizeof (float) * O);
    }
  }
  m->loss_t[t] = sum;
}

bool
gs_model_forward_step (GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const int t = m->t_fwd, B = m->B, H = c->H, GH = m->G * H;
  const size_t tBH = (size_t) t * B * H, tBG = (size_t) t * B * GH;

  if (t >= m->T)
    return false;
  for (int k = 0; k < c->L; k++) {
    GsLayerState *S = &m->layer[k];
    float *pre = S->pre + tBG;
    const float *h_prev = t > 0 ? S->h + tBH - (size_t) B * H : S->h0;
    const float *c_prev = S->c ? (t > 0 ? S->c + tBH - (size_t) B * H : S->c0) : NULL;

    if (k == 0)
      gs_model_input_forward (m, pre, t);
    else
      gs_linear_forward (pre, m->layer[k - 1].h + tBH, m->p.layer[k].W_ih, m->p.layer[k].b_ih, B, GH, H);
    gs_cell_forward (pre, S->act + tBG, S->hn ? S->hn + tBH : NULL, S->c ? S->c + tBH : NULL,
                     S->h + tBH, m->scratch, h_prev, c_prev, &m->p.layer[k], c->cell, B, H);
  }
  /* logits_t = h_t·W_fcᵀ + b_fc */
  gs_linear_forward (m->logits + (size_t) t * B * c->O, m->layer[c->L - 1].h + tBH,
                     m->p.W_fc, m->p.b_fc, B, c->O, H);
  gs_model_loss_forward (m, t);
  m->t_fwd++;
  return true;
}

/* dlogits_t: CE (softmax − onehot(target)) / N; MSE 2 (logits − y) / N. */
void
gs_model_loss_backward (GsModel *m, float *dlogits, int t)
{
  const int B = m->B, O = m->cfg.O;
  const float inv_n = m->n_targets > 0 ? 1.0f / (float) m->n_targets : 0.0f;

  for (int b = 0; b < B; b++) {
    size_t tb = (size_t) t * B + b;
    float *d = dlogits + (size_t) b * O;
    if (m->cfg.loss == GS_LOSS_CE) {
      int target = m->targets[tb];
      for (int o = 0; o < O; o++)
        d[o] = target >= 0 ? (m->probs[tb * O + o] - (o == target ? 1.0f : 0.0f)) * inv_n : 0.0f;
    } else {
      for (int o = 0; o < O; o++)
        d[o] = m->ymask[tb] ? 2.0f * (m->logits[tb * O + o] - m->ys[tb * O + o]) * inv_n : 0.0f;
    }
  }
}

/* Layer 0's input side: dW_ih, db_ih and (embedding) demb from dpre_t. */
void
gs_model_input_backward (GsModel *m, const float *dpre, int t)
{
  const GsConfig *c = &m->cfg;
  GsLayerParams *dp = &m->g.layer[0];
  const int B = m->B, GH = m->G * c->H;
  const int *tok = m->tokens + (size_t) t * B;

  switch (c->input) {
  case GS_INPUT_EMBED: {
    /* dW_ih += dpreᵀ·x_t;  demb[token] += dpre·W_ih */
    float *dx = m->layer[0].dx;
    gs_linear_backward_w (dp->W_ih, dp->b_ih, dpre, m->layer[0].x + (size_t) t * B * c->E, B, GH, c->E);
    memset (dx, 0, sizeof (float) * (size_t) B * c->E);
    gs_linear_backward_x (dx, dpre, m->p.layer[0].W_ih, B, GH, c->E);
    for (int b = 0; b < B; b++) {
      float *demb = m->g.emb + (size_t) tok[b] * c->E;
      for (int e = 0; e < c->E; e++)
        demb[e] += dx[(size_t) b * c->E + e];
    }
    break;
  }
  case GS_INPUT_ONEHOT:
    /* dW_ih[:, token] += dpre */
    for (int b = 0; b < B; b++)
      for (int j = 0; j < GH; j++) {
        float g = dpre[(size_t) b * GH + j];
        dp->W_ih[(size_t) j * c->V + tok[b]] += g;
        dp->b_ih[j] += g;
      }
    break;
  case GS_INPUT_DENSE:
    gs_linear_backward_w (dp->W_ih, dp->b_ih, dpre, m->xs + (size_t) t * B * c->V, B, GH, c->V);
    break;
  default:
    break;
  }
}

bool
gs_model_backward_step (GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const int t = m->t_bwd - 1, B = m->B, H = c->H, GH = m->G * H;
  const size_t BH = (size_t) B * H, tBH = (size_t) t * BH, tBG = (size_t) t * B * GH;
  float *dlogits = m->dlogits + (size_t) t * B * c->O;
  const float *from_above = m->dh_top;

  if (m->t_fwd < m->T || t < 0)
    return false;

  /* Head: dW_fc += dlogitsᵀ·h_t;  dh_t(top) = dlogits·W_fc */
  gs_model_loss_backward (m, dlogits, t);
  gs_linear_backward_w (m->g.W_fc, m->g.b_fc, dlogits, m->layer[c->L - 1].h + tBH, B, c->O, H);
  memset (m->dh_top, 0, sizeof (float) * BH);
  gs_linear_backward_x (m->dh_top, dlogits, m->p.W_fc, B, c->O, H);

  for (int k = c->L - 1; k >= 0; k--) {
    GsLayerState *S = &m->layer[k];
    float *dh = S->dh + tBH, *dpre = S->dpre + tBG;
    float *dc = S->dc ? S->dc + tBH : NULL;
    const float *h_prev = t > 0 ? S->h + tBH - BH : S->h0;
    const float *c_prev = S->c ? (t > 0 ? S->c + tBH - BH : S->c0) : NULL;

    /* dL/dh_t = from the layer above (or the head) + from timestep t+1 */
    for (size_t i = 0; i < BH; i++)
      dh[i] = from_above[i] + S->dh_next[i];
    if (dc)
      memcpy (dc, S->dc_next, sizeof (float) * BH);
    gs_cell_backward (dpre, S->dh_next, dc, S->dc_next, &m->g.layer[k], m->scratch,
                      dh, S->act + tBG, S->hn ? S->hn + tBH : NULL, S->c ? S->c + tBH : NULL,
                      c_prev, h_prev, &m->p.layer[k], c->cell, B, H);
    if (k == 0) {
      gs_model_input_backward (m, dpre, t);
    } else {
      /* dW_ih += dpreᵀ·h_t(below);  dh_t(below) = dpre·W_ih */
      gs_linear_backward_w (m->g.layer[k].W_ih, m->g.layer[k].b_ih, dpre, m->layer[k - 1].h + tBH, B, GH, H);
      memset (S->dx, 0, sizeof (float) * BH);
      gs_linear_backward_x (S->dx, dpre, m->p.layer[k].W_ih, B, GH, H);
      from_above = S->dx;
    }
  }
  m->t_bwd--;
  return true;
}

void
gs_model_forward (GsModel *m)
{
  while (gs_model_forward_step (m))
    ;
}

void
gs_model_backward (GsModel *m)
{
  while (gs_model_backward_step (m))
    ;
}

/* ───────────────────────── reading results ───────────────────────── */

float
gs_model_loss (const GsModel *m)
{
  double sum = 0.0;
  long n = 0;

  for (int t = 0; t < m->t_fwd; t++) {
    sum += m->loss_t[t];
    for (int b = 0; b < m->B; b++) {
      size_t tb = (size_t) t * m->B + b;
      n += m->cfg.loss == GS_LOSS_CE ? m->targets[tb] >= 0 : (m->ymask[tb] ? m->cfg.O : 0);
    }
  }
  return n > 0 ? (float) (sum / (double) n) : NAN;
}

int
gs_model_predict (const GsModel *m, int t, int b)
{
  const float *z = m->logits + ((size_t) t * m->B + b) * m->cfg.O;
  int best = 0;

  for (int o = 1; o < m->cfg.O; o++)
    if (z[o] > z[best])
      best = o;
  return best;
}

void
gs_model_zero_grad (GsModel *m)
{
  memset (m->grads_mem, 0, sizeof (float) * m->n_params);
}

float
gs_model_clip_grad_norm (GsModel *m, float max_norm)
{
  double sq = 0.0;
  float norm, coef;

  for (size_t i = 0; i < m->n_params; i++)
    sq += (double) m->grads_mem[i] * (double) m->grads_mem[i];
  norm = (float) sqrt (sq);
  /* clip_coef = max_norm / (total_norm + 1e-6), applied when below 1 */
  coef = max_norm / (norm + 1e-6f);
  if (max_norm > 0.0f && coef < 1.0f)
    for (size_t i = 0; i < m->n_params; i++)
      m->grads_mem[i] *= coef;
  return norm;
}

bool
gs_model_is_finite (const GsModel *m)
{
  for (size_t i = 0; i < m->n_params; i++)
    if (!isfinite (m->params_mem[i]) || !isfinite (m->grads_mem[i]))
      return false;
  return true;
}

void
gs_model_final_state (const GsModel *m, float *h_n, float *c_n)
{
  const size_t BH = (size_t) m->B * (size_t) m->cfg.H;

  for (int k = 0; k < m->cfg.L && m->T > 0; k++) {
    const GsLayerState *S = &m->layer[k];
    const int t = m->t_fwd - 1;
    if (h_n)
      memcpy (h_n + k * BH, t >= 0 ? S->h + (size_t) t * BH : S->h0, sizeof (float) * BH);
    if (c_n && S->c)
      memcpy (c_n + k * BH, t >= 0 ? S->c + (size_t) t * BH : S->c0, sizeof (float) * BH);
  }
}

GsModel *
gs_model_clone_params (const GsModel *m, GsError *err)
{
  GsModel *copy = gs_model_new (&m->cfg, err);

  if (copy)
    memcpy (copy->params_mem, m->params_mem, sizeof (float) * m->n_params);
  return copy;
}
