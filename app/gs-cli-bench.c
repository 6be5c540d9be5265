/* gs-cli-bench.c — gatescope-cli bench: how fast the engine trains and steps.
 *
 * Three suites, each a list of configurations (letters as in gs-model.h:
 * B batch, T timesteps, V vocabulary, E embedding, H hidden, G gates,
 * O outputs, L layers):
 *
 *   hello   the seed task's whole training step, gs_trainer_step (the
 *           course model: E 10, L 2, H 8, Adam 0.05), for every cell;
 *           figure: steps/s.
 *   charlm  a character language model's training step: one-hot input,
 *           V = O = 65, L 1, T 64, B 32, cross-entropy, Adam (lr 2e-3),
 *           gradient norm clipped to 5; figure: tokens/s = T·B·steps/s.
 *           The tokens come from a seeded synthetic stream: the work does
 *           not depend on their values.
 *   step    one forward timestep at B 1, gs_model_forward_step (what the
 *           GUI calls), one-hot input V = O = 65, L 1, no targets;
 *           figure: µs per timestep.
 *
 * bench/torch_bench.py runs the same configurations on PyTorch and prints
 * the same JSON; bench/run.sh puts both in one table.
 *
 * Timing: a warm-up round, then --rounds rounds of at least --min-time
 * seconds each, on the process's CPU-time clock: on a shared machine other
 * processes' turns do not count, and for these single-thread runs it
 * equals the wall time of an idle machine. A round runs chunks of iterations, doubling the chunk
 * while it takes under a millisecond, so the clock is read rarely. The
 * figure is the median round; min, max and their spread are reported too.
 *
 * GFLOP/s count the multiply-adds of the weight products only (2 flops
 * each), the same formula for both engines:
 *   forward, per token  = Σ_k 2·G·H·(I_k + H) + 2·O·H
 *                         with I_0 = E (embedding), 0 (one-hot: a gather),
 *                         I_k = H above;
 *   training, per token = 3 × forward (every product appears once forward
 *                         and twice backward: dX and dW).
 * For the char LM that is 6·G·H² + 6·O·H per token.
 *
 * A step at batch 1 does 2 flops per weight it reads: it is bound by how
 * fast the core reads its weights, not by the FMA units. So the step suite
 * also reports its memory floor: the best time, over many tries, to read a
 * buffer as large as the weights a step must read (W_hh, W_fc, the biases
 * and one column of W_ih) once with the widest vector loads, and nothing
 * else — reading it the same way each time, or alternating direction as
 * the step's products do (gs-gemm.h), whichever is faster.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cblas.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GS_BENCH_X86 1
#endif

#include "gs-cli-private.h"
#include "gs-error.h"
#include "gs-i18n.h"
#include "gs-model.h"
#include "gs-optim.h"
#include "gs-rng.h"
#include "gs-train.h"

#define CHARLM_V      65
#define CHARLM_T      64
#define CHARLM_B      32
#define CHARLM_LR     2e-3f
#define CHARLM_CLIP   5.0f
#define CHARLM_STREAM 65536   /* tokens in the synthetic corpus */
#define STEP_T        1024    /* the step suite rewinds after this many steps */
#define MAX_SIZES     16

static const int charlm_sizes[] = { 32, 128, 256, 512 };
static const int step_sizes[] = { 8, 64, 256 };
static const GsCell hello_cells[] = { GS_CELL_RNN_TANH, GS_CELL_RNN_RELU, GS_CELL_LSTM, GS_CELL_GRU };
static const GsCell charlm_cells[] = { GS_CELL_RNN_TANH, GS_CELL_LSTM, GS_CELL_GRU };

enum {
  SUITE_HELLO  = 1 << 0,
  SUITE_CHARLM = 1 << 1,
  SUITE_STEP   = 1 << 2,
  SUITE_ALL    = SUITE_HELLO | SUITE_CHARLM | SUITE_STEP,
};

typedef struct {
  int    suites;
  bool   json;
  bool   have_cell;
  GsCell cell;        /* --cell: only this cell */
  int    hidden;      /* --hidden: charlm and step only at this size; 0 = the lists */
  double min_time;    /* seconds per round */
  int    rounds;
} BenchOptions;

