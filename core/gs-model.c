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
#include "gs-gemm.h"
#include "gs-i18n.h"
#include "gs-intervene.h"
#include "gs-math.h"
#include "gs-simd.h"
#include "gs-mem.h"
#include "gs-model-private.h"

/* ───────────────────────── lifetime ───────────────────────── */

/* n zeroed floats on a 64-byte boundary (a cache line, an AVX-512
 * vector): with malloc's 16 bytes, every 32-byte load of a weight row
 * crossed a line half the time, and a batch-1 step at H = 256 read its
 * W_hh at two thirds of the speed. Free with free(). */
static float *
alloc_aligned (size_t n)
{
  const size_t bytes = ((n > 0 ? n : 1) * sizeof (float) + 63) & ~(size_t) 63;
  float *p = aligned_alloc (64, bytes);

  if (p != NULL)
    memset (p, 0, bytes);
  return p;
}

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
  m->D = gs_config_dirs (cfg);
  m->P = gs_config_hidden_out (cfg);
  m->n_params = gs_config_num_params (cfg);
  m->params_mem = alloc_aligned (m->n_params);
  m->grads_mem = alloc_aligned (m->n_params);
  if (m->params_mem == NULL || m->grads_mem == NULL) {
    gs_model_free (m);
    gs_error_set (err, _("out of memory allocating %zu parameters"), gs_config_num_params (cfg));
    return NULL;
  }
  gs_params_bind (&m->p, cfg, m->params_mem);
  gs_params_bind (&m->g, cfg, m->grads_mem);
  for (int k = 0; k < GS_MAX_LAYERS; k++)
    m->rev[k].reverse = true;
  return m;
}

/* The buffers one layer direction owns (x and xmask of the reverse
 * direction are the forward direction's). */
static void
free_layer_state (GsLayerState *S, bool owns_input)
{
  if (owns_input) {
    free (S->x);
    free (S->xmask);
  }
  free (S->pre);
  free (S->act);
  free (S->hn);
  free (S->rh);
  free (S->m);
  free (S->hbuf);
  free (S->cbuf);
  free (S->hin);
  free (S->rmask);
  free (S->dgh);
  free (S->dh);
  free (S->dc);
  free (S->dm);
  free (S->dpre);
  free (S->dh_next);
  free (S->dc_next);
  free (S->dg_next);
  free (S->dg_in);
  free (S->dx);
  free (S->dhrec);
  memset (S, 0, sizeof *S);
}

static void
free_sequence_buffers (GsModel *m)
{
  free (m->tokens);
  free (m->xs);
  free (m->targets);
  free (m->ys);
  free (m->ymask);
  free (m->out);
  free (m->dout);
  free (m->logits);
  free (m->probs);
  free (m->dlogits);
  free (m->dh_top);
  free (m->dseq[0]);
  free (m->dseq[1]);
  free (m->loss_t);
  free (m->scratch);
  free (m->scratch2);
  free (m->rowstat);
  free (m->onehot_t);
  free (m->pack_hh);
  free (m->work);
  free (m->step_pack);
  for (int k = 0; k < GS_MAX_LAYERS; k++) {
    free_layer_state (&m->layer[k], true);
    free_layer_state (&m->rev[k], false);
    m->rev[k].reverse = true;
  }
  m->tokens = NULL;
  m->xs = m->ys = m->logits = m->probs = m->dlogits = m->dh_top = m->scratch = m->scratch2 = m->rowstat = m->onehot_t = NULL;
  m->pack_hh = m->work = m->step_pack = NULL;
  m->fc_v = NULL;
  m->work_n = 0;
  m->out = m->dout = NULL;
  m->dseq[0] = m->dseq[1] = NULL;
  m->targets = NULL;
  m->ymask = NULL;
  m->loss_t = NULL;
  m->T_cap = m->B_cap = 0;
}

void
gs_model_free (GsModel *m)
{
  if (m == NULL)
    return;
  free_sequence_buffers (m);
  free (m->iv);
  free (m->iv_on);
  free (m->iv_val);
  free (m->params_mem);
  free (m->grads_mem);
  free (m);
}

/* ───────────────────────── batch-1 stepping ───────────────────────── */

/* Whether a forward pass steps through packed weights (gs_model_forward_step). */
static bool
step_pack_wanted (const GsModel *m, int B)
{
  return B == 1 && m->D == 1 && gs_gemv_packed_ok (m->G * m->cfg.H, m->P);
}

/* Floats of step_pack: layer by layer W_hh then W_ih (one-hot: V rows of
 * W_ihᵀ), then W_fc; each part a whole number of cache lines. */
static size_t
step_pack_part (size_t n)
{
  return (n + 15) & ~(size_t) 15;
}

static size_t
step_pack_size (const GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const int GH = m->G * c->H;
  size_t n = step_pack_part (gs_gemv_packed_size (c->O, m->P));

  for (int k = 0; k < c->L; k++) {
    const int I = gs_config_layer_input (c, k);
    n += step_pack_part (gs_gemv_packed_size (GH, m->P));
    n += step_pack_part (k == 0 && c->input == GS_INPUT_ONEHOT ? (size_t) c->V * GH
                                                                : gs_gemv_packed_size (GH, I));
  }
  return n;
}

void
gs_model_params_changed (GsModel *m)
{
  for (int k = 0; k < GS_MAX_LAYERS; k++)
    m->layer[k].whh_v = m->layer[k].wih_v = NULL;
  m->fc_v = NULL;
}

/* The first step of a pass at batch 1: pack what every step multiplies by
 * (gs-gemm.h), once for the T steps of the pass. Packing a GRU at H = 256
 * takes about 70 µs, 13 of its steps; each step then reads its weights in
 * one contiguous stream. */
