#include "gs-blas.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "gs-gemm.h"

bool gs_blas_force_naive = false;

void
gs_blas_init (void)
{
  const char *env = getenv ("OPENBLAS_NUM_THREADS");

  if (env == NULL || *env == '\0')
    openblas_set_num_threads (1);
}

/* Below this many multiply-adds a plain loop beats the BLAS call overhead.
 * Measured with `gatescope-cli bench --suite hello` and `--suite step`
 * (OpenBLAS 0.3.21, Zen 4, -O2): the scalar loops below lose to OpenBLAS
 * from about 64 multiply-adds on (at 4096 the hello LSTM/GRU training step
 * was 25–30% slower than at 64; stepping at H 8 did not change). */
#define NAIVE_MAX_FLOPS 64

static bool
use_naive (int B, int N, int K)
{
  return gs_blas_force_naive || (long) B * N * K <= NAIVE_MAX_FLOPS;
}

void
gs_linear_forward_naive (float *y, const float *x, const float *W, const float *bias,
                         int B, int N, int K)
{
  for (int b = 0; b < B; b++)
    for (int n = 0; n < N; n++) {
      const float *w = W + (size_t) n * K;
      const float *xb = x + (size_t) b * K;
      float acc = 0.0f;
      for (int k = 0; k < K; k++)
        acc += xb[k] * w[k];
      y[(size_t) b * N + n] = bias ? acc + bias[n] : acc;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GS_HAVE_AVX2_GEMV 1

/* Rows n … n+3 of y from their 8-wide accumulators: each row's lanes summed
 * as ((0+1)+(2+3))+((4+5)+(6+7)), then the K mod 8 tail, then the bias. */
__attribute__ ((target ("avx2,fma"))) static inline void
gemv_finish4 (float *restrict y, __m256 a0, __m256 a1, __m256 a2, __m256 a3,
              const float *restrict w0, const float *restrict x, const float *restrict bias,
              int n, int K8, int K)
{
  const float *w1 = w0 + K, *w2 = w1 + K, *w3 = w2 + K;
  __m128 lo, hi, s;

  a0 = _mm256_hadd_ps (a0, a1);
  a2 = _mm256_hadd_ps (a2, a3);
  a0 = _mm256_hadd_ps (a0, a2);
  lo = _mm256_castps256_ps128 (a0);
  hi = _mm256_extractf128_ps (a0, 1);
  s = _mm_add_ps (lo, hi);   /* row sums n … n+3 */
  for (int k = K8; k < K; k++)
    s = _mm_add_ps (s, _mm_mul_ps (_mm_set_ps (w3[k], w2[k], w1[k], w0[k]), _mm_set1_ps (x[k])));
  if (bias)
    s = _mm_add_ps (s, _mm_loadu_ps (bias + n));
  _mm_storeu_ps (y + n, s);
}

/* y (N) = W (N, K)·x (K) + bias with 8-wide FMA accumulators, one per row:
 * what one timestep at batch 1 needs (the GUI's step). For these sizes
 * OpenBLAS's sgemv spends more in set-up than in arithmetic (half of a
 * 2.2 µs LSTM step at H = 64). Eight rows at a time, so that eight
 * independent FMA chains cover the FMA latency (with four, a step at
 * H = 256 read its weights at half the speed the cache allows), then four;
 * each row's sum is the same either way. */
__attribute__ ((target ("avx2,fma"))) static void
gemv_avx2 (float *restrict y, const float *restrict x, const float *restrict W,
           const float *restrict bias, int N, int K)
{
  const int K8 = K & ~7;
  int n = 0;

  for (; n + 8 <= N; n += 8) {
    const float *w0 = W + (size_t) n * K, *w1 = w0 + K, *w2 = w1 + K, *w3 = w2 + K;
    const float *w4 = w3 + K, *w5 = w4 + K, *w6 = w5 + K, *w7 = w6 + K;
    __m256 a0 = _mm256_setzero_ps (), a1 = a0, a2 = a0, a3 = a0;
    __m256 a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (int k = 0; k < K8; k += 8) {
      __m256 xv = _mm256_loadu_ps (x + k);
      a0 = _mm256_fmadd_ps (_mm256_loadu_ps (w0 + k), xv, a0);
      a1 = _mm256_fmadd_ps (_mm256_loadu_ps (w1 + k), xv, a1);
      a2 = _mm256_fmadd_ps (_mm256_loadu_ps (w2 + k), xv, a2);
      a3 = _mm256_fmadd_ps (_mm256_loadu_ps (w3 + k), xv, a3);
      a4 = _mm256_fmadd_ps (_mm256_loadu_ps (w4 + k), xv, a4);
      a5 = _mm256_fmadd_ps (_mm256_loadu_ps (w5 + k), xv, a5);
      a6 = _mm256_fmadd_ps (_mm256_loadu_ps (w6 + k), xv, a6);
      a7 = _mm256_fmadd_ps (_mm256_loadu_ps (w7 + k), xv, a7);
    }
    gemv_finish4 (y, a0, a1, a2, a3, w0, x, bias, n, K8, K);
    gemv_finish4 (y, a4, a5, a6, a7, w4, x, bias, n + 4, K8, K);
  }
  for (; n + 4 <= N; n += 4) {
    const float *w0 = W + (size_t) n * K, *w1 = w0 + K, *w2 = w1 + K, *w3 = w2 + K;
    __m256 a0 = _mm256_setzero_ps (), a1 = a0, a2 = a0, a3 = a0;
    for (int k = 0; k < K8; k += 8) {
      __m256 xv = _mm256_loadu_ps (x + k);
      a0 = _mm256_fmadd_ps (_mm256_loadu_ps (w0 + k), xv, a0);
      a1 = _mm256_fmadd_ps (_mm256_loadu_ps (w1 + k), xv, a1);
      a2 = _mm256_fmadd_ps (_mm256_loadu_ps (w2 + k), xv, a2);
      a3 = _mm256_fmadd_ps (_mm256_loadu_ps (w3 + k), xv, a3);
    }
    gemv_finish4 (y, a0, a1, a2, a3, w0, x, bias, n, K8, K);
  }
  for (; n < N; n++) {
    const float *w = W + (size_t) n * K;
    float acc = 0.0f;
    for (int k = 0; k < K; k++)
      acc += w[k] * x[k];
    y[n] = bias ? acc + bias[n] : acc;
  }
}

static bool
have_avx2 (void)
{
  static int cached = -1;

  if (cached < 0)
    cached = __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
  return cached;
}
#endif

void
gs_linear_forward (float *y, const float *x, const float *W, const float *bias,
                   int B, int N, int K)
{
  if (use_naive (B, N, K)) {
    gs_linear_forward_naive (y, x, W, bias, B, N, K);
    return;
  }
#ifdef GS_HAVE_AVX2_GEMV
  /* at every size: OpenBLAS's sgemv read a 1024×256 matrix at 101 GB/s, this at 139 */
  if (B == 1 && have_avx2 ()) {
    gemv_avx2 (y, x, W, bias, N, K);
    return;
  }
#endif
  if (B == 1) {
    cblas_sgemv (CblasRowMajor, CblasNoTrans, N, K, 1.0f, W, K, x, 1, 0.0f, y, 1);
  } else {
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, B, N, K,
                 1.0f, x, K, W, K, 0.0f, y, N);
  }
  if (bias)
    for (int b = 0; b < B; b++)
      for (int n = 0; n < N; n++)
        y[(size_t) b * N + n] += bias[n];
}

void
gs_linear_backward_x_naive (float *dx, const float *dy, const float *W, int B, int N, int K)
{
  for (int b = 0; b < B; b++)
    for (int n = 0; n < N; n++) {
      float g = dy[(size_t) b * N + n];
      const float *w = W + (size_t) n * K;
      float *dxb = dx + (size_t) b * K;
      for (int k = 0; k < K; k++)
        dxb[k] += g * w[k];
    }
}

void
gs_linear_backward_x (float *dx, const float *dy, const float *W, int B, int N, int K)
{
  if (use_naive (B, N, K))
    gs_linear_backward_x_naive (dx, dy, W, B, N, K);
  else if (B == 1)
    cblas_sgemv (CblasRowMajor, CblasTrans, N, K, 1.0f, W, K, dy, 1, 1.0f, dx, 1);
  else
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, B, K, N,
                 1.0f, dy, N, W, K, 1.0f, dx, K);
}

