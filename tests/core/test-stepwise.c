/* test-stepwise — stepping through time gives exactly the whole-sequence result.
 *
 * The GUI advances the model one timestep at a time, forward and backward,
 * and draws what it reads after each step; training runs the whole sequence.
 * Both must be the same computation: the values read mid-way must be the
 * final values (bit for bit), and the final gradients must be identical. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  check_bad_sequences ();
  return gs_test_finish ("stepwise");
}
