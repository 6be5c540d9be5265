/* test-cell-view.c — the cell diagram, rendered offscreen and checked pixel-wise.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trains hello for real, steps a fresh sequence by hand to t = 2 and checks
 * what a student sees in the cell view: every unit bar of the f and g gates
 * (and of c, h) has the colour of its value on the shared scale, the hover
 * text spells out the formula with the snapshot's numbers, the bars follow
 * the timestep, gradient mode colours by dL/d(pre-activation), and the GRU
 * and RNN diagrams have a box for each of their gates. With GS_TEST_PNG_DIR
 * set, every rendering is also saved there (LSTM, GRU, RNN; light and dark;
 * natural size and full HD) for a person to look at. Run it under Xvfb.
 */

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "gs-cell-view.h"
#include "gs-colormap.h"
#include "gs-snap.h"
#include "gs-train.h"
#include "gs-ui-test.h"

#define EPOCHS    30
#define TOLERANCE 3      /* per channel, of 255 */

/* The engine: trained hello models. */

static GsTrainer *lstm, *gru, *rnn, *relu;

/* The view's window, rendered offscreen with its own renderer as on screen;
 * saved as GS_TEST_PNG_DIR/name.png when that is set. */
static GsUiImage *
render (GtkWidget  *view,
        const char *name)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_native (view));
  graphene_rect_t bounds;

  gs_ui_test_flush_main_loop ();
  /* Widget and window coordinates agree: the view fills the window. */
  g_assert_true (gtk_widget_compute_bounds (view, window, &bounds));
  g_assert_cmpfloat (bounds.origin.x, ==, 0.0f);
  g_assert_cmpfloat (bounds.origin.y, ==, 0.0f);
  return gs_ui_test_render (window, name, 0);
}

/* Does the pixel at the centre of unit `unit` of box `box` have `expected`'s colour? */
static gboolean
unit_color_is (GsCellView      *view,
               const GsUiImage *image,
               char             box,
               int              unit,
               const GdkRGBA   *expected,
               gboolean         report)
{
  graphene_rect_t rect;
  int x, y, r, g, b;

  g_assert_true (gs_cell_view_get_unit_rect (view, box, unit, &rect));
  g_assert_cmpfloat (rect.size.width, >=, 2.0f);
  g_assert_cmpfloat (rect.size.height, >=, 2.0f);
  x = (int) (rect.origin.x + rect.size.width / 2);
  y = (int) (rect.origin.y + rect.size.height / 2);
  gs_ui_test_pixel (image, x, y, &r, &g, &b);
  if (gs_ui_test_is_color (image, x, y, expected, TOLERANCE))
    return TRUE;
  if (report)
    g_test_message ("box %c unit %d at (%d, %d): got #%02x%02x%02x, expected #%02x%02x%02x",
                  box, unit, x, y, r, g, b, (int) lround (expected->red * 255),
                  (int) lround (expected->green * 255), (int) lround (expected->blue * 255));
  return FALSE;
}

#define unit_has_color(view, image, box, unit, expected) \
  unit_color_is (view, image, box, unit, expected, TRUE)

/* Unit u of gate `gate` in the snapshot's (T, G*H) arrays at t. */
static int
gate_at (const GsSnapshot *s,
         int               t,
         char              gate,
         int               u)
{
  const char *row = strchr (s->gates, gate);

  g_assert_nonnull (row);
  return t * s->G * s->cfg.H + (int) (row - s->gates) * s->cfg.H + u;
}

static void
check_gate_colors (GsCellView       *view,
                   const GsUiImage  *image,
                   const GsSnapshot *s,
                   int               layer,
                   int               t,
                   char              gate,
                   gboolean          dark)
{
  for (int u = 0; u < s->cfg.H; u++)
    {
      GdkRGBA expected;

      gs_colormap_diverging (&expected, s->layer[layer].act[gate_at (s, t, gate, u)],
                             gs_color_range_for_gate (gate), dark);
      g_assert_true (unit_has_color (view, image, gate, u, &expected));
    }
}

/* The centre of a unit's bar, where the pointer would be. */
static char *
tooltip_at_unit (GsCellView *view,
                 char        box,
                 int         unit)
{
  graphene_rect_t rect;

  g_assert_true (gs_cell_view_get_unit_rect (view, box, unit, &rect));
  return gs_cell_view_get_tooltip_text_at (view, rect.origin.x + rect.size.width / 2,
                                           rect.origin.y + rect.size.height / 2);
}

/* The tests. */

/* LSTM at t = 2: f and g bars have their activations' colours, in light and
 * dark; c_t and h_t theirs; the hovered formulas carry the numbers. */
