/* test-session — the worker-thread controller steps exactly like the engine.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command is followed by gs_session_sync (), then the published
 * snapshot is compared with the engine driven by hand on the same
 * configuration: what the views will draw is what the model computed.
 */

#include <math.h>
#include <string.h>

#include "gs-session.h"

static GsTrainConfig
lstm_config (void)
{
  GsTrainConfig c;

  gs_train_config_default (&c);
  c.cell = GS_CELL_LSTM;
  return c;
}

static const GsSnapshot *
current (GsSession *session)
{
  GsSnap *snap = gs_session_get_snap (session);

  g_assert_nonnull (snap);
  return gs_snap_get (snap);
}

static void
test_stepping (void)
{
  GsTrainConfig config = lstm_config ();
  g_autoptr(GsSession) session = gs_session_new (&config);
  const GsSnapshot *s;
  GsTrainer *ref;
  GsError err;
  int T;

  gs_session_sync (session);
  s = current (session);
  T = s->T;
  g_assert_cmpint (T, ==, 5);
  g_assert_cmpint (s->phase, ==, GS_PHASE_IDLE);
  g_assert_cmpint (s->t_fwd, ==, 0);
  g_assert_false (gs_session_can_step_back (session));

  /* The same run by hand. */
  ref = gs_trainer_new (&config, &err);
  g_assert_nonnull (ref);

  for (int t = 0; t < T; t++)
    {
      gs_session_step_forward (session);
      gs_session_sync (session);
      gs_model_forward_step (ref->model);
      s = current (session);
      g_assert_cmpint (s->phase, ==, GS_PHASE_FORWARD);
      g_assert_cmpint (s->t_fwd, ==, t + 1);
      /* the gates the cell view will draw are the engine's, bit for bit */
      g_assert_cmpmem (s->layer[1].act + t * 4 * 8, 4 * 8 * sizeof (float),
                       ref->model->layer[1].act + t * 4 * 8, 4 * 8 * sizeof (float));
    }
  g_assert_cmpfloat (s->loss, ==, gs_model_loss (ref->model));

  /* ← in the forward pass recomputes up to the step before. */
  gs_session_step_back (session);
  gs_session_sync (session);
  g_assert_cmpint (current (session)->t_fwd, ==, T - 1);
  gs_session_step_forward (session);
  gs_session_sync (session);
  g_assert_cmpint (current (session)->t_fwd, ==, T);

  /* Backward, one timestep at a time, from t = T−1 down to 0. */
  gs_model_zero_grad (ref->model);
  for (int t = T - 1; t >= 0; t--)
    {
      gs_session_step_forward (session);
      gs_session_sync (session);
      gs_model_backward_step (ref->model);
      s = current (session);
      g_assert_cmpint (s->phase, ==, GS_PHASE_BACKWARD);
      g_assert_cmpint (s->t_bwd, ==, t);
      g_assert_cmpmem (s->layer[0].dh + t * 8, 8 * sizeof (float),
                       ref->model->layer[0].dh + t * 8, 8 * sizeof (float));
      g_assert_true (gs_session_can_step_back (session));
    }

  /* ← in the backward pass. */
  gs_session_step_back (session);
  gs_session_sync (session);
  g_assert_cmpint (current (session)->t_bwd, ==, 1);
  gs_session_step_forward (session);
  gs_session_sync (session);
  g_assert_cmpint (current (session)->t_bwd, ==, 0);

  /* The update. */
  gs_session_step_forward (session);
  gs_session_sync (session);
  g_assert_cmpint (gs_trainer_update (ref, &err), ==, GS_OK);
  s = current (session);
  g_assert_cmpint (s->phase, ==, GS_PHASE_UPDATED);
  g_assert_cmpint (s->epoch, ==, 1);
  g_assert_cmpint (s->n_history, ==, 1);
  g_assert_cmpfloat (s->history[0].loss_mean, ==, ref->last_loss);
  g_assert_cmpint (gs_history_count (gs_session_get_history (session)), ==, 1);
  g_assert_false (gs_session_can_step_back (session));

  /* A whole training step equals the trainer's. */
  gs_session_train_step (session);
  gs_session_sync (session);
  g_assert_cmpint (gs_trainer_step (ref, &err), ==, GS_OK);
  s = current (session);
  g_assert_cmpint (s->epoch, ==, 2);
  /* the snapshot brings the new point only */
  g_assert_cmpint (s->n_history, ==, 1);
  g_assert_cmpint (s->history[0].first, ==, 1);
  g_assert_cmpfloat (s->history[0].loss_mean, ==, ref->last_loss);

  /* → after an update starts the next sequence. */
  gs_session_step_forward (session);
  gs_session_sync (session);
  g_assert_cmpint (current (session)->phase, ==, GS_PHASE_FORWARD);
  g_assert_cmpint (current (session)->t_fwd, ==, 1);

  gs_trainer_free (ref);
}

