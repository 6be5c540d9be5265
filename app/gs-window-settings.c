/* gs-window-settings.c — the settings panel, the run's GsTrainConfig, GSettings.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel edits a GsTrainConfig: the task (any of gs_task_classes (),
 * with its parameters as rows made from its GsTaskParam list), the network,
 * the cell's variant (the rows that apply to the chosen cell kind) and the
 * training. Apply hands it to the engine, which validates it — the task
 * and its files too, by building the run once here. A refused
 * configuration is shown in a toast with the engine's own message and
 * changes nothing; an accepted one is saved (the next start opens on it)
 * and starts a new run. The hello task is the default.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-escape.h"
#include "gs-variant-table.h"
#include "gs-window-private.h"

/* The drop-downs list cells and optimizers in the engine's order. */
G_STATIC_ASSERT (GS_CELL_RNN_TANH == 0 && GS_CELL_RNN_RELU == 1 &&
                 GS_CELL_LSTM == 2 && GS_CELL_GRU == 3 && GS_N_CELLS == 4);
G_STATIC_ASSERT (GS_OPT_SGD == 0 && GS_OPT_ADAM == 1 &&
                 GS_OPT_RMSPROP == 2 && GS_OPT_ADAGRAD == 3 && GS_N_OPTS == 4);

enum { INPUT_EMBEDDING, INPUT_ONE_HOT };

#define DEFAULT_CELL_CLIP 3.0   /* what the clip's field shows while it is off */

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

/* ───────────────────────── task specs ───────────────────────── */

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

/* "adding (length 50)", "hello", "charlm (file poem.txt)" */
static char *
describe_task (const char *spec)
{
  GsTaskSpec parsed;
  const GsTaskClass *klass = parse_spec (spec, &parsed);
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

/* "peephole · clip 3", "" for a plain cell */
static char *
describe_variant (const GsVariant *v,
                  GsCell           cell)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (gs_variant_has_forget_bias (v))
    /* Translators: short names of cell variants, for the window's subtitle. */
    g_ptr_array_add (parts, g_strdup_printf (_("forget bias %g"), (double) v->forget_bias));
  if (v->peephole)
    g_ptr_array_add (parts, g_strdup (_("peephole")));
  if (v->cifg)
    g_ptr_array_add (parts, g_strdup (_("CIFG")));
  if (v->no_forget_gate)
    g_ptr_array_add (parts, g_strdup (_("no forget gate")));
  if (v->no_input_gate)
    g_ptr_array_add (parts, g_strdup (_("no input gate")));
  if (v->no_output_gate)
    g_ptr_array_add (parts, g_strdup (_("no output gate")));
  if (v->no_input_act)
    g_ptr_array_add (parts, g_strdup (_("no input activation")));
  if (v->no_output_act)
    g_ptr_array_add (parts, g_strdup (_("no output activation")));
  if (v->full_gate_recurrence)
    g_ptr_array_add (parts, g_strdup (_("full gate recurrence")));
  if (v->cell_clip > 0.0f)
    g_ptr_array_add (parts, g_strdup_printf (_("clip %g"), (double) v->cell_clip));
  if (v->proj > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("projection %d"), v->proj));
  if (v->gru_reset_before && cell == GS_CELL_GRU)
    g_ptr_array_add (parts, g_strdup (_("reset before")));
  if (v->irnn)
    g_ptr_array_add (parts, g_strdup (_("IRNN")));
  if (v->bidirectional)
    g_ptr_array_add (parts, g_strdup (_("bidirectional")));
  if (v->dropout > 0.0f)
    g_ptr_array_add (parts, g_strdup_printf (_("dropout %g"), (double) v->dropout));
  if (v->recurrent_dropout > 0.0f)
    g_ptr_array_add (parts, g_strdup_printf (_("recurrent dropout %g"), (double) v->recurrent_dropout));
  if (v->bptt > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("BPTT %d"), v->bptt));
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

/* ───────────────────────── the task's rows ───────────────────────── */

static const GsTaskClass *
selected_task_class (GsWindow *self)
{
  int n;
  const GsTaskClass *const *classes = gs_task_classes (&n);
  guint i = adw_combo_row_get_selected (self->task_row);

  return i < (guint) n ? classes[i] : gs_task_class_find ("hello");
}

static void
clear_task_files (GsWindow *self)
{
  for (int i = 0; i < GS_TASK_MAX_PARAMS; i++)
    g_clear_pointer (&self->task_files[i], g_free);
}

/* The file button's label: the chosen file's name, or the shipped data. */
static void
update_file_button (GsWindow  *self,
                    GtkWidget *row,
                    int        i)
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
find_param_row (GsWindow   *self,
                const char *key)
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
gs_window_settings_set_task_file (GsWindow   *self,
                                  const char *key,
                                  const char *path)
{
  GtkWidget *row;
  int i;

  g_return_if_fail (GS_IS_WINDOW (self));
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
on_file_chosen (GsWindow             *self,
                int                   response,
                GtkFileChooserNative *chooser)
{
  const char *key = g_object_get_data (G_OBJECT (chooser), "gs-key");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL && find_param_row (self, key) != NULL)
        gs_window_settings_set_task_file (self, key, path);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  if (self->file_chooser == chooser)
    g_clear_object (&self->file_chooser);
}

