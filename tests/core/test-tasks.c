/* test-tasks — every task's generator, spec parsing, training and judging.
 *
 * For every task: the batch has the declared shape and valid values, the
 * same seed gives the same batch and another seed another one, the targets
 * are what the task defines (checked task by task against the inputs), a
 * few training steps run without error, and the held-out judgement is
 * deterministic. Also: spec parsing and its errors, bad data files, the
 * encoder–decoder gradient (finite differences through both models), and
 * sampling from a language model.
 *
 * Letters as in gs-model.h: T timesteps, B batch, V vocabulary, O outputs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs-task-experiment.h"
#include "gs-task.h"
#include "gs-test.h"
#include "gs-text.h"
#include "gs-train.h"

#define B_TEST 6

static char tmpdir[] = "/tmp/gs-test-tasks.XXXXXX";

static const char *
write_file (const char *name, const void *data, size_t len)
{
  static char path[4][512];
  static int slot;
  FILE *f;
  char *p = path[slot++ % 4];

  snprintf (p, 512, "%s/%s", tmpdir, name);
  f = fopen (p, "wb");
  if (f) {
    fwrite (data, 1, len, f);
    fclose (f);
  }
  return p;
}

static GsBatch
make_batch (const GsTask *task, uint64_t seed, int B)
{
  GsBatch batch;
  GsRng rng;
  GsError err;

  if (gs_batch_alloc (&batch, task, 0, B, &err) != GS_OK) {
    fprintf (stderr, "batch: %s\n", err.msg);
    exit (2);
  }
  gs_rng_seed (&rng, seed);
  gs_task_fill (task, &rng, &batch);
  return batch;
}

static bool
batches_equal (const GsTask *task, const GsBatch *a, const GsBatch *b)
{
  size_t TB = (size_t) a->T * a->B;
  bool eq = memcmp (a->tokens, b->tokens, TB * sizeof (int)) == 0
            && memcmp (a->targets, b->targets, TB * sizeof (int)) == 0
            && memcmp (a->ymask, b->ymask, TB) == 0;
  if (task->input == GS_INPUT_DENSE)
    eq = eq && memcmp (a->xs, b->xs, TB * task->V * sizeof (float)) == 0;
  if (task->loss == GS_LOSS_MSE)
    eq = eq && memcmp (a->ys, b->ys, TB * task->O * sizeof (float)) == 0;
  if (task->T_dec > 0)
    eq = eq && memcmp (a->dec_tokens, b->dec_tokens, (size_t) a->T_dec * a->B * sizeof (int)) == 0
         && memcmp (a->dec_targets, b->dec_targets, (size_t) a->T_dec * a->B * sizeof (int)) == 0;
  return eq;
}

/* Shape, value ranges and determinism, the same for every task. */
static void
check_generic (const char *spec)
{
  GsTask task;
  GsError err;
  GsBatch a, b, c;
  size_t TB;
  int targeted = 0;

  if (!GS_CHECK (gs_task_init (&task, spec, &err) == GS_OK, "%s: init: %s", spec, err.msg))
    return;
  GS_CHECK (task.T > 0 && task.V > 0 && task.O > 0, "%s: T, V, O positive (%d, %d, %d)", spec, task.T, task.V, task.O);
  GS_CHECK (task.input == GS_INPUT_DENSE ? task.vocab == NULL : task.vocab != NULL, "%s: token names iff tokens", spec);
  GS_CHECK (task.loss == GS_LOSS_CE ? task.out_vocab != NULL : task.out_vocab == NULL, "%s: labels iff classes", spec);
  for (int v = 0; task.vocab && v < task.V; v++)
    GS_CHECK (task.vocab[v] != NULL && task.vocab[v][0] != '\0', "%s: token %d has a name", spec, v);

  a = make_batch (&task, 11, B_TEST);
  b = make_batch (&task, 11, B_TEST);
  c = make_batch (&task, 12, B_TEST);
  TB = (size_t) a.T * a.B;
  GS_CHECK (batches_equal (&task, &a, &b), "%s: the same seed gives the same batch", spec);
  if (strcmp (task.name, "hello") != 0)
    GS_CHECK (!batches_equal (&task, &a, &c), "%s: another seed gives another batch", spec);
  for (size_t i = 0; i < TB; i++) {
    if (task.input != GS_INPUT_DENSE && (a.tokens[i] < 0 || a.tokens[i] >= task.V)) {
      GS_CHECK (false, "%s: token %d at %zu outside [0, %d)", spec, a.tokens[i], i, task.V);
      break;
    }
    if (task.loss == GS_LOSS_CE && (a.targets[i] < -1 || a.targets[i] >= task.O)) {
      GS_CHECK (false, "%s: target %d at %zu outside [-1, %d)", spec, a.targets[i], i, task.O);
      break;
    }
    targeted += task.loss == GS_LOSS_CE ? a.targets[i] >= 0 : a.ymask[i];
  }
  if (task.T_dec > 0) {
    targeted = 0;
    for (size_t i = 0; i < (size_t) a.T_dec * a.B; i++) {
      targeted += a.dec_targets[i] >= 0 && a.dec_targets[i] < task.O;
      GS_CHECK (a.dec_tokens[i] >= 0 && a.dec_tokens[i] < task.V_dec, "%s: decoder token in range", spec);
    }
  }
  GS_CHECK (targeted >= B_TEST, "%s: every sequence has targets (%d)", spec, targeted);
  gs_batch_free (&a);
  gs_batch_free (&b);
  gs_batch_free (&c);
  gs_task_clear (&task);
}

/* A few training steps, then the held-out judgement, twice. */
static void
check_trains (const char *spec, GsCell cell)
{
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsTaskEval e1, e2;
  GsError err;
  float first = NAN;

  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "%s", spec);
  cfg.cell = cell;
  cfg.L = 1;
  cfg.H = 8;
  cfg.B = 4;
  cfg.opt.lr = 0.01f;
  cfg.clip = 1.0f;
  tr = gs_trainer_new (&cfg, &err);
  if (!GS_CHECK (tr != NULL, "%s: trainer: %s", spec, tr ? "" : err.msg))
    return;
  for (int s = 0; s < 5; s++) {
    if (!GS_CHECK (gs_trainer_step (tr, &err) == GS_OK, "%s (%s): step %d: %s", spec, gs_cell_name (cell), s, err.msg))
      break;
    if (s == 0)
      first = tr->last_loss;
  }
  GS_CHECK (isfinite (first) && isfinite (tr->last_loss) && tr->epoch == 5, "%s: 5 steps with finite losses", spec);
  GS_CHECK (gs_trainer_evaluate (tr, &e1, &err) == GS_OK && gs_trainer_evaluate (tr, &e2, &err) == GS_OK,
            "%s: evaluates: %s", spec, err.msg);
  GS_CHECK (isfinite (e1.metric) && e1.metric == e2.metric && e1.solved == e2.solved,
            "%s: the judgement is finite and deterministic (%g, %g)", spec, (double) e1.metric, (double) e2.metric);
  GS_CHECK (strcmp (e1.metric_name, tr->task.loss == GS_LOSS_MSE ? "mse" : "accuracy") == 0,
            "%s: metric %s", spec, e1.metric_name);
  GS_CHECK (isfinite (e1.baseline), "%s: a baseline", spec);
  gs_trainer_free (tr);
}

/* ------------------------------------------------------------------------ */
/* What each task's targets are                                             */

static void
test_hello (void)
{
  static const int input[5] = { 1, 0, 2, 2, 3 }, target[5] = { 3, 1, 2, 3, 2 };
  GsTask task;
  GsError err;
  GsBatch a;

  gs_task_init (&task, "hello", &err);
  a = make_batch (&task, 0, 2);
  for (int t = 0; t < 5; t++)
    GS_CHECK (a.tokens[t * 2 + 1] == input[t] && a.targets[t * 2 + 1] == target[t], "hello step %d", t);
  GS_CHECK (strcmp (task.vocab[input[0]], "h") == 0 && strcmp (task.out_vocab[target[0]], "o") == 0, "h → o");
  gs_batch_free (&a);
  gs_task_clear (&task);
}

