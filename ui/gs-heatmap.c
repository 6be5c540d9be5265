/* gs-heatmap.c — one quantity of one layer over units × timesteps.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A grid with one column per timestep (the input character under it) and
 * one row per hidden unit, each cell coloured on the shared diverging scale:
 * the gate's natural range for a gate (0…1 around 0.5 for sigmoids, −1…1
 * for tanh), a symmetric ±max range over the whole sequence for the states
 * c and h and the gradients dh and dc. Cells not computed yet (forward not
 * there, or backward not back there) are hatched. Small on purpose: the
 * window shows a grid of them, one per gate plus c and h.
 *
 * When there are more units than pixels, a row of pixels stands for the
 * units it covers and takes the mean of their colours, as an image shown
 * smaller would: at 512 units in 100 pixels, five units a row. Every unit
 * is in exactly one row. With more timesteps than pixels, a column shows
 * the timestep in its middle: the cost of a frame stays that of a grid of
 * pixels × units, however long the sequence.
 *
 * Letters: T timesteps, H hidden units, G gates.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-view-describe.h"
#include "gs-colormap.h"
#include "gs-heatmap.h"
#include "gs-text-drawn.h"
#include "gs-view-fixed.h"
#include "gs-view-text.h"
#include "gs-view-widget.h"

#define PAD          6.0f    /* px, around everything */
#define TITLE_PX     15
#define LABEL_PX     14      /* unit and t labels, legend numbers */
#define LETTER_PX    18      /* the input characters */
#define LEGEND_W     36.0f   /* px, the legend's colour bar */
#define LEGEND_H     10.0f
#define FRAME_WIDTH  3.0f    /* px, the current timestep's outline */
#define HATCH_STEP   8.0     /* px, between hatching lines */

struct _GsHeatmap
{
  GsView         parent_instance;

  /* owned */
  char          *quantity;
  int            direction;     /* 0 forward, 1 the reverse direction of a bidirectional layer */
};

G_DEFINE_FINAL_TYPE (GsHeatmap, gs_heatmap, GS_TYPE_VIEW)

enum {
  PROP_0,
  PROP_QUANTITY,
  N_PROPS
};

