/* gs-compare.h — several training runs side by side, in lock-step.
 *
 * "Why LSTM?" answered by showing: one task, several configurations (say
 * rnn_tanh, lstm and gru, or lstm with and without a forget-gate bias), each
 * trained from several seeds. gs_compare_step advances every run by one
 * training step, so all runs are always at the same step.
 *
 * The lock-step guarantee: a run's batches come from its trainer's data
 * stream, which is seeded from the seed alone (gs-train.h), never from the
 * cell or the weights. So the runs of one seed see the same batches in the
 * same order, whatever their configuration; runs of different seeds see
 * different data (except for tasks with a single fixed sequence, like hello).
 *
 * Per run and step the comparison records the loss of the step's forward
 * pass (before its update) and, for cross-entropy tasks, its accuracy: the
 * fraction of targeted (t, b) whose argmax is the target. Per run it keeps a
 * gradient-flow profile: mean over the batch of ‖dL/dh_t‖ of the top layer
 * against the distance back in time d = T−1−t, averaged over recent steps.
 *
 * A run that diverges is marked with its message and stops; the others go
 * on. The comparison itself never touches a screen: the chart (ui/gs-chart.h)
 * draws from it, the CLI and the GUI drive it. gs_compare_copy_records gives a
 * GUI a consistent copy to draw while a worker thread keeps stepping.
 *
 * Dimension letters as in gs-model.h: B batch, T timesteps, H hidden size.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "gs-error.h"
#include "gs-history.h"
#include "gs-train.h"

#define GS_COMPARE_MAX_CONFIGS 16
#define GS_COMPARE_MAX_SEEDS   64
#define GS_COMPARE_LABEL_MAX   64

/* Factor of the gradient-flow moving average:
 * flow_d ← β·flow_d + (1 − β)·‖dL/dh_{T−1−d}‖. */
#define GS_COMPARE_FLOW_BETA 0.9f

typedef enum {
  GS_METRIC_LOSS,
  GS_METRIC_ACCURACY,
} GsMetric;

/* One configuration: what is compared. cfg.seed is ignored (each run has
 * its own); every configuration must name the same task. */
typedef struct {
  char          label[GS_COMPARE_LABEL_MAX];  /* "lstm", "lstm, forget bias 1"; unique */
  GsTrainConfig cfg;
} GsCompareConfig;

typedef struct {
  int         config;       /* index into GsCompare.configs */
  uint64_t    seed;
  GsTrainer  *trainer;      /* owned; NULL in a copy made by gs_compare_copy_records */

  int         n_steps;      /* steps recorded (stops growing when the run diverges) */
  float      *loss;         /* (cap) loss of step s+1's forward pass */
  float      *accuracy;     /* (cap) its accuracy; NaN when the task has none */

  bool        diverged;
  char        message[512]; /* why it stopped, translated */

  /* The run judged on the task's held-out data every validation.every
   * steps (gs_trainer_evaluate): its loss and metric (accuracy for
   * cross-entropy tasks), beside the training batches' records above. */
  GsValSeries validation;

  int         flow_T;       /* distances recorded: d < flow_T */
  float      *flow;         /* (flow_cap) EMA of mean_b ‖dL/dh_{T−1−d}‖ of the top layer */
  int        *flow_count;   /* (flow_cap) steps that contributed to flow[d] */
  int         flow_cap;
} GsCompareRun;

typedef struct {
  int              n_configs;
  GsCompareConfig  configs[GS_COMPARE_MAX_CONFIGS];
  int              n_seeds;
  uint64_t         seeds[GS_COMPARE_MAX_SEEDS];
  int              n_runs;       /* n_configs × n_seeds, config-major */
  GsCompareRun    *runs;         /* (n_runs): run c·n_seeds + s is configuration c, seed s */
  int              step;         /* steps taken by the comparison */
  int              cap;          /* steps the records have room for (grows) */
  bool             has_accuracy; /* the task is a cross-entropy task */
} GsCompare;

/* Builds n_configs × n_seeds trainers. Fails (with a message) when a
 * configuration is invalid, the labels repeat, the tasks differ, or the
 * lists are empty or too long. */
GsCompare *gs_compare_new  (const GsCompareConfig *configs, int n_configs,
                            const uint64_t *seeds, int n_seeds, GsError *err);
void       gs_compare_free (GsCompare *cmp);

/* One training step of every run that has not diverged. A run that
 * diverges is marked and stops; this returns GS_FAIL only when memory
 * runs out. */
int  gs_compare_step (GsCompare *cmp, GsError *err);
/* True while at least one run is still training. */
bool gs_compare_any_running (const GsCompare *cmp);

GsCompareRun *gs_compare_run (const GsCompare *cmp, int config, int seed_index);

/* A copy of the records (labels, losses, accuracies, flows, divergence),
 * without trainers: what a GUI draws while its worker keeps stepping. Free
 * with gs_compare_free. */
GsCompare *gs_compare_copy_records (const GsCompare *cmp, GsError *err);

/* Exponential smoothing for display, TensorBoard's: s_i = α·s_{i−1} +
 * (1 − α)·x_i, debiased by 1 − α^k so the first values are not pulled
 * towards 0. α = 0 copies. Non-finite values are passed through and do not
 * enter the average. out may equal in. */
void gs_smooth_ema (float *out, const float *in, int n, float alpha);

/* Seed statistics of one configuration per step, after smoothing each run
 * with factor alpha: mean, min and max over the seeds that reached the
 * step. Fills steps [0, n) (n ≤ cmp->step) and returns the number of steps
 * any seed reached; steps no seed reached are NaN. count (may be NULL)
 * receives how many seeds each step averages. */
int  gs_compare_aggregate (const GsCompare *cmp, int config, GsMetric metric, float alpha,
                           float *mean, float *min, float *max, int *count, int n);

/* The validation curve of one configuration: at each judged step (every
 * seed of the comparison judges at the same steps) the mean over the seeds
 * that reached it of the held-out loss or accuracy. Writes at most n
 * points (steps counted from 1, as the records) and returns how many. */
int  gs_compare_validation_mean (const GsCompare *cmp, int config, GsMetric metric,
                                 float *step, float *mean, int n);

/* The gradient-flow profile of one configuration, over seeds: mean, min and
 * max of flow[d] for d < n. Returns the number of distances known
 * (the longest flow_T of its runs). */
int  gs_compare_flow_aggregate (const GsCompare *cmp, int config,
                                float *mean, float *min, float *max, int n);

/* The records as CSV, one row per (configuration, seed, step), in that
 * order: "cell,seed,step,loss" (",accuracy" for cross-entropy tasks), then,
 * when any run was judged on held-out data, ",val_loss" (",val_accuracy"):
 * the judgement made after that step's update, empty on the steps between
 * judgements (every validation.every steps). The
 * cell column holds the configuration's label; steps count from 1; numbers
 * are the shortest decimals (6 to 9 digits) that read back as the recorded
 * float32, in the C locale; a diverged
 * run's rows stop at its last finite step. gs_compare_csv returns a
 * malloc'd string; gs_compare_write_csv writes it atomically. */
char *gs_compare_csv       (const GsCompare *cmp, size_t *len, GsError *err);
int   gs_compare_write_csv (const GsCompare *cmp, const char *path, GsError *err);
