/* gs-train.c — PyTorch's training-loop body, for the CLI and the GUI alike. */
#include "gs-train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-mem.h"

void
gs_train_config_default (GsTrainConfig *c)
{
  memset (c, 0, sizeof *c);
  strcpy (c->task, "hello");
  c->cell = GS_CELL_RNN_TANH;   /* the seed model is nn.RNN */
  c->one_hot = false;
  c->E = 10;
  c->H = 8;
  c->L = 2;
  c->B = 1;
  gs_opt_config_default (&c->opt, GS_OPT_ADAM);
  c->opt.lr = 0.05f;
  c->clip = 0.0f;
  c->epochs = 15;
  c->seed = 0;
}

int
gs_train_config_validate (const GsTrainConfig *c, GsError *err)
{
  if ((unsigned) c->cell >= GS_N_CELLS)
    return gs_error_set (err, _("unknown cell kind"));
  if (c->H < 1 || c->H > GS_MAX_HIDDEN)
    return gs_error_set (err, _("hidden size must be between 1 and %d, not %d"), GS_MAX_HIDDEN, c->H);
  if (c->L < 1 || c->L > GS_MAX_LAYERS)
    return gs_error_set (err, _("number of layers must be between 1 and %d, not %d"), GS_MAX_LAYERS, c->L);
  if (!c->one_hot && (c->E < 1 || c->E > GS_MAX_EMBED))
    return gs_error_set (err, _("embedding size must be between 1 and %d (0 for one-hot input), not %d"),
                         GS_MAX_EMBED, c->E);
  if (c->B < 1 || c->B > 65536)
    return gs_error_set (err, _("batch size must be between 1 and %d, not %d"), 65536, c->B);
  if (c->epochs < 1 || c->epochs > 10000000)
    return gs_error_set (err, _("epochs must be between 1 and %d, not %d"), 10000000, c->epochs);
  if (!(c->clip >= 0.0f) || !isfinite (c->clip))
    return gs_error_set (err, _("gradient clipping must be a finite number of at least 0 (0 turns it off)"));
  if (gs_variant_validate (&c->variant, c->cell, c->H, c->L, err) != GS_OK)
    return GS_FAIL;
  if (c->variant.bidirectional) {
    char name[64];
    const GsTaskClass *k;

    snprintf (name, sizeof name, "%.*s", (int) strcspn (c->task, ":"), c->task);
    if ((k = gs_task_class_find (name)) != NULL && k->next_element)
      return gs_error_set (err, _("task %s predicts the next element of its own input, and a bidirectional "
                                  "layer's reverse direction has already read that element: the model would "
                                  "copy the answer instead of learning to predict it, and could not generate. "
                                  "Use one direction for this task"), name);
  }
  return gs_opt_config_validate (&c->opt, err);
}

/* Refuses, before anything big is allocated, a trainer whose parameters
 * with their copies exceed GS_MAX_STATE_BYTES, whose training batch's
 * caches exceed GS_MAX_CACHE_BYTES, or whose whole need exceeds the
 * machine's available memory (gs-mem.h). */