static void
on_choose_file (GsWindow  *self,
                GtkButton *button)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "gs-row");
  int i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "gs-param"));
  const GsTaskClass *klass = selected_task_class (self);
  g_autoptr(GtkFileFilter) text = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);

  chooser = gtk_file_chooser_native_new (_("Choose a Text File"), GTK_WINDOW (self),
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
on_clear_file (GsWindow  *self,
               GtkButton *button)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "gs-row");
  int i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "gs-param"));

  gs_window_settings_set_task_file (self, selected_task_class (self)->params[i].key, NULL);
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

/* The row of parameter i of `klass`, showing `value` (NULL = the default). */
static GtkWidget *
make_param_row (GsWindow          *self,
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

static void variant_to_panel (GsWindow *self, const GsVariant *v);
static void update_variant_rows (GsWindow *self);

/* "Use the task's settings": the selected task's recipe (gs-recipe.h) into
 * the panel — cell, input, sizes, optimizer, learning rate, forget bias;
 * Apply adds its batch and clipping, which the panel does not show. */
static void
use_task_settings (GsWindow *self)
{
  g_autofree char *spec = gs_window_settings_task_spec (self);
  const GsRecipe *recipe = gs_recipe_find (spec);
  GsTrainConfig config;

  if (recipe == NULL)
    return;
  gs_window_settings_to_config (self, &config);
  gs_recipe_apply (recipe, &config, GS_RECIPE_KEEP_STEPS);
  adw_combo_row_set_selected (self->cell_row, (guint) config.cell);
  gtk_spin_button_set_value (self->layers_spin, config.L);
  gtk_spin_button_set_value (self->hidden_spin, config.H);
  adw_combo_row_set_selected (self->input_row, config.one_hot ? INPUT_ONE_HOT : INPUT_EMBEDDING);
  gtk_spin_button_set_value (self->embed_spin, config.E);
  adw_combo_row_set_selected (self->optimizer_row, (guint) config.opt.kind);
  gtk_spin_button_set_value (self->lr_spin, config.opt.lr);
  variant_to_panel (self, &config.variant);
  update_variant_rows (self);
  self->recipe = recipe;
}

/* The row that offers the task's recommended settings. */
static GtkWidget *
recipe_row (GsWindow       *self,
            const GsRecipe *recipe)
{
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Use the Task's Settings"));
  char options[512];

  gs_recipe_format (recipe, options, sizeof options);
  /* Translators: %s is a list of command-line options ("--cell gru --hidden 32 …"),
   * %.1f the measured CPU seconds of the run on one core. */
  if (recipe->unsolved)
    /* Translators: as "… — solved in about …", for settings that learn the training data but
     * fail on the held-out data (copy). */
    subtitle = g_strdup_printf (_("%s — about %.1f s of one core's time; learns the training data but does not "
                                  "solve the task on held-out data"), options, recipe->seconds);
  else
    subtitle = g_strdup_printf (_("%s — solved in about %.1f s of one core's time"), options, recipe->seconds);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Recommended settings"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
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
show_task_params (GsWindow *self,
                  char     *values[GS_TASK_MAX_PARAMS])
{
  const GsTaskClass *klass = selected_task_class (self);
  g_autofree char *description = NULL;
  const GsRecipe *recipe;

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
  if ((recipe = gs_recipe_find (klass->name)) != NULL)
    {
      self->recipe_row = recipe_row (self, recipe);
      adw_preferences_group_add (self->task_group, self->recipe_row);
    }
  self->recipe = NULL;

  /* The group's description is Pango markup. */
  description = g_markup_escape_text (_(klass->description), -1);
  adw_preferences_group_set_description (self->task_group, description);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->task_row), _(klass->description));
}

static void
on_task_selected (GsWindow    *self,
                  GParamSpec  *pspec,
                  AdwComboRow *row)
{
  show_task_params (self, NULL);
}

static void
select_task (GsWindow   *self,
             const char *spec)
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
gs_window_settings_task_spec (GsWindow *self)
{
  const GsTaskClass *klass;
  GString *spec;
  gboolean any = FALSE;

  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);

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
      if (value == NULL || g_strcmp0 (value, p->def) == 0)
        continue;
      g_string_append_printf (spec, "%c%s=%s", any ? ',' : ':', p->key, value);
      any = TRUE;
    }
  return g_string_free (spec, FALSE);
}

/* ───────────────────────── the variant's rows ───────────────────────── */

/* The panel's widgets of each row of gs_variant_table: the row, and the
 * spin button that holds a number as typed (NULL for switches). */
typedef struct {
  const char *variant;
  gsize       row;
  gsize       spin;
} PanelRow;