/* ------------------------------------------------------------------------ */
/* Timing                                                                   */

/* Runs n iterations of a workload; false (with err set) if one failed. */
typedef bool (*BenchFn) (void *data, long n, GsError *err);

typedef struct {
  double median, min, max;  /* iterations per second over the rounds */
} BenchRate;

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* One round: at least min_time seconds (and one iteration). *chunk carries
 * the chunk size over from round to round. */
static bool
run_round (double *rate, BenchFn fn, void *data, double min_time, long *chunk, GsError *err)
{
  double start = now (), end;
  long done = 0;

  for (;;)
    {
      double t0 = now ();

      if (!fn (data, *chunk, err))
        return false;
      done += *chunk;
      end = now ();
      if (end - t0 < 1e-3 && *chunk < (1L << 30))
        *chunk *= 2;
      if (end - start >= min_time)
        break;
    }
  *rate = (double) done / (end - start);
  return true;
}

static bool
measure (BenchRate *r, BenchFn fn, void *data, const BenchOptions *o, GsError *err)
{
  double rates[64];
  long chunk = 1;
  int n = o->rounds;

  /* warm-up: caches, pages, the chunk size */
  if (!run_round (&rates[0], fn, data, o->min_time / 2, &chunk, err))
    return false;
  for (int i = 0; i < n; i++)
    if (!run_round (&rates[i], fn, data, o->min_time, &chunk, err))
      return false;
  qsort (rates, (size_t) n, sizeof rates[0], compare_doubles);
  r->min = rates[0];
  r->max = rates[n - 1];
  r->median = n % 2 ? rates[n / 2] : 0.5 * (rates[n / 2 - 1] + rates[n / 2]);
  return true;
}

/* ------------------------------------------------------------------------ */
/* The machine's single-thread FMA peak                                     */

#ifdef GS_BENCH_X86
/* a ← a·x + y in 12 independent 8-lane accumulators: enough to cover the
 * FMA latency on both FMA pipes of current x86 cores. a converges to
 * y / (1 − x): no overflow, no subnormals. 192 flops per iteration. */
__attribute__ ((target ("avx2,fma")))
static double
fma_chunk_avx2 (long n)
{
  const __m256 x = _mm256_set1_ps (0.9999999f), y = _mm256_set1_ps (1e-7f);
  __m256 a0 = _mm256_set1_ps (0.10f), a1 = _mm256_set1_ps (0.11f), a2 = _mm256_set1_ps (0.12f);
  __m256 a3 = _mm256_set1_ps (0.13f), a4 = _mm256_set1_ps (0.14f), a5 = _mm256_set1_ps (0.15f);
  __m256 a6 = _mm256_set1_ps (0.16f), a7 = _mm256_set1_ps (0.17f), a8 = _mm256_set1_ps (0.18f);
  __m256 a9 = _mm256_set1_ps (0.19f), a10 = _mm256_set1_ps (0.20f), a11 = _mm256_set1_ps (0.21f);
  float out[8];

  for (long i = 0; i < n; i++)
    {
      a0 = _mm256_fmadd_ps (a0, x, y);
      a1 = _mm256_fmadd_ps (a1, x, y);
      a2 = _mm256_fmadd_ps (a2, x, y);
      a3 = _mm256_fmadd_ps (a3, x, y);
      a4 = _mm256_fmadd_ps (a4, x, y);
      a5 = _mm256_fmadd_ps (a5, x, y);
      a6 = _mm256_fmadd_ps (a6, x, y);
      a7 = _mm256_fmadd_ps (a7, x, y);
      a8 = _mm256_fmadd_ps (a8, x, y);
      a9 = _mm256_fmadd_ps (a9, x, y);
      a10 = _mm256_fmadd_ps (a10, x, y);
      a11 = _mm256_fmadd_ps (a11, x, y);
    }
  a0 = _mm256_add_ps (_mm256_add_ps (_mm256_add_ps (a0, a1), _mm256_add_ps (a2, a3)),
                      _mm256_add_ps (_mm256_add_ps (a4, a5), _mm256_add_ps (a6, a7)));
  a0 = _mm256_add_ps (a0, _mm256_add_ps (_mm256_add_ps (a8, a9), _mm256_add_ps (a10, a11)));
  _mm256_storeu_ps (out, a0);
  return (double) out[0];
}
/* The same with 16-lane AVX-512 registers: 384 flops per iteration. On a
 * core with full-width AVX-512 units (this VM's EPYC) that is twice the
 * AVX2 rate, and it is the machine's real peak. */
