/* test-stepwise — stepping through time gives exactly the whole-sequence result.
 *
 * The GUI advances the model one timestep at a time, forward and backward,
 * and draws what it reads after each step; training runs the whole sequence.
 * Both must be the same computation: the values read mid-way must be the
 * final values (bit for bit), and the final gradients must be identical. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-gemm.h"
#include "gs-stepper.h"
#include "gs-test.h"
#include "gs-test-models.h"

static bool
same_bits (const float *a, const float *b, size_t n)
{
  return n == 0 || memcmp (a, b, n * sizeof (float)) == 0;
}

static void
check_stepping (GsCell cell, GsInput input, GsLoss loss, int L)
{
  GsModel *whole = gs_test_model_new (cell, input, loss, L, 6, 7, 3, 77u + (unsigned) cell);
  GsModel *step;
  GsError err;
  const int T = whole->T, B = whole->B, H = whole->cfg.H, GH = whole->G * H;
  const size_t BH = (size_t) B * H, BG = (size_t) B * GH, BO = (size_t) B * whole->cfg.O;
  const char *name = gs_cell_name (cell);

  gs_model_zero_grad (whole);
  gs_model_forward (whole);
  gs_model_backward (whole);

  step = gs_model_clone_params (whole, &err);
  GS_CHECK (step != NULL, "clone: %s", step ? "" : err.msg);
  if (step == NULL)
    return;
  gs_test_model_copy_sequence (step, whole);
  gs_model_zero_grad (step);

  GS_CHECK (!gs_model_backward_step (step), "%s: backward before the forward pass is refused", name);
  for (int t = 0; t < T; t++) {
    bool ok = true;
    GS_CHECK (gs_model_forward_step (step), "%s: forward step %d", name, t);
    GS_CHECK (step->t_fwd == t + 1, "%s: cursor after forward step %d is %d", name, t, step->t_fwd);
    /* what a view reads at timestep t is already the final value */
    for (int k = 0; k < L; k++) {
      const GsLayerState *S = &step->layer[k], *W = &whole->layer[k];
      ok &= same_bits (S->pre + t * BG, W->pre + t * BG, BG);
      ok &= same_bits (S->act + t * BG, W->act + t * BG, BG);
      ok &= same_bits (S->h + t * BH, W->h + t * BH, BH);
      if (S->c)
        ok &= same_bits (S->c + t * BH, W->c + t * BH, BH);
    }
    ok &= same_bits (step->logits + t * BO, whole->logits + t * BO, BO);
    GS_CHECK (ok, "%s L=%d: forward state at t=%d differs from the whole-sequence pass", name, L, t);
    if (t < T - 1)
      GS_CHECK (!gs_model_backward_step (step), "%s: backward refused mid-forward (t=%d)", name, t);
  }
  GS_CHECK (!gs_model_forward_step (step), "%s: no forward step past T", name);
  GS_CHECK (gs_model_loss (step) == gs_model_loss (whole), "%s: loss %.9g vs %.9g", name,
            (double) gs_model_loss (step), (double) gs_model_loss (whole));

  for (int t = T - 1; t >= 0; t--) {
    bool ok = true;
    GS_CHECK (gs_model_backward_step (step), "%s: backward step %d", name, t);
    GS_CHECK (step->t_bwd == t, "%s: backward cursor %d, expected %d", name, step->t_bwd, t);
    for (int k = 0; k < L; k++) {
      const GsLayerState *S = &step->layer[k], *W = &whole->layer[k];
      ok &= same_bits (S->dh + t * BH, W->dh + t * BH, BH);
      ok &= same_bits (S->dpre + t * BG, W->dpre + t * BG, BG);
      if (S->dc)
        ok &= same_bits (S->dc + t * BH, W->dc + t * BH, BH);
    }
    GS_CHECK (ok, "%s L=%d: backward state at t=%d differs from the whole-sequence pass", name, L, t);
  }
  GS_CHECK (!gs_model_backward_step (step), "%s: no backward step past t=0", name);
  GS_CHECK (same_bits (step->grads_mem, whole->grads_mem, whole->n_params),
            "%s L=%d: stepped gradients differ from whole-sequence gradients", name, L);

  /* Backward accumulates: a second pass adds the same gradient again. */
  gs_model_rewind (step);
  gs_model_forward (step);
  gs_model_backward (step);
  {
    float *twice = malloc (sizeof (float) * whole->n_params);
    for (size_t i = 0; i < whole->n_params; i++)
      twice[i] = 2.0f * whole->grads_mem[i];
    /* (g_a + g_b) summed twice vs 2·(g_a + g_b): equal up to one rounding per timestep */
    gs_test_close ("two backward passes = twice the gradient", step->grads_mem, twice, whole->n_params, 1e-7, 1e-5);
    free (twice);
  }
  gs_model_zero_grad (step);
  {
    bool zero = true;
    for (size_t i = 0; i < step->n_params; i++)
      zero &= step->grads_mem[i] == 0.0f;
    GS_CHECK (zero, "%s: zero_grad clears every gradient", name);
  }

  gs_model_free (step);
  gs_model_free (whole);
}

/* The training fast path (gs-seq.c) against the stepping path: the same
 * arithmetic in another order, so equal within float32 reassociation. */
