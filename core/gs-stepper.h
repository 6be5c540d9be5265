/* gs-stepper.h — one training run that a lesson can stop at every timestep.
 *
 * GsTrainer trains; GsStepper walks through the same training one piece at
 * a time, the way a teacher explains it: the forward pass timestep by
 * timestep, the backward pass from the last timestep down to the first,
 * then the update. The window, `gatescope-cli step` and the tests all
 * step through this object, so what the window can do the command line
 * can do, with the same numbers.
 *
 * Every task shape steps:
 *   N→N, N→1   one model; the loss counts the targeted timesteps only
 *              (N→1: the last), the other steps still run.
 *   N→M        (encoder–decoder, GsTask.T_dec > 0) the encoder's T
 *              timesteps, then the decoder's T_dec, which starts from the
 *              encoder's final state (the hand-over); backward runs
 *              through the decoder, hands dL/dh_0 (and dL/dc_0) to the
 *              encoder as its dL/dh_T, then through the encoder.
 *   bidirectional  as gs-model.h describes: the cursor counts the top
 *              layer's forward direction.
 *
 *
 * An encoder–decoder's decoder reads, in training, the target of the step
 * before (teacher forcing). A pass can instead be an evaluation pass
 * (GS_DECODE_GREEDY, gs_stepper_set_decode): the encoder steps as usual,
 * then each decoder step reads the argmax of the decoder's output at the
 * step before (the start symbol first: greedy decoding, the rule the task's
 * judge decodes by, gs_model_feed_prediction), without dropout; it has no
 * backward pass and no update, and → after its last forward step goes on
 * to the next sequence. Training (gs_stepper_train_step) always uses
 * teacher forcing, which is the default.
 *
 * One sequence: (T + T_dec) forward steps, (T_dec + T) backward steps and
 * one update. A step is computed by gs_model_forward_step /
 * gs_model_backward_step, so the values read after any step are the final
 * values of the whole-sequence pass, bit for bit; an undo recomputes the
 * sequence up to the step before (the engine is deterministic, so undoing
 * is exact). A whole training step on a fresh sequence takes the fast path
 * (gs_trainer_train_batch); one on a sequence stepped into is finished
 * with the stepping path.
 *
 * Every update is recorded in the stepper's history (gs-history.h), and
 * every GS_VALIDATION_EVERY updates (the interval doubles as a long run
 * fills the series) the model is judged on the task's held-out data.
 *
 * Errors are returned as GS_FAIL with a translated message in the GsError;
 * a refused command leaves the stepper as it was.
 */
#pragma once

#include <stdbool.h>

#include "gs-error.h"
#include "gs-history.h"
#include "gs-model.h"
#include "gs-train.h"

typedef enum {
  GS_PHASE_IDLE,      /* a fresh sequence: nothing computed yet */
  GS_PHASE_FORWARD,   /* some or all of the forward pass computed */
  GS_PHASE_BACKWARD,  /* forward done; some or all of the backward pass computed */
  GS_PHASE_UPDATED,   /* backward done and the optimizer step applied */
} GsPhase;

/* Which model of an encoder–decoder task a step ran in. */
typedef enum {
  GS_PART_NONE,       /* a task with one model */
  GS_PART_ENCODER,
  GS_PART_DECODER,
} GsPart;

/* How a pass of an encoder–decoder feeds its decoder. */
typedef enum {
  GS_DECODE_TEACHER,  /* training: the target of t − 1 (teacher forcing) */
  GS_DECODE_GREEDY,   /* evaluation: its own prediction of t − 1 (greedy decoding); forward only */
} GsDecode;

const char *gs_phase_name (GsPhase phase);   /* "idle", "forward", "backward", "updated" */
const char *gs_part_name  (GsPart part);     /* NULL, "encoder", "decoder" */
const char *gs_decode_name (GsDecode decode); /* "teacher", "greedy" */
/* GS_OK and *out for "teacher" or "greedy", else GS_FAIL. */
int         gs_decode_from_name (const char *name, GsDecode *out);

/* The epoch a label names, with `completed` updates applied so far: the
 * course's loop (`for epoch in range(N): …; print(f"Epoch [{epoch+1}/N]")`)
 * counts from 1, and its k-th pass runs forward, backward and the update
 * of epoch k. So during a pass (forward or backward) the epoch being run
 * is completed + 1; once updated, the pass just finished is `completed`;
 * idle (before the first pass, or after a reset) the count of completed
 * epochs, 0 at the start. The status line, `gatescope-cli step` and the
 * views' descriptions all name the epoch by this rule. */
long gs_phase_epoch (GsPhase phase, long completed);

