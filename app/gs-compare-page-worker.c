/* gs-compare-page-worker.c — the comparison page's worker thread.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See gs-compare-page-private.h for who owns what. Everything here runs in
 * the worker thread except gs_compare_job_new/free, which the page calls
 * before the thread starts and after it has been joined.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Compare"


#include "gs-compare-page-private.h"
#include "gs-snapshot.h"

static gboolean
wakeup_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs wakeup_funcs = {
  .dispatch = wakeup_dispatch,
};

void
gs_compare_reply_free (GsCompareReply *reply)
{
  g_clear_pointer (&reply->records, gs_chart_records_unref);
  for (int c = 0; c < reply->n_snaps; c++)
    g_clear_pointer (&reply->snaps[c], gs_snap_unref);
  g_free (reply->error);
  g_free (reply);
}

GsCompareJob *
gs_compare_job_new (GSourceFunc callback,
                    gpointer    data)
{
  GsCompareJob *job = g_new0 (GsCompareJob, 1);

  job->max_fps = 30;
  job->replies = g_async_queue_new_full ((GDestroyNotify) gs_compare_reply_free);
  job->wakeup = g_source_new (&wakeup_funcs, sizeof (GSource));
  g_source_set_static_name (job->wakeup, "[gatescope] compare replies");
  g_source_set_callback (job->wakeup, callback, data, NULL);
  g_source_attach (job->wakeup, g_main_context_get_thread_default ());
  return job;
}

void
gs_compare_job_free (GsCompareJob *job)
{
  if (job == NULL)
    return;
  g_async_queue_unref (job->replies);
  g_source_destroy (job->wakeup);
  g_source_unref (job->wakeup);
  g_free (job);
}

/* Configuration c's seed-0 model on its current sequence, with the weights
 * as they are now: a fresh forward pass, copied. The model is rewound
 * afterwards, so the next training step is exactly the step it would have
 * been (gs_trainer_step draws the next batch unless nothing was computed
 * yet, which is how the first step keeps the first batch). */
static GsSnap *
snapshot_seed0 (GsCompare *cmp,
                int        c)
{
  GsCompareRun *run = gs_compare_run (cmp, c, 0);
  GsTrainer *tr = run != NULL ? run->trainer : NULL;
  GsSnapshot *s;
  GsError err = { { 0 } };
  gboolean fresh;

  if (tr == NULL || (s = gs_snapshot_new ()) == NULL)
    return NULL;
  fresh = tr->epoch == 0 && tr->model->t_fwd == 0;
  gs_model_rewind (tr->model);
  gs_model_forward (tr->model);
  if (gs_snapshot_take (s, tr->model, &tr->task, 0, GS_PHASE_FORWARD, tr->epoch, &err) != GS_OK)
    {
      g_debug ("no snapshot of %s: %s", cmp->configs[c].label, err.msg);
      gs_snapshot_free (s);
      s = NULL;
    }
  if (fresh)
    gs_model_rewind (tr->model);
  return s != NULL ? gs_snap_new_take (s) : NULL;
}

static void
publish (GsCompareJob *job,
         GsCompare    *cmp,
         const char   *error,
         gboolean      done)
{
  GsCompareReply *reply = g_new0 (GsCompareReply, 1);

  if (cmp != NULL)
    {
      GsError err = { { 0 } };
      GsCompare *copy = gs_compare_copy_records (cmp, &err);

      if (copy != NULL)
        reply->records = gs_chart_records_new_take (copy);
      else if (error == NULL)
        error = err.msg;
      reply->n_snaps = cmp->n_configs;
      for (int c = 0; c < cmp->n_configs; c++)
        reply->snaps[c] = snapshot_seed0 (cmp, c);
    }
  reply->error = g_strdup (error);
  reply->done = done;
  g_async_queue_push (job->replies, reply);
  g_source_set_ready_time (job->wakeup, 0);
}

gpointer
gs_compare_job_run (gpointer data)
{
  GsCompareJob *job = data;
  GsError err = { { 0 } };
  GsCompare *cmp;
  const char *error = NULL;
  gint64 start, last_publish;

  cmp = gs_compare_new (job->configs, job->n_configs, job->seeds, job->n_seeds, &err);
  if (cmp == NULL)
    {
      publish (job, NULL, err.msg, TRUE);
      return NULL;
    }
  publish (job, cmp, NULL, FALSE);
  start = last_publish = g_get_monotonic_time ();

  while (cmp->step < job->steps && !g_atomic_int_get (&job->stop) && gs_compare_any_running (cmp))
    {
      gint64 now, due;

      if (gs_compare_step (cmp, &err) != GS_OK)
        {
          error = err.msg;
          break;
        }

      /* A comparison of a few hundred steps of hello takes milliseconds:
       * step s is not finished before start + s/steps · min_duration, so
       * the curves can be watched as they grow. */
      due = start + job->min_duration * cmp->step / MAX (job->steps, 1);
      while ((now = g_get_monotonic_time ()) < due && !g_atomic_int_get (&job->stop))
        g_usleep (MIN (due - now, 10000));

      if (now - last_publish >= G_USEC_PER_SEC / MAX (job->max_fps, 1))
        {
          publish (job, cmp, NULL, FALSE);
          last_publish = now;
        }
    }

  publish (job, cmp, error, TRUE);
  gs_compare_free (cmp);
  return NULL;
}
