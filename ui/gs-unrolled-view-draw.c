/* gs-unrolled-view-draw.c — the unrolled network: boxes, arrows, states, labels.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawing order: the current column's tint; one cairo node for the boxes
 * and every arrow; each box's state as plain colour nodes, in exactly the
 * colour of their values on the shared scale; the text; the strip of all
 * timesteps under a focus window; the current column's frame over
 * everything. Where things go is gs-unrolled-view.c's.
 */

#include <math.h>

#include <glib/gi18n.h>

#include "gs-colormap.h"
#include "gs-unrolled-view-private.h"
#include "gs-view-fixed.h"
#include "gs-view-text.h"
#include "gs-view-record.h"

/* A straight arrow from (x1, y1) to (x2, y2), its head sized to the line. */
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
  gs_view_cairo_arrowhead (cr, x2, y2, ux, uy, head);
}

void
gs_unrolled_view_arrow (cairo_t *cr,
                        double   x1,
                        double   y1,
                        double   x2,
                        double   y2,
                        double   line_width)
{
  arrow (cr, x1, y1, x2, y2, line_width);
}

/* The boxes and all arrows: one cairo drawing. */
static void
draw_network (GsUnrolledView     *self,
              GtkSnapshot        *snapshot,
              const GsSnapshot   *s,
              const Geometry     *g,
              const GsViewColors *pal,
              int               width,
              int               height)
{
  const int layer = gs_view_get_layer (GS_VIEW (self));
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  GdkRGBA line = gs_view_with_alpha (&pal->fg, 0.6f);
  GdkRGBA dim = gs_view_with_alpha (&pal->fg, 0.22f);
  GdkRGBA fill = gs_view_with_alpha (&pal->fg, 0.07f);
  GdkRGBA belt_dim = gs_view_with_alpha (&pal->belt, 0.3f);
  gboolean lstm = s->cfg.cell == GS_CELL_LSTM;
  gboolean backward = s->phase == GS_PHASE_BACKWARD;
  const double dash[] = { 6.0, 4.0 };

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  for (int t = g->t0; t < g->t0 + g->n; t++)
    {
      gboolean head_done = t < s->t_fwd;
      float bx = gs_unrolled_view_box_x (g, t), cx = bx + g->box_w / 2.0f;
      float col_l = gs_unrolled_view_column_x (g, t) + 4.0f, col_r = gs_unrolled_view_column_x (g, t + 1) - 4.0f;

      for (int k = 0; k < g->L; k++)
        {
          float by = g->y_box[k];
          /* the snapshot's rule: a bidirectional model's lower layers are whole */
          gboolean done = t < gs_snapshot_values_end (s, k, 0);

          /* The box: filled when computed, dashed outline when not. */
          gs_view_cairo_rounded_rect (cr, bx, by, g->box_w, g->box_h, BOX_RADIUS);
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

          /* h (and c) from the previous timestep, or h_0 (or the columns
           * not shown) from the left edge; on to the right at the last. */
          {
            float from = t == g->t0 ? col_l : gs_unrolled_view_box_x (g, t - 1) + g->box_w + 2.0f;

            if (lstm)
              {
                gdk_cairo_set_source_rgba (cr, done ? &pal->belt : &belt_dim);
                arrow (cr, from, gs_unrolled_view_arrow_y (g, s, k, 'c'), bx - 2.0f, gs_unrolled_view_arrow_y (g, s, k, 'c'), BELT_WIDTH);
              }
            gdk_cairo_set_source_rgba (cr, done ? &line : &dim);
            arrow (cr, from, gs_unrolled_view_arrow_y (g, s, k, 'h'), bx - 2.0f, gs_unrolled_view_arrow_y (g, s, k, 'h'), LINE_WIDTH);
            if (t == g->t0 + g->n - 1)
              {
                if (lstm)
                  {
                    gdk_cairo_set_source_rgba (cr, done ? &pal->belt : &belt_dim);
                    arrow (cr, bx + g->box_w + 2.0f, gs_unrolled_view_arrow_y (g, s, k, 'c'), col_r, gs_unrolled_view_arrow_y (g, s, k, 'c'), BELT_WIDTH);
                  }
                gdk_cairo_set_source_rgba (cr, done ? &line : &dim);
                arrow (cr, bx + g->box_w + 2.0f, gs_unrolled_view_arrow_y (g, s, k, 'h'), col_r, gs_unrolled_view_arrow_y (g, s, k, 'h'), LINE_WIDTH);
              }
          }

          /* The gradient that has travelled from t back to t − 1. */
          if (backward && t >= gs_snapshot_grads_begin (s, k, 0) && t > 0)
            {
              float to = t == g->t0 ? col_l : gs_unrolled_view_box_x (g, t - 1) + g->box_w + 2.0f;

              gdk_cairo_set_source_rgba (cr, &pal->gradient);
              arrow (cr, bx - 2.0f, gs_unrolled_view_arrow_y (g, s, k, 'g'), to, gs_unrolled_view_arrow_y (g, s, k, 'g'),
                     LINE_WIDTH + 0.5);
            }

          /* Up: from the input (k = 0) or the layer below (bidirectional:
           * gs_unrolled_view_draw_reverse_network's wiring). */
          gdk_cairo_set_source_rgba (cr, done ? &line : &dim);
          if (g->D == 1 && k == 0)
            arrow (cr, cx, g->y_input + 4.0f, cx, by + g->box_h + 2.0f, LINE_WIDTH);
          else if (g->D == 1)
            arrow (cr, cx, g->y_box[k - 1] - 2.0f, cx, by + g->box_h + 2.0f, LINE_WIDTH);
        }

      /* Up from the top layer to the prediction. */
      gdk_cairo_set_source_rgba (cr, head_done ? &line : &dim);
      if (g->D == 1)
        arrow (cr, cx, g->y_box[g->L - 1] - 2.0f, cx, g->y_pred + ROW_PRED - 2.0f, LINE_WIDTH);
    }

  if (g->D == 2)
    gs_unrolled_view_draw_reverse_network (self, cr, s, g, pal);

  /* The current box of the cell view: the accent colour. */
  if (timestep >= g->t0 && timestep < g->t0 + g->n && layer >= 0 && layer < g->L)
    {
      gs_view_cairo_rounded_rect (cr, gs_unrolled_view_box_x (g, timestep) - 1.5,
                                  gs_unrolled_view_row_y (g, layer, self->direction) - 1.5,
                    g->box_w + 3.0, g->box_h + 3.0, BOX_RADIUS + 1.5);
      gdk_cairo_set_source_rgba (cr, &pal->accent);
      cairo_set_line_width (cr, 3.0);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

/* n units side by side in `area` (gs_unrolled_view_unit_rect). */
void
gs_unrolled_view_draw_units (GtkSnapshot           *snapshot,
            const float           *v,
            int                    n,
            GsColorRange           range,
            gboolean               dark,
            const graphene_rect_t *area)
{
  const int bins = gs_unrolled_view_unit_bins (area, n);

  for (int b = 0; b < bins; b++)
    {
      graphene_rect_t rect;
      GdkRGBA color;
      int first, end;

      gs_unrolled_view_unit_rect (area, n, b, &rect, &first, &end);
      gs_colormap_mean (&color, v + first, 1, end - first, range, dark);
      gtk_snapshot_append_color (snapshot, &color, &rect);
      gs_view_record_unit (GS_VIEW_RECORD_UNIT, &rect, end - first);
    }
}

/* Inside each box: its state, one square per unit after the letter that
 * names it (c above h for the LSTM, at the height of their arrows), and in
 * the backward phase a purple bar as long as ‖dL/dh_t‖. */
static void
draw_states (GsUnrolledView     *self,
             GtkSnapshot        *snapshot,
             const GsSnapshot   *s,
             const Geometry     *g,
             const GsViewColors *pal)
{
  /* h has P units (a projection's), c has H */
  const int H = s->cfg.H, P = s->P > 0 ? s->P : H, T = g->T;
  gboolean lstm = s->cfg.cell == GS_CELL_LSTM;
  g_autoptr(PangoLayout) h_name = gs_view_text_layout (GTK_WIDGET (self), "h", LABEL_PX - 1, TRUE);
  g_autoptr(PangoLayout) c_name = gs_view_text_layout (GTK_WIDGET (self), "c", LABEL_PX - 1, TRUE);
  g_autofree float *norms = g_new0 (float, (gsize) T * g->L);
  float max_norm = 0.0f, left, inner, strip_h;
  int name_w, name_h;

  pango_layout_get_pixel_size (h_name, &name_w, &name_h);
  if (!gs_unrolled_view_units_area (self, s, g, &left, &inner, &strip_h))
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
      GsColorRange h_range = s->cfg.cell == GS_CELL_RNN_RELU || P != H
                           ? gs_color_range_symmetric (l->h, (gsize) T * P, 1e-6f)
                           : gs_color_range_for_gate ('h');
      GsColorRange c_range = lstm ? gs_color_range_symmetric (l->c, (gsize) T * H, 1e-6f) : h_range;
      float y_c = gs_unrolled_view_arrow_y (g, s, k, 'c'), y_h = gs_unrolled_view_arrow_y (g, s, k, 'h');

      for (int t = g->t0; t < g->t0 + g->n; t++)
        {
          gboolean done = t < gs_snapshot_values_end (s, k, 0);
          float x = gs_unrolled_view_box_x (g, t) + left;
          GdkRGBA h_color = gs_view_with_alpha (&pal->fg, done ? 0.85f : 0.3f);
          GdkRGBA c_color = gs_view_with_alpha (&pal->belt, done ? 1.0f : 0.4f);

          gs_view_text_append (snapshot, h_name, gs_unrolled_view_box_x (g, t) + 6.0f, y_h - name_h / 2.0f, &h_color);
          if (lstm)
            gs_view_text_append (snapshot, c_name, gs_unrolled_view_box_x (g, t) + 6.0f, y_c - name_h / 2.0f, &c_color);
          if (!done)
            continue;

          /* h's P units spread over c's width */
          gs_unrolled_view_draw_units (snapshot, l->h + (size_t) t * P, P, h_range, pal->dark,
                      &GRAPHENE_RECT_INIT (x, y_h - strip_h / 2.0f, inner, strip_h));
          if (lstm)
            gs_unrolled_view_draw_units (snapshot, l->c + (size_t) t * H, H, c_range, pal->dark,
                        &GRAPHENE_RECT_INIT (x, y_c - strip_h / 2.0f, inner, strip_h));
        }

      for (int t = MAX (gs_snapshot_grads_begin (s, k, 0), g->t0); max_norm > 0.0f && t < g->t0 + g->n; t++)
        {
          float n = norms[k * T + t] / max_norm;

          if (!isfinite (n))
            continue;
          gtk_snapshot_append_color (snapshot, &pal->gradient,
                                     &GRAPHENE_RECT_INIT (gs_unrolled_view_box_x (g, t) + 6.0f,
                                                          gs_unrolled_view_arrow_y (g, s, k, 'g') - 2.0f,
                                                          MAX (2.0f, roundf ((g->box_w - 12.0f) * n)), 5.0f));
        }
    }

  if (g->D == 2)
    gs_unrolled_view_draw_reverse_states (self, snapshot, s, g, pal);
}

/* Every how many columns a label of this width fits without touching its
 * neighbours. */
static int
label_stride (PangoLayout *layout,
              float        col_w)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return MAX (1, (int) ceilf ((w + 6.0f) / MAX (col_w, 1.0f)));
}

