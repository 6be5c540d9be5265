/* gs-window-file.c — opening and saving sessions, autosave and recovery.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run is saved as a session (.gatescope, gs-session-file.h): Save
 * (Ctrl+S), Save As (Ctrl+Shift+S), Open (Ctrl+O) take sessions and model
 * files alike, as do the command line, the desktop and a file dropped on
 * the window. The title shows the file and a • while the run has changes
 * that are not saved; closing then asks Save / Discard / Cancel, and so
 * does opening another file any of those ways.
 *
 * The worker writes every save between two steps (gs_session_save), so the
 * window never waits for the disk. An autosave of the run goes to
 * $XDG_STATE_HOME/gatescope/autosave.gatescope (the second window open at
 * once autosave-2.gatescope, and so on: each window its own) when the run
 * has changed, at most every GS_AUTOSAVE_INTERVAL seconds (30; the tests
 * make it shorter).
 *
 * Closing: a window whose run is saved, or whose user answered Save or
 * Discard, removes its autosave — Discard means nothing is offered next
 * time. Ending without asking (Quit with the windows open, the desktop
 * session ending, SIGTERM/SIGINT/SIGHUP: gs_window_autosave_now) first
 * writes the autosave of unsaved work and leaves it. If an autosave is
 * there at start-up, the last run did not end cleanly or was left unsaved,
 * and a bar offers to restore it; when several are left, answering one
 * opens a window offering the next.
 */
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gs-application.h"
#include "gs-session-file.h"
#include "gs-window.h"
#include "gs-window-private.h"

#define AUTOSAVE_SECONDS 30.0

struct _GsWindowFile
{
  GtkFileChooserNative *chooser;         /* owned, while open */
  AdwMessageDialog     *close_dialog;    /* borrowed, while shown */
  GtkWidget            *recovery_bar;    /* borrowed, from the window's box */
  char                 *autosave_path;
  int                   autosave_slot;    /* 1: autosave.gatescope, k: autosave-k.gatescope */
  guint                 autosave_source;
  guint64               autosaved_changes;
  gboolean              autosave_in_flight;
  gboolean              close_after_save; /* the close dialog's Save: close once written */
  GFile                *open_after;       /* owned: to open once the question is answered */
  gboolean              may_close;        /* the user answered: closing goes through */
};

static const char *const mime_types[] = {
  "application/x-gatescope-session",
  "application/x-safetensors",
  "application/octet-stream",
  NULL,
};

/* ───────────────────────── autosave slots ───────────────────────── */

/* The slots held by the windows open in this process. */
static GArray *slots_held;

static char *
slot_path (const char *dir,
           int         slot)
{
  g_autofree char *name = slot == 1 ? g_strdup ("autosave.gatescope")
                                    : g_strdup_printf ("autosave-%d.gatescope", slot);
  return g_build_filename (dir, name, NULL);
}

static gboolean
slot_held (int slot)
{
  for (guint i = 0; slots_held != NULL && i < slots_held->len; i++)
    if (g_array_index (slots_held, int, i) == slot)
      return TRUE;
  return FALSE;
}

#define MAX_SLOTS 64

/* The lowest free slot with an autosave left in it (to offer), else the
 * lowest free one; 0 when none is left over and want_left_over. */
static int
slot_claim (const char *dir,
            gboolean    want_left_over)
{
  int free_slot = 0;

  for (int slot = 1; slot <= MAX_SLOTS; slot++)
    {
      g_autofree char *path = NULL;

      if (slot_held (slot))
        continue;
      path = slot_path (dir, slot);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return slot;
      if (free_slot == 0)
        free_slot = slot;
    }
  return want_left_over ? 0 : (free_slot != 0 ? free_slot : MAX_SLOTS + 1);
}

