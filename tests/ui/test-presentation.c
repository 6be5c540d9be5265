/* test-presentation.c — the window in front of a class: the keys reach the
 * network whatever was clicked last, nothing leaves a narrow window, full
 * screen, presentation mode and zoom.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keys are real: xdotool types them into the window through the X
 * server's XTEST extension, exactly as a keyboard would, and the test
 * waits for what the engine did. Run it under Xvfb (make check does).
 */

#include <math.h>
#include <locale.h>
#include <string.h>

#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>

#include "gs-application.h"
#include "gs-locale.h"
#include "gs-session.h"
#include "gs-ui-test-window.h"
#include "gs-settings-panel.h"
#include "gs-view-record.h"
#include "gs-window.h"
#include "gs-window-private.h"

static GsApplication *app;  /* one per process: a GApplication registers once */

/* ───────────────────────── helpers ───────────────────────── */

/* Whether the screen holds a window of width × height (make check's
 * Xvfb screen is 1920×1080). */
static gboolean
screen_holds (int width,
              int height)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  if (monitor == NULL)
    return FALSE;
  gdk_monitor_get_geometry (monitor, &geometry);
  return geometry.width >= width && geometry.height >= height;
}

static const char *
status_text (GsWindow *win)
{
  return gtk_label_get_label (gs_ui_test_child (win, "status_label"));
}

static gboolean
is_playing (GsWindow *win)
{
  gboolean playing;

  g_object_get (win, "playing", &playing, NULL);
  return playing;
}

/* The button under `widget` that activates `action`. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ───────────────────────── real keys ───────────────────────── */

/* Types one key (an X keysym name: "Right", "space", "Return") into the
 * focused window and lets GTK handle it. */
static void
type_key (GsWindow   *win,
          const char *key)
{
  const char *args[] = { "key", "--clearmodifiers", key, NULL };

  gs_ui_test_xdotool (args);
  /* xdotool returns once the X server has the key; GTK reads it next. */
  gs_ui_test_spin_main_loop (200);
  gs_ui_test_sync (win);
}

typedef struct {
  GsWindow *win;
  int       t_fwd;
  long      epoch;
} Expect;

static gboolean
reached (gpointer data)
{
  Expect *e = data;
  const GsSnapshot *s;

  gs_session_sync (gs_window_get_session (e->win));
  s = gs_snap_get (gs_session_get_snap (gs_window_get_session (e->win)));
  return (e->t_fwd < 0 || s->t_fwd == e->t_fwd) && s->epoch == e->epoch;
}

/* Types `key` and waits (a loaded machine may be slow) until the engine
 * is at forward step t_fwd (−1: any) of epoch `epoch`. */
static void
type_key_expect (GsWindow   *win,
                 const char *key,
                 int         t_fwd,
                 long        epoch)
{
  Expect e = { win, t_fwd, epoch };

  type_key (win, key);
  if (!gs_ui_test_wait_until (reached, &e, 10))
    g_error ("after %s the engine is not at t_fwd = %d of epoch %ld", key, t_fwd, epoch);
}

static gboolean
skip_without_x11 (void)
{
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("real keys need an X display (make check runs Xvfb)");
      return TRUE;
    }
  return FALSE;
}

/* ───────────────────────── the tests ───────────────────────── */

/* The teacher opens the settings, clicks a switch and Apply, and presses
 * →: the first → steps the new run. Then: → with a panel switch focused
 * by a click steps; → in a text field does not; Space plays, Enter trains
 * one step. */
static void
test_keys_after_apply (void)
{
  g_autoptr(GsWindow) win = NULL;
  GtkWidget *focus;
  GtkWidget *flap;
  GtkWidget *apply;
  const GsSnapshot *s;

  if (skip_without_x11 ())
    return;
  win = g_object_ref_sink (gs_ui_test_open_window (1280, 720));
  gs_ui_test_focus_window (GTK_WINDOW (win));

  /* The panel open, a click on its Apply button (which takes the focus). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.settings", NULL));
  gs_ui_test_spin_main_loop (300);
  apply = find_button (GTK_WIDGET (win), "win.apply-settings");
  g_assert_nonnull (apply);
  gtk_widget_grab_focus (apply);
  g_assert_true (gtk_widget_has_focus (apply));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.apply-settings", NULL));
  gs_ui_test_sync (win);
  g_assert_cmpstr (status_text (win), ==, "Epoch 0 · ready");

  /* The focus has left the panel. */
  focus = gtk_root_get_focus (GTK_ROOT (win));
  flap = adw_flap_get_flap (gs_ui_test_child (win, "settings_flap"));
  g_assert_true (focus == NULL || !gtk_widget_is_ancestor (focus, flap));

  type_key_expect (win, "Right", 1, 0);
  g_assert_cmpstr (status_text (win), ==, "Epoch 1 · forward t = 0");

  /* A switch in the panel, focused by a click: → still steps. */
  gtk_widget_grab_focus (gs_ui_test_child (win, "variant-peephole-switch"));
  type_key_expect (win, "Right", 2, 0);
  g_assert_false (gtk_switch_get_active (gs_ui_test_child (win, "variant-peephole-switch")));

  /* A text field: the arrows are the field's. */
  gtk_widget_grab_focus (gs_ui_test_child (win, "hidden_spin"));
  type_key (win, "Right");
  g_assert_cmpint (gs_ui_test_snapshot (win)->t_fwd, ==, 2);

  /* Back to the network: Enter is one whole training step. */
  gtk_window_set_focus (GTK_WINDOW (win), NULL);
  type_key_expect (win, "Return", -1, 1);
  s = gs_ui_test_snapshot (win);
  g_assert_cmpint (s->epoch, ==, 1);

  /* Space plays, Space again pauses. */
  type_key (win, "space");
  g_assert_true (is_playing (win));
  type_key (win, "space");
  g_assert_false (is_playing (win));

  gtk_window_destroy (GTK_WINDOW (win));
}

