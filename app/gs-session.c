/* gs-session.c — one training run, stepped or trained in a worker thread.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threads and ownership:
 *
 *   main loop                         worker thread
 *   ─────────                         ─────────────
 *   gs_session_step_forward ()  ──►   commands (GsShuttle)
 *                                     owns the GsStepper, runs the command
 *                                     on it, copies a GsSnapshot
 *   on_replies                  ◄──   replies (GsShuttle, with a wake-up)
 *   "snap" notify, "error"
 *
 * The worker knows nothing of the GsSession object: it sees only the
 * shuttle and an atomic stop flag, both kept alive by the Worker struct
 * until dispose has joined the thread. So no reference to the
 * session ever crosses threads.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Session"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-session.h"
#include "gs-shuttle.h"

/* Snapshots the worker publishes at most per second while training. */
#define MAX_FPS 60

typedef enum {
  CMD_RESET,
  CMD_FORWARD,
  CMD_BACK,
  CMD_TRAIN_STEP,
  CMD_TRAIN,        /* continuously, until stopped or another command arrives */
  CMD_QUIT,
} CmdKind;

typedef struct {
  CmdKind       kind;
  GsTrainConfig config;   /* CMD_RESET */
} Cmd;

typedef struct {
  GsSnap  *snap;          /* owned, may be NULL */
  guint    answered;      /* commands this reply completes (0 for progress) */
  char    *error;         /* owned, or NULL */
  gboolean training_stopped;
  gboolean reset_done;    /* a CMD_RESET succeeded: `config` is the running one */
  GsTrainConfig config;
} Reply;

/* Everything the worker thread touches. */
typedef struct {
  GsShuttle     *shuttle;    /* commands in (Cmd *), replies out (Reply *) */
  gint           stop;       /* atomic: stop training continuously */

  /* worker-only state */
  GsStepper     *stepper;    /* the run: model, trainer, cursor, history */
  long long      sent;       /* history points already sent in a snapshot */
  GsEmbedding   *embedding;      /* the last one sent: shared while unchanged */
  GsParamCopy   *params;         /* the same for the parameters */
  gint64         embedding_time; /* when it was made (monotonic µs) */
  gboolean       training_now;   /* in worker_train: refresh it at most 5 times a second */
} Worker;

struct _GsSession
{
  GObject        parent_instance;

  /* owned */
  Worker        *worker;
  GThread       *thread;
  GsSnap        *snap;
  GsHistory     *history;        /* the run's loss history, rebuilt from the snapshots' new points */
  guint          run;            /* counts successful resets: a new run, a new history */

  GsTrainConfig  config;
  guint          queued;         /* commands sent, not yet answered */
  guint          train_pending;  /* CMD_TRAIN sent, not yet stopped */
  gboolean       training;       /* what the user asked for */
};

G_DEFINE_FINAL_TYPE (GsSession, gs_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SNAP,
  PROP_TRAINING,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  SIGNAL_CONFIG_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ───────────────────────── the worker thread ───────────────────────── */

static void
reply_free (gpointer data)
{
  Reply *reply = data;

  g_clear_pointer (&reply->snap, gs_snap_unref);
  g_free (reply->error);
  g_free (reply);
}

static void
worker_free (Worker *w)
{
  gs_shuttle_free (w->shuttle);
  gs_stepper_free (w->stepper);
  gs_embedding_unref (w->embedding);
  gs_param_copy_unref (w->params);
  g_free (w);
}

/* What the views draw: the model's sequence — for an encoder–decoder task
 * the encoder's timesteps followed by the decoder's, one sequence whose
 * state flows from the one into the other (gs_snapshot_take_pair) — and
 * the history points new since the previous snapshot. */
static GsSnap *
worker_snapshot (Worker *w)
{
  GsStepper *st = w->stepper;
  GsSnapshot *s;
  GsError err;
  int status;
  gint64 now = g_get_monotonic_time ();
  gboolean refresh = !w->training_now || now - w->embedding_time >= G_USEC_PER_SEC / 5;
  GsEmbedding *before = w->embedding;

  if (st == NULL || (s = gs_snapshot_new ()) == NULL)
    return NULL;
  if (gs_stepper_is_pair (st))
    status = gs_snapshot_take_pair (s, st->trainer->model, st->trainer->decoder, &st->trainer->task, 0,
                                    st->phase, st->trainer->epoch, &err);
  else
    status = gs_snapshot_take (s, st->trainer->model, &st->trainer->task, 0, st->phase, st->trainer->epoch, &err);
  /* The embedding of the model the snapshot shows (a pair's encoder or decoder). */
  if (status == GS_OK)
    status = gs_snapshot_take_embedding (s, gs_stepper_model (st, s->part), st->trainer->epoch, refresh,
                                         &w->embedding, &err);
  if (status == GS_OK)
    status = gs_snapshot_take_params (s, gs_stepper_model (st, s->part), st->trainer->epoch, refresh,
                                      &w->params, &err);
  if (status != GS_OK)
    {
      g_warning ("%s", err.msg);
      gs_snapshot_free (s);
      return NULL;
    }
  if (w->embedding != before)
    w->embedding_time = now;
  gs_snapshot_take_history (s, st->history, w->sent);
  gs_snapshot_take_validation (s, &st->validation);
  w->sent = s->n_updates;
  return gs_snap_new_take (s);
}

static Reply *
worker_reply_new (Worker     *w,
                  guint       answered,
                  const char *error,
                  gboolean    training_stopped)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->snap = worker_snapshot (w);
  reply->answered = answered;
  reply->error = g_strdup (error);
  reply->training_stopped = training_stopped;
  return reply;
}

