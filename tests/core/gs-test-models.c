#include "gs-test-models.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

GsModel *
gs_test_model_new (GsCell cell, GsInput input, GsLoss loss, int L, int H,
                   int T, int B, uint64_t seed)
{
  return gs_test_model_new_variant (cell, input, loss, L, H, T, B, seed, NULL, 1.0f);
}

static GsModel *
model_new (GsConfig cfg, int T, int B, uint64_t seed, float scale);

GsModel *
gs_test_model_new_variant (GsCell cell, GsInput input, GsLoss loss, int L, int H,
                           int T, int B, uint64_t seed, const GsVariant *v, float scale)
{
  GsConfig cfg = { .cell = cell, .input = input, .loss = loss,
                   .V = 5, .E = input == GS_INPUT_EMBED ? 3 : 0, .H = H, .L = L, .O = 4,
                   .variant = v ? *v : (GsVariant) { 0 } };

  return model_new (cfg, T, B, seed, scale);
}

GsModel *
gs_test_model_new_vocab (GsCell cell, GsInput input, int L, int H, int V, int T, int B, uint64_t seed)
{
  GsConfig cfg = { .cell = cell, .input = input, .loss = GS_LOSS_CE,
                   .V = V, .E = input == GS_INPUT_EMBED ? 3 : 0, .H = H, .L = L, .O = V };

  return model_new (cfg, T, B, seed, 1.0f);
}

static GsModel *
model_new (GsConfig cfg, int T, int B, uint64_t seed, float scale)
{
  GsError err;
  GsRng rng;
  GsModel *m = gs_model_new (&cfg, &err);
  size_t TB = (size_t) T * B;
  int *tokens = calloc (TB, sizeof (int));
  int *targets = calloc (TB, sizeof (int));
  float *xs = calloc (TB * cfg.V, sizeof (float));
  float *ys = calloc (TB * cfg.O, sizeof (float));
  unsigned char *mask = calloc (TB, 1);

  if (m == NULL) {
    fprintf (stderr, "gs_test_model_new: %s\n", err.msg);
    abort ();
  }
  gs_rng_seed (&rng, seed);
  gs_model_init_params (m, &rng);
  for (size_t i = 0; i < TB; i++) {
    tokens[i] = (int) gs_rng_below (&rng, (uint32_t) cfg.V);
    targets[i] = i % 3 == 1 ? -1 : (int) gs_rng_below (&rng, (uint32_t) cfg.O);
    mask[i] = i % 3 != 1;
  }
  for (size_t i = 0; i < TB * cfg.V; i++)
    xs[i] = gs_rng_uniform (&rng, -scale, scale);
  for (size_t i = 0; i < TB * cfg.O; i++)
    ys[i] = gs_rng_uniform (&rng, -1.0f, 1.0f);
  if (gs_model_set_sequence (m, T, B, tokens, xs, targets, ys, mask, &err) != GS_OK) {
    fprintf (stderr, "gs_test_model_new: %s\n", err.msg);
    abort ();
  }
  free (tokens);
  free (targets);
  free (xs);
  free (ys);
  free (mask);
  return m;
}

void
gs_test_model_copy_sequence (GsModel *other, const GsModel *m)
{
  GsError err;

  if (gs_model_set_sequence (other, m->T, m->B, m->tokens, m->xs, m->targets, m->ys, m->ymask, &err) != GS_OK) {
    fprintf (stderr, "gs_test_model_copy_sequence: %s\n", err.msg);
    abort ();
  }
}

void
gs_test_model_reload (GsModel *m)
{
  GsModel *copy = gs_model_clone_params (m, NULL);

  if (copy == NULL) {
    fprintf (stderr, "gs_test_model_reload: out of memory\n");
    abort ();
  }
  gs_test_model_copy_sequence (copy, m);
  gs_test_model_copy_sequence (m, copy);
  gs_model_free (copy);
}