/* Whether `widget` lies inside the window, and its text is not cut. */
static void
check_inside (GsWindow   *win,
              GtkWidget  *widget,
              const char *what)
{
  graphene_rect_t r;
  int w = gtk_widget_get_width (GTK_WIDGET (win));
  int h = gtk_widget_get_height (GTK_WIDGET (win));

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (win), &r));
  g_test_message ("%s at %g,%g %g×%g in a %d×%d window", what,
                  r.origin.x, r.origin.y, r.size.width, r.size.height, w, h);
  g_assert_cmpfloat (r.origin.x, >=, 0);
  g_assert_cmpfloat (r.origin.x + r.size.width, <=, w);
  g_assert_cmpfloat (r.origin.y + r.size.height, <=, h);
}

/* A label shows its whole text: no ellipsis at its width. */
static void
check_not_ellipsized (GtkWidget *label)
{
  PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));

  g_assert_false (pango_layout_is_ellipsized (layout));
}

static gboolean
flap_settled (gpointer data)
{
  AdwFlap *flap = data;

  return adw_flap_get_reveal_progress (flap) == (adw_flap_get_reveal_flap (flap) ? 1.0 : 0.0);
}

/* With the settings panel open or closed, at 1024, 1280, 1600 and 1920 px
 * wide: every transport button is inside the window, and the cell's title
 * is not cut. */
static void
test_layout_widths (void)
{
  static const int widths[] = { 1024, 1280, 1600, 1920 };
  static const char *const actions[] = {
    "win.reset", "win.step-back", "win.play", "win.step-forward", "win.train-step", "win.train",
  };

  if (!screen_holds (1920, 1080))
    {
      g_test_skip ("needs a screen of 1920×1080 or more (make check's Xvfb has one)");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    for (int open = 0; open <= 1; open++)
      {
        g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (widths[i], 720));
        AdwFlap *flap = gs_ui_test_child (win, "settings_flap");

        g_test_message ("%d px wide, settings %s", widths[i], open ? "open" : "closed");
        /* Three steps in: the titles carry their longest text. */
        for (int k = 0; k < 3; k++)
          {
            g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step-forward", NULL));
            gs_ui_test_sync (win);
          }
        adw_flap_set_reveal_flap (flap, open);
        if (!gs_ui_test_wait_until (flap_settled, flap, 10))
          g_error ("the settings panel did not settle");
        gs_ui_test_spin_main_loop (100);
        /* The default size counts the window's frame; the content is a few
         * pixels narrower. */
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (win)), >=, widths[i] - 20);
        for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
          {
            GtkWidget *button = find_button (adw_flap_get_content (flap), actions[a]);

            g_assert_nonnull (button);
            /* Under a folded panel is inside too: the panel slides away. */
            check_inside (win, button, actions[a]);
          }
        check_inside (win, gs_ui_test_child (win, "cell_title"), "the cell's title");
        /* Up to 1280 px the title may end in "…" (the layer and gradient
         * buttons beside it take their room; a wrapping title upsets GTK
         * 4.8's height-for-width check); from 1600 px it may not. */
        if (widths[i] >= 1600)
          check_not_ellipsized (gs_ui_test_child (win, "cell_title"));
        if (open)
          check_inside (win, adw_flap_get_flap (flap), "the settings panel");
        gtk_window_destroy (GTK_WINDOW (win));
      }
}

static gboolean
is_fullscreen (gpointer data)
{
  return gtk_window_is_fullscreen (data);
}

static gboolean
is_not_fullscreen (gpointer data)
{
  return !gtk_window_is_fullscreen (data);
}

static int
natural_width (GtkWidget *widget)
{
  int min, nat;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return nat;
}

/* F11 toggles full screen; F5 enters the presentation mode (full screen,
 * no header bar, no hint, larger views), Esc leaves it; Ctrl+plus,
 * Ctrl+minus and Ctrl+0 zoom every view, and the zoom is saved. All with
 * real keys. */
