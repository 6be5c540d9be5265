/* gs-experiment-dialog.c — the classic LSTM-against-RNN experiments, run
 * from the GUI.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threads and ownership (as in gs-session.c):
 *
 *   main loop                         worker thread
 *   ─────────                         ─────────────
 *   experiment.start  ──► Job ──►     for each cell, seed:
 *                                       gs_experiment_run_full (owns the
 *                                       trainer it builds, frees it)
 *   on_replies        ◄── replies ◄── progress (≤ 20 per second, and after
 *   labels, table                     every evaluation), each finished run,
 *                                     then DONE
 *   experiment.cancel ──► job->cancel (checked by the engine every step)
 *
 * The worker sees only the Job: its settings, the reply queue, the wake-up
 * source and the cancel flag. The dialog joins the thread when DONE
 * arrives, or in dispose after cancelling, and only then frees the Job.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Experiment"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-experiment-dialog.h"
#include "gs-experiment-dialog-private.h"
#include "gs-shuttle.h"

#define PUBLISH_INTERVAL_US (G_USEC_PER_SEC / 20)

enum {
  COL_SEED,
  COL_METRIC_0,
  COL_SOLVED_0,
  COL_METRIC_1,
  COL_SOLVED_1,
  N_COLS
};

typedef enum {
  REPLY_PROGRESS,   /* a run is under way */
  REPLY_RUN,        /* a run finished */
  REPLY_DONE,       /* the worker is about to return */
} ReplyKind;

typedef struct {
  ReplyKind       kind;
  int             index;     /* of the run: cell k, seed s → k * seeds + s */
  int             step;      /* REPLY_PROGRESS: steps done */
  float           loss;      /* REPLY_PROGRESS: that step's training loss */
  GsExperimentRun run;       /* the evaluation so far, or the finished run */
  gboolean        cancelled; /* REPLY_DONE */
  char           *error;     /* REPLY_DONE, owned, or NULL */
} Reply;

/* Everything the worker thread touches. */
typedef struct {
  const GsExperiment *experiment;   /* static */
  int                 seeds;
  int                 steps;
  volatile bool       cancel;       /* set by the main loop */
  GsShuttle          *shuttle;      /* replies: Reply * */

  /* worker-only */
  int                 index;
  gint64              last_publish;
} Job;

struct _GsExperimentDialog
{
  AdwWindow           parent_instance;

  /* template widgets */
  AdwPreferencesGroup *settings_group;
  AdwComboRow         *experiment_row;
  AdwActionRow        *steps_row;
  GtkSpinButton       *seeds_spin;
  GtkSpinButton       *steps_spin;
  GtkLabel            *claim_label;
  GtkLabel            *reference_label;
  GtkLabel            *settings_label;
  GtkButton           *run_button;
  GtkWidget           *progress_box;
  GtkProgressBar      *progress_bar;
  GtkLabel            *progress_label;
  GtkWidget           *results_box;
  GtkGrid             *results_grid;
  GtkLabel            *verdict_label;
  GtkLabel            *outcome_label;

  /* owned */
  Job                 *job;
  GThread             *thread;
  GArray              *runs;          /* GsExperimentRun, finished runs in order */

  /* borrowed: static engine data */
  const GsExperiment  *experiment;    /* selected */
  const GsExperiment  *running;       /* of the current or last run */
  int                  seeds;         /* of the current or last run */
  int                  steps;
};