/* With a stride, the labels of multiples of it — and of the current
 * column, whose neighbours within the stride then give way. */
static gboolean
label_shown (int t,
             int current,
             int stride)
{
  if (stride <= 1)
    return TRUE;
  if (current >= 0 && ABS (t - current) < stride)
    return t == current;
  return t % stride == 0;
}

static void
draw_labels (GsUnrolledView     *self,
             GtkSnapshot        *snapshot,
             const GsSnapshot   *s,
             const Geometry     *g,
             const GsViewColors *pal)
{
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA label = gs_view_with_alpha (&pal->fg, 0.75f);
  GdkRGBA faint = gs_view_with_alpha (&pal->fg, 0.55f);
  struct { const char *text; float y, h; } rows[] = {
    { _("target"), g->y_target, ROW_TARGET },
    { _("predicted"), g->y_pred, ROW_PRED },
    { _("input"), g->y_input, ROW_INPUT },
    { "t", g->y_tindex, ROW_T },
  };

  /* Row labels, right-aligned against the columns. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, rows[i].text, LABEL_PX, FALSE);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      gs_view_text_append (snapshot, layout, g->x0 - GUTTER_GAP - w, rows[i].y + (rows[i].h - h) / 2.0f, &label);
    }
  for (int k = 0; k < g->L; k++)
    {
      g_autofree char *text = gs_unrolled_view_layer_label (k);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
      int w, h;

      float label_y;

      pango_layout_get_pixel_size (layout, &w, &h);
      label_y = g->y_box[k] + (g->box_h - h) / 2.0f;

      /* In the backward phase, name the purple arrows at their height, and
       * lift the layer's label above the name when they would meet (the
       * name was drawn over "layer 1" in boxes of a few units). */
      if (s->phase == GS_PHASE_BACKWARD)
        {
          g_autoptr(PangoLayout) name = gs_view_text_layout (widget, "← ∂L/∂h", LABEL_PX - 1, TRUE);
          int nw, nh;
          float name_y;

          pango_layout_get_pixel_size (name, &nw, &nh);
          name_y = gs_unrolled_view_arrow_y (g, s, k, 'g') - nh / 2.0f;
          label_y = MIN (label_y, name_y - h);
          gs_view_text_append (snapshot, name, g->x0 - GUTTER_GAP - nw, name_y, &pal->gradient);
        }
      gs_view_text_append (snapshot, layout, g->x0 - GUTTER_GAP - w, label_y, &label);
    }
  if (g->D == 2)
    gs_unrolled_view_draw_reverse_labels (self, snapshot, s, g, pal);

  /* An encoder–decoder task: the encoder's columns, then the decoder's,
   * parted by a line where the state is handed over. The encoder's target
   * row is empty: it names the encoder at its left and the decoder at its
   * right, against the line. */
  if (s->T_dec > 0)
    {
      const int T = s->T_enc;
      const int first = MAX (g->t0, 0), end = MIN (g->t0 + g->n, T);

      if (T > g->t0 && T < g->t0 + g->n)
        {
          float x = gs_unrolled_view_column_x (g, T) - 1.0f;
          GdkRGBA line = gs_view_with_alpha (&pal->fg, 0.35f);

          gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x, g->top, 2.0f, g->bottom - g->top));
        }
      if (first < end)
        {
          g_autoptr(PangoLayout) enc = gs_view_text_layout (widget, _("encoder"), LABEL_PX, FALSE);
          /* Translators: in the unrolled view, pointing at the decoder's columns. */
          g_autoptr(PangoLayout) dec = gs_view_text_layout (widget, _("decoder →"), LABEL_PX, FALSE);
          float left = gs_unrolled_view_column_x (g, first) + 4.0f;
          float right = gs_unrolled_view_column_x (g, end) - 6.0f;
          int ew, eh, dw, dh;

          pango_layout_get_pixel_size (enc, &ew, &eh);
          pango_layout_get_pixel_size (dec, &dw, &dh);
          gs_view_text_append (snapshot, enc, left, g->y_target + (ROW_TARGET - eh) / 2.0f, &faint);
          if (end == T && right - dw > left + ew + 12.0f)
            gs_view_text_append (snapshot, dec, right - dw, g->y_target + (ROW_TARGET - dh) / 2.0f, &faint);
        }
    }

  /* Long sequences: a row's labels thin out to every stride-th column
   * (and the current one) when they would not fit their column. */
  const gboolean dense = s->tokens == NULL || gs_view_input_label (s, 0) == NULL;
  const int in_px = dense ? LABEL_PX : LETTER_PX;
  int in_stride = 1, t_stride = 1, target_stride = 1, pred_stride = 1;
  gboolean pred_prob = TRUE;

  for (int t = g->t0; t < g->t0 + g->n; t++)
    {
      g_autofree char *input = gs_unrolled_view_input_label (s, t);
      g_autofree char *index = g_strdup_printf ("%d", t);
      g_autoptr(PangoLayout) in_layout = gs_view_text_layout (widget, input, in_px, TRUE);
      g_autoptr(PangoLayout) t_layout = gs_view_text_layout (widget, index, LABEL_PX, TRUE);

      in_stride = MAX (in_stride, label_stride (in_layout, g->col_w));
      t_stride = MAX (t_stride, label_stride (t_layout, g->col_w));
      if (s->targets[t] >= 0 && s->cfg.loss == GS_LOSS_CE)
        {
          g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, gs_view_output_label (s, s->targets[t]),
                                                               TARGET_PX, FALSE);
          target_stride = MAX (target_stride, label_stride (layout, g->col_w));
        }
      if (t < s->t_fwd && s->cfg.loss == GS_LOSS_CE && s->probs != NULL && gs_snapshot_has_output (s, t))
        {
          g_autoptr(PangoLayout) letter = NULL;
          g_autoptr(PangoLayout) prob = NULL;
          graphene_rect_t r;

          gs_unrolled_view_prediction_layouts (self, s, g, t, &letter, &prob, &r);
          if (r.size.width > g->col_w - 4.0f)
            pred_prob = FALSE;
          pred_stride = MAX (pred_stride, label_stride (letter, g->col_w));
        }
    }
  if (s->cfg.loss == GS_LOSS_MSE)
    {
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, "−0.00", LABEL_PX, TRUE);
      pred_stride = label_stride (layout, g->col_w);
    }

  /* In a focus window the current prediction keeps its probability even
   * when it is wider than its column: the neighbours it covers give way. */
  graphene_rect_t current_pred;
  gboolean current_wide = FALSE;

  if (g->windowed && !pred_prob && s->cfg.loss == GS_LOSS_CE && s->probs != NULL &&
      timestep >= g->t0 && timestep < MIN (s->t_fwd, g->t0 + g->n) && gs_snapshot_has_output (s, timestep))
    {
      g_autoptr(PangoLayout) letter = NULL;
      g_autoptr(PangoLayout) prob = NULL;

      gs_unrolled_view_prediction_layouts (self, s, g, timestep, &letter, &prob, &current_pred);
      current_wide = TRUE;
    }

  for (int t = g->t0; t < g->t0 + g->n; t++)
    {
      float x = gs_unrolled_view_column_x (g, t);
      gboolean current = t == timestep;
      g_autofree char *input = gs_unrolled_view_input_label (s, t);
      g_autofree char *index = g_strdup_printf ("%d", t);
      g_autoptr(PangoLayout) in_layout = gs_view_text_layout (widget, input, in_px, TRUE);
      g_autoptr(PangoLayout) t_layout = gs_view_text_layout (widget, index, LABEL_PX, current);
      int in_w;
      float chip;

      pango_layout_get_pixel_size (in_layout, &in_w, NULL);
      chip = gs_unrolled_view_chip_width_for (g, in_w);

      /* The input character on a chip. */
      {
        GskRoundedRect clip;

        gsk_rounded_rect_init_from_rect (&clip,
                                         &GRAPHENE_RECT_INIT (x + (g->col_w - chip) / 2.0f, g->y_input + 4.0f,
                                                              chip, ROW_INPUT - 6.0f),
                                         8.0f);
        gtk_snapshot_push_rounded_clip (snapshot, &clip);
      }
      {
        GdkRGBA chip_color = gs_view_with_alpha (&pal->fg, 0.1f);
        gtk_snapshot_append_color (snapshot, &chip_color,
                                   &GRAPHENE_RECT_INIT (x, g->y_input, g->col_w, ROW_INPUT));
      }
      gtk_snapshot_pop (snapshot);
      if (label_shown (t, timestep, in_stride))
        gs_view_record_unit (GS_VIEW_RECORD_BOX,
                             &GRAPHENE_RECT_INIT (x + (g->col_w - chip) / 2.0f, g->y_input + 4.0f, chip, ROW_INPUT - 6.0f), 0);
      if (label_shown (t, timestep, in_stride))
        gs_view_text_append_centred (snapshot, in_layout,
                                     &GRAPHENE_RECT_INIT (x, g->y_input + 4.0f, g->col_w, ROW_INPUT - 6.0f),
                                     &pal->fg);
      if (label_shown (t, timestep, t_stride))
        gs_view_text_append_centred (snapshot, t_layout, &GRAPHENE_RECT_INIT (x, g->y_tindex, g->col_w, ROW_T),
                                     current ? &pal->accent : &faint);

      /* Regression: the first output where the step has a target (the
       * target values themselves are not in the snapshot). */
      if (s->cfg.loss == GS_LOSS_MSE && t < s->t_fwd && s->logits != NULL && s->targets[t] >= 0 &&
          label_shown (t, timestep, pred_stride))
        {
          g_autofree char *value = gs_view_format_fixed (s->logits[(size_t) t * s->cfg.O], 2);
          g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, value, LABEL_PX, TRUE);

          gs_view_text_append_centred (snapshot, layout, &GRAPHENE_RECT_INIT (x, g->y_pred, g->col_w, ROW_PRED),
                                       &pal->fg);
        }

      /* The target, when this step has one. */
      if (s->targets[t] >= 0 && s->cfg.loss == GS_LOSS_CE && label_shown (t, timestep, target_stride))
        {
          g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, gs_view_output_label (s, s->targets[t]),
                                                               TARGET_PX, FALSE);

          gs_view_text_append_centred (snapshot, layout, &GRAPHENE_RECT_INIT (x, g->y_target, g->col_w, ROW_TARGET),
                                       &faint);
        }

      /* The prediction and its probability, right or wrong. */
      if (t < s->t_fwd && s->cfg.loss == GS_LOSS_CE && s->probs != NULL && gs_snapshot_has_output (s, t) &&
          label_shown (t, timestep, pred_stride))
        {
          g_autoptr(PangoLayout) letter = NULL;
          g_autoptr(PangoLayout) prob = NULL;
          graphene_rect_t r;
          /* Dim where the step has no target (N→1 tasks: all but the last). */
          const GdkRGBA *color = &faint;
          int lw, lh, pw, ph;

          gs_unrolled_view_prediction_layouts (self, s, g, t, &letter, &prob, &r);
          if (s->targets[t] >= 0)
            color = gs_view_predicted_class (s, t) == s->targets[t] ? &pal->success : &pal->error;
          pango_layout_get_pixel_size (letter, &lw, &lh);
          pango_layout_get_pixel_size (prob, &pw, &ph);
          if (current_wide && t != timestep)
            {
              float lx = roundf (x + (g->col_w - lw) / 2.0f);

              if (lx + lw + 6.0f > current_pred.origin.x &&
                  lx < current_pred.origin.x + current_pred.size.width + 6.0f)
                continue;
            }
          if (!pred_prob && !(current_wide && t == timestep))
            {
              /* Too narrow for the probability: the letter alone, centred. */
              gs_view_text_append (snapshot, letter, roundf (x + (g->col_w - lw) / 2.0f), r.origin.y, color);
              continue;
            }
          gs_view_text_append (snapshot, letter, r.origin.x, r.origin.y, color);
          /* The probability sits on the letter's baseline. */
          gs_view_text_append (snapshot, prob, r.origin.x + lw + 5,
                               r.origin.y + pango_layout_get_baseline (letter) / PANGO_SCALE
                                          - pango_layout_get_baseline (prob) / PANGO_SCALE, color);
        }
    }
}

