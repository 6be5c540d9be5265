/* test-gradcheck — backpropagation against central finite differences.
 *
 * For every cell kind, 1–3 layers, embedding / one-hot / dense input and
 * both losses, every parameter element's analytic gradient is compared
 * with (L(p + h) − L(p − h)) / 2h. The engine is float32, so the loss
 * carries ~1e-7 relative rounding; with h = 1e-2 that is ~1e-5 of noise in
 * the difference quotient and the truncation error is O(h²) ~ 1e-4 · L'''.
 * A bound of 1e-3 + 2e-2·|g| is far below the size of a real mistake (a
 * dropped or mis-signed term changes a gradient by its own order, ~1e-2–1).
 *
 * ReLU has kinks: a perturbation that moves a pre-activation across 0
 * breaks the difference quotient. For ReLU cells an element that fails at
 * h is checked again at h/8 (a kink is then usually outside the interval);
 * it counts as excused when it passes there, and at most 5% may be.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-intervene.h"
#include "gs-test.h"
#include "gs-test-models.h"

static double
loss_at (GsModel *m)
{
  gs_model_rewind (m);
  gs_model_forward (m);
  return (double) gs_model_loss (m);
}

static double
central_difference (GsModel *m, size_t i, float h)
{
  float saved = m->params_mem[i];
  double lp, lm;

  m->params_mem[i] = saved + h;
  lp = loss_at (m);
  m->params_mem[i] = saved - h;
  lm = loss_at (m);
  m->params_mem[i] = saved;
  return (lp - lm) / (2.0 * (double) h);
}

/* Every parameter element of m (sequence loaded) against the central
 * difference. kinks: ReLU or clipping can put a kink inside [p − h, p + h]. */
static void
check_model (GsModel *m, const char *label, bool kinks)
{
  const float h = 1e-2f;
  float *analytic = malloc (sizeof (float) * m->n_params);
  size_t bad = 0, excused = 0, checked = 0;
  double worst = 0.0;
  GsTensorInfo t[GS_MAX_TENSORS];
  int nt = gs_config_tensors (&m->cfg, t);
  char what[200];

  gs_model_zero_grad (m);
  gs_model_rewind (m);
  gs_model_forward (m);
  gs_model_backward (m);
  for (size_t i = 0; i < m->n_params; i++)
    analytic[i] = m->grads_mem[i];

  for (int k = 0; k < nt; k++)
    for (size_t j = 0; j < t[k].numel; j++) {
      size_t i = t[k].offset + j;
      double fd = central_difference (m, i, h);
      double diff = fabs (fd - analytic[i]);
      double bound = 1e-3 + 2e-2 * fabs (analytic[i]);
      checked++;
      if (diff > worst)
        worst = diff;
      if (diff <= bound)
        continue;
      /* A kink between p − h and p + h makes fd depend on h. */
      if (kinks && fabs (central_difference (m, i, h / 8) - analytic[i]) <= bound) {
        excused++;
        continue;
      }
      if (bad++ < 5)
        fprintf (stderr, "  %s %s[%zu]: analytic %.6g, finite difference %.6g\n",
                 label, t[k].name, j, (double) analytic[i], fd);
    }
  snprintf (what, sizeof what, "%s: %zu of %zu elements off (%zu excused at kinks), max |diff| %.2e",
            label, bad, checked, excused, worst);
  printf ("  %s\n", what);
  GS_CHECK (bad == 0 && excused * 20 <= checked, "%s", what);
  /* The gradients are not trivially zero: the check had something to compare. */
  GS_CHECK (worst >= 0.0 && analytic[t[nt - 1].offset] != 0.0f, "%s: fc.bias gradient is zero", what);
  free (analytic);
}

static const char *
input_name (GsInput input)
{
  return input == GS_INPUT_EMBED ? "embed" : input == GS_INPUT_ONEHOT ? "onehot" : "dense";
}

