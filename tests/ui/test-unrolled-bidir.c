/* test-unrolled-bidir — the unrolled view of a bidirectional network: the
 * reverse row of each layer, its arrows running right to left, its units
 * in the colours of the model's reverse-direction h and c at every t, the
 * rows drawn as computed by the snapshot's rule, and a click on a box
 * selecting its layer and direction.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include "gs-colormap.h"
#include "gs-stepper.h"
#include "gs-ui-test.h"
#include "gs-unrolled-view.h"

/* The reverse row's colour in the light style (gs-unrolled-view-reverse.c). */
static const GdkRGBA teal_light = { 0.000f, 0.490f, 0.522f, 1.0f };
static const GdkRGBA teal_dark = { 0.345f, 0.827f, 0.839f, 1.0f };

static GsTrainer *
train_bidirectional (int L,
                     int H)
{
  GsTrainConfig cfg;
  GsError err;
  GsTrainer *tr;

  gs_train_config_default (&cfg);
  g_strlcpy (cfg.task, "classify", sizeof cfg.task);
  cfg.cell = GS_CELL_LSTM;
  cfg.L = L;
  cfg.H = H;
  cfg.variant.bidirectional = true;
  tr = gs_trainer_new (&cfg, &err);
  if (tr == NULL)
    g_error ("gs_trainer_new: %s", err.msg);
  for (int e = 0; e < 3; e++)
    if (gs_trainer_step (tr, &err) != GS_OK)
      g_error ("gs_trainer_step: %s", err.msg);
  return tr;
}

static GdkRGBA
unit_colour (const float  *v,
             GsColorRange  range)
{
  GdkRGBA c;

  gs_colormap_diverging (&c, *v, range, FALSE);
  c.alpha = 1.0f;
  return c;
}

/* Every unit of h← (and c←) in every reverse box is drawn in the colour
 * of the model's own reverse-direction value at that t. */
static void
check_reverse_units (GsUnrolledView   *view,
                     const GsUiImage  *image,
                     const GsSnapshot *s,
                     const GsModel    *m)
{
  const int H = s->cfg.H, P = s->P, B = m->B;

  for (int k = 0; k < s->cfg.L; k++)
    {
      GsColorRange c_range = gs_color_range_symmetric (s->rev[k].c, (gsize) s->T * H, 1e-6f);

      for (int t = 0; t < s->T; t++)
        for (int u = 0; u < P && gs_unrolled_view_get_box_rect (view, t, k, 1, &(graphene_rect_t) { 0 }); u++)
          {
            const float model_h = m->rev[k].h[((size_t) t * B) * P + u];
            const float model_c = m->rev[k].c[((size_t) t * B) * H + u];
            graphene_rect_t r;
            GdkRGBA want;
            int first, end;

            /* the snapshot's values are the model's (sequence 0) */
            g_assert_cmpfloat (s->rev[k].h[(size_t) t * P + u], ==, model_h);
            g_assert_cmpfloat (s->rev[k].c[(size_t) t * H + u], ==, model_c);

            g_assert_true (gs_unrolled_view_get_row_unit_rect (view, t, k, 1, 'h', u, &r, &first, &end));
            g_assert_cmpint (first, ==, u);
            want = unit_colour (&model_h, gs_color_range_for_gate ('h'));
            if (!gs_ui_test_is_color (image, (int) (r.origin.x + r.size.width / 2), (int) (r.origin.y + r.size.height / 2),
                                      &want, 3))
              g_error ("reverse h of layer %d at t %d, unit %d (%g): not its colour", k, t, u, (double) model_h);

            g_assert_true (gs_unrolled_view_get_row_unit_rect (view, t, k, 1, 'c', u, &r, &first, &end));
            want = unit_colour (&model_c, c_range);
            if (!gs_ui_test_is_color (image, (int) (r.origin.x + r.size.width / 2), (int) (r.origin.y + r.size.height / 2),
                                      &want, 3))
              g_error ("reverse c of layer %d at t %d, unit %d (%g): not its colour", k, t, u, (double) model_c);
          }
    }
}

