/* test-export.c — pictures for slides: every view of the stepping page and
 * the page itself as PNG (twice the size), SVG and PDF, with a caption;
 * errors for a file that cannot be written; Ctrl+Shift+C copies the view
 * under the pointer to the clipboard.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The copy is tested with real input: xdotool moves the X pointer over the
 * cell view and types Ctrl+Shift+C (under openbox in Xvfb, as make check
 * runs it), then the clipboard is read back as a texture.
 */

#include <stdlib.h>
#include <string.h>

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "gs-application.h"
#include "gs-cell-view.h"
#include "gs-heatmap.h"
#include "gs-session.h"
#include "gs-text-drawn.h"
#include "gs-ui-test-window.h"
#include "gs-view-export.h"
#include "gs-window.h"
#include "gs-window-private.h"

static GsApplication *app;  /* one per process: a GApplication registers once */

/* ───────────────────────── helpers ───────────────────────── */

/* A new window at width × height, drawn. */
static GsWindow *
open_window (int width,
             int height)
{
  GsWindow *win = gs_ui_test_open_window (width, height);

  gs_ui_test_wait_for_frames (GTK_WIDGET (win));
  return win;
}

/* The texts drawn, with their unknown glyphs (gs-text-drawn.h). */
typedef struct {
  GHashTable *unknown;   /* text → GINT_TO_POINTER (unknown glyphs + 1) */
} Drawn;

static void
on_text_drawn (const char *text,
               int         unknown_glyphs,
               void       *data)
{
  Drawn *drawn = data;

  g_hash_table_insert (drawn->unknown, g_strdup (text), GINT_TO_POINTER (unknown_glyphs + 1));
}

/* Pixels of `texture` in rows [y0, y1) that differ from its top-left pixel. */
static int
count_ink (GdkTexture *texture,
           int         y0,
           int         y1)
{
  int w = gdk_texture_get_width (texture);
  int h = gdk_texture_get_height (texture);
  gsize stride = (gsize) w * 4;
  g_autofree guchar *data = g_malloc (stride * (gsize) h);
  int ink = 0;

  gdk_texture_download (texture, data, stride);
  for (int y = MAX (y0, 0); y < MIN (y1, h); y++)
    for (int x = 0; x < w; x++)
      {
        const guchar *p = data + (gsize) y * stride + (gsize) x * 4;

        if (ABS (p[0] - data[0]) + ABS (p[1] - data[1]) + ABS (p[2] - data[2]) > 48)
          ink++;
      }
  return ink;
}

/* How often `needle` occurs in the first `len` bytes of `text`. */
static int
count_str (const char *text,
           gsize       len,
           const char *needle)
{
  int n = 0;

  for (const char *p = g_strstr_len (text, len, needle); p != NULL;
       p = g_strstr_len (p + 1, len - (gsize) (p + 1 - text), needle))
    n++;
  return n;
}

/* The widest <image> in an SVG (cairo's fallback for what it cannot draw
 * as vectors), 0 for none. */
static int
widest_svg_image (const char *text)
{
  int widest = 0;

  for (const char *p = strstr (text, "<image"); p != NULL; p = strstr (p + 1, "<image"))
    {
      const char *end = strchr (p, '>');
      const char *width = strstr (p, " width=\"");

      if (width != NULL && (end == NULL || width < end))
        widest = MAX (widest, atoi (width + strlen (" width=\"")));
    }
  return widest;
}

