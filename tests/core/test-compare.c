/* test-compare.c — the comparison of runs (core/gs-compare.h).
 *
 *   lock-step   runs of one seed see the same batches in the same order,
 *               whatever their cell; runs of different seeds do not
 *   records     each run's losses are those of a trainer run on its own,
 *               bit for bit; accuracy is the argmax hit rate
 *   flow        the gradient-flow profile is the batch mean of ‖dL/dh_t‖
 *               of the top layer, averaged over steps with factor β
 *   statistics  mean, min and max over seeds, and the smoothing, equal
 *               values computed by hand
 *   CSV         header, one row per (configuration, seed, step), numbers
 *               that read back to the recorded floats
 *   divergence  a run that diverges stops with its message; the others go on
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs-compare.h"
#include "gs-file.h"
#include "gs-test.h"

static GsCompareConfig
make_config (const char *label, const char *task, GsCell cell, int H, int B)
{
  GsCompareConfig c;

  memset (&c, 0, sizeof c);
  snprintf (c.label, sizeof c.label, "%s", label);
  gs_train_config_default (&c.cfg);
  snprintf (c.cfg.task, sizeof c.cfg.task, "%s", task);
  c.cfg.cell = cell;
  c.cfg.H = H;
  c.cfg.L = 2;
  c.cfg.B = B;
  c.cfg.opt.lr = 0.01f;
  return c;
}

/* Whether two models hold the same batch: every input and target array. */
static bool
same_batch (const GsModel *a, const GsModel *b)
{
  size_t TB = (size_t) a->T * (size_t) a->B;

  if (a->T != b->T || a->B != b->B)
    return false;
  if (a->cfg.input != GS_INPUT_DENSE && memcmp (a->tokens, b->tokens, TB * sizeof (int)) != 0)
    return false;
  if (a->cfg.input == GS_INPUT_DENSE && memcmp (a->xs, b->xs, TB * (size_t) a->cfg.V * sizeof (float)) != 0)
    return false;
  if (a->cfg.loss == GS_LOSS_CE && memcmp (a->targets, b->targets, TB * sizeof (int)) != 0)
    return false;
  if (a->cfg.loss == GS_LOSS_MSE
      && (memcmp (a->ys, b->ys, TB * (size_t) a->cfg.O * sizeof (float)) != 0
          || memcmp (a->ymask, b->ymask, TB) != 0))
    return false;
  return true;
}

static void
test_lockstep (const char *task)
{
  GsCompareConfig cfgs[3] = {
    make_config ("rnn_tanh", task, GS_CELL_RNN_TANH, 6, 4),
    make_config ("lstm", task, GS_CELL_LSTM, 6, 4),
    make_config ("gru", task, GS_CELL_GRU, 6, 4),
  };
  uint64_t seeds[2] = { 3, 11 };
  GsError err = { { 0 } };
  GsCompare *cmp = gs_compare_new (cfgs, 3, seeds, 2, &err);
  int same_across_cells = 0, differ_across_seeds = 0;
  const int steps = 12;

  if (!GS_CHECK (cmp != NULL, "%s: gs_compare_new: %s", task, err.msg))
    return;
  GS_CHECK (cmp->n_runs == 6, "%s: 3 configurations × 2 seeds = 6 runs, got %d", task, cmp->n_runs);
  for (int step = 0; step < steps; step++) {
    GS_CHECK (gs_compare_step (cmp, &err) == GS_OK, "%s: step %d: %s", task, step, err.msg);
    for (int s = 0; s < 2; s++) {
      const GsModel *first = gs_compare_run (cmp, 0, s)->trainer->model;
      for (int c = 1; c < 3; c++)
        same_across_cells += same_batch (first, gs_compare_run (cmp, c, s)->trainer->model);
    }
    differ_across_seeds += !same_batch (gs_compare_run (cmp, 0, 0)->trainer->model,
                                        gs_compare_run (cmp, 0, 1)->trainer->model);
  }
  GS_CHECK (same_across_cells == steps * 2 * 2,
            "%s: runs of one seed see the same batch at every step (%d of %d)",
            task, same_across_cells, steps * 2 * 2);
  GS_CHECK (differ_across_seeds == steps,
            "%s: runs of different seeds see different batches (%d of %d steps)",
            task, differ_across_seeds, steps);
  GS_CHECK (cmp->step == steps, "%s: the comparison counts %d steps", task, cmp->step);
  for (int r = 0; r < cmp->n_runs; r++)
    GS_CHECK (cmp->runs[r].n_steps == steps && cmp->runs[r].trainer->epoch == steps,
              "%s: run %d is at step %d (trainer epoch %d)", task, r, cmp->runs[r].n_steps,
              cmp->runs[r].trainer->epoch);
  gs_compare_free (cmp);
}

