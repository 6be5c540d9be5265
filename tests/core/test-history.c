/* test-history — the loss history stays bounded and says the truth.
 *
 * A million updates fit in the fixed memory; the newest are kept one by
 * one; every older update is in exactly one bucket whose min, mean and max
 * are those of its updates; a reader that follows with
 * gs_history_read_since ends with the same curve. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-history.h"
#include "gs-stepper.h"
#include "gs-test.h"

/* The loss of update i: a decaying curve with some noise. */
static float
loss_of (long long i)
{
  return 2.0f / (1.0f + (float) i * 1e-4f) + (float) ((i * 7919) % 13) * 0.01f;
}

static float
metric_of (long long i)
{
  return i % 5 == 0 ? NAN : (float) (i % 100) / 100.0f;   /* NaN: "none" at some updates */
}

/* Points cover [0, count) without gap or overlap, in order; each one's
 * min, mean and max are its updates'. */
static bool
check_points (const GsHistory *h, const char *what, bool stats)
{
  long long next = 0;
  bool ok = true;

  for (int i = 0; i < gs_history_n_points (h) && ok; i++) {
    const GsHistPoint *p = gs_history_point (h, i);
    double sum = 0.0, msum = 0.0;
    float lo = INFINITY, hi = -INFINITY;
    int mn = 0;

    ok &= GS_CHECK (p->first == next && p->n >= 1, "%s: point %d covers [%lld, +%d), expected to start at %lld",
                    what, i, p->first, p->n, next);
    for (long long u = p->first; u < p->first + p->n; u++) {
      sum += loss_of (u);
      lo = fminf (lo, loss_of (u));
      hi = fmaxf (hi, loss_of (u));
      if (!isnan (metric_of (u))) {
        msum += metric_of (u);
        mn++;
      }
    }
    if (!stats) {
      next = p->first + p->n;
      continue;
    }
    ok &= GS_CHECK (p->n_metric == mn, "%s: point %d has %d metric values, expected %d", what, i, p->n_metric, mn);
    ok &= GS_CHECK (p->loss_min == lo && p->loss_max == hi, "%s: point %d min %g max %g, expected %g %g",
                    what, i, (double) p->loss_min, (double) p->loss_max, (double) lo, (double) hi);
    ok &= GS_CHECK (fabs (p->loss_mean - sum / p->n) <= 1e-5 * fabs (sum / p->n),
                    "%s: point %d mean %.7g, expected %.7g", what, i, (double) p->loss_mean, sum / p->n);
    if (mn > 0)
      ok &= GS_CHECK (fabs (p->metric - msum / mn) <= 1e-5 * (msum / mn) + 1e-6, "%s: point %d metric %g, about %g expected",
                      what, i, (double) p->metric, msum / mn);
    next = p->first + p->n;
  }
  ok &= GS_CHECK (next == gs_history_count (h), "%s: the points cover %lld of %lld updates", what, next,
                  gs_history_count (h));
  return ok;
}

static void
check_million (void)
{
  GsError err;
  GsHistory *h = gs_history_new (&err);
  const long long N = 1000000;
  size_t bytes;

  GS_CHECK (h != NULL, "history: %s", h ? "" : err.msg);
  if (h == NULL)
    return;
  bytes = gs_history_bytes (h);
  for (long long i = 0; i < N; i++)
    gs_history_add (h, loss_of (i), metric_of (i));
  GS_CHECK (gs_history_count (h) == N, "a million updates counted: %lld", gs_history_count (h));
  GS_CHECK (gs_history_bytes (h) == bytes && bytes < 2u << 20,
            "memory fixed when made: %zu bytes, under 2 MiB", bytes);
  GS_CHECK (gs_history_n_points (h) <= GS_HISTORY_RECENT + GS_HISTORY_BUCKETS,
            "at most %d points to draw, not %d", GS_HISTORY_RECENT + GS_HISTORY_BUCKETS, gs_history_n_points (h));
  {
    bool full = true;
    int n = gs_history_n_points (h);
    for (int i = n - GS_HISTORY_RECENT; i < n; i++) {
      const GsHistPoint *p = gs_history_point (h, i);
      full &= p->n == 1 && p->loss_mean == loss_of (p->first) && p->first == N - (n - i);
    }
    GS_CHECK (full, "the newest %d updates at full resolution", GS_HISTORY_RECENT);
  }
  GS_CHECK (gs_history_span (h) >= (N - GS_HISTORY_RECENT) / GS_HISTORY_BUCKETS,
            "a bucket spans %lld updates", gs_history_span (h));
  check_points (h, "a million updates", true);
  gs_history_free (h);
}

