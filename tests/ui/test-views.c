/* test-views.c — the stepping views, rendered offscreen and checked pixel-wise.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trains the hello task for real (LSTM and GRU), steps a fresh sequence by
 * hand to a known point, hands the snapshot to each view and checks what a
 * student would see: the highlighted column follows the timestep, a right
 * prediction is green, a heatmap cell has the colour of its value on the
 * shared scale, a probability bar is as long as its probability, and the
 * gradient norms appear only where backward has been, ordered as they are.
 * With GS_TEST_PNG_DIR set, every rendering is also saved there (light and
 * dark, LSTM and GRU) for a person to look at. Run it under Xvfb.
 */

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gs-cell-view.h"
#include "gs-colormap.h"
#include "gs-gradient-view.h"
#include "gs-heatmap.h"
#include "gs-loss-plot-private.h"
#include "gs-prediction-bars.h"
#include "gs-snap.h"
#include "gs-train.h"
#include "gs-ui-test.h"
#include "gs-unrolled-view.h"
#include "gs-view-style.h"
#include "gs-view-text.h"

#define RENDER    (GS_UI_RENDER_WAIT_FRAMES | GS_UI_RENDER_WINDOW_BG)
#define EPOCHS    30   /* enough for the LSTM and GRU to get hello right */

/* The engine: trained hello models. */

static GsTrainer *lstm;
static GsTrainer *gru;

/* Shows a new view alone in a window, saves its rendering and closes the
 * window; checks that the rendering is not blank. */
static void
save_view (GtkWidget  *view,
           int         width,
           int         height,
           const char *name)
{
  GtkWidget *window = gs_ui_test_show_in_window (view, width, height, FALSE);
  g_autoptr(GsUiImage) image = gs_ui_test_render (view, name, RENDER);
  GdkRGBA back;
  int n_back;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (view),
                                                 "window_bg_color", &back));
  n_back = gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT (0, 0, image->width, image->height), &back, 2);
  g_assert_cmpint (n_back, <, image->width * image->height);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
widget_is_dark (GtkWidget *widget)
{
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  return 0.2126f * fg.red + 0.7152f * fg.green + 0.0722f * fg.blue > 0.5f;
}

static int
argmax (const GsSnapshot *s,
        int               t)
{
  const float *p = s->probs + (size_t) t * s->cfg.O;
  int best = 0;

  for (int o = 1; o < s->cfg.O; o++)
    if (p[o] > p[best])
      best = o;
  return best;
}

/* The unrolled view. */

static void
test_unrolled_highlight (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, 3, lstm->model->T);
  GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  GtkWidget *window;
  GdkRGBA accent;
  graphene_rect_t r1, r3;

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_layer (GS_VIEW (view), 0);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 640, 420, FALSE);
  accent = gs_ui_test_named_color (GTK_WIDGET (view), "accent_color");

  g_assert_true (gs_unrolled_view_get_column_rect (view, 1, &r1));
  g_assert_true (gs_unrolled_view_get_column_rect (view, 3, &r3));
  {
    graphene_rect_t none;

    g_assert_false (gs_unrolled_view_get_column_rect (view, 5, &none));
    g_assert_false (gs_unrolled_view_get_column_rect (view, -1, &none));
  }
  g_assert_cmpfloat (r3.origin.x, >, r1.origin.x + r1.size.width);

  /* t = 1: the frame's left edge, half-way down, is the accent colour at
   * column 1 and not at column 3; then the other way round. */
  for (int pass = 0; pass < 2; pass++)
    {
      int t = pass == 0 ? 1 : 3;
      const graphene_rect_t *on = pass == 0 ? &r1 : &r3, *off = pass == 0 ? &r3 : &r1;
      g_autofree char *name = g_strdup_printf ("unrolled-lstm-t%d", t);
      g_autoptr(GsUiImage) image = NULL;
      int y = (int) (on->origin.y + on->size.height / 2);

      gs_view_set_timestep (GS_VIEW (view), t);
      g_assert_cmpint (gs_view_get_timestep (GS_VIEW (view)), ==, t);
      image = gs_ui_test_render (GTK_WIDGET (view), name, RENDER);
      for (int dx = 0; dx < 3; dx++)
        {
          g_assert_true (gs_ui_test_is_color (image, (int) on->origin.x + dx, y, &accent, 6));
          g_assert_true (gs_ui_test_is_color (image, (int) (on->origin.x + on->size.width) - 1 - dx, y, &accent, 6));
          g_assert_false (gs_ui_test_is_color (image, (int) off->origin.x + dx, y, &accent, 40));
        }
      /* The whole left edge of the frame, bar the rounded corners. */
      g_assert_cmpint (gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT (on->origin.x, on->origin.y + 12, 1,
                                                                on->size.height - 24),
                                    &accent, 6), ==, (int) on->size.height - 24);
    }

  /* Clicks: the hit test the click handler uses. */
  for (int t = 0; t < 5; t++)
    {
      graphene_rect_t r;

      g_assert_true (gs_unrolled_view_get_column_rect (view, t, &r));
      g_assert_cmpint (gs_unrolled_view_timestep_at (view, r.origin.x + r.size.width / 2,
                                                     r.origin.y + r.size.height / 2), ==, t);
    }
  g_assert_cmpint (gs_unrolled_view_timestep_at (view, 2, 200), ==, -1);
  g_assert_cmpint (gs_unrolled_view_timestep_at (view, r1.origin.x + 4, 1), ==, -1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unrolled_prediction (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, 3, lstm->model->T);
  const GsSnapshot *s = gs_snap_get (snap);
  GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  g_autoptr(GsUiImage) image = NULL;
  GtkWidget *window;
  GdkRGBA success, error;
  graphene_rect_t r;
  int n_right = 0;

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), 2);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 640, 420, FALSE);
  success = gs_ui_test_named_color (GTK_WIDGET (view), "success_color");
  error = gs_ui_test_named_color (GTK_WIDGET (view), "error_color");
  image = gs_ui_test_render (GTK_WIDGET (view), NULL, RENDER);

  for (int t = 0; t < 3; t++)
    {
      gboolean right = argmax (s, t) == s->targets[t];

      g_assert_true (gs_unrolled_view_get_prediction_rect (view, t, &r));
      /* The glyphs' inner pixels have the exact colour; none has the other. */
      g_assert_cmpint (gs_ui_test_count_color (image, &r, right ? &success : &error, 3), >=, 20);
      g_assert_cmpint (gs_ui_test_count_color (image, &r, right ? &error : &success, 40), ==, 0);
      n_right += right;
    }
  /* A trained model gets hello right: the green case is exercised. */
  g_assert_cmpint (n_right, ==, 3);

  /* Not computed yet: no prediction. */
  g_assert_false (gs_unrolled_view_get_prediction_rect (view, 3, &r));
  g_assert_false (gs_unrolled_view_get_prediction_rect (view, 4, &r));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* What a pixel standing for units [first, end) of v must show: the mean of
 * their colours (light style), summed here unit by unit. */
static GdkRGBA
mean_colour (const float  *v,
             int           first,
             int           end,
             GsColorRange  range)
{
  double sum[3] = { 0.0, 0.0, 0.0 };

  for (int u = first; u < end; u++)
    {
      GdkRGBA c;

      gs_colormap_diverging (&c, v[u], range, FALSE);
      sum[0] += c.red, sum[1] += c.green, sum[2] += c.blue;
    }
  return (GdkRGBA) { (float) (sum[0] / (end - first)), (float) (sum[1] / (end - first)),
                     (float) (sum[2] / (end - first)), 1.0f };
}

/* A state strip with more units than pixels: each pixel the mean colour of
 * the units it stands for, every unit in exactly one; with few units, a
 * square each. */
