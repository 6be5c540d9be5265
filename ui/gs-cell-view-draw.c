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
#include "gs-view-fixed.h"
#include "gs-view-text.h"
#include "gs-view-record.h"

/* Where the prediction (or the layer above) is, in the right column. */
#define PRED_Y   170.0
#define PRED_H   56.0
#define PRED_PAD 6.0     /* base units, the least margin of its text */

typedef struct {
  GsCellView       *self;
  const GsSnapshot *s;
  const Layout     *lay;
  GtkSnapshot      *snapshot;
  GdkRGBA           fg;
  GdkRGBA           belt;     /* c and the peepholes that carry it */
  gboolean          dark;
  int               key;      /* layer and direction (CELL_KEY) */
  double            pred_x;   /* the tag where h_t goes next (pred_tag_place ()), base units */
  double            pred_y;
  double            pred_w;
  double            pred_h;
} Ctx;

/* Text in `rgba` at base point (x, y); ax, ay = 0 left/top, 0.5 centre, 1 right/bottom. */
static void
text_at_color (Ctx           *cx,
               const GdkRGBA *rgba,
               const char    *text,
               double         base_px,
               gboolean       bold,
               double         alpha,
               double         x,
               double         y,
               double         ax,
               double         ay)
{
  /* Type grows with the diagram, never below its base size. */
  g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (cx->self), text,
                                                       MAX (base_px, base_px * cx->lay->s), bold);
  GdkRGBA color = gs_view_with_alpha (rgba, alpha);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gs_view_text_append (cx->snapshot, layout,
                       cx->lay->ox + cx->lay->s * x - ax * w,
                       cx->lay->oy + cx->lay->s * y - ay * h, &color);
}

/* The size in pixels `text` takes as text_at () draws it. */
static void
text_size (Ctx        *cx,
           const char *text,
           double      base_px,
           gboolean    bold,
           int        *w,
           int        *h)
{
  g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (cx->self), text,
                                                       MAX (base_px, base_px * cx->lay->s), bold);

  pango_layout_get_pixel_size (layout, w, h);
}

static int
text_width (Ctx        *cx,
            const char *text,
            double      base_px,
            gboolean    bold)
{
  int w, h;

  text_size (cx, text, base_px, bold, &w, &h);
  return w;
}

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
  text_at_color (cx, &cx->fg, text, base_px, bold, alpha, x, y, ax, ay);
}


/* A box that holds labels, for the layout tests (gs-view-record.h). */
static void
record_box (Ctx    *cx,
            double  x,
            double  y,
            double  w,
            double  h)
{
  const Layout *lay = cx->lay;

  if (gs_view_recording ())
    gs_view_record_unit (GS_VIEW_RECORD_BOX,
                         &GRAPHENE_RECT_INIT (lay->ox + lay->s * x, lay->oy + lay->s * y, lay->s * w, lay->s * h), 0);
}

/* What the tag where h_t goes next says: the prediction, or the layer
 * above; one line or two. */
typedef struct {
  char     *line[2];   /* owned; line[1] NULL for one line */
  gboolean  bold[2];
  double    alpha[2];
} PredTag;

static void
pred_tag_init (PredTag *tag,
               Ctx     *cx,
               int      t)
{
  const int layer = gs_view_get_layer (GS_VIEW (cx->self));
  const GsSnapshot *s = cx->s;

  *tag = (PredTag) { { NULL, NULL }, { FALSE, FALSE }, { 0.8, 0.8 } };
  if (layer < s->cfg.L - 1)
    tag->line[0] = g_strdup_printf (_("to layer %d"), layer + 2);
  else if (s->D == 2)
    {
      tag->line[0] = g_strdup ("[h→, h←]");
      tag->bold[0] = TRUE;
      tag->alpha[0] = 0.9;
      /* Translators: a bidirectional network predicts from both directions' h. */
      tag->line[1] = g_strdup (_("to output"));
    }
  else if (s->cfg.loss == GS_LOSS_CE && s->probs != NULL && s->task != NULL && t >= 0)
    {
      const int best = gs_view_predicted_class (s, t);

      tag->line[0] = g_strdup_printf ("ŷ = “%s”%s", gs_view_output_label (s, best),
                                      s->targets == NULL || s->targets[t] < 0 ? ""
                                      : s->targets[t] == best ? " ✓" : " ✗");
      tag->bold[0] = TRUE;
      tag->alpha[0] = 1.0;
      /* Translators: the predicted class's probability, e.g. "87 %". */
      tag->line[1] = g_strdup_printf (_("%.0f %%"), 100.0 * s->probs[(size_t) t * s->cfg.O + best]);
    }
  else if (s->cfg.loss == GS_LOSS_MSE && s->logits != NULL && t >= 0)
    {
      /* Regression: the first output's value. */
      g_autofree char *number = gs_view_format_fixed (s->logits[(size_t) t * s->cfg.O], 2);

      tag->line[0] = g_strdup_printf ("ŷ = %s", number);
      tag->bold[0] = TRUE;
      tag->alpha[0] = 1.0;
    }
  else
    tag->line[0] = g_strdup (_("output"));
}