static void
test_fullscreen_presentation_zoom (void)
{
  g_autoptr(GsWindow) win = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *unrolled, *bars;
  int unrolled_w, bars_w;

  if (skip_without_x11 ())
    return;
  g_settings_set_double (settings, "zoom", 1.0);
  win = g_object_ref_sink (gs_ui_test_open_window (1280, 720));
  unrolled = gs_ui_test_child (win, "unrolled_view");
  bars = gs_ui_test_child (win, "prediction_bars");
  gs_ui_test_focus_window (GTK_WINDOW (win));
  g_assert_cmpfloat (gs_view_get_zoom (), ==, 1.0);
  unrolled_w = natural_width (unrolled);
  bars_w = natural_width (bars);

  /* F11, F11. */
  type_key (win, "F11");
  if (!gs_ui_test_wait_until (is_fullscreen, win, 10))
    g_error ("F11 did not make the window full screen");
  type_key (win, "F11");
  if (!gs_ui_test_wait_until (is_not_fullscreen, win, 10))
    g_error ("F11 again did not leave full screen");

  /* Ctrl+plus twice: every view 1.21 times larger, saved. */
  type_key (win, "ctrl+plus");
  type_key (win, "ctrl+equal");
  g_assert_cmpfloat_with_epsilon (gs_view_get_zoom (), 1.21, 1e-9);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "zoom"), 1.21, 1e-9);
  /* The cards' padding and border stay as they are. */
  g_assert_cmpint (natural_width (unrolled), >, unrolled_w * 1.17);
  g_assert_cmpint (natural_width (unrolled), <=, unrolled_w * 1.21 + 1);
  g_assert_cmpint (natural_width (bars), >, bars_w * 1.17);
  g_assert_cmpint (natural_width (bars), <=, bars_w * 1.21 + 1);
  type_key (win, "ctrl+minus");
  g_assert_cmpfloat_with_epsilon (gs_view_get_zoom (), 1.1, 1e-9);

  /* The next window opens at the saved zoom. */
  gtk_window_destroy (GTK_WINDOW (win));
  g_clear_object (&win);
  gs_view_set_zoom (1.0);
  win = g_object_ref_sink (gs_ui_test_open_window (1280, 720));
  g_assert_cmpfloat_with_epsilon (gs_view_get_zoom (), 1.1, 1e-9);
  gs_ui_test_focus_window (GTK_WINDOW (win));
  type_key (win, "ctrl+0");
  g_assert_cmpfloat (gs_view_get_zoom (), ==, 1.0);
  g_assert_cmpfloat (g_settings_get_double (settings, "zoom"), ==, 1.0);

  /* F5: the presentation mode, from the settings panel open. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.settings", NULL));
  gs_ui_test_spin_main_loop (100);
  type_key (win, "F5");
  g_assert_true (gs_window_get_presenting (win));
  if (!gs_ui_test_wait_until (is_fullscreen, win, 10))
    g_error ("the presentation mode is not full screen");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (win), "presentation"));
  g_assert_false (gtk_widget_get_visible (gs_ui_test_child (win, "header_bar")));
  g_assert_false (gtk_widget_get_visible (gs_ui_test_child (win, "hint_label")));
  g_assert_false (adw_flap_get_reveal_flap (gs_ui_test_child (win, "settings_flap")));
  g_assert_cmpfloat (gs_view_get_zoom (), >, 1.0);
  /* The keys still step. */
  type_key_expect (win, "Right", 1, 0);

  /* Esc: all back as it was. */
  type_key (win, "Escape");
  g_assert_false (gs_window_get_presenting (win));
  if (!gs_ui_test_wait_until (is_not_fullscreen, win, 10))
    g_error ("leaving the presentation mode did not leave full screen");
  g_assert_true (gtk_widget_get_visible (gs_ui_test_child (win, "header_bar")));
  g_assert_true (gtk_widget_get_visible (gs_ui_test_child (win, "hint_label")));
  g_assert_true (adw_flap_get_reveal_flap (gs_ui_test_child (win, "settings_flap")));
  g_assert_cmpfloat (gs_view_get_zoom (), ==, 1.0);

  /* The menu's item is the same action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.presentation", NULL));
  g_assert_true (gs_window_get_presenting (win));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.presentation", NULL));
  g_assert_false (gs_window_get_presenting (win));

  gtk_window_destroy (GTK_WINDOW (win));
}

/* A learning rate of 100 typed into the panel (its field goes to 10) is
 * refused with a message, and the run keeps its rate; the hidden units'
 * subtitle names c only for the LSTM. */
static void
test_settings_defects (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (1600, 900));
  GtkSpinButton *lr = gs_ui_test_child (win, "lr_spin");
  AdwComboRow *cell = gs_ui_test_child (win, "cell_row");
  AdwActionRow *hidden_row;
  const GsTrainConfig *config = gs_session_get_config (gs_window_get_session (win));
  float lr_before = config->opt.lr;
  GsUiTestToast wait = { win, "“100” was not applied" };

  gtk_editable_set_text (GTK_EDITABLE (lr), "100");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.apply-settings", NULL));
  gs_ui_test_sync (win);
  if (!gs_ui_test_wait_until (gs_ui_test_toast_shown, &wait, 10))
    g_error ("no message refused the learning rate 100");
  config = gs_session_get_config (gs_window_get_session (win));
  g_assert_cmpfloat (config->opt.lr, ==, lr_before);
  g_assert_cmpfloat (gtk_spin_button_get_value (lr), !=, 10.0);
  /* A rate in range is taken. */
  gtk_editable_set_text (GTK_EDITABLE (lr), "0.02");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.apply-settings", NULL));
  gs_ui_test_sync (win);
  config = gs_session_get_config (gs_window_get_session (win));
  g_assert_cmpfloat_with_epsilon (config->opt.lr, 0.02, 1e-7);

  hidden_row = ADW_ACTION_ROW (gtk_widget_get_ancestor (gs_ui_test_child (win, "hidden_spin"), ADW_TYPE_ACTION_ROW));
  adw_combo_row_set_selected (cell, GS_CELL_LSTM);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (hidden_row), "c"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (hidden_row), "cell state"));
  adw_combo_row_set_selected (cell, GS_CELL_GRU);
  g_assert_cmpstr (adw_action_row_get_subtitle (hidden_row), ==, "Per layer: the size of h");
  adw_combo_row_set_selected (cell, GS_CELL_RNN_TANH);
  g_assert_cmpstr (adw_action_row_get_subtitle (hidden_row), ==, "Per layer: the size of h");

  gtk_window_destroy (GTK_WINDOW (win));
}

static gboolean
not_training (gpointer data)
{
  gs_session_sync (gs_window_get_session (data));
  return !gs_window_get_training (data);
}

static void
activate_int (GsWindow   *win,
              const char *action,
              int         value)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (win), action, g_variant_new_int32 (value)));
}

/* Train at 1 epoch a second: one epoch at once, none more within a
 * fraction of a second (a slower machine only makes fewer); Train 10
 * epochs as fast as possible: exactly ten more, then it stops by itself;
 * → during paced training stops it. The speed is saved. */
