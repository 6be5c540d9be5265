/* gs-unrolled-view-reverse.c — the reverse direction of bidirectional layers.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bidirectional layer k is two chains over the same inputs: the forward
 * one (gs-unrolled-view-draw.c's boxes) reads t = 0 … T−1, the reverse one
 * reads t = T−1 … 0, so its h←_t has read steps t to T−1. The reverse row
 * sits above the forward row, in its own colour (teal), its h← (and c←)
 * flowing right to left; x_t (or the layer below) forks into both rows,
 * and both rows' h_t meet in a chip of two halves, the concatenation
 * [h→_t; h←_t], which is what the layer above (or the head) reads.
 *
 * What is drawn as computed follows the snapshot's rule
 * (gs_snapshot_values_end): the engine computes the reverse direction
 * whole, t = T−1 down to 0, at the first forward step, and backpropagates
 * it whole at the last backward step; the legend says so.
 *
 * Letters: T timesteps, L layers, H hidden units, P units of h.
 */

#include <math.h>

#include <glib/gi18n.h>

#include "gs-unrolled-view-private.h"
#include "gs-view-text.h"

#define CHIP_W 22.0f   /* px, the concatenation chip [h→; h←] */
#define CHIP_H 10.0f
#define WIRE_WIDTH 2.0

/* Adwaita 1.2 has no teal: one that reads on light and on dark, apart
 * from the accent blue, the belt's orange and the gradient's purple. */
static const GdkRGBA teal_light = { 0.000f, 0.490f, 0.522f, 1.0f };
static const GdkRGBA teal_dark = { 0.345f, 0.827f, 0.839f, 1.0f };

GdkRGBA
gs_unrolled_view_reverse_color (const GsViewColors *pal)
{
  return pal->dark ? teal_dark : teal_light;
}

char *
gs_unrolled_view_reverse_label (int k)
{
  /* TRANSLATORS: the row of the unrolled network that shows the reverse
   * direction of a bidirectional layer; layers count from 1 */
  return g_strdup_printf (_("layer %d ←"), k + 1);
}

/* The concatenation of layer k, between its reverse row and what is above. */
static float
chip_y (const Geometry *g,
        int             k)
{
  return g->y_rev[k] - ARROW_GAP / 2.0f;
}

float
gs_unrolled_view_reverse_gutter (GsUnrolledView *self,
                                 int             L)
{
  int w, h, widest = 0;

  for (int k = 0; k < L; k++)
    {
      g_autofree char *text = gs_unrolled_view_reverse_label (k);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (self), text, LABEL_PX, FALSE);

      pango_layout_get_pixel_size (layout, &w, &h);
      widest = MAX (widest, w);
    }
  {
    g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (self), "[h→; h←]", LABEL_PX - 1, FALSE);

    pango_layout_get_pixel_size (layout, &w, &h);
    widest = MAX (widest, w);
  }
  return widest;
}

/* A wire through n points, with an arrowhead at the last. */
static void
wire (cairo_t      *cr,
      const double *xy,
      int           n)
{
  double ux, uy, len;

  cairo_set_line_width (cr, WIRE_WIDTH);
  cairo_move_to (cr, xy[0], xy[1]);
  for (int i = 1; i < n; i++)
    cairo_line_to (cr, xy[2 * i], xy[2 * i + 1]);
  cairo_stroke (cr);
  ux = xy[2 * n - 2] - xy[2 * n - 4];
  uy = xy[2 * n - 1] - xy[2 * n - 3];
  len = hypot (ux, uy);
  if (len > 0.5)
    gs_view_cairo_arrowhead (cr, xy[2 * n - 2], xy[2 * n - 1], ux / len, uy / len, 7.0);
}

