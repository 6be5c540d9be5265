/* gs-window-scrubber.c — the history of learning: an epoch scrubber.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under the status bar, a scale with one position per recording of the
 * task's first held-out sequence (gs-recorder.h, mirrored by the session)
 * and a last position, "Live". At a recording every view draws that
 * recording's snapshot — the held-out sequence under the weights of that
 * epoch — without touching the model; at "Live" they follow the run
 * again. Positions are recordings, not epochs, so the log-spaced epochs
 * (0, 1, 2, 3, 5, 8, …) sit evenly along the scale. The label says
 * whether the recording shown was computed with interventions (its
 * snapshot carries them, GsSnapshot.iv) or on the plain network — as
 * recordings are, while interventions hold in the live run.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Window"

#include <glib/gi18n.h>

#include "gs-window-private.h"

/* The scale's labels: every recording is a mark, but only about this many
 * carry their epoch, so the numbers never overlap. */
#define MAX_LABELS 8

static void
update_label (GsWindow *self)
{
  g_autofree char *text = NULL;

  if (self->scrub_epoch < 0)
    /* Translators: the epoch scrubber at its last position: the views follow the training run. */
    text = g_strdup (_("Live: the views follow the run"));
  else if (self->scrub_snap != NULL && gs_snap_get (self->scrub_snap)->iv.n > 0)
    /* Translators: the epoch scrubber at a recording computed with interventions; %ld is the epoch. */
    text = g_strdup_printf (_("Epoch %ld: the first held-out sequence under that epoch's weights, "
                              "with the interventions applied"), self->scrub_epoch);
  else if (gs_session_get_interventions (self->session)->n > 0)
    /* Translators: the epoch scrubber at a recording while interventions hold in the run; %ld is the epoch. */
    text = g_strdup_printf (_("Epoch %ld: the first held-out sequence under that epoch's weights, on the "
                              "plain network — the interventions are not applied to recordings"),
                            self->scrub_epoch);
  else
    /* Translators: the epoch scrubber at a recording; %ld is the epoch. */
    text = g_strdup_printf (_("Epoch %ld: the first held-out sequence under that epoch's weights, on the "
                              "plain network (no interventions)"), self->scrub_epoch);
  gtk_label_set_label (self->scrub_label, text);
  gtk_widget_set_sensitive (self->scrub_live_button, self->scrub_epoch >= 0);
}

/* Shows the recording at `epoch` (−1: live) in every view. */
static void
show_epoch (GsWindow *self,
            long      epoch)
{
  g_autoptr (GsSnap) snap = epoch >= 0 ? gs_session_dup_recording (self->session, epoch) : NULL;

  if (epoch >= 0 && snap == NULL)
    epoch = -1;   /* thinned away meanwhile: back to the run */
  if (epoch == self->scrub_epoch && (epoch < 0 || self->scrub_snap != NULL))
    return;
  self->scrub_epoch = epoch;
  g_clear_pointer (&self->scrub_snap, gs_snap_unref);
  self->scrub_snap = g_steal_pointer (&snap);
  update_label (self);
  gs_window_on_snap (self, NULL, self->session);
}

/* The scale's position of the current state: the recording shown, or the end. */
static void
sync_scale (GsWindow *self)
{
  const GsRecordings *r = gs_session_get_recordings (self->session);
  int pos = r->n;

  if (self->scrub_epoch >= 0)
    {
      int i = gs_recordings_find (r, self->scrub_epoch);
      pos = i >= 0 ? i : r->n;
    }
  self->scrub_updating = TRUE;
  gtk_range_set_value (GTK_RANGE (self->scrub_scale), pos);
  self->scrub_updating = FALSE;
}

/* The label of recording i's mark, or NULL. The latest recording (off
 * the schedule, replaced every half second while training) has none: it
 * sits beside "Live", and so the marks stay as they are until a scheduled
 * recording arrives. */
static char *
mark_label (const GsRecordings *r,
            int                 i,
            int                 every)
{
  int last = r->n - 1;   /* the last scheduled recording: labelled too */

  if (last >= 0 && !r->rec[last].scheduled)
    last--;
  if (!r->rec[i].scheduled || (i % every != 0 && i != last))
    return NULL;
  return g_strdup_printf ("%ld", r->rec[i].epoch);
}

