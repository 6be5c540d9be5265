/* test-rng — a seed reproduces a stream; the draws have the right law. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gs-rng.h"
#include "gs-test.h"

int
main (void)
{
  GsRng a, b;
  const int N = 200000;
  double sum = 0.0, sum2 = 0.0;
  int counts[7] = { 0 };
  bool same = true, differ = false;
  float lo = 1.0f, hi = -1.0f;

  gs_rng_seed (&a, 42);
  gs_rng_seed (&b, 42);
  for (int i = 0; i < 1000; i++)
    same &= gs_rng_u32 (&a) == gs_rng_u32 (&b);
  GS_CHECK (same, "same seed, same stream");
  gs_rng_seed (&a, 42);
  gs_rng_seed (&b, 43);
  for (int i = 0; i < 1000; i++)
    differ |= gs_rng_u32 (&a) != gs_rng_u32 (&b);
  GS_CHECK (differ, "neighbouring seeds give different streams");

  /* The stream is fixed forever: saved runs and fixtures depend on it. */
  gs_rng_seed (&a, 0);
  {
    uint32_t first = gs_rng_u32 (&a), again;
    gs_rng_seed (&a, 0);
    again = gs_rng_u32 (&a);
    GS_CHECK (first == again && first != 0, "seed 0 first draw reproducible (%u)", first);
  }

  /* U(−0.5, 0.5): mean 0, variance 1/12, within the interval */
  gs_rng_seed (&a, 1);
  for (int i = 0; i < N; i++) {
    float u = gs_rng_uniform (&a, -0.5f, 0.5f);
    sum += u;
    sum2 += (double) u * u;
    lo = u < lo ? u : lo;
    hi = u > hi ? u : hi;
  }
  GS_CHECK (lo >= -0.5f && hi < 0.5f, "uniform stays in [-0.5, 0.5): [%g, %g]", (double) lo, (double) hi);
  /* standard error of the mean: sqrt(1/12 / N) ≈ 6.5e-4; 5 sigma */
  GS_CHECK (fabs (sum / N) < 3.3e-3, "uniform mean %g", sum / N);
  GS_CHECK (fabs (sum2 / N - 1.0 / 12.0) < 2e-3, "uniform variance %g", sum2 / N);

  /* N(0, 1) */
  sum = sum2 = 0.0;
  for (int i = 0; i < N; i++) {
    float z = gs_rng_normal (&a);
    sum += z;
    sum2 += (double) z * z;
  }
  GS_CHECK (fabs (sum / N) < 1.2e-2, "normal mean %g", sum / N);
  GS_CHECK (fabs (sum2 / N - 1.0) < 2e-2, "normal variance %g", sum2 / N);

  /* below(7) is uniform over 0..6: chi-square with 6 degrees of freedom < 22.5 (p = 0.001) */
  for (int i = 0; i < 70000; i++)
    counts[gs_rng_below (&a, 7)]++;
  {
    double chi2 = 0.0;
    for (int k = 0; k < 7; k++)
      chi2 += (counts[k] - 10000.0) * (counts[k] - 10000.0) / 10000.0;
    GS_CHECK (chi2 < 22.5, "below(7) chi-square %g", chi2);
  }
  GS_CHECK (gs_rng_below (&a, 1) == 0 && gs_rng_below (&a, 0) == 0, "below(1) and below(0) are 0");
  return gs_test_finish ("rng");
}
