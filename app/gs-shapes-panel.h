/* gs-shapes-panel.h — the run's tensors, parameter counts and shapes.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows core/gs-shapes.h's description of the model a GsTrainConfig builds:
 * every tensor under its PyTorch name, split by gate; one matrix per gate
 * over the joined [h, x]; the PyTorch and Keras counts; the shapes with
 * batch_first off and on — the text `gatescope-cli shapes` prints.
 */
#pragma once

#include <adwaita.h>

#include "gs-train.h"

G_BEGIN_DECLS

#define GS_TYPE_SHAPES_PANEL (gs_shapes_panel_get_type ())

G_DECLARE_FINAL_TYPE (GsShapesPanel, gs_shapes_panel, GS, SHAPES_PANEL, AdwBin)

GtkWidget  *gs_shapes_panel_new        (void);
/* Describes the model of `config` (copied); says why when it cannot. */
void        gs_shapes_panel_set_config (GsShapesPanel       *self,
                                        const GsTrainConfig *config);
/* The text shown, for tests. */
const char *gs_shapes_panel_get_text   (GsShapesPanel       *self);

G_END_DECLS
