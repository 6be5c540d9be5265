/* gs-unrolled-view-decoder.c — where an encoder–decoder's decoder inputs come from.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In training the decoder reads, at each of its steps, the target of the
 * step before (<s> at the first): teacher forcing. Every step the window
 * shows is a training step, so that is what its decoder columns hold (the
 * stepper's decoder reads the task's dec_tokens, gs-task-seq2seq.c). In
 * evaluation the decoder reads its own prediction of the step before
 * instead (greedy decoding, gs-task-seq2seq.c's scoring). A caption above
 * the columns says both; the decoder's input chips are outlined in the
 * colour of the target row they were copied from, and a small hook under
 * each (from the second on) points back to the column whose target it is.
 */

#include <math.h>

#include <glib/gi18n.h>

#include "gs-unrolled-view-private.h"
#include "gs-view-text.h"

const char *
gs_unrolled_view_decoder_caption (const GsSnapshot *s)
{
  g_return_val_if_fail (s != NULL, NULL);

  if (s->T_dec <= 0)
    return NULL;
  /* Translators: the caption of an encoder–decoder task in the unrolled view.
   * Teacher forcing and greedy decoding are the usual terms. */
  return _("Decoder input = the target of t − 1 (teacher forcing, in training); "
           "in evaluation, its own prediction of t − 1 (greedy decoding)");
}

void
gs_unrolled_view_draw_decoder_inputs (GsUnrolledView     *self,
                                      GtkSnapshot        *snapshot,
                                      const GsSnapshot   *s,
                                      const Geometry     *g,
                                      const GsViewColors *pal)
{
  const GdkRGBA faint = gs_view_with_alpha (&pal->fg, 0.6f);
  const float chip = MIN (g->box_w, 40.0f);
  const float right = gs_unrolled_view_column_x (g, g->t0 + g->n);
  g_autoptr(PangoLayout) caption = NULL;
  cairo_t *cr;
  int w, h;

  /* The caption, in the legend's row, as wide as the columns. */
  caption = gs_view_text_layout (GTK_WIDGET (self), gs_unrolled_view_decoder_caption (s), LABEL_PX - 1, FALSE);
  pango_layout_set_width (caption, (int) MAX (1.0f, right - g->x0) * PANGO_SCALE);
  pango_layout_set_ellipsize (caption, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (caption, &w, &h);
  gs_view_text_append (snapshot, caption, g->x0, g->y_legend + (ROW_LEGEND - h) / 2.0f, &faint);

  /* Each decoder input chip outlined, dashed, in the target row's colour;
   * from the second on, a hook from the previous column's side. */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (g->x0, g->y_input, right - g->x0, ROW_INPUT));
  gdk_cairo_set_source_rgba (cr, &faint);
  cairo_set_line_width (cr, 1.5);
  for (int t = MAX (s->T_enc, g->t0); t < g->t0 + g->n; t++)
    {
      const float x = gs_unrolled_view_column_x (g, t) + (g->col_w - chip) / 2.0f;
      const float y = g->y_input + 4.0f, hgt = ROW_INPUT - 6.0f;
      const double dash[] = { 3.0, 2.0 };

      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);
      gs_view_cairo_rounded_rect (cr, x - 1.5, y - 1.5, chip + 3.0, hgt + 3.0, 9.0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0.0);
      if (t > s->T_enc && t > g->t0)
        {
          const float from = gs_unrolled_view_column_x (g, t) - (g->col_w - chip) / 2.0f + 2.0f;
          const float ym = y + hgt / 2.0f;

          cairo_move_to (cr, from, ym);
          cairo_line_to (cr, x - 6.0, ym);
          cairo_stroke (cr);
          gs_view_cairo_arrowhead (cr, x - 2.0, ym, 1.0, 0.0, 5.0);
        }
    }
  cairo_destroy (cr);
}