static int
trainer_check_memory (const GsTrainer *tr, const GsConfig *mc, GsError *err)
{
  const GsTask *task = &tr->task;
  const int B = tr->cfg.B, T_eval = task->T_eval > 0 ? task->T_eval : task->T;
  /* parameters and gradients, two optimizer moments, the divergence
   * backup, the evaluation clone's parameters and gradients */
  const size_t copies = 7;
  size_t n_params = gs_config_num_params (mc), state, cache, eval, per_seq;
  char what[256];

  cache = gs_config_sequence_bytes (mc, task->T, B);
  per_seq = gs_config_sequence_bytes (mc, T_eval, 1);
  if (task->T_dec > 0) {
    GsConfig dc = *mc;
    dc.V = task->V_dec;
    n_params += gs_config_num_params (&dc);
    cache += gs_config_sequence_bytes (&dc, task->T_dec, B);
    per_seq += gs_config_sequence_bytes (&dc, task->T_dec, 1);
  }
  state = n_params * copies * sizeof (float);
  /* a chunk of the held-out batch: at most GS_EVAL_CHUNK_BYTES, at least one sequence */
  eval = per_seq > GS_EVAL_CHUNK_BYTES ? per_seq : GS_EVAL_CHUNK_BYTES;
  snprintf (what, sizeof what, _("a model of %zu parameters with its gradients, optimizer state and copies"),
            n_params);
  if (gs_mem_check (state, GS_MAX_STATE_BYTES, what, err) != GS_OK)
    return GS_FAIL;
  snprintf (what, sizeof what, _("a training batch of %d sequences of %d steps"), B, task->T);
  if (gs_mem_check (cache, GS_MAX_CACHE_BYTES, what, err) != GS_OK)
    return GS_FAIL;
  snprintf (what, sizeof what, _("one held-out sequence of %d steps"), T_eval);
  if (gs_mem_check (per_seq, GS_MAX_CACHE_BYTES, what, err) != GS_OK)
    return GS_FAIL;
  snprintf (what, sizeof what, _("training this model (parameters, batch and evaluation together)"));
  return gs_mem_check (state + cache + eval, 0, what, err);
}

