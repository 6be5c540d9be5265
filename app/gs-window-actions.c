/* gs-window-actions.c — the window's actions, their keys, and the play timer.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every control is a win.* action; buttons, keys and the shortcuts window
 * name the action, never a callback. The stateful ones are the window's
 * properties (gtk_widget_class_install_property_action): playing,
 * training, show-gradients, layer, settings-revealed, show-fps,
 * color-scheme. gs_window_update_actions () alone decides which are enabled.
 *
 * Stepping and training: a step (→, ←, Enter) while training continuously
 * stops the training — the session does that by itself — so stepping stays
 * enabled while training; only ← waits for something to undo.
 *
 * Keys: the window class binds them (gtk_widget_class_add_binding_action),
 * which works whenever the focused widget leaves the key alone. A focused
 * button would take Space and Enter, and arrows move the focus, so a
 * capture-phase shortcut controller sends the stepping keys to the actions
 * first — unless the focus is somewhere typing or choosing is going on (the
 * settings panel, a text field, a menu), or the user has moved the focus to
 * a button with Tab on purpose (then Space and Enter press it, until the
 * next click). After Apply the focus leaves the panel (gs_window_apply_settings).
 */

#include <glib/gi18n.h>

#include "gs-experiment-dialog.h"
#include "gs-window-private.h"

/* ───────────────────────── experiments ───────────────────────── */

/* The LSTM-against-RNN experiments, in their own modal window. */
static void
experiments_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gtk_window_present (GTK_WINDOW (gs_experiment_dialog_new (GTK_WINDOW (widget))));
}

/* ───────────────────────── play ───────────────────────── */

static gboolean
play_tick (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);

  /* Never queue up: skip a tick the session has not answered yet. */
  if (!gs_session_get_busy (self->session))
    gs_session_step_forward (self->session);
  return G_SOURCE_CONTINUE;
}

static void
gs_window_restart_play_timer (GsWindow *self)
{
  guint interval;

  g_assert (GS_IS_WINDOW (self));

  g_clear_handle_id (&self->play_source, g_source_remove);
  if (!self->playing)
    return;
  interval = (guint) (1000.0 / CLAMP (self->play_speed, 0.1, 120.0) + 0.5);
  self->play_source = g_timeout_add_full (G_PRIORITY_DEFAULT, interval, play_tick, self, NULL);
  g_source_set_name_by_id (self->play_source, "[gatescope] play");
}

void
gs_window_set_playing (GsWindow *self,
                       gboolean  playing)
{
  g_assert (GS_IS_WINDOW (self));

  playing = !!playing;
  if (self->playing == playing)
    return;
  self->playing = playing;

  if (playing)
    {
      gs_window_stop_pacing (self);
      gs_session_set_training (self->session, FALSE);
      play_tick (self);
    }
  gs_window_restart_play_timer (self);

  adw_button_content_set_icon_name (self->play_content,
                                    playing ? "media-playback-pause-symbolic"
                                            : "media-playback-start-symbolic");
  adw_button_content_set_label (self->play_content,
                                /* Translators: the play button while playing. */
                                playing ? _("Pause") : _("Play"));
  g_object_notify (G_OBJECT (self), "playing");
}

void
gs_window_stop_play (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  if (self->playing)
    gs_window_set_playing (self, FALSE);
  g_clear_handle_id (&self->play_source, g_source_remove);
}

void
gs_window_set_play_speed (GsWindow *self,
                          double    speed)
{
  g_assert (GS_IS_WINDOW (self));

  if (self->play_speed == speed)
    return;
  self->play_speed = speed;
  if (self->playing)
    gs_window_restart_play_timer (self);
}

static void
on_speed_changed (GsWindow      *self,
                  GtkSpinButton *spin)
{
  double speed = gtk_spin_button_get_value (spin);

  gs_window_set_play_speed (self, speed);
  g_settings_set_double (self->settings, "play-speed", speed);
}

/* Enter in the speed field hands the keys back to the transport. */
static void
on_speed_activate (GsWindow *self,
                   GtkText  *text)
{
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

/* ───────────────────────── the actions ───────────────────────── */

static void
step_forward_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);

  gs_window_stop_pacing (self);
  gs_session_step_forward (self->session);
}