__attribute__ ((target ("avx512f")))
static double
fma_chunk_avx512 (long n)
{
  const __m512 x = _mm512_set1_ps (0.9999999f), y = _mm512_set1_ps (1e-7f);
  __m512 a[12];
  float out[16];

  for (int j = 0; j < 12; j++)
    a[j] = _mm512_set1_ps (0.10f + 0.01f * (float) j);
  for (long i = 0; i < n; i++)
    {
#pragma GCC unroll 12
      for (int j = 0; j < 12; j++)
        a[j] = _mm512_fmadd_ps (a[j], x, y);
    }
  for (int j = 1; j < 12; j++)
    a[0] = _mm512_add_ps (a[0], a[j]);
  _mm512_storeu_ps (out, a[0]);
  return (double) out[0];
}
#endif

/* The same without vector units: 8 scalar multiply-adds, 16 flops. */
static double
fma_chunk_scalar (long n)
{
  const float x = 0.9999999f, y = 1e-7f;
  float a[8] = { 0.10f, 0.11f, 0.12f, 0.13f, 0.14f, 0.15f, 0.16f, 0.17f };

  for (long i = 0; i < n; i++)
    for (int j = 0; j < 8; j++)
      a[j] = a[j] * x + y;
  return (double) (a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7]);
}

/* GFLOP/s of the best of ~0.2 s of chunks (the best, because other
 * processes can only slow a chunk down). *what names the kernel. */
static double
measure_fma_peak (const char **what)
{
  double (*chunk) (long) = fma_chunk_scalar;
  double flops_per_iter = 16.0, best = 0.0, start, sink = 0.0;
  const long n = 1L << 19;

  *what = "scalar";
#ifdef GS_BENCH_X86
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("avx512f"))
    {
      chunk = fma_chunk_avx512;
      flops_per_iter = 384.0;
      *what = "avx512-fma";
    }
  else if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    {
      chunk = fma_chunk_avx2;
      flops_per_iter = 192.0;
      *what = "avx2-fma";
    }
#endif
  start = now ();
  do
    {
      double t0 = now (), dt;

      sink += chunk (n);
      dt = now () - t0;
      if (dt > 0.0 && flops_per_iter * (double) n / dt > best)
        best = flops_per_iter * (double) n / dt;
    }
  while (now () - start < 0.2);
  /* keep the result alive */
  if (sink == 42.0)
    best += 1e-9;
  return best * 1e-9;
}

/* ------------------------------------------------------------------------ */
/* The memory floor of a step                                               */

/* Σ p[0 … n) (n a multiple of 128) in eight independent accumulators, a
 * pure stream of loads: forward, or from the end when `back`. */
#ifdef GS_BENCH_X86
__attribute__ ((target ("avx512f")))
static float
read_chunk_avx512 (const float *p, size_t n, bool back)
{
  __m512 a[8];
  float out[16];

  for (int j = 0; j < 8; j++)
    a[j] = _mm512_setzero_ps ();
  for (size_t i = 0; i < n; i += 128)
    {
      const float *q = back ? p + n - 128 - i : p + i;
#pragma GCC unroll 8
      for (int j = 0; j < 8; j++)
        a[j] = _mm512_add_ps (a[j], _mm512_load_ps (q + 16 * j));
    }
  for (int j = 1; j < 8; j++)
    a[0] = _mm512_add_ps (a[0], a[j]);
  _mm512_storeu_ps (out, a[0]);
  return out[0];
}

__attribute__ ((target ("avx2")))
static float
read_chunk_avx2 (const float *p, size_t n, bool back)
{
  __m256 a[8];
  float out[8];

  for (int j = 0; j < 8; j++)
    a[j] = _mm256_setzero_ps ();
  for (size_t i = 0; i < n; i += 64)
    {
      const float *q = back ? p + n - 64 - i : p + i;
#pragma GCC unroll 8
      for (int j = 0; j < 8; j++)
        a[j] = _mm256_add_ps (a[j], _mm256_load_ps (q + 8 * j));
    }
  for (int j = 1; j < 8; j++)
    a[0] = _mm256_add_ps (a[0], a[j]);
  _mm256_storeu_ps (out, a[0]);
  return out[0];
}
#endif