/* The strip of all T timesteps under a focus window: one cell per step
 * (a bin of steps when T outgrows the pixels), green or red where a
 * computed step has a target it got right or wrong, else grey, the darker
 * the larger the top layer's ‖h_t‖; faint where the forward pass has not
 * been. The window is outlined in the accent colour, the current step
 * filled with it, and the steps on either side are counted. */
static void
draw_strip (GsUnrolledView     *self,
            GtkSnapshot        *snapshot,
            const GsSnapshot   *s,
            const Geometry     *g,
            const GsViewColors *pal)
{
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  GtkWidget *widget = GTK_WIDGET (self);
  const int T = g->T, P = s->P > 0 ? s->P : s->cfg.H;
  const float *h = s->layer[g->L - 1].h;
  const int n_bins = MIN (T, MAX (1, (int) (g->strip_w / 2.0f)));
  const float bin_w = g->strip_w / n_bins;
  GdkRGBA label = gs_view_with_alpha (&pal->fg, 0.75f);
  g_autofree float *norms = g_new0 (float, T);
  float max_norm = 0.0f;

  for (int t = 0; t < MIN (s->t_fwd, T); t++)
    {
      double sum = 0.0;

      for (int u = 0; u < P; u++)
        sum += (double) h[(size_t) t * P + u] * h[(size_t) t * P + u];
      norms[t] = (float) sqrt (sum);
      if (isfinite (norms[t]))
        max_norm = MAX (max_norm, norms[t]);
    }

  for (int b = 0; b < n_bins; b++)
    {
      int t_a = (int) ((gint64) b * T / n_bins), t_b = (int) ((gint64) (b + 1) * T / n_bins);
      int n_right = 0, n_wrong = 0, n_done = 0;
      float sum_norm = 0.0f, x = floorf (g->strip_x0 + b * bin_w);
      float w = floorf (g->strip_x0 + (b + 1) * bin_w) - x - (bin_w >= 4.0f ? 1.0f : 0.0f);
      GdkRGBA color;

      for (int t = t_a; t < t_b && t < s->t_fwd; t++)
        {
          n_done++;
          if (isfinite (norms[t]))
            sum_norm += norms[t];
          if (s->cfg.loss == GS_LOSS_CE && s->probs != NULL && s->targets[t] >= 0)
            {
              if (gs_view_predicted_class (s, t) == s->targets[t])
                n_right++;
              else
                n_wrong++;
            }
        }
      if (n_right + n_wrong > 0)
        color = gs_view_with_alpha (n_right >= n_wrong ? &pal->success : &pal->error, 0.7f);
      else if (n_done > 0)
        color = gs_view_with_alpha (&pal->fg, 0.15f + 0.55f * (max_norm > 0.0f ? sum_norm / n_done / max_norm : 0.0f));
      else
        color = gs_view_with_alpha (&pal->fg, 0.08f);
      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, g->y_strip, MAX (1.0f, w), STRIP_CELL_H));
    }

  /* The window over the steps its columns show, and the current step. */
  {
    graphene_rect_t first, last, r;

    gs_unrolled_view_strip_rect (g, g->t0, &first);
    gs_unrolled_view_strip_rect (g, g->t0 + g->n - 1, &last);
    graphene_rect_init (&r, first.origin.x - 4.0f, g->y_strip - 4.0f,
                        last.origin.x + last.size.width - first.origin.x + 8.0f, STRIP_CELL_H + 8.0f);
    gs_view_append_frame (snapshot, &r, 5.0f, 2.0f, &pal->accent);
  }
  if (timestep >= 0 && timestep < T)
    {
      graphene_rect_t r;

      gs_unrolled_view_strip_rect (g, timestep, &r);
      gtk_snapshot_append_color (snapshot, &pal->accent,
                                 &GRAPHENE_RECT_INIT (r.origin.x - MAX (0.0f, (3.0f - r.size.width) / 2.0f),
                                                      g->y_strip - 2.0f, MAX (3.0f, r.size.width),
                                                      STRIP_CELL_H + 4.0f));
    }

  /* "← 37 earlier" in the row labels' place, "62 later →" after the strip. */
  if (g->t0 > 0)
    {
      g_autofree char *text = gs_unrolled_view_earlier_label (g->t0);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
      int w, lh;

      pango_layout_get_pixel_size (layout, &w, &lh);
      gs_view_text_append (snapshot, layout, g->x0 - GUTTER_GAP - w, g->y_strip + (STRIP_CELL_H - lh) / 2.0f, &label);
    }
  if (g->t0 + g->n < T)
    {
      g_autofree char *text = gs_unrolled_view_later_label (T - g->t0 - g->n);
      g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
      int w, lh;

      pango_layout_get_pixel_size (layout, &w, &lh);
      gs_view_text_append (snapshot, layout, g->strip_x0 + g->strip_w + GUTTER_GAP / 2.0f + 2.0f,
                           g->y_strip + (STRIP_CELL_H - lh) / 2.0f, &label);
    }
}

