/* gs-unrolled-view.c — the network unrolled in time.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One column per timestep t, one rounded box per (t, layer), layer 0 at the
 * bottom. Read from the bottom up: the input character x_t goes into layer
 * 0, each layer hands h_t up to the next, the top layer feeds the softmax,
 * whose most probable character is written above the column in green when
 * it is the target and red when it is not. Read left to right: h (and the
 * LSTM's cell state c, in its own colour) flows on to the next timestep.
 * Each box shows its state, one small square per unit on the shared colour
 * scale. Timesteps the forward pass has not reached are outlined only.
 *
 * In the backward phase purple arrows run right to left between the
 * timesteps the gradient has reached, and a purple bar in each box grows
 * with ‖dL/dh_t‖: the gradient travelling back in time.
 *
 * Letters: T timesteps, L layers, H hidden units, O output classes.
 */

#include <math.h>

#include <glib/gi18n.h>

#include "gs-colormap.h"
#include "gs-unrolled-view.h"

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
#define BOX_RADIUS   9.0
#define LINE_WIDTH   2.5     /* px, arrows and box outlines */
#define BELT_WIDTH   4.0     /* px, the LSTM cell state c */
#define FRAME_WIDTH  3.0f    /* px, the current timestep's frame */
#define LABEL_PX     15      /* row labels, t, probabilities */
#define LETTER_PX    24      /* input and predicted characters */
#define TARGET_PX    20

struct _GsUnrolledView
{
  GtkWidget      parent_instance;

  /* owned */
  GsSnap        *snap;
  GskRenderNode *cache;          /* the last drawing, or NULL */

  /* what the cache was drawn for */
  int            cache_width;
  int            cache_height;
  GdkRGBA        cache_fg;
  GdkRGBA        cache_accent;

  int            timestep;       /* −1 = none */
  int            layer;
};

G_DEFINE_FINAL_TYPE (GsUnrolledView, gs_unrolled_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SNAP,
  PROP_TIMESTEP,
  PROP_LAYER,
  N_PROPS
};

enum {
  TIMESTEP_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Adwaita's named colours, for themes that do not define them. */
static const GdkRGBA fallback_accent = { 0.208f, 0.518f, 0.894f, 1.0f };
static const GdkRGBA fallback_success = { 0.149f, 0.635f, 0.412f, 1.0f };
static const GdkRGBA fallback_error = { 0.753f, 0.110f, 0.157f, 1.0f };

typedef struct
{
  GdkRGBA  fg;
  GdkRGBA  accent;
  GdkRGBA  success;      /* right prediction */
  GdkRGBA  error;        /* wrong prediction */
  GdkRGBA  gradient;     /* dL/dh: Adwaita purple */
  GdkRGBA  belt;         /* the cell state c: Adwaita orange */
  gboolean dark;
} Palette;

/* Where everything goes at one size. */
typedef struct
{
  int   T, L;
  float x0, col_w;                /* column 0's left edge, a column's width */
  float top, bottom;              /* the columns' vertical extent */
  float y_target, y_pred;         /* row tops, top to bottom */
  float y_box[GS_MAX_LAYERS];     /* layer k's box top */
  float y_input, y_tindex;
  float box_w, box_h;
} Geometry;

static void
get_palette (GtkWidget *widget,
             Palette   *pal)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, &pal->fg);
  if (!gtk_style_context_lookup_color (context, "accent_color", &pal->accent))
    pal->accent = fallback_accent;
  if (!gtk_style_context_lookup_color (context, "success_color", &pal->success))
    pal->success = fallback_success;
  if (!gtk_style_context_lookup_color (context, "error_color", &pal->error))
    pal->error = fallback_error;
  /* Light text means a dark background. */
  pal->dark = 0.2126f * pal->fg.red + 0.7152f * pal->fg.green + 0.0722f * pal->fg.blue > 0.5f;
  pal->gradient = pal->dark ? (GdkRGBA) { 0.863f, 0.541f, 0.867f, 1.0f }    /* purple 1 */
                            : (GdkRGBA) { 0.569f, 0.255f, 0.675f, 1.0f };   /* purple 3 */
  pal->belt = pal->dark ? (GdkRGBA) { 1.000f, 0.639f, 0.282f, 1.0f }        /* orange 2 */
                        : (GdkRGBA) { 0.902f, 0.380f, 0.000f, 1.0f };       /* orange 4 */
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            float          alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

static GskRoundedRect
rounded (float x,
         float y,
         float w,
         float h,
         float r)
{
  GskRoundedRect rr;

  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (x, y, w, h), r);
  return rr;
}

