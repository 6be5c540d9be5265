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
 * A long sequence (T columns of 44 px wider than the view) shows a focus
 * window instead: as many readable columns as fit, centred on the current
 * timestep and clamped at the ends, and under them a strip of all T steps,
 * the window outlined on it and the steps either side counted. The view's
 * width then no longer grows with T, and a click on the strip picks a step.
 *
 * Letters: T timesteps, L layers, H hidden units, O output classes.
 */

#include <math.h>

#include <glib/gi18n.h>

#include "gs-view-describe.h"
#include "gs-colormap.h"
#include "gs-unrolled-view-private.h"
#include "gs-view-text.h"

G_DEFINE_FINAL_TYPE (GsUnrolledView, gs_unrolled_view, GS_TYPE_VIEW)

enum {
  TIMESTEP_ACTIVATED,
  BOX_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Where everything goes */

char *
gs_unrolled_view_layer_label (int k)
{
  /* TRANSLATORS: a row of the unrolled network; layers count from 1 */
  return g_strdup_printf (_("layer %d"), k + 1);
}

char *
gs_unrolled_view_earlier_label (int n)
{
  /* TRANSLATORS: left of the strip of all timesteps: how many timesteps
   * come before the columns shown */
  return g_strdup_printf (ngettext ("← %d earlier", "← %d earlier", n), n);
}

char *
gs_unrolled_view_later_label (int n)
{
  /* TRANSLATORS: right of the strip of all timesteps: how many timesteps
   * come after the columns shown */
  return g_strdup_printf (ngettext ("%d later →", "%d later →", n), n);
}

static int
label_width (GsUnrolledView *self,
             const char     *text)
{
  g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (self), text, LABEL_PX, FALSE);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

/* The width of the letters h and c that name a box's states. */
static int
state_name_width (GsUnrolledView *self)
{
  g_autoptr(PangoLayout) h_name = gs_view_text_layout (GTK_WIDGET (self), "h", LABEL_PX - 1, TRUE);
  g_autoptr(PangoLayout) c_name = gs_view_text_layout (GTK_WIDGET (self), "c", LABEL_PX - 1, TRUE);
  int name_w, w, h;

  pango_layout_get_pixel_size (h_name, &name_w, &h);
  pango_layout_get_pixel_size (c_name, &w, &h);
  return MAX (name_w, w);
}

/* The width the squares of a state take in a box box_w wide. */
static float
state_width (GsUnrolledView *self,
             float           box_w)
{
  return box_w - 12.0f - state_name_width (self) - 3.0f;
}

/* Squares of UNIT_MIN px: how many go in a row `width` wide. */
static int
squares_per_row (float width)
{
  return MAX (0, (int) floorf ((width + UNIT_GAP) / (UNIT_MIN + UNIT_GAP)));
}

/* How many rows of squares a state of n units takes in a row `width` wide:
 * 1 when they fit side by side (or must be binned anyway), else up to
 * UNIT_ROWS rows of squares at least UNIT_MIN px. */
static int
state_rows (float width,
            int   n)
{
  int per_row = squares_per_row (width);
  int rows;

  if (n < 1 || per_row < 1 || per_row >= n)
    return 1;
  rows = (n + per_row - 1) / per_row;
  return rows <= UNIT_ROWS ? rows : 1;
}

/* How many rows of squares of UNIT_MIN px n units need in a row `width`
 * wide, however many (state_rows () bins them past UNIT_ROWS). */
static int
rows_of_squares (float width,
                 int   n)
{
  int per_row = squares_per_row (width);

  return per_row < 1 ? G_MAXINT : (n + per_row - 1) / per_row;
}

float
gs_unrolled_view_state_height (GsUnrolledView   *self,
                               const GsSnapshot *s,
                               float             box_w)
{
  const int P = s->P > 0 ? s->P : s->cfg.H;
  int rows = state_rows (state_width (self, box_w), MAX (P, s->cfg.cell == GS_CELL_LSTM ? s->cfg.H : 0));

  return rows * UNIT_MIN + (rows - 1) * UNIT_GAP;
}

/* The least height of a box whose states are state_h high: a margin, the
 * states (c above h for the LSTM), the gradient bar, a margin. */
static float
box_need (const GsSnapshot *s,
          float             state_h)
{
  const int states = s->cfg.cell == GS_CELL_LSTM ? 2 : 1;

  return MAX (BOX_MIN, 6.0f + states * state_h + (states - 1) * STATE_GAP + 6.0f + 5.0f + 6.0f);
}

gboolean
gs_unrolled_view_compute_geometry (GsUnrolledView *self,
                                   int             width,
                                   int             height,
                                   Geometry       *g)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  const GsSnapshot *s;
  const char *labels[] = { _("target"), _("predicted"), _("input"), "t" };
  float gutter = 0.0f, total, avail;