void
gs_unrolled_view_draw_reverse_network (GsUnrolledView     *self,
                                       cairo_t            *cr,
                                       const GsSnapshot   *s,
                                       const Geometry     *g,
                                       const GsViewColors *pal)
{
  const GdkRGBA rev = gs_unrolled_view_reverse_color (pal);
  const GdkRGBA rev_dim = gs_view_with_alpha (&rev, 0.3f);
  const GdkRGBA rev_fill = gs_view_with_alpha (&rev, 0.08f);
  const GdkRGBA line = gs_view_with_alpha (&pal->fg, 0.6f);
  const GdkRGBA dim = gs_view_with_alpha (&pal->fg, 0.22f);
  const GdkRGBA belt_dim = gs_view_with_alpha (&pal->belt, 0.3f);
  const gboolean lstm = s->cfg.cell == GS_CELL_LSTM;
  const gboolean backward = s->phase == GS_PHASE_BACKWARD;
  const int last = g->t0 + g->n - 1;
  const double dash[] = { 6.0, 4.0 };

  for (int k = 0; k < g->L; k++)
    {
      const int rev_end = gs_snapshot_values_end (s, k, 1), fwd_end = gs_snapshot_values_end (s, k, 0);
      const int rev_grads = gs_snapshot_grads_begin (s, k, 1);
      const float by = g->y_rev[k];

      /* First the wiring, under the rows' arrows where they cross. */
      for (int t = g->t0; t <= last; t++)
        {
          const gboolean done = t < rev_end, fwd_done = t < fwd_end;
          const float col = gs_unrolled_view_column_x (g, t), col_next = gs_unrolled_view_column_x (g, t + 1);
          const float bx = gs_unrolled_view_box_x (g, t), cx = bx + g->box_w / 2.0f;
          const float xl = (col + bx) / 2.0f, xr = (bx + g->box_w + col_next) / 2.0f;
          const float src = k == 0 ? g->y_input + 4.0f : chip_y (g, k - 1) - CHIP_H / 2.0f;
          const float fwd_bottom = g->y_box[k] + g->box_h, mid = by + g->box_h + REV_GAP / 2.0f;
          const float jy = src - 7.0f;

          /* x_t (or the layer below) forks: straight up into the forward
           * row, and round its left side into the reverse row. */
          gdk_cairo_set_source_rgba (cr, fwd_done ? &line : &dim);
          gs_unrolled_view_arrow (cr, cx, src, cx, fwd_bottom + 2.0f, LINE_WIDTH);
          cairo_arc (cr, cx, jy, 3.0, 0.0, 2.0 * G_PI);
          cairo_fill (cr);
          gdk_cairo_set_source_rgba (cr, done ? &rev : &rev_dim);
          {
            const double in[] = { cx, jy, xl, jy, xl, mid, bx + 12.0f, mid, bx + 12.0f, by + g->box_h + 1.0f };

            wire (cr, in, 5);
          }

          /* Both rows' h_t up into the chip [h→; h←], round the reverse
           * row's right side for the forward one. */
          {
            const float cy = chip_y (g, k);
            const double out[] = { bx + g->box_w - 12.0f, g->y_box[k] - 1.0f, bx + g->box_w - 12.0f, mid,
                                   xr, mid, xr, cy, cx + CHIP_W / 2.0f + 1.0f, cy };

            gdk_cairo_set_source_rgba (cr, fwd_done ? &line : &dim);
            wire (cr, out, 5);
            gdk_cairo_set_source_rgba (cr, done ? &rev : &rev_dim);
            gs_unrolled_view_arrow (cr, cx, by - 1.0f, cx, cy + CHIP_H / 2.0f + 1.0f, WIRE_WIDTH);

            /* The chip: h→ on the left, h← on the right. */
            gdk_cairo_set_source_rgba (cr, fwd_done ? &line : &dim);
            cairo_rectangle (cr, cx - CHIP_W / 2.0f, cy - CHIP_H / 2.0f, CHIP_W / 2.0f, CHIP_H);
            cairo_fill (cr);
            gdk_cairo_set_source_rgba (cr, done ? &rev : &rev_dim);
            cairo_rectangle (cr, cx, cy - CHIP_H / 2.0f, CHIP_W / 2.0f, CHIP_H);
            cairo_fill (cr);

            /* The top layer's concatenation is what the head reads. */
            if (k == g->L - 1)
              {
                gdk_cairo_set_source_rgba (cr, t < s->t_fwd ? &line : &dim);
                gs_unrolled_view_arrow (cr, cx, cy - CHIP_H / 2.0f - 1.0f, cx, g->y_pred + ROW_PRED - 2.0f, LINE_WIDTH);
              }
          }
        }

      for (int t = g->t0; t <= last; t++)
        {
          const gboolean done = t < rev_end;
          const float col = gs_unrolled_view_column_x (g, t), col_next = gs_unrolled_view_column_x (g, t + 1);
          const float bx = gs_unrolled_view_box_x (g, t);
          const float from = t == last ? col_next - 4.0f : gs_unrolled_view_box_x (g, t + 1) - 2.0f;

          /* The box: filled when computed, dashed when not. */
          gs_view_cairo_rounded_rect (cr, bx, by, g->box_w, g->box_h, BOX_RADIUS);
          if (done)
            {
              gdk_cairo_set_source_rgba (cr, &rev_fill);
              cairo_fill_preserve (cr);
              gdk_cairo_set_source_rgba (cr, &rev);
            }
          else
            {
              gdk_cairo_set_source_rgba (cr, &rev_dim);
              cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);
            }
          cairo_set_line_width (cr, LINE_WIDTH);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0.0);

          /* h← (and c←) from t + 1, right to left: from the right edge at
           * the last column shown (the initial state when t = T−1), and on
           * out to the left at the first. */
          if (lstm)
            {
              gdk_cairo_set_source_rgba (cr, done ? &pal->belt : &belt_dim);
              gs_unrolled_view_arrow (cr, from, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'c'),
                                      bx + g->box_w + 2.0f, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'c'), BELT_WIDTH);
            }
          gdk_cairo_set_source_rgba (cr, done ? &rev : &rev_dim);
          gs_unrolled_view_arrow (cr, from, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'h'),
                                  bx + g->box_w + 2.0f, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'h'), LINE_WIDTH);
          if (t == g->t0)
            {
              if (lstm)
                {
                  gdk_cairo_set_source_rgba (cr, done ? &pal->belt : &belt_dim);
                  gs_unrolled_view_arrow (cr, bx - 2.0f, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'c'),
                                          col + 4.0f, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'c'), BELT_WIDTH);
                }
              gdk_cairo_set_source_rgba (cr, done ? &rev : &rev_dim);
              gs_unrolled_view_arrow (cr, bx - 2.0f, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'h'),
                                      col + 4.0f, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'h'), LINE_WIDTH);
            }

          /* Its gradient goes the other way: from t on to t + 1. */
          if (backward && t >= rev_grads && t < g->T - 1)
            {
              gdk_cairo_set_source_rgba (cr, &pal->gradient);
              gs_unrolled_view_arrow (cr, bx + g->box_w + 2.0f, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'g'),
                                      from, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'g'), LINE_WIDTH + 0.5);
            }

        }
    }
}