static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *text,
             int         px,
             gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *font;

  font = pango_font_description_copy (pango_context_get_font_description (
             gtk_widget_get_pango_context (widget)));
  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  return layout;
}

static void
append_layout (GtkSnapshot   *snapshot,
               PangoLayout   *layout,
               float          x,
               float          y,
               const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf (x), roundf (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* Centres a label in the box (x, y, w, h). */
static void
append_centred (GtkSnapshot   *snapshot,
                PangoLayout   *layout,
                float          x,
                float          y,
                float          w,
                float          h,
                const GdkRGBA *color)
{
  int lw, lh;

  pango_layout_get_pixel_size (layout, &lw, &lh);
  append_layout (snapshot, layout, x + (w - lw) / 2.0f, y + (h - lh) / 2.0f, color);
}

static char *
layer_label (int k)
{
  /* TRANSLATORS: a row of the unrolled network; layers count from 1 */
  return g_strdup_printf (_("layer %d"), k + 1);
}

static gboolean
compute_geometry (GsUnrolledView *self,
                  int             width,
                  int             height,
                  Geometry       *g)
{
  const GsSnapshot *s;
  const char *labels[] = { _("target"), _("predicted"), _("input"), "t" };
  float gutter = 0.0f, total, avail;
  int w, h;

  if (self->snap == NULL || width <= 0 || height <= 0)
    return FALSE;
  s = gs_snap_get (self->snap);
  if (s->T < 1 || s->cfg.L < 1)
    return FALSE;

  g->T = s->T;
  g->L = MIN (s->cfg.L, GS_MAX_LAYERS);

  /* The row labels on the left decide where the columns start. */
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autoptr(PangoLayout) layout = make_layout (GTK_WIDGET (self), labels[i], LABEL_PX, FALSE);
      pango_layout_get_pixel_size (layout, &w, &h);
      gutter = MAX (gutter, w);
    }
  for (int k = 0; k < g->L; k++)
    {
      g_autofree char *text = layer_label (k);
      g_autoptr(PangoLayout) layout = make_layout (GTK_WIDGET (self), text, LABEL_PX, FALSE);
      pango_layout_get_pixel_size (layout, &w, &h);
      gutter = MAX (gutter, w);
    }
  gutter += PAD + GUTTER_GAP;

  /* Columns share the width that is left, within [COL_MIN, COL_MAX], centred. */
  g->col_w = CLAMP ((width - gutter - PAD) / g->T, COL_MIN, COL_MAX);
  g->x0 = gutter + MAX (0.0f, (width - gutter - PAD - g->col_w * g->T) / 2.0f);
  g->box_w = roundf (g->col_w * 0.66f);

  /* Rows from the top: target, prediction, L boxes, input, t. */
  total = ROW_TARGET + ROW_PRED + ARROW_GAP * g->L + ARROW_GAP + ROW_INPUT + ROW_T;
  avail = height - 2.0f * PAD - total;
  g->box_h = roundf (CLAMP (avail / g->L, BOX_MIN, BOX_MAX));
  g->top = PAD + MAX (0.0f, (avail - g->box_h * g->L) / 2.0f);

  g->y_target = g->top;
  g->y_pred = g->y_target + ROW_TARGET;
  for (int k = g->L - 1; k >= 0; k--)
    g->y_box[k] = g->y_pred + ROW_PRED + ARROW_GAP + (g->L - 1 - k) * (g->box_h + ARROW_GAP);
  g->y_input = g->y_box[0] + g->box_h + ARROW_GAP;
  g->y_tindex = g->y_input + ROW_INPUT;
  g->bottom = g->y_tindex + ROW_T;
  return TRUE;
}

static void
column_rect (const Geometry  *g,
             int              t,
             graphene_rect_t *out)
{
  graphene_rect_init (out, roundf (g->x0 + t * g->col_w + 2.0f), roundf (g->top - 6.0f),
                      roundf (g->col_w - 4.0f), roundf (g->bottom - g->top + 10.0f));
}

static float
box_x (const Geometry *g,
       int             t)
{
  return roundf (g->x0 + t * g->col_w + (g->col_w - g->box_w) / 2.0f);
}

/* The argmax class at t. */
static int
predicted_class (const GsSnapshot *s,
                 int               t)
{
  const float *p = s->probs + (size_t) t * s->cfg.O;
  int best = 0;

  for (int o = 1; o < s->cfg.O; o++)
    if (p[o] > p[best])
      best = o;
  return best;
}

static const char *
out_label (const GsSnapshot *s,
           int               o)
{
  if (s->task != NULL && s->task->out_vocab != NULL && o >= 0 && o < s->task->O &&
      s->task->out_vocab[o] != NULL)
    return s->task->out_vocab[o];
  return "?";
}

static char *
input_label (const GsSnapshot *s,
             int               t)
{
  int token = s->tokens[t];

  if (s->task != NULL && s->task->vocab != NULL && token >= 0 && token < s->task->V &&
      s->task->vocab[token] != NULL)
    {
      /* A space would be invisible: show it as the open-box symbol. */
      if (g_strcmp0 (s->task->vocab[token], " ") == 0)
        return g_strdup ("␣");
      return g_strdup (s->task->vocab[token]);
    }
  /* Dense input: no character, just the vector's name. */
  return g_strdup_printf ("x%d", t);
}

/* The two labels of a prediction ("o" and "0.71") and the rectangle they fill. */
static void
prediction_layouts (GsUnrolledView   *self,
                    const GsSnapshot *s,
                    const Geometry   *g,
                    int               t,
                    PangoLayout     **letter,
                    PangoLayout     **prob,
                    graphene_rect_t  *rect)
{
  int o = predicted_class (s, t);
  g_autofree char *text = g_strdup_printf ("%.2f", (double) s->probs[(size_t) t * s->cfg.O + o]);
  int lw, lh, pw, ph;
  float w;

  *letter = make_layout (GTK_WIDGET (self), out_label (s, o), LETTER_PX, TRUE);
  *prob = make_layout (GTK_WIDGET (self), text, LABEL_PX + 1, TRUE);
  pango_layout_get_pixel_size (*letter, &lw, &lh);
  pango_layout_get_pixel_size (*prob, &pw, &ph);
  w = lw + 5 + pw;
  graphene_rect_init (rect, roundf (g->x0 + t * g->col_w + (g->col_w - w) / 2.0f),
                      roundf (g->y_pred + (ROW_PRED - lh) / 2.0f), w, lh);
}

static void
arrow (cairo_t *cr,
       double   x1,
       double   y1,
       double   x2,
       double   y2,
       double   line_width)
{
  double len = hypot (x2 - x1, y2 - y1);
  double head = 3.2 * line_width + 3.0;
  double ux, uy;

  if (len < 1.0)
    return;
  ux = (x2 - x1) / len;
  uy = (y2 - y1) / len;
  head = MIN (head, 0.6 * len);

  cairo_set_line_width (cr, line_width);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x2 - ux * head * 0.8, y2 - uy * head * 0.8);
  cairo_stroke (cr);

  cairo_move_to (cr, x2, y2);
  cairo_line_to (cr, x2 - ux * head - uy * head * 0.55, y2 - uy * head + ux * head * 0.55);
  cairo_line_to (cr, x2 - ux * head + uy * head * 0.55, y2 - uy * head - ux * head * 0.55);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2.0, 0.0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0.0, G_PI / 2.0);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2.0, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3.0 * G_PI / 2.0);
  cairo_close_path (cr);
}

