/* gs-loss-plot.h — the training loss, one point per epoch.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GS_TYPE_LOSS_PLOT (gs_loss_plot_get_type ())

G_DECLARE_FINAL_TYPE (GsLossPlot, gs_loss_plot, GS, LOSS_PLOT, GtkWidget)

GtkWidget *gs_loss_plot_new          (void);
void       gs_loss_plot_append       (GsLossPlot *self,
                                      float       loss);
void       gs_loss_plot_clear        (GsLossPlot *self);
guint      gs_loss_plot_get_n_points (GsLossPlot *self);
/* The length of the x axis: the run's planned epochs, so that the curve
 * grows into a fixed frame. 0 fits the axis to the points. */
guint      gs_loss_plot_get_epochs   (GsLossPlot *self);
void       gs_loss_plot_set_epochs   (GsLossPlot *self,
                                      guint       epochs);

G_END_DECLS
