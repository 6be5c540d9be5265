/* gs-tsan-glib.c — ThreadSanitizer builds only: the hand-offs through
 * GLib's queues, made visible.
 *
 * GLib 2.74's GMutex and GCond wait on futexes, which TSan does not see,
 * so everything a thread hands to another through a GAsyncQueue (the
 * worker's commands and snapshots, the comparison's and the experiment's
 * replies) looked like a data race. These definitions take the place of
 * GLib's for the program's own calls (the executable's symbols come
 * first) and tell TSan what the queue guarantees: what a thread did
 * before a push happens before what the popping thread does after the pop.
 * Built into the app only under -Db_sanitize=thread (app/meson.build).
 */
#include <dlfcn.h>
#include <glib.h>
#include <sanitizer/tsan_interface.h>

typedef void     (*PushFn)   (GAsyncQueue *, gpointer);
typedef gpointer (*PopFn)    (GAsyncQueue *);
typedef gpointer (*TimedFn)  (GAsyncQueue *, guint64);
typedef gint     (*LengthFn) (GAsyncQueue *);
typedef void     (*UnrefFn)  (GAsyncQueue *);

static PushFn   real_push;
static PopFn    real_pop, real_try_pop;
static TimedFn  real_timeout_pop;
static LengthFn real_length;
static UnrefFn  real_unref;

/* GLib's own functions, found before main () (and before any thread). */
__attribute__ ((constructor)) static void
find_real (void)
{
  real_push = (PushFn) dlsym (RTLD_NEXT, "g_async_queue_push");
  real_pop = (PopFn) dlsym (RTLD_NEXT, "g_async_queue_pop");
  real_try_pop = (PopFn) dlsym (RTLD_NEXT, "g_async_queue_try_pop");
  real_timeout_pop = (TimedFn) dlsym (RTLD_NEXT, "g_async_queue_timeout_pop");
  real_length = (LengthFn) dlsym (RTLD_NEXT, "g_async_queue_length");
  real_unref = (UnrefFn) dlsym (RTLD_NEXT, "g_async_queue_unref");
}

void
g_async_queue_push (GAsyncQueue *queue, gpointer data)
{
  __tsan_release (queue);
  real_push (queue, data);
}

gpointer
g_async_queue_pop (GAsyncQueue *queue)
{
  gpointer data;
  data = real_pop (queue);
  __tsan_acquire (queue);
  return data;
}

gpointer
g_async_queue_try_pop (GAsyncQueue *queue)
{
  gpointer data;
  data = real_try_pop (queue);
  if (data != NULL)
    __tsan_acquire (queue);
  return data;
}

gpointer
g_async_queue_timeout_pop (GAsyncQueue *queue, guint64 timeout)
{
  gpointer data;
  data = real_timeout_pop (queue, timeout);
  if (data != NULL)
    __tsan_acquire (queue);
  return data;
}

gint
g_async_queue_length (GAsyncQueue *queue)
{
  gint n;
  n = real_length (queue);
  __tsan_acquire (queue);
  return n;
}

/* The last unref frees what is left in the queue, pushed by either side. */
void
g_async_queue_unref (GAsyncQueue *queue)
{
  __tsan_release (queue);
  __tsan_acquire (queue);
  real_unref (queue);
}
