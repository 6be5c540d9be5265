/* gs-rng.h — the engine's only source of randomness.
 *
 * PCG32 (O'Neill 2014): small state, good statistics, and the same stream on
 * every platform, so a seed reproduces a run bit for bit. Every function
 * that needs randomness takes a GsRng * — nothing in core/ keeps hidden
 * random state.
 */
#pragma once

#include <stdint.h>

typedef struct {
  uint64_t state;
  uint64_t inc;
} GsRng;

void     gs_rng_seed    (GsRng *rng, uint64_t seed);
uint32_t gs_rng_u32     (GsRng *rng);
/* Uniform integer in [0, n), without modulo bias. */
uint32_t gs_rng_below   (GsRng *rng, uint32_t n);
/* Uniform float in [lo, hi). */
float    gs_rng_uniform (GsRng *rng, float lo, float hi);
/* Standard normal N(0, 1) (Box–Muller, no cached second value). */
float    gs_rng_normal  (GsRng *rng);