static void
test_lstm_forward (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, 3, 0);
  const GsSnapshot *s = gs_snap_get (snap);
  const GsSnapLayer *l = &s->layer[0];
  const int H = s->cfg.H, t = 2;
  GtkWidget *view = gs_cell_view_new ();
  GtkWidget *window;

  g_assert_cmpint (s->t_fwd, ==, 3);
  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), t);
  window = gs_ui_test_show_in_window (view, 720, 420, TRUE);

  for (int dark = 0; dark <= 1; dark++)
    {
      g_autoptr(GsUiImage) image = NULL;
      GsColorRange c_range = gs_color_range_symmetric (l->c, (gsize) s->T * H, 1.0f);
      GsColorRange c0 = gs_color_range_symmetric (l->c0, H, 1.0f);

      gs_ui_test_set_dark (dark);
      image = render (view, dark ? "cell-lstm-dark" : "cell-lstm-light");
      check_gate_colors (GS_CELL_VIEW (view), image, s, 0, t, 'f', dark);
      check_gate_colors (GS_CELL_VIEW (view), image, s, 0, t, 'g', dark);
      check_gate_colors (GS_CELL_VIEW (view), image, s, 0, t, 'o', dark);

      /* c on one symmetric range over every t (and c0), h on tanh's. */
      if (c0.hi > c_range.hi)
        c_range = c0;
      for (int u = 0; u < H; u++)
        {
          GdkRGBA c, c_prev, h;

          gs_colormap_diverging (&c, l->c[t * H + u], c_range, dark);
          gs_colormap_diverging (&c_prev, l->c[(t - 1) * H + u], c_range, dark);
          gs_colormap_diverging (&h, l->h[t * H + u], gs_color_range_for_gate ('g'), dark);
          g_assert_true (unit_has_color (GS_CELL_VIEW (view), image, GS_CELL_VIEW_C, u, &c));
          g_assert_true (unit_has_color (GS_CELL_VIEW (view), image, GS_CELL_VIEW_C_PREV, u, &c_prev));
          g_assert_true (unit_has_color (GS_CELL_VIEW (view), image, GS_CELL_VIEW_H, u, &h));
        }
    }
  gs_ui_test_set_dark (FALSE);

  /* The hover texts, numbers as the widget prints them (%.2f). */
  {
    const int u = MIN (3, H - 1);
    const char *sub = (const char *[]) { "₀", "₁", "₂", "₃" }[u];
    const float f = l->act[gate_at (s, t, 'f', u)], i = l->act[gate_at (s, t, 'i', u)];
    const float g = l->act[gate_at (s, t, 'g', u)], o = l->act[gate_at (s, t, 'o', u)];
    g_autofree char *text_f = tooltip_at_unit (GS_CELL_VIEW (view), 'f', u);
    g_autofree char *text_g = tooltip_at_unit (GS_CELL_VIEW (view), 'g', u);
    g_autofree char *text_c = tooltip_at_unit (GS_CELL_VIEW (view), GS_CELL_VIEW_C, u);
    g_autofree char *text_h = tooltip_at_unit (GS_CELL_VIEW (view), GS_CELL_VIEW_H, u);
    g_autofree char *want_f = g_strdup_printf ("f%s = σ(W_f·[h, x] + b_f) = σ(%.2f) = %.2f", sub,
                                               l->pre[gate_at (s, t, 'f', u)], f);
    g_autofree char *want_g = g_strdup_printf ("g%s = tanh(W_g·[h, x] + b_g) = tanh(%.2f) = %.2f",
                                               sub, l->pre[gate_at (s, t, 'g', u)], g);
    g_autofree char *want_c = g_strdup_printf ("c%s = f·c₋₁ + i·g = %.2f·%.2f + %.2f·%.2f = %.2f",
                                               sub, f, l->c[(t - 1) * H + u], i, g, l->c[t * H + u]);
    g_autofree char *want_h = g_strdup_printf ("h%s = o·tanh(c) = %.2f·tanh(%.2f) = %.2f", sub, o,
                                               l->c[t * H + u], l->h[t * H + u]);

    g_autofree char *want_f_note = g_strdup_printf ("%s\n%s", want_f, gs_cell_view_convention_forget ());

    /* f says how TensorFlow's forget_bias differs from PyTorch's two biases. */
    g_assert_cmpstr (text_f, ==, want_f_note);
    g_assert_nonnull (strstr (text_f, "forget_bias"));
    g_assert_cmpstr (text_g, ==, want_g);
    g_assert_cmpstr (text_c, ==, want_c);
    g_assert_cmpstr (text_h, ==, want_h);
    /* The numbers are right, not just printed alike: c = f·c₋₁ + i·g. */
    g_assert_cmpfloat (fabsf (f * l->c[(t - 1) * H + u] + i * g - l->c[t * H + u]), <, 1e-5f);

    /* Between boxes there is nothing to explain. */
    g_assert_null (gs_cell_view_get_tooltip_text_at (GS_CELL_VIEW (view), 2, 2));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The view's pointer tracker, to hover without a pointer. */
static GtkEventController *
motion_controller (GtkWidget *view)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
        return c;   /* the widget keeps its own reference */
    }
  g_assert_not_reached ();
}

/* Luminance 0…1 of the pixel just above unit `unit` of box `box`: in the
 * box's padding, where the hover mark is drawn. */
static double
above_unit (GsCellView      *view,
            const GsUiImage *image,
            char             box,
            int              unit)
{
  graphene_rect_t rect;
  const guchar *p;
  int x, y;

  g_assert_true (gs_cell_view_get_unit_rect (view, box, unit, &rect));
  x = (int) (rect.origin.x + rect.size.width / 2);
  y = (int) rect.origin.y - 1;
  p = image->data + (gsize) y * image->stride + (gsize) x * 4;
  return (0.114 * p[0] + 0.587 * p[1] + 0.299 * p[2]) / 255.0;
}

