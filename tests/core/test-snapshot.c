/* test-snapshot — what the views draw is exactly the engine's state. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-snapshot.h"
#include "gs-test.h"
#include "gs-test-models.h"

static void
check_cell (GsCell cell)
{
  GsModel *m = gs_test_model_new (cell, GS_INPUT_EMBED, GS_LOSS_CE, 2, 5, 6, 3, 9);
  GsSnapshot *s = gs_snapshot_new (), *copy;
  GsTask task;
  GsError err;
  const int b = 2, H = 5, GH = m->G * H, T = m->T, B = m->B;   /* row 2 has targets at every step */
  const char *name = gs_cell_name (cell);
  float norms[6];

  gs_task_init (&task, "hello", &err);
  gs_model_zero_grad (m);
  for (int i = 0; i < 3; i++)
    gs_model_forward_step (m);
  GS_CHECK (gs_snapshot_take (s, m, &task, b, GS_PHASE_FORWARD, 0, &err) == GS_OK, "take: %s", err.msg);
  GS_CHECK (s->t_fwd == 3 && s->T == T && s->G == m->G, "%s: cursors and shape", name);
  GS_CHECK (strcmp (s->gates, gs_cell_gate_letters (cell)) == 0, "%s: gate letters %s", name, s->gates);
  for (int k = 0; k < 2; k++)
    for (int t = 0; t < T; t++) {
      const float *want = m->layer[k].act + ((size_t) t * B + b) * GH;
      const float *got = s->layer[k].act + (size_t) t * GH;
      bool ok = true;
      for (int j = 0; j < GH; j++)
        ok &= t < 3 ? got[j] == want[j] : got[j] == 0.0f;
      GS_CHECK (ok, "%s: layer %d act at t=%d is the model's (sequence %d) before t_fwd, zero after", name, k, t, b);
      ok = true;
      for (int u = 0; u < H; u++)
        ok &= t < 3 ? s->layer[k].h[(size_t) t * H + u] == m->layer[k].h[((size_t) t * B + b) * H + u] : true;
      GS_CHECK (ok, "%s: layer %d h at t=%d", name, k, t);
    }
  GS_CHECK (s->tokens[2] == m->tokens[2 * B + b] && s->targets[4] == m->targets[4 * B + b], "%s: tokens/targets of sequence b", name);
  GS_CHECK (s->loss == gs_model_loss (m), "%s: loss %g", name, (double) s->loss);

  gs_model_forward (m);
  gs_model_backward_step (m);
  gs_model_backward_step (m);
  GS_CHECK (gs_snapshot_take (s, m, &task, b, GS_PHASE_BACKWARD, 0, &err) == GS_OK, "take: %s", err.msg);
  gs_snapshot_dh_norms (s, 1, norms);
  for (int t = 0; t < T; t++) {
    double sq = 0.0;
    for (int u = 0; u < H; u++) {
      double v = m->layer[1].dh[((size_t) t * B + b) * H + u];
      sq += v * v;
    }
    GS_CHECK (t >= T - 2 ? fabs (norms[t] - sqrt (sq)) <= 1e-6 * sqrt (sq) && norms[t] > 0.0f : norms[t] == 0.0f,
              "%s: ‖dh_%d‖ = %g (model %g, t_bwd %d)", name, t, (double) norms[t], sqrt (sq), s->t_bwd);
  }
  if (cell == GS_CELL_LSTM)
    GS_CHECK (s->layer[0].dc[(size_t) (T - 1) * H] == m->layer[0].dc[((size_t) (T - 1) * B + b) * H], "%s: dc", name);
  else
    GS_CHECK (s->layer[0].dc == NULL && s->layer[0].c == NULL, "%s: no cell state", name);

  /* The labels belong to the snapshot: the task may go away with its trainer. */
  gs_task_clear (&task);
  memset (&task, 0x5a, sizeof task);
  GS_CHECK (s->task != NULL && s->task->V == 4 && strcmp (s->task->vocab[1], "h") == 0
            && strcmp (s->task->out_vocab[3], "o") == 0, "%s: labels outlive the task", name);

  /* The history travels as what changed: the points since the previous
   * snapshot, at most GS_SNAP_HISTORY_MAX, in a snapshot of fixed size. */
  {
    GsHistory *h = gs_history_new (&err);
    size_t size = gs_snapshot_size (s);
    for (int i = 0; i < 300; i++)
      gs_history_add (h, (float) i, NAN);
    gs_snapshot_take_history (s, h, 290);
    GS_CHECK (s->n_history == 10 && s->history[0].first == 290 && s->history[9].loss_mean == 299.0f
              && s->n_updates == 300, "%s: the ten new points", name);
    gs_snapshot_take_history (s, h, 0);
    GS_CHECK (s->n_history == 150 && s->history[0].n == 2 && s->history[149].loss_max == 299.0f,
              "%s: 300 new points merged into %d", name, GS_SNAP_HISTORY_MAX);
    for (int i = 0; i < 100000; i++)
      gs_history_add (h, 1.0f, NAN);
    gs_snapshot_take_history (s, h, gs_history_count (h) - 5);
    GS_CHECK (s->n_history == 5 && gs_snapshot_size (s) == size,
              "%s: the snapshot's size does not grow with the run (%zu bytes)", name, size);
    gs_snapshot_take_history (s, h, 0);
    gs_history_free (h);
  }
  copy = gs_snapshot_copy (s, &err);
  GS_CHECK (copy != NULL && copy->n_history == s->n_history
            && memcmp (copy->history, s->history, sizeof (GsHistPoint) * (size_t) s->n_history) == 0
            && copy->layer[1].dh != s->layer[1].dh
            && memcmp (copy->layer[1].dh, s->layer[1].dh, sizeof (float) * (size_t) T * H) == 0
            && copy->task == &copy->task_copy && copy->task->vocab != s->task->vocab
            && strcmp (copy->task->vocab[2], "l") == 0,
            "%s: deep copy", name);
  gs_snapshot_free (copy);
  gs_snapshot_free (s);
  gs_model_free (m);
}