#define NONE ((gsize) 0)
static const PanelRow panel_rows[] = {
  { "forget_bias",          G_STRUCT_OFFSET (GsWindow, forget_bias_row), G_STRUCT_OFFSET (GsWindow, forget_bias_spin) },
  { "peephole",             G_STRUCT_OFFSET (GsWindow, peephole_row),    NONE },
  { "cifg",                 G_STRUCT_OFFSET (GsWindow, cifg_row),        NONE },
  { "no_forget_gate",       G_STRUCT_OFFSET (GsWindow, no_forget_row),   NONE },
  { "no_input_gate",        G_STRUCT_OFFSET (GsWindow, nig_row),         NONE },
  { "no_output_gate",       G_STRUCT_OFFSET (GsWindow, nog_row),         NONE },
  { "no_input_act",         G_STRUCT_OFFSET (GsWindow, niaf_row),        NONE },
  { "no_output_act",        G_STRUCT_OFFSET (GsWindow, noaf_row),        NONE },
  { "full_gate_recurrence", G_STRUCT_OFFSET (GsWindow, fgr_row),         NONE },
  { "cell_clip",            G_STRUCT_OFFSET (GsWindow, cell_clip_row),   G_STRUCT_OFFSET (GsWindow, cell_clip_spin) },
  { "proj",                 G_STRUCT_OFFSET (GsWindow, proj_row),        G_STRUCT_OFFSET (GsWindow, proj_spin) },
  { "gru_reset_before",     G_STRUCT_OFFSET (GsWindow, gru_reset_row),   NONE },
  { "irnn",                 G_STRUCT_OFFSET (GsWindow, irnn_row),        NONE },
  { "bidirectional",        G_STRUCT_OFFSET (GsWindow, bidir_row),       NONE },
  { "dropout",              G_STRUCT_OFFSET (GsWindow, dropout_row),     G_STRUCT_OFFSET (GsWindow, dropout_spin) },
  { "recurrent_dropout",    G_STRUCT_OFFSET (GsWindow, rdropout_row),    G_STRUCT_OFFSET (GsWindow, rdropout_spin) },
  { "bptt",                 G_STRUCT_OFFSET (GsWindow, bptt_row),        G_STRUCT_OFFSET (GsWindow, bptt_spin) },
};
#undef NONE

/* The panel row of table row `row`, or NULL. */
static const PanelRow *
panel_row (int row)
{
  for (guint i = 0; i < G_N_ELEMENTS (panel_rows); i++)
    if (strcmp (panel_rows[i].variant, gs_variant_table[row].name) == 0)
      return &panel_rows[i];
  return NULL;
}

static GtkWidget *
panel_row_widget (GsWindow *self, const PanelRow *p)
{
  return G_STRUCT_MEMBER (GtkWidget *, self, p->row);
}

static GtkSpinButton *
panel_row_spin (GsWindow *self, const PanelRow *p)
{
  return p->spin != 0 ? G_STRUCT_MEMBER (GtkSpinButton *, self, p->spin) : NULL;
}


/* Which rows apply: per cell kind; dropout between layers needs two. */
static void
update_variant_rows (GsWindow *self)
{
  GsCell cell = (GsCell) adw_combo_row_get_selected (self->cell_row);
  gboolean lstm = cell == GS_CELL_LSTM;
  gboolean coupled = gtk_switch_get_active (self->cifg_switch) ||
                     gtk_switch_get_active (self->no_forget_switch);
  int L = gtk_spin_button_get_value_as_int (self->layers_spin);
  int H = gtk_spin_button_get_value_as_int (self->hidden_spin);

  /* A row shows for the cells it applies to (gs_variant_table). */
  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const PanelRow *p = panel_row (i);

      if (p != NULL && gs_variant_table[i].cells != 0)
        gtk_widget_set_visible (panel_row_widget (self, p), gs_variant_row_applies (i, cell));
    }
  /* Only the LSTM has a cell state c of the hidden size. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (GTK_WIDGET (self->hidden_spin),
                                                                        ADW_TYPE_ACTION_ROW)),
                               lstm ? _("Per layer: the size of h and of the cell state c")
                                    : _("Per layer: the size of h"));

  /* A forget-gate bias needs a forget gate of its own. */
  gtk_widget_set_sensitive (self->forget_bias_row, !coupled);
  gtk_widget_set_sensitive (GTK_WIDGET (self->forget_bias_spin),
                            gtk_switch_get_active (self->forget_bias_switch));
  gtk_widget_set_sensitive (GTK_WIDGET (self->cell_clip_spin),
                            gtk_switch_get_active (self->cell_clip_switch));
  gtk_widget_set_sensitive (self->dropout_row, L > 1);
  /* The projection is smaller than the cell. */
  gtk_spin_button_set_range (self->proj_spin, 0, MAX (H - 1, 0));
}

static void
on_variant_changed (GsWindow *self)
{
  update_variant_rows (self);
}

/* Adam and RMSprop at hello's rate of 0.05 blow up a network of a few
 * hundred units (README, "The stepping window"): say so under the rate
 * while such a choice is in the panel. */
#define LR_HINT_MIN_HIDDEN 128
#define LR_HINT_MAX_RATE   0.01
#define LR_HINT_GOOD_RATE  0.005

