/* gs-lesson-panel.c — the lesson player.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signals:
 *   "open-compare"  a step asks for the compare page
 *   "point" (view, unit, t, layer)  a step points at a view (gs_lesson_views),
 *                   unit, t and layer −1 where the step does not say
 *   "closed"        the close button
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Lesson"

#include <glib/gi18n.h>

#include "gs-lesson-panel.h"

struct _GsLessonPanel
{
  GtkBox      parent_instance;

  /* template widgets */
  GtkLabel   *lesson_title;
  GtkLabel   *progress_label;
  GtkLabel   *step_title;
  GtkLabel   *step_text;
  GtkLabel   *point_label;
  GtkWidget  *busy_box;
  GtkSpinner *busy_spinner;
  GtkLabel   *question_label;
  GtkBox     *choice_box;
  GtkLabel   *feedback_label;
  GtkLabel   *explain_label;

  /* owned */
  GsSession  *session;
  gulong      step_handler;
  GsLesson   *lesson;     /* the panel's copy; the worker plays its own */
  int        *right;      /* (n_steps) right choice of each step run, −1 none, −2 not run yet */
  GtkWidget **buttons;    /* the shown question's choice buttons (borrowed from choice_box) */
  int         n_buttons;

  int         step;       /* shown */
  int         n_run;      /* steps whose actions have run: 0 … n_run − 1 */
  int         pending;    /* lesson steps sent to the session, not answered yet */
  int         stale;      /* … of which belong to a lesson closed since */
  gboolean    busy;
  gboolean    answered;   /* the shown question was answered right */
};

G_DEFINE_FINAL_TYPE (GsLessonPanel, gs_lesson_panel, GTK_TYPE_BOX)

enum {
  SIGNAL_OPEN_COMPARE,
  SIGNAL_POINT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GsLang
gs_lesson_panel_language (void)
{
  /* Translators: the language of the text shown from lesson files: "zh"
   * shows their Chinese text (title.zh, text.zh, …), "en" their English. */
  return g_strcmp0 (C_("lesson language", "en"), "zh") == 0 ? GS_LANG_ZH : GS_LANG_EN;
}

static const char *
tr (const GsLessonText *text)
{
  return gs_lesson_text_get (text, gs_lesson_panel_language ());
}

static const char *
view_name (const char *view)
{
  if (g_strcmp0 (view, "unrolled") == 0)
    return _("the unrolled network");
  if (g_strcmp0 (view, "cell") == 0)
    return _("the cell");
  if (g_strcmp0 (view, "prediction") == 0)
    return _("the prediction");
  if (g_strcmp0 (view, "loss") == 0)
    return _("the loss curve");
  if (g_strcmp0 (view, "heatmaps") == 0)
    return _("the heatmaps");
  return _("the gradient through time");
}

static void
update_actions (GsLessonPanel *self)
{
  gboolean have = self->lesson != NULL;

  /* Back replays the network: not while a step runs */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lesson.back", have && self->step > 0 && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lesson.next",
                                 have && !self->busy && self->step + 1 < self->lesson->n_steps
                                 && self->right[self->step] != -3);
  gtk_widget_set_visible (self->busy_box, self->busy);
  if (self->busy)
    gtk_spinner_start (self->busy_spinner);
  else
    gtk_spinner_stop (self->busy_spinner);
  for (int j = 0; have && j < self->n_buttons; j++)
    if (!gtk_widget_has_css_class (self->buttons[j], "error"))
      gtk_widget_set_sensitive (self->buttons[j], !self->busy && self->right[self->step] >= 0);
}

static void
on_choice_clicked (GtkButton     *button,
                   GsLessonPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "choice"));

  gs_lesson_panel_choose (self, index);
}

/* Shows step self->step: its texts now, its question's choices once its
 * actions have run. */
