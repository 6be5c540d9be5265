/* test-experiment-dialog.c — the experiments dialog, driven in-process.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens the dialog under a display, runs each experiment with the CLI's
 * --quick budget through the dialog's actions, waits for the worker thread
 * and checks the table against gs_experiment_run called here directly with
 * the same settings: every number the user sees comes from the engine.
 * Then cancels a full-length run mid-way and closes the dialog while it
 * runs. With GS_TEST_PNG_DIR set, saves a render of the dialog after a run.
 */

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "gs-application.h"
#include "gs-experiment-dialog.h"
#include "gs-experiment-dialog-private.h"   /* the table */
#include "gs-ui-test.h"
#include "gs-window.h"

#define TIMEOUT_S 120   /* per wait */

enum { COL_SEED, COL_METRIC_0, COL_SOLVED_0, COL_METRIC_1, COL_SOLVED_1 };

/* ───────────────────────── main loop helpers ───────────────────────── */

static void
wait_until_stopped (GsExperimentDialog *dialog)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (TIMEOUT_S, gs_ui_test_on_timeout, &timed_out);

  while (gs_experiment_dialog_get_running (dialog) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %d s waiting for the experiment to finish", TIMEOUT_S);
  g_source_remove (id);
}

static GsExperimentDialog *
open_dialog (void)
{
  GsExperimentDialog *dialog = gs_experiment_dialog_new (NULL);
  gboolean timed_out = FALSE;
  guint id;

  gtk_window_present (GTK_WINDOW (dialog));
  id = g_timeout_add_seconds (TIMEOUT_S, gs_ui_test_on_timeout, &timed_out);
  while (!gtk_widget_get_mapped (GTK_WIDGET (dialog)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  gs_ui_test_flush_main_loop ();
  return dialog;
}

/* Saves the dialog as GS_TEST_PNG_DIR/name.png when that is set. */
static void
save_png (GtkWidget  *widget,
          const char *name)
{
  g_autoptr(GsUiImage) image = NULL;

  if (g_getenv ("GS_TEST_PNG_DIR") == NULL)
    return;
  gs_ui_test_spin_main_loop (100);   /* let the last labels lay out */
  image = gs_ui_test_render (widget, name, 0);
}

/* ───────────────────────── tests ───────────────────────── */

/* The list is the engine's, and choosing one shows its published numbers. */
static void
test_describe (void)
{
  GsExperimentDialog *dialog = open_dialog ();
  int n;
  const GsExperiment *all = gs_experiments (&n);

  g_assert_cmpint (n, >=, 2);
  g_assert_true (gs_experiment_dialog_get_experiment (dialog) == &all[0]);
  g_assert_nonnull (gs_experiment_find ("adding"));
  g_assert_nonnull (gs_experiment_find ("temporal_order"));
  for (int i = 0; i < n; i++)
    {
      gs_experiment_dialog_set_experiment (dialog, all[i].name);
      g_assert_true (gs_experiment_dialog_get_experiment (dialog) == &all[i]);
    }
  g_assert_false (gs_experiment_dialog_get_running (dialog));
  /* nothing has run: no table, no verdict */
  g_assert_cmpstr (gs_experiment_dialog_get_verdict (dialog), ==, "");
  g_assert_null (gs_experiment_dialog_get_cell_text (dialog, 1, COL_METRIC_0));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gs_ui_test_flush_main_loop ();
}

/* Runs `name` with `seeds` seeds of `steps` steps in the dialog and checks
 * every row against gs_experiment_run. */
static void
check_run (const char *name,
           int         seeds,
           int         steps,
           const char *png,
           int         solved[GS_EXPERIMENT_CELLS])
{
  const GsExperiment *e = gs_experiment_find (name);
  GsExperimentDialog *dialog = open_dialog ();
  const GsExperimentRun *runs;
  int n_runs;

  g_assert_nonnull (e);
  gs_experiment_dialog_set_experiment (dialog, name);
  gs_experiment_dialog_set_seeds (dialog, seeds);
  gs_experiment_dialog_set_steps (dialog, steps);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "experiment.start", NULL));
  g_assert_true (gs_experiment_dialog_get_running (dialog));
  wait_until_stopped (dialog);

  runs = gs_experiment_dialog_get_runs (dialog, &n_runs);
  g_assert_cmpint (n_runs, ==, GS_EXPERIMENT_CELLS * seeds);
  memset (solved, 0, GS_EXPERIMENT_CELLS * sizeof *solved);
  for (int k = 0; k < GS_EXPERIMENT_CELLS; k++)
    for (int s = 0; s < seeds; s++)
      {
        const GsExperimentRun *got = &runs[k * seeds + s];
        GsExperimentRun want;
        GsError err;
        g_autofree char *metric = NULL, *seed = NULL;
        const char *solved_text;

        g_assert_cmpint (gs_experiment_run (e, e->cells[k], (uint64_t) s, steps, NULL, &want, &err), ==, GS_OK);
        g_assert_cmpint (got->cell, ==, want.cell);
        g_assert_cmpuint (got->seed, ==, want.seed);
        g_assert_cmpint (got->steps, ==, steps);
        g_assert_cmpint (got->steps, ==, want.steps);
        g_assert_cmpint (got->solved_at, ==, want.solved_at);
        g_assert_cmpint (got->diverged, ==, want.diverged);
        g_assert_cmpint (got->ev.solved, ==, want.ev.solved);
        /* the same code on the same seed: bit for bit */
        g_assert_cmpfloat (got->ev.metric, ==, want.ev.metric);
        g_assert_cmpfloat (got->ev.baseline, ==, want.ev.baseline);
        solved[k] += want.ev.solved;

        /* the row shows the engine's numbers */
        seed = g_strdup_printf ("%d", s);
        g_assert_cmpstr (gs_experiment_dialog_get_cell_text (dialog, s + 1, COL_SEED), ==, seed);
        if (strcmp (want.ev.metric_name, "mse") == 0)
          metric = g_strdup_printf ("%.4f", (double) want.ev.metric);
        else
          metric = g_strdup_printf ("%.1f %%", 100.0 * want.ev.metric);
        g_assert_cmpstr (gs_experiment_dialog_get_cell_text (dialog, s + 1, COL_METRIC_0 + 2 * k), ==, metric);
        solved_text = gs_experiment_dialog_get_cell_text (dialog, s + 1, COL_SOLVED_0 + 2 * k);
        g_assert_nonnull (solved_text);
        g_assert_true (g_str_has_prefix (solved_text, want.ev.solved ? "yes" : "no"));
      }
  g_assert_null (gs_experiment_dialog_get_cell_text (dialog, seeds + 1, COL_SEED));

  /* the verdict counts the same runs */
  {
    g_autofree char *counts = g_strdup_printf ("LSTM solves it on %d of %d seed", solved[0], seeds);
    g_autofree char *rnn = g_strdup_printf ("RNN stays unsolved on %d of %d", seeds - solved[1], seeds);
    const char *verdict = gs_experiment_dialog_get_verdict (dialog);

    g_test_message ("verdict: %s", verdict);
    g_assert_nonnull (strstr (verdict, counts));
    g_assert_nonnull (strstr (verdict, rnn));
  }

  if (png != NULL)
    save_png (GTK_WIDGET (dialog), png);
  gtk_window_destroy (GTK_WINDOW (dialog));
  gs_ui_test_flush_main_loop ();
}