enum {
  TIMESTEP_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const struct {
  const char *name;
  const char *title;
} quantities[] = {
  { "i",  N_("input gate i") },
  { "f",  N_("forget gate f") },
  { "g",  N_("candidate g") },
  { "o",  N_("output gate o") },
  { "r",  N_("reset gate r") },
  { "z",  N_("update gate z") },
  { "n",  N_("candidate n") },
  { "c",  N_("cell state c") },
  { "h",  N_("hidden state h") },
  { "dh", N_("gradient ∂L/∂h") },
  { "dc", N_("gradient ∂L/∂c") },
};

/* What the map reads for its quantity from one layer of a snapshot. */
typedef struct
{
  const float *values;    /* element (t, u) at values[t * stride + u] */
  size_t       stride;
  int          n_units;   /* H, or P for h and dL/dh with a projection */
  int          t_begin;   /* computed timesteps: [t_begin, t_end) */
  int          t_end;
  GsColorRange range;
} Source;

/* Where everything goes at one size. */
typedef struct
{
  int   T, H;
  float x0, y0;            /* the grid's top-left corner */
  float cell_w, cell_h;    /* one timestep, one unit: under a pixel when many */
  int   cols, rows;        /* what is drawn: T × H, or fewer, a pixel or more each */
  float title_y;
  float letters_y, index_y;
} Geometry;

const char *
gs_heatmap_quantity_title (const char *quantity)
{
  for (guint i = 0; quantity != NULL && i < G_N_ELEMENTS (quantities); i++)
    if (strcmp (quantities[i].name, quantity) == 0)
      return _(quantities[i].title);
  return NULL;
}

/* Finds the quantity in layer k of s; FALSE when the cell has no such thing. */
static gboolean
get_source (const GsSnapshot *s,
            int               k,
            int               d,
            const char       *quantity,
            Source           *src)
{
  const GsSnapLayer *l;
  const int T = s->T, H = s->cfg.H, P = s->P > 0 ? s->P : H;
  const float *v = NULL;
  gboolean gradient = FALSE;

  if (k < 0 || k >= s->cfg.L || quantity == NULL)
    return FALSE;
  d = d == 1 && s->D == 2 ? 1 : 0;
  l = d ? &s->rev[k] : &s->layer[k];
  src->stride = (size_t) H;
  src->n_units = H;

  /* h and dL/dh: (T, P) */
  if (strcmp (quantity, "h") == 0)
    v = l->h, src->stride = P, src->n_units = P;
  else if (strcmp (quantity, "c") == 0)
    v = l->c;
  else if (strcmp (quantity, "dh") == 0)
    v = l->dh, gradient = TRUE, src->stride = P, src->n_units = P;
  else if (strcmp (quantity, "dc") == 0)
    v = l->dc, gradient = TRUE;
  else if (strlen (quantity) == 1 && strchr (s->gates, quantity[0]) != NULL)
    {
      /* gate g of unit u at t: act[t*G*H + g*H + u] */
      int gate = (int) (strchr (s->gates, quantity[0]) - s->gates);

      src->values = l->act + (size_t) gate * H;
      src->stride = (size_t) s->G * H;
      src->t_begin = 0;
      src->t_end = MIN (gs_snapshot_values_end (s, k, d), T);
      src->range = gs_color_range_for_gate (quantity[0]);
      return TRUE;
    }
  if (v == NULL)
    return FALSE;

  src->values = v;
  src->t_begin = gradient ? CLAMP (gs_snapshot_grads_begin (s, k, d), 0, T) : 0;
  src->t_end = gradient ? T : MIN (gs_snapshot_values_end (s, k, d), T);
  /* ±max over the whole sequence; what is not computed is zero. */
  src->range = gs_color_range_symmetric (v, (gsize) T * src->n_units, 1e-6f);
  return TRUE;
}

static void
compute_geometry (GsHeatmap        *self,
                  const GsSnapshot *s,
                  int               n_units,
                  int               width,
                  int               height,
                  Geometry         *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autofree char *last_unit = g_strdup_printf ("%d", MAX (n_units - 1, 0));
  g_autoptr(PangoLayout) title = gs_view_text_layout (widget, "Ag", TITLE_PX, TRUE);
  g_autoptr(PangoLayout) unit = gs_view_text_layout (widget, last_unit, LABEL_PX, FALSE);
  g_autoptr(PangoLayout) letter = gs_view_text_layout (widget, "Ag", LETTER_PX, TRUE);
  g_autoptr(PangoLayout) index = gs_view_text_layout (widget, "0", LABEL_PX, FALSE);
  int title_h, unit_w, unit_h, letter_h, index_h, w;

  pango_layout_get_pixel_size (title, &w, &title_h);
  pango_layout_get_pixel_size (unit, &unit_w, &unit_h);
  pango_layout_get_pixel_size (letter, &w, &letter_h);
  pango_layout_get_pixel_size (index, &w, &index_h);

  g->T = s->T;
  g->H = n_units;
  g->title_y = PAD;
  /* Left: the rotated word "unit", then the unit numbers. */
  g->x0 = PAD + unit_h + 4.0f + unit_w + 4.0f;
  g->y0 = PAD + title_h + 6.0f;
  g->cell_w = (width - PAD - g->x0) / g->T;
  g->cell_h = (height - PAD - letter_h - index_h - 2.0f - g->y0) / g->H;
  g->letters_y = g->y0 + g->cell_h * g->H + 2.0f;
  g->index_y = g->letters_y + letter_h - 3.0f;
  /* A pixel or more for each drawn row and column. */
  g->cols = g->cell_w >= 1.0f ? g->T : (int) floorf (g->cell_w * g->T);
  g->rows = g->cell_h >= 1.0f ? g->H : (int) floorf (g->cell_h * g->H);
}

/* Whether there is a grid to draw at all. */
static gboolean
has_grid (const Geometry *g)
{
  return g->cols >= 1 && g->rows >= 1;
}

/* Drawn column c, row r: the cell of (t, u) when every cell has its own, with a
 * one-pixel gap when there is room; otherwise whole pixels, edge to edge. */
static graphene_rect_t
bin_rect (const Geometry *g,
          int             c,
          int             r)
{
  float x0, x1, y0, y1;

  if (g->cols == g->T && g->rows == g->H)
    {
      float gap_x = g->cell_w >= 6.0f ? 1.0f : 0.0f;
      float gap_y = g->cell_h >= 6.0f ? 1.0f : 0.0f;

      return GRAPHENE_RECT_INIT (g->x0 + c * g->cell_w, g->y0 + r * g->cell_h,
                                 g->cell_w - gap_x, g->cell_h - gap_y);
    }
  x0 = roundf (g->x0 + (float) c * g->cell_w * g->T / g->cols);
  x1 = roundf (g->x0 + (float) (c + 1) * g->cell_w * g->T / g->cols);
  y0 = roundf (g->y0 + (float) r * g->cell_h * g->H / g->rows);
  y1 = roundf (g->y0 + (float) (r + 1) * g->cell_h * g->H / g->rows);
  if (g->cols == g->T && g->cell_w >= 6.0f)
    x1 -= 1.0f;
  if (g->rows == g->H && g->cell_h >= 6.0f)
    y1 -= 1.0f;
  return GRAPHENE_RECT_INIT (x0, y0, MAX (x1 - x0, 1.0f), MAX (y1 - y0, 1.0f));
}

/* The timestep drawn column c shows: the middle one of its computed
 * timesteps; −1 when none is computed. */
static int
column_timestep (const Geometry *g,
                 const Source   *src,
                 int             c)
{
  int t0, t1;

  gs_colormap_bin_span (c, g->cols, g->T, &t0, &t1);
  t0 = MAX (t0, src->t_begin);
  t1 = MIN (t1, src->t_end);
  return t0 < t1 ? (t0 + t1 - 1) / 2 : -1;
}

/* The mean colour of drawn row r's units at timestep t. */
static void
bin_color (const Geometry *g,
           const Source   *src,
           int             t,
           int             r,
           gboolean        dark,
           GdkRGBA        *out)
{
  int u0, u1;

  gs_colormap_bin_span (r, g->rows, g->H, &u0, &u1);
  gs_colormap_mean (out, src->values + (size_t) t * src->stride + u0, 1, u1 - u0, src->range, dark);
}

/* 1, 2 or 5 × 10^k: the smallest stride that keeps labels `need` px apart. */
static int
label_stride (float spacing,
              float need)
{
  static const int steps[] = { 1, 2, 5 };

  for (int p = 1; p < 100000; p *= 10)
    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      if (steps[i] * p * spacing >= need)
        return steps[i] * p;
  return 100000;
}

/* The colour scale at the right end of the title row: "0 ▬ 1" for a gate,
 * "▬ ±0.97" for a symmetric range. Returns its left edge. */
static float
draw_legend (GsHeatmap          *self,
             GtkSnapshot        *snapshot,
             const GsColorRange *range,
             float               right,
             float               y,
             float               row_h,
             const GdkRGBA      *text,
             gboolean            dark)
{
  gboolean symmetric = range->centre == 0.0f && range->lo == -range->hi;
  g_autofree char *lo_text = symmetric ? g_strdup ("") : gs_view_format_compact (range->lo);
  g_autofree char *hi_short = gs_view_format_compact (range->hi);
  g_autofree char *hi_text = symmetric ? g_strdup_printf ("±%s", hi_short) : g_strdup (hi_short);
  g_autoptr(PangoLayout) lo = gs_view_text_layout (GTK_WIDGET (self), lo_text, LABEL_PX, FALSE);
  g_autoptr(PangoLayout) hi = gs_view_text_layout (GTK_WIDGET (self), hi_text, LABEL_PX, FALSE);
  GskColorStop stops[9];
  int lo_w, lo_h, hi_w, hi_h;
  float bar_x, bar_y = y + (row_h - LEGEND_H) / 2.0f;
  GdkRGBA edge = gs_view_with_alpha (text, 0.5f);

  pango_layout_get_pixel_size (lo, &lo_w, &lo_h);
  pango_layout_get_pixel_size (hi, &hi_w, &hi_h);
  bar_x = roundf (right - hi_w - 4.0f - LEGEND_W);

  for (guint i = 0; i < G_N_ELEMENTS (stops); i++)
    {
      float p = (float) i / (G_N_ELEMENTS (stops) - 1);
      float v = p < 0.5f ? range->lo + (range->centre - range->lo) * 2.0f * p
                         : range->centre + (range->hi - range->centre) * 2.0f * (p - 0.5f);

      stops[i].offset = p;
      gs_colormap_diverging (&stops[i].color, v, *range, dark);
    }
  gtk_snapshot_append_linear_gradient (snapshot,
                                       &GRAPHENE_RECT_INIT (bar_x, bar_y, LEGEND_W, LEGEND_H),
                                       &GRAPHENE_POINT_INIT (bar_x, 0),
                                       &GRAPHENE_POINT_INIT (bar_x + LEGEND_W, 0),
                                       stops, G_N_ELEMENTS (stops));
  gs_view_append_frame (snapshot, &GRAPHENE_RECT_INIT (bar_x, bar_y, LEGEND_W, LEGEND_H), 0, 1, &edge);
  gs_view_text_append (snapshot, hi, bar_x + LEGEND_W + 4.0f, y + (row_h - hi_h) / 2.0f, text);
  if (symmetric)
    return bar_x;
  gs_view_text_append (snapshot, lo, bar_x - 4.0f - lo_w, y + (row_h - lo_h) / 2.0f, text);
  return bar_x - 4.0f - lo_w;
}

/* Diagonal lines over what is not computed yet. */
static void
draw_hatching (GtkSnapshot    *snapshot,
               const Geometry *g,
               int             t0,
               int             t1,
               const GdkRGBA  *fg)
{
  graphene_rect_t r = GRAPHENE_RECT_INIT (g->x0 + t0 * g->cell_w, g->y0,
                                          (t1 - t0) * g->cell_w - 1.0f, g->H * g->cell_h - 1.0f);
  GdkRGBA back = gs_view_with_alpha (fg, 0.05f), line = gs_view_with_alpha (fg, 0.16f);
  cairo_t *cr;

  if (t1 <= t0 || r.size.width <= 0.0f || r.size.height <= 0.0f)
    return;
  gtk_snapshot_append_color (snapshot, &back, &r);
  cr = gtk_snapshot_append_cairo (snapshot, &r);
  cairo_rectangle (cr, r.origin.x, r.origin.y, r.size.width, r.size.height);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, &line);
  cairo_set_line_width (cr, 1.5);
  for (double d = -r.size.height; d < r.size.width; d += HATCH_STEP)
    {
      cairo_move_to (cr, r.origin.x + d, r.origin.y + r.size.height);
      cairo_line_to (cr, r.origin.x + d + r.size.height, r.origin.y);
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

/* The quantity whose interventions a map of `quantity` shows: its
 * gradients are those of the fixed value (a set h has dL/dh 0 there). */
static char
fixed_quantity (const char *quantity)
{
  if (quantity == NULL || quantity[0] == '\0')
    return '\0';
  return quantity[0] == 'd' && quantity[1] != '\0' ? quantity[1] : quantity[0];
}

/* What the interventions of s fix in drawn column c, row r: the strongest
 * mark of any (t, u) the bin covers. */
static GsFix
bin_fixed (const Geometry   *g,
           const GsSnapshot *s,
           int               layer,
           char              q,
           int               c,
           int               r)
{
  GsFix fix = GS_FIX_NONE;
  int t0, t1, u0, u1;

  gs_colormap_bin_span (c, g->cols, g->T, &t0, &t1);
  gs_colormap_bin_span (r, g->rows, g->H, &u0, &u1);
  for (int t = t0; t < t1 && fix != GS_FIX_VALUE; t++)
    for (int u = u0; u < u1 && fix != GS_FIX_VALUE; u++)
      fix = MAX (fix, gs_view_fixed_at (s, layer, t, q, u));
  return fix;
}

/* Whether any cell of the map is marked. */
static gboolean
any_fixed_in (const Geometry   *g,
              const GsSnapshot *s,
              int               layer,
              const char       *quantity)
{
  const char q = fixed_quantity (quantity);

  if (!gs_view_has_fixed (s) || q == '\0')
    return FALSE;
  for (int t = 0; t < g->T; t++)
    for (int u = 0; u < g->H; u++)
      if (gs_view_fixed_at (s, layer, t, q, u) != GS_FIX_NONE)
        return TRUE;
  return FALSE;
}

/* The marks on the cells the interventions fix (gs-view-fixed.h); whether
 * there was any. */
static gboolean
draw_fixed_marks (GtkSnapshot        *snapshot,
                  const Geometry     *g,
                  const GsSnapshot   *s,
                  int                 layer,
                  const char         *quantity,
                  const GsViewColors *colors)
{
  const char q = fixed_quantity (quantity);
  cairo_t *cr = NULL;

  if (!gs_view_has_fixed (s) || q == '\0')
    return FALSE;
  for (int c = 0; c < g->cols; c++)
    for (int r = 0; r < g->rows; r++)
      {
        GsFix fix = bin_fixed (g, s, layer, q, c, r);
        graphene_rect_t rect = bin_rect (g, c, r);

        if (fix == GS_FIX_NONE)
          continue;
        if (cr == NULL)
          cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (g->x0, g->y0, g->cell_w * g->T,
                                                                         g->cell_h * g->H));
        gs_view_cairo_fixed_mark (cr, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height, fix,
                                  colors);
      }
  if (cr == NULL)
    return FALSE;
  cairo_destroy (cr);
  return TRUE;
}

/* The unit a lesson points at (gs_view_set_pointed_unit): its row framed
 * in the accent colour. */
static void
draw_pointed_unit (GtkSnapshot    *snapshot,
                   const Geometry *g,
                   int             unit,
                   const GdkRGBA  *accent)
{
  graphene_rect_t first, last;
  int r;

  if (unit < 0 || unit >= g->H)
    return;
  r = gs_colormap_bin_of (unit, g->rows, g->H);
  first = bin_rect (g, 0, r);
  last = bin_rect (g, g->cols - 1, r);
  gs_view_append_frame (snapshot,
                        &GRAPHENE_RECT_INIT (first.origin.x - 4.0f, first.origin.y - 4.0f,
                                             last.origin.x + last.size.width - first.origin.x + 8.0f,
                                             first.size.height + 8.0f),
                        3.0f, FRAME_WIDTH, accent);
}

static void
gs_heatmap_draw (GtkWidget          *widget,
                 GtkSnapshot        *snapshot,
                 int                 width,
                 int                 height,
                 const GsViewColors *colors)
{
  GsHeatmap *self = GS_HEATMAP (widget);
  const int layer = gs_view_get_layer (GS_VIEW (self));
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  const GdkRGBA *fg = &colors->fg, *accent = &colors->accent;
  const gboolean dark = colors->dark;
  const char *title_text = gs_heatmap_quantity_title (self->quantity);
  GdkRGBA label = gs_view_with_alpha (fg, 0.8f), faint = gs_view_with_alpha (fg, 0.55f);
  const GsSnapshot *s;
  g_autoptr(PangoLayout) title = NULL;
  g_autofree char *rev_title = NULL;
  Source src;
  Geometry g;
  float title_right;
  gboolean any_fixed;
  int w, h;

  if (title_text == NULL)
    title_text = self->quantity != NULL ? self->quantity : "";

  if (snap == NULL)
    {
      gs_view_text_append_message (snapshot, widget, _("No sequence loaded"), LABEL_PX,
                                   &GRAPHENE_RECT_INIT (0, 0, width, height), 8.0f, &faint);
      return;
    }
  s = gs_snap_get (snap);

  if (self->direction == 1 && s->D == 2)
    {
      /* Translators: a heatmap's title ("hidden state h") when it shows the reverse direction of a bidirectional layer. */
      rev_title = g_strdup_printf (_("%s ← reverse"), title_text);
      title_text = rev_title;
    }
  title = gs_view_text_layout (widget, title_text, TITLE_PX, TRUE);
  pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);

