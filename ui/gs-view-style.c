/* gs-view-style.c — colours from the widget's style, and the shapes drawn in them.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gs-view-style.h"

/* Adwaita's named colours, for themes that do not define them. */
static const GdkRGBA fallback_accent = { 0.208f, 0.518f, 0.894f, 1.0f };
static const GdkRGBA fallback_success = { 0.149f, 0.635f, 0.412f, 1.0f };
static const GdkRGBA fallback_error = { 0.753f, 0.110f, 0.157f, 1.0f };

/* Adwaita's palette: purple 1 and orange 2 read on dark, purple 3 and
 * orange 4 on light. */
static const GdkRGBA purple_dark = { 0.863f, 0.541f, 0.867f, 1.0f };
static const GdkRGBA purple_light = { 0.569f, 0.255f, 0.675f, 1.0f };
static const GdkRGBA orange_dark = { 1.000f, 0.639f, 0.282f, 1.0f };
static const GdkRGBA orange_light = { 0.902f, 0.380f, 0.000f, 1.0f };

/* Colours */

static void
lookup (GtkStyleContext *context,
        const char      *name,
        const GdkRGBA   *fallback,
        GdkRGBA         *out)
{
  if (!gtk_style_context_lookup_color (context, name, out))
    *out = *fallback;
}

void
gs_view_colors_get (GsViewColors *colors,
                    GtkWidget    *widget)
{
  GtkStyleContext *context;

  g_assert (GTK_IS_WIDGET (widget));

  /* gtk_style_context_* are deprecated in GTK 4.10 only; 4.8 has no other way. */
  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &colors->fg);
  lookup (context, "accent_color", &fallback_accent, &colors->accent);
  lookup (context, "success_color", &fallback_success, &colors->success);
  lookup (context, "error_color", &fallback_error, &colors->error);
  colors->dark = gs_view_is_dark (&colors->fg);
  colors->gradient = colors->dark ? purple_dark : purple_light;
  colors->belt = colors->dark ? orange_dark : orange_light;
}

gboolean
gs_view_is_dark (const GdkRGBA *fg)
{
  /* Y = 0.2126 R + 0.7152 G + 0.0722 B (Rec. 709) */
  return 0.2126f * fg->red + 0.7152f * fg->green + 0.0722f * fg->blue > 0.5f;
}

GdkRGBA
gs_view_with_alpha (const GdkRGBA *color,
                    float          alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

/* Shapes */

void
gs_view_append_frame (GtkSnapshot           *snapshot,
                      const graphene_rect_t *rect,
                      float                  radius,
                      float                  width,
                      const GdkRGBA         *color)
{
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };
  GskRoundedRect frame;

  gsk_rounded_rect_init_from_rect (&frame, rect, radius);
  gtk_snapshot_append_border (snapshot, &frame, widths, colors);
}

void
gs_view_cairo_rounded_rect (cairo_t *cr,
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

void
gs_view_cairo_arrowhead (cairo_t *cr,
                         double   x,
                         double   y,
                         double   ux,
                         double   uy,
                         double   length)
{
  /* Half as wide as long, a little more: 0.55. */
  const double w = length * 0.55;

  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x - ux * length - uy * w, y - uy * length + ux * w);
  cairo_line_to (cr, x - ux * length + uy * w, y - uy * length - ux * w);
  cairo_close_path (cr);
  cairo_fill (cr);
}
