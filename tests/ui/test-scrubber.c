/* test-scrubber.c — the history of learning keeps its marks.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The epoch scrubber (app/gs-window-scrubber.c) draws one mark per
 * recording the session mirrors from its worker (app/gs-session.c), and
 * "Live". Every reply of the worker says which recordings it holds —
 * except a save's, which carries none: taken for "none held", it emptied
 * the mirror, and the recordings already sent are never sent again, so
 * after an autosave (every 30 s) the row showed no marks, or only those
 * made since. Whether a run met an autosave before it was looked at was a
 * matter of timing. Here the saves are made to happen: an autosave between
 * training and a greedy pass of seq2seq (the flow it was first seen in),
 * and a hello run trained under an autosave timer of 50 ms. After each,
 * the marks drawn on the scale are counted and read, and must be the
 * recordings the worker holds — as the autosave it wrote lists them, and
 * as the schedule predicts (gs-recorder.h).
 */

#include <string.h>

#include <glib/gstdio.h>

#include "gs-recorder.h"
#include "gs-session-file.h"
#include "gs-ui-test-window.h"
#include "gs-window-private.h"

static GsApplication *app;  /* one per process: a GApplication registers once */

/* Activates `action` `n` times, waiting for each answer. */
static void
press (GsWindow   *win,
       const char *action,
       int         n)
{
  for (int i = 0; i < n; i++)
    {
      if (!gtk_widget_activate_action (GTK_WIDGET (win), action, NULL))
        g_error ("action %s could not be activated", action);
      gs_ui_test_sync (win);
    }
}

/* The labels under `w`, each followed by ';', into s. */
static void
append_labels (GtkWidget *w,
               GString   *s)
{
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c))
        g_string_append_printf (s, "%s;", gtk_label_get_label (GTK_LABEL (c)));
      append_labels (c, s);
    }
}

/* The marks the scale draws (GtkScale makes each a "mark" node in its
 * "marks" box), counted in the widget tree; their labels, left to right,
 * each followed by ';', into labels. */
static int
count_marks (GtkWidget *w,
             GString   *labels)
{
  int n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (g_strcmp0 (gtk_widget_get_css_name (c), "mark") == 0)
      {
        n++;
        append_labels (c, labels);
      }
    else
      n += count_marks (c, labels);
  return n;
}

/* The first mark the scale draws, or NULL. */
static GtkWidget *
first_mark (GtkWidget *w)
{
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *m = g_strcmp0 (gtk_widget_get_css_name (c), "mark") == 0 ? c : first_mark (c);
      if (m != NULL)
        return m;
    }
  return NULL;
}

/* The epochs the worker holds after `steps` training steps: the
 * schedule's (the Fibonacci numbers) up to there, and the latest. */
static int
expected_epochs (long  steps,
                 long *out)
{
  int n = 0;

  for (long e = 0; e <= steps; e++)
    if (gs_recordings_scheduled_epoch (e) || e == steps)
      out[n++] = e;
  return n;
}

/* The window's scale shows exactly the recordings at `epochs` (n of
 * them), in the session's mirror and as marks, and "Live". */
static void
check_marks (GsWindow   *win,
             const long *epochs,
             int         n)
{
  const GsRecordings *r = gs_session_get_recordings (gs_ui_test_session (win));
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autofree char *first = g_strdup_printf ("%ld;", epochs[0]);
  g_autofree char *last_scheduled = NULL;
  int drawn;

  g_assert_cmpint (r->n, ==, n);
  for (int i = 0; i < n; i++)
    g_assert_cmpint (r->rec[i].epoch, ==, epochs[i]);
  drawn = count_marks (GTK_WIDGET (win->scrub_scale), labels);
  g_test_message ("%d marks: %s", drawn, labels->str);
  g_assert_cmpint (drawn, ==, n + 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (win->scrub_scale)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_range_get_adjustment (GTK_RANGE (win->scrub_scale))), ==, n);
  /* labelled: the random start first, the last scheduled epoch, Live */
  for (int i = n - 1; i >= 0 && last_scheduled == NULL; i--)
    if (gs_recordings_scheduled_epoch (epochs[i]))
      last_scheduled = g_strdup_printf (";%ld;Live;", epochs[i]);
  g_assert_true (g_str_has_prefix (labels->str, first));
  g_assert_true (g_str_has_suffix (labels->str, last_scheduled));
}

/* The recordings the worker held when it wrote the autosave. */
static void
check_autosave (GsWindow   *win,
                const long *epochs,
                int         n)
{
  GsRecordings *saved = NULL;
  GsStepper *st;
  GsError err = { "" };

  st = gs_session_file_load_full (_gs_window_file_autosave_path (win), NULL, &saved, &err);
  if (st == NULL)
    g_error ("%s", err.msg);
  g_assert_cmpint (saved->n, ==, n);
  for (int i = 0; i < n; i++)
    g_assert_cmpint (saved->rec[i].epoch, ==, epochs[i]);
  gs_recordings_free (saved);
  gs_stepper_free (st);
}