  if (snap == NULL || width <= 0 || height <= 0)
    return FALSE;
  s = gs_snap_get (snap);
  if (s->T < 1 || s->cfg.L < 1)
    return FALSE;

  g->T = s->T;
  g->L = MIN (s->cfg.L, GS_MAX_LAYERS);
  g->D = s->D == 2 ? 2 : 1;

  /* The row labels on the left decide where the columns start. */
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    gutter = MAX (gutter, label_width (self, labels[i]));
  for (int k = 0; k < g->L; k++)
    {
      g_autofree char *text = gs_unrolled_view_layer_label (k);
      gutter = MAX (gutter, label_width (self, text));
    }
  if (g->D == 2)
    gutter = MAX (gutter, gs_unrolled_view_reverse_gutter (self, g->L));
  gutter += PAD + GUTTER_GAP;

  /* Columns share the width that is left, within [COL_MIN, COL_MAX], centred. */
  avail = width - gutter - PAD;
  g->windowed = g->T > 1 && avail / g->T < COL_MIN;
  if (!g->windowed)
    {
      g->t0 = 0;
      g->n = g->T;
      g->col_w = CLAMP (avail / g->T, COL_MIN, COL_MAX);
    }
  else
    {
      /* Too many: as many readable columns as fit, around the current
       * timestep. The strip's "← 99 earlier" may widen the gutter. */
      g_autofree char *earlier = gs_unrolled_view_earlier_label (g->T - 1);
      int current = CLAMP (gs_view_get_timestep (GS_VIEW (self)), 0, g->T - 1);

      gutter = MAX (gutter, PAD + GUTTER_GAP + label_width (self, earlier));
      avail = width - gutter - PAD;
      g->n = CLAMP ((int) (avail / COL_FOCUS), 1, g->T - 1);
      g->col_w = CLAMP (avail / g->n, COL_MIN, COL_MAX);
      g->t0 = CLAMP (current - g->n / 2, 0, g->T - g->n);
    }
  g->x0 = gutter + MAX (0.0f, (avail - g->col_w * g->n) / 2.0f);
  g->box_w = roundf (g->col_w * BOX_SHARE);
  /* A box up to BOX_SHARE_MAX of its column where that spares its states
   * a row of squares: a narrow view (beside the cell at 1280×720) stays
   * low enough to be seen whole. */
  {
    const int n = MAX (s->P > 0 ? s->P : s->cfg.H, s->cfg.cell == GS_CELL_LSTM ? s->cfg.H : 0);
    const int rows = rows_of_squares (state_width (self, g->box_w), n);

    for (float w = g->box_w + 1.0f; rows > 1 && w <= floorf (g->col_w * BOX_SHARE_MAX); w += 1.0f)
      if (rows_of_squares (state_width (self, w), n) < rows)
        {
          g->box_w = w;
          break;
        }
  }

