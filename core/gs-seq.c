/* gs-seq.c — the whole-sequence fast path used for training.
 *
 * What fast RNN libraries do (cuDNN's persistent kernels and Appleyard et
 * al. 2016 describe the same plan): a layer's input projections for all T
 * timesteps are one GEMM of (T·B, I) by (I, G·H); only the recurrent
 * product h_{t-1}·W_hhᵀ runs per timestep, followed by the fused pointwise
 * gate math of gs-cell.c; in the backward pass the weight gradients are one
 * GEMM over all timesteps — possible because h0 sits right before h, so
 * h_{t-1} for every t is one (T·B, H) matrix. Nothing allocates here.
 *
 * The stepping path (gs-model.c) visits timestep by timestep through all
 * layers; this path visits layer by layer through all timesteps. The
 * arithmetic is the same up to the order in which BLAS sums.
 */
#include <string.h>

#include "gs-blas.h"
#include "gs-cell.h"
#include "gs-model-private.h"

/* PRE (T·B, G·H) = X·W_ihᵀ + b_ih for layer k, all timesteps at once. */
static void
input_projection (GsModel *m, int k)
{
  const GsConfig *c = &m->cfg;
  const GsLayerParams *p = &m->p.layer[k];
  GsLayerState *S = &m->layer[k];
  const int TB = m->T * m->B, GH = m->G * c->H;

  if (k > 0) {
    gs_linear_forward (S->pre, m->layer[k - 1].h, p->W_ih, p->b_ih, TB, GH, c->H);
    return;
  }
  switch (c->input) {
  case GS_INPUT_EMBED:
    /* X = emb[tokens] */
    for (int i = 0; i < TB; i++)
      memcpy (S->x + (size_t) i * c->E, m->p.emb + (size_t) m->tokens[i] * c->E, sizeof (float) * c->E);
    gs_linear_forward (S->pre, S->x, p->W_ih, p->b_ih, TB, GH, c->E);
    break;
  case GS_INPUT_DENSE:
    gs_linear_forward (S->pre, m->xs, p->W_ih, p->b_ih, TB, GH, c->V);
    break;
  case GS_INPUT_ONEHOT:
  default:
    for (int t = 0; t < m->T; t++)
      gs_model_input_forward (m, S->pre + (size_t) t * m->B * GH, t);
    break;
  }
}

void
gs_model_forward_seq (GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const int T = m->T, B = m->B, H = c->H, GH = m->G * H;
  const size_t BH = (size_t) B * H, BG = (size_t) B * GH;

  if (m->t_fwd != 0 || T == 0) {
    gs_model_forward (m);
    return;
  }
  for (int k = 0; k < c->L; k++) {
    GsLayerState *S = &m->layer[k];
    input_projection (m, k);
    /* per timestep: gh = h_{t-1}·W_hhᵀ + b_hh, then the gates (gs-cell.c) */
    for (int t = 0; t < T; t++)
      gs_cell_forward (S->pre + t * BG, S->act + t * BG, S->hn ? S->hn + t * BH : NULL,
                       S->c ? S->c + t * BH : NULL, S->h + t * BH, m->scratch,
                       S->h0 + (size_t) t * BH, S->c0 ? S->c0 + (size_t) t * BH : NULL,
                       &m->p.layer[k], c->cell, B, H);
  }
  /* LOGITS (T·B, O) = H_top·W_fcᵀ + b_fc */
  gs_linear_forward (m->logits, m->layer[c->L - 1].h, m->p.W_fc, m->p.b_fc, T * B, c->O, H);
  for (int t = 0; t < T; t++)
    gs_model_loss_forward (m, t);
  m->t_fwd = T;
}

