/* gs-window.c — Gatescope's main window: step through a sequence, train, watch.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window owns one GsSession (gs-session.h): a worker thread that owns
 * the model and answers every command with a GsSnap. Each new snap goes to
 * every view at once, so they all draw the same state; the status line and
 * the hint below it are written from the same snap. The views share one
 * current timestep and one layer: the timestep follows the engine's cursor
 * when the engine moves, and a click on a column in any view moves it
 * without stepping the engine.
 *
 * This file: the instance, its properties, the session's signals. What a
 * snapshot changes on screen: gs-window-views.c. Actions and keys:
 * gs-window-actions.c. The settings panel: gs-window-settings.c. Frame
 * timing: gs-window-measure.c.
 */

#include <glib/gi18n.h>

#include "gs-compare-page.h"
#include "gs-code-panel.h"
#include "gs-shapes-panel.h"
#include "gs-window-private.h"

G_DEFINE_FINAL_TYPE (GsWindow, gs_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_TRAINING,
  PROP_PLAYING,
  PROP_SHOW_GRADIENTS,
  PROP_LAYER,
  PROP_TIMESTEP,
  PROP_SHOW_FPS,
  PROP_SETTINGS_REVEALED,
  PROP_COLOR_SCHEME,
  PROP_DECODE,
  N_PROPS
};

enum {
  FRAMES_MEASURED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
clear_training_stopped (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);

  self->training_stopped = FALSE;
  self->training_stopped_source = 0;
  return G_SOURCE_REMOVE;
}

static void
on_training (GsWindow   *self,
             GParamSpec *pspec,
             GsSession  *session)
{
  g_assert (GS_IS_WINDOW (self));

  /* The session says "training" is over before it passes on the error
   * that ended it: remember, until the main loop is idle, that training
   * just stopped, so that the error's toast can say so. */
  if (!gs_session_get_training (session))
    {
      self->training_stopped = TRUE;
      if (self->training_stopped_source == 0)
        self->training_stopped_source = g_idle_add (clear_training_stopped, self);
    }

  gs_window_update_status (self);
  gs_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

void
gs_window_show_toast (GsWindow   *self,
                      const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast;

  g_assert (GS_IS_WINDOW (self));

  /* AdwToast's title is Pango markup. */
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
gs_window_show_notice (GsWindow   *self,
                       const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  GtkWidget *label = gtk_label_new (message);
  AdwToast *toast;

  g_assert (GS_IS_WINDOW (self));

  /* Long enough to need more than the one line of a toast's title. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  toast = adw_toast_new (escaped);
  adw_toast_set_custom_title (toast, label);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_session_error (GsWindow   *self,
                  const char *message,
                  GsSession  *session)
{
  g_autofree char *text = NULL;

  g_assert (GS_IS_WINDOW (self));

  /* The session stops training by itself on an error (a diverged run);
   * its "training" notification follows this one. */
  if (gs_session_get_training (session) || self->training_stopped)
    /* Translators: %s is the engine's message, e.g. "the run diverged". */
    text = g_strdup_printf (_("Training stopped: %s"), message);
  else
    text = g_strdup (message);
  gs_window_show_toast (self, text);
}

/* The window's subtitle names the run's settings. */
static void
on_config_changed (GsWindow *self)
{
  g_autofree char *summary = gs_window_describe_config (gs_session_get_config (self->session));

  adw_view_switcher_title_set_subtitle (self->switcher_title, summary);
  gs_shapes_panel_set_config (GS_SHAPES_PANEL (adw_view_stack_get_child_by_name (self->view_stack, "shapes")),
                              gs_session_get_config (self->session));
  gs_code_panel_set_config (GS_CODE_PANEL (adw_view_stack_get_child_by_name (self->view_stack, "code")),
                            gs_session_get_config (self->session));
  _gs_window_reset_scrubber (self);
  /* every run starts by teacher forcing (gs_stepper_reset; an adopted run is
   * set so by the session) */
  if (self->decode != GS_DECODE_TEACHER)
    {
      self->decode = GS_DECODE_TEACHER;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECODE]);
    }
}