static void
update_lr_hint (GsWindow *self)
{
  const GsOptKind kind = (GsOptKind) adw_combo_row_get_selected (self->optimizer_row);
  const gboolean adaptive = kind == GS_OPT_ADAM || kind == GS_OPT_RMSPROP;
  const gboolean big = gtk_spin_button_get_value_as_int (self->hidden_spin) >= LR_HINT_MIN_HIDDEN;
  const gboolean fast = gtk_spin_button_get_value (self->lr_spin) > LR_HINT_MAX_RATE;
  g_autofree char *hint = NULL;

  if (adaptive && big && fast)
    /* Translators: %d is a number of hidden units (128), %g a learning rate (0.005). */
    hint = g_strdup_printf (_("Networks of %d units and more usually train better near %g"),
                            LR_HINT_MIN_HIDDEN, LR_HINT_GOOD_RATE);
  adw_action_row_set_subtitle (self->lr_row, hint != NULL ? hint : "");
}

/* A learning rate typed out of the field's range is refused with a message,
 * not clamped without a word (100 silently became 10). Returns the text's
 * value in `value`; FALSE, with the message in `why`, when it is a number
 * outside the range. Text that is no number is left to the spin button. */
static gboolean
lr_text_in_range (GsWindow  *self,
                  double    *value,
                  char     **why)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->lr_spin));
  double lower, upper, v;
  char *end;

  gtk_spin_button_get_range (self->lr_spin, &lower, &upper);
  v = g_strtod (text, &end);
  while (g_ascii_isspace (*end))
    end++;
  if (end == text || *end != '\0')
    return TRUE;
  *value = v;
  if (isfinite (v) && v > lower && v <= upper)
    return TRUE;
  /* Translators: a learning rate the user typed, refused; %s is what was
   * typed ("100"), %g the largest rate the panel takes (10). */
  *why = g_strdup_printf (_("The learning rate must be above 0 and at most %g; “%s” was not applied."),
                          upper, text);
  return FALSE;
}

static int
on_lr_input (GtkSpinButton *spin,
             double        *new_value,
             GsWindow      *self)
{
  g_autofree char *why = NULL;
  double v;

  if (lr_text_in_range (self, &v, &why))
    return FALSE;   /* the spin button reads it as always */
  gs_window_show_toast (self, why);
  return GTK_INPUT_ERROR;
}

/* Coupled gates (f = 1 − i) and no forget gate (f = 1) exclude each other:
 * turning one on turns the other off. So do coupled gates and no input gate
 * (f would be 0), and full gate recurrence and any removed or coupled gate
 * (it feeds back i, f and o; gs_variant_validate). */
static void
on_cifg_active (GsWindow   *self,
                GParamSpec *pspec,
                GtkSwitch  *sw)
{
  if (gtk_switch_get_active (sw))
    {
      gtk_switch_set_active (self->no_forget_switch, FALSE);
      gtk_switch_set_active (self->nig_switch, FALSE);
      gtk_switch_set_active (self->fgr_switch, FALSE);
    }
  update_variant_rows (self);
}

static void
on_no_forget_active (GsWindow   *self,
                     GParamSpec *pspec,
                     GtkSwitch  *sw)
{
  if (gtk_switch_get_active (sw))
    {
      gtk_switch_set_active (self->cifg_switch, FALSE);
      gtk_switch_set_active (self->fgr_switch, FALSE);
    }
  update_variant_rows (self);
}

static void
on_removed_gate_active (GsWindow   *self,
                        GParamSpec *pspec,
                        GtkSwitch  *sw)
{
  if (gtk_switch_get_active (sw))
    {
      if (sw == self->nig_switch)
        gtk_switch_set_active (self->cifg_switch, FALSE);
      gtk_switch_set_active (self->fgr_switch, FALSE);
    }
  update_variant_rows (self);
}

static void
on_fgr_active (GsWindow   *self,
               GParamSpec *pspec,
               GtkSwitch  *sw)
{
  if (gtk_switch_get_active (sw))
    {
      gtk_switch_set_active (self->cifg_switch, FALSE);
      gtk_switch_set_active (self->no_forget_switch, FALSE);
      gtk_switch_set_active (self->nig_switch, FALSE);
      gtk_switch_set_active (self->nog_switch, FALSE);
    }
  update_variant_rows (self);
}

