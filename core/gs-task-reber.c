/* gs-task-reber.c — the embedded Reber grammar and its continual variant.
 *
 * Reber's grammar (Reber 1967) as a finite automaton over B T P S X V E:
 *
 *        B → 0     0: T → 1, P → 2     1: S → 1, X → 3     2: T → 2, V → 4
 *                  3: X → 2, S → 5     4: P → 3, V → 5     5: E (end)
 *
 * An embedded Reber string wraps one: B, T or P, a Reber string, the same
 * T or P again, E (Cleeremans et al. 1989; Hochreiter & Schmidhuber 1997,
 * exp. 1). The network predicts the next symbol at every step. Where two
 * symbols are legal the target is the one that came; a step counts as right
 * when the k most probable symbols are exactly the k legal ones, and a
 * string when every step is right. The second-to-last symbol repeats the
 * second one, across the whole inner string: that is the long lag.
 *
 * The continual variant (Gers, Schmidhuber & Cummins 2000) is an unbroken
 * stream of embedded strings with no reset between them: the network must
 * learn to reset its own state. Training sees chunks of the stream; the
 * held-out stream is much longer than a chunk.
 *
 * Letters as in gs-model.h: T timesteps, B batch.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-task-private.h"

enum { R_B, R_T, R_P, R_S, R_X, R_V, R_E, R_N };
static const char *const reber_vocab[R_N] = { "B", "T", "P", "S", "X", "V", "E" };

/* inner[state][symbol] = next state, −1 = illegal; state 5 expects E. */
static const signed char inner_next[6][R_N] = {
  /*        B   T   P   S   X   V   E */
  /* 0 */ { -1,  1,  2, -1, -1, -1, -1 },
  /* 1 */ { -1, -1, -1,  1,  3, -1, -1 },
  /* 2 */ { -1,  2, -1, -1, -1,  4, -1 },
  /* 3 */ { -1, -1, -1,  5,  2, -1, -1 },
  /* 4 */ { -1, -1,  3, -1, -1,  5, -1 },
  /* 5 */ { -1, -1, -1, -1, -1, -1, -1 },
};

/* Where a parser is in an embedded string. */
typedef enum {
  OUT_BEGIN,     /* expects B */
  OUT_BRANCH,    /* expects T or P */
  OUT_INNER_B,   /* expects the inner B */
  OUT_INNER,     /* inside the inner string (inner state) */
  OUT_REPEAT,    /* expects the branch symbol again */
  OUT_END,       /* expects E */
} Outer;

typedef struct {
  Outer outer;
  int   inner;
  int   branch;   /* R_T or R_P */
} ReberState;

/* The legal next symbols as a bit mask (bit s = symbol s). */
static unsigned
reber_legal (const ReberState *s)
{
  unsigned mask = 0;

  switch (s->outer) {
  case OUT_BEGIN:   return 1u << R_B;
  case OUT_BRANCH:  return (1u << R_T) | (1u << R_P);
  case OUT_INNER_B: return 1u << R_B;
  case OUT_REPEAT:  return 1u << s->branch;
  case OUT_END:     return 1u << R_E;
  case OUT_INNER:
  default:
    if (s->inner == 5)
      return 1u << R_E;
    for (int y = 0; y < R_N; y++)
      if (inner_next[s->inner][y] >= 0)
        mask |= 1u << y;
    return mask;
  }
}

/* Moves past symbol y (assumed legal); after the final E a new string begins. */
static void
reber_advance (ReberState *s, int y)
{
  switch (s->outer) {
  case OUT_BEGIN:   s->outer = OUT_BRANCH; break;
  case OUT_BRANCH:  s->branch = y; s->outer = OUT_INNER_B; break;
  case OUT_INNER_B: s->outer = OUT_INNER; s->inner = 0; break;
  case OUT_INNER:
    if (s->inner == 5)
      s->outer = OUT_REPEAT;
    else
      s->inner = inner_next[s->inner][y];
    break;
  case OUT_REPEAT:  s->outer = OUT_END; break;
  case OUT_END:
  default:          s->outer = OUT_BEGIN; break;
  }
}

/* One embedded Reber string into out (at most cap symbols, redrawn while
 * longer); returns its length. Each legal choice is taken with equal odds. */
static int
reber_string (int *out, int cap, GsRng *rng)
{
  for (;;) {
    ReberState s = { OUT_BEGIN, 0, 0 };
    int n = 0;
    do {
      unsigned legal = reber_legal (&s);
      int choice[2], k = 0;
      for (int y = 0; y < R_N; y++)
        if (legal & (1u << y))
          choice[k++] = y;
      out[n] = choice[k == 1 ? 0 : gs_rng_below (rng, 2)];
      reber_advance (&s, out[n]);
      n++;
    } while (s.outer != OUT_BEGIN && n < cap);
    if (s.outer == OUT_BEGIN)
      return n;
  }
}

static const GsTaskParam reber_params[] = {
  { "length", GS_PARAM_INT, "30", 9, 1000, NULL, N_("longest string T (longer ones are redrawn)") },
};