/* y of the h, c and gradient arrows in a box of layer k. */
static float
arrow_y (const Geometry   *g,
         const GsSnapshot *s,
         int               k,
         char              which)
{
  gboolean lstm = s->cfg.cell == GS_CELL_LSTM;

  switch (which)
    {
    case 'c':
      return g->y_box[k] + 0.25f * g->box_h;
    case 'h':
      return g->y_box[k] + (lstm ? 0.55f : 0.4f) * g->box_h;
    default:  /* the gradient */
      return g->y_box[k] + (lstm ? 0.82f : 0.75f) * g->box_h;
    }
}

/* The boxes and all arrows: one cairo drawing. */
static void
draw_network (GsUnrolledView   *self,
              GtkSnapshot      *snapshot,
              const GsSnapshot *s,
              const Geometry   *g,
              const Palette    *pal,
              int               width,
              int               height)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  GdkRGBA line = with_alpha (&pal->fg, 0.6f);
  GdkRGBA dim = with_alpha (&pal->fg, 0.22f);
  GdkRGBA fill = with_alpha (&pal->fg, 0.07f);
  GdkRGBA belt_dim = with_alpha (&pal->belt, 0.3f);
  gboolean lstm = s->cfg.cell == GS_CELL_LSTM;
  gboolean backward = s->phase == GS_PHASE_BACKWARD;
  const double dash[] = { 6.0, 4.0 };

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  for (int t = 0; t < g->T; t++)
    {
      gboolean done = t < s->t_fwd;
      float bx = box_x (g, t), cx = bx + g->box_w / 2.0f;
      float col_l = g->x0 + t * g->col_w + 4.0f, col_r = g->x0 + (t + 1) * g->col_w - 4.0f;

      for (int k = 0; k < g->L; k++)
        {
          float by = g->y_box[k];

          /* The box: filled when computed, dashed outline when not. */
          rounded_rect (cr, bx, by, g->box_w, g->box_h, BOX_RADIUS);
          if (done)
            {
              gdk_cairo_set_source_rgba (cr, &fill);
              cairo_fill_preserve (cr);
              gdk_cairo_set_source_rgba (cr, &line);
            }
          else
            {
              gdk_cairo_set_source_rgba (cr, &dim);
              cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);
            }
          cairo_set_line_width (cr, LINE_WIDTH);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0.0);

          /* h (and c) from the previous timestep, or h_0 from the left edge. */
          {
            float from = t == 0 ? col_l : box_x (g, t - 1) + g->box_w + 2.0f;

            if (lstm)
              {
                gdk_cairo_set_source_rgba (cr, done ? &pal->belt : &belt_dim);
                arrow (cr, from, arrow_y (g, s, k, 'c'), bx - 2.0f, arrow_y (g, s, k, 'c'), BELT_WIDTH);
              }
            gdk_cairo_set_source_rgba (cr, done ? &line : &dim);
            arrow (cr, from, arrow_y (g, s, k, 'h'), bx - 2.0f, arrow_y (g, s, k, 'h'), LINE_WIDTH);
            if (t == g->T - 1)
              {
                if (lstm)
                  {
                    gdk_cairo_set_source_rgba (cr, done ? &pal->belt : &belt_dim);
                    arrow (cr, bx + g->box_w + 2.0f, arrow_y (g, s, k, 'c'), col_r, arrow_y (g, s, k, 'c'), BELT_WIDTH);
                  }
                gdk_cairo_set_source_rgba (cr, done ? &line : &dim);
                arrow (cr, bx + g->box_w + 2.0f, arrow_y (g, s, k, 'h'), col_r, arrow_y (g, s, k, 'h'), LINE_WIDTH);
              }
          }

          /* The gradient that has travelled from t back to t − 1. */
          if (backward && t >= s->t_bwd && t > 0)
            {
              gdk_cairo_set_source_rgba (cr, &pal->gradient);
              arrow (cr, bx - 2.0f, arrow_y (g, s, k, 'g'),
                     box_x (g, t - 1) + g->box_w + 2.0f, arrow_y (g, s, k, 'g'), LINE_WIDTH + 0.5);
            }

          /* Up: from the input (k = 0) or the layer below. */
          gdk_cairo_set_source_rgba (cr, done ? &line : &dim);
          if (k == 0)
            arrow (cr, cx, g->y_input + 4.0f, cx, by + g->box_h + 2.0f, LINE_WIDTH);
          else
            arrow (cr, cx, g->y_box[k - 1] - 2.0f, cx, by + g->box_h + 2.0f, LINE_WIDTH);
        }

      /* Up from the top layer to the prediction. */
      gdk_cairo_set_source_rgba (cr, done ? &line : &dim);
      arrow (cr, cx, g->y_box[g->L - 1] - 2.0f, cx, g->y_pred + ROW_PRED - 2.0f, LINE_WIDTH);
    }

  /* The current box of the cell view: the accent colour. */
  if (self->timestep >= 0 && self->timestep < g->T && self->layer >= 0 && self->layer < g->L)
    {
      rounded_rect (cr, box_x (g, self->timestep) - 1.5, g->y_box[self->layer] - 1.5,
                    g->box_w + 3.0, g->box_h + 3.0, BOX_RADIUS + 1.5);
      gdk_cairo_set_source_rgba (cr, &pal->accent);
      cairo_set_line_width (cr, 3.0);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

/* Inside each box: its state, one square per unit after the letter that
 * names it (c above h for the LSTM, at the height of their arrows), and in
 * the backward phase a purple bar as long as ‖dL/dh_t‖. */
static void
draw_states (GsUnrolledView   *self,
             GtkSnapshot      *snapshot,
             const GsSnapshot *s,
             const Geometry   *g,
             const Palette    *pal)
{
  const int H = s->cfg.H, T = g->T;
  gboolean lstm = s->cfg.cell == GS_CELL_LSTM;
  float strip_h = MIN (12.0f, (g->box_h - 20.0f) / (lstm ? 2.6f : 1.6f));
  g_autoptr(PangoLayout) h_name = make_layout (GTK_WIDGET (self), "h", LABEL_PX - 1, TRUE);
  g_autoptr(PangoLayout) c_name = make_layout (GTK_WIDGET (self), "c", LABEL_PX - 1, TRUE);
  g_autofree float *norms = g_new0 (float, (gsize) T * g->L);
  float max_norm = 0.0f, inner, unit_w;
  int name_w, name_h, w, h;

  pango_layout_get_pixel_size (h_name, &name_w, &name_h);
  pango_layout_get_pixel_size (c_name, &w, &h);
  name_w = MAX (name_w, w);
  inner = g->box_w - 12.0f - name_w - 3.0f;
  unit_w = inner / H;
  if (strip_h < 4.0f || unit_w <= 0.0f)
    return;

  if (s->phase == GS_PHASE_BACKWARD)
    for (int k = 0; k < g->L; k++)
      {
        gs_snapshot_dh_norms (s, k, norms + (gsize) k * T);
        for (int t = 0; t < T; t++)
          if (isfinite (norms[k * T + t]))
            max_norm = MAX (max_norm, norms[k * T + t]);
      }

  for (int k = 0; k < g->L; k++)
    {
      const GsSnapLayer *l = &s->layer[k];
      GsColorRange h_range = s->cfg.cell == GS_CELL_RNN_RELU
                           ? gs_color_range_symmetric (l->h, (gsize) T * H, 1e-6f)
                           : gs_color_range_for_gate ('h');
      GsColorRange c_range = lstm ? gs_color_range_symmetric (l->c, (gsize) T * H, 1e-6f) : h_range;
      float y_c = arrow_y (g, s, k, 'c'), y_h = arrow_y (g, s, k, 'h');

      for (int t = 0; t < T; t++)
        {
          gboolean done = t < s->t_fwd;
          float x = box_x (g, t) + 6.0f + name_w + 3.0f;
          GdkRGBA h_color = with_alpha (&pal->fg, done ? 0.85f : 0.3f);
          GdkRGBA c_color = with_alpha (&pal->belt, done ? 1.0f : 0.4f);

          append_layout (snapshot, h_name, box_x (g, t) + 6.0f, y_h - name_h / 2.0f, &h_color);
          if (lstm)
            append_layout (snapshot, c_name, box_x (g, t) + 6.0f, y_c - name_h / 2.0f, &c_color);
          if (!done)
            continue;

          for (int u = 0; u < H; u++)
            {
              GdkRGBA color;
              float x_u = x + u * unit_w, w_u = MAX (1.0f, unit_w - (unit_w >= 4.0f ? 1.0f : 0.0f));

              gs_colormap_diverging (&color, l->h[(size_t) t * H + u], h_range, pal->dark);
              gtk_snapshot_append_color (snapshot, &color,
                                         &GRAPHENE_RECT_INIT (x_u, y_h - strip_h / 2.0f, w_u, strip_h));
              if (lstm)
                {
                  gs_colormap_diverging (&color, l->c[(size_t) t * H + u], c_range, pal->dark);
                  gtk_snapshot_append_color (snapshot, &color,
                                             &GRAPHENE_RECT_INIT (x_u, y_c - strip_h / 2.0f, w_u, strip_h));
                }
            }
        }

      for (int t = s->t_bwd; max_norm > 0.0f && t < T; t++)
        {
          float n = norms[k * T + t] / max_norm;

          if (!isfinite (n))
            continue;
          gtk_snapshot_append_color (snapshot, &pal->gradient,
                                     &GRAPHENE_RECT_INIT (box_x (g, t) + 6.0f,
                                                          arrow_y (g, s, k, 'g') - 2.0f,
                                                          MAX (2.0f, roundf ((g->box_w - 12.0f) * n)), 5.0f));
        }
    }
}

static void
draw_labels (GsUnrolledView   *self,
             GtkSnapshot      *snapshot,
             const GsSnapshot *s,
             const Geometry   *g,
             const Palette    *pal)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA label = with_alpha (&pal->fg, 0.75f);
  GdkRGBA faint = with_alpha (&pal->fg, 0.55f);
  struct { const char *text; float y, h; } rows[] = {
    { _("target"), g->y_target, ROW_TARGET },
    { _("predicted"), g->y_pred, ROW_PRED },
    { _("input"), g->y_input, ROW_INPUT },
    { "t", g->y_tindex, ROW_T },
  };

  /* Row labels, right-aligned against the columns. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(PangoLayout) layout = make_layout (widget, rows[i].text, LABEL_PX, FALSE);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      append_layout (snapshot, layout, g->x0 - GUTTER_GAP - w, rows[i].y + (rows[i].h - h) / 2.0f, &label);
    }
  for (int k = 0; k < g->L; k++)
    {
      g_autofree char *text = layer_label (k);
      g_autoptr(PangoLayout) layout = make_layout (widget, text, LABEL_PX, FALSE);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      append_layout (snapshot, layout, g->x0 - GUTTER_GAP - w, g->y_box[k] + (g->box_h - h) / 2.0f, &label);

      /* In the backward phase, name the purple arrows at their height. */
      if (s->phase == GS_PHASE_BACKWARD)
        {
          g_autoptr(PangoLayout) name = make_layout (widget, "← ∂L/∂h", LABEL_PX - 1, TRUE);

          pango_layout_get_pixel_size (name, &w, &h);
          append_layout (snapshot, name, g->x0 - GUTTER_GAP - w, arrow_y (g, s, k, 'g') - h / 2.0f,
                         &pal->gradient);
        }
    }

  for (int t = 0; t < g->T; t++)
    {
      float x = g->x0 + t * g->col_w;
      gboolean current = t == self->timestep;
      g_autofree char *input = input_label (s, t);
      g_autofree char *index = g_strdup_printf ("%d", t);
      g_autoptr(PangoLayout) in_layout = make_layout (widget, input, LETTER_PX, TRUE);
      g_autoptr(PangoLayout) t_layout = make_layout (widget, index, LABEL_PX, current);
      float chip = MIN (g->box_w, 40.0f);

      /* The input character on a chip. */
      {
        GskRoundedRect clip = rounded (x + (g->col_w - chip) / 2.0f, g->y_input + 4.0f,
                                       chip, ROW_INPUT - 6.0f, 8.0f);
        gtk_snapshot_push_rounded_clip (snapshot, &clip);
      }
      {
        GdkRGBA chip_color = with_alpha (&pal->fg, 0.1f);
        gtk_snapshot_append_color (snapshot, &chip_color,
                                   &GRAPHENE_RECT_INIT (x, g->y_input, g->col_w, ROW_INPUT));
      }
      gtk_snapshot_pop (snapshot);
      append_centred (snapshot, in_layout, x, g->y_input + 4.0f, g->col_w, ROW_INPUT - 6.0f, &pal->fg);
      append_centred (snapshot, t_layout, x, g->y_tindex, g->col_w, ROW_T,
                      current ? &pal->accent : &faint);

      /* The target, when this step has one. */
      if (s->targets[t] >= 0)
        {
          g_autoptr(PangoLayout) layout = make_layout (widget, out_label (s, s->targets[t]), TARGET_PX, FALSE);
          append_centred (snapshot, layout, x, g->y_target, g->col_w, ROW_TARGET, &faint);
        }

      /* The prediction and its probability, right or wrong. */
      if (t < s->t_fwd && s->cfg.loss == GS_LOSS_CE && s->probs != NULL)
        {
          g_autoptr(PangoLayout) letter = NULL;
          g_autoptr(PangoLayout) prob = NULL;
          graphene_rect_t r;
          const GdkRGBA *color = &pal->fg;
          int lw, lh, pw, ph;

          prediction_layouts (self, s, g, t, &letter, &prob, &r);
          if (s->targets[t] >= 0)
            color = predicted_class (s, t) == s->targets[t] ? &pal->success : &pal->error;
          pango_layout_get_pixel_size (letter, &lw, &lh);
          pango_layout_get_pixel_size (prob, &pw, &ph);
          append_layout (snapshot, letter, r.origin.x, r.origin.y, color);
          /* The probability sits on the letter's baseline. */
          append_layout (snapshot, prob, r.origin.x + lw + 5,
                         r.origin.y + pango_layout_get_baseline (letter) / PANGO_SCALE
                                    - pango_layout_get_baseline (prob) / PANGO_SCALE, color);
        }
    }
}

