/* gs-stepper.c — a training run walked through one timestep at a time.
 *
 * Letters as in gs-model.h: T the encoder's (or the model's) timesteps,
 * M the decoder's (GsTask.T_dec), B batch, L layers, H hidden, P units of h.
 */
#include "gs-stepper.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-intervene.h"

const char *
gs_phase_name (GsPhase phase)
{
  switch (phase) {
  case GS_PHASE_FORWARD:  return "forward";
  case GS_PHASE_BACKWARD: return "backward";
  case GS_PHASE_UPDATED:  return "updated";
  case GS_PHASE_IDLE:
  default:                return "idle";
  }
}

const char *
gs_part_name (GsPart part)
{
  switch (part) {
  case GS_PART_ENCODER: return "encoder";
  case GS_PART_DECODER: return "decoder";
  case GS_PART_NONE:
  default:              return NULL;
  }
}

const char *
gs_decode_name (GsDecode decode)
{
  return decode == GS_DECODE_GREEDY ? "greedy" : "teacher";
}

int
gs_decode_from_name (const char *name, GsDecode *out)
{
  for (GsDecode d = GS_DECODE_TEACHER; d <= GS_DECODE_GREEDY; d++)
    if (name != NULL && strcmp (name, gs_decode_name (d)) == 0) {
      *out = d;
      return GS_OK;
    }
  return GS_FAIL;
}

long
gs_phase_epoch (GsPhase phase, long completed)
{
  return phase == GS_PHASE_FORWARD || phase == GS_PHASE_BACKWARD ? completed + 1 : completed;
}