static void
variant_to_panel (GsWindow        *self,
                  const GsVariant *v)
{
  gboolean bias = gs_variant_has_forget_bias (v);

  gtk_switch_set_active (self->forget_bias_switch, bias);
  gtk_spin_button_set_value (self->forget_bias_spin, bias ? v->forget_bias : 1.0);
  gtk_switch_set_active (self->peephole_switch, v->peephole);
  gtk_switch_set_active (self->cifg_switch, v->cifg);
  gtk_switch_set_active (self->no_forget_switch, v->no_forget_gate);
  gtk_switch_set_active (self->nig_switch, v->no_input_gate);
  gtk_switch_set_active (self->nog_switch, v->no_output_gate);
  gtk_switch_set_active (self->niaf_switch, v->no_input_act);
  gtk_switch_set_active (self->noaf_switch, v->no_output_act);
  gtk_switch_set_active (self->fgr_switch, v->full_gate_recurrence);
  gtk_switch_set_active (self->cell_clip_switch, v->cell_clip > 0.0f);
  gtk_spin_button_set_value (self->cell_clip_spin, v->cell_clip > 0.0f ? v->cell_clip : DEFAULT_CELL_CLIP);
  gtk_spin_button_set_range (self->proj_spin, 0, GS_MAX_HIDDEN);
  gtk_spin_button_set_value (self->proj_spin, v->proj);
  gtk_switch_set_active (self->gru_reset_switch, v->gru_reset_before);
  gtk_switch_set_active (self->irnn_switch, v->irnn);
  gtk_switch_set_active (self->bidir_switch, v->bidirectional);
  gtk_spin_button_set_value (self->dropout_spin, v->dropout);
  gtk_spin_button_set_value (self->rdropout_spin, v->recurrent_dropout);
  gtk_spin_button_set_value (self->bptt_spin, v->bptt);
}

/* The variant the panel shows, for `cell` in L layers: rows that do not
 * apply to the cell (hidden) or to one layer (greyed) count as off. */
static void
variant_from_panel (GsWindow  *self,
                    GsCell     cell,
                    int        L,
                    GsVariant *v)
{
  gboolean lstm = cell == GS_CELL_LSTM;

  memset (v, 0, sizeof *v);
  if (lstm)
    {
      v->cifg = gtk_switch_get_active (self->cifg_switch);
      v->no_forget_gate = gtk_switch_get_active (self->no_forget_switch);
      if (gtk_switch_get_active (self->forget_bias_switch) && !v->cifg && !v->no_forget_gate)
        {
          v->forget_bias_set = true;
          v->forget_bias = (float) gtk_spin_button_get_value (self->forget_bias_spin);
        }
      v->peephole = gtk_switch_get_active (self->peephole_switch);
      v->no_input_gate = gtk_switch_get_active (self->nig_switch);
      v->no_output_gate = gtk_switch_get_active (self->nog_switch);
      v->no_input_act = gtk_switch_get_active (self->niaf_switch);
      v->no_output_act = gtk_switch_get_active (self->noaf_switch);
      v->full_gate_recurrence = gtk_switch_get_active (self->fgr_switch);
      if (gtk_switch_get_active (self->cell_clip_switch))
        v->cell_clip = (float) gtk_spin_button_get_value (self->cell_clip_spin);
      v->proj = gtk_spin_button_get_value_as_int (self->proj_spin);
    }
  v->gru_reset_before = cell == GS_CELL_GRU && gtk_switch_get_active (self->gru_reset_switch);
  v->irnn = (cell == GS_CELL_RNN_TANH || cell == GS_CELL_RNN_RELU) && gtk_switch_get_active (self->irnn_switch);
  v->bidirectional = gtk_switch_get_active (self->bidir_switch);
  if (L > 1)
    v->dropout = (float) gtk_spin_button_get_value (self->dropout_spin);
  v->recurrent_dropout = (float) gtk_spin_button_get_value (self->rdropout_spin);
  v->bptt = gtk_spin_button_get_value_as_int (self->bptt_spin);
}

/* ───────────────────────── whole names in the drop-down lists ───────────────────────── */

/* AdwComboRow's own items cut a name after 20 characters ("Character
 * language m…"); the popover's list gets items that show the whole name,
 * with the same check mark on the selected one. The row itself keeps its
 * default item. */
static void
whole_name_selected_changed (AdwComboRow *row,
                             GParamSpec  *pspec,
                             GtkListItem *item)
{
  GtkWidget *mark = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (mark, adw_combo_row_get_selected_item (row) == gtk_list_item_get_item (item) ? 1.0 : 0.0);
}

static void
whole_name_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  AdwComboRow              *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("object-select-symbolic"));
  gtk_list_item_set_child (item, box);
}

static void
whole_name_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 AdwComboRow              *row)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GObject *object = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)),
                       GTK_IS_STRING_OBJECT (object) ? gtk_string_object_get_string (GTK_STRING_OBJECT (object)) : "");
  g_signal_connect (row, "notify::selected-item", G_CALLBACK (whole_name_selected_changed), item);
  whole_name_selected_changed (row, NULL, item);
}

static void
whole_name_unbind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, whole_name_selected_changed, item);
}

static void
combo_row_show_whole_names (AdwComboRow *row)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (whole_name_setup), row);
  g_signal_connect (factory, "bind", G_CALLBACK (whole_name_bind), row);
  g_signal_connect (factory, "unbind", G_CALLBACK (whole_name_unbind), row);
  adw_combo_row_set_list_factory (row, factory);
}

/* ───────────────────────── the panel ↔ config ↔ GSettings ───────────────────────── */

/* The variant from its GSettings keys, one per row of gs_variant_table (a
 * number with a "set" key counts only when that key is true). */
