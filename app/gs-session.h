/* gs-session.h — one training run, stepped or trained in a worker thread.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session owns a worker thread, and the thread owns the GsStepper
 * (gs-stepper.h), the engine's object for stepping and training: no other
 * thread ever touches the model, and the session itself only carries
 * commands in and snapshots out. The main loop sends commands (step
 * forward, step back, a whole training step, train continuously, reset with
 * a new configuration) and receives, after each, a GsSnap — a copy of what
 * the views draw — through the "snap" property. Commands are queued and run
 * in order; while training continuously the worker publishes at most one
 * snapshot per frame interval, so the UI never falls behind.
 *
 * Stepping follows the lesson (gs_stepper_step): → runs the forward pass
 * one timestep at a time (an encoder–decoder task's encoder, then its
 * decoder), then the backward pass from the last timestep down to 0, then
 * the update; the next → starts the next sequence. ← undoes a step within the current
 * sequence by recomputing up to the step before (the engine is
 * deterministic, so this is exact); an update cannot be undone.
 */
#pragma once

#include <glib-object.h>

#include "gs-history.h"
#include "gs-lesson.h"
#include "gs-recorder.h"
#include "gs-snap.h"
#include "gs-stepper.h"

G_BEGIN_DECLS

#define GS_TYPE_SESSION (gs_session_get_type ())

G_DECLARE_FINAL_TYPE (GsSession, gs_session, GS, SESSION, GObject)

/* A session on `config` (copied); the first snapshot arrives shortly. */
GsSession           *gs_session_new              (const GsTrainConfig *config);

/* The configuration of the run the worker is running: a reset's new one
 * only once the worker has built it (a refused task file keeps the old). */
const GsTrainConfig *gs_session_get_config       (GsSession *self);
/* The latest snapshot (never NULL once the first one arrived). */
GsSnap              *gs_session_get_snap         (GsSession *self);
/* Training continuously ("training" property). */
gboolean             gs_session_get_training     (GsSession *self);
/* Commands queued but not yet answered by a snapshot ("busy" property). */
gboolean             gs_session_get_busy         (GsSession *self);
/* Whether ← has something to undo in the latest snapshot. */
gboolean             gs_session_can_step_back    (GsSession *self);

void gs_session_step_forward (GsSession *self);
void gs_session_step_back    (GsSession *self);
/* Finishes the current sequence (forward, backward, update), or trains one
 * whole step on the next one. */
void gs_session_train_step   (GsSession *self);
/* How the passes of an encoder–decoder feed the decoder: teacher forcing
 * (training) or greedy decoding (an evaluation pass, forward only) — at
 * once on a fresh sequence, else from the next (gs_stepper_set_decode).
 * Ignored for a task with one model. */
void gs_session_set_decode   (GsSession *self,
                              GsDecode   decode);
void gs_session_set_training (GsSession *self,
                              gboolean   training);
/* Trains continuously, as set_training (self, TRUE) does, and stops by
 * itself once the task's held-out check passes (checked every few
 * epochs): the "evaluated" signal then brings the passing check, and
 * "training" turns FALSE. Stopped like set_training's run. */
void gs_session_train_until_solved (GsSession *self);
/* The task's held-out check (gs_trainer_evaluate) on the current weights,
 * answered by the "evaluated" signal (epoch, const GsTaskEval *). */
void gs_session_evaluate     (GsSession *self);
/* A fresh run: new weights from the config's seed, epoch 0, history cleared.
 * Invalid configurations are refused with the "error" signal. */
void gs_session_reset        (GsSession           *self,
                              const GsTrainConfig *config);

/* The run's loss history, as the snapshots brought it (gs-history.h):
 * bounded however long training goes on. Cleared by a successful reset,
 * which also counts up gs_session_get_run. */
const GsHistory *gs_session_get_history (GsSession *self);
guint            gs_session_get_run     (GsSession *self);