static void
slot_hold (int      slot,
           gboolean hold)
{
  if (slots_held == NULL)
    slots_held = g_array_new (FALSE, FALSE, sizeof (int));
  if (hold)
    {
      g_array_append_val (slots_held, slot);
      return;
    }
  for (guint i = 0; i < slots_held->len; i++)
    if (g_array_index (slots_held, int, i) == slot)
      {
        g_array_remove_index_fast (slots_held, i);
        return;
      }
}

const char *
_gs_window_file_autosave_path (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));
  return self->file->autosave_path;
}

void
gs_window_autosave_now (GsWindow *self)
{
  GsWindowFile *f;

  g_return_if_fail (GS_IS_WINDOW (self));
  f = self->file;
  /* Nothing unsaved; or the last run's autosave still waits for an answer. */
  if (f == NULL || !gs_session_get_dirty (self->session) || gs_window_recovery_offered (self))
    return;
  gs_window_set_playing (self, FALSE);
  g_object_set (self, "training", FALSE, NULL);
  gs_session_sync (self->session);
  /* Always a save of its own (CMD_SAVE, answered once written): a timer's
   * autosave still pending would not be waited for. */
  f->autosaved_changes = gs_session_get_changes (self->session);
  gs_session_save (self->session, f->autosave_path, TRUE);
  gs_session_sync (self->session);
}

/* ───────────────────────── opening ───────────────────────── */

static char *
session_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "gatescope", "session-files", NULL);
}

void
_gs_window_file_add_recent (GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  GtkRecentData data = { 0 };
  char *groups[] = { (char *) "gatescope", NULL };

  data.display_name = NULL;
  data.mime_type = (char *) (g_str_has_suffix (uri, ".gatescope") ? mime_types[0] : mime_types[2]);
  data.app_name = (char *) "Gatescope";
  data.app_exec = (char *) "gatescope %u";
  data.groups = groups;
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

/* Whether the file's first bytes say it is a session (a safetensors file
 * whose metadata names the session format near its start). */
static gboolean
is_session_file (const char *path)
{
  g_autofree char *head = NULL;
  gsize len = 0;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  char buf[4096];

  if (g_str_has_suffix (path, ".gatescope"))
    return TRUE;
  if (in == NULL || !g_input_stream_read_all (G_INPUT_STREAM (in), buf, sizeof buf - 1, &len, NULL, NULL))
    return FALSE;
  buf[len] = '\0';
  return len > 8 && memmem (buf + 8, len - 8, "\"" GS_SESSION_FORMAT "\"", strlen (GS_SESSION_FORMAT) + 2) != NULL;
}

gboolean
gs_window_open_session (GsWindow *self,
                        GFile    *file)
{
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *why = NULL;
  g_autofree char *text = NULL;
  GsStepper *stepper;
  GsRecordings *recordings = NULL;
  GsError err = { { 0 } };

  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  base = g_file_get_basename (file);
  if (path == NULL)
    return gs_window_open_model (self, file);   /* says that it is not a local file */
  /* Loading is quick (the size of a model); the worker takes the run over. */
  data_dir = session_data_dir ();
  stepper = gs_session_file_load_full (path, data_dir, &recordings, &err);
  if (stepper == NULL || !gs_window_run_fits (stepper->trainer, &why))
    {
      /* Translators: %s is the engine's reason, which starts with the file's path. */
      text = g_strdup_printf (_("The session could not be opened: %s"), stepper == NULL ? err.msg : why);
      gs_stepper_free (stepper);
      gs_recordings_free (recordings);
      gs_window_show_notice (self, text);
      return FALSE;
    }
  gs_window_stop_play (self);
  gs_window_settings_from_config (self, &stepper->trainer->cfg);
  self->follow_cursor = TRUE;
  gs_session_adopt (self->session, stepper, recordings, path);
  self->file->autosaved_changes = 0;
  _gs_window_file_add_recent (file);
  /* Translators: %s is a file name. */
  text = g_strdup_printf (_("Opened %s: the run goes on where it was saved."), base);
  gs_window_show_toast (self, text);
  return TRUE;
}

gboolean
gs_window_open_file (GsWindow *self,
                     GFile    *file)
{
  g_autofree char *path = NULL;
  gboolean opened;

  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path != NULL && is_session_file (path))
    return gs_window_open_session (self, file);
  opened = gs_window_open_model (self, file);
  if (opened)
    _gs_window_file_add_recent (file);
  return opened;
}

