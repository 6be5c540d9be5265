/* gs-train.h — one training run: a task, a model, an optimizer, a seed.
 *
 * The CLI and the GUI both train through this: a run is the same run
 * whichever face started it. A step is PyTorch's classic loop body:
 * zero_grad, forward, loss, backward, clip_grad_norm_, optimizer.step.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "gs-error.h"
#include "gs-model.h"
#include "gs-optim.h"
#include "gs-rng.h"
#include "gs-task.h"

#define GS_TRAIN_INIT_MAX 1024

typedef struct {
  char        task[GS_TASK_SPEC_MAX];  /* a task spec: "hello", "adding:length=100" (gs-task.h) */
  GsCell      cell;
  bool        one_hot;      /* --embed 0 */
  int         E, H, L;      /* embedding (ignored when one_hot), hidden, layers */
  int         B;            /* batch */
  GsVariant   variant;      /* cell variants (gs-model.h); all zero = PyTorch's cells */
  GsOptConfig opt;
  float       clip;         /* max gradient norm; 0 = no clipping */
  int         epochs;
  uint64_t    seed;
  char        init[GS_TRAIN_INIT_MAX];  /* a model file to start from (gs-train-init.c); "" = the seed's weights */
} GsTrainConfig;

/* The seed model's settings: embedding 10, 2 layers, hidden 8, Adam, lr
 * 0.05, 15 epochs, seed 0, batch 1, no clipping. */
void gs_train_config_default  (GsTrainConfig *c);
int  gs_train_config_validate (const GsTrainConfig *c, GsError *err);

typedef struct {
  GsTrainConfig cfg;
  GsTask        task;
  GsModel      *model;
  GsOptimizer  *opt;
  GsRng         init_rng;   /* weights */
  GsRng         data_rng;   /* batches */
  GsRng         dropout_rng;  /* dropout masks (the model is in training mode; evaluation is not) */
  /* data_rng and dropout_rng as they were before the current batch was
   * drawn: a session file (gs-session-file.h) draws that batch again. */
  GsRng         batch_data_rng;
  GsRng         batch_dropout_rng;
  int           epoch;      /* epochs completed */
  float         last_loss;  /* loss of the last completed step (before its update) */
  float         last_grad_norm;

  /* Encoder–decoder tasks (task.T_dec > 0): `model` is the encoder and
   * `decoder` starts from its final state; NULL otherwise. */
  GsModel      *decoder;
  GsOptimizer  *dec_opt;
  GsModel      *eval_model;   /* scratch copies for gs_trainer_evaluate, made on first use */
  GsModel      *eval_decoder;

  /* one batch, sized once */
  int           *tokens;    /* (T, B) */
  int           *targets;   /* (T, B) */
  float         *xs;        /* (T, B, V) dense tasks */
  float         *ys;        /* (T, B, O) regression tasks */
  unsigned char *ymask;     /* (T, B) */
  float         *backup;    /* (n_params) parameters before the update, restored if it diverges */
  int           *dec_tokens;   /* (T_dec, B) decoder input (teacher forcing) */
  int           *dec_targets;  /* (T_dec, B) */
  float         *dec_backup;   /* (decoder n_params) */
  float         *state;        /* (2, L, B, H) the encoder's final h and c */
} GsTrainer;

GsTrainer *gs_trainer_new  (const GsTrainConfig *cfg, GsError *err);

/* Runs that start from a model file's weights (gs-train-init.c), whatever
 * gs_model_load_with reads: Gatescope's files, a PyTorch state_dict as
 * safetensors or torch.save's .pt. */

/* Makes cfg the file's model: its cell (with keep_cell, cfg->cell must be
 * the file's, and chooses tanh or ReLU for an RNN file that does not say;
 * without, such a file is tanh), layers,
 * sizes, input and variant (dropout and BPTT stay cfg's where the file has
 * none), with take_task its "task" metadata when it has one, and sets
 * cfg->init to path. warning (warning_size bytes) gets what was assumed,
 * "" when nothing. Messages start with the path. */
int gs_train_config_from_model (GsTrainConfig *cfg, const char *path, bool keep_cell, bool take_task,
                                char *warning, size_t warning_size, GsError *err);
/* Replaces the run's weights with the file's, after checking that the
 * model fits the run's task: vocabulary (when the file names it), sizes,
 * input kind and loss. gs_trainer_new calls it when cfg->init is set. */
int gs_trainer_start_from (GsTrainer *tr, const char *path, GsError *err);
void       gs_trainer_free (GsTrainer *tr);

/* Loads the next batch into the model (cursors rewound), without training:
 * what the stepping views call before stepping by hand. */
void gs_trainer_next_batch (GsTrainer *tr);
/* Loads the batch drawn last into the model (and decoder) again, cursors
 * rewound and the decoder's inputs the batch's (teacher forcing): with
 * `training`, with the dropout masks it was first loaded with (drawn again
 * from batch_dropout_rng); without, as evaluation runs: no dropout. The
 * models stay in training mode for what follows. */
void gs_trainer_reload_batch (GsTrainer *tr, bool training);
/* The update after a full forward and backward: clip, check, optimizer step,
 * epoch + 1. Fails, leaving the parameters untouched, when the loss or a
 * gradient is not finite ("the run diverged"). */
int  gs_trainer_update     (GsTrainer *tr, GsError *err);
/* A training step on the batch loaded now (fresh: nothing stepped into
 * it): zero_grad, forward, backward on the fast path, update. */
int  gs_trainer_train_batch (GsTrainer *tr, GsError *err);
/* One whole training step: the next batch, except on the first step of a
 * run while the first batch is untouched (epoch 0, t_fwd 0), then
 * gs_trainer_train_batch. For loops that only train (the CLI); a caller
 * that also steps uses GsStepper (gs-stepper.h), whose rules are explicit. */
int  gs_trainer_step       (GsTrainer *tr, GsError *err);

/* Judges the current parameters on the task's held-out batch (gs-task.h),
 * on scratch copies: the trainer's model, its batch and its data stream are
 * left as they were, so evaluating does not change the run. */
int  gs_trainer_evaluate   (GsTrainer *tr, GsTaskEval *ev, GsError *err);
/* The same judgement on the training data (gs_task_evaluate_training):
 * beside the held-out score, it shows overfitting. */
int  gs_trainer_evaluate_training (GsTrainer *tr, GsTaskEval *ev, GsError *err);
