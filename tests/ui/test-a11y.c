/* test-a11y.c — the drawing views to assistive technologies and the keyboard.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Read back through GTK's accessible properties
 * (gtk_test_accessible_check_property): every view has the image role, a
 * name, and a description of what it shows at the current timestep and
 * layer, with the numbers of the snapshot it draws (recomputed here from
 * the snapshot); the description follows the timestep and a new snapshot,
 * coalesced to one update per GS_VIEW_DESCRIBE_MS. Every view is focusable,
 * with the class the focus ring's style uses, and its ← → Home End
 * bindings ask for the previous, next, first and last timestep through
 * "timestep-activated", as a click does.
 */

#include <string.h>

#include <glib/gi18n.h>

#include "gs-cell-view.h"
#include "gs-gradient-view.h"
#include "gs-heatmap.h"
#include "gs-loss-plot.h"
#include "gs-prediction-bars.h"
#include "gs-series-plot.h"
#include "gs-ui-test.h"
#include "gs-unrolled-view.h"
#include "gs-view-text.h"

static GsTrainer *hello;   /* an LSTM trained on hello */

static GtkWidget *
new_view (int i)
{
  switch (i)
    {
    case 0: return gs_cell_view_new ();
    case 1: return gs_unrolled_view_new ();
    case 2: return gs_heatmap_new ("f");
    case 3: return gs_prediction_bars_new ();
    case 4: return gs_gradient_view_new ();
    case 5: return gs_series_plot_new ();
    default: g_assert_not_reached ();
    }
}
#define N_VIEWS 6

/* The description must be exactly `expected`. */
static void
assert_description (GtkWidget  *view,
                    const char *expected)
{
  g_autofree char *error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                               GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                               expected);
  if (error != NULL)
    g_error ("%s: %s", G_OBJECT_TYPE_NAME (view), error);
}

/* "mean 0.73, highest unit 5 at 0.98", computed here. */
static char *
summary (const float *v,
         int          n)
{
  double sum = 0.0;
  int best = 0;

  for (int u = 0; u < n; u++)
    {
      sum += v[u];
      best = v[u] > v[best] ? u : best;
    }
  return g_strdup_printf ("mean %.2f, highest unit %d at %.2f", sum / n, best, (double) v[best]);
}

static void
test_role_name_focus (void)
{
  for (int i = 0; i < N_VIEWS; i++)
    {
      GtkWidget *view = g_object_ref_sink (new_view (i));

      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_ROLE_IMG);
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("%s has no accessible name", G_OBJECT_TYPE_NAME (view));
      g_assert_true (gtk_widget_get_focusable (view));
      g_assert_true (gtk_widget_has_css_class (view, "gs-view"));
      g_object_unref (view);
    }
}

/* The cell diagram at t = 2 of a trained LSTM: every gate, c, h, the
 * prediction; then t = 0, then a timestep the forward pass has not reached. */
static void
test_cell_description (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (hello, 3, 5);
  const GsSnapshot *s = gs_snap_get (snap);
  GtkWidget *view = g_object_ref_sink (gs_cell_view_new ());
  const int H = s->cfg.H, G = s->G;
  const GsSnapLayer *l = &s->layer[1];
  static const char *const names[] = { "input gate i", "forget gate f", "candidate g", "output gate o" };
  g_autoptr(GString) expected = g_string_new ("LSTM, layer 2, t = 2: ");
  const float *p = s->probs + 2 * s->cfg.O;
  int best = 0;

  g_assert_cmpstr (s->gates, ==, "ifgo");
  for (int g = 0; g < G; g++)
    {
      g_autofree char *sum = summary (l->act + 2 * G * H + g * H, H);
      g_string_append_printf (expected, "%s%s %s", g > 0 ? "; " : "", names[g], sum);
    }
  {
    g_autofree char *c = summary (l->c + 2 * H, H);
    g_autofree char *h = summary (l->h + 2 * H, H);
    g_string_append_printf (expected, "; cell state c %s; hidden state h %s", c, h);
  }
  for (int o = 1; o < s->cfg.O; o++)
    best = p[o] > p[best] ? o : best;
  /* hello → ohlol: t = 2 reads "l", the target is "l"; trained, it is right. */
  g_assert_cmpstr (gs_view_output_label (s, s->targets[2]), ==, "l");
  g_assert_cmpint (best, ==, s->targets[2]);
  g_string_append_printf (expected, "; prediction l %.2f, right", (double) p[best]);

  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_layer (GS_VIEW (view), 1);
  gs_view_set_timestep (GS_VIEW (view), 2);
  gs_view_update_description (GS_VIEW (view));
  assert_description (view, expected->str);

  /* Another timestep: after the coalesced update, the description follows. */
  gs_view_set_timestep (GS_VIEW (view), 4);
  gs_ui_test_spin_main_loop (3 * GS_VIEW_DESCRIBE_MS);
  assert_description (view, "LSTM, layer 2, t = 4: not computed yet");

  g_object_unref (view);
}