/* A reader that follows every k updates with read_since holds the same
 * curve as the writer once the pieces it received were merged the same
 * way. */
static void
check_follow (int every, int max)
{
  GsError err;
  GsHistory *w = gs_history_new_sized (64, 32, &err), *r = gs_history_new_sized (64, 32, &err);
  GsHistPoint *buf = malloc (sizeof (GsHistPoint) * (size_t) max);
  char what[64];
  long long sent = 0;

  for (long long i = 0; i < 20000; i++) {
    gs_history_add (w, loss_of (i), metric_of (i));
    if (i % every == every - 1) {
      int n = gs_history_read_since (w, gs_history_count (r), buf, max);
      GS_CHECK (n <= max, "read_since wrote %d of at most %d", n, max);
      for (int j = 0; j < n; j++)
        GS_CHECK (gs_history_add_point (r, &buf[j]), "point %lld appended", buf[j].first);
      sent += n;
    }
  }
  snprintf (what, sizeof what, "reader every %d (at most %d)", every, max);
  GS_CHECK (gs_history_count (r) == gs_history_count (w) - 20000 % every,
            "%s: the reader has %lld updates", what, gs_history_count (r));
  /* A reader that falls more than the writer's recent points behind gets
   * a bucket straddling its count: its statistics are the bucket's. */
  check_points (r, what, every <= 64);
  GS_CHECK (gs_history_n_points (r) <= 96, "%s: bounded too (%d points)", what, gs_history_n_points (r));
  if (every <= max) {
    /* nothing was merged on the way: the newest points are the writer's */
    const GsHistPoint *a = gs_history_point (r, gs_history_n_points (r) - 1);
    const GsHistPoint *b = gs_history_point (w, gs_history_n_points (w) - 1 - 20000 % every);
    GS_CHECK (a->first == b->first && a->n == 1 && b->n == 1 && a->loss_mean == b->loss_mean,
              "%s: the newest point at full resolution", what);
  }
  {
    GsHistPoint old = { 0, 1, 1, 1, 1, NAN, 0 };
    GS_CHECK (!gs_history_add_point (r, &old), "%s: a point from the past is refused", what);
  }
  free (buf);
  gs_history_free (w);
  gs_history_free (r);
}

static void
check_small (void)
{
  GsError err = { "" };
  GsHistory *h = gs_history_new_sized (4, 4, &err);
  GsHistPoint out[8];

  GS_CHECK (gs_history_new_sized (4, 3, &err) == NULL && err.msg[0], "an odd bucket count is refused");
  for (long long i = 0; i < 100; i++)
    gs_history_add (h, loss_of (i), metric_of (i));
  GS_CHECK (gs_history_n_points (h) <= 8, "4 + 4 points hold 100 updates: %d", gs_history_n_points (h));
  check_points (h, "4 + 4 points", true);
  GS_CHECK (gs_history_read_since (h, 100, out, 8) == 0, "nothing since the last update");
  GS_CHECK (gs_history_read_since (h, 98, out, 8) == 2 && out[0].first == 98 && out[1].first == 99,
            "the last two updates");
  GS_CHECK (gs_history_read_since (h, 96, out, 2) == 2 && out[0].first == 96 && out[0].n == 2 && out[1].n == 2,
            "four updates merged into two points");
  gs_history_clear (h);
  GS_CHECK (gs_history_count (h) == 0 && gs_history_n_points (h) == 0 && gs_history_span (h) == 1, "cleared");
  gs_history_free (h);
}

/* The stepper records one point per update: the loss of the update and
 * the batch's accuracy. */
