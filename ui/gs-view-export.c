/* gs-view-export.c — a view, or a whole page, as a picture for slides.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The picture is one render node: the window's background, the widget as
 * GTK last drew it (a GtkWidgetPaintable's snapshot, the very node on
 * screen), and the caption below, through the same text helper the views
 * use. gsk_render_node_draw replays that node into the cairo surface of
 * the format asked for: the views' cairo nodes are recording surfaces and
 * their text nodes Pango glyphs, so SVG and PDF get paths and text, not a
 * bitmap.
 */

#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "gs-file.h"
#include "gs-view-export.h"
#include "gs-view-style.h"
#include "gs-view-text.h"

#define CAPTION_PX   15.0   /* design px of the caption's type */
#define CAPTION_PAD  10     /* px around the caption */

gboolean
gs_view_export_format_from_path (const char         *path,
                                 GsViewExportFormat *format)
{
  static const struct { const char *ext; GsViewExportFormat format; } table[] = {
    { ".png", GS_VIEW_EXPORT_PNG },
    { ".svg", GS_VIEW_EXPORT_SVG },
    { ".pdf", GS_VIEW_EXPORT_PDF },
  };
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_ascii_strcasecmp (dot, table[i].ext) == 0)
      {
        *format = table[i].format;
        return TRUE;
      }
  return FALSE;
}

const char *
gs_view_export_format_extension (GsViewExportFormat format)
{
  switch (format)
    {
    case GS_VIEW_EXPORT_PNG: return "png";
    case GS_VIEW_EXPORT_SVG: return "svg";
    case GS_VIEW_EXPORT_PDF: return "pdf";
    default:                 g_return_val_if_reached ("png");
    }
}

/* ───────────────────────── the node ───────────────────────── */

/* The window's background behind the widget: its own is transparent. */
static GdkRGBA
background_color (GtkWidget          *widget,
                  const GsViewColors *colors)
{
  GdkRGBA bg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "window_bg_color", &bg))
    return bg;
  G_GNUC_END_IGNORE_DEPRECATIONS
  return colors->dark ? (GdkRGBA) { 0.14f, 0.14f, 0.14f, 1.0f } : (GdkRGBA) { 1.0f, 1.0f, 1.0f, 1.0f };
}

/* The picture as one node, and its size in widget px. */
static GskRenderNode *
picture_node (GtkWidget  *widget,
              const char *caption,
              int        *width,
              int        *height,
              GError    **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) content = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  GtkSnapshot *snapshot;
  GsViewColors colors;
  GdkRGBA bg;
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  int caption_h = 0;

  if (w <= 0 || h <= 0 || !gtk_widget_get_mapped (widget))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The view is not on screen: there is nothing to draw"));
      return NULL;
    }

  /* What GTK drew on screen, as a node. */
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  content = gtk_snapshot_free_to_node (snapshot);
  if (content == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The view has not been drawn yet"));
      return NULL;
    }

  gs_view_colors_get (&colors, widget);
  bg = background_color (widget, &colors);
  if (caption != NULL && caption[0] != '\0')
    {
      int lw, lh;

      layout = gs_view_text_layout (widget, caption, CAPTION_PX, FALSE);
      pango_layout_set_width (layout, MAX (w - 2 * CAPTION_PAD, 1) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      caption_h = lh + 2 * CAPTION_PAD;
    }

  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, w, h + caption_h));
  gtk_snapshot_append_node (snapshot, content);
  if (layout != NULL)
    gs_view_text_append (snapshot, layout, CAPTION_PAD, h + CAPTION_PAD, &colors.fg);

  *width = w;
  *height = h + caption_h;
  return gtk_snapshot_free_to_node (snapshot);
}

/* ───────────────────────── vectors only ───────────────────────── */

/* GSK draws a border of four different colours (a card's, a button's)
 * with a cairo mesh pattern, which neither SVG nor PDF surfaces support:
 * cairo then turns the whole picture into one bitmap. A copy of the tree
 * where each such border is four one-coloured borders, one side each,
 * draws as filled paths instead. */