static char *
read_file (const char *path,
           gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

/* Exports `widget` in every format and checks each file. */
static void
check_exports (GtkWidget  *widget,
               const char *dir,
               const char *slug,
               const char *caption,
               Drawn      *drawn)
{
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);

  for (int f = GS_VIEW_EXPORT_PNG; f <= GS_VIEW_EXPORT_PDF; f++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s", slug, gs_view_export_format_extension (f));
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize len;

      g_hash_table_remove_all (drawn->unknown);
      g_assert_true (gs_view_export_to_file (widget, path, caption, &error));
      g_assert_no_error (error);
      /* The caption went through Pango with every glyph found. */
      g_assert_true (g_hash_table_contains (drawn->unknown, caption));
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (drawn->unknown, caption)) - 1, ==, 0);

      contents = read_file (path, &len);
      switch (f)
        {
        case GS_VIEW_EXPORT_PNG:
          {
            g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
            int th, ink, caption_ink;

            g_assert_no_error (error);
            th = gdk_texture_get_height (texture);
            g_assert_cmpint (gdk_texture_get_width (texture), ==, 2 * w);
            /* Twice the widget, and the caption's band below it. */
            g_assert_cmpint (th, >, 2 * h + 20);
            g_assert_cmpint (th, <, 2 * h + 200);
            ink = count_ink (texture, 0, 2 * h);
            caption_ink = count_ink (texture, 2 * h, th);
            g_test_message ("%s: %d×%d px, %d px of drawing, %d px of caption",
                            name, gdk_texture_get_width (texture), th, ink, caption_ink);
            if (g_strcmp0 (g_getenv ("GS_TEST_KEEP_EXPORTS"), "1") != 0)
              g_assert_cmpint (ink, >, 4 * w * h / 200);   /* not blank: over 0.5 % */
            g_assert_cmpint (caption_ink, >, 100);
          }
          break;
        case GS_VIEW_EXPORT_SVG:
          {
            g_autofree char *width_attr = g_strdup_printf ("width=\"%dpx\"", w);

            g_assert_nonnull (g_strstr_len (contents, len, "<svg"));
            g_assert_nonnull (g_strstr_len (contents, len, width_attr));
            /* Vectors: paths (the cairo drawings and the glyphs), not one
             * bitmap; small bitmaps only (the blur of a card's shadow). */
            g_test_message ("%s: %d paths, %d glyph uses, widest image %d px", name,
                            count_str (contents, len, "<path"), count_str (contents, len, "<use"),
                            widest_svg_image (contents));
            g_assert_cmpint (count_str (contents, len, "<path"), >=, 10);
            g_assert_cmpint (count_str (contents, len, "<use"), >=, 5);
            g_assert_cmpint (widest_svg_image (contents), <, w / 2);
          }
          break;
        case GS_VIEW_EXPORT_PDF:
        default:
          g_assert_cmpint (len, >, 1000);
          g_assert_true (g_str_has_prefix (contents, "%PDF-"));
          /* Whole: the trailer ends the file (the body holds binary streams). */
          g_assert_nonnull (g_strstr_len (contents + len - 16, 16, "%%EOF"));
          break;
        }
    }
}

/* ───────────────────────── the tests ───────────────────────── */

