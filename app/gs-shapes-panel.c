/* gs-shapes-panel.c — the run's tensors, counts and shapes (gs-shapes-panel.h).
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Shapes"

#include <stdlib.h>

#include "gs-shapes-panel.h"

#include <glib/gi18n.h>

#include "gs-shapes.h"
#include "gs-text.h"

struct _GsShapesPanel
{
  AdwBin    parent_instance;

  /* template widgets */
  GtkLabel *text_label;
};

G_DEFINE_FINAL_TYPE (GsShapesPanel, gs_shapes_panel, ADW_TYPE_BIN)

/* The text is padded by display columns (gs_utf8_width: a Chinese
 * character takes two), which lines its tables up in a terminal. A label's
 * Chinese glyphs come from a fallback font whose advance is seldom exactly
 * two of the monospace font's, so each wide character gets letter spacing
 * that makes up the difference, measured in the label's own font. */
static void
apply_column_widths (GsShapesPanel *self)
{
  const char *text = gtk_label_get_text (self->text_label);
  g_autoptr(PangoLayout) probe = gtk_widget_create_pango_layout (GTK_WIDGET (self->text_label), "0");
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoRectangle logical;
  int column;

  pango_layout_get_extents (probe, NULL, &logical);
  column = logical.width;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char glyph[8];
      int n;

      if (gs_char_width (c) != 2)
        continue;
      n = g_unichar_to_utf8 (c, glyph);
      pango_layout_set_text (probe, glyph, n);
      pango_layout_get_extents (probe, NULL, &logical);
      if (logical.width != 2 * column)
        {
          PangoAttribute *spacing = pango_attr_letter_spacing_new (2 * column - logical.width);

          spacing->start_index = (guint) (p - text);
          spacing->end_index = spacing->start_index + (guint) n;
          pango_attr_list_insert (attrs, spacing);
        }
    }
  gtk_label_set_attributes (self->text_label, attrs);
  pango_attr_list_unref (attrs);
}

/* The label's font is known once it is in a window. */
static void
gs_shapes_panel_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gs_shapes_panel_parent_class)->root (widget);
  apply_column_widths (GS_SHAPES_PANEL (widget));
}

static void
gs_shapes_panel_class_init (GsShapesPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->root = gs_shapes_panel_root;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-shapes-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GsShapesPanel, text_label);
}

static void
gs_shapes_panel_init (GsShapesPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gs_shapes_panel_new (void)
{
  return g_object_new (GS_TYPE_SHAPES_PANEL, NULL);
}

void
gs_shapes_panel_set_config (GsShapesPanel       *self,
                            const GsTrainConfig *config)
{
  g_autofree GsShapes *shapes = g_new0 (GsShapes, 1);
  g_autofree char *text = NULL;
  GsError err;

  g_return_if_fail (GS_IS_SHAPES_PANEL (self));
  g_return_if_fail (config != NULL);

  if (gs_shapes_describe_run (shapes, config, 0, &err) == GS_OK)
    {
      char *described = gs_shapes_format (shapes);   /* malloc'd: core/ */

      text = g_strdup (described != NULL ? described : _("out of memory"));
      free (described);
    }
  else
    {
      /* Translators: %s is the engine's reason. */
      text = g_strdup_printf (_("This run's model cannot be described: %s"), err.msg);
    }
  gtk_label_set_text (self->text_label, text);
  apply_column_widths (self);
}

const char *
gs_shapes_panel_get_text (GsShapesPanel *self)
{
  g_return_val_if_fail (GS_IS_SHAPES_PANEL (self), NULL);

  return gtk_label_get_text (self->text_label);
}
