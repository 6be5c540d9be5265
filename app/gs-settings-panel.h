/* gs-settings-panel.h — the run's settings: task, network, cell variant, training.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel edits a GsTrainConfig and keeps it in GSettings: the task (any
 * of gs_task_classes (), its parameters as rows made from its GsTaskParam
 * list), the network, the cell variant (one row per row of
 * gs_variant_table, shown for the cells it applies to) and the training.
 * gs_settings_panel_apply () has the engine judge it — the task and its
 * files too, by building the run once — and then either emits "refused"
 * with the engine's words (nothing changes) or saves it and emits "apply"
 * with the configuration, for the window to hand to its session.
 */
#pragma once

#include <adwaita.h>

#include "gs-train.h"

G_BEGIN_DECLS

#define GS_TYPE_SETTINGS_PANEL (gs_settings_panel_get_type ())

/* The most one sequence's states may take for the window to show a run
 * (gs_snapshot_bytes): the window copies them up to 60 times a second. */
#define GS_SETTINGS_PANEL_MAX_SNAPSHOT_BYTES ((gsize) 256 << 20)

G_DECLARE_FINAL_TYPE (GsSettingsPanel, gs_settings_panel, GS, SETTINGS_PANEL, AdwBin)

GtkWidget *gs_settings_panel_new            (void);
/* Shows config in the panel (nothing is applied or saved). */
void       gs_settings_panel_set_config     (GsSettingsPanel     *self,
                                             const GsTrainConfig *config);
/* The run the panel describes; what it does not show (batch, clipping, a
 * model file's weights) comes from running, the session's configuration. */
void       gs_settings_panel_get_config     (GsSettingsPanel     *self,
                                             const GsTrainConfig *running,
                                             GsTrainConfig       *config);
/* Apply: validates the panel's run over running; emits "refused" (a
 * message) and returns FALSE, or saves it and emits "apply" (a const
 * GsTrainConfig *) and returns TRUE. */
gboolean   gs_settings_panel_apply          (GsSettingsPanel     *self,
                                             const GsTrainConfig *running);
/* The saved settings, or the defaults when they are not a run the engine
 * can build; then, with problem, why (a trial build checks what only a
 * built run can judge: a file that is gone, a text too short). */
void       gs_settings_panel_load_saved     (GsSettingsPanel     *self,
                                             GsTrainConfig       *config,
                                             char               **problem);
/* The task's spec string as the panel sets it: "adding:length=50". */
char      *gs_settings_panel_get_task_spec  (GsSettingsPanel     *self);
/* Sets the file parameter key of the selected task (NULL = shipped data). */
void       gs_settings_panel_set_task_file  (GsSettingsPanel     *self,
                                             const char          *key,
                                             const char          *path);
/* The row of gs_variant_table's row `row` (for tests and keyboard focus). */
GtkWidget *gs_settings_panel_get_variant_row (GsSettingsPanel    *self,
                                              int                 row);

/* Whether a run's snapshots fit what the window can copy every frame;
 * else FALSE and why (newly allocated). */
gboolean   gs_settings_panel_run_fits       (const GsTrainer     *trial,
                                             char               **why);

G_END_DECLS