static void
check_fast_path (GsCell cell, GsInput input, GsLoss loss, int L, int H, int B)
{
  GsModel *step = gs_test_model_new (cell, input, loss, L, H, 9, B, 5u + (unsigned) cell);
  GsModel *fast;
  GsError err;
  char what[128];
  const int T = step->T, GH = step->G * H;

  fast = gs_model_clone_params (step, &err);
  gs_test_model_copy_sequence (fast, step);
  gs_model_zero_grad (step);
  gs_model_forward (step);
  gs_model_backward (step);
  gs_model_zero_grad (fast);
  gs_model_forward_seq (fast);
  GS_CHECK (fast->t_fwd == T, "fast forward completes");
  gs_model_backward_seq (fast);
  GS_CHECK (fast->t_bwd == 0, "fast backward completes");

  snprintf (what, sizeof what, "fast path %s L=%d H=%d B=%d logits", gs_cell_name (cell), L, H, B);
  gs_test_close (what, fast->logits, step->logits, (size_t) T * B * step->cfg.O, 1e-6, 1e-5);
  snprintf (what, sizeof what, "fast path %s L=%d H=%d B=%d gates", gs_cell_name (cell), L, H, B);
  gs_test_close (what, fast->layer[0].act, step->layer[0].act, (size_t) T * B * GH, 1e-6, 1e-5);
  snprintf (what, sizeof what, "fast path %s L=%d H=%d B=%d dL/dh", gs_cell_name (cell), L, H, B);
  gs_test_close (what, fast->layer[0].dh, step->layer[0].dh, (size_t) T * B * H, 1e-7, 1e-4);
  snprintf (what, sizeof what, "fast path %s L=%d H=%d B=%d gradients", gs_cell_name (cell), L, H, B);
  gs_test_close (what, fast->grads_mem, step->grads_mem, step->n_params, 1e-7, 1e-4);
  GS_CHECK (fabsf (gs_model_loss (fast) - gs_model_loss (step)) <= 1e-6f * fabsf (gs_model_loss (step)),
            "fast path loss %.9g vs %.9g", (double) gs_model_loss (fast), (double) gs_model_loss (step));

  /* A sequence already stepped part-way is finished by the stepping path. */
  gs_model_rewind (fast);
  gs_model_zero_grad (fast);
  gs_model_forward_step (fast);
  gs_model_forward_seq (fast);
  gs_model_backward_step (fast);
  gs_model_backward_seq (fast);
  GS_CHECK (same_bits (fast->grads_mem, step->grads_mem, step->n_params),
            "%s: a part-stepped sequence finishes on the stepping path", gs_cell_name (cell));
  gs_model_free (fast);
  gs_model_free (step);
}

/* a and b (n floats each) times f. */
static void
scale_both (float *a, float *b, size_t n, float f)
{
  for (size_t i = 0; i < n; i++) {
    a[i] *= f;
    b[i] *= f;
  }
}

/* A whole pass from t = 0 with the row-major products (no packed kernel). */
static void
forward_rowmajor (GsModel *m)
{
  gs_model_rewind (m);
  gs_gemm_force_panel = 0;
  gs_model_forward (m);
  gs_gemm_force_panel = -1;
}

/* Batch-1 stepping reads weights packed at the pass's first step
 * (gs_model_forward_step, gs-gemm.h). Against the row-major products
 * (packing switched off); after new weights and a rewind, the next pass
 * reads the new ones; and weights written mid-pass are read from the next
 * step on once gs_model_params_changed says so. */
static void
check_packed_stepping (GsCell cell, GsInput input, GsLoss loss, int L, int H)
{
  GsModel *m = gs_test_model_new (cell, input, loss, L, H, 8, 1, 91u + (unsigned) cell);
  GsModel *ref;
  GsError err;
  char what[128];
  const int T = m->T, O = m->cfg.O;
  const size_t TO = (size_t) T * O;
  const bool packs = gs_gemm_panel () > 0;
  float *before = malloc (sizeof (float) * TO);

  ref = gs_model_clone_params (m, &err);
  gs_test_model_copy_sequence (ref, m);
  gs_model_forward_step (m);
  GS_CHECK (!packs || (m->layer[0].whh_v && m->layer[L - 1].wih_v && m->fc_v),
            "%s H=%d: a batch-1 pass steps through packed weights", gs_cell_name (cell), H);
  gs_model_forward (m);
  forward_rowmajor (ref);
  GS_CHECK (ref->layer[0].whh_v == NULL, "no packed kernel: the pass reads params_mem");
  snprintf (what, sizeof what, "packed step %s L=%d H=%d logits", gs_cell_name (cell), L, H);
  gs_test_close (what, m->logits, ref->logits, TO, 1e-6, 1e-5);
  snprintf (what, sizeof what, "packed step %s L=%d H=%d h", gs_cell_name (cell), L, H);
  gs_test_close (what, m->layer[L - 1].h, ref->layer[L - 1].h, (size_t) T * m->P, 1e-6, 1e-5);

  /* new weights between passes: W_hh of every layer and the head halved */
  memcpy (before, m->logits, sizeof (float) * TO);
  for (int k = 0; k < L; k++)
    scale_both (m->p.layer[k].W_hh, ref->p.layer[k].W_hh, (size_t) m->G * H * m->P, 0.5f);
  scale_both (m->p.W_fc, ref->p.W_fc, (size_t) O * m->P, 0.5f);
  gs_model_rewind (m);
  gs_model_forward (m);
  forward_rowmajor (ref);
  snprintf (what, sizeof what, "packed step %s L=%d H=%d after new weights", gs_cell_name (cell), L, H);
  gs_test_close (what, m->logits, ref->logits, TO, 1e-6, 1e-5);
  GS_CHECK (memcmp (before, m->logits, sizeof (float) * TO) != 0, "%s: new weights change the logits",
            gs_cell_name (cell));

  /* the head doubled after the first step of a pass */
  gs_model_rewind (m);
  gs_model_forward_step (m);
  scale_both (m->p.W_fc, ref->p.W_fc, (size_t) O * m->P, 2.0f);
  gs_model_params_changed (m);
  gs_model_forward (m);
  forward_rowmajor (ref);
  snprintf (what, sizeof what, "packed step %s L=%d H=%d weights written mid-pass", gs_cell_name (cell), L, H);
  gs_test_close (what, m->logits + O, ref->logits + O, TO - O, 1e-6, 1e-5);

  free (before);
  gs_model_free (ref);
  gs_model_free (m);
}

