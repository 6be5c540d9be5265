/* gs-history.h — the loss curve of a run, in bounded memory.
 *
 * A classroom leaves training on for an hour: millions of updates. The
 * history keeps the most recent updates at full resolution (one point per
 * update) and summarises older ones into buckets (min, mean and max of the
 * loss over a span of updates). When the buckets are full, neighbours are
 * merged pairwise and the span doubles. So memory is fixed when the
 * history is made (a few hundred KB), and a curve drawn from it costs the
 * same at update 10 as at update 10,000,000.
 *
 * Readers follow a run incrementally: gs_history_read_since gives the
 * points of the updates from index k on, so a window that holds its own
 * history appends what is new rather than copying everything again.
 *
 * A point covers updates [first, first + n); a full-resolution point has
 * n = 1 and min = mean = max.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-error.h"

typedef struct {
  long long first;       /* index of the first update covered (0-based) */
  int       n;           /* updates covered */
  float     loss_min, loss_mean, loss_max;
  float     metric;      /* mean of the per-update metric (gs_stepper: the batch's accuracy); NaN if none */
  int       n_metric;    /* updates that had a metric */
} GsHistPoint;

typedef struct GsHistory GsHistory;

/* Defaults of gs_history_new: full resolution for the last 8192 updates,
 * 4096 buckets before them. */
#define GS_HISTORY_RECENT  8192
#define GS_HISTORY_BUCKETS 4096

GsHistory *gs_history_new       (GsError *err);
/* recent ≥ 1 full-resolution points, buckets ≥ 2 (even) summary points. */
GsHistory *gs_history_new_sized (int recent, int buckets, GsError *err);
void       gs_history_free      (GsHistory *h);
void       gs_history_clear     (GsHistory *h);

/* Records one update. */
void gs_history_add       (GsHistory *h, float loss, float metric);
/* Records a point that summarises p->n updates (what gs_history_read_since
 * returned elsewhere). Points arrive in order: one that ends before the
 * updates already counted is refused (false); one that straddles them
 * (a bucket gs_history_read_since had to send whole) is kept for the
 * updates not counted yet, with the bucket's statistics; one starting
 * after leaves a gap, which the points' indices show. */
bool gs_history_add_point (GsHistory *h, const GsHistPoint *p);

/* Updates recorded (the index the next one gets). */
long long          gs_history_count    (const GsHistory *h);
/* Points held, oldest first: the buckets, then the recent points. */
int                gs_history_n_points (const GsHistory *h);
const GsHistPoint *gs_history_point    (const GsHistory *h, int i);
/* Updates one bucket spans at most now. */
long long          gs_history_span     (const GsHistory *h);
/* Bytes the history holds (fixed when made). */
size_t             gs_history_bytes    (const GsHistory *h);

/* The points of the updates from `since` on, oldest first, into out: a
 * bucket that holds `since` and older updates too comes whole. When there
 * are more than max points, consecutive ones are merged so that at most
 * max are written. Returns how many were written. A reader that reads
 * again within GS_HISTORY_RECENT updates always gets full resolution. */
int  gs_history_read_since (const GsHistory *h, long long since, GsHistPoint *out, int max);

/* Summary points held (the first gs_history_n_points are buckets). */
int  gs_history_n_buckets (const GsHistory *h);
/* Sets the whole state, as a session file keeps it: n_bucket summary
 * points of span `span`, then the recent ones, count updates in all.
 * Refuses (history unchanged) what this history cannot hold or what does
 * not add up. */
int  gs_history_restore   (GsHistory *h, const GsHistPoint *points, int n_points, int n_bucket,
                           long long span, long long count, GsError *err);

/* Merges b (which follows a) into a. */
void gs_hist_point_merge (GsHistPoint *a, const GsHistPoint *b);

/* The validation curve of a run: the loss and metric on the task's
 * held-out data (gs_task_evaluate), judged every `every` updates — not
 * every update, since a judgement costs many batches. It lives in a fixed
 * array: when GS_VALIDATION_MAX points are held, every other one is
 * dropped and `every` doubles, so a long run keeps an even sampling of its
 * whole length. Copied whole into snapshots (a few KB). */
#define GS_VALIDATION_MAX   256
#define GS_VALIDATION_EVERY 50     /* updates between judgements at the start of a run */

typedef struct {
  long long update;      /* updates done when judged (≥ 1) */
  float     loss;        /* mean loss on the held-out data */
  float     metric;      /* the task's metric there (accuracy, or MSE for regression) */
} GsValPoint;

typedef struct {
  GsValPoint points[GS_VALIDATION_MAX];
  int        n;
  long long  every;      /* updates between judgements now */
} GsValSeries;

/* Empty, judging every `every` (≥ 1) updates. */
void gs_val_series_init (GsValSeries *v, long long every);
/* True when `updates` (the count after an update) is due for a judgement. */
bool gs_val_series_due  (const GsValSeries *v, long long updates);
/* Records a judgement (updates ascending; an older one is ignored). */
void gs_val_series_add  (GsValSeries *v, long long updates, float loss, float metric);
