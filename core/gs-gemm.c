/* gs-gemm.c — matrix products with one operand packed ahead of time.
 *
 * The micro-kernel keeps an R × w tile of C in vector registers (R rows of
 * A, one panel of w columns of B) and, for each k, broadcasts A[r][k] and
 * multiply-adds it with the panel's row k: 2R fused multiply-adds for two
 * vector loads and R broadcasts. AVX-512: R = 8, w = 32, 16 accumulators of
 * the 32 registers; AVX2: R = 6, w = 16, 12 of the 16. K runs in chunks of
 * KC so that a panel's chunk (32 KiB at w = 32) stays in L1 while every row
 * block of A passes over it.
 *
 * Measured on the development VM (AMD EPYC with full-width AVX-512, one
 * thread), for the LSTM's per-timestep product at H = 512 (M 32, N 2048,
 * K 512): OpenBLAS 0.3.21's sgemm 97 GFLOP/s (it packs W at every call),
 * the AVX2 kernel here 118, the AVX-512 kernel 262.
 */
#include "gs-gemm.h"

#include <math.h>
#include <string.h>

int gs_gemm_force_panel = -1;

#define KC 256   /* rows of a panel per pass */

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define GS_GEMM_X86 1
#endif

int
gs_gemm_panel (void)
{
  static int cpu = -1;

  if (gs_gemm_force_panel >= 0)
    return gs_gemm_force_panel;
  if (cpu < 0) {
#ifdef GS_GEMM_X86
    cpu = __builtin_cpu_supports ("avx512f") ? 32
          : __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma") ? 16 : 0;
#else
    cpu = 0;
#endif
  }
  return cpu;
}

size_t
gs_gemm_packed_size (int K, int N)
{
  const int w = gs_gemm_panel ();

  return w > 0 ? (size_t) ((N + w - 1) / w) * (size_t) w * (size_t) K : 0;
}

/* P[p][k][j] = W[k][p·w + j], 0 past N */
void
gs_gemm_pack (float *P, const float *W, int K, int N)
{
  const int w = gs_gemm_panel ();

  for (int p = 0; p * w < N; p++) {
    const int cols = N - p * w < w ? N - p * w : w;
    float *dst = P + (size_t) p * K * w;
    for (int k = 0; k < K; k++) {
      memcpy (dst + (size_t) k * w, W + (size_t) k * N + (size_t) p * w, sizeof (float) * cols);
      memset (dst + (size_t) k * w + cols, 0, sizeof (float) * (w - cols));
    }
  }
}

/* P[p][k][j] = W[p·w + j][k], 0 past N; eight k at a time, so that the
 * reads (along rows of W) and the writes (down a panel) stay in few lines. */
static void
pack_t (float *P, const float *W, int N, int K, int w)
{
  for (int p = 0; p * w < N; p++) {
    const int cols = N - p * w < w ? N - p * w : w;
    float *dst = P + (size_t) p * K * w;
    for (int k0 = 0; k0 < K; k0 += 8) {
      const int kn = K - k0 < 8 ? K - k0 : 8;
      for (int j = 0; j < w; j++) {
        const float *src = W + (size_t) (p * w + j) * K + k0;
        for (int kk = 0; kk < kn; kk++)
          dst[(size_t) (k0 + kk) * w + j] = j < cols ? src[kk] : 0.0f;
      }
    }
  }
}

void
gs_gemm_pack_t (float *P, const float *W, int N, int K)
{
  pack_t (P, W, N, K, gs_gemm_panel ());
}

#ifdef GS_GEMM_X86

/* ───────────── AVX-512: tiles of R ≤ 8 rows × 32 columns ───────────── */

/* C[r][0 … cols) (R rows, stride ldc) = init (C itself when load_c, else
 * the bias row init, else 0) + Σ_k A(r, k)·P[k][·] over kc rows of P, where
 * A(r, k) = A[r·sr + k·sk]: A row-major (sr = its row stride, sk = 1) or
 * transposed (sr = 1, sk = the row stride of Aᵀ). */