static void
gs_unrolled_view_draw (GsUnrolledView *self,
                       GtkSnapshot    *snapshot,
                       int             width,
                       int             height,
                       const Palette  *pal)
{
  const GsSnapshot *s;
  Geometry g;

  if (!compute_geometry (self, width, height, &g))
    {
      g_autoptr(PangoLayout) hint = make_layout (GTK_WIDGET (self), _("No sequence loaded"), LABEL_PX + 3, FALSE);
      GdkRGBA hint_color = with_alpha (&pal->fg, 0.55f);

      append_centred (snapshot, hint, 0, 0, width, height, &hint_color);
      return;
    }
  s = gs_snap_get (self->snap);

  /* The current column, tinted under everything. */
  if (self->timestep >= 0 && self->timestep < g.T)
    {
      graphene_rect_t r;
      GdkRGBA tint = with_alpha (&pal->accent, 0.12f);
      GskRoundedRect clip;

      column_rect (&g, self->timestep, &r);
      clip = rounded (r.origin.x, r.origin.y, r.size.width, r.size.height, 10.0f);
      gtk_snapshot_push_rounded_clip (snapshot, &clip);
      gtk_snapshot_append_color (snapshot, &tint, &r);
      gtk_snapshot_pop (snapshot);
    }

  draw_network (self, snapshot, s, &g, pal, width, height);
  draw_states (self, snapshot, s, &g, pal);
  draw_labels (self, snapshot, s, &g, pal);

  /* And framed over everything. */
  if (self->timestep >= 0 && self->timestep < g.T)
    {
      graphene_rect_t r;
      const float widths[4] = { FRAME_WIDTH, FRAME_WIDTH, FRAME_WIDTH, FRAME_WIDTH };
      const GdkRGBA colors[4] = { pal->accent, pal->accent, pal->accent, pal->accent };
      GskRoundedRect frame;

      column_rect (&g, self->timestep, &r);
      frame = rounded (r.origin.x, r.origin.y, r.size.width, r.size.height, 10.0f);
      gtk_snapshot_append_border (snapshot, &frame, widths, colors);
    }
}