/* Hovering unit 3 of f marks unit 3 in every box, and only there. */
static void
test_lstm_hover (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, 3, 0);
  GtkWidget *view = gs_cell_view_new ();
  GtkWidget *window;
  GtkEventController *motion;
  graphene_rect_t rect;
  const char *boxes = "figoCcHh";

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), 2);
  window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
  gs_ui_test_set_dark (FALSE);
  motion = motion_controller (view);

  {
    g_autoptr(GsUiImage) before = render (view, NULL);

    for (const char *b = boxes; *b != '\0'; b++)
      g_assert_cmpfloat (above_unit (GS_CELL_VIEW (view), before, *b, 3), >, 0.7);
  }

  g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'f', 3, &rect));
  g_signal_emit_by_name (motion, "motion", (double) rect.origin.x + 1, (double) rect.origin.y + 1);
  {
    g_autoptr(GsUiImage) hovered = render (view, "cell-lstm-hover-light");

    for (const char *b = boxes; *b != '\0'; b++)
      {
        g_assert_cmpfloat (above_unit (GS_CELL_VIEW (view), hovered, *b, 3), <, 0.4);
        g_assert_cmpfloat (above_unit (GS_CELL_VIEW (view), hovered, *b, 1), >, 0.7);
      }
  }

  g_signal_emit_by_name (motion, "leave");
  {
    g_autoptr(GsUiImage) after = render (view, NULL);

    g_assert_cmpfloat (above_unit (GS_CELL_VIEW (view), after, 'g', 3), >, 0.7);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Values a hair below zero (a forget gate's input, a cell state, a
 * hidden state) read "0.00" in the hover formulas, never "-0.00". */
static void
test_lstm_negative_zero (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, 3, 0);
  GsSnapshot *s = (GsSnapshot *) gs_snap_get (snap);   /* ours alone: edited before any view sees it */
  const int H = s->cfg.H, GH = s->G * H, t = 2, u = 1;
  const int f = (int) (strchr (s->gates, 'f') - s->gates);
  GtkWidget *view = gs_cell_view_new ();
  GtkWidget *window;
  static const char boxes[] = { 'f', GS_CELL_VIEW_C, GS_CELL_VIEW_H };

  for (int k = 0; k < s->cfg.L; k++)
    {
      GsSnapLayer *l = &s->layer[k];

      l->pre[t * GH + f * H + u] = -0.0004f;
      l->act[t * GH + f * H + u] = 0.4999f;
      l->c[t * H + u] = -0.001f;
      l->h[t * s->P + u] = -0.0002f;
    }
  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), t);
  window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (boxes); i++)
    {
      g_autofree char *tip = tooltip_at_unit (GS_CELL_VIEW (view), boxes[i], u);

      g_assert_nonnull (tip);
      g_test_message ("%s", tip);
      g_assert_null (strstr (tip, "-0.00"));
      g_assert_nonnull (strstr (tip, "0.00"));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The sums of the pinned formula's pre-activation line add up to the
 * value the network computed ("pre-activation = a + b + c = d"). */
static void
assert_terms_add_up (const char *text)
{
  const char *line = strstr (text, "pre-activation = ");
  double a, b, c, d;

  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "pre-activation = %lf + %lf + %lf = %lf", &a, &b, &c, &d), ==, 4);
  g_assert_cmpfloat (fabs (a + b + c - d), <, 2e-3);
}

/* A click on a unit pins a popover to it with the unit's computation term
 * by term (W·x, W·h₋₁, the biases, the pre-activation, the activation),
 * whose sums add up to what the network computed, in the views' type size
 * at the view's scale; for LSTM, GRU and RNN gates. Where the terms cannot
 * be split (a GRU's n, the c and h boxes) the formula is pinned instead. A
 * click off every unit closes it. */