static void
variant_from_settings (GSettings *settings,
                       GsVariant *v)
{
  memset (v, 0, sizeof *v);
  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const GsVariantInfo *r = &gs_variant_table[i];
      double x;

      if (r->settings_key == NULL)
        continue;
      if (r->settings_set_key != NULL && !g_settings_get_boolean (settings, r->settings_set_key))
        continue;
      switch (r->type)
        {
        case GS_VARIANT_FLOAT: x = g_settings_get_double (settings, r->settings_key); break;
        case GS_VARIANT_INT: x = g_settings_get_int (settings, r->settings_key); break;
        case GS_VARIANT_BOOL:
        case GS_VARIANT_CHOICE:
        default: x = g_settings_get_boolean (settings, r->settings_key) ? 1.0 : 0.0; break;
        }
      gs_variant_row_set (v, i, x);
    }
}

/* The variant into its GSettings keys; numbers as typed in the panel (not
 * their float rounding) when on, else 0. A number with a "set" key keeps
 * its last value when not set. */
static void
variant_to_settings (GsWindow        *self,
                     const GsVariant *v)
{
  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const GsVariantInfo *r = &gs_variant_table[i];
      const PanelRow *p = panel_row (i);
      GtkSpinButton *spin = p != NULL ? panel_row_spin (self, p) : NULL;
      const gboolean on = gs_variant_row_on (v, i);

      if (r->settings_key == NULL)
        continue;
      if (r->settings_set_key != NULL)
        {
          g_settings_set_boolean (self->settings, r->settings_set_key, on);
          if (!on)
            continue;
        }
      switch (r->type)
        {
        case GS_VARIANT_FLOAT:
          g_settings_set_double (self->settings, r->settings_key,
                                 !on ? 0.0 : spin != NULL ? gtk_spin_button_get_value (spin)
                                                          : gs_variant_row_get (v, i));
          break;
        case GS_VARIANT_INT:
          g_settings_set_int (self->settings, r->settings_key, (int) gs_variant_row_get (v, i));
          break;
        case GS_VARIANT_BOOL:
        case GS_VARIANT_CHOICE:
        default:
          g_settings_set_boolean (self->settings, r->settings_key, on);
          break;
        }
    }
}

/* Whether a built run is small enough for the window, which copies one
 * sequence's every state up to 60 times a second (gs-session.c): else
 * FALSE and why, newly allocated. The panel's largest network on the
 * shipped texts (3 bidirectional LSTM layers of 512 units over 983
 * characters) needs about 218 MB. */
gboolean
gs_window_run_fits (const GsTrainer *trial,
                    char           **why)
{
  const size_t bytes = gs_snapshot_bytes (trial->model);
  g_autofree char *need = NULL;
  g_autofree char *limit = NULL;

  if (bytes <= GS_WINDOW_MAX_SNAPSHOT_BYTES)
    return TRUE;
  need = g_format_size (bytes);
  limit = g_format_size (GS_WINDOW_MAX_SNAPSHOT_BYTES);
  /* Translators: the first %s is a size ("1.2 GB"), the second the limit ("268.4 MB"). */
  *why = g_strdup_printf (_("one sequence of this run holds %s of states, more than the window can show "
                            "(%s): use a shorter sequence or fewer units or layers "
                            "(gatescope-cli trains any size)"), need, limit);
  return FALSE;
}

/* The configuration the window opens on: the saved settings, or the
 * seed model's with an LSTM if they are not a valid run. */
void
gs_window_load_saved_config (GsWindow      *self,
                             GsTrainConfig *config,
                             char         **problem)
{
  g_autofree char *cell = g_settings_get_string (self->settings, "cell");
  g_autofree char *optimizer = g_settings_get_string (self->settings, "optimizer");
  g_autofree char *task = g_settings_get_string (self->settings, "task");
  int embedding = g_settings_get_int (self->settings, "embedding");
  GsVariant *v = &config->variant;
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
  if (strlen (task) < sizeof config->task)
    g_strlcpy (config->task, task, sizeof config->task);

  variant_from_settings (self->settings, v);

  if (problem != NULL)
    *problem = NULL;
  if (gs_train_config_validate (config, &err) != GS_OK)
    {
      if (problem != NULL)
        *problem = gs_escape_dup (err.msg, GS_ESCAPE_ALL);
      *config = fallback;
      return;
    }
  {
    GsTaskSpec parsed;
    gboolean known = parse_spec (config->task, &parsed) != NULL;

    gs_task_spec_clear (&parsed);
    if (!known)
      {
        if (problem != NULL)
          /* Translators: %s is a task spec from the saved settings, e.g. "charlm:length=32". */
          *problem = g_strdup_printf (_("the task %s is unknown"), config->task);
        *config = fallback;
        return;
      }
  }
  /* What only a built run can judge, as Apply does; the shipped tasks and
   * the panel's sizes build in milliseconds. */
  if (problem != NULL)
    {
      GsTrainer *trial = gs_trainer_new (config, &err);

      if (trial == NULL)
        {
          *problem = gs_escape_dup (err.msg, GS_ESCAPE_ALL);
          *config = fallback;
          return;
        }
      if (!gs_window_run_fits (trial, problem))
        *config = fallback;
      gs_trainer_free (trial);
    }
}