G_DEFINE_FINAL_TYPE (GsExperimentDialog, gs_experiment_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ───────────────────────── the worker thread ───────────────────────── */

static void
reply_free (gpointer data)
{
  Reply *reply = data;

  g_free (reply->error);
  g_free (reply);
}

static void
job_push (Job   *job,
          Reply *reply)
{
  gs_shuttle_reply (job->shuttle, reply);
}

/* gs_experiment_run_full's progress hook, after every training step. */
static void
job_progress (const GsExperimentRun *run,
              int                    step,
              float                  loss,
              void                  *data)
{
  Job *job = data;
  gint64 now = g_get_monotonic_time ();
  gboolean evaluated = run->steps == step;
  Reply *reply;

  if (!evaluated && now - job->last_publish < PUBLISH_INTERVAL_US)
    return;
  job->last_publish = now;
  reply = g_new0 (Reply, 1);
  reply->kind = REPLY_PROGRESS;
  reply->index = job->index;
  reply->step = step;
  reply->loss = loss;
  reply->run = *run;
  job_push (job, reply);
}

/* The flag the main loop sets and the worker (and the engine) read: atomic
 * accesses, a plain volatile bool was a data race (TSan). */
static gboolean
job_cancelled (Job *job)
{
  return __atomic_load_n (&job->cancel, __ATOMIC_RELAXED);
}

static gpointer
job_main (gpointer data)
{
  Job *job = data;
  const GsExperiment *e = job->experiment;
  Reply *done = g_new0 (Reply, 1);

  done->kind = REPLY_DONE;
  for (int k = 0; k < GS_EXPERIMENT_CELLS && !job_cancelled (job); k++)
    for (int s = 0; s < job->seeds && !job_cancelled (job); s++)
      {
        Reply *reply;
        GsExperimentRun run;
        GsError err = { { 0 } };

        job->index = k * job->seeds + s;
        job->last_publish = 0;
        if (gs_experiment_run_full (e, e->cells[k], (uint64_t) s, job->steps, &job->cancel,
                                    job_progress, job, &run, &err) != GS_OK)
          {
            done->error = g_strdup (err.msg);
            job_push (job, done);
            return NULL;
          }
        if (job_cancelled (job))
          break;   /* a cut-short run is not a result */
        reply = g_new0 (Reply, 1);
        reply->kind = REPLY_RUN;
        reply->index = job->index;
        reply->run = run;
        job_push (job, reply);
      }
  done->cancelled = job_cancelled (job);
  job_push (job, done);
  return NULL;
}

/* ───────────────────────── the main loop side ───────────────────────── */

static Job *
job_new (const GsExperiment *e,
         int                 seeds,
         int                 steps,
         GSourceFunc         callback,
         gpointer            data)
{
  Job *job = g_new0 (Job, 1);

  job->experiment = e;
  job->seeds = seeds;
  job->steps = steps;
  job->shuttle = gs_shuttle_new ("[gatescope] experiment replies", callback, data, reply_free, NULL);
  return job;
}

static void
job_free (Job *job)
{
  gs_shuttle_free (job->shuttle);
  g_free (job);
}

static const char *
cell_title (GsCell cell)
{
  switch (cell)
    {
    case GS_CELL_LSTM:     return _("LSTM");
    case GS_CELL_GRU:      return _("GRU");
    case GS_CELL_RNN_TANH: return _("RNN");
    case GS_CELL_RNN_RELU: return _("RNN (ReLU)");
    default:               return "?";
    }
}

static gboolean
is_mse (const GsTaskEval *ev)
{
  return ev->metric_name != NULL && strcmp (ev->metric_name, "mse") == 0;
}

char *
gs_experiment_format_metric (const GsTaskEval *ev)
{
  g_return_val_if_fail (ev != NULL, NULL);

  if (is_mse (ev))
    return g_strdup_printf ("%.4f", (double) ev->metric);
  /* TRANSLATORS: an accuracy in percent, "100.0 %" */
  return g_strdup_printf (_("%.1f %%"), 100.0 * ev->metric);
}

static char *
format_baseline (const GsTaskEval *ev)
{
  if (is_mse (ev))
    return g_strdup_printf ("%.3f", (double) ev->baseline);
  return g_strdup_printf (_("%.0f %%"), 100.0 * ev->baseline);
}

static const char *
metric_title (const GsTaskEval *ev)
{
  return is_mse (ev) ? _("test MSE") : _("test accuracy");
}

/* ── the table ── */

static GtkLabel *
table_cell (GsExperimentDialog *self,
            int                 row,
            int                 column)
{
  GtkWidget *child = gtk_grid_get_child_at (self->results_grid, column, row);

  return GTK_IS_LABEL (child) ? GTK_LABEL (child) : NULL;
}

static void
table_set (GsExperimentDialog *self,
           int                 row,
           int                 column,
           const char         *text,
           const char         *style)
{
  GtkLabel *label = table_cell (self, row, column);

  gtk_label_set_text (label, text);
  gtk_widget_set_css_classes (GTK_WIDGET (label), (const char *[]) { "numeric", style, NULL });
}

static void
table_headers (GsExperimentDialog *self,
               const GsTaskEval   *ev)
{
  const GsExperiment *e = self->running;

  for (int k = 0; k < GS_EXPERIMENT_CELLS; k++)
    {
      g_autofree char *title = NULL;

      /* TRANSLATORS: a column of the results table: "LSTM test MSE" */
      title = ev != NULL ? g_strdup_printf (C_("column", "%s %s"), cell_title (e->cells[k]), metric_title (ev))
                         : g_strdup (cell_title (e->cells[k]));
      table_set (self, 0, COL_METRIC_0 + 2 * k, title, "heading");
    }
}

/* An empty table: a header and one row per seed, every result "—". */
static void
table_reset (GsExperimentDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_grid))) != NULL)
    gtk_grid_remove (self->results_grid, child);
  for (int row = 0; row <= self->seeds; row++)
    for (int col = 0; col < N_COLS; col++)
      {
        GtkWidget *label = gtk_label_new (NULL);

        gtk_label_set_xalign (GTK_LABEL (label), col == COL_SEED ? 0.0f : 1.0f);
        gtk_grid_attach (self->results_grid, label, col, row, 1, 1);
        if (row == 0)
          continue;
        if (col == COL_SEED)
          {
            g_autofree char *seed = g_strdup_printf ("%d", row - 1);
            table_set (self, row, col, seed, NULL);
          }
        else
          table_set (self, row, col, "—", "dim-label");
      }
  table_set (self, 0, COL_SEED, _("Seed"), "heading");
  table_set (self, 0, COL_SOLVED_0, _("Solved"), "heading");
  table_set (self, 0, COL_SOLVED_1, _("Solved"), "heading");
  table_headers (self, NULL);
}