static void
pred_tag_clear (PredTag *tag)
{
  g_clear_pointer (&tag->line[0], g_free);
  g_clear_pointer (&tag->line[1], g_free);
}

/* The tag BOX_W wide over h_t, or wider, about the same centre, where its
 * text is wider at the type's least size ("到第 2 层" at 0.65 times): it
 * stays inside the diagram; and higher where two lines need it. */
static void
pred_tag_place (Ctx           *cx,
                const PredTag *tag)
{
  double w = BOX_W, h = 2.0;   /* the lines' gap */

  for (int i = 0; i < 2; i++)
    if (tag->line[i] != NULL)
      {
        int line_w, line_h;

        text_size (cx, tag->line[i], TEXT_PX, tag->bold[i], &line_w, &line_h);
        w = MAX (w, line_w / cx->lay->s + 2 * PRED_PAD);
        h += line_h;
      }
  h = MAX (PRED_H, h / cx->lay->s + PRED_PAD);
  cx->pred_w = w;
  cx->pred_x = MIN (cx->lay->h_x + BOX_W / 2 - w / 2, cx->lay->base_w - 2.0 - w);
  cx->pred_h = h;
  cx->pred_y = PRED_Y + PRED_H / 2 - h / 2;
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

/* A small rounded tag on a wire ("tanh", "1−"); its text is drawn later.
 * The text keeps its size when the diagram is drawn small (text_at ()):
 * so does the tag around it, else "tanh" runs over its outline. */
static void
pill (cairo_t       *cr,
      const GdkRGBA *fg,
      const GdkRGBA *bg,
      double         cx,
      double         cy,
      double         w)
{
  double sx = 1.0, sy = 0.0, k;

  cairo_user_to_device_distance (cr, &sx, &sy);   /* the diagram's scale */
  k = sx > 0.0 && sx < 1.0 ? 1.0 / sx : 1.0;
  gs_view_cairo_rounded_rect (cr, cx - k * w / 2, cy - k * 12, k * w, k * 24, k * 12);
  gdk_cairo_set_source_rgba (cr, bg);
  cairo_fill_preserve (cr);
  set_fg (cr, fg, 0.85);
  cairo_stroke (cr);
}

/* CIFG: where i branches off to 1 − i, and the pill on the way up. */
#define CIFG_Y       131.0
#define CIFG_PILL_Y  100.0

/* The wires of each cell, in base units. The drawn boxes are in the layout. */
static void
draw_wires (Ctx     *cx,
            cairo_t *cr,
            const GdkRGBA *bg)
{
  const GsCell cell = cx->s->cfg.cell;
  const double card_bottom = CARD_Y + CARD_HEAD + BOX_H, card_mid = CARD_Y + CARD_HEAD + BOX_H / 2;
  const double left_r = LEFT_X + BOX_W, right_cx = RIGHT_X + BOX_W / 2, h_cx = cx->lay->h_x + BOX_W / 2;
  const GsVariant *v = &cx->s->cfg.variant;
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
      /* No riser where there is no f card (CIFG, no forget gate). */
      if (cell == GS_CELL_LSTM && i == 0 && !gs_cell_view_has_f_box (cx->s))
        continue;
      WIRE (cr, TRUE, gs_cell_view_card_cx (cell, i), BUS_Y, gs_cell_view_card_cx (cell, i), card_bottom);
      if (i < n_cards - 1)
        dot (cr, gs_cell_view_card_cx (cell, i), BUS_Y);
    }

  if (cell == GS_CELL_LSTM)
    {
      const double fx = gs_cell_view_card_cx (cell, 0), ix = gs_cell_view_card_cx (cell, 1), gx = gs_cell_view_card_cx (cell, 2);
      const double ox = gs_cell_view_card_cx (cell, 3), sx = (ix + gx) / 2, hx = 570.0;
      const gboolean has_f = gs_cell_view_has_f_box (cx->s);
      const gboolean forget = !v->no_forget_gate;

      /* c_{t−1} → ×f → + i⊙g → c_t, the conveyor belt drawn heavier; and
       * tanh(c_t) down to × o. Without a forget gate c_{t−1} runs straight
       * to the +; with CIFG the × takes 1 − i. */
      cairo_save (cr);
      cairo_set_line_width (cr, 1.6 * cairo_get_line_width (cr));
      if (forget)
        {
          WIRE (cr, TRUE, left_r, BELT_Y, fx - JUNCTION_R, BELT_Y);
          WIRE (cr, TRUE, fx + JUNCTION_R, BELT_Y, sx - JUNCTION_R, BELT_Y);
        }
      else
        WIRE (cr, TRUE, left_r, BELT_Y, sx - JUNCTION_R, BELT_Y);
      WIRE (cr, TRUE, sx + JUNCTION_R, BELT_Y, RIGHT_X, BELT_Y);
      cairo_restore (cr);
      if (has_f)
        WIRE (cr, TRUE, fx, CARD_Y, fx, BELT_Y + JUNCTION_R);
      else if (v->cifg)
        {
          /* i branches off to 1 − i and up into the forget ×. */
          WIRE (cr, FALSE, ix, CIFG_Y, fx, CIFG_Y, fx, CIFG_PILL_Y + 12.0);
          WIRE (cr, TRUE, fx, CIFG_PILL_Y - 12.0, fx, BELT_Y + JUNCTION_R);
          dot (cr, ix, CIFG_Y);
        }
      WIRE (cr, TRUE, ix, CARD_Y, ix, 112.0, sx - JUNCTION_R, 112.0);
      WIRE (cr, TRUE, gx, CARD_Y, gx, 112.0, sx + JUNCTION_R, 112.0);
      WIRE (cr, TRUE, sx, 112.0 - JUNCTION_R, sx, BELT_Y + JUNCTION_R);
      WIRE (cr, TRUE, hx, BELT_Y, hx, 121.0);
      WIRE (cr, TRUE, hx, 145.0, hx, card_mid - JUNCTION_R);
      dot (cr, hx, BELT_Y);
      WIRE (cr, TRUE, ox + BOX_W / 2, card_mid, hx - JUNCTION_R, card_mid);
      WIRE (cr, TRUE, hx, card_mid + JUNCTION_R, hx, BUS_Y, RIGHT_X, BUS_Y);
      WIRE (cr, TRUE, h_cx, BUS_Y - BOX_H / 2, h_cx, cx->pred_y + cx->pred_h);
      if (v->proj > 0)
        {
          /* m_t → W_hr → h_t */
          WIRE (cr, TRUE, RIGHT_X + BOX_W, BUS_Y, cx->lay->h_x, BUS_Y);
          pill (cr, &cx->fg, bg, (RIGHT_X + BOX_W + cx->lay->h_x) / 2, BUS_Y, 56.0);
        }

      if (forget)
        junction (cr, &cx->fg, bg, fx, BELT_Y, 'x');
      if (v->cifg)
        pill (cr, &cx->fg, bg, fx, CIFG_PILL_Y, 50.0);
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
      if (v->gru_reset_before)
        {
          /* r and h_{t−1} meet in the r ⊙ h strip, which W_hn multiplies. */
          const double rh_l = gs_cell_view_card_x (cell, 1) + BOX_W + 6.0;
          const double rh_r = gs_cell_view_card_x (cell, 2) - 6.0, rh_cx = (rh_l + rh_r) / 2;

          WIRE (cr, TRUE, rx + BOX_W / 2, card_mid, rh_l, card_mid);
          WIRE (cr, TRUE, rh_r, card_mid, gs_cell_view_card_x (cell, 2), card_mid);
          WIRE (cr, TRUE, rh_cx, BUS_Y, rh_cx, card_bottom);
          dot (cr, rh_cx, BUS_Y);
        }
      else
        WIRE (cr, TRUE, rx + BOX_W / 2, card_mid, gs_cell_view_card_x (cell, 2), card_mid);
      WIRE (cr, TRUE, right_cx, BELT_Y + BOX_H / 2, right_cx, cx->pred_y);

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

/* Peepholes, in the belt colour: c_{t−1} down into i (and f), c_t into o. */
static void
draw_peepholes (Ctx     *cx,
                cairo_t *cr)
{
  const GsCell cell = GS_CELL_LSTM;
  const double fx = gs_cell_view_card_cx (cell, 0) - PEEP_DX, ix = gs_cell_view_card_cx (cell, 1) - PEEP_DX;
  const double ox = gs_cell_view_card_cx (cell, 3) + PEEP_DX, from_prev = LEFT_X + BOX_W * 0.7;
  const double from_c = RIGHT_X + 18.0, box_bottom = BELT_Y + BOX_H / 2;

  if (cx->s->cfg.cell != GS_CELL_LSTM || !cx->s->cfg.variant.peephole)
    return;

  cairo_save (cr);
  gdk_cairo_set_source_rgba (cr, &cx->belt);
  cairo_set_dash (cr, (double[]) { 7.0, 4.0 }, 2, 0);
  WIRE (cr, FALSE, from_prev, box_bottom, from_prev, PEEP_Y_PREV, ix, PEEP_Y_PREV);
  WIRE (cr, FALSE, from_c, box_bottom, from_c, PEEP_Y_C, ox, PEEP_Y_C);
  cairo_set_dash (cr, NULL, 0, 0);
  /* The last legs solid, so that their arrowheads are whole. */
  WIRE (cr, TRUE, ix, PEEP_Y_PREV, ix, CARD_Y);
  WIRE (cr, TRUE, ox, PEEP_Y_C, ox, CARD_Y);
  if (gs_cell_view_has_f_box (cx->s))
    {
      WIRE (cr, TRUE, fx, PEEP_Y_PREV, fx, CARD_Y);
      dot (cr, fx, PEEP_Y_PREV);
    }
  cairo_restore (cr);
}

static void
draw_cards (Ctx     *cx,
            cairo_t *cr)
{
  const double lw = MAX (2.0, 2.0 * cx->lay->s) / cx->lay->s;

  for (int i = 0; i < cx->lay->n_boxes; i++)
    {
      const Box *b = &cx->lay->boxes[i];
      double h = b->kind == KIND_GATE ? CARD_HEAD + b->h : b->h;

      gs_view_cairo_rounded_rect (cr, b->bx, b->by, b->w, h, 8.0);
      record_box (cx, b->bx, b->by, b->w, h);
      set_fg (cr, &cx->fg, 0.06);
      cairo_fill_preserve (cr);
      set_fg (cr, &cx->fg, 0.5);
      cairo_set_line_width (cr, lw);
      cairo_stroke (cr);
    }
  /* The prediction tag, or the way up to the next layer. */
  gs_view_cairo_rounded_rect (cr, cx->pred_x, cx->pred_y, cx->pred_w, cx->pred_h, 8.0);
  record_box (cx, cx->pred_x, cx->pred_y, cx->pred_w, cx->pred_h);
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
  const float clip = cx->s->cfg.cell == GS_CELL_LSTM ? cx->s->cfg.variant.cell_clip : 0.0f;

  for (int i = 0; i < cx->lay->n_boxes; i++)
    {
      const Box *b = &cx->lay->boxes[i];
      GsColorRange range;
      GdkRGBA color;
      float v;

      if (!gs_cell_view_box_value (cx->s, cx->key, t, grads, r, b, 0, &v, &range))
        {
          /* Translators: a gradient backward has not reached yet. */
          g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (cx->self), _("not yet"),
                                                               MAX (TEXT_PX, TEXT_PX * cx->lay->s), FALSE);
          const graphene_rect_t box = GRAPHENE_RECT_INIT (cx->lay->ox + cx->lay->s * b->bx,
                                                          cx->lay->oy + cx->lay->s * b->by,
                                                          cx->lay->s * b->w, cx->lay->s * b->h);
          GdkRGBA faint = gs_view_with_alpha (&cx->fg, 0.6f);

          /* On two lines where one is wider than the box ("尚未到达" in a
           * small diagram: the type keeps its size). */
          pango_layout_set_width (layout, (int) ((box.size.width - 4.0f) * PANGO_SCALE));
          pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
          pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
          gs_view_text_append_centred (cx->snapshot, layout, &box, &faint);
          continue;
        }
      for (int u = 0; u < b->n_units; u++)
        {
          graphene_rect_t rect = gs_cell_view_unit_in_box (cx->lay, b, u);

          gs_cell_view_box_value (cx->s, cx->key, t, grads, r, b, u, &v, &range);
          gs_colormap_diverging (&color, v, range, cx->dark);
          gtk_snapshot_append_color (cx->snapshot, &color, &rect);
          gs_view_record_unit (GS_VIEW_RECORD_BAR, &rect, 1);

          /* A unit the cell clip held at ±clip: framed in the text colour. */
          if (b->kind == KIND_C && !grads && clip > 0.0f && fabsf (v) >= clip * (1.0f - 1e-5f))
            {
              const float lw = MAX (2.0f, 2.0f * (float) cx->lay->s);
              const GdkRGBA colors[4] = { cx->fg, cx->fg, cx->fg, cx->fg };
              const float widths[4] = { lw, lw, lw, lw };
              GskRoundedRect outline;

              gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
              gtk_snapshot_append_border (cx->snapshot, &outline, widths, colors);
            }
        }
    }

  /* The hovered unit, marked in every box that has it. */
  if (cx->self->hover_unit >= 0)
    {
      const float lw = MAX (2.0f, 2.0f * (float) cx->lay->s);
      const GdkRGBA colors[4] = { cx->fg, cx->fg, cx->fg, cx->fg };
      const float widths[4] = { lw, lw, lw, lw };

      for (int i = 0; i < cx->lay->n_boxes; i++)
        {
          graphene_rect_t rect;
          GskRoundedRect outline;

          if (cx->self->hover_unit >= cx->lay->boxes[i].n_units)
            continue;
          rect = gs_cell_view_unit_in_box (cx->lay, &cx->lay->boxes[i], cx->self->hover_unit);
          graphene_rect_inset (&rect, -lw, -lw);
          gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
          gtk_snapshot_append_border (cx->snapshot, &outline, widths, colors);
        }
    }
}

/* The caption along the top, between the labels of the states at its
 * height (cₜ₋₁ on the left, cₜ on the right): centred between them, and
 * without its first `prefix` bytes ("Gradients · ") when it does not fit
 * ("∂L/∂cₜ₋₁" is wider than "cₜ₋₁", and the type keeps its size when the
 * diagram is drawn small). `d` is the labels' "∂L/∂" or "". */
static void
caption_text (Ctx        *cx,
              const char *caption,
              gsize       prefix,
              const char *d)
{
  const Layout *lay = cx->lay;
  const double px = MAX (TEXT_PX, TEXT_PX * lay->s);
  const double top = lay->oy + lay->s * 8.0;
  double left = lay->ox, right = lay->ox + lay->s * lay->base_w;
  int w, h;

  {
    g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (cx->self), caption, px, FALSE);
    pango_layout_get_pixel_size (layout, &w, &h);
  }
  for (int i = 0; i < lay->n_boxes; i++)
    {
      const Box *b = &lay->boxes[i];
      g_autofree char *label = NULL;
      double x0, bottom;
      int lw, lh;

      if (b->kind != KIND_C_PREV && b->kind != KIND_C && b->kind != KIND_H_PREV && b->kind != KIND_H)
        continue;
      label = g_strdup_printf ("%s%s", d, b->kind == KIND_C_PREV || b->kind == KIND_H_PREV ? "cₜ₋₁" : "cₜ");
      {
        g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (cx->self), label,
                                                             MAX (LABEL_PX, LABEL_PX * lay->s), TRUE);
        pango_layout_get_pixel_size (layout, &lw, &lh);
      }
      x0 = lay->ox + lay->s * (b->bx + 2.0);
      bottom = lay->oy + lay->s * (b->by - 4.0);
      if (bottom - lh >= top + h || bottom <= top)
        continue;   /* not at the caption's height */
      if (x0 + lw / 2.0 < lay->ox + lay->s * lay->base_w / 2.0)
        left = MAX (left, x0 + lw + 8.0);
      else
        right = MIN (right, x0 - 8.0);
    }
  if (w > right - left && prefix > 0)
    {
      caption_text (cx, caption + prefix, 0, d);
      return;
    }
  text_at (cx, caption, TEXT_PX, FALSE, 0.75,
           ((left + right) / 2.0 - lay->ox) / lay->s, 8.0, 0.5, 0.0);
}

