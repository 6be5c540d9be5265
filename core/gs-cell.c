/* gs-cell.c — the four cells of PyTorch's nn.RNN / nn.LSTM / nn.GRU and
 * the variants of gs-model.h.
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
#include "gs-gemm.h"
#include "gs-math.h"
#include "gs-simd.h"

bool gs_simd_force_narrow = false;

/* σ and tanh from gs-math.h: branch-free, so the unit loops vectorise. */
#define sigmoidf gs_sigmoidf
#define tanhf gs_tanhf

void
gs_cell_spec (GsCellSpec *spec, const GsConfig *cfg, int B)
{
  const GsVariant *v = &cfg->variant;

  memset (spec, 0, sizeof *spec);
  spec->cell = cfg->cell;
  spec->B = B;
  spec->H = cfg->H;
  spec->P = gs_config_hidden_out (cfg);
  spec->peephole = cfg->cell == GS_CELL_LSTM && v->peephole;
  spec->cifg = cfg->cell == GS_CELL_LSTM && v->cifg;
  spec->no_forget_gate = cfg->cell == GS_CELL_LSTM && v->no_forget_gate;
  spec->cell_clip = cfg->cell == GS_CELL_LSTM ? v->cell_clip : 0.0f;
  spec->gru_reset_before = cfg->cell == GS_CELL_GRU && v->gru_reset_before;
  spec->no_input_gate = cfg->cell == GS_CELL_LSTM && v->no_input_gate;
  spec->no_output_gate = cfg->cell == GS_CELL_LSTM && v->no_output_gate;
  spec->no_input_act = cfg->cell == GS_CELL_LSTM && v->no_input_act;
  spec->no_output_act = cfg->cell == GS_CELL_LSTM && v->no_output_act;
  spec->fgr = cfg->cell == GS_CELL_LSTM && v->full_gate_recurrence;
  spec->lstm_plain = !spec->peephole && !spec->cifg && !spec->no_forget_gate && spec->cell_clip == 0.0f
                     && !spec->no_input_gate && !spec->no_output_gate && !spec->no_input_act
                     && !spec->no_output_act && !spec->fgr;
}

/* ───────────────────────── vanilla RNN ───────────────────────── */

/* h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)   (or relu)
 * Unaliased and branch-free per kind, so that it becomes SIMD code. */
GS_SIMD_BODY void
rnn_forward_body (float *restrict pre, float *restrict act, float *restrict h, const float *restrict gh,
                  bool relu, int B, int H)
{
  const int n = B * H;

  if (relu) {
    for (int i = 0; i < n; i++) {
      float a = pre[i] + gh[i];
      pre[i] = a;
      act[i] = a > 0.0f ? a : 0.0f;
      h[i] = act[i];
    }
    return;
  }
  for (int i = 0; i < n; i++) {
    float a = pre[i] + gh[i];
    pre[i] = a;
    act[i] = tanhf (a);
    h[i] = act[i];
  }
}

/* AVX-512 or AVX2 where the CPU has them (gs-simd.h). */
GS_SIMD_VARIANTS (rnn_forward, (float *restrict pre, float *restrict act, float *restrict h,
                   const float *restrict gh, bool relu, int B, int H),
                  (pre, act, h, gh, relu, B, H))

/* dpre = dh ⊙ tanh'(pre) = dh ⊙ (1 − h²)      (relu: dh ⊙ [pre > 0]) */
static void
rnn_backward (float *dpre, const float *dh, const float *act, bool relu, int B, int H)
{
  for (int i = 0; i < B * H; i++)
    dpre[i] = relu ? (act[i] > 0.0f ? dh[i] : 0.0f) : dh[i] * (1.0f - act[i] * act[i]);
}

/* ───────────────────────── LSTM ───────────────────────── */

