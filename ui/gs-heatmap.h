/* gs-heatmap.h — one quantity of one layer over units × timesteps.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"
#include "gs-view-widget.h"

G_BEGIN_DECLS

#define GS_TYPE_HEATMAP (gs_heatmap_get_type ())

G_DECLARE_FINAL_TYPE (GsHeatmap, gs_heatmap, GS, HEATMAP, GsView)

/* quantity: a gate letter of the cell ("i" "f" "g" "o" for the LSTM, "r" "z"
 * "n" for the GRU), the states "c" and "h", or the gradients "dh" and "dc". */
GtkWidget  *gs_heatmap_new          (const char *quantity);
const char *gs_heatmap_get_quantity (GsHeatmap  *self);
void        gs_heatmap_set_quantity (GsHeatmap  *self,
                                     const char *quantity);
/* Bidirectional layers: 0 shows the forward direction, 1 the reverse one
 * (ignored when the snapshot has one direction). */
int         gs_heatmap_get_direction (GsHeatmap *self);
void        gs_heatmap_set_direction (GsHeatmap *self,
                                      int        direction);

/* The translated title of a quantity ("forget gate f"), NULL if unknown. */
const char *gs_heatmap_quantity_title (const char *quantity);

/* Geometry at the widget's current size, for the click handler and tests. */
/* The timestep of the column under (x, y), or −1. */
int         gs_heatmap_timestep_at  (GsHeatmap       *self,
                                     double           x,
                                     double           y);
/* The cell of (t, unit) as drawn (shared with its neighbours when there
 * are more units or timesteps than pixels); FALSE when the map shows no grid. */
gboolean    gs_heatmap_get_cell_rect (GsHeatmap       *self,
                                      int              t,
                                      int              unit,
                                      graphene_rect_t *out);
/* The timesteps [t_first, t_end) and units [unit_first, unit_end) that
 * share the pixels of (t, unit): they show the mean colour of those units
 * at timestep t_shown (−1: none of the column is computed yet). */
gboolean    gs_heatmap_get_cell_span (GsHeatmap       *self,
                                      int              t,
                                      int              unit,
                                      int             *t_first,
                                      int             *t_end,
                                      int             *t_shown,
                                      int             *unit_first,
                                      int             *unit_end);

G_END_DECLS
