/* gs-prediction-bars.h — the softmax over the output vocabulary at one timestep.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"

G_BEGIN_DECLS

#define GS_TYPE_PREDICTION_BARS (gs_prediction_bars_get_type ())

G_DECLARE_FINAL_TYPE (GsPredictionBars, gs_prediction_bars, GS, PREDICTION_BARS, GtkWidget)

GtkWidget *gs_prediction_bars_new          (void);
GsSnap    *gs_prediction_bars_get_snap     (GsPredictionBars *self);
void       gs_prediction_bars_set_snap     (GsPredictionBars *self,
                                            GsSnap           *snap);
int        gs_prediction_bars_get_timestep (GsPredictionBars *self);
void       gs_prediction_bars_set_timestep (GsPredictionBars *self,
                                            int               timestep);
/* The head reads the top layer; "layer" is kept for symmetry with the
 * other views and does not change the drawing. */
int        gs_prediction_bars_get_layer    (GsPredictionBars *self);
void       gs_prediction_bars_set_layer    (GsPredictionBars *self,
                                            int               layer);

/* The bar of output class `cls` as drawn (its width is the probability
 * times the track's width); FALSE when that class has no bar on screen. */
gboolean   gs_prediction_bars_get_bar_rect (GsPredictionBars *self,
                                            int               cls,
                                            graphene_rect_t  *out);

G_END_DECLS