static int
reber_init (GsTask *task, GsError *err)
{
  (void) err;
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->V = R_N;
  task->O = R_N;
  task->T = (int) gs_task_num (task, "length");
  task->vocab = task->out_vocab = reber_vocab;
  task->solve_threshold = 0.99f;
  return GS_OK;
}

/* One string per sequence, padded with E that carries no target. */
static void
reber_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  const int T = batch->T, B = batch->B;
  int buf[1000];

  (void) task;
  for (int b = 0; b < B; b++) {
    int n = reber_string (buf, T, rng);
    for (int t = 0; t < T; t++) {
      batch->tokens[(size_t) t * B + b] = t < n ? buf[t] : R_E;
      batch->targets[(size_t) t * B + b] = t + 1 < n ? buf[t + 1] : -1;
    }
  }
}

/* Is the prediction at (t, b) right: are the k most probable symbols
 * exactly the k legal ones? */
static bool
step_right (const GsModel *m, int t, int b, unsigned legal)
{
  const float *p = m->logits + ((size_t) t * m->B + b) * R_N;
  float lowest_legal = INFINITY, highest_illegal = -INFINITY;

  for (int y = 0; y < R_N; y++) {
    if (legal & (1u << y))
      lowest_legal = p[y] < lowest_legal ? p[y] : lowest_legal;
    else
      highest_illegal = p[y] > highest_illegal ? p[y] : highest_illegal;
  }
  return lowest_legal > highest_illegal;
}

/* Counts the strings of each row, and those predicted right; a string that
 * the sequence cuts off is not counted. */
static void
reber_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  long strings = 0, right = 0;

  (void) dec;
  (void) task;
  for (int b = 0; b < m->B; b++) {
    ReberState s = { OUT_BEGIN, 0, 0 };
    bool ok = true;
    for (int t = 0; t < m->T; t++) {
      int y = batch->tokens[(size_t) t * m->B + b];
      int target = batch->targets[(size_t) t * m->B + b];
      reber_advance (&s, y);
      if (target < 0) {   /* padding, or the end of the stream */
        if (s.outer == OUT_BEGIN) {   /* y was the final E: the string is complete */
          strings++;
          right += ok;
        }
        break;
      }
      ok = ok && step_right (m, t, b, reber_legal (&s));
      if (s.outer == OUT_BEGIN) {   /* y was the final E; the next string begins */
        strings++;
        right += ok;
        ok = true;
      }
    }
  }
  ev->accuracy = ev->metric = strings > 0 ? (float) right / (float) strings : NAN;
  /* Knowing Reber's grammar but not the embedding: the repeated symbol is a coin toss. */
  ev->baseline = 0.5f;
}

const GsTaskClass gs_task_reber = {
  .name = "reber",
  .title = N_("Embedded Reber grammar"),
  .shape = "N→N",
  .description = N_("Predict the next symbol of strings from the embedded Reber grammar. The second-to-last "
                    "symbol repeats the second one across the whole inner string. Metric: fraction of test "
                    "strings whose every step is right (the legal symbols are the most probable); "
                    "solved at 99%."),
  .params = reber_params,
  .n_params = 1,
  .init = reber_init,
  .fill = reber_fill,
  .score = reber_score,
  .eval_B = 500,
  .held_out_mod = 5,   /* fresh draws repeat: a fifth of the sequences is held out */
  .next_element = true,
};

/* ------------------------------------------------------------------------ */
/* continual_reber                                                          */

static const GsTaskParam creber_params[] = {
  { "length", GS_PARAM_INT, "100", 20, 100000, NULL, N_("steps of stream per training sequence T") },
  { "test_length", GS_PARAM_INT, "2000", 20, 1000000, NULL, N_("steps of each held-out stream") },
};

static int
creber_init (GsTask *task, GsError *err)
{
  (void) err;
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->V = R_N;
  task->O = R_N;
  task->T = (int) gs_task_num (task, "length");
  task->T_eval = (int) gs_task_num (task, "test_length");
  task->vocab = task->out_vocab = reber_vocab;
  task->solve_threshold = 0.99f;
  return GS_OK;
}

/* Strings back to back; the target at every step but the last is the next symbol. */
static void
creber_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  const int T = batch->T, B = batch->B;
  int buf[1000];

  (void) task;
  for (int b = 0; b < B; b++) {
    int t = 0;
    while (t < T) {
      int n = reber_string (buf, 1000, rng);
      for (int i = 0; i < n && t < T; i++, t++)
        batch->tokens[(size_t) t * B + b] = buf[i];
    }
    for (t = 0; t < T; t++)
      batch->targets[(size_t) t * B + b] = t + 1 < T ? batch->tokens[(size_t) (t + 1) * B + b] : -1;
  }
}

const GsTaskClass gs_task_continual_reber = {
  .name = "continual_reber",
  .title = N_("Continual embedded Reber grammar"),
  .shape = "N→N",
  .description = N_("An unbroken stream of embedded Reber strings, never reset: the network must learn to "
                    "forget at the end of each string (Gers et al. 2000). Metric: fraction of the strings "
                    "of long held-out streams predicted right at every step; solved at 99%."),
  .params = creber_params,
  .n_params = 2,
  .init = creber_init,
  .fill = creber_fill,
  .score = reber_score,
  .eval_B = 50,
  .next_element = true,
};