static void
step_pack (GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const int GH = m->G * c->H, P = m->P;
  float *dst = m->step_pack;

  gs_model_params_changed (m);
  if (dst == NULL || !step_pack_wanted (m, m->B))
    return;
  for (int k = 0; k < c->L; k++) {
    GsLayerState *S = &m->layer[k];
    const GsLayerParams *p = &m->p.layer[k];
    const int I = gs_config_layer_input (c, k);
    /* GRU reset-before multiplies by parts of W_hh: it keeps gs-blas */
    if (!(c->cell == GS_CELL_GRU && c->variant.gru_reset_before)) {
      gs_gemv_pack (dst, p->W_hh, GH, P);
      S->whh_v = dst;
    }
    dst += step_pack_part (gs_gemv_packed_size (GH, P));
    if (k == 0 && c->input == GS_INPUT_ONEHOT) {
      gs_onehot_transpose (dst, p->W_ih, GH, c->V);
      S->wih_v = dst;
      dst += step_pack_part ((size_t) c->V * GH);
    } else {
      gs_gemv_pack (dst, p->W_ih, GH, I);
      S->wih_v = dst;
      dst += step_pack_part (gs_gemv_packed_size (GH, I));
    }
  }
  gs_gemv_pack (dst, m->p.W_fc, c->O, P);
  m->fc_v = dst;
}

size_t
gs_config_sequence_bytes (const GsConfig *c, int T, int B)
{
  const size_t H = (size_t) c->H, GH = (size_t) gs_cell_gates (c->cell) * H, O = (size_t) c->O;
  const size_t P = (size_t) gs_config_hidden_out (c), D = (size_t) gs_config_dirs (c), DP = D * P;
  const size_t W = DP > (size_t) c->E ? DP : (size_t) c->E;
  const size_t TB = (size_t) (T > 0 ? T : 0) * (size_t) (B > 0 ? B : 0);

  return TB * sizeof (float) * ((size_t) c->L * (D * (4 * GH + 6 * H + 4 * P) + 2 * W + 64)
                                + 3 * O + (size_t) c->V + 4 * W);
}