/* ───────────────────────── style ───────────────────────── */

static void
gs_window_apply_color_scheme (GsWindow *self)
{
  g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");
  AdwColorScheme adw = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (scheme, "light") == 0)
    adw = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (scheme, "dark") == 0)
    adw = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), adw);
}

static void
on_flap_revealed (GsWindow   *self,
                  GParamSpec *pspec,
                  AdwFlap    *flap)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS_REVEALED]);
}

/* ───────────────────────── GObject ───────────────────────── */

static gboolean
gs_window_close_request (GtkWindow *window)
{
  GsWindow *self = GS_WINDOW (window);
  gboolean maximized = gtk_window_is_maximized (window);

  /* Unsaved work: Save / Discard / Cancel first (gs-window-file.c). */
  if (_gs_window_file_close_request (self))
    return TRUE;

  g_settings_delay (self->settings);
  if (!maximized)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (gs_window_parent_class)->close_request (window);
}

static void
gs_window_dispose (GObject *object)
{
  GsWindow *self = (GsWindow *) object;

  _gs_window_file_dispose (self);
  _gs_window_export_dispose (self);
  gs_window_stop_play (self);
  gs_window_dispose_pace (self);
  gs_window_dispose_present (self);
  gs_window_stop_measuring (self);
  g_clear_handle_id (&self->training_stopped_source, g_source_remove);
  gs_window_set_show_fps (self, FALSE);
  g_clear_object (&self->meter);

  /* Joins the worker thread; its pending replies are dropped. */
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);

  _gs_window_dispose_scrubber (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_WINDOW);
  g_clear_pointer (&self->heatmaps, g_ptr_array_unref);

  G_OBJECT_CLASS (gs_window_parent_class)->dispose (object);
}

static void
gs_window_finalize (GObject *object)
{
  GsWindow *self = (GsWindow *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gs_window_parent_class)->finalize (object);
}

