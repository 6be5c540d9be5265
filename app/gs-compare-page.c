/* gs-compare-page.c — "Why LSTM?": several cells trained side by side.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page's widgets, its actions and what it does with the worker's
 * replies; the worker itself is gs-compare-page-worker.c. The main loop
 * never reads a trainer: it draws the records copies and the snapshots the
 * worker publishes.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Compare"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-cell-view.h"
#include "gs-compare-page.h"
#include "gs-compare-page-private.h"
#include "gs-task.h"
#include "gs-train.h"
#include "gs-view-text.h"

#define MAX_TIMESTEP_MARKS 40           /* input labels under the slider up to this T */
#define MIN_DURATION       (3 * G_USEC_PER_SEC)
#define DEFAULT_TASK       "temporal_order"
#define DEFAULT_LENGTH     30

/* What can be compared: the cells, and the LSTM with the forget-gate bias
 * of Jozefowicz et al. 2015 against PyTorch's plain initialisation. */
typedef struct
{
  const char *id;
  const char *label;        /* N_(): the legend entry */
  const char *subtitle;     /* N_() */
  GsCell      cell;
  float       forget_bias;
  gboolean    enabled;      /* by default */
} Choice;

static const Choice choices[] = {
  { "rnn_tanh", N_("RNN"), N_("The plain recurrent cell, tanh"), GS_CELL_RNN_TANH, 0.0f, TRUE },
  { "rnn_relu", N_("RNN (ReLU)"), N_("The plain recurrent cell, ReLU"), GS_CELL_RNN_RELU, 0.0f, FALSE },
  { "lstm", N_("LSTM"), N_("Gates and a cell state"), GS_CELL_LSTM, 0.0f, TRUE },
  { "gru", N_("GRU"), N_("Update and reset gates"), GS_CELL_GRU, 0.0f, TRUE },
  { "lstm_forget_bias", N_("LSTM, forget bias 1"),
    N_("Starts by remembering (Jozefowicz et al. 2015)"), GS_CELL_LSTM, 1.0f, FALSE },
};

#define N_CHOICES G_N_ELEMENTS (choices)
G_STATIC_ASSERT (N_CHOICES == GS_COMPARE_PAGE_N_CHOICES);


G_DEFINE_FINAL_TYPE (GsComparePage, gs_compare_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_TIMESTEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gs_compare_page_update_actions (GsComparePage *self)
{
  gboolean any = FALSE;
  gboolean have = self->records != NULL && gs_chart_records_get (self->records)->step > 0;

  for (guint i = 0; i < N_CHOICES; i++)
    any = any || gtk_check_button_get_active (self->checks[i]);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.start", !self->running && any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.stop", self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export", have);
  gtk_widget_set_sensitive (GTK_WIDGET (self->configs_group), !self->running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->training_group), !self->running);
}

void
gs_compare_page_toast (GsComparePage *self,
                       const char    *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ───────────────────────── the task ───────────────────────── */

static const GsTaskClass *
selected_task (GsComparePage *self)
{
  const GsTaskClass *const *classes;
  int n;
  guint i = adw_combo_row_get_selected (self->task_row);

  classes = gs_task_classes (&n);
  return i < (guint) n ? classes[i] : gs_task_class_find ("hello");
}

static const GsTaskParam *
length_param (const GsTaskClass *klass)
{
  for (int p = 0; klass != NULL && p < klass->n_params; p++)
    if (strcmp (klass->params[p].key, "length") == 0 && klass->params[p].kind == GS_PARAM_INT)
      return &klass->params[p];
  return NULL;
}

/* The length row offers the task's own "length" parameter, if it has one. */
static void
on_task_selected (GsComparePage *self)
{
  const GsTaskClass *klass = selected_task (self);
  const GsTaskParam *param = length_param (klass);

  adw_preferences_group_set_description (self->training_group,
                                         klass != NULL ? _(klass->description) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->length_row), param != NULL);
  if (param != NULL)
    {
      double def = g_ascii_strtod (param->def, NULL);

      gtk_spin_button_set_range (self->length_spin, param->min, MIN (param->max, 1000.0));
      gtk_spin_button_set_value (self->length_spin, def);
    }
}