  /* Rows from the top: (the bidirectional legend,) target, prediction, L
   * boxes (two rows each when bidirectional, the reverse one above), input,
   * t (and the strip). A box is at least as high as its states' squares
   * need (box_need). */
  total = ROW_TARGET + ROW_PRED + ARROW_GAP * g->L + ARROW_GAP + ROW_INPUT + ROW_T
        + (g->windowed ? ROW_STRIP : 0.0f)
        + (g->D == 2 ? REV_GAP * g->L : 0.0f)
        + (g->D == 2 || s->T_dec > 0 ? ROW_LEGEND : 0.0f);
  avail = height - 2.0f * PAD - total;
  g->state_h = gs_unrolled_view_state_height (self, s, g->box_w);
  g->box_h = roundf (CLAMP (avail / (g->L * g->D), box_need (s, g->state_h), MAX (BOX_MAX, box_need (s, g->state_h))));
  g->y_legend = PAD + MAX (0.0f, (avail - g->box_h * g->L * g->D) / 2.0f);
  g->top = g->y_legend + (g->D == 2 || s->T_dec > 0 ? ROW_LEGEND : 0.0f);

  g->y_target = g->top;
  g->y_pred = g->y_target + ROW_TARGET;
  for (int k = g->L - 1; k >= 0; k--)
    {
      float y = g->y_pred + ROW_PRED + ARROW_GAP
              + (g->L - 1 - k) * (g->D * g->box_h + (g->D - 1) * REV_GAP + ARROW_GAP);

      g->y_rev[k] = y;
      g->y_box[k] = g->D == 2 ? y + g->box_h + REV_GAP : y;
    }
  g->y_input = g->y_box[0] + g->box_h + ARROW_GAP;
  g->y_tindex = g->y_input + ROW_INPUT;
  g->bottom = g->y_tindex + ROW_T;

  /* The strip: under the columns, its right end leaving room for "99 later →". */
  g->y_strip = g->bottom + ROW_STRIP - STRIP_CELL_H - 4.0f;
  g->strip_x0 = g->x0;
  g->strip_w = 0.0f;
  if (g->windowed)
    {
      g_autofree char *later = gs_unrolled_view_later_label (g->T - 1);

      g->strip_w = MAX (1.0f, g->col_w * g->n - label_width (self, later) - GUTTER_GAP);
    }
  return TRUE;
}

gboolean
gs_unrolled_view_units_whole_at (GsUnrolledView *self,
                                 int             width)
{
  GsSnap *snap;
  const GsSnapshot *s;
  Geometry g;
  int n;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), FALSE);

  snap = gs_view_get_snap (GS_VIEW (self));
  if (snap == NULL || !gs_unrolled_view_compute_geometry (self, gs_view_design_for_size (width), 1, &g))
    return FALSE;
  s = gs_snap_get (snap);
  n = MAX (s->P > 0 ? s->P : s->cfg.H, s->cfg.cell == GS_CELL_LSTM ? s->cfg.H : 0);
  return rows_of_squares (state_width (self, g.box_w), n) <= UNIT_ROWS;
}

/* Inside a box, after the letters h and c: where the state's units go
 * (`left` from the box's left edge, `inner` wide), and each strip's height;
 * FALSE when the box is too small for them. */
gboolean
gs_unrolled_view_units_area (GsUnrolledView   *self,
                             const GsSnapshot *s,
                             const Geometry   *g,
                             float            *left,
                             float            *inner,
                             float            *strip_h)
{
  (void) s;
  *left = 6.0f + state_name_width (self) + 3.0f;
  *inner = state_width (self, g->box_w);
  *strip_h = g->state_h;
  return *inner >= 1.0f;
}

/* Whether n units wrap into rows of squares in `area` (state_rows), and how:
 * `rows` rows of `cols`. */
static gboolean
unit_grid (const graphene_rect_t *area,
           int                    n,
           int                   *rows,
           int                   *cols)
{
  *rows = state_rows (area->size.width, n);
  if (*rows < 2 || area->size.height < *rows * UNIT_MIN + (*rows - 1) * UNIT_GAP - 0.5f)
    return FALSE;
  *cols = (n + *rows - 1) / *rows;
  return TRUE;
}

