/* gs-view-style.h — colours from the widget's style, and the shapes drawn in them.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every view takes its colours from its own style: the text colour, the
 * named colours of libadwaita (accent, success, error) with Adwaita's
 * values where a theme does not define them, and whether the background
 * is dark, judged from the text colour (light text, dark background; ui/
 * does not link libadwaita and GTK 4.8 has no gtk_widget_get_color). The
 * values themselves are coloured by gs-colormap.h, never here.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  GdkRGBA  fg;        /* the text colour */
  GdkRGBA  accent;    /* the current timestep, the loss curve */
  GdkRGBA  success;   /* a right prediction */
  GdkRGBA  error;     /* a wrong prediction */
  GdkRGBA  gradient;  /* dL/dh: Adwaita purple, lighter on dark */
  GdkRGBA  belt;      /* the LSTM's cell state c (and dL/dc): Adwaita orange */
  gboolean dark;      /* light text on a dark background */
} GsViewColors;

/* Colours */

void     gs_view_colors_get         (GsViewColors          *colors,
                                     GtkWidget             *widget);
/* Light text (relative luminance > 0.5) means a dark background. */
gboolean gs_view_is_dark            (const GdkRGBA         *fg);
/* `color` with its alpha multiplied by `alpha`. */
GdkRGBA  gs_view_with_alpha         (const GdkRGBA         *color,
                                     float                  alpha);

/* Shapes */

/* A frame `width` px wide just inside `rect`, corners of `radius`. */
void     gs_view_append_frame       (GtkSnapshot           *snapshot,
                                     const graphene_rect_t *rect,
                                     float                  radius,
                                     float                  width,
                                     const GdkRGBA         *color);
/* A rounded rectangle as a cairo sub-path. */
void     gs_view_cairo_rounded_rect (cairo_t               *cr,
                                     double                 x,
                                     double                 y,
                                     double                 w,
                                     double                 h,
                                     double                 r);
/* A filled arrowhead `length` long with its tip at (x, y), pointing along
 * the unit vector (ux, uy). The line into it should stop 0.8 · length short
 * of the tip, so that its round cap hides under the head. */
void     gs_view_cairo_arrowhead    (cairo_t               *cr,
                                     double                 x,
                                     double                 y,
                                     double                 ux,
                                     double                 uy,
                                     double                 length);

G_END_DECLS