static void
test_paced_training (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (1280, 720));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  long epoch;

  activate_int (win, "train.speed", 1);
  g_assert_cmpint (g_settings_get_int (settings, "train-speed"), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.train", NULL));
  g_assert_true (gs_window_get_training (win));
  g_assert_false (gs_session_get_training (gs_window_get_session (win)));
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 1);
  gs_ui_test_spin_main_loop (400);
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 1);
  g_assert_true (gs_window_get_training (win));
  /* Train again: stopped. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.train", NULL));
  g_assert_false (gs_window_get_training (win));

  /* Ten epochs, as fast as possible. */
  activate_int (win, "train.speed", 0);
  epoch = gs_ui_test_snapshot (win)->epoch;
  activate_int (win, "train.epochs", 10);
  g_assert_true (gs_window_get_training (win));
  if (!gs_ui_test_wait_until (not_training, win, GS_UI_TEST_TIMEOUT_S))
    g_error ("training 10 epochs did not end");
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, epoch + 10);

  /* A step by hand ends paced training. */
  activate_int (win, "train.speed", 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.train", NULL));
  g_assert_true (gs_window_get_training (win));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step-forward", NULL));
  g_assert_false (gs_window_get_training (win));
  gs_ui_test_sync (win);

  g_settings_reset (settings, "train-speed");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Train until solved, as fast as possible and at a set speed: training
 * stops by itself at the epoch whose check passed (hello's is on its
 * training sequence, there being nothing to hold out), the window says so
 * in its status line, and the engine's own check on that many
 * epochs of the same run is solved; a reset forgets it. */
static void
test_until_solved (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (1280, 720));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const GsTrainConfig *config;
  GsTrainer *ref;
  GsTaskEval ev;
  GsError err;
  int solved;

  activate_int (win, "train.speed", 0);
  g_assert_cmpint (gs_window_get_solved_epoch (win), ==, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "train.until-solved", NULL));
  g_assert_true (gs_window_get_training (win));
  if (!gs_ui_test_wait_until (not_training, win, 60))
    g_error ("training until solved did not end");
  gs_ui_test_sync (win);
  solved = gs_window_get_solved_epoch (win);
  g_assert_cmpint (solved, >, 0);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, solved);
  /* hello is one sequence: nothing is held out, and the status says so */
  g_assert_nonnull (strstr (gtk_label_get_label (win->status_label), _("solved on the training sequence")));
  g_assert_null (strstr (gtk_label_get_label (win->status_label), _("held-out")));

  config = gs_session_get_config (gs_window_get_session (win));
  ref = gs_trainer_new (config, &err);
  g_assert_nonnull (ref);
  for (int i = 0; i < solved; i++)
    g_assert_cmpint (gs_trainer_step (ref, &err), ==, GS_OK);
  g_assert_cmpint (gs_trainer_evaluate (ref, &ev, &err), ==, GS_OK);
  g_assert_true (ev.solved);
  gs_trainer_free (ref);

  /* At 30 epochs a second, after a reset: checked after every epoch here
   * (every few as fast as possible), so solved no later. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.reset", NULL));
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_window_get_solved_epoch (win), ==, -1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, 0);
  if (solved <= 120)
    {
      activate_int (win, "train.speed", 30);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "train.until-solved", NULL));
      g_assert_true (gs_window_get_pacing (win));
      if (!gs_ui_test_wait_until (not_training, win, 60))
        g_error ("paced training until solved did not end");
      gs_ui_test_sync (win);
      g_assert_cmpint (gs_window_get_solved_epoch (win), >, 0);
      g_assert_cmpint (gs_window_get_solved_epoch (win), <=, solved);
      g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, gs_window_get_solved_epoch (win));
    }
  g_settings_reset (settings, "train-speed");
  gtk_window_destroy (GTK_WINDOW (win));
}

static gboolean
grows (gpointer data)
{
  return gs_view_get_grow () && gs_view_get_scale (data) > 1.2;
}

/* At 1920×1080 the views grow with the window (the unrolled network by
 * more than 1.2 times, its columns and type with it); at 1600×1000 they
 * keep their size and draw on whole pixels. */
static void
test_views_grow (void)
{
  g_autoptr(GsWindow) wide = NULL;
  g_autoptr(GsWindow) desk = NULL;
  GtkWidget *unrolled;

  if (!screen_holds (1920, 1080))
    {
      g_test_skip ("needs a screen of 1920×1080 or more (make check's Xvfb has one)");
      return;
    }
  wide = g_object_ref_sink (gs_ui_test_open_window (1920, 1080));
  unrolled = gs_ui_test_child (wide, "unrolled_view");
  if (!gs_ui_test_wait_until (grows, unrolled, 10))
    g_error ("the unrolled view does not grow at 1920×1080 (scale %g)", gs_view_get_scale (unrolled));
  g_test_message ("1920×1080: the unrolled view at %d×%d px, scale %.2f",
                  gtk_widget_get_width (unrolled), gtk_widget_get_height (unrolled),
                  gs_view_get_scale (unrolled));
  g_assert_cmpfloat (gs_view_get_scale (unrolled), <=, GS_VIEW_GROW_MAX);
  gtk_window_destroy (GTK_WINDOW (wide));

  desk = g_object_ref_sink (gs_ui_test_open_window (1600, 1000));
  gs_ui_test_spin_main_loop (200);
  g_assert_false (gs_view_get_grow ());
  g_assert_cmpfloat (gs_view_get_scale (gs_ui_test_child (desk, "unrolled_view")), ==, 1.0);
  gtk_window_destroy (GTK_WINDOW (desk));
}

/* ───────────────────────── what the views drew ───────────────────────── */

/* One text or unit cell a view drew (gs-view-record.h), in the window's
 * coordinates. */
typedef struct {
  GtkWidget        *view;
  GsViewRecordKind  kind;
  graphene_rect_t   rect;
  double            px;
  char             *text;
  int               units;
  gboolean          ellipsized;
} Drawn;

static void
drawn_free (gpointer data)
{
  Drawn *d = data;

  g_free (d->text);
  g_free (d);
}

static void
on_record (const GsViewRecord *r,
           gpointer            data)
{
  GPtrArray *drawn = data;
  Drawn *d = g_new0 (Drawn, 1);

  d->view = r->view;
  d->kind = r->kind;
  d->rect = r->rect;
  d->px = r->px;
  d->text = g_strdup (r->text);
  d->units = r->units;
  d->ellipsized = r->ellipsized;
  g_ptr_array_add (drawn, d);
}

