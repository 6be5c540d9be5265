/* gs-prediction-bars.h — the softmax over the output vocabulary at one timestep.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"
#include "gs-view-widget.h"

G_BEGIN_DECLS

#define GS_TYPE_PREDICTION_BARS (gs_prediction_bars_get_type ())

G_DECLARE_FINAL_TYPE (GsPredictionBars, gs_prediction_bars, GS, PREDICTION_BARS, GsView)

GtkWidget *gs_prediction_bars_new          (void);

/* The bar of output class `cls` as drawn (its width is the probability
 * times the track's width); FALSE when that class has no bar on screen. */
gboolean   gs_prediction_bars_get_bar_rect (GsPredictionBars *self,
                                            int               cls,
                                            graphene_rect_t  *out);

G_END_DECLS
