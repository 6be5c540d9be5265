/* gs-compare.c — several training runs side by side, in lock-step.
 *
 * Dimension letters as in gs-model.h: B batch, T timesteps, H hidden size.
 */
#include "gs-compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-c-numeric.h"
#include "gs-file.h"
#include "gs-i18n.h"

/* ------------------------------------------------------------------------ */
/* Building                                                                 */

static void
run_clear (GsCompareRun *run)
{
  gs_trainer_free (run->trainer);
  free (run->loss);
  free (run->accuracy);
  free (run->flow);
  free (run->flow_count);
  memset (run, 0, sizeof *run);
}

void
gs_compare_free (GsCompare *cmp)
{
  if (cmp == NULL)
    return;
  for (int r = 0; r < cmp->n_runs; r++)
    run_clear (&cmp->runs[r]);
  free (cmp->runs);
  free (cmp);
}

GsCompare *
gs_compare_new (const GsCompareConfig *configs, int n_configs,
                const uint64_t *seeds, int n_seeds, GsError *err)
{
  GsCompare *cmp;

  if (n_configs < 1 || n_configs > GS_COMPARE_MAX_CONFIGS) {
    gs_error_set (err, _("a comparison needs between 1 and %d configurations, not %d"),
                  GS_COMPARE_MAX_CONFIGS, n_configs);
    return NULL;
  }
  if (n_seeds < 1 || n_seeds > GS_COMPARE_MAX_SEEDS) {
    gs_error_set (err, _("a comparison needs between 1 and %d seeds, not %d"),
                  GS_COMPARE_MAX_SEEDS, n_seeds);
    return NULL;
  }
  for (int c = 0; c < n_configs; c++) {
    if (configs[c].label[0] == '\0' || memchr (configs[c].label, '\0', GS_COMPARE_LABEL_MAX) == NULL) {
      gs_error_set (err, _("configuration %d has no name"), c + 1);
      return NULL;
    }
    if (strcmp (configs[c].cfg.task, configs[0].cfg.task) != 0) {
      gs_error_set (err, _("every configuration of a comparison must train on the same task "
                           "(“%s” is not “%s”)"), configs[c].cfg.task, configs[0].cfg.task);
      return NULL;
    }
    for (int k = 0; k < c; k++)
      if (strcmp (configs[k].label, configs[c].label) == 0) {
        gs_error_set (err, _("the configuration “%s” is listed twice"), configs[c].label);
        return NULL;
      }
  }
  for (int s = 0; s < n_seeds; s++)
    for (int k = 0; k < s; k++)
      if (seeds[k] == seeds[s]) {
        gs_error_set (err, _("the seed %llu is listed twice"), (unsigned long long) seeds[s]);
        return NULL;
      }

  cmp = calloc (1, sizeof *cmp);
  if (cmp == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  cmp->n_configs = n_configs;
  memcpy (cmp->configs, configs, sizeof configs[0] * (size_t) n_configs);
  cmp->n_seeds = n_seeds;
  memcpy (cmp->seeds, seeds, sizeof seeds[0] * (size_t) n_seeds);
  cmp->runs = calloc ((size_t) n_configs * (size_t) n_seeds, sizeof *cmp->runs);
  if (cmp->runs == NULL) {
    gs_error_set (err, _("out of memory"));
    free (cmp);
    return NULL;
  }
  cmp->n_runs = n_configs * n_seeds;

  for (int c = 0; c < n_configs; c++)
    for (int s = 0; s < n_seeds; s++) {
      GsCompareRun *run = &cmp->runs[c * n_seeds + s];
      GsTrainConfig cfg = configs[c].cfg;

      cfg.seed = seeds[s];
      run->config = c;
      run->seed = seeds[s];
      gs_val_series_init (&run->validation, GS_VALIDATION_EVERY);
      run->trainer = gs_trainer_new (&cfg, err);
      if (run->trainer == NULL) {
        gs_error_prefix (err, "%s", configs[c].label);
        gs_compare_free (cmp);
        return NULL;
      }
    }
  cmp->has_accuracy = cmp->runs[0].trainer->task.loss == GS_LOSS_CE;
  return cmp;
}

GsCompareRun *
gs_compare_run (const GsCompare *cmp, int config, int seed_index)
{
  if (cmp == NULL || config < 0 || config >= cmp->n_configs || seed_index < 0 || seed_index >= cmp->n_seeds)
    return NULL;
  return &cmp->runs[config * cmp->n_seeds + seed_index];
}

/* ------------------------------------------------------------------------ */
/* Stepping                                                                 */

static int
grow_records (GsCompare *cmp, int need, GsError *err)
{
  int cap = cmp->cap > 0 ? cmp->cap : 256;

  if (need <= cmp->cap)
    return GS_OK;
  while (cap < need)
    cap *= 2;
  for (int r = 0; r < cmp->n_runs; r++) {
    GsCompareRun *run = &cmp->runs[r];
    float *loss = realloc (run->loss, sizeof (float) * (size_t) cap);
    float *acc;

    if (loss == NULL)
      return gs_error_set (err, _("out of memory"));
    run->loss = loss;
    acc = realloc (run->accuracy, sizeof (float) * (size_t) cap);
    if (acc == NULL)
      return gs_error_set (err, _("out of memory"));
    run->accuracy = acc;
  }
  cmp->cap = cap;
  return GS_OK;
}

/* Fraction of the targeted (t, b) of the forward pass in the model whose
 * argmax is the target; NaN for regression tasks or without targets. */
static float
step_accuracy (const GsModel *m)
{
  long hit = 0, total = 0;

  if (m->cfg.loss != GS_LOSS_CE || m->targets == NULL)
    return NAN;
  for (int t = 0; t < m->T; t++)
    for (int b = 0; b < m->B; b++) {
      int target = m->targets[(size_t) t * m->B + b];
      if (target < 0)
        continue;
      total++;
      hit += gs_model_predict (m, t, b) == target;
    }
  return total > 0 ? (float) ((double) hit / (double) total) : NAN;
}

/* Folds this step's ‖dL/dh_t‖ of the top layer into the run's profile:
 *   g_d = (1/B) Σ_b ‖dh[T−1−d, b, :]‖₂
 *   flow_d ← β·flow_d + (1 − β)·g_d   (flow_d = g_d the first time) */
static int
record_flow (GsCompareRun *run, const GsModel *m, GsError *err)
{
  const GsLayerState *S = &m->layer[m->cfg.L - 1];
  int T = m->T, B = m->B, H = m->P;   /* units of h (the projection size, if any) */

  if (S->dh == NULL || T < 1 || B < 1)
    return GS_OK;
  if (T > run->flow_cap) {
    float *flow = realloc (run->flow, sizeof (float) * (size_t) T);
    int *count;

    if (flow == NULL)
      return gs_error_set (err, _("out of memory"));
    run->flow = flow;
    count = realloc (run->flow_count, sizeof (int) * (size_t) T);
    if (count == NULL)
      return gs_error_set (err, _("out of memory"));
    run->flow_count = count;
    for (int d = run->flow_cap; d < T; d++) {
      run->flow[d] = 0.0f;
      run->flow_count[d] = 0;
    }
    run->flow_cap = T;
  }
  for (int d = 0; d < T; d++) {
    int t = T - 1 - d;
    double g = 0.0;

    for (int b = 0; b < B; b++) {
      const float *dh = S->dh + ((size_t) t * B + b) * H;   /* (H) */
      double sq = 0.0;
      for (int u = 0; u < H; u++)
        sq += (double) dh[u] * dh[u];
      g += sqrt (sq);
    }
    g /= B;
    if (!isfinite (g))
      continue;
    if (run->flow_count[d] == 0)
      run->flow[d] = (float) g;
    else
      run->flow[d] = GS_COMPARE_FLOW_BETA * run->flow[d] + (1.0f - GS_COMPARE_FLOW_BETA) * (float) g;
    run->flow_count[d]++;
  }
  if (T > run->flow_T)
    run->flow_T = T;
  return GS_OK;
}

int
gs_compare_step (GsCompare *cmp, GsError *err)
{
  if (grow_records (cmp, cmp->step + 1, err) != GS_OK)
    return GS_FAIL;

  for (int r = 0; r < cmp->n_runs; r++) {
    GsCompareRun *run = &cmp->runs[r];
    GsTrainer *tr = run->trainer;
    GsError step_err = { { 0 } };

    if (run->diverged || tr == NULL)
      continue;
    if (gs_trainer_step (tr, &step_err) != GS_OK) {
      run->diverged = true;
      snprintf (run->message, sizeof run->message, "%s", step_err.msg);
      continue;
    }
    /* The forward pass of this step is still in the model: its loss and
     * predictions are those before the update. */
    run->loss[run->n_steps] = tr->last_loss;
    run->accuracy[run->n_steps] = step_accuracy (tr->model);
    run->n_steps++;
    if (record_flow (run, tr->model, err) != GS_OK)
      return GS_FAIL;
    if (!tr->task.no_held_out && gs_val_series_due (&run->validation, run->n_steps)) {
      GsTaskEval ev;
      if (gs_trainer_evaluate (tr, &ev, NULL) == GS_OK)
        gs_val_series_add (&run->validation, run->n_steps, ev.loss,
                           cmp->has_accuracy ? ev.accuracy : NAN);
    }
  }
  cmp->step++;
  return GS_OK;
}

bool
gs_compare_any_running (const GsCompare *cmp)
{
  for (int r = 0; r < cmp->n_runs; r++)
    if (!cmp->runs[r].diverged)
      return true;
  return false;
}

GsCompare *
gs_compare_copy_records (const GsCompare *cmp, GsError *err)
{
  GsCompare *copy = calloc (1, sizeof *copy);

  if (copy == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  *copy = *cmp;
  copy->runs = calloc ((size_t) cmp->n_runs, sizeof *copy->runs);
  if (copy->runs == NULL) {
    free (copy);
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  for (int r = 0; r < cmp->n_runs; r++) {
    const GsCompareRun *src = &cmp->runs[r];
    GsCompareRun *dst = &copy->runs[r];
    size_t n = (size_t) (cmp->cap > 0 ? cmp->cap : 1);
    size_t f = (size_t) (src->flow_cap > 0 ? src->flow_cap : 1);

    *dst = *src;
    dst->trainer = NULL;
    dst->loss = malloc (sizeof (float) * n);
    dst->accuracy = malloc (sizeof (float) * n);
    dst->flow = malloc (sizeof (float) * f);
    dst->flow_count = malloc (sizeof (int) * f);
    if (!dst->loss || !dst->accuracy || !dst->flow || !dst->flow_count) {
      gs_compare_free (copy);
      gs_error_set (err, _("out of memory"));
      return NULL;
    }
    if (src->n_steps > 0) {
      memcpy (dst->loss, src->loss, sizeof (float) * (size_t) src->n_steps);
      memcpy (dst->accuracy, src->accuracy, sizeof (float) * (size_t) src->n_steps);
    }
    if (src->flow_cap > 0) {
      memcpy (dst->flow, src->flow, sizeof (float) * (size_t) src->flow_cap);
      memcpy (dst->flow_count, src->flow_count, sizeof (int) * (size_t) src->flow_cap);
    }
  }
  return copy;
}

/* ------------------------------------------------------------------------ */
/* Statistics for display                                                   */

void
gs_smooth_ema (float *out, const float *in, int n, float alpha)
{
  double s = 0.0, weight = 0.0;   /* weight = 1 − α^k after k finite values */

  if (!(alpha > 0.0f) || alpha >= 1.0f) {
    if (out != in)
      memmove (out, in, sizeof (float) * (size_t) (n > 0 ? n : 0));
    return;
  }
  for (int i = 0; i < n; i++) {
    /* s_i = α·s_{i−1} + (1 − α)·x_i;  shown: s_i / (1 − α^i) */
    if (!isfinite (in[i])) {
      out[i] = in[i];
      continue;
    }
    s = alpha * s + (1.0 - alpha) * in[i];
    weight = alpha * weight + (1.0 - alpha);
    out[i] = (float) (s / weight);
  }
}

int
gs_compare_aggregate (const GsCompare *cmp, int config, GsMetric metric, float alpha,
                      float *mean, float *min, float *max, int *count, int n)
{
  float *smooth;
  double *sum;
  int *cnt;
  int reached = 0;

  if (cmp == NULL || config < 0 || config >= cmp->n_configs || n <= 0)
    return 0;
  if (n > cmp->step)
    n = cmp->step;
  for (int i = 0; i < n; i++) {
    mean[i] = min[i] = max[i] = NAN;
    if (count)
      count[i] = 0;
  }
  if (n == 0)
    return 0;
  smooth = malloc (sizeof (float) * (size_t) n);
  sum = calloc ((size_t) n, sizeof (double));
  cnt = calloc ((size_t) n, sizeof (int));
  if (!smooth || !sum || !cnt) {
    free (smooth);
    free (sum);
    free (cnt);
    return 0;
  }

  for (int s = 0; s < cmp->n_seeds; s++) {
    const GsCompareRun *run = &cmp->runs[config * cmp->n_seeds + s];
    const float *x = metric == GS_METRIC_ACCURACY ? run->accuracy : run->loss;
    int m = run->n_steps < n ? run->n_steps : n;

    if (m <= 0)
      continue;
    gs_smooth_ema (smooth, x, m, alpha);
    for (int i = 0; i < m; i++) {
      float v = smooth[i];
      if (!isfinite (v))
        continue;
      if (cnt[i] == 0 || v < min[i])
        min[i] = v;
      if (cnt[i] == 0 || v > max[i])
        max[i] = v;
      sum[i] += v;
      cnt[i]++;
    }
    if (m > reached)
      reached = m;
  }
  /* mean_i = (1/n_i) Σ_seeds s_i over the n_i seeds that reached step i */
  for (int i = 0; i < n; i++) {
    if (cnt[i] > 0)
      mean[i] = (float) (sum[i] / cnt[i]);
    if (count)
      count[i] = cnt[i];
  }
  free (smooth);
  free (sum);
  free (cnt);
  return reached;
}

int
gs_compare_validation_mean (const GsCompare *cmp, int config, GsMetric metric, float *step, float *mean, int n)
{
  const GsCompareRun *first = NULL;
  int k = 0;

  for (int r = 0; r < cmp->n_runs && first == NULL; r++)
    if (cmp->runs[r].config == config)
      first = &cmp->runs[r];
  if (first == NULL)
    return 0;
  /* The longest series of the configuration gives the steps. */
  for (int r = 0; r < cmp->n_runs; r++)
    if (cmp->runs[r].config == config && cmp->runs[r].validation.n > first->validation.n)
      first = &cmp->runs[r];
  for (int i = 0; i < first->validation.n && k < n; i++) {
    long long at = first->validation.points[i].update;
    double sum = 0.0;
    int count = 0;

    for (int r = 0; r < cmp->n_runs; r++) {
      const GsCompareRun *run = &cmp->runs[r];
      if (run->config != config)
        continue;
      for (int j = 0; j < run->validation.n; j++)
        if (run->validation.points[j].update == at) {
          float v = metric == GS_METRIC_ACCURACY ? run->validation.points[j].metric : run->validation.points[j].loss;
          if (isfinite (v)) {
            sum += v;
            count++;
          }
          break;
        }
    }
    if (count == 0)
      continue;
    step[k] = (float) at;
    mean[k] = (float) (sum / count);
    k++;
  }
  return k;
}

int
gs_compare_flow_aggregate (const GsCompare *cmp, int config,
                           float *mean, float *min, float *max, int n)
{
  int known = 0;

  if (cmp == NULL || config < 0 || config >= cmp->n_configs || n <= 0)
    return 0;
  for (int d = 0; d < n; d++) {
    double sum = 0.0;
    int cnt = 0;

    mean[d] = min[d] = max[d] = NAN;
    for (int s = 0; s < cmp->n_seeds; s++) {
      const GsCompareRun *run = &cmp->runs[config * cmp->n_seeds + s];
      float v;

      if (d >= run->flow_T || run->flow_count[d] == 0)
        continue;
      v = run->flow[d];
      if (cnt == 0 || v < min[d])
        min[d] = v;
      if (cnt == 0 || v > max[d])
        max[d] = v;
      sum += v;
      cnt++;
    }
    if (cnt > 0) {
      mean[d] = (float) (sum / cnt);
      known = d + 1;
    }
  }
  return known;
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                      */

typedef struct {
  char  *data;
  size_t len, cap;
  bool   failed;
} Buf;

static void
buf_add (Buf *b, const char *s, size_t n)
{
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap > 0 ? b->cap : 4096;
    char *data;
    while (cap < b->len + n + 1)
      cap *= 2;
    data = realloc (b->data, cap);
    if (data == NULL) {
      b->failed = true;
      return;
    }
    b->data = data;
    b->cap = cap;
  }
  memcpy (b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

/* A field as RFC 4180 wants it: quoted when it holds a comma, a quote or a
 * line break, quotes doubled. */
static void
buf_add_field (Buf *b, const char *s)
{
  if (strpbrk (s, ",\"\r\n") == NULL) {
    buf_add (b, s, strlen (s));
    return;
  }
  buf_add (b, "\"", 1);
  for (const char *p = s; *p != '\0'; p++) {
    buf_add (b, p, 1);
    if (*p == '"')
      buf_add (b, "\"", 1);
  }
  buf_add (b, "\"", 1);
}

/* The shortest %g of v (6 to 9 digits) that reads back as the same float. */
static void
buf_add_float (Buf *b, float v)
{
  char s[32];
  int n = 0;

  for (int digits = 6; digits <= 9; digits++) {
    n = snprintf (s, sizeof s, "%.*g", digits, (double) v);
    if (strtof (s, NULL) == v || !isfinite (v))
      break;
  }
  buf_add (b, s, (size_t) n);
}

char *
gs_compare_csv (const GsCompare *cmp, size_t *len, GsError *err)
{
  Buf b = { NULL, 0, 0, false };
  GsCNumeric scope;
  char line[256];
  bool has_validation = false;

  /* Numbers are C-locale ("0.5", never "0,5") whatever the user's locale. */
  gs_c_numeric_begin (&scope);

  for (int r = 0; r < cmp->n_runs; r++)
    has_validation = has_validation || cmp->runs[r].validation.n > 0;
  {
    const char *header = cmp->has_accuracy ? "cell,seed,step,loss,accuracy" : "cell,seed,step,loss";
    buf_add (&b, header, strlen (header));
    if (has_validation) {
      header = cmp->has_accuracy ? ",val_loss,val_accuracy" : ",val_loss";
      buf_add (&b, header, strlen (header));
    }
    buf_add (&b, "\n", 1);
  }
  for (int r = 0; r < cmp->n_runs; r++) {
    const GsCompareRun *run = &cmp->runs[r];
    const char *label = cmp->configs[run->config].label;
    int v = 0;   /* the next validation point of the run */

    for (int i = 0; i < run->n_steps; i++) {
      int n;

      buf_add_field (&b, label);
      n = snprintf (line, sizeof line, ",%llu,%d,", (unsigned long long) run->seed, i + 1);
      buf_add (&b, line, (size_t) n);
      buf_add_float (&b, run->loss[i]);
      if (cmp->has_accuracy) {
        buf_add (&b, ",", 1);
        buf_add_float (&b, run->accuracy[i]);
      }
      /* The held-out judgement made after this step's update, if any;
       * empty fields between judgements. */
      if (has_validation) {
        const GsValPoint *p = NULL;
        while (v < run->validation.n && run->validation.points[v].update < i + 1)
          v++;
        if (v < run->validation.n && run->validation.points[v].update == i + 1)
          p = &run->validation.points[v];
        buf_add (&b, ",", 1);
        if (p != NULL)
          buf_add_float (&b, p->loss);
        if (cmp->has_accuracy) {
          buf_add (&b, ",", 1);
          if (p != NULL)
            buf_add_float (&b, p->metric);
        }
      }
      buf_add (&b, "\n", 1);
    }
  }

  gs_c_numeric_end (&scope);
  if (b.failed) {
    free (b.data);
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  if (len)
    *len = b.len;
  return b.data;
}

int
gs_compare_write_csv (const GsCompare *cmp, const char *path, GsError *err)
{
  size_t len = 0;
  char *csv = gs_compare_csv (cmp, &len, err);
  const void *parts[1];
  int rc;

  if (csv == NULL)
    return GS_FAIL;
  parts[0] = csv;
  rc = gs_file_write_atomic (path, 1, parts, &len, err);
  free (csv);
  return rc;
}
