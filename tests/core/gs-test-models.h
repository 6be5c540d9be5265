/* gs-test-models.h — small random models and sequences shared by the core tests. */
#pragma once

#include "gs-model.h"
#include "gs-rng.h"

/* A model of the given shape with PyTorch-default random weights from `seed`,
 * loaded with a random sequence (T, B): tokens/targets for CE, dense inputs
 * and targets for MSE (with every third step unmasked/untargeted, so the
 * loss mask is exercised). Aborts the test on failure. */
GsModel *gs_test_model_new (GsCell cell, GsInput input, GsLoss loss, int L, int H,
                            int T, int B, uint64_t seed);

/* The same with a cell variant (gs-model.h); v may be NULL (plain). Dense
 * inputs are drawn from [−scale, scale] (scale 1 in gs_test_model_new). */
GsModel *gs_test_model_new_variant (GsCell cell, GsInput input, GsLoss loss, int L, int H,
                                    int T, int B, uint64_t seed, const GsVariant *v, float scale);

/* A CE model over a vocabulary of V symbols (O = V). */
GsModel *gs_test_model_new_vocab (GsCell cell, GsInput input, int L, int H, int V, int T, int B,
                                  uint64_t seed);

/* Loads m's own sequence again (with gs_model_set_training on, this draws
 * new dropout masks). */
void gs_test_model_reload (GsModel *m);

/* The same sequence as `m`, loaded into `other` (same config). */
void gs_test_model_copy_sequence (GsModel *other, const GsModel *m);