static void
draw_labels (Ctx      *cx,
             int       t,
             gboolean  grads)
{
  const int layer = gs_view_get_layer (GS_VIEW (cx->self));
  const GsSnapshot *s = cx->s;
  const GsCell cell = s->cfg.cell;
  const GsVariant *v = &s->cfg.variant;
  const gboolean rev = KEY_IS_REV (cx->key);
  const char *d = grads ? "∂L/∂" : "";
  g_autofree char *caption = NULL;

  for (int i = 0; i < cx->lay->n_boxes; i++)
    {
      const Box *b = &cx->lay->boxes[i];
      g_autofree char *label = NULL;

      if (b->kind == KIND_M || b->kind == KIND_RH)
        {
          /* Forward values in both modes: their gradients are not kept. */
          text_at (cx, b->kind == KIND_M ? "mₜ" : "r⊙h", b->kind == KIND_M ? LABEL_PX : TEXT_PX,
                   TRUE, 1.0, b->bx + 2.0, b->by - 4.0, 0.0, 1.0);
          continue;
        }

      if (b->kind == KIND_GATE)
        {
          char gate = s->gates[b->gate];
          const char *mark = grads ? "∂L/∂·" : cell == GS_CELL_RNN_RELU ? "ReLU"
                           : gs_cell_view_is_sigmoid (gate) ? "σ" : "tanh";
          int label_w, label_h;

          label = cell == GS_CELL_LSTM || cell == GS_CELL_GRU ? g_strdup_printf ("%c", gate)
                                                                : g_strdup ("hₜ");
          text_size (cx, label, LETTER_PX, TRUE, &label_w, &label_h);
          /* In the card's head, and inside the card where the head is
           * lower than the letter (a small diagram: the type keeps its size). */
          text_at (cx, label, LETTER_PX, TRUE, 1.0, b->bx + 10.0,
                   MAX (b->by + CARD_HEAD / 2 + 2, b->by + (label_h / 2.0 + 2.0) / cx->lay->s),
                   0.0, 0.5);
          /* The activation's name beside the letter, when both fit the
           * card's head (the type keeps its size when the diagram is drawn
           * small: "ntanh" in a narrow GRU cell); the legend names it too. */
          if (label_w + text_width (cx, mark, TEXT_PX, FALSE) + 6.0 <=
              (BOX_W - 19.0) * cx->lay->s)
            text_at (cx, mark, TEXT_PX, FALSE, 0.7, b->bx + BOX_W - 9.0, b->by + CARD_HEAD / 2 + 2,
                     1.0, 0.5);
          continue;
        }
      label = g_strdup_printf ("%s%s", d,
                               b->kind == KIND_C_PREV ? (rev ? "cₜ₊₁" : "cₜ₋₁") : b->kind == KIND_C ? "cₜ"
                               : b->kind == KIND_H_PREV ? (rev ? "hₜ₊₁" : "hₜ₋₁") : "hₜ");
      text_at (cx, label, LABEL_PX, TRUE, 1.0, b->bx + 2.0, b->by - 4.0, 0.0, 1.0);
    }

  /* The RNN's output wire */
  if (cell != GS_CELL_LSTM && cell != GS_CELL_GRU)
    {
      g_autofree char *formula = NULL;

      formula = g_strdup_printf ("hₜ = %s(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh)",
                                 cell == GS_CELL_RNN_RELU ? "ReLU" : "tanh");
      text_at (cx, formula, LABEL_PX, FALSE, 0.9, cx->lay->base_w / 2, 80.0, 0.5, 0.5);
    }
  if (cell == GS_CELL_LSTM)
    {
      const double fx = gs_cell_view_card_cx (cell, 0);
      const double f_mid = CARD_Y + (CARD_HEAD + BOX_H) / 2;

      text_at (cx, "tanh", TEXT_PX, FALSE, 0.9, 570.0, 133.0, 0.5, 0.5);
      /* Where the f card would be: what f is instead. */
      if (v->cifg)
        {
          text_at (cx, "1 − i", TEXT_PX, FALSE, 0.9, fx, CIFG_PILL_Y, 0.5, 0.5);
          /* Translators: CIFG, the coupled input–forget gate. */
          text_at (cx, "f = 1 − i", LABEL_PX, TRUE, 0.8, fx, f_mid, 0.5, 0.5);
          text_at (cx, _("coupled"), TEXT_PX, FALSE, 0.6, fx, f_mid + 14.0, 0.5, 0.0);
        }
      else if (v->no_forget_gate)
        {
          text_at (cx, "f ≡ 1", LABEL_PX, TRUE, 0.8, fx, f_mid, 0.5, 0.5);
          /* Translators: the LSTM of 1997 had no forget gate. */
          text_at (cx, _("no forget gate"), TEXT_PX, FALSE, 0.6, fx, f_mid + 14.0, 0.5, 0.0);
        }
      if (v->peephole)
        {
          text_at_color (cx, &cx->belt, "w_ci, w_cf", TEXT_PX, FALSE, 1.0,
                         LEFT_X + BOX_W * 0.7 + 6.0, PEEP_Y_PREV - 3.0, 0.0, 1.0);
          text_at_color (cx, &cx->belt, "w_co", TEXT_PX, FALSE, 1.0,
                         gs_cell_view_card_cx (cell, 3) + PEEP_DX - 5.0, PEEP_Y_C + 3.0, 1.0, 0.0);
        }
      if (v->cell_clip > 0.0f)
        {
          /* Translators: the cell clip, e.g. "|c| ≤ 3". */
          g_autofree char *clip = g_strdup_printf (_("|c| ≤ %g"), (double) v->cell_clip);

          text_at (cx, clip, TEXT_PX, FALSE, 0.8, RIGHT_X + BOX_W, BELT_Y - BOX_H / 2 - 4.0, 1.0, 1.0);
        }
      if (v->proj > 0)
        {
          g_autofree char *units = g_strdup_printf (_("P = %d"), s->P);

          text_at (cx, "W_hr", TEXT_PX, FALSE, 0.9, (RIGHT_X + BOX_W + cx->lay->h_x) / 2, BUS_Y, 0.5, 0.5);
          text_at (cx, units, TEXT_PX, FALSE, 0.7, cx->lay->h_x + BOX_W / 2, BUS_Y + BOX_H / 2 + 3.0, 0.5, 0.0);
        }
    }
  if (cell == GS_CELL_GRU)
    text_at (cx, "1−", TEXT_PX, FALSE, 0.9, (gs_cell_view_card_cx (cell, 1) + gs_cell_view_card_cx (cell, 2)) / 2 - 20.0,
             112.0, 0.5, 0.5);

  /* x_t: the input character for layer 0, the layer below otherwise. */
  {
    g_autofree char *input = gs_view_input_text (s, t);
    g_autofree char *x = NULL;

    if (layer > 0)
      {
        /* Translators: the input of a stacked layer is h_t of the layer below. */
        g_autofree char *below = g_strdup_printf (_("hₜ of layer %d"), layer);

        x = g_strdup ("xₜ");
        text_at (cx, below, TEXT_PX, FALSE, 0.8, MERGE_X, 392.0, 0.5, 0.0);
      }
    else if (input != NULL && s->tokens != NULL)
      x = g_strdup_printf ("xₜ = “%s”", input);
    else if (input != NULL)
      x = g_strdup_printf ("xₜ = (%s)", input);
    else
      x = g_strdup ("xₜ");
    text_at (cx, x, LABEL_PX, TRUE, 1.0, MERGE_X, 368.0, 0.5, 0.0);
  }

  /* Where h_t goes next: the prediction, or the layer above. */
  {
    const double px = cx->pred_x + cx->pred_w / 2, py = cx->pred_y + cx->pred_h / 2;
    PredTag tag;

    pred_tag_init (&tag, cx, t);
    if (tag.line[1] == NULL)
      text_at (cx, tag.line[0], TEXT_PX, tag.bold[0], tag.alpha[0], px, py, 0.5, 0.5);
    else
      {
        text_at (cx, tag.line[0], TEXT_PX, tag.bold[0], tag.alpha[0], px, py - 1, 0.5, 1.0);
        text_at (cx, tag.line[1], TEXT_PX, tag.bold[1], tag.alpha[1], px, py + 1, 0.5, 0.0);
      }
    pred_tag_clear (&tag);
  }

  /* Translators: a caption such as "LSTM · layer 1 of 2 · t = 2"; in gradient mode it starts
   * with "∂L/∂". */
  caption = g_strdup_printf (_("%s%s · layer %d of %d · t = %d"),
                             grads ? _("Gradients · ") : "",
                             cell == GS_CELL_LSTM ? "LSTM" : cell == GS_CELL_GRU ? "GRU"
                             : cell == GS_CELL_RNN_RELU ? "RNN (ReLU)" : "RNN",
                             layer + 1, s->cfg.L, t);
  if (s->D == 2)
    /* Translators: the two directions of a bidirectional layer; t runs backward in the reverse one. */
    text_at (cx, rev ? _("reverse direction ← (state from t + 1)") : _("forward direction →"),
             TEXT_PX, TRUE, 0.85, cx->lay->base_w / 2, 30.0, 0.5, 0.0);
  caption_text (cx, caption, grads ? strlen (_("Gradients · ")) : 0, d);
  if (cx->self->show_gradients && !grads)
    text_at (cx, _("(no gradient here yet: forward values)"), TEXT_PX, FALSE, 0.6,
             cx->lay->base_w / 2, s->D == 2 ? 48.0 : 30.0, 0.5, 0.0);
}

