/* gs-settings-panel.c — the run's settings: the panel ↔ GsTrainConfig ↔ GSettings, Apply.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel edits a GsTrainConfig (gs-settings-panel.h): the task
 * (gs-settings-panel-task.c), the network, the cell's variant
 * (gs-settings-panel-variant.c) and the training. Apply hands it to the
 * engine, which validates it — the task and its files too, by building the
 * run once here. A refused configuration is told with the engine's own
 * message ("refused") and changes nothing; an accepted one is saved (the
 * next start opens on it) and emitted ("apply"). The hello task is the
 * default.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-escape.h"
#include "gs-settings-panel-private.h"
#include "gs-snapshot.h"
#include "gs-variant-table.h"

/* The drop-downs list cells and optimizers in the engine's order. */
G_STATIC_ASSERT (GS_CELL_RNN_TANH == 0 && GS_CELL_RNN_RELU == 1 &&
                 GS_CELL_LSTM == 2 && GS_CELL_GRU == 3 && GS_N_CELLS == 4);
G_STATIC_ASSERT (GS_OPT_SGD == 0 && GS_OPT_ADAM == 1 &&
                 GS_OPT_RMSPROP == 2 && GS_OPT_ADAGRAD == 3 && GS_N_OPTS == 4);

G_DEFINE_FINAL_TYPE (GsSettingsPanel, gs_settings_panel, ADW_TYPE_BIN)

enum { SIGNAL_APPLY, SIGNAL_REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
_gs_settings_panel_refuse (GsSettingsPanel *self,
                           const char      *message)
{
  g_signal_emit (self, signals[SIGNAL_REFUSED], 0, message);
}

/* ───────────────────────── the learning rate ───────────────────────── */

/* Adam and RMSprop at hello's rate of 0.05 blow up a network of a few
 * hundred units (README, "The stepping window"): say so under the rate
 * while such a choice is in the panel. */
#define LR_HINT_MIN_HIDDEN 128
#define LR_HINT_MAX_RATE   0.01
#define LR_HINT_GOOD_RATE  0.005

static void
update_lr_hint (GsSettingsPanel *self)
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
lr_text_in_range (GsSettingsPanel *self,
                  double          *value,
                  char           **why)
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
on_lr_input (GtkSpinButton   *spin,
             double          *new_value,
             GsSettingsPanel *self)
{
  g_autofree char *why = NULL;
  double v;

  if (lr_text_in_range (self, &v, &why))
    return FALSE;   /* the spin button reads it as always */
  _gs_settings_panel_refuse (self, why);
  return GTK_INPUT_ERROR;
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

void
_gs_settings_panel_whole_names (AdwComboRow *row)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (whole_name_setup), row);
  g_signal_connect (factory, "bind", G_CALLBACK (whole_name_bind), row);
  g_signal_connect (factory, "unbind", G_CALLBACK (whole_name_unbind), row);
  adw_combo_row_set_list_factory (row, factory);
}

/* ───────────────────────── the panel ↔ config ───────────────────────── */

void
_gs_settings_panel_show_network (GsSettingsPanel     *self,
                                 const GsTrainConfig *config)
{
  adw_combo_row_set_selected (self->cell_row, (guint) config->cell);
  gtk_spin_button_set_value (self->layers_spin, config->L);
  gtk_spin_button_set_value (self->hidden_spin, config->H);
  adw_combo_row_set_selected (self->input_row, config->one_hot ? GS_INPUT_ONE_HOT : GS_INPUT_EMBEDDING);
  gtk_spin_button_set_value (self->embed_spin, config->E);
  adw_combo_row_set_selected (self->optimizer_row, (guint) config->opt.kind);
  gtk_spin_button_set_value (self->lr_spin, config->opt.lr);
  _gs_settings_panel_show_variant (self, &config->variant);
}

void
gs_settings_panel_set_config (GsSettingsPanel     *self,
                              const GsTrainConfig *config)
{
  g_return_if_fail (GS_IS_SETTINGS_PANEL (self));
  g_return_if_fail (config != NULL);

  _gs_settings_panel_select_task (self, config->task);
  _gs_settings_panel_show_network (self, config);
  gtk_spin_button_set_value (self->seed_spin, (double) config->seed);
}

