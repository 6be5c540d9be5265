/* gs-settings-panel-task.c — the task's drop-down, its parameter rows and recipe.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drop-down lists every task the engine knows (gs_task_classes ()) by
 * its translated title; the selected task's parameters are rows made from
 * its GsTaskParam list (a number, a choice or a file), and a task with a
 * recipe (gs-recipe.h) gets a row that puts the recipe's settings in the
 * panel.
 */

#include <math.h>

#include <glib/gi18n.h>

#include "gs-settings-panel-private.h"

/* The class and the parameter values of a spec (gs_task_spec_parse): the
 * class even when a key is unknown (the engine judges that on Apply). */
static const GsTaskClass *
parse_spec (const char *spec,
            GsTaskSpec *parsed)
{
  GsError err;

  gs_task_spec_parse (parsed, spec, &err);
  return parsed->klass;
}

static const GsTaskClass *
selected_task_class (GsSettingsPanel *self)
{
  int n;
  const GsTaskClass *const *classes = gs_task_classes (&n);
  guint i = adw_combo_row_get_selected (self->task_row);

  return i < (guint) n ? classes[i] : gs_task_class_find ("hello");
}

static void
clear_task_files (GsSettingsPanel *self)
{
  for (int i = 0; i < GS_TASK_MAX_PARAMS; i++)
    g_clear_pointer (&self->task_files[i], g_free);
}

/* The file button's label: the chosen file's name, or the shipped data. */
static void
update_file_button (GsSettingsPanel *self,
                    GtkWidget       *row,
                    int              i)
{
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "gs-value-widget");
  GtkWidget *clear = g_object_get_data (G_OBJECT (row), "gs-clear-widget");
  g_autofree char *base = NULL;

  if (self->task_files[i] != NULL)
    {
      base = g_path_get_basename (self->task_files[i]);
      gtk_button_set_label (GTK_BUTTON (button), base);
      gtk_widget_set_tooltip_text (button, self->task_files[i]);
    }
  else
    {
      gtk_button_set_label (GTK_BUTTON (button), _("Shipped corpus"));
      gtk_widget_set_tooltip_text (button, _("Choose a file…"));
    }
  gtk_widget_set_visible (clear, self->task_files[i] != NULL);
}

static GtkWidget *
find_param_row (GsSettingsPanel *self,
                const char      *key)
{
  const GsTaskClass *klass = selected_task_class (self);

  for (guint j = 0; self->task_param_rows != NULL && j < self->task_param_rows->len; j++)
    {
      GtkWidget *row = g_ptr_array_index (self->task_param_rows, j);
      int i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "gs-param"));

      if (i < klass->n_params && g_strcmp0 (klass->params[i].key, key) == 0)
        return row;
    }
  return NULL;
}

void
gs_settings_panel_set_task_file (GsSettingsPanel *self,
                                 const char      *key,
                                 const char      *path)
{
  GtkWidget *row;
  int i;

  g_return_if_fail (GS_IS_SETTINGS_PANEL (self));
  g_return_if_fail (key != NULL);

  row = find_param_row (self, key);
  g_return_if_fail (row != NULL);
  i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "gs-param"));
  g_return_if_fail (selected_task_class (self)->params[i].kind == GS_PARAM_FILE);

  g_free (self->task_files[i]);
  self->task_files[i] = path != NULL && path[0] != '\0' ? g_strdup (path) : NULL;
  update_file_button (self, row, i);
}

static void
on_file_chosen (GsSettingsPanel      *self,
                int                   response,
                GtkFileChooserNative *chooser)
{
  const char *key = g_object_get_data (G_OBJECT (chooser), "gs-key");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL && find_param_row (self, key) != NULL)
        gs_settings_panel_set_task_file (self, key, path);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  if (self->file_chooser == chooser)
    g_clear_object (&self->file_chooser);
}