__attribute__ ((target ("avx512f"), always_inline)) static inline void
tile512 (float *C, int ldc, const float *A, size_t sr, size_t sk, const float *P, int kc,
         const float *init, bool load_c, int cols, const int R)
{
  const __mmask16 m0 = cols >= 16 ? 0xFFFF : (__mmask16) ((1u << cols) - 1);
  const __mmask16 m1 = cols >= 32 ? 0xFFFF : cols <= 16 ? 0 : (__mmask16) ((1u << (cols - 16)) - 1);
  __m512 c0[8], c1[8];

#pragma GCC unroll 8
  for (int r = 0; r < R; r++) {
    if (load_c) {
      c0[r] = _mm512_maskz_loadu_ps (m0, C + (size_t) r * ldc);
      c1[r] = _mm512_maskz_loadu_ps (m1, C + (size_t) r * ldc + 16);
    } else if (init) {
      c0[r] = _mm512_maskz_loadu_ps (m0, init);
      c1[r] = _mm512_maskz_loadu_ps (m1, init + 16);
    } else {
      c0[r] = _mm512_setzero_ps ();
      c1[r] = _mm512_setzero_ps ();
    }
  }
  for (int k = 0; k < kc; k++) {
    const __m512 b0 = _mm512_loadu_ps (P + (size_t) k * 32), b1 = _mm512_loadu_ps (P + (size_t) k * 32 + 16);
#pragma GCC unroll 8
    for (int r = 0; r < R; r++) {
      const __m512 a = _mm512_set1_ps (A[r * sr + (size_t) k * sk]);
      c0[r] = _mm512_fmadd_ps (a, b0, c0[r]);
      c1[r] = _mm512_fmadd_ps (a, b1, c1[r]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; r++) {
    _mm512_mask_storeu_ps (C + (size_t) r * ldc, m0, c0[r]);
    _mm512_mask_storeu_ps (C + (size_t) r * ldc + 16, m1, c1[r]);
  }
}

#define TILE512(R)                                                                         \
  __attribute__ ((target ("avx512f"))) static void                                         \
  tile512_##R (float *C, int ldc, const float *A, size_t sr, size_t sk, const float *P,   \
               int kc, const float *init, bool load_c, int cols)                           \
  { tile512 (C, ldc, A, sr, sk, P, kc, init, load_c, cols, R); }
TILE512 (8)
TILE512 (4)
TILE512 (2)
TILE512 (1)

/* ───────────── AVX2: tiles of R ≤ 6 rows × 16 columns ───────────── */

__attribute__ ((target ("avx2,fma"), always_inline)) static inline __m256i
mask256 (int cols)
{
  const __m256i lane = _mm256_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7);

  return _mm256_cmpgt_epi32 (_mm256_set1_epi32 (cols), lane);
}

__attribute__ ((target ("avx2,fma"), always_inline)) static inline void
tile256 (float *C, int ldc, const float *A, size_t sr, size_t sk, const float *P, int kc,
         const float *init, bool load_c, int cols, const int R)
{
  const __m256i m0 = mask256 (cols), m1 = mask256 (cols - 8);
  __m256 c0[6], c1[6];

#pragma GCC unroll 6
  for (int r = 0; r < R; r++) {
    if (load_c) {
      c0[r] = _mm256_maskload_ps (C + (size_t) r * ldc, m0);
      c1[r] = _mm256_maskload_ps (C + (size_t) r * ldc + 8, m1);
    } else if (init) {
      c0[r] = _mm256_maskload_ps (init, m0);
      c1[r] = _mm256_maskload_ps (init + 8, m1);
    } else {
      c0[r] = _mm256_setzero_ps ();
      c1[r] = _mm256_setzero_ps ();
    }
  }
  for (int k = 0; k < kc; k++) {
    const __m256 b0 = _mm256_loadu_ps (P + (size_t) k * 16), b1 = _mm256_loadu_ps (P + (size_t) k * 16 + 8);
#pragma GCC unroll 6
    for (int r = 0; r < R; r++) {
      const __m256 a = _mm256_broadcast_ss (A + r * sr + (size_t) k * sk);
      c0[r] = _mm256_fmadd_ps (a, b0, c0[r]);
      c1[r] = _mm256_fmadd_ps (a, b1, c1[r]);
    }
  }
#pragma GCC unroll 6
  for (int r = 0; r < R; r++) {
    _mm256_maskstore_ps (C + (size_t) r * ldc, m0, c0[r]);
    _mm256_maskstore_ps (C + (size_t) r * ldc + 8, m1, c1[r]);
  }
}

#define TILE256(R)                                                                         \
  __attribute__ ((target ("avx2,fma"))) static void                                        \
  tile256_##R (float *C, int ldc, const float *A, size_t sr, size_t sk, const float *P,   \
               int kc, const float *init, bool load_c, int cols)                           \
  { tile256 (C, ldc, A, sr, sk, P, kc, init, load_c, cols, R); }
