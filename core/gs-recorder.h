/* gs-recorder.h — the history of learning: one held-out sequence, replayed
 * under the weights of past epochs.
 *
 * While a run trains, a GsRecorder keeps what the network did on the task's
 * first held-out sequence (gs_task_eval_batch, sequence 0) at log-spaced
 * epochs, so a class can scrub back and watch the gates organise
 * themselves from random to solved. A recording is the weights of that
 * epoch and a full snapshot (gs-snapshot.h) of the forward pass over the
 * sequence under them.
 *
 * Recording never touches the run: the forward pass runs on scratch models
 * (copies of the parameters, evaluation mode, batch 1); the trainer's
 * model, batch, optimizer and RNG streams are only read, so a run trains
 * bit for bit the same with or without a recorder.
 *
 * Which epochs. The schedule is the Fibonacci numbers 0, 1, 2, 3, 5, 8, 13,
 * 21, … (each gap about φ ≈ 1.6 times the previous: evenly spaced on a log
 * axis), plus "the latest": a recording made on request (when training
 * pauses, or now and then while it runs) at an epoch off the schedule. The
 * latest is replaced by whatever is recorded next.
 *
 * At most `max` recordings (GS_RECORDINGS_MAX = 64). The thinning rule:
 * when a recording arrives and `max` are held, the new one is added, then
 * one interior recording is dropped — never the first (the random start)
 * nor the newest — the one whose neighbours are closest together on the
 * log axis, that is the i minimising ln(1 + e[i+1]) − ln(1 + e[i−1]) (the
 * earliest such i on a tie). Dropping it loses the least log-spaced
 * coverage, so the set stays roughly even in log(epoch) however long the
 * run goes on. (On the Fibonacci schedule alone 64 recordings reach epoch
 * 10^13, so in a classroom thinning is a guard; a smaller `max` shows it.)
 *
 * Every recording gets a serial number when it is made, counting up; a
 * reader in another thread follows with gs_recordings_since (the ones it
 * has not seen) and gs_recordings_keep (drop what was thinned away), so
 * what crosses per frame is only what is new.
 *
 * Saving: gs_recordings_serialize writes the epochs and weights (the
 * snapshots are recomputed on load, deterministically); the format is
 * described above gs_recordings_serialize in gs-recorder.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-error.h"
#include "gs-snapshot.h"
#include "gs-train.h"

#define GS_RECORDINGS_MAX 64

typedef struct {
  long        epoch;       /* updates applied to the weights */
  bool        scheduled;   /* on the schedule; false: the latest, replaced by the next recording */
  long long   serial;      /* when it was made: 0, 1, 2, … in the set that made it */
  float      *params;      /* (n_params) the model's (the encoder's) parameters, then the decoder's */
  size_t      n_params;
  GsSnapshot *snap;        /* the forward pass over the held-out sequence under params; NULL once
                              handed elsewhere (the window's worker gives it to the window, keeping
                              the weights, which are what gs_recordings_serialize saves) */
} GsRecording;

typedef struct {
  GsRecording rec[GS_RECORDINGS_MAX + 1];   /* oldest epoch first; room for one more while thinning */
  int         n;
  int         max;                          /* 2 … GS_RECORDINGS_MAX */
  long long   n_made;                       /* serial of the next recording */
} GsRecordings;

/* An empty set of at most max recordings (clamped to 2 … GS_RECORDINGS_MAX). */
GsRecordings *gs_recordings_new   (int max, GsError *err);
void          gs_recordings_free  (GsRecordings *r);
void          gs_recordings_clear (GsRecordings *r);

/* Whether epoch e is on the schedule (a Fibonacci number). */
bool gs_recordings_scheduled_epoch (long e);

/* Adds a recording (taking its params and snap) by the rules above: an
 * unscheduled newest one is dropped first; a recording at an epoch already
 * held replaces it only when the new one is scheduled and the held one is
 * not (else the new one is freed and false returned); one older than the
 * newest is refused (false, freed). Then the thinning rule. When serial is
 * negative the set numbers it; else (a mirror following another set) the
 * given serial is kept. */
bool gs_recordings_add (GsRecordings *r, long epoch, bool scheduled, long long serial,
                        float *params, size_t n_params, GsSnapshot *snap);

/* The index of the recording at epoch e, −1 when none. */
int  gs_recordings_find  (const GsRecordings *r, long e);
/* The recordings with serial ≥ since, oldest first, into out (borrowed
 * pointers, at most r->n); returns their number. */
int  gs_recordings_since (const GsRecordings *r, long long since, const GsRecording **out);
/* Drops every recording whose epoch is not in epochs (n of them). */
void gs_recordings_keep  (GsRecordings *r, const long *epochs, int n);
/* Bytes held (weights and snapshots). */
size_t gs_recordings_bytes (const GsRecordings *r);

typedef struct GsRecorder GsRecorder;

/* A recorder for tr's run (borrowed: it must outlive the recorder; a new
 * run needs a new recorder). Builds the held-out sequence and the scratch
 * models; records nothing yet. */
GsRecorder *gs_recorder_new  (const GsTrainer *tr, GsError *err);
void        gs_recorder_free (GsRecorder *rec);

/* Records the trainer's current weights into r when tr->epoch is on the
 * schedule and not yet recorded (scheduled), or, with latest, whenever
 * tr->epoch is newer than the newest recording (as the latest). Returns
 * GS_OK (whether or not it recorded; *made says), GS_FAIL on no memory. */
int gs_recorder_record (GsRecorder *rec, GsRecordings *r, const GsTrainer *tr, bool latest,
                        bool *made, GsError *err);

/* The snapshot of the held-out sequence under params (n_params: the
 * model's, then the decoder's), at `epoch`: what a recording holds. */
GsSnapshot *gs_recorder_replay (GsRecorder *rec, const float *params, size_t n_params, long epoch,
                                GsError *err);

/* Computes the snapshot of every recording that has none (a set read from
 * a session file holds only the weights) with rec, whose run must have
 * their parameter count. */
int gs_recordings_replay (GsRecordings *r, GsRecorder *rec, GsError *err);

/* Saving. serialize writes a malloc'd buffer (*out, *len); deserialize
 * replaces r's recordings by the buffer's, recomputing each snapshot with
 * rec (whose run must have the same parameter count). Bad data is refused
 * with a message saying what is wrong, leaving r as it was. */
int gs_recordings_serialize   (const GsRecordings *r, unsigned char **out, size_t *len, GsError *err);
int gs_recordings_deserialize (GsRecordings *r, GsRecorder *rec, const unsigned char *data, size_t len,
                               GsError *err);
