/* gs-task-experiment.h — the classic comparisons, reproduced with seeds.
 *
 * An experiment trains an LSTM and a vanilla RNN (tanh) on one task with
 * the published settings, over several seeds, and judges each run on the
 * task's held-out batch: on the adding problem at T = 100 the LSTM solves
 * it while the RNN stays near the constant-output baseline; on the
 * temporal order problem the LSTM solves it and the RNN stays at chance.
 * The CLI (`gatescope-cli experiment NAME`) and the GUI run the same code.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "gs-train.h"

#define GS_EXPERIMENT_CELLS 2

typedef struct {
  const char *name;         /* "adding" */
  const char *title;        /* translatable */
  const char *claim;        /* translatable: what the runs should show */
  const char *reference;    /* translatable: the published numbers */
  const char *task;         /* task spec: "adding:length=100" */
  GsCell      cells[GS_EXPERIMENT_CELLS];   /* LSTM, then the vanilla RNN */
  bool        one_hot;
  int         E, H, L, B;
  float       lr;           /* Adam */
  float       clip;
  float       forget_bias;  /* LSTM: b_if starts at this, b_hf at 0 (Gers et al. 2000; Jozefowicz et al. 2015);
                               0 = PyTorch's init */
  int         steps;        /* budget per run */
  int         quick_steps;  /* --quick (tests) */
  int         seeds;        /* default number of seeds (0 … seeds − 1) */
  int         eval_every;   /* judge every N steps (to report when a run first solved it) */
} GsExperiment;

typedef struct {
  GsCell     cell;
  uint64_t   seed;
  int        steps;         /* training steps done */
  int        solved_at;     /* steps at the first evaluation that counted as solved; 0 = none */
  GsTaskEval ev;            /* the evaluation after the last step */
  bool       diverged;      /* stopped early by a diverging update (ev is the last good one) */
} GsExperimentRun;

const GsExperiment *gs_experiments      (int *n_out);
const GsExperiment *gs_experiment_find  (const char *name);
/* The training configuration of one run. */
void gs_experiment_config (const GsExperiment *e, GsCell cell, uint64_t seed, int steps, GsTrainConfig *cfg);
/* Trains one run of `steps` steps (0 = the experiment's budget), judging
 * it every eval_every steps and after the last; stops early only when
 * *cancel becomes true (cancel may be NULL) or an update diverges. */
int  gs_experiment_run (const GsExperiment *e, GsCell cell, uint64_t seed, int steps,
                        volatile bool *cancel, GsExperimentRun *run, GsError *err);

/* Called in the training thread after every step of a run: `run` holds the
 * evaluation so far (fresh when run->steps == step; run->steps == 0 before
 * the first), `loss` the step's training loss. */
typedef void (*GsExperimentProgress) (const GsExperimentRun *run, int step, float loss, void *data);

/* gs_experiment_run, reporting every step to `progress` (may be NULL). */
int  gs_experiment_run_full (const GsExperiment *e, GsCell cell, uint64_t seed, int steps,
                             volatile bool *cancel, GsExperimentProgress progress, void *data,
                             GsExperimentRun *run, GsError *err);

/* ── "LSTM: A Search Space Odyssey" (Greff et al. 2017), scaled down ──
 *
 * Their vanilla LSTM (peepholes, every gate, tanh on g and on c) and the
 * eight variants that each change one thing: NIG, NFG, NOG, NIAF, NOAF,
 * NP, CIFG, FGR. gs_odyssey () is the experiment's settings (the adding
 * problem; cells[] is unused); each variant is trained over seeds with
 * gs_experiment_run_variant. Their finding, over speech, handwriting and
 * music: removing the forget gate or the output activation function hurts
 * most, coupling the gates or dropping the peepholes costs little. */
#define GS_ODYSSEY_VARIANTS 9

typedef struct {
  const char *name;         /* the paper's abbreviation: "V", "NIG", … */
  const char *title;        /* translatable: what changes */
  GsVariant   variant;      /* on an LSTM */
} GsOdysseyVariant;

const GsExperiment     *gs_odyssey          (void);
const GsOdysseyVariant *gs_odyssey_variants (int *n_out);
/* gs_experiment_run_full with an LSTM of this variant. */
int  gs_experiment_run_variant (const GsExperiment *e, const GsVariant *variant, uint64_t seed, int steps,
                                volatile bool *cancel, GsExperimentProgress progress, void *data,
                                GsExperimentRun *run, GsError *err);