/* i = σ(W_ii x + b_ii + W_hi h + b_hi [+ w_ci ⊙ c_{t-1}] [+ R_ii i' + R_fi f' + R_oi o'])
 *                                                            no input gate: i = 1
 * f = σ(W_if x + b_if + W_hf h + b_hf [+ w_cf ⊙ c_{t-1}] [+ R_if i' + R_ff f' + R_of o'])
 *                                                            cifg: f = 1 − i;  no forget gate: f = 1
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)                    no input activation: g = W_ig x + … + b_hg
 * c_t = f ⊙ c_{t-1} + i ⊙ g                                  [clipped to [−clip, clip]]
 * o = σ(W_io x + b_io + W_ho h + b_ho [+ w_co ⊙ c_t] [+ R_io i' + R_fo f' + R_oo o'])
 *                                                            no output gate: o = 1
 * m_t = o ⊙ tanh(c_t)                                        no output activation: m_t = o ⊙ c_t
 * h_t = m_t, or with a projection h_t = W_hr m_t (after this loop)
 * Full gate recurrence: i', f', o' are i_{t-1}, f_{t-1}, o_{t-1} (0 at the
 * first step) and R_ab (H, H) feeds gate a of t−1 into gate b of t; W_gg
 * (3H, 3H) holds them, block row b, block column a (gates in order i, f, o).
 * Interventions (s->clamp, gs-intervene.h): a clamped gate's activation is
 * its value wherever it is used (cifg's f = 1 − i reads the clamped i), a
 * set c_t is its value after clipping; neither sends a gradient back.
 * Peepholes: Gers & Schmidhuber 2000; CIFG, NIG, NOG, NIAF, NOAF, FGR:
 * Greff et al. 2017 (after Gers et al. and Hochreiter & Schmidhuber 1997);
 * clipping: TensorFlow's cell_clip (the peephole of o sees the clipped c_t). */
/* The plain cell's unit loop (no peephole, clipping or coupled gates):
 * branch-free and unaliased, so it becomes SIMD code. Same arithmetic as
 * the general loop below, operation for operation. */
GS_SIMD_BODY void
lstm_forward_plain_body (const float *restrict pb, float *restrict ab, float *restrict c,
                         float *restrict mt, const float *restrict c_prev, int H)
{
  for (int u = 0; u < H; u++) {
    float ig = sigmoidf (pb[u]);
    float fg = sigmoidf (pb[H + u]);
    float gg = tanhf (pb[2 * H + u]);
    float og = sigmoidf (pb[3 * H + u]);
    float ct = fg * c_prev[u] + ig * gg;
    ab[u] = ig;
    ab[H + u] = fg;
    ab[2 * H + u] = gg;
    ab[3 * H + u] = og;
    c[u] = ct;
    mt[u] = og * tanhf (ct);
  }
}

/* AVX-512 or AVX2 where the CPU has them (gs-simd.h). */
GS_SIMD_VARIANTS (lstm_forward_plain, (const float *restrict pb, float *restrict ab,
                   float *restrict c, float *restrict mt, const float *restrict c_prev, int H),
                  (pb, ab, c, mt, c_prev, H))

/* The row of act (B, G*H) that holds gate j of (i, f, o), j < 3H: g sits between f and o. */
static inline int
ifo_row (int j, int H)
{
  return j < 2 * H ? j : j + H;
}

/* pb[i, f, o rows] += W_gg·(i', f', o') for one sequence: the full gate
 * recurrence. Columns [0, 2H) read i', f' (act rows [0, 2H)), columns
 * [2H, 3H) read o' (act rows [3H, 4H)): two contiguous dot products. */
static void
lstm_gate_recurrence (float *restrict pb, const float *restrict W_gg, const float *restrict ap, int H)
{
  for (int r = 0; r < 3 * H; r++) {
    const float *w = W_gg + (size_t) r * 3 * H;
    float sum = 0.0f, sum_o = 0.0f;
    for (int j = 0; j < 2 * H; j++)
      sum += w[j] * ap[j];
    for (int j = 0; j < H; j++)
      sum_o += w[2 * H + j] * ap[3 * H + j];
    pb[ifo_row (r, H)] += sum + sum_o;
  }
}

