/* gs-experiment-dialog-private.h — what the tests read of the dialog's own widgets.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gs-experiment-dialog.h"

G_BEGIN_DECLS

/* The table as shown: row 0 is the header; columns seed, LSTM metric,
 * solved, RNN metric, solved. NULL outside the table. */
const char *gs_experiment_dialog_get_cell_text (GsExperimentDialog *self,
                                                int                 row,
                                                int                 column);

G_END_DECLS