/* The CLI's --quick: one seed, the experiment's quick_steps; two seeds of
 * the adding problem to check the order of the rows as well. */
static void
test_quick (void)
{
  const GsExperiment *adding = gs_experiment_find ("adding");
  const GsExperiment *order = gs_experiment_find ("temporal_order");
  int solved[GS_EXPERIMENT_CELLS];

  check_run ("adding", 2, adding->quick_steps, "experiment-dialog-adding", solved);
  check_run ("temporal_order", 1, order->quick_steps, "experiment-dialog-temporal-order", solved);
}

/* The published budget (slow: run with -m slow): the claim holds. */
static void
test_published (void)
{
  const GsExperiment *e = gs_experiment_find ("temporal_order");
  int solved[GS_EXPERIMENT_CELLS];

  if (!g_test_slow ())
    {
      g_test_skip ("the published budget takes minutes; run with -m slow");
      return;
    }
  check_run (e->name, e->seeds, e->steps, "experiment-dialog-published", solved);
  g_assert_cmpint (solved[0], ==, e->seeds);
  g_assert_cmpint (solved[1], ==, 0);
}

/* Cancelling a full-length run stops the worker within moments, joins it,
 * keeps only finished runs, and the dialog can run again. */
static void
test_cancel (void)
{
  const GsExperiment *e = gs_experiment_find ("adding");
  GsExperimentDialog *dialog = open_dialog ();
  const GsExperimentRun *runs;
  int n_runs;
  gint64 t0;

  gs_experiment_dialog_set_experiment (dialog, "adding");   /* published budget: 5 seeds × 5000 steps */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "experiment.start", NULL));
  gs_ui_test_spin_main_loop (700);
  g_assert_true (gs_experiment_dialog_get_running (dialog));
  save_png (GTK_WIDGET (dialog), "experiment-dialog-running");
  /* settings cannot change under a running experiment */
  gs_experiment_dialog_set_experiment (dialog, "temporal_order");
  g_assert_true (gs_experiment_dialog_get_experiment (dialog) == e);

  t0 = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "experiment.cancel", NULL));
  wait_until_stopped (dialog);
  g_test_message ("cancelled in %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  runs = gs_experiment_dialog_get_runs (dialog, &n_runs);
  g_assert_cmpint (n_runs, <, GS_EXPERIMENT_CELLS * e->seeds);
  for (int i = 0; i < n_runs; i++)
    g_assert_cmpint (runs[i].steps, ==, e->steps);
  g_assert_cmpstr (gs_experiment_dialog_get_cell_text (dialog, e->seeds, COL_METRIC_1), ==, "—");
  g_assert_cmpstr (gs_experiment_dialog_get_verdict (dialog), ==, "");

  /* and again, to the end */
  gs_experiment_dialog_set_seeds (dialog, 1);
  gs_experiment_dialog_set_steps (dialog, e->quick_steps);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "experiment.start", NULL));
  wait_until_stopped (dialog);
  gs_experiment_dialog_get_runs (dialog, &n_runs);
  g_assert_cmpint (n_runs, ==, GS_EXPERIMENT_CELLS);
  g_assert_cmpstr (gs_experiment_dialog_get_verdict (dialog), !=, "");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gs_ui_test_flush_main_loop ();
}

