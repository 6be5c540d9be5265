/* test-compare-page.c — the comparison page, driven like a user would.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compares rnn_tanh, lstm and gru from 2 seeds for 30 steps of hello
 * through the page's own controls and actions, waits for the worker, and
 * checks:
 *   pixels     the page's loss and flow charts, rendered offscreen: each
 *              configuration's palette colour is where the chart's own
 *              mapping puts its mean curve, at steps where the curves are apart
 *   hover      the pointer's step is mapped back through gs_chart_unmap_x
 *   slider     one slider moves every cell view to the same timestep; the
 *              cells read the same input, each with its own gates
 *   export     PNG (read back: its size), SVG and PDF files, and a CSV of
 *              cells × seeds × steps rows; nothing else is left behind
 *   stop       stopping mid-run leaves records, snapshots and CSV that agree,
 *              and the page starts again
 * With GS_TEST_PNG_DIR set, the whole page is saved there in light and dark.
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "gs-cell-view.h"
#include "gs-chart-view.h"
#include "gs-compare-page.h"
#include "gs-compare-page-private.h"   /* the cell views */
#include "gs-ui-test.h"

#define TIMEOUT_S 120
#define STEPS     30
#define N_SEEDS   2
/* xvfb-run's default screen is 1280 × 1024; GS_TEST_WINDOW_SIZE=1920x1080
 * (with a screen that large) renders the page as a projector shows it. */
static int WIN_W = 1280;
static int WIN_H = 1000;

static const char *const cells[3] = { "rnn_tanh", "lstm", "gru" };

typedef gboolean (*Predicate) (GsComparePage *page);

