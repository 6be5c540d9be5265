/* gs-seq.c — the whole-sequence fast path used for training.
 *
 * What fast RNN libraries do (cuDNN's persistent kernels and Appleyard et
 * al. 2016 describe the same plan): a layer's input projections for all T
 * timesteps are one GEMM of (T·B, I) by (I, G·H); only the recurrent
 * product h_{t-1}·W_hhᵀ runs per timestep, followed by the fused pointwise
 * gate math of gs-cell.c; in the backward pass the weight gradients are one
 * GEMM over all timesteps — possible because the previous states of all
 * timesteps are one (T·B, P) matrix (gs-model.h: h0 sits next to h). W_hh
 * is packed once per sequence for its 2T per-timestep products, as the
 * persistent kernels keep it on chip (gs-gemm.h). Nothing allocates here.
 *
 * The stepping path (gs-model.c) visits timestep by timestep through all
 * layers; this path visits layer by layer through all timesteps, and in a
 * bidirectional layer the forward direction (t = 0 … T−1) then the reverse
 * one (t = T−1 … 0). The arithmetic is the same up to the order in which
 * the products sum. Bidirectional stepping uses the layer-by-layer pieces below
 * for what it cannot step (gs-model.h).
 */
#include <string.h>

#include "gs-blas.h"
#include "gs-cell.h"
#include "gs-gemm.h"
#include "gs-model-private.h"

/* The per-sequence products go through the packed kernels (gs-gemm.h)
 * where the CPU has them and the product is large enough, else gs-blas. */
static bool
use_packed (const GsModel *m, int R, int N, int K)
{
  return gs_linear_packed_ok (R, N, K) && gs_linear_work_size (R, N, K) <= m->work_n;
}

static void
seq_forward (GsModel *m, float *y, const float *x, const float *W, const float *bias, int R, int N, int K)
{
  if (use_packed (m, R, N, K))
    gs_linear_forward_packed (y, x, W, bias, R, N, K, m->work);
  else
    gs_linear_forward (y, x, W, bias, R, N, K);
}

static void
seq_backward_x (GsModel *m, float *dx, const float *dy, const float *W, int R, int N, int K)
{
  if (use_packed (m, R, N, K))
    gs_linear_backward_x_packed (dx, dy, W, R, N, K, m->work);
  else
    gs_linear_backward_x (dx, dy, W, R, N, K);
}

static void
seq_backward_w (GsModel *m, float *dW, float *dbias, const float *dy, const float *x, int R, int N, int K)
{
  if (use_packed (m, R, N, K))
    gs_linear_backward_w_packed (dW, dbias, dy, x, R, N, K, m->work);
  else
    gs_linear_backward_w (dW, dbias, dy, x, R, N, K);
}

/* W_hh of layer k, direction d, packed once for the T per-timestep products
 * of the forward (h_{t-1}·W_hhᵀ) or the backward (dgates·W_hh) pass; the
 * cell reads it through GsLayerState.whh_t / whh_b (NULL: gs-blas). GRU
 * reset-before multiplies by parts of W_hh and keeps gs-blas. */
static void
pack_recurrent (GsModel *m, int k, int d, bool backward)
{
  GsLayerState *S = gs_model_state (m, k, d);
  const GsLayerParams *p = d ? &m->p.rev[k] : &m->p.layer[k];
  const int GH = m->G * m->cfg.H, P = m->P;

  S->whh_t = S->whh_b = S->whh_v = NULL;
  if (m->pack_hh == NULL || (m->cfg.cell == GS_CELL_GRU && m->cfg.variant.gru_reset_before))
    return;
  if (m->B == 1 && !backward && gs_gemv_packed_ok (GH, P)) {
    /* batch 1: the matrix-vector kernel, as stepping uses (gs-model.c) */
    gs_gemv_pack (m->pack_hh, p->W_hh, GH, P);
    S->whh_v = m->pack_hh;
    return;
  }
  if (!gs_linear_packed_ok (m->B, GH, P))
    return;
  if (backward) {
    gs_gemm_pack (m->pack_hh, p->W_hh, GH, P);
    S->whh_b = m->pack_hh;
  } else {
    gs_gemm_pack_t (m->pack_hh, p->W_hh, GH, P);
    S->whh_t = m->pack_hh;
  }
}

