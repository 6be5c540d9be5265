/* test-cells — the equations, and the fast paths against the naive loops.
 *
 * 1. Each cell on a hand-made one-unit example, against its equation
 *    evaluated here in double precision.
 * 2. The BLAS products (sgemm, sgemv, sger) against the naive loops at
 *    sizes that take each path, and whole models run both ways. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-blas.h"
#include "gs-cell.h"
#include "gs-gemm.h"
#include "gs-math.h"
#include "gs-simd.h"
#include "gs-test.h"
#include "gs-test-models.h"

static double sig (double x) { return 1.0 / (1.0 + exp (-x)); }

/* One unit, one step, input x (one dense feature), h_{t-1} and c_{t-1} given. */
static GsModel *
unit_model (GsCell cell, const float *w_ih, const float *w_hh, const float *b_ih, const float *b_hh,
            float x, float h0, float c0)
{
  GsConfig cfg = { .cell = cell, .input = GS_INPUT_DENSE, .loss = GS_LOSS_MSE, .V = 1, .H = 1, .L = 1, .O = 1 };
  GsError err;
  GsModel *m = gs_model_new (&cfg, &err);
  int G = m->G;

  memcpy (m->p.layer[0].W_ih, w_ih, sizeof (float) * G);
  memcpy (m->p.layer[0].W_hh, w_hh, sizeof (float) * G);
  memcpy (m->p.layer[0].b_ih, b_ih, sizeof (float) * G);
  memcpy (m->p.layer[0].b_hh, b_hh, sizeof (float) * G);
  gs_model_set_sequence (m, 1, 1, NULL, &x, NULL, NULL, NULL, &err);
  gs_model_set_initial_state (m, &h0, &c0);
  gs_model_forward (m);
  return m;
}

static void
check_equations (void)
{
  const float x = 0.7f, h0 = -0.4f, c0 = 0.9f;
  const float w_ih[4] = { 0.5f, -1.2f, 0.8f, 0.3f };
  const float w_hh[4] = { -0.7f, 0.4f, 1.1f, -0.2f };
  const float b_ih[4] = { 0.1f, 1.0f, -0.3f, 0.2f };
  const float b_hh[4] = { 0.05f, -0.1f, 0.2f, 0.4f };
  double pre[4];
  GsModel *m;

  for (int j = 0; j < 4; j++)
    pre[j] = (double) w_ih[j] * x + b_ih[j] + (double) w_hh[j] * h0 + b_hh[j];

  /* RNN: h = tanh(W_ih x + b_ih + W_hh h + b_hh) */
  m = unit_model (GS_CELL_RNN_TANH, w_ih, w_hh, b_ih, b_hh, x, h0, c0);
  GS_CHECK (fabs (m->layer[0].h[0] - tanh (pre[0])) < 1e-6, "rnn_tanh h = %.7g, want %.7g",
            (double) m->layer[0].h[0], tanh (pre[0]));
  gs_model_free (m);
  m = unit_model (GS_CELL_RNN_RELU, w_ih, w_hh, b_ih, b_hh, x, h0, c0);
  GS_CHECK (fabs (m->layer[0].h[0] - fmax (pre[0], 0.0)) < 1e-6, "rnn_relu h = %.7g, want %.7g",
            (double) m->layer[0].h[0], fmax (pre[0], 0.0));
  gs_model_free (m);

  /* LSTM, rows i f g o: c = f c0 + i g, h = o tanh(c) */
  {
    double i = sig (pre[0]), f = sig (pre[1]), g = tanh (pre[2]), o = sig (pre[3]);
    double c = f * c0 + i * g, h = o * tanh (c);
    m = unit_model (GS_CELL_LSTM, w_ih, w_hh, b_ih, b_hh, x, h0, c0);
    GS_CHECK (fabs (m->layer[0].act[0] - i) < 1e-6 && fabs (m->layer[0].act[1] - f) < 1e-6
              && fabs (m->layer[0].act[2] - g) < 1e-6 && fabs (m->layer[0].act[3] - o) < 1e-6,
              "lstm gates i f g o = %.6g %.6g %.6g %.6g, want %.6g %.6g %.6g %.6g",
              (double) m->layer[0].act[0], (double) m->layer[0].act[1], (double) m->layer[0].act[2],
              (double) m->layer[0].act[3], i, f, g, o);
    GS_CHECK (fabs (m->layer[0].c[0] - c) < 1e-6, "lstm c = %.7g, want %.7g", (double) m->layer[0].c[0], c);
    GS_CHECK (fabs (m->layer[0].h[0] - h) < 1e-6, "lstm h = %.7g, want %.7g", (double) m->layer[0].h[0], h);
    gs_model_free (m);
  }

  /* GRU, rows r z n: n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h = (1 − z) n + z h0 */
  {
    double r = sig (pre[0]), z = sig (pre[1]);
    double hn = (double) w_hh[2] * h0 + b_hh[2];
    double n = tanh ((double) w_ih[2] * x + b_ih[2] + r * hn);
    double h = (1.0 - z) * n + z * h0;
    m = unit_model (GS_CELL_GRU, w_ih, w_hh, b_ih, b_hh, x, h0, c0);
    GS_CHECK (fabs (m->layer[0].act[0] - r) < 1e-6 && fabs (m->layer[0].act[1] - z) < 1e-6
              && fabs (m->layer[0].act[2] - n) < 1e-6, "gru gates r z n = %.6g %.6g %.6g, want %.6g %.6g %.6g",
              (double) m->layer[0].act[0], (double) m->layer[0].act[1], (double) m->layer[0].act[2], r, z, n);
    GS_CHECK (fabs (m->layer[0].hn[0] - hn) < 1e-6, "gru hn = %.7g, want %.7g", (double) m->layer[0].hn[0], hn);
    GS_CHECK (fabs (m->layer[0].h[0] - h) < 1e-6, "gru h = %.7g, want %.7g", (double) m->layer[0].h[0], h);
    gs_model_free (m);
  }
}