static void
test_formula_popover (void)
{
  GsTrainer *trainers[] = { lstm, gru, rnn, relu };

  for (guint i = 0; i < G_N_ELEMENTS (trainers); i++)
    {
      g_autoptr(GsSnap) snap = gs_ui_test_step_to (trainers[i], 3, 0);
      const GsSnapshot *s = gs_snap_get (snap);
      GtkWidget *view = gs_cell_view_new ();
      GtkWidget *window;
      graphene_rect_t rect;
      GtkPopover *popover = NULL;
      PangoAttrList *attrs;
      g_autofree char *sizes = NULL;

      gs_view_set_snap (GS_VIEW (view), snap);
      gs_view_set_timestep (GS_VIEW (view), 2);
      window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
      g_assert_null (gs_cell_view_get_formula_popover (GS_CELL_VIEW (view)));
      for (const char *g = s->gates; *g != '\0'; g++)
        {
          const char *text;

          g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), *g, 1, &rect));
          g_assert_true (gs_cell_view_pin_formula_at (GS_CELL_VIEW (view), rect.origin.x + rect.size.width / 2,
                                                      rect.origin.y + rect.size.height / 2));
          popover = gs_cell_view_get_formula_popover (GS_CELL_VIEW (view));
          g_assert_nonnull (popover);
          g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
          text = gs_cell_view_get_formula_text (GS_CELL_VIEW (view));
          g_test_message ("%s", text);
          if (s->cfg.cell == GS_CELL_GRU && *g == 'n')
            {
              g_assert_null (strstr (text, "term by term"));
              g_assert_nonnull (strstr (text, "tanh"));
              continue;
            }
          g_assert_nonnull (strstr (text, "term by term"));
          g_assert_nonnull (strstr (text, "·x = "));
          g_assert_nonnull (strstr (text, "·h₋₁ = "));
          g_assert_null (strstr (text, "-0.00"));
          assert_terms_add_up (text);
        }
      /* The type size: the views' 14 px at the view's scale. */
      attrs = gtk_label_get_attributes (GTK_LABEL (gtk_popover_get_child (popover)));
      g_assert_nonnull (attrs);
      sizes = pango_attr_list_to_string (attrs);
      {
        g_autofree char *want = g_strdup_printf ("absolute-size %d",
                                                 (int) (14.0 * gs_view_get_scale (view) * PANGO_SCALE));
        g_assert_nonnull (strstr (sizes, want));
      }
      /* Pinned: another timestep shows that timestep's computation. */
      g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), s->gates[0], 1, &rect));
      g_assert_true (gs_cell_view_pin_formula_at (GS_CELL_VIEW (view), rect.origin.x + rect.size.width / 2,
                                                  rect.origin.y + rect.size.height / 2));
      g_assert_nonnull (strstr (gs_cell_view_get_formula_text (GS_CELL_VIEW (view)), "at t = 2"));
      gs_view_set_timestep (GS_VIEW (view), 1);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
      g_assert_nonnull (strstr (gs_cell_view_get_formula_text (GS_CELL_VIEW (view)), "at t = 1"));
      assert_terms_add_up (gs_cell_view_get_formula_text (GS_CELL_VIEW (view)));
      gs_view_set_timestep (GS_VIEW (view), 2);
      /* The h box: its formula. */
      g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), GS_CELL_VIEW_H, 0, &rect));
      g_assert_true (gs_cell_view_pin_formula_at (GS_CELL_VIEW (view), rect.origin.x + rect.size.width / 2,
                                                  rect.origin.y + rect.size.height / 2));
      g_assert_nonnull (strstr (gs_cell_view_get_formula_text (GS_CELL_VIEW (view)), " = "));
      /* Off every unit: closed. */
      g_assert_false (gs_cell_view_pin_formula_at (GS_CELL_VIEW (view), 1, 1));
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* Moving the timestep moves the colours; a timestep not computed yet draws
 * the empty state. */
