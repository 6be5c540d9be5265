#include "gs-blas.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

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

void
gs_linear_forward (float *y, const float *x, const float *W, const float *bias,
                   int B, int N, int K)
{
  if (use_naive (B, N, K)) {
    gs_linear_forward_naive (y, x, W, bias, B, N, K);
    return;
  }
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
