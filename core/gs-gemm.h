/* gs-gemm.h — matrix products with one operand packed ahead of time.
 *
 * A recurrent layer multiplies by the same W_hh at every timestep, forward
 * (h_{t-1}·W_hhᵀ) and backward (dgates·W_hh). A general GEMM rearranges
 * ("packs") W into cache-sized panels at every call; here it is packed once
 * per sequence and every timestep multiplies by the panels directly. The
 * per-sequence products (the weight gradients, the output layer) pack per
 * call, into a workspace their caller owns.
 *
 * The packed operand B (K, N) is stored as ⌈N/w⌉ panels of w columns, each
 * panel K rows of w contiguous floats (zero-padded past N): the layout the
 * micro-kernel reads with vector loads. w is 32 with AVX-512, 16 with AVX2
 * (gs_gemm_panel); without either (or with gs_gemm_panel () == 0) callers
 * use gs-blas.h instead.
 *
 * Each C element is bias (or C, or 0) plus Σ_k A[m][k]·B[k][n] summed in k
 * order with fused multiply-adds: not OpenBLAS's order, so results differ
 * from gs_linear_* within float32 reassociation (test-cells bounds it).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The panel width on this CPU: 32 (AVX-512), 16 (AVX2 + FMA) or 0 (neither). */
int    gs_gemm_panel       (void);

/* Forces a panel width (tests only): 16 or 32 to exercise that kernel, 0
 * for none, −1 (the default) for the CPU's. Set it before packing. */
extern int gs_gemm_force_panel;

/* Floats a packed operand of K rows and N columns takes. */
size_t gs_gemm_packed_size (int K, int N);

/* P = W (K, N), packed. */
void   gs_gemm_pack        (float *P, const float *W, int K, int N);
/* P = Wᵀ packed, for W (N, K): what y = x·Wᵀ multiplies by. */
void   gs_gemm_pack_t      (float *P, const float *W, int N, int K);

/* C (M, N) = A (M, K)·P + bias (N) (bias may be NULL), or, when
 * accumulate, C += A·P (bias ignored). lda and ldc are A's and C's row
 * strides. */
void   gs_gemm_packed      (float *C, int ldc, const float *A, int lda, const float *P,
                            const float *bias, bool accumulate, int M, int N, int K);

/* C (M, N) (+)= Aᵀ·P for A (K, M) with row stride lda: the weight gradient
 * dW = dyᵀ·x reads dy as it lies. */
void   gs_gemm_packed_tn   (float *C, int ldc, const float *A, int lda, const float *P,
                            bool accumulate, int M, int N, int K);

/* Batch 1. A timestep at batch 1 multiplies a vector by each weight matrix:
 * 2 flops per weight read, so it is bound by how fast the weights stream
 * from cache, and a row-major W (one stream per row in flight) streams at
 * about half the speed of one contiguous pass. Here W (N, K) is packed into
 * panels of 32 outputs, each K rows of 32 contiguous floats (the last one
 * 16 wide when at most 16 outputs are left; zero-padded past N): the whole
 * matrix is one forward stream. The same layout serves the AVX-512 and the
 * AVX2 kernel, and both give the same bits: output n is Σ_k W[n][k]·x[k]
 * summed as four fused multiply-add chains s_j over k ≡ j (mod 4) in k
 * order, then (s_0 + s_1) + (s_2 + s_3), then + bias[n]. The vector
 * kernels run where gs_gemm_panel () > 0; elsewhere a scalar loop gives
 * the same bits, slowly. */

/* Whether packing W (N, K) for the batch-1 kernel pays: a vector kernel,
 * and at least 4096 weights (below, a row-major product is as fast and the
 * packing is not earned back). */
bool   gs_gemv_packed_ok   (int N, int K);
size_t gs_gemv_packed_size (int N, int K);
void   gs_gemv_pack        (float *P, const float *W, int N, int K);

/* y (N) = W·x (K) + bias (bias may be NULL), W packed by gs_gemv_pack.
 * reverse visits the panels from the last to the first: the same result.
 * A caller that alternates it from call to call reads first what the last
 * call read last, still in cache when W is a little larger than it. */
void   gs_gemv_packed      (float *y, const float *x, const float *P, const float *bias,
                            int N, int K, bool reverse);
