/* gs-task-text.c — tasks on text: a character language model (N→N, and
 * 1→N by sampling) and short-phrase classification (N→1).
 *
 * A token is a Unicode character (gs-text.h). Letters as in gs-model.h:
 * T timesteps, B batch, V vocabulary, O outputs, L layers, H hidden.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-generate.h"
#include "gs-i18n.h"
#include "gs-task-private.h"
#include "gs-text.h"

#define TEXT_MAX_BYTES (16u << 20)
#define CHARLM_MARGIN 0.05f   /* charlm: the share of the bigram model's errors to avoid (charlm_set_bar) */

/* The file of a FILE parameter, or the shipped one. */
static int
task_file (char *buf, size_t size, const GsTask *task, const char *key, const char *shipped, GsError *err)
{
  const char *file = gs_task_str (task, key);

  if (file != NULL) {
    snprintf (buf, size, "%s", file);
    return GS_OK;
  }
  return gs_task_data_path (buf, size, shipped, err);
}

/* ------------------------------------------------------------------------ */
/* charlm                                                                   */

/* The text's end is held out for validation: the last `valid` fraction of
 * its characters, and never less than one held-out sequence (T + 1
 * characters). Training windows lie in text[0, n_train), held-out windows
 * in text[n_train, n): no held-out character is ever trained on (the
 * vocabulary is the whole file's, so a character met only in the held-out
 * part is a class the model never saw as a target). A split by position
 * rather than by random lines keeps every window whole text. */
typedef struct {
  GsCharVocab vocab;
  int        *text;   /* (n) the text as tokens */
  size_t      n;
  size_t      n_train;    /* the training part: text[0, n_train) */
  /* The count models' accuracy on the judged held-out steps
   * (gs_count_baselines): the bar is set from the bigram's. */
  float       unigram;
  float       bigram;
} CharLm;

/* b beats c as a guess: it is counted more often (n), then it is the
 * commoner character (uni), then the lower token. */
static bool
better_guess (int b, int c, const size_t *n, const size_t *uni)
{
  if (c < 0 || n[b] != n[c])
    return c < 0 || n[b] > n[c];
  if (uni[b] != uni[c])
    return uni[b] > uni[c];
  return b < c;
}

int
gs_count_baselines (float *unigram, float *bigram, const int *train, size_t n_train, const int *inputs,
                    const int *targets, size_t n_steps, int V, GsError *err)
{
  size_t *uni = calloc ((size_t) V, sizeof *uni);
  size_t *start = calloc ((size_t) V + 1, sizeof *start);   /* the successors of a: next[start[a], start[a+1]) */
  size_t *tally = calloc ((size_t) V, sizeof *tally);
  int *next = malloc ((n_train > 0 ? n_train : 1) * sizeof *next);
  int *guess = malloc ((size_t) V * sizeof *guess);         /* (V) the bigram's guess after each character */
  size_t judged = 0, right_uni = 0, right_bi = 0;
  int top = -1, rc = GS_OK;

  if (uni == NULL || start == NULL || tally == NULL || next == NULL || guess == NULL) {
    rc = gs_error_set (err, _("out of memory"));
    goto out;
  }
  for (size_t i = 0; i < n_train; i++)
    uni[train[i]]++;
  for (int v = 0; v < V; v++)
    if (better_guess (v, top, uni, uni))
      top = v;
  /* The training pairs (a, b), bucketed by a (a counting sort). */
  for (size_t i = 0; i + 1 < n_train; i++)
    start[train[i] + 1]++;
  for (int v = 0; v < V; v++)
    start[v + 1] += start[v];
  {
    size_t *fill = tally;   /* borrowed as the buckets' write positions, zeroed after */
    for (size_t i = 0; i + 1 < n_train; i++)
      next[start[train[i]] + fill[train[i]]++] = train[i + 1];
    memset (fill, 0, (size_t) V * sizeof *fill);
  }
  for (int a = 0; a < V; a++) {
    int best = -1;
    for (size_t k = start[a]; k < start[a + 1]; k++)
      tally[next[k]]++;
    for (size_t k = start[a]; k < start[a + 1]; k++)
      if (better_guess (next[k], best, tally, uni))
        best = next[k];
    for (size_t k = start[a]; k < start[a + 1]; k++)
      tally[next[k]] = 0;
    guess[a] = best >= 0 ? best : top;
  }
  for (size_t i = 0; i < n_steps; i++) {
    if (targets[i] < 0)
      continue;
    judged++;
    right_uni += targets[i] == top;
    right_bi += targets[i] == guess[inputs[i]];
  }
  *unigram = judged > 0 ? (float) right_uni / (float) judged : NAN;
  *bigram = judged > 0 ? (float) right_bi / (float) judged : NAN;

out:
  free (uni);
  free (start);
  free (tally);
  free (next);
  free (guess);
  return rc;
}

