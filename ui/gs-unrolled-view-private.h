/* gs-unrolled-view-private.h — what the unrolled view's files share.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gs-unrolled-view.c holds the widget, where everything goes at a size
 * (and so what a click hits); gs-unrolled-view-draw.c draws it.
 *
 * Letters: T timesteps, L layers, H hidden units, O output classes.
 */
#pragma once

#include "gs-unrolled-view.h"
#include "gs-view-widget.h"
#include "gs-colormap.h"

G_BEGIN_DECLS

#define PAD          12.0f   /* px, around everything */
#define GUTTER_GAP   16.0f   /* px, between the row labels and column 0 */
#define ROW_TARGET   30.0f   /* px, row heights from the top */
#define ROW_PRED     38.0f
#define ROW_INPUT    44.0f
#define ROW_T        24.0f
#define ARROW_GAP    28.0f   /* px, between stacked rows (the upward arrows) */
#define BOX_MIN      34.0f   /* px, a cell box's height range */
#define BOX_MAX      84.0f
#define COL_MIN      44.0f   /* px, a column's width range */
#define COL_MAX      150.0f
#define COL_FOCUS    76.0f   /* px, a column's least width in the focus window */
#define BOX_SHARE     0.66f  /* of a column, a box's width (the rest: the arrows) */
#define BOX_SHARE_MAX 0.75f  /* at most, where a wider box spares its states a row */
#define MIN_COLS     9       /* columns the minimum width holds */
#define NATURAL_COLS 20      /* columns the natural width holds */
#define ROW_STRIP    34.0f   /* px, the strip of every timestep, below the columns */
#define STRIP_CELL_H 16.0f   /* px, a cell of the strip */
#define BOX_RADIUS   9.0
#define LINE_WIDTH   2.5     /* px, arrows and box outlines */
#define BELT_WIDTH   4.0     /* px, the LSTM cell state c */
#define FRAME_WIDTH  3.0f    /* px, the current timestep's frame */
#define LABEL_PX     15      /* row labels, t, probabilities */
#define LETTER_PX    24      /* input and predicted characters */
#define TARGET_PX    20
#define UNIT_MIN     12.0f   /* px, the least side of a unit's square (until units are binned) */
#define UNIT_GAP     2.0f    /* px, between the rows and squares of a wrapped state */
#define UNIT_ROWS    4       /* rows a state wraps into at most; more units are binned */
#define STATE_GAP    6.0f    /* px, between the LSTM's c and h in a box */
#define REV_GAP      10.0f   /* px, between a bidirectional layer's forward and reverse rows */
#define ROW_LEGEND   24.0f   /* px, the bidirectional legend above the columns */

struct _GsUnrolledView
{
  GsView         parent_instance;

  int            direction;     /* the box selected: 0 forward, 1 the reverse row */
};

/* Where everything goes at one size.
 *
 * When all T columns fit at COL_MIN they are all drawn, as they always
 * were. When not, a focus window of n readable columns, timesteps t0 …
 * t0 + n − 1, centred on the current timestep (clamped at the ends), and
 * below it the strip: one thin cell per timestep, the window outlined. */
typedef struct
{
  int   T, L;
  int   D;                        /* rows per layer: 2 when bidirectional */
  int   t0, n;                    /* the columns drawn */
  gboolean windowed;              /* n < T: the strip is drawn */
  float x0, col_w;                /* column t0's left edge, a column's width */
  float top, bottom;              /* the columns' vertical extent */
  float y_target, y_pred;         /* row tops, top to bottom */
  float y_box[GS_MAX_LAYERS];     /* layer k's box top (its forward row) */
  float y_rev[GS_MAX_LAYERS];     /* D == 2: layer k's reverse row, above its forward row */
  float y_legend;                 /* D == 2 or a decoder: the legend's (the caption's) top, above `top` */
  float y_input, y_tindex;
  float box_w, box_h;
  float state_h;                  /* a state's squares: one row, or rows of UNIT_MIN */
  float y_strip;                  /* the strip's cells' top (windowed only) */
  float strip_x0, strip_w;        /* its cells' extent; one cell is strip_w / T */
} Geometry;

/* gs-unrolled-view.c: where everything goes */
gboolean gs_unrolled_view_compute_geometry  (GsUnrolledView     *self,
                                             int                 width,
                                             int                 height,
                                             Geometry           *g);
float    gs_unrolled_view_column_x          (const Geometry     *g,
                                             int                 t);
void     gs_unrolled_view_column_rect       (const Geometry     *g,
                                             int                 t,
                                             graphene_rect_t    *out);
void     gs_unrolled_view_strip_rect        (const Geometry     *g,
                                             int                 t,
                                             graphene_rect_t    *out);
