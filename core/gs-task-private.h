/* gs-task-private.h — what the task files (gs-task-*.c) share.
 *
 * Letters as in gs-model.h: T timesteps, B batch, V input tokens or
 * features, O outputs.
 */
#pragma once

#include "gs-task.h"

/* The classes, one per task (defined in gs-task-*.c). */
extern const GsTaskClass gs_task_hello;
extern const GsTaskClass gs_task_charlm;
extern const GsTaskClass gs_task_classify;
extern const GsTaskClass gs_task_sentiment;
extern const GsTaskClass gs_task_series;
extern const GsTaskClass gs_task_seq2seq;
extern const GsTaskClass gs_task_adding;
extern const GsTaskClass gs_task_temporal_order;
extern const GsTaskClass gs_task_copy;
extern const GsTaskClass gs_task_reber;
extern const GsTaskClass gs_task_continual_reber;
extern const GsTaskClass gs_task_xor;

/* Scoring helpers for score callbacks (the forward pass is complete). */

/* CE: accuracy = fraction of sequences whose every targeted step is
 * predicted exactly; baseline = 1/O. */
void gs_task_score_sequences (const GsTask *task, const GsModel *m, GsTaskEval *ev);
/* CE: accuracy = fraction of targeted steps predicted exactly. */
void gs_task_score_steps     (const GsTask *task, const GsModel *m, GsTaskEval *ev);
/* MSE: metric = mean squared error; accuracy = fraction of sequences whose
 * every targeted element is within tol; trace of sequence 0, feature 0. */
void gs_task_score_mse       (const GsTask *task, const GsModel *m, float tol, GsTaskEval *ev);

/* Uniform integer in [lo, hi]. */
int  gs_task_rand_range      (GsRng *rng, int lo, int hi);
