/* gs-snapshot.h — a consistent copy of what the views draw.
 *
 * The training thread owns its model; the views never read it. After a
 * step the thread copies one sequence's worth of state into a GsSnapshot
 * and hands it to the UI, which draws from it until the next one arrives.
 * Everything a view shows comes from here: gate pre-activations and
 * activations, c and h, the gradients of the backward pass, predictions,
 * the cursors and the loss points that are new since the previous
 * snapshot. A snapshot's size does not depend on how long the run has
 * gone on: the history travels as what changed (gs-history.h).
 *
 * Letters as in gs-model.h; arrays are for one sequence (batch row b).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-embedding.h"
#include "gs-history.h"
#include "gs-intervene.h"
#include "gs-model.h"
#include "gs-stepper.h"   /* GsPhase */
#include "gs-task.h"


/* One layer direction. With a projection h, h0 and dh have P units (their
 * storage has room for H, so P ≤ H never reads past it); c, c0, dc and m
 * have H. */
typedef struct {
  float *pre;   /* (T, G*H) gate pre-activations (peephole terms included) */
  float *act;   /* (T, G*H) gate activations */
  float *hn;    /* (T, H) GRU: W_hn h_{t-1} + b_hn (reset-before: W_hn (r ⊙ h_{t-1}) + b_hn); NULL otherwise */
  float *c;     /* (T, H) LSTM cell state; NULL otherwise */
  float *m;     /* (T, H) LSTM with projection: o ⊙ tanh(c_t) before W_hr; NULL otherwise */
  float *h;     /* (T, P) hidden state */
  float *h0;    /* (P) initial hidden state (the reverse direction's: the state after T−1) */
  float *c0;    /* (H) initial cell state (LSTM) */
  float *dh;    /* (T, P) dL/dh_t (valid for t >= t_bwd) */
  float *dc;    /* (T, H) dL/dc_t (LSTM) */
  float *dpre;  /* (T, G*H) dL/d(gate pre-activation) */
  float *w_ch;  /* (3H) LSTM peephole weights w_ci, w_cf, w_co; NULL without peepholes */
  float *rmask; /* (P) recurrent dropout mask of this sequence (0 or 1/(1−p)); NULL when none */
} GsSnapLayer;

/* History points one snapshot carries at most. */
#define GS_SNAP_HISTORY_MAX 256

/* A shared, read-only copy of a model's parameters, for what is computed
 * beside training from the trained weights (the window's generation
 * panel clones a model from it: gs_param_copy_model). Reference-counted
 * atomically, as GsEmbedding; shared by snapshots while unchanged. */
typedef struct {
  atomic_int refs;
  GsConfig   cfg;
  long       epoch;     /* the updates the model had when the copy was made */
  size_t     n;         /* gs_config_num_params (&cfg) */
  float     *params;    /* (n) in the model's buffer order */
} GsParamCopy;

GsParamCopy *gs_param_copy_ref   (GsParamCopy *p);
void         gs_param_copy_unref (GsParamCopy *p);
/* A new model with these parameters (no sequence loaded). */
GsModel     *gs_param_copy_model (const GsParamCopy *p, GsError *err);

typedef struct {
  GsConfig cfg;
  int      G;
  int      D, P;                      /* directions, units of h (gs-model.h) */
  char     gates[GS_MAX_GATES + 1];  /* "ifgo", "rzn", "h" */
  int      T;
  int      t_fwd, t_bwd;
  GsPhase  phase;
  long     epoch;                     /* updates applied so far */
  float    loss;                      /* mean loss over the computed steps (NaN before any) */

  const GsTask *task;                 /* this snapshot's own copy of the task's shape and labels
                                         (task->vocab (V), task->out_vocab (O), NULL where the task
                                         has none): valid as long as the snapshot, whatever happens
                                         to the trainer it came from */
  int     *tokens;                    /* (T) input tokens (token tasks) */
  float   *xs;                        /* (T, V) dense inputs (dense tasks) */
  float   *ys;                        /* (T, O) regression targets (MSE tasks; zero where
                                         targets[t] < 0), NULL for classification */
  int     *targets;                   /* (T) target class, −1 = none (CE) */
  float   *logits;                    /* (T, O) */
  float   *probs;                     /* (T, O) softmax (CE) */
  GsSnapLayer layer[GS_MAX_LAYERS];
  GsSnapLayer rev[GS_MAX_LAYERS];     /* bidirectional: the reverse direction, same time index */

  /* Encoder–decoder tasks: which model this snapshot shows (its `task`
   * labels are that model's inputs) and the two lengths; GS_PART_NONE, T
   * and 0 otherwise. */
  GsPart   part;
  int      T_enc, T_dec;
  /* How the pass shown feeds the decoder (GS_DECODE_TEACHER otherwise).
   * Greedy: tokens[T_enc + j] is the token decoder step j read — its own
   * prediction of j − 1 — once known (step j − 1 computed), −1 before. */
  GsDecode decode;

  GsInterventions iv;                 /* the interventions the values were computed with (a copy
                                         of the model's list; n = 0: the plain network): the views
                                         mark what they fix (gs_interventions_fixes) */

  GsEmbedding *embedding;             /* a shared reference to emb.weight and its projection
                                         (gs_snapshot_take_embedding), NULL when not taken or
                                         the input is no embedding */
  GsParamCopy *params;                /* a shared reference to the parameters
                                         (gs_snapshot_take_params), NULL when not taken */

  /* The loss history as what changed: the points of the updates since the
   * previous snapshot of the run (fewer, merged points when more than
   * GS_SNAP_HISTORY_MAX updates came in between). */
  GsHistPoint history[GS_SNAP_HISTORY_MAX];
  int         n_history;
  long long   n_updates;              /* updates of the run so far */
  GsValSeries validation;             /* the run's validation curve, whole (gs_snapshot_take_validation) */

  /* owned storage */
  GsTask   task_copy;                 /* what `task` points to; its label arrays below */
  char   **in_labels;                 /* (V) or NULL */
  char   **out_labels;                /* (O) or NULL */
  float   *mem;
  size_t   mem_len;
} GsSnapshot;

