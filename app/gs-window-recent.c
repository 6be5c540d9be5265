/* gs-window-recent.c — the main menu's Open Recent: the sessions and
 * models Gatescope opened or saved lately.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is the desktop's (GtkRecentManager, shared with the file
 * chooser and other applications), filtered to Gatescope's own entries:
 * those in the "gatescope" group gs-window-file.c puts them in, or of the
 * session MIME type. Newest first, at most MAX_ITEMS. An item opens its
 * file the way Open does, asking about unsaved work first; a file that is
 * gone says so and leaves the list. Clear List removes Gatescope's entries
 * (only those) from the desktop's list.
 */
#include <glib/gi18n.h>

#include "gs-window.h"
#include "gs-window-private.h"

#define MAX_ITEMS    10
#define SESSION_MIME "application/x-gatescope-session"

struct _GsWindowRecent
{
  GMenu            *menu;     /* owned: the submenu */
  GMenu            *items;    /* owned: its first section, one item a file */
  GtkRecentManager *manager;  /* borrowed: the default one */
  gulong            changed_id;
};

static gboolean
is_ours (GtkRecentInfo *info)
{
  return gtk_recent_info_has_group (info, "gatescope")
         || g_strcmp0 (gtk_recent_info_get_mime_type (info), SESSION_MIME) == 0;
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  GtkRecentInfo *x = *(GtkRecentInfo **) a, *y = *(GtkRecentInfo **) b;

  return g_date_time_compare (gtk_recent_info_get_modified (y), gtk_recent_info_get_modified (x));
}

/* Our entries, newest first (a new array of references). */
static GPtrArray *
our_items (GtkRecentManager *manager)
{
  GList *all = gtk_recent_manager_get_items (manager);
  GPtrArray *ours = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_recent_info_unref);

  for (GList *l = all; l != NULL; l = l->next)
    if (is_ours (l->data))
      g_ptr_array_add (ours, gtk_recent_info_ref (l->data));
  g_list_free_full (all, (GDestroyNotify) gtk_recent_info_unref);
  g_ptr_array_sort (ours, newest_first);
  return ours;
}

static void
rebuild (GsWindow *self)
{
  GsWindowRecent *r = self->recent;
  g_autoptr(GPtrArray) ours = our_items (r->manager);

  g_menu_remove_all (r->items);
  for (guint i = 0; i < ours->len && i < MAX_ITEMS; i++)
    {
      GtkRecentInfo *info = ours->pdata[i];
      const char *uri = gtk_recent_info_get_uri (info);
      g_autofree char *name = g_strdup (gtk_recent_info_get_display_name (info));
      g_auto(GStrv) parts = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (name == NULL || name[0] == '\0')
        {
          g_autoptr(GFile) file = g_file_new_for_uri (uri);
          g_free (name);
          name = g_file_get_basename (file);
        }
      /* An underscore in a file name is not a mnemonic. */
      parts = g_strsplit (name, "_", -1);
      label = g_strjoinv ("__", parts);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s", uri);
      g_menu_append_item (r->items, item);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-recent", ours->len > 0);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  const char *uri = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  if (!g_file_query_exists (file, NULL))
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *text = NULL;

      /* Translators: %s is a file name from the Open Recent list. */
      text = g_strdup_printf (_("%s is no longer there: it was moved or deleted."), name);
      gs_window_show_toast (self, text);
      gtk_recent_manager_remove_item (self->recent->manager, uri, NULL);
      return;
    }
  gs_window_open_file_asking (self, file);
}

static void
clear_recent_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  g_autoptr(GPtrArray) ours = our_items (self->recent->manager);

  for (guint i = 0; i < ours->len; i++)
    gtk_recent_manager_remove_item (self->recent->manager,
                                    gtk_recent_info_get_uri (ours->pdata[i]), NULL);
  rebuild (self);
}

void
_gs_window_recent_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.clear-recent", NULL, clear_recent_action);
}

GMenuModel *
_gs_window_recent_init (GsWindow *self)
{
  GsWindowRecent *r = g_new0 (GsWindowRecent, 1);
  g_autoptr(GMenu) clear = g_menu_new ();

  self->recent = r;
  r->manager = gtk_recent_manager_get_default ();
  r->menu = g_menu_new ();
  r->items = g_menu_new ();
  g_menu_append_section (r->menu, NULL, G_MENU_MODEL (r->items));
  g_menu_append (clear, _("_Clear List"), "win.clear-recent");
  g_menu_append_section (r->menu, NULL, G_MENU_MODEL (clear));
  r->changed_id = g_signal_connect_swapped (r->manager, "changed", G_CALLBACK (rebuild), self);
  rebuild (self);
  return G_MENU_MODEL (r->menu);
}

GMenuModel *
_gs_window_recent_get_menu (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));
  return G_MENU_MODEL (self->recent->items);
}

void
_gs_window_recent_dispose (GsWindow *self)
{
  GsWindowRecent *r = self->recent;

  if (r == NULL)
    return;
  g_clear_signal_handler (&r->changed_id, r->manager);
  g_clear_object (&r->items);
  g_clear_object (&r->menu);
  g_free (r);
  self->recent = NULL;
}
