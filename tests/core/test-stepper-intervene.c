/* test-stepper-intervene — interventions handed to a stepper mid-sequence:
 * what the sequence had computed is computed again with them, up to the
 * same step; removing them gives back the plain values bit for bit; a
 * refused list leaves the stepper as it was. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gs-intervene.h"
#include "gs-stepper.h"
#include "gs-test.h"

static GsStepper *
stepper (const char *task)
{
  GsTrainConfig c;
  GsError err;
  GsStepper *s;

  gs_train_config_default (&c);
  snprintf (c.task, sizeof c.task, "%s", task);
  c.cell = GS_CELL_LSTM;
  c.seed = 3;
  s = gs_stepper_new (&c, &err);
  GS_CHECK (s != NULL, "stepper: %s", err.msg);
  return s;
}

/* f (gate row block 1) of layer 0, batch row 0, at timestep t. */
static const float *
f_gate (const GsModel *m, int t)
{
  const int H = m->cfg.H;
  return m->layer[0].act + ((size_t) t * m->B) * (size_t) (m->G * H) + (size_t) H;
}

int
main (void)
{
  GsStepper *a = stepper ("hello"), *b = stepper ("hello"), *pair = stepper ("seq2seq");
  GsInterventions list = { .n = 0 }, bad = { .n = 0 };
  GsError err;
  const int H = a->trainer->model->cfg.H;
  bool all_one = true;

  /* two updates, then three forward steps into the next sequence, in both */
  for (int i = 0; i < 2; i++) {
    gs_stepper_train_step (a, &err);
    gs_stepper_train_step (b, &err);
  }
  for (int i = 0; i < 3; i++) {
    gs_stepper_step (a, &err);
    gs_stepper_step (b, &err);
  }

  GS_CHECK (gs_interventions_parse (&list, GS_IV_CLAMP, "1:f:*=1", &err) == GS_OK, "parse: %s", err.msg);
  GS_CHECK (gs_stepper_set_interventions (a, &list, &err) == GS_OK, "set: %s", err.msg);
  GS_CHECK (a->n_fwd == 3 && a->phase == GS_PHASE_FORWARD && a->trainer->model->t_fwd == 3,
            "the cursor stays at 3 forward steps (%d, model %d)", a->n_fwd, a->trainer->model->t_fwd);
  for (int t = 0; t < 3; t++)
    for (int u = 0; u < H; u++)
      all_one &= f_gate (a->trainer->model, t)[u] == 1.0f;
  GS_CHECK (all_one, "f = 1 at every computed step");
  GS_CHECK (memcmp (f_gate (a->trainer->model, 0), f_gate (b->trainer->model, 0), sizeof (float) * H) != 0,
            "the plain run's f is not 1");

  /* a list that does not fit is refused and the clamp stays */
  GS_CHECK (gs_interventions_parse (&bad, GS_IV_CLAMP, "5:f:*=1", &err) == GS_OK, "parse layer 5");
  GS_CHECK (gs_stepper_set_interventions (a, &bad, &err) == GS_FAIL && err.msg[0], "layer 5 refused: %s", err.msg);
  GS_CHECK (f_gate (a->trainer->model, 1)[0] == 1.0f && a->n_fwd == 3, "the refused list left the clamp");

  /* removed: the plain values again, bit for bit */
  GS_CHECK (gs_stepper_set_interventions (a, NULL, &err) == GS_OK, "remove: %s", err.msg);
  GS_CHECK (a->n_fwd == 3, "still 3 forward steps");
  {
    const GsModel *ma = a->trainer->model, *mb = b->trainer->model;
    const size_t n = (size_t) 3 * ma->B * ma->G * H;
    GS_CHECK (memcmp (ma->layer[0].act, mb->layer[0].act, sizeof (float) * n) == 0
              && memcmp (ma->layer[1].act, mb->layer[1].act, sizeof (float) * n) == 0,
              "removing the intervention restores the plain activations exactly");
  }

  /* after an update: the whole forward pass of that sequence, with them */
  while (a->phase != GS_PHASE_UPDATED)
    gs_stepper_step (a, &err);
  GS_CHECK (gs_stepper_set_interventions (a, &list, &err) == GS_OK, "set after update: %s", err.msg);
  GS_CHECK (a->phase == GS_PHASE_UPDATED && a->trainer->model->t_fwd == a->trainer->model->T
            && f_gate (a->trainer->model, a->trainer->model->T - 1)[H - 1] == 1.0f,
            "after an update the whole sequence is computed again with the clamp");

  GS_CHECK (gs_stepper_set_interventions (pair, &list, &err) == GS_FAIL && strstr (err.msg, "encoder"),
            "an encoder–decoder task is refused: %s", err.msg);

  gs_stepper_free (a);
  gs_stepper_free (b);
  gs_stepper_free (pair);
  return gs_test_finish ("stepper-intervene");
}
