/* gs-cell-view-private.h — what the cell view's files share.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gs-cell-view.c holds the widget, its layout and the values each box
 * shows; gs-cell-view-draw.c draws the diagram; gs-cell-view-text.c writes
 * the hover formulas.
 */
#pragma once

#include "gs-cell-view.h"
#include "gs-colormap.h"
#include "gs-view-widget.h"

G_BEGIN_DECLS

/* The canvas, in base units (px at scale 1). */
#define BASE_W       720.0
#define BASE_H       420.0
#define SCALE_MIN    0.6
#define SCALE_MAX    3.0
#define BOX_W        92.0    /* every box of units */
#define BOX_H        60.0
#define BOX_PAD      5.0     /* frame to unit grid */
#define CARD_HEAD    26.0    /* a gate card's title band above its units */
#define CARD_Y       140.0   /* top of the gate cards */
#define BELT_Y       64.0    /* the conveyor belt (LSTM c, GRU h) */
#define BUS_Y        310.0   /* [h_{t−1}, x_t] running under the gates */
#define LEFT_X       12.0    /* the left column of state boxes */
#define RIGHT_X      612.0   /* the right column */
#define MERGE_X      118.0   /* where x_t joins h_{t−1} on the bus */
#define JUNCTION_R   11.0
#define DOT_R        4.0
#define WIRE_W       2.5     /* px, never thinner */
#define ARROW_LEN    10.0
#define UNIT_ASPECT  3.0     /* preferred height:width of a unit bar */

/* Type sizes in px at scale 1, never smaller on screen. */
#define LETTER_PX    22.0    /* gate letters */
#define LABEL_PX     18.0    /* state labels: cₜ₋₁, hₜ */
#define TEXT_PX      15.0    /* caption, marks, legends */

#define MAX_BOXES    (GS_MAX_GATES + 6)

typedef enum {
  KIND_GATE,
  KIND_C_PREV,
  KIND_C,
  KIND_H_PREV,
  KIND_H,
  KIND_M,         /* LSTM with projection: m_t = o ⊙ tanh(c_t), before W_hr */
  KIND_RH,        /* GRU reset-before: r ⊙ h_{t−1}, what W_hn multiplies */
} BoxKind;

typedef struct {
  BoxKind         kind;
  int             gate;     /* row of the gate in GsSnapshot.gates (KIND_GATE) */
  char            code;     /* name for gs_cell_view_get_unit_rect () */
  double          bx, by;   /* top left in base units */
  double          w, h;     /* size of the unit area in base units (BOX_W × BOX_H for most) */
  int             n_units;  /* H, or P for h with a projection */
  int             rows, cols; /* its unit grid: the layout's, or its own when n_units ≠ H */
  graphene_rect_t inner;    /* the unit grid, widget coordinates */
} Box;

typedef struct {
  double s, ox, oy;         /* widget = o + s · base */
  double base_w;            /* BASE_W, wider with a projection */
  double h_x;               /* left of the h_t box and the prediction tag (base units) */
  int    rows, cols;        /* the unit grid of every box */
  int    n_boxes;
  Box    boxes[MAX_BOXES];
} Layout;

typedef struct {
  GsColorRange gate_sigmoid;
  GsColorRange gate_tanh;
  GsColorRange c;           /* symmetric over the layer's c at every t */
  GsColorRange h;
  GsColorRange grad_gate;   /* symmetric over the layer's dpre at every t */
  GsColorRange grad_state;  /* symmetric over the layer's dh and dc */
} Ranges;

struct _GsCellView
{
  GsView         parent_instance;

  int            direction;     /* 0 forward, 1 the reverse direction of a bidirectional layer */
  gboolean       show_gradients;
  int            hover_unit;    /* −1 = none */
  GtkWidget     *popover;       /* the pinned formula (a child), NULL until the first click */
  GtkWidget     *popover_label;
  char           pinned_box;    /* the unit the popover is pinned to (gs_cell_view_get_unit_rect's names) */
  int            pinned_unit;
};

