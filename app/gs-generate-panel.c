/* gs-generate-panel.c — 1→N in the window: a character model continues a prime.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generation runs on a model of the panel's own, made from the parameters
 * the latest snapshot shares (GsSnapshot.params): the training thread's
 * model is never touched, and what is generated is what the run had
 * learned when the snapshot was taken. The generating itself is
 * core/gs-generate.h, the object `gatescope-cli sample` steps too, so the
 * same prime, temperature and seed give the CLI's text. A few hundred
 * characters of a small model take milliseconds: it runs in the main loop.
 *
 * Stepping: the first press reads the prime; every press after draws one
 * character and feeds it back (Generate is one-shot: a press after it
 * starts from the prime again). The prediction view is given the
 * distribution the draw reads, softmax(logits / τ). Each press emits "step" with a snapshot of
 * the generating model, which the window shows in its views (the input
 * fed, the cell, the prediction view's distribution of the next
 * character). A changed prime, temperature or seed, or new weights,
 * start over.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Generate"

#include <string.h>

#include <glib/gi18n.h>

#include "gs-generate.h"
#include "gs-generate-panel.h"

struct _GsGeneratePanel
{
  GtkWidget       parent_instance;

  /* template widgets */
  GtkWidget      *box;
  GtkEntry       *prime_entry;
  GtkSpinButton  *temperature_spin;
  GtkSpinButton  *seed_spin;
  GtkSpinButton  *length_spin;
  GtkWidget      *generate_button;
  GtkWidget      *step_button;
  GtkLabel       *text_label;
  GtkLabel       *status_label;

  /* owned */
  GsSnap         *snap;         /* the run's latest */
  char           *chars;        /* its characters in token order, NULL when it cannot generate */
  GsSnap         *gen_snap;     /* the snapshot the generator's model came from */
  GsModel        *model;        /* the generator's */
  GsGenerator    *gen;
  char           *gen_prime;    /* the settings it started with */
  double          gen_temperature;
  guint64         gen_seed;
  GsEmbedding    *embedding;    /* shared by the step snapshots while unchanged */
  char           *text;
  char           *error;
};

G_DEFINE_FINAL_TYPE (GsGeneratePanel, gs_generate_panel, GTK_TYPE_WIDGET)

