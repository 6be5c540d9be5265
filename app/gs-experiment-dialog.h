/* gs-experiment-dialog.h — the classic LSTM-against-RNN experiments, run
 * from the GUI.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A modal window that runs gs_experiment_run_full (core/gs-task-experiment.h)
 * — the very code behind `gatescope-cli experiment NAME` — for each cell and
 * seed in a worker thread, shows each run's progress live and, run by run,
 * the table the CLI prints, then the verdict.
 */
#pragma once

#include <adwaita.h>

#include "gs-task-experiment.h"

G_BEGIN_DECLS

#define GS_TYPE_EXPERIMENT_DIALOG (gs_experiment_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GsExperimentDialog, gs_experiment_dialog, GS, EXPERIMENT_DIALOG, AdwWindow)

/* A dialog, modal and transient for `parent` (may be NULL). */
GsExperimentDialog    *gs_experiment_dialog_new            (GtkWindow          *parent);

/* The experiment by name (gs_experiment_find); resets seeds and steps to
 * its published defaults. Ignored while running. */
void                   gs_experiment_dialog_set_experiment (GsExperimentDialog *self,
                                                            const char         *name);
const GsExperiment    *gs_experiment_dialog_get_experiment (GsExperimentDialog *self);
void                   gs_experiment_dialog_set_seeds      (GsExperimentDialog *self,
                                                            int                 seeds);
void                   gs_experiment_dialog_set_steps      (GsExperimentDialog *self,
                                                            int                 steps);

/* Runs are going on in the worker thread ("running" property). Becomes
 * FALSE only after the thread has been joined. */
gboolean               gs_experiment_dialog_get_running    (GsExperimentDialog *self);
/* The runs finished so far, in the CLI's order: every seed of the LSTM,
 * then every seed of the RNN. A cancelled run is not among them. */
const GsExperimentRun *gs_experiment_dialog_get_runs       (GsExperimentDialog *self,
                                                            int                *n_runs);
/* The verdict line (empty until every run is done). */
const char            *gs_experiment_dialog_get_verdict    (GsExperimentDialog *self);

/* Formats one metric as the table shows it ("0.0007", "100.0 %"). */
char                  *gs_experiment_format_metric         (const GsTaskEval   *ev);

G_END_DECLS
