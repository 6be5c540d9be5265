/* gs-view-export.h — a view, or a whole page, as a picture for slides.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any widget that has been drawn (a GsView, the stepping page) is taken as
 * the render node GTK drew on screen (GtkWidgetPaintable) and replayed into
 * a cairo surface with gsk_render_node_draw: PNG at GS_VIEW_EXPORT_PNG_SCALE
 * times its size, or SVG and PDF, where the views' cairo paths, rectangles
 * and Pango text stay vectors. The picture is laid on the window's
 * background colour; an optional caption (one line, through Pango in the
 * views' own font, so Chinese works) goes below it. Files are written
 * atomically (gs_file_write_atomic).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  GS_VIEW_EXPORT_PNG,
  GS_VIEW_EXPORT_SVG,
  GS_VIEW_EXPORT_PDF,
} GsViewExportFormat;

/* Pixels per widget pixel in a PNG and on the clipboard: sharp on a slide. */
#define GS_VIEW_EXPORT_PNG_SCALE 2

/* The format a file name's extension asks for (.png, .svg, .pdf, any
 * case); FALSE for any other name. */
gboolean     gs_view_export_format_from_path (const char          *path,
                                              GsViewExportFormat  *format);
/* The extension of `format`, without the dot: "png". */
const char  *gs_view_export_format_extension (GsViewExportFormat   format);

/* The picture of `widget` (with `caption` below it, unless NULL or "") as
 * the bytes of a file in `format`. NULL and an error when the widget has
 * not been drawn yet or cairo fails. */
GBytes      *gs_view_export_render           (GtkWidget           *widget,
                                              GsViewExportFormat   format,
                                              const char          *caption,
                                              GError             **error);
/* The same, written atomically to `path` in the format its extension names.
 * Errors name the file and the fault. */
gboolean     gs_view_export_to_file          (GtkWidget           *widget,
                                              const char          *path,
                                              const char          *caption,
                                              GError             **error);
/* The picture as a texture at GS_VIEW_EXPORT_PNG_SCALE (for the clipboard). */
GdkTexture  *gs_view_export_texture          (GtkWidget           *widget,
                                              const char          *caption,
                                              GError             **error);

G_END_DECLS
