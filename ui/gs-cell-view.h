/* gs-cell-view.h — one cell at one timestep, drawn like the textbook diagrams.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The LSTM with its cell-state conveyor belt, the GRU with its update and
 * reset gates, the plain RNN's single tanh: every gate a box of per-unit
 * bars on the shared diverging scale (gs-colormap.h), x_t and h_{t−1}
 * coming in, c_t and h_t going out. Hovering a unit shows its formula with
 * the snapshot's numbers; with "show-gradients" the same boxes show what
 * the backward pass computed instead.
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"
#include "gs-view-widget.h"

G_BEGIN_DECLS

/* The boxes that are not gates, for gs_cell_view_get_unit_rect (). Gate
 * boxes are named by their letter in GsSnapshot.gates ('f', 'i', 'g', 'o',
 * 'r', 'z', 'n'); for the plain RNN the one gate box is h_t itself, 'h'. */
#define GS_CELL_VIEW_C_PREV 'C'   /* c_{t−1} (LSTM) */
#define GS_CELL_VIEW_C      'c'   /* c_t (LSTM) */
#define GS_CELL_VIEW_H_PREV 'H'   /* h_{t−1} */
#define GS_CELL_VIEW_H      'h'   /* h_t (P units with a projection) */
#define GS_CELL_VIEW_M      'm'   /* m_t = o ⊙ tanh(c_t) before the projection W_hr */
#define GS_CELL_VIEW_RH     'R'   /* r ⊙ h_{t−1} (GRU with the reset gate before W_hn) */

#define GS_TYPE_CELL_VIEW (gs_cell_view_get_type ())

G_DECLARE_FINAL_TYPE (GsCellView, gs_cell_view, GS, CELL_VIEW, GsView)

GtkWidget *gs_cell_view_new                 (void);

int        gs_cell_view_get_direction       (GsCellView *self);
void       gs_cell_view_set_direction       (GsCellView *self,
                                             int         direction);
gboolean   gs_cell_view_get_show_gradients  (GsCellView *self);
void       gs_cell_view_set_show_gradients  (GsCellView *self,
                                             gboolean    show_gradients);

/* Where unit `unit` of box `gate` is drawn, in widget coordinates, for the
 * current size. FALSE when that box or unit is not on screen. */
gboolean   gs_cell_view_get_unit_rect       (GsCellView      *self,
                                             char             gate,
                                             int              unit,
                                             graphene_rect_t *out);
/* For tests: a point on the peephole wire into gate 'i', 'f' or 'o', in
 * widget coordinates, and the wire's colour. FALSE when it is not drawn. */
gboolean   gs_cell_view_get_peephole_point  (GsCellView       *self,
                                             char              gate,
                                             graphene_point_t *out,
                                             GdkRGBA          *color);
/* The hover text at (x, y) in widget coordinates — the unit's formula with
 * the numbers filled in — or NULL. Free with g_free (). */
char      *gs_cell_view_get_tooltip_text_at (GsCellView *self,
                                             double      x,
                                             double      y);

/* Which convention the hover formulas are written in where the course's
 * sources differ (the GRU's z, where its reset gate applies, TensorFlow's
 * forget_bias); appended to those formulas. Static, translated strings. */
const char *gs_cell_view_convention_gru_h  (void);
const char *gs_cell_view_convention_gru_n  (gboolean reset_before);
const char *gs_cell_view_convention_forget (void);
/* What a click at (x, y) (widget coordinates) does: pins a popover to the
 * unit there with its computation term by term (or its formula where the
 * terms cannot be split), in the views' type size; Esc or a click
 * elsewhere closes it. FALSE, and the popover closed, off every unit. */
gboolean    gs_cell_view_pin_formula_at   (GsCellView *self,
                                           double      x,
                                           double      y);
/* The pinned popover, NULL before the first; its text. For tests. */
GtkPopover *gs_cell_view_get_formula_popover (GsCellView *self);
const char *gs_cell_view_get_formula_text    (GsCellView *self);

G_END_DECLS
