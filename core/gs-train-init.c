/* gs-train-init.c — a run that starts from a model file's weights.
 *
 * The file decides the model (cell, layers, sizes, input, variant); the
 * run's task decides whether it fits: the same vocabulary when the file
 * names one (Gatescope writes "vocab"), the same number of input symbols
 * and outputs, the same input kind and loss. The optimizer starts fresh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-safetensors.h"
#include "gs-train.h"

int
gs_train_config_from_model (GsTrainConfig *cfg, const char *path, bool keep_cell, bool take_task,
                            char *warning, size_t warning_size, GsError *err)
{
  GsModelLoadOptions load = { .set_cell = keep_cell, .cell = cfg->cell };
  GsSafetensors *st = NULL;
  GsModel *m;
  const char *task;
  GsVariant v;

  if (warning_size > 0)
    warning[0] = '\0';
  if (strlen (path) >= sizeof cfg->init)
    return gs_error_set (err, _("%.80s…: the file name is too long"), path);
  m = gs_model_load_with (path, &load, &st, err);
  if (m == NULL)
    return GS_FAIL;
  task = gs_st_meta (st, "task");
  if (take_task && task != NULL) {
    if (strlen (task) >= sizeof cfg->task) {
      gs_model_free (m);
      gs_st_free (st);
      return gs_error_set (err, _("%s: its task is too long"), path);
    }
    strcpy (cfg->task, task);
    if (gs_task_spec_from_file (cfg->task, sizeof cfg->task, err) != GS_OK) {
      gs_model_free (m);
      gs_st_free (st);
      return gs_error_prefix (err, "%s", path);
    }
  }
  if (warning_size > 0 && load.warning[0] != '\0')
    snprintf (warning, warning_size, "%s", load.warning);

  v = m->cfg.variant;
  if (v.dropout == 0.0f)
    v.dropout = cfg->variant.dropout;
  if (v.recurrent_dropout == 0.0f)
    v.recurrent_dropout = cfg->variant.recurrent_dropout;
  if (v.bptt == 0)
    v.bptt = cfg->variant.bptt;
  cfg->cell = m->cfg.cell;
  cfg->H = m->cfg.H;
  cfg->L = m->cfg.L;
  cfg->one_hot = m->cfg.input == GS_INPUT_ONEHOT;
  if (m->cfg.input == GS_INPUT_EMBED)
    cfg->E = m->cfg.E;
  cfg->variant = v;
  strcpy (cfg->init, path);
  gs_model_free (m);
  gs_st_free (st);
  return GS_OK;
}

/* The task's tokens joined by commas, as Gatescope's "vocab" metadata. */
static char *
task_vocab (const GsTask *task)
{
  size_t size = 1;
  char *s;

  if (task->V <= 0 || task->vocab == NULL || task->vocab[0] == NULL)
    return NULL;
  for (int v = 0; v < task->V; v++)
    size += (task->vocab[v] != NULL ? strlen (task->vocab[v]) : 0) + 1;
  s = calloc (size, 1);
  if (s == NULL)
    return NULL;
  for (int v = 0; v < task->V; v++) {
    if (v > 0)
      strcat (s, ",");
    if (task->vocab[v] != NULL)
      strcat (s, task->vocab[v]);
  }
  return s;
}

static int
check_fits (const GsTrainer *tr, const GsModel *init, const GsSafetensors *st, GsError *err)
{
  const GsConfig *want = &tr->model->cfg, *got = &init->cfg;
  const char *vocab = gs_st_meta (st, "vocab");
  char *tv;
  bool same = true;

  if (tr->decoder != NULL)
    return gs_error_set (err, _("task %s is an encoder–decoder task, which starts from two models"),
                         tr->task.spec);
  if (got->input != want->input)
    return gs_error_set (err, want->input == GS_INPUT_DENSE
                                ? _("the model reads tokens but task %s gives vectors")
                                : _("the model reads vectors but task %s gives tokens"),
                         tr->task.spec);
  /* A Gatescope file names its symbols: the same count in another order
   * would train a model that reads the wrong letters. */
  tv = vocab != NULL ? task_vocab (&tr->task) : NULL;
  if (vocab != NULL && tv != NULL)
    same = strcmp (vocab, tv) == 0;
  free (tv);
  if (!same)
    return gs_error_set (err, _("the model's vocabulary (%.60s) is not task %s's"), vocab, tr->task.spec);
  if (got->V != want->V || got->O != want->O)
    return gs_error_set (err, _("the model reads %d symbols and has %d outputs; task %s has %d and %d"),
                         got->V, got->O, tr->task.spec, want->V, want->O);
  if (got->loss != want->loss)
    return gs_error_set (err, _("the model was trained for another kind of loss than task %s's"),
                         tr->task.spec);
  if (init->n_params != tr->model->n_params)
    return gs_error_set (err, _("the model's tensors do not fit task %s"), tr->task.spec);
  return GS_OK;
}

int
gs_trainer_start_from (GsTrainer *tr, const char *path, GsError *err)
{
  GsModelLoadOptions load = { .set_cell = gs_cell_gates (tr->cfg.cell) == 1, .cell = tr->cfg.cell };
  GsSafetensors *st = NULL;
  GsModel *m = gs_model_load_with (path, &load, &st, err);
  int status;

  if (m == NULL)
    return GS_FAIL;
  status = check_fits (tr, m, st, err);
  if (status == GS_OK) {
    memcpy (tr->model->params_mem, m->params_mem, m->n_params * sizeof *m->params_mem);
    gs_model_params_changed (tr->model);
  } else {
    gs_error_prefix (err, "%s", path);
  }
  gs_model_free (m);
  gs_st_free (st);
  return status;
}