static void
check_config (GsCell cell, GsInput input, GsLoss loss, int L)
{
  GsModel *m = gs_test_model_new (cell, input, loss, L, 5, 4, 2, 1000u + (unsigned) (cell * 31 + L * 7 + input));
  char label[96];

  snprintf (label, sizeof label, "%s %s %s L=%d", gs_cell_name (cell), input_name (input),
            loss == GS_LOSS_CE ? "ce" : "mse", L);
  check_model (m, label, cell == GS_CELL_RNN_RELU);
  gs_model_free (m);
}

/* ───────────────────────── the cell variants ───────────────────────── */

typedef struct {
  const char *name;
  GsCell      cell;
  GsVariant   v;
  int         L;
} VariantCase;

static const VariantCase variant_cases[] = {
  { "peephole",              GS_CELL_LSTM,     { .peephole = true }, 2 },
  { "cifg",                  GS_CELL_LSTM,     { .cifg = true }, 2 },
  { "cifg + peephole",       GS_CELL_LSTM,     { .cifg = true, .peephole = true }, 1 },
  { "no forget gate",        GS_CELL_LSTM,     { .no_forget_gate = true }, 2 },
  { "no input gate",         GS_CELL_LSTM,     { .no_input_gate = true }, 2 },
  { "no input gate + peephole + no forget gate", GS_CELL_LSTM, { .no_input_gate = true, .peephole = true,
                                                               .no_forget_gate = true }, 1 },
  { "no output gate",        GS_CELL_LSTM,     { .no_output_gate = true }, 2 },
  { "no output gate + peephole", GS_CELL_LSTM, { .no_output_gate = true, .peephole = true }, 1 },
  { "no input activation",   GS_CELL_LSTM,     { .no_input_act = true }, 2 },
  { "no output activation",  GS_CELL_LSTM,     { .no_output_act = true }, 2 },
  { "no output act + proj 2", GS_CELL_LSTM,    { .no_output_act = true, .proj = 2, .no_input_act = true }, 1 },
  { "full gate recurrence",  GS_CELL_LSTM,     { .full_gate_recurrence = true }, 2 },
  { "fgr + peephole",        GS_CELL_LSTM,     { .full_gate_recurrence = true, .peephole = true }, 1 },
  { "fgr + bidirectional",   GS_CELL_LSTM,     { .full_gate_recurrence = true, .bidirectional = true }, 2 },
  { "forget bias 1",         GS_CELL_LSTM,     { .forget_bias = 1.0f }, 1 },
  { "proj 3",                GS_CELL_LSTM,     { .proj = 3 }, 2 },
  { "proj 2 + peephole",     GS_CELL_LSTM,     { .proj = 2, .peephole = true }, 1 },
  { "gru reset before",      GS_CELL_GRU,      { .gru_reset_before = true }, 2 },
  { "irnn",                  GS_CELL_RNN_RELU, { .irnn = true }, 2 },
  { "irnn tanh",             GS_CELL_RNN_TANH, { .irnn = true }, 1 },
  { "bidirectional",         GS_CELL_RNN_TANH, { .bidirectional = true }, 2 },
  { "bidirectional",         GS_CELL_RNN_RELU, { .bidirectional = true }, 1 },
  { "bidirectional",         GS_CELL_LSTM,     { .bidirectional = true }, 2 },
  { "bidirectional",         GS_CELL_GRU,      { .bidirectional = true }, 2 },
  { "bidirectional + proj 2", GS_CELL_LSTM,    { .bidirectional = true, .proj = 2 }, 2 },
  { "bidirectional + reset before", GS_CELL_GRU, { .bidirectional = true, .gru_reset_before = true }, 1 },
};

