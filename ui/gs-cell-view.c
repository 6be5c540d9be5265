/* gs-cell-view.c — one cell at one timestep, drawn like the textbook diagrams.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget: its properties, the layout of the diagram (which box sits
 * where, which unit is under the pointer), the value each box shows and the
 * hover. The drawing itself is gs-cell-view-draw.c (GsView caches it), the
 * hover formulas gs-cell-view-text.c.
 *
 * The diagram is laid out once on a 720 × 420 canvas (the "base" units of
 * gs-cell-view-private.h) and scaled to the widget, so that it fills a
 * projector at 1920 × 1080 as well as a laptop window; lines and type never
 * get thinner or smaller than their base size. Every box of units — gate or
 * state — has the same inner size and so the same grid of units: unit u
 * sits at the same place in every box, and a student can follow it through
 * the cell.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-view-describe.h"
#include "gs-cell-view-private.h"
#include "gs-view-style.h"
#include "gs-view-text.h"

G_DEFINE_FINAL_TYPE (GsCellView, gs_cell_view, GS_TYPE_VIEW)

enum {
  PROP_0,
  PROP_DIRECTION,
  PROP_SHOW_GRADIENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What is drawn */

static gboolean
is_rev (GsCellView       *self,
        const GsSnapshot *s)
{
  return self->direction == 1 && s->D == 2;
}

int
gs_cell_view_key (GsCellView *self)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));

  return CELL_KEY (gs_view_get_layer (GS_VIEW (self)), snap != NULL && is_rev (self, gs_snap_get (snap)));
}

const GsSnapLayer *
gs_cell_view_snap_layer (const GsSnapshot *s,
                         int               key)
{
  return KEY_IS_REV (key) ? &s->rev[KEY_LAYER (key)] : &s->layer[KEY_LAYER (key)];
}

int
gs_cell_view_prev_t (const GsSnapshot *s,
                     int               key,
                     int               t)
{
  int tp = KEY_IS_REV (key) ? t + 1 : t - 1;

  return tp >= 0 && tp < s->T ? tp : -1;
}

/* CIFG couples f to i and the 1997 LSTM has none: no f card then. */
gboolean
gs_cell_view_has_f_box (const GsSnapshot *s)
{
  return s->cfg.cell == GS_CELL_LSTM && !s->cfg.variant.cifg && !s->cfg.variant.no_forget_gate;
}

/* The snapshot, when timestep `timestep` of layer `layer` (in the direction
 * shown) has been computed: the snapshot's rule (gs_snapshot_values_end),
 * whole from the first forward step for the reverse direction of a
 * bidirectional layer and the layers below the top. */
const GsSnapshot *
gs_cell_view_get_drawable (GsCellView *self)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  const int layer = gs_view_get_layer (GS_VIEW (self));
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  const GsSnapshot *s;

  if (snap == NULL)
    return NULL;
  s = gs_snap_get (snap);
  if (timestep < 0 || timestep >= s->T ||
      layer < 0 || layer >= s->cfg.L)
    return NULL;
  if (timestep >= gs_snapshot_values_end (s, layer, is_rev (self, s) ? 1 : 0))
    return NULL;
  return s;
}

/* Gradients by the snapshot's rule: the reverse direction and the layers
 * below the top of a bidirectional model have them once backward reached t = 0. */
gboolean
gs_cell_view_in_gradients (GsCellView       *self,
                           const GsSnapshot *s)
{
  const int timestep = gs_view_get_timestep (GS_VIEW (self));

  if (!self->show_gradients || timestep >= s->T)
    return FALSE;
  return timestep >= gs_snapshot_grads_begin (s, gs_view_get_layer (GS_VIEW (self)), is_rev (self, s) ? 1 : 0);
}

gboolean
gs_cell_view_is_sigmoid (char gate)
{
  return strchr ("ifozr", gate) != NULL;
}