/* Inside each reverse box: its h← (and c←) as in the forward boxes, and
 * in the backward phase a bar as long as ‖dL/dh←_t‖ once it has arrived. */
void
gs_unrolled_view_draw_reverse_states (GsUnrolledView     *self,
                                      GtkSnapshot        *snapshot,
                                      const GsSnapshot   *s,
                                      const Geometry     *g,
                                      const GsViewColors *pal)
{
  const int H = s->cfg.H, P = s->P > 0 ? s->P : H, T = g->T;
  const gboolean lstm = s->cfg.cell == GS_CELL_LSTM;
  const GdkRGBA rev = gs_unrolled_view_reverse_color (pal);
  g_autoptr(PangoLayout) h_name = gs_view_text_layout (GTK_WIDGET (self), "h", LABEL_PX - 1, TRUE);
  g_autoptr(PangoLayout) c_name = gs_view_text_layout (GTK_WIDGET (self), "c", LABEL_PX - 1, TRUE);
  g_autofree float *norms = g_new0 (float, (gsize) T);
  float left, inner, strip_h;
  int name_w, name_h;

  pango_layout_get_pixel_size (h_name, &name_w, &name_h);
  if (!gs_unrolled_view_units_area (self, s, g, &left, &inner, &strip_h))
    return;

  for (int k = 0; k < g->L; k++)
    {
      const GsSnapLayer *l = &s->rev[k];
      const int end = gs_snapshot_values_end (s, k, 1), grads = gs_snapshot_grads_begin (s, k, 1);
      GsColorRange h_range = s->cfg.cell == GS_CELL_RNN_RELU || P != H
                           ? gs_color_range_symmetric (l->h, (gsize) T * P, 1e-6f)
                           : gs_color_range_for_gate ('h');
      GsColorRange c_range = lstm ? gs_color_range_symmetric (l->c, (gsize) T * H, 1e-6f) : h_range;
      float y_c = gs_unrolled_view_row_arrow_y (g, s, k, 1, 'c'), y_h = gs_unrolled_view_row_arrow_y (g, s, k, 1, 'h');
      float max_norm = 0.0f;

      if (l->h == NULL)
        continue;
      for (int t = 0; t < T; t++)
        {
          double sq = 0.0;

          for (int u = 0; t >= grads && s->phase == GS_PHASE_BACKWARD && u < P; u++)
            sq += (double) l->dh[(size_t) t * P + u] * l->dh[(size_t) t * P + u];
          norms[t] = (float) sqrt (sq);
          if (isfinite (norms[t]))
            max_norm = MAX (max_norm, norms[t]);
        }

      for (int t = g->t0; t < g->t0 + g->n; t++)
        {
          const gboolean done = t < end;
          const float bx = gs_unrolled_view_box_x (g, t);
          GdkRGBA h_color = gs_view_with_alpha (&rev, done ? 1.0f : 0.35f);
          GdkRGBA c_color = gs_view_with_alpha (&pal->belt, done ? 1.0f : 0.4f);

          gs_view_text_append (snapshot, h_name, bx + 6.0f, y_h - name_h / 2.0f, &h_color);
          if (lstm)
            gs_view_text_append (snapshot, c_name, bx + 6.0f, y_c - name_h / 2.0f, &c_color);
          if (!done)
            continue;
          gs_unrolled_view_draw_units (snapshot, l->h + (size_t) t * P, P, h_range, pal->dark,
                                       &GRAPHENE_RECT_INIT (bx + left, y_h - strip_h / 2.0f, inner, strip_h));
          if (lstm)
            gs_unrolled_view_draw_units (snapshot, l->c + (size_t) t * H, H, c_range, pal->dark,
                                         &GRAPHENE_RECT_INIT (bx + left, y_c - strip_h / 2.0f, inner, strip_h));
          if (max_norm > 0.0f && t >= grads && isfinite (norms[t]))
            gtk_snapshot_append_color (snapshot, &pal->gradient,
                                       &GRAPHENE_RECT_INIT (bx + 6.0f, gs_unrolled_view_row_arrow_y (g, s, k, 1, 'g') - 2.0f,
                                                            MAX (2.0f, roundf ((g->box_w - 12.0f) * norms[t] / max_norm)),
                                                            5.0f));
        }
    }
}