static void
check_variants (void)
{
  for (size_t i = 0; i < sizeof variant_cases / sizeof variant_cases[0]; i++) {
    const VariantCase *vc = &variant_cases[i];
    for (int input = GS_INPUT_EMBED; input <= GS_INPUT_ONEHOT; input++) {
      GsModel *m = gs_test_model_new_variant (vc->cell, (GsInput) input, GS_LOSS_CE, vc->L, 5, 4, 2,
                                              2000u + (unsigned) (i * 13 + input), &vc->v, 1.0f);
      char label[128];
      snprintf (label, sizeof label, "%s %s %s L=%d", gs_cell_name (vc->cell), vc->name,
                input_name ((GsInput) input), vc->L);
      check_model (m, label, vc->cell == GS_CELL_RNN_RELU);
      gs_model_free (m);
    }
  }
  /* dense input, MSE: bidirectional and projected together */
  {
    GsVariant v = { .bidirectional = true, .proj = 3, .peephole = true };
    GsModel *m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_DENSE, GS_LOSS_MSE, 2, 4, 5, 2, 2300, &v, 1.0f);
    check_model (m, "lstm bidirectional + proj 3 + peephole dense mse L=2", false);
    gs_model_free (m);
  }
}

/* Cell clipping: large inputs drive c_t past the clip in some units; the
 * gradient through a clipped unit is zero, elsewhere exact. */
static void
check_cell_clip (void)
{
  GsVariant v = { .cell_clip = 0.4f, .peephole = true };
  GsModel *m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_DENSE, GS_LOSS_MSE, 2, 5, 6, 2, 2400, &v, 4.0f);
  size_t clipped = 0, n = (size_t) m->T * m->B * m->cfg.H;

  /* larger input weights than PyTorch's init, so that |c| grows past 0.4 */
  for (size_t j = 0; j < (size_t) 4 * 5 * 5; j++)
    m->p.layer[0].W_ih[j] *= 3.0f;
  gs_model_forward (m);
  for (int k = 0; k < 2; k++)
    for (size_t j = 0; j < n; j++)
      clipped += fabsf (m->layer[k].c[j]) >= 0.4f;
  printf ("  lstm cell clip 0.4: %zu of %zu cell states clipped\n", clipped, 2 * n);
  GS_CHECK (clipped > 0 && clipped < 2 * n, "cell clip: %zu of %zu cell states clipped (want some, not all)",
            clipped, 2 * n);
  check_model (m, "lstm cell clip 0.4 + peephole dense mse L=2", true);
  gs_model_free (m);
}

/* Dropout and recurrent dropout with the masks held fixed (drawn once at
 * set_sequence): the loss is then a smooth function of the parameters. */
static void
check_dropout (void)
{
  static const GsCell cells[] = { GS_CELL_LSTM, GS_CELL_GRU, GS_CELL_RNN_TANH };
  GsRng rng;

  for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
    GsVariant v = { .dropout = 0.4f, .recurrent_dropout = 0.3f, .bidirectional = i == 1 };
    GsModel *m = gs_test_model_new_variant (cells[i], GS_INPUT_EMBED, GS_LOSS_CE, 2, 5, 4, 2, 2500u + i, &v, 1.0f);
    char label[96];
    size_t zeros = 0;
    gs_rng_seed (&rng, 77 + i);
    gs_model_set_training (m, true, &rng);
    gs_test_model_reload (m);
    for (size_t j = 0; j < (size_t) m->B * m->P; j++)
      zeros += m->layer[0].rmask[j] == 0.0f;
    GS_CHECK (m->masks_on, "dropout masks drawn");
    snprintf (label, sizeof label, "%s dropout 0.4 + recurrent dropout 0.3%s, fixed masks (%zu zeros in layer 0's) L=2",
              gs_cell_name (cells[i]), v.bidirectional ? " bidirectional" : "", zeros);
    check_model (m, label, false);
    gs_model_free (m);
  }
}

/* Truncated BPTT is not the gradient of the loss: it is the sum over the
 * chunks [0, K), [K, 2K), … of the gradient of that chunk's part of the
 * loss with the chunk's initial state held constant. The reference runs
 * each chunk as its own sequence from the full run's states. */