static void
gs_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GsWindow *self = GS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      g_value_set_boolean (value, gs_window_get_training (self));
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_SHOW_GRADIENTS:
      g_value_set_boolean (value, self->show_gradients);
      break;
    case PROP_LAYER:
      g_value_set_int (value, self->layer);
      break;
    case PROP_TIMESTEP:
      g_value_set_int (value, self->timestep);
      break;
    case PROP_SHOW_FPS:
      g_value_set_boolean (value, self->show_fps);
      break;
    case PROP_SETTINGS_REVEALED:
      /* (asked for while the template is being built, before the flap exists) */
      g_value_set_boolean (value, self->settings_flap != NULL &&
                                  adw_flap_get_reveal_flap (self->settings_flap));
      break;
    case PROP_DECODE:
      g_value_set_static_string (value, gs_decode_name (self->decode));
      break;
    case PROP_COLOR_SCHEME:
      if (self->settings != NULL)
        g_value_take_string (value, g_settings_get_string (self->settings, "color-scheme"));
      else
        g_value_set_static_string (value, "default");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GsWindow *self = GS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      if (self->session == NULL)
        break;
      /* At the speed of the menu beside Train (gs-window-pace.c). */
      if (g_value_get_boolean (value))
        {
          if (!gs_window_get_training (self))
            gs_window_start_training (self, -1);
        }
      else
        {
          gs_window_stop_pacing (self);
          gs_session_set_training (self->session, FALSE);
        }
      break;
    case PROP_PLAYING:
      gs_window_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_GRADIENTS:
      gs_window_set_show_gradients (self, g_value_get_boolean (value));
      break;
    case PROP_LAYER:
      gs_window_set_layer (self, g_value_get_int (value));
      break;
    case PROP_TIMESTEP:
      gs_window_set_timestep (self, g_value_get_int (value));
      break;
    case PROP_SHOW_FPS:
      gs_window_set_show_fps (self, g_value_get_boolean (value));
      break;
    case PROP_SETTINGS_REVEALED:
      adw_flap_set_reveal_flap (self->settings_flap, g_value_get_boolean (value));
      break;
    case PROP_DECODE:
      {
        GsDecode decode;

        if (gs_decode_from_name (g_value_get_string (value), &decode) == GS_OK && decode != self->decode)
          {
            self->decode = decode;
            if (self->session != NULL)
              gs_session_set_decode (self->session, decode);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;
    case PROP_COLOR_SCHEME:
      g_settings_set_string (self->settings, "color-scheme", g_value_get_string (value));
      gs_window_apply_color_scheme (self);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_window_class_init (GsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gs_window_dispose;
  object_class->finalize = gs_window_finalize;
  object_class->get_property = gs_window_get_property;
  object_class->set_property = gs_window_set_property;

  window_class->close_request = gs_window_close_request;

  /* Each of these is also a stateful win.* action (gs-window-actions.c). */
  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_GRADIENTS] =
    g_param_spec_boolean ("show-gradients", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL, 0, GS_WINDOW_MAX_LAYERS - 1, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMESTEP] =
    g_param_spec_int ("timestep", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_FPS] =
    g_param_spec_boolean ("show-fps", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS_REVEALED] =
    g_param_spec_boolean ("settings-revealed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* "default" (follow the system), "light" or "dark". */
  properties[PROP_COLOR_SCHEME] =
    g_param_spec_string ("color-scheme", NULL, NULL, "default",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* How the next passes of an encoder–decoder feed the decoder: "teacher"
   * (teacher forcing, what training uses) or "greedy" (an evaluation pass). */
  properties[PROP_DECODE] =
    g_param_spec_string ("decode", NULL, NULL, "teacher",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* gs_window_measure_frames () is done: one line of JSON. */
  signals[FRAMES_MEASURED] =
    g_signal_new ("frames-measured", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (GS_TYPE_UNROLLED_VIEW);
  g_type_ensure (GS_TYPE_CELL_VIEW);
  g_type_ensure (GS_TYPE_PREDICTION_BARS);
  g_type_ensure (GS_TYPE_SERIES_PLOT);
  g_type_ensure (GS_TYPE_GRADIENT_VIEW);
  g_type_ensure (GS_TYPE_EMBEDDING_VIEW);
  g_type_ensure (GS_TYPE_GENERATE_PANEL);
  g_type_ensure (GS_TYPE_CLASSIFY_PANEL);
  g_type_ensure (GS_TYPE_LOSS_PLOT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, settings_flap);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, loss_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, hint_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, forward_button);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, train_button);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, gradients_button);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, play_content);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, speed_spin);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, unrolled_view);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cell_view);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cell_title);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, layer_box);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, reverse_button);
  gtk_widget_class_bind_template_child_full (widget_class, "layer_button_0", FALSE,
                                             G_STRUCT_OFFSET (GsWindow, layer_buttons[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "layer_button_1", FALSE,
                                             G_STRUCT_OFFSET (GsWindow, layer_buttons[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "layer_button_2", FALSE,
                                             G_STRUCT_OFFSET (GsWindow, layer_buttons[2]));
  gtk_widget_class_bind_template_child (widget_class, GsWindow, prediction_bars);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, series_plot);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, gradient_view);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, embedding_view);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, generate_panel);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, classify_panel);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, heatmap_box);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, loss_plot);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, fps_label);
  gs_window_class_init_settings (widget_class);

  gs_window_class_init_actions (widget_class);
  gs_window_class_init_present (widget_class);
  _gs_window_file_class_init (widget_class);
  gs_window_class_init_lessons (widget_class);
  _gs_window_export_class_init (widget_class);
}