/* How many squares n units take in `area`: one each, or one a pixel when
 * there are more units than pixels. */
int
gs_unrolled_view_unit_bins (const graphene_rect_t *area,
                            int                    n)
{
  const float width = area->size.width;
  int rows, cols;

  if (unit_grid (area, n, &rows, &cols))
    return n;
  return width / n >= 1.0f ? n : MAX (1, (int) floorf (width));
}

/* Square b of n units in `area` and the units [first, end) it shows: rows
 * of squares of at least UNIT_MIN px when the area is as high as they
 * need (state_rows); else a square per unit side by side, with a gap when
 * there is room; else whole pixels, each the mean colour of the units it
 * stands for (gs-colormap.h), so that every unit shows. */
void
gs_unrolled_view_unit_rect (const graphene_rect_t *area,
                            int                    n,
                            int                    b,
                            graphene_rect_t       *out,
                            int                   *first,
                            int                   *end)
{
  const float x = area->origin.x, width = area->size.width, unit_w = width / n;
  const int bins = gs_unrolled_view_unit_bins (area, n);
  int rows, cols;
  float x0, x1;

  if (unit_grid (area, n, &rows, &cols))
    {
      const float w = (width - (cols - 1) * UNIT_GAP) / cols;
      const float h = (area->size.height - (rows - 1) * UNIT_GAP) / rows;

      *first = b;
      *end = b + 1;
      graphene_rect_init (out, x + (b % cols) * (w + UNIT_GAP), area->origin.y + (b / cols) * (h + UNIT_GAP), w, h);
      return;
    }
  if (bins == n)
    {
      *first = b;
      *end = b + 1;
      graphene_rect_init (out, x + b * unit_w, area->origin.y,
                          MAX (1.0f, unit_w - (unit_w >= 4.0f ? 1.0f : 0.0f)), area->size.height);
      return;
    }
  gs_colormap_bin_span (b, bins, n, first, end);
  x0 = roundf (x + b * width / bins);
  x1 = roundf (x + (b + 1) * width / bins);
  graphene_rect_init (out, x0, area->origin.y, MAX (1.0f, x1 - x0), area->size.height);
}

float
gs_unrolled_view_column_x (const Geometry *g,
                           int             t)
{
  return g->x0 + (t - g->t0) * g->col_w;
}

void
gs_unrolled_view_column_rect (const Geometry  *g,
                              int              t,
                              graphene_rect_t *out)
{
  graphene_rect_init (out, roundf (gs_unrolled_view_column_x (g, t) + 2.0f), roundf (g->top - 6.0f),
                      roundf (g->col_w - 4.0f), roundf (g->bottom - g->top + 10.0f));
}

/* The left edge of timestep t's cell in the strip, a whole pixel. */
static float
strip_cell_x (const Geometry *g,
              int             t)
{
  return floorf (g->strip_x0 + t * g->strip_w / g->T);
}

/* Timestep t's cell in the strip, at least 2 px wide however long T is. */
void
gs_unrolled_view_strip_rect (const Geometry  *g,
                             int              t,
                             graphene_rect_t *out)
{
  float x = strip_cell_x (g, t);

  graphene_rect_init (out, x, g->y_strip, MAX (2.0f, strip_cell_x (g, t + 1) - x), STRIP_CELL_H);
}

float
gs_unrolled_view_box_x (const Geometry *g,
                        int             t)
{
  return roundf (gs_unrolled_view_column_x (g, t) + (g->col_w - g->box_w) / 2.0f);
}

float
gs_unrolled_view_chip_width (GtkWidget        *widget,
                             const Geometry   *g,
                             const GsSnapshot *s,
                             int               t)
{
  const gboolean dense = s->tokens == NULL || gs_view_input_label (s, 0) == NULL;
  g_autofree char *input = gs_unrolled_view_input_label (s, t);
  g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, input, dense ? LABEL_PX : LETTER_PX, TRUE);
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);
  return gs_unrolled_view_chip_width_for (g, w);
}