static void
unpack_recurrent (GsModel *m, int k, int d)
{
  GsLayerState *S = gs_model_state (m, k, d);

  S->whh_t = S->whh_b = S->whh_v = NULL;
}

/* PRE (T·B, G·H) = X·W_ihᵀ + b_ih for layer k, direction d, all timesteps at once. */
static void
input_projection (GsModel *m, int k, int d)
{
  const GsConfig *c = &m->cfg;
  const GsLayerParams *p = d ? &m->p.rev[k] : &m->p.layer[k];
  GsLayerState *S = gs_model_state (m, k, d);
  const int TB = m->T * m->B, GH = m->G * c->H;

  if (k > 0) {
    seq_forward (m, S->pre, gs_model_layer_input (m, k), p->W_ih, p->b_ih, TB, GH,
                 gs_config_layer_input (c, k));
    return;
  }
  switch (c->input) {
  case GS_INPUT_EMBED:
    /* X = emb[tokens] */
    for (int i = 0; i < TB; i++)
      memcpy (m->layer[0].x + (size_t) i * c->E, m->p.emb + (size_t) m->tokens[i] * c->E, sizeof (float) * c->E);
    seq_forward (m, S->pre, m->layer[0].x, p->W_ih, p->b_ih, TB, GH, c->E);
    break;
  case GS_INPUT_DENSE:
    seq_forward (m, S->pre, m->xs, p->W_ih, p->b_ih, TB, GH, c->V);
    break;
  case GS_INPUT_ONEHOT:
  default: {
    /* PRE[i] = W_ih[:, token_i] + b_ih: a column of W_ih is a row of W_ihᵀ (transposed once) */
    float *Wt = m->onehot_t;
    gs_onehot_transpose (Wt, p->W_ih, GH, c->V);
    for (int i = 0; i < TB; i++) {
      const float *w = Wt + (size_t) m->tokens[i] * GH;
      float *pre = S->pre + (size_t) i * GH;
      for (int j = 0; j < GH; j++)
        pre[j] = w[j] + p->b_ih[j];
    }
    break;
  }
  }
}

/* One direction of layer k over the whole sequence: forward in time, or
 * (reverse) from T−1 down to 0. */
static void
direction_forward (GsModel *m, int k, int d)
{
  input_projection (m, k, d);
  /* per timestep: gh = h_{t-1}·W_hhᵀ + b_hh, then the gates (gs-cell.c) */
  pack_recurrent (m, k, d, false);
  for (int i = 0; i < m->T; i++)
    gs_model_cell_forward_at (m, k, d, d ? m->T - 1 - i : i);
  unpack_recurrent (m, k, d);
}

/* x of layer k > 0 for every timestep. */
static void
fill_inputs (GsModel *m, int k)
{
  if (k > 0 && m->layer[k].x)
    for (int t = 0; t < m->T; t++)
      gs_model_fill_input (m, k, t);
}

void
gs_seq_forward_lower (GsModel *m)
{
  const int L = m->cfg.L;

  for (int k = 0; k < L - 1; k++) {
    fill_inputs (m, k);
    direction_forward (m, k, 0);
    direction_forward (m, k, 1);
  }
  fill_inputs (m, L - 1);
  direction_forward (m, L - 1, 1);
}

