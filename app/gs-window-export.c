/* gs-window-export.c — pictures of the stepping page for slides.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A right click on a view opens its context menu: "Export Picture…" and
 * "Copy Picture" (win.export-picture, win.copy-picture, for the view
 * clicked) and "Export Page…" (win.export-page, also in the main menu: the
 * whole stepping page), after a unit's interventions when the click is on
 * a unit (gs-window-unit-menu.c). Shift+F10 or the Menu key
 * (win.context-menu) opens it on the focused view, on the unit it points
 * at. Ctrl+Shift+C (win.copy-view) copies the view under the pointer, or
 * the one with the keyboard focus. Pictures are drawn by gs-view-export.h: PNG
 * at twice the size, SVG and PDF as vectors, with an optional caption
 * (task, cell, size, epoch, timestep; the file dialog's "Caption" choice,
 * remembered in GSettings). The file type follows the name's extension,
 * else the chosen filter. Failures are toasts that name the file.
 *
 * One click gesture and one motion controller on the window serve every
 * view, the heatmaps that come and go with the cell included; one menu
 * moves to the view clicked.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Window"

#include <glib/gi18n.h>

#include "gs-view-describe.h"
#include "gs-view-export.h"
#include "gs-window-private.h"

/* ───────────────────────── which view ───────────────────────── */

/* The view `widget` is part of (a GsView or the loss plot), or NULL. */
static GtkWidget *
view_of (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (GS_IS_VIEW (widget) || GS_IS_LOSS_PLOT (widget))
      return widget;
  return NULL;
}

/* A short name for the default file name. */
static const char *
view_slug (GtkWidget *view)
{
  static const struct { GType (*type) (void); const char *slug; } table[] = {
    { gs_unrolled_view_get_type,    "unrolled" },
    { gs_cell_view_get_type,        "cell" },
    { gs_prediction_bars_get_type,  "prediction" },
    { gs_series_plot_get_type,      "series" },
    { gs_gradient_view_get_type,    "gradients" },
    { gs_embedding_view_get_type,   "embedding" },
    { gs_loss_plot_get_type,        "loss" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (view, table[i].type ()))
      return table[i].slug;
  return "heatmap";
}

static void
collect_views (GtkWidget *widget,
               GPtrArray *views)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (view_of (widget) == widget)
    {
      g_ptr_array_add (views, widget);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_views (c, views);
}

GtkWidget *
_gs_window_export_page (GsWindow *self)
{
  GtkWidget *page;

  g_assert (GS_IS_WINDOW (self));

  /* The page's views and controls, without the settings beside them. */
  page = adw_view_stack_get_child_by_name (self->view_stack, "step");
  if (ADW_IS_FLAP (page) && adw_flap_get_content (ADW_FLAP (page)) != NULL)
    page = adw_flap_get_content (ADW_FLAP (page));
  return page;
}

GPtrArray *
_gs_window_export_views (GsWindow *self)
{
  GPtrArray *views = g_ptr_array_new ();
  GtkWidget *page = _gs_window_export_page (self);

  if (page != NULL)
    collect_views (page, views);
  return views;
}

/* The view under the pointer, else the one with the keyboard focus. */
static GtkWidget *
view_under_pointer (GsWindow *self)
{
  GtkWidget *view = NULL;

  if (self->export_pointer_inside)
    view = view_of (gtk_widget_pick (GTK_WIDGET (self), self->export_pointer_x,
                                     self->export_pointer_y, GTK_PICK_DEFAULT));
  if (view == NULL)
    view = view_of (gtk_root_get_focus (GTK_ROOT (self)));
  return view;
}

/* ───────────────────────── the caption ───────────────────────── */

char *
_gs_window_export_caption (GsWindow *self)
{
  const GsTrainConfig *config;
  GsSnap *snap;
  g_autofree char *size = NULL;
  const char *cell;
  long epoch;

  g_assert (GS_IS_WINDOW (self));

  config = gs_session_get_config (self->session);
  snap = _gs_window_get_shown_snap (self);
  if (config == NULL)
    return g_strdup ("");
  cell = gs_view_describe_cell_name (config->cell);
  epoch = snap != NULL ? gs_snap_get (snap)->epoch : 0;
  size = g_strdup_printf (ngettext ("%d layer × %d units", "%d layers × %d units", config->L),
                          config->L, config->H);
  if (self->timestep < 0)
    /* Translators: a picture's caption: task, cell, layers × units, epoch. */
    return g_strdup_printf (_("%s · %s · %s · epoch %ld"), config->task, cell, size, epoch);
  /* Translators: a picture's caption: task, cell, layers × units, epoch, timestep. */
  return g_strdup_printf (_("%s · %s · %s · epoch %ld · t = %d"), config->task, cell, size, epoch,
                          self->timestep);
}

static char *
caption_if_wanted (GsWindow *self)
{
  if (!g_settings_get_boolean (self->settings, "export-caption"))
    return NULL;
  return _gs_window_export_caption (self);
}

/* ───────────────────────── copying ───────────────────────── */

gboolean
_gs_window_export_copy (GsWindow  *self,
                        GtkWidget *view)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *msg = NULL;

  g_assert (GS_IS_WINDOW (self));

  if (view == NULL)
    {
      gs_window_show_toast (self, _("Point at a view to copy its picture"));
      return FALSE;
    }
  caption = caption_if_wanted (self);
  texture = gs_view_export_texture (view, caption, &error);
  if (texture == NULL)
    {
      msg = g_strdup_printf (_("Could not copy the picture: %s"), error->message);
      gs_window_show_toast (self, msg);
      return FALSE;
    }
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), texture);
  /* Translators: a toast; the picture's size in pixels. */
  msg = g_strdup_printf (_("Copied a picture of %d × %d pixels"),
                         gdk_texture_get_width (texture), gdk_texture_get_height (texture));
  gs_window_show_toast (self, msg);
  return TRUE;
}