static void
task_spec (GsComparePage *self,
           char          *buf,
           size_t         size)
{
  const GsTaskClass *klass = selected_task (self);
  const GsTaskParam *param = length_param (klass);
  int length = gtk_spin_button_get_value_as_int (self->length_spin);

  if (param != NULL && length != (int) g_ascii_strtod (param->def, NULL))
    g_snprintf (buf, size, "%s:length=%d", klass->name, length);
  else
    g_snprintf (buf, size, "%s", klass != NULL ? klass->name : "hello");
}

/* ───────────────────────── the small multiples ───────────────────────── */

/* The input at timestep t of the first configuration's sequence, as text. */
static char *
input_label (const GsSnapshot *s,
             int               t)
{
  if (s == NULL || t < 0 || t >= s->T)
    return NULL;
  return gs_view_input_text (s, t);   /* the character, or a dense input's first features */
}

static void
update_timestep_label (GsComparePage *self)
{
  const GsSnapshot *s = self->snap0 != NULL ? gs_snap_get (self->snap0) : NULL;
  g_autofree char *input = input_label (s, self->timestep);
  g_autofree char *text = NULL;

  if (s == NULL)
    text = g_strdup ("");
  else if (input != NULL)
    /* Translators: the timestep of the cell views and the input character there */
    text = g_strdup_printf (_("t = %d  “%s”"), self->timestep, input);
  else
    text = g_strdup_printf (_("t = %d"), self->timestep);
  gtk_label_set_text (self->timestep_label, text);
}

/* The slider's range and, for short sequences, the input under each mark. */
static void
update_timestep_range (GsComparePage *self,
                       GsSnap        *snap)
{
  const GsSnapshot *old = self->snap0 != NULL ? gs_snap_get (self->snap0) : NULL;
  const GsSnapshot *s = gs_snap_get (snap);
  gboolean same = old != NULL && old->T == s->T
                  && (old->tokens == NULL) == (s->tokens == NULL)
                  && (s->tokens == NULL || memcmp (old->tokens, s->tokens, sizeof (int) * (size_t) s->T) == 0);

  g_clear_pointer (&self->snap0, gs_snap_unref);
  self->snap0 = gs_snap_ref (snap);
  if (same)
    return;

  gtk_scale_clear_marks (self->timestep_scale);
  for (int t = 0; t < s->T && s->T <= MAX_TIMESTEP_MARKS; t++)
    {
      g_autofree char *input = input_label (s, t);
      gtk_scale_add_mark (self->timestep_scale, t, GTK_POS_BOTTOM, input);
    }
  gtk_adjustment_set_upper (self->timestep_adjustment, MAX (s->T - 1, 0));
  gtk_widget_set_sensitive (GTK_WIDGET (self->timestep_scale), s->T > 1);
  if (self->timestep >= s->T)
    gs_compare_page_set_timestep (self, s->T - 1);
  update_timestep_label (self);
}

static void
on_timestep_changed (GsComparePage *self)
{
  gs_compare_page_set_timestep (self, (int) lround (gtk_adjustment_get_value (self->timestep_adjustment)));
}

/* One cell view per configuration, headed by the configuration's colour. */
static void
rebuild_cell_views (GsComparePage         *self,
                    const GsCompareConfig *configs,
                    int                    n_configs)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cells_box))) != NULL)
    gtk_box_remove (self->cells_box, child);
  g_ptr_array_set_size (self->cell_views, 0);

  for (int c = 0; c < n_configs; c++)
    {
      GsChartRgba rgba = gs_chart_palette (c);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *label = gtk_label_new (NULL);
      GtkWidget *view = gs_cell_view_new ();
      g_autofree char *escaped = g_markup_escape_text (configs[c].label, -1);
      g_autofree char *markup = NULL;

      /* A swatch in the curve's colour, then the name: the legend again. */
      markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">━━</span>  %s",
                                (int) lround (rgba.r * 255), (int) lround (rgba.g * 255),
                                (int) lround (rgba.b * 255), escaped);
      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_widget_add_css_class (label, "title-4");
      gs_view_set_timestep (GS_VIEW (view), self->timestep);
      gtk_widget_set_hexpand (view, TRUE);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), view);
      gtk_box_append (self->cells_box, box);
      g_ptr_array_add (self->cell_views, view);
    }
}

