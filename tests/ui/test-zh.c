/* test-zh.c — the window in Chinese, on the shipped Chinese corpus.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs as `LANGUAGE=zh_CN LC_ALL=zh_CN.UTF-8 gatescope` would, from the
 * build tree (gs_locale_init reads <build>/assets/po):
 *
 *   catalog   the window's strings come out in Chinese
 *   language  win.language stores the Language choice in GSettings, and
 *             the choice passed to gs_locale_init () overrides the
 *             environment (Chinese on a C locale, English on zh_CN)
 *   window    the stepping window on the Tang poems (charlm:corpus=zh):
 *             every layout any view draws (gs_text_drawn) and every label
 *             of the window has no unknown glyph (no font has it: a box
 *             on screen); the layouts include Chinese text and a text of
 *             every view (the heatmaps and the gradient view below the
 *             fold too), forward and backward; the status
 *             line quotes the first input, U+3000, as its symbol ⬚; a
 *             picture's caption for slides is Chinese and has every glyph
 *   compare   the comparison page's charts (titles, axes, legends in
 *             Chinese; the log axis's 10⁻ⁿ labels), likewise
 */

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-application.h"
#include "gs-chart-view.h"
#include "gs-compare-page.h"
#include "gs-locale.h"
#include "gs-session.h"
#include "gs-shapes-panel.h"
#include "gs-snap.h"
#include "gs-text-drawn.h"
#include "gs-ui-test-window.h"
#include "gs-view-export.h"
#include "gs-window.h"
#include "gs-window-private.h"

static GsApplication *app;

/* ───────────────────────── what was drawn ───────────────────────── */

typedef struct
{
  guint      layouts;     /* layouts drawn */
  guint      chinese;     /* of them, with a CJK ideograph */
  guint      missing;     /* of them, with an unknown glyph */
  GPtrArray *texts;       /* every text drawn (owned strings) */
} Drawn;

static Drawn drawn;

static gboolean
has_ideograph (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF))
        return TRUE;
    }
  return FALSE;
}

static void
on_text_drawn (const char *text,
               int         unknown_glyphs,
               void       *data)
{
  Drawn *d = data;

  d->layouts++;
  if (has_ideograph (text))
    d->chinese++;
  if (unknown_glyphs > 0)
    {
      d->missing++;
      g_test_message ("no glyph for %d character(s) of “%s”", unknown_glyphs, text);
    }
  g_ptr_array_add (d->texts, g_strdup (text));
}

static void
drawn_reset (void)
{
  g_clear_pointer (&drawn.texts, g_ptr_array_unref);
  memset (&drawn, 0, sizeof drawn);
  drawn.texts = g_ptr_array_new_with_free_func (g_free);
  gs_text_drawn_set_hook (on_text_drawn, &drawn);
}

