/* gs-cell.c — the four cells of PyTorch's nn.RNN / nn.LSTM / nn.GRU.
 *
 * Each cell's forward sits directly above its backward. Gate rows are in
 * PyTorch's order (LSTM i, f, g, o; GRU r, z, n) and both bias vectors are
 * kept, as PyTorch does (b_ih and b_hh: the sum is what matters for the
 * forward pass, the pair is what the model file holds).
 */
#include "gs-cell.h"

#include <math.h>
#include <string.h>

#include "gs-blas.h"

static inline float
sigmoidf (float x)
{
  return 1.0f / (1.0f + expf (-x));
}

/* ───────────────────────── vanilla RNN ───────────────────────── */

/* h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)   (or relu) */
static void
rnn_forward (float *pre, float *act, float *h, const float *gh, bool relu, int B, int H)
{
  for (int i = 0; i < B * H; i++) {
    pre[i] += gh[i];
    act[i] = relu ? (pre[i] > 0.0f ? pre[i] : 0.0f) : tanhf (pre[i]);
    h[i] = act[i];
  }
}

/* dpre = dh ⊙ tanh'(pre) = dh ⊙ (1 − h²)      (relu: dh ⊙ [pre > 0]) */
static void
rnn_backward (float *dpre, const float *dh, const float *act, bool relu, int B, int H)
{
  for (int i = 0; i < B * H; i++)
    dpre[i] = relu ? (act[i] > 0.0f ? dh[i] : 0.0f) : dh[i] * (1.0f - act[i] * act[i]);
}

/* ───────────────────────── LSTM ───────────────────────── */

/* i = σ(W_ii x + b_ii + W_hi h + b_hi)
 * f = σ(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)
 * o = σ(W_io x + b_io + W_ho h + b_ho)
 * c_t = f ⊙ c_{t-1} + i ⊙ g
 * h_t = o ⊙ tanh(c_t) */
static void
lstm_forward (float *pre, float *act, float *c, float *h, const float *gh,
              const float *c_prev, int B, int H)
{
  const int G = 4;

  for (int b = 0; b < B; b++) {
    float *pb = pre + (size_t) b * G * H;
    float *ab = act + (size_t) b * G * H;
    const float *ghb = gh + (size_t) b * G * H;
    for (int j = 0; j < G * H; j++)
      pb[j] += ghb[j];
    for (int u = 0; u < H; u++) {
      float ig = sigmoidf (pb[u]);
      float fg = sigmoidf (pb[H + u]);
      float gg = tanhf (pb[2 * H + u]);
      float og = sigmoidf (pb[3 * H + u]);
      float ct = fg * c_prev[(size_t) b * H + u] + ig * gg;
      ab[u] = ig;
      ab[H + u] = fg;
      ab[2 * H + u] = gg;
      ab[3 * H + u] = og;
      c[(size_t) b * H + u] = ct;
      h[(size_t) b * H + u] = og * tanhf (ct);
    }
  }
}

/* dc_t  = dc_{t+1→t} + dh ⊙ o ⊙ (1 − tanh²(c_t))
 * do = dh ⊙ tanh(c_t)        dpre_o = do ⊙ o(1 − o)
 * di = dc_t ⊙ g              dpre_i = di ⊙ i(1 − i)
 * df = dc_t ⊙ c_{t-1}        dpre_f = df ⊙ f(1 − f)
 * dg = dc_t ⊙ i              dpre_g = dg ⊙ (1 − g²)
 * dc_{t-1} = dc_t ⊙ f */
static void
lstm_backward (float *dpre, float *dc, float *dc_prev, const float *dh, const float *act,
               const float *c, const float *c_prev, int B, int H)
{
  const int G = 4;

  for (int b = 0; b < B; b++) {
    const float *ab = act + (size_t) b * G * H;
    float *db = dpre + (size_t) b * G * H;
    for (int u = 0; u < H; u++) {
      size_t bu = (size_t) b * H + u;
      float ig = ab[u], fg = ab[H + u], gg = ab[2 * H + u], og = ab[3 * H + u];
      float tc = tanhf (c[bu]);
      float dct = dc[bu] + dh[bu] * og * (1.0f - tc * tc);
      float dog = dh[bu] * tc;
      db[u] = dct * gg * ig * (1.0f - ig);
      db[H + u] = dct * c_prev[bu] * fg * (1.0f - fg);
      db[2 * H + u] = dct * ig * (1.0f - gg * gg);
      db[3 * H + u] = dog * og * (1.0f - og);
      dc[bu] = dct;
      dc_prev[bu] = dct * fg;
    }
  }
}

/* ───────────────────────── GRU ───────────────────────── */

/* r = σ(W_ir x + b_ir + W_hr h + b_hr)
 * z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 * h_t = (1 − z) ⊙ n + z ⊙ h_{t-1} */
static void
gru_forward (float *pre, float *act, float *hn, float *h, const float *gh,
             const float *h_prev, int B, int H)
{
  const int G = 3;

  for (int b = 0; b < B; b++) {
    float *pb = pre + (size_t) b * G * H;
    float *ab = act + (size_t) b * G * H;
    const float *ghb = gh + (size_t) b * G * H;
    for (int u = 0; u < H; u++) {
      size_t bu = (size_t) b * H + u;
      float rg, zg, ng;
      pb[u] += ghb[u];
      pb[H + u] += ghb[H + u];
      rg = sigmoidf (pb[u]);
      zg = sigmoidf (pb[H + u]);
      hn[bu] = ghb[2 * H + u];
      pb[2 * H + u] += rg * hn[bu];
      ng = tanhf (pb[2 * H + u]);
      ab[u] = rg;
      ab[H + u] = zg;
      ab[2 * H + u] = ng;
      h[bu] = (1.0f - zg) * ng + zg * h_prev[bu];
    }
  }
}

