/* gs-task.h — what the network is asked to learn.
 *
 * A task fixes the shape of the data (input kind, vocabulary, outputs, loss)
 * and fills batches deterministically from a GsRng. The seed task is
 * `hello`: vocabulary e, h, l, o; input "hello", target "ohlol" — the
 * character-prediction exercise of the PyTorch course our users teach from.
 */
#pragma once

#include <stdbool.h>

#include "gs-error.h"
#include "gs-model.h"
#include "gs-rng.h"

#define GS_TASK_MAX_VOCAB 256

typedef struct {
  const char *name;          /* "hello" */
  const char *title;         /* translatable, for lists: "hello → ohlol" */
  GsInput     input;         /* GS_INPUT_EMBED or GS_INPUT_ONEHOT (from the model's choice) or DENSE */
  GsLoss      loss;
  int         V;             /* input vocabulary / features */
  int         O;             /* outputs */
  int         T;             /* sequence length */
  const char *vocab[GS_TASK_MAX_VOCAB];  /* V token strings (UTF-8) for token tasks */
  const char *out_vocab[GS_TASK_MAX_VOCAB]; /* O output labels for CE tasks */
} GsTask;

int  gs_task_init  (GsTask *task, const char *name, GsError *err);
/* Fills one batch of B sequences: tokens (T, B), targets (T, B) for token/CE
 * tasks; xs (T, B, V), ys (T, B, O), ymask (T, B) for dense/MSE tasks.
 * Deterministic given the RNG state. */
void gs_task_batch (const GsTask *task, GsRng *rng, int B,
                    int *tokens, float *xs, int *targets, float *ys, unsigned char *ymask);
/* Writes the predicted output labels of sequence b at every targeted
 * timestep into buf (UTF-8), e.g. "ohlol". */
void gs_task_decode_prediction (const GsTask *task, const GsModel *m, int b, char *buf, size_t size);
/* True when every targeted step of sequence b is predicted exactly. */
bool gs_task_all_correct (const GsModel *m, int b);