static void
redraw_views (GtkWidget *widget)
{
  if (GS_IS_VIEW (widget))
    gs_view_queue_redraw (GS_VIEW (widget));
  if (GS_IS_LOSS_PLOT (widget))
    gs_loss_plot_queue_redraw (GS_LOSS_PLOT (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    redraw_views (c);
}

/* Every view of the window drawn again with the recording hook on: what
 * each drew, its rectangles moved to the window's coordinates. */
static GPtrArray *
record_views (GsWindow *win)
{
  GPtrArray *drawn = g_ptr_array_new_with_free_func (drawn_free);

  /* Settled: a step's new hint may change the viewport, and the window
   * shares the room again (gs-window-present.c) a frame later. */
  gs_ui_test_spin_main_loop (200);
  gs_ui_test_wait_for_frames (GTK_WIDGET (win));
  gs_ui_test_spin_main_loop (50);
  gs_view_record_set_hook (on_record, drawn);
  redraw_views (GTK_WIDGET (win));
  gs_ui_test_wait_for_frames (GTK_WIDGET (win));
  gs_view_record_set_hook (NULL, NULL);
  for (guint i = 0; i < drawn->len; i++)
    {
      Drawn *d = g_ptr_array_index (drawn, i);
      graphene_point_t p;

      g_assert_true (gtk_widget_compute_point (d->view, GTK_WIDGET (win), &d->rect.origin, &p));
      d->rect.origin = p;
    }
  return drawn;
}

/* The part of the window the main pane shows without scrolling. */
static void
viewport_of (GsWindow        *win,
             graphene_rect_t *out)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (gs_ui_test_child (win, "unrolled_view"), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, 0.0);
  g_assert_true (gtk_widget_compute_bounds (scrolled, GTK_WIDGET (win), out));
  graphene_rect_intersection (out, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (win)),
                                                        gtk_widget_get_height (GTK_WIDGET (win))), out);
}

static gboolean
rect_inside (const graphene_rect_t *r,
             const graphene_rect_t *area)
{
  return r->origin.x >= area->origin.x - 0.5f && r->origin.y >= area->origin.y - 0.5f &&
         r->origin.x + r->size.width <= area->origin.x + area->size.width + 0.5f &&
         r->origin.y + r->size.height <= area->origin.y + area->size.height + 0.5f;
}

/* The unrolled network, the cell and the prediction are inside the
 * viewport, every text they draw at least `min_px` px, every unit cell
 * that stands for one unit at least `min_cell` px both ways (up to the
 * point where units must be binned: a square of several units is not
 * held to it) and every bar of the cell's gates `min_cell` high. */
static void
check_readable (GsWindow   *win,
                double      min_px,
                double      min_cell,
                const char *what)
{
  const char *const names[] = { "unrolled_view", "cell_view", "prediction_bars" };
  g_autoptr(GPtrArray) drawn = record_views (win);
  graphene_rect_t viewport;
  double small_text = G_MAXDOUBLE, small_cell = G_MAXDOUBLE;
  guint n_text = 0, n_units = 0;

  viewport_of (win, &viewport);
  g_test_message ("%s: window %d×%d, viewport %g,%g %g×%g, zoom %.2f", what,
                  gtk_widget_get_width (GTK_WIDGET (win)), gtk_widget_get_height (GTK_WIDGET (win)),
                  viewport.origin.x, viewport.origin.y, viewport.size.width, viewport.size.height,
                  gs_view_get_zoom ());
  for (guint v = 0; v < G_N_ELEMENTS (names); v++)
    {
      GtkWidget *view = gs_ui_test_child (win, names[v]);
      graphene_rect_t bounds;
      guint seen = 0;

      g_assert_true (gtk_widget_get_mapped (view));
      g_assert_true (gtk_widget_compute_bounds (view, GTK_WIDGET (win), &bounds));
      g_test_message ("%s: %s at %g,%g %g×%g", what, names[v],
                      bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height);
      for (guint i = 0; i < drawn->len; i++)
        {
          Drawn *d = g_ptr_array_index (drawn, i);

          if (d->view != view)
            continue;
          seen++;
          /* Nothing cut at the view's own edges (the cell's legends were,
           * at the bottom, at 1920×1080). */
          if (!rect_inside (&d->rect, &bounds))
            g_error ("%s: %s drew “%s” at %g,%g %g×%g, past its own edges", what, names[v],
                     d->text != NULL ? d->text : "a unit", d->rect.origin.x, d->rect.origin.y,
                     d->rect.size.width, d->rect.size.height);
          if (!rect_inside (&d->rect, &viewport))
            g_error ("%s: %s drew “%s” at %g,%g %g×%g, outside the viewport", what, names[v],
                     d->text != NULL ? d->text : "a unit", d->rect.origin.x, d->rect.origin.y,
                     d->rect.size.width, d->rect.size.height);
          if (d->kind == GS_VIEW_RECORD_TEXT)
            {
              n_text++;
              small_text = MIN (small_text, d->px);
              if (d->px < min_px - 0.01)
                g_error ("%s: %s drew “%s” at %.1f px, less than %g", what, names[v], d->text, d->px, min_px);
            }
          else if (d->kind == GS_VIEW_RECORD_BAR)
            {
              /* The cell's gates draw each unit as a bar: as tall as a
               * unit cell, at least a third as wide. */
              if (d->rect.size.height < min_cell - 0.01 || d->rect.size.width < min_cell / 3.0 - 0.01)
                g_error ("%s: %s drew a unit's bar of %g×%g px, less than %g×%g", what, names[v],
                         d->rect.size.width, d->rect.size.height, min_cell / 3.0, min_cell);
            }
          else if (d->units == 1)
            {
              double side = MIN (d->rect.size.width, d->rect.size.height);

              n_units++;
              small_cell = MIN (small_cell, side);
              if (side < min_cell - 0.01)
                g_error ("%s: %s drew a unit cell of %g×%g px, less than %g", what, names[v],
                         d->rect.size.width, d->rect.size.height, min_cell);
            }
        }
      /* The view drew something: a view out of sight draws nothing. */
      g_assert_cmpuint (seen, >, 0);
    }
  g_test_message ("%s: %u texts, the smallest %.1f px; %u unit cells, the smallest %.1f px",
                  what, n_text, small_text, n_units, small_cell);
  g_assert_cmpuint (n_text, >, 10);
  g_assert_cmpuint (n_units, >, 0);
}

