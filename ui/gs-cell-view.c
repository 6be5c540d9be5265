/* gs-cell-view.c — one cell at one timestep, drawn like the textbook diagrams.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget: its properties, the layout of the diagram (which box sits
 * where, which unit is under the pointer), the value each box shows, the
 * cached drawing and the hover. The drawing itself is gs-cell-view-draw.c,
 * the hover formulas gs-cell-view-text.c.
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

#include "gs-cell-view-private.h"

G_DEFINE_FINAL_TYPE (GsCellView, gs_cell_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SNAP,
  PROP_TIMESTEP,
  PROP_LAYER,
  PROP_SHOW_GRADIENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gs_cell_view_invalidate (GsCellView *self)
{
  gs_view_cache_invalidate (&self->cache, GTK_WIDGET (self));
}

/* What is drawn */

/* The snapshot, when timestep `timestep` of layer `layer` has been computed. */
const GsSnapshot *
gs_cell_view_get_drawable (GsCellView *self)
{
  const GsSnapshot *s;

  if (self->snap == NULL)
    return NULL;
  s = gs_snap_get (self->snap);
  if (self->timestep < 0 || self->timestep >= s->t_fwd || self->timestep >= s->T ||
      self->layer < 0 || self->layer >= s->cfg.L)
    return NULL;
  return s;
}