float
gs_unrolled_view_chip_width_for (const Geometry *g,
                                 int             label_w)
{
  const float chip = MIN (g->box_w, 40.0f);

  return MIN (MAX (chip, (float) label_w + 10.0f), MAX (chip, g->col_w - 4.0f));
}

char *
gs_unrolled_view_input_label (const GsSnapshot *s,
                              int               t)
{
  const char *label = gs_view_input_label (s, t);

  /* Dense input: the first feature's value, else the vector's name. */
  if (label != NULL)
    return g_strdup (label);
  /* A token not known yet (a greedy pass's later decoder inputs): nothing. */
  if (s->cfg.input != GS_INPUT_DENSE && s->tokens != NULL && t >= 0 && t < s->T && s->tokens[t] < 0)
    return g_strdup ("");
  if (s->xs != NULL && s->cfg.V >= 1 && t >= 0 && t < s->T)
    return gs_view_format_fixed (s->xs[(size_t) t * s->cfg.V], 2);
  return g_strdup_printf ("x%d", t);
}

/* The two labels of a prediction ("o" and "0.71") and the rectangle they fill. */
void
gs_unrolled_view_prediction_layouts (GsUnrolledView   *self,
                                     const GsSnapshot *s,
                                     const Geometry   *g,
                                     int               t,
                                     PangoLayout     **letter,
                                     PangoLayout     **prob,
                                     graphene_rect_t  *rect)
{
  int o = gs_view_predicted_class (s, t);
  g_autofree char *text = gs_view_format_probability (s->probs[(size_t) t * s->cfg.O + o]);
  int lw, lh, pw, ph;
  float w;

  *letter = gs_view_text_layout (GTK_WIDGET (self), gs_view_output_label (s, o), LETTER_PX, TRUE);
  *prob = gs_view_text_layout (GTK_WIDGET (self), text, LABEL_PX + 1, TRUE);
  pango_layout_get_pixel_size (*letter, &lw, &lh);
  pango_layout_get_pixel_size (*prob, &pw, &ph);
  w = lw + 5 + pw;
  graphene_rect_init (rect, roundf (gs_unrolled_view_column_x (g, t) + (g->col_w - w) / 2.0f),
                      roundf (g->y_pred + (ROW_PRED - lh) / 2.0f), w, lh);
}

/* y of the h, c and gradient arrows in a box of layer k: the middle of
 * each state's squares (c above h for the LSTM) and the gradient bar
 * under them, the box's height beyond what they need shared out between
 * the margins. */
float
gs_unrolled_view_arrow_y (const Geometry   *g,
                          const GsSnapshot *s,
                          int               k,
                          char              which)
{
  const gboolean lstm = s->cfg.cell == GS_CELL_LSTM;
  const float slack = MAX (0.0f, g->box_h - box_need (s, g->state_h)) / 4.0f;
  const float y0 = g->y_box[k] + 6.0f + slack;
  const float y_c = y0 + g->state_h / 2.0f;
  const float y_h = lstm ? y_c + g->state_h + STATE_GAP + slack : y_c;

  switch (which)
    {
    case 'c':
      return y_c;
    case 'h':
      return y_h;
    default:  /* the gradient */
      return y_h + g->state_h / 2.0f + 6.0f + slack + 2.5f;
    }
}

/* The top of layer k's row in direction d (0 forward, 1 reverse). */
float
gs_unrolled_view_row_y (const Geometry *g,
                        int             k,
                        int             d)
{
  return d == 1 && g->D == 2 ? g->y_rev[k] : g->y_box[k];
}

/* y of the h, c and gradient arrows in layer k's row of direction d. */
float
gs_unrolled_view_row_arrow_y (const Geometry   *g,
                              const GsSnapshot *s,
                              int               k,
                              int               d,
                              char              which)
{
  return gs_unrolled_view_arrow_y (g, s, k, which) - g->y_box[k] + gs_unrolled_view_row_y (g, k, d);
}

/* The widget */