/* The units an intervention fixes at t (gs-view-fixed.h), marked over
 * their bars in every box that shows them — c_{t−1} and h_{t−1} as fixed at
 * t − 1 — with the legend when any is. */
static void
draw_fixed_marks (Ctx                *cx,
                  int                 t,
                  const GsViewColors *colors)
{
  const int layer = KEY_LAYER (cx->key), prev = gs_cell_view_prev_t (cx->s, cx->key, t);
  gboolean any = FALSE;

  if (!gs_view_has_fixed (cx->s) || KEY_IS_REV (cx->key))
    return;
  for (int i = 0; i < cx->lay->n_boxes; i++)
    {
      const Box *b = &cx->lay->boxes[i];
      int at = t;
      char q;

      switch (b->kind)
        {
        case KIND_GATE:   q = cx->s->gates[b->gate]; break;
        case KIND_C:      q = 'c'; break;
        case KIND_H:      q = 'h'; break;
        case KIND_C_PREV: q = 'c'; at = prev; break;
        case KIND_H_PREV: q = 'h'; at = prev; break;
        case KIND_M:
        case KIND_RH:
        default:          continue;
        }
      if (at < 0)
        continue;
      for (int u = 0; u < b->n_units; u++)
        {
          GsFix fix = gs_view_fixed_at (cx->s, layer, at, q, u);
          graphene_rect_t rect;

          if (fix == GS_FIX_NONE)
            continue;
          rect = gs_cell_view_unit_in_box (cx->lay, b, u);
          gs_view_append_fixed_mark (cx->snapshot, &rect, fix, colors);
          any = TRUE;
        }
    }
  /* the legend at the bottom right, beside the colour scales */
  if (any)
    {
      const float px = (float) MAX (TEXT_PX, TEXT_PX * cx->lay->s);
      const float w = gs_view_fixed_legend_width (GTK_WIDGET (cx->self), px, TRUE);

      gs_view_append_fixed_legend (cx->snapshot, GTK_WIDGET (cx->self),
                                   (float) (cx->lay->ox + (cx->lay->base_w - LEFT_X) * cx->lay->s) - w,
                                   (float) (cx->lay->oy + (BASE_H - 30.0) * cx->lay->s), px, TRUE, colors);
    }
}