static void
on_open_response (GsWindow             *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL)
        gs_window_open_file_asking (self, file);
    }
  g_clear_object (&self->file->chooser);
}

static void
add_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) sessions = gtk_file_filter_new ();

  gtk_file_filter_set_name (all, _("Sessions and models"));
  gtk_file_filter_add_suffix (all, "gatescope");
  gtk_file_filter_add_suffix (all, "safetensors");
  gtk_file_filter_add_suffix (all, "pt");
  gtk_file_filter_add_suffix (all, "pth");
  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_filter_set_name (sessions, _("Gatescope sessions"));
  gtk_file_filter_add_suffix (sessions, "gatescope");
  gtk_file_chooser_add_filter (chooser, sessions);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);

  if (self->file->chooser != NULL)
    return;
  self->file->chooser = gtk_file_chooser_native_new (_("Open a Session or a Model"), GTK_WINDOW (self),
                                                     GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (self->file->chooser));
  g_signal_connect_object (self->file->chooser, "response", G_CALLBACK (on_open_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file->chooser));
}

/* ───────────────────────── saving ───────────────────────── */

void
gs_window_save_to (GsWindow   *self,
                   const char *path)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  g_return_if_fail (path != NULL);
  gs_session_save (self->session, path, FALSE);
}

static void
on_save_as_response (GsWindow             *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL && !g_str_has_suffix (path, ".gatescope") && !g_file_test (path, G_FILE_TEST_EXISTS))
        {
          char *with = g_strconcat (path, ".gatescope", NULL);
          g_free (path);
          path = with;
        }
      if (path != NULL)
        gs_window_save_to (self, path);
      else
        {
          self->file->close_after_save = FALSE;
          g_clear_object (&self->file->open_after);
        }
    }
  else
    {
      self->file->close_after_save = FALSE;
      g_clear_object (&self->file->open_after);
    }
  g_clear_object (&self->file->chooser);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  const char *current = gs_session_get_file (self->session);

  if (self->file->chooser != NULL)
    return;
  self->file->chooser = gtk_file_chooser_native_new (_("Save the Session"), GTK_WINDOW (self),
                                                     GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (self->file->chooser));
  if (current != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);
      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->file->chooser), file, NULL);
    }
  else
    {
      /* Translators: the file name a new session is offered under; keep ".gatescope". */
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->file->chooser), _("Untitled.gatescope"));
    }
  g_signal_connect_object (self->file->chooser, "response", G_CALLBACK (on_save_as_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file->chooser));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  const char *current = gs_session_get_file (self->session);

  /* A model file opened is not overwritten with a session: Save As. */
  if (current != NULL && g_str_has_suffix (current, ".gatescope"))
    gs_window_save_to (self, current);
  else
    save_as_action (widget, "win.save-as", NULL);
}

/* ───────────────────────── title ───────────────────────── */