void
gs_settings_panel_get_config (GsSettingsPanel     *self,
                              const GsTrainConfig *running,
                              GsTrainConfig       *config)
{
  g_autofree char *spec = NULL;
  GsOptKind kind;

  g_return_if_fail (GS_IS_SETTINGS_PANEL (self));
  g_return_if_fail (running != NULL && config != NULL);

  /* What the panel does not show stays as in the running configuration. */
  *config = *running;
  spec = gs_settings_panel_get_task_spec (self);
  g_strlcpy (config->task, spec, sizeof config->task);
  config->cell = (GsCell) adw_combo_row_get_selected (self->cell_row);
  config->L = gtk_spin_button_get_value_as_int (self->layers_spin);
  config->H = gtk_spin_button_get_value_as_int (self->hidden_spin);
  config->one_hot = adw_combo_row_get_selected (self->input_row) == GS_INPUT_ONE_HOT;
  config->E = gtk_spin_button_get_value_as_int (self->embed_spin);
  kind = (GsOptKind) adw_combo_row_get_selected (self->optimizer_row);
  if (kind != config->opt.kind)
    gs_opt_config_default (&config->opt, kind);   /* PyTorch's betas, momentum… */
  config->opt.lr = (float) gtk_spin_button_get_value (self->lr_spin);
  config->seed = (uint64_t) gtk_spin_button_get_value (self->seed_spin);
  _gs_settings_panel_read_variant (self, config->cell, config->L, &config->variant);
  /* A run opened from a model file (gs-window-open.c) starts from its
   * weights again while the model stays that model; another model or task
   * starts from the seed's. */
  if (config->init[0] != '\0')
    {
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

/* ───────────────────────── GSettings ───────────────────────── */

/* Whether a built run is small enough for the window, which copies one
 * sequence's every state up to 60 times a second (gs-session.c): else
 * FALSE and why, newly allocated. The panel's largest network on the
 * shipped texts (3 bidirectional LSTM layers of 512 units over 983
 * characters) needs about 218 MB. */
gboolean
gs_settings_panel_run_fits (const GsTrainer *trial,
                            char           **why)
{
  const size_t bytes = gs_snapshot_bytes (trial->model);
  g_autofree char *need = NULL;
  g_autofree char *limit = NULL;

  g_return_val_if_fail (trial != NULL, FALSE);

  if (bytes <= GS_SETTINGS_PANEL_MAX_SNAPSHOT_BYTES)
    return TRUE;
  need = g_format_size (bytes);
  limit = g_format_size (GS_SETTINGS_PANEL_MAX_SNAPSHOT_BYTES);
  /* Translators: the first %s is a size ("1.2 GB"), the second the limit ("268.4 MB"). */
  *why = g_strdup_printf (_("one sequence of this run holds %s of states, more than the window can show "
                            "(%s): use a shorter sequence or fewer units or layers "
                            "(gatescope-cli trains any size)"), need, limit);
  return FALSE;
}

/* The configuration the window opens on: the saved settings, or the
 * seed model's with an LSTM if they are not a valid run. The variant is
 * one key, a spec of the switches that are on (gs_variant_format). */
void
gs_settings_panel_load_saved (GsSettingsPanel *self,
                              GsTrainConfig   *config,
                              char           **problem)
{
  g_autofree char *cell = NULL;
  g_autofree char *optimizer = NULL;
  g_autofree char *task = NULL;
  g_autofree char *variant = NULL;
  int embedding;
  GsTrainConfig fallback;
  GsOptKind kind = GS_OPT_ADAM;
  GsError err;

  g_return_if_fail (GS_IS_SETTINGS_PANEL (self));
  g_return_if_fail (config != NULL);

  cell = g_settings_get_string (self->settings, "cell");
  optimizer = g_settings_get_string (self->settings, "optimizer");
  task = g_settings_get_string (self->settings, "task");
  variant = g_settings_get_string (self->settings, "cell-variant");
  embedding = g_settings_get_int (self->settings, "embedding");

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

  if (problem != NULL)
    *problem = NULL;
  if (gs_variant_parse (&config->variant, variant, &err) != GS_OK
      || gs_train_config_validate (config, &err) != GS_OK)
    {
      if (problem != NULL)
        *problem = gs_escape_dup (err.msg, GS_ESCAPE_ALL);
      *config = fallback;
      return;
    }
  {
    GsTaskSpec parsed;
    GsError spec_err;
    gboolean known;

    gs_task_spec_parse (&parsed, config->task, &spec_err);
    known = parsed.klass != NULL;
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
      if (!gs_settings_panel_run_fits (trial, problem))
        *config = fallback;
      gs_trainer_free (trial);
    }
}

static void
save_config (GsSettingsPanel     *self,
             const GsTrainConfig *config)
{
  char variant[512];

  gs_variant_format (variant, sizeof variant, &config->variant);
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
  g_settings_set_string (self->settings, "cell-variant", variant);
  g_settings_apply (self->settings);
}

/* ───────────────────────── Apply ───────────────────────── */

static void
refuse_config (GsSettingsPanel *self,
               const char      *message)
{
  /* the reason may quote a data file (a label, a line): control characters escaped */
  g_autofree char *safe = gs_escape_dup (message, GS_ESCAPE_ALL);
  /* Translators: %s is the engine's reason, e.g. "learning rate must be…". */
  g_autofree char *text = g_strdup_printf (_("These settings cannot be used: %s"), safe != NULL ? safe : "");

  _gs_settings_panel_refuse (self, text);
}

gboolean
gs_settings_panel_apply (GsSettingsPanel     *self,
                         const GsTrainConfig *running)
{
  g_autofree char *why = NULL;
  GsTrainConfig config;
  GsTrainer *trial;
  GsError err;
  double lr;

  g_return_val_if_fail (GS_IS_SETTINGS_PANEL (self), FALSE);
  g_return_val_if_fail (running != NULL, FALSE);

  if (!lr_text_in_range (self, &lr, &why))
    {
      _gs_settings_panel_refuse (self, why);
      return FALSE;
    }

  /* Whatever is typed in a field counts, even without Enter. */
  gtk_spin_button_update (self->layers_spin);
  gtk_spin_button_update (self->hidden_spin);
  gtk_spin_button_update (self->embed_spin);
  gtk_spin_button_update (self->lr_spin);
  gtk_spin_button_update (self->seed_spin);
  _gs_settings_panel_commit_variant (self);

  gs_settings_panel_get_config (self, running, &config);
  if (gs_train_config_validate (&config, &err) != GS_OK)
    {
      refuse_config (self, err.msg);
      return FALSE;
    }
  /* The task and its files, and what only a built run can judge (an
   * encoder–decoder task with bidirectional layers): build it once here,
   * so that a refused run is never saved and the running one stays. The
   * shipped tasks and models of this panel's sizes build in microseconds. */
  trial = gs_trainer_new (&config, &err);
  if (trial == NULL)
    {
      refuse_config (self, err.msg);
      return FALSE;
    }
  if (!gs_settings_panel_run_fits (trial, &why))
    {
      gs_trainer_free (trial);
      refuse_config (self, why);
      return FALSE;
    }
  gs_trainer_free (trial);

  save_config (self, &config);
  g_signal_emit (self, signals[SIGNAL_APPLY], 0, &config);
  return TRUE;
}

/* ───────────────────────── the instance ───────────────────────── */

static void
on_input_selected (GsSettingsPanel *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->embed_row),
                            adw_combo_row_get_selected (self->input_row) == GS_INPUT_EMBEDDING);
}