static void
on_choose_file (GsSettingsPanel *self,
                GtkButton       *button)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "gs-row");
  int i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "gs-param"));
  const GsTaskClass *klass = selected_task_class (self);
  g_autoptr(GtkFileFilter) text = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);

  chooser = gtk_file_chooser_native_new (_("Choose a Text File"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (text, _("Text files"));
  gtk_file_filter_add_mime_type (text, "text/plain");
  gtk_file_filter_add_mime_type (text, "text/tab-separated-values");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), text);
  g_object_set_data_full (G_OBJECT (chooser), "gs-key", g_strdup (klass->params[i].key), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_file_chosen), self, G_CONNECT_SWAPPED);
  self->file_chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_clear_file (GsSettingsPanel *self,
               GtkButton       *button)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "gs-row");
  int i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "gs-param"));

  gs_settings_panel_set_task_file (self, selected_task_class (self)->params[i].key, NULL);
}

static GtkWidget *
make_spin (const GsTaskParam *p,
           const char        *value)
{
  gboolean is_int = p->kind == GS_PARAM_INT;
  double step = is_int ? 1.0 : (p->max - p->min) / 100.0;
  GtkWidget *spin = gtk_spin_button_new_with_range (p->min, p->max, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), is_int ? 0 : 3);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), g_ascii_strtod (value, NULL));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  return spin;
}

static void update_recipe_subtitle (GsSettingsPanel *self);

/* The row of parameter i of `klass`, showing `value` (NULL = the default). */
static GtkWidget *
make_param_row (GsSettingsPanel   *self,
                const GsTaskClass *klass,
                int                i,
                const char        *value)
{
  const GsTaskParam *p = &klass->params[i];
  g_autofree char *name = g_strdup_printf ("param-%s", p->key);
  GtkWidget *row = NULL;
  GtkWidget *widget = NULL;

  if (value == NULL)
    value = p->def;

  switch (p->kind)
    {
    case GS_PARAM_INT:
    case GS_PARAM_FLOAT:
      row = adw_action_row_new ();
      widget = make_spin (p, value);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), widget);
      break;

    case GS_PARAM_CHOICE:
      {
        g_auto(GStrv) choices = g_strsplit (p->choices, "|", -1);
        g_autoptr(GtkStringList) list = gtk_string_list_new ((const char *const *) choices);

        row = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
        for (guint j = 0; choices[j] != NULL; j++)
          if (g_strcmp0 (choices[j], value) == 0)
            adw_combo_row_set_selected (ADW_COMBO_ROW (row), j);
        /* a choice can pick another recipe (charlm's corpus) */
        g_signal_connect_object (row, "notify::selected", G_CALLBACK (update_recipe_subtitle), self,
                                 G_CONNECT_SWAPPED);
        widget = row;
      }
      break;

    case GS_PARAM_FILE:
      {
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
        GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");

        row = adw_action_row_new ();
        widget = gtk_button_new ();
        gtk_widget_add_css_class (box, "linked");
        gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
        gtk_widget_set_tooltip_text (clear, _("Use the shipped data again"));
        g_object_set_data (G_OBJECT (widget), "gs-row", row);
        g_object_set_data (G_OBJECT (clear), "gs-row", row);
        g_signal_connect_object (widget, "clicked", G_CALLBACK (on_choose_file), self, G_CONNECT_SWAPPED);
        g_signal_connect_object (clear, "clicked", G_CALLBACK (on_clear_file), self, G_CONNECT_SWAPPED);
        gtk_box_append (GTK_BOX (box), widget);
        gtk_box_append (GTK_BOX (box), clear);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
        g_object_set_data (G_OBJECT (row), "gs-clear-widget", clear);
        if (value[0] != '\0')
          self->task_files[i] = g_strdup (value);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* The key as the spec and the CLI write it, the help as the reader's. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), p->key);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(p->help));
  gtk_widget_set_name (widget, name);
  g_object_set_data (G_OBJECT (row), "gs-param", GINT_TO_POINTER (i));
  g_object_set_data (G_OBJECT (row), "gs-value-widget", widget);
  if (p->kind == GS_PARAM_FILE)
    update_file_button (self, row, i);
  return row;
}