static void
test_adding (void)
{
  GsTask task;
  GsError err;
  GsBatch a;
  const int T = 40, B = 20;
  double sum2 = 0.0, sum = 0.0;

  gs_task_init (&task, "adding:length=40", &err);
  GS_CHECK (task.T == 40 && task.V == 2 && task.O == 1 && task.input == GS_INPUT_DENSE, "adding shape");
  a = make_batch (&task, 3, B);
  for (int b = 0; b < B; b++) {
    int markers = 0, first_half = 0;
    float y = 0.0f;
    for (int t = 0; t < T; t++) {
      const float *x = a.xs + ((size_t) t * B + b) * 2;
      GS_CHECK (x[0] >= 0.0f && x[0] < 1.0f && (x[1] == 0.0f || x[1] == 1.0f), "adding values");
      if (x[1] == 1.0f) {
        markers++;
        first_half += t < T / 2;
        y += x[0];
      }
      GS_CHECK (a.ymask[(size_t) t * B + b] == (t == T - 1), "adding: a target at the last step only");
    }
    GS_CHECK (markers == 2 && first_half == 1, "adding: one marker in each half (%d, %d)", markers, first_half);
    GS_CHECK (fabsf (a.ys[(size_t) (T - 1) * B + b] - y) < 1e-6f, "adding: the target is the sum of the marked values");
  }
  gs_batch_free (&a);
  /* The constant-output baseline: Var[y] = 1/6 over many sequences. */
  a = make_batch (&task, 4, 4000);
  for (int b = 0; b < 4000; b++) {
    double y = a.ys[(size_t) (T - 1) * 4000 + b];
    sum += y;
    sum2 += y * y;
  }
  GS_CHECK (fabs (sum2 / 4000 - (sum / 4000) * (sum / 4000) - 1.0 / 6.0) < 0.01, "adding: Var[y] ≈ 1/6");
  gs_batch_free (&a);
  gs_task_clear (&task);
}

static void
test_temporal_order (void)
{
  for (int bits = 2; bits <= 3; bits++) {
    char spec[64];
    GsTask task;
    GsError err;
    GsBatch a;
    const int B = 30;

    snprintf (spec, sizeof spec, "temporal_order:length=60,bits=%d", bits);
    gs_task_init (&task, spec, &err);
    GS_CHECK (task.O == 1 << bits && task.T == 60, "%s: %d classes", spec, 1 << bits);
    a = make_batch (&task, 5, B);
    for (int b = 0; b < B; b++) {
      int cls = 0, n = 0, last = -1;
      GS_CHECK (strcmp (task.vocab[a.tokens[b]], "B") == 0 && strcmp (task.vocab[a.tokens[59 * B + b]], "E") == 0,
                "%s: B … E", spec);
      for (int t = 1; t < 59; t++) {
        const char *s = task.vocab[a.tokens[t * B + b]];
        if (strcmp (s, "X") == 0 || strcmp (s, "Y") == 0) {
          cls = cls * 2 + (s[0] == 'Y');
          n++;
          GS_CHECK (t > last + 5, "%s: relevant symbols far apart", spec);
          last = t;
        } else
          GS_CHECK (strchr ("abcd", s[0]) != NULL, "%s: distractors are a–d", spec);
      }
      GS_CHECK (n == bits, "%s: %d relevant symbols, not %d", spec, bits, n);
      for (int t = 0; t < 59; t++)
        GS_CHECK (a.targets[t * B + b] == -1, "%s: no target before the end", spec);
      GS_CHECK (a.targets[59 * B + b] == cls, "%s: the class is the order of X and Y", spec);
    }
    gs_batch_free (&a);
    gs_task_clear (&task);
  }
}

static void
test_copy (void)
{
  GsTask task;
  GsError err;
  GsBatch a;
  const int B = 5, K = 4, lag = 7, T = 15;

  gs_task_init (&task, "copy:length=4,lag=7,symbols=5", &err);
  GS_CHECK (task.T == T && task.V == 7 && task.O == 5, "copy shape T %d V %d O %d", task.T, task.V, task.O);
  a = make_batch (&task, 6, B);
  for (int b = 0; b < B; b++) {
    for (int k = 0; k < K; k++) {
      GS_CHECK (a.targets[(T - K + k) * B + b] == a.tokens[k * B + b], "copy: output %d is input %d", k, k);
      GS_CHECK (a.tokens[k * B + b] < 5, "copy: a symbol");
    }
    GS_CHECK (strcmp (task.vocab[a.tokens[(K + lag - 1) * B + b]], ":") == 0, "copy: go marker after the lag");
    for (int t = 0; t < T - K; t++)
      GS_CHECK (a.targets[t * B + b] == -1, "copy: no target before the recall");
  }
  gs_batch_free (&a);
  gs_task_clear (&task);
}

static void
test_xor (void)
{
  GsTask task;
  GsError err;
  GsBatch a;
  const int B = 4, T = 30;

  gs_task_init (&task, "xor", &err);
  a = make_batch (&task, 7, B);
  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++) {
      if (t % 3 == 2)
        GS_CHECK (a.tokens[t * B + b] == (a.tokens[(t - 1) * B + b] ^ a.tokens[(t - 2) * B + b]),
                  "xor: bit %d is the XOR of the two before", t);
      GS_CHECK (a.targets[t * B + b] == (t + 1 < T ? a.tokens[(t + 1) * B + b] : -1), "xor: target is the next bit");
    }
  gs_batch_free (&a);
  gs_task_clear (&task);
}

static void
test_reber (void)
{
  GsTask task;
  GsError err;
  GsBatch a;
  const int B = 40;

  gs_task_init (&task, "reber", &err);
  a = make_batch (&task, 8, B);
  for (int b = 0; b < B; b++) {
    char s[1001];
    int n = 0;
    for (int t = 0; t < task.T; t++) {
      s[n++] = task.vocab[a.tokens[t * B + b]][0];
      if (a.targets[t * B + b] < 0)
        break;
      GS_CHECK (a.targets[t * B + b] == a.tokens[(t + 1) * B + b], "reber: the target is the next symbol");
    }
    s[n] = '\0';
    /* B {T|P} B <Reber string> E {same} E */
    GS_CHECK (n >= 9 && s[0] == 'B' && (s[1] == 'T' || s[1] == 'P') && s[2] == 'B' && s[n - 3] == 'E'
              && s[n - 2] == s[1] && s[n - 1] == 'E', "reber: “%s” is embedded", s);
    GS_CHECK (strspn (s, "BTPSXVE") == (size_t) n, "reber: the alphabet");
  }
  gs_batch_free (&a);
  gs_task_clear (&task);

  gs_task_init (&task, "continual_reber:length=200", &err);
  a = make_batch (&task, 9, 3);
  for (int b = 0; b < 3; b++) {
    int strings = 0;
    GS_CHECK (task.vocab[a.tokens[b]][0] == 'B', "continual: starts with B");
    for (int t = 1; t < 200; t++)
      if (task.vocab[a.tokens[t * 3 + b]][0] == 'B' && task.vocab[a.tokens[(t - 1) * 3 + b]][0] == 'E'
          && (t < 2 || task.vocab[a.tokens[(t - 2) * 3 + b]][0] == 'T' || task.vocab[a.tokens[(t - 2) * 3 + b]][0] == 'P'))
        strings++;
    GS_CHECK (strings >= 5, "continual: one string follows another without reset (%d)", strings);
  }
  GS_CHECK (task.T_eval == 2000, "continual: held-out streams are long");
  gs_batch_free (&a);
  gs_task_clear (&task);
}

