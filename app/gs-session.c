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

#include "gs-lesson.h"
#include "gs-intervene.h"
#include "gs-recorder.h"
#include "gs-session.h"
#include "gs-session-file.h"
#include "gs-shuttle.h"

/* Snapshots the worker publishes at most per second while training. */
#define MAX_FPS 60
/* While training continuously, the latest recording of the held-out
 * sequence (gs-recorder.h) is refreshed at most this often. */
#define LATEST_INTERVAL_US (G_USEC_PER_SEC / 2)

typedef enum {
  CMD_RESET,
  CMD_FORWARD,
  CMD_BACK,
  CMD_TRAIN_STEP,
  CMD_TRAIN,        /* continuously, until stopped or another command arrives */
  CMD_SAVE,         /* write the saves requested (Worker.saves) */
  CMD_ADOPT,        /* take over `stepper` as the run */
  CMD_LESSON_OPEN,  /* the worker takes `lesson` */
  CMD_LESSON_STEP,  /* runs step `index` of it */
  CMD_LESSON_CLOSE, /* releases its interventions and frees it */
  CMD_TRAIN_UNTIL_SOLVED, /* the same, and stops when the held-out check passes */
  CMD_EVALUATE,     /* the task's held-out check on the current weights */
  CMD_INTERVENE,
  CMD_DECODE,       /* how the passes feed an encoder–decoder's decoder */
  CMD_QUIT,
} CmdKind;

typedef struct {
  CmdKind       kind;
  GsTrainConfig config;   /* CMD_RESET */
  GsStepper    *stepper;  /* CMD_ADOPT, owned until the worker takes it */
  GsRecordings *recordings; /* CMD_ADOPT: the run's history of learning, the same, or NULL */
  char         *path;     /* CMD_ADOPT: the file it came from */
  GsLesson     *lesson;   /* CMD_LESSON_OPEN: owned until the worker takes it */
  int           index;    /* CMD_LESSON_STEP */
  gboolean      replay;   /* CMD_LESSON_STEP: Back, played again from the set-up (gs_lesson_replay_to) */
  GsInterventions ivs;    /* CMD_INTERVENE */
  GsDecode      decode;   /* CMD_DECODE */
} Cmd;

/* A save asked for, written by the worker between two steps. */
typedef struct {
  char    *path;
  gboolean autosave;
  guint64  changes;   /* the session's change count when it was asked for */
} SaveRequest;

typedef struct {
  GsSnap  *snap;          /* owned, may be NULL */
  guint    answered;      /* commands this reply completes (0 for progress) */
  char    *error;         /* owned, or NULL */
  gboolean training_stopped;
  gboolean reset_done;    /* a CMD_RESET succeeded: `config` is the running one */
  GsTrainConfig config;
  char    *adopted;       /* CMD_ADOPT: the run's file */
  gboolean restored;      /* CMD_ADOPT of a run with no file (an autosave): unsaved */
  SaveRequest *saved;     /* owned: a save written (error says when it failed) */
  gboolean lesson_step;   /* answers CMD_LESSON_STEP: index, right, error */
  int      index;
  int      right;
  GsTaskEval *eval;       /* owned: a held-out check made for this reply, or NULL */
  int      eval_epoch;    /* the updates the judged weights had had */
  /* the history of learning: the recordings made since the previous reply
   * (copies, owned) and the epochs the worker holds now — only when
   * has_recs: a reply of a save carries none, and its empty `kept` must
   * not empty the session's mirror */
  gboolean     has_recs;
  GsRecording *recs;
  int          n_recs;
  long         kept[GS_RECORDINGS_MAX];
  int          n_kept;
  /* `ivs` holds in the run now: CMD_INTERVENE succeeded, or a lesson or
   * an adopted run changed the list (the window lists them all) */
  gboolean        ivs_done;
  GsInterventions ivs;
  /* with interventions: the prediction of the sequence on show with them
   * and without them */
  gboolean     compared;
  char         pred_with[256], pred_without[256];
  float        loss_with, loss_without;
} Reply;

/* While training until solved, the held-out check runs every this many
 * epochs (and at the first): often enough to stop within a few epochs of
 * the first that passes, rarely enough that it costs little. */
