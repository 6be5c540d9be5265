/* test-fixed-marks.c — the mark on what an intervention fixes, in every view.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's rule (gs_interventions_fixes) on a table of cases, then
 * each view rendered offscreen twice from the same values — once as the
 * plain network, once with interventions in the snapshot — in the light
 * and the dark style: the two renderings differ in a unit's cell exactly
 * when the rule says the intervention fixes that unit at that timestep,
 * and the legend appears.
 */

#include <string.h>

#include <adwaita.h>

#include "gs-cell-view.h"
#include "gs-gradient-view.h"
#include "gs-heatmap.h"
#include "gs-intervene.h"
#include "gs-snap.h"
#include "gs-train.h"
#include "gs-ui-test.h"
#include "gs-unrolled-view.h"

#define RENDER (GS_UI_RENDER_WAIT_FRAMES | GS_UI_RENDER_WINDOW_BG)

static GsTrainer *lstm;

static void
parse (GsInterventions *list,
       GsIvKind         kind,
       const char      *spec)
{
  GsError err;

  if (gs_interventions_parse (list, kind, spec, &err) != GS_OK)
    g_error ("%s: %s", spec, err.msg);
}

/* The rule: which (layer, t, quantity, unit) each kind fixes. */
static void
test_rule (void)
{
  GsConfig cfg = lstm->model->cfg;   /* 2 layers, H units */
  GsInterventions list = { .n = 0 };
  const int H = cfg.H;
  g_autofree char *weight = g_strdup_printf ("rnn.weight_hh_l1[%d,0]=0.5", H + 2);   /* f, unit 2, layer 2 */
  static const struct {
    int k, t;
    char q;
    int u;
    GsFix want;
  } cases[] = {
    { 0, 0, 'f', 0, GS_FIX_VALUE },   /* 1:f:*=1 everywhere */
    { 0, 7, 'f', 3, GS_FIX_VALUE },
    { 0, 2, 'i', 0, GS_FIX_NONE },    /* another gate */
    { 1, 2, 'f', 0, GS_FIX_NONE },    /* another layer */
    { 1, 4, 'o', 1, GS_FIX_VALUE },   /* 2:o:1@4=0 */
    { 1, 3, 'o', 1, GS_FIX_NONE },    /* another t */
    { 1, 4, 'o', 2, GS_FIX_NONE },    /* another unit */
    { 0, 3, 'c', 0, GS_FIX_VALUE },   /* set c 1:0-1@3=0 */
    { 0, 3, 'c', 2, GS_FIX_NONE },
    { 0, 3, 'h', 0, GS_FIX_NONE },    /* c is set, not h */
    { 1, 0, 'h', 3, GS_FIX_VALUE },   /* ablate 2:3 */
    { 1, 9, 'h', 3, GS_FIX_VALUE },
    { 1, 9, 'c', 3, GS_FIX_NONE },
    { 1, 5, 'f', 2, GS_FIX_WEIGHT },  /* the edited weight's row */
    { 1, 5, 'f', 1, GS_FIX_NONE },
    { 0, 5, 'f', 2, GS_FIX_VALUE },   /* a value wins over a weight */
  };

  parse (&list, GS_IV_CLAMP, "1:f:*=1");
  parse (&list, GS_IV_CLAMP, "2:o:1@4=0");
  parse (&list, GS_IV_SET_C, "1:0-1@3=0");
  parse (&list, GS_IV_ABLATE, "2:3");
  parse (&list, GS_IV_WEIGHT, weight);
  g_assert_cmpint (H, >=, 4);
  g_assert_cmpint (cfg.L, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (gs_interventions_fixes (&list, &cfg, cases[i].k, cases[i].t, cases[i].q, cases[i].u) != cases[i].want)
      g_error ("case %u: layer %d, t = %d, %c of unit %d: expected %d", i, cases[i].k + 1, cases[i].t,
               cases[i].q, cases[i].u, cases[i].want);
  g_assert_cmpint (gs_interventions_fixes (NULL, &cfg, 0, 0, 'f', 0), ==, GS_FIX_NONE);
}

/* The same values, with `list` as the interventions they were computed with. */
static GsSnap *
with_interventions (GsSnap                *plain,
                    const GsInterventions *list)
{
  GsError err;
  GsSnapshot *copy = gs_snapshot_copy (gs_snap_get (plain), &err);

  g_assert_nonnull (copy);
  copy->iv = *list;
  return gs_snap_new_take (copy);
}

/* How many pixels of `rect` differ between the two renderings. */
static int
count_changed (const GsUiImage       *a,
               const GsUiImage       *b,
               const graphene_rect_t *rect)
{
  int n = 0;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  for (int y = MAX (0, (int) rect->origin.y); y < MIN (a->height, (int) (rect->origin.y + rect->size.height)); y++)
    for (int x = MAX (0, (int) rect->origin.x); x < MIN (a->width, (int) (rect->origin.x + rect->size.width)); x++)
      n += memcmp (a->data + y * a->stride + 4 * x, b->data + y * b->stride + 4 * x, 4) != 0;
  return n;
}

/* How many pixels that differ lie outside the n rects (grown by the one
 * pixel an edge between pixels shares with its neighbour). */
static int
changed_outside (const GsUiImage       *a,
                 const GsUiImage       *b,
                 const graphene_rect_t *rects,
                 int                    n,
                 const graphene_rect_t *area)
{
  int outside = 0;

  for (int y = (int) area->origin.y; y < (int) (area->origin.y + area->size.height) && y < a->height; y++)
    for (int x = (int) area->origin.x; x < (int) (area->origin.x + area->size.width) && x < a->width; x++)
      {
        gboolean in = FALSE;

        if (memcmp (a->data + y * a->stride + 4 * x, b->data + y * b->stride + 4 * x, 4) == 0)
          continue;
        for (int i = 0; i < n && !in; i++)
          {
            graphene_rect_t grown;

            graphene_rect_inset_r (&rects[i], -1.0f, -1.0f, &grown);
            in = graphene_rect_contains_point (&grown, &GRAPHENE_POINT_INIT (x + 0.5f, y + 0.5f));
          }
        outside += !in;
      }
  return outside;
}

/* A heatmap of f in layer 1 and of h in layer 2: marked cells are exactly
 * the fixed (t, unit); the title row gains the legend. */
static void
test_heatmap (void)
{
  g_autoptr(GsSnap) plain = gs_ui_test_step_to (lstm, lstm->model->T, lstm->model->T);
  GsInterventions list = { .n = 0 };
  g_autoptr(GsSnap) marked = NULL;
  const GsSnapshot *s = gs_snap_get (plain);
  GsHeatmap *map = GS_HEATMAP (gs_heatmap_new ("f"));
  GtkWidget *window;
  static const struct { const char *quantity; int layer; char q; } maps[] = {
    { "f", 0, 'f' }, { "h", 1, 'h' }, { "c", 0, 'c' }, { "dh", 1, 'h' },
  };

  parse (&list, GS_IV_CLAMP, "1:f:1-2@2=1");
  parse (&list, GS_IV_CLAMP, "1:f:0@4=0");
  parse (&list, GS_IV_SET_C, "1:3@1=0");
  parse (&list, GS_IV_ABLATE, "2:2");
  marked = with_interventions (plain, &list);
  window = gs_ui_test_show_in_window (GTK_WIDGET (map), 420, 260, FALSE);

  for (int dark = 0; dark < 2; dark++)
    for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
      {
        g_autoptr(GsUiImage) before = NULL;
        g_autoptr(GsUiImage) after = NULL;
        g_autofree graphene_rect_t *rects = g_new0 (graphene_rect_t, (gsize) s->T * s->cfg.H);
        graphene_rect_t grid = GRAPHENE_RECT_INIT (0, 0, 0, 0);
        int n_fixed = 0;

        gs_ui_test_set_dark (dark);
        gs_heatmap_set_quantity (map, maps[m].quantity);
        gs_view_set_layer (GS_VIEW (map), maps[m].layer);
        gs_view_set_snap (GS_VIEW (map), plain);
        before = gs_ui_test_render (GTK_WIDGET (map), NULL, RENDER);
        gs_view_set_snap (GS_VIEW (map), marked);
        after = gs_ui_test_render (GTK_WIDGET (map), dark ? "fixed-heatmap-dark" : "fixed-heatmap", RENDER);

        for (int t = 0; t < s->T; t++)
          for (int u = 0; u < s->cfg.H; u++)
            {
              graphene_rect_t r;
              GsFix fix = gs_interventions_fixes (&list, &s->cfg, maps[m].layer, t, maps[m].q, u);
              int changed;

              g_assert_true (gs_heatmap_get_cell_rect (map, t, u, &r));
              if (t == 0 && u == 0)
                grid = r;
              graphene_rect_union (&grid, &r, &grid);
              changed = count_changed (before, after, &r);
              if ((fix != GS_FIX_NONE) != (changed > 0))
                g_error ("heatmap %s of layer %d (%s): cell t = %d, unit %d is %s but %d pixels changed",
                         maps[m].quantity, maps[m].layer + 1, dark ? "dark" : "light", t, u,
                         fix != GS_FIX_NONE ? "fixed" : "free", changed);
              if (fix != GS_FIX_NONE)
                rects[n_fixed++] = r;
            }
        g_assert_cmpint (n_fixed, >, 0);
        /* nothing else in the grid changed; the legend did, above it */
        g_assert_cmpint (changed_outside (before, after, rects, n_fixed, &grid), ==, 0);
        g_assert_cmpint (count_changed (before, after, &GRAPHENE_RECT_INIT (0, 0, before->width, grid.origin.y)),
                         >, 20);
      }
  gs_ui_test_set_dark (FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The cell view at t = 2: the clamped f units, the set c units and,
 * from c_{t−1}, the c set at t = 1 are marked, nothing else of the units. */
static void
test_cell_view (void)
{
  g_autoptr(GsSnap) plain = gs_ui_test_step_to (lstm, lstm->model->T, lstm->model->T);
  GsInterventions list = { .n = 0 };
  g_autoptr(GsSnap) marked = NULL;
  const GsSnapshot *s = gs_snap_get (plain);
  GtkWidget *view = gs_cell_view_new ();
  GtkWidget *window;
  static const struct { char box; char q; int dt; } boxes[] = {
    { 'i', 'i', 0 }, { 'f', 'f', 0 }, { 'g', 'g', 0 }, { 'o', 'o', 0 },
    { 'c', 'c', 0 }, { 'h', 'h', 0 }, { 'C', 'c', -1 }, { 'H', 'h', -1 },
  };

  parse (&list, GS_IV_CLAMP, "1:f:1-2=1");
  parse (&list, GS_IV_SET_C, "1:0@1=0");
  parse (&list, GS_IV_SET_H, "1:3@2=0.5");
  marked = with_interventions (plain, &list);
  gs_view_set_timestep (GS_VIEW (view), 2);
  gs_view_set_layer (GS_VIEW (view), 0);
  window = gs_ui_test_show_in_window (view, 900, 540, FALSE);

  for (int dark = 0; dark < 2; dark++)
    {
      g_autoptr(GsUiImage) before = NULL;
      g_autoptr(GsUiImage) after = NULL;
      int n_marked = 0;

      gs_ui_test_set_dark (dark);
      gs_view_set_snap (GS_VIEW (view), plain);
      before = gs_ui_test_render (view, NULL, RENDER);
      gs_view_set_snap (GS_VIEW (view), marked);
      after = gs_ui_test_render (view, dark ? "fixed-cell-dark" : "fixed-cell", RENDER);
      for (guint b = 0; b < G_N_ELEMENTS (boxes); b++)
        for (int u = 0; u < s->cfg.H; u++)
          {
            graphene_rect_t r;
            GsFix fix = gs_interventions_fixes (&list, &s->cfg, 0, 2 + boxes[b].dt, boxes[b].q, u);
            int changed;

            g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), boxes[b].box, u, &r));
            changed = count_changed (before, after, &r);
            if ((fix != GS_FIX_NONE) != (changed > 0))
              g_error ("cell view box %c unit %d (%s): %s but %d pixels changed", boxes[b].box, u,
                       dark ? "dark" : "light", fix != GS_FIX_NONE ? "fixed" : "free", changed);
            n_marked += fix != GS_FIX_NONE;
          }
      /* f 1, 2; c 0 in C (t = 1); h 3 */
      g_assert_cmpint (n_marked, ==, 4);
    }
  gs_ui_test_set_dark (FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The unrolled view: the h and c units held at their timesteps are
 * marked in their boxes, the others are not. */
static void
test_unrolled (void)
{
  g_autoptr(GsSnap) plain = gs_ui_test_step_to (lstm, lstm->model->T, lstm->model->T);
  GsInterventions list = { .n = 0 };
  g_autoptr(GsSnap) marked = NULL;
  const GsSnapshot *s = gs_snap_get (plain);
  GtkWidget *view = gs_unrolled_view_new ();
  GtkWidget *window;

  parse (&list, GS_IV_SET_C, "1:1@2=0");
  parse (&list, GS_IV_ABLATE, "2:0");
  marked = with_interventions (plain, &list);
  window = gs_ui_test_show_in_window (view, 1000, 560, FALSE);

  for (int dark = 0; dark < 2; dark++)
    {
      g_autoptr(GsUiImage) before = NULL;
      g_autoptr(GsUiImage) after = NULL;

      gs_ui_test_set_dark (dark);
      gs_view_set_snap (GS_VIEW (view), plain);
      before = gs_ui_test_render (view, NULL, RENDER);
      gs_view_set_snap (GS_VIEW (view), marked);
      after = gs_ui_test_render (view, dark ? "fixed-unrolled-dark" : "fixed-unrolled", RENDER);
      for (int k = 0; k < s->cfg.L; k++)
        for (int t = 0; t < s->T; t++)
          for (int state = 0; state < 2; state++)
            for (int u = 0; u < s->cfg.H; u++)
              {
                const char q = state == 0 ? 'h' : 'c';
                graphene_rect_t r;
                int first, end, changed;
                GsFix fix = gs_interventions_fixes (&list, &s->cfg, k, t, q, u);

                if (!gs_unrolled_view_get_unit_rect (GS_UNROLLED_VIEW (view), t, k, q, u, &r, &first, &end))
                  continue;
                g_assert_cmpint (end - first, ==, 1);   /* few units: a square each */
                changed = count_changed (before, after, &r);
                if ((fix != GS_FIX_NONE) != (changed > 0))
                  g_error ("unrolled layer %d t = %d %c unit %d (%s): %s but %d pixels changed", k + 1, t, q, u,
                           dark ? "dark" : "light", fix != GS_FIX_NONE ? "fixed" : "free", changed);
              }
    }
  gs_ui_test_set_dark (FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The gradient view: with h of a unit set at the timestep shown, the
 * rendering changes (its column and the legend); with it set elsewhere, not. */
static void
test_gradient (void)
{
  g_autoptr(GsSnap) plain = gs_ui_test_step_to (lstm, lstm->model->T, 0);
  GsInterventions here = { .n = 0 }, elsewhere = { .n = 0 };
  g_autoptr(GsSnap) marked = NULL;
  g_autoptr(GsSnap) other = NULL;
  GtkWidget *view = gs_gradient_view_new ();
  GtkWidget *window;
  g_autoptr(GsUiImage) before = NULL;
  g_autoptr(GsUiImage) after = NULL;
  g_autoptr(GsUiImage) unchanged = NULL;
  graphene_rect_t all;

  parse (&here, GS_IV_SET_H, "1:1@3=0");
  parse (&elsewhere, GS_IV_SET_H, "1:1@4=0");
  marked = with_interventions (plain, &here);
  other = with_interventions (plain, &elsewhere);
  gs_view_set_timestep (GS_VIEW (view), 3);
  window = gs_ui_test_show_in_window (view, 700, 520, FALSE);
  gs_view_set_snap (GS_VIEW (view), plain);
  before = gs_ui_test_render (view, NULL, RENDER);
  gs_view_set_snap (GS_VIEW (view), marked);
  after = gs_ui_test_render (view, "fixed-gradient", RENDER);
  gs_view_set_snap (GS_VIEW (view), other);
  unchanged = gs_ui_test_render (view, NULL, RENDER);
  all = GRAPHENE_RECT_INIT (0, 0, before->width, before->height);
  g_assert_cmpint (count_changed (before, after, &all), >, 50);
  g_assert_cmpint (count_changed (before, unchanged, &all), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gs_ui_test_init (&argc, &argv);
  adw_init ();

  lstm = gs_ui_test_train_hello (GS_CELL_LSTM, 0, 10);

  g_test_add_func ("/fixed-marks/rule", test_rule);
  g_test_add_func ("/fixed-marks/heatmap", test_heatmap);
  g_test_add_func ("/fixed-marks/cell-view", test_cell_view);
  g_test_add_func ("/fixed-marks/unrolled", test_unrolled);
  g_test_add_func ("/fixed-marks/gradient", test_gradient);
  return g_test_run ();
}