static void
test_lstm_timestep (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, 3, 0);
  const GsSnapshot *s = gs_snap_get (snap);
  GtkWidget *view = gs_cell_view_new ();
  GtkWidget *window;
  g_autoptr(GsUiImage) at2 = NULL;
  g_autoptr(GsUiImage) at1 = NULL;
  graphene_rect_t rect;
  int changed = 0;

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), 2);
  window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
  gs_ui_test_set_dark (FALSE);
  at2 = render (view, NULL);

  gs_view_set_timestep (GS_VIEW (view), 1);
  g_assert_cmpint (gs_view_get_timestep (GS_VIEW (view)), ==, 1);
  at1 = render (view, NULL);
  check_gate_colors (GS_CELL_VIEW (view), at1, s, 0, 1, 'f', FALSE);
  check_gate_colors (GS_CELL_VIEW (view), at1, s, 0, 1, 'g', FALSE);

  /* And the pixels did move: the input character changed from 'e' to 'l'. */
  for (int u = 0; u < s->cfg.H; u++)
    {
      GdkRGBA was;

      gs_colormap_diverging (&was, s->layer[0].act[gate_at (s, 2, 'g', u)],
                             gs_color_range_for_gate ('g'), FALSE);
      if (!unit_color_is (GS_CELL_VIEW (view), at1, 'g', u, &was, FALSE))
        changed++;
    }
  g_assert_cmpint (changed, >, 0);

  /* t = 3 has not been computed: no bars, no formulas. */
  gs_view_set_timestep (GS_VIEW (view), 3);
  g_assert_false (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'f', 0, &rect));
  g_assert_null (gs_cell_view_get_tooltip_text_at (GS_CELL_VIEW (view), 360, 200));
  g_autoptr(GsUiImage) empty = render (view, "cell-lstm-empty");
  (void) empty;

  /* Layer 2 of the stack is drawn too, from its own values. */
  gs_view_set_timestep (GS_VIEW (view), 2);
  gs_view_set_layer (GS_VIEW (view), 1);
  {
    g_autoptr(GsUiImage) top = render (view, "cell-lstm-layer2-light");

    check_gate_colors (GS_CELL_VIEW (view), top, s, 1, 2, 'i', FALSE);
    check_gate_colors (GS_CELL_VIEW (view), top, s, 1, 2, 'f', FALSE);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* After backward has reached t, show-gradients colours the gates by
 * dL/d(pre-activation), on a symmetric range over the layer's dpre at every
 * t, and c_t, h_t by dL/dc_t, dL/dh_t on one over the layer's dc and dh. */
static void
test_lstm_gradients (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, G_MAXINT, 2);
  const GsSnapshot *s = gs_snap_get (snap);
  const GsSnapLayer *l = &s->layer[0];
  const int H = s->cfg.H, t = 2;
  const gsize T = s->T;
  GsColorRange range = gs_color_range_symmetric (l->dpre, T * s->G * H, 1e-6f);
  GsColorRange states = gs_color_range_symmetric (l->dh, T * H, 1e-6f);
  GsColorRange a;
  GtkWidget *view = gs_cell_view_new ();
  GtkWidget *window;

  g_assert_cmpint (s->t_bwd, ==, 2);
  a = gs_color_range_symmetric (l->dc, T * H, 1e-6f);
  if (a.hi > states.hi)
    states = a;
  g_assert_cmpfloat (range.hi, >, 1e-6f);
  g_assert_cmpfloat (states.hi, >, 1e-6f);

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), t);
  gs_cell_view_set_show_gradients (GS_CELL_VIEW (view), TRUE);
  window = gs_ui_test_show_in_window (view, 720, 420, TRUE);

  for (int dark = 0; dark <= 1; dark++)
    {
      g_autoptr(GsUiImage) image = NULL;

      gs_ui_test_set_dark (dark);
      image = render (view, dark ? "cell-lstm-grad-dark" : "cell-lstm-grad-light");
      for (const char *gate = "fg"; *gate != '\0'; gate++)
        for (int u = 0; u < H; u++)
          {
            GdkRGBA expected;

            gs_colormap_diverging (&expected, l->dpre[gate_at (s, t, *gate, u)], range, dark);
            g_assert_true (unit_has_color (GS_CELL_VIEW (view), image, *gate, u, &expected));
          }
      for (int u = 0; u < H; u++)
        {
          GdkRGBA dc, dh;

          gs_colormap_diverging (&dc, l->dc[t * H + u], states, dark);
          gs_colormap_diverging (&dh, l->dh[t * H + u], states, dark);
          g_assert_true (unit_has_color (GS_CELL_VIEW (view), image, GS_CELL_VIEW_C, u, &dc));
          g_assert_true (unit_has_color (GS_CELL_VIEW (view), image, GS_CELL_VIEW_H, u, &dh));
        }
    }
  gs_ui_test_set_dark (FALSE);

  {
    g_autofree char *text = tooltip_at_unit (GS_CELL_VIEW (view), 'f', 1);
    g_autofree char *want = g_strdup_printf ("∂L/∂f₁ = %.3g (before σ)", l->dpre[gate_at (s, t, 'f', 1)]);
    g_autofree char *text_c = tooltip_at_unit (GS_CELL_VIEW (view), GS_CELL_VIEW_C, 1);
    g_autofree char *want_c = g_strdup_printf ("∂L/∂c₁ = %.3g", l->dc[t * H + 1]);

    g_assert_cmpstr (text, ==, want);
    g_assert_cmpstr (text_c, ==, want_c);
  }

  /* Before backward reaches t, the forward values stay on screen. */
  gs_view_set_timestep (GS_VIEW (view), 1);
  {
    g_autoptr(GsUiImage) image = render (view, NULL);

    check_gate_colors (GS_CELL_VIEW (view), image, s, 0, 1, 'f', FALSE);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The GRU and both RNNs: a box per gate letter, coloured by its value;
 * the GRU's n and h formulas with r, hn and z filled in. */
static void
test_other_cells (void)
{
  struct { GsTrainer **tr; const char *name; } cells[] = {
    { &gru, "gru" }, { &rnn, "rnn" }, { &relu, "relu" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    {
      g_autoptr(GsSnap) snap = gs_ui_test_step_to (*cells[c].tr, 3, 0);
      const GsSnapshot *s = gs_snap_get (snap);
      const GsSnapLayer *l = &s->layer[0];
      const int H = s->cfg.H, t = 2;
      GtkWidget *view = gs_cell_view_new ();
      GtkWidget *window;
      graphene_rect_t rect;

      gs_view_set_snap (GS_VIEW (view), snap);
      gs_view_set_timestep (GS_VIEW (view), t);
      window = gs_ui_test_show_in_window (view, 720, 420, TRUE);

      for (int dark = 0; dark <= 1; dark++)
        {
          g_autofree char *name = g_strdup_printf ("cell-%s-%s", cells[c].name, dark ? "dark" : "light");
          g_autoptr(GsUiImage) image = NULL;

          gs_ui_test_set_dark (dark);
          image = render (view, name);
          for (const char *gate = s->gates; *gate != '\0'; gate++)
            {
              GsColorRange range = gs_color_range_for_gate (*gate);

              if (s->cfg.cell == GS_CELL_RNN_RELU)
                range = gs_color_range_symmetric (l->h, (gsize) s->T * H, 1.0f);
              for (int u = 0; u < H; u++)
                {
                  GdkRGBA expected;

                  gs_colormap_diverging (&expected, l->act[gate_at (s, t, *gate, u)], range, dark);
                  g_assert_true (unit_has_color (GS_CELL_VIEW (view), image, *gate, u, &expected));
                }
            }
        }
      gs_ui_test_set_dark (FALSE);
      g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), GS_CELL_VIEW_H_PREV, 0, &rect));
      g_assert_false (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), GS_CELL_VIEW_C, 0, &rect));

      if (s->cfg.cell == GS_CELL_GRU)
        {
          const int u = 2;
          const float r = l->act[gate_at (s, t, 'r', u)], z = l->act[gate_at (s, t, 'z', u)];
          const float n = l->act[gate_at (s, t, 'n', u)], hn = l->hn[t * H + u];
          const float pre = l->pre[gate_at (s, t, 'n', u)];
          g_autofree char *text_n = tooltip_at_unit (GS_CELL_VIEW (view), 'n', u);
          g_autofree char *text_h = tooltip_at_unit (GS_CELL_VIEW (view), GS_CELL_VIEW_H, u);
          g_autofree char *want_n = g_strdup_printf ("n₂ = tanh(W_in x + b_in + r·(W_hn h + b_hn)) = "
                                                     "tanh(%.2f + %.2f·%.2f) = tanh(%.2f) = %.2f",
                                                     pre - r * hn, r, hn, pre, n);
          g_autofree char *want_h = g_strdup_printf ("h₂ = (1 − z)·n + z·h₋₁ = (1 − %.2f)·%.2f + %.2f·%.2f = %.2f",
                                                     z, n, z, l->h[(t - 1) * H + u], l->h[t * H + u]);

          g_autofree char *want_n_note = g_strdup_printf ("%s\n%s", want_n, gs_cell_view_convention_gru_n (FALSE));
          g_autofree char *want_h_note = g_strdup_printf ("%s\n%s", want_h, gs_cell_view_convention_gru_h ());

          /* The formula, then which convention it is written in. */
          g_assert_cmpstr (text_n, ==, want_n_note);
          g_assert_cmpstr (text_h, ==, want_h_note);
          g_assert_nonnull (strstr (text_h, "colah"));
          g_assert_nonnull (strstr (text_n, "reset_after=True"));
          g_assert_cmpfloat (fabsf ((1 - z) * n + z * l->h[(t - 1) * H + u] - l->h[t * H + u]), <, 1e-5f);
        }
      else
        {
          g_autofree char *text = tooltip_at_unit (GS_CELL_VIEW (view), 'h', 0);
          g_autofree char *want = g_strdup_printf (s->cfg.cell == GS_CELL_RNN_RELU
                                                   ? "h₀ = ReLU(W_ih x + b_ih + W_hh h + b_hh) = ReLU(%.2f) = %.2f"
                                                   : "h₀ = tanh(W_ih x + b_ih + W_hh h + b_hh) = tanh(%.2f) = %.2f",
                                                   l->pre[gate_at (s, t, 'h', 0)], l->act[gate_at (s, t, 'h', 0)]);

          g_assert_cmpstr (text, ==, want);
        }

      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* Big hidden sizes wrap into a grid of units that stays legible, and the
 * diagram grows with the window up to a projector's full HD. */