/* dn = dh ⊙ (1 − z)           dpre_n = dn ⊙ (1 − n²)   (= d(W_in x + b_in))
 * dz = dh ⊙ (h_{t-1} − n)     dpre_z = dz ⊙ z(1 − z)
 * dr = dpre_n ⊙ hn            dpre_r = dr ⊙ r(1 − r)
 * recurrent side: dgh = [dpre_r, dpre_z, dpre_n ⊙ r], and dh_{t-1} gets dh ⊙ z directly. */
static void
gru_backward (float *dpre, float *dgh, float *dh_prev, const float *dh, const float *act,
              const float *hn, const float *h_prev, int B, int H)
{
  const int G = 3;

  for (int b = 0; b < B; b++) {
    const float *ab = act + (size_t) b * G * H;
    float *db = dpre + (size_t) b * G * H;
    float *dgb = dgh + (size_t) b * G * H;
    for (int u = 0; u < H; u++) {
      size_t bu = (size_t) b * H + u;
      float rg = ab[u], zg = ab[H + u], ng = ab[2 * H + u];
      float dn = dh[bu] * (1.0f - zg) * (1.0f - ng * ng);
      float dz = dh[bu] * (h_prev[bu] - ng) * zg * (1.0f - zg);
      float dr = dn * hn[bu] * rg * (1.0f - rg);
      db[u] = dgb[u] = dr;
      db[H + u] = dgb[H + u] = dz;
      db[2 * H + u] = dn;
      dgb[2 * H + u] = dn * rg;
      dh_prev[bu] = dh[bu] * zg;
    }
  }
}

/* ───────────────────────── dispatch ───────────────────────── */

void
gs_cell_forward (float *pre, float *act, float *hn, float *c, float *h, float *gh,
                 const float *h_prev, const float *c_prev, const GsLayerParams *p,
                 GsCell cell, int B, int H)
{
  const int G = gs_cell_gates (cell);

  /* gh = h_{t-1}·W_hhᵀ + b_hh, all gates at once */
  gs_linear_forward (gh, h_prev, p->W_hh, p->b_hh, B, G * H, H);
  switch (cell) {
  case GS_CELL_RNN_TANH:
  case GS_CELL_RNN_RELU:
    rnn_forward (pre, act, h, gh, cell == GS_CELL_RNN_RELU, B, H);
    break;
  case GS_CELL_LSTM:
    lstm_forward (pre, act, c, h, gh, c_prev, B, H);
    break;
  case GS_CELL_GRU:
    gru_forward (pre, act, hn, h, gh, h_prev, B, H);
    break;
  case GS_N_CELLS:
  default:
    break;
  }
}

void
gs_cell_backward_pointwise (float *dpre, float *drec, float *dh_prev, float *dc, float *dc_prev,
                            const float *dh, const float *act, const float *hn,
                            const float *c, const float *c_prev, const float *h_prev,
                            GsCell cell, int B, int H)
{
  switch (cell) {
  case GS_CELL_RNN_TANH:
  case GS_CELL_RNN_RELU:
    rnn_backward (dpre, dh, act, cell == GS_CELL_RNN_RELU, B, H);
    memset (dh_prev, 0, sizeof (float) * (size_t) B * H);
    break;
  case GS_CELL_LSTM:
    lstm_backward (dpre, dc, dc_prev, dh, act, c, c_prev, B, H);
    memset (dh_prev, 0, sizeof (float) * (size_t) B * H);
    break;
  case GS_CELL_GRU:
    gru_backward (dpre, drec, dh_prev, dh, act, hn, h_prev, B, H);
    break;
  case GS_N_CELLS:
  default:
    break;
  }
  if (cell != GS_CELL_GRU && drec != dpre)
    memcpy (drec, dpre, sizeof (float) * (size_t) B * gs_cell_gates (cell) * H);
}

void
gs_cell_backward (float *dpre, float *dh_prev, float *dc, float *dc_prev,
                  GsLayerParams *dp, float *dgh,
                  const float *dh, const float *act, const float *hn,
                  const float *c, const float *c_prev, const float *h_prev,
                  const GsLayerParams *p, GsCell cell, int B, int H)
{
  const int G = gs_cell_gates (cell);
  float *drec = cell == GS_CELL_GRU ? dgh : dpre;   /* gradient of the recurrent projection */

  gs_cell_backward_pointwise (dpre, drec, dh_prev, dc, dc_prev, dh, act, hn, c, c_prev, h_prev, cell, B, H);
  /* dW_hh += drecᵀ·h_{t-1};  db_hh += Σ_b drec;  dh_{t-1} += drec·W_hh */
  gs_linear_backward_w (dp->W_hh, dp->b_hh, drec, h_prev, B, G * H, H);
  gs_linear_backward_x (dh_prev, drec, p->W_hh, B, G * H, H);
}
