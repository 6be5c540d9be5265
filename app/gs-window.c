/* gs-window.c — Gatescope's main window.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window trains the hello task: pick a cell and a number of epochs,
 * press Train, and every epoch adds a line to the log and a point to the
 * loss plot.
 *
 * Training runs in a GTask worker thread that owns its GsTrainer from start
 * to end; no widget is touched there. After each epoch the worker copies
 * what the window shows (epoch, loss, predicted string) into a
 * GsEpochReport and hands it to the main loop. Closing the window cancels
 * the run; reports of a cancelled run are dropped unread.
 */

#include <glib/gi18n.h>

#include "gs-loss-plot.h"
#include "gs-train.h"
#include "gs-window.h"

/* The cell drop-down lists the cells in GsCell's order. */
G_STATIC_ASSERT (GS_CELL_RNN_TANH == 0 && GS_CELL_RNN_RELU == 1 &&
                 GS_CELL_LSTM == 2 && GS_CELL_GRU == 3 && GS_N_CELLS == 4);

#define PREDICTION_MAX 256  /* bytes of a decoded prediction, NUL included */

struct _GsWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkSpinner           *spinner;
  GtkDropDown          *cell_dropdown;
  GtkSpinButton        *epochs_spin;
  AdwActionRow         *setup_row;
  GtkLabel             *epoch_label;
  GtkLabel             *prediction_label;
  GtkLabel             *loss_label;
  GsLossPlot           *loss_plot;
  GtkTextView          *log_view;

  /* owned references */
  GSettings            *settings;
  GCancellable         *cancellable;  /* the run under way (or the last one) */

  /* borrowed references */
  GtkTextMark          *log_end;      /* owned by the log's buffer */

  gboolean              training;
};

G_DEFINE_FINAL_TYPE (GsWindow, gs_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_TRAINING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the training thread tells the window after one epoch: copies, never
 * the trainer itself. */
typedef struct
{
  GsWindow     *self;         /* owned reference */
  GCancellable *cancellable;  /* owned reference: the run this epoch belongs to */
  int           epoch;        /* epochs completed, 1 … epochs */
  int           epochs;
  float         loss;
  char          prediction[PREDICTION_MAX];
} GsEpochReport;

/* What the training thread is given. */
typedef struct
{
  GsTrainConfig cfg;
  GsWindow     *self;   /* borrowed: gs_window_train_done ()'s user_data keeps it alive */
} GsTrainJob;

static void
gs_epoch_report_free (gpointer data)
{
  GsEpochReport *report = data;

  g_clear_object (&report->self);
  g_clear_object (&report->cancellable);
  g_free (report);
}

static void
gs_window_update_actions (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.train", !self->training);
}

static void
gs_window_set_training (GsWindow *self,
                        gboolean  training)
{
  g_assert (GS_IS_WINDOW (self));

  training = !!training;
  if (self->training == training)
    return;

  self->training = training;
  gtk_spinner_set_spinning (self->spinner, training);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), training);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cell_dropdown), !training);
  gtk_widget_set_sensitive (GTK_WIDGET (self->epochs_spin), !training);
  gs_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

/* Appends one line to the log and keeps the end in view. */
static void
gs_window_log (GsWindow   *self,
               const char *line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->log_view);
  GtkTextIter end;

  g_assert (GS_IS_WINDOW (self));

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, line, -1);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
  gtk_text_view_scroll_mark_onscreen (self->log_view, self->log_end);
}

static void
gs_window_show_error (GsWindow   *self,
                      const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  g_autofree char *line = NULL;

  g_assert (GS_IS_WINDOW (self));

  /* AdwToast's title is Pango markup. */
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));

  /* Translators: a line of the training log; %s is the engine's message. */
  line = g_strdup_printf (_("Training stopped: %s"), message);
  gs_window_log (self, line);
}

static gboolean
gs_window_report_epoch (gpointer data)
{
  GsEpochReport *report = data;
  GsWindow *self = report->self;
  g_autofree char *line = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *loss = NULL;

  if (g_cancellable_is_cancelled (report->cancellable))
    return G_SOURCE_REMOVE;

  /* Translators: the epoch just trained out of the total, e.g. "3 / 15". */
  epoch = g_strdup_printf (_("%d / %d"), report->epoch, report->epochs);
  loss = g_strdup_printf ("%.3f", (double) report->loss);
  gtk_label_set_label (self->epoch_label, epoch);
  gtk_label_set_label (self->prediction_label, report->prediction);
  gtk_label_set_label (self->loss_label, loss);

  /* Translators: a line of the training log, as the PyTorch course prints
   * it: the predicted string, the epoch out of the total, the loss. */
  line = g_strdup_printf (_("Predicted: %s, Epoch [%d/%d] loss = %.3f"),
                          report->prediction, report->epoch, report->epochs,
                          (double) report->loss);
  gs_window_log (self, line);
  gs_loss_plot_append (self->loss_plot, report->loss);

  return G_SOURCE_REMOVE;
}