/* ‖dL/dh_t‖ of the top layer at d = T−1−t, mean over the batch. */
static void
flow_by_hand (double *g, const GsModel *m)
{
  const GsLayerState *S = &m->layer[m->cfg.L - 1];

  for (int d = 0; d < m->T; d++) {
    int t = m->T - 1 - d;
    g[d] = 0.0;
    for (int b = 0; b < m->B; b++) {
      double sq = 0.0;
      for (int u = 0; u < m->cfg.H; u++) {
        double v = S->dh[((size_t) t * m->B + b) * m->cfg.H + u];
        sq += v * v;
      }
      g[d] += sqrt (sq) / m->B;
    }
  }
}

/* The records equal a trainer stepped on its own; accuracy and the flow
 * profile equal what the model holds after each step. */
static void
test_records (void)
{
  GsCompareConfig cfgs[2] = {
    make_config ("lstm", "xor:length=9", GS_CELL_LSTM, 5, 3),
    make_config ("gru", "xor:length=9", GS_CELL_GRU, 5, 3),
  };
  uint64_t seeds[1] = { 42 };
  GsError err = { { 0 } };
  GsCompare *cmp = gs_compare_new (cfgs, 2, seeds, 1, &err);
  GsTrainConfig solo_cfg = cfgs[1].cfg;
  GsTrainer *solo;
  double g1[64], g2[64];
  int loss_equal = 0, acc_equal = 0;
  const int steps = 6;

  if (!GS_CHECK (cmp != NULL, "records: gs_compare_new: %s", err.msg))
    return;
  GS_CHECK (cmp->has_accuracy, "xor is a cross-entropy task: the comparison has accuracy");
  solo_cfg.seed = 42;
  solo = gs_trainer_new (&solo_cfg, &err);
  if (!GS_CHECK (solo != NULL, "records: trainer: %s", err.msg)) {
    gs_compare_free (cmp);
    return;
  }
  for (int step = 0; step < steps; step++) {
    const GsModel *m;
    long hit = 0, total = 0;

    gs_compare_step (cmp, &err);
    gs_trainer_step (solo, &err);
    m = solo->model;
    loss_equal += memcmp (&gs_compare_run (cmp, 1, 0)->loss[step], &solo->last_loss, sizeof (float)) == 0;
    for (int t = 0; t < m->T; t++)
      for (int b = 0; b < m->B; b++) {
        int target = m->targets[t * m->B + b];
        if (target < 0)
          continue;
        total++;
        hit += gs_model_predict (m, t, b) == target;
      }
    acc_equal += gs_compare_run (cmp, 1, 0)->accuracy[step] == (float) ((double) hit / (double) total);
    if (step == 0)
      flow_by_hand (g1, m);
    if (step == 1)
      flow_by_hand (g2, m);
    if (step == 1) {
      const GsCompareRun *run = gs_compare_run (cmp, 1, 0);
      int ok = 0;
      GS_CHECK (run->flow_T == 9, "the flow profile has T = 9 distances, got %d", run->flow_T);
      /* flow_d = β·g1_d + (1 − β)·g2_d after two steps */
      for (int d = 0; d < 9 && d < run->flow_T; d++) {
        double want = GS_COMPARE_FLOW_BETA * (float) g1[d] + (1.0 - GS_COMPARE_FLOW_BETA) * g2[d];
        ok += fabs (run->flow[d] - want) <= 1e-6 * fabs (want) + 1e-12 && run->flow_count[d] == 2;
      }
      GS_CHECK (ok == 9, "flow after two steps is β·g₁ + (1 − β)·g₂ at every distance (%d of 9)", ok);
      /* xor has no target at the last step, so d = 0 may be 0; d = 1 has one */
      GS_CHECK (g1[1] > 0.0 && run->flow[1] > 0.0f, "the top layer's dL/dh is not zero (%g)", g1[1]);
    }
  }
  GS_CHECK (loss_equal == steps, "the recorded losses are the lone trainer's, bit for bit (%d of %d)",
            loss_equal, steps);
  GS_CHECK (acc_equal == steps, "the recorded accuracy is the argmax hit rate of each step (%d of %d)",
            acc_equal, steps);

  /* A copy of the records holds the same numbers and no trainers. */
  {
    GsCompare *copy = gs_compare_copy_records (cmp, &err);
    if (GS_CHECK (copy != NULL, "copy: %s", err.msg)) {
      bool same = copy->step == cmp->step && copy->n_runs == cmp->n_runs;
      for (int r = 0; same && r < cmp->n_runs; r++)
        same = copy->runs[r].trainer == NULL && copy->runs[r].n_steps == cmp->runs[r].n_steps
               && memcmp (copy->runs[r].loss, cmp->runs[r].loss, sizeof (float) * (size_t) steps) == 0
               && memcmp (copy->runs[r].flow, cmp->runs[r].flow, sizeof (float) * 9) == 0;
      GS_CHECK (same, "the copied records equal the originals");
      /* stepping the original does not touch the copy */
      gs_compare_step (cmp, &err);
      GS_CHECK (copy->step == steps && copy->runs[0].n_steps == steps, "a copy is a snapshot");
      gs_compare_free (copy);
    }
  }
  gs_trainer_free (solo);
  gs_compare_free (cmp);
}

