/* gs-session-file.h — a whole run in one file (.gatescope), to go on with.
 *
 * A session file is a safetensors file (gs-safetensors.h), so PyTorch-side
 * tools read its weights: the model's tensors under PyTorch's names
 * (emb.weight, rnn.weight_ih_l0, …, fc.bias, as gs_model_save writes
 * them), and beside them
 *
 *   decoder.*            the decoder of an encoder–decoder task
 *   optim.m1, optim.m2   the optimizer's moments (flat, n_params), when it has them
 *   decoder_optim.m1/m2  the decoder's
 *   batch.*              nothing: the current batch is drawn again from its RNG states
 *   history.loss         (n_points, 4) loss min, mean, max and metric of each history point
 *   recordings.params    (n_recordings, n_params) the weights of each recording of the
 *                        history of learning (gs-recorder.h): the model's, then the
 *                        decoder's; their snapshots are computed again after loading
 *                        (gs_recordings_replay). At most
 *                        GS_SESSION_RECORDINGS_BUDGET bytes: a save keeps the first,
 *                        the newest and evenly spread ones between that fit.
 *
 * and in "__metadata__" (every value a string):
 *
 *   "format"          "gatescope-session"
 *   "format_version"  "2" — a reader refuses a newer version; version 1 (no
 *                     interventions, no recordings) still opens
 *   "config"          JSON: the GsTrainConfig (task spec, cell, variant, optimizer, …)
 *   "state"           JSON: epoch, the stepper's phase and cursor, the last loss
 *                     and gradient norm, every RNG state (init, data, dropout,
 *                     and data and dropout before the current batch) as hex,
 *                     the optimizers' step counts
 *   "history"         JSON: count, span, buckets, and per point first, n, n_metric
 *   "files"           JSON: {"KEY": {"name": "poem.txt", "text": "…"}} — the text of
 *                     each user file the task was built from (corpus, classify file)
 *   "interventions"   JSON list: the interventions that hold in the run (gs-intervene.h),
 *                     each {"kind": "clamp"|"set_c"|"set_h"|"weight", "layer" (from 1),
 *                     "gate", "units": [u0, u1] (u1 −1: to the last), "t" (−1: every
 *                     step), "value"} or {"kind": "weight", "tensor", "row", "col",
 *                     "value"}. On load they hold again, marked from_session: their
 *                     weight edits are already in the saved weights.
 *   "recordings"      JSON: {"epochs": [...], "scheduled": [true|false, ...]}, one per
 *                     row of recordings.params (absent: none)
 *   "cell", "input", "loss", "task", "vocab", "chars": as in a model file
 *
 * Resuming is exact: a run saved after N epochs and loaded goes on with the
 * same numbers, bit for bit, as one that ran on. A stepper in the middle of
 * a sequence draws the batch again from the RNG states kept from before it
 * and steps forward and backward to where it was.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-error.h"
#include "gs-safetensors.h"
#include "gs-recorder.h"
#include "gs-stepper.h"

#define GS_SESSION_FORMAT  "gatescope-session"
#define GS_SESSION_VERSION 2
/* The most bytes of recording weights a session holds (128 MiB). */
#define GS_SESSION_RECORDINGS_BUDGET (128u << 20)

/* Writes the stepper's whole state to path atomically ("-": stdout).
 * Messages start with the path. */
int gs_session_file_save (const GsStepper *s, const char *path, GsError *err);
/* The same with the run's history of learning (NULL: none). */
int gs_session_file_save_full (const GsStepper *s, const GsRecordings *recordings, const char *path,
                               GsError *err);

/* Whether a parsed safetensors file is a session. */
bool gs_session_file_is_session (const GsSafetensors *st);

/* Which of n recordings of bytes_each bytes a save keeps within budget
 * bytes: all when they fit, else the first, the newest and evenly spread
 * ones between, as many as fit (none when not even two do). Writes their
 * indices, ascending, to keep (room for n) and returns how many. */
int gs_session_recordings_fit (int n, size_t bytes_each, size_t budget, int *keep);

/* Reads a session ("-": stdin). A task built from a user file whose path
 * cannot be read here (or reads differently) gets the file's text saved
 * in the session written to data_dir (made when missing; NULL: such a
 * session is refused) and uses that copy. Messages start with the path:
 * a newer format version, a truncated or corrupt file, a configuration or
 * history that does not fit. */
GsStepper *gs_session_file_load (const char *path, const char *data_dir, GsError *err);
GsStepper *gs_session_file_from_safetensors (const GsSafetensors *st, const char *path,
                                        const char *data_dir, GsError *err);
/* The same, and the session's history of learning into *recordings (a new
 * set of the recordings' weights, never NULL on success; their snapshots
 * are NULL until gs_recordings_replay computes them, which a window's
 * worker does off the main thread). Recordings that do not fit the run,
 * over the budget, or whose tensor is damaged refuse the whole session,
 * the message naming the file and the fault. */
GsStepper *gs_session_file_load_full (const char *path, const char *data_dir,
                                      GsRecordings **recordings, GsError *err);
GsStepper *gs_session_file_from_safetensors_full (const GsSafetensors *st, const char *path,
                                                  const char *data_dir, GsRecordings **recordings,
                                                  GsError *err);