/* The packed copy costs the model's size again: only a model that steps
 * at batch 1 allocates it. */
static void
check_step_pack_memory (void)
{
  GsModel *m = gs_test_model_new (GS_CELL_LSTM, GS_INPUT_ONEHOT, GS_LOSS_CE, 1, 64, 5, 3, 17);
  GsError err = { "" };
  int tokens[5] = { 0, 1, 2, 1, 0 };

  gs_model_forward (m);
  GS_CHECK (m->step_pack == NULL, "a batch-3 model has no batch-1 copy of its weights");
  GS_CHECK (gs_model_set_sequence (m, 5, 1, tokens, NULL, NULL, NULL, NULL, &err) == GS_OK, "%s", err.msg);
  GS_CHECK (gs_gemm_panel () == 0 || m->step_pack != NULL, "its first batch-1 sequence allocates one");
  gs_model_free (m);
}

/* The gradient norm (eight double sums side by side) against one long
 * double sum; clipping scales every gradient by the documented coefficient;
 * gs_floats_finite finds a NaN or an infinity anywhere, block edges too. */
static void
check_norm_and_finite (void)
{
  GsModel *m = gs_test_model_new (GS_CELL_GRU, GS_INPUT_EMBED, GS_LOSS_CE, 2, 13, 4, 2, 23);
  const size_t n = m->n_params;
  float *before = malloc (sizeof (float) * n), *x = malloc (sizeof (float) * 9001);
  long double sq = 0.0L;
  float norm, clipped, coef;
  double rel;
  size_t bad_at[] = { 0, 4095, 4096, 8191, 9000 };
  const float bad[] = { NAN, INFINITY, -INFINITY };

  GS_CHECK (n % 8 != 0, "n_params %zu leaves a remainder after the groups of eight", n);
  for (size_t i = 0; i < n; i++) {
    m->grads_mem[i] = (float) ((double) ((i * 7919) % 2003) / 1001.0 - 1.0) * (i % 3 ? 1.0f : 1e-3f);
    sq += (long double) m->grads_mem[i] * m->grads_mem[i];
  }
  memcpy (before, m->grads_mem, sizeof (float) * n);
  norm = gs_model_clip_grad_norm (m, INFINITY);
  rel = fabs ((double) norm - (double) sqrtl (sq)) / (double) sqrtl (sq);
  GS_CHECK (rel < 1e-7, "gradient norm %.9g, a long-double sum says %.9Lg", (double) norm, sqrtl (sq));
  GS_CHECK (memcmp (before, m->grads_mem, sizeof (float) * n) == 0, "no clipping below the limit");

  clipped = gs_model_clip_grad_norm (m, norm / 4.0f);
  coef = (norm / 4.0f) / (norm + 1e-6f);
  GS_CHECK (clipped == norm, "the norm before clipping is returned");
  for (size_t i = 0; i < n; i++)
    if (!GS_CHECK (m->grads_mem[i] == before[i] * coef, "gradient %zu scaled by %g", i, (double) coef))
      break;
  norm = gs_model_clip_grad_norm (m, INFINITY);
  GS_CHECK (fabsf (norm - clipped / 4.0f) <= 1e-5f * norm, "after clipping the norm is %g, not %g",
            (double) norm, (double) clipped / 4.0);

  for (size_t i = 0; i < 9001; i++)
    x[i] = i % 4 == 0 ? FLT_MAX : i % 4 == 1 ? -0.0f : i % 4 == 2 ? 1e-40f : -3.5f;
  GS_CHECK (gs_floats_finite (x, 9001), "the largest, negative zero, subnormal: finite");
  GS_CHECK (gs_floats_finite (x, 0), "nothing is finite");
  GS_CHECK (gs_model_is_finite (m), "a model with finite weights and gradients");
  for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++)
    for (size_t k = 0; k < sizeof bad_at / sizeof bad_at[0]; k++) {
      float keep = x[bad_at[k]];
      x[bad_at[k]] = bad[b];
      GS_CHECK (!gs_floats_finite (x, 9001), "%g at %zu found", (double) bad[b], bad_at[k]);
      GS_CHECK (gs_floats_finite (x, bad_at[k]), "%g at %zu is past the first %zu", (double) bad[b],
                bad_at[k], bad_at[k]);
      x[bad_at[k]] = keep;
    }
  m->grads_mem[n - 1] = NAN;
  GS_CHECK (!gs_model_is_finite (m), "a NaN in the last gradient");
  free (before);
  free (x);
  gs_model_free (m);
}