/* Every view shown on the stepping page, and the page, in every format. */
static void
test_every_view (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (open_window (1600, 1000));
  g_autofree char *dir = g_dir_make_tmp ("gs-export-XXXXXX", NULL);
  g_autoptr(GPtrArray) views = _gs_window_export_views (win);
  g_autofree char *caption = _gs_window_export_caption (win);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Drawn drawn = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  GtkWidget *page = _gs_window_export_page (win);

  g_assert_nonnull (dir);
  /* Three steps forward: every view has something to show. */
  for (int i = 0; i < 3; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (win), "win.step-forward", NULL);
      gs_session_sync (gs_window_get_session (win));
      gs_ui_test_flush_main_loop ();
    }
  gs_ui_test_wait_for_frames (GTK_WIDGET (win));
  g_clear_pointer (&caption, g_free);
  g_clear_pointer (&views, g_ptr_array_unref);
  caption = _gs_window_export_caption (win);
  views = _gs_window_export_views (win);

  /* The caption says what the picture shows. */
  g_test_message ("caption: %s", caption);
  g_assert_nonnull (strstr (caption, "hello"));
  g_assert_nonnull (strstr (caption, "LSTM"));
  g_assert_nonnull (strstr (caption, "epoch 0 · t = 2"));

  gs_text_drawn_set_hook (on_text_drawn, &drawn);
  g_assert_cmpuint (views->len, >=, 6);
  for (guint i = 0; i < views->len; i++)
    {
      GtkWidget *view = g_ptr_array_index (views, i);
      g_autofree char *slug = g_strdup_printf ("%02u-%s", i, G_OBJECT_TYPE_NAME (view));

      g_hash_table_add (seen, (gpointer) G_OBJECT_TYPE_NAME (view));
      check_exports (view, dir, slug, caption, &drawn);
    }
  g_assert_true (g_hash_table_contains (seen, "GsUnrolledView"));
  g_assert_true (g_hash_table_contains (seen, "GsCellView"));
  g_assert_true (g_hash_table_contains (seen, "GsPredictionBars"));
  g_assert_true (g_hash_table_contains (seen, "GsHeatmap"));
  g_assert_true (g_hash_table_contains (seen, "GsLossPlot"));

  /* The whole page: larger than any view, the views inside it. */
  g_assert_nonnull (page);
  g_assert_cmpint (gtk_widget_get_width (page), >, gtk_widget_get_width (g_ptr_array_index (views, 0)));
  check_exports (page, dir, "page", caption, &drawn);

  /* A Chinese caption renders without boxes in the same font. */
  {
    const char *zh = "hello · LSTM · 1 层 × 8 个单元 · 第 12 轮 · t = 3";
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) png = NULL;

    g_hash_table_remove_all (drawn.unknown);
    png = gs_view_export_render (g_ptr_array_index (views, 0), GS_VIEW_EXPORT_PNG, zh, &error);
    g_assert_no_error (error);
    g_assert_true (g_hash_table_contains (drawn.unknown, zh));
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (drawn.unknown, zh)) - 1, ==, 0);
  }

  gs_text_drawn_set_hook (NULL, NULL);
  g_hash_table_unref (drawn.unknown);
  gtk_window_destroy (GTK_WINDOW (win));
  /* GS_TEST_KEEP_EXPORTS=1 keeps the pictures to look at. */
  if (g_strcmp0 (g_getenv ("GS_TEST_KEEP_EXPORTS"), "1") == 0)
    g_test_message ("the pictures are in %s", dir);
  else
    gs_ui_test_remove_tree (dir);
}

/* A file that cannot be written is an error naming it, never a crash;
 * and a name with another extension is refused. */