/* Steps the window to forward t = 2 of a fresh LSTM on hello, so that
 * every view has units, predictions and gradients-to-come to draw. */
static void
step_to (GsWindow *win,
         int       steps)
{
  for (int k = 0; k < steps; k++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step-forward", NULL));
  gs_ui_test_sync (win);
}

static gboolean
has_size_of (GsWindow *win,
             int       width,
             int       height)
{
  return ABS (gtk_widget_get_width (GTK_WIDGET (win)) - width) <= 20 &&
         ABS (gtk_widget_get_height (GTK_WIDGET (win)) - height) <= 40;
}

typedef struct { GsWindow *win; int width, height; } SizeWait;

static gboolean
reached_size (gpointer data)
{
  SizeWait *w = data;

  return has_size_of (w->win, w->width, w->height);
}

/* A 1280×720 projector in the presentation mode, the same on a 1920×1080
 * screen, and the normal window (header bar, hint line and all) at
 * 1920×1080 and at 1280×720: the unrolled network, the cell and the
 * prediction are all in sight without scrolling, each inside its own
 * edges, no text of theirs under 14 px and no unit cell under 12 px
 * (measured on what the views drew, gs-view-record.h). The 1280×720
 * screen of the presentation mode is the window at that size: the
 * presentation mode made full screen on make check's 1920×1080 Xvfb,
 * then put back to 1280×720. */
static void
test_readable (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GsWindow) win = NULL;
  g_autoptr(GsWindow) wide = NULL;
  g_autoptr(GsWindow) desk = NULL;
  SizeWait size;

  if (skip_without_x11 () || !screen_holds (1920, 1080))
    {
      g_test_skip ("needs X and a screen of 1920×1080 (make check's Xvfb)");
      return;
    }
  g_settings_set_double (settings, "zoom", 1.0);

  win = g_object_ref_sink (gs_ui_test_open_window (1280, 720));
  step_to (win, 3);
  gs_window_set_presenting (win, TRUE);
  if (!gs_ui_test_wait_until (is_fullscreen, win, 10))
    g_error ("the presentation mode is not full screen");
  gtk_window_unfullscreen (GTK_WINDOW (win));
  size = (SizeWait) { win, 1280, 720 };
  if (!gs_ui_test_wait_until (reached_size, &size, 10))
    g_error ("the window did not come back to 1280×720 (%d×%d)",
             gtk_widget_get_width (GTK_WIDGET (win)), gtk_widget_get_height (GTK_WIDGET (win)));
  g_assert_true (gs_window_get_presenting (win));
  check_readable (win, 14.0, 12.0, "presentation, 1280×720");
  /* Full screen again: the presentation mode on the 1920×1080 screen. */
  gtk_window_fullscreen (GTK_WINDOW (win));
  size = (SizeWait) { win, 1920, 1080 };
  if (!gs_ui_test_wait_until (reached_size, &size, 10))
    g_error ("the window did not fill the 1920×1080 screen (%d×%d)",
             gtk_widget_get_width (GTK_WIDGET (win)), gtk_widget_get_height (GTK_WIDGET (win)));
  check_readable (win, 14.0, 12.0, "presentation, 1920×1080");
  gs_window_set_presenting (win, FALSE);
  gtk_window_destroy (GTK_WINDOW (win));

  wide = g_object_ref_sink (gs_ui_test_open_window (1920, 1080));
  step_to (wide, 3);
  check_readable (wide, 14.0, 12.0, "window, 1920×1080");
  gtk_window_destroy (GTK_WINDOW (wide));

  /* The normal window on a 1280×720 screen: the header bar, the hint and
   * the history of learning take their room, and the three views are
   * still in sight, at the same sizes. */
  desk = g_object_ref_sink (gs_ui_test_open_window (1280, 720));
  step_to (desk, 3);
  g_assert_false (gs_window_get_presenting (desk));
  size = (SizeWait) { desk, 1280, 720 };
  if (!gs_ui_test_wait_until (reached_size, &size, 10))
    g_error ("the window did not open at 1280×720 (%d×%d)",
             gtk_widget_get_width (GTK_WIDGET (desk)), gtk_widget_get_height (GTK_WIDGET (desk)));
  check_readable (desk, 14.0, 12.0, "window, 1280×720");
  gtk_window_destroy (GTK_WINDOW (desk));
}

/* Whether two texts' ink overlaps by more than a pixel each way. */
static gboolean
texts_meet (const Drawn *a,
            const Drawn *b)
{
  graphene_rect_t both;

  if (!graphene_rect_intersection (&a->rect, &b->rect, &both))
    return FALSE;
  return both.size.width > 1.0f && both.size.height > 1.0f;
}

/* Whether a text's ink is centred in `box` (it is the box's label). */
static gboolean
centred_in (const Drawn           *text,
            const graphene_rect_t *box)
{
  graphene_point_t centre;

  graphene_rect_get_center (&text->rect, &centre);
  return graphene_rect_contains_point (box, &centre);
}

/* In the unrolled network, the cell, the prediction and the gradient
 * through time: no two texts one view drew meet, no text ends in "…",
 * and a text centred in a box or chip the view drew (the cell's gate
 * cards and the tag where hₜ goes next, the input chips) lies wholly
 * inside it. Returns how many texts were checked; `boxed` how many texts
 * were checked against their box. */
