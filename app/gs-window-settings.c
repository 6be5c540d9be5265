/* gs-window-settings.c — the window's side of the settings panel.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel (GsSettingsPanel, gs-settings-panel.h) owns its widgets and
 * GSettings keys; the window hands an applied configuration to its
 * session, shows what the panel refuses in a toast, and names the run's
 * settings in its subtitle. The functions below keep their names for the
 * window's other files.
 */

#include <string.h>

#include <glib/gi18n.h>

#include "gs-variant-table.h"
#include "gs-window-private.h"

G_STATIC_ASSERT (GS_WINDOW_MAX_SNAPSHOT_BYTES == GS_SETTINGS_PANEL_MAX_SNAPSHOT_BYTES);

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

/* "adding (length 50)", "hello", "charlm (file poem.txt)" */
static char *
describe_task (const char *spec)
{
  GsTaskSpec parsed;
  GsError err;
  const GsTaskClass *klass = (gs_task_spec_parse (&parsed, spec, &err), parsed.klass);
  char *const *values = parsed.values;
  GString *s;
  gboolean any = FALSE;

  if (klass == NULL)
    return g_strdup (spec);
  s = g_string_new (klass->name);
  for (int i = 0; i < klass->n_params; i++)
    {
      const char *value = values[i];
      g_autofree char *base = NULL;

      if (value == NULL || g_strcmp0 (value, klass->params[i].def) == 0)
        continue;
      if (klass->params[i].kind == GS_PARAM_FILE)
        value = base = g_path_get_basename (value);
      g_string_append (s, any ? ", " : " (");
      g_string_append_printf (s, "%s %s", klass->params[i].key, value);
      any = TRUE;
    }
  if (any)
    g_string_append_c (s, ')');
  gs_task_spec_clear (&parsed);
  return g_string_free (s, FALSE);
}

/* "peephole · clip 3", "" for a plain cell: each row of gs_variant_table
 * that is on and applies to the cell, by its short name. */
static char *
describe_variant (const GsVariant *v,
                  GsCell           cell)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const GsVariantInfo *r = &gs_variant_table[i];

      if (!gs_variant_row_on (v, i) || !gs_variant_row_applies (i, cell))
        continue;
      /* summary is a translated format with the row's value (or none) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
      if (r->type == GS_VARIANT_INT)
        g_ptr_array_add (parts, g_strdup_printf (_(r->summary), (int) gs_variant_row_get (v, i)));
      else if (r->type == GS_VARIANT_FLOAT)
        g_ptr_array_add (parts, g_strdup_printf (_(r->summary), gs_variant_row_get (v, i)));
      else
        g_ptr_array_add (parts, g_strdup (_(r->summary)));
#pragma GCC diagnostic pop
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* "LSTM · peephole · adding (length 50) · 2 layers × 8 units · embedding 10 ·
 * Adam, lr 0.05 · seed 0" */
char *
gs_window_describe_config (const GsTrainConfig *config)
{
  g_autofree char *variant = NULL;
  g_autofree char *task = NULL;
  g_autofree char *cell = NULL;
  g_autofree char *input = NULL;
  g_autofree char *layers = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  variant = describe_variant (&config->variant, config->cell);
  cell = variant[0] != '\0' ? g_strdup_printf ("%s · %s", cell_display_name (config->cell), variant)
                            : g_strdup (cell_display_name (config->cell));
  task = describe_task (config->task);
  if (config->one_hot)
    input = g_strdup (_("one-hot input"));
  else
    /* Translators: the size of the learned input vectors. */
    input = g_strdup_printf (_("embedding %d"), config->E);
  /* Translators: layers × hidden units per layer. */
  layers = g_strdup_printf (ngettext ("%d layer × %d units", "%d layers × %d units", config->L),
                            config->L, config->H);
  /* Translators: the run's settings: cell and its variant, task, layers,
   * input, optimizer, learning rate, seed. */
  return g_strdup_printf (_("%s · %s · %s · %s · %s, lr %g · seed %llu"),
                          cell, task, layers, input,
                          optimizer_display_name (config->opt.kind), (double) config->opt.lr,
                          (unsigned long long) config->seed);
}

/* ───────────────────────── the panel ───────────────────────── */

/* The panel's settings were accepted: a new run on them. */
static void
on_panel_apply (GsWindow            *self,
                const GsTrainConfig *config)
{
  gs_window_reset_session (self, config);
  /* On a narrow window the panel covers the views: make way. */
  if (adw_flap_get_folded (self->settings_flap))
    adw_flap_set_reveal_flap (self->settings_flap, FALSE);
  /* The keys go back to the network: the next → steps the new run, even
   * if Apply was reached with Tab. */
  self->tabbed = FALSE;
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

static void
on_panel_refused (GsWindow   *self,
                  const char *message)
{
  gs_window_show_toast (self, message);
}

char *
gs_window_settings_task_spec (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);

  return gs_settings_panel_get_task_spec (self->settings_panel);
}

void
gs_window_settings_set_task_file (GsWindow   *self,
                                  const char *key,
                                  const char *path)
{
  g_return_if_fail (GS_IS_WINDOW (self));

  gs_settings_panel_set_task_file (self->settings_panel, key, path);
}

gboolean
gs_window_run_fits (const GsTrainer *trial,
                    char           **why)
{
  return gs_settings_panel_run_fits (trial, why);
}

void
gs_window_load_saved_config (GsWindow      *self,
                             GsTrainConfig *config,
                             char         **problem)
{
  g_assert (GS_IS_WINDOW (self));

  gs_settings_panel_load_saved (self->settings_panel, config, problem);
}

void
gs_window_settings_from_config (GsWindow            *self,
                                const GsTrainConfig *config)
{
  g_assert (GS_IS_WINDOW (self));

  gs_settings_panel_set_config (self->settings_panel, config);
}

void
gs_window_settings_to_config (GsWindow      *self,
                              GsTrainConfig *config)
{
  g_assert (GS_IS_WINDOW (self));

  gs_settings_panel_get_config (self->settings_panel, gs_session_get_config (self->session), config);
}

gboolean
gs_window_apply_settings (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  return gs_settings_panel_apply (self->settings_panel, gs_session_get_config (self->session));
}

void
gs_window_class_init_settings (GtkWidgetClass *widget_class)
{
  g_type_ensure (GS_TYPE_SETTINGS_PANEL);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, settings_panel);
}

void
gs_window_init_settings (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  g_signal_connect_object (self->settings_panel, "apply",
                           G_CALLBACK (on_panel_apply), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings_panel, "refused",
                           G_CALLBACK (on_panel_refused), self, G_CONNECT_SWAPPED);
}