static void
lstm_forward (const GsCellStep *s, const float *gh, const GsLayerParams *p, const GsCellSpec *sp)
{
  const int G = 4, B = sp->B, H = sp->H;
  const float *w_ci = sp->peephole ? p->w_ch : NULL;
  const float *w_cf = w_ci ? w_ci + H : NULL, *w_co = w_ci ? w_ci + 2 * H : NULL;
  const float clip = sp->cell_clip;
  const GsCellClamp *cl = s->clamp;
  float *mt = s->m ? s->m : s->h;

  for (int b = 0; b < B; b++) {
    float *pb = s->pre + (size_t) b * G * H;
    float *ab = s->act + (size_t) b * G * H;
    const float *ghb = gh + (size_t) b * G * H;
    for (int j = 0; j < G * H; j++)
      pb[j] += ghb[j];
    if (sp->fgr && s->act_prev)
      lstm_gate_recurrence (pb, p->W_gg, s->act_prev + (size_t) b * G * H, H);
    if (sp->lstm_plain && !cl) {
      GS_SIMD_PICK (lstm_forward_plain, H) (pb, ab, s->c + (size_t) b * H, mt + (size_t) b * H,
                          s->c_prev + (size_t) b * H, H);
      continue;
    }
    for (int u = 0; u < H; u++) {
      size_t bu = (size_t) b * H + u;
      float cp = s->c_prev[bu];
      float ig, fg, gg, og, ct;
      if (w_ci) {
        pb[u] += w_ci[u] * cp;
        pb[H + u] += w_cf[u] * cp;
      }
      if (sp->no_input_gate) {
        pb[u] = 0.0f;
        ig = 1.0f;
      } else {
        ig = sigmoidf (pb[u]);
      }
      /* clamped (an intervention): the value replaces the activation */
      if (cl && cl->gate_on[u])
        ig = cl->gate_val[u];
      if (sp->cifg) {
        pb[H + u] = -pb[u];
        fg = 1.0f - ig;
      } else if (sp->no_forget_gate) {
        pb[H + u] = 0.0f;
        fg = 1.0f;
      } else {
        fg = sigmoidf (pb[H + u]);
      }
      if (cl && cl->gate_on[H + u])
        fg = cl->gate_val[H + u];
      gg = sp->no_input_act ? pb[2 * H + u] : tanhf (pb[2 * H + u]);
      if (cl && cl->gate_on[2 * H + u])
        gg = cl->gate_val[2 * H + u];
      ct = fg * cp + ig * gg;
      if (clip > 0.0f)
        ct = ct > clip ? clip : ct < -clip ? -clip : ct;
      if (cl && cl->c_on[u])
        ct = cl->c_val[u];
      if (w_co)
        pb[3 * H + u] += w_co[u] * ct;
      if (sp->no_output_gate) {
        pb[3 * H + u] = 0.0f;
        og = 1.0f;
      } else {
        og = sigmoidf (pb[3 * H + u]);
      }
      if (cl && cl->gate_on[3 * H + u])
        og = cl->gate_val[3 * H + u];
      ab[u] = ig;
      ab[H + u] = fg;
      ab[2 * H + u] = gg;
      ab[3 * H + u] = og;
      s->c[bu] = ct;
      mt[bu] = og * (sp->no_output_act ? ct : tanhf (ct));
    }
  }
  /* h_t (B, P) = m_t·W_hrᵀ */
  if (s->m)
    gs_linear_forward (s->h, s->m, p->W_hr, NULL, B, sp->P, H);
}

/* dm    = dh (or, projected, dh·W_hr; dW_hr += dhᵀ·m)
 * dpre_o = (dm ⊙ tanh(c_t) [+ do']) ⊙ o(1 − o)     no output gate: 0;  no output activation: c_t for tanh(c_t)
 * dc_t  = dc_{t+1→t} + dm ⊙ o ⊙ (1 − tanh²(c_t)) [+ dpre_o ⊙ w_co]      (stored: the total)
 *         no output activation: dm ⊙ o for the middle term;
 *         and 0 from here on where c_t was clipped
 * dpre_i = (dc_t ⊙ g [+ di']) ⊙ i(1 − i)  cifg: dc_t ⊙ (g − c_{t-1}) ⊙ i(1 − i);  no input gate: 0
 * dpre_f = (dc_t ⊙ c_{t-1} [+ df']) ⊙ f(1 − f)     cifg, no forget gate: 0
 * dpre_g = dc_t ⊙ i ⊙ (1 − g²)           no input activation: dc_t ⊙ i
 * dc_{t-1} = dc_t ⊙ f [+ dpre_i ⊙ w_ci + dpre_f ⊙ w_cf]
 * dw_ci += dpre_i ⊙ c_{t-1}, dw_cf += dpre_f ⊙ c_{t-1}, dw_co += dpre_o ⊙ c_t (summed over b)
 * Full gate recurrence: di', df', do' = dL/d(i, f, o)_t arriving from t+1 (g->dg), and
 * dL/d(i, f, o)_{t-1} = dpre_{i,f,o}·W_gg,  dW_gg += dpre_{i,f,o}ᵀ·(i, f, o)_{t-1} */
/* The plain cell's backward unit loop, vectorisable like its forward.
 * dc holds the carry on entry and the total dL/dc_t on return. */