typedef struct {
  GsTrainer *trainer;    /* owned: the model (encoder), the decoder, the optimizers, the batch */
  GsPhase    phase;
  int        n_fwd;      /* forward steps done in this sequence: 0 … T + T_dec */
  int        n_bwd;      /* backward steps done in this sequence: 0 … T_dec + T */
  GsDecode   decode;     /* how this sequence's pass feeds the decoder (pairs; else GS_DECODE_TEACHER) */
  GsDecode   next_decode; /* how the passes from the next sequence on will (gs_stepper_set_decode) */
  GsHistory *history;    /* owned: loss and metric of every update */
  /* The held-out loss and metric every validation.every updates
   * (gs_trainer_evaluate), for the validation curve beside the training one. */
  GsValSeries validation;
} GsStepper;

/* A stepper on a fresh run of cfg (gs_trainer_new), at its first sequence. */
GsStepper *gs_stepper_new   (const GsTrainConfig *cfg, GsError *err);
void       gs_stepper_free  (GsStepper *s);
/* A fresh run of cfg: new weights from its seed, epoch 0, history cleared,
 * teacher forcing (GS_DECODE_TEACHER) for every pass until told otherwise.
 * When cfg cannot be built the running one is kept. */
int        gs_stepper_reset (GsStepper *s, const GsTrainConfig *cfg, GsError *err);

/* The shape of one sequence. */
bool gs_stepper_is_pair      (const GsStepper *s);   /* encoder–decoder */
int  gs_stepper_forward_len  (const GsStepper *s);   /* T + T_dec: forward steps per sequence */

/* The step just taken (s->phase says which kind): its part and its
 * timestep in that part's model; GS_PART_NONE and −1 before the first step
 * of a sequence and after its update. */
GsPart  gs_stepper_part       (const GsStepper *s);
int     gs_stepper_t          (const GsStepper *s);
/* The model `part` runs in (the model itself for GS_PART_NONE). */
GsModel *gs_stepper_model     (const GsStepper *s, GsPart part);
/* The model whose loss is the run's: the decoder of a pair, else the model. */
GsModel *gs_stepper_loss_model (const GsStepper *s);
/* Mean loss over the targeted steps computed so far (NaN before any). */
float    gs_stepper_loss      (const GsStepper *s);

bool gs_stepper_forward_done  (const GsStepper *s);
bool gs_stepper_backward_done (const GsStepper *s);

/* One forward timestep: the encoder's (or the model's) next one, then the
 * decoder's, the first of which receives the encoder's final state.
 * Refused once the forward pass is complete or the sequence is updated. */
int  gs_stepper_forward_step  (GsStepper *s, GsError *err);
/* One backward timestep, once the forward pass is complete; the first
 * zeroes the gradients. Through the decoder, then the encoder. Refused
 * before the forward pass is complete and after the backward pass. */
int  gs_stepper_backward_step (GsStepper *s, GsError *err);
/* The update after the whole backward pass (gs_trainer_update): clip,
 * optimizer step, epoch + 1, a history point. Refused when the pass is
 * incomplete or the run diverged (parameters untouched). */
int  gs_stepper_update        (GsStepper *s, GsError *err);
/* The lesson's →: the next sequence after an update, then the next forward
 * step, backward step or the update, whichever comes next. */
int  gs_stepper_step          (GsStepper *s, GsError *err);
/* ←: undoes the last forward or backward step of this sequence by
 * recomputing up to the one before. An update cannot be undone. */
int  gs_stepper_undo          (GsStepper *s, GsError *err);
bool gs_stepper_can_undo      (const GsStepper *s);
/* One whole training step: the rest of a sequence stepped into, with the
 * stepping path; else the current fresh sequence (or, after an update,
 * the next) with the fast path. Ends UPDATED, or on a refused update
 * BACKWARD with the pass complete. */
int  gs_stepper_train_step    (GsStepper *s, GsError *err);
/* Loads the task's next batch: phase IDLE, nothing computed; its pass
 * feeds the decoder as next_decode says. */
void gs_stepper_next_sequence (GsStepper *s);

/* Chooses how the passes of an encoder–decoder feed the decoder: at once
 * when nothing of this sequence is computed yet (phase IDLE), else from
 * the next sequence on. Refused for a task with one model. */
int  gs_stepper_set_decode    (GsStepper *s, GsDecode decode, GsError *err);
/* Whether → goes on to the next sequence: after an update, or once an
 * evaluation (greedy) pass has made its last forward step. */
bool gs_stepper_pass_done     (const GsStepper *s);

/* Interventions (gs-intervene.h) on the run's model; NULL or an empty list
 * removes them. What this sequence had computed is computed again with
 * them, up to the same step (after an update: its whole forward pass), so
 * the values read next are those of the changed network; training from
 * then on trains with them. Refused (the stepper as it was) when the list
 * does not fit the model, and for encoder–decoder tasks. */
int  gs_stepper_set_interventions (GsStepper *s, const GsInterventions *list, GsError *err);