static void
check_stepper_history (void)
{
  GsTrainConfig c;
  GsError err = { "" };
  GsStepper *s;

  gs_train_config_default (&c);
  c.epochs = 1;
  s = gs_stepper_new (&c, &err);
  GS_CHECK (s != NULL, "stepper: %s", err.msg);
  if (s == NULL)
    return;
  for (int e = 0; e < 50; e++) {
    gs_stepper_train_step (s, &err);
    const GsHistPoint *p = gs_history_point (s->history, gs_history_n_points (s->history) - 1);
    if (!GS_CHECK (p->first == e && p->loss_mean == s->trainer->last_loss && p->metric >= 0.0f && p->metric <= 1.0f,
                   "update %d: loss %g (%g) accuracy %g", e, (double) p->loss_mean, (double) s->trainer->last_loss,
                   (double) p->metric))
      break;
  }
  GS_CHECK (gs_history_point (s->history, 49)->metric == 1.0f, "hello is learnt in 50 updates: accuracy 1");
  gs_stepper_free (s);
}

/* The validation series stays within its array over a long run, keeps an
 * even sampling (the interval doubles) and refuses an older point. */
static void
check_validation_series (void)
{
  GsValSeries v;
  long long last = 0;
  bool even = true;

  gs_val_series_init (&v, 10);
  GS_CHECK (!gs_val_series_due (&v, 0) && !gs_val_series_due (&v, 9) && gs_val_series_due (&v, 10),
            "due every 10 updates");
  for (long long u = 1; u <= 1000000; u++)
    if (gs_val_series_due (&v, u))
      gs_val_series_add (&v, u, 1.0f / (float) u, 0.5f);
  GS_CHECK (v.n > GS_VALIDATION_MAX / 2 && v.n <= GS_VALIDATION_MAX, "a million updates in %d points", v.n);
  for (int i = 0; i < v.n; i++) {
    even &= v.points[i].update > last && v.points[i].loss == 1.0f / (float) v.points[i].update;
    if (i > 0)
      even &= v.points[i].update - v.points[i - 1].update == v.every;
    last = v.points[i].update;
  }
  GS_CHECK (even, "ascending, evenly spaced every %lld updates, each with its own loss", v.every);
  GS_CHECK (v.points[v.n - 1].update > 1000000 - v.every, "the newest point is recent: %lld",
            v.points[v.n - 1].update);
  {
    int n = v.n;
    gs_val_series_add (&v, 5, 0.0f, 0.0f);
    GS_CHECK (v.n == n, "a point older than the last is ignored");
  }
}

/* The stepper judges the held-out data every GS_VALIDATION_EVERY updates:
 * the points agree with gs_trainer_evaluate, and a reset empties the
 * series. */
static void
check_stepper_validation (void)
{
  GsTrainConfig c;
  GsError err = { "" };
  GsStepper *s;
  GsTaskEval ev;

  gs_train_config_default (&c);
  snprintf (c.task, sizeof c.task, "%s", "adding:length=10");
  c.epochs = 1;
  s = gs_stepper_new (&c, &err);
  GS_CHECK (s != NULL, "stepper: %s", err.msg);
  if (s == NULL)
    return;
  for (int e = 0; e < 2 * GS_VALIDATION_EVERY + 1; e++)
    GS_CHECK (gs_stepper_train_step (s, &err) == GS_OK, "update %d: %s", e, err.msg);
  GS_CHECK (s->validation.n == 2 && s->validation.points[0].update == GS_VALIDATION_EVERY
            && s->validation.points[1].update == 2 * GS_VALIDATION_EVERY,
            "two validation points after %d updates: %d", 2 * GS_VALIDATION_EVERY + 1, s->validation.n);
  /* the second point was judged on the weights of update 100; one more
   * update since, so judge again and expect a nearby but finite value */
  GS_CHECK (gs_trainer_evaluate (s->trainer, &ev, &err) == GS_OK, "evaluate: %s", err.msg);
  GS_CHECK (s->validation.n == 2 && isfinite (s->validation.points[1].loss) && s->validation.points[1].loss > 0.0f
            && fabsf (s->validation.points[1].loss - ev.loss) < 0.5f * ev.loss,
            "the validation loss %g is the held-out loss (%g one update later)",
            (double) s->validation.points[1].loss, (double) ev.loss);
  GS_CHECK (gs_stepper_reset (s, &c, &err) == GS_OK && s->validation.n == 0, "a reset empties the series");
  gs_stepper_free (s);
}

int
main (void)
{
  check_small ();
  check_million ();
  check_follow (1, 16);
  check_follow (7, 16);
  check_follow (50, 16);
  check_follow (1000, 3);
  check_stepper_history ();
  check_validation_series ();
  check_stepper_validation ();
  return gs_test_finish ("history");
}