static const GsTaskParam charlm_params[] = {
  { "file", GS_PARAM_FILE, "", 0, 0, NULL, N_("any UTF-8 text file (default: the shipped corpus)") },
  { "corpus", GS_PARAM_CHOICE, "en", 0, 0, "en|zh", N_("shipped corpus: English verse or Tang poems") },
  { "length", GS_PARAM_INT, "32", 2, 10000, NULL, N_("characters per training sequence T") },
  { "valid", GS_PARAM_FLOAT, "0.1", 0.01, 0.5, NULL, N_("fraction of the text held out for validation (its end)") },
};

static void
charlm_finalize (GsTask *task)
{
  CharLm *d = task->priv;

  if (d == NULL)
    return;
  gs_vocab_clear (&d->vocab);
  free (d->text);
  free (d);
  task->priv = NULL;
}

/* The bar, from the data: the count models are trained on the training
 * part and judged on exactly the held-out steps the model is judged on
 * (the held-out batch depends on the task alone; its 64 windows are one
 * chunk, GS_EVAL_BATCH_FIRST). Solved when the model makes CHARLM_MARGIN
 * fewer errors there than the bigram model:
 *   threshold = bigram + CHARLM_MARGIN · (1 − bigram)
 * rounded up to a whole percent (the bar as the CLI and the window show
 * it), always ≤ 1: a text a count model predicts well still has a bar. */
static int
charlm_set_bar (GsTask *task, CharLm *d, GsError *err)
{
  GsBatch batch;
  int rc;

  if (gs_task_eval_batch (task, &batch, err) != GS_OK)
    return GS_FAIL;
  rc = gs_count_baselines (&d->unigram, &d->bigram, d->text, d->n_train, batch.tokens, batch.targets,
                           (size_t) batch.T * (size_t) batch.B, d->vocab.V, err);
  gs_batch_free (&batch);
  /* rounded up to a whole percent, as the bar is shown */
  task->solve_threshold = ceilf (100.0f * (d->bigram + CHARLM_MARGIN * (1.0f - d->bigram)) - 1e-3f) / 100.0f;
  return rc;
}