void
gs_cell_view_compute_ranges (Ranges           *r,
                             const GsSnapshot *s,
                             int               k)
{
  const GsSnapLayer *l = gs_cell_view_snap_layer (s, k);
  const gsize T = s->T, H = s->cfg.H, P = s->P, GH = (gsize) s->G * H;
  GsColorRange a;

  r->gate_sigmoid = gs_color_range_for_gate ('f');
  r->gate_tanh = gs_color_range_for_gate ('g');

  /* c shares tanh's ±1 unless it outgrows it; one range for every t, so
   * that colours do not jump while stepping. */
  r->c = gs_color_range_symmetric (l->c0, l->c ? H : 0, 1.0f);
  if (l->c != NULL)
    {
      a = gs_color_range_symmetric (l->c, T * H, 1.0f);
      if (a.hi > r->c.hi)
        r->c = a;
    }
  /* h is bounded by ±1 except for ReLU. */
  r->h = s->cfg.cell == GS_CELL_RNN_RELU ? gs_color_range_symmetric (l->h, T * P, 1.0f)
                                         : r->gate_tanh;
  /* A projection's h is a linear map of m: unbounded. */
  if (l->m != NULL)
    {
      a = gs_color_range_symmetric (l->h, T * P, 1.0f);
      if (a.hi > r->h.hi)
        r->h = a;
    }

  /* Gradients: the gates' and the states' each on their own symmetric
   * range (dL/dpre is often an order of magnitude below dL/dh), fixed over
   * the sequence so that a shrinking gradient looks shrinking. */
  r->grad_gate = gs_color_range_symmetric (l->dpre, T * GH, 1e-6f);
  r->grad_state = gs_color_range_symmetric (l->dh, T * P, 1e-6f);
  if (l->dc != NULL)
    {
      a = gs_color_range_symmetric (l->dc, T * H, 1e-6f);
      if (a.hi > r->grad_state.hi)
        r->grad_state = a;
    }
}

/* The value unit u of box b shows, and its colour range. FALSE when the
 * value does not exist (yet): h_{t−1}'s gradient before backward reached t−1. */