static void
gs_unrolled_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  GsUnrolledView *self = GS_UNROLLED_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  Palette pal;

  if (width <= 0 || height <= 0)
    return;

  get_palette (widget, &pal);

  if (self->cache != NULL &&
      (width != self->cache_width || height != self->cache_height ||
       !gdk_rgba_equal (&pal.fg, &self->cache_fg) || !gdk_rgba_equal (&pal.accent, &self->cache_accent)))
    g_clear_pointer (&self->cache, gsk_render_node_unref);

  if (self->cache == NULL)
    {
      GtkSnapshot *sub = gtk_snapshot_new ();

      gs_unrolled_view_draw (self, sub, width, height, &pal);
      self->cache = gtk_snapshot_free_to_node (sub);
      self->cache_width = width;
      self->cache_height = height;
      self->cache_fg = pal.fg;
      self->cache_accent = pal.accent;
    }

  if (self->cache != NULL)
    gtk_snapshot_append_node (snapshot, self->cache);
}

static void
gs_unrolled_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GsUnrolledView *self = GS_UNROLLED_VIEW (widget);
  const GsSnapshot *s = self->snap != NULL ? gs_snap_get (self->snap) : NULL;
  int T = s != NULL ? MAX (s->T, 1) : 5;
  int L = s != NULL ? CLAMP (s->cfg.L, 1, GS_MAX_LAYERS) : 2;
  float fixed = 2 * PAD + ROW_TARGET + ROW_PRED + ARROW_GAP * (L + 1) + ROW_INPUT + ROW_T;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) (120 + T * COL_MIN);
      *natural = (int) (120 + T * 96);
    }
  else
    {
      *minimum = (int) (fixed + L * BOX_MIN);
      *natural = (int) (fixed + L * 60);
    }
}