/* ───────────────────────── the worker's replies ───────────────────────── */

static void
gs_compare_page_set_running (GsComparePage *self,
                             gboolean       running)
{
  if (self->running == running)
    return;
  self->running = running;
  gs_compare_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
update_status (GsComparePage *self,
               gboolean       done)
{
  const GsCompare *cmp = self->records != NULL ? gs_chart_records_get (self->records) : NULL;
  g_autofree char *text = NULL;
  int step = cmp != NULL ? cmp->step : 0;

  gtk_progress_bar_set_fraction (self->progress, self->steps > 0 ? (double) step / self->steps : 0.0);
  if (cmp == NULL)
    return;
  if (!done)
    text = g_strdup_printf (_("Step %d of %d: %d runs in lock-step"), step, self->steps, cmp->n_runs);
  else if (step < self->steps && gs_compare_any_running (cmp))
    text = g_strdup_printf (_("Stopped at step %d of %d"), step, self->steps);
  else
    text = g_strdup_printf (_("Done: %d steps of %d runs"), step, cmp->n_runs);
  gtk_label_set_text (self->status_label, text);
}

/* A toast for each run that has diverged since the last records. */
static void
tell_divergence (GsComparePage   *self,
                 const GsCompare *cmp)
{
  for (int r = 0; r < cmp->n_runs; r++)
    {
      const GsCompareRun *run = &cmp->runs[r];
      g_autofree char *msg = NULL;

      if (!run->diverged || self->diverged_told[r])
        continue;
      self->diverged_told[r] = TRUE;
      msg = g_strdup_printf (_("%s, seed %llu, diverged at step %d: %s"),
                             cmp->configs[run->config].label, (unsigned long long) run->seed,
                             run->n_steps + 1, run->message);
      gs_compare_page_toast (self, msg);
    }
}

static void
apply_records (GsComparePage  *self,
               GsChartRecords *records)
{
  const GsCompare *cmp = gs_chart_records_get (records);

  g_clear_pointer (&self->records, gs_chart_records_unref);
  self->records = gs_chart_records_ref (records);
  gs_chart_view_set_records (self->loss_view, records);
  gs_chart_view_set_records (self->accuracy_view, records);
  gs_chart_view_set_records (self->flow_view, records);
  /* without accuracy the flow chart takes the row alone (the chart's
   * GtkFlowBoxChild is what the flow box lays out) */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->accuracy_view)), cmp->has_accuracy);
  gtk_flow_box_set_max_children_per_line (self->charts_box, cmp->has_accuracy ? 2 : 1);
  tell_divergence (self, cmp);
  gs_compare_page_update_actions (self);
}

static void
apply_snaps (GsComparePage  *self,
             GsCompareReply *reply)
{
  for (int c = 0; c < reply->n_snaps && c < (int) self->cell_views->len; c++)
    {
      GsCellView *view = g_ptr_array_index (self->cell_views, c);

      if (reply->snaps[c] == NULL)
        continue;
      gs_view_set_snap (GS_VIEW (view), reply->snaps[c]);
    }
  if (reply->n_snaps > 0 && reply->snaps[0] != NULL)
    update_timestep_range (self, reply->snaps[0]);
}

static void
finish_job (GsComparePage *self)
{
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->job, gs_compare_job_free);
  gs_compare_page_set_running (self, FALSE);
  gs_compare_page_update_actions (self);
}

static gboolean
on_replies (gpointer user_data)
{
  GsComparePage *self = GS_COMPARE_PAGE (user_data);
  GsCompareReply *reply;

  while (self->job != NULL && (reply = gs_shuttle_receive (self->job->shuttle)) != NULL)
    {
      gboolean done = reply->done;

      if (reply->records != NULL)
        apply_records (self, reply->records);
      apply_snaps (self, reply);
      update_status (self, done);
      if (reply->error != NULL)
        {
          gtk_label_set_text (self->status_label, reply->error);
          gs_compare_page_toast (self, reply->error);
        }
      gs_compare_reply_free (reply);
      if (done)
        finish_job (self);   /* frees the job: the loop ends */
    }
  return G_SOURCE_CONTINUE;
}

/* ───────────────────────── actions ───────────────────────── */

