/* test-help.c — the main menu, the user guide (Help, F1) and the
 * frame-rate overlay's key.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real GsApplication and GsWindow, under a display: the primary menu
 * has Help and no debugging item; F1 is app.help's key and opens one guide,
 * built from the GResource, in English and, with LANGUAGE=zh_CN and the
 * build's catalogue, in Chinese; Ctrl+Shift+F toggles the frame rate and
 * GATESCOPE_SHOW_FPS=1 shows it from the start.
 */

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-application.h"
#include "gs-help-window.h"
#include "gs-ui-test-window.h"
#include "gs-window.h"

static GsApplication *app;

/* The actions of every item of a menu model, sections included. */
static void
collect_actions (GMenuModel *menu,
                 GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      GMenuModel *section;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, g_steal_pointer (&action));
      section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      if (section != NULL)
        {
          collect_actions (section, actions);
          g_object_unref (section);
        }
    }
}

static gboolean
has_string (GPtrArray  *array,
            const char *s)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), s) == 0)
      return TRUE;
  return FALSE;
}

/* The menu of the window's primary menu button (F10). */
static GtkMenuButton *
find_primary_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkMenuButton *found = find_primary_button (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GMenuModel *
primary_menu (GsWindow *win)
{
  GtkMenuButton *button = find_primary_button (GTK_WIDGET (win));

  g_assert_nonnull (button);
  g_assert_nonnull (gtk_menu_button_get_menu_model (button));
  return g_object_ref (gtk_menu_button_get_menu_model (button));
}

static GsHelpWindow *
find_help_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (GS_IS_HELP_WINDOW (l->data))
      return l->data;
  return NULL;
}

static int
count_help_windows (void)
{
  int n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    n += GS_IS_HELP_WINDOW (l->data);
  return n;
}

/* Every label of the guide, in order. */
static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, labels);
}

static void
test_menu (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autoptr(GMenuModel) menu = primary_menu (win);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);

  collect_actions (menu, actions);
  g_assert_cmpuint (actions->len, >, 3);
  g_assert_true (has_string (actions, "app.help"));
  g_assert_true (has_string (actions, "win.show-help-overlay"));
  g_assert_true (has_string (actions, "app.about"));
  g_assert_false (has_string (actions, "win.show-fps"));

  gtk_window_destroy (GTK_WINDOW (win));
}

static void
test_guide (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GsHelpWindow *help;
  gsize chars = 0;

  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "F1");

  g_assert_null (find_help_window ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  gs_ui_test_flush_main_loop ();
  help = find_help_window ();
  g_assert_nonnull (help);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (help)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (help)) == GTK_WINDOW (win));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (help)), ==, "Gatescope Guide");

  /* The guide itself: its headings and paragraphs, none empty. */
  collect_labels (GTK_WIDGET (help), labels);
  g_assert_cmpuint (labels->len, >=, 12);
  for (guint i = 0; i < labels->len; i++)
    chars += strlen (g_ptr_array_index (labels, i));
  g_assert_cmpuint (chars, >, 1500);
  g_assert_true (has_string (labels, "What the window shows"));
  g_assert_true (has_string (labels, "Stepping through the network"));

  /* F1 again: the same guide, in front. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  gs_ui_test_flush_main_loop ();
  g_assert_cmpint (count_help_windows (), ==, 1);

  gtk_window_destroy (GTK_WINDOW (help));
  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();
}

/* With the build's catalogue (BUILD_LOCALEDIR) and LANGUAGE=zh_CN,
 * the same guide is in Chinese. In a child process: GLib decides once, at
 * the first translation, whether to translate at all. */
static void
test_guide_chinese (void)
{
  const char *localedir = BUILD_LOCALEDIR;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *mo = NULL;
  GsHelpWindow *help;
  guint cjk = 0;

  if (!g_test_subprocess ())
    {
      mo = g_build_filename (localedir, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
      g_assert_true (g_file_test (mo, G_FILE_TEST_EXISTS));
      g_setenv ("LANGUAGE", "zh_CN", TRUE);
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("LANGUAGE");
      g_test_trap_assert_passed ();
      return;
    }

  help = gs_help_window_new (NULL);
  collect_labels (GTK_WIDGET (help), labels);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (help)), ==, "Gatescope 指南");
  /* Every heading and paragraph translated: each has Chinese characters. */
  for (guint i = 0; i < labels->len; i++)
    {
      const char *s = g_ptr_array_index (labels, i);
      gboolean has_cjk = FALSE;

      for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
        has_cjk |= g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN;
      if (!has_cjk)
        g_error ("not translated: %s", s);
      cjk++;
    }
  g_assert_cmpuint (cjk, >=, 12);

  gtk_window_destroy (GTK_WINDOW (help));
}

/* Ctrl+Shift+F is bound to win.show-fps on the window's class. */
static gboolean
window_binds (GsWindow   *win,
              const char *trigger,
              const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (win));
  g_autofree char *wanted = g_strdup_printf ("action(%s)", action);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *t = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *a = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          if (g_strcmp0 (t, trigger) == 0 && g_strcmp0 (a, wanted) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_fps_key_and_env (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  gboolean shown = TRUE;

  g_assert_true (window_binds (win, "<Shift><Control>f", "win.show-fps"));
  g_object_get (win, "show-fps", &shown, NULL);
  g_assert_false (shown);
  gtk_window_destroy (GTK_WINDOW (win));

  g_setenv ("GATESCOPE_SHOW_FPS", "1", TRUE);
  win = gs_ui_test_open_window (0, 0);
  g_unsetenv ("GATESCOPE_SHOW_FPS");
  g_object_get (win, "show-fps", &shown, NULL);
  g_assert_true (shown);
  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = gs_ui_test_make_fresh_home ();
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* The build's catalogues, as app/gs-locale.c binds them for the build tree. */
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  textdomain (GETTEXT_PACKAGE);
  /* gtk_test_init keeps the C locale, where gettext ignores LANGUAGE; the
   * Chinese guide's child process takes the environment's (C.UTF-8). */
  if (g_test_subprocess ())
    setlocale (LC_ALL, "");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  app = gs_ui_test_app_new (0);
  /* startup has run: the actions and their keys exist. */

  g_test_add_func ("/help/menu", test_menu);
  g_test_add_func ("/help/guide", test_guide);
  g_test_add_func ("/help/guide-chinese", test_guide_chinese);
  g_test_add_func ("/help/fps-key-and-env", test_fps_key_and_env);

  status = g_test_run ();

  g_clear_object (&app);
  gs_ui_test_remove_tree (home);
  return status;
}