/* ───────────────────────── the file dialog ───────────────────────── */

gboolean
_gs_window_export_to_file (GsWindow   *self,
                           GtkWidget  *widget,
                           const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *caption = NULL;

  g_assert (GS_IS_WINDOW (self));

  caption = caption_if_wanted (self);
  if (!gs_view_export_to_file (widget, path, caption, &error))
    {
      gs_window_show_toast (self, error->message);
      return FALSE;
    }
  {
    g_autofree char *name = g_filename_display_basename (path);
    g_autofree char *msg = g_strdup_printf (_("Saved “%s”"), name);

    gs_window_show_toast (self, msg);
  }
  return TRUE;
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    GsWindow        *self)
{
  GtkWidget *widget = g_object_get_data (G_OBJECT (dialog), "gs-export-widget");
  GtkFileChooser *chooser = GTK_FILE_CHOOSER (dialog);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      const char *caption = gtk_file_chooser_get_choice (chooser, "caption");
      GsViewExportFormat format;

      if (caption != NULL)
        g_settings_set_boolean (self->settings, "export-caption", g_strcmp0 (caption, "true") == 0);
      if (path == NULL)
        gs_window_show_toast (self, _("Only local files can be written"));
      else
        {
          /* No known extension: the chosen filter's. */
          if (!gs_view_export_format_from_path (path, &format))
            {
              GtkFileFilter *filter = gtk_file_chooser_get_filter (chooser);
              const char *ext = filter != NULL ? g_object_get_data (G_OBJECT (filter), "gs-ext") : NULL;
              char *named = g_strdup_printf ("%s.%s", path, ext != NULL ? ext : "png");

              g_free (path);
              path = named;
            }
          _gs_window_export_to_file (self, widget, path);
        }
    }
  gtk_native_dialog_destroy (dialog);
  if (self->export_chooser == GTK_FILE_CHOOSER_NATIVE (dialog))
    g_clear_object (&self->export_chooser);
}