/* Regression targets travel with the snapshot (the prediction view shows them). */
static void
check_regression_targets (void)
{
  GsModel *m = gs_test_model_new (GS_CELL_GRU, GS_INPUT_DENSE, GS_LOSS_MSE, 1, 3, 4, 2, 4);
  GsSnapshot *s = gs_snapshot_new ();
  GsTask task;
  GsError err;
  bool ok = true;

  gs_task_init (&task, "series", &err);
  gs_model_forward (m);
  GS_CHECK (gs_snapshot_take (s, m, &task, 1, GS_PHASE_FORWARD, 0, &err) == GS_OK, "take: %s", err.msg);
  GS_CHECK (s->ys != NULL, "an MSE snapshot has targets");
  for (int t = 0; t < m->T && s->ys; t++)
    for (int o = 0; o < m->cfg.O; o++)
      ok &= s->ys[t * m->cfg.O + o] == m->ys[((size_t) t * m->B + 1) * m->cfg.O + o];
  GS_CHECK (ok, "snapshot ys are sequence 1's targets");
  gs_task_clear (&task);
  gs_snapshot_free (s);
  gs_model_free (m);
}

/* An encoder–decoder pair as one sequence: the encoder's timesteps, then
 * the decoder's, whose h_{t−1} at its first step is the encoder's last h
 * (the hand-over); cursors and parts follow the stepper. */