static void
test_unwritable (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (open_window (1600, 1000));
  GtkWidget *cell = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW, "cell_view"));
  static const char *const paths[] = {
    "/nonexistent-gatescope-dir/cell.png",
    "/etc/passwd/cell.svg",              /* the "directory" is a file */
    "/nonexistent-gatescope-dir/cell.pdf",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = g_path_get_basename (paths[i]);

      g_assert_false (gs_view_export_to_file (cell, paths[i], "caption", &error));
      g_assert_nonnull (error);
      g_test_message ("%s: %s", paths[i], error->message);
      g_assert_nonnull (strstr (error->message, base));
      g_assert_false (g_file_test (paths[i], G_FILE_TEST_EXISTS));
      /* The window's way: a toast, and FALSE. */
      g_assert_false (_gs_window_export_to_file (win, cell, paths[i]));
    }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename (g_get_tmp_dir (), "gatescope-cell.bmp", NULL);

    g_assert_false (gs_view_export_to_file (cell, path, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
    g_assert_nonnull (strstr (error->message, "gatescope-cell.bmp"));
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

/* ── real keys ── */

typedef struct {
  GsWindow *win;
  double    x, y;   /* window coordinates */
} Pointer;

static gboolean
pointer_reached (gpointer data)
{
  Pointer *p = data;

  return p->win->export_pointer_inside &&
         ABS (p->win->export_pointer_x - p->x) < 2 && ABS (p->win->export_pointer_y - p->y) < 2;
}

typedef struct {
  GdkTexture *texture;
  gboolean    done;
} ClipboardRead;

static void
on_texture_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  ClipboardRead *read = data;
  g_autoptr(GError) error = NULL;

  read->texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static gboolean
target_forgotten (gpointer data)
{
  return ((GsWindow *) data)->export_target == NULL;
}

/* Whether the context menu, or one of its sections, has an item for `action`. */
static gboolean
model_has (GMenuModel *model,
           const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if ((g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
           && g_strcmp0 (name, action) == 0)
          || (section != NULL && model_has (section, action)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
menu_has (GsWindow   *win,
          const char *action)
{
  return model_has (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (win->export_menu)), action);
}

static gboolean
menu_shown (gpointer data)
{
  GsWindow *win = data;

  return win->export_menu != NULL && gtk_widget_get_mapped (win->export_menu);
}

/* xdotool points at the cell view and types Ctrl+Shift+C: the clipboard
 * holds its picture at twice its size (no caption: the setting is off).
 * Then a right click there opens the picture menu for that view. */
static void
test_copy_key (void)
{
  g_autoptr(GsWindow) win = NULL;
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *cell;
  GdkClipboard *clipboard;
  GdkSurface *surface;
  graphene_point_t p;
  double sx, sy;
  Pointer pointer;
  ClipboardRead read = { NULL, FALSE };

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("real keys need an X display (make check runs Xvfb)");
      return;
    }
  settings = g_settings_new ("org.gatescope.Gatescope");
  g_settings_set_boolean (settings, "export-caption", FALSE);

  win = g_object_ref_sink (open_window (1600, 1000));
  cell = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW, "cell_view"));
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (win));
  gdk_clipboard_set_text (clipboard, "not a picture");

  surface = gtk_native_get_surface (GTK_NATIVE (win));
  {
    g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
    char x[32], y[32];
    const char *move[] = { "mousemove", "--window", xid, x, y, NULL };
    const char *key[] = { "key", "--clearmodifiers", "ctrl+shift+c", NULL };

    gs_ui_test_focus_window (GTK_WINDOW (win));

    /* The cell view's centre, in the X window's coordinates (the window's
     * shadow lies between the surface's corner and the window's). The
     * window shares the room between the views an idle after a size
     * change (gs-window-present.c), so the centre is taken once the layout
     * has settled, and again after the move: a relayout in between would
     * leave the pointer over another view. */
    for (int attempt = 0;; attempt++)
      {
        graphene_point_t q;

        gs_ui_test_spin_main_loop (200);
        gs_ui_test_wait_for_frames (GTK_WIDGET (win));
        g_assert_true (gtk_widget_compute_point (cell, GTK_WIDGET (win),
                                                 &GRAPHENE_POINT_INIT (gtk_widget_get_width (cell) / 2.0f,
                                                                       gtk_widget_get_height (cell) / 2.0f),
                                                 &p));
        gtk_native_get_surface_transform (GTK_NATIVE (win), &sx, &sy);
        g_snprintf (x, sizeof x, "%d", (int) (p.x + sx));
        g_snprintf (y, sizeof y, "%d", (int) (p.y + sy));
        pointer = (Pointer) { win, (int) (p.x + sx) - sx, (int) (p.y + sy) - sy };
        gs_ui_test_xdotool (move);
        if (!gs_ui_test_wait_until (pointer_reached, &pointer, 10))
          g_error ("the pointer did not reach the cell view (at %g, %g; want %g, %g)",
                   win->export_pointer_x, win->export_pointer_y, pointer.x, pointer.y);
        g_assert_true (gtk_widget_compute_point (cell, GTK_WIDGET (win),
                                                 &GRAPHENE_POINT_INIT (gtk_widget_get_width (cell) / 2.0f,
                                                                       gtk_widget_get_height (cell) / 2.0f),
                                                 &q));
        if (q.x == p.x && q.y == p.y)
          break;
        if (attempt == 3)
          g_error ("the cell view kept moving (%g, %g → %g, %g): the layout does not settle", p.x, p.y, q.x, q.y);
      }

    gs_ui_test_xdotool (key);
  }
  gs_ui_test_spin_main_loop (300);

  gdk_clipboard_read_texture_async (clipboard, NULL, on_texture_read, &read);
  if (!gs_ui_test_wait_until (read_done, &read, 10))
    g_error ("reading the clipboard timed out");
  g_assert_nonnull (read.texture);
  g_test_message ("clipboard: %d×%d px; the cell view %d×%d px",
                  gdk_texture_get_width (read.texture), gdk_texture_get_height (read.texture),
                  gtk_widget_get_width (cell), gtk_widget_get_height (cell));
  g_assert_cmpint (gdk_texture_get_width (read.texture), ==, 2 * gtk_widget_get_width (cell));
  g_assert_cmpint (gdk_texture_get_height (read.texture), ==, 2 * gtk_widget_get_height (cell));
  g_assert_cmpint (count_ink (read.texture, 0, gdk_texture_get_height (read.texture)), >, 1000);
  g_clear_object (&read.texture);

  /* A right click on the view opens its menu, for that view: the
   * pictures' items, after the unit's when the pointer is on a unit. */
  {
    const char *click[] = { "click", "3", NULL };
    int layer, unit, t;
    char gate;

    gs_ui_test_xdotool (click);
    if (!gs_ui_test_wait_until (menu_shown, win, 10))
      g_error ("a right click on the cell view opened no menu");
    g_assert_true (win->export_target == cell);
    g_assert_true (gtk_widget_get_parent (win->export_menu) == cell);
    g_assert_true (menu_has (win, "win.export-picture"));
    g_assert_true (menu_has (win, "win.copy-picture"));
    g_assert_true (menu_has (win, "win.export-page"));
    g_assert_true (gtk_widget_compute_point (GTK_WIDGET (win), cell,
                                             &GRAPHENE_POINT_INIT (win->export_pointer_x,
                                                                   win->export_pointer_y), &p));
    g_assert_cmpint (menu_has (win, "unit.ablate"), ==,
                     _gs_window_unit_at (win, cell, p.x, p.y, &layer, &unit, &t, &gate));
    gtk_popover_popdown (GTK_POPOVER (win->export_menu));
    /* in an idle: a loaded machine's frames may come first */
    if (!gs_ui_test_wait_until (target_forgotten, win, 10))
      g_error ("the menu still holds the view it was opened on");
  }

  /* … on a unit (o of unit 1), its items first; its Zero h fills the
   * Intervene form for that unit at the view's timestep. */
  {
    g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
    char x[32], y[32];
    const char *move[] = { "mousemove", "--window", xid, x, y, NULL };
    const char *click[] = { "click", "3", NULL };
    graphene_rect_t r;

    for (int i = 0; i < 3; i++)   /* t = 2: the cell view shows its units */
      {
        gtk_widget_activate_action (GTK_WIDGET (win), "win.step-forward", NULL);
        gs_session_sync (gs_window_get_session (win));
        gs_ui_test_flush_main_loop ();
      }
    gs_ui_test_wait_for_frames (GTK_WIDGET (win));
    g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (cell), 'o', 1, &r));
    g_assert_true (gtk_widget_compute_point (cell, GTK_WIDGET (win),
                                             &GRAPHENE_POINT_INIT (r.origin.x + r.size.width / 2,
                                                                   r.origin.y + r.size.height / 2),
                                             &p));
    g_snprintf (x, sizeof x, "%d", (int) (p.x + sx));
    g_snprintf (y, sizeof y, "%d", (int) (p.y + sy));
    pointer = (Pointer) { win, (int) (p.x + sx) - sx, (int) (p.y + sy) - sy };
    gs_ui_test_xdotool (move);
    if (!gs_ui_test_wait_until (pointer_reached, &pointer, 10))
      g_error ("the pointer did not reach o of unit 1");
    gs_ui_test_xdotool (click);
    if (!gs_ui_test_wait_until (menu_shown, win, 10))
      g_error ("a right click on a unit opened no menu");
    g_assert_true (menu_has (win, "unit.clamp"));
    g_assert_true (menu_has (win, "unit.zero-h"));
    g_assert_true (menu_has (win, "unit.ablate"));
    g_assert_true (menu_has (win, "win.export-picture"));
    gtk_popover_popdown (GTK_POPOVER (win->export_menu));
    g_assert_true (gtk_widget_activate_action (win->export_menu, "unit.zero-h", NULL));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (win->iv_entry)), ==, "1:1@2=0");
    gtk_menu_button_popdown (win->iv_button);
    gs_ui_test_spin_main_loop (100);
  }

  g_settings_reset (settings, "export-caption");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The menu moves to the view it opens on and leaves a heatmap that the
 * next cell destroys (no warning: they are fatal here), then opens again. */