static float
read_chunk_scalar (const float *p, size_t n, bool back)
{
  float a[8] = { 0 };

  for (size_t i = 0; i < n; i += 8)
    for (int j = 0; j < 8; j++)
      a[j] += p[back ? n - 8 - i + j : i + j];
  return a[0];
}

/* µs to read `bytes` once, at best (other processes only slow a read
 * down), with the widest vector loads, after the buffer has been read many
 * times — each time in one direction, and alternating (forward, then from
 * the end: what a buffer a little larger than L2 reads fastest in, and
 * what the step's products do): the floor a step whose weights are this
 * large cannot go under on this machine. */
static double
measure_read_floor_us (size_t bytes)
{
  float (*chunk) (const float *, size_t, bool) = read_chunk_scalar;
  const size_t n = (bytes / sizeof (float) + 127) & ~(size_t) 127;
  float *buf = aligned_alloc (64, n * sizeof (float));
  double best = INFINITY, start;
  volatile float sink = 0.0f;

  if (buf == NULL)
    return 0.0;
#ifdef GS_BENCH_X86
  if (__builtin_cpu_supports ("avx512f"))
    chunk = read_chunk_avx512;
  else if (__builtin_cpu_supports ("avx2"))
    chunk = read_chunk_avx2;
#endif
  for (size_t i = 0; i < n; i++)
    buf[i] = (float) (i % 7) * 1e-3f;
  start = now ();
  do
    for (int alternate = 0; alternate <= 1; alternate++)
      {
        double t0, dt;
        sink += chunk (buf, n, false);    /* warm: the buffer is where the step's weights would be */
        t0 = now ();
        for (int r = 0; r < 16; r++)
          sink += chunk (buf, n, alternate && (r & 1));
        dt = (now () - t0) / 16.0;
        if (dt > 0.0 && dt < best)
          best = dt;
      }
  while (now () - start < 0.3);
  free (buf);
  return best * 1e6;
}

/* Bytes of the weights one forward timestep at batch 1 must read. */
static size_t
step_weight_bytes (const GsConfig *c)
{
  const size_t G = (size_t) gs_cell_gates (c->cell), H = (size_t) c->H, O = (size_t) c->O;

  /* W_hh, b_ih, b_hh, one column of W_ih, W_fc, b_fc */
  return sizeof (float) * (G * H * H + 3 * G * H + O * H + O);
}

/* ------------------------------------------------------------------------ */
/* Workloads                                                                */

/* Multiply-adds × 2 of one forward timestep of one sequence (see the top). */
static double
forward_flops_per_token (const GsConfig *c)
{
  const double G = gs_cell_gates (c->cell), H = c->H;
  double flops = 2.0 * c->O * H;

  for (int k = 0; k < c->L; k++)
    {
      double I_k = k > 0 ? H : c->input == GS_INPUT_EMBED ? c->E
                             : c->input == GS_INPUT_DENSE ? c->V : 0.0;
      flops += 2.0 * G * H * (I_k + H);
    }
  return flops;
}

typedef struct {
  GsTrainer *tr;
} HelloWork;

static bool
hello_run (void *data, long n, GsError *err)
{
  HelloWork *w = data;

  for (long i = 0; i < n; i++)
    if (gs_trainer_step (w->tr, err) != GS_OK)
      return false;
  return true;
}

typedef struct {
  GsModel     *m;
  GsOptimizer *opt;
  GsRng        rng;
  int         *stream;   /* (CHARLM_STREAM) the corpus */
  int         *tokens;   /* (T, B) */
  int         *targets;  /* (T, B) the next token */
} CharlmWork;