static void
check_bptt (GsCell cell, int L, int K)
{
  GsVariant v = { .bptt = K };
  GsModel *m = gs_test_model_new_variant (cell, GS_INPUT_EMBED, GS_LOSS_CE, L, 4, 7, 2, 2600u + (unsigned) cell, &v, 1.0f);
  GsModel *chunk;
  GsError err;
  const int T = m->T, B = m->B, H = m->cfg.H;
  const size_t BH = (size_t) B * H, LBH = (size_t) L * BH;
  float *ref = calloc (m->n_params, sizeof (float));
  float *h0 = calloc (LBH, sizeof (float)), *c0 = calloc (LBH, sizeof (float));
  float *full = malloc (sizeof (float) * m->n_params);
  char what[96];
  double diff = 0.0;

  gs_model_zero_grad (m);
  gs_model_forward (m);
  gs_model_backward (m);
  memcpy (full, m->grads_mem, sizeof (float) * m->n_params);

  v.bptt = 0;
  {
    GsConfig cfg = m->cfg;
    cfg.variant = v;
    chunk = gs_model_new (&cfg, &err);
  }
  memcpy (chunk->params_mem, m->params_mem, sizeof (float) * m->n_params);
  for (int t0 = 0; t0 < T; t0 += K) {
    int n = t0 + K <= T ? K : T - t0;
    float scale;
    for (int k = 0; k < L; k++) {
      const GsLayerState *S = &m->layer[k];
      memcpy (h0 + k * BH, S->hprev + (size_t) t0 * BH, sizeof (float) * BH);
      if (S->cprev)
        memcpy (c0 + k * BH, S->cprev + (size_t) t0 * BH, sizeof (float) * BH);
    }
    gs_model_set_sequence (chunk, n, B, m->tokens + (size_t) t0 * B, NULL, m->targets + (size_t) t0 * B,
                           NULL, NULL, &err);
    gs_model_set_initial_state (chunk, h0, c0);
    gs_model_zero_grad (chunk);
    gs_model_forward (chunk);
    gs_model_backward (chunk);
    /* the chunk's loss is a mean over its own targets; the full one over all */
    scale = (float) chunk->n_targets / (float) m->n_targets;
    for (size_t i = 0; i < m->n_params; i++)
      ref[i] += scale * chunk->grads_mem[i];
  }
  snprintf (what, sizeof what, "%s L=%d bptt %d = sum of per-chunk gradients", gs_cell_name (cell), L, K);
  gs_test_close (what, m->grads_mem, ref, m->n_params, 1e-6, 1e-4);
  /* and it is not the full gradient (something was cut) */
  for (size_t i = 0; i < m->n_params; i++) {
    double d = fabs ((double) full[i] - (double) ref[i]);
    diff = d > diff ? d : diff;
  }
  {
    GsModel *plain = gs_model_clone_params (chunk, &err);
    double cut = 0.0;
    gs_test_model_copy_sequence (plain, m);
    gs_model_zero_grad (plain);
    gs_model_forward (plain);
    gs_model_backward (plain);
    for (size_t i = 0; i < m->n_params; i++) {
      double d = fabs ((double) plain->grads_mem[i] - (double) full[i]);
      cut = d > cut ? d : cut;
    }
    printf ("  %s: max |truncated − full gradient| %.2e\n", what, cut);
    GS_CHECK (cut > 1e-6, "%s: truncation changed nothing (%.2e)", what, cut);
    gs_model_free (plain);
  }
  (void) diff;
  free (ref);
  free (h0);
  free (c0);
  free (full);
  gs_model_free (chunk);
  gs_model_free (m);
}

/* ───────────────────────── interventions ───────────────────────── */

typedef struct {
  const char *name;
  GsCell      cell;
  GsVariant   v;
  int         L;
  struct { GsIvKind kind; const char *spec; } iv[3];
} IvCase;

