/* gs-code-panel.c — the run's model as code (gs-code-panel.h).
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Code"

#include <stdlib.h>

#include "gs-code-panel.h"

#include <glib/gi18n.h>

#include "gs-code.h"
#include "gs-shapes.h"

struct _GsCodePanel
{
  AdwBin           parent_instance;

  /* template widgets */
  GtkToggleButton *pytorch_button;
  GtkToggleButton *keras_button;
  GtkLabel        *code_label;

  /* owned */
  GsTrainConfig    config;
  gboolean         have_config;
};

G_DEFINE_FINAL_TYPE (GsCodePanel, gs_code_panel, ADW_TYPE_BIN)

static void
update (GsCodePanel *self)
{
  g_autofree GsShapes *shapes = g_new0 (GsShapes, 1);
  g_autofree char *text = NULL;
  GsCodeFramework fw = gtk_toggle_button_get_active (self->keras_button) ? GS_CODE_KERAS : GS_CODE_PYTORCH;
  GsError err;

  if (!self->have_config)
    return;
  /* The run's own model: the task decides V, O and the input kind. */
  if (gs_shapes_describe_run (shapes, &self->config, 0, &err) == GS_OK)
    {
      char *code = gs_code_generate (fw, &shapes->cfg, &self->config);   /* malloc'd: core/ */

      text = g_strdup (code != NULL ? code : _("out of memory"));
      free (code);
    }
  else
    {
      /* Translators: %s is the engine's reason. */
      text = g_strdup_printf (_("This run's model cannot be written as code: %s"), err.msg);
    }
  gtk_label_set_text (self->code_label, text);
}

/* Keras' button toggles both ways; the group toggles PyTorch's with it. */
static void
on_framework_toggled (GsCodePanel *self)
{
  update (self);
}

static void
on_copy_clicked (GsCodePanel *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), gtk_label_get_text (self->code_label));
}

static void
gs_code_panel_class_init (GsCodePanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-code-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GsCodePanel, pytorch_button);
  gtk_widget_class_bind_template_child (widget_class, GsCodePanel, keras_button);
  gtk_widget_class_bind_template_child (widget_class, GsCodePanel, code_label);
  gtk_widget_class_bind_template_callback (widget_class, on_framework_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
}

static void
gs_code_panel_init (GsCodePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gs_code_panel_new (void)
{
  return g_object_new (GS_TYPE_CODE_PANEL, NULL);
}

void
gs_code_panel_set_config (GsCodePanel         *self,
                          const GsTrainConfig *config)
{
  g_return_if_fail (GS_IS_CODE_PANEL (self));
  g_return_if_fail (config != NULL);

  self->config = *config;
  self->have_config = TRUE;
  update (self);
}

const char *
gs_code_panel_get_text (GsCodePanel *self)
{
  g_return_val_if_fail (GS_IS_CODE_PANEL (self), NULL);

  return gtk_label_get_text (self->code_label);
}
