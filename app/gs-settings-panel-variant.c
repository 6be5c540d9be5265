/* gs-settings-panel-variant.c — the cell variant's rows, made from gs_variant_table.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per row of the table, in its order, titled with its label and
 * subtitled with its help: a switch for a bool or a choice, a number for a
 * number (with a switch beside it when the row says panel_switch; else the
 * number 0 is off). A row shows for the cells it applies to; it is greyed
 * out while the network has fewer layers than it needs, and while a row
 * it is refused with (GS_REFUSAL_PANEL_GREY) is on; switches refused
 * together (GS_REFUSAL_PANEL_EXCLUDE) turn each other off. Nothing here
 * names a variant: a new row of the table is a new row of the panel.
 */

#include <string.h>

#include <glib/gi18n.h>

#include "gs-settings-panel-private.h"
#include "gs-variant-table.h"

#define ROW_INDEX "gs-variant-row"
#define MAX_SPIN_CHARS 4   /* a number's field is no wider than "0.00" */

/* As wide as the field's widest number, up to MAX_SPIN_CHARS: a range of
 * 100000 would otherwise push its subtitle onto a third line. */
static void
fit_spin_width (GtkSpinButton *spin)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  const guint digits = gtk_spin_button_get_digits (spin);
  g_autofree char *lower = g_strdup_printf ("%.*f", digits, gtk_adjustment_get_lower (adjustment));
  g_autofree char *upper = g_strdup_printf ("%.*f", digits, gtk_adjustment_get_upper (adjustment));

  gtk_editable_set_width_chars (GTK_EDITABLE (spin),
                                (int) MIN (MAX (strlen (lower), strlen (upper)), MAX_SPIN_CHARS));
}

static gboolean
row_switched_on (GsSettingsPanel *self,
                 int              i)
{
  const GsVariantRowWidgets *w = &self->variant_rows[i];

  return w->sw != NULL && gtk_switch_get_active (w->sw);
}

/* Row i is greyed out by a refusal: another row it is refused with is on
 * (and applies to cell). */
static gboolean
row_greyed (GsSettingsPanel *self,
            int              i,
            GsCell           cell)
{
  for (int k = 0; k < gs_variant_refusals_len; k++)
    {
      const GsVariantRefusal *r = &gs_variant_refusals[k];

      if (r->panel != GS_REFUSAL_PANEL_GREY || r->a != i)
        continue;
      for (int j = 0; j < gs_variant_table_len; j++)
        if ((r->others & (1u << j)) != 0 && gs_variant_row_applies (j, cell) && row_switched_on (self, j))
          return TRUE;
    }
  return FALSE;
}

void
_gs_settings_panel_update_variant (GsSettingsPanel *self)
{
  GsCell cell = (GsCell) adw_combo_row_get_selected (self->cell_row);
  int L = gtk_spin_button_get_value_as_int (self->layers_spin);
  int H = gtk_spin_button_get_value_as_int (self->hidden_spin);

  g_assert (GS_IS_SETTINGS_PANEL (self));

  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const GsVariantInfo *info = &gs_variant_table[i];
      const GsVariantRowWidgets *w = &self->variant_rows[i];

      gtk_widget_set_visible (w->row, gs_variant_row_applies (i, cell));
      gtk_widget_set_sensitive (w->row, L >= info->min_layers && !row_greyed (self, i, cell));
      if (w->spin != NULL && w->sw != NULL)
        gtk_widget_set_sensitive (GTK_WIDGET (w->spin), gtk_switch_get_active (w->sw));
      /* A projection is smaller than the cell. */
      if (w->spin != NULL && info->max_is_hidden)
        {
          gtk_spin_button_set_range (w->spin, info->panel_min, MAX (H - 1, 0));
          fit_spin_width (w->spin);
        }
    }
  /* Only the LSTM has a cell state c of the hidden size. */
  adw_action_row_set_subtitle (self->hidden_row,
                               cell == GS_CELL_LSTM ? _("Per layer: the size of h and of the cell state c")
                                                    : _("Per layer: the size of h"));
}

/* A switch turned on turns off those it is refused with (GS_REFUSAL_PANEL_EXCLUDE). */
static void
on_switch_active (GsSettingsPanel *self,
                  GParamSpec      *pspec,
                  GtkSwitch       *sw)
{
  const int i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (sw), ROW_INDEX));

  if (gtk_switch_get_active (sw))
    for (int k = 0; k < gs_variant_refusals_len; k++)
      {
        const GsVariantRefusal *r = &gs_variant_refusals[k];

        if (r->panel != GS_REFUSAL_PANEL_EXCLUDE)
          continue;
        for (int j = 0; j < gs_variant_table_len; j++)
          {
            GtkSwitch *other = self->variant_rows[j].sw;
            gboolean refused = (r->a == i && (r->others & (1u << j)) != 0) ||
                               (r->a == j && (r->others & (1u << i)) != 0);

            if (refused && other != NULL)
              gtk_switch_set_active (other, FALSE);
          }
      }
  _gs_settings_panel_update_variant (self);
}

