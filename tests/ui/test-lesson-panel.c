/* test-lesson-panel.c — guided lessons in the window: the list of lessons,
 * and a lesson played through the panel on the window's live session.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /lessons/play opens the conveyor-belt lesson in a real window and
 * presses Next through every step: each step's actions run in the
 * session's worker (the panel reports busy, then not), a step that sets
 * up a run changes the session's configuration, every question gets a
 * right choice from the live values, a wrong choice is refused and the
 * right one accepted, and at the end the session's network is the
 * lesson's (an LSTM of 4 units, trained 60 epochs); the unit a step
 * points at is framed in its view until the next step. Back shows the
 * previous step with the network as going forward left it there (the
 * snapshot's bits compared), and Next after Back gives the values of
 * going forward once.
 * /lessons/play-all plays every shipped lesson to its end in one window,
 * answering each question with the right choice the worker computed.
 * /lessons/close closes the conveyor-belt lesson with f clamped to 1: the
 * live network's f is its own again, the trained run stays.
 * /lessons/list lists every shipped lesson with its title.
 * /lessons/broken opens a broken lesson: refused, nothing changes.
 */

#include <string.h>

#include <glib/gstdio.h>

#include "gs-application.h"
#include "gs-intervene.h"
#include "gs-lesson-panel.h"
#include "gs-session.h"
#include "gs-ui-test-window.h"
#include "gs-window.h"
#include "gs-window-private.h"

static GsApplication *app;

static gboolean
panel_idle (gpointer data)
{
  return !gs_lesson_panel_get_busy (GS_LESSON_PANEL (data));
}