#define SOLVED_CHECK_EVERY 5

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
  /* saves asked for by the main loop, written between two steps */
  GMutex         save_lock;
  GPtrArray     *saves;      /* SaveRequest *, under save_lock */
  gint           save_pending;  /* atomic: saves is not empty */
  GsLesson      *lesson;     /* the lesson being played, or NULL */
  GsLessonRunner runner;     /* its interventions and remembered numbers */
  GsRecorder    *recorder;   /* the held-out sequence under past weights (gs-recorder.h) */
  GsRecordings  *recordings;
  long long      recs_sent;  /* serial of the first recording not yet sent */
  gint64         last_latest;
  GsModel       *with;       /* scratch: the run's model with its interventions, and without */
  GsModel       *without;
} Worker;

struct _GsSession
{
  GObject        parent_instance;

  /* owned */
  Worker        *worker;
  GThread       *thread;
  GsSnap        *snap;
  GsHistory     *history;        /* the run's loss history, rebuilt from the snapshots' new points */
  GsRecordings  *recordings;     /* the worker's recordings, mirrored from the replies */
  GsInterventions interventions; /* what holds in the run (the worker accepted it) */
  gboolean       compared;       /* the prediction with and without them, from the last reply */
  char           pred_with[256], pred_without[256];
  float          loss_with, loss_without;
  guint          run;            /* counts successful resets: a new run, a new history */

  GsTrainConfig  config;
  guint          queued;         /* commands sent, not yet answered */
  guint          train_pending;  /* CMD_TRAIN sent, not yet stopped */
  gboolean       training;       /* what the user asked for */
  /* the run's file and whether it has changed since it was saved */
  char          *file;           /* owned, NULL = never saved */
  guint64        changes;        /* snapshots of a changed run received */
  guint64        saved_changes;  /* `changes` when the file was last saved or opened */
};