gboolean
gs_cell_view_in_gradients (GsCellView       *self,
                           const GsSnapshot *s)
{
  return self->show_gradients && self->timestep >= s->t_bwd && self->timestep < s->T;
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
  const GsSnapLayer *l = &s->layer[k];
  const gsize T = s->T, H = s->cfg.H, GH = (gsize) s->G * H;
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
  r->h = s->cfg.cell == GS_CELL_RNN_RELU ? gs_color_range_symmetric (l->h, T * H, 1.0f)
                                         : r->gate_tanh;

  /* Gradients: the gates' and the states' each on their own symmetric
   * range (dL/dpre is often an order of magnitude below dL/dh), fixed over
   * the sequence so that a shrinking gradient looks shrinking. */
  r->grad_gate = gs_color_range_symmetric (l->dpre, T * GH, 1e-6f);
  r->grad_state = gs_color_range_symmetric (l->dh, T * H, 1e-6f);
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
  const GsSnapLayer *l = &s->layer[k];
  const int H = s->cfg.H, GH = s->G * H;

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
      *value = grads ? l->dh[t * H + u] : l->h[t * H + u];
      return TRUE;

    case KIND_C_PREV:
    case KIND_H_PREV:
      {
        gboolean c = b->kind == KIND_C_PREV;

        if (!grads)
          {
            *value = t > 0 ? (c ? l->c : l->h)[(t - 1) * H + u] : (c ? l->c0 : l->h0)[u];
            if (c)
              *range = r->c;
            return TRUE;
          }
        if (t == 0 || t - 1 < s->t_bwd)
          return FALSE;
        *value = (c ? l->dc : l->dh)[(t - 1) * H + u];
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* Layout */

static void
add_box (Layout *lay,
         BoxKind kind,
         int     gate,
         char    code,
         double  bx,
         double  by)
{
  Box *b = &lay->boxes[lay->n_boxes++];
  double top = kind == KIND_GATE ? by + CARD_HEAD : by;

  g_assert (lay->n_boxes <= MAX_BOXES);
  b->kind = kind;
  b->gate = gate;
  b->code = code;
  b->bx = bx;
  b->by = by;
  b->inner = GRAPHENE_RECT_INIT (lay->ox + lay->s * (bx + BOX_PAD),
                                 lay->oy + lay->s * (top + BOX_PAD),
                                 lay->s * (BOX_W - 2 * BOX_PAD),
                                 lay->s * (BOX_H - 2 * BOX_PAD));
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

  lay->s = CLAMP (MIN (width / BASE_W, height / BASE_H), SCALE_MIN, SCALE_MAX);
  lay->ox = floor ((width - BASE_W * lay->s) / 2.0);
  lay->oy = floor ((height - BASE_H * lay->s) / 2.0);
  lay->n_boxes = 0;

  for (int i = 0; order[i] != '\0'; i++)
    {
      const char *row = strchr (s->gates, order[i]);

      if (row != NULL)
        add_box (lay, KIND_GATE, (int) (row - s->gates), order[i], gs_cell_view_card_x (cell, i), CARD_Y);
    }

  switch (cell)
    {
    case GS_CELL_LSTM:
      add_box (lay, KIND_C_PREV, -1, GS_CELL_VIEW_C_PREV, LEFT_X, BELT_Y - BOX_H / 2);
      add_box (lay, KIND_C, -1, GS_CELL_VIEW_C, RIGHT_X, BELT_Y - BOX_H / 2);
      add_box (lay, KIND_H_PREV, -1, GS_CELL_VIEW_H_PREV, LEFT_X, BUS_Y - BOX_H / 2);
      add_box (lay, KIND_H, -1, GS_CELL_VIEW_H, RIGHT_X, BUS_Y - BOX_H / 2);
      break;

    case GS_CELL_GRU:
      add_box (lay, KIND_H_PREV, -1, GS_CELL_VIEW_H_PREV, LEFT_X, BELT_Y - BOX_H / 2);
      add_box (lay, KIND_H, -1, GS_CELL_VIEW_H, RIGHT_X, BELT_Y - BOX_H / 2);
      break;

    default:
      /* The RNN's one box is h_t itself. */
      add_box (lay, KIND_H_PREV, -1, GS_CELL_VIEW_H_PREV, LEFT_X, BUS_Y - BOX_H / 2);
      break;
    }

  choose_grid (&lay->rows, &lay->cols, s->cfg.H, BOX_W - 2 * BOX_PAD, BOX_H - 2 * BOX_PAD);
}

/* Unit u's cell inside a box, in widget pixels; a gap between cells when
 * they are wide enough to spare one. */
graphene_rect_t
gs_cell_view_unit_in_box (const Layout *lay,
                          const Box    *b,
                          int           u)
{
  const graphene_rect_t *in = &b->inner;
  double cw = in->size.width / lay->cols, ch = in->size.height / lay->rows;
  double gap = cw >= 6.0 ? MAX (1.0, round (lay->s)) : 0.0;
  int row = u / lay->cols, col = u % lay->cols;
  double x0 = round (in->origin.x + col * cw), x1 = round (in->origin.x + (col + 1) * cw);
  double y0 = round (in->origin.y + row * ch), y1 = round (in->origin.y + (row + 1) * ch);

  if (col < lay->cols - 1)
    x1 -= gap;
  if (row < lay->rows - 1)
    y1 -= gap;
  return GRAPHENE_RECT_INIT (x0, y0, MAX (x1 - x0, 1.0), MAX (y1 - y0, 1.0));
}

/* The box and unit under (x, y), or NULL. */
static const Box *
hit_test (const Layout *lay,
          int           H,
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
      col = (int) ((x - in->origin.x) / (in->size.width / lay->cols));
      row = (int) ((y - in->origin.y) / (in->size.height / lay->rows));
      u = MIN (row, lay->rows - 1) * lay->cols + MIN (col, lay->cols - 1);
      if (u >= H)
        return NULL;
      *unit = u;
      return &lay->boxes[i];
    }
  return NULL;
}

static void
gs_cell_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  gs_view_cache_snapshot (&GS_CELL_VIEW (widget)->cache, snapshot, widget, gs_cell_view_draw);
}

/* Hover */

static gboolean
gs_cell_view_layout_now (GsCellView        *self,
                         Layout            *lay,
                         const GsSnapshot **s)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

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
  gs_cell_view_invalidate (self);
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

  if (gs_cell_view_layout_now (self, &lay, &s) && hit_test (&lay, s->cfg.H, x, y, &unit) == NULL)
    unit = -1;
  gs_cell_view_set_hover_unit (self, unit);
}

static void
on_leave (GtkEventControllerMotion *motion,
          GsCellView               *self)
{
  gs_cell_view_set_hover_unit (self, -1);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  g_autofree char *text = gs_cell_view_get_tooltip_text_at (GS_CELL_VIEW (widget), x, y);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* GObject */

static void
gs_cell_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) (BASE_W * SCALE_MIN);
      *natural = (int) BASE_W;
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
  gs_cell_view_invalidate (GS_CELL_VIEW (widget));
}