static void
check_bad_sequences (void)
{
  GsModel *m = gs_test_model_new (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 1, 4, 3, 1, 5);
  GsError err = { "" };
  int tokens[3] = { 0, 1, 9 }, targets[3] = { 0, 1, 2 };

  GS_CHECK (gs_model_set_sequence (m, 3, 1, tokens, NULL, targets, NULL, NULL, &err) == GS_FAIL
            && strstr (err.msg, "outside the vocabulary"), "token 9 rejected: '%s'", err.msg);
  tokens[2] = 1;
  targets[1] = 4;
  GS_CHECK (gs_model_set_sequence (m, 3, 1, tokens, NULL, targets, NULL, NULL, &err) == GS_FAIL
            && strstr (err.msg, "outside the classes"), "target 4 rejected: '%s'", err.msg);
  GS_CHECK (gs_model_set_sequence (m, 0, 1, tokens, NULL, targets, NULL, NULL, &err) == GS_FAIL,
            "empty sequence rejected");
  GS_CHECK (gs_model_set_sequence (m, 1 << 22, 1 << 10, tokens, NULL, NULL, NULL, NULL, &err) == GS_FAIL
            && strstr (err.msg, "GiB"), "absurd batch refused with a memory message: '%s'", err.msg);
  targets[1] = -1;
  GS_CHECK (gs_model_set_sequence (m, 3, 1, tokens, NULL, targets, NULL, NULL, &err) == GS_OK,
            "valid sequence after errors: %s", err.msg);
  gs_model_forward (m);
  GS_CHECK (m->n_targets == 2 && isfinite (gs_model_loss (m)), "untargeted step excluded from the mean");
  gs_model_free (m);
}

/* ───────────────────────── the cell variants ───────────────────────── */

/* Every cache of every layer direction, bit for bit. */
static bool
same_state (const GsModel *a, const GsModel *b)
{
  const size_t TB = (size_t) a->T * a->B, H = (size_t) a->cfg.H, P = (size_t) a->P, GH = (size_t) a->G * H;
  bool ok = same_bits (a->logits, b->logits, TB * a->cfg.O);

  for (int k = 0; k < a->cfg.L; k++)
    for (int d = 0; d < a->D; d++) {
      const GsLayerState *S = d ? &a->rev[k] : &a->layer[k], *W = d ? &b->rev[k] : &b->layer[k];
      ok &= same_bits (S->pre, W->pre, TB * GH) && same_bits (S->act, W->act, TB * GH);
      ok &= same_bits (S->h, W->h, TB * P) && same_bits (S->dh, W->dh, TB * P);
      ok &= same_bits (S->dpre, W->dpre, TB * GH);
      if (S->c)
        ok &= same_bits (S->c, W->c, TB * H) && same_bits (S->dc, W->dc, TB * H);
      if (S->m)
        ok &= same_bits (S->m, W->m, TB * H);
    }
  return ok;
}

/* Stepping against gs_model_forward/backward for a variant: what a view
 * reads of the stepped parts after step t is final (every layer of a
 * unidirectional model; the top forward direction of a bidirectional one,
 * the rest being computed whole-sequence at the first/last step), and at
 * the end every cache and gradient is bit-identical. */
static void
check_stepping_variant (const char *label, GsCell cell, const GsVariant *v, int L, bool training)
{
  GsModel *whole = gs_test_model_new_variant (cell, GS_INPUT_EMBED, GS_LOSS_CE, L, 6, 7, 3, 177u + (unsigned) cell, v, 1.0f);
  GsModel *step;
  GsError err;
  GsRng rng;
  const int T = whole->T, B = whole->B, P = whole->P, GH = whole->G * whole->cfg.H;
  const size_t BP = (size_t) B * P, BG = (size_t) B * GH;

  if (training) {
    gs_rng_seed (&rng, 5);
    gs_model_set_training (whole, true, &rng);
    gs_test_model_reload (whole);
  }
  gs_model_zero_grad (whole);
  gs_model_forward (whole);
  gs_model_backward (whole);
  step = gs_model_clone_params (whole, &err);
  if (training) {
    gs_rng_seed (&rng, 5);
    gs_model_set_training (step, true, &rng);
  }
  gs_test_model_copy_sequence (step, whole);
  gs_model_zero_grad (step);
  for (int t = 0; t < T; t++) {
    bool ok = true;
    gs_model_forward_step (step);
    for (int k = whole->D == 2 ? L - 1 : 0; k < L; k++) {
      const GsLayerState *S = &step->layer[k], *W = &whole->layer[k];
      ok &= same_bits (S->act + t * BG, W->act + t * BG, BG) && same_bits (S->h + t * BP, W->h + t * BP, BP);
    }
    GS_CHECK (ok, "%s: forward state at t=%d differs from the whole-sequence pass", label, t);
  }
  for (int t = T - 1; t >= 0; t--) {
    bool ok = true;
    gs_model_backward_step (step);
    for (int k = whole->D == 2 ? L - 1 : 0; k < L; k++) {
      const GsLayerState *S = &step->layer[k], *W = &whole->layer[k];
      ok &= same_bits (S->dh + t * BP, W->dh + t * BP, BP) && same_bits (S->dpre + t * BG, W->dpre + t * BG, BG);
    }
    GS_CHECK (ok, "%s: backward state at t=%d differs from the whole-sequence pass", label, t);
  }
  GS_CHECK (step->t_bwd == 0 && !gs_model_backward_step (step), "%s: backward done", label);
  GS_CHECK (same_state (step, whole), "%s: stepped caches differ from the whole-sequence pass", label);
  GS_CHECK (same_bits (step->grads_mem, whole->grads_mem, whole->n_params),
            "%s: stepped gradients differ from whole-sequence gradients", label);
  gs_model_free (step);
  gs_model_free (whole);
}