static gboolean
drawn_contains (const char *needle)
{
  for (guint i = 0; i < drawn.texts->len; i++)
    if (strstr (g_ptr_array_index (drawn.texts, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* Every visible GtkLabel under widget: counts them, and those with Chinese
 * text and with unknown glyphs. */
static void
check_labels (GtkWidget *widget,
              guint     *labels,
              guint     *chinese,
              guint     *missing)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_text (GTK_LABEL (widget))[0] != '\0')
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      (*labels)++;
      if (has_ideograph (text))
        (*chinese)++;
      if (pango_layout_get_unknown_glyphs_count (layout) > 0)
        {
          (*missing)++;
          g_test_message ("label “%s” has %d unknown glyph(s)", text,
                          pango_layout_get_unknown_glyphs_count (layout));
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    check_labels (c, labels, chinese, missing);
}

/* Renders widget offscreen, as the window draws it: the views draw their text. */
static void
render (GtkWidget       *widget,
        GsUiRenderFlags  flags)
{
  g_autoptr(GsUiImage) image = gs_ui_test_render (widget, NULL, flags);

  g_assert_nonnull (image);
}

/* ───────────────────────── tests ───────────────────────── */

static void
test_catalog (void)
{
  g_assert_cmpstr (gs_locale_catalog_dir (), ==, BUILD_LOCALEDIR);
  /* a title of the settings panel and a status sentence, translated */
  g_assert_cmpstr (_("Network"), !=, "Network");
  g_assert_true (has_ideograph (_("Network")));
  g_assert_true (has_ideograph (_("Language (after a restart)")));
}

static void
test_language (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GsWindow *win = gs_window_new (app);

  g_assert_cmpstr (g_settings_get_string (settings, "language"), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.language", "s", "zh_CN"));
  g_assert_cmpstr (g_settings_get_string (settings, "language"), ==, "zh_CN");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.language", "s", "en"));
  g_assert_cmpstr (g_settings_get_string (settings, "language"), ==, "en");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.language", "s", ""));
  g_assert_cmpstr (g_settings_get_string (settings, "language"), ==, "");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The window's Language setting reaches gs_locale_init () as an override
 * of the environment: Chinese on a C locale without LANGUAGE, English on a
 * Chinese locale. Each in a fresh process (gettext and the locale are
 * process-wide). */
static void
test_language_override (void)
{
  if (g_test_subprocess ())
    {
      const char *which = g_getenv ("GS_TEST_LANGUAGE");

      if (g_strcmp0 (which, "zh_CN") == 0)
        {
          g_setenv ("LC_ALL", "C", TRUE);
          g_unsetenv ("LANGUAGE");
          gs_locale_init ("zh_CN");
          g_assert_true (has_ideograph (_("Network")));
        }
      else
        {
          g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
          g_unsetenv ("LANGUAGE");
          gs_locale_init ("en");
          g_assert_cmpstr (_("Network"), ==, "Network");
        }
      return;
    }
  g_setenv ("GS_TEST_LANGUAGE", "zh_CN", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_setenv ("GS_TEST_LANGUAGE", "en", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_unsetenv ("GS_TEST_LANGUAGE");
}

static void
press (GsWindow   *win,
       const char *action,
       int         n)
{
  for (int i = 0; i < n; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), action, NULL));
      gs_ui_test_sync (win);
    }
}

static void
test_window (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GsWindow *win;
  const char *status;
  guint labels = 0, label_chinese = 0, label_missing = 0;

  g_assert_true (g_settings_set_string (settings, "task", "charlm:corpus=zh"));
  /* Seed 27's first training window starts at an ideographic space U+3000
   * (a title's, "静夜思　李白"): windows are drawn from the training part of
   * the text, before its held-out last tenth. */
  g_assert_true (g_settings_set_int (settings, "seed", 27));
  drawn_reset ();
  win = gs_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 720);
  gtk_window_present (GTK_WINDOW (win));
  while (!gs_ui_test_has_size (GTK_WIDGET (win), 0, 0))
    g_main_context_iteration (NULL, TRUE);
  gs_ui_test_sync (win);
  g_assert_cmpstr (gs_session_get_config (gs_window_get_session (win))->task, ==, "charlm:corpus=zh");

  /* The first input is the ideographic space U+3000. */
  status = gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW, "hint_label")));
  g_test_message ("hint: %s", status);
  g_assert_nonnull (strstr (status, "⬚"));
  g_assert_null (strstr (status, "\u3000"));
  render (GTK_WIDGET (win), GS_UI_RENDER_WAIT_FRAMES);

  /* Forward through the first characters, a training step, the backward
   * pass with the gradients shown: every view draws its labels. */
  press (win, "win.step-forward", 4);
  render (GTK_WIDGET (win), GS_UI_RENDER_WAIT_FRAMES);
  press (win, "win.train-step", 2);
  /* through the forward pass and three steps into the backward pass */
  press (win, "win.step-forward", gs_snap_get (gs_session_get_snap (gs_window_get_session (win)))->T + 3);
  render (GTK_WIDGET (win), GS_UI_RENDER_WAIT_FRAMES);
  press (win, "win.step-back", 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-gradients", NULL));
  render (GTK_WIDGET (win), GS_UI_RENDER_WAIT_FRAMES);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.settings", NULL));
  render (GTK_WIDGET (win), GS_UI_RENDER_WAIT_FRAMES);

  check_labels (GTK_WIDGET (win), &labels, &label_chinese, &label_missing);
  g_test_message ("views: %u layouts drawn, %u with Chinese, %u with unknown glyphs; "
                  "labels: %u, %u with Chinese, %u with unknown glyphs",
                  drawn.layouts, drawn.chinese, drawn.missing, labels, label_chinese, label_missing);
  g_assert_cmpuint (drawn.layouts, >, 20);
  g_assert_cmpuint (drawn.chinese, >, 0);   /* the poems' characters, the views' titles */
  g_assert_true (drawn_contains ("⬚"));     /* U+3000, as every view shows it */
  /* every view drew, the ones scrolled out of sight too */
  g_assert_true (drawn_contains (_("target")));                      /* unrolled network */
  g_assert_true (drawn_contains (_("forget gate f")));               /* heatmaps */
  g_assert_true (drawn_contains (_("unit")));
  g_assert_true (drawn_contains (_("log scale: one line = ×10")));   /* gradient through time */
  g_assert_true (drawn_contains (_("Epoch")));                       /* loss curve */
  g_assert_true (drawn_contains ("cₜ₋₁"));                           /* the cell */
  g_assert_cmpuint (drawn.missing, ==, 0);
  g_assert_cmpuint (labels, >, 20);
  g_assert_cmpuint (label_chinese, >, 5);
  g_assert_cmpuint (label_missing, ==, 0);

  /* A picture for slides: its caption in Chinese, every glyph found. */
  {
    g_autofree char *caption = _gs_window_export_caption (win);
    GtkWidget *cell = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), GS_TYPE_WINDOW, "cell_view"));
    g_autoptr(GBytes) png = NULL;
    g_autoptr(GError) error = NULL;

    g_test_message ("caption: %s", caption);
    g_assert_nonnull (strstr (caption, "轮"));
    drawn_reset ();
    png = gs_view_export_render (cell, GS_VIEW_EXPORT_PNG, caption, &error);
    g_assert_no_error (error);
    g_assert_true (drawn_contains (caption));
    g_assert_cmpuint (drawn.missing, ==, 0);
  }

  gtk_window_destroy (GTK_WINDOW (win));
  gs_text_drawn_set_hook (NULL, NULL);
  g_settings_reset (settings, "task");
  g_settings_reset (settings, "seed");
}