GsStepper *
gs_stepper_new (const GsTrainConfig *cfg, GsError *err)
{
  GsStepper *s = calloc (1, sizeof *s);

  if (s == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  s->history = gs_history_new (err);
  if (s->history == NULL || (s->trainer = gs_trainer_new (cfg, err)) == NULL) {
    gs_stepper_free (s);
    return NULL;
  }
  gs_val_series_init (&s->validation, GS_VALIDATION_EVERY);
  s->phase = GS_PHASE_IDLE;
  return s;
}

void
gs_stepper_free (GsStepper *s)
{
  if (s == NULL)
    return;
  gs_trainer_free (s->trainer);
  gs_history_free (s->history);
  free (s);
}

int
gs_stepper_reset (GsStepper *s, const GsTrainConfig *cfg, GsError *err)
{
  GsTrainer *tr = gs_trainer_new (cfg, err);

  if (tr == NULL)
    return GS_FAIL;
  gs_trainer_free (s->trainer);
  s->trainer = tr;
  s->phase = GS_PHASE_IDLE;
  s->n_fwd = s->n_bwd = 0;
  /* a new run starts by teacher forcing (gs_trainer_new loaded it so) */
  s->decode = s->next_decode = GS_DECODE_TEACHER;
  gs_history_clear (s->history);
  gs_val_series_init (&s->validation, GS_VALIDATION_EVERY);
  return GS_OK;
}

bool
gs_stepper_is_pair (const GsStepper *s)
{
  return s->trainer->decoder != NULL;
}

/* T of the encoder (or the model). */
static int
enc_len (const GsStepper *s)
{
  return s->trainer->model->T;
}

/* M of the decoder, 0 without one. */
static int
dec_len (const GsStepper *s)
{
  return s->trainer->decoder ? s->trainer->decoder->T : 0;
}

int
gs_stepper_forward_len (const GsStepper *s)
{
  return enc_len (s) + dec_len (s);
}

bool
gs_stepper_forward_done (const GsStepper *s)
{
  return s->n_fwd == gs_stepper_forward_len (s);
}

bool
gs_stepper_backward_done (const GsStepper *s)
{
  return s->n_bwd == gs_stepper_forward_len (s);
}

GsPart
gs_stepper_part (const GsStepper *s)
{
  const bool pair = gs_stepper_is_pair (s);

  if (!pair || s->phase == GS_PHASE_IDLE || s->phase == GS_PHASE_UPDATED)
    return GS_PART_NONE;
  if (s->phase == GS_PHASE_FORWARD)
    return s->n_fwd <= enc_len (s) ? GS_PART_ENCODER : GS_PART_DECODER;
  return s->n_bwd <= dec_len (s) ? GS_PART_DECODER : GS_PART_ENCODER;
}

int
gs_stepper_t (const GsStepper *s)
{
  const int T = enc_len (s), M = dec_len (s);

  switch (s->phase) {
  case GS_PHASE_FORWARD:
    /* steps 0 … T−1 the encoder's, then the decoder's */
    return s->n_fwd <= T ? s->n_fwd - 1 : s->n_fwd - 1 - T;
  case GS_PHASE_BACKWARD:
    /* the decoder's M−1 … 0, then the encoder's T−1 … 0 */
    if (M > 0 && s->n_bwd <= M)
      return M - s->n_bwd;
    return T - (s->n_bwd - M);
  case GS_PHASE_IDLE:
  case GS_PHASE_UPDATED:
  default:
    return -1;
  }
}

GsModel *
gs_stepper_model (const GsStepper *s, GsPart part)
{
  return part == GS_PART_DECODER && s->trainer->decoder ? s->trainer->decoder : s->trainer->model;
}

GsModel *
gs_stepper_loss_model (const GsStepper *s)
{
  return s->trainer->decoder ? s->trainer->decoder : s->trainer->model;
}

float
gs_stepper_loss (const GsStepper *s)
{
  return gs_model_loss (gs_stepper_loss_model (s));
}

/* The current batch loaded again for a pass that feeds the decoder as
 * `decode` says: an evaluation pass runs without dropout (the random
 * streams end where they were either way, gs_trainer_reload_batch). */
static void
load_pass (GsStepper *s, GsDecode decode)
{
  if (decode != s->decode)
    gs_trainer_reload_batch (s->trainer, decode == GS_DECODE_TEACHER);
  s->decode = decode;
}

void
gs_stepper_next_sequence (GsStepper *s)
{
  gs_trainer_next_batch (s->trainer);
  s->decode = GS_DECODE_TEACHER;   /* as gs_trainer_next_batch loads it */
  load_pass (s, s->next_decode);
  s->phase = GS_PHASE_IDLE;
  s->n_fwd = s->n_bwd = 0;
}

int
gs_stepper_set_decode (GsStepper *s, GsDecode decode, GsError *err)
{
  if (decode != GS_DECODE_TEACHER && !gs_stepper_is_pair (s))
    return gs_error_set (err, _("task %s has one model: greedy decoding applies to tasks with an encoder and a decoder"),
                         s->trainer->task.spec);
  s->next_decode = decode;
  if (s->phase == GS_PHASE_IDLE)
    load_pass (s, decode);
  return GS_OK;
}

bool
gs_stepper_pass_done (const GsStepper *s)
{
  return s->phase == GS_PHASE_UPDATED || (s->decode == GS_DECODE_GREEDY && gs_stepper_forward_done (s));
}

/* The decoder starts from the encoder's final state: h_n (and c_n) of
 * every layer become its h_0 (and c_0). */
static void
hand_over_state (GsStepper *s)
{
  GsTrainer *tr = s->trainer;
  const size_t LBH = (size_t) tr->model->cfg.L * tr->model->B * tr->model->cfg.H;

  gs_model_final_state (tr->model, tr->state, tr->state + LBH);
  gs_model_set_initial_state (tr->decoder, tr->state, tr->state + LBH);
}

/* The decoder's dL/dh_0 (and dL/dc_0), left in its carries by its last
 * backward step, become the encoder's dL/dh_T: the encoder's backward pass
 * starts from them (gs_model_backward_step adds the carry to dL/dh_t). */
static void
hand_over_gradient (GsStepper *s)
{
  GsModel *enc = s->trainer->model, *dec = s->trainer->decoder;
  const size_t BP = (size_t) enc->B * enc->P, BH = (size_t) enc->B * enc->cfg.H;

  for (int k = 0; k < enc->cfg.L; k++) {
    memcpy (enc->layer[k].dh_next, dec->layer[k].dh_next, sizeof (float) * BP);
    if (enc->layer[k].dc_next && dec->layer[k].dc_next)
      memcpy (enc->layer[k].dc_next, dec->layer[k].dc_next, sizeof (float) * BH);
  }
}

static int
refuse_finished (GsError *err)
{
  return gs_error_set (err, _("this sequence has been trained on already: go on to the next sequence"));
}

static int
refuse_greedy (GsError *err)
{
  return gs_error_set (err, _("this pass decodes greedily, as evaluation does: it has no backward pass and no update"));
}

int
gs_stepper_forward_step (GsStepper *s, GsError *err)
{
  GsTrainer *tr = s->trainer;
  const int T = enc_len (s);

  if (s->phase == GS_PHASE_UPDATED)
    return refuse_finished (err);
  if (s->decode == GS_DECODE_GREEDY && gs_stepper_forward_done (s))
    return gs_error_set (err, _("this evaluation pass is complete: go on to the next sequence"));
  if (s->n_bwd > 0 || gs_stepper_forward_done (s))
    return gs_error_set (err, _("the forward pass is complete: the backward pass comes next"));
  if (tr->decoder == NULL || s->n_fwd < T) {
    gs_model_forward_step (tr->model);
  } else {
    if (s->n_fwd == T)
      hand_over_state (s);
    gs_model_forward_step (tr->decoder);
    /* Greedy: the next step's input is this step's prediction, known now. */
    if (s->decode == GS_DECODE_GREEDY && tr->decoder->t_fwd < tr->decoder->T)
      gs_model_feed_prediction (tr->decoder, tr->decoder->t_fwd);
  }
  s->n_fwd++;
  s->phase = GS_PHASE_FORWARD;
  return GS_OK;
}

int
gs_stepper_backward_step (GsStepper *s, GsError *err)
{
  GsTrainer *tr = s->trainer;
  const int M = dec_len (s);

  if (s->phase == GS_PHASE_UPDATED)
    return refuse_finished (err);
  if (s->decode == GS_DECODE_GREEDY)
    return refuse_greedy (err);
  if (!gs_stepper_forward_done (s))
    return gs_error_set (err, _("the backward pass needs the whole forward pass: %d of %d forward steps are done"),
                         s->n_fwd, gs_stepper_forward_len (s));
  if (gs_stepper_backward_done (s))
    return gs_error_set (err, _("the backward pass is complete: the update comes next"));
  if (s->n_bwd == 0) {
    /* zero_grad, and the carries of a pass stepped before cleared */
    gs_model_zero_grad (tr->model);
    gs_model_rewind_backward (tr->model);
    if (tr->decoder) {
      gs_model_zero_grad (tr->decoder);
      gs_model_rewind_backward (tr->decoder);
    }
  }
  if (tr->decoder == NULL) {
    gs_model_backward_step (tr->model);
  } else if (s->n_bwd < M) {
    gs_model_backward_step (tr->decoder);
  } else {
    if (s->n_bwd == M)
      hand_over_gradient (s);
    gs_model_backward_step (tr->model);
  }
  s->n_bwd++;
  s->phase = GS_PHASE_BACKWARD;
  return GS_OK;
}

/* The fraction of targeted steps of the batch whose most probable class is
 * the target (classification tasks; NaN for regression). */
static float
batch_accuracy (const GsModel *m)
{
  long right = 0, n = 0;

  if (m->cfg.loss != GS_LOSS_CE || m->targets == NULL)
    return NAN;
  for (int t = 0; t < m->T; t++)
    for (int b = 0; b < m->B; b++) {
      int y = m->targets[(size_t) t * m->B + b];
      if (y < 0)
        continue;
      n++;
      right += gs_model_predict (m, t, b) == y;
    }
  return n > 0 ? (float) right / (float) n : NAN;
}

/* After a successful update: the history point, a validation point when
 * one is due (a judgement that fails leaves a gap), the phase. */
static void
updated (GsStepper *s)
{
  long long updates;

  gs_history_add (s->history, s->trainer->last_loss, batch_accuracy (gs_stepper_loss_model (s)));
  updates = gs_history_count (s->history);
  if (!s->trainer->task.no_held_out && gs_val_series_due (&s->validation, updates)) {
    GsTaskEval ev;
    if (gs_trainer_evaluate (s->trainer, &ev, NULL) == GS_OK)
      gs_val_series_add (&s->validation, updates, ev.loss, ev.metric);
  }
  s->phase = GS_PHASE_UPDATED;
}

int
gs_stepper_update (GsStepper *s, GsError *err)
{
  if (s->phase == GS_PHASE_UPDATED)
    return refuse_finished (err);
  if (s->decode == GS_DECODE_GREEDY)
    return refuse_greedy (err);
  if (!gs_stepper_backward_done (s))
    return gs_error_set (err, _("the update needs a complete forward and backward pass"));
  if (gs_trainer_update (s->trainer, err) != GS_OK)
    return GS_FAIL;
  updated (s);
  return GS_OK;
}

int
gs_stepper_step (GsStepper *s, GsError *err)
{
  if (gs_stepper_pass_done (s))
    gs_stepper_next_sequence (s);
  if (!gs_stepper_forward_done (s))
    return gs_stepper_forward_step (s, err);
  if (!gs_stepper_backward_done (s))
    return gs_stepper_backward_step (s, err);
  return gs_stepper_update (s, err);
}

bool
gs_stepper_can_undo (const GsStepper *s)
{
  return s->phase == GS_PHASE_FORWARD || s->phase == GS_PHASE_BACKWARD;
}

int
gs_stepper_undo (GsStepper *s, GsError *err)
{
  GsTrainer *tr = s->trainer;
  int target;

  if (s->phase == GS_PHASE_UPDATED)
    return gs_error_set (err, _("an update cannot be undone"));
  if (s->n_bwd > 0) {
    /* The forward pass stays; the backward pass is stepped again from its
     * start (the first step zeroes the gradients) up to the one before. */
    target = s->n_bwd - 1;
    s->n_bwd = 0;
    s->phase = GS_PHASE_FORWARD;
    for (int i = 0; i < target; i++)
      gs_stepper_backward_step (s, err);
    return GS_OK;
  }
  if (s->n_fwd > 0) {
    target = s->n_fwd - 1;
    gs_model_rewind (tr->model);
    if (tr->decoder)
      gs_model_rewind (tr->decoder);
    s->n_fwd = 0;
    s->phase = GS_PHASE_IDLE;
    for (int i = 0; i < target; i++)
      gs_stepper_forward_step (s, err);
    return GS_OK;
  }
  return gs_error_set (err, _("nothing to undo: this sequence has not been stepped into"));
}

int
gs_stepper_train_step (GsStepper *s, GsError *err)
{
  const int n = gs_stepper_forward_len (s);

  /* An evaluation pass begun is left for the next sequence. */
  if (s->decode == GS_DECODE_GREEDY && s->phase != GS_PHASE_IDLE)
    gs_stepper_next_sequence (s);
  if (s->phase == GS_PHASE_FORWARD || s->phase == GS_PHASE_BACKWARD) {
    /* Finish what the lesson started, on the stepping path. */
    while (s->n_fwd < n)
      gs_stepper_forward_step (s, err);
    while (s->n_bwd < n)
      gs_stepper_backward_step (s, err);
    return gs_stepper_update (s, err);
  }
  if (s->phase == GS_PHASE_UPDATED)
    gs_stepper_next_sequence (s);
  /* Training feeds the decoder by teacher forcing: a fresh sequence loaded
   * for an evaluation pass is loaded for training instead. */
  load_pass (s, GS_DECODE_TEACHER);
  s->n_fwd = s->n_bwd = n;
  s->phase = GS_PHASE_BACKWARD;   /* computed; stays so when the update is refused */
  if (gs_trainer_train_batch (s->trainer, err) != GS_OK)
    return GS_FAIL;
  updated (s);
  return GS_OK;
}

int
gs_stepper_set_interventions (GsStepper *s, const GsInterventions *list, GsError *err)
{
  GsModel *m = s->trainer->model;
  const int n_fwd = s->n_fwd, n_bwd = s->n_bwd;

  if (gs_stepper_is_pair (s) && list != NULL && list->n > 0)
    return gs_error_set (err, _("task %s has an encoder and a decoder: interventions apply to tasks with one model"),
                         s->trainer->task.spec);
  /* validates first: a refused list leaves the model as it was */
  if (gs_model_set_interventions (m, list, err) != GS_OK)
    return GS_FAIL;
  /* The model was rewound: compute again what this sequence had. */
  if (s->phase == GS_PHASE_UPDATED) {
    gs_model_forward (m);
    return GS_OK;
  }
  s->n_fwd = s->n_bwd = 0;
  s->phase = GS_PHASE_IDLE;
  for (int i = 0; i < n_fwd; i++)
    gs_stepper_forward_step (s, err);
  for (int i = 0; i < n_bwd; i++)
    gs_stepper_backward_step (s, err);
  return GS_OK;
}