TILE256 (6)
TILE256 (4)
TILE256 (2)
TILE256 (1)

typedef void (*Tile) (float *C, int ldc, const float *A, size_t sr, size_t sk, const float *P,
                      int kc, const float *init, bool load_c, int cols);

/* One chunk of one panel against all M rows of A: the biggest tile down
 * the rows, then halves for what is left. */
static void
panel_chunk (float *C, int ldc, const float *A, size_t sr, size_t sk, const float *P, int kc,
             const float *init, bool load_c, int cols, int M, int w)
{
  const Tile big = w == 32 ? tile512_8 : tile256_6;
  const Tile four = w == 32 ? tile512_4 : tile256_4;
  const Tile two = w == 32 ? tile512_2 : tile256_2;
  const Tile one = w == 32 ? tile512_1 : tile256_1;
  const int R = w == 32 ? 8 : 6;
  int m = 0;

  for (; m + R <= M; m += R)
    big (C + (size_t) m * ldc, ldc, A + m * sr, sr, sk, P, kc, init, load_c, cols);
  for (; m + 4 <= M; m += 4)
    four (C + (size_t) m * ldc, ldc, A + m * sr, sr, sk, P, kc, init, load_c, cols);
  for (; m + 2 <= M; m += 2)
    two (C + (size_t) m * ldc, ldc, A + m * sr, sr, sk, P, kc, init, load_c, cols);
  for (; m < M; m++)
    one (C + (size_t) m * ldc, ldc, A + m * sr, sr, sk, P, kc, init, load_c, cols);
}

#endif /* GS_GEMM_X86 */

/* C (M, N) = A·P + bias or += A·P, A(m, k) = A[m·sr + k·sk] */
static void
gemm_packed (float *C, int ldc, const float *A, size_t sr, size_t sk, const float *P,
             const float *bias, bool accumulate, int M, int N, int K)
{
  const int w = gs_gemm_panel ();

  if (K == 0) {
    if (!accumulate)
      for (int m = 0; m < M; m++)
        for (int n = 0; n < N; n++)
          C[(size_t) m * ldc + n] = bias ? bias[n] : 0.0f;
    return;
  }
#ifdef GS_GEMM_X86
  if (w != 16 && w != 32)
    return;
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = K - k0 < KC ? K - k0 : KC;
    const bool load_c = accumulate || k0 > 0;
    for (int p = 0; p * w < N; p++) {
      const int cols = N - p * w < w ? N - p * w : w;
      panel_chunk (C + (size_t) p * w, ldc, A + (size_t) k0 * sk, sr, sk,
                   P + ((size_t) p * K + (size_t) k0) * w, kc,
                   bias && !load_c ? bias + (size_t) p * w : NULL, load_c, cols, M, w);
    }
  }
#else
  (void) w; (void) C; (void) ldc; (void) A; (void) sr; (void) sk; (void) P;
#endif
}

void
gs_gemm_packed (float *C, int ldc, const float *A, int lda, const float *P,
                const float *bias, bool accumulate, int M, int N, int K)
{
  gemm_packed (C, ldc, A, (size_t) lda, 1, P, bias, accumulate, M, N, K);
}

/* C (M, N) (+)= Aᵀ·P, A (K, M). Reading Aᵀ in place broadcasts from a new
 * row of A at every k, lda floats apart — a power of two in most layers,
 * so the rows of a chunk fall into one L1 set and miss every time. So the
 * loops run chunk of K → block of R rows of C → panel, and each block's
 * chunk of A is first copied into a small buffer (Ablk[k][r], R·KC floats,
 * in L1) that every panel then reads contiguously. */