/* Which layer direction a function reads: the "key" k passed around is
 * the layer index, plus GS_MAX_LAYERS for the reverse direction. */
#define CELL_KEY(layer, dir)  ((layer) + ((dir) ? GS_MAX_LAYERS : 0))
#define KEY_LAYER(key)        ((key) % GS_MAX_LAYERS)
#define KEY_IS_REV(key)       ((key) >= GS_MAX_LAYERS)

/* The peephole wires carry c: they are drawn in the belt colour
 * (GsViewColors.belt, Adwaita orange). Where the peephole wires run (base units). */
#define PEEP_Y_PREV  122.0   /* c_{t−1} → f, i */
#define PEEP_Y_C     104.0   /* c_t → o */
#define PEEP_DX      26.0    /* left of a card's centre (f, i), right of it (o) */

/* gs-cell-view.c: what is drawn where */
int               gs_cell_view_key            (GsCellView       *self);
const GsSnapLayer *gs_cell_view_snap_layer    (const GsSnapshot *s,
                                               int               key);
/* t of the previous state in the direction's order, −1 for the initial state. */
int               gs_cell_view_prev_t         (const GsSnapshot *s,
                                               int               key,
                                               int               t);
gboolean          gs_cell_view_has_f_box      (const GsSnapshot *s);
const GsSnapshot *gs_cell_view_get_drawable   (GsCellView       *self);
gboolean          gs_cell_view_in_gradients   (GsCellView       *self,
                                               const GsSnapshot *s);
gboolean          gs_cell_view_is_sigmoid     (char              gate);
void              gs_cell_view_compute_ranges (Ranges           *r,
                                               const GsSnapshot *s,
                                               int               k);
gboolean          gs_cell_view_box_value      (const GsSnapshot *s,
                                               int               k,
                                               int               t,
                                               gboolean          grads,
                                               const Ranges     *r,
                                               const Box        *b,
                                               int               u,
                                               float            *value,
                                               GsColorRange     *range);
double            gs_cell_view_card_x         (GsCell            cell,
                                               int               i);
double            gs_cell_view_card_cx        (GsCell            cell,
                                               int               i);
void              gs_cell_view_compute_layout (Layout           *lay,
                                               const GsSnapshot *s,
                                               int               width,
                                               int               height);
graphene_rect_t   gs_cell_view_unit_in_box    (const Layout     *lay,
                                               const Box        *b,
                                               int               u);

/* gs-cell-view-draw.c */
void              gs_cell_view_draw           (GtkWidget          *widget,
                                               GtkSnapshot        *snapshot,
                                               int                 width,
                                               int                 height,
                                               const GsViewColors *colors);

/* gs-cell-view-text.c: the hover formulas, newly allocated */
char             *gs_cell_view_tooltip_gate   (const GsSnapshot *s,
                                               int               k,
                                               int               t,
                                               gboolean          grads,
                                               const Box        *b,
                                               int               u);
char             *gs_cell_view_tooltip_state  (const GsSnapshot *s,
                                               int               k,
                                               int               t,
                                               gboolean          grads,
                                               const Ranges     *r,
                                               const Box        *b,
                                               int               u);
/* The computation of gate unit u at t, term by term (the pinned popover):
 * W_i·x, W_h·h₋₁ with their largest products, the biases, the
 * pre-activation, the activation and the result, newly allocated; NULL
 * where the snapshot cannot split it (no parameters taken, the reverse
 * direction, a GRU's n, peepholes, full gate recurrence, dropout between
 * layers). *sum, when not NULL, gets the sum of the terms. */
char             *gs_cell_view_formula_terms  (const GsSnapshot *s,
                                               int               k,
                                               int               t,
                                               const Box        *b,
                                               int               u,
                                               double           *sum);

G_END_DECLS