/* The fast path against stepping for a variant, with the same masks. */
static void
check_fast_variant (const char *label, GsCell cell, const GsVariant *v, int L, int H, int B, bool training)
{
  GsModel *step = gs_test_model_new_variant (cell, GS_INPUT_ONEHOT, GS_LOSS_CE, L, H, 9, B, 15u + (unsigned) cell, v, 1.0f);
  GsModel *fast;
  GsError err;
  GsRng rng;
  char what[160];
  const size_t TB = (size_t) step->T * B;

  if (training) {
    gs_rng_seed (&rng, 9);
    gs_model_set_training (step, true, &rng);
    gs_test_model_reload (step);
  }
  fast = gs_model_clone_params (step, &err);
  if (training) {
    gs_rng_seed (&rng, 9);
    gs_model_set_training (fast, true, &rng);
  }
  gs_test_model_copy_sequence (fast, step);
  gs_model_zero_grad (step);
  gs_model_forward (step);
  gs_model_backward (step);
  gs_model_zero_grad (fast);
  gs_model_forward_seq (fast);
  gs_model_backward_seq (fast);
  GS_CHECK (fast->t_fwd == step->T && fast->t_bwd == 0, "%s: fast path completes", label);
  snprintf (what, sizeof what, "fast path %s logits", label);
  gs_test_close (what, fast->logits, step->logits, TB * step->cfg.O, 1e-6, 1e-5);
  snprintf (what, sizeof what, "fast path %s dL/dh layer 0", label);
  gs_test_close (what, fast->layer[0].dh, step->layer[0].dh, TB * step->P, 1e-7, 1e-4);
  if (step->D == 2) {
    snprintf (what, sizeof what, "fast path %s dL/dh layer 0 reverse", label);
    gs_test_close (what, fast->rev[0].dh, step->rev[0].dh, TB * step->P, 1e-7, 1e-4);
  }
  snprintf (what, sizeof what, "fast path %s gradients", label);
  gs_test_close (what, fast->grads_mem, step->grads_mem, step->n_params, 1e-7, 1e-4);
  gs_model_free (fast);
  gs_model_free (step);
}

typedef struct {
  const char *name;
  GsCell      cell;
  GsVariant   v;
  int         L;
  bool        training;
} StepCase;

static const StepCase step_cases[] = {
  { "lstm peephole",            GS_CELL_LSTM,     { .peephole = true }, 2, false },
  { "lstm cifg",                GS_CELL_LSTM,     { .cifg = true, .peephole = true }, 2, false },
  { "lstm no forget gate",      GS_CELL_LSTM,     { .no_forget_gate = true }, 2, false },
  { "lstm no input gate",       GS_CELL_LSTM,     { .no_input_gate = true, .peephole = true }, 2, false },
  { "lstm no output gate",      GS_CELL_LSTM,     { .no_output_gate = true }, 2, false },
  { "lstm no input activation", GS_CELL_LSTM,     { .no_input_act = true }, 2, false },
  { "lstm no output activation",GS_CELL_LSTM,     { .no_output_act = true, .cell_clip = 0.5f }, 2, false },
  { "lstm full gate recurrence",GS_CELL_LSTM,     { .full_gate_recurrence = true, .peephole = true }, 2, false },
  { "lstm fgr bidirectional",   GS_CELL_LSTM,     { .full_gate_recurrence = true, .bidirectional = true }, 2, false },
  { "lstm fgr bptt 3",          GS_CELL_LSTM,     { .full_gate_recurrence = true, .bptt = 3 }, 1, false },
  { "lstm cell clip",           GS_CELL_LSTM,     { .cell_clip = 0.1f }, 2, false },
  { "lstm proj 4",              GS_CELL_LSTM,     { .proj = 4 }, 3, false },
  { "gru reset before",         GS_CELL_GRU,      { .gru_reset_before = true }, 2, false },
  { "rnn_relu irnn",            GS_CELL_RNN_RELU, { .irnn = true }, 2, false },
  { "rnn_tanh bidirectional",   GS_CELL_RNN_TANH, { .bidirectional = true }, 1, false },
  { "rnn_relu bidirectional",   GS_CELL_RNN_RELU, { .bidirectional = true }, 3, false },
  { "lstm bidirectional proj",  GS_CELL_LSTM,     { .bidirectional = true, .proj = 3, .peephole = true }, 2, false },
  { "gru bidirectional",        GS_CELL_GRU,      { .bidirectional = true }, 2, false },
  { "gru bidir reset before",   GS_CELL_GRU,      { .bidirectional = true, .gru_reset_before = true }, 3, false },
  { "lstm dropout",             GS_CELL_LSTM,     { .dropout = 0.3f, .recurrent_dropout = 0.2f }, 3, true },
  { "gru bidir dropout",        GS_CELL_GRU,      { .dropout = 0.3f, .recurrent_dropout = 0.2f, .bidirectional = true }, 2, true },
  { "gru reset before rdrop",   GS_CELL_GRU,      { .recurrent_dropout = 0.5f, .gru_reset_before = true }, 1, true },
  { "lstm bptt 2",              GS_CELL_LSTM,     { .bptt = 2, .proj = 2 }, 2, false },
  { "rnn_tanh bptt 4",          GS_CELL_RNN_TANH, { .bptt = 4 }, 2, false },
};

static void
check_variants (void)
{
  for (size_t i = 0; i < sizeof step_cases / sizeof step_cases[0]; i++) {
    const StepCase *c = &step_cases[i];
    check_stepping_variant (c->name, c->cell, &c->v, c->L, c->training);
    check_fast_variant (c->name, c->cell, &c->v, c->L, 6, 1, c->training);
    check_fast_variant (c->name, c->cell, &c->v, c->L, 40, 4, c->training);
  }
}

/* ───────────────────────── the stepper ───────────────────────── */