static void
wait_for (GsComparePage *page,
          Predicate      done,
          const char    *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (TIMEOUT_S, gs_ui_test_on_timeout, &timed_out);
  guint tick = g_timeout_add (10, gs_ui_test_on_tick, NULL);

  while (!done (page) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
  g_source_remove (tick);
  gs_ui_test_flush_main_loop ();
}

/* A chart shows new records within half a second (gs-chart-view.c). */
static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 600 * G_TIME_SPAN_MILLISECOND;
  guint tick = g_timeout_add (10, gs_ui_test_on_tick, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  gs_ui_test_flush_main_loop ();
}

static gboolean
is_idle (GsComparePage *page)
{
  return !gs_compare_page_get_running (page);
}

static gboolean
is_mid_run (GsComparePage *page)
{
  GsChartRecords *r = gs_compare_page_get_records (page);

  return gs_compare_page_get_running (page) && r != NULL && gs_chart_records_get (r)->step >= 20;
}

static GtkWidget *
show_page (GsComparePage **page_out)
{
  GtkWidget *page = gs_compare_page_new ();
  GtkWidget *window = gs_ui_test_show_in_window (page, WIN_W, WIN_H, TRUE);

  *page_out = GS_COMPARE_PAGE (page);
  return window;
}

/* ───────────────────────── rendering ───────────────────────── */

static gboolean
pixel_is (const GsUiImage *image,
          double       x,
          double       y,
          GsChartRgba  c,
          double       tol)
{
  int r, g, b;

  gs_ui_test_pixel (image, (int) floor (x), (int) floor (y), &r, &g, &b);
  return fabs (r / 255.0 - c.r) <= tol && fabs (g / 255.0 - c.g) <= tol
         && fabs (b / 255.0 - c.b) <= tol;
}

/* Each configuration's colour is on its mean curve, and no other's is
 * there, at every x where the curves are at least three lines apart. */
static void
check_curves (GsChartView     *view,
              const GsUiImage *image,
              const char      *what)
{
  const GsCompare *cmp = gs_chart_records_get (gs_chart_view_get_records (view));
  GsChartKind kind = gs_chart_view_get_kind (view);
  GsChartLayout lay;
  int n = kind == GS_CHART_FLOW ? cmp->runs[0].flow_T : cmp->step;
  g_autofree float *mean = g_new0 (float, 3 * (gsize) n);
  g_autofree float *lo = g_new0 (float, n);
  g_autofree float *hi = g_new0 (float, n);
  int checked[3] = { 0, 0, 0 };
  double gap;

  g_assert_true (gs_chart_view_get_layout (view, &lay));
  g_assert_cmpint (image->width, ==, gtk_widget_get_width (GTK_WIDGET (view)));
  gap = lay.line_px * 3.0;
  g_assert_cmpint (cmp->n_configs, ==, 3);
  for (int c = 0; c < 3; c++)
    {
      if (kind == GS_CHART_FLOW)
        gs_compare_flow_aggregate (cmp, c, mean + c * n, lo, hi, n);
      else
        gs_compare_aggregate (cmp, c, kind == GS_CHART_ACCURACY ? GS_METRIC_ACCURACY : GS_METRIC_LOSS,
                              (float) gs_chart_view_get_smoothing (view), mean + c * n, lo, hi, NULL, n);
    }

  for (int i = 0; i < n; i++)
    {
      double x = kind == GS_CHART_FLOW ? i : i + 1;
      double px[3], py[3];
      gboolean apart = TRUE;

      for (int c = 0; c < 3; c++)
        apart = apart && gs_chart_map_point (&lay, x, mean[c * n + i], &px[c], &py[c])
                && py[c] > lay.y + gap && py[c] < lay.y + lay.h - gap
                && px[c] > lay.x + gap && px[c] < lay.x + lay.w - gap;
      for (int a = 0; apart && a < 3; a++)
        for (int b = a + 1; b < 3; b++)
          apart = apart && fabs (py[a] - py[b]) > gap;
      if (!apart)
        continue;
      for (int c = 0; c < 3; c++)
        {
          double wx = px[c], wy = py[c];

          if (!pixel_is (image, wx, wy, gs_chart_palette (c), 0.06))
            g_error ("%s: %s's colour is not on its curve at step %g (%.1f, %.1f)",
                     what, cells[c], x, wx, wy);
          for (int o = 0; o < 3; o++)
            if (o != c && pixel_is (image, wx, wy, gs_chart_palette (o), 0.15))
              g_error ("%s: %s's curve has %s's colour at step %g", what, cells[c], cells[o], x);
          checked[c]++;
        }
    }
  for (int c = 0; c < 3; c++)
    {
      g_test_message ("%s: %s checked at %d points", what, cells[c], checked[c]);
      g_assert_cmpint (checked[c], >=, 3);
    }
}

/* ───────────────────────── the tests ───────────────────────── */

static GtkWidget *window;
static GsComparePage *page;

static void
setup (int steps,
       int n_seeds)
{
  gs_compare_page_set_config_enabled (page, "rnn_tanh", TRUE);
  gs_compare_page_set_config_enabled (page, "rnn_relu", FALSE);
  gs_compare_page_set_config_enabled (page, "lstm", TRUE);
  gs_compare_page_set_config_enabled (page, "gru", TRUE);
  gs_compare_page_set_config_enabled (page, "lstm_forget_bias", FALSE);
  g_assert_true (gs_compare_page_set_task (page, "hello"));
  gs_compare_page_set_seeds (page, n_seeds);
  gs_compare_page_set_batch (page, 1);
  gs_compare_page_set_steps (page, steps);
  gs_compare_page_set_hidden (page, 8);
  gs_compare_page_set_learning_rate (page, 0.05);
}

static void
test_run (void)
{
  const GsCompare *cmp;

  g_assert_null (gs_compare_page_get_records (page));
  setup (STEPS, N_SEEDS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compare.start", NULL));
  g_assert_true (gs_compare_page_get_running (page));
  wait_for (page, is_idle, "the comparison to finish");
  settle ();

  cmp = gs_chart_records_get (gs_compare_page_get_records (page));
  g_assert_cmpint (cmp->step, ==, STEPS);
  g_assert_cmpint (cmp->n_configs, ==, 3);
  g_assert_cmpint (cmp->n_seeds, ==, N_SEEDS);
  g_assert_true (cmp->has_accuracy);
  for (int c = 0; c < 3; c++)
    g_assert_cmpstr (cmp->configs[c].label, ==, c == 0 ? "RNN" : c == 1 ? "LSTM" : "GRU");
  for (int r = 0; r < cmp->n_runs; r++)
    {
      g_assert_false (cmp->runs[r].diverged);
      g_assert_cmpint (cmp->runs[r].n_steps, ==, STEPS);
      g_assert_null (cmp->runs[r].trainer);   /* the UI holds a copy, never a trainer */
    }
  /* Every chart draws the same records. */
  for (GsChartKind k = GS_CHART_LOSS; k <= GS_CHART_FLOW; k++)
    g_assert_true (gs_chart_view_get_records (gs_compare_page_get_chart_view (page, k))
                   == gs_compare_page_get_records (page));
}

static void
test_pixels (void)
{
  GsChartView *loss = gs_compare_page_get_chart_view (page, GS_CHART_LOSS);
  GsChartView *flow = gs_compare_page_get_chart_view (page, GS_CHART_FLOW);

  for (int dark = 0; dark <= 1; dark++)
    {
      gs_ui_test_set_dark (dark);
      gs_chart_view_set_log_y (loss, FALSE);
      {
        g_autoptr(GsUiImage) page_image = gs_ui_test_render (window, dark ? "compare-page-dark" : "compare-page-light", 0);
        g_autoptr(GsUiImage) loss_image = gs_ui_test_render (GTK_WIDGET (loss), dark ? "compare-loss-dark" : "compare-loss-light", 0);
        g_autoptr(GsUiImage) flow_image = gs_ui_test_render (GTK_WIDGET (flow), dark ? "compare-flow-dark" : "compare-flow-light", 0);
        check_curves (loss, loss_image, dark ? "loss, dark" : "loss, light");
        check_curves (flow, flow_image, dark ? "flow, dark" : "flow, light");
      }
      gs_chart_view_set_log_y (loss, TRUE);
      {
        g_autoptr(GsUiImage) image = gs_ui_test_render (GTK_WIDGET (loss), NULL, 0);
        check_curves (loss, image, dark ? "loss, log y, dark" : "loss, log y, light");
      }
    }
  gs_chart_view_set_log_y (loss, FALSE);
  gs_ui_test_set_dark (FALSE);
}

static void
test_hover (void)
{
  GsChartView *loss = gs_compare_page_get_chart_view (page, GS_CHART_LOSS);
  GsChartLayout lay;
  double px, py;

  g_assert_true (gs_chart_view_get_layout (loss, &lay));
  g_assert_true (gs_chart_map_point (&lay, 17.0, 0.0, &px, &py));
  g_assert_cmpint (gs_chart_unmap_x (&lay, px), ==, 17);
  g_assert_cmpint (gs_chart_unmap_x (&lay, px + 0.3 * lay.w / (lay.x_max - lay.x_min)), ==, 17);
  {
    /* the marker: a line down the plot at step 17 and a box of values */
    g_autoptr(GsUiImage) off = gs_ui_test_render (GTK_WIDGET (loss), NULL, 0);
    g_autoptr(GsUiImage) on = NULL;
    int x, changed = 0;

    gs_chart_view_set_hover (loss, 17);
    g_assert_cmpint (gs_chart_view_get_hover (loss), ==, 17);
    on = gs_ui_test_render (GTK_WIDGET (loss), "compare-loss-hover", 0);
    x = (int) floor (round (px) + 0.5);
    for (int y = (int) lay.y; y < (int) (lay.y + lay.h); y++)
      changed += memcmp (on->data + (gsize) y * on->stride + (gsize) x * 4,
                         off->data + (gsize) y * off->stride + (gsize) x * 4, 3) != 0;
    g_assert_cmpint (changed, >, (int) (lay.h * 0.5));
  }
  gs_chart_view_set_hover (loss, -1);
}

static void
test_slider (void)
{
  guint n = gs_compare_page_get_n_cell_views (page);
  const char *gates[3] = { "h", "ifgo", "rzn" };
  const GsSnapshot *first;
  GtkWidget *scale;

  g_assert_cmpuint (n, ==, 3);
  first = gs_snap_get (gs_view_get_snap (GS_VIEW (gs_compare_page_get_cell_view (page, 0))));
  g_assert_cmpint (first->T, ==, 5);
  for (guint i = 0; i < n; i++)
    {
      GsSnap *snap = gs_view_get_snap (GS_VIEW (gs_compare_page_get_cell_view (page, i)));
      const GsSnapshot *s;

      g_assert_nonnull (snap);
      s = gs_snap_get (snap);
      /* the same input in every cell, each cell with its own gates, all
       * snapshots taken after the last step */
      g_assert_cmpstr (s->gates, ==, gates[i]);
      g_assert_cmpint (s->T, ==, first->T);
      g_assert_cmpmem (s->tokens, sizeof (int) * s->T, first->tokens, sizeof (int) * first->T);
      g_assert_cmpint (s->t_fwd, ==, s->T);
      g_assert_cmpint (s->epoch, ==, STEPS);
    }

  /* the slider is the page's one GtkScale named "timestep-scale" */
  scale = NULL;
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (page)); w != NULL;)
    {
      if (g_strcmp0 (gtk_widget_get_name (w), "timestep-scale") == 0)
        {
          scale = w;
          break;
        }
      /* depth-first walk */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w) == GTK_WIDGET (page) ? NULL : gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (scale);
  g_assert_true (gtk_widget_get_sensitive (scale));
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_range_get_adjustment (GTK_RANGE (scale))), ==, 4.0);

  for (int t = 0; t < 5; t++)
    {
      gtk_range_set_value (GTK_RANGE (scale), t == 0 ? 3 : (t * 3) % 5);
      gs_ui_test_flush_main_loop ();
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (gs_view_get_timestep (GS_VIEW (gs_compare_page_get_cell_view (page, i))),
                         ==, t == 0 ? 3 : (t * 3) % 5);
      g_assert_cmpint (gs_compare_page_get_timestep (page), ==, t == 0 ? 3 : (t * 3) % 5);
    }
  /* and the page's property moves the slider */
  gs_compare_page_set_timestep (page, 2);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale)), ==, 2.0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (gs_view_get_timestep (GS_VIEW (gs_compare_page_get_cell_view (page, i))), ==, 2);
}

