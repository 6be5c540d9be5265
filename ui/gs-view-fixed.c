/* gs-view-fixed.c — the mark of a value an intervention fixes (gs-view-fixed.h).
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gs-view-fixed.h"
#include "gs-view-text.h"

#define MARK_W     2.0    /* px, each of the outline's two colours */
#define DASH       4.0    /* px, the dashes of the text colour */
#define LOCK_MIN   10.0   /* px, the smallest cell that gets a padlock */

GsFix
gs_view_fixed_at (const GsSnapshot *s,
                  int               k,
                  int               t,
                  char              q,
                  int               u)
{
  if (s == NULL || s->iv.n == 0)
    return GS_FIX_NONE;
  return gs_interventions_fixes (&s->iv, &s->cfg, k, t, q, u);
}

gboolean
gs_view_has_fixed (const GsSnapshot *s)
{
  return s != NULL && s->iv.n > 0;
}

/* The background's colour, judged as GsViewColors judges it. */
static GdkRGBA
backdrop (const GsViewColors *colors)
{
  return colors->dark ? (GdkRGBA) { 0.12f, 0.12f, 0.12f, 1.0f } : (GdkRGBA) { 1.0f, 1.0f, 1.0f, 1.0f };
}

/* A padlock `size` px high with its top-right corner at (x, y). */
static void
padlock (cairo_t       *cr,
         double         x,
         double         y,
         double         size,
         const GdkRGBA *body,
         const GdkRGBA *edge)
{
  const double w = size * 0.8, bh = size * 0.55, left = x - w;

  /* the shackle: an arch over the body */
  cairo_new_path (cr);
  cairo_arc (cr, left + w / 2.0, y + size - bh, w * 0.3, G_PI, 0.0);
  cairo_set_line_width (cr, MAX (1.5, size * 0.16) + 2.0);
  gdk_cairo_set_source_rgba (cr, edge);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, MAX (1.5, size * 0.16));
  gdk_cairo_set_source_rgba (cr, body);
  cairo_stroke (cr);
  /* the body */
  cairo_rectangle (cr, left, y + size - bh, w, bh);
  gdk_cairo_set_source_rgba (cr, body);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1.0);
  gdk_cairo_set_source_rgba (cr, edge);
  cairo_stroke (cr);
}

void
gs_view_cairo_fixed_mark (cairo_t            *cr,
                          double              x,
                          double              y,
                          double              w,
                          double              h,
                          GsFix               fix,
                          const GsViewColors *colors)
{
  const GdkRGBA back = backdrop (colors);
  const double dashes[] = { DASH, DASH };
  /* narrow bars keep most of their colour: thinner rings */
  const double inset = MIN (MARK_W, MIN (w, h) / 8.0);

  if (fix == GS_FIX_NONE || w <= 0.0 || h <= 0.0)
    return;
  cairo_save (cr);
  /* solid in the background's colour under everything */
  cairo_rectangle (cr, x + inset / 2.0, y + inset / 2.0, w - inset, h - inset);
  cairo_set_line_width (cr, inset);
  gdk_cairo_set_source_rgba (cr, &back);
  cairo_stroke_preserve (cr);
  gdk_cairo_set_source_rgba (cr, &colors->fg);
  if (fix == GS_FIX_WEIGHT)
    {
      /* an edited weight: dashes in the text colour */
      cairo_set_dash (cr, dashes, 2, 0.0);
      cairo_stroke (cr);
      cairo_restore (cr);
      return;
    }
  cairo_new_path (cr);
  /* a fixed value: an inner ring in the text colour, and the padlock where it fits */
  if (w > 3.0 * inset && h > 3.0 * inset)
    {
      cairo_rectangle (cr, x + inset * 1.5, y + inset * 1.5, w - 3.0 * inset, h - 3.0 * inset);
      cairo_stroke (cr);
    }
  if (MIN (w, h) >= LOCK_MIN)
    padlock (cr, x + w - inset * 2.0 - 1.0, y + inset * 2.0 + 1.0, CLAMP (MIN (w, h) * 0.45, 7.0, 14.0),
             &colors->fg, &back);
  cairo_restore (cr);
}

void
gs_view_append_fixed_mark (GtkSnapshot           *snapshot,
                           const graphene_rect_t *rect,
                           GsFix                  fix,
                           const GsViewColors    *colors)
{
  cairo_t *cr;

  if (fix == GS_FIX_NONE || rect->size.width <= 0.0f || rect->size.height <= 0.0f)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, rect);
  gs_view_cairo_fixed_mark (cr, rect->origin.x, rect->origin.y, rect->size.width, rect->size.height, fix,
                            colors);
  cairo_destroy (cr);
}

static PangoLayout *
legend_layout (GtkWidget *widget,
               float      px,
               gboolean   brief)
{
  /* Translators: the legend of the mark on a value that an intervention fixes (a clamped gate, a set state). */
  return gs_view_text_layout (widget, brief ? _("fixed") : _("fixed by an intervention"), px, FALSE);
}

float
gs_view_fixed_legend_width (GtkWidget *widget,
                            float      px,
                            gboolean   brief)
{
  g_autoptr(PangoLayout) layout = legend_layout (widget, px, brief);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return MAX (h, (int) LOCK_MIN + 4) + 4.0f + w;
}

float
gs_view_append_fixed_legend (GtkSnapshot        *snapshot,
                             GtkWidget          *widget,
                             float               x,
                             float               y,
                             float               px,
                             gboolean            brief,
                             const GsViewColors *colors)
{
  g_autoptr(PangoLayout) layout = legend_layout (widget, px, brief);
  int w, h;
  float side;

  pango_layout_get_pixel_size (layout, &w, &h);
  side = MAX (h, (int) LOCK_MIN + 4);
  gs_view_append_fixed_mark (snapshot, &GRAPHENE_RECT_INIT (x, y + (h - side) / 2.0f, side, side),
                             GS_FIX_VALUE, colors);
  gs_view_text_append (snapshot, layout, x + side + 4.0f, y, &colors->fg);
  return side + 4.0f + w;
}