static GsTrainConfig
stepper_config (const char *task, GsCell cell, int L, int H, int B, const GsVariant *v)
{
  GsTrainConfig c;

  gs_train_config_default (&c);
  snprintf (c.task, sizeof c.task, "%s", task);
  c.cell = cell;
  c.L = L;
  c.H = H;
  c.E = 5;
  c.B = B;
  c.seed = 11;
  if (v != NULL)
    c.variant = *v;
  return c;
}

/* Parameters and gradients of a trainer's model(s), and every cache. */
static bool
same_trainer (const GsTrainer *a, const GsTrainer *b)
{
  bool ok = same_bits (a->model->params_mem, b->model->params_mem, a->model->n_params)
            && same_bits (a->model->grads_mem, b->model->grads_mem, a->model->n_params)
            && same_state (a->model, b->model);

  if (a->decoder != NULL)
    ok &= same_bits (a->decoder->params_mem, b->decoder->params_mem, a->decoder->n_params)
          && same_bits (a->decoder->grads_mem, b->decoder->grads_mem, a->decoder->n_params)
          && same_state (a->decoder, b->decoder);
  return ok;
}

/* The reference: one whole sequence on the stepping path, the way a
 * teacher would write it out — encoder forward, the state handed over,
 * decoder forward, decoder backward, its dL/dh_0 handed back, encoder
 * backward, update. */
static void
reference_pass (GsTrainer *tr, GsError *err)
{
  GsModel *enc = tr->model, *dec = tr->decoder;

  gs_model_forward (enc);
  if (dec != NULL) {
    const size_t LBH = (size_t) enc->cfg.L * enc->B * enc->cfg.H;
    gs_model_final_state (enc, tr->state, tr->state + LBH);
    gs_model_set_initial_state (dec, tr->state, tr->state + LBH);
    gs_model_forward (dec);
    gs_model_zero_grad (dec);
    gs_model_backward (dec);
  }
  gs_model_zero_grad (enc);
  if (dec != NULL)
    for (int k = 0; k < enc->cfg.L; k++) {
      memcpy (enc->layer[k].dh_next, dec->layer[k].dh_next, sizeof (float) * enc->B * enc->P);
      if (enc->layer[k].dc_next)
        memcpy (enc->layer[k].dc_next, dec->layer[k].dc_next, sizeof (float) * enc->B * enc->cfg.H);
    }
  gs_model_backward (enc);
  GS_CHECK (gs_trainer_update (tr, err) == GS_OK, "reference update: %s", err->msg);
}

/* A stepper walked through two sequences step by step against the
 * reference: what a view reads after each forward step of either part is
 * final; the parts, timesteps and phases are the lesson's; the whole
 * state after the backward pass and the parameters after the update are
 * the reference's, bit for bit. Then a whole training step (the fast path)
 * equals gs_trainer_step's, and the stepped update is within float32
 * reassociation of the fast path's. */
