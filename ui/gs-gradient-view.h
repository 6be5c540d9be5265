/* gs-gradient-view.h — the gradient flowing back in time, per timestep and per unit.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"
#include "gs-view-widget.h"

G_BEGIN_DECLS

#define GS_TYPE_GRADIENT_VIEW (gs_gradient_view_get_type ())

G_DECLARE_FINAL_TYPE (GsGradientView, gs_gradient_view, GS, GRADIENT_VIEW, GsView)

GtkWidget *gs_gradient_view_new          (void);

/* Geometry at the widget's current size, for the click handler and tests. */
/* The timestep of the norm plot's column under (x, y), or −1. */
int        gs_gradient_view_timestep_at      (GsGradientView  *self,
                                              double           x,
                                              double           y);
/* The bar of ‖dL/dh_t‖ (which = "dh") or ‖dL/dc_t‖ ("dc") as drawn; FALSE
 * when there is none (backward has not reached t, or no such state). */
gboolean   gs_gradient_view_get_norm_rect    (GsGradientView  *self,
                                              int              t,
                                              const char      *which,
                                              graphene_rect_t *out);

G_END_DECLS