static char *
lesson_path (const char *name)
{
  g_autofree char *dir = gs_window_lessons_dir ();

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

/* The bits the views show: values, cursors, epoch and interventions. */
static guint64
snap_fingerprint (GsSnap *snap)
{
  const GsSnapshot *s = gs_snap_get (snap);
  guint64 h = 14695981039346656037ULL;
  const guchar *parts[] = { (const guchar *) s->mem, (const guchar *) &s->t_fwd, (const guchar *) &s->t_bwd,
                            (const guchar *) &s->epoch, (const guchar *) &s->iv };
  const gsize sizes[] = { s->mem_len * sizeof (float), sizeof s->t_fwd, sizeof s->t_bwd, sizeof s->epoch,
                          sizeof s->iv };

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    for (gsize i = 0; i < sizes[p]; i++)
      h = (h ^ parts[p][i]) * 1099511628211ULL;
  return h;
}

/* The unit a step points at is framed in the view it names, and nowhere
 * else; a step that points at no unit leaves none framed. */
static void
check_pointed (GsWindow           *win,
               const GsLessonStep *st)
{
  const int unit = st->point_unit;
  const gboolean cell = unit >= 0 && g_strcmp0 (st->point, "cell") == 0;
  const gboolean heatmaps = unit >= 0 && g_strcmp0 (st->point, "heatmaps") == 0;

  g_assert_cmpint (gs_view_get_pointed_unit (GS_VIEW (win->cell_view)), ==, cell ? unit : -1);
  g_assert_cmpint (gs_view_get_pointed_unit (GS_VIEW (win->unrolled_view)), ==, -1);
  g_assert_cmpuint (win->heatmaps->len, >, 0);
  for (guint i = 0; i < win->heatmaps->len; i++)
    g_assert_cmpint (gs_view_get_pointed_unit (g_ptr_array_index (win->heatmaps, i)), ==, heatmaps ? unit : -1);
}

static void
test_lessons_play (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *path = lesson_path ("03-conveyor-belt.lesson");
  GsSession *session = gs_window_get_session (win);
  GsLessonPanel *panel;
  GsLesson *lesson;
  GsError err;
  int n, questions = 0;
  guint64 fingerprint[GS_LESSON_MAX_STEPS];

  lesson = gs_lesson_load (path, &err);
  g_assert_nonnull (lesson);
  g_assert_true (gs_window_open_lesson (win, path));
  panel = win->lesson_panel;
  g_assert_nonnull (panel);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  n = gs_lesson_panel_get_n_steps (panel);
  g_assert_cmpint (n, ==, lesson->n_steps);
  g_assert_cmpint (gs_lesson_panel_get_step (panel), ==, 0);
  /* The first step runs at once, in the worker: the panel waits for it. */
  gs_ui_test_wait_for (panel_idle, panel, "the first step to run");
  g_assert_cmpint (gs_session_get_config (session)->cell, ==, GS_CELL_LSTM);
  g_assert_cmpint (gs_session_get_config (session)->H, ==, 4);
  g_assert_cmpint (gs_session_get_config (session)->L, ==, 1);
  /* The settings panel shows the lesson's run. */
  {
    GsTrainConfig shown;

    gs_settings_panel_get_config (win->settings_panel, gs_session_get_config (session), &shown);
    g_assert_cmpint (shown.H, ==, 4);
    g_assert_cmpint (shown.L, ==, 1);
  }
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.back", NULL)
                  && gs_lesson_panel_get_step (panel) != 0);

  for (int i = 0; i < n; i++)
    {
      const GsLessonStep *st = &lesson->step[i];

      g_assert_cmpint (gs_lesson_panel_get_step (panel), ==, i);
      gs_ui_test_wait_for (panel_idle, panel, "a lesson step to run");
      gs_session_sync (session);
      fingerprint[i] = snap_fingerprint (gs_session_get_snap (session));
      check_pointed (win, st);
      if (st->has_question)
        {
          int right = gs_lesson_panel_get_right (panel);
          int wrong = right == 0 ? 1 : 0;

          questions++;
          g_assert_cmpint (right, >=, 0);
          g_assert_cmpint (right, <, st->question.n_choices);
          g_assert_false (gs_lesson_panel_choose (panel, wrong));
          g_assert_true (gs_lesson_panel_choose (panel, right));
        }
      else
        g_assert_cmpint (gs_lesson_panel_get_right (panel), ==, -1);
      if (i + 1 < n)
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.next", NULL));
    }
  g_assert_cmpint (questions, >=, 4);
  gs_ui_test_wait_for (panel_idle, panel, "the last step to run");
  gs_session_sync (session);
  {
    const GsSnapshot *s = gs_snap_get (gs_session_get_snap (session));
    g_assert_cmpint (s->epoch, ==, 60);
  }

  /* Back shows the previous step and puts the network back where going
   * forward left it there; Next then gives the very values of going
   * forward once — twice over, across the interventions of steps 4 and 5. */
  for (int back = n - 2; back >= n - 3; back--)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.back", NULL));
      g_assert_cmpint (gs_lesson_panel_get_step (panel), ==, back);
      gs_ui_test_wait_for (panel_idle, panel, "Back to replay the lesson");
      gs_session_sync (session);
      g_assert_cmpint (gs_lesson_panel_get_right (panel), >=, 0);
      g_assert_true (snap_fingerprint (gs_session_get_snap (session)) == fingerprint[back]);
      check_pointed (win, &lesson->step[back]);
    }
  g_assert_true (fingerprint[n - 3] != fingerprint[n - 2]);
  for (int next = n - 2; next < n; next++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.next", NULL));
      gs_ui_test_wait_for (panel_idle, panel, "Next after Back");
      gs_session_sync (session);
      g_assert_true (snap_fingerprint (gs_session_get_snap (session)) == fingerprint[next]);
    }

  gs_lesson_free (lesson);
  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();
}

/* Every shipped lesson, in one window: each step runs in the worker, and
 * every question gets one right choice, which the panel accepts. */
static void
test_lessons_play_all (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *dir = gs_window_lessons_dir ();
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  int lessons = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GsLessonPanel *panel;
      int n, questions = 0;

      if (!g_str_has_suffix (name, ".lesson"))
        continue;
      lessons++;
      g_assert_true (gs_window_open_lesson (win, path));
      panel = win->lesson_panel;
      n = gs_lesson_panel_get_n_steps (panel);
      for (int i = 0; i < n; i++)
        {
          gs_ui_test_wait_for (panel_idle, panel, "a lesson step to run");
          if (gs_lesson_panel_get_right (panel) >= 0)
            {
              questions++;
              g_assert_true (gs_lesson_panel_choose (panel, gs_lesson_panel_get_right (panel)));
            }
          if (i + 1 < n)
            g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.next", NULL));
        }
      g_test_message ("%s: %d steps, %d questions", name, n, questions);
      g_assert_cmpint (questions, >=, 2);
    }
  g_assert_cmpint (lessons, >=, 6);
  gs_session_sync (gs_window_get_session (win));
  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();
}

