/* gs-task-series.c — N→N regression on a multi-feature time series.
 *
 * Letters as in gs-model.h: T timesteps, B batch, V input features,
 * O outputs (here O = V: the next step of every feature).
 */
#include <math.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-task-private.h"

#define SERIES_MAX_T 10000
#define SERIES_TOL 0.05f

enum { KIND_SINE, KIND_OHLC };

static const GsTaskParam series_params[] = {
  { "kind", GS_PARAM_CHOICE, "sine", 0, 0, "sine|ohlc",
    N_("sine: 3 mixtures of two sines; ohlc: open/high/low/close of a synthetic price") },
  { "length", GS_PARAM_INT, "50", 4, SERIES_MAX_T, NULL, N_("steps per sequence T") },
  { "noise", GS_PARAM_FLOAT, "0.01", 0, 1, NULL, N_("standard deviation of the added noise") },
};

static int
series_init (GsTask *task, GsError *err)
{
  (void) err;
  task->input = GS_INPUT_DENSE;
  task->loss = GS_LOSS_MSE;
  task->V = task->O = (int) gs_task_num (task, "kind") == KIND_SINE ? 3 : 4;
  task->T = (int) gs_task_num (task, "length");
  task->solve_threshold = NAN;   /* relative to the naive forecast: set when scoring */
  return GS_OK;
}

/* x (T + 1, F) for one sequence; the input is x[0, T), the target x[1, T]. */
static void
series_sequence (float *x, int T, int kind, float noise, GsRng *rng)
{
  if (kind == KIND_SINE) {
    /* x_f(t) = a_f1 sin(ω_f1 t + φ_f1) + a_f2 sin(ω_f2 t + φ_f2) + ε */
    for (int f = 0; f < 3; f++) {
      float a1 = gs_rng_uniform (rng, 0.2f, 0.6f), a2 = gs_rng_uniform (rng, 0.1f, 0.4f);
      float w1 = gs_rng_uniform (rng, 0.1f, 0.4f), w2 = gs_rng_uniform (rng, 0.4f, 0.9f);
      float p1 = gs_rng_uniform (rng, 0.0f, 6.2831853f), p2 = gs_rng_uniform (rng, 0.0f, 6.2831853f);
      for (int t = 0; t <= T; t++)
        x[t * 3 + f] = a1 * sinf (w1 * t + p1) + a2 * sinf (w2 * t + p2) + noise * gs_rng_normal (rng);
    }
  } else {
    /* A price p(t) = 1 + a sin(ω t + φ) + b sin(ω' t + φ') sampled four times
     * per step: open is where the step starts, close where it ends, high and
     * low the extremes of the step, with noise. Features are p − 1. */
    float a = gs_rng_uniform (rng, 0.1f, 0.4f), b = gs_rng_uniform (rng, 0.05f, 0.2f);
    float w = gs_rng_uniform (rng, 0.1f, 0.3f), w2 = gs_rng_uniform (rng, 0.3f, 0.7f);
    float p1 = gs_rng_uniform (rng, 0.0f, 6.2831853f), p2 = gs_rng_uniform (rng, 0.0f, 6.2831853f);
    for (int t = 0; t <= T; t++) {
      float q[4], hi = -INFINITY, lo = INFINITY;
      for (int k = 0; k < 4; k++) {
        float s = t + k / 3.0f;
        q[k] = a * sinf (w * s + p1) + b * sinf (w2 * s + p2) + noise * gs_rng_normal (rng);
        hi = q[k] > hi ? q[k] : hi;
        lo = q[k] < lo ? q[k] : lo;
      }
      x[t * 4 + 0] = q[0];   /* open */
      x[t * 4 + 1] = hi;     /* high */
      x[t * 4 + 2] = lo;     /* low */
      x[t * 4 + 3] = q[3];   /* close */
    }
  }
}

static void
series_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  const int T = batch->T, B = batch->B, F = task->V;
  const int kind = (int) gs_task_num (task, "kind");
  const float noise = (float) gs_task_num (task, "noise");
  float x[(SERIES_MAX_T + 1) * 4];

  for (int b = 0; b < B; b++) {
    series_sequence (x, T, kind, noise, rng);
    for (int t = 0; t < T; t++) {
      memcpy (batch->xs + ((size_t) t * B + b) * F, x + (size_t) t * F, sizeof (float) * F);
      memcpy (batch->ys + ((size_t) t * B + b) * F, x + (size_t) (t + 1) * F, sizeof (float) * F);
      batch->ymask[(size_t) t * B + b] = 1;
    }
  }
}

/* Solved when the MSE is below a quarter of the naive forecast's
 * ("tomorrow is today": ŷ_{t+1} = x_t). */
static void
series_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  const size_t n = (size_t) batch->T * batch->B * task->V;
  double naive = 0.0;

  (void) dec;
  gs_task_score_mse (task, m, SERIES_TOL, ev);
  for (size_t i = 0; i < n; i++) {
    double d = batch->ys[i] - batch->xs[i];
    naive += d * d;
  }
  ev->baseline = (float) (naive / (double) n);
  ev->threshold = 0.25f * ev->baseline;
}

const GsTaskClass gs_task_series = {
  .name = "series",
  .title = N_("Forecast a time series"),
  .shape = "N→N",
  .description = N_("Read a multi-feature series (three sine mixtures, or the open/high/low/close of a "
                    "synthetic price) and predict every feature's next value at every step. Metric: test "
                    "MSE; the baseline is the naive forecast (the next value equals this one); solved below "
                    "a quarter of it."),
  .params = series_params,
  .n_params = 3,
  .init = series_init,
  .fill = series_fill,
  .score = series_score,
  .eval_B = 200,
  .next_element = true,
};