/* The reverse rows' labels, the concatenations' and the legend. */
void
gs_unrolled_view_draw_reverse_labels (GsUnrolledView     *self,
                                      GtkSnapshot        *snapshot,
                                      const GsSnapshot   *s,
                                      const Geometry     *g,
                                      const GsViewColors *pal)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const GdkRGBA rev = gs_unrolled_view_reverse_color (pal);
  const GdkRGBA label = gs_view_with_alpha (&pal->fg, 0.75f);
  const GdkRGBA faint = gs_view_with_alpha (&pal->fg, 0.6f);
  int w, h;

  for (int k = 0; k < g->L; k++)
    {
      g_autofree char *text = gs_unrolled_view_reverse_label (k);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
      g_autoptr(PangoLayout) concat = gs_view_text_layout (widget, "[h→; h←]", LABEL_PX - 1, FALSE);

      pango_layout_get_pixel_size (layout, &w, &h);
      gs_view_text_append (snapshot, layout, g->x0 - GUTTER_GAP - w, g->y_rev[k] + (g->box_h - h) / 2.0f, &rev);
      pango_layout_get_pixel_size (concat, &w, &h);
      gs_view_text_append (snapshot, concat, g->x0 - GUTTER_GAP - w, chip_y (g, k) - h / 2.0f, &faint);
    }

  /* The legend, left to right as far as the width goes. */
  {
    /* Translators: the legend of a bidirectional network in the unrolled view. */
    const char *forward = _("→ forward: reads t = 0 … T−1");
    /* Translators: the legend of a bidirectional network; the engine computes the reverse direction whole at the first step. */
    const char *reverse = _("← reverse: reads t = T−1 … 0, all at the first step");
    /* Translators: the legend of a bidirectional network: the two halves of the chip are both directions' h, joined. */
    const char *joined = _("[h→; h←] joined, read by the layer above");
    const struct { const char *text; const GdkRGBA *color; } items[] = {
      { forward, &label }, { reverse, &rev }, { joined, &faint },
    };
    float x = g->x0, right = gs_unrolled_view_column_x (g, g->t0 + g->n);

    for (guint i = 0; i < G_N_ELEMENTS (items); i++)
      {
        g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, items[i].text, LABEL_PX - 1, FALSE);

        pango_layout_get_pixel_size (layout, &w, &h);
        if (x + w > right && i > 0)
          break;
        gs_view_text_append (snapshot, layout, x, g->y_legend + (ROW_LEGEND - h) / 2.0f, items[i].color);
        x += w + 24.0f;
      }
  }
}