static int
charlm_init (GsTask *task, GsError *err)
{
  static const char *const corpora[2] = { "corpora/small-poems.txt", "corpora/tang-poems.txt" };
  char path[4096];
  uint32_t *cps = NULL;
  CharLm *d;

  if (task_file (path, sizeof path, task, "file", corpora[(int) gs_task_num (task, "corpus")], err) != GS_OK)
    return GS_FAIL;
  d = calloc (1, sizeof *d);
  if (d == NULL)
    return gs_error_set (err, _("out of memory"));
  task->priv = d;
  if (gs_text_load (&cps, &d->n, path, TEXT_MAX_BYTES, err) != GS_OK)
    return GS_FAIL;
  task->T = (int) gs_task_num (task, "length");
  {
    size_t seq = (size_t) task->T + 1;
    size_t held = (size_t) ceil (gs_task_num (task, "valid") * (double) d->n);

    held = held < seq ? seq : held;
    if (d->n < held + seq) {
      free (cps);
      return gs_error_set (err, _("%s has %zu characters; a sequence of %d needs at least %zu (%d to train on "
                                  "and %zu held out for validation; lower length=)"),
                           path, d->n, task->T, held + seq, task->T + 1, held);
    }
    d->n_train = d->n - held;
  }
  if (gs_vocab_build (&d->vocab, cps, d->n, err) != GS_OK) {
    free (cps);
    return gs_error_prefix (err, "%s", path);
  }
  if (d->vocab.V > GS_TASK_MAX_VOCAB) {
    free (cps);
    return gs_error_set (err, _("%s has %d distinct characters; a character model takes at most %d"), path,
                         d->vocab.V, GS_TASK_MAX_VOCAB);
  }
  d->text = malloc (d->n * sizeof *d->text);
  if (d->text == NULL) {
    free (cps);
    return gs_error_set (err, _("out of memory"));
  }
  for (size_t i = 0; i < d->n; i++)
    d->text[i] = gs_vocab_index (&d->vocab, cps[i]);
  free (cps);

  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->V = task->O = d->vocab.V;
  task->vocab = task->out_vocab = d->vocab.str;
  return charlm_set_bar (task, d, err);
}

/* Windows of T + 1 characters at random offsets of text[lo, hi): input
 * text[s, s + T), target text[s + 1, s + T + 1). */
static void
charlm_fill_range (const CharLm *d, size_t lo, size_t hi, GsRng *rng, GsBatch *batch)
{
  const int T = batch->T, B = batch->B;

  for (int b = 0; b < B; b++) {
    size_t s = lo + gs_rng_below (rng, (uint32_t) (hi - lo - (size_t) T));
    for (int t = 0; t < T; t++) {
      batch->tokens[(size_t) t * B + b] = d->text[s + t];
      batch->targets[(size_t) t * B + b] = d->text[s + t + 1];
    }
  }
}

/* Training batches: windows of the training part. */
static void
charlm_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  const CharLm *d = task->priv;

  charlm_fill_range (d, 0, d->n_train, rng, batch);
}

/* The held-out batch: windows of the held-out end. */
static void
charlm_fill_held_out (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  const CharLm *d = task->priv;

  charlm_fill_range (d, d->n_train, d->n, rng, batch);
}

static void
charlm_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  const CharLm *d = task->priv;

  (void) dec;
  (void) batch;
  gs_task_score_steps (task, m, ev);
  ev->baseline = d->bigram;   /* the count model the bar is set from */
  ev->baseline_name = N_("a bigram count model");
}

const GsTaskClass gs_task_charlm = {
  .name = "charlm",
  .title = N_("Character language model"),
  .shape = "N→N, 1→N",
  /* xgettext:no-c-format */
  .description = N_("Predict the next character of a text, any UTF-8 file (a token is a character, Chinese "
                    "included); then generate text from a prime with 'gatescope-cli sample'. Metric: "
                    "next-character accuracy on the last tenth of the text (valid=), never trained on; solved when it makes "
                    "a twentieth fewer errors there than a bigram count model of the rest (after each character, the one "
                    "that most often followed it), rounded up to a whole percent: 43% on the English verse, 22% on "
                    "the Tang poems."),
  .params = charlm_params,
  .n_params = 4,
  .init = charlm_init,
  .fill = charlm_fill,
  .score = charlm_score,
  .finalize = charlm_finalize,
  .fill_held_out = charlm_fill_held_out,
  .eval_B = 64,
  .next_element = true,
};

/* ------------------------------------------------------------------------ */
/* classify                                                                 */