static void
fill (float *a, size_t n, GsRng *rng)
{
  for (size_t i = 0; i < n; i++)
    a[i] = gs_rng_uniform (rng, -1.0f, 1.0f);
}

/* Every product against its naive loop, at sizes below and above the naive
 * threshold and at B = 1 (the sgemv/sger path). */
static void
check_products (void)
{
  static const int sizes[][3] = { { 1, 4, 3 }, { 1, 256, 64 }, { 1, 1024, 321 }, { 3, 8, 5 },
                                  { 4, 512, 128 }, { 32, 96, 65 } };
  GsRng rng;

  gs_rng_seed (&rng, 3);
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    int B = sizes[s][0], N = sizes[s][1], K = sizes[s][2];
    float *x = malloc (sizeof (float) * B * K), *W = malloc (sizeof (float) * N * K);
    float *bias = malloc (sizeof (float) * N), *dy = malloc (sizeof (float) * B * N);
    float *y1 = malloc (sizeof (float) * B * N), *y2 = malloc (sizeof (float) * B * N);
    float *dx1 = malloc (sizeof (float) * B * K), *dx2 = malloc (sizeof (float) * B * K);
    float *dW1 = malloc (sizeof (float) * N * K), *dW2 = malloc (sizeof (float) * N * K);
    float *db1 = malloc (sizeof (float) * N), *db2 = malloc (sizeof (float) * N);
    char what[96];

    fill (x, (size_t) B * K, &rng);
    fill (W, (size_t) N * K, &rng);
    fill (bias, N, &rng);
    fill (dy, (size_t) B * N, &rng);
    fill (dx1, (size_t) B * K, &rng);     /* the backward products accumulate: */
    memcpy (dx2, dx1, sizeof (float) * B * K);
    fill (dW1, (size_t) N * K, &rng);     /* start from non-zero */
    memcpy (dW2, dW1, sizeof (float) * N * K);
    fill (db1, N, &rng);
    memcpy (db2, db1, sizeof (float) * N);

    gs_linear_forward (y1, x, W, bias, B, N, K);
    gs_linear_forward_naive (y2, x, W, bias, B, N, K);
    gs_linear_backward_x (dx1, dy, W, B, N, K);
    gs_linear_backward_x_naive (dx2, dy, W, B, N, K);
    gs_linear_backward_w (dW1, db1, dy, x, B, N, K);
    gs_linear_backward_w_naive (dW2, db2, dy, x, B, N, K);

    /* a K-term float dot product reassociated: |err| ≲ K·2⁻²⁴·Σ|terms| ≤ ~2e-5 here */
    snprintf (what, sizeof what, "y = xWᵀ+b      B=%d N=%d K=%d", B, N, K);
    gs_test_close (what, y1, y2, (size_t) B * N, 1e-5 * sqrt (K), 1e-5);
    snprintf (what, sizeof what, "dx += dy·W     B=%d N=%d K=%d", B, N, K);
    gs_test_close (what, dx1, dx2, (size_t) B * K, 1e-5 * sqrt (N), 1e-5);
    snprintf (what, sizeof what, "dW += dyᵀ·x    B=%d N=%d K=%d", B, N, K);
    gs_test_close (what, dW1, dW2, (size_t) N * K, 1e-5 * sqrt (B), 1e-5);
    snprintf (what, sizeof what, "db += Σ dy     B=%d N=%d K=%d", B, N, K);
    gs_test_close (what, db1, db2, N, 1e-5 * sqrt (B), 1e-5);

    free (x); free (W); free (bias); free (dy); free (y1); free (y2);
    free (dx1); free (dx2); free (dW1); free (dW2); free (db1); free (db2);
  }
}