static char *
read_file (const char *path,
           gsize      *len)
{
  char *data = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &data, len, &error));
  g_assert_no_error (error);
  return data;
}

static void
test_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gatescope-compare-XXXXXX", &error);
  const char *files[] = { "loss.png", "loss.svg", "loss.pdf", "accuracy.png", "flow.svg",
                          "overview.pdf", "curves.csv" };
  GDir *d;
  const char *name;
  int n_files = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_assert_true (gs_compare_page_export (page, files[i], path, &error));
      g_assert_no_error (error);
    }

  {
    g_autofree char *path = g_build_filename (dir, "loss.png", NULL);
    g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (texture), ==, 1600);
    g_assert_cmpint (gdk_texture_get_height (texture), ==, 900);
  }
  {
    g_autofree char *path = g_build_filename (dir, "loss.svg", NULL);
    gsize len;
    g_autofree char *svg = read_file (path, &len);
    g_assert_true (g_str_has_prefix (svg, "<?xml"));
    g_assert_nonnull (strstr (svg, "<svg"));
    g_assert_nonnull (strstr (svg, "width=\"1600"));
    g_assert_nonnull (strstr (svg, "</svg>"));
  }
  {
    g_autofree char *path = g_build_filename (dir, "loss.pdf", NULL);
    gsize len;
    g_autofree char *pdf = read_file (path, &len);
    g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
    g_assert_cmpuint (len, >, 64);
    g_assert_nonnull (g_strstr_len (pdf + len - 8, 8, "%%EOF"));   /* the trailer is the end */
  }
  {
    g_autofree char *path = g_build_filename (dir, "curves.csv", NULL);
    gsize len;
    g_autofree char *csv = read_file (path, &len);
    g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
    guint rows = 0;

    g_assert_cmpstr (lines[0], ==, "cell,seed,step,loss,accuracy");
    for (guint i = 1; lines[i] != NULL; i++)
      rows += lines[i][0] != '\0';
    g_assert_cmpuint (rows, ==, 3 * N_SEEDS * STEPS);
    g_assert_true (g_str_has_prefix (lines[1], "RNN,0,1,"));
  }

  /* only the exported files: no temporaries left behind */
  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      gboolean expected = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        expected = expected || strcmp (name, files[i]) == 0;
      if (!expected)
        g_error ("unexpected file “%s” in the export directory", name);
      n_files++;
    }
  g_dir_close (d);
  g_assert_cmpint (n_files, ==, (int) G_N_ELEMENTS (files));

  /* errors are reported, not crashed on */
  {
    g_autofree char *path = g_build_filename (dir, "missing", "loss.png", NULL);
    g_assert_false (gs_compare_page_export (page, "loss.png", path, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (gs_compare_page_export (page, "loss.gif", path, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (gs_compare_page_export (page, "nothing.png", path, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_stop (void)
{
  const GsCompare *cmp;
  int step;

  setup (1000000, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compare.start", NULL));
  /* a second Start while running does nothing */
  gtk_widget_activate_action (GTK_WIDGET (page), "compare.start", NULL);
  wait_for (page, is_mid_run, "the comparison to be under way");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compare.stop", NULL));
  wait_for (page, is_idle, "the comparison to stop");

  cmp = gs_chart_records_get (gs_compare_page_get_records (page));
  step = cmp->step;
  g_assert_cmpint (step, >=, 20);
  g_assert_cmpint (step, <, 1000000);
  g_assert_cmpint (cmp->n_runs, ==, 3);
  for (int r = 0; r < cmp->n_runs; r++)
    {
      g_assert_false (cmp->runs[r].diverged);
      g_assert_cmpint (cmp->runs[r].n_steps, ==, step);
    }
  /* the cells show the models as the last records left them */
  for (guint i = 0; i < gs_compare_page_get_n_cell_views (page); i++)
    g_assert_cmpint (gs_snap_get (gs_view_get_snap (GS_VIEW (
                       gs_compare_page_get_cell_view (page, i))))->epoch, ==, step);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("gatescope-compare-XXXXXX", &error);
    g_autofree char *path = g_build_filename (dir, "curves.csv", NULL);
    g_autofree char *csv = NULL;
    g_auto(GStrv) lines = NULL;
    int rows = 0;

    g_assert_true (gs_compare_page_export (page, "curves.csv", path, &error));
    g_assert_true (g_file_get_contents (path, &csv, NULL, &error));
    lines = g_strsplit (csv, "\n", -1);
    for (guint i = 1; lines[i] != NULL; i++)
      rows += lines[i][0] != '\0';
    g_assert_cmpint (rows, ==, 3 * step);
    g_unlink (path);
    g_rmdir (dir);
  }

  /* and it starts again, from scratch */
  setup (10, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compare.start", NULL));
  wait_for (page, is_idle, "the second comparison to finish");
  g_assert_cmpint (gs_chart_records_get (gs_compare_page_get_records (page))->step, ==, 10);

  /* a page destroyed while its worker trains joins it cleanly */
  setup (1000000, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compare.start", NULL));
  wait_for (page, is_mid_run, "the third comparison to be under way");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gs_ui_test_init (&argc, &argv);
  adw_init ();
  if (g_getenv ("GS_TEST_WINDOW_SIZE") != NULL)
    g_assert_cmpint (sscanf (g_getenv ("GS_TEST_WINDOW_SIZE"), "%dx%d", &WIN_W, &WIN_H), ==, 2);

  window = show_page (&page);

  g_test_add_func ("/compare-page/run", test_run);
  g_test_add_func ("/compare-page/pixels", test_pixels);
  g_test_add_func ("/compare-page/hover", test_hover);
  g_test_add_func ("/compare-page/slider", test_slider);
  g_test_add_func ("/compare-page/export", test_export);
  g_test_add_func ("/compare-page/stop", test_stop);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  gs_ui_test_flush_main_loop ();
  return status;
}