static GtkWidget *
make_row (GsSettingsPanel     *self,
          int                  i,
          GsVariantRowWidgets *w)
{
  const GsVariantInfo *info = &gs_variant_table[i];
  const gboolean number = info->type == GS_VARIANT_FLOAT || info->type == GS_VARIANT_INT;
  g_autofree char *name = g_strdup_printf ("variant-%s", info->name);
  g_autofree char *spin_name = g_strdup_printf ("variant-%s-spin", info->name);
  g_autofree char *switch_name = g_strdup_printf ("variant-%s-switch", info->name);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(info->label));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(info->help));
  gtk_widget_set_name (row, name);
  w->row = row;

  if (number)
    {
      GtkWidget *spin = gtk_spin_button_new_with_range (info->panel_min, info->panel_max, info->panel_step);

      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), (guint) info->panel_digits);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), info->panel_switch ? info->panel_off : 0.0);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_widget_set_name (spin, spin_name);
      fit_spin_width (GTK_SPIN_BUTTON (spin));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      g_signal_connect_object (spin, "value-changed",
                               G_CALLBACK (_gs_settings_panel_update_variant), self, G_CONNECT_SWAPPED);
      w->spin = GTK_SPIN_BUTTON (spin);
    }
  if (!number || info->panel_switch)
    {
      GtkWidget *sw = gtk_switch_new ();

      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_widget_set_name (sw, switch_name);
      g_object_set_data (G_OBJECT (sw), ROW_INDEX, GINT_TO_POINTER (i));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_switch_active), self, G_CONNECT_SWAPPED);
      w->sw = GTK_SWITCH (sw);
    }
  return row;
}

void
_gs_settings_panel_init_variant (GsSettingsPanel *self)
{
  g_assert (GS_IS_SETTINGS_PANEL (self));

  self->variant_rows = g_new0 (GsVariantRowWidgets, gs_variant_table_len);
  for (int i = 0; i < gs_variant_table_len; i++)
    adw_preferences_group_add (self->variant_group, make_row (self, i, &self->variant_rows[i]));
}

void
_gs_settings_panel_show_variant (GsSettingsPanel *self,
                                 const GsVariant *v)
{
  g_assert (GS_IS_SETTINGS_PANEL (self));

  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const GsVariantInfo *info = &gs_variant_table[i];
      const GsVariantRowWidgets *w = &self->variant_rows[i];
      const gboolean on = gs_variant_row_on (v, i);

      if (w->sw != NULL)
        gtk_switch_set_active (w->sw, on);
      if (w->spin != NULL)
        {
          if (info->max_is_hidden)
            gtk_spin_button_set_range (w->spin, info->panel_min, info->panel_max);
          gtk_spin_button_set_value (w->spin, info->panel_switch && !on ? info->panel_off
                                                                         : gs_variant_row_get (v, i));
        }
    }
  _gs_settings_panel_update_variant (self);
}

void
_gs_settings_panel_read_variant (GsSettingsPanel *self,
                                 GsCell           cell,
                                 int              L,
                                 GsVariant       *v)
{
  g_assert (GS_IS_SETTINGS_PANEL (self));

  memset (v, 0, sizeof *v);
  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const GsVariantRowWidgets *w = &self->variant_rows[i];

      if (!gs_variant_row_applies (i, cell) || L < gs_variant_table[i].min_layers || row_greyed (self, i, cell))
        continue;
      if (w->sw != NULL && !gtk_switch_get_active (w->sw))
        continue;
      if (w->spin != NULL && gtk_spin_button_get_value (w->spin) == 0.0 && w->sw == NULL)
        continue;   /* a number without a switch: 0 is off */
      gs_variant_row_set (v, i, w->spin != NULL ? gtk_spin_button_get_value (w->spin) : 1.0);
    }
}

void
_gs_settings_panel_commit_variant (GsSettingsPanel *self)
{
  for (int i = 0; i < gs_variant_table_len; i++)
    if (self->variant_rows[i].spin != NULL)
      gtk_spin_button_update (self->variant_rows[i].spin);
}

GtkWidget *
gs_settings_panel_get_variant_row (GsSettingsPanel *self,
                                   int              row)
{
  g_return_val_if_fail (GS_IS_SETTINGS_PANEL (self), NULL);
  g_return_val_if_fail (row >= 0 && row < gs_variant_table_len, NULL);

  return self->variant_rows[row].row;
}
