/* gs-cell-view-draw.c — the cell diagram: cards, wires, unit bars, legends.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawing order: one cairo node for cards, wires, junctions and legends
 * (in base units, scaled); the unit cells as plain colour nodes on top, in
 * exactly the colour of their value (the pixel test relies on it); the
 * hover marks; the text, laid out by Pango at its final pixel size.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-cell-view-private.h"
#include "gs-view-text.h"

typedef struct {
  GsCellView       *self;
  const GsSnapshot *s;
  const Layout     *lay;
  GtkSnapshot      *snapshot;
  GdkRGBA           fg;
  gboolean          dark;
} Ctx;

/* Text at base point (x, y); ax, ay = 0 left/top, 0.5 centre, 1 right/bottom. */
static void
text_at (Ctx        *cx,
         const char *text,
         double      base_px,
         gboolean    bold,
         double      alpha,
         double      x,
         double      y,
         double      ax,
         double      ay)
{
  /* Type grows with the diagram, never below its base size. */
  g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (cx->self), text,
                                                       MAX (base_px, base_px * cx->lay->s), bold);
  GdkRGBA color = gs_view_with_alpha (&cx->fg, alpha);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gs_view_text_append (cx->snapshot, layout,
                       cx->lay->ox + cx->lay->s * x - ax * w,
                       cx->lay->oy + cx->lay->s * y - ay * h, &color);
}

static void
set_fg (cairo_t       *cr,
        const GdkRGBA *fg,
        double         alpha)
{
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * alpha);
}

/* A polyline through n points (x0, y0, x1, y1, …), with an arrowhead at
 * its end when `head`. */
static void
wire (cairo_t      *cr,
      gboolean      head,
      int           n,
      const double *p)
{
  double dx, dy, len, ux, uy;
  double ex = p[2 * n - 2], ey = p[2 * n - 1];

  dx = ex - p[2 * n - 4];
  dy = ey - p[2 * n - 3];
  len = hypot (dx, dy);
  ux = len > 0 ? dx / len : 0;
  uy = len > 0 ? dy / len : 0;

  cairo_move_to (cr, p[0], p[1]);
  for (int i = 1; i < n; i++)
    {
      double x = p[2 * i], y = p[2 * i + 1];

      if (i == n - 1 && head)
        {
          x -= ux * ARROW_LEN * 0.8;
          y -= uy * ARROW_LEN * 0.8;
        }
      cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);

  if (head)
    gs_view_cairo_arrowhead (cr, ex, ey, ux, uy, ARROW_LEN);
}

#define WIRE(cr, head, ...) \
  G_STMT_START { \
    const double pts_[] = { __VA_ARGS__ }; \
    wire (cr, head, G_N_ELEMENTS (pts_) / 2, pts_); \
  } G_STMT_END

