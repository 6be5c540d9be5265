/* test-stepper-greedy — an encoder–decoder's evaluation pass, stepped.
 *
 * The stepper's greedy pass (gs_stepper_set_decode) feeds each decoder step
 * the argmax of the step before. Checked against an independent decode of
 * the same weights: a naive loop here that runs the decoder on the prefix
 * decoded so far, whole, and takes the argmax of its last step — and
 * against the task's own judge (gs-task-seq2seq.c's score), whose decoder
 * is left holding the tokens it fed. On an untrained and a trained model,
 * at batch 1 and 4, with dropout configured (evaluation runs without it).
 * The pass changes no parameter, no optimizer state, no random stream: the
 * run goes on as if it had not happened. Letters: T source steps, M target
 * steps, B batch.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs-recipe.h"
#include "gs-session-file.h"
#include "gs-snapshot.h"
#include "gs-stepper.h"
#include "gs-test.h"

static GsTrainConfig
config (const char *task, int B, float dropout)
{
  GsTrainConfig c;

  gs_train_config_default (&c);
  snprintf (c.task, sizeof c.task, "%s", task);
  /* the task's recipe, smaller: solves length 5 in 800 steps at B = 32 */
  if (gs_recipe_find (task) != NULL)
    gs_recipe_apply (gs_recipe_find (task), &c, 0);
  c.cell = GS_CELL_LSTM;
  c.seed = 5;
  c.B = B;
  c.H = 32;
  c.opt.lr = 0.01f;
  c.variant.recurrent_dropout = dropout;
  return c;
}

static GsStepper *
stepper (const GsTrainConfig *c)
{
  GsError err;
  GsStepper *s = gs_stepper_new (c, &err);

  GS_CHECK (s != NULL, "stepper: %s", err.msg);
  return s;
}

/* The naive decode: for t = 1 … M−1 the decoder runs afresh over the
 * prefix x_0 … x_{t−1} from the encoder's final state, and x_t is the
 * argmax of its last output. out (M, B). */
static void
naive_decode (const GsTrainer *tr, int *out)
{
  const int T = tr->task.T, M = tr->task.T_dec, B = tr->cfg.B;
  const size_t LBH = (size_t) tr->model->cfg.L * B * tr->model->cfg.H;
  GsError err;
  GsModel *enc = gs_model_clone_params (tr->model, &err);
  GsModel *dec = gs_model_clone_params (tr->decoder, &err);
  float *h = calloc (LBH, sizeof *h), *c = calloc (LBH, sizeof *c);

  GS_CHECK (enc && dec && h && c, "clones");
  GS_CHECK (gs_model_set_sequence (enc, T, B, tr->tokens, NULL, NULL, NULL, NULL, &err) == GS_OK, "%s", err.msg);
  for (int t = 0; t < T; t++)
    gs_model_forward_step (enc);
  gs_model_final_state (enc, h, c);
  for (int b = 0; b < B; b++)
    out[b] = tr->dec_tokens[b];   /* <s> */
  for (int t = 1; t < M; t++) {
    GS_CHECK (gs_model_set_sequence (dec, t, B, out, NULL, NULL, NULL, NULL, &err) == GS_OK, "%s", err.msg);
    gs_model_set_initial_state (dec, h, c);
    for (int u = 0; u < t; u++)
      gs_model_forward_step (dec);
    for (int b = 0; b < B; b++) {
      const float *z = dec->logits + ((size_t) (t - 1) * B + b) * dec->cfg.O;
      int best = 0;
      for (int o = 1; o < dec->cfg.O; o++)
        if (z[o] > z[best])
          best = o;
      out[(size_t) t * B + b] = best;
    }
  }
  free (h);
  free (c);
  gs_model_free (enc);
  gs_model_free (dec);
}

/* The task's judge on the stepper's current batch; its decoder is left
 * holding what it fed. out (M, B). */
static void
judge_decode (GsTrainer *tr, int *out)
{
  const int M = tr->task.T_dec, B = tr->cfg.B;
  GsBatch batch = { tr->task.T, B, tr->tokens, NULL, tr->targets, NULL, NULL, M, tr->dec_tokens, tr->dec_targets };
  GsError err;
  GsModel *enc = gs_model_clone_params (tr->model, &err);
  GsModel *dec = gs_model_clone_params (tr->decoder, &err);
  GsTaskEval ev;

  GS_CHECK (enc && dec, "clones");
  tr->task.klass->score (&tr->task, enc, dec, &batch, &ev);
  memcpy (out, dec->tokens, sizeof (int) * (size_t) M * B);
  gs_model_free (enc);
  gs_model_free (dec);
}

