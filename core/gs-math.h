/* gs-math.h — exp, sigmoid and tanh that the compiler can vectorise.
 *
 * glibc's expf/tanhf are scalar calls: in the gate loops they cost more
 * than the arithmetic around them (13–47% of a training step in the
 * profiles of bench/). These are branch-free, so a loop over units
 * becomes SIMD code, and accurate to about 2 ulp:
 *
 *   exp:  x = n·ln2 + r, |r| ≤ ln2/2 (ln2 split in two for exactness);
 *         e^r by the degree-6 minimax polynomial of Cephes' expf
 *         (Moshier 1989); 2^n assembled in the exponent bits.
 *   tanh: |x| < 0.625: x + x³·P(x²) (Cephes' tanhf polynomial), where
 *         1 − 2/(e^{2x}+1) would lose digits to cancellation;
 *         otherwise 1 − 2/(e^{2|x|}+1) with the sign restored.
 *
 * test-cells compares them with libm over their whole range.
 */
#pragma once

#include <stdint.h>
#include <string.h>

static inline float
gs_expf (float x)
{
  const float log2e = 1.44269504088896341f;
  const float ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;
  const float round = 12582912.0f;   /* 1.5·2^23: adding it rounds to an integer */
  float n, r, p, scale;
  int32_t bits;

  x = x < -87.0f ? -87.0f : x;       /* e^-87 is still a normal float */
  x = x > 88.0f ? 88.0f : x;         /* e^88 < FLT_MAX; a NaN passes both */
  n = (x * log2e + round) - round;
  n = n == n ? n : 0.0f;             /* NaN: keep the exponent defined; r and the result stay NaN */
  r = x - n * ln2_hi;
  r = r - n * ln2_lo;
  p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  bits = (int32_t) ((uint32_t) ((int32_t) n + 127) << 23);   /* n + 127 is in [1, 254] */
  memcpy (&scale, &bits, sizeof scale);
  return p * scale;
}

/* σ(x) = 1 / (1 + e^−x) */
static inline float
gs_sigmoidf (float x)
{
  return 1.0f / (1.0f + gs_expf (-x));
}

static inline float
gs_tanhf (float x)
{
  float a = x < 0.0f ? -x : x;
  float z = x * x;
  float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z
                  + 1.33314422036e-1f) * z - 3.33332819422e-1f) * z * x + x;
  float big = 1.0f - 2.0f / (gs_expf (2.0f * a) + 1.0f);

  big = x < 0.0f ? -big : big;
  return a < 0.625f ? small : big;
}
