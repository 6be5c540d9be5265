/* gs-application.c — the Gatescope GNOME application.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AdwApplication does the loading by itself from the resource base path
 * /org/gatescope/Gatescope: style.css (our additions to Adwaita),
 * gtk/help-overlay.ui (the shortcuts window, win.show-help-overlay) and
 * icons/ (the app icon, so that it shows when run from the build tree).
 *
 * --measure-frames=SECONDS opens the window, trains a large model
 * continuously, prints one line of JSON with the frame timings and quits
 * (bench/gui-fps.sh runs it under Xvfb); --measure-hidden=N sets the
 * model's hidden size.
 */

#include <stdio.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "gs-application.h"
#include "gs-help-window.h"
#include "gs-renderer.h"
#include "gs-window.h"

struct _GsApplication
{
  AdwApplication parent_instance;

  double         measure_seconds;   /* --measure-frames, 0 = off */
  int            measure_hidden;    /* --measure-hidden, 0 = the default */
  int            measure_width;     /* --measure-size, the window's */
  int            measure_height;
  gboolean       measure_presenting; /* --measure-presentation */
  int            status;            /* the exit status of a measurement */
};

G_DEFINE_FINAL_TYPE (GsApplication, gs_application, ADW_TYPE_APPLICATION)

static void
on_frames_measured (GsApplication *self,
                    const char    *json,
                    GsWindow      *window)
{
  g_print ("%s\n", json);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
gs_application_activate (GApplication *app)
{
  GsApplication *self = GS_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (self->measure_seconds > 0.0)
    {
      /* A fixed size, so that runs compare: the README's screenshot's. */
      window = GTK_WINDOW (gs_window_new (self));
      gtk_window_set_default_size (window, self->measure_width, self->measure_height);
      gtk_window_unmaximize (window);
      g_signal_connect_object (window, "frames-measured",
                               G_CALLBACK (on_frames_measured), self, G_CONNECT_SWAPPED);
      gtk_window_present (window);
      if (self->measure_presenting)
        gs_window_set_presenting (GS_WINDOW (window), TRUE);
      gs_window_measure_frames (GS_WINDOW (window), self->measure_seconds, self->measure_hidden);
      return;
    }

  if (window == NULL)
    window = GTK_WINDOW (gs_window_new (self));

  gtk_window_present (window);
}

/* `gatescope FILE` and the desktop's "Open With": a session goes on where
 * it was saved, a model starts a run from its weights, in the window
 * already open, asking first, as Open does, when its run has unsaved
 * changes; a FILE ending in .lesson plays that lesson (gs-lesson.h)
 * instead. */
static void
gs_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (gs_window_new (GS_APPLICATION (app)));
  gtk_window_present (window);
  /* One run at a time: the last file is the one that stays open. */
  if (n_files > 0)
    {
      g_autofree char *path = g_file_get_path (files[n_files - 1]);
      if (path != NULL && g_str_has_suffix (path, ".lesson"))
        gs_window_open_lesson (GS_WINDOW (window), path);
      else
        gs_window_open_file_asking (GS_WINDOW (window), files[n_files - 1]);
    }
}

