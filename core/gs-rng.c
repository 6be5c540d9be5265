/* PCG32, XSH RR variant (O'Neill 2014, "PCG: A Family of Simple Fast
 * Space-Efficient Statistically Good Algorithms for Random Number Generation"). */
#include "gs-rng.h"

#include <math.h>

void
gs_rng_seed (GsRng *rng, uint64_t seed)
{
  /* Stream selected from the seed too, so nearby seeds give unrelated streams. */
  rng->state = 0u;
  rng->inc = ((seed ^ 0xda3e39cb94b95bdbull) << 1u) | 1u;
  gs_rng_u32 (rng);
  rng->state += seed;
  gs_rng_u32 (rng);
}

uint32_t
gs_rng_u32 (GsRng *rng)
{
  uint64_t old = rng->state;
  uint32_t xorshifted, rot;

  rng->state = old * 6364136223846793005ull + rng->inc;
  xorshifted = (uint32_t) (((old >> 18u) ^ old) >> 27u);
  rot = (uint32_t) (old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

uint32_t
gs_rng_below (GsRng *rng, uint32_t n)
{
  /* Rejection of the low, over-represented values (Lemire's threshold). */
  uint32_t threshold;

  if (n <= 1)
    return 0;
  threshold = (uint32_t) (-n) % n;
  for (;;) {
    uint32_t r = gs_rng_u32 (rng);
    if (r >= threshold)
      return r % n;
  }
}

static double
uniform01 (GsRng *rng)
{
  /* 53 random bits from two draws: [0, 1). */
  uint64_t hi = gs_rng_u32 (rng) >> 5;   /* 27 bits */
  uint64_t lo = gs_rng_u32 (rng) >> 6;   /* 26 bits */
  return (double) ((hi << 26) | lo) * (1.0 / 9007199254740992.0);
}

float
gs_rng_uniform (GsRng *rng, float lo, float hi)
{
  float v = (float) (lo + (hi - lo) * uniform01 (rng));
  /* Rounding to float can land on hi; keep the interval half-open. */
  return v < hi ? v : lo;
}

float
gs_rng_normal (GsRng *rng)
{
  /* Box–Muller: z = √(−2 ln u1) · cos(2π u2), u1 in (0, 1]. */
  double u1 = 1.0 - uniform01 (rng);
  double u2 = uniform01 (rng);
  return (float) (sqrt (-2.0 * log (u1)) * cos (6.283185307179586 * u2));
}
