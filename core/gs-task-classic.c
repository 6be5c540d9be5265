/* gs-task-classic.c — the long-time-lag problems that made LSTM famous.
 *
 *   adding          the adding problem (Hochreiter & Schmidhuber 1997, exp. 4)
 *   temporal_order  the temporal order problem (ibid., exp. 6a/6b)
 *   copy            copy/memory task with an adjustable lag
 *   xor             temporal XOR (Elman 1990)
 *
 * Letters as in gs-model.h: T timesteps, B batch, V input tokens or
 * features, O outputs. Every generator draws from the GsRng it is given and
 * from nothing else.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-task-private.h"

/* ------------------------------------------------------------------------ */
/* adding                                                                   */

/* The common variant (Le et al. 2015; Arjovsky et al. 2016): each step
 * carries a value v_t ~ U[0, 1] and a marker m_t ∈ {0, 1}; exactly two
 * markers are set, one in each half. The target at the last step is
 * y = Σ_t m_t v_t, the sum of the two marked values: E[y] = 1 and
 * Var[y] = 2 · 1/12 = 1/6 ≈ 0.167, the error of the best constant output.
 * A sequence counts as correct when |ŷ − y| < 0.04 (H&S 1997's criterion). */
#define ADDING_TOL 0.04f

static const GsTaskParam adding_params[] = {
  { "length", GS_PARAM_INT, "100", 4, 100000, NULL, N_("sequence length T") },
};

static int
adding_init (GsTask *task, GsError *err)
{
  (void) err;
  task->input = GS_INPUT_DENSE;
  task->loss = GS_LOSS_MSE;
  task->V = 2;
  task->O = 1;
  task->T = (int) gs_task_num (task, "length");
  task->solve_threshold = 0.01f;   /* test MSE, a 17th of the constant baseline */
  return GS_OK;
}

static void
adding_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  const int T = batch->T, B = batch->B, half = T / 2;

  (void) task;
  memset (batch->ymask, 0, (size_t) T * B);
  for (int b = 0; b < B; b++) {
    int first = gs_task_rand_range (rng, 0, half - 1);
    int second = gs_task_rand_range (rng, half, T - 1);
    float sum = 0.0f;
    for (int t = 0; t < T; t++) {
      float *x = batch->xs + ((size_t) t * B + b) * 2;
      x[0] = gs_rng_uniform (rng, 0.0f, 1.0f);
      x[1] = (t == first || t == second) ? 1.0f : 0.0f;
      sum += x[0] * x[1];
    }
    /* y = v_first + v_second at t = T − 1 only (N→1) */
    batch->ys[(size_t) (T - 1) * B + b] = sum;
    batch->ymask[(size_t) (T - 1) * B + b] = 1;
  }
}

static void
adding_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  (void) dec;
  (void) batch;
  gs_task_score_mse (task, m, ADDING_TOL, ev);
  ev->baseline = 1.0f / 6.0f;
}

const GsTaskClass gs_task_adding = {
  .name = "adding",
  .title = N_("Adding problem"),
  .shape = "N→1",
  .description = N_("Each step holds a number in [0, 1] and a marker; two steps are marked, one in each half. "
                    "Output the sum of the two marked numbers at the end. Metric: test MSE (a constant output "
                    "scores 1/6 ≈ 0.167); solved below 0.01. A sequence is correct when the error is below 0.04."),
  .params = adding_params,
  .n_params = 1,
  .init = adding_init,
  .fill = adding_fill,
  .score = adding_score,
  .eval_B = 1000,
};

/* ------------------------------------------------------------------------ */
/* temporal_order                                                           */

/* Alphabet {a, b, c, d, B, E, X, Y}. A sequence starts with B and ends
 * with E; two (bits = 2, exp. 6a) or three (bits = 3, exp. 6b) relevant
 * symbols, each X or Y, sit in windows at fixed fractions of the length
 * (for T = 100: [10, 20] and [50, 60]; or [10, 20], [33, 43] and [66, 76]);
 * every other step is a random distractor a–d. The class, read at the last
 * step, is the order of X and Y: XX, XY, YX, YY (or the 8 triples). */
enum { TO_A, TO_B_, TO_C, TO_D, TO_BEGIN, TO_END, TO_X, TO_Y };
static const char *const to_vocab[8] = { "a", "b", "c", "d", "B", "E", "X", "Y" };
static const char *const to_classes2[4] = { "XX", "XY", "YX", "YY" };
static const char *const to_classes3[8] = { "XXX", "XXY", "XYX", "XYY", "YXX", "YXY", "YYX", "YYY" };