static void
test_series (void)
{
  static const char *const specs[2] = { "series", "series:kind=ohlc,length=30" };
  for (int s = 0; s < 2; s++) {
    GsTask task;
    GsError err;
    GsBatch a;
    const int B = 3;

    gs_task_init (&task, specs[s], &err);
    GS_CHECK (task.V == (s == 0 ? 3 : 4) && task.O == task.V, "%s: features", specs[s]);
    a = make_batch (&task, 10, B);
    for (int t = 0; t + 1 < a.T; t++)
      for (int b = 0; b < B; b++)
        for (int f = 0; f < task.V; f++)
          GS_CHECK (a.ys[((size_t) t * B + b) * task.O + f] == a.xs[((size_t) (t + 1) * B + b) * task.V + f],
                    "%s: the target is the next step", specs[s]);
    if (s == 1)
      for (int t = 0; t < a.T; t++) {
        const float *x = a.xs + (size_t) t * B * 4;   /* sequence 0: open high low close */
        GS_CHECK (x[1] >= x[0] && x[1] >= x[3] && x[2] <= x[0] && x[2] <= x[3], "ohlc: low ≤ open, close ≤ high");
      }
    gs_batch_free (&a);
    gs_task_clear (&task);
  }
}

static void
test_seq2seq (void)
{
  GsTask task;
  GsError err;
  GsBatch a;
  const int B = 4;

  gs_task_init (&task, "seq2seq:length=5", &err);
  GS_CHECK (task.T == 5 && task.T_dec == 5 && task.V_dec == task.O + 1, "reverse shape");
  a = make_batch (&task, 11, B);
  for (int b = 0; b < B; b++)
    for (int t = 0; t < 5; t++) {
      GS_CHECK (a.dec_targets[t * B + b] == a.tokens[(4 - t) * B + b], "reverse: output %d is input %d", t, 4 - t);
      GS_CHECK (a.dec_tokens[t * B + b] == (t == 0 ? task.V_dec - 1 : a.dec_targets[(t - 1) * B + b]),
                "reverse: teacher forcing");
      GS_CHECK (a.targets[t * B + b] == -1, "the encoder has no targets");
    }
  gs_batch_free (&a);
  gs_task_clear (&task);

  gs_task_init (&task, "seq2seq:kind=date", &err);
  a = make_batch (&task, 12, B);
  for (int b = 0; b < B; b++) {
    char src[11], dst[11], want[11];
    for (int t = 0; t < 10; t++) {
      src[t] = task.vocab[a.tokens[t * B + b]][0];
      dst[t] = task.out_vocab[a.dec_targets[t * B + b]][0];
    }
    src[10] = dst[10] = '\0';
    snprintf (want, sizeof want, "%.2s/%.2s/%.4s", src + 8, src + 5, src);
    GS_CHECK (src[4] == '-' && src[7] == '-' && strcmp (dst, want) == 0, "date: %s → %s", src, dst);
    GS_CHECK (atoi (src + 5) >= 1 && atoi (src + 5) <= 12 && atoi (src + 8) >= 1 && atoi (src + 8) <= 31,
              "date: a real month and day (%s)", src);
  }
  gs_batch_free (&a);
  gs_task_clear (&task);
}

static void
test_text_tasks (void)
{
  const char *zh = "床前明月光，疑是地上霜。举头望明月，低头思故乡。";
  const char *path = write_file ("poem.txt", zh, strlen (zh));
  char spec[600];
  GsTask task;
  GsError err;
  GsBatch a;

  snprintf (spec, sizeof spec, "charlm:file=%s,length=8", path);
  GS_CHECK (gs_task_init (&task, spec, &err) == GS_OK, "charlm on a Chinese file: %s", err.msg);
  GS_CHECK (task.V == 19 && task.T == 8, "charlm: 19 distinct characters, not bytes (V = %d)", task.V);
  a = make_batch (&task, 13, 3);
  for (int t = 0; t + 1 < 8; t++)
    for (int b = 0; b < 3; b++)
      GS_CHECK (a.targets[t * 3 + b] == a.tokens[(t + 1) * 3 + b], "charlm: the target is the next character");
  {   /* the window is a piece of the poem */
    char piece[64] = "";
    for (int t = 0; t < 8; t++)
      strcat (piece, task.vocab[a.tokens[t * 3]]);
    GS_CHECK (strstr (zh, piece) != NULL, "charlm: “%s” is in the text", piece);
  }
  gs_batch_free (&a);
  gs_task_clear (&task);

  /* Bad text files: a clear error naming the file. */
  {
    static const unsigned char elf[] = { 0x7F, 'E', 'L', 'F', 0, 0 };
    const char *bad[3] = { write_file ("empty.txt", "", 0), write_file ("bin.dat", elf, sizeof elf),
                           write_file ("latin1.txt", "na\xEFve text", 10) };
    const char *why[3] = { "empty", "not a text file", "invalid UTF-8" };
    for (int i = 0; i < 3; i++) {
      snprintf (spec, sizeof spec, "charlm:file=%s", bad[i]);
      GS_CHECK (gs_task_init (&task, spec, &err) == GS_FAIL && strstr (err.msg, why[i]) && strstr (err.msg, bad[i]),
                "charlm refuses %s: %s", bad[i], err.msg);
      snprintf (spec, sizeof spec, "classify:file=%s", bad[i]);
      GS_CHECK (gs_task_init (&task, spec, &err) == GS_FAIL && strstr (err.msg, why[i]),
                "classify refuses %s: %s", bad[i], err.msg);
    }
    snprintf (spec, sizeof spec, "charlm:file=%s,length=100", path);
    GS_CHECK (gs_task_init (&task, spec, &err) == GS_FAIL && strstr (err.msg, "length"),
              "charlm: a text shorter than a sequence: %s", err.msg);
  }

  /* classify: the shipped Chinese file, then broken ones. */
  GS_CHECK (gs_task_init (&task, "classify:lang=zh", &err) == GS_OK, "classify zh: %s", err.msg);
  GS_CHECK (task.O == 3 && strcmp (task.out_vocab[0], "吃饭") == 0, "classify zh: 3 classes, 吃饭 first");
  a = make_batch (&task, 14, 5);
  for (int b = 0; b < 5; b++) {
    for (int t = 0; t + 1 < task.T; t++)
      GS_CHECK (a.targets[t * 5 + b] == -1, "classify: no target before the last step");
    GS_CHECK (a.targets[(task.T - 1) * 5 + b] >= 0, "classify: the class at the last step");
    GS_CHECK (a.tokens[(task.T - 1) * 5 + b] != 0, "classify: left-padded, the phrase ends at the last step");
  }
  gs_batch_free (&a);
  gs_task_clear (&task);
  {
    const char *ok = "@classes\t吃饭\t睡觉\n吃饭\t我饿了\n睡觉\t我困了\n";
    const char *none = "@classes\t吃饭\t睡觉\t出门\n吃饭\t我饿了\n睡觉\t我困了\n";
    const char *one = "a\tx y\na\tz\n";
    const char *notab = "吃饭 我饿了\n";
    const char *undeclared = "@classes\ta\tb\na\tx\nb\ty\nc\tz\n";
    const char *files[5] = { ok, none, one, notab, undeclared };
    const char *want[5] = { NULL, "出门", "two", "line 1", "line 4" };
    for (int i = 0; i < 5; i++) {
      snprintf (spec, sizeof spec, "classify:file=%s", write_file ("c.tsv", files[i], strlen (files[i])));
      if (want[i] == NULL) {
        GS_CHECK (gs_task_init (&task, spec, &err) == GS_OK && task.T == 3 && task.O == 2,
                  "classify: a small file loads: %s", err.msg);
        gs_task_clear (&task);
      } else
        GS_CHECK (gs_task_init (&task, spec, &err) == GS_FAIL && strstr (err.msg, want[i]),
                  "classify: bad file %d: “%s” names “%s”", i, err.msg, want[i]);
    }
  }
}

/* ------------------------------------------------------------------------ */
/* Specs                                                                    */

