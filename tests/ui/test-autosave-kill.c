/* test-autosave-kill.c — kill -9 at random moments never loses the run.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parent starts this program again as a child (--child) that opens the
 * real window, restores the last autosave when the window offers it, and
 * trains continuously with an autosave interval of INTERVAL seconds. After
 * a random time the parent kills it with SIGKILL and checks the autosave:
 * it loads (never a torn or corrupt file), the training it lost is at most
 * INTERVAL + SLACK seconds (from its last autosave, or from when it started
 * training if it was killed before its first), its run has at least as many
 * updates as the one before (so each child restored it and went on), and
 * the temporary files of killed writers do not pile up. ROUNDS times.
 *
 * To be quick, the next child is started while the current one trains:
 * it sets GTK up and waits on its standard input; the parent says "go"
 * once the current child is killed and its autosave checked, and only
 * then does the next child open its window (and read the autosave).
 *
 * A last round ends the child with SIGTERM instead: a way of quitting that
 * does not ask, so the unsaved run must be autosaved on the way out — the
 * autosave is newer than the signal, and the child exits cleanly.
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
#define INTERVAL 0.3    /* s between autosaves */
/* What may pass between the last autosave's tick and the file on disk,
 * plus the scheduling of busy processes on a shared, loaded machine (a
 * load of 17 on 2 cores was seen here). */
#define SLACK    1.2

/* ───────────────────────── the child: a window that trains ───────────────────────── */