static const GsTaskParam to_params[] = {
  { "length", GS_PARAM_INT, "100", 20, 100000, NULL, N_("sequence length T") },
  { "bits", GS_PARAM_INT, "3", 2, 3, NULL, N_("relevant symbols: 2 (4 classes) or 3 (8 classes)") },
};

static int
to_init (GsTask *task, GsError *err)
{
  int bits = (int) gs_task_num (task, "bits");

  (void) err;
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->V = 8;
  task->O = 1 << bits;
  task->T = (int) gs_task_num (task, "length");
  task->vocab = to_vocab;
  task->out_vocab = bits == 2 ? to_classes2 : to_classes3;
  task->solve_threshold = 0.95f;
  return GS_OK;
}

static void
to_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  /* Window starts as fractions of T: 2 bits 0.1, 0.5; 3 bits 0.1, 0.33, 0.66; each 0.1 T wide. */
  static const double start2[2] = { 0.1, 0.5 }, start3[3] = { 0.1, 0.33, 0.66 };
  const int T = batch->T, B = batch->B, bits = (int) gs_task_num (task, "bits");
  const double *start = bits == 2 ? start2 : start3;

  for (size_t i = 0; i < (size_t) T * B; i++)
    batch->targets[i] = -1;
  for (int b = 0; b < B; b++) {
    int cls = 0;
    for (int t = 0; t < T; t++)
      batch->tokens[(size_t) t * B + b] = (int) gs_rng_below (rng, 4);   /* a–d */
    batch->tokens[b] = TO_BEGIN;
    batch->tokens[(size_t) (T - 1) * B + b] = TO_END;
    for (int k = 0; k < bits; k++) {
      int lo = (int) (start[k] * T), hi = (int) ((start[k] + 0.1) * T);
      int pos = gs_task_rand_range (rng, lo < 1 ? 1 : lo, hi > T - 2 ? T - 2 : hi);
      int y = (int) gs_rng_below (rng, 2);   /* 0 = X, 1 = Y */
      batch->tokens[(size_t) pos * B + b] = TO_X + y;
      cls = cls * 2 + y;
    }
    batch->targets[(size_t) (T - 1) * B + b] = cls;
  }
}

static void
to_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  (void) dec;
  (void) batch;
  gs_task_score_sequences (task, m, ev);
}

const GsTaskClass gs_task_temporal_order = {
  .name = "temporal_order",
  .title = N_("Temporal order"),
  .shape = "N→1",
  .description = N_("Among random distractors, two or three symbols X or Y appear far apart; at the end, "
                    "tell the order they came in (XX, XY, YX, YY, or the 8 triples). Metric: test "
                    "accuracy (chance is 1/4 or 1/8); solved at 95%."),
  .params = to_params,
  .n_params = 2,
  .init = to_init,
  .fill = to_fill,
  .score = to_score,
  .eval_B = 1000,
};

/* ------------------------------------------------------------------------ */
/* copy                                                                     */

/* Input: `length` random symbols, then `lag` blanks of which the last is
 * the go marker ':', then `length` blanks during which the network must
 * output the symbols in order. T = length + lag + length; targets only on
 * the last `length` steps.
 *
 * The defaults, 5 symbols of 8 after a lag of 10 (T = 20, drawn whole in
 * the unrolled view), give 8^5 = 32,768 sequences: a run of the recipe
 * draws 128,000 of the 26,214 on the training side, too many pairs to
 * learn by heart in 2 × 32 units, so it must learn to copy. The old
 * defaults, 2 symbols (64 sequences, 48 trained on), were memorised: the
 * training pairs perfectly, 16–47 % of the 16 held out. */
static const char *const copy_symbols[28] = {
  "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p",
  "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "-", ":",
};
typedef struct {
  const char *vocab[28];   /* the task's symbols, then "-" (blank) and ":" (go) */
} CopyData;

static const GsTaskParam copy_params[] = {
  { "length", GS_PARAM_INT, "5", 1, 100, NULL, N_("symbols to remember"), .old_def = "2" },
  { "lag", GS_PARAM_INT, "10", 1, 10000, NULL, N_("steps between the last symbol and the recall") },
  { "symbols", GS_PARAM_INT, "8", 2, 26, NULL, N_("size of the alphabet") },
};

static int
copy_init (GsTask *task, GsError *err)
{
  int A = (int) gs_task_num (task, "symbols");
  int K = (int) gs_task_num (task, "length");
  int lag = (int) gs_task_num (task, "lag");
  CopyData *d = calloc (1, sizeof *d);

  if (d == NULL)
    return gs_error_set (err, _("out of memory"));
  for (int i = 0; i < A; i++)
    d->vocab[i] = copy_symbols[i];
  d->vocab[A] = "-";
  d->vocab[A + 1] = ":";
  task->priv = d;
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->V = A + 2;
  task->O = A;
  task->T = K + lag + K;
  task->vocab = d->vocab;
  task->out_vocab = d->vocab;
  task->solve_threshold = 0.98f;
  return GS_OK;
}