static void
open_export_dialog (GsWindow   *self,
                    GtkWidget  *widget,
                    const char *slug)
{
  static const struct { const char *name; const char *ext; } filters[] = {
    { N_("PNG image (twice the size)"), "png" },
    { N_("SVG drawing"), "svg" },
    { N_("PDF document"), "pdf" },
  };
  GtkFileChooserNative *dialog;
  g_autofree char *name = g_strdup_printf ("gatescope-%s.png", slug);

  if (self->export_chooser != NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export Picture"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_add_suffix (filter, filters[i].ext);
      gtk_file_filter_set_name (filter, _(filters[i].name));
      g_object_set_data (G_OBJECT (filter), "gs-ext", (gpointer) filters[i].ext);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
    }
  /* Translators: a check box in the export dialog: task, cell, epoch… below the picture. */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "caption", _("Caption"), NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "caption",
                               g_settings_get_boolean (self->settings, "export-caption") ? "true" : "false");

  g_object_set_data_full (G_OBJECT (dialog), "gs-export-widget", g_object_ref (widget), g_object_unref);
  self->export_chooser = dialog;   /* owned until the response, or the window's dispose */
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ───────────────────────── actions ───────────────────────── */

static GtkWidget *
export_target (GsWindow *self)
{
  return self->export_target != NULL ? self->export_target : view_under_pointer (self);
}

static void
export_picture_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GsWindow *self = GS_WINDOW (widget);
  GtkWidget *view = export_target (self);

  if (view == NULL)
    gs_window_show_toast (self, _("Point at a view to export its picture"));
  else
    open_export_dialog (self, view, view_slug (view));
}

static void
copy_picture_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GsWindow *self = GS_WINDOW (widget);

  _gs_window_export_copy (self, export_target (self));
}

static void
copy_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GsWindow *self = GS_WINDOW (widget);

  _gs_window_export_copy (self, view_under_pointer (self));
}

static void
export_page_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GsWindow *self = GS_WINDOW (widget);
  GtkWidget *page = _gs_window_export_page (self);

  if (page != NULL)
    open_export_dialog (self, page, "page");
}

/* ───────────────────────── the context menu ───────────────────────── */

/* The menu stays with the view it last opened on: taking it away while it
 * closes crashes GTK 4.8 (its surface's frame clock still asks for
 * motion). It moves at the next right click on another view, and leaves
 * a view that is destroyed (the heatmaps are rebuilt with the cell). */
static void
move_menu (GsWindow  *self,
           GtkWidget *view)
{
  GtkWidget *parent = gtk_widget_get_parent (self->export_menu);

  if (parent == view)
    return;
  if (parent != NULL)
    {
      g_signal_handlers_disconnect_by_data (parent, self->export_menu);
      gtk_widget_unparent (self->export_menu);
    }
  if (view != NULL)
    {
      gtk_widget_set_parent (self->export_menu, view);
      g_signal_connect_swapped (view, "destroy", G_CALLBACK (gtk_widget_unparent), self->export_menu);
    }
}

static gboolean
forget_target (gpointer data)
{
  GsWindow *self = data;

  g_clear_weak_pointer (&self->export_target);
  self->export_menu_idle = 0;
  return G_SOURCE_REMOVE;
}

/* The menu's action runs before it closes: the view it was opened on is
 * forgotten afterwards. */
static void
on_menu_closed (GsWindow *self)
{
  if (self->export_menu_idle == 0)
    self->export_menu_idle = g_idle_add (forget_target, self);
}

/* The context menu: the unit's section if any, then the pictures' items. */
static GMenuModel *
context_menu_model (GMenuItem *unit_section)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) pictures = g_menu_new ();

  g_menu_append (pictures, _("Export Picture…"), "win.export-picture");
  g_menu_append (pictures, _("Copy Picture"), "win.copy-picture");
  g_menu_append (pictures, _("Export Page…"), "win.export-page");
  if (unit_section != NULL)
    g_menu_append_item (menu, unit_section);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (pictures));
  return G_MENU_MODEL (menu);
}