static void
update_title (GsWindow *self)
{
  const char *path = gs_session_get_file (self->session);
  gboolean dirty = gs_session_get_dirty (self->session);
  g_autofree char *name = path ? g_path_get_basename (path) : g_strdup (_("Untitled"));
  g_autofree char *shown = NULL;
  g_autofree char *title = NULL;

  /* Translators: a file with unsaved changes, in the title: "• hello.gatescope". */
  shown = dirty ? g_strdup_printf (_("• %s"), name) : g_strdup (name);
  /* Translators: the window title: the file, then the application. */
  title = g_strdup_printf (_("%s — Gatescope"), shown);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* ───────────────────────── autosave ───────────────────────── */

static gboolean
autosave_tick (gpointer data)
{
  GsWindow *self = GS_WINDOW (data);
  GsWindowFile *f = self->file;
  guint64 changes = gs_session_get_changes (self->session);

  /* While the last run's autosave waits for Restore or Discard, it stays. */
  if (f->autosave_in_flight || changes == f->autosaved_changes || gs_window_recovery_offered (self))
    return G_SOURCE_CONTINUE;
  f->autosave_in_flight = TRUE;
  f->autosaved_changes = changes;
  gs_session_save (self->session, f->autosave_path, TRUE);
  return G_SOURCE_CONTINUE;
}

static gboolean
close_later (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
on_saved (GsWindow   *self,
          const char *path,
          gboolean    autosave,
          const char *error,
          GsSession  *session)
{
  if (autosave)
    {
      self->file->autosave_in_flight = FALSE;
      /* A failed autosave says so once per failure; the run goes on. */
      if (error != NULL)
        gs_window_show_toast (self, error);
      return;
    }
  if (error != NULL)
    {
      g_autofree char *text = NULL;
      /* Translators: %s is the engine's reason, which starts with the file's path. */
      text = g_strdup_printf (_("The session could not be saved: %s"), error);
      self->file->close_after_save = FALSE;
      g_clear_object (&self->file->open_after);
      gs_window_show_notice (self, text);
      return;
    }
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *base = g_path_get_basename (path);
    g_autofree char *text = g_strdup_printf (_("Saved %s."), base);
    _gs_window_file_add_recent (file);
    gs_window_show_toast (self, text);
  }
  if (self->file->open_after != NULL)
    {
      g_autoptr(GFile) next = g_steal_pointer (&self->file->open_after);
      gs_window_open_file (self, next);
    }
  if (self->file->close_after_save)
    {
      /* Not from inside the session's signal: closing disposes it. */
      self->file->may_close = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_later, g_object_ref (self), g_object_unref);
    }
}

/* ───────────────────────── recovery ───────────────────────── */

static void
on_recovery_response (GsWindow  *self,
                      int        response,
                      GtkInfoBar *bar)
{
  GsWindowFile *f = self->file;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = g_file_new_for_path (f->autosave_path);
      GsStepper *stepper;
      GsRecordings *recordings = NULL;
      GsError err = { { 0 } };
      g_autofree char *data_dir = session_data_dir ();
      g_autofree char *why = NULL;

      stepper = gs_session_file_load_full (f->autosave_path, data_dir, &recordings, &err);
      if (stepper == NULL || !gs_window_run_fits (stepper->trainer, &why))
        {
          g_autofree char *text = g_strdup_printf (_("The session could not be opened: %s"),
                                                   stepper == NULL ? err.msg : why);
          gs_stepper_free (stepper);
          gs_recordings_free (recordings);
          gs_window_show_notice (self, text);
        }
      else
        {
          gs_window_stop_play (self);
          gs_window_settings_from_config (self, &stepper->trainer->cfg);
          self->follow_cursor = TRUE;
          /* Restored, not opened: the run has no file and is unsaved
           * (closing asks, and the autosave stays until then). */
          gs_session_adopt (self->session, stepper, recordings, NULL);
          gs_window_show_toast (self, _("The session was restored."));
        }
    }
  else
    {
      g_remove (f->autosave_path);
    }
  gtk_widget_set_visible (GTK_WIDGET (bar), FALSE);
  /* Another window's run left too: a window of its own offers it. */
  {
    g_autofree char *dir = g_path_get_dirname (f->autosave_path);
    GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
    if (app != NULL && GS_IS_APPLICATION (app) && slot_claim (dir, TRUE) != 0)
      gtk_window_present (GTK_WINDOW (gs_window_new (GS_APPLICATION (app))));
  }
}

gboolean
gs_window_recovery_offered (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  return self->file->recovery_bar != NULL && gtk_widget_get_visible (self->file->recovery_bar);
}

