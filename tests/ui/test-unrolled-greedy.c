/* test-unrolled-greedy — the unrolled view of an encoder–decoder's
 * evaluation pass (greedy decoding) beside its training pass (teacher
 * forcing), on the same sequence and weights: the caption names the mode;
 * with teacher forcing the decoder's input chips are dashed and faint, no
 * chip or gap is in the success or error colour; in greedy mode an arrow
 * runs down the gap from each computed prediction to the next input, in
 * the success colour where the token fed is the target it replaces and
 * the error colour where it is not, and so are the chips' outlines; an
 * input not yet known is an empty chip, in neither colour.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gs-stepper.h"
#include "gs-ui-test.h"
#include "gs-unrolled-view.h"
#include "gs-view-record.h"
#include "gs-view-text.h"

/* Pixels of a colour (within tolerance) where success and error are
 * told apart: their hues are far from each other and from grey. */
#define TOLERANCE 40

typedef struct
{
  GsUnrolledView *view;
  GtkWidget      *window;
  GdkRGBA         success, error;
} Fixture;

/* A fresh untrained seq2seq run, stepped `steps` times in `decode` mode
 * on its first sequence, as the window would show it. */
static GsSnap *
snap_of (GsDecode decode,
         int      steps,
         GsStepper **out)
{
  GsTrainConfig cfg;
  GsError err = { "" };
  GsStepper *st;
  GsSnapshot *s = gs_snapshot_new ();

  gs_train_config_default (&cfg);
  g_strlcpy (cfg.task, "seq2seq:length=5", sizeof cfg.task);
  cfg.cell = GS_CELL_GRU;
  st = gs_stepper_new (&cfg, &err);
  if (st == NULL)
    g_error ("seq2seq stepper: %s", err.msg);
  if (gs_stepper_set_decode (st, decode, &err) != GS_OK)
    g_error ("set_decode: %s", err.msg);
  for (int i = 0; i < steps; i++)
    if (gs_stepper_step (st, &err) != GS_OK)
      g_error ("step: %s", err.msg);
  if (gs_snapshot_take_pair (s, st->trainer->model, st->trainer->decoder, &st->trainer->task, 0, st->phase,
                             st->decode, 0, &err) != GS_OK)
    g_error ("take_pair: %s", err.msg);
  *out = st;
  return gs_snap_new_take (s);
}

static GsUiImage *
render (Fixture    *fx,
        GsSnap     *snap,
        const char *name)
{
  gs_view_set_snap (GS_VIEW (fx->view), snap);
  gs_view_set_timestep (GS_VIEW (fx->view), -1);
  return gs_ui_test_render (GTK_WIDGET (fx->view), name, GS_UI_RENDER_WAIT_FRAMES | GS_UI_RENDER_WINDOW_BG);
}

/* The gap between the boxes of t − 1 and t, over the layers' height:
 * where a greedy pass's arrow runs down. */
static graphene_rect_t
gap_rect (GsUnrolledView *view,
          int             t,
          int             L)
{
  graphene_rect_t a, b, top;

  g_assert_true (gs_unrolled_view_get_box_rect (view, t - 1, 0, 0, &a));
  g_assert_true (gs_unrolled_view_get_box_rect (view, t, 0, 0, &b));
  g_assert_true (gs_unrolled_view_get_box_rect (view, t, L - 1, 0, &top));
  return GRAPHENE_RECT_INIT (a.origin.x + a.size.width + 1.0f, top.origin.y,
                             b.origin.x - a.origin.x - a.size.width - 2.0f,
                             a.origin.y + a.size.height - top.origin.y);
}

/* A chip's outline ring: the rect grown by 3 px (the drawn outline). */
static graphene_rect_t
chip_ring (GsUnrolledView *view,
           int             t)
{
  graphene_rect_t r;

  g_assert_true (gs_unrolled_view_get_input_rect (view, t, &r));
  graphene_rect_inset (&r, -3.0f, -3.0f);
  return r;
}