static void
test_statistics (void)
{
  GsCompareConfig cfgs[1] = { make_config ("rnn_tanh", "hello", GS_CELL_RNN_TANH, 4, 1) };
  uint64_t seeds[3] = { 0, 1, 2 };
  GsError err = { { 0 } };
  GsCompare *cmp = gs_compare_new (cfgs, 1, seeds, 3, &err);
  float mean[4], lo[4], hi[4];
  int count[4], n;
  static const float loss[3][4] = {
    { 1.0f, 2.0f, 3.0f, 4.0f },
    { 3.0f, 2.0f, 1.0f, 8.0f },
    { 2.0f, 5.0f, 2.0f, 6.0f },
  };

  if (!GS_CHECK (cmp != NULL, "statistics: %s", err.msg))
    return;
  for (int s = 0; s < 4; s++)
    gs_compare_step (cmp, &err);
  for (int r = 0; r < 3; r++) {
    memcpy (cmp->runs[r].loss, loss[r], sizeof loss[r]);
    cmp->runs[r].n_steps = 4;
  }
  /* seed 2 stopped after 3 steps (as if it diverged) */
  cmp->runs[2].n_steps = 3;

  n = gs_compare_aggregate (cmp, 0, GS_METRIC_LOSS, 0.0f, mean, lo, hi, count, 4);
  GS_CHECK (n == 4, "aggregate covers 4 steps, got %d", n);
  GS_CHECK (mean[0] == 2.0f && lo[0] == 1.0f && hi[0] == 3.0f, "step 1: mean 2, min 1, max 3 (got %g %g %g)",
            mean[0], lo[0], hi[0]);
  GS_CHECK (mean[1] == 3.0f && lo[1] == 2.0f && hi[1] == 5.0f, "step 2: mean 3, min 2, max 5 (got %g %g %g)",
            mean[1], lo[1], hi[1]);
  GS_CHECK (mean[2] == 2.0f && lo[2] == 1.0f && hi[2] == 3.0f, "step 3: mean 2, min 1, max 3 (got %g %g %g)",
            mean[2], lo[2], hi[2]);
  GS_CHECK (mean[3] == 6.0f && lo[3] == 4.0f && hi[3] == 8.0f && count[3] == 2,
            "step 4 averages the two seeds that reached it: mean 6, min 4, max 8 over 2 (got %g %g %g over %d)",
            mean[3], lo[3], hi[3], count[3]);
  GS_CHECK (count[0] == 3 && count[2] == 3, "steps 1 and 3 average 3 seeds");

  /* Smoothing with α = 0.5, debiased: 1, (0.25 + 1)/0.75, (0.625 + 1.5)/0.875. */
  {
    const float x[3] = { 1.0f, 2.0f, 3.0f };
    float y[3];
    gs_smooth_ema (y, x, 3, 0.5f);
    GS_CHECK (fabsf (y[0] - 1.0f) < 1e-6f && fabsf (y[1] - 1.25f / 0.75f) < 1e-6f
              && fabsf (y[2] - 2.125f / 0.875f) < 1e-6f,
              "EMA smoothing (α = 0.5): 1, 1.6667, 2.4286 (got %g %g %g)", y[0], y[1], y[2]);
    gs_smooth_ema (y, x, 3, 0.0f);
    GS_CHECK (y[0] == 1.0f && y[1] == 2.0f && y[2] == 3.0f, "α = 0 copies");
  }
  /* The aggregate of smoothed runs: seed 0 smoothed with α = 0.5 is 1, 5/3, 17/7, …; mean over seeds. */
  {
    float s0[4], s1[4], s2[3];
    gs_smooth_ema (s0, loss[0], 4, 0.5f);
    gs_smooth_ema (s1, loss[1], 4, 0.5f);
    gs_smooth_ema (s2, loss[2], 3, 0.5f);
    gs_compare_aggregate (cmp, 0, GS_METRIC_LOSS, 0.5f, mean, lo, hi, count, 4);
    GS_CHECK (fabsf (mean[1] - (s0[1] + s1[1] + s2[1]) / 3.0f) < 1e-5f
              && fabsf (mean[3] - (s0[3] + s1[3]) / 2.0f) < 1e-5f
              && lo[1] == fminf (s0[1], fminf (s1[1], s2[1])) && hi[1] == fmaxf (s0[1], fmaxf (s1[1], s2[1])),
              "smoothed aggregate is the statistics of the smoothed runs");
  }
  gs_compare_free (cmp);
}