void
gs_model_forward_seq (GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const int T = m->T, B = m->B, F = m->D * m->P;

  if (m->t_fwd != 0 || T == 0) {
    gs_model_forward (m);
    return;
  }
  for (int k = 0; k < c->L; k++) {
    fill_inputs (m, k);
    for (int d = 0; d < m->D; d++)
      direction_forward (m, k, d);
  }
  if (m->D == 2)
    for (int t = 0; t < T; t++)
      gs_model_fill_out (m, t);
  /* LOGITS (T·B, O) = OUT·W_fcᵀ + b_fc */
  seq_forward (m, m->logits, gs_model_head_input (m), m->p.W_fc, m->p.b_fc, T * B, c->O, F);
  for (int t = 0; t < T; t++)
    gs_model_loss_forward (m, t);
  m->t_fwd = T;
}

/* Layer 0's input side of direction d for all timesteps: dW_ih, db_ih and
 * demb. dx (T·B, E) is scratch. */
static void
input_backward (GsModel *m, int d, float *dx)
{
  const GsConfig *c = &m->cfg;
  GsLayerState *S = gs_model_state (m, 0, d);
  GsLayerParams *dp = d ? &m->g.rev[0] : &m->g.layer[0];
  const GsLayerParams *p = d ? &m->p.rev[0] : &m->p.layer[0];
  const int TB = m->T * m->B, GH = m->G * c->H;

  switch (c->input) {
  case GS_INPUT_EMBED:
    /* dW_ih += DPREᵀ·X;  dX = DPRE·W_ih;  demb[token] += dX */
    seq_backward_w (m, dp->W_ih, dp->b_ih, S->dpre, m->layer[0].x, TB, GH, c->E);
    memset (dx, 0, sizeof (float) * (size_t) TB * c->E);
    seq_backward_x (m, dx, S->dpre, p->W_ih, TB, GH, c->E);
    for (int i = 0; i < TB; i++) {
      float *demb = m->g.emb + (size_t) m->tokens[i] * c->E;
      const float *dxi = dx + (size_t) i * c->E;
      for (int e = 0; e < c->E; e++)
        demb[e] += dxi[e];
    }
    break;
  case GS_INPUT_DENSE:
    seq_backward_w (m, dp->W_ih, dp->b_ih, S->dpre, m->xs, TB, GH, c->V);
    break;
  case GS_INPUT_ONEHOT:
  default: {
    /* dW_ih[:, token] += dpre, summed in W_ihᵀ's layout (rows, not columns) in the order of
     * the stepping path (t from T−1 down, b up), then added to dW_ih once; db_ih += Σ dpre */
    float *dWt = m->onehot_t;
    const int B = m->B;
    memset (dWt, 0, sizeof (float) * (size_t) c->V * GH);
    for (int t = m->T - 1; t >= 0; t--)
      for (int b = 0; b < B; b++) {
        const size_t i = (size_t) t * B + b;
        const float *g = S->dpre + i * GH;
        float *dw = dWt + (size_t) m->tokens[i] * GH;
        for (int j = 0; j < GH; j++) {
          dw[j] += g[j];
          dp->b_ih[j] += g[j];
        }
      }
    gs_onehot_add_transpose (dp->W_ih, dWt, GH, c->V);
    break;
  }
  }
}

/* One direction of layer k, back through the whole sequence. above (T, B,
 * D·P) is dL/d(the layer's output) from above; below (T, B, I), for k > 0,
 * receives += dL/d(the layer's input); scratch is (T·B, E). */