static void
gs_unrolled_view_invalidate (GsUnrolledView *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            GsUnrolledView  *self)
{
  int t = gs_unrolled_view_timestep_at (self, x, y);

  if (t >= 0)
    g_signal_emit (self, signals[TIMESTEP_ACTIVATED], 0, t);
}

static void
gs_unrolled_view_finalize (GObject *object)
{
  GsUnrolledView *self = (GsUnrolledView *) object;

  g_clear_pointer (&self->snap, gs_snap_unref);
  g_clear_pointer (&self->cache, gsk_render_node_unref);

  G_OBJECT_CLASS (gs_unrolled_view_parent_class)->finalize (object);
}

static void
gs_unrolled_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GsUnrolledView *self = GS_UNROLLED_VIEW (object);

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

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_unrolled_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GsUnrolledView *self = GS_UNROLLED_VIEW (object);

  switch (prop_id)
    {
    case PROP_SNAP:
      gs_unrolled_view_set_snap (self, g_value_get_boxed (value));
      break;

    case PROP_TIMESTEP:
      gs_unrolled_view_set_timestep (self, g_value_get_int (value));
      break;

    case PROP_LAYER:
      gs_unrolled_view_set_layer (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_unrolled_view_class_init (GsUnrolledViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gs_unrolled_view_finalize;
  object_class->get_property = gs_unrolled_view_get_property;
  object_class->set_property = gs_unrolled_view_set_property;

  widget_class->snapshot = gs_unrolled_view_snapshot;
  widget_class->measure = gs_unrolled_view_measure;

  properties[PROP_SNAP] =
    g_param_spec_boxed ("snap", NULL, NULL,
                        GS_TYPE_SNAP,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMESTEP] =
    g_param_spec_int ("timestep", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL,
                      0, GS_MAX_LAYERS - 1, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GsUnrolledView::timestep-activated:
   * @self: the view
   * @timestep: the timestep whose column was clicked
   */
  signals[TIMESTEP_ACTIVATED] =
    g_signal_new ("timestep-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "unrolledview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_unrolled_view_init (GsUnrolledView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->timestep = -1;

  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The network unrolled in time, one column per timestep"),
                                  -1);
}

GtkWidget *
gs_unrolled_view_new (void)
{
  return g_object_new (GS_TYPE_UNROLLED_VIEW, NULL);
}

GsSnap *
gs_unrolled_view_get_snap (GsUnrolledView *self)
{
  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), NULL);

  return self->snap;
}

void
gs_unrolled_view_set_snap (GsUnrolledView *self,
                           GsSnap         *snap)
{
  g_return_if_fail (GS_IS_UNROLLED_VIEW (self));

  if (self->snap == snap)
    return;

  g_clear_pointer (&self->snap, gs_snap_unref);
  if (snap != NULL)
    self->snap = gs_snap_ref (snap);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAP]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gs_unrolled_view_invalidate (self);
}

int
gs_unrolled_view_get_timestep (GsUnrolledView *self)
{
  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), -1);

  return self->timestep;
}

