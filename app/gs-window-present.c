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
 * Where the unrolled network over the cell and the prediction would not
 * fit the viewport (wants_compact (): the normal window or the
 * presentation mode at 1280×720, 1920×1080), the views move
 * (compact_layout ()): the unrolled network beside the cell, the
 * prediction under the cell, so that the three are in sight without
 * scrolling; the loss, the heatmaps and the gradients follow below them,
 * a scroll away. The decision is measured on the room the views have, and
 * made again whenever it or the views' sizes change (share_room () then
 * shares the width and the height between them).
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
#define VIEWS_SPACING     12    /* px between the views (gs-window.ui) */

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

/* The scrolled window of the views: its size is the room they have,
 * whatever their places. */
static GtkWidget *
views_scroller (GsWindow *self)
{
  return gtk_widget_get_ancestor (GTK_WIDGET (self->unrolled_view), GTK_TYPE_SCROLLED_WINDOW);
}

/* The views' box: the scrolled window's child's child (a GtkViewport between). */
static GtkWidget *
views_box_of (GsWindow *self)
{
  GtkWidget *w = GTK_WIDGET (self->unrolled_view);

  while (!GTK_IS_VIEWPORT (gtk_widget_get_parent (w)))
    w = gtk_widget_get_parent (w);
  return w;
}

/* What a widget's style adds around its content: padding and border,
 * both sides summed. */
static void
chrome_of (GtkWidget *widget,
           int       *across,
           int       *down)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  GtkBorder padding, border;

  gtk_style_context_get_padding (style, &padding);
  gtk_style_context_get_border (style, &border);
  *across = padding.left + padding.right + border.left + border.right;
  *down = padding.top + padding.bottom + border.top + border.bottom;
}

/* The least size of a shown widget, 0 for a hidden one. */
static int
least (GtkWidget      *widget,
       GtkOrientation  orientation,
       int             for_size)
{
  int min, nat;

  if (!gtk_widget_get_visible (widget))
    return 0;
  gtk_widget_measure (widget, orientation, for_size, &min, &nat, NULL, NULL);
  return min;
}

/* The cell's least and natural height, whatever height share_room ()
 * asked for it: its design size, zoomed (measuring would count the
 * request, and clearing it to measure would lay the window out again). */
static void
cell_heights (GsWindow *self,
              int      *min,
              int      *nat)
{
  GtkWidget *cell = GTK_WIDGET (self->cell_view);

  /* Growing, as GsView measures a height for no width given: at most. */
  const double scale = gs_view_get_zoom () * (gs_view_get_grow () ? GS_VIEW_GROW_MAX : 1.0);

  GS_VIEW_GET_CLASS (cell)->measure_design (cell, GTK_ORIENTATION_VERTICAL, -1, min, nat, NULL, NULL);
  *min = (int) ceil (*min * scale);
  *nat = (int) ceil (*nat * scale);
}

/* The height of the cell's title and its buttons: beside each other (a
 * row) or the buttons under the title (a column). */
static int
head_height (GsWindow       *self,
             GtkOrientation  orientation)
{
  int title_h = least (GTK_WIDGET (self->cell_title), GTK_ORIENTATION_VERTICAL, -1);
  int tools_h = least (self->cell_tools, GTK_ORIENTATION_VERTICAL, -1);

  return orientation == GTK_ORIENTATION_HORIZONTAL ? MAX (title_h, tools_h) : title_h + tools_h;
}

/* The views of the short-screen places, measured once for both places:
 * what the decision between them depends on is the same in either. */
typedef struct {
  int width, height;          /* the viewport, inside the views' padding */
  int card_across, card_down; /* a card's padding and border */
  int title_w, title_h;       /* the cell's title row */
  int cell_w, cell_h;
  int bars_w, bars_h;         /* the prediction (or the series plot) */
  int unrolled_w;
} Room;