static void
test_menu_follows_views (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (open_window (1600, 1000));
  GtkWidget *cell = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW, "cell_view"));
  g_autoptr(GPtrArray) views = _gs_window_export_views (win);
  GtkWidget *heatmap = NULL;
  GsTrainConfig config;

  for (guint i = 0; i < views->len && heatmap == NULL; i++)
    if (GS_IS_HEATMAP (g_ptr_array_index (views, i)))
      heatmap = g_ptr_array_index (views, i);
  g_assert_nonnull (heatmap);
  g_object_add_weak_pointer (G_OBJECT (heatmap), (gpointer *) &heatmap);

  g_assert_true (_gs_window_context_menu (win, heatmap, 10, 10));
  gs_ui_test_spin_main_loop (100);
  g_assert_true (gtk_widget_get_parent (win->export_menu) == heatmap);
  g_assert_true (win->export_target == heatmap);
  gtk_popover_popdown (GTK_POPOVER (win->export_menu));
  gs_ui_test_spin_main_loop (100);

  /* A GRU has other gates: the LSTM's heatmaps go. */
  config = *gs_session_get_config (gs_window_get_session (win));
  config.cell = GS_CELL_GRU;
  gs_window_reset_session (win, &config);
  gs_session_sync (gs_window_get_session (win));
  gs_ui_test_flush_main_loop ();
  gs_ui_test_wait_for_frames (GTK_WIDGET (win));
  g_assert_null (heatmap);
  g_assert_null (gtk_widget_get_parent (win->export_menu));

  /* Shift+F10 on the focused view (its action) opens the menu there, with
   * the pictures' items. */
  g_assert_true (gtk_widget_grab_focus (cell));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.context-menu", NULL));
  gs_ui_test_spin_main_loop (100);
  g_assert_true (gtk_widget_get_parent (win->export_menu) == cell);
  g_assert_true (gtk_widget_get_visible (win->export_menu));
  g_assert_true (menu_has (win, "win.export-picture"));
  g_assert_true (menu_has (win, "win.export-page"));
  gtk_popover_popdown (GTK_POPOVER (win->export_menu));
  gs_ui_test_spin_main_loop (100);
  {
    g_autofree char *caption = _gs_window_export_caption (win);

    g_assert_nonnull (strstr (caption, "GRU"));
  }

  /* Export Page… opens the file dialog with the Caption choice; a second
   * one does not open over it; Cancel closes it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export-page", NULL));
  g_assert_nonnull (win->export_chooser);
  {
    GtkFileChooserNative *first = win->export_chooser;

    gs_ui_test_spin_main_loop (200);
    g_assert_true (gtk_native_dialog_get_visible (GTK_NATIVE_DIALOG (first)));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export-page", NULL));
    g_assert_true (win->export_chooser == first);
    g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (first), "caption"), ==, "true");
    g_signal_emit_by_name (first, "response", GTK_RESPONSE_CANCEL);
    g_assert_null (win->export_chooser);
  }
  /* Accepted with a name without an extension and Caption off: a PNG
   * (the first filter's type), and the choice is remembered. */
  {
    g_autofree char *dir = g_dir_make_tmp ("gs-export-XXXXXX", NULL);
    g_autofree char *cwd = g_get_current_dir ();
    g_autofree char *expected = g_build_filename (dir, "page-picture.png", NULL);
    g_autoptr(GSettings) settings = g_settings_new ("org.gatescope.Gatescope");
    g_autoptr(GError) error = NULL;
    GtkFileChooser *chooser;

    g_assert_cmpint (g_chdir (dir), ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export-page", NULL));
    chooser = GTK_FILE_CHOOSER (win->export_chooser);
    gs_ui_test_spin_main_loop (200);
    /* The dialog without a portal opens in the current directory and
     * takes a new name, but no new folder, once shown. */
    gtk_file_chooser_set_current_name (chooser, "page-picture");
    gtk_file_chooser_set_choice (chooser, "caption", "false");
    g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
    g_assert_null (win->export_chooser);
    g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
    g_assert_false (g_settings_get_boolean (settings, "export-caption"));
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (expected, &error);
      GtkWidget *page = _gs_window_export_page (win);

      g_assert_no_error (error);
      /* no caption: exactly twice the page */
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 2 * gtk_widget_get_width (page));
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 2 * gtk_widget_get_height (page));
    }
    g_settings_reset (settings, "export-caption");
    g_assert_cmpint (g_chdir (cwd), ==, 0);
    gs_ui_test_remove_tree (dir);
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