/* Reads the CSV back: header, rows in order, numbers that parse to the
 * recorded floats. */
static void
check_csv (const GsCompare *cmp, const char *path, const char *what)
{
  unsigned char *data = NULL;
  size_t len = 0;
  GsError err = { { 0 } };
  char *line, *save = NULL;
  int rows = 0, exact = 0, want_rows = 0, judged = 0, want_judged = 0;
  bool has_val = false;
  char header[128];

  for (int r = 0; r < cmp->n_runs; r++)
    has_val = has_val || cmp->runs[r].validation.n > 0;
  snprintf (header, sizeof header, "cell,seed,step,loss%s%s%s", cmp->has_accuracy ? ",accuracy" : "",
            has_val ? ",val_loss" : "", has_val && cmp->has_accuracy ? ",val_accuracy" : "");

  if (!GS_CHECK (gs_file_read (path, 1 << 26, &data, &len, &err) == GS_OK, "%s: read: %s", what, err.msg))
    return;
  for (int r = 0; r < cmp->n_runs; r++) {
    want_rows += cmp->runs[r].n_steps;
    for (int v = 0; v < cmp->runs[r].validation.n; v++)
      want_judged += cmp->runs[r].validation.points[v].update <= cmp->runs[r].n_steps;
  }
  line = strtok_r ((char *) data, "\n", &save);
  GS_CHECK (line != NULL && strcmp (line, header) == 0, "%s: header is '%s' (got '%s')", what, header,
            line ? line : "");
  for (int r = 0; r < cmp->n_runs; r++) {
    const GsCompareRun *run = &cmp->runs[r];
    for (int i = 0; i < run->n_steps; i++) {
      char want_prefix[256];
      const char *label = cmp->configs[run->config].label;
      char *rest, *end;
      float loss, acc;
      bool ok;

      line = strtok_r (NULL, "\n", &save);
      if (line == NULL)
        break;
      rows++;
      if (strchr (label, ',') != NULL)
        snprintf (want_prefix, sizeof want_prefix, "\"%s\",%llu,%d,", label, (unsigned long long) run->seed, i + 1);
      else
        snprintf (want_prefix, sizeof want_prefix, "%s,%llu,%d,", label, (unsigned long long) run->seed, i + 1);
      if (strncmp (line, want_prefix, strlen (want_prefix)) != 0)
        continue;
      rest = line + strlen (want_prefix);
      loss = strtof (rest, &end);
      ok = memcmp (&loss, &run->loss[i], sizeof loss) == 0;
      if (cmp->has_accuracy) {
        ok = ok && *end == ',';
        acc = strtof (end + 1, &end);
        ok = ok && memcmp (&acc, &run->accuracy[i], sizeof acc) == 0;
      }
      /* The held-out judgement made after this step, or empty fields. */
      if (has_val) {
        const GsValPoint *p = NULL;
        for (int v = 0; v < run->validation.n; v++)
          if (run->validation.points[v].update == i + 1)
            p = &run->validation.points[v];
        for (int f = 0; f < (cmp->has_accuracy ? 2 : 1) && ok; f++) {
          float want = p == NULL ? 0.0f : f == 0 ? p->loss : p->metric;
          ok = *end == ',';
          end++;
          if (p == NULL) {
            ok = ok && (*end == ',' || *end == '\0');
          } else {
            float got = strtof (end, &end);
            ok = ok && memcmp (&got, &want, sizeof got) == 0;
          }
        }
        judged += ok && p != NULL;
      }
      exact += ok && *end == '\0';
    }
  }
  GS_CHECK (rows == want_rows && strtok_r (NULL, "\n", &save) == NULL,
            "%s: one row per (cell, seed, step): %d rows, expected %d", what, rows, want_rows);
  GS_CHECK (exact == want_rows, "%s: every row names its run and step and reads back to the recorded "
            "numbers exactly (%d of %d)", what, exact, want_rows);
  GS_CHECK (judged == want_judged, "%s: every held-out judgement is on its step's row (%d of %d)", what, judged,
            want_judged);
  free (data);
}