GS_SIMD_BODY void
lstm_backward_plain_body (float *restrict db, float *restrict dc, float *restrict dc_prev,
                          const float *restrict ab, const float *restrict dm, const float *restrict c,
                          const float *restrict c_prev, int H)
{
  for (int u = 0; u < H; u++) {
    float ig = ab[u], fg = ab[H + u], gg = ab[2 * H + u], og = ab[3 * H + u];
    float tc = tanhf (c[u]);
    float dpo = dm[u] * tc * og * (1.0f - og);
    float dct = dc[u] + dm[u] * og * (1.0f - tc * tc);
    float di = dct * gg;
    dc[u] = dct;
    db[u] = di * ig * (1.0f - ig);
    db[H + u] = dct * c_prev[u] * fg * (1.0f - fg);
    db[2 * H + u] = dct * ig * (1.0f - gg * gg);
    db[3 * H + u] = dpo;
    dc_prev[u] = dct * fg;
  }
}

/* AVX-512 or AVX2 where the CPU has them (gs-simd.h). */
GS_SIMD_VARIANTS (lstm_backward_plain, (float *restrict db, float *restrict dc,
                   float *restrict dc_prev, const float *restrict ab, const float *restrict dm,
                   const float *restrict c, const float *restrict c_prev, int H),
                  (db, dc, dc_prev, ab, dm, c, c_prev, H))

/* dg_prev (3H) = dpre_{i,f,o}·W_gg (zero at the first step, which has no
 * previous gates);  dW_gg += dpre_{i,f,o}ᵀ·(i, f, o)_{t-1}, for one sequence. */
static void
lstm_gate_recurrence_backward (float *restrict dg_prev, float *restrict dW_gg, const float *restrict db,
                               const float *restrict ap, const float *restrict W_gg, int H)
{
  memset (dg_prev, 0, sizeof (float) * (size_t) 3 * H);
  if (!ap)
    return;
  for (int r = 0; r < 3 * H; r++) {
    const float dr = db[ifo_row (r, H)];
    const float *w = W_gg + (size_t) r * 3 * H;
    float *dw = dW_gg + (size_t) r * 3 * H;
    for (int j = 0; j < 3 * H; j++)
      dg_prev[j] += dr * w[j];
    for (int j = 0; j < 2 * H; j++)
      dw[j] += dr * ap[j];
    for (int j = 0; j < H; j++)
      dw[2 * H + j] += dr * ap[3 * H + j];
  }
}