static void
table_add_run (GsExperimentDialog    *self,
               int                    index,
               const GsExperimentRun *run)
{
  int k = index / self->seeds, row = index % self->seeds + 1;
  g_autofree char *metric = gs_experiment_format_metric (&run->ev);
  g_autofree char *solved = NULL;

  if (run->ev.solved && run->solved_at > 0)
    solved = g_strdup_printf (_("yes, at step %d"), run->solved_at);
  else
    solved = g_strdup (run->ev.solved ? _("yes") : _("no"));
  if (run->diverged)
    {
      /* TRANSLATORS: "no (diverged)": training stopped on a diverging update */
      g_autofree char *s = g_strdup_printf (_("%s (diverged)"), solved);
      g_free (solved);
      solved = g_steal_pointer (&s);
    }
  if (index == 0)
    table_headers (self, &run->ev);
  table_set (self, row, COL_METRIC_0 + 2 * k, metric, NULL);
  table_set (self, row, COL_SOLVED_0 + 2 * k, solved, run->ev.solved ? "success" : NULL);
}

/* ── state ── */

static void
update_actions (GsExperimentDialog *self)
{
  gboolean running = self->thread != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "experiment.start", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "experiment.cancel", running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->settings_group), !running);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->run_button),
                                  running ? "experiment.cancel" : "experiment.start");
  gtk_button_set_label (self->run_button, running ? _("_Cancel") : _("_Start"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->run_button), running ? "suggested-action" : "destructive-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->run_button), running ? "destructive-action" : "suggested-action");
}

static void
show_experiment (GsExperimentDialog *self)
{
  const GsExperiment *e = self->experiment;
  g_autofree char *steps = NULL, *settings = NULL;

  gtk_label_set_text (self->claim_label, _(e->claim));
  gtk_label_set_text (self->reference_label, _(e->reference));
  steps = g_strdup_printf (_("Published: %d; a quick check: %d"), e->steps, e->quick_steps);
  adw_action_row_set_subtitle (self->steps_row, steps);
  settings = g_strdup_printf (_("Task %s, %d hidden units, batch %d, Adam with learning rate %g, "
                                "gradient clipping at %g, judged every %d steps on held-out sequences."),
                              e->task, e->H, e->B, (double) e->lr, (double) e->clip, e->eval_every);
  gtk_label_set_text (self->settings_label, settings);
}