char    *gs_unrolled_view_earlier_label     (int                 n);
char    *gs_unrolled_view_later_label       (int                 n);
gboolean gs_unrolled_view_units_area        (GsUnrolledView     *self,
                                             const GsSnapshot   *s,
                                             const Geometry     *g,
                                             float              *left,
                                             float              *inner,
                                             float              *strip_h);
float    gs_unrolled_view_state_height      (GsUnrolledView     *self,
                                             const GsSnapshot   *s,
                                             float               box_w);
int      gs_unrolled_view_unit_bins         (const graphene_rect_t *area,
                                             int                 n);
void     gs_unrolled_view_unit_rect         (const graphene_rect_t *area,
                                             int                 n,
                                             int                 b,
                                             graphene_rect_t    *out,
                                             int                *first,
                                             int                *end);
float    gs_unrolled_view_box_x             (const Geometry     *g,
                                             int                 t);
float    gs_unrolled_view_arrow_y           (const Geometry     *g,
                                             const GsSnapshot   *s,
                                             int                 k,
                                             char                which);
float    gs_unrolled_view_row_y             (const Geometry     *g,
                                             int                 k,
                                             int                 d);
float    gs_unrolled_view_row_arrow_y       (const Geometry     *g,
                                             const GsSnapshot   *s,
                                             int                 k,
                                             int                 d,
                                             char                which);
char    *gs_unrolled_view_layer_label       (int                 k);
/* The width of the chip that holds timestep t's input: 40 px (or the box's
 * width, if narrower), wider where the label needs it ("<s>"), never wider
 * than the column. One rule for the drawing, the decoder's outlines and
 * gs_unrolled_view_get_input_rect (). */
float    gs_unrolled_view_chip_width        (GtkWidget          *widget,
                                             const Geometry     *g,
                                             const GsSnapshot   *s,
                                             int                 t);
/* The same for a label `label_w` pixels wide (the drawing has its layout). */
float    gs_unrolled_view_chip_width_for    (const Geometry     *g,
                                             int                 label_w);
char    *gs_unrolled_view_input_label       (const GsSnapshot   *s,
                                             int                 t);
void     gs_unrolled_view_prediction_layouts (GsUnrolledView    *self,
                                             const GsSnapshot   *s,
                                             const Geometry     *g,
                                             int                 t,
                                             PangoLayout       **letter,
                                             PangoLayout       **prob,
                                             graphene_rect_t    *rect);

/* gs-unrolled-view-draw.c */
void     gs_unrolled_view_arrow             (cairo_t            *cr,
                                             double              x1,
                                             double              y1,
                                             double              x2,
                                             double              y2,
                                             double              line_width);
void     gs_unrolled_view_draw_units        (GtkSnapshot        *snapshot,
                                             const float        *v,
                                             int                 n,
                                             GsColorRange        range,
                                             gboolean            dark,
                                             const graphene_rect_t *area);

/* gs-unrolled-view-reverse.c: a bidirectional layer's reverse row (h←
 * flowing right to left), the wiring of x into both rows and the
 * concatenation [h→; h←] handed up, and the legend. */
GdkRGBA  gs_unrolled_view_reverse_color     (const GsViewColors *pal);
char    *gs_unrolled_view_reverse_label     (int                 k);
float    gs_unrolled_view_reverse_gutter    (GsUnrolledView     *self,
                                             int                 L);
void     gs_unrolled_view_draw_reverse_network (GsUnrolledView  *self,
                                             cairo_t            *cr,
                                             const GsSnapshot   *s,
                                             const Geometry     *g,
                                             const GsViewColors *pal);
void     gs_unrolled_view_draw_reverse_states (GsUnrolledView   *self,
                                             GtkSnapshot        *snapshot,
                                             const GsSnapshot   *s,
                                             const Geometry     *g,
                                             const GsViewColors *pal);
void     gs_unrolled_view_draw_reverse_labels (GsUnrolledView   *self,
                                             GtkSnapshot        *snapshot,
                                             const GsSnapshot   *s,
                                             const Geometry     *g,
                                             const GsViewColors *pal);
void     gs_unrolled_view_draw              (GtkWidget          *widget,
                                             GtkSnapshot        *snapshot,
                                             int                 width,
                                             int                 height,
                                             const GsViewColors *colors);

/* gs-unrolled-view-decoder.c: where an encoder–decoder's decoder inputs
 * come from (teacher forcing in training), said in a caption and shown by
 * their chips' outline. */
void     gs_unrolled_view_draw_decoder_inputs (GsUnrolledView   *self,
                                             GtkSnapshot        *snapshot,
                                             const GsSnapshot   *s,
                                             const Geometry     *g,
                                             const GsViewColors *pal);

G_END_DECLS