void
gs_linear_backward_w_naive (float *dW, float *dbias, const float *dy, const float *x,
                            int B, int N, int K)
{
  for (int b = 0; b < B; b++)
    for (int n = 0; n < N; n++) {
      float g = dy[(size_t) b * N + n];
      const float *xb = x + (size_t) b * K;
      float *dw = dW + (size_t) n * K;
      for (int k = 0; k < K; k++)
        dw[k] += g * xb[k];
      if (dbias)
        dbias[n] += g;
    }
}

void
gs_linear_backward_w (float *dW, float *dbias, const float *dy, const float *x,
                      int B, int N, int K)
{
  if (use_naive (B, N, K)) {
    gs_linear_backward_w_naive (dW, dbias, dy, x, B, N, K);
    return;
  }
  if (B == 1)
    cblas_sger (CblasRowMajor, N, K, 1.0f, dy, 1, x, 1, dW, K);
  else
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, N, K, B,
                 1.0f, dy, N, x, K, 1.0f, dW, K);
  if (dbias)
    for (int b = 0; b < B; b++)
      for (int n = 0; n < N; n++)
        dbias[n] += dy[(size_t) b * N + n];
}

/* ───────────── whole-sequence products through gs-gemm.h ───────────── */

bool
gs_linear_packed_ok (int B, int N, int K)
{
  return !gs_blas_force_naive && gs_gemm_panel () > 0 && B >= 2 && (long) B * N * K >= 4096;
}