static gboolean
all_gates_one (const GsSnapshot *s, int gate, int t)
{
  const GsSnapLayer *l = &s->layer[0];
  const int H = s->cfg.H;

  for (int u = 0; u < H; u++)
    if (l->act[(size_t) t * s->G * H + gate * H + u] != 1.0f)
      return FALSE;
  return TRUE;
}

/* Closing a lesson removes its interventions from the live network. */
static void
test_lessons_close (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *path = lesson_path ("03-conveyor-belt.lesson");
  GsSession *session = gs_window_get_session (win);
  GsLessonPanel *panel;
  const GsSnapshot *s;

  g_assert_true (gs_window_open_lesson (win, path));
  panel = win->lesson_panel;
  gs_ui_test_wait_for (panel_idle, panel, "the first step to run");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.next", NULL));
  gs_ui_test_wait_for (panel_idle, panel, "the clamp to run");
  gs_session_sync (session);
  s = gs_snap_get (gs_session_get_snap (session));
  g_assert_cmpint (s->t_fwd, ==, 5);
  g_assert_true (all_gates_one (s, 1, 3));    /* rows i, f, g, o: f = 1 */

  gs_lesson_panel_close (panel);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_cmpint (gs_lesson_panel_get_step (panel), ==, -1);
  gs_session_sync (session);
  s = gs_snap_get (gs_session_get_snap (session));
  g_assert_cmpint (s->t_fwd, ==, 5);
  g_assert_false (all_gates_one (s, 1, 3));   /* the trained network's own f again */
  g_assert_cmpint (s->epoch, ==, 60);         /* the run stays */

  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();
}

/* The chips of the Intervene bar under the scrubber, and the text of each. */
static int
bar_chips (GsWindow  *win,
           GPtrArray *texts)
{
  int n = 0;

  for (GtkWidget *chip = gtk_widget_get_first_child (win->iv_list); chip != NULL;
       chip = gtk_widget_get_next_sibling (chip), n++)
    if (texts != NULL)
      g_ptr_array_add (texts, (gpointer) gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (chip))));
  return n;
}

static void
test_lessons_interventions_listed (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *path = lesson_path ("03-conveyor-belt.lesson");
  GsSession *session = gs_window_get_session (win);
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  const GsInterventions *list;
  GsLessonPanel *panel;
  GtkWidget *remove;

  g_assert_true (gs_window_open_lesson (win, path));
  panel = win->lesson_panel;
  gs_ui_test_wait_for (panel_idle, panel, "the first step to run");
  g_assert_false (gtk_widget_get_visible (win->iv_bar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.next", NULL));
  gs_ui_test_wait_for (panel_idle, panel, "the clamp to run");
  gs_ui_test_sync (win);

  /* The lesson's clamp f = 1 is in the session's list and on the bar, as
   * one the user made would be. */
  list = gs_session_get_interventions (session);
  g_assert_cmpint (list->n, ==, 1);
  g_assert_cmpint (list->item[0].kind, ==, GS_IV_CLAMP);
  g_assert_cmpint (list->item[0].gate_letter, ==, 'f');
  g_assert_true (gtk_widget_get_visible (win->iv_bar));
  g_assert_cmpint (bar_chips (win, texts), ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (texts, 0), "f = 1"));
  g_assert_true (all_gates_one (gs_ui_test_snapshot (win), 1, 3));

  /* The user's own joins it: one list. */
  g_assert_true (_gs_window_add_intervention (win, 3, "1:0"));   /* ablate unit 0 */
  gs_ui_test_sync (win);
  g_assert_cmpint (gs_session_get_interventions (session)->n, ==, 2);
  g_assert_cmpint (bar_chips (win, NULL), ==, 2);
  g_assert_true (all_gates_one (gs_ui_test_snapshot (win), 1, 3));

  /* The lesson's is removed from the bar like any other: f is the
   * network's own again, the ablation holds. */
  remove = gtk_widget_get_last_child (gtk_widget_get_first_child (win->iv_list));
  g_assert_true (GTK_IS_BUTTON (remove));
  g_signal_emit_by_name (remove, "clicked");
  gs_ui_test_sync (win);
  list = gs_session_get_interventions (session);
  g_assert_cmpint (list->n, ==, 1);
  g_assert_cmpint (list->item[0].kind, ==, GS_IV_SET_H);   /* an ablation: h = 0 */
  g_assert_cmpint (bar_chips (win, NULL), ==, 1);
  g_assert_false (all_gates_one (gs_ui_test_snapshot (win), 1, 3));

  /* The next step's clamp i = 0 joins the user's ablation… */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "lesson.next", NULL));
  gs_ui_test_wait_for (panel_idle, panel, "the second clamp to run");
  gs_ui_test_sync (win);
  list = gs_session_get_interventions (session);
  g_assert_cmpint (list->n, ==, 2);
  g_assert_cmpint (list->item[0].kind, ==, GS_IV_SET_H);   /* an ablation: h = 0 */
  g_assert_cmpint (list->item[1].gate_letter, ==, 'i');
  g_assert_cmpint (bar_chips (win, NULL), ==, 2);

  /* …and closing the lesson takes back only what the lesson put. */
  gs_lesson_panel_close (panel);
  gs_ui_test_sync (win);
  list = gs_session_get_interventions (session);
  g_assert_cmpint (list->n, ==, 1);
  g_assert_cmpint (list->item[0].kind, ==, GS_IV_SET_H);   /* an ablation: h = 0 */
  g_assert_cmpint (bar_chips (win, NULL), ==, 1);
  g_assert_true (gtk_widget_get_visible (win->iv_bar));

  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();
}