static void
step_back_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);

  if (!gs_session_can_step_back (self->session))
    return;
  gs_window_stop_play (self);
  gs_window_stop_pacing (self);
  gs_session_step_back (self->session);
}

static void
train_step_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);

  gs_window_stop_play (self);
  gs_window_stop_pacing (self);
  gs_session_train_step (self->session);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  GsTrainConfig config = *gs_session_get_config (self->session);

  gs_window_reset_session (self, &config);
}

static void
apply_settings_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  gs_window_apply_settings (GS_WINDOW (widget));
}

static void
default_settings_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  GsTrainConfig config;

  gs_train_config_default (&config);
  config.cell = GS_CELL_LSTM;
  gs_window_settings_from_config (self, &config);
}

void
gs_window_update_actions (GsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *page;
  gboolean ready, stepping;

  g_assert (GS_IS_WINDOW (self));

  if (self->session == NULL)
    return;

  /* The transport works on the page it belongs to, once the run exists. */
  page = adw_view_stack_get_visible_child_name (self->view_stack);
  ready = gs_session_get_snap (self->session) != NULL;
  stepping = ready && g_strcmp0 (page, "step") == 0;

  gtk_widget_action_set_enabled (widget, "win.step-forward", stepping);
  gtk_widget_action_set_enabled (widget, "win.step-back",
                                 stepping && gs_session_can_step_back (self->session));
  gtk_widget_action_set_enabled (widget, "win.play", stepping);
  gtk_widget_action_set_enabled (widget, "win.train-step", stepping);
  /* Training can always be stopped, from any page. */
  gtk_widget_action_set_enabled (widget, "win.train", stepping || gs_window_get_training (self));
  gtk_widget_action_set_enabled (widget, "win.reset", stepping);
  gtk_widget_action_set_enabled (widget, "win.show-gradients", stepping);
  gtk_widget_action_set_enabled (widget, "win.layer", stepping);
  gtk_widget_action_set_enabled (widget, "win.settings", g_strcmp0 (page, "step") == 0);
}

static void
on_visible_page (GsWindow   *self,
                 GParamSpec *pspec,
                 gpointer    stack)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "step") != 0)
    gs_window_stop_play (self);
  gs_window_update_actions (self);
}

/* ───────────────────────── keys ───────────────────────── */

/* Whether a stepping key should go to the actions rather than to the
 * focused widget: always, unless typing or choosing is going on (a text
 * field, a spin button, a list or a menu in a popover), or the user has
 * moved the focus on purpose with Tab (then Space and Enter press the
 * button or row it reached, and the arrows move on in the settings panel),
 * or a view has the keyboard focus (its arrows move its own timestep).
 * A panel row or switch that a click left focused does not count: the
 * first → after Apply steps the network. */
static gboolean
keys_belong_to_transport (GsWindow *self,
                          gboolean  button_key)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *flap;
  gboolean in_panel;

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "step") != 0)
    return FALSE;
  if (focus == NULL)
    return TRUE;
  if (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT (focus) ||
      gtk_widget_get_ancestor (focus, GTK_TYPE_EDITABLE) != NULL ||
      gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL)
    return FALSE;
  if (!button_key && gtk_widget_get_ancestor (focus, GS_TYPE_VIEW) != NULL)
    return FALSE;
  flap = adw_flap_get_flap (self->settings_flap);
  in_panel = flap != NULL && (focus == flap || gtk_widget_is_ancestor (focus, flap));
  if (self->tabbed && in_panel)
    return FALSE;
  /* A button reached with Tab: Space and Enter press it, as everywhere. */
  if (button_key && self->tabbed &&
      (GTK_IS_BUTTON (focus) || gtk_widget_get_ancestor (focus, GTK_TYPE_BUTTON) != NULL))
    return FALSE;
  return TRUE;
}

/* Tab moves the focus on purpose; a click anywhere ends that. */
static gboolean
on_tab_key (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  GS_WINDOW (widget)->tabbed = TRUE;
  return FALSE;   /* and let Tab move the focus */
}

static void
on_click (GtkGestureClick *gesture,
          int              n_press,
          double           x,
          double           y,
          GsWindow        *self)
{
  self->tabbed = FALSE;
}