static void
check_unit_strip (GsUnrolledView   *view,
                  const GsUiImage  *image,
                  const GsSnapshot *s,
                  int               t,
                  int               k,
                  char              state,
                  gboolean          shared)
{
  const int H = s->cfg.H;
  const float *v = state == 'h' ? s->layer[k].h + (size_t) t * H : s->layer[k].c + (size_t) t * H;
  GsColorRange range = state == 'h' ? gs_color_range_for_gate ('h')
                                    : gs_color_range_symmetric (s->layer[k].c, (gsize) s->T * H, 1e-6f);
  int widest = 0, end = 0;

  for (int u = 0; u < H; u = end)
    {
      graphene_rect_t r;
      GdkRGBA expected;
      int first;

      g_assert_true (gs_unrolled_view_get_unit_rect (view, t, k, state, u, &r, &first, &end));
      g_assert_cmpint (first, ==, u);
      g_assert_cmpint (end, >, u);
      widest = MAX (widest, end - first);
      expected = mean_colour (v, first, end, range);
      if (!gs_ui_test_is_color (image, (int) (r.origin.x + r.size.width / 2), (int) (r.origin.y + r.size.height / 2),
                                &expected, 3))
        g_error ("unrolled %c of layer %d at t %d, units %d-%d: not their mean colour", state, k, t, first, end - 1);
    }
  g_assert_cmpint (end, ==, H);
  if (shared)
    g_assert_cmpint (widest, >=, 2);
  else
    g_assert_cmpint (widest, ==, 1);
}

static void
test_unrolled_many_units (void)
{
  GsTrainer *big = gs_ui_test_train_hello (GS_CELL_LSTM, 300, 0);
  g_autoptr(GsSnap) big_snap = gs_ui_test_step_to (big, 3, big->model->T);
  g_autoptr(GsSnap) small_snap = gs_ui_test_step_to (lstm, 3, lstm->model->T);
  GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  GtkWidget *window;
  graphene_rect_t r;
  int first, end;

  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 640, 420, FALSE);
  for (int big_one = 0; big_one < 2; big_one++)
    {
      g_autoptr(GsUiImage) image = NULL;
      GsSnap *snap = big_one ? big_snap : small_snap;
      const GsSnapshot *s = gs_snap_get (snap);

      gs_view_set_snap (GS_VIEW (view), snap);
      gs_view_set_timestep (GS_VIEW (view), 2);
      image = gs_ui_test_render (GTK_WIDGET (view), big_one ? "unrolled-many-units" : NULL, RENDER);
      for (int t = 0; t < 3; t++)
        for (int k = 0; k < s->cfg.L; k++)
          {
            check_unit_strip (view, image, s, t, k, 'h', big_one);
            check_unit_strip (view, image, s, t, k, 'c', big_one);
          }
      /* Not computed yet: not drawn. */
      g_assert_false (gs_unrolled_view_get_unit_rect (view, 3, 0, 'h', 0, &r, &first, &end));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (big);
}

/* Heatmaps. */

static void
check_heatmap_cells (GsHeatmap        *map,
                     const GsUiImage  *image,
                     const float      *values,
                     size_t            stride,
                     int               t_end,
                     int               H,
                     GsColorRange      range,
                     gboolean          dark)
{
  for (int t = 0; t < t_end; t++)
    for (int u = 0; u < H; u++)
      {
        graphene_rect_t r;
        GdkRGBA expected;
        float v = values[(size_t) t * stride + u];

        g_assert_true (gs_heatmap_get_cell_rect (map, t, u, &r));
        gs_colormap_diverging (&expected, v, range, dark);
        if (!gs_ui_test_is_color (image, (int) (r.origin.x + r.size.width / 2), (int) (r.origin.y + r.size.height / 2),
                       &expected, 3))
          g_error ("heatmap cell (t=%d, unit=%d) value %g: wrong colour", t, u, (double) v);
      }
}