static void
on_error (GsSession  *session,
          const char *message,
          gpointer    user_data)
{
  char **last = user_data;

  g_free (*last);
  *last = g_strdup (message);
}

static void
test_continuous_and_reset (void)
{
  GsTrainConfig config = lstm_config ();
  g_autoptr(GsSession) session = gs_session_new (&config);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  gint64 deadline;

  gs_session_sync (session);
  gs_session_set_training (session, TRUE);
  g_assert_true (gs_session_get_training (session));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (current (session)->epoch < 200 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_assert_cmpint (current (session)->epoch, >=, 200);
  gs_session_set_training (session, FALSE);
  gs_session_sync (session);
  g_assert_false (gs_session_get_training (session));
  {
    const GsHistory *h = gs_session_get_history (session);
    guint run = gs_session_get_run (session);

    /* every update reached the main loop's history, none twice */
    g_assert_cmpint (gs_history_count (h), ==, current (session)->epoch);
    g_assert_cmpint (current (session)->n_updates, ==, current (session)->epoch);
    for (int i = 0; i < gs_history_n_points (h); i++)
      g_assert_cmpint (gs_history_point (h, i)->first, ==,
                       i == 0 ? 0 : gs_history_point (h, i - 1)->first + gs_history_point (h, i - 1)->n);
    /* 200+ epochs of hello with an LSTM: the loss has fallen */
    g_assert_cmpfloat (gs_history_point (h, gs_history_n_points (h) - 1)->loss_mean, <,
                       gs_history_point (h, 0)->loss_mean);
    g_assert_cmpuint (run, >, 0);
  }

  /* A step interrupts training too. */
  gs_session_set_training (session, TRUE);
  gs_session_step_forward (session);
  gs_session_sync (session);
  g_assert_false (gs_session_get_training (session));

  /* Reset: a fresh GRU run. */
  config.cell = GS_CELL_GRU;
  gs_session_reset (session, &config);
  gs_session_sync (session);
  g_assert_cmpint (current (session)->epoch, ==, 0);
  g_assert_cmpint (current (session)->n_history, ==, 0);
  g_assert_cmpint (gs_history_count (gs_session_get_history (session)), ==, 0);
  g_assert_cmpstr (current (session)->gates, ==, "rzn");
}

typedef struct {
  int        count;
  int        epoch;
  GsTaskEval ev;
} Evaluated;

static void
on_evaluated (GsSession        *session,
              int               epoch,
              const GsTaskEval *ev,
              Evaluated        *out)
{
  out->count++;
  out->epoch = epoch;
  out->ev = *ev;
}

/* The held-out check runs in the worker: on a fresh run it is the engine's
 * own (gs_trainer_evaluate on the same weights) and not solved; training
 * until solved stops by itself at a check that passes, with the snapshot
 * at the epoch it judged, and the engine agrees it is solved. */
static void
test_until_solved (void)
{
  GsTrainConfig config = lstm_config ();
  g_autoptr(GsSession) session = gs_session_new (&config);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  Evaluated got = { 0 };
  GsTaskEval ref_ev;
  GsTrainer *ref;
  GsError err;
  gint64 deadline;

  g_signal_connect (session, "evaluated", G_CALLBACK (on_evaluated), &got);
  gs_session_sync (session);
  gs_session_evaluate (session);
  gs_session_sync (session);
  g_assert_cmpint (got.count, ==, 1);
  g_assert_cmpint (got.epoch, ==, 0);
  ref = gs_trainer_new (&config, &err);
  g_assert_nonnull (ref);
  g_assert_cmpint (gs_trainer_evaluate (ref, &ref_ev, &err), ==, GS_OK);
  g_assert_cmpstr (got.ev.metric_name, ==, ref_ev.metric_name);
  g_assert_cmpfloat (got.ev.metric, ==, ref_ev.metric);
  g_assert_cmpfloat (got.ev.loss, ==, ref_ev.loss);
  g_assert_false (got.ev.solved);
  gs_trainer_free (ref);

  gs_session_train_until_solved (session);
  g_assert_true (gs_session_get_training (session));
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (gs_session_get_training (session) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_assert_false (gs_session_get_training (session));
  gs_session_sync (session);
  g_assert_cmpint (got.count, ==, 2);
  g_assert_true (got.ev.solved);
  g_assert_cmpint (got.epoch, >, 0);
  g_assert_cmpint (current (session)->epoch, ==, got.epoch);
  /* The check the CLI makes, on the same configuration trained as long:
   * solved too (the engine is deterministic). */
  ref = gs_trainer_new (&config, &err);
  g_assert_nonnull (ref);
  for (int i = 0; i < got.epoch; i++)
    g_assert_cmpint (gs_trainer_step (ref, &err), ==, GS_OK);
  g_assert_cmpint (gs_trainer_evaluate (ref, &ref_ev, &err), ==, GS_OK);
  g_assert_true (ref_ev.solved);
  g_assert_cmpfloat (ref_ev.metric, ==, got.ev.metric);
  gs_trainer_free (ref);
}

static void
test_errors (void)
{
  GsTrainConfig config = lstm_config ();
  g_autoptr(GsSession) session = gs_session_new (&config);
  char *message = NULL;

  g_signal_connect (session, "error", G_CALLBACK (on_error), &message);
  gs_session_sync (session);

  /* An absurd configuration is refused and the session keeps its run. */
  config.H = 0;
  gs_session_reset (session, &config);
  gs_session_sync (session);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "hidden size"));
  g_assert_cmpstr (current (session)->gates, ==, "ifgo");
  g_clear_pointer (&message, g_free);

  /* A task the worker cannot build (a missing file) is refused there: the
   * message arrives and the session keeps its run and its configuration. */
  config = lstm_config ();
  config.cell = GS_CELL_GRU;
  g_strlcpy (config.task, "charlm:file=/nonexistent/corpus.txt", sizeof config.task);
  gs_session_reset (session, &config);
  gs_session_sync (session);
  g_assert_nonnull (message);
  g_assert_cmpstr (gs_session_get_config (session)->task, ==, "hello");
  g_assert_cmpint (gs_session_get_config (session)->cell, ==, GS_CELL_LSTM);
  g_assert_cmpstr (current (session)->gates, ==, "ifgo");
  g_clear_pointer (&message, g_free);

  /* A run that diverges says so and stops; nothing crashes. (ReLU is
   * unbounded: at this learning rate the loss is NaN by epoch 3.) */
  config = lstm_config ();
  config.cell = GS_CELL_RNN_RELU;
  config.opt.lr = 1e3f;
  config.opt.kind = GS_OPT_SGD;
  config.opt.momentum = 0.0f;
  gs_session_reset (session, &config);
  gs_session_set_training (session, TRUE);
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    while (message == NULL && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
  }
  gs_session_sync (session);
  g_assert_nonnull (strstr (message, "diverged"));
  g_assert_false (gs_session_get_training (session));
  g_clear_pointer (&message, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/stepping", test_stepping);
  g_test_add_func ("/session/continuous-and-reset", test_continuous_and_reset);
  g_test_add_func ("/session/errors", test_errors);
  g_test_add_func ("/session/until-solved", test_until_solved);
  return g_test_run ();
}
