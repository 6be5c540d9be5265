/* gs-task-sentiment.h — RNN, LSTM and GRU on sentiment where order matters.
 *
 * The project's counterpart of the course's IMDB comparison (SimpleRNN
 * about 85 %, LSTM about 89 %): the `sentiment` task (gs-task-sentiment.c)
 * at a distance where a negation sits up to 16 filler words before its
 * adjective, each cell trained with the same settings and seeds and judged
 * on held-out sentences it never trained on, beside its accuracy on
 * training sentences. `gatescope-cli experiment sentiment` runs it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "gs-train.h"

#define GS_SENTIMENT_TASK  "sentiment:distance=16"
#define GS_SENTIMENT_STEPS 1000
#define GS_SENTIMENT_SEEDS 5

typedef struct {
  GsCell   cell;
  uint64_t seed;
  int      steps;
  float    train_accuracy;     /* on 1,000 sentences of the training split */
  float    held_out_accuracy;  /* on the task's 1,000 held-out sentences */
  bool     diverged;
} GsSentimentRun;

/* The cells compared, in order: the vanilla RNN (tanh), the LSTM, the GRU. */
extern const GsCell gs_sentiment_cells[3];

/* The training configuration of one run of `task` (a sentiment spec, e.g.
 * GS_SENTIMENT_TASK): the task's recipe with this cell and seed. */
void gs_sentiment_config (GsTrainConfig *cfg, const char *task, GsCell cell, uint64_t seed, int steps);
/* Trains one run and judges it on both splits. */
int  gs_sentiment_run    (const char *task, GsCell cell, uint64_t seed, int steps, GsSentimentRun *run,
                          GsError *err);
