/* gs-blas.h — the three products a recurrent layer needs, on OpenBLAS.
 *
 * Each has a naive loop beside it (the reference the tests compare against,
 * and the faster choice below a size where a BLAS call costs more than the
 * arithmetic). Matrices are row-major. At B == 1 the products go to sgemv:
 * OpenBLAS 0.3.21 does not route a one-row sgemm to it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* OpenBLAS single-threaded unless OPENBLAS_NUM_THREADS says otherwise: the
 * recurrent products are small and the machines we target have 2 vCPUs,
 * about one core of parallel throughput, so more BLAS threads only add
 * synchronisation to small GEMMs. The programs call this once at start. */
void gs_blas_init (void);

/* Forces the naive loops everywhere (tests only). */
extern bool gs_blas_force_naive;

/* y (B, N) = x (B, K) · W (N, K)ᵀ + bias (N) (bias may be NULL). */
void gs_linear_forward       (float *y, const float *x, const float *W, const float *bias,
                              int B, int N, int K);
void gs_linear_forward_naive (float *y, const float *x, const float *W, const float *bias,
                              int B, int N, int K);

/* dx (B, K) += dy (B, N) · W (N, K). */
void gs_linear_backward_x       (float *dx, const float *dy, const float *W, int B, int N, int K);
void gs_linear_backward_x_naive (float *dx, const float *dy, const float *W, int B, int N, int K);

/* dW (N, K) += dy (B, N)ᵀ · x (B, K); dbias (N) += Σ_b dy (dbias may be NULL). */
void gs_linear_backward_w       (float *dW, float *dbias, const float *dy, const float *x,
                                 int B, int N, int K);
void gs_linear_backward_w_naive (float *dW, float *dbias, const float *dy, const float *x,
                                 int B, int N, int K);

/* The same three products through gs-gemm.h, for whole sequences (B = T·B
 * rows): the weight operand is packed per call into `work`, which holds
 * gs_linear_work_size (B, N, K) floats. gs_linear_packed_ok says whether
 * this CPU has the kernels and the product is large enough to gain. */
bool   gs_linear_packed_ok          (int B, int N, int K);
size_t gs_linear_work_size          (int B, int N, int K);
void   gs_linear_forward_packed     (float *y, const float *x, const float *W, const float *bias,
                                     int B, int N, int K, float *work);
void   gs_linear_backward_x_packed  (float *dx, const float *dy, const float *W, int B, int N, int K,
                                     float *work);
void   gs_linear_backward_w_packed  (float *dW, float *dbias, const float *dy, const float *x,
                                     int B, int N, int K, float *work);
