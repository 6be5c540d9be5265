/* test-recorder — the history of learning: which epochs are recorded, what
 * is dropped when the set is full, that a recording is the held-out
 * sequence under that epoch's weights, that recording leaves training bit
 * for bit the same, and that saved recordings load back exactly. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-recorder.h"
#include "gs-stepper.h"
#include "gs-test.h"

static void
check_schedule (void)
{
  const long yes[] = { 0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 6765 };
  const long no[] = { 4, 6, 7, 9, 10, 12, 14, 20, 22, 33, 100, 6766, -1 };

  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    GS_CHECK (gs_recordings_scheduled_epoch (yes[i]), "epoch %ld is on the schedule", yes[i]);
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
    GS_CHECK (!gs_recordings_scheduled_epoch (no[i]), "epoch %ld is not on the schedule", no[i]);
}

/* Adds a bare recording (no weights, no snapshot): the set's rules only. */
static bool
add (GsRecordings *r, long epoch, bool scheduled)
{
  return gs_recordings_add (r, epoch, scheduled, -1, NULL, 0, NULL);
}

static bool
epochs_are (const GsRecordings *r, const long *want, int n, const char *what)
{
  bool ok = GS_CHECK (r->n == n, "%s: %d recordings, expected %d", what, r->n, n);

  for (int i = 0; ok && i < n; i++)
    ok &= GS_CHECK (r->rec[i].epoch == want[i], "%s: recording %d is epoch %ld, expected %ld", what, i,
                    r->rec[i].epoch, want[i]);
  return ok;
}

static void
check_thinning (void)
{
  GsError err;
  GsRecordings *r = gs_recordings_new (GS_RECORDINGS_MAX, &err);
  long want[64];

  /* 65 recordings at epochs 0 … 64: the one dropped is the interior one
   * whose neighbours are closest on a log axis — epoch 63 (between 62 and
   * 64); the first and the newest always stay. */
  for (long e = 0; e <= 64; e++)
    add (r, e, true);
  for (int i = 0; i < 63; i++)
    want[i] = i;
  want[63] = 64;
  epochs_are (r, want, 64, "65th arrives");
  GS_CHECK (r->n_made == 65, "65 recordings were made (%lld)", r->n_made);

  /* a thousand epochs into 8: never more than 8, the first and the newest
   * kept, the rest roughly even in log(1 + epoch) */
  gs_recordings_free (r);
  r = gs_recordings_new (8, &err);
  for (long e = 0; e < 1000; e++) {
    add (r, e, true);
    if (!GS_CHECK (r->n <= 8, "at most 8 held after epoch %ld (%d)", e, r->n))
      break;
  }
  {
    const long expect[] = { 0, 1, 8, 26, 66, 199, 898, 999 };
    double lo = INFINITY, hi = 0.0;
    epochs_are (r, expect, 8, "1000 into 8");
    for (int i = 0; i + 2 < r->n; i++) {   /* the newest's gap is whatever training reached */
      double gap = log1p ((double) r->rec[i + 1].epoch) - log1p ((double) r->rec[i].epoch);
      lo = fmin (lo, gap);
      hi = fmax (hi, gap);
    }
    GS_CHECK (hi / lo < 3.0, "log gaps within a factor of 3 (%.3g … %.3g)", lo, hi);
  }

  /* the latest is replaced by what comes next; an older one is refused */
  gs_recordings_free (r);
  r = gs_recordings_new (GS_RECORDINGS_MAX, &err);
  add (r, 5, true);
  add (r, 6, false);
  add (r, 7, false);
  epochs_are (r, (const long[]) { 5, 7 }, 2, "a newer latest replaces the latest");
  add (r, 8, true);
  epochs_are (r, (const long[]) { 5, 8 }, 2, "a scheduled one replaces the latest");
  GS_CHECK (!add (r, 6, true), "an epoch older than the newest is refused");
  GS_CHECK (!add (r, 8, false), "a latest at the newest scheduled epoch is refused");
  add (r, 9, false);
  epochs_are (r, (const long[]) { 5, 8, 9 }, 3, "latest after scheduled");
  {
    const GsRecording *since[GS_RECORDINGS_MAX];
    long long serial = r->rec[1].serial;
    int n = gs_recordings_since (r, serial, since);
    GS_CHECK (n == 2 && since[0]->epoch == 8 && since[1]->epoch == 9, "since serial %lld: %d recordings", serial, n);
    gs_recordings_keep (r, (const long[]) { 5, 9 }, 2);
    epochs_are (r, (const long[]) { 5, 9 }, 2, "keep drops the rest");
  }
  gs_recordings_free (r);
}