/* Every intervention kind, on the cells that have what it changes. T = 4. */
static const IvCase iv_cases[] = {
  { "clamp f = 1 everywhere",     GS_CELL_LSTM, { 0 }, 2, { { GS_IV_CLAMP, "1:f:*=1" } } },
  { "clamp f = 0 at t = 2",       GS_CELL_LSTM, { 0 }, 1, { { GS_IV_CLAMP, "1:f:*@2=0" } } },
  { "clamp i, g, o on some units", GS_CELL_LSTM, { .peephole = true }, 2,
    { { GS_IV_CLAMP, "1:i:0-1@1=0.5" }, { GS_IV_CLAMP, "2:g:2,3=-0.3" }, { GS_IV_CLAMP, "1:o:1@3=0" } } },
  { "clamp with gate recurrence", GS_CELL_LSTM, { .full_gate_recurrence = true }, 1,
    { { GS_IV_CLAMP, "1:i:1,2=0.7" }, { GS_IV_CLAMP, "1:f:0@2=0.2" } } },
  { "set c at t = 1",             GS_CELL_LSTM, { .peephole = true }, 2, { { GS_IV_SET_C, "1:*@1=0.5" },
                                                                          { GS_IV_SET_C, "2:0,3@2=0" } } },
  { "set h (projected)",          GS_CELL_LSTM, { .proj = 3 }, 2, { { GS_IV_SET_H, "1:0-1@2=0.4" } } },
  { "ablate a unit",              GS_CELL_LSTM, { 0 }, 2, { { GS_IV_ABLATE, "1:2" } } },
  { "edit a weight",              GS_CELL_LSTM, { 0 }, 1, { { GS_IV_WEIGHT, "rnn.weight_hh_l0[5,1]=0.9" } } },
  { "clamp r and z",              GS_CELL_GRU,  { 0 }, 2, { { GS_IV_CLAMP, "1:z:*@1=1" }, { GS_IV_CLAMP, "2:r:0-2=0.3" } } },
  { "clamp r, z reset before",    GS_CELL_GRU,  { .gru_reset_before = true }, 1,
    { { GS_IV_CLAMP, "1:r:1,3=0" }, { GS_IV_CLAMP, "1:z:0@2=0.5" } } },
  { "set h and ablate",           GS_CELL_GRU,  { 0 }, 2, { { GS_IV_SET_H, "2:*@1=-0.5" }, { GS_IV_ABLATE, "1:0" } } },
  { "set h",                      GS_CELL_RNN_TANH, { 0 }, 2, { { GS_IV_SET_H, "1:1,2@2=0.8" },
                                                               { GS_IV_WEIGHT, "fc.bias[1]=0.25" } } },
};

static void
check_interventions (void)
{
  for (size_t i = 0; i < sizeof iv_cases / sizeof iv_cases[0]; i++) {
    const IvCase *c = &iv_cases[i];
    GsInterventions list = { .n = 0 };
    GsError err = { "" };
    GsModel *m = gs_test_model_new_variant (c->cell, GS_INPUT_EMBED, GS_LOSS_CE, c->L, 4, 4, 2,
                                            2600u + (unsigned) i, &c->v, 1.0f);
    char label[128];
    bool ok = true;

    for (int j = 0; j < 3 && c->iv[j].spec; j++)
      ok &= gs_interventions_parse (&list, c->iv[j].kind, c->iv[j].spec, &err) == GS_OK;
    ok = ok && gs_model_set_interventions (m, &list, &err) == GS_OK;
    snprintf (label, sizeof label, "%s %s L=%d", gs_cell_name (c->cell), c->name, c->L);
    if (GS_CHECK (ok, "%s: the interventions are accepted: %s", label, err.msg))
      check_model (m, label, false);
    gs_model_free (m);
  }
}

int
main (void)
{
  for (int cell = 0; cell < GS_N_CELLS; cell++)
    for (int L = 1; L <= 3; L++) {
      check_config ((GsCell) cell, GS_INPUT_EMBED, GS_LOSS_CE, L);
      check_config ((GsCell) cell, GS_INPUT_ONEHOT, GS_LOSS_CE, L);
    }
  for (int cell = 0; cell < GS_N_CELLS; cell++)
    check_config ((GsCell) cell, GS_INPUT_DENSE, GS_LOSS_MSE, 2);
  check_variants ();
  check_cell_clip ();
  check_interventions ();
  check_dropout ();
  for (int cell = 0; cell < GS_N_CELLS; cell++)
    check_bptt ((GsCell) cell, 2, 3);
  check_bptt (GS_CELL_LSTM, 1, 2);
  return gs_test_finish ("gradcheck");
}