/* GTK focuses the first button when the window is shown; the keys are the
 * transport's until the user tabs somewhere. */
static gboolean
drop_initial_focus (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);

  if (!self->tabbed)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  return G_SOURCE_REMOVE;
}

static void
on_map (GsWindow *self)
{
  self->tabbed = FALSE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, drop_initial_focus, g_object_ref (self), g_object_unref);
}

typedef struct {
  guint       keyval;
  GdkModifierType modifiers;
  const char *action;
  gboolean    button_key;   /* a key a focused button uses */
} TransportKey;

static const TransportKey transport_keys[] = {
  { GDK_KEY_Right,    0, "win.step-forward", FALSE },
  { GDK_KEY_KP_Right, 0, "win.step-forward", FALSE },
  { GDK_KEY_Left,     0, "win.step-back",    FALSE },
  { GDK_KEY_KP_Left,  0, "win.step-back",    FALSE },
  { GDK_KEY_space,    0, "win.play",         TRUE },
  { GDK_KEY_Return,   0, "win.train-step",   TRUE },
  { GDK_KEY_KP_Enter, 0, "win.train-step",   TRUE },
};

static gboolean
on_transport_key (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  GsWindow *self = GS_WINDOW (widget);
  const TransportKey *key = user_data;

  if (!keys_belong_to_transport (self, key->button_key))
    return FALSE;
  /* A disabled action (← with nothing to undo) still eats its key: a
   * focus that jumps on a key that did nothing would be a surprise. */
  gtk_widget_activate_action (widget, key->action, NULL);
  return TRUE;
}

void
gs_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.step-forward", NULL, step_forward_action);
  gtk_widget_class_install_action (widget_class, "win.step-back", NULL, step_back_action);
  gtk_widget_class_install_action (widget_class, "win.train-step", NULL, train_step_action);
  gtk_widget_class_install_action (widget_class, "win.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "win.apply-settings", NULL, apply_settings_action);
  gtk_widget_class_install_action (widget_class, "win.default-settings", NULL, default_settings_action);
  gtk_widget_class_install_action (widget_class, "win.experiments", NULL, experiments_action);
  gtk_widget_class_install_property_action (widget_class, "win.play", "playing");
  gtk_widget_class_install_property_action (widget_class, "win.train", "training");
  gtk_widget_class_install_property_action (widget_class, "win.show-gradients", "show-gradients");
  gtk_widget_class_install_property_action (widget_class, "win.layer", "layer");
  gtk_widget_class_install_property_action (widget_class, "win.settings", "settings-revealed");
  gtk_widget_class_install_property_action (widget_class, "win.show-fps", "show-fps");
  gtk_widget_class_install_property_action (widget_class, "win.color-scheme", "color-scheme");
  gtk_widget_class_install_property_action (widget_class, "win.decode", "decode");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "win.step-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "win.step-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "win.train-step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "win.train-step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.train-step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.train", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.settings", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, 0, "win.show-gradients", NULL);
  /* A diagnostic, not a menu item (also GATESCOPE_SHOW_FPS=1, gs-window.c). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-fps", NULL);
}

void
gs_window_init_actions (GsWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  /* The stepping keys, before the focused widget sees them. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_static_name (controller, "gatescope-transport-keys");
  for (guint i = 0; i < G_N_ELEMENTS (transport_keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (transport_keys[i].keyval, transport_keys[i].modifiers),
                        gtk_callback_action_new (on_transport_key, (gpointer) &transport_keys[i], NULL)));
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Tab, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK)),
                      gtk_callback_action_new (on_tab_key, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "pressed", G_CALLBACK (on_click), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);

  /* win.language writes the Language setting, read at the next start (gs-main.c). */
  {
    g_autoptr(GAction) language = g_settings_create_action (self->settings, "language");
    g_action_map_add_action (G_ACTION_MAP (self), language);
  }

  self->play_speed = g_settings_get_double (self->settings, "play-speed");
  gtk_spin_button_set_value (self->speed_spin, self->play_speed);
  g_signal_connect_object (self->speed_spin, "value-changed",
                           G_CALLBACK (on_speed_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->speed_spin)), "activate",
                           G_CALLBACK (on_speed_activate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_visible_page), self, G_CONNECT_SWAPPED);
}