static void
gs_window_init (GsWindow *self)
{
  g_autofree char *problem = NULL;
  GsTrainConfig config;

  self->timestep = -1;
  self->cursor_phase = -1;
  self->follow_cursor = TRUE;
  self->heatmaps = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  adw_view_stack_page_set_icon_name (adw_view_stack_add_titled (self->view_stack, gs_compare_page_new (), "compare", _("Compare")), "view-dual-symbolic");
  adw_view_stack_page_set_icon_name (adw_view_stack_add_titled (self->view_stack, gs_shapes_panel_new (), "shapes",
                                                                /* Translators: the page of the model's tensors and shapes */
                                                                _("Shapes")),
                                     "view-grid-symbolic");
  adw_view_stack_page_set_icon_name (adw_view_stack_add_titled (self->view_stack, gs_code_panel_new (), "code",
                                                                /* Translators: the page of the model as code */
                                                                _("Code")),
                                     "text-x-generic-symbolic");

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gs_window_apply_color_scheme (self);
  g_signal_connect_object (self->settings_flap, "notify::reveal-flap",
                           G_CALLBACK (on_flap_revealed), self, G_CONNECT_SWAPPED);

  gs_window_init_views (self);
  _gs_window_init_scrubber (self);
  _gs_window_init_interventions (self);
  _gs_window_init_decode (self);

  /* The run: the saved settings (an LSTM on the hello task at first), or
   * the defaults, saying why, when the engine cannot build them. */
  gs_window_init_settings (self);
  gs_window_load_saved_config (self, &config, &problem);
  if (problem != NULL)
    {
      /* Translators: %s is the engine's reason, e.g. "the file … has 984 characters; …". */
      g_autofree char *text = g_strdup_printf (_("The saved settings could not be used, so the window "
                                                 "opened on the defaults: %s"), problem);

      /* Also for whoever reads the log (G_MESSAGES_DEBUG=Gatescope): the
       * installed-tree test checks that the shipped data was found. */
      g_debug ("saved settings not used: %s", problem);
      gs_window_settings_from_config (self, &config);
      gs_window_show_notice (self, text);
    }
  self->session = gs_session_new (&config);
  g_signal_connect_object (self->session, "notify::snap",
                           G_CALLBACK (gs_window_on_snap), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::training",
                           G_CALLBACK (on_training), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "error",
                           G_CALLBACK (on_session_error), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "config-changed",
                           G_CALLBACK (on_config_changed), self, G_CONNECT_SWAPPED);
  on_config_changed (self);
  _gs_window_connect_scrubber (self);
  _gs_window_connect_interventions (self);

  gs_window_init_pace (self);
  gs_window_init_actions (self);
  gs_window_init_present (self);
  gs_window_update_actions (self);

  /* The frame-rate overlay is a diagnostic: Ctrl+Shift+F, or from the start. */
  if (g_strcmp0 (g_getenv ("GATESCOPE_SHOW_FPS"), "1") == 0)
    gs_window_set_show_fps (self, TRUE);
  _gs_window_file_init (self);
  _gs_window_export_init (self);
}

/* A new run on `config`: the views follow its first snapshot. */
void
gs_window_reset_session (GsWindow            *self,
                         const GsTrainConfig *config)
{
  g_assert (GS_IS_WINDOW (self));

  gs_window_stop_pacing (self);

  gs_window_stop_play (self);
  self->follow_cursor = TRUE;
  gs_session_reset (self->session, config);
}

/**
 * gs_window_new:
 * @application: the application the window belongs to
 *
 * Returns: (transfer full): a new main window.
 */
GsWindow *
gs_window_new (GsApplication *application)
{
  g_return_val_if_fail (GS_IS_APPLICATION (application), NULL);

  return g_object_new (GS_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

GsSession *
gs_window_get_session (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);

  return self->session;
}

gboolean
gs_window_get_training (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);

  return self->session != NULL && (gs_session_get_training (self->session) || gs_window_get_pacing (self));
}

int
gs_window_get_timestep (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), -1);

  return self->timestep;
}

int
gs_window_get_layer (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), 0);

  return self->layer;
}

void
gs_window_emit_frames_measured (GsWindow   *self,
                                const char *json)
{
  g_assert (GS_IS_WINDOW (self));

  g_signal_emit (self, signals[FRAMES_MEASURED], 0, json);
}