void
gs_gemm_packed_tn (float *C, int ldc, const float *A, int lda, const float *P,
                   bool accumulate, int M, int N, int K)
{
  const int w = gs_gemm_panel ();

  if (K == 0 || (w != 16 && w != 32)) {
    gemm_packed (C, ldc, A, 1, (size_t) lda, P, NULL, accumulate, M, N, K);
    return;
  }
#ifdef GS_GEMM_X86
  {
    const int R = w == 32 ? 8 : 6;
    float ablk[8 * KC];

    for (int k0 = 0; k0 < K; k0 += KC) {
      const int kc = K - k0 < KC ? K - k0 : KC;
      const bool load_c = accumulate || k0 > 0;
      for (int m0 = 0; m0 < M; m0 += R) {
        const int rows = M - m0 < R ? M - m0 : R;
        if (rows == R)
          for (int k = 0; k < kc; k++)
            memcpy (ablk + k * R, A + (size_t) (k0 + k) * lda + m0, sizeof (float) * R);
        else
          for (int k = 0; k < kc; k++) {
            const float *src = A + (size_t) (k0 + k) * lda + m0;
            for (int r = 0; r < R; r++)
              ablk[k * R + r] = r < rows ? src[r] : 0.0f;
          }
        for (int p = 0; p * w < N; p++) {
          const int cols = N - p * w < w ? N - p * w : w;
          panel_chunk (C + (size_t) m0 * ldc + (size_t) p * w, ldc, ablk, 1, (size_t) R,
                       P + ((size_t) p * K + (size_t) k0) * w, kc, NULL, load_c, cols, rows, w);
        }
      }
    }
  }
#endif
}

/* ───────────────────────── batch 1 ───────────────────────── */

#define GV 32   /* outputs per gemv panel */

/* The width of the panel that starts at output n: 32, or 16 for a last
 * panel of at most 16 outputs. */
static int
gemv_width (int N, int n)
{
  return N - n > 16 ? GV : 16;
}

bool
gs_gemv_packed_ok (int N, int K)
{
  return gs_gemm_panel () > 0 && (long) N * K >= 4096;
}

size_t
gs_gemv_packed_size (int N, int K)
{
  const int full = N / GV * GV;

  return ((size_t) full + (N > full ? (size_t) gemv_width (N, full) : 0)) * (size_t) K;
}

/* Panels of 32 outputs (pack_t), the last one 16 wide when 16 or fewer
 * outputs are left. */
void
gs_gemv_pack (float *P, const float *W, int N, int K)
{
  const int full = N / GV * GV;

  pack_t (P, W, full, K, GV);
  if (N > full)
    pack_t (P + (size_t) full * K, W + (size_t) full * K, N - full, K, gemv_width (N, full));
}

#ifdef GS_GEMM_X86

/* Outputs n … n+cols of y (cols ≤ 16·HALVES) from their panel w (rows of
 * 16·HALVES floats): each 16-float half in four chains (gs-gemm.h); two
 * halves make eight chains, enough to cover the FMA latency. */
__attribute__ ((target ("avx512f"), always_inline)) static inline void
gemv512 (float *y, const float *x, const float *w, const float *bias, int n, int K, int cols,
         const int HALVES)
{
  const int step = 16 * HALVES;
  __m512 s[2][4];
  int k = 0;

  for (int h = 0; h < HALVES; h++)
    s[h][0] = s[h][1] = s[h][2] = s[h][3] = _mm512_setzero_ps ();
  /* eight k per pass, each chain advanced twice: a single-gate product
   * (256 × 256) streamed at 266 GB/s where four k per pass reached 214 */
  for (; k + 8 <= K; k += 8, w += 8 * step) {
#pragma GCC unroll 8
    for (int j = 0; j < 8; j++) {
      const __m512 xj = _mm512_set1_ps (x[k + j]);
#pragma GCC unroll 2
      for (int h = 0; h < HALVES; h++)
        s[h][j & 3] = _mm512_fmadd_ps (_mm512_loadu_ps (w + j * step + 16 * h), xj, s[h][j & 3]);
    }
  }
  for (int j = 0; k < K; k++, j = (j + 1) & 3, w += step) {
    const __m512 xj = _mm512_set1_ps (x[k]);
#pragma GCC unroll 2
    for (int h = 0; h < HALVES; h++)
      s[h][j] = _mm512_fmadd_ps (_mm512_loadu_ps (w + 16 * h), xj, s[h][j]);
  }
#pragma GCC unroll 2
  for (int h = 0; h < HALVES; h++) {
    const int left = cols - 16 * h;
    const __mmask16 mask = left >= 16 ? 0xFFFF : (__mmask16) ((1u << left) - 1);
    __m512 sum = _mm512_add_ps (_mm512_add_ps (s[h][0], s[h][1]), _mm512_add_ps (s[h][2], s[h][3]));
    if (bias)
      sum = _mm512_add_ps (sum, _mm512_maskz_loadu_ps (mask, bias + n + 16 * h));
    _mm512_mask_storeu_ps (y + n + 16 * h, mask, sum);
  }
}

