/* gs-task-sentiment.c — sentiment where word order decides (N→1).
 *
 * Sentences are generated from a small grammar, English or Chinese, whose
 * label depends on the order of the words, not on which words occur:
 *
 *   SENTENCE → CLAUSE | CLAUSE but CLAUSE | CLAUSE and CLAUSE
 *   CLAUSE   → SUBJECT [NEGATION] FILLER^k ADJECTIVE          (k ≤ distance)
 *     en: SUBJECT = the movie|the film|the plot|the acting|the music, then was|is
 *         NEGATION = not;  FILLER = very|really|quite|so|truly
 *     zh: SUBJECT = 电影|剧情|演技|音乐|故事;  NEGATION = 不是 … 不 (one or both:
 *         不是很好 "not very good", 不是不好 "not bad at all")
 *   ADJECTIVE: positive good|great|fun|clever|fine, 好|精彩|有趣|感人|不错;
 *              negative bad|boring|awful|dull|weak, 差|无聊|糟糕|乏味|难看
 *
 * A clause is positive when its adjective is and an even number of
 * negations precede it ("not bad" is positive, 不是不好 too). "X but Y" takes
 * Y's label ("good but boring" is negative, "boring but good" positive: the
 * same words); "X and Y" joins two clauses of the same label. The negation
 * sits k filler words before the adjective, k drawn from 0 … distance, so
 * `distance` sets how far back the network must remember it.
 *
 * Held out: a sentence whose words hash to 0 mod 5 (FNV-1a over its token
 * ids) is never trained on; the held-out batch is made of those only, so
 * the score is on sentences the model never saw. Sentences are left-padded
 * with "<pad>" to the longest possible, so the label is read at the last
 * step.
 *
 * Letters as in gs-model.h: T timesteps, B batch, V vocabulary, O outputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-recipe.h"
#include "gs-task-private.h"
#include "gs-task-sentiment.h"

enum { LANG_EN, LANG_ZH };
enum { SENT_MAX_DISTANCE = 20, HELD_OUT_MOD = 5 };

/* The vocabularies: token 0 is the padding; the groups follow. */
static const char *const vocab_en[] = {
  "<pad>",
  "the", "movie", "film", "plot", "acting", "music",   /* 1: the, 2–6 subjects */
  "was", "is",                                          /* 7–8 */
  "not",                                                /* 9 */
  "very", "really", "quite", "so", "truly",             /* 10–14 fillers */
  "good", "great", "fun", "clever", "fine",             /* 15–19 positive */
  "bad", "boring", "awful", "dull", "weak",             /* 20–24 negative */
  "but", "and",                                         /* 25–26 */
};
static const char *const vocab_zh[] = {
  "<pad>",
  "电影", "剧情", "演技", "音乐", "故事",                 /* 1–5 subjects */
  "不是", "不",                                          /* 6–7 */
  "很", "非常", "真的", "特别", "太",                     /* 8–12 fillers */
  "好", "精彩", "有趣", "感人", "不错",                   /* 13–17 positive */
  "差", "无聊", "糟糕", "乏味", "难看",                   /* 18–22 negative */
  "但是", "而且",                                        /* 23–24 */
};
static const char *const labels[] = { "negative", "positive" };

typedef struct {
  int lang;
  int distance;
  const char *const *vocab;
  int V;
  int subj0, n_subj, verb0, n_verb, not_tok, not2_tok, fill0, pos0, neg0, but_tok, and_tok;
} Sentiment;

static const GsTaskParam sentiment_params[] = {
  { "lang", GS_PARAM_CHOICE, "en", 0, 0, "en|zh", N_("English or Chinese sentences") },
  { "distance", GS_PARAM_INT, "4", 0, SENT_MAX_DISTANCE, NULL,
    N_("at most this many filler words between a negation and its adjective") },
};