/* A data file is UTF-8 text, one example a line: LABEL<TAB>PHRASE. Lines
 * starting with # and empty lines are skipped. An optional line
 * "@classes<TAB>A<TAB>B…" declares the labels: then every example's label
 * must be one of them and every one of them needs an example. Phrases are
 * left-padded to the longest with <pad> (token 0), so the class is read at
 * the last step of every sequence.
 *
 * The split: of each class, the fraction `valid` (default 0.25, rounded,
 * at least one example when the class has two or more, never all of them)
 * is held out for validation; which ones is drawn from the seed `split`
 * (default 1), the same on every machine. Training batches are drawn from
 * the other examples only; the task's score (gs_task_evaluate) is on the
 * held-out ones, gs_task_evaluate_training on the training ones. A file so
 * small that nothing can be held out (one example per class) is judged on
 * its training examples.
 *
 * The unknown token: token 1 is <unk>. In training batches each character
 * is replaced by <unk> with probability `unk` (default 0.02), so the model
 * learns what to make of a character it has never seen; a phrase typed
 * later (gs_task_classify_encode) maps characters outside the file's to
 * <unk>. Judging never replaces characters. */
#define CLASSIFY_MAX_CLASSES 64
#define CLASSIFY_MAX_PHRASE 200
#define CLASSIFY_MAX_LABEL 255   /* bytes of UTF-8 */

/* The phrases are stored back to back, not padded: a million one-letter
 * phrases and one of 200 take a few megabytes, not n × T tokens. */
typedef struct {
  GsCharVocab    chars;
  const char   **vocab;      /* (V) "<pad>", then the characters */
  char          *labels[CLASSIFY_MAX_CLASSES];
  int            n_classes;
  uint32_t      *tokens;     /* every phrase's tokens (1 + character index), back to back */
  uint32_t      *start;      /* (n) where each phrase begins in tokens */
  unsigned char *len;        /* (n) its length, at most CLASSIFY_MAX_PHRASE */
  int           *label;      /* (n) */
  int            n;
  int           *train;      /* (n_train) the training examples, in file order */
  int            n_train;
  int           *valid;      /* (n_valid) the held-out examples, in file order */
  bool           none_held;  /* too small to hold anything out: valid is a copy of train */
  int            n_valid;
  float          unk;        /* probability of <unk> for a training character */
  float          majority;   /* fraction of the commonest class */
} Classify;

static const GsTaskParam classify_params[] = {
  { "file", GS_PARAM_FILE, "", 0, 0, NULL, N_("LABEL<TAB>PHRASE lines (default: the shipped file)") },
  { "lang", GS_PARAM_CHOICE, "en", 0, 0, "en|zh", N_("shipped data: English reviews or Chinese intents") },
  { "valid", GS_PARAM_FLOAT, "0.25", 0, 0.9, NULL, N_("fraction of each class held out for validation") },
  { "split", GS_PARAM_INT, "1", 0, 2147483647, NULL, N_("seed of the split into training and validation") },
  { "unk", GS_PARAM_FLOAT, "0.02", 0, 0.5, NULL,
    N_("probability that a training character is replaced by the unknown token") },
};

static void
classify_finalize (GsTask *task)
{
  Classify *d = task->priv;

  if (d == NULL)
    return;
  gs_vocab_clear (&d->chars);
  free (d->vocab);
  for (int i = 0; i < d->n_classes; i++)
    free (d->labels[i]);
  free (d->tokens);
  free (d->start);
  free (d->len);
  free (d->label);
  free (d->train);
  free (d->valid);
  free (d);
  task->priv = NULL;
}

static int
class_index (const Classify *d, const char *label)
{
  for (int i = 0; i < d->n_classes; i++)
    if (strcmp (d->labels[i], label) == 0)
      return i;
  return -1;
}

static int
add_class (Classify *d, const char *label, int line, GsError *err)
{
  if (label[0] == '\0')
    return gs_error_set (err, _("line %d: an empty class name"), line);
  if (d->n_classes == CLASSIFY_MAX_CLASSES)
    return gs_error_set (err, _("line %d: more than %d classes"), line, CLASSIFY_MAX_CLASSES);
  d->labels[d->n_classes] = strdup (label);
  if (d->labels[d->n_classes] == NULL)
    return gs_error_set (err, _("out of memory"));
  d->n_classes++;
  return GS_OK;
}