/* The other views at t = 2: their own sentences, with the snapshot's numbers. */
static void
test_other_descriptions (void)
{
  g_autoptr(GsSnap) fwd = gs_ui_test_step_to (hello, 3, 5);
  g_autoptr(GsSnap) bwd = gs_ui_test_step_to (hello, 5, 1);
  const GsSnapshot *s = gs_snap_get (fwd);
  const GsSnapshot *b = gs_snap_get (bwd);
  const int H = s->cfg.H, G = s->G, O = s->cfg.O;
  const float *p = s->probs + 2 * O;
  g_autofree char *f_sum = summary (s->layer[0].act + 2 * G * H + 1 * H, H);
  g_autofree char *expected = NULL;
  g_autofree float *norms = g_new0 (float, b->T);
  GtkWidget *views[N_VIEWS];
  int order[3] = { -1, -1, -1 };
  int best = 1;

  for (int i = 1; i < N_VIEWS; i++)
    {
      views[i] = g_object_ref_sink (new_view (i));
      gs_view_set_snap (GS_VIEW (views[i]), i == 4 ? bwd : fwd);
      gs_view_set_timestep (GS_VIEW (views[i]), 2);
      gs_view_update_description (GS_VIEW (views[i]));
    }

  expected = g_strdup_printf ("LSTM, 2 layers, 5 timesteps; t = 2: input “l”, prediction l %.2f, right",
                              (double) p[s->targets[2]]);
  assert_description (views[1], expected);
  g_clear_pointer (&expected, g_free);

  expected = g_strdup_printf ("forget gate f, layer 1, 5 timesteps × %d units; t = 2: %s", H, f_sum);
  assert_description (views[2], expected);
  g_clear_pointer (&expected, g_free);

  /* The three likeliest letters, most probable first. */
  for (int i = 0; i < 3; i++)
    for (int o = 0; o < O; o++)
      if (o != order[0] && o != order[1] && (order[i] < 0 || p[o] > p[order[i]]))
        order[i] = o;
  expected = g_strdup_printf ("Prediction at t = 2: %s %.2f, %s %.2f, %s %.2f; prediction l %.2f, right",
                              gs_view_output_label (s, order[0]), (double) p[order[0]],
                              gs_view_output_label (s, order[1]), (double) p[order[1]],
                              gs_view_output_label (s, order[2]), (double) p[order[2]],
                              (double) p[order[0]]);
  assert_description (views[3], expected);
  g_clear_pointer (&expected, g_free);

  /* Backward down to t = 1: ‖∂L/∂h‖ of layer 1 at t = 2 and its largest. */
  gs_snapshot_dh_norms (b, 0, norms);
  for (int t = 1; t < b->T; t++)
    best = norms[t] > norms[best] ? t : best;
  expected = g_strdup_printf ("Gradient reaching each timestep, layer 1: at t = 2, %.3g; largest at t = %d, %.3g",
                              (double) norms[2], best, (double) norms[best]);
  assert_description (views[4], expected);
  g_clear_pointer (&expected, g_free);

  /* The regression plot says nothing on a classification task. */
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (views[5]), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));

  /* A new snapshot (a fresh sequence, nothing computed): follows it. */
  {
    g_autoptr(GsSnap) idle = gs_ui_test_step_to (hello, 0, 5);

    gs_view_set_snap (GS_VIEW (views[3]), idle);
    gs_ui_test_spin_main_loop (3 * GS_VIEW_DESCRIBE_MS);
    assert_description (views[3], "Prediction at t = 2: not computed yet");
  }

  for (int i = 1; i < N_VIEWS; i++)
    g_object_unref (views[i]);
}