void
gs_window_settings_from_config (GsWindow            *self,
                                const GsTrainConfig *config)
{
  g_assert (GS_IS_WINDOW (self));

  select_task (self, config->task);
  adw_combo_row_set_selected (self->cell_row, (guint) config->cell);
  gtk_spin_button_set_value (self->layers_spin, config->L);
  gtk_spin_button_set_value (self->hidden_spin, config->H);
  adw_combo_row_set_selected (self->input_row, config->one_hot ? INPUT_ONE_HOT : INPUT_EMBEDDING);
  gtk_spin_button_set_value (self->embed_spin, config->E);
  adw_combo_row_set_selected (self->optimizer_row, (guint) config->opt.kind);
  gtk_spin_button_set_value (self->lr_spin, config->opt.lr);
  gtk_spin_button_set_value (self->seed_spin, (double) config->seed);
  variant_to_panel (self, &config->variant);
  update_variant_rows (self);
}

void
gs_window_settings_to_config (GsWindow      *self,
                              GsTrainConfig *config)
{
  g_autofree char *spec = NULL;
  GsOptKind kind;

  g_assert (GS_IS_WINDOW (self));

  /* What the panel does not show stays as in the running configuration. */
  *config = *gs_session_get_config (self->session);
  spec = gs_window_settings_task_spec (self);
  g_strlcpy (config->task, spec, sizeof config->task);
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
  variant_from_panel (self, config->cell, config->L, &config->variant);
  /* A run opened from a model file (gs-window-open.c) starts from its
   * weights again while the model stays that model; another model or task
   * starts from the seed's. */
  if (config->init[0] != '\0')
    {
      const GsTrainConfig *running = gs_session_get_config (self->session);

      if (strcmp (config->task, running->task) != 0 || config->cell != running->cell
          || config->L != running->L || config->H != running->H || config->one_hot != running->one_hot
          || (!config->one_hot && config->E != running->E)
          || config->variant.proj != running->variant.proj
          || config->variant.bidirectional != running->variant.bidirectional
          || config->variant.peephole != running->variant.peephole)
        config->init[0] = '\0';
    }
  /* The panel shows no batch or clipping: the recipe's when its settings
   * were taken for this task, else the seed model's. */
  if (self->recipe != NULL && gs_recipe_find (config->task) == self->recipe)
    {
      config->B = self->recipe->B;
      config->clip = self->recipe->clip;
    }
  else
    {
      GsTrainConfig seed_model;

      gs_train_config_default (&seed_model);
      config->B = seed_model.B;
      config->clip = seed_model.clip;
    }
}

static void
save_config (GsWindow            *self,
             const GsTrainConfig *config)
{
  const GsVariant *v = &config->variant;

  g_settings_delay (self->settings);
  g_settings_set_string (self->settings, "task", config->task);
  g_settings_set_string (self->settings, "cell", gs_cell_name (config->cell));
  g_settings_set_int (self->settings, "layers", config->L);
  g_settings_set_int (self->settings, "hidden", config->H);
  g_settings_set_int (self->settings, "embedding", config->one_hot ? 0 : config->E);
  g_settings_set_string (self->settings, "optimizer", gs_opt_name (config->opt.kind));
  /* the number as typed, not its float rounding */
  g_settings_set_double (self->settings, "learning-rate", gtk_spin_button_get_value (self->lr_spin));
  g_settings_set_int (self->settings, "seed", (int) config->seed);

  variant_to_settings (self, v);
  g_settings_apply (self->settings);
}

static void
refuse (GsWindow   *self,
        const char *message)
{
  /* the reason may quote a data file (a label, a line): control characters escaped */
  g_autofree char *safe = gs_escape_dup (message, GS_ESCAPE_ALL);
  /* Translators: %s is the engine's reason, e.g. "learning rate must be…". */
  g_autofree char *text = g_strdup_printf (_("These settings cannot be used: %s"), safe != NULL ? safe : "");

  gs_window_show_toast (self, text);
}