static void
gs_unrolled_view_measure_design (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  GsUnrolledView *self = GS_UNROLLED_VIEW (widget);
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  const GsSnapshot *s = snap != NULL ? gs_snap_get (snap) : NULL;
  int T = s != NULL ? MAX (s->T, 1) : 5;
  int L = s != NULL ? CLAMP (s->cfg.L, 1, GS_MAX_LAYERS) : 2;
  float fixed = 2 * PAD + ROW_TARGET + ROW_PRED + ARROW_GAP * (L + 1) + ROW_INPUT + ROW_T;

  /* A bidirectional layer has two rows, and the legend (or the decoder's
   * caption) a row of its own. */
  if (s != NULL && (s->D == 2 || s->T_dec > 0))
    fixed += ROW_LEGEND;
  if (s != NULL && s->D == 2)
    {
      fixed += REV_GAP * L;
      L *= 2;
    }

  /* Widths that do not grow without end with T: past MIN_COLS columns the
   * view shows a focus window and the strip (and needs the strip's height). */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) (120 + MIN (T, MIN_COLS) * COL_MIN);
      *natural = (int) (120 + MIN (T, NATURAL_COLS) * 96);
    }
  else
    {
      /* For a width: boxes as high as their states' squares need, which
       * is most at the least width (no width given). */
      Geometry g;
      float need = BOX_MIN;

      if (s != NULL && gs_unrolled_view_compute_geometry (self, for_size >= 0 ? for_size : (int) (120 + MIN (T, MIN_COLS) * COL_MIN), 1, &g))
        need = box_need (s, g.state_h);
      *minimum = (int) (fixed + L * need + (T > MIN_COLS ? ROW_STRIP : 0.0f));
      *natural = MAX (*minimum, (int) (fixed + L * MAX (60.0f, need) + (T > NATURAL_COLS ? ROW_STRIP : 0.0f)));
    }
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            GsUnrolledView  *self)
{
  int t = gs_unrolled_view_timestep_at (self, x, y);
  int box_t, k, d;

  if (gs_unrolled_view_box_at (self, x, y, &box_t, &k, &d))
    g_signal_emit (self, signals[BOX_ACTIVATED], 0, k, d);
  if (t >= 0)
    g_signal_emit (self, signals[TIMESTEP_ACTIVATED], 0, t);
}

static void
gs_unrolled_view_changed (GsView       *view,
                          GsViewChange  what,
                          GsSnap       *old_snap)
{
  /* The natural size follows the sequence's shape only: a new snapshot of
   * the same shape (every frame while training) needs no new layout. */
  if (what == GS_VIEW_CHANGE_SNAP && !gs_view_same_shape (old_snap, gs_view_get_snap (view)))
    gtk_widget_queue_resize (GTK_WIDGET (view));

  GS_VIEW_CLASS (gs_unrolled_view_parent_class)->changed (view, what, old_snap);
}