size_t
gs_linear_work_size (int B, int N, int K)
{
  /* forward: Wᵀ packed; backward_x: W packed; backward_w: x packed */
  size_t fwd = gs_gemm_packed_size (K, N), bwd_x = gs_gemm_packed_size (N, K);
  size_t bwd_w = gs_gemm_packed_size (B, K);
  size_t n = fwd > bwd_x ? fwd : bwd_x;

  return n > bwd_w ? n : bwd_w;
}

/* y (B, N) = x (B, K)·Wᵀ + bias */
void
gs_linear_forward_packed (float *y, const float *x, const float *W, const float *bias,
                          int B, int N, int K, float *work)
{
  gs_gemm_pack_t (work, W, N, K);
  gs_gemm_packed (y, N, x, K, work, bias, false, B, N, K);
}

/* dx (B, K) += dy (B, N)·W (N, K) */
void
gs_linear_backward_x_packed (float *dx, const float *dy, const float *W, int B, int N, int K,
                             float *work)
{
  gs_gemm_pack (work, W, N, K);
  gs_gemm_packed (dx, K, dy, N, work, NULL, true, B, K, N);
}

/* dW (N, K) += dyᵀ (N, B)·x (B, K): x packed into work, dy read transposed
 * in place; dbias (N) += Σ_b dy */
void
gs_linear_backward_w_packed (float *dW, float *dbias, const float *dy, const float *x,
                             int B, int N, int K, float *work)
{
  gs_gemm_pack (work, x, B, K);
  gs_gemm_packed_tn (dW, K, dy, N, work, true, N, K, B);
  if (dbias)
    for (int b = 0; b < B; b++)
      for (int n = 0; n < N; n++)
        dbias[n] += dy[(size_t) b * N + n];
}