gboolean
gs_cell_view_box_value (const GsSnapshot *s,
                        int               k,
                        int               t,
                        gboolean          grads,
                        const Ranges     *r,
                        const Box        *b,
                        int               u,
                        float            *value,
                        GsColorRange     *range)
{
  const GsSnapLayer *l = gs_cell_view_snap_layer (s, k);
  const int H = s->cfg.H, P = s->P, GH = s->G * H;
  const int tp = gs_cell_view_prev_t (s, k, t);

  *range = grads ? r->grad_state : r->h;
  switch (b->kind)
    {
    case KIND_GATE:
      if (grads)
        {
          *value = l->dpre[t * GH + b->gate * H + u];
          *range = r->grad_gate;
          return TRUE;
        }
      *value = l->act[t * GH + b->gate * H + u];
      *range = s->cfg.cell == GS_CELL_RNN_RELU ? r->h
             : gs_cell_view_is_sigmoid (s->gates[b->gate]) ? r->gate_sigmoid : r->gate_tanh;
      return TRUE;

    case KIND_C:
      *value = grads ? l->dc[t * H + u] : l->c[t * H + u];
      if (!grads)
        *range = r->c;
      return TRUE;

    case KIND_H:
      *value = grads ? l->dh[t * P + u] : l->h[t * P + u];
      return TRUE;

    case KIND_M:
      /* dL/dm is not kept: the box shows m in both modes. */
      *value = l->m[t * H + u];
      *range = r->gate_tanh;
      return TRUE;

    case KIND_RH:
      {
        const char *row = strchr (s->gates, 'r');
        float h_prev = tp >= 0 ? l->h[tp * P + u] : l->h0[u];

        *value = l->act[t * GH + (int) (row - s->gates) * H + u] * h_prev;
        *range = r->gate_tanh;
        return TRUE;
      }

    case KIND_C_PREV:
    case KIND_H_PREV:
      {
        gboolean c = b->kind == KIND_C_PREV;
        int n = c ? H : P;

        if (!grads)
          {
            *value = tp >= 0 ? (c ? l->c : l->h)[tp * n + u] : (c ? l->c0 : l->h0)[u];
            if (c)
              *range = r->c;
            return TRUE;
          }
        if (tp < 0 || tp < gs_snapshot_grads_begin (s, KEY_LAYER (k), KEY_IS_REV (k) ? 1 : 0))
          return FALSE;
        *value = (c ? l->dc : l->dh)[tp * n + u];
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* Layout */

static Box *
add_box_sized (Layout *lay,
               BoxKind kind,
               int     gate,
               char    code,
               double  bx,
               double  by,
               double  w,
               double  h,
               int     n_units)
{
  Box *b = &lay->boxes[lay->n_boxes++];
  double top = kind == KIND_GATE ? by + CARD_HEAD : by;

  g_assert (lay->n_boxes <= MAX_BOXES);
  b->kind = kind;
  b->gate = gate;
  b->code = code;
  b->bx = bx;
  b->by = by;
  b->w = w;
  b->h = h;
  b->n_units = n_units;
  b->inner = GRAPHENE_RECT_INIT (lay->ox + lay->s * (bx + BOX_PAD),
                                 lay->oy + lay->s * (top + BOX_PAD),
                                 lay->s * (w - 2 * BOX_PAD),
                                 lay->s * (h - 2 * BOX_PAD));
  return b;
}

static void
add_box (Layout *lay,
         BoxKind kind,
         int     gate,
         char    code,
         double  bx,
         double  by,
         int     n_units)
{
  add_box_sized (lay, kind, gate, code, bx, by, BOX_W, BOX_H, n_units);
}

/* Gate cards sit in a row; x of card `i` for the cell's gate order on screen. */
double
gs_cell_view_card_x (GsCell cell,
                     int    i)
{
  switch (cell)
    {
    case GS_CELL_LSTM: return 132.0 + 104.0 * i;   /* f i g o */
    case GS_CELL_GRU:  return 132.0 + 156.0 * i;   /* z r n */
    default:           return 288.0;               /* h */
    }
}

double
gs_cell_view_card_cx (GsCell cell,
                      int    i)
{
  return gs_cell_view_card_x (cell, i) + BOX_W / 2.0;
}

/* Rows and columns of the unit grid: as tall bars as UNIT_ASPECT allows,
 * wrapping into more rows when H would make them thinner than that. */
static void
choose_grid (int    *rows,
             int    *cols,
             int     H,
             double  w,
             double  h)
{
  double best = -1.0;

  *rows = 1;
  *cols = H;
  for (int r = 1; r <= H; r++)
    {
      int c = (H + r - 1) / r;
      double score = MIN (w / c, h / r / UNIT_ASPECT);

      if ((c - 1) * r >= H && r > 1)
        continue;   /* an empty last column: a smaller r did better */
      if (score > best + 1e-9)
        {
          best = score;
          *rows = r;
          *cols = c;
        }
    }
}

void
gs_cell_view_compute_layout (Layout           *lay,
                             const GsSnapshot *s,
                             int               width,
                             int               height)
{
  const GsCell cell = s->cfg.cell;
  /* The order on screen, as in the textbooks; the letters' rows in the
   * snapshot are PyTorch's (i f g o, r z n). */
  const char *order = cell == GS_CELL_LSTM ? "figo" : cell == GS_CELL_GRU ? "zrn" : "h";
  const int H = s->cfg.H, P = s->P > 0 ? s->P : H;
  const gboolean proj = cell == GS_CELL_LSTM && s->cfg.variant.proj > 0;

  /* A projection adds m_t → W_hr → h_t on the right. */
  lay->base_w = proj ? BASE_W + BOX_W + 84.0 : BASE_W;
  lay->h_x = proj ? RIGHT_X + BOX_W + 84.0 : RIGHT_X;
  lay->s = CLAMP (MIN (width / lay->base_w, height / BASE_H), SCALE_MIN, SCALE_MAX);
  lay->ox = floor ((width - lay->base_w * lay->s) / 2.0);
  lay->oy = floor ((height - BASE_H * lay->s) / 2.0);
  lay->n_boxes = 0;

  for (int i = 0; order[i] != '\0'; i++)
    {
      const char *row = strchr (s->gates, order[i]);

      if (order[i] == 'f' && !gs_cell_view_has_f_box (s))
        continue;
      if (row != NULL)
        add_box (lay, KIND_GATE, (int) (row - s->gates), order[i], gs_cell_view_card_x (cell, i), CARD_Y, H);
    }

  switch (cell)
    {
    case GS_CELL_LSTM:
      add_box (lay, KIND_C_PREV, -1, GS_CELL_VIEW_C_PREV, LEFT_X, BELT_Y - BOX_H / 2, H);
      add_box (lay, KIND_C, -1, GS_CELL_VIEW_C, RIGHT_X, BELT_Y - BOX_H / 2, H);
      add_box (lay, KIND_H_PREV, -1, GS_CELL_VIEW_H_PREV, LEFT_X, BUS_Y - BOX_H / 2, P);
      if (proj && s->layer[0].m != NULL)
        add_box (lay, KIND_M, -1, GS_CELL_VIEW_M, RIGHT_X, BUS_Y - BOX_H / 2, H);
      add_box (lay, KIND_H, -1, GS_CELL_VIEW_H, lay->h_x, BUS_Y - BOX_H / 2, P);
      break;

    case GS_CELL_GRU:
      add_box (lay, KIND_H_PREV, -1, GS_CELL_VIEW_H_PREV, LEFT_X, BELT_Y - BOX_H / 2, P);
      add_box (lay, KIND_H, -1, GS_CELL_VIEW_H, RIGHT_X, BELT_Y - BOX_H / 2, P);
      /* r ⊙ h_{t−1}: a narrow strip between the r and n cards. */
      if (s->cfg.variant.gru_reset_before && strchr (s->gates, 'r') != NULL)
        add_box_sized (lay, KIND_RH, -1, GS_CELL_VIEW_RH, gs_cell_view_card_x (cell, 1) + BOX_W + 6.0,
                       CARD_Y + CARD_HEAD, gs_cell_view_card_x (cell, 2) - gs_cell_view_card_x (cell, 1) - BOX_W - 12.0,
                       BOX_H, H);
      break;

    default:
      /* The RNN's one box is h_t itself. */
      add_box (lay, KIND_H_PREV, -1, GS_CELL_VIEW_H_PREV, LEFT_X, BUS_Y - BOX_H / 2, P);
      break;
    }

  choose_grid (&lay->rows, &lay->cols, s->cfg.H, BOX_W - 2 * BOX_PAD, BOX_H - 2 * BOX_PAD);
  for (int i = 0; i < lay->n_boxes; i++)
    {
      Box *b = &lay->boxes[i];

      b->rows = lay->rows;
      b->cols = lay->cols;
      if (b->n_units != H)
        choose_grid (&b->rows, &b->cols, b->n_units, b->w - 2 * BOX_PAD, b->h - 2 * BOX_PAD);
    }
}

/* Unit u's cell inside a box, in widget pixels; a gap between cells when
 * they are wide enough to spare one. */
graphene_rect_t
gs_cell_view_unit_in_box (const Layout *lay,
                          const Box    *b,
                          int           u)
{
  const graphene_rect_t *in = &b->inner;
  double cw = in->size.width / b->cols, ch = in->size.height / b->rows;
  double gap = cw >= 6.0 ? MAX (1.0, round (lay->s)) : 0.0;
  int row = u / b->cols, col = u % b->cols;
  double x0 = round (in->origin.x + col * cw), x1 = round (in->origin.x + (col + 1) * cw);
  double y0 = round (in->origin.y + row * ch), y1 = round (in->origin.y + (row + 1) * ch);

  if (col < b->cols - 1)
    x1 -= gap;
  if (row < b->rows - 1)
    y1 -= gap;
  return GRAPHENE_RECT_INIT (x0, y0, MAX (x1 - x0, 1.0), MAX (y1 - y0, 1.0));
}

/* The box and unit under (x, y), or NULL. */
static const Box *
hit_test (const Layout *lay,
          double        x,
          double        y,
          int          *unit)
{
  for (int i = 0; i < lay->n_boxes; i++)
    {
      const graphene_rect_t *in = &lay->boxes[i].inner;
      int col, row, u;

      if (!graphene_rect_contains_point (in, &GRAPHENE_POINT_INIT (x, y)))
        continue;
      col = (int) ((x - in->origin.x) / (in->size.width / lay->boxes[i].cols));
      row = (int) ((y - in->origin.y) / (in->size.height / lay->boxes[i].rows));
      u = MIN (row, lay->boxes[i].rows - 1) * lay->boxes[i].cols + MIN (col, lay->boxes[i].cols - 1);
      if (u >= lay->boxes[i].n_units)
        return NULL;
      *unit = u;
      return &lay->boxes[i];
    }
  return NULL;
}

/* Hover */

static gboolean
gs_cell_view_layout_now (GsCellView        *self,
                         Layout            *lay,
                         const GsSnapshot **s)
{
  int width, height;

  gs_view_get_design_size (GTK_WIDGET (self), &width, &height);
  *s = gs_cell_view_get_drawable (self);
  if (*s == NULL || width <= 0 || height <= 0)
    return FALSE;
  gs_cell_view_compute_layout (lay, *s, width, height);
  return TRUE;
}

static void
gs_cell_view_set_hover_unit (GsCellView *self,
                             int         unit)
{
  if (self->hover_unit == unit)
    return;
  self->hover_unit = unit;
  gs_view_queue_redraw (GS_VIEW (self));
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           GsCellView               *self)
{
  const GsSnapshot *s;
  Layout lay;
  int unit = -1;

  gs_view_to_design (GTK_WIDGET (self), &x, &y);
  if (gs_cell_view_layout_now (self, &lay, &s) && hit_test (&lay, x, y, &unit) == NULL)
    unit = -1;
  gs_cell_view_set_hover_unit (self, unit);
}

static void
on_leave (GtkEventControllerMotion *motion,
          GsCellView               *self)
{
  gs_cell_view_set_hover_unit (self, -1);
}

/* The views' label size at the view's scale (presentation mode, zoom). */
#define FORMULA_PX 14.0

gboolean
gs_cell_view_pin_formula_at (GsCellView *self,
                             double      x,
                             double      y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const GsSnapshot *s;
  const Box *b;
  Layout lay;
  Ranges r;
  double dx = x, dy = y;
  int unit;
  g_autofree char *text = NULL;
  graphene_rect_t rect;
  GdkRectangle area;
  PangoAttrList *attrs;

  g_return_val_if_fail (GS_IS_CELL_VIEW (self), FALSE);

  gs_view_to_design (widget, &dx, &dy);
  if (!gs_cell_view_layout_now (self, &lay, &s) || (b = hit_test (&lay, dx, dy, &unit)) == NULL)
    {
      if (self->popover != NULL)
        gtk_popover_popdown (GTK_POPOVER (self->popover));
      return FALSE;
    }
  if (!gs_cell_view_in_gradients (self, s))
    text = gs_cell_view_formula_terms (s, gs_cell_view_key (self), gs_view_get_timestep (GS_VIEW (self)),
                                       b, unit, NULL);
  if (text == NULL)
    {
      gs_cell_view_compute_ranges (&r, s, gs_cell_view_key (self));
      text = gs_view_text_drop_negative_zero (
        b->kind == KIND_GATE
        ? gs_cell_view_tooltip_gate (s, gs_cell_view_key (self), gs_view_get_timestep (GS_VIEW (self)),
                                     gs_cell_view_in_gradients (self, s), b, unit)
        : gs_cell_view_tooltip_state (s, gs_cell_view_key (self), gs_view_get_timestep (GS_VIEW (self)),
                                      gs_cell_view_in_gradients (self, s), &r, b, unit));
    }
  if (text == NULL)
    return FALSE;

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_new ();
      self->popover_label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->popover_label), 0.0f);
      gtk_popover_set_child (GTK_POPOVER (self->popover), self->popover_label);
      gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_BOTTOM);
      gtk_widget_set_parent (self->popover, widget);
    }
  gtk_label_set_text (GTK_LABEL (self->popover_label), text);
  /* The views' own type size: it follows the zoom and the presentation mode. */
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_size_new_absolute ((int) (FORMULA_PX * gs_view_get_scale (widget)
                                                                      * PANGO_SCALE)));
  gtk_label_set_attributes (GTK_LABEL (self->popover_label), attrs);
  pango_attr_list_unref (attrs);

  rect = gs_cell_view_unit_in_box (&lay, b, unit);
  gs_view_rect_to_widget (widget, &rect);
  area.x = (int) floorf (rect.origin.x);
  area.y = (int) floorf (rect.origin.y);
  area.width = MAX (1, (int) ceilf (rect.origin.x + rect.size.width) - area.x);
  area.height = MAX (1, (int) ceilf (rect.origin.y + rect.size.height) - area.y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &area);
  gtk_popover_popup (GTK_POPOVER (self->popover));
  self->pinned_box = b->code;
  self->pinned_unit = unit;
  return TRUE;
}