/* Sizes every (T, B, …) buffer once; the time loop never allocates. */
static int
ensure_capacity (GsModel *m, int T, int B, GsError *err)
{
  const GsConfig *c = &m->cfg;
  const GsVariant *v = &c->variant;
  const size_t H = (size_t) c->H, GH = (size_t) m->G * H, O = (size_t) c->O;
  const size_t P = (size_t) m->P, D = (size_t) m->D, DP = D * P;
  const size_t W = DP > (size_t) c->E ? DP : (size_t) c->E;
  size_t TB, bytes;
  bool ok = true;

  if (T <= m->T_cap && B <= m->B_cap)
    return GS_OK;
  T = T > m->T_cap ? T : m->T_cap;
  B = B > m->B_cap ? B : m->B_cap;
  TB = (size_t) T * (size_t) B;
  bytes = gs_config_sequence_bytes (c, T, B);
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
  if (D == 2) {
    ALLOC (m->out, TB * DP);
    ALLOC (m->dout, TB * DP);
  }
  ALLOC (m->logits, TB * O);
  ALLOC (m->probs, TB * O);
  ALLOC (m->dlogits, TB * O);
  ALLOC (m->dh_top, (size_t) B * DP);
  ALLOC (m->dseq[0], TB * W);
  ALLOC (m->dseq[1], TB * W);
  ALLOC (m->loss_t, (size_t) T);
  ALLOC (m->scratch, (size_t) B * GH);
  ALLOC (m->scratch2, (size_t) B * 2 * H);
  ALLOC (m->rowstat, (size_t) 2 * B);
  if (c->input == GS_INPUT_ONEHOT)
    ALLOC (m->onehot_t, (size_t) c->V * GH);
  if (gs_gemm_panel () > 0) {
    /* gs-seq.c: W_hh packed either way, and the per-sequence products' work space */
    size_t hh = gs_gemm_packed_size ((int) P, (int) GH), hh_b = gs_gemm_packed_size ((int) GH, (int) P);
    size_t work = gs_linear_work_size ((int) TB, (int) O, (int) DP);
    for (int k = 0; k < c->L; k++) {
      const size_t I = (size_t) gs_config_layer_input (c, k);
      size_t w_ih = gs_linear_work_size ((int) TB, (int) GH, (int) I);
      size_t w_hh = gs_linear_work_size ((int) TB, (int) GH, (int) P);
      size_t w_hr = gs_linear_work_size ((int) TB, (int) P, (int) H);
      work = w_ih > work ? w_ih : work;
      work = w_hh > work ? w_hh : work;
      work = P != H && w_hr > work ? w_hr : work;
    }
    size_t hh_v = gs_gemv_packed_size ((int) GH, (int) P);   /* B = 1 (gs-seq.c) */
    hh = hh > hh_b ? hh : hh_b;
    ALLOC (m->pack_hh, hh > hh_v ? hh : hh_v);
    ALLOC (m->work, work);
    m->work_n = work;
  }
  for (int k = 0; k < c->L; k++)
    for (size_t d = 0; d < D; d++) {
      GsLayerState *S = d ? &m->rev[k] : &m->layer[k];
      const size_t I = (size_t) gs_config_layer_input (c, k);
      if (d == 0 && k == 0 && c->input == GS_INPUT_EMBED)
        ALLOC (S->x, TB * (size_t) c->E);
      if (d == 0 && k > 0 && (D == 2 || v->dropout > 0.0f))
        ALLOC (S->x, TB * I);
      if (d == 0 && k > 0 && v->dropout > 0.0f)
        ALLOC (S->xmask, TB * I);
      if (d == 1) {
        S->x = m->layer[k].x;
        S->xmask = m->layer[k].xmask;
      }
      ALLOC (S->pre, TB * GH);
      ALLOC (S->act, TB * GH);
      if (c->cell == GS_CELL_GRU) {
        ALLOC (S->hn, TB * H);
        ALLOC (S->dgh, TB * GH);
      }
      if (c->cell == GS_CELL_GRU && v->gru_reset_before)
        ALLOC (S->rh, TB * H);
      if (c->cell == GS_CELL_LSTM) {
        ALLOC (S->cbuf, TB * H + (size_t) B * H);
        ALLOC (S->dc, TB * H);
        ALLOC (S->dc_next, (size_t) B * H);
      }
      if (c->cell == GS_CELL_LSTM && v->full_gate_recurrence) {
        ALLOC (S->dg_next, (size_t) B * 3 * H);
        ALLOC (S->dg_in, (size_t) B * 3 * H);
      }
      if (c->cell == GS_CELL_LSTM && v->proj > 0) {
        ALLOC (S->m, TB * H);
        ALLOC (S->dm, TB * H);
      }
      if (v->recurrent_dropout > 0.0f) {
        ALLOC (S->hin, TB * P);
        ALLOC (S->rmask, (size_t) B * P);
        ALLOC (S->dhrec, (size_t) B * P);
      }
      ALLOC (S->hbuf, TB * P + (size_t) B * P);
      ALLOC (S->dh, TB * P);
      ALLOC (S->dpre, TB * GH);
      ALLOC (S->dh_next, (size_t) B * P);
      ALLOC (S->dx, (size_t) B * I);
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

/* PyTorch's reset_parameters() of nn.Embedding, nn.RNN/LSTM/GRU and
 * nn.Linear, in named_parameters () order; then the variants' own
 * initialisation on top. */
void
gs_model_init_params (GsModel *m, GsRng *rng)
{
  GsTensorInfo t[GS_MAX_TENSORS];
  const GsConfig *c = &m->cfg;
  const int n = gs_config_tensors (c, t), H = c->H;
  const float k_rnn = 1.0f / sqrtf ((float) H);
  const float k_fc = 1.0f / sqrtf ((float) (m->D * m->P));

  for (int i = 0; i < n; i++) {
    float *w = m->params_mem + t[i].offset;
    bool normal = strcmp (t[i].name, "emb.weight") == 0;
    float k = strncmp (t[i].name, "fc.", 3) == 0 ? k_fc : k_rnn;
    for (size_t j = 0; j < t[i].numel; j++)
      w[j] = normal ? gs_rng_normal (rng) : gs_rng_uniform (rng, -k, k);
  }
  for (int k = 0; k < c->L; k++)
    for (int d = 0; d < m->D; d++) {
      GsLayerParams *p = d ? &m->p.rev[k] : &m->p.layer[k];
      /* b_if = forget_bias, b_hf = 0: the forget gate starts mostly open
       * (σ(1) ≈ 0.73), so the error signal of a distant step is not halved
       * at every step before learning begins (Gers et al. 2000; Jozefowicz
       * et al. 2015). Rows are i, f, g, o: the f rows are [H, 2H). */
      if (c->cell == GS_CELL_LSTM && gs_variant_has_forget_bias (&c->variant))
        for (int j = H; j < 2 * H; j++) {
          p->b_ih[j] = c->variant.forget_bias;
          p->b_hh[j] = 0.0f;
        }
      /* IRNN: W_hh = I, b = 0, so the recurrence starts by copying h_{t-1}
       * (Le, Jaitly & Hinton 2015) */
      if (c->variant.irnn && m->G == 1) {
        memset (p->W_hh, 0, sizeof (float) * (size_t) H * H);
        for (int j = 0; j < H; j++)
          p->W_hh[(size_t) j * H + j] = 1.0f;
        memset (p->b_ih, 0, sizeof (float) * (size_t) H);
        memset (p->b_hh, 0, sizeof (float) * (size_t) H);
      }
    }
  gs_model_rewind (m);
}

void
gs_model_set_training (GsModel *m, bool training, GsRng *rng)
{
  m->training = training && rng != NULL;
  m->rng = training ? rng : NULL;
}

/* Inverted dropout: each element 0 with probability p, else 1/(1 − p), so
 * that the expected value of a unit is unchanged. */
static void
draw_mask (float *mask, size_t n, float p, GsRng *rng)
{
  const float keep = 1.0f / (1.0f - p);

  for (size_t i = 0; i < n; i++)
    mask[i] = gs_rng_uniform (rng, 0.0f, 1.0f) < p ? 0.0f : keep;
}

/* Points each layer direction's views into its storage for T × B. */
static void
place_states (GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const size_t BP = (size_t) m->B * m->P, BH = (size_t) m->B * c->H, T = (size_t) m->T;
  const bool rd = m->masks_on && c->variant.recurrent_dropout > 0.0f;

  for (int k = 0; k < c->L; k++)
    for (int d = 0; d < m->D; d++) {
      GsLayerState *S = d ? &m->rev[k] : &m->layer[k];
      if (d == 0) {
        S->h0 = S->hbuf;
        S->h = S->hbuf + BP;
        S->hprev = S->h0;
        S->c0 = S->cbuf;
        S->c = S->cbuf ? S->cbuf + BH : NULL;
        S->cprev = S->c0;
      } else {
        S->h = S->hbuf;
        S->h0 = S->hbuf + T * BP;
        S->hprev = S->h + BP;
        S->c = S->cbuf;
        S->c0 = S->cbuf ? S->cbuf + T * BH : NULL;
        S->cprev = S->cbuf ? S->c + BH : NULL;
      }
      S->hrec = rd ? S->hin : S->hprev;
    }
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
  m->masks_on = false;
  if (T < 1 || B < 1 || T > (1 << 24) || B > (1 << 20))
    return gs_error_set (err, _("a batch must have 1 or more sequences of 1 or more steps (got %d × %d)"), B, T);
  if (c->input == GS_INPUT_DENSE ? xs == NULL : tokens == NULL)
    return gs_error_set (err, _("the sequence has no input"));
  /* Size first: the checks below read T × B values. */
  if (ensure_capacity (m, T, B, err) != GS_OK)
    return GS_FAIL;
  /* a copy of the weights for batch-1 stepping, only once a model steps at
   * batch 1 (NULL: the steps read params_mem) */
  if (m->step_pack == NULL && step_pack_wanted (m, B))
    m->step_pack = alloc_aligned (step_pack_size (m));
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
  /* Dropout masks for this sequence: layers 1…L−1's inputs, then one
   * recurrent mask per layer and direction. */
  if (m->training && m->rng && (c->variant.dropout > 0.0f || c->variant.recurrent_dropout > 0.0f)) {
    m->masks_on = true;
    for (int k = 1; k < c->L && c->variant.dropout > 0.0f; k++)
      draw_mask (m->layer[k].xmask, TB * (size_t) gs_config_layer_input (c, k), c->variant.dropout, m->rng);
    for (int k = 0; k < c->L && c->variant.recurrent_dropout > 0.0f; k++)
      for (int d = 0; d < m->D; d++)
        draw_mask ((d ? &m->rev[k] : &m->layer[k])->rmask, (size_t) B * m->P,
                   c->variant.recurrent_dropout, m->rng);
  }
  place_states (m);
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
  const size_t BP = (size_t) m->B * (size_t) m->P, BH = (size_t) m->B * (size_t) m->cfg.H;

  if (m->T == 0)
    return;   /* no sequence yet: nothing to set */
  for (int k = 0; k < m->cfg.L; k++)
    for (int d = 0; d < m->D; d++) {
      GsLayerState *S = d ? &m->rev[k] : &m->layer[k];
      size_t kd = (size_t) (k * m->D + d);
      if (h0)
        memcpy (S->h0, h0 + kd * BP, sizeof (float) * BP);
      else
        memset (S->h0, 0, sizeof (float) * BP);
      if (S->c0 && c0)
        memcpy (S->c0, c0 + kd * BH, sizeof (float) * BH);
      else if (S->c0)
        memset (S->c0, 0, sizeof (float) * BH);
    }
  gs_model_rewind (m);
}

void
gs_model_rewind (GsModel *m)
{
  m->t_fwd = 0;
  gs_model_params_changed (m);   /* the next pass packs anew (step_pack) */
  gs_model_rewind_backward (m);
}

void
gs_model_rewind_backward (GsModel *m)
{
  const size_t BP = (size_t) m->B * (size_t) m->P, BH = (size_t) m->B * (size_t) m->cfg.H;

  m->t_bwd = m->T;
  for (int k = 0; k < m->cfg.L && m->T_cap > 0; k++)
    for (int d = 0; d < m->D; d++) {
      GsLayerState *S = d ? &m->rev[k] : &m->layer[k];
      memset (S->dh_next, 0, sizeof (float) * BP);
      if (S->dc_next)
        memset (S->dc_next, 0, sizeof (float) * BH);
      if (S->dg_next)
        memset (S->dg_next, 0, sizeof (float) * 3 * BH);
    }
}

/* ───────────────────────── the pieces of one timestep ───────────────────────── */

GsLayerState *
gs_model_state (GsModel *m, int k, int d)
{
  return d ? &m->rev[k] : &m->layer[k];
}

const float *
gs_model_layer_input (const GsModel *m, int k)
{
  return m->layer[k].x ? m->layer[k].x : m->layer[k - 1].h;
}

const float *
gs_model_head_input (const GsModel *m)
{
  return m->D == 2 ? m->out : m->layer[m->cfg.L - 1].h;
}

/* x_t of layer k > 0 (B, D*P) = [h_t of layer k−1 forward, h_t reverse] ⊙ dropout mask */
void
gs_model_fill_input (GsModel *m, int k, int t)
{
  GsLayerState *S = &m->layer[k];
  const int B = m->B, P = m->P, D = m->D, I = D * P;
  float *x;

  if (S->x == NULL)
    return;
  x = S->x + (size_t) t * B * I;   /* only now: NULL + offset is undefined */
  for (int b = 0; b < B; b++)
    for (int d = 0; d < D; d++)
      memcpy (x + (size_t) b * I + d * P, gs_model_state (m, k - 1, d)->h + ((size_t) t * B + b) * P,
              sizeof (float) * P);
  if (m->masks_on && S->xmask) {
    const float *mask = S->xmask + (size_t) t * B * I;
    for (size_t i = 0; i < (size_t) B * I; i++)
      x[i] *= mask[i];
  }
}

/* out_t (B, 2P) = [h_t of the top layer forward, h_t reverse] */
void
gs_model_fill_out (GsModel *m, int t)
{
  const int B = m->B, P = m->P, L = m->cfg.L;

  for (int b = 0; b < B; b++)
    for (int d = 0; d < 2; d++)
      memcpy (m->out + ((size_t) t * B + b) * 2 * P + d * P,
              gs_model_state (m, L - 1, d)->h + ((size_t) t * B + b) * P, sizeof (float) * P);
}

/* In blocks of 16 rows of W (16 × V floats, in L1 while every v passes):
 * element by element, the strided order wrote a new cache line at every
 * store and took 3 ns a float. */
#define TRANSPOSE_ROWS 16

void
gs_onehot_transpose (float *Wt, const float *W, int GH, int V)
{
  for (int j0 = 0; j0 < GH; j0 += TRANSPOSE_ROWS) {
    const int jn = GH - j0 < TRANSPOSE_ROWS ? GH - j0 : TRANSPOSE_ROWS;
    for (int v = 0; v < V; v++)
      for (int j = j0; j < j0 + jn; j++)
        Wt[(size_t) v * GH + j] = W[(size_t) j * V + v];
  }
}

void
gs_onehot_add_transpose (float *W, const float *Wt, int GH, int V)
{
  for (int j0 = 0; j0 < GH; j0 += TRANSPOSE_ROWS) {
    const int jn = GH - j0 < TRANSPOSE_ROWS ? GH - j0 : TRANSPOSE_ROWS;
    for (int v = 0; v < V; v++)
      for (int j = j0; j < j0 + jn; j++)
        W[(size_t) j * V + v] += Wt[(size_t) v * GH + j];
  }
}

/* y (B, N) = x·Wᵀ + bias; Wv: W packed for batch 1 (step_pack), or NULL. */
static void
step_linear (float *y, const float *x, const float *W, const float *Wv, const float *bias,
             int B, int N, int K, int t)
{
  if (Wv && B == 1)
    gs_gemv_packed (y, x, Wv, bias, N, K, t & 1);
  else
    gs_linear_forward (y, x, W, bias, B, N, K);
}

/* pre_t (B, G*H) = x_t·W_ihᵀ + b_ih for layer 0 (direction d), whatever the input kind. */
void
gs_model_input_forward (GsModel *m, int d, float *pre, int t)
{
  const GsConfig *c = &m->cfg;
  const GsLayerParams *p = d ? &m->p.rev[0] : &m->p.layer[0];
  const int B = m->B, GH = m->G * c->H;
  const int *tok = m->tokens + (size_t) t * B;

  switch (c->input) {
  case GS_INPUT_EMBED: {
    /* x_t = emb[token] */
    float *x = m->layer[0].x + (size_t) t * B * c->E;
    for (int b = 0; b < B; b++)
      memcpy (x + (size_t) b * c->E, m->p.emb + (size_t) tok[b] * c->E, sizeof (float) * c->E);
    step_linear (pre, x, p->W_ih, d ? NULL : m->layer[0].wih_v, p->b_ih, B, GH, c->E, t);
    break;
  }
  case GS_INPUT_ONEHOT:
    /* W_ih·onehot(token) is column `token` of W_ih: a row of W_ihᵀ when stepping packed */
    if (d == 0 && B == 1 && m->layer[0].wih_v) {
      const float *w = m->layer[0].wih_v + (size_t) tok[0] * GH;
      for (int j = 0; j < GH; j++)
        pre[j] = w[j] + p->b_ih[j];
      break;
    }
    for (int b = 0; b < B; b++)
      for (int j = 0; j < GH; j++)
        pre[(size_t) b * GH + j] = p->W_ih[(size_t) j * c->V + tok[b]] + p->b_ih[j];
    break;
  case GS_INPUT_DENSE:
    step_linear (pre, m->xs + (size_t) t * B * c->V, p->W_ih, d ? NULL : m->layer[0].wih_v, p->b_ih,
                 B, GH, c->V, t);
    break;
  default:
    break;
  }
}

/* The cache pointers of layer k, direction d at timestep t. */
static void
step_view (GsCellStep *s, const GsModel *m, const GsLayerState *S, int t)
{
  const size_t B = (size_t) m->B, BH = B * m->cfg.H, BP = B * m->P, BG = B * m->G * m->cfg.H;

  s->pre = S->pre + t * BG;
  s->act = S->act + t * BG;
  s->hn = S->hn ? S->hn + t * BH : NULL;
  s->rh = S->rh ? S->rh + t * BH : NULL;
  s->c = S->c ? S->c + t * BH : NULL;
  s->m = S->m ? S->m + t * BH : NULL;
  s->h = S->h + t * BP;
  s->h_prev = S->hprev + t * BP;
  s->h_rec = S->hrec + t * BP;
  s->c_prev = S->cprev ? S->cprev + t * BH : NULL;
  /* full gate recurrence: the gates of the previous step (t − 1, or t + 1 in reverse); none at the first */
  if (S->reverse)
    s->act_prev = t + 1 < m->T ? S->act + (t + 1) * BG : NULL;
  else
    s->act_prev = t > 0 ? S->act + (t - 1) * BG : NULL;
  s->W_hh_t = S->whh_t;
  s->W_hh_b = S->whh_b;
  s->W_hh_v = S->whh_v;
  s->reverse = t & 1;   /* alternate: gs_gemv_packed */
  s->clamp = NULL;
}

/* ───────────────────────── interventions (gs-intervene.h) ───────────────────────── */

static bool
iv_applies (const GsIntervention *iv, int k, int t)
{
  return iv->layer == k && (iv->t < 0 || iv->t == t);
}

/* The clamped gates and set cell states of layer k at t, in m->iv_on and
 * m->iv_val; false when none applies there (the cell's plain loops run). */
static bool
iv_clamp_at (const GsModel *m, int k, int t, GsCellClamp *cl)
{
  const int H = m->cfg.H, GH = m->G * H;
  const char *letters = gs_cell_gate_letters (m->cfg.cell);
  bool any = false;

  for (int i = 0; i < m->iv->n; i++) {
    const GsIntervention *iv = &m->iv->item[i];
    int base;
    if ((iv->kind != GS_IV_CLAMP && iv->kind != GS_IV_SET_C) || !iv_applies (iv, k, t))
      continue;
    if (!any)
      memset (m->iv_on, 0, (size_t) GH + H);
    any = true;
    base = iv->kind == GS_IV_SET_C ? GH : (int) (strchr (letters, iv->gate_letter) - letters) * H;
    for (int u = iv->u0; u < gs_intervention_end (iv, H); u++) {
      m->iv_on[base + u] = 1;
      m->iv_val[base + u] = iv->value;
    }
  }
  cl->gate_on = m->iv_on;
  cl->gate_val = m->iv_val;
  cl->c_on = m->iv_on + GH;
  cl->c_val = m->iv_val + GH;
  return any;
}

/* h (B, P) of layer k at t: the set units get their value (forward), or
 * with grad their dL/dh_t becomes 0 (backward: a constant has none). */
static void
iv_set_h (const GsModel *m, int k, int t, float *h, bool grad)
{
  const int P = m->P;

  for (int i = 0; i < m->iv->n; i++) {
    const GsIntervention *iv = &m->iv->item[i];
    if (iv->kind != GS_IV_SET_H || !iv_applies (iv, k, t))
      continue;
    for (int b = 0; b < m->B; b++)
      for (int u = iv->u0; u < gs_intervention_end (iv, P); u++)
        h[(size_t) b * P + u] = grad ? 0.0f : iv->value;
  }
}

/* Layer k, direction d at t, once pre_t holds the input projection. */
void
gs_model_cell_forward_at (GsModel *m, int k, int d, int t)
{
  GsLayerState *S = gs_model_state (m, k, d);
  const GsLayerParams *p = d ? &m->p.rev[k] : &m->p.layer[k];
  GsCellSpec spec;
  GsCellStep s;
  GsCellClamp cl;

  gs_cell_spec (&spec, &m->cfg, m->B);
  step_view (&s, m, S, t);
  if (m->iv && iv_clamp_at (m, k, t, &cl))
    s.clamp = &cl;
  if (S->hrec != S->hprev) {
    /* recurrent dropout: hin_t = rmask ⊙ h_{t-1} (the same mask at every t) */
    float *hin = (float *) s.h_rec;
    for (size_t i = 0; i < (size_t) m->B * m->P; i++)
      hin[i] = S->rmask[i] * s.h_prev[i];
  }
  gs_cell_forward (&s, m->scratch, p, &spec);
  if (m->iv)
    iv_set_h (m, k, t, s.h, false);
}

/* Whether the gradient carried out of step t into the previous state is
 * cut (truncated BPTT): at chunk boundaries t = K, 2K, … (forward direction),
 * never into the initial state. */
static bool
bptt_cut (const GsModel *m, const GsLayerState *S, int t)
{
  const int K = m->cfg.variant.bptt;

  if (K <= 0)
    return false;
  return S->reverse ? (t + 1) % K == 0 && t + 1 < m->T : t % K == 0 && t > 0;
}

/* Backward of layer k, direction d at t. above (rows of `stride` floats, b
 * = 0 … B−1, the direction's P columns at the start) is dL/dh_t from the
 * layer above or the head; NULL = none. */
void
gs_model_cell_backward_at (GsModel *m, int k, int d, int t, const float *above, int stride,
                           bool step_weights)
{
  GsLayerState *S = gs_model_state (m, k, d);
  const GsLayerParams *p = d ? &m->p.rev[k] : &m->p.layer[k];
  GsLayerParams *dp = d ? &m->g.rev[k] : &m->g.layer[k];
  const int B = m->B, P = m->P, H = m->cfg.H, GH = m->G * H;
  const size_t BP = (size_t) B * P, BH = (size_t) B * H, BG = (size_t) B * GH;
  const bool masked = S->hrec != S->hprev;
  GsCellSpec spec;
  GsCellStep s;
  GsCellGrad g;
  GsCellClamp cl;
  float *dh = S->dh + t * BP;

  gs_cell_spec (&spec, &m->cfg, B);
  step_view (&s, m, S, t);
  if (m->iv && iv_clamp_at (m, k, t, &cl))
    s.clamp = &cl;
  /* dL/dh_t = from the layer above (or the head) + from the next step */
  for (int b = 0; b < B; b++)
    for (int u = 0; u < P; u++)
      dh[(size_t) b * P + u] = (above ? above[(size_t) b * stride + u] : 0.0f) + S->dh_next[(size_t) b * P + u];
  if (m->iv)
    iv_set_h (m, k, t, dh, true);
  g.dh = dh;
  g.dc = S->dc ? S->dc + t * BH : NULL;
  if (g.dc)
    memcpy (g.dc, S->dc_next, sizeof (float) * BH);
  g.dc_prev = S->dc_next;
  g.dg = S->dg_in;
  g.dg_prev = S->dg_next;
  if (S->dg_next)
    memcpy (S->dg_in, S->dg_next, sizeof (float) * 3 * BH);
  g.dpre = S->dpre + t * BG;
  g.drec = S->dgh ? S->dgh + t * BG : g.dpre;
  g.dm = S->dm ? S->dm + t * BH : NULL;
  g.dh_prev = S->dh_next;
  g.dh_rec = masked ? S->dhrec : S->dh_next;
  gs_cell_backward (&g, dp, step_weights, m->scratch2, &s, p, &spec);
  if (masked)
    /* h_rec = rmask ⊙ h_{t-1}: dh_{t-1} += rmask ⊙ dh_rec */
    for (size_t i = 0; i < BP; i++)
      S->dh_next[i] += S->rmask[i] * S->dhrec[i];
  if (bptt_cut (m, S, t)) {
    memset (S->dh_next, 0, sizeof (float) * BP);
    if (S->dc_next)
      memset (S->dc_next, 0, sizeof (float) * BH);
    if (S->dg_next)
      memset (S->dg_next, 0, sizeof (float) * 3 * BH);
  }
}

/* zmax (R) = max_o z (R, O), with the maximum's own rule (a NaN after the
 * first element is passed over) in eight lanes: a maximum is the same in
 * any order. */
GS_SIMD_BODY void
row_max (float *restrict zmax, const float *restrict z, int R, int O)
{
  for (int r = 0; r < R; r++) {
    const float *zr = z + (size_t) r * O;
    float m[8];
    int o = 0;
    for (int j = 0; j < 8; j++)
      m[j] = zr[0];
    for (; o + 8 <= O; o += 8)
      for (int j = 0; j < 8; j++)
        m[j] = zr[o + j] > m[j] ? zr[o + j] : m[j];
    for (; o < O; o++)
      m[0] = zr[o] > m[0] ? zr[o] : m[0];
    for (int j = 1; j < 8; j++)
      m[0] = m[j] > m[0] ? m[j] : m[0];
    zmax[r] = m[0];
  }
}

/* p (R, O) = softmax(z) row by row; zmax and zsum (R) receive each row's
 * maximum and Σ_o e^{z − zmax}. Each row's sum runs over o in order (the
 * rounding the figures in the README were measured with); the rows run
 * side by side, eight independent sums, so that the additions overlap. */
GS_SIMD_BODY void
softmax_rows_body (float *restrict p, float *restrict zmax, float *restrict zsum,
                   const float *restrict z, int R, int O)
{
  row_max (zmax, z, R, O);
  for (int r = 0; r < R; r++) {
    const float *zr = z + (size_t) r * O;
    float *pr = p + (size_t) r * O;
    const float mr = zmax[r];
    for (int o = 0; o < O; o++)        /* vectorises (gs-math.h) */
      pr[o] = gs_expf (zr[o] - mr);
  }
  int r = 0;
  for (; r + 8 <= R; r += 8) {
    float s[8] = { 0.0f };
    for (int o = 0; o < O; o++)
      for (int j = 0; j < 8; j++)
        s[j] += p[(size_t) (r + j) * O + o];
    for (int j = 0; j < 8; j++)
      zsum[r + j] = s[j];
  }
  for (; r < R; r++) {
    const float *pr = p + (size_t) r * O;
    float acc = 0.0f;
    for (int o = 0; o < O; o++)
      acc += pr[o];
    zsum[r] = acc;
  }
  for (r = 0; r < R; r++) {
    float *pr = p + (size_t) r * O;
    const float sr = zsum[r];
    for (int o = 0; o < O; o++)
      pr[o] /= sr;
  }
}

GS_SIMD_VARIANTS (softmax_rows, (float *restrict p, float *restrict zmax, float *restrict zsum,
                                 const float *restrict z, int R, int O),
                  (p, zmax, zsum, z, R, O))

/* loss_t = Σ_b −log softmax(logits_t,b)[target]   (CE)
 *        = Σ_b Σ_o (logits − y)²                   (MSE) */
void
gs_model_loss_forward (GsModel *m, int t)
{
  const int B = m->B, O = m->cfg.O;
  const size_t tb0 = (size_t) t * B;
  double sum = 0.0;

  if (m->cfg.loss == GS_LOSS_CE) {
    const float *z = m->logits + tb0 * O;
    float *zmax = m->rowstat, *zsum = m->rowstat + B;
    GS_SIMD_PICK (softmax_rows, O) (m->probs + tb0 * O, zmax, zsum, z, B, O);
    for (int b = 0; b < B; b++) {
      int target = m->targets[tb0 + b];
      if (target >= 0)
        sum += (double) -((z[(size_t) b * O + target] - zmax[b]) - logf (zsum[b]));
    }
    m->loss_t[t] = sum;
    return;
  }
  for (int b = 0; b < B; b++) {
    size_t tb = tb0 + b;
    const float *z = m->logits + tb * O;
    float *p = m->probs + tb * O;
    if (m->ymask[tb]) {
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

/* Layer k, direction d at t: the input projection, then the cell. */
static void
layer_forward_at (GsModel *m, int k, int d, int t)
{
  GsLayerState *S = gs_model_state (m, k, d);
  const GsLayerParams *p = d ? &m->p.rev[k] : &m->p.layer[k];
  const int B = m->B, GH = m->G * m->cfg.H, I = gs_config_layer_input (&m->cfg, k);
  float *pre = S->pre + (size_t) t * B * GH;

  if (k == 0)
    gs_model_input_forward (m, d, pre, t);
  else
    step_linear (pre, gs_model_layer_input (m, k) + (size_t) t * B * I, p->W_ih, d ? NULL : S->wih_v,
                 p->b_ih, B, GH, I, t);
  gs_model_cell_forward_at (m, k, d, t);
}

bool
gs_model_forward_step (GsModel *m)
{
  const GsConfig *c = &m->cfg;
  const int t = m->t_fwd, B = m->B, F = m->D * m->P;
  /* Bidirectional: everything but the top forward direction, whole-sequence, at the first step. */
  const int k0 = m->D == 2 ? c->L - 1 : 0;

  if (t >= m->T)
    return false;
  if (t == 0)
    step_pack (m);
  if (m->D == 2 && t == 0)
    gs_seq_forward_lower (m);
  for (int k = k0; k < c->L; k++) {
    if (k > 0 && m->D == 1)
      gs_model_fill_input (m, k, t);
    layer_forward_at (m, k, 0, t);
  }
  if (m->D == 2)
    gs_model_fill_out (m, t);
  /* logits_t = out_t·W_fcᵀ + b_fc */
  step_linear (m->logits + (size_t) t * B * c->O, gs_model_head_input (m) + (size_t) t * B * F,
               m->p.W_fc, m->fc_v, m->p.b_fc, B, c->O, F, t);
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
      /* (p − onehot(target))/n, the target's element apart so that the rest vectorises */
      const int target = m->targets[tb];
      const float *p = m->probs + tb * O;
      if (target < 0) {
        memset (d, 0, sizeof (float) * O);
        continue;
      }
      for (int o = 0; o < O; o++)
        d[o] = p[o] * inv_n;
      d[target] = (p[target] - 1.0f) * inv_n;
    } else {
      for (int o = 0; o < O; o++)
        d[o] = m->ymask[tb] ? 2.0f * (m->logits[tb * O + o] - m->ys[tb * O + o]) * inv_n : 0.0f;
    }
  }
}

/* Layer 0's input side of direction d: dW_ih, db_ih and (embedding) demb from dpre_t. */
void
gs_model_input_backward (GsModel *m, int d, const float *dpre, int t)
{
  const GsConfig *c = &m->cfg;
  GsLayerParams *dp = d ? &m->g.rev[0] : &m->g.layer[0];
  const GsLayerParams *p = d ? &m->p.rev[0] : &m->p.layer[0];
  const int B = m->B, GH = m->G * c->H;
  const int *tok = m->tokens + (size_t) t * B;

  switch (c->input) {
  case GS_INPUT_EMBED: {
    /* dW_ih += dpreᵀ·x_t;  demb[token] += dpre·W_ih */
    float *dx = gs_model_state (m, 0, d)->dx;
    gs_linear_backward_w (dp->W_ih, dp->b_ih, dpre, m->layer[0].x + (size_t) t * B * c->E, B, GH, c->E);
    memset (dx, 0, sizeof (float) * (size_t) B * c->E);
    gs_linear_backward_x (dx, dpre, p->W_ih, B, GH, c->E);
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
  const int t = m->t_bwd - 1, B = m->B, P = m->P, H = c->H, GH = m->G * H, F = m->D * P;
  const bool step_w = true;
  size_t tBG;
  float *dlogits, *dtop;
  const float *from_above;
  int stride = F;

  if (m->t_fwd < m->T || t < 0)
    return false;
  /* Only now: at t = −1 these offsets would point before the buffers
   * (undefined, even unread; clang's UBSan reports it). */
  tBG = (size_t) t * B * GH;
  dlogits = m->dlogits + (size_t) t * B * c->O;
  dtop = m->D == 2 ? m->dout + (size_t) t * B * F : m->dh_top;
  from_above = dtop;

  /* Head: dW_fc += dlogitsᵀ·out_t;  dout_t = dlogits·W_fc */
  gs_model_loss_backward (m, dlogits, t);
  gs_linear_backward_w (m->g.W_fc, m->g.b_fc, dlogits, gs_model_head_input (m) + (size_t) t * B * F, B, c->O, F);
  memset (dtop, 0, sizeof (float) * (size_t) B * F);
  gs_linear_backward_x (dtop, dlogits, m->p.W_fc, B, c->O, F);

  if (m->D == 2) {
    /* The top forward direction at t; its input gradient waits in dseq[0]
     * for the reverse direction's (added at the last step). */
    const int k = c->L - 1, I = gs_config_layer_input (c, k);
    float *dpre = m->layer[k].dpre + tBG;
    gs_model_cell_backward_at (m, k, 0, t, dtop, F, step_w);
    if (k == 0) {
      gs_model_input_backward (m, 0, dpre, t);
    } else {
      float *dx = m->dseq[0] + (size_t) t * B * I;
      gs_linear_backward_w (m->g.layer[k].W_ih, m->g.layer[k].b_ih, dpre,
                            gs_model_layer_input (m, k) + (size_t) t * B * I, B, GH, I);
      memset (dx, 0, sizeof (float) * (size_t) B * I);
      gs_linear_backward_x (dx, dpre, m->p.layer[k].W_ih, B, GH, I);
    }
    if (t == 0)
      gs_seq_backward_rest (m);
    m->t_bwd--;
    return true;
  }

  for (int k = c->L - 1; k >= 0; k--) {
    GsLayerState *S = &m->layer[k];
    float *dpre = S->dpre + tBG;

    gs_model_cell_backward_at (m, k, 0, t, from_above, stride, step_w);
    if (k == 0) {
      gs_model_input_backward (m, 0, dpre, t);
    } else {
      /* dW_ih += dpreᵀ·x_t;  dx_t = dpre·W_ih;  dh_t(below) = dx_t ⊙ dropout mask */
      gs_linear_backward_w (m->g.layer[k].W_ih, m->g.layer[k].b_ih, dpre,
                            gs_model_layer_input (m, k) + (size_t) t * B * P, B, GH, P);
      memset (S->dx, 0, sizeof (float) * (size_t) B * P);
      gs_linear_backward_x (S->dx, dpre, m->p.layer[k].W_ih, B, GH, P);
      if (m->masks_on && S->xmask) {
        const float *mask = S->xmask + (size_t) t * B * P;
        for (size_t i = 0; i < (size_t) B * P; i++)
          S->dx[i] *= mask[i];
      }
      from_above = S->dx;
      stride = P;
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
gs_model_feed_prediction (GsModel *m, int t)
{
  if (t < 1 || t >= m->T || m->t_fwd != t || m->cfg.O > m->cfg.V)
    return;   /* nothing to feed from, or a token the embedding would not hold */
  /* x_t = argmax_o z_{t−1, o} */
  for (int b = 0; b < m->B; b++)
    m->tokens[(size_t) t * m->B + b] = gs_model_predict (m, t - 1, b);
}

bool
gs_model_feeds_target (const GsModel *m, int t, int b)
{
  return t == 0 || m->tokens[(size_t) t * m->B + b] == m->targets[(size_t) (t - 1) * m->B + b];
}

void
gs_model_zero_grad (GsModel *m)
{
  memset (m->grads_mem, 0, sizeof (float) * m->n_params);
}

float
gs_model_clip_grad_norm (GsModel *m, float max_norm)
{
  const float *g = m->grads_mem;
  const size_t n = m->n_params;
  /* Σ g² in double, eight sums side by side (one running sum waits on its
   * own additions: 4 cycles a parameter, ms at 4 M parameters) */
  double s[8] = { 0.0 }, sq;
  size_t i = 0;
  float norm, coef;

  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; j++)
      s[j] += (double) g[i + j] * (double) g[i + j];
  for (; i < n; i++)
    s[0] += (double) g[i] * (double) g[i];
  sq = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  norm = (float) sqrt (sq);
  /* clip_coef = max_norm / (total_norm + 1e-6), applied when below 1 */
  coef = max_norm / (norm + 1e-6f);
  if (max_norm > 0.0f && coef < 1.0f)
    for (i = 0; i < n; i++)
      m->grads_mem[i] *= coef;
  return norm;
}

bool
gs_floats_finite (const float *x, size_t n)
{
  /* NaN and ±inf have every exponent bit set. Blocks without an early exit
   * inside, so that each becomes vector code. */
  for (size_t i0 = 0; i0 < n; i0 += 4096) {
    const size_t i1 = n - i0 < 4096 ? n : i0 + 4096;
    uint32_t bad = 0;

    for (size_t i = i0; i < i1; i++) {
      uint32_t bits;
      memcpy (&bits, x + i, sizeof bits);
      bad |= (bits & 0x7f800000u) == 0x7f800000u;
    }
    if (bad)
      return false;
  }
  return true;
}

bool
gs_model_is_finite (const GsModel *m)
{
  return gs_floats_finite (m->params_mem, m->n_params) && gs_floats_finite (m->grads_mem, m->n_params);
}

void
gs_model_final_state (const GsModel *m, float *h_n, float *c_n)
{
  const size_t BP = (size_t) m->B * (size_t) m->P, BH = (size_t) m->B * (size_t) m->cfg.H;
  const int L = m->cfg.L;

  for (int k = 0; k < L && m->T > 0; k++)
    for (int d = 0; d < m->D; d++) {
      const GsLayerState *S = d ? &m->rev[k] : &m->layer[k];
      const size_t kd = (size_t) (k * m->D + d);
      /* the last state computed: t_fwd − 1 going forward; t = 0 for the
       * reverse direction, and T − 1 below the top of a bidirectional
       * model, once the first step has run */
      int t = m->t_fwd - 1;
      if (m->t_fwd > 0 && m->D == 2)
        t = d == 1 ? 0 : k < L - 1 ? m->T - 1 : t;
      if (h_n)
        memcpy (h_n + kd * BP, t >= 0 ? S->h + (size_t) t * BP : S->h0, sizeof (float) * BP);
      if (c_n && S->c)
        memcpy (c_n + kd * BH, t >= 0 ? S->c + (size_t) t * BH : S->c0, sizeof (float) * BH);
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