/* Encodes the code points [from, to) as a class name into buf (at least
 * CLASSIFY_MAX_LABEL + 1 bytes). A longer name is an error, never cut:
 * two long names that differ at the end must stay two classes. */
static int
label_from (char *buf, const uint32_t *cps, size_t from, size_t to, int line, GsError *err)
{
  size_t len = 0;

  for (size_t i = from; i < to; i++) {
    char ch[5];
    size_t n = gs_utf8_encode (ch, cps[i]);
    if (len + n > CLASSIFY_MAX_LABEL)
      return gs_error_set (err, _("line %d: a class name is longer than %d bytes"), line, CLASSIFY_MAX_LABEL);
    memcpy (buf + len, ch, n);
    len += n;
  }
  buf[len] = '\0';
  return GS_OK;
}

/* Splits the decoded file into lines of code points and parses them. */
static int
classify_parse (GsTask *task, Classify *d, const uint32_t *cps, size_t n, GsError *err)
{
  const size_t max_examples = n / 2 + 1;   /* an example takes a label, a tab and a character */
  size_t start = 0, n_all = 0;
  bool declared = false;
  int line = 0, *count = NULL, T = 1, rc = GS_FAIL;

  /* Phrases are copied as code points into d->tokens, then turned into
   * token indices in place once the vocabulary is known. */
  d->tokens = malloc ((n + 1) * sizeof *d->tokens);
  d->start = malloc (max_examples * sizeof *d->start);
  d->len = malloc (max_examples);
  d->label = malloc (max_examples * sizeof *d->label);
  if (!d->tokens || !d->start || !d->len || !d->label)
    return gs_error_set (err, _("out of memory"));
  while (start < n) {
    size_t end = start, tab;
    char label[CLASSIFY_MAX_LABEL + 1];

    while (end < n && cps[end] != '\n')
      end++;
    line++;
    /* A trailing \r of a CRLF file belongs to the line break. */
    size_t stop = end > start && cps[end - 1] == '\r' ? end - 1 : end;
    if (stop == start || cps[start] == '#') {
      start = end + 1;
      continue;
    }
    for (tab = start; tab < stop && cps[tab] != '\t'; tab++)
      ;
    if (label_from (label, cps, start, tab, line, err) != GS_OK)
      goto out;
    if (strcmp (label, "@classes") == 0) {
      if (declared || d->n) {
        gs_error_set (err, _("line %d: @classes must come once, before the examples"), line);
        goto out;
      }
      declared = true;
      for (size_t i = tab; i < stop;) {
        size_t j = i + 1;
        char name[CLASSIFY_MAX_LABEL + 1];
        while (j < stop && cps[j] != '\t')
          j++;
        if (label_from (name, cps, i + 1, j, line, err) != GS_OK)
          goto out;
        if (class_index (d, name) >= 0) {
          gs_error_set (err, _("line %d: class “%s” is declared twice"), line, name);
          goto out;
        }
        if (add_class (d, name, line, err) != GS_OK)
          goto out;
        i = j;
      }
      start = end + 1;
      continue;
    }
    if (tab == stop || tab + 1 == stop) {
      gs_error_set (err, tab == stop ? _("line %d: expected LABEL<TAB>PHRASE") : _("line %d: the phrase is empty"),
                    line);
      goto out;
    }
    if (stop - tab - 1 > CLASSIFY_MAX_PHRASE) {
      gs_error_set (err, _("line %d: the phrase is longer than %d characters"), line, CLASSIFY_MAX_PHRASE);
      goto out;
    }
    int c = class_index (d, label);
    if (c < 0 && declared) {
      gs_error_set (err, _("line %d: class “%s” is not in the @classes line"), line, label);
      goto out;
    }
    if (c < 0) {
      if (add_class (d, label, line, err) != GS_OK)
        goto out;
      c = d->n_classes - 1;
    }
    d->label[d->n] = c;
    d->start[d->n] = (uint32_t) n_all;
    d->len[d->n] = (unsigned char) (stop - tab - 1);
    if (d->len[d->n] > T)
      T = d->len[d->n];
    memcpy (d->tokens + n_all, cps + tab + 1, (stop - tab - 1) * sizeof *d->tokens);
    n_all += stop - tab - 1;
    d->n++;
    start = end + 1;
  }

  if (d->n == 0) {
    gs_error_set (err, _("no examples (expected LABEL<TAB>PHRASE lines)"));
    goto out;
  }
  count = calloc ((size_t) d->n_classes, sizeof *count);
  if (count == NULL) {
    gs_error_set (err, _("out of memory"));
    goto out;
  }
  for (int i = 0; i < d->n; i++)
    count[d->label[i]]++;
  for (int c = 0; c < d->n_classes; c++) {
    if (count[c] == 0) {
      gs_error_set (err, _("class “%s” has no examples"), d->labels[c]);
      goto out;
    }
    if (count[c] > d->majority * d->n)
      d->majority = (float) count[c] / (float) d->n;
  }
  if (d->n_classes < 2) {
    gs_error_set (err, _("only one class (“%s”): classification needs at least two"), d->labels[0]);
    goto out;
  }

  /* Vocabulary: <pad>, <unk>, then the characters of the phrases. */
  if (gs_vocab_build (&d->chars, d->tokens, n_all, err) != GS_OK)
    goto out;
  if (d->chars.V + 2 > GS_TASK_MAX_VOCAB) {   /* <pad> and <unk> are tokens too */
    gs_error_set (err, _("the phrases have %d distinct characters; at most %d are supported"), d->chars.V,
                  GS_TASK_MAX_VOCAB - 2);
    goto out;
  }
  d->vocab = malloc ((size_t) (d->chars.V + 2) * sizeof *d->vocab);
  if (d->vocab == NULL) {
    gs_error_set (err, _("out of memory"));
    goto out;
  }
  d->vocab[0] = "<pad>";
  d->vocab[GS_CLASSIFY_UNK] = "<unk>";
  for (int v = 0; v < d->chars.V; v++)
    d->vocab[v + 2] = d->chars.str[v];
  for (size_t i = 0; i < n_all; i++)
    d->tokens[i] = 2 + (uint32_t) gs_vocab_index (&d->chars, d->tokens[i]);
  task->T = T;
  task->V = d->chars.V + 2;
  task->O = d->n_classes;
  rc = GS_OK;

out:
  free (count);
  return rc;
}