/* A step, another timestep, layer or direction: the pinned formula shows
 * the unit's new computation, or closes where the unit is gone. */
static void
on_shown_changed (GsCellView *self,
                  GParamSpec *pspec,
                  gpointer    data)
{
  graphene_rect_t rect;

  if (self->popover == NULL || !gtk_widget_get_visible (self->popover))
    return;
  if (gs_cell_view_get_unit_rect (self, self->pinned_box, self->pinned_unit, &rect))
    gs_cell_view_pin_formula_at (self, rect.origin.x + rect.size.width / 2, rect.origin.y + rect.size.height / 2);
  else
    gtk_popover_popdown (GTK_POPOVER (self->popover));
}

GtkPopover *
gs_cell_view_get_formula_popover (GsCellView *self)
{
  g_return_val_if_fail (GS_IS_CELL_VIEW (self), NULL);

  return self->popover != NULL ? GTK_POPOVER (self->popover) : NULL;
}

const char *
gs_cell_view_get_formula_text (GsCellView *self)
{
  g_return_val_if_fail (GS_IS_CELL_VIEW (self), NULL);

  return self->popover_label != NULL ? gtk_label_get_text (GTK_LABEL (self->popover_label)) : NULL;
}

static void
on_click_released (GtkGestureClick *click,
                   int              n_press,
                   double           x,
                   double           y,
                   GsCellView      *self)
{
  gs_cell_view_pin_formula_at (self, x, y);
}