static bool
same_bytes (const void *a, const void *b, size_t n)
{
  return memcmp (a, b, n) == 0;
}

/* One greedy pass stepped on the current (fresh) sequence, checked. */
static int
check_pass (GsStepper *s, const char *what)
{
  GsTrainer *tr = s->trainer;
  const int T = tr->task.T, M = tr->task.T_dec, B = tr->cfg.B, n = gs_stepper_forward_len (s);
  const size_t MB = (size_t) M * B;
  int *naive = malloc (MB * sizeof (int)), *judged = malloc (MB * sizeof (int));
  float *enc_params = malloc (tr->model->n_params * sizeof (float));
  float *dec_params = malloc (tr->decoder->n_params * sizeof (float));
  GsRng data = tr->data_rng, dropout = tr->dropout_rng;
  const long epoch = tr->epoch;
  const long long updates = gs_history_count (s->history);
  const long opt_step = tr->opt->step, dec_opt_step = tr->dec_opt->step;
  GsSnapshot *snap = gs_snapshot_new ();
  GsError err;
  int n_wrong = 0;

  memcpy (enc_params, tr->model->params_mem, tr->model->n_params * sizeof (float));
  memcpy (dec_params, tr->decoder->params_mem, tr->decoder->n_params * sizeof (float));
  naive_decode (tr, naive);
  judge_decode (tr, judged);

  GS_CHECK (s->phase == GS_PHASE_IDLE && s->decode == GS_DECODE_GREEDY, "%s: a fresh greedy pass", what);
  for (int i = 0; i < n; i++) {
    GS_CHECK (!gs_stepper_pass_done (s), "%s: pass not done before step %d", what, i);
    GS_CHECK (gs_stepper_step (s, &err) == GS_OK, "%s: step %d: %s", what, i, err.msg);
    /* The snapshot: the inputs known so far, the rest −1. */
    GS_CHECK (gs_snapshot_take_pair (snap, tr->model, tr->decoder, &tr->task, 0, s->phase, s->decode, 0, &err)
              == GS_OK, "%s", err.msg);
    GS_CHECK (snap->decode == GS_DECODE_GREEDY, "%s: snapshot says greedy", what);
    for (int j = 0; j < M; j++) {
      const bool known = j <= tr->decoder->t_fwd;
      GS_CHECK (known ? snap->tokens[T + j] == naive[(size_t) j * B] : snap->tokens[T + j] == -1,
                "%s: step %d, decoder input %d in the snapshot: %d (naive %d, known %d)", what, i, j,
                snap->tokens[T + j], naive[(size_t) j * B], known);
    }
  }
  GS_CHECK (gs_stepper_pass_done (s) && s->phase == GS_PHASE_FORWARD, "%s: pass done after %d steps", what, n);

  /* The tokens fed equal both independent decodes, every row. */
  for (size_t i = 0; i < MB; i++) {
    GS_CHECK (tr->decoder->tokens[i] == naive[i], "%s: fed token %zu = %d, naive decode %d", what, i,
              tr->decoder->tokens[i], naive[i]);
    GS_CHECK (tr->decoder->tokens[i] == judged[i], "%s: fed token %zu = %d, the judge fed %d", what, i,
              tr->decoder->tokens[i], judged[i]);
  }
  /* fed_target, in the snapshot and the model: the same rule. */
  for (int j = 0; j < M; j++) {
    const bool right = gs_model_feeds_target (tr->decoder, j, 0);
    GS_CHECK (gs_snapshot_fed_target (snap, T + j) == right, "%s: fed_target at %d", what, j);
    n_wrong += !right;
  }
  printf ("%s: %d of %d decoder inputs differ from the targets they replace\n", what, n_wrong, M);

  /* Nothing changed but the sequence's forward values. */
  GS_CHECK (same_bytes (enc_params, tr->model->params_mem, tr->model->n_params * sizeof (float))
            && same_bytes (dec_params, tr->decoder->params_mem, tr->decoder->n_params * sizeof (float)),
            "%s: no parameter changes", what);
  GS_CHECK (tr->epoch == epoch && gs_history_count (s->history) == updates && tr->opt->step == opt_step
            && tr->dec_opt->step == dec_opt_step, "%s: no update, no history point", what);
  GS_CHECK (same_bytes (&data, &tr->data_rng, sizeof data) && same_bytes (&dropout, &tr->dropout_rng, sizeof dropout),
            "%s: the random streams as they were", what);

  /* No backward pass, no update; → goes on to the next sequence. */
  GS_CHECK (gs_stepper_backward_step (s, &err) == GS_FAIL, "%s: backward refused", what);
  GS_CHECK (gs_stepper_update (s, &err) == GS_FAIL, "%s: update refused", what);
  GS_CHECK (gs_stepper_forward_step (s, &err) == GS_FAIL, "%s: no forward step past the end", what);
  GS_CHECK (gs_stepper_can_undo (s), "%s: undo allowed", what);
  GS_CHECK (gs_stepper_undo (s, &err) == GS_OK && s->n_fwd == n - 1, "%s: undo", what);
  GS_CHECK (gs_stepper_step (s, &err) == GS_OK && gs_stepper_pass_done (s), "%s: redo", what);
  for (size_t i = 0; i < MB; i++)
    GS_CHECK (tr->decoder->tokens[i] == naive[i], "%s: after undo and redo, fed token %zu", what, i);
  gs_snapshot_free (snap);
  free (naive);
  free (judged);
  free (enc_params);
  free (dec_params);
  return n_wrong;
}

