/* test-optim — our optimizers against torch.optim's trajectories.
 *
 * tests/reference/make_optim_reference.py ran torch.optim (1.13) on a
 * parameter vector with five given gradients, for each setting named in
 * the file's metadata (kwargs as JSON). We replay the same gradients and
 * compare the parameters after every step. Both sides do the same float32
 * operations; the differences come from how each rounds the same formula
 * (e.g. torch's addcdiv vs our (m/denom)·step), ~1 ulp per step: bound
 * 1e-6 + 1e-5·|p| over five steps. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-optim.h"
#include "gs-safetensors.h"
#include "gs-test.h"

static int
config_from_kwargs (GsOptConfig *c, const char *setting, const char *json)
{
  cJSON *kw = cJSON_Parse (json), *it;
  GsOptKind kind = strncmp (setting, "adagrad", 7) == 0 ? GS_OPT_ADAGRAD
                 : strncmp (setting, "adam", 4) == 0 ? GS_OPT_ADAM
                 : strncmp (setting, "rmsprop", 7) == 0 ? GS_OPT_RMSPROP : GS_OPT_SGD;

  if (kw == NULL)
    return GS_FAIL;
  gs_opt_config_default (c, kind);
  cJSON_ArrayForEach (it, kw) {
    if (strcmp (it->string, "lr") == 0) c->lr = (float) it->valuedouble;
    else if (strcmp (it->string, "momentum") == 0) c->momentum = (float) it->valuedouble;
    else if (strcmp (it->string, "weight_decay") == 0) c->weight_decay = (float) it->valuedouble;
    else if (strcmp (it->string, "eps") == 0) c->eps = (float) it->valuedouble;
    else if (strcmp (it->string, "alpha") == 0) c->alpha = (float) it->valuedouble;
    else if (strcmp (it->string, "lr_decay") == 0) c->lr_decay = (float) it->valuedouble;
    else if (strcmp (it->string, "betas") == 0) {
      c->beta1 = (float) cJSON_GetArrayItem (it, 0)->valuedouble;
      c->beta2 = (float) cJSON_GetArrayItem (it, 1)->valuedouble;
    } else {
      fprintf (stderr, "unknown optimizer argument %s\n", it->string);
      cJSON_Delete (kw);
      return GS_FAIL;
    }
  }
  cJSON_Delete (kw);
  return GS_OK;
}

int
main (int argc, char **argv)
{
  GsError err;
  GsSafetensors *st;
  const GsStTensor *p0t, *gt;
  int settings = 0;

  if (argc != 2) {
    fprintf (stderr, "usage: test-optim tests/reference/optim/optim.safetensors\n");
    return 2;
  }
  st = gs_st_read (argv[1], &err);
  if (!GS_CHECK (st != NULL, "reading %s: %s", argv[1], st ? "" : err.msg))
    return gs_test_finish ("optim");
  p0t = gs_st_find (st, "p0");
  gt = gs_st_find (st, "grads");
  GS_CHECK (p0t && gt && gt->ndim == 2, "reference has p0 and grads");
  for (int i = 0; p0t && gt && i < st->n_meta; i++) {
    const char *setting = st->meta_keys[i] + 7;
    size_t n = p0t->numel, steps = (size_t) gt->shape[0];
    float *p = malloc (sizeof (float) * n), *g = malloc (sizeof (float) * n * steps);
    float *traj = malloc (sizeof (float) * n * steps);
    char name[96];
    GsOptConfig cfg;
    GsOptimizer *o;

    if (strncmp (st->meta_keys[i], "kwargs.", 7) != 0)
      goto next;
    settings++;
    snprintf (name, sizeof name, "traj.%s", setting);
    GS_CHECK (config_from_kwargs (&cfg, setting, st->meta_values[i]) == GS_OK, "%s: kwargs parse", setting);
    GS_CHECK (gs_st_get_f32 (st, "p0", p, n, &err) == GS_OK, "p0: %s", err.msg);
    GS_CHECK (gs_st_get_f32 (st, "grads", g, n * steps, &err) == GS_OK, "grads: %s", err.msg);
    GS_CHECK (gs_st_get_f32 (st, name, traj, n * steps, &err) == GS_OK, "%s: %s", name, err.msg);
    o = gs_optimizer_new (&cfg, n, &err);
    GS_CHECK (o != NULL, "%s: %s", setting, o ? "" : err.msg);
    for (size_t s = 0; o && s < steps; s++) {
      char what[128];
      gs_optimizer_step (o, p, g + s * n);
      snprintf (what, sizeof what, "%s step %zu", setting, s + 1);
      gs_test_close (what, p, traj + s * n, n, 1e-6, 1e-5);
    }
    gs_optimizer_free (o);
  next:
    free (p);
    free (g);
    free (traj);
  }
  GS_CHECK (settings >= 8, "the reference holds every optimizer setting (found %d)", settings);
  gs_st_free (st);

  /* Absurd settings are refused with a message, never run. */
  {
    GsOptConfig c;
    gs_opt_config_default (&c, GS_OPT_ADAM);
    c.lr = -1.0f;
    GS_CHECK (gs_optimizer_new (&c, 4, &err) == NULL && strstr (err.msg, "learning rate"), "lr -1: %s", err.msg);
    c.lr = 0.01f;
    c.beta1 = 1.0f;
    GS_CHECK (gs_optimizer_new (&c, 4, &err) == NULL && strstr (err.msg, "betas"), "beta1 1: %s", err.msg);
    gs_opt_config_default (&c, GS_OPT_SGD);
    c.momentum = 1.5f;
    GS_CHECK (gs_optimizer_new (&c, 4, &err) == NULL && strstr (err.msg, "momentum"), "momentum 1.5: %s", err.msg);
  }
  return gs_test_finish ("optim");
}