static void
test_sizes (void)
{
  GsTrainer *wide = gs_ui_test_train_hello (GS_CELL_LSTM, 64, EPOCHS);
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (wide, 3, 0);
  g_autoptr(GsSnap) small = gs_ui_test_step_to (lstm, 3, 0);
  const GsSnapshot *s = gs_snap_get (snap);
  GtkWidget *view = gs_cell_view_new ();
  GtkWidget *window;
  graphene_rect_t rect, at_720;
  int big_w, big_h;

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), 2);
  window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
  gs_ui_test_set_dark (FALSE);
  {
    g_autoptr(GsUiImage) image = render (view, "cell-lstm-h64-light");

    check_gate_colors (GS_CELL_VIEW (view), image, s, 0, 2, 'f', FALSE);
    check_gate_colors (GS_CELL_VIEW (view), image, s, 0, 2, 'g', FALSE);
    g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'f', 63, &rect));
    g_assert_cmpfloat (rect.size.width, >=, 3.0f);
    g_assert_cmpfloat (rect.size.height, >=, 8.0f);
    g_assert_false (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'f', 64, &rect));
  }
  gtk_window_destroy (GTK_WINDOW (window));

  /* Full HD, as on a projector: everything scales up, colours stay right. */
  view = gs_cell_view_new ();
  gs_view_set_snap (GS_VIEW (view), small);
  gs_view_set_timestep (GS_VIEW (view), 2);
  window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
  g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'g', 0, &at_720));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Full HD when the display has room for it (xvfb-run's default screen is
   * 1280 × 1024), else 1280 × 720. */
  {
    GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
    GdkRectangle geometry = { 0, 0, 1280, 720 };

    if (monitor != NULL)
      gdk_monitor_get_geometry (monitor, &geometry);
    big_w = geometry.width >= 1920 && geometry.height >= 1080 ? 1920 : 1280;
    big_h = big_w == 1920 ? 1080 : 720;
  }
  view = gs_cell_view_new ();
  gs_view_set_snap (GS_VIEW (view), small);
  gs_view_set_timestep (GS_VIEW (view), 2);
  window = gs_ui_test_show_in_window (view, big_w, big_h, TRUE);
  for (int dark = 0; dark <= 1; dark++)
    {
      g_autoptr(GsUiImage) image = NULL;

      gs_ui_test_set_dark (dark);
      image = render (view, dark ? "cell-lstm-big-dark" : "cell-lstm-big-light");
      check_gate_colors (GS_CELL_VIEW (view), image, gs_snap_get (small), 0, 2, 'g', dark);
    }
  gs_ui_test_set_dark (FALSE);
  g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'g', 0, &rect));
  g_assert_cmpfloat (rect.size.height, >, 1.5f * at_720.size.height);
  gtk_window_destroy (GTK_WINDOW (window));

  gs_trainer_free (wide);
}

/* The variants (issue 7): what each one changes is drawn. */

