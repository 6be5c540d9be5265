/* gs-shuttle.c — command queue, reply queue and main-loop wake-up.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Shuttle"

#include "gs-shuttle.h"

struct _GsShuttle
{
  GAsyncQueue *commands;   /* main loop → worker */
  GAsyncQueue *replies;    /* worker → main loop */
  GSource     *wakeup;     /* ready time set to 0 to wake the main loop */
};

/* The source fires once per wake-up: its ready time goes back to "never". */
static gboolean
wakeup_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs wakeup_funcs = {
  .dispatch = wakeup_dispatch,
};

GsShuttle *
gs_shuttle_new (const char     *name,
                GSourceFunc     on_replies,
                gpointer        data,
                GDestroyNotify  reply_free,
                GDestroyNotify  command_free)
{
  GsShuttle *self = g_new0 (GsShuttle, 1);

  g_return_val_if_fail (name != NULL && on_replies != NULL, NULL);

  self->commands = g_async_queue_new_full (command_free ? command_free : g_free);
  self->replies = g_async_queue_new_full (reply_free ? reply_free : g_free);
  self->wakeup = g_source_new (&wakeup_funcs, sizeof (GSource));
  g_source_set_name (self->wakeup, name);
  g_source_set_callback (self->wakeup, on_replies, data, NULL);
  g_source_attach (self->wakeup, g_main_context_get_thread_default ());
  return self;
}

void
gs_shuttle_free (GsShuttle *self)
{
  if (self == NULL)
    return;
  g_async_queue_unref (self->commands);
  g_async_queue_unref (self->replies);
  g_source_destroy (self->wakeup);
  g_source_unref (self->wakeup);
  g_free (self);
}

GMainContext *
gs_shuttle_get_context (GsShuttle *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_source_get_context (self->wakeup);
}

void
gs_shuttle_send (GsShuttle *self,
                 gpointer   command)
{
  g_return_if_fail (self != NULL && command != NULL);

  g_async_queue_push (self->commands, command);
}

gpointer
gs_shuttle_receive (GsShuttle *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_async_queue_try_pop (self->replies);
}

gpointer
gs_shuttle_next_command (GsShuttle *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_async_queue_pop (self->commands);
}

guint
gs_shuttle_pending (GsShuttle *self)
{
  gint n;

  g_return_val_if_fail (self != NULL, 0);

  n = g_async_queue_length (self->commands);
  return n > 0 ? (guint) n : 0;
}

guint
gs_shuttle_unread (GsShuttle *self)
{
  gint n;

  g_return_val_if_fail (self != NULL, 0);

  n = g_async_queue_length (self->replies);
  return n > 0 ? (guint) n : 0;
}

void
gs_shuttle_reply (GsShuttle *self,
                  gpointer   reply)
{
  g_return_if_fail (self != NULL && reply != NULL);

  g_async_queue_push (self->replies, reply);
  g_source_set_ready_time (self->wakeup, 0);
}