static int
gs_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  GsApplication *self = GS_APPLICATION (app);
  double seconds;
  int hidden;
  const char *size;

  if (g_variant_dict_lookup (options, "measure-hidden", "i", &hidden))
    {
      if (hidden < 1 || hidden > GS_WINDOW_MAX_HIDDEN)
        {
          g_printerr (_("--measure-hidden needs a hidden size between 1 and %d\n"), GS_WINDOW_MAX_HIDDEN);
          return 2;
        }
      self->measure_hidden = hidden;
    }
  if (g_variant_dict_lookup (options, "measure-size", "&s", &size))
    {
      int w = 0, h = 0;
      char end = 0;

      if (sscanf (size, "%dx%d%c", &w, &h, &end) != 2 || w < 640 || h < 480 || w > 7680 || h > 4320)
        {
          /* Translators: --measure-size takes WIDTHxHEIGHT in pixels. */
          g_printerr (_("--measure-size needs a window size such as 1920x1080, from 640x480 to 7680x4320\n"));
          return 2;
        }
      self->measure_width = w;
      self->measure_height = h;
    }
  if (g_variant_dict_contains (options, "measure-presentation"))
    self->measure_presenting = TRUE;
  if (g_variant_dict_lookup (options, "measure-frames", "d", &seconds))
    {
      if (!(seconds > 0.0 && seconds <= 3600.0))
        {
          g_printerr (_("--measure-frames needs a number of seconds between 0 and 3600\n"));
          return 2;
        }
      self->measure_seconds = seconds;
      /* A measurement runs in this process, never in one already open. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;   /* go on: register and activate */
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
gs_application_help (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GList *windows;

  g_assert (GS_IS_APPLICATION (self));

  /* One guide: F1 again brings the open one to the front. */
  for (windows = gtk_application_get_windows (GTK_APPLICATION (self)); windows != NULL; windows = windows->next)
    if (GS_IS_HELP_WINDOW (windows->data))
      {
        gtk_window_present (windows->data);
        return;
      }
  gtk_window_present (GTK_WINDOW (gs_help_window_new (parent)));
}

/* Ending without asking: each window's unsaved run goes to its autosave
 * first, so the next start offers to restore it (gs-window-file.c). */
static void
autosave_all (GsApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (GS_IS_WINDOW (l->data))
      gs_window_autosave_now (GS_WINDOW (l->data));
}

static void
quit_now (GsApplication *self)
{
  GList *windows;

  autosave_all (self);
  /* Closing each window saves its state and cancels its training. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);

  g_application_quit (G_APPLICATION (self));
}

static void
gs_application_quit (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GsApplication *self = user_data;

  g_assert (GS_IS_APPLICATION (self));
  quit_now (self);
}

/* SIGTERM, SIGINT, SIGHUP: as Quit. */
static gboolean
on_signal (gpointer user_data)
{
  quit_now (GS_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* The desktop session ends: the autosaves are written while it waits. */
static void
on_query_end (GsApplication *self)
{
  autosave_all (self);
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = gs_application_about },
  { .name = "help",  .activate = gs_application_help },
  { .name = "quit",  .activate = gs_application_quit },
};

static void
gs_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *help_accels[] = { "F1", NULL };

  G_APPLICATION_CLASS (gs_application_parent_class)->startup (app);

  /* Before the first window: GTK's GL renderer on a software GL is 4× slower than its cairo one. */
  gs_renderer_choose (gdk_display_get_default ());

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.help", help_accels);

  gtk_window_set_default_icon_name (APP_ID);

  g_unix_signal_add (SIGTERM, on_signal, app);
  g_unix_signal_add (SIGINT, on_signal, app);
  g_unix_signal_add (SIGHUP, on_signal, app);
  g_signal_connect (app, "query-end", G_CALLBACK (on_query_end), NULL);
}

static void
gs_application_class_init (GsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = gs_application_activate;
  app_class->open = gs_application_open;
  app_class->startup = gs_application_startup;
  app_class->handle_local_options = gs_application_handle_local_options;
}

static void
gs_application_init (GsApplication *self)
{
  static const GOptionEntry entries[] = {
    { "measure-frames", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
      N_("Train a large model for SECONDS, print the frame timings as JSON and quit"),
      N_("SECONDS") },
    { "measure-hidden", 0, 0, G_OPTION_ARG_INT, NULL,
      N_("The hidden size of the model --measure-frames trains (default: 64)"),
      N_("N") },
    { "measure-size", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The window size --measure-frames measures at (default: 1600x1000)"),
      N_("WIDTHxHEIGHT") },
    { "measure-presentation", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Measure the frames in the presentation mode"),
      NULL },
    { NULL }
  };

  self->measure_width = 1600;
  self->measure_height = 1000;
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

GsApplication *
gs_application_new (void)
{
  return g_object_new (GS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/gatescope/Gatescope",
                       /* "query-end" when the desktop session ends: autosave first */
                       "register-session", TRUE,
                       NULL);
}