static void
test_heatmap_colours (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, 3, lstm->model->T);
  const GsSnapshot *s = gs_snap_get (snap);
  const int H = s->cfg.H, G = s->G, T = s->T;
  const int f = (int) (strchr (s->gates, 'f') - s->gates);
  GsHeatmap *map = GS_HEATMAP (gs_heatmap_new ("f"));
  GtkWidget *window;
  graphene_rect_t r;

  gs_view_set_snap (GS_VIEW (map), snap);
  gs_view_set_timestep (GS_VIEW (map), 2);
  window = gs_ui_test_show_in_window (GTK_WIDGET (map), 240, 160, FALSE);

  for (int dark = 0; dark < 2; dark++)
    {
      g_autoptr(GsUiImage) f_image = NULL;
      g_autoptr(GsUiImage) h_image = NULL;
      GsColorRange h_range;

      gs_ui_test_set_dark (dark);
      g_assert_cmpint (widget_is_dark (GTK_WIDGET (map)), ==, dark);

      /* A gate: forget gate of layer 0, on the gate's own range. */
      gs_heatmap_set_quantity (map, "f");
      gs_view_set_layer (GS_VIEW (map), 0);
      f_image = gs_ui_test_render (GTK_WIDGET (map), dark ? "heatmap-lstm-f-dark" : "heatmap-lstm-f", RENDER);
      check_heatmap_cells (map, f_image, s->layer[0].act + (size_t) f * H, (size_t) G * H, 3, H,
                           gs_color_range_for_gate ('f'), dark);

      /* A state: h of layer 1, on ±max|h| over the sequence. */
      gs_heatmap_set_quantity (map, "h");
      gs_view_set_layer (GS_VIEW (map), 1);
      h_image = gs_ui_test_render (GTK_WIDGET (map), dark ? "heatmap-lstm-h-dark" : "heatmap-lstm-h", RENDER);
      h_range = gs_color_range_symmetric (s->layer[1].h, (gsize) T * H, 1e-6f);
      g_assert_cmpfloat (h_range.hi, >, 0.05f);
      check_heatmap_cells (map, h_image, s->layer[1].h, (size_t) H, 3, H, h_range, dark);
    }
  gs_ui_test_set_dark (FALSE);

  /* Clicks: the hit test of the click handler. */
  for (int t = 0; t < T; t++)
    {
      g_assert_true (gs_heatmap_get_cell_rect (map, t, H - 1, &r));
      g_assert_cmpint (gs_heatmap_timestep_at (map, r.origin.x + r.size.width / 2, r.origin.y + 2), ==, t);
    }
  g_assert_cmpint (gs_heatmap_timestep_at (map, 1, r.origin.y), ==, -1);
  g_assert_cmpint (gs_heatmap_timestep_at (map, r.origin.x, 1), ==, -1);

  /* A quantity the cell does not have: no grid. */
  gs_heatmap_set_quantity (map, "r");
  g_assert_false (gs_heatmap_get_cell_rect (map, 0, 0, &r));
  g_assert_cmpint (gs_heatmap_timestep_at (map, 120, 80), ==, -1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* More units and timesteps than pixels: every pixel row stands for a run of
 * units, each unit in exactly one, in their mean colour; every pixel
 * column for a run of timesteps, showing the middle computed one. */
static void
test_heatmap_many_units (void)
{
  const int H = 300, T = 400, t_fwd = 250;
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsError err;
  g_autoptr(GsSnap) snap = NULL;
  g_autoptr(GsUiImage) image = NULL;
  const GsSnapshot *s;
  GsHeatmap *map = GS_HEATMAP (gs_heatmap_new ("f"));
  GtkWidget *window;
  GsColorRange range = gs_color_range_for_gate ('f');
  int f, n_checked = 0, widest = 0, t_first, t_end, t_shown, u_first, u_end;
  graphene_rect_t r;

  gs_train_config_default (&cfg);
  g_strlcpy (cfg.task, "charlm:length=400", sizeof cfg.task);
  cfg.cell = GS_CELL_LSTM;
  cfg.H = H;
  cfg.L = 1;
  tr = gs_trainer_new (&cfg, &err);
  if (tr == NULL)
    g_error ("gs_trainer_new: %s", err.msg);
  g_assert_cmpint (tr->model->T, ==, T);
  snap = gs_ui_test_step_to (tr, t_fwd, T);
  s = gs_snap_get (snap);
  f = (int) (strchr (s->gates, 'f') - s->gates);

  gs_view_set_snap (GS_VIEW (map), snap);
  gs_view_set_timestep (GS_VIEW (map), t_fwd - 1);
  window = gs_ui_test_show_in_window (GTK_WIDGET (map), 240, 160, FALSE);
  image = gs_ui_test_render (GTK_WIDGET (map), "heatmap-many-units", RENDER);

  /* The runs tile the units and the timesteps, in order. */
  for (int u = 0; u < H; u = u_end)
    {
      g_assert_true (gs_heatmap_get_cell_span (map, 0, u, &t_first, &t_end, &t_shown, &u_first, &u_end));
      g_assert_cmpint (u_first, ==, u);
      g_assert_cmpint (u_end, >, u);
      widest = MAX (widest, u_end - u_first);
    }
  g_assert_cmpint (u_end, ==, H);
  g_assert_cmpint (widest, >=, 2);            /* it does share rows */
  for (int t = 0; t < T; t = t_end)
    {
      g_assert_true (gs_heatmap_get_cell_span (map, t, 0, &t_first, &t_end, &t_shown, &u_first, &u_end));
      g_assert_cmpint (t_first, ==, t);
      g_assert_cmpint (t_end, >, t);
      /* The middle of what is computed of the column, or none. */
      if (t_first >= t_fwd)
        g_assert_cmpint (t_shown, ==, -1);
      else
        g_assert_cmpint (t_shown, ==, (t_first + MIN (t_end, t_fwd) - 1) / 2);
    }
  g_assert_cmpint (t_end, ==, T);
  g_assert_true (gs_heatmap_get_cell_span (map, 0, 0, &t_first, &t_end, &t_shown, &u_first, &u_end));
  g_assert_cmpint (t_end, >=, 2);             /* and columns */

  /* Each drawn pixel has the mean colour of its units at its timestep. */
  for (int t = 0; t < t_fwd; t += 7)
    for (int u = 0; u < H; u += 11)
      {
        const float *v;
        GdkRGBA expected;

        g_assert_true (gs_heatmap_get_cell_span (map, t, u, &t_first, &t_end, &t_shown, &u_first, &u_end));
        g_assert_true (gs_heatmap_get_cell_rect (map, t, u, &r));
        g_assert_cmpfloat (r.size.width, >=, 1.0f);
        g_assert_cmpfloat (r.size.height, >=, 1.0f);
        g_assert_cmpint (t_shown, >=, t_first);
        g_assert_cmpint (t_shown, <, t_end);
        v = s->layer[0].act + (size_t) t_shown * s->G * H + (size_t) f * H;
        expected = mean_colour (v, u_first, u_end, range);
        if (!gs_ui_test_is_color (image, (int) (r.origin.x + r.size.width / 2),
                                  (int) (r.origin.y + r.size.height / 2), &expected, 3))
          g_error ("heatmap pixel for t %d, units %d-%d: not their mean colour", t_shown, u_first, u_end - 1);
        n_checked++;
      }
  g_assert_cmpint (n_checked, >, 100);

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

/* The legends' and norms' short numbers. */
static void
test_format_compact (void)
{
  static const struct { float v; const char *text; } cases[] = {
    { 0.0f, "0" }, { 4.83f, "4.8" }, { -0.97f, "-0.97" }, { 0.0123f, "0.012" },
    { 12.0f, "12" }, { 99.7f, "100" }, { 150.4f, "150" }, { 999.7f, "1.0e3" },
    { 12345.0f, "1.2e4" }, { 1e-6f, "1.0e-6" }, { 9.99e-7f, "1.0e-6" },
    { -2.5e-5f, "-2.5e-5" }, { 0.00999f, "1.0e-2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = gs_view_format_compact (cases[i].v);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* No "-0.00" anywhere; small probabilities keep a digit that is not 0. */
static void
test_format_fixed (void)
{
  static const struct { double v; int decimals; const char *text; } fixed[] = {
    { -0.0, 2, "0.00" }, { -0.001, 2, "0.00" }, { -0.004999, 2, "0.00" }, { -0.005, 2, "-0.01" },
    { -0.0004, 3, "0.000" }, { 0.0, 3, "0.000" }, { -1.236, 2, "-1.24" }, { 0.5, 0, "0" },
  };
  static const struct { float p; const char *text; } probability[] = {
    { 0.0f, "0.00" }, { 1.0f, "1.00" }, { 0.714f, "0.71" }, { 0.0033f, "0.003" },
    { 0.0012f, "0.001" }, { 0.0004f, "<0.001" }, { 0.0099f, "0.01" },
  };

  /* The cell view's formulas: printf's negative zeros lose their sign,
   * nothing else does. */
  static const struct { const char *in, *out; } zeros[] = {
    { "c₃ = f·c₋₁ + i·g = -0.00·0.50 + 0.10·-0.0 = -0.00", "c₃ = f·c₋₁ + i·g = 0.00·0.50 + 0.10·0.0 = 0.00" },
    { "∂L/∂f₃ = -0 (before σ)", "∂L/∂f₃ = 0 (before σ)" },
    { "σ(-0.004 + 1 − z) = -0.01, -1e-05, -0.000e+00 at t = 3", "σ(-0.004 + 1 − z) = -0.01, -1e-05, -0.000e+00 at t = 3" },
    { "x-0.00", "x-0.00" }, { "-10.00 -0.50 -100", "-10.00 -0.50 -100" }, { "-", "-" }, { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (zeros); i++)
    {
      g_autofree char *text = g_strdup (zeros[i].in);

      g_assert_cmpstr (gs_view_text_drop_negative_zero (text), ==, zeros[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      g_autofree char *text = gs_view_format_fixed (fixed[i].v, fixed[i].decimals);

      g_assert_cmpstr (text, ==, fixed[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (probability); i++)
    {
      g_autofree char *text = gs_view_format_probability (probability[i].p);

      g_assert_cmpstr (text, ==, probability[i].text);
    }
}

/* Relative luminance (WCAG) of an sRGB colour. */
static double
luminance (const GdkRGBA *c)
{
  const float rgb[3] = { c->red, c->green, c->blue };
  double l[3];

  for (int i = 0; i < 3; i++)
    l[i] = rgb[i] <= 0.04045f ? rgb[i] / 12.92 : pow ((rgb[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

/* A projector that keeps half the contrast: every channel halfway to grey. */
static GdkRGBA
flatten (const GdkRGBA *c)
{
  return (GdkRGBA) { 0.5f + (c->red - 0.5f) / 2, 0.5f + (c->green - 0.5f) / 2,
                     0.5f + (c->blue - 0.5f) / 2, 1.0f };
}

static double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* In the dark style a value at or near the centre of the scale stays
 * distinguishable from the card it is drawn on, and from the window,
 * even when a projector halves the contrast: a contrast ratio of at
 * least 1.2 after flattening (the old #3d3d45 on a #373737 card: 1.03). */
static void
test_dark_near_zero (void)
{
  GtkWidget *label = gtk_label_new ("x");
  GtkWidget *window = gs_ui_test_show_in_window (label, 100, 50, FALSE);
  static const float values[] = { 0.0f, 0.01f, -0.01f, 0.05f, -0.05f };
  GdkRGBA window_bg, card_bg, card;
  GsColorRange range = { -1.0f, 0.0f, 1.0f };

  gs_ui_test_set_dark (TRUE);
  g_assert_true (widget_is_dark (label));
  window_bg = gs_ui_test_named_color (label, "window_bg_color");
  card_bg = gs_ui_test_named_color (label, "card_bg_color");
  /* The card's colour is translucent over the window. */
  card.red = card_bg.red * card_bg.alpha + window_bg.red * (1 - card_bg.alpha);
  card.green = card_bg.green * card_bg.alpha + window_bg.green * (1 - card_bg.alpha);
  card.blue = card_bg.blue * card_bg.alpha + window_bg.blue * (1 - card_bg.alpha);
  card.alpha = 1.0f;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      GdkRGBA c, fc, fcard, fwin;

      gs_colormap_diverging (&c, values[i], range, TRUE);
      fc = flatten (&c);
      fcard = flatten (&card);
      fwin = flatten (&window_bg);
      g_test_message ("value %g: contrast %.2f to the card, %.2f to the window (flattened)",
                      values[i], contrast (&fc, &fcard), contrast (&fc, &fwin));
      g_assert_cmpfloat (contrast (&fc, &fcard), >=, 1.2);
      g_assert_cmpfloat (contrast (&fc, &fwin), >=, 1.2);
    }
  gs_ui_test_set_dark (FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Prediction bars. */

static void
test_prediction_bars (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, 3, lstm->model->T);
  const GsSnapshot *s = gs_snap_get (snap);
  const int O = s->cfg.O, t = 2;
  const float *p = s->probs + (size_t) t * O;
  GsPredictionBars *bars = GS_PREDICTION_BARS (gs_prediction_bars_new ());
  g_autoptr(GsUiImage) image = NULL;
  GtkWidget *window;
  GdkRGBA success;
  graphene_rect_t r, best_r;
  int best = argmax (s, t);
  float scale;

  gs_view_set_snap (GS_VIEW (bars), snap);
  window = gs_ui_test_show_in_window (GTK_WIDGET (bars), 340, 240, FALSE);

  /* Nothing to show before the forward pass reaches t. */
  gs_view_set_timestep (GS_VIEW (bars), 3);
  g_assert_false (gs_prediction_bars_get_bar_rect (bars, 0, &r));
  {
    g_autoptr(GsUiImage) empty = gs_ui_test_render (GTK_WIDGET (bars), "bars-lstm-empty", RENDER);
  }

  gs_view_set_timestep (GS_VIEW (bars), t);
  success = gs_ui_test_named_color (GTK_WIDGET (bars), "success_color");
  image = gs_ui_test_render (GTK_WIDGET (bars), "bars-lstm", RENDER);

  /* The argmax bar is the longest; every bar is p × the same track width. */
  g_assert_true (gs_prediction_bars_get_bar_rect (bars, best, &best_r));
  scale = best_r.size.width / p[best];
  g_assert_cmpfloat (scale, >, 100.0f);
  for (int o = 0; o < O; o++)
    {
      g_assert_true (gs_prediction_bars_get_bar_rect (bars, o, &r));
      g_assert_cmpfloat (r.size.width, <=, best_r.size.width);
      g_assert_cmpfloat (fabsf (r.size.width - p[o] * scale), <=, 2.0f);
      g_assert_cmpfloat (r.origin.x, ==, best_r.origin.x);
    }
  /* Right: the argmax bar is green, every pixel of it. */
  g_assert_cmpint (best, ==, s->targets[t]);
  g_assert_cmpint (gs_ui_test_count_color (image, &best_r, &success, 3), ==,
                   (int) best_r.size.width * (int) best_r.size.height);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The gradient view. */

static void
test_gradient_view (void)
{
  g_autoptr(GsSnap) forward = gs_ui_test_step_to (lstm, 3, lstm->model->T);
  g_autoptr(GsSnap) backward = NULL;
  const int T = lstm->model->T;
  GsGradientView *view = GS_GRADIENT_VIEW (gs_gradient_view_new ());
  GtkWidget *window;
  graphene_rect_t r;

  gs_view_set_snap (GS_VIEW (view), forward);
  gs_view_set_timestep (GS_VIEW (view), 2);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 560, 440, FALSE);

  /* Before backward: the empty state, no bars. */
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (GTK_WIDGET (view), "gradient-lstm-empty", RENDER);
    GdkRGBA back = gs_ui_test_named_color (GTK_WIDGET (view), "window_bg_color");

    for (int t = 0; t < T; t++)
      {
        g_assert_false (gs_gradient_view_get_norm_rect (view, t, "dh", &r));
        g_assert_false (gs_gradient_view_get_norm_rect (view, t, "dc", &r));
      }
    g_assert_cmpint (gs_gradient_view_timestep_at (view, 280, 100), ==, -1);
    /* The hint is written in the middle, and nothing else anywhere. */
    g_assert_cmpint (gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT (0, 0, 560, 440), &back, 2), <, 560 * 440);
    g_assert_cmpint (gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT (0, 0, 560, 150), &back, 2), ==, 560 * 150);
  }

  /* Three steps backward: bars at t = 4, 3, 2 only, ordered as their norms. */
  backward = gs_ui_test_step_to (lstm, T, T - 3);
  gs_view_set_snap (GS_VIEW (view), backward);
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (GTK_WIDGET (view), "gradient-lstm", RENDER);
  }
  for (int pass = 0; pass < 2; pass++)
    {
      const char *which = pass == 0 ? "dh" : "dc";
      const GsSnapshot *s = gs_snap_get (backward);
      const int H = s->cfg.H;
      double norms[8] = { 0 };
      float heights[8] = { 0 };

      for (int t = 0; t < T; t++)
        {
          const float *v = (pass == 0 ? s->layer[0].dh : s->layer[0].dc) + (size_t) t * H;
          gboolean has = gs_gradient_view_get_norm_rect (view, t, which, &r);

          g_assert_cmpint (has, ==, t >= T - 3);
          if (!has)
            continue;
          for (int u = 0; u < H; u++)
            norms[t] += (double) v[u] * v[u];
          norms[t] = sqrt (norms[t]);
          heights[t] = r.size.height;
          g_assert_cmpfloat (norms[t], >, 0.0);
        }
      /* Taller bar ⇔ larger norm; equal heights only for norms within a pixel's worth. */
      for (int a = T - 3; a < T; a++)
        for (int b = T - 3; b < T; b++)
          if (norms[a] > norms[b] * 1.2)
            g_assert_cmpfloat (heights[a], >, heights[b]);
          else if (norms[a] > norms[b])
            g_assert_cmpfloat (heights[a], >=, heights[b]);
    }

  /* Clicks on a column pick its timestep. */
  g_assert_true (gs_gradient_view_get_norm_rect (view, T - 1, "dh", &r));
  g_assert_cmpint (gs_gradient_view_timestep_at (view, r.origin.x + 1, r.origin.y + r.size.height - 1), ==, T - 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* For people: every view in both styles, for the LSTM and the GRU, in
 * GS_TEST_PNG_DIR. Checks only that each rendering is not blank. */
static void
test_gallery (void)
{
  struct { const char *name; GsTrainer **tr; } cells[] = { { "lstm", &lstm }, { "gru", &gru } };

  if (g_getenv ("GS_TEST_PNG_DIR") == NULL)
    {
      g_test_skip ("set GS_TEST_PNG_DIR to save the renderings");
      return;
    }

  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    for (int dark = 0; dark < 2; dark++)
      {
        GsTrainer *tr = *cells[c].tr;
        const int T = tr->model->T;
        g_autoptr(GsSnap) fwd = gs_ui_test_step_to (tr, 3, T);
        g_autoptr(GsSnap) bwd = gs_ui_test_step_to (tr, T, 2);
        const char *style = dark ? "dark" : "light";
        GtkWidget *grid = gtk_grid_new ();
        /* The window's grid of heatmaps; the GRU's last one shows what it lacks. */
        static const char *const lstm_maps[] = { "i", "f", "g", "o", "c", "h", "dh", "dc", NULL };
        static const char *const gru_maps[] = { "r", "z", "n", "h", "dh", "c", NULL };
        const char *const *maps = c == 0 ? lstm_maps : gru_maps;
        int n = 0;

        gs_ui_test_set_dark (dark);
        for (; maps[n] != NULL; n++)
          {
            GtkWidget *map = gs_heatmap_new (maps[n]);

            g_object_set (map, "snap", maps[n][0] == 'd' ? bwd : fwd, "timestep", 2, NULL);
            gtk_widget_set_size_request (map, 240, 160);
            gtk_grid_attach (GTK_GRID (grid), map, n % 4, n / 4, 1, 1);
          }
        {
          g_autofree char *name = g_strdup_printf ("heatmaps-%s-%s", cells[c].name, style);
          save_view (grid, 960, 160 * ((n + 3) / 4), name);
        }

        for (int phase = 0; phase < 2; phase++)
          {
            GsSnap *snap = phase == 0 ? fwd : bwd;
            const char *when = phase == 0 ? "fwd" : "bwd";
            g_autofree char *u_name = g_strdup_printf ("unrolled-%s-%s-%s", cells[c].name, when, style);
            g_autofree char *b_name = g_strdup_printf ("bars-%s-%s", cells[c].name, style);
            g_autofree char *g_name = g_strdup_printf ("gradient-%s-%s-%s", cells[c].name, when, style);
            GtkWidget *view;

            view = gs_unrolled_view_new ();
            g_object_set (view, "snap", snap, "timestep", phase == 0 ? 2 : 3, "layer", 1, NULL);
            save_view (view, 640, 420, u_name);

            if (phase == 0)
              {
                view = gs_prediction_bars_new ();
                g_object_set (view, "snap", snap, "timestep", 2, NULL);
                save_view (view, 340, 240, b_name);
              }

            view = gs_gradient_view_new ();
            g_object_set (view, "snap", snap, "timestep", phase == 0 ? 2 : 3, NULL);
            save_view (view, 560, 440, g_name);
          }
      }
  gs_ui_test_set_dark (FALSE);

  /* An untrained LSTM gets most of hello wrong: the red case. */
  {
    GsTrainer *fresh = gs_ui_test_train_hello (GS_CELL_LSTM, 0, 0);
    g_autoptr(GsSnap) fwd = gs_ui_test_step_to (fresh, 4, fresh->model->T);
    GtkWidget *view;

    view = gs_unrolled_view_new ();
    g_object_set (view, "snap", fwd, "timestep", 3, NULL);
    save_view (view, 640, 420, "unrolled-untrained");
    view = gs_prediction_bars_new ();
    g_object_set (view, "snap", fwd, "timestep", 3, NULL);
    save_view (view, 340, 240, "bars-untrained");
    gs_trainer_free (fresh);
  }
}

/* Every task and every cell variant: a small model, one training step, a
 * fresh sequence forward to the end and backward half-way; every view
 * renders something (and nothing critical: G_DEBUG=fatal-criticals). */

static void
render_all_views (GsSnap     *snap,
                  const char *name)
{
  const GsSnapshot *s = gs_snap_get (snap);
  const int t = MAX (0, s->T / 2), t_last = s->T - 1;
  static const char *const maps[] = { "h", "c", "dh", "dc", NULL };
  GtkWidget *view;

  for (int k = 0; k < s->cfg.L; k++)
    {
      g_autofree char *cell_name = g_strdup_printf ("%s-cell-l%d", name, k);
      g_autofree char *grad_name = g_strdup_printf ("%s-cell-grad-l%d", name, k);

      view = gs_cell_view_new ();
      g_object_set (view, "snap", snap, "timestep", t, "layer", k, NULL);
      save_view (view, 720, 420, cell_name);
      view = gs_cell_view_new ();
      g_object_set (view, "snap", snap, "timestep", t_last, "layer", k, "show-gradients", TRUE, NULL);
      save_view (view, 720, 420, grad_name);
      if (s->D == 2)
        {
          g_autofree char *rev_name = g_strdup_printf ("%s-cell-rev-l%d", name, k);

          view = gs_cell_view_new ();
          g_object_set (view, "snap", snap, "timestep", t, "layer", k, "direction", 1, NULL);
          save_view (view, 720, 420, rev_name);
        }
    }

  {
    g_autofree char *u_name = g_strdup_printf ("%s-unrolled", name);
    g_autofree char *b_name = g_strdup_printf ("%s-bars", name);
    g_autofree char *g_name = g_strdup_printf ("%s-gradient", name);

    view = gs_unrolled_view_new ();
    g_object_set (view, "snap", snap, "timestep", t, "layer", s->cfg.L - 1, NULL);
    save_view (view, 900, 420, u_name);
    view = gs_prediction_bars_new ();
    g_object_set (view, "snap", snap, "timestep", t_last, NULL);
    save_view (view, 340, 240, b_name);
    view = gs_gradient_view_new ();
    g_object_set (view, "snap", snap, "timestep", t_last, NULL);
    save_view (view, 560, 440, g_name);
  }

  for (int i = 0; maps[i] != NULL; i++)
    for (int g = -1; g < s->G; g++)
      {
        char gate[2] = { g < 0 ? '\0' : s->gates[g], '\0' };
        const char *q = g < 0 ? maps[i] : gate;
        g_autofree char *m_name = g_strdup_printf ("%s-heatmap-%s", name, q);

        if (g >= 0 && i > 0)
          break;
        view = gs_heatmap_new (q);
        g_object_set (view, "snap", snap, "timestep", t, NULL);
        save_view (view, 480, 200, m_name);
      }
}

static GsTrainer *
small_trainer (const char      *task,
               GsCell           cell,
               const GsVariant *variant,
               int              L)
{
  GsTrainConfig cfg;
  GsError err;
  GsTrainer *tr;

  gs_train_config_default (&cfg);
  g_strlcpy (cfg.task, task, sizeof cfg.task);
  cfg.cell = cell;
  cfg.H = 4;
  cfg.E = 4;
  cfg.L = L;
  if (variant != NULL)
    cfg.variant = *variant;
  tr = gs_trainer_new (&cfg, &err);
  if (tr == NULL)
    g_error ("gs_trainer_new (%s): %s", task, err.msg);
  if (gs_trainer_step (tr, &err) != GS_OK)
    g_error ("gs_trainer_step (%s): %s", task, err.msg);
  return tr;
}

static void
test_all_tasks (void)
{
  int n = 0;
  const GsTaskClass *const *classes = gs_task_classes (&n);

  g_assert_cmpint (n, >, 0);
  for (int i = 0; i < n; i++)
    {
      GsTrainer *tr = small_trainer (classes[i]->name, GS_CELL_LSTM, NULL, 1);
      g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, tr->model->T, tr->model->T / 2);
      g_autofree char *name = g_strdup_printf ("task-%s", classes[i]->name);

      g_test_message ("task %s: T = %d", classes[i]->name, tr->model->T);
      render_all_views (snap, name);
      gs_trainer_free (tr);
    }

  /* The Chinese corpora: CJK labels. */
  for (guint i = 0; i < 2; i++)
    {
      const char *spec = i == 0 ? "charlm:corpus=zh" : "classify:lang=zh";
      GsTrainer *tr = small_trainer (spec, GS_CELL_GRU, NULL, 1);
      g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, tr->model->T, tr->model->T / 2);

      render_all_views (snap, i == 0 ? "task-charlm-zh" : "task-classify-zh");
      gs_trainer_free (tr);
    }
}

static void
test_all_variants (void)
{
  static const struct {
    const char *name;
    GsCell      cell;
    GsVariant   v;
  } variants[] = {
    { "peephole", GS_CELL_LSTM, { .peephole = true } },
    { "cifg", GS_CELL_LSTM, { .cifg = true } },
    { "no-forget", GS_CELL_LSTM, { .no_forget_gate = true } },
    { "clip", GS_CELL_LSTM, { .cell_clip = 0.3f } },
    { "proj", GS_CELL_LSTM, { .proj = 2 } },
    { "reset-before", GS_CELL_GRU, { .gru_reset_before = true } },
    { "bidir-lstm", GS_CELL_LSTM, { .bidirectional = true } },
    { "bidir-gru", GS_CELL_GRU, { .bidirectional = true } },
    { "bidir-proj", GS_CELL_LSTM, { .bidirectional = true, .proj = 3, .peephole = true } },
    { "irnn", GS_CELL_RNN_RELU, { .irnn = true, .recurrent_dropout = 0.2f } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      GsTrainer *tr = small_trainer ("hello", variants[i].cell, &variants[i].v, 2);
      g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, tr->model->T, tr->model->T / 2);
      g_autofree char *name = g_strdup_printf ("variant-%s", variants[i].name);

      render_all_views (snap, name);
      gs_trainer_free (tr);
    }
}

/* A run that diverged (an RNN with SGD at lr 10): NaN and infinite
 * weights, states, gradients and losses. Every view still draws without a
 * warning — the cairo renderer (main () selects it, as the application does
 * on a software OpenGL) turns a NaN coordinate into a "drawing failure"
 * warning, which G_DEBUG=fatal-warnings makes fatal. */
static void
test_diverged (void)
{
  GsTrainConfig cfg;
  GsError err;
  GsTrainer *tr;
  g_autoptr(GsSnap) snap = NULL;
  const GsSnapshot *s;
  gboolean diverged = FALSE;

  gs_train_config_default (&cfg);
  cfg.cell = GS_CELL_RNN_RELU;
  cfg.opt.kind = GS_OPT_SGD;
  cfg.opt.lr = 10.0f;
  tr = gs_trainer_new (&cfg, &err);
  g_assert_nonnull (tr);
  /* Every training step's state as the window gets it, drawn from the
   * first one with an exploding value on: huge finite values, then
   * infinities, then NaN. */
  for (int i = 0, drawn = 0; i < 200 && !diverged; i++)
    {
      GsSnapshot *taken = gs_snapshot_new ();
      float biggest = 0.0f;

      diverged = gs_trainer_step (tr, &err) != GS_OK || !isfinite (gs_model_loss (tr->model));
      g_assert_true (gs_snapshot_take (taken, tr->model, &tr->task, 0, GS_PHASE_UPDATED,
                                       tr->epoch, &err) == GS_OK);
      g_clear_pointer (&snap, gs_snap_unref);
      snap = gs_snap_new_take (taken);
      s = gs_snap_get (snap);
      for (int j = 0; j < s->T * s->P; j++)
        biggest = isfinite (s->layer[0].h[j]) ? MAX (biggest, fabsf (s->layer[0].h[j])) : INFINITY;
      if (biggest > 1e6f || diverged)
        {
          g_autofree char *name = g_strdup_printf ("diverged-%d", drawn++);
          render_all_views (snap, name);
          /* The gradient view writes every unit's value at its timestep. */
          for (int t = 0; t < s->T; t++)
            for (int k = 0; k < s->cfg.L; k++)
              {
                GtkWidget *view = gs_gradient_view_new ();
                g_object_set (view, "snap", snap, "timestep", t, "layer", k, NULL);
                save_view (view, 560, 440, NULL);
              }
        }
    }
  g_assert_true (diverged);
  g_clear_pointer (&snap, gs_snap_unref);
  /* Loss curves through overflow, infinities and NaN, from the first
   * point on, with and without a planned number of epochs. */
  {
    static const float series[][4] = {
      { NAN, NAN, NAN, NAN }, { INFINITY, 1.0f, NAN, NAN }, { 3e38f, NAN, NAN, NAN },
      { 1.0f, 3e38f, INFINITY, -INFINITY }, { 1e-38f, 0.0f, NAN, NAN },
    };
    static const guint lengths[] = { 1, 2, 1, 4, 2 };

    for (guint i = 0; i < G_N_ELEMENTS (series); i++)
      for (guint epochs = 0; epochs <= 100; epochs += 100)
        {
          g_autofree char *name = g_strdup_printf ("diverged-loss-%u-%u", i, epochs);
          GtkWidget *plot = gs_loss_plot_new ();

          gs_loss_plot_set_epochs (GS_LOSS_PLOT (plot), epochs);
          for (guint j = 0; j < lengths[i]; j++)
            gs_loss_plot_append (GS_LOSS_PLOT (plot), series[i][j]);
          g_assert_cmpuint (gs_loss_plot_get_n_points (GS_LOSS_PLOT (plot)), ==, lengths[i]);
          save_view (plot, 480, 200, name);
        }
  }
  gs_trainer_free (tr);
}

/* Pixel columns from x = a to b where the loss curve's colour shows in
 * the upper half of the image: where the curve is still high. */
static int
high_columns (const GsUiImage *image,
              const GdkRGBA   *accent,
              double           a,
              double           b)
{
  int n = 0;

  for (int x = (int) ceil (a); x < (int) b && x < image->width; x++)
    if (gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT ((float) x, 0, 1, image->height / 2.0f),
                                accent, 24) > 0)
      n++;
  return n;
}

/* After 5,000 epochs a linear epoch axis squeezes the first 40 into less
 * than 1 % of its width; the log axis gives them more than a third, and
 * the curve is drawn there (the rendered pixels). Hovering reads the
 * epoch under the pointer. */
static void
test_loss_plot_log_epochs (void)
{
  GtkWidget *plot = gs_loss_plot_new ();
  GtkWidget *window;
  GdkRGBA accent;
  double x1, x40, xn, lin_ratio, log_ratio;
  int lin_pixels, log_pixels;

  for (int e = 0; e < 5000; e++)
    gs_loss_plot_append (GS_LOSS_PLOT (plot), 2.0f / (1.0f + e / 8.0f));
  window = gs_ui_test_show_in_window (plot, 640, 320, FALSE);
  accent = gs_ui_test_named_color (plot, "accent_color");
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (plot, "loss-linear", RENDER);

    g_assert_true (gs_loss_plot_get_epoch_x (GS_LOSS_PLOT (plot), 1, &x1));
    g_assert_true (gs_loss_plot_get_epoch_x (GS_LOSS_PLOT (plot), 40, &x40));
    g_assert_true (gs_loss_plot_get_epoch_x (GS_LOSS_PLOT (plot), 5000, &xn));
    lin_ratio = (x40 - x1) / (xn - x1);
    lin_pixels = high_columns (image, &accent, x1 + 3, xn);
  }
  g_assert_cmpfloat (lin_ratio, <, 0.01);

  gs_loss_plot_set_log_epochs (GS_LOSS_PLOT (plot), TRUE);
  g_assert_true (gs_loss_plot_get_log_epochs (GS_LOSS_PLOT (plot)));
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (plot, "loss-log", RENDER);

    g_assert_true (gs_loss_plot_get_epoch_x (GS_LOSS_PLOT (plot), 1, &x1));
    g_assert_true (gs_loss_plot_get_epoch_x (GS_LOSS_PLOT (plot), 40, &x40));
    g_assert_true (gs_loss_plot_get_epoch_x (GS_LOSS_PLOT (plot), 5000, &xn));
    log_ratio = (x40 - x1) / (xn - x1);
    log_pixels = high_columns (image, &accent, x1 + 3, xn);
  }
  g_assert_cmpfloat (log_ratio, >, 0.33);
  g_assert_cmpfloat (log_ratio, <, 0.5);
  /* The loss is above half its first value for 8 epochs: a few pixel
   * columns of the linear axis, a fifth of the log one. */
  g_assert_cmpint (lin_pixels, <, 6);
  g_assert_cmpint (log_pixels, >, 0.15 * (xn - x1));

  /* Hover: epoch 40 and its own loss, nothing left of the axis. */
  {
    g_autofree char *text = gs_loss_plot_describe_at (GS_LOSS_PLOT (plot), x40);
    g_autofree char *want = g_strdup_printf (_("Epoch %lld: loss %.4f"), 40LL,
                                             (double) (2.0f / (1.0f + 39 / 8.0f)));
    g_autofree char *off = gs_loss_plot_describe_at (GS_LOSS_PLOT (plot), x1 - 100.0);

    g_assert_cmpstr (text, ==, want);
    g_assert_null (off);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Long sequences: the unrolled view shows a focus window of readable
 * columns around the current timestep, and a strip of all of them. */

#define LONG_T 100

static GsTrainer *
long_trainer (void)
{
  GsTrainer *tr = small_trainer ("charlm:length=100", GS_CELL_LSTM, NULL, 2);

  g_assert_cmpint (tr->model->T, ==, LONG_T);
  return tr;
}

/* The timesteps whose columns are drawn, first and count. */
static void
shown_columns (GsUnrolledView *view,
               int            *first,
               int            *n)
{
  graphene_rect_t r;

  *first = -1;
  *n = 0;
  for (int t = 0; t < LONG_T; t++)
    if (gs_unrolled_view_get_column_rect (view, t, &r))
      {
        if (*first < 0)
          *first = t;
        /* one run, no gaps */
        g_assert_cmpint (t, ==, *first + *n);
        (*n)++;
      }
}

static void
test_unrolled_long_size (void)
{
  GsTrainer *tr = long_trainer ();
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, LONG_T, LONG_T / 2);
  g_autoptr(GsSnap) hello = gs_ui_test_step_to (lstm, 3, lstm->model->T);
  GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  GtkWidget *window;
  graphene_rect_t r;
  int minimum, natural;

  gs_view_set_snap (GS_VIEW (view), hello);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 640, 420, FALSE);

  /* hello keeps the size it always had: five columns of 44 px and the row
   * labels; every column is shown and there is no strip. */
  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, 120 + 5 * 44);
  for (int t = 0; t < 5; t++)
    g_assert_true (gs_unrolled_view_get_column_rect (view, t, &r));
  g_assert_false (gs_unrolled_view_get_strip_rect (view, 0, &r));
  gtk_window_destroy (GTK_WINDOW (window));

  /* T = 100 asks for no more than a small screen's width ... */
  view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), 40);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 800, 460, TRUE);
  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <, 1000);
  g_assert_cmpint (natural, <, 2200);
  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, 460);

  /* ... and at 800 px shows readable columns around t = 40, and the strip. */
  {
    int first, n;

    shown_columns (view, &first, &n);
    g_assert_cmpint (n, >=, 5);
    g_assert_cmpint (n, <, LONG_T);
    g_assert_cmpint (first, <=, 40);
    g_assert_cmpint (first + n, >, 40);
    /* centred: as many on either side, give or take one */
    g_assert_cmpint (ABS ((40 - first) - (first + n - 1 - 40)), <=, 1);
    g_assert_true (gs_unrolled_view_get_column_rect (view, 40, &r));
    g_assert_cmpfloat (r.size.width, >=, 60.0);
    g_assert_true (gs_unrolled_view_get_strip_rect (view, 0, &r));
    g_assert_true (gs_unrolled_view_get_strip_rect (view, LONG_T - 1, &r));
    g_assert_cmpfloat (r.origin.x + r.size.width, <=, 800.0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

static void
test_unrolled_long_highlight (void)
{
  GsTrainer *tr = long_trainer ();
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, LONG_T, LONG_T / 2);
  const GsSnapshot *s = gs_snap_get (snap);
  GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  GtkWidget *window;
  GdkRGBA accent, success, error;
  graphene_rect_t r70, r5, strip70, strip5;

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), 70);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 900, 460, TRUE);
  accent = gs_ui_test_named_color (GTK_WIDGET (view), "accent_color");
  success = gs_ui_test_named_color (GTK_WIDGET (view), "success_color");
  error = gs_ui_test_named_color (GTK_WIDGET (view), "error_color");

  for (int pass = 0; pass < 2; pass++)
    {
      int t = pass == 0 ? 70 : 5;
      g_autofree char *name = g_strdup_printf ("unrolled-long-t%d", t);
      g_autoptr(GsUiImage) image = NULL;
      graphene_rect_t *on = pass == 0 ? &r70 : &r5, *strip = pass == 0 ? &strip70 : &strip5;
      graphene_rect_t pred;
      gboolean right = argmax (s, t) == s->targets[t];
      int y;

      gs_view_set_timestep (GS_VIEW (view), t);
      g_assert_true (gs_unrolled_view_get_column_rect (view, t, on));
      g_assert_true (gs_unrolled_view_get_strip_rect (view, t, strip));
      image = gs_ui_test_render (GTK_WIDGET (view), name, RENDER);

      /* The column's frame: its whole left edge, bar the corners. */
      y = (int) (on->origin.y + on->size.height / 2);
      g_assert_cmpint (gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT (on->origin.x, on->origin.y + 12, 1,
                                                                          on->size.height - 24),
                                               &accent, 6), ==, (int) on->size.height - 24);
      g_assert_true (gs_ui_test_is_color (image, (int) (on->origin.x + on->size.width) - 1, y, &accent, 6));

      /* Its prediction, with the probability: wider than the letter alone,
       * in green or red. */
      g_assert_true (gs_unrolled_view_get_prediction_rect (view, t, &pred));
      g_assert_cmpfloat (pred.size.width, >, 30.0);
      g_assert_cmpfloat (pred.size.width, <=, on->size.width);
      g_assert_cmpint (gs_ui_test_count_color (image, &pred, right ? &success : &error, 3), >=, 20);

      /* Its cell in the strip is filled with the accent colour. */
      g_assert_true (gs_ui_test_is_color (image, (int) (strip->origin.x + strip->size.width / 2),
                                          (int) (strip->origin.y + strip->size.height / 2), &accent, 6));
    }

  /* t = 5: the column of 70 is gone, and the strip's highlight moved. */
  g_assert_false (gs_unrolled_view_get_column_rect (view, 70, &r70));
  g_assert_cmpfloat (strip5.origin.x, <, strip70.origin.x);
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (GTK_WIDGET (view), NULL, RENDER);

    g_assert_false (gs_ui_test_is_color (image, (int) (strip70.origin.x + strip70.size.width / 2),
                                         (int) (strip70.origin.y + strip70.size.height / 2), &accent, 40));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

static void
test_unrolled_long_clicks (void)
{
  GsTrainer *tr = long_trainer ();
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, LONG_T, LONG_T / 2);
  GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  GtkWidget *window;
  graphene_rect_t r;
  int first, n;

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), 70);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 900, 460, TRUE);

  /* Every column shown: its middle and near its edges. */
  shown_columns (view, &first, &n);
  g_assert_cmpint (n, >=, 5);
  for (int t = first; t < first + n; t++)
    {
      g_assert_true (gs_unrolled_view_get_column_rect (view, t, &r));
      g_assert_cmpint (gs_unrolled_view_timestep_at (view, r.origin.x + r.size.width / 2,
                                                     r.origin.y + r.size.height / 2), ==, t);
      g_assert_cmpint (gs_unrolled_view_timestep_at (view, r.origin.x + 1, r.origin.y + 20), ==, t);
      g_assert_cmpint (gs_unrolled_view_timestep_at (view, r.origin.x + r.size.width - 1,
                                                     r.origin.y + r.size.height - 4), ==, t);
    }

  /* Every cell of the strip, shown or not in the columns. */
  for (int t = 0; t < LONG_T; t++)
    {
      g_assert_true (gs_unrolled_view_get_strip_rect (view, t, &r));
      g_assert_cmpint (gs_unrolled_view_timestep_at (view, r.origin.x + r.size.width / 2,
                                                     r.origin.y + r.size.height / 2), ==, t);
    }

  /* The row labels are no column. */
  g_assert_cmpint (gs_unrolled_view_timestep_at (view, 4, 200), ==, -1);

  /* A click at the end of the strip, then the window follows. */
  g_assert_true (gs_unrolled_view_get_strip_rect (view, LONG_T - 1, &r));
  gs_view_set_timestep (GS_VIEW (view), gs_unrolled_view_timestep_at (view, r.origin.x + 1, r.origin.y + 1));
  g_assert_cmpint (gs_view_get_timestep (GS_VIEW (view)), ==, LONG_T - 1);
  shown_columns (view, &first, &n);
  g_assert_cmpint (first + n, ==, LONG_T);

  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

