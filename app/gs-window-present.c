/* gs-window-present.c — the window in front of a class: full screen, the
 * presentation mode and the zoom.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * F11 toggles full screen. F5 (or the menu's Presentation Mode) enters
 * the presentation mode: full screen, without the header bar (and the bar
 * of pages a narrow window shows at the bottom), the settings
 * panel, the hint line and the frame-rate overlay, the type of the status
 * and the titles larger (the "presentation" style class) and, on a screen
 * at least GROW_HEIGHT px high, the views 1.25 times larger; F5 or Esc
 * leaves it and puts back what it hid. In a window of at least
 * GROW_WIDTH × GROW_HEIGHT px the views also grow with the room they have
 * (gs_view_set_grow ()).
 *
 * On a screen less than GROW_HEIGHT px high (a 1280×720 projector) the
 * presentation mode also moves the views (compact_layout ()): the unrolled
 * network beside the cell, the prediction under the cell, so that the
 * three are in sight without scrolling; the loss, the heatmaps and the
 * gradients follow below them, a scroll away. A wide window less than
 * COMPACT_HEIGHT px high (1920×1080) takes the same places.
 *
 * Ctrl+plus, Ctrl+minus and Ctrl+0 zoom every view's drawing and text
 * together (gs_view_set_zoom (), shared by all views); the zoom is saved
 * in GSettings ("zoom") and applies from the next start.
 */

#include <math.h>

#include "gs-window-private.h"

/* How much larger the presentation mode draws, on top of the zoom. */
#define PRESENTATION_ZOOM 1.25
#define ZOOM_STEP         1.1   /* one Ctrl+plus */
#define GROW_WIDTH        1800  /* px: from here on the views grow */
#define GROW_HEIGHT       1000
#define COMPACT_HEIGHT    1200  /* px: a wide window less high lays the views out side by side */

/* Every view, the loss plot included, is laid out and drawn again. */
static void
relayout_views (GtkWidget *widget)
{
  if (GS_IS_VIEW (widget) || GS_IS_LOSS_PLOT (widget))
    {
      if (GS_IS_VIEW (widget))
        gs_view_queue_redraw (GS_VIEW (widget));
      gtk_widget_queue_resize (widget);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    relayout_views (c);
}

/* The views grow with the room they have (GS_VIEW_GROW_MAX) in a window
 * of GROW_WIDTH × GROW_HEIGHT px or more: below that height, growing the
 * network would push the cell out of sight. */
static gboolean
wants_growth (GsWindow *self)
{
  return gtk_widget_get_width (GTK_WIDGET (self)) >= GROW_WIDTH &&
         gtk_widget_get_height (GTK_WIDGET (self)) >= GROW_HEIGHT;
}

/* The presentation mode's larger views, where the screen has the height. */
static double
presentation_zoom (GsWindow *self)
{
  if (!self->presenting)
    return 1.0;
  return gtk_widget_get_height (GTK_WIDGET (self)) >= GROW_HEIGHT ? PRESENTATION_ZOOM : 1.0;
}

/* Whether the views take their short-screen places: where, stacked, the
 * cell and the prediction would be a scroll away. In the presentation
 * mode on a screen less than GROW_HEIGHT px high (1280×720), and in a
 * window at least GROW_WIDTH px wide and less than COMPACT_HEIGHT px high
 * (1920×1080, where the grown views stacked need 1,300 px). */
static gboolean
wants_compact (GsWindow *self)
{
  const int width = gtk_widget_get_width (GTK_WIDGET (self));
  const int height = gtk_widget_get_height (GTK_WIDGET (self));

  return (self->presenting && height < GROW_HEIGHT) || (width >= GROW_WIDTH && height < COMPACT_HEIGHT);
}

/* Moves `widget` into `box`, after `sibling` (NULL: first). */
static void
move_to (GtkWidget *widget,
         GtkWidget *box,
         GtkWidget *sibling)
{
  g_autoptr(GtkWidget) keep = g_object_ref (widget);

  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (widget)), widget);
  gtk_box_insert_child_after (GTK_BOX (box), widget, sibling);
}

/* The views' places. Normally the unrolled network spans the top, and
 * under it the cell sits beside the column of the prediction and the
 * loss:
 *
 *   views_box: unrolled · row [cell card (title, cell) · side (prediction, series, loss)] · …
 *
 * Compact, the unrolled network goes beside the cell and the prediction
 * (or the series plot) under it, in the cell's card; the rest of the side
 * column (the loss) goes under the row:
 *
 *   views_box: row [cell card (title, cell, prediction, series) · unrolled] · side (loss) · … */
static void
compact_layout (GsWindow *self,
                gboolean  compact)
{
  GtkWidget *unrolled = GTK_WIDGET (self->unrolled_view);
  GtkWidget *cell = GTK_WIDGET (self->cell_view);
  GtkWidget *bars = GTK_WIDGET (self->prediction_bars);
  GtkWidget *series = GTK_WIDGET (self->series_plot);
  GtkWidget *card = gtk_widget_get_parent (cell);
  GtkWidget *row = gtk_widget_get_parent (card);
  GtkWidget *views_box;

  if (self->views_side == NULL)
    self->views_side = gtk_widget_get_parent (bars);
  if (self->compact == compact)
    return;
  self->compact = compact;
  views_box = gtk_widget_get_parent (row);
  if (compact)
    {
      move_to (unrolled, row, card);
      move_to (bars, card, cell);
      move_to (series, card, bars);
      move_to (self->views_side, views_box, row);
    }
  else
    {
      move_to (self->views_side, row, card);
      move_to (series, self->views_side, NULL);
      move_to (bars, self->views_side, NULL);
      move_to (unrolled, views_box, NULL);
    }
}