/* One training step on B random windows of the stream. */
static bool
charlm_run (void *data, long n, GsError *err)
{
  CharlmWork *w = data;
  const int T = CHARLM_T, B = CHARLM_B;

  for (long i = 0; i < n; i++)
    {
      for (int b = 0; b < B; b++)
        {
          const int *s = w->stream + gs_rng_below (&w->rng, CHARLM_STREAM - T - 1);
          for (int t = 0; t < T; t++)
            {
              w->tokens[t * B + b] = s[t];
              w->targets[t * B + b] = s[t + 1];
            }
        }
      if (gs_model_set_sequence (w->m, T, B, w->tokens, NULL, w->targets, NULL, NULL, err) != GS_OK)
        return false;
      gs_model_zero_grad (w->m);
      gs_model_forward_seq (w->m);
      gs_model_backward_seq (w->m);
      gs_model_clip_grad_norm (w->m, CHARLM_CLIP);
      gs_optimizer_step (w->opt, w->m->params_mem, w->m->grads_mem);
    }
  return true;
}

typedef struct {
  GsModel *m;
} StepWork;

static bool
step_run (void *data, long n, GsError *err)
{
  StepWork *w = data;

  for (long i = 0; i < n; i++)
    if (!gs_model_forward_step (w->m))
      {
        gs_model_rewind (w->m);
        gs_model_forward_step (w->m);
      }
  return true;
}

/* ------------------------------------------------------------------------ */
/* Reporting                                                                */

typedef struct {
  const char *bench;   /* "hello", "charlm", "step" */
  const char *kind;    /* "train", "infer" */
  GsCell      cell;
  GsConfig    model;
  int         T, B;
} BenchCase;

static long
peak_rss_kb (void)
{
  struct rusage ru;

  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return 0;
  return ru.ru_maxrss;   /* kilobytes on Linux */
}

static void
report (GsCli *cli, const BenchOptions *o, const BenchCase *bc, const BenchRate *r,
        double peak, double floor_us)
{
  const bool per_step = strcmp (bc->bench, "hello") == 0;
  const bool timestep = strcmp (bc->bench, "step") == 0;
  const double per_token = forward_flops_per_token (&bc->model) * (timestep ? 1.0 : 3.0);
  const double tokens_per_iter = timestep ? 1.0 : (double) bc->T * bc->B;
  double figure, lo, hi, gflops;
  const char *key;

  gflops = r->median * tokens_per_iter * per_token * 1e-9;
  if (per_step)
    {
      key = "steps_per_s";
      figure = r->median, lo = r->min, hi = r->max;
    }
  else if (timestep)
    {
      /* the fastest round is the smallest time */
      key = "us_per_timestep";
      figure = 1e6 / r->median, lo = 1e6 / r->max, hi = 1e6 / r->min;
    }
  else
    {
      key = "tokens_per_s";
      figure = r->median * tokens_per_iter, lo = r->min * tokens_per_iter, hi = r->max * tokens_per_iter;
    }

  if (o->json)
    {
      fprintf (cli->out,
               "{\"engine\":\"gatescope\",\"bench\":\"%s\",\"kind\":\"%s\",\"cell\":\"%s\","
               "\"hidden\":%d,\"layers\":%d,\"batch\":%d,\"seq_len\":%d,\"threads\":%d,"
               "\"clock\":\"cpu\",\"%s\":%.6g,\"min\":%.6g,\"max\":%.6g,\"spread_pct\":%.3g,\"gflops\":%.4g,",
               bc->bench, bc->kind, gs_cell_name (bc->cell), bc->model.H, bc->model.L, bc->B, bc->T,
               openblas_get_num_threads (), key, figure, lo, hi, 100.0 * (hi - lo) / figure, gflops);
      if (peak > 0.0)
        fprintf (cli->out, "\"peak_gflops\":%.4g,\"peak_pct\":%.3g,", peak, 100.0 * gflops / peak);
      if (floor_us > 0.0)
        fprintf (cli->out, "\"weight_bytes\":%zu,\"read_floor_us\":%.4g,",
                 step_weight_bytes (&bc->model), floor_us);
      fprintf (cli->out, "\"rounds\":%d,\"min_time\":%g,\"rss_kb\":%ld}\n",
               o->rounds, o->min_time, peak_rss_kb ());
    }
  else
    {
      const char *unit = per_step ? _("steps/s") : timestep ? _("µs/timestep") : _("tokens/s");

      fprintf (cli->out, "%-7s %-6s %-9s H=%-5d %12.*f %-12s (%.*f … %.*f, spread %.1f%%)  %.3g GFLOP/s",
               bc->bench, bc->kind, gs_cell_name (bc->cell), bc->model.H,
               timestep ? 2 : 0, figure, unit, timestep ? 2 : 0, lo, timestep ? 2 : 0, hi,
               100.0 * (hi - lo) / figure, gflops);
      if (peak > 0.0)
        fprintf (cli->out, _(", %.0f%% of peak"), 100.0 * gflops / peak);
      if (floor_us > 0.0)
        /* Translators: the least time to read a step's weights (in KB) once on this machine */
        fprintf (cli->out, _(", memory floor %.2f µs (%zu KB)"), floor_us,
                 step_weight_bytes (&bc->model) / 1024);
      fputc ('\n', cli->out);
    }
  fflush (cli->out);
}