  if (s->T < 1 || s->cfg.H < 1 || !get_source (s, layer, self->direction, self->quantity, &src))
    {
      g_autofree char *text = NULL;

      if (layer >= s->cfg.L)
        text = g_strdup_printf (_("This network has no layer %d"), layer + 1);
      else
        text = g_strdup_printf (_("This cell has no %s"), title_text);
      gs_view_text_append_message (snapshot, widget, text, LABEL_PX,
                                   &GRAPHENE_RECT_INIT (0, 0, width, height), 8.0f, &faint);
      return;
    }

  compute_geometry (self, s, src.n_units, width, height, &g);
  if (!has_grid (&g))
    return;
  any_fixed = any_fixed_in (&g, s, layer, self->quantity);

  /* The title, and the colour scale at the right of its row. */
  pango_layout_get_pixel_size (title, &w, &h);
  title_right = draw_legend (self, snapshot, &src.range, width - PAD, g.title_y, h, &label, dark);
  if (any_fixed)
    {
      float lw = gs_view_fixed_legend_width (widget, LABEL_PX, TRUE);

      if (title_right - 8.0f - lw > PAD + 40.0f)
        title_right -= 8.0f + gs_view_append_fixed_legend (snapshot, widget, title_right - 8.0f - lw,
                                                           g.title_y + (h - LABEL_PX * 1.2f) / 2.0f,
                                                           LABEL_PX, TRUE, colors);
    }
  pango_layout_set_width (title, (int) MAX (title_right - PAD - 8.0f, 1.0f) * PANGO_SCALE);
  gs_view_text_append (snapshot, title, PAD, g.title_y, fg);

