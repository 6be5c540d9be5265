/* gs-shuttle.h — the way between a worker thread and the main loop.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every page that trains in the background needs the same three things: a
 * queue of commands to the worker, a queue of replies back (snapshots,
 * progress, errors), and a wake-up of the main loop when a reply is
 * pushed. GsShuttle is those three, written once; the session, the
 * comparison page and the experiment dialog each keep only what is their
 * own (the thread, what it runs, a stop flag).
 *
 *   main loop                           worker thread
 *   gs_shuttle_send (command)    ──►    gs_shuttle_next_command ()
 *   on_replies (data):           ◄──    gs_shuttle_reply (reply)
 *     gs_shuttle_receive () until NULL
 *
 * The shuttle is shared by both threads and freed after the thread is
 * joined. The callback runs in the main context that was the thread-default
 * one when the shuttle was made.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GsShuttle GsShuttle;

/* `on_replies` (with `data`) runs in the main loop after replies arrived;
 * name labels its source. reply_free and command_free free what is still
 * queued when the shuttle goes (NULL: g_free). */
GsShuttle *gs_shuttle_new           (const char     *name,
                                     GSourceFunc     on_replies,
                                     gpointer        data,
                                     GDestroyNotify  reply_free,
                                     GDestroyNotify  command_free);
/* After the worker thread has been joined. */
void       gs_shuttle_free          (GsShuttle      *self);
GMainContext *gs_shuttle_get_context (GsShuttle     *self);

/* The main loop's side. */
void       gs_shuttle_send          (GsShuttle      *self,
                                     gpointer        command);
/* The next reply, or NULL when none is queued. */
gpointer   gs_shuttle_receive       (GsShuttle      *self);

/* The worker's side. */
gpointer   gs_shuttle_next_command  (GsShuttle      *self);   /* blocks */
/* Commands waiting (a long job stops at the next one). */
guint      gs_shuttle_pending       (GsShuttle      *self);
/* Replies the main loop has not taken yet: a worker that publishes while
 * it works (a training run's snapshots) waits until they are taken, so a
 * main loop that falls behind (a slow machine, a sanitizer) does not pile
 * them up without bound. */
guint      gs_shuttle_unread        (GsShuttle      *self);
/* Queues reply and wakes the main loop. */
void       gs_shuttle_reply         (GsShuttle      *self,
                                     gpointer        reply);

G_END_DECLS