static void
check_stepper_task (const char *task, GsCell cell, int L, int B, const GsVariant *v)
{
  GsTrainConfig c = stepper_config (task, cell, L, 6, B, v);
  GsError err = { "" };
  GsStepper *s = gs_stepper_new (&c, &err);
  GsTrainer *ref = gs_trainer_new (&c, &err), *fast;
  float *grads0 = NULL;   /* the reference's gradient of the first sequence */
  char what[160];

  snprintf (what, sizeof what, "stepper %s %s L=%d B=%d%s", task, gs_cell_name (cell), L, B,
            v && v->bidirectional ? " bidirectional" : "");
  GS_CHECK (s != NULL && ref != NULL, "%s: built (%s)", what, err.msg);
  if (s == NULL || ref == NULL)
    return;
  for (int seq = 0; seq < 2; seq++) {
    const int T = s->trainer->model->T, M = s->trainer->decoder ? s->trainer->decoder->T : 0;
    const int n = gs_stepper_forward_len (s);
    bool parts_ok = true;

    reference_pass (ref, &err);
    if (seq == 0 && (grads0 = malloc (sizeof (float) * ref->model->n_params)) != NULL)
      memcpy (grads0, ref->model->grads_mem, sizeof (float) * ref->model->n_params);
    GS_CHECK (n == T + M, "%s: %d forward steps per sequence", what, n);
    for (int i = 0; i < n; i++) {
      GsModel *m, *r;
      GsPart want = M == 0 ? GS_PART_NONE : i < T ? GS_PART_ENCODER : GS_PART_DECODER;
      int t, O;
      size_t BO;

      GS_CHECK (gs_stepper_step (s, &err) == GS_OK, "%s: forward step %d: %s", what, i, err.msg);
      t = gs_stepper_t (s);
      parts_ok &= s->phase == GS_PHASE_FORWARD && gs_stepper_part (s) == want && t == (i < T ? i : i - T);
      m = gs_stepper_model (s, gs_stepper_part (s));
      r = gs_stepper_part (s) == GS_PART_DECODER ? ref->decoder : ref->model;
      O = m->cfg.O;
      BO = (size_t) B * O;
      if (M == 0 || want == GS_PART_DECODER)
        GS_CHECK (same_bits (m->logits + t * BO, r->logits + t * BO, BO),
                  "%s: logits after forward step %d are final", what, i);
      if (i < n - 1)
        GS_CHECK (gs_stepper_backward_step (s, &err) == GS_FAIL && err.msg[0],
                  "%s: backward refused mid-forward", what);
    }
    GS_CHECK (gs_stepper_forward_step (s, &err) == GS_FAIL, "%s: no forward step past the end", what);
    GS_CHECK (gs_stepper_update (s, &err) == GS_FAIL, "%s: no update before the backward pass", what);
    GS_CHECK (gs_stepper_loss (s) == gs_model_loss (ref->decoder ? ref->decoder : ref->model),
              "%s: the loss of the stepped sequence", what);
    for (int i = 0; i < n; i++) {
      GsPart want = M == 0 ? GS_PART_NONE : i < M ? GS_PART_DECODER : GS_PART_ENCODER;
      int want_t = M == 0 ? T - 1 - i : i < M ? M - 1 - i : T - 1 - (i - M);
      GS_CHECK (gs_stepper_step (s, &err) == GS_OK, "%s: backward step %d: %s", what, i, err.msg);
      parts_ok &= s->phase == GS_PHASE_BACKWARD && gs_stepper_part (s) == want && gs_stepper_t (s) == want_t;
    }
    GS_CHECK (parts_ok, "%s: the parts and timesteps of the steps", what);
    GS_CHECK (gs_stepper_backward_step (s, &err) == GS_FAIL, "%s: no backward step past t=0", what);
    GS_CHECK (gs_stepper_step (s, &err) == GS_OK && s->phase == GS_PHASE_UPDATED, "%s: update: %s", what, err.msg);
    GS_CHECK (same_trainer (s->trainer, ref), "%s: sequence %d stepped equals the reference bit for bit", what, seq);
    GS_CHECK (s->trainer->epoch == seq + 1 && gs_history_count (s->history) == seq + 1,
              "%s: one update and one history point per sequence", what);
    GS_CHECK (gs_stepper_undo (s, &err) == GS_FAIL && err.msg[0], "%s: an update cannot be undone", what);
    GS_CHECK (gs_stepper_forward_step (s, &err) == GS_FAIL, "%s: a finished sequence refuses a forward step", what);
    gs_trainer_next_batch (ref);
  }

  /* A whole training step: the fast path, as gs_trainer_step. */
  fast = gs_trainer_new (&c, &err);
  for (int e = 0; e < 2; e++) {
    gs_trainer_step (fast, &err);
    if (e == 0 && grads0 != NULL) {
      char close[200];
      snprintf (close, sizeof close, "%s: stepped vs fast gradients", what);
      gs_test_close (close, grads0, fast->model->grads_mem, fast->model->n_params, 1e-6, 1e-4);
    }
  }
  gs_stepper_reset (s, &c, &err);
  for (int e = 0; e < 2; e++)
    GS_CHECK (gs_stepper_train_step (s, &err) == GS_OK, "%s: train step: %s", what, err.msg);
  GS_CHECK (same_bits (s->trainer->model->params_mem, fast->model->params_mem, fast->model->n_params)
            && (!fast->decoder
                || same_bits (s->trainer->decoder->params_mem, fast->decoder->params_mem, fast->decoder->n_params)),
            "%s: two training steps equal gs_trainer_step's bit for bit", what);
  GS_CHECK (gs_history_count (s->history) == 2, "%s: the reset cleared the history", what);
  free (grads0);
  gs_trainer_free (fast);
  gs_trainer_free (ref);
  gs_stepper_free (s);
}

/* Undo at every position of a sequence, then the same step again: the
 * state is the state of never having undone, bit for bit. */
static void
check_stepper_undo (const char *task, GsCell cell, int L, const GsVariant *v)
{
  GsTrainConfig c = stepper_config (task, cell, L, 5, 2, v);
  GsError err = { "" };
  GsStepper *straight = gs_stepper_new (&c, &err);
  int n;

  GS_CHECK (straight != NULL, "stepper %s: %s", task, err.msg);
  if (straight == NULL)
    return;
  n = 2 * gs_stepper_forward_len (straight);
  GS_CHECK (gs_stepper_undo (straight, &err) == GS_FAIL && !gs_stepper_can_undo (straight),
            "%s: nothing to undo before the first step", task);
  for (int k = 1; k <= n; k++) {
    GsStepper *u = gs_stepper_new (&c, &err);
    bool ok = true;

    gs_stepper_step (straight, &err);
    for (int i = 0; i < k; i++)
      ok &= gs_stepper_step (u, &err) == GS_OK;
    ok &= gs_stepper_can_undo (u) && gs_stepper_undo (u, &err) == GS_OK;
    ok &= u->n_fwd + u->n_bwd == k - 1;
    ok &= gs_stepper_step (u, &err) == GS_OK;
    GS_CHECK (ok, "%s %s: undo at step %d: %s", task, gs_cell_name (cell), k, err.msg);
    GS_CHECK (same_trainer (u->trainer, straight->trainer) && u->phase == straight->phase
              && gs_stepper_t (u) == gs_stepper_t (straight) && gs_stepper_part (u) == gs_stepper_part (straight),
              "%s %s L=%d: undone and redone at step %d equals never undone", task, gs_cell_name (cell), L, k);
    gs_stepper_free (u);
  }
  gs_stepper_free (straight);
}

/* N→1: the loss has nothing to count until the last step. */
static void
check_stepper_many_to_one (const char *task)
{
  GsTrainConfig c = stepper_config (task, GS_CELL_LSTM, 1, 4, 1, NULL);
  GsError err = { "" };
  GsStepper *s = gs_stepper_new (&c, &err);
  int n;

  GS_CHECK (s != NULL, "stepper %s: %s", task, err.msg);
  if (s == NULL)
    return;
  n = gs_stepper_forward_len (s);
  for (int i = 0; i < n; i++) {
    gs_stepper_step (s, &err);
    if (i < n - 1 && !GS_CHECK (isnan (gs_stepper_loss (s)), "%s: no loss before the last step (%d)", task, i))
      break;
  }
  GS_CHECK (isfinite (gs_stepper_loss (s)), "%s: the loss at the last step", task);
  gs_stepper_free (s);
}