static void
test_csv (const char *dir)
{
  GsCompareConfig cfgs[3] = {
    make_config ("rnn_tanh", "hello", GS_CELL_RNN_TANH, 8, 1),
    make_config ("lstm", "hello", GS_CELL_LSTM, 8, 1),
    make_config ("lstm, hidden 12", "hello", GS_CELL_LSTM, 12, 1),
  };
  uint64_t seeds[3] = { 0, 1, 2 };
  GsError err = { { 0 } };
  GsCompare *cmp;
  char path[4096];

  cmp = gs_compare_new (cfgs, 3, seeds, 3, &err);
  if (!GS_CHECK (cmp != NULL, "csv: %s", err.msg))
    return;
  for (int s = 0; s < 20; s++)
    gs_compare_step (cmp, &err);
  snprintf (path, sizeof path, "%s/c.csv", dir);
  GS_CHECK (gs_compare_write_csv (cmp, path, &err) == GS_OK, "write csv: %s", err.msg);
  check_csv (cmp, path, "hello");
  {
    /* cells × seeds × steps rows, plus the header */
    size_t len;
    char *csv = gs_compare_csv (cmp, &len, &err);
    int lines = 0;
    for (size_t i = 0; csv && i < len; i++)
      lines += csv[i] == '\n';
    GS_CHECK (lines == 1 + 3 * 3 * 20, "hello: %d lines, expected 1 + 3×3×20", lines);
    GS_CHECK (csv && strncmp (csv, "cell,seed,step,loss,accuracy\nrnn_tanh,0,1,", 42) == 0,
              "hello: the CSV starts with the header and rnn_tanh's first step");
    free (csv);
  }
  snprintf (path, sizeof path, "%s/missing/c.csv", dir);
  GS_CHECK (gs_compare_write_csv (cmp, path, &err) == GS_FAIL && err.msg[0] != '\0',
            "writing into a missing directory fails with a message");
  gs_compare_free (cmp);

  /* A regression task: no accuracy column. */
  {
    GsCompareConfig reg[2] = {
      make_config ("rnn_tanh", "adding:length=10", GS_CELL_RNN_TANH, 6, 4),
      make_config ("gru", "adding:length=10", GS_CELL_GRU, 6, 4),
    };
    uint64_t s2[2] = { 5, 6 };
    cmp = gs_compare_new (reg, 2, s2, 2, &err);
    if (GS_CHECK (cmp != NULL, "adding: %s", err.msg)) {
      GS_CHECK (!cmp->has_accuracy, "adding is a regression task: no accuracy");
      for (int s = 0; s < 7; s++)
        gs_compare_step (cmp, &err);
      GS_CHECK (isnan (cmp->runs[0].accuracy[0]), "accuracy of a regression step is NaN");
      snprintf (path, sizeof path, "%s/adding.csv", dir);
      GS_CHECK (gs_compare_write_csv (cmp, path, &err) == GS_OK, "write csv: %s", err.msg);
      check_csv (cmp, path, "adding");
      gs_compare_free (cmp);
    }
  }
}