static void
test_specs (void)
{
  static const struct { const char *spec, *why; } bad[] = {
    { "nosuch", "unknown task" },
    { "adding:length=2", "between" },
    { "adding:length=1e9", "between" },
    { "adding:length=abc", "number" },
    { "adding:length=10.5", "whole" },
    { "adding:len=50", "no parameter" },
    { "adding:length", "key=value" },
    { "series:kind=cubic", "sine|ohlc" },
    { "temporal_order:bits=4", "between" },
    { "hello:x=1", "none" },
  };
  GsTask task;
  GsError err;
  int n;
  const GsTaskClass *const *classes = gs_task_classes (&n);

  GS_CHECK (n == 12, "12 tasks");
  for (int i = 0; i < n; i++) {
    GS_CHECK (gs_task_class_find (classes[i]->name) == classes[i], "%s is found by name", classes[i]->name);
    GS_CHECK (classes[i]->title && classes[i]->description && classes[i]->shape, "%s is described", classes[i]->name);
  }
  GS_CHECK (gs_task_init (&task, "adding:length=50", &err) == GS_OK && task.T == 50
            && strcmp (task.spec, "adding:length=50") == 0, "adding:length=50 (%s)", task.spec);
  gs_task_clear (&task);
  GS_CHECK (gs_task_init (&task, "adding:length=100", &err) == GS_OK && strcmp (task.spec, "adding") == 0,
            "a default value is left out of the canonical spec (%s)", task.spec);
  gs_task_clear (&task);
  GS_CHECK (gs_task_init (&task, "copy:lag=3,length=4", &err) == GS_OK && strcmp (task.spec, "copy:length=4,lag=3") == 0
            && task.T == 11, "keys in any order; canonical order (%s)", task.spec);
  gs_task_clear (&task);
  GS_CHECK (gs_task_init (&task, NULL, &err) == GS_OK && strcmp (task.name, "hello") == 0, "no spec is hello");
  gs_task_clear (&task);
  /* copy's length was 2 by default: the canonical spec always names it,
   * and a spec from a file that leaves it out meant 2. */
  GS_CHECK (gs_task_init (&task, "copy", &err) == GS_OK && strcmp (task.spec, "copy:length=5") == 0 && task.T == 20,
            "a parameter whose default changed is always named (%s)", task.spec);
  gs_task_clear (&task);
  {
    static const struct { const char *from_file, *means; } old[] = {
      { "copy", "copy:length=2" },
      { "copy:lag=3", "copy:lag=3,length=2" },
      { "copy:length=5", "copy:length=5" },
      { "copy:length=2,lag=4", "copy:length=2,lag=4" },
      { "adding", "adding" },
      { "nosuch", "nosuch" },   /* left for gs_task_init to refuse */
    };
    char spec[GS_TASK_SPEC_MAX];

    for (size_t i = 0; i < sizeof old / sizeof old[0]; i++) {
      snprintf (spec, sizeof spec, "%s", old[i].from_file);
      GS_CHECK (gs_task_spec_from_file (spec, sizeof spec, &err) == GS_OK && strcmp (spec, old[i].means) == 0,
                "“%s” from a file means %s (%s)", old[i].from_file, old[i].means, spec);
    }
    /* what Gatescope writes now reads back as the same task */
    for (int i = 0; i < n; i++) {
      if (gs_task_init (&task, classes[i]->name, &err) != GS_OK)
        continue;   /* a missing shipped file: judged above */
      snprintf (spec, sizeof spec, "%s", task.spec);
      GS_CHECK (gs_task_spec_from_file (spec, sizeof spec, &err) == GS_OK && strcmp (spec, task.spec) == 0,
                "%s: a canonical spec from a file is the same (%s)", classes[i]->name, spec);
      gs_task_clear (&task);
    }
    snprintf (spec, 8, "copy");
    GS_CHECK (gs_task_spec_from_file (spec, 8, &err) == GS_FAIL && strcmp (spec, "copy") == 0
              && strstr (err.msg, "too long") != NULL, "what does not fit is refused, the spec kept: %s", err.msg);
  }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    GS_CHECK (gs_task_init (&task, bad[i].spec, &err) == GS_FAIL && strstr (err.msg, bad[i].why),
              "“%s” is refused: %s", bad[i].spec, err.msg);
  {   /* a file name with a comma */
    const char *p = write_file ("a,b.txt", "abcdefghij", 10);
    char spec[600];
    snprintf (spec, sizeof spec, "charlm:file=%s,length=4", p);
    GS_CHECK (gs_task_init (&task, spec, &err) == GS_OK && task.T == 4 && task.V == 10,
              "a file name with a comma: %s", err.msg);
    gs_task_clear (&task);
  }
}

/* ------------------------------------------------------------------------ */
/* The encoder–decoder gradient, by finite differences                      */

/* Loss of the pair on the trainer's current batch, forward only. */
static double
pair_loss (GsTrainer *tr)
{
  GsModel *enc = tr->model, *dec = tr->decoder;
  const size_t LBH = (size_t) enc->cfg.L * enc->B * enc->cfg.H;

  gs_model_rewind (enc);
  gs_model_forward_seq (enc);
  gs_model_final_state (enc, tr->state, tr->state + LBH);
  gs_model_set_initial_state (dec, tr->state, tr->state + LBH);
  gs_model_forward_seq (dec);
  return gs_model_loss (dec);
}

static void
test_seq2seq_gradient (GsCell cell)
{
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsError err;
  float *grad;
  int checked = 0, bad = 0;

  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "seq2seq:length=4,symbols=5");
  cfg.cell = cell;
  cfg.L = 2;
  cfg.H = 5;
  cfg.E = 3;
  cfg.B = 3;
  cfg.seed = 3;
  tr = gs_trainer_new (&cfg, &err);
  if (!GS_CHECK (tr != NULL && tr->decoder != NULL, "seq2seq trainer: %s", tr ? "" : err.msg))
    return;
  /* Gradients as the trainer computes them (a step's update is skipped by a zero learning rate is not
   * possible: take them before the update by calling the pieces). */
  {
    GsModel *enc = tr->model, *dec = tr->decoder;
    const size_t BH = (size_t) enc->B * enc->cfg.H;
    gs_model_zero_grad (enc);
    gs_model_zero_grad (dec);
    pair_loss (tr);
    gs_model_backward_seq (dec);
    for (int k = 0; k < enc->cfg.L; k++) {
      memcpy (enc->layer[k].dh_next, dec->layer[k].dh_next, sizeof (float) * BH);
      if (enc->layer[k].dc_next)
        memcpy (enc->layer[k].dc_next, dec->layer[k].dc_next, sizeof (float) * BH);
    }
    gs_model_backward_seq (enc);
  }
  grad = malloc (tr->model->n_params * sizeof *grad);
  memcpy (grad, tr->model->grads_mem, tr->model->n_params * sizeof *grad);
  /* Central differences on a spread of encoder parameters: they reach the
   * loss only through the state handed to the decoder. */
  for (size_t i = 0; i < tr->model->n_params; i += 7) {
    float *p = &tr->model->params_mem[i], saved = *p;
    const float h = 1e-2f;
    double lp, lm, num;
    *p = saved + h;
    lp = pair_loss (tr);
    *p = saved - h;
    lm = pair_loss (tr);
    *p = saved;
    num = (lp - lm) / (2.0 * h);
    checked++;
    if (fabs (num - grad[i]) > 2e-3 + 0.05 * fabs (num)) {
      if (bad++ < 5)
        fprintf (stderr, "  %s encoder param %zu: analytic %g, numeric %g\n", gs_cell_name (cell), i,
                 (double) grad[i], num);
    }
  }
  GS_CHECK (bad == 0, "%s: encoder gradients through the decoder match finite differences (%d of %d off)",
            gs_cell_name (cell), bad, checked);
  {
    double norm = 0.0;
    for (size_t i = 0; i < tr->model->n_params; i++)
      norm += (double) grad[i] * grad[i];
    GS_CHECK (norm > 1e-12, "%s: the encoder receives a gradient", gs_cell_name (cell));
  }
  free (grad);
  gs_trainer_free (tr);
}

/* ------------------------------------------------------------------------ */
/* Sampling                                                                 */