/* ------------------------------------------------------------------------ */
/* The suites                                                               */

static int
bench_hello (GsCli *cli, const BenchOptions *o, GsCell cell)
{
  GsTrainConfig cfg;
  GsError err = { { 0 } };
  HelloWork w;
  BenchRate r;
  BenchCase bc = { "hello", "train", cell, { 0 }, 0, 0 };
  bool ok;

  gs_train_config_default (&cfg);
  cfg.cell = cell;
  cfg.epochs = 10000000;
  w.tr = gs_trainer_new (&cfg, &err);
  if (w.tr == NULL)
    return cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
  bc.model = w.tr->model->cfg;
  bc.T = w.tr->task.T;
  bc.B = cfg.B;
  ok = measure (&r, hello_run, &w, o, &err);
  gs_trainer_free (w.tr);
  if (!ok)
    return cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
  report (cli, o, &bc, &r, 0.0, 0.0);
  return GS_CLI_EXIT_OK;
}

static void
onehot_config (GsConfig *c, GsCell cell, int H)
{
  memset (c, 0, sizeof *c);
  c->cell = cell;
  c->input = GS_INPUT_ONEHOT;
  c->loss = GS_LOSS_CE;
  c->V = CHARLM_V;
  c->O = CHARLM_V;
  c->H = H;
  c->L = 1;
}

static int
bench_charlm (GsCli *cli, const BenchOptions *o, GsCell cell, int H, double peak)
{
  GsOptConfig oc;
  GsError err = { { 0 } };
  CharlmWork w = { 0 };
  BenchRate r;
  BenchCase bc = { "charlm", "train", cell, { 0 }, CHARLM_T, CHARLM_B };
  int status = GS_CLI_EXIT_OK;

  onehot_config (&bc.model, cell, H);
  gs_opt_config_default (&oc, GS_OPT_ADAM);
  oc.lr = CHARLM_LR;
  gs_rng_seed (&w.rng, 0);
  w.m = gs_model_new (&bc.model, &err);
  if (w.m == NULL)
    return cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
  w.opt = gs_optimizer_new (&oc, w.m->n_params, &err);
  w.stream = malloc (CHARLM_STREAM * sizeof *w.stream);
  w.tokens = malloc (CHARLM_T * CHARLM_B * sizeof *w.tokens);
  w.targets = malloc (CHARLM_T * CHARLM_B * sizeof *w.targets);
  if (w.opt == NULL || w.stream == NULL || w.tokens == NULL || w.targets == NULL)
    {
      status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", w.opt == NULL ? err.msg : _("out of memory"));
      goto out;
    }
  gs_model_init_params (w.m, &w.rng);
  for (int i = 0; i < CHARLM_STREAM; i++)
    w.stream[i] = (int) gs_rng_below (&w.rng, CHARLM_V);

  if (!measure (&r, charlm_run, &w, o, &err))
    status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
  else
    report (cli, o, &bc, &r, peak, 0.0);

out:
  free (w.stream);
  free (w.tokens);
  free (w.targets);
  gs_optimizer_free (w.opt);
  gs_model_free (w.m);
  return status;
}