/* A task with held-out data: the CSV carries the validation curve, on the
 * rows of the steps after which it was judged (every 50 steps). hello has
 * nothing held out: no validation curve, no columns. */
static void
test_csv_validation (const char *dir)
{
  GsCompareConfig cfgs[2] = {
    make_config ("gru", "classify", GS_CELL_GRU, 16, 8),
    make_config ("lstm", "classify", GS_CELL_LSTM, 16, 8),
  };
  uint64_t seeds[2] = { 0, 1 };
  GsError err = { { 0 } };
  GsCompare *cmp;
  char path[4096];

  cmp = gs_compare_new (cfgs, 2, seeds, 2, &err);
  if (!GS_CHECK (cmp != NULL, "classify: %s", err.msg))
    return;
  for (int s = 0; s < 110; s++)
    gs_compare_step (cmp, &err);
  GS_CHECK (cmp->runs[0].validation.n == 2 && cmp->runs[0].validation.points[0].update == 50
            && cmp->runs[0].validation.points[1].update == 100, "judged after steps 50 and 100 (%d judgements)",
            cmp->runs[0].validation.n);
  snprintf (path, sizeof path, "%s/val.csv", dir);
  GS_CHECK (gs_compare_write_csv (cmp, path, &err) == GS_OK, "write csv: %s", err.msg);
  check_csv (cmp, path, "classify");
  {
    size_t len;
    char *csv = gs_compare_csv (cmp, &len, &err);
    const char *row50 = csv ? strstr (csv, "\ngru,0,50,") : NULL;
    const char *row49 = csv ? strstr (csv, "\ngru,0,49,") : NULL;
    GS_CHECK (csv && strncmp (csv, "cell,seed,step,loss,accuracy,val_loss,val_accuracy\n", 51) == 0,
              "classify: the header names the validation columns");
    GS_CHECK (row49 && strstr (row49 + 1, ",,\n") == strchr (row49 + 1, '\n') - 2,
              "step 49 was not judged: its validation fields are empty");
    GS_CHECK (row50 && strstr (row50 + 1, ",,\n") != strchr (row50 + 1, '\n') - 2,
              "step 50 was judged: its validation fields hold numbers");
    free (csv);
  }
  gs_compare_free (cmp);

  {
    GsCompareConfig hello = make_config ("gru", "hello", GS_CELL_GRU, 8, 1);
    uint64_t seed = 0;
    cmp = gs_compare_new (&hello, 1, &seed, 1, &err);
    if (GS_CHECK (cmp != NULL, "hello: %s", err.msg)) {
      char *csv;
      size_t len;
      for (int s = 0; s < 60; s++)
        gs_compare_step (cmp, &err);
      csv = gs_compare_csv (cmp, &len, &err);
      GS_CHECK (cmp->runs[0].validation.n == 0, "hello has nothing held out: no validation curve");
      GS_CHECK (csv && strncmp (csv, "cell,seed,step,loss,accuracy\n", 29) == 0, "hello: no validation columns");
      free (csv);
      gs_compare_free (cmp);
    }
  }
}