GsSnapshot *gs_snapshot_new  (void);
void        gs_snapshot_free (GsSnapshot *s);

/* Copies sequence b of the model (forward values for t < t_fwd, gradients
 * for t >= t_bwd; the rest zero) and the cursors. In a bidirectional model
 * what the first forward step computed whole-sequence (everything but the
 * top forward direction) is copied for every t once t_fwd > 0, and its
 * gradients once t_bwd == 0 (gs-model.h). Reuses the snapshot's
 * storage when the shape is unchanged. */
int  gs_snapshot_take (GsSnapshot *s, const GsModel *m, const GsTask *task, int b,
                       GsPhase phase, long epoch, GsError *err);
/* An encoder–decoder pair as one sequence of T + M timesteps: the
 * encoder's T, then the decoder's M, so the decoder's first step follows
 * the encoder's last (its h_{t−1}, c_{t−1} are the handed-over state). The
 * cursors count the same way (t_fwd: the encoder's steps, then the
 * decoder's; t_bwd: T + the decoder's while backward is in the decoder,
 * then the encoder's); `part` says which model the cursor is in; the input
 * labels are the decoder's (the encoder's tokens are the first of them);
 * the encoder's timesteps have no target and no output. Peephole weights
 * and recurrent-dropout masks are the encoder's. */
int  gs_snapshot_take_pair (GsSnapshot *s, const GsModel *enc, const GsModel *dec, const GsTask *task, int b,
                            GsPhase phase, GsDecode decode, long epoch, GsError *err);
/* Which timesteps of layer k, direction d (0 forward, 1 the reverse
 * direction of a bidirectional layer) s holds, the rule every view draws
 * by: forward values for t < gs_snapshot_values_end, gradients for
 * t >= gs_snapshot_grads_begin. The cursors t_fwd and t_bwd count the top
 * layer's forward direction; in a bidirectional model the rest was
 * computed whole-sequence by the first forward step (the reverse
 * direction running t = T−1 … 0), so its values are all held once
 * t_fwd > 0, and backpropagated whole by the last backward step, so its
 * gradients are held once t_bwd == 0. 0 and T outside the layers and
 * directions there are. */
int  gs_snapshot_values_end  (const GsSnapshot *s, int k, int d);
int  gs_snapshot_grads_begin (const GsSnapshot *s, int k, int d);
/* Whether timestep t has an output of its own to show (not one of the
 * encoder's timesteps of a pair). */
static inline bool
gs_snapshot_has_output (const GsSnapshot *s, int t)
{
  return s->T_dec == 0 || t >= s->T_enc;
}
/* Whether the decoder's input at timestep t (a decoder step of a pair) is
 * what teacher forcing feeds there: the start symbol at its first step,
 * else the target of t − 1 (gs_model_feeds_target). False while not known. */
static inline bool
gs_snapshot_fed_target (const GsSnapshot *s, int t)
{
  if (s->T_dec == 0 || t < s->T_enc || t >= s->T || s->tokens[t] < 0)
    return false;
  return t == s->T_enc || s->tokens[t] == s->targets[t - 1];
}
/* Attaches the model's embedding matrix to s (nothing for one-hot or
 * dense input). `last` is the caller's cache, the embedding it attached
 * before: it is shared, not copied, while the matrix is unchanged, and
 * replaced by a new one when it changed (gs_embedding_update) — unless
 * `refresh` is false, when a cached one of the right shape is shared
 * as it is (a throttle for continuous training). */
int  gs_snapshot_take_embedding (GsSnapshot *s, const GsModel *m, long epoch, bool refresh,
                                 GsEmbedding **last, GsError *err);
/* Attaches a shared copy of the model's parameters to s, as
 * gs_snapshot_take_embedding does the embedding: compared with *last,
 * copied only when they changed (and `refresh`). */
int  gs_snapshot_take_params (GsSnapshot *s, const GsModel *m, long epoch, bool refresh,
                              GsParamCopy **last, GsError *err);
/* The history points of the updates from `since` on (gs_history_read_since),
 * and the run's count of updates. */
void gs_snapshot_take_history (GsSnapshot *s, const GsHistory *h, long long since);
/* The run's validation curve (a copy: it is small). */
void gs_snapshot_take_validation (GsSnapshot *s, const GsValSeries *v);
/* Bytes of values one snapshot of m holds (what every take copies). */
size_t gs_snapshot_bytes (const GsModel *m);
/* Bytes this snapshot holds, its own storage included. */
size_t gs_snapshot_size (const GsSnapshot *s);
/* A deep copy. */
GsSnapshot *gs_snapshot_copy (const GsSnapshot *s, GsError *err);

/* ‖dL/dh_t‖₂ of layer k (its forward direction) at every timestep, into
 * norms (T); 0 where the snapshot holds no gradient (gs_snapshot_grads_begin). */
void gs_snapshot_dh_norms (const GsSnapshot *s, int k, float *norms);
