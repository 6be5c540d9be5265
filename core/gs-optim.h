/* gs-optim.h — PyTorch's optimizers, with PyTorch's update rules and defaults.
 *
 * An optimizer owns its moment buffers, laid out like the parameter buffer
 * (so a GsParams view can be bound to them for display) and updates a flat
 * parameter buffer in place from a flat gradient buffer of the same size.
 */
#pragma once

#include <stddef.h>

#include "gs-error.h"

typedef enum {
  GS_OPT_SGD,      /* torch.optim.SGD (momentum, dampening 0, no Nesterov) */
  GS_OPT_ADAM,     /* torch.optim.Adam (amsgrad off) */
  GS_OPT_RMSPROP,  /* torch.optim.RMSprop (not centered) */
  GS_OPT_ADAGRAD,  /* torch.optim.Adagrad */
  GS_N_OPTS
} GsOptKind;

typedef struct {
  GsOptKind kind;
  float lr;
  float momentum;      /* SGD, RMSprop */
  float beta1, beta2;  /* Adam */
  float alpha;         /* RMSprop smoothing */
  float eps;
  float weight_decay;
  float lr_decay;      /* Adagrad */
} GsOptConfig;

const char *gs_opt_name      (GsOptKind kind);
int         gs_opt_from_name (const char *name, GsOptKind *out);
/* PyTorch's defaults for `kind` (SGD has no default lr in PyTorch: 0.01 here). */
void        gs_opt_config_default (GsOptConfig *c, GsOptKind kind);
int         gs_opt_config_validate (const GsOptConfig *c, GsError *err);

typedef struct {
  GsOptConfig cfg;
  size_t n;
  long   step;     /* updates done */
  float *m1;       /* (n) SGD momentum buffer | Adam exp_avg | RMSprop momentum buffer */
  float *m2;       /* (n) Adam exp_avg_sq | RMSprop square_avg | Adagrad state_sum */
} GsOptimizer;

GsOptimizer *gs_optimizer_new   (const GsOptConfig *cfg, size_t n, GsError *err);
void         gs_optimizer_free  (GsOptimizer *o);
/* params[i] updated from grads[i], i < n. */
void         gs_optimizer_step  (GsOptimizer *o, float *params, const float *grads);
