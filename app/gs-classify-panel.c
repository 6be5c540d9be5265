/* gs-classify-panel.c — a phrase of one's own, classified by the run's model.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The phrase is read as the classify task reads its data
 * (gs_task_classify_encode): each character its token, a character the
 * task's file never had the unknown token <unk>, which the model met in
 * training (GsTask "unk"). The model is the panel's own, made from the
 * parameters the latest snapshot shares (GsSnapshot.params), so the
 * training thread's model is never touched; it runs in the main loop (a
 * phrase of a few characters takes microseconds). The class is read at the
 * last step, as in training; the class's probability after each step
 * shows how the decision grew character by character.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Classify"

#include <string.h>

#include <glib/gi18n.h>

#include "gs-classify-panel.h"
#include "gs-task.h"

#define MAX_PHRASE 200

struct _GsClassifyPanel
{
  GtkWidget       parent_instance;

  /* template widgets */
  GtkWidget      *box;
  GtkEntry       *phrase_entry;
  GtkWidget      *classify_button;
  GtkLabel       *result_label;
  GtkLabel       *steps_label;
  GtkLabel       *status_label;

  /* owned */
  GsSnap         *snap;         /* the run's latest */
  char           *klass;        /* the result's class name, NULL before one */
  double          p;
  int             steps;
  int             unknown;
  double         *step_p;       /* (steps) the class's probability after each step */
  char           *error;
};

G_DEFINE_FINAL_TYPE (GsClassifyPanel, gs_classify_panel, GTK_TYPE_WIDGET)

static gboolean
snap_classifies (GsSnap *snap)
{
  const GsSnapshot *s = snap != NULL ? gs_snap_get (snap) : NULL;

  return s != NULL && s->params != NULL && s->task != NULL && s->task->klass != NULL &&
         strcmp (s->task->klass->name, "classify") == 0 && s->task->vocab != NULL && s->task->out_vocab != NULL &&
         s->cfg.loss == GS_LOSS_CE && s->cfg.V == s->task->V && s->cfg.O == s->task->O;
}

static void
clear_result (GsClassifyPanel *self)
{
  g_clear_pointer (&self->klass, g_free);
  g_clear_pointer (&self->step_p, g_free);
  g_clear_pointer (&self->error, g_free);
  self->p = 0.0;
  self->steps = self->unknown = 0;
  gtk_label_set_label (self->result_label, "");
  gtk_label_set_label (self->steps_label, "");
  gtk_label_set_label (self->status_label, "");
}

static void
fail (GsClassifyPanel *self,
      const char      *message)
{
  clear_result (self);
  self->error = g_strdup (message);
  gtk_label_set_label (self->status_label, message);
}

void
gs_classify_panel_classify (GsClassifyPanel *self)
{
  const char *phrase;
  const GsSnapshot *s;
  g_autofree int *tokens = NULL;
  g_autoptr(GString) steps = NULL;
  g_autofree char *markup = NULL;
  GsModel *m;
  GsError err = { { 0 } };
  int n, unknown = 0, k, O;

  g_return_if_fail (GS_IS_CLASSIFY_PANEL (self));

  if (!snap_classifies (self->snap))
    {
      fail (self, _("Only a model of the classify task classifies phrases."));
      return;
    }
  s = gs_snap_get (self->snap);
  phrase = gtk_editable_get_text (GTK_EDITABLE (self->phrase_entry));
  tokens = g_new (int, MAX_PHRASE);
  n = gs_task_classify_encode (s->task, phrase, tokens, MAX_PHRASE, &unknown, &err);
  if (n < 0)
    {
      fail (self, err.msg);
      return;
    }
  m = gs_param_copy_model (s->params, &err);
  if (m == NULL || gs_model_set_sequence (m, n, 1, tokens, NULL, NULL, NULL, NULL, &err) != GS_OK)
    {
      gs_model_free (m);
      fail (self, err.msg);
      return;
    }
  gs_model_forward_seq (m);
  clear_result (self);
  O = m->cfg.O;
  k = gs_model_predict (m, n - 1, 0);
  self->klass = g_strdup (s->task->out_vocab[k]);
  self->p = m->probs[(size_t) (n - 1) * O + k];
  self->steps = n;
  self->unknown = unknown;
  self->step_p = g_new (double, n);
  steps = g_string_new (NULL);
  {
    const char *c = phrase;
    for (int t = 0; t < n; t++, c = g_utf8_next_char (c))
      {
        self->step_p[t] = m->probs[(size_t) t * O + k];
        /* the character read and the class's probability after it */
        g_string_append_printf (steps, "%s%.*s %.2f", t > 0 ? "  →  " : "", (int) (g_utf8_next_char (c) - c), c,
                                self->step_p[t]);
      }
  }
  gs_model_free (m);
  {
    g_autofree char *name = g_markup_escape_text (self->klass, -1);
    /* Translators: the class of the typed phrase (in bold) and its probability, 0 to 1. */
    markup = g_strdup_printf (_("Class: <b>%s</b>, probability %.3f"), name, self->p);
  }
  gtk_label_set_markup (self->result_label, markup);
  gtk_label_set_label (self->steps_label, steps->str);
  if (unknown > 0)
    {
      g_autofree char *note = g_strdup_printf (ngettext ("%d character is not in the training data: read as <unk>.",
                                                         "%d characters are not in the training data: read as <unk>.",
                                                         unknown),
                                               unknown);
      gtk_label_set_label (self->status_label, note);
    }
  else
    gtk_label_set_label (self->status_label,
                         _("The probability of this class after each character read."));
}