static int
bench_step (GsCli *cli, const BenchOptions *o, GsCell cell, int H)
{
  GsError err = { { 0 } };
  GsRng rng;
  StepWork w;
  BenchRate r;
  BenchCase bc = { "step", "infer", cell, { 0 }, 1, 1 };
  int *tokens;
  int status = GS_CLI_EXIT_OK;

  onehot_config (&bc.model, cell, H);
  gs_rng_seed (&rng, 0);
  w.m = gs_model_new (&bc.model, &err);
  tokens = malloc (STEP_T * sizeof *tokens);
  if (w.m == NULL || tokens == NULL)
    {
      status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", w.m == NULL ? err.msg : _("out of memory"));
      goto out;
    }
  gs_model_init_params (w.m, &rng);
  for (int t = 0; t < STEP_T; t++)
    tokens[t] = (int) gs_rng_below (&rng, CHARLM_V);
  if (gs_model_set_sequence (w.m, STEP_T, 1, tokens, NULL, NULL, NULL, NULL, &err) != GS_OK
      || !measure (&r, step_run, &w, o, &err))
    status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
  else
    report (cli, o, &bc, &r, 0.0, measure_read_floor_us (step_weight_bytes (&bc.model)));

out:
  free (tokens);
  gs_model_free (w.m);
  return status;
}

/* ------------------------------------------------------------------------ */
/* bench                                                                    */

void
print_bench_usage (FILE *f)
{
  fprintf (f, _("Usage: %s bench [OPTIONS]\n"), PROG);
  fputs (_("\n"
           "Measures how fast the engine trains and steps (see bench/run.sh for the\n"
           "comparison with PyTorch). Suites:\n"
           "  hello    the seed task's training step, every cell: steps/s\n"
           "  charlm   a character language model (one-hot input of 65 symbols,\n"
           "           1 layer, 64 timesteps × 32 sequences, Adam, clipping 5),\n"
           "           hidden 32, 128, 256, 512: tokens/s, GFLOP/s and the share\n"
           "           of the measured single-thread FMA peak\n"
           "  step     one forward timestep at batch 1 (what the window calls),\n"
           "           hidden 8, 64, 256: µs per timestep, and the memory floor:\n"
           "           the least time this machine takes to read the step's weights\n"
           "\n"
           "  --suite NAME       hello, charlm, step or all (default: all)\n"
           "  --cell CELL        only this cell\n"
           "  --hidden N         charlm and step at this hidden size only\n"
           "  --rounds N         timed rounds; the figure is their median (default: 5)\n"
           "  --min-time S       seconds per round (default: 0.3)\n"
           "  --quick            3 rounds of 0.02 s: a smoke test, not a measurement\n"
           "  --json             one JSON object per configuration\n"
           "  -h, --help         show this help\n"), f);
}

