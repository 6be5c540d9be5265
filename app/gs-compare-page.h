/* gs-compare-page.h — "Why LSTM?": several cells trained side by side.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page of the main window where a teacher picks a few configurations
 * (RNN, LSTM, GRU, an LSTM with a forget-gate bias), a task and a number of
 * seeds, and presses Start. A worker thread trains every configuration from
 * every seed in lock-step (core/gs-compare.h) and publishes, at most 30
 * times a second, a copy of the records and, per configuration, a snapshot
 * of its seed-0 model on the current sequence. The page overlays the loss,
 * accuracy and gradient-flow curves (ui/gs-chart-view.h) and shows the
 * cells side by side at one shared timestep (ui/gs-cell-view.h).
 *
 * Actions (group "compare"): start, stop, export (a string: "loss.png",
 * "accuracy.svg", "flow.pdf", "overview.png", "curves.csv", …).
 */
#pragma once

#include <adwaita.h>

#include "gs-chart-view.h"

G_BEGIN_DECLS

#define GS_TYPE_COMPARE_PAGE (gs_compare_page_get_type ())

G_DECLARE_FINAL_TYPE (GsComparePage, gs_compare_page, GS, COMPARE_PAGE, AdwBin)

GtkWidget      *gs_compare_page_new                (void);

/* The setup, as the controls on the page show it. Configuration ids:
 * "rnn_tanh", "rnn_relu", "lstm", "gru", "lstm_forget_bias". */
void            gs_compare_page_set_config_enabled (GsComparePage *self,
                                                    const char    *id,
                                                    gboolean       enabled);
gboolean        gs_compare_page_set_task           (GsComparePage *self,
                                                    const char    *name);
void            gs_compare_page_set_seeds          (GsComparePage *self,
                                                    int            n_seeds);
void            gs_compare_page_set_batch          (GsComparePage *self,
                                                    int            batch);
void            gs_compare_page_set_steps          (GsComparePage *self,
                                                    int            steps);
void            gs_compare_page_set_hidden         (GsComparePage *self,
                                                    int            hidden);
void            gs_compare_page_set_learning_rate  (GsComparePage *self,
                                                    double         lr);

/* A comparison is training ("running" property). */
gboolean        gs_compare_page_get_running        (GsComparePage *self);
/* The latest records (NULL before the first Start). */
GsChartRecords *gs_compare_page_get_records        (GsComparePage *self);
/* The chart of `kind` (loss, accuracy or flow). */
GsChartView    *gs_compare_page_get_chart_view     (GsComparePage *self,
                                                    GsChartKind    kind);
/* The timestep every cell view shows ("timestep" property). */
int             gs_compare_page_get_timestep       (GsComparePage *self);
void            gs_compare_page_set_timestep       (GsComparePage *self,
                                                    int            timestep);

/* What the export action does after the file dialog: `what` is
 * "<chart>.<png|svg|pdf>" or "curves.csv". */
gboolean        gs_compare_page_export             (GsComparePage *self,
                                                    const char    *what,
                                                    const char    *path,
                                                    GError       **error);

G_END_DECLS