static void
check_pair (void)
{
  GsTrainConfig c;
  GsError err = { "" };
  GsStepper *st;
  GsSnapshot *s = gs_snapshot_new ();
  GsModel *enc, *dec;
  int T, M, P, H;

  gs_train_config_default (&c);
  snprintf (c.task, sizeof c.task, "seq2seq:length=4");
  c.cell = GS_CELL_LSTM;
  st = gs_stepper_new (&c, &err);
  GS_CHECK (st != NULL, "seq2seq stepper: %s", err.msg);
  if (st == NULL)
    return;
  enc = st->trainer->model;
  dec = st->trainer->decoder;
  T = enc->T;
  M = dec->T;
  P = dec->P;
  H = dec->cfg.H;
  for (int i = 0; i < T + 2; i++)
    gs_stepper_step (st, &err);
  GS_CHECK (gs_snapshot_take_pair (s, enc, dec, &st->trainer->task, 0, st->phase, GS_DECODE_TEACHER, 0, &err) == GS_OK, "%s", err.msg);
  GS_CHECK (s->T == T + M && s->T_enc == T && s->T_dec == M && s->t_fwd == T + 2 && s->part == GS_PART_DECODER,
            "pair: T %d = %d + %d, t_fwd %d, part %d", s->T, T, M, s->t_fwd, s->part);
  for (int k = 0; k < c.L; k++) {
    GS_CHECK (memcmp (s->layer[k].h + (size_t) (T - 1) * P, dec->layer[k].h0, sizeof (float) * P) == 0
              && memcmp (s->layer[k].c + (size_t) (T - 1) * H, dec->layer[k].c0, sizeof (float) * H) == 0,
              "pair layer %d: the decoder starts from the encoder's last h and c", k);
    GS_CHECK (memcmp (s->layer[k].h + (size_t) T * P, dec->layer[k].h, sizeof (float) * P) == 0
              && memcmp (s->layer[k].h, enc->layer[k].h, sizeof (float) * P) == 0,
              "pair layer %d: the encoder's columns, then the decoder's", k);
  }
  GS_CHECK (s->targets[T - 1] < 0 && s->targets[T] == dec->targets[0] && !gs_snapshot_has_output (s, T - 1)
            && gs_snapshot_has_output (s, T) && strcmp (s->task->vocab[s->tokens[T]], "<s>") == 0,
            "pair: targets and outputs only in the decoder's columns, which start with <s>");
  GS_CHECK (s->loss == gs_model_loss (dec), "pair: the decoder's loss");
  for (int i = 0; i < M - 2 + M + 1; i++)
    gs_stepper_step (st, &err);
  gs_snapshot_take_pair (s, enc, dec, &st->trainer->task, 0, st->phase, GS_DECODE_TEACHER, 0, &err);
  GS_CHECK (s->part == GS_PART_ENCODER && s->t_bwd == T - 1 && s->layer[0].dh[(size_t) (T - 1) * P] != 0.0f
            && s->layer[0].dh[(size_t) (T - 2) * P] == 0.0f,
            "pair: backward reached the encoder's last step (t_bwd %d, part %d)", s->t_bwd, s->part);
  gs_snapshot_free (s);
  gs_stepper_free (st);
}

/* Whether row (k, d) of snapshot s holds exactly the final values of
 * `ref` (run whole) at the timesteps the rule says are held, and zeros
 * elsewhere: no view that draws by the rule shows a blank or stale value. */
static bool
rule_holds (const GsSnapshot *s, const GsModel *ref, int k, int d, int b, bool grads)
{
  const GsSnapLayer *l = d ? &s->rev[k] : &s->layer[k];
  const GsLayerState *S = d ? &ref->rev[k] : &ref->layer[k];
  const int T = ref->T, B = ref->B, P = ref->P;
  const int lo = grads ? gs_snapshot_grads_begin (s, k, d) : 0;
  const int hi = grads ? T : gs_snapshot_values_end (s, k, d);

  for (int t = 0; t < T; t++)
    for (int u = 0; u < P; u++) {
      float got = grads ? l->dh[(size_t) t * P + u] : l->h[(size_t) t * P + u];
      float want = grads ? S->dh[((size_t) t * B + b) * P + u] : S->h[((size_t) t * B + b) * P + u];
      if (t >= lo && t < hi ? got != want || got == 0.0f : got != 0.0f)
        return false;
    }
  return true;
}

/* The rule that tells the views which timesteps of each direction a
 * snapshot holds (gs_snapshot_values_end, gs_snapshot_grads_begin), at
 * every step of a bidirectional LSTM's forward and backward pass: the
 * top forward direction follows the cursor, the reverse direction and
 * the layers below are whole from the first forward step on (their
 * gradients from the last backward step on), and what is held is final. */