/* For people: long and short sequences, narrow and wide, in both styles. */
static void
test_unrolled_long_gallery (void)
{
  GsTrainer *tr;
  g_autoptr(GsSnap) snap = NULL;
  g_autoptr(GsSnap) hello = NULL;

  if (g_getenv ("GS_TEST_PNG_DIR") == NULL)
    {
      g_test_skip ("set GS_TEST_PNG_DIR to save the renderings");
      return;
    }

  tr = long_trainer ();
  snap = gs_ui_test_step_to (tr, 80, LONG_T);
  hello = gs_ui_test_step_to (lstm, 3, lstm->model->T);
  for (int dark = 0; dark < 2; dark++)
    {
      const char *style = dark ? "dark" : "light";
      static const int widths[] = { 560, 900, 1500 };
      GtkWidget *view;

      gs_ui_test_set_dark (dark);
      for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
        {
          g_autofree char *name = g_strdup_printf ("unrolled-long-%d-%s", widths[i], style);

          view = gs_unrolled_view_new ();
          g_object_set (view, "snap", snap, "timestep", 60, "layer", 1, NULL);
          save_view (view, widths[i], 460, name);
        }
      {
        g_autofree char *name = g_strdup_printf ("unrolled-long-start-%s", style);

        view = gs_unrolled_view_new ();
        g_object_set (view, "snap", snap, "timestep", 2, NULL);
        save_view (view, 900, 460, name);
      }
      {
        g_autofree char *name = g_strdup_printf ("unrolled-hello-1500-%s", style);

        view = gs_unrolled_view_new ();
        g_object_set (view, "snap", hello, "timestep", 2, "layer", 1, NULL);
        save_view (view, 1500, 420, name);
      }
    }
  gs_ui_test_set_dark (FALSE);
  gs_trainer_free (tr);
}