enum {
  SIGNAL_STEP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ───────────────────────── the generator ───────────────────────── */

static void
clear_generator (GsGeneratePanel *self)
{
  g_clear_pointer (&self->gen, gs_generator_free);
  g_clear_pointer (&self->model, gs_model_free);
  g_clear_pointer (&self->gen_snap, gs_snap_unref);
  g_clear_pointer (&self->gen_prime, g_free);
}

/* The snapshot's characters in token order when it is a character model
 * (every token one character, the outputs the inputs), else NULL. */
static char *
model_chars (const GsSnapshot *s)
{
  GString *chars;

  if (s->params == NULL || s->task == NULL || s->task->vocab == NULL || s->cfg.input == GS_INPUT_DENSE ||
      s->cfg.loss != GS_LOSS_CE || s->cfg.O != s->cfg.V || s->task->V != s->cfg.V)
    return NULL;
  chars = g_string_new (NULL);
  for (int v = 0; v < s->cfg.V; v++)
    {
      const char *tok = s->task->vocab[v];

      if (tok == NULL || tok[0] == '\0' || g_utf8_strlen (tok, -1) != 1)
        {
          g_string_free (chars, TRUE);
          return NULL;
        }
      g_string_append (chars, tok);
    }
  return g_string_free (chars, FALSE);
}

static void
show (GsGeneratePanel *self,
      const char      *status)
{
  if (self->gen != NULL)
    {
      g_autofree char *prime = g_markup_escape_text (self->gen->text, (gssize) self->gen->prime_len);
      g_autofree char *continuation = g_markup_escape_text (self->gen->text + self->gen->prime_len, -1);
      g_autofree char *markup = NULL;

      g_free (self->text);
      self->text = g_strdup (self->gen->text);
      /* The prime as typed, the continuation in bold. */
      markup = g_strconcat (prime, "<b>", continuation, "</b>", NULL);
      gtk_label_set_markup (self->text_label, markup);
    }
  gtk_label_set_label (self->status_label, status != NULL ? status : "");
}

static void
fail (GsGeneratePanel *self,
      const char      *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  clear_generator (self);
  g_clear_pointer (&self->text, g_free);
  gtk_label_set_label (self->text_label, "");
  gtk_label_set_label (self->status_label, message);
}

/* A generator for the current settings and weights: the running one when
 * nothing changed (and `keep`), else a new one that has read the prime. */
static gboolean
ensure_generator (GsGeneratePanel *self,
                  gboolean         keep,
                  gboolean        *fresh)
{
  const char *prime = gtk_editable_get_text (GTK_EDITABLE (self->prime_entry));
  double temperature = gtk_spin_button_get_value (self->temperature_spin);
  guint64 seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  const GsSnapshot *s;
  GsError err;

  *fresh = FALSE;
  if (self->snap == NULL || self->chars == NULL)
    return FALSE;
  s = gs_snap_get (self->snap);
  if (keep && self->gen != NULL && g_strcmp0 (prime, self->gen_prime) == 0 &&
      temperature == self->gen_temperature && seed == self->gen_seed &&
      gs_snap_get (self->gen_snap)->params == s->params)
    return TRUE;

  clear_generator (self);
  g_clear_pointer (&self->error, g_free);
  self->model = gs_param_copy_model (s->params, &err);
  if (self->model != NULL)
    self->gen = gs_generator_new (self->model, self->chars, prime, (float) temperature, seed, &err);
  if (self->gen == NULL)
    {
      fail (self, err.msg);
      return FALSE;
    }
  self->gen_snap = gs_snap_ref (self->snap);
  self->gen_prime = g_strdup (prime);
  self->gen_temperature = temperature;
  self->gen_seed = seed;
  *fresh = TRUE;
  return TRUE;
}

/* The generating model as the views draw it: the sequence it just read. */
static GsSnap *
step_snapshot (GsGeneratePanel *self)
{
  const GsSnapshot *s = gs_snap_get (self->gen_snap);
  GsSnapshot *taken = gs_snapshot_new ();
  GsError err;

  if (taken == NULL ||
      gs_snapshot_take (taken, self->model, s->task, 0, GS_PHASE_FORWARD, s->epoch, &err) != GS_OK ||
      gs_snapshot_take_embedding (taken, self->model, s->epoch, TRUE, &self->embedding, &err) != GS_OK)
    {
      if (taken != NULL)
        g_warning ("%s", err.msg);
      gs_snapshot_free (taken);
      return NULL;
    }
  /* The prediction view shows what the next character is drawn from:
   * softmax(logits / τ), not the model's softmax at τ = 1. */
  memcpy (taken->probs + (size_t) (taken->T - 1) * taken->cfg.O, self->gen->probs,
          (size_t) taken->cfg.O * sizeof (float));
  return gs_snap_new_take (taken);
}

/* ───────────────────────── commands ───────────────────────── */

void
gs_generate_panel_generate (GsGeneratePanel *self)
{
  g_autofree char *status = NULL;
  int length;
  gboolean fresh;
  GsError err;

  g_return_if_fail (GS_IS_GENERATE_PANEL (self));

  if (!ensure_generator (self, FALSE, &fresh))
    return;
  length = gtk_spin_button_get_value_as_int (self->length_spin);
  for (int i = 0; i < length; i++)
    if (gs_generator_step (self->gen, NULL, &err) != GS_OK)
      {
        fail (self, err.msg);
        return;
      }
  /* Translators: after Generate; %d characters, the temperature, the seed and the epoch of the weights. */
  status = g_strdup_printf (_("%d characters at temperature %.2f with seed %llu from the weights of epoch %ld: "
                              "gatescope-cli sample gives the same text for a model saved now."),
                            length, self->gen_temperature, (unsigned long long) self->gen_seed,
                            gs_snap_get (self->gen_snap)->epoch);
  show (self, status);
  /* One-shot: a step after it starts again from the prime. */
  clear_generator (self);
}

void
gs_generate_panel_step (GsGeneratePanel *self)
{
  g_autoptr(GsSnap) snap = NULL;
  g_autofree char *status = NULL;
  gboolean fresh;
  GsError err;

  g_return_if_fail (GS_IS_GENERATE_PANEL (self));

  if (!ensure_generator (self, TRUE, &fresh))
    return;
  if (fresh)
    status = g_strdup (_("The model has read the prime. The prediction view shows the distribution "
                         "the first character is drawn from."));
  else if (gs_generator_step (self->gen, NULL, &err) != GS_OK)
    {
      fail (self, err.msg);
      return;
    }
  else
    /* Translators: %s is the character just drawn and fed back in. */
    status = g_strdup_printf (_("Drew “%s” and fed it back as the next input. The prediction view shows "
                                "the distribution of the character after it."),
                              self->gen->vocab.str[self->gen->last]);
  show (self, status);
  snap = step_snapshot (self);
  if (snap != NULL)
    g_signal_emit (self, signals[SIGNAL_STEP], 0, snap);
}

static void
on_generate_clicked (GsGeneratePanel *self)
{
  gs_generate_panel_generate (self);
}

static void
on_step_clicked (GsGeneratePanel *self)
{
  gs_generate_panel_step (self);
}

/* ───────────────────────── the widget ───────────────────────── */

static void
gs_generate_panel_dispose (GObject *object)
{
  GsGeneratePanel *self = (GsGeneratePanel *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), GS_TYPE_GENERATE_PANEL);
  clear_generator (self);
  g_clear_pointer (&self->snap, gs_snap_unref);
  g_clear_pointer (&self->embedding, gs_embedding_unref);