static void
check_bidirectional_rule (void)
{
  const GsVariant v = { .bidirectional = true };
  const int L = 2, H = 5, T = 6, B = 3, b = 2;   /* row 2 has targets at every step */
  GsModel *m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, L, H, T, B, 9, &v, 1.0f);
  GsModel *ref = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, L, H, T, B, 9, &v, 1.0f);
  GsSnapshot *s = gs_snapshot_new ();
  GsTask task;
  GsError err;

  gs_task_init (&task, "hello", &err);
  gs_model_zero_grad (m);
  gs_model_zero_grad (ref);
  gs_model_forward (ref);
  gs_model_backward (ref);
  GS_CHECK (m->D == 2, "bidirectional test model has two directions");

  for (int step = 0; step <= 2 * T; step++) {
    const bool fwd = step <= T;
    const int tf = fwd ? step : T, tb = fwd ? T : 2 * T - step;

    if (step > 0 && fwd)
      gs_model_forward_step (m);
    else if (step > 0)
      gs_model_backward_step (m);
    GS_CHECK (gs_snapshot_take (s, m, &task, b, fwd ? GS_PHASE_FORWARD : GS_PHASE_BACKWARD, 0, &err) == GS_OK,
              "take: %s", err.msg);
    GS_CHECK (s->t_fwd == tf && s->t_bwd == tb, "step %d: cursors %d %d", step, s->t_fwd, s->t_bwd);
    for (int k = 0; k < L; k++)
      for (int d = 0; d < 2; d++) {
        const bool whole = d == 1 || k < L - 1;
        const int want_end = whole ? (tf > 0 ? T : 0) : tf;
        const int want_begin = whole ? (tb == 0 ? 0 : T) : tb;

        GS_CHECK (gs_snapshot_values_end (s, k, d) == want_end && gs_snapshot_grads_begin (s, k, d) == want_begin,
                  "step %d layer %d direction %d: values to %d (want %d), gradients from %d (want %d)", step, k, d,
                  gs_snapshot_values_end (s, k, d), want_end, gs_snapshot_grads_begin (s, k, d), want_begin);
        GS_CHECK (rule_holds (s, ref, k, d, b, false),
                  "step %d layer %d direction %d: h is the final h where held, zero elsewhere", step, k, d);
        GS_CHECK (rule_holds (s, ref, k, d, b, true),
                  "step %d layer %d direction %d: dL/dh is the final one where held, zero elsewhere", step, k, d);
      }
    /* The gradient view's norms follow the rule too. */
    for (int k = 0; k < L; k++) {
      float norms[6];
      bool ok = true;
      gs_snapshot_dh_norms (s, k, norms);
      for (int t = 0; t < T; t++)
        ok &= t >= gs_snapshot_grads_begin (s, k, 0) ? norms[t] > 0.0f : norms[t] == 0.0f;
      GS_CHECK (ok, "step %d layer %d: ‖dL/dh_t‖ where the gradient is held, 0 elsewhere", step, k);
    }
  }
  GS_CHECK (gs_snapshot_values_end (s, L, 0) == 0 && gs_snapshot_grads_begin (s, 0, 2) == T,
            "no layer or direction past the model's: nothing held");
  gs_task_clear (&task);
  gs_snapshot_free (s);
  gs_model_free (ref);
  gs_model_free (m);
}

/* A one-directional model: the cursors are the rule. */
static void
check_forward_rule (void)
{
  GsModel *m = gs_test_model_new (GS_CELL_GRU, GS_INPUT_EMBED, GS_LOSS_CE, 2, 3, 4, 2, 5);
  GsSnapshot *s = gs_snapshot_new ();
  GsTask task;
  GsError err;

  gs_task_init (&task, "hello", &err);
  gs_model_forward_step (m);
  gs_model_forward_step (m);
  gs_snapshot_take (s, m, &task, 0, GS_PHASE_FORWARD, 0, &err);
  GS_CHECK (s->D == 1 && gs_snapshot_values_end (s, 0, 0) == 2 && gs_snapshot_values_end (s, 1, 0) == 2
            && gs_snapshot_grads_begin (s, 0, 0) == 4 && gs_snapshot_values_end (s, 0, 1) == 0,
            "one direction: values to t_fwd, gradients from t_bwd, no reverse");
  gs_task_clear (&task);
  gs_snapshot_free (s);
  gs_model_free (m);
}

int
main (void)
{
  check_bidirectional_rule ();
  check_forward_rule ();
  check_regression_targets ();
  check_pair ();
  for (int cell = 0; cell < GS_N_CELLS; cell++)
    check_cell ((GsCell) cell);
  return gs_test_finish ("snapshot");
}
