/* gs-window-pace.c — training at a pace a class can follow.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Train (Ctrl+T) ran 3,000–8,000 epochs a second: the first forty, where
 * everything worth seeing happens, passed in a hundredth of a second. The
 * menu beside Train now sets a speed — 1, 2, 5, 10 or 30 epochs a second,
 * or as fast as possible — and trains a given number of epochs.
 *
 * The pacing is a rate limiter in the window's sending of commands, so it
 * depends on nothing but the session's public commands: at a set speed, a
 * timer sends one whole training step (gs_session_train_step) per tick,
 * skipping a tick the session has not answered yet (a slow step never
 * queues up); as fast as possible without a count, the session trains by
 * itself (gs_session_set_training). A count of epochs uses the timer at
 * any speed, sending the next step as soon as the last is answered.
 * Any step by hand (→, ←, Enter, Play) or Reset stops the pacing.
 *
 * "Train until solved" stops when the task's held-out check passes (the
 * check `gatescope-cli train --until-solved` makes), and says at which
 * epoch. The check runs in the session's worker (gs_session_evaluate, or
 * gs_session_train_until_solved as fast as possible), never in the main
 * loop; at a set speed each tick sends a training step and then the check.
 *
 * Actions: "train.speed" (int, epochs per second, 0 = as fast as
 * possible; saved as "train-speed"), "train.epochs" (int, how many) and
 * "train.until-solved".
 */

#include <string.h>

#include <glib/gi18n.h>

#include "gs-window-private.h"

/* As fast as possible with a count: poll for the answer this often. */
#define FAST_POLL_MS 1

static gboolean
pace_tick (gpointer user_data)
{
  GsWindow *self = GS_WINDOW (user_data);

  if (gs_session_get_busy (self->session))
    return G_SOURCE_CONTINUE;
  if (self->pace_epochs_left == 0)
    {
      self->pace_source = 0;
      gs_window_stop_pacing (self);
      return G_SOURCE_REMOVE;
    }
  if (self->pace_epochs_left > 0)
    self->pace_epochs_left--;
  gs_session_train_step (self->session);
  if (self->until_solved)
    gs_session_evaluate (self->session);
  return G_SOURCE_CONTINUE;
}

gboolean
gs_window_get_pacing (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  return self->pacing;
}

void
gs_window_stop_pacing (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  g_clear_handle_id (&self->pace_source, g_source_remove);
  if (!self->pacing)
    return;
  self->pacing = FALSE;
  self->pace_epochs_left = -1;
  gs_window_update_actions (self);
  gs_window_update_status (self);
  g_object_notify (G_OBJECT (self), "training");
}

/* Trains `epochs` epochs (−1: until stopped) at the chosen speed. */
void
gs_window_start_training (GsWindow *self,
                          int       epochs)
{
  guint interval;

  g_assert (GS_IS_WINDOW (self));

  gs_window_stop_play (self);
  gs_window_stop_pacing (self);
  self->until_solved = FALSE;
  if (self->train_speed <= 0 && epochs < 0)
    {
      gs_session_set_training (self->session, TRUE);
      return;
    }
  gs_session_set_training (self->session, FALSE);
  self->pacing = TRUE;
  self->pace_epochs_left = epochs;
  interval = self->train_speed > 0 ? (guint) (1000.0 / self->train_speed + 0.5) : FAST_POLL_MS;
  self->pace_source = g_timeout_add_full (G_PRIORITY_DEFAULT, interval, pace_tick, self, NULL);
  g_source_set_name_by_id (self->pace_source, "[gatescope] paced training");
  /* The first epoch now, not one interval later. */
  pace_tick (self);
  gs_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "training");
}

void
gs_window_train_until_solved (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  if (self->train_speed <= 0)
    {
      gs_window_stop_play (self);
      gs_window_stop_pacing (self);
      self->until_solved = TRUE;
      gs_session_train_until_solved (self->session);
      return;
    }
  gs_window_start_training (self, -1);
  self->until_solved = TRUE;
}

int
gs_window_get_solved_epoch (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));

  return self->solved_epoch;
}

/* The held-out check, made by the worker: training until solved stops at
 * the first that passes, and the window says so. */
