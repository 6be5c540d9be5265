/* gs-task-seq2seq.c — N→M: an encoder reads the source, a decoder writes
 * the target (Sutskever, Vinyals & Le 2014).
 *
 * Two models: the encoder reads the source with no targets; the decoder
 * starts from the encoder's final state and, while training, reads the
 * target shifted right by one (teacher forcing: <s>, y_0, …, y_{M−2}) and
 * predicts y_0 … y_{M−1}. Judging is free-running: each decoder step reads
 * the decoder's own previous prediction (greedy decoding). The trainer
 * (gs-train.c) runs the pair.
 *
 * Letters as in gs-model.h: T source steps, B batch, L layers, H hidden;
 * M target steps (GsTask.T_dec).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-task-private.h"

enum { KIND_REVERSE, KIND_DATE };

/* Tokens: reverse uses letters a…; dates use the digits, '-' and '/'. The
 * decoder's start symbol comes after the outputs. */
static const char *const letters[27] = {
  "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p",
  "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "<s>",
};
static const char *const date_chars[13] = {
  "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "-", "/", "<s>",
};
#define DATE_DASH 10
#define DATE_SLASH 11

typedef struct {
  const char *dec_vocab[27];
} Seq2seq;

static const GsTaskParam seq2seq_params[] = {
  { "kind", GS_PARAM_CHOICE, "reverse", 0, 0, "reverse|date",
    N_("reverse a string, or rewrite a date 2024-03-15 as 15/03/2024") },
  { "length", GS_PARAM_INT, "6", 2, 100, NULL, N_("reverse: letters per string") },
  { "symbols", GS_PARAM_INT, "8", 2, 26, NULL, N_("reverse: size of the alphabet") },
};

static void
seq2seq_finalize (GsTask *task)
{
  free (task->priv);
  task->priv = NULL;
}

static int
seq2seq_init (GsTask *task, GsError *err)
{
  Seq2seq *d = calloc (1, sizeof *d);

  if (d == NULL)
    return gs_error_set (err, _("out of memory"));
  task->priv = d;
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  if ((int) gs_task_num (task, "kind") == KIND_REVERSE) {
    int A = (int) gs_task_num (task, "symbols");
    for (int i = 0; i < A; i++)
      d->dec_vocab[i] = letters[i];
    d->dec_vocab[A] = "<s>";
    task->V = task->O = A;
    task->T = task->T_dec = (int) gs_task_num (task, "length");
    task->vocab = task->out_vocab = letters;
    task->dec_vocab = d->dec_vocab;
    task->V_dec = A + 1;
  } else {
    task->V = task->O = 12;
    task->T = task->T_dec = 10;   /* YYYY-MM-DD → DD/MM/YYYY */
    task->vocab = task->out_vocab = date_chars;
    task->dec_vocab = date_chars;
    task->V_dec = 13;
  }
  task->solve_threshold = 0.95f;
  return GS_OK;
}

static void
put_digits (int *out, int value, int n)
{
  for (int i = n - 1; i >= 0; i--, value /= 10)
    out[i] = value % 10;
}

static void
seq2seq_fill (const GsTask *task, GsRng *rng, GsBatch *batch)
{
  static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  const int T = batch->T, M = batch->T_dec, B = batch->B;
  const int start = task->V_dec - 1;
  int src[100], dst[100];

  for (int b = 0; b < B; b++) {
    if ((int) gs_task_num (task, "kind") == KIND_REVERSE) {
      for (int t = 0; t < T; t++)
        src[t] = (int) gs_rng_below (rng, (uint32_t) task->O);
      for (int t = 0; t < M; t++)
        dst[t] = src[T - 1 - t];
    } else {
      int y = gs_task_rand_range (rng, 1900, 2099), mo = gs_task_rand_range (rng, 1, 12);
      int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      int d = gs_task_rand_range (rng, 1, days[mo - 1] + (mo == 2 && leap));
      put_digits (src, y, 4);
      src[4] = DATE_DASH;
      put_digits (src + 5, mo, 2);
      src[7] = DATE_DASH;
      put_digits (src + 8, d, 2);
      put_digits (dst, d, 2);
      dst[2] = DATE_SLASH;
      put_digits (dst + 3, mo, 2);
      dst[5] = DATE_SLASH;
      put_digits (dst + 6, y, 4);
    }
    for (int t = 0; t < T; t++) {
      batch->tokens[(size_t) t * B + b] = src[t];
      batch->targets[(size_t) t * B + b] = -1;   /* the encoder has no loss of its own */
    }
    for (int t = 0; t < M; t++) {
      batch->dec_tokens[(size_t) t * B + b] = t == 0 ? start : dst[t - 1];
      batch->dec_targets[(size_t) t * B + b] = dst[t];
    }
  }
}

/* Greedy decoding from the encoder's final state; a sequence is right when
 * every output symbol is. */
static void
seq2seq_score (const GsTask *task, GsModel *enc, GsModel *dec, const GsBatch *batch, GsTaskEval *ev)
{
  const int B = batch->B, M = batch->T_dec;
  const size_t LBH = (size_t) enc->cfg.L * B * enc->cfg.H;
  float *h = malloc (LBH * sizeof *h), *c = malloc (LBH * sizeof *c);
  GsError err;

  ev->baseline = powf (1.0f / (float) task->O, (float) M);
  if (h == NULL || c == NULL
      || gs_model_set_sequence (enc, batch->T, B, batch->tokens, NULL, NULL, NULL, NULL, &err) != GS_OK
      || gs_model_set_sequence (dec, M, B, batch->dec_tokens, NULL, batch->dec_targets, NULL, NULL, &err) != GS_OK) {
    ev->metric = ev->accuracy = NAN;
    free (h);
    free (c);
    return;
  }
  gs_model_forward_seq (enc);
  gs_model_final_state (enc, h, c);
  gs_model_set_initial_state (dec, h, c);
  for (int t = 0; t < M; t++) {
    /* input_t = argmax of output_{t−1} (the start symbol at t = 0) */
    if (t > 0)
      gs_model_feed_prediction (dec, t);
    gs_model_forward_step (dec);
  }
  ev->loss = gs_model_loss (dec);
  gs_task_score_sequences (task, dec, ev);
  ev->baseline = powf (1.0f / (float) task->O, (float) M);
  free (h);
  free (c);
}

const GsTaskClass gs_task_seq2seq = {
  .name = "seq2seq",
  .title = N_("Encoder–decoder"),
  .shape = "N→M",
  .description = N_("An encoder reads a string and a decoder, started from the encoder's final state, writes "
                    "the answer: the string reversed, or a date 2024-03-15 rewritten as 15/03/2024. Metric: "
                    "fraction of test strings decoded exactly (greedy); solved at 95%."),
  .params = seq2seq_params,
  .n_params = 3,
  .init = seq2seq_init,
  .fill = seq2seq_fill,
  .score = seq2seq_score,
  .finalize = seq2seq_finalize,
  .eval_B = 500,
  .held_out_mod = 5,   /* fresh draws repeat: a fifth of the sequences is held out */
};