/* Closing the window while it runs cancels, joins and frees everything. */
static void
test_close_running (void)
{
  GsExperimentDialog *dialog = open_dialog ();
  gint64 t0;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gs_experiment_dialog_set_experiment (dialog, "temporal_order");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "experiment.start", NULL));
  gs_ui_test_spin_main_loop (300);
  g_assert_true (gs_experiment_dialog_get_running (dialog));
  t0 = g_get_monotonic_time ();
  gtk_window_close (GTK_WINDOW (dialog));
  gs_ui_test_flush_main_loop ();
  g_assert_null (dialog);   /* disposed and finalized: the thread was joined */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  gs_ui_test_spin_main_loop (100);     /* no stray reply arrives for the dead dialog */
}

/* The main window's primary menu opens the dialog through win.experiments,
 * modal and transient for the window. */
static void
test_from_window (void)
{
  g_autoptr (GsApplication) app = gs_application_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) toplevels = NULL;
  GsExperimentDialog *dialog = NULL;
  GsWindow *window;
  gboolean timed_out = FALSE;
  guint id;

  /* never hand our work to a Gatescope already running on this desktop */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = gs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  id = g_timeout_add_seconds (TIMEOUT_S, gs_ui_test_on_timeout, &timed_out);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.experiments", NULL));
  gs_ui_test_flush_main_loop ();
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (toplevels, i);
      if (GS_IS_EXPERIMENT_DIALOG (item))
        dialog = GS_EXPERIMENT_DIALOG (item);
    }
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_false (gs_experiment_dialog_get_running (dialog));

  /* closing the main window takes the running dialog along */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "experiment.start", NULL));
  gs_ui_test_spin_main_loop (200);
  gtk_window_destroy (GTK_WINDOW (window));
  gs_ui_test_flush_main_loop ();
  g_assert_null (dialog);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = gs_ui_test_make_fresh_home ();
  int status;

  gs_ui_test_init (&argc, &argv);
  adw_init ();

  g_test_add_func ("/experiment-dialog/describe", test_describe);
  g_test_add_func ("/experiment-dialog/quick", test_quick);
  g_test_add_func ("/experiment-dialog/published", test_published);
  g_test_add_func ("/experiment-dialog/cancel", test_cancel);
  g_test_add_func ("/experiment-dialog/close-running", test_close_running);
  g_test_add_func ("/experiment-dialog/from-window", test_from_window);

  status = g_test_run ();
  gs_ui_test_remove_tree (home);
  return status;
}