static void
on_evaluated (GsWindow         *self,
              int               epoch,
              const GsTaskEval *ev,
              GsSession        *session)
{
  g_autofree char *text = NULL;

  if (!self->until_solved || !ev->solved)
    return;
  self->until_solved = FALSE;
  self->solved_epoch = epoch;
  self->solved_on_training = ev->on_training_data;
  gs_window_stop_pacing (self);
  gs_session_set_training (session, FALSE);
  if (ev->on_training_data)
    /* Translators: the run is stopped; %d is the epoch, then two
     * percentages. The task (hello) has nothing held out. */
    text = g_strdup_printf (_("Solved at epoch %d: the training accuracy is %.1f %% (solved at %.0f %%; the task "
                              "has nothing held out)."),
                            epoch, 100.0 * ev->metric, 100.0 * ev->threshold);
  else if (strcmp (ev->metric_name, "mse") == 0)
    /* Translators: the run is stopped; %d is the epoch, the numbers are
     * mean squared errors, e.g. "… test MSE 0.0031 (solved below 0.0100)." */
    text = g_strdup_printf (_("Solved at epoch %d: the held-out test MSE is %.4f (solved below %.4f)."),
                            epoch, (double) ev->metric, (double) ev->threshold);
  else if (ev->baseline_name != NULL)
    /* Translators: the run is stopped; %d is the epoch, %s names the
     * baseline's predictor, e.g. "… test accuracy 46.2 % (a bigram count
     * model: 39.5 %; solved at 46 %)." */
    text = g_strdup_printf (_("Solved at epoch %d: the held-out test accuracy is %.1f %% (%s: %.1f %%; solved at "
                              "%.0f %%)."),
                            epoch, 100.0 * ev->metric, _(ev->baseline_name), 100.0 * ev->baseline,
                            100.0 * ev->threshold);
  else
    /* Translators: the run is stopped; %d is the epoch, then two
     * percentages, e.g. "… test accuracy 100.0 % (solved at 95 %)." */
    text = g_strdup_printf (_("Solved at epoch %d: the held-out test accuracy is %.1f %% (solved at %.0f %%)."),
                            epoch, 100.0 * ev->metric, 100.0 * ev->threshold);
  gs_window_show_toast (self, text);
  gs_window_update_status (self);
}

static void
on_reset (GsWindow  *self,
          GsSession *session)
{
  self->solved_epoch = -1;
  self->until_solved = FALSE;
}

static void
on_until_solved (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  gs_window_train_until_solved (GS_WINDOW (user_data));
}

static void
on_speed (GSimpleAction *action,
          GVariant      *value,
          gpointer       user_data)
{
  GsWindow *self = GS_WINDOW (user_data);
  int speed = g_variant_get_int32 (value);
  gboolean running;

  if (speed != 0 && speed != 1 && speed != 2 && speed != 5 && speed != 10 && speed != 30)
    return;
  g_simple_action_set_state (action, value);
  if (self->train_speed == speed)
    return;
  running = self->pacing || gs_session_get_training (self->session);
  self->train_speed = speed;
  g_settings_set_int (self->settings, "train-speed", speed);
  /* A change while training takes effect at once, the count kept. */
  if (running)
    gs_window_start_training (self, self->pacing ? self->pace_epochs_left : -1);
}

static void
on_epochs (GSimpleAction *action,
           GVariant      *param,
           gpointer       user_data)
{
  GsWindow *self = GS_WINDOW (user_data);
  int epochs = g_variant_get_int32 (param);

  if (epochs > 0)
    gs_window_start_training (self, epochs);
}

void
gs_window_init_pace (GsWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) speed = NULL;
  g_autoptr(GSimpleAction) epochs = NULL;
  g_autoptr(GSimpleAction) until_solved = NULL;

  self->pace_epochs_left = -1;
  self->solved_epoch = -1;
  self->train_speed = g_settings_get_int (self->settings, "train-speed");
  speed = g_simple_action_new_stateful ("speed", G_VARIANT_TYPE_INT32, g_variant_new_int32 (self->train_speed));
  g_signal_connect_object (speed, "change-state", G_CALLBACK (on_speed), self, 0);
  epochs = g_simple_action_new ("epochs", G_VARIANT_TYPE_INT32);
  g_signal_connect_object (epochs, "activate", G_CALLBACK (on_epochs), self, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (speed));
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (epochs));
  until_solved = g_simple_action_new ("until-solved", NULL);
  g_signal_connect_object (until_solved, "activate", G_CALLBACK (on_until_solved), self, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (until_solved));
  g_signal_connect_object (self->session, "evaluated", G_CALLBACK (on_evaluated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "config-changed", G_CALLBACK (on_reset), self, G_CONNECT_SWAPPED);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "train", G_ACTION_GROUP (group));
}

void
gs_window_dispose_pace (GsWindow *self)
{
  g_clear_handle_id (&self->pace_source, g_source_remove);
}
