/* gs-window-settings.c — the settings panel, the run's GsTrainConfig, GSettings.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel edits a GsTrainConfig; Apply hands it to the engine, which
 * validates it. A refused configuration is shown in a toast with the
 * engine's own message and changes nothing; an accepted one is saved (the
 * next start opens on it) and starts a new run. The task is always hello:
 * the stepping window is for watching a sequence the class can read.
 */

#include <glib/gi18n.h>

#include "gs-window-private.h"

/* The drop-downs list cells and optimizers in the engine's order. */
G_STATIC_ASSERT (GS_CELL_RNN_TANH == 0 && GS_CELL_RNN_RELU == 1 &&
                 GS_CELL_LSTM == 2 && GS_CELL_GRU == 3 && GS_N_CELLS == 4);
G_STATIC_ASSERT (GS_OPT_SGD == 0 && GS_OPT_ADAM == 1 &&
                 GS_OPT_RMSPROP == 2 && GS_OPT_ADAGRAD == 3 && GS_N_OPTS == 4);

enum { INPUT_EMBEDDING, INPUT_ONE_HOT };

static const char *
cell_display_name (GsCell cell)
{
  switch (cell)
    {
    case GS_CELL_RNN_TANH: return _("RNN (tanh)");
    case GS_CELL_RNN_RELU: return _("RNN (ReLU)");
    case GS_CELL_LSTM:     return _("LSTM");
    case GS_CELL_GRU:      return _("GRU");
    case GS_N_CELLS:
    default:               return "?";
    }
}

static const char *
optimizer_display_name (GsOptKind kind)
{
  switch (kind)
    {
    case GS_OPT_SGD:     return _("SGD");
    case GS_OPT_ADAM:    return _("Adam");
    case GS_OPT_RMSPROP: return _("RMSprop");
    case GS_OPT_ADAGRAD: return _("Adagrad");
    case GS_N_OPTS:
    default:             return "?";
    }
}

/* "LSTM · 2 layers × 8 units · embedding 10 · Adam, lr 0.05 · seed 0" */
char *
gs_window_describe_config (const GsTrainConfig *config)
{
  g_autofree char *input = NULL;
  g_autofree char *layers = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  if (config->one_hot)
    input = g_strdup (_("one-hot input"));
  else
    /* Translators: the size of the learned input vectors. */
    input = g_strdup_printf (_("embedding %d"), config->E);
  /* Translators: layers × hidden units per layer. */
  layers = g_strdup_printf (ngettext ("%d layer × %d units", "%d layers × %d units", config->L),
                            config->L, config->H);
  /* Translators: the run's settings: cell, layers, input, optimizer, learning
   * rate, seed. */
  return g_strdup_printf (_("%s · %s · %s · %s, lr %g · seed %llu"),
                          cell_display_name (config->cell), layers, input,
                          optimizer_display_name (config->opt.kind), (double) config->opt.lr,
                          (unsigned long long) config->seed);
}

/* The configuration the window opens on: the saved settings, or the
 * seed model's with an LSTM if they are not a valid run. */
void
gs_window_load_saved_config (GsWindow      *self,
                             GsTrainConfig *config)
{
  g_autofree char *cell = g_settings_get_string (self->settings, "cell");
  g_autofree char *optimizer = g_settings_get_string (self->settings, "optimizer");
  int embedding = g_settings_get_int (self->settings, "embedding");
  GsTrainConfig fallback;
  GsOptKind kind = GS_OPT_ADAM;
  GsError err;

  g_assert (GS_IS_WINDOW (self));

  gs_train_config_default (config);
  config->cell = GS_CELL_LSTM;
  fallback = *config;

  if (gs_cell_from_name (cell, &config->cell) != GS_OK)
    config->cell = GS_CELL_LSTM;
  config->L = g_settings_get_int (self->settings, "layers");
  config->H = g_settings_get_int (self->settings, "hidden");
  config->one_hot = embedding == 0;
  if (embedding > 0)
    config->E = embedding;
  if (gs_opt_from_name (optimizer, &kind) == GS_OK && kind != config->opt.kind)
    gs_opt_config_default (&config->opt, kind);
  config->opt.lr = (float) g_settings_get_double (self->settings, "learning-rate");
  config->seed = (uint64_t) g_settings_get_int (self->settings, "seed");

  if (gs_train_config_validate (config, &err) != GS_OK)
    {
      g_warning ("the saved settings are not a valid run (%s): using the defaults", err.msg);
      *config = fallback;
    }
}