/* Layer 0's input side for all timesteps: dW_ih, db_ih and demb. */
static void
input_backward (GsModel *m, float *dx)
{
  const GsConfig *c = &m->cfg;
  GsLayerState *S = &m->layer[0];
  GsLayerParams *dp = &m->g.layer[0];
  const int TB = m->T * m->B, GH = m->G * c->H;

  switch (c->input) {
  case GS_INPUT_EMBED:
    /* dW_ih += DPREᵀ·X;  dX = DPRE·W_ih;  demb[token] += dX */
    gs_linear_backward_w (dp->W_ih, dp->b_ih, S->dpre, S->x, TB, GH, c->E);
    memset (dx, 0, sizeof (float) * (size_t) TB * c->E);
    gs_linear_backward_x (dx, S->dpre, m->p.layer[0].W_ih, TB, GH, c->E);
    for (int i = 0; i < TB; i++) {
      float *demb = m->g.emb + (size_t) m->tokens[i] * c->E;
      const float *d = dx + (size_t) i * c->E;
      for (int e = 0; e < c->E; e++)
        demb[e] += d[e];
    }
    break;
  case GS_INPUT_DENSE:
    gs_linear_backward_w (dp->W_ih, dp->b_ih, S->dpre, m->xs, TB, GH, c->V);
    break;
  case GS_INPUT_ONEHOT:
  default:
    for (int t = m->T - 1; t >= 0; t--)
      gs_model_input_backward (m, S->dpre + (size_t) t * m->B * GH, t);
    break;
  }
}

void
gs_model_backward_seq (GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const int T = m->T, B = m->B, H = c->H, GH = m->G * H, TB = T * B;
  const size_t BH = (size_t) B * H, BG = (size_t) B * GH;
  float *above = m->dseq[0], *below = m->dseq[1];

  if (m->t_fwd < T || T == 0)
    return;
  if (m->t_bwd != T) {
    gs_model_backward (m);
    return;
  }
  /* Head: dLOGITS; dW_fc += dLOGITSᵀ·H_top; dH_top = dLOGITS·W_fc */
  for (int t = 0; t < T; t++)
    gs_model_loss_backward (m, m->dlogits + (size_t) t * B * c->O, t);
  gs_linear_backward_w (m->g.W_fc, m->g.b_fc, m->dlogits, m->layer[c->L - 1].h, TB, c->O, H);
  memset (above, 0, sizeof (float) * (size_t) TB * H);
  gs_linear_backward_x (above, m->dlogits, m->p.W_fc, TB, c->O, H);

  for (int k = c->L - 1; k >= 0; k--) {
    GsLayerState *S = &m->layer[k];
    const GsLayerParams *p = &m->p.layer[k];
    GsLayerParams *dp = &m->g.layer[k];
    float *drec = S->dgh ? S->dgh : S->dpre;

    /* Back through time: only the pointwise gate math and drec·W_hh per step. */
    for (int t = T - 1; t >= 0; t--) {
      float *dh = S->dh + t * BH, *dc = S->dc ? S->dc + t * BH : NULL;
      const float *a = above + t * BH;
      for (size_t i = 0; i < BH; i++)
        dh[i] = a[i] + S->dh_next[i];
      if (dc)
        memcpy (dc, S->dc_next, sizeof (float) * BH);
      gs_cell_backward_pointwise (S->dpre + t * BG, drec + t * BG, S->dh_next, dc, S->dc_next,
                                  dh, S->act + t * BG, S->hn ? S->hn + t * BH : NULL,
                                  S->c ? S->c + t * BH : NULL, S->c0 ? S->c0 + t * BH : NULL,
                                  S->h0 + t * BH, c->cell, B, H);
      gs_linear_backward_x (S->dh_next, drec + t * BG, p->W_hh, B, GH, H);
    }
    /* dW_hh += DRECᵀ·H_prev over all timesteps (H_prev = [h0, h_0 … h_{T-2}]) */
    gs_linear_backward_w (dp->W_hh, dp->b_hh, drec, S->h0, TB, GH, H);
    if (k > 0) {
      /* dW_ih += DPREᵀ·H_below;  dH_below = DPRE·W_ih */
      float *swap;
      gs_linear_backward_w (dp->W_ih, dp->b_ih, S->dpre, m->layer[k - 1].h, TB, GH, H);
      memset (below, 0, sizeof (float) * (size_t) TB * H);
      gs_linear_backward_x (below, S->dpre, p->W_ih, TB, GH, H);
      swap = above;
      above = below;
      below = swap;
    } else {
      input_backward (m, below);
    }
  }
  m->t_bwd = 0;
}