/* In the dark style the picture is dark, with light text: the window's
 * own background, not a white sheet under light lines. */
static void
test_dark (void)
{
  g_autoptr(GsWindow) win = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *data = NULL;
  GtkWidget *cell;
  int w, h, light = 0;

  /* After the window applies the saved style (the system's). */
  win = g_object_ref_sink (open_window (1600, 1000));
  gs_ui_test_set_dark (TRUE);
  cell = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW, "cell_view"));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step-forward", NULL);
  gs_session_sync (gs_window_get_session (win));
  gs_ui_test_wait_for_frames (GTK_WIDGET (win));

  texture = gs_view_export_texture (cell, "hello · LSTM", &error);
  g_assert_no_error (error);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  data = g_malloc ((gsize) w * 4 * (gsize) h);
  gdk_texture_download (texture, data, (gsize) w * 4);
  /* B, G, R, A: an opaque dark corner… */
  g_assert_cmpint (data[3], ==, 255);
  g_assert_cmpint (data[0] + data[1] + data[2], <, 3 * 80);
  /* …and light text and lines on it. */
  for (int i = 0; i < w * h; i++)
    if (data[4 * i] + data[4 * i + 1] + data[4 * i + 2] > 3 * 180)
      light++;
  g_test_message ("dark: corner %d,%d,%d; %d light pixels", data[2], data[1], data[0], light);
  g_assert_cmpint (light, >, 500);

  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_set_dark (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = gs_ui_test_make_fresh_home ();
  GPid wm_pid;   /* openbox on X11 */
  int status;

  gs_ui_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  app = gs_ui_test_app_new (0);

  g_test_add_func ("/export/every-view", test_every_view);
  g_test_add_func ("/export/unwritable", test_unwritable);
  g_test_add_func ("/export/menu-follows-views", test_menu_follows_views);
  g_test_add_func ("/export/dark", test_dark);
  g_test_add_func ("/export/copy-key", test_copy_key);

  /* Keys go to the window with the focus: a window manager gives it. */
  wm_pid = gs_ui_test_start_window_manager ();

  status = g_test_run ();

  gs_ui_test_stop_window_manager (wm_pid);
  g_clear_object (&app);
  gs_ui_test_remove_tree (home);
  return status;
}