/* The stratified split (see the top of this section): per class, its
 * examples shuffled by the split seed, the first round(valid × count) of
 * them held out. Both lists keep file order. */
static int
classify_split (Classify *d, double valid, uint64_t seed, GsError *err)
{
  int *order = malloc ((size_t) d->n * sizeof *order);
  unsigned char *held = calloc ((size_t) d->n, 1);
  GsRng rng;

  d->train = malloc ((size_t) d->n * sizeof *d->train);
  d->valid = malloc ((size_t) d->n * sizeof *d->valid);
  if (order == NULL || held == NULL || d->train == NULL || d->valid == NULL) {
    free (order);
    free (held);
    return gs_error_set (err, _("out of memory"));
  }
  gs_rng_seed (&rng, seed ^ 0xc1a55f1e5u);
  for (int c = 0; c < d->n_classes; c++) {
    int count = 0, k;
    for (int i = 0; i < d->n; i++)
      if (d->label[i] == c)
        order[count++] = i;
    /* Fisher–Yates */
    for (int i = count - 1; i > 0; i--) {
      int j = (int) gs_rng_below (&rng, (uint32_t) i + 1), tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    k = (int) lround (valid * count);
    if (valid > 0.0 && count >= 2 && k < 1)
      k = 1;
    if (k > count - 1)
      k = count - 1;
    for (int i = 0; i < k; i++)
      held[order[i]] = 1;
  }
  d->n_train = d->n_valid = 0;
  for (int i = 0; i < d->n; i++) {
    if (held[i])
      d->valid[d->n_valid++] = i;
    else
      d->train[d->n_train++] = i;
  }
  /* Too small to hold anything out: judged on the training examples. */
  if (d->n_valid == 0) {
    memcpy (d->valid, d->train, (size_t) d->n_train * sizeof *d->valid);
    d->n_valid = d->n_train;
    d->none_held = true;
  }
  free (order);
  free (held);
  return GS_OK;
}

static int
classify_init (GsTask *task, GsError *err)
{
  static const char *const shipped[2] = { "tasks/classify-en.tsv", "tasks/classify-zh.tsv" };
  char path[4096];
  uint32_t *cps = NULL;
  size_t n = 0;
  Classify *d;
  int rc;

  if (task_file (path, sizeof path, task, "file", shipped[(int) gs_task_num (task, "lang")], err) != GS_OK)
    return GS_FAIL;
  d = calloc (1, sizeof *d);
  if (d == NULL)
    return gs_error_set (err, _("out of memory"));
  task->priv = d;
  if (gs_text_load (&cps, &n, path, TEXT_MAX_BYTES, err) != GS_OK)
    return GS_FAIL;
  rc = classify_parse (task, d, cps, n, err);
  free (cps);
  if (rc != GS_OK)
    return gs_error_prefix (err, "%s", path);
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->vocab = d->vocab;
  task->out_vocab = (const char *const *) d->labels;
  if (classify_split (d, gs_task_num (task, "valid"), (uint64_t) gs_task_num (task, "split"), err) != GS_OK)
    return GS_FAIL;
  d->unk = (float) gs_task_num (task, "unk");
  task->eval_B = d->n_valid;
  task->n_train = d->n_train;
  task->no_held_out = d->none_held;
  /* Measured with the recipe (gs-recipe.c), seeds 0–4: the shipped English
   * phrases reach 83–90 % on their held-out quarter, the Chinese 94–96 %
   * (both 97–100 % on the training phrases). The held-out English phrases
   * that fail carry words no training phrase has. A fixed bar, unlike
   * charlm's: naive Bayes over words gets 92 % of the English held-out
   * phrases, over characters 96 % of the Chinese
   * (bench/classify-count-baselines.py), and a bar above a count model
   * would leave the English phrases unsolved by every network we trained;
   * 80 % is far above the commonest class (50 %, 33 %). README, "When a
   * character model counts as solved". */
  task->solve_threshold = 0.8f;
  return GS_OK;
}

/* Training batches: random training examples, each character <unk> with
 * probability d->unk (a batch of exactly n_train sequences is the training
 * set in file order). The held-out batch (in chunks, gs_task_evaluate) is
 * the held-out examples, and the judge of the training set
 * (gs_task_evaluate_training) the training examples, both in file order
 * and untouched. */
static void
classify_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  const Classify *d = task->priv;
  const int T = batch->T, B = batch->B;
  const bool judged = batch->held_out || batch->training_set;

  for (int b = 0; b < B; b++) {
    int i = batch->held_out       ? d->valid[batch->first + b]
          : batch->training_set   ? d->train[batch->first + b]
          : B == d->n_train       ? d->train[b]
                                  : d->train[gs_rng_below (rng, (uint32_t) d->n_train)];
    const int pad = T - d->len[i];
    for (int t = 0; t < T; t++) {
      int token = t < pad ? 0 : (int) d->tokens[d->start[i] + (size_t) (t - pad)];
      if (!judged && token != 0 && d->unk > 0.0f && gs_rng_uniform (rng, 0.0f, 1.0f) < d->unk)
        token = GS_CLASSIFY_UNK;
      batch->tokens[(size_t) t * B + b] = token;
      batch->targets[(size_t) t * B + b] = t == T - 1 ? d->label[i] : -1;
    }
  }
}