/* Whole models, fast path against the naive loops, at sizes that use BLAS. */
static void
check_models (void)
{
  for (int cell = 0; cell < GS_N_CELLS; cell++)
    for (int B = 1; B <= 4; B += 3) {
      GsModel *fast = gs_test_model_new ((GsCell) cell, GS_INPUT_EMBED, GS_LOSS_CE, 2, 48, 6, B, 11);
      GsModel *naive = gs_test_model_new ((GsCell) cell, GS_INPUT_EMBED, GS_LOSS_CE, 2, 48, 6, B, 11);
      char what[96];

      gs_model_zero_grad (fast);
      gs_model_forward (fast);
      gs_model_backward (fast);
      gs_blas_force_naive = true;
      gs_model_zero_grad (naive);
      gs_model_forward (naive);
      gs_model_backward (naive);
      gs_blas_force_naive = false;

      snprintf (what, sizeof what, "%s B=%d logits, BLAS vs naive", gs_cell_name ((GsCell) cell), B);
      gs_test_close (what, fast->logits, naive->logits, (size_t) fast->T * B * fast->cfg.O, 1e-5, 1e-4);
      snprintf (what, sizeof what, "%s B=%d gradients, BLAS vs naive", gs_cell_name ((GsCell) cell), B);
      gs_test_close (what, fast->grads_mem, naive->grads_mem, fast->n_params, 1e-6, 1e-3);
      gs_model_free (fast);
      gs_model_free (naive);
    }
}

/* How far C (M, N) is from init + A·B in double precision, in units of the
 * bound K sequential float32 multiply-adds can reach, (K + 1)·2⁻²⁴·Σ|terms|
 * (≤ 1 passes). B(k, n) = Bm[k·sk + n·sn]; init (M, N) or a row (N, with
 * init_row), or NULL for 0. */
static double
gemm_error (const float *C, const float *init, bool init_row, const float *A, const float *Bm,
            int sk, int sn, int M, int N, int K)
{
  double worst = 0.0;

  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++) {
      double s = init ? init[init_row ? n : m * N + n] : 0.0, mag = fabs (s);
      for (int k = 0; k < K; k++) {
        double term = (double) A[m * K + k] * Bm[k * sk + n * sn];
        s += term;
        mag += fabs (term);
      }
      worst = fmax (worst, fabs (C[m * N + n] - s) / (mag * (K + 1) * 6e-8 + 1e-30));
    }
  return worst;
}