static void
test_sample (void)
{
  const char *text = "abcabcabcabcabcabcabcabcabcabcabcabc";
  char spec[600];
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsError err;
  GsRng rng;
  char *out = NULL, *chars;
  GsCharVocab v;

  snprintf (spec, sizeof spec, "charlm:file=%s,length=6", write_file ("abc.txt", text, strlen (text)));
  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "%s", spec);
  cfg.cell = GS_CELL_LSTM;
  cfg.L = 1;
  cfg.H = 16;
  cfg.B = 8;
  cfg.opt.lr = 0.05f;
  tr = gs_trainer_new (&cfg, &err);
  if (!GS_CHECK (tr != NULL, "charlm trainer: %s", tr ? "" : err.msg))
    return;
  for (int s = 0; s < 150; s++)
    gs_trainer_step (tr, &err);
  {
    GsTaskEval ev;
    gs_trainer_evaluate (tr, &ev, &err);
    GS_CHECK (ev.solved && ev.metric > 0.99f, "charlm learns abcabc… (accuracy %.3f)", (double) ev.metric);
  }
  gs_vocab_build (&v, (const uint32_t[]) { 'a', 'b', 'c' }, 3, &err);
  chars = gs_vocab_to_utf8 (&v);
  gs_vocab_clear (&v);
  gs_rng_seed (&rng, 1);
  GS_CHECK (gs_task_sample (&out, tr->model, chars, "ab", 7, 0.0f, &rng, &err) == GS_OK, "sample: %s", err.msg);
  GS_CHECK (out && strcmp (out, "abcabcabc") == 0, "greedy sampling continues the pattern: %s", out ? out : "");
  free (out);
  GS_CHECK (gs_task_sample (&out, tr->model, chars, "ab", 20, 1.5f, &rng, &err) == GS_OK && strlen (out) == 22
            && strspn (out, "abc") == 22, "sampling at a temperature gives 20 more characters of the vocabulary");
  free (out);
  GS_CHECK (gs_task_sample (&out, tr->model, chars, "abx", 5, 1.0f, &rng, &err) == GS_FAIL && strstr (err.msg, "“x”"),
            "a prime outside the vocabulary is refused: %s", err.msg);
  GS_CHECK (gs_task_sample (&out, tr->model, chars, "", 5, 1.0f, &rng, &err) == GS_FAIL, "an empty prime is refused");
  GS_CHECK (gs_task_sample (&out, tr->model, "abcd", "ab", 5, 1.0f, &rng, &err) == GS_FAIL,
            "a vocabulary of another size is refused");
  free (chars);
  gs_trainer_free (tr);
}

static void
test_experiments (void)
{
  int n;
  const GsExperiment *e = gs_experiments (&n);
  GsExperimentRun run;
  GsError err;

  GS_CHECK (n == 2 && gs_experiment_find ("adding") && gs_experiment_find ("temporal_order"), "two experiments");
  for (int i = 0; i < n; i++) {
    GsTask task;
    GS_CHECK (gs_task_init (&task, e[i].task, &err) == GS_OK, "%s: its task parses", e[i].name);
    gs_task_clear (&task);
    GS_CHECK (gs_experiment_run (&e[i], GS_CELL_LSTM, 0, 3, NULL, &run, &err) == GS_OK && run.steps == 3
              && isfinite (run.ev.metric), "%s: a short run", e[i].name);
  }
  GS_CHECK (fabsf (e[0].lr - 5e-3f) < 1e-9f && e[0].H == 8 && e[0].B == 32 && e[0].clip == 1.0f,
            "adding: the published settings");

  /* Greff et al.'s variants: each a valid LSTM, each one change from the
   * vanilla (peephole) LSTM, and a short run of each trains that variant. */
  {
    int nv;
    const GsOdysseyVariant *var = gs_odyssey_variants (&nv);
    const GsVariant *van = &var[0].variant;
    GS_CHECK (nv == GS_ODYSSEY_VARIANTS && strcmp (var[0].name, "V") == 0 && van->peephole
              && gs_odyssey ()->seeds >= 3, "odyssey: V and eight variants");
    for (int v = 1; v < nv; v++) {
      const GsVariant *x = &var[v].variant;
      int changes = (x->peephole != van->peephole) + x->no_input_gate + x->no_forget_gate + x->no_output_gate
                    + x->no_input_act + x->no_output_act + x->cifg + x->full_gate_recurrence;
      GS_CHECK (gs_variant_validate (x, GS_CELL_LSTM, 8, 1, &err) == GS_OK && changes == 1,
                "odyssey %s: a valid LSTM one change from V (%d changes)", var[v].name, changes);
      GS_CHECK (gs_experiment_run_variant (gs_odyssey (), x, 0, 2, NULL, NULL, NULL, &run, &err) == GS_OK
                && run.steps == 2 && isfinite (run.ev.metric), "odyssey %s: a short run", var[v].name);
    }
  }
}

/* The spec grammar, exported for the settings panel: split without
 * building, a comma inside a file name kept, faults named. */
static void
check_spec_parse (void)
{
  GsTaskSpec sp;
  GsError err = { "" };
  const GsTaskClass *charlm = gs_task_class_find ("charlm");
  int file = -1, length = -1;

  for (int i = 0; i < charlm->n_params; i++) {
    if (strcmp (charlm->params[i].key, "file") == 0)
      file = i;
    if (strcmp (charlm->params[i].key, "length") == 0)
      length = i;
  }
  GS_CHECK (gs_task_spec_parse (&sp, "charlm:file=a,b.txt,length=5", &err) == GS_OK && sp.klass == charlm
            && file >= 0 && length >= 0 && strcmp (sp.values[file], "a,b.txt") == 0
            && strcmp (sp.values[length], "5") == 0, "charlm spec split: %s", err.msg);
  for (int i = 0; i < charlm->n_params; i++)
    if (i != file && i != length)
      GS_CHECK (sp.values[i] == NULL, "parameter %s left at its default", charlm->params[i].key);
  gs_task_spec_clear (&sp);
  GS_CHECK (gs_task_spec_parse (&sp, "adding:length=10,bogus=1", &err) == GS_FAIL
            && sp.klass == gs_task_class_find ("adding") && strstr (err.msg, "bogus"),
            "an unknown key is named, the class kept: %s", err.msg);
  gs_task_spec_clear (&sp);
  GS_CHECK (gs_task_spec_parse (&sp, "nosuch:x=1", &err) == GS_FAIL && sp.klass == NULL
            && strstr (err.msg, "nosuch"), "an unknown task is named: %s", err.msg);
  gs_task_spec_clear (&sp);
  GS_CHECK (gs_task_spec_parse (&sp, "", &err) == GS_OK && sp.klass == gs_task_class_find ("hello"),
            "the empty spec is hello");
  gs_task_spec_clear (&sp);
}

/* ------------------------------------------------------------------------ */
/* classify: the split, the unknown token, training against held-out      */

/* The phrase of sequence b as its tokens joined ("12,40,7"), pads left out. */
static void
phrase_key (const GsBatch *a, int b, char *buf, size_t size)
{
  size_t len = 0;

  buf[0] = '\0';
  for (int t = 0; t < a->T; t++) {
    int tok = a->tokens[(size_t) t * a->B + b];
    if (tok != 0 && len + 12 < size)
      len += (size_t) snprintf (buf + len, size - len, "%d,", tok);
  }
  snprintf (buf + len, size - len, "=%d", a->targets[(size_t) (a->T - 1) * a->B + b]);
}

/* The held-out sequences (held_out) or the training set (training_set),
 * whole, as one batch. */
static GsBatch
judged_batch (const GsTask *task, bool held_out)
{
  GsBatch a;
  GsRng rng;
  GsError err;
  int B = held_out ? task->eval_B : task->n_train;

  if (gs_batch_alloc (&a, task, 0, B, &err) != GS_OK) {
    fprintf (stderr, "batch: %s\n", err.msg);
    exit (2);
  }
  gs_rng_seed (&rng, 1);
  a.held_out = held_out;
  a.training_set = !held_out;
  a.first = 0;
  gs_task_fill (task, &rng, &a);
  return a;
}

