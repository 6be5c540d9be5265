/* gs-history.c — recent updates at full resolution, older ones in buckets. */
#include "gs-history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"

struct GsHistory {
  GsHistPoint *bucket;    /* (n_cap) summaries of the oldest updates, oldest first */
  int          n_bucket;
  int          n_cap;     /* even */
  long long    span;      /* updates a bucket may cover */
  GsHistPoint *recent;    /* (r_cap) ring of the newest points */
  int          r_head;    /* index of the oldest recent point */
  int          n_recent;
  int          r_cap;
  long long    count;     /* updates recorded */
};

GsHistory *
gs_history_new_sized (int recent, int buckets, GsError *err)
{
  GsHistory *h;

  if (recent < 1 || buckets < 2 || buckets % 2 != 0) {
    gs_error_set (err, _("a loss history needs at least one recent point and an even number of buckets"));
    return NULL;
  }
  h = calloc (1, sizeof *h);
  if (h != NULL) {
    h->bucket = calloc ((size_t) buckets, sizeof *h->bucket);
    h->recent = calloc ((size_t) recent, sizeof *h->recent);
  }
  if (h == NULL || h->bucket == NULL || h->recent == NULL) {
    gs_history_free (h);
    gs_error_set (err, _("out of memory recording the loss history"));
    return NULL;
  }
  h->n_cap = buckets;
  h->r_cap = recent;
  h->span = 1;
  return h;
}

GsHistory *
gs_history_new (GsError *err)
{
  return gs_history_new_sized (GS_HISTORY_RECENT, GS_HISTORY_BUCKETS, err);
}

void
gs_history_free (GsHistory *h)
{
  if (h == NULL)
    return;
  free (h->bucket);
  free (h->recent);
  free (h);
}

void
gs_history_clear (GsHistory *h)
{
  h->n_bucket = 0;
  h->span = 1;
  h->r_head = 0;
  h->n_recent = 0;
  h->count = 0;
}

/* The mean over na + nb values of a mean over na and one over nb (NaN
 * where there is none). */
static float
mean2 (float a, int na, float b, int nb)
{
  if (na == 0)
    return b;
  if (nb == 0)
    return a;
  return (float) (((double) a * na + (double) b * nb) / (double) (na + nb));
}

void
gs_hist_point_merge (GsHistPoint *a, const GsHistPoint *b)
{
  /* The loss of a diverged update is not finite: min/max keep it visible. */
  a->loss_min = fminf (a->loss_min, b->loss_min);
  a->loss_max = fmaxf (a->loss_max, b->loss_max);
  a->loss_mean = (float) (((double) a->loss_mean * a->n + (double) b->loss_mean * b->n) / (double) (a->n + b->n));
  a->metric = mean2 (a->metric, a->n_metric, b->metric, b->n_metric);
  a->n_metric += b->n_metric;
  a->n += b->n;
}

/* The oldest recent point moves into the buckets. */
static void
push_bucket (GsHistory *h, const GsHistPoint *p)
{
  GsHistPoint *last = h->n_bucket > 0 ? &h->bucket[h->n_bucket - 1] : NULL;

  if (last != NULL && last->first + last->n == p->first && last->n + p->n <= h->span) {
    gs_hist_point_merge (last, p);
    return;
  }
  if (h->n_bucket == h->n_cap) {
    /* Full: neighbours merge, the span doubles. */
    for (int i = 0; i < h->n_cap / 2; i++) {
      GsHistPoint a = h->bucket[2 * i];
      gs_hist_point_merge (&a, &h->bucket[2 * i + 1]);
      h->bucket[i] = a;
    }
    h->n_bucket = h->n_cap / 2;
    h->span *= 2;
  }
  h->bucket[h->n_bucket++] = *p;
}

static GsHistPoint *
recent_at (const GsHistory *h, int i)
{
  return &h->recent[(h->r_head + i) % h->r_cap];
}

bool
gs_history_add_point (GsHistory *h, const GsHistPoint *p)
{
  GsHistPoint q = *p;

  if (q.n < 1 || q.first + q.n <= h->count)
    return false;
  if (q.first < h->count) {
    /* a bucket sent whole: only the updates not counted yet */
    long long skip = h->count - q.first;
    q.n_metric = q.n_metric > q.n - (int) skip ? q.n - (int) skip : q.n_metric;
    q.n -= (int) skip;
    q.first = h->count;
  }
  if (h->n_recent == h->r_cap) {
    push_bucket (h, recent_at (h, 0));
    h->r_head = (h->r_head + 1) % h->r_cap;
    h->n_recent--;
  }
  *recent_at (h, h->n_recent) = q;
  h->n_recent++;
  h->count = q.first + q.n;
  return true;
}