static void
worker_send (Worker *w,
             Reply  *reply)
{
  gs_shuttle_reply (w->shuttle, reply);
}

static void
worker_reply (Worker     *w,
              guint       answered,
              const char *error,
              gboolean    training_stopped)
{
  worker_send (w, worker_reply_new (w, answered, error, training_stopped));
}

static int
worker_reset (Worker              *w,
              const GsTrainConfig *config,
              GsError             *err)
{
  if (w->stepper == NULL)
    w->stepper = gs_stepper_new (config, err);
  else if (gs_stepper_reset (w->stepper, config, err) != GS_OK)
    return GS_FAIL;
  if (w->stepper == NULL)
    return GS_FAIL;
  w->sent = 0;
  return GS_OK;
}

static void
worker_train (Worker *w)
{
  gint64 last_publish = g_get_monotonic_time ();
  GsError err;

  w->training_now = TRUE;
  while (!g_atomic_int_get (&w->stop) && gs_shuttle_pending (w->shuttle) == 0)
    {
      gint64 now;

      if (gs_stepper_train_step (w->stepper, &err) != GS_OK)
        {
          w->training_now = FALSE;
          worker_reply (w, 1, err.msg, TRUE);
          return;
        }
      now = g_get_monotonic_time ();
      if (now - last_publish >= G_USEC_PER_SEC / MAX_FPS)
        {
          worker_reply (w, 0, NULL, FALSE);
          last_publish = now;
        }
    }
  w->training_now = FALSE;
  worker_reply (w, 1, NULL, TRUE);
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;

  for (;;)
    {
      g_autofree Cmd *cmd = gs_shuttle_next_command (w->shuttle);
      GsError err = { "" };
      int status = GS_OK;

      if (cmd->kind == CMD_QUIT)
        break;
      if (cmd->kind == CMD_RESET)
        {
          Reply *reply;
          status = worker_reset (w, &cmd->config, &err);
          reply = worker_reply_new (w, 1, status == GS_OK ? NULL : err.msg, FALSE);
          reply->reset_done = status == GS_OK;
          reply->config = cmd->config;
          worker_send (w, reply);
          continue;
        }
      else if (w->stepper == NULL)
        status = gs_error_set (&err, _("there is no model to train"));
      else if (cmd->kind == CMD_FORWARD)
        status = gs_stepper_step (w->stepper, &err);
      else if (cmd->kind == CMD_BACK && gs_stepper_can_undo (w->stepper))
        status = gs_stepper_undo (w->stepper, &err);
      else if (cmd->kind == CMD_TRAIN_STEP)
        status = gs_stepper_train_step (w->stepper, &err);
      else if (cmd->kind == CMD_TRAIN)
        {
          worker_train (w);
          continue;
        }
      worker_reply (w, 1, status == GS_OK ? NULL : err.msg, FALSE);
    }
  return NULL;
}

/* ───────────────────────── the main loop side ───────────────────────── */