GsTrainer *
gs_trainer_new (const GsTrainConfig *cfg, GsError *err)
{
  GsTrainer *tr;
  GsConfig mc;
  size_t TB;

  if (gs_train_config_validate (cfg, err) != GS_OK)
    return NULL;
  tr = calloc (1, sizeof *tr);
  if (tr == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  tr->cfg = *cfg;
  if (gs_task_init (&tr->task, cfg->task, err) != GS_OK)
    goto fail;

  memset (&mc, 0, sizeof mc);
  mc.cell = cfg->cell;
  mc.loss = tr->task.loss;
  mc.V = tr->task.V;
  mc.O = tr->task.O;
  mc.H = cfg->H;
  mc.L = cfg->L;
  mc.variant = cfg->variant;
  if (tr->task.input == GS_INPUT_DENSE) {
    mc.input = GS_INPUT_DENSE;
  } else if (cfg->one_hot) {
    mc.input = GS_INPUT_ONEHOT;
  } else {
    mc.input = GS_INPUT_EMBED;
    mc.E = cfg->E;
  }
  if (trainer_check_memory (tr, &mc, err) != GS_OK)
    goto fail;
  tr->model = gs_model_new (&mc, err);
  if (tr->model == NULL)
    goto fail;
  tr->opt = gs_optimizer_new (&cfg->opt, tr->model->n_params, err);
  if (tr->opt == NULL)
    goto fail;
  if (tr->task.T_dec > 0 && cfg->variant.bidirectional) {
    /* The decoder generates one symbol at a time: it cannot read the future. */
    gs_error_set (err, _("task %s is an encoder–decoder task: bidirectional layers are not supported there"),
                  tr->task.spec);
    goto fail;
  }
  if (tr->task.T_dec > 0) {
    /* The decoder: the encoder's cell and sizes, its own input vocabulary. */
    GsConfig dc = mc;
    size_t MB = (size_t) tr->task.T_dec * (size_t) cfg->B;

    dc.V = tr->task.V_dec;
    tr->decoder = gs_model_new (&dc, err);
    if (tr->decoder == NULL)
      goto fail;
    tr->dec_opt = gs_optimizer_new (&cfg->opt, tr->decoder->n_params, err);
    if (tr->dec_opt == NULL)
      goto fail;
    tr->dec_tokens = calloc (MB, sizeof (int));
    tr->dec_targets = calloc (MB, sizeof (int));
    tr->dec_backup = calloc (tr->decoder->n_params, sizeof (float));
    tr->state = calloc (2 * (size_t) mc.L * cfg->B * mc.H, sizeof (float));
    if (!tr->dec_tokens || !tr->dec_targets || !tr->dec_backup || !tr->state) {
      gs_error_set (err, _("out of memory"));
      goto fail;
    }
  }

  TB = (size_t) tr->task.T * (size_t) cfg->B;
  tr->tokens = calloc (TB, sizeof (int));
  tr->targets = calloc (TB, sizeof (int));
  tr->xs = calloc (TB * (size_t) mc.V, sizeof (float));
  tr->ys = calloc (TB * (size_t) mc.O, sizeof (float));
  tr->ymask = calloc (TB, 1);
  tr->backup = calloc (tr->model->n_params, sizeof (float));
  if (!tr->tokens || !tr->targets || !tr->xs || !tr->ys || !tr->ymask || !tr->backup) {
    gs_error_set (err, _("out of memory"));
    goto fail;
  }

  /* Weights and data draw from separate streams: changing the batch size
   * does not change the initial weights of a seed. */
  gs_rng_seed (&tr->init_rng, cfg->seed);
  gs_rng_seed (&tr->data_rng, cfg->seed ^ 0x9e3779b97f4a7c15ull);
  gs_rng_seed (&tr->dropout_rng, cfg->seed ^ 0xd1b54a32d192ed03ull);
  gs_model_init_params (tr->model, &tr->init_rng);
  gs_model_set_training (tr->model, true, &tr->dropout_rng);
  if (tr->decoder) {
    gs_model_init_params (tr->decoder, &tr->init_rng);
    gs_model_set_training (tr->decoder, true, &tr->dropout_rng);
  }
  if (cfg->init[0] != '\0' && gs_trainer_start_from (tr, cfg->init, err) != GS_OK)
    goto fail;
  tr->last_loss = NAN;
  gs_trainer_next_batch (tr);
  return tr;

fail:
  gs_trainer_free (tr);
  return NULL;
}

void
gs_trainer_free (GsTrainer *tr)
{
  if (tr == NULL)
    return;
  gs_model_free (tr->model);
  gs_optimizer_free (tr->opt);
  gs_model_free (tr->decoder);
  gs_optimizer_free (tr->dec_opt);
  gs_model_free (tr->eval_model);
  gs_model_free (tr->eval_decoder);
  free (tr->dec_tokens);
  free (tr->dec_targets);
  free (tr->dec_backup);
  free (tr->state);
  gs_task_clear (&tr->task);
  free (tr->tokens);
  free (tr->targets);
  free (tr->xs);
  free (tr->ys);
  free (tr->ymask);
  free (tr->backup);
  free (tr);
}

void
gs_trainer_next_batch (GsTrainer *tr)
{
  GsBatch batch = { tr->task.T, tr->cfg.B, tr->tokens, tr->xs, tr->targets, tr->ys, tr->ymask,
                    tr->task.T_dec, tr->dec_tokens, tr->dec_targets };

  tr->batch_data_rng = tr->data_rng;
  tr->batch_dropout_rng = tr->dropout_rng;
  gs_task_fill (&tr->task, &tr->data_rng, &batch);
  gs_trainer_reload_batch (tr, true);
}

/* The batch into the models, in whichever mode they are. */
static void
load_batch (GsTrainer *tr)
{
  GsError err;
  int rc;

  rc = gs_model_set_sequence (tr->model, tr->task.T, tr->cfg.B,
                              tr->tokens, tr->xs,
                              tr->task.loss == GS_LOSS_CE ? tr->targets : NULL,
                              tr->task.loss == GS_LOSS_MSE ? tr->ys : NULL,
                              tr->ymask, &err);
  if (tr->decoder)
    rc = gs_model_set_sequence (tr->decoder, tr->task.T_dec, tr->cfg.B, tr->dec_tokens, NULL,
                                tr->dec_targets, NULL, NULL, &err);
  /* A task produces only valid batches; the model's capacity was checked when it was built. */
  (void) rc;
}

void
gs_trainer_reload_batch (GsTrainer *tr, bool training)
{
  /* The masks drawn again from where they were first drawn from: the
   * stream ends where the batch's first load left it, in either mode. */
  tr->dropout_rng = tr->batch_dropout_rng;
  load_batch (tr);
  if (training)
    return;
  gs_model_set_training (tr->model, false, NULL);
  if (tr->decoder)
    gs_model_set_training (tr->decoder, false, NULL);
  load_batch (tr);
  /* The run trains: its models stay in training mode for what follows. */
  gs_model_set_training (tr->model, true, &tr->dropout_rng);
  if (tr->decoder)
    gs_model_set_training (tr->decoder, true, &tr->dropout_rng);
}

/* The update of an encoder–decoder pair: one gradient norm over both. */
static int
trainer_update_pair (GsTrainer *tr, GsError *err)
{
  GsModel *enc = tr->model, *dec = tr->decoder;
  float loss = gs_model_loss (dec);
  float n_enc, n_dec, norm;

  if (enc->t_fwd < enc->T || enc->t_bwd > 0 || dec->t_fwd < dec->T || dec->t_bwd > 0)
    return gs_error_set (err, _("the update needs a complete forward and backward pass"));
  tr->last_loss = loss;
  n_enc = gs_model_clip_grad_norm (enc, INFINITY);
  n_dec = gs_model_clip_grad_norm (dec, INFINITY);
  /* ‖g‖ = √(‖g_enc‖² + ‖g_dec‖²); clip_grad_norm_ over both parameter lists */
  norm = sqrtf (n_enc * n_enc + n_dec * n_dec);
  tr->last_grad_norm = norm;
  if (!isfinite (loss) || !isfinite (norm))
    return gs_error_set (err, _("the run diverged at epoch %d: the loss is %s; "
                                "lower the learning rate (now %g) or clip the gradient"),
                         tr->epoch + 1, isfinite (loss) ? _("finite but a gradient is not") : _("not a number"),
                         (double) tr->cfg.opt.lr);
  if (tr->cfg.clip > 0.0f && tr->cfg.clip / (norm + 1e-6f) < 1.0f) {
    float scale = tr->cfg.clip / (norm + 1e-6f);
    for (size_t i = 0; i < enc->n_params; i++)
      enc->grads_mem[i] *= scale;
    for (size_t i = 0; i < dec->n_params; i++)
      dec->grads_mem[i] *= scale;
  }
  memcpy (tr->backup, enc->params_mem, sizeof (float) * enc->n_params);
  memcpy (tr->dec_backup, dec->params_mem, sizeof (float) * dec->n_params);
  gs_optimizer_step (tr->opt, enc->params_mem, enc->grads_mem);
  gs_optimizer_step (tr->dec_opt, dec->params_mem, dec->grads_mem);
  if (!gs_model_is_finite (enc) || !gs_model_is_finite (dec)) {
    memcpy (enc->params_mem, tr->backup, sizeof (float) * enc->n_params);
    memcpy (dec->params_mem, tr->dec_backup, sizeof (float) * dec->n_params);
    return gs_error_set (err, _("the run diverged at epoch %d: the update made a weight infinite; "
                                "lower the learning rate (now %g)"),
                         tr->epoch + 1, (double) tr->cfg.opt.lr);
  }
  tr->epoch++;
  return GS_OK;
}

int
gs_trainer_update (GsTrainer *tr, GsError *err)
{
  GsModel *m = tr->model;
  float loss;

  if (tr->decoder)
    return trainer_update_pair (tr, err);
  loss = gs_model_loss (m);

  if (m->t_fwd < m->T || m->t_bwd > 0)
    return gs_error_set (err, _("the update needs a complete forward and backward pass"));
  tr->last_loss = loss;
  tr->last_grad_norm = tr->cfg.clip > 0.0f ? gs_model_clip_grad_norm (m, tr->cfg.clip)
                                           : gs_model_clip_grad_norm (m, INFINITY);
  if (!isfinite (loss) || !isfinite (tr->last_grad_norm))
    return gs_error_set (err, _("the run diverged at epoch %d: the loss is %s; "
                                "lower the learning rate (now %g) or clip the gradient"),
                         tr->epoch + 1, isfinite (loss) ? _("finite but a gradient is not") : _("not a number"),
                         (double) tr->cfg.opt.lr);
  memcpy (tr->backup, m->params_mem, sizeof (float) * m->n_params);
  gs_optimizer_step (tr->opt, m->params_mem, m->grads_mem);
  if (!gs_floats_finite (m->params_mem, m->n_params)) {
    memcpy (m->params_mem, tr->backup, sizeof (float) * m->n_params);
    return gs_error_set (err, _("the run diverged at epoch %d: the update made a weight infinite; "
                                "lower the learning rate (now %g)"),
                         tr->epoch + 1, (double) tr->cfg.opt.lr);
  }
  tr->epoch++;
  return GS_OK;
}

/* Encoder forward; decoder forward from the encoder's final state and
 * backward; the decoder's dL/dh_0 (and dL/dc_0) handed to the encoder as
 * dL/dh_T; encoder backward. */
static int
trainer_step_pair (GsTrainer *tr, GsError *err)
{
  GsModel *enc = tr->model, *dec = tr->decoder;
  const size_t LBH = (size_t) enc->cfg.L * enc->B * enc->cfg.H, BH = (size_t) enc->B * enc->cfg.H;
  const size_t BP = (size_t) enc->B * enc->P;   /* h has P ≤ H units (a projection) */

  gs_model_zero_grad (enc);
  gs_model_zero_grad (dec);
  gs_model_forward_seq (enc);
  gs_model_final_state (enc, tr->state, tr->state + LBH);
  gs_model_set_initial_state (dec, tr->state, tr->state + LBH);
  gs_model_forward_seq (dec);
  gs_model_backward_seq (dec);
  for (int k = 0; k < enc->cfg.L; k++) {
    memcpy (enc->layer[k].dh_next, dec->layer[k].dh_next, sizeof (float) * BP);
    if (enc->layer[k].dc_next && dec->layer[k].dc_next)
      memcpy (enc->layer[k].dc_next, dec->layer[k].dc_next, sizeof (float) * BH);
  }
  gs_model_backward_seq (enc);
  return gs_trainer_update (tr, err);
}

int
gs_trainer_evaluate (GsTrainer *tr, GsTaskEval *ev, GsError *err)
{
  if (tr->eval_model == NULL && (tr->eval_model = gs_model_clone_params (tr->model, err)) == NULL)
    return GS_FAIL;
  memcpy (tr->eval_model->params_mem, tr->model->params_mem, sizeof (float) * tr->model->n_params);
  if (tr->decoder) {
    if (tr->eval_decoder == NULL && (tr->eval_decoder = gs_model_clone_params (tr->decoder, err)) == NULL)
      return GS_FAIL;
    memcpy (tr->eval_decoder->params_mem, tr->decoder->params_mem, sizeof (float) * tr->decoder->n_params);
  }
  return gs_task_evaluate (&tr->task, tr->eval_model, tr->eval_decoder, ev, err);
}

int
gs_trainer_evaluate_training (GsTrainer *tr, GsTaskEval *ev, GsError *err)
{
  /* the scratch copies as gs_trainer_evaluate makes them */
  if (tr->eval_model == NULL && (tr->eval_model = gs_model_clone_params (tr->model, err)) == NULL)
    return GS_FAIL;
  memcpy (tr->eval_model->params_mem, tr->model->params_mem, sizeof (float) * tr->model->n_params);
  if (tr->decoder) {
    if (tr->eval_decoder == NULL && (tr->eval_decoder = gs_model_clone_params (tr->decoder, err)) == NULL)
      return GS_FAIL;
    memcpy (tr->eval_decoder->params_mem, tr->decoder->params_mem, sizeof (float) * tr->decoder->n_params);
  }
  return gs_task_evaluate_training (&tr->task, tr->eval_model, tr->eval_decoder, ev, err);
}

int
gs_trainer_train_batch (GsTrainer *tr, GsError *err)
{
  if (tr->decoder)
    return trainer_step_pair (tr, err);
  gs_model_zero_grad (tr->model);
  gs_model_forward_seq (tr->model);
  gs_model_backward_seq (tr->model);
  return gs_trainer_update (tr, err);
}

int
gs_trainer_step (GsTrainer *tr, GsError *err)
{
  if (tr->epoch > 0 || tr->model->t_fwd > 0)
    gs_trainer_next_batch (tr);
  return gs_trainer_train_batch (tr, err);
}