static void
gs_cell_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  GsCellView *self = GS_CELL_VIEW (widget);

  if (GTK_WIDGET_CLASS (gs_cell_view_parent_class)->size_allocate != NULL)
    GTK_WIDGET_CLASS (gs_cell_view_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
gs_cell_view_dispose (GObject *object)
{
  GsCellView *self = GS_CELL_VIEW (object);

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  self->popover_label = NULL;
  G_OBJECT_CLASS (gs_cell_view_parent_class)->dispose (object);
}

/* GObject */

static void
gs_cell_view_measure_design (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int request_h;

      *minimum = (int) (BASE_W * SCALE_MIN);
      *natural = (int) BASE_W;
      /* Given a height (the window's side-by-side layout), no more width
       * than the diagram takes at that height: the rest is the unrolled
       * network's. */
      gtk_widget_get_size_request (widget, NULL, &request_h);
      if (request_h > 0)
        *natural = MAX (*minimum, (int) ceil (gs_view_design_for_size (request_h) * BASE_W / BASE_H));
    }
  else
    {
      *minimum = (int) (BASE_H * SCALE_MIN);
      *natural = (int) BASE_H;
    }
}

static void
gs_cell_view_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (gs_cell_view_parent_class)->css_changed (widget, change);
  gs_view_queue_redraw (GS_VIEW (widget));
}