  G_OBJECT_CLASS (gs_generate_panel_parent_class)->dispose (object);
}

static void
gs_generate_panel_finalize (GObject *object)
{
  GsGeneratePanel *self = (GsGeneratePanel *) object;

  g_free (self->chars);
  g_free (self->text);
  g_free (self->error);

  G_OBJECT_CLASS (gs_generate_panel_parent_class)->finalize (object);
}

static void
gs_generate_panel_class_init (GsGeneratePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_generate_panel_dispose;
  object_class->finalize = gs_generate_panel_finalize;

  /**
   * GsGeneratePanel::step:
   * @snap: the generating model at the character just fed
   *
   * One step of generation, to be shown in the views.
   */
  signals[SIGNAL_STEP] = g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, GS_TYPE_SNAP);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/gatescope/Gatescope/gs-generate-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GsGeneratePanel, box);
  gtk_widget_class_bind_template_child (widget_class, GsGeneratePanel, prime_entry);
  gtk_widget_class_bind_template_child (widget_class, GsGeneratePanel, temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, GsGeneratePanel, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, GsGeneratePanel, length_spin);
  gtk_widget_class_bind_template_child (widget_class, GsGeneratePanel, generate_button);
  gtk_widget_class_bind_template_child (widget_class, GsGeneratePanel, step_button);
  gtk_widget_class_bind_template_child (widget_class, GsGeneratePanel, text_label);
  gtk_widget_class_bind_template_child (widget_class, GsGeneratePanel, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_generate_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_step_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "generatepanel");
}

static void
gs_generate_panel_init (GsGeneratePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gs_generate_panel_new (void)
{
  return g_object_new (GS_TYPE_GENERATE_PANEL, NULL);
}

void
gs_generate_panel_set_snap (GsGeneratePanel *self,
                            GsSnap          *snap)
{
  g_autofree char *chars = NULL;
  gboolean same;

  g_return_if_fail (GS_IS_GENERATE_PANEL (self));

  if (self->snap == snap)
    return;
  g_clear_pointer (&self->snap, gs_snap_unref);
  if (snap != NULL)
    self->snap = gs_snap_ref (snap);
  chars = snap != NULL ? model_chars (gs_snap_get (snap)) : NULL;
  same = g_strcmp0 (chars, self->chars) == 0;
  g_free (self->chars);
  self->chars = g_steal_pointer (&chars);
  gtk_widget_set_sensitive (self->box, self->chars != NULL);
  /* Another vocabulary (another task): the prime starts as its first
   * letter (a line break or a space would look like no prime at all). */
  if (!same && self->chars != NULL)
    {
      const char *first = self->chars;
      g_autofree char *prime = NULL;

      for (const char *c = self->chars; *c != '\0'; c = g_utf8_next_char (c))
        if (g_unichar_isalpha (g_utf8_get_char (c)))
          {
            first = c;
            break;
          }
      prime = g_strndup (first, g_utf8_next_char (first) - first);

      clear_generator (self);
      gtk_editable_set_text (GTK_EDITABLE (self->prime_entry), prime);
      gtk_label_set_label (self->text_label, "");
      gtk_label_set_label (self->status_label, "");
    }
}

gboolean
gs_generate_panel_get_available (GsGeneratePanel *self)
{
  g_return_val_if_fail (GS_IS_GENERATE_PANEL (self), FALSE);

  return self->chars != NULL;
}

void
gs_generate_panel_set_prime (GsGeneratePanel *self,
                             const char      *prime)
{
  g_return_if_fail (GS_IS_GENERATE_PANEL (self));
  gtk_editable_set_text (GTK_EDITABLE (self->prime_entry), prime);
}

void
gs_generate_panel_set_temperature (GsGeneratePanel *self,
                                   double           temperature)
{
  g_return_if_fail (GS_IS_GENERATE_PANEL (self));
  gtk_spin_button_set_value (self->temperature_spin, temperature);
}

void
gs_generate_panel_set_seed (GsGeneratePanel *self,
                            guint64          seed)
{
  g_return_if_fail (GS_IS_GENERATE_PANEL (self));
  gtk_spin_button_set_value (self->seed_spin, (double) seed);
}

void
gs_generate_panel_set_length (GsGeneratePanel *self,
                              int              length)
{
  g_return_if_fail (GS_IS_GENERATE_PANEL (self));
  gtk_spin_button_set_value (self->length_spin, length);
}

const char *
gs_generate_panel_get_text (GsGeneratePanel *self)
{
  g_return_val_if_fail (GS_IS_GENERATE_PANEL (self), NULL);
  return self->text;
}

const char *
gs_generate_panel_get_error (GsGeneratePanel *self)
{
  g_return_val_if_fail (GS_IS_GENERATE_PANEL (self), NULL);
  return self->error;
}