void
gs_window_recovery_respond (GsWindow *self,
                            gboolean  restore)
{
  g_return_if_fail (GS_IS_WINDOW (self));
  g_return_if_fail (self->file->recovery_bar != NULL);
  gtk_info_bar_response (GTK_INFO_BAR (self->file->recovery_bar),
                         restore ? GTK_RESPONSE_ACCEPT : GTK_RESPONSE_REJECT);
}

static void
offer_recovery (GsWindow *self)
{
  GtkWidget *bar, *label, *box, *anchor;

  if (!g_file_test (self->file->autosave_path, G_FILE_TEST_IS_REGULAR))
    return;
  bar = gtk_info_bar_new ();
  gtk_info_bar_set_message_type (GTK_INFO_BAR (bar), GTK_MESSAGE_QUESTION);
  label = gtk_label_new (_("Gatescope did not close properly last time. Restore the session it was running?"));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_info_bar_add_child (GTK_INFO_BAR (bar), label);
  gtk_info_bar_add_button (GTK_INFO_BAR (bar), _("_Discard"), GTK_RESPONSE_REJECT);
  gtk_info_bar_add_button (GTK_INFO_BAR (bar), _("_Restore"), GTK_RESPONSE_ACCEPT);
  g_signal_connect_object (bar, "response", G_CALLBACK (on_recovery_response), self, G_CONNECT_SWAPPED);
  /* Under the header bar, above the pages. */
  box = gtk_widget_get_parent (GTK_WIDGET (self->view_stack));
  anchor = gtk_widget_get_prev_sibling (GTK_WIDGET (self->view_stack));
  gtk_box_insert_child_after (GTK_BOX (box), bar, anchor);
  gtk_info_bar_set_default_response (GTK_INFO_BAR (bar), GTK_RESPONSE_ACCEPT);
  self->file->recovery_bar = bar;
}

/* ───────────────────────── closing ───────────────────────── */

static void
on_close_response (GsWindow         *self,
                   const char       *response,
                   AdwMessageDialog *dialog)
{
  self->file->close_dialog = NULL;
  /* The question before opening another file. */
  if (self->file->open_after != NULL)
    {
      if (g_strcmp0 (response, "discard") == 0)
        {
          g_autoptr(GFile) next = g_steal_pointer (&self->file->open_after);
          gs_window_open_file (self, next);
        }
      else if (g_strcmp0 (response, "save") == 0)
        save_action (GTK_WIDGET (self), "win.save", NULL);   /* on_saved opens it */
      else
        g_clear_object (&self->file->open_after);
      return;
    }
  if (g_strcmp0 (response, "discard") == 0)
    {
      /* After the dialog is gone: it is transient for this window. */
      self->file->may_close = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_later, g_object_ref (self), g_object_unref);
    }
  else if (g_strcmp0 (response, "save") == 0)
    {
      self->file->close_after_save = TRUE;
      save_action (GTK_WIDGET (self), "win.save", NULL);
    }
}

AdwMessageDialog *
gs_window_get_close_dialog (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);
  return self->file->close_dialog;
}

/* Save / Discard / Cancel about unsaved work, answered in on_close_response. */
static void
ask_unsaved (GsWindow   *self,
             const char *body)
{
  GsWindowFile *f = self->file;
  GtkWidget *dialog;

  gs_window_set_playing (self, FALSE);
  g_object_set (self, "training", FALSE, NULL);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save the Session?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self, G_CONNECT_SWAPPED);
  f->close_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
_gs_window_file_close_request (GsWindow *self)
{
  GsWindowFile *f = self->file;

  if (f->may_close || !gs_session_get_dirty (self->session))
    {
      /* A saved run, or the user said Save or Discard: nothing to recover
       * next time. */
      g_clear_handle_id (&f->autosave_source, g_source_remove);
      g_remove (f->autosave_path);
      return FALSE;
    }
  if (f->close_dialog != NULL)
    return TRUE;
  g_clear_object (&f->open_after);
  ask_unsaved (self, _("The run has changes that are not saved. They are lost if you close without saving."));
  return TRUE;
}