void
gs_unrolled_view_set_timestep (GsUnrolledView *self,
                               int             timestep)
{
  g_return_if_fail (GS_IS_UNROLLED_VIEW (self));
  g_return_if_fail (timestep >= -1);

  if (self->timestep == timestep)
    return;

  self->timestep = timestep;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESTEP]);
  gs_unrolled_view_invalidate (self);
}

int
gs_unrolled_view_get_layer (GsUnrolledView *self)
{
  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), 0);

  return self->layer;
}

void
gs_unrolled_view_set_layer (GsUnrolledView *self,
                            int             layer)
{
  g_return_if_fail (GS_IS_UNROLLED_VIEW (self));
  g_return_if_fail (layer >= 0 && layer < GS_MAX_LAYERS);

  if (self->layer == layer)
    return;

  self->layer = layer;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
  gs_unrolled_view_invalidate (self);
}

int
gs_unrolled_view_timestep_at (GsUnrolledView *self,
                              double          x,
                              double          y)
{
  Geometry g;
  int t;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), -1);

  if (!compute_geometry (self, gtk_widget_get_width (GTK_WIDGET (self)),
                         gtk_widget_get_height (GTK_WIDGET (self)), &g))
    return -1;
  if (x < g.x0 || y < g.top - 6.0f || y > g.bottom + 4.0f)
    return -1;
  t = (int) floor ((x - g.x0) / g.col_w);
  return t < g.T ? t : -1;
}

gboolean
gs_unrolled_view_get_column_rect (GsUnrolledView  *self,
                                  int              t,
                                  graphene_rect_t *out)
{
  Geometry g;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!compute_geometry (self, gtk_widget_get_width (GTK_WIDGET (self)),
                         gtk_widget_get_height (GTK_WIDGET (self)), &g) ||
      t < 0 || t >= g.T)
    return FALSE;
  column_rect (&g, t, out);
  return TRUE;
}

gboolean
gs_unrolled_view_get_prediction_rect (GsUnrolledView  *self,
                                      int              t,
                                      graphene_rect_t *out)
{
  g_autoptr(PangoLayout) letter = NULL;
  g_autoptr(PangoLayout) prob = NULL;
  const GsSnapshot *s;
  Geometry g;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!compute_geometry (self, gtk_widget_get_width (GTK_WIDGET (self)),
                         gtk_widget_get_height (GTK_WIDGET (self)), &g))
    return FALSE;
  s = gs_snap_get (self->snap);
  if (t < 0 || t >= MIN (s->t_fwd, g.T) || s->cfg.loss != GS_LOSS_CE)
    return FALSE;
  prediction_layouts (self, s, &g, t, &letter, &prob, out);
  return TRUE;
}