/* "Use the task's settings": the selected task's recipe (gs-recipe.h) into
 * the panel — cell, input, sizes, optimizer, learning rate, forget bias;
 * Apply adds its batch and clipping, which the panel does not show. */
static void
use_task_settings (GsSettingsPanel *self)
{
  g_autofree char *spec = gs_settings_panel_get_task_spec (self);
  const GsRecipe *recipe = gs_recipe_find (spec);
  GsTrainConfig seed_model, config;

  if (recipe == NULL)
    return;
  gs_train_config_default (&seed_model);
  gs_settings_panel_get_config (self, &seed_model, &config);
  gs_recipe_apply (recipe, &config, GS_RECIPE_KEEP_STEPS);
  _gs_settings_panel_show_network (self, &config);
  self->recipe = recipe;
}

/* The recommended settings of the task as its parameters now stand (the
 * Tang poems have a recipe of their own, gs_recipe_find), as the subtitle
 * of the row that offers them. */
static void
update_recipe_subtitle (GsSettingsPanel *self)
{
  g_autofree char *spec = NULL;
  g_autofree char *subtitle = NULL;
  const GsRecipe *recipe;
  char options[512];

  if (self->recipe_row == NULL)
    return;
  spec = gs_settings_panel_get_task_spec (self);
  if ((recipe = gs_recipe_find (spec)) == NULL)
    return;
  gs_recipe_format (recipe, options, sizeof options);
  /* Translators: %s is a list of command-line options ("--cell gru --hidden 32 …"),
   * %.1f the measured CPU seconds of the run on one core. */
  if (recipe->unsolved)
    /* Translators: as "… — solved in about …", for settings that learn the training data but
     * fail on the held-out data. */
    subtitle = g_strdup_printf (_("%s — about %.1f s of one core's time; learns the training data but does not "
                                  "solve the task on held-out data"), options, recipe->seconds);
  else
    subtitle = g_strdup_printf (_("%s — solved in about %.1f s of one core's time"), options, recipe->seconds);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->recipe_row), subtitle);
}

/* The row that offers the task's recommended settings (its subtitle:
 * update_recipe_subtitle). */