static void
test_divergence (void)
{
  GsCompareConfig cfgs[2] = {
    make_config ("rnn_relu", "hello", GS_CELL_RNN_RELU, 64, 1),
    make_config ("gru", "hello", GS_CELL_GRU, 8, 1),
  };
  uint64_t seeds[1] = { 0 };
  GsError err = { { 0 } };
  GsCompare *cmp;
  const GsCompareRun *bad, *good;

  gs_opt_config_default (&cfgs[0].cfg.opt, GS_OPT_SGD);
  cfgs[0].cfg.opt.lr = 1000.0f;
  cmp = gs_compare_new (cfgs, 2, seeds, 1, &err);
  if (!GS_CHECK (cmp != NULL, "divergence: %s", err.msg))
    return;
  for (int s = 0; s < 50; s++)
    GS_CHECK (gs_compare_step (cmp, &err) == GS_OK, "a diverging run does not fail the step");
  bad = gs_compare_run (cmp, 0, 0);
  good = gs_compare_run (cmp, 1, 0);
  GS_CHECK (bad->diverged && strstr (bad->message, "diverged") != NULL,
            "the rnn_relu run at lr 1000 is marked diverged with its message ('%s')", bad->message);
  GS_CHECK (bad->n_steps < 50, "the diverged run stopped (%d steps)", bad->n_steps);
  for (int i = 0; i < bad->n_steps; i++)
    if (!GS_CHECK (isfinite (bad->loss[i]), "a diverged run's records are finite (step %d)", i + 1))
      break;
  GS_CHECK (!good->diverged && good->n_steps == 50, "the gru run went on to 50 steps (%d)", good->n_steps);
  GS_CHECK (gs_compare_any_running (cmp), "one run is still running");
  gs_compare_free (cmp);
}

