/* gs-help-window.c — the short user guide (see gs-help-window.h).
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "gs-help-window.h"

struct _GsHelpWindow
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (GsHelpWindow, gs_help_window, ADW_TYPE_WINDOW)

static void
gs_help_window_class_init (GsHelpWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-help-window.ui");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
gs_help_window_init (GsHelpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GsHelpWindow *
gs_help_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (GS_TYPE_HELP_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
}