/* Tokens of one clause of label `pos` into out; returns their number. */
static int
clause (const Sentiment *d, GsRng *rng, int pos, int *out)
{
  int n = 0, negs, k = gs_task_rand_range (rng, 0, d->distance);
  bool adj_pos;

  if (d->lang == LANG_EN) {
    out[n++] = 1;   /* the */
    out[n++] = d->subj0 + gs_task_rand_range (rng, 0, d->n_subj - 1);
    out[n++] = d->verb0 + gs_task_rand_range (rng, 0, d->n_verb - 1);
    negs = gs_task_rand_range (rng, 0, 1);
    if (negs)
      out[n++] = d->not_tok;
    for (int i = 0; i < k; i++)
      out[n++] = d->fill0 + gs_task_rand_range (rng, 0, 4);
  } else {
    out[n++] = d->subj0 + gs_task_rand_range (rng, 0, d->n_subj - 1);
    /* none, 不是 …, … 不, or 不是 … 不 */
    int form = gs_task_rand_range (rng, 0, 3);
    negs = (form & 1) + ((form >> 1) & 1);
    if (form & 1)
      out[n++] = d->not_tok;
    for (int i = 0; i < k; i++)
      out[n++] = d->fill0 + gs_task_rand_range (rng, 0, 4);
    if (form & 2)
      out[n++] = d->not2_tok;
  }
  adj_pos = (negs % 2 == 0) == (pos != 0);
  out[n++] = (adj_pos ? d->pos0 : d->neg0) + gs_task_rand_range (rng, 0, 4);
  return n;
}

/* One sentence: tokens into out (n returned), its label into *label. */
static int
sentence (const Sentiment *d, GsRng *rng, int *out, int *label)
{
  int form = gs_task_rand_range (rng, 0, 2);   /* one clause, but, and */
  int n, y = gs_task_rand_range (rng, 0, 1);

  if (form == 0) {
    n = clause (d, rng, y, out);
  } else if (form == 1) {
    /* "X but Y": Y decides, X says the opposite. */
    n = clause (d, rng, !y, out);
    out[n++] = d->but_tok;
    n += clause (d, rng, y, out + n);
  } else {
    n = clause (d, rng, y, out);
    out[n++] = d->and_tok;
    n += clause (d, rng, y, out + n);
  }
  *label = y;
  return n;
}

static bool
held_out (const int *tokens, int n)
{
  uint32_t h = 2166136261u;

  for (int i = 0; i < n; i++) {
    h ^= (uint32_t) tokens[i];
    h *= 16777619u;
  }
  return h % HELD_OUT_MOD == 0;
}

static int
max_length (const Sentiment *d)
{
  int c = d->lang == LANG_EN ? 5 + d->distance : 4 + d->distance;
  return 2 * c + 1;
}

static void
sentiment_finalize (GsTask *task)
{
  free (task->priv);
  task->priv = NULL;
}

static int
sentiment_init (GsTask *task, GsError *err)
{
  Sentiment *d = calloc (1, sizeof *d);

  if (d == NULL)
    return gs_error_set (err, _("out of memory"));
  d->lang = (int) gs_task_num (task, "lang");
  d->distance = (int) gs_task_num (task, "distance");
  if (d->lang == LANG_EN) {
    d->vocab = vocab_en;
    d->V = (int) (sizeof vocab_en / sizeof vocab_en[0]);
    d->subj0 = 2, d->n_subj = 5, d->verb0 = 7, d->n_verb = 2, d->not_tok = 9, d->not2_tok = -1;
    d->fill0 = 10, d->pos0 = 15, d->neg0 = 20, d->but_tok = 25, d->and_tok = 26;
  } else {
    d->vocab = vocab_zh;
    d->V = (int) (sizeof vocab_zh / sizeof vocab_zh[0]);
    d->subj0 = 1, d->n_subj = 5, d->verb0 = 0, d->n_verb = 0, d->not_tok = 6, d->not2_tok = 7;
    d->fill0 = 8, d->pos0 = 13, d->neg0 = 18, d->but_tok = 23, d->and_tok = 24;
  }
  task->priv = d;
  task->title = N_("Sentiment where word order decides");
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->V = d->V;
  task->O = 2;
  task->T = max_length (d);
  task->vocab = d->vocab;
  task->out_vocab = labels;
  task->solve_threshold = 0.95f;
  return GS_OK;
}

/* Fills B sentences, all trained-on or all held-out. */
static void
fill_split (const GsTask *task, GsRng *rng, GsBatch *batch, bool want_held_out)
{
  const Sentiment *d = task->priv;
  const int T = batch->T, B = batch->B;
  int buf[2 * (5 + SENT_MAX_DISTANCE) + 1];

  for (int b = 0; b < B; b++) {
    int n, y;

    do
      n = sentence (d, rng, buf, &y);
    while (held_out (buf, n) != want_held_out || n > T);
    for (int t = 0; t < T; t++) {
      int i = t - (T - n);   /* left-padded: the sentence ends at T − 1 */
      batch->tokens[(size_t) t * B + b] = i >= 0 ? buf[i] : 0;
      batch->targets[(size_t) t * B + b] = t == T - 1 ? y : -1;
    }
  }
}

