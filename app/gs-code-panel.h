/* gs-code-panel.h — the run's model as PyTorch or Keras code, with Copy.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows core/gs-code.h's Python for the model a GsTrainConfig builds — the
 * text `gatescope-cli code` prints — and copies it to the clipboard.
 */
#pragma once

#include <adwaita.h>

#include "gs-train.h"

G_BEGIN_DECLS

#define GS_TYPE_CODE_PANEL (gs_code_panel_get_type ())

G_DECLARE_FINAL_TYPE (GsCodePanel, gs_code_panel, GS, CODE_PANEL, AdwBin)

GtkWidget  *gs_code_panel_new        (void);
/* Writes the code of `config` (copied) in the chosen framework. */
void        gs_code_panel_set_config (GsCodePanel         *self,
                                      const GsTrainConfig *config);
/* The code shown, for tests. */
const char *gs_code_panel_get_text   (GsCodePanel         *self);

G_END_DECLS