/* Runs in a worker thread: owns the trainer, touches no widget. */
static void
gs_window_train_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  const GsTrainJob *job = task_data;
  const GsTrainConfig *cfg = &job->cfg;
  GsError err = { { 0 } };
  GsTrainer *tr;

  tr = gs_trainer_new (cfg, &err);
  if (tr == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.msg);
      return;
    }

  while (tr->epoch < cfg->epochs)
    {
      GsEpochReport *report;

      if (g_task_return_error_if_cancelled (task))
        goto out;

      if (gs_trainer_step (tr, &err) != GS_OK)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.msg);
          goto out;
        }

      report = g_new0 (GsEpochReport, 1);
      report->self = g_object_ref (job->self);
      report->cancellable = g_object_ref (cancellable);
      report->epoch = tr->epoch;
      report->epochs = cfg->epochs;
      report->loss = tr->last_loss;
      gs_task_decode_prediction (&tr->task, tr->model, 0,
                                 report->prediction, sizeof report->prediction);

      g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT,
                                  gs_window_report_epoch, report, gs_epoch_report_free);
    }

  g_task_return_boolean (task, TRUE);

out:
  gs_trainer_free (tr);
}

/* Back in the main loop, after every report of the run (same priority,
 * queued earlier). The window is user_data, not the task's source object:
 * the worker thread may drop the task's last reference, and a window must
 * never be finalized outside the main thread. */
static void
gs_window_train_done (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Cancelled: the window is going away. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gs_window_show_error (self, error->message);
    }

  gs_window_set_training (self, FALSE);
}

static void
gs_window_train (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  GsWindow *self = GS_WINDOW (widget);
  g_autoptr(GTask) task = NULL;
  g_autofree GsTrainJob *job = g_new0 (GsTrainJob, 1);
  GsTrainConfig *cfg = &job->cfg;
  GsError err = { { 0 } };

  g_assert (GS_IS_WINDOW (self));

  if (self->training)
    return;

  gs_train_config_default (cfg);
  cfg->cell = (GsCell) gtk_drop_down_get_selected (self->cell_dropdown);
  cfg->epochs = gtk_spin_button_get_value_as_int (self->epochs_spin);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->log_view), "", 0);
  gtk_label_set_label (self->epoch_label, "—");
  gtk_label_set_label (self->prediction_label, "—");
  gtk_label_set_label (self->loss_label, "—");
  gs_loss_plot_clear (self->loss_plot);
  gs_loss_plot_set_epochs (self->loss_plot, (guint) MAX (cfg->epochs, 0));

  if (gs_train_config_validate (cfg, &err) != GS_OK)
    {
      gs_window_show_error (self, err.msg);
      return;
    }

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  job->self = self;
  task = g_task_new (NULL, self->cancellable, gs_window_train_done, g_object_ref (self));
  g_task_set_source_tag (task, gs_window_train);
  g_task_set_name (task, "[gatescope] train");
  g_task_set_task_data (task, g_steal_pointer (&job), g_free);

  gs_window_set_training (self, TRUE);
  g_task_run_in_thread (task, gs_window_train_thread);
}

static const char *
optimizer_display_name (GsOptKind kind)
{
  switch (kind)
    {
    case GS_OPT_SGD:     return "SGD";
    case GS_OPT_ADAM:    return "Adam";
    case GS_OPT_RMSPROP: return "RMSprop";
    case GS_OPT_ADAGRAD: return "Adagrad";
    case GS_N_OPTS:
    default:             return "?";
    }
}

static gboolean
gs_window_close_request (GtkWindow *window)
{
  GsWindow *self = GS_WINDOW (window);
  gboolean maximized = gtk_window_is_maximized (window);

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

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_WINDOW);

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
      g_value_set_boolean (value, self->training);
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

  window_class->close_request = gs_window_close_request;

  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GS_TYPE_LOSS_PLOT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, cell_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, setup_row);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, epoch_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, prediction_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, loss_label);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, loss_plot);
  gtk_widget_class_bind_template_child (widget_class, GsWindow, log_view);

  gtk_widget_class_install_action (widget_class, "win.train", NULL, gs_window_train);
}

static void
gs_window_init (GsWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;
  GsTrainConfig defaults;
  g_autofree char *engine = NULL;
  g_autofree char *setup = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* Translators: the subtitle of the window; %s is a version, "0.1.0". */
  engine = g_strdup_printf (_("Engine %s"), PACKAGE_VERSION);
  adw_window_title_set_subtitle (self->window_title, engine);

  /* The controls start from the seed model's settings, but with the cell
   * this application is named for: an LSTM, whose gates are worth watching. */
  gs_train_config_default (&defaults);
  gtk_drop_down_set_selected (self->cell_dropdown, GS_CELL_LSTM);
  gtk_spin_button_set_value (self->epochs_spin, defaults.epochs);
  /* Translators: the fixed settings of a run: embedding and hidden sizes,
   * number of layers, optimizer name and learning rate, random seed. */
  setup = g_strdup_printf (_("Embedding %d · hidden %d · layers %d · %s, lr %g · seed %llu"),
                           defaults.E, defaults.H, defaults.L,
                           optimizer_display_name (defaults.opt.kind),
                           (double) defaults.opt.lr, (unsigned long long) defaults.seed);
  adw_action_row_set_subtitle (self->setup_row, setup);

  buffer = gtk_text_view_get_buffer (self->log_view);
  gtk_text_buffer_get_end_iter (buffer, &end);
  self->log_end = gtk_text_buffer_create_mark (buffer, "log-end", &end, FALSE);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gs_window_update_actions (self);
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

gboolean
gs_window_get_training (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);

  return self->training;
}