static void
show_step (GsLessonPanel *self)
{
  const GsLessonStep *st = &self->lesson->step[self->step];
  const GsLessonQuestion *q = &st->question;
  GtkWidget *child;
  g_autofree char *progress = NULL;

  progress = g_strdup_printf (_("Step %d of %d"), self->step + 1, self->lesson->n_steps);
  gtk_label_set_label (self->progress_label, progress);
  gtk_label_set_label (self->step_title, tr (&st->title));
  gtk_widget_set_visible (GTK_WIDGET (self->step_title), *tr (&st->title) != '\0');
  gtk_label_set_label (self->step_text, tr (&st->text));

  if (st->point[0] != '\0' || st->open_compare)
    {
      g_autofree char *where = NULL;
      if (st->open_compare)
        where = g_strdup (_("Look at the compare page."));
      else if (st->point_unit >= 0 && st->point_t >= 0)
        where = g_strdup_printf (_("Look at %s: unit %d at t = %d."), view_name (st->point), st->point_unit, st->point_t);
      else if (st->point_unit >= 0)
        where = g_strdup_printf (_("Look at %s: unit %d."), view_name (st->point), st->point_unit);
      else if (st->point_t >= 0)
        where = g_strdup_printf (_("Look at %s at t = %d."), view_name (st->point), st->point_t);
      else
        where = g_strdup_printf (_("Look at %s."), view_name (st->point));
      gtk_label_set_label (self->point_label, where);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->point_label), st->point[0] != '\0' || st->open_compare);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->choice_box))) != NULL)
    gtk_box_remove (self->choice_box, child);
  g_clear_pointer (&self->buttons, g_free);
  self->n_buttons = 0;
  self->answered = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->feedback_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->explain_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->question_label), st->has_question);
  if (st->has_question)
    {
      gtk_label_set_label (self->question_label, tr (&q->text));
      self->buttons = g_new0 (GtkWidget *, q->n_choices);
      self->n_buttons = q->n_choices;
      for (int j = 0; j < q->n_choices; j++)
        {
          GtkWidget *label = gtk_label_new (tr (&q->choice[j].label));
          GtkWidget *button = gtk_button_new ();
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_button_set_child (GTK_BUTTON (button), label);
          g_object_set_data (G_OBJECT (button), "choice", GINT_TO_POINTER (j));
          g_signal_connect (button, "clicked", G_CALLBACK (on_choice_clicked), self);
          gtk_box_append (self->choice_box, button);
          self->buttons[j] = button;
        }
      gtk_label_set_label (self->explain_label, tr (&q->explain));
    }
  if (self->right[self->step] == -3)
    {
      /* The step's actions failed: say so, with the lesson's file and line. */
      gtk_widget_set_visible (GTK_WIDGET (self->feedback_label), TRUE);
    }
  update_actions (self);
}

/* Runs step self->step on the session when it has not run yet. */
static void
run_step (GsLessonPanel *self)
{
  if (self->step < self->n_run)
    return;
  g_assert (self->step == self->n_run);
  self->busy = TRUE;
  self->n_run++;
  self->pending++;
  gs_session_lesson_step (self->session, self->step);
}

static void
on_lesson_step (GsLessonPanel *self,
                int            index,
                int            right,
                const char    *error,
                GsSession     *session)
{
  const GsLessonStep *st;

  /* Answers of a lesson closed since are not this one's. */
  if (self->pending == 0)
    return;
  self->pending--;
  if (self->stale > 0)
    {
      self->stale--;
      return;
    }
  if (self->lesson == NULL || index < 0 || index >= self->lesson->n_steps || !self->busy)
    return;
  self->busy = FALSE;
  self->right[index] = error != NULL ? -3 : right;
  st = &self->lesson->step[index];
  if (index == self->step)
    {
      if (error != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("This step could not run: %s"), error);
          gtk_label_set_label (self->feedback_label, text);
          gtk_widget_remove_css_class (GTK_WIDGET (self->feedback_label), "success");
          gtk_widget_add_css_class (GTK_WIDGET (self->feedback_label), "error");
        }
      show_step (self);
    }
  if (error == NULL)
    {
      if (st->open_compare)
        g_signal_emit (self, signals[SIGNAL_OPEN_COMPARE], 0);
      if (st->point[0] != '\0')
        g_signal_emit (self, signals[SIGNAL_POINT], 0, st->point, st->point_unit, st->point_t, st->point_layer);
    }
}

gboolean
gs_lesson_panel_choose (GsLessonPanel *self,
                        int            index)
{
  const GsLessonQuestion *q;
  int right;

  g_return_val_if_fail (GS_IS_LESSON_PANEL (self), FALSE);

  if (self->lesson == NULL || self->busy || index < 0 || index >= self->n_buttons)
    return FALSE;
  right = self->right[self->step];
  if (right < 0)
    return FALSE;
  if (self->answered)
    return index == right;   /* answered: the buttons only show it */
  q = &self->lesson->step[self->step].question;
  gtk_widget_set_visible (GTK_WIDGET (self->feedback_label), TRUE);
  if (index == right)
    {
      g_autofree char *text = g_strdup_printf (_("Right: %s."), tr (&q->choice[right].label));
      gtk_label_set_label (self->feedback_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->feedback_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->feedback_label), "success");
      gtk_widget_add_css_class (self->buttons[index], "success");
      gtk_widget_set_visible (GTK_WIDGET (self->explain_label), *tr (&q->explain) != '\0');
      self->answered = TRUE;
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Not this one: the live values say otherwise. Try another."));
      gtk_label_set_label (self->feedback_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->feedback_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->feedback_label), "error");
      gtk_widget_add_css_class (self->buttons[index], "error");
      gtk_widget_set_sensitive (self->buttons[index], FALSE);
    }
  update_actions (self);
  return index == right;
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GsLessonPanel *self = GS_LESSON_PANEL (widget);

  if (self->lesson == NULL || self->busy || self->step + 1 >= self->lesson->n_steps)
    return;
  self->step++;
  run_step (self);
  show_step (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GsLessonPanel *self = GS_LESSON_PANEL (widget);

  if (self->lesson == NULL || self->step == 0 || self->busy)
    return;
  self->step--;
  /* The network goes back too, to where going forward left it at this
   * step, when the lesson set up its run by then (gs_lesson_replay_to);
   * Next then runs the following step again on it. */
  if (gs_lesson_first_setup (self->lesson) >= 0 && gs_lesson_first_setup (self->lesson) <= self->step)
    {
      self->busy = TRUE;
      self->n_run = self->step + 1;
      self->pending++;
      gs_session_lesson_replay (self->session, self->step);
    }
  show_step (self);
}