static void
copy_finalize (GsTask *task)
{
  free (task->priv);
  task->priv = NULL;
}

static void
copy_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  const int T = batch->T, B = batch->B, A = task->O;
  const int K = (int) gs_task_num (task, "length");
  const int blank = A, go = A + 1;

  for (int b = 0; b < B; b++) {
    for (int t = 0; t < T; t++) {
      batch->tokens[(size_t) t * B + b] = blank;
      batch->targets[(size_t) t * B + b] = -1;
    }
    for (int k = 0; k < K; k++) {
      int s = (int) gs_rng_below (rng, (uint32_t) A);
      batch->tokens[(size_t) k * B + b] = s;
      batch->targets[(size_t) (T - K + k) * B + b] = s;
    }
    batch->tokens[(size_t) (T - K - 1) * B + b] = go;
  }
}

static void
copy_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  (void) dec;
  (void) batch;
  gs_task_score_steps (task, m, ev);
}

const GsTaskClass gs_task_copy = {
  .name = "copy",
  .title = N_("Copy after a lag"),
  .shape = "N→M",
  .description = N_("Read a few symbols, wait through a lag of blanks, and at the go marker write the symbols "
                    "back in order. Metric: fraction of recalled symbols that are right (chance is "
                    "1/symbols); solved at 98%."),
  .params = copy_params,
  .n_params = 3,
  .init = copy_init,
  .fill = copy_fill,
  .score = copy_score,
  .finalize = copy_finalize,
  .eval_B = 500,
  .held_out_mod = 5,   /* fresh draws repeat: a fifth of the sequences is held out */
};

/* ------------------------------------------------------------------------ */
/* xor                                                                      */

/* A stream of triples (a, b, a XOR b) of random bits (Elman 1990,
 * "Finding structure in time", §3). The target at every step is the next
 * bit; only every third bit can be predicted, so the metric counts the
 * steps t with t mod 3 = 1, whose next bit is the XOR of bits t − 1 and t. */
static const char *const xor_vocab[2] = { "0", "1" };

static const GsTaskParam xor_params[] = {
  { "length", GS_PARAM_INT, "30", 6, 100000, NULL, N_("bits per sequence T") },
};

static int
xor_init (GsTask *task, GsError *err)
{
  (void) err;
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->V = 2;
  task->O = 2;
  task->T = (int) gs_task_num (task, "length");
  task->vocab = task->out_vocab = xor_vocab;
  task->solve_threshold = 0.95f;
  return GS_OK;
}

static void
xor_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  const int T = batch->T, B = batch->B;

  (void) task;
  for (int b = 0; b < B; b++) {
    int bit[2] = { 0, 0 };
    for (int t = 0; t < T; t++) {
      int x = t % 3 == 2 ? bit[0] ^ bit[1] : (int) gs_rng_below (rng, 2);
      if (t % 3 < 2)
        bit[t % 3] = x;
      batch->tokens[(size_t) t * B + b] = x;
    }
    /* the target at t is the input at t + 1 */
    for (int t = 0; t < T; t++)
      batch->targets[(size_t) t * B + b] = t + 1 < T ? batch->tokens[(size_t) (t + 1) * B + b] : -1;
  }
}

static void
xor_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  long correct = 0, total = 0;

  (void) dec;
  (void) task;
  for (int t = 1; t + 1 < m->T; t += 3)
    for (int b = 0; b < m->B; b++) {
      total++;
      correct += gs_model_predict (m, t, b) == batch->targets[(size_t) t * m->B + b];
    }
  ev->accuracy = ev->metric = total > 0 ? (float) correct / (float) total : NAN;
  ev->baseline = 0.5f;
}

const GsTaskClass gs_task_xor = {
  .name = "xor",
  .title = N_("Temporal XOR"),
  .shape = "N→N",
  .description = N_("A stream of bits in which every third bit is the XOR of the two before it; predict the "
                    "next bit at every step. Only every third bit is predictable: the metric is the accuracy "
                    "on those (chance 50%); solved at 95%."),
  .params = xor_params,
  .n_params = 1,
  .init = xor_init,
  .fill = xor_fill,
  .score = xor_score,
  .eval_B = 500,
  .held_out_mod = 5,   /* fresh draws repeat: a fifth of the sequences is held out */
  .next_element = true,
};
