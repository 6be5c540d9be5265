/* gs-ui-test-window.c — helpers shared by the tests that open the window.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gs-settings-panel.h"
#include "gs-ui-test-window.h"

GsApplication *
gs_ui_test_app_new (GApplicationFlags flags)
{
  GsApplication *app = gs_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | flags);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_set_default (G_APPLICATION (app));
  return app;
}

GsWindow *
gs_ui_test_open_window (int width,
                        int height)
{
  GApplication *app = g_application_get_default ();
  GsWindow *win;

  g_assert_true (GS_IS_APPLICATION (app));
  win = gs_window_new (GS_APPLICATION (app));
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (win), width, height);
  gtk_window_present (GTK_WINDOW (win));
  gs_ui_test_wait_for (gs_ui_test_is_shown, gs_ui_test_child (win, "cell_view"), "the window to be shown");
  gs_ui_test_sync (win);
  return win;
}

gpointer
gs_ui_test_child (GsWindow   *win,
                  const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW, name);

  if (object == NULL)
    {
      GtkWidget *panel = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW,
                                                                    "settings_panel"));

      g_assert_true (GS_IS_SETTINGS_PANEL (panel));
      object = gtk_widget_get_template_child (panel, GS_TYPE_SETTINGS_PANEL, name);
      if (object == NULL)
        object = G_OBJECT (gs_ui_test_find_named (panel, name));
    }
  g_assert_nonnull (object);
  return object;
}

GsSession *
gs_ui_test_session (GsWindow *win)
{
  GsSession *session = gs_window_get_session (win);

  g_assert_true (GS_IS_SESSION (session));
  return session;
}

void
gs_ui_test_sync (GsWindow *win)
{
  gs_session_sync (gs_ui_test_session (win));
  gs_ui_test_flush_main_loop ();
}

const GsSnapshot *
gs_ui_test_snapshot (GsWindow *win)
{
  GsSnap *snap = gs_session_get_snap (gs_ui_test_session (win));

  g_assert_nonnull (snap);
  return gs_snap_get (snap);
}

gboolean
gs_ui_test_toast_shown (gpointer data)
{
  GsUiTestToast *toast = data;

  gs_ui_test_flush_main_loop ();
  return gs_ui_test_find_label (gs_ui_test_child (toast->win, "toast_overlay"), toast->needle);
}