static void
on_close_clicked (GsLessonPanel *self)
{
  gs_lesson_panel_close (self);
}

void
gs_lesson_panel_close (GsLessonPanel *self)
{
  g_return_if_fail (GS_IS_LESSON_PANEL (self));

  if (self->lesson != NULL)
    {
      gs_session_lesson_close (self->session);
      self->stale = self->pending;
      g_clear_pointer (&self->lesson, gs_lesson_free);
      g_clear_pointer (&self->right, g_free);
      self->busy = FALSE;
      self->step = -1;
      update_actions (self);
    }
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

gboolean
gs_lesson_panel_open (GsLessonPanel *self,
                      const char    *path,
                      GError       **error)
{
  GsLesson *lesson, *copy;
  GsError err;

  g_return_val_if_fail (GS_IS_LESSON_PANEL (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if ((lesson = gs_lesson_load (path, &err)) == NULL || (copy = gs_lesson_load (path, &err)) == NULL)
    {
      gs_lesson_free (lesson);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, err.msg);
      return FALSE;
    }
  gs_lesson_free (self->lesson);
  g_free (self->right);
  self->stale = self->pending;
  self->lesson = lesson;
  self->right = g_new (int, lesson->n_steps);
  for (int i = 0; i < lesson->n_steps; i++)
    self->right[i] = -2;
  self->step = 0;
  self->n_run = 0;
  self->busy = FALSE;
  gtk_label_set_label (self->lesson_title, tr (&lesson->title));
  gs_session_lesson_open (self->session, copy);
  run_step (self);
  show_step (self);
  return TRUE;
}

int
gs_lesson_panel_get_step (GsLessonPanel *self)
{
  g_return_val_if_fail (GS_IS_LESSON_PANEL (self), -1);

  return self->lesson != NULL ? self->step : -1;
}

int
gs_lesson_panel_get_n_steps (GsLessonPanel *self)
{
  g_return_val_if_fail (GS_IS_LESSON_PANEL (self), 0);

  return self->lesson != NULL ? self->lesson->n_steps : 0;
}

gboolean
gs_lesson_panel_get_busy (GsLessonPanel *self)
{
  g_return_val_if_fail (GS_IS_LESSON_PANEL (self), FALSE);

  return self->busy;
}

int
gs_lesson_panel_get_right (GsLessonPanel *self)
{
  g_return_val_if_fail (GS_IS_LESSON_PANEL (self), -1);

  return self->lesson != NULL && self->right[self->step] >= 0 ? self->right[self->step] : -1;
}

static void
gs_lesson_panel_dispose (GObject *object)
{
  GsLessonPanel *self = GS_LESSON_PANEL (object);

  if (self->session != NULL)
    g_clear_signal_handler (&self->step_handler, self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->lesson, gs_lesson_free);
  g_clear_pointer (&self->right, g_free);
  g_clear_pointer (&self->buttons, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_LESSON_PANEL);

  G_OBJECT_CLASS (gs_lesson_panel_parent_class)->dispose (object);
}

static void
gs_lesson_panel_class_init (GsLessonPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_lesson_panel_dispose;

  signals[SIGNAL_OPEN_COMPARE] =
    g_signal_new ("open-compare", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_POINT] =
    g_signal_new ("point", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-lesson-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, lesson_title);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, progress_label);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, step_title);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, step_text);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, point_label);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, busy_box);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, question_label);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, choice_box);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, feedback_label);
  gtk_widget_class_bind_template_child (widget_class, GsLessonPanel, explain_label);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);

  gtk_widget_class_install_action (widget_class, "lesson.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "lesson.back", NULL, back_action);
}

static void
gs_lesson_panel_init (GsLessonPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->step = -1;
  update_actions (self);
}

GsLessonPanel *
gs_lesson_panel_new (GsSession *session)
{
  GsLessonPanel *self;

  g_return_val_if_fail (GS_IS_SESSION (session), NULL);

  self = g_object_new (GS_TYPE_LESSON_PANEL, NULL);
  self->session = g_object_ref (session);
  self->step_handler = g_signal_connect_swapped (session, "lesson-step", G_CALLBACK (on_lesson_step), self);
  return self;
}