static void
test_lessons_list (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  GtkWidget *dialog = gs_window_lessons_dialog_new (win);
  GtkWidget *list = NULL;
  int rows = 0, activatable = 0;

  gtk_window_present (GTK_WINDOW (dialog));
  /* Find the list box. */
  for (GtkWidget *w = GTK_WIDGET (dialog); w != NULL && list == NULL;)
    {
      if (GTK_IS_LIST_BOX (w))
        list = w;
      else
        {
          GtkWidget *next = gtk_widget_get_first_child (w);
          while (next == NULL && w != NULL)
            {
              next = gtk_widget_get_next_sibling (w);
              if (next == NULL)
                w = gtk_widget_get_parent (w);
            }
          w = next;
        }
    }
  g_assert_nonnull (list);
  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), rows)) != NULL; rows++)
    if (gtk_list_box_row_get_activatable (row))
      {
        activatable++;
        g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), !=, "");
      }
  g_assert_cmpint (rows, >=, 6);
  g_assert_cmpint (activatable, ==, rows);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();
}

static void
test_lessons_broken (void)
{
  GsWindow *win = gs_ui_test_open_window (0, 0);
  g_autofree char *dir = g_dir_make_tmp ("gatescope-lesson-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.lesson", NULL);
  GsTrainConfig before = *gs_session_get_config (gs_window_get_session (win));

  g_assert_true (g_file_set_contents (path, "title = x\n[step]\ntext = a\nrun = cell=lstn\n", -1, NULL));
  g_assert_false (gs_window_open_lesson (win, path));
  g_assert_false (gs_lesson_panel_get_busy (win->lesson_panel));
  g_assert_cmpint (gs_lesson_panel_get_step (win->lesson_panel), ==, -1);
  gs_session_sync (gs_window_get_session (win));
  g_assert_cmpint (gs_session_get_config (gs_window_get_session (win))->cell, ==, before.cell);

  g_unlink (path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (win));
  gs_ui_test_flush_main_loop ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = gs_ui_test_make_fresh_home ();
  int status;

  gs_ui_test_init (&argc, &argv);
  app = gs_ui_test_app_new (0);

  g_test_add_func ("/lessons/play", test_lessons_play);
  g_test_add_func ("/lessons/play-all", test_lessons_play_all);
  g_test_add_func ("/lessons/close", test_lessons_close);
  g_test_add_func ("/lessons/interventions-listed", test_lessons_interventions_listed);
  g_test_add_func ("/lessons/list", test_lessons_list);
  g_test_add_func ("/lessons/broken", test_lessons_broken);
  status = g_test_run ();

  g_clear_object (&app);
  gs_ui_test_remove_tree (home);
  return status;
}