/* The packed products (gs-gemm.h) in every kernel this CPU has, against
 * double-precision sums: shapes around the tile and panel sizes and across
 * a K chunk, from W and from Wᵀ, with a bias, accumulating, and with A
 * read transposed. */
static void
check_gemm (void)
{
  static const int shapes[][3] = {   /* M, N, K */
    { 1, 1, 1 }, { 32, 512, 128 }, { 7, 33, 300 }, { 13, 70, 257 }, { 9, 16, 5 },
    { 32, 65, 64 }, { 3, 100, 513 }, { 17, 31, 1 }, { 64, 48, 40 },
  };
  const int cpu = gs_gemm_panel ();
  GsRng rng;

  gs_rng_seed (&rng, 21);
  printf ("  packed products: panel width %d on this CPU\n", cpu);
  for (int w = 16; w <= 32; w *= 2) {
    if (cpu < w)
      continue;
    gs_gemm_force_panel = w;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
      const int M = shapes[i][0], N = shapes[i][1], K = shapes[i][2];
      float *A = malloc (sizeof (float) * M * K), *At = malloc (sizeof (float) * M * K);
      float *W = malloc (sizeof (float) * N * K), *bias = malloc (sizeof (float) * N);
      float *C = malloc (sizeof (float) * M * N), *C0 = malloc (sizeof (float) * M * N);
      float *P = malloc (sizeof (float) * gs_gemm_packed_size (K, N));
      float *Pt = malloc (sizeof (float) * gs_gemm_packed_size (K, N));
      double plain, trans, acc, tn;
      fill (A, (size_t) M * K, &rng);
      fill (W, (size_t) N * K, &rng);
      fill (bias, N, &rng);
      fill (C0, (size_t) M * N, &rng);
      for (int m = 0; m < M; m++)
        for (int k = 0; k < K; k++)
          At[k * M + m] = A[m * K + k];
      /* W read as (K, N) for gs_gemm_pack, as (N, K) for gs_gemm_pack_t */
      gs_gemm_pack (P, W, K, N);
      gs_gemm_pack_t (Pt, W, N, K);
      gs_gemm_packed (C, N, A, K, P, bias, false, M, N, K);
      plain = gemm_error (C, bias, true, A, W, N, 1, M, N, K);
      gs_gemm_packed (C, N, A, K, Pt, NULL, false, M, N, K);
      trans = gemm_error (C, NULL, false, A, W, 1, K, M, N, K);
      memcpy (C, C0, sizeof (float) * M * N);
      gs_gemm_packed (C, N, A, K, P, bias, true, M, N, K);   /* C += A·P, the bias ignored */
      acc = gemm_error (C, C0, false, A, W, N, 1, M, N, K);
      memcpy (C, C0, sizeof (float) * M * N);
      gs_gemm_packed_tn (C, N, At, M, P, true, M, N, K);     /* the same, A stored as (K, M) */
      tn = gemm_error (C, C0, false, A, W, N, 1, M, N, K);
      GS_CHECK (plain <= 1.0 && trans <= 1.0 && acc <= 1.0 && tn <= 1.0,
                "packed w=%d M=%d N=%d K=%d within the float32 bound (%.2g, ᵀ %.2g, += %.2g, Aᵀ %.2g of it)",
                w, M, N, K, plain, trans, acc, tn);
      free (A); free (At); free (W); free (bias); free (C); free (C0); free (P); free (Pt);
    }
  }
  gs_gemm_force_panel = -1;
}

/* gs_gemv_packed's documented order (gs-gemm.h), in scalars: four fused
 * multiply-add chains over k ≡ j (mod 4), (s0 + s1) + (s2 + s3), + bias. */