/* The x of the first "(" after column 2 of the shapes table's row that
 * starts with `row` (the shape column). */
static int
shape_column_x (GtkLabel *label, const char *row)
{
  const char *text = gtk_label_get_text (label);
  const char *line = strstr (text, row);
  const char *paren;
  PangoRectangle pos;

  g_assert_nonnull (line);
  paren = strstr (line + strlen (row), " (");
  g_assert_nonnull (paren);
  pango_layout_index_to_pos (gtk_label_get_layout (label), (int) (paren + 1 - text), &pos);
  return pos.x;
}

/* The Shapes page in Chinese: the table's translated row names take two
 * columns a character, and the second column starts at the same x on
 * every row, whatever the fallback font's width of a Chinese glyph. */
static void
test_shapes_columns (void)
{
  GtkWidget *panel = gs_shapes_panel_new ();
  GtkWidget *window = gs_ui_test_show_in_window (panel, 1280, 720, FALSE);
  GtkLabel *label;
  GsTrainConfig cfg;
  int x_ascii, x_chinese, x_mixed;

  gs_train_config_default (&cfg);
  cfg.cell = GS_CELL_LSTM;
  gs_shapes_panel_set_config (GS_SHAPES_PANEL (panel), &cfg);
  render (window, GS_UI_RENDER_WAIT_FRAMES);
  label = GTK_LABEL (gtk_widget_get_template_child (panel, GS_TYPE_SHAPES_PANEL, "text_label"));
  x_ascii = shape_column_x (label, "  h_n ");
  x_chinese = shape_column_x (label, _("input x (token ids)"));
  x_mixed = shape_column_x (label, _("what the RNN reads"));
  g_test_message ("shape column at x = %d (h_n), %d (%s), %d (%s) Pango units", x_ascii, x_chinese,
                  _("input x (token ids)"), x_mixed, _("what the RNN reads"));
  g_assert_cmpstr (_("input x (token ids)"), !=, "input x (token ids)");   /* translated */
  g_assert_cmpint (ABS (x_chinese - x_ascii), <, PANGO_SCALE);
  g_assert_cmpint (ABS (x_mixed - x_ascii), <, PANGO_SCALE);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
compare_done (gpointer data)
{
  return !gs_compare_page_get_running (data) && gs_compare_page_get_records (data) != NULL;
}

static void
test_compare (void)
{
  GsComparePage *page = GS_COMPARE_PAGE (gs_compare_page_new ());
  GtkWidget *window;
  guint labels = 0, label_chinese = 0, label_missing = 0;

  drawn_reset ();
  window = gs_ui_test_show_in_window (GTK_WIDGET (page), 1280, 720, FALSE);
  /* the page takes a task without parameters: the English corpus; the
   * Chinese is in the charts' titles, axes and legends */
  g_assert_true (gs_compare_page_set_task (page, "charlm"));
  gs_compare_page_set_seeds (page, 2);
  gs_compare_page_set_steps (page, 12);
  gs_compare_page_set_hidden (page, 8);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compare.start", NULL));
  while (!compare_done (page))
    g_main_context_iteration (NULL, TRUE);
  gs_compare_page_set_timestep (page, 0);
  for (GsChartKind k = GS_CHART_LOSS; k <= GS_CHART_FLOW; k++)
    {
      GsChartView *view = gs_compare_page_get_chart_view (page, k);

      if (k == GS_CHART_LOSS)
        gs_chart_view_set_log_y (view, TRUE);
      render (GTK_WIDGET (view), 0);
    }
  render (window, GS_UI_RENDER_WAIT_FRAMES);

  check_labels (window, &labels, &label_chinese, &label_missing);
  g_test_message ("charts: %u layouts drawn, %u with Chinese, %u with unknown glyphs; "
                  "labels: %u, %u with Chinese, %u with unknown glyphs",
                  drawn.layouts, drawn.chinese, drawn.missing, labels, label_chinese, label_missing);
  g_assert_cmpuint (drawn.layouts, >, 10);
  g_assert_cmpuint (drawn.chinese, >, 0);   /* the charts' titles and axes */
  g_assert_true (drawn_contains ("10⁻"));  /* a power of ten on the log axes */
  g_assert_cmpuint (drawn.missing, ==, 0);
  g_assert_cmpuint (label_chinese, >, 3);
  g_assert_cmpuint (label_missing, ==, 0);

  gs_text_drawn_set_hook (NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = gs_ui_test_make_fresh_home ();
  int status;

  /* As a user in China starts it (LC_ALL=C.UTF-8 from meson is replaced). */
  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  gs_locale_init (NULL);
  if (strcmp (setlocale (LC_CTYPE, NULL), "zh_CN.UTF-8") != 0)
    g_error ("the zh_CN.UTF-8 locale is not installed (build-aux/bootstrap.sh check generates it)");
  gs_ui_test_init (&argc, &argv);

  app = gs_ui_test_app_new (0);

  g_test_add_func ("/zh/catalog", test_catalog);
  g_test_add_func ("/zh/language", test_language);
  g_test_add_func ("/zh/language-override", test_language_override);
  g_test_add_func ("/zh/window", test_window);
  g_test_add_func ("/zh/compare", test_compare);
  g_test_add_func ("/zh/shapes-columns", test_shapes_columns);

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&drawn.texts, g_ptr_array_unref);
  gs_ui_test_remove_tree (home);
  return status;
}