static void
show_progress (GsExperimentDialog *self,
               const Reply        *reply)
{
  int total = GS_EXPERIMENT_CELLS * self->seeds;
  int k = reply->index / self->seeds, seed = reply->index % self->seeds;
  g_autofree char *head = NULL, *test = NULL, *text = NULL;

  gtk_progress_bar_set_fraction (self->progress_bar,
                                 (reply->index + (double) reply->step / self->steps) / total);
  /* TRANSLATORS: "Run 3 of 10: LSTM, seed 2 — step 1250 of 5000, training loss 0.0123" */
  head = g_strdup_printf (_("Run %d of %d: %s, seed %d — step %d of %d, training loss %.4f"),
                          reply->index + 1, total, cell_title (self->running->cells[k]), seed,
                          reply->step, self->steps, (double) reply->loss);
  if (reply->run.steps > 0)
    {
      g_autofree char *metric = gs_experiment_format_metric (&reply->run.ev);

      /* the row fills in live, dimmed until the run is done */
      if (reply->index == 0)
        table_headers (self, &reply->run.ev);
      table_set (self, seed + 1, COL_METRIC_0 + 2 * k, metric, "dim-label");
      /* TRANSLATORS: "test MSE 0.0812 after step 1000" */
      test = g_strdup_printf (_("%s %s after step %d"), metric_title (&reply->run.ev), metric, reply->run.steps);
    }
  else
    test = g_strdup_printf (_("first judged after step %d"), MIN (self->running->eval_every, self->steps));
  text = g_strdup_printf ("%s\n%s", head, test);
  gtk_label_set_text (self->progress_label, text);
}

static void
show_verdict (GsExperimentDialog *self)
{
  const GsExperiment *e = self->running;
  const GsExperimentRun *runs = (const GsExperimentRun *) (gpointer) self->runs->data;
  int solved[GS_EXPERIMENT_CELLS] = { 0 };
  g_autofree char *baseline = NULL, *verdict = NULL, *outcome = NULL;
  gboolean reproduced;

  for (guint i = 0; i < self->runs->len; i++)
    solved[i / self->seeds] += runs[i].ev.solved;
  baseline = format_baseline (&runs[self->runs->len - 1].ev);
  /* TRANSLATORS: "LSTM solves it on 5 of 5 seeds; the RNN stays unsolved on
   * 5 of 5 (the baseline is 0.167)." */
  verdict = g_strdup_printf (ngettext ("%s solves it on %d of %d seed; the %s stays unsolved on %d of %d "
                                       "(the baseline is %s).",
                                       "%s solves it on %d of %d seeds; the %s stays unsolved on %d of %d "
                                       "(the baseline is %s).", self->seeds),
                             cell_title (e->cells[0]), solved[0], self->seeds,
                             cell_title (e->cells[1]), self->seeds - solved[1], self->seeds, baseline);
  gtk_label_set_text (self->verdict_label, verdict);
  reproduced = solved[0] == self->seeds && solved[1] == 0;
  if (reproduced)
    outcome = g_strdup (_("The claim is reproduced."));
  else if (self->steps < e->steps)
    /* TRANSLATORS: "… with 20 training steps instead of the published 5000." */
    outcome = g_strdup_printf (_("The claim is not reproduced with %d training steps instead of the "
                                 "published %d."), self->steps, e->steps);
  else
    outcome = g_strdup (_("The claim is not reproduced."));
  gtk_label_set_text (self->outcome_label, outcome);
  gtk_widget_set_css_classes (GTK_WIDGET (self->outcome_label),
                              (const char *[]) { "heading", reproduced ? "success" : "warning", NULL });
}