static gboolean
measure_room (GsWindow *self,
              Room     *room)
{
  GtkWidget *scroller = views_scroller (self);
  GtkWidget *views_box = views_box_of (self);
  GtkWidget *bars = GTK_WIDGET (self->prediction_bars);
  GtkWidget *series = GTK_WIDGET (self->series_plot);
  int across, down, cell_nat;

  if (gtk_widget_get_width (scroller) <= 0 || gtk_widget_get_height (scroller) <= 0)
    return FALSE;
  chrome_of (views_box, &across, &down);
  room->width = gtk_widget_get_width (scroller) - across;
  room->height = gtk_widget_get_height (scroller) - down;
  chrome_of (gtk_widget_get_parent (GTK_WIDGET (self->cell_head)), &room->card_across, &room->card_down);
  /* As a row, whichever way it is now. */
  room->title_w = least (GTK_WIDGET (self->cell_title), GTK_ORIENTATION_HORIZONTAL, -1) + VIEWS_SPACING
                + least (self->cell_tools, GTK_ORIENTATION_HORIZONTAL, -1);
  room->title_h = head_height (self, GTK_ORIENTATION_HORIZONTAL);
  room->cell_w = least (GTK_WIDGET (self->cell_view), GTK_ORIENTATION_HORIZONTAL, -1);
  cell_heights (self, &room->cell_h, &cell_nat);
  room->bars_w = MAX (least (bars, GTK_ORIENTATION_HORIZONTAL, -1), least (series, GTK_ORIENTATION_HORIZONTAL, -1));
  room->bars_h = least (bars, GTK_ORIENTATION_VERTICAL, -1) + least (series, GTK_ORIENTATION_VERTICAL, -1);
  room->unrolled_w = least (GTK_WIDGET (self->unrolled_view), GTK_ORIENTATION_HORIZONTAL, -1);
  return TRUE;
}

/* Stacked, the unrolled network spans the viewport's width over the row
 * of the cell's card and the prediction: whether all three are in sight
 * at their least heights. */
static gboolean
stacked_fits (GsWindow   *self,
              const Room *room)
{
  int unrolled_h = least (GTK_WIDGET (self->unrolled_view), GTK_ORIENTATION_VERTICAL, room->width);
  int card_h = room->card_down + room->title_h + room->cell_h;

  return unrolled_h + VIEWS_SPACING + MAX (card_h, room->bars_h) <= room->height;
}

/* How wide GtkBox makes the first of two expanding children of least
 * and natural widths min_a, nat_a and min_b, nat_b in `width`: each its
 * least, then the room up to the naturals (the smaller need first, the
 * rest shared), then the rest shared alike. */
static int
box_share (int width,
           int min_a,
           int nat_a,
           int min_b,
           int nat_b)
{
  int extra = MAX (0, width - min_a - min_b);
  int gap_a = nat_a - min_a, gap_b = nat_b - min_b;

  if (gap_a + gap_b <= extra)
    return nat_a + (extra - gap_a - gap_b) / 2;
  if (gap_a <= extra / 2)
    return nat_a;
  if (gap_b <= extra / 2)
    return min_a + extra - gap_b;
  return min_a + extra / 2;
}