static void
lstm_backward (GsCellGrad *g, GsLayerParams *dp, bool step_weights, const GsCellStep *s,
               const GsLayerParams *p, const GsCellSpec *sp)
{
  const int G = 4, B = sp->B, H = sp->H;
  const float *w_ci = sp->peephole ? p->w_ch : NULL;
  const float *w_cf = w_ci ? w_ci + H : NULL, *w_co = w_ci ? w_ci + 2 * H : NULL;
  float *dw_ci = w_ci ? dp->w_ch : NULL;
  float *dw_cf = w_ci ? dp->w_ch + H : NULL, *dw_co = w_ci ? dp->w_ch + 2 * H : NULL;
  const float clip = sp->cell_clip;
  const GsCellClamp *cl = s->clamp;
  const float *dmt = g->dh;

  if (s->m) {
    /* dm (B, H) = dh·W_hr;  dW_hr += dhᵀ·m */
    memset (g->dm, 0, sizeof (float) * (size_t) B * H);
    gs_linear_backward_x (g->dm, g->dh, p->W_hr, B, sp->P, H);
    if (step_weights)
      gs_linear_backward_w (dp->W_hr, NULL, g->dh, s->m, B, sp->P, H);
    dmt = g->dm;
  }
  for (int b = 0; b < B; b++) {
    const float *ab = s->act + (size_t) b * G * H;
    float *db = g->dpre + (size_t) b * G * H;
    const float *dgb = sp->fgr ? g->dg + (size_t) b * 3 * H : NULL;
    if (sp->lstm_plain && !cl) {
      size_t o = (size_t) b * H;
      GS_SIMD_PICK (lstm_backward_plain, H) (db, g->dc + o, g->dc_prev + o, ab, dmt + o, s->c + o, s->c_prev + o, H);
      continue;
    }
    for (int u = 0; u < H; u++) {
      size_t bu = (size_t) b * H + u;
      float ig = ab[u], fg = ab[H + u], gg = ab[2 * H + u], og = ab[3 * H + u];
      float ct = s->c[bu], cp = s->c_prev[bu];
      float tc = sp->no_output_act ? ct : tanhf (ct);
      float dout = dmt[bu] * tc, dpo;
      float dct, di, dpi, dpf;
      if (dgb)
        dout += dgb[2 * H + u];
      dpo = sp->no_output_gate || (cl && cl->gate_on[3 * H + u]) ? 0.0f : dout * og * (1.0f - og);
      dct = g->dc[bu] + (sp->no_output_act ? dmt[bu] * og : dmt[bu] * og * (1.0f - tc * tc));
      if (w_co)
        dct += dpo * w_co[u];
      g->dc[bu] = dct;
      if (clip > 0.0f && fabsf (ct) >= clip)
        dct = 0.0f;
      /* a set c_t is a constant: nothing flows back through it */
      if (cl && cl->c_on[u])
        dct = 0.0f;
      if (sp->cifg) {
        di = dct * (gg - cp);
        dpf = 0.0f;
      } else if (sp->no_forget_gate) {
        di = dct * gg;
        dpf = 0.0f;
      } else if (dgb) {
        di = dct * gg;
        dpf = (dct * cp + dgb[H + u]) * fg * (1.0f - fg);
      } else {
        di = dct * gg;
        dpf = dct * cp * fg * (1.0f - fg);
      }
      if (dgb)
        di += dgb[u];
      dpi = sp->no_input_gate ? 0.0f : di * ig * (1.0f - ig);
      /* a clamped gate passes no gradient to its pre-activation */
      if (cl && cl->gate_on[u])
        dpi = 0.0f;
      if (cl && cl->gate_on[H + u])
        dpf = 0.0f;
      db[u] = dpi;
      db[H + u] = dpf;
      db[2 * H + u] = cl && cl->gate_on[2 * H + u] ? 0.0f
                      : sp->no_input_act ? dct * ig : dct * ig * (1.0f - gg * gg);
      db[3 * H + u] = dpo;
      g->dc_prev[bu] = dct * fg;
      if (w_ci) {
        g->dc_prev[bu] += dpi * w_ci[u] + dpf * w_cf[u];
        dw_ci[u] += dpi * cp;
        dw_cf[u] += dpf * cp;
        dw_co[u] += dpo * ct;
      }
    }
    if (sp->fgr)
      lstm_gate_recurrence_backward (g->dg_prev + (size_t) b * 3 * H, dp->W_gg, db,
                                     s->act_prev ? s->act_prev + (size_t) b * G * H : NULL, p->W_gg, H);
  }
}

/* ───────────────────────── GRU ───────────────────────── */

/* r = σ(W_ir x + b_ir + W_hr h + b_hr)
 * z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 * h_t = (1 − z) ⊙ n + z ⊙ h_{t-1} */
/* One sequence's units: a function of its own with unaliased rows, which
 * GCC vectorises (it does not when the rows are views in the batch loop). */
GS_SIMD_BODY void
gru_forward_row_body (float *restrict pb, float *restrict ab, float *restrict hnb, float *restrict hb,
                      const float *restrict ghb, const float *restrict hpb, int H)
{
  for (int u = 0; u < H; u++) {
    float pr = pb[u] + ghb[u], pz = pb[H + u] + ghb[H + u];
    float rg = sigmoidf (pr), zg = sigmoidf (pz);
    float hnu = ghb[2 * H + u];
    float pn = pb[2 * H + u] + rg * hnu;
    float ng = tanhf (pn);
    pb[u] = pr;
    pb[H + u] = pz;
    pb[2 * H + u] = pn;
    hnb[u] = hnu;
    ab[u] = rg;
    ab[H + u] = zg;
    ab[2 * H + u] = ng;
    hb[u] = (1.0f - zg) * ng + zg * hpb[u];
  }
}

/* AVX-512 or AVX2 where the CPU has them (gs-simd.h). */
GS_SIMD_VARIANTS (gru_forward_row, (float *restrict pb, float *restrict ab, float *restrict hnb,
                   float *restrict hb, const float *restrict ghb, const float *restrict hpb, int H),
                  (pb, ab, hnb, hb, ghb, hpb, H))

/* The same with clamped r or z units (interventions): the value replaces
 * the gate's activation, r = v or z = v in the equations above. One sequence. */