static gboolean
first_snap (gpointer data)
{
  return gs_session_get_snap (gs_window_get_session (data)) != NULL;
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  (*(int *) data)++;
  return G_SOURCE_CONTINUE;
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
  /* Set up; the window waits for the parent's word. */
  printf ("started\n");
  fflush (stdout);
  {
    char go[8];
    if (fgets (go, sizeof go, stdin) == NULL)
      return 1;
  }
  win = gs_window_new (app);
  gtk_window_present (GTK_WINDOW (win));
  while (!first_snap (win))
    g_main_context_iteration (NULL, TRUE);
  if (gs_window_recovery_offered (win))
    gs_window_recovery_respond (win, TRUE);
  gs_session_sync (gs_window_get_session (win));
  g_object_set (win, "training", TRUE, NULL);
  /* The first frames of a new window draw everything once, which on a
   * loaded machine holds the main loop (and so the autosave timer) for
   * most of a second: the kill's random moment starts after them. */
  {
    int frames = 0;
    guint id = gtk_widget_add_tick_callback (GTK_WIDGET (win), count_frame, &frames, NULL);
    while (frames < 3)
      g_main_context_iteration (NULL, TRUE);
    gtk_widget_remove_tick_callback (GTK_WIDGET (win), id);
  }
  printf ("ready\n");
  fflush (stdout);
  /* Until a signal quits the application (it destroys the windows). */
  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
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

typedef struct {
  GPid pid;
  int  in_fd, out_fd;
} Child;

/* Reads one line (up to a newline) from fd. */
static gboolean
read_line (int fd, char *line, size_t size)
{
  size_t n = 0;
  while (n + 1 < size)
    {
      char c;
      if (read (fd, &c, 1) != 1)
        break;
      if (c == '\n')
        break;
      line[n++] = c;
    }
  line[n] = '\0';
  return n > 0;
}

/* Starts a child, which sets GTK up and says "started" (read later). */
static Child
spawn_child (const char *self_exe)
{
  char *child_argv[] = { (char *) self_exe, (char *) "--child", NULL };
  g_autoptr(GError) error = NULL;
  Child c;

  if (!g_spawn_async_with_pipes (NULL, child_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &c.pid, &c.in_fd, &c.out_fd, NULL, &error))
    g_error ("cannot start the child: %s", error->message);
  return c;
}

/* Once the child is set up, lets it open its window; returns when it trains. */
static void
start_window (Child *c)
{
  char line[16];
  g_assert_true (read_line (c->out_fd, line, sizeof line));
  g_assert_cmpstr (line, ==, "started");
  g_assert_cmpint ((int) write (c->in_fd, "go\n", 3), ==, 3);
  g_assert_true (read_line (c->out_fd, line, sizeof line));
  g_assert_cmpstr (line, ==, "ready");
}

static void
end_child (Child *c, int sig, int *status)
{
  kill (c->pid, sig);
  waitpid (c->pid, status, 0);
  g_spawn_close_pid (c->pid);
  close (c->in_fd);
  close (c->out_fd);
}

static double
age_at (gint64 t, const struct stat *st)
{
  return (double) (t - ((gint64) st->st_mtim.tv_sec * G_USEC_PER_SEC + st->st_mtim.tv_nsec / 1000))
         / G_USEC_PER_SEC;
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
  gint64 began = g_get_monotonic_time ();
  Child next;

  g_remove (autosave);
  g_setenv ("GS_AUTOSAVE_INTERVAL", G_STRINGIFY (INTERVAL), TRUE);
  next = spawn_child (self_exe);
  for (int round = 0; round <= ROUNDS; round++)
    {
      const gboolean last = round == ROUNDS;   /* SIGTERM */
      Child child = next;
      int status;
      double wait_s;
      gint64 killed_at, started_at, training_from;
      struct stat st;
      double behind;
      GsStepper *kept;
      GsError err = { { 0 } };

      started_at = g_get_monotonic_time ();
      start_window (&child);
      training_from = g_get_real_time ();
      startup_s = MAX (startup_s, (double) (g_get_monotonic_time () - started_at) / G_USEC_PER_SEC);
      /* The next one sets GTK up meanwhile. */
      if (!last)
        next = spawn_child (self_exe);

      /* Between one and a half and three autosave intervals of training. */
      wait_s = g_rand_double_range (rand, 1.5 * INTERVAL, 3.0 * INTERVAL);
      g_usleep ((gulong) (wait_s * G_USEC_PER_SEC));
      killed_at = g_get_real_time ();
      end_child (&child, last ? SIGTERM : SIGKILL, &status);
      if (last)
        g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
      else
        g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

      g_assert_cmpint (g_stat (autosave, &st), ==, 0);
      kept = gs_session_file_load (autosave, NULL, &err);
      if (kept == NULL)
        g_error ("round %d: the autosave does not load: %s", round, err.msg);
      behind = age_at (killed_at, &st);
      if (last)
        {
          /* Written on the way out, after the signal. */
          if (behind > 0.0)
            g_error ("SIGTERM: the autosave is %.3f s older than the signal: it was not written on quitting",
                     behind);
        }
      else
        {
          /* The training lost: since its last autosave, or since it began
           * (killed before its first, it restarts from the one it restored). */
          behind = MIN (behind, (double) (killed_at - training_from) / G_USEC_PER_SEC);
          worst_behind = MAX (worst_behind, behind);
          if (behind > INTERVAL + SLACK)
            g_error ("round %d: the window lost %.3f s of training when it was killed (interval %.2f s)",
                     round, behind, INTERVAL);
        }
      /* The child restored the previous autosave and went on from it. */
      g_assert_cmpint (gs_history_count (kept->history), >=, last_updates);
      restored_rounds += last_updates > 0 && gs_history_count (kept->history) > last_updates;
      last_updates = gs_history_count (kept->history);
      gs_stepper_free (kept);
      /* A killed writer's temporary file is removed by the next save. */
      g_assert_cmpint (count_temporaries (state), <=, 1);
    }
  g_test_message ("%d rounds and a SIGTERM in %.1f s: the autosave always loaded, at most %.3f s old; "
                  "%lld updates at the end, %d rounds went on from a restored run; a window took up to "
                  "%.2f s to open", ROUNDS, (double) (g_get_monotonic_time () - began) / G_USEC_PER_SEC,
                  worst_behind, last_updates, restored_rounds, startup_s);
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