/* Between boxes t and t + 1 of the reverse row, the arrow of h← points
 * left: its head (wide) at box t's right edge, its tail (a line) at box
 * t + 1's left edge. Counted in the reverse colour at the height of h. */
static void
check_reverse_arrows (GsUnrolledView  *view,
                      const GsUiImage *image,
                      int              T,
                      int              L,
                      int              H)
{
  for (int k = 0; k < L; k++)
    for (int t = 0; t + 1 < T; t++)
      {
        graphene_rect_t a, b, unit;
        int first, end, head, tail;
        float y, tip, from;

        /* the columns shown (a long phrase shows a window of them) */
        if (!gs_unrolled_view_get_box_rect (view, t, k, 1, &a) || !gs_unrolled_view_get_box_rect (view, t + 1, k, 1, &b))
          continue;
        /* the arrow runs at the middle of the state's squares, which may
         * wrap into rows: between the first unit's top and the last's bottom */
        g_assert_true (gs_unrolled_view_get_row_unit_rect (view, t, k, 1, 'h', 0, &unit, &first, &end));
        y = unit.origin.y;
        g_assert_true (gs_unrolled_view_get_row_unit_rect (view, t, k, 1, 'h', H - 1, &unit, &first, &end));
        y = (y + unit.origin.y + unit.size.height) / 2.0f;
        tip = a.origin.x + a.size.width + 2.0f;
        from = b.origin.x - 2.0f;
        g_assert_cmpfloat (from - tip, >, 20.0f);
        head = gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT (tip + 1.0f, y - 8.0f, 5.0f, 16.0f), &teal_light, 24);
        tail = gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT (from - 6.0f, y - 8.0f, 5.0f, 16.0f), &teal_light, 24);
        if (!(head > tail + 3 && tail > 0))
          g_error ("layer %d, t %d → %d: the reverse arrow should point left (teal pixels by the head %d, "
                   "by the tail %d)", k, t + 1, t, head, tail);
      }
}

static void
on_box_activated (GsUnrolledView *view,
                  int             layer,
                  int             direction,
                  int            *got)
{
  got[0] = layer;
  got[1] = direction;
}

/* A click on a box names its layer and direction. */
static void
check_clicks (GsUnrolledView *view,
              int             L)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  GtkGesture *click = NULL;
  int got[2];

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (c))
        click = GTK_GESTURE (c);
    }
  g_object_unref (controllers);
  g_assert_nonnull (click);

  g_signal_connect (view, "box-activated", G_CALLBACK (on_box_activated), got);
  for (int k = 0; k < L; k++)
    for (int d = 0; d < 2; d++)
      {
        graphene_rect_t r;
        int t, bk, bd;

        g_assert_true (gs_unrolled_view_get_box_rect (view, 1, k, d, &r));
        g_assert_true (gs_unrolled_view_box_at (view, r.origin.x + r.size.width / 2, r.origin.y + r.size.height / 2,
                                                &t, &bk, &bd));
        g_assert_cmpint (t, ==, 1);
        g_assert_cmpint (bk, ==, k);
        g_assert_cmpint (bd, ==, d);
        got[0] = got[1] = -1;
        g_signal_emit_by_name (click, "pressed", 1, (double) (r.origin.x + 6), (double) (r.origin.y + r.size.height - 4));
        g_assert_cmpint (got[0], ==, k);
        g_assert_cmpint (got[1], ==, d);
      }
  /* Between the rows: no box. */
  {
    graphene_rect_t fwd, rev;
    int t, k, d;

    gs_unrolled_view_get_box_rect (view, 1, 0, 0, &fwd);
    gs_unrolled_view_get_box_rect (view, 1, 0, 1, &rev);
    g_assert_cmpfloat (rev.origin.y + rev.size.height, <, fwd.origin.y);
    g_assert_false (gs_unrolled_view_box_at (view, fwd.origin.x + 10, (rev.origin.y + rev.size.height + fwd.origin.y) / 2,
                                             &t, &k, &d));
  }
}