static gboolean
on_replies (gpointer user_data)
{
  GsSession *self = GS_SESSION (user_data);
  gboolean was_busy = self->queued > 0;
  Reply *reply;

  while ((reply = gs_shuttle_receive (self->worker->shuttle)) != NULL)
    {
      g_assert (reply->answered <= self->queued);
      self->queued -= reply->answered;
      /* The configuration of the run that is actually running (set before
       * "snap" is notified, so handlers see the two agree). */
      if (reply->reset_done)
        {
          self->config = reply->config;
          gs_history_clear (self->history);
          self->run++;
          g_signal_emit (self, signals[SIGNAL_CONFIG_CHANGED], 0);
        }
      if (reply->snap != NULL)
        {
          const GsSnapshot *s = gs_snap_get (reply->snap);
          for (int i = 0; i < s->n_history; i++)
            gs_history_add_point (self->history, &s->history[i]);
          g_clear_pointer (&self->snap, gs_snap_unref);
          self->snap = g_steal_pointer (&reply->snap);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAP]);
        }
      /* A run stopped by an error or by another command: unless a newer
       * run is already queued, training is over. */
      if (reply->training_stopped && --self->train_pending == 0 && self->training)
        {
          self->training = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
        }
      if (reply->error != NULL)
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, reply->error);
      reply_free (reply);
    }
  if (was_busy != (self->queued > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  return G_SOURCE_CONTINUE;
}

static void
send (GsSession           *self,
      CmdKind              kind,
      const GsTrainConfig *config)
{
  Cmd *cmd = g_new0 (Cmd, 1);

  cmd->kind = kind;
  if (config != NULL)
    cmd->config = *config;
  if (kind != CMD_QUIT)
    {
      self->queued++;
      if (self->queued == 1)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  gs_shuttle_send (self->worker->shuttle, cmd);
}

static void
gs_session_dispose (GObject *object)
{
  GsSession *self = GS_SESSION (object);

  if (self->thread != NULL)
    {
      g_atomic_int_set (&self->worker->stop, 1);
      send (self, CMD_QUIT, NULL);
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->worker, worker_free);
    }
  g_clear_pointer (&self->snap, gs_snap_unref);
  g_clear_pointer (&self->history, gs_history_free);

  G_OBJECT_CLASS (gs_session_parent_class)->dispose (object);
}

static void
gs_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GsSession *self = GS_SESSION (object);

  switch (prop_id)
    {
    case PROP_SNAP:
      g_value_set_boxed (value, self->snap);
      break;
    case PROP_TRAINING:
      g_value_set_boolean (value, self->training);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->queued > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_session_class_init (GsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gs_session_dispose;
  object_class->get_property = gs_session_get_property;

  properties[PROP_SNAP] =
    g_param_spec_boxed ("snap", NULL, NULL, GS_TYPE_SNAP,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A reset succeeded: gs_session_get_config () is the new run's. */
  signals[SIGNAL_CONFIG_CHANGED] =
    g_signal_new ("config-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* A command failed; the message is translated and ready to show. */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gs_session_init (GsSession *self)
{
  Worker *w = g_new0 (Worker, 1);

  w->shuttle = gs_shuttle_new ("[gatescope] session replies", on_replies, self, reply_free, g_free);
  self->worker = w;
  self->history = gs_history_new (NULL);
  g_assert (self->history != NULL);
  self->thread = g_thread_new ("gatescope-train", worker_main, w);
}

GsSession *
gs_session_new (const GsTrainConfig *config)
{
  GsSession *self;

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (GS_TYPE_SESSION, NULL);
  self->config = *config;
  gs_session_reset (self, config);
  return self;
}

const GsTrainConfig *
gs_session_get_config (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), NULL);

  return &self->config;
}

GsSnap *
gs_session_get_snap (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), NULL);

  return self->snap;
}

gboolean
gs_session_get_training (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), FALSE);

  return self->training;
}

gboolean
gs_session_get_busy (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), FALSE);

  return self->queued > 0;
}

gboolean
gs_session_can_step_back (GsSession *self)
{
  const GsSnapshot *s;

  g_return_val_if_fail (GS_IS_SESSION (self), FALSE);

  if (self->snap == NULL || self->training)
    return FALSE;
  s = gs_snap_get (self->snap);
  return s->phase == GS_PHASE_FORWARD || s->phase == GS_PHASE_BACKWARD;
}

static void
stop_training (GsSession *self)
{
  /* The worker also stops by itself when it sees the next command; the
   * flag covers the case of no next command. */
  if (self->training)
    g_atomic_int_set (&self->worker->stop, 1);
}

void
gs_session_step_forward (GsSession *self)
{
  g_return_if_fail (GS_IS_SESSION (self));

  stop_training (self);
  send (self, CMD_FORWARD, NULL);
}

void
gs_session_step_back (GsSession *self)
{
  g_return_if_fail (GS_IS_SESSION (self));

  stop_training (self);
  send (self, CMD_BACK, NULL);
}

void
gs_session_train_step (GsSession *self)
{
  g_return_if_fail (GS_IS_SESSION (self));

  stop_training (self);
  send (self, CMD_TRAIN_STEP, NULL);
}

void
gs_session_set_training (GsSession *self,
                         gboolean   training)
{
  g_return_if_fail (GS_IS_SESSION (self));

  training = !!training;
  if (training == self->training)
    return;
  if (training)
    {
      g_atomic_int_set (&self->worker->stop, 0);
      self->train_pending++;
      send (self, CMD_TRAIN, NULL);
    }
  else
    {
      stop_training (self);
    }
  self->training = training;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

void
gs_session_reset (GsSession           *self,
                  const GsTrainConfig *config)
{
  GsError err;

  g_return_if_fail (GS_IS_SESSION (self));
  g_return_if_fail (config != NULL);

  /* Refuse an invalid configuration here, with the engine's message,
   * rather than lose the running session to it. */
  if (gs_train_config_validate (config, &err) != GS_OK)
    {
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, err.msg);
      return;
    }
  stop_training (self);
  send (self, CMD_RESET, config);
}

const GsHistory *
gs_session_get_history (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), NULL);

  return self->history;
}

guint
gs_session_get_run (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), 0);

  return self->run;
}

void
gs_session_sync (GsSession *self)
{
  GMainContext *context;

  g_return_if_fail (GS_IS_SESSION (self));

  context = gs_shuttle_get_context (self->worker->shuttle);
  g_object_ref (self);
  while (self->queued > 0)
    g_main_context_iteration (context, TRUE);
  g_object_unref (self);
}