static void
test_greedy_against_teacher (void)
{
  Fixture fx;
  GsStepper *teacher_st, *greedy_st, *part_st;
  g_autoptr(GsSnap) teacher = NULL;
  g_autoptr(GsSnap) greedy = NULL;
  g_autoptr(GsSnap) part = NULL;
  g_autoptr(GsUiImage) teacher_img = NULL;
  g_autoptr(GsUiImage) greedy_img = NULL;
  g_autoptr(GsUiImage) part_img = NULL;
  const GsSnapshot *g, *t_s;
  int T, M, L, n_wrong = 0, n_right = 0, n_differ = 0;

  fx.view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
  fx.window = gs_ui_test_show_in_window (GTK_WIDGET (fx.view), 1400, 640, FALSE);
  fx.success = gs_ui_test_named_color (GTK_WIDGET (fx.view), "success_color");
  fx.error = gs_ui_test_named_color (GTK_WIDGET (fx.view), "error_color");

  /* The whole forward pass, both ways, on the same sequence and weights. */
  teacher = snap_of (GS_DECODE_TEACHER, 10, &teacher_st);
  greedy = snap_of (GS_DECODE_GREEDY, 10, &greedy_st);
  g = gs_snap_get (greedy);
  t_s = gs_snap_get (teacher);
  T = g->T_enc;
  M = g->T_dec;
  L = g->cfg.L;
  g_assert_cmpint (T + M, ==, 10);
  g_assert_cmpint (g->decode, ==, GS_DECODE_GREEDY);
  g_assert_cmpint (t_s->decode, ==, GS_DECODE_TEACHER);
  g_assert_true (gs_stepper_pass_done (greedy_st));

  /* The captions name the mode. */
  g_assert_nonnull (strstr (gs_unrolled_view_decoder_caption (g), "Greedy decoding (evaluation)"));
  g_assert_nonnull (strstr (gs_unrolled_view_decoder_caption (t_s), "teacher forcing"));

  teacher_img = render (&fx, teacher, "unrolled-teacher");
  greedy_img = render (&fx, greedy, "unrolled-greedy");

  for (int t = T; t < T + M; t++)
    {
      graphene_rect_t ring = chip_ring (fx.view, t);
      const gboolean right = gs_snapshot_fed_target (g, t);
      const GdkRGBA *want = right ? &fx.success : &fx.error;
      const GdkRGBA *other = right ? &fx.error : &fx.success;

      /* The inputs: the targets of t − 1 with teacher forcing (every
       * chip "right"), the predictions of t − 1 in greedy mode. */
      g_assert_true (gs_snapshot_fed_target (t_s, t));
      g_assert_cmpint (t_s->tokens[t], ==, t == T ? t_s->tokens[T] : t_s->targets[t - 1]);
      if (t > T)
        g_assert_cmpint (g->tokens[t], ==, gs_view_predicted_class (g, t - 1));
      n_differ += g->tokens[t] != t_s->tokens[t];
      n_right += right;
      n_wrong += !right;

      /* Teacher forcing: no chip in either colour. */
      g_assert_cmpint (gs_ui_test_count_color (teacher_img, &ring, &fx.success, TOLERANCE), ==, 0);
      g_assert_cmpint (gs_ui_test_count_color (teacher_img, &ring, &fx.error, TOLERANCE), ==, 0);
      /* Greedy: the outline in its verdict's colour, none of the other. */
      g_assert_cmpint (gs_ui_test_count_color (greedy_img, &ring, want, TOLERANCE), >, 40);
      g_assert_cmpint (gs_ui_test_count_color (greedy_img, &ring, other, TOLERANCE), ==, 0);
      if (t > T)
        {
          graphene_rect_t gap = gap_rect (fx.view, t, L);

          /* the arrow down the gap, in the chip's colour; none there
           * with teacher forcing */
          g_assert_cmpint (gs_ui_test_count_color (greedy_img, &gap, want, TOLERANCE), >=,
                           (int) (gap.size.height * 0.6f));
          g_assert_cmpint (gs_ui_test_count_color (teacher_img, &gap, want, TOLERANCE), ==, 0);
        }
    }
  /* The untrained decoder derails: some of its inputs are not the
   * targets, so the two passes read different tokens; <s> is right. */
  g_test_message ("greedy inputs: %d right, %d wrong, %d differ from teacher forcing's", n_right, n_wrong,
                  n_differ);
  g_assert_cmpint (n_wrong, >, 0);
  g_assert_cmpint (n_right, >, 0);
  g_assert_cmpint (n_differ, ==, n_wrong);

  /* Part way (the encoder and two decoder steps): the third decoder
   * input is known (the second's prediction), the later ones are not —
   * empty chips in neither colour, and no arrow into them. */
  part = snap_of (GS_DECODE_GREEDY, T + 2, &part_st);
  part_img = render (&fx, part, "unrolled-greedy-part");
  for (int t = T + 3; t < T + M; t++)
    {
      graphene_rect_t ring = chip_ring (fx.view, t);
      graphene_rect_t gap = gap_rect (fx.view, t, L);

      g_assert_cmpint (gs_snap_get (part)->tokens[t], ==, -1);
      g_assert_false (gs_snapshot_fed_target (gs_snap_get (part), t));
      g_assert_cmpint (gs_ui_test_count_color (part_img, &ring, &fx.success, TOLERANCE), ==, 0);
      g_assert_cmpint (gs_ui_test_count_color (part_img, &ring, &fx.error, TOLERANCE), ==, 0);
      g_assert_cmpint (gs_ui_test_count_color (part_img, &gap, &fx.success, TOLERANCE)
                       + gs_ui_test_count_color (part_img, &gap, &fx.error, TOLERANCE), ==, 0);
    }
  g_assert_cmpint (gs_snap_get (part)->tokens[T + 2], ==, g->tokens[T + 2]);

  gtk_window_destroy (GTK_WINDOW (fx.window));
  gs_stepper_free (teacher_st);
  gs_stepper_free (greedy_st);
  gs_stepper_free (part_st);
}