static void
gs_compare_page_start (GsComparePage *self)
{
  GsCompareJob *job;
  GsTrainConfig base;
  GsError err = { { 0 } };
  char spec[GS_TASK_SPEC_MAX];
  int n_runs;

  if (self->running)
    return;

  gs_train_config_default (&base);
  task_spec (self, spec, sizeof spec);
  g_strlcpy (base.task, spec, sizeof base.task);
  base.H = gtk_spin_button_get_value_as_int (self->hidden_spin);
  base.opt.lr = (float) gtk_spin_button_get_value (self->lr_spin);
  base.B = gtk_spin_button_get_value_as_int (self->batch_spin);

  job = gs_compare_job_new (on_replies, self);
  job->min_duration = MIN_DURATION;
  job->steps = gtk_spin_button_get_value_as_int (self->steps_spin);
  job->n_seeds = CLAMP (gtk_spin_button_get_value_as_int (self->seeds_spin), 1, GS_COMPARE_MAX_SEEDS);
  for (int s = 0; s < job->n_seeds; s++)
    job->seeds[s] = (uint64_t) s;
  for (guint i = 0; i < N_CHOICES; i++)
    {
      GsCompareConfig *cc;

      if (!gtk_check_button_get_active (self->checks[i]))
        continue;
      cc = &job->configs[job->n_configs++];
      g_strlcpy (cc->label, _(choices[i].label), sizeof cc->label);
      cc->cfg = base;
      cc->cfg.cell = choices[i].cell;
      cc->cfg.variant.forget_bias = choices[i].forget_bias;
    }

  /* Refuse a bad setup here, with the engine's words, before any thread. */
  for (int c = 0; c < job->n_configs; c++)
    if (gs_train_config_validate (&job->configs[c].cfg, &err) != GS_OK)
      {
        gs_compare_page_toast (self, err.msg);
        gs_compare_job_free (job);
        return;
      }
  if (job->n_configs == 0)
    {
      gs_compare_job_free (job);
      return;
    }

  n_runs = job->n_configs * job->n_seeds;
  g_free (self->diverged_told);
  self->diverged_told = g_new0 (gboolean, n_runs);
  self->steps = job->steps;
  rebuild_cell_views (self, job->configs, job->n_configs);
  gtk_label_set_text (self->status_label, _("Building the networks…"));
  gtk_progress_bar_set_fraction (self->progress, 0.0);

  self->job = job;
  self->thread = g_thread_new ("gatescope-compare", gs_compare_job_run, job);
  gs_compare_page_set_running (self, TRUE);
}

static void
gs_compare_page_stop (GsComparePage *self)
{
  if (self->job != NULL)
    g_atomic_int_set (&self->job->stop, 1);
}

static void
action_start (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gs_compare_page_start (GS_COMPARE_PAGE (widget));
}

static void
action_stop (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gs_compare_page_stop (GS_COMPARE_PAGE (widget));
}

/* ───────────────────────── the object ───────────────────────── */

static void
on_log_toggled (GsComparePage *self)
{
  gs_chart_view_set_log_y (self->loss_view, gtk_toggle_button_get_active (self->log_toggle));
}

static void
on_smoothing_changed (GsComparePage *self)
{
  double a = gtk_range_get_value (GTK_RANGE (self->smoothing_scale));

  gs_chart_view_set_smoothing (self->loss_view, a);
  gs_chart_view_set_smoothing (self->accuracy_view, a);
}

