/* test-window-size.c — the window fits the screens the metainfo claims.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measures the main window's minimum size with gtk_widget_measure, on both
 * pages, with the settings shown and hidden, and checks that
 *   - it fits a 1024×600 screen (a low-resolution projector);
 *   - the metainfo's <requires><display_length> (side="longest" and
 *     side="shortest") are exactly the measured minimum, so that the claim
 *     follows the window.
 * Usage: test-window-size METAINFO [--tap]
 */

#include <string.h>

#include "gs-application.h"
#include "gs-ui-test-window.h"
#include "gs-window.h"

static GsApplication *app;
static const char *metainfo_path;

typedef struct
{
  int width, height;
} Size;

static Size
measure (GtkWidget *widget)
{
  Size s;
  int nat;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &s.width, &nat, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, s.width, &s.height, &nat, NULL, NULL);
  return s;
}

/* The largest minimum over the window's states a user can reach. */
static Size
window_minimum (void)
{
  GsWindow *win = gs_window_new (app);
  AdwViewStack *stack = NULL;
  Size worst = { 0, 0 };

  gtk_window_present (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();

  for (GtkWidget *w = GTK_WIDGET (win); w != NULL; )
    {
      /* the first AdwViewStack: Step Through and Compare */
      if (ADW_IS_VIEW_STACK (w))
        {
          stack = ADW_VIEW_STACK (w);
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (stack);

  for (int page = 0; page < 2; page++)
    for (int revealed = 0; revealed < 2; revealed++)
      {
        g_autoptr(GListModel) pages = G_LIST_MODEL (adw_view_stack_get_pages (stack));
        g_autoptr(AdwViewStackPage) p = g_list_model_get_item (pages, page);
        Size s;

        adw_view_stack_set_visible_child (stack, adw_view_stack_page_get_child (p));
        g_object_set (win, "settings-revealed", (gboolean) revealed, NULL);
        gs_ui_test_flush_main_loop ();
        s = measure (GTK_WIDGET (win));
        g_test_message ("page %s, settings %s: minimum %d×%d",
                        adw_view_stack_page_get_name (p), revealed ? "shown" : "hidden",
                        s.width, s.height);
        worst.width = MAX (worst.width, s.width);
        worst.height = MAX (worst.height, s.height);
      }
  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();
  return worst;
}

/* The value of <display_length side="SIDE" compare="ge"> in the metainfo. */
static int
metainfo_display_length (const char *side)
{
  g_autofree char *text = NULL;
  g_autofree char *pattern = g_strdup_printf ("<display_length side=\"%s\" compare=\"ge\">", side);
  const char *p;

  g_assert_true (g_file_get_contents (metainfo_path, &text, NULL, NULL));
  p = strstr (text, pattern);
  if (p == NULL)
    g_error ("%s has no %s", metainfo_path, pattern);
  return atoi (p + strlen (pattern));
}

static void
test_fits_and_matches_metainfo (void)
{
  Size min = window_minimum ();
  int longest = metainfo_display_length ("longest");
  int shortest = metainfo_display_length ("shortest");

  g_test_message ("the window's minimum: %d×%d; metainfo: longest %d, shortest %d",
                  min.width, min.height, longest, shortest);
  /* A 1024×600 projector. */
  g_assert_cmpint (min.width, <=, 1024);
  g_assert_cmpint (min.height, <=, 600);
  g_assert_cmpint (min.width, >=, min.height);
  /* The claim is the measurement. */
  g_assert_cmpint (longest, ==, min.width);
  g_assert_cmpint (shortest, ==, min.height);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = gs_ui_test_make_fresh_home ();
  int status;

  gtk_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  metainfo_path = argv[1];

  app = gs_ui_test_app_new (0);

  g_test_add_func ("/window-size/fits-and-matches-metainfo", test_fits_and_matches_metainfo);

  status = g_test_run ();

  g_clear_object (&app);
  gs_ui_test_remove_tree (home);
  return status;
}