/* What the interventions fix (gs-view-fixed.h): the units of h and c they
 * hold, marked over their squares, and a tag with the letters of the gates
 * clamped above the top right of each box where some are; the legend at the
 * top left when anything is marked. */
static void
draw_fixed_marks (GsUnrolledView     *self,
                  GtkSnapshot        *snapshot,
                  const GsSnapshot   *s,
                  const Geometry     *g,
                  const GsViewColors *pal)
{
  const int H = s->cfg.H, P = s->P > 0 ? s->P : H;
  const gboolean lstm = s->cfg.cell == GS_CELL_LSTM;
  float left, inner, strip_h;
  gboolean any = FALSE;
  cairo_t *cr;

  if (!gs_view_has_fixed (s) || !gs_unrolled_view_units_area (self, s, g, &left, &inner, &strip_h))
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (g->x0, g->top, g->col_w * g->n,
                                                                 g->bottom - g->top));
  for (int k = 0; k < g->L; k++)
    for (int t = g->t0; t < g->t0 + g->n && t < s->t_fwd; t++)
      {
        char clamped[GS_MAX_GATES + 1] = "";
        int n_clamped = 0;

        for (int which = 0; which < (lstm ? 2 : 1); which++)
          {
            const char q = which == 0 ? 'h' : 'c';
            const int n = q == 'h' ? P : H;
            graphene_rect_t area = GRAPHENE_RECT_INIT (gs_unrolled_view_box_x (g, t) + left,
                                                       gs_unrolled_view_arrow_y (g, s, k, q) - strip_h / 2.0f,
                                                       inner, strip_h);
            const int bins = gs_unrolled_view_unit_bins (&area, n);

            for (int b = 0; b < bins; b++)
              {
                graphene_rect_t rect;
                GsFix fix = GS_FIX_NONE;
                int first, end;

                gs_unrolled_view_unit_rect (&area, n, b, &rect, &first, &end);
                for (int u = first; u < end && fix != GS_FIX_VALUE; u++)
                  fix = MAX (fix, gs_view_fixed_at (s, k, t, q, u));
                if (fix == GS_FIX_NONE)
                  continue;
                gs_view_cairo_fixed_mark (cr, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height,
                                          fix, pal);
                any = TRUE;
              }
          }
        /* the gates, which this view does not draw: their letters in a tag */
        for (int gi = 0; s->gates[gi] != '\0' && gi < GS_MAX_GATES; gi++)
          for (int u = 0; u < H; u++)
            if (s->gates[gi] != 'h' && gs_view_fixed_at (s, k, t, s->gates[gi], u) == GS_FIX_VALUE)
              {
                clamped[n_clamped++] = s->gates[gi];
                clamped[n_clamped] = '\0';
                break;
              }
        if (n_clamped > 0)
          {
            g_autoptr(PangoLayout) layout = gs_view_text_layout (GTK_WIDGET (self), clamped, LABEL_PX - 1, TRUE);
            /* just above the box's top-right corner, clear of its squares */
            const float side = 16.0f, right = gs_unrolled_view_box_x (g, t) + g->box_w;
            const float top = g->y_box[k] - side - 1.0f;
            int w, h;

            pango_layout_get_pixel_size (layout, &w, &h);
            gs_view_cairo_fixed_mark (cr, right - side - w - 6.0f, top, side + w + 6.0f, side, GS_FIX_VALUE, pal);
            /* over the cairo node, which is already in place */
            gs_view_text_append (snapshot, layout, right - side - w - 2.0f, top + (side - h) / 2.0f, &pal->fg);
            any = TRUE;
          }
      }
  cairo_destroy (cr);
  /* the legend in the top left corner, above the row labels */
  if (any)
    gs_view_append_fixed_legend (snapshot, GTK_WIDGET (self), PAD, 2.0f, LABEL_PX - 2, FALSE, pal);
}