static void
check_classify_split (const char *spec, int n_classes)
{
  GsTask task, other;
  GsError err;
  GsBatch held, train, other_held;
  char key[2048], key2[2048];
  int overlap = 0, moved = 0;
  int count_held[8] = { 0 }, count_train[8] = { 0 };
  bool stratified = true;

  if (!GS_CHECK (gs_task_init (&task, spec, &err) == GS_OK, "%s: %s", spec, err.msg))
    return;
  held = judged_batch (&task, true);
  train = judged_batch (&task, false);
  /* disjoint: no held-out phrase is a training phrase */
  for (int i = 0; i < held.B; i++) {
    phrase_key (&held, i, key, sizeof key);
    for (int j = 0; j < train.B; j++) {
      phrase_key (&train, j, key2, sizeof key2);
      overlap += strcmp (key, key2) == 0;
    }
    count_held[held.targets[(size_t) (held.T - 1) * held.B + i]]++;
  }
  for (int j = 0; j < train.B; j++)
    count_train[train.targets[(size_t) (train.T - 1) * train.B + j]]++;
  GS_CHECK (overlap == 0, "%s: held-out and training examples are disjoint (%d shared)", spec, overlap);
  /* stratified: a quarter of every class, rounded */
  for (int c = 0; c < n_classes; c++) {
    int all = count_held[c] + count_train[c];
    stratified &= all > 0 && count_held[c] == (int) lround (0.25 * all);
  }
  GS_CHECK (stratified && task.eval_B + task.n_train > 100,
            "%s: a quarter of each class held out (%d + %d held, of %d examples)", spec, count_held[0], count_held[1],
            task.eval_B + task.n_train);
  /* another split seed: other examples, the same counts */
  {
    char spec2[128];
    snprintf (spec2, sizeof spec2, "%s,split=2", spec);
    GS_CHECK (gs_task_init (&other, spec2, &err) == GS_OK, "%s: %s", spec2, err.msg);
    other_held = judged_batch (&other, true);
    GS_CHECK (other.eval_B == task.eval_B, "%s: the same number held out", spec2);
    for (int i = 0; i < held.B && i < other_held.B; i++) {
      phrase_key (&held, i, key, sizeof key);
      phrase_key (&other_held, i, key2, sizeof key2);
      moved += strcmp (key, key2) != 0;
    }
    GS_CHECK (moved > 0, "%s: another seed holds out other examples (%d differ)", spec2, moved);
    gs_batch_free (&other_held);
    gs_task_clear (&other);
  }
  /* training batches (with <unk> off) draw from the training examples only */
  {
    char spec3[128];
    GsTask plain;
    snprintf (spec3, sizeof spec3, "%s,unk=0", spec);
    GS_CHECK (gs_task_init (&plain, spec3, &err) == GS_OK, "%s: %s", spec3, err.msg);
    for (int k = 0; k < 4; k++) {
      GsBatch a = make_batch (&plain, 100 + k, 64);
      int leaked = 0;
      for (int b = 0; b < a.B; b++) {
        phrase_key (&a, b, key, sizeof key);
        for (int i = 0; i < held.B; i++) {
          phrase_key (&held, i, key2, sizeof key2);
          leaked += strcmp (key, key2) == 0;
        }
      }
      GS_CHECK (leaked == 0, "%s: training batch %d holds no held-out example (%d)", spec3, k, leaked);
      gs_batch_free (&a);
    }
    gs_task_clear (&plain);
  }
  /* <unk> in training batches at about the rate asked, never when judging */
  {
    GsTask many;
    char spec4[128];
    long unk = 0, chars = 0, judged_unk = 0;
    snprintf (spec4, sizeof spec4, "%s,unk=0.2", spec);
    GS_CHECK (gs_task_init (&many, spec4, &err) == GS_OK, "%s: %s", spec4, err.msg);
    GsBatch a = make_batch (&many, 7, 256);
    for (size_t i = 0; i < (size_t) a.T * a.B; i++) {
      chars += a.tokens[i] != 0;
      unk += a.tokens[i] == GS_CLASSIFY_UNK;
    }
    for (size_t i = 0; i < (size_t) held.T * held.B; i++)
      judged_unk += held.tokens[i] == GS_CLASSIFY_UNK;
    for (size_t i = 0; i < (size_t) train.T * train.B; i++)
      judged_unk += train.tokens[i] == GS_CLASSIFY_UNK;
    GS_CHECK (fabs ((double) unk / chars - 0.2) < 0.03, "%s: %ld of %ld training characters are <unk>", spec4, unk,
              chars);
    GS_CHECK (judged_unk == 0 && strcmp (many.vocab[GS_CLASSIFY_UNK], "<unk>") == 0,
              "%s: judging never replaces a character (%ld); token 1 is <unk>", spec4, judged_unk);
    gs_batch_free (&a);
    gs_task_clear (&many);
  }
  gs_batch_free (&held);
  gs_batch_free (&train);
  gs_task_clear (&task);
}

/* charlm holds out the end of its text: training windows never read a
 * held-out character, the held-out batch reads only those. The text is 90
 * characters of "ab…" then 10 of "xy…": with valid=0.1 the split falls
 * exactly between them. */
static void
check_charlm_split (void)
{
  char text[101], spec[700];
  GsTask task;
  GsError err;
  GsBatch held;
  GsRng rng;
  int x = -1, y = -1, in_train = 0, in_held = 0, other_held = 0;

  for (int i = 0; i < 100; i++)
    text[i] = i < 90 ? "ab"[i % 2] : "xy"[i % 2];
  text[100] = '\0';
  snprintf (spec, sizeof spec, "charlm:file=%s,length=4", write_file ("split.txt", text, 100));
  if (!GS_CHECK (gs_task_init (&task, spec, &err) == GS_OK, "charlm split: %s", err.msg))
    return;
  for (int v = 0; v < task.V; v++) {
    x = strcmp (task.vocab[v], "x") == 0 ? v : x;
    y = strcmp (task.vocab[v], "y") == 0 ? v : y;
  }
  GS_CHECK (x >= 0 && y >= 0 && task.V == 4, "the vocabulary is the whole file's: a, b, x, y");
  gs_rng_seed (&rng, 5);
  for (int k = 0; k < 50; k++) {
    GsBatch batch;
    if (gs_batch_alloc (&batch, &task, 0, 8, &err) != GS_OK)
      break;
    gs_task_fill (&task, &rng, &batch);
    for (int i = 0; i < batch.T * batch.B; i++)
      in_train += batch.tokens[i] == x || batch.tokens[i] == y || batch.targets[i] == x || batch.targets[i] == y;
    gs_batch_free (&batch);
  }
  GS_CHECK (in_train == 0, "no training window reads a held-out character (%d did)", in_train);
  if (GS_CHECK (gs_task_eval_batch (&task, &held, &err) == GS_OK, "held-out batch: %s", err.msg)) {
    for (int i = 0; i < held.T * held.B; i++) {
      bool xy = (held.tokens[i] == x || held.tokens[i] == y) && (held.targets[i] == x || held.targets[i] == y);
      in_held += xy;
      other_held += !xy;
    }
    GS_CHECK (in_held > 0 && other_held == 0, "the held-out windows lie in the held-out end (%d of %d steps)", in_held,
              in_held + other_held);
    gs_batch_free (&held);
  }
  gs_task_clear (&task);

  /* The text must hold a sequence to train on and one held out. */
  snprintf (spec, sizeof spec, "charlm:file=%s,length=8", write_file ("short.txt", text, 17));
  GS_CHECK (gs_task_init (&task, spec, &err) == GS_FAIL && strstr (err.msg, "held out") && strstr (err.msg, "18"),
            "17 characters cannot train on 9 and hold out 9: %s", err.msg);
}

/* charlm's bar (gs_count_baselines) on a text small enough to count by
 * hand. Tokens a b c d e = 0 1 2 3 4; the training text is "abcabdd":
 *   unigram: a 2, b 2, c 1, d 2 → a (the lowest of the commonest);
 *   pairs ab ×2, bc, bd, ca, dd → after a: b; after b: c and d once each,
 *   d the commoner → d; after c: a; after d: d; e never seen → a.
 * The judged steps (one more with no target, which is skipped):
 *   a→b  bigram ✓   unigram ✗
 *   b→d  bigram ✓   unigram ✗
 *   b→c  bigram ✗   unigram ✗
 *   e→a  bigram ✓   unigram ✓   (an unseen context: the unigram's guess)
 *   c→a  bigram ✓   unigram ✓
 *   d→e  bigram ✗   unigram ✗
 * bigram 4/6, unigram 2/6. */