/* The width the title takes showing `text`. */
static int
title_width (GsWindow   *self,
             const char *text)
{
  GtkWidget *title = GTK_WIDGET (self->cell_title);
  g_autoptr(PangoLayout) now = gtk_widget_create_pango_layout (title, gtk_label_get_label (self->cell_title));
  g_autoptr(PangoLayout) then = gtk_widget_create_pango_layout (title, text);
  int min, nat, now_w, then_w, h;

  gtk_widget_measure (title, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  pango_layout_get_pixel_size (now, &now_w, &h);
  pango_layout_get_pixel_size (then, &then_w, &h);
  return nat - now_w + then_w;   /* the label's padding kept */
}

/* The card's width side by side, as the row will make it: at least what
 * the cell, the prediction and the title (at its least) need, up to what
 * the title whole beside its buttons needs, the rest the network's. */
static int
card_width (GsWindow   *self,
            const Room *room)
{
  GtkWidget *unrolled = GTK_WIDGET (self->unrolled_view);
  int min, title_w, tools_w, unrolled_min, unrolled_nat, card_least, card_nat;

  title_w = title_width (self, self->cell_caption != NULL ? self->cell_caption : "");
  gtk_widget_measure (self->cell_tools, GTK_ORIENTATION_HORIZONTAL, -1, &min, &tools_w, NULL, NULL);
  gtk_widget_measure (unrolled, GTK_ORIENTATION_HORIZONTAL, -1, &unrolled_min, &unrolled_nat, NULL, NULL);
  card_least = room->card_across + MAX (MAX (room->title_w, room->cell_w), room->bars_w);
  card_nat = room->card_across + MAX (title_w + VIEWS_SPACING + tools_w, room->bars_w);
  return box_share (room->width - VIEWS_SPACING, card_least, MAX (card_least, card_nat), unrolled_min, unrolled_nat);
}

/* Side by side, the cell's card (its title, the cell, the prediction)
 * beside the unrolled network: whether the two fit the width (else the
 * window could not be made as narrow as it can be now), the network
 * still drawing a square for every unit (at 1024×720 it would draw
 * pixels: stacked is better there). */
static gboolean
side_by_side_fits (GsWindow   *self,
                   const Room *room)
{
  int card_w = room->card_across + MAX (MAX (room->title_w, room->cell_w), room->bars_w);
  int across, down;

  chrome_of (GTK_WIDGET (self->unrolled_view), &across, &down);
  return card_w + VIEWS_SPACING + room->unrolled_w <= room->width &&
         gs_unrolled_view_units_whole_at (self->unrolled_view,
                                          room->width - VIEWS_SPACING - card_width (self, room) - across);
}

/* Whether the views take their short-screen places: where, stacked, the
 * cell or the prediction would be a scroll away (a 1280×720 window or
 * projector; 1920×1080, where the grown views stacked need 1,300 px) and
 * side by side they fit the width. Decided on the room the views have,
 * so that a header bar, a hint on two lines or a lesson panel count. */
static gboolean
wants_compact (GsWindow *self)
{
  Room room;

  if (!measure_room (self, &room))
    return self->compact;
  return !stacked_fits (self, &room) && side_by_side_fits (self, &room);
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

void
_gs_window_set_cell_caption (GsWindow   *self,
                             const char *caption,
                             const char *short_caption)
{
  char *copy = g_strdup (caption), *short_copy = g_strdup (short_caption);

  g_assert (GS_IS_WINDOW (self));

  /* (`caption` may be self->cell_caption itself.) */
  g_free (self->cell_caption);
  self->cell_caption = copy;
  g_free (self->cell_caption_short);
  self->cell_caption_short = short_copy;
  gtk_label_set_label (self->cell_title, self->short_title && short_copy != NULL ? short_copy : copy);
}

/* Side by side, the cell's card and the unrolled network share the
 * width, the card asking for what its title, the cell and the prediction
 * need: so that the network keeps the room to draw every unit's square.
 * The title shows whole: beside its buttons where it fits there; else
 * over them, where the height allows; else in its short form ("The cell
 * at t = 2", the input shows in the diagram). The cell takes the height
 * the viewport has left beside the title and the prediction's least
 * height, between its own least and natural height: a prediction of many
 * classes (a character model's dozen) does not squeeze the diagram below
 * its least size, and a short one leaves it the room; given that height,
 * the cell asks for no more width than the diagram takes at it
 * (gs-cell-view.c). */
static void
share_room (GsWindow *self)
{
  GtkWidget *cell = GTK_WIDGET (self->cell_view);
  GtkOrientation head = GTK_ORIENTATION_HORIZONTAL;
  gboolean short_title = FALSE;
  Room room;
  int min, nat, title_w, tools_w, card_w, height, now;

  if (self->compact && measure_room (self, &room))
    {
      title_w = title_width (self, self->cell_caption != NULL ? self->cell_caption : "");
      gtk_widget_measure (self->cell_tools, GTK_ORIENTATION_HORIZONTAL, -1, &min, &tools_w, NULL, NULL);
      card_w = card_width (self, &room);
      if (title_w + VIEWS_SPACING + tools_w > card_w - room.card_across)
        {
          if (room.card_down + head_height (self, GTK_ORIENTATION_VERTICAL) + room.cell_h + room.bars_h <= room.height)
            head = GTK_ORIENTATION_VERTICAL;
          short_title = head == GTK_ORIENTATION_HORIZONTAL || title_w > card_w - room.card_across;
        }
    }
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->cell_head)) != head)
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->cell_head), head);
  if (short_title != self->short_title)
    {
      self->short_title = short_title;
      if (self->cell_caption != NULL)
        _gs_window_set_cell_caption (self, self->cell_caption, self->cell_caption_short);
    }
  /* Only what changed: a request set again would lay the window out again. */
  height = -1;
  if (self->compact && measure_room (self, &room))
    {
      cell_heights (self, &min, &nat);
      height = CLAMP (room.height - room.card_down - head_height (self, head) - room.bars_h, min, nat);
    }
  gtk_widget_get_size_request (cell, NULL, &now);
  if (now != height)
    gtk_widget_set_size_request (cell, -1, height);
}

