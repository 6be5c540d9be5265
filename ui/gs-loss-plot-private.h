/* gs-loss-plot-private.h — what the tests read of a GsLossPlot.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gs-loss-plot.h"

G_BEGIN_DECLS

/* The work of the last drawing: history points and axis ticks visited. It
 * must not grow with the epochs trained (tests/ui/test-views.c,
 * /views/loss-plot-cost-bounded). */
guint64 _gs_loss_plot_get_draw_work (GsLossPlot *self);

G_END_DECLS
