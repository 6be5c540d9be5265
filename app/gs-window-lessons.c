/* gs-window-lessons.c — guided lessons in the window: the list of shipped
 * lessons (win.lessons, "Lessons…" in the main menu) and the lesson panel
 * (gs-lesson-panel.h) beside the step page.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel is made the first time a lesson opens: the step page's
 * content is put in a horizontal box with the panel after it, so the
 * window's template stays as it is.
 */

#include <glib/gi18n.h>

#include "gs-lesson-panel.h"
#include "gs-task.h"
#include "gs-window-private.h"

char *
gs_window_lessons_dir (void)
{
  char path[4096];
  GsError err;

  if (gs_task_data_path (path, sizeof path, "lessons", &err) != GS_OK)
    return NULL;
  return g_strdup (path);
}

/* The unit a step points at, framed in the view it names
 * (gs_view_set_pointed_unit); `view` NULL or unit −1 clear every view. */
static void
point_at_unit (GsWindow   *self,
               const char *view,
               int         unit)
{
  const struct {
    const char *name;
    GsView     *view;
  } views[] = {
    { "cell",      GS_VIEW (self->cell_view) },
    { "unrolled",  GS_VIEW (self->unrolled_view) },
    { "gradients", GS_VIEW (self->gradient_view) },
  };
  const gboolean heatmaps = unit >= 0 && g_strcmp0 (view, "heatmaps") == 0;

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    gs_view_set_pointed_unit (views[i].view, unit >= 0 && g_strcmp0 (view, views[i].name) == 0 ? unit : -1);
  for (guint i = 0; self->heatmaps != NULL && i < self->heatmaps->len; i++)
    gs_view_set_pointed_unit (g_ptr_array_index (self->heatmaps, i), heatmaps ? unit : -1);
}

static void
on_point (GsWindow   *self,
          const char *view,
          int         unit,
          int         t,
          int         layer,
          GsLessonPanel *panel)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "step");
  if (layer >= 0)
    gs_window_set_layer (self, layer);
  if (t >= 0)
    gs_window_set_timestep (self, t);
  point_at_unit (self, view, unit);
  /* kept while this step is shown (on_lesson_step) */
  g_object_set_data (G_OBJECT (panel), "gs-pointed-step", GINT_TO_POINTER (gs_lesson_panel_get_step (panel) + 1));
}

static void
on_open_compare (GsWindow      *self,
                 GsLessonPanel *panel)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "compare");
}

static void
on_closed (GsWindow      *self,
           GsLessonPanel *panel)
{
  point_at_unit (self, NULL, -1);
  gtk_widget_set_visible (GTK_WIDGET (panel), FALSE);
}

/* A step ran: the settings panel shows the run the lesson set up, so that
 * Apply starts from it rather than from what was there before; the unit
 * an earlier step pointed at is no longer framed (the panel's own handler,
 * before this one, has just pointed where this step points). */
static void
on_lesson_step (GsWindow   *self,
                int         index,
                int         right,
                const char *error,
                GsSession  *session)
{
  gs_window_settings_from_config (self, gs_session_get_config (session));
  if (self->lesson_panel != NULL
      && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self->lesson_panel), "gs-pointed-step")) != index + 1)
    {
      point_at_unit (self, NULL, -1);
      g_object_set_data (G_OBJECT (self->lesson_panel), "gs-pointed-step", NULL);
    }
}

static GsLessonPanel *
ensure_panel (GsWindow *self)
{
  GtkWidget *content, *box;

  if (self->lesson_panel != NULL)
    return self->lesson_panel;
  content = adw_flap_get_content (self->settings_flap);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_object_ref (content);
  adw_flap_set_content (self->settings_flap, box);
  gtk_box_append (GTK_BOX (box), content);
  g_object_unref (content);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  self->lesson_panel = gs_lesson_panel_new (self->session);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->lesson_panel));
  g_signal_connect_object (self->lesson_panel, "point", G_CALLBACK (on_point), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lesson_panel, "open-compare", G_CALLBACK (on_open_compare), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lesson_panel, "closed", G_CALLBACK (on_closed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "lesson-step", G_CALLBACK (on_lesson_step), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  return self->lesson_panel;
}

gboolean
gs_window_open_lesson (GsWindow   *self,
                       const char *path)
{
  g_autoptr (GError) error = NULL;
  GsLessonPanel *panel;

  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);

  panel = ensure_panel (self);
  gs_window_set_playing (self, FALSE);
  self->follow_cursor = TRUE;
  if (!gs_lesson_panel_open (panel, path, &error))
    {
      gs_window_show_notice (self, error->message);
      return FALSE;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "step");
  gtk_widget_set_visible (GTK_WIDGET (panel), TRUE);
  return TRUE;
}

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  GtkWindow     *dialog)
{
  GsWindow *self = GS_WINDOW (gtk_window_get_transient_for (dialog));
  const char *path = g_object_get_data (G_OBJECT (row), "path");

  if (path == NULL)
    return;
  gs_window_open_lesson (self, path);
  gtk_window_destroy (dialog);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* Every lesson shipped, in file-name order; a broken one is listed with
 * its fault and cannot be opened. */
GtkWidget *
gs_window_lessons_dialog_new (GsWindow *self)
{
  g_autofree char *dir_path = gs_window_lessons_dir ();
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *dialog, *toolbar, *header, *scrolled, *list, *clamp;
  const char *name;

  dialog = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (dialog), _("Lessons"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 520);

  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (toolbar), header);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_set_margin_bottom (list, 12);
  gtk_widget_set_margin_start (list, 12);
  gtk_widget_set_margin_end (list, 12);
  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), list);
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (toolbar), scrolled);
  adw_window_set_content (ADW_WINDOW (dialog), toolbar);
  g_signal_connect (list, "row-activated", G_CALLBACK (on_row_activated), dialog);

  if (dir_path != NULL)
    dir = g_dir_open (dir_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".lesson"))
      g_ptr_array_add (names, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  if (names->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No lessons were found."));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *path = g_ptr_array_index (names, i);
      GtkWidget *row = adw_action_row_new ();
      GsError err;
      GsLesson *lesson = gs_lesson_load (path, &err);
      GsLang lang = gs_lesson_panel_language ();

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      if (lesson != NULL)
        {
          g_autofree char *title = g_markup_escape_text (gs_lesson_text_get (&lesson->title, lang), -1);
          g_autofree char *summary = g_markup_escape_text (gs_lesson_text_get (&lesson->summary, lang), -1);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data_full (G_OBJECT (row), "path", g_strdup (path), g_free);
          gs_lesson_free (lesson);
        }
      else
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *title = g_markup_escape_text (base, -1);
          g_autofree char *msg = g_markup_escape_text (err.msg, -1);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), msg);
          gtk_widget_add_css_class (row, "error");
        }
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  return dialog;
}

static void
lessons_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gtk_window_present (GTK_WINDOW (gs_window_lessons_dialog_new (GS_WINDOW (widget))));
}

void
gs_window_class_init_lessons (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.lessons", NULL, lessons_action);
}
