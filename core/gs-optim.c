/* gs-optim.c — torch.optim's single-tensor update rules (PyTorch 1.13),
 * operation for operation, so that trajectories agree to float rounding. */
#include "gs-optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"

static const char *const opt_names[GS_N_OPTS] = { "sgd", "adam", "rmsprop", "adagrad" };

const char *
gs_opt_name (GsOptKind kind)
{
  return (unsigned) kind < GS_N_OPTS ? opt_names[kind] : "?";
}

int
gs_opt_from_name (const char *name, GsOptKind *out)
{
  for (int i = 0; i < GS_N_OPTS; i++)
    if (name && strcmp (name, opt_names[i]) == 0) {
      *out = (GsOptKind) i;
      return GS_OK;
    }
  return GS_FAIL;
}

void
gs_opt_config_default (GsOptConfig *c, GsOptKind kind)
{
  memset (c, 0, sizeof *c);
  c->kind = kind;
  switch (kind) {
  case GS_OPT_ADAM:
    c->lr = 1e-3f; c->beta1 = 0.9f; c->beta2 = 0.999f; c->eps = 1e-8f;
    break;
  case GS_OPT_RMSPROP:
    c->lr = 1e-2f; c->alpha = 0.99f; c->eps = 1e-8f;
    break;
  case GS_OPT_ADAGRAD:
    c->lr = 1e-2f; c->eps = 1e-10f;
    break;
  case GS_OPT_SGD:
  case GS_N_OPTS:
  default:
    c->lr = 1e-2f;
    break;
  }
}

int
gs_opt_config_validate (const GsOptConfig *c, GsError *err)
{
  if ((unsigned) c->kind >= GS_N_OPTS)
    return gs_error_set (err, _("unknown optimizer %d"), (int) c->kind);
  if (!(c->lr > 0.0f) || !isfinite (c->lr) || c->lr > 1e3f)
    return gs_error_set (err, _("learning rate must be a number above 0 and at most 1000, not %g"), (double) c->lr);
  if (!(c->momentum >= 0.0f && c->momentum < 1.0f))
    return gs_error_set (err, _("momentum must be at least 0 and below 1, not %g"), (double) c->momentum);
  if (c->kind == GS_OPT_ADAM && !(c->beta1 >= 0.0f && c->beta1 < 1.0f && c->beta2 >= 0.0f && c->beta2 < 1.0f))
    return gs_error_set (err, _("Adam's betas must be at least 0 and below 1"));
  if (c->kind == GS_OPT_RMSPROP && !(c->alpha >= 0.0f && c->alpha < 1.0f))
    return gs_error_set (err, _("RMSprop's alpha must be at least 0 and below 1, not %g"), (double) c->alpha);
  if (!(c->eps >= 0.0f) || !isfinite (c->eps))
    return gs_error_set (err, _("epsilon must be a finite number of at least 0"));
  if (!(c->weight_decay >= 0.0f) || !isfinite (c->weight_decay))
    return gs_error_set (err, _("weight decay must be a finite number of at least 0, not %g"), (double) c->weight_decay);
  if (!(c->lr_decay >= 0.0f) || !isfinite (c->lr_decay))
    return gs_error_set (err, _("learning-rate decay must be a finite number of at least 0"));
  return GS_OK;
}

GsOptimizer *
gs_optimizer_new (const GsOptConfig *cfg, size_t n, GsError *err)
{
  GsOptimizer *o;

  if (gs_opt_config_validate (cfg, err) != GS_OK)
    return NULL;
  o = calloc (1, sizeof *o);
  if (o) {
    o->m1 = calloc (n ? n : 1, sizeof (float));
    o->m2 = calloc (n ? n : 1, sizeof (float));
  }
  if (o == NULL || o->m1 == NULL || o->m2 == NULL) {
    gs_optimizer_free (o);
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  o->cfg = *cfg;
  o->n = n;
  return o;
}

void
gs_optimizer_free (GsOptimizer *o)
{
  if (o == NULL)
    return;
  free (o->m1);
  free (o->m2);
  free (o);
}

/* Adam's element loop, unaliased and branch-free so that it vectorises. */
static void
adam_update (float *restrict params, float *restrict m1, float *restrict m2,
             const float *restrict grads, size_t n, float wd, float beta1, float beta2,
             float eps, float step_size, float bc2_sqrt)
{
  const float a1 = 1.0f - beta1, a2 = 1.0f - beta2;

  for (size_t i = 0; i < n; i++) {
    float g = wd != 0.0f ? grads[i] + wd * params[i] : grads[i];
    float m = m1[i] * beta1 + g * a1;
    float v = m2[i] * beta2 + a2 * g * g;
    float denom = sqrtf (v) / bc2_sqrt + eps;
    m1[i] = m;
    m2[i] = v;
    params[i] += -step_size * (m / denom);
  }
}

void
gs_optimizer_step (GsOptimizer *o, float *params, const float *grads)
{
  const GsOptConfig *c = &o->cfg;
  const float lr = c->lr, wd = c->weight_decay;
  const size_t n = o->n;
  float *m1 = o->m1, *m2 = o->m2;

  o->step++;
  switch (c->kind) {
  case GS_OPT_SGD:
    /* g += wd·p;  buf = g (first step) | μ·buf + g;  p −= lr·buf */
    for (size_t i = 0; i < n; i++) {
      float g = wd != 0.0f ? grads[i] + wd * params[i] : grads[i];
      if (c->momentum != 0.0f) {
        m1[i] = o->step == 1 ? g : m1[i] * c->momentum + g;
        g = m1[i];
      }
      params[i] += -lr * g;
    }
    break;

  case GS_OPT_ADAM: {
    /* m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²
     * p −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)      (Kingma & Ba 2015) */
    const double bc1 = 1.0 - pow ((double) c->beta1, (double) o->step);
    const double bc2 = 1.0 - pow ((double) c->beta2, (double) o->step);
    const float step_size = (float) ((double) lr / bc1);
    const float bc2_sqrt = (float) sqrt (bc2);
    adam_update (params, m1, m2, grads, n, wd, c->beta1, c->beta2, c->eps, step_size, bc2_sqrt);
    break;
  }

  case GS_OPT_RMSPROP:
    /* v = α·v + (1−α)·g²;  p −= lr · g / (√v + ε)   (momentum: buf = μ·buf + g/(√v+ε)) */
    for (size_t i = 0; i < n; i++) {
      float g = wd != 0.0f ? grads[i] + wd * params[i] : grads[i];
      float avg;
      m2[i] = m2[i] * c->alpha + (1.0f - c->alpha) * g * g;
      avg = sqrtf (m2[i]) + c->eps;
      if (c->momentum > 0.0f) {
        m1[i] = m1[i] * c->momentum + g / avg;
        params[i] += -lr * m1[i];
      } else {
        params[i] += -lr * (g / avg);
      }
    }
    break;

  case GS_OPT_ADAGRAD: {
    /* s += g²;  p −= lr/(1 + (t−1)·decay) · g / (√s + ε)   (Duchi et al. 2011) */
    const float clr = (float) ((double) lr / (1.0 + (double) (o->step - 1) * c->lr_decay));
    for (size_t i = 0; i < n; i++) {
      float g = wd != 0.0f ? grads[i] + wd * params[i] : grads[i];
      m2[i] += g * g;
      params[i] += -clr * (g / (sqrtf (m2[i]) + c->eps));
    }
    break;
  }

  case GS_N_OPTS:
  default:
    break;
  }
}