/* What the view drew: its texts and its chips. */
static void
on_record (const GsViewRecord *record,
           gpointer            data)
{
  if (record->kind == GS_VIEW_RECORD_TEXT || record->kind == GS_VIEW_RECORD_BOX)
    {
      GsViewRecord *copy = g_new (GsViewRecord, 1);

      *copy = *record;
      copy->text = g_strdup (record->text);
      g_ptr_array_add (data, copy);
    }
}

static void
record_free (gpointer data)
{
  GsViewRecord *r = data;

  g_free ((char *) r->text);
  g_free (r);
}

/* The decoder's first input, "<s>", is wider than a letter: its chip
 * grows to hold it (it ran over both edges), and the outline and
 * gs_unrolled_view_get_input_rect () follow the chip as drawn. At the
 * width where columns are narrowest (1280 px for ten steps) as well. */
static void
test_labels_in_chips (void)
{
  const int widths[] = { 1400, 900 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      GsUnrolledView *view = GS_UNROLLED_VIEW (gs_unrolled_view_new ());
      GtkWidget *window = gs_ui_test_show_in_window (GTK_WIDGET (view), widths[w], 640, FALSE);
      g_autoptr(GPtrArray) drawn = g_ptr_array_new_with_free_func (record_free);
      g_autoptr(GsSnap) snap = NULL;
      GsStepper *st;
      guint boxes = 0, inside = 0;
      gboolean start_seen = FALSE;

      snap = snap_of (GS_DECODE_GREEDY, 10, &st);
      gs_view_set_snap (GS_VIEW (view), snap);
      gs_view_set_timestep (GS_VIEW (view), -1);
      gs_ui_test_wait_for_frames (GTK_WIDGET (view));
      gs_view_record_set_hook (on_record, drawn);
      gs_view_queue_redraw (GS_VIEW (view));
      gs_ui_test_wait_for_frames (GTK_WIDGET (view));
      gs_view_record_set_hook (NULL, NULL);

      for (guint b = 0; b < drawn->len; b++)
        {
          const GsViewRecord *box = g_ptr_array_index (drawn, b);

          if (box->kind != GS_VIEW_RECORD_BOX)
            continue;
          boxes++;
          for (guint i = 0; i < drawn->len; i++)
            {
              const GsViewRecord *text = g_ptr_array_index (drawn, i);
              graphene_point_t c;
              graphene_rect_t grown = box->rect;

              if (text->kind != GS_VIEW_RECORD_TEXT)
                continue;
              graphene_rect_get_center (&text->rect, &c);
              if (!graphene_rect_contains_point (&box->rect, &c))
                continue;
              graphene_rect_inset (&grown, -1.0f, -1.0f);
              if (text->rect.origin.x < grown.origin.x || text->rect.origin.y < grown.origin.y
                  || text->rect.origin.x + text->rect.size.width > grown.origin.x + grown.size.width
                  || text->rect.origin.y + text->rect.size.height > grown.origin.y + grown.size.height)
                g_error ("at %d px: \"%s\" (%g,%g %g×%g) runs past its chip (%g,%g %g×%g)", widths[w], text->text,
                         text->rect.origin.x, text->rect.origin.y, text->rect.size.width, text->rect.size.height,
                         box->rect.origin.x, box->rect.origin.y, box->rect.size.width, box->rect.size.height);
              inside++;
              if (g_strcmp0 (text->text, "<s>") == 0)
                {
                  graphene_rect_t r;

                  start_seen = TRUE;
                  /* the rectangle the window aims at is the chip drawn */
                  g_assert_true (gs_unrolled_view_get_input_rect (view, gs_snap_get (snap)->T_enc, &r));
                  g_assert_cmpfloat_with_epsilon (r.size.width, box->rect.size.width, 0.5);
                }
            }
        }
      g_test_message ("%d px: %u chips, %u labels inside them", widths[w], boxes, inside);
      g_assert_cmpuint (boxes, >=, 5);
      g_assert_true (start_seen);
      gtk_window_destroy (GTK_WINDOW (window));
      gs_stepper_free (st);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gs_ui_test_init (&argc, &argv);
  adw_init ();

  g_test_add_func ("/unrolled-greedy/against-teacher-forcing", test_greedy_against_teacher);
  g_test_add_func ("/unrolled-greedy/labels-in-chips", test_labels_in_chips);
  return g_test_run ();
}