static void
check_count_baselines (void)
{
  enum { a, b, c, d, e };
  const int train[] = { a, b, c, a, b, d, d };
  const int inputs[] = { a, b, b, e, c, d, d };
  const int targets[] = { b, d, c, a, a, e, -1 };
  float unigram = -1.0f, bigram = -1.0f;
  GsError err = { { 0 } };

  GS_CHECK (gs_count_baselines (&unigram, &bigram, train, 7, inputs, targets, 7, 5, &err) == GS_OK, "%s", err.msg);
  GS_CHECK (fabsf (bigram - 4.0f / 6.0f) < 1e-6f && fabsf (unigram - 2.0f / 6.0f) < 1e-6f,
            "count baselines by hand: bigram 4/6 (got %.4f), unigram 2/6 (got %.4f)", (double) bigram,
            (double) unigram);
  GS_CHECK (gs_count_baselines (&unigram, &bigram, train, 7, inputs, targets + 6, 1, 5, &err) == GS_OK
            && isnan (bigram) && isnan (unigram), "no judged step: NaN");
}

/* A naive count of the bigram model over charlm's own held-out batch, to
 * set beside the task's bar: threshold = bigram + (1 − bigram) / 20. The
 * text repeats "the cat sat on the mat. " with a different ending held
 * out. */
static void
check_charlm_bar (void)
{
  char text[400], spec[700];
  GsTask task;
  GsError err = { { 0 } };
  GsBatch held;
  int len = 0;

  for (int i = 0; i < 14; i++)
    len += snprintf (text + len, sizeof text - (size_t) len, "the cat sat on the mat. ");
  len += snprintf (text + len, sizeof text - (size_t) len, "a dog ran to the hat.");
  snprintf (spec, sizeof spec, "charlm:file=%s,length=8", write_file ("bar.txt", text, (size_t) len));
  if (!GS_CHECK (gs_task_init (&task, spec, &err) == GS_OK, "charlm bar: %s", err.msg))
    return;
  if (GS_CHECK (gs_task_eval_batch (&task, &held, &err) == GS_OK, "held-out batch: %s", err.msg)) {
    const size_t n = (size_t) len, n_train = n - (size_t) ceil (0.1 * (double) n);
    int tok[400], right = 0, judged = 0;
    for (size_t i = 0; i < n; i++)
      for (int v = 0; v < task.V; v++)
        if (task.vocab[v][0] == text[i])
          tok[i] = v;
    for (int i = 0; i < held.T * held.B; i++) {
      /* the commonest successor of the input in text[0, n_train), ties: commoner, then lower token */
      int count[128] = { 0 }, uni[128] = { 0 }, best = -1;
      for (size_t k = 0; k < n_train; k++)
        uni[tok[k]]++;
      for (size_t k = 0; k + 1 < n_train; k++)
        count[tok[k + 1]] += tok[k] == held.tokens[i];
      for (int v = 0; v < task.V; v++)
        if (best < 0 || count[v] > count[best] || (count[v] == count[best] && uni[v] > uni[best]))
          best = v;
      if (count[best] == 0)   /* an input never followed in training: the commonest character */
        for (int v = 0; v < task.V; v++)
          if (uni[v] > uni[best])
            best = v;
      judged++;
      right += held.targets[i] == best;
    }
    const float bigram = (float) right / (float) judged;
    const float raw = bigram + 0.05f * (1.0f - bigram);
    GS_CHECK (task.solve_threshold >= raw - 1e-5f && task.solve_threshold < raw + 0.01f
              && fabsf (100.0f * task.solve_threshold - roundf (100.0f * task.solve_threshold)) < 1e-3f
              && bigram > 0.0f && bigram < 1.0f,
              "charlm's bar is the judged bigram's %.4f plus a twentieth of its errors (%.4f), up to a whole "
              "percent: %.4f", (double) bigram, (double) raw, (double) task.solve_threshold);
    gs_batch_free (&held);
  }
  gs_task_clear (&task);

  /* The task's description gives the shipped corpora's bars: they must be
   * the ones computed. */
  {
    static const struct { const char *spec, *shown; } shipped[] = {
      { "charlm", "43% on the English verse" }, { "charlm:corpus=zh", "22% on the Tang poems" },
    };
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
      if (!GS_CHECK (gs_task_init (&task, shipped[i].spec, &err) == GS_OK, "%s: %s", shipped[i].spec, err.msg))
        continue;
      GS_CHECK (strstr (task.klass->description, shipped[i].shown) != NULL
                && fabsf (100.0f * task.solve_threshold - (float) atof (shipped[i].shown)) < 1e-3f,
                "%s: the description says %s, the bar is %.2f %%", shipped[i].spec, shipped[i].shown,
                100.0 * task.solve_threshold);
      gs_task_clear (&task);
    }
  }
}

/* FNV-1a of sequence b's input and targets (as in the overlap measurement
 * of the README's validation table). */
static uint64_t
sequence_fingerprint (const GsTask *task, const GsBatch *batch, int b)
{
  uint64_t h = 1469598103934665603ull;

  for (int t = 0; t < batch->T; t++) {
    const size_t tb = (size_t) t * batch->B + b;
    const unsigned char *p = task->input == GS_INPUT_DENSE ? (const unsigned char *) (batch->xs + tb * task->V)
                                                           : (const unsigned char *) &batch->tokens[tb];
    const size_t n = task->input == GS_INPUT_DENSE ? sizeof (float) * (size_t) task->V : sizeof (int);
    for (size_t i = 0; i < n; i++)
      h = (h ^ p[i]) * 1099511628211ull;
    h = (h ^ batch->ymask[tb]) * 1099511628211ull;
  }
  return h;
}

static int
compare_u64 (const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
  return x < y ? -1 : x > y;
}

/* Every task but hello judges sequences its training batches never hold:
 * 200 training batches of 32 against the first held-out chunk. Before the
 * split, copy's held-out sequences were all training ones, reber's nearly
 * all, seq2seq's half. */
static void
check_held_out_never_trained (void)
{
  int n;
  const GsTaskClass *const *classes = gs_task_classes (&n);
  enum { STEPS = 200, BT = 32 };
  uint64_t *seen = malloc (sizeof *seen * STEPS * BT);

  for (int i = 0; i < n && seen != NULL; i++) {
    GsTask task;
    GsError err;
    GsBatch batch, held;
    GsRng rng;
    int met = 0;

    if (!GS_CHECK (gs_task_init (&task, classes[i]->name, &err) == GS_OK, "%s: %s", classes[i]->name, err.msg))
      continue;
    if (gs_batch_alloc (&batch, &task, 0, BT, &err) == GS_OK && gs_task_eval_batch (&task, &held, &err) == GS_OK) {
      gs_rng_seed (&rng, 11);
      for (int k = 0; k < STEPS; k++) {
        gs_task_fill (&task, &rng, &batch);
        for (int b = 0; b < BT; b++)
          seen[k * BT + b] = sequence_fingerprint (&task, &batch, b);
      }
      qsort (seen, STEPS * BT, sizeof *seen, compare_u64);
      for (int b = 0; b < held.B; b++) {
        uint64_t h = sequence_fingerprint (&task, &held, b);
        met += held.T == batch.T && bsearch (&h, seen, STEPS * BT, sizeof *seen, compare_u64) != NULL;
      }
      if (task.no_held_out)
        GS_CHECK (met == held.B, "%s: nothing held out, the judged sequence is the training one", task.name);
      else
        GS_CHECK (met == 0, "%s: %d of %d held-out sequences were also training sequences", task.name, met, held.B);
      gs_batch_free (&held);
      gs_batch_free (&batch);
    }
    gs_task_clear (&task);
  }
  free (seen);
}