void
gs_window_open_file_asking (GsWindow *self,
                            GFile    *file)
{
  GsWindowFile *f = self->file;

  g_return_if_fail (GS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  if (!gs_session_get_dirty (self->session))
    {
      gs_window_open_file (self, file);
      return;
    }
  if (f->close_dialog != NULL)
    {
      /* Already asking before opening: the newest file is the one the
       * answer opens. Asking before closing: closing comes first. */
      if (f->open_after != NULL)
        g_set_object (&f->open_after, file);
      return;
    }
  g_set_object (&f->open_after, file);
  ask_unsaved (self, _("The run has changes that are not saved. They are lost if you open another file without saving."));
}

/* ───────────────────────── drag and drop ───────────────────────── */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GsWindow      *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);
      if (files == NULL)
        return FALSE;
      /* One run at a time: the last file is the one that stays open. As
       * Open does, asks first about unsaved work; the drop is taken either
       * way, the answer decides. */
      gs_window_open_file_asking (self, G_FILE (g_slist_last (files)->data));
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      gs_window_open_file_asking (self, g_value_get_object (value));
      return TRUE;
    }
  return FALSE;
}

/* ───────────────────────── set-up ───────────────────────── */

void
_gs_window_file_class_init (GtkWidgetClass *widget_class)
{
  /* The main menu, to put Open, Save and Save As in it. */
  gtk_widget_class_bind_template_child_full (widget_class, "primary_menu", FALSE, 0);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
  _gs_window_recent_class_init (widget_class);
}

void
_gs_window_file_init (GsWindow *self)
{
  GsWindowFile *f = g_new0 (GsWindowFile, 1);
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "gatescope", NULL);
  const char *interval_env = g_getenv ("GS_AUTOSAVE_INTERVAL");
  double interval = interval_env ? g_ascii_strtod (interval_env, NULL) : AUTOSAVE_SECONDS;
  GtkDropTarget *drop;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };
  GMenu *menu;

  self->file = f;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_message ("cannot create %s: %s", dir, g_strerror (errno));
  f->autosave_slot = slot_claim (dir, FALSE);
  slot_hold (f->autosave_slot, TRUE);
  f->autosave_path = slot_path (dir, f->autosave_slot);

  offer_recovery (self);
  if (!(interval > 0.0) || interval > 3600.0)
    interval = AUTOSAVE_SECONDS;
  f->autosave_source = g_timeout_add ((guint) (interval * 1000.0), autosave_tick, self);
  g_source_set_name_by_id (f->autosave_source, "[gatescope] autosave");

  g_signal_connect_object (self->session, "saved", G_CALLBACK (on_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::file", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::dirty", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  update_title (self);

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  /* Open, Save, Save As lead the main menu. */
  menu = G_MENU (gtk_widget_get_template_child (GTK_WIDGET (self), GS_TYPE_WINDOW, "primary_menu"));
  if (menu != NULL)
    {
      g_autoptr(GMenu) section = g_menu_new ();
      g_menu_append (section, _("_Open…"), "win.open");
      g_menu_append_submenu (section, _("Open _Recent"), _gs_window_recent_init (self));
      g_menu_append (section, _("_Save"), "win.save");
      g_menu_append (section, _("Save _As…"), "win.save-as");
      g_menu_prepend_section (menu, NULL, G_MENU_MODEL (section));
    }
  else
    {
      _gs_window_recent_init (self);
    }
}

void
_gs_window_file_dispose (GsWindow *self)
{
  GsWindowFile *f = self->file;

  if (f == NULL)
    return;
  g_clear_handle_id (&f->autosave_source, g_source_remove);
  if (f->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (f->chooser));
  g_clear_object (&f->chooser);
  g_clear_object (&f->open_after);
  _gs_window_recent_dispose (self);
  slot_hold (f->autosave_slot, FALSE);
  g_free (f->autosave_path);
  g_free (f);
  self->file = NULL;
}
