/* gs-loss-plot.h — the training loss over the epochs.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-history.h"

G_BEGIN_DECLS

#define GS_TYPE_LOSS_PLOT (gs_loss_plot_get_type ())

G_DECLARE_FINAL_TYPE (GsLossPlot, gs_loss_plot, GS, LOSS_PLOT, GtkWidget)

GtkWidget *gs_loss_plot_new          (void);
void       gs_loss_plot_append       (GsLossPlot *self,
                                      float       loss);
/* Appends the points of h's updates that the plot does not have yet (a
 * history that runs ahead of the plot: a session's). */
void       gs_loss_plot_follow       (GsLossPlot      *self,
                                      const GsHistory *h);
void       gs_loss_plot_clear        (GsLossPlot *self);
/* The validation curve drawn over the training one: the held-out loss
 * after points[i].update updates (a copy is kept; n = 0 removes it). */
void       gs_loss_plot_set_validation (GsLossPlot       *self,
                                        const GsValPoint *points,
                                        int               n);
/* Validation points drawn. */
guint      gs_loss_plot_get_n_validation (GsLossPlot *self);
/* Epochs plotted (the points summarise older ones: the plot's memory and
 * drawing cost stay bounded however long training goes on). */
guint      gs_loss_plot_get_n_points (GsLossPlot *self);
/* The length of the x axis: the run's planned epochs, so that the curve
 * grows into a fixed frame. 0 fits the axis to the points. */
guint      gs_loss_plot_get_epochs   (GsLossPlot *self);
void       gs_loss_plot_set_epochs   (GsLossPlot *self,
                                      guint       epochs);
/* The epoch axis is logarithmic: the first epochs stay readable however
 * long the run ("log-epochs", default linear). */
/* Drops the cached drawing and queues a draw (as gs_view_queue_redraw ()). */
void       gs_loss_plot_queue_redraw (GsLossPlot *self);
/* Widget pixels at the top right that the legend leaves free: a button
 * laid over the plot there (the window's Log Epochs). */
void       gs_loss_plot_set_legend_inset (GsLossPlot *self,
                                          int         inset);
gboolean   gs_loss_plot_get_log_epochs (GsLossPlot *self);
void       gs_loss_plot_set_log_epochs (GsLossPlot *self,
                                        gboolean    log_epochs);
/* Where epoch (from 1) was drawn on the x axis, in widget coordinates;
 * FALSE before the plot has drawn a frame or outside the axis. */
gboolean   gs_loss_plot_get_epoch_x    (GsLossPlot *self,
                                        long long   epoch,
                                        double     *x);
/* What hovering at x reads: "Epoch 12: loss 0.4312", or the range of a
 * bucket of older epochs; NULL off the curve. */
char      *gs_loss_plot_describe_at    (GsLossPlot *self,
                                        double      x);

G_END_DECLS
