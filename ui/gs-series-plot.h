/* gs-series-plot.h — a regression task's prediction against the truth over time.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"
#include "gs-view-widget.h"

G_BEGIN_DECLS

#define GS_TYPE_SERIES_PLOT (gs_series_plot_get_type ())

G_DECLARE_FINAL_TYPE (GsSeriesPlot, gs_series_plot, GS, SERIES_PLOT, GsView)

GtkWidget *gs_series_plot_new          (void);
/* Which output is plotted, 0 … O − 1 (larger values plot the last). */
int        gs_series_plot_get_feature  (GsSeriesPlot *self);
void       gs_series_plot_set_feature  (GsSeriesPlot *self,
                                        int           feature);

/* Where the value `value` at timestep t is drawn at the widget's current
 * size; FALSE when nothing is plotted (no regression snapshot, nothing
 * computed yet, or no room). */
gboolean   gs_series_plot_map_point    (GsSeriesPlot *self,
                                        int           t,
                                        float         value,
                                        float        *x,
                                        float        *y);

G_END_DECLS
