/* test-sentiment — the order-sensitive sentiment task and its comparison.
 *
 * Every generated sentence's label is recomputed here from the grammar
 * (gs-task-sentiment.c): the last clause decides, each negation flips its
 * adjective, "and" joins clauses that agree; sentences with the very same
 * words in another order carry the other label; the filler run between a
 * negation and its adjective never exceeds `distance` and reaches it; the
 * training batches never hold a held-out sentence (FNV-1a of the words ≡ 0
 * mod 5) and the held-out batch holds only those; and a short comparison run
 * reports training and held-out accuracy on those disjoint sets.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-task-sentiment.h"
#include "gs-task.h"
#include "gs-test.h"

enum { B_TEST = 400 };

static bool
in (const char *w, const char *const *set)
{
  for (int i = 0; set[i] != NULL; i++)
    if (strcmp (w, set[i]) == 0)
      return true;
  return false;
}

static const char *const positive[] = { "good", "great", "fun", "clever", "fine",
                                        "好", "精彩", "有趣", "感人", "不错", NULL };
static const char *const negative[] = { "bad", "boring", "awful", "dull", "weak",
                                        "差", "无聊", "糟糕", "乏味", "难看", NULL };
static const char *const negation[] = { "not", "不是", "不", NULL };
static const char *const fillers[] = { "very", "really", "quite", "so", "truly", "很", "非常", "真的", "特别", "太", NULL };

/* The label of words[from … to), one clause; −1 if it is not a clause.
 * *run receives the longest filler run. */
static int
clause_label (const char *const *w, int from, int to, int *run)
{
  int negs = 0, r = 0;

  for (int i = from; i < to - 1; i++) {
    negs += in (w[i], negation);
    r = in (w[i], fillers) ? r + 1 : 0;
    if (r > *run)
      *run = r;
  }
  if (in (w[to - 1], positive))
    return negs % 2 == 0;
  if (in (w[to - 1], negative))
    return negs % 2 == 1;
  return -1;
}

static uint32_t
fnv (const int *tokens, int n)
{
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; i++) {
    h ^= (uint32_t) tokens[i];
    h *= 16777619u;
  }
  return h;
}

static void
check_batches (const char *spec, int distance)
{
  GsTask task;
  GsBatch batch;
  GsRng rng;
  GsError err;
  int longest_run = 0, swapped_pairs = 0;

  if (!GS_CHECK (gs_task_init (&task, spec, &err) == GS_OK, "%s: %s", spec, err.msg))
    return;
  for (int split = 0; split < 2; split++) {
    char (*keys)[256] = calloc (B_TEST, 256);
    int *labels = calloc (B_TEST, sizeof *labels);

    if (!GS_CHECK (gs_batch_alloc (&batch, &task, 0, B_TEST, &err) == GS_OK, "batch"))
      break;
    gs_rng_seed (&rng, 11 + (uint64_t) split);
    if (split == 0)
      gs_task_fill (&task, &rng, &batch);
    else
      task.klass->fill_held_out (&task, &rng, &batch);
    for (int b = 0; b < B_TEST; b++) {
      const char *w[64];
      int tok[64], n = 0, y = batch.targets[(size_t) (batch.T - 1) * B_TEST + b], label = -1, start = 0;
      int counts[64] = { 0 };

      for (int t = 0; t < batch.T; t++) {
        int id = batch.tokens[(size_t) t * B_TEST + b];
        if (id == 0)
          continue;
        tok[n] = id;
        w[n++] = task.vocab[id];
        counts[id]++;
      }
      GS_CHECK ((fnv (tok, n) % 5 == 0) == (split == 1), "%s: sentence %d is in the %s split", spec, b,
                split ? "held-out" : "training");
      /* The last clause decides; "and" needs both to agree. */
      for (int i = 0; i < n; i++)
        if (strcmp (w[i], "but") == 0 || strcmp (w[i], "但是") == 0 || strcmp (w[i], "and") == 0
            || strcmp (w[i], "而且") == 0) {
          int first = clause_label (w, 0, i, &longest_run);
          int second = clause_label (w, i + 1, n, &longest_run);
          bool contrast = strcmp (w[i], "but") == 0 || strcmp (w[i], "但是") == 0;
          GS_CHECK (first >= 0 && second >= 0 && (contrast ? first != second : first == second),
                    "%s: %s clauses", spec, contrast ? "contrasting" : "agreeing");
          label = second;
          start = i + 1;
        }
      if (start == 0)
        label = clause_label (w, 0, n, &longest_run);
      GS_CHECK (label == y, "%s: sentence %d labelled %d, the grammar says %d", spec, b, y, label);
      /* A bag of words: the token counts, for finding reordered twins. */
      for (int i = 1; i < 64; i++)
        snprintf (keys[b] + strlen (keys[b]), 256 - strlen (keys[b]), "%d,", counts[i]);
      labels[b] = y;
    }
    for (int a = 0; a < B_TEST; a++)
      for (int b = a + 1; b < B_TEST; b++)
        swapped_pairs += strcmp (keys[a], keys[b]) == 0 && labels[a] != labels[b];
    gs_batch_free (&batch);
    free (keys);
    free (labels);
  }
  GS_CHECK (longest_run == distance, "%s: the longest filler run is %d, the distance %d", spec, longest_run, distance);
  /* With fillers and five subjects the twins are rare among 400; without
   * fillers ("the film was good but the plot was dull") they show. */
  GS_CHECK (distance > 0 || swapped_pairs > 0, "%s: the same words in another order carry the other label (%d pairs)",
            spec, swapped_pairs);
  gs_task_clear (&task);
}

int
main (void)
{
  GsSentimentRun run;
  GsError err;

  check_batches ("sentiment", 4);
  check_batches ("sentiment:lang=zh", 4);
  check_batches ("sentiment:distance=0", 0);
  check_batches ("sentiment:lang=zh,distance=9", 9);

  /* Training and held-out sentences are different sets, judged apart. */
  if (GS_CHECK (gs_sentiment_run ("sentiment:distance=16", GS_CELL_RNN_TANH, 0, 40, &run, &err) == GS_OK, "run: %s",
                err.msg)) {
    GS_CHECK (run.steps == 40 && run.train_accuracy > 0.0f && run.held_out_accuracy > 0.0f,
              "both accuracies measured");
    GS_CHECK (run.train_accuracy != run.held_out_accuracy, "train %.3f and held-out %.3f are separate scores",
              (double) run.train_accuracy, (double) run.held_out_accuracy);
  }
  GS_CHECK (gs_sentiment_run ("classify", GS_CELL_GRU, 0, 1, &run, &err) == GS_FAIL, "only sentiment tasks");
  return gs_test_finish ("sentiment");
}
