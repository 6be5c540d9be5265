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

static void
check_config (GsCell cell, GsInput input, GsLoss loss, int L)
{
  const float h = 1e-2f;
  GsModel *m = gs_test_model_new (cell, input, loss, L, 5, 4, 2, 1000u + (unsigned) (cell * 31 + L * 7 + input));
  float *analytic = malloc (sizeof (float) * m->n_params);
  size_t bad = 0, excused = 0, checked = 0;
  double worst = 0.0;
  GsTensorInfo t[GS_MAX_TENSORS];
  int nt = gs_config_tensors (&m->cfg, t);
  char what[160];

  gs_model_zero_grad (m);
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
      if (cell == GS_CELL_RNN_RELU && fabs (central_difference (m, i, h / 8) - analytic[i]) <= bound) {
        excused++;
        continue;
      }
      if (bad++ < 5)
        fprintf (stderr, "  %s/%s L=%d %s[%zu]: analytic %.6g, finite difference %.6g\n",
                 gs_cell_name (cell), input == GS_INPUT_EMBED ? "embed" : input == GS_INPUT_ONEHOT ? "onehot" : "dense",
                 L, t[k].name, j, (double) analytic[i], fd);
    }
  snprintf (what, sizeof what, "%s %s %s L=%d: %zu of %zu elements off (%zu excused at ReLU kinks), max |diff| %.2e",
            gs_cell_name (cell),
            input == GS_INPUT_EMBED ? "embed" : input == GS_INPUT_ONEHOT ? "onehot" : "dense",
            loss == GS_LOSS_CE ? "ce" : "mse", L, bad, checked, excused, worst);
  printf ("  %s\n", what);
  GS_CHECK (bad == 0 && excused * 20 <= checked, "%s", what);
  /* The gradients are not trivially zero: the check had something to compare. */
  GS_CHECK (worst >= 0.0 && analytic[t[nt - 1].offset] != 0.0f, "%s: fc.bias gradient is zero", what);
  free (analytic);
  gs_model_free (m);
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
  return gs_test_finish ("gradcheck");
}