static GsTrainer *
train_variant (GsCell           cell,
               const GsVariant *variant)
{
  GsTrainConfig cfg;
  GsError err;
  GsTrainer *tr;

  gs_train_config_default (&cfg);
  cfg.cell = cell;
  cfg.H = 4;
  cfg.variant = *variant;
  tr = gs_trainer_new (&cfg, &err);
  if (tr == NULL)
    g_error ("gs_trainer_new: %s", err.msg);
  for (int e = 0; e < 3; e++)
    if (gs_trainer_step (tr, &err) != GS_OK)
      g_error ("gs_trainer_step: %s", err.msg);
  return tr;
}

/* Pixels of about `color` in the square of half-size r around p. */
static int
count_near (const GsUiImage        *image,
            const graphene_point_t *p,
            int                     r,
            const GdkRGBA          *color)
{
  int n = 0;

  for (int y = (int) p->y - r; y <= (int) p->y + r; y++)
    for (int x = (int) p->x - r; x <= (int) p->x + r; x++)
      {
        const guchar *q;

        if (x < 0 || y < 0 || x >= image->width || y >= image->height)
          continue;
        q = image->data + (gsize) y * image->stride + (gsize) x * 4;
        n += abs (q[2] - (int) lround (color->red * 255)) <= 12 &&
             abs (q[1] - (int) lround (color->green * 255)) <= 12 &&
             abs (q[0] - (int) lround (color->blue * 255)) <= 12;
      }
  return n;
}

