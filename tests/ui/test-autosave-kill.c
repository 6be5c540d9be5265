/* test-autosave-kill.c — kill -9 at random moments never loses the run.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parent starts this program again as a child (--child) that opens the
 * real window, restores the last autosave when the window offers it, and
 * trains continuously with an autosave interval of INTERVAL seconds. After
 * a random time the parent kills it with SIGKILL and checks the autosave:
 * it loads (never a torn or corrupt file), it was written at most
 * INTERVAL + SLACK seconds before the kill, its run has at least as many
 * updates as the one before (so each child restored it and went on), and
 * the temporary files of killed writers do not pile up. ROUNDS times.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gs-application.h"
#include "gs-session-file.h"
#include "gs-ui-test.h"
#include "gs-window.h"
#include "gs-window-private.h"

#define ROUNDS   (g_getenv ("GS_KILL_ROUNDS") ? atoi (g_getenv ("GS_KILL_ROUNDS")) : 30)
#define INTERVAL 0.5    /* s between autosaves */
/* What may pass between the last autosave's tick and the file on disk,
 * plus the scheduling of busy processes on a shared, loaded machine (a
 * load of 17 on 2 cores was seen here). */
#define SLACK    1.0

/* ───────────────────────── the child: a window that trains ───────────────────────── */

static gboolean
first_snap (gpointer data)
{
  return gs_session_get_snap (gs_window_get_session (data)) != NULL;
}

static int
run_child (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  GsApplication *app;
  GsWindow *win;

  gtk_init ();
  adw_init ();
  app = gs_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  win = gs_window_new (app);
  gtk_window_present (GTK_WINDOW (win));
  while (!first_snap (win))
    g_main_context_iteration (NULL, TRUE);
  if (gs_window_recovery_offered (win))
    gs_window_recovery_respond (win, TRUE);
  gs_session_sync (gs_window_get_session (win));
  g_object_set (win, "training", TRUE, NULL);
  printf ("ready\n");
  fflush (stdout);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

/* ───────────────────────── the parent: kill and check ───────────────────────── */

static int
count_temporaries (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  int n = 0;

  if (d == NULL)
    return 0;
  while ((e = readdir (d)) != NULL)
    n += strstr (e->d_name, ".gstmp.") != NULL;
  closedir (d);
  return n;
}

static void
test_kill_and_restore (gconstpointer data)
{
  const char *self_exe = data;
  g_autofree char *state = g_build_filename (g_get_user_state_dir (), "gatescope", NULL);
  g_autofree char *autosave = g_build_filename (state, "autosave.gatescope", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  long long last_updates = 0;
  double worst_behind = 0.0;
  int restored_rounds = 0;
  double startup_s = 0.0;

  g_remove (autosave);
  g_setenv ("GS_AUTOSAVE_INTERVAL", G_STRINGIFY (INTERVAL), TRUE);
  for (int round = 0; round < ROUNDS; round++)
    {
      char *child_argv[] = { (char *) self_exe, (char *) "--child", NULL };
      g_autoptr(GError) error = NULL;
      GPid pid;
      int out_fd, status;
      char line[16] = { 0 };
      ssize_t got;
      double wait_s;
      gint64 killed_at, spawned_at;
      struct stat st;
      double behind;
      GsStepper *kept;
      GsError err = { { 0 } };

      if (!g_spawn_async_with_pipes (NULL, child_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                     &pid, NULL, &out_fd, NULL, &error))
        g_error ("cannot start the child: %s", error->message);
      spawned_at = g_get_monotonic_time ();
      got = read (out_fd, line, sizeof line - 1);
      startup_s = MAX (startup_s, (double) (g_get_monotonic_time () - spawned_at) / G_USEC_PER_SEC);
      close (out_fd);
      g_assert_cmpint ((int) got, >, 0);
      g_assert_true (g_str_has_prefix (line, "ready"));

      /* Between one and a half and three autosave intervals of training. */
      wait_s = g_rand_double_range (rand, 1.5 * INTERVAL, 3.0 * INTERVAL);
      g_usleep ((gulong) (wait_s * G_USEC_PER_SEC));
      killed_at = g_get_real_time ();
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

      g_assert_cmpint (g_stat (autosave, &st), ==, 0);
      kept = gs_session_file_load (autosave, NULL, &err);
      if (kept == NULL)
        g_error ("round %d: the autosave does not load: %s", round, err.msg);
      behind = (double) (killed_at - ((gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000))
               / G_USEC_PER_SEC;
      worst_behind = MAX (worst_behind, behind);
      if (behind > INTERVAL + SLACK)
        g_error ("round %d: the autosave was %.3f s old when the window was killed (interval %.2f s)",
                 round, behind, INTERVAL);
      /* The child restored the previous autosave and went on from it. */
      g_assert_cmpint (gs_history_count (kept->history), >=, last_updates);
      restored_rounds += last_updates > 0 && gs_history_count (kept->history) > last_updates;
      last_updates = gs_history_count (kept->history);
      gs_stepper_free (kept);
      /* A killed writer's temporary file is removed by the next save. */
      g_assert_cmpint (count_temporaries (state), <=, 1);
    }
  g_test_message ("%d rounds: the autosave always loaded, at most %.3f s old; %lld updates at the end, "
                  "%d rounds went on from a restored run; a window took up to %.2f s to start",
                  ROUNDS, worst_behind, last_updates, restored_rounds, startup_s);
  g_assert_cmpint (restored_rounds, >=, ROUNDS / 2);
  g_unsetenv ("GS_AUTOSAVE_INTERVAL");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = NULL;
  g_autofree char *exe = NULL;
  int status;

  if (argc > 1 && strcmp (argv[1], "--child") == 0)
    return run_child (argc, argv);

  home = gs_ui_test_make_fresh_home ();
  gs_ui_test_init (&argc, &argv);
  exe = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (exe);
  g_test_add_data_func ("/autosave/kill-and-restore", exe, test_kill_and_restore);
  status = g_test_run ();
  gs_ui_test_remove_tree (home);
  return status;
}
