/* gs-unrolled-view.h — the network unrolled in time.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"
#include "gs-view-widget.h"

G_BEGIN_DECLS

#define GS_TYPE_UNROLLED_VIEW (gs_unrolled_view_get_type ())

G_DECLARE_FINAL_TYPE (GsUnrolledView, gs_unrolled_view, GS, UNROLLED_VIEW, GsView)

GtkWidget *gs_unrolled_view_new          (void);

/* Geometry at the widget's current size, for the click handler and tests.
 * A long sequence shows only a window of its columns, around the current
 * timestep, and a strip of all of them: the rectangles are those drawn. */
/* The timestep whose column (or cell of the strip) holds (x, y), or −1. */
int        gs_unrolled_view_timestep_at         (GsUnrolledView  *self,
                                                 double           x,
                                                 double           y);
/* The whole column of timestep t (what the highlight frames); FALSE when
 * the column is not shown. */
gboolean   gs_unrolled_view_get_column_rect     (GsUnrolledView  *self,
                                                 int              t,
                                                 graphene_rect_t *out);
/* The predicted character and its probability above timestep t. */
gboolean   gs_unrolled_view_get_prediction_rect (GsUnrolledView  *self,
                                                 int              t,
                                                 graphene_rect_t *out);
/* The pixels that show unit `unit` of state 'h' or 'c' of layer k in
 * timestep t's box, and the units [first, end) they show (in their mean
 * colour when there are more units than pixels); FALSE when not drawn. */
gboolean   gs_unrolled_view_get_unit_rect       (GsUnrolledView  *self,
                                                 int              t,
                                                 int              k,
                                                 char             state,
                                                 int              unit,
                                                 graphene_rect_t *out,
                                                 int             *first,
                                                 int             *end);
/* Timestep t's cell in the strip of all timesteps; FALSE when every
 * column is shown (and so there is no strip). */
gboolean   gs_unrolled_view_get_strip_rect      (GsUnrolledView  *self,
                                                 int              t,
                                                 graphene_rect_t *out);

G_END_DECLS