static void
apply_zoom (GsWindow *self)
{
  gs_view_set_zoom (self->zoom * presentation_zoom (self));
  gs_view_set_grow (wants_growth (self));
  compact_layout (self, wants_compact (self));
  relayout_views (GTK_WIDGET (self));
  share_room (self);
}

/* The window's size or the views' room changed: the views may grow or
 * stop growing, or take other places. */
static gboolean
update_growth (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);

  self->grow_source = 0;
  if (wants_growth (self) != gs_view_get_grow () || wants_compact (self) != self->compact ||
      self->zoom * presentation_zoom (self) != gs_view_get_zoom ())
    apply_zoom (self);
  else
    share_room (self);
  return G_SOURCE_REMOVE;
}

static void
queue_update (GsWindow *self)
{
  if (self->grow_source == 0)
    self->grow_source = g_idle_add (update_growth, self);
}

/* The viewport's size changed (a hint on two lines, the header bar hidden,
 * a panel beside the views) or the views' (another network): the same
 * check as for a new window size. */
static void
on_room_changed (GsWindow *self,
                 gpointer  changed)
{
  queue_update (self);
}

static void
on_surface_layout (GsWindow   *self,
                   int         width,
                   int         height,
                   GdkSurface *surface)
{
  queue_update (self);
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
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cell_head);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cell_tools);

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
  GtkScrolledWindow *scroller;

  self->zoom = CLAMP (g_settings_get_double (self->settings, "zoom"), GS_WINDOW_ZOOM_MIN, GS_WINDOW_ZOOM_MAX);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave-presentation", FALSE);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  scroller = GTK_SCROLLED_WINDOW (views_scroller (self));
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (scroller), "changed",
                           G_CALLBACK (on_room_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_hadjustment (scroller), "changed",
                           G_CALLBACK (on_room_changed), self, G_CONNECT_SWAPPED);
  /* A longer title wants a wider card. */
  g_signal_connect_object (self->cell_title, "notify::label", G_CALLBACK (on_room_changed), self, G_CONNECT_SWAPPED);
  apply_zoom (self);
}

void
gs_window_dispose_present (GsWindow *self)
{
  g_clear_handle_id (&self->grow_source, g_source_remove);
  g_clear_pointer (&self->cell_caption, g_free);
  g_clear_pointer (&self->cell_caption_short, g_free);
}