static void
gru_forward_row_clamped (float *pb, float *ab, float *hnb, float *hb, const float *ghb, const float *hpb,
                         const GsCellClamp *cl, int H)
{
  for (int u = 0; u < H; u++) {
    float pr = pb[u] + ghb[u], pz = pb[H + u] + ghb[H + u];
    float rg = cl->gate_on[u] ? cl->gate_val[u] : sigmoidf (pr);
    float zg = cl->gate_on[H + u] ? cl->gate_val[H + u] : sigmoidf (pz);
    float hnu = ghb[2 * H + u];
    float pn = pb[2 * H + u] + rg * hnu;
    float ng = tanhf (pn);
    pb[u] = pr;
    pb[H + u] = pz;
    pb[2 * H + u] = pn;
    hnb[u] = hnu;
    ab[u] = rg;
    ab[H + u] = zg;
    ab[2 * H + u] = ng;
    hb[u] = (1.0f - zg) * ng + zg * hpb[u];
  }
}

static void
gru_forward (float *pre, float *act, float *hn, float *h, const float *gh,
             const float *h_prev, const GsCellClamp *cl, int B, int H)
{
  const int G = 3;

  if (cl) {
    for (int b = 0; b < B; b++)
      gru_forward_row_clamped (pre + (size_t) b * G * H, act + (size_t) b * G * H, hn + (size_t) b * H,
                               h + (size_t) b * H, gh + (size_t) b * G * H, h_prev + (size_t) b * H, cl, H);
    return;
  }
  for (int b = 0; b < B; b++)
    GS_SIMD_PICK (gru_forward_row, H) (pre + (size_t) b * G * H, act + (size_t) b * G * H, hn + (size_t) b * H,
                     h + (size_t) b * H, gh + (size_t) b * G * H, h_prev + (size_t) b * H, H);
}

/* dn = dh ⊙ (1 − z)           dpre_n = dn ⊙ (1 − n²)   (= d(W_in x + b_in))
 * dz = dh ⊙ (h_{t-1} − n)     dpre_z = dz ⊙ z(1 − z)
 * dr = dpre_n ⊙ hn            dpre_r = dr ⊙ r(1 − r)
 * recurrent side: dgh = [dpre_r, dpre_z, dpre_n ⊙ r], and dh_{t-1} gets dh ⊙ z directly. */
GS_SIMD_BODY void
gru_backward_row_body (float *restrict db, float *restrict dgb, float *restrict dhpb,
                       const float *restrict ab, const float *restrict dhb, const float *restrict hnb,
                       const float *restrict hpb, int H)
{
  for (int u = 0; u < H; u++) {
    float rg = ab[u], zg = ab[H + u], ng = ab[2 * H + u];
    float dn = dhb[u] * (1.0f - zg) * (1.0f - ng * ng);
    float dz = dhb[u] * (hpb[u] - ng) * zg * (1.0f - zg);
    float dr = dn * hnb[u] * rg * (1.0f - rg);
    db[u] = dr;
    dgb[u] = dr;
    db[H + u] = dz;
    dgb[H + u] = dz;
    db[2 * H + u] = dn;
    dgb[2 * H + u] = dn * rg;
    dhpb[u] = dhb[u] * zg;
  }
}

/* AVX-512 or AVX2 where the CPU has them (gs-simd.h). */
GS_SIMD_VARIANTS (gru_backward_row, (float *restrict db, float *restrict dgb, float *restrict dhpb,
                   const float *restrict ab, const float *restrict dhb, const float *restrict hnb,
                   const float *restrict hpb, int H),
                  (db, dgb, dhpb, ab, dhb, hnb, hpb, H))

static void
gru_backward (float *dpre, float *dgh, float *dh_prev, const float *dh, const float *act,
              const float *hn, const float *h_prev, const GsCellClamp *cl, int B, int H)
{
  const int G = 3;

  for (int b = 0; b < B; b++)
    GS_SIMD_PICK (gru_backward_row, H) (dpre + (size_t) b * G * H, dgh + (size_t) b * G * H, dh_prev + (size_t) b * H,
                      act + (size_t) b * G * H, dh + (size_t) b * H, hn + (size_t) b * H,
                      h_prev + (size_t) b * H, H);
  /* a clamped gate passes no gradient to its pre-activation (nor to the
   * recurrent product feeding it) */
  if (cl)
    for (int b = 0; b < B; b++)
      for (int j = 0; j < 2 * H; j++)
        if (cl->gate_on[j])
          dpre[(size_t) b * G * H + j] = dgh[(size_t) b * G * H + j] = 0.0f;
}

/* Reset gate before the product (Cho et al. 2014; TensorFlow's GRUCell):
 * r = σ(W_ir x + b_ir + W_hr h + b_hr)
 * z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * rh = r ⊙ h_{t-1}
 * hn = W_hn rh + b_hn
 * n = tanh(W_in x + b_in + hn)
 * h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
 * gh (B, 2H) holds the r and z rows of h_{t-1}·W_hhᵀ + b_hh. */