/* The unit a lesson points at (gs_view_set_pointed_unit): framed in the
 * accent colour in the h and c squares of every box drawn. */
static void
draw_pointed_unit (GsUnrolledView     *self,
                   GtkSnapshot        *snapshot,
                   const GsSnapshot   *s,
                   const Geometry     *g,
                   const GsViewColors *pal)
{
  const int unit = gs_view_get_pointed_unit (GS_VIEW (self));
  const int H = s->cfg.H, P = s->P > 0 ? s->P : H;
  float left, inner, strip_h;

  if (unit < 0 || !gs_unrolled_view_units_area (self, s, g, &left, &inner, &strip_h))
    return;
  for (int k = 0; k < g->L; k++)
    for (int t = g->t0; t < g->t0 + g->n && t < s->t_fwd; t++)
      for (int which = 0; which < (s->cfg.cell == GS_CELL_LSTM ? 2 : 1); which++)
        {
          const char q = which == 0 ? 'h' : 'c';
          const int n = q == 'h' ? P : H;
          graphene_rect_t area = GRAPHENE_RECT_INIT (gs_unrolled_view_box_x (g, t) + left,
                                                     gs_unrolled_view_arrow_y (g, s, k, q) - strip_h / 2.0f,
                                                     inner, strip_h);
          graphene_rect_t rect;
          int first, end;

          if (unit >= n)
            continue;
          gs_unrolled_view_unit_rect (&area, n, gs_colormap_bin_of (unit, gs_unrolled_view_unit_bins (&area, n), n),
                                      &rect, &first, &end);
          graphene_rect_inset (&rect, -3.0f, -3.0f);
          gs_view_append_frame (snapshot, &rect, 2.0f, 2.0f, &pal->accent);
        }
}