static void
gs_cell_view_finalize (GObject *object)
{
  GsCellView *self = (GsCellView *) object;

  g_clear_pointer (&self->snap, gs_snap_unref);
  gs_view_cache_clear (&self->cache);

  G_OBJECT_CLASS (gs_cell_view_parent_class)->finalize (object);
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
    case PROP_SNAP:
      g_value_set_boxed (value, self->snap);
      break;

    case PROP_TIMESTEP:
      g_value_set_int (value, self->timestep);
      break;

    case PROP_LAYER:
      g_value_set_int (value, self->layer);
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
    case PROP_SNAP:
      gs_cell_view_set_snap (self, g_value_get_boxed (value));
      break;

    case PROP_TIMESTEP:
      gs_cell_view_set_timestep (self, g_value_get_int (value));
      break;

    case PROP_LAYER:
      gs_cell_view_set_layer (self, g_value_get_int (value));
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

  object_class->finalize = gs_cell_view_finalize;
  object_class->get_property = gs_cell_view_get_property;
  object_class->set_property = gs_cell_view_set_property;

  widget_class->snapshot = gs_cell_view_snapshot;
  widget_class->measure = gs_cell_view_measure;
  widget_class->css_changed = gs_cell_view_css_changed;

  properties[PROP_SNAP] = gs_view_param_snap ();
  properties[PROP_TIMESTEP] = gs_view_param_timestep ();
  properties[PROP_LAYER] = gs_view_param_layer ();
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

  self->timestep = -1;
  self->hover_unit = -1;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

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

GsSnap *
gs_cell_view_get_snap (GsCellView *self)
{
  g_return_val_if_fail (GS_IS_CELL_VIEW (self), NULL);

  return self->snap;
}

void
gs_cell_view_set_snap (GsCellView *self,
                       GsSnap     *snap)
{
  g_return_if_fail (GS_IS_CELL_VIEW (self));

  if (self->snap == snap)
    return;

  g_clear_pointer (&self->snap, gs_snap_unref);
  if (snap != NULL)
    self->snap = gs_snap_ref (snap);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAP]);
  gs_cell_view_invalidate (self);
}

int
gs_cell_view_get_timestep (GsCellView *self)
{
  g_return_val_if_fail (GS_IS_CELL_VIEW (self), -1);

  return self->timestep;
}

void
gs_cell_view_set_timestep (GsCellView *self,
                           int         timestep)
{
  g_return_if_fail (GS_IS_CELL_VIEW (self));
  g_return_if_fail (timestep >= -1);

  if (self->timestep == timestep)
    return;

  self->timestep = timestep;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESTEP]);
  gs_cell_view_invalidate (self);
}

int
gs_cell_view_get_layer (GsCellView *self)
{
  g_return_val_if_fail (GS_IS_CELL_VIEW (self), 0);

  return self->layer;
}

void
gs_cell_view_set_layer (GsCellView *self,
                        int         layer)
{
  g_return_if_fail (GS_IS_CELL_VIEW (self));
  g_return_if_fail (layer >= 0 && layer < GS_MAX_LAYERS);

  if (self->layer == layer)
    return;

  self->layer = layer;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
  gs_cell_view_invalidate (self);
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
  if (self->show_gradients == show_gradients)
    return;

  self->show_gradients = show_gradients;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_GRADIENTS]);
  gs_cell_view_invalidate (self);
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

  if (!gs_cell_view_layout_now (self, &lay, &s) || unit < 0 || unit >= s->cfg.H)
    return FALSE;
  for (int i = 0; i < lay.n_boxes; i++)
    if (lay.boxes[i].code == gate)
      {
        *out = gs_cell_view_unit_in_box (&lay, &lay.boxes[i], unit);
        return TRUE;
      }
  return FALSE;
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

  if (!gs_cell_view_layout_now (self, &lay, &s) ||
      (b = hit_test (&lay, s->cfg.H, x, y, &unit)) == NULL)
    return NULL;
  gs_cell_view_compute_ranges (&r, s, self->layer);
  if (b->kind == KIND_GATE)
    return gs_cell_view_tooltip_gate (s, self->layer, self->timestep, gs_cell_view_in_gradients (self, s), b, unit);
  return gs_cell_view_tooltip_state (s, self->layer, self->timestep, gs_cell_view_in_gradients (self, s), &r, b, unit);
}