static void
count_autosave (GsSession  *session,
                const char *path,
                gboolean    autosave,
                const char *error,
                int        *n)
{
  g_assert_null (error);
  if (autosave)
    (*n)++;
}

/* A run's autosave is removed, so the next window is not offered it. */
static void
close_window (GsWindow *win)
{
  g_autofree char *autosave = g_strdup (_gs_window_file_autosave_path (win));

  gtk_window_destroy (GTK_WINDOW (win));
  g_remove (autosave);
}

/* seq2seq: train, an autosave, then Greedy and a step of the evaluation
 * pass (which records nothing). */
static void
test_scrubber_greedy_after_autosave (void)
{
  g_autoptr(GsWindow) win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  GsSession *session = gs_ui_test_session (win);
  const int steps = 61;
  long epochs[GS_RECORDINGS_MAX];
  int n = expected_epochs (steps, epochs), saves = 0;
  GsTrainConfig config;
  GtkWidget *mark;

  g_assert_false (gs_window_recovery_offered (win));
  g_signal_connect (session, "saved", G_CALLBACK (count_autosave), &saves);
  gs_train_config_default (&config);
  g_strlcpy (config.task, "seq2seq:length=4", sizeof config.task);
  config.cell = GS_CELL_GRU;
  gs_window_reset_session (win, &config);
  gs_ui_test_sync (win);
  press (win, "win.train-step", steps - 1);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, steps - 1);
  epochs[n - 1] = steps - 1;
  check_marks (win, epochs, n);
  /* One more step, off the schedule, replaces only the latest recording
   * (unlabelled): the marks are not made again, so a frame of a long run
   * costs no more than one of a short run. */
  mark = first_mark (GTK_WIDGET (win->scrub_scale));
  g_assert_nonnull (mark);
  g_object_add_weak_pointer (G_OBJECT (mark), (gpointer *) &mark);
  press (win, "win.train-step", 1);
  epochs[n - 1] = steps;
  check_marks (win, epochs, n);
  g_assert_nonnull (mark);
  g_object_remove_weak_pointer (G_OBJECT (mark), (gpointer *) &mark);

  gs_window_autosave_now (win);
  g_assert_cmpint (saves, ==, 1);
  check_autosave (win, epochs, n);
  check_marks (win, epochs, n);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.decode", "s", "greedy"));
  gs_ui_test_sync (win);
  press (win, "win.step-forward", 3);
  g_assert_cmpint (gs_ui_test_snapshot (win)->decode, ==, GS_DECODE_GREEDY);
  g_assert_cmpint (gs_ui_test_snapshot (win)->epoch, ==, steps);
  check_marks (win, epochs, n);
  /* and the recordings still replay */
  g_assert_true (_gs_window_scrub_to (win, epochs[n - 2]));
  g_assert_true (_gs_window_scrub_to (win, -1));

  g_signal_handlers_disconnect_by_func (session, count_autosave, &saves);
  close_window (win);
}

/* hello: 600 training steps, autosaved every 50 ms meanwhile, as the
 * 30-second timer does a long run. */
static void
test_scrubber_hello_autosaved (void)
{
  g_autoptr(GsWindow) win = NULL;
  GsSession *session;
  const int steps = 600;
  long epochs[GS_RECORDINGS_MAX];
  int n = expected_epochs (steps, epochs), saves = 0;
  GsTrainConfig config;

  g_setenv ("GS_AUTOSAVE_INTERVAL", "0.05", TRUE);
  win = g_object_ref_sink (gs_ui_test_open_window (0, 0));
  session = gs_ui_test_session (win);
  g_assert_false (gs_window_recovery_offered (win));
  g_signal_connect (session, "saved", G_CALLBACK (count_autosave), &saves);
  gs_train_config_default (&config);
  g_strlcpy (config.task, "hello", sizeof config.task);
  gs_window_reset_session (win, &config);
  gs_ui_test_sync (win);
  for (int i = 0; i < steps; i++)
    {
      press (win, "win.train-step", 1);
      /* now and then, a moment for the timer */
      if (i % 100 == 50)
        g_usleep (60 * 1000);
    }
  g_test_message ("%d autosaves while training", saves);
  g_assert_cmpint (saves, >=, 1);
  check_marks (win, epochs, n);
  /* the last autosave holds them too */
  gs_window_autosave_now (win);
  check_autosave (win, epochs, n);
  check_marks (win, epochs, n);

  g_signal_handlers_disconnect_by_func (session, count_autosave, &saves);
  close_window (win);
  g_unsetenv ("GS_AUTOSAVE_INTERVAL");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = gs_ui_test_make_fresh_home ();
  int status;

  gs_ui_test_init (&argc, &argv);
  app = gs_ui_test_app_new (0);

  g_test_add_func ("/scrubber/greedy-after-autosave", test_scrubber_greedy_after_autosave);
  g_test_add_func ("/scrubber/hello-autosaved", test_scrubber_hello_autosaved);

  status = g_test_run ();

  g_clear_object (&app);
  gs_ui_test_remove_tree (home);
  return status;
}