gboolean
_gs_window_context_menu (GsWindow  *self,
                         GtkWidget *view,
                         double     x,
                         double     y)
{
  g_autoptr(GMenuItem) unit_section = NULL;
  g_autoptr(GMenuModel) model = NULL;
  graphene_rect_t rect;

  g_assert (GS_IS_WINDOW (self));

  if (view == NULL || self->export_menu == NULL || gtk_widget_get_visible (self->export_menu))
    return FALSE;
  g_clear_handle_id (&self->export_menu_idle, g_source_remove);
  g_set_weak_pointer (&self->export_target, view);
  move_menu (self, view);
  unit_section = _gs_window_unit_section (self, view, x, y, &rect);
  if (unit_section == NULL)
    rect = x >= 0.0 ? GRAPHENE_RECT_INIT (x, y, 1, 1)
                    : GRAPHENE_RECT_INIT (gtk_widget_get_width (view) / 2.0f,
                                          gtk_widget_get_height (view) / 2.0f, 1, 1);
  model = context_menu_model (unit_section);
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->export_menu), model);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->export_menu),
                               &(GdkRectangle) { (int) rect.origin.x, (int) rect.origin.y,
                                                 MAX ((int) rect.size.width, 1),
                                                 MAX ((int) rect.size.height, 1) });
  /* Not on a page not shown, nor before the window is on a monitor, nor
   * at a point scrolled out of sight. */
  if (_gs_window_can_pop_up_at (view, &GRAPHENE_POINT_INIT (rect.origin.x + rect.size.width / 2,
                                                            rect.origin.y + rect.size.height / 2)))
    gtk_popover_popup (GTK_POPOVER (self->export_menu));
  return TRUE;
}

static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      GsWindow        *self)
{
  GtkWidget *view = view_of (gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT));
  graphene_point_t p;

  if (view == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (self), view, &GRAPHENE_POINT_INIT (x, y), &p))
    return;
  if (_gs_window_context_menu (self, view, p.x, p.y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Shift+F10 or the Menu key: the menu of the view with the keyboard
 * focus, for the unit it points at if it shows units. */
static void
context_menu_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GsWindow *self = GS_WINDOW (widget);
  GtkWidget *view = view_of (gtk_root_get_focus (GTK_ROOT (self)));

  if (view != NULL)
    _gs_window_context_menu (self, view, -1.0, -1.0);
}

static void
on_pointer_motion (GtkEventControllerMotion *motion,
                   double                    x,
                   double                    y,
                   GsWindow                 *self)
{
  self->export_pointer_x = x;
  self->export_pointer_y = y;
  self->export_pointer_inside = TRUE;
}

static void
on_pointer_leave (GtkEventControllerMotion *motion,
                  GsWindow                 *self)
{
  self->export_pointer_inside = FALSE;
}

/* ───────────────────────── set-up ───────────────────────── */

void
_gs_window_export_class_init (GtkWidgetClass *widget_class)
{
  /* the Menu key and Shift+F10: one shortcut, the context menu of the focused view */
  g_autoptr(GtkShortcut) menu_keys = gtk_shortcut_new (gtk_alternative_trigger_new (
                                                          gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                          gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK)),
                                                        gtk_named_action_new ("win.context-menu"));

  gtk_widget_class_install_action (widget_class, "win.export-picture", NULL, export_picture_action);
  gtk_widget_class_install_action (widget_class, "win.copy-picture", NULL, copy_picture_action);
  gtk_widget_class_install_action (widget_class, "win.copy-view", NULL, copy_view_action);
  gtk_widget_class_install_action (widget_class, "win.export-page", NULL, export_page_action);
  gtk_widget_class_install_action (widget_class, "win.context-menu", NULL, context_menu_action);
  gtk_widget_class_add_shortcut (widget_class, menu_keys);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-view", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-view", NULL);
}

void
_gs_window_export_init (GsWindow *self)
{
  g_autoptr(GMenuModel) menu = context_menu_model (NULL);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->export_menu = g_object_ref_sink (gtk_popover_menu_new_from_model (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->export_menu), FALSE);
  gtk_widget_set_halign (self->export_menu, GTK_ALIGN_START);
  g_signal_connect_object (self->export_menu, "closed", G_CALLBACK (on_menu_closed), self, G_CONNECT_SWAPPED);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  /* Capture: the pointer's position over the views, whoever handles it. */
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "enter", G_CALLBACK (on_pointer_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_pointer_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_pointer_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

void
_gs_window_export_dispose (GsWindow *self)
{
  g_clear_handle_id (&self->export_menu_idle, g_source_remove);
  if (self->export_menu != NULL)
    move_menu (self, NULL);
  g_clear_object (&self->export_menu);
  g_clear_weak_pointer (&self->export_target);
  if (self->export_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->export_chooser, on_export_response, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
      g_clear_object (&self->export_chooser);
    }
}