  /* The cells: value → 0..1 on the scale → colour (the mean colour where
   * a pixel holds several units). */
  for (int c = 0; c < g.cols; c++)
    {
      const int t = column_timestep (&g, &src, c);

      for (int r = 0; t >= 0 && r < g.rows; r++)
        {
          GdkRGBA color;
          graphene_rect_t rect = bin_rect (&g, c, r);

          bin_color (&g, &src, t, r, dark, &color);
          gtk_snapshot_append_color (snapshot, &color, &rect);
        }
    }
  draw_hatching (snapshot, &g, 0, src.t_begin, fg);
  draw_hatching (snapshot, &g, src.t_end, g.T, fg);
  draw_fixed_marks (snapshot, &g, s, layer, self->quantity, colors);

  if (src.t_begin >= src.t_end)
    {
      const char *hint = src.t_begin > 0 ? _("Keep pressing → to fill")
                                         : _("Step forward (→) to fill");
      gs_view_text_append_message (snapshot, widget, hint, LABEL_PX,
                                   &GRAPHENE_RECT_INIT (g.x0, g.y0, g.cell_w * g.T, g.cell_h * g.H),
                                   8.0f, &label);
    }

  /* Unit numbers down the left, under the rotated word "unit". */
  {
    g_autoptr(PangoLayout) word = gs_view_text_layout (widget, _("unit"), LABEL_PX, FALSE);
    int stride = label_stride (g.cell_h, LABEL_PX + 2.0f);
    int ww, wh;

    for (int u = 0; u < g.H; u += stride)
      {
        g_autofree char *text = g_strdup_printf ("%d", u);
        g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);

        pango_layout_get_pixel_size (layout, &w, &h);
        gs_view_text_append (snapshot, layout, g.x0 - 4.0f - w, g.y0 + (u + 0.5f) * g.cell_h - h / 2.0f, &faint);
      }