/* The loss plot: its epochs, last and lowest loss. */
static void
test_loss_description (void)
{
  GtkWidget *plot = g_object_ref_sink (gs_loss_plot_new ());

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (plot), GTK_ACCESSIBLE_ROLE_IMG);
  assert_description (plot, "No training step yet");
  gs_loss_plot_append (GS_LOSS_PLOT (plot), 1.5f);
  gs_loss_plot_append (GS_LOSS_PLOT (plot), 0.25f);
  gs_loss_plot_append (GS_LOSS_PLOT (plot), 0.5f);
  gs_ui_test_spin_main_loop (3 * GS_VIEW_DESCRIBE_MS);
  assert_description (plot, "3 epochs; last loss 0.5, lowest 0.25 at epoch 2");
  g_object_unref (plot);
}

/* The view's bindings for `keyval` run through its shortcut controller. */
static gboolean
press (GtkWidget *view,
       guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);
  g_autofree char *wanted = gtk_accelerator_name (keyval, 0);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_strcmp0 (trigger, wanted) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, view,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_error ("%s has no binding for %s", G_OBJECT_TYPE_NAME (view), wanted);
  return FALSE;
}

static void
on_activated (GtkWidget *view,
              int        t,
              int       *got)
{
  *got = t;
  gs_view_set_timestep (GS_VIEW (view), t);   /* as the window does */
}

static void
test_arrow_keys (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (hello, 5, 5);

  /* The views with a timestep to choose: unrolled, heatmap, gradient. */
  for (int i = 1; i < N_VIEWS; i++)
    {
      GtkWidget *view = g_object_ref_sink (new_view (i));
      int got = -2;

      gs_view_set_snap (GS_VIEW (view), snap);
      if (g_signal_lookup ("timestep-activated", G_OBJECT_TYPE (view)) == 0)
        {
          /* No timestep to choose: the key goes on to the window. */
          g_assert_false (press (view, GDK_KEY_Right));
          g_object_unref (view);
          continue;
        }
      g_signal_connect (view, "timestep-activated", G_CALLBACK (on_activated), &got);

      g_assert_true (press (view, GDK_KEY_Right));   /* none yet → t = 0 */
      g_assert_cmpint (got, ==, 0);
      g_assert_true (press (view, GDK_KEY_Right));
      g_assert_cmpint (got, ==, 1);
      g_assert_true (press (view, GDK_KEY_End));
      g_assert_cmpint (got, ==, 4);
      g_assert_true (press (view, GDK_KEY_Right));   /* stays at the last */
      g_assert_cmpint (got, ==, 4);
      g_assert_true (press (view, GDK_KEY_Left));
      g_assert_cmpint (got, ==, 3);
      g_assert_true (press (view, GDK_KEY_Home));
      g_assert_cmpint (got, ==, 0);
      g_assert_true (press (view, GDK_KEY_Left));    /* stays at the first */
      g_assert_cmpint (got, ==, 0);
      g_object_unref (view);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* GTK's test accessibility backend keeps the properties to read back
   * (meson's environment says none for the other tests). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  hello = gs_ui_test_train_hello (GS_CELL_LSTM, 0, 150);

  g_test_add_func ("/a11y/role-name-focus", test_role_name_focus);
  g_test_add_func ("/a11y/cell-description", test_cell_description);
  g_test_add_func ("/a11y/other-descriptions", test_other_descriptions);
  g_test_add_func ("/a11y/arrow-keys", test_arrow_keys);
  g_test_add_func ("/a11y/loss-description", test_loss_description);

  status = g_test_run ();
  gs_trainer_free (hello);
  return status;
}