/* Greedy passes begun between training steps: every training step still
 * trains, by teacher forcing, and the choice stays for the passes after. */
static void
check_run_unchanged (const GsTrainConfig *c)
{
  GsStepper *a = stepper (c), *b = stepper (c);
  GsError err;

  GS_CHECK (gs_stepper_set_decode (b, GS_DECODE_GREEDY, &err) == GS_OK, "%s", err.msg);
  for (int i = 0; i < 5; i++) {
    GS_CHECK (gs_stepper_train_step (a, &err) == GS_OK, "%s", err.msg);
    /* b: a greedy pass stepped part way, then a training step (teacher forcing) */
    for (int k = 0; k < i + 1; k++)
      gs_stepper_step (b, &err);
    GS_CHECK (b->decode == GS_DECODE_GREEDY, "b steps greedily");
    GS_CHECK (gs_stepper_train_step (b, &err) == GS_OK, "%s", err.msg);
    GS_CHECK (b->decode == GS_DECODE_TEACHER, "training feeds by teacher forcing");
  }
  GS_CHECK (a->trainer->epoch == 5 && b->trainer->epoch == 5, "5 updates each");
  gs_stepper_free (a);
  gs_stepper_free (b);
}

/* A greedy pass left where it began: the same batch, the same masks, so
 * that the training step after it trains on what it would have. */
static void
check_same_training (const GsTrainConfig *c)
{
  GsStepper *a = stepper (c), *b = stepper (c);
  GsError err;

  /* b: greedy chosen and dropped again on the fresh sequence, a whole
   * greedy pass on the next; a: the same sequences, trained / skipped */
  GS_CHECK (gs_stepper_set_decode (b, GS_DECODE_GREEDY, &err) == GS_OK, "%s", err.msg);
  GS_CHECK (gs_stepper_set_decode (b, GS_DECODE_TEACHER, &err) == GS_OK, "%s", err.msg);
  GS_CHECK (gs_stepper_train_step (a, &err) == GS_OK && gs_stepper_train_step (b, &err) == GS_OK, "%s", err.msg);
  gs_stepper_next_sequence (a);   /* the sequence b evaluates, skipped */
  gs_stepper_next_sequence (a);   /* the one both train on */
  GS_CHECK (gs_stepper_set_decode (b, GS_DECODE_GREEDY, &err) == GS_OK, "%s", err.msg);
  do
    GS_CHECK (gs_stepper_step (b, &err) == GS_OK, "%s", err.msg);
  while (!gs_stepper_pass_done (b));
  GS_CHECK (gs_stepper_set_decode (b, GS_DECODE_TEACHER, &err) == GS_OK, "%s", err.msg);
  GS_CHECK (b->decode == GS_DECODE_GREEDY, "the pass begun stays greedy");
  GS_CHECK (gs_stepper_train_step (a, &err) == GS_OK && gs_stepper_train_step (b, &err) == GS_OK, "%s", err.msg);
  GS_CHECK (same_bytes (a->trainer->model->params_mem, b->trainer->model->params_mem,
                        a->trainer->model->n_params * sizeof (float))
            && same_bytes (a->trainer->decoder->params_mem, b->trainer->decoder->params_mem,
                           a->trainer->decoder->n_params * sizeof (float)),
            "%s: greedy passes between training steps change nothing of the run", c->task);
  gs_stepper_free (a);
  gs_stepper_free (b);
}