static void
on_recordings (GsWindow *self)
{
  const GsRecordings *r = gs_session_get_recordings (self->session);
  int every = MAX (1, (r->n + MAX_LABELS - 1) / MAX_LABELS);
  g_autoptr(GString) marks = g_string_new (NULL);

  g_assert (GS_IS_WINDOW (self));

  /* The marks are rebuilt (and the scale laid out again) only when they
   * change, not at every recording of the latest epoch. */
  for (int i = 0; i < r->n; i++)
    {
      g_autofree char *epoch = mark_label (r, i, every);
      g_string_append_printf (marks, "%s;", epoch != NULL ? epoch : "");
    }
  if (g_strcmp0 (marks->str, self->scrub_marks) != 0)
    {
      g_free (self->scrub_marks);
      self->scrub_marks = g_string_free (g_steal_pointer (&marks), FALSE);
      self->scrub_updating = TRUE;
      gtk_scale_clear_marks (self->scrub_scale);
      gtk_range_set_range (GTK_RANGE (self->scrub_scale), 0, MAX (r->n, 1));
      for (int i = 0; i < r->n; i++)
        {
          g_autofree char *epoch = mark_label (r, i, every);
          gtk_scale_add_mark (self->scrub_scale, i, GTK_POS_BOTTOM, epoch);
        }
      /* Translators: the last position of the epoch scrubber, the training run as it is now. */
      gtk_scale_add_mark (self->scrub_scale, r->n, GTK_POS_BOTTOM, _("Live"));
      self->scrub_updating = FALSE;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrub_scale), r->n > 0);
  /* a recording that was thinned away (or a reset): back to live */
  if (self->scrub_epoch >= 0 && gs_recordings_find (r, self->scrub_epoch) < 0)
    show_epoch (self, -1);
  sync_scale (self);
}

static void
on_scale_changed (GsWindow *self)
{
  const GsRecordings *r = gs_session_get_recordings (self->session);
  int pos;

  if (self->scrub_updating)
    return;
  pos = (int) (gtk_range_get_value (GTK_RANGE (self->scrub_scale)) + 0.5);
  show_epoch (self, pos >= 0 && pos < r->n ? r->rec[pos].epoch : -1);
}

static void
on_live_clicked (GsWindow *self)
{
  show_epoch (self, -1);
  sync_scale (self);
}

gboolean
_gs_window_scrub_to (GsWindow *self,
                     long      epoch)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);

  show_epoch (self, epoch);
  sync_scale (self);
  return self->scrub_epoch == epoch;
}

long
_gs_window_get_scrub_epoch (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), -1);

  return self->scrub_epoch;
}

GsSnap *
_gs_window_get_shown_snap (GsWindow *self)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), NULL);

  return self->scrub_snap != NULL ? self->scrub_snap : gs_session_get_snap (self->session);
}

void
_gs_window_init_scrubber (GsWindow *self)
{
  GtkWidget *status_bar = gtk_widget_get_parent (GTK_WIDGET (self->status_label));
  GtkWidget *page = gtk_widget_get_parent (status_bar);
  GtkWidget *title;

  g_assert (GS_IS_WINDOW (self) && GTK_IS_BOX (page));

  self->scrub_epoch = -1;
  self->scrub_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->scrub_bar, "scrub-bar");
  gtk_widget_set_margin_start (self->scrub_bar, 12);
  gtk_widget_set_margin_end (self->scrub_bar, 12);

  /* Translators: the title of the epoch scrubber, which replays how the network learned. */
  title = gtk_label_new (_("History of learning"));
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (self->scrub_bar), title);

  self->scrub_scale = GTK_SCALE (gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 1));
  gtk_scale_set_draw_value (self->scrub_scale, FALSE);
  gtk_range_set_round_digits (GTK_RANGE (self->scrub_scale), 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->scrub_scale), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->scrub_scale),
                               _("Drag to replay how the network learned: every view shows the first "
                                 "held-out sequence under the weights of a recorded epoch."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scrub_scale), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("History of learning"), -1);
  gtk_box_append (GTK_BOX (self->scrub_bar), GTK_WIDGET (self->scrub_scale));

  self->scrub_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->scrub_label, 0);
  gtk_label_set_wrap (self->scrub_label, TRUE);
  gtk_label_set_max_width_chars (self->scrub_label, 36);
  gtk_widget_add_css_class (GTK_WIDGET (self->scrub_label), "dim-label");
  gtk_box_append (GTK_BOX (self->scrub_bar), GTK_WIDGET (self->scrub_label));

  /* Translators: a button that returns the epoch scrubber to the live training run. */
  self->scrub_live_button = gtk_button_new_with_label (_("Back to live"));
  gtk_box_append (GTK_BOX (self->scrub_bar), self->scrub_live_button);

  gtk_box_insert_child_after (GTK_BOX (page), self->scrub_bar, status_bar);
  g_signal_connect_object (self->scrub_scale, "value-changed", G_CALLBACK (on_scale_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scrub_live_button, "clicked", G_CALLBACK (on_live_clicked), self,
                           G_CONNECT_SWAPPED);
  update_label (self);
}

void
_gs_window_connect_scrubber (GsWindow *self)
{
  g_signal_connect_object (self->session, "notify::n-recordings", G_CALLBACK (on_recordings), self,
                           G_CONNECT_SWAPPED);
  /* the label says whether a recording is shown with the interventions */
  g_signal_connect_object (self->session, "notify::n-interventions", G_CALLBACK (update_label), self,
                           G_CONNECT_SWAPPED);
  on_recordings (self);
}

/* A new run: its history starts empty, and the views follow it. */
void
_gs_window_reset_scrubber (GsWindow *self)
{
  self->scrub_epoch = -1;
  g_clear_pointer (&self->scrub_snap, gs_snap_unref);
  update_label (self);
}

void
_gs_window_dispose_scrubber (GsWindow *self)
{
  g_clear_pointer (&self->scrub_snap, gs_snap_unref);
  g_clear_pointer (&self->scrub_marks, g_free);
}