static void
finish (GsExperimentDialog *self,
        gboolean            cancelled,
        const char         *error)
{
  int total = GS_EXPERIMENT_CELLS * self->seeds;

  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->job, job_free);

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The experiment failed: %s"), error);
      gtk_label_set_text (self->progress_label, text);
    }
  else if (cancelled)
    {
      g_autofree char *text = g_strdup_printf (_("Cancelled after %u of %d runs."), self->runs->len, total);
      gtk_label_set_text (self->progress_label, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Done: %d run of %d steps.",
                                                         "Done: %d runs of %d steps each.", total),
                                               total, self->steps);
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      gtk_label_set_text (self->progress_label, text);
      show_verdict (self);
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static gboolean
on_replies (gpointer user_data)
{
  GsExperimentDialog *self = GS_EXPERIMENT_DIALOG (user_data);
  Reply *reply;

  while ((reply = gs_shuttle_receive (self->job->shuttle)) != NULL)
    {
      if (reply->kind == REPLY_PROGRESS)
        show_progress (self, reply);
      else if (reply->kind == REPLY_RUN)
        {
          g_assert ((guint) reply->index == self->runs->len);
          g_array_append_val (self->runs, reply->run);
          table_add_run (self, reply->index, &reply->run);
        }
      else
        {
          /* the last reply: the job (and this source) go away here */
          finish (self, reply->cancelled, reply->error);
          reply_free (reply);
          return G_SOURCE_CONTINUE;
        }
      reply_free (reply);
    }
  return G_SOURCE_CONTINUE;
}

/* ── actions ── */

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GsExperimentDialog *self = GS_EXPERIMENT_DIALOG (widget);
  g_autofree char *waiting = NULL;

  if (self->thread != NULL)
    return;
  self->running = self->experiment;
  self->seeds = gtk_spin_button_get_value_as_int (self->seeds_spin);
  self->steps = gtk_spin_button_get_value_as_int (self->steps_spin);
  g_array_set_size (self->runs, 0);
  table_reset (self);
  gtk_label_set_text (self->verdict_label, "");
  gtk_label_set_text (self->outcome_label, "");
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  waiting = g_strdup_printf (_("Run 1 of %d: %s, seed 0 — starting"), GS_EXPERIMENT_CELLS * self->seeds,
                             cell_title (self->running->cells[0]));
  gtk_label_set_text (self->progress_label, waiting);
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_widget_set_visible (self->results_box, TRUE);

  self->job = job_new (self->running, self->seeds, self->steps, on_replies, self);
  self->thread = g_thread_new ("gatescope-experiment", job_main, self->job);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GsExperimentDialog *self = GS_EXPERIMENT_DIALOG (widget);

  /* The worker stops within one training step and answers DONE. */
  if (self->job != NULL)
    __atomic_store_n (&self->job->cancel, true, __ATOMIC_RELAXED);
}

static void
on_experiment_selected (GsExperimentDialog *self)
{
  int n, i = (int) adw_combo_row_get_selected (self->experiment_row);
  const GsExperiment *all = gs_experiments (&n);

  if (i < 0 || i >= n)
    return;
  self->experiment = &all[i];
  gtk_spin_button_set_value (self->seeds_spin, MIN (self->experiment->seeds, 5));
  gtk_spin_button_set_value (self->steps_spin, self->experiment->steps);
  show_experiment (self);
}

/* ── GObject ── */