static void
check_stepper (void)
{
  const GsVariant bi = { .bidirectional = true };
  const GsVariant lstm_proj = { .proj = 3, .peephole = true };

  for (int cell = 0; cell < GS_N_CELLS; cell++) {
    check_stepper_task ("hello", (GsCell) cell, 2, 1, NULL);
    check_stepper_task ("seq2seq", (GsCell) cell, 2, 1, NULL);
    check_stepper_task ("seq2seq:kind=date", (GsCell) cell, 1, 3, NULL);
    check_stepper_task ("temporal_order:length=20", (GsCell) cell, 1, 2, NULL);
    check_stepper_task ("adding:length=6", (GsCell) cell, 2, 2, NULL);
    check_stepper_task ("hello", (GsCell) cell, 2, 1, &bi);
    check_stepper_undo ("seq2seq:length=3", (GsCell) cell, 2, NULL);
    check_stepper_undo ("hello", (GsCell) cell, 1, NULL);
    check_stepper_undo ("hello", (GsCell) cell, 2, &bi);
  }
  check_stepper_task ("seq2seq:kind=date", GS_CELL_LSTM, 2, 1, &lstm_proj);
  check_stepper_many_to_one ("temporal_order:length=20");
  check_stepper_many_to_one ("adding:length=5");
  {
    GsTrainConfig c = stepper_config ("seq2seq", GS_CELL_GRU, 1, 4, 1, &bi);
    GsError err = { "" };
    GsStepper *s = gs_stepper_new (&c, &err);
    GS_CHECK (s == NULL && strstr (err.msg, "bidirectional"), "a bidirectional encoder–decoder is refused: %s", err.msg);
    gs_stepper_free (s);
  }
}

/* The epoch a label names (gs_phase_epoch) follows the course's loop: the
 * pass after the update of epoch 15 is epoch 16 until its own update. */
static void
check_phase_epoch (void)
{
  GsTrainConfig c = stepper_config ("hello", GS_CELL_LSTM, 1, 4, 1, NULL);
  GsError err = { "" };
  GsStepper *s = gs_stepper_new (&c, &err);

  GS_CHECK (s != NULL, "stepper: %s", err.msg);
  if (s == NULL)
    return;
  GS_CHECK (gs_phase_epoch (s->phase, s->trainer->epoch) == 0, "idle at the start: epoch 0");
  for (int e = 0; e < 15; e++)
    GS_CHECK (gs_stepper_train_step (s, &err) == GS_OK, "train step: %s", err.msg);
  GS_CHECK (s->trainer->epoch == 15 && gs_phase_epoch (s->phase, s->trainer->epoch) == 15,
            "after 15 updates the label says 15 (%ld)", gs_phase_epoch (s->phase, s->trainer->epoch));
  GS_CHECK (gs_stepper_step (s, &err) == GS_OK && s->phase == GS_PHASE_FORWARD, "a forward step: %s", err.msg);
  GS_CHECK (gs_phase_epoch (s->phase, s->trainer->epoch) == 16,
            "the next forward pass is epoch 16 (%ld)", gs_phase_epoch (s->phase, s->trainer->epoch));
  while (s->phase != GS_PHASE_UPDATED)
    {
      GS_CHECK (gs_phase_epoch (s->phase, s->trainer->epoch) == 16, "the whole pass is epoch 16");
      if (gs_stepper_step (s, &err) != GS_OK)
        break;
    }
  GS_CHECK (s->phase == GS_PHASE_UPDATED && gs_phase_epoch (s->phase, s->trainer->epoch) == 16,
            "its update is epoch 16 (%ld)", gs_phase_epoch (s->phase, s->trainer->epoch));
  gs_stepper_free (s);
}

int
main (void)
{
  for (int cell = 0; cell < GS_N_CELLS; cell++)
    for (int L = 1; L <= 3; L += 2) {
      check_stepping ((GsCell) cell, GS_INPUT_EMBED, GS_LOSS_CE, L);
      check_stepping ((GsCell) cell, GS_INPUT_ONEHOT, GS_LOSS_CE, L);
      check_stepping ((GsCell) cell, GS_INPUT_DENSE, GS_LOSS_MSE, L);
    }
  for (int cell = 0; cell < GS_N_CELLS; cell++) {
    check_fast_path ((GsCell) cell, GS_INPUT_EMBED, GS_LOSS_CE, 2, 6, 1);
    check_fast_path ((GsCell) cell, GS_INPUT_ONEHOT, GS_LOSS_CE, 3, 40, 4);
    check_fast_path ((GsCell) cell, GS_INPUT_DENSE, GS_LOSS_MSE, 2, 70, 1);
    check_fast_path ((GsCell) cell, GS_INPUT_EMBED, GS_LOSS_CE, 1, 64, 8);
  }
  for (int cell = 0; cell < GS_N_CELLS; cell++) {
    check_packed_stepping ((GsCell) cell, GS_INPUT_ONEHOT, GS_LOSS_CE, 1, 64);
    check_packed_stepping ((GsCell) cell, GS_INPUT_EMBED, GS_LOSS_CE, 2, 70);
    check_packed_stepping ((GsCell) cell, GS_INPUT_DENSE, GS_LOSS_MSE, 3, 64);
    check_fast_path ((GsCell) cell, GS_INPUT_ONEHOT, GS_LOSS_CE, 2, 64, 1);
  }
  check_step_pack_memory ();
  check_norm_and_finite ();
  check_bad_sequences ();
  check_variants ();
  check_stepper ();
  check_phase_epoch ();
  return gs_test_finish ("stepwise");
}