void
gs_unrolled_view_draw (GtkWidget          *widget,
                       GtkSnapshot        *snapshot,
                       int                 width,
                       int                 height,
                       const GsViewColors *pal)
{
  GsUnrolledView *self = GS_UNROLLED_VIEW (widget);
  const int timestep = gs_view_get_timestep (GS_VIEW (self));
  const GsSnapshot *s;
  Geometry g;

  if (!gs_unrolled_view_compute_geometry (self, width, height, &g))
    {
      g_autoptr(PangoLayout) hint = gs_view_text_layout (widget, _("No sequence loaded"), LABEL_PX + 3, FALSE);
      GdkRGBA hint_color = gs_view_with_alpha (&pal->fg, 0.55f);

      gs_view_text_append_centred (snapshot, hint, &GRAPHENE_RECT_INIT (0, 0, width, height), &hint_color);
      return;
    }
  s = gs_snap_get (gs_view_get_snap (GS_VIEW (self)));

  /* The current column, tinted under everything. */
  if (timestep >= g.t0 && timestep < g.t0 + g.n)
    {
      graphene_rect_t r;
      GdkRGBA tint = gs_view_with_alpha (&pal->accent, 0.12f);
      GskRoundedRect clip;

      gs_unrolled_view_column_rect (&g, timestep, &r);
      gsk_rounded_rect_init_from_rect (&clip, &r, 10.0f);
      gtk_snapshot_push_rounded_clip (snapshot, &clip);
      gtk_snapshot_append_color (snapshot, &tint, &r);
      gtk_snapshot_pop (snapshot);
    }

  draw_network (self, snapshot, s, &g, pal, width, height);
  draw_states (self, snapshot, s, &g, pal);
  draw_fixed_marks (self, snapshot, s, &g, pal);
  draw_pointed_unit (self, snapshot, s, &g, pal);
  draw_labels (self, snapshot, s, &g, pal);
  if (s->T_dec > 0)
    gs_unrolled_view_draw_decoder_inputs (self, snapshot, s, &g, pal);
  if (g.windowed)
    draw_strip (self, snapshot, s, &g, pal);

  /* And framed over everything. */
  if (timestep >= g.t0 && timestep < g.t0 + g.n)
    {
      graphene_rect_t r;

      gs_unrolled_view_column_rect (&g, timestep, &r);
      gs_view_append_frame (snapshot, &r, 10.0f, FRAME_WIDTH, &pal->accent);
    }
}