/* A plot that has followed `updates` updates of a falling loss, shown at
 * the window's size of the loss card (1590×990 window: about 560×300). */
static GtkWidget *
long_run_plot (long long   updates,
               GsHistory **out_history)
{
  GsHistory *h = gs_history_new (NULL);
  GtkWidget *plot = gs_loss_plot_new ();

  /* followed as the window does, a frame's worth of updates at a time */
  for (long long e = 0; e < updates; e++)
    {
      gs_history_add (h, 2.0f / (1.0f + e / 64.0f) * (1.0f + 0.02f * (float) (e % 7)), NAN);
      if (e % 200 == 199)
        gs_loss_plot_follow (GS_LOSS_PLOT (plot), h);
    }
  gs_loss_plot_follow (GS_LOSS_PLOT (plot), h);
  g_assert_cmpuint (gs_loss_plot_get_n_points (GS_LOSS_PLOT (plot)), ==, (guint) updates);
  *out_history = h;
  return plot;
}

/* Seconds one frame of the plot takes: one more update followed, the
 * plot's snapshot recorded and rasterised (the best of `rounds`). */
static double
plot_frame_seconds (GtkWidget *plot,
                    GsHistory *h,
                    int        rounds)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (plot));
  double best = G_MAXDOUBLE;

  for (int r = 0; r < rounds; r++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gint64 t0;

      gs_history_add (h, 0.5f, NAN);
      t0 = g_get_monotonic_time ();
      gs_loss_plot_follow (GS_LOSS_PLOT (plot), h);
      GTK_WIDGET_GET_CLASS (plot)->snapshot (plot, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      g_assert_nonnull (node);
      texture = gsk_renderer_render_texture (renderer, node, NULL);
      best = MIN (best, (g_get_monotonic_time () - t0) / 1e6);
    }
  return best;
}

