/* gs-view-describe.h — what each drawing view shows, in words.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GsViewClass.describe of every view: a sentence for assistive
 * technologies about what the view shows at the current timestep and layer
 * ("LSTM, layer 1, t = 2: forget gate f mean 0.73, highest unit 5 at 0.98;
 * …; prediction l 0.99, right"). Built from the same snapshot the view
 * draws; NULL before there is one.
 */
#pragma once

#include "gs-view-widget.h"

G_BEGIN_DECLS

/* The cell's name as the window shows it, translated: "RNN (tanh)", "LSTM". */
const char *gs_view_describe_cell_name (GsCell cell);

char *gs_view_describe_cell          (GsView *view);
char *gs_view_describe_unrolled      (GsView *view);
char *gs_view_describe_heatmap       (GsView *view);
char *gs_view_describe_prediction    (GsView *view);
char *gs_view_describe_gradient      (GsView *view);
char *gs_view_describe_series        (GsView *view);

G_END_DECLS