static void
config_for (GsTrainConfig *c, const char *task, GsCell cell)
{
  gs_train_config_default (c);
  snprintf (c->task, sizeof c->task, "%s", task);
  c->cell = cell;
  c->seed = 7;
}

/* Trains `epochs` updates; with rec, records after every update and the
 * latest at the end. */
static GsStepper *
train (const GsTrainConfig *c, int epochs, GsRecorder **rec_out, GsRecordings *r)
{
  GsError err;
  GsStepper *st = gs_stepper_new (c, &err);
  GsRecorder *rec = NULL;
  bool made;

  if (!GS_CHECK (st != NULL, "stepper: %s", err.msg))
    return NULL;
  if (r) {
    rec = gs_recorder_new (st->trainer, &err);
    GS_CHECK (rec != NULL, "recorder: %s", err.msg);
    GS_CHECK (gs_recorder_record (rec, r, st->trainer, false, &made, &err) == GS_OK && made, "epoch 0 recorded");
  }
  for (int e = 0; e < epochs; e++) {
    GS_CHECK (gs_stepper_train_step (st, &err) == GS_OK, "train step: %s", err.msg);
    if (rec)
      GS_CHECK (gs_recorder_record (rec, r, st->trainer, false, &made, &err) == GS_OK, "record: %s", err.msg);
  }
  if (rec)
    GS_CHECK (gs_recorder_record (rec, r, st->trainer, true, &made, &err) == GS_OK && made, "latest recorded");
  *rec_out = rec;
  return st;
}

static bool
same_floats (const float *a, const float *b, size_t n)
{
  return memcmp (a, b, sizeof (float) * n) == 0;
}