G_DEFINE_FINAL_TYPE (GsSession, gs_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SNAP,
  PROP_TRAINING,
  PROP_BUSY,
  PROP_FILE,
  PROP_DIRTY,
  PROP_N_RECORDINGS,
  PROP_N_INTERVENTIONS,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  SIGNAL_CONFIG_CHANGED,
  SIGNAL_SAVED,
  SIGNAL_LESSON_STEP,
  SIGNAL_EVALUATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ───────────────────────── the worker thread ───────────────────────── */

static void
save_request_free (gpointer data)
{
  SaveRequest *r = data;

  if (r == NULL)
    return;
  g_free (r->path);
  g_free (r);
}

static void
cmd_free (gpointer data)
{
  Cmd *cmd = data;

  gs_stepper_free (cmd->stepper);
  gs_recordings_free (cmd->recordings);
  g_free (cmd->path);
  gs_lesson_free (cmd->lesson);
  g_free (cmd);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Cmd, cmd_free)

static void
reply_free (gpointer data)
{
  Reply *reply = data;

  for (int i = 0; i < reply->n_recs; i++)
    {
      g_free (reply->recs[i].params);
      gs_snapshot_free (reply->recs[i].snap);
    }
  g_free (reply->recs);
  g_clear_pointer (&reply->snap, gs_snap_unref);
  g_free (reply->adopted);
  g_clear_pointer (&reply->saved, save_request_free);
  g_free (reply->error);
  g_free (reply->eval);
  g_free (reply);
}

static void
worker_free (Worker *w)
{
  gs_shuttle_free (w->shuttle);
  gs_recorder_free (w->recorder);
  gs_recordings_free (w->recordings);
  gs_model_free (w->with);
  gs_model_free (w->without);
  gs_stepper_free (w->stepper);
  gs_embedding_unref (w->embedding);
  gs_param_copy_unref (w->params);
  g_ptr_array_unref (w->saves);
  g_mutex_clear (&w->save_lock);
  gs_lesson_free (w->lesson);
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
                                    st->phase, st->decode, st->trainer->epoch, &err);
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

/* Records the held-out sequence when the epoch is due (and, with latest,
 * the current epoch as the latest). */
static void
worker_record (Worker   *w,
               gboolean  latest)
{
  GsError err;
  bool made;

  if (w->recorder == NULL || w->stepper == NULL)
    return;
  if (gs_recorder_record (w->recorder, w->recordings, w->stepper->trainer, latest, &made, &err) != GS_OK)
    g_warning ("%s", err.msg);
}

/* The recordings not sent yet (the two threads share nothing: the weights
 * are copied, the snapshots handed over) and the epochs held, so the
 * mirror drops what was thinned away. */
static void
worker_reply_recordings (Worker *w,
                         Reply  *reply)
{
  const GsRecording *fresh[GS_RECORDINGS_MAX + 1];
  int n;

  if (w->recordings == NULL)
    return;
  n = gs_recordings_since (w->recordings, w->recs_sent, fresh);
  reply->recs = g_new0 (GsRecording, MAX (n, 1));
  for (int i = 0; i < n; i++)
    {
      GsRecording *held = (GsRecording *) fresh[i];
      GsRecording *g = &reply->recs[reply->n_recs++];

      /* The weights are copied (the worker keeps them for saving); the
       * snapshot moves to the window, so it is held once, not twice. */
      *g = *held;
      g->params = g_memdup2 (held->params, sizeof (float) * held->n_params);
      held->snap = NULL;
    }
  w->recs_sent = w->recordings->n_made;
  for (int i = 0; i < w->recordings->n; i++)
    reply->kept[i] = w->recordings->rec[i].epoch;
  reply->n_kept = w->recordings->n;
  reply->has_recs = TRUE;
}

/* The run's sequence on show, forwarded whole by a scratch copy of the
 * model with the interventions and by one without: the two predictions
 * side by side. Only while interventions hold. */
static void
worker_compare (Worker *w,
                Reply  *reply)
{
  GsTrainer *tr;
  GsModel *m;
  GsError err;

  if (w->stepper == NULL || (m = w->stepper->trainer->model)->iv == NULL || m->T == 0)
    return;
  tr = w->stepper->trainer;
  if (w->with == NULL && (w->with = gs_model_clone_params (m, &err)) == NULL)
    return;
  if (w->without == NULL && (w->without = gs_model_clone_params (m, &err)) == NULL)
    return;
  for (int i = 0; i < 2; i++)
    {
      GsModel *c = i == 0 ? w->with : w->without;
      memcpy (c->params_mem, m->params_mem, sizeof (float) * m->n_params);
      gs_model_params_changed (c);
      if (gs_model_set_interventions (c, i == 0 ? m->iv : NULL, &err) != GS_OK
          || gs_model_set_sequence (c, m->T, m->B, tr->tokens, tr->xs,
                                    tr->task.loss == GS_LOSS_CE ? tr->targets : NULL,
                                    tr->task.loss == GS_LOSS_MSE ? tr->ys : NULL, tr->ymask, &err) != GS_OK)
        {
          g_warning ("%s", err.msg);
          return;
        }
      gs_model_forward_seq (c);
      gs_task_decode_prediction (&tr->task, c, 0, i == 0 ? reply->pred_with : reply->pred_without,
                                 sizeof reply->pred_with);
      *(i == 0 ? &reply->loss_with : &reply->loss_without) = gs_model_loss (c);
    }
  reply->compared = TRUE;
}

static Reply *
worker_reply_new (Worker     *w,
                  guint       answered,
                  const char *error,
                  gboolean    training_stopped)
{
  Reply *reply = g_new0 (Reply, 1);

  /* a command answered or training paused: the latest epoch is recorded */
  if (answered > 0 || training_stopped)
    worker_record (w, TRUE);
  else if (g_get_monotonic_time () - w->last_latest >= LATEST_INTERVAL_US)
    {
      worker_record (w, TRUE);
      w->last_latest = g_get_monotonic_time ();
    }
  worker_reply_recordings (w, reply);
  worker_compare (w, reply);
  reply->snap = worker_snapshot (w);
  reply->answered = answered;
  reply->error = g_strdup (error);
  reply->training_stopped = training_stopped;
  return reply;
}

/* The interventions that hold in the run now, for the session's list. */
static void
worker_reply_interventions (Worker *w,
                            Reply  *reply)
{
  const GsInterventions *now = w->stepper->trainer->model->iv;

  reply->ivs_done = TRUE;
  reply->ivs.n = 0;
  if (now != NULL)
    reply->ivs = *now;
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

/* The stepper holds another run (a reset, a run opened from a file, a
 * lesson's set-up): a new history of learning, no interventions' scratch
 * models. */
static int
worker_new_run (Worker       *w,
                GsRecordings *adopted,
                GsError      *err)
{
  w->sent = 0;
  g_clear_pointer (&w->with, gs_model_free);
  g_clear_pointer (&w->without, gs_model_free);
  g_clear_pointer (&w->recorder, gs_recorder_free);
  /* A run opened from a file brings its history of learning. */
  if (adopted != NULL)
    {
      gs_recordings_free (w->recordings);
      w->recordings = adopted;
      w->recs_sent = 0;
      w->recorder = gs_recorder_new (w->stepper->trainer, err);
      /* Their views are computed here, not in the main thread. */
      if (w->recorder == NULL || gs_recordings_replay (w->recordings, w->recorder, err) != GS_OK)
        {
          g_warning ("no history of learning for this run: %s", err->msg);
          gs_recordings_clear (w->recordings);
        }
      worker_record (w, FALSE);
      return GS_OK;
    }
  if (w->recordings == NULL)
    w->recordings = gs_recordings_new (GS_RECORDINGS_MAX, err);
  if (w->recordings == NULL)
    return GS_FAIL;
  gs_recordings_clear (w->recordings);
  w->recs_sent = 0;
  w->recorder = gs_recorder_new (w->stepper->trainer, err);
  if (w->recorder == NULL)
    g_warning ("no history of learning for this run: %s", err->msg);
  worker_record (w, FALSE);
  return GS_OK;
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
  return worker_new_run (w, NULL, err);
}

/* Writes the saves asked for, each answered by a reply of its own that
 * answers no command (a CMD_SAVE is answered after them). */
static void
worker_save (Worker *w)
{
  g_autoptr(GPtrArray) saves = NULL;

  if (!g_atomic_int_get (&w->save_pending))
    return;
  g_mutex_lock (&w->save_lock);
  saves = g_steal_pointer (&w->saves);
  w->saves = g_ptr_array_new_with_free_func (save_request_free);
  g_atomic_int_set (&w->save_pending, 0);
  g_mutex_unlock (&w->save_lock);
  for (guint i = 0; i < saves->len; i++)
    {
      Reply *reply = g_new0 (Reply, 1);
      GsError err = { "" };
      int status;

      if (w->stepper == NULL)
        status = gs_error_set (&err, _("there is no run to save"));
      else
        status = gs_session_file_save_full (w->stepper, w->recordings,
                                            ((SaveRequest *) saves->pdata[i])->path, &err);
      reply->error = status == GS_OK ? NULL : g_strdup (err.msg);
      reply->saved = saves->pdata[i];
      saves->pdata[i] = NULL;
      worker_send (w, reply);
    }
}

/* The task's held-out check on the stepper's current weights: a new
 * GsTaskEval (g_free), or NULL with err set. */
static GsTaskEval *
worker_evaluate (Worker  *w,
                 GsError *err)
{
  GsTaskEval *ev = g_new0 (GsTaskEval, 1);

  if (gs_trainer_evaluate (w->stepper->trainer, ev, err) != GS_OK)
    {
      g_free (ev);
      return NULL;
    }
  return ev;
}

/* Trains until stopped, until another command arrives or, with
 * until_solved, until the held-out check passes (then the reply that ends
 * the run carries that check). */
static void
worker_train (Worker   *w,
              gboolean  until_solved)
{
  gint64 last_publish = g_get_monotonic_time ();
  GsError err;

  w->training_now = TRUE;
  while (!g_atomic_int_get (&w->stop) && gs_shuttle_pending (w->shuttle) == 0)
    {
      gint64 now;

      worker_save (w);
      if (gs_stepper_train_step (w->stepper, &err) != GS_OK)
        {
          w->training_now = FALSE;
          worker_save (w);
          worker_reply (w, 1, err.msg, TRUE);
          return;
        }
      worker_record (w, FALSE);
      if (until_solved && w->stepper->trainer->epoch % SOLVED_CHECK_EVERY == 1 % SOLVED_CHECK_EVERY)
        {
          GsTaskEval *ev = worker_evaluate (w, &err);
          Reply *reply;

          if (ev == NULL || ev->solved)
            {
              w->training_now = FALSE;
              reply = worker_reply_new (w, 1, ev == NULL ? err.msg : NULL, TRUE);
              reply->eval = ev;
              reply->eval_epoch = w->stepper->trainer->epoch;
              worker_send (w, reply);
              return;
            }
          g_free (ev);
        }
      /* At most MAX_FPS snapshots a second, and none while the last is
       * still unread: the next carries the history points since the last
       * one sent, so nothing is lost, and the queue stays bounded however
       * far the main loop falls behind. */
      now = g_get_monotonic_time ();
      if (now - last_publish >= G_USEC_PER_SEC / MAX_FPS && gs_shuttle_unread (w->shuttle) == 0)
        {
          worker_reply (w, 0, NULL, FALSE);
          last_publish = now;
        }
    }
  w->training_now = FALSE;
  worker_save (w);
  worker_reply (w, 1, NULL, TRUE);
}

/* Runs a lesson step's actions on the stepper (gs-lesson.h). A step that
 * sets up a run answers as a reset does, so the window takes the new
 * configuration and starts a new loss history. */
static void
worker_lesson_step (Worker  *w,
                    int      index,
                    gboolean replay)
{
  GsError err = { "" };
  gboolean new_run = FALSE;
  int status, right = -1;
  Reply *reply;

  if (w->lesson == NULL)
    status = gs_error_set (&err, _("no lesson is open"));
  else
    {
      if (index >= 0 && index < w->lesson->n_steps)
        for (int k = 0; k < w->lesson->step[index].n_actions; k++)
          new_run = new_run || w->lesson->step[index].action[k].kind == GS_ACT_RUN;
      if (replay)
        {
          /* every replay starts with the lesson's set-up */
          new_run = TRUE;
          status = gs_lesson_replay_to (&w->runner, w->stepper, index, &right, &err);
        }
      else
        status = gs_lesson_run_step (&w->runner, w->stepper, index, &right, &err);
    }
  if (new_run && worker_new_run (w, NULL, &err) != GS_OK && status == GS_OK)
    status = GS_FAIL;
  reply = worker_reply_new (w, 1, NULL, FALSE);
  reply->reset_done = new_run;
  reply->config = w->stepper->trainer->cfg;
  reply->lesson_step = TRUE;
  reply->index = index;
  reply->right = right;
  reply->error = status == GS_OK ? NULL : g_strdup (err.msg);
  /* the lesson's interventions join the user's in the one list */
  worker_reply_interventions (w, reply);
  worker_send (w, reply);
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;

  for (;;)
    {
      g_autoptr(Cmd) cmd = gs_shuttle_next_command (w->shuttle);
      GsError err = { "" };
      int status = GS_OK;

      if (cmd->kind == CMD_QUIT)
        break;
      if (cmd->kind == CMD_SAVE)
        {
          Reply *done = g_new0 (Reply, 1);

          worker_save (w);
          done->answered = 1;
          worker_send (w, done);
          continue;
        }
      if (cmd->kind == CMD_ADOPT)
        {
          Reply *reply;

          gs_stepper_free (w->stepper);
          w->stepper = g_steal_pointer (&cmd->stepper);
          /* The window's Teacher forcing | Greedy starts at teacher forcing
           * for every run (a pass begun greedily in the file ends so). */
          gs_stepper_set_decode (w->stepper, GS_DECODE_TEACHER, NULL);
          /* Another run's copies are not this one's. */
          g_clear_pointer (&w->embedding, gs_embedding_unref);
          g_clear_pointer (&w->params, gs_param_copy_unref);
          if (worker_new_run (w, g_steal_pointer (&cmd->recordings), &err) != GS_OK)
            g_warning ("%s", err.msg);
          reply = worker_reply_new (w, 1, NULL, FALSE);
          reply->reset_done = TRUE;
          reply->config = w->stepper->trainer->cfg;
          /* The interventions the session held hold again. */
          if (w->stepper->trainer->model->iv != NULL)
            worker_reply_interventions (w, reply);
          reply->restored = cmd->path == NULL;
          reply->adopted = g_steal_pointer (&cmd->path);
          worker_send (w, reply);
          continue;
        }
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
      else if (cmd->kind == CMD_LESSON_OPEN)
        {
          gs_lesson_free (w->lesson);
          w->lesson = g_steal_pointer (&cmd->lesson);
          gs_lesson_runner_init (&w->runner, w->lesson);
          worker_reply (w, 1, NULL, FALSE);
          continue;
        }
      else if (w->stepper == NULL)
        status = gs_error_set (&err, _("there is no model to train"));
      else if (cmd->kind == CMD_LESSON_STEP)
        {
          worker_lesson_step (w, cmd->index, cmd->replay);
          continue;
        }
      else if (cmd->kind == CMD_LESSON_CLOSE)
        {
          Reply *reply;

          status = gs_lesson_runner_release (&w->runner, w->stepper, &err);
          g_clear_pointer (&w->lesson, gs_lesson_free);
          gs_lesson_runner_init (&w->runner, NULL);
          if (status == GS_OK)
            worker_record (w, FALSE);
          reply = worker_reply_new (w, 1, status == GS_OK ? NULL : err.msg, FALSE);
          worker_reply_interventions (w, reply);
          worker_send (w, reply);
          continue;
        }
      else if (cmd->kind == CMD_FORWARD)
        status = gs_stepper_step (w->stepper, &err);
      else if (cmd->kind == CMD_BACK && gs_stepper_can_undo (w->stepper))
        status = gs_stepper_undo (w->stepper, &err);
      else if (cmd->kind == CMD_TRAIN_STEP)
        status = gs_stepper_train_step (w->stepper, &err);
      else if (cmd->kind == CMD_DECODE)
        status = gs_stepper_is_pair (w->stepper) || cmd->decode == GS_DECODE_TEACHER
                 ? gs_stepper_set_decode (w->stepper, cmd->decode, &err) : GS_OK;
      else if (cmd->kind == CMD_TRAIN || cmd->kind == CMD_TRAIN_UNTIL_SOLVED)
        {
          worker_train (w, cmd->kind == CMD_TRAIN_UNTIL_SOLVED);
          continue;
        }
      else if (cmd->kind == CMD_EVALUATE)
        {
          GsTaskEval *ev = worker_evaluate (w, &err);
          Reply *reply = worker_reply_new (w, 1, ev == NULL ? err.msg : NULL, FALSE);

          reply->eval = ev;
          reply->eval_epoch = w->stepper->trainer->epoch;
          worker_send (w, reply);
          continue;
        }
      else if (cmd->kind == CMD_INTERVENE)
        {
          Reply *reply;
          status = gs_stepper_set_interventions (w->stepper, &cmd->ivs, &err);
          reply = worker_reply_new (w, 1, status == GS_OK ? NULL : err.msg, FALSE);
          reply->ivs_done = status == GS_OK;
          reply->ivs = cmd->ivs;
          worker_send (w, reply);
          continue;
        }
      if (status == GS_OK && w->stepper != NULL)
        worker_record (w, FALSE);
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
      gboolean recs_changed = FALSE;

      g_assert (reply->answered <= self->queued);
      self->queued -= reply->answered;
      /* The configuration of the run that is actually running (set before
       * "snap" is notified, so handlers see the two agree). */
      if (reply->reset_done)
        {
          self->config = reply->config;
          gs_history_clear (self->history);
          recs_changed = self->recordings->n > 0;
          gs_recordings_clear (self->recordings);
          if (self->interventions.n > 0)
            {
              self->interventions.n = 0;
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_INTERVENTIONS]);
            }
          self->run++;
          g_signal_emit (self, signals[SIGNAL_CONFIG_CHANGED], 0);
        }
      gboolean had_snap = reply->snap != NULL;

      if (reply->ivs_done)
        {
          self->interventions = reply->ivs;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_INTERVENTIONS]);
        }
      self->compared = reply->compared;
      if (reply->compared)
        {
          g_strlcpy (self->pred_with, reply->pred_with, sizeof self->pred_with);
          g_strlcpy (self->pred_without, reply->pred_without, sizeof self->pred_without);
          self->loss_with = reply->loss_with;
          self->loss_without = reply->loss_without;
        }
      /* Only a reply that says what the worker holds changes the mirror
       * (a save's does not: it would empty it, and the recordings already
       * sent are never sent again). */
      if (reply->has_recs && (reply->n_recs > 0 || reply->n_kept != self->recordings->n))
        {
          gs_recordings_keep (self->recordings, reply->kept, reply->n_kept);
          for (int i = 0; i < reply->n_recs; i++)
            {
              GsRecording *g = &reply->recs[i];
              gs_recordings_add (self->recordings, g->epoch, g->scheduled, g->serial,
                                 g_steal_pointer (&g->params), g->n_params, g_steal_pointer (&g->snap));
            }
          reply->n_recs = 0;
          recs_changed = TRUE;
        }
      /* (a reset that emptied the set is a change even when the new run
       * brought no recording: the scrubber drops the old run's marks) */
      if (recs_changed)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RECORDINGS]);
      if (reply->snap != NULL)
        {
          const GsSnapshot *s = gs_snap_get (reply->snap);
          self->changes++;
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
      if (reply->eval != NULL)
        g_signal_emit (self, signals[SIGNAL_EVALUATED], 0, reply->eval_epoch, reply->eval);
      /* A new run or a run opened from a file has nothing unsaved. */
      if (reply->reset_done)
        {
          g_free (self->file);
          self->file = g_steal_pointer (&reply->adopted);
          /* A run restored from an autosave has no file: it is unsaved. */
          self->saved_changes = reply->restored ? self->changes - 1 : self->changes;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
        }
      else if (had_snap && self->changes == self->saved_changes + 1)
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
        }
      if (reply->saved != NULL && reply->error == NULL && !reply->saved->autosave)
        {
          if (g_strcmp0 (self->file, reply->saved->path) != 0)
            {
              g_free (self->file);
              self->file = g_strdup (reply->saved->path);
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
            }
          self->saved_changes = reply->saved->changes;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
        }
      if (reply->saved != NULL)
        g_signal_emit (self, signals[SIGNAL_SAVED], 0, reply->saved->path, reply->saved->autosave,
                       reply->error);
      else if (reply->lesson_step)
        g_signal_emit (self, signals[SIGNAL_LESSON_STEP], 0, reply->index, reply->right, reply->error);
      else if (reply->error != NULL)
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, reply->error);
      reply_free (reply);
    }
  if (was_busy != (self->queued > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  return G_SOURCE_CONTINUE;
}

static void
send_cmd (GsSession *self,
          Cmd       *cmd)
{
  if (cmd->kind != CMD_QUIT)
    {
      self->queued++;
      if (self->queued == 1)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  gs_shuttle_send (self->worker->shuttle, cmd);
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
  send_cmd (self, cmd);
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
  g_clear_pointer (&self->file, g_free);
  g_clear_pointer (&self->recordings, gs_recordings_free);

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
    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, gs_session_get_dirty (self));
      break;
    case PROP_N_RECORDINGS:
      g_value_set_int (value, self->recordings ? self->recordings->n : 0);
      break;
    case PROP_N_INTERVENTIONS:
      g_value_set_int (value, self->interventions.n);
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
  properties[PROP_FILE] =
    g_param_spec_string ("file", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The history of learning changed: recordings came or were thinned. */
  properties[PROP_N_RECORDINGS] =
    g_param_spec_int ("n-recordings", NULL, NULL, 0, GS_RECORDINGS_MAX, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The interventions that hold in the run changed (gs_session_get_interventions). */
  properties[PROP_N_INTERVENTIONS] =
    g_param_spec_int ("n-interventions", NULL, NULL, 0, GS_MAX_INTERVENTIONS, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* A save was written (path, autosave) or failed (the message, else NULL). */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);

  /* A reset succeeded: gs_session_get_config () is the new run's. */
  signals[SIGNAL_CONFIG_CHANGED] =
    g_signal_new ("config-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* A lesson step ran (gs_session_lesson_step): its index, the index of
   * its question's right choice (−1: no question) and, when it failed,
   * the translated message naming the lesson file and line (else NULL). */
  signals[SIGNAL_LESSON_STEP] =
    g_signal_new ("lesson-step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT, G_TYPE_STRING);
  /* The task's held-out check was made (gs_session_evaluate, or training
   * until solved found it passed): the epoch of the judged weights and the
   * const GsTaskEval *, valid during the emission. */
  signals[SIGNAL_EVALUATED] =
    g_signal_new ("evaluated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_POINTER);

  /* A command failed; the message is translated and ready to show. */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gs_session_init (GsSession *self)
{
  Worker *w = g_new0 (Worker, 1);

  w->shuttle = gs_shuttle_new ("[gatescope] session replies", on_replies, self, reply_free, cmd_free);
  g_mutex_init (&w->save_lock);
  w->saves = g_ptr_array_new_with_free_func (save_request_free);
  self->worker = w;
  self->history = gs_history_new (NULL);
  g_assert (self->history != NULL);
  self->recordings = gs_recordings_new (GS_RECORDINGS_MAX, NULL);
  g_assert (self->recordings != NULL);
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
gs_session_train_until_solved (GsSession *self)
{
  g_return_if_fail (GS_IS_SESSION (self));

  if (self->training)
    gs_session_set_training (self, FALSE);
  g_atomic_int_set (&self->worker->stop, 0);
  self->train_pending++;
  send (self, CMD_TRAIN_UNTIL_SOLVED, NULL);
  self->training = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

void
gs_session_evaluate (GsSession *self)
{
  g_return_if_fail (GS_IS_SESSION (self));

  stop_training (self);
  send (self, CMD_EVALUATE, NULL);
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

void
gs_session_set_interventions (GsSession             *self,
                              const GsInterventions *list)
{
  Cmd *cmd;

  g_return_if_fail (GS_IS_SESSION (self));

  cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_INTERVENE;
  if (list != NULL)
    cmd->ivs = *list;
  self->queued++;
  if (self->queued == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  gs_shuttle_send (self->worker->shuttle, cmd);
}

void
gs_session_set_decode (GsSession *self,
                       GsDecode   decode)
{
  Cmd *cmd;

  g_return_if_fail (GS_IS_SESSION (self));

  cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_DECODE;
  cmd->decode = decode;
  self->queued++;
  if (self->queued == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  gs_shuttle_send (self->worker->shuttle, cmd);
}

const GsInterventions *
gs_session_get_interventions (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), NULL);

  return &self->interventions;
}

gboolean
gs_session_get_comparison (GsSession   *self,
                           const char **with,
                           const char **without,
                           float       *loss_with,
                           float       *loss_without)
{
  g_return_val_if_fail (GS_IS_SESSION (self), FALSE);

  if (!self->compared || self->interventions.n == 0)
    return FALSE;
  *with = self->pred_with;
  *without = self->pred_without;
  *loss_with = self->loss_with;
  *loss_without = self->loss_without;
  return TRUE;
}

const GsRecordings *
gs_session_get_recordings (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), NULL);

  return self->recordings;
}

GsSnap *
gs_session_dup_recording (GsSession *self,
                          long       epoch)
{
  GsSnapshot *copy;
  GsError err;
  int i;

  g_return_val_if_fail (GS_IS_SESSION (self), NULL);

  if ((i = gs_recordings_find (self->recordings, epoch)) < 0)
    return NULL;
  if ((copy = gs_snapshot_copy (self->recordings->rec[i].snap, &err)) == NULL)
    {
      g_warning ("%s", err.msg);
      return NULL;
    }
  return gs_snap_new_take (copy);
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
gs_session_lesson_open (GsSession *self,
                        GsLesson  *lesson)
{
  Cmd *cmd;

  g_return_if_fail (GS_IS_SESSION (self));
  g_return_if_fail (lesson != NULL);

  stop_training (self);
  cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_LESSON_OPEN;
  cmd->lesson = lesson;
  send_cmd (self, cmd);
}

/* Step `index` of the open lesson, going forward or played again from the
 * set-up (Back): one command, the worker's one path for both. */
static void
send_lesson_step (GsSession *self,
                  int        index,
                  gboolean   replay)
{
  Cmd *cmd = g_new0 (Cmd, 1);

  stop_training (self);
  cmd->kind = CMD_LESSON_STEP;
  cmd->index = index;
  cmd->replay = replay;
  send_cmd (self, cmd);
}

void
gs_session_lesson_step (GsSession *self,
                        int        index)
{
  g_return_if_fail (GS_IS_SESSION (self));

  send_lesson_step (self, index, FALSE);
}

void
gs_session_lesson_replay (GsSession *self,
                          int        index)
{
  g_return_if_fail (GS_IS_SESSION (self));

  send_lesson_step (self, index, TRUE);
}

void
gs_session_lesson_close (GsSession *self)
{
  g_return_if_fail (GS_IS_SESSION (self));

  stop_training (self);
  send (self, CMD_LESSON_CLOSE, NULL);
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

gboolean
gs_session_get_dirty (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), FALSE);
  return self->changes != self->saved_changes;
}

const char *
gs_session_get_file (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), NULL);
  return self->file;
}

guint64
gs_session_get_changes (GsSession *self)
{
  g_return_val_if_fail (GS_IS_SESSION (self), 0);
  return self->changes;
}

void
gs_session_save (GsSession  *self,
                 const char *path,
                 gboolean    autosave)
{
  SaveRequest *r;

  g_return_if_fail (GS_IS_SESSION (self));
  g_return_if_fail (path != NULL);
  r = g_new0 (SaveRequest, 1);
  r->path = g_strdup (path);
  r->autosave = autosave;
  r->changes = self->changes;
  g_mutex_lock (&self->worker->save_lock);
  g_ptr_array_add (self->worker->saves, r);
  g_atomic_int_set (&self->worker->save_pending, 1);
  g_mutex_unlock (&self->worker->save_lock);
  /* Training continuously, the worker saves between two steps; else it
   * waits for a command. */
  if (!self->training)
    send (self, CMD_SAVE, NULL);
}

void
gs_session_adopt (GsSession    *self,
                  GsStepper    *stepper,
                  GsRecordings *recordings,
                  const char   *path)
{
  Cmd *cmd;

  g_return_if_fail (GS_IS_SESSION (self));
  g_return_if_fail (stepper != NULL);
  stop_training (self);
  cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_ADOPT;
  cmd->stepper = stepper;
  cmd->recordings = recordings;
  cmd->path = g_strdup (path);
  self->queued++;
  if (self->queued == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  gs_shuttle_send (self->worker->shuttle, cmd);
}
