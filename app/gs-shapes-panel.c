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

struct _GsShapesPanel
{
  AdwBin    parent_instance;

  /* template widgets */
  GtkLabel *text_label;
};

G_DEFINE_FINAL_TYPE (GsShapesPanel, gs_shapes_panel, ADW_TYPE_BIN)

static void
gs_shapes_panel_class_init (GsShapesPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

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
}

const char *
gs_shapes_panel_get_text (GsShapesPanel *self)
{
  g_return_val_if_fail (GS_IS_SHAPES_PANEL (self), NULL);

  return gtk_label_get_text (self->text_label);
}