static guint
check_labels_apart (GsWindow   *win,
                    const char *what,
                    guint      *boxed)
{
  const char *const names[] = { "unrolled_view", "cell_view", "prediction_bars", "gradient_view" };
  g_autoptr(GPtrArray) drawn = record_views (win);
  guint checked = 0;

  *boxed = 0;
  for (guint v = 0; v < G_N_ELEMENTS (names); v++)
    {
      GtkWidget *view = gs_ui_test_child (win, names[v]);

      for (guint i = 0; i < drawn->len; i++)
        {
          Drawn *a = g_ptr_array_index (drawn, i);

          if (a->view != view || a->kind != GS_VIEW_RECORD_TEXT)
            continue;
          checked++;
          if (a->ellipsized)
            g_error ("%s: %s drew “%s” ellipsized", what, names[v], a->text);
          for (guint j = 0; j < drawn->len; j++)
            {
              Drawn *b = g_ptr_array_index (drawn, j);

              if (b->view != view)
                continue;
              if (j > i && b->kind == GS_VIEW_RECORD_TEXT && texts_meet (a, b))
                g_error ("%s: %s drew “%s” (%g,%g %g×%g) over “%s” (%g,%g %g×%g)", what, names[v],
                         a->text, a->rect.origin.x, a->rect.origin.y, a->rect.size.width, a->rect.size.height,
                         b->text, b->rect.origin.x, b->rect.origin.y, b->rect.size.width, b->rect.size.height);
              if (b->kind == GS_VIEW_RECORD_BOX && centred_in (a, &b->rect))
                {
                  (*boxed)++;
                  if (!rect_inside (&a->rect, &b->rect))
                    g_error ("%s: %s drew “%s” (%g,%g %g×%g) past the edges of its box (%g,%g %g×%g)", what,
                             names[v], a->text, a->rect.origin.x, a->rect.origin.y, a->rect.size.width,
                             a->rect.size.height, b->rect.origin.x, b->rect.origin.y, b->rect.size.width,
                             b->rect.size.height);
                }
            }
        }
    }
  return checked;
}

/* The window put in the presentation mode and back to `width` × `height`
 * (the presentation mode is full screen: make check's screen is larger). */
static void
present_at (GsWindow *win,
            int       width,
            int       height)
{
  SizeWait size = { win, width, height };

  gs_window_set_presenting (win, TRUE);
  if (!gs_ui_test_wait_until (is_fullscreen, win, 10))
    g_error ("the presentation mode is not full screen");
  gtk_window_unfullscreen (GTK_WINDOW (win));
  if (!gs_ui_test_wait_until (reached_size, &size, 10))
    g_error ("the window did not come back to %d×%d (%d×%d)", width, height,
             gtk_widget_get_width (GTK_WIDGET (win)), gtk_widget_get_height (GTK_WIDGET (win)));
  gs_ui_test_spin_main_loop (200);
}

/* Label boxes do not meet: the gradient bars' values, "← ∂L/∂h" and the
 * layer rows' labels, the gate letters and the formulas beside them, the
 * c and h tags of the unrolled boxes; labels stay inside their boxes
 * ("到第 2 层" in its dashed tag at 0.65 times); nothing is ellipsized,
 * the cell's title included where the window is 1280 px wide or more —
 * for the RNN, the LSTM and the GRU, 1 to 3 layers, going forward and
 * going backward, in a narrow window (1024×720), at 1280×720 (the normal
 * window and the presentation mode, both side by side) and in a wide
 * window (1920×1080). */
static void
test_labels_apart (void)
{
  static const GsCell cells[] = { GS_CELL_RNN_TANH, GS_CELL_LSTM, GS_CELL_GRU };
  static const struct { int width, height; gboolean present; } sizes[] = {
    { 1024, 720, FALSE }, { 1280, 720, FALSE }, { 1280, 720, TRUE }, { 1920, 1080, FALSE },
  };
  guint boxed_total = 0;

  if (skip_without_x11 () || !screen_holds (1920, 1080))
    {
      g_test_skip ("needs X and a screen of 1920×1080 or more (make check's Xvfb has one)");
      return;
    }
  for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
    {
      g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (sizes[z].width, sizes[z].height));
      const char *mode = sizes[z].present ? "presentation" : "window";

      if (sizes[z].present)
        present_at (win, sizes[z].width, sizes[z].height);
      for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
        for (int L = 1; L <= 3; L++)
          {
            GsTrainConfig config;
            const GsSnapshot *s;
            g_autofree char *what = NULL;
            guint n, boxed;

            gs_train_config_default (&config);
            config.cell = cells[c];
            config.L = L;
            gs_window_reset_session (win, &config);
            gs_ui_test_sync (win);
            /* Forward, at t = 2. */
            step_to (win, 3);
            what = g_strdup_printf ("%s %d×%d, %s, %d layers, forward", mode, sizes[z].width, sizes[z].height,
                                    gs_cell_name (cells[c]), L);
            n = check_labels_apart (win, what, &boxed);
            g_assert_cmpuint (n, >, 20);
            /* The cell's gate cards (or its one box) and the tag over hₜ hold labels. */
            g_assert_cmpuint (boxed, >=, 2);
            boxed_total += boxed;
            if (sizes[z].width >= 1280)
              check_not_ellipsized (gs_ui_test_child (win, "cell_title"));
            /* Backward, two steps back from the end. */
            s = gs_ui_test_snapshot (win);
            step_to (win, s->T - s->t_fwd + 2);
            g_assert_cmpint (gs_ui_test_snapshot (win)->phase, ==, GS_PHASE_BACKWARD);
            g_free (what);
            what = g_strdup_printf ("%s %d×%d, %s, %d layers, backward", mode, sizes[z].width, sizes[z].height,
                                    gs_cell_name (cells[c]), L);
            n = check_labels_apart (win, what, &boxed);
            boxed_total += boxed;
            if (sizes[z].width >= 1280)
              check_not_ellipsized (gs_ui_test_child (win, "cell_title"));
            g_test_message ("%s: %u texts apart, %u in their boxes, the cell's title “%s”", what, n, boxed,
                            gtk_label_get_label (gs_ui_test_child (win, "cell_title")));
          }
      if (sizes[z].present)
        gs_window_set_presenting (win, FALSE);
      gtk_window_destroy (GTK_WINDOW (win));
    }
  g_test_message ("%u texts checked against their boxes", boxed_total);
}

