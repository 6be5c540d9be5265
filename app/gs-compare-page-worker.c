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


#include <string.h>

#include "gs-compare-page-private.h"
#include "gs-snapshot.h"

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
  job->shuttle = gs_shuttle_new ("[gatescope] compare replies", callback, data,
                                 (GDestroyNotify) gs_compare_reply_free, NULL);
  return job;
}

void
gs_compare_job_free (GsCompareJob *job)
{
  if (job == NULL)
    return;
  gs_shuttle_free (job->shuttle);
  for (int c = 0; c < GS_COMPARE_MAX_CONFIGS; c++)
    gs_model_free (job->scratch[c]);
  g_free (job);
}

/* Configuration c's seed-0 model on its current sequence, with the weights
 * as they are now: a forward pass on a scratch copy (made once per
 * configuration), copied. The trainer itself is only read, so watching
 * changes nothing of the run. */
static GsSnap *
snapshot_seed0 (GsCompareJob *job,
                GsCompare    *cmp,
                int           c)
{
  GsCompareRun *run = gs_compare_run (cmp, c, 0);
  GsTrainer *tr = run != NULL ? run->trainer : NULL;
  GsModel *m;
  GsSnapshot *s;
  GsError err = { { 0 } };
  const bool ce = tr != NULL && tr->task.loss == GS_LOSS_CE;

  if (tr == NULL)
    return NULL;
  if (job->scratch[c] == NULL && (job->scratch[c] = gs_model_clone_params (tr->model, &err)) == NULL)
    {
      g_debug ("no snapshot of %s: %s", cmp->configs[c].label, err.msg);
      return NULL;
    }
  m = job->scratch[c];
  memcpy (m->params_mem, tr->model->params_mem, sizeof (float) * tr->model->n_params);
  if (gs_model_set_sequence (m, tr->task.T, tr->cfg.B, tr->tokens, tr->xs, ce ? tr->targets : NULL,
                             ce ? NULL : tr->ys, tr->ymask, &err) != GS_OK
      || (s = gs_snapshot_new ()) == NULL)
    return NULL;
  gs_model_forward (m);
  if (gs_snapshot_take (s, m, &tr->task, 0, GS_PHASE_FORWARD, tr->epoch, &err) != GS_OK)
    {
      g_debug ("no snapshot of %s: %s", cmp->configs[c].label, err.msg);
      gs_snapshot_free (s);
      return NULL;
    }
  return gs_snap_new_take (s);
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
        reply->snaps[c] = snapshot_seed0 (job, cmp, c);
    }
  reply->error = g_strdup (error);
  reply->done = done;
  gs_shuttle_reply (job->shuttle, reply);
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