static GskRenderNode *
vector_node (GskRenderNode *node)
{
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_BORDER_NODE:
      {
        const GdkRGBA *colors = gsk_border_node_get_colors (node);
        const float *widths = gsk_border_node_get_widths (node);
        const GskRoundedRect *outline = gsk_border_node_get_outline (node);
        GskRenderNode *sides[4];
        guint n = 0;

        if (gdk_rgba_equal (&colors[0], &colors[1]) && gdk_rgba_equal (&colors[0], &colors[2]) &&
            gdk_rgba_equal (&colors[0], &colors[3]))
          return gsk_render_node_ref (node);
        for (int i = 0; i < 4; i++)
          {
            float side[4] = { 0, 0, 0, 0 };
            const GdkRGBA one[4] = { colors[i], colors[i], colors[i], colors[i] };

            if (widths[i] <= 0 || colors[i].alpha <= 0)
              continue;
            side[i] = widths[i];
            sides[n++] = gsk_border_node_new (outline, side, one);
          }
        {
          GskRenderNode *container = gsk_container_node_new (sides, n);

          for (guint i = 0; i < n; i++)
            gsk_render_node_unref (sides[i]);
          return container;
        }
      }

    case GSK_CONTAINER_NODE:
      {
        guint n = gsk_container_node_get_n_children (node);
        g_autofree GskRenderNode **children = g_new (GskRenderNode *, MAX (n, 1));
        GskRenderNode *container;

        for (guint i = 0; i < n; i++)
          children[i] = vector_node (gsk_container_node_get_child (node, i));
        container = gsk_container_node_new (children, n);
        for (guint i = 0; i < n; i++)
          gsk_render_node_unref (children[i]);
        return container;
      }

    case GSK_TRANSFORM_NODE:
      {
        g_autoptr(GskRenderNode) child = vector_node (gsk_transform_node_get_child (node));

        return gsk_transform_node_new (child, gsk_transform_node_get_transform (node));
      }

    case GSK_CLIP_NODE:
      {
        g_autoptr(GskRenderNode) child = vector_node (gsk_clip_node_get_child (node));

        return gsk_clip_node_new (child, gsk_clip_node_get_clip (node));
      }

    case GSK_ROUNDED_CLIP_NODE:
      {
        g_autoptr(GskRenderNode) child = vector_node (gsk_rounded_clip_node_get_child (node));

        return gsk_rounded_clip_node_new (child, gsk_rounded_clip_node_get_clip (node));
      }

    case GSK_OPACITY_NODE:
      {
        g_autoptr(GskRenderNode) child = vector_node (gsk_opacity_node_get_child (node));

        return gsk_opacity_node_new (child, gsk_opacity_node_get_opacity (node));
      }

    case GSK_DEBUG_NODE:
      return vector_node (gsk_debug_node_get_child (node));

    default:
      return gsk_render_node_ref (node);
    }
}

/* ───────────────────────── the surfaces ───────────────────────── */

static cairo_status_t
append_to_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
draw_image (GskRenderNode *node,
            int            width,
            int            height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         width * GS_VIEW_EXPORT_PNG_SCALE,
                                                         height * GS_VIEW_EXPORT_PNG_SCALE);
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, GS_VIEW_EXPORT_PNG_SCALE, GS_VIEW_EXPORT_PNG_SCALE);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static gboolean
check_cairo (cairo_status_t status,
             GError       **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Drawing failed: %s"),
               cairo_status_to_string (status));
  return FALSE;
}

GBytes *
gs_view_export_render (GtkWidget          *widget,
                       GsViewExportFormat  format,
                       const char         *caption,
                       GError            **error)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  int width, height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = picture_node (widget, caption, &width, &height, error);
  if (node == NULL)
    return NULL;

  bytes = g_byte_array_new ();
  switch (format)
    {
    case GS_VIEW_EXPORT_PNG:
      surface = draw_image (node, width, height);
      status = cairo_surface_status (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream (surface, append_to_bytes, bytes);
      cairo_surface_destroy (surface);
      break;

    case GS_VIEW_EXPORT_SVG:
    case GS_VIEW_EXPORT_PDF:
    default:
      {
        cairo_t *cr;

        /* One widget pixel is one SVG pixel, and one PDF point. */
        if (format == GS_VIEW_EXPORT_SVG)
          {
            surface = cairo_svg_surface_create_for_stream (append_to_bytes, bytes, width, height);
            cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
          }
        else
          {
            surface = cairo_pdf_surface_create_for_stream (append_to_bytes, bytes, width, height);
            cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Gatescope");
          }
        cr = cairo_create (surface);
        {
          g_autoptr(GskRenderNode) vectors = vector_node (node);

          gsk_render_node_draw (vectors, cr);
        }
        status = cairo_status (cr);
        cairo_destroy (cr);
        cairo_surface_finish (surface);
        if (status == CAIRO_STATUS_SUCCESS)
          status = cairo_surface_status (surface);
        cairo_surface_destroy (surface);
      }
      break;
    }
  if (!check_cairo (status, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

gboolean
gs_view_export_to_file (GtkWidget   *widget,
                        const char  *path,
                        const char  *caption,
                        GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  GsViewExportFormat format;
  GsError err = { { 0 } };
  const void *data[1];
  size_t len[1];
  gsize size;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = g_filename_display_name (path);
  if (!gs_view_export_format_from_path (path, &format))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _("Could not write “%s”: the name must end in .png, .svg or .pdf"), name);
      return FALSE;
    }
  bytes = gs_view_export_render (widget, format, caption, error);
  if (bytes == NULL)
    {
      g_prefix_error (error, _("Could not write “%s”: "), name);
      return FALSE;
    }
  data[0] = g_bytes_get_data (bytes, &size);
  len[0] = size;
  /* core's message names the file and the fault: "cannot write …: …". */
  if (gs_file_write_atomic (path, 1, data, len, &err) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, err.msg);
      return FALSE;
    }
  return TRUE;
}

GdkTexture *
gs_view_export_texture (GtkWidget   *widget,
                        const char  *caption,
                        GError     **error)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface;
  GdkTexture *texture;
  int width, height, stride;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = picture_node (widget, caption, &width, &height, error);
  if (node == NULL)
    return NULL;
  surface = draw_image (node, width, height);
  if (!check_cairo (cairo_surface_status (surface), error))
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  /* CAIRO_FORMAT_ARGB32 in memory is GDK_MEMORY_DEFAULT (premultiplied,
   * native-endian ARGB). */
  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) stride * (gsize) cairo_image_surface_get_height (surface));
  texture = gdk_memory_texture_new (cairo_image_surface_get_width (surface),
                                    cairo_image_surface_get_height (surface),
                                    GDK_MEMORY_DEFAULT, bytes, stride);
  cairo_surface_destroy (surface);
  return texture;
}