static void
gs_experiment_dialog_dispose (GObject *object)
{
  GsExperimentDialog *self = GS_EXPERIMENT_DIALOG (object);

  if (self->thread != NULL)
    {
      __atomic_store_n (&self->job->cancel, true, __ATOMIC_RELAXED);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  g_clear_pointer (&self->job, job_free);

  G_OBJECT_CLASS (gs_experiment_dialog_parent_class)->dispose (object);
}

static void
gs_experiment_dialog_finalize (GObject *object)
{
  GsExperimentDialog *self = GS_EXPERIMENT_DIALOG (object);

  g_clear_pointer (&self->runs, g_array_unref);

  G_OBJECT_CLASS (gs_experiment_dialog_parent_class)->finalize (object);
}

static void
gs_experiment_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  GsExperimentDialog *self = GS_EXPERIMENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->thread != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_experiment_dialog_class_init (GsExperimentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_experiment_dialog_dispose;
  object_class->finalize = gs_experiment_dialog_finalize;
  object_class->get_property = gs_experiment_dialog_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-experiment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, settings_group);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, experiment_row);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, steps_row);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, seeds_spin);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, steps_spin);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, claim_label);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, reference_label);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, settings_label);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, run_button);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, results_box);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, results_grid);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, GsExperimentDialog, outcome_label);

  gtk_widget_class_install_action (widget_class, "experiment.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "experiment.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
gs_experiment_dialog_init (GsExperimentDialog *self)
{
  g_autoptr (GtkStringList) titles = gtk_string_list_new (NULL);
  int n;
  const GsExperiment *all = gs_experiments (&n);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->runs = g_array_new (FALSE, TRUE, sizeof (GsExperimentRun));
  for (int i = 0; i < n; i++)
    gtk_string_list_append (titles, _(all[i].title));
  adw_combo_row_set_model (self->experiment_row, G_LIST_MODEL (titles));
  g_signal_connect_swapped (self->experiment_row, "notify::selected",
                            G_CALLBACK (on_experiment_selected), self);
  adw_combo_row_set_selected (self->experiment_row, 0);
  on_experiment_selected (self);
  gtk_widget_set_visible (self->progress_box, FALSE);
  gtk_widget_set_visible (self->results_box, FALSE);
  update_actions (self);
}

/* ───────────────────────── public ───────────────────────── */

GsExperimentDialog *
gs_experiment_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (GS_TYPE_EXPERIMENT_DIALOG,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

void
gs_experiment_dialog_set_experiment (GsExperimentDialog *self,
                                     const char         *name)
{
  int n;
  const GsExperiment *all = gs_experiments (&n);
  const GsExperiment *e;

  g_return_if_fail (GS_IS_EXPERIMENT_DIALOG (self));
  g_return_if_fail (name != NULL);

  if (self->thread != NULL || (e = gs_experiment_find (name)) == NULL)
    return;
  if (e == self->experiment)
    on_experiment_selected (self);   /* back to the published defaults */
  else
    adw_combo_row_set_selected (self->experiment_row, (guint) (e - all));
}

const GsExperiment *
gs_experiment_dialog_get_experiment (GsExperimentDialog *self)
{
  g_return_val_if_fail (GS_IS_EXPERIMENT_DIALOG (self), NULL);

  return self->experiment;
}

void
gs_experiment_dialog_set_seeds (GsExperimentDialog *self,
                                int                 seeds)
{
  g_return_if_fail (GS_IS_EXPERIMENT_DIALOG (self));

  gtk_spin_button_set_value (self->seeds_spin, seeds);
}

void
gs_experiment_dialog_set_steps (GsExperimentDialog *self,
                                int                 steps)
{
  g_return_if_fail (GS_IS_EXPERIMENT_DIALOG (self));

  gtk_spin_button_set_value (self->steps_spin, steps);
}

gboolean
gs_experiment_dialog_get_running (GsExperimentDialog *self)
{
  g_return_val_if_fail (GS_IS_EXPERIMENT_DIALOG (self), FALSE);

  return self->thread != NULL;
}

const GsExperimentRun *
gs_experiment_dialog_get_runs (GsExperimentDialog *self,
                               int                *n_runs)
{
  g_return_val_if_fail (GS_IS_EXPERIMENT_DIALOG (self), NULL);

  if (n_runs != NULL)
    *n_runs = (int) self->runs->len;
  return (const GsExperimentRun *) (gpointer) self->runs->data;
}

const char *
gs_experiment_dialog_get_cell_text (GsExperimentDialog *self,
                                    int                 row,
                                    int                 column)
{
  GtkLabel *label;

  g_return_val_if_fail (GS_IS_EXPERIMENT_DIALOG (self), NULL);

  label = table_cell (self, row, column);
  return label != NULL ? gtk_label_get_text (label) : NULL;
}

const char *
gs_experiment_dialog_get_verdict (GsExperimentDialog *self)
{
  g_return_val_if_fail (GS_IS_EXPERIMENT_DIALOG (self), NULL);

  return gtk_label_get_text (self->verdict_label);
}