static void
gs_unrolled_view_class_init (GsUnrolledViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GsViewClass *view_class = GS_VIEW_CLASS (klass);


  view_class->draw = gs_unrolled_view_draw;
  view_class->describe = gs_view_describe_unrolled;
  view_class->measure_design = gs_unrolled_view_measure_design;
  view_class->changed = gs_unrolled_view_changed;

  /**
   * GsUnrolledView::timestep-activated:
   * @self: the view
   * @timestep: the timestep whose column was clicked
   */
  signals[TIMESTEP_ACTIVATED] = gs_view_signal_timestep_activated (G_TYPE_FROM_CLASS (klass));

  /**
   * GsUnrolledView::box-activated:
   * @self: the view
   * @layer: the layer of the box clicked
   * @direction: 0 its forward row, 1 the reverse row of a bidirectional layer
   *
   * Emitted before ::timestep-activated when the click is on a box.
   */
  signals[BOX_ACTIVATED] = g_signal_new ("box-activated",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "unrolledview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_unrolled_view_init (GsUnrolledView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

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

/* The geometry at the view's current size. */
static gboolean
current_geometry (GsUnrolledView *self,
                  Geometry       *g)
{
  int width, height;

  gs_view_get_design_size (GTK_WIDGET (self), &width, &height);
  return gs_unrolled_view_compute_geometry (self, width, height, g);
}

int
gs_unrolled_view_timestep_at (GsUnrolledView *self,
                              double          x,
                              double          y)
{
  Geometry g;
  int t;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), -1);

  gs_view_to_design (GTK_WIDGET (self), &x, &y);
  if (!current_geometry (self, &g))
    return -1;

  /* The strip: the cell under x (as drawn, in whole pixels), generously in y. */
  if (g.windowed && y >= g.bottom + 6.0f && y <= g.y_strip + STRIP_CELL_H + 6.0f)
    {
      if (x < g.strip_x0 - 2.0f || x > g.strip_x0 + g.strip_w + 2.0f)
        return -1;
      t = CLAMP ((int) floor ((x - g.strip_x0) / g.strip_w * g.T), 0, g.T - 1);
      while (t > 0 && x < strip_cell_x (&g, t))
        t--;
      while (t < g.T - 1 && x >= strip_cell_x (&g, t + 1))
        t++;
      return t;
    }

  if (x < g.x0 || y < g.top - 6.0f || y > g.bottom + 4.0f)
    return -1;
  t = g.t0 + (int) floor ((x - g.x0) / g.col_w);
  return t < g.t0 + g.n ? t : -1;
}

gboolean
gs_unrolled_view_get_column_rect (GsUnrolledView  *self,
                                  int              t,
                                  graphene_rect_t *out)
{
  Geometry g;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!current_geometry (self, &g) ||
      t < g.t0 || t >= g.t0 + g.n)
    return FALSE;
  gs_unrolled_view_column_rect (&g, t, out);
  gs_view_rect_to_widget (GTK_WIDGET (self), out);
  return TRUE;
}

gboolean
gs_unrolled_view_get_strip_rect (GsUnrolledView  *self,
                                 int              t,
                                 graphene_rect_t *out)
{
  Geometry g;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!current_geometry (self, &g) ||
      !g.windowed || t < 0 || t >= g.T)
    return FALSE;
  gs_unrolled_view_strip_rect (&g, t, out);
  gs_view_rect_to_widget (GTK_WIDGET (self), out);
  return TRUE;
}

gboolean
gs_unrolled_view_get_unit_rect (GsUnrolledView  *self,
                                int              t,
                                int              k,
                                char             state,
                                int              unit,
                                graphene_rect_t *out,
                                int             *first,
                                int             *end)
{
  return gs_unrolled_view_get_row_unit_rect (self, t, k, 0, state, unit, out, first, end);
}

gboolean
gs_unrolled_view_get_row_unit_rect (GsUnrolledView  *self,
                                    int              t,
                                    int              k,
                                    int              d,
                                    char             state,
                                    int              unit,
                                    graphene_rect_t *out,
                                    int             *first,
                                    int             *end)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));
  const GsSnapshot *s;
  graphene_rect_t area;
  float left, inner, strip_h, y;
  Geometry g;
  int n, bins;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL && first != NULL && end != NULL, FALSE);

  if (snap == NULL || !current_geometry (self, &g))
    return FALSE;
  s = gs_snap_get (snap);
  if (t < g.t0 || t >= g.t0 + g.n || k < 0 || k >= g.L || d < 0 || d >= g.D
      || t >= gs_snapshot_values_end (s, k, d)
      || !gs_unrolled_view_units_area (self, s, &g, &left, &inner, &strip_h))
    return FALSE;
  if (state == 'h')
    n = s->P > 0 ? s->P : s->cfg.H;
  else if (state == 'c' && s->cfg.cell == GS_CELL_LSTM)
    n = s->cfg.H;
  else
    return FALSE;
  if (unit < 0 || unit >= n)
    return FALSE;
  y = gs_unrolled_view_row_arrow_y (&g, s, k, d, state);
  graphene_rect_init (&area, gs_unrolled_view_box_x (&g, t) + left, y - strip_h / 2.0f, inner, strip_h);
  bins = gs_unrolled_view_unit_bins (&area, n);
  gs_unrolled_view_unit_rect (&area, n, gs_colormap_bin_of (unit, bins, n), out, first, end);
  gs_view_rect_to_widget (GTK_WIDGET (self), out);
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

  if (!current_geometry (self, &g))
    return FALSE;
  s = gs_snap_get (gs_view_get_snap (GS_VIEW (self)));
  if (t < g.t0 || t >= MIN (s->t_fwd, g.t0 + g.n) || s->cfg.loss != GS_LOSS_CE)
    return FALSE;
  gs_unrolled_view_prediction_layouts (self, s, &g, t, &letter, &prob, out);
  gs_view_rect_to_widget (GTK_WIDGET (self), out);
  return TRUE;
}