gboolean
gs_window_apply_settings (GsWindow *self)
{
  g_autofree char *why = NULL;
  GsTrainConfig config;
  GsTrainer *trial;
  GsError err;

  g_assert (GS_IS_WINDOW (self));

  {
    double lr;

    if (!lr_text_in_range (self, &lr, &why))
      {
        gs_window_show_toast (self, why);
        return FALSE;
      }
  }

  /* Whatever is typed in a field counts, even without Enter. */
  gtk_spin_button_update (self->layers_spin);
  gtk_spin_button_update (self->hidden_spin);
  gtk_spin_button_update (self->embed_spin);
  gtk_spin_button_update (self->lr_spin);
  gtk_spin_button_update (self->seed_spin);
  gtk_spin_button_update (self->forget_bias_spin);
  gtk_spin_button_update (self->cell_clip_spin);
  gtk_spin_button_update (self->proj_spin);
  gtk_spin_button_update (self->dropout_spin);
  gtk_spin_button_update (self->rdropout_spin);
  gtk_spin_button_update (self->bptt_spin);

  gs_window_settings_to_config (self, &config);
  if (gs_train_config_validate (&config, &err) != GS_OK)
    {
      refuse (self, err.msg);
      return FALSE;
    }
  /* The task and its files, and what only a built run can judge (an
   * encoder–decoder task with bidirectional layers): build it once here,
   * so that a refused run is never saved and the running one stays. The
   * shipped tasks and models of this panel's sizes build in microseconds. */
  trial = gs_trainer_new (&config, &err);
  if (trial == NULL)
    {
      refuse (self, err.msg);
      return FALSE;
    }
  if (!gs_window_run_fits (trial, &why))
    {
      gs_trainer_free (trial);
      refuse (self, why);
      return FALSE;
    }
  gs_trainer_free (trial);

  save_config (self, &config);
  gs_window_reset_session (self, &config);
  /* On a narrow window the panel covers the views: make way. */
  if (adw_flap_get_folded (self->settings_flap))
    adw_flap_set_reveal_flap (self->settings_flap, FALSE);
  /* The keys go back to the network: the next → steps the new run, even
   * if Apply was reached with Tab. */
  self->tabbed = FALSE;
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  return TRUE;
}

static void
on_input_selected (GsWindow    *self,
                   GParamSpec  *pspec,
                   AdwComboRow *row)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->embed_row),
                            adw_combo_row_get_selected (row) == INPUT_EMBEDDING);
}

void
gs_window_class_init_settings (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, GsWindow, task_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, task_group);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, variant_group);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, forget_bias_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, forget_bias_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, forget_bias_spin);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, peephole_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, peephole_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cifg_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cifg_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, no_forget_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, no_forget_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, nig_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, nig_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, nog_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, nog_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, niaf_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, niaf_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, noaf_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, noaf_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, fgr_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, fgr_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cell_clip_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cell_clip_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cell_clip_spin);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, proj_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, proj_spin);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, gru_reset_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, gru_reset_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, irnn_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, irnn_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, bidir_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, bidir_switch);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, dropout_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, dropout_spin);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, rdropout_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, rdropout_spin);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, bptt_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, bptt_spin);
}

void
gs_window_init_settings (GsWindow *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  const GsTaskClass *const *classes;
  GsTrainConfig config;
  int n;

  g_assert (GS_IS_WINDOW (self));

  /* Every task the engine knows, by its translated title. */
  self->task_param_rows = g_ptr_array_new ();
  classes = gs_task_classes (&n);
  for (int i = 0; i < n; i++)
    gtk_string_list_append (titles, _(classes[i]->title));
  adw_combo_row_set_model (self->task_row, G_LIST_MODEL (titles));
  /* The variant rows' titles are the table's labels. */
  for (int i = 0; i < gs_variant_table_len; i++)
    {
      const PanelRow *p = panel_row (i);

      if (p != NULL)
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (panel_row_widget (self, p)),
                                       _(gs_variant_table[i].label));
    }
  combo_row_show_whole_names (self->task_row);
  combo_row_show_whole_names (self->cell_row);
  combo_row_show_whole_names (self->input_row);
  combo_row_show_whole_names (self->optimizer_row);
  g_signal_connect_object (self->task_row, "notify::selected",
                           G_CALLBACK (on_task_selected), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->input_row, "notify::selected",
                           G_CALLBACK (on_input_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cell_row, "notify::selected",
                           G_CALLBACK (on_variant_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->layers_spin, "value-changed",
                           G_CALLBACK (on_variant_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->hidden_spin, "value-changed",
                           G_CALLBACK (on_variant_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->forget_bias_switch, "notify::active",
                           G_CALLBACK (on_variant_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cell_clip_switch, "notify::active",
                           G_CALLBACK (on_variant_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cifg_switch, "notify::active",
                           G_CALLBACK (on_cifg_active), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->no_forget_switch, "notify::active",
                           G_CALLBACK (on_no_forget_active), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->nig_switch, "notify::active",
                           G_CALLBACK (on_removed_gate_active), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->nog_switch, "notify::active",
                           G_CALLBACK (on_removed_gate_active), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->fgr_switch, "notify::active",
                           G_CALLBACK (on_fgr_active), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->hidden_spin, "value-changed",
                           G_CALLBACK (update_lr_hint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lr_spin, "value-changed",
                           G_CALLBACK (update_lr_hint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->optimizer_row, "notify::selected",
                           G_CALLBACK (update_lr_hint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lr_spin, "input",
                           G_CALLBACK (on_lr_input), self, 0);

  gs_window_load_saved_config (self, &config, NULL);
  gs_window_settings_from_config (self, &config);
  on_input_selected (self, NULL, self->input_row);
  update_lr_hint (self);
}

void
gs_window_dispose_settings (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);
  clear_task_files (self);
  g_clear_pointer (&self->task_param_rows, g_ptr_array_unref);
}