static void
sentiment_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  fill_split (task, rng, batch, false);
}

static void
sentiment_fill_held_out (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  fill_split (task, rng, batch, true);
}

static void
sentiment_score (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  (void) dec;
  (void) batch;
  gs_task_score_sequences (task, m, ev);
}

const GsTaskClass gs_task_sentiment = {
  .name = "sentiment",
  .title = N_("Sentiment where word order decides"),
  .shape = "N→1",
  .description = N_("Read a sentence word by word and say whether it is positive or negative. The sentences "
                    "come from a grammar with negation and contrast (“not bad”, “good but boring”, 不是不好), so "
                    "the same words in another order can mean the opposite. Metric: accuracy on held-out sentences "
                    "never trained on (chance 50%); solved at 95%."),
  .params = sentiment_params,
  .n_params = (int) (sizeof sentiment_params / sizeof sentiment_params[0]),
  .init = sentiment_init,
  .fill = sentiment_fill,
  .score = sentiment_score,
  .finalize = sentiment_finalize,
  .fill_held_out = sentiment_fill_held_out,
  .eval_B = 1000,
};

/* ------------------------------------------------------------------------ */
/* The comparison (gs-task-sentiment.h)                                     */

const GsCell gs_sentiment_cells[3] = { GS_CELL_RNN_TANH, GS_CELL_LSTM, GS_CELL_GRU };

void
gs_sentiment_config (GsTrainConfig *cfg, const char *task, GsCell cell, uint64_t seed, int steps)
{
  gs_train_config_default (cfg);
  snprintf (cfg->task, sizeof cfg->task, "%s", task);
  gs_recipe_apply (gs_recipe_find ("sentiment"), cfg, 0);
  cfg->cell = cell;
  cfg->seed = seed;
  cfg->epochs = steps > 0 ? steps : GS_SENTIMENT_STEPS;
}

/* The fraction of 1,000 training-split sentences m classifies right. */
static int
train_split_accuracy (const GsTask *task, GsModel *m, float *out, GsError *err)
{
  GsBatch batch;
  GsRng rng;
  int correct = 0, rc;

  if (gs_batch_alloc (&batch, task, 0, 1000, err) != GS_OK)
    return GS_FAIL;
  gs_rng_seed (&rng, 0x5e47);
  fill_split (task, &rng, &batch, false);
  rc = gs_model_set_sequence (m, batch.T, batch.B, batch.tokens, NULL, batch.targets, NULL, NULL, err);
  if (rc == GS_OK) {
    gs_model_forward_seq (m);
    for (int b = 0; b < batch.B; b++)
      correct += gs_task_all_correct (m, b);
    *out = (float) correct / (float) batch.B;
  }
  gs_batch_free (&batch);
  return rc;
}

int
gs_sentiment_run (const char *task, GsCell cell, uint64_t seed, int steps, GsSentimentRun *run, GsError *err)
{
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsTaskEval ev;
  GsError step_err;
  int rc;

  memset (run, 0, sizeof *run);
  run->cell = cell;
  run->seed = seed;
  gs_sentiment_config (&cfg, task, cell, seed, steps);
  if (gs_task_class_find ("sentiment") == NULL || strncmp (cfg.task, "sentiment", 9) != 0
      || (cfg.task[9] != '\0' && cfg.task[9] != ':'))
    return gs_error_set (err, _("%s is not a sentiment task"), task);
  if ((tr = gs_trainer_new (&cfg, err)) == NULL)
    return GS_FAIL;
  for (int s = 0; s < cfg.epochs; s++)
    if (gs_trainer_step (tr, &step_err) != GS_OK) {
      run->diverged = true;   /* judged on the last good parameters */
      break;
    }
  run->steps = tr->epoch;
  rc = gs_trainer_evaluate (tr, &ev, err);
  if (rc == GS_OK) {
    run->held_out_accuracy = ev.metric;
    /* evaluate made eval_model a copy of the trained parameters */
    rc = train_split_accuracy (&tr->task, tr->eval_model, &run->train_accuracy, err);
  }
  gs_trainer_free (tr);
  return rc;
}