static void
gru_before_forward (const GsCellStep *s, const float *gh, const GsLayerParams *p, int B, int H)
{
  const int G = 3;

  for (int b = 0; b < B; b++) {
    float *pb = s->pre + (size_t) b * G * H;
    float *ab = s->act + (size_t) b * G * H;
    const float *ghb = gh + (size_t) b * 2 * H;
    for (int u = 0; u < H; u++) {
      size_t bu = (size_t) b * H + u;
      pb[u] += ghb[u];
      pb[H + u] += ghb[H + u];
      ab[u] = s->clamp && s->clamp->gate_on[u] ? s->clamp->gate_val[u] : sigmoidf (pb[u]);
      ab[H + u] = s->clamp && s->clamp->gate_on[H + u] ? s->clamp->gate_val[H + u] : sigmoidf (pb[H + u]);
      s->rh[bu] = ab[u] * s->h_rec[bu];
    }
  }
  /* hn (B, H) = rh·W_hnᵀ + b_hn */
  gs_linear_forward (s->hn, s->rh, p->W_hh + (size_t) 2 * H * H, p->b_hh + 2 * H, B, H, H);
  for (int b = 0; b < B; b++) {
    float *pb = s->pre + (size_t) b * G * H;
    float *ab = s->act + (size_t) b * G * H;
    for (int u = 0; u < H; u++) {
      size_t bu = (size_t) b * H + u;
      float zg = ab[H + u], ng;
      pb[2 * H + u] += s->hn[bu];
      ng = tanhf (pb[2 * H + u]);
      ab[2 * H + u] = ng;
      s->h[bu] = (1.0f - zg) * ng + zg * s->h_prev[bu];
    }
  }
}

/* dpre_n = dh ⊙ (1 − z) ⊙ (1 − n²)       (= d(W_in x + b_in) = d(hn))
 * dpre_z = dh ⊙ (h_{t-1} − n) ⊙ z(1 − z)
 * drh    = dpre_n·W_hn                    dW_hn += dpre_nᵀ·rh
 * dpre_r = drh ⊙ h_{t-1} ⊙ r(1 − r)
 * dh_{t-1} gets dh ⊙ z (state), drh ⊙ r and [dpre_r, dpre_z]·W_hh[r,z] (products).
 * drec holds [dpre_r, dpre_z] as (B, 2H), then dpre_n as (B, H). */
static void
gru_before_backward (GsCellGrad *g, GsLayerParams *dp, float *drh, const GsCellStep *s,
                     const GsLayerParams *p, int B, int H, int P)
{
  const int G = 3;
  float *drz = g->drec, *dn = g->drec + (size_t) B * 2 * H;
  const float *W_hn = p->W_hh + (size_t) 2 * H * P;
  const bool sum = g->dh_rec == g->dh_prev;

  for (int b = 0; b < B; b++) {
    const float *ab = s->act + (size_t) b * G * H;
    float *db = g->dpre + (size_t) b * G * H;
    for (int u = 0; u < H; u++) {
      size_t bu = (size_t) b * H + u;
      float zg = ab[H + u], ng = ab[2 * H + u];
      float dpn = g->dh[bu] * (1.0f - zg) * (1.0f - ng * ng);
      float dpz = s->clamp && s->clamp->gate_on[H + u] ? 0.0f : g->dh[bu] * (s->h_prev[bu] - ng) * zg * (1.0f - zg);
      db[H + u] = drz[(size_t) b * 2 * H + H + u] = dpz;
      db[2 * H + u] = dn[bu] = dpn;
      g->dh_prev[bu] = g->dh[bu] * zg;
    }
  }
  /* drh (B, H) = dn·W_hn */
  memset (drh, 0, sizeof (float) * (size_t) B * H);
  gs_linear_backward_x (drh, dn, W_hn, B, H, P);
  for (int b = 0; b < B; b++) {
    const float *ab = s->act + (size_t) b * G * H;
    float *db = g->dpre + (size_t) b * G * H;
    for (int u = 0; u < H; u++) {
      size_t bu = (size_t) b * H + u;
      float rg = ab[u];
      float dpr = s->clamp && s->clamp->gate_on[u] ? 0.0f : drh[bu] * s->h_rec[bu] * rg * (1.0f - rg);
      db[u] = drz[(size_t) b * 2 * H + u] = dpr;
      g->dh_rec[bu] = (sum ? g->dh_rec[bu] : 0.0f) + drh[bu] * rg;
    }
  }
  /* dh_rec += [dpre_r, dpre_z]·W_hh[r,z];  dW_hh[r,z] += …ᵀ·h_rec;  dW_hn += dnᵀ·rh */
  gs_linear_backward_x (g->dh_rec, drz, p->W_hh, B, 2 * H, P);
  gs_linear_backward_w (dp->W_hh, dp->b_hh, drz, s->h_rec, B, 2 * H, P);
  gs_linear_backward_w (dp->W_hh + (size_t) 2 * H * P, dp->b_hh + 2 * H, dn, s->rh, B, H, H);
}