static GtkWidget *
recipe_row (GsSettingsPanel *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Use the Task's Settings"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Recommended settings"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (button, "use-task-settings");
  gtk_widget_set_tooltip_text (button, _("Set the cell, input, sizes, optimizer and learning rate that "
                                         "solve this task; Apply also uses its batch and clipping"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (use_task_settings), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* Rebuilds the parameter rows for the selected task, showing `values`
 * (NULL: every default). */
static void
show_task_params (GsSettingsPanel *self,
                  char            *values[GS_TASK_MAX_PARAMS])
{
  const GsTaskClass *klass = selected_task_class (self);
  g_autofree char *description = NULL;

  for (guint j = 0; j < self->task_param_rows->len; j++)
    adw_preferences_group_remove (self->task_group, g_ptr_array_index (self->task_param_rows, j));
  g_ptr_array_set_size (self->task_param_rows, 0);
  clear_task_files (self);

  for (int i = 0; i < klass->n_params && i < GS_TASK_MAX_PARAMS; i++)
    {
      GtkWidget *row = make_param_row (self, klass, i, values != NULL ? values[i] : NULL);

      adw_preferences_group_add (self->task_group, row);
      g_ptr_array_add (self->task_param_rows, row);
    }

  if (self->recipe_row != NULL)
    adw_preferences_group_remove (self->task_group, g_steal_pointer (&self->recipe_row));
  if (gs_recipe_find (klass->name) != NULL)
    {
      self->recipe_row = recipe_row (self);
      adw_preferences_group_add (self->task_group, self->recipe_row);
      update_recipe_subtitle (self);
    }
  self->recipe = NULL;

  /* The group's description is Pango markup. */
  description = g_markup_escape_text (_(klass->description), -1);
  adw_preferences_group_set_description (self->task_group, description);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->task_row), _(klass->description));
}

static void
on_task_selected (GsSettingsPanel *self,
                  GParamSpec      *pspec,
                  AdwComboRow     *row)
{
  show_task_params (self, NULL);
}

void
_gs_settings_panel_select_task (GsSettingsPanel *self,
                                const char      *spec)
{
  GsTaskSpec parsed;
  const GsTaskClass *klass = parse_spec (spec, &parsed);
  const GsTaskClass *const *classes;
  int n;

  if (klass == NULL)
    klass = gs_task_class_find ("hello");
  classes = gs_task_classes (&n);
  g_signal_handlers_block_by_func (self->task_row, on_task_selected, self);
  for (int i = 0; i < n; i++)
    if (classes[i] == klass)
      adw_combo_row_set_selected (self->task_row, (guint) i);
  g_signal_handlers_unblock_by_func (self->task_row, on_task_selected, self);
  show_task_params (self, parsed.values);
  gs_task_spec_clear (&parsed);
}

char *
gs_settings_panel_get_task_spec (GsSettingsPanel *self)
{
  const GsTaskClass *klass;
  GString *spec;
  gboolean any = FALSE;

  g_return_val_if_fail (GS_IS_SETTINGS_PANEL (self), NULL);

  klass = selected_task_class (self);
  spec = g_string_new (klass->name);
  for (guint j = 0; j < self->task_param_rows->len; j++)
    {
      GtkWidget *row = g_ptr_array_index (self->task_param_rows, j);
      GtkWidget *widget = g_object_get_data (G_OBJECT (row), "gs-value-widget");
      int i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "gs-param"));
      const GsTaskParam *p = &klass->params[i];
      g_autofree char *value = NULL;

      switch (p->kind)
        {
        case GS_PARAM_INT:
          gtk_spin_button_update (GTK_SPIN_BUTTON (widget));
          value = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
          break;
        case GS_PARAM_FLOAT:
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            double v;

            gtk_spin_button_update (GTK_SPIN_BUTTON (widget));
            v = gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget));
            if (fabs (v - g_ascii_strtod (p->def, NULL)) > 1e-9)
              value = g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", v));
          }
          break;
        case GS_PARAM_CHOICE:
          {
            GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (widget));

            if (item != NULL)
              value = g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
          }
          break;
        case GS_PARAM_FILE:
          value = g_strdup (self->task_files[i]);
          break;
        default:
          g_assert_not_reached ();
        }
      /* as the canonical spec: defaults left out, but for a parameter
       * whose default has changed (GsTaskParam.old_def) */
      if (value == NULL || (g_strcmp0 (value, p->def) == 0 && p->old_def == NULL))
        continue;
      g_string_append_printf (spec, "%c%s=%s", any ? ',' : ':', p->key, value);
      any = TRUE;
    }
  return g_string_free (spec, FALSE);
}


void
_gs_settings_panel_init_task (GsSettingsPanel *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  const GsTaskClass *const *classes;
  int n;

  self->task_param_rows = g_ptr_array_new ();
  classes = gs_task_classes (&n);
  for (int i = 0; i < n; i++)
    gtk_string_list_append (titles, _(classes[i]->title));
  adw_combo_row_set_model (self->task_row, G_LIST_MODEL (titles));
  _gs_settings_panel_whole_names (self->task_row);
  g_signal_connect_object (self->task_row, "notify::selected",
                           G_CALLBACK (on_task_selected), self, G_CONNECT_SWAPPED);
}

void
_gs_settings_panel_dispose_task (GsSettingsPanel *self)
{
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);
  clear_task_files (self);
  g_clear_pointer (&self->task_param_rows, g_ptr_array_unref);
}