/* The unit a lesson points at (gs_view_set_pointed_unit): framed in the
 * accent colour in every box that has it. */
static void
draw_pointed_unit (Ctx                *cx,
                   const GsViewColors *colors)
{
  const int unit = gs_view_get_pointed_unit (GS_VIEW (cx->self));
  const float lw = MAX (3.0f, 3.0f * (float) cx->lay->s);

  if (unit < 0)
    return;
  for (int i = 0; i < cx->lay->n_boxes; i++)
    {
      graphene_rect_t rect;

      if (unit >= cx->lay->boxes[i].n_units)
        continue;
      rect = gs_cell_view_unit_in_box (cx->lay, &cx->lay->boxes[i], unit);
      graphene_rect_inset (&rect, -lw - 1.0f, -lw - 1.0f);
      gs_view_append_frame (cx->snapshot, &rect, 2.0f, lw, &colors->accent);
    }
}

void
gs_cell_view_draw (GtkWidget          *widget,
                   GtkSnapshot        *snapshot,
                   int                 width,
                   int                 height,
                   const GsViewColors *colors)
{
  GsCellView *self = GS_CELL_VIEW (widget);
  const int layer = gs_view_get_layer (GS_VIEW (self));
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
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

      if (snap == NULL || timestep < 0)
        text = g_strdup (_("Press → to step a sequence through the cell"));
      else if (layer >= gs_snap_get (snap)->cfg.L)
        text = g_strdup_printf (_("The network has no layer %d"), layer + 1);
      else
        text = g_strdup_printf (_("t = %d is not computed yet: press → to step forward"),
                                timestep);
      hint = gs_view_text_layout (widget, text, MAX (16.0, height / 24.0), FALSE);
      gs_view_text_append_centred (snapshot, hint, &GRAPHENE_RECT_INIT (0, 0, width, height), &color);
      return;
    }

  gs_cell_view_compute_layout (&lay, s, width, height);
  gs_cell_view_compute_ranges (&r, s, gs_cell_view_key (self));
  grads = gs_cell_view_in_gradients (self, s);
  cx = (Ctx) { self, s, &lay, snapshot, colors->fg, colors->belt, colors->dark, gs_cell_view_key (self),
              0.0, 0.0, 0.0, 0.0 };
  {
    PredTag tag;

    pred_tag_init (&tag, &cx, timestep);
    pred_tag_place (&cx, &tag);
    pred_tag_clear (&tag);
  }

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
  draw_peepholes (&cx, cr);
  draw_legends (&cx, cr, grads, &r);
  cairo_destroy (cr);

  draw_units (&cx, timestep, grads, &r);
  draw_fixed_marks (&cx, timestep, colors);
  draw_pointed_unit (&cx, colors);
  draw_labels (&cx, timestep, grads);
}