/* ───────────────────────── dispatch ───────────────────────── */

void
gs_cell_forward (const GsCellStep *s, float *gh, const GsLayerParams *p, const GsCellSpec *spec)
{
  const int G = gs_cell_gates (spec->cell), B = spec->B, H = spec->H, P = spec->P;

  if (spec->gru_reset_before) {
    /* gh (B, 2H) = h_rec·W_hh[r,z]ᵀ + b_hh[r,z] */
    gs_linear_forward (gh, s->h_rec, p->W_hh, p->b_hh, B, 2 * H, P);
    gru_before_forward (s, gh, p, B, H);
    return;
  }
  /* gh = h_rec·W_hhᵀ + b_hh, all gates at once */
  if (s->W_hh_v && B == 1)
    gs_gemv_packed (gh, s->h_rec, s->W_hh_v, p->b_hh, G * H, P, s->reverse);
  else if (s->W_hh_t)
    gs_gemm_packed (gh, G * H, s->h_rec, P, s->W_hh_t, p->b_hh, false, B, G * H, P);
  else
    gs_linear_forward (gh, s->h_rec, p->W_hh, p->b_hh, B, G * H, P);
  switch (spec->cell) {
  case GS_CELL_RNN_TANH:
  case GS_CELL_RNN_RELU:
    GS_SIMD_PICK (rnn_forward, B * H) (s->pre, s->act, s->h, gh, spec->cell == GS_CELL_RNN_RELU, B, H);
    break;
  case GS_CELL_LSTM:
    lstm_forward (s, gh, p, spec);
    break;
  case GS_CELL_GRU:
    gru_forward (s->pre, s->act, s->hn, s->h, gh, s->h_prev, s->clamp, B, H);
    break;
  case GS_N_CELLS:
  default:
    break;
  }
}

void
gs_cell_backward (GsCellGrad *g, GsLayerParams *dp, bool step_weights, float *scratch,
                  const GsCellStep *s, const GsLayerParams *p, const GsCellSpec *spec)
{
  const int G = gs_cell_gates (spec->cell), B = spec->B, H = spec->H, P = spec->P;
  const size_t BP = (size_t) B * P;

  if (spec->gru_reset_before) {
    gru_before_backward (g, dp, scratch, s, p, B, H, P);
    return;
  }
  switch (spec->cell) {
  case GS_CELL_RNN_TANH:
  case GS_CELL_RNN_RELU:
    rnn_backward (g->dpre, g->dh, s->act, spec->cell == GS_CELL_RNN_RELU, B, H);
    memset (g->dh_prev, 0, sizeof (float) * BP);
    break;
  case GS_CELL_LSTM:
    lstm_backward (g, dp, step_weights, s, p, spec);
    memset (g->dh_prev, 0, sizeof (float) * BP);
    break;
  case GS_CELL_GRU:
    gru_backward (g->dpre, g->drec, g->dh_prev, g->dh, s->act, s->hn, s->h_prev, s->clamp, B, H);
    break;
  case GS_N_CELLS:
  default:
    break;
  }
  if (spec->cell != GS_CELL_GRU && g->drec != g->dpre)
    memcpy (g->drec, g->dpre, sizeof (float) * (size_t) B * G * H);
  /* dh_rec += drec·W_hh;  dW_hh += drecᵀ·h_rec;  db_hh += Σ_b drec */
  if (g->dh_rec != g->dh_prev)
    memset (g->dh_rec, 0, sizeof (float) * BP);
  if (s->W_hh_b)
    gs_gemm_packed (g->dh_rec, P, g->drec, G * H, s->W_hh_b, NULL, true, B, P, G * H);
  else
    gs_linear_backward_x (g->dh_rec, g->drec, p->W_hh, B, G * H, P);
  if (step_weights)
    gs_linear_backward_w (dp->W_hh, dp->b_hh, g->drec, s->h_rec, B, G * H, P);
}