static void
gs_compare_page_dispose (GObject *object)
{
  GsComparePage *self = GS_COMPARE_PAGE (object);

  /* The worker finishes its step, publishes and ends; its replies are dropped. */
  if (self->thread != NULL)
    {
      g_atomic_int_set (&self->job->stop, 1);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  g_clear_pointer (&self->job, gs_compare_job_free);
  g_clear_pointer (&self->records, gs_chart_records_unref);
  g_clear_pointer (&self->snap0, gs_snap_unref);
  g_clear_pointer (&self->diverged_told, g_free);
  if (self->cell_views != NULL)
    g_ptr_array_set_size (self->cell_views, 0);

  /* AdwBin unparents its child, the template's toast overlay. */
  G_OBJECT_CLASS (gs_compare_page_parent_class)->dispose (object);
}

static void
gs_compare_page_finalize (GObject *object)
{
  GsComparePage *self = GS_COMPARE_PAGE (object);

  g_clear_pointer (&self->cell_views, g_ptr_array_unref);

  G_OBJECT_CLASS (gs_compare_page_parent_class)->finalize (object);
}

static void
gs_compare_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GsComparePage *self = GS_COMPARE_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_TIMESTEP:
      g_value_set_int (value, self->timestep);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_compare_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GsComparePage *self = GS_COMPARE_PAGE (object);

  switch (prop_id)
    {
    case PROP_TIMESTEP:
      gs_compare_page_set_timestep (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_compare_page_class_init (GsComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_compare_page_dispose;
  object_class->finalize = gs_compare_page_finalize;
  object_class->get_property = gs_compare_page_get_property;
  object_class->set_property = gs_compare_page_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMESTEP] =
    g_param_spec_int ("timestep", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GS_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-compare-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, configs_group);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, training_group);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, task_row);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, length_row);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, length_spin);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, seeds_spin);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, steps_spin);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, hidden_spin);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, lr_spin);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, progress);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, log_toggle);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, smoothing_scale);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, export_button);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, loss_view);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, accuracy_view);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, flow_view);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, timestep_scale);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, timestep_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, timestep_label);
  gtk_widget_class_bind_template_child (widget_class, GsComparePage, cells_box);

  gtk_widget_class_install_action (widget_class, "compare.start", NULL, action_start);
  gtk_widget_class_install_action (widget_class, "compare.stop", NULL, action_stop);
  gtk_widget_class_install_action (widget_class, "compare.export", "s", gs_compare_page_action_export);
}

static void
gs_compare_page_init (GsComparePage *self)
{
  const GsTaskClass *const *classes;
  g_autoptr(GtkStringList) tasks = gtk_string_list_new (NULL);
  g_autoptr(GMenuModel) menu = gs_compare_page_export_menu ();
  int n_classes;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cell_views = g_ptr_array_new ();

  for (guint i = 0; i < N_CHOICES; i++)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(choices[i].label));
      adw_action_row_set_subtitle (row, _(choices[i].subtitle));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), choices[i].enabled);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (row, check);
      adw_action_row_set_activatable_widget (row, check);
      adw_preferences_group_add (self->configs_group, GTK_WIDGET (row));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (gs_compare_page_update_actions), self);
      self->checks[i] = GTK_CHECK_BUTTON (check);
    }

  classes = gs_task_classes (&n_classes);
  for (int i = 0; i < n_classes; i++)
    gtk_string_list_append (tasks, _(classes[i]->title));
  adw_combo_row_set_model (self->task_row, G_LIST_MODEL (tasks));
  g_signal_connect_swapped (self->task_row, "notify::selected", G_CALLBACK (on_task_selected), self);
  /* The first thing to show: two symbols 30 steps apart, whose order is
   * the answer. The plain RNN stays at chance while the gated cells learn
   * it, and the gradient-flow chart shows why. (hello when the task
   * library does not have it.) */
  if (!gs_compare_page_set_task (self, DEFAULT_TASK))
    gs_compare_page_set_task (self, "hello");
  on_task_selected (self);
  if (gtk_widget_get_visible (GTK_WIDGET (self->length_row)))
    gtk_spin_button_set_value (self->length_spin, DEFAULT_LENGTH);

  gtk_menu_button_set_menu_model (self->export_button, menu);
  g_signal_connect_swapped (self->log_toggle, "toggled", G_CALLBACK (on_log_toggled), self);
  g_signal_connect_swapped (self->smoothing_scale, "value-changed", G_CALLBACK (on_smoothing_changed), self);
  on_smoothing_changed (self);
  g_signal_connect_swapped (self->timestep_adjustment, "value-changed", G_CALLBACK (on_timestep_changed), self);

  gs_compare_page_update_actions (self);
}

GtkWidget *
gs_compare_page_new (void)
{
  return g_object_new (GS_TYPE_COMPARE_PAGE, NULL);
}

/* ───────────────────────── public API ───────────────────────── */