int
cli_bench (GsCli *cli, int argc, char **argv)
{
  static const struct option longopts[] = {
    { "suite",    required_argument, NULL, OPT_SUITE },
    { "cell",     required_argument, NULL, OPT_CELL },
    { "hidden",   required_argument, NULL, OPT_HIDDEN },
    { "rounds",   required_argument, NULL, OPT_ROUNDS },
    { "min-time", required_argument, NULL, OPT_MIN_TIME },
    { "quick",    no_argument,       NULL, OPT_QUICK },
    { "json",     no_argument,       NULL, OPT_JSON },
    { "help",     no_argument,       NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  BenchOptions o = { SUITE_ALL, false, false, GS_CELL_RNN_TANH, 0, 0.3, 5 };
  bool quick = false, have_rounds = false, have_min_time = false;
  int sizes[MAX_SIZES];
  char names[128];
  float min_time;
  int status;
  int c;

  while ((c = getopt_long (argc, argv, ":h", longopts, NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          print_bench_usage (cli->out);
          return GS_CLI_EXIT_OK;
        case OPT_SUITE:
          if (strcmp (optarg, "hello") == 0)
            o.suites = SUITE_HELLO;
          else if (strcmp (optarg, "charlm") == 0)
            o.suites = SUITE_CHARLM;
          else if (strcmp (optarg, "step") == 0)
            o.suites = SUITE_STEP;
          else if (strcmp (optarg, "all") == 0)
            o.suites = SUITE_ALL;
          else
            return cli_fail (cli, GS_CLI_EXIT_USAGE,
                             _("unknown suite '%s' (valid: hello, charlm, step, all)"), optarg);
          break;
        case OPT_CELL:
          if (gs_cell_from_name (optarg, &o.cell) != GS_OK)
            {
              cell_names (names, sizeof names);
              return cli_fail (cli, GS_CLI_EXIT_USAGE, _("unknown cell '%s' (valid: %s)"),
                               optarg, names);
            }
          o.have_cell = true;
          break;
        case OPT_HIDDEN:
          if (!parse_int (cli, "--hidden", optarg, 1, GS_MAX_HIDDEN, &o.hidden))
            return GS_CLI_EXIT_USAGE;
          break;
        case OPT_ROUNDS:
          if (!parse_int (cli, "--rounds", optarg, 1, 64, &o.rounds))
            return GS_CLI_EXIT_USAGE;
          have_rounds = true;
          break;
        case OPT_MIN_TIME:
          if (!parse_float (cli, "--min-time", optarg, &min_time))
            return GS_CLI_EXIT_USAGE;
          if (!(min_time > 0.0f && min_time <= 600.0f))
            return cli_fail (cli, GS_CLI_EXIT_USAGE,
                             _("--min-time: %s is not between 0 and 600 seconds"), optarg);
          o.min_time = min_time;
          have_min_time = true;
          break;
        case OPT_QUICK:
          quick = true;
          break;
        case OPT_JSON:
          o.json = true;
          break;
        default:
          return option_error (cli, c, argv);
        }
    }
  if ((status = check_no_arguments (cli, argc, argv)) != GS_CLI_EXIT_OK)
    return status;
  /* --quick sets what was not set explicitly */
  if (quick)
    {
      if (!have_rounds)
        o.rounds = 3;
      if (!have_min_time)
        o.min_time = 0.02;
    }

  if (!o.json)
    fprintf (cli->out, _("%d rounds of at least %g s each; the figure is the median round "
                         "(slowest … fastest). OpenBLAS threads: %d.\n"),
             o.rounds, o.min_time, openblas_get_num_threads ());

  if (o.suites & SUITE_HELLO)
    for (size_t i = 0; i < sizeof hello_cells / sizeof hello_cells[0]; i++)
      {
        GsCell cell = o.have_cell ? o.cell : hello_cells[i];
        if ((status = bench_hello (cli, &o, cell)) != GS_CLI_EXIT_OK || o.have_cell)
          break;
      }
  if (status == GS_CLI_EXIT_OK && (o.suites & SUITE_CHARLM))
    {
      const char *what;
      double peak = measure_fma_peak (&what);
      int n = 0;

      if (o.hidden > 0)
        sizes[n++] = o.hidden;
      else
        for (size_t i = 0; i < sizeof charlm_sizes / sizeof charlm_sizes[0]; i++)
          sizes[n++] = charlm_sizes[i];
      if (!o.json)
        fprintf (cli->out, _("Single-thread peak (%s): %.1f GFLOP/s.\n"), what, peak);
      for (size_t i = 0; i < sizeof charlm_cells / sizeof charlm_cells[0] && status == GS_CLI_EXIT_OK; i++)
        {
          GsCell cell = o.have_cell ? o.cell : charlm_cells[i];
          for (int j = 0; j < n && status == GS_CLI_EXIT_OK; j++)
            status = bench_charlm (cli, &o, cell, sizes[j], peak);
          if (o.have_cell)
            break;
        }
    }
  if (status == GS_CLI_EXIT_OK && (o.suites & SUITE_STEP))
    {
      int n = 0;

      if (o.hidden > 0)
        sizes[n++] = o.hidden;
      else
        for (size_t i = 0; i < sizeof step_sizes / sizeof step_sizes[0]; i++)
          sizes[n++] = step_sizes[i];
      for (size_t i = 0; i < sizeof charlm_cells / sizeof charlm_cells[0] && status == GS_CLI_EXIT_OK; i++)
        {
          GsCell cell = o.have_cell ? o.cell : charlm_cells[i];
          for (int j = 0; j < n && status == GS_CLI_EXIT_OK; j++)
            status = bench_step (cli, &o, cell, sizes[j]);
          if (o.have_cell)
            break;
        }
    }
  return status;
}