/* The cost of a frame of the loss plot does not grow with the run: after
 * 4,000,000 updates the drawing visits about as many points and ticks as
 * after 40,000 (the history's bounded points, the visible ticks), on the
 * linear and the log epoch axis, and takes about as long (the two plots
 * timed in turns, so that a busy machine slows both alike). Before, the
 * linear axis walked every epoch looking for its ticks: 100 times the
 * work after 100 times the epochs. */
static void
test_loss_plot_cost_bounded (void)
{
  static const long long runs[] = { 40000, 4000000 };
  GsHistory *h[2];
  GtkWidget *plot[2], *window[2];
  guint64 work[2][2];
  double seconds[2][2];

  for (int r = 0; r < 2; r++)
    {
      plot[r] = long_run_plot (runs[r], &h[r]);
      window[r] = gs_ui_test_show_in_window (plot[r], 560, 300, TRUE);
    }
  for (int log_axis = 0; log_axis < 2; log_axis++)
    {
      for (int r = 0; r < 2; r++)
        {
          g_autoptr(GsUiImage) image = NULL;

          gs_loss_plot_set_log_epochs (GS_LOSS_PLOT (plot[r]), log_axis);
          image = gs_ui_test_render (plot[r], NULL, RENDER);
          work[r][log_axis] = _gs_loss_plot_get_draw_work (GS_LOSS_PLOT (plot[r]));
          seconds[r][log_axis] = G_MAXDOUBLE;
        }
      for (int round = 0; round < 15; round++)
        for (int r = 0; r < 2; r++)
          seconds[r][log_axis] = MIN (seconds[r][log_axis], plot_frame_seconds (plot[r], h[r], 1));
      for (int r = 0; r < 2; r++)
        {
          g_test_message ("%lld updates, %s axis: work %" G_GUINT64_FORMAT ", %.3f ms a frame",
                          runs[r], log_axis ? "log" : "linear", work[r][log_axis],
                          1e3 * seconds[r][log_axis]);
          /* the curve was drawn, and its work counted */
          g_assert_cmpuint (work[r][log_axis], >, 8192);
        }
      /* the history's points: 8192 recent + 2048…4096 buckets either way */
      g_assert_cmpuint (work[1][log_axis], <=, work[0][log_axis] * 13 / 10);
      /* time: a generous margin for a busy machine (the walk over every
       * epoch made it 27 ms against 1.7 ms after 4M updates) */
      g_assert_cmpfloat (seconds[1][log_axis], <, 4.0 * seconds[0][log_axis] + 0.005);
    }
  for (int r = 0; r < 2; r++)
    {
      gtk_window_destroy (GTK_WINDOW (window[r]));
      gs_history_free (h[r]);
    }
}