static void
on_classify_clicked (GsClassifyPanel *self)
{
  gs_classify_panel_classify (self);
}

static void
gs_classify_panel_dispose (GObject *object)
{
  GsClassifyPanel *self = (GsClassifyPanel *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_CLASSIFY_PANEL);
  g_clear_pointer (&self->snap, gs_snap_unref);

  G_OBJECT_CLASS (gs_classify_panel_parent_class)->dispose (object);
}

static void
gs_classify_panel_finalize (GObject *object)
{
  GsClassifyPanel *self = (GsClassifyPanel *) object;

  g_free (self->klass);
  g_free (self->step_p);
  g_free (self->error);

  G_OBJECT_CLASS (gs_classify_panel_parent_class)->finalize (object);
}

static void
gs_classify_panel_class_init (GsClassifyPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_classify_panel_dispose;
  object_class->finalize = gs_classify_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-classify-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GsClassifyPanel, box);
  gtk_widget_class_bind_template_child (widget_class, GsClassifyPanel, phrase_entry);
  gtk_widget_class_bind_template_child (widget_class, GsClassifyPanel, classify_button);
  gtk_widget_class_bind_template_child (widget_class, GsClassifyPanel, result_label);
  gtk_widget_class_bind_template_child (widget_class, GsClassifyPanel, steps_label);
  gtk_widget_class_bind_template_child (widget_class, GsClassifyPanel, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_classify_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "classifypanel");
}

static void
gs_classify_panel_init (GsClassifyPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gs_classify_panel_new (void)
{
  return g_object_new (GS_TYPE_CLASSIFY_PANEL, NULL);
}

void
gs_classify_panel_set_snap (GsClassifyPanel *self,
                            GsSnap          *snap)
{
  gboolean was, is;

  g_return_if_fail (GS_IS_CLASSIFY_PANEL (self));

  if (self->snap == snap)
    return;
  was = snap_classifies (self->snap);
  g_clear_pointer (&self->snap, gs_snap_unref);
  if (snap != NULL)
    self->snap = gs_snap_ref (snap);
  is = snap_classifies (self->snap);
  gtk_widget_set_sensitive (self->box, is);
  /* A model of the classify task now: a phrase of its data to start from. */
  if (is && !was && gtk_entry_get_text_length (self->phrase_entry) == 0)
    {
      const GsSnapshot *s = gs_snap_get (self->snap);
      gboolean zh = s->task->V > 2 && g_utf8_get_char (s->task->vocab[s->task->V - 1]) > 0x2e80;
      gtk_editable_set_text (GTK_EDITABLE (self->phrase_entry), zh ? "我饿了" : "a lovely film");
      clear_result (self);
    }
}

gboolean
gs_classify_panel_get_available (GsClassifyPanel *self)
{
  g_return_val_if_fail (GS_IS_CLASSIFY_PANEL (self), FALSE);

  return snap_classifies (self->snap);
}

void
gs_classify_panel_set_phrase (GsClassifyPanel *self,
                              const char      *phrase)
{
  g_return_if_fail (GS_IS_CLASSIFY_PANEL (self));

  gtk_editable_set_text (GTK_EDITABLE (self->phrase_entry), phrase);
}

const char *
gs_classify_panel_get_class (GsClassifyPanel *self)
{
  g_return_val_if_fail (GS_IS_CLASSIFY_PANEL (self), NULL);
  return self->klass;
}

double
gs_classify_panel_get_probability (GsClassifyPanel *self)
{
  g_return_val_if_fail (GS_IS_CLASSIFY_PANEL (self), 0.0);
  return self->p;
}

int
gs_classify_panel_get_steps (GsClassifyPanel *self)
{
  g_return_val_if_fail (GS_IS_CLASSIFY_PANEL (self), 0);
  return self->steps;
}

int
gs_classify_panel_get_unknown (GsClassifyPanel *self)
{
  g_return_val_if_fail (GS_IS_CLASSIFY_PANEL (self), 0);
  return self->unknown;
}

double
gs_classify_panel_get_step_probability (GsClassifyPanel *self,
                                        int              t)
{
  g_return_val_if_fail (GS_IS_CLASSIFY_PANEL (self), 0.0);
  g_return_val_if_fail (t >= 0 && t < self->steps, 0.0);
  return self->step_p[t];
}

const char *
gs_classify_panel_get_error (GsClassifyPanel *self)
{
  g_return_val_if_fail (GS_IS_CLASSIFY_PANEL (self), NULL);
  return self->error;
}