static void
test_variants (void)
{
  graphene_rect_t rect;
  graphene_point_t p;
  GdkRGBA color;

  /* CIFG: one i gate, no f box; the c tooltip says (1 − i). */
  {
    GsTrainer *tr = train_variant (GS_CELL_LSTM, &(GsVariant) { .cifg = true });
    g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, 3, tr->model->T);
    GtkWidget *view = gs_cell_view_new ();
    GtkWidget *window;
    g_autofree char *tip = NULL;

    g_object_set (view, "snap", snap, "timestep", 2, NULL);
    window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
    for (int dark = 0; dark <= 1; dark++)
      {
        g_autoptr(GsUiImage) image = NULL;

        gs_ui_test_set_dark (dark);
        image = render (view, dark ? "cell-cifg-dark" : "cell-cifg-light");
        g_assert_false (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'f', 0, &rect));
        g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'i', 0, &rect));
        g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), GS_CELL_VIEW_C, 0, &rect));
        tip = gs_cell_view_get_tooltip_text_at (GS_CELL_VIEW (view), rect.origin.x + rect.size.width / 2,
                                                rect.origin.y + rect.size.height / 2);
        g_assert_nonnull (tip);
        g_assert_nonnull (strstr (tip, "(1 − i)"));
        g_clear_pointer (&tip, g_free);
        /* No peephole wires without peepholes. */
        g_assert_false (gs_cell_view_get_peephole_point (GS_CELL_VIEW (view), 'i', &p, &color));
      }
    gs_ui_test_set_dark (FALSE);
    gtk_window_destroy (GTK_WINDOW (window));
    gs_trainer_free (tr);
  }

  /* No forget gate: no f box either. */
  {
    GsTrainer *tr = train_variant (GS_CELL_LSTM, &(GsVariant) { .no_forget_gate = true });
    g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, 3, tr->model->T);
    GtkWidget *view = gs_cell_view_new ();
    GtkWidget *window;
    g_autoptr(GsUiImage) image = NULL;

    g_object_set (view, "snap", snap, "timestep", 2, NULL);
    window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
    image = render (view, "cell-no-forget");
    g_assert_false (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'f', 0, &rect));
    g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'i', 3, &rect));
    gtk_window_destroy (GTK_WINDOW (window));
    gs_trainer_free (tr);
  }

  /* Peepholes: wires in the belt colour into f, i and o; the f formula has w_cf. */
  {
    GsTrainer *tr = train_variant (GS_CELL_LSTM, &(GsVariant) { .peephole = true });
    g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, 3, tr->model->T);
    GtkWidget *view = gs_cell_view_new ();
    GtkWidget *window;

    g_object_set (view, "snap", snap, "timestep", 2, NULL);
    window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
    for (int dark = 0; dark <= 1; dark++)
      {
        g_autoptr(GsUiImage) image = NULL;
        g_autofree char *tip = NULL;

        gs_ui_test_set_dark (dark);
        image = render (view, dark ? "cell-peephole-dark" : "cell-peephole-light");
        for (const char *g = "fio"; *g != '\0'; g++)
          {
            g_assert_true (gs_cell_view_get_peephole_point (GS_CELL_VIEW (view), *g, &p, &color));
            g_assert_cmpint (count_near (image, &p, 2, &color), >=, 3);
          }
        g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'f', 1, &rect));
        tip = gs_cell_view_get_tooltip_text_at (GS_CELL_VIEW (view), rect.origin.x + rect.size.width / 2,
                                                rect.origin.y + rect.size.height / 2);
        g_assert_nonnull (tip);
        g_assert_nonnull (strstr (tip, "w_cf"));
      }
    gs_ui_test_set_dark (FALSE);
    gtk_window_destroy (GTK_WINDOW (window));
    gs_trainer_free (tr);
  }

  /* Projection: m_t with H units, then h_t with P; the h colours are h's. */
  {
    GsTrainer *tr = train_variant (GS_CELL_LSTM, &(GsVariant) { .proj = 2 });
    g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, 3, tr->model->T);
    const GsSnapshot *s = gs_snap_get (snap);
    GtkWidget *view = gs_cell_view_new ();
    GtkWidget *window;
    g_autoptr(GsUiImage) image = NULL;
    graphene_rect_t m_rect;

    g_assert_cmpint (s->P, ==, 2);
    g_object_set (view, "snap", snap, "timestep", 2, NULL);
    window = gs_ui_test_show_in_window (view, 880, 420, TRUE);
    image = render (view, "cell-proj");
    g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), GS_CELL_VIEW_M, 3, &m_rect));
    g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), GS_CELL_VIEW_H, 1, &rect));
    g_assert_false (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), GS_CELL_VIEW_H, 2, &rect));
    g_assert_cmpfloat (rect.origin.x, >, m_rect.origin.x);
    for (int u = 0; u < 4; u++)
      {
        GdkRGBA expected;

        gs_colormap_diverging (&expected, s->layer[0].m[2 * 4 + u], gs_color_range_for_gate ('g'), FALSE);
        g_assert_true (unit_has_color (GS_CELL_VIEW (view), image, GS_CELL_VIEW_M, u, &expected));
      }
    gtk_window_destroy (GTK_WINDOW (window));
    gs_trainer_free (tr);
  }

  /* GRU reset-before: the r ⊙ h strip. */
  {
    GsTrainer *tr = train_variant (GS_CELL_GRU, &(GsVariant) { .gru_reset_before = true });
    g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, 3, tr->model->T);
    GtkWidget *view = gs_cell_view_new ();
    GtkWidget *window;
    g_autoptr(GsUiImage) image = NULL;

    g_object_set (view, "snap", snap, "timestep", 2, NULL);
    window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
    image = render (view, "cell-gru-reset-before");
    g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), GS_CELL_VIEW_RH, 3, &rect));
    gtk_window_destroy (GTK_WINDOW (window));
    gs_trainer_free (tr);
  }

  /* Bidirectional: the reverse direction shows rev[]'s values, h_{t+1} on the left. */
  {
    GsTrainer *tr = train_variant (GS_CELL_LSTM, &(GsVariant) { .bidirectional = true });
    g_autoptr(GsSnap) snap = gs_ui_test_step_to (tr, 1, tr->model->T);
    const GsSnapshot *s = gs_snap_get (snap);
    GtkWidget *view = gs_cell_view_new ();
    GtkWidget *window;
    g_autoptr(GsUiImage) image = NULL;
    const int t = 3, H = s->cfg.H;

    g_assert_cmpint (s->D, ==, 2);
    g_object_set (view, "snap", snap, "timestep", t, "direction", 1, "layer", 0, NULL);
    window = gs_ui_test_show_in_window (view, 720, 420, TRUE);
    image = render (view, "cell-bidir-reverse");
    for (int u = 0; u < H; u++)
      {
        GdkRGBA expected;

        gs_colormap_diverging (&expected, s->rev[0].h[(t + 1) * s->P + u], gs_color_range_for_gate ('g'), FALSE);
        g_assert_true (unit_has_color (GS_CELL_VIEW (view), image, GS_CELL_VIEW_H_PREV, u, &expected));
      }
    /* The top layer's forward direction at t = 3 is not computed yet
     * after one step; a layer below it is, whole (the snapshot's rule). */
    g_object_set (view, "direction", 0, "layer", s->cfg.L - 1, NULL);
    g_assert_false (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'i', 0, &rect));
    if (s->cfg.L > 1)
      {
        g_object_set (view, "layer", 0, NULL);
        g_assert_true (gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), 'i', 0, &rect));
      }
    gtk_window_destroy (GTK_WINDOW (window));
    gs_trainer_free (tr);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gs_ui_test_init (&argc, &argv);
  adw_init ();

  lstm = gs_ui_test_train_hello (GS_CELL_LSTM, 8, EPOCHS);
  gru = gs_ui_test_train_hello (GS_CELL_GRU, 8, EPOCHS);
  rnn = gs_ui_test_train_hello (GS_CELL_RNN_TANH, 8, EPOCHS);
  relu = gs_ui_test_train_hello (GS_CELL_RNN_RELU, 8, EPOCHS);

  g_test_add_func ("/cell-view/lstm/forward", test_lstm_forward);
  g_test_add_func ("/cell-view/lstm/timestep", test_lstm_timestep);
  g_test_add_func ("/cell-view/lstm/hover", test_lstm_hover);
  g_test_add_func ("/cell-view/lstm/negative-zero", test_lstm_negative_zero);
  g_test_add_func ("/cell-view/formula-popover", test_formula_popover);
  g_test_add_func ("/cell-view/lstm/gradients", test_lstm_gradients);
  g_test_add_func ("/cell-view/other-cells", test_other_cells);
  g_test_add_func ("/cell-view/sizes", test_sizes);
  g_test_add_func ("/cell-view/variants", test_variants);

  status = g_test_run ();

  gs_trainer_free (lstm);
  gs_trainer_free (gru);
  gs_trainer_free (rnn);
  gs_trainer_free (relu);
  return status;
}