int
gs_task_classify_encode (const GsTask *task, const char *text, int *tokens, int max, int *n_unknown,
                         GsError *err)
{
  const Classify *d;
  uint32_t *cps = NULL;
  size_t n = 0;

  if (n_unknown != NULL)
    *n_unknown = 0;
  if (task->klass != &gs_task_classify || (task->priv == NULL && task->vocab == NULL))
    return gs_error_set (err, _("task %s does not classify phrases"), task->name), -1;
  d = task->priv;   /* NULL in a snapshot's copy of the task: its vocab strings are searched */
  if (gs_utf8_decode (&cps, &n, text, strlen (text), err) != GS_OK)
    return -1;
  /* a trailing line break is not part of the phrase */
  while (n > 0 && (cps[n - 1] == '\n' || cps[n - 1] == '\r'))
    n--;
  if (n == 0) {
    free (cps);
    return gs_error_set (err, _("the phrase is empty")), -1;
  }
  if (n > (size_t) max || n > CLASSIFY_MAX_PHRASE) {
    free (cps);
    return gs_error_set (err, _("the phrase is longer than %d characters"), max < CLASSIFY_MAX_PHRASE ? max
                                                                                 : CLASSIFY_MAX_PHRASE), -1;
  }
  for (size_t i = 0; i < n; i++) {
    int v = -1;
    if (d != NULL)
      v = gs_vocab_index (&d->chars, cps[i]);
    else {
      char ch[5];
      gs_utf8_encode (ch, cps[i]);
      for (int k = 2; k < task->V && v < 0; k++)
        if (task->vocab[k] != NULL && strcmp (task->vocab[k], ch) == 0)
          v = k - 2;
    }
    tokens[i] = v >= 0 ? 2 + v : GS_CLASSIFY_UNK;
    if (v < 0 && n_unknown != NULL)
      (*n_unknown)++;
  }
  free (cps);
  return (int) n;
}