static void
gs_settings_panel_dispose (GObject *object)
{
  GsSettingsPanel *self = GS_SETTINGS_PANEL (object);

  _gs_settings_panel_dispose_task (self);
  g_clear_pointer (&self->variant_rows, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gs_settings_panel_parent_class)->dispose (object);
}

static void
gs_settings_panel_class_init (GsSettingsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_settings_panel_dispose;

  /* The panel's run was accepted and saved: a const GsTrainConfig *, valid
   * during the emission. */
  signals[SIGNAL_APPLY] = g_signal_new ("apply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* Something typed or chosen was refused: the message to show. */
  signals[SIGNAL_REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-settings-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, task_row);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, task_group);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, cell_row);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, layers_spin);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, hidden_row);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, hidden_spin);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, input_row);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, embed_row);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, embed_spin);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, variant_group);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, optimizer_row);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, lr_row);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, lr_spin);
  gtk_widget_class_bind_template_child (widget_class, GsSettingsPanel, seed_spin);
}

static void
gs_settings_panel_init (GsSettingsPanel *self)
{
  GsTrainConfig config;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);

  _gs_settings_panel_init_task (self);
  _gs_settings_panel_init_variant (self);
  _gs_settings_panel_whole_names (self->cell_row);
  _gs_settings_panel_whole_names (self->input_row);
  _gs_settings_panel_whole_names (self->optimizer_row);

  g_signal_connect_object (self->input_row, "notify::selected",
                           G_CALLBACK (on_input_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cell_row, "notify::selected",
                           G_CALLBACK (_gs_settings_panel_update_variant), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->layers_spin, "value-changed",
                           G_CALLBACK (_gs_settings_panel_update_variant), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->hidden_spin, "value-changed",
                           G_CALLBACK (_gs_settings_panel_update_variant), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->hidden_spin, "value-changed",
                           G_CALLBACK (update_lr_hint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lr_spin, "value-changed",
                           G_CALLBACK (update_lr_hint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->optimizer_row, "notify::selected",
                           G_CALLBACK (update_lr_hint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lr_spin, "input",
                           G_CALLBACK (on_lr_input), self, 0);

  gs_settings_panel_load_saved (self, &config, NULL);
  gs_settings_panel_set_config (self, &config);
  on_input_selected (self);
  update_lr_hint (self);
}

GtkWidget *
gs_settings_panel_new (void)
{
  return g_object_new (GS_TYPE_SETTINGS_PANEL, NULL);
}