void
gs_window_settings_from_config (GsWindow            *self,
                                const GsTrainConfig *config)
{
  g_assert (GS_IS_WINDOW (self));

  adw_combo_row_set_selected (self->cell_row, (guint) config->cell);
  gtk_spin_button_set_value (self->layers_spin, config->L);
  gtk_spin_button_set_value (self->hidden_spin, config->H);
  adw_combo_row_set_selected (self->input_row, config->one_hot ? INPUT_ONE_HOT : INPUT_EMBEDDING);
  gtk_spin_button_set_value (self->embed_spin, config->E);
  adw_combo_row_set_selected (self->optimizer_row, (guint) config->opt.kind);
  gtk_spin_button_set_value (self->lr_spin, config->opt.lr);
  gtk_spin_button_set_value (self->seed_spin, (double) config->seed);
}

void
gs_window_settings_to_config (GsWindow      *self,
                              GsTrainConfig *config)
{
  GsOptKind kind;

  g_assert (GS_IS_WINDOW (self));

  /* What the panel does not show stays as in the running configuration. */
  *config = *gs_session_get_config (self->session);
  config->cell = (GsCell) adw_combo_row_get_selected (self->cell_row);
  config->L = gtk_spin_button_get_value_as_int (self->layers_spin);
  config->H = gtk_spin_button_get_value_as_int (self->hidden_spin);
  config->one_hot = adw_combo_row_get_selected (self->input_row) == INPUT_ONE_HOT;
  config->E = gtk_spin_button_get_value_as_int (self->embed_spin);
  kind = (GsOptKind) adw_combo_row_get_selected (self->optimizer_row);
  if (kind != config->opt.kind)
    gs_opt_config_default (&config->opt, kind);   /* PyTorch's betas, momentum… */
  config->opt.lr = (float) gtk_spin_button_get_value (self->lr_spin);
  config->seed = (uint64_t) gtk_spin_button_get_value (self->seed_spin);
}

gboolean
gs_window_apply_settings (GsWindow *self)
{
  GsTrainConfig config;
  GsError err;

  g_assert (GS_IS_WINDOW (self));

  /* Whatever is typed in a field counts, even without Enter. */
  gtk_spin_button_update (self->layers_spin);
  gtk_spin_button_update (self->hidden_spin);
  gtk_spin_button_update (self->embed_spin);
  gtk_spin_button_update (self->lr_spin);
  gtk_spin_button_update (self->seed_spin);

  gs_window_settings_to_config (self, &config);
  if (gs_train_config_validate (&config, &err) != GS_OK)
    {
      /* Translators: %s is the engine's reason, e.g. "learning rate must be…". */
      g_autofree char *text = g_strdup_printf (_("These settings cannot be used: %s"), err.msg);

      gs_window_show_toast (self, text);
      return FALSE;
    }

  g_settings_delay (self->settings);
  g_settings_set_string (self->settings, "cell", gs_cell_name (config.cell));
  g_settings_set_int (self->settings, "layers", config.L);
  g_settings_set_int (self->settings, "hidden", config.H);
  g_settings_set_int (self->settings, "embedding", config.one_hot ? 0 : config.E);
  g_settings_set_string (self->settings, "optimizer", gs_opt_name (config.opt.kind));
  /* the number as typed, not its float rounding */
  g_settings_set_double (self->settings, "learning-rate", gtk_spin_button_get_value (self->lr_spin));
  g_settings_set_int (self->settings, "seed", (int) config.seed);
  g_settings_apply (self->settings);

  gs_window_reset_session (self, &config);
  /* On a narrow window the panel covers the views: make way. */
  if (adw_flap_get_folded (self->settings_flap))
    adw_flap_set_reveal_flap (self->settings_flap, FALSE);
  return TRUE;
}

static void
on_input_selected (GsWindow   *self,
                   GParamSpec *pspec,
                   AdwComboRow *row)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->embed_row),
                            adw_combo_row_get_selected (row) == INPUT_EMBEDDING);
}

void
gs_window_init_settings (GsWindow *self)
{
  GsTrainConfig config;

  g_assert (GS_IS_WINDOW (self));

  g_signal_connect_object (self->input_row, "notify::selected",
                           G_CALLBACK (on_input_selected), self, G_CONNECT_SWAPPED);
  gs_window_load_saved_config (self, &config);
  gs_window_settings_from_config (self, &config);
  on_input_selected (self, NULL, self->input_row);
}