__attribute__ ((target ("avx512f"))) static void
gemv512_32 (float *y, const float *x, const float *w, const float *bias, int n, int K, int cols)
{
  gemv512 (y, x, w, bias, n, K, cols, 2);
}

__attribute__ ((target ("avx512f"))) static void
gemv512_16 (float *y, const float *x, const float *w, const float *bias, int n, int K, int cols)
{
  gemv512 (y, x, w, bias, n, K, cols, 1);
}

/* The same with 8-float vectors, 16 columns per pass (two passes over a
 * 32-wide panel, each reading every other cache line of it): the same
 * chains, the same bits. */
__attribute__ ((target ("avx2,fma"))) static void
gemv256 (float *y, const float *x, const float *w0, const float *bias, int n0, int K, int cols,
         int step)
{
  for (int c0 = 0; c0 < cols; c0 += 16) {
    const float *w = w0 + c0;
    const int n = n0 + c0;
    const __m256i m0 = mask256 (cols - c0), m1 = mask256 (cols - c0 - 8);
    __m256 s[2][4];
    int k = 0;

    for (int h = 0; h < 2; h++)
      s[h][0] = s[h][1] = s[h][2] = s[h][3] = _mm256_setzero_ps ();
    for (; k + 4 <= K; k += 4, w += 4 * step) {
#pragma GCC unroll 4
      for (int j = 0; j < 4; j++) {
        const __m256 xj = _mm256_broadcast_ss (x + k + j);
        s[0][j] = _mm256_fmadd_ps (_mm256_loadu_ps (w + j * step), xj, s[0][j]);
        s[1][j] = _mm256_fmadd_ps (_mm256_loadu_ps (w + j * step + 8), xj, s[1][j]);
      }
    }
    for (int j = 0; k < K; k++, j++, w += step) {
      const __m256 xj = _mm256_broadcast_ss (x + k);
      s[0][j] = _mm256_fmadd_ps (_mm256_loadu_ps (w), xj, s[0][j]);
      s[1][j] = _mm256_fmadd_ps (_mm256_loadu_ps (w + 8), xj, s[1][j]);
    }
    for (int h = 0; h < 2; h++) {
      const __m256i mask = h ? m1 : m0;
      __m256 sum = _mm256_add_ps (_mm256_add_ps (s[h][0], s[h][1]), _mm256_add_ps (s[h][2], s[h][3]));
      if (bias)
        sum = _mm256_add_ps (sum, _mm256_maskload_ps (bias + n + 8 * h, mask));
      _mm256_maskstore_ps (y + n + 8 * h, mask, sum);
    }
  }
}

#endif /* GS_GEMM_X86 */

/* Panel at outputs n … n+cols in scalars, in the same order: what runs
 * without the vector kernels (only when a test switches them off under a
 * packed matrix; callers pack only where gs_gemm_panel () > 0). fmaf is
 * exact, so the bits are the kernels'. */
static void
gemv_scalar (float *y, const float *x, const float *w, const float *bias, int n, int K, int cols,
             int width)
{
  for (int c = 0; c < cols; c++) {
    float s[4] = { 0.0f, 0.0f, 0.0f, 0.0f }, sum;
    for (int k = 0; k < K; k++)
      s[k % 4] = fmaf (w[(size_t) k * width + c], x[k], s[k % 4]);
    sum = (s[0] + s[1]) + (s[2] + s[3]);
    y[n + c] = bias ? sum + bias[n + c] : sum;
  }
}

void
gs_gemv_packed (float *y, const float *x, const float *P, const float *bias, int N, int K,
                bool reverse)
{
  const int panels = (N + GV - 1) / GV, w = gs_gemm_panel ();

  for (int i = 0; i < panels; i++) {
    const int q = reverse ? panels - 1 - i : i, n = q * GV, cols = N - n < GV ? N - n : GV;
    const int width = gemv_width (N, n);
    const float *panel = P + (size_t) n * K;
#ifdef GS_GEMM_X86
    if (w == 16) {
      gemv256 (y, x, panel, bias, n, K, cols, width);
      continue;
    }
    if (w == 32) {
      (width == GV ? gemv512_32 : gemv512_16) (y, x, panel, bias, n, K, cols);
      continue;
    }
#endif
    (void) w;
    gemv_scalar (y, x, panel, bias, n, K, cols, width);
  }
}
