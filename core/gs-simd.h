/* gs-simd.h — the unit loops in two vector widths.
 *
 * The gate loops of gs-cell.c and the softmax of gs-model.c are plain C
 * that GCC vectorises (gs-math.h makes exp, σ and tanh branch-free). Each
 * is written once, as an always-inlined body, and compiled twice:
 *
 *   name        AVX2 (8 floats) where the CPU has it, else the x86-64
 *               baseline (target_clones picks one when the program loads);
 *   name_wide   AVX-512 (16 floats).
 *
 * Which one runs depends on the loop's length as well as on the CPU:
 * AVX-512 made the char-LM LSTM at H = 128 13% faster and the LSTM step at
 * H = 64 18% faster, but the hello LSTM (H = 8, a loop of 8) 25% slower,
 * so a loop shorter than GS_SIMD_WIDE_MIN stays narrow (Zen 4, GCC 12,
 * `gatescope-cli bench`). Both compile the same operations in the same
 * order without contraction (-std=c11 turns -ffp-contract off), so they
 * give the same bits; test-seq checks it.
 */
#pragma once

#include <stdbool.h>

#define GS_SIMD_WIDE_MIN 16

/* Forces the narrow loops (tests only). */
extern bool gs_simd_force_narrow;

/* Not under ThreadSanitizer: target_clones' resolver runs when the
 * program is loaded, before the TSan runtime, and the program crashed
 * before main (even for --help). The narrow loops are the same code. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)

#define GS_SIMD_BODY static inline __attribute__ ((always_inline))

/* static void name params, in both widths, each calling name_body args. */
#define GS_SIMD_VARIANTS(name, params, args)                                     \
  __attribute__ ((target_clones ("avx2", "default"))) static void name params   \
  { name##_body args; }                                                          \
  __attribute__ ((target ("avx512f"))) static void name##_wide params            \
  { name##_body args; }

static inline bool
gs_simd_wide (int n)
{
  static int have = -1;

  if (have < 0)
    have = __builtin_cpu_supports ("avx512f");
  return have && n >= GS_SIMD_WIDE_MIN && !gs_simd_force_narrow;
}

/* The variant of name for a loop of n. */
#define GS_SIMD_PICK(name, n) (gs_simd_wide (n) ? name##_wide : name)

#else

#define GS_SIMD_BODY static inline
#define GS_SIMD_VARIANTS(name, params, args) static void name params { name##_body args; }
#define GS_SIMD_PICK(name, n) name

static inline bool
gs_simd_wide (int n)
{
  (void) n;
  return false;
}

#endif