static void
classify_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  const Classify *d = task->priv;

  (void) dec;
  (void) batch;
  gs_task_score_sequences (task, m, ev);
  ev->baseline = d->majority;
}

const GsTaskClass gs_task_classify = {
  .name = "classify",
  .title = N_("Classify short phrases"),
  .shape = "N→1",
  .description = N_("Read a short phrase character by character and name its class at the end: positive or "
                    "negative reviews (en), or 吃饭 / 睡觉 / 出门 intents (zh), or a LABEL<TAB>PHRASE file "
                    "of your own. Metric: accuracy on the held-out quarter of each class (never trained on); solved at 80%."),
  .params = classify_params,
  .n_params = 5,
  .init = classify_init,
  .fill = classify_fill,
  .score = classify_score,
  .finalize = classify_finalize,
  .eval_B = 1,
};

/* ------------------------------------------------------------------------ */
/* Sampling (1→N)                                                           */

int
gs_task_sample (char **out, GsModel *m, const char *chars, const char *prime,
                int length, float temperature, GsRng *rng, GsError *err)
{
  GsGenerator *g;

  *out = NULL;
  if (length < 0)
    return gs_error_set (err, _("the temperature must be a finite number of at least 0"));
  g = gs_generator_new (m, chars, prime, temperature, 0, err);
  if (g == NULL)
    return GS_FAIL;
  /* The caller's random stream, handed back advanced. */
  gs_generator_set_rng (g, rng);
  for (int i = 0; i < length; i++)
    if (gs_generator_step (g, NULL, err) != GS_OK) {
      gs_generator_free (g);
      return GS_FAIL;
    }
  *rng = g->rng;
  *out = g->text;
  g->text = NULL;
  gs_generator_free (g);
  return GS_OK;
}