static float
gemv_order (const float *w, const float *x, float bias, bool has_bias, int K)
{
  float s[4] = { 0.0f, 0.0f, 0.0f, 0.0f }, sum;

  for (int k = 0; k < K; k++)
    s[k % 4] = fmaf (w[k], x[k], s[k % 4]);
  sum = (s[0] + s[1]) + (s[2] + s[3]);
  return has_bias ? sum + bias : sum;
}

/* The batch-1 packed product (gs-gemm.h) in every kernel this CPU has:
 * bit for bit the documented order, so both kernels and both panel orders
 * agree, and within the float32 bound of the double-precision sum; shapes
 * around the panel width (the narrow last panel) and K mod 4. Outputs past
 * N are left alone. */
static void
check_gemv (void)
{
  static const int shapes[][2] = {   /* N, K */
    { 1, 1 }, { 1, 7 }, { 31, 3 }, { 32, 4 }, { 33, 5 }, { 65, 256 }, { 96, 64 },
    { 100, 257 }, { 1024, 256 }, { 17, 130 }, { 16, 9 }, { 48, 11 }, { 50, 2 },
  };
  const int cpu = gs_gemm_panel ();
  GsRng rng;

  gs_rng_seed (&rng, 23);
  GS_CHECK (gs_gemv_packed_size (65, 256) == 80 * 256 && gs_gemv_packed_size (64, 3) == 64 * 3
            && gs_gemv_packed_size (50, 2) == 64 * 2, "a packed matrix pads its last panel to 16 or 32");
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
    const int N = shapes[i][0], K = shapes[i][1];
    float *W = malloc (sizeof (float) * N * K), *x = malloc (sizeof (float) * K);
    float *bias = malloc (sizeof (float) * N), *P = malloc (sizeof (float) * gs_gemv_packed_size (N, K));
    float *y = malloc (sizeof (float) * (N + 1)), *want = malloc (sizeof (float) * N);
    double worst = 0.0;
    bool exact = true, untouched = true;

    fill (W, (size_t) N * K, &rng);
    fill (x, K, &rng);
    fill (bias, N, &rng);
    for (int n = 0; n < N; n++) {
      double s = bias[n], mag = fabs (bias[n]);
      want[n] = gemv_order (W + (size_t) n * K, x, bias[n], true, K);
      for (int k = 0; k < K; k++) {
        s += (double) W[(size_t) n * K + k] * x[k];
        mag += fabs ((double) W[(size_t) n * K + k] * x[k]);
      }
      worst = fmax (worst, fabs (want[n] - s) / (mag * (K + 1) * 6e-8 + 1e-30));
    }
    gs_gemv_pack (P, W, N, K);
    for (int w = 0; w <= 32; w += 16)   /* 0: the scalar loop */
      for (int reverse = 0; reverse <= 1 && cpu >= w; reverse++) {
        gs_gemm_force_panel = w;
        y[N] = 12345.0f;
        gs_gemv_packed (y, x, P, bias, N, K, reverse);
        exact &= memcmp (y, want, sizeof (float) * N) == 0;
        untouched &= y[N] == 12345.0f;
        gs_gemv_packed (y, x, P, NULL, N, K, reverse);
        for (int n = 0; n < N; n++)
          exact &= y[n] == gemv_order (W + (size_t) n * K, x, 0.0f, false, K);
      }
    gs_gemm_force_panel = -1;
    GS_CHECK (exact && untouched, "gemv N=%d K=%d: every kernel (and the scalar loop) in both orders "
              "gives the documented sum%s", N, K, untouched ? "" : " (and wrote past N)");
    GS_CHECK (worst <= 1.0, "gemv order N=%d K=%d within the float32 bound (%.2g of it)", N, K, worst);
    free (W); free (x); free (bias); free (P); free (y); free (want);
  }
}

/* The unit loops and the softmax in their two vector widths (gs-simd.h)
 * give the same bits: whole-sequence training steps of every cell, at a
 * hidden size and a vocabulary where the wide loops run, and at H = 8
 * where the narrow ones do, against the same with the narrow loops forced. */