/* Compact, the cell shares its card's height with the prediction: it
 * keeps at least CELL_SHARE of the window's height (up to its natural
 * height), so that a prediction of many classes (a character model's
 * dozen) does not squeeze the diagram to a thumbnail. */
#define CELL_SHARE 0.37

static void
share_cell_height (GsWindow *self)
{
  GtkWidget *cell = GTK_WIDGET (self->cell_view);
  int min, nat;

  gtk_widget_set_size_request (cell, -1, -1);
  if (!self->compact)
    return;
  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
  gtk_widget_set_size_request (cell, -1, MIN (nat, (int) (gtk_widget_get_height (GTK_WIDGET (self)) * CELL_SHARE)));
}

static void
apply_zoom (GsWindow *self)
{
  compact_layout (self, wants_compact (self));
  gs_view_set_zoom (self->zoom * presentation_zoom (self));
  gs_view_set_grow (wants_growth (self));
  relayout_views (GTK_WIDGET (self));
  share_cell_height (self);
}

/* The window's size changed: the views may grow or stop growing. */
static gboolean
update_growth (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);

  self->grow_source = 0;
  if (wants_growth (self) != gs_view_get_grow () || wants_compact (self) != self->compact ||
      self->zoom * presentation_zoom (self) != gs_view_get_zoom ())
    apply_zoom (self);
  else
    share_cell_height (self);
  return G_SOURCE_REMOVE;
}

static void
on_surface_layout (GsWindow   *self,
                   int         width,
                   int         height,
                   GdkSurface *surface)
{
  if (self->grow_source == 0)
    self->grow_source = g_idle_add (update_growth, self);
}

static void
on_realize (GsWindow *self)
{
  g_signal_connect_object (gtk_native_get_surface (GTK_NATIVE (self)), "layout",
                           G_CALLBACK (on_surface_layout), self, G_CONNECT_SWAPPED);
}

double
gs_window_get_zoom (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), 1.0);

  return self->zoom;
}

void
gs_window_set_zoom (GsWindow *self,
                    double    zoom)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  zoom = CLAMP (zoom, GS_WINDOW_ZOOM_MIN, GS_WINDOW_ZOOM_MAX);
  /* Whole percent steps: ten Ctrl+plus and ten Ctrl+minus come back to 100 %. */
  zoom = round (zoom * 100.0) / 100.0;
  if (zoom == self->zoom)
    return;
  self->zoom = zoom;
  g_settings_set_double (self->settings, "zoom", zoom);
  apply_zoom (self);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);

  gs_window_set_zoom (self, self->zoom * ZOOM_STEP);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);

  gs_window_set_zoom (self, self->zoom / ZOOM_STEP);
}

static void
zoom_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  gs_window_set_zoom (GS_WINDOW (widget), 1.0);
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

gboolean
gs_window_get_presenting (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);

  return self->presenting;
}

void
gs_window_set_presenting (GsWindow *self,
                          gboolean  presenting)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_if_fail (GS_IS_WINDOW (self));

  presenting = !!presenting;
  if (self->presenting == presenting)
    return;
  self->presenting = presenting;

  if (presenting)
    {
      self->present_was_fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));
      self->present_settings_revealed = adw_flap_get_reveal_flap (self->settings_flap);
      self->present_show_fps = self->show_fps;
      adw_flap_set_reveal_flap (self->settings_flap, FALSE);
      gs_window_set_show_fps (self, FALSE);
      gtk_widget_add_css_class (widget, "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
      /* The keys are the network's. */
      self->tabbed = FALSE;
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
    }
  else
    {
      gtk_widget_remove_css_class (widget, "presentation");
      if (!self->present_was_fullscreen)
        gtk_window_unfullscreen (GTK_WINDOW (self));
      adw_flap_set_reveal_flap (self->settings_flap, self->present_settings_revealed);
      gs_window_set_show_fps (self, self->present_show_fps);
    }
  gtk_widget_set_visible (self->header_bar, !presenting);
  /* With the header bar hidden its switcher reads as too narrow and would
   * reveal the bottom bar of pages, 45 px the views need. */
  gtk_widget_set_visible (self->switcher_bar, !presenting);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), !presenting);
  gtk_widget_action_set_enabled (widget, "win.leave-presentation", presenting);
  apply_zoom (self);
}

static void
presentation_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);

  gs_window_set_presenting (self, !self->presenting);
}

static void
leave_presentation_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  gs_window_set_presenting (GS_WINDOW (widget), FALSE);
}

void
gs_window_class_init_present (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, GsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, switcher_bar);

  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "win.presentation", NULL, presentation_action);
  gtk_widget_class_install_action (widget_class, "win.leave-presentation", NULL, leave_presentation_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_reset_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.presentation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.leave-presentation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
}

void
gs_window_init_present (GsWindow *self)
{
  self->zoom = CLAMP (g_settings_get_double (self->settings, "zoom"), GS_WINDOW_ZOOM_MIN, GS_WINDOW_ZOOM_MAX);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave-presentation", FALSE);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  apply_zoom (self);
}

void
gs_window_dispose_present (GsWindow *self)
{
  g_clear_handle_id (&self->grow_source, g_source_remove);
}