    pango_layout_get_pixel_size (word, &ww, &wh);
    if (ww <= g.cell_h * g.H)
      {
        gtk_snapshot_save (snapshot);
        gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD, roundf (g.y0 + (g.cell_h * g.H + ww) / 2.0f)));
        gtk_snapshot_rotate (snapshot, -90.0f);
        gtk_snapshot_append_layout (snapshot, word, &faint);
        gtk_snapshot_restore (snapshot);
        gs_text_drawn (word);
      }
  }

  /* The input character and t under each column. */
  {
    int stride = 1;

    for (int t = 0; t < g.T; t++)
      {
        const char *text = gs_view_input_label (s, t);
        g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text != NULL ? text : "", LETTER_PX, TRUE);

        pango_layout_get_pixel_size (layout, &w, &h);
        stride = MAX (stride, label_stride (g.cell_w, w + 4.0f));
      }
    /* The indices must fit too: the widest is the last. */
    {
      g_autofree char *last = g_strdup_printf ("%d", g.T - 1);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, last, LABEL_PX, TRUE);

      pango_layout_get_pixel_size (layout, &w, &h);
      stride = MAX (stride, label_stride (g.cell_w, w + 6.0f));
    }
    for (int t = 0; t < g.T; t += stride)
      {
        const char *text = gs_view_input_label (s, t);
        g_autofree char *index = g_strdup_printf ("%d", t);
        g_autoptr(PangoLayout) letter = gs_view_text_layout (widget, text != NULL ? text : "", LETTER_PX, TRUE);
        g_autoptr(PangoLayout) number = gs_view_text_layout (widget, index, LABEL_PX, t == timestep);
        float cx = g.x0 + (t + 0.5f) * g.cell_w;
        const GdkRGBA *color = t == timestep ? accent : fg;

        pango_layout_get_pixel_size (letter, &w, &h);
        gs_view_text_append (snapshot, letter, cx - w / 2.0f, g.letters_y, color);
        pango_layout_get_pixel_size (number, &w, &h);
        gs_view_text_append (snapshot, number, cx - w / 2.0f, g.index_y, t == timestep ? accent : &faint);
      }
  }

  draw_pointed_unit (snapshot, &g, gs_view_get_pointed_unit (GS_VIEW (self)), accent);

  /* The current timestep, outlined. */
  if (timestep >= 0 && timestep < g.T)
    gs_view_append_frame (snapshot,
                          &GRAPHENE_RECT_INIT (roundf (g.x0 + timestep * g.cell_w - 2.0f),
                                               roundf (g.y0 - 2.0f),
                                               roundf (g.cell_w + 3.0f),
                                               roundf (g.cell_h * g.H + 3.0f)),
                          3.0f, FRAME_WIDTH, accent);
}