static void
dot (cairo_t *cr,
     double   x,
     double   y)
{
  cairo_arc (cr, x, y, DOT_R, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* A pointwise operation: a circle with × or +. */
static void
junction (cairo_t       *cr,
          const GdkRGBA *fg,
          const GdkRGBA *bg,
          double         x,
          double         y,
          char           op)
{
  const double a = JUNCTION_R * 0.5;

  cairo_arc (cr, x, y, JUNCTION_R, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, bg);
  cairo_fill_preserve (cr);
  set_fg (cr, fg, 0.85);
  cairo_stroke (cr);
  if (op == '+')
    {
      cairo_move_to (cr, x - a, y);
      cairo_line_to (cr, x + a, y);
      cairo_move_to (cr, x, y - a);
      cairo_line_to (cr, x, y + a);
    }
  else
    {
      cairo_move_to (cr, x - a * 0.75, y - a * 0.75);
      cairo_line_to (cr, x + a * 0.75, y + a * 0.75);
      cairo_move_to (cr, x + a * 0.75, y - a * 0.75);
      cairo_line_to (cr, x - a * 0.75, y + a * 0.75);
    }
  cairo_stroke (cr);
}

/* A small rounded tag on a wire ("tanh", "1−"); its text is drawn later. */
static void
pill (cairo_t       *cr,
      const GdkRGBA *fg,
      const GdkRGBA *bg,
      double         cx,
      double         cy,
      double         w)
{
  gs_view_cairo_rounded_rect (cr, cx - w / 2, cy - 12, w, 24, 12);
  gdk_cairo_set_source_rgba (cr, bg);
  cairo_fill_preserve (cr);
  set_fg (cr, fg, 0.85);
  cairo_stroke (cr);
}

/* Where the prediction (or the layer above) is, in the right column. */
#define PRED_Y 170.0
#define PRED_H 56.0

/* The wires of each cell, in base units. The drawn boxes are in the layout. */
static void
draw_wires (Ctx     *cx,
            cairo_t *cr,
            const GdkRGBA *bg)
{
  const GsCell cell = cx->s->cfg.cell;
  const double card_bottom = CARD_Y + CARD_HEAD + BOX_H, card_mid = CARD_Y + CARD_HEAD + BOX_H / 2;
  const double left_r = LEFT_X + BOX_W, right_cx = RIGHT_X + BOX_W / 2;
  int n_cards = cell == GS_CELL_LSTM ? 4 : cell == GS_CELL_GRU ? 3 : 1;

  set_fg (cr, &cx->fg, 0.8);

  /* The bus: h_{t−1} (and x_t from below) up into every gate. */
  if (cell == GS_CELL_GRU)
    WIRE (cr, FALSE, LEFT_X + BOX_W / 2, BELT_Y + BOX_H / 2, LEFT_X + BOX_W / 2, BUS_Y,
          gs_cell_view_card_cx (cell, n_cards - 1), BUS_Y);
  else
    WIRE (cr, FALSE, left_r, BUS_Y, gs_cell_view_card_cx (cell, n_cards - 1), BUS_Y);
  WIRE (cr, FALSE, MERGE_X, 364.0, MERGE_X, BUS_Y);
  dot (cr, MERGE_X, BUS_Y);
  for (int i = 0; i < n_cards; i++)
    {
      WIRE (cr, TRUE, gs_cell_view_card_cx (cell, i), BUS_Y, gs_cell_view_card_cx (cell, i), card_bottom);
      if (i < n_cards - 1)
        dot (cr, gs_cell_view_card_cx (cell, i), BUS_Y);
    }

  if (cell == GS_CELL_LSTM)
    {
      const double fx = gs_cell_view_card_cx (cell, 0), ix = gs_cell_view_card_cx (cell, 1), gx = gs_cell_view_card_cx (cell, 2);
      const double ox = gs_cell_view_card_cx (cell, 3), sx = (ix + gx) / 2, hx = 570.0;

      /* c_{t−1} → ×f → + i⊙g → c_t, the conveyor belt drawn heavier; and
       * tanh(c_t) down to × o. */
      cairo_save (cr);
      cairo_set_line_width (cr, 1.6 * cairo_get_line_width (cr));
      WIRE (cr, TRUE, left_r, BELT_Y, fx - JUNCTION_R, BELT_Y);
      WIRE (cr, TRUE, fx + JUNCTION_R, BELT_Y, sx - JUNCTION_R, BELT_Y);
      WIRE (cr, TRUE, sx + JUNCTION_R, BELT_Y, RIGHT_X, BELT_Y);
      cairo_restore (cr);
      WIRE (cr, TRUE, fx, CARD_Y, fx, BELT_Y + JUNCTION_R);
      WIRE (cr, TRUE, ix, CARD_Y, ix, 112.0, sx - JUNCTION_R, 112.0);
      WIRE (cr, TRUE, gx, CARD_Y, gx, 112.0, sx + JUNCTION_R, 112.0);
      WIRE (cr, TRUE, sx, 112.0 - JUNCTION_R, sx, BELT_Y + JUNCTION_R);
      WIRE (cr, TRUE, hx, BELT_Y, hx, 121.0);
      WIRE (cr, TRUE, hx, 145.0, hx, card_mid - JUNCTION_R);
      dot (cr, hx, BELT_Y);
      WIRE (cr, TRUE, ox + BOX_W / 2, card_mid, hx - JUNCTION_R, card_mid);
      WIRE (cr, TRUE, hx, card_mid + JUNCTION_R, hx, BUS_Y, RIGHT_X, BUS_Y);
      WIRE (cr, TRUE, right_cx, BUS_Y - BOX_H / 2, right_cx, PRED_Y + PRED_H);

      junction (cr, &cx->fg, bg, fx, BELT_Y, 'x');
      junction (cr, &cx->fg, bg, sx, BELT_Y, '+');
      junction (cr, &cx->fg, bg, sx, 112.0, 'x');
      junction (cr, &cx->fg, bg, hx, card_mid, 'x');
      pill (cr, &cx->fg, bg, hx, 133.0, 48.0);
    }
  else if (cell == GS_CELL_GRU)
    {
      const double zx = gs_cell_view_card_cx (cell, 0), rx = gs_cell_view_card_cx (cell, 1), nx = gs_cell_view_card_cx (cell, 2);
      const double mx = (rx + nx) / 2 - 20.0;

      /* h_{t−1} → × z → + (1−z)⊙n → h_t, heavier; r into n's recurrent part. */
      cairo_save (cr);
      cairo_set_line_width (cr, 1.6 * cairo_get_line_width (cr));
      WIRE (cr, TRUE, left_r, BELT_Y, zx - JUNCTION_R, BELT_Y);
      WIRE (cr, TRUE, zx + JUNCTION_R, BELT_Y, nx - JUNCTION_R, BELT_Y);
      WIRE (cr, TRUE, nx + JUNCTION_R, BELT_Y, RIGHT_X, BELT_Y);
      cairo_restore (cr);
      WIRE (cr, TRUE, zx, CARD_Y, zx, BELT_Y + JUNCTION_R);
      WIRE (cr, TRUE, zx, 112.0, mx - 22.0, 112.0);
      dot (cr, zx, 112.0);
      WIRE (cr, TRUE, mx + 22.0, 112.0, nx - JUNCTION_R, 112.0);
      WIRE (cr, TRUE, nx, CARD_Y, nx, 112.0 + JUNCTION_R);
      WIRE (cr, TRUE, nx, 112.0 - JUNCTION_R, nx, BELT_Y + JUNCTION_R);
      WIRE (cr, TRUE, rx + BOX_W / 2, card_mid, gs_cell_view_card_x (cell, 2), card_mid);
      WIRE (cr, TRUE, right_cx, BELT_Y + BOX_H / 2, right_cx, PRED_Y);

      junction (cr, &cx->fg, bg, zx, BELT_Y, 'x');
      junction (cr, &cx->fg, bg, nx, BELT_Y, '+');
      junction (cr, &cx->fg, bg, nx, 112.0, 'x');
      pill (cr, &cx->fg, bg, mx, 112.0, 44.0);
    }
  else
    {
      WIRE (cr, TRUE, gs_cell_view_card_x (cell, 0) + BOX_W, card_mid, RIGHT_X, card_mid);
    }
}

static void
draw_cards (Ctx     *cx,
            cairo_t *cr)
{
  const double lw = MAX (2.0, 2.0 * cx->lay->s) / cx->lay->s;

  for (int i = 0; i < cx->lay->n_boxes; i++)
    {
      const Box *b = &cx->lay->boxes[i];
      double h = b->kind == KIND_GATE ? CARD_HEAD + BOX_H : BOX_H;

      gs_view_cairo_rounded_rect (cr, b->bx, b->by, BOX_W, h, 8.0);
      set_fg (cr, &cx->fg, 0.06);
      cairo_fill_preserve (cr);
      set_fg (cr, &cx->fg, 0.5);
      cairo_set_line_width (cr, lw);
      cairo_stroke (cr);
    }
  /* The prediction tag, or the way up to the next layer. */
  gs_view_cairo_rounded_rect (cr, RIGHT_X, PRED_Y, BOX_W, PRED_H, 8.0);
  set_fg (cr, &cx->fg, 0.5);
  cairo_set_dash (cr, (double[]) { 6.0, 4.0 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* The legends along the bottom: each a title, the bar and its ticks. */
static void
draw_legends (Ctx          *cx,
              cairo_t      *cr,
              gboolean      grads,
              const Ranges *r)
{
  const char *titles[3];
  GsColorRange ranges[3];
  int n = 0;
  const double font = MAX (14.0, 14.0 * cx->lay->s) / cx->lay->s;
  const double gap = 22.0, y = 380.0;
  double w = 118.0;
  double x0;

  if (grads)
    {
      titles[n] = _("∂L/∂ gate input");
      ranges[n++] = r->grad_gate;
      titles[n] = cx->s->cfg.cell == GS_CELL_LSTM ? _("∂L/∂h, ∂L/∂c") : _("∂L/∂h");
      ranges[n++] = r->grad_state;
      w = 160.0;
    }
  else
    {
      if (cx->s->cfg.cell == GS_CELL_LSTM || cx->s->cfg.cell == GS_CELL_GRU)
        {
          titles[n] = _("gates σ");
          ranges[n++] = r->gate_sigmoid;
        }
      if (cx->s->cfg.cell == GS_CELL_RNN_RELU)
        {
          titles[n] = _("ReLU, h");
          ranges[n++] = r->h;
        }
      else if (cx->s->cfg.cell == GS_CELL_LSTM && r->c.hi > r->gate_tanh.hi)
        {
          titles[n] = _("tanh, h");
          ranges[n++] = r->gate_tanh;
          titles[n] = _("cell state c");
          ranges[n++] = r->c;
        }
      else
        {
          titles[n] = cx->s->cfg.cell == GS_CELL_LSTM ? _("tanh, h, c") : _("tanh, h");
          ranges[n++] = r->gate_tanh;
        }
    }

  x0 = 396.0 - (n * w + (n - 1) * gap) / 2.0;
  for (int i = 0; i < n; i++)
    {
      double x = x0 + i * (w + gap);

      gs_colormap_draw_legend (cr, x, y, w, 12.0, ranges[i], cx->dark, &cx->fg, font);
      text_at (cx, titles[i], TEXT_PX, FALSE, 0.8, x + w / 2, y - 3.0, 0.5, 1.0);
    }
}

static void
draw_units (Ctx          *cx,
            int           t,
            gboolean      grads,
            const Ranges *r)
{
  const int H = cx->s->cfg.H;

  for (int i = 0; i < cx->lay->n_boxes; i++)
    {
      const Box *b = &cx->lay->boxes[i];
      GsColorRange range;
      GdkRGBA color;
      float v;

      if (!gs_cell_view_box_value (cx->s, cx->self->layer, t, grads, r, b, 0, &v, &range))
        {
          /* Translators: a gradient backward has not reached yet. */
          text_at (cx, _("not yet"), TEXT_PX, FALSE, 0.6,
                   b->bx + BOX_W / 2, b->by + BOX_H / 2, 0.5, 0.5);
          continue;
        }
      for (int u = 0; u < H; u++)
        {
          graphene_rect_t rect = gs_cell_view_unit_in_box (cx->lay, b, u);

          gs_cell_view_box_value (cx->s, cx->self->layer, t, grads, r, b, u, &v, &range);
          gs_colormap_diverging (&color, v, range, cx->dark);
          gtk_snapshot_append_color (cx->snapshot, &color, &rect);
        }
    }

  /* The hovered unit, marked in every box. */
  if (cx->self->hover_unit >= 0 && cx->self->hover_unit < H)
    {
      const float lw = MAX (2.0f, 2.0f * (float) cx->lay->s);
      const GdkRGBA colors[4] = { cx->fg, cx->fg, cx->fg, cx->fg };
      const float widths[4] = { lw, lw, lw, lw };

      for (int i = 0; i < cx->lay->n_boxes; i++)
        {
          graphene_rect_t rect = gs_cell_view_unit_in_box (cx->lay, &cx->lay->boxes[i], cx->self->hover_unit);
          GskRoundedRect outline;

          graphene_rect_inset (&rect, -lw, -lw);
          gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
          gtk_snapshot_append_border (cx->snapshot, &outline, widths, colors);
        }
    }
}

static void
draw_labels (Ctx      *cx,
             int       t,
             gboolean  grads)
{
  const GsSnapshot *s = cx->s;
  const GsCell cell = s->cfg.cell;
  const char *d = grads ? "∂L/∂" : "";
  g_autofree char *caption = NULL;

  for (int i = 0; i < cx->lay->n_boxes; i++)
    {
      const Box *b = &cx->lay->boxes[i];
      g_autofree char *label = NULL;

      if (b->kind == KIND_GATE)
        {
          char gate = s->gates[b->gate];
          const char *mark = grads ? "∂L/∂·" : cell == GS_CELL_RNN_RELU ? "ReLU"
                           : gs_cell_view_is_sigmoid (gate) ? "σ" : "tanh";

          label = cell == GS_CELL_LSTM || cell == GS_CELL_GRU ? g_strdup_printf ("%c", gate)
                                                                : g_strdup ("hₜ");
          text_at (cx, label, LETTER_PX, TRUE, 1.0, b->bx + 10.0, b->by + CARD_HEAD / 2 + 2, 0.0, 0.5);
          text_at (cx, mark, TEXT_PX, FALSE, 0.7, b->bx + BOX_W - 9.0, b->by + CARD_HEAD / 2 + 2,
                   1.0, 0.5);
          continue;
        }
      label = g_strdup_printf ("%s%s", d,
                               b->kind == KIND_C_PREV ? "cₜ₋₁" : b->kind == KIND_C ? "cₜ"
                               : b->kind == KIND_H_PREV ? "hₜ₋₁" : "hₜ");
      text_at (cx, label, LABEL_PX, TRUE, 1.0, b->bx + 2.0, b->by - 4.0, 0.0, 1.0);
    }

  /* The RNN's output wire */
  if (cell != GS_CELL_LSTM && cell != GS_CELL_GRU)
    {
      g_autofree char *formula = NULL;

      formula = g_strdup_printf ("hₜ = %s(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh)",
                                 cell == GS_CELL_RNN_RELU ? "ReLU" : "tanh");
      text_at (cx, formula, LABEL_PX, FALSE, 0.9, BASE_W / 2, 80.0, 0.5, 0.5);
    }
  if (cell == GS_CELL_LSTM)
    text_at (cx, "tanh", TEXT_PX, FALSE, 0.9, 570.0, 133.0, 0.5, 0.5);
  if (cell == GS_CELL_GRU)
    text_at (cx, "1−", TEXT_PX, FALSE, 0.9, (gs_cell_view_card_cx (cell, 1) + gs_cell_view_card_cx (cell, 2)) / 2 - 20.0,
             112.0, 0.5, 0.5);

  /* x_t: the input character for layer 0, the layer below otherwise. */
  {
    const char *input = gs_view_input_label (s, t);
    g_autofree char *x = NULL;

    if (cx->self->layer > 0)
      {
        /* Translators: the input of a stacked layer is h_t of the layer below. */
        g_autofree char *below = g_strdup_printf (_("hₜ of layer %d"), cx->self->layer);

        x = g_strdup ("xₜ");
        text_at (cx, below, TEXT_PX, FALSE, 0.8, MERGE_X, 392.0, 0.5, 0.0);
      }
    else if (input != NULL)
      x = g_strdup_printf ("xₜ = “%s”", input);
    else
      x = g_strdup ("xₜ");
    text_at (cx, x, LABEL_PX, TRUE, 1.0, MERGE_X, 368.0, 0.5, 0.0);
  }

  /* Where h_t goes next: the prediction, or the layer above. */
  {
    const double px = RIGHT_X + BOX_W / 2, py = PRED_Y + PRED_H / 2;

    if (cx->self->layer < s->cfg.L - 1)
      {
        g_autofree char *up = g_strdup_printf (_("to layer %d"), cx->self->layer + 2);
        text_at (cx, up, TEXT_PX, FALSE, 0.8, px, py, 0.5, 0.5);
      }
    else if (s->cfg.loss == GS_LOSS_CE && s->probs != NULL && s->task != NULL)
      {
        const int best = gs_view_predicted_class (s, t);
        g_autofree char *what = NULL;
        g_autofree char *pct = NULL;

        what = g_strdup_printf ("ŷ = “%s”%s", gs_view_output_label (s, best),
                                s->targets[t] < 0 ? "" : s->targets[t] == best ? " ✓" : " ✗");
        /* Translators: the predicted class's probability, e.g. "87 %". */
        pct = g_strdup_printf (_("%.0f %%"), 100.0 * s->probs[(size_t) t * s->cfg.O + best]);
        text_at (cx, what, TEXT_PX, TRUE, 1.0, px, py - 1, 0.5, 1.0);
        text_at (cx, pct, TEXT_PX, FALSE, 0.8, px, py + 1, 0.5, 0.0);
      }
    else
      text_at (cx, _("output"), TEXT_PX, FALSE, 0.8, px, py, 0.5, 0.5);
  }

  /* Translators: a caption such as "LSTM · layer 1 of 2 · t = 2"; in gradient mode it starts
   * with "∂L/∂". */
  caption = g_strdup_printf (_("%s%s · layer %d of %d · t = %d"),
                             grads ? _("Gradients · ") : "",
                             cell == GS_CELL_LSTM ? "LSTM" : cell == GS_CELL_GRU ? "GRU"
                             : cell == GS_CELL_RNN_RELU ? "RNN (ReLU)" : "RNN",
                             cx->self->layer + 1, s->cfg.L, t);
  text_at (cx, caption, TEXT_PX, FALSE, 0.75, BASE_W / 2, 8.0, 0.5, 0.0);
  if (cx->self->show_gradients && !grads)
    text_at (cx, _("(no gradient here yet: forward values)"), TEXT_PX, FALSE, 0.6,
             BASE_W / 2, 30.0, 0.5, 0.0);
}

void
gs_cell_view_draw (GtkWidget          *widget,
                   GtkSnapshot        *snapshot,
                   int                 width,
                   int                 height,
                   const GsViewColors *colors)
{
  GsCellView *self = GS_CELL_VIEW (widget);
  const GsSnapshot *s = gs_cell_view_get_drawable (self);
  Layout lay;
  Ranges r;
  Ctx cx;
  gboolean grads;
  GdkRGBA bg;
  cairo_t *cr;

  if (s == NULL)
    {
      /* Nothing computed at this timestep: say how to get there. */
      g_autoptr(PangoLayout) hint = NULL;
      GdkRGBA color = gs_view_with_alpha (&colors->fg, 0.55f);
      g_autofree char *text = NULL;

      if (self->snap == NULL || self->timestep < 0)
        text = g_strdup (_("Press → to step a sequence through the cell"));
      else if (self->layer >= gs_snap_get (self->snap)->cfg.L)
        text = g_strdup_printf (_("The network has no layer %d"), self->layer + 1);
      else
        text = g_strdup_printf (_("t = %d is not computed yet: press → to step forward"),
                                self->timestep);
      hint = gs_view_text_layout (widget, text, MAX (16.0, height / 24.0), FALSE);
      gs_view_text_append_centred (snapshot, hint, &GRAPHENE_RECT_INIT (0, 0, width, height), &color);
      return;
    }

  gs_cell_view_compute_layout (&lay, s, width, height);
  gs_cell_view_compute_ranges (&r, s, self->layer);
  grads = gs_cell_view_in_gradients (self, s);
  cx = (Ctx) { self, s, &lay, snapshot, colors->fg, colors->dark };

  /* Junction fills: opaque, so that the wires behind them stop at the rim. */
  bg = cx.dark ? (GdkRGBA) { 0.19f, 0.19f, 0.20f, 1.0f } : (GdkRGBA) { 0.98f, 0.98f, 0.98f, 1.0f };

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_translate (cr, lay.ox, lay.oy);
  cairo_scale (cr, lay.s, lay.s);
  cairo_set_line_width (cr, MAX (WIRE_W, WIRE_W * lay.s) / lay.s);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  draw_cards (&cx, cr);
  cairo_set_line_width (cr, MAX (WIRE_W, WIRE_W * lay.s) / lay.s);
  draw_wires (&cx, cr, &bg);
  draw_legends (&cx, cr, grads, &r);
  cairo_destroy (cr);

  draw_units (&cx, self->timestep, grads, &r);
  draw_labels (&cx, self->timestep, grads);
}