void
gs_compare_page_set_config_enabled (GsComparePage *self,
                                    const char    *id,
                                    gboolean       enabled)
{
  g_return_if_fail (GS_IS_COMPARE_PAGE (self));
  g_return_if_fail (id != NULL);

  for (guint i = 0; i < N_CHOICES; i++)
    if (strcmp (choices[i].id, id) == 0)
      {
        gtk_check_button_set_active (self->checks[i], enabled);
        return;
      }
  g_critical ("unknown configuration “%s”", id);
}

gboolean
gs_compare_page_set_task (GsComparePage *self,
                          const char    *name)
{
  const GsTaskClass *const *classes;
  int n;

  g_return_val_if_fail (GS_IS_COMPARE_PAGE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  classes = gs_task_classes (&n);
  for (int i = 0; i < n; i++)
    if (strcmp (classes[i]->name, name) == 0)
      {
        adw_combo_row_set_selected (self->task_row, (guint) i);
        return TRUE;
      }
  return FALSE;
}

void
gs_compare_page_set_seeds (GsComparePage *self,
                           int            n_seeds)
{
  g_return_if_fail (GS_IS_COMPARE_PAGE (self));

  gtk_spin_button_set_value (self->seeds_spin, n_seeds);
}

void
gs_compare_page_set_batch (GsComparePage *self,
                           int            batch)
{
  g_return_if_fail (GS_IS_COMPARE_PAGE (self));

  gtk_spin_button_set_value (self->batch_spin, batch);
}

void
gs_compare_page_set_steps (GsComparePage *self,
                           int            steps)
{
  g_return_if_fail (GS_IS_COMPARE_PAGE (self));

  gtk_spin_button_set_value (self->steps_spin, steps);
}

void
gs_compare_page_set_hidden (GsComparePage *self,
                            int            hidden)
{
  g_return_if_fail (GS_IS_COMPARE_PAGE (self));

  gtk_spin_button_set_value (self->hidden_spin, hidden);
}

void
gs_compare_page_set_learning_rate (GsComparePage *self,
                                   double         lr)
{
  g_return_if_fail (GS_IS_COMPARE_PAGE (self));

  gtk_spin_button_set_value (self->lr_spin, lr);
}

gboolean
gs_compare_page_get_running (GsComparePage *self)
{
  g_return_val_if_fail (GS_IS_COMPARE_PAGE (self), FALSE);

  return self->running;
}

GsChartRecords *
gs_compare_page_get_records (GsComparePage *self)
{
  g_return_val_if_fail (GS_IS_COMPARE_PAGE (self), NULL);

  return self->records;
}

GsChartView *
gs_compare_page_get_chart_view (GsComparePage *self,
                                GsChartKind    kind)
{
  g_return_val_if_fail (GS_IS_COMPARE_PAGE (self), NULL);

  switch (kind)
    {
    case GS_CHART_LOSS:     return self->loss_view;
    case GS_CHART_ACCURACY: return self->accuracy_view;
    case GS_CHART_FLOW:     return self->flow_view;
    default:                return NULL;
    }
}

guint
gs_compare_page_get_n_cell_views (GsComparePage *self)
{
  g_return_val_if_fail (GS_IS_COMPARE_PAGE (self), 0);

  return self->cell_views->len;
}

GtkWidget *
gs_compare_page_get_cell_view (GsComparePage *self,
                               guint          index)
{
  g_return_val_if_fail (GS_IS_COMPARE_PAGE (self), NULL);
  g_return_val_if_fail (index < self->cell_views->len, NULL);

  return g_ptr_array_index (self->cell_views, index);
}

int
gs_compare_page_get_timestep (GsComparePage *self)
{
  g_return_val_if_fail (GS_IS_COMPARE_PAGE (self), 0);

  return self->timestep;
}

void
gs_compare_page_set_timestep (GsComparePage *self,
                              int            timestep)
{
  g_return_if_fail (GS_IS_COMPARE_PAGE (self));

  timestep = MAX (timestep, 0);
  if (self->timestep == timestep)
    return;
  self->timestep = timestep;
  for (guint i = 0; i < self->cell_views->len; i++)
    gs_view_set_timestep (GS_VIEW (g_ptr_array_index (self->cell_views, i)), timestep);
  if ((int) lround (gtk_adjustment_get_value (self->timestep_adjustment)) != timestep)
    gtk_adjustment_set_value (self->timestep_adjustment, timestep);
  update_timestep_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESTEP]);
}