static void
gs_heatmap_measure_design (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 240;
    }
  else
    {
      *minimum = 120;
      *natural = 160;
    }
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            GsHeatmap       *self)
{
  int t = gs_heatmap_timestep_at (self, x, y);

  if (t >= 0)
    g_signal_emit (self, signals[TIMESTEP_ACTIVATED], 0, t);
}

static void
gs_heatmap_finalize (GObject *object)
{
  GsHeatmap *self = (GsHeatmap *) object;

  g_clear_pointer (&self->quantity, g_free);

  G_OBJECT_CLASS (gs_heatmap_parent_class)->finalize (object);
}

static void
gs_heatmap_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GsHeatmap *self = GS_HEATMAP (object);

  switch (prop_id)
    {
    case PROP_QUANTITY:
      g_value_set_string (value, self->quantity);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_heatmap_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GsHeatmap *self = GS_HEATMAP (object);

  switch (prop_id)
    {
    case PROP_QUANTITY:
      gs_heatmap_set_quantity (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_heatmap_class_init (GsHeatmapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GsViewClass *view_class = GS_VIEW_CLASS (klass);

  object_class->finalize = gs_heatmap_finalize;
  object_class->get_property = gs_heatmap_get_property;
  object_class->set_property = gs_heatmap_set_property;


  view_class->draw = gs_heatmap_draw;
  view_class->describe = gs_view_describe_heatmap;
  view_class->measure_design = gs_heatmap_measure_design;

  properties[PROP_QUANTITY] =
    g_param_spec_string ("quantity", NULL, NULL,
                         "h",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GsHeatmap::timestep-activated:
   * @self: the heatmap
   * @timestep: the timestep whose column was clicked
   */
  signals[TIMESTEP_ACTIVATED] = gs_view_signal_timestep_activated (G_TYPE_FROM_CLASS (klass));

  gtk_widget_class_set_css_name (widget_class, "heatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_heatmap_init (GsHeatmap *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->quantity = g_strdup ("h");

  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gs_heatmap_quantity_title ("h"),
                                  -1);
}

int
gs_heatmap_get_direction (GsHeatmap *self)
{
  g_return_val_if_fail (GS_IS_HEATMAP (self), 0);

  return self->direction;
}

void
gs_heatmap_set_direction (GsHeatmap *self,
                          int        direction)
{
  g_return_if_fail (GS_IS_HEATMAP (self));
  g_return_if_fail (direction == 0 || direction == 1);

  if (self->direction == direction)
    return;
  self->direction = direction;
  gs_view_queue_redraw (GS_VIEW (self));
}

GtkWidget *
gs_heatmap_new (const char *quantity)
{
  return g_object_new (GS_TYPE_HEATMAP, "quantity", quantity != NULL ? quantity : "h", NULL);
}

const char *
gs_heatmap_get_quantity (GsHeatmap *self)
{
  g_return_val_if_fail (GS_IS_HEATMAP (self), NULL);

  return self->quantity;
}

void
gs_heatmap_set_quantity (GsHeatmap  *self,
                         const char *quantity)
{
  const char *title;

  g_return_if_fail (GS_IS_HEATMAP (self));
  g_return_if_fail (quantity != NULL);

  if (g_strcmp0 (self->quantity, quantity) == 0)
    return;

  g_free (self->quantity);
  self->quantity = g_strdup (quantity);
  title = gs_heatmap_quantity_title (quantity);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title != NULL ? title : quantity,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUANTITY]);
  gs_view_queue_redraw (GS_VIEW (self));
}

/* The grid's geometry when the map draws one. */
static gboolean
current_geometry (GsHeatmap *self,
                  Geometry  *g)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  int width, height;
  const GsSnapshot *s;
  Source src;

  gs_view_get_design_size (GTK_WIDGET (self), &width, &height);
  if (snap == NULL || width <= 0 || height <= 0)
    return FALSE;
  s = gs_snap_get (snap);
  if (s->T < 1 || s->cfg.H < 1 || !get_source (s, gs_view_get_layer (GS_VIEW (self)), self->direction, self->quantity, &src))
    return FALSE;
  compute_geometry (self, s, src.n_units, width, height, g);
  return has_grid (g);
}

int
gs_heatmap_timestep_at (GsHeatmap *self,
                        double     x,
                        double     y)
{
  Geometry g;
  int t;

  g_return_val_if_fail (GS_IS_HEATMAP (self), -1);

  gs_view_to_design (GTK_WIDGET (self), &x, &y);
  if (!current_geometry (self, &g))
    return -1;
  /* The grid and the labels under it. */
  if (x < g.x0 || y < g.y0 || y > gtk_widget_get_height (GTK_WIDGET (self)) / gs_view_get_scale (GTK_WIDGET (self)))
    return -1;
  t = (int) floor ((x - g.x0) / g.cell_w);
  return t < g.T ? t : -1;
}

gboolean
gs_heatmap_get_cell_rect (GsHeatmap       *self,
                          int              t,
                          int              unit,
                          graphene_rect_t *out)
{
  Geometry g;

  g_return_val_if_fail (GS_IS_HEATMAP (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!current_geometry (self, &g) || t < 0 || t >= g.T || unit < 0 || unit >= g.H)
    return FALSE;
  *out = bin_rect (&g, gs_colormap_bin_of (t, g.cols, g.T), gs_colormap_bin_of (unit, g.rows, g.H));
  gs_view_rect_to_widget (GTK_WIDGET (self), out);
  return TRUE;
}

gboolean
gs_heatmap_get_cell_span (GsHeatmap *self,
                          int        t,
                          int        unit,
                          int       *t_first,
                          int       *t_end,
                          int       *t_shown,
                          int       *unit_first,
                          int       *unit_end)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  Source src;
  Geometry g;
  int c;

  g_return_val_if_fail (GS_IS_HEATMAP (self), FALSE);

  if (!current_geometry (self, &g) || t < 0 || t >= g.T || unit < 0 || unit >= g.H
      || !get_source (gs_snap_get (snap), gs_view_get_layer (GS_VIEW (self)), self->direction, self->quantity, &src))
    return FALSE;
  c = gs_colormap_bin_of (t, g.cols, g.T);
  gs_colormap_bin_span (c, g.cols, g.T, t_first, t_end);
  *t_shown = column_timestep (&g, &src, c);
  gs_colormap_bin_span (gs_colormap_bin_of (unit, g.rows, g.H), g.rows, g.H, unit_first, unit_end);
  return TRUE;
}