gboolean
gs_unrolled_view_get_input_rect (GsUnrolledView  *self,
                                 int              t,
                                 graphene_rect_t *out)
{
  Geometry g;
  float chip;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!current_geometry (self, &g) || t < g.t0 || t >= g.t0 + g.n || gs_view_get_snap (GS_VIEW (self)) == NULL)
    return FALSE;
  /* as drawn (gs-unrolled-view-draw.c) */
  chip = gs_unrolled_view_chip_width (GTK_WIDGET (self), &g, gs_snap_get (gs_view_get_snap (GS_VIEW (self))), t);
  graphene_rect_init (out, gs_unrolled_view_column_x (&g, t) + (g.col_w - chip) / 2.0f, g.y_input + 4.0f,
                      chip, ROW_INPUT - 6.0f);
  gs_view_rect_to_widget (GTK_WIDGET (self), out);
  return TRUE;
}

gboolean
gs_unrolled_view_get_box_rect (GsUnrolledView  *self,
                               int              t,
                               int              k,
                               int              d,
                               graphene_rect_t *out)
{
  Geometry g;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!current_geometry (self, &g) || t < g.t0 || t >= g.t0 + g.n
      || k < 0 || k >= g.L || d < 0 || d >= g.D)
    return FALSE;
  graphene_rect_init (out, gs_unrolled_view_box_x (&g, t), gs_unrolled_view_row_y (&g, k, d), g.box_w, g.box_h);
  gs_view_rect_to_widget (GTK_WIDGET (self), out);
  return TRUE;
}

gboolean
gs_unrolled_view_box_at (GsUnrolledView *self,
                         double          x,
                         double          y,
                         int            *t,
                         int            *k,
                         int            *d)
{
  Geometry g;

  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), FALSE);
  g_return_val_if_fail (t != NULL && k != NULL && d != NULL, FALSE);

  gs_view_to_design (GTK_WIDGET (self), &x, &y);
  if (!current_geometry (self, &g))
    return FALSE;
  for (int col = g.t0; col < g.t0 + g.n; col++)
    for (int layer = 0; layer < g.L; layer++)
      for (int dir = 0; dir < g.D; dir++)
        {
          float bx = gs_unrolled_view_box_x (&g, col), by = gs_unrolled_view_row_y (&g, layer, dir);

          if (x >= bx && x < bx + g.box_w && y >= by && y < by + g.box_h)
            {
              *t = col;
              *k = layer;
              *d = dir;
              return TRUE;
            }
        }
  return FALSE;
}

int
gs_unrolled_view_get_direction (GsUnrolledView *self)
{
  g_return_val_if_fail (GS_IS_UNROLLED_VIEW (self), 0);

  return self->direction;
}

void
gs_unrolled_view_set_direction (GsUnrolledView *self,
                                int             direction)
{
  g_return_if_fail (GS_IS_UNROLLED_VIEW (self));
  g_return_if_fail (direction == 0 || direction == 1);

  if (self->direction == direction)
    return;
  self->direction = direction;
  gs_view_queue_redraw (GS_VIEW (self));
}
