/* gs-application.c — the Gatescope GNOME application.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AdwApplication does the loading by itself from the resource base path
 * /org/gatescope/Gatescope: style.css (our additions to Adwaita),
 * gtk/help-overlay.ui (the shortcuts window, win.show-help-overlay) and
 * icons/ (the app icon, so that it shows when run from the build tree).
 */

#include <glib/gi18n.h>

#include "gs-application.h"
#include "gs-window.h"

struct _GsApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (GsApplication, gs_application, ADW_TYPE_APPLICATION)

static void
gs_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (gs_window_new (GS_APPLICATION (app)));

  gtk_window_present (window);
}

static void
gs_application_about (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GsApplication *self = user_data;
  static const char *developers[] = { "The Gatescope developers", NULL };
  GtkWidget *about;

  g_assert (GS_IS_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", "Gatescope",
                        "application-icon", APP_ID,
                        "developer-name", developers[0],
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Train recurrent networks — RNN, LSTM and GRU — and watch them learn. "
                                      "The engine's numbers are tested against PyTorch's."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: replace with your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
gs_application_quit (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GsApplication *self = user_data;
  GList *windows;

  g_assert (GS_IS_APPLICATION (self));

  /* Closing each window saves its state and cancels its training. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = gs_application_about },
  { .name = "quit",  .activate = gs_application_quit },
};

static void
gs_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *train_accels[] = { "<Control>Return", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (gs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.train", train_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);

  gtk_window_set_default_icon_name (APP_ID);
}

static void
gs_application_class_init (GsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = gs_application_activate;
  app_class->startup = gs_application_startup;
}

static void
gs_application_init (GsApplication *self)
{
}

GsApplication *
gs_application_new (void)
{
  return g_object_new (GS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/gatescope/Gatescope",
                       NULL);
}