static void
check_run (const char *task, GsCell cell)
{
  GsTrainConfig c;
  GsError err;
  GsRecordings *r = gs_recordings_new (GS_RECORDINGS_MAX, &err), *back;
  GsRecorder *rec = NULL, *none = NULL;
  GsStepper *with, *without;
  const long expect[] = { 0, 1, 2, 3, 5, 8, 13, 21, 34, 40 };
  unsigned char *buf;
  size_t len;

  config_for (&c, task, cell);
  with = train (&c, 40, &rec, r);
  without = train (&c, 40, &none, NULL);
  if (with == NULL || without == NULL || rec == NULL)
    return;
  epochs_are (r, expect, 10, task);
  GS_CHECK (!r->rec[9].scheduled && r->rec[8].scheduled, "%s: 40 is the latest, 34 scheduled", task);

  /* recording left training bit for bit the same */
  GS_CHECK (same_floats (with->trainer->model->params_mem, without->trainer->model->params_mem,
                         with->trainer->model->n_params), "%s: weights identical with and without the recorder", task);
  if (with->trainer->decoder)
    GS_CHECK (same_floats (with->trainer->decoder->params_mem, without->trainer->decoder->params_mem,
                           with->trainer->decoder->n_params), "%s: decoder weights identical", task);
  GS_CHECK (memcmp (&with->trainer->data_rng, &without->trainer->data_rng, sizeof (GsRng)) == 0
            && memcmp (&with->trainer->dropout_rng, &without->trainer->dropout_rng, sizeof (GsRng)) == 0,
            "%s: RNG streams identical", task);
  for (int i = 0; i < gs_history_n_points (with->history); i++)
    if (!GS_CHECK (gs_history_point (with->history, i)->loss_mean == gs_history_point (without->history, i)->loss_mean,
                   "%s: loss of update %d identical", task, i))
      break;

  /* a recording is the held-out sequence 0 under that epoch's weights */
  {
    GsBatch all;
    const GsSnapshot *first = r->rec[0].snap, *last = r->rec[r->n - 1].snap;
    const size_t TO = (size_t) first->T * first->task->O;
    GsSnapshot *again;
    bool tokens_ok = true;

    GS_CHECK (gs_task_eval_batch (&with->trainer->task, &all, &err) == GS_OK, "eval batch: %s", err.msg);
    if (all.xs && first->xs && first->part == GS_PART_NONE)   /* dense input */
      for (int t = 0; t < all.T; t++)
        tokens_ok &= memcmp (first->xs + (size_t) t * first->task->V, all.xs + (size_t) t * all.B * first->task->V,
                             sizeof (float) * first->task->V) == 0;
    else if (first->tokens && first->part == GS_PART_NONE)
      for (int t = 0; t < all.T; t++)
        tokens_ok &= first->tokens[t] == all.tokens[(size_t) t * all.B];
    GS_CHECK (first->T == all.T + all.T_dec, "%s: the recording has the held-out sequence's %d steps (%d)", task,
              all.T + all.T_dec, first->T);
    GS_CHECK (tokens_ok, "%s: the recording's inputs are the held-out batch's sequence 0", task);
    GS_CHECK (first->epoch == 0 && last->epoch == 40 && first->t_fwd == first->T, "%s: epochs and a complete forward pass",
              task);
    GS_CHECK (!same_floats (first->logits, last->logits, TO), "%s: epoch 0 and epoch 40 predict differently", task);
    again = gs_recorder_replay (rec, r->rec[r->n - 1].params, r->rec[r->n - 1].n_params, 40, &err);
    GS_CHECK (again && same_floats (again->logits, last->logits, TO), "%s: replaying the weights gives the recording", task);
    GS_CHECK (same_floats (r->rec[r->n - 1].params, with->trainer->model->params_mem, with->trainer->model->n_params),
              "%s: the latest recording holds the current weights", task);
    gs_snapshot_free (again);
    gs_batch_free (&all);
  }

  /* saved and loaded back: the same epochs, weights and snapshots */
  GS_CHECK (gs_recordings_serialize (r, &buf, &len, &err) == GS_OK, "serialize: %s", err.msg);
  back = gs_recordings_new (GS_RECORDINGS_MAX, &err);
  GS_CHECK (gs_recordings_deserialize (back, rec, buf, len, &err) == GS_OK, "%s: deserialize: %s", task, err.msg);
  epochs_are (back, expect, 10, "loaded back");
  for (int i = 0; i < back->n && i < r->n; i++) {
    GS_CHECK (same_floats (back->rec[i].params, r->rec[i].params, r->rec[i].n_params)
              && same_floats (back->rec[i].snap->logits, r->rec[i].snap->logits,
                              (size_t) r->rec[i].snap->T * r->rec[i].snap->task->O)
              && back->rec[i].scheduled == r->rec[i].scheduled,
              "%s: recording %d loads back exactly", task, i);
  }
  /* bad data is refused with a message, leaving the set as it was */
  GS_CHECK (gs_recordings_deserialize (back, rec, buf, len - 3, &err) == GS_FAIL && strstr (err.msg, "bytes"),
            "truncated: %s", err.msg);
  buf[0] = 'X';
  GS_CHECK (gs_recordings_deserialize (back, rec, buf, len, &err) == GS_FAIL && strstr (err.msg, "GSREC01"),
            "bad header: %s", err.msg);
  buf[0] = 'G';
  buf[8] = 200;
  GS_CHECK (gs_recordings_deserialize (back, rec, buf, len, &err) == GS_FAIL, "too many: %s", err.msg);
  buf[8] = (unsigned char) r->n;
  buf[20 + 9 + 4 * r->rec[0].n_params] = 0;   /* recording 2's epoch becomes ≤ recording 1's */
  buf[20 + 9 + 4 * r->rec[0].n_params + 1] = 0;
  GS_CHECK (gs_recordings_deserialize (back, rec, buf, len, &err) == GS_FAIL && strstr (err.msg, "recording 2"),
            "out of order: %s", err.msg);
  GS_CHECK (back->n == 10, "a refused load leaves the set (%d)", back->n);
  free (buf);

  gs_recordings_free (back);
  gs_recordings_free (r);
  gs_recorder_free (rec);
  gs_stepper_free (with);
  gs_stepper_free (without);
}

int
main (void)
{
  check_schedule ();
  check_thinning ();
  check_run ("hello", GS_CELL_LSTM);
  check_run ("hello", GS_CELL_GRU);
  check_run ("adding:length=10", GS_CELL_LSTM);
  check_run ("seq2seq", GS_CELL_LSTM);
  return gs_test_finish ("recorder");
}