/* The validation curve: drawn in the belt colour (dashed, with markers)
 * over the training curve, and gone again when cleared. */
static void
test_loss_plot_validation (void)
{
  GtkWidget *plot = gs_loss_plot_new ();
  GsValPoint val[4];
  GsViewColors colors;
  GtkWidget *window;
  int n_without, n_with, n_cleared;
  graphene_rect_t all = GRAPHENE_RECT_INIT (0, 0, 480, 240);

  for (int i = 0; i < 200; i++)
    gs_loss_plot_append (GS_LOSS_PLOT (plot), 2.0f / (1.0f + 0.05f * i));
  window = gs_ui_test_show_in_window (plot, 480, 240, TRUE);
  gs_view_colors_get (&colors, plot);
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (plot, NULL, RENDER);
    n_without = gs_ui_test_count_color (image, &all, &colors.belt, 24);
  }
  for (int i = 0; i < 4; i++)
    val[i] = (GsValPoint) { 50 * (i + 1), 1.5f + 0.1f * i, 0.5f };
  gs_loss_plot_set_validation (GS_LOSS_PLOT (plot), val, 4);
  g_assert_cmpuint (gs_loss_plot_get_n_validation (GS_LOSS_PLOT (plot)), ==, 4);
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (plot, "loss-validation", RENDER);
    n_with = gs_ui_test_count_color (image, &all, &colors.belt, 24);
  }
  gs_loss_plot_clear (GS_LOSS_PLOT (plot));
  g_assert_cmpuint (gs_loss_plot_get_n_validation (GS_LOSS_PLOT (plot)), ==, 0);
  for (int i = 0; i < 200; i++)
    gs_loss_plot_append (GS_LOSS_PLOT (plot), 2.0f / (1.0f + 0.05f * i));
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (plot, NULL, RENDER);
    n_cleared = gs_ui_test_count_color (image, &all, &colors.belt, 24);
  }
  g_assert_cmpint (n_without, ==, 0);
  g_assert_cmpint (n_with, >=, 100);   /* four markers, three dashed segments, the legend */
  g_assert_cmpint (n_cleared, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The renderer the application picks on a software OpenGL (and the one
   * that reports a drawing failure as a warning), unless the caller chose. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gs_ui_test_init (&argc, &argv);
  adw_init ();

  lstm = gs_ui_test_train_hello (GS_CELL_LSTM, 0, EPOCHS);
  gru = gs_ui_test_train_hello (GS_CELL_GRU, 0, EPOCHS);

  g_test_add_func ("/views/format-fixed", test_format_fixed);
  g_test_add_func ("/views/dark-near-zero", test_dark_near_zero);
  g_test_add_func ("/views/unrolled/highlight", test_unrolled_highlight);
  g_test_add_func ("/views/unrolled/prediction", test_unrolled_prediction);
  g_test_add_func ("/views/unrolled/many-units", test_unrolled_many_units);
  g_test_add_func ("/views/unrolled/long/size", test_unrolled_long_size);
  g_test_add_func ("/views/unrolled/long/highlight", test_unrolled_long_highlight);
  g_test_add_func ("/views/unrolled/long/clicks", test_unrolled_long_clicks);
  g_test_add_func ("/views/unrolled/long/gallery", test_unrolled_long_gallery);
  g_test_add_func ("/views/heatmap/colours", test_heatmap_colours);
  g_test_add_func ("/views/heatmap/many-units", test_heatmap_many_units);
  g_test_add_func ("/views/format-compact", test_format_compact);
  g_test_add_func ("/views/prediction-bars", test_prediction_bars);
  g_test_add_func ("/views/gradient", test_gradient_view);
  g_test_add_func ("/views/gallery", test_gallery);
  g_test_add_func ("/views/all-tasks", test_all_tasks);
  g_test_add_func ("/views/all-variants", test_all_variants);
  g_test_add_func ("/views/diverged", test_diverged);
  g_test_add_func ("/views/loss-plot-log-epochs", test_loss_plot_log_epochs);
  g_test_add_func ("/views/loss-plot/validation", test_loss_plot_validation);
  g_test_add_func ("/views/loss-plot/cost-bounded", test_loss_plot_cost_bounded);

  status = g_test_run ();

  gs_trainer_free (lstm);
  gs_trainer_free (gru);
  return status;
}