static void
test_invalid (void)
{
  GsCompareConfig cfgs[2] = {
    make_config ("lstm", "hello", GS_CELL_LSTM, 4, 1),
    make_config ("lstm", "hello", GS_CELL_LSTM, 4, 1),
  };
  uint64_t seeds[2] = { 1, 1 };
  GsError err = { { 0 } };

  GS_CHECK (gs_compare_new (cfgs, 2, seeds, 1, &err) == NULL && strstr (err.msg, "lstm") != NULL,
            "repeated labels are refused ('%s')", err.msg);
  snprintf (cfgs[1].label, sizeof cfgs[1].label, "gru");
  GS_CHECK (gs_compare_new (cfgs, 2, seeds, 2, &err) == NULL && strstr (err.msg, "1") != NULL,
            "repeated seeds are refused ('%s')", err.msg);
  GS_CHECK (gs_compare_new (cfgs, 2, seeds, 0, &err) == NULL, "no seeds is refused ('%s')", err.msg);
  GS_CHECK (gs_compare_new (cfgs, 0, seeds, 1, &err) == NULL, "no configurations is refused ('%s')", err.msg);
  snprintf (cfgs[1].cfg.task, sizeof cfgs[1].cfg.task, "xor");
  GS_CHECK (gs_compare_new (cfgs, 2, seeds, 1, &err) == NULL && strstr (err.msg, "xor") != NULL,
            "different tasks are refused ('%s')", err.msg);
  snprintf (cfgs[1].cfg.task, sizeof cfgs[1].cfg.task, "hello");
  cfgs[1].cfg.H = 0;
  GS_CHECK (gs_compare_new (cfgs, 2, seeds, 1, &err) == NULL && strstr (err.msg, "gru") != NULL,
            "an invalid configuration is refused, naming it ('%s')", err.msg);
}

/* Every run is judged on the held-out data every GS_VALIDATION_EVERY
 * steps; a configuration's validation curve is the mean over its seeds. */
static void
test_validation (void)
{
  GsCompareConfig cfgs[2] = {
    make_config ("rnn_tanh", "xor:length=9", GS_CELL_RNN_TANH, 6, 4),
    make_config ("lstm", "xor:length=9", GS_CELL_LSTM, 6, 4),
  };
  uint64_t seeds[2] = { 3, 11 };
  GsError err = { { 0 } };
  GsCompare *cmp = gs_compare_new (cfgs, 2, seeds, 2, &err), *copy;
  float at[8], mean[8];
  int n;

  if (!GS_CHECK (cmp != NULL, "validation: gs_compare_new: %s", err.msg))
    return;
  for (int step = 0; step < 2 * GS_VALIDATION_EVERY; step++)
    GS_CHECK (gs_compare_step (cmp, &err) == GS_OK, "validation: step %d: %s", step, err.msg);
  for (int r = 0; r < cmp->n_runs; r++) {
    GsTaskEval ev;
    const GsCompareRun *run = &cmp->runs[r];
    GS_CHECK (gs_trainer_evaluate (run->trainer, &ev, &err) == GS_OK, "evaluate: %s", err.msg);
    GS_CHECK (run->validation.n == 2 && run->validation.points[1].update == 2 * GS_VALIDATION_EVERY
              && run->validation.points[1].loss == ev.loss && run->validation.points[1].metric == ev.accuracy,
              "run %d: judged at steps 50 and 100, the last equal to gs_trainer_evaluate now (%g, %g)", r,
              (double) run->validation.points[1].loss, (double) ev.loss);
  }
  copy = gs_compare_copy_records (cmp, &err);
  n = copy != NULL ? gs_compare_validation_mean (copy, 1, GS_METRIC_ACCURACY, at, mean, 8) : 0;
  GS_CHECK (n == 2 && at[0] == GS_VALIDATION_EVERY
            && fabsf (mean[1] - 0.5f * (cmp->runs[2].validation.points[1].metric
                                        + cmp->runs[3].validation.points[1].metric)) < 1e-6f,
            "the copy's validation curve of lstm: the mean of its two seeds (%d points)", n);
  gs_compare_free (copy);
  gs_compare_free (cmp);
}

int
main (void)
{
  char dir[] = "/tmp/gs-test-compare.XXXXXX";

  if (mkdtemp (dir) == NULL) {
    perror ("mkdtemp");
    return 1;
  }
  test_lockstep ("xor:length=9");
  test_lockstep ("adding:length=10");
  test_records ();
  test_statistics ();
  test_csv (dir);
  test_csv_validation (dir);
  test_divergence ();
  test_invalid ();
  test_validation ();

  {
    char cmd[256];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system (cmd) != 0)
      fprintf (stderr, "could not remove %s\n", dir);
  }
  return gs_test_finish ("compare");
}