void
gs_history_add (GsHistory *h, float loss, float metric)
{
  GsHistPoint p = { h->count, 1, loss, loss, loss, metric, isnan (metric) ? 0 : 1 };

  gs_history_add_point (h, &p);
}

long long
gs_history_count (const GsHistory *h)
{
  return h->count;
}

int
gs_history_n_points (const GsHistory *h)
{
  return h->n_bucket + h->n_recent;
}

const GsHistPoint *
gs_history_point (const GsHistory *h, int i)
{
  if (i < 0 || i >= h->n_bucket + h->n_recent)
    return NULL;
  return i < h->n_bucket ? &h->bucket[i] : recent_at (h, i - h->n_bucket);
}

long long
gs_history_span (const GsHistory *h)
{
  return h->span;
}

size_t
gs_history_bytes (const GsHistory *h)
{
  return sizeof *h + ((size_t) h->n_cap + (size_t) h->r_cap) * sizeof (GsHistPoint);
}

int
gs_history_read_since (const GsHistory *h, long long since, GsHistPoint *out, int max)
{
  const int n = gs_history_n_points (h);
  int lo = n, count, group, written = 0;

  if (max < 1)
    return 0;
  /* The first point ending after `since` (points are in order). */
  {
    int a = 0, b = n;
    while (a < b) {
      int mid = a + (b - a) / 2;
      const GsHistPoint *p = gs_history_point (h, mid);
      if (p->first + p->n <= since)
        a = mid + 1;
      else
        b = mid;
    }
    lo = a;
  }
  count = n - lo;
  group = (count + max - 1) / max;
  for (int i = lo; i < n; i += group) {
    GsHistPoint p = *gs_history_point (h, i);
    for (int j = i + 1; j < i + group && j < n; j++)
      gs_hist_point_merge (&p, gs_history_point (h, j));
    out[written++] = p;
  }
  return written;
}

int
gs_history_n_buckets (const GsHistory *h)
{
  return h->n_bucket;
}

int
gs_history_restore (GsHistory *h, const GsHistPoint *points, int n_points, int n_bucket,
                    long long span, long long count, GsError *err)
{
  long long next = 0;

  if (n_points < 0 || n_bucket < 0 || n_bucket > n_points || n_bucket > h->n_cap
      || n_points - n_bucket > h->r_cap || span < 1 || (span & (span - 1)) != 0 || count < 0)
    return gs_error_set (err, _("the loss history does not fit: %d points, %d of them summaries"),
                         n_points, n_bucket);
  /* Points follow each other without overlap, each within its span. */
  for (int i = 0; i < n_points; i++) {
    const GsHistPoint *p = &points[i];
    if (p->first < next || p->n < 1 || p->n_metric < 0 || p->n_metric > p->n
        || (i < n_bucket && p->n > span))
      return gs_error_set (err, _("the loss history is inconsistent at point %d"), i);
    next = p->first + p->n;
  }
  if (next > count)
    return gs_error_set (err, _("the loss history is inconsistent at point %d"), n_points);
  memcpy (h->bucket, points, sizeof *points * (size_t) n_bucket);
  memcpy (h->recent, points + n_bucket, sizeof *points * (size_t) (n_points - n_bucket));
  h->n_bucket = n_bucket;
  h->span = span;
  h->r_head = 0;
  h->n_recent = n_points - n_bucket;
  h->count = count;
  return GS_OK;
}

/* ------------------------------------------------------------------------ */
/* The validation series                                                    */

void
gs_val_series_init (GsValSeries *v, long long every)
{
  memset (v, 0, sizeof *v);
  v->every = every < 1 ? 1 : every;
}

bool
gs_val_series_due (const GsValSeries *v, long long updates)
{
  return updates > 0 && updates % v->every == 0;
}

void
gs_val_series_add (GsValSeries *v, long long updates, float loss, float metric)
{
  if (v->n > 0 && updates <= v->points[v->n - 1].update)
    return;
  if (v->n == GS_VALIDATION_MAX) {
    /* Every other point goes (the newer of each pair stays); the judgements
     * to come are twice as far apart. */
    int k = 0;
    for (int i = 1; i < v->n; i += 2)
      v->points[k++] = v->points[i];
    v->n = k;
    v->every *= 2;
    if (updates - v->points[v->n - 1].update < v->every)
      return;   /* too close to the newest kept point: the next judgement follows */
  }
  v->points[v->n++] = (GsValPoint) { updates, loss, metric };
}