static void
test_reverse_row (void)
{
  const int L = 2;
  GsTrainer *tr = train_bidirectional (L, 5);
  GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  g_autoptr(GsSnap) snap = NULL;
  g_autoptr(GsUiImage) image = NULL;
  const GsSnapshot *s;
  GtkWidget *window;
  graphene_rect_t r;
  int first, end, n_shown = 0;

  gs_ui_test_set_dark (FALSE);
  /* Forward at t = 1: the reverse rows and the forward row of layer 0
   * were computed whole by the first step; the top forward row to t = 1. */
  snap = gs_ui_test_step_to (tr, 2, tr->model->T);
  s = gs_snap_get (snap);
  g_assert_cmpint (s->D, ==, 2);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 1100, 760, FALSE);
  gs_view_set_snap (GS_VIEW (view), snap);
  /* No current column: its frame would cover arrowheads. */
  gs_view_set_timestep (GS_VIEW (view), -1);
  image = gs_ui_test_render (GTK_WIDGET (view), "unrolled-bidir", GS_UI_RENDER_WAIT_FRAMES | GS_UI_RENDER_WINDOW_BG);

  /* The reverse row of every layer is there, above the forward row. */
  for (int k = 0; k < L; k++)
    for (int t = 0; t < s->T; t++)
      {
        graphene_rect_t fwd, rev;

        if (!gs_unrolled_view_get_box_rect (view, t, k, 0, &fwd))
          continue;
        n_shown += k == 0;
        g_assert_true (gs_unrolled_view_get_box_rect (view, t, k, 1, &rev));
        g_assert_cmpfloat (rev.origin.x, ==, fwd.origin.x);
        g_assert_cmpfloat (rev.origin.y + rev.size.height, <, fwd.origin.y);
      }
  g_assert_cmpint (n_shown, >=, 8);
  check_reverse_units (view, image, s, tr->model);
  check_reverse_arrows (view, image, s->T, L, s->P > 0 ? s->P : s->cfg.H);

  /* Computed by the rule: the layer below the top whole, the top forward
   * row to t = 1 only. */
  g_assert_true (gs_unrolled_view_get_row_unit_rect (view, 3, 0, 0, 'h', 0, &r, &first, &end));
  g_assert_true (gs_unrolled_view_get_row_unit_rect (view, 1, 1, 0, 'h', 0, &r, &first, &end));
  g_assert_false (gs_unrolled_view_get_row_unit_rect (view, 2, 1, 0, 'h', 0, &r, &first, &end));

  check_clicks (view, L);

  /* The dark style: the reverse rows in the teal that reads on dark, the
   * light one nowhere. */
  {
    g_autoptr(GsUiImage) dark = NULL;
    graphene_rect_t box;

    gs_ui_test_set_dark (TRUE);
    dark = gs_ui_test_render (GTK_WIDGET (view), "unrolled-bidir-dark", GS_UI_RENDER_WAIT_FRAMES | GS_UI_RENDER_WINDOW_BG);
    g_assert_true (gs_unrolled_view_get_box_rect (view, 1, 0, 1, &box));
    g_assert_cmpint (gs_ui_test_count_color (dark, &box, &teal_dark, 12), >, 40);
    g_assert_cmpint (gs_ui_test_count_color (dark, &box, &teal_light, 12), ==, 0);
    g_assert_cmpint (gs_ui_test_count_color (image, &box, &teal_light, 12), >, 40);
    gs_ui_test_set_dark (FALSE);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

/* Before the first step nothing is computed in either direction. */
static void
test_reverse_before_first_step (void)
{
  GsTrainer *tr = train_bidirectional (1, 4);
  GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, 0, tr->model->T);
  GtkWidget *window = gs_ui_test_show_in_window (GTK_WIDGET (view), 900, 600, FALSE);
  graphene_rect_t r;
  int first, end;

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_ui_test_wait_for_frames (GTK_WIDGET (view));
  g_assert_true (gs_unrolled_view_get_box_rect (view, 0, 0, 1, &r));
  g_assert_false (gs_unrolled_view_get_row_unit_rect (view, 0, 0, 1, 'h', 0, &r, &first, &end));
  g_assert_false (gs_unrolled_view_get_row_unit_rect (view, 0, 0, 0, 'h', 0, &r, &first, &end));
  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

/* The encoder–decoder task: the decoder's inputs are the targets of the
 * step before (teacher forcing, the training the window steps), <s> at
 * the first, and the caption above the columns says so and what
 * evaluation reads instead; other tasks have no such caption. */
static void
test_decoder_inputs (void)
{
  GsTrainConfig cfg;
  GsError err = { "" };
  GsStepper *st;
  GsSnapshot *s = gs_snapshot_new ();
  g_autoptr(GsSnap) snap = NULL;
  g_autoptr(GsUiImage) image = NULL;
  GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  GtkWidget *window;
  const char *caption;
  graphene_rect_t first_col;
  int T, M;

  gs_train_config_default (&cfg);
  g_strlcpy (cfg.task, "seq2seq:length=4", sizeof cfg.task);
  cfg.cell = GS_CELL_GRU;
  st = gs_stepper_new (&cfg, &err);
  if (st == NULL)
    g_error ("seq2seq stepper: %s", err.msg);
  T = st->trainer->model->T;
  M = st->trainer->decoder->T;
  for (int i = 0; i < T + M; i++)
    gs_stepper_step (st, &err);
  if (gs_snapshot_take_pair (s, st->trainer->model, st->trainer->decoder, &st->trainer->task, 0, st->phase, GS_DECODE_TEACHER, 0, &err)
      != GS_OK)
    g_error ("take_pair: %s", err.msg);
  g_assert_cmpint (s->T_dec, ==, M);

  /* The inputs: <s>, then each the target of the step before. */
  g_assert_cmpstr (s->task->vocab[s->tokens[T]], ==, "<s>");
  for (int j = 1; j < M; j++)
    g_assert_cmpstr (s->task->vocab[s->tokens[T + j]], ==, s->task->out_vocab[s->targets[T + j - 1]]);

  caption = gs_unrolled_view_decoder_caption (s);
  g_assert_nonnull (caption);
  g_assert_nonnull (strstr (caption, "teacher forcing"));
  g_assert_nonnull (strstr (caption, "greedy decoding"));

  /* Drawn with its caption row, and the columns still there. */
  snap = gs_snap_new_take (s);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 1100, 600, FALSE);
  gs_view_set_snap (GS_VIEW (view), snap);
  image = gs_ui_test_render (GTK_WIDGET (view), "unrolled-decoder", GS_UI_RENDER_WAIT_FRAMES | GS_UI_RENDER_WINDOW_BG);
  g_assert_true (gs_unrolled_view_get_column_rect (view, 0, &first_col));
  {
    GsTrainer *tr = train_bidirectional (1, 4);
    g_autoptr(GsSnap) plain = gs_ui_test_step_to (tr, 1, tr->model->T);

    g_assert_null (gs_unrolled_view_decoder_caption (gs_snap_get (plain)));
    gs_trainer_free (tr);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  gs_stepper_free (st);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gs_ui_test_init (&argc, &argv);
  adw_init ();

  g_test_add_func ("/unrolled-bidir/reverse-row", test_reverse_row);
  g_test_add_func ("/unrolled-bidir/before-first-step", test_reverse_before_first_step);
  g_test_add_func ("/unrolled-decoder/teacher-forcing", test_decoder_inputs);
  return g_test_run ();
}