static void
gs_cell_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GsCellView *self = GS_CELL_VIEW (object);

  switch (prop_id)
    {
    case PROP_DIRECTION:
      g_value_set_int (value, self->direction);
      break;

    case PROP_SHOW_GRADIENTS:
      g_value_set_boolean (value, self->show_gradients);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_cell_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GsCellView *self = GS_CELL_VIEW (object);

  switch (prop_id)
    {
    case PROP_DIRECTION:
      gs_cell_view_set_direction (self, g_value_get_int (value));
      break;

    case PROP_SHOW_GRADIENTS:
      gs_cell_view_set_show_gradients (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_cell_view_class_init (GsCellViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GsViewClass *view_class = GS_VIEW_CLASS (klass);

  object_class->get_property = gs_cell_view_get_property;
  object_class->set_property = gs_cell_view_set_property;
  object_class->dispose = gs_cell_view_dispose;

  widget_class->css_changed = gs_cell_view_css_changed;
  widget_class->size_allocate = gs_cell_view_size_allocate;

  view_class->draw = gs_cell_view_draw;
  view_class->describe = gs_view_describe_cell;
  view_class->measure_design = gs_cell_view_measure_design;

  /* Bidirectional layers: 0 shows the forward direction, 1 the reverse
   * one (its previous state is h_{t+1}); ignored otherwise. */
  properties[PROP_DIRECTION] =
    g_param_spec_int ("direction", NULL, NULL, 0, 1, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SHOW_GRADIENTS] =
    g_param_spec_boolean ("show-gradients", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "cellview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_cell_view_init (GsCellView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click;

  self->hover_unit = -1;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  /* A click pins the formula; it replaces the hover tooltip, which
   * covered the gates next to the unit and vanished when the pointer
   * moved. */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (self, "notify::snap", G_CALLBACK (on_shown_changed), NULL);
  g_signal_connect (self, "notify::timestep", G_CALLBACK (on_shown_changed), NULL);
  g_signal_connect (self, "notify::layer", G_CALLBACK (on_shown_changed), NULL);
  g_signal_connect (self, "notify::direction", G_CALLBACK (on_shown_changed), NULL);
  g_signal_connect (self, "notify::show-gradients", G_CALLBACK (on_shown_changed), NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The recurrent cell at the current timestep"),
                                  -1);
}

GtkWidget *
gs_cell_view_new (void)
{
  return g_object_new (GS_TYPE_CELL_VIEW, NULL);
}

int
gs_cell_view_get_direction (GsCellView *self)
{
  g_return_val_if_fail (GS_IS_CELL_VIEW (self), 0);

  return self->direction;
}

void
gs_cell_view_set_direction (GsCellView *self,
                            int         direction)
{
  g_return_if_fail (GS_IS_CELL_VIEW (self));
  g_return_if_fail (direction == 0 || direction == 1);

  if (gs_view_update_int (&self->direction, direction, G_OBJECT (self), properties[PROP_DIRECTION]))
    gs_view_queue_redraw (GS_VIEW (self));
}

gboolean
gs_cell_view_get_show_gradients (GsCellView *self)
{
  g_return_val_if_fail (GS_IS_CELL_VIEW (self), FALSE);

  return self->show_gradients;
}

void
gs_cell_view_set_show_gradients (GsCellView *self,
                                 gboolean    show_gradients)
{
  g_return_if_fail (GS_IS_CELL_VIEW (self));

  show_gradients = !!show_gradients;
  if (gs_view_update_int (&self->show_gradients, show_gradients, G_OBJECT (self), properties[PROP_SHOW_GRADIENTS]))
    gs_view_queue_redraw (GS_VIEW (self));
}

/**
 * gs_cell_view_get_unit_rect:
 * @self: a #GsCellView
 * @gate: a gate letter of the snapshot, or GS_CELL_VIEW_C_PREV, _C, _H_PREV, _H
 * @unit: the hidden unit, 0 … H − 1
 * @out: (out): where the unit's bar is drawn, in widget coordinates
 *
 * Returns: %TRUE when that box is drawn at the current size
 */
gboolean
gs_cell_view_get_unit_rect (GsCellView      *self,
                            char             gate,
                            int              unit,
                            graphene_rect_t *out)
{
  const GsSnapshot *s;
  Layout lay;

  g_return_val_if_fail (GS_IS_CELL_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!gs_cell_view_layout_now (self, &lay, &s) || unit < 0)
    return FALSE;
  for (int i = 0; i < lay.n_boxes; i++)
    if (lay.boxes[i].code == gate && unit < lay.boxes[i].n_units)
      {
        *out = gs_cell_view_unit_in_box (&lay, &lay.boxes[i], unit);
        gs_view_rect_to_widget (GTK_WIDGET (self), out);
        return TRUE;
      }
  return FALSE;
}

/**
 * gs_cell_view_get_peephole_point:
 * @self: a #GsCellView
 * @gate: 'i', 'f' or 'o'
 * @out: (out): a point on the middle of the wire's last leg, widget coordinates
 * @color: (out) (optional): the wire's colour
 *
 * Returns: %TRUE when that peephole wire is drawn
 */
gboolean
gs_cell_view_get_peephole_point (GsCellView       *self,
                                 char              gate,
                                 graphene_point_t *out,
                                 GdkRGBA          *color)
{
  const GsSnapshot *s;
  Layout lay;
  double x, y;

  g_return_val_if_fail (GS_IS_CELL_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!gs_cell_view_layout_now (self, &lay, &s) || s->cfg.cell != GS_CELL_LSTM ||
      !s->cfg.variant.peephole)
    return FALSE;
  switch (gate)
    {
    case 'f':
      if (!gs_cell_view_has_f_box (s))
        return FALSE;
      x = gs_cell_view_card_cx (GS_CELL_LSTM, 0) - PEEP_DX;
      y = (PEEP_Y_PREV + CARD_Y) / 2;
      break;
    case 'i':
      x = gs_cell_view_card_cx (GS_CELL_LSTM, 1) - PEEP_DX;
      y = (PEEP_Y_PREV + CARD_Y) / 2;
      break;
    case 'o':
      x = gs_cell_view_card_cx (GS_CELL_LSTM, 3) + PEEP_DX;
      y = (PEEP_Y_C + CARD_Y) / 2;
      break;
    default:
      return FALSE;
    }
  *out = GRAPHENE_POINT_INIT ((float) ((lay.ox + lay.s * x) * gs_view_get_scale (GTK_WIDGET (self))),
                              (float) ((lay.oy + lay.s * y) * gs_view_get_scale (GTK_WIDGET (self))));
  if (color != NULL)
    {
      GsViewColors colors;

      gs_view_colors_get (&colors, GTK_WIDGET (self));
      *color = colors.belt;
    }
  return TRUE;
}

char *
gs_cell_view_get_tooltip_text_at (GsCellView *self,
                                  double      x,
                                  double      y)
{
  const GsSnapshot *s;
  const Box *b;
  Layout lay;
  Ranges r;
  int unit;

  g_return_val_if_fail (GS_IS_CELL_VIEW (self), NULL);

  gs_view_to_design (GTK_WIDGET (self), &x, &y);
  if (!gs_cell_view_layout_now (self, &lay, &s) ||
      (b = hit_test (&lay, x, y, &unit)) == NULL)
    return NULL;
  gs_cell_view_compute_ranges (&r, s, gs_cell_view_key (self));
  /* The formulas print with printf: a tiny negative value would read
   * "-0.00". */
  if (b->kind == KIND_GATE)
    return gs_view_text_drop_negative_zero (
      gs_cell_view_tooltip_gate (s, gs_cell_view_key (self), gs_view_get_timestep (GS_VIEW (self)),
                                 gs_cell_view_in_gradients (self, s), b, unit));
  return gs_view_text_drop_negative_zero (
    gs_cell_view_tooltip_state (s, gs_cell_view_key (self), gs_view_get_timestep (GS_VIEW (self)),
                                gs_cell_view_in_gradients (self, s), &r, b, unit));
}