/* What was judged is said: hello's only sequence is its training data, so
 * its score is a training score; a classify file with one phrase per class
 * has nothing to hold out either; the shipped classify data has. */
static void
check_on_training_data (void)
{
  static const struct { const char *spec; bool none; } cases[] = {
    { "hello", true },
    { "classify", false },
    { "charlm", false },
    { "xor", false },
  };
  GsTrainConfig cfg;
  GsError err;
  char spec[700];

  for (size_t i = 0; i < sizeof cases / sizeof cases[0] + 1; i++) {
    GsTrainer *tr;
    GsTaskEval held, train;
    bool none = i < sizeof cases / sizeof cases[0] ? cases[i].none : true;

    if (i < sizeof cases / sizeof cases[0])
      snprintf (spec, sizeof spec, "%s", cases[i].spec);
    else
    {
      static const char one_each[] = "good\tnice day\nbad\tawful day\n";
      snprintf (spec, sizeof spec, "classify:file=%s", write_file ("one-each.tsv", one_each, strlen (one_each)));
    }
    gs_train_config_default (&cfg);
    snprintf (cfg.task, sizeof cfg.task, "%s", spec);
    tr = gs_trainer_new (&cfg, &err);
    if (!GS_CHECK (tr != NULL, "%s: %s", spec, tr ? "" : err.msg))
      continue;
    GS_CHECK (tr->task.no_held_out == none, "%s: %s", spec, none ? "nothing held out" : "data held out");
    GS_CHECK (gs_trainer_evaluate (tr, &held, &err) == GS_OK && gs_trainer_evaluate_training (tr, &train, &err) == GS_OK,
              "%s: judged: %s", spec, err.msg);
    GS_CHECK (held.on_training_data == none && train.on_training_data,
              "%s: the held-out judgement is %s, the training one on training data", spec,
              none ? "on training data" : "on held-out data");
    gs_trainer_free (tr);
  }
}

/* A phrase typed by the user: its characters as the data's tokens, the
 * ones the data never had as <unk>. */
static void
check_classify_encode (void)
{
  GsTask task, hello;
  GsError err;
  int tokens[16], unknown = -1, n;

  if (!GS_CHECK (gs_task_init (&task, "classify:lang=zh", &err) == GS_OK, "classify zh: %s", err.msg))
    return;
  n = gs_task_classify_encode (&task, "我饿了马就\n", tokens, 16, &unknown, &err);
  GS_CHECK (n == 5 && unknown == 2 && tokens[3] == GS_CLASSIFY_UNK && tokens[4] == GS_CLASSIFY_UNK,
            "我饿了马就: 5 tokens, 马 and 就 unknown (%d tokens, %d unknown): %s", n, unknown, n < 0 ? err.msg : "");
  GS_CHECK (n == 5 && strcmp (task.vocab[tokens[0]], "我") == 0 && strcmp (task.vocab[tokens[1]], "饿") == 0,
            "我 and 饿 are the data's own tokens");
  GS_CHECK (gs_task_classify_encode (&task, "", tokens, 16, NULL, &err) == -1 && strstr (err.msg, "empty"),
            "an empty phrase is refused: %s", err.msg);
  GS_CHECK (gs_task_classify_encode (&task, "我饿了我饿了我饿了我饿了我饿了我饿了", tokens, 16, NULL, &err) == -1
            && strstr (err.msg, "16"), "a phrase longer than the buffer is refused: %s", err.msg);
  GS_CHECK (gs_task_classify_encode (&task, "\xff", tokens, 16, NULL, &err) == -1, "invalid UTF-8 is refused: %s",
            err.msg);
  if (GS_CHECK (gs_task_init (&hello, "hello", &err) == GS_OK, "hello: %s", err.msg)) {
    GS_CHECK (gs_task_classify_encode (&hello, "hi", tokens, 16, NULL, &err) == -1 && strstr (err.msg, "hello"),
              "hello does not classify phrases: %s", err.msg);
    gs_task_clear (&hello);
  }
  gs_task_clear (&task);
}

/* A model judged on what it trained on and on held-out data scores
 * differently: classify (a fixed training set) and sentiment (held-out
 * sentences the training batches never draw). */
static void
check_train_vs_held_out (const char *spec, int steps)
{
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsTaskEval train, held, again;
  GsError err;

  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "%s", spec);
  cfg.cell = GS_CELL_GRU;
  cfg.L = 1;
  cfg.H = 32;
  cfg.E = 16;
  cfg.B = 16;
  gs_opt_config_default (&cfg.opt, GS_OPT_ADAM);
  cfg.opt.lr = 0.01f;
  cfg.clip = 1.0f;
  tr = gs_trainer_new (&cfg, &err);
  if (!GS_CHECK (tr != NULL, "%s: trainer: %s", spec, tr ? "" : err.msg))
    return;
  for (int s = 0; s < steps; s++)
    if (!GS_CHECK (gs_trainer_step (tr, &err) == GS_OK, "%s: step %d: %s", spec, s, err.msg))
      break;
  GS_CHECK (gs_trainer_evaluate_training (tr, &train, &err) == GS_OK && gs_trainer_evaluate (tr, &held, &err) == GS_OK
            && gs_trainer_evaluate_training (tr, &again, &err) == GS_OK, "%s: judged: %s", spec, err.msg);
  GS_CHECK (train.metric == again.metric && train.loss == again.loss, "%s: the training judgement is deterministic",
            spec);
  GS_CHECK (train.n == (tr->task.n_train > 0 ? tr->task.n_train : held.n), "%s: %d training sequences judged", spec,
            train.n);
  GS_CHECK (train.metric != held.metric && train.loss != held.loss,
            "%s: training and held-out scores differ (accuracy %.3f vs %.3f, loss %.4f vs %.4f)", spec,
            (double) train.metric, (double) held.metric, (double) train.loss, (double) held.loss);
  if (tr->task.n_train > 0)   /* a fixed training set is learnt better than the held-out examples */
    GS_CHECK (train.loss < held.loss && train.metric > held.metric,
              "%s: the training scores are the better (loss %.4f < %.4f)", spec, (double) train.loss,
              (double) held.loss);
  gs_trainer_free (tr);
}

int
main (void)
{
  int n;
  const GsTaskClass *const *classes;
  char cmd[600];

  if (mkdtemp (tmpdir) == NULL) {
    perror ("mkdtemp");
    return 2;
  }
  check_spec_parse ();
  classes = gs_task_classes (&n);
  for (int i = 0; i < n; i++)
    check_generic (classes[i]->name);
  check_generic ("classify:lang=zh");
  check_generic ("charlm:corpus=zh");
  check_generic ("series:kind=ohlc");
  check_generic ("seq2seq:kind=date");
  check_generic ("temporal_order:bits=2");
  for (int i = 0; i < n; i++) {
    check_trains (classes[i]->name, GS_CELL_LSTM);
    check_trains (classes[i]->name, GS_CELL_GRU);
  }
  check_trains ("seq2seq:kind=date", GS_CELL_RNN_TANH);
  test_hello ();
  test_adding ();
  test_temporal_order ();
  test_copy ();
  test_xor ();
  test_reber ();
  test_series ();
  test_seq2seq ();
  test_text_tasks ();
  check_classify_split ("classify:lang=zh", 3);
  check_classify_split ("classify:lang=en", 2);
  check_classify_encode ();
  check_train_vs_held_out ("classify", 300);
  check_train_vs_held_out ("sentiment", 60);
  check_train_vs_held_out ("charlm", 100);
  test_specs ();
  test_seq2seq_gradient (GS_CELL_LSTM);
  test_seq2seq_gradient (GS_CELL_GRU);
  test_seq2seq_gradient (GS_CELL_RNN_TANH);
  test_sample ();
  check_charlm_split ();
  check_count_baselines ();
  check_charlm_bar ();
  check_on_training_data ();
  check_held_out_never_trained ();
  test_experiments ();
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system (cmd) != 0)
    fprintf (stderr, "could not remove %s\n", tmpdir);
  return gs_test_finish ("tasks");
}