/* The Log Epochs button over the loss plot's top right: no text the plot
 * drew (its legend, once there is a validation curve) lies under it — in
 * the 1920×1080 window with a lesson panel open beside the views, and at
 * 1280×720 without. */
static void
test_log_epochs_apart (void)
{
  static const struct { int width, height; gboolean lesson; } cases[] = {
    { 1920, 1080, TRUE }, { 1280, 720, FALSE },
  };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  if (!screen_holds (1920, 1080))
    {
      g_test_skip ("needs a screen of 1920×1080 or more (make check's Xvfb has one)");
      return;
    }
  /* hello has nothing held out, so no validation curve: a task (and a
   * lesson) that has one */
  g_assert_true (g_settings_set_string (settings, "task", "reber"));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (cases[i].width, cases[i].height));
      GtkWidget *plot = gs_ui_test_child (win, "loss_plot");
      GtkWidget *toggle = find_button (gtk_widget_get_parent (plot), NULL);
      g_autoptr(GPtrArray) drawn = NULL;
      graphene_rect_t button;
      guint texts = 0;

      if (cases[i].lesson)
        {
          g_autofree char *path = g_build_filename (g_getenv ("GS_SOURCE_DIR"), "assets", "lessons",
                                                    "04-long-time-lags.lesson", NULL);

          g_assert_true (gs_window_open_lesson (win, path));
          gs_ui_test_sync (win);
        }
      /* 100 epochs: a validation curve, and so the legend. */
      activate_int (win, "train.speed", 0);
      activate_int (win, "train.epochs", 100);
      if (!gs_ui_test_wait_until (not_training, win, GS_UI_TEST_TIMEOUT_S))
        g_error ("training 100 epochs did not end");
      gs_ui_test_sync (win);
      g_assert_cmpuint (gs_loss_plot_get_n_validation (GS_LOSS_PLOT (plot)), >, 0);

      g_assert_true (GTK_IS_TOGGLE_BUTTON (toggle));
      drawn = record_views (win);
      g_assert_true (gtk_widget_compute_bounds (toggle, GTK_WIDGET (win), &button));
      for (guint k = 0; k < drawn->len; k++)
        {
          Drawn *d = g_ptr_array_index (drawn, k);
          graphene_rect_t both;

          if (d->view != plot || d->kind != GS_VIEW_RECORD_TEXT)
            continue;
          texts++;
          if (graphene_rect_intersection (&d->rect, &button, &both))
            g_error ("%d×%d: the loss plot drew “%s” at %g,%g under the Log Epochs button (%g,%g %g×%g)",
                     cases[i].width, cases[i].height, d->text, d->rect.origin.x, d->rect.origin.y,
                     button.origin.x, button.origin.y, button.size.width, button.size.height);
        }
      g_test_message ("%d×%d: %u texts of the loss plot clear of the button", cases[i].width, cases[i].height, texts);
      g_assert_cmpuint (texts, >, 4);
      gtk_window_destroy (GTK_WINDOW (win));
    }
  g_settings_reset (settings, "train-speed");
  g_settings_reset (settings, "task");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = gs_ui_test_make_fresh_home ();
  gboolean chinese = FALSE;
  GPid wm_pid;   /* openbox on X11 */
  int status;

  /* --zh: as a user in China starts it (LANGUAGE=zh_CN, LC_ALL=zh_CN.UTF-8;
   * meson's LC_ALL=C.UTF-8 is replaced): the layout tests again in Chinese. */
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--zh") == 0)
      {
        chinese = TRUE;
        memmove (argv + i, argv + i + 1, (size_t) (argc - i) * sizeof *argv);
        argc--;
        break;
      }
  if (chinese)
    {
      g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
      g_setenv ("LANGUAGE", "zh_CN", TRUE);
      gs_locale_init (NULL);
      if (strcmp (setlocale (LC_CTYPE, NULL), "zh_CN.UTF-8") != 0)
        g_error ("the zh_CN.UTF-8 locale is not installed (build-aux/bootstrap.sh check generates it)");
      /* The views draw Chinese (the catalog was found). */
      g_assert_cmpstr (_("target"), !=, "target");
    }

  gtk_test_init (&argc, &argv, NULL);
  /* GTK 4.8 warns ("unexpected blinking selection") when a focused text
   * field with its text selected blinks; the warnings are fatal here. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  app = gs_ui_test_app_new (0);

  /* In Chinese, the layout alone (the other tests compare English text). */
  if (!chinese)
    {
      g_test_add_func ("/presentation/keys-after-apply", test_keys_after_apply);
      g_test_add_func ("/presentation/layout-widths", test_layout_widths);
      g_test_add_func ("/presentation/fullscreen-presentation-zoom", test_fullscreen_presentation_zoom);
      g_test_add_func ("/presentation/settings-defects", test_settings_defects);
      g_test_add_func ("/presentation/paced-training", test_paced_training);
      g_test_add_func ("/presentation/until-solved", test_until_solved);
      g_test_add_func ("/presentation/views-grow", test_views_grow);
      g_test_add_func ("/presentation/log-epochs-apart", test_log_epochs_apart);
    }
  g_test_add_func ("/presentation/readable", test_readable);
  g_test_add_func ("/presentation/labels-apart", test_labels_apart);

  /* Full screen is the window manager's: a bare Xvfb has none. */
  wm_pid = gs_ui_test_start_window_manager ();

  status = g_test_run ();

  gs_ui_test_stop_window_manager (wm_pid);

  g_clear_object (&app);
  gs_ui_test_remove_tree (home);
  return status;
}