static void
direction_backward (GsModel *m, int k, int d, const float *above, float *below, float *scratch)
{
  const GsConfig *c = &m->cfg;
  GsLayerState *S = gs_model_state (m, k, d);
  const GsLayerParams *p = d ? &m->p.rev[k] : &m->p.layer[k];
  GsLayerParams *dp = d ? &m->g.rev[k] : &m->g.layer[k];
  const int T = m->T, B = m->B, P = m->P, H = c->H, GH = m->G * H, TB = T * B, F = m->D * P;
  const bool step_w = c->cell == GS_CELL_GRU && c->variant.gru_reset_before;
  const float *drec = S->dgh ? S->dgh : S->dpre;

  /* Back through time: the pointwise gate math and the recurrent products per step. */
  pack_recurrent (m, k, d, true);
  for (int i = 0; i < T; i++) {
    int t = d ? i : T - 1 - i;
    gs_model_cell_backward_at (m, k, d, t, above + (size_t) t * B * F + (size_t) d * P, F, step_w);
  }
  unpack_recurrent (m, k, d);
  /* dW_hh += DRECᵀ·H_rec over all timesteps (H_rec = the previous states, one matrix) */
  if (!step_w)
    seq_backward_w (m, dp->W_hh, dp->b_hh, drec, S->hrec, TB, GH, P);
  /* dW_hr += DHᵀ·M */
  if (S->m)
    seq_backward_w (m, dp->W_hr, NULL, S->dh, S->m, TB, P, H);
  if (k == 0) {
    input_backward (m, d, scratch);
  } else {
    /* dW_ih += DPREᵀ·X;  dX += DPRE·W_ih */
    const int I = gs_config_layer_input (c, k);
    seq_backward_w (m, dp->W_ih, dp->b_ih, S->dpre, gs_model_layer_input (m, k), TB, GH, I);
    seq_backward_x (m, below, S->dpre, p->W_ih, TB, GH, I);
  }
}

/* dL/d(output of layer k−1) = dL/d(input of layer k) ⊙ layer k's dropout mask. */
static void
through_dropout (GsModel *m, int k, float *dx)
{
  const GsLayerState *S = &m->layer[k];
  const size_t n = (size_t) m->T * m->B * gs_config_layer_input (&m->cfg, k);

  if (m->masks_on && S->xmask)
    for (size_t i = 0; i < n; i++)
      dx[i] *= S->xmask[i];
}

/* Layers k_top … 0, both directions; above holds dL/d(output of k_top). */
static void
layers_backward (GsModel *m, int k_top, float *above, float *below)
{
  const size_t TB = (size_t) m->T * m->B;

  for (int k = k_top; k >= 0; k--) {
    float *swap;
    if (k > 0)
      memset (below, 0, sizeof (float) * TB * gs_config_layer_input (&m->cfg, k));
    for (int d = 0; d < m->D; d++)
      direction_backward (m, k, d, above, below, below);
    if (k == 0)
      break;
    through_dropout (m, k, below);
    swap = above;
    above = below;
    below = swap;
  }
}

void
gs_seq_backward_rest (GsModel *m)
{
  const int L = m->cfg.L;

  /* dseq[0] holds the top forward direction's input gradient at every t */
  direction_backward (m, L - 1, 1, m->dout, m->dseq[0], m->dseq[1]);
  if (L > 1) {
    through_dropout (m, L - 1, m->dseq[0]);
    layers_backward (m, L - 2, m->dseq[0], m->dseq[1]);
  }
}

void
gs_model_backward_seq (GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const int T = m->T, B = m->B, TB = T * B, F = m->D * m->P;

  if (m->t_fwd < T || T == 0)
    return;
  if (m->t_bwd != T) {
    gs_model_backward (m);
    return;
  }
  /* Head: dLOGITS; dW_fc += dLOGITSᵀ·OUT; dOUT = dLOGITS·W_fc */
  for (int t = 0; t < T; t++)
    gs_model_loss_backward (m, m->dlogits + (size_t) t * B * c->O, t);
  seq_backward_w (m, m->g.W_fc, m->g.b_fc, m->dlogits, gs_model_head_input (m), TB, c->O, F);
  memset (m->dseq[0], 0, sizeof (float) * (size_t) TB * F);
  seq_backward_x (m, m->dseq[0], m->dlogits, m->p.W_fc, TB, c->O, F);
  layers_backward (m, c->L - 1, m->dseq[0], m->dseq[1]);
  m->t_bwd = 0;
}
