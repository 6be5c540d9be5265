/* gs-unrolled-view-decoder.c — where an encoder–decoder's decoder inputs come from.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In training the decoder reads, at each of its steps, the target of the
 * step before (<s> at the first): teacher forcing. Its columns then show
 * that, and a caption above them says so; the decoder's input chips are
 * outlined, dashed, and a small hook under each (from the second on)
 * points back to the column whose target it is.
 *
 * An evaluation pass (greedy decoding, GsSnapshot.decode) reads its own
 * prediction of the step before instead, as the task's judge decodes
 * (gs-task-seq2seq.c). Then an arrow runs from each decoder step's
 * prediction down the gap beside its column to the next step's input
 * chip; the chip is outlined in the success colour where the token fed is
 * the target it replaces, in the error colour (and tinted) where it is
 * not — so a wrong early prediction visibly derails what follows — and an
 * input not yet known (its step before not computed) is an empty dashed
 * chip. The caption says which mode is shown.
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
  if (s->decode == GS_DECODE_GREEDY)
    /* Translators: the caption of an encoder–decoder task's evaluation pass
     * in the unrolled view. Greedy decoding is the usual term. */
    return _("Greedy decoding (evaluation): decoder input = its own prediction of t − 1; "
             "red where that is not the target");
  /* Translators: the caption of an encoder–decoder task in the unrolled view.
   * Teacher forcing and greedy decoding are the usual terms. */
  return _("Decoder input = the target of t − 1 (teacher forcing, in training); "
           "in evaluation, its own prediction of t − 1 (greedy decoding)");
}

/* The arrow of a greedy pass: from the prediction of decoder step t − 1
 * (the column before t) down the gap between the two columns to the input
 * chip of step t, whose left edge is at chip_x. */
static void
greedy_arrow (GsUnrolledView   *self,
              cairo_t          *cr,
              const GsSnapshot *s,
              const Geometry   *g,
              int               t,
              float             chip_x)
{
  /* on whole pixels: a 2 px line then covers two columns of pixels fully */
  const float gap_x = roundf ((gs_unrolled_view_box_x (g, t - 1) + g->box_w + gs_unrolled_view_box_x (g, t)) / 2.0f);
  const float y_from = roundf (g->y_pred + ROW_PRED / 2.0f), y_to = roundf (g->y_input + ROW_INPUT / 2.0f - 1.0f);
  g_autoptr(PangoLayout) letter = NULL;
  g_autoptr(PangoLayout) prob = NULL;
  graphene_rect_t r;
  float x_from;

  /* from just right of the prediction (its letter and probability) */
  gs_unrolled_view_prediction_layouts (self, s, g, t - 1, &letter, &prob, &r);
  x_from = MIN (r.origin.x + r.size.width + 4.0f, gap_x - 3.0f);

  cairo_arc (cr, x_from, y_from, 2.5, 0.0, 2.0 * G_PI);
  cairo_fill (cr);
  cairo_move_to (cr, x_from, y_from);
  cairo_line_to (cr, gap_x, y_from);
  cairo_line_to (cr, gap_x, y_to);
  cairo_line_to (cr, chip_x - 6.0, y_to);
  cairo_stroke (cr);
  gs_view_cairo_arrowhead (cr, chip_x - 2.0, y_to, 1.0, 0.0, 5.0);
}

void
gs_unrolled_view_draw_decoder_inputs (GsUnrolledView     *self,
                                      GtkSnapshot        *snapshot,
                                      const GsSnapshot   *s,
                                      const Geometry     *g,
                                      const GsViewColors *pal)
{
  const GdkRGBA faint = gs_view_with_alpha (&pal->fg, 0.6f);
  const gboolean greedy = s->decode == GS_DECODE_GREEDY;
  const float right = gs_unrolled_view_column_x (g, g->t0 + g->n);
  g_autoptr(PangoLayout) caption = NULL;
  cairo_t *cr;
  int w, h;

  /* The caption, in the legend's row, as wide as the columns. */
  caption = gs_view_text_layout (GTK_WIDGET (self), gs_unrolled_view_decoder_caption (s), LABEL_PX - 1, FALSE);
  pango_layout_set_width (caption, (int) MAX (1.0f, right - g->x0) * PANGO_SCALE);
  pango_layout_set_ellipsize (caption, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (caption, &w, &h);
  gs_view_text_append (snapshot, caption, g->x0, g->y_legend + (ROW_LEGEND - h) / 2.0f,
                       greedy ? &pal->fg : &faint);

  /* Teacher forcing: each decoder input chip outlined, dashed; from the
   * second on, a hook from the previous column's side. Greedy: the chips
   * in the colour of their token's verdict, the arrows from the
   * predictions. */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (g->x0, g->top, right - g->x0,
                                                                 g->y_input + ROW_INPUT - g->top));
  cairo_set_line_width (cr, 1.5);
  for (int t = MAX (s->T_enc, g->t0); t < g->t0 + g->n; t++)
    {
      const float chip = gs_unrolled_view_chip_width (GTK_WIDGET (self), g, s, t);
      const float x = gs_unrolled_view_column_x (g, t) + (g->col_w - chip) / 2.0f;
      const float y = g->y_input + 4.0f, hgt = ROW_INPUT - 6.0f;
      const double dash[] = { 3.0, 2.0 };
      const gboolean known = s->tokens[t] >= 0;
      const gboolean wrong = greedy && known && !gs_snapshot_fed_target (s, t);
      const GdkRGBA *color = !greedy || !known ? &faint : wrong ? &pal->error : &pal->success;

      gdk_cairo_set_source_rgba (cr, color);
      if (!greedy || !known)
        cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);
      cairo_set_line_width (cr, greedy && known ? 2.5 : 1.5);
      gs_view_cairo_rounded_rect (cr, x - 1.5, y - 1.5, chip + 3.0, hgt + 3.0, 9.0);
      cairo_stroke (cr);
      if (wrong)
        {
          GdkRGBA tint = gs_view_with_alpha (&pal->error, 0.2f);

          gdk_cairo_set_source_rgba (cr, &tint);
          gs_view_cairo_rounded_rect (cr, x, y, chip, hgt, 8.0);
          cairo_fill (cr);
          gdk_cairo_set_source_rgba (cr, color);
        }
      cairo_set_dash (cr, NULL, 0, 0.0);
      cairo_set_line_width (cr, 1.5);
      if (t > s->T_enc && t > g->t0 && greedy)
        {
          /* from a prediction already made only */
          if (t - 1 < s->t_fwd)
            {
              cairo_set_line_width (cr, 2.0);
              greedy_arrow (self, cr, s, g, t, x);
            }
        }
      else if (t > s->T_enc && t > g->t0)
        {
          const float prev = gs_unrolled_view_chip_width (GTK_WIDGET (self), g, s, t - 1);
          const float from = gs_unrolled_view_column_x (g, t) - (g->col_w - prev) / 2.0f + 2.0f;
          const float ym = y + hgt / 2.0f;

          cairo_move_to (cr, from, ym);
          cairo_line_to (cr, x - 6.0, ym);
          cairo_stroke (cr);
          gs_view_cairo_arrowhead (cr, x - 2.0, ym, 1.0, 0.0, 5.0);
        }
    }
  cairo_destroy (cr);
}
