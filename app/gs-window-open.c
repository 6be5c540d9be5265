/* gs-window-open.c — opening a model file in the window.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model (Gatescope's safetensors, a PyTorch state_dict as safetensors or
 * torch.save's .pt) opens as a run that starts from its weights: the
 * engine makes the configuration of the file (gs_train_config_from_model)
 * and the session's trainer loads the weights (GsTrainConfig.init). The
 * run is built once here first, so that a file that cannot be read or
 * does not fit the task keeps the current run and says why.
 */
#include <glib/gi18n.h>

#include "gs-window.h"
#include "gs-window-private.h"

/* A toast of several lines that goes by itself (a notice would stay and
 * hold back every later toast). */
static void
show_long_toast (GsWindow   *self,
                 const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  GtkWidget *label = gtk_label_new (message);
  AdwToast *toast = adw_toast_new (escaped);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  adw_toast_set_custom_title (toast, label);
  adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

gboolean
gs_window_open_model (GsWindow *self,
                      GFile    *file)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *base = NULL;
  g_autofree char *why = NULL;
  g_autofree char *text = NULL;
  GsTrainConfig config;
  GsTrainer *trial;
  GsError err = { { 0 } };
  char warning[384];

  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_parse_name (file);
  base = g_file_get_basename (file);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      /* Translators: %s is a location such as sftp://host/model.pt. */
      text = g_strdup_printf (_("%s is not a local file; Gatescope opens models from this computer's disks"),
                              name);
      gs_window_show_notice (self, text);
      return FALSE;
    }

  config = *gs_session_get_config (gs_window_get_session (self));
  if (gs_train_config_from_model (&config, path, FALSE, TRUE, warning, sizeof warning, &err) != GS_OK)
    {
      /* Translators: %s is the engine's reason, which starts with the file's path. */
      text = g_strdup_printf (_("The model could not be opened: %s"), err.msg);
      gs_window_show_notice (self, text);
      return FALSE;
    }
  trial = gs_trainer_new (&config, &err);
  if (trial == NULL || !gs_window_run_fits (trial, &why))
    {
      text = g_strdup_printf (_("The model could not be opened: %s"), trial == NULL ? err.msg : why);
      gs_trainer_free (trial);
      gs_window_show_notice (self, text);
      return FALSE;
    }
  gs_trainer_free (trial);

  gs_window_settings_from_config (self, &config);
  gs_window_reset_session (self, &config);
  if (warning[0] != '\0')
    {
      /* Translators: %s is the file, then the engine's note, e.g. that an RNN runs as tanh. */
      text = g_strdup_printf (_("Opened %s: the run starts from its weights. Note: %s"), base, warning);
      show_long_toast (self, text);
    }
  else
    {
      text = g_strdup_printf (_("Opened %s: the run starts from its weights."), base);
      gs_window_show_toast (self, text);
    }
  return TRUE;
}