/* A session saved in the middle of a greedy pass comes back there. */
static void
check_session (const GsTrainConfig *c)
{
  char path[] = "/tmp/gs-test-greedy-XXXXXX.gssession";
  GsStepper *s = stepper (c), *back;
  GsError err;
  int fd = mkstemps (path, 10);
  const int M = s->trainer->task.T_dec;

  GS_CHECK (fd >= 0, "temp file");
  close (fd);
  GS_CHECK (gs_stepper_set_decode (s, GS_DECODE_GREEDY, &err) == GS_OK, "%s", err.msg);
  for (int i = 0; i < s->trainer->task.T + 2; i++)
    gs_stepper_step (s, &err);
  GS_CHECK (gs_session_file_save (s, path, &err) == GS_OK, "save: %s", err.msg);
  back = gs_session_file_load (path, NULL, &err);
  GS_CHECK (back != NULL, "load: %s", err.msg);
  if (back != NULL) {
    GS_CHECK (back->decode == GS_DECODE_GREEDY && back->next_decode == GS_DECODE_GREEDY
              && back->n_fwd == s->n_fwd, "session: the greedy pass where it was");
    GS_CHECK (same_bytes (back->trainer->decoder->tokens, s->trainer->decoder->tokens, sizeof (int) * 3)
              && M >= 3, "session: the tokens fed so far");
    gs_stepper_free (back);
  }
  unlink (path);
  gs_stepper_free (s);
}

int
main (void)
{
  GsError err;

  /* One model: no greedy decoding. */
  {
    GsTrainConfig c = config ("hello", 1, 0.0f);
    GsStepper *s = stepper (&c);
    GS_CHECK (gs_stepper_set_decode (s, GS_DECODE_GREEDY, &err) == GS_FAIL && s->decode == GS_DECODE_TEACHER,
              "refused for a task with one model: %s", err.msg);
    gs_stepper_free (s);
  }
  /* Untrained at batch 1 and 4 (with dropout configured); trained at 32. */
  for (int i = 0; i < 3; i++) {
    const int B = i == 0 ? 1 : i == 1 ? 4 : 32;
    GsTrainConfig c = config ("seq2seq:length=5", B, B == 4 ? 0.3f : 0.0f);
    GsStepper *s = stepper (&c);
    char what[64];

    GS_CHECK (s->decode == GS_DECODE_TEACHER, "teacher forcing is the default");
    GS_CHECK (gs_stepper_set_decode (s, GS_DECODE_GREEDY, &err) == GS_OK, "%s", err.msg);
    snprintf (what, sizeof what, "untrained, B=%d", B);
    check_pass (s, what);
    if (B < 32) {
      gs_stepper_free (s);
      continue;
    }
    /* Train (teacher forcing), then evaluate again. */
    for (int e = 0; e < 800; e++)
      if (gs_stepper_train_step (s, &err) != GS_OK)
        break;
    GS_CHECK (s->trainer->epoch == 800, "trained 800 steps");
    gs_stepper_next_sequence (s);
    snprintf (what, sizeof what, "trained, B=%d", B);
    /* solved (97% of held-out strings exact): its own predictions are,
     * in row 0, the targets */
    GS_CHECK (check_pass (s, what) == 0, "%s: the trained decoder reads what teacher forcing would", what);
    gs_stepper_free (s);
  }
  {
    GsTrainConfig c = config ("seq2seq:kind=date", 1, 0.0f);
    GsStepper *s = stepper (&c);
    GS_CHECK (gs_stepper_set_decode (s, GS_DECODE_GREEDY, &err) == GS_OK, "%s", err.msg);
    check_pass (s, "date, untrained");
    gs_stepper_free (s);
  }
  /* A reset starts the new run by teacher forcing. */
  {
    GsTrainConfig c = config ("seq2seq:length=4", 1, 0.0f);
    GsStepper *s = stepper (&c);
    GS_CHECK (gs_stepper_set_decode (s, GS_DECODE_GREEDY, &err) == GS_OK && s->decode == GS_DECODE_GREEDY,
              "greedy at once on a fresh sequence");
    GS_CHECK (gs_stepper_reset (s, &c, &err) == GS_OK, "%s", err.msg);
    GS_CHECK (s->decode == GS_DECODE_TEACHER && s->next_decode == GS_DECODE_TEACHER, "reset: teacher forcing");
    gs_stepper_free (s);
  }
  {
    GsTrainConfig c = config ("seq2seq:length=4", 2, 0.2f);
    check_run_unchanged (&c);
    check_same_training (&c);
    check_session (&c);
  }
  return gs_test_finish ("stepper-greedy");
}
