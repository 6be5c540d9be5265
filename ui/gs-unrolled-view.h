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
/* The same in layer k's row of direction d (0 forward, 1 the reverse row
 * of a bidirectional layer), by the snapshot's rule of what is computed
 * (gs_snapshot_values_end). */
gboolean   gs_unrolled_view_get_row_unit_rect   (GsUnrolledView  *self,
                                                 int              t,
                                                 int              k,
                                                 int              d,
                                                 char             state,
                                                 int              unit,
                                                 graphene_rect_t *out,
                                                 int             *first,
                                                 int             *end);
/* The input chip of timestep t (the token x_t on its rounded rectangle). */
gboolean   gs_unrolled_view_get_input_rect      (GsUnrolledView  *self,
                                                 int              t,
                                                 graphene_rect_t *out);
/* The box of timestep t in layer k's row of direction d; FALSE when not shown. */
gboolean   gs_unrolled_view_get_box_rect        (GsUnrolledView  *self,
                                                 int              t,
                                                 int              k,
                                                 int              d,
                                                 graphene_rect_t *out);
/* The box under (x, y): its timestep, layer and direction; FALSE when none. */
gboolean   gs_unrolled_view_box_at              (GsUnrolledView  *self,
                                                 double           x,
                                                 double           y,
                                                 int             *t,
                                                 int             *k,
                                                 int             *d);
/* The direction of the selected box (outlined at the current timestep and
 * layer): 0 the forward row, 1 the reverse row of a bidirectional layer. */
int        gs_unrolled_view_get_direction       (GsUnrolledView  *self);
void       gs_unrolled_view_set_direction       (GsUnrolledView  *self,
                                                 int              direction);
/* An encoder–decoder task: the caption that says where the decoder's
 * inputs come from (each the target of the step before: teacher forcing,
 * as in training; evaluation reads its own prediction instead), NULL for
 * other tasks. */
const char *gs_unrolled_view_decoder_caption    (const GsSnapshot *s);
/* Timestep t's cell in the strip of all timesteps; FALSE when every
 * column is shown (and so there is no strip). */
gboolean   gs_unrolled_view_get_strip_rect      (GsUnrolledView  *self,
                                                 int              t,
                                                 graphene_rect_t *out);

/* Whether, its content `width` px wide, every unit of a state gets a
 * square of its own at least UNIT_MIN px (up to UNIT_ROWS rows of them),
 * rather than a bin of units a pixel; FALSE without a snapshot. */
gboolean   gs_unrolled_view_units_whole_at      (GsUnrolledView  *self,
                                                 int              width);

G_END_DECLS