/* Files (gs-session-file.h). The worker writes the run between two steps,
 * also while training continuously, so the window never waits for the
 * disk; "saved" (path, autosave, error or NULL) says when it is written.
 * A save that is not an autosave makes `path` the run's file and the run
 * clean as it was when the save was asked for. */
void        gs_session_save        (GsSession  *self,
                                    const char *path,
                                    gboolean    autosave);
/* Takes over `stepper` (a run loaded from `path`) as the run: clean, with
 * path as its file; with path NULL (restored from an autosave) unsaved.
 * recordings (transfer full, may be NULL) is its history of learning; the
 * interventions its model holds become the session's. */
void        gs_session_adopt       (GsSession    *self,
                                    GsStepper    *stepper,
                                    GsRecordings *recordings,
                                    const char   *path);
/* The run's file ("file" property), NULL before it was saved or opened. */
const char *gs_session_get_file    (GsSession  *self);
/* Whether the run changed since it was opened, saved or reset ("dirty"). */
gboolean    gs_session_get_dirty   (GsSession  *self);
/* Counts snapshots of a changing run: an autosave compares it. */
guint64     gs_session_get_changes (GsSession  *self);
/* Guided lessons (gs-lesson.h), played on this session's run in the
 * worker thread. lesson_open hands the worker a lesson (transfer full):
 * it is freed there, when the next one is opened or the session ends.
 * lesson_step runs step `index` of it — a run set up, training, stepping,
 * interventions — and answers with a snapshot and the "lesson-step"
 * signal (index, the right choice or −1, an error message or NULL); a
 * step that sets up a run also emits "config-changed". */
void gs_session_lesson_open  (GsSession *self,
                              GsLesson  *lesson);
void gs_session_lesson_step  (GsSession *self,
                              int        index);
/* Back: puts the run in the state going forward left it in after step
 * `index` (gs_lesson_replay_to: played again from the lesson's set-up,
 * bit for bit), answering as lesson_step does. */
void gs_session_lesson_replay (GsSession *self,
                               int        index);
/* Closes the lesson: the interventions it put in effect are removed and
 * the current sequence recomputed without them; the run stays. */
void gs_session_lesson_close (GsSession *self);
/* Interventions (gs-intervene.h) on the run: the worker hands the list to
 * the stepper (gs_stepper_set_interventions), which computes the sequence
 * again with them; NULL or an empty list removes them. A list the model
 * refuses comes back as the "error" signal and the old one stays.
 * "n-interventions" is notified when the list that holds changes; a reset
 * removes them. */
void                   gs_session_set_interventions (GsSession             *self,
                                                     const GsInterventions *list);
const GsInterventions *gs_session_get_interventions (GsSession             *self);
/* While interventions hold: the sequence on show predicted with them and
 * without them (gs_task_decode_prediction; "" for regression tasks) and
 * the two losses. FALSE when there is nothing to compare. */
gboolean               gs_session_get_comparison    (GsSession             *self,
                                                     const char           **with,
                                                     const char           **without,
                                                     float                 *loss_with,
                                                     float                 *loss_without);

/* The history of learning (gs-recorder.h): the task's first held-out
 * sequence under the weights of past epochs, recorded by the worker at
 * log-spaced epochs and the latest, at most GS_RECORDINGS_MAX. The worker
 * sends only the recordings that are new (and the epochs it still holds),
 * with every reply that is not a save's; "n-recordings" is notified when
 * the set changes. Cleared by a reset. */
const GsRecordings *gs_session_get_recordings (GsSession *self);
/* A snapshot of the recording at `epoch` for the views, NULL when none. */
GsSnap             *gs_session_dup_recording  (GsSession *self,
                                               long       epoch);

/* Blocks (iterating the thread-default main context) until every queued
 * command has been answered. For tests and for orderly shutdown. */
void gs_session_sync         (GsSession *self);

G_END_DECLS