static void
check_simd_widths (void)
{
  static const int sizes[] = { 8, 40 };

  printf ("  wide loops on this CPU: %s\n", gs_simd_wide (GS_SIMD_WIDE_MIN) ? "yes (AVX-512)" : "no");

  for (int cell = 0; cell < GS_N_CELLS; cell++)
    for (int i = 0; i < 2; i++) {
      const int H = sizes[i];
      GsModel *wide = gs_test_model_new_vocab ((GsCell) cell, GS_INPUT_ONEHOT, 2, H, 37, 7, 5, 3);
      GsModel *narrow = gs_test_model_new_vocab ((GsCell) cell, GS_INPUT_ONEHOT, 2, H, 37, 7, 5, 3);
      bool same;

      gs_model_zero_grad (wide);
      gs_model_forward_seq (wide);
      gs_model_backward_seq (wide);
      gs_simd_force_narrow = true;
      gs_model_zero_grad (narrow);
      gs_model_forward_seq (narrow);
      gs_model_backward_seq (narrow);
      gs_simd_force_narrow = false;

      same = memcmp (wide->probs, narrow->probs, sizeof (float) * (size_t) 7 * 5 * 37) == 0
             && memcmp (wide->loss_t, narrow->loss_t, sizeof (double) * 7) == 0
             && memcmp (wide->grads_mem, narrow->grads_mem, sizeof (float) * wide->n_params) == 0;
      GS_CHECK (same, "%s H=%d: wide and narrow SIMD loops give the same bits",
                gs_cell_name ((GsCell) cell), H);
      gs_model_free (wide);
      gs_model_free (narrow);
    }
}

/* gs-math.h against libm in double precision, over the whole useful range,
 * and NaN in, NaN out (a diverging run must stay visible). */
static void
check_math (void)
{
  double worst_exp = 0.0, worst_tanh = 0.0, worst_sig = 0.0;

  for (int i = -1000000; i <= 1000000; i++) {
    float x = (float) i * 8.7e-5f;             /* [-87, 87] */
    double e = exp ((double) x), t = tanh ((double) x), g = 1.0 / (1.0 + exp (-(double) x));
    double re = fabs (gs_expf (x) - e) / e;
    double at = fabs (gs_tanhf (x) - t) / fmax (fabs (t), 1e-30);
    double ag = fabs (gs_sigmoidf (x) - g) / fmax (g, 1e-30);
    worst_exp = fmax (worst_exp, re);
    worst_tanh = fmax (worst_tanh, at);
    worst_sig = fmax (worst_sig, ag);
  }
  printf ("  gs_expf max rel err %.2e, gs_tanhf %.2e, gs_sigmoidf %.2e (float eps 1.19e-07)\n",
          worst_exp, worst_tanh, worst_sig);
  /* ~2 ulp for exp; tanh and sigmoid compose it with a division: ~3 ulp */
  GS_CHECK (worst_exp < 2.5e-7, "gs_expf within ~2 ulp of exp (max rel %.2e)", worst_exp);
  GS_CHECK (worst_tanh < 4e-7, "gs_tanhf within ~3 ulp of tanh (max rel %.2e)", worst_tanh);
  GS_CHECK (worst_sig < 4e-7, "gs_sigmoidf within ~3 ulp (max rel %.2e)", worst_sig);
  GS_CHECK (isnan (gs_expf (NAN)) && isnan (gs_tanhf (NAN)) && isnan (gs_sigmoidf (NAN)),
            "NaN in, NaN out");
  GS_CHECK (gs_expf (-1000.0f) >= 0.0f && gs_expf (-1000.0f) < 1e-37f && isfinite (gs_expf (1000.0f))
            && gs_tanhf (50.0f) == 1.0f && gs_tanhf (-50.0f) == -1.0f && gs_sigmoidf (-200.0f) < 1e-30f,
            "saturation at both ends");
}

int
main (void)
{
  check_math ();
  check_equations ();
  check_products ();
  check_models ();
  check_simd_widths ();
  check_gemm ();
  check_gemv ();
  return gs_test_finish ("cells");
}
